"""CSV files that are not UTF-8 (#14 item 4): a Windows-1258 file is read as Vietnamese, never as
Windows-1252 mojibake; TCVN3 and VNI files saved as Windows-1252 are still repaired; a file whose two
readings are both Vietnamese but different is refused naming its lines, and nothing is stored."""

import csv
import io
import unicodedata

import pytest

from congvu.core.text import is_syllable, vietnamese_words
from congvu.registers.imports import import_file
from congvu.registers.models import Dossier, ImportRun, Task
from congvu.registers.readers import open_sheet
from congvu.registers.tests.conftest import DOSSIER_HEADER, TASK_HEADER, dossier, task

Status = ImportRun.Status
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Text as Windows writes it in code page 1258: the letters 1258 has (â ă ê ô ơ ư đ), each tone
    mark apart after its letter (Python's encoder would refuse or keep precomposed letters)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES)) + tones)
    return "".join(out).encode("cp1258")


def csv_text(header, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _import(path, register="dossiers", **kw):
    return import_file(actor="test", register=register, path=path, **kw)


DOSSIERS = [
    dossier("HS-1", procedure="Cấp giấy phép xây dựng nhà ở riêng lẻ", status="Đã trả kết quả"),
    dossier("HS-2", field="dat-dai", procedure="Đăng ký biến động quyền sử dụng đất", status="Đang xử lý"),
]


def test_the_helper_writes_tone_marks_apart():
    assert cp1258("Việt") == b"Vi\xea\xf2t"  # ê, then the dot below
    assert cp1258("Đường") == b"\xd0\xfd\xf5\xccng"  # Đ ư ơ, then the grave
    assert cp1258("Việt").decode("cp1252") == "Viêòt"  # what the import used to store


def test_syllables_tell_vietnamese_from_misread_bytes():
    for word in ("Nguyễn", "hoà", "hòa", "thuở", "khuỷu", "người", "Quốc", "GIẤY", "năm", "Văn"):
        assert is_syllable(word), word
    # 1258 bytes read as 1252, VNI read as 1258, a tone on a closing vowel, ă without a consonant.
    for word in ("Viêòt", "mõì", "Nguyeăn", "Vieät", "hoaì", "Săo", "Ñoă"):
        assert not is_syllable(word), word
    assert vietnamese_words("QĐ số 12/QĐ-UBND, HĐND") == (4, 4)
    assert vietnamese_words("QÐ sô") == (1, 2)  # Ð is the Icelandic eth, not Đ


@pytest.mark.django_db
def test_a_windows_1258_csv_imports_with_correct_vietnamese(org, tmp_path):
    path = tmp_path / "cp1258.csv"
    path.write_bytes(cp1258(csv_text(DOSSIER_HEADER, DOSSIERS)))
    assert "\xd0" in path.read_bytes().decode("latin-1")  # Đ of "Đã", as 1258 writes it
    assert open_sheet(path).encoding == "cp1258"

    run = _import(path)

    assert run.status == Status.STORED, run.errors
    one, two = Dossier.objects.order_by("external_code")
    assert (one.procedure, one.status, one.field, one.unit) == (
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "Đã trả kết quả",
        org.construction,
        org.unit,
    )
    assert unicodedata.is_normalized("NFC", one.procedure)
    assert (two.procedure, two.status, two.field) == (
        "Đăng ký biến động quyền sử dụng đất",
        "Đang xử lý",
        org.land,
    )
    assert two.procedure_folded == "dang ky bien dong quyen su dung dat"
    assert "Tệp CSV được đọc theo bảng mã Windows-1258 (tiếng Việt)." in run.notes
    assert not any("TCVN3" in note or "VNI" in note for note in run.notes)


@pytest.mark.django_db
def test_the_preview_of_a_windows_1258_task_file_names_the_encoding(org, tmp_path):
    path = tmp_path / "nhiem-vu.csv"
    content = "Tham mưu kế hoạch rà soát thủ tục hành chính thuộc lĩnh vực xây dựng"
    path.write_bytes(cp1258(csv_text(TASK_HEADER, [task("NV-1", content=content)])))

    preview = _import(path, register="tasks", dry_run=True)

    assert preview.status == Status.DRY_RUN, preview.errors
    assert preview.created_count == 1
    assert "Tệp CSV được đọc theo bảng mã Windows-1258 (tiếng Việt)." in preview.notes
    assert Task.objects.count() == 0
    stored = _import(path, register="tasks")
    assert stored.status == Status.STORED, stored.errors
    assert Task.objects.get().content == content


VNI_HEADER = ["Maõ hoà sô", "Lónh vöïc", "Thuû tuïc", "Ñôn vò", "Ngaøy tieáp nhaän", "Haïn xöû lyù"]
VNI_ROWS = [
    ["HS-1", "Xaây döïng", "Caáp giaáy pheùp xaây döïng", "Sôû Xaây döïng", "06/01/2025", "20/01/2025"],
    ["HS-2", "Ñaát ñai", "Ñaêng kyù bieán ñoäng ñaát ñai", "Sôû Xaây döïng", "07/01/2025", ""],
]
TCVN3_HEADER = ["M· hå s¬", "LÜnh vùc", "Thñ tôc", "§¬n vÞ", "Ngµy tiÕp nhËn", "H¹n xö lý"]
TCVN3_ROWS = [
    ["HS-1", "X©y dùng", "CÊp giÊy phÐp x©y dùng", "Së X©y dùng", "06/01/2025", "20/01/2025"],
    ["HS-2", "§Êt ®ai", "§¨ng ký biÕn ®éng ®Êt ®ai", "Së X©y dùng", "07/01/2025", ""],
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "rows", "label"), [(VNI_HEADER, VNI_ROWS, "VNI"), (TCVN3_HEADER, TCVN3_ROWS, "TCVN3")]
)
def test_vni_and_tcvn3_bytes_are_still_read_as_1252_and_repaired(org, tmp_path, header, rows, label):
    """A CSV saved from a sheet typed in a legacy font holds the font's bytes: its 1258 reading is not
    Vietnamese, so the 1252 reading wins and the importer repairs it as before."""
    path = tmp_path / "legacy.csv"
    path.write_bytes(csv_text(header, rows).encode("cp1252"))
    raw = path.read_bytes()
    assert raw.decode("cp1258") != raw.decode("cp1252")  # the file holds bytes the two read apart
    assert open_sheet(path).encoding == "cp1252"

    run = _import(path)

    assert run.status == Status.STORED, run.errors
    assert set(Dossier.objects.values_list("procedure", flat=True)) == {
        "Cấp giấy phép xây dựng",
        "Đăng ký biến động đất đai",
    }
    assert set(Dossier.objects.values_list("field", flat=True)) == {org.construction.pk, org.land.pk}
    assert any(label in note for note in run.notes)
    assert not any("Windows-1258" in note for note in run.notes)


@pytest.mark.django_db
def test_a_file_whose_two_readings_are_both_vietnamese_is_refused_naming_its_lines(org, tmp_path):
    """b"V\\xe3n" is "Văn" in 1258 and "Vãn" in 1252; b"n\\xe3m" is "năm" or "nãm": nothing tells."""
    header = b"ma_ho_so,linh_vuc,thu_tuc,ma_don_vi,ngay_tiep_nhan\r\n"
    lines = [
        b"HS-1,xay-dung,Cap phep V\xe3n phong,T-SXD,06/01/2025\r\n",
        b"HS-2,xay-dung,Gia han,T-SXD,06/01/2025\r\n",
        b"HS-3,xay-dung,Cap lai n\xe3m 2025,T-SXD,07/01/2025\r\n",
    ]
    path = tmp_path / "mo-ho.csv"
    path.write_bytes(header + b"".join(lines))

    run = _import(path)

    assert run.status == Status.REJECTED
    assert Dossier.objects.count() == 0
    [error] = run.errors
    message = error["message"]
    assert "dòng 2 (“Văn” hay “Vãn”)" in message
    assert "dòng 4 (“năm” hay “nãm”)" in message
    assert "dòng 3" not in message
    assert "CSV UTF-8" in message


@pytest.mark.django_db
def test_a_western_1252_file_without_ambiguous_bytes_imports_as_before(org, tmp_path):
    header = ["ma_ho_so", "linh_vuc", "thu_tuc", "ma_don_vi", "ngay_tiep_nhan"]
    path = tmp_path / "w.csv"
    path.write_bytes(
        csv_text(header, [["HS-9", "dat-dai", "Café – 24h", "t-sxd", "06/01/2025"]]).encode("cp1252")
    )

    run = _import(path)

    assert run.status == Status.STORED, run.errors
    assert Dossier.objects.get().procedure == "Café – 24h"
    assert open_sheet(path).encoding == "cp1252"
