"""The visits domain: pure rules, no I/O. Classes and counts only, never a child's name."""
