"""Timed attempts: start, autosave, resume, finish and grade."""
