"""Adapters of the volunteers service: the personal-data vault (:mod:`.vault`)."""
