"""All models, imported together so the metadata is complete for Alembic and create_all."""

from kiosk.store.base import Base
from kiosk.store.models.activities import (
    Activity,
    ActivityStatus,
    Attendance,
    BeneficiaryVisit,
    CheckMethod,
    ServiceApproval,
    ServiceRecord,
    ServiceStatus,
)
from kiosk.store.models.community import (
    Suggestion,
    SuggestionStatus,
    SuggestionTarget,
    Wish,
    WishStatus,
)
from kiosk.store.models.ledger import Account, AccountKind, LedgerLine, LedgerTx, PriceItem, TxKind
from kiosk.store.models.needs import Need, NeedCategory, NeedStatus
from kiosk.store.models.people import (
    AuditEntry,
    Organisation,
    OrgType,
    Person,
    PersonKind,
    StaffAccount,
)
from kiosk.store.models.places import Community, CommunityKind, Station, StationKind, Town, TownKind
from kiosk.store.models.sync import DeviceState, OutboxItem, OutboxStatus, SyncState

# Entity names used in outbox rows and sync messages, and the model each stands for.
# Records kiosks make; places, organisations and prices are the server's reference data.
RECORD_ENTITIES: dict[str, type[Base]] = {
    "person": Person,
    "account": Account,
    "ledger_tx": LedgerTx,
    "activity": Activity,
    "attendance": Attendance,
    "service_record": ServiceRecord,
    "service_approval": ServiceApproval,
    "beneficiary_visit": BeneficiaryVisit,
    "need": Need,
    "suggestion": Suggestion,
    "wish": Wish,
    "audit": AuditEntry,
}
REFERENCE_ENTITIES: dict[str, type[Base]] = {
    "town": Town,
    "community": Community,
    "station": Station,
    "organisation": Organisation,
    "price_item": PriceItem,
}

__all__ = [
    "RECORD_ENTITIES",
    "REFERENCE_ENTITIES",
    "Account",
    "AccountKind",
    "Activity",
    "ActivityStatus",
    "Attendance",
    "AuditEntry",
    "BeneficiaryVisit",
    "CheckMethod",
    "Community",
    "CommunityKind",
    "DeviceState",
    "LedgerLine",
    "LedgerTx",
    "Need",
    "NeedCategory",
    "NeedStatus",
    "OrgType",
    "Organisation",
    "OutboxItem",
    "OutboxStatus",
    "Person",
    "PersonKind",
    "PriceItem",
    "ServiceApproval",
    "ServiceRecord",
    "ServiceStatus",
    "StaffAccount",
    "Station",
    "StationKind",
    "Suggestion",
    "SuggestionStatus",
    "SuggestionTarget",
    "SyncState",
    "Town",
    "TownKind",
    "TxKind",
    "Wish",
    "WishStatus",
]
