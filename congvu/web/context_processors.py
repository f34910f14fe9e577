from django.conf import settings

from congvu.web.navigation import nav_for


def shell(request):
    """What every page's navigation needs: the menu and the count of unread notices."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"demo_mode": settings.DEMO_MODE, "nav": {}}
    from congvu.inspections.models import Notification

    return {
        "demo_mode": settings.DEMO_MODE,
        "nav": nav_for(user),
        "unread_notices": Notification.objects.filter(user=user, is_read=False).count(),
    }
