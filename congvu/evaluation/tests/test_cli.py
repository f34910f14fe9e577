"""`congvu evaluate score|quota`: the stable CLI contract (JSON in, JSON out, errors naming fields)."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

CONGVU = str(Path(sys.executable).parent / "congvu")


def run(tmp_path, action, payload, fmt="json"):
    path = tmp_path / "input.json"
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload), encoding="utf-8")
    out = StringIO()
    call_command("evaluate", action, str(path), "--format", fmt, stdout=out)
    return json.loads(out.getvalue()) if fmt == "json" else out.getvalue()


def error(tmp_path, action, payload):
    with pytest.raises(CommandError) as err:
        run(tmp_path, action, payload)
    return str(err.value)


STAFF = {
    "role": "staff",
    "general_points": {"chinh_tri": 10, "nang_luc": 8, "doi_moi": 6},
    "products": [
        {"id": "P1", "assigned": True, "completed": True, "on_time": False, "quality_ok": True, "delays": 1,
         "quality_failures": 0, "excused": False, "weight": 2.4},
        {"id": "P2", "assigned": True, "completed": True, "on_time": True, "quality_ok": True, "delays": 0,
         "quality_failures": 0, "excused": False, "weight": 0.3},
        {"id": "P3", "assigned": True, "completed": True, "on_time": True, "quality_ok": True, "delays": 0,
         "quality_failures": 0, "excused": False, "weight": 0.8, "field": "dat_dai"},
    ],
    "period": "Quý I/2026",  # not in the contract: ignored
}  # fmt: skip


def test_score_staff_sheet_in_json_is_exact_through_decimal_text(tmp_path):
    # Weights 2.4 (late once), 0.3, 0.8 and general 24: task 66, total exactly 90 (floats: 89.999…).
    data = run(tmp_path, "score", STAFF)
    assert data["total"] == 90
    assert data["total_exact"] == "90/1"
    assert data["band"] == data["band_by_score"] == "xuat_sac"
    assert data["task_points"] == 66
    assert data["general_points"] == 24
    assert (data["a"], data["b"]) == (100, 100)
    assert data["c"] == 82.8571  # 2900/35 = 82.857142… rounded to 4 decimals
    assert data["override"] is None
    assert "d" not in data
    texts = [line["text"] for line in data["explanation"]]
    assert any("P1 trễ hạn 1 lần: trừ 25% điểm tiến độ" in t for t in texts)


def test_score_leader_sheet_outputs_d_dd_e(tmp_path):
    payload = {
        "role": "head",
        "general_points": {"chung": 30},
        "products": [{"id": "P1", "completed": True, "weight": 1}],
        "leader": {
            "portfolio_fields": None,
            "subordinates": [{"id": "CC-1", "field": None, "score": 49.99}],
            "unit_all_planned_tasks_on_time_and_quality": True,
            "unity_ok": True,
        },
    }
    data = run(tmp_path, "score", payload)
    # d = 50 → task = 550/6 × 0.7 = 385/6 = 64.1666…; total 565/6 = 94.1666…
    assert (data["d"], data["dd"], data["e"]) == (50, 100, 100)
    assert data["task_points"] == 64.1667
    assert data["total_exact"] == "565/6"


def test_score_override_from_discipline(tmp_path):
    payload = {**STAFF, "discipline": {"reprimand_or_higher_in_year": True}}
    data = run(tmp_path, "score", payload)
    assert (data["band_by_score"], data["band"], data["override"]) == (
        "xuat_sac",
        "khong_hoan_thanh",
        "reprimand_or_higher_in_year",
    )


def test_score_year_from_period_totals(tmp_path):
    # (90 + 90 + 89.99) / 3 = 26999/300 = 89.99666… → tot
    data = run(tmp_path, "score", {"period_totals": [90, 90, 89.99]})
    assert data["total_exact"] == "26999/300"
    assert data["total"] == 89.9967
    assert data["band"] == "tot"
    assert data["periods"] == 3


def test_score_with_rule_overrides(tmp_path):
    payload = {**STAFF, "rules": {"deduction_reading": "R2"}}
    data = run(tmp_path, "score", payload)
    # R2: P1 (2.4 of 3.5) earns 0 in c: c = 1.1 / 3.5 = 11/35 = 31.4286 %.
    assert data["c"] == 31.4286


def test_score_nd90_conditions(tmp_path):
    payload = {
        "rule_set": "nd90_2020",
        "conditions": {
            "role": "staff",
            "general_criteria_level": "tot",
            "tasks_total": 10,
            "tasks_completed": 10,
            "tasks_on_time_quality": 8,
        },
    }
    data = run(tmp_path, "score", payload)
    assert (data["band"], data["decided_by"], data["classified"]) == ("hoan_thanh", "ht_conditions", True)


def test_table_format_for_humans(tmp_path):
    text = run(tmp_path, "score", STAFF, fmt="table")
    assert "Hoàn thành xuất sắc nhiệm vụ" in text
    assert "90/1" in text


def test_quota_in_json(tmp_path):
    # 9 good + 3 candidates → 2 places (E = 2 leaves T = 10, 2 ≤ 2); X3 moved down.
    members = [{"id": f"X{i}", "total_points": t} for i, t in ((1, 99), (2, 97), (3, 95))]
    members += [{"id": f"G{i}", "total_points": 80, "group": "chuyen_vien"} for i in range(9)]
    data = run(tmp_path, "quota", {"members": members, "organisation_recognised_outstanding": False})
    assert data["max_excellent"] == 2
    assert data["over_quota"] == ["X3"]
    assert data["bands"]["X1"] == "xuat_sac"
    assert data["bands"]["X3"] == "tot"
    assert data["ties"] == []


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda p: p["products"][2].update(weight=-1), "products[2].weight: phải là số không âm"),
        (lambda p: p["products"][2].update(weight="abc"), "products[2].weight: phải là số không âm"),
        (lambda p: p["products"][0].pop("completed"), "products[0].completed: bắt buộc"),
        (lambda p: p["products"][1].update(delays=1.5), "products[1].delays: phải là số nguyên không âm"),
        (lambda p: p["products"][1].update(excused="yes"), "products[1].excused: phải là true hoặc false"),
        (lambda p: p.update(role="boss"), "role: phải là staff, deputy hoặc head"),
        (lambda p: p["general_points"].update(doi_moi=13), "general_points: tổng 31 điểm vượt quá tối đa 30"),
        (lambda p: p["general_points"].update(doi_moi=-1), "general_points.doi_moi: phải là số không âm"),
        (lambda p: p.update(rules={"quota_ratio": 2}), "rules.quota_ratio: phải nằm trong khoảng từ 0 đến 1"),
        (lambda p: p.update(rule_set="nd1"), "rule_set:"),
        (lambda p: p.update(role="deputy", leader={"unity_ok": True}), "leader.portfolio_fields: bắt buộc"),
    ],
)
def test_bad_sheet_is_refused_naming_the_field(tmp_path, mutate, message):
    payload = json.loads(json.dumps(STAFF))
    mutate(payload)
    assert message in error(tmp_path, "score", payload)


def test_bad_json_and_bad_quota_input(tmp_path):
    assert "FILE: không phải JSON hợp lệ" in error(tmp_path, "score", "{not json")
    assert "period_totals: cần ít nhất một kỳ" in error(tmp_path, "score", {"period_totals": []})
    assert "period_totals[1]: phải là số không âm" in error(tmp_path, "score", {"period_totals": [80, "x"]})
    assert "members[0].total_points: bắt buộc" in error(tmp_path, "quota", {"members": [{"id": "A"}]})
    assert "members[1].id:" in error(
        tmp_path, "quota", {"members": [{"id": "A", "total_points": 90}, {"id": "A", "total_points": 80}]}
    )


def test_exit_status_zero_and_the_answer_alone_on_stdout(tmp_path, capsys):
    """Through the `congvu` script's entry point in this process (booting a second Django costs ~3.5 s
    of CPU); the test below runs the real process, for the error."""
    from django.core.management import execute_from_command_line

    good = tmp_path / "good.json"
    good.write_text(json.dumps(STAFF), encoding="utf-8")
    try:
        execute_from_command_line(["congvu", "evaluate", "score", str(good), "--format", "json"])
        status = 0
    except SystemExit as exc:
        status = exc.code
    out = capsys.readouterr()
    assert status in (0, None), out.err
    assert json.loads(out.out)["band"] == "xuat_sac"
    assert out.err == ""


def test_process_exit_codes_and_nothing_on_stdout_on_error(tmp_path):
    """The real `congvu` process (the console script), for a refused sheet."""
    bad = tmp_path / "bad.json"
    payload = json.loads(json.dumps(STAFF))
    payload["products"][2]["weight"] = -1
    bad.write_text(json.dumps(payload), encoding="utf-8")
    failed = subprocess.run(
        [CONGVU, "evaluate", "score", str(bad), "--format", "json"], capture_output=True, text=True
    )
    assert failed.returncode != 0
    assert failed.stdout == ""
    assert "products[2].weight: phải là số không âm" in failed.stderr


def test_quota_for_decree_90_bands(tmp_path):
    members = [{"id": i, "band": "xuat_sac"} for i in ("A", "B", "C")]
    members += [{"id": f"G{i}", "band": "tot"} for i in range(9)]
    data = run(tmp_path, "quota", {"rule_set": "nd90_2020", "members": members, "order": ["C", "B", "A"]})
    assert data["max_excellent"] == 2
    assert data["over_quota"] == ["A"]
    assert "members[1].band: phải là một trong" in error(
        tmp_path, "quota", {"members": [{"id": "A", "band": "tot"}, {"id": "B", "band": "gioi"}]}
    )
