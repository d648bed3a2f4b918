"""`python -m bench.bank_import`: importing a 10,000-question Excel bank against merely reading it.

In one run, on one generated workbook (the organiser template, as the export writes it):
  (a) read: parse and check the file, no database            -> the baseline
  (b) import into an empty bank: parse, check, bulk insert, commit   -> target under 2 × (a) and under 5 s
  (c) re-import the same file: every question unchanged
  (d) re-import with one question in ten edited and one in twenty dropped

The database is a fresh SQLite file; with BENCH_DATABASE_URL (PostgreSQL) a schema of its own, dropped and made
again (bench/serve.py's ``scenario_database``); or --database-url, e.g. a PostgreSQL scratch database, which is
wiped.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.serve import scenario_database

TOPICS = ["Chỉ đạo, điều hành CCHC", "Cải cách thể chế", "Cải cách thủ tục hành chính", "Cải cách tổ chức bộ máy",
          "Cải cách chế độ công vụ", "Cải cách tài chính công", "Xây dựng chính quyền điện tử, chính quyền số"]


def generated_bank(count: int, edited: bool = False, dropped: bool = False) -> bytes:
    """A workbook of ``count`` questions of every kind, realistic in length."""
    from contest.banks.exporting import write_bank_xlsx
    from contest.banks.parsing import build_question

    questions = []
    for n in range(count):
        if dropped and n % 20 == 19:
            continue
        kind = ("single", "single", "single", "multiple", "true_false")[n % 5]
        options = (["Đúng", "Sai"] if kind == "true_false" else
                   [f"Phương án {letter} của câu {n}: theo quy định tại văn bản số {n % 97}/NĐ-CP" for letter in "ABCD"])
        answer = {"single": "ABCD"[n % 4], "multiple": "A, C", "true_false": "A"}[kind]
        if edited and n % 10 == 0:
            answer = {"single": "ABCD"[(n + 1) % 4], "multiple": "B, D", "true_false": "B"}[kind]
        question, problems = build_question(
            code=f"B-{n:05d}", topic=TOPICS[n % len(TOPICS)], kind=kind,
            text=f"Câu hỏi số {n}: theo Nghị quyết số 76/NQ-CP, nội dung nào sau đây thuộc cải cách hành chính "
                 f"nhà nước giai đoạn 2021-2030 tại phường (tình huống {n})?",
            options=options, answer=answer, difficulty=("dễ", "trung bình", "khó")[n % 3],
            explanation=f"Giải thích cho câu {n}.", source="Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ")
        assert question is not None, problems
        questions.append(question)
    buffer = io.BytesIO()
    write_bank_xlsx(questions, buffer)
    return buffer.getvalue()


def timed(action, repeat: int = 1) -> tuple[float, object]:
    """The median wall time of ``action`` over ``repeat`` runs, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000, help="questions in the generated bank")
    parser.add_argument("--database-url", help="a scratch database to use instead of a temporary SQLite file")
    args = parser.parse_args(argv)

    scratch = tempfile.mkdtemp(prefix="hoithi-bench-bank-")
    os.environ["HOITHI_INSTANCE_PATH"] = scratch
    from flask_migrate import upgrade
    from sqlalchemy import func, select, text

    from contest import create_app
    from contest.banks.formats import parse_bank_file
    from contest.banks.importing import import_bank
    from contest.banks.models import Question
    from contest.extensions import db

    url = args.database_url or scenario_database("bench_bank_import", Path(scratch))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "HOITHI_ENV": "development"})
    print(f"==> Generating a {args.questions:,}-question workbook")
    data = generated_bank(args.questions)
    edited = generated_bank(args.questions, edited=True, dropped=True)
    print(f"    {len(data) / 1048576:.1f} MB")
    with app.app_context():
        if args.database_url and db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        read_time, parsed = timed(lambda: parse_bank_file(data, "bank.xlsx"), repeat=3)
        assert parsed.ok and len(parsed.questions) == args.questions, parsed.errors[:3]
        import_time, report = timed(lambda: import_bank(data, "bank.xlsx", "bench"))
        assert report.ok and report.added == args.questions, report.errors[:3]
        stored = db.session.scalar(select(func.count(Question.id)))
        same_time, same = timed(lambda: import_bank(data, "bank.xlsx", "bench"))
        assert same.unchanged == args.questions
        edit_time, changed = timed(lambda: import_bank(edited, "bank.xlsx", "bench"))
        assert changed.ok

    ratio = import_time / read_time
    rows = [
        ("(a) read + check the file (baseline, median of 3)", read_time, "1.00×", ""),
        ("(b) import into an empty bank", import_time, f"{ratio:.2f}×",
         "OK" if ratio < 2 and import_time < 5 else "MISSED (target < 2× and < 5 s)"),
        ("(c) re-import, all unchanged", same_time, f"{same_time / read_time:.2f}×", ""),
        (f"(d) re-import: {changed.updated} edited, {changed.retired} retired", edit_time,
         f"{edit_time / read_time:.2f}×", ""),
    ]
    engine = url.split(":")[0]
    print(f"\nBank import of {args.questions:,} questions on {engine} "
          f"({stored:,} rows stored)")
    for label, seconds, against, verdict in rows:
        print(f"  {label:<52} {seconds:7.3f} s  {against:>7}  {verdict}")
    return 0 if ratio < 2 and import_time < 5 else 1


if __name__ == "__main__":
    sys.exit(main())
