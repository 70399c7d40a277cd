"""A self-contained interactive HTML report of one simulated run.

:func:`build_run_report` turns a :class:`~sellersim.results.run.RunResult` into one HTML page with
plotly.js inlined once, a header of key figures and the hires, and nine time charts. Launches, hires,
quits, suspensions and the failure are marked once, on the cash chart that opens the page. The page
loads nothing from the network.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sellersim.formatting import DASH, hours, money_exact, month_of
from sellersim.money.income import FEE_COLUMNS
from sellersim.report.page import label, plot_div
from sellersim.report.templates import render_page
from sellersim.report.theme import BAD, EVENT_STYLES, INK, MONEY_AXIS, PAGE_CSS, PALETTE, TEMPLATE
from sellersim.results.run import RunResult
from sellersim.strategy.words import describe_rules

COST_GROUPS: dict[str, tuple[str, ...]] = {
    "COGS": ("cogs_usd",),
    "Amazon fees": FEE_COLUMNS,
    "Ads": ("ad_spend_usd",),
    "Payroll": ("payroll_usd",),
    "Overhead": ("overhead_usd",),
    "Refunds": ("refunds_usd",),
    "Owner's pay": ("owners_pay_usd",),
}
"""Monthly P&L cost stack; the costs add up to revenue minus profit (after owner's pay)."""


# ---------------------------------------------------------------- helpers


def _x(dates: pd.Series) -> list[str]:
    """Dates as ISO day strings, less than half the size of plotly's timestamps."""
    return pd.to_datetime(dates).dt.strftime("%Y-%m-%d").tolist()


def _day_date(daily: pd.DataFrame, day: int) -> pd.Timestamp:
    """The calendar date of simulation day ``day``."""
    return daily["date"].iloc[0] + pd.Timedelta(days=int(day) - int(daily["day"].iloc[0]))


def _label(name: str) -> str:
    """``"after_sales"`` -> ``"After sales"``."""
    return name.replace("_", " ").capitalize()


def _role_colors(daily: pd.DataFrame) -> dict[str, str]:
    """One colour per role, in the order of the ``headcount_<role>`` columns; the founder in ink."""
    roles = [c.removeprefix("headcount_") for c in daily.columns if c.startswith("headcount_")]
    return {"founder": INK} | {role: PALETTE[i % len(PALETTE)] for i, role in enumerate(roles)}


def _figure(
    rows: int = 1,
    secondary_row: int | None = None,
    row_heights: list[float] | None = None,
    height: int = 420,
) -> go.Figure:
    """An empty figure of ``rows`` stacked time charts sharing one date axis.

    ``secondary_row`` (1-based) gets a second y axis on the right.
    """
    fig = make_subplots(
        rows=rows,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.07,
        row_heights=row_heights,
        specs=[[{"secondary_y": row == secondary_row}] for row in range(1, rows + 1)],
    )
    fig.update_layout(template=TEMPLATE, height=height)
    fig.update_xaxes(type="date", hoverformat="%a %d %b %Y")
    fig.update_yaxes(showgrid=False, tickmode="auto", secondary_y=True)
    return fig


def _add_event_markers(fig: go.Figure, events: pd.DataFrame) -> None:
    """Mark the run's events as dotted lines over the chart and hoverable symbols near its top.

    Lines and symbols sit on a hidden 0-1 axis laid over the chart, so they span its full height
    whatever the data's range; one legend entry per kind toggles both. Call it last: a later
    ``update_yaxes`` call would reach the hidden axis too.
    """
    marked = events[events["kind"].isin(list(EVENT_STYLES))]
    axis_numbers = [int(k.removeprefix("yaxis") or 1) for k in fig.layout.to_plotly_json() if k[:5] == "yaxis"]
    overlay = f"y{max(axis_numbers) + 1}"
    fig.layout[f"yaxis{max(axis_numbers) + 1}"] = {
        "overlaying": "y",
        "range": [0, 1],
        "visible": False,
        "fixedrange": True,
    }
    for level, (kind, style) in enumerate(EVENT_STYLES.items()):
        these = marked[marked["kind"] == kind]
        if these.empty:
            continue
        dates = _x(these["date"])
        fig.add_scatter(
            x=[x for d in dates for x in (d, d, None)],
            y=[0, 1, None] * len(dates),
            mode="lines",
            line={"color": style.color, "width": 1, "dash": "dot"},
            opacity=0.45,
            hoverinfo="skip",
            legendgroup=kind,
            showlegend=False,
            yaxis=overlay,
        )
        hover = [
            f"<b>{style.label}</b> day {day}: {html.escape(str(detail), quote=False)}"
            for day, detail in zip(these["day"], these["detail"], strict=True)
        ]
        fig.add_scatter(
            x=dates,
            y=[0.98 - 0.045 * level] * len(dates),
            mode="markers",
            marker={"color": style.color, "symbol": style.symbol, "size": 8, "line": {"width": 1}},
            name=style.label,
            legendgroup=kind,
            text=hover,
            hovertemplate="%{text}<extra></extra>",
            cliponaxis=False,
            yaxis=overlay,
        )


# ---------------------------------------------------------------- charts


def _cash_chart(t: RunResult) -> go.Figure:
    """Bank cash, Amazon balance and their sum; the failure day marked."""
    d = t.daily
    x = _x(d["date"])
    fig = _figure()
    fig.add_scatter(x=x, y=d["cash_usd"], name="Bank cash", line={"width": 2.2})
    fig.add_scatter(x=x, y=d["amazon_balance_usd"], name="Amazon balance")
    fig.add_scatter(
        x=x,
        y=d["cash_usd"] + d["amazon_balance_usd"],
        name="Cash + Amazon balance",
        line={"dash": "dot", "color": "#6b7280"},
    )
    fig.add_hline(y=0, line={"color": BAD, "width": 1}, row=1, col=1)
    fig.update_yaxes(rangemode="normal", **MONEY_AXIS)
    failure_day = t.summary.get("failure_day")
    if failure_day is not None:
        day = _day_date(d, failure_day).strftime("%Y-%m-%d")
        fig.add_vline(x=day, line={"color": BAD, "width": 2, "dash": "dash"}, row=1, col=1)
        fig.add_annotation(
            x=day,
            y=0.5,
            yref="paper",
            text=f"Failed day {failure_day}: {t.summary.get('failure_cause')}",  # escaped with every label
            showarrow=False,
            xanchor="right",
            xshift=-6,
            font={"color": BAD},
            bgcolor="rgba(255,255,255,0.85)",
        )
    _add_event_markers(fig, t.events)
    return fig


def _pnl_chart(t: RunResult) -> go.Figure:
    """Calendar-month revenue up, costs stacked down, and profit."""
    columns = ["revenue_usd", "profit_usd", *(c for cs in COST_GROUPS.values() for c in cs)]
    monthly = t.daily.set_index("date")[columns].resample("MS").sum()
    x = _x(monthly.index.to_series() + pd.Timedelta(days=14))  # bars centred on their month
    fig = _figure(height=460)
    fig.add_bar(x=x, y=monthly["revenue_usd"], name="Revenue", marker_color="#4C78A8")
    for i, (name, cols) in enumerate(COST_GROUPS.items()):
        fig.add_bar(x=x, y=-monthly[list(cols)].sum(axis=1), name=name, marker_color=PALETTE[i + 1])
    fig.add_scatter(x=x, y=monthly["profit_usd"], name="Profit", mode="lines+markers", line={"color": INK, "width": 2})
    fig.update_layout(barmode="relative", bargap=0.15)
    fig.update_xaxes(hoverformat="%b %Y")
    fig.update_yaxes(rangemode="normal", **MONEY_AXIS)
    return fig


def _product_revenue_chart(t: RunResult) -> go.Figure:
    """Each product's revenue per day, averaged over 7-day buckets, stacked."""
    p, d = t.products, t.daily
    bucket_days = d.groupby(d["day"] // 7).size()
    weekly = p.groupby([p["day"] // 7, "product_id"])["revenue_usd"].sum().unstack().div(bucket_days, axis=0)
    weekly = weekly.dropna(how="all")
    names = p.drop_duplicates("product_id").set_index("product_id")["name"]
    x = _x(pd.Series(_day_date(d, 0) + pd.to_timedelta(weekly.index * 7, unit="D")))
    fig = _figure(height=520)
    for i, product_id in enumerate(weekly.columns):
        fig.add_scatter(
            x=x,
            y=weekly[product_id],
            name=str(names[product_id]),
            stackgroup="products",
            mode="lines",
            line={"width": 0.5, "color": PALETTE[i % len(PALETTE)]},
        )
    fig.update_layout(hovermode="closest", legend={"orientation": "v", "x": 1.02, "y": 1, "yanchor": "top"})
    fig.update_xaxes(hoverformat="week of %d %b %Y")
    fig.update_yaxes(title_text="revenue per day", **MONEY_AXIS)
    return fig


def _person_spans(staff: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """One row per person: name, role, first and last day employed, and a unique label."""
    spans = staff.groupby("person_id").agg(
        name=("name", "first"), role=("role", "first"), start=("date", "min"), last=("date", "max")
    )
    spans["end"] = (spans["last"] + pd.Timedelta(days=7)).clip(upper=end)
    duplicate = spans["name"].duplicated(keep=False)
    spans["label"] = spans["name"].where(~duplicate, spans["name"] + " #" + spans.index.astype(str))
    return spans.sort_values(["start", "label"])


def _staff_chart(t: RunResult) -> go.Figure:
    """Headcount by role (stacked), and a bar per person from first to last week employed."""
    d = t.daily
    x = _x(d["date"])
    colors = _role_colors(d)
    people = _person_spans(t.staff, end=d["date"].iloc[-1] + pd.Timedelta(days=1))
    fig = _figure(rows=2, row_heights=[0.45, 0.55], height=360 + 20 * len(people))
    staffed = [r for r in colors if f"headcount_{r}" in d and d[f"headcount_{r}"].fillna(0).gt(0).any()]
    for role in staffed:
        fig.add_scatter(
            x=x,
            y=d[f"headcount_{role}"],
            name=_label(role),
            legendgroup=role,
            stackgroup="roles",
            mode="lines",
            line={"width": 0.5, "color": colors[role]},
            row=1,
            col=1,
        )
    fig.add_scatter(x=x, y=d["headcount"], name="Employees", line={"color": INK, "width": 1.5}, row=1, col=1)
    for role, group in people.groupby("role", sort=False):
        title = _label(str(role))
        fig.add_bar(
            orientation="h",
            base=_x(group["start"]),
            x=(group["end"] - group["start"]).dt.total_seconds() * 1000,
            y=group["label"],
            name=title,
            legendgroup=str(role),
            showlegend=role not in staffed,
            marker_color=colors.get(str(role), "#9ca3af"),
            customdata=list(zip(_x(group["start"]), _x(group["end"]), strict=True)),
            hovertemplate=f"%{{y}} ({label(title)})<br>%{{customdata[0]}} to %{{customdata[1]}}<extra></extra>",
            row=2,
            col=1,
        )
    fig.update_layout(hovermode="closest", barmode="overlay")
    fig.update_yaxes(title_text="employees", rangemode="tozero", hoverformat=".0f", row=1, col=1)
    fig.update_yaxes(autorange="reversed", type="category", row=2, col=1)
    return fig


def _founder_chart(t: RunResult) -> go.Figure:
    """The founder's weekly hours worked, load (demanded / normal hours) and burnout."""
    f = t.staff[t.staff["role"] == "founder"].sort_values("week")
    x = _x(f["date"])
    fig = _figure(secondary_row=1)
    fig.add_bar(x=x, y=f["hours_worked"], name="Hours worked", marker_color="#9ecae9", secondary_y=False)
    fig.add_scatter(x=x, y=f["load"], name="Load", line={"color": BAD, "width": 2}, secondary_y=True)
    fig.add_scatter(x=x, y=f["burnout"], name="Burnout", line={"color": "#B279A2", "dash": "dot"}, secondary_y=True)
    fig.add_hline(y=1, line={"color": BAD, "width": 1, "dash": "dash"}, secondary_y=True, row=1, col=1)
    fig.add_annotation(
        x=0, xref="paper", xanchor="left", y=1, yref="y2", yanchor="bottom", text="load 1.0",
        showarrow=False, font={"color": BAD},
    )  # fmt: skip
    fig.update_layout(bargap=0.1)
    fig.update_xaxes(hoverformat="week of %d %b %Y")
    fig.update_yaxes(title_text="hours / week", hoverformat=".0f", secondary_y=False)
    fig.update_yaxes(title_text="load, burnout", hoverformat=".2f", secondary_y=True)
    return fig


def _mistakes_chart(t: RunResult) -> go.Figure:
    """Hours of work done wrong each week, by domain, and the founder's hours managing others."""
    d = t.daily.set_index("date")
    domains = [c.removeprefix("errors_").removesuffix("_hours") for c in d.columns if c.startswith("errors_")]
    weekly = d[[f"errors_{dom}_hours" for dom in domains]].resample("W-MON", label="left", closed="left").sum()
    x = _x(pd.Series(weekly.index))
    fig = _figure(rows=2, row_heights=[0.6, 0.4], height=560)
    for i, dom in enumerate(domains):
        fig.add_bar(
            x=x, y=weekly[f"errors_{dom}_hours"], name=_label(dom), marker_color=PALETTE[i % len(PALETTE)],
            row=1, col=1,
        )  # fmt: skip
    f = t.staff[t.staff["role"] == "founder"].sort_values("week")
    fig.add_scatter(
        x=_x(f["date"]), y=f["managing_hours"], name="Founder managing others", line={"color": INK, "width": 1.5},
        row=2, col=1,
    )  # fmt: skip
    fig.update_layout(barmode="stack", bargap=0.1)
    fig.update_xaxes(hoverformat="week of %d %b %Y")
    fig.update_yaxes(title_text="hours done wrong / week", hoverformat=",.1f", row=1, col=1)
    fig.update_yaxes(title_text="hours / week", hoverformat=",.1f", rangemode="tozero", row=2, col=1)
    return fig


def _service_chart(t: RunResult) -> go.Figure:
    """Service level per work domain, and each domain's backlog hours stacked."""
    d = t.daily
    x = _x(d["date"])
    domains = [c.removeprefix("service_") for c in d.columns if c.startswith("service_")]
    fig = _figure(rows=2, row_heights=[0.6, 0.4], height=640)
    for i, domain in enumerate(domains):
        color = PALETTE[i % len(PALETTE)]
        fig.add_scatter(
            x=x,
            y=d[f"service_{domain}"],
            name=_label(domain),
            legendgroup=domain,
            line={"color": color, "width": 1.5},
            row=1,
            col=1,
        )
        fig.add_scatter(
            x=x,
            y=d[f"backlog_{domain}_hours"],
            name=_label(domain),
            legendgroup=domain,
            showlegend=False,
            stackgroup="backlog",
            mode="lines",
            line={"color": color, "width": 0.5},
            row=2,
            col=1,
        )
    fig.update_yaxes(title_text="service level", tickformat=".0%", range=[0, 1.05], row=1, col=1)
    fig.update_yaxes(title_text="backlog hours", hoverformat=",.0f", row=2, col=1)
    return fig


def _inventory_chart(t: RunResult) -> go.Figure:
    """Sellable and inbound units (and the inbound units held at AWD by the FBA capacity limit); products out of
    stock and lost sales per day."""
    d = t.daily
    x = _x(d["date"])
    fig = _figure(rows=2, secondary_row=2, row_heights=[0.6, 0.4], height=600)
    fig.add_scatter(
        x=x, y=d["inventory_units"], name="Sellable units", fill="tozeroy", line={"width": 1.5}, row=1, col=1
    )
    fig.add_scatter(x=x, y=d["inbound_units"], name="Inbound units", line={"width": 1.5}, row=1, col=1)
    if "awd_units" in d:  # runs stored before the capacity limit have no AWD
        fig.add_scatter(
            x=x, y=d["awd_units"], name="Inbound units waiting at AWD for room under the FBA limit",
            line={"width": 1.2, "dash": "dot", "color": BAD}, row=1, col=1,
        )  # fmt: skip
    fig.add_bar(
        x=x,
        y=d["stockout_products"],
        name="Products out of stock",
        marker_color=BAD,
        opacity=0.6,
        row=2,
        col=1,
    )
    fig.add_scatter(
        x=x,
        y=d["lost_sales_units"],
        name="Lost sales (units/day)",
        line={"color": "#F58518", "width": 1.2},
        row=2,
        col=1,
        secondary_y=True,
    )
    fig.update_layout(bargap=0)
    fig.update_yaxes(title_text="units", hoverformat=",.0f", row=1, col=1)
    fig.update_yaxes(title_text="products out", hoverformat=".0f", row=2, col=1, secondary_y=False)
    fig.update_yaxes(title_text="lost units", hoverformat=",.0f", row=2, col=1, secondary_y=True)
    return fig


def _ads_chart(t: RunResult) -> go.Figure:
    """Daily ad spend, and 30-day ACoS (spend / ad sales) and TACoS (spend / all revenue)."""
    d = t.daily
    x = _x(d["date"])
    spend = d["ad_spend_usd"].rolling(30, min_periods=1).sum()
    ad_sales = d["ad_sales_usd"].rolling(30, min_periods=1).sum()
    revenue = d["revenue_usd"].rolling(30, min_periods=1).sum()
    acos, tacos = spend / ad_sales.where(ad_sales > 0), spend / revenue.where(revenue > 0)
    top = acos_axis_top(acos)
    fig = _figure(secondary_row=1)
    fig.add_bar(x=x, y=d["ad_spend_usd"], name="Ad spend", marker_color="#F58518", opacity=0.55, secondary_y=False)
    fig.add_scatter(x=x, y=acos, name="ACoS (30 d)", line={"color": "#4C78A8"}, secondary_y=True)
    fig.add_scatter(x=x, y=tacos, name="TACoS (30 d)", line={"color": INK}, secondary_y=True)
    off = (acos > top).to_numpy()  # a launch's first sales can put ACoS far off the scale: marked at its top edge
    if off.any():
        fig.add_scatter(
            x=[v for v, o in zip(x, off, strict=True) if o], y=[top] * int(off.sum()), name="ACoS off the scale",
            mode="markers", marker={"color": "#4C78A8", "symbol": "triangle-up", "size": 7},
            customdata=acos[off].to_numpy(), hovertemplate="ACoS %{customdata:.0%} (off the scale)<extra></extra>",
            cliponaxis=False, secondary_y=True,
        )  # fmt: skip
    fig.update_layout(bargap=0)
    fig.update_yaxes(title_text="ad spend per day", secondary_y=False, **MONEY_AXIS)
    fig.update_yaxes(title_text="ACoS, TACoS (30 days)", tickformat=".0%", range=[0, top], secondary_y=True)
    return fig


def acos_axis_top(acos: pd.Series) -> float:
    """The ACoS axis' top: a little above the 95th percentile of the run's 30-day ACoS, at least 100%
    (where ads cost all they bring) and at most 300%, so one launch spike cannot flatten the rest."""
    values = acos.dropna()
    if values.empty:
        return 1.0
    return float(min(max(1.0, 1.2 * values.quantile(0.95)), 3.0))


@dataclass(frozen=True)
class _Chart:
    """One section of the report."""

    key: str
    title: str
    note: str
    draw: Callable[[RunResult], go.Figure]


CHARTS: tuple[_Chart, ...] = (
    _Chart(
        "cash",
        "Cash",
        "Bank cash and the balance Amazon holds until payout, with the run's events (launches, hires, quits,"
        " suspensions) marked: click a legend entry to hide a kind.",
        _cash_chart,
    ),
    _Chart(
        "pnl",
        "Monthly P&L",
        "Revenue above zero, costs stacked below (Amazon fees: referral, FBA, storage, aged and"
        " low-inventory, placement), profit as the line. Accrual basis, calendar months.",
        _pnl_chart,
    ),
    _Chart("products", "Revenue by product", "Revenue per day, 7-day averages, stacked.", _product_revenue_chart),
    _Chart("staff", "Staff", "Employees by role, and each person's time at the company.", _staff_chart),
    _Chart(
        "founder",
        "Founder",
        "Hours worked per week; load is demanded hours over normal hours, above 1.0 is overload; burnout builds"
        " with weeks past the healthy level and brings a breakdown at its crash level.",
        _founder_chart,
    ),
    _Chart(
        "mistakes",
        "Mistakes and managing",
        "Effective hours of work done wrong each week, by domain (they come back as rework), and the founder's"
        " hours supervising and training staff.",
        _mistakes_chart,
    ),
    _Chart("service", "Service levels", "Share of each domain's work done, and its backlog.", _service_chart),
    _Chart(
        "inventory",
        "Inventory and stock-outs",
        "Units at Amazon and on the way; products out of stock and the sales lost.",
        _inventory_chart,
    ),
    _Chart("ads", "Advertising", "Daily ad spend; ACoS and TACoS over rolling 30 days.", _ads_chart),
)


# ---------------------------------------------------------------- page


HIRE_COLUMNS = (
    "Role",
    "Hired",
    "Month",
    "Who, and the rule that opened the position",
    "Salary a month",
    "Monthly revenue at hire",
    "Left",
)


def _hires(t: RunResult) -> list[tuple[str, ...]]:
    """Each hire: role, when, who and why the position was opened, salary, revenue at the hire, and when they left."""
    events = t.events
    left = events[events["kind"].isin(["quit", "let_go"])].drop_duplicates("person_id").set_index("person_id")
    roles = t.scenario.roles
    rows = []
    for h in events[events["kind"] == "hire"].itertuples():
        gone = left.loc[h.person_id] if h.person_id in left.index else None
        leaving = DASH if gone is None else f"{'quit' if gone.kind == 'quit' else 'let go'} {gone.date:%Y-%m-%d}"
        salary = roles[h.role].salary_usd_per_month if h.role in roles else None
        rows.append(
            (_label(h.role), f"{h.date:%Y-%m-%d}", month_of(h.day), str(h.detail), money_exact(salary),
             money_exact(h.amount_usd), leaving)
        )  # fmt: skip
    return rows


def _outcome(t: RunResult) -> tuple[str, str]:
    """How the run ended, as the class of its banner (``ok``, ``failed``) and its words."""
    s, m = t.summary, t.meta
    if not s.get("completed", True):
        days = f"{m.get('days', len(t.daily)):,}"
        return "failed", f"Stopped early after {len(t.daily):,} of {days} days: these are partial results"
    if s["survived"]:
        return "ok", f"Survived all {m.get('days', len(t.daily)):,} days"
    day = s["failure_day"]
    return "failed", f"Failed on day {day} ({_day_date(t.daily, day):%Y-%m-%d}): {s['failure_cause']}"


def _key_figures(t: RunResult) -> dict[str, str]:
    """The header's key figures, by name."""
    s = t.summary
    months = s["months_to_first_profitable_month"]
    founder_hours = t.staff.loc[t.staff["role"] == "founder", "hours_worked"]
    lowest = f"{money_exact(s['lowest_cash_usd'])} on {_day_date(t.daily, s['lowest_cash_day']):%Y-%m-%d}"
    return {
        "Final cash": money_exact(s["final_cash_usd"]),
        "Lowest cash": lowest,
        "Starting cash": money_exact(t.scenario.company.starting_cash_usd),
        "SDE (profit before owner's pay)": money_exact(s["cumulative_sde_usd"]),
        "Cumulative profit after owner's pay": money_exact(s["cumulative_profit_usd"]),
        "Owner's pay": money_exact(s["cumulative_owners_pay_usd"]),
        "Payroll": money_exact(s["cumulative_payroll_usd"]),
        "Founder's average week": hours(s["founder_mean_weekly_hours"]),
        "Founder's longest week": hours(founder_hours.max()) if len(founder_hours) else DASH,
        "Founder breakdowns": str(s["founder_breakdowns"]),
        "Founder overload weeks": str(s["founder_overload_weeks"]),
        "Peak monthly revenue": money_exact(s["peak_monthly_revenue_usd"]),
        "Months to first profitable month": "never" if months is None else str(months),
        "Hires": str(len(s["hires"])),
        "Quits": str(s["quits"]),
        "Peak headcount": str(s["peak_headcount"]),
        "Products live": str(s["products_live"]),
        "Stock-out product-days": f"{s['stockout_days']:,}",
        "Lost sales": f"{s['lost_sales_units']:,.0f} units",
        # runs stored before the capacity limit have no such figure
        **(
            {
                "Days the FBA capacity limit bound, of the days with a limit": (
                    f"{s['capacity_bound_days']:,} of {s['capacity_limited_days']:,}"
                )
            }
            if "capacity_bound_days" in s
            else {}
        ),
    }


def build_run_report(result: RunResult, data_files: tuple[str, ...] = ()) -> str:
    """The report of one run as a self-contained HTML page."""
    m = result.meta
    return render_page(
        "run_report.html.j2",
        title=f"SellerSim: {m.get('strategy', '?')} on {m.get('scenario', '?')}",
        css=PAGE_CSS,
        data_files=data_files,
        meta={key: str(m.get(key, "?")) for key in ("strategy", "scenario", "seed", "sellersim_version")},
        horizon_days=f"{m.get('days', len(result.daily)):,}",
        start=f"{pd.Timestamp(m.get('start_date', result.daily['date'].iloc[0])):%Y-%m-%d}",
        outcome=_outcome(result),
        key_figures=_key_figures(result).items(),
        hire_columns=HIRE_COLUMNS,
        hires=_hires(result),
        description=result.scenario.strategy.description,
        rules=describe_rules(result.scenario),
        nav=[(c.key, c.title) for c in CHARTS],
        sections=[(c, plot_div(c.draw(result), f"fig-{c.key}")) for c in CHARTS],
        version=str(m.get("sellersim_version", "")),
    )
