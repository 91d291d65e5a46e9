"""Masking of identifying numbers and places (domain.md §8.2 P5): ID numbers, phones, exact addresses.

Shown masked by default everywhere the app lists or shows them — list rows, profiles, search
results, tooltips — and left out of exports below ``named``. The query layer the GUI reads
(core/browse.py) applies these functions, so no widget ever receives the clear value unless
the worker asked to reveal it (an audited action: ``browse.household_profile(reveal=True)``).
Edit forms still load the record itself: changing a value needs it.
"""

from __future__ import annotations

import re
from typing import Any

from ..validation.idnumber import mask_id_number
from ..validation.phone import mask_phone
from .schema import FieldSpec, Kind, RecordType

# Free-text fields that hold an exact address (house numbers, who lives where).
ADDRESS_FIELDS = frozenset({"address"})
_DIGITS = re.compile(r"[0-9０-９]")
_KEEP = 6            # characters of an address shown: the village or group, not the house


def mask_address(text: str | None) -> str:
    """The start of an address (the place, ``_KEEP`` characters, digits hidden), then ``***``."""
    if not text:
        return ""
    head = _DIGITS.sub("*", text.strip()[:_KEEP])
    return head + "***"


def is_masked_field(f: FieldSpec) -> bool:
    return f.kind in (Kind.ID_NUMBER, Kind.PHONE) or f.name in ADDRESS_FIELDS


def mask_value(f: FieldSpec, value: Any) -> Any:
    """A field's value as shown without revealing (unchanged for fields that are not masked)."""
    if value is None or value == "" or not is_masked_field(f):
        return value
    if f.kind is Kind.ID_NUMBER:
        return mask_id_number(str(value))
    if f.kind is Kind.PHONE:
        return mask_phone(str(value))
    return mask_address(str(value))


def mask_record(rt: RecordType, rec: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``rec`` with every masked field masked."""
    out = dict(rec)
    for f in rt.fields:
        if f.name in out and is_masked_field(f):
            out[f.name] = mask_value(f, out[f.name])
    return out


def masked_fields(rt: RecordType) -> tuple[str, ...]:
    return tuple(f.name for f in rt.fields if is_masked_field(f))
