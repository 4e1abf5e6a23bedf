"""The kiosk's local SQLite store: models, engine set-up, migrations and repositories."""
