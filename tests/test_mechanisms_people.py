"""People: who does the week's work, service levels and backlog, hiring, ramp-up and quitting."""

from __future__ import annotations

import numpy as np
import pytest

from sellersim.api import run_scenario
from sellersim.domains import DOMAIN_INDEX, DOMAINS
from sellersim.model import SellerModel
from sellersim.people.agents import Employee, Founder
from sellersim.people.work import Workload

HR = DOMAIN_INDEX["hr"]


def hours(**by_domain: float) -> np.ndarray:
    out = np.zeros(len(DOMAINS))
    for d, h in by_domain.items():
        out[DOMAIN_INDEX[d]] = h
    return out


@pytest.fixture
def model(base) -> SellerModel:
    return SellerModel(base)


def employee(model: SellerModel, skills: dict[str, float], hours_per_week: float = 40.0, **kw) -> Employee:
    args = {
        "role": "operator",
        "annual_quit_rate": 0.3,
        "name": "E",
        "skills": skills,
        "hours_per_week": hours_per_week,
        "max_hours_per_week": hours_per_week,
        "salary_usd_per_month": 2000.0,
        "hired_day": -1000,
        "ramp_up_days": 28,
    } | kw
    return Employee(model, **args)


def founder(model: SellerModel, priorities: list[str], skill: float = 1.0, week: float = 50.0) -> Founder:
    return Founder(
        model,
        priorities=priorities,
        name="F",
        skills=dict.fromkeys(DOMAINS, skill),
        hours_per_week=week,
        max_hours_per_week=week,
        salary_usd_per_month=0.0,
        hired_day=0,
        ramp_up_days=0,
    )


def week(workload: Workload, demand: np.ndarray, people, day: int = 700):
    return workload.run_week({}, demand, people, day)


# --- work allocation ---------------------------------------------------------------------------


def test_specialists_take_their_domains_before_the_founder(model, base) -> None:
    op = employee(model, {"listing": 1.0, "ads": 0.5})
    boss = founder(model, ["selection", "listing", "ads"])
    w = week(Workload(base.work), hours(listing=30, ads=5, selection=10), [op, boss])
    np.testing.assert_allclose(w.done_share, 1.0)
    assert op.hours_worked == pytest.approx(30 + 5 / 0.5)
    assert boss.hours_worked == pytest.approx(10), "the founder only did what no specialist can do"


def test_specialist_works_best_skill_first(model, base) -> None:
    op = employee(model, {"listing": 0.5, "ads": 1.0}, hours_per_week=20)
    w = week(Workload(base.work), hours(listing=20, ads=15), [op])
    assert w.done[DOMAIN_INDEX["ads"]] == pytest.approx(15)
    assert w.done[DOMAIN_INDEX["listing"]] == pytest.approx(5 * 0.5)


def test_founder_fills_the_rest_in_priority_order(model, base) -> None:
    op = employee(model, {"listing": 1.0}, hours_per_week=20)
    boss = founder(model, ["hr", "listing", "selection", "finance"], week=40)
    demand = hours(listing=30, selection=25, hr=10, finance=20)
    w = week(Workload(base.work), demand, [op, boss])
    share = dict(zip(DOMAINS, w.done_share, strict=True))
    # operator: 20 h of listing; founder: hr 10, listing 10, selection 20 of 25, no finance
    assert share["hr"] == pytest.approx(1.0)
    assert share["listing"] == pytest.approx(1.0)
    assert share["selection"] == pytest.approx(20 / 25)
    assert share["finance"] == pytest.approx(0.0)
    assert boss.hours_worked == pytest.approx(40)
    assert boss.load == pytest.approx((10 + 10 + 25 + 20) / 40), "load counts demanded hours, not worked"


def test_service_falls_below_one_only_when_demand_exceeds_hours(model, base) -> None:
    wl = Workload(base.work)
    boss = founder(model, list(DOMAINS), week=40)
    week(wl, hours(selection=30), [boss])
    np.testing.assert_allclose(wl.service, 1.0)
    np.testing.assert_allclose(wl.backlog, 0.0)

    w = week(wl, hours(selection=30, hr=30), [boss])
    assert w.done_share[HR] == pytest.approx(10 / 30)
    smoothing = base.work.service_smoothing_weeks
    assert wl.service[HR] == pytest.approx(1 + (10 / 30 - 1) / smoothing)
    assert wl.service[DOMAIN_INDEX["selection"]] == pytest.approx(1.0)
    assert (wl.service[np.arange(len(DOMAINS)) != HR] == 1).all()


