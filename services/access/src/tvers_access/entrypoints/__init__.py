"""How the outside reaches the access service: HTTP routes, and subscribers to other services'
events."""
