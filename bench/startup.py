"""`python -m bench.startup`: how soon a (re)started app server answers.

Starts gunicorn with the production settings (contest/gunicorn_conf.py, given by its path so that the baseline
does not import the ``contest`` package: the app imported once in the master, then the workers forked) and times the launch until ``/healthz`` answers 200, several times. The baseline of the
same run is gunicorn with the same settings serving a bare WSGI function (no Flask, no app), so the figure is
what the app's own import and set-up add. Target (issue 14): the app answers within ~2 s of a restart.

Results are merged into bench/results.json (key ``startup``; other keys kept).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time
import urllib.request

from bench.serve import ROOT, VENV_BIN, free_port, merge_results, production_env, scenario_database, workspace


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def time_launch(target: str, path: str, env: dict, timeout: float = 60.0) -> float:
    """Seconds from launching gunicorn serving ``target`` until ``path`` answers 200."""
    port = free_port()
    url = f"http://127.0.0.1:{port}{path}"
    started = time.monotonic()
    server = subprocess.Popen([str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "contest/gunicorn_conf.py"), target], cwd=ROOT,
                              env={**os.environ, **env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not _answers(url):
            if time.monotonic() - started > timeout or server.poll() is not None:
                raise RuntimeError(f"gunicorn ({target}) did not answer on {url}")
            time.sleep(0.02)
        return time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = workspace("hoithi-bench-startup-")
    env = production_env(work, scenario_database("bench_startup", work))
    app_times, bare_times = [], []
    for _ in range(args.runs):
        bare_times.append(time_launch("bench.bare_wsgi:app", "/", env))
        app_times.append(time_launch("wsgi:app", "/healthz", env))
    app_s, bare_s = statistics.median(app_times), statistics.median(bare_times)
    result = {"value_s": round(app_s, 3), "baseline_s": round(bare_s, 3), "max_s": round(max(app_times), 3),
              "runs": args.runs, "target_s": 2.0}
    path = merge_results({"startup": result})
    print(f"start-up until /healthz answers: median {app_s:.2f} s (max {max(app_times):.2f} s) beside a bare WSGI "
          f"function under the same gunicorn {bare_s:.2f} s (target ≈ 2 s)")
    print(f"Wrote {path} (startup)")


if __name__ == "__main__":
    main()
