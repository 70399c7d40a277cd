"""The ad policy's two yardsticks, compared on common seeds: steering on TACoS keeps ads that ACoS would cut."""

from __future__ import annotations

import numpy as np
from replicate import paired_t, replicate


def test_steering_on_tacos_keeps_ads_that_an_acos_target_would_cut(load) -> None:
    """At a 10% TACoS target a seller keeps buying clicks that an ACoS target would cut, because they count
    against all of a product's sales: more is spent, and TACoS moves toward its target."""
    runs = replicate(
        {
            "acos": load("solo_then_hire", "simulation.days=730"),
            "tacos": load("solo_then_hire", "simulation.days=730", "strategy.ads.steer_on=tacos"),
        },
        replications=20,
    )

    def total(arm: str, column: str) -> np.ndarray:
        return np.array([r.daily[column].iloc[200:].sum() for r in runs[arm]])  # past the first launch

    spend = {arm: total(arm, "ad_spend_usd") for arm in runs}
    assert paired_t(spend["tacos"], spend["acos"]) > 3
    tacos = {arm: spend[arm] / total(arm, "revenue_usd") for arm in runs}
    target = load("base").strategy.ads.target_tacos
    assert np.median(np.abs(tacos["tacos"] - target)) < np.median(np.abs(tacos["acos"] - target))
