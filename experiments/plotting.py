"""What every figure shares: fonts for Chinese labels, the figure language, panels, PNG files.

Figures are plain :class:`matplotlib.figure.Figure` objects, never registered with pyplot, so
no backend has to be chosen and nothing is set at import: settings reach a figure only through
:func:`figure_language` (an ``rc_context``) around the code that builds and saves it.
"""

from __future__ import annotations

import functools
import io
import math
import shutil
import subprocess
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure

from experiments.store import atomic_write

COLS = 3  # panels a row
DPI = 130  # PNG resolution of report and analysis figures
# Figures in printed reports (PDF): at least this many dots per inch once the figure is
# shrunk to the printed width (A4 text width, about 17 cm).
PRINT_DPI = 300
PRINT_WIDTH_INCHES = 6.7

# Fonts that cover simplified Chinese, best first (Debian: fonts-noto-cjk, fonts-wqy-*).
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
)


@functools.cache
def cjk_font() -> str | None:
    """The best installed font with Chinese glyphs, or None (looked up once, on first use).

    matplotlib caches its font list on disk the first time it runs, so a font installed
    later (``apt install fonts-noto-cjk`` on a machine that had already drawn a figure) is
    missing from it; then the files fontconfig knows for Chinese are added to the list.
    """
    found = _best_cjk_font()
    if found is None and shutil.which("fc-list"):
        listed = subprocess.run(
            ["fc-list", ":lang=zh", "--format", "%{file}\n"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        for path in sorted(set(listed.splitlines())):
            if Path(path).is_file():
                font_manager.fontManager.addfont(path)
        found = _best_cjk_font()
    return found


def _best_cjk_font() -> str | None:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def figure_style(lang: str) -> tuple[dict[str, Any], str]:
    """matplotlib rc settings for figures in ``lang``, and the language figures will use.

    Without a CJK font, Chinese would show as empty boxes, so figures fall back to English
    labels (with a warning); HTML pages keep Chinese, as browsers have the fonts.
    """
    rc: dict[str, Any] = {"font.family": "sans-serif", "axes.unicode_minus": False}
    if lang != "zh":
        return rc, lang
    font = cjk_font()
    if font is None:
        warnings.warn(
            "no Chinese font found for matplotlib (install fonts-noto-cjk); "
            "figures use English labels",
            stacklevel=3,
        )
        return rc, "en"
    rc["font.sans-serif"] = [font, "DejaVu Sans"]  # per-glyph fallback for Latin text
    return rc, "zh"


@contextmanager
def figure_language(lang: str) -> Iterator[str]:
    """Build and save figures inside this block; yields the language they can use."""
    rc, used = figure_style(lang)
    with matplotlib.rc_context(rc):
        yield used


def panels(n: int, height: float = 2.6, width: float = 4.2) -> tuple[Figure, list]:
    """A figure with ``n`` panels, up to three a row; the axes in reading order."""
    cols = min(COLS, n)
    rows = math.ceil(n / cols)
    fig = Figure(figsize=(width * cols, height * rows))
    axes = fig.subplots(rows, cols, squeeze=False)
    flat = list(axes.flat)
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def png_bytes(fig: Figure, dpi: float = DPI) -> bytes:
    """The figure as PNG."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def print_dpi(fig: Figure) -> float:
    """The resolution at which a figure printed ``PRINT_WIDTH_INCHES`` wide (or at its own
    size, if smaller) has ``PRINT_DPI`` dots per inch."""
    width = fig.get_figwidth()
    return max(DPI, PRINT_DPI * min(width, PRINT_WIDTH_INCHES) / width)


def print_png(fig: Figure) -> bytes:
    """The figure as PNG at print resolution (:func:`print_dpi`)."""
    return png_bytes(fig, print_dpi(fig))


def save_figure(fig: Figure, path: str | Path) -> Path:
    """The figure as a PNG file, written atomically."""
    data = png_bytes(fig)
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))
