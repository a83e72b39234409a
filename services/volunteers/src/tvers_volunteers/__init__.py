"""The volunteers service: bibliotekvenn hosts for meirope hours."""