def test_backlog_carries_a_share_of_undone_work(model, base) -> None:
    wl = Workload(base.work)
    carry = base.work.backlog_carry_share
    boss = founder(model, list(DOMAINS), week=10)
    week(wl, hours(finance=30), [boss])
    assert wl.backlog[DOMAIN_INDEX["finance"]] == pytest.approx(carry * 20)
    w = week(wl, hours(), [boss])  # no new work: only last week's leftovers
    assert w.demand[DOMAIN_INDEX["finance"]] == pytest.approx(carry * 20)
    assert wl.backlog[DOMAIN_INDEX["finance"]] == pytest.approx(carry * max(carry * 20 - 10, 0))


def test_work_is_effective_hours_over_skill(model, base) -> None:
    """A half-skilled person needs twice the hours; the week's skill is the average of who did it."""
    wl = Workload(base.work)
    novice = employee(model, {"design": 0.5}, hours_per_week=50)
    w = week(wl, hours(design=10), [novice])
    assert novice.hours_worked == pytest.approx(20)
    assert w.skill[DOMAIN_INDEX["design"]] == pytest.approx(0.5)


def test_new_work_comes_from_drivers(base) -> None:
    wl = Workload(base.work)
    one = wl.new_work({"live_products": 1.0})
    ten = wl.new_work({"live_products": 10.0})
    np.testing.assert_allclose(ten, 10 * one)
    for domain, h in base.work.drivers["live_products"].items():
        assert one[DOMAIN_INDEX[domain]] == pytest.approx(h)


# --- ramp-up, fatigue and quitting ---------------------------------------------------------------


def test_ramp_up_is_linear_from_start_to_full(model, base) -> None:
    start = base.people.ramp_up_start
    e = employee(model, {"ads": 1.0}, hired_day=10, ramp_up_days=28)
    assert e.ramp_up(10) == pytest.approx(start)
    assert e.ramp_up(24) == pytest.approx(start + (1 - start) / 2)
    assert e.ramp_up(38) == pytest.approx(1.0)
    assert e.ramp_up(500) == pytest.approx(1.0)
    steps = np.diff([e.ramp_up(d) for d in range(10, 39)])
    np.testing.assert_allclose(steps, (1 - start) / 28)


def test_new_hire_gets_less_done(model, base) -> None:
    fresh = employee(model, {"ads": 1.0}, hired_day=700, ramp_up_days=28, hours_per_week=40)
    w = week(Workload(base.work), hours(ads=40), [fresh], day=700)
    assert w.done[DOMAIN_INDEX["ads"]] == pytest.approx(40 * base.people.ramp_up_start)


def test_fatigue_builds_under_overload_and_recovers(model, base) -> None:
    p = base.people
    boss = founder(model, list(DOMAINS), week=40)
    boss.max_hours_per_week = 60
    for _ in range(5):
        week(Workload(base.work), hours(selection=60), [boss])
        boss.end_week()
    tired = boss.fatigue
    assert tired > 0 and tired <= 1
    assert boss.productivity == pytest.approx(1 - p.fatigue_productivity_loss * tired)
    week(Workload(base.work), hours(selection=10), [boss])
    boss.end_week()
    assert boss.fatigue == pytest.approx(tired * (1 - p.fatigue_recovery_per_week))


def test_quit_hazard_rises_with_fatigue(model, base) -> None:
    e = employee(model, {"ads": 1.0}, annual_quit_rate=0.3)
    weekly = 1 - (1 - 0.3) ** (1 / 52)
    draws = 200_000
    rates = {}
    for fatigue in (0.0, 0.5, 1.0):
        e.fatigue = fatigue
        rng = np.random.default_rng(2024)
        rates[fatigue] = sum(e.quits(rng) for _ in range(draws)) / draws
    m = base.people.fatigue_quit_multiplier
    assert rates[0.0] == pytest.approx(weekly, rel=0.1)
    assert rates[1.0] == pytest.approx(weekly * m, rel=0.1)
    assert rates[0.5] == pytest.approx(weekly * (1 + (m - 1) / 2), rel=0.1)
    assert rates[0.0] < rates[0.5] < rates[1.0]
    # a year of weekly draws at no fatigue quits at about the annual rate
    yearly = 1 - (1 - rates[0.0]) ** 52
    assert yearly == pytest.approx(0.3, abs=0.03)


def test_quits_are_replaced_when_the_strategy_says_so(load) -> None:
    scenario = load("full_team_day_one", "simulation.days=120", "roles.operator.annual_quit_rate=1.0")
    assert scenario.strategy.staffing.replace_quits
    events = run_scenario(scenario).events
    quits = events[events["kind"] == "quit"]
    assert len(quits) >= 2
    assert set(quits["role"]) == {"operator"}
    opened = events[events["kind"] == "position_opened"]
    for q in quits.itertuples():
        name = q.detail.removesuffix(" quit")
        same = opened[(opened["day"] == q.day) & (opened["role"] == q.role) & (opened["detail"] == f"replace {name}")]
        assert len(same) == 1, f"no replacement for {q.detail}"


