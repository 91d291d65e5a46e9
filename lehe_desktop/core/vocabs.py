"""Managing vocabularies on a laptop: list, add, rename, deactivate (issue 13).

Each change is a ``vocab_item`` record (core/records/vocab_items.py) written through the store,
so it lands in the change log and syncs like any edit; a trigger copies it into the ``vocab``
table that forms and labels read. A built-in (seeded) item becomes a record the first time it
is renamed or deactivated. Codes are never deleted: ``deactivate`` keeps the item (old records
keep their label) and forms stop offering it; ``add`` of a deactivated code brings it back.

Only a role with ``Capability.EDIT_VOCAB`` may change vocabularies (coordinators, admins and
single-user installs); a worker's laptop is refused at once with ``role.forbidden`` (exit 10).

Error codes: ``vocab.unknown`` (5, no such vocabulary), ``vocab.no_code`` (5, no such code in it),
``vocab.code_exists`` (7, the code is there and active), validation of the item itself (4:
``vocab_item.code_format``, ``vocab_item.code_reserved``, ``text.*``).
"""

from __future__ import annotations

from typing import Any

from .errors import NotFoundError, StateError
from .records.vocab_items import vocab_names
from .roles import Capability, require, role_from_meta
from .store.store import SaveResult, Store

RTYPE = "vocab_item"


def laptop_role(store: Store) -> str:
    """The role of this laptop's user: enrolled role, or ``single_user`` (core/roles.py)."""
    return role_from_meta(store.meta())


def _known(name: str) -> None:
    if name not in vocab_names():
        raise NotFoundError("vocab.unknown", f"没有名为“{name}”的词表", f"There is no vocabulary named '{name}'")


def list_items(store: Store, name: str) -> list[dict[str, Any]]:
    """Every item of a vocabulary in its order, deactivated ones too: code, zh, en, active."""
    _known(name)
    return store.vocab(name, include_inactive=True)


def _item(store: Store, name: str, code: str) -> dict[str, Any] | None:
    return next((v for v in store.vocab(name, include_inactive=True) if v["code"] == code), None)


def _require_item(store: Store, name: str, code: str) -> dict[str, Any]:
    item = _item(store, name, code)
    if item is None:
        raise NotFoundError("vocab.no_code", f"词表“{name}”中没有代码“{code}”",
                            f"The vocabulary '{name}' has no code '{code}'")
    return item


def _write(store: Store, name: str, code: str, zh: str, en: str | None, active: bool) -> SaveResult:
    # create(): the id comes from (vocabulary, code); an existing record is updated in place.
    return store.create(RTYPE, {"vocab": name, "code": code, "zh": zh, "en": en or None, "active": active})


def add(store: Store, name: str, code: str, zh: str, en: str | None = None) -> SaveResult:
    """A new code (or a deactivated one back, with these labels)."""
    require(laptop_role(store), Capability.EDIT_VOCAB)
    _known(name)
    with store.transaction():
        item = _item(store, name, code)
        if item is not None and item["active"]:
            raise StateError("vocab.code_exists", f"词表“{name}”中已有代码“{code}”（{item['zh']}）；改名请用 rename",
                             f"The vocabulary '{name}' already has the code '{code}' ({item['en']}); "
                             "use rename to change its label")
        return _write(store, name, code, zh, en, True)


def rename(store: Store, name: str, code: str, zh: str, en: str | None = None) -> SaveResult:
    """New labels for a code (the English one is kept unless given)."""
    require(laptop_role(store), Capability.EDIT_VOCAB)
    _known(name)
    with store.transaction():
        item = _require_item(store, name, code)
        return _write(store, name, code, zh, en if en else item["en"], bool(item["active"]))


def set_active(store: Store, name: str, code: str, active: bool) -> SaveResult:
    """Deactivate (or activate again) a code; it is never deleted."""
    require(laptop_role(store), Capability.EDIT_VOCAB)
    _known(name)
    with store.transaction():
        item = _require_item(store, name, code)
        return _write(store, name, code, item["zh"], item["en"], active)


def deactivate(store: Store, name: str, code: str) -> SaveResult:
    return set_active(store, name, code, False)
