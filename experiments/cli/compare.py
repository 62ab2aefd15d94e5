"""``sanzhi compare``: a comparison report from scenario files and results folders."""

from __future__ import annotations

import argparse
from pathlib import Path

from experiments.cli import options
from experiments.executors import default_workers
from sim import KEY_METRICS


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "compare",
        help="compare scenarios or results folders in a report",
        description="Compare scenario files (run now with their replications) and results "
        "folders of `sanzhi run` or `sanzhi sweep` (one group per sweep point). The first "
        "input is the reference. Writes report.html, summary.csv and PNG figures.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="scenario file or results folder")
    p.add_argument("--out", required=True, help="report folder")
    options.add_lang(p)
    p.add_argument("--replications", type=options.positive, help="replications for scenario files")
    options.add_workers(p)
    p.set_defaults(command=cmd_compare)


def cmd_compare(args: argparse.Namespace) -> int:
    from experiments.comparison.report import compare  # matplotlib only for this command

    table = compare(
        args.inputs,
        args.out,
        lang=args.lang,
        replications=args.replications,
        workers=args.workers or default_workers(),
        progress=True,
        command=options.command(),
    )
    groups = list(dict.fromkeys(table["group"]))
    print(f"compared {len(groups)} group(s); reference: {groups[0]}")
    for sentence in table.loc[table["metric"].isin(KEY_METRICS), "sentence"].dropna()[:12]:
        print(f"  {sentence}")
    print(f"report: {Path(args.out) / 'report.html'}")
    return 0
