"""The comparison engine: same results for any worker count and completion order, common random
numbers, failed runs, precision-driven replications, Ctrl-C, and the content of comparison.json."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from conftest import STRATEGY_FILES
from sellersim.api import load_scenario
from sellersim.experiments import compare as comparison_module
from sellersim.experiments import engine
from sellersim.experiments import replication as replication_module
from sellersim.experiments.compare import compare
from sellersim.experiments.engine import Runner, scenario_hash
from sellersim.experiments.narrative import _outside_money
from sellersim.experiments.replication import Outcome, Task, replication_seed
from sellersim.experiments.stats import StoppingRule
from sellersim.formatting import money
from sellersim.formatting import share as share_text
from sellersim.model import SellerModel
from sellersim.results.comparison import ComparisonResult
from sellersim.results.figures import FIGURES
from sellersim.scenario.errors import ScenarioError
from sellersim.strategy.words import base_strategy, describe_rules

SHORT = ["simulation.days=240"]
# Not in alphabetical order: results must follow the order of the files.
ORDERED = ("solo_then_hire", "never_hire", "full_team_day_one")
FRAMES = ("runs", "hires", "daily_quantiles")
OUTPUTS = ("runs.parquet", "hires.parquet", "daily_quantiles.parquet")


def files(*names: str) -> list[Path]:
    return [STRATEGY_FILES[n] for n in names]


def master_seed(name: str = "never_hire") -> int:
    return load_scenario(STRATEGY_FILES[name]).simulation.seed


def strict_json(path: Path) -> dict[str, Any]:
    """Parse ``path`` as standard JSON: NaN or Infinity are errors."""

    def reject(token: str) -> None:
        raise ValueError(f"{path.name} holds {token}, which is not JSON")

    return json.loads(path.read_text(), parse_constant=reject)


def without_timing(comparison: dict[str, Any]) -> dict[str, Any]:
    """``comparison`` less the provenance that depends on the machine and the settings."""
    return {k: v for k, v in comparison.items() if k != "provenance"}


@pytest.fixture(scope="module")
def serial() -> ComparisonResult:
    """Three strategies, four replications, in this process."""
    return compare(files(*ORDERED), replications=4, workers=1, overrides=SHORT)


# --- the same results whatever runs them ------------------------------------------------------


def test_two_workers_give_identical_results_and_files(serial: ComparisonResult, tmp_path: Path) -> None:
    parallel = compare(files(*ORDERED), replications=4, workers=2, overrides=SHORT)
    for name in FRAMES:
        assert_frame_equal(getattr(parallel, name), getattr(serial, name), check_exact=True)
    assert without_timing(parallel.comparison) == without_timing(serial.comparison)
    assert not serial.hires.empty, "full_team_day_one hires, so the hires frame is compared for real"
    one, two = serial.write(tmp_path / "one"), parallel.write(tmp_path / "two")
    for name in OUTPUTS:
        assert (one / name).read_bytes() == (two / name).read_bytes(), f"{name} differs between 1 and 2 workers"


def test_results_are_sorted_by_strategy_then_replication_whatever_finishes_first(
    serial: ComparisonResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    order = [(s, r) for s in ORDERED for r in range(4)]
    assert list(zip(serial.runs["strategy"], serial.runs["replication"], strict=True)) == order
    assert serial.comparison["strategies"] == list(ORDERED)
    hires = serial.hires[["strategy", "replication", "hire_number"]]
    rank = hires["strategy"].map({s: i for i, s in enumerate(ORDERED)})
    assert (hires.assign(rank=rank).sort_values(["rank", "replication", "hire_number"]).index == hires.index).all()
    assert list(dict.fromkeys(serial.daily_quantiles["strategy"])) == list(ORDERED)

    class Scrambled(Runner):
        """Yields the outcomes in a scrambled order, as a pool might."""

        def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
            outcomes = list(super().run(tasks))
            rng = np.random.default_rng(5)
            yield from (outcomes[i] for i in rng.permutation(len(outcomes)))

    monkeypatch.setattr(comparison_module, "Runner", Scrambled)
    scrambled = compare(files(*ORDERED), replications=4, workers=1, overrides=SHORT)
    for name in FRAMES:
        assert_frame_equal(getattr(scrambled, name), getattr(serial, name), check_exact=True)
    assert without_timing(scrambled.comparison) == without_timing(serial.comparison)


# --- common random numbers --------------------------------------------------------------------


def test_replication_i_of_every_strategy_uses_the_same_seed(serial: ComparisonResult) -> None:
    seeds = serial.runs.pivot(index="replication", columns="strategy", values="seed")
    assert (seeds.nunique(axis=1) == 1).all()
    master = master_seed(ORDERED[0])
    assert list(seeds[ORDERED[0]]) == [replication_seed(master, i) for i in range(4)]
    assert seeds[ORDERED[0]].nunique() == 4, "replications get different seeds"


def test_common_random_numbers_cut_the_variance_of_paired_differences() -> None:
    """never_hire against solo_then_hire over 730 days: many replications hire, so the two differ.

    Paired on common seeds the luck cancels; against solo_then_hire run on other seeds it does not.
    40 replications: what stays is the luck only the hiring strategy meets (who it hires, its factories), so fewer
    replications make the variances themselves too noisy to compare.
    """
    n, days = 40, ["simulation.days=730", "strategy.parameters.profit_multiple=0.25"]  # hire early enough to differ
    result = compare(files("never_hire", "solo_then_hire"), replications=n, workers=2, overrides=days)
    runs = result.runs.set_index(["strategy", "replication"])
    assert (runs.loc["never_hire", "seed"] == runs.loc["solo_then_hire", "seed"]).all()
    master = master_seed()
    solo = load_scenario(STRATEGY_FILES["solo_then_hire"], days)
    other_seeds = [Task("solo_then_hire", i, replication_seed(master, i + 1000)) for i in range(n)]
    with Runner({"solo_then_hire": solo}, workers=2) as runner:
        independent = {o.task.replication: o.row for o in runner.run(other_seeds)}
    assert (runs.loc["solo_then_hire", "peak_headcount"] > 0).sum() >= n // 3, "solo_then_hire must hire to differ"

    for figure in ("cumulative_profit_usd", "final_cash_usd"):
        x = runs.loc["never_hire", figure].to_numpy(float)
        y = runs.loc["solo_then_hire", figure].to_numpy(float)
        z = np.array([independent[i][figure] for i in range(n)])
        common, apart = np.var(x - y, ddof=1), np.var(x - z, ddof=1)
        assert common > 0, f"{figure}: the strategies never differ, so the test shows nothing"
        # a third: factories, AWD and receiving still draw from shared streams as events come, so runs that
        # diverge part ways there (final cash measured about a quarter with 40 replications)
        assert common < apart / 3, f"{figure}: var with common seeds {common:.3g}, with other seeds {apart:.3g}"
    paired = result.comparison["paired"]["solo_then_hire"]["cumulative_profit_usd"]["difference"]
    separate = [result.comparison["figures"][s]["cumulative_profit_usd"] for s in ("never_hire", "solo_then_hire")]
    assert paired["half_width"] < 0.5 * max(f["half_width"] for f in separate)


# --- failed runs ------------------------------------------------------------------------------


def test_a_run_that_raises_is_recorded_and_the_rest_go_on(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    n = 4
    bad_seed = replication_seed(master_seed(), 1)

    class Breaks(SellerModel):
        def run(self) -> None:
            if self.config.strategy.name == "full_team_day_one" and self.config.simulation.seed == bad_seed:
                raise RuntimeError("boom in replication 1")
            super().run()

    monkeypatch.setattr(replication_module, "SellerModel", Breaks)
    result = compare(files("never_hire", "full_team_day_one"), replications=n, workers=1, overrides=SHORT)
    runs = result.runs
    assert len(runs) == 2 * n
    failed = runs[runs["status"] == "error"]
    assert list(zip(failed["strategy"], failed["replication"], strict=True)) == [("full_team_day_one", 1)]
    error = failed["error"].iloc[0]
    assert error.startswith("Traceback") and "RuntimeError: boom in replication 1" in error
    assert failed["seed"].iloc[0] == bad_seed
    assert runs.loc[runs["status"] == "ok", "error"].isna().all()

    c = result.comparison
    assert c["failed_runs"] == {"never_hire": 0, "full_team_day_one": 1}
    assert c["replications"] == {"never_hire": n, "full_team_day_one": n}
    ok = runs[(runs["status"] == "ok") & (runs["strategy"] == "full_team_day_one")]
    assert list(ok["replication"]) == [0, 2, 3]
    cash = c["figures"]["full_team_day_one"]["final_cash_usd"]
    assert cash["n"] == n - 1 and cash["estimate"] == pytest.approx(ok["final_cash_usd"].mean())
    assert c["figures"]["full_team_day_one"]["survived"]["n"] == n - 1
    assert c["figures"]["never_hire"]["final_cash_usd"]["n"] == n
    assert c["paired"]["full_team_day_one"]["final_cash_usd"]["difference"]["n"] == n - 1
    hired = result.hires[result.hires["strategy"] == "full_team_day_one"]
    assert set(hired["replication"]) == {0, 2, 3}
    out = result.write(tmp_path / "cmp")
    assert strict_json(out / "comparison.json")["failed_runs"]["full_team_day_one"] == 1
    assert pd.read_parquet(out / "runs.parquet")["status"].tolist().count("error") == 1


def test_a_strategy_whose_every_run_fails_still_gives_a_comparison(monkeypatch: pytest.MonkeyPatch) -> None:
    class AlwaysBreaks(SellerModel):
        def run(self) -> None:
            if self.config.strategy.name == "never_hire":
                raise RuntimeError("always")
            super().run()

    monkeypatch.setattr(replication_module, "SellerModel", AlwaysBreaks)
    result = compare(files("solo_then_hire", "never_hire"), replications=3, workers=1, overrides=SHORT)
    c = result.comparison
    assert c["failed_runs"] == {"solo_then_hire": 0, "never_hire": 3}
    assert c["figures"]["never_hire"]["final_cash_usd"]["n"] == 0
    assert any("never_hire" in s for s in c["sentences"])


# --- precision-driven replications ------------------------------------------------------------


def _compare_until(rule: StoppingRule, planned: list[int]):
    """Two strategies from 3 replications under ``rule``; ``planned`` collects the planned totals."""
    return compare(
        files("never_hire", "solo_then_hire"),
        replications=3,
        stopping=rule,
        overrides=SHORT,
        progress=lambda _o, total: planned.append(total),
    )


def test_a_generous_target_stops_after_the_first_batch() -> None:
    planned: list[int] = []
    rule = StoppingRule("final_cash_usd", 1e9, max_replications=50, batch=5)
    result = _compare_until(rule, planned)
    c = result.comparison
    assert c["replications"] == {"never_hire": 3, "solo_then_hire": 3}
    assert len(result.runs) == 6 and set(planned) == {6}
    reason = c["stopping"]["reason"]
    assert "narrower than ±1,000,000,000 for every strategy after 3 replications" in reason
    assert c["stopping"]["interrupted"] is False
    assert c["stopping"]["target"] == {"figure": "final_cash_usd", "half_width": 1e9, "max": 50}
    assert c["provenance"]["replications"] == c["replications"]


def test_an_impossible_target_stops_at_the_maximum() -> None:
    planned: list[int] = []
    rule = StoppingRule("survived", 0.001, max_replications=7, batch=2)  # Wilson never gets this narrow
    result = _compare_until(rule, planned)
    c = result.comparison
    assert c["replications"] == {"never_hire": 7, "solo_then_hire": 7}
    assert list(result.runs["replication"]) == [*range(7), *range(7)]
    assert sorted(set(planned)) == [6, 10, 14], "batches of 3, then 2 and 2 more"
    assert "reached the maximum of 7 replications" in c["stopping"]["reason"]
    assert c["figures"]["never_hire"]["survived"]["n"] == 7


# --- Ctrl-C -----------------------------------------------------------------------------------


@pytest.mark.parametrize("k", [1, 3])
def test_ctrl_c_keeps_exactly_the_runs_that_finished(k: int, tmp_path: Path) -> None:
    seen: list[Outcome] = []

    def interrupt(outcome: Outcome, _planned: int) -> None:
        seen.append(outcome)
        if len(seen) == k:
            raise KeyboardInterrupt

    names = ("never_hire", "solo_then_hire")
    result = compare(files(*names), replications=5, workers=1, overrides=SHORT, progress=interrupt)
    assert len(seen) == k and len(result.runs) == k
    finished = {(o.task.strategy, o.task.replication) for o in seen}
    assert set(zip(result.runs["strategy"], result.runs["replication"], strict=True)) == finished
    c = result.comparison
    assert c["stopping"]["interrupted"] is True
    assert f"interrupted after {k} runs" in c["stopping"]["reason"]
    assert sum(c["replications"].values()) == k
    assert any(t.startswith("solo_then_hire ") for t in c["sentences"]), "sentences survive a partial comparison"
    result.write(tmp_path / "partial")  # a partial comparison is still written
    assert strict_json(tmp_path / "partial" / "comparison.json")["stopping"]["interrupted"] is True


def test_ctrl_c_before_any_run_finished(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def interrupted(*_args: object) -> Outcome:
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "run_task", interrupted)
    result = compare(files("never_hire", "solo_then_hire"), replications=3, workers=1, overrides=SHORT)
    assert result.runs.empty and result.hires.empty
    assert result.comparison["stopping"]["interrupted"] is True
    assert result.comparison["replications"] == {"never_hire": 0, "solo_then_hire": 0}
    (sentence,) = result.comparison["sentences"]
    assert sentence.startswith("solo_then_hire cannot be compared with never_hire: ")
    out = result.write(tmp_path / "nothing")
    assert pd.read_parquet(out / "runs.parquet").empty
    assert strict_json(out / "comparison.json")["stopping"]["interrupted"] is True


# --- comparison.json --------------------------------------------------------------------------

JSON_STRATEGIES = ("never_hire", "ops_first_day_one", "product_team_first", "full_team_unfunded")
JSON_OVERRIDES = ["simulation.days=300"]
JSON_REPLICATIONS = 6


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], pd.DataFrame]:
    """comparison.json and runs.parquet of a comparison with failures, partial survival and hires."""
    folder = tmp_path_factory.mktemp("compare")
    unfunded = folder / "full_team_unfunded.yaml"  # the full team without its round runs out of cash: failures
    unfunded.write_text(
        f"extends: '{STRATEGY_FILES['full_team_day_one']}'\n"
        "strategy: {name: full_team_unfunded, financing: {equity: []}}\n"
    )
    result = compare(
        [*files(*JSON_STRATEGIES[:-1]), unfunded],
        replications=JSON_REPLICATIONS,
        workers=1,
        overrides=JSON_OVERRIDES,
        seed=11,
    )
    out = result.write(folder / "cmp")
    return strict_json(out / "comparison.json"), pd.read_parquet(out / "runs.parquet")


def check_interval(where: str, interval: dict[str, Any]) -> None:
    assert set(interval) == {"estimate", "low", "high", "half_width", "n"}, where
    if interval["low"] is not None and interval["high"] is not None:
        assert interval["low"] <= interval["estimate"] <= interval["high"], f"{where}: {interval}"
        assert interval["half_width"] == pytest.approx((interval["high"] - interval["low"]) / 2), where


def test_every_strategy_and_figure_has_an_interval(written) -> None:
    c, runs = written
    assert c["strategies"] == list(JSON_STRATEGIES) and c["baseline"] == JSON_STRATEGIES[0]
    assert c["horizon_days"] == 300
    assert c["replications"] == dict.fromkeys(JSON_STRATEGIES, JSON_REPLICATIONS)
    for s in JSON_STRATEGIES:
        assert set(c["figures"][s]) == {f.name for f in FIGURES}
        for f in FIGURES:
            check_interval(f"{s}/{f.name}", c["figures"][s][f.name])
        survived = runs.loc[runs["strategy"] == s, "survived"].astype(bool)
        assert c["figures"][s]["survived"]["estimate"] == pytest.approx(survived.mean())
        cash = runs.loc[runs["strategy"] == s, "final_cash_usd"]
        assert c["figures"][s]["final_cash_usd"]["estimate"] == pytest.approx(cash.mean())
    assert 0 < c["figures"]["ops_first_day_one"]["survived"]["estimate"] <= 1
    assert c["figures"]["full_team_unfunded"]["survived"]["estimate"] == 0


def test_paired_entries_for_every_other_strategy(written) -> None:
    c, runs = written
    base = JSON_STRATEGIES[0]
    assert set(c["paired"]) == set(JSON_STRATEGIES) - {base}
    wide = runs.pivot(index="replication", columns="strategy", values="cumulative_profit_usd")
    for s, entry in c["paired"].items():
        assert set(entry) == {f.name for f in FIGURES} | {"final_cash_usd_when_both_survive"}
        for f in FIGURES:
            check_interval(f"{s}/{f.name}/difference", entry[f.name]["difference"])
            check_interval(f"{s}/{f.name}/p_beats_baseline", entry[f.name]["p_beats_baseline"])
        check_interval(f"{s}/both survive", entry["final_cash_usd_when_both_survive"]["difference"])
        diff = entry["cumulative_profit_usd"]["difference"]
        assert diff["estimate"] == pytest.approx((wide[s] - wide[base]).mean())
        assert entry["cumulative_profit_usd"]["p_beats_baseline"]["estimate"] == pytest.approx(
            ((wide[s] > wide[base]) + 0.5 * (wide[s] == wide[base])).mean()
        )


def test_sentences_name_every_strategy_with_the_numbers_of_the_intervals(written) -> None:
    c, runs = written
    base = JSON_STRATEGIES[0]
    survived = runs.pivot(index="replication", columns="strategy", values="survived").astype(bool)
    sentences = c["sentences"]
    assert len(sentences) == len(JSON_STRATEGIES)  # one per other strategy and the profit ranking
    for s in JSON_STRATEGIES[1:]:
        (sentence,) = [t for t in sentences if t.startswith(f"{s} survives 300 days in ")]
        share = c["figures"][s]["survived"]
        assert share_text(survived[s].mean()) == share_text(share["estimate"])  # from the runs themselves
        ci = f"{share_text(share['low'])} to {share_text(share['high'])}"
        assert f"in {share_text(share['estimate'])} of runs (95% CI {ci})" in sentence
        assert f"against {share_text(survived[base].mean())} for {base}" in sentence
        beats = c["paired"][s]["cumulative_sde_usd"]["p_beats_baseline"]
        ci = f"{share_text(beats['low'])} to {share_text(beats['high'])}"
        assert (
            f"on cumulative SDE in {share_text(beats['estimate'])} of all {beats['n']} paired runs (95% CI {ci})"
            in (sentence)
        )
        both = int((survived[s] & survived[base]).sum())
        assert c["paired"][s]["final_cash_usd_when_both_survive"]["difference"]["n"] == both
        if both == 0:
            assert "never both survive" in sentence
        else:
            assert f"when both survive ({both} runs)" in sentence or "when both survive (once)" in sentence
    sde = runs.groupby("strategy")["cumulative_sde_usd"].mean()
    ranking = sentences[-1]
    assert ranking.startswith(f"Highest mean cumulative SDE over all runs: {sde.idxmax()} at ")
    assert f"; lowest: {sde.idxmin()} at " in ranking
    ranked = [row["strategy"] for row in c["decision"]["rows"]]
    assert [next(s for s in ranked if t.startswith(f"{s} survives")) for t in sentences[:-1]] == [
        s for s in ranked if s != base
    ], "the sentences follow the decision table's ranking"


def test_provenance_has_hashes_and_versions(written) -> None:
    c, _ = written
    p = c["provenance"]
    assert set(p["scenario_files"]) == set(JSON_STRATEGIES)
    for s, entry in p["scenario_files"].items():
        path = STRATEGY_FILES.get(s, Path(entry["file"]))
        assert entry["file"] == str(path)
        assert re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])
        assert entry["sha256"] == scenario_hash(load_scenario(path, JSON_OVERRIDES))
    assert len({e["sha256"] for e in p["scenario_files"].values()}) == len(JSON_STRATEGIES)
    for name in ("python", "sellersim", "numpy", "pandas", "scipy", "mesa", "simpy"):
        assert re.match(r"\d+\.\d+", p["software"][name]), name
    assert p["master_seed"] == 11 and p["overrides"] == JSON_OVERRIDES and p["workers"] == 1
    assert p["replications"] == c["replications"]
    assert p["run_seconds"] >= 0 and p["run_cpu_seconds"] > 0


def test_each_strategys_rules_in_words_beside_its_description(written) -> None:
    c, _ = written
    assert list(c["strategy_rules"]) == list(JSON_STRATEGIES)
    for name in JSON_STRATEGIES[:-1]:
        path = STRATEGY_FILES[name]
        told = describe_rules(load_scenario(path, JSON_OVERRIDES), base=base_strategy(path))
        assert c["strategy_rules"][name] == list(told)
        assert c["strategies_described"][name] == load_scenario(path).strategy.description
    unfunded = c["strategy_rules"]["full_team_unfunded"]  # extends a strategy file: told against base.yaml
    assert "No outside money: no credit line, equity or inventory loans." in unfunded
    assert "Hires an operator from the first day; up to a headcount of 2." in unfunded


# --- load errors ------------------------------------------------------------------------------


def test_a_strategy_given_twice_is_an_error() -> None:
    with pytest.raises(ScenarioError, match="strategy 'never_hire' is given twice"):
        compare(files("never_hire", "solo_then_hire", "never_hire"), replications=2, overrides=SHORT)


def test_different_horizons_are_an_error(tmp_path: Path) -> None:
    shorter = tmp_path / "short.yaml"
    shorter.write_text(
        f"extends: '{STRATEGY_FILES['never_hire']}'\nstrategy:\n  name: never_hire_short\nsimulation:\n  days: 200\n"
    )
    assert load_scenario(shorter).strategy.name == "never_hire_short"
    with pytest.raises(ScenarioError, match="must share start_date and days"):
        compare([STRATEGY_FILES["never_hire"], shorter], replications=2)
    # an override that sets the horizon of every file makes them comparable again
    result = compare([STRATEGY_FILES["never_hire"], shorter], replications=2, overrides=["simulation.days=60"])
    assert result.comparison["horizon_days"] == 60


def test_an_unknown_baseline_is_an_error() -> None:
    with pytest.raises(ValueError, match="baseline 'solo_then_hir' is not one of the strategies; did you mean"):
        compare(files("never_hire", "solo_then_hire"), baseline="solo_then_hir", replications=2, overrides=SHORT)


def test_a_strategy_that_raised_money_says_its_cash_includes_it() -> None:
    """A funded start-up 'ends with $85k more cash' only because $200k was raised: the sentence says so."""
    result = compare(
        files("solo_then_hire", "full_team_day_one"), replications=3, workers=1, overrides=["simulation.days=60"]
    )
    c = result.comparison
    assert c["financing"] == {
        "full_team_day_one": {
            "equity_raised_usd": 200000.0,
            "founder_ownership": pytest.approx(0.8),
            "final_loan_owed_usd": 0.0,
        }
    }
    (sentence,) = [s for s in c["sentences"] if s.startswith("full_team_day_one survives")]
    assert "(its cash includes $200k of equity raised, for 20% of the company)" in sentence
    assert not any("solo_then_hire survives" in s for s in c["sentences"])


def test_a_strategy_that_borrowed_says_its_cash_includes_the_debt() -> None:
    """'Ends with $38k more cash' while owing a lender $53k: the sentence says what is still owed."""
    loans = "strategy.financing.inventory_loans={when: 'day >= 0', share_of_order: 0.7, fee_share: 0.12, "
    terms = "repay_share_of_payout: 0.15, limit_usd: 100000}"
    result = compare(files("never_hire"), replications=3, workers=1, overrides=["simulation.days=200", loans + terms])
    owed = result.runs["final_loan_owed_usd"].mean()
    assert owed > 0, "the premise: the lender is still owed at the end"
    assert result.comparison["financing"]["never_hire"]["final_loan_owed_usd"] == pytest.approx(owed)
    clause = _outside_money(result.comparison["financing"]["never_hire"])
    assert clause == f" (its cash includes {money(owed)} still owed to a lender at the end, on average)"


def test_monthly_profit_is_the_last_whole_calendar_months_total() -> None:
    """A month's bills land on its last day: each whole month holds one, and the series steps once a month."""
    from sellersim.experiments.replication import last_month_totals

    dates = pd.date_range("2027-01-04", periods=120)  # the run starts mid-month
    day_of_month = np.append(dates.day.to_numpy(), 1 if (dates[-1] + pd.Timedelta(days=1)).day == 1 else 2)
    profit = np.full(len(dates), 10.0)
    month_end = (dates + pd.Timedelta(days=1)).day == 1
    profit[month_end] -= 500.0  # payroll on each month's last day
    series = last_month_totals(profit, day_of_month)
    first_end = int(np.flatnonzero(month_end)[0])  # Jan 31: January began mid-month, so it is not whole
    assert np.isnan(series[: first_end + 1]).all()
    feb_end = int(np.flatnonzero(month_end)[1])
    assert np.isnan(series[:feb_end]).all() and series[feb_end] == 28 * 10.0 - 500.0  # February, whole
    mar_end = int(np.flatnonzero(month_end)[2])
    assert (series[feb_end:mar_end] == 28 * 10.0 - 500.0).all() and series[mar_end] == 31 * 10.0 - 500.0
    assert len(np.unique(series[~np.isnan(series)])) == 3  # Feb, Mar, Apr: one payroll each, no double month
