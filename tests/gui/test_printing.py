"""Prints: the minutes as a PDF whose text reads back; board and visit PDFs from the command line."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from lehe_desktop.cli.main import build_parser
from lehe_desktop.core import prints
from lehe_desktop.core.demo import make_demo
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.store import Store
from lehe_desktop.gui.pdfcli import pdf_main
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
    """`--pdf OUT --print board|visit` in a real process, headless: the text reads back."""
    store, _key = vault.setup(DataPaths(root=data_dir, logs=data_dir / "logs"), PASSPHRASE, worker_name="张晓梅")
    try:   # set up here rather than by `init` and `demo` processes: the test pays for two runs less
        make_demo(store, 40, seed=2, areas=[VILLAGE])
    finally:
        store.close()
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



def test_pdf_refusals_are_coded(gui, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    """An unknown area, visit or meeting: exit 5 with its code and no file; a missing --id: exit 2.

    In this process (``pdf_main`` is what the command line runs), to spare the test three runs.
    """
    paths = DataPaths(root=data_dir, logs=data_dir / "logs")
    vault.setup(paths, PASSPHRASE)[0].close()
    monkeypatch.setenv("LEHE_PASSPHRASE", PASSPHRASE)
    missing = tmp_path / "missing.pdf"
    cases = ((["--print", "board", "--area", "重庆市/没有这个村"], 5, "print.area_not_found"),
             (["--print", "visit", "--id", "no-such-visit"], 5, "print.visit_not_found"),
             (["--print", "minutes", "--id", "no-such-meeting"], 5, "print.meeting_not_found"),
             (["--print", "visit"], 2, "print.id_missing"),
             ([], 2, "print.kind_missing"))
    for args, code, name in cases:
        parsed = build_parser().parse_args(["--pdf", str(missing), *args])
        assert pdf_main(paths, parsed) == code
        err = capsys.readouterr().err
        assert f"error [{name}]" in err and "Traceback" not in err
        assert not missing.exists()
