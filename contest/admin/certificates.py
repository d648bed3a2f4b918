"""The organiser's prize certificates of a published round and the contest's signature block, inside the
console (``admin.certificates.*``), whose gate lets organisers only through."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from contest.accounts.models import User
from contest.admin import bp as admin_bp
from contest.admin.access import contest_or_404
from contest.certificates.forms import SignatureForm
from contest.certificates.routes import pdf_response
from contest.certificates.service import (
    SIGNATURE_FIELDS,
    CertificateError,
    prize_certificates,
    published_winners,
    render,
    save_signature,
    signature_of,
)
from contest.contests.models import GROUPS, Contest, Round
from contest.extensions import db
from contest.ranking.prizes import TIERS

# Nested in the console once, on import (admin.certificates.*).
console = Blueprint("certificates", __name__, url_prefix="/contests/<int:contest_id>")
admin_bp.register_blueprint(console)


def _round(contest_id: int, number: int) -> tuple[Contest, Round]:
    contest = contest_or_404(contest_id)
    round_ = next((r for r in contest.rounds if r.number == number), None)
    if round_ is None:
        abort(404)
    return contest, round_


@console.route("/rounds/<int:number>/certificates")
def round_page(contest_id: int, number: int):
    """The winners of a published round, each with their certificate, and the whole round in one PDF."""
    contest, round_ = _round(contest_id, number)
    publication, winners = published_winners(round_)
    ids = {w["user_id"] for w in winners}
    people = {u.id: u for u in db.session.query(User).filter(User.id.in_(ids))} if ids else {}
    return render_template("certificates/round.html", contest=contest, round=round_, publication=publication,
                           winners=winners, people=people, tiers=TIERS, groups=GROUPS,
                           signature=signature_of(contest))


@console.route("/rounds/<int:number>/certificates.pdf")
def round_pdf(contest_id: int, number: int):
    """All the prize certificates of a published round in one PDF, a page each, to print."""
    contest, round_ = _round(contest_id, number)
    try:
        certificates = prize_certificates(round_)
    except CertificateError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.certificates.round_page", contest_id=contest.id, number=number))
    if not certificates:
        flash("Danh sách đạt giải đã công bố không có ai: không có giấy chứng nhận để in.", "info")
        return redirect(url_for("admin.certificates.round_page", contest_id=contest.id, number=number))
    data = render(certificates, contest, f"Giấy chứng nhận đạt giải – {round_.title}")
    return pdf_response(data, f"giay-chung-nhan-dat-giai_{contest.slug}_dot-{round_.number}.pdf")


@console.route("/rounds/<int:number>/certificates/<int:user_id>.pdf")
def winner_pdf(contest_id: int, number: int, user_id: int):
    """One winner's prize certificate."""
    contest, round_ = _round(contest_id, number)
    try:
        certificates = prize_certificates(round_, user_id)
    except CertificateError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.certificates.round_page", contest_id=contest.id, number=number))
    data = render(certificates, contest, f"Giấy chứng nhận đạt giải – {round_.title}")
    return pdf_response(data, f"giay-chung-nhan-dat-giai_{contest.slug}_dot-{round_.number}_{user_id}.pdf")


@console.route("/certificate-signature", methods=["GET", "POST"])
def signature(contest_id: int):
    """Set who issues and who signs the contest's certificates."""
    contest = contest_or_404(contest_id)
    form = SignatureForm(obj=contest)
    if form.validate_on_submit():
        save_signature(contest, **{f: getattr(form, f).data for f in SIGNATURE_FIELDS})
        flash("Đã lưu khối chữ ký của giấy chứng nhận.", "success")
        return redirect(url_for("admin.contest", contest_id=contest.id))
    return render_template("certificates/signature.html", contest=contest, form=form), (422 if form.errors else 200)
