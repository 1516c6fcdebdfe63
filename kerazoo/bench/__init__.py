"""Benchmarks: kerazoo next to reference implementations, measured in the same run.

    $ kerazoo bench --quick                      # CI-sized, under 3 minutes
    $ kerazoo bench --output bench_out --update-readme README.md

One module per concept: ``architecture`` (a Keras model as layer
descriptions), ``flops`` (analytic FLOP counts), ``reference_torch`` (the same
architecture in PyTorch), ``timing`` (medians of interleaved windows),
``training`` and ``latency`` (what is timed), ``suite`` (which measurements a
run makes), ``machine``, ``report`` (CSV and Markdown), ``plots`` (PNG) and
``readme`` (the README's Performance block).
"""
