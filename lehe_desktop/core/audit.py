"""The audit log (domain.md §8.2 P5, P6): who did what to which records, when — never the values.

Entries are appended by the store (one per write transaction, or one per ``audit_action`` such
as a bulk import or a sync) and by the services for actions that write no records: reveal,
export, bundle, backup, restore, sign-in. The chain (store/audit_chain.py) is checked by
``verify``; the sync sends the chain head so the server can tell a cut or rewritten chain
(``audit_chain.head_report`` on the laptop, ``audit_chain.check_report`` on the server).

`lehe-desktop audit verify` reports a broken chain as audit.broken (exit 1, naming the first bad entry).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from . import roles
from .records.schema import REGISTRY
from .store.audit_chain import GENESIS, HEAD_KEY, MISMATCH, ROWS_SQL, SERVER_HEAD_KEY, body_digest, link
from .store.store import Store

ACTIONS = ("create", "update", "delete", "write", "import", "sync", "reveal", "export", "bundle",
           "backup", "restore", "sign_in", "sign_in_failed", "passphrase")


@dataclass
class Verdict:
    ok: bool
    entries: int
    head: str
    bad_seq: int | None = None
    reason: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "entries": self.entries, "head": self.head, "bad_seq": self.bad_seq,
                "reason": self.reason}


def _rows(store: Store) -> list[tuple[Any, ...]]:
    return store.query(ROWS_SQL)


def verify(store: Store) -> Verdict:
    """Check every entry: numbered 1, 2, 3 … without gaps, each linked to the one before, each hash
    matching its contents, and the head the server last accepted still in the chain."""
    prev = GENESIS
    expected = 1
    rows = _rows(store)
    for seq, at, user, device, action, detail, stored_prev, stored_hash in rows:
        if seq != expected:
            bad = expected if seq > expected else seq
            return Verdict(False, len(rows), prev, bad, f"entry {expected} is missing" if seq > expected
                           else f"entry {seq} is out of order")
        if stored_prev != prev:
            return Verdict(False, len(rows), prev, seq, f"entry {seq} does not follow entry {seq - 1}")
        if link(prev, body_digest(seq, at, user, device, action, detail)) != stored_hash:
            return Verdict(False, len(rows), prev, seq, f"entry {seq} was changed after it was written")
        if MISMATCH in detail:
            was = str(json.loads(detail).get(MISMATCH, ""))
            return Verdict(False, len(rows), prev, seq, f"entry {seq} found the log cut: the last entry written "
                           f"had been {was.partition(':')[0]}, but the log ended at entry {seq - 1}")
        prev = stored_hash
        expected += 1
    meta = store.meta()
    for key, who in ((HEAD_KEY, "the last one written"), (SERVER_HEAD_KEY, "the one the server saw")):
        known = meta.get(key)
        if not known:
            continue
        seq_text, _, hash_ = known.partition(":")
        seq = int(seq_text) if seq_text.isdigit() else 0
        if seq > len(rows):
            return Verdict(False, len(rows), prev, len(rows) + 1,
                           f"entries {len(rows) + 1}-{seq} are missing ({who} was entry {seq})")
        if seq and rows[seq - 1][7] != hash_:
            return Verdict(False, len(rows), prev, seq, f"entry {seq} differs from {who}")
    return Verdict(True, len(rows), prev)


def entries(store: Store, *, limit: int = 200, before: int | None = None) -> list[dict[str, Any]]:
    """The newest entries (for the coordinator's view and `audit list`); a role that may not view
    the audit log is refused (``role.forbidden``)."""
    roles.require(roles.role_from_meta(store.meta()), roles.Capability.VIEW_AUDIT)
    sql = "SELECT seq, at, user, device, action, detail FROM audit_log"
    params: list[Any] = []
    if before is not None:
        sql += " WHERE seq < ?"
        params.append(before)
    return store.query_dicts(sql + " ORDER BY seq DESC LIMIT ?", [*params, limit])


ACTION_WORDS: dict[str, tuple[str, str]] = {
    "create": ("新建", "Created"), "update": ("修改", "Changed"), "delete": ("删除", "Deleted"),
    "write": ("保存", "Saved"), "import": ("导入花名册", "Roster import"), "sync": ("同步", "Sync"),
    "reveal": ("显示隐藏信息", "Revealed"), "export": ("导出", "Export"), "bundle": ("U盘同步包", "USB bundle"),
    "backup": ("备份", "Backup"), "restore": ("恢复备份", "Restore"), "sign_in": ("登录", "Signed in"),
    "sign_in_failed": ("登录失败", "Failed sign-ins"), "passphrase": ("密码", "Passphrase"),
    "person_copy": ("导出个人信息副本", "Copy of a person's data"),
    "consent_override": ("未经监护人同意保存", "Saved without a guardian's consent"),
}
_KINDS = {"create": ("新建", "new"), "update": ("修改", "changed"), "delete": ("删除", "deleted")}


def describe(detail_text: str) -> tuple[str, str]:
    """One line on what an entry's detail holds (counts per record type, the usual extras)."""
    try:
        detail = json.loads(detail_text)
    except ValueError:
        return "", ""
    zh: list[str] = []
    en: list[str] = []
    for rtype, by_kind in sorted((detail.get("records") or {}).items()):
        rt = REGISTRY.get(rtype)
        for kind, n in sorted(by_kind.items()):
            kzh, ken = _KINDS.get(kind, (kind, kind))
            zh.append(f"{kzh}{rt.zh if rt else rtype} {n} 条")
            en.append(f"{n} {rt.en if rt else rtype} {ken}")
    for key in ("member", "count", "level", "format", "method", "file", "pushed", "pulled", "source", "outcome"):
        if key in detail and detail[key] not in ("", None):
            zh.append(f"{key}={detail[key]}")
            en.append(f"{key}={detail[key]}")
    if not detail.get("records") and detail.get("ids"):
        ids = ", ".join(f"{t}:{i}" for t, i in detail["ids"][:3])
        zh.append(ids)
        en.append(ids)
    return "；".join(zh), "; ".join(en)


def view(store: Store, *, limit: int = 500) -> dict[str, Any]:
    """What the coordinator's audit window shows: the chain's state and the newest entries."""
    verdict = verify(store)
    rows = []
    for e in entries(store, limit=limit):
        azh, aen = ACTION_WORDS.get(str(e["action"]), (str(e["action"]), str(e["action"])))
        wzh, wen = describe(str(e["detail"]))
        rows.append({"seq": e["seq"], "at": e["at"], "user": e["user"] or "", "action_zh": azh, "action_en": aen,
                     "what_zh": wzh, "what_en": wen})
    return {"verdict": verdict.as_json(), "rows": rows}
