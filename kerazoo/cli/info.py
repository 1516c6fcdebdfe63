"""``kerazoo info NAME [--json] [--build]``: what a model is, its defaults, size and where its weights are.

    $ kerazoo info lstm_mnist
    ...
    shipped_num_params 81674
    num_params         not counted: `kerazoo info lstm_mnist --build` builds the model to count them
    weights            clone: /.../saved_models/lstm_mnist

It reads the registry and the model's card only, so it answers without
importing Keras. ``--build`` also builds the model with the defaults shown
(Keras and its backend are imported, a few seconds) to count its parameters
and check it against cuDNN's conditions: ``kerazoo.model_info(NAME)``.
"""

import json

import kerazoo
from kerazoo.registry import spec_info


def weights(name) -> dict:
    """Where the trained weights of ``name`` are, or where they will be fetched from."""
    from kerazoo import hub, zoo

    try:
        where = zoo.locate(name)
    except FileNotFoundError:
        return {"source": None, "note": f"none published; train with `kerazoo train {name}`"}
    if where.source == "hub":
        return {"source": "hub", "url": hub.url_of(name, "model.keras"),
                "note": f"not downloaded yet: fetched into {where.folder} on first use, "
                        f"or now with `kerazoo download {name}`"}
    return {"source": where.source, "folder": str(where.folder)}


def shipped_num_params(name):
    """The parameter count on the trained model's card (None: no trained model)."""
    from kerazoo import zoo

    try:
        return zoo.read_card(name).get("num_params")
    except FileNotFoundError:
        return None


def add_parser(subparsers):
    parser = subparsers.add_parser("info", help="describe a registered model")
    parser.add_argument("name")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--build", action="store_true",
                        help="build the model to count its parameters and check cuDNN "
                             "eligibility (imports Keras)")
    parser.set_defaults(run=run)


def run(args):
    described = kerazoo.model_info(args.name) if args.build else spec_info(args.name)
    info = {**described, "shipped_num_params": shipped_num_params(args.name),
            "weights": weights(args.name)}
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    where = info.pop("weights")
    for key, value in info.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items())
        print(f"{key:<18} {value}")
    if not args.build:
        print(f"{'num_params':<18} not counted: `kerazoo info {args.name} --build` builds "
              "the model to count them")
    place = where.get("folder") or where.get("url") or ""
    print(f"{'weights':<18} " + "; ".join(filter(None, [
        f"{where['source'] or 'none'}{': ' + place if place else ''}", where.get("note")])))
    return 0
