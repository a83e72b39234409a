"""PostgreSQL plumbing shared by every service: connection pools and versioned migrations."""
