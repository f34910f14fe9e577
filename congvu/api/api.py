"""The REST API, version 1 (`/api/v1/`, OpenAPI 3.1 at `/api/v1/openapi.json`).

django-ninja: the typed schemas in `schemas.py` are the OpenAPI document, without a second library.
Every endpoint reads through the same selectors as the pages (another unit's object is a 404) and
writes through the same services; authentication is a personal bearer token only (`auth.py`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from congvu.api.auth import RateLimited, TokenAuth
from congvu.api.routes import inspections, metrics, registers, sampling

api = NinjaAPI(
    title="Công vụ API",
    version="1",
    description=(
        "API tích hợp của hệ thống kiểm tra công vụ. Xác thực: `Authorization: Bearer <mã truy cập>`; "
        "mỗi người dùng chỉ thấy những gì họ thấy trên các trang (đối tượng của đơn vị khác: 404)."
    ),
    auth=TokenAuth(),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


def _messages(exc: ValidationError):
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    return [str(m) for m in exc.messages]


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    return api.create_response(request, {"detail": _messages(exc)}, status=400)


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc: PermissionDenied):
    message = str(exc) or "Bạn không có quyền thực hiện thao tác này."
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc: Http404):
    return api.create_response(request, {"detail": "Không tìm thấy."}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc: AuthenticationError):
    response = api.create_response(
        request, {"detail": "Thiếu mã truy cập hợp lệ (Authorization: Bearer …)."}, status=401
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(RateLimited)
def _rate_limited(request, exc: RateLimited):
    response = api.create_response(
        request,
        {"detail": f"Quá nhiều yêu cầu với mã truy cập này: thử lại sau {exc.retry_after} giây."},
        status=429,
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


api.add_router("/", registers.router)
api.add_router("/", metrics.router)
api.add_router("/", inspections.router)
api.add_router("/", sampling.router)
