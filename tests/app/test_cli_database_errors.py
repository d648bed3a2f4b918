"""A command run on a database that is not created (or not upgraded) says what to run, in one Vietnamese line."""

from contest import create_app
from contest.extensions import db
from tests.conftest import base_config

ROOT_BANK = "questions/cchc-mac-dinh.yaml"


def test_a_command_on_an_unmigrated_database_says_to_upgrade_it(tmp_path):
    app = create_app(base_config(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'empty.sqlite3'}"))
    try:
        result = app.test_cli_runner().invoke(args=["bank", "check", ROOT_BANK])
    finally:
        with app.app_context():
            db.engine.dispose()
    assert result.exit_code == 1
    assert "flask db upgrade" in result.output and "Traceback" not in result.output

