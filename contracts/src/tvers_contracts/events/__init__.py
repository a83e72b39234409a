"""The published events, grouped by the service that owns them. Only the owner publishes them."""
