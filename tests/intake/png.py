"""Just enough of PNG to read a headless browser's screenshot: 8-bit RGB or RGBA, not interlaced.

The tests compare pixels of the rendered page with what the page should show (the QR modules), and
no image library is installed; zlib and the five scanline filters are all it takes.
"""
from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {2: 3, 6: 4}  # colour type → bytes per pixel at bit depth 8


@dataclass
class Image:
    width: int
    height: int
    channels: int
    rows: list[bytes]

    def luminance(self, x: int, y: int) -> int:
        row, i = self.rows[y], x * self.channels
        return (row[i] * 299 + row[i + 1] * 587 + row[i + 2] * 114) // 1000


def read(data: bytes) -> Image:
    if not data.startswith(SIGNATURE):
        raise ValueError("not a PNG")
    pos, chunks, header = len(SIGNATURE), [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in CHANNELS or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    channels = CHANNELS[colour]
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    rows, previous = [], bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        rows.append(previous := _unfilter(raw[start], raw[start + 1:start + 1 + stride], previous, channels))
    return Image(width, height, channels, rows)


def _unfilter(kind: int, line: bytes, above: bytes, bpp: int) -> bytes:
    out = bytearray(line)
    if kind == 0:
        return bytes(out)
    if kind == 2:
        return bytes((a + b) & 0xFF for a, b in zip(line, above))
    for i in range(len(out)):
        left = out[i - bpp] if i >= bpp else 0
        if kind == 1:
            out[i] = (out[i] + left) & 0xFF
        elif kind == 3:
            out[i] = (out[i] + ((left + above[i]) >> 1)) & 0xFF
        elif kind == 4:
            up_left = above[i - bpp] if i >= bpp else 0
            p = left + above[i] - up_left
            pa, pb, pc = abs(p - left), abs(p - above[i]), abs(p - up_left)
            predictor = left if pa <= pb and pa <= pc else above[i] if pb <= pc else up_left
            out[i] = (out[i] + predictor) & 0xFF
        else:
            raise ValueError(f"unknown PNG filter {kind}")
    return bytes(out)
