"""The export registry names its builders; the export service finds each one."""

from contest.exports import builders
from contest.exports.registry import KINDS


def test_every_export_kind_names_a_builder_of_the_builders_module():
    missing = [kind.code for kind in KINDS.values() if not callable(getattr(builders, kind.builder, None))]
    assert not missing
