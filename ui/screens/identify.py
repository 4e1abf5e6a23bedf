"""Step 1 of flows that need to know who is there: tap the ID card or scan the member QR.

The window hands every card and member scan to the screen on show first; this screen turns
either into a ``PersonView`` and moves on to the screen the flow asked for, so flows that
need a person (my coins, claiming a wish) share one way in.
"""

from __future__ import annotations

from typing import Any

from devices.idcard.card import IdCard
from devices.qr.tokens import Routed
from kiosk.services.people import PersonView
from ui.screen import Screen, tr
from ui.widgets import label


class IdentifyScreen(Screen):
    voice_key = "checkin"
    steps = (1, 2)

    def title(self) -> str:
        return str(self.params.get("purpose") or tr("请先确认身份"))

    def build(self) -> None:
        self.body.addStretch(1)
        self.body.addWidget(label(tr("请把身份证放在读卡区"), "big"))
        self.body.addWidget(label(tr("或者把党员码对准扫码口"), "big"))
        self.body.addWidget(label(tr("没有带证件？请找工作人员帮忙。"), "hint"))
        self.body.addStretch(2)

    def entered(self) -> None:
        person = self.window_.session.person
        if person is not None:
            # Already identified on this visit (WCAG 3.3.7: no second tap needed).
            self._go_on(person)

    def on_card(self, card: IdCard) -> bool:
        number = card.id_number
        self.run_db(lambda: self.ctx.identify.by_id_number(number), self._found)
        return True

    def on_scan(self, routed: Routed) -> bool:
        if routed.kind != "member":
            return False
        token = routed.value
        self.run_db(lambda: self.ctx.identify.by_member_token(token), self._found)
        return True

    def _found(self, person: PersonView) -> None:
        self.window_.session.person = person
        self._go_on(person)

    def _go_on(self, person: PersonView) -> None:
        then: Any = self.params["then"]
        self.window_.go(then, remember=False, **self.params.get("then_params", {}))
