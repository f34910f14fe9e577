from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from congvu.core.scoping import get_visible_or_404
from congvu.org.models import Unit


@login_required
def unit_detail(request, code):
    unit = get_visible_or_404(Unit, request.user, code=code)
    return render(request, "org/unit_detail.html", {"unit": unit})
