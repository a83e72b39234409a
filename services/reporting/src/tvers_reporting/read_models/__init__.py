"""Read models of the reporting service: projections of other services' events."""
