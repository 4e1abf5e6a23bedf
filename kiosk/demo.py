"""Demo data: eleven months of a Nansha time bank, made only through the services.

Training, screenshots and load tests need a store that looks lived in and obeys every rule,
so nothing here writes rows directly: each step is the call a kiosk or a staff member would
make, run in time order with the store's FixedClock set to the moment it happens (see
``kiosk.demo_plan``). The history runs from January to November 2026 whatever the clock
said before, and the clock is left at the end of November. Reference records get ids drawn
from the seeded generator, so the same seed gives the same place and organisation ids, the
same names and ID numbers, counts and balances on every machine.

Staff logins made here (document them for trainers): ``admin`` PIN ``123456`` and
``staff`` PIN ``2468``.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from pathlib import Path

from kiosk import nansha
from kiosk.clock import FixedClock
from kiosk.config import COIN
from kiosk.demo_plan import DAY, END, START, Step, Timeline, Who
from kiosk.errors import InsufficientBalance
from kiosk.ids import seeded_uuid7
from kiosk.services import Services
from kiosk.store.models import Community, Organisation, PersonKind, StationKind, SuggestionTarget
from kiosk.store.opening import save_identity

STAFF_LOGINS = (("陈站长", "admin", "123456"), ("黄社工", "staff", "2468"))
_WISH_FATES = {"submitted": 2, "rejected": 1, "published": 3, "claimed": 2, "contacted": 2}
_WISH_FATES |= {"fulfilled": 6}
_WISH_STAGES = ["submitted", "published", "claimed", "contacted", "fulfilled"]


def seed_demo(
    svc: Services,
    *,
    members: int = 200,
    activities: int = 20,
    checkins: int = 400,
    needs: int = 60,
    suggestions: int = 30,
    wishes: int = 15,
    seed: int = 1,
    data_dir: Path | None = None,
) -> dict[str, int]:
    """Fill an empty store; returns how many of each record kind it created.

    The keys are those of ``StatsService.record_counts`` (plus ``donations``, ``spends`` and
    ``grants``), so on an empty store the two agree. ``data_dir``, when given, receives the
    kiosk's new station in ``device.json``.
    """
    demo = _Demo.on(svc, seed)
    demo.reference(members, data_dir)
    demo.staff_accounts()
    demo.people(members)
    demo.activities(activities, checkins)
    demo.meals()
    demo.needs(needs)
    demo.coins(members)
    demo.suggestions(suggestions)
    demo.wishes(wishes)
    demo.run()
    demo.clock.set(END)
    return dict(sorted(demo.counts.items()))


def seed_reference(
    svc: Services, *, members: int = 200, seed: int = 1, data_dir: Path | None = None
) -> dict[str, int]:
    """Only the places, organisations and price list of ``seed_demo`` (same seed, same ids).

    The central server loads these so that it and the demo kiosks agree on every id.
    """
    demo = _Demo.on(svc, seed)
    demo.reference(members, data_dir)
    return dict(sorted(demo.counts.items()))


class _Demo(Timeline):
    @classmethod
    def on(cls, svc: Services, seed: int) -> _Demo:
        """The demo moves time itself, so it needs a clock it can set."""
        clock = svc.store.clock
        if not isinstance(clock, FixedClock):
            raise TypeError("the demo needs a store opened with a FixedClock")
        return cls(svc, clock, random.Random(seed))

    def _id(self) -> uuid.UUID:
        return seeded_uuid7(self.rng, int(self.clock.now().timestamp() * 1000))

    # --- reference data, station, staff: made at once, before the history ---------------
    def reference(self, members: int, data_dir: Path | None) -> None:
        self.clock.set(START - 4 * DAY)
        ref = self.svc.reference
        by_name: dict[str, Community] = {}
        for town_name, kind in nansha.TOWNS:
            town = ref.add_town(name=town_name, kind=kind, record_id=self._id())
            self.towns[town.id] = []
            for name, ckind in nansha.COMMUNITIES[town_name]:
                comm = ref.add_community(
                    town_id=town.id, name=name, kind=ckind, record_id=self._id()
                )
                self.towns[town.id].append(comm)
                by_name[name] = comm
        for comm_name, name, skind in nansha.STATIONS:
            comm = by_name[comm_name]
            station = ref.add_station(
                community_id=comm.id, name=name, kind=skind, record_id=self._id()
            )
            if skind == StationKind.CANTEEN:
                self.canteens.append((station.id, comm.town_id))
            if name == nansha.DEMO_STATION:
                self.svc.store.identity.station_id = station.id
        if data_dir is not None:
            save_identity(data_dir, self.svc.store.identity)
        town_ids = list(self.towns)
        for org_type, n in nansha.org_type_counts(max(5, members // 8)).items():
            for name in nansha.org_names(self.rng, org_type, n):
                self.orgs.append(
                    ref.add_organisation(
                        name=name,
                        org_type=org_type,
                        town_id=self.rng.choice(town_ids),
                        annual_quota=nansha.ORG_QUOTAS[org_type],
                        record_id=self._id(),
                    )
                )
        for name, coins in nansha.PRICE_LIST:
            self.prices.append(
                ref.add_price_item(name=name, price_minutes=coins * COIN, record_id=self._id())
            )
        self.count("towns", len(self.towns))
        self.count("communities", len(by_name))
        self.count("stations", len(nansha.STATIONS))
        self.count("organisations", len(self.orgs))
        self.count("price_items", len(self.prices))

    def staff_accounts(self) -> None:
        self.clock.set(START - 3 * DAY)
        for name, login, pin in STAFF_LOGINS:
            self.staff.append(self.svc.staff.create(name=name, login=login, pin=pin).id)
        self.count("staff_accounts", len(self.staff))

    # --- people -------------------------------------------------------------------------
    def people(self, members: int) -> None:
        plan = [(PersonKind.MEMBER, 1960, 2000)] * members
        plan += [(PersonKind.RESIDENT, 1930, 1960)] * max(4, members // 2)
        plan += [(PersonKind.VOLUNTEER, 1965, 2005)] * (members // 10)
        comms = [c for cs in self.towns.values() for c in cs]
        org_weights = [self.rng.uniform(0.5, 3) for _ in self.orgs]
        used: set[str] = set()
        for i, (kind, first, last) in enumerate(plan):
            younger = kind == PersonKind.RESIDENT and self.rng.random() < 0.15
            lo, hi = (1961, 1995) if younger else (first, last)  # younger: a household in need
            birth = dt.date(lo, 1, 1) + dt.timedelta(days=self.rng.randrange((hi - lo) * 365))
            male = self.rng.random() < 0.5
            number = nansha.id_number(self.rng, birth, male=male)
            while number in used:
                number = nansha.id_number(self.rng, birth, male=male)
            used.add(number)
            early = self.rng.random() < 0.7  # most joined when the kiosk opened
            who = Who(
                kind=kind,
                name=nansha.person_name(self.rng, elder=birth.year < 1960, rare=self._rare(i)),
                id_number=number,
                reg_at=self.moment(START, START + (12 * DAY if early else END - START - 30 * DAY)),
                community=self.rng.choice(comms),
                org_id=self._org(org_weights) if kind == PersonKind.MEMBER else None,
                hardship=kind == PersonKind.RESIDENT and self.rng.random() < 0.3,
                phone=self._phone() if self.rng.random() < 0.6 else None,
            )
            staff = self.staff_or_none(0.6 if kind == PersonKind.RESIDENT else 0.1)
            self.at(who.reg_at, self._register, who, staff)
            (self.residents if kind == PersonKind.RESIDENT else self.helpers).append(who)
            if kind == PersonKind.MEMBER:
                self.members.append(who)

    @staticmethod
    def _rare(i: int) -> str:
        """Every 47th person has a rare character, 䶮 first, so each run exercises them."""
        chars = nansha.RARE_GIVEN_CHARS
        return chars[i // 47 % len(chars)] if i % 47 == 3 else ""

    def _org(self, weights: list[float]) -> uuid.UUID:
        return self.rng.choices(self.orgs, weights)[0].id

    def _phone(self) -> str:
        return f"1{self.rng.choice('3578')}{self.rng.randrange(10**9):09d}"

    def _register(self, who: Who, staff: uuid.UUID | None) -> None:
        who.id = self.svc.people.register(
            name=who.name,
            kind=who.kind,
            id_number=who.id_number,
            phone=who.phone,
            org_id=who.org_id,
            community_id=who.community.id,
            hardship=who.hardship,
            staff_id=staff,
        ).id
        self.count(f"{who.kind}s")

    # --- coins: donations (二次公益), spending, grants from the pool ---------------------
    def coins(self, members: int) -> None:
        """Donors and spenders are tried in a drawn order; who has coins is known only then."""
        needy = [r for r in self.residents if r.hardship]
        for _ in range(max(2, members // 10)):
            when = self.moment(START + 60 * DAY, END - DAY)
            target = self.pick(needy, when) if self.rng.random() < 0.6 else []
            donors: list[Who | Organisation]
            if self.rng.random() < 0.2:
                donors = list(self.rng.sample(self.orgs, len(self.orgs)))
            else:
                donors = list(self.rng.sample(self.members, len(self.members)))
            share = self.rng.choice((0, 1, 2, 3))  # whole coins, or 0: everything they have
            self.at(when, self._donate, donors, target, share)
        spenders = needy + self.helpers
        for _ in range(max(2, len(self.residents) // 8)):
            when = self.moment(START + 90 * DAY, END)
            order = needy + self.rng.sample(spenders, len(spenders))
            pick = self.rng.randrange(len(self.prices))
            self.at(when, self._spend, order, pick)
        for _ in range(3):
            when = self.moment(END - 40 * DAY, END)
            for who in self.pick(needy, when):
                staff = self.rng.choice(self.staff)
                self.at(when, self._grant, who, staff)

    def _donate(self, donors: list[Who | Organisation], target: list[Who], share: int) -> None:
        ledger = self.svc.ledger
        for donor in donors:
            person = donor.id if isinstance(donor, Who) else None
            if isinstance(donor, Who) and person is None:
                continue  # not registered yet
            balance = (
                ledger.balance(donor.pid)
                if isinstance(donor, Who)
                else ledger.org_balance(donor.id)
            )
            if balance < COIN // 2:
                continue
            minutes = min(balance, share * COIN) if share else balance
            try:
                ledger.donate(
                    minutes=minutes,
                    from_person=person,
                    from_org=None if isinstance(donor, Who) else donor.id,
                    to_resident=target[0].pid if target else None,
                )
            except InsufficientBalance:  # cannot happen: checked above; never abort a seed
                return
            self.count("donations")
            self.count("ledger_transactions")
            return

    def _spend(self, order: list[Who], pick: int) -> None:
        for who in order:
            if who.id is None:
                continue
            balance = self.svc.ledger.balance(who.id)
            affordable = [p for p in self.prices if p.price_minutes <= balance]
            if affordable:
                item = affordable[pick % len(affordable)]
                self.svc.ledger.spend(person_id=who.id, price_item_id=item.id)
                self.count("spends")
                self.count("ledger_transactions")
                return

    def _grant(self, who: Who, staff: uuid.UUID) -> None:
        pool = self.svc.ledger.pool_balance()
        if pool >= COIN:
            minutes = min(pool, 2 * COIN)
            self.svc.ledger.grant(
                staff_id=staff, to_person=who.pid, minutes=minutes, reason="困难群众节日关爱"
            )
            self.count("grants")
            self.count("ledger_transactions")

    # --- suggestion box and micro-wishes ------------------------------------------------
    def suggestions(self, n: int) -> None:
        for _ in range(n):
            when = self.moment(START + 3 * DAY, END - DAY)
            to_town = self.rng.random() < 0.7
            texts = nansha.SUGGESTIONS_TO_TOWN if to_town else nansha.SUGGESTIONS_TO_ORG_DEPT
            kw: dict[str, object] = {
                "text": self.rng.choice(texts),
                "target": SuggestionTarget.TOWN if to_town else SuggestionTarget.ORG_DEPT,
                "town_id": self.rng.choice(list(self.towns)) if to_town else None,
                "contact": self._phone() if self.rng.random() < 0.4 else None,
            }
            author = self.pick(self.residents, when) if self.rng.random() < 0.3 else []
            made: dict[str, uuid.UUID] = {}
            self.at(when, self._suggest, kw, author, made)
            replied = when + self.rng.randrange(1, 6) * DAY
            if self.rng.random() < 0.6 and replied < END:
                reply = self.rng.choice(nansha.SUGGESTION_REPLIES)
                staff = self.rng.choice(self.staff)
                self.at(replied, self._reply, made, reply, staff)

    def _suggest(
        self, kw: dict[str, object], author: list[Who], made: dict[str, uuid.UUID]
    ) -> None:
        person = author[0].pid if author else None
        made["id"] = self.svc.suggestions.leave(person_id=person, **kw).id  # type: ignore[arg-type]
        self.count("suggestions")

    def _reply(self, made: dict[str, uuid.UUID], reply: str, staff: uuid.UUID) -> None:
        self.svc.suggestions.record_reply(suggestion_id=made["id"], reply=reply, staff_id=staff)

    def wishes(self, n: int) -> None:
        needy = [r for r in self.residents if r.hardship] or self.residents
        for fate in self.rng.choices(list(_WISH_FATES), list(_WISH_FATES.values()), k=n):
            late = fate in ("submitted", "published", "claimed")  # still waiting at the end
            lo, hi = (
                (END - 20 * DAY, END - 12 * DAY) if late else (START + 14 * DAY, END - 40 * DAY)
            )
            submitted = self.moment(lo, hi)
            verified = submitted + self.rng.randrange(1, 3) * DAY
            claimed = verified + self.rng.randrange(2, 10) * DAY
            contacted = claimed + self.rng.randrange(1, 6) * DAY  # within the 7-day window
            resident, member = self.pick(needy, submitted), self.pick(self.members, claimed)
            if not resident or not member:
                continue
            title, text = self.rng.choice(nansha.WISHES)
            staff = self.rng.choice(self.staff)
            plan: list[Step] = [
                (
                    submitted,
                    "submit",
                    {"resident": resident[0], "title": title, "description": text}
                    | {"staff_id": self.staff_or_none(0.5)},
                )
            ]
            if fate == "rejected":
                plan.append((verified, "verify", {"staff_id": staff, "approve": False}))
            else:
                who: dict[str, object] = {"member": member[0]}
                note: dict[str, object] = {"note": self.rng.choice(nansha.WISH_FULFIL_NOTES)}
                steps: list[Step] = [
                    (verified, "verify", {"staff_id": staff, "approve": True}),
                    (claimed, "claim", who),
                    (contacted, "mark_contacted", who),
                    (contacted + self.rng.randrange(3, 12) * DAY, "fulfil", who | note),
                ]
                plan += steps[: _WISH_STAGES.index(fate)]
            made: dict[str, uuid.UUID] = {}
            for when, op, kw in plan:
                self.at(when, self._wish, op, kw, made)

    def _wish(self, op: str, kw: dict[str, object], made: dict[str, uuid.UUID]) -> None:
        if op == "submit":
            made["id"] = self.svc.wishes.submit(**self.resolve(kw)).id  # type: ignore[arg-type]
            self.count("wishes")
        else:
            getattr(self.svc.wishes, op)(wish_id=made["id"], **self.resolve(kw))
