"""Matplotlib figures for the dashboard (Agg, no pyplot state): grid map, network, trends,
the compare chart.

Each figure is a plain ``matplotlib.figure.Figure`` drawn by its own ``FigureCanvasAgg``,
never registered with pyplot, so no backend is chosen and nothing is set at import. Fonts
reach a figure only while it is built and drawn, from
:func:`experiments.plotting.figure_style` (Chinese labels need a CJK font). Every figure is
drawn in the shape of the screen it goes to (:data:`LAYOUTS`: a laptop, a phone, a
projector in presenter mode), with fonts large enough to read there.
"""

from __future__ import annotations

import hashlib
import io
import math
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
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

from .cards import Quantity
from .i18n import change_label, quantity_label, t
from .state import DashboardModel, grid_values

COLOURS = {"a": "#d95f02", "b": "#1b9e77", "current": "#1f5fa8", "previous": "#9a9a9a"}
STAFF = {  # channel -> (legend key, marker, colour)
    Channel.GRID: ("legend_grid_worker", "s", "#1f5fa8"),
    Channel.LEGAL: ("legend_legal", "P", "#7b3294"),
    Channel.SOCIAL: ("legend_social", "^", "#1b9e77"),
    Channel.AGENDA: ("legend_party", "*", "#c51b1b"),
}

# A figure's shape per screen: (width, height) in inches, dots per inch, font scale. A phone
# has a narrow screen at two to three device pixels per CSS pixel; a projector is seen from
# the back of the room.
LAYOUTS = ("classic", "wide", "phone", "presenter")
SIZES: dict[str, dict[str, tuple[float, float]]] = {
    "map": {
        "classic": (5.4, 4.0),
        "wide": (5.4, 4.0),
        "phone": (4.4, 3.9),
        "presenter": (6.2, 4.4),
    },
    "network": {
        "classic": (5.6, 4.0),
        "wide": (5.6, 4.0),
        "phone": (4.4, 5.0),
        "presenter": (6.2, 4.4),
    },
    "series": {
        "classic": (10.8, 4.6),
        "wide": (10.8, 4.6),
        "phone": (4.4, 7.8),
        "presenter": (12.4, 5.6),
    },
    "compare": {
        "classic": (10.8, 7.2),
        "wide": (17.0, 5.4),
        "phone": (4.4, 13.0),
        "presenter": (17.0, 5.4),
    },
}
DPI = {"classic": 90, "wide": 90, "phone": 150, "presenter": 100}
FONT = {"classic": 1.0, "wide": 1.0, "phone": 1.1, "presenter": 1.45}


