"""The market: niches, the product catalogue and the daily vectorised market."""
