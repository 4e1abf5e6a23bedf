"""Staff sign-in: pick your name, type your PIN on the in-window keypad.

Reached only by the hidden gesture on the home screen. Five wrong PINs lock the account for
five minutes (the staff service enforces it); the message says so in plain words.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout

from ui.keypad import Keypad
from ui.screen import Screen, tr
from ui.widgets import button, label


class StaffLoginScreen(Screen):
    staff = True

    def title(self) -> str:
        return tr("工作人员登录")

    def build(self) -> None:
        self.body.addWidget(label(tr("请选择您的名字，然后输入密码：")))
        self.names = QHBoxLayout()
        self.body.addLayout(self.names)
        self.group = QButtonGroup(self)
        self.accounts: list[Any] = []
        self.keypad = Keypad(
            masked=True, max_length=12, on_enter=self._sign_in, enter_text=tr("登录")
        )
        self.body.addWidget(self.keypad)
        self.body.addStretch(1)

    def entered(self) -> None:
        self.run_db(self.ctx.services.staff.accounts, self._show_accounts)

    def _show_accounts(self, accounts: list[Any]) -> None:
        self.accounts = accounts
        for index, account in enumerate(accounts):
            widget = button(account.name, role="choice")
            widget.setCheckable(True)
            self.group.addButton(widget, index)
            self.names.addWidget(widget)
            if index == 0:
                widget.setChecked(True)
        self.names.addStretch(1)
        if not accounts:
            self.show_error(tr("这台自助机还没有工作人员账号。"))

    def _sign_in(self, pin: str) -> None:
        index = self.group.checkedId()
        if index < 0:
            self.show_error(tr("请先选择您的名字。"))
            return
        login = self.accounts[index].login
        self.keypad.clear()
        self.run_db(
            lambda: self.ctx.services.staff.authenticate(login=login, pin=pin),
            self.window_.staff_signed_in,
        )
