"""Monthly FBA storage fees and the aged-inventory surcharge."""

from __future__ import annotations

import numpy as np

from sellersim.calendar import SimCalendar
from sellersim.market.catalog import Catalog
from sellersim.money.fees import FeeSchedule
from sellersim.money.ledger import AMAZON, Ledger

_AGED_ASSESSMENT_DAY = 15  # of each month


class StorageBilling:
    """Accrues cubic-foot days of stock daily and bills Amazon's storage fees monthly."""

    def __init__(self, *, catalog: Catalog, fees: FeeSchedule, ledger: Ledger, calendar: SimCalendar) -> None:
        self.catalog = catalog
        self.fees = fees
        self.ledger = ledger
        self.calendar = calendar
        self._cuft_days = 0.0

    def end_of_day(self, day: int) -> None:
        """Accrue today's stock volume; bill storage on the month's last day, aged stock mid-month."""
        cat, cal = self.catalog, self.calendar
        self._cuft_days += float(np.add.reduce(cat.stock * cat.cuft))
        if cal.day_of_month[day + 1] == 1:
            rate = self.fees.storage_rate(cal.is_q4(day))
            days_in_month = int(cal.day_of_month[day])
            self.ledger.post(day, AMAZON, "storage_fee", -self._cuft_days / days_in_month * rate)
            self._cuft_days = 0.0
        if cal.day_of_month[day] == _AGED_ASSESSMENT_DAY and cat.n:
            age = day - cat.lot_day
            cuft = cat.lot_units * cat.cuft[:, None]
            surcharge = float(np.sum(cuft * self.fees.aged_rate(age)))
            self.ledger.post(day, AMAZON, "aged_inventory_fee", -surcharge)
