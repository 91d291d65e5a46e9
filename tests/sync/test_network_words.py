"""A failed request is told in words a social worker can act on, never as a library's class name."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from sync_harness import make_laptop

from lehe_desktop.core.errors import LeheError
from lehe_desktop.core.sync import client


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])      # closed again when the with ends: nobody listens


@pytest.mark.parametrize(("server", "code", "exit_code", "zh_start"), [
    ("http://127.0.0.1:{port}", "sync.network", 8, "无法连接服务器："),
    ("ftp://127.0.0.1:{port}", "sync.bad_url", 2, "服务器地址无效"),       # refused before any request
])
def test_failed_requests_are_worded_for_people(tmp_path: Path, server: str, code: str, exit_code: int,
                                               zh_start: str) -> None:
    store = make_laptop(tmp_path / "a")
    try:
        with pytest.raises(LeheError) as err:
            client.enroll(store, server.format(port=_closed_port()), "ABCD-EFGH-JKLM-NPQR", timeout=5)
        exc = err.value
        assert exc.code == code and exc.exit_code == exit_code
        zh, en = exc.message("zh"), exc.message("en")
        assert zh.startswith(zh_start) and en
        assert "Error" not in zh and "Error" not in en and "Protocol" not in en   # no class names
        assert not client.is_enrolled(store)
    finally:
        store.close()
