"""The public base address of the site (pure): the scheme and host that absolute links (share links, QR
codes, Open Graph tags) are built on when PUBLIC_BASE_URL is set, rather than on the request's own host."""

from __future__ import annotations

import re

_BASE = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+$")


class BaseURLError(ValueError):
    """PUBLIC_BASE_URL is not a scheme and a host."""


def normalise_base_url(value: str | None) -> str | None:
    """``https://thi.phuong.gov.vn`` from the configured value (a trailing slash dropped); None when unset.

    Only a scheme and a host (and port) are accepted: the app's own path prefix comes from the proxy's
    SCRIPT_NAME, so a path here would be written twice.
    """
    text = (value or "").strip().rstrip("/")
    if not text:
        return None
    if not _BASE.match(text):
        raise BaseURLError(
            f"PUBLIC_BASE_URL phải là giao thức và tên miền, ví dụ https://thi.phuong.gov.vn (đang là {value!r}).")
    return text
