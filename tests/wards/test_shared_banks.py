"""Banks shared downward (issue 19): a ward reads and draws the city's banks, changes only its own, and may copy
a city bank to edit it; every write to a bank it does not own answers 404."""

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from contest.audit.models import AuditEntry
from contest.banks.importing import import_bank
from contest.banks.models import Bank, Question
from contest.extensions import db

DATA = Path(__file__).resolve().parents[1] / "data"
READ_ONLY = "Ngân hàng của thành phố – chỉ xem, dùng để rút đề"


@pytest.fixture
def city(make_unit):
    """A city with two wards: Tây Mỗ and Đại Mỗ."""
    hanoi = make_unit("HN", "Thành phố Hà Nội", kind="city", headcount=None)
    return {"city": hanoi,
            "a": make_unit("TAYMO", "Phường Tây Mỗ", kind="ward", parent=hanoi),
            "b": make_unit("DAIMO", "Phường Đại Mỗ", kind="ward", parent=hanoi)}


def _import(name: str, owner) -> Bank:
    data = (DATA / "bank-small.yaml").read_bytes()
    report = import_bank(data, "bank-small.yaml", name, owner_unit_id=owner.id if owner else None)
    assert report.ok, report.errors
    return db.session.scalar(select(Bank).where(Bank.name == name))


@pytest.fixture
def banks(city):
    """One bank of the city and one of each ward."""
    return {"city": _import("cchc-thanh-pho", city["city"]), "a": _import("cchc-tay-mo", city["a"]),
            "b": _import("cchc-dai-mo", city["b"])}


@pytest.fixture
def ward_a(city, make_user, login):
    """Signed in as the organiser of ward A."""
    make_user(role="organiser", login="btc-taymo", managed_unit=city["a"])
    login("btc-taymo")


def _upload(client, name: str, **fields):
    payload = {"file": (io.BytesIO((DATA / "bank-small.yaml").read_bytes()), "bank-small.yaml"), "bank_name": name,
               **fields}
    return client.post("/admin/banks/upload", data=payload, content_type="multipart/form-data")


def test_ward_organiser_sees_the_city_bank_marked_read_only(client, banks, ward_a):
    html = client.get("/admin/banks").get_data(as_text=True)
    assert "cchc-thanh-pho" in html and READ_ONLY in html
    assert "/admin/banks/cchc-thanh-pho/export/" not in html


def test_ward_organiser_does_not_see_another_wards_bank(client, banks, ward_a):
    html = client.get("/admin/banks").get_data(as_text=True)
    assert "cchc-tay-mo" in html and "cchc-dai-mo" not in html


def test_ward_organiser_reads_the_city_banks_questions_without_edit_actions(client, banks, ward_a):
    page = client.get("/admin/banks/cchc-thanh-pho/questions")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Câu hỏi thử số một về thể chế?" in html
    assert "Sao chép để chỉnh sửa" in html and "/questions/new" not in html and "/retire" not in html


def test_another_wards_bank_is_404_to_a_ward_organiser(client, banks, ward_a):
    assert client.get("/admin/banks/cchc-dai-mo/questions").status_code == 404


@pytest.mark.parametrize("method, path", [
    ("get", "/admin/banks/cchc-thanh-pho/questions/new"),
    ("post", "/admin/banks/cchc-thanh-pho/questions/new"),
    ("get", "/admin/banks/cchc-thanh-pho/questions/{qid}/edit"),
    ("post", "/admin/banks/cchc-thanh-pho/questions/{qid}/edit"),
    ("post", "/admin/banks/cchc-thanh-pho/questions/{qid}/retire"),
    ("post", "/admin/banks/cchc-thanh-pho/questions/{qid}/restore"),
    ("post", "/admin/banks/cchc-thanh-pho/questions/check"),
    ("get", "/admin/banks/cchc-thanh-pho/export/xlsx"),
    ("get", "/admin/banks/cchc-thanh-pho/export/yaml"),
    ("get", "/admin/banks/cchc-thanh-pho/export/gift"),
    ("post", "/admin/banks/cchc-dai-mo/copy"),
])
def test_every_write_to_a_bank_the_ward_does_not_own_is_404(client, banks, ward_a, method, path):
    qid = db.session.scalar(select(Question.id).where(Question.bank_id == banks["city"].id).limit(1))
    response = getattr(client, method)(path.format(qid=qid), data={"text": "Sửa trộm?"})
    assert response.status_code == 404
    assert db.session.scalar(select(func.count(Question.id)).where(Question.text == "Sửa trộm?")) == 0


