"""Roster preview (validate only), progress and cancel, and unclosed quotes in big files."""

from __future__ import annotations

import csv
import io
import threading
from datetime import date
from pathlib import Path

import pytest

from lehe_desktop.core.roster import CHECK_STEP, import_roster, preview_roster, read_roster
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.validation.idnumber import check_digit

VILLAGE = "重庆市/巫溪县/白鹿镇/乐和村"
OTHER = "重庆市/巫溪县/白鹿镇/大坪村"
HEADER = ["村", "组", "地址", "户主姓名", "姓名", "与户主关系", "性别", "出生日期", "身份证号", "电话", "类别"]


def idn(birth: str, seq: int, county: str = "500238") -> str:
    body = f"{county}{birth.replace('-', '')}{seq:03d}"
    return body + check_digit(body)


GOOD: list[list[str]] = [   # as in test_roster.py
    [VILLAGE, "1", "1组大院3号", "王大山", "王大山", "户主", "男", "1955-03-12", idn("1955-03-12", 11),
     "13800138000、023-12345678", "低保户、独居老人"],
    [VILLAGE, "1", "", "王大山", "李秀英", "配偶", "女", "1957/5/1", "", "", ""],
    [VILLAGE, "1", "", "王大山", "王小明", "孙子", "", "", idn("2015-06-01", 13), "", "留守儿童"],
    [OTHER, "2组", "坪上8号", "张三", "张三", "本人", "男", "1960年1月1日", idn("1960-01-01", 21), "139 0000 1111",
     "脱贫户"],
    [OTHER, "2组", "", "张三", "张四", "儿子", "男", "19850101", "", "", "残疾"],
]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(HEADER)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))
    return path


def record_ids(store: Store) -> dict[str, set[str]]:
    return {t: {r[0] for r in store.query(f"SELECT id FROM {t}")}
            for t in ("areas", "households", "members", "member_categories", "household_categories", "member_phones")}


def changes(store: Store) -> int:
    return int(store.query_value("SELECT count(*) FROM changes"))

BAD: list[list[str]] = [
    [VILLAGE, "3组", "", "刘一", "刘一", "户主", "男", "", "", "", ""],
    [VILLAGE, "3组", "", "刘一", "刘二", "表哥哥", "男", "", "", "", ""],          # relation unknown
    [VILLAGE, "3组", "", "刘一", "刘三", "儿子", "男", "", "12345", "", ""],       # ID number too short
    [VILLAGE, "3组", "", "刘一", "刘四", "女儿", "女", "", "", "", "不知道类别"],  # category unknown
]


@pytest.fixture
def store_today(store: Store) -> Store:
    store.today = date(2026, 11, 29)
    return store


