"""Builders for the visits service's tests and benchmarks."""
