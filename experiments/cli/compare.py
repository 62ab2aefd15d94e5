"""``sanzhi compare``: a comparison report from scenario files and results folders."""

from __future__ import annotations

import argparse
from pathlib import Path

from experiments.claims import ADJUSTMENTS, HOLM
from experiments.cli import options
from experiments.executors import default_workers


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "compare",
        help="compare scenarios or results folders in a report",
        description="Compare scenario files (run now with their replications) and results "
        "folders of `sanzhi run` or `sanzhi sweep` (one group per sweep point), against a "
        "reference (default: the first input). Writes report.html, report.pdf (A4, a "
        "one-page policy brief first), summary.csv, metrics.csv and PNG figures.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="scenario file or results folder")
    p.add_argument("--out", required=True, help="report folder")
    options.add_lang(p)
    p.add_argument("--replications", type=options.positive, help="replications for scenario files")
    options.add_workers(p)
    p.add_argument(
        "--reference",
        metavar="INPUT",
        help="the group the others are compared with: an input as given, a scenario name or "
        "a group label (default: the first input)",
    )
    p.add_argument(
        "--adjust",
        choices=ADJUSTMENTS,
        default=HOLM,
        help="multiplicity control of the claims: holm (default; chance of any false claim "
        "at most 5%%) or bh (Benjamini-Hochberg; expected share of false claims at most 5%%)",
    )
    p.add_argument("--no-pdf", action="store_true", help="skip report.pdf")
    options.add_overwrite(p)
    p.add_argument(
        "--paired",
        action="store_true",
        help="run the scenario files as forks of the first one's warmed state on common "
        "random numbers; paired differences in paired.csv and time_to_effect.csv",
    )
    p.set_defaults(command=cmd_compare)


def cmd_compare(args: argparse.Namespace) -> int:
    # matplotlib (and WeasyPrint) only for this command
    from experiments.comparison.report import WORDS, compare, summary_lines
    from experiments.wording import say

    table = compare(
        args.inputs,
        args.out,
        lang=args.lang,
        replications=args.replications,
        workers=args.workers or default_workers(),
        progress=True,
        command=options.command(),
        reference=args.reference,
        adjustment=args.adjust,
        pdf=not args.no_pdf,
        overwrite=args.overwrite,
        paired=args.paired,
    )
    for line in summary_lines(table, args.lang):
        print(line)
    out = Path(args.out)
    html, pdf = out / "report.html", out / "report.pdf"
    if args.no_pdf:
        print(say(WORDS, "terminal_html", args.lang, html=html))
    else:
        print(say(WORDS, "terminal_files", args.lang, html=html, pdf=pdf))
    return 0
