"""What a family adds to the shared machinery, declared next to its entries.

Shared code (the CLI, the trainer) never asks which data set or task a model
has; it calls the hooks the entry declares. A hook is named by a
``"module:object"`` string, so declaring one imports nothing heavy:

    @register_model(..., cli_flags="kerazoo.families.forecast.cli_flags:SERIES_FLAGS")
    def lstm_forecaster(): ...

``kerazoo train`` offers every family's flags (``add_family_arguments``) and
passes a model only its own family's (``with_family_options``); the flags of
another family are refused in one line.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from kerazoo.errors import UserError
from kerazoo.registry import get_spec, list_models, resolve_reference


@dataclasses.dataclass(frozen=True)
class CliFlags:
    """Extra ``kerazoo train`` flags of a family.

    Attributes:
        title: the heading of the flags in ``--help``.
        names: the ``argparse`` destinations the flags fill (``"csv"``, ``"time_column"``).
        add_arguments: ``add_arguments(group)`` adds the flags to an argument group.
        apply: ``apply(spec, flags, kwargs) -> kwargs``: ``kerazoo.train.train``
            keyword arguments with the given ``flags`` (``{name: value}``) folded in.
    """

    title: str
    names: tuple
    add_arguments: Callable
    apply: Callable


def _declared():
    """``{reference: CliFlags}`` of every registered entry that declares flags."""
    references = {get_spec(name).cli_flags for name in list_models()}
    return {ref: resolve_reference(ref) for ref in sorted(references - {None})}


def add_family_arguments(parser):
    """Add each family's ``kerazoo train`` flags to ``parser``, one group per family."""
    for flags in _declared().values():
        flags.add_arguments(parser.add_argument_group(flags.title))


def with_family_options(args, kwargs):
    """``kwargs`` with the flags of ``args.name``'s family applied; flags given for
    another family are a ``UserError``."""
    spec = get_spec(args.name)
    own = resolve_reference(spec.cli_flags) if spec.cli_flags else None
    given = {}
    for flags in _declared().values():
        for name in flags.names:
            if getattr(args, name, None) is not None:
                given[name] = (flags, getattr(args, name))
    foreign = [name for name, (flags, _) in given.items() if flags is not own]
    if foreign:
        raise UserError(f"--{'/--'.join(n.replace('_', '-') for n in foreign)} do not apply to "
                        f"'{args.name}' ({spec.task} model)")
    if own is None:
        return kwargs
    return own.apply(spec, {name: value for name, (_, value) in given.items()}, kwargs)
