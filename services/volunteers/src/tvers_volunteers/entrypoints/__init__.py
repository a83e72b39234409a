"""How the outside reaches the volunteers service: HTTP routes."""
