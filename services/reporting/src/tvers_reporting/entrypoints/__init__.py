"""How the outside reaches the reporting service: the JSON API and the dashboard page."""
