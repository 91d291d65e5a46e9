"""Print and PDF: the core's printable documents (core/prints.py) rendered with Qt.

A ``PrintDoc`` becomes HTML in a ``QTextDocument`` set in the bundled CJK font, so the PDF
holds the font (subset) and real, selectable text — never a picture of the page. The window
shows Qt's print preview first (QtPrintSupport), from which the user prints or saves a PDF;
the command line writes the PDF directly (``write_pdf``, gui/pdfcli.py).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, Qt
from PySide6.QtGui import QFont, QPagedPaintDevice, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from ..core.errors import LeheError
from ..core.prints import Block, PrintDoc
from ..core.store.store import Store
from . import i18n
from .resources import load_fonts
from .worker import DbLane

log = logging.getLogger(__name__)

MARGIN_MM = 15
_FAMILY: list[str] = []


def _family() -> str:
    if not _FAMILY:
        _FAMILY.append(load_fonts() or "")
    return _FAMILY[0]


def _e(text: str) -> str:
    return html.escape(text).replace("\n", "<br/>")


def _fields(block: Block) -> str:
    rows = "".join(f'<tr><td width="22%" style="color:#444">{_e(k)}</td><td>{_e(v)}</td></tr>'
                   for k, v in block.pairs)
    return f'<table width="100%" cellspacing="0" cellpadding="3">{rows}</table>'


def _table(block: Block) -> str:
    total = sum(block.widths) or 1
    widths = [f' width="{w * 100 // total}%"' for w in block.widths] if block.widths else [""] * len(block.headers)
    head = "".join(f'<th{w} style="background:#e8e8e8; font-weight:normal">{_e(h)}</th>' for h, w in zip(block.headers, widths, strict=False))
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in block.rows)
    return (f'<table width="100%" border="1" cellspacing="0" cellpadding="3" style="border-collapse:collapse">'
            f"<thead><tr>{head}</tr></thead>{body}</table>")


def _signatures(block: Block) -> str:
    cells = "".join(f'<tr><td width="35%" height="36">{_e(k)}：</td>'
                    f'<td style="border-bottom:1px solid #000">{_e(v)}</td></tr>' for k, v in block.pairs)
    return f'<table width="100%" cellspacing="0" cellpadding="6">{cells}</table>'


def to_html(doc: PrintDoc) -> str:
    """The document as the HTML subset QTextDocument renders."""
    # Headings are larger, not bold: the bundled font has no bold face, and Qt's synthetic bold
    # draws the text twice, which a PDF reader then extracts twice ("会议纪要会议纪要").
    parts = [f'<p align="center" style="font-size:18pt">{_e(doc.title)}</p>']
    if doc.subtitle:
        parts.append(f'<p align="center">{_e(doc.subtitle)}</p>')
    for b in doc.blocks:
        if b.title and b.kind != "heading":
            parts.append(f'<p style="font-size:12pt; margin-top:10px">{_e(b.title)}</p>')
        if b.kind == "heading":
            parts.append(f'<p style="font-size:13pt; margin-top:12px">{_e(b.title)}</p>')
        elif b.kind == "fields":
            parts.append(_fields(b))
        elif b.kind == "table":
            parts.append(_table(b))
        elif b.kind == "signatures":
            parts.append(_signatures(b))
        elif b.kind == "note":
            parts.append(f'<p style="color:#444">{_e(b.text)}</p>')
        else:
            parts.append(f"<p>{_e(b.text)}</p>")
    if doc.footer:
        parts.append(f'<p align="right" style="color:#444">{_e(doc.footer)}</p>')
    return "<html><body>" + "".join(parts) + "</body></html>"


def text_document(doc: PrintDoc) -> QTextDocument:
    """A QTextDocument of ``doc`` in the bundled font (needs a QGuiApplication)."""
    text = QTextDocument()
    font = QFont(_family()) if _family() else QFont()
    font.setPointSizeF(8.5 if doc.landscape else 10.5)
    text.setDefaultFont(font)
    text.setDocumentMargin(0)
    text.setHtml(to_html(doc))
    return text


def page_layout(doc: PrintDoc) -> QPageLayout:
    orientation = QPageLayout.Orientation.Landscape if doc.landscape else QPageLayout.Orientation.Portrait
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation,
                       QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter)


def render(doc: PrintDoc, device: QPagedPaintDevice) -> None:
    """Lay ``doc`` out on ``device``'s pages (a QPdfWriter or a QPrinter) with page numbers."""
    device.setPageLayout(page_layout(doc))
    text_document(doc).print_(device)


def write_pdf(doc: PrintDoc, out: Path) -> Path:
    """Write ``doc`` as a PDF file (A4, the bundled font embedded)."""
    writer = QPdfWriter(str(out))
    writer.setResolution(300)
    writer.setCreator("乐和社工 Lehe Desktop")
    writer.setTitle(doc.title)
    render(doc, writer)
    del writer      # the file is complete once the writer is gone
    return out


def preview(parent: QWidget, doc: PrintDoc) -> QDialog:
    """Qt's print preview of ``doc``; the user prints it or picks "Save as PDF" from there."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    # The dialog's own printer: one passed in would be deleted by Python while the dialog uses it.
    dialog = QPrintPreviewDialog(parent)
    printer = dialog.printer()
    printer.setDocName(doc.title)
    printer.setPageLayout(page_layout(doc))
    dialog.setObjectName("print_preview")
    dialog.setWindowTitle(doc.title)
    dialog.paintRequested.connect(lambda p: render(doc, p))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def preview_on_lane(parent: QWidget, lane: DbLane, build: Callable[[], PrintDoc],
                    opened: Callable[[QDialog], None] | None = None) -> None:
    """Build a document on the lane (it reads the store), then show its print preview.

    ``opened`` gets the preview dialog once it is open.
    """
    def failed(exc: Exception) -> None:
        if isinstance(exc, LeheError):
            QMessageBox.warning(parent, i18n.pick("打印", "Print"), exc.message(i18n.current()))
        else:
            log.error("preparing a print failed", exc_info=exc)

    def ready(doc: PrintDoc) -> None:
        dialog = preview(parent, doc)
        if opened is not None:
            opened(dialog)

    lane.query(build, ready, failed, owner=parent, name="print", busy_cursor=True)


def document_builder(store: Store, kind: str, key: str) -> Callable[[], PrintDoc]:
    """The lane function that builds one of the core's documents in the current language."""
    from ..core.prints import document

    lang = i18n.current()
    return lambda: document(store, kind, key, lang)
