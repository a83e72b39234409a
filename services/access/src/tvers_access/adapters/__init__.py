"""Adapters of the access service: what the domain needs from outside."""
