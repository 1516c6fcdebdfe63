#!/usr/bin/env bash
# Download the wheels scripts/gpu_check.sh installs offline, into DIR (default: wheels/).
# Run it where PyPI is reachable, with the GPU machine's Python version:
#     scripts/gpu_wheels.sh wheels/            # then copy the repo and wheels/ over
# PYTHON_VERSION=3.12 picks wheels for another Python than this one.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:-wheels}
platform_args=()
if [ -n "${PYTHON_VERSION:-}" ]; then
    platform_args=(--python-version "$PYTHON_VERSION" --platform manylinux2014_x86_64
                   --platform manylinux_2_28_x86_64 --only-binary=:all:)
fi
python -m pip download --no-deps -d "$dest" "${platform_args[@]}" -r scripts/gpu_requirements.txt
echo "wheels in $dest: $(ls "$dest" | wc -l) files, $(du -sh "$dest" | cut -f1)"
