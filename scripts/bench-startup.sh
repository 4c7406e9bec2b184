#!/usr/bin/env bash
# Whole-process speed of docker-guide against its peers, in one run (issue 13). Each line
# prints docker-guide's time, the peer's, their ratio and the goal; wall times are medians
# (hyperfine, warm cache), cpu is user+system (steadier than wall on a loaded machine). A
# ratio comes from runs of both commands interleaved in rounds (`pair`).
#
#   show of the CommonMark spec at 100 columns, plain and coloured   ≤ 0.5 × mdcat
#   show of the longest official chapter, coloured                   ≤ 20 ms
#   the TUI's first complete frame on the official course (200×60)   ≤ 50 ms
#   run of `seq 1 2000000`                                            ≤ 1.1 × the bare command
#   run of a chapter with one `true` step                             ≤ sh -c true + 5 ms
#   list, lint, progress, doctor --help                               start-up, against sh -c true
#   peak memory of show on the spec                                   ≤ mdcat's
#
# usage: scripts/bench-startup.sh [RUNS]   (DOCKER_GUIDE_BIN=path to test another build)
# Needs hyperfine and jq (apt-get install hyperfine jq), mdcat (cargo install mdcat),
# python3 and the corpus in ../shared (or SPEC=path/to/spec.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
bin=${DOCKER_GUIDE_BIN:-target/release/docker-guide}
# The corpus sits in a shared/ folder beside the clone (or further up for a worktree).
spec_src=${SPEC:-}
if [ -z "$spec_src" ]; then
    dir=$PWD
    while [ "$dir" != / ]; do
        dir=$(dirname "$dir")
        [ -f "$dir/shared/corpus/commonmark/spec.txt" ] && { spec_src=$dir/shared/corpus/commonmark/spec.txt; break; }
    done
fi
spec_src=${spec_src:-../shared/corpus/commonmark/spec.txt}
for tool in hyperfine jq python3 mdcat; do
    command -v "$tool" >/dev/null || {
        echo "bench-startup: $tool is missing (mdcat: cargo install mdcat)" >&2
        exit 2
    }
