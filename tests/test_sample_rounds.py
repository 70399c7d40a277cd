"""Sample rounds: the sampling stage's sample may fail, and a new one is made and couriered; poorer procurement work
fails more samples, each round costs cash that lands in the P&L's overhead, and the rounds stop at a cap."""

from __future__ import annotations

import numpy as np
import pytest

from sellersim.api import run_scenario
from sellersim.domains import DOMAINS
from sellersim.model import SellerModel
from sellersim.money.ledger import OVERHEAD_CATEGORIES
from sellersim.people.work import WeekOfWork
from sellersim.product.development import Project

PROJECTS = 40


def _week(skill: float) -> WeekOfWork:
    """A week in which all the development work asked is done, by the founder, at ``skill``."""
    n = len(DOMAINS)
    return WeekOfWork(
        demand=np.zeros(n), done=np.zeros(n), errors=np.zeros(n), done_share=np.ones(n), skill=np.full(n, skill),
        founder_share=np.ones(n), others_skill=np.full(n, skill), review_done_share=np.ones(n),
        spare_hours=np.zeros(n),
    )  # fmt: skip


def _sampling(scenario) -> int:
    return next(k for k, s in enumerate(scenario.development.stages) if s.domain == "procurement")


def develop(load, skill: float, *overrides: str) -> tuple[SellerModel, dict[int, int], dict[int, int]]:
    """Take ``PROJECTS`` projects through the sampling stage at ``skill``, a weekly review at a time: the model, and
    each project's sample rounds and days until its sampling stage closed."""
    m = SellerModel(load("base", *overrides))
    dev, k = m.development, _sampling(m.config)
    dev.projects = [Project(i, 0, stage=k) for i in range(PROJECTS)]
    closed: dict[int, int] = {}
    for day in range(0, 1000, 7):
        dev.weekly_hours(day)
        dev.progress(day, _week(skill))
        closed |= {p.ordinal: day for p in dev.projects if p.stage > k and p.ordinal not in closed}
        if len(closed) == PROJECTS:
            break
    assert len(closed) == PROJECTS, "every sampling stage closes"
    rejected = [int(e[5].split()[0][1:]) - 1 for e in m.events.of_kind("sample_rejected")]
    rounds = {i: 1 + rejected.count(i) for i in range(PROJECTS)}
    rounds = {i: min(r, m.config.development.sample_rounds.max_rounds) for i, r in rounds.items()}
    return m, rounds, closed


def test_poorer_procurement_fails_more_samples_and_takes_longer(load) -> None:
    """The same projects meet the same luck: with poorer procurement work no sample passes that better work would
    fail, more are rejected, and sampling takes longer."""
    _, rounds_poor, days_poor = develop(load, 0.2)
    _, rounds_good, days_good = develop(load, 0.95)
    assert all(rounds_poor[i] >= rounds_good[i] for i in range(PROJECTS)), "paired luck: never fewer rounds"
    assert all(days_poor[i] >= days_good[i] for i in range(PROJECTS))
    assert sum(rounds_poor.values()) > sum(rounds_good.values()) + 0.3 * PROJECTS
    assert np.mean(list(days_poor.values())) > np.mean(list(days_good.values())) + 7


def test_each_round_is_paid_as_a_sample_cost(load) -> None:
    """Every round (the first included) posts one bank entry of its sample fee and courier, within the range."""
    m, rounds, _ = develop(load, 0.5)
    led = m.ledger.to_frame()
    paid = led[led["category"] == "samples"]
    cost = m.config.development.sample_rounds.cost_usd
    assert len(paid) == sum(rounds.values()) > PROJECTS
    assert (paid["account"] == "bank").all()
    assert (-paid["amount_usd"]).between(cost.low, cost.high).all()


