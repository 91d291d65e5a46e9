"""Phone numbers: E.164 normalisation, local display and masking."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lehe_desktop.core.validation.phone import check_phone, format_phone_local, mask_phone

FULLWIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


@pytest.mark.parametrize(("raw", "e164"), [
    ("13800138000", "+8613800138000"),
    ("138 0013 8000", "+8613800138000"),
    ("138-0013-8000", "+8613800138000"),
    ("+8613800138000", "+8613800138000"),
    ("+86 138 0013 8000", "+8613800138000"),
    ("0086 13800138000", "+8613800138000"),
    ("8613800138000", "+8613800138000"),
    ("１３８００１３８０００", "+8613800138000"),
    ("＋８６　１９９１２３４５６７８", "+8619912345678"),
    ("023-12345678", "+862312345678"),
    ("023 12345678", "+862312345678"),
    ("02312345678", "+862312345678"),
    ("(023)12345678", "+862312345678"),
    ("（０２３）１２３４５６７８", "+862312345678"),
    ("010-12345678", "+861012345678"),
    ("0731-8888 6666", "+8673188886666"),
    ("0537-1234567", "+865371234567"),
    ("+86 23 12345678", "+862312345678"),
    ("+86 (0)23 1234 5678", "+862312345678"),
    ("023-12345678-123", "+862312345678;ext=123"),
    ("023-12345678转123", "+862312345678;ext=123"),
    ("023-12345678 转 123", "+862312345678;ext=123"),
    ("023-12345678 ext 123", "+862312345678;ext=123"),
    ("023-12345678 EXT.123", "+862312345678;ext=123"),
    ("+862312345678;ext=123", "+862312345678;ext=123"),
    ("023-12345678;ext=12", "+862312345678;ext=12"),
])
def test_valid(raw: str, e164: str) -> None:
    assert check_phone(raw) == (e164, [])


@pytest.mark.parametrize("raw", [
    "", "   ", "12345", "1380013800", "138001380000", "12800138000", "23800138000",
    "+1 415 555 0100", "023-123456", "023-123456789", "00-12345678", "13800138000 转123",
    "023-12345678 转", "tel:13800138000", "13800138000 / 13900139000", "+86", "0",
    "+862312345678;ext=", "+862312345678;ext=12;ext=3", "13800138000;ext=1", "٣3800138000",
])
def test_invalid(raw: str) -> None:
    e164, problems = check_phone(raw, field="contacts[0].phone")
    assert e164 is None
    assert [(p.code, p.severity, p.field) for p in problems] == [
        ("phone.format", "error", "contacts[0].phone")]


def test_local_format_and_mask() -> None:
    assert format_phone_local("+8613800138000") == "138 0013 8000"
    assert format_phone_local("+862312345678") == "023-12345678"
    assert format_phone_local("+8673188886666") == "0731-88886666"
    assert format_phone_local("+862312345678;ext=123") == "023-12345678 转123"
    assert format_phone_local("not a phone") == "not a phone"
    assert mask_phone("+8613800138000") == "138****8000"
    assert mask_phone("+862312345678") == "023-******78"
    assert mask_phone("+865371234567") == "0537-*****67"
    assert mask_phone("garbage") == "*******"


mobiles = st.builds(lambda a, b: "+861" + a + b, st.sampled_from("3456789"),
                    st.text("0123456789", min_size=9, max_size=9))
areas = st.sampled_from(["10", "20", "21", "23", "29"]) | st.builds(
    lambda a, b: a + b, st.sampled_from("3456789"), st.text("0123456789", min_size=2, max_size=2))
landlines = st.builds(
    lambda area, sub, ext: "+86" + area + sub + (f";ext={ext}" if ext else ""),
    areas, st.text("0123456789", min_size=7, max_size=8), st.text("0123456789", max_size=6))


@given(mobiles | landlines)
def test_round_trip_through_local_format(e164: str) -> None:
    assert check_phone(format_phone_local(e164)) == (e164, [])
    assert check_phone(e164) == (e164, [])


@given(mobiles | landlines)
def test_full_width_local_form_validates_the_same(e164: str) -> None:
    local = format_phone_local(e164)
    assert check_phone(local.translate(FULLWIDTH)) == check_phone(local)


@given(mobiles | landlines)
def test_mask_hides_the_middle(e164: str) -> None:
    masked = mask_phone(e164)
    assert "*" in masked and masked[-2:] == e164.split(";")[0][-2:]


@given(st.text() | st.text("0123456789+-() 转ext;=", max_size=25))
def test_random_input_never_raises(raw: str) -> None:
    e164, problems = check_phone(raw)
    assert (e164 is None) == bool(problems)
    for p in problems:
        assert p.code == "phone.format" and p.zh.strip() and p.en.strip()
    if e164 is not None:
        assert check_phone(e164) == (e164, [])
        assert check_phone(format_phone_local(e164)) == (e164, [])
    format_phone_local(raw)
    mask_phone(raw)
