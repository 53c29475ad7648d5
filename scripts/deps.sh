#!/bin/sh
# Installs the Debian packages tug needs to build and test, skipping those already present.
# Usage: scripts/deps.sh            (as root, or with sudo)
set -eu

PACKAGES="
  g++
  git
  meson
  ninja-build
  pkg-config
  libsqlite3-dev
  libssl-dev
  libcpp-httplib-dev
  zlib1g-dev
  openssl
  libyaml-cpp-dev
  nlohmann-json3-dev
  libjemalloc-dev
  catch2
  python3
  python3-kubernetes
"

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "tug: missing packages:$missing; run as root (or with sudo) to install them" >&2
  exit 1
fi
echo "tug: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
