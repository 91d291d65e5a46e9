"""Exports for coordinators: aggregate counts, de-identified records, or encrypted name-level data.

Levels (domain.md §8.2 P15):

- ``deidentified`` (default): every registered record type, one file/sheet each, without the
  fields that identify a person: every field marked ``Privacy.IDENTIFYING`` and, whatever
  its marking, every name, ID number and phone field and every free-text field (TEXT or
  LONGTEXT) not explicitly marked PUBLIC — typed text names people ("办理：王大山户…"). Record ids become pseudonyms
  (HMAC-SHA256 of the id under a per-database secret in ``meta``): stable across exports of
  one database, not reversible, not linkable across databases. Birth dates become the year.
  Vocabulary fields give the Chinese label and the code. Deleted rows, and rows whose parent
  is deleted, are left out.
- ``aggregate``: counts per village (area) and record type, and per village and vulnerable
  category (members and households), each column with a total row (合计). Counts of 1–4 are
  shown as "<5", and so are the other cells a hidden one could be worked out from with the
  total (complementary suppression, ``suppression.py``). Hand out aggregate files, not
  several export levels of the same data together: record-level files can always be counted.
- ``named``: everything, written only into an AES-256 encrypted ZIP
  (``lehe-export-named-<date>.zip``); no plaintext file ever touches the disk. Only for roles
  with ``Capability.EXPORT_NAMED`` (coordinators, admins, single-user installs; core/roles.py):
  an enrolled worker's laptop is refused with ``role.forbidden`` before anything is read.

CSV files are UTF-8 with BOM (Excel on Chinese Windows shows them correctly) with one
header row of Chinese column labels, as a coordinator opening them in Excel wants; the
machine field names, English labels and privacy classes are in ``字段说明.csv`` (or the
"字段说明" sheet). XLSX is one workbook with a sheet per record type. For name-level data
prefer XLSX: Excel opens an 18-digit ID number in a CSV as a number and shows it rounded.
Text cells whose first visible character is = + - @ (or full-width ＝＋－＠), also after leading
spaces, tabs, carriage returns or control characters, are written so a spreadsheet never runs them
as formulas: in CSV with a leading apostrophe ("'=1+1"; a plain number such as "-5" is left as it
is), in XLSX as text cells (openpyxl would otherwise store a string starting with "=" as a formula).

Progress and cancel (the window's 文件 → 导出…): ``progress(rows written, rows expected)`` is
called every few hundred rows; when ``cancel`` (a ``threading.Event``) is set, the export stops at
the next row, removes every file (and the sub-folder) it had begun, and raises ``CancelledError``.

Every file is written as ``*.part`` and renamed when complete. Exports never overwrite:
into an empty (or new) OUTDIR the files go directly; if OUTDIR already holds anything, a
new sub-folder ``lehe-export-<level>-<YYYYMMDD-HHMMSS>`` is made for this export.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import hmac
import io
import json
import logging
import os
import re
import secrets
import shutil
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import IO, Any, Literal

from .errors import CancelledError, NotFoundError, UsageError, ValidationError
from .problems import error
from .records.schema import FieldSpec, Kind, Privacy, RecordType, all_types
from .roles import Capability, role_from_meta
from .roles import require as require_role
from .store.atomic import require_folder
from .suppression import protect_line
from .sync.conflicts import describe_rejected
from .validation.phone import format_phone_local

log = logging.getLogger(__name__)

ExportProgress = Callable[[int, int], None]   # (rows written, rows expected)
PROGRESS_EVERY = 500                           # rows between progress reports and cancel checks
Level = Literal["aggregate", "deidentified", "named"]
Format = Literal["csv", "xlsx"]
LEVELS: tuple[str, ...] = ("aggregate", "deidentified", "named")
FORMATS: tuple[str, ...] = ("csv", "xlsx")

PSEUDONYM_META_KEY = "export_pseudonym_key"
SUPPRESSED = "<5"
MIN_PASSWORD_LEN = 8
XLSX_MAX_ROWS = 1_000_000           # Excel's limit is 1,048,576; continue on a new sheet
DICTIONARY = "字段说明"
NO_AREA = "（未指定）"
TOTAL = "合计"

_BIRTH = re.compile(r"(^|_)birth(_|$)")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Column:
    header: str                       # Chinese label shown in row 1
    name: str                         # machine name (in the dictionary)
    en: str
    privacy: str
    note: str
    get: Callable[[Any], Any]         # the cell's value from a row (a dict, or a list for derived tables)


@dataclass
class Table:
    stem: str                          # file name without extension (CSV)
    title: str                         # sheet title (XLSX)
    columns: list[Column]
    rows: Callable[[], Iterator[list[Any]]]
    rtype: str = ""
    count: int = 0


@dataclass
class ExportResult:
    level: str
    format: str
    folder: Path
    files: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"level": self.level, "format": self.format, "dir": str(self.folder),
                "files": [str(f) for f in self.files], "counts": self.counts}


# ----------------------------------------------------------------------------- helpers


def read_password_file(path: str | Path) -> str:
    """The first line of the file (without its line ending) is the archive password."""
    p = Path(path)
    if not p.is_file():
        raise NotFoundError("export.password_file_missing", f"找不到密码文件：{p}", f"Password file not found: {p}")
    try:
        first = p.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError("export.password_file_unreadable", f"无法读取密码文件：{p}",
                         f"Cannot read the password file: {p}") from exc
    password = first[0] if first else ""
    if len(password) < MIN_PASSWORD_LEN:
        raise ValidationError([error("export.password_short", "password",
                                     f"压缩包密码至少需要 {MIN_PASSWORD_LEN} 个字符（密码文件第一行）",
                                     f"The archive password needs at least {MIN_PASSWORD_LEN} characters "
                                     "(first line of the password file)")])
    return password


def pseudonym_key(store: Any) -> bytes:
    """This database's secret for pseudonyms; made on first use, never leaves the database."""
    value = store.meta().get(PSEUDONYM_META_KEY)
    if not value:
        value = secrets.token_hex(32)
        store.set_meta(PSEUDONYM_META_KEY, value)
    return bytes.fromhex(value)


