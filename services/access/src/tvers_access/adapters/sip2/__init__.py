"""The SIP2 client: the door asks the library system about a card and PIN (23/24, after 93/94)."""
