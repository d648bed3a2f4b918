"""`python -m bench.console_imports`: how long the console's import requests hold a worker at the caps.

Through the real console routes (Flask test client, an organiser signed in), on a fresh SQLite file (or
--database-url, a scratch PostgreSQL database, which is wiped):
  - a question bank of N questions (default 10,000 and IMPORT_MAX_ROWS): upload, preview, confirm;
  - a units file of IMPORT_MAX_ROWS rows: the one import request;
  - an officials' roster of ROSTER_MAX_ROWS rows: preview, confirm (one-time codes hashed for everyone).

Each figure is the wall time of one request. With --jobs-run inline (the default) a confirm that became a
background job includes the job's work; with --jobs-run thread it is the request alone.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
import tempfile
import time


def units_csv(count: int) -> bytes:
    lines = ["Mã đơn vị,Tên đơn vị,Loại,Mã đơn vị cấp trên,Số người", "P,Phường Tây Mỗ,Phường,,90000"]
    lines += [f"TDP-{n:05d},Tổ dân phố số {n},Tổ dân phố,P,{100 + n % 900}" for n in range(count - 1)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def roster_csv(count: int) -> bytes:
    lines = ["STT;Họ và tên;Đơn vị;Chức vụ;Số điện thoại;Email;Ngày sinh"]
    lines += [f"{n + 1};Nguyễn Văn Cán Bộ {n};TDP-{n % 50:05d};Chuyên viên;09{n:08d};;08/03/1980"
              for n in range(count)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def bank_import_timings(app, client, count: int) -> None:
    """Upload, preview and confirm a generated bank of ``count`` questions; print each request's time."""
    from sqlalchemy import func, select

    from bench.bank_import import generated_bank
    from contest.banks.models import Question
    from contest.extensions import db

    data = generated_bank(count)
    upload_s, response = timed(lambda: client.post(
        "/admin/banks/upload", data={"file": (io.BytesIO(data), "bank.xlsx"), "bank_name": f"b{count}"},
        content_type="multipart/form-data"))
    preview_url = response.headers["Location"]
    preview_s, page = timed(lambda: client.get(preview_url))
    assert page.status_code == 200, page.status_code
    confirm_s, done = timed(lambda: client.post(preview_url + "/import"))
    join_jobs(app)  # JOBS_RUN=thread: the job, after its request
    with app.app_context():
        stored = db.session.scalar(select(func.count(Question.id)))
    print(f"  bank {count:>6,} questions ({len(data) / 1048576:.1f} MB): upload {upload_s:6.2f} s, "
          f"preview {preview_s:6.2f} s, confirm {confirm_s:6.2f} s -> {done.headers.get('Location')} "
          f"({stored:,} questions stored)")


def join_jobs(app) -> None:
    """Wait for the jobs running in threads of ``app`` (--jobs-run thread)."""
    for thread in list(app.extensions.get("hoithi_job_threads", {}).values()):
        thread.join()


def timed(action):
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, nargs="*", help="bank sizes (default: 10,000 and the cap)")
    parser.add_argument("--database-url", help="a scratch database to use instead of a temporary SQLite file")
    parser.add_argument("--jobs-run", default="inline", choices=["inline", "thread"],
                        help="inline: a job runs inside the confirm (request + job); thread: the request alone")
    parser.add_argument("--skip", nargs="*", default=[], choices=["bank", "units", "roster"])
    args = parser.parse_args(argv)

    scratch = tempfile.mkdtemp(prefix="hoithi-bench-console-")
    os.environ["HOITHI_INSTANCE_PATH"] = scratch
    from flask_migrate import upgrade
    from sqlalchemy import func, select, text

    from contest import create_app
    from contest.accounts.models import User
    from contest.extensions import db
    from contest.units.models import Unit

    url = args.database_url or f"sqlite:///{scratch}/bench.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "HOITHI_ENV": "development",
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "JOBS_RUN": args.jobs_run,
                      "BANK_UPLOAD_MAX_BYTES": 64 * 1024 * 1024})
    cap, roster_cap = int(app.config["IMPORT_MAX_ROWS"]), int(app.config["ROSTER_MAX_ROWS"])
    sizes = args.questions or [10_000, cap]
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        user = User(login="btc", role="organiser", full_name="Ban tổ chức")
        user.set_password("mat-khau-an-toan")
        db.session.add(user)
        db.session.commit()
    client = app.test_client()
    client.post("/login", data={"login": "btc", "password": "mat-khau-an-toan"})
    engine = url.split(":")[0]
    print(f"Console import requests on {engine} (one request each, wall time)")

    if "bank" not in args.skip:
        for count in sizes:
            bank_import_timings(app, client, count)

    if "units" not in args.skip:
        data = units_csv(cap)
        units_s, response = timed(lambda: client.post(
            "/admin/units/import", data={"file": (io.BytesIO(data), "don-vi.csv")}, content_type="multipart/form-data"))
        join_jobs(app)
        with app.app_context():
            stored = db.session.scalar(select(func.count(Unit.id)))
        print(f"  units  {cap:>6,} rows: import {units_s:6.2f} s (HTTP {response.status_code}, {stored:,} units)")
        # Re-importing the same file: every unit updated.
        again_s, response = timed(lambda: client.post(
            "/admin/units/import", data={"file": (io.BytesIO(data), "don-vi.csv")}, content_type="multipart/form-data"))
        join_jobs(app)
        print(f"  units  {cap:>6,} rows again (all existing): import {again_s:6.2f} s (HTTP {response.status_code})")

    if "roster" not in args.skip:
        if "units" in args.skip:
            client.post("/admin/units/import", data={"file": (io.BytesIO(units_csv(60)), "don-vi.csv")},
                        content_type="multipart/form-data")
        data = roster_csv(roster_cap)
        preview_s, page = timed(lambda: client.post(
            "/admin/roster/preview", data={"file": (io.BytesIO(data), "can-bo.csv")},
            content_type="multipart/form-data"))
        fields = dict(re.findall(r'name="(payload|filename|people)" type="hidden" value="([^"]*)"',
                                 page.get_data(as_text=True)))
        confirm_s, done = timed(lambda: client.post("/admin/roster/import", data=fields))
        join_jobs(app)
        with app.app_context():
            stored = db.session.scalar(select(func.count(User.id)).where(User.role == "official"))
        print(f"  roster {roster_cap:>6,} rows: preview {preview_s:6.2f} s (HTTP {page.status_code}), "
              f"confirm {confirm_s:6.2f} s (HTTP {done.status_code}, {stored:,} officials)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
