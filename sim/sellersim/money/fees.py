"""Amazon's US fee schedule applied to arrays of products.

The numbers come from the scenario's ``fees`` section; this module only knows
how the schedule is shaped (tiers by size and weight, yearly changes, storage by
season, aged-inventory tiers).
"""

from __future__ import annotations

import numpy as np

from sellersim.scenario.schema import Fees

_LB_PER_4OZ = 0.25


class FeeSchedule:
    """Vectorised fee calculations for one scenario's fee table."""

    def __init__(self, fees: Fees) -> None:
        self.fees = fees
        self._small_w = np.array([t.max_weight_lb for t in fees.fba_small_standard])
        self._small_fee = np.array([t.fee_usd for t in fees.fba_small_standard])
        self._large_w = np.array([t.max_weight_lb for t in fees.fba_large_standard])
        self._large_fee = np.array([t.fee_usd for t in fees.fba_large_standard])
        self._per_4oz_from_lb = self._large_w[-2] if len(self._large_w) > 1 else 0.0
        self._aged_age = np.array([t.min_age_days for t in fees.aged_surcharge])
        self._aged_rate = np.array([t.usd_per_cuft for t in fees.aged_surcharge])

    def referral_per_unit(self, price_usd: np.ndarray) -> np.ndarray:
        """Referral fee per unit sold: a share of the price with a per-item minimum."""
        return np.maximum(self.fees.referral_rate * price_usd, self.fees.referral_min_usd)

    def refund_admin_per_unit(self, referral_usd: np.ndarray) -> np.ndarray:
        """Part of the referral fee Amazon keeps when it refunds a unit."""
        return np.minimum(self.fees.refund_admin_share * referral_usd, self.fees.refund_admin_max_usd)

    def fba_per_unit(self, weight_lb: np.ndarray, small_standard: np.ndarray, year: int) -> np.ndarray:
        """Fulfilment fee per unit by size tier and shipping weight, in force in ``year``.

        Small-standard items heavier than the table's last tier are charged as large standard.
        The last large-standard tier adds a fee per started 4 oz above the tier before it (3 lb on
        Amazon's card).
        """
        weight_lb = np.asarray(weight_lb, dtype=float)
        small = np.asarray(small_standard, dtype=bool) & (weight_lb <= self._small_w[-1])
        si = np.minimum(np.searchsorted(self._small_w, weight_lb, side="left"), len(self._small_w) - 1)
        li = np.minimum(np.searchsorted(self._large_w, weight_lb, side="left"), len(self._large_w) - 1)
        large = self._large_fee[li] + self.fees.fba_large_standard_per_4oz_above_usd * np.ceil(
            np.maximum(weight_lb - self._per_4oz_from_lb, 0.0) / _LB_PER_4OZ
        )
        fee = np.where(small, self._small_fee[si], large)
        change = sum(v for y, v in self.fees.fba_increase_by_year_usd.items() if y <= year)
        return fee + change

    def storage_rate(self, q4: bool) -> float:
        """Monthly storage fee per cubic foot (Oct-Dec rate when ``q4``)."""
        return self.fees.storage_q4_usd_per_cuft_month if q4 else self.fees.storage_usd_per_cuft_month

    def aged_rate(self, age_days: np.ndarray) -> np.ndarray:
        """Monthly aged-inventory surcharge per cubic foot for units of the given ages."""
        tier = np.searchsorted(self._aged_age, age_days, side="right") - 1
        return np.where(tier >= 0, self._aged_rate[np.maximum(tier, 0)], 0.0)
