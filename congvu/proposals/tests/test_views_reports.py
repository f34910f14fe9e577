"""The report pages: the list (search, Excel opened and read), the report page for each role, draft
editing by the lead only, creation from the inspection's link; unit roles see only decided proposals
about their unit once submitted; the outsider gets 404 everywhere."""

from datetime import date, datetime

from django.urls import reverse

from congvu.core.testing import xlsx_column, xlsx_rows, xlsx_text
from congvu.proposals import services
from congvu.proposals.models import DirectorReport, Proposal


def _decide(personas, report, value, outcome="accepted"):
    return services.decision_record(
        actor=personas.leadership,
        proposal=report.proposals.get(value=value),
        outcome=outcome,
        document_number="123/QĐ-UBND",
        document_date=date(2026, 11, 20),
        signed_by="Chủ tịch UBND tỉnh Lê Văn A",
    )


def test_list_shows_reports_and_exports_them_to_excel(client, personas, report):
    client.force_login(personas.leadership)
    page = client.get(reverse("proposals:list"))
    assert page.status_code == 200
    assert report.title in page.content.decode()
    rows = xlsx_rows(client.get(reverse("proposals:list"), {"format": "xlsx"}))
    assert rows[0][:4] == ["#", "Loại báo cáo", "Năm", "Trích yếu"]
    assert xlsx_column(rows, "Trích yếu") == [report.title]
    assert xlsx_column(rows, "Số đề xuất") == [4]
    assert xlsx_column(rows, "Đơn vị được kiểm tra") == ["Sở Xây dựng"]


def test_list_search_finds_by_unit_name_without_accents(client, personas, report):
    client.force_login(personas.lead)
    assert report.title in client.get(reverse("proposals:list"), {"q": "so xay dung"}).content.decode()
    assert report.title not in client.get(reverse("proposals:list"), {"q": "tư pháp"}).content.decode()


def test_report_page_shows_results_per_leader_and_the_proposals(client, personas, report, concluded):
    client.force_login(personas.lead)
    body = client.get(reverse("proposals:detail", args=[report.pk])).content.decode()
    assert "Nguyễn Văn Giám Đốc" in body and "Trần Thị Phó" in body
    assert "Chậm tham mưu 3 văn bản" in body  # a confirmed finding
    assert "Thiếu lịch công tác tuần" not in body  # the withdrawn one
    assert "Khiển trách" in body and "Hoàn thành tốt nhiệm vụ" in body
    assert "Số liệu đã chốt" in body
    assert concluded["sample"].title in body
    assert "phát hiện 1 hồ sơ có sai lệch" in body  # the sample's evaluation sentence


def test_report_excel_lists_each_proposal_with_its_decision(client, personas, report):
    services.report_submit(actor=personas.lead, report=report)
    _decide(personas, report, "khien_trach")
    client.force_login(personas.leadership)
    rows = xlsx_rows(client.get(reverse("proposals:detail", args=[report.pk]), {"format": "xlsx"}))
    assert len(rows) == 1 + 4
    by_value = {row[4]: row for row in rows[1:]}
    reprimand = by_value["Khiển trách"]
    assert reprimand[2] == "Trần Thị Phó"
    assert reprimand[7] == "Đồng ý" and reprimand[9] == "123/QĐ-UBND"
    assert reprimand[10] in (date(2026, 11, 20), datetime(2026, 11, 20))  # a real date cell
    assert by_value["Chấn chỉnh"][2] == "" and by_value["Chấn chỉnh"][7] == ""


def test_unit_sees_nothing_until_a_decision_about_it(client, personas, report):
    detail = reverse("proposals:detail", args=[report.pk])
    client.force_login(personas.unit_head)
    assert client.get(detail).status_code == 404
    services.report_submit(actor=personas.lead, report=report)
    assert client.get(detail).status_code == 404
    assert report.title not in client.get(reverse("proposals:list")).content.decode()
    _decide(personas, report, "khien_trach")
    response = client.get(detail)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Khiển trách" in body
    assert "Phê bình Giám đốc" not in body  # undecided proposals stay with the Chairman
    assert "Kết quả kiểm tra" not in body
    rows = xlsx_rows(client.get(detail, {"format": "xlsx"}))
    assert len(rows) == 2 and "Phê bình" not in xlsx_text(rows)


