"""Rewrite the README's "Performance" block from a ``bench.md``.

The block sits between ``<!-- bench:start -->`` and ``<!-- bench:end -->``
(the markers ``kerazoo.markdown.replace_block`` uses for every generated block).

    >>> update_readme("README.md", "bench_out/bench.md")     # doctest: +SKIP
"""

import os

from kerazoo.markdown import replace_block

KEY = "bench"


def performance_block(bench_markdown, source="bench_out/bench.md"):
    """The README block's content: where it came from, then the ``bench.md`` tables."""
    folder = os.path.dirname(source) or "."
    return (f"Generated from `{folder}/bench.csv` by `kerazoo bench --output {folder} "
            "--report-only --update-readme README.md`.\n\n"
            + bench_markdown.replace("\n### ", "\n#### "))


def update_readme(readme_path, bench_md_path):
    """Replace the ``bench`` block of ``readme_path`` with the tables of ``bench_md_path``."""
    with open(bench_md_path) as f:
        bench_markdown = f.read()
    with open(readme_path) as f:
        text = f.read()
    text = replace_block(text, KEY, performance_block(bench_markdown, str(bench_md_path)))
    with open(readme_path, "w") as f:
        f.write(text)
