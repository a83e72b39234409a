"""Helpers for the visits service's tests."""
