"""Masking (issue 16): ID numbers, phones and exact addresses never reach list rows, search results,
profiles (until revealed — an audited action), de-identified exports or the logs."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from lehe_desktop.core import browse, exports
from lehe_desktop.core.records.masking import mask_address
from lehe_desktop.core.store.store import Store
from tests.conftest import CliRunner

ID_NUMBER = "110101195003070021"
PHONE = "+8613912345678"
PHONE_DIGITS = "13912345678"
ADDRESS = "石桥村三组128号"
SECRETS = (ID_NUMBER, PHONE_DIGITS, "12345678", ADDRESS, "128号")   # (ids are hex: no 号)


def _fill(store: Store) -> tuple[str, str]:
    area = store.ensure_area("测试县/测试镇/石桥村")
    hid = store.create("household", {"area_id": area, "group_name": "三组", "head_name": "王秀英",
                                     "address": ADDRESS}).id
    mid = store.create("member", {"household_id": hid, "name": "王秀英", "relation": "02", "sex": "2",
                                  "birth_date": "1950-03-07", "id_number": ID_NUMBER}).id
    store.create("member_phone", {"member_id": mid, "number": PHONE_DIGITS, "owner": "self"})
    return hid, mid


def _clean(data: object) -> None:
    text = json.dumps(data, ensure_ascii=False, default=str)
    for secret in SECRETS:
        assert secret not in text, secret


def test_address_mask_keeps_the_place_not_the_house() -> None:
    assert mask_address(ADDRESS) == "石桥村三组****"          # six characters shown, digits hidden
    assert mask_address("") == "" and mask_address(None) == ""


def test_lists_search_and_profiles_are_masked_until_revealed(store: Store) -> None:
    hid, mid = _fill(store)
    ids = browse.household_ids(store, browse.HouseholdFilter())
    _clean(browse.household_rows(store, ids))
    # Found by the number typed whole, shown masked.
    for text in (ID_NUMBER, PHONE_DIGITS):
        hits = store.search(text)
        assert hits and all("match" in h for h in hits)
        _clean(hits)
    assert browse.household_ids(store, browse.HouseholdFilter(text=ID_NUMBER)) == [hid]
    masked = browse.household_profile(store, hid)
    _clean(masked)
    assert masked["members"][0]["id_number"] == "1101**********0021"
    assert masked["phones"][mid][0]["number"] == "139****5678"
    assert not masked["revealed"]
    before = store.query_value("SELECT count(*) FROM audit_log WHERE action = 'reveal'")
    shown = browse.household_profile(store, hid, reveal=True)
    assert shown["members"][0]["id_number"] == ID_NUMBER and shown["household"]["address"] == ADDRESS
    assert shown["phones"][mid][0]["number"] == PHONE
    row = store.query_dicts("SELECT action, detail FROM audit_log ORDER BY seq DESC LIMIT 1")[0]
    assert row["action"] == "reveal" and hid in row["detail"] and mid in row["detail"]
    _clean(row)
    assert store.query_value("SELECT count(*) FROM audit_log WHERE action = 'reveal'") == before + 1


def test_deidentified_and_aggregate_exports_hold_no_numbers_or_addresses(store: Store, tmp_path: Path) -> None:
    _fill(store)
    for level in ("deidentified", "aggregate"):
        out = tmp_path / level
        exports.export(store, out, level=level)
        for f in out.rglob("*"):
            if f.is_file():
                text = f.read_text("utf-8-sig")
                for secret in (ID_NUMBER, PHONE_DIGITS, ADDRESS):
                    assert secret not in text, (f, secret)


def test_logs_hold_no_numbers(store: Store, cli: CliRunner, data_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        hid, _mid = _fill(store)
        browse.household_profile(store, hid, reveal=True)
        store.search(ID_NUMBER)
    store.close()
    r = cli("-v", "search", ID_NUMBER, "--json")
    assert r.returncode == 0, r.stderr
    assert ID_NUMBER not in r.stdout and "1101**********0021" in r.stdout
    logged = caplog.text + "".join(p.read_text("utf-8") for p in (data_dir / "logs").rglob("*.log*"))
    for secret in SECRETS:
        assert secret not in logged, secret
