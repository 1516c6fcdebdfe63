"""The README's generated blocks: model table (registry) and results table (cards).

Blocks sit between ``<!-- KEY:start -->`` and ``<!-- KEY:end -->`` markers and
are rewritten by ``kerazoo results --update-readme README.md``; a test fails
when the README differs from what this module generates.
"""

from kerazoo.markdown import markdown_table, replace_block
from kerazoo.registry import get_spec, list_models, model_info


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
    from kerazoo.cards import results_markdown
    from kerazoo.hub_index import artifacts_markdown

    text = replace_block(text, "models", models_markdown())
    text = replace_block(text, "artifacts", artifacts_markdown())
    return replace_block(text, "results", results_markdown())
