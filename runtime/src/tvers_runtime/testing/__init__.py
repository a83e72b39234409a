"""Test support: real PostgreSQL and NATS JetStream for integration tests (a pytest plugin)."""
