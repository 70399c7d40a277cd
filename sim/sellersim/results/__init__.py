"""Result types and the folders they are written to: one run, a comparison, a sweep, the figure registry."""
