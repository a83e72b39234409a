"""Benchmarks of Samarbeid på tvers: ``./tvers bench`` (or ``python -m benchmarks``)."""
