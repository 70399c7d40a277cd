"""People: who does the week's work, service levels and backlog, hiring, ramp-up and quitting."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sellersim.api import run_scenario
from sellersim.domains import DOMAIN_INDEX, DOMAINS
from sellersim.model import SellerModel
from sellersim.people.agents import Employee, Founder
from sellersim.people.work import Workload
from sellersim.scenario.schema import People

HR = DOMAIN_INDEX["hr"]


def hours(**by_domain: float) -> np.ndarray:
    out = np.zeros(len(DOMAINS))
    for d, h in by_domain.items():
        out[DOMAIN_INDEX[d]] = h
    return out


@pytest.fixture
def model(base) -> SellerModel:
    return SellerModel(base)


def calm(base, **changes) -> People:
    """People settings with no mistakes, sick days, overtime loss or managing, so allocation shows alone."""
    return base.people.model_copy(
        update={
            "error_share_unskilled": 0.0,
            "sick_days_per_year": 0.0,
            "healthy_hours_per_week": 1000.0,
            "supervision_hours_per_report": 0.0,
            "training_hours_per_week": 0.0,
            **changes,
        }
    )


def employee(model: SellerModel, skills: dict[str, float], hours_per_week: float = 40.0, people=None, **kw) -> Employee:
    args = {
        "role": "operator",
        "annual_quit_rate": 0.3,
        "people": people or calm(model.config),
        "rng": np.random.default_rng(1),
        "name": "E",
        "skills": skills,
        "hours_per_week": hours_per_week,
        "max_hours_per_week": hours_per_week,
        "salary_usd_per_month": 2000.0,
        "hired_day": -1000,
        "ramp_up_days": 28,
    } | kw
    return Employee(model, **args)


def founder(model: SellerModel, priorities: list[str], skill: float = 1.0, week: float = 50.0, people=None) -> Founder:
    return Founder(
        model,
        priorities=priorities,
        people=people or calm(model.config),
        rng=np.random.default_rng(2),
        name="F",
        skills=dict.fromkeys(DOMAINS, skill),
        hours_per_week=week,
        max_hours_per_week=week,
        salary_usd_per_month=0.0,
        hired_day=0,
        ramp_up_days=0,
    )


def week(workload: Workload, demand: np.ndarray, people, day: int = 700, assignments=None, review=None):
    boss = next((p for p in people if isinstance(p, Founder)), None)
    if boss is None:  # a founder with no skills and no hours, so only the employees work
        boss = founder(people[0].model, list(DOMAINS), skill=0.0, week=1.0, people=people[0].cfg)
    staff = [p for p in people if isinstance(p, Employee)]
    return workload.run_week(
        drivers={},
        extra=demand,
        founder_review=hours() if review is None else review,
        founder=boss,
        employees=staff,
        assignments=assignments or {},
        day=day,
    )


def workload(base, people=None) -> Workload:
    return Workload(base.work, people or calm(base))


# --- work allocation ---------------------------------------------------------------------------


def test_specialists_take_their_domains_before_the_founder(model, base) -> None:
    op = employee(model, {"listing": 1.0, "ads": 0.5})
    boss = founder(model, ["selection", "listing", "ads"])
    w = week(workload(base), hours(listing=30, ads=5, selection=10), [op, boss])
    np.testing.assert_allclose(w.done_share, 1.0)
    assert op.hours_worked == pytest.approx(30 + 5 / 0.5)
    assert boss.hours_worked == pytest.approx(10), "the founder only did what no specialist can do"


def test_specialist_works_best_skill_first(model, base) -> None:
    op = employee(model, {"listing": 0.5, "ads": 1.0}, hours_per_week=20)
    w = week(workload(base), hours(listing=20, ads=15), [op])
    assert w.done[DOMAIN_INDEX["ads"]] == pytest.approx(15)
    assert w.done[DOMAIN_INDEX["listing"]] == pytest.approx(5 * 0.5)


def test_founder_fills_the_rest_in_priority_order(model, base) -> None:
    op = employee(model, {"listing": 1.0}, hours_per_week=20)
    boss = founder(model, ["hr", "listing", "selection", "finance"], week=40)
    demand = hours(listing=30, selection=25, hr=10, finance=20)
    w = week(workload(base), demand, [op, boss])
    share = dict(zip(DOMAINS, w.done_share, strict=True))
    # operator: 20 h of listing; founder: hr 10, listing 10, selection 20 of 25, no finance
    assert share["hr"] == pytest.approx(1.0)
    assert share["listing"] == pytest.approx(1.0)
    assert share["selection"] == pytest.approx(20 / 25)
    assert share["finance"] == pytest.approx(0.0)
    assert boss.hours_worked == pytest.approx(40)
    assert boss.load == pytest.approx((10 + 10 + 25 + 20) / 40), "load counts demanded hours, not worked"


def test_owners_work_their_domains_first_and_nobody_else_touches_them(model, base) -> None:
    """The founder keeps selection and design: a product developer only helps once assigned after the founder."""
    dev = employee(model, {"selection": 1.0, "design": 1.0}, hours_per_week=40, role="product_developer")
    boss = founder(model, ["selection", "design", "listing"], skill=0.5, week=40)
    demand = hours(selection=15, design=10)
    kept = week(workload(base), demand, [dev, boss], assignments={"selection": ["founder"], "design": ["founder"]})
    assert dev.hours_worked == 0, "a domain the founder keeps is not worked by the hire"
    assert boss.hours_worked == pytest.approx(40)
    assert kept.done_share[DOMAIN_INDEX["selection"]] == pytest.approx(1.0)
    assert kept.done_share[DOMAIN_INDEX["design"]] == pytest.approx(0.5), "the founder's hours ran out"
    assert kept.skill[DOMAIN_INDEX["selection"]] == pytest.approx(0.5), "the work is as good as the founder's"
    shared = week(
        workload(base),
        demand,
        [dev, boss],
        assignments={"selection": ["founder", "product_developer"], "design": ["founder", "product_developer"]},
    )
    assert boss.hours_worked == pytest.approx(40), "the first owner works first"
    assert dev.hours_worked == pytest.approx(5), "the second owner takes what is left"
    np.testing.assert_allclose(shared.done_share[[DOMAIN_INDEX["selection"], DOMAIN_INDEX["design"]]], 1.0)
    handed = week(workload(base), demand, [dev, boss])
    assert boss.hours_worked == 0 and dev.hours_worked == pytest.approx(25), "unassigned: the specialist first"
    assert handed.skill[DOMAIN_INDEX["selection"]] == pytest.approx(1.0)


def test_service_falls_below_one_only_when_demand_exceeds_hours(model, base) -> None:
    wl = workload(base)
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
    wl = workload(base)
    carry = base.work.backlog_carry_share
    boss = founder(model, list(DOMAINS), week=10)
    week(wl, hours(finance=30), [boss])
    assert wl.backlog[DOMAIN_INDEX["finance"]] == pytest.approx(carry * 20)
    w = week(wl, hours(), [boss])  # no new work: only last week's leftovers
    assert w.demand[DOMAIN_INDEX["finance"]] == pytest.approx(carry * 20)
    assert wl.backlog[DOMAIN_INDEX["finance"]] == pytest.approx(carry * max(carry * 20 - 10, 0))


def test_work_is_effective_hours_over_skill(model, base) -> None:
    """A half-skilled person needs twice the hours; the week's skill is the average of who did it."""
    novice = employee(model, {"design": 0.5}, hours_per_week=50)
    w = week(workload(base), hours(design=10), [novice])
    assert novice.hours_worked == pytest.approx(20)
    assert w.skill[DOMAIN_INDEX["design"]] == pytest.approx(0.5)


