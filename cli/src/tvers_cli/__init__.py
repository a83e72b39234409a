"""``tvers``: starts the whole system (embedded NATS and PostgreSQL, every service), fills it
with demo data, and issues tokens."""
