"""Pricing: the company holds each product's price against what its niche pays for such a product.

A product's reference price is its niche's price with the premium its differentiation earns::

    reference = niche price * (1 + differentiation_price_premium * differentiation)

Development sets a launch price at ``index * reference`` (a product's own pricing position, drawn at
launch); conversion falls as price rises above the reference (:func:`sellersim.market.daily.conversion_rate`).
Sellers follow their market to keep converting, so each week, after copycats have cut the niche's
price and differentiation has been copied, refreshed or has aged, the company moves its price back
to ``index * reference``, and the referral fee moves with the price.

Time model: none; the model calls :func:`reprice` once a week, after everything that moves a
reference price.
"""

from __future__ import annotations

import numpy as np

from sellersim.market.catalog import Catalog
from sellersim.money.fees import FeeSchedule
from sellersim.scenario.schema import Conversion


def reference_price_usd(catalog: Catalog, conversion: Conversion) -> np.ndarray:
    """What each product's niche pays for it: the niche's price with its differentiation's premium."""
    return catalog.niche_price_usd * (1 + conversion.differentiation_price_premium * catalog.differentiation)


def unit_margin_usd(catalog: Catalog) -> np.ndarray:
    """What each unit sold earns before ads: price less the referral and FBA fees and the landed cost."""
    return catalog.price_usd - catalog.referral_usd - catalog.fba_fee_usd - catalog.landed_usd


def reprice(catalog: Catalog, conversion: Conversion, fees: FeeSchedule) -> None:
    """Move every product's price to its pricing position against today's reference, and its referral fee."""
    if not catalog.n:
        return
    catalog.price_usd[:] = catalog.price_index * reference_price_usd(catalog, conversion)
    catalog.referral_usd[:] = fees.referral_per_unit(catalog.price_usd)
    catalog.revise()
