"""Kiosk core: domain model, local SQLite store and the services that record the time bank.

Nothing in this package imports Qt or ``ui``; the UI layer calls the services here.
"""

__version__ = "0.1.0"
