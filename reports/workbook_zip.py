"""The zip container of kinerja_<tahun>.xlsx, written member by member (reports/workbook.py).

`ZipWriter` stores each member as deflated bytes already made, with the CRC-32 and size of what they
inflate to, so a member can be copied as it is stored in the previous workbook (`StoredZip`: central
directory through zipfile, local header checked, bytes read raw), never inflated and deflated again.
Every member gets the same time stamp (1980-01-01), attributes and flags, with Zip64 records only where
a size or offset needs them: the same members give the same bytes.

A member is deflated in segments (`segment`): each piece on its own, ended at a byte boundary
(Z_SYNC_FLUSH, not final), the last one by a final block. Joined in order they are one valid deflate
stream (as pigz writes), so the pieces (chunks of sheet rows) are deflated at the same time in threads
(`assemble`), their CRC-32s joined with `crc32_combine`. A piece refers to no text before it, which costs
almost nothing at 100,000-row chunks. `StoredBook` is the previous workbook as reports/workbook.py
needs it: the key recorded per sheet and where each sheet is stored.
"""

from __future__ import annotations

import os
import re
import struct
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import unescape

ZIP64_LIMIT = (1 << 31) - 1  # beyond this a size or offset goes to a Zip64 record (zipfile's limit)
_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01 as an MS-DOS date; the time is 00:00
_ATTRIBUTES = 0o100644 << 16  # a regular file, rw-r--r-- (Unix), in the high half
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_END64 = struct.Struct("<IQHHIIQQQQ")
_LOCATOR = struct.Struct("<IIQI")
_COPY = 1 << 20  # bytes read at once when a member is copied
Segment = tuple[bytes, int, int]  # deflated bytes, CRC-32 and length of the text they hold


def deflate_segment(data: bytes | memoryview, level: int, last: bool = False) -> bytes:
    """`data` deflated (raw deflate) as one segment of a member: byte-aligned, final only if `last`."""
    packer = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)


def segment(data: bytes | memoryview, level: int, last: bool = False) -> Segment:
    """`data` as a deflated segment with the CRC-32 and length of `data`."""
    return deflate_segment(data, level, last), zlib.crc32(data), len(data)


def segment_of_pieces(pieces: Iterable[bytes | memoryview], level: int) -> Segment:
    """The pieces one after the other as one (not final) deflated segment, each piece dropped once it is
    fed: the same bytes as `segment(b"".join(pieces), level)` (zlib's output does not depend on how its
    input is split between calls), while only one piece of the text is in memory at a time."""
    packer = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    out, crc, length = [], 0, 0
    for piece in pieces:
        out.append(packer.compress(piece))
        crc, length = zlib.crc32(piece, crc), length + len(piece)
        del piece
    out.append(packer.flush(zlib.Z_SYNC_FLUSH))
    return b"".join(out), crc, length


@dataclass(frozen=True)
class Rendered:
    """A member deflated in segments: `head`, then what each of `jobs` gives (run in threads), `tail`."""

    head: Segment
    jobs: list[Callable[[], Segment]]
    tail: Segment


def assemble(path: Path, template: Path, level: int, rendered: dict[str, Rendered],
             copied: dict[str, tuple[StoredZip, Stored]]) -> None:
    """Write at `path` the members of the zip `template` in its order: those in `copied` as stored in
    their zip, those in `rendered` from their segments, the others from the template deflated at `level`."""
    with zipfile.ZipFile(template) as small, open(path, "wb") as out:
        writer = ZipWriter(out)
        names = small.namelist()
        pool = ThreadPoolExecutor(workers(), thread_name_prefix="kinerja-zip")
        try:
            jobs = [job for name in names if name in rendered for job in rendered[name].jobs]
            segments = _ahead(pool, jobs, 2 * workers())
            for name in names:
                if name in copied:
                    stored_zip, stored = copied[name]
                    writer.add(name, stored, stored_zip.pieces(stored))
                elif name in rendered:
                    member = rendered[name]
                    writer.add_segments(name, [member.head, *islice(segments, len(member.jobs)), member.tail])
                else:
                    writer.add_bytes(name, small.read(name), level)
        finally:
            pool.shutdown(cancel_futures=True)
        writer.close()


def _ahead(pool: ThreadPoolExecutor, jobs: list[Callable[[], Segment]], window: int) -> Iterator[Segment]:
    """The jobs' results in order, run in `pool` at most `window` jobs ahead of the one taken.

    Submitting every job at once let the threads deflate the whole workbook while the writer was still at
    its first member, and every deflated segment waited in memory (the 1,000,000-employee workbook written
    whole peaked at 2.41 GiB that way, 2.02 GiB with a window of two jobs per thread)."""
    pending: deque[Future[Segment]] = deque()
    queued = iter(jobs)
    for job in islice(queued, window):
        pending.append(pool.submit(job))
    while pending:
        done = pending.popleft().result()
        for job in islice(queued, 1):
            pending.append(pool.submit(job))
        yield done