def test_new_work_comes_from_drivers(base) -> None:
    wl = workload(base)
    one = wl.new_work({"live_products": 1.0})
    ten = wl.new_work({"live_products": 10.0})
    np.testing.assert_allclose(ten, 10 * one)
    for domain, h in base.work.drivers["live_products"].items():
        assert one[DOMAIN_INDEX[domain]] == pytest.approx(h)


# --- long hours, mistakes, burnout ---------------------------------------------------------------


def test_hours_past_the_healthy_level_yield_less(model, base) -> None:
    p = calm(base, healthy_hours_per_week=40.0, overtime_hour_yield=0.3)
    boss = founder(model, list(DOMAINS), week=70, people=p)
    w = week(workload(base, p), hours(selection=100), [boss])
    assert boss.hours_worked == pytest.approx(70)
    assert w.done[DOMAIN_INDEX["selection"]] == pytest.approx(40 + 0.3 * 30), "70 hours are worth 49 healthy ones"
    short = founder(model, list(DOMAINS), week=40, people=p)
    w = week(workload(base, p), hours(selection=20), [short])
    assert short.hours_worked == pytest.approx(20) and w.done[DOMAIN_INDEX["selection"]] == pytest.approx(20)
    # to get 49 healthy hours of work done, a founder must put in 70
    assert short.load == pytest.approx(20 / 40)
    stretched = founder(model, list(DOMAINS), week=40, people=p)
    week(workload(base, p), hours(selection=49), [stretched])
    assert stretched.load == pytest.approx(70 / 40)


