"""Saved model states and forks (docs/timeline.md, "Saved states and forks").

A state file holds everything a run's future depends on: the parameters, every array and
queue of the model's parts, the random generators' states, the day and the series recorded
so far, under a format version and the model version (a digest of ``sim``'s source). A
model restored from it continues bit for bit as the saved one would have; given a seed, it
continues on that stream instead, so forks of one state with one seed share their random
numbers. A state is a pickle: load only files you made.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import zlib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from .model import GovernanceModel
from .params import Parameters
from .timeline import why_fixed

FORMAT = 2  # 2: the model's class is saved beside its parameters
MAGIC = b"SANZHI-STATE\n"
# Mesa's machinery and what is rebuilt from the rest: not saved.
REBUILT = frozenset(
    {
        "rng",
        "_rng",
        "random",
        "_seed",
        "_user_step",
        "step",
        "_agents",
        "_agents_by_type",
        "_all_agents",
        "_grid_workers",
        "_community_workers",
        "_residents_created",
        "_graph",
        "datacollector",
        "on_escalate",
    }
)


class StateError(ValueError):
    """A state file that cannot be continued here: another format or model version, or a
    structure other than the scenario's."""


@cache
def model_version() -> str:
    """A digest of the model's source (``sim/**/*.py``): states of other code are refused."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def structure(params: Parameters) -> dict[str, Any]:
    """The parameters a fork must share with its state: those that cannot change mid-run,
    apart from the run settings (``scenario.*``)."""
    return {
        key: value
        for key, value in params.flat().items()
        if not key.startswith("scenario.") and key != "timeline" and why_fixed(key)
    }


def save(model: GovernanceModel, path: str | Path) -> Path:
    """Write ``model``'s full state to ``path`` (written whole, then renamed)."""
    data = dumps(model)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path


def dumps(model: GovernanceModel) -> bytes:
    """``model``'s full state as the bytes of a state file (an in-memory snapshot).

    ``on_escalate`` listeners are not saved: those that are the model's own methods are
    made again by its class's constructor when it is loaded; any other is refused.
    """
    if any(getattr(f, "__self__", None) is not model for f in model.on_escalate):
        raise StateError("a model with on_escalate listeners cannot be saved")
    parts = {k: v for k, v in vars(model).items() if k not in REBUILT}
    body = io.BytesIO()
    # first: the model is built from them (and of its own class, a subclass say)
    pickle.dump((model.params, type(model)), body, protocol=5)
    _Pickler(body, model).dump(
        {
            "parts": parts,
            "rng": model.rng.bit_generator.state,
            "random": model.random.getstate(),
            "series": {k: list(v) for k, v in model.datacollector.model_vars.items()},
        }
    )
    header = {
        "format": FORMAT,
        "model_version": model_version(),
        "day": model.day,
        "record_day": model.record_day,
        "households": model.households.n,
    }
    out = io.BytesIO()
    out.write(MAGIC)
    pickle.dump(header, out, protocol=5)
    out.write(zlib.compress(body.getvalue(), 1))
    return out.getvalue()


def header(path: str | Path) -> dict[str, Any]:
    """What a state file says about itself (format, model version, day); checks both."""
    with Path(path).open("rb") as fh:
        return _header(fh, path)


def load(
    path: str | Path, params: Parameters | None = None, *, seed: int | None = None
) -> GovernanceModel:
    """The model saved in ``path``, ready to continue.

    With ``params`` (a fork), their structure must be the state's (:func:`structure`);
    their mid-run levers replace the state's from the saved day on (``model.apply``), their
    steps end the run, and their timeline's entries, none before the saved day, follow.
    With ``seed``, the continuation draws from that seed's stream, otherwise from the
    saved generator's.
    """
    return loads(Path(path).read_bytes(), params, seed=seed, source=path)


