"""The README's generated blocks: model table (registry) and results table (cards).

Blocks sit between ``<!-- KEY:start -->`` and ``<!-- KEY:end -->`` markers and
are rewritten by ``kerazoo results --update-readme README.md``; a test fails
when the README differs from what this module generates.
"""

from kerazoo.registry import get_spec, list_models, model_info


def replace_block(text, key, content):
    """``text`` with the block between the ``key`` markers replaced by ``content``."""
    start, end = f"<!-- {key}:start -->", f"<!-- {key}:end -->"
    if start not in text or end not in text:
        raise ValueError(f"README has no {start} ... {end} block")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{content.rstrip()}\n{end}{tail}"


def markdown_table(rows):
    """Rows (dicts with the same keys) as a Markdown table."""
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(row[h]) for h in header) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def models_markdown():
    """Every registered model with its task, input, size and cuDNN eligibility."""
    rows = []
    for name in list_models():
        info, spec = model_info(name), get_spec(name)
        rows.append({
            "model": f"`{name}`",
            "task": spec.task,
            "input": "×".join("T" if d is None else str(d) for d in spec.input_shape),
            "params": f"{info['num_params']:,}",
            "cuDNN": "yes" if info["cudnn_eligible"] else "no",
            "description": spec.description,
        })
    return markdown_table(rows)


def update_readme_text(text):
    """``text`` with the models, results and published-artifacts blocks regenerated."""
    from kerazoo.export.cards import results_markdown
    from kerazoo.hub_index import artifacts_markdown

    text = replace_block(text, "models", models_markdown())
    text = replace_block(text, "artifacts", artifacts_markdown())
    return replace_block(text, "results", results_markdown())
