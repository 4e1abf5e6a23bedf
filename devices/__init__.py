"""Device drivers: ID card reader, QR scanner, receipt printer.

Each family has an abstract interface, a Dummy that ships in the product, pure framing
functions tested with bytes, and a thin transport that opens ports by pyserial URL.
Nothing here imports the kiosk services or Qt; consumers receive typed events.
"""
