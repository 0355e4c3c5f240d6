"""A bulletin's content laid out as a Chinese official document (GB/T 9704-2012), as PDF
(WeasyPrint) and DOCX (python-docx), from the frozen header and content only.

The layout follows the standard's main points: A4, margins 37/35/28/26 mm (a 156 × 225 mm text
block); the issuing office's mark in red at the top, the document number under it and a red
rule the width of the text block; the title in a large serif face; the body in 16 pt (三号)
with two-character first-line indents; first-level headings 一、 in the sans face; signature,
date and the seal's place at the end; the 版记 (copies to, printing office and date) between
rules at the foot of the last page; page numbers "— 1 —" at the outer foot. Debian's Noto
Serif/Sans CJK stand in for the 小标宋/仿宋/黑体 faces of the standard. A draft carries 草稿
across each page.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from dataclasses import asdict, dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from saima.bulletins import charts
from saima.bulletins.content import Content

RED = "C00000"
SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"


@dataclass(frozen=True)
class Header:
    issuer: str
    doc_number: str
    title: str
    addressees: str
    lead: str
    closing: str
    issue_date: str  # ISO date
    copies_to: str
    printed_by: str  # 印发机关 (the issuing office by default)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Header:
        return cls(**data)

    @property
    def date_text(self) -> str:
        day = dt.date.fromisoformat(self.issue_date)
        return f"{day.year}年{day.month}月{day.day}日"


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def issuer_size(issuer: str) -> int:
    """The issuing office's mark ("…文件") in points, as large as fits one line of the 156 mm
    text block (442 pt, letters spaced 4 pt), at most 34 pt."""
    chars = len(issuer) + 2
    return max(14, min(34, int((430 - 4 * chars) / chars)))


def render_html(header: Header, content: Content, *, draft: bool) -> str:
    sections = []
    for section in content.sections:
        blocks = []
        for block in section.blocks:
            item: dict[str, Any] = {"text": block.text, "table": block.table}
            if block.chart is not None:
                svg = charts.svg(block.chart).encode("utf-8")
                item["chart"] = block.chart
                item["chart_src"] = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
            blocks.append(item)
        sections.append({"heading": section.heading, "blocks": blocks})
    return render_to_string(
        "bulletins/document.html",
        {
            "header": header,
            "lead": _paragraphs(header.lead),
            "closing": _paragraphs(header.closing),
            "sections": sections,
            "draft": draft,
            "issuer_size": issuer_size(header.issuer),
            "serif": SERIF,
            "sans": SANS,
        },
    )


def render_pdf(header: Header, content: Content, *, draft: bool) -> bytes:
    from weasyprint import HTML

    html = render_html(header, content, draft=draft)
    pdf = HTML(string=html).write_pdf()
    assert pdf is not None
    return bytes(pdf)


# ---------------------------------------------------------------- DOCX


def _font(run: Any, name: str, size: float, *, bold: bool = False, colour: str = "") -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    r_pr = run._element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(r_fonts)
    r_fonts.set(qn("w:eastAsia"), name)
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)


def _rule(paragraph: Any, colour: str, size_eighths: int) -> None:
    """A horizontal rule under ``paragraph`` (a bottom border)."""
    from docx.oxml.ns import qn

    p_pr = paragraph._element.get_or_add_pPr()
    borders = p_pr.makeelement(qn("w:pBdr"), {})
    bottom = borders.makeelement(
        qn("w:bottom"),
        {
            qn("w:val"): "single",
            qn("w:sz"): str(size_eighths),
            qn("w:space"): "1",
            qn("w:color"): colour,
        },
    )
    borders.append(bottom)
    p_pr.append(borders)


def _body(document: Any, text: str, *, indent: bool = True, align: Any = None) -> Any:
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.line_spacing = Pt(28)
    _font(paragraph.add_run(text), SERIF, 16)
    return paragraph


def render_docx(header: Header, content: Content, *, draft: bool) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    document.core_properties.title = header.title
    document.core_properties.subject = header.doc_number

    if draft:
        stamp = document.add_paragraph()
        stamp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(stamp.add_run(_("草稿")), SANS, 14, bold=True, colour="999999")
    issuer = document.add_paragraph()
    issuer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    mark = _("%(issuer)s文件") % {"issuer": header.issuer}
    _font(issuer.add_run(mark), SERIF, issuer_size(header.issuer), bold=True, colour=RED)
    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(number.add_run(header.doc_number), SERIF, 16)
    _rule(number, RED, 16)
    title = document.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(header.title), SERIF, 22, bold=True)
    if header.addressees:
        _body(document, header.addressees + "：", indent=False)
    for text in _paragraphs(header.lead):
        _body(document, text)
    for part in content.sections:
        heading = document.add_heading(level=1)
        _font(heading.add_run(part.heading), SANS, 16, bold=True, colour="000000")
        for block in part.blocks:
            if block.text:
                _body(document, block.text)
            if block.table is not None:
                caption = document.add_paragraph()
                caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _font(caption.add_run(block.table.caption), SANS, 12, bold=True)
                table = document.add_table(rows=1, cols=len(block.table.headers))
                table.style = "Table Grid"
                table.alignment = WD_TABLE_ALIGNMENT.CENTER
                for cell, text in zip(table.rows[0].cells, block.table.headers, strict=True):
                    _font(cell.paragraphs[0].add_run(text), SANS, 11, bold=True)
                for row in block.table.rows:
                    cells = table.add_row().cells
                    for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
                        paragraph = cell.paragraphs[0]
                        if i in block.table.numeric:
                            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                        _font(paragraph.add_run(text), SERIF, 11)
            if block.chart is not None:
                picture = document.add_paragraph()
                picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
                picture.add_run().add_picture(io.BytesIO(charts.png(block.chart)), width=Mm(150))
                caption = document.add_paragraph()
                caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _font(caption.add_run(block.chart.caption), SANS, 11)
    for text in _paragraphs(header.closing):
        _body(document, text)
    document.add_paragraph()
    signature = _body(document, header.issuer, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    signature.paragraph_format.right_indent = Pt(64)
    date = _body(document, header.date_text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    date.paragraph_format.right_indent = Pt(64)
    seal = _body(document, _("（印章）"), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    seal.paragraph_format.right_indent = Pt(80)
    document.add_paragraph()
    if header.copies_to:
        copies = _body(document, _("抄送：%(to)s。") % {"to": header.copies_to}, indent=False)
        _rule(copies, "000000", 4)
    printed = _body(
        document,
        _("%(office)s　　　　%(date)s印发")
        % {"office": header.printed_by, "date": header.date_text},
        indent=False,
    )
    _rule(printed, "000000", 8)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
