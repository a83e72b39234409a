"""Helpers for the volunteers service's tests."""
