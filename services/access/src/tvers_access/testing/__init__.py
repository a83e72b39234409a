"""Test doubles and peers for the access service: used by its tests and by the demo."""
