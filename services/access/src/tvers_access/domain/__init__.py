"""The access domain: pure rules, no I/O. Branches and their schedules, doors, agreements, and
the decision at the door."""
