"""文件 → 导入花名册: a roster previewed with every problem in the table, then written; cancel writes nothing."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt

from lehe_desktop.core.store.store import Store
from lehe_desktop.gui import i18n
from lehe_desktop.gui.main_window import MainWindow
from lehe_desktop.gui.roster_import import COLUMNS, ERROR_BG, IssuesRole, RosterImportDialog

VILLAGE = "重庆市/巫溪县/白鹿镇/乐和村"
HEADER = ["村", "组", "地址", "户主姓名", "姓名", "与户主关系", "性别", "出生日期", "身份证号", "电话", "类别"]
GOOD = [
    [VILLAGE, "1组", "大院3号", "王大山", "王大山", "户主", "男", "1955-03-12", "", "13800138000", "低保户"],
    [VILLAGE, "1组", "", "王大山", "李秀英", "配偶", "女", "1957-05-01", "", "", ""],
    [VILLAGE, "2组", "坪上8号", "张三", "张三", "户主", "男", "1960-01-01", "", "", ""],
]
BAD = [
    [VILLAGE, "2组", "", "张三", "张四", "表哥哥", "男", "", "", "", ""],            # relation unknown
    [VILLAGE, "2组", "", "张三", "张五", "儿子", "男", "", "", "", "不知道类别"],    # category unknown
]
COL = {key: i for i, (key, _zh, _en) in enumerate(COLUMNS)}


def roster_file(path: Path, rows: list[list[str]], quote_row: list[str] | None = None) -> Path:
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(HEADER)
    w.writerows(rows)
    text = buf.getvalue()
    if quote_row is not None:   # a stray quote that never closes, then rows that must not be swallowed
        text += ",".join(quote_row) + "\r\n"
        text += f"{VILLAGE},3组,,刘一,刘一,户主,男,1950-01-01,,,\r\n"
    path.write_text(text, encoding="utf-8")
    return path


def counts(store: Store) -> tuple[int, int, int]:
    return (int(store.query_value("SELECT count(*) FROM households")),
            int(store.query_value("SELECT count(*) FROM members")),
            int(store.query_value("SELECT count(*) FROM changes")))


def test_a_roster_is_previewed_with_its_problems_then_written(qtbot, gui, store: Store, lane, on_lane,
                                                               tmp_path: Path) -> None:
    store.today = date(2026, 11, 29)
    quote = [VILLAGE, "3组", '"刘家湾', "刘二", "刘二", "户主", "男", "", "", "", ""]
    path = roster_file(tmp_path / "花名册.csv", GOOD + BAD, quote_row=quote)
    before = on_lane(lambda: counts(store))
    dlg = RosterImportDialog(store, lane)
    qtbot.addWidget(dlg)
    dlg.show()
    with qtbot.waitSignal(dlg.previewed, timeout=20_000):
        dlg.load_file(path)
    model = dlg.model
    assert on_lane(lambda: counts(store)) == before                 # previewed: nothing written
    assert model.rowCount() == 7                                    # every data row, the quote's too
    text = {int(model.index(r, COL["line"]).data()): model.index(r, COL["problems"]).data()
            for r in range(model.rowCount())}
    status = {int(model.index(r, COL["line"]).data()): model.index(r, COL["status"]).data()
              for r in range(model.rowCount())}
    assert [status[line] for line in (2, 3, 4)] == ["将导入"] * 3
    assert "[roster.relation_unknown]" in text[5] and "表哥哥" in text[5] and status[5] == "有错误，不导入"
    assert "[roster.category_unknown]" in text[6]
    # The unclosed quote: its own line, in words, and the next row is still a row of its own.
    assert "[roster.csv_quote]" in text[7] and "第7行" in text[7]
    assert status[8] == "将导入" and not text[8]
    row5 = next(r for r in range(model.rowCount()) if model.index(r, COL["line"]).data() == "5")
    assert model.index(row5, COL["name"]).data(Qt.ItemDataRole.BackgroundRole).color() == ERROR_BG
    assert [i.code for i in model.index(row5, 0).data(IssuesRole)] == ["roster.relation_unknown"]
    # As it will be written: labels, and the phone masked.
    first = next(r for r in range(model.rowCount()) if model.index(r, COL["line"]).data() == "2")
    assert model.index(first, COL["village"]).data() == "乐和村"
    assert model.index(first, COL["phones"]).data() == "138****8000"
    assert dlg.counts.text().startswith("共 7 行：将导入 4 人（新增 3 户），已存在 0 人，有错误 3 行")
    assert dlg.preview is not None
    assert (dlg.preview.new_rows, dlg.preview.error_rows, dlg.preview.new_households) == (4, 3, 3)
    dlg.problems_only.setChecked(True)
    assert model.rowCount() == 3
    dlg.problems_only.setChecked(False)
    # The same in English: problems in English words, with the same codes.
    i18n.language().set("en")
    try:
        assert "Relation to head" in model.index(row5, COL["problems"]).data()
        assert model.headerData(COL["problems"], Qt.Orientation.Horizontal) == "Problems"
    finally:
        i18n.language().set("zh")
    assert dlg.import_btn.isEnabled()
    with qtbot.waitSignal(dlg.imported, timeout=20_000) as got:
        dlg.import_btn.click()
    result = got.args[0]
    assert not result.cancelled
    assert (result.imported, result.households, result.error_lines) == (4, 3, 3)
    h, m, _c = on_lane(lambda: counts(store))
    assert (h - before[0], m - before[1]) == (3, 4)
    assert "已导入 4 人" in dlg.status.text()
    assert not dlg.import_btn.isEnabled() and not dlg.progress.isVisible()


def test_cancelled_import_writes_nothing_and_the_window_opens_the_dialog(qtbot, gui, store: Store, lane, on_lane,
                                                                         tmp_path: Path) -> None:
    store.today = date(2026, 11, 29)
    rows = [[VILLAGE, "1组", "", f"户主{i}", f"户主{i}", "户主", "男", "", "", "", ""] for i in range(2_000)]
    path = roster_file(tmp_path / "big.csv", rows)
    w = MainWindow(store, lane)
    qtbot.addWidget(w)
    w.show()
    assert w.roster_action.text() == "导入花名册…" and w.roster_action in w.file_menu.actions()
    w.roster_action.trigger()
    dlg = w.roster_dialog
    assert isinstance(dlg, RosterImportDialog) and dlg.isVisible()
    with qtbot.waitSignal(dlg.previewed, timeout=30_000):
        dlg.load_file(path)
    assert dlg.preview is not None and dlg.preview.new_rows == 2_000
    before = on_lane(lambda: counts(store))
    # Cancel as soon as the import reports progress: the write is one transaction, rolled back.
    dlg.cancel_event.clear()
    with qtbot.waitSignal(dlg.imported, timeout=30_000) as got:
        dlg.import_btn.click()
        assert dlg.cancel_btn.isVisible()
        dlg.cancel_btn.click()
    assert got.args[0].cancelled
    assert on_lane(lambda: counts(store)) == before
    assert "没有写入任何内容" in dlg.status.text()
    assert dlg.import_btn.isEnabled()          # may be imported after all
    with qtbot.waitSignal(dlg.imported, timeout=30_000) as got:
        dlg.import_btn.click()
    assert got.args[0].imported == 2_000
    dlg.reject()
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=5000)


def test_a_file_refused_as_a_whole_says_why_and_offers_no_import(qtbot, gui, store: Store, lane,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "旧表.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    dlg = RosterImportDialog(store, lane)
    qtbot.addWidget(dlg)
    with qtbot.waitSignal(dlg.previewed, timeout=10_000):
        dlg.load_file(path)
    assert dlg.status.text().startswith("[roster.xls] ") and ".xlsx" in dlg.status.text()
    assert dlg.model.rowCount() == 0 and not dlg.import_btn.isEnabled() and dlg.choose_btn.isEnabled()
