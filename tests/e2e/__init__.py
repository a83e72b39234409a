"""End-to-end tests: a package, so that one running system can serve several of its modules."""
