from congvu.core.text import fold, nfc


def test_fold_removes_diacritics_and_case():
    assert fold("Nguyễn  Văn An") == "nguyen van an"
    assert fold("ĐẶNG Thị Đào") == "dang thi dao"


def test_fold_matches_decomposed_input():
    decomposed = "Nguye\u0302\u0303n"
    assert fold(decomposed) == "nguyen"
    assert nfc(decomposed) == "Nguyễn"
