"""``kerazoo info NAME [--json]``: what a model is, its defaults, size and where its weights are.

    $ kerazoo info lstm_mnist
    ...
    weights         clone: /.../saved_models/lstm_mnist
"""

import json

import kerazoo


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


def add_parser(subparsers):
    parser = subparsers.add_parser("info", help="describe a registered model")
    parser.add_argument("name")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=run)


def run(args):
    info = {**kerazoo.model_info(args.name), "weights": weights(args.name)}
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    where = info.pop("weights")
    for key, value in info.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items())
        print(f"{key:<15} {value}")
    place = where.get("folder") or where.get("url") or ""
    print(f"{'weights':<15} " + "; ".join(filter(None, [
        f"{where['source'] or 'none'}{': ' + place if place else ''}", where.get("note")])))
    return 0
