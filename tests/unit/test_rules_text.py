"""Rules text: a small safe subset of formatting, everything else escaped."""

from contest.contests.rules_text import rules_html as paragraphs


def test_blank_lines_split_paragraphs_and_single_breaks_are_kept():
    assert str(paragraphs("Điều 1.\nMục a\n\nĐiều 2.")) == "<p>Điều 1.<br>Mục a</p><p>Điều 2.</p>"


def test_dash_lines_become_a_bulleted_list():
    assert str(paragraphs("Đối tượng:\n- Người dân\n- Cán bộ")) == \
        "<p>Đối tượng:</p><ul><li>Người dân</li><li>Cán bộ</li></ul>"


def test_numbered_lines_become_a_numbered_list():
    assert str(paragraphs("1. Đăng ký\n2. Làm bài")) == "<ol><li>Đăng ký</li><li>Làm bài</li></ol>"


def test_double_stars_make_bold():
    assert str(paragraphs("Hạn chót **20/11/2026**.")) == "<p>Hạn chót <strong>20/11/2026</strong>.</p>"


def test_html_is_escaped_even_inside_bold_and_lists():
    html = str(paragraphs('- <script>alert(1)</script>\n**<img src=x onerror=alert(1)>**'))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "<strong>&lt;img" in html


def test_empty_text_gives_nothing():
    assert str(paragraphs(None)) == "" and str(paragraphs("  \n\n ")) == ""


def test_numbered_sections_split_by_blank_lines_keep_their_numbers():
    html = str(paragraphs("1. Đối tượng dự thi\nCông dân từ đủ 18 tuổi.\n\n2. Hình thức thi\nThi trực tuyến.\n\n"
                          "3. Câu hỏi dự đoán\nKhông tính điểm."))
    assert html.count("<ol") == 3
    assert '<ol start="2"><li>Hình thức thi<br>Thi trực tuyến.</li></ol>' in html
    assert '<ol start="3">' in html


def test_lines_under_a_numbered_line_belong_to_its_item():
    assert str(paragraphs("1. Đối tượng dự thi\nCông dân từ đủ 18 tuổi.")) == \
        "<ol><li>Đối tượng dự thi<br>Công dân từ đủ 18 tuổi.</li></ol>"


def test_a_jump_in_numbering_is_shown_as_typed():
    assert str(paragraphs("1. Đăng ký\n3. Làm bài")) == '<ol><li>Đăng ký</li><li value="3">Làm bài</li></ol>'


def test_bullets_under_a_numbered_section_are_nested_in_it():
    assert str(paragraphs("2. Đối tượng\n- Người dân\n- Cán bộ")) == \
        '<ol start="2"><li>Đối tượng<ul><li>Người dân</li><li>Cán bộ</li></ul></li></ol>'


def test_demo_rules_show_sections_one_to_six():
    from pathlib import Path

    import contest.demo

    text = (Path(contest.demo.__file__).parent / "rules.txt").read_text(encoding="utf-8")
    html = str(paragraphs(text))
    assert [f'<ol start="{n}">' in html for n in range(2, 7)] == [True] * 5
