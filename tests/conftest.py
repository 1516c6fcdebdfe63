"""Shared test helpers.

``small_build(name)`` builds a registered model at the small size its entry
declares for tests (``ModelSpec.test_overrides``, next to the entry): the
registry-wide tests check every entry's wiring, not its capacity, so they
need not pay for the published size.
"""

import pytest

import kerazoo


def small_build(name, **options):
    """Registered model ``name`` at its declared test size (``options`` win)."""
    return kerazoo.build(name, **{**kerazoo.get_spec(name).test_overrides, **options})


@pytest.fixture(scope="session")
def small():
    """``small(name, **options)``: see ``small_build``."""
    return small_build
