"""Names and required fields, plus the full-width → half-width helper the other validators share."""

from __future__ import annotations

import re
import unicodedata

from lehe_desktop.core.problems import Problem, error

NAME_MAX_LEN = 30

# Chinese IMEs type ASCII as full-width forms (U+FF01–U+FF5E); they sit 0xFEE0 above ASCII.
_HALFWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_HALFWIDTH[0x3000] = 0x20  # ideographic space

# People type the middle dot in names (阿依古丽·买买提) with whatever key is handy;
# one canonical form keeps duplicates findable.
_MIDDLE_DOTS = str.maketrans(dict.fromkeys("•・‧･∙⋅", "·"))

# Ordinary spaces, including ones pasted from Word/web pages or typed with a Chinese IME.
_SPACE_RUN = re.compile("[ \u00a0\u3000]+")

# ZWNJ/ZWJ are needed by Arabic-script (Uyghur) names; other invisible format characters
# only make two records look identical while comparing unequal.
_ALLOWED_FORMAT_CHARS = {"\u200c", "\u200d"}


def to_halfwidth(text: str) -> str:
    """Map full-width ASCII forms and the ideographic space to their ASCII equivalents."""
    return text.translate(_HALFWIDTH)


def _is_bad_char(ch: str) -> bool:
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cs", "Zl", "Zp"):
        return True
    return cat == "Cf" and ch not in _ALLOWED_FORMAT_CHARS


def _is_letter_like(ch: str) -> bool:
    # Co/Cn count as letters: rare name characters are often typed in private-use fonts,
    # and newer CJK extensions are unassigned in Python 3.11's Unicode tables.
    cat = unicodedata.category(ch)
    return cat[0] == "L" or cat in ("Co", "Cn")


def check_name(
    raw: str, *, field: str = "name", label_zh: str = "姓名", label_en: str = "name"
) -> tuple[str | None, list[Problem]]:
    """Validate and normalise a person's name; returns (name or None, problems)."""
    name = unicodedata.normalize("NFC", raw).strip()
    name = _SPACE_RUN.sub(" ", name.translate(_MIDDLE_DOTS))
    if not name:
        return None, [error("name.required", field, f"请填写{label_zh}",
                            f"Please enter the {label_en}")]
    problems: list[Problem] = []
    # len() counts code points, so a supplementary-plane character such as 𣵦 counts once.
    if len(name) > NAME_MAX_LEN:
        problems.append(error(
            "name.too_long", field,
            f"{label_zh}最多{NAME_MAX_LEN}个字，现在有{len(name)}个字",
            f"The {label_en} can have at most {NAME_MAX_LEN} characters; it has {len(name)}"))
    if any(_is_bad_char(ch) for ch in name):
        problems.append(error(
            "name.invalid_chars", field,
            f"{label_zh}中含有不可见的控制字符，请重新输入",
            f"The {label_en} contains invisible control characters; please retype it"))
    elif not any(_is_letter_like(ch) for ch in name):
        problems.append(error(
            "name.invalid_chars", field,
            f"{label_zh}不能只有数字或符号",
            f"The {label_en} cannot consist only of digits or symbols"))
    return (None if problems else name), problems


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        return len(value) == 0
    return False


def check_required(value: object, *, field: str, label_zh: str, label_en: str) -> list[Problem]:
    """Error ``field.required`` when value is None, empty or whitespace-only."""
    if _is_blank(value):
        return [error("field.required", field, f"请填写{label_zh}",
                      f"Please fill in the {label_en}")]
    return []
