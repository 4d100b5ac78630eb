#!/usr/bin/env bash
# Installs what Thornwood needs on Debian 12 (only the packages that are missing), then
# configures the one build folder. Safe to re-run. Works as root or as a user with sudo.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${THORNWOOD_BUILD_DIR:-$here/build}"

packages=(build-essential cmake pkg-config ccache
          libboost-graph-dev nlohmann-json3-dev libexpected-dev libpugixml-dev libssl-dev catch2
          python3-jsonschema
          qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6opengl6-dev qt6-svg-dev libgraphviz-dev
          libgl1-mesa-dri fonts-dejavu-core)
# The tests open the reports where reviewers read them: headless Chromium and pdftotext.
if [[ "${THORNWOOD_TEST_TOOLS:-0}" == 1 ]]; then packages+=(chromium poppler-utils); fi
# SCRAM is our speed and correctness anchor; the benchmark runs it side by side when present.
if [[ "${THORNWOOD_WITH_ANCHOR:-0}" == 1 ]]; then packages+=(scram); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "thornwood: installing ${missing[*]}"
  if [[ $(id -u) -eq 0 ]]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "thornwood: need root or sudo to install: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" -j"$(nproc)"
