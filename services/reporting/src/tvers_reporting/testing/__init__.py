"""Helpers for the reporting service's tests."""