def workers() -> int:
    """Threads for deflating: the CPUs this process may use, at most 4."""
    try:
        return max(1, min(4, len(os.sched_getaffinity(0))))
    except AttributeError:  # no sched_getaffinity (macOS, Windows)
        return max(1, min(4, os.cpu_count() or 1))


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """The CRC-32 of A + B from those of A (`crc1`) and B (`crc2`, `length2` bytes): zlib's crc32_combine
    (B's length in zero bits applied to crc1 by squaring the GF(2) operator of one zero bit)."""
    if length2 == 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]  # one zero bit
    even = _square(odd)  # two zero bits
    odd = _square(even)  # four zero bits
    while True:
        even = _square(odd)  # the first square applies one zero byte
        if length2 & 1:
            crc1 = _times(even, crc1)
        length2 >>= 1
        if not length2:
            break
        odd = _square(even)
        if length2 & 1:
            crc1 = _times(odd, crc1)
        length2 >>= 1
        if not length2:
            break
    return crc1 ^ crc2


def _times(matrix: list[int], vector: int) -> int:
    total, row = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[row]
        vector >>= 1
        row += 1
    return total


def _square(matrix: list[int]) -> list[int]:
    return [_times(matrix, matrix[n]) for n in range(32)]


@dataclass(frozen=True)
class Stored:
    """A deflated member: where its bytes lie in a zip file (or none yet), their size and what they
    inflate to (CRC-32, size)."""

    crc: int
    size: int
    compressed: int
    offset: int = -1


class ZipWriter:
    """Writes members one after the other to `out` (a file open for binary writing), then the directory."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.position = 0
        self.entries: list[tuple[bytes, Stored, int]] = []

    def add(self, name: str, stored: Stored, pieces: Iterable[bytes | memoryview]) -> None:
        """A member whose deflated bytes are `pieces` in order (`stored.compressed` bytes in all)."""
        raw = name.encode("ascii")
        zip64 = max(stored.size, stored.compressed) > ZIP64_LIMIT
        extra = struct.pack("<HHQQ", 1, 16, stored.size, stored.compressed) if zip64 else b""
        sizes = (0xFFFFFFFF, 0xFFFFFFFF) if zip64 else (stored.compressed, stored.size)
        header = _LOCAL.pack(0x04034B50, 45 if zip64 else 20, 0, zipfile.ZIP_DEFLATED, 0, _DATE, stored.crc,
                             *sizes, len(raw), len(extra))
        self.entries.append((raw, stored, self.position))
        self._write(header + raw + extra)
        written = 0
        for piece in pieces:
            self._write(piece)
            written += len(piece)
        if written != stored.compressed:
            raise ValueError(f"{name}: {written} deflated bytes written, {stored.compressed} announced")

    def add_segments(self, name: str, segments: Iterable[Segment]) -> None:
        """A member made of deflated segments in order, each with the CRC-32 and length of its text."""
        crc, size, pieces = 0, 0, []
        for segment, segment_crc, length in segments:
            crc, size = crc32_combine(crc, segment_crc, length), size + length
            pieces.append(segment)
        self.add(name, Stored(crc, size, sum(map(len, pieces))), pieces)

    def add_bytes(self, name: str, data: bytes, level: int) -> None:
        """A member of `data`, deflated here in one segment."""
        packed = deflate_segment(data, level, last=True)
        self.add(name, Stored(zlib.crc32(data), len(data), len(packed)), [packed])

    def close(self) -> None:
        """The central directory and its end records."""
        start = self.position
        for raw, stored, offset in self.entries:
            big = [v for v in (stored.size, stored.compressed, offset) if v > ZIP64_LIMIT]
            extra = struct.pack(f"<HH{len(big)}Q", 1, 8 * len(big), *big) if big else b""
            fields = [0xFFFFFFFF if v > ZIP64_LIMIT else v for v in (stored.compressed, stored.size, offset)]
            version = 45 if big else 20
            self._write(_CENTRAL.pack(0x02014B50, (3 << 8) | version, version, 0, zipfile.ZIP_DEFLATED, 0,
                                      _DATE, stored.crc, fields[0], fields[1], len(raw), len(extra), 0, 0, 0,
                                      _ATTRIBUTES, fields[2]) + raw + extra)
        size, count = self.position - start, len(self.entries)
        if max(start, size) > ZIP64_LIMIT or count >= 0xFFFF:
            end64 = self.position
            self._write(_END64.pack(0x06064B50, 44, 45, 45, 0, 0, count, count, size, start))
            self._write(_LOCATOR.pack(0x07064B50, 0, end64, 1))
            count, size, start = min(count, 0xFFFF), min(size, 0xFFFFFFFF), min(start, 0xFFFFFFFF)
        self._write(_END.pack(0x06054B50, 0, 0, count, count, size, start, 0))

    def _write(self, data: bytes | memoryview) -> None:
        self.out.write(data)
        self.position += len(data)


class StoredZip:
    """The members of an existing zip (`source`, open for binary reading) as stored: the central
    directory through zipfile, each member's local header checked against it."""

    def __init__(self, source: BinaryIO) -> None:
        self.source = source
        self.zip = zipfile.ZipFile(source)
        self.length = source.seek(0, 2)

    def text(self, name: str) -> str:
        """A small member inflated, as UTF-8 text (ValueError for one over 16 MB)."""
        if self.zip.getinfo(name).file_size > 1 << 24:
            raise ValueError(f"{name}: too large for a workbook's index part")
        return self.zip.read(name).decode("utf-8")

    def stored(self, name: str) -> Stored:
        """Where the deflated bytes of member `name` lie; ValueError for what this module would not write."""
        info = self.zip.getinfo(name)
        if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1:  # not deflated, encrypted
            raise ValueError(f"{name}: not a plain deflated member")
        self.source.seek(info.header_offset)
        head = self.source.read(_LOCAL.size)
        if len(head) != _LOCAL.size:
            raise ValueError(f"{name}: local header cut off")
        signature, _, _, method, _, _, _, _, _, name_length, extra_length = _LOCAL.unpack(head)
        raw = self.source.read(name_length)
        if signature != 0x04034B50 or method != info.compress_type or raw != name.encode("utf-8"):
            raise ValueError(f"{name}: local header does not match the central directory")
        offset = info.header_offset + _LOCAL.size + name_length + extra_length
        if offset + info.compress_size > self.length:
            raise ValueError(f"{name}: deflated bytes beyond the end of the file")
        return Stored(info.CRC, info.file_size, info.compress_size, offset)

    def read(self, stored: Stored, start: int, length: int) -> bytes:
        """`length` deflated bytes of a member from `start` (negative: from its end)."""
        self.source.seek(stored.offset + (start if start >= 0 else stored.compressed + start))
        return self.source.read(length)

    def pieces(self, stored: Stored) -> Iterator[bytes]:
        """The deflated bytes of a member as they are stored, a megabyte at a time."""
        for start in range(0, stored.compressed, _COPY):
            yield self.read(stored, start, min(_COPY, stored.compressed - start))


