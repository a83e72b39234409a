"""How the outside reaches the access service: HTTP routes."""
