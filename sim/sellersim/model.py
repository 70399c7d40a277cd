"""The seller company: a Mesa model that wires the parts together on a SimPy clock.

One :meth:`SellerModel.step` is one calendar day:

1. the month's FBA capacity limit is set on its first day; the SimPy clock runs through the day
   (purchase orders, freight, AWD, receiving, payouts, recruiting);
2. the market sells for every product at once, and Amazon bills storage (FBA's and AWD's);
3. on Mondays the people work the week: work is created and shared out, and
   service levels, development projects, burnout and quits follow;
4. policies act: reorders, ad budgets, launches, retirements, staffing rules, monthly bills and the
   owner's pay;
5. the day is recorded once, and the company fails if cash falls below its floor.
"""

from __future__ import annotations

from collections import Counter

import mesa
import numpy as np
import simpy

from sellersim.calendar import SimCalendar
from sellersim.domains import DOMAIN_INDEX, DOMAINS
from sellersim.events import EventLog
from sellersim.market.catalog import LIVE, Catalog
from sellersim.market.daily import Market, MarketDay
from sellersim.market.pricing import reprice
from sellersim.market.rivals import Rivals
from sellersim.market.trends import NicheTrends
from sellersim.money.bills import MonthlyBills
from sellersim.money.credit import CreditLine
from sellersim.money.fees import FeeSchedule
from sellersim.money.income import income_statement
from sellersim.money.ledger import Ledger
from sellersim.money.lending import InventoryLender
from sellersim.money.payouts import PayoutCycle
from sellersim.money.storage import StorageBilling
from sellersim.money.tax import IncomeTax
from sellersim.people.agents import Employee, Founder, Person
from sellersim.people.hiring import Recruiter
from sellersim.people.work import WeekAhead, Workload, quitters, work_drivers
from sellersim.product.development import ProductDevelopment
from sellersim.product.quality import drift_quality
from sellersim.product.retirement import ProductReview
from sellersim.recorder import Recorder
from sellersim.scenario.schema import Scenario
from sellersim.strategy.advertising import AdManager
from sellersim.strategy.financing import EquityRaises, lender_terms
from sellersim.strategy.metrics import CompanyMetrics
from sellersim.strategy.owner_pay import OwnerPayPolicy
from sellersim.strategy.staffing import StaffingPlanner
from sellersim.strategy.words import describe_condition
from sellersim.streams import KeyedUniforms, RandomStreams
from sellersim.supply.capacity import FbaCapacity
from sellersim.supply.purchase_orders import SupplyChain
from sellersim.supply.reorder import Replenisher
from sellersim.supply.supplier_events import SupplierEvents

_DAYS_PER_WEEK = 7
_HR, _FINANCE, _SELECTION, _PROCUREMENT = (DOMAIN_INDEX[d] for d in ("hr", "finance", "selection", "procurement"))


