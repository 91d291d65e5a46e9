"""Refused work on the laptop (issue 11, "the laptop side"), over real HTTP on 127.0.0.1.

A worker of 乐和村 records a household in another village (大坪村) with members, a visit with its
needs, risk factors and referral, and a linked task. The server refuses it (scope). The laptop
counts it as not delivered (never a negative figure), and "move to one of my villages and send
again" sends the whole household and what belongs to it, so a coworker of the chosen village
receives complete records, and the other village's worker receives nothing of it.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sync_harness import OTHER_VILLAGE, VILLAGE, LiveServer, desktop, household, make_laptop

from lehe_desktop.core.errors import StateError, UsageError
from lehe_desktop.core.exports import export_refused
from lehe_desktop.core.messages import CHANGE_COLUMNS, change_from_row
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client
from lehe_desktop.core.sync.conflicts import (
    area_owner,
    describe_rejected,
    dismiss_rejected,
    list_rejected,
    move_and_resend,
    my_areas,
)
from lehe_desktop.core.sync.merge import Merger

TREE = ("household", "household_category", "member", "member_phone", "visit", "visit_need", "visit_risk_factor",
        "visit_referral", "visit_member_present", "task", "task_household", "task_progress")
BOOKKEEPING = ("versions", "updated_hlc", "extra")


def _d(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


def _foreign_household(a: Store) -> dict[str, str]:
    """A household of 大坪村 with everything that hangs off it, recorded by 乐和村's worker."""
    hid = household(a, OTHER_VILLAGE, head="钱越界", address="大坪村3组12号", notes="独居老人")
    a.create("household_category", {"household_id": hid, "category": "dibao"})
    mid = a.create("member", {"household_id": hid, "name": "钱越界", "sex": "1", "relation": "10",
                              "id_number": "11010519491231002X"}).id
    a.create("member_phone", {"member_id": mid, "number": "13800138000"})
    vid = a.create("visit", {"household_id": hid, "visit_date": _d(3), "visit_type": "routine", "target_seen": True,
                             "situation": "血压偏高，独居，需要村医上门", "risk_level": "medium",
                             "follow_up_needed": False}).id
    a.create("visit_member_present", {"visit_id": vid, "member_id": mid})
    a.create("visit_need", {"visit_id": vid, "member_id": mid, "lehe_dimension": "body", "need_domain": "health",
                            "description": "需要村医上门测血压", "urgency": "routine", "status": "open",
                            "sanshi_class": "private"})
    a.create("visit_risk_factor", {"visit_id": vid, "risk_factor": "alone_no_carer"})
    a.create("visit_referral", {"visit_id": vid, "to_org_type": "health", "to_org_name": "白鹿镇卫生院",
                                "reason": "慢病随访", "consent_to_share": True, "referred_on": _d(2),
                                "status": "accepted", "feedback_on": _d(1), "outcome": "已受理"})
    tid = a.create("task", {"title": "陪同办理医保 11010519491231002X", "owner": "陈国强", "due_date": _d(-10),
                            "status": "not_started"}).id
    a.create("task_household", {"task_id": tid, "household_id": hid})
    a.create("task_progress", {"task_id": tid, "note_date": _d(1), "note": "已联系家属", "noted_by": "陈国强"})
    return {"household": hid, "member": mid, "visit": vid, "task": tid}


def _rows(store: Store, rtype: str) -> dict[str, dict[str, Any]]:
    from lehe_desktop.core.records.schema import record_type

    table = record_type(rtype).table
    return {r["id"]: {k: v for k, v in r.items() if k not in BOOKKEEPING}
            for r in store.query_dicts(f"SELECT * FROM {table}")}


def _tree_rows(store: Store, ids: dict[str, str]) -> dict[str, dict[str, dict[str, Any]]]:
    """Every record of the household's tree on ``store``, field by field."""
    return {rtype: _rows(store, rtype) for rtype in TREE}


