"""Words and numbers for every text the project writes, in English and Chinese.

One shape for bilingual text: a table ``{key: (english, chinese)}`` read with :func:`say`,
and one way to write numbers (:func:`number`, :func:`percent`, :func:`interval`), so reports,
analyses and the terminal agree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

LANGS = ("en", "zh")

Words = Mapping[str, tuple[str, str]]  # key -> (english, chinese)


def pick(pair: tuple[str, str], lang: str) -> str:
    """The English or Chinese member of a pair."""
    return pair[1] if lang == "zh" else pair[0]


def say(words: Words, key: str, lang: str, **values: object) -> str:
    """``words[key]`` in ``lang``, with ``{name}`` fields filled from ``values``."""
    text = pick(words[key], lang)
    return text.format(**values) if values else text


def number(x: float, *, sign: bool = False) -> str:
    """Three significant digits; whole numbers with thousands separators from 1,000 up;
    no exponent for ordinary magnitudes; "–" when there is no value."""
    if x is None or not math.isfinite(x):
        return "–"
    if abs(x) >= 1000:
        return f"{x:+,.0f}" if sign else f"{x:,.0f}"
    text = f"{x:+.3g}" if sign else f"{x:.3g}"
    if "e" in text and abs(x) >= 1e-4:
        text = f"{x:+.6f}".rstrip("0") if sign else f"{x:.6f}".rstrip("0")
    return text


def percent(x: float, *, sign: bool = False) -> str:
    """A percentage (``x`` already in percent): whole from 10% up, one decimal below."""
    if x is None or not math.isfinite(x):
        return "–"
    digits = 0 if abs(x) >= 10 else 1
    return f"{x:+.{digits}f}%" if sign else f"{x:.{digits}f}%"


def interval(low: float, high: float, *, sign: bool = False) -> str:
    """'low – high' of a confidence interval."""
    return f"{number(low, sign=sign)} – {number(high, sign=sign)}"


WINDOW: Words = {
    "window": ("the last {days} days", "最后{days}天"),
    "window_mean": ("mean over the last {days} days of each run", "每次运行最后{days}天均值"),
}


def window(lang: str, days: int, key: str = "window") -> str:
    """'the last 90 days' / '最后90天' (or, with ``key="window_mean"``, the mean over them)."""
    return say(WINDOW, key, lang, days=days)
