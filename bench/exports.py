"""`make bench` scenario for exports: N attempt rows with their answers, written to Excel.

Figures, all from one run so that the baselines share the machine's mood:
  (a) the real export (`run_export("attempts")`, streamed from the database) in a child process: wall time
      and peak memory (ru_maxrss of the child)      -> ratio to (b); targets ≤ 1.3×, < 300 MB, ≤ 15 s at 100,000
  (b) a bare XlsxWriter write of the same rows, already in memory, in another child process
  (c) autosave p95 at a steady load under gunicorn  -> baseline
  (d) the same autosave load while (a) runs again   -> ratio to (c)

Default 20,000 attempts (a few minutes); `--full` for the issue's 100,000. `BENCH_DATABASE_URL` points it at
PostgreSQL instead of a throwaway SQLite file.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.run import prepare
from bench.serve import HERE, ROOT, ensure_wrk, gunicorn, production_env, scenario_database, workspace, wrk

QUESTIONS = 10


def seed(env: dict, attempts: int, questions: int) -> int:
    """Add ``attempts`` finished attempts (one per new simulated resident) with their answers; return the
    round id."""
    os.environ.update(env)
    from sqlalchemy import insert, select, text

    from contest import create_app
    from contest.accounts.models import User
    from contest.attempts.models import Attempt, AttemptQuestion
    from contest.contests.models import Contest
    from contest.demo.service import DEMO_SLUG
    from contest.extensions import db
    from contest.units.models import Unit

    app = create_app()
    rng = random.Random(7)
    with app.app_context():
        contest = db.session.scalar(select(Contest).where(Contest.slug == DEMO_SLUG))
        round_ = contest.rounds[-1]
        units = list(db.session.scalars(select(Unit.id)))
        password_hash = User(login="x", full_name="x")
        password_hash.set_password("bench-only")
        first_user = (db.session.scalar(select(User.id).order_by(User.id.desc())) or 0) + 1
        start = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)
        batch = 5000
        for offset in range(0, attempts, batch):
            n_rows = min(batch, attempts - offset)
            users, rows, answers = [], [], []
            for i in range(offset, offset + n_rows):
                name = '=HYPERLINK("x")' if i % 997 == 0 else f"Nguyễn Văn Thử {i}"
                users.append({"id": first_user + i, "login": f"07{i:08d}", "phone": f"07{i:08d}", "role": "resident",
                              "full_name": name, "unit_id": units[i % len(units)], "password_hash":
                              password_hash.password_hash, "is_simulated": True, "publish_name": False,
                              "is_locked": False, "must_change_password": False, "created_at": start})
            db.session.execute(insert(User), users)
            first_attempt = (db.session.scalar(select(Attempt.id).order_by(Attempt.id.desc())) or 0) + 1
            for k, user in enumerate(users):
                began = start + timedelta(seconds=37 * (offset + k))
                score = float(rng.randint(0, questions))
                rows.append({"id": first_attempt + k, "round_id": round_.id, "user_id": user["id"],
                             "unit_id": user["unit_id"], "group": "residents", "number": 1, "state": "finished",
                             "started_at": began, "deadline": began + timedelta(minutes=20),
                             "finished_at": began + timedelta(minutes=9), "auto_finished": False, "score": score,
                             "max_score": float(questions), "duration_seconds": 540.0, "prediction": 12})
                for position in range(1, questions + 1):
                    answers.append({"attempt_id": first_attempt + k, "position": position, "kind": "single",
                                    "text": "Câu hỏi thử", "options": ["A", "B", "C", "D"], "option_count": 4,
                                    "correct": [1], "points": 1.0, "selected": [rng.randint(0, 3)], "seq": 1,
                                    "awarded": 1.0 if position <= score else 0.0})
            db.session.execute(insert(Attempt), rows)
            db.session.execute(insert(AttemptQuestion), answers)
            db.session.commit()
        if db.engine.dialect.name == "postgresql":  # the ids above were given: the sequences move past them
            for table in ("users", "attempts"):
                db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                        f"(SELECT max(id) FROM {table}))"))
            db.session.commit()
        round_id = round_.id
        db.session.remove()
        db.engine.dispose()
    return round_id


def child(mode: str, round_id: int, out: str) -> None:
    """Run one measured job in this process and print its figures as JSON."""
    from contest import create_app
    from contest.contests.models import Round
    from contest.exports.registry import KINDS, ExportParams
    from contest.exports.service import build_tables, run_export
    from contest.extensions import db

    app = create_app()
    app_mb = memory_mb("VmRSS")  # the app with its libraries (pandas...), before any export work
    with app.app_context():
        params = ExportParams(round=db.session.get(Round, round_id))
        if mode == "export":
            began = time.perf_counter()
            with open(out, "wb") as handle:
                result = run_export("attempts", params, None, "xlsx", handle)
            rows = result.rows
        else:
            import xlsxwriter

            params.unit_ids, params.personal = None, True
            table = build_tables(KINDS["attempts"], params)[0]
            data = [list(r) for r in table.rows]  # in memory before the clock starts: only the writing is timed
            began = time.perf_counter()
            workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "remove_timezone": True})
            sheet = workbook.add_worksheet()
            sheet.write_row(0, 0, table.headers)
            for r, row in enumerate(data, start=1):
                sheet.write_row(r, 0, row)
            workbook.close()
            rows = len(data)
        seconds = time.perf_counter() - began
    print("BENCH_CHILD " + json.dumps({"seconds": seconds, "peak_mb": memory_mb("VmHWM"), "rows": rows,
                                       "app_mb": app_mb}))


def memory_mb(field: str) -> float:
    """VmHWM (peak) or VmRSS of this process in MB. Unlike ru_maxrss, VmHWM starts afresh at exec, so the
    parent's size before the fork does not leak into the child's figure."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024


