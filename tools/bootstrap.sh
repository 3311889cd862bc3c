#!/usr/bin/env bash
# Installs the Debian packages ofwatch needs to build, run and test, when
# any is missing. Called by `make deps` (and so by run, up, test, bench).
set -euo pipefail

packages=(
  build-essential pkg-config
  libczmq-dev libzmq3-dev libprotobuf-c-dev protobuf-c-compiler
  libpq-dev postgresql postgresql-contrib
  libpoppler-glib-dev poppler-utils
  libpcre2-dev libssl-dev uuid-dev libcurl4-openssl-dev libmicrohttpd-dev libxml2-dev
  liblinear-dev libstemmer-dev
  libcmocka-dev clang libclang-rt-14-dev
  docker-compose yamllint python3-yaml
  procps psmisc
  chromium
  libjansson-dev libxlsxwriter-dev
  prometheus python3-openpyxl
)
# The page tests run axe-core under Node.js; a machine that already has
# Node.js and npm (from any source) keeps them: Debian's npm would
# conflict with another vendor's nodejs.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "bootstrap: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
