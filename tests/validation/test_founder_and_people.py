"""The founder's time and the people who share the work, shown by comparing companies on common seeds.

Each test runs versions of a company that differ in one thing (the founder's hours, a hire, who
owns a domain, a hire's skill) and checks the direction of the difference with paired t
statistics over replications; no outcome is hard-coded.
"""

from __future__ import annotations

import numpy as np
from replicate import Run, paired_t, replicate

# An established company run by the founder alone: products on sale from day 0, so the load is there
# from the first week.
ESTABLISHED = ("company.existing.products=16", "simulation.days=365", "roles.operator.annual_quit_rate=0")
STAFFED = (*ESTABLISHED, "company.existing.staff={operator: 3}")


def nobody_does(domain: str, absent_role: str = "finance_admin") -> str:
    """An assignment to a role the company never hires: nobody works ``domain``."""
    return f"strategy.assignments={{{domain}: [{absent_role}]}}"


def founder(run: Run) -> object:
    return run.staff[run.staff["role"] == "founder"]


def operators_ratio(run: Run, numerator: str, denominator: str) -> float:
    """Ratio of two columns of the staff table, each summed over the run's operators."""
    ops = run.staff[run.staff["role"] == "operator"]
    return float(ops[numerator].sum() / ops[denominator].sum())


def survivors(*arms: list[Run]) -> list[tuple[Run, ...]]:
    return [runs for runs in zip(*arms, strict=True) if not any(r.failed for r in runs)]


def test_freeing_the_founder_raises_launches_and_with_cash_revenue(load) -> None:
    """An operator on the payroll from the start takes the operations work; the founder's freed hours go to
    product development, which starts projects when product work has spare hours."""
    rich = ("company.starting_cash_usd=100000", "strategy.launch.max_in_development=2")
    runs = replicate(
        {
            "alone": load("never_hire", *rich),
            "helped": load("never_hire", *rich, "company.existing.staff={operator: 1}"),
        },
        replications=48,
    )
    launches = {k: np.array([(r.events["kind"] == "launch").sum() for r in arm]) for k, arm in runs.items()}
    assert paired_t(launches["helped"], launches["alone"]) > 3, "a freed founder launches more"
    pairs = survivors(runs["alone"], runs["helped"])
    assert len(pairs) >= 36
    later = slice(365, 1095)  # the second and third years, once the extra products are on sale
    revenue = {
        k: np.array([r.total("revenue_usd", later) for r in arm])
        for k, arm in zip(runs, zip(*pairs, strict=True), strict=True)
    }
    assert paired_t(revenue["helped"], revenue["alone"]) > 2.5, "and, with the cash to stock them, sells more"


def test_keeping_product_keeps_its_quality_at_the_founders_level_while_a_product_hire_helps(load) -> None:
    """A product developer hired on day one (design skill 0.5 against the founder's 0.7) does the design work
    first unless the founder keeps it: then the founder works it first and reviews what the hire did."""
    hire = (
        "company.starting_cash_usd=200000",  # cash does not bind, so capacity shows
        "strategy.launch.max_in_development=2",
        "strategy.staffing.rules=[{role: product_developer, when: 'day >= 0', max_count: 1}]",
        "roles.product_developer.annual_quit_rate=0",
    )
    kept = (
        "strategy.assignments={selection: [founder, product_developer], design: [founder, product_developer], "
        "procurement: [founder, product_developer]}",
        "strategy.founder_review_share=0.25",
    )
    runs = replicate(
        {
            "alone": load("never_hire", *hire[:2]),
            "handed": load("never_hire", *hire),
            "kept": load("never_hire", *hire, *kept),
        },
        replications=16,
    )
    design = {k: np.array([r.differentiation for r in arm]) for k, arm in runs.items()}
    assert paired_t(design["alone"], design["handed"]) > 3, "handing design to a less skilled hire lowers it"
    assert paired_t(design["kept"], design["handed"]) > 3, "keeping it (and reviewing) holds it up"
    assert abs(design["kept"].mean() - design["alone"].mean()) < 0.25 * (design["alone"] - design["handed"]).mean()
    starts = {k: np.array([(r.events["kind"] == "development_started").sum() for r in arm]) for k, arm in runs.items()}
    # the hire's help is modest: photography and the launch work stay with the founder
    assert starts["kept"].mean() >= starts["alone"].mean(), "while the hire's hours still start as many products"


