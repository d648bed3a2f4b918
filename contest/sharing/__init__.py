"""Sharing a contest: its short link /c/<code>, the QR code of that link, the A4 poster for notice boards and
the Open Graph tags that make a pasted link show a preview card in Zalo or Facebook."""
