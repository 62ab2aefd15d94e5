"""The layout holds: the import contracts (pyproject.toml, [tool.importlinter]) are kept, and
importing the packages sets nothing and loads nothing a task does not need."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = 6  # [[tool.importlinter.contracts]] in pyproject.toml


def python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_import_contracts_are_kept():
    result = python(
        """
        import sys
        from importlinter.cli import lint_imports
        sys.exit(lint_imports(config_filename="pyproject.toml", no_cache=True, no_logo=True))
        """
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {CONTRACTS} kept, 0 broken." in result.stdout


def test_the_contract_catches_an_import_up_the_ladder(tmp_path):
    """A checker that passes everything would pass the test above: plant a breach."""
    breach = ROOT / "experiments" / "runner_breach_probe.py"
    breach.write_text("from experiments.sweeps import job  # noqa: F401\n")
    config = tmp_path / "contracts.toml"
    layers = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    config.write_text(
        layers.replace('    "runner",\n', '    "runner | runner_breach_probe",\n'), encoding="utf-8"
    )
    try:
        result = python(
            f"""
            import sys
            from importlinter.cli import lint_imports
            sys.exit(lint_imports(config_filename={str(config)!r}, no_cache=True, no_logo=True))
            """
        )
    finally:
        breach.unlink()
    assert result.returncode != 0
    assert "runner_breach_probe" in result.stdout


def test_a_lesson_scenario_loads_without_salib_or_matplotlib():
    """The dashboard loads scenarios; that must not drag in the sweep machinery's SALib."""
    result = python(
        """
        import sys
        from experiments.scenario import load_scenario
        load_scenario("scenarios/moral_bank.toml")
        heavy = sorted({m.split(".")[0] for m in sys.modules} & {"SALib", "matplotlib", "dask"})
        print(heavy)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_importing_every_module_sets_nothing_global():
    """No backend chosen, no rcParams changed, no umask flipped at import."""
    result = python(
        """
        import importlib, os, pkgutil
        import matplotlib
        before = dict(matplotlib.rcParams)
        backend = matplotlib.rcParams._get_backend_or_none()
        mask = os.umask(0o022); os.umask(mask)
        for package in ("sim", "experiments", "dashboards"):
            root = importlib.import_module(package)
            for info in pkgutil.walk_packages(root.__path__, package + "."):
                if not info.name.endswith("__main__"):
                    importlib.import_module(info.name)
        changed = {k for k, v in matplotlib.rcParams.items() if before.get(k) != v}
        assert not changed, changed
        assert matplotlib.rcParams._get_backend_or_none() == backend
        now = os.umask(0o022); os.umask(now)
        assert now == mask
        print("ok")
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
