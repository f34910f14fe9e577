"""Pages of the procedure catalogue (danh mục thủ tục hành chính): the list (everyone signed in), an
administrator's add/correct form, and the page that maps, once, the procedures an import of the
official register did not know."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congvu.core.filters import filter_list
from congvu.core.permissions import require_role, role_required
from congvu.core.scoping import get_visible_or_404
from congvu.core.tables import paginate, sort_queryset, wants_xlsx, xlsx_response
from congvu.core.text import fold
from congvu.org.models import Field
from congvu.registers.filters import ProcedureFilter
from congvu.registers.models import ImportRun, Procedure
from congvu.registers.services import procedure_map, procedure_save

_SORTS = {"name": "name", "code": "code", "field": "field__name"}


class ProcedureForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Tên thủ tục hành chính"), max_length=300)
    code = forms.CharField(label=gettext_lazy("Mã TTHC"), max_length=50, required=False)
    field = forms.ModelChoiceField(label=gettext_lazy("Lĩnh vực"), queryset=Field.objects.order_by("name"))


def _fields_choice(name: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=name, queryset=Field.objects.order_by("name"), required=False, empty_label="—"
    )


@login_required
def procedures(request):
    filters = filter_list(ProcedureFilter, request, Procedure.objects.select_related("field"))
    query = filters.form.cleaned_data.get("q", "") if filters.is_bound and filters.is_valid() else ""
    qs, sort = sort_queryset(request, filters.qs, _SORTS, "name")
    if wants_xlsx(request):
        rows = ((p.name, p.code, p.field.code, p.field.name) for p in qs)
        headers = [_("Tên thủ tục hành chính"), _("Mã TTHC"), _("Mã lĩnh vực"), _("Lĩnh vực")]
        return xlsx_response("danh-muc-tthc.xlsx", headers, rows, sheet=_("Danh mục TTHC"))
    return render(
        request,
        "registers/procedures.html",
        {
            "page": paginate(request, qs),
            "sort": sort,
            "q": query,
            "filters": filters.form,
            "can_edit": request.user.has_role("admin"),
        },
    )


@role_required("admin")
def procedure_edit(request, pk=None):
    procedure = get_object_or_404(Procedure, pk=pk) if pk else None
    initial = {"name": procedure.name, "code": procedure.code, "field": procedure.field} if procedure else {}
    form = ProcedureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            procedure_save(actor=request.user, procedure=procedure, **form.cleaned_data)
        except forms.ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Đã lưu thủ tục vào danh mục."))
            return redirect("registers:procedures")
    return render(request, "registers/procedure_form.html", {"form": form, "procedure": procedure})


@login_required
def import_procedures(request, pk):
    """Give a field to each procedure the import did not know; then the same file imports."""
    run = get_visible_or_404(ImportRun, request.user, pk=pk)  # another unit's run: 404
    require_role(request.user, "admin")
    known = set(Procedure.objects.values_list("name_folded", flat=True))
    names = [n for n in run.unknown_procedures if fold(n) not in known]
    form = forms.Form(request.POST or None)
    for i, name in enumerate(names):
        form.fields[f"p{i}"] = _fields_choice(name)
    if request.method == "POST" and form.is_valid():
        chosen = {
            name: form.cleaned_data[f"p{i}"] for i, name in enumerate(names) if form.cleaned_data[f"p{i}"]
        }
        if not chosen:
            form.add_error(None, _("Chưa chọn lĩnh vực cho thủ tục nào."))
        else:
            procedure_map(actor=request.user, names=chosen)
            messages.success(
                request,
                _("Đã gắn lĩnh vực cho %(n)s thủ tục. Nhập lại tệp để lưu các hồ sơ.") % {"n": len(chosen)},
            )
            return redirect("registers:import", pk=run.pk)
    rows = [(name, form[f"p{i}"]) for i, name in enumerate(names)]
    return render(request, "registers/import_procedures.html", {"run": run, "form": form, "rows": rows})
