#!/bin/sh
# One command from a fresh Debian 12 machine to a running single-node tug server:
# installs what is missing, builds, and starts `tug server` in the foreground (Ctrl-C stops it).
# Extra arguments go to `tug server`, e.g. scripts/quickstart.sh --data-dir /tmp/tug --debug
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
exec build/src/tug server "$@"
