"""`make bench`: the public results pages at 10,000 participants, beside a bare GET of the same run.

gunicorn (contest/gunicorn_conf.py) on loopback, the production app, the demo's open round with 10,000
simulated participants (``flask demo simulate``'s service); wrk, anonymous visitors, one page each:
  (a) bare GET with no database                   -> baseline of the web stack
  (b) round standings   /contests/SLUG/rounds/N/standings
  (c) unit leaderboard  /contests/SLUG/units
  (d) whole-contest standings /contests/SLUG/standings, and the announcement /contests/SLUG/rounds/N/announcement
Each page's req/s ÷ (a); target ≥ 0.5.

    python -m bench.pages                       # 10,000 participants on SQLite
    BENCH_DATABASE_URL=postgresql://... python -m bench.pages

Results are merged into bench/results.json (keys ``standings_page``, ``unit_leaderboard_page``,
``overall_standings_page``, ``announcement_page``; other keys kept).
"""

from __future__ import annotations

import argparse
import os
import shutil

from bench.serve import (
    HERE,
    database_label,
    ensure_wrk,
    gunicorn,
    load_demo_round,
    merge_results,
    production_env,
    scenario_database,
    server_arguments,
    workspace,
    wrk,
)

TARGET_RATIO = 0.5


def prepare(env: dict, participants: int) -> tuple[str, int]:
    """Migrate an empty database, load the demo, simulate the participants; return the slug and round number."""
    os.environ.update(env)
    from contest import create_app
    from contest.demo.service import DEMO_SLUG
    from contest.demo.simulation import simulate_round
    from contest.extensions import db

    app = create_app()
    with app.app_context():
        round_ = load_demo_round(env)
        report = simulate_round(round_, participants, seed=2026, answers=False)
        print(f"    simulated {report.participants:,} people, {report.attempts:,} attempts")
        number = round_.number
        db.session.remove()
        db.engine.dispose()
    return DEMO_SLUG, number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=10_000)
    server_arguments(parser)
    args = parser.parse_args()

    wrk_path = ensure_wrk()
    work = workspace("hoithi-bench-pages-")
    env = production_env(work, scenario_database("bench_pages", work))
    print(f"==> Preparing {args.participants:,} participants on {database_label(env['DATABASE_URL'])}")
    slug, number = prepare(env, args.participants)
    pages = {"standings_page": f"/contests/{slug}/rounds/{number}/standings",
             "unit_leaderboard_page": f"/contests/{slug}/units",
             "overall_standings_page": f"/contests/{slug}/standings",
             "announcement_page": f"/contests/{slug}/rounds/{number}/announcement"}

    measured = {}
    with gunicorn(env, args.workers) as base:
        get = lambda path, seconds=args.seconds: wrk(  # noqa: E731
            wrk_path, base, HERE / "baseline.lua", seconds, args.connections, {"BENCH_PATH": path})
        get("/bench/hello", 2)  # warm-up
        for path in pages.values():
            get(path, 1)  # each worker computes and stores the page once
        measured["bare_get"] = get("/bench/hello")
        for name, path in pages.items():
            measured[name] = get(path)

    bare = measured["bare_get"]["rps"]
    results = {}
    print(f"\n{'page':24} {'req/s':>9} {'bare GET':>9} {'ratio':>6} {'p99 ms':>8} {'errors':>6}  target")
    for name in pages:
        data = measured[name]
        results[name] = {"value": round(data["rps"], 1), "unit": "req/s", "baseline": round(bare, 1),
                         "ratio": round(data["rps"] / bare, 3) if bare else None, "p50_ms": data["p50_us"] / 1000,
                         "p99_ms": data["p99_us"] / 1000, "errors": data["errors"], "non_200": data["requests"]
                         - data["acked"], "participants": args.participants, "target_ratio": TARGET_RATIO}
        r = results[name]
        print(f"{name:24} {r['value']:>9} {r['baseline']:>9} {r['ratio']:>6} {r['p99_ms']:>8} {r['errors']:>6}  "
              f"≥ {TARGET_RATIO} × bare GET")
    path = merge_results(results)
    print(f"Wrote {path} ({', '.join(pages)})")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
