"""Exports: no personal data in de-identified files, suppressed small counts, an encrypted named archive."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import pyzipper

from lehe_desktop.core import paths as paths_mod
from lehe_desktop.core.demo import make_demo
from lehe_desktop.core.errors import NotFoundError, UsageError, ValidationError
from lehe_desktop.core.exports import (
    PSEUDONYM_META_KEY,
    SUPPRESSED,
    Column,
    Table,
    _write_csv,
    export,
    read_password_file,
)
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.records.schema import Kind, Privacy, all_types
from lehe_desktop.core.roster import import_roster
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.validation.idnumber import check_digit
from lehe_desktop.core.validation.phone import format_phone_local

CliRunner = Callable[..., subprocess.CompletedProcess[str]]
PASSWORD = "导出密码 export-pw-1"
BOM = b"\xef\xbb\xbf"
VILLAGE_A = "重庆市/巫溪县/白鹿镇/乐和村"
VILLAGE_B = "重庆市/巫溪县/白鹿镇/大坪村"


def idn(birth: str, seq: int) -> str:
    body = f"500238{birth.replace('-', '')}{seq:03d}"
    return body + check_digit(body)


ROSTER = [
    ["村", "组", "地址", "户主姓名", "姓名", "与户主关系", "性别", "出生日期", "身份证号", "电话", "类别"],
    [VILLAGE_A, "1组", "老屋基7号", "覃立国", "覃立国", "户主", "男", "1948-02-03", idn("1948-02-03", 15),
     "13912345678、023-51234567", "低保户、独居老人"],
    [VILLAGE_A, "1组", "", "覃立国", "向翠兰", "配偶", "女", "1950-06-07", idn("1950-06-07", 26), "", ""],
]


def populated(tmp_path: Path, name: str = "db", *, households: int = 60) -> Store:
    """Demo data (every record type) plus a roster import (ID numbers, phones, categories)."""
    st, _ = vault.setup(paths_mod.resolve(tmp_path / name), "correct horse 42")
    st.today = date(2026, 11, 29)
    make_demo(st, households, seed=7, today=date(2026, 11, 29))
    roster = tmp_path / f"{name}-roster.csv"
    with open(roster, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(ROSTER)
    assert import_roster(st, roster).errors == []
    return st


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Store]:
    st = populated(tmp_path)
    try:
        yield st
    finally:
        st.close()


def secrets_in(store: Store) -> dict[str, set[str]]:
    """Every stored name, ID number and phone (in each form an export could show it)."""
    found: dict[str, set[str]] = {"name": set(), "id_number": set(), "phone": set()}
    for rt in all_types():
        for f in rt.fields:
            if f.kind is Kind.NAME or (f.name == "name" and f.privacy is Privacy.IDENTIFYING):
                bucket = "name"
            elif f.kind is Kind.ID_NUMBER:
                bucket = "id_number"
            elif f.kind is Kind.PHONE:
                bucket = "phone"
            else:
                continue
            for (value,) in store.query(f"SELECT {f.name} FROM {rt.table} WHERE {f.name} IS NOT NULL"):
                if value in ("unknown", "refused", "not_collected"):
                    continue
                found[bucket].add(value)
                if bucket == "phone":
                    national = value.split(";")[0].removeprefix("+86")
                    found[bucket] |= {national, format_phone_local(value)}
    return found


def texts_of(path: Path, password: str | None = None) -> dict[str, str]:
    """{member name: decoded text} of a file; zip containers (xlsx, archives) are opened all the way."""
    data = path.read_bytes()
    if not data.startswith(b"PK"):
        return {path.name: data.decode("utf-8")}
    out: dict[str, str] = {}
    opener = pyzipper.AESZipFile if password else zipfile.ZipFile
    with opener(io.BytesIO(data)) as zf:
        if password:
            zf.setpassword(password.encode())
        for name in zf.namelist():
            inner = zf.read(name)
            if inner.startswith(b"PK"):
                nested = path.parent / f".scan-{name}"
                nested.write_bytes(inner)
                out.update({f"{name}/{k}": v for k, v in texts_of(nested).items()})
                nested.unlink()
            else:
                out[name] = inner.decode("utf-8")
    return out


def leaks(texts: dict[str, str], secrets: dict[str, set[str]]) -> list[tuple[str, str, str]]:
    return [(file, kind, s) for kind, values in secrets.items() for s in values
            for file, text in texts.items() if s in text]


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


# ----------------------------------------------------------------------------- de-identified


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_deidentified_export_holds_no_name_id_number_or_phone(db: Store, tmp_path: Path, fmt: str) -> None:
    secrets = secrets_in(db)
    assert len(secrets["name"]) > 100 and len(secrets["id_number"]) > 20 and len(secrets["phone"]) > 50
    assert {"覃立国", "向翠兰", "+8613912345678", "13912345678", idn("1948-02-03", 15)} <= \
        secrets["name"] | secrets["phone"] | secrets["id_number"]

    result = export(db, tmp_path / "out", fmt=fmt)
    assert result.level == "deidentified"
    texts: dict[str, str] = {}
    for f in result.files:
        texts.update(texts_of(f))
    assert leaks(texts, secrets) == []
    # Not vacuous: the files do hold the records (villages, codes, labels, birth years).
    everything = "\n".join(texts.values())
    assert VILLAGE_A in everything and "低保户/低保对象" in everything and "1948" in everything
    assert "1948-02-03" not in everything  # birth dates coarsened to the year

    # Positive control: the same scan finds them all in the named export once decrypted.
    named = export(db, tmp_path / "named", fmt=fmt, level="named", password=PASSWORD)
    (archive,) = named.files
    found = leaks(texts_of(archive, PASSWORD), secrets)
    for kind in ("name", "id_number"):
        assert {s for _f, k, s in found if k == kind} == secrets[kind]
    local_phones = {format_phone_local(p) for p in secrets["phone"] if p.startswith("+")}
    assert local_phones <= {s for _f, k, s in found if k == "phone"}


def test_every_registered_record_type_gets_a_file_and_a_sheet(db: Store, tmp_path: Path) -> None:
    types = all_types()
    csv_result = export(db, tmp_path / "csv", fmt="csv")
    names = {f.name for f in csv_result.files}
    assert {f"{rt.table}.csv" for rt in types} <= names
    assert "字段说明.csv" in names
    xlsx_result = export(db, tmp_path / "xlsx", fmt="xlsx")
    (book,) = xlsx_result.files
    wb = openpyxl.load_workbook(book, read_only=True)
    assert len(wb.sheetnames) == len(types) + 1 and wb.sheetnames[-1] == "字段说明"
    members = list(wb[wb.sheetnames[[rt.name for rt in types].index("member")]].iter_rows(values_only=True))
    wb.close()
    assert members[0][:3] == ("编号", "所属户编号", "性别")
    assert len(members) - 1 == db.count("member") == csv_result.counts["members"]


def test_csv_is_utf8_with_bom_and_chinese_headers(db: Store, tmp_path: Path) -> None:
    result = export(db, tmp_path / "out", fmt="csv")
    for f in result.files:
        assert f.read_bytes().startswith(BOM), f.name
    rows = read_csv(tmp_path / "out" / "members.csv")
    header = rows[0]
    assert header[:4] == ["编号", "所属户编号", "性别", "性别代码"]
    assert "出生年份" in header and "姓名" not in header and "身份证号" not in header
    sexes = {r[header.index("性别")] for r in rows[1:]}
    assert sexes == {"男", "女"}
    assert not list((tmp_path / "out").glob("*.part"))


def test_pseudonyms_are_stable_per_database_and_differ_between_databases(db: Store, tmp_path: Path) -> None:
    first = read_csv(export(db, tmp_path / "one", fmt="csv").folder / "households.csv")
    second = read_csv(export(db, tmp_path / "two", fmt="csv").folder / "households.csv")
    assert first == second
    ids = [r[0] for r in first[1:]]
    real = {r[0] for r in db.query("SELECT id FROM households")}
    assert len(set(ids)) == len(ids) == len(real) and not set(ids) & real
    # The members file links to the same household pseudonyms.
    members = read_csv(tmp_path / "one" / "members.csv")
    assert {r[1] for r in members[1:]} <= set(ids)
    # Another laptop that imported the same roster has the same record ids, not the same pseudonyms.
    other = populated(tmp_path, "other")
    try:
        shared = db.query_value("SELECT id FROM members WHERE name = '覃立国'")
        assert other.query_value("SELECT id FROM members WHERE name = '覃立国'") == shared
        theirs = {r[0] for r in read_csv(export(other, tmp_path / "three", fmt="csv").folder / "members.csv")[1:]}
        assert not theirs & {r[0] for r in members[1:]}
        assert other.meta()[PSEUDONYM_META_KEY] != db.meta()[PSEUDONYM_META_KEY]
    finally:
        other.close()


def test_deleted_rows_and_children_of_deleted_parents_are_left_out(db: Store, tmp_path: Path) -> None:
    hid = db.query_value("SELECT household_id FROM members WHERE name = '覃立国'")
    db.delete("household", hid)
    named = export(db, tmp_path / "named", fmt="csv", level="named", password=PASSWORD)
    texts = texts_of(named.files[0], PASSWORD)
    assert hid not in texts["households.csv"]
    assert "覃立国" not in texts["members.csv"] and "向翠兰" not in texts["members.csv"]
    assert "139 1234 5678" not in texts["member_phones.csv"]
    assert named.counts["members"] == db.count("member") - 2


def test_an_export_never_overwrites_an_earlier_one(db: Store, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = export(db, out, fmt="csv")
    assert first.folder == out
    before = {f: f.read_bytes() for f in first.files}
    second = export(db, out, fmt="csv")
    assert second.folder.parent == out and second.folder.name.startswith("lehe-export-deidentified-")
    third = export(db, out, fmt="csv")
    assert third.folder not in (out, second.folder)
    assert {f: f.read_bytes() for f in first.files} == before
    (out / "file.txt").write_text("x")
    with pytest.raises(UsageError):
        export(db, out / "file.txt", fmt="csv")


# ----------------------------------------------------------------------------- aggregate


def test_aggregate_suppresses_counts_below_five(tmp_path: Path) -> None:
    st, _ = vault.setup(paths_mod.resolve(tmp_path / "agg"), "correct horse 42")
    try:
        st.today = date(2026, 11, 29)
        rows = [ROSTER[0]]
        # Village A: 2 households on 低保 (suppressed); village B: 7 left-behind children (shown).
        for h in range(2):
            rows.append([VILLAGE_A, "1组", "", f"甲户{h}", f"甲户{h}", "户主", "男", "1950-01-01", "", "", "低保户"])
        for h in range(7):
            rows.append([VILLAGE_B, "2组", "", f"乙户{h}", f"乙户{h}", "户主", "女", "1970-01-01", "", "", ""])
            rows.append([VILLAGE_B, "2组", "", f"乙户{h}", f"乙孩{h}", "女儿", "女", "2016-01-01", "", "",
                         "留守儿童"])
        roster = tmp_path / "agg.csv"
        with open(roster, "w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(rows)
        assert import_roster(st, roster).errors == []
        result = export(st, tmp_path / "out", fmt="csv", level="aggregate")
        by_area = read_csv(result.folder / "aggregate_by_area.csv")
        cats = read_csv(result.folder / "aggregate_categories.csv")
        xlsx = export(st, tmp_path / "x", fmt="xlsx", level="aggregate")
    finally:
        st.close()
    header = by_area[0]
    table = {r[0]: dict(zip(header, r, strict=True)) for r in by_area[1:]}
    assert table[VILLAGE_A]["户"] == SUPPRESSED and table[VILLAGE_A]["家庭成员"] == SUPPRESSED
    # The totals are shown, so village B's 7 households and 14 members would give village A's
    # 2 and 2 away (9 − 7, 16 − 14): they are hidden too (complementary suppression).
    assert table["合计"]["户"] == "9" and table["合计"]["家庭成员"] == "16"
    assert table[VILLAGE_B]["户"] == SUPPRESSED and table[VILLAGE_B]["家庭成员"] == SUPPRESSED
    # 2 households with a category, all in A: the total is as small as the cell, hidden as well.
    assert table[VILLAGE_B]["户类别"] == "0" and table["合计"]["户类别"] == SUPPRESSED
    assert cats[0] == ["村（地区）", "类别", "类别代码", "人数", "户数"]
    assert [VILLAGE_A, "低保户/低保对象", "dibao", "0", SUPPRESSED] in cats
    assert [VILLAGE_B, "农村留守儿童", "left_behind_child", "7", "0"] in cats
    assert ["合计", "农村留守儿童", "left_behind_child", "7", "0"] in cats
    assert ["合计", "低保户/低保对象", "dibao", "0", SUPPRESSED] in cats
    every_cell = [c for r in by_area[1:] + cats[1:] for c in r[1:]]
    assert not [c for c in every_cell if c in {"1", "2", "3", "4"}]
    # The names in the roster are nowhere in the aggregate files.
    text = "".join(f.read_text(encoding="utf-8-sig") for f in result.files)
    assert "甲户" not in text and "乙孩" not in text
    wb = openpyxl.load_workbook(xlsx.files[0], read_only=True)
    cells = [c for ws in wb.worksheets[:2] for row in ws.iter_rows(min_row=2, values_only=True) for c in row]
    wb.close()
    assert SUPPRESSED in cells and not [c for c in cells if isinstance(c, int) and 0 < c < 5]


# ----------------------------------------------------------------------------- named


def test_named_export_needs_a_password_and_writes_only_an_encrypted_archive(db: Store, tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        export(db, tmp_path / "refused", fmt="csv", level="named")
    assert caught.value.code == "export.password_required"
    assert not (tmp_path / "refused").exists()

    result = export(db, tmp_path / "out", fmt="csv", level="named", password=PASSWORD,)
    (archive,) = result.files
    assert archive.name == f"lehe-export-named-{date.today():%Y%m%d}.zip"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [archive.name]  # no plaintext beside it
    raw = archive.read_bytes()
    assert "覃立国".encode() not in raw and b"13912345678" not in raw
    with zipfile.ZipFile(archive) as zf:
        info = zf.infolist()[0]
        assert info.flag_bits & 0x1  # encrypted entries
        with pytest.raises(RuntimeError):
            zf.read(info.filename)  # needs the password
    with pyzipper.AESZipFile(archive) as zf:
        zf.setpassword(b"wrong password")
        with pytest.raises(RuntimeError):
            zf.read("members.csv")
    texts = texts_of(archive, PASSWORD)
    assert texts["members.csv"].startswith("\ufeff编号,")
    assert "覃立国" in texts["members.csv"] and "139 1234 5678" in texts["member_phones.csv"]


def test_password_file_rules(tmp_path: Path) -> None:
    f = tmp_path / "pw.txt"
    f.write_text(PASSWORD + "\nsecond line ignored\n", encoding="utf-8")
    assert read_password_file(f) == PASSWORD
    f.write_text("short\n", encoding="utf-8")
    with pytest.raises(ValidationError):
        read_password_file(f)
    with pytest.raises(NotFoundError):
        read_password_file(tmp_path / "missing.txt")


# ----------------------------------------------------------------------------- command line


@pytest.fixture
def ready(paths: DataPaths, passphrase: str, tmp_path: Path) -> Iterator[DataPaths]:
    st, _ = vault.setup(paths, passphrase)
    try:
        roster = tmp_path / "roster.csv"
        with open(roster, "w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(ROSTER)
        import_roster(st, roster)
    finally:
        st.close()
    yield paths


def test_cli_export_levels_and_exit_codes(ready: DataPaths, cli: CliRunner, tmp_path: Path) -> None:
    r = cli("export", "--format", "csv", str(tmp_path / "plain"), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["level"] == "deidentified" and out["counts"]["members"] == 2
    assert (tmp_path / "plain" / "members.csv").read_bytes().startswith(BOM)

    r = cli("export", "--format", "xlsx", "--level", "named", str(tmp_path / "named"))
    assert r.returncode == 2 and "export.password_required" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "named").exists()

    pw = tmp_path / "pw.txt"
    pw.write_text("short\n", encoding="utf-8")
    r = cli("export", "--format", "xlsx", "--level", "named", "--password-file", str(pw), str(tmp_path / "named"))
    assert r.returncode == 4 and "export.password_short" in r.stderr

    pw.write_text(PASSWORD + "\n", encoding="utf-8")
    r = cli("export", "--format", "xlsx", "--level", "named", "--password-file", str(pw), str(tmp_path / "named"),
            "--json")
    assert r.returncode == 0, r.stderr
    (archive,) = [Path(p) for p in json.loads(r.stdout)["files"]]
    texts = texts_of(archive, PASSWORD)
    assert any("覃立国" in t for t in texts.values())

    r = cli("export", "--format", "csv", "--level", "aggregate", str(tmp_path / "agg"))
    assert r.returncode == 0 and (tmp_path / "agg" / "aggregate_by_area.csv").exists()
    log_text = "".join(p.read_text(encoding="utf-8") for p in (ready.logs).glob("*.log*"))
    assert "export: level=named" in log_text and "覃立国" not in log_text


# ----------------------------------------------------------------------------- formulas


FORMULAS = ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=cmd", "\r=1+1", ' =HYPERLINK("http://x.invalid","点我")',
            "\x00=1", "\u3000=1", "\u200b=1", "＝1+1", "＋cmd", "－1+1", "＠SUM(A1)", "-inf", "-", " \t\r\n+1"]
HARMLESS = ["王大山", "1-2", "a=b", "3号 = 三号", "", "  ", "-5", "+3.5", "-0.25", "1e3", "13800138000"]


def test_csv_cells_that_a_spreadsheet_would_run_get_an_apostrophe(tmp_path: Path) -> None:
    cells: list[Any] = [*FORMULAS, *HARMLESS, -5, 3.5, None]
    table = Table("t", "t", [Column("值", "v", "Value", "public", "", lambda r: r)], lambda: iter([[c] for c in cells]))
    path = tmp_path / "t.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        assert _write_csv(table, fh) == len(cells)
    written = [r[0] for r in read_csv(path)[1:]]
    assert written[:len(FORMULAS)] == ["'" + f for f in FORMULAS]
    # Ordinary text and plain numbers (typed as text or as numbers) are written as they are.
    assert written[len(FORMULAS):] == [*HARMLESS, "-5", "3.5", ""]


def test_formula_like_text_is_text_in_csv_and_xlsx_exports(store: Store, tmp_path: Path) -> None:
    names = ["=1+1", "+cmd", "@SUM(A1)", "-2+3", "-5", "=HYPERLINK(\"x\")"]
    for name in names:
        store.ensure_area(f"{VILLAGE_A.rsplit('/', 1)[0]}/{name}")
    export(store, tmp_path / "csv", fmt="csv")
    rows = read_csv(tmp_path / "csv" / "areas.csv")
    shown = {r[rows[0].index("名称")] for r in rows[1:]}
    assert {"'=1+1", "'+cmd", "'@SUM(A1)", "'-2+3", "-5", "'=HYPERLINK(\"x\")"} <= shown

    result = export(store, tmp_path / "xlsx", fmt="xlsx")
    (book,) = result.files
    with zipfile.ZipFile(book) as zf:
        sheets = [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in s or b"<f " in s for s in sheets)  # no formula anywhere
    wb = openpyxl.load_workbook(book)
    ws = next(wb[t] for t in wb.sheetnames if any(c.value == "名称" for c in wb[t][1]))
    col = next(c.column for c in ws[1] if c.value == "名称")
    cells = {c.value: c.data_type for (c,) in ws.iter_rows(min_row=2, min_col=col, max_col=col)}
    assert {n: cells.get(n) for n in names} == {n: "s" for n in names}  # the very text, as text
