"""Who gets which certificate, and the contest's signature block.

A prize certificate is made from a round's latest publication (the list as published, corrections
included), never from the standings of the moment; a participation certificate from a finished attempt that
counts. The PDF itself is drawn by the pure :mod:`contest.certificates.documents`.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from sqlalchemy import select

from contest.accounts.models import User
from contest.attempts.models import Attempt
from contest.audit.service import diff, record
from contest.certificates.documents import Certificate, Signature, certificates_pdf
from contest.clock import to_vn
from contest.contests.models import GROUPS, Contest, Round
from contest.extensions import db
from contest.ranking.models import ResultPublication
from contest.ranking.prizes import TIER_ORDER, TIERS
from contest.units.models import Unit

DEFAULT_ISSUER = "Ban Tổ chức cuộc thi"
DEFAULT_SIGNER_TITLE = "TM. Ban Tổ chức"
SIGNATURE_FIELDS = ("certificate_issuer", "certificate_place", "certificate_signer_title",
                    "certificate_signer_name")


class CertificateError(Exception):
    """A certificate that cannot be made (message in Vietnamese)."""


def font_dir() -> Path:
    """The shipped fonts (static/fonts: DejaVu Serif, with its licence)."""
    return Path(current_app.static_folder) / "fonts"


def signature_of(contest: Contest) -> Signature:
    """The contest's signature block, with neutral defaults for what the organiser has not set."""
    return Signature(issuer=contest.certificate_issuer or DEFAULT_ISSUER, place=contest.certificate_place or "",
                     signer_title=contest.certificate_signer_title or DEFAULT_SIGNER_TITLE,
                     signer_name=contest.certificate_signer_name or "")


def save_signature(contest: Contest, **values: str | None) -> None:
    """Set the contest's signature block (audited with what changed)."""
    before = {f: getattr(contest, f) for f in SIGNATURE_FIELDS}
    for field in SIGNATURE_FIELDS:
        setattr(contest, field, (values.get(field) or "").strip() or None)
    changes = diff(before, {f: getattr(contest, f) for f in SIGNATURE_FIELDS})
    if changes:
        record("contest.edit", target=contest, summary=f"{contest.title}: khối chữ ký của giấy chứng nhận",
               changes=changes)
    db.session.commit()


def latest_publication(round_: Round) -> ResultPublication | None:
    """The round's winners as last published (None before publication)."""
    return db.session.scalar(select(ResultPublication)
                             .where(ResultPublication.contest_id == round_.contest_id,
                                    ResultPublication.round_id == round_.id)
                             .order_by(ResultPublication.id.desc()).limit(1))


def published_winners(round_: Round) -> tuple[ResultPublication | None, list[dict]]:
    """The latest publication and its winners in print order: group, tier, rank."""
    publication = latest_publication(round_)
    if publication is None:
        return None, []
    groups = list(GROUPS)
    order = {tier: i for i, tier in enumerate(TIER_ORDER)}
    winners = sorted((w for w in publication.winners if w.get("tier")),
                     key=lambda w: (groups.index(w["group"]) if w["group"] in groups else 9,
                                    order.get(w["tier"], 9), w.get("rank") or 0))
    return publication, winners


def _round_text(round_: Round, group: str | None) -> str:
    """The round as printed, naming the audience group when the contest ranks two apart."""
    if group and round_.contest.audience == "both":
        return f"{round_.title} (bảng {GROUPS.get(group, group)})"
    return round_.title


def prize_certificates(round_: Round, user_id: int | None = None) -> list[Certificate]:
    """The prize certificates of a published round (of one winner when ``user_id`` is given)."""
    publication, winners = published_winners(round_)
    if publication is None:
        raise CertificateError("Đợt thi chưa công bố kết quả: chưa có giấy chứng nhận đạt giải.")
    if user_id is not None:
        winners = [w for w in winners if w["user_id"] == user_id]
        if not winners:
            raise CertificateError("Người này không có tên trong danh sách đạt giải đã công bố của đợt thi.")
    ids = {w["user_id"] for w in winners}
    names = dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all()) if ids else {}
    issued = to_vn(publication.published_at).date()
    return [Certificate(person=names.get(w["user_id"], ""), unit=w.get("unit_name") or "",
                        contest=round_.contest.title, round=_round_text(round_, w.get("group")), issued_on=issued,
                        award=TIERS.get(w["tier"], w["tier"])) for w in winners]


def counts_for_certificate(attempt: Attempt) -> bool:
    """A participation certificate is for a finished attempt of a contest that counts (not a disqualified
    one, not a survey)."""
    return (attempt.state == "finished" and attempt.counts and attempt.disqualified_at is None
            and attempt.round.contest.kind == "contest")


def _score_text(value: float | None) -> str:
    number = f"{value or 0:.2f}".rstrip("0").rstrip(".")
    return number.replace(".", ",")


def participation_certificate(attempt: Attempt) -> Certificate:
    """The participation certificate of a counting attempt, with its result."""
    if not counts_for_certificate(attempt):
        raise CertificateError("Chỉ cấp giấy chứng nhận cho bài thi đã nộp và được tính kết quả.")
    round_ = attempt.round
    user = db.session.get(User, attempt.user_id)
    unit = db.session.get(Unit, attempt.unit_id) if attempt.unit_id else None  # the unit they took part for
    return Certificate(person=user.full_name, unit=unit.name if unit else "", contest=round_.contest.title,
                       round=_round_text(round_, attempt.group), issued_on=to_vn(attempt.finished_at).date(),
                       result=f"Kết quả: {_score_text(attempt.score)}/{_score_text(attempt.max_score)} điểm")


def render(certificates: list[Certificate], contest: Contest, title: str) -> bytes:
    """The PDF of ``certificates`` signed with the contest's signature block."""
    return certificates_pdf(certificates, signature_of(contest), font_dir(), title=title)
