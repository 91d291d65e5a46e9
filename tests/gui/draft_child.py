"""The app with a visit form being typed, until its draft is in the database (test_drafts kills it).

Run as ``python draft_child.py DATA_DIR HOUSEHOLD_ID MEMBER_ID`` with LEHE_PASSPHRASE set. It
starts the real session and window (offscreen), opens a new visit for the household, types into
it, waits until the form's own draft keeper has written the draft, prints ``DRAFTED`` and the
form's values as JSON, then keeps running until it is killed.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer

from lehe_desktop.core import drafts
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.gui import draftkeeper
from lehe_desktop.gui.app import Session, make_app
from lehe_desktop.gui.dialogs import EditDialog
from lehe_desktop.gui.forms import ChoiceBox
from lehe_desktop.gui.vocab import load_vocab

SITUATION = "老人独居，腿脚不便，需要帮助买药。"


def main() -> None:
    root, hid, mid = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    draftkeeper.INTERVAL_MS = 100
    app = make_app()
    paths = DataPaths(root=root, logs=root / "logs")
    session = Session(paths, "zh")
    store = vault.unlock(paths, os.environ["LEHE_PASSPHRASE"])
    load_vocab(store)
    window = session.open(store)
    page = window.pages["visits"]
    page.new_visit(hid)  # type: ignore[attr-defined]
    typed: dict[str, object] = {}

    def fill() -> None:
        dlg = getattr(page, "open_dialog", None)
        if not isinstance(dlg, EditDialog) or not dlg.isVisible():
            QTimer.singleShot(20, fill)
            return
        rows = dlg.form.rows
        for name, code in (("visit_type", "routine"), ("target_seen", "1"), ("risk_level", "medium"),
                           ("follow_up_needed", "0")):
            box = rows[name].editor
            assert isinstance(box, ChoiceBox)
            box.set_code(code)
        rows["situation"].set_value(SITUATION)
        dlg.present.set_checked([mid])  # type: ignore[attr-defined]
        dlg.risks.set_checked(["alone_no_carer"])  # type: ignore[attr-defined]
        typed.update(values=dlg.values(), links=dlg.links())
        QTimer.singleShot(50, check)

    def check() -> None:
        def seen(found: list[drafts.Draft]) -> None:
            if found and found[0].data.get("values", {}).get("situation") == SITUATION:
                print("DRAFTED " + json.dumps(typed, ensure_ascii=False), flush=True)
            else:
                QTimer.singleShot(50, check)

        session.lane.query(lambda: drafts.list_drafts(store), seen)

    QTimer.singleShot(0, fill)
    app.exec()


if __name__ == "__main__":
    main()
