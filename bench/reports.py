"""The periodic report's pivots at scale: ``python -m bench.reports [--attempts N]``.

Builds (once, cached in bench/.cache/) a copy of the survey benchmark's database (bench/survey.py: 12,000
officials' survey attempts) with ``--attempts`` simulated residents' attempts (default 100,000) in the demo
contest's round. Then, in this process, each ``--repeat`` times interleaved and the quickest kept, over a
period that holds every attempt:

  aggregates      the two pivots as the periodic report computed them before: the database's aggregates
                  (ranking.unit_figures.unit_lines over the contests' rounds, figure_totals per round and group:
                  four grouped reads of the attempts)                                      (the baseline)
  pivots          reports.service.periodic_figures: one read of the period's attempts, pivoted by
                  reports.frames with pandas
  export          the whole periodic report written as .xlsx (the pivots and the two sheets)

Wall-clock and CPU times (user + system, the least of the runs) are merged into bench/results.json under
``periodic_report`` (other keys kept) and printed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from datetime import timedelta

from bench.exports import memory_mb
from bench.serve import HERE, ROOT, app_on, copy_schema, dataset_url, url_folder, url_schema
from bench.survey import dataset


def build(database: str, attempts: int) -> None:
    """Add ``attempts`` simulated residents' finished attempts to the demo contest's round."""
    from sqlalchemy import select

    from contest import clock
    from contest.contests.models import Contest
    from contest.demo.service import DEMO_SLUG
    from contest.demo.simulation import simulate_round
    from contest.extensions import db

    app = app_on(database)
    with app.app_context():
        round_ = db.session.scalar(select(Contest).where(Contest.slug == DEMO_SLUG)).rounds[0]
        clock.set_clock(lambda: round_.opens_at + timedelta(days=6))
        started = time.perf_counter()
        report = simulate_round(round_, attempts, seed=2018, answers=False)
        print(f"    simulated {report.participants:,} residents in {time.perf_counter() - started:.0f} s")
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
        db.engine.dispose()


def reports_dataset(attempts: int) -> str:
    """The URL of the survey's cached dataset plus ``attempts`` contest attempts (built on first use; a SQLite
    file, or with BENCH_DATABASE_URL a PostgreSQL schema)."""

    def build(partial: str) -> None:
        survey = dataset(12_000)
        if partial.startswith("sqlite:///"):
            shutil.copyfile(survey[len("sqlite:///"):], partial[len("sqlite:///"):])
        else:
            copy_schema(url_schema(survey), url_schema(partial))
        subprocess.run([sys.executable, "-m", "bench.reports", "--build", partial, "--attempts", str(attempts)],
                       cwd=ROOT, check=True)

    return dataset_url(f"reports-{attempts}.sqlite3", f"+{attempts:,} contest attempts", build)


def aggregates(start, end):
    """The pivots as the periodic report computed them before this change (database aggregates)."""
    from sqlalchemy import select

    from contest.attempts.models import Attempt
    from contest.contests.models import Contest, Round
    from contest.extensions import db
    from contest.ranking.unit_figures import figure_totals, unit_lines

    contest_rounds = list(db.session.scalars(select(Round).join(Contest).where(Contest.kind == "contest")))
    lines = unit_lines(contest_rounds, start=start, end=end)
    totals = figure_totals((Attempt.round_id, Attempt.group), start=start, end=end)
    rounds = {r.id: r for r in db.session.scalars(select(Round).where(Round.id.in_({k[0] for k in totals})))}
    by_round = sorted((rounds[r].contest_id, rounds[r].number, g, rounds[r].contest.title, rounds[r].title, values)
                      for (r, g), values in totals.items())
    return lines, by_round


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--build")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.build:
        build(args.build, args.attempts)
        return
    database = reports_dataset(args.attempts)
    app = app_on(database)
    from sqlalchemy import func, select

    from contest import clock
    from contest.attempts.models import Attempt
    from contest.exports.builders import periodic_report
    from contest.exports.registry import ExportParams
    from contest.exports.writers import write_xlsx
    from contest.extensions import db
    from contest.reports.periods import Period, utc_bounds
    from contest.reports.service import periodic_figures

    with app.app_context():
        first, last, count = db.session.execute(select(func.min(Attempt.finished_at), func.max(Attempt.finished_at),
                                                       func.count())).one()
        period = Period(clock.to_vn(first).date(), clock.to_vn(last).date())
        start, end = utc_bounds(period)
        out = url_folder(database) / "bench-periodic.xlsx"
        jobs = {"aggregates": lambda: aggregates(start, end), "pivots": lambda: periodic_figures(start, end),
                "export": lambda: write_xlsx(periodic_report(ExportParams(period=period)), out)}
        times: dict[str, list[float]] = {name: [] for name in jobs}
        cpu: dict[str, list[float]] = {name: [] for name in jobs}
        for _ in range(args.repeat):
            for name, job in jobs.items():
                began, cpu_began = time.perf_counter(), time.process_time()
                job()
                times[name].append(time.perf_counter() - began)
                cpu[name].append(time.process_time() - cpu_began)
        out.unlink(missing_ok=True)
        old, new = aggregates(start, end), periodic_figures(start, end)
        same = [line.participants for line in old[0]] == [line.participants for line in new.units] and \
            [v[0] for *_k, v in old[1]] == [r.participants for r in new.rounds]
    best = {name: min(found) for name, found in times.items()}
    result = {"value_s": round(best["pivots"], 3), "baseline_s": round(best["aggregates"], 3),
              "ratio": round(best["pivots"] / best["aggregates"], 3), "export_s": round(best["export"], 3),
              "attempts": count, "runs": args.repeat, "peak_mb": round(memory_mb("VmHWM"), 1),
              "same_participants": same, "cpu_s": round(min(cpu["pivots"]), 3),
              "baseline_cpu_s": round(min(cpu["aggregates"]), 3),
              "cpu_ratio": round(min(cpu["pivots"]) / min(cpu["aggregates"]), 3)}
    path = HERE / "results.json"
    merged = json.loads(path.read_text()) if path.exists() else {}
    merged["periodic_report"] = result
    path.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n")
    print(f"periodic report over {count:,} attempts: pandas pivots {result['value_s']:.3f} s, database aggregates "
          f"(before) {result['baseline_s']:.3f} s, ratio {result['ratio']:.2f}; whole .xlsx export "
          f"{result['export_s']:.3f} s; same participants: {same}; peak {result['peak_mb']} MB; CPU "
          f"{result['cpu_s']:.3f} s ÷ {result['baseline_cpu_s']:.3f} s = {result['cpu_ratio']:.2f}×")


if __name__ == "__main__":
    sys.exit(main())
