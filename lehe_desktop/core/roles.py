"""Who may do what on this laptop: the role from enrolment decides (issue 13).

A laptop enrolled with a sync server carries the role of its user in the device certificate
(``server/app.py`` enrol; the sync client keeps it in meta ``enrolled_role``): ``worker``,
``coordinator`` or ``admin``. A laptop that is not enrolled is a single-user install, and its
user may do everything on it (``SINGLE_USER``).

The laptop's answer is a convenience, not the guard: the server checks the same table against
the role in its own enrolment records (a worker's vocabulary change is refused there too, with
``role.vocab_forbidden``).

Each capability is checked in the core function that does the thing (``browse.household_profile``
reveal, ``audit.entries``, ``exports`` named, ``rights.anonymise``, ``handover.require_ready``,
``vocabs``), so the window and the command line refuse alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from .errors import EXIT_FORBIDDEN, LeheError


class Capability(StrEnum):
    EDIT_RECORDS = "edit_records"            # create, edit and delete households, visits, …
    EDIT_VOCAB = "edit_vocab"                # add, rename and deactivate vocabulary items
    VIEW_AUDIT = "view_audit"                # read who changed what (history, audit log)
    REVEAL = "reveal"                        # show a masked ID number or phone in full
    EXPORT_NAMED = "export_named"            # export at level ``named`` (names, numbers)
    ANONYMISE = "anonymise"                  # replace a person's identifying data for good
    HAND_OVER = "hand_over"                  # hand the laptop's data over to another worker


WORKER = "worker"
COORDINATOR = "coordinator"
ADMIN = "admin"
SINGLE_USER = "single_user"                  # not enrolled: one user, who may do everything
ROLES = (WORKER, COORDINATOR, ADMIN)

_ALL = frozenset(Capability)
CAPABILITIES: dict[str, frozenset[Capability]] = {
    # A worker records and edits the work of their villages; named data leaves the laptop only
    # through a coordinator (PIPL: the minimum necessary).
    # Revealing is allowed (audited): a worker calls the households of their villages. Handing
    # the laptop over is the worker's own sign-out; it is refused while anything is unsent.
    WORKER: frozenset({Capability.EDIT_RECORDS, Capability.REVEAL, Capability.HAND_OVER}),
    COORDINATOR: frozenset({Capability.EDIT_RECORDS, Capability.EDIT_VOCAB, Capability.VIEW_AUDIT,
                            Capability.REVEAL, Capability.EXPORT_NAMED, Capability.HAND_OVER}),
    ADMIN: _ALL,
    SINGLE_USER: _ALL,
}

# Record types only some roles may write; the server refuses the others' changes to them.
WRITE_CAPABILITY: dict[str, Capability] = {"vocab_item": Capability.EDIT_VOCAB, "purge": Capability.ANONYMISE}

ROLE_NAMES: dict[str, tuple[str, str]] = {
    WORKER: ("社工", "worker"),
    COORDINATOR: ("协调员", "coordinator"),
    ADMIN: ("管理员", "administrator"),
    SINGLE_USER: ("单机用户", "single-user install"),
}

_CAPABILITY_NAMES: dict[Capability, tuple[str, str]] = {
    Capability.EDIT_RECORDS: ("修改记录", "edit records"),
    Capability.EDIT_VOCAB: ("修改词表（类别）", "edit vocabularies (categories)"),
    Capability.VIEW_AUDIT: ("查看操作记录", "view the audit trail"),
    Capability.REVEAL: ("查看完整证件号和电话", "reveal full ID and phone numbers"),
    Capability.EXPORT_NAMED: ("导出实名数据", "export named data"),
    Capability.ANONYMISE: ("匿名化个人信息", "anonymise personal data"),
    Capability.HAND_OVER: ("移交本机数据", "hand the laptop's data over"),
}


class RoleError(LeheError):
    """The laptop's role does not allow this (exit code 10)."""

    exit_code = EXIT_FORBIDDEN


def role_from_meta(meta: Mapping[str, str]) -> str:
    """The laptop's role: the enrolled one, or ``single_user`` when the laptop is not enrolled.
    An enrolled laptop whose certificate names no role we know counts as a worker (least)."""
    if not meta.get("sync_device_key"):
        return SINGLE_USER
    role = meta.get("enrolled_role") or ""
    return role if role in ROLES else WORKER


def capabilities(role: str | None) -> frozenset[Capability]:
    """What a role may do; an unknown role (or none) may only edit records."""
    return CAPABILITIES.get(role or "", CAPABILITIES[WORKER])


def may(role: str | None, capability: Capability) -> bool:
    return capability in capabilities(role)


def require(role: str | None, capability: Capability) -> None:
    """Raise ``RoleError`` (code ``role.forbidden``) unless ``role`` may do ``capability``."""
    if may(role, capability):
        return
    rzh, ren = ROLE_NAMES.get(role or "", (role or "?", role or "?"))
    czh, cen = _CAPABILITY_NAMES[capability]
    raise RoleError("role.forbidden", f"本机用户的角色（{rzh}）不能{czh}；请联系协调员或管理员",
                    f"This laptop's role ({ren}) may not {cen}; ask a coordinator or an administrator")


def may_write(role: str | None, rtype: str) -> bool:
    """May a device of this role write records of this type? (Most types: every role.)"""
    needed = WRITE_CAPABILITY.get(rtype)
    return needed is None or may(role, needed)
