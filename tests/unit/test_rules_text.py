"""Rules text: a small safe subset of formatting, everything else escaped."""

from contest.main.filters import paragraphs


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
