"""Deterministic demo data for Ålesund, filled in through the services' public HTTP APIs."""