def run_child(mode: str, round_id: int, env: dict, out: Path, wait: bool = True):
    command = [sys.executable, "-m", "bench.exports", "--child", mode, "--round", str(round_id), "--out", str(out)]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, text=True)
    return finish_child(process) if wait else process


def finish_child(process) -> dict:
    stdout, _ = process.communicate()
    for line in stdout.splitlines():
        if line.startswith("BENCH_CHILD "):
            return json.loads(line[len("BENCH_CHILD "):])
    raise RuntimeError(f"the child printed no figures:\n{stdout}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000, help="attempts to export (default 20,000)")
    parser.add_argument("--full", action="store_true", help="the issue's size: 100,000 attempts")
    parser.add_argument("--questions", type=int, default=QUESTIONS)
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "8")))
    parser.add_argument("--child", choices=("export", "bare"))
    parser.add_argument("--round", type=int)
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.round, args.out)
        return
    rows = 100_000 if args.full else args.rows

    wrk_path = ensure_wrk()
    work = workspace("hoithi-bench-exports-")
    env = production_env(work, scenario_database("bench_exports", work))
    print(f"==> Preparing 100 autosave takers and {rows:,} finished attempts × {args.questions} answers")
    takers = prepare(env, 100)
    takers_file = work / "takers.txt"
    takers_file.write_text("\n".join(takers) + "\n")
    began = time.perf_counter()
    round_id = seed(env, rows, args.questions)
    print(f"    seeded in {time.perf_counter() - began:.1f} s")

    print("==> Export alone, then the bare XlsxWriter baseline (each in its own process)")
    export = run_child("export", round_id, env, work / "export.xlsx")
    bare = run_child("bare", round_id, env, work / "bare.xlsx")

    with gunicorn(env) as base:
        load = {"BENCH_TAKERS": str(takers_file), "BENCH_DELAY_MS": "20"}
        warm = wrk(wrk_path, base, HERE / "autosave.lua", 2, 8, load)
        quiet = wrk(wrk_path, base, HERE / "autosave.lua", args.seconds, 8,
                    {**load, "BENCH_COUNTER_BASE": str(warm["generated"])})
        window = max(2, min(args.seconds, int(export["seconds"] * 0.8)))
        running = run_child("export", round_id, env, work / "export-2.xlsx", wait=False)
        time.sleep(0.3)  # let the export start reading before the load starts
        busy = wrk(wrk_path, base, HERE / "autosave.lua", window, 8,
                   {**load, "BENCH_COUNTER_BASE": str(quiet["generated"])})
        during = finish_child(running)

    results = {
        "export_seconds": {"value": round(export["seconds"], 2), "baseline": round(bare["seconds"], 2),
                           "ratio": round(export["seconds"] / bare["seconds"], 3), "target_ratio": 1.3,
                           "rows": export["rows"], "target_seconds_at_100k": 15},
        "export_peak_mb": {"value": round(export["peak_mb"], 1), "baseline": round(bare["peak_mb"], 1),
                           "target": 300, "app_alone_mb": round(export["app_mb"], 1)},
        "autosave_p95_ms": {"value": busy["p95_us"] / 1000, "baseline": quiet["p95_us"] / 1000,
                            "ratio": round(busy["p95_us"] / quiet["p95_us"], 3) if quiet["p95_us"] else None,
                            "p99_ms": busy["p99_us"] / 1000, "rps": round(busy["rps"], 1),
                            "baseline_rps": round(quiet["rps"], 1), "errors": busy["errors"] + quiet["errors"],
                            "export_seconds_under_load": round(during["seconds"], 2)},
    }
    (HERE / "results-exports.json").write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(f"{'figure':18} {'value':>10} {'baseline':>10} {'ratio':>7}  note")
    e, m, a = results["export_seconds"], results["export_peak_mb"], results["autosave_p95_ms"]
    print(f"{'export seconds':18} {e['value']:>10} {e['baseline']:>10} {e['ratio']:>7}  {e['rows']:,} rows; "
          "baseline: bare XlsxWriter, rows already in memory (target ≤ 1.3×)")
    print(f"{'export peak MB':18} {m['value']:>10} {m['baseline']:>10} {'':>7}  peak RSS of the child (target < 300 MB); "
          f"the app alone: {m['app_alone_mb']} MB")
    print(f"{'autosave p95 ms':18} {a['value']:>10} {a['baseline']:>10} {str(a['ratio']):>7}  during the export "
          f"vs alone, {a['rps']} vs {a['baseline_rps']} req/s, {a['errors']} errors")
    print(f"Wrote {HERE / 'results-exports.json'}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
