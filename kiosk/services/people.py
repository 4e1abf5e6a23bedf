"""People: registration, lookup by ID card, masked views, staff reveal and re-keying."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from kiosk.crypto import Keyring, write_secret
from kiosk.errors import NotFound, RuleViolation, ValidationError
from kiosk.identity import mask_id, mask_name, mask_phone, normalize_phone, parse_id_number
from kiosk.services.suggestions import contact_context
from kiosk.store.models import (
    Community,
    Need,
    NeedStatus,
    Organisation,
    Person,
    PersonKind,
    Suggestion,
)
from kiosk.store.repositories import PersonRepo
from kiosk.store.uow import Store, UnitOfWork

_NAME_MAX = 40


@dataclass(frozen=True)
class PersonView:
    """What a screen may show about a person."""

    id: uuid.UUID
    kind: str
    name_masked: str
    id_masked: str  # public mask, or staff mask when built for staff
    phone_masked: str
    org_id: uuid.UUID | None
    community_id: uuid.UUID | None
    hardship: bool


def _context(person_id: uuid.UUID, field: str) -> str:
    return f"person:{person_id}:{field}"


class PeopleService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def register(
        self,
        *,
        name: str,
        kind: PersonKind,
        id_number: str | None = None,
        phone: str | None = None,
        org_id: uuid.UUID | None = None,
        community_id: uuid.UUID | None = None,
        hardship: bool = False,
        staff_id: uuid.UUID | None = None,
    ) -> Person:
        """Register a person (walk-in by staff, or from an ID card tap). One transaction."""
        name = name.strip()
        if not name or len(name) > _NAME_MAX:
            raise ValidationError("请填写正确的姓名。", detail="name empty or too long")
        kind = PersonKind(kind)
        if kind == PersonKind.MEMBER and org_id is None:
            raise ValidationError("党员需要选择所在党组织。", detail="member without organisation")
        facts = parse_id_number(id_number) if id_number else None
        phone_clear = normalize_phone(phone) if phone else None
        ring = self.store.keyring
        with self.store.write() as uow:
            if org_id is not None and uow.session.get(Organisation, org_id) is None:
                raise NotFound("没有找到这个党组织。", detail=f"organisation {org_id}")
            if community_id is not None and uow.session.get(Community, community_id) is None:
                raise NotFound("没有找到这个社区。", detail=f"community {community_id}")
            person = Person(
                kind=kind,
                name=name,
                key_id=ring.key_id,
                org_id=org_id,
                community_id=community_id,
                hardship=hardship,
            )
            uow.add(person)
            if facts is not None:
                id_hash = ring.lookup_hash(facts.number)
                existing = PersonRepo(uow.session).by_id_hash(id_hash)
                if existing is not None:
                    raise RuleViolation(
                        "这张身份证已经登记过了，不用重复登记。",
                        detail=f"id hash already registered as person {existing.id}",
                    )
                person.id_hash = id_hash
                person.id_cipher = ring.encrypt(facts.number, context=_context(person.id, "id"))
                person.birth_date = facts.birth_date
                person.sex = facts.sex
            if phone_clear is not None:
                person.phone_cipher = ring.encrypt(
                    phone_clear, context=_context(person.id, "phone")
                )
            uow.session.flush()
            uow.emit_record("person", "create", person)
            if staff_id is not None:
                uow.audit(staff_id, "person.register", "person", person.id, f"kind={kind}")
            return person

    def find_by_id_number(self, id_number: str) -> Person | None:
        facts = parse_id_number(id_number)
        key = self.store.keyring.lookup_hash(facts.number)
        with self.store.read() as s:
            return PersonRepo(s).by_id_hash(key)

    def get(self, person_id: uuid.UUID) -> Person:
        with self.store.read() as s:
            person = s.get(Person, person_id)
            if person is None:
                raise NotFound("没有找到这个人的登记信息。", detail=f"person {person_id}")
            return person

    def view(self, person_id: uuid.UUID, *, staff: bool = False) -> PersonView:
        return self._view_of(self.get(person_id), staff=staff)

    def _view_of(self, person: Person, *, staff: bool) -> PersonView:
        ring = self.store.keyring
        id_masked = phone_masked = ""
        if person.id_cipher is not None:
            id_masked = mask_id(
                ring.decrypt(person.id_cipher, context=_context(person.id, "id")), staff=staff
            )
        if person.phone_cipher is not None:
            phone_masked = mask_phone(
                ring.decrypt(person.phone_cipher, context=_context(person.id, "phone"))
            )
        return PersonView(
            id=person.id,
            kind=person.kind,
            name_masked=person.name if staff else mask_name(person.name),
            id_masked=id_masked,
            phone_masked=phone_masked,
            org_id=person.org_id,
            community_id=person.community_id,
            hardship=person.hardship,
        )

    # --- staff console lists (read-only) --------------------------------------------------
    def search(
        self, text: str = "", *, kinds: Iterable[PersonKind] | None = None, limit: int = 20
    ) -> list[PersonView]:
        """Staff lists: people whose name contains ``text``, by name, as staff views.

        Read-only. The staff view carries the full name and the staff mask of the ID number
        (``440115********1234``), which tells two people of the same name apart.
        """
        query = select(Person)
        text = text.strip()
        if text:
            query = query.where(Person.name.contains(text, autoescape=True))
        if kinds is not None:
            query = query.where(Person.kind.in_([PersonKind(k) for k in kinds]))
        query = query.order_by(Person.name, Person.id).limit(max(1, limit))
        with self.store.read() as s:
            people = list(s.execute(query).scalars())
        return [self._view_of(person, staff=True) for person in people]

    def names(self, person_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
        """Full names of these people, for staff lists (needs, reviews). Read-only."""
        wanted = {pid for pid in person_ids if pid is not None}
        if not wanted:
            return {}
        with self.store.read() as s:
            rows = s.execute(select(Person.id, Person.name).where(Person.id.in_(wanted)))
            return {pid: name for pid, name in rows.tuples()}

    def need_board(self, statuses: Iterable[NeedStatus]) -> list[Need]:
        """Needs in these statuses, oldest wished time first, for the staff needs board.

        Read-only. It belongs with ``NeedService`` and lives here only until needs.py is free
        for edits; the console reads the returned rows as values.
        """
        wanted = [NeedStatus(status) for status in statuses]
        query = select(Need).where(Need.status.in_(wanted)).order_by(Need.wished_at, Need.id)
        with self.store.read() as s:
            return list(s.execute(query).scalars())

    def reveal_id(self, *, person_id: uuid.UUID, staff_id: uuid.UUID) -> str:
        """The clear ID number, for a staff member who has just re-entered their PIN.

        The caller (staff console) re-authenticates first; the reveal itself is audited.
        """
        with self.store.write() as uow:
            person = uow.session.get(Person, person_id)
            if person is None or person.id_cipher is None:
                raise NotFound("这个人没有登记身份证号。", detail=f"person {person_id} has no id")
            number = self.store.keyring.decrypt(person.id_cipher, context=_context(person.id, "id"))
            uow.audit(staff_id, "person.reveal_id", "person", person.id)
            return number

    def set_hardship(self, *, person_id: uuid.UUID, hardship: bool, staff_id: uuid.UUID) -> None:
        with self.store.write() as uow:
            person = uow.session.get(Person, person_id)
            if person is None:
                raise NotFound("没有找到这个人的登记信息。", detail=f"person {person_id}")
            person.hardship = hardship
            uow.emit("person", "set_hardship", person.id, {"id": person.id, "hardship": hardship})
            uow.audit(staff_id, "person.set_hardship", "person", person.id, f"hardship={hardship}")

    def rekey(self, new: Keyring, keys_path: Path | None = None) -> int:
        """Re-hash and re-encrypt every person and suggestion under ``new`` (on enrolment).

        Payloads already queued keep the old key (they are frozen); a ``rekey`` change per
        record follows them, so the server ends with the deployment key's values.
        Returns the number of records re-keyed.
        """
        old = self.store.keyring
        count = 0
        with self.store.write() as uow:
            for person in PersonRepo(uow.session).all():
                if person.key_id == new.key_id:
                    continue
                _rekey_person(uow, person, old, new)
                count += 1
            for sug in uow.session.execute(select(Suggestion)).scalars():
                if sug.contact_cipher is None or sug.key_id == new.key_id:
                    continue
                ctx = contact_context(sug.id)
                sug.contact_cipher = new.encrypt(
                    old.decrypt(sug.contact_cipher, context=ctx), context=ctx
                )
                sug.key_id = new.key_id
                uow.emit(
                    "suggestion",
                    "rekey",
                    sug.id,
                    {"id": sug.id, "contact_cipher": sug.contact_cipher, "key_id": new.key_id},
                )
                count += 1
            if keys_path is not None:
                # Written inside the transaction: if this fails nothing was re-keyed.
                write_secret(keys_path, new.to_json())
        self.store.keyring = new
        return count


def _rekey_person(uow: UnitOfWork, person: Person, old: Keyring, new: Keyring) -> None:
    if person.id_cipher is not None:
        number = old.decrypt(person.id_cipher, context=_context(person.id, "id"))
        person.id_hash = new.lookup_hash(number)
        person.id_cipher = new.encrypt(number, context=_context(person.id, "id"))
    if person.phone_cipher is not None:
        phone = old.decrypt(person.phone_cipher, context=_context(person.id, "phone"))
        person.phone_cipher = new.encrypt(phone, context=_context(person.id, "phone"))
    person.key_id = new.key_id
    uow.emit(
        "person",
        "rekey",
        person.id,
        {
            "id": person.id,
            "id_hash": person.id_hash,
            "id_cipher": person.id_cipher,
            "phone_cipher": person.phone_cipher,
            "key_id": new.key_id,
        },
    )
