"""Who is at the kiosk: a person from an ID card tap or a member QR code.

Both ways end in the same ``PersonView`` (masked for the public screen), so a screen never
handles a clear ID number beyond handing the card's number to this service. The member QR
is checked offline against the deployment's public keys, which enrolment saved in the
data directory; a kiosk that has not enrolled has no keys and says so plainly.
"""

from __future__ import annotations

import json
from pathlib import Path

from devices.qr.tokens import Clock, TokenError, TokenVerifier, public_key_from_text
from kiosk.config import QR_KEYS_FILE
from kiosk.errors import NotFound, ValidationError
from kiosk.services.people import PeopleService, PersonView

NOT_REGISTERED = "没有找到您的登记信息，请找工作人员登记。"


def load_verifier(data_dir: Path, clock: Clock | None = None) -> TokenVerifier | None:
    """The member-QR verifier from the enrolment keys, or None before enrolment."""
    path = data_dir / QR_KEYS_FILE
    if not path.exists():
        return None
    raw: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    keys = {key_id: public_key_from_text(value) for key_id, value in raw.items()}
    return TokenVerifier(keys, clock)


class IdentifyService:
    def __init__(self, people: PeopleService, verifier: TokenVerifier | None) -> None:
        self.people = people
        self.verifier = verifier

    def by_id_number(self, id_number: str) -> PersonView:
        """The registered person holding this ID card; NotFound tells them to see staff."""
        person = self.people.find_by_id_number(id_number)
        if person is None:
            raise NotFound(NOT_REGISTERED, detail="no person with this id hash")
        return self.people.view(person.id)

    def by_member_token(self, text: str) -> PersonView:
        if self.verifier is None:
            raise ValidationError(
                "这台自助机还不能识别党员码，请刷身份证。", detail="no member-QR keys"
            )
        try:
            token = self.verifier.verify(text)
        except TokenError as exc:
            raise ValidationError(exc.message, detail=f"member token: {exc.reason}") from exc
        return self.people.view(token.member_id)