def test_mistakes_fall_with_skill_and_rise_with_burnout_and_long_hours(model, base) -> None:
    p = calm(base, error_share_unskilled=0.2, healthy_hours_per_week=40.0, overtime_hour_yield=0.5)
    skilled = employee(model, {"ads": 0.9}, people=p)
    novice = employee(model, {"ads": 0.5}, people=p)
    for person in (skilled, novice):
        w = week(workload(base, p), hours(ads=10), [person])
        share = w.errors[DOMAIN_INDEX["ads"]] / (w.done + w.errors)[DOMAIN_INDEX["ads"]]
        assert share == pytest.approx(0.2 * (1 - person.skills[DOMAIN_INDEX["ads"]]))
        assert w.done_share[DOMAIN_INDEX["ads"]] == pytest.approx(1 - share), "work done wrong stays open"
    assert novice.error_hours > skilled.error_hours
    worn = employee(model, {"ads": 0.9}, people=p)
    worn.burnout = 1.0
    week(workload(base, p), hours(ads=10), [worn])
    assert worn.error_hours == pytest.approx(skilled.error_hours * (1 + p.burnout_error_multiplier), rel=1e-6)
    late = employee(model, {"ads": 0.9}, hours_per_week=60, people=p)
    week(workload(base, p), hours(ads=45), [late])  # 40 healthy hours, then 20 yielding 10
    healthy_errors = 0.2 * 0.1 * 36
    overtime_errors = 0.2 * 0.1 * p.overtime_error_multiplier * 9
    assert late.error_hours == pytest.approx(healthy_errors + overtime_errors)


def test_burnout_builds_above_the_healthy_level_and_drains_slowly(model, base) -> None:
    p = base.people
    boss = founder(model, list(DOMAINS), week=80, people=calm(base, healthy_hours_per_week=p.healthy_hours_per_week))
    level = boss.cfg.healthy_hours_per_week
    expected = 0.0
    for _ in range(5):
        week(workload(base, boss.cfg), hours(selection=200), [boss])
        expected = expected * (1 - p.burnout_drain_per_week) + p.burnout_gain_per_week * (80 - level) / level
        assert boss.burnout == pytest.approx(min(expected, 1.0))
    tired = boss.burnout
    week(workload(base, boss.cfg), hours(selection=10), [boss])
    assert boss.burnout == pytest.approx(tired * (1 - p.burnout_drain_per_week))


