"""Error pages in Vietnamese, and JSON errors for JSON routes."""
