"""The classic dynamics of a growing service firm, shown by comparing scenarios on common seeds.

No outcome is hard-coded: each test runs two or three versions of a company that
differ in one thing and checks the direction (and, where it matters, the timing)
of the difference, with paired t statistics over replications.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from replicate import Quit, Run, paired_t, replicate
from scipy.stats import wilcoxon

YEAR = 365
# An established company: products on sale from day 0, so the dynamics show in the first year.
ESTABLISHED = (
    "company.existing.products=16",
    "roles.operator.annual_quit_rate=0",
    "strategy.staffing.replace_quits=false",
)
STAFFED = (*ESTABLISHED, "company.existing.staff={operator: 3}")


def staffed_company_with_and_without(load, change: str, replications: int = 12) -> tuple[list[Run], list[Run]]:
    """The established company with 3 operators as it is, and with one ``change``, on common seeds."""
    runs = replicate(
        {"as is": load("never_hire", *STAFFED), "changed": load("never_hire", *STAFFED, change)}, replications
    )
    return runs["as is"], runs["changed"]


def year(k: int) -> slice:
    return slice(YEAR * k, YEAR * (k + 1))


def survivors(*arms: list[Run]) -> list[tuple[Run, ...]]:
    """Replications in which every arm lasted the whole horizon."""
    return [runs for runs in zip(*arms, strict=True) if not any(r.failed for r in runs)]


@pytest.fixture(scope="module")
def alone_and_staffed(load) -> dict[str, list[Run]]:
    return replicate({"alone": load("never_hire"), "staffed": load("solo_then_hire")}, replications=48)


def test_a_founder_alone_sees_service_fall_as_the_business_grows(alone_and_staffed, load) -> None:
    """The seed's order hires once profit covers a hire, often late, so what sales a hire brings is left to the
    test of a freed founder (a hire from the start); here, the service the founder alone lets fall and a hire
    holds."""
    pairs = survivors(alone_and_staffed["alone"], alone_and_staffed["staffed"])
    assert len(pairs) >= 32, "most replications must survive to compare"
    alone_y1 = np.array([a.operations_service(year(0)) for a, _ in pairs])
    alone_y3 = np.array([a.operations_service(year(2)) for a, _ in pairs])
    assert paired_t(alone_y1, alone_y3) > 3, "service levels fall as the founder's business grows"
    # hiring holds them up: from the first hire's ramp-up on to the end, against the founder alone on the same
    # days (where the seed's order hires at all; elsewhere the arms are one company)
    ramp_up = int(load("base").roles["operator"].ramp_up_days)
    after = []
    for a, s in pairs:
        hires = s.events.loc[s.events["kind"] == "hire", "day"]
        if len(hires) and hires.min() + ramp_up < 3 * YEAR - 90:  # a quarter or more with the hire at speed
            days = slice(int(hires.min()) + ramp_up, 3 * YEAR)
            after.append((s.operations_service(days), a.operations_service(days)))
    assert len(after) >= 6, "enough of the seed's companies hire to compare"
    staffed_after, alone_after = (np.array(v) for v in zip(*after, strict=True))
    assert paired_t(staffed_after, alone_after) > 2.5, "hiring holds them up"


def test_a_new_hire_gets_more_done_week_by_week_over_ramp_up(alone_and_staffed, load) -> None:
    ramp_up_weeks = int(load("base").roles["operator"].ramp_up_days // 7)
    by_week: dict[int, list[float]] = {}
    for run in alone_and_staffed["staffed"]:
        hired = run.events[run.events["kind"] == "hire"].set_index("person_id")["day"]
        staff = run.staff[run.staff["role"] == "operator"]
        staff = staff[staff["hours_worked"] > 0]
        weeks = (staff["day"].to_numpy() - hired.loc[staff["person_id"]].to_numpy()) // 7
        output = staff["effective_hours"].to_numpy() / staff["hours_worked"].to_numpy()  # per hour at work
        for k in range(ramp_up_weeks + 3):
            by_week.setdefault(k, []).extend(output[weeks == k])
    mean = [float(np.mean(by_week[k])) for k in range(ramp_up_weeks + 3)]
    assert all(len(by_week[k]) >= 20 for k in by_week), "enough operators were hired to see their first weeks"
    assert all(a < b for a, b in itertools.pairwise(mean[: ramp_up_weeks + 1])), mean
    assert mean[0] < 0.6 * mean[ramp_up_weeks + 2], "the first week yields well under a settled week"
    assert mean[ramp_up_weeks + 2] == pytest.approx(mean[ramp_up_weeks + 1], rel=0.1), "output settles after"


def test_overload_erodes_quality_with_a_delay_and_it_recovers_slowly(load) -> None:
    """Suspensions are off in both arms: a suspended account takes no orders and gets no reviews, which
    would hide the slow channels (listing quality, ODR, rating) this test follows. Hires are as skilled
    in both arms: an overloaded founder's neglected HR work would otherwise bring weaker hires, and a gap
    that lasts. Enough cash that most runs live through the year: the first restock of sixteen products
    and the first quarter's income tax come due together in April."""
    hire_day = 120
    no_suspension = (
        "market.account_health.suspension_hazard_per_day=0", "people.hr_neglect_skill_loss=0",
        "company.starting_cash_usd=150000",
    )  # fmt: skip
    runs = replicate(
        {
            "balanced": load("never_hire", *STAFFED, *no_suspension),
            "overloaded": load(
                "never_hire",
                *ESTABLISHED,
                *no_suspension,
                f"strategy.staffing.rules=[{{role: operator, when: 'day >= {hire_day}', max_count: 3}}]",
            ),
        },
        replications=24,
    )
    pairs = survivors(runs["balanced"], runs["overloaded"])
    assert len(pairs) >= 12
    gap = np.array([b.daily["listing_quality"].to_numpy() - o.daily["listing_quality"].to_numpy() for b, o in pairs])
    peak = gap.mean(axis=0).argmax()
    assert gap[:, hire_day].mean() > 0.05, "sustained overload erodes listing quality"
    assert gap[:, 7].mean() < 0.25 * gap[:, hire_day].mean(), "erosion comes with a delay"
    # the load is lifted when the new staff get the operations work done again (service back to balanced)
    lifted = [
        hire_day + int(np.argmax(o.service_by_day()[hire_day:] >= b.service_by_day()[hire_day:] - 0.02))
        for b, o in pairs
    ]
    at_lift = np.array([g[d] for g, d in zip(gap, lifted, strict=True)])
    assert at_lift.mean() > 0.25 * gap[:, peak].mean(), "quality is still behind when the load is lifted"
    assert gap[:, -1].mean() < 0.25 * at_lift.mean(), "and catches up over the following months"
    odr = {k: np.array([r.daily["order_defect_rate"].iloc[60:hire_day].mean() for r in arm]) for k, arm in
           zip(("balanced", "overloaded"), zip(*pairs, strict=True), strict=True)}  # fmt: skip
    assert paired_t(odr["overloaded"], odr["balanced"]) > 3, "account health suffers under overload too"
    # ratings average over every review ever left, so they fall behind later still, and go on falling
    # while the hires are being found and ramped up
    rating_gap = {
        k: np.array([(b.daily["avg_rating"].iloc[days] - o.daily["avg_rating"].iloc[days]).mean() for b, o in pairs])
        for k, days in (("early", slice(1, 60)), ("late", slice(150, 250)))
    }
    assert paired_t(rating_gap["late"], np.zeros(len(pairs))) > 2.5, "overload lowers the star rating"
    assert paired_t(rating_gap["late"], rating_gap["early"]) > 2, "with a delay"


