"""A WSGI function that touches nothing: bench.startup's baseline (imports nothing, so it measures gunicorn)."""


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
