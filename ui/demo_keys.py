"""Demo mode only: function keys stand in for the card reader and the scanner.

A visitor trying the demo has no ID card reader, so F1-F4 tap the demo people's cards and
F5/F6 show a member QR through the same Dummy devices the tests use; everything after the
device (identification, rules, sync) is the real code.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut

from devices.idcard.base import DummyIdCardReader
from devices.qr.scanner import DummyQrScanner
from ui.app import KioskApp
from ui.demo import DEMO_PEOPLE, Demo

CARD_KEYS = ("F1", "F2", "F3", "F4")
QR_KEYS = ("F5", "F6")


def tap(kiosk: KioskApp, demo: Demo, name: str) -> None:
    reader = kiosk.manager.id_reader()
    if isinstance(reader, DummyIdCardReader):
        reader.present(demo.card(name))


def show_member_qr(kiosk: KioskApp, demo: Demo, name: str) -> None:
    scanner = kiosk.manager.scanner()
    if isinstance(scanner, DummyQrScanner):
        scanner.scan(demo.member_token(name))


def install_demo_keys(kiosk: KioskApp, demo: Demo) -> None:
    window = kiosk.window
    for key, person in zip(CARD_KEYS, DEMO_PEOPLE, strict=True):
        shortcut = QShortcut(QKeySequence(key), window)
        shortcut.activated.connect(lambda name=person.name: tap(kiosk, demo, name))
    members = [p for p in DEMO_PEOPLE if p.kind == "member"]
    for key, person in zip(QR_KEYS, members, strict=True):
        shortcut = QShortcut(QKeySequence(key), window)
        shortcut.activated.connect(lambda name=person.name: show_member_qr(kiosk, demo, name))
