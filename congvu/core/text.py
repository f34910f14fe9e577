"""Vietnamese text helpers: Unicode NFC, accent folding for search and matching, and repair of text
typed with the legacy TCVN3 (ABC) and VNI fonts.

Legacy text: before Unicode, Vietnamese was typed with 8-bit fonts (.VnTime for TCVN3, VNI-Times for
VNI). A spreadsheet saved as Unicode keeps those bytes as the Latin-1 look-alikes the font drew over:
"Céng hoµ" (TCVN3) or "Coäng hoøa" (VNI) for "Cộng hoà". `detect_legacy` scores a string for each
encoding from characters and pairs that Unicode Vietnamese never uses; `repair_legacy` converts it.
"""

from __future__ import annotations

import re
import unicodedata

_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def fold(value: str | None) -> str:
    """Lower case without diacritics, single-spaced: 'Nguyễn  Văn An' -> 'nguyen van an'."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value.translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


# --- Legacy encodings ----------------------------------------------------------------------

# The twelve vowels with their five toned forms, in the order huyền, hỏi, ngã, sắc, nặng.
_TONED = {
    "a": "àảãáạ",
    "ă": "ằẳẵắặ",
    "â": "ầẩẫấậ",
    "e": "èẻẽéẹ",
    "ê": "ềểễếệ",
    "i": "ìỉĩíị",
    "o": "òỏõóọ",
    "ô": "ồổỗốộ",
    "ơ": "ờởỡớợ",
    "u": "ùủũúụ",
    "ư": "ừửữứự",
    "y": "ỳỷỹýỵ",
}

# TCVN 5712:1993 VN3, the table of the .VnTime fonts: one code per toned lower-case vowel (same order
# as _TONED), the seven plain letters, and seven capitals. Toned capitals have no code of their own:
# the .VnTimeH fonts draw the lower-case codes as capitals (see _restore_capitals).
_TCVN3_TONED = {
    "a": "µ¶·¸¹",
    "ă": "»¼½¾Æ",
    "â": "ÇÈÉÊË",
    "e": "ÌÎÏÐÑ",
    "ê": "ÒÓÔÕÖ",
    "i": "×ØÜÝÞ",
    "o": "ßáâãä",
    "ô": "åæçèé",
    "ơ": "êëìíî",
    "u": "ïñòóô",
    "ư": "õö÷øù",
    "y": "úûüýþ",
}
_TCVN3_PLAIN = {"¨": "ă", "©": "â", "ª": "ê", "«": "ô", "¬": "ơ", "\xad": "ư", "®": "đ"}
_TCVN3_CAPITALS = {"¡": "Ă", "¢": "Â", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư", "§": "Đ"}

TCVN3_TABLE: dict[str, str] = {**_TCVN3_PLAIN, **_TCVN3_CAPITALS}
_TCVN3_BASE: dict[str, str] = {}  # legacy char -> its vowel base, for the pair check
for _base, _codes in _TCVN3_TONED.items():
    for _code, _letter in zip(_codes, _TONED[_base], strict=True):
        TCVN3_TABLE[_code] = _letter
        _TCVN3_BASE[_code] = _base
for _code, _letter in _TCVN3_PLAIN.items():
    _TCVN3_BASE[_code] = _letter
_TCVN3_TONED_CHARS = frozenset(c for codes in _TCVN3_TONED.values() for c in codes)
_TCVN3_TRANSLATE = str.maketrans(TCVN3_TABLE)

# VNI-Windows: a base letter followed by a modifier byte (tone, circumflex or breve, or both).
# Each modifier has a lower-case and an upper-case code; the marks are Unicode combining marks.
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_VNI_MODIFIERS = {
    # lower, upper: marks
    ("ù", "Ù"): _ACUTE,
    ("ø", "Ø"): _GRAVE,
    ("û", "Û"): _HOOK,
    ("õ", "Õ"): _TILDE,
    ("ï", "Ï"): _DOT,
    ("â", "Â"): _CIRC,
    ("á", "Á"): _CIRC + _ACUTE,
    ("à", "À"): _CIRC + _GRAVE,
    ("å", "Å"): _CIRC + _HOOK,
    ("ã", "Ã"): _CIRC + _TILDE,
    ("ä", "Ä"): _CIRC + _DOT,
    ("ê", "Ê"): _BREVE,
    ("é", "É"): _BREVE + _ACUTE,
    ("è", "È"): _BREVE + _GRAVE,
    ("ú", "Ú"): _BREVE + _HOOK,
    ("ü", "Ü"): _BREVE + _TILDE,
    ("ë", "Ë"): _BREVE + _DOT,
}
VNI_MODIFIER_MARKS: dict[str, str] = {c: marks for pair, marks in _VNI_MODIFIERS.items() for c in pair}
# Letters with a code of their own in VNI.
VNI_LETTERS: dict[str, str] = {
    "í": "í",
    "Í": "Í",
    "ì": "ì",
    "Ì": "Ì",
    "æ": "ỉ",
    "Æ": "Ỉ",
    "ó": "ĩ",
    "Ó": "Ĩ",
    "ò": "ị",
    "Ò": "Ị",
    "î": "ỵ",
    "Î": "Ỵ",
    "ñ": "đ",
    "Ñ": "Đ",
    "ô": "ơ",
    "Ô": "Ơ",
    "ö": "ư",
    "Ö": "Ư",
}
# Which modifiers each VNI base takes (ô/ö are VNI's ơ/ư).
_TONES_ONLY = frozenset({_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT})
_WITH_CIRC = _TONES_ONLY | {
    _CIRC,
    _CIRC + _ACUTE,
    _CIRC + _GRAVE,
    _CIRC + _HOOK,
    _CIRC + _TILDE,
    _CIRC + _DOT,
}
_WITH_BREVE = _WITH_CIRC | {_BREVE, _BREVE + _ACUTE, _BREVE + _GRAVE, _BREVE + _HOOK, _BREVE + _TILDE}
_WITH_BREVE = _WITH_BREVE | {_BREVE + _DOT}
_VNI_BASES = {
    "a": ("a", _WITH_BREVE),
    "e": ("e", _WITH_CIRC),
    "o": ("o", _WITH_CIRC),
    "u": ("u", _TONES_ONLY),
    "y": ("y", _TONES_ONLY),
    "ô": ("o" + _HORN, _TONES_ONLY),
    "ö": ("u" + _HORN, _TONES_ONLY),
}
# One pass, pairs first: "oâ" is ô, while a lone "ô" is VNI's ơ.
_VNI_TOKEN = re.compile(
    "([aeouyôöAEOUYÔÖ])([" + re.escape("".join(VNI_MODIFIER_MARKS)) + "])|([" + "".join(VNI_LETTERS) + "])"
)

# Characters only Unicode Vietnamese has: ă đ ĩ ũ ơ ư, the Latin Extended Additional block, and
# combining marks (decomposed text). Legacy text is made of Latin-1 look-alikes, so never has them.
_UNICODE_ONLY = frozenset("ĂăĐđĨĩŨũƠơƯư") | frozenset(map(chr, range(0x1EA0, 0x1EFA)))
# Latin-1 letters that ordinary Unicode Vietnamese uses: seeing only these proves nothing.
_VN_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_ASCII_VOWELS = frozenset("aeiouyAEIOUY")
# Vowel pairs with the tone on the second vowel that Vietnamese spells (hoà, quân, tuệ, thuý, muốn,
# người, tiền, yên); "qu" and "gi" take any vowel after them.
_PLAUSIBLE_PAIRS = {"o": "aăe", "u": "âêyôơ", "ư": "ơ", "i": "ê", "y": "ê"}
_AMBIGUOUS_VNI_PAIRS = frozenset({"oà", "oá", "oã"})  # VNI ồ ố ỗ, but also Unicode hoà, khoá, hoãn
_STRONG = 2
_IMPOSSIBLE = -3


def _neutral(ch: str) -> bool:
    """Punctuation that any encoding may carry (no-break space, typographic quotes and dashes)."""
    return ch == "\xa0" or "\u2000" <= ch <= "\u206f"


def _tcvn3_score(text: str) -> int:
    score = 0
    prev = ""
    prev2 = ""
    for i, ch in enumerate(text):
        if ch < "\x80" or _neutral(ch):
            prev2, prev = prev, ch
            continue
        if ch not in TCVN3_TABLE:
            score += _IMPOSSIBLE
        elif ch in _TCVN3_CAPITALS and not (prev.isalpha() or text[i + 1 : i + 2].isalpha()):
            pass  # "§ 1", "¦": a symbol on its own, not a letter of a word
        elif ch not in _VN_LATIN1:
            score += _STRONG
        elif ch.isupper() and prev.isalpha() and text[i + 1 : i + 2].islower():
            score += _STRONG  # "NÕu", "PhÝ": a capital inside a lower-case word is a TCVN3 vowel
        if ch in _TCVN3_TONED_CHARS:
            before = _TCVN3_BASE.get(prev, prev.lower())
            if before and before in "aăâeêiouơôưy":
                allowed = _PLAUSIBLE_PAIRS.get(before, "")
                permissive = (before == "u" and prev2.lower() == "q") or (
                    before == "i" and prev2.lower() == "g"
                )
                if not permissive and _TCVN3_BASE[ch] not in allowed:
                    score -= _STRONG  # "oä", "aõ": two vowels Vietnamese never writes
        prev2, prev = prev, ch
    return score


def _vni_score(text: str) -> int:
    score = 0
    prev = ""
    for ch in text:
        if ch < "\x80" or _neutral(ch):
            prev = ch
            continue
        if ch in VNI_MODIFIER_MARKS:
            base = _VNI_BASES.get(prev.lower())
            if base is None or VNI_MODIFIER_MARKS[ch] not in base[1]:
                score += _IMPOSSIBLE  # a modifier after a consonant, or one the vowel cannot take
            elif ch not in _VN_LATIN1 or (prev + ch).lower() not in _AMBIGUOUS_VNI_PAIRS:
                score += _STRONG
        elif ch in VNI_LETTERS:
            if ch in "ñÑ" and prev.isalpha():
                score += _IMPOSSIBLE  # đ begins a syllable: "Thñ" is TCVN3 "Thủ", not VNI
            elif ch not in _VN_LATIN1:
                score += _STRONG
        else:
            score += _IMPOSSIBLE
        prev = ch
    return score


def legacy_scores(text: str) -> tuple[int, int] | None:
    """(TCVN3 score, VNI score), or None when the text is ASCII or proven Unicode Vietnamese."""
    if not text or text.isascii():
        return None
    for ch in text:
        if ch in _UNICODE_ONLY or unicodedata.combining(ch):
            return None
    return _tcvn3_score(text), _vni_score(text)


def detect_legacy(text: str | None) -> str | None:
    """'tcvn3' or 'vni' when the text reads as typed with that legacy font, else None.

    Conservative: plain ASCII, any character only Unicode Vietnamese has, or text whose Latin-1
    letters are all ones Unicode Vietnamese also uses (Trà Vinh, Tây Ninh) give None."""
    scores = legacy_scores(text or "")
    if scores is None:
        return None
    tcvn3, vni = scores
    if tcvn3 >= _STRONG and tcvn3 > vni:
        return "tcvn3"
    if vni >= _STRONG and vni > tcvn3:
        return "vni"
    return None


def _vni_token(match: re.Match) -> str:
    if match.group(3):
        return VNI_LETTERS[match.group(3)]
    base_char, modifier = match.group(1), match.group(2)
    base, allowed = _VNI_BASES[base_char.lower()]
    marks = VNI_MODIFIER_MARKS[modifier]
    if marks not in allowed:
        return VNI_LETTERS.get(base_char, base_char) + modifier
    if base_char.isupper():
        base = base.upper()
    return unicodedata.normalize("NFC", base + marks)


def _restore_capitals(text: str) -> str:
    """.VnTimeH draws TCVN3's lower-case codes as capitals. Text whose ASCII letters are all capitals
    ("CéNG HOµ X· HéI") was typed in capitals, so its converted vowels are capitals too; in mixed
    text, so are those of a word with two or more ASCII letters, all capitals ("UBND HUYÖN")."""
    letters = [c for c in text if c.isascii() and c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return text.upper()

    def word(match: re.Match) -> str:
        w = match.group(0)
        ascii_letters = [c for c in w if c.isascii() and c.isalpha()]
        if len(ascii_letters) >= 2 and all(c.isupper() for c in ascii_letters):
            return w.upper()
        return w

    return re.sub(r"\w+", word, text)


def repair_legacy(text: str, encoding: str | None = None) -> str:
    """The text converted to Unicode NFC when it is (or `encoding` says it is) TCVN3 or VNI;
    otherwise the text unchanged. `encoding` forces a conversion ('tcvn3' or 'vni'), still refusing
    text that is proven Unicode Vietnamese."""
    if not text:
        return text
    if encoding is None:
        encoding = detect_legacy(text)
    elif legacy_scores(text) is None:
        return text
    if encoding == "tcvn3":
        return unicodedata.normalize("NFC", _restore_capitals(text.translate(_TCVN3_TRANSLATE)))
    if encoding == "vni":
        return unicodedata.normalize("NFC", _VNI_TOKEN.sub(_vni_token, text))
    return text


# --- Vietnamese syllables ------------------------------------------------------------------

# The five tone marks (combining), and the marks that make a letter of its own (â ă ê ô ơ ư).
_TONE_MARKS = frozenset((_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT))
# A syllable: initial consonant, medial (o before a ă e; u before â ê y ơ and the yê/ya rhymes),
# the vowel with what may close it. Tone marks are checked apart (one at most, not on the closing
# vowel). Loose where it costs nothing, strict where a misread byte leaves a trace: ă and â need a
# closing consonant (â also u or y), iê/yê/uô/ươ a closing letter, ia/ua/ưa none.
_INITIAL = "(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])?"
_RHYME = (
    "(?:"
    "(?P<m1>o)?(?P<v1>a)(?P<f1>ch|nh|ng|[cmnpt]|[iyou])?"
    "|(?P<m2>[ou])?(?P<v2>ă)(?P<f2>ng|[cmnpt])"
    "|(?P<m3>u)?(?P<v3>â)(?P<f3>ng|[cmnpt]|[uy])"
    "|(?P<m4>o)?(?P<v4>e)(?P<f4>ng|[cmnpt]|o)?"
    "|(?P<m5>u)?(?P<v5>ê)(?P<f5>ch|nh|[mnpt]|u)?"
    "|(?P<v6>i)(?P<f6>ch|nh|[mnpt]|u)?"
    "|(?P<m7>u)?(?P<v7>y)(?P<f7>ch|nh|[nt]|u)?"
    "|(?P<v8>o|ô)(?P<f8>ng|[cmnpt]|i)?"
    "|(?P<m9>u)?(?P<v9>ơ)(?P<f9>[mnpt]|i)?"
    "|(?P<v10>u|ư)(?P<f10>ng|[cmnpt]|[iu])?"
    "|(?P<m11>u)?(?P<v11>iê|yê)(?P<f11>ng|[cmnpt]|u)"
    "|(?P<m12>u)?(?P<v12>ia|ya|ua|ưa)"
    "|(?P<v13>uô|ươ)(?P<f13>ng|[cmnpt]|[iu])"
    ")"
)
_SYLLABLE = re.compile(_INITIAL + _RHYME)
_TONE_STRIP = str.maketrans(dict.fromkeys(map(ord, "".join(_TONE_MARKS))))
_GLIDES = frozenset("iyou")


def is_syllable(word: str) -> bool:
    """Whether a word (letters only) spells a Vietnamese syllable: 'Nguyễn', 'hoà', 'hòa', 'thuở' yes;
    'Nguyeãn', 'Viêòt', 'Săo', 'hoaì' (a tone on the closing vowel) no. Capitals are allowed."""
    if not word:
        return False
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [i for i, ch in enumerate(decomposed) if ch in _TONE_MARKS]
    if len(tones) > 1:
        return False
    # The letters without the tone (â ă ê ô ơ ư đ composed), and which letter carried the tone.
    toned_letter = None
    letters = ""
    for ch in decomposed:
        if ch in _TONE_MARKS:
            toned_letter = len(letters) - 1
        elif unicodedata.combining(ch):
            if not letters:
                return False
            letters = letters[:-1] + unicodedata.normalize("NFC", letters[-1] + ch)
        else:
            letters += ch
    if toned_letter is not None and toned_letter < 0:
        return False
    match = _SYLLABLE.fullmatch(letters)
    if match is None:
        return False
    if toned_letter is None:
        return True
    closing = next(
        ((match.start(k), match.end(k)) for k, v in match.groupdict().items() if v and k[0] == "f"), None
    )
    if closing and closing[0] <= toned_letter < closing[1] and letters[toned_letter] in _GLIDES:
        return False  # "hoaì": the tone sits on the main vowel, never on a closing i/y/o/u
    return letters[toned_letter] not in "bcdđghklmnpqrstvx"


_WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")
_ABBREVIATION = re.compile("[A-Z]*Đ[A-ZĐ]*")  # QĐ, HĐND, LĐTBXH


def vietnamese_words(text: str) -> tuple[int, int]:
    """(Vietnamese syllables, words) among the words of `text` that are not plain ASCII: how
    Vietnamese a reading of some bytes is."""
    good = total = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        total += 1
        good += is_syllable(word) or _ABBREVIATION.fullmatch(word) is not None
    return good, total
