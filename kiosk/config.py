"""Rules and settings with the defaults the time-bank rules call for.

Every number a rule depends on lives here, so a district can change a rule without code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

COIN = 60  # minutes in one time coin
ENROLMENT_FILE = "sync.json"  # in the data directory once the kiosk has enrolled
QR_KEYS_FILE = "qr_keys.json"  # the member-QR public keys enrolment received


@dataclass(frozen=True)
class Rules:
    max_pairs_per_day: int = 3  # check-in/out pairs per person per activity per day
    auto_credit_minutes_per_day: int = 8 * 60  # beyond this, staff approve
    award_step_minutes: int = COIN // 2  # awards in half-coin steps
    storage_cap_minutes: int = 1500 * COIN  # excess earnings go to the welfare pool
    wish_contact_days: int = 7
    staff_max_failures: int = 5
    staff_lock_minutes: int = 5
    checkin_early_minutes: int = 60  # self check-in opens this long before the start
    max_need_minutes: int = 12 * 60  # one need's service time, as reported at completion
    undo_minutes: int = 10  # a check-in can be taken back this long after it was made


def default_data_dir() -> Path:
    env = os.environ.get("TIMEBANK_DATA_DIR")
    if env:
        return Path(env)
    return Path.home() / ".local" / "share" / "timebank"
