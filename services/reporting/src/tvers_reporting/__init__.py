"""The reporting service: every service's events projected into read models for the dashboard,
the JSON API and the yearly statistics."""
