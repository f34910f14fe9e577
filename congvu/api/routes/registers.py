"""Registers: tasks and dossiers (read), and their import by file (the page's form and service)."""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import File, Form, Path, Query, Router, Status, UploadedFile

from congvu.api.routes.common import (
    READ_ERRORS,
    WRITE_ERRORS,
    id_path,
    limit_query,
    offset_query,
    optional_id_query,
    paginate,
    text_query,
)
from congvu.api.schemas import DossierOut, ImportRunOut, TaskOut, page_of
from congvu.core.scoping import get_visible_or_404
from congvu.registers.forms import ImportForm
from congvu.registers.imports import IMPORT_ROLES
from congvu.registers.models import AssigningAuthority, ImportRun, ProductType
from congvu.registers.selectors import dossier_list, import_run_list, register_units, task_list
from congvu.registers.services import import_run_submit

router = Router(tags=["registers"])

Authority = Literal[tuple(AssigningAuthority.values)]  # type: ignore[valid-type]
Product = Literal[tuple(ProductType.values)]  # type: ignore[valid-type]


def _unit_filter(user, unit_id: int | None) -> dict | None:
    """The unit filter as the page applies it; None when the unit is not one the user may see (an
    empty list, never a hint that it exists)."""
    if unit_id is None:
        return {}
    unit = register_units(fetched_by=user).filter(pk=unit_id).first()
    return None if unit is None else {"unit": unit}


@router.get("/tasks", response={200: page_of(TaskOut), **READ_ERRORS}, summary="Nhiệm vụ được giao")
def tasks(
    request,
    q: str = text_query("mã hoặc nội dung, có dấu hay không", max_length=200),
    unit: int | None = optional_id_query("đơn vị (gồm các đơn vị tiền thân)"),
    field: int | None = optional_id_query("lĩnh vực"),
    official: str = text_query("mã hoặc tên cán bộ phụ trách", max_length=200),
    authority: Authority | None = None,
    product_type: Product | None = None,
    limit: int = limit_query(),
    offset: int = offset_query(),
):
    unit_filter = _unit_filter(request.user, unit)
    if unit_filter is None:
        return paginate([], limit=limit, offset=offset)
    qs = task_list(
        fetched_by=request.user,
        query=q,
        field_id=field,
        official=official,
        authority=authority or "",
        product_type=product_type or "",
        **unit_filter,
    )
    return paginate(qs.order_by("received_on", "pk"), limit=limit, offset=offset)


@router.get("/tasks/{pk}", response={200: TaskOut, **READ_ERRORS}, summary="Một nhiệm vụ")
def task_detail(request, pk: int = id_path()):
    return get_visible_or_404(task_list(fetched_by=request.user), request.user, pk=pk)


@router.get("/dossiers", response={200: page_of(DossierOut), **READ_ERRORS}, summary="Hồ sơ TTHC")
def dossiers(
    request,
    q: str = text_query("mã hồ sơ hoặc tên thủ tục", max_length=200),
    unit: int | None = optional_id_query("đơn vị (gồm các đơn vị tiền thân)"),
    field: int | None = optional_id_query("lĩnh vực"),
    official: str = text_query("mã hoặc tên cán bộ xử lý", max_length=200),
    limit: int = limit_query(),
    offset: int = offset_query(),
):
    unit_filter = _unit_filter(request.user, unit)
    if unit_filter is None:
        return paginate([], limit=limit, offset=offset)
    qs = dossier_list(fetched_by=request.user, query=q, field_id=field, official=official, **unit_filter)
    return paginate(qs.order_by("received_on", "pk"), limit=limit, offset=offset)


@router.get("/dossiers/{pk}", response={200: DossierOut, **READ_ERRORS}, summary="Một hồ sơ")
def dossier_detail(request, pk: int = id_path()):
    return get_visible_or_404(dossier_list(fetched_by=request.user), request.user, pk=pk)


@router.get("/imports", response={200: page_of(ImportRunOut), **READ_ERRORS}, summary="Các lần nhập")
def imports(
    request,
    register_: Literal["tasks", "dossiers"] | None = Query(None, alias="register"),
    limit: int = limit_query(),
    offset: int = offset_query(),
):
    qs = import_run_list(fetched_by=request.user, register=register_ or "")
    return paginate(qs.order_by("-created_at", "-pk"), limit=limit, offset=offset)


@router.get("/imports/{pk}", response={200: ImportRunOut, **READ_ERRORS}, summary="Một lần nhập")
def import_detail(request, pk: int = id_path()):
    return get_visible_or_404(ImportRun, request.user, pk=pk)


@router.post(
    "/registers/{register}/imports",
    response={201: ImportRunOut, **WRITE_ERRORS},
    summary="Nhập sổ từ tệp CSV/Excel",
    description=(
        "Cùng kiểm tra và cùng kết quả như trang Nhập dữ liệu: tệp lỗi có `status` = `rejected` với "
        "`errors` nêu dòng và cột, và không lưu gì; tệp lớn chạy nền (`status` = `pending`, xem "
        "`GET /imports/{id}`). Tệp có dòng tiêu đề của sổ kia (hồ sơ gửi vào sổ nhiệm vụ, hoặc "
        "ngược lại) bị từ chối với mã 400 và lời nhắc chọn đúng sổ. Chỉ quản trị và cán bộ đầu mối."
    ),
)
def import_create(
    request,
    register_: Literal["tasks", "dossiers"] = Path(..., alias="register"),
    file: UploadedFile = File(..., description="CSV hoặc Excel (.xlsx) theo tệp mẫu"),  # noqa: B008
    source: str = Form("import", max_length=50, description="cùng nguồn và cùng mã thì cập nhật"),
    dry_run: bool = Form(False, description="chỉ kiểm tra, không lưu"),
):
    if not request.user.has_role(*IMPORT_ROLES):
        raise PermissionDenied("Chỉ quản trị hệ thống và cán bộ đầu mối được nhập sổ.")
    form = ImportForm(
        data={"register": register_, "source": source, "dry_run": dry_run}, files={"file": file}
    )
    if not form.is_valid():
        raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
    data = form.cleaned_data
    run = import_run_submit(
        actor=request.user,
        register=data["register"],
        upload=data["file"],
        dry_run=data["dry_run"],
        source=data["source"],
    )
    if run.suggested_register:  # the other register's file, found from its headers: a bad request
        raise ValidationError({"file": [run.errors[0]["message"]]})
    return Status(201, run)
