"""QR codes (TCVN 7322:2009 / ISO/IEC 18004) drawn as inline SVG: no image file, no library in the page.

Circular 01/2023/TT-VPCP puts the QR code in the top-left corner of documents the system issues. It
carries the dossier code only: enough to find the dossier at any desk, and nothing personal on paper
that travels (the lookup still asks for the identity number).
"""
from __future__ import annotations

import qrcode
from markupsafe import Markup

QUIET_ZONE = 4  # modules of white border the standard requires around the symbol


def matrix(payload: str) -> list[list[bool]]:
    """The symbol's modules, quiet zone included (True = dark)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(payload)
    code.make(fit=True)
    return code.get_matrix()


def svg(payload: str, *, size_px: int = 132) -> Markup:
    """One <path> of horizontal runs: about a third of the size of a square per module."""
    modules = matrix(payload)
    runs = []
    for y, row in enumerate(modules):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    side = len(modules)
    # Markup.format escapes every value; the label is the only text, the rest are numbers and path data.
    return Markup(
        '<svg class="qr" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" '
        'width="{size}" height="{size}" viewBox="0 0 {side} {side}" shape-rendering="crispEdges">'
        '<rect width="{side}" height="{side}" fill="#fff"/><path fill="#000" d="{path}"/></svg>'
    ).format(label=f"Mã QR của hồ sơ {payload}", size=size_px, side=side, path="".join(runs))
