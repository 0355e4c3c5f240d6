"""What a bulletin says, as plain data frozen at generation time.

A bulletin's content is built once from published results (``sections``), stored as JSON on the
bulletin's version, and rendered from that JSON to PDF and DOCX (``rendering``). Re-rendering a
stored version therefore always gives the same words and numbers, whatever happens to the live
data later. Nothing here touches Django.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    # index of columns holding numbers (right-aligned in print)
    numeric: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    tone: str = ""  # "red" | "black" | "" — the 红黑榜 colours; always shown in text too


@dataclass(frozen=True)
class Chart:
    caption: str
    unit: str  # what the values measure, e.g. "综合得分"
    bars: list[Bar]


@dataclass(frozen=True)
class Block:
    """A part of a section: one paragraph, table or chart (exactly one is set)."""

    text: str = ""
    table: Table | None = None
    chart: Chart | None = None


@dataclass(frozen=True)
class Section:
    key: str  # which builder made it, e.g. "races"
    heading: str  # "一、投资“赛马”激励地区"
    blocks: list[Block]


@dataclass(frozen=True)
class Content:
    sections: list[Section]

    def to_json(self) -> dict[str, Any]:
        return {"sections": [asdict(section) for section in self.sections]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Content:
        sections = []
        for raw in data.get("sections", []):
            blocks = []
            for b in raw["blocks"]:
                table = Table(**b["table"]) if b.get("table") else None
                chart = None
                if b.get("chart"):
                    bars = [Bar(**bar) for bar in b["chart"]["bars"]]
                    chart = Chart(caption=b["chart"]["caption"], unit=b["chart"]["unit"], bars=bars)
                blocks.append(Block(text=b.get("text", ""), table=table, chart=chart))
            sections.append(Section(key=raw["key"], heading=raw["heading"], blocks=blocks))
        return cls(sections=sections)

    def headings(self) -> list[str]:
        return [section.heading for section in self.sections]


CHINESE_ORDINALS = "一二三四五六七八九十"


def ordinal(index: int) -> str:
    """一, 二, … 十, 十一 … for section headings (GB/T 9704: 一、（一）1.（1）)."""
    if index < 10:
        return CHINESE_ORDINALS[index]
    tens, ones = divmod(index + 1, 10)
    head = "" if tens == 1 else CHINESE_ORDINALS[tens - 1]
    return head + "十" + (CHINESE_ORDINALS[ones - 1] if ones else "")
