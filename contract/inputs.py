"""A stage's input files once read and checked: what the gate judges and the stage computes on."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import pandas as pd

from contract.karantina import KARANTINA_COLUMNS


class RawFiles(Mapping[str, pd.DataFrame]):
    """A stage's raw text frames by sheet, each parsed only when first asked for.

    A file whose checked rows came from the process cache (contract.checked_inputs) is not parsed
    again unless something needs its text: a gate suite that was not run on these bytes before, or
    a check that reads raw rows. Its row count is known without parsing (`rows`).
    """

    def __init__(self, rows: Mapping[str, int], loaded: Mapping[str, pd.DataFrame],
                 load: Callable[[str], pd.DataFrame]) -> None:
        self._rows = dict(rows)
        self._loaded = dict(loaded)
        self._load = load

    def __getitem__(self, sheet: str) -> pd.DataFrame:
        if sheet not in self._rows:
            raise KeyError(sheet)
        if sheet not in self._loaded:
            self._loaded[sheet] = self._load(sheet)
        return self._loaded[sheet]

    def __contains__(self, sheet: object) -> bool:  # Mapping's own would parse the file to answer
        return sheet in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def rows(self, sheet: str) -> int:
        """The file's data rows, without parsing it."""
        return self._rows[sheet]

    def parsed(self) -> list[str]:
        """The sheets whose text is in memory (read for this stage, or asked for since)."""
        return list(self._loaded)


def row_count(raw: Mapping[str, pd.DataFrame], sheet: str) -> int:
    """Rows of `sheet` in `raw`, without parsing a file RawFiles has not read."""
    return raw.rows(sheet) if isinstance(raw, RawFiles) else len(raw[sheet])


@dataclass
class Inputs:
    """The stage's input files: raw text frames, checked typed frames, quarantined rows, warnings."""

    raw: Mapping[str, pd.DataFrame]
    frames: dict[str, pd.DataFrame]
    karantina: pd.DataFrame
    peringatan: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=KARANTINA_COLUMNS))
    baris: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.baris = self.baris or {name: int(row_count(self.raw, name)) for name in sorted(self.raw)}

    def counts(self) -> dict[str, int]:
        """Rows read per file (kept when the raw frames are released)."""
        return dict(self.baris)

    def stage_counts(self) -> dict[str, int]:
        """What a stage run records of its inputs: per file the rows read (`.dibaca`), the rows that went
        on (`.sah`) and the rows set aside (`.dikarantina`, with their parent's rows), and the number of
        problems in the quarantine (`dikarantina`, one line per problem of `karantina.csv`)."""
        counts: dict[str, int] = {}
        for name, dibaca in self.baris.items():
            sah = len(self.frames[name]) if name in self.frames else 0
            counts |= {f"{name}.dibaca": dibaca, f"{name}.sah": sah, f"{name}.dikarantina": dibaca - sah}
        return counts | {"dikarantina": len(self.karantina)}

    def release_raw(self) -> None:
        """Free the raw text frames once the gate has seen them: nothing after it reads them, and at
        1,000,000 employees they are a second copy of the inputs (≈ 5 GiB) beside the clean frames."""
        from stages.cache import release_unused_memory

        self.raw = {}
        release_unused_memory()
