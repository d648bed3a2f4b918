"""Certificates as PDF: a prize certificate per winner of a published round (organisers), all of a round's
winners in one file, and a participation certificate a resident downloads from their own result."""
