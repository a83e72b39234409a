"""Operator commands of ``tvers`` beyond starting the system."""
