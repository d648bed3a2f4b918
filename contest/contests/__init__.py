"""Contests, their rounds and the rounds' blueprints."""
