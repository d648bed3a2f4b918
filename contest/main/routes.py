"""Health check and the privacy notice."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import text

from contest.extensions import csrf, db, limiter

bp = Blueprint("main", __name__)


@bp.route("/healthz")
@limiter.exempt
@csrf.exempt
def healthz():
    """Liveness and database check for load balancers and monitoring."""
    db.session.execute(text("SELECT 1"))
    return {"ok": True}


@bp.route("/privacy")
def privacy():
    """How the platform handles personal data (Luật Bảo vệ dữ liệu cá nhân 2025)."""
    return render_template("main/privacy.html")
