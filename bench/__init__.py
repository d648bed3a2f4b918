"""Benchmarks (not tests): `make bench` runs them; each prints its figure beside a baseline of the same run."""
