#!/bin/sh
# One command from a fresh Debian 12 machine to a full test run: installs what is missing,
# builds, and runs every unit and integration test. Exits non-zero if any test fails.
# Benchmarks are separate: meson test -C build --benchmark --verbose
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
meson test -C build --suite unit --suite integration --print-errorlogs "$@"
