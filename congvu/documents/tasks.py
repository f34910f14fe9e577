"""Background jobs of the documents app (django-tasks, database backend; `congvu db_worker` runs
them). Thin: an id in, a service call (STYLE §13)."""

from django_tasks import task


@task()
def document_pdf_job(document_id: int) -> str:
    """Convert an issued document's stored DOCX to PDF with LibreOffice headless."""
    from congvu.documents.services import document_pdf_convert

    return document_pdf_convert(document_id=document_id).pdf_status