def test_seventy_hour_weeks_raise_mistakes_and_burnout_against_fifty(load) -> None:
    runs = replicate(
        {
            hours: load(
                "never_hire", *ESTABLISHED, f"company.founder.hours_per_week={hours}",
                f"company.founder.max_hours_per_week={hours}", "market.account_health.suspension_hazard_per_day=0",
            )
            for hours in (50, 70)
        },
        replications=12,
    )  # fmt: skip
    burnout = {h: np.array([founder(r)["burnout"].iloc[8:].mean() for r in arm]) for h, arm in runs.items()}
    assert paired_t(burnout[70], burnout[50]) > 3
    errors = {
        h: np.array([founder(r)["error_hours"].sum() / founder(r)["effective_hours"].sum() for r in arm])
        for h, arm in runs.items()
    }
    assert paired_t(errors[70], errors[50]) > 3, "a larger share of the work is done wrong"
    output = {h: np.array([founder(r)["effective_hours"].sum() for r in arm]) for h, arm in runs.items()}
    hours = {h: np.array([founder(r)["hours_worked"].sum() for r in arm]) for h, arm in runs.items()}
    assert (output[70] / hours[70] < output[50] / hours[50]).all(), "and each hour yields less"
    assert (output[70] < 1.4 * output[50]).all(), "40% more hours buy clearly less than 40% more output"


def test_supervision_and_training_grow_with_headcount_and_lower_skill(load) -> None:
    staff = {"2 operators": "{operator: 2}", "4 operators": "{operator: 4}", "4 assistants": "{offshore_va: 4}"}
    stay = "roles.offshore_va.annual_quit_rate=0"  # as operators do here: quits would change the headcount
    runs = replicate(
        {k: load("never_hire", *ESTABLISHED, stay, f"company.existing.staff={v}") for k, v in staff.items()},
        replications=8,
    )
    managing = {k: np.array([founder(r)["managing_hours"].mean() for r in arm]) for k, arm in runs.items()}
    assert paired_t(managing["4 operators"], managing["2 operators"]) > 3
    assert paired_t(managing["4 assistants"], managing["4 operators"]) > 3, "less skilled reports take more"
    new_hires = replicate(
        {
            k: load("never_hire", *ESTABLISHED, f"strategy.staffing.rules=[{{role: operator, when: 'day >= 0', "
                    f"max_count: {n}}}]")
            for k, n in (("1 hire", 1), ("3 hires", 3))
        },
        replications=8,
    )  # fmt: skip
    training = {
        k: np.array([founder(r)["managing_hours"].iloc[:20].sum() for r in arm]) for k, arm in new_hires.items()
    }
    assert paired_t(training["3 hires"], training["1 hire"]) > 3, "new hires are trained and supervised"


def test_a_skilled_hire_makes_fewer_mistakes_than_an_unskilled_one(load) -> None:
    unskilled = "roles.operator.skills={listing: 0.45, ads: 0.4, after_sales: 0.4, vision: 0.2}"
    runs = replicate(
        {"skilled": load("never_hire", *STAFFED), "unskilled": load("never_hire", *STAFFED, unskilled)},
        replications=24,
    )

    share = {k: [operators_ratio(r, "error_hours", "effective_hours") for r in arm] for k, arm in runs.items()}
    assert paired_t(share["unskilled"], share["skilled"]) > 3
    wasted = {k: np.array([r.daily["errors_ads_hours"].sum() for r in arm]) for k, arm in runs.items()}
    # the daily table counts everyone's mistakes, the founder's too, so it is noisier than the operators' share
    assert paired_t(wasted["unskilled"], wasted["skilled"]) > 2.5, "ads work done wrong shows in the daily table"


