"""The single-run HTML report: self-contained, every chart drawn, key figures and events shown."""

from __future__ import annotations

import base64
import dataclasses
import html
import json
import re
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pytest

from fake_run import Hire, make_run
from report_checks import assert_self_contained
from sellersim.formatting import MINUS, hours, money_exact, month_of
from sellersim.report.page import plotly_js
from sellersim.report.run_report import CHARTS, acos_axis_top, build_run_report
from sellersim.report.theme import EVENT_STYLES
from sellersim.results.run import RunResult

SECTIONS = ("cash", "pnl", "products", "staff", "founder", "mistakes", "service", "inventory", "ads")


@cache
def _run(**kwargs: Any) -> RunResult:
    return make_run(**kwargs)


@cache
def _html(**kwargs: Any) -> str:
    return build_run_report(_run(**kwargs))


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _figures(page: str) -> dict[str, dict[str, Any]]:
    """Each ``Plotly.newPlot`` call's data and layout, by the section it sits in."""
    decoder = json.JSONDecoder(parse_constant=_reject_constant)
    figures = {}
    for section in re.finditer(r'<section id="(\w+)">(.*?)</section>', page, flags=re.S):
        calls = list(re.finditer(r'Plotly\.newPlot\(\s*"[^"]+",\s*', section.group(2)))
        assert len(calls) == 1, section.group(1)
        body = section.group(2)
        data, end = decoder.raw_decode(body, calls[0].end())
        layout, _ = decoder.raw_decode(body, re.compile(r",\s*").match(body, end).end())
        figures[section.group(1)] = {"data": data, "layout": layout}
    return figures


