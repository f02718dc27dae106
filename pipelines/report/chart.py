"""Inline SVG line charts for the HTML report. Coordinates are computed in Decimal and written as text:
the figures drawn are the stored ones, never passed through float."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

W, H, PAD = Decimal(640), Decimal(200), Decimal(40)
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")


def _y(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    span = high - low or Decimal(1)
    clipped = min(max(value, low), high)
    return (H - PAD - (clipped - low) / span * (H - 2 * PAD)).quantize(Decimal("0.01"))


def _x(i: int, n: int) -> Decimal:
    step = (W - 2 * PAD) / Decimal(max(n - 1, 1))
    return (PAD + step * i).quantize(Decimal("0.01"))


def line_chart(title: str, days: Sequence[str], series: dict[str, list[Decimal | None]],
               bands: Sequence[tuple[Decimal, Decimal, str, str]], low: Decimal, high: Decimal) -> str:
    """`series`: name -> one value per day (None: not computed). `bands`: (from, to, colour, label)
    drawn behind the lines; values outside [low, high] are drawn at the edge."""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" role="img" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for a, b, colour, label in bands:
        top, bottom = _y(max(a, b), low, high), _y(min(a, b), low, high)
        parts.append(f'<rect x="{PAD}" y="{top}" width="{W - 2 * PAD}" height="{bottom - top}" fill="{colour}" '
                     f'opacity="0.25"><title>{escape(label)}</title></rect>')
    zero = _y(Decimal(0), low, high) if low <= 0 <= high else None
    if zero is not None:
        parts.append(f'<line x1="{PAD}" x2="{W - PAD}" y1="{zero}" y2="{zero}" stroke="#888" stroke-width="0.5"/>')
    parts.append(f'<text x="{PAD}" y="14" font-size="12">{escape(title)}</text>')
    parts.append(f'<text x="2" y="{PAD}" font-size="9">{high}</text>'
                 f'<text x="2" y="{H - PAD}" font-size="9">{low}</text>')
    if days:
        parts.append(f'<text x="{PAD}" y="{H - 8}" font-size="9">{escape(days[0])}</text>'
                     f'<text x="{W - PAD - 50}" y="{H - 8}" font-size="9">{escape(days[-1])}</text>')
    for n, (name, values) in enumerate(sorted(series.items())):
        colour = COLOURS[n % len(COLOURS)]
        points = " ".join(f"{_x(i, len(days))},{_y(v, low, high)}" for i, v in enumerate(values) if v is not None)
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{points}">'
                     f'<title>{escape(name)}</title></polyline>')
        parts.append(f'<text x="{W - PAD + 2}" y="{PAD + 12 * n}" font-size="9" fill="{colour}">'
                     f'{escape(name[:14])}</text>')
    parts.append("</svg>")
    return "".join(parts)
