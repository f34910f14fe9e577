from django.conf import settings

from congvu.web.navigation import nav_for


def shell(request):
    """What every page's navigation needs."""
    user = getattr(request, "user", None)
    nav = nav_for(user) if user is not None and user.is_authenticated else {}
    return {"demo_mode": settings.DEMO_MODE, "nav": nav}