def test_a_quit_during_the_peak_hurts_more_than_in_a_lull(load) -> None:
    """Revenue lost in the two months after an operator quits, against the same company keeping them. Runs part
    ways after the quit, so the losses are noisy and heavy-tailed (a stock-out or a suspension in one run): enough
    cash that nearly every run lives through the window, and a signed-rank test, which a few extreme runs cannot
    swing the way they swing a t statistic."""
    lull, peak, window = 56, 301, 60  # 1 March and 1 November of the first year
    company = load(
        "never_hire", *ESTABLISHED, "company.existing.staff={operator: 2}", "company.starting_cash_usd=150000"
    )
    runs = replicate(
        {"stay": company, "lull": company, "peak": company},
        replications=64,
        quits={"lull": Quit(lull, "operator"), "peak": Quit(peak, "operator")},
    )
    triples = survivors(runs["stay"], runs["lull"], runs["peak"])
    assert len(triples) >= 30

    def lost_revenue(stay: Run, left: Run, day: int) -> float:
        days = slice(day, day + window)
        return stay.total("revenue_usd", days) - left.total("revenue_usd", days)

    lull_loss = np.array([lost_revenue(s, q, lull) for s, q, _ in triples])
    peak_loss = np.array([lost_revenue(s, q, peak) for s, _, q in triples])
    assert wilcoxon(peak_loss, alternative="greater").pvalue < 1e-3, "losing an operator in the peak costs sales"
    assert wilcoxon(peak_loss, lull_loss, alternative="greater").pvalue < 1e-3, (peak_loss.mean(), lull_loss.mean())


