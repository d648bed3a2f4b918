"""Rankings: standings (pure), the counting attempts of a round, and the unit table."""
