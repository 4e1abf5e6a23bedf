"""留言: the suggestions left at this kiosk, whether they were answered, and call-back numbers.

Replies are written by the town or the district organisation department on the server and
arrive here through sync, so this panel shows them and never writes one. A phone number
left for a call-back is stored encrypted; 查看联系电话 decrypts it through the audited
``SuggestionService.contact_of`` and shows it for ``CONTACT_S`` seconds.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFrame

from kiosk.store.models import Suggestion, SuggestionStatus, SuggestionTarget
from ui.context import KioskContext
from ui.i18n import N_, tr
from ui.screens.staff import CardList, Choices, StaffPanel, hbox, hold_text, item_card, when_words
from ui.widgets import button, label

if TYPE_CHECKING:
    from ui.window import KioskWindow

CONTACT_S = 30.0  # long enough to dial, then the number goes again


@dataclass(frozen=True)
class Row:
    suggestion: Suggestion
    target: str
    author: str


class SuggestionsPanel(StaffPanel):
    title = N_("留言")

    def __init__(self, ctx: KioskContext, window: KioskWindow) -> None:
        self.rows: list[Row] = []
        super().__init__(ctx, window)

    def build(self) -> None:
        self.outer.addWidget(
            label(
                tr(
                    "回复由镇街或区委组织部在后台填写，同步后显示在这里。"
                    "查看联系电话会记录在操作日志里。"
                ),
                "hint",
            )
        )
        self.parts = Choices(
            [
                (tr("未回复"), SuggestionStatus.RECEIVED),
                (tr("已回复"), SuggestionStatus.REPLIED),
                (tr("全部"), "all"),
            ],
            name="suggestions-part",
        )
        self.parts.set_value(SuggestionStatus.RECEIVED)
        self.parts.changed.connect(lambda _v: self.refresh())
        refresh = button(tr("刷新"), self.refresh, role="secondary")
        refresh.setObjectName("suggestions-refresh")
        row = hbox(self.parts)
        row.addWidget(refresh)
        self.outer.addLayout(row)
        self.list = CardList(name="suggestions-list")
        self.outer.addWidget(self.list, 1)

    def refresh(self) -> None:
        chosen = self.parts.value()
        status = None if chosen in (None, "all") else SuggestionStatus(chosen)
        suggestions = self.ctx.services.suggestions
        reference = self.ctx.services.reference
        people = self.ctx.services.people

        def load() -> list[Row]:
            found = suggestions.list(status)
            towns = {t.id: t.name for t in reference.towns()} if found else {}
            names = people.names(s.person_id for s in found)
            return [
                Row(s, self._target(s, towns), names.get(s.person_id, "") if s.person_id else "")
                for s in found
            ]

        self.run(load, self._show)

    @staticmethod
    def _target(sug: Suggestion, towns: dict[uuid.UUID, str]) -> str:
        if sug.target == SuggestionTarget.ORG_DEPT:
            return tr("区委组织部")
        return towns.get(sug.town_id, tr("镇街")) if sug.town_id else tr("镇街")

    def _show(self, rows: list[Row]) -> None:
        self.rows = rows
        if not rows:
            self.list.empty(tr("没有这样的留言。"))
            return
        self.list.clear()
        for index, row in enumerate(rows):
            self.list.add(self._card(index, row))

    def _card(self, index: int, row: Row) -> QFrame:
        sug = row.suggestion
        author = tr("留言人：{who}").format(who=row.author) if row.author else tr("未登记的来访者")
        head = label(
            tr("{when} · 给{target} · {author}").format(
                when=when_words(sug.created_at), target=row.target, author=author
            ),
            "hint",
        )
        items: list[Any] = [head, label(sug.text)]
        if sug.status == SuggestionStatus.REPLIED:
            items.append(
                label(tr("● 已回复（{w}）：{r}").format(w=when_words(sug.replied_at), r=sug.reply))
            )
        else:
            items.append(label(tr("● 还没有回复")))
        if sug.contact_cipher is not None:
            shown = label("", "title", wrap=False)
            shown.setObjectName(f"suggestion-contact-{index}")
            shown.hide()
            reveal = button(
                tr("查看联系电话"), lambda: self.reveal(sug.id, shown), role="secondary"
            )
            reveal.setObjectName(f"suggestion-reveal-{index}")
            items.append(hbox(reveal, shown))
        else:
            items.append(label(tr("没有留联系电话"), "hint"))
        return item_card(*items, name=f"suggestion-{index}")

    def reveal(self, suggestion_id: uuid.UUID, target: Any) -> None:
        suggestions = self.ctx.services.suggestions
        staff_id = self.staff_id
        if staff_id is None:
            return

        def done(phone: str | None) -> None:
            if not phone:
                self.show_error(tr("这条留言没有留联系电话。"))
                return
            target.show()
            hold_text(target, tr("联系电话：{p}").format(p=phone), "", CONTACT_S)
            self.show_result(tr("联系电话 {n} 秒后自动隐藏。").format(n=math.ceil(CONTACT_S)))

        self.write(
            lambda: suggestions.contact_of(suggestion_id=suggestion_id, staff_id=staff_id), done
        )
