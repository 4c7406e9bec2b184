#!/usr/bin/env bash
# Remakes the README's tour (docs/tour/*.svg) from real runs, each in a private tmux server
# (120×40) captured with its colours and drawn by scripts/ansi2svg.py:
#   1-step.svg     the course in the TUI, its first step run against your engine;
#   2-failure.svg  the same step with no engine (DOCKER_HOST at a socket nobody serves):
#                  the chapter's requirement explained, then the failure and its fix;
#   3-doctor.svg   `docker-guide doctor` on this machine;
#   4-class.svg    `docker-guide class summary` over three learners' progress exports, made
#                  here by running chapter 1 (one learner with no engine) and chapter 2.
#
# usage: scripts/tour.sh [OUTDIR]     (BIN=path/to/docker-guide to skip the build)
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-docs/tour}
if [[ -z ${BIN:-} ]]; then
  cargo build --release --quiet
  BIN=target/release/docker-guide
fi
BIN=$(realpath "$BIN")
command -v tmux >/dev/null || { echo "tour.sh: tmux is required" >&2; exit 2; }

tmp=$(mktemp -d)
socket="dg-tour-$$"
cleanup() {
  tmux -L "$socket" kill-server 2>/dev/null || true
  sleep 0.5 # the TUIs save their progress as they get SIGHUP
  rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$out"
# A socket nobody serves (a fixed name, so the pictures do not show a temporary path).
no_engine=unix:///tmp/dg-tour-no-engine.sock
rm -f /tmp/dg-tour-no-engine.sock

# start NAME ENV... -- COMMAND...: a fresh tmux session running COMMAND with fresh state.
start() {
  local name=$1
  shift
  tmux -L "$socket" new-session -d -x 120 -y 40 -s "$name" \
    env -u NO_COLOR -u DOCKER_GUIDE_LESSONS TERM=xterm-256color \
    XDG_STATE_HOME="$tmp/$name/state" XDG_DATA_HOME="$tmp/$name/data" \
    XDG_CONFIG_HOME="$tmp/$name/config" "$@"
}
wait_for() { # wait_for SESSION TEXT SECONDS
  local deadline=$((SECONDS + $3))
  until tmux -L "$socket" capture-pane -p -t "$1" | grep -qF -- "$2"; do
    if ((SECONDS > deadline)); then
      echo "tour.sh: timed out waiting for '$2'; the pane shows:" >&2
      tmux -L "$socket" capture-pane -p -t "$1" >&2
      exit 1
    fi
    sleep 0.2
  done
}
shoot() { # shoot SESSION FILE TITLE
  sleep 0.3
  tmux -L "$socket" capture-pane -e -p -t "$1" >"$tmp/pane.ansi"
  python3 scripts/ansi2svg.py --cols 120 --title "$3" <"$tmp/pane.ansi" >"$out/$2"
  echo "wrote $out/$2"
}
doctor_done() { # the TUI header shows the doctor's verdict once its checks are done
  wait_for "$1" "Chapters" 20
  until ! tmux -L "$socket" capture-pane -p -t "$1" | grep -qF "checking Docker"; do sleep 0.2; done
}

# 1. A step run, its output under it.
start step "$BIN" --workspace "$tmp/step/workspace"
doctor_done step
tmux -L "$socket" send-keys -t step Enter
wait_for step "passed" 60
shoot step 1-step.svg "docker-guide — a step run, its output under it"

# 2. No engine: the requirement explained, then the failure and its fix.
start failure DOCKER_HOST="$no_engine" "$BIN" --workspace "$tmp/failure/workspace"
doctor_done failure
tmux -L "$socket" send-keys -t failure Enter
wait_for failure "y  yes" 10
tmux -L "$socket" send-keys -t failure y
wait_for failure "failed" 60
shoot failure 2-failure.svg "docker-guide — a failure explained, with the fix"

# 3. The doctor.
start doctor sh -c "'$BIN' doctor; sleep 600"
wait_for doctor "passed" 60
shoot doctor 3-doctor.svg "docker-guide doctor"

# 4. A class: Ada did chapters 1 and 2, Grace had no engine, Linus sent his preflight only.
class="$tmp/class"
mkdir -p "$class"
learner() { # learner NAME ENV...: runs with this learner's own state
  local name=$1
  shift
  env XDG_STATE_HOME="$tmp/$name/state" XDG_DATA_HOME="$tmp/$name/data" NO_COLOR=1 "$@"
}
learner ada "$BIN" run 1 --yes >/dev/null
learner ada "$BIN" run 2 --yes >/dev/null
learner ada "$BIN" progress export --name Ada "$class/ada.json" >/dev/null 2>&1
learner grace DOCKER_HOST="$no_engine" "$BIN" run 1 --yes --ignore-requires >/dev/null 2>&1 || true
learner grace DOCKER_HOST="$no_engine" "$BIN" progress export --name Grace "$class/grace.json" \
  >/dev/null 2>&1
learner linus DOCKER_HOST="$no_engine" "$BIN" doctor --json >"$class/linus-preflight.json" || true
start class sh -c "'$BIN' class summary '$class'; sleep 600"
wait_for class "Ada" 30
shoot class 4-class.svg "docker-guide class summary"
