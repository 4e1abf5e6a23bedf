"""The suggestion box (留言建议), open to anyone at the kiosk, registered or not.

A resident may leave a phone number so the town or the district organisation department
can call back. It is stored only as AES-GCM ciphertext bound to the suggestion's id, so
neither the database file nor the outbox ever holds it in clear; staff read it through
``contact_of``, which is audited.
"""

from __future__ import annotations

import builtins
import uuid

from sqlalchemy import select

from kiosk.errors import InvalidTransition, NotFound, ValidationError
from kiosk.identity import normalize_phone
from kiosk.store.models import (
    Person,
    Suggestion,
    SuggestionStatus,
    SuggestionTarget,
    Town,
)
from kiosk.store.uow import Store

_TEXT_MIN = 2
_TEXT_MAX = 500


def contact_context(suggestion_id: uuid.UUID) -> str:
    """Associated data for the contact's ciphertext: binds it to this suggestion."""
    return f"suggestion:{suggestion_id}:contact"


class SuggestionService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def leave(
        self,
        *,
        text: str,
        target: SuggestionTarget,
        town_id: uuid.UUID | None = None,
        contact: str | None = None,
        person_id: uuid.UUID | None = None,
    ) -> Suggestion:
        text = text.strip()
        if not _TEXT_MIN <= len(text) <= _TEXT_MAX:
            raise ValidationError(
                f"留言请写 {_TEXT_MIN} 到 {_TEXT_MAX} 个字。",
                detail=f"suggestion length {len(text)}",
            )
        try:
            target = SuggestionTarget(target)
        except ValueError:
            raise ValidationError("请选择留言对象。", detail="unknown suggestion target") from None
        if target == SuggestionTarget.TOWN and town_id is None:
            raise ValidationError("请选择要留言的镇街。", detail="town target without town")
        phone = normalize_phone(contact) if contact and contact.strip() else None
        ring = self.store.keyring
        with self.store.write() as uow:
            if town_id is not None and uow.session.get(Town, town_id) is None:
                raise NotFound("没有找到这个镇街。", detail=f"town {town_id}")
            if person_id is not None and uow.session.get(Person, person_id) is None:
                raise NotFound("没有找到您的登记信息。", detail=f"person {person_id}")
            sug = Suggestion(
                target=target,
                town_id=town_id,
                text=text,
                person_id=person_id,
                status=SuggestionStatus.RECEIVED,
            )
            uow.add(sug)
            if phone is not None:
                sug.contact_cipher = ring.encrypt(phone, context=contact_context(sug.id))
                sug.key_id = ring.key_id
            uow.emit_record("suggestion", "create", sug)
            return sug

    def record_reply(
        self, *, suggestion_id: uuid.UUID, reply: str, staff_id: uuid.UUID | None = None
    ) -> Suggestion:
        reply = reply.strip()
        if not 1 <= len(reply) <= _TEXT_MAX:
            raise ValidationError(
                f"回复请写 1 到 {_TEXT_MAX} 个字。", detail=f"reply length {len(reply)}"
            )
        with self.store.write() as uow:
            sug = uow.session.get(Suggestion, suggestion_id)
            if sug is None:
                raise NotFound("没有找到这条留言。", detail=f"suggestion {suggestion_id}")
            if sug.status != SuggestionStatus.RECEIVED:
                raise InvalidTransition(
                    "这条留言已经回复过了。", detail=f"reply from status {sug.status}"
                )
            sug.status = SuggestionStatus.REPLIED
            sug.reply = reply
            sug.replied_at = uow.now
            uow.emit(
                "suggestion",
                "reply",
                sug.id,
                {"id": sug.id, "status": sug.status, "reply": reply, "replied_at": uow.now},
            )
            if staff_id is not None:
                uow.audit(staff_id, "suggestion.reply", "suggestion", sug.id)
            return sug

    def contact_of(self, *, suggestion_id: uuid.UUID, staff_id: uuid.UUID) -> str | None:
        """The clear phone number for a call-back; every look is audited, found or not."""
        with self.store.write() as uow:
            sug = uow.session.get(Suggestion, suggestion_id)
            if sug is None:
                raise NotFound("没有找到这条留言。", detail=f"suggestion {suggestion_id}")
            uow.audit(staff_id, "suggestion.reveal_contact", "suggestion", sug.id)
            if sug.contact_cipher is None:
                return None
            return self.store.keyring.decrypt(sug.contact_cipher, context=contact_context(sug.id))

    def list(self, status: SuggestionStatus | None = None) -> builtins.list[Suggestion]:
        query = select(Suggestion)
        if status is not None:
            query = query.where(Suggestion.status == status)
        with self.store.read() as s:
            rows = s.execute(query.order_by(Suggestion.created_at.desc(), Suggestion.id.desc()))
            return list(rows.scalars())
