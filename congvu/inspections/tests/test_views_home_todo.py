"""Each role's home page says what to do next: the focal point's open answers and remediation with
due dates and overdue flags, the unit head's answers to approve, the team's items without results
and draft findings, the lead's blocked steps. Links open the exact tab and item; another unit sees
none of it; the page's queries do not grow with the number of inspections."""

from datetime import date

from django.urls import reverse

from congvu.inspections import services
from congvu.inspections.tests.conftest import PERIOD, fill_checklists, move


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def _detail(inspection, tab, anchor):
    return f"{reverse('inspections:detail', args=[inspection.pk])}?tab={tab}#{anchor}"


def _sent_finding(personas, surprise, due=None):
    finding = services.finding_record(
        actor=personas.inspector,
        inspection=surprise,
        description="Công chức một cửa vắng mặt",
        category="violation",
        severity="medium",
    )
    services.finding_send(actor=personas.inspector, finding=finding, explanation_due=due)
    finding.refresh_from_db()
    return finding


def test_the_focal_point_sees_open_requests_with_due_dates_and_overdue_flags(client, personas, inspection):
    move(personas.lead, inspection, "decided")
    move(personas.inspector, inspection, "notified")
    self_report = inspection.document_requests.get(is_self_report=True)  # due 15/07/2025: overdue now
    body = _home(client, personas.focal)
    assert 'data-testid="todo-requests"' in body
    assert _detail(inspection, "documents", f"request-{self_report.pk}") in body
    assert "15/07/2025" in body and "quá hạn" in body
    assert "p-outsider" not in body
    assert 'data-testid="todo-requests"' not in _home(client, personas.outsider)


def test_the_focal_point_sees_explanations_and_remediation_to_write(client, personas, surprise):
    move(personas.lead, surprise, "decided")
    move(personas.inspector, surprise, "on_site")
    finding = _sent_finding(personas, surprise)
    body = _home(client, personas.focal)
    assert _detail(surprise, "findings", f"explanation-{finding.explanation.pk}") in body
    assert finding.explanation.due_on.strftime("%d/%m/%Y") in body
    # After the conclusion: the recommendation to remedy, linked to its card.
    services.finding_withdraw(actor=personas.inspector, finding=finding, note="Đã rõ")
    services.checklist_instantiate(actor=personas.inspector, inspection=surprise)
    fill_checklists(personas.inspector, surprise)
    move(personas.inspector, surprise, "minutes_signed")
    rec = services.recommendation_create(
        actor=personas.inspector,
        inspection=surprise,
        kind="reminder",
        addressee="Giám đốc Sở Xây dựng",
        content="Chấn chỉnh giờ giấc làm việc",
        deadline=date(2025, 9, 1),
    )
    services.inspection_update(
        actor=personas.lead,
        inspection=surprise,
        expected_version=None,
        conclusion_number="30/TB-SNV",
        conclusion_date=date(2025, 8, 1),
    )
    move(personas.lead, surprise, "concluded")
    body = _home(client, personas.focal)
    assert _detail(surprise, "remediation", f"rec-{rec.pk}") in body
    assert 'data-testid="todo-remediation"' in body
    assert "Chấn chỉnh giờ giấc làm việc" not in _home(client, personas.outsider)


def test_the_unit_head_sees_answers_awaiting_approval(client, personas, inspection):
    move(personas.lead, inspection, "decided")
    move(personas.inspector, inspection, "notified")
    request = inspection.document_requests.get(is_self_report=True)
    services.unit_response_save(
        actor=personas.focal, response=request, expected_version=1, response_text="Đã tự kiểm tra"
    )
    services.unit_response_submit(actor=personas.focal, response=request)
    body = _home(client, personas.unit_head)
    assert 'data-testid="todo-approvals"' in body
    assert _detail(inspection, "documents", f"request-{request.pk}") in body
    assert 'data-testid="todo-approvals"' not in _home(client, personas.outsider_head)
    assert 'data-testid="todo-approvals"' not in _home(client, personas.focal)  # the head's job


def test_the_inspector_sees_items_without_results_and_draft_findings(client, personas, surprise):
    move(personas.lead, surprise, "decided")
    move(personas.inspector, surprise, "on_site")
    services.checklist_instantiate(actor=personas.inspector, inspection=surprise)
    sheet = surprise.checklists.get(subject="unit")
    first, second = list(sheet.items.all()[:2])
    services.checklist_item_update(
        actor=personas.inspector, item=first, expected_version=first.version, result="passed", notes=""
    )
    finding = services.finding_record(
        actor=personas.inspector,
        inspection=surprise,
        description="Chưa niêm yết thủ tục",
        category="shortcoming",
        severity="low",
    )
    body = _home(client, personas.inspector)
    assert _detail(surprise, "checklist", f"item-{second.pk}") in body  # the first without a result
    assert _detail(surprise, "findings", f"finding-{finding.pk}") in body
    # The unit sees neither the working checklist nor draft findings.
    unit_body = _home(client, personas.focal)
    assert "Chưa niêm yết thủ tục" not in unit_body and 'data-testid="todo-items"' not in unit_body


