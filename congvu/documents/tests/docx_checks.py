"""Reading a produced DOCX back with python-docx and checking it against Decree 30/2020, Appendix I.

Each check reads what Word would apply: a run's own properties (every template run sets them)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

FONT = "Times New Roman"
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def open_docx(data: bytes):
    return Document(io.BytesIO(data))


def text_runs(paragraph):
    return [r for r in paragraph.runs if r.text.strip()]


def size(paragraph) -> float:
    sizes = {r.font.size.pt for r in text_runs(paragraph)}
    assert len(sizes) == 1, f"{paragraph.text!r}: sizes {sizes}"
    return sizes.pop()


def is_bold(paragraph) -> bool:
    return all(r.font.bold for r in text_runs(paragraph))


def is_italic(paragraph) -> bool:
    return all(r.font.italic for r in text_runs(paragraph))


def has_rule(paragraph) -> bool:
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.find(qn("w:pBdr")) is not None and not paragraph.text.strip()


def all_paragraphs(doc):
    """Body paragraphs and those in table cells, in document order."""
    body = doc.element.body
    from docx.text.paragraph import Paragraph

    return [Paragraph(p, doc) for p in body.iter(qn("w:p"))]


def check_page(doc) -> None:
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297  # A4
    assert section.page_width < section.page_height  # portrait
    assert 20 <= round(section.top_margin.mm) <= 25
    assert 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35
    assert 15 <= round(section.right_margin.mm) <= 20


def check_page_numbers(doc) -> None:
    """Page numbers from page 2: a different first-page header without a number, and the other
    pages' header a centred PAGE field."""
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    first = section.first_page_header
    assert not first.is_linked_to_previous
    assert "PAGE" not in first._element.xml and not "".join(p.text for p in first.paragraphs).strip()
    header = section.header
    fields = header._element.findall(f".//{qn('w:fldSimple')}")
    assert [f.get(qn("w:instr")).strip() for f in fields] == ["PAGE"]
    assert header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


def check_fonts(doc) -> None:
    """Times New Roman on every run with text (all four font slots, so Vietnamese letters too), black,
    sizes within the decree's 11–14 pt."""
    for paragraph in all_paragraphs(doc):
        for run in text_runs(paragraph):
            fonts = run._element.rPr.find(qn("w:rFonts"))
            for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                assert fonts.get(qn(attr)) == FONT, f"{run.text!r}: {attr}={fonts.get(qn(attr))}"
            assert 11 <= run.font.size.pt <= 14, f"{run.text!r}: {run.font.size.pt} pt"
            assert run.font.color.rgb in (None,) or str(run.font.color.rgb) == "000000"


@dataclass
class Header:
    superior: str
    issuer: str
    number_line: str
    place_date: str


def check_header(doc) -> Header:
    """The two-column header table: superior body (13) over the issuing body (13, bold caps) with a
    short rule; the national title (12–13, bold caps) over the motto (13–14, bold) with a rule; then
    the number line (13) and the place and date (13–14, italic)."""
    table = doc.tables[0]
    left, right = table.rows[0].cells
    lp = list(left.paragraphs)
    assert lp[0].text == lp[0].text.upper() and size(lp[0]) in (12, 13) and not is_bold(lp[0])
    assert lp[1].text == lp[1].text.upper() and size(lp[1]) in (12, 13) and is_bold(lp[1])
    assert has_rule(lp[2])
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in lp[:2])
    rp = right.paragraphs
    assert rp[0].text == NATIONAL_TITLE and is_bold(rp[0]) and size(rp[0]) in (12, 13)
    assert rp[1].text == MOTTO and is_bold(rp[1]) and size(rp[1]) in (13, 14)
    assert has_rule(rp[2])
    number, place_date = table.rows[1].cells
    date_p = place_date.paragraphs[0]
    assert is_italic(date_p) and size(date_p) in (13, 14)
    assert size(number.paragraphs[0]) == 13
    # A short rule: indented from both sides of its column.
    for rule in (lp[2], rp[2]):
        assert rule.paragraph_format.left_indent.mm > 5 and rule.paragraph_format.right_indent.mm > 5
    return Header(lp[0].text, lp[1].text, number.paragraphs[0].text, date_p.text)


def check_title(doc, heading: str, summary: str) -> None:
    """The kind's name in bold caps centred (14), then its summary line bold centred."""
    paragraphs = doc.paragraphs
    index = next(i for i, p in enumerate(paragraphs) if p.text == heading)
    title, line = paragraphs[index], paragraphs[index + 1]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and is_bold(title) and size(title) == 14
    assert title.text == title.text.upper()
    assert line.text == summary
    assert line.alignment == WD_ALIGN_PARAGRAPH.CENTER and is_bold(line) and size(line) == 14


def check_body(doc) -> None:
    """Body text 13–14 pt (the decree's range)."""
    body = [p for p in doc.paragraphs if p.text.strip()]
    assert body
    for p in body:
        assert size(p) in (13, 14), p.text


@dataclass
class Footer:
    recipients: list[str]
    signer: list[str]


def check_footer(doc) -> Footer:
    """The last table: "Nơi nhận:" bold italic 12 at the left with entries in 11; the signer block at
    the right (authority and title bold caps 13, the name bold 14 under the signature space)."""
    table = doc.tables[-1]
    left, right = table.rows[0].cells
    heading, *entries = [p for p in left.paragraphs if p.text.strip()]
    assert heading.text == "Nơi nhận:"
    assert is_bold(heading) and is_italic(heading) and size(heading) == 12
    assert heading.alignment == WD_ALIGN_PARAGRAPH.LEFT
    for entry in entries:
        assert entry.text.startswith("- ") and size(entry) == 11
    signer = [p for p in right.paragraphs if p.text.strip()]
    for p in signer:
        assert is_bold(p) and p.alignment == WD_ALIGN_PARAGRAPH.CENTER
    name = signer[-1]
    assert size(name) == 14
    # the signature space: empty paragraphs right above the name
    cell_paragraphs = right.paragraphs
    index = next(i for i, p in enumerate(cell_paragraphs) if p._p is name._p)
    assert index >= 3 and not any(p.text.strip() for p in cell_paragraphs[index - 3 : index])
    return Footer([e.text[2:] for e in entries], [p.text for p in signer])


def check_all(data: bytes, heading: str, summary: str) -> tuple[Header, Footer, object]:
    doc = open_docx(data)
    check_page(doc)
    check_page_numbers(doc)
    check_fonts(doc)
    header = check_header(doc)
    check_title(doc, heading, summary)
    check_body(doc)
    footer = check_footer(doc)
    return header, footer, doc


def full_text(doc) -> str:
    return "\n".join(p.text for p in all_paragraphs(doc))