def loads(
    data: bytes,
    params: Parameters | None = None,
    *,
    seed: int | None = None,
    source: Any = "state",
) -> GovernanceModel:
    """The model of a state's bytes (:func:`dumps`), of the class it was saved from; as
    :func:`load` (``source`` names it in errors)."""
    fh = io.BytesIO(data)
    head = _header(fh, source)
    body = io.BytesIO(zlib.decompress(fh.read()))
    saved_params, cls = _params_and_class(pickle.load(body))
    model = cls(saved_params, rng=0)
    saved = _Unpickler(body, model).load()
    for name, value in saved["parts"].items():
        setattr(model, name, value)
    model.rng.bit_generator.state = saved["rng"]
    model.random.setstate(saved["random"])
    model._sync_staff_agents()
    model.datacollector.model_vars = {k: list(v) for k, v in saved["series"].items()}
    if seed is not None:
        model.rng = np.random.default_rng(seed)
        model.random.seed(seed)
    if params is not None:
        _fork(model, params, source, head)
    return model


def _params_and_class(first: Any) -> tuple[Parameters, type[GovernanceModel]]:
    params, cls = first
    if not (isinstance(cls, type) and issubclass(cls, GovernanceModel)):
        raise StateError(f"not a model class: {cls!r}")
    return params, cls


def check(path: str | Path, params: Parameters) -> dict[str, Any]:
    """:class:`StateError` unless a run of ``params`` can fork the state in ``path``; the
    state's header (day, versions) if it can."""
    path = Path(path)
    if not path.is_file():
        raise StateError(f"{path}: file not found")
    with path.open("rb") as fh:
        head = _header(fh, path)
        saved, _ = _params_and_class(pickle.load(io.BytesIO(zlib.decompress(fh.read()))))
    _check_fork(saved, params, path, head["record_day"])
    if head["record_day"] > params.scenario.steps:
        raise StateError(
            f"{path}: saved on day {head['record_day']}, after the run's "
            f"{params.scenario.steps} steps"
        )
    return head


def _check_fork(saved: Parameters, params: Parameters, path: Any, day: int) -> None:
    mine, theirs = structure(params), structure(saved)
    for key, value in mine.items():
        if theirs.get(key) != value:
            raise StateError(
                f"{path}: saved for another structure: {key} is {theirs.get(key)!r} there, "
                f"{value!r} here (a fork may change only what may change mid-run)"
            )
    early = [e for e in params.timeline if e.first_day < day]
    if early:
        raise StateError(
            f"{path}: saved on day {day}; the scenario's timeline has an entry on day "
            f"{early[0].first_day}, before it"
        )


def _fork(model: GovernanceModel, params: Parameters, path: Any, head: Mapping) -> None:
    day = head["record_day"]
    _check_fork(model.params, params, path, day)
    now, new = model.params.flat(), params.flat()
    levers = {k: v for k, v in new.items() if k != "timeline" and not why_fixed(k) and now[k] != v}
    if levers:
        model.apply(levers)  # logged in model.changes on the saved day
    base = model.params
    model.params = Parameters.replace(base, scenario=params.scenario, timeline=params.timeline)
    model.timeline = type(model.timeline).of(params)


def _header(fh: Any, path: Any) -> dict[str, Any]:
    if fh.read(len(MAGIC)) != MAGIC:
        raise StateError(f"{path}: not a Sanzhi state file")
    head = pickle.load(fh)
    if head.get("format") != FORMAT:
        raise StateError(
            f"{path}: state format {head.get('format')}, this model reads format {FORMAT}"
        )
    if head.get("model_version") != model_version():
        raise StateError(
            f"{path}: saved by model version {head.get('model_version')}, this is "
            f"{model_version()}; rerun to the day you need with this version"
        )
    return head


class _Pickler(pickle.Pickler):
    """Pickles the model's parts; the model they point back to is a placeholder."""

    def __init__(self, fh: Any, model: GovernanceModel) -> None:
        super().__init__(fh, protocol=5)
        self._model = model

    def persistent_id(self, obj: Any) -> str | None:
        return "model" if obj is self._model else None


class _Unpickler(pickle.Unpickler):
    """Unpickles the parts, pointing them back to the model they are loaded into."""

    def __init__(self, fh: Any, model: GovernanceModel) -> None:
        super().__init__(fh)
        self._model = model

    def persistent_load(self, pid: Any) -> Any:
        if pid != "model":
            raise pickle.UnpicklingError(f"unknown reference {pid!r}")
        return self._model


__all__ = [
    "FORMAT",
    "StateError",
    "check",
    "dumps",
    "header",
    "load",
    "loads",
    "model_version",
    "save",
    "structure",
]