def test_a_foreign_household_is_counted_moved_and_arrives_whole(tmp_path: Path, live_server: LiveServer) -> None:
    a, b, c = make_laptop(tmp_path / "a", "甲"), make_laptop(tmp_path / "b", "乙"), make_laptop(tmp_path / "c", "丙")
    try:
        client.enroll(a, live_server.url, live_server.code_for("alice"))
        client.enroll(b, live_server.url, live_server.code_for("bob", areas=(OTHER_VILLAGE,)))
        client.enroll(c, live_server.url, live_server.code_for("carol"))
        ids = _foreign_household(a)
        first = client.sync_once(a)
        refused = list_rejected(a)
        assert first.rejected == len(refused) > 0
        assert {r["type"] for r in refused} >= {"household", "member"}
        assert all(r["code"].startswith("scope.") for r in refused)
        # Refused work is not delivered: the laptop says so, and no figure is ever negative.
        assert a.to_send_count() == 0 and a.refused_count() == len(refused)
        assert a.unsent_count() == len(refused) and a.status()["unsent"] == len(refused)
        assert all(v >= 0 for k, v in first.as_json().items() if isinstance(v, int))

        client.sync_once(b)
        before_b = b.query_value("SELECT max(rowid) FROM changes")

        # Every refusal of the household's records offers the move; the refused area itself does not.
        worded = describe_rejected(a)
        by_type = {r["type"]: r for r in worded}
        assert by_type["member"]["movable"] and by_type["household"]["movable"]
        assert not by_type.get("area", {"movable": False})["movable"]
        assert area_owner(a, "visit_need", a.children("visit_need", ids["visit"])[0]["id"])[1]["id"] == ids["household"]
        assert [x["path"] for x in my_areas(a)] == [VILLAGE]
        with pytest.raises(UsageError) as outside:
            move_and_resend(a, "member", ids["member"], OTHER_VILLAGE)
        assert outside.value.code == "reject.area_outside"

        done = move_and_resend(a, "member", ids["member"], VILLAGE)     # chosen from a member's refusal
        assert done["type"] == "household" and done["id"] == ids["household"] and done["area"] == VILLAGE
        assert done["resent"] == sum(len(v) for v in _tree_rows(a, ids).values())
        assert list_rejected(a) == [] and a.refused_count() == 0       # dealt with, kept for the audit
        assert len(list_rejected(a, include_dismissed=True)) == len(refused)
        assert a.to_send_count() == done["resent"] == a.unsent_count()

        second = client.sync_once(a)
        assert second.rejected == 0 and second.pushed == done["resent"] and a.unsent_count() == 0

        # A laptop of the chosen village receives the whole household and everything that belongs to it.
        got = client.sync_once(c)
        assert got.held == 0 and got.rejected == 0
        mine, theirs = _tree_rows(a, ids), _tree_rows(c, ids)
        for rtype in TREE:
            assert theirs[rtype] == mine[rtype], rtype
        assert theirs["household"][ids["household"]]["head_name"] == "钱越界"
        assert theirs["household"][ids["household"]]["notes"] == "独居老人"
        assert theirs["visit"][ids["visit"]]["situation"] == "血压偏高，独居，需要村医上门"
        assert len(theirs["member"]) == 1 and len(theirs["visit_need"]) == 1 and len(theirs["task"]) == 1

        # The other village's laptop receives nothing of the household, its members, its visits or
        # its tasks (a task with no matter takes its maker's area: server/scope.py).
        client.sync_once(b)
        new_b = {t for t, in b.query("SELECT rtype FROM changes WHERE rowid > ?", (before_b,))}
        assert not new_b
        assert _rows(b, "household") == {} and _rows(b, "member") == {} and _rows(b, "member_phone") == {}
    finally:
        for s in (a, b, c):
            s.close()