def make_pseudonymiser(key: bytes) -> Callable[[Any], str | None]:
    def pseudonym(rid: Any) -> str | None:
        if not rid:
            return None
        return hmac.new(key, str(rid).encode(), hashlib.sha256).hexdigest()[:20]
    return pseudonym


def _table_exists(store: Any, table: str) -> bool:
    return store.table_exists(table)


def _exportable_types(store: Any) -> list[RecordType]:
    out = []
    for rt in all_types():
        if _table_exists(store, rt.table):
            out.append(rt)
        else:
            log.warning("export: table %s for record type %s is missing; skipped", rt.table, rt.name)
    return out


def _drop_when_deidentified(f: FieldSpec) -> bool:
    if f.privacy is Privacy.IDENTIFYING:
        return True
    if f.kind in (Kind.NAME, Kind.ID_NUMBER, Kind.PHONE):
        return True  # whatever the marking says, these identify a person
    # Typed text names people ("办理：王大山户…") unless the schema vouches for it as PUBLIC.
    return f.kind in (Kind.TEXT, Kind.LONGTEXT) and f.privacy is not Privacy.PUBLIC


class _Source:
    """Reads live rows of every record type, leaving out deleted rows and orphans of deleted parents."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.types = _exportable_types(store)
        self.by_name = {rt.name: rt for rt in self.types}
        self.excluded: dict[str, set[str]] = {}
        for rt in self.types:
            gone = {r[0] for r in store.query(f"SELECT id FROM {rt.table} WHERE deleted != 0")}
            if rt.parent_field:
                parent = rt.field(rt.parent_field).ref
                parent_gone = self.excluded.get(parent or "", set())
                if parent_gone:
                    gone |= {r[0] for r in store.query(
                        f"SELECT id, {rt.parent_field} FROM {rt.table} WHERE deleted = 0") if r[1] in parent_gone}
            self.excluded[rt.name] = gone
        self.vocab: dict[tuple[str, str], str] = {
            (v, c): zh for v, c, zh in store.query("SELECT vocab, code, zh FROM vocab")}
        self.area_path: dict[str, str] = dict(store.query("SELECT id, path FROM areas"))
        self.check: Callable[[], None] | None = None   # raises to stop (a cancel), every few hundred rows

    def rows(self, rt: RecordType) -> Iterator[dict[str, Any]]:
        gone = self.excluded.get(rt.name, set())
        parent_gone: set[str] = set()
        if rt.parent_field:
            parent_gone = self.excluded.get(rt.field(rt.parent_field).ref or "", set())
        for n, rec in enumerate(self.store.iterate_dicts(f"SELECT * FROM {rt.table} WHERE deleted = 0 ORDER BY rowid")):
            if n % PROGRESS_EVERY == 0 and self.check is not None:
                self.check()
            if rec["id"] in gone or (rt.parent_field and rec.get(rt.parent_field) in parent_gone):
                continue
            yield rec

    def label(self, f: FieldSpec, code: Any) -> str | None:
        if code is None or code == "":
            return None
        return self.vocab.get((f.vocab or "", str(code))) or self.vocab.get(("dq", str(code))) or str(code)


# ----------------------------------------------------------------------------- record tables


def _record_columns(rt: RecordType, src: _Source, level: str, pseudonym: Callable[[Any], str | None],
                    ) -> list[Column]:
    named = level == "named"
    cols: list[Column] = []
    if named:
        cols.append(Column("编号", "id", "Record id", "public", "记录编号", lambda r: r["id"]))
    else:
        cols.append(Column("编号", "id", "Pseudonymous id", "public",
                           "假名编号：同一数据库中多次导出保持不变，无法还原为真实编号", lambda r: pseudonym(r["id"])))
    for f in rt.fields:
        if not named and _drop_when_deidentified(f):
            continue
        cols.extend(_field_columns(f, src, named, pseudonym))
    return _unique(cols)


def _field_columns(f: FieldSpec, src: _Source, named: bool, pseudonym: Callable[[Any], str | None],
                   ) -> list[Column]:
    name, privacy = f.name, str(f.privacy)

    def raw(r: dict[str, Any]) -> Any:
        return r.get(name)

    if f.kind is Kind.REF and f.ref == "area":
        return [Column(f.zh, name, f.en, privacy, "地区路径", lambda r: src.area_path.get(r.get(name) or ""))]
    if f.kind is Kind.REF:
        if named:
            return [Column(f"{f.zh}编号", name, f.en, privacy, f"指向“{f.ref}”记录的编号", raw)]
        return [Column(f"{f.zh}编号", name, f.en, privacy, f"指向“{f.ref}”记录的假名编号",
                       lambda r: pseudonym(r.get(name)))]
    if f.kind is Kind.VOCAB:
        return [Column(f.zh, f"{name}_label", f.en, privacy, f"词表 {f.vocab} 的中文名称",
                       lambda r: src.label(f, r.get(name))),
                Column(f"{f.zh}代码", name, f"{f.en} (code)", privacy, f"词表 {f.vocab} 的代码", raw)]
    if f.kind is Kind.DATE and not named and _BIRTH.search(name):
        def year(r: dict[str, Any]) -> Any:
            v = r.get(name)
            return int(v[:4]) if isinstance(v, str) and len(v) >= 4 and v[:4].isdigit() else v
        header = f.zh.replace("日期", "年份") if "日期" in f.zh else f"{f.zh}（年份）"
        return [Column(header, f"{name}_year", f"{f.en} (year only)", privacy, "去标识化：只保留出生年份", year)]
    if f.kind is Kind.BOOL:
        return [Column(f.zh, name, f.en, privacy, "是/否",
                       lambda r: None if r.get(name) is None else ("是" if r.get(name) else "否"))]
    if f.kind is Kind.PHONE:
        return [Column(f.zh, name, f.en, privacy, "电话号码",
                       lambda r: format_phone_local(r[name]) if r.get(name) else None)]
    return [Column(f.zh, name, f.en, privacy, "", raw)]


def _record_tables(src: _Source, level: str, pseudonym: Callable[[Any], str | None]) -> list[Table]:
    tables = []
    for rt in src.types:
        cols = _record_columns(rt, src, level, pseudonym)

        def rows(rt: RecordType = rt, cols: list[Column] = cols) -> Iterator[list[Any]]:
            for rec in src.rows(rt):
                yield [c.get(rec) for c in cols]

        tables.append(Table(rt.table, rt.zh, cols, rows, rtype=rt.name))
    return tables


# ----------------------------------------------------------------------------- aggregate tables


def _area_maps(src: _Source) -> dict[str, dict[str, str | None]]:
    """For each record type: record id → area id, following refs (member → household → village)."""
    maps: dict[str, dict[str, str | None]] = {}
    for rt in src.types:
        area_field = next((f.name for f in rt.fields if f.kind is Kind.REF and f.ref == "area"), None)
        if rt.name == "area":
            continue
        via: tuple[str, dict[str, str | None]] | None = None
        if area_field is None:
            refs = [f for f in rt.fields if f.kind is Kind.REF and f.ref in maps]
            refs.sort(key=lambda f: f.name != rt.parent_field)
            if refs:
                via = (refs[0].name, maps[refs[0].ref or ""])
        m: dict[str, str | None] = {}
        for rec in src.rows(rt):
            if area_field is not None:
                m[rec["id"]] = rec.get(area_field)
            elif via is not None:
                m[rec["id"]] = via[1].get(rec.get(via[0]) or "")
            else:
                m[rec["id"]] = None
        maps[rt.name] = m
    return maps


def _protected(values: list[int]) -> list[int | str]:
    """A column's cells and then its total, with what would identify a few people hidden."""
    line = protect_line(values)
    cells: list[int | str] = [SUPPRESSED if i in line.hidden else v for i, v in enumerate(values)]
    return [*cells, SUPPRESSED if line.total_hidden else sum(values)]


