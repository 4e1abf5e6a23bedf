"""After a card tap or member scan on a screen that did not ask for one: what fits this person.

Members see check-in, their coins, micro-wishes to claim; residents see asking for help,
their coins and the canteen. The person is greeted by masked name only (张*英).
"""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout

from kiosk.store.models import PersonKind
from ui.screen import Screen, tr
from ui.widgets import label, tile


class PersonScreen(Screen):
    voice_key = "home"
    stepless = True  # the menu of what this person can do, not a step of a flow

    def title(self) -> str:
        person = self.window_.session.person
        name = person.name_masked if person is not None else ""
        return tr("{name}，您好").format(name=name)

    def build(self) -> None:
        person = self.window_.session.person
        if person is None:
            return
        self.body.addWidget(label(tr("请选择您要办理的事情："), "hint"))
        grid = QGridLayout()
        grid.setSpacing(28)
        if person.kind == PersonKind.MEMBER:
            tiles = [
                (tr("签到 / 签退"), self._checkin),
                (tr("我的时间币"), self._coins),
                (tr("认领微心愿"), self._wishes),
                (tr("留言建议"), self._suggest),
            ]
        else:
            tiles = [
                (tr("我要求助"), self._need),
                (tr("我的时间币"), self._coins),
                (tr("长者饭堂\n用餐登记"), self._canteen),
                (tr("留言建议"), self._suggest),
            ]
        for index, (text, action) in enumerate(tiles):
            grid.addWidget(tile(text, action), index // 2, index % 2)
        self.body.addLayout(grid, 1)

    def _checkin(self) -> None:
        from ui.screens.checkin import CheckinScreen

        self.window_.go(CheckinScreen)

    def _coins(self) -> None:
        from ui.screens.coins import CoinsScreen

        self.window_.go(CoinsScreen)

    def _wishes(self) -> None:
        from ui.screens.wishes import WishesScreen

        self.window_.go(WishesScreen)

    def _suggest(self) -> None:
        from ui.screens.suggestions import SuggestionScreen

        self.window_.go(SuggestionScreen)

    def _need(self) -> None:
        from ui.screens.needs import NeedCategoryScreen

        self.window_.go(NeedCategoryScreen)

    def _canteen(self) -> None:
        from ui.screens.canteen import CanteenScreen

        self.window_.go(CanteenScreen)
