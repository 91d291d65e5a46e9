"""Chinese resident ID numbers (居民身份证号, GB 11643-1999), including legacy 15-digit ones."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lehe_desktop.core.problems import Problem, error, warning
from lehe_desktop.core.validation.text import to_halfwidth

# ISO 7064 MOD 11-2 weights for positions 1–17 and the check character for each remainder.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"

# ASCII-only classes: \d would also accept Arabic-Indic and other Unicode digits.
_RE_18 = re.compile(r"[0-9]{17}[0-9X]")
_RE_15 = re.compile(r"[0-9]{15}")
_RE_17 = re.compile(r"[0-9]{17}")

# Province-level prefixes. Unknown full address codes are not rejected because codes
# change over time; 81/82/83 are Hong Kong/Macau/Taiwan residence permits.
_PROVINCES = frozenset(
    [*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55),
     *range(61, 66), 71, 81, 82, 83]
)

_EARLIEST_BIRTH = date(1900, 1, 1)
_SEX_ZH = {"1": "男", "2": "女"}
_SEX_EN = {"1": "male", "2": "female"}


@dataclass(frozen=True)
class IdInfo:
    number: str  # normalised 18-character form (legacy numbers already converted)
    birth_date: date
    sex: str  # "1" male (odd sequence number), "2" female (even)
    province_ok: bool
    legacy: bool


def normalise_id_number(raw: str) -> str:
    """Remove all whitespace, convert full-width characters to half-width and x to X."""
    return "".join(to_halfwidth(raw).split()).replace("x", "X")


def check_digit(first17: str) -> str:
    """The GB 11643 check character for 17 ASCII digits."""
    if not _RE_17.fullmatch(first17):
        raise ValueError("check_digit needs exactly 17 ASCII digits")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def convert_legacy_15(raw: str) -> str:
    """Convert a 15-digit (GB 11643-1989) number: add the century "19" and a check character."""
    n = normalise_id_number(raw)
    if not _RE_15.fullmatch(n):
        raise ValueError("a legacy ID number has exactly 15 digits")
    first17 = n[:6] + "19" + n[6:]
    return first17 + check_digit(first17)


def _birth_date_of(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def check_id_number(
    raw: str,
    *,
    field: str = "id_number",
    birth_date: date | None = None,
    sex: str | None = None,
    allow_legacy: bool = True,
    today: date | None = None,
) -> tuple[IdInfo | None, list[Problem]]:
    """Validate an ID number; returns (info or None if there is any error, problems).

    ``birth_date``/``sex`` are what was entered by hand; a disagreement only warns,
    because either side may be the one that is wrong.
    """
    today = today or date.today()
    n = normalise_id_number(raw)
    problems: list[Problem] = []
    legacy = False

    if _RE_15.fullmatch(n):
        if not allow_legacy:
            return None, [error(
                "id_number.format", field,
                "此处不接受15位旧身份证号，请填写18位身份证号",
                "Old 15-digit ID numbers are not accepted here; please enter the 18-character number")]
        n = convert_legacy_15(n)
        legacy = True
        problems.append(warning(
            "id_number.legacy", field,
            "这是15位旧身份证号，已自动转换为18位，请核对",
            "This is an old 15-digit ID number; it has been converted to 18 characters, please check it"))
    elif not _RE_18.fullmatch(n):
        return None, [error(
            "id_number.format", field,
            "身份证号格式不正确：应为18位，前17位是数字，最后一位是数字或X",
            "The ID number must be 18 characters: 17 digits followed by a digit or X")]

    # Report checksum and birth-date errors together so one correction round is enough.
    if n[17] != check_digit(n[:17]):
        problems.append(error(
            "id_number.checksum", field,
            "身份证号校验位不正确，请核对最后一位",
            "The ID number's check digit is wrong; please check the last character"))

    born = _birth_date_of(n)
    if born is None:
        problems.append(error(
            "id_number.birth_date", field,
            "身份证号中的出生日期（第7–14位）不是有效日期",
            "The birth date in the ID number (characters 7–14) is not a real date"))
    elif born < _EARLIEST_BIRTH:
        problems.append(error(
            "id_number.birth_date", field,
            "身份证号中的出生日期早于1900年，请核对",
            "The birth date in the ID number is before 1900; please check it"))
    elif born > today:
        problems.append(error(
            "id_number.birth_date", field,
            "身份证号中的出生日期晚于今天，请核对",
            "The birth date in the ID number is after today; please check it"))

    province_ok = int(n[:2]) in _PROVINCES
    if not province_ok:
        problems.append(warning(
            "id_number.province", field,
            f"身份证号前两位（{n[:2]}）不是已知的省级代码，请核对",
            f"The first two digits of the ID number ({n[:2]}) are not a known province code; "
            "please check them"))

    id_sex = "1" if int(n[14:17]) % 2 else "2"
    if born is not None and birth_date is not None and birth_date != born:
        problems.append(warning(
            "id_number.birth_mismatch", field,
            f"填写的出生日期（{birth_date.isoformat()}）与身份证号中的出生日期"
            f"（{born.isoformat()}）不一致",
            f"The birth date entered ({birth_date.isoformat()}) differs from the one in the "
            f"ID number ({born.isoformat()})"))
    # "0" (unknown) and "9" (unspecified) in GB/T 2261.1 say nothing to disagree with.
    if sex in _SEX_ZH and sex != id_sex:
        problems.append(warning(
            "id_number.sex_mismatch", field,
            f"填写的性别（{_SEX_ZH[sex]}）与身份证号显示的性别（{_SEX_ZH[id_sex]}）不一致",
            f"The sex entered ({_SEX_EN[sex]}) differs from the one the ID number implies "
            f"({_SEX_EN[id_sex]})"))

    if born is None or any(p.is_error for p in problems):
        return None, problems
    return IdInfo(n, born, id_sex, province_ok, legacy), problems


def mask_id_number(n: str) -> str:
    """Show only the first 4 and last 4 characters, e.g. ``3604**********0071``."""
    n = normalise_id_number(n)
    # Below 12 characters, showing 8 would reveal most of the value: mask it all.
    if len(n) < 12:
        return "*" * len(n)
    return n[:4] + "*" * (len(n) - 8) + n[-4:]
