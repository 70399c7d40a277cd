"""Experiments over many runs: replications, the engine and its backends, statistics, provenance; then
comparisons of strategies, parameter sweeps and the check of the model against published figures."""
