"""The product catalogue as columns of numpy arrays (one row per product).

Products are only ever added, never removed, so a row index is a stable
product id. Each column attribute (``catalog.stock``, ``catalog.rank``...) is a
view of exactly the :attr:`n` products listed, so the market reads whole columns
without slicing; the storage behind the views grows by doubling, and the views
are rebound when a product is added. Hold a column across an :meth:`Catalog.add`
and it misses the new row: read it from the catalogue again. A product's status
only ever moves from awaiting its first stock to live, and from live to delisted
once it has been retired and its stock cleared (:mod:`sellersim.product.retirement`).

:attr:`Catalog.revision` counts changes to the columns the market derives
figures from (a new product, listing quality, price, fees, design, defect
rates, reviews set by hand): whoever writes one of them outside the market's
daily update calls :meth:`Catalog.revise`, so the market can keep each
product's conversion rate and return odds until something they depend on has
changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

AWAITING, LIVE, DELISTED = 0, 1, 2
COHORTS = 12  # FIFO stock lots kept per product for aged-inventory fees

_FLOAT_COLUMNS = (
    # niche
    "sessions_per_day", "niche_price_usd", "cpc_usd", "base_conversion", "competitor_units_per_day",
    "max_organic_share", "return_rate", "weight_lb", "cuft", "expected_units_per_day",
    "growth_per_year", "growth_seen_per_year",
    "copycat_share",  # share of the niche rivals' units a day that its copycats sell (market.rivals)
    "reception",  # how buyers take to the product: its conversion over its niche's listings
    # product
    "planned_units_per_day", "fob_usd", "defect_rate", "batch_defect_rate", "differentiation", "launch_differentiation",
    "listing_quality", "launch_listing_quality",
    # state
    "price_index", "rank", "star_sum", "ad_budget_usd",
    "ad_spend_period_usd", "ad_sales_period_usd", "revenue_period_usd", "storage_cuft_days", "search_terms_learned",
)  # fmt: skip
# float columns kept side by side (a group is an n x k block), so the market sums or updates them in one step
_FLOAT_GROUPS = {
    "unit_usd": ("price_usd", "landed_usd", "referral_usd", "fba_fee_usd"),  # money per unit sold
    "velocities": ("velocity", "velocity_30", "velocity_90"),  # units sold a day, smoothed over three spans
}
_INT_COLUMNS = (
    "status", "small_standard", "launch_day", "reviews", "stock", "inbound",
    "received", "sold", "restocked", "warehouse_lost", "written_off", "given_away", "removed", "ordered",
    "stockout_since", "copycats", "retired_day", "reopen_day",
)  # fmt: skip


@dataclass(frozen=True)
class NewProduct:
    """What development hands over when a product's first order is placed."""

    name: str
    niche: dict[str, float]
    price_usd: float
    price_index: float  # price over the niche's reference price for the product (market.pricing)
    fob_usd: float
    defect_rate: float
    differentiation: float
    listing_quality: float
    fba_fee_usd: float
    referral_usd: float


