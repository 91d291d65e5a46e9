"""Roster (花名册) import: an existing Excel/CSV list of residents becomes households and members.

One row per person; rows with the same village, group and head of household form one
household — unless two head rows there give different addresses or ID numbers: namesakes,
one household each (``_Importer._split_namesakes``). Every row is validated with the record types' own rules plus roster rules; the
valid rows go into the database in one transaction and every invalid row is reported with
its line, column and a stable code.

Ids come from natural keys (``natural_id``), so a re-import adds nothing and two laptops
importing the same roster make identical records. Records that already exist are left as
they are (a re-import never overwrites what a social worker corrected in the app).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import logging
import re
import struct
import threading
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from .errors import EXIT_INVALID, LeheError, NotFoundError
from .ids import area_id, natural_id, normalise_area_path, normalise_key
from .problems import Problem
from .records.people import HOUSEHOLD, MEMBER, MEMBER_PHONE, derive_member
from .records.schema import Context
from .records.validate import clean_field, validate
from .validation.idnumber import mask_id_number, normalise_id_number
from .validation.phone import mask_phone
from .validation.text import to_halfwidth

log = logging.getLogger(__name__)

# ----------------------------------------------------------------------------- columns

# Canonical header → accepted spellings (compared after _norm_header).
COLUMNS: dict[str, tuple[str, ...]] = {
    "村": ("村", "所属村", "村名", "行政村", "村(社区)", "村社区", "村/社区", "地区", "所属地区"),
    "组": ("组", "村民小组", "小组", "组别", "组名", "社", "村民组"),
    "地址": ("地址", "详细地址", "住址", "家庭住址", "门牌", "门牌号"),
    "户主姓名": ("户主姓名", "户主", "户主名"),
    "姓名": ("姓名", "成员姓名", "人员姓名"),
    "与户主关系": ("与户主关系", "关系", "家庭关系", "与户主的关系"),
    "性别": ("性别",),
    "出生日期": ("出生日期", "出生年月日", "生日", "出生年月"),
    "身份证号": ("身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证"),
    "电话": ("电话", "联系电话", "手机", "手机号", "手机号码", "电话号码", "联系方式"),
    "类别": ("类别", "人员类别", "特殊群体类别", "群体类别", "困难类别", "户类别"),
}
REQUIRED_COLUMNS: tuple[str, ...] = ("村", "组", "户主姓名", "姓名", "与户主关系")

# Which roster column a record field's problems belong to.
FIELD_COLUMN: dict[str, str] = {
    "area_id": "村", "group_name": "组", "head_name": "户主姓名", "address": "地址",
    "household_id": "户主姓名", "name": "姓名", "sex": "性别", "birth_date": "出生日期",
    "id_number": "身份证号", "id_type": "身份证号", "relation": "与户主关系", "number": "电话",
    "category": "类别",
}

HEADER_SCAN_ROWS = 20

# ----------------------------------------------------------------------------- limits
# A roster is hostile input until read. Every limit below has its own coded error (exit 4,
# nothing written) and is generous for real rosters: a whole county's roster has about
# 100,000 rows of 11 columns (a 100,000-row .xlsx is ~3.5 MB on disk and ~52 MB unpacked,
# compressed ~15:1; the same as CSV is ~15 MB).
MAX_FILE_BYTES = 64 * 1024 * 1024     # roster.too_large: the file on disk
MAX_ROWS = 200_000                    # roster.too_many_rows: data rows under the header (twice a county)
MAX_LINES = 1_048_576                 # roster.too_many_rows: lines read, empty ones included (Excel's sheet size)
MAX_CELLS = 4_000_000                 # roster.too_many_cells: cells kept (MAX_ROWS × 20 columns)
MAX_ROW_CELLS = 16_384                # roster.too_many_cells: cells in one row (Excel's column count)
MAX_CSV_RECORD_CHARS = 1024 * 1024    # roster.too_many_cells: characters of one CSV row
MAX_QUOTE_ERRORS = 100                # roster.csv_quote for the whole file: more unclosed quotes than this
# .xlsx expansion, checked on the zip's own records before openpyxl parses anything (roster.bomb).
# zipfile never inflates a member past its recorded size, so the recorded sizes are a true bound.
XLSX_MAX_UNCOMPRESSED = 256 * 1024 * 1024   # all members together, unpacked
XLSX_MAX_RATIO = 100                  # unpacked : packed, per member (real sheets: 5–20) …
XLSX_RATIO_GRACE = 1024 * 1024        # … for members that unpack to more than this
XLSX_MAX_MEMBERS = 1_000              # zip entries (a workbook has ~10 + 3 per sheet)
XLSX_MAX_DIRECTORY = 1024 * 1024      # bytes of the zip's central directory
XLSX_MAX_ELEMENTS = 10_000_000        # XML elements in all members (100,000 rows ≈ 3 million)
XLSX_MAX_ROW_TAGS = 8 * MAX_ROW_CELLS    # XML tags in one <row> or shared string (a cell is at most ~8)
XLSX_MAX_PART_TAGS = 500_000          # XML tags outside rows and strings in one part (styles: Excel's 64,000 formats)
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LIST_SPLIT = re.compile(r"[、,，;；|]+")
_SCI_NUMBER = re.compile(r"[0-9](?:\.[0-9]+)?[eE]\+?[0-9]+")
_PAREN = re.compile(r"[（(][^）)]*[）)]")


def _norm_header(value: Any) -> str:
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = "".join(text.split()).strip("*:：")
    text = _PAREN.sub("", text) if not text.startswith(("(", "（")) else text
    return text


_HEADER_LOOKUP: dict[str, str] = {_norm_header(a): canon for canon, aliases in COLUMNS.items() for a in aliases}

# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class RowIssue:
    """One problem with one cell (or with the file, line 0 / the header line)."""

    line: int
    column: str
    code: str
    zh: str
    en: str
    severity: Literal["error", "warning"] = "error"

    def message(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    def as_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "code": self.code, "message": self.message(lang)}


@dataclass
class ImportResult:
    rows: int = 0             # non-empty data rows read
    imported: int = 0         # member rows newly written
    households: int = 0       # households newly written
    skipped: int = 0          # valid rows whose member was already in the database
    errors: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)
    cancelled: bool = False   # stopped before the end: nothing was written

    def as_json(self, lang: str = "zh") -> dict[str, Any]:
        return {"imported": self.imported, "errors": [e.as_dict(lang) for e in self.errors],
                "households": self.households, "skipped": self.skipped, "rows": self.rows,
                "warnings": [w.as_dict(lang) for w in self.warnings]}

    @property
    def error_lines(self) -> int:
        return len({e.line for e in self.errors})


class RosterFileError(LeheError):
    """The file as a whole cannot be imported (unreadable, no header, missing columns)."""

    exit_code = EXIT_INVALID

    def __init__(self, code: str, zh: str, en: str, *, line: int = 0, column: str = "") -> None:
        super().__init__(code, zh, en)
        self.line = line
        self.column = column

    def issue(self) -> RowIssue:
        return RowIssue(self.line, self.column, self.code, self.zh, self.en)


@dataclass
class RawRoster:
    """The cells of a roster file, keyed by canonical column; nothing validated yet.

    Each row's dict holds only its non-empty cells (read them with ``.get``).
    """

    rows: list[tuple[int, dict[str, Any]]]
    header_line: int
    columns: list[str]
    warnings: list[RowIssue]
    source: str
    # Data rows that could not be read as they stand (a CSV quote never closed), by line: each is
    # a row error; its cells are the best reading of the line.
    broken: dict[int, RowIssue] = field(default_factory=dict)


# ----------------------------------------------------------------------------- reading files


def _unreadable(path: Path, detail_zh: str, detail_en: str) -> RosterFileError:
    return RosterFileError(
        "roster.unreadable",
        f"无法读取花名册“{path.name}”：不是 CSV（UTF-8 或 GBK 编码）或 Excel .xlsx 文件（{detail_zh}）",
        f"Cannot read the roster '{path.name}': it is not a CSV (UTF-8 or GBK) or Excel .xlsx file ({detail_en})")


def read_roster(path: str | Path) -> RawRoster:
    """Read a .csv (UTF-8 with/without BOM, UTF-16, GB18030/GBK) or .xlsx roster.

    The file is checked against the limits above before and while it is read; a file over a
    limit, an .xlsx that would expand too far or holds a DTD, and a CSV with an unclosed quote
    are refused with a ``RosterFileError`` before anything is written.
    """
    path = Path(path)
    if not path.is_file():
        raise NotFoundError("roster.missing", f"找不到花名册文件：{path}", f"Roster file not found: {path}")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _too_large(path, size)
        data = path.read_bytes()
    except OSError as exc:
        raise _unreadable(path, f"读取出错：{type(exc).__name__}", type(exc).__name__) from exc
    if len(data) > MAX_FILE_BYTES:  # grew while being read
        raise _too_large(path, len(data))
    if not data.strip():
        raise RosterFileError("roster.empty", f"花名册文件是空的：{path.name}", f"The roster file is empty: {path.name}")
    if data.startswith(_OLE2_MAGIC):
        raise RosterFileError("roster.xls", "这是旧版 Excel（.xls）文件：请在 Excel/WPS 中“另存为” .xlsx 或 CSV 后再导入",
                              "This is an old Excel (.xls) file: save it as .xlsx or CSV first")
    budget = _Budget(path)
    broken: dict[int, RowIssue] = {}
    with contextlib.ExitStack() as stack:
        if data.startswith(b"PK\x03\x04"):
            check_xlsx(path, data)
            sheets: Iterable[Table] = stack.enter_context(contextlib.closing(_xlsx_tables(path, data, budget)))
            source = "xlsx"
        else:
            text, encoding = _decode(path, data)
            del data
            sheets, source = [_csv_table(path, text, budget, broken)], f"csv:{encoding}"
        for table in sheets:
            found = _find_header(table, budget)
            if found is not None:
                header_line, columns, warnings, rows = found
                missing = [c for c in REQUIRED_COLUMNS if c not in columns]
                if missing:
                    names = "、".join(missing)
                    raise RosterFileError(
                        "roster.column_missing",
                        f"花名册缺少必需的列：{names}（表头在第{header_line}行；必需的列：{'、'.join(REQUIRED_COLUMNS)}）",
                        f"The roster lacks required column(s): {names} (header on line {header_line}; "
                        f"required: {', '.join(REQUIRED_COLUMNS)})", line=header_line, column=names)
                return RawRoster(rows, header_line, columns, warnings, source, _data_rows_only(path, broken, header_line))
    raise RosterFileError(
        "roster.no_header",
        f"在“{path.name}”的前{HEADER_SCAN_ROWS}行中找不到表头（应有 村、组、户主姓名、姓名、与户主关系 等列）",
        f"No header row found in the first {HEADER_SCAN_ROWS} rows of '{path.name}' "
        "(expected columns such as 村, 组, 户主姓名, 姓名, 与户主关系)", line=0)


def _data_rows_only(path: Path, broken: dict[int, RowIssue], header_line: int) -> dict[int, RowIssue]:
    """An unclosed quote in the header refuses the file; above it (a title row) it is harmless."""
    for line, issue in broken.items():
        if line == header_line:
            raise _open_quote(path, issue.line)
    return {line: issue for line, issue in broken.items() if line > header_line}


def _too_large(path: Path, size: int) -> RosterFileError:
    return RosterFileError(
        "roster.too_large",
        f"花名册“{path.name}”太大（{size / 1048576:.1f} MB，最多 {MAX_FILE_BYTES // 1048576} MB）：请分成几个文件导入",
        f"The roster '{path.name}' is too large ({size / 1048576:.1f} MB, at most {MAX_FILE_BYTES // 1048576} MB); "
        "split it into several files")


def _bomb(path: Path, detail_zh: str, detail_en: str) -> RosterFileError:
    return RosterFileError(
        "roster.bomb",
        f"拒绝导入“{path.name}”：这个 .xlsx 解压后会大得不正常（{detail_zh}），可能是恶意文件。"
        "请在 Excel/WPS 中打开后“另存为”新的 .xlsx 或 CSV 再导入",
        f"Refused '{path.name}': this .xlsx would expand abnormally ({detail_en}) and may be malicious; "
        "open it in Excel/WPS and save it as a new .xlsx or CSV first")


class _Budget:
    """Counts lines and cells across every sheet read (data rows: ``_find_header``); refuses past the limits."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines = 0
        self.cells = 0

    def line(self, line: int) -> None:
        self.lines += 1
        if self.lines > MAX_LINES or line > MAX_LINES:
            self.too_many_rows(line)

    def row(self, line: int, n_cells: int) -> None:
        self.cells += n_cells
        if n_cells > MAX_ROW_CELLS:
            self.row_too_wide(line, f"{n_cells} 个单元格", f"{n_cells} cells")
        if self.cells > MAX_CELLS:
            raise RosterFileError(
                "roster.too_many_cells",
                f"花名册“{self.path.name}”的单元格太多（到第{line}行已超过 {MAX_CELLS:,} 个）：请删去不用的列，或分成几个文件导入",
                f"The roster '{self.path.name}' has too many cells (over {MAX_CELLS:,} by line {line}); "
                "delete unused columns or split it into several files", line=line)

    def too_many_rows(self, line: int) -> None:
        raise RosterFileError(
            "roster.too_many_rows",
            f"花名册“{self.path.name}”的行数太多（到第{line}行已超过上限：最多 {MAX_ROWS:,} 行数据、"
            f"{MAX_LINES:,} 行含空行）：请分成几个文件导入",
            f"The roster '{self.path.name}' has too many rows (over the limit by line {line}: at most "
            f"{MAX_ROWS:,} data rows, {MAX_LINES:,} lines with empty ones); split it into several files", line=line)

    def row_too_wide(self, line: int, zh: str, en: str) -> None:
        raise RosterFileError(
            "roster.too_many_cells",
            f"花名册“{self.path.name}”第{line}行太长（{zh}；一行最多 {MAX_ROW_CELLS:,} 个单元格）",
            f"Line {line} of the roster '{self.path.name}' is too long ({en}; at most {MAX_ROW_CELLS:,} cells "
            "in a row)", line=line)