def test_reimporting_the_city_bank_as_a_ward_is_404(client, banks, ward_a):
    preview = _upload(client, "cchc-thanh-pho").headers["Location"]
    page = client.get(preview)
    assert page.status_code == 422 and "đã được dùng cho ngân hàng của đơn vị khác" in page.get_data(as_text=True)
    assert client.post(preview + "/import").status_code == 404
    assert db.session.scalar(select(Bank.imported_at).where(Bank.name == "cchc-thanh-pho")) == \
        banks["city"].imported_at


def test_a_bank_imported_by_a_ward_organiser_belongs_to_the_ward(client, city, ward_a):
    preview = _upload(client, "cau-hoi-tay-mo").headers["Location"]
    assert client.post(preview + "/import").status_code == 302
    assert db.session.scalar(select(Bank.owner_unit_id).where(Bank.name == "cau-hoi-tay-mo")) == city["a"].id


def test_a_bank_imported_by_the_city_organiser_belongs_to_the_city_unit(client, city, make_user, login):
    make_user(role="organiser", login="btc-thanh-pho")
    login("btc-thanh-pho")
    preview = _upload(client, "cau-hoi-thanh-pho").headers["Location"]
    client.post(preview + "/import")
    assert db.session.scalar(select(Bank.owner_unit_id).where(Bank.name == "cau-hoi-thanh-pho")) == city["city"].id


def test_without_a_city_unit_a_bank_imported_by_an_organiser_belongs_to_nobody(client, make_user, login):
    make_user(role="organiser", login="btc")
    login("btc")
    preview = _upload(client, "cau-hoi").headers["Location"]
    client.post(preview + "/import")
    bank = db.session.scalar(select(Bank).where(Bank.name == "cau-hoi"))
    assert bank is not None and bank.owner_unit_id is None


def test_a_bank_created_in_the_browser_by_a_ward_belongs_to_the_ward(client, city, ward_a):
    client.post("/admin/banks/new", data={"title": "Câu hỏi riêng Tây Mỗ"})
    assert db.session.scalar(select(Bank.owner_unit_id).where(Bank.name == "cau-hoi-rieng-tay-mo")) == city["a"].id


def test_the_city_organiser_edits_a_wards_bank(client, banks, make_user, login):
    make_user(role="organiser", login="btc-thanh-pho")
    login("btc-thanh-pho")
    assert client.get("/admin/banks/cchc-dai-mo/export/xlsx").status_code == 200


def test_copying_a_city_bank_makes_a_ward_bank_with_its_questions(client, banks, city, ward_a):
    response = client.post("/admin/banks/cchc-thanh-pho/copy")
    copy = db.session.scalar(select(Bank).where(Bank.name == "cchc-thanh-pho-taymo"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/banks/cchc-thanh-pho-taymo/questions")
    assert copy.owner_unit_id == city["a"].id
    original = db.session.execute(select(Question.code, Question.text, Question.topic_id, Question.correct)
                                  .where(Question.bank_id == banks["city"].id).order_by(Question.code)).all()
    copied = db.session.execute(select(Question.code, Question.text, Question.topic_id, Question.correct)
                                .where(Question.bank_id == copy.id).order_by(Question.code)).all()
    assert copied == original and len(copied) == 4


def test_the_copy_is_editable_by_the_ward(client, banks, ward_a):
    client.post("/admin/banks/cchc-thanh-pho/copy")
    assert client.get("/admin/banks/cchc-thanh-pho-taymo/export/xlsx").status_code == 200


def test_copying_twice_gives_a_second_unique_name(client, banks, ward_a):
    client.post("/admin/banks/cchc-thanh-pho/copy")
    client.post("/admin/banks/cchc-thanh-pho/copy")
    names = set(db.session.scalars(select(Bank.name).where(Bank.name.like("cchc-thanh-pho-%"))))
    assert names == {"cchc-thanh-pho-taymo", "cchc-thanh-pho-taymo-2"}


def test_copying_a_bank_is_audited(client, banks, ward_a):
    client.post("/admin/banks/cchc-thanh-pho/copy")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "bank.copy"))
    assert entry.actor_login == "btc-taymo" and entry.changes["from"] == "cchc-thanh-pho"


def test_a_ward_cannot_copy_its_own_bank(client, banks, ward_a):
    assert client.post("/admin/banks/cchc-tay-mo/copy").status_code == 404
