"""The round's winners as one PDF: how long the organiser waits for N prize certificates.

`python -m bench.certificates [--winners 500]` migrates a throwaway SQLite database, publishes a round with N
winners (a publication row as publish_round stores it), signs an organiser in and times the real download
(`/admin/contests/<id>/rounds/1/certificates.pdf`) through the app, three times; then the pure drawing alone.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import UTC, date, datetime, timedelta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--winners", type=int, default=500)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="hoithi-bench-certificates-")
    os.environ["HOITHI_INSTANCE_PATH"] = folder

    from flask_migrate import upgrade

    from contest import create_app
    from contest.accounts.models import User
    from contest.certificates.documents import Certificate, certificates_pdf
    from contest.certificates.service import font_dir, signature_of
    from contest.contests.models import Contest, Round
    from contest.extensions import db
    from contest.ranking.models import ResultPublication

    app = create_app({"TESTING": True, "HOITHI_ENV": "testing", "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3"})
    tiers = ("first", "second", "third", "consolation")
    with app.app_context():
        upgrade()
        opens = datetime(2026, 11, 1, tzinfo=UTC)
        contest = Contest(slug="thi", title="Cuộc thi tìm hiểu về cải cách hành chính năm 2026", kind="contest",
                          audience="residents", is_published=True, certificate_issuer="Ủy ban nhân dân phường Tây Mỗ",
                          certificate_place="Tây Mỗ", certificate_signer_title="TM. Ban Tổ chức\nTrưởng ban",
                          certificate_signer_name="Phạm Quốc Khánh")
        round_ = Round(contest=contest, number=1, title="Đợt 1", opens_at=opens, closes_at=opens + timedelta(days=7))
        organiser = User(login="btc", full_name="Ban Tổ chức", role="organiser")
        organiser.set_password("mat-khau-bench")
        people = [User(login=f"09{i:08d}", full_name=f"Nguyễn Thị Hằng {i}", role="resident", password_hash="!")
                  for i in range(args.winners)]
        db.session.add_all([contest, organiser, *people])
        db.session.flush()
        winners = [{"group": "residents", "tier": tiers[min(i // max(args.winners // 4, 1), 3)], "rank": i + 1,
                    "user_id": p.id, "attempt_id": i + 1, "unit_id": None, "unit_name": f"Tổ dân phố số {i % 40}",
                    "score": 20, "max_score": 20, "duration_seconds": 300} for i, p in enumerate(people)]
        db.session.add(ResultPublication(contest_id=contest.id, round_id=round_.id, winners=winners))
        db.session.commit()
        contest_id = contest.id

    client = app.test_client()
    client.post("/login", data={"login": "btc", "password": "mat-khau-bench"})
    for _ in range(3):
        started = time.perf_counter()
        response = client.get(f"/admin/contests/{contest_id}/rounds/1/certificates.pdf")
        elapsed = time.perf_counter() - started
        assert response.status_code == 200 and response.mimetype == "application/pdf", response.status_code
        print(f"download of {args.winners} certificates: {elapsed:.2f} s, {len(response.data) / 1024:.0f} KiB")
    with app.app_context():
        contest = db.session.get(Contest, contest_id)
        certificates = [Certificate(f"Nguyễn Thị Hằng {i}", "Tổ dân phố số 7", contest.title, "Đợt 1",
                                    date(2026, 11, 29), award="Giải Nhất") for i in range(args.winners)]
        started = time.perf_counter()
        certificates_pdf(certificates, signature_of(contest), font_dir())
        print(f"drawing alone: {time.perf_counter() - started:.2f} s; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
