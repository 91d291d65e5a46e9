"""Prints: the minutes as a PDF whose text reads back; board and visit PDFs from the command line."""

from __future__ import annotations

from pathlib import Path

import pypdf

from lehe_desktop.core import prints
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.store import Store
from lehe_desktop.gui.printing import to_html, write_pdf

VILLAGE = "重庆市/巫溪县/白鹿镇/乐和村"
PASSPHRASE = "correct horse 42"   # tests/conftest.py's


def _pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(str(path))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_minutes_printed_to_pdf_read_back(gui, demo_store: Store, on_lane, tmp_path: Path) -> None:
    """The minutes' words are in the PDF as text (selectable, searchable), in the bundled font."""
    store = demo_store

    def build() -> tuple[prints.PrintDoc, str]:
        mid = store.query_value("SELECT meeting_id FROM agenda_items WHERE deleted = 0 AND resolution IS NOT NULL "
                                "ORDER BY rowid LIMIT 1")
        topic = store.query_value("SELECT topic FROM agenda_items WHERE meeting_id = ? ORDER BY seq LIMIT 1", [mid])
        return prints.minutes_document(store, mid), topic

    doc, topic = on_lane(build)
    out = write_pdf(doc, tmp_path / "minutes.pdf")
    reader = pypdf.PdfReader(str(out))
    fonts = {str(f) for page in reader.pages for f in (page.get("/Resources") or {}).get("/Font", {}).values()}
    assert fonts, "the text is drawn with an embedded font, not as a picture"
    text = "".join(_pdf_text(out).split())
    for words in ("会议纪要", "参会人员", "议题一", topic, "表决结果", "主持人签字", "记录人签字",
                  "乡镇参会人员签字（注明职务）"):
        assert "".join(words.split()) in text, words
    assert text.count("会议纪要") == 1     # no synthetic bold drawing the title twice
    assert "&lt;b&gt;x" in to_html(prints.PrintDoc(title="<b>x</b>"))   # record text is escaped, never markup


def _first(data_dir: Path, sql: str) -> str:
    store = vault.unlock(DataPaths(root=data_dir, logs=data_dir / "logs"), PASSPHRASE)
    try:
        return str(store.query_value(sql))
    finally:
        store.close()


def test_board_and_visit_pdfs_from_the_command_line(cli, data_dir: Path, tmp_path: Path) -> None:
    """`--pdf OUT --print board|visit` headless; an unknown area or id is a coded error, exit 5."""
    assert cli("init", "--name", "张晓梅").returncode == 0
    assert cli("demo", "--households", "40", "--area", VILLAGE).returncode == 0
    board = tmp_path / "board.pdf"
    done = cli("--pdf", str(board), "--print", "board", "--area", VILLAGE)
    assert done.returncode == 0, done.stderr
    text = "".join(_pdf_text(board).split())
    assert "三事分流事项公示栏" in text and "乐和村" in text and "办理时限" in text
    vid = _first(data_dir, "SELECT id FROM visits WHERE deleted = 0 ORDER BY rowid LIMIT 1")
    head = _first(data_dir, "SELECT h.head_name FROM visits v JOIN households h ON h.id = v.household_id "
                            "ORDER BY v.rowid LIMIT 1")
    visit = tmp_path / "visit.pdf"
    done = cli("--pdf", str(visit), "--print", "visit", "--id", vid, "--lang", "zh")
    assert done.returncode == 0, done.stderr
    text = "".join(_pdf_text(visit).split())
    assert "入户走访记录" in text and head in text and "受访人签字或按手印" in text
    missing = tmp_path / "missing.pdf"
    done = cli("--pdf", str(missing), "--print", "board", "--area", "重庆市/没有这个村")
    assert done.returncode == 5 and "[print.area_not_found]" in done.stderr and "Traceback" not in done.stderr
    assert not missing.exists()
    done = cli("--pdf", str(tmp_path / "x.pdf"), "--print", "visit")
    assert done.returncode == 2 and "[print.id_missing]" in done.stderr
