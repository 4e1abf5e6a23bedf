"""qr family."""