def _decode(path: Path, data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]  # Excel's "Unicode text" export
    else:
        # Excel on Chinese Windows saves CSV as GBK; GB18030 is its superset.
        candidates = ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text[:65536] if ch < " " and ch not in "\t\r\n")
        if "\x00" in text or controls > max(2, len(text[:65536]) // 200):
            raise _unreadable(path, "二进制数据", "binary data")
        return text, enc
    raise _unreadable(path, "无法识别的文字编码", "unknown text encoding")


Table = Iterable[tuple[int, list[Any]]]

# ----------------------------------------------------------------------------- CSV


def _csv_table(path: Path, text: str, budget: _Budget,
               broken: dict[int, RowIssue]) -> Iterator[tuple[int, list[Any]]]:
    """The CSV's records with the line each starts on, within the limits.

    A record whose quote was left open (``_quote_opened``) does not swallow the rows after it:
    its cells are read up to the end of the line where the quote opened, with that quote taken
    as a plain character; the record's line goes into ``broken`` (a row error,
    ``roster.csv_quote``, naming the line where the quote opened) and reading starts again on
    the next line. More than MAX_QUOTE_ERRORS of them refuse the file as a whole.
    """
    if text.count("\n") + text.count("\r") - text.count("\r\n") >= MAX_LINES:  # line breaks, counted in C
        budget.too_many_rows(MAX_LINES + 1)
    skip = 1 if text[:4].lower() == "sep=" else 0  # Excel's delimiter hint line
    delimiter = max(",\t;", key=_first_line(text, skip).count)
    for start, row in _csv_records(path, io.StringIO(text, newline=""), 1, delimiter, budget, broken):
        if start > skip:
            yield start, row


class _Runaway(Exception):
    """One record grew past MAX_CSV_RECORD_CHARS while being read."""


class _Lines:
    """Physical lines handed to ``csv.reader``, kept until their record is done, and counted.

    An iterator object, not a generator: after it raised ``_Runaway`` the reader can go on.
    """

    def __init__(self, source: Iterable[str]) -> None:
        self.source = iter(source)
        self.pending: list[str] = []   # the physical lines of the record being read
        self.chars = 0
        self.count = 0                 # lines handed out
        self.at_end = False

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        try:
            ln = next(self.source)
        except StopIteration:
            self.at_end = True
            raise
        self.count += 1
        self.chars += len(ln)
        self.pending.append(ln)
        if self.chars > MAX_CSV_RECORD_CHARS:
            raise _Runaway
        return ln

    def done(self) -> None:
        self.pending = []
        self.chars = 0


def _csv_records(path: Path, source: Iterable[str], first: int, delimiter: str, budget: _Budget,
                 broken: dict[int, RowIssue]) -> Iterator[tuple[int, list[Any]]]:
    """The records of ``source`` (physical lines, the first numbered ``first``) and where each starts."""
    lines = _Lines(source)
    reader = csv.reader(lines, delimiter=delimiter)
    while True:
        start = first + lines.count
        try:
            row = next(reader)
            opened = _quote_opened(start, row, lines.pending, delimiter) \
                if len(lines.pending) > 1 or lines.at_end else None
        except StopIteration:
            break
        except (_Runaway, csv.Error) as exc:
            # Over a megabyte in one record, or one cell over the csv module's field limit: an open
            # quote swallowing the file, a line too long, or a file that is not CSV.
            opened = _scan_open_quote(start, lines.pending, delimiter) if len(lines.pending) > 1 else None
            if opened is None and isinstance(exc, _Runaway):
                budget.row_too_wide(start, f"{lines.chars:,} 个字符", f"{lines.chars:,} characters")
            if opened is None:
                raise _unreadable(path, f"第 {first + lines.count - 1} 行附近 CSV 格式有误",
                                  f"CSV error near line {first + lines.count - 1}") from exc
            row = []
        if opened is None:
            if any(row):
                budget.row(start, len(row))
            yield start, row
            lines.done()
            continue
        if len(broken) >= MAX_QUOTE_ERRORS:
            raise _open_quote(path, opened)
        broken[start] = _open_quote_row(path, opened)
        taken = opened - start + 1        # the record's lines up to the one where the quote opened
        rest = lines.pending[taken:]
        cells = _cells_with_open_quote(lines.pending[:taken], delimiter)
        lines.done()
        budget.row(start, len(cells))
        yield start, cells
        yield from _csv_records(path, rest, opened + 1, delimiter, budget, broken)


def _cells_with_open_quote(record: list[str], delimiter: str) -> list[str]:
    """The cells of a record whose last quote never closes, that quote read as a plain character.

    A quote opens only at the start of a cell, so the open cell is the last one read; what follows
    its quote up to the line's end is split on the delimiter as the person who typed it meant.
    """
    try:
        cells = next(csv.reader(record, delimiter=delimiter), [])
    except csv.Error:   # over the field limit: the line as plain text
        cells = ["".join(record).replace('"', "")]
    if not cells:
        return []
    tail = cells.pop().rstrip("\r\n")
    parts = tail.split(delimiter)
    return [*cells, *parts]


def _first_line(text: str, skip: int) -> str:
    """The first non-blank line after ``skip`` lines (without splitting the whole text)."""
    pos = 0
    for _ in range(skip):
        nl = text.find("\n", pos)
        pos = len(text) if nl < 0 else nl + 1
    while pos < len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        line = text[pos:end]
        if line.strip():
            return line
        pos = end + 1
    return ""


def _quote_opened(start: int, row: list[str], raw: list[str], delimiter: str) -> int | None:
    """A record over several lines: the line where a quote was left open and swallowed rows, if one was.

    Python's csv module reads everything after an unclosed quote, up to the next quote or the
    end of the file, as one cell. A real multi-line cell (Alt+Enter in Excel) holds line
    breaks but not lines that look like rows; so a cell with a line break and a line of three
    or more delimiters, or a quote still open at the end of the file (or of a record cut off at
    MAX_CSV_RECORD_CHARS), is an unclosed quote.
    """
    line = start
    for cell in row:
        if ("\n" in cell or "\r" in cell) and any(part.count(delimiter) >= 3 for part in cell.splitlines()):
            return line
        line += cell.count("\n") + cell.replace("\r\n", "").count("\r")
    try:
        for _ in csv.reader(raw, delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            return start + sum(c.count("\n") for c in row[:-1])
    return None


def _scan_open_quote(start: int, raw: list[str], delimiter: str) -> int | None:
    """The line where a quote opened that is still open at the end of ``raw`` (one record's lines).

    For records the csv module gave up on (a cell over its field limit, a record cut off): the
    same quoting rules, character by character (a quote opens only at a cell's start; ``""``
    inside quotes is a quote).
    """
    line, opened = start, 0
    at_start, quoted, after_quote = True, False, False
    for text in raw:
        for ch in text:
            if quoted:
                if ch == '"':
                    quoted, after_quote = False, True
                continue
            if after_quote and ch == '"':
                quoted, after_quote = True, False   # "" inside a quoted cell
                continue
            after_quote = False
            if ch == delimiter or ch in "\r\n":
                at_start = True
            elif at_start and ch == '"':
                quoted, opened, at_start = True, line, False
            else:
                at_start = False
        line += 1
    return opened if quoted else None


def _open_quote(path: Path, line: int) -> RosterFileError:
    """The whole file refused: the quote is in the header, or there are too many of them."""
    return RosterFileError(
        "roster.csv_quote",
        f"“{path.name}”第{line}行有一个双引号（\"）没有闭合，后面的行会被并进同一个单元格；"
        f"请在第{line}行补上或删去这个引号后再导入",
        f"A double quote (\") opened on line {line} of '{path.name}' is never closed, so the following lines "
        f"would be read into one cell; close or remove that quote on line {line} and import again",
        line=line)


def _open_quote_row(path: Path, line: int) -> RowIssue:
    """One row not imported: its quote never closes (the rows after it are read as usual)."""
    return RowIssue(
        line, "", "roster.csv_quote",
        f"“{path.name}”第{line}行有一个双引号（\"）没有闭合，本行未导入（后面的行照常读取）；"
        f"请在第{line}行补上或删去这个引号后再导入",
        f"A double quote (\") opened on line {line} of '{path.name}' is never closed, so this row was not "
        f"imported (the rows after it were read as usual); close or remove that quote on line {line} and "
        "import again")


# ----------------------------------------------------------------------------- XLSX


def check_xlsx(path: Path, data: bytes) -> None:
    """Refuse a workbook that would expand too far or holds a DTD, before openpyxl reads it.

    Checks the zip's end record (entries, directory size), every member's recorded sizes
    (total and ratio) and then streams every member: XML elements in all, tags in one ``<row>``,
    rows, and the XML prolog with expat itself — a DOCTYPE in any member (the door to external
    entities and entity expansion) is refused; a workbook never needs one.
    """
    tail = data[-(65536 + 22):]
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise _unreadable(path, "文件已损坏或不是 .xlsx 工作簿", "damaged or not an .xlsx workbook")
    entries, directory = struct.unpack("<xxxxxxxxxxHL", tail[at:at + 16])
    if entries > XLSX_MAX_MEMBERS or directory > XLSX_MAX_DIRECTORY:
        raise _bomb(path, f"{entries} 个成员、目录 {directory:,} 字节", f"{entries} members, a {directory:,}-byte directory")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise _unreadable(path, "文件已损坏或不是 .xlsx 工作簿", "damaged or not an .xlsx workbook") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > XLSX_MAX_MEMBERS:
            raise _bomb(path, f"{len(infos)} 个成员", f"{len(infos)} members")
        total = sum(i.file_size for i in infos)
        if total > XLSX_MAX_UNCOMPRESSED:
            raise _bomb(path, f"解压后 {total / 1048576:,.0f} MB", f"{total / 1048576:,.0f} MB unpacked")
        for info in infos:
            if info.file_size > XLSX_RATIO_GRACE and info.file_size > XLSX_MAX_RATIO * max(info.compress_size, 1):
                ratio = info.file_size / max(info.compress_size, 1)
                raise _bomb(path, f"{info.filename} 压缩比 {ratio:,.0f}:1", f"{info.filename} compressed {ratio:,.0f}:1")
        scan = _XmlScan(path)
        for info in infos:
            if not info.is_dir():
                scan.member(zf, info)


_SEGMENT_START = re.compile(rb"<(?:[^\s<>/!?:]+:)?(row|si)[\s/>]")


class _XmlScan:
    """Counts XML elements per member and per ``<row>`` and refuses a DTD, in one streamed pass."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.elements = 0

    def member(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        parser: Any = expat.ParserCreate()
        prolog = True  # until the root element starts: the only place a DTD can be

        def doctype(*_: Any) -> None:
            raise _XmlUnsafe

        def root(*_: Any) -> None:
            raise _RootSeen

        parser.StartDoctypeDeclHandler = doctype
        parser.EntityDeclHandler = doctype
        parser.StartElementHandler = root
        seg = [0, 0, 0]
        carry = b""
        read = 0
        try:
            with zf.open(info) as fh:
                while chunk := fh.read(1 << 18):
                    read += len(chunk)
                    if read > info.file_size:  # never more than recorded; zipfile stops there too
                        raise _bomb(self.path, f"{info.filename} 大于记录的大小", f"{info.filename} exceeds its size")
                    if prolog:
                        try:
                            parser.Parse(chunk, False)
                        except _RootSeen:
                            prolog = False
                        except expat.ExpatError:
                            prolog = False  # not XML (an image …) or broken: openpyxl will say so
                    data = carry + chunk
                    cut = data.rfind(b"<")
                    if cut < 0 or len(data) - cut > 4096:
                        cut = len(data)
                    body, carry = data[:cut], data[cut:]
                    self._count(info, body, seg)
                self._count(info, carry, seg)
        except _XmlUnsafe:
            raise RosterFileError(
                "roster.xml_unsafe",
                f"拒绝导入“{self.path.name}”：其中的 {info.filename} 含有 DOCTYPE/实体声明，正常的 Excel 文件没有，"
                "可能是恶意文件。请在 Excel/WPS 中打开后“另存为”新的 .xlsx 或 CSV 再导入",
                f"Refused '{self.path.name}': its part {info.filename} holds a DOCTYPE/entity declaration, which real "
                "Excel files never do, and may be malicious; open it in Excel/WPS and save it as a new .xlsx "
                "or CSV first") from None
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, ValueError, EOFError,
                OSError) as exc:   # zlib.error: a part whose compressed data is damaged (a bit flipped)
            raise _unreadable(self.path, "已损坏或已加密的 .xlsx 工作簿", "damaged or encrypted .xlsx workbook") from exc

    def _count(self, info: zipfile.ZipInfo, body: bytes, seg: list[int]) -> None:
        """Add ``body``'s elements, rows and tags per segment; ``seg`` = [open tags, rows, in a segment].

        A segment runs from one ``<row`` or ``<si`` (a shared string) to the next: openpyxl lets go
        of each when it is done, so each may hold at most XLSX_MAX_ROW_TAGS tags. Everything before
        the first segment — all of a part without rows or strings, such as styles — is kept by
        openpyxl as one tree, so it may hold at most XLSX_MAX_PART_TAGS.
        """
        self.elements += (body.count(b"<") - body.count(b"</") - body.count(b"<!") - body.count(b"<?"))
        if self.elements > XLSX_MAX_ELEMENTS:
            raise _bomb(self.path, f"超过 {XLSX_MAX_ELEMENTS:,} 个 XML 元素", f"over {XLSX_MAX_ELEMENTS:,} XML elements")
        found = [(m.start(), m.group(1)) for m in _SEGMENT_START.finditer(body)]
        seg[1] += sum(1 for _, kind in found if kind == b"row")
        if seg[1] > MAX_LINES:
            _Budget(self.path).too_many_rows(MAX_LINES + 1)
        limit = XLSX_MAX_ROW_TAGS if seg[2] else XLSX_MAX_PART_TAGS
        if found:
            starts = [at for at, _ in found]
            lead = seg[0] + body.count(b"<", 0, starts[0])
            tags = list(map(body.count, itertools.repeat(b"<"), starts, [*starts[1:], len(body)]))
            seg[0], seg[2] = tags[-1], 1
            if lead > limit:
                self._too_many_tags(info, limit)
            if max(tags) > XLSX_MAX_ROW_TAGS:
                self._too_many_tags(info, XLSX_MAX_ROW_TAGS)
        else:
            seg[0] += body.count(b"<")
            if seg[0] > limit:
                self._too_many_tags(info, limit)

    def _too_many_tags(self, info: zipfile.ZipInfo, limit: int) -> None:
        if limit == XLSX_MAX_PART_TAGS:
            raise _bomb(self.path, f"{info.filename} 超过 {limit:,} 个 XML 标记", f"{info.filename} holds over {limit:,} XML tags")
        raise _bomb(self.path, f"{info.filename} 的一行超过 {limit:,} 个 XML 标记",
                    f"a row of {info.filename} holds over {limit:,} XML tags")


class _XmlUnsafe(Exception):
    pass


class _RootSeen(Exception):
    pass


def _xlsx_tables(path: Path, data: bytes, budget: _Budget) -> Generator[Iterator[tuple[int, list[Any]]]]:
    """Each worksheet's rows, read lazily (a sheet without a header is left after 20 rows)."""
    import openpyxl  # imported lazily: only roster import and exports need it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, OSError, ParseError) as exc:
        raise _unreadable(path, "文件已损坏或不是 .xlsx 工作簿", "damaged or not an .xlsx workbook") from exc
    except Exception as exc:  # hostile input: whatever else openpyxl trips over is a damaged file, not a bug of ours
        log.info("roster: openpyxl could not open %s: %s", path.name, type(exc).__name__)
        raise _unreadable(path, "已损坏的 .xlsx 工作簿", "damaged .xlsx workbook") from exc
    try:
        for ws in wb.worksheets:
            if not hasattr(ws, "iter_rows"):
                continue  # chart sheets
            ws.reset_dimensions()  # some generators write wrong dimensions; read every row
            yield _sheet_rows(path, ws, budget)
    finally:
        wb.close()


def _sheet_rows(path: Path, ws: Any, budget: _Budget) -> Iterator[tuple[int, list[Any]]]:
    try:
        for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
            budget.line(i)
            row = list(values)
            while row and row[-1] is None:
                row.pop()  # trailing empty cells (formatted but blank) hold nothing
            if row:
                budget.row(i, len(row))
            yield i, row
    except RosterFileError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, ParseError) as exc:
        raise _unreadable(path, "工作表已损坏", "damaged worksheet") from exc
    except Exception as exc:  # as above
        log.info("roster: openpyxl could not read a sheet of %s: %s", path.name, type(exc).__name__)
        raise _unreadable(path, "工作表已损坏", "damaged worksheet") from exc


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _find_header(table: Table, budget: _Budget | None = None) -> tuple[int, list[str], list[RowIssue], list[tuple[int, dict[str, Any]]]] | None:
    it = iter(table)
    scanned = 0
    for line, cells in it:
        if all(_blank(c) for c in cells):
            continue
        scanned += 1
        if scanned > HEADER_SCAN_ROWS:
            return None
        canon = [_HEADER_LOOKUP.get(_norm_header(c)) for c in cells]
        known = {c for c in canon if c}
        if "姓名" not in known or len(known) < 3:
            continue  # a title row such as "乐和村花名册"
        warnings: list[RowIssue] = []
        index: dict[str, int] = {}
        for i, (raw, c) in enumerate(zip(cells, canon, strict=True)):
            if _blank(raw):
                continue
            label = str(raw).strip()
            if c is None:
                warnings.append(RowIssue(line, label, "roster.column_ignored", f"未识别的列“{label}”，已忽略",
                                         f"Unrecognised column '{label}' was ignored", "warning"))
            elif c in index:
                warnings.append(RowIssue(line, label, "roster.column_duplicate",
                                         f"列“{label}”重复，只使用第一列", f"Column '{label}' appears twice; "
                                         "only the first is used", "warning"))
            else:
                index[c] = i
        rows: list[tuple[int, dict[str, Any]]] = []
        for dline, dcells in it:
            if all(_blank(c) for c in dcells):
                continue
            # Empty cells are left out (every reader uses .get): 200,000 rows stay small.
            if len(rows) >= MAX_ROWS and budget is not None:
                budget.too_many_rows(dline)
            rows.append((dline, {c: v for c, i in index.items()
                                 if i < len(dcells) and (v := dcells[i]) is not None and v != ""}))
        return line, list(index), warnings, rows
    return None


# ----------------------------------------------------------------------------- vocabularies

RELATION_ALIASES: dict[str, str] = {
    "本人": "02", "户主本人": "02", "01": "02", "2": "02",
    "妻": "10", "妻子": "10", "夫": "10", "丈夫": "10", "爱人": "10", "老伴": "10", "之妻": "10", "之夫": "10",
    "儿子": "20", "长子": "20", "次子": "20", "三子": "20", "四子": "20", "养子": "20", "继子": "20", "之子": "20",
    "独生子": "20",
    "女儿": "30", "长女": "30", "次女": "30", "三女": "30", "四女": "30", "养女": "30", "继女": "30", "之女": "30",
    "独生女": "30",
    "孙子": "40", "孙女": "40", "孙": "40", "外孙": "40", "外孙子": "40", "外孙女": "40", "曾孙": "40",
    "曾孙子": "40", "曾孙女": "40", "孙子女": "40",
    "父亲": "50", "母亲": "50", "父": "50", "母": "50", "公公": "50", "婆婆": "50", "岳父": "50", "岳母": "50",
    "继父": "50", "继母": "50",
    "祖父": "60", "祖母": "60", "爷爷": "60", "奶奶": "60", "外祖父": "60", "外祖母": "60", "外公": "60", "外婆": "60",
    "兄": "70", "弟": "70", "姐": "70", "妹": "70", "哥哥": "70", "弟弟": "70", "姐姐": "70", "妹妹": "70",
    "兄弟": "70", "姐妹": "70",
    # In-laws and collateral relatives: GB/T 4761 puts some under 子/女, but shown as 子/女 they mislead.
    "儿媳": "97", "儿媳妇": "97", "媳妇": "97", "女婿": "97", "嫂": "97", "嫂子": "97", "弟媳": "97",
    "姐夫": "97", "妹夫": "97", "侄子": "97", "侄女": "97", "外甥": "97", "外甥女": "97", "孙媳": "97",
    "孙媳妇": "97", "孙女婿": "97", "其他": "97", "其它": "97", "其他亲属": "97", "亲属": "97",
    "非亲属": "99", "保姆": "99", "寄住": "99",
}
SEX_ALIASES: dict[str, str] = {"男": "1", "男性": "1", "m": "1", "male": "1", "女": "2", "女性": "2", "f": "2",
                               "female": "2"}
CATEGORY_ALIASES: dict[str, str] = {
    "低保": "dibao", "低保户": "dibao", "低保对象": "dibao", "低保人员": "dibao", "城乡低保": "dibao",
    "低保边缘": "dibao_edge", "低保边缘户": "dibao_edge", "边缘户": "dibao_edge",
    "特困": "tekun", "特困户": "tekun", "特困人员": "tekun", "特困供养": "tekun", "五保": "tekun", "五保户": "tekun",
    "脱贫": "tuopin", "脱贫户": "tuopin", "建档立卡户": "tuopin", "建档立卡贫困户": "tuopin", "贫困户": "tuopin",
    "留守儿童": "left_behind_child", "留守老人": "left_behind_elder", "留守妇女": "left_behind_woman",
    "空巢": "empty_nest", "空巢老人": "empty_nest", "独居": "living_alone", "独居老人": "living_alone",
    "高龄": "very_old", "高龄老人": "very_old", "失能": "disabled_elder_care", "半失能": "disabled_elder_care",
    "失能老人": "disabled_elder_care", "半失能老人": "disabled_elder_care", "孤寡": "lonely_elder",
    "孤寡老人": "lonely_elder", "残疾": "disabled", "残疾人": "disabled", "重病": "serious_illness",
    "大病": "serious_illness", "重病患者": "serious_illness", "大病患者": "serious_illness",
    "精神障碍": "mental_disorder", "严重精神障碍": "mental_disorder", "精神病": "mental_disorder",
    "单亲": "single_parent", "单亲家庭": "single_parent", "受灾": "disaster", "受灾户": "disaster",
    "优抚": "special_care", "优抚对象": "special_care", "孤儿": "orphan", "困境儿童": "child_difficulty",
    "事实无人抚养儿童": "de_facto_unsupported", "监测户": "", "防返贫监测户": "", "防返贫监测对象": "",
}
# Categories that describe the household rather than one person (household_categories).
HOUSEHOLD_CATEGORIES = frozenset({"dibao_edge", "fpjc_unstable", "fpjc_edge", "fpjc_sudden", "tuopin",
                                  "single_parent", "disaster"})


def _vkey(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


class _Vocabularies:
    """Chinese labels, English labels, codes and common variants → vocabulary codes."""

    def __init__(self, store: Any) -> None:
        self.relation = self._base(store, "relation_to_head")
        for alias, code in RELATION_ALIASES.items():
            self.relation.setdefault(_vkey(alias), code)
        self.relation_labels = "、".join(i["zh"] for i in store.vocab("relation_to_head"))
        self.sex = self._base(store, "sex")
        for alias, code in SEX_ALIASES.items():
            self.sex.setdefault(_vkey(alias), code)
        items = store.vocab("vulnerable_category")
        self.category = self._base(store, "vulnerable_category")
        self.category_labels = {i["code"]: _vkey(i["zh"]) for i in items}
        for i in items:
            base = _PAREN.sub("", i["zh"])
            for part in re.split(r"[/／]", base):
                self.category.setdefault(_vkey(part), i["code"])
            if "—" in base:
                self.category.setdefault(_vkey(base.split("—", 1)[1]), i["code"])
        for alias, code in CATEGORY_ALIASES.items():
            self.category[_vkey(alias)] = code   # "" marks a deliberately ambiguous word

    @staticmethod
    def _base(store: Any, name: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for item in store.vocab(name):
            out[_vkey(item["code"])] = item["code"]
            out.setdefault(_vkey(item["zh"]), item["code"])
            out.setdefault(_vkey(item["en"]), item["code"])
        return out

    def relation_code(self, text: str) -> str | None:
        key = _vkey(text)
        code = self.relation.get(key)
        if code is None and key.startswith(("户主之", "户主的")):
            code = self.relation.get(key[3:])
        if code is None and len(key) == 2 and key.isdigit():
            # GB/T 4761 detailed codes (22 长子, 51 父亲 …) roll up to their group.
            code = {"2": "20", "3": "30", "4": "40", "5": "50", "6": "60", "7": "70", "8": "97"}.get(key[0])
            if key in ("28", "38"):
                code = "97"
        return code

    def category_code(self, text: str) -> tuple[str | None, list[str]]:
        """(code, []) when recognised; (None, candidates) when ambiguous or unknown."""
        key = _vkey(text)
        if key in self.category:
            code = self.category[key]
            if code:
                return code, []
        else:
            hits = [c for c, label in self.category_labels.items() if len(key) >= 2 and key in label]
            if len(hits) == 1:
                return hits[0], []
            if not hits:
                return None, []
            return None, hits
        hits = [c for c, label in self.category_labels.items() if key.rstrip("户") in label]
        return None, hits


# ----------------------------------------------------------------------------- importing


class _PlannedLookup:
    """Validation's view of the store plus the records this import is about to create."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.planned: set[str] = set()

    def vocab_has(self, vocab: str, code: str) -> bool:
        return bool(self.store.vocab_has(vocab, code))

    def record_exists(self, rtype: str, rid: str) -> bool:
        return rid in self.planned or bool(self.store.record_exists(rtype, rid))

    def get(self, rtype: str, rid: str) -> dict[str, Any] | None:
        return self.store.get(rtype, rid)

    def children(self, rtype: str, parent_id: str) -> list[dict[str, Any]]:
        return self.store.children(rtype, parent_id)


@dataclass
class _Row:
    line: int
    hid: str | None = None
    mid: str | None = None
    member: dict[str, Any] = field(default_factory=dict)
    head_name: str = ""
    area_path: str = ""
    group: str = ""
    address: str | None = None
    phones: list[str] = field(default_factory=list)
    member_cats: list[str] = field(default_factory=list)
    household_cats: list[str] = field(default_factory=list)
    head_attempt: bool = False   # the row means to be the head's own row
    failed: bool = False


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _Importer:
    def __init__(self, store: Any, roster: RawRoster) -> None:
        self.store = store
        self.roster = roster
        self.lookup = _PlannedLookup(store)
        self.ctx = Context(today=store.today or date.today(), lookup=self.lookup)
        self.vocab = _Vocabularies(store)
        self.result = ImportResult(rows=len(roster.rows), warnings=list(roster.warnings))
        self._households: dict[tuple[str, str, str], tuple[str | None, dict[str, Any], list[Problem]]] = {}
        self._area_by_name: dict[str, list[str]] | None = None
        self._pending_sentinel = "00000000-0000-0000-0000-000000000000"
        self.lookup.planned.add(self._pending_sentinel)

    # -- issue helpers

    def _issue(self, row: _Row, column: str, code: str, zh: str, en: str, severity: str = "error") -> None:
        issue = RowIssue(row.line, column, code, zh, en, "warning" if severity == "warning" else "error")
        if issue.severity == "error":
            row.failed = True
            self.result.errors.append(issue)
        else:
            self.result.warnings.append(issue)

    def _problems(self, row: _Row, problems: list[Problem], column: str | None = None) -> None:
        for p in problems:
            self._issue(row, column or FIELD_COLUMN.get(p.field, p.field), p.code, p.zh, p.en, p.severity)

    # -- one row

    def _area(self, row: _Row, raw: Any) -> str | None:
        path = normalise_area_path(_text(raw))
        if not path:
            self._issue(row, "村", "field.required", "请填写村（如 重庆市/巫溪县/白鹿镇/乐和村）",
                        "The village is required (e.g. 重庆市/巫溪县/白鹿镇/乐和村)")
            return None
        if "/" not in path:
            matches = self._areas_named(path)
            if len(matches) == 1:
                return matches[0]
            self._issue(row, "村", "roster.area_path",
                        f"村“{path}”请填写完整路径，如 重庆市/巫溪县/白鹿镇/{path}",
                        f"Give the village '{path}' as a full path, e.g. 重庆市/巫溪县/白鹿镇/{path}")
            return None
        return path

    def _areas_named(self, name: str) -> list[str]:
        if self._area_by_name is None:
            self._area_by_name = {}
            for (path,) in self.store.query("SELECT path FROM areas WHERE deleted = 0"):
                self._area_by_name.setdefault(path.rsplit("/", 1)[-1], []).append(path)
        return self._area_by_name.get(name, [])

    def _household(self, row: _Row, path: str | None, group: str, head: Any) -> str | None:
        key = (path or "", normalise_key(group), normalise_key(_text(head)))
        cached = self._households.get(key)
        if cached is None:
            aid = area_id(path) if path else self._pending_sentinel
            self.lookup.planned.add(aid)
            clean, problems = validate(HOUSEHOLD, {"area_id": aid, "group_name": group, "head_name": _text(head),
                                                   "status": "on_register"}, self.ctx)
            hid = None
            if path and not any(p.is_error for p in problems):
                hid = natural_id("household", aid, clean["group_name"], clean["head_name"])
                self.lookup.planned.add(hid)
            cached = (hid, clean, problems)
            self._households[key] = cached
        hid, clean, problems = cached
        self._problems(row, problems)
        row.head_name = clean.get("head_name") or ""
        row.group = clean.get("group_name") or ""
        return hid

    def _id_number(self, row: _Row, raw: Any) -> str:
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            digits = len(str(int(raw)))
            if digits >= 16:
                self._id_mangled(row)
                return ""
            return str(int(raw))
        text = _text(raw)
        if _SCI_NUMBER.fullmatch(text):
            self._id_mangled(row)
            return ""
        return text

    def _id_mangled(self, row: _Row) -> None:
        self._issue(row, "身份证号", "roster.id_number_excel",
                    "身份证号被 Excel 当成了数字，后几位已丢失：请把该列设为“文本”格式后重新填写",
                    "Excel stored the ID number as a number and lost its last digits; format the column "
                    "as text and enter it again")

    def _birth(self, raw: Any) -> Any:
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        text = _text(raw)
        compact = to_halfwidth(text)
        if len(compact) == 8 and compact.isdigit():  # 19650312
            return f"{compact[:4]}-{compact[4:6]}-{compact[6:]}"
        return text

    def row(self, line: int, cells: dict[str, Any]) -> _Row:
        row = _Row(line)
        unread = self.roster.broken.get(line)
        if unread is not None:   # read as best it could be; never imported as it stands
            self._issue(row, unread.column, unread.code, unread.zh, unread.en)
        path = self._area(row, cells.get("村"))
        row.area_path = path or ""
        group = _text(cells.get("组"))
        if group.isdigit():
            group += "组"  # "3" in the 组 column means 3组
        hid = self._household(row, path, group, cells.get("户主姓名"))
        row.hid = hid
        address = _text(cells.get("地址"))
        if address:
            value, problems = clean_field(HOUSEHOLD.field("address"), address, self.ctx)
            self._problems(row, problems)
            row.address = value

        rel_text = _text(cells.get("与户主关系"))
        name_text = _text(cells.get("姓名"))
        relation: str | None = None
        if rel_text:
            relation = self.vocab.relation_code(rel_text)
            if relation is None:
                self._issue(row, "与户主关系", "roster.relation_unknown",
                            f"与户主关系“{rel_text}”无法识别，可填：{self.vocab.relation_labels}",
                            f"Relation to head '{rel_text}' is not recognised; use one of: "
                            f"{self.vocab.relation_labels}")
        elif name_text and normalise_key(name_text) == normalise_key(_text(cells.get("户主姓名"))):
            relation = "02"
            self._issue(row, "与户主关系", "roster.relation_assumed", "与户主关系为空，姓名与户主相同，按“户主”导入",
                        "Relation is empty and the name equals the head's: imported as head", "warning")

        row.head_attempt = relation == "02" or (
            not rel_text and normalise_key(name_text) == normalise_key(_text(cells.get("户主姓名"))))
        id_number = self._id_number(row, cells.get("身份证号"))
        sex_text = _text(cells.get("性别"))
        sex: str | None = None
        if sex_text:
            sex = self.vocab.sex.get(_vkey(sex_text))
            if sex is None:
                self._issue(row, "性别", "roster.sex_unknown", f"性别“{sex_text}”无法识别，请填“男”或“女”",
                            f"Sex '{sex_text}' is not recognised; use 男 or 女")
        elif id_number:
            n = normalise_id_number(id_number)
            if len(n) in (15, 18) and n[:17].isdigit():
                sex = "1" if int(n[16] if len(n) == 18 else n[14]) % 2 else "2"

        values: dict[str, Any] = {"household_id": hid or self._pending_sentinel, "name": name_text,
                                  "relation": relation, "sex": sex, "birth_date": self._birth(cells.get("出生日期"))}
        # An unrecognised label was reported already; "required" on top would only repeat it.
        reported = {f for f, v, t in (("relation", relation, rel_text), ("sex", sex, sex_text)) if v is None and t}
        if id_number:
            values["id_number"] = id_number
            values["id_type"] = "resident_id"
        clean, problems = validate(MEMBER, values, self.ctx)
        self._problems(row, [p for p in problems if not (p.code == "field.required" and p.field in reported)])
        if not row.failed and hid:
            clean.update(derive_member(clean))
            row.member = clean
            row.mid = natural_id("member", hid, clean["name"], clean.get("id_number") or "")

        for raw_phone in _LIST_SPLIT.split(_text(cells.get("电话"))):
            if not raw_phone.strip():
                continue
            number, problems = clean_field(MEMBER_PHONE.field("number"), raw_phone, self.ctx)
            self._problems(row, problems, "电话")
            if number and number not in row.phones:
                row.phones.append(number)

        for token in _LIST_SPLIT.split(_text(cells.get("类别"))):
            token = token.strip()
            if not token:
                continue
            code, candidates = self.vocab.category_code(token)
            if code is None:
                if candidates:
                    self._issue(row, "类别", "roster.category_ambiguous",
                                f"类别“{token}”不明确，可能是：{'、'.join(self._cat_zh(c) for c in candidates)}",
                                f"Category '{token}' is ambiguous; it could be: {', '.join(candidates)}")
                else:
                    self._issue(row, "类别", "roster.category_unknown",
                                f"类别“{token}”无法识别（如 低保户、特困人员、留守儿童、独居老人、残疾人）",
                                f"Category '{token}' is not recognised (e.g. 低保户, 特困人员, 留守儿童)")
                continue
            household_level = code in HOUSEHOLD_CATEGORIES or (code == "dibao" and _vkey(token).endswith("户"))
            target = row.household_cats if household_level else row.member_cats
            if code not in target:
                target.append(code)
        return row

    def _cat_zh(self, code: str) -> str:
        return self.store.vocab_label("vulnerable_category", code)

    # -- households as a whole

    def _split_namesakes(self, rows: list[_Row]) -> None:
        """Heads who share a name in one group are two households when their rows tell them apart.

        Rows are first grouped by (village, group, head's name), whose natural id every
        household had before. When that group holds several head rows (relation 户主, the
        head's own name) whose addresses differ, or whose ID numbers differ (both given), they
        are namesakes: one household each. Exactly one of them keeps the plain id — the one the
        database already holds under it (same address or same head ID number), else the first
        in the file, as earlier versions imported it — so ids of existing households never
        change and a re-import matches them. The others get an id that also names the head's
        ID number (else the address): deterministic, so two laptops importing the same roster
        make the same records. A member row goes to the namesake whose address it repeats, else
        to the nearest head row above it (rosters list a household's people together).
        """
        by_base: dict[str, list[_Row]] = {}
        for row in rows:
            if row.hid is not None:
                by_base.setdefault(row.hid, []).append(row)
        for base, group in by_base.items():
            heads = [r for r in group if not r.failed and r.member.get("relation") == "02"
                     and normalise_key(r.member.get("name", "")) == normalise_key(r.head_name)]
            if len(heads) < 2:
                continue
            clusters: list[list[_Row]] = []
            for h in heads:
                home = next((c for c in clusters if not _namesakes(c[0], h)), None)
                if home is None:
                    clusters.append([h])
                else:
                    home.append(h)    # the same household twice: reported as a second head later
            if len(clusters) < 2:
                continue
            keep = self._plain_id_owner(base, clusters)
            first = clusters[0][0]
            ids = [base if i == keep else natural_id("household", area_id(first.area_path), first.group,
                                                     first.head_name, _discriminator(c[0]))
                   for i, c in enumerate(clusters)]
            cluster_of = {id(h): i for i, c in enumerate(clusters) for h in c}
            # Addresses that point at one namesake only (two may share one and differ by ID number).
            owners: dict[str, set[int]] = {}
            for i, c in enumerate(clusters):
                for h in c:
                    if _addr(h):
                        owners.setdefault(_addr(h), set()).add(i)
            addresses = {a: next(iter(o)) for a, o in owners.items() if len(o) == 1}
            for r in group:
                found = cluster_of.get(id(r))
                if found is None and _addr(r):
                    found = addresses.get(_addr(r))
                if found is None:
                    above = [(h.line, j) for j, c in enumerate(clusters) for h in c if h.line < r.line]
                    found = max(above)[1] if above else 0
                r.hid = ids[found]
                if r.member:
                    r.member["household_id"] = r.hid
                if r.mid is not None:
                    r.mid = natural_id("member", r.hid, r.member["name"], r.member.get("id_number") or "")

    def _plain_id_owner(self, base: str, clusters: list[list[_Row]]) -> int:
        """Which namesake keeps the plain id: the one already stored under it, else the first."""
        existing = self.store.get("household", base)
        if existing is None:
            return 0
        stored_addr = normalise_key(existing.get("address") or "")
        stored_ids = {m.get("id_number") for m in self.store.children("member", base)
                      if m.get("relation") == "02" and _real_id(m.get("id_number"))}
        for i, c in enumerate(clusters):
            if any(_real_id(h.member.get("id_number")) and h.member.get("id_number") in stored_ids for h in c):
                return i
        for i, c in enumerate(clusters):
            if stored_addr and any(_addr(h) == stored_addr for h in c):
                return i
        return 0

    def households(self, rows: list[_Row]) -> dict[str, list[_Row]]:
        self._split_namesakes(rows)
        seen_member: dict[str, int] = {}
        seen_id_number: dict[str, int] = {}
        groups: dict[str, list[_Row]] = {}
        for row in rows:
            if row.hid is None:
                continue
            groups.setdefault(row.hid, []).append(row)
            if row.failed or row.mid is None:
                continue
            first = seen_member.get(row.mid)
            if first is not None:
                self._issue(row, "姓名", "roster.duplicate_person", f"与第{first}行是同一人（同户、同姓名、同身份证号），本行未导入",
                            f"Same person as line {first} (same household, name and ID number); not imported")
                continue
            seen_member[row.mid] = row.line
            number = row.member.get("id_number")
            if number and number not in ("unknown", "refused", "not_collected"):
                first = seen_id_number.get(number)
                if first is not None:
                    self._issue(row, "身份证号", "roster.duplicate_id_number",
                                f"身份证号与第{first}行相同，同一个身份证号只能属于一个人",
                                f"The ID number is the same as on line {first}; one ID number belongs to one person")
                    continue
                seen_id_number[number] = row.line
        for members in groups.values():
            head_row: _Row | None = None
            for r in members:
                if r.failed or r.member.get("relation") != "02":
                    continue
                if normalise_key(r.member.get("name", "")) != normalise_key(r.head_name):
                    self._issue(r, "与户主关系", "roster.head_mismatch",
                                "与户主关系为“户主”，但姓名与户主姓名不同",
                                "Relation says head of household, but the name differs from the head's name")
                elif head_row is not None:
                    self._issue(r, "与户主关系", "roster.head_duplicate", f"本户已有户主（第{head_row.line}行）",
                                f"This household already has a head (line {head_row.line})")
                else:
                    head_row = r
            if head_row is not None:
                continue
            failed_head = next((r for r in members if r.failed and r.head_attempt), None)
            if failed_head is not None:
                # Members without their head would make a household nobody can recognise.
                for r in members:
                    if r.failed:
                        continue
                    self._issue(r, "户主姓名", "roster.head_invalid",
                                f"本户户主所在行（第{failed_head.line}行）有错误，本户未导入；请先改正第{failed_head.line}行",
                                f"The head of household's row (line {failed_head.line}) has errors, so this "
                                f"household was not imported; correct line {failed_head.line} first")
            elif any(not r.failed for r in members):
                first_ok = next(r for r in members if not r.failed)
                self._issue(first_ok, "户主姓名", "roster.head_missing", "本户没有户主本人的行，已按户主姓名建户",
                            "No row for the head of household; the household was created from the head's name",
                            "warning")
        return groups


_NOT_A_NUMBER = ("unknown", "refused", "not_collected")


def _real_id(number: Any) -> bool:
    return bool(number) and number not in _NOT_A_NUMBER


def _addr(row: _Row) -> str:
    return normalise_key(row.address or "")


def _namesakes(a: _Row, b: _Row) -> bool:
    """Two head rows of one name and group are different people: their addresses or ID numbers differ."""
    ida, idb = a.member.get("id_number"), b.member.get("id_number")
    if _real_id(ida) and _real_id(idb) and ida != idb:
        return True
    return bool(_addr(a)) and bool(_addr(b)) and _addr(a) != _addr(b)


def _discriminator(head: _Row) -> str:
    """What tells a namesake's household apart, for its id: the head's ID number, else the address."""
    number = head.member.get("id_number")
    return f"id:{number}" if _real_id(number) else f"address:{_addr(head)}"


# ----------------------------------------------------------------------------- plan, preview, write

ProgressFn = Callable[[str, int, int], None]   # stage ("check" | "write"), done, total
CHECK_STEP = 500        # rows validated between progress reports and cancel checks
WRITE_STEP = 1000       # rows handed to the bulk between progress reports and cancel checks


class _Cancelled(Exception):
    """Raised between steps when the caller cancelled; inside the write it rolls everything back."""


@dataclass
class _Plan:
    """What an import would write, after every row was validated; nothing written yet."""

    roster: RawRoster
    rows: list[_Row]
    result: ImportResult
    paths: set[str] = field(default_factory=set)
    hh_rows: list[dict[str, Any]] = field(default_factory=list)
    m_rows: list[dict[str, Any]] = field(default_factory=list)
    hc_rows: list[dict[str, Any]] = field(default_factory=list)
    mc_rows: list[dict[str, Any]] = field(default_factory=list)
    ph_rows: list[dict[str, Any]] = field(default_factory=list)


def _step(progress: ProgressFn | None, cancel: threading.Event | None, stage: str, done: int, total: int) -> None:
    if cancel is not None and cancel.is_set():
        raise _Cancelled
    if progress is not None:
        progress(stage, done, total)


def _plan(store: Any, roster: RawRoster, progress: ProgressFn | None, cancel: threading.Event | None) -> _Plan:
    """Validate every row (reads the store, writes nothing) and lay out the rows of the write."""
    imp = _Importer(store, roster)
    total = len(roster.rows)
    rows: list[_Row] = []
    for i, (line, cells) in enumerate(roster.rows):
        if i % CHECK_STEP == 0:
            _step(progress, cancel, "check", i, total)
        rows.append(imp.row(line, cells))
    _step(progress, cancel, "check", total, total)
    groups = imp.households(rows)
    plan = _Plan(roster, rows, imp.result)
    for hid, members in groups.items():
        good = [r for r in members if not r.failed]
        if not good:
            continue
        head = next((r for r in good if r.member.get("relation") == "02"), good[0])
        address = head.address or next((r.address for r in good if r.address), None)
        plan.paths.add(head.area_path)
        plan.hh_rows.append({"id": hid, "area_id": area_id(head.area_path), "group_name": head.group,
                             "head_name": head.head_name, "address": address, "status": "on_register"})
        hcats: list[str] = []
        for r in good:
            plan.m_rows.append({"id": r.mid, **r.member})
            plan.mc_rows.extend({"member_id": r.mid, "category": c} for c in r.member_cats)
            plan.ph_rows.extend({"member_id": r.mid, "number": n} for n in r.phones)
            hcats.extend(c for c in r.household_cats if c not in hcats)
        plan.hc_rows.extend({"household_id": hid, "category": c} for c in hcats)
    plan.result.errors.sort(key=lambda e: e.line)
    plan.result.warnings.sort(key=lambda e: e.line)
    return plan


def import_roster(store: Any, roster: RawRoster | str | Path, *, progress: ProgressFn | None = None,
                  cancel: threading.Event | None = None) -> ImportResult:
    """Validate every row and import the valid ones in one transaction (the CLI's and the window's path).

    ``progress(stage, done, total)`` is called every few hundred rows: stage "check" while rows
    are validated, "write" while the bulk writes them. Once ``cancel`` is set the import stops at
    its next step: nothing is written (the write is one transaction and is rolled back) and the
    result says ``cancelled``.
    """
    started = time.perf_counter()
    if not isinstance(roster, RawRoster):
        roster = read_roster(roster)
    try:
        plan = _plan(store, roster, progress, cancel)
        result = plan.result
        lists = (plan.hh_rows, plan.m_rows, plan.hc_rows, plan.mc_rows, plan.ph_rows)
        total = sum(map(len, lists))
        written = [0]

        def fed(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
            """The rows, handed to the bulk as it asks for them: progress and cancel between steps."""
            for i in range(0, len(rows), WRITE_STEP):
                _step(progress, cancel, "write", written[0], total)
                chunk = rows[i:i + WRITE_STEP]
                written[0] += len(chunk)
                yield from chunk

        # One audit entry for the import, written in its transaction (ids and counts, never values).
        with store.transaction(), store.audit_action("import", {"source": "roster"}):
            for path in sorted(plan.paths):
                store.ensure_area(path)
            result.households = store.bulk_create("household", fed(plan.hh_rows), validated=True)
            result.imported = store.bulk_create("member", fed(plan.m_rows), validated=True)
            store.bulk_create("household_category", fed(plan.hc_rows), validated=True)
            store.bulk_create("member_category", fed(plan.mc_rows), validated=True)
            store.bulk_create("member_phone", fed(plan.ph_rows), validated=True)
            _step(progress, cancel, "write", total, total)   # a cancel up to here still rolls back
    except _Cancelled:
        log.info("roster import (%s) cancelled: nothing written", roster.source)
        return ImportResult(rows=len(roster.rows), cancelled=True)
    result.skipped = len(plan.m_rows) - result.imported
    log.info("roster import (%s): %d rows, %d members and %d households new, %d already present, "
             "%d errors on %d lines, %d warnings, %.1f s", roster.source, result.rows, result.imported,
             result.households, result.skipped, len(result.errors), result.error_lines, len(result.warnings),
             time.perf_counter() - started)
    return result


@dataclass(slots=True)
class PreviewRow:
    """One data row as the import would write it (its cells as read when it has errors)."""

    line: int
    status: Literal["new", "present", "error"]
    village: str
    group: str
    head: str
    address: str
    name: str
    relation: str
    sex: str
    birth_date: str
    id_number: str       # masked
    phones: str          # masked, 、-separated
    categories: str      # labels, 、-separated
    issues: tuple[RowIssue, ...]

    @property
    def has_warning(self) -> bool:
        return any(i.severity == "warning" for i in self.issues)


@dataclass
class RosterPreview:
    """What ``import_roster`` would do with this roster now, row by row, before anything is written."""

    source: str
    header_line: int
    rows: list[PreviewRow]
    file_warnings: list[RowIssue]   # the header's (columns ignored or repeated)
    new_rows: int = 0               # members that would be written
    present_rows: int = 0           # valid rows whose member is already in the database
    error_rows: int = 0             # rows not imported
    warning_rows: int = 0           # rows imported with a warning
    new_households: int = 0
    cancelled: bool = False


def _masked_id(text: str) -> str:
    return mask_id_number(text) if text else ""


def preview_roster(store: Any, roster: RawRoster | str | Path, *, lang: str = "zh",
                   progress: ProgressFn | None = None, cancel: threading.Event | None = None) -> RosterPreview:
    """Validate every row exactly as ``import_roster`` does and say what would happen; write nothing.

    ID numbers and phones come back masked (the preview is shown on screen). Labels are in ``lang``.
    """
    if not isinstance(roster, RawRoster):
        roster = read_roster(roster)
    try:
        plan = _plan(store, roster, progress, cancel)
    except _Cancelled:
        return RosterPreview(roster.source, roster.header_line, [], [], cancelled=True)
    by_line: dict[int, list[RowIssue]] = {}
    header_issues: list[RowIssue] = []
    for issue in [*plan.result.errors, *plan.result.warnings]:
        if issue.line == roster.header_line and issue.severity == "warning" and issue.code.startswith("roster.column"):
            header_issues.append(issue)
        else:
            by_line.setdefault(issue.line, []).append(issue)
    new_households = {h["id"] for h in plan.hh_rows if not store.record_exists("household", h["id"])}
    preview = RosterPreview(roster.source, roster.header_line, [], header_issues,
                            new_households=len(new_households))
    labels: dict[tuple[str, str | None], str] = {}

    def label(vocab: str, code: str | None, lang: str) -> str:
        key = (vocab, code)
        if key not in labels:
            labels[key] = store.vocab_label(vocab, code, lang)
        return labels[key]

    for row, (line, cells) in zip(plan.rows, roster.rows, strict=True):
        issues = tuple(sorted(by_line.get(line, ()), key=lambda i: i.severity != "error"))
        if row.failed:
            raw_id = _text(cells.get("身份证号"))
            preview.rows.append(PreviewRow(
                line, "error", _text(cells.get("村")), _text(cells.get("组")), _text(cells.get("户主姓名")),
                _text(cells.get("地址")), _text(cells.get("姓名")), _text(cells.get("与户主关系")),
                _text(cells.get("性别")), _text(cells.get("出生日期")), _masked_id(raw_id),
                "*" * len(_text(cells.get("电话"))), _text(cells.get("类别")), issues))
            preview.error_rows += 1
            continue
        m = row.member
        present = bool(store.record_exists("member", row.mid))
        cats = [label("vulnerable_category", c, lang) for c in [*row.household_cats, *row.member_cats]]
        number = m.get("id_number") or ""
        preview.rows.append(PreviewRow(
            line, "present" if present else "new", row.area_path, row.group, row.head_name, row.address or "",
            m.get("name", ""), label("relation_to_head", m.get("relation"), lang), label("sex", m.get("sex"), lang),
            str(m.get("birth_date") or ""), _masked_id(number) if _real_id(number) else label("dq", number, lang)
            if number else "", "、".join(mask_phone(n) for n in row.phones), "、".join(cats), issues))
        if present:
            preview.present_rows += 1
        else:
            preview.new_rows += 1
        if any(i.severity == "warning" for i in issues):
            preview.warning_rows += 1
    return preview
