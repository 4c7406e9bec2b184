#!/usr/bin/env bash
# Remakes docs/screenshot.svg from a real run: opens the official course in the TUI inside a
# private tmux server (120×40), runs the first step (`docker version`, against your engine),
# captures the pane with its colours and converts it with scripts/ansi2svg.py.
#
# usage: scripts/screenshot.sh [OUTPUT.svg]     (BIN=path/to/docker-guide to skip the build)
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-docs/screenshot.svg}
if [[ -z ${BIN:-} ]]; then
  cargo build --release --quiet
  BIN=target/release/docker-guide
fi
command -v tmux >/dev/null || { echo "screenshot.sh: tmux is required" >&2; exit 2; }

tmp=$(mktemp -d)
socket="dg-shot-$$"
cleanup() {
  tmux -L "$socket" kill-server 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# Fresh state so the picture shows a first visit; colours on.
tmux -L "$socket" new-session -d -x 120 -y 40 -s shot \
  env -u NO_COLOR -u DOCKER_GUIDE_LESSONS TERM=xterm-256color \
  XDG_STATE_HOME="$tmp/state" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
  "$PWD/$BIN" --workspace "$tmp/workspace"

wait_for() { # wait_for TEXT SECONDS
  local deadline=$((SECONDS + $2))
  until tmux -L "$socket" capture-pane -p -t shot | grep -qF -- "$1"; do
    if ((SECONDS > deadline)); then
      echo "screenshot.sh: timed out waiting for '$1'; the pane shows:" >&2
      tmux -L "$socket" capture-pane -p -t shot >&2
      exit 1
    fi
    sleep 0.2
  done
}

wait_for "Chapters" 20
# The header shows the doctor's verdict once its checks are done.
until ! tmux -L "$socket" capture-pane -p -t shot | grep -qF "checking Docker"; do sleep 0.2; done
tmux -L "$socket" send-keys -t shot Enter
wait_for "passed" 60
sleep 0.3
tmux -L "$socket" capture-pane -e -p -t shot >"$tmp/pane.ansi"
mkdir -p "$(dirname "$out")"
python3 scripts/ansi2svg.py --cols 120 --title "docker-guide — the course in your terminal" <"$tmp/pane.ansi" >"$out"
tmux -L "$socket" send-keys -t shot q
echo "wrote $out"
