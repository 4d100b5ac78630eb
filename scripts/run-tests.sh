#!/usr/bin/env bash
# Set-up command 2: installs what is missing, builds, and runs every test with ctest.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
THORNWOOD_TEST_TOOLS=1 "$here/scripts/setup.sh"
build="${THORNWOOD_BUILD_DIR:-$here/build}"
cd "$build"
exec ctest --output-on-failure -j"$(nproc)" "$@"