class SellerModel(mesa.Model):
    """A private-label FBA seller company run for ``scenario.simulation.days`` days."""

    def __init__(self, scenario: Scenario) -> None:
        sim = scenario.simulation
        super().__init__(rng=sim.seed)
        # Mesa routes step() through its event list; the day is the only event here, so the model keeps
        # its own daily clock (see step): the list's bookkeeping was 6% of a default run.
        del self.step
        self.config = scenario  # not `scenario`: mesa.Model reserves that name
        self.horizon_days = sim.days
        self.streams = RandomStreams(sim.seed)
        self.env = simpy.Environment()
        self.calendar = SimCalendar.build(sim.start_date, sim.days, scenario.market, scenario.supply)
        self.events = EventLog()
        self.ledger = Ledger(scenario.company.starting_cash_usd)
        company = scenario.company
        self.credit = CreditLine(
            limit_usd=company.credit_line_usd, apr=company.credit_line_apr, ledger=self.ledger, calendar=self.calendar,
            last_day=sim.days - 1,
        )  # fmt: skip
        self.cash_floor_usd = self.credit.floor_usd
        self.tax = IncomeTax(
            rate=company.income_tax_rate, ledger=self.ledger, calendar=self.calendar, last_day=sim.days - 1
        )
        self.fees = FeeSchedule(scenario.fees)
        self.lender = InventoryLender(
            scenario.strategy.financing.inventory_loans, ledger=self.ledger, eligible=lambda: self.loan_terms_met()
        )
        self.payouts = PayoutCycle(
            env=self.env,
            ledger=self.ledger,
            cfg=scenario.payouts,
            horizon_days=len(self.calendar.dates),
            on_payout=self.lender.repay,
        )
        self.catalog = Catalog()
        self.workload = Workload(scenario.work, scenario.people)
        self.recorder = Recorder(sim.days, scenario.roles)
        self.recorder.record_work_week(self.workload.service, self.workload.backlog, self.workload.last.errors)
        launch_period = scenario.work.launch_period_days

        def service() -> np.ndarray:
            return self.workload.service

        self.supplier_events = SupplierEvents(
            cfg=scenario.supply.supplier_events, catalog=self.catalog, ledger=self.ledger, streams=self.streams,
            events=self.events, removal_fee_usd_per_unit=scenario.fees.removal_usd_per_unit,
            procurement_service=lambda: float(self.workload.service[_PROCUREMENT]),
        )  # fmt: skip
        self.market = Market(
            cfg=scenario.market, catalog=self.catalog, fees=self.fees, ledger=self.ledger, payouts=self.payouts,
            calendar=self.calendar, streams=self.streams, events=self.events, launch_period_days=launch_period,
            vine_units=scenario.strategy.launch.vine_units, on_listing_closed=self.supplier_events.listing_closed,
        )  # fmt: skip
        existing = scenario.company.existing
        self.capacity = FbaCapacity(
            cfg=scenario.supply.fba_capacity, catalog=self.catalog, ledger=self.ledger, calendar=self.calendar,
            account_age_days=existing.age_days if existing.products else 0,
        )  # fmt: skip
        self.supply = SupplyChain(
            env=self.env, cfg=scenario.supply, catalog=self.catalog, ledger=self.ledger, calendar=self.calendar,
            streams=self.streams, events=self.events, capacity=self.capacity, service=service,
            cash_floor_usd=self.cash_floor_usd,
            payment_buffer_usd=scenario.strategy.reorder.cash_reserve_usd,
            placement_usd_per_unit=scenario.fees.inbound_placement_usd_per_unit, on_launch=self.market.launch,
            on_order=self.lender.advance, tax_owed_usd=lambda: self.tax.owed_usd,
            supplier_events=self.supplier_events,
        )  # fmt: skip
        self.storage = StorageBilling(catalog=self.catalog, fees=self.fees, ledger=self.ledger, calendar=self.calendar)
        self.bills = MonthlyBills(
            company=scenario.company, fees=scenario.fees, ledger=self.ledger, calendar=self.calendar,
            finance_service=lambda: float(self.workload.service[_FINANCE]), rng=self.streams["filings"],
            events=self.events,
        )  # fmt: skip
        strategy = scenario.strategy
        self.replenisher = Replenisher(
            policy=strategy.reorder, catalog=self.catalog, supply=self.supply, calendar=self.calendar,
            rng=self.streams["forecasts"], service=service, launch_period_days=launch_period, ledger=self.ledger,
            removal_usd_per_unit=scenario.fees.removal_usd_per_unit, trend=scenario.market.niches.trend,
            forecast_noise_untended=scenario.supply.forecast_noise_untended,
        )  # fmt: skip
        self.trends = NicheTrends(
            cfg=scenario.market.niches.trend, catalog=self.catalog, luck=KeyedUniforms(self.streams, "trends")
        )
        self.rivals = Rivals(
            cfg=scenario.market.rivals,
            catalog=self.catalog,
            fees=self.fees,
            luck=KeyedUniforms(self.streams, "copycats"),
            exit_luck=KeyedUniforms(self.streams, "copycat_exits"),
            events=self.events,
        )
        self.product_review = ProductReview(
            policy=strategy.retire, catalog=self.catalog, ledger=self.ledger, events=self.events,
            luck=KeyedUniforms(self.streams, "product_reviews"), trend=scenario.market.niches.trend,
            horizon_days=int(strategy.reorder.order_up_to_days),
            remove_older_than_days=strategy.reorder.remove_stock_older_than_days,
            removal_usd_per_unit=scenario.fees.removal_usd_per_unit,
        )  # fmt: skip
        self.development = ProductDevelopment(
            cfg=scenario.development, policy=strategy.launch, market_cfg=scenario.market, supply_cfg=scenario.supply,
            catalog=self.catalog, supply=self.supply, fees=self.fees, ledger=self.ledger, streams=self.streams,
            events=self.events, calendar=self.calendar, new_listing_rank=scenario.market.rank.new_listing_rank,
            launch_budget_usd_per_day=strategy.ads.launch_budget_usd_per_day, launch_ad_days=strategy.ads.launch_days,
            launch_hours_per_week=dict(scenario.work.drivers.get("launching_products", {})),
            founder_skills=np.array([scenario.company.founder.skills.get(d, 0.0) for d in DOMAINS]),
            founder_review_share=strategy.founder_review_share,
        )  # fmt: skip
        self.ads = AdManager(strategy.ads, self.catalog)
        self.recruiter = Recruiter(
            model=self, env=self.env, roles=scenario.roles, people=scenario.people, ledger=self.ledger,
            events=self.events, hr_service=lambda: float(self.workload.last.done_share[_HR]),
            rng=self.streams["recruiting"], hire_luck=self.streams.keyed,
            on_hire=self._on_hire,
        )  # fmt: skip
        founder = scenario.company.founder
        self.founder = Founder(
            self,
            priorities=strategy.founder_priorities,
            people=scenario.people,
            rng=self.streams.keyed("health", 0),
            name="Founder",
            skills=dict(founder.skills),
            hours_per_week=founder.hours_per_week,
            max_hours_per_week=founder.max_hours_per_week,
            salary_usd_per_month=0.0,
            hired_day=0,
            ramp_up_days=0,
        )
        self.roster: list[Person] = [self.founder]
        self._employees: list[Employee] = []  # kept on hire and leave: read every day
        self._headcount: Counter[str] = Counter()  # employees by role
        self.development.add_existing(existing, self.streams["niches"])
        for role, count in existing.staff.items():
            for _ in range(count):
                self.recruiter.hire(role, -existing.age_days)
        self.metrics = CompanyMetrics(
            today=lambda: self.day, ledger=self.ledger, daily=self.recorder.daily,
            founder_loads=self.recorder.founder_loads, founder=self.founder,
            workload=self.workload, headcount=self.staff_count,
            salary_usd_per_month={name: r.salary_usd_per_month for name, r in scenario.roles.items()},
            owner_pay_usd_per_month=strategy.owner_pay.usd_per_month, params=strategy.parameters,
            listed_products=lambda: self.listed_products,
        )  # fmt: skip
        self.staffing = StaffingPlanner(
            strategy.staffing, metrics=self.metrics, roles=scenario.roles, params=tuple(strategy.parameters),
            employees=lambda: self.employees, headcount=self.staff_count, recruiter=self.recruiter,
            let_go=self.let_go,
            in_words=lambda text, role: describe_condition(text, scenario, role=role),  # when a rule fires: rare
        )  # fmt: skip
        self.owner_pay = OwnerPayPolicy(
            strategy.owner_pay,
            metrics=self.metrics,
            roles=tuple(scenario.roles),
            params=tuple(strategy.parameters),
        )
        self.loan_terms_met = lender_terms(
            strategy.financing.inventory_loans, metrics=self.metrics, roles=tuple(scenario.roles),
            params=tuple(strategy.parameters),
        )  # fmt: skip
        self.equity = EquityRaises(
            strategy.financing, metrics=self.metrics, roles=tuple(scenario.roles), params=tuple(strategy.parameters),
            ledger=self.ledger, events=self.events,
        )  # fmt: skip
        self.failure: tuple[int, str] | None = None
        self._week = 0

    # --- state other parts read ---------------------------------------------------

    @property
    def day(self) -> int:
        """The current day (0 on the first day)."""
        return max(self.steps - 1, 0)

    @property
    def employees(self) -> list[Employee]:
        """Staff currently employed, in hiring order (a copy)."""
        return list(self._employees)

    def staff_count(self, role: str | None = None) -> int:
        """Employees in ``role`` (all employees when None)."""
        return len(self._employees) if role is None else self._headcount[role]

    @property
    def listed_products(self) -> int:
        """Products listed: waiting for their first stock, on sale or being cleared out."""
        return self.catalog.listed

    # --- the day ------------------------------------------------------------------

    def step(self) -> None:
        """Advance the clock (``steps`` and ``time``) by one day, as Mesa's step does, and simulate the day."""
        self.steps += 1
        self.time = float(self.steps)
        day = self.day
        cal = self.calendar
        self.capacity.start_of_day(day)
        self.env.run(until=day + 1)
        if day and cal.fee_year[day] != cal.fee_year[day - 1] and self.catalog.n:
            self._refresh_fba_fees(day)
        market_day = self.market.simulate(day, self.workload.service)
        self.storage.end_of_day(day)
        self.supplier_events.end_of_day(day)
        self.capacity.end_of_day(day, market_day.units, market_day.lost_units)
        self.product_review.end_of_day(day, market_day, suspended=self.market.is_suspended(day))
        if cal.weekday[day] == 0:
            self._work_week(day)
            self.development.review(day, self.listed_products, self.workload.last)
        self.replenisher.review(day)
        self.ads.review(day, self.workload.service)
        self.equity.review(day)
        self.staffing.review(day)
        self.bills.end_of_day(day, self.roster, self.owner_pay.amount_usd)
        self.tax.end_of_day(day)
        self.credit.end_of_day(day)
        self._record(day, market_day)
        if self.ledger.cash_usd < self.cash_floor_usd:
            self._fail(day, "cash ran out")

    def run(self) -> None:
        """Run to the horizon or until the company fails."""
        self.run_for(self.horizon_days - self.steps)

    def run_for(self, duration: float) -> None:
        """Run ``duration`` more days, stopping at the horizon or when the company fails (Mesa's own ignores
        ``running`` and would step through its event list)."""
        end = min(self.steps + int(duration), self.horizon_days)
        while self.running and self.steps < end:
            self.step()

    def run_until(self, end_time: float) -> None:
        """Run until ``time`` (days simulated) reaches ``end_time``, as :meth:`run_for` does."""
        self.run_for(end_time - self.time)

    def _refresh_fba_fees(self, day: int) -> None:
        cat = self.catalog
        year = int(self.calendar.fee_year[day])
        cat.fba_fee_usd[:] = self.fees.fba_per_unit(cat.weight_lb, cat.small_standard, year)
        cat.revise()

    def _work_week(self, day: int) -> None:
        """Create the week's work, let people take it, and apply what it did."""
        cat, rec = self.catalog, self.recorder
        last7 = slice(max(0, day - _DAYS_PER_WEEK), day)  # days already recorded: no gaps (NaN) in them
        employees = self.employees
        work = self.config.work
        drivers = work_drivers(
            WeekAhead(
                listed_products=cat.listed,
                launching_products=cat.launching(day, work.launch_period_days),
                live_products=int(np.count_nonzero(cat.status == LIVE)),
                deal_event_ahead=self.calendar.deal_event_within(day, work.event_prep_days),
                units_sold=float(rec.daily["units_sold"][last7].sum()),
                returned_units=float(rec.daily["returned_units"][last7].sum()),
                revenue_usd=float(rec.daily["revenue_usd"][last7].sum()),
                open_purchase_orders=self.supply.open_orders,
                shipments_in_transit=self.supply.shipments,
                open_positions=sum(self.recruiter.open_positions.values()),
            ),
            employees=employees,
            day=day,
        )
        week = self.workload.run_week(
            drivers=drivers,
            extra=self.development.weekly_hours(day),
            founder_review=self.development.review_hours(),
            founder=self.founder,
            employees=employees,
            assignments=self.config.strategy.assignments,
            day=day,
        )
        self.development.progress(day, week)
        rec.record_work_week(self.workload.service, self.workload.backlog, week.errors)
        drift_quality(self.catalog, self.workload.service, self.config.work, self.config.supply)
        self.trends.advance_week(day, watched_share=float(self.workload.service[_SELECTION]))
        self.rivals.advance_week(day)
        self.supplier_events.review_prices(day, s_procurement=float(self.workload.service[_PROCUREMENT]))
        self.product_review.review(day, watched_share=float(self.workload.service[_SELECTION]))
        reprice(self.catalog, self.config.market.conversion, self.fees)
        rec.founder_loads.append(self.founder.load)
        rec.record_week(
            self._week,
            day,
            [
                (
                    p.unique_id, p.name, p.role, p.hours_worked, p.effective_hours, p.error_hours, p.managing_hours,
                    p.sick_days, p.load, p.burnout, p.cut_back, p.ramp_up(day),
                )
                for p in (self.founder, *employees)
            ],
        )  # fmt: skip
        self._week += 1
        for p in (self.founder, *employees):
            if p.broke_down:
                detail = f"{p.name} broke down and cuts back for {self.config.people.crash_weeks} weeks"
                self.events.add(day, "breakdown", person_id=p.unique_id, role=p.role, detail=detail)
        for e in quitters(employees, day, self.streams["quits"]):
            self.quit(e, day)

    def _on_hire(self, person: Employee, reason: str) -> None:
        self.roster.append(person)
        self._employees.append(person)
        self._headcount[person.role] += 1
        if person.hired_day < 0:
            return  # on the payroll before the run starts
        monthly_revenue = float(self.recorder.daily["revenue_usd"][max(0, self.day - 30) : self.day].sum())
        self.events.add(
            person.hired_day,
            "hire",
            person_id=person.unique_id,
            role=person.role,
            detail=f"{person.name} hired ({reason})" if reason else f"{person.name} hired",
            amount_usd=monthly_revenue,
        )

    def quit(self, person: Employee, day: int) -> None:
        """``person`` leaves on ``day``; the strategy decides whether the role is refilled."""
        self._leave(person, day)
        self.events.add(day, "quit", person_id=person.unique_id, role=person.role, detail=f"{person.name} quit")
        if self.config.strategy.staffing.replace_quits:
            self.recruiter.open(person.role, day, reason=f"replace {person.name}")

    def let_go(self, person: Employee, day: int, fit: float) -> None:
        """``person`` is let go on ``day`` after probation (skills at ``fit`` of the role's); the role opens again."""
        self._leave(person, day)
        detail = f"{person.name} let go after probation (skills {fit:.0%} of the role's)"
        self.events.add(day, "let_go", person_id=person.unique_id, role=person.role, detail=detail)
        self.recruiter.open(person.role, day, reason=f"replace {person.name}")

    def _leave(self, person: Employee, day: int) -> None:
        person.left_day = day
        self._employees.remove(person)
        self._headcount[person.role] -= 1
        person.remove()

    def _fail(self, day: int, cause: str) -> None:
        self.failure = (day, cause)
        self.running = False
        self.events.add(day, "failure", detail=cause, amount_usd=self.ledger.cash_usd)

    # --- recording ----------------------------------------------------------------

    def _record(self, day: int, m: MarketDay) -> None:
        cat, led = self.catalog, self.ledger
        cogs_usd = m.cogs_usd + cat.write_off_usd  # units sold, plus units given away, removed or lost
        cat.write_off_usd = 0.0
        income = income_statement(
            led.close_day(), revenue_usd=m.total_revenue_usd, refunds_usd=m.refunds_usd,
            ad_spend_usd=m.total_ad_spend_usd, ad_sales_usd=m.total_ad_sales_usd, cogs_usd=cogs_usd,
        )  # fmt: skip
        self.tax.accrue(day, income["sde_usd"] - income["interest_usd"])
        reviews = np.add.reduce(cat.reviews)  # .sum() without its Python wrapper: a day holds many such sums
        stock = cat.stock
        live = cat.status == LIVE
        employees = self._employees
        capacity = self.capacity
        limit_cuft = capacity.limit_cuft
        values = {
            "cash_usd": led.cash_usd,
            "amazon_balance_usd": led.amazon_balance_usd,
            "units_sold": float(m.total_units),
            "returned_units": float(m.returned_units),
            "lost_sales_units": float(m.total_lost_units),
            **income,
            "founder_ownership": self.equity.founder_share,
            "loan_owed_usd": self.lender.owed_usd,
            "inventory_units": float(np.add.reduce(stock)),
            "inbound_units": float(np.add.reduce(cat.inbound)),
            "fba_limit_cuft": limit_cuft if limit_cuft < np.inf else np.nan,  # no limit yet: blank
            "fba_used_cuft": capacity.used_cuft(),
            "awd_units": float(capacity.buffered_units),
            "capacity_bound": float(capacity.bound),
            "stockout_products": float(np.count_nonzero(live & (stock == 0))),
            "live_products": float(np.count_nonzero(live)),
            "products_in_development": float(self.development.in_development),
            "headcount": float(len(employees)),
            "open_positions": float(sum(self.recruiter.open_positions.values())),
            "founder_hours": self.founder.hours_worked,
            "founder_load": self.founder.load,
            "founder_burnout": self.founder.burnout,
            "founder_sick_days": float(self.founder.sick_days),
            "founder_managing_hours": self.founder.managing_hours,
            "order_defect_rate": self.market.order_defect_rate,
            "avg_rating": float(np.add.reduce(cat.star_sum) / reviews) if reviews else np.nan,
            "listing_quality": float(np.add.reduce(cat.listing_quality) / cat.n) if cat.n else np.nan,
            "differentiation": float(np.add.reduce(cat.differentiation) / cat.n) if cat.n else np.nan,
        }
        self.recorder.record_day(day, values, self._headcount)
        self.recorder.suspended[day] = self.market.is_suspended(day)
        self.recorder.record_products(day, cat, m)