def test_quits_are_not_replaced_otherwise(load) -> None:
    scenario = load(
        "full_team_day_one",
        "simulation.days=120",
        "roles.operator.annual_quit_rate=1.0",
        "strategy.staffing.replace_quits=false",
        "strategy.staffing.rules=[{role: operator, when: 'day >= 0', max_count: 1, cooldown_days: 1000}]",
    )
    events = run_scenario(scenario).events
    assert (events["kind"] == "quit").sum() == 1
    assert (events["kind"] == "position_opened").sum() == 1


# --- hiring ---------------------------------------------------------------------------------------


def rule(role: str, when: str, **kw) -> str:
    extra = "".join(f", {k}: {v}" for k, v in kw.items())
    return f"strategy.staffing.rules=[{{role: {role}, when: '{when}'{extra}}}]"


def test_rule_opens_a_position_and_the_hire_arrives_after_time_to_hire(load, base) -> None:
    spec = base.roles["operator"]
    review = base.strategy.staffing.review_every_days
    first_review = next(d for d in range(10, 100) if d % review == 0)
    waits = []
    for seed in range(1, 9):
        scenario = load(
            "never_hire",
            "simulation.days=150",
            f"simulation.seed={seed}",
            "roles.operator.annual_quit_rate=0",
            rule("operator", "day >= 10", max_count=1),
        )
        result = run_scenario(scenario)
        events = result.events
        opened = events[events["kind"] == "position_opened"]
        hired = events[events["kind"] == "hire"]
        assert list(opened["day"]) == [first_review]
        assert list(hired["role"]) == ["operator"]
        waits.append(int(hired["day"].iloc[0]) - first_review)
        d = result.daily
        assert d.loc[d["day"] < hired["day"].iloc[0], "headcount"].max() == 0
        assert d.loc[d["day"] >= hired["day"].iloc[0], "headcount_operator"].min() == 1
        assert d.loc[first_review, "open_positions"] == 1
    # HR work is done while the founder is alone and idle: the role's typical time applies
    expected = spec.time_to_hire_days
    assert all(0.3 * expected <= w <= 3 * expected for w in waits), waits
    assert np.median(waits) == pytest.approx(expected, rel=0.35)


def test_good_hr_work_hires_faster(model, base) -> None:
    spec = base.roles["operator"]
    mean_wait = {}
    for service in (0.0, 1.0):
        m = SellerModel(base)
        m.workload.service[HR] = service
        for _ in range(200):
            m.recruiter.open("operator", 0, reason="test")
        m.env.run(until=400)
        hired = [e.hired_day for e in m.roster if isinstance(e, Employee)]
        assert len(hired) == 200
        mean_wait[service] = float(np.mean(hired))
    luck = np.exp(0.3**2 / 2)  # mean of the log-normal luck
    assert mean_wait[0.0] == pytest.approx(spec.time_to_hire_days * (1 + base.people.hr_neglect_delay) * luck, rel=0.1)
    assert mean_wait[1.0] == pytest.approx(spec.time_to_hire_days * luck, rel=0.1)


def test_positions_cost_the_hiring_fee(model, base) -> None:
    model.recruiter.open("designer", 3, reason="test")
    led = model.ledger.to_frame()
    assert list(led["category"].astype(str)) == ["hiring"]
    assert led["amount_usd"].iloc[0] == pytest.approx(-base.roles["designer"].hiring_cost_usd)
    assert model.recruiter.open_positions["designer"] == 1


@pytest.mark.parametrize(
    ("max_count", "cooldown", "expected_days"),
    [(1, 0, [0]), (2, 0, [0, 7]), (2, 30, [0, 35]), (3, 60, [0, 63, 126])],
)
def test_max_count_and_cooldown_are_respected(load, max_count, cooldown, expected_days) -> None:
    scenario = load(
        "never_hire",
        "simulation.days=200",
        "roles.offshore_va.annual_quit_rate=0",
        "strategy.staffing.review_every_days=7",
        rule("offshore_va", "day >= 0", max_count=max_count, cooldown_days=cooldown),
    )
    result = run_scenario(scenario)
    opened = result.events[result.events["kind"] == "position_opened"]
    assert list(opened["day"]) == expected_days
    assert result.daily["headcount"].max() <= max_count
    assert (result.daily["headcount"] + result.daily["open_positions"]).max() <= max_count
