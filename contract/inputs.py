"""A stage's input files once read and checked: what the gate judges and the stage computes on."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from contract.karantina import KARANTINA_COLUMNS


@dataclass
class Inputs:
    """The stage's input files: raw text frames, checked typed frames, quarantined rows, warnings."""

    raw: dict[str, pd.DataFrame]
    frames: dict[str, pd.DataFrame]
    karantina: pd.DataFrame
    peringatan: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=KARANTINA_COLUMNS))
    baris: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.baris = self.baris or {name: int(len(frame)) for name, frame in sorted(self.raw.items())}

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
