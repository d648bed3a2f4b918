"""The data-table macro writes the header row and wraps the caller's rows."""

from flask import render_template_string

TEMPLATE = """{% from "macros/tables.html" import data_table %}{% call data_table(['Đơn vị', ('Điểm', 'num')],
id="t") %}<tr><td>A</td><td>1</td></tr>{% endcall %}"""


def test_a_data_table_has_its_header_and_the_callers_rows(app):
    with app.test_request_context():
        html = render_template_string(TEMPLATE)
    assert '<table id="t">' in html and '<th>Đơn vị</th><th class="num">Điểm</th>' in html
    assert "<tbody>\n  <tr><td>A</td><td>1</td></tr>\n  </tbody>" in html
