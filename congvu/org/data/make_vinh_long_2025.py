"""Regenerates `vinh_long_2025.json`: the pre-1 Jul 2025 districts and communes of Trà Vinh, Bến Tre and
Vĩnh Long and which commune(s) of the new Vĩnh Long province each became.

`vietnam-provinces` (our dependency) lists only the units after 1 Jul 2025. The legacy units and the
old → new mapping come from the MIT-licensed dataset of `vietnamadminunits` 1.0.4 (© 2025 Tran Ngoc Minh
Hieu, see LICENSE-vietnamadminunits beside this file). That package is not a dependency of Công vụ (it
pulls shapely and geopy); this script only reads its data files, so run it by hand when the data change:

    pip download --no-deps -d /tmp/vau vietnamadminunits==1.0.4 && unzip -q /tmp/vau/*.whl -d /tmp/vau
    python congvu/org/data/make_vinh_long_2025.py /tmp/vau/vietnamadminunits/data

Cleaning: a few old communes appear as split between two new communes only because another commune of
the same name exists elsewhere in the province (e.g. Xã Mỹ An of Mang Thít "split" into Xã Thạnh Phú,
60 km away). A split target farther than 20 km from the old commune is dropped.
"""

import json
import math
import sqlite3
import sys
from pathlib import Path

from vietnam_provinces import ProvinceCode, Ward

OLD_PROVINCES = {"83": "BT", "84": "TV", "86": "VLC"}
KINDS = {"Xã": "commune", "Thị trấn": "commune", "Phường": "ward"}
MAX_SPLIT_KM = 20.0


def _km(lat1, lon1, lat2, lon2) -> float:
    return math.hypot((lat1 - lat2) * 111.0, (lon1 - lon2) * 111.0 * math.cos(math.radians(lat1)))


def main(data_dir: Path) -> dict:
    db = sqlite3.connect(data_dir / "dataset.db")
    db.row_factory = sqlite3.Row
    converter = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))
    placeholders = ",".join("?" * len(OLD_PROVINCES))
    legacy = {
        f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}": dict(r)
        for r in db.execute(
            f"SELECT * FROM admin_units_legacy WHERE provinceCode IN ({placeholders})", list(OLD_PROVINCES)
        )
    }
    new = {r["wardKey"]: dict(r) for r in db.execute("SELECT * FROM admin_units WHERE provinceCode = '86'")}
    # The new communes' codes are those of `vietnam-provinces`, matched by name (the two sources differ
    # on one code: Xã Song Phú is 29752 there, 29740 here).
    official = {w.name: str(int(w.code)) for w in Ward.iter_by_province(ProvinceCode.P_86)}
    if sorted(official) != sorted(r["ward"] for r in new.values()):
        raise SystemExit("the new communes differ from those of vietnam-provinces")
    for row in new.values():
        row["wardCode"] = official[row["ward"]]

    successors: dict[str, list[str]] = {}
    for new_key, old_keys in converter["DICT_PROVINCE_WARD_NO_DIVIDED"]["tinhvinhlong"].items():
        for old_key in old_keys:
            successors.setdefault(legacy[old_key]["wardCode"], []).append(new[new_key]["wardCode"])
    for old_key, targets in converter["DICT_PROVINCE_WARD_DIVIDED"]["tinhvinhlong"].items():
        old = legacy[old_key]
        kept = [
            new[t["newWardKey"]]["wardCode"]
            for t in sorted(targets, key=lambda t: not t["isDefaultNewWard"])
            if _km(old["wardLat"], old["wardLon"], t["newWardLat"], t["newWardLon"]) <= MAX_SPLIT_KM
        ]
        successors.setdefault(old["wardCode"], []).extend(kept)
    missing = [r["wardCode"] for r in legacy.values() if r["wardCode"] not in successors]
    if missing:
        raise SystemExit(f"old communes without a successor: {missing}")

    provinces = sorted({(r["provinceCode"], r["province"]) for r in legacy.values()})
    districts = sorted({(r["districtCode"], r["district"], r["provinceCode"]) for r in legacy.values()})
    communes = sorted(
        (r["wardCode"], r["ward"], KINDS[r["wardType"]], r["districtCode"]) for r in legacy.values()
    )
    return {
        "source": "vietnamadminunits 1.0.4 (MIT, (c) 2025 Tran Ngoc Minh Hieu), cleaned by "
        "make_vinh_long_2025.py",
        "provinces": [{"code": c, "name": n, "prefix": OLD_PROVINCES[c]} for c, n in provinces],
        "districts": [{"code": c, "name": n, "province": p} for c, n, p in districts],
        "communes": [{"code": c, "name": n, "kind": k, "district": d} for c, n, k, d in communes],
        "successors": {k: successors[k] for k in sorted(successors)},
    }


if __name__ == "__main__":
    data = main(Path(sys.argv[1]))
    out = Path(__file__).with_name("vinh_long_2025.json")
    # One record per line: small diffs when the data change.
    lines = ["{", f' "source": {json.dumps(data["source"], ensure_ascii=False)},']
    for key in ("provinces", "districts", "communes"):
        rows = [json.dumps(row, ensure_ascii=False) for row in data[key]]
        lines.append(f' "{key}": [\n  ' + ",\n  ".join(rows) + "\n ],")
    rows = [f"{json.dumps(k)}: {json.dumps(v)}" for k, v in data["successors"].items()]
    lines.append(' "successors": {\n  ' + ",\n  ".join(rows) + "\n }")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    assert json.loads(text) == data
    out.write_text(text, encoding="utf-8")
    print(f"{out}: {len(data['districts'])} districts, {len(data['communes'])} communes")
