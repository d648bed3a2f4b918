"""`python -m bench.console_imports`: how long the console's import requests hold a worker at the caps.

Through the real console routes (Flask test client, an organiser signed in), on a fresh SQLite file (or
--database-url, a scratch PostgreSQL database, which is wiped):
  - a question bank of N questions (default 10,000 and IMPORT_MAX_ROWS): upload, preview, confirm. A file over
    BANK_CHECK_JOB_BYTES is checked by a background job (``bank_check``): the upload request starts it, the
    preview request renders the job's stored report; "preview (in request)" is the same file's preview with the
    threshold raised, i.e. parsed in the request as before the check job (--no-before skips it);
  - a units file of IMPORT_MAX_ROWS rows: the one import request;
  - an officials' roster of ROSTER_MAX_ROWS rows: preview, confirm (one-time codes hashed for everyone).

Each figure is the wall time of one request. With --jobs-run inline (the default) a request that started a
background job includes the job's work; with --jobs-run thread it is the request alone (the job is waited for
before the next request).

--sizes prints the bytes a question takes in each bank format (the measurement BANK_CHECK_JOB_BYTES was chosen
from) and exits.
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


def sample_questions(count: int):
    """``count`` single-answer questions as ward staff write them (bench/bank_import.py's wording)."""
    from bench.bank_import import TOPICS
    from contest.banks.parsing import build_question

    questions = []
    for n in range(count):
        question, problems = build_question(
            code=f"B-{n:05d}", topic=TOPICS[n % len(TOPICS)], kind="single",
            text=f"Câu hỏi số {n}: theo Nghị quyết số 76/NQ-CP, nội dung nào sau đây thuộc cải cách hành chính "
                 f"nhà nước giai đoạn 2021-2030 tại phường (tình huống {n})?",
            options=[f"Phương án {letter} của câu {n}: theo quy định tại văn bản số {n % 97}/NĐ-CP"
                     for letter in "ABCD"], answer="ABCD"[n % 4], difficulty="dễ", explanation=None, source=None)
        assert question is not None, problems
        questions.append(question)
    return questions


def sample_banks(count: int) -> dict[str, tuple[bytes, str]]:
    """The same ``count`` questions in each format the console reads: {format: (bytes, file name)}. Excel is
    bench/bank_import.py's workbook (every kind, with explanation and source), Word numbered paragraphs with an
    "Đáp án" line."""
    import csv

    from docx import Document

    from bench.bank_import import generated_bank
    from contest.banks.exporting import TEMPLATE_HEADERS, bank_aiken, bank_gift, bank_yaml, template_row

    questions = sample_questions(count)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([title for _, title in TEMPLATE_HEADERS])
    for position, question in enumerate(questions, start=1):
        row = template_row(position, question)
        writer.writerow([row.get(key, "") for key, _ in TEMPLATE_HEADERS])
    document = Document()
    for position, question in enumerate(questions, start=1):
        document.add_paragraph(f"Câu {position}: {question.text}")
        for letter, option in zip("ABCD", question.options, strict=False):
            document.add_paragraph(f"{letter}. {option}")
        document.add_paragraph(f"Đáp án: {'ABCD'[question.correct[0]]}")
    word = io.BytesIO()
    document.save(word)
    return {"xlsx": (generated_bank(count), "bank.xlsx"), "docx": (word.getvalue(), "bank.docx"),
            "csv": (text.getvalue().encode("utf-8"), "bank.csv"), "gift": (bank_gift(questions).encode(), "bank.gift"),
            "aiken": (bank_aiken(questions)[0].encode(), "bank.txt"),
            "yaml": (bank_yaml(questions, name="bank").encode(), "bank.yaml")}


def print_sizes(threshold: int) -> None:
    """Bytes per question in each format at 500 and 2,000 questions, and the count each crosses ``threshold``
    at (the marginal bytes of a question, after the format's own overhead)."""
    small, large = sample_banks(500), sample_banks(2_000)
    print(f"Bytes a question takes in each bank format (BANK_CHECK_JOB_BYTES = {threshold:,})")
    for fmt, (data, _) in large.items():
        marginal = (len(data) - len(small[fmt][0])) / 1_500
        overhead = max(0.0, len(data) - 2_000 * marginal)
        crosses = max(0, (threshold - overhead) / marginal)
        print(f"  {fmt:<6} 2,000 questions {len(data):>10,} B ({len(data) / 2_000:5.0f} B a question; "
              f"{marginal:4.0f} B each after {overhead / 1024:4.0f} KB of the format's own): over the threshold "
              f"from ~{crosses:,.0f} questions")


def bank_import_timings(app, client, count: int, before: bool = True) -> None:
    """Upload, preview and confirm a generated bank of ``count`` questions; print each request's time."""
    from sqlalchemy import func, select

    from bench.bank_import import generated_bank
    from contest.banks.models import Question
    from contest.extensions import db

    data = generated_bank(count)

    def uploaded(name: str) -> tuple[float, str]:
        upload_s, response = timed(lambda: client.post(
            "/admin/banks/upload", data={"file": (io.BytesIO(data), "bank.xlsx"), "bank_name": name},
            content_type="multipart/form-data"))
        join_jobs(app)  # JOBS_RUN=thread: the check job, after its request
        return upload_s, response.headers["Location"]

    in_request = ""
    if before:  # the preview parsing the file in its request, as before the check job
        threshold = app.config["BANK_CHECK_JOB_BYTES"]
        app.config["BANK_CHECK_JOB_BYTES"] = len(data) + 1
        preview_url = uploaded(f"b{count}-truoc")[1]
        before_s, page = timed(lambda: client.get(preview_url))
        assert page.status_code == 200, page.status_code
        client.post(preview_url + "/discard")
        app.config["BANK_CHECK_JOB_BYTES"] = threshold
        in_request = f"preview (in request) {before_s:6.2f} s, "
    upload_s, preview_url = uploaded(f"b{count}")
    preview_s, page = timed(lambda: client.get(preview_url))
    assert page.status_code == 200, page.status_code
    confirm_s, done = timed(lambda: client.post(preview_url + "/import"))
    join_jobs(app)  # JOBS_RUN=thread: the job, after its request
    with app.app_context():
        stored = db.session.scalar(select(func.count(Question.id)))
    print(f"  bank {count:>6,} questions ({len(data) / 1048576:.1f} MB): {in_request}upload {upload_s:6.2f} s, "
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
    parser.add_argument("--no-before", action="store_true", help="skip the bank preview parsed in the request")
    parser.add_argument("--sizes", action="store_true", help="print the bytes a question takes per format, exit")
    args = parser.parse_args(argv)
    if args.sizes:
        from contest.config import Defaults

        print_sizes(Defaults.BANK_CHECK_JOB_BYTES)
        return 0

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
            bank_import_timings(app, client, count, before=not args.no_before)

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
