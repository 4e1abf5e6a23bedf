"""The demo's timeline and its service planners: activities, meals and needs.

``kiosk.demo`` plans eleven months of use; this module holds the machinery that makes it
deterministic and rule-abiding. Every random draw happens while planning, in a fixed order;
the plan is a list of steps keyed by (moment, planning order), run in time order with the
store's clock set to each moment, so the services see the same history on every machine
and each rule (check-in windows, the need lifecycle, contact deadlines) holds at the time
the step happens.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from kiosk import nansha
from kiosk.clock import CHINA, FixedClock
from kiosk.services import Services
from kiosk.store.models import (
    CheckMethod,
    Community,
    NeedCategory,
    Organisation,
    PersonKind,
    PriceItem,
    ServiceRecord,
)

START = dt.datetime(2026, 1, 5, 8, 0, tzinfo=CHINA)
END = dt.datetime(2026, 11, 30, 18, 0, tzinfo=CHINA)
DAY, HOUR, MINUTE = dt.timedelta(days=1), dt.timedelta(hours=1), dt.timedelta(minutes=1)
# Need outcomes and their shares, from posted-only to rated.
_NEED_FATES = {"posted": 10, "cancel": 5, "cancel_claimed": 3, "claimed": 6, "in_service": 3}
_NEED_FATES |= {"completed": 5, "confirmed": 26, "rated": 42}
_NEED_STAGES = ["claimed", "in_service", "completed", "confirmed", "rated"]
Step = tuple[dt.datetime, str, dict[str, object]]


@dataclass
class Who:
    """A person planned before the timeline runs; ``id`` is known once registered."""

    kind: PersonKind
    name: str
    id_number: str
    reg_at: dt.datetime
    community: Community
    org_id: uuid.UUID | None
    hardship: bool
    phone: str | None
    id: uuid.UUID | None = None

    @property
    def pid(self) -> uuid.UUID:
        assert self.id is not None, "person used before registration"
        return self.id


class Timeline:
    """The plan being built, what it refers to, and what running it has created so far."""

    def __init__(self, svc: Services, clock: FixedClock, rng: random.Random) -> None:
        self.svc, self.clock, self.rng = svc, clock, rng
        self.counts: Counter[str] = Counter()
        self.events: list[tuple[dt.datetime, int, Callable[[], object]]] = []
        self.towns: dict[uuid.UUID, list[Community]] = {}
        self.orgs: list[Organisation] = []
        self.staff: list[uuid.UUID] = []
        self.members: list[Who] = []
        self.residents: list[Who] = []
        self.helpers: list[Who] = []  # members and volunteers: who check in and claim
        self.canteens: list[tuple[uuid.UUID, uuid.UUID]] = []  # (meal point, its town)
        self.prices: list[PriceItem] = []

    def at(self, when: dt.datetime, step: Callable[..., object], *args: Any) -> None:
        """Plan ``step(*args)`` at ``when``; steps at the same moment run in planning order."""
        self.events.append((when, len(self.events), partial(step, *args)))

    def run(self) -> None:
        for when, _, step in sorted(self.events, key=lambda e: (e[0], e[1])):
            self.clock.set(when)
            step()

    def moment(self, lo: dt.datetime, hi: dt.datetime, *, daytime: bool = True) -> dt.datetime:
        """A random moment in [lo, hi), during opening hours (8:00-19:00) if ``daytime``."""
        when = lo + (hi - lo) * self.rng.random()
        if daytime:
            local = when.astimezone(CHINA)
            hour = local.hour if 8 <= local.hour < 19 else self.rng.randrange(8, 19)
            when = local.replace(hour=hour)
            when = min(max(when, lo), hi)
        return when.replace(microsecond=0)

    def pick(self, people: Sequence[Who], before: dt.datetime, k: int = 1) -> list[Who]:
        ready = [p for p in people if p.reg_at < before]
        return self.rng.sample(ready, min(k, len(ready)))

    def resolve(self, kw: dict[str, object]) -> dict[str, object]:
        """A planned step's arguments: a planned person becomes ``<key>_id`` once registered."""
        return {
            f"{k}_id" if isinstance(v, Who) else k: v.pid if isinstance(v, Who) else v
            for k, v in kw.items()
        }

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] += n

    def staff_or_none(self, share: float) -> uuid.UUID | None:
        return self.rng.choice(self.staff) if self.rng.random() < share else None

    # --- activities, check-ins, residents served ----------------------------------------
    def activities(self, n: int, checkins: int) -> None:
        held = n - n // 10  # the rest are planned for December
        weights = [self.rng.uniform(0.5, 1.5) for _ in range(held)]
        sizes = Counter(self.rng.choices(range(held), weights, k=checkins) if held else [])
        days = sorted(self.moment(START + 5 * DAY, END - 5 * DAY) for _ in range(held))
        days += [self.moment(END + 2 * DAY, END + 20 * DAY) for _ in range(n - held)]
        for i, day in enumerate(days):
            town_id = self.rng.choice(list(self.towns))
            comm = self.rng.choice(self.towns[town_id])
            service_type = self.rng.choice(list(nansha.ACTIVITY_TYPES))
            title = self.rng.choice(nansha.ACTIVITY_TYPES[service_type]).format(c=comm.name)
            local = day.astimezone(CHINA)
            starts = local.replace(hour=self.rng.choice((9, 14, 15)), minute=0, second=0)
            ends = starts + self.rng.choice((2, 3, 4)) * HOUR
            hosts = [o for o in self.orgs if o.town_id == town_id] or self.orgs
            act = {
                "title": title,
                "community_id": comm.id,
                "starts_at": starts,
                "ends_at": ends,
                "service_type": service_type,
                "organiser_org_id": self.rng.choice(hosts).id,
                "place": f"{comm.name}党群服务站",
                "coin_rate": self.rng.choice((60, 60, 60, 90)),
                "staff_id": self.rng.choice(self.staff),
            }
            made: dict[str, uuid.UUID] = {}
            self.at(
                min(max(starts - 7 * DAY, START), END - HOUR),
                self._create,
                act,
                made,
            )
            if i >= held:
                continue
            self._attend(made, starts, ends, sizes[i])
            near = [r for r in self.residents if r.community.town_id == town_id]
            for r in self.pick(near or self.residents, starts, self.rng.randrange(4, 20)):
                when = self.moment(starts, ends, daytime=False)
                self.at(when, self._served, r, made)

    def _create(self, act: dict[str, object], made: dict[str, uuid.UUID]) -> None:
        made["id"] = self.svc.attendance.create_activity(**act).id  # type: ignore[arg-type]
        self.count("activities")

    def _attend(
        self, made: dict[str, uuid.UUID], starts: dt.datetime, ends: dt.datetime, k: int
    ) -> None:
        staff = self.rng.choice(self.staff)
        att = self.svc.attendance
        self.at(
            starts - 30 * MINUTE, lambda: att.open_checkin(activity_id=made["id"], staff_id=staff)
        )
        attendees = self.pick(self.helpers, starts - HOUR, k)
        for who in attendees:
            method = self.rng.choice((CheckMethod.ID_CARD, CheckMethod.ID_CARD, CheckMethod.QR))
            t_in = starts + self.rng.randrange(-25, 20) * MINUTE
            self.at(t_in, self._check, made, who, method, "in")
            if self.rng.random() < 0.04:
                continue  # forgot to check out: closed for review below
            t_out = ends + self.rng.randrange(-15, 20) * MINUTE
            self.at(t_out, self._check, made, who, method, "out")
        closed: list[ServiceRecord] = []
        self.at(ends + HOUR, lambda: self._close(made, staff, closed))
        self.at(ends + DAY, self._review, closed, staff, attendees)

    def _check(self, made: dict[str, uuid.UUID], who: Who, method: CheckMethod, way: str) -> None:
        att, aid = self.svc.attendance, made["id"]
        if way == "in":
            if not att.check_in(activity_id=aid, person_id=who.pid, method=method).already:
                self.count("attendance")
            return
        out = att.check_out(activity_id=aid, person_id=who.pid, method=method)
        self.count("attendance")
        self.count("service_records")
        self.count("ledger_transactions", out.record.ledger_tx_id is not None)

    def _close(
        self, made: dict[str, uuid.UUID], staff: uuid.UUID, out: list[ServiceRecord]
    ) -> None:
        out.extend(self.svc.attendance.close_checkin(activity_id=made["id"], staff_id=staff))
        self.count("attendance", len(out))
        self.count("service_records", len(out))

    def _review(self, records: list[ServiceRecord], staff: uuid.UUID, planned: list[Who]) -> None:
        """Staff confirm every other forgotten check-out in full, in planned order.

        The store lists them in order of person id, which is random; the plan's order is not.
        """
        rank = {who.pid: i for i, who in enumerate(planned)}
        for rec in sorted(records, key=lambda r: rank[r.person_id])[::2]:
            approval = self.svc.attendance.approve_service(
                record_id=rec.id, staff_id=staff, minutes=rec.pending_minutes, note="已核实在场"
            )
            self.count("service_approvals")
            self.count("ledger_transactions", approval.ledger_tx_id is not None)

    def meals(self) -> None:
        """Residents served at the elderly canteens' meal points, about weekly."""
        for station_id, town_id in self.canteens:
            local = [r for r in self.residents if r.community.town_id == town_id] or self.residents
            for _ in range(max(2, len(self.residents) // 4)):
                when = self.moment(START + 7 * DAY, END).replace(hour=11, minute=30)
                for r in self.pick(local, when, self.rng.randrange(2, 7)):
                    self.at(when, self._served, r, station_id)

    def _served(self, who: Who, where: dict[str, uuid.UUID] | uuid.UUID) -> None:
        """``where`` is a planned activity (known by id once created) or a meal point."""
        activity = where["id"] if isinstance(where, dict) else None
        _, already = self.svc.attendance.record_served(
            person_id=who.pid,
            method=CheckMethod.ID_CARD,
            activity_id=activity,
            station_id=where if isinstance(where, uuid.UUID) else None,
        )
        self.count("beneficiary_visits", not already)

    # --- needs --------------------------------------------------------------------------
    def needs(self, n: int) -> None:
        for fate in self.rng.choices(list(_NEED_FATES), list(_NEED_FATES.values()), k=n):
            late = fate in ("posted", "claimed", "in_service")  # still open at the end
            lo = END - 14 * DAY if late else START + 7 * DAY
            posted = self.moment(lo, END - (7 if late else 10) * DAY)
            resident = self.pick(self.residents, posted)
            if resident:
                holder: dict[str, uuid.UUID] = {}
                for when, op, kw in self._need_plan(fate, posted, resident[0]):
                    self.at(when, self._need, op, kw, holder)

    def _need_plan(self, fate: str, posted: dt.datetime, resident: Who) -> list[Step]:
        category = self.rng.choice(list(NeedCategory))
        wished = self.moment(posted + DAY, posted + 6 * DAY)
        post: dict[str, object] = {
            "resident": resident,
            "category": category,
            "wished_at": wished,
            "description": self.rng.choice(nansha.NEED_PHRASES[category]),
            "staff_id": self.staff_or_none(0.4),
        }
        plan: list[Step] = [(posted, "post", post)]
        cancel: dict[str, object] = {"reason": self.rng.choice(nansha.NEED_CANCEL_REASONS)}
        if fate == "cancel":
            return [*plan, (posted + 3 * HOUR, "cancel", cancel)]
        if fate == "posted":
            return plan
        claimed = posted + self.rng.randrange(60, 20 * 60) * MINUTE
        helper = self.pick(self.helpers, claimed)
        if helper and self.rng.random() >= 0.35:
            plan.append((claimed, "claim", {"person": helper[0]}))
        else:
            plan.append((claimed, "claim", {"org_id": self.rng.choice(self.orgs).id}))
        if fate == "cancel_claimed":
            return [*plan, (claimed + 2 * HOUR, "cancel", cancel)]
        minutes = self.rng.randrange(2, 13) * 15
        completed = wished + minutes * MINUTE
        confirmed = completed + self.rng.randrange(10, 24 * 60) * MINUTE
        stars = self.rng.choices((5, 4, 3, 2), (70, 20, 7, 3))[0]
        steps: list[Step] = [
            (wished, "start", {}),
            (completed, "complete", {"service_minutes": minutes}),
            (confirmed, "confirm", {"staff_id": self.staff_or_none(0.5)}),
            (
                confirmed + self.rng.randrange(1, 48) * HOUR,
                "rate",
                {"stars": stars, "comment": self.rng.choice(nansha.RATING_COMMENTS)},
            ),
        ]
        return plan + steps[: _NEED_STAGES.index(fate)]

    def _need(self, op: str, kw: dict[str, object], holder: dict[str, uuid.UUID]) -> None:
        args = self.resolve(kw)
        if op == "post":
            holder["id"] = self.svc.needs.post(**args).id  # type: ignore[arg-type]
            self.count("needs")
            return
        need = getattr(self.svc.needs, op)(need_id=holder["id"], **args)
        if op == "confirm":
            self.count("ledger_transactions", need.ledger_tx_id is not None)
