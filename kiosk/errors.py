"""Typed domain errors.

Every service raises one of these for bad input. ``message`` is plain Chinese fit for a
resident's screen; ``detail`` is the precise English reason for logs (never personal data).
"""

from __future__ import annotations


class TimebankError(Exception):
    """Base of every refusal a service can give; the operation wrote nothing."""

    code = "error"

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail or message

    def __str__(self) -> str:
        return self.message


class ValidationError(TimebankError):
    code = "invalid"


class NotFound(TimebankError):
    code = "not_found"


class RuleViolation(TimebankError):
    """The input is well formed but a time-bank rule forbids it."""

    code = "rule"


class InvalidTransition(RuleViolation):
    """A lifecycle (need, wish, activity) does not allow this step from its current state."""

    code = "transition"


class AlreadyClaimed(RuleViolation):
    code = "already_claimed"


class InsufficientBalance(RuleViolation):
    code = "insufficient_balance"


class AuthError(TimebankError):
    code = "auth"


class StaffLocked(AuthError):
    code = "locked"


class StoreFault(TimebankError):
    """The local store is damaged or could not be opened."""

    code = "store"
