"""New products: from research to the first purchase order.

Starts are capacity-driven. On each weekly review a project starts when the
launch policy has room (fewer than ``max_in_development`` projects, the catalogue
below ``max_live_products``), the bank holds the cash reserve plus the cash of a
typical launch (a middling first order of a median niche, landed, and the launch
ads) for every project under way and the new one, no other project is still in
its first stage (research is done one product at a time), and development had
capacity in each of the last ``capacity_weeks`` weeks. A week's capacity in a
domain is what those allowed to work it had to spare in their normal week plus
the hours development took there that week (the work of the projects under way
is counted in their need instead). It must cover the projects' average weekly
need (each stage's hours over a project's length, for the new project and for
every project under way that has not finished that stage, so projects do not
bunch up later) and the launch work of every product the projects will become
(listing, ads and images of a launching product). The needs are added up as
shares of the capacity of their domains, since the same people may do them all.
A founder who hands operations off therefore launches more.

A project moves through the scenario's stages (by default selection, design,
sampling, photography). Each stage needs hours of work in its domain and at
least ``min_days``; the hours come out of the weekly work like any other. A
stage still short of its hours after ``max_days`` is closed rushed. Its quality
is the average skill (with ramp-up) of the hours spent on it times the share of
its hours that were done::

    quality = skill of the work * min(1, hours done / hours needed)

Product control: when others do a stage's work, the founder reviews it the next
week, ``founder_review_share`` of their effective hours, before any other work
(a strategy sets the share; 0 means no review), and the stage waits for the last
review before it closes. Review lifts the others' part of the work toward the
founder's own skill, by the share of the review asked that was done::

    skill of the work = (sum of raw hours x skill
                         + reviewed share x sum of others' raw hours x max(founder's skill - theirs, 0))
                        / raw hours

Sample rounds: the stage whose domain is procurement (by default sampling) ends with a sample. Each round's
sample is paid when it is judged (fee and express courier, ``U(cost_usd)``, ledger category ``samples``), and
passes with chance::

    pass = pass_untended + (pass_best - pass_untended) * quality of the round

A rejected sample starts another round of the same stage: ``hours_share`` of its hours, at least ``Tri(days)``
days for the new sample to be made and couriered, closed rushed after those days plus the stage's slack
(``max_days - min_days``). After ``max_rounds`` rounds the project goes on with a sample never approved, and the
product gets the untended defect rate (the factory makes it its own way). The supplier and its price are the
first round's. The pass draw and the cost are keyed by (product, round), a new round's days too, so a better
buyer never fails a sample a poorer one passes.

Quality sets the outcome: better research compares more niches with smaller
errors (their trends and how buyers will take to the product included), design
sets differentiation and fixes a share of a poor reception, sampling sets unit
cost and defects, photography sets listing quality. The plan (units a day) is the
estimate that won research's comparison. A product goes on the catalogue with its
niche as it is at the first order (moved along its trend since research), the
conversion its reception gives it (:mod:`sellersim.market.niches`)::

    r = log reception; if r < 0: r *= 1 - fixed_by_design_share * design quality
    conversion = niche's conversion * e^r

and the company's view of the trend as research saw it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace

import numpy as np

from sellersim.calendar import SimCalendar
from sellersim.domains import DOMAIN_INDEX, DOMAINS
from sellersim.events import EventLog
from sellersim.market.catalog import LIVE, Catalog, NewProduct
from sellersim.market.niches import UnitMargin, expected_units_per_day, select_niche
from sellersim.market.trends import age_niche
from sellersim.money.fees import FeeSchedule
from sellersim.money.ledger import BANK, Ledger
from sellersim.people.work import WeekOfWork
from sellersim.scenario.schema import Development, ExistingBusiness, LaunchPolicy, Stage, Supply
from sellersim.scenario.schema import Market as MarketConfig
from sellersim.streams import RandomStreams
from sellersim.supply.purchase_orders import SupplyChain, draw_triangular

_LAST_HOUR = 1.0  # effective hours short of a stage's hours that still count as done
_NICHE_KEYS = (
    "sessions_per_day", "niche_price_usd", "cpc_usd", "base_conversion", "competitor_units_per_day",
    "max_organic_share", "return_rate", "weight_lb", "cuft", "expected_units_per_day", "small_standard",
    "planned_units_per_day", "growth_per_year", "growth_seen_per_year",
)  # fmt: skip


@dataclass
class Project:
    """A product in development."""

    ordinal: int  # the company's k-th product: keys its random draws
    started_day: int
    stage: int = 0
    stage_started_day: int = 0
    hours: float = 0.0  # effective hours done on the current stage
    skill_hours: float = 0.0
    raw_hours: float = 0.0
    outcome: dict[str, float] = field(default_factory=dict)
    wanted: float = 0.0  # effective hours asked of the current stage this week
    gap_hours: float = 0.0  # others' raw hours x how far their skill falls short of the founder's
    review_due: float = 0.0  # founder's review hours asked this week, of last week's work by others
    review_asked: float = 0.0
    review_done: float = 0.0
    sample_round: int = 0  # sample rounds of the sampling stage before the current one (0: its first sample)
    round_hours: float = 0.0  # effective hours a later round needs
    round_days: int = 0  # days a later round's new sample takes to be made and couriered
    sampled_quality: float = 0.0  # the quality of the sampling stage's first round: the supplier and the spec

    @property
    def name(self) -> str:
        return f"P{self.ordinal + 1}"


class ProductDevelopment:
    """Runs the development pipeline and the launch policy."""

    def __init__(
        self,
        *,
        cfg: Development,
        policy: LaunchPolicy,
        market_cfg: MarketConfig,
        supply_cfg: Supply,
        catalog: Catalog,
        supply: SupplyChain,
        fees: FeeSchedule,
        ledger: Ledger,
        streams: RandomStreams,
        events: EventLog,
        calendar: SimCalendar,
        new_listing_rank: float,
        launch_budget_usd_per_day: float,
        launch_ad_days: int,
        launch_hours_per_week: dict[str, float],
        founder_skills: np.ndarray,
        founder_review_share: float,
    ) -> None:
        self.cfg = cfg
        self.policy = policy
        self.market_cfg = market_cfg
        self.supply_cfg = supply_cfg
        self.catalog = catalog
        self.supply = supply
        self.fees = fees
        self.ledger = ledger
        self.streams = streams
        self.events = events
        self.calendar = calendar
        self.new_listing_rank = new_listing_rank
        self.launch_budget_usd_per_day = launch_budget_usd_per_day
        self.launch_ad_days = launch_ad_days
        self.launch_hours_per_week = launch_hours_per_week  # a launching product's weekly work, by domain
        self.founder_skills = founder_skills
        self.founder_review_share = founder_review_share
        self.projects: list[Project] = []
        self._capacity: deque[np.ndarray] = deque(maxlen=self.cfg.capacity_weeks)  # per week: spare + development hours
        self._worked = np.zeros(len(DOMAINS))  # effective hours development took last week (right or wrong), by domain
        self._started = 0

    @property
    def in_development(self) -> int:
        return len(self.projects)

    def weekly_hours(self, day: int) -> np.ndarray:
        """Effective hours the projects ask of each domain this week."""
        hours = np.zeros(len(DOMAINS))
        for p in self.projects:
            if p.stage < len(self.cfg.stages):
                stage = self.cfg.stages[p.stage]
                left = _need_hours(p, stage) - p.hours
                p.wanted = min(left, stage.max_hours_per_week) if left > _LAST_HOUR else 0.0
                hours[DOMAIN_INDEX[stage.domain]] += max(p.wanted, 0.0)
        return hours

    def review_hours(self) -> np.ndarray:
        """Effective hours of the founder's review the projects ask of each domain this week."""
        hours = np.zeros(len(DOMAINS))
        for p in self.projects:
            if p.stage < len(self.cfg.stages):
                hours[DOMAIN_INDEX[self.cfg.stages[p.stage].domain]] += p.review_due
        return hours

    def progress(self, day: int, week: WeekOfWork) -> None:
        """Credit each project with its share of the week's work; close stages that are done or out of time."""
        # the effective hours development took (done right or wrong), on the basis of the spare hours
        taken = week.done + week.errors
        output_share = np.divide(taken, week.demand, out=np.ones(len(DOMAINS)), where=week.demand > 1e-9)
        self._worked = np.zeros(len(DOMAINS))
        for p in list(self.projects):
            if p.stage < len(self.cfg.stages):
                stage = self.cfg.stages[p.stage]
                d = DOMAIN_INDEX[stage.domain]
                got = max(p.wanted, 0.0) * week.done_share[d]
                self._worked[d] += max(p.wanted, 0.0) * output_share[d]
                p.hours += got
                p.review_asked += p.review_due
                p.review_done += p.review_due * week.review_done_share[d]
                others = 1 - week.founder_share[d]
                p.review_due = self.founder_review_share * got * others
                if week.skill[d] > 0:
                    raw = got / week.skill[d]
                    p.raw_hours += raw
                    p.skill_hours += got
                    p.gap_hours += raw * others * max(self.founder_skills[d] - week.others_skill[d], 0.0)
                age = day - p.stage_started_day
                min_days, max_days = _window_days(p, stage)
                # the last hour counts as done: rework of mistakes would otherwise shrink it forever
                done = p.hours >= _need_hours(p, stage) - _LAST_HOUR and p.review_due <= 0  # and its review is in
                if (done and age >= min_days) or age >= max_days:
                    self._finish_stage(p, day)
            if p.stage >= len(self.cfg.stages):
                self._try_first_order(p, day)

    def review(self, day: int, listed_products: int, week: WeekOfWork) -> None:
        """Launch policy: start a new project when there is room, product capacity and cash."""
        pol = self.policy
        # what the week left for development: the spare hours, and the hours development itself took
        self._capacity.append(week.spare_hours + self._worked)
        if (
            self.in_development < pol.max_in_development
            and listed_products + self.in_development < pol.max_live_products
            and all(p.stage > 0 for p in self.projects)
            and self._has_capacity()
            and self.ledger.cash_usd >= pol.cash_reserve_usd + (self.in_development + 1) * self._typical_launch_usd()
        ):
            p = Project(self._started, day, stage_started_day=day)
            self._started += 1
            self.projects.append(p)
            self.events.add(day, "development_started", detail=f"{p.name} development started")

    def _has_capacity(self) -> bool:
        """Whether the development capacity of each of the last weeks covers the average weekly need of the
        projects under way and a new one, and the launch work of the products they will become.

        A domain's development capacity in a week is the spare hours of those allowed to work it plus
        the hours development stages took in it (so a project's own work does not count against the
        next one twice); the least of the last weeks counts. The need of stage k is its hours over a
        project's length, once for the new project and once for each project under way that has not
        finished stage k; a launch needs the weekly hours of a launching product
        (``work.drivers.launching_products``) once for every project. Needs are added up as shares of the
        capacity, since the same people (at first, the founder alone) may do them all.
        """
        spare = np.min(self._capacity, axis=0)
        stages = self.cfg.stages
        weeks = sum(max(s.min_days / 7, s.hours / s.max_hours_per_week) for s in stages)  # a project's length
        needs = [
            (DOMAIN_INDEX[s.domain], s.hours / weeks * (1 + sum(p.stage <= k for p in self.projects)))
            for k, s in enumerate(stages)
        ]
        needs += [(DOMAIN_INDEX[d], h * (1 + self.in_development)) for d, h in self.launch_hours_per_week.items()]
        used = 0.0
        for d, need in needs:
            if need <= 0:
                continue
            if spare[d] <= 0:
                return False
            used += need / spare[d]
        return used <= 1.0

    def _typical_launch_usd(self) -> float:
        """Cash a launch takes: a middling first order of a median niche, landed, and the launch ads."""
        n, pol = self.market_cfg.niches, self.policy
        share = (n.unit_cost_share_of_price.low + n.unit_cost_share_of_price.high) / 2
        units = float(np.sqrt(pol.first_order_units.low * pol.first_order_units.high))
        order = units * n.price_usd.median * share * (1 + self.supply_cfg.duty_rate)
        return order + self.launch_budget_usd_per_day * self.launch_ad_days

    def _finish_stage(self, p: Project, day: int) -> None:
        stage = self.cfg.stages[p.stage]
        asked = p.review_asked + p.review_due  # work still awaiting review when a stage is closed by its deadline
        reviewed = p.review_done / asked if asked > 0 else 0.0
        skill = (p.skill_hours + reviewed * p.gap_hours) / p.raw_hours if p.raw_hours > 0 else 0.0
        need = _need_hours(p, stage)
        done = min(1.0, (p.hours + _LAST_HOUR) / need) if need > 0 else 1.0
        if done < 1.0:
            what = f"{stage.name} round {p.sample_round + 1}" if p.sample_round else stage.name
            self.events.add(day, "stage_rushed", detail=f"{p.name} {what} closed with {done:.0%} of its hours")
        quality = skill * done
        approved = True
        if stage.domain == "procurement":
            if not p.sample_round:
                p.sampled_quality = quality
            approved = self._judge_sample(p, quality, day)
            if not approved and p.sample_round + 1 < self.cfg.sample_rounds.max_rounds:
                self._next_sample_round(p, stage, day)
                return
            quality = p.sampled_quality  # later rounds fix the sample; the supplier and its price stay
        self._apply_outcome(stage.domain, quality, p.ordinal, p.stage, p.outcome, day)
        if not approved:  # ordered on a sample never approved: the factory makes it its own way
            p.outcome["defect_rate"] = self.supply_cfg.defect_rate_untended
        p.stage += 1
        p.sample_round = 0
        p.stage_started_day = day
        _clear_work(p)

    def _judge_sample(self, p: Project, quality: float, day: int) -> bool:
        """Pay for the current round's sample and judge it: whether it passes, with a chance that rises with the
        quality of the round's procurement work."""
        r = self.cfg.sample_rounds
        luck = self.streams.keyed("sample_rounds", p.ordinal, p.sample_round)
        passes, price = luck.random(2)
        cost = r.cost_usd.low + (r.cost_usd.high - r.cost_usd.low) * float(price)
        self.ledger.post(day, BANK, "samples", -cost)
        if passes < r.pass_untended + (r.pass_best - r.pass_untended) * quality:
            return True
        last = p.sample_round + 1 >= r.max_rounds
        detail = f"{p.name} sample round {p.sample_round + 1} rejected"
        if last:
            detail += "; the last round: the order goes ahead on it"
        self.events.add(day, "sample_rejected", detail=detail, amount_usd=cost)
        return False

    def _next_sample_round(self, p: Project, stage: Stage, day: int) -> None:
        """Send the factory feedback: another round of the sampling stage, with a share of its hours and the days a
        new sample takes to be made and couriered."""
        r = self.cfg.sample_rounds
        p.sample_round += 1
        p.round_hours = r.hours_share * stage.hours
        luck = self.streams.keyed("sample_round_days", p.ordinal, p.sample_round)
        p.round_days = max(1, round(draw_triangular(luck, r.days)))
        p.stage_started_day = day
        _clear_work(p)

    def _unit_margin(self, day: int) -> UnitMargin:
        """A researcher's margin per unit of a niche: price less referral, FBA fee and sea-landed cost."""
        year = int(self.calendar.fee_year[max(day, 0)])
        fees, duty, freight = self.fees, self.supply_cfg.duty_rate, self.supply.freight_usd_per_unit

        def margin(n: dict[str, float]) -> float:
            price = n["niche_price_usd"]
            landed = n["cost_share"] * price * (1 + duty) + freight(n["weight_lb"], n["cuft"], "sea")
            referral = fees.referral_per_unit(np.array([price]))[0]
            fba = fees.fba_per_unit(np.array([n["weight_lb"]]), np.array([n["small_standard"]]), year)[0]
            return float(price - referral - fba - landed)

        return margin

    def _apply_outcome(
        self, domain: str, quality: float, ordinal: int, stage: int, o: dict[str, float], day: int
    ) -> None:
        """Set what a finished stage decides on ``day``, given the average skill of the work done on it."""
        rng = self.streams.keyed("selection", ordinal * 16 + stage)
        match domain:
            case "selection":
                c = self.cfg
                candidates = 1 + round((c.max_candidates - 1) * quality)
                noise = c.estimate_noise_untended - (c.estimate_noise_untended - c.estimate_noise_best) * quality
                niches, margin = self.market_cfg.niches, self._unit_margin(day)
                niche = select_niche(
                    self.streams.keyed("niches", ordinal),
                    niches,
                    candidates,
                    noise,
                    margin,
                    c.research_horizon_days,
                    reception_luck=self.streams.keyed("reception", ordinal),
                )
                o.update(niche)
                o["growth_seen_per_year"] = niche["growth_per_year"]  # what research saw
                o["research_day"] = day
                o["planned_units_per_day"] = niche["estimated_units_per_day"]  # what research expects it to sell
            case "design":
                spread = self.cfg.design_differentiation
                o["differentiation"] = quality * float(rng.uniform(spread.low, spread.high))
                # testing samples against rivals' complaints finds what buyers would dislike, and fixes it
                o["flaws_fixed_share"] = self.market_cfg.niches.reception.fixed_by_design_share * quality
            case "procurement":
                s = self.supply_cfg
                o["fob_markup"] = s.unit_cost_markup_untended * (1 - quality)
                o["defect_rate"] = s.defect_rate_best + (s.defect_rate_untended - s.defect_rate_best) * (1 - quality)
            case "vision":
                unshot = self.cfg.listing_quality_unshot
                o["listing_quality"] = unshot + (1 - unshot) * quality

    def _product(self, o: dict[str, float], ordinal: int, day: int) -> NewProduct:
        """The listing a project's outcomes describe: niche, price, unit cost, quality, fees."""
        if "niche_price_usd" not in o:  # a pipeline without a selection stage picks blind
            niche = select_niche(
                self.streams.keyed("niches", ordinal),
                self.market_cfg.niches,
                1,
                0.0,
                self._unit_margin(day),
                self.cfg.research_horizon_days,
                reception_luck=self.streams.keyed("reception", ordinal),
            )
            o.update({**niche, "planned_units_per_day": niche["expected_units_per_day"], "research_day": day})
            o["growth_seen_per_year"] = niche["growth_per_year"]
        niche = {k: o[k] for k in _NICHE_KEYS} | self._received(
            o, floor_share=self.market_cfg.niches.min_expected_share
        )
        diff = o.get("differentiation", 0.0)
        index = float(np.exp(self.cfg.price_spread * self.streams.keyed("pricing", ordinal).standard_normal()))
        price = index * o["niche_price_usd"] * (1 + self.market_cfg.conversion.differentiation_price_premium * diff)
        markup = o.get("fob_markup", self.supply_cfg.unit_cost_markup_untended)
        year = int(self.calendar.fee_year[max(day, 0)])
        fba = self.fees.fba_per_unit(np.array([o["weight_lb"]]), np.array([o["small_standard"]]), year)
        return NewProduct(
            name=f"P{ordinal + 1}",
            niche=niche,
            price_usd=price,
            price_index=index,
            fob_usd=o["cost_share"] * o["niche_price_usd"] * (1 + markup),
            defect_rate=o.get("defect_rate", self.supply_cfg.defect_rate_untended),
            differentiation=diff,
            listing_quality=o.get("listing_quality", self.cfg.listing_quality_unshot),
            fba_fee_usd=float(fba[0]),
            referral_usd=float(self.fees.referral_per_unit(np.array([price]))[0]),
        )

    @staticmethod
    def _received(o: dict[str, float], *, floor_share: float) -> dict[str, float]:
        """The product's conversion and organic steady state as buyers take to it (design fixed a share of what
        they would have disliked), and its reception ``exp(r)`` (``floor_share``: as in :func:`expected_units_per_day`).
        """
        r = o["log_reception"]
        if r < 0:
            r *= 1 - o.get("flaws_fixed_share", 0.0)
        return {
            "base_conversion": o["base_conversion"] * float(np.exp(r)),
            "expected_units_per_day": expected_units_per_day(o, r, floor_share=floor_share),
            "reception": float(np.exp(r)),
        }

    def _try_first_order(self, p: Project, day: int) -> None:
        """Place the first order once cash allows; the listing goes live when stock lands."""
        product = self._product(p.outcome, p.ordinal, day)
        pol = self.policy
        planned = p.outcome["planned_units_per_day"]
        units = int(np.clip(pol.first_order_days_of_sales * planned, *_bounds(pol)))
        landed = self.supply.negotiated_fob_usd(product.fob_usd) * (
            1 + self.supply_cfg.duty_rate
        ) + self.supply.freight_usd_per_unit(product.niche["weight_lb"], product.niche["cuft"], pol.first_order_freight)
        units = min(units, int((self.supply.spendable_usd() - pol.cash_reserve_usd) / landed))
        if units < self.supply_cfg.min_order_units:
            return  # wait for cash
        # the niche has moved along its trend since research saw it; the company's view has not
        drift = self.streams.keyed("niche_drift", p.ordinal)
        niche = age_niche(product.niche, day - int(p.outcome["research_day"]), drift, self.market_cfg.niches.trend)
        i = self.catalog.add(replace(product, niche=niche), self.new_listing_rank, self.launch_budget_usd_per_day)
        self.supply.place(day, i, units, pol.first_order_freight)
        self.projects.remove(p)

    def add_existing(self, existing: ExistingBusiness, rng: np.random.Generator) -> None:
        """Put an established catalogue on sale at day 0: reviewed, ranked and stocked."""
        cat, landed_cost = self.catalog, self.supply.landed_usd_per_unit
        for _ in range(existing.products):
            ordinal = self._started
            self._started += 1
            outcome: dict[str, float] = {}
            for k, stage in enumerate(self.cfg.stages):
                self._apply_outcome(stage.domain, existing.product_quality, ordinal, k, outcome, 0)
            product = self._product(outcome, ordinal, 0)
            v = product.niche["expected_units_per_day"]
            i = cat.add(product, v / (v + product.niche["competitor_units_per_day"]), self.launch_budget_usd_per_day)
            cat.status[i] = LIVE
            cat.launch_day[i] = -existing.age_days
            reviews = int(
                existing.reviews_per_product.median * np.exp(existing.reviews_per_product.sigma * rng.standard_normal())
            )
            cat.reviews[i] = reviews
            cat.star_sum[i] = reviews * existing.average_rating
            cat.revise()
            cat.velocity[i] = cat.velocity_30[i] = cat.velocity_90[i] = v
            cat.search_terms_learned[i] = np.inf  # its campaigns were harvested long ago
            units = max(int(v * existing.stock_days), 1)
            cat.ordered[i] += units
            cat.received[i] += units
            cat.receive(i, units, -existing.stock_age_days, landed_cost(i, "sea"))


def _need_hours(p: Project, stage: Stage) -> float:
    """Effective hours the project's current stage (or its later sample round) needs."""
    return p.round_hours if p.sample_round else stage.hours


def _window_days(p: Project, stage: Stage) -> tuple[int, int]:
    """Least and most days of the current stage; a later sample round waits for its sample, with the stage's slack."""
    if p.sample_round:
        return p.round_days, p.round_days + stage.max_days - stage.min_days
    return stage.min_days, stage.max_days


def _clear_work(p: Project) -> None:
    p.hours = p.skill_hours = p.raw_hours = p.gap_hours = p.review_due = p.review_asked = p.review_done = 0.0


def _bounds(policy: LaunchPolicy) -> tuple[int, int]:
    return int(policy.first_order_units.low), int(policy.first_order_units.high)