def test_neglected_inventory_control_causes_stockouts_and_lost_rank(load) -> None:
    """Stock is reviewed every 8 weeks instead of every week. Compared where both companies stay solvent (with
    $150k to start, most do): one that runs out of cash stops reordering whatever its inventory control."""
    company = (*STAFFED, "company.starting_cash_usd=150000")
    runs = replicate(
        {
            "tended": load("never_hire", *company),
            "neglected": load("never_hire", *company, "strategy.reorder.review_every_days=56"),
        },
        replications=24,
    )
    tended, neglected = runs["tended"], runs["neglected"]
    pairs = survivors(tended, neglected)
    assert len(pairs) >= 16
    stockouts = [np.array([pair[k].stockout_share for pair in pairs]) for k in (1, 0)]
    assert paired_t(*stockouts) > 2.5
    assert paired_t(np.array([r.mean_rank for r in tended]), np.array([r.mean_rank for r in neglected])) > 3


def test_more_starting_cash_lowers_the_risk_of_failure(load) -> None:
    runs = replicate(
        {
            cash: load("ops_first_day_one", f"company.starting_cash_usd={cash}", "simulation.days=730")
            for cash in (30_000, 90_000)
        },
        replications=40,
    )
    failed = {cash: np.array([r.failed for r in arm], dtype=float) for cash, arm in runs.items()}
    assert failed[30_000].mean() > failed[90_000].mean()
    assert paired_t(failed[30_000], failed[90_000]) > 2.5


def test_a_higher_cost_per_click_lowers_earnings(load) -> None:
    """The founder alone, so no hire that a dearer click delays (and whose pay it saves) muddies the market's effect;
    SDE, so the owner's pay rule does not either; the first year, before the catalogues part ways (launches follow
    cash and the founder's spare hours, so later years compare different companies and add their noise)."""
    runs = replicate(
        {cpc: load("never_hire", f"market.niches.cpc_usd.median={cpc}") for cpc in (0.95, 1.9)},
        replications=40,
    )
    sde = {cpc: np.array([r.total("sde_usd", slice(0, YEAR)) for r in arm]) for cpc, arm in runs.items()}
    assert paired_t(sde[0.95], sde[1.9]) > 3


def test_longer_lead_times_raise_stockouts(load) -> None:
    usual, slow = staffed_company_with_and_without(
        load, "supply.sea_transit_days={low: 45, mode: 60, high: 80}", replications=24
    )
    slower = np.array([r.stockout_share for r in slow]) - np.array([r.stockout_share for r in usual])
    # signed ranks, not a t: a product whose reviews sour in one arm only makes a pair's difference heavy-tailed
    assert wilcoxon(slower, alternative="greater").pvalue < 0.001
