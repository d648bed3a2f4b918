"""Site-wide pages: the favicon every browser asks for."""


def test_favicon_is_served_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_every_page_names_its_icon(client):
    html = client.get("/privacy").get_data(as_text=True)
    assert 'rel="icon"' in html and "favicon.svg" in html
