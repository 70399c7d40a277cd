"""Parameter sweeps: designs, a resumable store, sensitivity analysis and backends."""
