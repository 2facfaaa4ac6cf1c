"""A synthetic Chinese bank for development, demonstration and benchmarks, written as day-end feeds."""
