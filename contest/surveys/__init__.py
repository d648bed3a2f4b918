"""The officials' knowledge survey: private results, per-unit × per-topic reports, item analysis."""
