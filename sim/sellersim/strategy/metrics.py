"""The named metrics staffing and owner's-pay conditions read, computed from the company's books and record."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from sellersim.domains import DOMAIN_INDEX
from sellersim.money.ledger import Ledger
from sellersim.people.agents import Person
from sellersim.people.work import Workload
from sellersim.scenario.conditions import DEFAULT_WINDOWS
from sellersim.scenario.schema import FOUNDER

_MONTH_DAYS = 30


class CompanyMetrics:
    """Implements :class:`sellersim.scenario.conditions.MetricSource` over the running company."""

    def __init__(
        self,
        *,
        today: Callable[[], int],
        ledger: Ledger,
        daily: Mapping[str, np.ndarray],
        founder_loads: Sequence[float],
        founder: Person,
        workload: Workload,
        headcount: Callable[[str | None], int],
        salary_usd_per_month: Mapping[str, float],
        owner_pay_usd_per_month: float,
        params: Mapping[str, float],
        listed_products: Callable[[], int],
    ) -> None:
        """``today``: the current day (0 on the first day); ``ledger``: the company's cash; ``daily``: the daily
        record's series by column (filled up to yesterday); ``founder_loads``: the founder's weekly loads so far;
        ``founder``: whose burnout is read; ``workload``: service levels and backlogs by domain; ``headcount``:
        employees in a role (all when None); ``salary_usd_per_month``: each role's salary;
        ``owner_pay_usd_per_month``: the founder's pay when granted; ``params``: the strategy's named numbers;
        ``listed_products``: products on sale or waiting for their first stock."""
        self.today = today
        self.ledger = ledger
        self.daily = daily
        self.founder_loads = founder_loads
        self.founder = founder
        self.workload = workload
        self.headcount = headcount
        self.salary_usd_per_month = salary_usd_per_month
        self.owner_pay_usd_per_month = owner_pay_usd_per_month
        self.params = params
        self.listed_products = listed_products

    def metric(self, name: str, args: tuple[Any, ...], role: str) -> float:
        """Value of metric ``name`` today; names and arguments were checked at load time."""
        day = self.today()
        daily = self.daily
        arg = args[0] if args else DEFAULT_WINDOWS.get(name)
        match name:
            case "day":
                return float(day)
            case "cash_usd":
                return self.ledger.cash_usd
            case "monthly_revenue_usd":
                return self._monthly_average(daily["revenue_usd"], day, arg)
            case "monthly_profit_usd":
                return self._monthly_average(daily["profit_usd"], day, arg)
            case "monthly_sde_usd":
                return self._monthly_average(daily["sde_usd"], day, arg)
            case "founder_burnout":
                return self.founder.burnout
            case "months_profitable":
                profit = daily["profit_usd"][:day][::-1]
                months = [profit[k * _MONTH_DAYS : (k + 1) * _MONTH_DAYS].sum() for k in range(arg)]
                return float(sum(1 for k, p in enumerate(months) if p > 0 and (k + 1) * _MONTH_DAYS <= day))
            case "founder_load":
                loads = self.founder_loads[-arg:]
                return float(np.mean(loads)) if loads else 0.0
            case "service_level":
                return float(self.workload.service[DOMAIN_INDEX[arg]])
            case "backlog_hours":
                return float(self.workload.backlog[DOMAIN_INDEX[arg]])
            case "staff":
                return float(self.headcount(arg))
            case "salary_usd":
                if (arg or role) == FOUNDER:
                    return self.owner_pay_usd_per_month
                return self.salary_usd_per_month[arg or role]
            case "param":
                return self.params[arg]
            case "live_products":
                return float(self.listed_products())
        raise KeyError(name)

    @staticmethod
    def _monthly_average(series: np.ndarray, day: int, months: int) -> float:
        """Average 30-day total over the last ``months`` months (fewer while the company is young)."""
        window = series[max(0, day - months * _MONTH_DAYS) : day]
        if len(window) < _MONTH_DAYS:
            return 0.0
        return float(window.sum()) / len(window) * _MONTH_DAYS  # window.mean() * 30, without mean's overhead
