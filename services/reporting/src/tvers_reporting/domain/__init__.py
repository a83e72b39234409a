"""The reporting service's pure rules: no I/O, fed by the read models' queries."""
