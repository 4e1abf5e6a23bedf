"""Domain services. Each public method is one operation and one transaction."""

from __future__ import annotations

from kiosk.services.attendance import AttendanceService
from kiosk.services.ledger import LedgerService
from kiosk.services.needs import NeedService
from kiosk.services.people import PeopleService
from kiosk.services.reference import ReferenceService
from kiosk.services.staff import StaffService
from kiosk.services.stats import StatsService
from kiosk.services.suggestions import SuggestionService
from kiosk.services.wishes import WishService
from kiosk.store.uow import Store


class Services:
    """The services of one store, built once and shared by the CLI and the UI."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.reference = ReferenceService(store)
        self.people = PeopleService(store)
        self.ledger = LedgerService(store)
        self.attendance = AttendanceService(store)
        self.needs = NeedService(store)
        self.wishes = WishService(store)
        self.suggestions = SuggestionService(store)
        self.staff = StaffService(store)
        self.stats = StatsService(store)
