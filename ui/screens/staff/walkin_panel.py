"""登记: register a walk-in, prefilled from an ID card tap.

The visitor taps the ID card; name, sex and birth date fill in from the card and the ID
number shows only as the staff mask (``440115********1234``). Staff choose the kind
(党员/群众/志愿者), the organisation for a member, the community, a phone number and the
hardship flag, and register (``PeopleService.register`` with the staff id, audited). A card
already registered shows who holds it instead of registering twice.

The full ID number is never on screen except through 显示完整号码: the PIN again, then the
audited ``reveal_id``, shown for ``REVEAL_S`` seconds and masked again. The card's number is
kept only in this panel's memory until the registration is done or the form is cleared.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QHBoxLayout, QWidget

from devices.idcard.card import IdCard
from kiosk.identity import mask_id
from kiosk.services.people import PersonView
from kiosk.store.models import PersonKind
from ui.context import KioskContext
from ui.i18n import N_, tr
from ui.screens.staff import (
    TICK,
    Choices,
    StaffPanel,
    form_grid,
    hbox,
    hold_text,
    line_edit,
    person_words,
    reauthenticate,
    section,
)
from ui.widgets import button, label

if TYPE_CHECKING:
    from ui.window import KioskWindow

REVEAL_S = 10.0  # how long a revealed ID number stays on screen


@dataclass(frozen=True)
class Places:
    organisations: list[tuple[str, uuid.UUID]]
    communities: list[tuple[str, uuid.UUID]]
    home_community: uuid.UUID | None


class WalkinPanel(StaffPanel):
    title = N_("登记")

    def __init__(self, ctx: KioskContext, window: KioskWindow) -> None:
        self._card: IdCard | None = None  # the tapped card, until registered or cleared
        self.person: PersonView | None = None  # the registered or found person on show
        super().__init__(ctx, window)

    def build(self) -> None:
        self.outer.addWidget(
            label(
                tr("请来访者把身份证放在读卡器上，姓名、性别和出生日期会自动填好。")
                + tr("没有身份证也可以只填姓名登记。"),
                "hint",
            )
        )
        self.name_field = line_edit(tr("姓名"), name="walkin-name", max_length=40)
        self.facts_label = label("—", wrap=False)
        self.facts_label.setObjectName("walkin-facts")
        self.id_label = label(tr("未刷身份证"), wrap=False)
        self.id_label.setObjectName("walkin-id")
        self.kinds = Choices(
            [
                (tr("党员"), PersonKind.MEMBER),
                (tr("群众"), PersonKind.RESIDENT),
                (tr("志愿者"), PersonKind.VOLUNTEER),
            ],
            name="walkin-kind",
        )
        self.kinds.set_value(PersonKind.RESIDENT)
        self.kinds.changed.connect(lambda _v: self._kind_changed())
        self.orgs = Choices(columns=2, name="walkin-org")
        self.org_row = QWidget()
        org_box = QHBoxLayout(self.org_row)
        org_box.setContentsMargins(0, 0, 0, 0)
        org_box.addWidget(self.orgs, 1)
        self.communities = Choices(columns=3, name="walkin-community")
        self.phone = line_edit(tr("只填数字，可以不填"), name="walkin-phone", max_length=13)
        self.phone.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[0-9\-]{0,13}"), self.phone)
        )
        self.hardship = button(tr("困难群众（可以接受时间币捐赠）"), role="choice")
        self.hardship.setObjectName("walkin-hardship")
        self.hardship.setCheckable(True)
        self.hardship.toggled.connect(lambda _on: self._mark_hardship())
        grid = form_grid(
            [
                (tr("姓名"), self.name_field),
                (tr("性别 / 出生"), self.facts_label),
                (tr("身份证号"), self.id_label),
                (tr("类别"), self.kinds),
                (tr("所在党组织"), self.org_row),
                (tr("所在社区"), self.communities),
                (tr("手机号"), self.phone),
                (tr("困难群众"), hbox(self.hardship)),
            ]
        )
        caption = grid.itemAtPosition(4, 0)
        self.org_caption = caption.widget() if caption is not None else None
        self.register_button = button(tr("登记"), self.register)
        self.register_button.setObjectName("walkin-register")
        clear = button(tr("清空重填"), self.clear_form, role="secondary")
        clear.setObjectName("walkin-clear")
        form = section(tr("新来访者登记"), grid, hbox(self.register_button, clear))

        self.who_label = label(tr("刷身份证后，这里显示登记情况。"), "hint")
        self.who_label.setObjectName("walkin-who")
        self.shown_id = label("", "big", wrap=False)
        self.shown_id.setObjectName("walkin-shown-id")
        self.shown_id.hide()
        self.reveal_button = button(tr("显示完整号码"), self.reveal, role="secondary")
        self.reveal_button.setObjectName("walkin-reveal")
        self.reveal_button.hide()
        self.hardship_toggle = button("", self.toggle_hardship, role="secondary")
        self.hardship_toggle.setObjectName("walkin-set-hardship")
        self.hardship_toggle.hide()
        status = section(
            tr("登记情况"),
            self.who_label,
            self.shown_id,
            hbox(self.reveal_button),
            hbox(self.hardship_toggle),
        )
        row = QHBoxLayout()
        row.setSpacing(20)
        row.addWidget(form, 3)
        column_widget = QWidget()
        column = QHBoxLayout(column_widget)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(status)
        row.addWidget(column_widget, 2)
        self.outer.addLayout(row)
        self.outer.addStretch(1)
        self._kind_changed()

    # --- loading ----------------------------------------------------------------------
    def refresh(self) -> None:
        reference = self.ctx.services.reference
        station_id = self.ctx.station.id

        def load() -> Places:
            home = next((s.community_id for s in reference.stations() if s.id == station_id), None)
            return Places(
                [(o.name, o.id) for o in reference.organisations()],
                [(c.name, c.id) for c in reference.communities()],
                home,
            )

        self.run(load, self._places)

    def _places(self, places: Places) -> None:
        self.orgs.set_options(places.organisations, self.orgs.value())
        chosen = self.communities.value() or places.home_community
        self.communities.set_options(places.communities, chosen)

    def _kind_changed(self) -> None:
        member = self.kinds.value() == PersonKind.MEMBER
        self.org_row.setVisible(member)
        if self.org_caption is not None:
            self.org_caption.setVisible(member)

    def _mark_hardship(self) -> None:
        text = tr("困难群众（可以接受时间币捐赠）")
        self.hardship.setText(TICK + text if self.hardship.isChecked() else text)

    # --- card -------------------------------------------------------------------------
    def on_card(self, card: IdCard) -> bool:
        self.clear_messages()
        self._card = card
        self.person = None
        self.name_field.setText(card.display_name)
        self.facts_label.setText(
            tr("{sex} · {y}年{m}月{d}日出生").format(
                sex=card.sex or "—",
                y=card.birth_date.year,
                m=card.birth_date.month,
                d=card.birth_date.day,
            )
        )
        self.id_label.setText(mask_id(card.id_number, staff=True))
        self.register_button.setEnabled(True)
        self._show_person(None, "")
        number = card.id_number
        people = self.ctx.services.people

        def find() -> PersonView | None:
            person = people.find_by_id_number(number)
            return None if person is None else people.view(person.id, staff=True)

        self.run(find, self._card_checked)
        return True

    def _card_checked(self, view: PersonView | None) -> None:
        if view is None:
            self.who_label.setText(tr("这张身份证还没有登记，请核对信息后点「登记」。"))
            return
        self._reset_fields()  # nothing to register: forget the card and its number
        self._show_person(
            view,
            tr("这张身份证已经登记过了，不用重复登记：") + "\n" + person_words(view),
        )

    # --- register ---------------------------------------------------------------------
    def register(self) -> None:
        name = self.name_field.text().strip()
        kind = self.kinds.value()
        if not name:
            self.show_error(tr("请填写姓名。"))
            return
        if kind is None:
            self.show_error(tr("请选择类别。"))
            return
        org_id = self.orgs.value() if kind == PersonKind.MEMBER else None
        if kind == PersonKind.MEMBER and org_id is None:
            self.show_error(tr("党员需要选择所在党组织。"))
            return
        community_id = self.communities.value()
        phone = self.phone.text().strip() or None
        hardship = self.hardship.isChecked()
        number = self._card.id_number if self._card is not None else None
        staff_id = self.staff_id
        people = self.ctx.services.people

        def work() -> PersonView:
            person = people.register(
                name=name,
                kind=kind,
                id_number=number,
                phone=phone,
                org_id=org_id,
                community_id=community_id,
                hardship=hardship,
                staff_id=staff_id,
            )
            return people.view(person.id, staff=True)

        self.write(work, self._registered)

    def _registered(self, view: PersonView) -> None:
        self._reset_fields()
        self.show_result(tr("已登记：{who}").format(who=person_words(view)))
        self._show_person(view, tr("刚刚登记：") + "\n" + person_words(view))

    def clear_form(self) -> None:
        self._reset_fields()
        self.clear_messages()
        self._show_person(None, tr("刷身份证后，这里显示登记情况。"))

    def _reset_fields(self) -> None:
        self._card = None
        self.name_field.clear()
        self.phone.clear()
        self.facts_label.setText("—")
        self.id_label.setText(tr("未刷身份证"))
        self.hardship.setChecked(False)
        self.kinds.set_value(PersonKind.RESIDENT)
        self._kind_changed()
        self.register_button.setEnabled(True)

    # --- the person on show -----------------------------------------------------------
    def _show_person(self, view: PersonView | None, text: str) -> None:
        self.person = view
        if text:
            self.who_label.setText(text)
        self.shown_id.hide()
        self.shown_id.setText("")
        has_id = view is not None and bool(view.id_masked)
        self.reveal_button.setVisible(has_id)
        self.hardship_toggle.setVisible(view is not None)
        if view is not None:
            self.hardship_toggle.setText(
                tr("取消困难群众") if view.hardship else tr("设为困难群众")
            )

    def reveal(self) -> None:
        view = self.person
        staff_id = self.staff_id
        if view is None or staff_id is None:
            return
        people = self.ctx.services.people
        reauthenticate(
            self,
            tr("查看完整身份证号会记录在操作日志里。"),
            lambda: people.reveal_id(person_id=view.id, staff_id=staff_id),
            self._revealed,
        )

    def _revealed(self, number: str) -> None:
        self.shown_id.show()
        hold_text(self.shown_id, number, "", REVEAL_S)
        self.show_result(tr("完整号码 {n} 秒后自动隐藏。").format(n=math.ceil(REVEAL_S)))

    def toggle_hardship(self) -> None:
        view = self.person
        staff_id = self.staff_id
        if view is None or staff_id is None:
            return
        people = self.ctx.services.people
        wanted = not view.hardship

        def work() -> PersonView:
            people.set_hardship(person_id=view.id, hardship=wanted, staff_id=staff_id)
            return people.view(view.id, staff=True)

        def done(updated: PersonView) -> None:
            self._show_person(updated, "")
            self.show_result(
                (tr("已设为困难群众：") if updated.hardship else tr("已取消困难群众："))
                + updated.name_masked
            )

        self.write(work, done)
