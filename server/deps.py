"""Request-scoped dependencies shared by the API modules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session

from server.auth import AuthFailure, admin_ok


class ApiError(Exception):
    """A refusal answered as a ``Problem`` with this status; never a 500."""

    def __init__(self, status: int, code: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.code = code
        self.reason = reason


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


Db = Annotated[Session, Depends(get_session)]


def require_admin(session: Db, authorization: Annotated[str | None, Header()] = None) -> None:
    """The district's admin token (``Authorization: Bearer ...``), shown once at init."""
    with session.begin():
        if not admin_ok(session, authorization):
            raise AuthFailure("admin_only", "admin token missing or wrong", status=401)


Admin = Depends(require_admin)
