"""How the outside reaches the visits service: HTTP routes."""
