"""Roster (花名册) import: good rows in, bad rows reported exactly, idempotent, deterministic ids."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lehe_desktop.core import paths as paths_mod
from lehe_desktop.core.ids import area_id, natural_id
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.roster import RosterFileError, _Vocabularies, import_roster, read_roster
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.validation.idnumber import check_digit

CliRunner = Callable[..., subprocess.CompletedProcess[str]]
VILLAGE = "重庆市/巫溪县/白鹿镇/乐和村"
OTHER = "重庆市/巫溪县/白鹿镇/大坪村"
HEADER = ["村", "组", "地址", "户主姓名", "姓名", "与户主关系", "性别", "出生日期", "身份证号", "电话", "类别"]


def idn(birth: str, seq: int, county: str = "500238") -> str:
    """A valid 18-digit ID number; odd ``seq`` is male, even female."""
    body = f"{county}{birth.replace('-', '')}{seq:03d}"
    return body + check_digit(body)


ID_WANG = idn("1955-03-12", 11)
ID_XIAOMING = idn("2015-06-01", 13)
ID_ZHANG = idn("1960-01-01", 21)

GOOD: list[list[str]] = [
    [VILLAGE, "1", "1组大院3号", "王大山", "王大山", "户主", "男", "1955-03-12", ID_WANG,
     "13800138000、023-12345678", "低保户、独居老人"],
    [VILLAGE, "1", "", "王大山", "李秀英", "配偶", "女", "1957/5/1", "", "", ""],
    [VILLAGE, "1", "", "王大山", "王小明", "孙子", "", "", ID_XIAOMING, "", "留守儿童"],
    [OTHER, "2组", "坪上8号", "张三", "张三", "本人", "男", "1960年1月1日", ID_ZHANG, "139 0000 1111", "脱贫户"],
    [OTHER, "2组", "", "张三", "张四", "儿子", "男", "19850101", "", "", "残疾"],
]


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8-sig", header: list[str] = HEADER) -> Path:
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def record_ids(store: Store) -> dict[str, set[str]]:
    out = {}
    for table in ("areas", "households", "members", "member_categories", "household_categories", "member_phones"):
        out[table] = {r[0] for r in store.query(f"SELECT id FROM {table}")}
    return out


def changes(store: Store) -> int:
    return int(store.query_value("SELECT count(*) FROM changes"))


def issues(result: Any) -> list[tuple[int, str, str]]:
    return [(e.line, e.column, e.code) for e in result.errors]


@pytest.fixture
def store_today(store: Store) -> Store:
    store.today = date(2026, 11, 29)
    return store


# ----------------------------------------------------------------------------- the good path


def test_good_roster_makes_households_members_categories_and_phones(store_today: Store, tmp_path: Path) -> None:
    store = store_today
    result = import_roster(store, write_csv(tmp_path / "r.csv", GOOD))
    assert result.errors == []
    assert (result.imported, result.households, result.skipped, result.rows) == (5, 2, 0, 5)

    wang_hid = natural_id("household", area_id(VILLAGE), "1组", "王大山")
    wang = store.require("household", wang_hid)
    assert (wang["group_name"], wang["head_name"], wang["address"], wang["status"]) == \
        ("1组", "王大山", "1组大院3号", "on_register")
    assert wang["area_id"] == area_id(VILLAGE)
    assert store.get("area", area_id("重庆市/巫溪县/白鹿镇")) is not None  # every level of the path

    members = {m["name"]: m for m in store.children("member", wang_hid)}
    assert set(members) == {"王大山", "李秀英", "王小明"}
    head = members["王大山"]
    assert head["id"] == natural_id("member", wang_hid, "王大山", ID_WANG)
    assert (head["relation"], head["sex"], head["birth_date"], head["id_number"], head["id_type"]) == \
        ("02", "1", "1955-03-12", ID_WANG, "resident_id")
    assert members["李秀英"]["id"] == natural_id("member", wang_hid, "李秀英", "")
    assert (members["李秀英"]["relation"], members["李秀英"]["birth_date"]) == ("10", "1957-05-01")
    # Sex and birth date come from the ID number when the cells are empty.
    assert (members["王小明"]["relation"], members["王小明"]["sex"], members["王小明"]["birth_date"]) == \
        ("40", "1", "2015-06-01")

    phones = sorted(p["number"] for p in store.children("member_phone", head["id"]))
    assert phones == ["+8613800138000", "+862312345678"]
    # 低保户 describes the household; 独居老人 and 留守儿童 describe a person.
    assert [c["category"] for c in store.children("household_category", wang_hid)] == ["dibao"]
    assert [c["category"] for c in store.children("member_category", head["id"])] == ["living_alone"]
    assert [c["category"] for c in store.children("member_category", members["王小明"]["id"])] == \
        ["left_behind_child"]

    zhang_hid = natural_id("household", area_id(OTHER), "2组", "张三")
    zhang = {m["name"]: m for m in store.children("member", zhang_hid)}
    assert (zhang["张三"]["relation"], zhang["张三"]["birth_date"]) == ("02", "1960-01-01")
    assert (zhang["张四"]["relation"], zhang["张四"]["birth_date"]) == ("20", "1985-01-01")
    assert [c["category"] for c in store.children("household_category", zhang_hid)] == ["tuopin"]
    assert [c["category"] for c in store.children("member_category", zhang["张四"]["id"])] == ["disabled"]


def test_reimport_adds_nothing_and_records_no_change(store_today: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", GOOD)
    import_roster(store_today, path)
    before_ids, before_changes = record_ids(store_today), changes(store_today)
    again = import_roster(store_today, path)
    assert (again.imported, again.households, again.skipped, again.errors) == (0, 0, 5, [])
    assert record_ids(store_today) == before_ids
    assert changes(store_today) == before_changes


def test_two_databases_importing_the_same_roster_get_identical_ids(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", GOOD)
    ids = []
    for name in ("laptop-a", "laptop-b"):
        st, _ = vault.setup(paths_mod.resolve(tmp_path / name), "correct horse 42")
        try:
            st.today = date(2026, 11, 29)
            import_roster(st, path)
            ids.append(record_ids(st))
            device = st.device_id
        finally:
            st.close()
        assert device  # the two laptops are different replicas …
    assert ids[0] == ids[1]  # … yet made the very same records
    assert all(ids[0][t] for t in ids[0])


# ----------------------------------------------------------------------------- bad rows


def test_bad_rows_are_reported_exactly_and_the_rest_imported(store_today: Store, tmp_path: Path) -> None:
    bad_checksum = ID_WANG[:-1] + ("0" if ID_WANG[-1] != "0" else "1")
    rows = [
        GOOD[0],                                                                              # line 2 ok
        [VILLAGE, "1", "", "王大山", "李秀英", "老乡", "女", "1957-05-01", "", "", ""],        # 3 relation
        [VILLAGE, "1", "", "王大山", "王二", "子", "男", "1990-02-30", "", "", ""],           # 4 date
        [VILLAGE, "1", "", "王大山", "王三", "子", "男", "", bad_checksum, "", ""],           # 5 checksum
        [VILLAGE, "1", "", "王大山", "王四", "子", "男", "1992-01-01", "", "12345", "低保"],  # 6 phone
        [VILLAGE, "1", "", "王大山", "王五", "子", "男", "1993-01-01", "", "", "外星人"],     # 7 category
        [OTHER, "3组", "", "赵六", "赵六", "户主", "未知性别", "1950-01-01", "", "", ""],      # 8 bad head
        [OTHER, "3组", "", "赵六", "钱七", "配偶", "女", "1951-01-01", "", "", ""],           # 9 its member
        [VILLAGE, "", "", "孙八", "孙八", "户主", "男", "1950-01-01", "", "", ""],            # 10 no group
        [VILLAGE, "1", "", "王大山", "王六", "", "男", "1994-01-01", "", "", ""],             # 11 no relation
        [VILLAGE, "1", "", "王大山", "王七", "子", "男", "2030-01-01", "", "", ""],           # 12 future
        [VILLAGE, "1", "", "王大山", "王大山", "户主", "男", "1955-03-12", ID_WANG, "", ""],  # 13 duplicate
        [VILLAGE, "1", "", "王大山", "王八", "户主", "男", "1990-01-01", "", "", ""],         # 14 head mismatch
        [VILLAGE, "1", "", "王大山", "王九", "子", "男", "1996-01-01", "", "", "监测户"],     # 15 ambiguous
        [OTHER, "5组", "", "周十", "周十", "户主", "女", "1940-01-01", "", "", ""],           # 16 ok
    ]
    before = changes(store_today)
    result = import_roster(store_today, write_csv(tmp_path / "bad.csv", rows))
    assert issues(result) == [
        (3, "与户主关系", "roster.relation_unknown"),
        (4, "出生日期", "date.invalid"),
        (5, "身份证号", "id_number.checksum"),
        (6, "电话", "phone.format"),
        (7, "类别", "roster.category_unknown"),
        (8, "性别", "roster.sex_unknown"),
        (9, "户主姓名", "roster.head_invalid"),
        (10, "组", "field.required"),
        (11, "与户主关系", "field.required"),
        (12, "出生日期", "date.future"),
        (13, "姓名", "roster.duplicate_person"),
        (14, "与户主关系", "roster.head_mismatch"),
        (15, "类别", "roster.category_ambiguous"),
    ]
    by_line = {e.line: e for e in result.errors}
    assert "第8行" in by_line[9].zh and "line 8" in by_line[9].en
    assert "与第2行是同一人" in by_line[13].zh
    assert "老乡" in by_line[3].zh and "户主" in by_line[3].zh  # says what was wrong and what is allowed
    assert (result.imported, result.households) == (2, 2)  # 王大山 (line 2) and 周十 (line 16)
    wang_hid = natural_id("household", area_id(VILLAGE), "1组", "王大山")
    assert [m["name"] for m in store_today.children("member", wang_hid)] == ["王大山"]
    assert store_today.get("household", natural_id("household", area_id(OTHER), "3组", "赵六")) is None
    assert changes(store_today) > before


def test_legacy_15_digit_id_is_converted_with_a_warning(store_today: Store, tmp_path: Path) -> None:
    legacy = "500238550312113"  # 1955-03-12, odd sequence: male
    rows = [[VILLAGE, "1", "", "王大山", "王大山", "户主", "", "", legacy, "", ""]]
    result = import_roster(store_today, write_csv(tmp_path / "r.csv", rows))
    assert result.errors == []
    assert [(w.line, w.column, w.code) for w in result.warnings] == [(2, "身份证号", "id_number.legacy")]
    member = store_today.query_one("SELECT id_number, birth_date, sex FROM members")
    assert member == ("50023819550312113" + check_digit("50023819550312113"), "1955-03-12", "1")


def test_missing_required_columns_are_one_clear_error(store_today: Store, tmp_path: Path) -> None:
    header = ["村", "户主姓名", "姓名", "性别"]
    path = write_csv(tmp_path / "r.csv", [[VILLAGE, "王大山", "王大山", "男"]], header=header)
    with pytest.raises(RosterFileError) as caught:
        read_roster(path)
    exc = caught.value
    assert (exc.code, exc.line, exc.column) == ("roster.column_missing", 1, "组、与户主关系")
    assert "组、与户主关系" in exc.zh


@pytest.mark.parametrize(("name", "payload", "code"), [
    ("noise.csv", bytes(range(256)) * 40, "roster.unreadable"),
    ("elf.csv", b"\x7fELF\x02\x01\x01\x00" + b"\x00\x01\x02\x03" * 500, "roster.unreadable"),
    ("broken.xlsx", b"PK\x03\x04" + b"\x00garbage" * 100, "roster.unreadable"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "roster.xls"),
    ("empty.csv", b"  \r\n", "roster.empty"),
    ("prose.csv", "这不是花名册，只是一段文字。\n第二行。\n".encode(), "roster.no_header"),
])
def test_garbage_files_are_refused_and_change_nothing(store_today: Store, tmp_path: Path, name: str,
                                                     payload: bytes, code: str) -> None:
    path = tmp_path / name
    path.write_bytes(payload)
    before_ids, before_changes = record_ids(store_today), changes(store_today)
    with pytest.raises(RosterFileError) as caught:
        import_roster(store_today, path)
    assert caught.value.code == code
    assert caught.value.exit_code == 4
    assert record_ids(store_today) == before_ids and changes(store_today) == before_changes


# ----------------------------------------------------------------------------- encodings and Excel


def test_gbk_csv_and_xlsx_import_the_same_records_as_utf8(tmp_path: Path) -> None:
    utf8 = write_csv(tmp_path / "utf8.csv", GOOD, encoding="utf-8")
    gbk = write_csv(tmp_path / "gbk.csv", GOOD, encoding="gbk")
    assert gbk.read_bytes() != utf8.read_bytes()
    xlsx = tmp_path / "r.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["乐和村花名册（2026年）"])  # a title row above the header, as rosters often have
    ws.append([])
    ws.append(HEADER)
    for row in GOOD:
        cells: list[Any] = list(row)
        cells[1] = int(row[1]) if row[1].isdigit() else row[1]        # 组 typed as a number
        if row[7] == "1955-03-12":
            cells[7] = datetime(1955, 3, 12)                        # a real Excel date cell
        if row[9] == "13800138000、023-12345678":
            cells[9] = "13800138000,023-12345678"
        ws.append(cells)
    wb.save(xlsx)

    results = []
    for path in (utf8, gbk, xlsx):
        st, _ = vault.setup(paths_mod.resolve(tmp_path / f"db-{path.name}"), "correct horse 42")
        try:
            st.today = date(2026, 11, 29)
            r = import_roster(st, path)
            assert r.errors == [], (path.name, r.errors)
            results.append((record_ids(st), r.imported))
        finally:
            st.close()
    assert results[0] == results[1] == results[2]
    assert read_roster(gbk).source == "csv:gb18030"
    assert read_roster(xlsx).header_line == 3


def test_xlsx_lines_are_sheet_rows_and_numeric_id_numbers_are_caught(store_today: Store, tmp_path: Path) -> None:
    xlsx = tmp_path / "r.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append([VILLAGE, "1组", "", "王大山", "王大山", "户主", "男", "1955-03-12", ID_WANG, 13800138000, ""])
    ws.append([])
    ws.append([VILLAGE, "1组", "", "王大山", "王小二", "子", "男", "", 500238199001011000, "", ""])
    wb.save(xlsx)
    result = import_roster(store_today, xlsx)
    assert issues(result) == [(4, "身份证号", "roster.id_number_excel")]
    assert result.imported == 1
    assert store_today.query_one("SELECT number FROM member_phones") == ("+8613800138000",)


def test_vocabulary_labels_are_matched_leniently_but_never_guessed(store: Store) -> None:
    v = _Vocabularies(store)
    assert [v.relation_code(x) for x in ("户主", "02", "妻子", "长子", "女", "孙女", "22", "儿媳", "乱写")] == \
        ["02", "02", "10", "20", "30", "40", "20", "97", None]
    assert v.category_code("低保")[0] == v.category_code("低保对象")[0] == "dibao"
    assert v.category_code("dibao")[0] == "dibao"
    assert v.category_code("农村留守儿童")[0] == "left_behind_child"
    assert v.category_code("特困供养人员")[0] == "tekun"
    code, candidates = v.category_code("监测户")
    assert code is None and set(candidates) == {"fpjc_unstable", "fpjc_edge", "fpjc_sudden"}
    code, candidates = v.category_code("留守")
    assert code is None and len(candidates) == 3
    assert v.category_code("外星人") == (None, [])


# ----------------------------------------------------------------------------- command line


@pytest.fixture
def ready(paths: DataPaths, passphrase: str) -> Iterator[DataPaths]:
    st, _ = vault.setup(paths, passphrase)
    st.close()
    yield paths


def test_cli_json_shape_and_exit_codes(ready: DataPaths, cli: CliRunner, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "good.csv", GOOD)
    r = cli("import-roster", str(good), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["imported"] == 5 and out["errors"] == []

    bad = write_csv(tmp_path / "bad.csv", [[VILLAGE, "1", "", "王大山", "王五", "子", "男", "1990-13-01", "", "", ""],
                                           GOOD[1]])
    r = cli("import-roster", str(bad), "--json")
    assert r.returncode == 4, r.stderr
    out = json.loads(r.stdout)
    assert out["imported"] == 0  # line 3 is 李秀英, already imported from good.csv
    assert out["errors"] == [{"line": 2, "column": "出生日期", "code": "date.invalid",
                              "message": out["errors"][0]["message"]}]
    assert "1990-13-01" in out["errors"][0]["message"]

    r = cli("import-roster", str(tmp_path / "nope.csv"), "--json")
    assert r.returncode == 5 and "roster.missing" in r.stderr
    assert json.loads(r.stdout) == {"imported": 0, "errors": [
        {"line": 0, "column": "", "code": "roster.missing", "message": json.loads(r.stdout)["errors"][0]["message"]}]}

    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(256)) * 10)
    r = cli("import-roster", str(junk), "--json")
    assert r.returncode == 4
    assert json.loads(r.stdout)["errors"][0]["code"] == "roster.unreadable"
    assert "Traceback" not in r.stderr and "roster.unreadable" in r.stderr

    r = cli("--lang", "en", "import-roster", str(bad))  # human output: one line per problem on stderr
    assert r.returncode == 4
    assert "line 2" in r.stderr and "date.invalid" in r.stderr


# ----------------------------------------------------------------------------- size


def big_roster(path: Path, households: int) -> int:
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(HEADER)
    n = 0
    for h in range(households):
        village = f"重庆市/巫溪县/白鹿镇/{['乐和村', '大坪村', '双河村', '红旗村'][h % 4]}"
        group = f"{h % 9 + 1}组"
        head = f"户主{h:05d}"
        w.writerow([village, group, f"{group}{h}号", head, head, "户主", "男", "1960-01-01",
                    idn("1960-01-01", (h % 499) * 2 + 1, county=f"{500100 + h // 499:06d}"),
                    f"139{h:08d}", "低保户" if h % 10 == 0 else ""])
        w.writerow([village, group, "", head, f"配偶{h:05d}", "配偶", "女", "1962-05-01", "", "", ""])
        w.writerow([village, group, "", head, f"子{h:05d}", "儿子", "男", "1990-03-01", "", "", "留守儿童" if
                    h % 7 == 0 else ""])
        w.writerow([village, group, "", head, f"孙{h:05d}", "孙女", "女", "2015-07-01", "", "", ""])
        w.writerow([village, group, "", head, f"老人{h:05d}", "父亲", "男", "1935-02-01", "", "", "独居老人"])
        n += 5
    path.write_text(buf.getvalue(), encoding="utf-8-sig")
    return n


@pytest.mark.slow
def test_a_50k_row_roster_imports_in_seconds(store_today: Store, tmp_path: Path) -> None:
    rows = big_roster(tmp_path / "big.csv", 10_000)
    started = time.perf_counter()
    result = import_roster(store_today, tmp_path / "big.csv")
    elapsed = time.perf_counter() - started
    assert result.errors == [] and result.imported == rows == 50_000
    assert store_today.count("household") == 10_000
    print(f"50k-row roster import: {elapsed:.1f} s")
    assert elapsed < 60


def test_committed_sample_roster_imports_cleanly(store_today: Store) -> None:
    sample = Path(__file__).resolve().parent.parent / "fixtures" / "roster" / "sample_roster.csv"
    result = import_roster(store_today, sample)
    assert (result.errors, result.imported, result.households) == ([], 8, 4)
    chen = store_today.query_one("SELECT birth_date FROM members WHERE name = '陈德明'")
    assert chen == ("1942-08-15",)
    hh_cats = {r[0] for r in store_today.query("SELECT category FROM household_categories")}
    assert hh_cats == {"dibao", "tuopin", "single_parent"}


def test_line_numbers_follow_multiline_cells_and_utf16_text_is_read(store_today: Store, tmp_path: Path) -> None:
    row = list(GOOD[0])
    row[2] = "大院\n3号"  # an address typed with Alt+Enter in Excel spans two physical lines
    bad = [VILLAGE, "1", "", "王大山", "李秀英", "配偶", "女", "1957-02-30", "", "", ""]
    result = import_roster(store_today, write_csv(tmp_path / "ml.csv", [row, bad]))
    assert issues(result) == [(4, "出生日期", "date.invalid")]
    text = "\t".join(HEADER) + "\r\n" + "\r\n".join("\t".join(r) for r in GOOD) + "\r\n"
    (tmp_path / "u16.txt").write_bytes(text.encode("utf-16"))
    roster = read_roster(tmp_path / "u16.txt")
    assert roster.source == "csv:utf-16" and [line for line, _ in roster.rows] == [2, 3, 4, 5, 6]


CELL = st.one_of(st.text(max_size=25), st.sampled_from(["户主", "配偶", "男", "女", "1955-03-12", "1957/5/1",
                                                       ID_WANG, "500238550312113", "13800138000", "低保户、留守",
                                                       VILLAGE, "乐和村", "1组", "王大山"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELL, min_size=11, max_size=11), min_size=1, max_size=6))
def test_any_cell_content_gives_row_errors_never_a_crash(store_today: Store, tmp_path: Path,
                                                         rows: list[list[str]]) -> None:
    rows = [[c.replace("\x00", "") for c in r] for r in rows]
    if not any(c.strip() for r in rows for c in r):
        rows[0][0] = "x"
    path = write_csv(tmp_path / "h.csv", rows)
    try:
        result = import_roster(store_today, path)
    except RosterFileError as exc:  # e.g. the random text broke the CSV into something without rows
        assert exc.code.startswith("roster.")
        return
    columns = set(HEADER)
    assert all(e.column in columns and e.line >= 2 and e.code for e in result.errors)
    # Every row is accounted for: written now, already there, or reported.
    assert result.imported + result.skipped + result.error_lines == result.rows


# ----------------------------------------------------------------------------- namesakes

ID_WANG_2 = idn("1971-08-20", 31)
# Two heads called 王大山 in 1组: the first as in GOOD, the second at another address with another
# ID number and his own family listed under him; a third 王大山 row repeats the first (same address).
NAMESAKES: list[list[str]] = [
    *GOOD[:3],
    [VILLAGE, "1", "1组坡下12号", "王大山", "王大山", "户主", "男", "1971-08-20", ID_WANG_2, "", ""],
    [VILLAGE, "1", "", "王大山", "刘芳", "配偶", "女", "1973-02-02", "", "", ""],
    [VILLAGE, "1", "1组大院3号", "王大山", "王小红", "女", "女", "2001-01-01", "", "", ""],
]


def test_namesake_heads_in_one_group_are_two_households(store_today: Store, tmp_path: Path) -> None:
    store = store_today
    result = import_roster(store, write_csv(tmp_path / "r.csv", NAMESAKES))
    assert result.errors == []
    assert (result.households, result.imported) == (2, 6)
    plain = natural_id("household", area_id(VILLAGE), "1组", "王大山")
    other = natural_id("household", area_id(VILLAGE), "1组", "王大山", f"id:{ID_WANG_2}")
    # The first keeps the id it always had; the namesake's id names his ID number.
    assert store.require("household", plain)["address"] == "1组大院3号"
    assert store.require("household", other)["address"] == "1组坡下12号"
    by_household = {hid: sorted(m["name"] for m in store.children("member", hid)) for hid in (plain, other)}
    # 刘芳 follows her head's row; 王小红 repeats the first household's address, so she is theirs.
    assert by_household == {plain: ["李秀英", "王大山", "王小明", "王小红"], other: ["刘芳", "王大山"]}
    heads = [m for hid in (plain, other) for m in store.children("member", hid) if m["relation"] == "02"]
    assert sorted(h["id_number"] for h in heads) == sorted([ID_WANG, ID_WANG_2])


def test_namesakes_told_apart_by_address_alone(store_today: Store, tmp_path: Path) -> None:
    rows = [
        [VILLAGE, "2", "2组河边1号", "陈明", "陈明", "户主", "男", "1950-01-01", "", "", ""],
        [VILLAGE, "2", "", "陈明", "陈小东", "子", "男", "1980-01-01", "", "", ""],
        [VILLAGE, "2", "2组河边9号", "陈明", "陈明", "户主", "男", "1962-01-01", "", "", ""],
    ]
    result = import_roster(store_today, write_csv(tmp_path / "r.csv", rows))
    assert result.errors == [] and result.households == 2
    second = natural_id("household", area_id(VILLAGE), "2组", "陈明", "address:2组河边9号")
    assert [m["name"] for m in store_today.children("member", second)] == ["陈明"]


def test_same_head_twice_without_anything_different_is_still_refused(store_today: Store, tmp_path: Path) -> None:
    rows = [GOOD[0], [VILLAGE, "1", "", "王大山", "王大山", "户主", "男", "1955-03-12", "", "", ""]]
    result = import_roster(store_today, write_csv(tmp_path / "r.csv", rows))
    assert issues(result) == [(3, "与户主关系", "roster.head_duplicate")]
    assert result.households == 1


def test_namesakes_keep_existing_ids_reimport_adds_nothing_and_laptops_agree(tmp_path: Path) -> None:
    # Before this version the second 王大山 was refused: a database imported then holds the first
    # under the plain id. Importing the full roster now adds the namesake beside it, changing no id.
    old = write_csv(tmp_path / "old.csv", NAMESAKES[:3])
    full = write_csv(tmp_path / "full.csv", NAMESAKES)
    # The namesake listed first in a reordered file: the stored household still keeps its id.
    reordered = write_csv(tmp_path / "re.csv", [*NAMESAKES[3:5], *NAMESAKES[:3], NAMESAKES[5]])
    ids = []
    for name, files in (("laptop-a", (old, full, reordered)), ("laptop-b", (full,))):
        st, _ = vault.setup(paths_mod.resolve(tmp_path / name), "correct horse 42")
        try:
            st.today = date(2026, 11, 29)
            before: dict[str, set[str]] = {}
            for i, f in enumerate(files):
                result = import_roster(st, f)
                assert result.errors == []
                now = record_ids(st)
                if i == 0:
                    before = now
                else:
                    assert all(before[t] <= now[t] for t in now)     # nothing that existed changed id
                if f is reordered:
                    assert (result.households, result.imported) == (0, 0)
                    assert now == before
                before = now
            ids.append(record_ids(st))
        finally:
            st.close()
    assert ids[0] == ids[1]
    assert len(ids[0]["households"]) == 2
