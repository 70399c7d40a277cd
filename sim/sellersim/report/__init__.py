"""HTML reports: each takes a result object and returns one self-contained page as a string."""
