"""Every endpoint is scoped like the pages: another unit's object is a 404 on every detail endpoint,
and lists never carry it."""

import pytest

DETAILS = {
    "task": "/tasks/{}",
    "dossier": "/dossiers/{}",
    "inspection": "/inspections/{}",
    "finding": "/findings/{}",
    "recommendation": "/recommendations/{}",
    "report": "/remediation-reports/{}",
    "sample": "/samples/{}",
}
NESTED = {
    "inspection": ["/inspections/{}/findings", "/inspections/{}/recommendations"],
    "recommendation": ["/recommendations/{}/reports"],
    "sample": ["/samples/{}/items"],
}


def test_outsider_gets_404_on_every_detail_endpoint(world, api):
    token = world.tokens["outsider"]
    for key, path in DETAILS.items():
        mine = world.mine[key].pk
        assert api.get(token, path.format(mine)).status_code == 404, path
        # ... while the outsider's own object of the same kind is there: the 404 is the scope.
        assert api.get(token, path.format(world.theirs[key].pk)).status_code == 200, path
    for key, paths in NESTED.items():
        for path in paths:
            assert api.get(token, path.format(world.mine[key].pk)).status_code == 404, path
            assert api.get(token, path.format(world.theirs[key].pk)).status_code == 200, path


@pytest.mark.parametrize("role", ["focal", "unit_head"])
def test_unit_roles_get_404_on_the_other_units_objects(world, api, role):
    for key, path in DETAILS.items():
        assert api.get(world.tokens[role], path.format(world.theirs[key].pk)).status_code == 404, path
        assert api.get(world.tokens[role], path.format(world.mine[key].pk)).status_code == 200, path


@pytest.mark.parametrize("role", ["admin", "inspector", "lead", "leadership"])
def test_province_roles_see_both_units(world, api, role):
    for key, path in DETAILS.items():
        assert api.get(world.tokens[role], path.format(world.mine[key].pk)).status_code == 200, path
        assert api.get(world.tokens[role], path.format(world.theirs[key].pk)).status_code == 200, path


def test_lists_carry_only_the_users_unit(world, api):
    unit_id = world.personas.unit.pk
    for path in ["/tasks", "/dossiers", "/inspections", "/samples"]:
        mine = api.get(world.tokens["focal"], path, limit=500).json()
        assert mine["count"] > 0, path
        assert {item["unit"] for item in mine["items"]} == {unit_id}, path
        everyone = api.get(world.tokens["admin"], path, limit=500).json()
        assert everyone["count"] > mine["count"], path


def test_filtering_by_another_units_id_finds_nothing_for_a_unit_role(world, api):
    other = world.personas.other_unit.pk
    page = api.get(world.tokens["focal"], "/tasks", unit=other).json()
    assert page["count"] == 0 and page["items"] == []
    assert api.get(world.tokens["admin"], "/tasks", unit=other).json()["count"] == 3


def test_metrics_of_another_unit_is_404_and_all_units_means_the_visible_ones(world, api):
    assert api.get(world.tokens["outsider"], "/metrics", unit=world.personas.unit.code).status_code == 404
    rows = api.get(world.tokens["focal"], "/metrics", register="dossiers").json()["rows"]
    assert [r["code"] for r in rows] == [world.personas.unit.code]
    rows = api.get(world.tokens["admin"], "/metrics", register="dossiers").json()["rows"]
    assert {r["code"] for r in rows} == {world.personas.unit.code, world.personas.other_unit.code}


def test_the_team_does_not_read_a_remediation_report_before_the_unit_head_approves(world, api):
    report = world.mine["report"]
    as_team = api.get(world.tokens["inspector"], f"/remediation-reports/{report.pk}").json()
    as_unit = api.get(world.tokens["focal"], f"/remediation-reports/{report.pk}").json()
    assert as_team["response_status"] == "draft" and as_team["response_text"] is None
    assert as_unit["response_text"] == "SXD: đã chấn chỉnh"


def test_a_sample_never_gives_out_its_seed(world, api):
    sample = api.get(world.tokens["admin"], f"/samples/{world.mine['sample'].pk}").json()
    assert "seed" not in sample and len(sample["seed_commitment"]) == 64


def test_a_samples_items_are_its_drawn_records(world, api):
    sample = world.mine["sample"]
    page = api.get(world.tokens["focal"], f"/samples/{sample.pk}/items").json()
    assert page["count"] == sample.items.count() == 3
    codes = {item["record_code"] for item in page["items"]}
    assert all(code.startswith("SXD-HS-") for code in codes)