def figure_png(fig: Figure, dpi: float = 90) -> bytes:
    """A one-off figure as PNG; call inside ``figure_language``."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def compose(rows: Sequence[Sequence[bytes]]) -> bytes:
    """PNG images laid out as on the page: each row side by side, rows one under another,
    on white (the slide export)."""
    images = [[PIL.Image.open(io.BytesIO(png)).convert("RGB") for png in row] for row in rows]
    width = max(sum(im.width for im in row) for row in images)
    height = sum(max(im.height for im in row) for row in images)
    sheet = PIL.Image.new("RGB", (width, height), "white")
    y = 0
    for row in images:
        x = (width - sum(im.width for im in row)) // 2
        for im in row:
            sheet.paste(im, (x, y))
            x += im.width
        y += max(im.height for im in row)
    buf = io.BytesIO()
    sheet.save(buf, format="png")
    return buf.getvalue()


def _colourbar(
    fig: Figure, cax: Axes, norm: Normalize, cmap: Colormap, label: str, scale: float
) -> None:
    bar = fig.colorbar(matplotlib.cm.ScalarMappable(norm, cmap), cax=cax, orientation="horizontal")
    bar.set_label(label, fontsize=8 * scale)
    bar.ax.tick_params(labelsize=7 * scale)


# --- Live plots: a persistent figure per view whose static part (axes, ticks, titles,
# edges, outlines) is drawn once and kept as a bitmap; each step restores that bitmap and
# draws only the artists that changed (Agg blitting), then encodes the PNG. A full redraw
# happens only when the static part changes (language, layout, axis range, model rebuilt).


class LivePlot(ABC):
    """Base class: subclasses implement ``static_key``, ``build`` and ``update``, each taking
    the arguments of :meth:`render` followed by the layout and the language the figure is
    drawn in."""

    kind = "map"  # its row of SIZES

    def __init__(self) -> None:
        self.fig = Figure(figsize=SIZES[self.kind]["classic"], dpi=DPI["classic"])
        self.canvas = FigureCanvasAgg(self.fig)
        self.key: object = None
        self.background = None
        self.dynamic: list = []
        self.full_redraws = 0
        self.scale = 1.0
        self.lang = "en"

    def render(self, *args: Any, layout: str = "classic", lang: str) -> bytes:
        """The view as PNG; ``args`` (then the layout and language) go to the subclass."""
        rc, shown = figure_style(lang)  # shown: English if Chinese has no font
        self.lang = lang
        args = (*args, layout, shown)
        key = (layout, self.static_key(*args))
        if key != self.key:
            # Fonts are looked up when text is drawn, so the full draw runs with the
            # language's fonts; the changing texts keep theirs for the blitted frames, which
            # run outside the rc_context (under Solara, entering one costs about 3 ms).
            with matplotlib.rc_context(rc):
                self.fig.clear()
                self.fig.set_size_inches(*SIZES[self.kind][layout])
                self.fig.set_dpi(DPI[layout])
                self.scale = FONT[layout]
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

    def export(self, dpi: float = 2 * DPI["classic"]) -> bytes:
        """The figure as last rendered, as a PNG at ``dpi``: for slides."""
        rc, _ = figure_style(self.lang)
        buf = io.BytesIO()
        with matplotlib.rc_context(rc):
            for artist in self.dynamic:  # savefig leaves animated artists out
                artist.set_animated(False)
            try:
                self.fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
            finally:
                for artist in self.dynamic:
                    artist.set_animated(True)
        self.key = None  # savefig resized the canvas: the next frame redraws in full
        return buf.getvalue()

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
    "escalations": ("RdYlGn_r", (0.0, 30.0)),
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

    kind = "map"

    def static_key(self, model: DashboardModel, metric: str, layout: str, lang: str) -> object:
        return (id(model), metric, lang)

    def build(self, model: DashboardModel, metric: str, layout: str, lang: str) -> None:
        cmap_name, (lo, hi) = MAP_STYLE[metric]
        self.cmap = matplotlib.colormaps[cmap_name]
        self.norm = Normalize(lo, hi, clip=True)
        self.decimals = 2 if hi <= 2 else 1
        grids = model.layout
        pos = _tile_positions(grids)
        ax = self.fig.add_axes((0.02, 0.2, 0.96, 0.78))
        labels = grids.n_grids <= 12  # names and staffing only while they stay readable
        self.tiles, self.values = self._tiles(
            ax, pos, model.grid_teams.workers_per_grid(), labels, lang, self.scale
        )
        self._communities(ax, grids, pos, labels, lang, self.scale)
        ax.set_xlim(pos[:, 0].min() - 0.15, pos[:, 0].max() + 1.1)
        ax.set_ylim(pos[:, 1].min() - 0.15, pos[:, 1].max() + 1.35)
        ax.set_aspect("equal")
        ax.axis("off")
        cax = self.fig.add_axes((0.15, 0.12, 0.7, 0.03))
        _colourbar(self.fig, cax, self.norm, self.cmap, t(f"map_{metric}", lang), self.scale)
        self.dynamic = self.tiles + self.values

    @staticmethod
    def _tiles(
        ax: Axes, pos: np.ndarray, staff: np.ndarray, labels: bool, lang: str, scale: float
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
                ax.text(x + 0.47, y + 0.84, name, fontsize=8 * scale, color="#222", **text)
                workers = f"{staff[g]:.2g} {t('workers_per_grid', lang)}"
                ax.text(x + 0.47, y + 0.13, workers, fontsize=7 * scale, color="#333", **text)
            if len(pos) <= 40:
                size = (12 if labels else 8) * scale
                value = ax.text(
                    x + 0.47, y + 0.49, "", fontsize=size, weight="bold", color="#111", **text
                )
                values.append(value)
        return tiles, values

    @staticmethod
    def _communities(
        ax: Axes, layout: Layout, pos: np.ndarray, labels: bool, lang: str, scale: float
    ) -> None:
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
                ax.text(x0 - 0.05, y1 + 0.1, name, fontsize=8 * scale, va="bottom", color="#333")

    def update(self, model: DashboardModel, metric: str, layout: str, lang: str) -> None:
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

    kind = "network"

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

    def static_key(
        self, model: DashboardModel, grid: int, colour_by: str, layout: str, lang: str
    ) -> object:
        return (id(model), grid, colour_by, lang)

    def build(
        self, model: DashboardModel, grid: int, colour_by: str, layout: str, lang: str
    ) -> None:
        households, pos, edges = self.cached = self.layout_for(model, grid)
        fig, scale = self.fig, self.scale
        narrow = layout == "phone"  # the legend goes below the network, in two columns
        box = (0.0, 0.3, 1.0, 0.69) if narrow else (0.0, 0.17, 0.62, 0.82)
        ax = fig.add_axes(box)
        ax.add_collection(LineCollection(pos[edges], colors="#c4c4c4", linewidths=0.5, zorder=1))
        # viridis has no red, so the red outlines of open issues stand out.
        self.cmap = matplotlib.colormaps["viridis"]
        self.scatters = self._households(ax, pos, model.households.party_member[households])
        self.queues, self.counts, handles = self._staff(ax, model, lang, scale)
        fig.legend(
            handles=handles + self._household_keys(lang),
            loc="upper center" if narrow else "center left",
            bbox_to_anchor=(0.5, 0.25) if narrow else (0.62, 0.55),
            ncols=2 if narrow else 1,
            fontsize=8 * scale,
            frameon=False,
            labelspacing=0.6 if narrow else 1.0,
        )
        ax.set_xlim(-1.6, 1.6)
        ax.set_ylim(-1.55, 1.45)
        ax.set_aspect("equal")
        ax.axis("off")
        cax = fig.add_axes((0.2, 0.27, 0.6, 0.02) if narrow else (0.08, 0.12, 0.48, 0.03))
        _colourbar(fig, cax, Normalize(0.3, 0.9), self.cmap, t(f"net_{colour_by}", lang), scale)
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
    def _staff(ax: Axes, model: DashboardModel, lang: str, scale: float) -> tuple[dict, dict, list]:
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
                fontsize=9 * scale,
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

    def update(
        self, model: DashboardModel, grid: int, colour_by: str, layout: str, lang: str
    ) -> None:
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


# --- Trends: small multiples of a list of quantities over the days.


def smooth(values: np.ndarray, quantity: Quantity) -> np.ndarray:
    """Counts per day, and shares of a day's time, are noisy: show their trailing 30-day
    mean."""
    metric = REGISTRY[quantity.metric]
    noisy = metric.kind == "count" or metric.unit == "share of time"
    if quantity.per or not noisy or values.size < 2:
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


def axis_range(quantity: Quantity, values: Sequence[np.ndarray]) -> tuple[float, float]:
    """The y range of a panel. A bounded metric (a share, a 0-1 scale) always shows its
    whole range, so that a change of 0.0004 looks like what it is; the others start at 0 and
    end at a round number above the largest value, with room to grow, so that the range
    rarely changes (a change means a full redraw)."""
    if quantity.bounded is not None:
        return quantity.bounded
    finite = np.concatenate([v[np.isfinite(v)] for v in values]) if values else np.array([])
    top = float(finite.max()) if finite.size else 0.0
    return (0.0, _nice_ceiling(max(1.5 * top, 1.0)))  # at least 0-1, even when all zero


X_BLOCK = 365  # the x axis grows a year at a time: a change of range is a full redraw
GRID = {  # rows, columns of panels
    "series": {"classic": (2, 3), "wide": (2, 3), "phone": (3, 2), "presenter": (2, 3)},
    "compare": {"classic": (3, 3), "wide": (2, 5), "phone": (5, 2), "presenter": (2, 5)},
}


def _panels(fig: Figure, kind: str, layout: str) -> list[Axes]:
    rows, cols = GRID[kind][layout]
    axes = list(fig.subplots(rows, cols).ravel())
    top = 0.9 if kind == "compare" else 0.93
    if layout == "phone":
        fig.subplots_adjust(left=0.11, right=0.97, top=top, bottom=0.06, wspace=0.35, hspace=0.6)
    else:
        fig.subplots_adjust(left=0.05, right=0.99, top=top, bottom=0.1, wspace=0.22, hspace=0.5)
    return axes


def _style_panel(ax: Axes, title: str, xmax: float, limits: tuple[float, float], scale: float):
    ax.set_title(title, fontsize=10 * scale)
    ax.set_xlim(0, xmax)
    ax.set_ylim(*limits)
    ax.tick_params(labelsize=8 * scale)
    ax.grid(alpha=0.3)


def _xmax(days: int) -> int:
    return X_BLOCK * max(1, math.ceil(days / X_BLOCK))


class _Limits:
    """Axis ranges that only grow within a run (a fresh run starts over)."""

    def __init__(self) -> None:
        self.limits: dict[str, tuple[float, float]] = {}

    def get(self, quantity: Quantity, values: Sequence[np.ndarray]) -> tuple[float, float]:
        wanted = axis_range(quantity, values)
        old = self.limits.get(quantity.key)
        if old is not None and old[1] >= wanted[1]:
            return old
        self.limits[quantity.key] = wanted
        return wanted


Marks = tuple[tuple[int, tuple[tuple[str, Any], ...]], ...]  # (record day, changed values)
MARK_COLOUR = "#b2182b"
MARK_LABEL_CHARS = 34  # a panel's height at the smallest font; longer labels are cut


def marks_of(shown: Sequence[tuple[int, Mapping[str, Any], Any]]) -> Marks:
    """The marks as the series plot takes them (hashable: they are part of its static key)."""
    return tuple((int(day), tuple(values.items())) for day, values, *_ in shown)


class SeriesPlot(LivePlot):
    """Small multiples of the live run's quantities; the previous run (after a replay or a
    rewind) dashed; each lever change a dotted vertical line labelled with the change."""

    kind = "series"

    def __init__(self) -> None:
        super().__init__()
        self.ranges = _Limits()

    def static_key(
        self,
        quantities: tuple[Quantity, ...],
        current: dict[str, np.ndarray],
        previous: dict[str, np.ndarray] | None,
        prev_id: int,
        marks: Marks,
        layout: str,
        lang: str,
    ) -> object:
        days = max((v.size for v in current.values()), default=0)
        if days <= 1 and previous is None:  # a fresh run: axis ranges start over
            self.ranges = _Limits()
        self._smoothed = {q.key: smooth(current[q.key], q) for q in quantities}
        prev = {q.key: smooth(previous[q.key], q) for q in quantities if q.key in (previous or {})}
        limits = tuple(
            self.ranges.get(q, [self._smoothed[q.key], *([prev[q.key]] if q.key in prev else [])])
            for q in quantities
        )
        self._prev = prev
        return (lang, _xmax(days), limits, prev_id, marks, tuple(q.key for q in quantities))

    def build(self, quantities, current, previous, prev_id, marks, layout, lang) -> None:
        _, xmax, limits, *_ = self.static_key(
            quantities, current, previous, prev_id, marks, layout, lang
        )
        axes = _panels(self.fig, "series", layout)
        self.lines = []
        for ax, q, lim in zip(axes, quantities, limits, strict=False):
            if q.key in self._prev:
                ax.plot(
                    self._prev[q.key],
                    color=COLOURS["previous"],
                    linestyle="--",
                    linewidth=1.3 * self.scale,
                    label=t("previous_run", lang),
                )
            (line,) = ax.plot(
                [],
                [],
                color=COLOURS["current"],
                linewidth=1.8 * self.scale,
                label=t("current_run", lang),
            )
            self.lines.append((q.key, line))
            _style_panel(ax, quantity_label(q, lang), xmax, lim, self.scale)
            ax.set_xlabel(t("days_axis", lang), fontsize=8 * self.scale, labelpad=1)
            self._marks(ax, marks, lang)
        for ax in axes[len(quantities) :]:
            ax.axis("off")
        if self._prev:
            axes[0].legend(fontsize=7 * self.scale, loc="upper left", frameon=False)
        self.dynamic = [line for _, line in self.lines]

    def _marks(self, ax: Axes, marks: Marks, lang: str) -> None:
        for day, values in marks:
            ax.axvline(day, color=MARK_COLOUR, linestyle=":", linewidth=1.2 * self.scale)
            label = change_label(dict(values), lang, MARK_LABEL_CHARS)
            ax.text(
                day,
                0.97,
                label,
                transform=ax.get_xaxis_transform(),
                rotation=90,
                ha="right",
                va="top",
                fontsize=6.5 * self.scale,
                color=MARK_COLOUR,
                bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 0.6},
            )

    def update(self, quantities, current, previous, prev_id, marks, layout, lang) -> None:
        for key, line in self.lines:
            y = self._smoothed[key]
            line.set_data(np.arange(y.size), y)


class ComparePlot(LivePlot):
    """Settings A and B on the same axes, one panel per quantity (blitted like the live
    plots, so that Play in Compare costs about as much as Play in Live)."""

    kind = "compare"

    def __init__(self) -> None:
        super().__init__()
        self.ranges = _Limits()

    def static_key(
        self,
        quantities: tuple[Quantity, ...],
        series: dict[str, dict[str, np.ndarray]],
        labels: tuple[str, str],
        layout: str,
        lang: str,
    ) -> object:
        days = max((v.size for s in series.values() for v in s.values()), default=0)
        if days <= 1:
            self.ranges = _Limits()
        self._smoothed = {
            q.key: {side: smooth(v, q) for side, v in series[q.key].items()} for q in quantities
        }
        limits = tuple(self.ranges.get(q, list(self._smoothed[q.key].values())) for q in quantities)
        return (lang, _xmax(days), limits, labels, tuple(q.key for q in quantities))

    def build(self, quantities, series, labels, layout, lang) -> None:
        _, xmax, limits, _, _ = self.static_key(quantities, series, labels, layout, lang)
        axes = _panels(self.fig, "compare", layout)
        self.lines = []
        for ax, q, lim in zip(axes, quantities, limits, strict=False):
            for side in ("a", "b"):
                (line,) = ax.plot([], [], color=COLOURS[side], linewidth=1.8 * self.scale)
                self.lines.append((q.key, side, line))
            _style_panel(ax, quantity_label(q, lang), xmax, lim, self.scale)
        for ax in axes[len(quantities) :]:
            ax.axis("off")
        handles = [
            Line2D([], [], color=COLOURS[side], linewidth=2.2, label=label)
            for side, label in zip(("a", "b"), labels, strict=True)
        ]
        self.fig.legend(
            handles=handles,
            loc="upper center",
            ncols=2,
            fontsize=9 * self.scale,
            frameon=False,
            bbox_to_anchor=(0.5, 1.0),
        )
        self.dynamic = [line for *_, line in self.lines]

    def update(self, quantities, series, labels, layout, lang) -> None:
        for key, side, line in self.lines:
            y = self._smoothed[key][side]
            line.set_data(np.arange(y.size), y)
