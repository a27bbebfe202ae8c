#!/usr/bin/env python3
"""Prints what a PNG screenshot holds, as JSON, for the report rendering test (Tests/EndToEndTests).

    png-stats.py FILE [RRGGBB ...]

-> {"width": W, "height": H, "colours": distinct colours, "non_white": share of pixels not white,
    "counts": {"RRGGBB": pixels of exactly that colour, ...}}

Python's standard library only (zlib), so the test needs nothing beyond python3: 8-bit RGB or RGBA,
not interlaced -- what Chromium writes. Anything else exits with status 2 and says why.
"""
import json
import struct
import sys
import zlib


def fail(message):
    print(f"png-stats: {message}", file=sys.stderr)
    sys.exit(2)


def rows(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path}: not a PNG file")
    pos, idat, header = 8, [], None
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if header is None:
        fail(f"{path}: no IHDR chunk")
    width, height, depth, colour_type, _, _, interlace = header
    if depth != 8 or colour_type not in (2, 6) or interlace != 0:
        fail(f"{path}: unsupported PNG (bit depth {depth}, colour type {colour_type}, interlace {interlace})")
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    if len(raw) != height * (stride + 1):
        fail(f"{path}: image data has {len(raw)} bytes, expected {height * (stride + 1)}")
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = bytearray(raw[start + 1:start + 1 + stride])
        # Undo the row's filter (PNG specification, section 9).
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, previous))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = previous[i]
                c = previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        elif kind != 0:
            fail(f"{path}: unknown filter {kind} in row {y}")
        previous = line
        yield width, height, bpp, line


def main():
    if len(sys.argv) < 2:
        fail("usage: png-stats.py FILE [RRGGBB ...]")
    wanted = {bytes.fromhex(c): c.lower() for c in sys.argv[2:]}
    colours, counts = set(), {c: 0 for c in wanted.values()}
    non_white, width, height = 0, 0, 0
    for width, height, bpp, line in rows(sys.argv[1]):
        white = b"\xff" * (width * bpp) if bpp == 3 else None
        if line == white:
            colours.add(b"\xff\xff\xff")
            continue
        for i in range(0, width * bpp, bpp):
            pixel = bytes(line[i:i + 3])
            colours.add(pixel)
            if pixel != b"\xff\xff\xff":
                non_white += 1
            if pixel in wanted:
                counts[wanted[pixel]] += 1
    total = max(1, width * height)
    print(json.dumps({"width": width, "height": height, "colours": len(colours), "non_white": non_white / total, "counts": counts}))


main()
