"""Hostile workbooks written by hand as zips of XML, as a hostile program would: a few hundred
kilobytes each that unpack to millions of cells or hundreds of megabytes of text (issue 31,
item 8). Used by tests/io/test_hostile_tables.py and benchmarks/bench_hostile_inputs.py.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

HEADER = "referral_id,panel,submitted,social_worker,team_manager"

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)


def hostile(
    path: Path, rows: Iterable[bytes], strings: Iterable[bytes] = (), dimension: str = ""
) -> Path:
    """A one-sheet workbook ("Sheet1") whose sheet XML is ``rows`` and whose shared strings
    are ``strings``, streamed into the zip so a 300 MB part costs no memory to write."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC}/officeDocument"'
            ' Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC}/worksheet" '
            'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
            f'Type="{_DOC}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<worksheet xmlns="{_MAIN}">'.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for part in rows:
                sheet.write(part)
            sheet.write(b"</sheetData></worksheet>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as shared:
            shared.write(f'<sst xmlns="{_MAIN}"><si><t>x</t></si>'.encode())
            for part in strings:
                shared.write(part)
            shared.write(b"</sst>")
    return path


def header_row() -> bytes:
    cells = "".join(
        f'<c r="{letter}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for letter, name in zip("ABCDE", HEADER.split(","), strict=True)
    )
    return f'<row r="1">{cells}</row>'.encode()


def wide_row(cells: int) -> Iterable[bytes]:
    # One row of `cells` cells, each the shared string "x": 21 bytes a cell, which deflate
    # packs to almost nothing (2,000,000 cells are some 100 KB).
    yield header_row() + b'<row r="2">'
    block = b'<c t="s"><v>0</v></c>' * 10_000
    for _ in range(cells // 10_000):
        yield block
    yield b"</row>"


def text_blocks(megabytes: int) -> Iterable[bytes]:
    """Shared strings of ``megabytes`` MB of one letter: deflate packs 300 MB to some 300 KB."""
    block = b"<si><t>" + b"A" * (1 << 20) + b"</t></si>"
    return (block for _ in range(megabytes))


def one_text_row() -> list[bytes]:
    """The header and one row whose cell is the second shared string."""
    return [header_row(), b'<row r="2"><c r="A2" t="s"><v>1</v></c></row>']
