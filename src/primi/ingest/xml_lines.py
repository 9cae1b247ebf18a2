"""Line numbers of XML elements counted from the file's own bytes, for files longer than 65,535.

libxml2 keeps an element's line in a 16-bit field: from line 65,535 on it stores 65,535 and
answers `sourceline` from a neighbouring text node, whose line is where that text ends, so lxml
gives the line after (or several after, or 65,535 for an element with children on its line).
Neither `huge_tree` nor XML_PARSE_BIG_LINES changes that for elements (measured with lxml 6.0,
libxml2 2.14). Here the start tags are found in the bytes with numpy and each is given the line
on which its start tag ends, which is what libxml2 reports below 65,535, so that every line of a
file is counted the same way.

Tags inside comments, CDATA sections and processing instructions are not elements and are left
out. The bytes are read as an ASCII-compatible encoding (UTF-8, Latin-1...); a UTF-16 or UTF-32
file (byte-order mark) is converted to UTF-8 first.
"""

from __future__ import annotations

import mmap
from pathlib import Path

import numpy as np

BIG_LINE = 65_535  # libxml2's lines from here on are not exact
_MARKUP = np.frombuffer(b"!?", dtype=np.uint8)
_CLOSERS = ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>"))
_AFTER_NAME = np.frombuffer(b" \t\r\n/>", dtype=np.uint8)
_NAME_BYTES = np.frombuffer(
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.", dtype=np.uint8
)
_PREFIX_MAX = 64
_BOMS = {
    b"\xff\xfe\x00\x00": "utf-32",
    b"\x00\x00\xfe\xff": "utf-32",
    b"\xff\xfe": "utf-16",
    b"\xfe\xff": "utf-16",
}


def start_tag_lines(path: Path, local: str, expected: int) -> np.ndarray | None:
    """The line (from 1) on which each start tag named `local` (any prefix) ends, in document
    order; None when the tags found are not `expected` in number (lxml's lines then stay)."""
    with Path(path).open("rb") as fh:
        head = fh.read(4)
        encoding = next((e for bom, e in _BOMS.items() if head.startswith(bom)), None)
        if encoding is not None:
            fh.seek(0)
            data = np.frombuffer(fh.read().decode(encoding).encode("utf-8"), dtype=np.uint8)
            return _lines(data, data.tobytes(), local, expected)
        if not head:
            return None
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            data = np.frombuffer(mapped, dtype=np.uint8)
            try:
                return _lines(data, mapped, local, expected)
            finally:
                del data  # the map cannot close while numpy holds a view of it


def _lines(
    data: np.ndarray, raw: bytes | mmap.mmap, local: str, expected: int
) -> np.ndarray | None:
    starts = _start_tags(data, local.encode())
    starts = _outside(starts, data, raw)
    if len(starts) != expected:
        return None
    closing = np.flatnonzero(data == ord(">"))
    ends = closing[np.minimum(np.searchsorted(closing, starts), len(closing) - 1)]
    breaks = _line_breaks(data)
    return np.searchsorted(breaks, ends, side="right").astype(np.int64) + 1


def _start_tags(data: np.ndarray, name: bytes) -> np.ndarray:
    """Positions of `name` right after `<` or after `<prefix:`, followed by a space, `/` or `>`."""
    size, width = len(data), len(name)
    at = np.flatnonzero(data[: max(size - width, 0)] == name[0])
    at = at[at > 0]
    for k in range(1, width):
        at = at[data[at + k] == name[k]]
    at = at[np.isin(data[at + width], _AFTER_NAME)]
    before = data[at - 1]
    plain = at[before == ord("<")]
    prefixed = at[before == ord(":")]
    if len(prefixed):
        back = np.arange(2, _PREFIX_MAX + 2)
        window = data[np.maximum(prefixed[:, None] - back, 0)]
        opening = window == ord("<")
        first = np.argmax(opening, axis=1)
        clean = np.cumsum(~np.isin(window, _NAME_BYTES), axis=1)
        found = opening.any(axis=1) & (first > 0)
        rows = np.arange(len(prefixed))
        clean_before = np.where(found, clean[rows, np.maximum(first - 1, 0)] == 0, False)
        prefixed = prefixed[found & clean_before]
    if not len(prefixed):
        return plain
    return np.sort(np.concatenate([plain, prefixed]))


def _outside(starts: np.ndarray, data: np.ndarray, raw: bytes | mmap.mmap) -> np.ndarray:
    """The positions that are not inside a comment, a CDATA section or a processing
    instruction (few in a data message: one step per such span, not per element)."""
    marks = np.flatnonzero(data[:-1] == ord("<"))
    marks = marks[np.isin(data[marks + 1], _MARKUP)]
    spans: list[tuple[int, int]] = []
    for at in marks.tolist():
        if spans and at < spans[-1][1]:
            continue
        close = next((c for opening, c in _CLOSERS if raw[at : at + len(opening)] == opening), None)
        if close is None:
            continue
        end = raw.find(close, at + 2)
        spans.append((at, len(raw) if end < 0 else end + len(close)))
    if not spans:
        return starts
    begin, end = np.array(spans, dtype=np.int64).T
    inside = np.searchsorted(begin, starts, side="right") - 1
    hidden = (inside >= 0) & (starts < end[np.maximum(inside, 0)])
    return starts[~hidden]


def _line_breaks(data: np.ndarray) -> np.ndarray:
    """Where lines end: each LF, and each CR not followed by LF (XML reads both as LF)."""
    lf = np.flatnonzero(data == ord("\n"))
    cr = np.flatnonzero(data == ord("\r"))
    if not len(cr):
        return lf
    alone = cr[(cr + 1 >= len(data)) | (data[np.minimum(cr + 1, len(data) - 1)] != ord("\n"))]
    return np.sort(np.concatenate([lf, alone]))