def test_moving_the_household_in_its_form_also_sends_it_whole(tmp_path: Path, live_server: LiveServer) -> None:
    """The way the issue saw it: the worker changes the household's village in its form and syncs.
    The server used to get only area_id (an empty household on every laptop); now the whole record
    and its members go up, and the refusals are dealt with."""
    a, c = make_laptop(tmp_path / "a", "甲"), make_laptop(tmp_path / "c", "丙")
    try:
        client.enroll(a, live_server.url, live_server.code_for("alice"))
        client.enroll(c, live_server.url, live_server.code_for("carol"))
        ids = _foreign_household(a)
        client.sync_once(a)
        assert a.refused_count() > 0
        a.update("household", ids["household"], {"area_id": a.ensure_area(VILLAGE)})
        assert a.to_send_count() == 1
        res = client.sync_once(a)
        assert res.rejected == 0 and res.pushed == sum(len(v) for v in _tree_rows(a, ids).values())
        assert a.unsent_count() == 0 and a.refused_count() == 0
        client.sync_once(c)
        got = c.get("household", ids["household"])
        assert got is not None and got["head_name"] == "钱越界" and got["group_name"] == "一组"
        assert c.get("member", ids["member"])["id_number"] == "11010519491231002X"
        assert c.get("visit", ids["visit"])["situation"] == "血压偏高，独居，需要村医上门"
        assert client.sync_once(a).pushed == 0                      # nothing is sent twice
    finally:
        a.close()
        c.close()


def test_held_counts_what_waits_now_and_is_never_negative(tmp_path: Path, live_server: LiveServer) -> None:
    """`held` was the change in held rows during one sync: a child held in one sync and released in
    the next made it negative (-2). It is now what this laptop keeps waiting, after the sync."""
    a, d = make_laptop(tmp_path / "a", "甲"), make_laptop(tmp_path / "d", "丁")
    try:
        client.enroll(a, live_server.url, live_server.code_for("alice"))
        client.enroll(d, live_server.url, live_server.code_for("dave"))
        hid = household(a, VILLAGE, head="周长久")
        mids = [a.create("member", {"household_id": hid, "name": n, "sex": "2", "relation": "10"}).id
                for n in ("周小红", "周小兰")]
        client.sync_once(a)
        # D got the members before their household (as from a bundle): they wait for it.
        rows = a.query(f"SELECT {CHANGE_COLUMNS} FROM changes WHERE rtype = 'member' ORDER BY seq")
        Merger(d).apply([(change_from_row(r), None) for r in rows])
        assert client.held_here(d) == 2 and d.get("member", mids[0]) is None
        res = client.sync_once(d)                   # the household arrives; both members are released
        assert res.held == 0 and all(d.get("member", m) is not None for m in mids)
        assert all(v >= 0 for v in res.as_json().values() if isinstance(v, int))
    finally:
        a.close()
        d.close()


def test_the_cli_reports_unsent_refused_held_and_server_held(tmp_path: Path, live_server: LiveServer) -> None:
    root = tmp_path / "a"
    a = make_laptop(root, "甲")
    try:
        client.enroll(a, live_server.url, live_server.code_for("alice"))
        household(a, OTHER_VILLAGE, head="钱越界")
        household(a, VILLAGE, head="周长久")
    finally:
        a.close()
    out = desktop(root, "sync", "--json")
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout)
    assert res["rejected"] >= 2 and res["held"] == 0 and res["server_held"] == 0 and res["pushed"] > 0
    assert all(v >= 0 for v in res.values() if isinstance(v, int))
    status = json.loads(desktop(root, "status", "--json").stdout)
    assert status["refused"] == res["rejected"] and status["unsent"] == res["rejected"]
    listed = json.loads(desktop(root, "conflicts", "--json").stdout)["rejected"]
    hh = next(r for r in listed if r["type"] == "household")
    out = desktop(root, "conflicts", "--export-rejected", str(tmp_path / "refused.csv"), "--json")
    assert out.returncode == 0, out.stderr
    assert len(list(csv.reader(io.StringIO((tmp_path / "refused.csv").read_text("utf-8-sig"))))) == len(listed) + 1
    out = desktop(root, "conflicts", "--move-rejected", f"{hh['origin']}:{hh['seq']}", "--to", VILLAGE, "--json")
    assert out.returncode == 0, out.stderr
    moved = json.loads(out.stdout)
    assert moved["id"] == hh["id"] and moved["resent"] == 1 and moved["dealt_with"] == 2   # it, and its old village
    res = json.loads(desktop(root, "sync", "--json").stdout)
    assert res["pushed"] == 1 and res["rejected"] == 0


