"""Reports: the figures of participation and results (dashboard, unit statistics, periodic report)."""
