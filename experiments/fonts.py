"""A matplotlib font for Chinese labels, when one is installed."""

from __future__ import annotations

import functools
import warnings
from typing import Any

from matplotlib import font_manager

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
    """The best installed font with Chinese glyphs, or None."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def figure_style(lang: str) -> tuple[dict[str, Any], str]:
    """matplotlib rc settings for figures in ``lang``, and the language figures will use.

    Without a CJK font, Chinese would show as empty boxes, so figures fall back to English
    labels (with a warning); the HTML report keeps Chinese, as browsers have the fonts.
    """
    rc: dict[str, Any] = {"font.family": "sans-serif", "axes.unicode_minus": False}
    if lang != "zh":
        return rc, lang
    font = cjk_font()
    if font is None:
        warnings.warn(
            "no Chinese font found for matplotlib (install fonts-noto-cjk); "
            "figures use English labels",
            stacklevel=2,
        )
        return rc, "en"
    rc["font.sans-serif"] = [font, "DejaVu Sans"]  # per-glyph fallback for Latin text
    return rc, "zh"
