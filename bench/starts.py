"""`make bench`: the start stampede. Residents announced a round on Zalo all press "Bắt đầu làm bài" at once.

gunicorn (contest/gunicorn_conf.py) on loopback, the production app, one open round; in one run:
  (a) bare POST inserting one row (wrk)          -> baseline of a write to the same database
  (b) start capacity: wrk, each request a different resident, as fast as the server answers
                                                 -> starts/s (from the attempts' start times) ÷ (a)
  (c) the stampede: OFFERED other residents each start once, spread evenly over WITHIN seconds (an open
      loop: a start is sent at its moment whether or not earlier ones were answered; latency counts from
      that moment) -> offered, succeeded, p95_ms
Then the database is checked: exactly one attempt per person who started.

    python -m bench.starts                          # 1,000 within 10 s on SQLite
    python -m bench.starts --offered 3000 --within 30
    BENCH_DATABASE_URL=postgresql://... python -m bench.starts

Results are merged into bench/results.json (key ``start_stampede``; other keys kept).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import shutil
import sys
import time

from bench.serve import (
    HERE,
    ensure_wrk,
    gunicorn,
    load_demo_round,
    merge_results,
    production_env,
    scenario_database,
    server_arguments,
    session_signer,
    workspace,
    wrk,
)

TARGET_RATIO = 0.3
TARGET_P95_MS = 1000


def prepare(env: dict, people: int) -> tuple[int, list[str]]:
    """Migrate an empty database, load the demo, register ``people`` residents; return the open round's id and
    one "cookie csrf-token" line per resident (signed as the app signs them)."""
    os.environ.update(env)
    from sqlalchemy import insert, select, text

    from contest import clock, create_app
    from contest.accounts.models import User
    from contest.extensions import db

    app = create_app()
    with app.app_context():
        round_ = load_demo_round(env)
        assert round_.state(clock.now()) == "open", "the demo's last round should be open"
        round_.attempts_allowed = 1
        round_id = round_.id
        units = list(db.session.execute(text("SELECT id FROM units")).scalars())
        model = User(login="x", full_name="x")
        model.set_password(secrets.token_hex(8))
        db.session.execute(insert(User), [
            {"login": f"04{n:08d}", "phone": f"04{n:08d}", "role": "resident", "full_name": f"Người thử {n}",
             "unit_id": units[n % len(units)], "password_hash": model.password_hash, "is_simulated": True,
             "session_version": 1, "created_at": clock.now()}
            for n in range(people)])
        db.session.commit()
        sign = session_signer(app)
        lines = [" ".join(sign(user))
                 for user in db.session.scalars(select(User).where(User.login.like("04%")).order_by(User.id))]
        db.session.remove()
        db.engine.dispose()
    return round_id, lines


async def _start(port: int, path: str, line: str, at: float, timeout: float) -> tuple[bool, float]:
    """One start sent at monotonic moment ``at``: (whether it led to an attempt page, seconds since ``at``)."""
    await asyncio.sleep(max(0.0, at - time.monotonic()))
    cookie, token = line.split(" ")
    body = f"csrf_token={token}".encode()
    request = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: session={cookie}\r\n"
               f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
               f"Connection: close\r\n\r\n").encode() + body
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            writer.close()
    except (OSError, TimeoutError, asyncio.IncompleteReadError):
        return False, time.monotonic() - at
    status = head.split(b" ", 2)[1]
    ok = status == b"302" and b"\r\nLocation: /attempts/" in head
    return ok, time.monotonic() - at


async def stampede(port: int, path: str, lines: list[str], within: float, timeout: float) -> list[tuple[bool, float]]:
    """Send each start at its moment, evenly spread over ``within`` seconds."""
    t0 = time.monotonic() + 0.2
    step = within / len(lines)
    return await asyncio.gather(*(_start(port, path, line, t0 + i * step, timeout) for i, line in enumerate(lines)))


def check_database(env: dict, round_id: int) -> dict:
    """Attempts per person in the round, and the start rate of the capacity run (from the attempts' times)."""
    os.environ.update(env)
    from sqlalchemy import func, select

    from contest import create_app
    from contest.attempts.models import Attempt
    from contest.extensions import db

    app = create_app()
    with app.app_context():
        per_person = db.session.execute(select(Attempt.user_id, func.count(Attempt.id))
                                        .where(Attempt.round_id == round_id).group_by(Attempt.user_id)).all()
        times = sorted(db.session.scalars(select(Attempt.started_at).where(Attempt.round_id == round_id)))
        db.engine.dispose()
    return {"people": len(per_person), "attempts": sum(n for _, n in per_person),
            "more_than_one": sum(1 for _, n in per_person if n != 1), "times": times}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offered", type=int, default=int(os.environ.get("BENCH_STARTS", "1000")),
                        help="residents starting in the stampede (default 1000)")
    parser.add_argument("--within", type=float, default=float(os.environ.get("BENCH_STARTS_WITHIN", "10")),
                        help="seconds over which their starts are spread (default 10)")
    parser.add_argument("--capacity", type=int, default=6000,
                        help="residents for the capacity run (default 6000: enough to start new attempts for the "
                             "whole run, so that the rate is measured over as long as the bare insert's)")
    server_arguments(parser)
    args = parser.parse_args()

    wrk_path = ensure_wrk()
    work = workspace("hoithi-bench-starts-")
    env = production_env(work, scenario_database("bench_starts", work))
    print(f"==> Preparing {args.capacity + args.offered} residents on {env['DATABASE_URL'].split('?')[0]}")
    round_id, lines = prepare(env, args.capacity + args.offered)
    capacity_file = work / "capacity.txt"
    capacity_file.write_text("\n".join(lines[:args.capacity]) + "\n")
    offered = lines[args.capacity:]
    path = f"/rounds/{round_id}/start"

    with gunicorn(env, args.workers) as base:
        wrk(wrk_path, base, HERE / "baseline.lua", 2, args.connections, {"BENCH_PATH": "/bench/hello"})  # warm-up
        insert = wrk(wrk_path, base, HERE / "baseline.lua", args.seconds, args.connections,
                     {"BENCH_METHOD": "POST", "BENCH_PATH": "/bench/insert"})
        capacity = wrk(wrk_path, base, HERE / "start.lua", args.seconds, args.connections,
                       {"BENCH_PEOPLE": str(capacity_file), "BENCH_PATH": path})
        capacity_db = check_database(env, round_id)
        time.sleep(1)
        print(f"==> Stampede: {len(offered)} residents start within {args.within:g} s")
        port = int(base.rsplit(":", 1)[1])
        answers = asyncio.run(stampede(port, path, offered, args.within, timeout=60))
    final = check_database(env, round_id)

    times = capacity_db["times"]
    span = (times[-1] - times[0]).total_seconds() if len(times) > 1 else 0.0
    starts_rate = (len(times) - 1) / span if span else 0.0
    latencies = sorted(seconds for _, seconds in answers)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else 0.0
    succeeded = sum(1 for ok, _ in answers if ok)
    result = {
        "offered": len(offered), "within_s": args.within, "succeeded": succeeded,
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1) if latencies else 0.0,
        "p95_ms": round(p95, 1), "max_ms": round(latencies[-1] * 1000, 1) if latencies else 0.0,
        "starts_per_s": round(starts_rate, 1), "bare_insert_per_s": round(insert["rps"], 1),
        "ratio": round(starts_rate / insert["rps"], 3) if insert["rps"] else None,
        "capacity_p99_ms": capacity["p99_us"] / 1000, "capacity_errors": capacity["errors"],
        "people_with_attempts": final["people"], "attempts": final["attempts"],
        "people_with_more_than_one": final["more_than_one"],
        "target_ratio": TARGET_RATIO, "target_p95_ms": TARGET_P95_MS,
    }
    path_written = merge_results({"start_stampede": result})
    print(f"\nbare insert {insert['rps']:.1f}/s; starts {starts_rate:.1f}/s "
          f"(capacity run: {len(times)} starts by different residents) -> ratio {result['ratio']} "
          f"(target ≥ {TARGET_RATIO})")
    print(f"stampede: offered {len(offered)} within {args.within:g} s, succeeded {succeeded}, p50 "
          f"{result['p50_ms']} ms, p95 {result['p95_ms']} ms (target < {TARGET_P95_MS}), max {result['max_ms']} ms")
    print(f"database: {final['people']} people with attempts, {final['attempts']} attempts, "
          f"{final['more_than_one']} with more than one (expected 0)")
    print(f"Wrote {path_written} (start_stampede)")
    shutil.rmtree(work, ignore_errors=True)
    if final["more_than_one"] or final["people"] != final["attempts"]:
        sys.exit("a person has more than one attempt")


if __name__ == "__main__":
    main()
