"""``lehe-desktop --screenshot`` in a real process: a PNG of the expected size, or exit 3 when locked."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from lehe_desktop.gui.screenshot import SIZE


def _colours(img: QImage) -> int:
    seen = set()
    for y in range(0, img.height(), 11):
        for x in range(0, img.width(), 11):
            seen.add(img.pixel(x, y))
    return len(seen)


def test_screenshot_renders_the_households_view(cli, tmp_path: Path, qapp) -> None:
    assert cli("init", "--name", "张晓梅").returncode == 0
    assert cli("demo", "--households", "30").returncode == 0
    out = tmp_path / "households.png"
    done = cli("--screenshot", str(out), "--view", "households", env={"QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 10_000
    img = QImage(str(out))
    assert (img.width(), img.height()) == SIZE
    assert _colours(img) > 5          # a drawn window, not a blank rectangle
    en = tmp_path / "home-en.png"
    done = cli("--screenshot", str(en), "--view", "home", "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert QImage(str(en)).width() == SIZE[0]


def test_screenshot_refuses_when_locked(cli, tmp_path: Path) -> None:
    assert cli("init").returncode == 0
    out = tmp_path / "x.png"
    done = cli("--screenshot", str(out), passphrase="wrong passphrase!")
    assert done.returncode == 3
    assert "unlock.wrong_passphrase" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()
    done = cli("--screenshot", str(out), passphrase=None)
    assert done.returncode == 3 and not out.exists()
