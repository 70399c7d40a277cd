"""The named metrics staffing conditions read, computed from the model's record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sellersim.domains import DOMAIN_INDEX
from sellersim.scenario.schema import FOUNDER

if TYPE_CHECKING:
    from sellersim.model import SellerModel

_MONTH_DAYS = 30
_DEFAULTS = {
    "monthly_revenue_usd": 1,
    "monthly_profit_usd": 1,
    "monthly_sde_usd": 1,
    "founder_load": 4,
    "months_profitable": 3,
}


class CompanyMetrics:
    """Implements :class:`sellersim.strategy.conditions.MetricSource` over a running model."""

    def __init__(self, model: SellerModel) -> None:
        self.model = model

    def metric(self, name: str, args: tuple[Any, ...], role: str) -> float:
        """Value of metric ``name`` today; names and arguments were checked at load time."""
        m = self.model
        day = m.day
        arg = args[0] if args else _DEFAULTS.get(name)
        match name:
            case "day":
                return float(day)
            case "cash_usd":
                return m.ledger.cash_usd
            case "monthly_revenue_usd":
                return self._monthly_average(m.recorder.daily["revenue_usd"], day, arg)
            case "monthly_profit_usd":
                return self._monthly_average(m.recorder.daily["profit_usd"], day, arg)
            case "monthly_sde_usd":
                return self._monthly_average(m.recorder.daily["sde_usd"], day, arg)
            case "founder_burnout":
                return m.founder.burnout
            case "months_profitable":
                profit = m.recorder.daily["profit_usd"][:day][::-1]
                months = [profit[k * _MONTH_DAYS : (k + 1) * _MONTH_DAYS].sum() for k in range(arg)]
                return float(sum(1 for k, p in enumerate(months) if p > 0 and (k + 1) * _MONTH_DAYS <= day))
            case "founder_load":
                loads = m.recorder.founder_loads[-arg:]
                return float(np.mean(loads)) if loads else 0.0
            case "service_level":
                return float(m.workload.service[DOMAIN_INDEX[arg]])
            case "backlog_hours":
                return float(m.workload.backlog[DOMAIN_INDEX[arg]])
            case "staff":
                return float(m.staff_count(arg))
            case "salary_usd":
                if (arg or role) == FOUNDER:
                    return m.config.strategy.owner_pay.usd_per_month
                return m.config.roles[arg or role].salary_usd_per_month
            case "param":
                return m.config.strategy.parameters[arg]
            case "live_products":
                return float(m.listed_products)
        raise KeyError(name)

    @staticmethod
    def _monthly_average(series: np.ndarray, day: int, months: int) -> float:
        """Average 30-day total over the last ``months`` months (fewer while the company is young)."""
        window = series[max(0, day - months * _MONTH_DAYS) : day]
        if len(window) < _MONTH_DAYS:
            return 0.0
        return float(window.mean() * _MONTH_DAYS)
