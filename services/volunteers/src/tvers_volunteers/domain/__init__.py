"""The volunteers domain: pure rules, no I/O. Volunteers are opaque ids here."""
