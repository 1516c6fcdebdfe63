"""``kerazoo list [PATTERN] [--task TASK]``: registered model names, one a line."""

import sys

import kerazoo


def add_parser(subparsers):
    parser = subparsers.add_parser("list", help="list registered models")
    parser.add_argument("pattern", nargs="?", default="*",
                        help="shell-style pattern, e.g. '*lstm*'")
    parser.add_argument("--task", help="only models of this task")
    parser.set_defaults(run=run)


def run(args):
    names = kerazoo.list_models(args.pattern, task=args.task)
    for name in names:
        spec = kerazoo.get_spec(name)
        print(f"{name:<24} {spec.task:<16} {spec.description}")
    if not names:
        tasks = sorted({kerazoo.get_spec(n).task for n in kerazoo.list_models()})
        task = f" of task '{args.task}'" if args.task else ""
        hint = (f" (tasks: {', '.join(tasks)})" if args.task and args.task not in tasks
                else "; `kerazoo list` shows them all")
        print(f"kerazoo list: no models{task} match '{args.pattern}'{hint}", file=sys.stderr)
        return 1
    return 0