class Catalog:
    """Column store of every product the company has listed."""

    def __init__(self, capacity: int = 16) -> None:
        self.n = 0
        self.write_off_usd = 0.0  # landed cost of units given away, removed or lost, not yet booked
        self.names: list[str] = []
        self.revision = 0
        self._store: dict[str, np.ndarray] = {
            **{col: np.zeros(capacity) for col in _FLOAT_COLUMNS},
            **{col: np.zeros(capacity, dtype=np.int64) for col in _INT_COLUMNS},
            **{group: np.zeros((capacity, len(cols))) for group, cols in _FLOAT_GROUPS.items()},
            "lot_units": np.zeros((capacity, COHORTS), dtype=np.int64),  # FIFO lots, oldest first
            "lot_day": np.zeros((capacity, COHORTS), dtype=np.int64),
        }
        self._bind()

    def _bind(self) -> None:
        """Point every column (and group) attribute at the first ``n`` rows of its storage."""
        for col, stored in self._store.items():
            setattr(self, col, stored[: self.n])
        for group, cols in _FLOAT_GROUPS.items():
            block = getattr(self, group)
            for k, col in enumerate(cols):
                setattr(self, col, block[:, k])

    def revise(self) -> None:
        """Note that a column the market derives figures from has changed (see the module docstring)."""
        self.revision += 1

    def add(self, product: NewProduct, rank: float, ad_budget_usd: float) -> int:
        """Add a listing awaiting its first stock; return its product id."""
        i = self.n
        if i == len(self._store["stock"]):
            for col, old in self._store.items():
                grown = np.zeros((max(2 * len(old), 1), *old.shape[1:]), dtype=old.dtype)
                grown[:i] = old
                self._store[col] = grown
        self.n += 1
        self._bind()
        self.revise()
        self.names.append(product.name)
        for key, value in product.niche.items():
            getattr(self, key)[i] = value
        self.price_usd[i] = product.price_usd
        self.price_index[i] = product.price_index
        self.fob_usd[i] = product.fob_usd
        self.defect_rate[i] = product.defect_rate
        self.differentiation[i] = product.differentiation
        self.launch_differentiation[i] = product.differentiation
        self.listing_quality[i] = product.listing_quality
        self.launch_listing_quality[i] = product.listing_quality
        self.fba_fee_usd[i] = product.fba_fee_usd
        self.referral_usd[i] = product.referral_usd
        self.rank[i] = rank
        self.ad_budget_usd[i] = ad_budget_usd
        self.status[i] = AWAITING
        self.launch_day[i] = -1
        self.stockout_since[i] = -1
        self.retired_day[i] = -1
        return i

    @property
    def listed(self) -> int:
        """Products on the company's books: awaiting stock, on sale or being cleared (not delisted)."""
        return int(np.count_nonzero(self.status != DELISTED))

    def launching(self, day: int, launch_period_days: int) -> int:
        """Products waiting for their first stock, or on sale for less than ``launch_period_days``."""
        on_sale = (self.status == LIVE) & (day - self.launch_day < launch_period_days)
        return int(np.count_nonzero(on_sale) + np.count_nonzero(self.status == AWAITING))

    # --- stock lots (FIFO) --------------------------------------------------------

    def receive(self, i: int, units: int, day: int, landed_usd: float) -> None:
        """Put ``units`` into sellable stock as a new lot and update the average landed cost."""
        on_hand = self.stock[i]
        self.landed_usd[i] = (self.landed_usd[i] * on_hand + landed_usd * units) / max(on_hand + units, 1)
        self.stock[i] += units
        lots, days = self.lot_units[i], self.lot_day[i]
        occupied = np.flatnonzero(lots)
        if len(occupied) == COHORTS:  # merge the two oldest lots, keeping the older date
            lots[1] += lots[0]
            days[1] = days[0]
            lots[0] = 0
            occupied = occupied[1:]
        keep_units, keep_days = lots[occupied].copy(), days[occupied].copy()
        lots[:] = 0
        k = len(occupied)
        lots[:k], days[:k] = keep_units, keep_days
        lots[k], days[k] = units, day

    def remove_fifo(self, units: np.ndarray) -> None:
        """Take ``units`` (one count per in-use product) out of the oldest lots first."""
        lots = self.lot_units
        before = lots.cumsum(axis=1) - lots  # units in older lots
        take = np.minimum(np.maximum(units[:, None] - before, 0), lots)
        lots -= take
        self.stock -= units

    def write_off_lots(self, i: int, units: int) -> None:
        """Take ``units`` of product ``i`` out of its oldest lots for good (giveaways, removals)
        and book their landed cost as a write-off."""
        self.write_off_usd += units * self.landed_usd[i]
        take = np.zeros(self.n, dtype=np.int64)
        take[i] = units
        self.remove_fifo(take)

    def units_older_than(self, products: Sequence[int] | np.ndarray, day: int, age_days: int) -> np.ndarray:
        """Units of each of ``products`` in lots received more than ``age_days`` before ``day``."""
        old = day - self.lot_day[products] > age_days
        return (self.lot_units[products] * old).sum(axis=1)

    def return_to_stock(self, units: np.ndarray, day: int) -> None:
        """Put resellable returns back into each product's newest lot (a new lot if it has none)."""
        idx = units.nonzero()[0]
        held = self.lot_units[idx].cumsum(axis=1)
        newest = held.argmax(axis=1)  # where the running total last grows: the newest non-empty lot, else 0
        self.lot_day[idx[held[:, -1] == 0], 0] = day
        self.lot_units[idx, newest] += units[idx]
        self.stock += units
