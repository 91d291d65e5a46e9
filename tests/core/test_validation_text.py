"""Names and required fields."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lehe_desktop.core.validation.text import check_name, check_required, to_halfwidth


@pytest.mark.parametrize(("raw", "expected"), [
    ("张三", "张三"),
    ("  李四\u3000", "李四"),
    ("阿依古丽·买买提", "阿依古丽·买买提"),
    ("阿依古丽•买买提", "阿依古丽·买买提"),
    ("阿依古丽・买买提", "阿依古丽·买买提"),
    ("阿依古丽‧买买提", "阿依古丽·买买提"),
    ("王𣵦", "王𣵦"),
    ("Zhang  San", "Zhang San"),
    ("e\u0301", "\u00e9"),  # NFC
    ("张三2", "张三2"),
    ("x" * 30, "x" * 30),
    ("𣵦" * 30, "𣵦" * 30),
])
def test_valid_names(raw: str, expected: str) -> None:
    assert check_name(raw) == (expected, [])


@pytest.mark.parametrize(("raw", "code"), [
    ("", "name.required"),
    ("  \u3000 ", "name.required"),
    ("x" * 31, "name.too_long"),
    ("𣵦" * 31, "name.too_long"),
    ("张\n三", "name.invalid_chars"),
    ("张\x00三", "name.invalid_chars"),
    ("张\u200b三", "name.invalid_chars"),
    ("123", "name.invalid_chars"),
    ("１２３", "name.invalid_chars"),
    ("1 2 3", "name.invalid_chars"),
])
def test_invalid_names(raw: str, code: str) -> None:
    name, problems = check_name(raw, field="members[0].name")
    assert name is None
    assert [(p.code, p.severity, p.field) for p in problems] == [(code, "error", "members[0].name")]


def test_label_in_message() -> None:
    _, problems = check_name("", label_zh="户主姓名", label_en="household head's name")
    assert "户主姓名" in problems[0].zh and "household head's name" in problems[0].en


@pytest.mark.parametrize("value", [None, "", "   ", "\u3000", "\t\n", [], {}])
def test_required_missing(value: object) -> None:
    problems = check_required(value, field="village", label_zh="村", label_en="village")
    assert [(p.code, p.field, p.severity) for p in problems] == [("field.required", "village", "error")]
    assert "村" in problems[0].zh and "village" in problems[0].en


@pytest.mark.parametrize("value", ["x", " x ", 0, False, ["a"]])
def test_required_present(value: object) -> None:
    assert check_required(value, field="f", label_zh="字段", label_en="field") == []


def test_to_halfwidth() -> None:
    assert to_halfwidth("ＡＢｃ１２３－＋（）\u3000") == "ABc123-+() "


@given(st.text())
def test_random_names_never_raise(raw: str) -> None:
    name, problems = check_name(raw)
    assert (name is None) == bool(problems)
    for p in problems:
        assert p.zh.strip() and p.en.strip() and p.code.startswith("name.")
    if name is not None:
        assert 1 <= len(name) <= 30
        assert unicodedata.is_normalized("NFC", name)
        assert check_name(name) == (name, [])


@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
               | st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF), min_size=1, max_size=30))
def test_cjk_names_accepted(raw: str) -> None:
    assert check_name(raw) == (unicodedata.normalize("NFC", raw), [])