def test_refusals_export_for_a_coordinator_csv_and_json(tmp_path: Path, live_server: LiveServer) -> None:
    a = make_laptop(tmp_path / "a", "甲")
    try:
        client.enroll(a, live_server.url, live_server.code_for("alice"))
        household(a, OTHER_VILLAGE, head="钱越界")
        a.create("household_category", {"household_id": a.query_value("SELECT id FROM households"),
                                        "category": "dibao"})
        client.sync_once(a)
        refused = list_rejected(a)
        dismiss_rejected(a, f"{refused[0]['origin']}:{refused[0]['seq']}")

        # What a hostile server might answer: reasons and codes that a spreadsheet would run.
        with a.transaction():
            a.execute("INSERT INTO rejects(origin, seq, rtype, rid, code, zh, en, at) VALUES (?,?,?,?,?,?,?,?)",
                      ("x:1", 1, "=cmd", "r1", "+scope.outside", "\t=HYPERLINK(\"http://x.invalid\")",
                       "\r=1+1", 0))

        (tmp_path / "out").mkdir()
        path = export_refused(a, tmp_path / "out" / "refused.csv")
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and not list(path.parent.glob("*.part"))
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        header, body = rows[0], rows[1:]
        assert header[:4] == ["记录", "字段", "代码", "原因"] and len(body) == len(refused) + 1
        col = {h: i for i, h in enumerate(header)}
        cells = [c for r in body for c in r]
        assert not any(c.lstrip(" \t\r").startswith(("=", "+", "@")) for c in cells)   # never a formula
        hostile = next(r for r in body if r[col["记录类型"]].endswith("=cmd"))
        assert hostile[col["代码"]] == "'+scope.outside" and hostile[col["原因"]].startswith("'\t=HYPERLINK")
        assert hostile[col["Reason (English)"]] == "'\r=1+1"
        mine = [r for r in body if r is not hostile]
        # Each row names the record once, and the record a titleless row belongs to.
        assert "户类别 · 钱越界户 · 一组" in {r[col["记录"]] for r in mine}
        assert not any("户类别 · 户类别" in r[col["记录"]] for r in mine)
        assert all(r[col["代码"]].startswith("scope.") and r[col["原因"]] and r[col["Reason (English)"]] for r in mine)
        assert [r[col["状态"]] for r in body].count("已处理") == 1

        js = export_refused(a, tmp_path / "out" / "refused.json", fmt="json")
        data = json.loads(js.read_text("utf-8"))
        assert len(data["refused"]) == len(refused) + 1
        first = data["refused"][0]
        assert {"record", "field", "code", "zh", "en", "at", "type", "id", "key", "dealt_with_at"} <= set(first)
        assert any(r["dealt_with_at"] for r in data["refused"])
        with pytest.raises(UsageError):
            export_refused(a, tmp_path / "out" / "refused.txt", fmt="txt")
    finally:
        a.close()


def test_a_record_without_a_village_cannot_be_moved(tmp_path: Path, live_server: LiveServer) -> None:
    a = make_laptop(tmp_path / "a", "甲")
    try:
        client.enroll(a, live_server.url, live_server.code_for("alice"))
        tid = a.create("task", {"title": "无村任务", "owner": "陈国强", "due_date": _d(-3), "status": "not_started"}).id
        assert area_owner(a, "task", tid) is None
        with pytest.raises(StateError) as err:
            move_and_resend(a, "task", tid, VILLAGE)
        assert err.value.code == "reject.cannot_move"
    finally:
        a.close()


def test_the_other_village_gets_nothing_at_all(tmp_path: Path, live_server: LiveServer) -> None:
    a, b = make_laptop(tmp_path / "a", "甲"), make_laptop(tmp_path / "b", "乙")
    try:
        client.enroll(a, live_server.url, live_server.code_for("alice"))
        client.enroll(b, live_server.url, live_server.code_for("bob", areas=(OTHER_VILLAGE,)))
        ids = _foreign_household(a)
        client.sync_once(a)
        move_and_resend(a, "household", ids["household"], VILLAGE)
        client.sync_once(a)
        client.sync_once(b)
        tree = {rid for rows in _tree_rows(a, ids).values() for rid in rows}
        assert [t for t, rid in b.query("SELECT rtype, rid FROM changes") if rid in tree] == []
    finally:
        a.close()
        b.close()
