#!/usr/bin/env bash
# The GPU checks on a machine with an NVIDIA GPU and JAX or PyTorch but no TensorFlow and
# no internet: lstm_mnist and cnn_gru_captcha, samples/s on the GPU next to the same
# machine's CPU, a few epochs of each, and with --full the first round of the
# cnn_gru_captcha recipe. Also runs on a CPU-only machine, just slower.
#
#     scripts/gpu_wheels.sh wheels/                          # where PyPI is reachable
#     # copy the repo (with wheels/) to the GPU machine, then there:
#     KERAS_BACKEND=jax scripts/gpu_check.sh --wheels wheels/ --epochs 3 [--full]
#
# --wheels DIR installs scripts/gpu_requirements.txt from DIR (pip --no-index --no-deps)
# into the current Python; kerazoo itself runs from this copy (PYTHONPATH). Other
# options go to scripts/gpu_check.py (--epochs, --limit, --full, --output, ...).
# Results: runs/gpu_check/gpu_check.md and .json (hardware first).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--wheels" ]; then
    python -m pip install --no-index --no-deps --find-links "$2" -r scripts/gpu_requirements.txt
    shift 2
fi
: "${KERAS_BACKEND:?set KERAS_BACKEND=jax or KERAS_BACKEND=torch}"
export KERAS_BACKEND
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version \
    --format=csv,noheader || echo "no nvidia-smi: running on the CPU"
exec python scripts/gpu_check.py "$@"
