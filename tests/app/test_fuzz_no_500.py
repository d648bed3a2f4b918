"""Random and extreme values posted to every route of the URL map, as every role: no answer is a 500.

A seeded generator (the same requests on every run) walks the app's URL map, so routes added later are
covered too. First every (role, route, method) once with real ids, then the extremes (ids past the database's
integers, negative numbers, full-width digits, years 1 and 9999, deep JSON), then random values until the time
budget is spent. Form field names are read from the page's own GET, so forms get their real fields.
"""

from __future__ import annotations

import random
import re
import time

from contest.exports.registry import KINDS
from tests.conftest import PASSWORD

BUDGET_SECONDS = 30
ROLES = ("anonymous", "resident", "official", "unit_manager", "organiser")  # organisers last: they lock people
# Actions that end the fuzzing role's own session: tried once at the very end instead.
SELF_ENDING = {"accounts.logout"}
BIG = [2**31, 2**31 - 1, 2**63, 2**64 + 1, 10**25, -(2**63) - 1]
NUMBERS = [*BIG, -1, 0, 1, "１２", "٣٤", "1e9", "0x10", " 7 ", "", "NaN", "9" * 400]
TEXTS = ["", "a" * 5000, "\x00", "🙂" * 50, "'; DROP TABLE users;--", "<script>x</script>", "%s%n", "ｘ", "../..",
         "\u202e", "Nguyễn Văn A", "-1", "null"]
DATES = ["0001-01-01", "9999-12-31", "2026-02-30", "1-1-1", "9999-12-31T23:59", "0001-01-01T00:00",
         "31/12/9999", "00/00/0000", "2026-11-21", "2026-11-21T08:00", "２０２６-１１-２１"]
QUERY_KEYS = ["page", "round", "unit", "contest", "top", "from", "to", "start", "end", "q", "role", "fmt", "sort",
              "dir", "next", "deletion", "action", "actor", "target", "period", "preset", "sha256"]
_FIELD = re.compile(r'name="([^"]+)"')


def deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


def json_bodies(rng):
    return [{"position": rng.choice(BIG), "selected": [rng.choice(BIG)], "seq": rng.choice(BIG)},
            {"position": 1, "selected": [0], "seq": 2**63}, {"prediction": rng.choice(BIG)},
            {"position": -5, "selected": "x", "seq": None}, {"prediction": "１２"}, [1, 2], "x", 1e308]


def url_values(rule, rng, extreme: bool | None):
    values = {}
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__
        if converter == "IntegerConverter":
            values[name] = rng.choice(BIG[:5]) if extreme else rng.choice([1, 2, 3])
        elif name == "slug":
            values[name] = rng.choice(["thi", "khao-sat"]) if not extreme else rng.choice(TEXTS[1:]) or "x"
        elif name == "kind":
            values[name] = rng.choice(sorted(KINDS)) if not extreme else "ｘ" * 300
        elif name == "fmt":
            values[name] = rng.choice(["xlsx", "yaml", "json", "csv", "gift", "aiken", "docx", "exe"])
        else:
            values[name] = rng.choice(["a" * 64, "0" * 64, "ngan-hang-thu", "🙂", "x" * 3000])
    try:
        return rule.build(values, append_unknown=False)[1]
    except Exception:  # an extreme value the converter refuses to build: ask with the raw text instead
        path = rule.rule
        for name, value in values.items():
            path = re.sub(rf"<(?:[a-z]+:)?{name}>", str(value), path)
        return path


def random_value(rng, name: str):
    lowered = name.lower()
    if any(w in lowered for w in ("date", "_at", "from", "to", "start", "end", "day")):
        return str(rng.choice(DATES))
    pool = rng.choice([NUMBERS, NUMBERS, TEXTS, DATES])
    return str(rng.choice(pool))


def fields_of(client, path) -> list[str]:
    response = client.get(path)
    if response.status_code != 200 or "html" not in (response.content_type or ""):
        return []
    return sorted({n for n in _FIELD.findall(response.get_data(as_text=True)) if n != "csrf_token"})


def query(rng, extreme: bool | None) -> dict:
    keys = rng.sample(QUERY_KEYS, 4) + (["from", "to"] if rng.random() < 0.3 else [])
    if extreme:
        return {k: str(rng.choice(BIG + DATES)) for k in keys}
    return {k: random_value(rng, k) for k in keys}


def test_no_route_answers_any_role_with_a_500(app, world):
    rng = random.Random(20261121)
    rules = sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: r.rule)
    clients = {}
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            with app.app_context():
                who = world[role]
                response = client.post("/login", data={"login": who.login, "password": PASSWORD})
                assert response.status_code == 302, role
        clients[role] = client
    failures: list[str] = []
    field_cache: dict[tuple, list[str]] = {}
    end = time.monotonic() + BUDGET_SECONDS
    requests = 0

    def send(role, rule, method, extreme):
        nonlocal requests
        client = clients[role]
        path = url_values(rule, rng, extreme)
        with app.app_context():  # a request of its own, as on a server (never the test's shared ``g``)
            if method == "GET":
                response = client.get(path, query_string=query(rng, extreme))
                body = ""
            elif rule.rule.startswith("/api/"):
                body = rng.choice([deep_json(100_000), deep_json(rng.randint(1, 3000))] +
                                  [__import__("json").dumps(b) for b in json_bodies(rng)])
                response = client.post(path, data=body, content_type="application/json")
            else:
                key = (role, rule.rule)
                if key not in field_cache:
                    field_cache[key] = fields_of(client, path) if "GET" in rule.methods else []
                names = field_cache[key] or rng.sample(QUERY_KEYS, 3)
                body = {n: (str(rng.choice(BIG)) if extreme and rng.random() < 0.5 else random_value(rng, n))
                        for n in names}
                response = client.post(path, data=body, query_string=query(rng, extreme))
        requests += 1
        if response.status_code >= 500 and response.status_code != 503:
            failures.append(f"{role} {method} {path} {str(body)[:200]!r} -> {response.status_code}")

    passes = [False, True] + [None] * 1000
    for extreme in passes:
        for role in ROLES:
            for rule in rules:
                if rule.endpoint in SELF_ENDING:
                    continue
                for method in sorted(rule.methods & {"GET", "POST"}):
                    send(role, rule, method, extreme)
        if time.monotonic() > end and extreme is None:
            break
    for role in ROLES:
        for rule in rules:
            if rule.endpoint in SELF_ENDING:
                send(role, rule, "POST", False)
    assert requests > 2 * len(rules) * len(ROLES)
    assert not failures, f"{len(failures)} of {requests} requests answered 500:\n" + "\n".join(failures[:60])
