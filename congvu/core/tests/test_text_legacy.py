"""Repair of text typed with the legacy TCVN3 (ABC) and VNI fonts, on real sentences."""

import json
import unicodedata
from pathlib import Path

import pytest

from congvu.core.text import (
    TCVN3_TABLE,
    VNI_LETTERS,
    VNI_MODIFIER_MARKS,
    detect_legacy,
    fold,
    nfc,
    repair_legacy,
)

# As they appear in provincial spreadsheets typed with .VnTime / VNI-Times (hand-typed here, the way
# Excel shows them when the legacy font is replaced by a Unicode one).
TCVN3_SAMPLES = [
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
    ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
    ("M· hå s¬", "Mã hồ sơ"),
    ("Ng\xadêi xö lý", "Người xử lý"),
    ("Së X©y dùng", "Sở Xây dựng"),
    ("CÊp giÊy phÐp x©y dùng", "Cấp giấy phép xây dựng"),
    ("§¨ng ký khai sinh", "Đăng ký khai sinh"),
    ("Ngµy tiÕp nhËn", "Ngày tiếp nhận"),
    ("§· tr¶ kÕt qu¶", "Đã trả kết quả"),
    ("NÕu", "Nếu"),
    ("Thñ tôc", "Thủ tục"),  # ñ after a consonant: TCVN3's ủ, not VNI's đ
    ("§¬n vÞ", "Đơn vị"),
]
# .VnTimeH: capitals drawn from the lower-case codes.
TCVN3_CAPITAL_SAMPLES = [
    ("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("UBND HUYÖN Cµng Long", "UBND HUYỆN Càng Long"),
]
VNI_SAMPLES = [
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
    ("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("Ngöôøi xöû lyù", "Người xử lý"),
    ("Thuû tuïc", "Thủ tục"),
    ("Ñaêng kyù kinh doanh", "Đăng ký kinh doanh"),
    ("Sôû Xaây döïng", "Sở Xây dựng"),
    ("Caáp giaáy pheùp xaây döïng", "Cấp giấy phép xây dựng"),
    ("Ngaøy tieáp nhaän", "Ngày tiếp nhận"),
]
# Ordinary Unicode Vietnamese, including words made only of Latin-1 letters, and other text.
UNICODE_SAMPLES = [
    "Hoà Bình",
    "Khánh Hoà",
    "Thanh Hoá",
    "Cà Mau",
    "Tây Ninh",
    "Trà Vinh",
    "Trà Ôn",
    "Càng Long",
    "Châu Thành",
    "Bình Tân",
    "Tam Bình",
    "Quý",
    "Thuý",
    "mét",
    "Hoàn thành",
    "Sở Nội vụ",
    "Đã trả kết quả",
    "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Café 30°C",
    "Điều 5 § 2",
    "hello world",
    "",
]


@pytest.mark.parametrize(("legacy", "unicode"), TCVN3_SAMPLES + TCVN3_CAPITAL_SAMPLES)
def test_tcvn3_text_is_detected_and_repaired(legacy, unicode):
    assert detect_legacy(legacy) == "tcvn3"
    assert repair_legacy(legacy) == unicode


@pytest.mark.parametrize(("legacy", "unicode"), VNI_SAMPLES)
def test_vni_text_is_detected_and_repaired(legacy, unicode):
    assert detect_legacy(legacy) == "vni"
    assert repair_legacy(legacy) == unicode


@pytest.mark.parametrize("text", UNICODE_SAMPLES)
def test_unicode_and_ascii_text_is_left_alone(text):
    assert detect_legacy(text) is None
    assert repair_legacy(text) == text


def test_decomposed_unicode_is_not_mistaken_for_legacy():
    decomposed = unicodedata.normalize("NFD", "Cấp giấy phép xây dựng")
    assert detect_legacy(decomposed) is None


def test_repaired_text_is_nfc_and_folds_like_unicode():
    repaired = repair_legacy("Ng\xadêi xö lý")
    assert repaired == nfc(repaired)
    assert fold(repaired) == fold("Người xử lý") == "nguoi xu ly"


def test_forced_encoding_converts_ambiguous_text_but_never_unicode():
    assert detect_legacy("tèt") is None  # could be either; alone it proves nothing
    assert repair_legacy("tèt", encoding="tcvn3") == "tốt"
    assert repair_legacy("Sở Nội vụ", encoding="tcvn3") == "Sở Nội vụ"


# --- Round trips over a real corpus: the province's unit names and the directive ---------------

_TCVN3_ENCODE = {letter: code for code, letter in TCVN3_TABLE.items()}


def _canonical(marks: str) -> str:
    return unicodedata.normalize("NFD", "a" + marks)[1:]


_VNI_MARKS_ENCODE = {_canonical(m): code for code, m in VNI_MODIFIER_MARKS.items() if code.islower()}
_VNI_MARKS_ENCODE_UPPER = {_canonical(m): code for code, m in VNI_MODIFIER_MARKS.items() if code.isupper()}
_VNI_LETTER_ENCODE = {letter: code for code, letter in VNI_LETTERS.items()}


def to_tcvn3(text: str) -> str:
    """What .VnTime stores: TCVN3 has no toned capitals, so they are written with lower-case codes."""
    out = []
    for ch in text:
        if ch in _TCVN3_ENCODE:
            out.append(_TCVN3_ENCODE[ch])
        elif ch.lower() in _TCVN3_ENCODE and ch.lower() != ch and ch.lower() not in "ăâêôơưđ":
            out.append(_TCVN3_ENCODE[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)


def to_vni(text: str) -> str:
    out = []
    for ch in text:
        if ch in _VNI_LETTER_ENCODE and ch not in "íìÍÌ":
            out.append(_VNI_LETTER_ENCODE[ch])
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        if not marks or base.lower() not in "aeiouy":
            out.append(ch)
            continue
        horn = "\u031b" in marks
        marks = marks.replace("\u031b", "")
        if horn:
            base = {"o": "ô", "u": "ö", "O": "Ô", "U": "Ö"}[base]
        if base.lower() == "i" or (base.lower() == "y" and marks == "\u0323"):
            out.append(_VNI_LETTER_ENCODE.get(ch, ch))
            continue
        encode = _VNI_MARKS_ENCODE_UPPER if base.isupper() else _VNI_MARKS_ENCODE
        out.append(base + encode[marks] if marks else base)
    return "".join(out)


def _corpus() -> list[str]:
    root = Path(__file__).resolve().parents[2]
    data = json.loads((root / "org" / "data" / "vinh_long_2025.json").read_text(encoding="utf-8"))
    names: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str) and not node.isascii():
            names.add(node)

    walk(data)
    sentences = [
        "Tăng cường chất lượng công tác kiểm tra công vụ trên địa bàn tỉnh",
        "Kiểm tra ngẫu nhiên hồ sơ cụ thể trên từng lĩnh vực",
        "Thời gian xử lý công việc từ khâu tiếp nhận, xử lý đến tham mưu",
        "Chủ động tham mưu Ủy ban nhân dân tỉnh ban hành văn bản quy phạm pháp luật",
        "Đề xuất Chủ tịch Ủy ban nhân dân tỉnh xử lý những tồn tại, hạn chế",
        "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở",
        "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    ]
    return sorted(names) + sentences


def test_the_province_names_are_unicode_and_round_trip_through_both_encodings():
    corpus = _corpus()
    assert len(corpus) > 100
    checked = 0
    for text in corpus:
        assert detect_legacy(text) is None, text
        vni = to_vni(text)
        if vni != text:
            assert repair_legacy(vni, encoding="vni") == nfc(text), text
        tcvn3 = to_tcvn3(text)
        lossless = all(c.isascii() or c in "ĂÂĐÊÔƠƯ" for c in text if c.isupper())
        if tcvn3 != text and lossless:
            assert repair_legacy(tcvn3, encoding="tcvn3") == nfc(text), text
            checked += 1
    assert checked > 100


def test_whole_sentences_are_detected_in_each_encoding():
    for text in _corpus()[-7:]:
        assert detect_legacy(to_tcvn3(text)) == "tcvn3", text
        assert detect_legacy(to_vni(text)) == "vni", text
        assert repair_legacy(to_vni(text)) == nfc(text)


def test_short_names_are_detected_per_cell_and_never_as_the_other_encoding():
    detected = {"tcvn3": 0, "vni": 0}
    total = 0
    for text in _corpus():
        vni, tcvn3 = to_vni(text), to_tcvn3(text)
        if vni == text:
            continue
        total += 1
        assert detect_legacy(vni) != "tcvn3", vni
        assert detect_legacy(tcvn3) != "vni", tcvn3
        detected["vni"] += detect_legacy(vni) == "vni"
        detected["tcvn3"] += detect_legacy(tcvn3) == "tcvn3"
    assert detected["vni"] >= 0.95 * total
    assert detected["tcvn3"] >= 0.95 * total
