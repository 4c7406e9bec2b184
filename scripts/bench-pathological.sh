#!/usr/bin/env bash
# Pathological input stays linear (issues 12 item 8 and 13): each case is timed at 1× and 10×
# its size, whole process, and the growth printed: about 10 is linear, 100 is quadratic.
#
#   10,000 nested lists, 10,000 nested blockquotes (show, coloured)
#   a 1 MB word in a shell step, a 1 MB line of prose (show, coloured)
#   5,000 steps in a chapter (show, coloured; lint)
#   a 50 MB output line (headless run, output to /dev/null)
#
# usage: scripts/bench-pathological.sh [RUNS]   (DOCKER_GUIDE_BIN=path to test another build)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
bin=${DOCKER_GUIDE_BIN:-target/release/docker-guide}
command -v hyperfine >/dev/null && command -v jq >/dev/null || {
    echo "bench-pathological: needs hyperfine and jq (apt-get install hyperfine jq)" >&2
    exit 2
}
if [ -z "${DOCKER_GUIDE_BIN:-}" ]; then cargo build --release --quiet; fi
bin=$(realpath "$bin")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_STATE_HOME=$tmp/state XDG_DATA_HOME=$tmp/data DOCKER_GUIDE_WORKSPACE=$tmp/ws
unset DOCKER_GUIDE_LESSONS NO_COLOR

repeat() { python3 -c 'import sys; sys.stdout.write(sys.argv[1] * int(sys.argv[2]))' "$@"; }
# make CASE SIZE FILE: writes the chapter of CASE at SIZE
make() {
    case $1 in
    lists) { echo "# Lists"; echo; repeat "- " "$2"; echo x; } >"$3" ;;
    quotes) { echo "# Quotes"; echo; repeat "> " "$2"; echo x; } >"$3" ;;
    word) { echo "# Word"; echo; echo '```sh'; printf 'echo '; repeat a "$2"; echo; echo '```'; } >"$3" ;;
    prose) { echo "# Prose"; echo; repeat "lorem ipsum " "$(($2 / 12))"; echo; } >"$3" ;;
    steps) {
        echo "# Steps"
        for i in $(seq 1 "$2"); do printf '\nStep %s.\n\n```sh {id=s%s}\necho %s\n```\n' "$i" "$i" "$i"; done
    } >"$3" ;;
    output) printf '# Output\n\n```sh {id=line}\nhead -c %s /dev/zero | tr "\\\\0" a\n```\n' "$2" >"$3" ;;
    esac
}
time_of() {
    hyperfine --shell=sh --style none --warmup 1 --runs "$runs" --export-json "$tmp/h.json" \
        "$1" >/dev/null 2>&1 || { echo "bench-pathological: failed: $1" >&2; exit 1; }
    jq -r '.results[0].median * 1000' "$tmp/h.json"
}

printf '%-40s %12s %12s %12s %8s\n' "case (1× → 10×)" "size 1×" "1× ms" "10× ms" "growth"
check() { # label case size command-template ({} = the course folder)
    local t=() n
    for scale in 1 10; do
        n=$(($3 * scale))
        mkdir -p "$tmp/$2-$scale"
        make "$2" "$n" "$tmp/$2-$scale/01-case.md"
        t+=("$(time_of "${4//\{\}/$tmp/$2-$scale}")")
    done
    printf '%-40s %12s %12.1f %12.1f %8.1f\n' "$1" "$3" "${t[0]}" "${t[1]}" \
        "$(echo "${t[1]} / ${t[0]}" | bc -l)"
}
show="$bin --lessons {} show --color always --width 100 >/dev/null"
check "nested lists (show)" lists 1000 "$show"
check "nested blockquotes (show)" quotes 1000 "$show"
check "one long word in a shell step (show)" word 100000 "$show"
check "one long line of prose (show)" prose 100000 "$show"
check "steps in one chapter (show)" steps 500 "$show"
check "steps in one chapter (lint)" steps 500 "$bin lint {} >/dev/null"
check "one output line, bytes (run)" output 5000000 "$bin --lessons {} run all --yes >/dev/null 2>&1"
