"""The audit log: who did what, when, and what changed, for every organiser action."""
