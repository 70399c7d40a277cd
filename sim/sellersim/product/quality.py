"""How a product's quality follows the care it gets after launch.

A listing's quality (copy, images, A+ content) drifts each week toward what the
listing, image and design work being done supports: its launch quality when that
work is fully done, ``listing_quality_untended`` of it when nobody does it. A
product's differentiation drifts toward what design's refresh work (a new
variation, a bundle, an improved version) supports: its launch differentiation when
that work is done, ``differentiation_untended`` of it when not, as rivals' newer
products catch up; the same refresh wins back what copycats copied
(:mod:`sellersim.market.rivals`). A product's defect rate drifts toward what
procurement follow-up supports. Each moves a share of the gap a week, so neglect
shows with a delay and care takes as long to undo it.
"""

from __future__ import annotations

import numpy as np

from sellersim.domains import DOMAIN_INDEX
from sellersim.market.catalog import Catalog
from sellersim.scenario.schema import Supply, Work

_LISTING, _VISION, _DESIGN, _PROCUREMENT = (DOMAIN_INDEX[d] for d in ("listing", "vision", "design", "procurement"))


def drift_quality(catalog: Catalog, service: np.ndarray, work: Work, supply: Supply) -> None:
    """Move every product's listing quality, differentiation and defect rate one week toward their targets."""
    care = (service[_LISTING] + service[_VISION] + service[_DESIGN]) / 3
    floor = work.listing_quality_untended
    target = catalog.launch_listing_quality * (floor + (1 - floor) * care)
    catalog.listing_quality += work.listing_drift_per_week * (target - catalog.listing_quality)
    kept = work.differentiation_untended + (1 - work.differentiation_untended) * service[_DESIGN]
    target_diff = catalog.launch_differentiation * kept
    catalog.differentiation += work.differentiation_drift_per_week * (target_diff - catalog.differentiation)
    best, untended = supply.defect_rate_best, supply.defect_rate_untended
    target_defect = best + (untended - best) * (1 - service[_PROCUREMENT])
    catalog.defect_rate += work.defect_drift_per_week * (target_defect - catalog.defect_rate)
    catalog.revise()
