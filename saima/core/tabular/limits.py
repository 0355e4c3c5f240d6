"""How much work one uploaded file may ask for (Django-free)."""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much work one file may ask for (the defaults suit a province's data files)."""

    max_bytes: int = 10 * MIB
    max_unpacked: int = 50 * MIB
    max_rows: int = 20_000
    max_columns: int = 200
    max_cells: int = 1_000_000
    max_cell_chars: int = 32_767  # Excel's own limit for one cell
