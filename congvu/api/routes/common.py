"""Shared parts of the routes: the documented error answers, ids and pagination."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from ninja import Path, Query

from congvu.api.schemas import Error

# Ids are database integers: a bound keeps an absurd id a 422, never a database overflow (500).
MAX_ID = 2**31 - 1
MAX_OFFSET = 10**9

READ_ERRORS = {400: Error, 401: Error, 404: Error, 422: Error, 429: Error}
WRITE_ERRORS = {**READ_ERRORS, 403: Error}


# No control character other than tab and line breaks: the query-string guard of the pages refuses
# them with a 400 before any view, and PostgreSQL cannot hold a NUL in text. Said in the document.
NO_CONTROL = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"


def text_query(description: str = "", max_length: int = 200, default: str = ""):
    return Query(default, max_length=max_length, pattern=NO_CONTROL, description=description)


def id_path(description: str = ""):
    return Path(..., ge=1, le=MAX_ID, description=description)


def limit_query():
    return Query(
        50, ge=1, le=settings.API_PAGE_MAX_LIMIT, description="Số dòng mỗi trang (tối đa theo cấu hình)."
    )


def offset_query():
    return Query(0, ge=0, le=MAX_OFFSET, description="Bỏ qua bao nhiêu dòng đầu.")


def optional_id_query(description: str):
    return Query(None, ge=1, le=MAX_ID, description=description)


def paginate(qs: QuerySet | list, *, limit: int, offset: int) -> dict:
    """One page of an ordered queryset: {count, limit, offset, items}."""
    count = qs.count() if isinstance(qs, QuerySet) else len(qs)
    return {"count": count, "limit": limit, "offset": offset, "items": list(qs[offset : offset + limit])}
