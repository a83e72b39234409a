"""Helpers for the reporting service's tests (and the end-to-end tests that read its pages)."""