done
[ -f "$spec_src" ] || { echo "bench-startup: no spec at $spec_src (set SPEC=)" >&2; exit 2; }
if [ -z "${DOCKER_GUIDE_BIN:-}" ]; then cargo build --release --quiet; fi
bin=$(realpath "$bin")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$spec_src" "$tmp/spec.md"
export XDG_STATE_HOME=$tmp/state XDG_DATA_HOME=$tmp/data DOCKER_GUIDE_WORKSPACE=$tmp/ws
unset DOCKER_GUIDE_LESSONS NO_COLOR
longest=$(ls -S lessons/*.md | head -n 1)
longest=$(basename "$longest" .md)
mkdir -p "$tmp/seq" "$tmp/true"
printf '# Seq\n\n```sh {id=seq}\nseq 1 2000000\n```\n' >"$tmp/seq/01-seq.md"
printf '# True\n\n```sh {id=t}\ntrue\n```\n' >"$tmp/true/01-true.md"

# time NAME COMMAND → "wall_ms cpu_ms" (median wall, mean user+system)
time_of() {
    hyperfine -N --style none --warmup 3 --runs "$runs" --export-json "$tmp/h.json" \
        "$1" >/dev/null 2>&1 || { echo "bench-startup: failed: $1" >&2; exit 1; }
    jq -r '.results[0] | "\(.median * 1000) \((.user + .system) * 1000)"' "$tmp/h.json"
}
# shell-free variant for commands that need redirection
time_sh() {
    hyperfine --shell=sh --style none --warmup 3 --runs "$runs" --export-json "$tmp/h.json" \
        "$1" >/dev/null 2>&1 || { echo "bench-startup: failed: $1" >&2; exit 1; }
    jq -r '.results[0] | "\(.median * 1000) \((.user + .system) * 1000)"' "$tmp/h.json"
}

# pair -N|--shell=sh A B → "wall_ms cpu_ms" of A, then of B (median wall of all runs, mean
# user+system). Both run in rounds of 5, which goes first alternating: on a machine whose speed
# drifts (a VM beside busy neighbours) blocks of A's runs then B's gave ratios that swung by a
# third between two runs of this script.
pair() {
    local shell=$1 a=$2 b=$3 rounds=$(((runs + 4) / 5)) r first second
    : >"$tmp/pair.jsonl"
    for ((r = 0; r < rounds; r++)); do
        first=$a second=$b
        if ((r % 2)); then first=$b second=$a; fi
        hyperfine "$shell" --style none --warmup 1 --runs 5 --export-json "$tmp/h.json" \
            "$first" "$second" >/dev/null 2>&1 || {
            echo "bench-startup: failed: $first / $second" >&2
            exit 1
        }
        jq -c '.results[]' "$tmp/h.json" >>"$tmp/pair.jsonl"
    done
    for cmd in "$a" "$b"; do
        jq -rs --arg c "$cmd" 'map(select(.command == $c))
            | ([.[].times[]] | sort | .[length / 2 | floor]) as $wall
            | (map(.user + .system) | add / length) as $cpu
            | "\($wall * 1000) \($cpu * 1000)"' "$tmp/pair.jsonl"
    done
}

printf '%-44s %19s %19s %13s  %s\n' "case" "docker-guide ms" "peer ms" "ratio" "goal"
printf '%-44s %19s %19s %13s\n' "" "wall / cpu" "wall / cpu" "wall / cpu"
row() { # name ours peer goal
    read -r ow oc <<<"$2"
    read -r pw pc <<<"$3"
    printf '%-44s %9.1f / %6.1f %9.1f / %6.1f %6.2f / %4.2f  %s\n' "$1" "$ow" "$oc" "$pw" "$pc" \
        "$(echo "$ow / $pw" | bc -l)" "$(echo "$oc / $pc" | bc -l)" "$4"
}
diff_row() { # name ours peer goal: the difference, not the ratio
    read -r ow oc <<<"$2"
    read -r pw pc <<<"$3"
    printf '%-44s %9.1f / %6.1f %9.1f / %6.1f %+6.1f / %+4.1f  %s\n' "$1" "$ow" "$oc" "$pw" "$pc" \
        "$(echo "$ow - $pw" | bc -l)" "$(echo "$oc - $pc" | bc -l)" "$4"
}

mapfile -t t < <(pair -N "$bin --lessons $tmp/spec.md show --plain --width 100" \
    "mdcat --columns 100 --no-colour $tmp/spec.md")
row "show spec.md --plain (100 cols)" "${t[0]}" "${t[1]}" "≤ 0.5 × mdcat"
mapfile -t t < <(pair -N "$bin --lessons $tmp/spec.md show --color always --width 100" \
    "mdcat --columns 100 --ansi $tmp/spec.md")
row "show spec.md --color always (100 cols)" "${t[0]}" "${t[1]}" "≤ 0.5 × mdcat"

truth=$(time_of "sh -c true")
chapter=$(time_of "$bin show $longest --color always --width 100")
diff_row "show $longest --color always" "$chapter" "0 0" "≤ 20 ms wall"

read -r ff_median ff_min ff_cpu < <(python3 scripts/first-frame.py "$bin" "$runs")
printf '%-44s %9.1f / %6.1f %19s %13s  %s\n' "TUI first frame, official course, 200x60" \
    "$ff_median" "$ff_cpu" "(min wall $ff_min)" "" "≤ 50 ms wall"

mapfile -t t < <(pair --shell=sh "$bin --lessons $tmp/seq run all --yes >/dev/null 2>&1" \
    "seq 1 2000000 > $tmp/seq.out")
row "run: seq 1 2000000" "${t[0]}" "${t[1]}" "≤ 1.1 × bare command"
mapfile -t t < <(pair --shell=sh "$bin --lessons $tmp/true run all --yes >/dev/null 2>&1" \
    "sh -c true")
diff_row "run: one \`true\` step (vs sh -c true)" "${t[0]}" "${t[1]}" "≤ +5 ms"
for cmd in "list" "lint" "progress" "doctor --help"; do
    diff_row "$cmd (vs sh -c true)" "$(time_sh "$bin $cmd >/dev/null 2>&1")" "$truth" "start-up"
done

peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }
ours_kb=$(peak "$bin" --lessons "$tmp/spec.md" show --color always --width 100)
mdcat_kb=$(peak mdcat --columns 100 --ansi "$tmp/spec.md")
printf '%-44s %12.1f MiB %12.1f MiB %13.2f  %s\n' "peak memory, show spec.md --color always" \
    "$(echo "$ours_kb / 1024" | bc -l)" "$(echo "$mdcat_kb / 1024" | bc -l)" \
    "$(echo "$ours_kb / $mdcat_kb" | bc -l)" "≤ 1 × mdcat"
