"""Scoped reads of documents (STYLE §4): a unit sees the issued documents addressed to it (and, for an
inspection's documents, only once it may see the inspection); drafts are the team's; province-wide
readers see all. Another unit's document is a 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from congvu.core.scoping import get_visible_or_404
from congvu.documents.models import Document, DocumentStatus, DocumentTemplate, Issuer
from congvu.documents.policy import reads_drafts
from congvu.inspections.selectors import inspections_visible


def documents_visible(fetched_by) -> QuerySet:
    qs = Document.objects.visible_to(fetched_by)
    if reads_drafts(fetched_by):
        return qs
    return qs.filter(status=DocumentStatus.ISSUED).filter(
        Q(inspection__isnull=True) | Q(inspection__in=inspections_visible(fetched_by))
    )


def document_list(*, fetched_by) -> QuerySet:
    """The documents the user may see, for the list (narrowed by `documents.filters.DocumentFilter`)."""
    return documents_visible(fetched_by).select_related("issuer", "addressed_unit", "inspection", "plan")


def document_get(*, fetched_by, pk) -> Document:
    return get_visible_or_404(
        documents_visible(fetched_by).select_related("issuer__unit", "addressed_unit", "inspection", "plan"),
        fetched_by,
        pk=pk,
    )


def documents_for_target(*, fetched_by, target_ref: str) -> QuerySet:
    return documents_visible(fetched_by).filter(target_ref=target_ref).order_by("kind", "-pk")


def issuer_default() -> Issuer | None:
    return Issuer.objects.select_related("unit").filter(is_default=True).first() or (
        Issuer.objects.select_related("unit").order_by("pk").first()
    )


def issuer_list(*, fetched_by) -> QuerySet:
    """Issuing bodies are configuration: the staff who write and read documents see them."""
    if not reads_drafts(fetched_by):
        return Issuer.objects.none()
    return Issuer.objects.select_related("unit")


def issuer_get(*, fetched_by, pk) -> Issuer:
    try:
        return issuer_list(fetched_by=fetched_by).get(pk=pk)
    except (Issuer.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def active_template(*, issuer: Issuer, kind: str) -> DocumentTemplate | None:
    return DocumentTemplate.objects.filter(issuer=issuer, kind=kind, is_active=True).first()


def template_history(*, issuer: Issuer) -> QuerySet:
    return DocumentTemplate.objects.filter(issuer=issuer).select_related("uploaded_by")
