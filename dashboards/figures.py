"""Matplotlib figures for the dashboard (Agg, no pyplot state): grid map, network, series.

Each figure is a plain ``matplotlib.figure.Figure`` drawn by its own ``FigureCanvasAgg``,
never registered with pyplot, so no backend is chosen and nothing is set at import. Fonts
reach a figure only while it is built and drawn, from
:func:`experiments.plotting.figure_style` (Chinese labels need a CJK font). The network
layout is the expensive part and is computed once per model network (see
:func:`network_layout`).
"""

from __future__ import annotations

import hashlib
import io
import math
from abc import ABC, abstractmethod
from typing import Any

import matplotlib
import networkx as nx
import numpy as np
import PIL.Image
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import Colormap, Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from experiments.plotting import figure_style
from sim.issues import Channel
from sim.layout import Layout
from sim.metrics import REGISTRY

from .i18n import metric_label, t
from .state import DashboardModel, grid_values

DPI = 90
COLOURS = {"a": "#d95f02", "b": "#1b9e77", "current": "#1f5fa8", "previous": "#9a9a9a"}
STAFF = {  # channel -> (legend key, marker, colour)
    Channel.GRID: ("legend_grid_worker", "s", "#1f5fa8"),
    Channel.LEGAL: ("legend_legal", "P", "#7b3294"),
    Channel.SOCIAL: ("legend_social", "^", "#1b9e77"),
    Channel.AGENDA: ("legend_party", "*", "#c51b1b"),
}


def figure_png(fig: Figure) -> bytes:
    """A one-off figure (the compare chart) as PNG; call inside ``figure_language``."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def _colourbar(fig: Figure, cax: Axes, norm: Normalize, cmap: Colormap, label: str) -> None:
    bar = fig.colorbar(matplotlib.cm.ScalarMappable(norm, cmap), cax=cax, orientation="horizontal")
    bar.set_label(label, fontsize=8)
    bar.ax.tick_params(labelsize=7)


# --- Live plots: a persistent figure per view whose static part (axes, ticks, titles,
# edges, outlines) is drawn once and kept as a bitmap; each step restores that bitmap and
# draws only the artists that changed (Agg blitting), then encodes the PNG. A full redraw
# happens only when the static part changes (language, axis range, model rebuilt).


class LivePlot(ABC):
    """Base class: subclasses implement ``static_key``, ``build`` and ``update``, each taking
    the arguments of :meth:`render` followed by the language the figure is drawn in."""

    size = (5.4, 4.0)

    def __init__(self) -> None:
        self.fig = Figure(figsize=self.size, dpi=DPI)
        self.canvas = FigureCanvasAgg(self.fig)
        self.key: object = None
        self.background = None
        self.dynamic: list = []
        self.full_redraws = 0

    def render(self, *args: Any, lang: str) -> bytes:
        """The view as PNG; ``args`` (then the language) go to the subclass's methods."""
        rc, shown = figure_style(lang)  # shown: English if Chinese has no font
        args = (*args, shown)
        key = self.static_key(*args)
        if key != self.key:
            # Fonts are looked up when text is drawn, so the full draw runs with the
            # language's fonts; the changing texts keep theirs for the blitted frames, which
            # run outside the rc_context (under Solara, entering one costs about 3 ms).
            with matplotlib.rc_context(rc):
                self.fig.clear()
                self.dynamic = []
                self.build(*args)
                for artist in self.dynamic:
                    artist.set_animated(True)
                    if isinstance(artist, Text):  # numbers: one font file is enough
                        font = artist.get_fontproperties()
                        font.set_file(font_manager.findfont(font))
                self.canvas.draw()
            self.background = self.canvas.copy_from_bbox(self.fig.bbox)
            self.key = key
            self.full_redraws += 1
        self.update(*args)
        self.canvas.restore_region(self.background)
        for artist in self.dynamic:
            self.fig.draw_artist(artist)
        return self._png()

    def _png(self) -> bytes:
        width, height = self.canvas.get_width_height()
        image = PIL.Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba())
        buf = io.BytesIO()
        image.convert("RGB").save(buf, format="png", compress_level=1)
        return buf.getvalue()

    @abstractmethod
    def static_key(self, *args: Any) -> object:
        """What the static background depends on; a change redraws it in full."""

    @abstractmethod
    def build(self, *args: Any) -> None:
        """Draw the static background and create the dynamic artists."""

    @abstractmethod
    def update(self, *args: Any) -> None:
        """Update the dynamic artists for the current state."""


# --- Grid map