def test_a_breakdown_cuts_the_week_for_weeks(model, base) -> None:
    p = calm(base, healthy_hours_per_week=50.0, crash_weeks=3, crash_hours_share=0.5, burnout_crash_level=0.8)
    boss = founder(model, list(DOMAINS), week=80, people=p)
    boss.burnout = 0.79
    week(workload(base, p), hours(selection=200), [boss])
    assert boss.broke_down and boss.crash_weeks_left == 3
    for _ in range(3):
        week(workload(base, p), hours(selection=200), [boss])
        assert boss.hours_worked == pytest.approx(25), "cut back to half the healthy week"
    week(workload(base, p), hours(selection=200), [boss])
    assert boss.hours_worked == pytest.approx(80), "back to full stretch after the cut-back"


def test_sick_days_rise_with_burnout(model, base) -> None:
    p = calm(base, sick_days_per_year=5.0, burnout_sick_day_multiplier=3.0)
    rested, worn = (founder(model, list(DOMAINS), week=40, people=p) for _ in range(2))
    worn.burnout = 1.0
    days = {}
    for name, person in (("rested", rested), ("worn", worn)):
        person.health_rng = np.random.default_rng(7)
        total = 0
        for _ in range(5000):
            person.start_week(700)
            total += person.sick_days
        days[name] = total / 5000 * 52
    assert days["rested"] == pytest.approx(5.0, rel=0.1)
    assert days["worn"] == pytest.approx(5.0 * 4, rel=0.1)


def test_supervision_and_training_take_hours_that_grow_with_headcount_and_lower_skill(model, base) -> None:
    p = calm(base, supervision_hours_per_report=1.5, supervision_unskilled_multiplier=2.0, training_hours_per_week=5)
    boss = founder(model, list(DOMAINS), week=60, people=p)
    managing = {}
    for label, skill, count in (("two skilled", 0.9, 2), ("four skilled", 0.9, 4), ("four unskilled", 0.4, 4)):
        staff = [employee(model, {"ads": skill}, people=p) for _ in range(count)]
        week(workload(base, p), hours(), [*staff, boss])
        managing[label] = boss.managing_hours
        assert managing[label] == pytest.approx(count * 1.5 * (1 + 2.0 * (1 - skill)))
    assert managing["two skilled"] < managing["four skilled"] < managing["four unskilled"]
    senior = employee(model, {"ads": 0.9}, people=p)
    fresh = employee(model, {"ads": 0.9}, people=p, hired_day=690)
    week(workload(base, p), hours(), [senior, fresh, boss])
    assert senior.managing_hours == pytest.approx(5), "a colleague past ramp-up trains the new hire"
    alone = employee(model, {"ads": 0.9}, people=p, hired_day=690, role="designer")
    week(workload(base, p), hours(), [alone, boss])
    assert boss.managing_hours == pytest.approx(5 + 1.5 * (1 + 2.0 * (1 - 0.9 * alone.ramp_up(700)))), "or the founder"


# --- ramp-up and quitting ------------------------------------------------------------------------


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
    w = week(workload(base), hours(ads=40), [fresh], day=700)
    assert w.done[DOMAIN_INDEX["ads"]] == pytest.approx(40 * base.people.ramp_up_start)


def test_quit_hazard_rises_with_burnout(model, base) -> None:
    e = employee(model, {"ads": 1.0}, annual_quit_rate=0.3)
    weekly = 1 - (1 - 0.3) ** (1 / 52)
    draws = 200_000
    rates = {}
    for burnout in (0.0, 0.5, 1.0):
        e.burnout = burnout
        rng = np.random.default_rng(2024)
        rates[burnout] = sum(e.quits(rng) for _ in range(draws)) / draws
    m = base.people.burnout_quit_multiplier
    assert rates[0.0] == pytest.approx(weekly, rel=0.1)
    assert rates[1.0] == pytest.approx(weekly * m, rel=0.1)
    assert rates[0.5] == pytest.approx(weekly * (1 + (m - 1) / 2), rel=0.1)
    assert rates[0.0] < rates[0.5] < rates[1.0]
    # a year of weekly draws at no burnout quits at about the annual rate
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
    for seed in range(1, 17):
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
        assert (
            hired["detail"].iloc[0].endswith("hired (rule 1: it is day 10 (month 1) or later)")
        )  # which rule, in words
        waits.append(int(hired["day"].iloc[0]) - first_review)
        d = result.daily
        assert d.loc[d["day"] < hired["day"].iloc[0], "headcount"].max() == 0
        assert d.loc[d["day"] >= hired["day"].iloc[0], "headcount_operator"].min() == 1
        assert d.loc[first_review, "open_positions"] == 1
    # HR work is done while the founder is alone and idle: the role's typical time applies
    expected = spec.time_to_hire_days
    assert all(0.3 * expected <= w <= 3 * expected for w in waits), waits
    assert np.median(waits) == pytest.approx(expected, rel=0.35)