def _aggregate_tables(src: _Source) -> list[Table]:
    maps = _area_maps(src)
    types = [rt for rt in src.types if rt.name in maps]
    counts: dict[str, Counter[str | None]] = {rt.name: Counter(maps[rt.name].values()) for rt in types}
    areas = sorted({a for c in counts.values() for a in c}, key=lambda a: src.area_path.get(a or "", NO_AREA))

    def path(a: str | None) -> str:
        return src.area_path.get(a or "", NO_AREA)

    by_area_cols = [Column("村（地区）", "area", "Area", "public", f"地区路径；最后一行“{TOTAL}”为各列合计",
                           lambda r: r["area"])]
    for rt in types:
        by_area_cols.append(Column(rt.zh, rt.name, rt.en, "public",
                                   f"{rt.zh}记录数；1–4 及可据合计推算出它们的数显示为 {SUPPRESSED}",
                                   itemgetter(rt.name)))
    by_area_cols = _unique(by_area_cols)
    # Each record type's column over the villages is one line with its total (suppression.py).
    columns = {rt.name: _protected([counts[rt.name][a] for a in areas]) for rt in types}

    def by_area_rows() -> Iterator[list[Any]]:
        for i, label in enumerate([*map(path, areas), TOTAL]):
            rec: dict[str, Any] = {"area": label}
            rec.update({rt.name: columns[rt.name][i] for rt in types})
            yield [c.get(rec) for c in by_area_cols]

    cat: dict[tuple[str, str], list[int]] = {}
    for rtype, owner_type, idx in (("member_category", "member", 0), ("household_category", "household", 1)):
        link_rt = src.by_name.get(rtype)
        if link_rt is None or owner_type not in maps:
            continue
        owner_field = link_rt.parent_field or ""
        seen: set[tuple[str, str]] = set()
        for rec in src.rows(link_rt):
            owner = rec.get(owner_field) or ""
            if (owner, rec["category"]) in seen:
                continue
            seen.add((owner, rec["category"]))
            key = (path(maps[owner_type].get(owner)), rec["category"])
            cat.setdefault(key, [0, 0])[idx] += 1
    # Lines: each category's members (and households) over the villages, with the category's total.
    cat_rows_out: list[list[Any]] = []
    totals: list[list[Any]] = []
    for code in sorted({c for _a, c in cat}):
        keys = sorted(k for k in cat if k[1] == code)
        label = src.vocab.get(("vulnerable_category", code), code)
        members = _protected([cat[k][0] for k in keys])
        households = _protected([cat[k][1] for k in keys])
        cat_rows_out += [[k[0], label, code, members[i], households[i]] for i, k in enumerate(keys)]
        totals.append([TOTAL, label, code, members[-1], households[-1]])
    cat_rows_out.sort(key=lambda r: (r[0], r[2]))

    def cat_rows() -> Iterator[list[Any]]:
        yield from cat_rows_out
        yield from totals

    cat_cols = [Column("村（地区）", "area", "Area", "public", f"地区路径；“{TOTAL}”行为该类别各村合计", lambda r: r[0]),
                Column("类别", "category_label", "Category", "public", "特殊群体/困难类别", lambda r: r[1]),
                Column("类别代码", "category", "Category code", "public", "词表 vulnerable_category 的代码",
                       lambda r: r[2]),
                Column("人数", "members", "Members", "public",
                       f"有此类别的成员人数；1–4 及可据合计推算出它们的数显示为 {SUPPRESSED}", lambda r: r[3]),
                Column("户数", "households", "Households", "public",
                       f"有此户类别的户数；1–4 及可据合计推算出它们的数显示为 {SUPPRESSED}", lambda r: r[4])]
    return [Table("aggregate_by_area", "按村统计", by_area_cols, by_area_rows, rtype="aggregate_by_area",
                  count=len(areas) + 1),
            Table("aggregate_categories", "特殊群体按村", cat_cols, cat_rows, rtype="aggregate_categories",
                  count=len(cat_rows_out) + len(totals))]


