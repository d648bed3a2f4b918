"""`make bench`: what each fixed part of the autosave request costs, before and after the hot path was made lean.

In one process, on the production app, each part is timed the old way (what the autosave did before) and the
way it runs now, beside two baselines of the same run: a bare GET and the whole autosave request, both through
the WSGI app (no sockets, so the figures are the Python cost a worker pays per request).

  csrf      Flask-WTF's check (body parsed as a form, a serializer per request) vs the autosave's own check
  session   Flask's cookie session with a serializer made per request vs once per app
  limiter   Flask-Limiter's per-request resolution vs skipped on the autosave endpoints (they have no limit)
  headers   the security headers added one by one (``setdefault``) vs in one pass
  version   the session's id as read before sessions could end vs with the version check that ends them
            (a per-process cache of each account's version, re-read every SESSION_CHECK_SECONDS)

Results: the console and ``bench/results.json`` (key ``autosave_fixed_costs``, microseconds per request).
"""

from __future__ import annotations

import io
import json
import os
import time

from bench.run import prepare
from bench.serve import HERE, database_label, production_env, scenario_database, workspace

REPEATS = 5


def best_us(fn, n: int) -> float:
    """The best of a few runs of ``n`` calls, in microseconds per call (the machine is shared)."""
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - start) / n * 1e6)
    return best


def main() -> None:
    work = workspace("hoithi-hotpath-")
    env = production_env(work, scenario_database("bench_hotpath", work))
    print(f"==> Autosave's fixed costs, in-process, on {database_label(env['DATABASE_URL'])}")
    attempt_id, cookie, token = prepare(env, 1)[0].split()

    from flask import session
    from flask.sessions import SecureCookieSessionInterface
    from werkzeug.test import EnvironBuilder

    from bench.app import app
    from contest.accounts.sessions import live_session_user_id
    from contest.extensions import csrf, limiter
    from contest.security import SECURITY_HEADERS, add_security_headers, check_json_csrf

    headers = {"Content-Type": "application/json", "X-CSRFToken": token, "Cookie": f"session={cookie}"}
    path = f"/api/attempts/{attempt_id}/answers"
    body = b'{"position": 1, "selected": [0], "seq": 1}'
    save_environ = EnvironBuilder(path=path, method="POST", data=body, headers=headers).get_environ()
    hello_environ = EnvironBuilder(path="/bench/hello").get_environ()
    seq = [1]

    def call(environ, payload=b""):
        environ = dict(environ, **{"wsgi.input": io.BytesIO(payload), "CONTENT_LENGTH": str(len(payload))})
        out = app.wsgi_app(environ, lambda status, headers, exc_info=None: None)
        b"".join(out)
        getattr(out, "close", lambda: None)()

    def save_request():
        seq[0] += 1
        call(save_environ, json.dumps({"position": 1 + seq[0] % 20, "selected": [seq[0] % 2],
                                       "seq": seq[0]}).encode())

    old_sessions = SecureCookieSessionInterface()
    with app.test_request_context(path, method="POST", data=body, headers=headers) as ctx:
        ctx.request.get_json()  # the view reads the body first in both cases
        # The limiter's own per-request check, as it ran before the autosave endpoints skipped it.
        limiter_hook = next(h.__wrapped__ for h in app.before_request_funcs[None]
                            if getattr(getattr(h, "__wrapped__", None), "__self__", None) is limiter)

        def old_headers():
            response = app.response_class("{}", mimetype="application/json")
            for name, value in SECURITY_HEADERS:
                response.headers.setdefault(name, value)

        def new_headers():
            add_security_headers(app.response_class("{}", mimetype="application/json"))

        def empty_response():
            app.response_class("{}", mimetype="application/json")

        def plain_user_id():
            return int(session["_user_id"].split(":", 1)[0])

        live_session_user_id()  # warm the cache, as every save after a taker's first

        n = int(os.environ.get("BENCH_HOTPATH_CALLS", "2000"))
        parts = {
            "csrf": (best_us(csrf.protect, n), best_us(check_json_csrf, n)),
            "session": (best_us(lambda: old_sessions.open_session(app, ctx.request), n),
                        best_us(lambda: app.session_interface.open_session(app, ctx.request), n)),
            "limiter": (best_us(limiter_hook, n), 0.0),
            "headers": (best_us(old_headers, n) - best_us(empty_response, n),
                        best_us(new_headers, n) - best_us(empty_response, n)),
        }
        version = (best_us(plain_user_id, n), best_us(live_session_user_id, n))
    whole = best_us(save_request, n // 2)
    bare = best_us(lambda: call(hello_environ), n)
    results = {name: {"before_us": round(before, 1), "after_us": round(after, 1)}
               for name, (before, after) in parts.items()}
    saved = sum(before - after for before, after in parts.values())
    results["version"] = {"before_us": round(version[0], 1), "after_us": round(version[1], 1)}
    summary = {"parts": results, "autosave_request_us": round(whole, 1), "bare_get_us": round(bare, 1),
               "saved_us": round(saved, 1), "saved_share_of_old_request": round(saved / (whole + saved), 3)}
    print(f"\n{'part':10} {'before µs':>10} {'after µs':>10}")
    for name, r in results.items():  # the version check is a cost added, not cut: it is not in "saved"
        print(f"{name:10} {r['before_us']:>10} {r['after_us']:>10}")
    print(f"\nwhole autosave request now {whole:.1f} µs, bare GET {bare:.1f} µs (in-process, same run); the parts "
          f"above save {saved:.1f} µs per save ({summary['saved_share_of_old_request']:.0%} of the request as "
          f"it was)")
    target = HERE / "results.json"
    data = json.loads(target.read_text()) if target.exists() else {}
    data["autosave_fixed_costs"] = summary
    target.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
