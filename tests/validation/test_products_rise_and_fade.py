"""Products rise and fade: copycats follow success, and design's refresh holds a product up.

Each test compares versions of one company on common seeds that differ in one thing and checks the
direction with paired t statistics; no outcome is hard-coded.
"""

from __future__ import annotations

import numpy as np
from replicate import paired_t, replicate
from scipy.stats import wilcoxon

# An established company with a team: sixteen products on sale from day 0 and three operators for them
COMPANY = (
    "company.existing.products=16", "company.existing.staff={operator: 3}", "company.starting_cash_usd=150000",
    "simulation.days=730", "roles.operator.annual_quit_rate=0",
)  # fmt: skip
NO_RIVALS = "market.rivals.entries_per_year=0"
NO_LAUNCHES = "strategy.launch.max_live_products=0"
LAST_QUARTER = 90


def by_product(products, column: str, days: slice | None = None) -> np.ndarray:
    p = products if days is None else products[products["day"].between(days.start, days.stop - 1)]
    return p.groupby("product_id")[column].sum()


def test_copycats_follow_success_and_take_price_and_sales(load) -> None:
    runs = replicate({"rivals": load("never_hire", *COMPANY), "none": load("never_hire", *COMPANY, NO_RIVALS)}, 20)
    copied_success, spared_success, price_drop, sales_drop = [], [], [], []
    for with_rivals, without in zip(runs["rivals"], runs["none"], strict=True):
        entries = with_rivals.events[with_rivals.events["kind"] == "copycat"]["product_id"].value_counts()
        # how well each product would do with no rivals: what draws them
        potential = by_product(without.products, "revenue_usd")
        copied = potential.index.isin(entries.index)
        copied_success += list(potential[copied])
        spared_success += list(potential[~copied])
        last = slice(len(without.daily) - LAST_QUARTER, len(without.daily))
        ids = entries.index
        units = [by_product(r.products, "units_sold", last).reindex(ids) for r in (with_rivals, without)]
        revenue = [by_product(r.products, "revenue_usd", last).reindex(ids) for r in (with_rivals, without)]
        sold = (units[0] > 0) & (units[1] > 0)
        price_drop += list((revenue[1] / units[1] - revenue[0] / units[0])[sold])
        sales_drop += list((units[1] - units[0])[sold])
    assert len(copied_success) >= 30 and len(spared_success) >= 30, "the premise: some products copied, some not"
    assert np.mean(copied_success) > 1.5 * np.mean(spared_success), "copycats go after the products that sell"
    assert np.mean(price_drop) > 0 and paired_t(np.array(price_drop), np.zeros(len(price_drop))) > 5
    assert paired_t(np.array(sales_drop), np.zeros(len(sales_drop))) > 3, "and take some of their sales"


def test_a_products_sales_fade_without_refresh_work_and_hold_with_it(load) -> None:
    """Design left to a role never hired: nobody refreshes the products, they lose their edge as rivals
    catch up and copy them, and sell less in the second year. Neither company launches, so both sell the same
    sixteen products (unrefreshed, design could not develop new ones either, and how buyers take to those
    would drown the fade)."""
    same_products = (*COMPANY, NO_LAUNCHES)
    runs = replicate(
        {
            "kept": load("never_hire", *same_products),
            "unrefreshed": load("never_hire", *same_products, "strategy.assignments={design: [designer]}"),
        },
        60,
    )
    pairs = [pair for pair in zip(runs["kept"], runs["unrefreshed"], strict=True) if not any(r.failed for r in pair)]
    assert len(pairs) >= 40, "the premise: the company lasts the two years"
    kept, unrefreshed = zip(*pairs, strict=True)

    def each(arm, figure) -> np.ndarray:
        return np.array([figure(r) for r in arm])

    def edge(r) -> float:
        return r.daily["differentiation"].iloc[365:].mean()

    def second_year(r) -> float:
        return r.total("revenue_usd", slice(365, 730))

    def first_quarter(r) -> float:
        return r.total("revenue_usd", slice(0, 90))

    assert paired_t(each(kept, edge), each(unrefreshed, edge)) > 5
    # signed ranks, not a t: a bad run, a closed listing or a product whose reviews sour in one arm makes a
    # year's sales heavy-tailed
    second = each(kept, second_year) - each(unrefreshed, second_year)
    assert wilcoxon(second, alternative="greater").pvalue < 0.005
    # the fade builds up: the gap is wider in the second year than in the first quarter
    gap_early = 1 - each(unrefreshed, first_quarter) / each(kept, first_quarter)
    gap_late = 1 - each(unrefreshed, second_year) / each(kept, second_year)
    assert wilcoxon(gap_late - gap_early, alternative="greater").pvalue < 0.05
