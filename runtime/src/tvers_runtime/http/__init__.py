"""HTTP plumbing every service shares: authorisation, errors, correlation ids, health."""
