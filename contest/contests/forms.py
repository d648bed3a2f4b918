"""Organiser forms for contests and rounds."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from contest.contests.models import (
    AUDIENCES,
    CONTEST_KINDS,
    COUNTING_RULES,
    PREDICTION_KINDS,
    REVIEW_POLICIES,
)
from contest.inputs import DateTimeLocalField, IntegerField

REQUIRED = "Vui lòng điền mục này."
THRESHOLD_RANGE = "Điểm tối thiểu là một số nguyên từ 0 đến 100 (phần trăm số điểm tối đa)."
THRESHOLD_HELP = ("Để trống nếu giải không cần điểm tối thiểu. Giải không có ai đạt điều kiện thì không trao "
                  "(không nhường cho người điểm thấp hơn); người chưa đạt điều kiện giải trên nhưng đạt điều "
                  "kiện giải dưới thì nhận giải dưới.")


class ContestForm(FlaskForm):
    """Create or edit a contest."""

    title = StringField("Tên cuộc thi", validators=[DataRequired(REQUIRED), Length(max=255)])
    kind = SelectField("Loại", choices=list(CONTEST_KINDS.items()))
    audience = SelectField("Đối tượng", choices=list(AUDIENCES.items()))
    summary = StringField("Giới thiệu ngắn", validators=[Optional(), Length(max=500)])
    rules = TextAreaField("Thể lệ", validators=[Optional(), Length(max=50_000)],
                          description="Mỗi đoạn cách nhau một dòng trống. Dòng bắt đầu bằng “- ” thành danh sách "
                                      "gạch đầu dòng, “1. ” thành danh sách đánh số; **chữ đậm** đặt giữa hai "
                                      "cặp dấu sao.")
    requires_cccd = BooleanField("Yêu cầu khai báo số CCCD (để chống một người dự thi nhiều tài khoản)")
    is_published = BooleanField("Công bố trên trang chủ")
    # The city's organisers choose who runs the contest (the view fills the choices: 0 is the whole city);
    # the view removes the field for a ward organiser, whose contests are always their ward's.
    owner = SelectField("Đơn vị tổ chức", coerce=int, default=0, choices=[(0, "Toàn thành phố")],
                        description="Cuộc thi của một phường chỉ dành cho người dân và cán bộ của phường đó; "
                                    "cuộc thi toàn thành phố dành cho mọi người.")


class RoundForm(FlaskForm):
    """Create or edit a round (times are Vietnam time)."""

    title = StringField("Tên đợt thi", validators=[DataRequired(REQUIRED), Length(max=255)])
    opens_at = DateTimeLocalField("Bắt đầu (giờ Việt Nam)", format="%Y-%m-%dT%H:%M",
                                  validators=[InputRequired("Vui lòng chọn thời điểm bắt đầu.")])
    closes_at = DateTimeLocalField("Kết thúc (giờ Việt Nam)", format="%Y-%m-%dT%H:%M",
                                   validators=[InputRequired("Vui lòng chọn thời điểm kết thúc.")])
    time_limit_minutes = IntegerField("Thời gian làm bài (phút)",
                                      validators=[InputRequired(REQUIRED), NumberRange(1, 600)])
    attempts_allowed = IntegerField("Số lần dự thi tối đa",
                                    validators=[InputRequired(REQUIRED), NumberRange(1, 100)])
    counting = SelectField("Lần được tính kết quả", choices=list(COUNTING_RULES.items()))
    all_required = BooleanField("Phải trả lời tất cả câu hỏi mới được nộp bài")
    review_policy = SelectField("Xem đáp án", choices=list(REVIEW_POLICIES.items()))
    prediction_kind = SelectField("Câu hỏi dự đoán", choices=list(PREDICTION_KINDS.items()))
    prediction_prompt = StringField("Nội dung câu hỏi dự đoán", validators=[Optional(), Length(max=500)])
    prizes_first = IntegerField("Giải Nhất", default=0, validators=[InputRequired(REQUIRED), NumberRange(0, 100)])
    prizes_second = IntegerField("Giải Nhì", default=0, validators=[InputRequired(REQUIRED), NumberRange(0, 100)])
    prizes_third = IntegerField("Giải Ba", default=0, validators=[InputRequired(REQUIRED), NumberRange(0, 100)])
    prizes_consolation = IntegerField("Giải Khuyến khích", default=0,
                                      validators=[InputRequired(REQUIRED), NumberRange(0, 1000)])
    prize_min_first = IntegerField("Giải Nhất: điểm tối thiểu (% số điểm tối đa)",
                                   validators=[Optional(), NumberRange(0, 100, THRESHOLD_RANGE)])
    prize_min_second = IntegerField("Giải Nhì: điểm tối thiểu (% số điểm tối đa)",
                                    validators=[Optional(), NumberRange(0, 100, THRESHOLD_RANGE)])
    prize_min_third = IntegerField("Giải Ba: điểm tối thiểu (% số điểm tối đa)",
                                   validators=[Optional(), NumberRange(0, 100, THRESHOLD_RANGE)])
    prize_min_consolation = IntegerField("Giải Khuyến khích: điểm tối thiểu (% số điểm tối đa)",
                                         validators=[Optional(), NumberRange(0, 100, THRESHOLD_RANGE)])

    def validate_closes_at(self, field) -> None:
        """The round must close after it opens."""
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            from wtforms.validators import ValidationError

            raise ValidationError("Thời điểm kết thúc phải sau thời điểm bắt đầu.")


class BlueprintForm(FlaskForm):
    """The blueprint: filled from request data by the view, one number field per group and topic."""