def _values(array: Any) -> np.ndarray:
    """A trace array, decoded from plotly's typed-array form where it uses it."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
    return np.asarray([np.nan if v is None else v for v in array], dtype=object)


def _data_traces(figure: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in figure["data"] if t.get("legendgroup") not in EVENT_STYLES]


def _header(page: str) -> str:
    return page[page.index("<header>") : page.index("</header>")]


def _tiles(header: str) -> dict[str, str]:
    """The header's key figures, by their labels (as text: an apostrophe is written as an entity)."""
    return {html.unescape(k): html.unescape(v) for k, v in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", header)}


def _number(tile: str) -> float:
    """``"−$2,500"`` -> ``-2500.0``; ``"1,606"`` -> ``1606.0``; ``"55 h"`` -> ``55.0``."""
    return float(re.sub(r"[$,]", "", tile.split()[0].replace(MINUS, "-")))


def test_plotlyjs_is_inlined_once_and_nothing_is_loaded_from_the_network() -> None:
    assert_self_contained(_html())


def test_every_chart_section_has_a_figure_with_data() -> None:
    figures = _figures(_html())
    assert tuple(figures) == SECTIONS == tuple(c.key for c in CHARTS)
    for key, figure in figures.items():
        traces = _data_traces(figure)
        assert traces, key
        assert any(len(_values(t["x"])) and len(_values(t["y"])) for t in traces), key
        numeric = [_values(t["y"] if t.get("orientation") != "h" else t["x"]) for t in traces]
        assert any(np.isfinite(v.astype(float)).any() for v in numeric), key


def test_service_mistakes_and_product_charts_plot_the_run_tables() -> None:
    """Each line or bar is the column it is named for: service and backlog by domain, weekly hours done wrong by
    domain, the founder's managing hours, and each product's revenue per day (7-day buckets)."""
    run, figures = _run(), _figures(_html())
    d = run.daily

    def trace(key: str, name: str, **where: Any) -> dict[str, Any]:
        (found,) = [
            t
            for t in _data_traces(figures[key])
            if t.get("name") == name and all(t.get(k) == v for k, v in where.items())
        ]
        return found

    domains = [c.removeprefix("service_") for c in d.columns if c.startswith("service_")]
    for domain in domains:
        label = domain.replace("_", " ").capitalize()
        service = trace("service", label, showlegend=None)
        np.testing.assert_allclose(_values(service["y"]).astype(float), d[f"service_{domain}"], rtol=1e-6)
        backlog = trace("service", label, stackgroup="backlog")
        np.testing.assert_allclose(_values(backlog["y"]).astype(float), d[f"backlog_{domain}_hours"], rtol=1e-6)
    weekly = d.set_index("date").resample("W-MON", label="left", closed="left").sum()
    for domain in domains:
        wrong = trace("mistakes", domain.replace("_", " ").capitalize())
        np.testing.assert_allclose(_values(wrong["y"]).astype(float), weekly[f"errors_{domain}_hours"], rtol=1e-6)
    founder = run.staff[run.staff["role"] == "founder"].sort_values("week")
    managing = trace("mistakes", "Founder managing others")
    np.testing.assert_allclose(_values(managing["y"]).astype(float), founder["managing_hours"], rtol=1e-6)
    p = run.products
    buckets = d.groupby(d["day"] // 7).size()
    for product_id, name in p.drop_duplicates("product_id")[["product_id", "name"]].itertuples(index=False):
        these = p[p["product_id"] == product_id]
        per_day = these.groupby(these["day"] // 7)["revenue_usd"].sum() / buckets
        shown = pd.Series(_values(trace("products", name)["y"]).astype(float))
        shown = shown[np.isfinite(shown)]
        assert shown.sum() == pytest.approx(per_day.sum(), rel=1e-6), name  # every week's revenue, none moved
        assert shown.max() == pytest.approx(per_day.max(), rel=1e-6), name


def test_charts_share_a_date_axis_spanning_the_run() -> None:
    dates = _run().daily["date"]
    day_90, month_before_end = (f"{d:%Y-%m-%d}" for d in dates.iloc[[90, -31]])
    past_end = f"{dates.iloc[-1] + pd.Timedelta(days=15):%Y-%m-%d}"  # monthly bars sit mid-month
    for key, figure in _figures(_html()).items():
        assert figure["layout"]["xaxis"]["type"] == "date", key
        xs = [x for t in _data_traces(figure) if t.get("orientation") != "h" for x in t["x"]]
        assert min(xs) <= day_90, key
        assert month_before_end <= max(xs) <= past_end, key


def test_header_shows_the_run_and_its_key_figures() -> None:
    run, header = _run(), _header(_html())
    s, m = run.summary, run.meta
    for text in (m["strategy"], m["scenario"], f"seed {m['seed']}", "1,095-day horizon", "2027-01-04"):
        assert text in header
    assert "Survived" in header
    tiles = _tiles(header)
    money = {
        "Final cash": "final_cash_usd",
        "Cumulative profit after owner's pay": "cumulative_profit_usd",
        "SDE (profit before owner's pay)": "cumulative_sde_usd",
        "Owner's pay": "cumulative_owners_pay_usd",
        "Peak monthly revenue": "peak_monthly_revenue_usd",
    }
    for label, key in money.items():
        assert tiles[label] == money_exact(s[key]), label
    counts = {
        "Peak headcount": "peak_headcount",
        "Products live": "products_live",
        "Founder overload weeks": "founder_overload_weeks",
        "Founder breakdowns": "founder_breakdowns",
        "Quits": "quits",
        "Months to first profitable month": "months_to_first_profitable_month",
    }
    for label, key in counts.items():
        assert tiles[label] == str(s[key]), label
    assert tiles["Hires"] == str(len(s["hires"]))
    assert tiles["Stock-out product-days"] == f"{s['stockout_days']:,}"
    assert tiles["Lost sales"] == f"{s['lost_sales_units']:,.0f} units"
    assert tiles["Founder's average week"] == hours(s["founder_mean_weekly_hours"])
    assert tiles["Starting cash"] == money_exact(run.scenario.company.starting_cash_usd)
    assert tiles["Payroll"] == money_exact(s["cumulative_payroll_usd"])
    lowest_date = run.daily["date"].iloc[s["lowest_cash_day"]]
    assert tiles["Lowest cash"] == f"{money_exact(s['lowest_cash_usd'])} on {lowest_date:%Y-%m-%d}"
    for hire in s["hires"]:
        assert f"<td>{pd.Timestamp(hire['date']):%Y-%m-%d}</td><td>{month_of(hire['day'])}</td>" in header
        assert f"<td>{money_exact(hire['monthly_revenue_usd'])}</td>" in header


def test_header_figures_agree_with_the_charts() -> None:
    page = _html()
    tiles, figures = _tiles(_header(page)), _figures(page)

    def series(key: str, name: str) -> np.ndarray:
        (trace,) = (t for t in _data_traces(figures[key]) if t.get("name") == name)
        return _values(trace["y"]).astype(float)

    def markers(kind: str) -> int:
        return sum(len(t["text"]) for t in figures["cash"]["data"] if t.get("legendgroup") == kind and "text" in t)

    cash = series("cash", "Bank cash")
    assert _number(tiles["Final cash"]) == pytest.approx(cash[-1], abs=1)
    assert _number(tiles["Lowest cash"]) == pytest.approx(cash.min(), abs=1)
    assert tiles["Lowest cash"].endswith(figures["cash"]["data"][0]["x"][int(cash.argmin())])
    assert _number(tiles["Cumulative profit after owner's pay"]) == pytest.approx(series("pnl", "Profit").sum(), abs=1)
    assert _number(tiles["Owner's pay"]) == pytest.approx(-series("pnl", "Owner's pay").sum(), abs=1)
    assert _number(tiles["Peak monthly revenue"]) == pytest.approx(series("pnl", "Revenue").max(), abs=1)
    assert _number(tiles["Stock-out product-days"]) == series("inventory", "Products out of stock").sum() > 0
    assert _number(tiles["Lost sales"]) == pytest.approx(series("inventory", "Lost sales (units/day)").sum(), abs=1)
    assert _number(tiles["Peak headcount"]) == series("staff", "Employees").max() > 0
    load = series("founder", "Load")
    assert _number(tiles["Founder overload weeks"]) == (load > 1).sum() > 0
    assert _number(tiles["Founder's average week"]) == pytest.approx(series("founder", "Hours worked").mean(), abs=0.5)
    assert _number(tiles["Founder's longest week"]) == pytest.approx(series("founder", "Hours worked").max(), abs=0.5)
    assert _number(tiles["Hires"]) == markers("hire") > 0
    assert _number(tiles["Quits"]) == markers("quit") > 0


def test_header_agrees_with_the_run_tables() -> None:
    run = _run()
    header, events = _header(_html()), run.events
    tiles = _tiles(header)
    breakdowns = (events["kind"] == "breakdown") & (events["role"] == "founder")
    assert _number(tiles["Founder breakdowns"]) == breakdowns.sum() > 0
    assert _number(tiles["Products live"]) == run.daily["live_products"].iloc[-1]
    hires = events[events["kind"] == "hire"]
    cells = "".join("<td>([^<]*)</td>" for _ in range(7))
    rows = re.findall(f"<tr>{cells}</tr>", header)
    quits = events[events["kind"] == "quit"].set_index("person_id")["date"]
    shown = [
        (
            f"{h.date:%Y-%m-%d}",
            month_of(h.day),
            html.escape(h.detail),
            money_exact(run.scenario.roles[h.role].salary_usd_per_month),
            money_exact(h.amount_usd),
            f"quit {quits[h.person_id]:%Y-%m-%d}" if h.person_id in quits.index else "\u2014",
        )
        for h in hires.itertuples()
    ]
    assert [r[1:] for r in rows] == shown != []
    assert any(r[-1].startswith("quit ") for r in rows)
    assert all("(rule " in r[3] or "(replace " in r[3] for r in rows)  # why the position was opened


def test_failed_run_shows_failure_day_and_cause() -> None:
    run = _run(failure_day=520)
    page = _html(failure_day=520)
    header, s = _header(page), run.summary
    date = f"{run.daily['date'].iloc[520]:%Y-%m-%d}"
    assert (s["survived"], s["failure_day"], len(run.daily)) == (False, 520, 521)
    assert "Survived" not in header
    assert f"Failed on day 520 ({date}): {s['failure_cause']}" in header
    assert s["final_cash_usd"] == run.daily["cash_usd"].iloc[-1].round(2) < 0
    assert _tiles(header)["Final cash"] == money_exact(s["final_cash_usd"])
    cash = _figures(page)["cash"]["layout"]
    assert any(shape.get("x0") == date for shape in cash["shapes"])
    assert any(f"Failed day 520: {s['failure_cause']}" in a["text"] for a in cash["annotations"])


def test_launches_hires_and_quits_are_marked_once_on_the_cash_chart() -> None:
    events = _run().events
    figures = _figures(_html())
    markers = {t["legendgroup"]: t for t in figures["cash"]["data"] if "text" in t and t.get("legendgroup")}
    for kind in ("launch", "hire", "quit", "suspension", "reinstated"):
        these = events[events["kind"] == kind]
        assert len(these), kind
        assert markers[kind]["x"] == [f"{d:%Y-%m-%d}" for d in these["date"]], kind
        for day, detail, text in zip(these["day"], these["detail"], markers[kind]["text"], strict=True):
            assert f"day {day}: {html.escape(detail, quote=False)}" in text, kind
    for key, figure in figures.items():
        if key != "cash":
            assert not [t for t in figure["data"] if t.get("legendgroup") in EVENT_STYLES], key


def test_acos_axis_is_clipped_and_every_value_off_it_is_marked() -> None:
    run = _run()
    daily = run.daily.copy()
    daily.loc[200:260, "ad_sales_usd"] = 0.01  # weeks of spend that bring hardly any ad sales: ACoS far off the scale
    ads = _figures(build_run_report(dataclasses.replace(run, daily=daily)))["ads"]
    top = ads["layout"]["yaxis2"]["range"][1]
    (acos_trace,) = [t for t in ads["data"] if t.get("name") == "ACoS (30 d)"]
    acos = _values(acos_trace["y"]).astype(float)
    spend = daily["ad_spend_usd"].rolling(30, min_periods=1).sum()
    expected = (spend / daily["ad_sales_usd"].rolling(30, min_periods=1).sum()).to_numpy()
    assert np.allclose(acos, expected, equal_nan=True)  # the line is spend over ad sales
    assert top == pytest.approx(acos_axis_top(pd.Series(acos))) and 1.0 <= top <= 3.0 < np.nanmax(acos)
    (off,) = [t for t in ads["data"] if t.get("name") == "ACoS off the scale"]
    above = acos > top
    assert len(off["x"]) == above.sum() > 0
    assert np.allclose(_values(off["customdata"]).astype(float), acos[above])  # the true value on hover


def test_all_nan_columns_are_drawn_as_gaps() -> None:
    run = _run()
    blank = ["acos", "tacos", "avg_rating", "ad_spend_usd", "ad_sales_usd", "amazon_balance_usd"]
    blank += ["service_vision", "backlog_vision_hours", "inbound_units", "lost_sales_units"]
    run = dataclasses.replace(run, daily=run.daily.assign(**dict.fromkeys(blank, np.nan)))
    figures = _figures(build_run_report(run))
    assert tuple(figures) == SECTIONS
    ads = {t.get("name"): _values(t["y"]).astype(float) for t in _data_traces(figures["ads"])}
    assert np.isnan(ads["Ad spend"]).all()
    assert np.isnan(ads["ACoS (30 d)"]).all()


def test_single_product_and_no_hires() -> None:
    run = make_run(n_products=1, hires=())
    page = build_run_report(run)
    figures = _figures(page)
    assert tuple(figures) == SECTIONS
    assert "No hires." in _header(page)
    products = _data_traces(figures["products"])
    assert [t["name"] for t in products] == [run.products["name"].iloc[0]]
    gantt = [t for t in _data_traces(figures["staff"]) if t.get("orientation") == "h"]
    assert [t["y"] for t in gantt] == [["Founder"]]


def test_staff_chart_has_a_bar_per_person() -> None:
    staff = _figures(_html())["staff"]
    people = [y for t in staff["data"] if t.get("orientation") == "h" for y in t["y"]]
    assert people == ["Founder", "Operator 1", "Ads specialist 2", "Customer service 3"]


def test_duplicate_names_get_distinct_bars() -> None:
    hires = (Hire("operator", "Operator 1", 150), Hire("operator", "Operator 1", 300))
    run = make_run(hires=hires)
    staff = _figures(build_run_report(run))["staff"]
    people = [y for t in staff["data"] if t.get("orientation") == "h" for y in t["y"]]
    operators = run.staff.loc[run.staff["name"] == "Operator 1", "person_id"].unique()
    assert len(operators) == 2
    assert people == ["Founder", *(f"Operator 1 #{i}" for i in operators)]


def test_run_report_of_three_years_and_30_products_stays_small() -> None:
    size = len(_html().encode())
    assert size - len(plotly_js()) < 2_000_000, f"{size:,} bytes"


@pytest.mark.parametrize("kwargs", [{}, {"failure_day": 520}])
def test_report_is_deterministic(kwargs: dict[str, Any]) -> None:
    assert build_run_report(make_run(**kwargs)) == _html(**kwargs)


def test_the_strategys_description_and_rules_in_words_are_in_the_header() -> None:
    from sellersim.strategy.words import describe_rules

    run = _run()
    page = _html()
    header = page[page.index("<header>") : page.index("</header>")]
    block = re.search(r'<details class="rules"><summary>(.*?)</summary>\s*<ul>(.*?)</ul></details>', header, re.S)
    assert block, "the rules sit in the header"
    rules = [html.unescape(li) for li in re.findall(r"<li>(.*?)</li>", block.group(2), flags=re.S)]
    assert rules == list(describe_rules(run.scenario)) and rules
    assert html.unescape(block.group(1)) == f"The strategy: {run.scenario.strategy.description}"
