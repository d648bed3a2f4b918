"""Certificate downloads: the resident's own participation certificate, and the organiser's prize
certificates' PDF response (the organiser's pages are contest/admin/certificates.py, in the console)."""

from __future__ import annotations

import io

from flask import Blueprint, abort, send_file
from flask_login import current_user, login_required

from contest.attempts.expiry import get_own_attempt
from contest.attempts.terms import AttemptError
from contest.certificates.service import (
    counts_for_certificate,
    participation_certificate,
    render,
)

bp = Blueprint("certificates", __name__)


@bp.app_context_processor
def _certificate_helpers():
    """The result page offers the participation certificate only where it can be downloaded."""
    return {"certificate_available": counts_for_certificate}


def pdf_response(data: bytes, filename: str):
    """A PDF to download, never cached (a certificate changes with a correction)."""
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=filename,
                     max_age=0)


@bp.route("/attempts/<int:attempt_id>/certificate.pdf")
@login_required
def participation(attempt_id: int):
    """The taker's participation certificate of a finished, counting attempt (404 for anyone else's)."""
    try:
        attempt = get_own_attempt(attempt_id, int(current_user.id))
    except AttemptError:
        abort(404)
    if not counts_for_certificate(attempt):
        abort(404)
    contest = attempt.round.contest
    data = render([participation_certificate(attempt)], contest, "Giấy chứng nhận tham gia")
    return pdf_response(data, f"giay-chung-nhan-tham-gia_{contest.slug}_dot-{attempt.round.number}.pdf")
