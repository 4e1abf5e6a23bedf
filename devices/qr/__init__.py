"""QR scanner family: serial framing, keyboard-wedge classifier, drivers, member tokens.

Nothing is imported here, so ``devices.qr.cli`` loads without pyserial or cryptography.
"""
