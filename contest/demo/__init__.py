"""Demo data: the sample ward's units, the default bank and a demo contest with an open round."""
