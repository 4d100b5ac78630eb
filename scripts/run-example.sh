#!/usr/bin/env bash
# Set-up command 1: installs what is missing, builds, and opens the bundled example project:
# in the desktop GUI when a display is available, otherwise (or with --headless) as the
# headless analysis printed by thornwood-cli.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup.sh"
build="${THORNWOOD_BUILD_DIR:-$here/build}"
example="$here/examples/smart-home-hub.thornwood.json"
headless=0
if [[ "${1:-}" == "--headless" ]]; then
  headless=1
  shift
fi
if [[ $headless == 0 && ( -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ) ]]; then
  echo "thornwood: opening $example in the GUI (run with --headless for the text analysis)"
  exec "$build/app/thornwood" "$example"
fi
echo "thornwood: no display; the headless analysis of $example follows" >&2
exec "$build/app/thornwood-cli" analyse "$example" "$@"
