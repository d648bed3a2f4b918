"""Organiser forms for rankings: the contest's ranking settings, disqualifying, publishing."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from contest.contests.models import COLLECTIVE_FORMULAS, OVERALL_RULES
from contest.inputs import IntegerField
from contest.ranking.standings import TIE_BREAK_STEPS

REQUIRED = "Vui lòng điền mục này."
STEP_CHOICES = [(k, v[0].upper() + v[1:]) for k, v in TIE_BREAK_STEPS.items()]


class RankingSettingsForm(FlaskForm):
    """How a contest ranks people and units and gives prizes."""

    step1 = SelectField("Tiêu chí 1", choices=STEP_CHOICES)
    step2 = SelectField("Tiêu chí 2", choices=STEP_CHOICES)
    step3 = SelectField("Tiêu chí 3", choices=STEP_CHOICES)
    step4 = SelectField("Tiêu chí 4", choices=STEP_CHOICES)
    overall_rule = SelectField("Xếp hạng toàn cuộc thi", choices=list(OVERALL_RULES.items()))
    prize_highest_only = BooleanField("Mỗi người chỉ nhận một giải cao nhất trong cả cuộc thi (giải nhường lại cho "
                                      "người xếp sau)")
    collective_formula = SelectField("Cách xếp hạng tập thể", choices=list(COLLECTIVE_FORMULAS.items()))
    threshold = DecimalField("Ngưỡng tỷ lệ tham gia tối thiểu (%)", places=1,
                             validators=[InputRequired(REQUIRED), NumberRange(0, 100)])
    points_per_percent = DecimalField("Điểm tham gia cho mỗi 1% tham gia (cách cộng điểm)", places=2,
                                      validators=[InputRequired(REQUIRED), NumberRange(0, 1000)])
    points_first = DecimalField("Điểm cho mỗi giải Nhất cá nhân", places=2, validators=[InputRequired(REQUIRED),
                                                                                         NumberRange(0, 1000)])
    points_second = DecimalField("Điểm cho mỗi giải Nhì cá nhân", places=2, validators=[InputRequired(REQUIRED),
                                                                                        NumberRange(0, 1000)])
    points_third = DecimalField("Điểm cho mỗi giải Ba cá nhân", places=2, validators=[InputRequired(REQUIRED),
                                                                                      NumberRange(0, 1000)])
    points_consolation = DecimalField("Điểm cho mỗi giải Khuyến khích cá nhân", places=2,
                                      validators=[InputRequired(REQUIRED), NumberRange(0, 1000)])
    unit_prizes_first = IntegerField("Giải Nhất tập thể", validators=[InputRequired(REQUIRED), NumberRange(0, 100)])
    unit_prizes_second = IntegerField("Giải Nhì tập thể", validators=[InputRequired(REQUIRED), NumberRange(0, 100)])
    unit_prizes_third = IntegerField("Giải Ba tập thể", validators=[InputRequired(REQUIRED), NumberRange(0, 100)])
    unit_prizes_consolation = IntegerField("Giải Khuyến khích tập thể",
                                           validators=[InputRequired(REQUIRED), NumberRange(0, 100)])

    def validate_step4(self, field) -> None:
        """Each criterion is used exactly once."""
        from wtforms.validators import ValidationError

        steps = [self.step1.data, self.step2.data, self.step3.data, field.data]
        if len(set(steps)) != len(steps):
            raise ValidationError("Mỗi tiêu chí chỉ được chọn một lần.")


class DisqualifyForm(FlaskForm):
    """Disqualify one attempt, with the reason."""

    reason = StringField("Lý do loại bài thi", validators=[DataRequired("Vui lòng ghi lý do loại bài thi."),
                                                          Length(max=500)],
                         description="Lý do được ghi vào nhật ký; nếu kết quả đã công bố, lý do xuất hiện trong "
                                     "phần đính chính công khai.")


class ReinstateForm(FlaskForm):
    """Undo a disqualification."""

    reason = StringField("Lý do khôi phục", validators=[Optional(), Length(max=500)])


class PublishForm(FlaskForm):
    """Publish the winners, or a correction (then a reason is needed)."""

    note = TextAreaField("Lý do đính chính (bắt buộc khi đã công bố trước đó)", validators=[Optional(),
                                                                                           Length(max=2000)])


class ConfirmForm(FlaskForm):
    """A bare confirmation (CSRF only), e.g. closing a round."""
