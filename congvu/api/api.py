"""The REST API, version 1 (`/api/v1/`, OpenAPI 3.1 at `/api/v1/openapi.json`).

django-ninja: the typed schemas in `schemas.py` are the OpenAPI document, without a second library.
Every endpoint reads through the same selectors as the pages (another unit's object is a 404) and
writes through the same services; authentication is a personal bearer token only (`auth.py`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.openapi.schema import OpenAPISchema

from congvu.api.auth import RateLimited, TokenAuth
from congvu.api.routes import inspections, metrics, registers, sampling


class _API(NinjaAPI):
    """NinjaAPI, with the OpenAPI document built once per process for each path prefix and language:
    it depends on the code alone, and building it takes ~70 ms of CPU (ninja rebuilds it on every
    request of `/openapi.json`, which integrators and the docs page fetch)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._schemas: dict[tuple, OpenAPISchema] = {}

    def get_openapi_schema(self, *, path_prefix=None, path_params=None) -> OpenAPISchema:
        key = (path_prefix, tuple(sorted((path_params or {}).items())), translation.get_language())
        if key not in self._schemas:
            self._schemas[key] = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return self._schemas[key]


api = _API(
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
