"""QR codes for judge links (segno) and the printable sheet of them (WeasyPrint, Noto CJK).

The sheet is made when the links are issued (tokens are stored hashed, so it cannot be made
again later): one card per judge with their name, panel, the QR code and the link in words,
twelve to an A4 page, cut along the dotted lines.
"""

from __future__ import annotations

import io

import segno
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from saima.arena.models import Contest, JudgeSeat


def qr_svg(url: str, scale: int = 4) -> SafeString:
    """An inline SVG of ``url`` (error correction M, quiet zone 2 modules)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        out, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True, nl=False
    )
    return mark_safe(out.getvalue().decode())  # segno's own SVG, no user markup


def qr_sheet_pdf(contest: Contest, entries: list[tuple[JudgeSeat, str]]) -> bytes:
    """The PDF sheet: one card per (seat, link URL)."""
    from weasyprint import HTML

    cards = [{"seat": seat, "url": url, "svg": qr_svg(url, scale=3)} for seat, url in entries]
    html = render_to_string("arena/qr_sheet.html", {"contest": contest, "cards": cards})
    return bytes(HTML(string=html).write_pdf())
