"""Runnable benchmarks; each prints its figures and a last summary line."""
