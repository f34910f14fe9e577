from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader

from congvu.web.navigation import area_status


@login_required
def home(request):
    """The dashboard: overdue remediation, the inspections in progress, the way to the figures."""
    from congvu.inspections.selectors import inspection_list

    in_progress = inspection_list(fetched_by=request.user).exclude(status__in=["draft", "closed"])
    context = {
        "areas": area_status(),
        "inspections_in_progress": in_progress.select_related("unit").order_by("-pk")[:8],
        "inspections_in_progress_count": in_progress.count(),
    }
    return render(request, "web/home.html", context)


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    # A bare render: the failure may be the database, which context processors would touch.
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)
