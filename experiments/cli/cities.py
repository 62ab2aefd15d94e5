"""``sanzhi cities``: the five city scenarios run and compared in one bilingual report."""

from __future__ import annotations

import argparse
from pathlib import Path

from experiments.claims import ADJUSTMENTS, HOLM
from experiments.cli import options
from experiments.executors import default_workers
from experiments.scenario import parse_assignments


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "cities",
        help="run the five city scenarios and compare them in English and Chinese",
        description="Run the scenarios of Kunshan, Handan, Jinchang, Suzhou and Zhongshan "
        "(scenarios/<city>.toml, each at its own scale) and compare them with Kunshan: "
        "levers.csv (the parameters in which they differ), with --attribute attribution.csv "
        "(which lever groups carry each difference), and per language a folder en/, "
        "zh/ with report.html, report.pdf, summary.csv, metrics.csv and PNG figures "
        "(docs/cities.md).",
    )
    p.add_argument("--out", required=True, help="report folder")
    p.add_argument(
        "--lang", choices=("en", "zh", "both"), default="both", help="report language(s) (both)"
    )
    p.add_argument("--replications", type=options.positive, help="replications of every city")
    options.add_workers(p)
    p.add_argument(
        "--adjust",
        choices=ADJUSTMENTS,
        default=HOLM,
        help="multiplicity control of the claims: holm (default) or bh",
    )
    p.add_argument(
        "--attribute",
        action="store_true",
        help="also swap each lever group in which a city differs into Kunshan alone, and all "
        "of them together, to see which groups carry each difference (attribution.csv and a "
        "part of the report): adds (groups + 1) runs of Kunshan's size per replication for "
        "each other city, 19 x replications with the library's files (docs/cities.md)",
    )
    p.add_argument("--no-pdf", action="store_true", help="skip report.pdf")
    options.add_overwrite(p)
    options.add_set(p)
    p.set_defaults(command=cmd_cities)


def cmd_cities(args: argparse.Namespace) -> int:
    # matplotlib (and WeasyPrint) only for this command
    from experiments.comparison.cities import compare_cities
    from experiments.comparison.report import WORDS, summary_lines
    from experiments.wording import say

    tables = compare_cities(
        args.out,
        lang=args.lang,
        replications=args.replications,
        overrides=parse_assignments(args.set or []),
        workers=args.workers or default_workers(),
        progress=True,
        command=options.command(),
        adjustment=args.adjust,
        pdf=not args.no_pdf,
        overwrite=args.overwrite,
        attribute=args.attribute,
    )
    out = Path(args.out)
    for lang, table in tables.items():
        for line in summary_lines(table, lang):
            print(line)
        html = out / lang / "report.html"
        if args.no_pdf:
            print(say(WORDS, "terminal_html", lang, html=html))
        else:
            print(say(WORDS, "terminal_files", lang, html=html, pdf=out / lang / "report.pdf"))
    return 0
