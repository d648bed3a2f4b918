"""`python -m bench.takers`: concurrent takers behind nginx, as a ward's contest evening looks to one node.

Each taker holds a keep-alive connection to nginx and saves one answer every ~10 s (each wait drawn between 5
and 15 s, the first one too, so that saves spread out as real takers' do). The number of takers rises in steps
(``--steps``); a step is *held* when its p99 is under 500 ms with no error (no 5xx, no time-out, no refused
connection) and no acknowledged save lost (every acknowledged save is found in the database afterwards). The
figure is the largest step held.

Worker types are compared in the same run (``--worker-classes``: gunicorn's ``sync`` and ``gthread``), each
behind the same nginx set-up as ``deploy/nginx`` (upstream keep-alive, the shipped site snippet). The baseline
of the same run is the bare insert through the same nginx (``POST /bench/insert``).

Results are merged into bench/results.json (key ``concurrent_takers``; other keys kept).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import time
from pathlib import Path

from bench.run import prepare, saved_total
from bench.serve import (
    HERE,
    ROOT,
    database_label,
    ensure_wrk,
    free_port,
    gunicorn,
    merge_results,
    production_env,
    scenario_database,
    wait_for,
    workspace,
    wrk,
)

PERIOD_MS = 10_000
P99_TARGET_MS = 500


def start_nginx(folder: Path, port: int, upstream_port: int) -> subprocess.Popen:
    """nginx with the shipped site snippet, in front of one app server, sized for tens of thousands of sockets."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    folder.mkdir(parents=True, exist_ok=True)
    snippet = (ROOT / "deploy/nginx/hoithi-app.conf").read_text().replace("/srv/hoithi", str(ROOT))
    (folder / "hoithi-app.conf").write_text(snippet)
    (folder / "nginx.conf").write_text(f"""
pid {folder}/nginx.pid;
error_log {folder}/error.log;
worker_rlimit_nofile 65536;
events {{ worker_connections 30000; multi_accept on; }}
http {{
    access_log off;
    keepalive_timeout 65s;
    keepalive_requests 100000;
    client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi; uwsgi_temp_path {folder}/uwsgi; scgi_temp_path {folder}/scgi;
    types {{ text/css css; application/javascript js; }}
    upstream hoithi_app {{
        server 127.0.0.1:{upstream_port} max_fails=1 fail_timeout=10s;
        keepalive 64;
        keepalive_timeout 4s;
    }}
    server {{
        listen 127.0.0.1:{port} backlog=8192;
        include {folder}/hoithi-app.conf;
    }}
}}
""")
    process = subprocess.Popen([binary, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g",
                                "daemon off; master_process off;"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    wait_for(f"http://127.0.0.1:{port}/bench/hello")
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", default=os.environ.get("BENCH_TAKER_STEPS", "2500,5000,7500,10000"),
                        help="numbers of takers, comma-separated (default 2500,5000,7500,10000)")
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_TAKER_SECONDS", "40")),
                        help="length of each step (default 40; the first ~15 s are the takers arriving)")
    parser.add_argument("--worker-classes", default=os.environ.get("BENCH_WORKER_CLASSES", "sync,gthread"))
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker (default 4)")
    args = parser.parse_args()
    steps = sorted(int(n) for n in args.steps.split(","))

    wrk_path = ensure_wrk()
    work = workspace("hoithi-bench-takers-")
    env = {**production_env(work, scenario_database("bench_takers", work)), "PROXY_FIX_HOPS": "1"}
    print(f"==> Preparing {steps[-1]} takers with real attempts on {database_label(env['DATABASE_URL'])}")
    started = time.monotonic()
    lines = prepare(env, steps[-1])
    print(f"    prepared in {time.monotonic() - started:.0f} s")
    takers_file = work / "takers.txt"
    takers_file.write_text("\n".join(lines) + "\n")

    by_class: dict[str, dict] = {}
    counter = 0
    acked_total = 0
    for worker_class in args.worker_classes.split(","):
        options = ("-k", worker_class, "--backlog", "4096")
        if worker_class == "gthread":
            options += ("--threads", str(args.threads))
        nginx_port = free_port()
        with gunicorn(env, options=options) as app_base:
            proxy = start_nginx(work / f"nginx-{worker_class}", nginx_port, int(app_base.rsplit(":", 1)[1]))
            base = f"http://127.0.0.1:{nginx_port}"
            print(f"==> {worker_class} workers behind nginx on {base}")
            try:
                wrk(wrk_path, base, HERE / "baseline.lua", 5, 16, {"BENCH_PATH": "/bench/hello"})  # warm-up
                insert = wrk(wrk_path, base, HERE / "baseline.lua", 10, 16,
                             {"BENCH_METHOD": "POST", "BENCH_PATH": "/bench/insert"})
                rows = []
                for takers in steps:
                    data = wrk(wrk_path, base, HERE / "autosave.lua", args.seconds, takers,
                               {"BENCH_TAKERS": str(takers_file), "BENCH_DELAY_MS": str(PERIOD_MS),
                                "BENCH_JITTER": "1", "BENCH_COUNTER_BASE": str(counter)})
                    counter = max(counter, data["generated"])
                    acked_total += data["acked"]
                    row = {"takers": takers, "saves_per_s": round(data["rps"], 1), "p50_ms": data["p50_us"] / 1000,
                           "p95_ms": data["p95_us"] / 1000, "p99_ms": data["p99_us"] / 1000,
                           "errors": data["errors"], "acked": data["acked"]}
                    rows.append(row)
                    print(f"    {takers:>6} takers: {row['saves_per_s']:>7} saves/s  p99 {row['p99_ms']:>8} ms  "
                          f"errors {row['errors']}")
            finally:
                stop(proxy)
        by_class[worker_class] = {"bare_insert_rps": round(insert["rps"], 1), "steps": rows}

    applied, _ = saved_total(env)
    lost = max(0, acked_total - applied)
    best_class, best = None, None
    for worker_class, result in by_class.items():
        held = [r for r in result["steps"] if r["errors"] == 0 and r["p99_ms"] < P99_TARGET_MS and lost == 0]
        result["held"] = held[-1]["takers"] if held else 0
        if best is None or result["held"] > best["held"]:
            best_class, best = worker_class, result
    top = next((r for r in best["steps"] if r["takers"] == best["held"]), best["steps"][0])
    summary = {"value": best["held"], "unit": "takers held (one save per ~10 s each)", "worker_class": best_class,
               "p99_ms": top["p99_ms"], "errors": top["errors"], "lost": lost,
               "acknowledged": acked_total, "applied": applied,
               "baseline_insert_rps": best["bare_insert_rps"], "by_worker_class": by_class}
    path = merge_results({"concurrent_takers": summary})

    print()
    print(f"{'worker class':14} {'bare insert/s':>14} {'held':>7}   steps (takers: p99 ms, errors)")
    for worker_class, result in by_class.items():
        steps_text = ", ".join(f"{r['takers']}: {r['p99_ms']:.0f}/{r['errors']}" for r in result["steps"])
        print(f"{worker_class:14} {result['bare_insert_rps']:>14} {result['held']:>7}   {steps_text}")
    print(f"\nlargest N held: {best['held']} with {best_class} workers (target ≥ 10000, p99 < {P99_TARGET_MS} ms, "
          f"0 errors, 0 lost); acknowledged {acked_total}, applied {applied}, lost {lost}")
    print(f"Wrote {path} (concurrent_takers)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
