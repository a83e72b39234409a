"""Helpers for tests (and the demo) of the visits service, through its own HTTP API."""
