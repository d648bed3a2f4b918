"""Syncing the bank files shipped in ``questions/``: import each file whose content changed since its last
import (``flask bank sync``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from contest.banks.formats import PARSERS
from contest.banks.importing import BankImportReport, import_bank
from contest.banks.models import Bank
from contest.extensions import db


@dataclass
class SyncResult:
    """What ``flask bank sync`` did with one file."""

    path: Path
    changed: bool
    report: BankImportReport | None = None


def sync_banks(folder: Path) -> list[SyncResult]:
    """Import every bank file in ``folder`` whose content changed since it was last imported (one
    transaction per file, so a broken file leaves the others imported)."""
    results = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in PARSERS):
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        bank = db.session.scalar(select(Bank).where(Bank.source_file == path.name).order_by(Bank.id))
        if bank is not None and bank.file_hash == digest:
            results.append(SyncResult(path, changed=False))
            continue
        report = import_bank(data, path.name, bank.name if bank is not None else None)
        if not report.ok:
            db.session.rollback()
        results.append(SyncResult(path, changed=True, report=report))
    return results
