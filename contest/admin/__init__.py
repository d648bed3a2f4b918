"""Organiser pages: they call other domains' services and own no models."""