def test_neglect_of_each_backend_domain_costs_something(load) -> None:
    """Finance or HR left to a role the company never hires: nobody does them. Elsewhere the founder does them
    first (a busy founder who does them last would neglect them in both arms)."""
    hiring = "strategy.staffing.rules=[{role: operator, when: 'day >= 28', max_count: 4, cooldown_days: 28}]"
    backend_first = "strategy.founder_priorities=[hr, finance, selection, design, procurement, listing, ads]"
    base = (*STAFFED, hiring, backend_first, "company.starting_cash_usd=150000")  # most runs last the year
    runs = replicate(
        {
            "kept": load("never_hire", *base),
            "finance": load("never_hire", *base, nobody_does("finance")),
            "hr": load("never_hire", *base, nobody_does("hr")),
        },
        replications=10,
    )

    def count(r: Run, kind: str) -> int:
        return int((r.events["kind"] == kind).sum())

    kept, finance = zip(*survivors(runs["kept"], runs["finance"]), strict=True)
    penalties = {k: np.array([count(r, "penalty") for r in arm]) for k, arm in (("kept", kept), ("finance", finance))}
    assert len(kept) >= 6
    assert paired_t(penalties["finance"], penalties["kept"]) > 3, "missed filings cost penalties"
    assert (penalties["finance"] == 4).all(), "with nobody on the books every quarterly filing is missed"

    def days_to_hire(r: Run) -> float:
        opened = r.events[r.events["kind"] == "position_opened"]["day"].to_numpy()
        hired = r.events[r.events["kind"] == "hire"]["day"].to_numpy()
        n = min(len(opened), len(hired))
        return float((hired[:n] - opened[:n]).mean())

    waits = {k: np.array([days_to_hire(r) for r in runs[k]]) for k in ("kept", "hr")}
    assert paired_t(waits["hr"], waits["kept"]) > 3, "without HR work hiring is slower"


def test_neglected_admin_costs_everyone_hours(load) -> None:
    """Admin first among the founder's priorities, unless nobody may do it: then papers go missing and tools
    break, and every hour at work yields less."""
    admin_first = "strategy.founder_priorities=[admin, selection, design, procurement, listing, ads, after_sales]"
    company = (*STAFFED, admin_first, "company.starting_cash_usd=150000")  # most runs last the year in both arms
    runs = replicate(
        {"kept": load("never_hire", *company), "admin": load("never_hire", *company, nobody_does("admin"))},
        replications=8,
    )

    output = {k: [operators_ratio(r, "effective_hours", "hours_worked") for r in arm] for k, arm in runs.items()}
    assert paired_t(output["kept"], output["admin"]) > 3
    pairs = survivors(runs["kept"], runs["admin"])  # a company that fails stops working: compare whole years
    assert len(pairs) >= 6
    hours = [np.array([pair[k].staff["hours_worked"].sum() for pair in pairs]) for k in (1, 0)]
    assert paired_t(*hours) > 3, "so the same work takes everyone more hours"


def test_neglect_of_selection_or_design_costs_products(load) -> None:
    """An established company whose selection or design is left to a role never hired: nobody can research or
    design a new product, so none is started; nobody watches the niches, so the company's view of its products'
    trends goes stale and no product that has stopped paying its way is caught and retired; and without design's
    upkeep (fresh images, variations) the listings wear."""
    company = (*STAFFED, "company.starting_cash_usd=150000")  # so that most runs last the year in both arms
    runs = replicate(
        {
            "kept": load("never_hire", *company),
            "selection": load("never_hire", *company, nobody_does("selection", "product_developer")),
            "design": load("never_hire", *company, nobody_does("design", "designer")),
        },
        replications=10,
    )
    starts = {k: np.array([(r.events["kind"] == "development_started").sum() for r in arm]) for k, arm in runs.items()}
    assert (starts["kept"] > 0).all()
    assert (starts["selection"] == 0).all() and (starts["design"] == 0).all()
    view_error = {k: np.array([r.trend_view_error for r in runs[k]]) for k in ("kept", "selection")}
    assert paired_t(view_error["selection"], view_error["kept"]) > 3, "unwatched, the view of trends goes stale"
    retired = {k: np.array([(r.events["kind"] == "retired").sum() for r in runs[k]]) for k in ("kept", "selection")}
    assert retired["kept"].sum() > 0 and retired["selection"].sum() == 0, "only watching catches a product to retire"
    kept, undesigned = zip(*survivors(runs["kept"], runs["design"]), strict=True)
    assert len(kept) >= 7
    quality = [np.array([r.daily["listing_quality"].iloc[180:].mean() for r in arm]) for arm in (kept, undesigned)]
    assert paired_t(*quality) > 3
