#!/bin/sh
# Configures (once) and builds tug into build/. Usage: scripts/build.sh
set -eu
cd "$(dirname "$0")/.."
if [ ! -f build/build.ninja ]; then
  meson setup build
fi
ninja -C build
