"""Operator commands: status, rebuild, replay, dead letters, keys, backup and restore."""