@pytest.mark.parametrize("cap", [1, 2, 3])
def test_rounds_stop_at_the_cap_and_the_unapproved_sample_brings_the_untended_defect_rate(load, cap) -> None:
    """No sample ever passes: every project takes exactly ``max_rounds`` rounds, then goes on with a product made
    the factory's own way (the untended defect rate), where a passed sample keeps the work's lower rate."""
    never = ("development.sample_rounds.pass_best=0", "development.sample_rounds.pass_untended=0")
    m, _, _ = develop(load, 0.9, f"development.sample_rounds.max_rounds={cap}", *never)
    led = m.ledger.to_frame()
    assert (led["category"] == "samples").sum() == cap * PROJECTS
    last = [e for e in m.events.of_kind("sample_rejected") if "last round" in e[5]]
    assert len(last) == PROJECTS and all(f"round {cap} rejected" in e[5] for e in last)
    supply = m.config.supply
    assert all(p.outcome["defect_rate"] == supply.defect_rate_untended for p in m.development.projects)
    always = ("development.sample_rounds.pass_best=1", "development.sample_rounds.pass_untended=1")
    passed, rounds, _ = develop(load, 0.9, f"development.sample_rounds.max_rounds={cap}", *always)
    assert set(rounds.values()) == {1}
    assert all(p.outcome["defect_rate"] < supply.defect_rate_untended for p in passed.development.projects)


def test_a_new_sample_takes_its_days_to_be_made_and_couriered(load) -> None:
    """A rejected sample's next round waits for the new sample however soon its hours are done: it closes on the
    first weekly review at least ``days`` after the rejection."""
    m, _, closed = develop(
        load, 0.9, "development.sample_rounds.max_rounds=2", "development.sample_rounds.pass_best=0",
        "development.sample_rounds.pass_untended=0", "development.sample_rounds.days={low: 40, mode: 40, high: 40}",
    )  # fmt: skip
    first = {int(e[5].split()[0][1:]) - 1: e[0] for e in m.events.of_kind("sample_rejected") if "round 1" in e[5]}
    assert len(first) == PROJECTS
    assert all(40 <= closed[i] - first[i] < 47 for i in range(PROJECTS))


def _days_to_first_order(result) -> list[int]:
    ev = result.events
    started = ev[ev["kind"] == "development_started"]
    start = {int(d.split()[0][1:]) - 1: int(day) for d, day in zip(started["detail"], started["day"], strict=True)}
    orders = ev[ev["kind"] == "purchase_order"].groupby("product_id")["day"].min()
    return [int(orders[i]) - start[i] for i in start if i in orders.index]


def test_a_poor_buyer_has_more_samples_rejected_and_orders_later_in_a_whole_run(load) -> None:
    """Paired runs of the base company whose founder is a poor or a skilled buyer: the poor buyer's samples are
    rejected more often, and from the start of development to the first order takes longer."""
    rejected, days = {}, {}
    for skill in (0.3, 0.95):
        rejected[skill], days[skill] = 0, []
        for seed in range(1, 9):
            r = run_scenario(
                load("base", "simulation.days=600", f"simulation.seed={seed}",
                     f"company.founder.skills.procurement={skill}")
            )  # fmt: skip
            rejected[skill] += r.summary["samples_rejected"]
            days[skill] += _days_to_first_order(r)
    assert rejected[0.3] > 1.5 * rejected[0.95] + 2
    assert np.mean(days[0.3]) > np.mean(days[0.95]) + 7


def test_samples_land_in_overhead_and_so_in_profit(load) -> None:
    """A run's sample costs are in its daily overhead (and so in SDE and profit) and nowhere else."""
    r = run_scenario(load("base", "simulation.days=400"))
    led = r.ledger
    samples = -led.loc[led["category"] == "samples", "amount_usd"].sum()
    others = -led.loc[led["category"].isin([c for c in OVERHEAD_CATEGORIES if c != "samples"]), "amount_usd"].sum()
    assert samples > 0
    assert r.daily["overhead_usd"].sum() == pytest.approx(others + samples)