def test_outsider_gets_404_everywhere(client, personas, report):
    services.report_submit(actor=personas.lead, report=report)
    _decide(personas, report, "khien_trach")
    proposal = report.proposals.get(value="khien_trach")
    client.force_login(personas.outsider)
    for url in (
        reverse("proposals:detail", args=[report.pk]),
        reverse("proposals:decide", args=[proposal.pk]),
        reverse("proposals:proposal_edit", args=[proposal.pk]),
        reverse("proposals:for_inspection", args=[report.inspection_id]),
    ):
        assert client.get(url).status_code == 404, url
    assert report.title not in client.get(reverse("proposals:list")).content.decode()
    rows = xlsx_rows(client.get(reverse("proposals:list"), {"format": "xlsx"}))
    assert rows[1:] == []


def test_only_the_lead_edits_a_draft(client, personas, report):
    proposal = report.proposals.get(value="criticism")
    url = reverse("proposals:proposal_edit", args=[proposal.pk])
    data = {"version": proposal.version, "value": "self_criticism", "year": 2025, "reasons": "Kiểm điểm"}
    for user in (personas.inspector, personas.leadership, personas.admin):
        client.force_login(user)
        assert client.post(url, data).status_code == 403
    client.force_login(personas.unit_head)
    assert client.post(url, data).status_code == 404
    client.force_login(personas.lead)
    assert client.post(url, data).status_code == 302
    proposal.refresh_from_db()
    assert proposal.value == "self_criticism" and proposal.reasons == "Kiểm điểm"


def test_a_stale_edit_is_refused(client, personas, report):
    proposal = report.proposals.get(value="criticism")
    client.force_login(personas.lead)
    url = reverse("proposals:proposal_edit", args=[proposal.pk])
    first = {"version": proposal.version, "value": "reminder", "year": 2025, "reasons": "a"}
    assert client.post(url, first).status_code == 302
    response = client.post(url, {**first, "value": "correction"})
    assert response.status_code == 200 and "Không lưu được" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.value == "reminder"


def test_lead_adds_a_classification_and_bad_input_names_the_field(client, personas, report, concluded):
    client.force_login(personas.lead)
    url = reverse("proposals:proposal_add", args=[report.pk])
    before = Proposal.objects.count()
    bad = {"kind": "discipline", "unit": personas.unit.pk, "value": "canh_cao", "year": 2025}
    response = client.post(url, bad)
    assert response.status_code == 200
    assert "Cán bộ: đề nghị kỷ luật và đề xuất xếp loại phải nêu cán bộ" in response.content.decode()
    assert Proposal.objects.count() == before
    good = {
        "kind": "classification",
        "unit": personas.unit.pk,
        "official": concluded["deputy"].pk,
        "value": "hoan_thanh",
        "year": 2025,
        "reasons": "Chưa có kết quả đánh giá năm",
        "findings": [concluded["late"].pk],
    }
    assert client.post(url, good).status_code == 302
    added = Proposal.objects.get(kind="classification", official=concluded["deputy"])
    assert added.origin == "lead" and list(added.findings.all()) == [concluded["late"]]


def test_submitted_report_is_read_only_for_the_lead(client, personas, report):
    services.report_submit(actor=personas.lead, report=report)
    client.force_login(personas.lead)
    assert client.get(reverse("proposals:edit", args=[report.pk])).status_code == 403
    assert client.post(reverse("proposals:submit", args=[report.pk])).status_code == 403
    page = client.get(reverse("proposals:detail", args=[report.pk])).content.decode()
    assert "Ghi quyết định" in page and "Thêm đề xuất" not in page


def test_inspection_link_starts_a_report_then_opens_it(client, personas, concluded, head_year_result):
    inspection = concluded["inspection"]
    client.force_login(personas.lead)
    link = reverse("proposals:for_inspection", args=[inspection.pk])
    start = client.get(link)
    assert start.status_code == 302 and reverse("proposals:create") in start["Location"]
    created = client.post(reverse("proposals:create"), {"kind": "inspection", "inspection": inspection.pk})
    report = DirectorReport.objects.get()
    assert created["Location"] == reverse("proposals:detail", args=[report.pk])
    assert client.get(link)["Location"] == reverse("proposals:detail", args=[report.pk])
    client.force_login(personas.inspector)
    assert client.get(reverse("proposals:create")).status_code == 403


def test_year_report_is_created_from_the_page(client, personas, concluded):
    client.force_login(personas.lead)
    response = client.post(reverse("proposals:create"), {"kind": "year", "year": 2025})
    report = DirectorReport.objects.get(kind="year")
    assert response["Location"] == reverse("proposals:detail", args=[report.pk])
    missing = client.post(reverse("proposals:create"), {"kind": "year", "year": 2019})
    assert "Năm 2019 chưa có cuộc kiểm tra nào đã kết luận" in missing.content.decode()


