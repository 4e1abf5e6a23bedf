"""Dispatch of needs nobody claimed (调度, "需求不落空").

A need still unclaimed after ``older_than`` goes to an organisation that has not met its
annual service quota, one in the need's own town/street first, the one furthest behind
first. Needs handed out in the same run count against the organisation at once, so one
run does not pile everything onto a single organisation. The assignment is an ordinary
claim (status, claimant, version) recorded in the change log, so kiosks see it on their
next pull and a kiosk's late offline claim loses by the usual first-claim-wins rule.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.services.stats import OrgService
from kiosk.store.models import Community, Need, NeedStatus
from kiosk.store.payload import record_dict
from server.apply import PendingChange
from server.changes import record_changes
from server.models import DispatchLog

OPEN_CLAIMS = (NeedStatus.CLAIMED, NeedStatus.IN_SERVICE, NeedStatus.COMPLETED)


@dataclass(frozen=True)
class Dispatched:
    need_id: uuid.UUID
    org_id: uuid.UUID
    same_town: bool


def dispatch_unclaimed(
    session: Session,
    orgs: list[OrgService],
    *,
    now: dt.datetime,
    older_than: dt.timedelta = dt.timedelta(hours=48),
) -> list[Dispatched]:
    """Assign overdue needs; ``orgs`` is this year's ``StatsService.org_service`` ranking."""
    query = (
        select(Need, Community.town_id)
        .join(Community, Community.id == Need.community_id)
        .where(Need.status == NeedStatus.POSTED, Need.created_at < now - older_than)
        .order_by(Need.created_at)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=Need)
    overdue = session.execute(query).all()
    if not overdue:
        return []
    in_hand: Counter[uuid.UUID] = Counter()
    for org_id, count in session.execute(
        select(Need.claimant_org_id, func.count())
        .where(Need.status.in_(OPEN_CLAIMS), Need.claimant_org_id.is_not(None))
        .group_by(Need.claimant_org_id)
    ):
        if org_id is not None:
            in_hand[org_id] = count
    done: list[Dispatched] = []
    changes: list[PendingChange] = []
    for need, town_id in overdue:
        behind = [o for o in orgs if o.shortfall - in_hand[o.org_id] > 0]
        if not behind:
            break
        best = max(
            behind,
            key=lambda o: (o.town_id == town_id, o.shortfall - in_hand[o.org_id], o.name),
        )
        need.status = NeedStatus.CLAIMED
        need.claimant_org_id = best.org_id
        need.claimed_at = now
        need.version += 1
        in_hand[best.org_id] += 1
        same_town = best.town_id == town_id
        session.add(
            DispatchLog(
                need_id=need.id,
                org_id=best.org_id,
                same_town=same_town,
                shortfall=best.shortfall,
                dispatched_at=now,
            )
        )
        session.flush()
        changes.append(PendingChange("need", need.id, need.community_id, record_dict(need)))
        done.append(Dispatched(need.id, best.org_id, same_town))
    record_changes(session, changes, now)
    return done