MAP_STYLE = {  # metric -> (colormap, colour range); red always means strain
    "trust": ("RdYlGn", (0.3, 0.9)),
    "norm": ("RdYlGn", (0.3, 0.9)),
    "backlog": ("RdYlGn_r", (0.0, 5.0)),
    "escalations": ("RdYlGn_r", (0.0, 60.0)),
}


def _tile_positions(layout) -> np.ndarray:
    """(x, y) of each grid tile: communities as square blocks of tiles, blocks in rows."""
    n_comm = layout.n_communities
    grids_in = np.bincount(layout.community_of_grid, minlength=n_comm)
    side = max(1, math.ceil(math.sqrt(grids_in.max())))
    rows_per_block = max(1, math.ceil(grids_in.max() / side))
    blocks_per_row = max(1, math.ceil(math.sqrt(n_comm * rows_per_block / side) * 1.3))
    pos = np.zeros((layout.n_grids, 2))
    first = np.searchsorted(layout.community_of_grid, np.arange(n_comm))
    for c in range(n_comm):
        bx = (c % blocks_per_row) * (side + 0.5)
        by = (c // blocks_per_row) * (rows_per_block + 0.7)
        for i in range(grids_in[c]):
            pos[first[c] + i] = (bx + i % side, -(by + i // side))
    return pos


class GridMapPlot(LivePlot):
    """Grids as tiles coloured by a per-grid aggregate; communities outlined."""

    def static_key(self, model: DashboardModel, metric: str, lang: str) -> object:
        return (id(model), metric, lang)

    def build(self, model: DashboardModel, metric: str, lang: str) -> None:
        cmap_name, (lo, hi) = MAP_STYLE[metric]
        self.cmap = matplotlib.colormaps[cmap_name]
        self.norm = Normalize(lo, hi, clip=True)
        self.decimals = 2 if hi <= 2 else 1
        layout = model.layout
        pos = _tile_positions(layout)
        ax = self.fig.add_axes((0.02, 0.2, 0.96, 0.78))
        labels = layout.n_grids <= 12  # names and staffing only while they stay readable
        self.tiles, self.values = self._tiles(
            ax, pos, model.grid_teams.workers_per_grid(), labels, lang
        )
        self._communities(ax, layout, pos, labels, lang)
        ax.set_xlim(pos[:, 0].min() - 0.15, pos[:, 0].max() + 1.1)
        ax.set_ylim(pos[:, 1].min() - 0.15, pos[:, 1].max() + 1.35)
        ax.set_aspect("equal")
        ax.axis("off")
        cax = self.fig.add_axes((0.15, 0.12, 0.7, 0.03))
        _colourbar(self.fig, cax, self.norm, self.cmap, t(f"map_{metric}", lang))
        self.dynamic = self.tiles + self.values

    @staticmethod
    def _tiles(
        ax: Axes, pos: np.ndarray, staff: np.ndarray, labels: bool, lang: str
    ) -> tuple[list, list]:
        """One tile per grid, recoloured each step, between two static labels (name above,
        staffing below); the value on the tile while there is room for it."""
        tiles, values = [], []
        text = {"ha": "center", "va": "center"}
        for g, (x, y) in enumerate(pos):
            tile = Rectangle(
                (x + 0.03, y + 0.24), 0.88, 0.5, facecolor="white", edgecolor="#666", linewidth=0.6
            )
            ax.add_patch(tile)
            tiles.append(tile)
            if labels:
                name = f"{t('grid_label', lang)} {g + 1}"
                ax.text(x + 0.47, y + 0.84, name, fontsize=8, color="#222", **text)
                workers = f"{staff[g]:.2g} {t('workers_per_grid', lang)}"
                ax.text(x + 0.47, y + 0.13, workers, fontsize=7, color="#333", **text)
            if len(pos) <= 40:
                size = 12 if labels else 8
                value = ax.text(
                    x + 0.47, y + 0.49, "", fontsize=size, weight="bold", color="#111", **text
                )
                values.append(value)
        return tiles, values

    @staticmethod
    def _communities(ax: Axes, layout: Layout, pos: np.ndarray, labels: bool, lang: str) -> None:
        """A thick outline around each community's tiles, named above its top-left corner."""
        for c in range(layout.n_communities):
            members = np.flatnonzero(layout.community_of_grid == c)
            x0, y0 = pos[members].min(axis=0)
            x1, y1 = pos[members].max(axis=0) + 0.94
            corner, width, height = (x0 - 0.07, y0 - 0.07), x1 - x0 + 0.14, y1 - y0 + 0.14
            ax.add_patch(
                Rectangle(corner, width, height, fill=False, edgecolor="#333", linewidth=2.0)
            )
            if labels:
                name = f"{t('community_label', lang)} {c + 1}"
                ax.text(x0 - 0.05, y1 + 0.1, name, fontsize=8, va="bottom", color="#333")

    def update(self, model: DashboardModel, metric: str, lang: str) -> None:
        values = grid_values(model, metric)
        for tile, v in zip(self.tiles, values, strict=True):
            tile.set_facecolor(self.cmap(self.norm(v)))
        for text, v in zip(self.values, values, strict=False):
            text.set_text(f"{v:.{self.decimals}f}")


# --- Network


def network_layout(model: DashboardModel, grid: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(households, xy positions in [-1, 1], edges as local index pairs) of one grid.

    The spring layout takes 0.1-0.5 s, so callers compute it once per network and grid.
    """
    layout = model.layout
    start, stop = int(layout.grid_start[grid]), int(layout.grid_start[grid + 1])
    sub = model.adjacency[start:stop, start:stop].tocoo()
    keep = sub.row < sub.col
    edges = np.column_stack([sub.row[keep], sub.col[keep]])
    graph = nx.Graph()
    graph.add_nodes_from(range(stop - start))
    graph.add_edges_from(map(tuple, edges.tolist()))
    xy = nx.spring_layout(graph, seed=1, iterations=60)
    pos = np.array([xy[i] for i in range(stop - start)])
    pos -= pos.mean(axis=0)
    pos /= max(np.abs(pos).max(), 1e-9)
    return np.arange(start, stop), pos, edges


STAFF_ANCHORS = {
    Channel.GRID: (-1.4, 0.0),
    Channel.LEGAL: (1.4, 0.0),
    Channel.SOCIAL: (0.0, 1.3),
    Channel.AGENDA: (0.0, -1.3),
}


class NetworkPlot(LivePlot):
    """One grid's households (spring layout, cached), coloured by norm or trust, with the
    staff who serve them and lines to the households waiting in each queue."""

    size = (5.6, 4.0)

    def __init__(self) -> None:
        super().__init__()
        self.layouts: dict[tuple, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def layout_for(self, model: DashboardModel, grid: int):
        # Replays rebuild the same network: key the layout by the grid's ties, not the model.
        layout = model.layout
        rows = model.adjacency[int(layout.grid_start[grid]) : int(layout.grid_start[grid + 1])]
        ties = hashlib.blake2b(rows.indices.tobytes() + rows.indptr.tobytes()).hexdigest()
        key = (grid, ties)
        if key not in self.layouts:
            if len(self.layouts) > 16:
                self.layouts.clear()
            self.layouts[key] = network_layout(model, grid)
        return self.layouts[key]

    def static_key(self, model: DashboardModel, grid: int, colour_by: str, lang: str) -> object:
        return (id(model), grid, colour_by, lang)

    def build(self, model: DashboardModel, grid: int, colour_by: str, lang: str) -> None:
        households, pos, edges = self.cached = self.layout_for(model, grid)
        fig = self.fig
        ax = fig.add_axes((0.0, 0.17, 0.62, 0.82))
        ax.add_collection(LineCollection(pos[edges], colors="#c4c4c4", linewidths=0.5, zorder=1))
        # viridis has no red, so the red outlines of open issues stand out.
        self.cmap = matplotlib.colormaps["viridis"]
        self.scatters = self._households(ax, pos, model.households.party_member[households])
        self.queues, self.counts, handles = self._staff(ax, model, lang)
        fig.legend(
            handles=handles + self._household_keys(lang),
            loc="center left",
            bbox_to_anchor=(0.62, 0.55),
            fontsize=8,
            frameon=False,
            labelspacing=1.0,
        )
        ax.set_xlim(-1.6, 1.6)
        ax.set_ylim(-1.55, 1.45)
        ax.set_aspect("equal")
        ax.axis("off")
        cax = fig.add_axes((0.08, 0.12, 0.48, 0.03))
        _colourbar(fig, cax, Normalize(0.3, 0.9), self.cmap, t(f"net_{colour_by}", lang))
        self.dynamic = (
            [sc for _, sc in self.scatters]
            + list(self.queues.values())
            + list(self.counts.values())
        )

    def _households(self, ax: Axes, pos: np.ndarray, party: np.ndarray) -> list[tuple]:
        """(mask, scatter) for the other households (dots) and party members (diamonds)."""
        scatters = []
        for mask, marker, size in ((~party, "o", 30), (party, "D", 28)):
            sc = ax.scatter(
                pos[mask, 0],
                pos[mask, 1],
                c=np.zeros(mask.sum()),
                cmap=self.cmap,
                vmin=0.3,
                vmax=0.9,
                s=size,
                marker=marker,
                linewidths=0.4,
                edgecolors="white",
                zorder=3,
            )
            scatters.append((mask, sc))
        return scatters

    @staticmethod
    def _staff(ax: Axes, model: DashboardModel, lang: str) -> tuple[dict, dict, list]:
        """A marker per staff channel with its queue lines and queue count (both redrawn each
        step), and the channel's legend entry; no legal advisor when there are none."""
        queues, counts, handles = {}, {}, []
        for channel, (key, marker, colour) in STAFF.items():
            if channel == Channel.LEGAL and not model.legal.available:
                continue
            x, y = STAFF_ANCHORS[channel]
            lines = LineCollection([], colors=colour, linewidths=0.9, alpha=0.6, zorder=2)
            ax.add_collection(lines)
            queues[channel] = lines
            ax.scatter([x], [y], marker=marker, s=240, c=colour, edgecolors="black", zorder=4)
            counts[channel] = ax.text(
                x,
                y - 0.2,
                "",
                ha="center",
                va="top",
                fontsize=9,
                weight="bold",
                color=colour,
                zorder=5,
            )
            handles.append(
                Line2D(
                    [],
                    [],
                    marker=marker,
                    linestyle="",
                    color=colour,
                    markersize=9,
                    markeredgecolor="black",
                    label=t(key, lang),
                )
            )
        return queues, counts, handles

    @staticmethod
    def _household_keys(lang: str) -> list[Line2D]:
        """Legend entries for a household with an open issue and a party-member household."""
        teal = "#21918c"  # viridis near the middle of the colour range
        return [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                color=teal,
                markersize=7,
                markeredgecolor="#e00000",
                markeredgewidth=1.8,
                label=t("legend_open_issue", lang),
            ),
            Line2D(
                [],
                [],
                marker="D",
                linestyle="",
                color=teal,
                markersize=6,
                label=t("legend_party_member", lang),
            ),
        ]

    def update(self, model: DashboardModel, grid: int, colour_by: str, lang: str) -> None:
        households, pos, _ = self.cached
        first, last = households[0], households[-1]
        pool = model.issues
        who, channel = pool.household, pool.channel
        here = (who >= first) & (who <= last) & (channel != Channel.CLOSED)
        local, chan = who[here] - first, channel[here]
        has_issue = np.zeros(households.size, bool)
        has_issue[local] = True
        values = getattr(model.households, colour_by)[households]
        for mask, sc in self.scatters:
            sc.set_array(values[mask])
            sc.set_edgecolors(np.where(has_issue[mask][:, None], RED, WHITE))
            sc.set_linewidths(np.where(has_issue[mask], 1.8, 0.4))
        for ch, lines in self.queues.items():
            waiting = local[chan == ch]
            anchor = np.broadcast_to(STAFF_ANCHORS[ch], (waiting.size, 2))
            lines.set_segments(np.stack([anchor, pos[waiting]], axis=1))
            self.counts[ch].set_text(str(waiting.size))


RED = np.array([0.88, 0.0, 0.0, 1.0])
WHITE = np.array([1.0, 1.0, 1.0, 1.0])


# --- Time series


def _smooth(values: np.ndarray, name: str) -> np.ndarray:
    """Counts per day are noisy: show their trailing 30-day mean."""
    if REGISTRY[name].kind != "count" or values.size < 2:
        return values
    kernel = np.ones(min(30, values.size))
    total = np.convolve(values, kernel)[: values.size]
    count = np.convolve(np.ones(values.size), kernel)[: values.size]
    return total / count


def _nice_ceiling(x: float) -> float:
    """The next of 1, 2, 5, 10, 20, 50, ... at or above ``x``."""
    if x <= 0:
        return 1.0
    base = 10 ** math.floor(math.log10(x))
    return next(m * base for m in (1, 2, 5, 10) if m * base >= x)


def _nice_limits(name: str, values: np.ndarray) -> tuple[float, float]:
    """Generous axis limits, so that they rarely change (a change means a full redraw)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return (0.0, 1.0)
    lo, hi = float(finite.min()), float(finite.max())
    if REGISTRY[name].unit in UNIT_SHARES and hi <= 1.0:
        lo = max(0.0, math.floor((lo - 0.05) * 10) / 10)
        hi = min(1.0, math.ceil((hi + 0.05) * 10) / 10)
        return (lo, hi + 0.02 if hi >= 1.0 else hi)
    top = _nice_ceiling(max(1.5 * hi, 1.0))  # at least 0-1, even for an all-zero series
    return (0.0, top) if lo >= 0 else (-_nice_ceiling(-1.5 * lo), top)


UNIT_SHARES = ("share", "0-1", "share of households", "share of time")
X_BLOCK = 120  # the x axis grows in blocks of 120 days


class SeriesPlot(LivePlot):
    """Small multiples of the key metrics; the previous run (after a lever change) dashed."""

    size = (10.8, 4.5)

    def __init__(self) -> None:
        super().__init__()
        self.limits: dict[str, tuple[float, float]] = {}

    def _limits(self, name, current, previous) -> tuple[float, float]:
        data = current if previous is None else np.concatenate([current, previous])
        old = self.limits.get(name)
        finite = data[np.isfinite(data)]
        if old is not None and finite.size and old[0] <= finite.min() and finite.max() <= old[1]:
            return old
        if not finite.size:  # no data yet: do not fix the range on nothing
            return (0.0, 1.0)
        self.limits[name] = _nice_limits(name, data)
        return self.limits[name]

    def static_key(
        self,
        current: dict[str, np.ndarray],
        previous: dict[str, np.ndarray] | None,
        prev_id: int,
        lang: str,
    ) -> object:
        days = max((v.size for v in current.values()), default=0)
        if days <= 1 and previous is None:  # a fresh run: axis ranges start over
            self.limits.clear()
        xmax = X_BLOCK * max(1, math.ceil(days / X_BLOCK))
        smoothed = {n: _smooth(v, n) for n, v in current.items()}
        prev = {n: _smooth(v, n) for n, v in (previous or {}).items()}
        limits = tuple(self._limits(n, smoothed[n], prev.get(n)) for n in current)
        self._smoothed = smoothed
        return (lang, xmax, limits, prev_id, tuple(current))

    def build(
        self,
        current: dict[str, np.ndarray],
        previous: dict[str, np.ndarray] | None,
        prev_id: int,
        lang: str,
    ) -> None:
        _, xmax, limits, _, names = self.static_key(current, previous, prev_id, lang)
        fig = self.fig
        axes = fig.subplots(2, 3).ravel()
        fig.subplots_adjust(left=0.05, right=0.99, top=0.93, bottom=0.1, wspace=0.22, hspace=0.5)
        self.lines = []
        for ax, name, (lo, hi) in zip(axes, names, limits, strict=False):
            if previous is not None and name in previous:
                ax.plot(
                    _smooth(previous[name], name),
                    color=COLOURS["previous"],
                    linestyle="--",
                    linewidth=1.3,
                    label=t("previous_run", lang),
                )
            (line,) = ax.plot(
                [], [], color=COLOURS["current"], linewidth=1.8, label=t("current_run", lang)
            )
            self.lines.append((name, line))
            ax.set_title(metric_label(name, lang), fontsize=10)
            ax.set_xlim(0, xmax)
            ax.set_ylim(lo, hi)
            ax.tick_params(labelsize=8)
            ax.grid(alpha=0.3)
            ax.set_xlabel(t("days_axis", lang), fontsize=8, labelpad=1)
        if previous is not None:
            axes[0].legend(fontsize=7, loc="upper left", frameon=False)
        self.dynamic = [line for _, line in self.lines]

    def update(
        self,
        current: dict[str, np.ndarray],
        previous: dict[str, np.ndarray] | None,
        prev_id: int,
        lang: str,
    ) -> None:
        for name, line in self.lines:
            y = self._smoothed[name]
            line.set_data(np.arange(y.size), y)


def compare_figure(
    series: dict[str, dict[str, np.ndarray]], labels: tuple[str, str], lang: str
) -> Figure:
    """Key metrics of settings A and B on the same axes (a fresh figure; close after use)."""
    names = list(series)
    fig = Figure(figsize=(10.8, 4.6), dpi=DPI)
    axes = fig.subplots(2, 3).ravel()
    fig.subplots_adjust(left=0.05, right=0.99, top=0.93, bottom=0.1, wspace=0.22, hspace=0.5)
    for ax, name in zip(axes, names, strict=False):
        for side, label in zip(("a", "b"), labels, strict=True):
            ax.plot(
                _smooth(series[name][side], name), color=COLOURS[side], linewidth=1.7, label=label
            )
        ax.set_title(metric_label(name, lang), fontsize=10)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
        ax.set_xlabel(t("days_axis", lang), fontsize=8, labelpad=1)
        ax.set_xlim(left=0)
    axes[0].legend(fontsize=7, loc="best", frameon=False)
    for ax in axes[len(names) :]:
        ax.axis("off")
    return fig
