"""Health check, the favicon and the privacy notice."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, send_from_directory
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


@bp.route("/favicon.ico")
@limiter.exempt
def favicon():
    """The icon browsers ask for at the root even on pages that name theirs (and on files they download)."""
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=86400)