def hr_done(m: SellerModel, share: float) -> None:
    """Make last week's HR work done ``share`` (what recruiting reads)."""
    done = m.workload.last.done_share.copy()
    done[HR] = share
    m.workload.last = dataclasses.replace(m.workload.last, done_share=done)


def hire_many(base, hr_share: float, count: int, until: int) -> list[Employee]:
    """Open ``count`` operator positions on day 0 with last week's HR work done ``hr_share``; the hires by ``until``."""
    m = SellerModel(base)
    hr_done(m, hr_share)
    for _ in range(count):
        m.recruiter.open("operator", 0, reason="test")
    m.env.run(until=until)
    return [e for e in m.roster if isinstance(e, Employee)]


def test_good_hr_work_hires_faster(model, base) -> None:
    spec = base.roles["operator"]
    mean_wait = {}
    for service in (0.0, 1.0):
        hired = [e.hired_day for e in hire_many(base, service, 200, 400)]
        assert len(hired) == 200
        mean_wait[service] = float(np.mean(hired))
    luck = np.exp(0.3**2 / 2)  # mean of the log-normal luck
    searches = 1 / (1 - base.people.failed_search_share)  # with no screening some searches fail and restart
    neglected = spec.time_to_hire_days * (1 + base.people.hr_neglect_delay) * luck * searches
    assert mean_wait[0.0] == pytest.approx(neglected, rel=0.1)
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


# --- who you get, failed searches, letting go --------------------------------------------------


def test_hires_differ_and_neglected_hr_brings_weaker_ones(base) -> None:
    p = base.people
    spec = base.roles["operator"].skills
    mean_skill = {}
    for service in (0.0, 1.0):
        ads = np.array([e.skills[DOMAIN_INDEX["ads"]] for e in hire_many(base, service, 300, 600)])
        assert len(ads) == 300 and ads.std() > 0.5 * p.hire_skill_sigma * spec["ads"], "hires differ"
        mean_skill[service] = ads.mean()
    luck = np.exp(p.hire_skill_sigma**2 / 2)
    assert mean_skill[1.0] == pytest.approx(spec["ads"] * luck, rel=0.05)
    assert mean_skill[0.0] == pytest.approx(spec["ads"] * (1 - p.hr_neglect_skill_loss) * luck, rel=0.05)


@pytest.mark.parametrize("service", [0.0, 0.5, 1.0])
def test_searches_fail_and_start_again_when_screening_is_neglected(base, service) -> None:
    m = SellerModel(base)
    hr_done(m, service)
    for _ in range(400):
        m.recruiter.open("designer", 0, reason="test")
    m.env.run(until=4000)
    f = base.people.failed_search_share * (1 - service)
    assert m.recruiter.failed_searches / 400 == pytest.approx(f / (1 - f), rel=0.3, abs=0.005)
    assert len(m.events.of_kind("search_failed")) == m.recruiter.failed_searches