def _unique(cols: list[Column]) -> list[Column]:
    seen: Counter[str] = Counter()
    out = []
    for c in cols:
        seen[c.header] += 1
        out.append(c if seen[c.header] == 1 else Column(f"{c.header}（{c.name}）", c.name, c.en, c.privacy,
                                                      c.note, c.get))
    return out


def _dictionary_table(tables: list[Table], fmt: str) -> Table:
    cols = [Column(h, n, n, "public", "", itemgetter(i)) for i, (h, n) in enumerate(
        [("文件/工作表", "table"), ("列名", "column"), ("字段", "field"), ("English", "en"),
         ("隐私级别", "privacy"), ("说明", "note")])]

    def rows() -> Iterator[list[Any]]:
        for t in tables:
            where = f"{t.stem}.csv" if fmt == "csv" else t.title
            for c in t.columns:
                yield [where, c.header, c.name, c.en, c.privacy, c.note]

    return Table(DICTIONARY, DICTIONARY, cols, rows, rtype="dictionary")


# ----------------------------------------------------------------------------- writers


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = _XML_BAD.sub("", value)
    return value


# Characters that make a spreadsheet read a cell as a formula: = + - @, and their full-width forms
# (WPS and Excel with a Chinese input method turn ＝ into =).
FORMULA_STARTS = frozenset("=+-@＝＋－＠")
# A plain decimal number ("-5", "+3.5", "1e3") is left as it is: a spreadsheet shows it as that number.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def formula_like(text: str) -> bool:
    """True when the first character that is not whitespace or a control/format character starts a formula.

    Spreadsheets skip leading blanks, tabs, carriage returns and invisible characters when they
    decide whether a cell is a formula (" =1+1", "\\t=cmd", "\\r=1+1", "\\x00=…", "\\u200b=…").
    """
    for ch in text:
        if ch in FORMULA_STARTS:
            return True
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
            continue
        return False
    return False


