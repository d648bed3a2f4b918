"""`make bench`: run the app under gunicorn as in production and measure it with wrk on loopback.

Scenarios, all in one run so that the baselines share the machine's mood:
  (a) bare GET with no database              -> baseline of the web stack
  (b) bare POST inserting one row            -> baseline of a write to the same database
  (c) the real autosave path at full load    -> ratio to (b); acknowledged saves vs rows found afterwards
  (d) the real autosave path at half of (c)  -> latency at a sustainable load (target p99 < 100 ms)

Results go to the console as a table and to bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil

from bench.serve import (
    HERE,
    database_label,
    ensure_wrk,
    gunicorn,
    load_demo_round,
    production_env,
    scenario_database,
    server_arguments,
    session_signer,
    workspace,
    wrk,
)


def prepare(env: dict, takers: int) -> list[str]:
    """Migrate an empty database, load the demo, start one attempt per taker; return the wrk taker lines."""
    os.environ.update(env)
    from sqlalchemy import select, text

    from contest import create_app
    from contest.accounts.models import User
    from contest.attempts.starting import start_attempt
    from contest.extensions import db

    app = create_app()
    lines = []
    with app.app_context():
        round_ = load_demo_round(env)
        round_.time_limit_minutes = 600  # no deadline falls inside the measurement
        units = [u for u in db.session.execute(text("SELECT id FROM units")).scalars()]
        password_hash = User(login="x", full_name="x")
        password_hash.set_password(secrets.token_hex(8))
        created = [User(login=f"03{n:08d}", phone=f"03{n:08d}", role="resident", full_name=f"Người thử {n}",
                        unit_id=units[n % len(units)], password_hash=password_hash.password_hash, is_simulated=True)
                   for n in range(takers)]
        db.session.add_all(created)
        db.session.commit()
        sign = session_signer(app)
        # Only the takers made here: the database may hold other simulated people (bench.rankings).
        for user in db.session.scalars(select(User).where(User.id.in_([u.id for u in created])).order_by(User.id)):
            attempt = start_attempt(user, round_)
            cookie, token = sign(user)
            lines.append(f"{attempt.id} {cookie} {token}")
        db.session.remove()
        db.engine.dispose()
    return lines


def saved_total(env: dict) -> tuple[int, int]:
    """Sum of stored seq over all answered pairs (= saves applied) and the rows of the bare insert."""
    os.environ.update(env)
    from sqlalchemy import text

    from contest import create_app
    from contest.extensions import db

    app = create_app()
    with app.app_context():
        applied = db.session.execute(text("SELECT COALESCE(SUM(seq), 0) FROM attempt_questions")).scalar()
        inserted = db.session.execute(text("SELECT COUNT(*) FROM bench_rows")).scalar()
        db.engine.dispose()
    return int(applied), int(inserted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    server_arguments(parser)
    parser.add_argument("--takers", type=int, default=300)
    args = parser.parse_args()

    wrk_path = ensure_wrk()
    work = workspace("hoithi-bench-")
    env = production_env(work, scenario_database("bench_run", work))
    print(f"==> Preparing {args.takers} takers with real attempts on {database_label(env['DATABASE_URL'])}")
    lines = prepare(env, args.takers)
    takers_file = work / "takers.txt"
    takers_file.write_text("\n".join(lines) + "\n")

    results: dict = {}
    with gunicorn(env, args.workers) as base:
        common = {"BENCH_TAKERS": str(takers_file)}
        run = lambda script, extra, conns=args.connections: wrk(  # noqa: E731
            wrk_path, base, HERE / script, args.seconds, conns, {**common, **extra})
        run("baseline.lua", {"BENCH_PATH": "/bench/hello"})  # warm-up
        hello = run("baseline.lua", {"BENCH_PATH": "/bench/hello"})
        insert = run("baseline.lua", {"BENCH_METHOD": "POST", "BENCH_PATH": "/bench/insert"})
        peak = run("autosave.lua", {})
        half_rate = peak["rps"] / 2
        conns = max(4, args.connections // 2)
        delay_ms = int(conns * 1000 / half_rate) if half_rate else 0
        half = run("autosave.lua", {"BENCH_DELAY_MS": str(delay_ms), "BENCH_COUNTER_BASE": str(peak["generated"])},
                   conns)
    applied, inserted = saved_total(env)
    acked = peak["acked"] + half["acked"]

    def row(value, unit, baseline, data, **extra):
        return {"value": round(value, 1), "unit": unit, "baseline": round(baseline, 1),
                "ratio": round(value / baseline, 3) if baseline else None, "p50_ms": data["p50_us"] / 1000,
                "p95_ms": data["p95_us"] / 1000, "p99_ms": data["p99_us"] / 1000, "errors": data["errors"], **extra}

    results["bare_get"] = row(hello["rps"], "req/s", hello["rps"], hello)
    results["bare_insert"] = row(insert["rps"], "req/s", hello["rps"], insert, acknowledged=insert["acked"],
                                 rows_found=inserted)
    results["autosave_peak"] = row(peak["rps"], "req/s", insert["rps"], peak)
    results["autosave_half_load"] = row(half["rps"], "req/s", insert["rps"], half, target_p99_ms=100)
    lost = max(0, acked - applied)
    results["autosave_saves"] = {"value": acked, "unit": "acknowledged saves", "baseline": applied,
                                 "ratio": round(applied / acked, 6) if acked else None, "lost": lost,
                                 "applied_unacknowledged": max(0, applied - acked),
                                 "errors": peak["errors"] + half["errors"]}
    (HERE / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")

    print()
    print(f"{'scenario':22} {'value':>10} {'unit':18} {'baseline':>10} {'ratio':>7} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'p99 ms':>8} {'errors':>6}")
    for name, r in results.items():
        print(f"{name:22} {r['value']:>10} {r['unit']:18} {r['baseline']:>10} {str(r['ratio']):>7} "
              f"{r.get('p50_ms', ''):>8} {r.get('p95_ms', ''):>8} {r.get('p99_ms', ''):>8} {r['errors']:>6}")
    print(f"\nautosave ÷ bare insert: {results['autosave_peak']['ratio']} (target ≥ 0.8); "
          f"p99 at half load: {results['autosave_half_load']['p99_ms']} ms (target < 100); "
          f"acknowledged {acked}, applied {applied}, lost {lost}; bare insert acknowledged "
          f"{insert['acked']}, rows {inserted}")
    print(f"Wrote {HERE / 'results.json'}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