def test_the_lead_sees_blocked_steps_with_the_guards_message(client, personas, surprise):
    move(personas.lead, surprise, "decided")
    move(personas.inspector, surprise, "on_site")
    services.checklist_instantiate(actor=personas.inspector, inspection=surprise)
    missing = surprise.checklists.get(subject="unit").items.count()
    body = _home(client, personas.lead)
    assert 'data-testid="todo-blocked"' in body
    assert "Ký biên bản kiểm tra" in body
    assert f"Còn {missing} mục trong phiếu kiểm tra chưa có kết quả." in body
    fill_checklists(personas.inspector, surprise)
    assert 'data-testid="todo-blocked"' not in _home(client, personas.lead)  # unblocked now
    # Neither the unit nor an outsider sees the lead's list.
    assert 'data-testid="todo-blocked"' not in _home(client, personas.focal)
    assert 'data-testid="todo-blocked"' not in _home(client, personas.outsider)


def test_a_draft_inspection_without_a_head_of_team_is_blocked(client, personas):
    services.inspection_create(
        actor=personas.lead,
        kind="surprise",
        unit=personas.unit,
        period_from=PERIOD[0],
        period_to=PERIOD[1],
    )
    body = _home(client, personas.lead)
    assert "Chưa nhập số và ngày quyết định kiểm tra." in body
    assert "Đoàn kiểm tra chưa có trưởng đoàn." in body


def _busy_province(personas, n):
    """n surprise inspections on site with checklists, a draft finding and a sent one each."""
    for i in range(n):
        insp = services.inspection_create(
            actor=personas.lead,
            kind="surprise",
            unit=personas.unit,
            period_from=PERIOD[0],
            period_to=PERIOD[1],
            decision_number=f"{i}/QĐ",
            decision_date=date(2025, 7, 1),
        )
        services.team_member_add(actor=personas.lead, inspection=insp, user=personas.lead, role="head")
        services.team_member_add(actor=personas.lead, inspection=insp, user=personas.inspector, role="member")
        move(personas.lead, insp, "decided")
        move(personas.inspector, insp, "on_site")
        services.checklist_instantiate(actor=personas.inspector, inspection=insp)
        _sent_finding(personas, insp)
        services.finding_record(
            actor=personas.inspector,
            inspection=insp,
            description=f"Dự thảo {i}",
            category="limitation",
            severity="low",
        )


# A body missing from the database cache: the audit head, the miss, the claim (count, read, write),
# the entry (count, read, write), the claim's removal — and the scope's lineage read for the key.
CACHE_MISS = 14


def _queries(client, user, django_assert_max_num_queries, limits):
    """The queries of the home page rendered (its body not yet cached for this data), then of the
    same page again (the body read from the shared cache)."""
    rendered_limit, cached_limit = limits
    client.force_login(user)
    with django_assert_max_num_queries(rendered_limit + CACHE_MISS) as rendered:
        assert client.get(reverse("home")).status_code == 200
    with django_assert_max_num_queries(cached_limit) as cached:
        assert client.get(reverse("home")).status_code == 200
    return len(rendered.captured_queries), len(cached.captured_queries)


def test_home_page_queries_are_pinned_and_do_not_grow_with_inspections(
    client, personas, django_assert_max_num_queries
):
    # Measured on 1 Dec 2026 (session, user, notices badge, to-do lists, overdue blocks, in progress);
    # lead and leadership one more: the second factor's verified device, loaded on each request.
    # Cached (2 Dec 2026): session, user, [device], audit head, [the unit's lineage], the body, the
    # notices badge, [the user's unit in the navigation].
    limits = {
        "focal": (16, 7),
        "unit_head": (16, 7),
        "inspector": (13, 5),
        "lead": (15, 6),
        "leadership": (12, 6),
    }
    _busy_province(personas, 1)
    small = {
        role: _queries(client, getattr(personas, role), django_assert_max_num_queries, limit)
        for role, limit in limits.items()
    }
    _busy_province(personas, 3)
    large = {
        role: _queries(client, getattr(personas, role), django_assert_max_num_queries, limit)
        for role, limit in limits.items()
    }
    assert large == small


def test_a_long_list_of_blocked_steps_is_cut_with_the_rest_counted(client, personas):
    for i in range(12):
        services.inspection_create(
            actor=personas.lead,
            kind="surprise",
            unit=personas.unit,
            title=f"Đột xuất {i}",
            period_from=PERIOD[0],
            period_to=PERIOD[1],
        )
    body = _home(client, personas.lead)
    blocked = body[body.index('data-testid="todo-blocked"') :]
    assert blocked.count("Ban hành quyết định kiểm tra") == 10
    assert "… và 2 bước khác đang bị chặn" in blocked
