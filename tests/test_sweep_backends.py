"""The Dask backend gives exactly the local backend's results."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sellersim.experiments.sweep.runner import run_sweep

pytest.importorskip("distributed", reason="Dask is an optional extra: pip install '.[dask]'")

ROOT = Path(__file__).resolve().parents[1]


def test_dask_local_cluster_matches_the_local_pool(tmp_path: Path) -> None:
    solo = ROOT / "scenarios" / "strategies" / "solo_then_hire.yaml"
    spec = tmp_path / "sweep.yaml"
    spec.write_text(
        f"""name: backends
strategies: [{solo}]
parameters:
  - {{path: company.starting_cash_usd, low: 20000, high: 60000}}
  - {{path: market.niches.cpc_usd.median, low: 0.6, high: 1.6}}
design: {{kind: lhs, samples: 6}}
replications: 2
figures: [survived, cumulative_profit_usd]
seed: 9
days: 150
"""
    )
    local = run_sweep(spec, tmp_path / "local", workers=2)
    dask = run_sweep(spec, tmp_path / "dask", workers=2, backend="dask")
    assert dask.meta["backend"] == "dask" and dask.meta["runs_this_session"] == 12
    pd.testing.assert_frame_equal(local.summary, dask.summary)