def test_preview_shows_every_row_and_problem_writes_nothing_and_matches_the_import(store_today: Store,
                                                                                   tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", GOOD + BAD)
    before = (record_ids(store_today), changes(store_today))
    preview = preview_roster(store_today, path)
    assert (record_ids(store_today), changes(store_today)) == before          # validate only
    assert [r.line for r in preview.rows] == list(range(2, 2 + len(GOOD) + len(BAD)))
    status = {r.line: r.status for r in preview.rows}
    assert [status[line] for line in range(2, 7)] == ["new"] * 5
    assert [status[line] for line in range(7, 11)] == ["new", "error", "error", "error"]
    codes = {r.line: [i.code for i in r.issues] for r in preview.rows}
    assert codes[8] == ["roster.relation_unknown"] and codes[10][0] == "roster.category_unknown"   # errors first
    assert any(c.startswith("id_number.") for c in codes[9])
    assert all(i.zh and i.en for r in preview.rows for i in r.issues)
    first = preview.rows[0]
    # As they will be written: labels, masked ID number and phones.
    assert (first.relation, first.sex, first.group) == ("户主", "男", "1组")
    assert first.id_number == ID_MASKED and "13800138000" not in first.phones and "****" in first.phones
    assert "低保" in first.categories
    assert (preview.new_rows, preview.present_rows, preview.error_rows, preview.new_households) == (6, 0, 3, 3)
    result = import_roster(store_today, path)
    assert (result.imported, result.households, result.error_lines) == (6, 3, 3)
    again = preview_roster(store_today, path, lang="en")
    assert (again.new_rows, again.present_rows, again.error_rows, again.new_households) == (0, 6, 3, 0)
    assert again.rows[0].relation not in ("", "户主")     # English labels


ID_MASKED = idn("1955-03-12", 11)[:4] + "*" * 10 + idn("1955-03-12", 11)[-4:]


def test_progress_reports_both_stages_and_a_cancel_writes_nothing(store_today: Store, tmp_path: Path) -> None:
    rows = [[VILLAGE, "1组", "", f"户主{i}", f"户主{i}", "户主", "男", "", "", "", ""] for i in range(3 * CHECK_STEP)]
    path = write_csv(tmp_path / "big.csv", rows)
    raw = read_roster(path)
    seen: list[tuple[str, int, int]] = []
    before = (record_ids(store_today), changes(store_today))
    cancel = threading.Event()

    def stop_while_writing(stage: str, done: int, total: int) -> None:
        seen.append((stage, done, total))
        if stage == "write" and done > 0:
            cancel.set()          # half-way through the bulk

    result = import_roster(store_today, raw, progress=stop_while_writing, cancel=cancel)
    assert result.cancelled and result.imported == 0
    assert (record_ids(store_today), changes(store_today)) == before          # rolled back: nothing
    assert {s for s, _d, _t in seen} == {"check", "write"}
    assert ("check", len(rows), len(rows)) in seen
    # Not cancelled: everything, with the last report at the total.
    seen.clear()
    result = import_roster(store_today, raw, progress=lambda *a: seen.append(a))
    assert not result.cancelled and result.imported == len(rows) == result.households
    assert seen[-1][0] == "write" and seen[-1][1] == seen[-1][2] > 0
    # A preview can be cancelled too (before any row is checked).
    cancel = threading.Event()
    cancel.set()
    assert preview_roster(store_today, raw, cancel=cancel).cancelled


def test_an_unclosed_quote_in_a_big_file_is_one_row_error(store_today: Store, tmp_path: Path) -> None:
    """Past the csv module's 128 KB field limit the quote used to make the whole file unreadable."""
    lines = [",".join(HEADER)]
    for i in range(3_000):
        quote = '"' if i == 3 else ""
        lines.append(f"{VILLAGE},1组,{quote}大院{i}号,户主{i},户主{i},户主,男,,,,")
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    raw = read_roster(path)
    assert len(raw.rows) == 3_000 and list(raw.broken) == [5]
    assert raw.broken[5].code == "roster.csv_quote" and "第5行" in raw.broken[5].zh
    result = import_roster(store_today, raw)
    assert [(e.line, e.code) for e in result.errors] == [(5, "roster.csv_quote")]
    assert result.imported == 2_999


def test_an_unclosed_quote_in_the_header_or_in_too_many_rows_refuses_the_file(tmp_path: Path) -> None:
    from lehe_desktop.core import roster as roster_mod

    path = tmp_path / "h.csv"
    path.write_text('村,组,"地址,户主姓名,姓名,与户主关系\n' + f"{VILLAGE},1组,,王大山,王大山,户主\n", encoding="utf-8")
    with pytest.raises(roster_mod.RosterFileError) as caught:
        read_roster(path)
    assert (caught.value.code, caught.value.line) == ("roster.csv_quote", 1)
    # A stray quote in a title row above the header is harmless.
    path.write_text('"乐和村花名册\n' + ",".join(HEADER) + "\n" + f"{VILLAGE},1组,,王大山,王大山,户主,男,,,,\n",
                    encoding="utf-8")
    raw = read_roster(path)
    assert raw.header_line == 2 and [line for line, _c in raw.rows] == [3] and raw.broken == {}
    lines = [",".join(HEADER)] + [f'{VILLAGE},1组,"x{i},王{i},王{i},户主,男,,,,'
                                  for i in range(roster_mod.MAX_QUOTE_ERRORS + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(roster_mod.RosterFileError) as caught:
        read_roster(path)
    assert caught.value.code == "roster.csv_quote"