def test_a_hire_who_falls_short_is_let_go_after_probation_and_replaced(load) -> None:
    rules = "strategy.staffing.rules=[{role: operator, when: 'day >= 0', max_count: 1}]"
    common = ("simulation.days=400", rules, "people.hire_skill_sigma=0.4", "roles.operator.annual_quit_rate=0")
    strict = run_scenario(load("never_hire", *common, "strategy.staffing.let_go_below_skill_share=0.95")).events
    kept = run_scenario(load("never_hire", *common)).events
    assert (kept["kind"] == "let_go").sum() == 0, "0 keeps everyone"
    gone = strict[strict["kind"] == "let_go"]
    assert len(gone) >= 1
    hired = strict[strict["kind"] == "hire"].set_index("person_id")["day"]
    probation, review = 90, 7
    for row in gone.itertuples():
        assert probation <= row.day - hired.loc[row.person_id] < probation + review
        reopened = strict[(strict["kind"] == "position_opened") & (strict["day"] == row.day)]
        assert len(reopened) == 1 and reopened["role"].iloc[0] == "operator"


# --- the founder's review ------------------------------------------------------------------------


def test_the_founders_review_comes_first_and_reports_how_much_was_done(model, base) -> None:
    boss = founder(model, ["listing", "design"], skill=0.5, week=20)
    w = week(workload(base), hours(listing=40), [boss], review=hours(design=5))
    assert w.review_done_share[DOMAIN_INDEX["design"]] == pytest.approx(1.0)
    assert w.done[DOMAIN_INDEX["listing"]] == pytest.approx((20 - 10) * 0.5), "review hours come off the top"
    busy = founder(model, ["listing", "design"], skill=0.5, week=20)
    w = week(workload(base), hours(), [busy], review=hours(design=20))
    assert w.review_done_share[DOMAIN_INDEX["design"]] == pytest.approx(0.5), "20 hours at skill 0.5 review 10"


def test_the_founders_review_lifts_others_product_work_to_the_founders_skill(load) -> None:
    """A design stage done by a hire of skill 0.4: reviewed in full it is as good as the founder's own (0.7),
    not reviewed it is the hire's."""
    from sellersim.people.work import WeekOfWork
    from sellersim.product.development import Project

    outcome = {}
    for reviewed in (1.0, 0.0):
        m = SellerModel(load("never_hire", "strategy.founder_review_share=0.5"))
        dev = m.development
        dev.projects = [Project(0, 0, stage=1)]  # design
        n = len(DOMAINS)
        week = WeekOfWork(
            demand=np.zeros(n), done=np.zeros(n), errors=np.zeros(n), done_share=np.ones(n),
            skill=np.full(n, 0.4), founder_share=np.zeros(n), others_skill=np.full(n, 0.4),
            review_done_share=np.full(n, reviewed), spare_hours=np.zeros(n),
        )  # fmt: skip
        for day in range(0, 70, 7):
            dev.weekly_hours(day)
            assert dev.review_hours()[DOMAIN_INDEX["design"]] >= 0
            dev.progress(day, week)
            if dev.projects[0].stage > 1:
                break
        outcome[reviewed] = dev.projects[0].outcome["differentiation"]
    founder_design = m.config.company.founder.skills["design"]
    assert outcome[1.0] / outcome[0.0] == pytest.approx(founder_design / 0.4, rel=0.02)


def test_offshore_overhead_and_admin_chaos_are_hours_worked_that_yield_nothing(model, base) -> None:
    near = employee(model, {"listing": 1.0}, hours_per_week=40)
    far = employee(model, {"listing": 1.0}, hours_per_week=40, coordination_overhead_share=0.1)
    for person in (near, far):
        week(workload(base), hours(listing=100), [person])
        assert person.hours_worked == pytest.approx(40), "the hours are worked all the same"
    assert far.effective_hours == pytest.approx(0.9 * near.effective_hours)
    chaos = employee(model, {"listing": 1.0}, hours_per_week=40)
    wl = workload(base, calm(base, admin_neglect_hours_lost_share=0.2))
    wl.service[DOMAIN_INDEX["admin"]] = 0.0  # nobody has done the admin work
    week(wl, hours(listing=100), [chaos])
    assert chaos.hours_worked == pytest.approx(40)
    assert chaos.effective_hours == pytest.approx(0.8 * near.effective_hours)
