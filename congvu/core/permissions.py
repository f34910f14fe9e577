"""Role checks shared by views and services: mechanism only (a user answers `has_role`), no app imports."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require_role(user, *roles: str) -> None:
    """Raise PermissionDenied (403) unless the user holds one of the roles.

    Used for *actions*: whether an object exists is decided first by the scope (404)."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(*roles):
        raise PermissionDenied(_("Vai trò của bạn không được thực hiện thao tác này."))


def role_required(*roles: str) -> Callable:
    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            require_role(request.user, *roles)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
