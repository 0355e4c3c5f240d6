"""A corpus of hostile and malformed upload files, built in memory (``python -m
tests.hostile.corpus DIR`` writes them out to try by hand).

Each entry: file name → (content, the problem code the reader must report, or None when the
file is well-formed and must simply be read — quickly). They are the inputs that left import
batches in "校验中" for ever, took the server to 2.9 GB, or slipped formulas through.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
WORKBOOK = (
    f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
    '<sheet name="填报" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
HEADER = "单位代码,单位名称,固定资产投资增速（%）,重大项目数（个）,蜗牛项目数（个）"


def sheet_xml(rows: str, dimension: str = "A1:C2") -> str:
    return (
        f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/>'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )


def strings_xml(*texts: str) -> str:
    items = "".join(f"<si><t>{t}</t></si>" for t in texts)
    return f'<sst xmlns="{MAIN}" count="{len(texts)}">{items}</sst>'


def xlsx(
    sheet: str | None,
    strings: str | None = None,
    workbook: str = WORKBOOK,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """A minimal .xlsx with exactly the parts given (deflated)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS)
        if sheet is not None:
            archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if strings is not None:
            archive.writestr("xl/sharedStrings.xml", strings)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def shared_string_cell(index: str) -> bytes:
    return xlsx(
        sheet_xml(f'<row r="1"><c r="A1" t="s"><v>{index}</v></c></row>'), strings_xml("单位代码")
    )


def typed_cell(kind: str, value: str) -> bytes:
    return xlsx(
        sheet_xml(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>单位代码</t></is></c></row>'
            f'<row r="2"><c r="A2" t="{kind}"><v>{value}</v></c></row>'
        )
    )


def dimension_bomb() -> bytes:
    """A real workbook (one header row) whose sheet declares ``A1:XFD20001``: 1.6 KB that asked
    openpyxl's reader for 327 million cells (51 s and 2.9 GB before)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "填报"
    sheet.append(HEADER.split(","))
    sheet.cell(row=20001, column=1, value="330102")
    saved = io.BytesIO()
    book.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b'<dimension ref="A1:E20001"/>', b'<dimension ref="A1:XFD20001"/>'
                )
                assert b"XFD20001" in data
            bomb.writestr(info, data)
    return out.getvalue()


def zip_bomb() -> bytes:
    """A sheet that unpacks to 64 MiB of blanks (a few dozen KB packed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS)
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (64 * 1024 * 1024))
    return out.getvalue()


def entity_bomb() -> bytes:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        f'<sst xmlns="{MAIN}"><si><t>&lol2;</t></si></sst>'
    )
    return xlsx(sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), laughs)


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


Builder = Callable[[], bytes]

# name → (builder, expected problem code; None = a well-formed file, read correctly)
CORPUS: dict[str, tuple[Builder, str | None]] = {
    # CSV
    "cr_only.csv": (lambda: csv_bytes(f"{HEADER}\r330102,上城区,1,2,3\r"), None),
    "utf16_without_bom.csv": (lambda: csv_bytes(f"{HEADER}\n", "utf-16-le"), "nul_bytes"),
    "utf32.csv": (lambda: csv_bytes(f"{HEADER}\n", "utf-32"), "encoding"),
    "utf32_without_bom.csv": (lambda: csv_bytes(f"{HEADER}\n", "utf-32-le"), "nul_bytes"),
    "utf8_bom_then_gbk.csv": (
        lambda: b"\xef\xbb\xbf" + csv_bytes(f"{HEADER}\n", "gbk"),
        "encoding",
    ),
    "lone_surrogate.csv": (
        lambda: csv_bytes(HEADER + "\n330102,上", "utf-8") + b"\xed\xa0\x80\n",
        "encoding",
    ),
    "lone_surrogate_utf16.csv": (
        lambda: b"\xff\xfe" + "单位代码,".encode("utf-16-le") + b"\x00\xd8",
        "encoding",
    ),
    "field_over_131072.csv": (
        lambda: csv_bytes(f'{HEADER}\n330102,"{"x" * 140_000}"\n'),
        "long_cell",
    ),
    "columns_100000.csv": (
        lambda: csv_bytes(",".join(f"c{i}" for i in range(100_000)) + "\n"),
        "too_many_columns",
    ),
    "nul_in_utf8.csv": (lambda: csv_bytes(f"{HEADER}\n330102,\x00,1,2,3\n"), "nul_bytes"),
    "unclosed_quote.csv": (lambda: csv_bytes(f'{HEADER}\n330102,"上城区,1,2,3\n'), None),
    "empty.csv": (lambda: b"", "empty"),
    "only_bom.csv": (lambda: b"\xef\xbb\xbf\r\n", "empty"),
    # XLSX
    "shared_string_out_of_range.xlsx": (lambda: shared_string_cell("7"), "bad_shared_string"),
    "shared_string_negative.xlsx": (lambda: shared_string_cell("-1"), "bad_shared_string"),
    "shared_string_not_a_number.xlsx": (lambda: shared_string_cell("abc"), "bad_shared_string"),
    "no_sheets.xlsx": (
        lambda: xlsx(None, workbook=f'<workbook xmlns="{MAIN}"><sheets/></workbook>'),
        "no_sheets",
    ),
    "reference_ZZZZZ1.xlsx": (
        lambda: xlsx(sheet_xml('<row r="1"><c r="ZZZZZ1"><v>1</v></c></row>')),
        "bad_reference",
    ),
    "reference_wrong_row.xlsx": (
        lambda: xlsx(sheet_xml('<row r="1"><c r="A9"><v>1</v></c></row>')),
        "bad_reference",
    ),
    "bad_date.xlsx": (lambda: typed_cell("d", "2026-13-45"), "bad_cell_value"),
    "bad_boolean.xlsx": (lambda: typed_cell("b", "yes"), "bad_cell_value"),
    "bad_number.xlsx": (lambda: typed_cell("n", "1,5"), "bad_cell_value"),
    "unknown_type.xlsx": (lambda: typed_cell("zz", "1"), "bad_cell_value"),
    "row_1048576.xlsx": (
        lambda: xlsx(sheet_xml('<row r="1048576"><c r="A1048576"><v>1</v></c></row>')),
        "too_many_rows",
    ),
    "row_numbers_backwards.xlsx": (
        lambda: xlsx(
            sheet_xml(
                '<row r="5"><c r="A5"><v>1</v></c></row><row r="2"><c r="A2"><v>1</v></c></row>'
            )
        ),
        "bad_row_number",
    ),
    "dimension_bomb.xlsx": (dimension_bomb, None),
    "zip_bomb.xlsx": (zip_bomb, "unpacked_too_big"),
    "entity_bomb.xlsx": (entity_bomb, "xml_forbidden"),
    "broken_xml.xlsx": (lambda: xlsx("<worksheet><sheetData><row>"), "xml_broken"),
    "sheet_part_missing.xlsx": (lambda: xlsx(None), "not_xlsx"),
    "not_a_zip.xlsx": (lambda: b"this is not a zip file at all", "not_zip"),
    "zip_not_xlsx.xlsx": (lambda: _plain_zip(), "not_xlsx"),
    "truncated_zip.xlsx": (lambda: typed_cell("n", "1")[:200], "not_zip"),
    "empty.xlsx": (lambda: b"", "empty"),
    "old_excel.xls": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", "file_type"),
}


def _plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return out.getvalue()


def build(name: str) -> bytes:
    return CORPUS[name][0]()


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    target.mkdir(parents=True, exist_ok=True)
    for name in CORPUS:
        (target / name).write_bytes(build(name))
    print(f"{len(CORPUS)} files in {target}")