def test_the_concluded_inspection_page_links_to_its_report(client, personas, concluded):
    url = reverse("inspections:detail", args=[concluded["inspection"].pk])
    link = reverse("proposals:for_inspection", args=[concluded["inspection"].pk])
    client.force_login(personas.lead)
    assert link in client.get(url).content.decode()
    client.force_login(personas.unit_head)
    assert link not in client.get(url).content.decode()


def test_leaders_without_a_classification_are_listed_with_a_prefilled_link(
    client, personas, report, concluded
):
    client.force_login(personas.lead)
    body = client.get(reverse("proposals:detail", args=[report.pk])).content.decode()
    start = body.index('data-testid="without-classification"')
    box = body[start : body.index("</div>", start)]
    assert "Trần Thị Phó" in box and "Nguyễn Văn Giám Đốc" not in box  # the head has a year result
    prefill = f"official={concluded['deputy'].pk}&amp;year=2025"
    assert prefill in box
    form = client.get(
        reverse("proposals:proposal_add", args=[report.pk]),
        {"kind": "classification", "official": concluded["deputy"].pk, "year": 2025},
    ).content.decode()
    assert f'<option value="{concluded["deputy"].pk}" selected>' in form


def test_year_report_shows_the_decisions_already_taken_that_year(client, personas, report):
    services.report_submit(actor=personas.lead, report=report)
    _decide(personas, report, "khien_trach")
    year = services.report_create(actor=personas.lead, kind="year", year=2025)
    client.force_login(personas.leadership)
    body = client.get(reverse("proposals:detail", args=[year.pk])).content.decode()
    start = body.index('data-testid="earlier-table"')
    table = body[start : body.index("</table>", start)]
    assert "Khiển trách" in table and "123/QĐ-UBND" in table and "Chưa quyết định" in table


def test_submission_and_decisions_notify_the_people_concerned(personas, report):
    from congvu.inspections.models import Notification

    services.report_submit(actor=personas.lead, report=report)
    assert Notification.objects.filter(user=personas.leadership, text__startswith="Sở Nội vụ trình").exists()
    assert not Notification.objects.filter(user=personas.unit_head, link__startswith="/proposals/").exists()
    _decide(personas, report, "khien_trach")
    assert Notification.objects.filter(user=personas.unit_head, text__contains="Khiển trách").exists()
    assert not Notification.objects.filter(user=personas.outsider, link__startswith="/proposals/").exists()


def test_lead_drops_a_proposal_from_the_draft_and_it_is_audited(client, personas, report):
    from congvu.core.models import AuditEvent

    proposal = report.proposals.get(value="correction")
    url = reverse("proposals:proposal_delete", args=[proposal.pk])
    client.force_login(personas.inspector)
    assert client.post(url).status_code == 403
    client.force_login(personas.lead)
    assert client.post(url).status_code == 302
    assert not Proposal.objects.filter(pk=proposal.pk).exists()
    event = AuditEvent.objects.get(action="proposal.delete", object_id=str(proposal.pk))
    assert event.before["value"] == "correction"


def test_list_filters_narrow_and_a_bad_value_is_a_form_error(client, personas, report):
    client.force_login(personas.lead)
    url = reverse("proposals:list")

    def shown(params):
        response = client.get(url, params)
        assert response.status_code == 200, params
        body = response.content.decode()
        return report.title in body, 'data-testid="filter-errors"' in body

    assert shown({"kind": "inspection", "status": "draft", "year": report.year}) == (True, False)
    assert shown({"kind": "year"}) == (False, False)
    assert shown({"status": "submitted"}) == (False, False)
    assert shown({"year": report.year - 1}) == (False, False)
    for bad in ("-1", "9" * 30, "²"):
        assert shown({"year": bad, "kind": "inspection"}) == (True, True), bad
        assert shown({"year": bad, "kind": "year"}) == (False, True), bad
    assert shown({"status": "nope", "q": "tư pháp"}) == (False, True)
    rows = xlsx_rows(client.get(url, {"kind": "year", "format": "xlsx"}))
    assert xlsx_column(rows, "Trích yếu") == []


def test_an_outsider_cannot_filter_into_another_units_reports(client, personas, report):
    services.report_submit(actor=personas.lead, report=report)
    _decide(personas, report, "khien_trach")
    client.force_login(personas.outsider_head)
    url = reverse("proposals:list")
    every = ({"q": "so xay dung"}, {"kind": "inspection"}, {"status": "submitted"}, {"year": report.year})
    for params in every:
        assert report.title not in client.get(url, params).content.decode(), params
    assert report.title not in xlsx_text(xlsx_rows(client.get(url, {"kind": "inspection", "format": "xlsx"})))
    client.force_login(personas.unit_head)  # the unit the decision is about does see it, filtered
    assert report.title in client.get(url, {"status": "submitted", "q": "so xay dung"}).content.decode()
