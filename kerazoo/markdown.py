"""Markdown pieces every generated document uses: a table, and a block between markers.

    >>> print(markdown_table([{"model": "lstm_mnist", "accuracy": 0.98}]), end="")
    | model | accuracy |
    |---|---|
    | lstm_mnist | 0.98 |
    >>> print(replace_block("<!-- x:start -->old<!-- x:end -->", "x", "new"))
    <!-- x:start -->
    new
    <!-- x:end -->

Generated blocks sit between ``<!-- KEY:start -->`` and ``<!-- KEY:end -->``
(the README's models, results, artifacts and bench blocks).
"""


def replace_block(text, key, content):
    """``text`` with the block between the ``key`` markers replaced by ``content``."""
    start, end = f"<!-- {key}:start -->", f"<!-- {key}:end -->"
    if start not in text or end not in text:
        raise ValueError(f"README has no {start} ... {end} block")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{content.rstrip()}\n{end}{tail}"


def table(header, lines):
    """A Markdown table of ``header`` and ``lines`` (sequences of cell strings), no final newline."""
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(line) + " |" for line in lines]
    return "\n".join(out)


def markdown_table(rows):
    """Rows (dicts with the same keys) as a Markdown table."""
    header = list(rows[0])
    return table(header, [[str(row[h]) for h in header] for row in rows]) + "\n"
