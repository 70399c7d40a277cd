"""Comparing strategies: replications with common random numbers, intervals, and the report."""
