"""Anonymising a person (PIPL Art. 47): the purge record that travels to every replica.

A purge names a member (and their household, for its scope). Each replica that holds or
receives it scrubs that person's personal fields from the records, from the change log's
history, from open conflicts and from the search index (``core/store/purge.py``), and keeps
doing so for any change about them that arrives later (an old backup, a bundle, a laptop that
was offline), so the data never comes back. The purge record itself holds no personal data.
"""

from __future__ import annotations

from .schema import FieldSpec, Kind, Privacy, RecordType, register
from .work import words

P = Privacy
F = FieldSpec

PURGE = register(RecordType(
    name="purge", table="purges", zh="匿名化", en="Anonymisation",
    fields=(
        F("household_id", Kind.REF, "所属户", "Household", required=True, ref="household", privacy=P.PUBLIC),
        F("member_id", Kind.REF, "被匿名化的成员", "Member anonymised", required=True, ref="member",
          privacy=P.PUBLIC),
        F("basis", Kind.VOCAB, "依据", "Basis", required=True, vocab="purge_basis", privacy=P.PUBLIC),
        F("requested_on", Kind.DATE, "申请日期", "Requested on", required=True, privacy=P.PUBLIC),
    ),
    parent_field="household_id",
    title=lambda r: f"{words('匿名化', 'Anonymised')} {r.get('requested_on') or ''}".strip(),
    indexes=(("member_id",),),
))