class StoredBook:
    """A workbook written before by reports/workbook.py, for its sheets that can be copied: the key it
    recorded per sheet (custom properties `<prefix><sheet>`) and each sheet's part (workbook.xml and its
    relationships)."""

    def __init__(self, source: BinaryIO, prefix: str) -> None:
        self.zip = StoredZip(source)
        pattern = f'<property [^>]*name="{re.escape(prefix)}([^"]+)"><vt:lpwstr>([^<]*)</vt:lpwstr>'
        self.keys = dict(re.findall(pattern, self.zip.text("docProps/custom.xml")))
        targets = dict(re.findall(r'<Relationship Id="([^"]+)" Type="[^"]*/worksheet" Target="([^"]+)"/>',
                                  self.zip.text("xl/_rels/workbook.xml.rels")))
        sheets = re.findall(r'<sheet name="([^"]*)" sheetId="[0-9]+" r:id="([^"]+)"/>',
                            self.zip.text("xl/workbook.xml"))
        self.members = {unescape(name, {"&quot;": '"'}): "xl/" + targets[rid]
                        for name, rid in sheets if rid in targets}

    @classmethod
    @contextmanager
    def open(cls, path: Path | None, prefix: str) -> Iterator[StoredBook | None]:
        """The workbook at `path`; None where there is none, it cannot be read or records no key."""
        try:
            source = open(path, "rb") if path is not None else None  # noqa: SIM115 - closed below
        except OSError:
            source = None
        if source is None:
            yield None
            return
        with source:
            try:
                book: StoredBook | None = cls(source, prefix)
            except (OSError, EOFError, KeyError, ValueError, UnicodeDecodeError, zipfile.BadZipFile,
                    zlib.error):
                book = None
            yield book if book is not None and book.keys else None

    def copyable(self, sheet: str, key: str, head: bytes, tail: bytes) -> Stored | None:
        """Where the sheet's deflated XML lies if it is recorded with `key` and begins with the deflated
        segment `head` and ends with `tail`; None otherwise."""
        member = self.members.get(sheet)
        if member is None or self.keys.get(sheet) != key:
            return None
        try:
            stored = self.zip.stored(member)
            if (stored.compressed < len(head) + len(tail) or self.zip.read(stored, 0, len(head)) != head
                    or self.zip.read(stored, -len(tail), len(tail)) != tail):
                return None
        except (OSError, KeyError, ValueError, zipfile.BadZipFile):
            return None
        return stored
