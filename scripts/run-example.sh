#!/usr/bin/env bash
# Set-up command 1: installs what is missing, builds, and analyses the bundled example project.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup.sh"
build="${THORNWOOD_BUILD_DIR:-$here/build}"
exec "$build/app/thornwood-cli" analyse "$here/examples/smart-home-hub.thornwood.json" "$@"