def _csv_safe(value: Any) -> Any:
    # A text cell that would run as a formula when the CSV is opened in a spreadsheet gets a leading
    # apostrophe, so it shows as the text it is. Numbers (int, float) are never text here.
    if isinstance(value, str) and formula_like(value) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _write_csv(table: Table, fh: IO[str]) -> int:
    writer = csv.writer(fh)
    writer.writerow([c.header for c in table.columns])
    n = 0
    for row in table.rows():
        writer.writerow([_csv_safe(v) for v in row])
        n += 1
    return n


def _sheet_title(title: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub("_", title)[:28] or "Sheet"
    name, i = base, 2
    while name.lower() in used:
        name = f"{base[:25]}({i})"
        i += 1
    used.add(name.lower())
    return name


def _write_xlsx(tables: list[Table], target: IO[bytes] | Path) -> dict[str, int]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    used: set[str] = set()
    counts: dict[str, int] = {}
    for table in tables:
        header = [c.header for c in table.columns]
        ws = wb.create_sheet(_sheet_title(table.title, used))
        ws.append(header)
        n = in_sheet = 0
        for row in table.rows():
            if in_sheet >= XLSX_MAX_ROWS:
                ws = wb.create_sheet(_sheet_title(table.title, used))
                ws.append(header)
                in_sheet = 0
            cells: list[Any] = []
            for v in row:
                v = _cell(v)
                if isinstance(v, str) and formula_like(v):
                    c = WriteOnlyCell(ws, value=v)
                    c.data_type = "s"  # text, never a formula (openpyxl makes "=…" one)
                    cells.append(c)
                else:
                    cells.append(v)
            ws.append(cells)
            n += 1
            in_sheet += 1
        counts[table.stem] = n
    wb.save(target)
    return counts


class _Output:
    """Files written as ``*.part`` and renamed; on failure every partial file is removed."""

    def __init__(self, folder: Path, made_folder: bool) -> None:
        self.folder = folder
        self.made_folder = made_folder
        self.parts: list[Path] = []
        self.done: list[Path] = []

    @contextlib.contextmanager
    def file(self, name: str) -> Iterator[Path]:
        final = self.folder / name
        part = final.with_name(final.name + ".part")
        self.parts.append(part)
        yield part
        os.replace(part, final)
        self.parts.remove(part)
        self.done.append(final)

    def abort(self) -> None:
        for p in [*self.parts, *self.done]:
            with contextlib.suppress(OSError):
                p.unlink()
        if self.made_folder:
            with contextlib.suppress(OSError):
                self.folder.rmdir()


def _target_folder(outdir: Path, level: str, now: datetime) -> tuple[Path, bool]:
    if outdir.exists() and not outdir.is_dir():
        raise UsageError("export.outdir_not_dir", f"导出位置不是文件夹：{outdir}", f"OUTDIR is not a folder: {outdir}")
    created = not outdir.exists()
    require_folder(outdir.parent)   # the export's own folder may be new, not the place it goes in
    outdir.mkdir(exist_ok=True)
    if created or not any(outdir.iterdir()):
        return outdir, created
    # Never overwrite an earlier export: this one gets its own folder.
    base = outdir / f"lehe-export-{level}-{now:%Y%m%d-%H%M%S}"
    folder, i = base, 2
    while folder.exists():
        folder = base.with_name(f"{base.name}-{i}")
        i += 1
    folder.mkdir()
    return folder, True


# ----------------------------------------------------------------------------- entry point


def check_options(fmt: str, level: str, has_password: bool) -> None:
    """Usage errors, raised before anything is opened or written."""
    if fmt not in FORMATS:
        raise UsageError("export.format", f"不支持的导出格式：{fmt}", f"Unsupported export format: {fmt}")
    if level not in LEVELS:
        raise UsageError("export.level", f"不支持的导出级别：{level}", f"Unsupported export level: {level}")
    if level == "named" and not has_password:
        raise UsageError("export.password_required", "实名导出（named）必须用 --password-file 提供压缩包密码",
                         "A named export needs --password-file with the archive password")
    if level != "named" and has_password:
        raise UsageError("export.password_unused", "只有实名导出（--level named）才使用密码文件",
                         "--password-file is only used with --level named")


class _Tracker:
    """Counts rows as the writers take them; reports progress and stops at a cancel."""

    def __init__(self, total: int, progress: ExportProgress | None, cancel: threading.Event | None) -> None:
        self.total = total
        self.done = 0
        self.progress = progress
        self.cancel = cancel

    def check(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise CancelledError("export.cancelled", "导出已取消；已写的文件都已删除",
                                 "Export cancelled; the files it had begun were removed")

    def wrap(self, table: Table) -> None:
        rows = table.rows

        def tracked() -> Iterator[list[Any]]:
            for row in rows():
                self.done += 1
                if self.done % PROGRESS_EVERY == 0:
                    self.check()
                    if self.progress is not None and self.total:
                        self.progress(min(self.done, self.total), self.total)
                yield row

        table.rows = tracked


def _expected_rows(store: Any, src: _Source, level: str) -> int:
    """Rows the export will write, for the progress bar (0, unknown, for the few aggregate rows)."""
    if level == "aggregate":
        return 0
    return sum(int(store.query_value(f"SELECT count(*) FROM {rt.table} WHERE deleted = 0", default=0))
               for rt in src.types)


def export(store: Any, outdir: str | Path, *, fmt: str = "csv", level: str = "deidentified",
           password: str | None = None, now: datetime | None = None,
           progress: ExportProgress | None = None, cancel: threading.Event | None = None) -> ExportResult:
    """Write an export of ``level`` in ``fmt`` into ``outdir`` (see the module docstring)."""
    check_options(fmt, level, password is not None)
    if level == "named":    # names and numbers leave the laptop: coordinators, admins, single-user (core/roles.py)
        require_role(role_from_meta(store.meta()), Capability.EXPORT_NAMED)
    now = now or datetime.now()
    src = _Source(store)
    tracker = _Tracker(_expected_rows(store, src, level) if progress is not None else 0, progress, cancel)
    tracker.check()
    watched = progress is not None or cancel is not None   # the command line pays nothing for this
    if cancel is not None:
        src.check = tracker.check
    if level == "aggregate":
        tables = _aggregate_tables(src)
    else:
        pseudonym = make_pseudonymiser(pseudonym_key(store)) if level == "deidentified" else (lambda r: r)
        tables = _record_tables(src, level, pseudonym)
    tables.append(_dictionary_table(list(tables), fmt))
    if watched:
        for t in tables:
            tracker.wrap(t)

    folder, made = _target_folder(Path(outdir), level, now)
    out = _Output(folder, made)
    result = ExportResult(level, fmt, folder)
    stamp = f"{now:%Y%m%d}"
    try:
        if level == "named":
            assert password is not None
            _write_named(tables, out, f"lehe-export-named-{stamp}", fmt, password, result)
        elif fmt == "csv":
            for t in tables:
                with out.file(f"{t.stem}.csv") as part, open(part, "w", encoding="utf-8-sig", newline="") as fh:
                    result.counts[t.stem] = _write_csv(t, fh)
        else:
            with out.file(f"lehe-export-{level}-{stamp}.xlsx") as part:
                result.counts.update(_write_xlsx(tables, part))
        tracker.check()   # a cancel during the last rows: nothing is kept
    except BaseException:
        out.abort()
        raise
    if progress is not None:
        progress(tracker.total or 1, tracker.total or 1)
    result.files = out.done
    result.counts.pop(DICTIONARY, None)
    # Levels, counts and file names only: never record contents.
    log.info("export: level=%s format=%s files=%d rows=%s", level, fmt, len(result.files),
             ",".join(f"{k}={v}" for k, v in result.counts.items()))
    if getattr(store, "audits", False):
        store.audit("export", {"level": level, "format": fmt, "files": [Path(f).name for f in result.files],
                               "rows": dict(result.counts)})
    return result


def _write_named(tables: list[Table], out: _Output, stem: str, fmt: str, password: str,
                 result: ExportResult) -> None:
    import pyzipper

    with out.file(f"{stem}.zip") as part:
        with pyzipper.AESZipFile(part, "w", compression=pyzipper.ZIP_DEFLATED,
                                 encryption=pyzipper.WZ_AES) as zf:
            zf.setpassword(password.encode("utf-8"))
            zf.setencryption(pyzipper.WZ_AES, nbits=256)
            if fmt == "csv":
                for t in tables:
                    with zf.open(f"{t.stem}.csv", "w") as raw, io.TextIOWrapper(
                            raw, encoding="utf-8-sig", newline="") as fh:
                        result.counts[t.stem] = _write_csv(t, fh)
            else:
                # The workbook is built in memory so no plaintext copy ever reaches the disk.
                buf = io.BytesIO()
                result.counts.update(_write_xlsx(tables, buf))
                with zf.open(f"{stem}.xlsx", "w") as raw:
                    buf.seek(0)
                    shutil.copyfileobj(buf, raw)
        with contextlib.suppress(OSError):
            part.chmod(0o600)


# ----------------------------------------------------------------------------- refused changes

REFUSED_FORMATS: tuple[str, ...] = ("csv", "json")


def export_refused(store: Any, path: str | Path, *, fmt: str | None = None, lang: str = "zh",
                   include_dealt_with: bool = True) -> Path:
    """Changes the server refused, for a coordinator to look at: one row each with the record (type
    and title), the fields it carried (labels, not values), the refusal's code and reason in Chinese
    and English, when it was refused, and whether it has been dealt with here (acknowledged, or moved
    and sent again). ``fmt``: ``csv`` (UTF-8 with BOM, Chinese header row, formula starts
    neutralised as in every export) or ``json``; by default from the file name (``.json``, else
    CSV). Written as ``*.part`` and renamed, so a half-written file never has the final name."""
    target = Path(path)
    fmt = fmt or ("json" if target.suffix.lower() == ".json" else "csv")
    if fmt not in REFUSED_FORMATS:
        raise UsageError("export.format", f"不支持的导出格式：{fmt}", f"Unsupported export format: {fmt}")
    rows = describe_rejected(store, lang, include_dismissed=include_dealt_with)
    cols = [
        Column("记录", "record", "Record", "identifying", "记录类型与名称", itemgetter("record")),
        Column("字段", "field", "Fields", "public", "被拒绝的修改包含的字段", itemgetter("field")),
        Column("代码", "code", "Code", "public", "拒绝原因代码", itemgetter("code")),
        Column("原因", "zh", "Reason (Chinese)", "public", "", itemgetter("zh")),
        Column("Reason (English)", "en", "Reason (English)", "public", "", itemgetter("en")),
        Column("时间", "at", "Refused at (UTC)", "public", "", itemgetter("at")),
        Column("状态", "status", "Status", "public", "未处理 / 已处理（已确认或已移动并重新发送）",
               lambda r: "已处理" if r["dismissed_at"] else "未处理"),
        Column("处理时间", "dealt_with_at", "Dealt with at (UTC)", "public", "", itemgetter("dismissed_at")),
        Column("记录类型", "type", "Record type", "public", "", itemgetter("type")),
        Column("记录编号", "id", "Record id", "public", "", itemgetter("id")),
        Column("修改编号", "key", "Change (origin:seq)", "public", "", itemgetter("key")),
    ]
    require_folder(target.parent)
    part = target.with_name(target.name + ".part")
    try:
        if fmt == "csv":
            table = Table("refused", "被拒绝的修改", cols, lambda: iter([[c.get(r) for c in cols] for r in rows]))
            with open(part, "w", encoding="utf-8-sig", newline="") as fh:
                _write_csv(table, fh)
        else:
            data = {"exported_at": datetime.now().astimezone().isoformat(timespec="seconds"),
                    "device_id": store.device_id,
                    "refused": [{c.name: c.get(r) for c in cols} for r in rows]}
            part.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(part, target)
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise
    log.info("export of refused changes: format=%s rows=%d", fmt, len(rows))
    return target
