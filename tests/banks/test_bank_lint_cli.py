"""`flask bank lint`, `flask bank coverage` and the item-writing advice on the upload preview."""

import io
from pathlib import Path

from contest import ROOT

FLAWED = """bank: thu-loi
questions:
  - id: L-1
    topic: Cải cách thủ tục hành chính
    text: Thủ tục hành chính được công khai ở đâu?
    options: [Tại nơi tiếp nhận hồ sơ, Trên cổng dịch vụ công, Trên trang thông tin điện tử, Tất cả các ý trên]
    answer: D
    source: Nghị định số 118/2025/NĐ-CP
  - id: L-2
    topic: Cải cách thủ tục hành chính
    text: Ai tiếp nhận hồ sơ thủ tục hành chính tại phường?
    options: [Bộ phận Một cửa, Chỉ Chủ tịch Ủy ban nhân dân, Trưởng công an, Tổ trưởng dân phố]
    answer: A
    source: Nghị định số 118/2025/NĐ-CP
"""
SOUND = FLAWED.replace(", Tất cả các ý trên]", "]").replace("answer: D", "answer: A").replace(
    "Chỉ Chủ tịch", "Chủ tịch")


def write(tmp_path: Path, text: str, name: str = "bank.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_lint_exits_1_and_names_the_line_on_an_error(runner, tmp_path):
    result = runner.invoke(args=["bank", "lint", str(write(tmp_path, FLAWED))])
    assert result.exit_code == 1
    assert "Lỗi – Dòng 3 (L-1): phương án “Tất cả các ý trên”" in result.output


def test_lint_reports_warnings_but_exits_0_without_an_error(runner, tmp_path):
    result = runner.invoke(args=["bank", "lint", str(write(tmp_path, FLAWED.replace(", Tất cả các ý trên", "")
                                                            .replace("answer: D", "answer: A")))])
    assert result.exit_code == 0, result.output
    assert "Cảnh báo – Dòng 9 (L-2): từ tuyệt đối “chỉ”" in result.output


def test_lint_strict_exits_1_on_a_warning(runner, tmp_path):
    text = FLAWED.replace(", Tất cả các ý trên", "").replace("answer: D", "answer: A")
    assert runner.invoke(args=["bank", "lint", "--strict", str(write(tmp_path, text))]).exit_code == 1


def test_lint_of_a_sound_bank_exits_0_with_no_finding(runner, tmp_path):
    result = runner.invoke(args=["bank", "lint", "--strict", str(write(tmp_path, SOUND))])
    assert result.exit_code == 0, result.output
    assert "0 lỗi, 0 cảnh báo" in result.output


def test_lint_of_an_unreadable_file_exits_1(runner, tmp_path):
    result = runner.invoke(args=["bank", "lint", str(write(tmp_path, "questions: [unclosed"))])
    assert result.exit_code == 1 and "không đọc được tệp" in result.output


def test_shipped_banks_have_no_lint_error(runner):
    result = runner.invoke(args=["bank", "lint", *map(str, sorted((ROOT / "questions").glob("*.yaml")))])
    assert result.exit_code == 0, result.output


def test_coverage_prints_themes_topics_and_difficulties(runner, tmp_path):
    text = SOUND.replace("    source: Nghị định số 118/2025/NĐ-CP\n  - id: L-2",
                         "    source: Nghị định số 118/2025/NĐ-CP\n    themes: [mot-cua, chi-so]\n  - id: L-2")
    result = runner.invoke(args=["bank", "coverage", str(write(tmp_path, text))])
    assert result.exit_code == 1  # two questions are far from the default bank's targets
    assert "Tổng số câu: 2" in result.output and "     1  chi-so" in result.output
    assert "Cải cách thủ tục hành chính" in result.output and "1 câu chưa gắn chủ điểm: L-2" in result.output


def test_upload_preview_lists_item_writing_flaws_without_blocking_the_import(client, make_user, login):
    make_user(role="organiser", login="btc")
    login("btc")
    payload = {"file": (io.BytesIO(FLAWED.encode()), "thu-loi.yaml")}
    response = client.post("/admin/banks/upload", data=payload, content_type="multipart/form-data")
    page = client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Xác nhận nhập 2 câu hỏi" in html
    assert "góp ý về cách viết câu hỏi" in html and "Nên sửa ngay – Dòng 3 (L-1)" in html


def test_upload_preview_of_a_very_large_file_points_to_the_lint_command(client, make_user, login, monkeypatch):
    import contest.admin.banks as bank_pages

    monkeypatch.setattr(bank_pages, "PREVIEW_LINT_MAX", 1)
    make_user(role="organiser", login="btc")
    login("btc")
    payload = {"file": (io.BytesIO(FLAWED.encode()), "thu-loi.yaml")}
    response = client.post("/admin/banks/upload", data=payload, content_type="multipart/form-data")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "flask bank lint thu-loi.yaml" in html and "góp ý về cách viết câu hỏi" not in html
