"""The production app plus two baseline endpoints, served by gunicorn during the benchmark only.

``GET /bench/hello`` touches nothing; ``POST /bench/insert`` inserts one row into the same database through
the same session machinery. They are the baselines that the real autosave path is compared against.
"""

from __future__ import annotations

from flask import Blueprint
from sqlalchemy import text

from contest import create_app
from contest.extensions import csrf, db, limiter

bp = Blueprint("bench", __name__, url_prefix="/bench")


@bp.route("/hello")
@limiter.exempt
def hello():
    """A bare endpoint: no session, no database."""
    return {"ok": True}


@bp.route("/insert", methods=["POST"])
@limiter.exempt
@csrf.exempt
def insert():
    """A bare write: one row into the same database, one commit."""
    db.session.execute(text("INSERT INTO bench_rows (note) VALUES ('x')"))
    db.session.commit()
    return {"ok": True}


app = create_app()
app.register_blueprint(bp)
