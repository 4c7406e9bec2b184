#!/usr/bin/env bash
# The crate package (`cargo install docker-guide` builds from it) holds what the binary needs
# and nothing else: every file `cargo package --list` names must match the allowlist below,
# and the files the build embeds (every lesson and asset) must all be there.
set -euo pipefail
cd "$(dirname "$0")/.."

list=$(cargo package --list --allow-dirty --quiet)
allowed='^(Cargo\.toml|Cargo\.toml\.orig|Cargo\.lock|\.cargo_vcs_info\.json|README\.md|LICENSE|build\.rs|src/.+|lessons/.+|assets/.+|docs/[a-z-]+\.md)$'
test_data='/(snapshots|fixtures|testdata)/'
unexpected=$(grep -Ev "$allowed" <<<"$list" || true; grep -E "$test_data" <<<"$list" || true)
if [ -n "$unexpected" ]; then
    printf 'package-check: files that do not belong in the crate package:\n%s\n' "$unexpected" >&2
    exit 1
fi
missing=0
while IFS= read -r file; do
    grep -qxF "$file" <<<"$list" || { echo "package-check: missing $file" >&2; missing=1; }
done < <(git ls-files lessons assets 'src/*.rs' build.rs Cargo.toml Cargo.lock README.md LICENSE)
[ "$missing" = 0 ] || exit 1
# The .crate itself (no build: CI compiles the same sources anyway), for its size.
cargo package --no-verify --allow-dirty --quiet
crate=$(cargo metadata --no-deps --format-version 1 | python3 -c 'import json,sys; m=json.load(sys.stdin); print(m["target_directory"] + "/package/docker-guide-" + m["packages"][0]["version"] + ".crate")')
printf 'package-check: %d files, all expected (lessons: %d); %s is %d KiB\n' \
    "$(wc -l <<<"$list")" "$(grep -c '^lessons/' <<<"$list")" "$(basename "$crate")" \
    "$(($(stat -c %s "$crate") / 1024))"
