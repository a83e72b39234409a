"""Adapters of the volunteers service (the personal-data vault comes with the volunteers issue)."""
