"""The single-run HTML report: self-contained, every chart drawn, key figures and events shown."""

from __future__ import annotations

import base64
import dataclasses
import json
import re
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pytest
from plotly.offline import get_plotlyjs

from fake_run import Hire, make_run
from report_checks import assert_self_contained
from sellersim.report.run_report import CHARTS, build_run_report
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


def _money(value: float) -> str:
    return f"-${abs(value):,.0f}" if value < 0 else f"${value:,.0f}"


def _tiles(header: str) -> dict[str, str]:
    """The header's key figures, by their labels."""
    return dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", header))


def _number(tile: str) -> float:
    """``"-$2,500"`` -> ``-2500.0``; ``"1,606"`` -> ``1606.0``; ``"55 hours"`` -> ``55.0``."""
    return float(re.sub(r"[$,]", "", tile.split()[0]))


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
        assert tiles[label] == _money(s[key]), label
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
    assert tiles["Stock-out days"] == f"{s['stockout_days']:,}"
    assert tiles["Lost sales"] == f"{s['lost_sales_units']:,.0f} units"
    assert tiles["Founder's average week"] == f"{s['founder_mean_weekly_hours']:.0f} hours"
    for hire in s["hires"]:
        assert f"<td>{pd.Timestamp(hire['date']):%Y-%m-%d}</td><td>{hire['day']}</td>" in header
        assert f"<td>{_money(hire['monthly_revenue_usd'])}</td>" in header


def test_header_figures_agree_with_the_charts() -> None:
    page = _html()
    tiles, figures = _tiles(_header(page)), _figures(page)

    def series(key: str, name: str) -> np.ndarray:
        (trace,) = (t for t in _data_traces(figures[key]) if t.get("name") == name)
        return _values(trace["y"]).astype(float)

    def markers(kind: str) -> int:
        return sum(len(t["text"]) for t in figures["cash"]["data"] if t.get("legendgroup") == kind and "text" in t)

    assert _number(tiles["Final cash"]) == pytest.approx(series("cash", "Bank cash")[-1], abs=1)
    assert _number(tiles["Cumulative profit after owner's pay"]) == pytest.approx(series("pnl", "Profit").sum(), abs=1)
    assert _number(tiles["Owner's pay"]) == pytest.approx(-series("pnl", "Owner's pay").sum(), abs=1)
    assert _number(tiles["Peak monthly revenue"]) == pytest.approx(series("pnl", "Revenue").max(), abs=1)
    assert _number(tiles["Stock-out days"]) == series("inventory", "Products out of stock").sum() > 0
    assert _number(tiles["Lost sales"]) == pytest.approx(series("inventory", "Lost sales (units/day)").sum(), abs=1)
    assert _number(tiles["Peak headcount"]) == series("staff", "Employees").max() > 0
    load = series("founder", "Load")
    assert _number(tiles["Founder overload weeks"]) == (load > 1).sum() > 0
    assert _number(tiles["Founder's average week"]) == pytest.approx(series("founder", "Hours worked").mean(), abs=0.5)
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
    rows = re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", header)
    shown = [(f"{h.date:%Y-%m-%d}", str(h.day), _money(h.amount_usd)) for h in hires.itertuples()]
    assert rows == shown != []


def test_failed_run_shows_failure_day_and_cause() -> None:
    run = _run(failure_day=520)
    page = _html(failure_day=520)
    header, s = _header(page), run.summary
    date = f"{run.daily['date'].iloc[520]:%Y-%m-%d}"
    assert (s["survived"], s["failure_day"], len(run.daily)) == (False, 520, 521)
    assert "Survived" not in header
    assert f"Failed on day 520 ({date}): {s['failure_cause']}" in header
    assert s["final_cash_usd"] == run.daily["cash_usd"].iloc[-1].round(2) < 0
    assert _tiles(header)["Final cash"] == _money(s["final_cash_usd"])
    cash = _figures(page)["cash"]["layout"]
    assert any(shape.get("x0") == date for shape in cash["shapes"])
    assert any(f"Failed day 520: {s['failure_cause']}" in a["text"] for a in cash["annotations"])


def test_launches_hires_and_quits_are_marked_on_every_chart() -> None:
    events = _run().events
    for key, figure in _figures(_html()).items():
        markers = {t["legendgroup"]: t for t in figure["data"] if "text" in t and t.get("legendgroup")}
        for kind in ("launch", "hire", "quit", "suspension", "reinstated"):
            these = events[events["kind"] == kind]
            assert len(these), kind
            assert markers[kind]["x"] == [f"{d:%Y-%m-%d}" for d in these["date"]], (key, kind)
            for day, detail, text in zip(these["day"], these["detail"], markers[kind]["text"], strict=True):
                assert f"day {day}: {detail}" in text, (key, kind)


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
    assert size - len(get_plotlyjs()) < 2_000_000, f"{size:,} bytes"


@pytest.mark.parametrize("kwargs", [{}, {"failure_day": 520}])
def test_report_is_deterministic(kwargs: dict[str, Any]) -> None:
    assert build_run_report(make_run(**kwargs)) == _html(**kwargs)
