"""The console tests reuse the small ward with results of the export tests."""

from tests.exports.conftest import take, ward  # noqa: F401
