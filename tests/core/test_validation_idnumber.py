"""Resident ID number validation (GB 11643-1999)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lehe_desktop.core.validation.idnumber import (
    IdInfo,
    check_digit,
    check_id_number,
    convert_legacy_15,
    mask_id_number,
    normalise_id_number,
)

TODAY = date(2026, 11, 29)
VALID = ["360426199101010071", "120103198806018241", "110101202311012176", "34052419800101001X"]
FULLWIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})

digits = st.text(alphabet="0123456789", min_size=17, max_size=17)
birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
provinces = st.sampled_from(["11", "15", "21", "23", "31", "37", "41", "46", "50", "54", "61", "65",
                             "71", "81", "82", "83"])


@st.composite
def valid_numbers(draw: st.DrawFn) -> str:
    first17 = (draw(provinces) + draw(st.text("0123456789", min_size=4, max_size=4))
               + draw(birth_dates).strftime("%Y%m%d") + draw(st.text("0123456789", min_size=3, max_size=3)))
    return first17 + check_digit(first17)


def codes(raw: str, **kwargs: object) -> list[str]:
    return [p.code for p in check_id_number(raw, today=TODAY, **kwargs)[1]]  # type: ignore[arg-type]


@pytest.mark.parametrize("number", VALID)
def test_valid_vectors(number: str) -> None:
    info, problems = check_id_number(number, today=TODAY)
    assert problems == []
    assert info is not None and info.number == number and not info.legacy and info.province_ok


def test_vector_details() -> None:
    info, _ = check_id_number("360426199101010071", today=TODAY)
    assert info == IdInfo("360426199101010071", date(1991, 1, 1), "1", True, False)
    info, _ = check_id_number("120103198806018241", today=TODAY)
    assert info is not None and info.sex == "2" and info.birth_date == date(1988, 6, 1)


def test_check_digit_vectors() -> None:
    for number in VALID:
        assert check_digit(number[:17]) == number[17]
    with pytest.raises(ValueError):
        check_digit("1234")


def test_invalid_checksum() -> None:
    info, problems = check_id_number("360426199101010072", today=TODAY)
    assert info is None
    assert [(p.code, p.severity) for p in problems] == [("id_number.checksum", "error")]
    assert problems[0].zh == "身份证号校验位不正确，请核对最后一位"


def test_legacy_conversion() -> None:
    assert convert_legacy_15("110223790813697") == "110223197908136972"
    info, problems = check_id_number("110223790813697", today=TODAY)
    assert info is not None and info.legacy and info.number == "110223197908136972"
    assert info.birth_date == date(1979, 8, 13)
    assert [(p.code, p.severity) for p in problems] == [("id_number.legacy", "warning")]
    with pytest.raises(ValueError):
        convert_legacy_15("12345")


def test_legacy_refused_when_not_allowed() -> None:
    info, problems = check_id_number("110223790813697", allow_legacy=False, today=TODAY)
    assert info is None and [p.code for p in problems] == ["id_number.format"]


@pytest.mark.parametrize("raw", ["", "abc", "36042619910101007", "3604261991010100711",
                                 "36042619910101007Y", "X60426199101010071", "٣60426199101010071"])
def test_format_errors(raw: str) -> None:
    assert codes(raw) == ["id_number.format"]


def test_normalisation() -> None:
    assert normalise_id_number(" 340524 19800101 001x ") == "34052419800101001X"
    assert normalise_id_number("３４０５２４１９８００１０１００１ｘ") == "34052419800101001X"
    assert normalise_id_number("340524\u300019800101001X") == "34052419800101001X"
    assert codes("３４０５２４１９８００１０１００１ｘ") == []


def _with_check(first17: str) -> str:
    return first17 + check_digit(first17)


def test_birth_date_errors() -> None:
    assert "id_number.birth_date" in codes(_with_check("11010119910230001"))  # 30 February
    assert "id_number.birth_date" in codes(_with_check("11010118991231001"))  # before 1900
    assert "id_number.birth_date" in codes(_with_check("11010120261130001"))  # after TODAY
    assert codes(_with_check("11010120261129001")) == []  # born today is fine


def test_checksum_and_birth_date_reported_together() -> None:
    first17 = "11010119911332001"
    wrong = "0" if check_digit(first17) != "0" else "1"
    assert codes(first17 + wrong) == ["id_number.checksum", "id_number.birth_date"]


def test_province_warning() -> None:
    number = _with_check("99010119910101001")
    info, problems = check_id_number(number, today=TODAY)
    assert info is not None and not info.province_ok
    assert [(p.code, p.severity) for p in problems] == [("id_number.province", "warning")]
    for prefix in ("10", "16", "20", "24", "30", "38", "47", "55", "60", "66", "72", "84", "91"):
        assert codes(_with_check(prefix + "010119910101001")) == ["id_number.province"], prefix


def test_mismatch_warnings() -> None:
    n = "360426199101010071"  # born 1991-01-01, male
    assert codes(n, birth_date=date(1991, 1, 1), sex="1") == []
    assert codes(n, birth_date=date(1991, 1, 2)) == ["id_number.birth_mismatch"]
    assert codes(n, sex="2") == ["id_number.sex_mismatch"]
    assert codes(n, sex="0") == [] and codes(n, sex="9") == [] and codes(n, sex=None) == []
    info, problems = check_id_number(n, sex="2", birth_date=date(1990, 1, 1), today=TODAY)
    assert info is not None  # warnings never block
    assert {p.severity for p in problems} == {"warning"}


def test_field_is_passed_through() -> None:
    _, problems = check_id_number("bad", field="members[2].id_number")
    assert problems[0].field == "members[2].id_number"


def test_mask() -> None:
    assert mask_id_number("360426199101010071") == "3604**********0071"
    assert mask_id_number("110223790813697") == "1102*******3697"
    assert mask_id_number("12345") == "*****"
    assert mask_id_number("") == ""


@given(digits)
def test_any_17_digits_plus_check_digit_passes_checksum(first17: str) -> None:
    assert "id_number.checksum" not in codes(first17 + check_digit(first17))
    assert "id_number.format" not in codes(first17 + check_digit(first17))


@given(valid_numbers())
def test_generated_numbers_are_valid(number: str) -> None:
    info, problems = check_id_number(number, today=TODAY)
    assert problems == [] and info is not None and info.number == number


@given(valid_numbers(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_substitution_is_detected(number: str, pos: int, new: str) -> None:
    if pos < 17 and new == "X":
        new = "7"
    if new == number[pos]:
        return
    changed = number[:pos] + new + number[pos + 1:]
    info, problems = check_id_number(changed, today=TODAY)
    assert info is None
    assert "id_number.checksum" in [p.code for p in problems]


@given(st.text())
def test_normalise_is_idempotent(raw: str) -> None:
    once = normalise_id_number(raw)
    assert normalise_id_number(once) == once


@given(valid_numbers(), st.booleans())
def test_full_width_validates_the_same(number: str, lower: bool) -> None:
    typed = number.lower() if lower else number
    assert check_id_number(typed.translate(FULLWIDTH), today=TODAY) == check_id_number(number, today=TODAY)


@given(st.text() | st.text("0123456789Xx ", max_size=20))
def test_random_input_never_raises(raw: str) -> None:
    info, problems = check_id_number(raw, today=TODAY, birth_date=date(2000, 1, 1), sex="1")
    assert info is not None or any(p.is_error for p in problems)
    for p in problems:
        assert p.zh.strip() and p.en.strip() and p.field == "id_number"
        assert p.code.startswith("id_number.")
    mask_id_number(raw)
