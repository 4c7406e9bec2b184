#!/usr/bin/env bash
# The Python wheel as a learner gets it: build it once (release profile, stripped, official
# course embedded), install it into fresh virtual environments with pip and with uv, as a uv
# tool and with pipx, then run `--version`, `list` and `doctor --json` from each with PATH
# holding only that environment and the system; and run it once with uvx.
# Prints the wheel's name (its platform tag), its size and the binary's.
set -euo pipefail
cd "$(dirname "$0")/.."
# Through `python3 -m`: works right after pip installs them, whatever PATH or pyenv shims say.
maturin() { python3 -m maturin "$@"; }
uv() { python3 -m uv "$@"; }
uvx() { python3 -m uv tool run "$@"; }

work=$(mktemp -d /tmp/dg-wheel-check.XXXXXX)
trap 'rm -rf "$work"' EXIT

python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    'maturin>=1.9,<2' 'uv>=0.5' pipx
maturin build --release --quiet --out "$work/dist"
wheel=$(ls "$work"/dist/docker_guide-*.whl)
name=$(basename "$wheel")
version=$(cargo metadata --no-deps --format-version 1 |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["packages"][0]["version"])')

# A manylinux (or musllinux) tag: pip on any glibc Linux at least as new installs it.
[[ "$name" =~ -py3-none-(manylinux|musllinux)_[0-9]+_[0-9]+_[a-z0-9_]+(\.manylinux[a-z0-9_]+)*\.whl$ ]] ||
    { echo "wheel-check: $name has no manylinux/musllinux tag" >&2; exit 1; }
python3 - "$wheel" <<'PY'
import sys, zipfile
wheel = zipfile.ZipFile(sys.argv[1])
names = wheel.namelist()
scripts = [n for n in names if n.endswith(".data/scripts/docker-guide")]
assert scripts, f"no docker-guide script in the wheel: {names}"
binary = wheel.getinfo(scripts[0])
assert binary.external_attr >> 16 & 0o111, "docker-guide is not executable in the wheel"
assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names), f"no LICENSE in {names}"
meta = wheel.read([n for n in names if n.endswith(".dist-info/METADATA")][0]).decode()
for field in ("Name: docker-guide", "Summary: ", "Requires-Python: >=3.8", "License-Expression: MIT",
              "License-File: LICENSE", "Description-Content-Type: text/markdown"):
    assert field in meta, f"METADATA lacks {field!r}"
print(f"wheel-check: {sys.argv[1].rsplit('/', 1)[-1]}: wheel {wheel.fp.seek(0, 2) // 1024} KiB, "
      f"binary {binary.file_size // 1024} KiB")
PY

# The source distribution pip falls back to where no wheel fits: all its build needs.
maturin sdist --out "$work/sdist"
sdist=$(ls "$work"/sdist/docker_guide-*.tar.gz)
members=$(tar -tzf "$sdist")
for member in pyproject.toml Cargo.toml Cargo.lock LICENSE build.rs src/main.rs lessons/course.toml; do
    grep -qx "docker_guide-$version/$member" <<<"$members" ||
        { echo "wheel-check: the sdist lacks $member" >&2; exit 1; }
done
echo "wheel-check: $(basename "$sdist"): $(($(stat -c %s "$sdist") / 1024)) KiB, with pyproject.toml, Cargo.toml, Cargo.lock and the course"

# check_install DIR LABEL: DIR/bin/docker-guide is the installed binary.
check_install() {
    local bin_dir=$1 label=$2 out
    local env=(env -i HOME="$work/home" PATH="$bin_dir:/usr/local/bin:/usr/bin:/bin" NO_COLOR=1
        XDG_DATA_HOME="$work/data" XDG_STATE_HOME="$work/state")
    [ "$("${env[@]}" sh -c 'command -v docker-guide')" = "$bin_dir/docker-guide" ] ||
        { echo "wheel-check: $label: docker-guide on PATH is not the installed one" >&2; exit 1; }
    out=$("${env[@]}" docker-guide --version)
    [ "$out" = "docker-guide $version" ] || { echo "wheel-check: $label: --version said: $out" >&2; exit 1; }
    out=$("${env[@]}" docker-guide list)
    grep -q 'Check your setup' <<<"$out" ||
        { echo "wheel-check: $label: list shows no official course:" >&2; echo "$out" >&2; exit 1; }
    # doctor exits 1 when a check fails; 2 would be the doctor itself breaking.
    local code=0
    "${env[@]}" DOCKER_HOST="${DOCKER_HOST:-}" docker-guide doctor --json >"$work/doctor.json" || code=$?
    [ "$code" -le 1 ] || { echo "wheel-check: $label: doctor --json exited $code" >&2; exit 1; }
    python3 - "$work/doctor.json" "$label" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
assert report["schema"] == "docker-guide.doctor/v1", report["schema"]
assert report["runtime"], "doctor found no engine (CI starts one before this phase)"
checks = {c["id"]: c["status"] for c in report["checks"]}
assert checks.get("daemon") in ("pass", "warn"), checks
failed = ", ".join(f"{k} {v}" for k, v in checks.items() if v not in ("pass", "skip"))
print(f"wheel-check: {sys.argv[2]}: --version, list and doctor --json ok "
      f"({report['runtime']['product']}; {failed or 'all checks pass'})")
PY
}

export UV_CACHE_DIR="$work/uv-cache" UV_PYTHON_DOWNLOADS=never

python3 -m venv "$work/pip-venv"
"$work/pip-venv/bin/python" -m pip install --quiet --no-index --disable-pip-version-check \
    --root-user-action=ignore "$wheel"
check_install "$work/pip-venv/bin" "pip"

uv venv --quiet "$work/uv-venv"
uv pip install --quiet --offline --python "$work/uv-venv/bin/python" "$wheel"
check_install "$work/uv-venv/bin" "uv pip"

UV_TOOL_DIR="$work/uv-tools" UV_TOOL_BIN_DIR="$work/uv-tool-bin" \
    uv tool install --quiet --offline "$wheel"
check_install "$work/uv-tool-bin" "uv tool install"
PIPX_HOME="$work/pipx" PIPX_BIN_DIR="$work/pipx-bin" \
    python3 -m pipx install --quiet --pip-args=--no-index "$wheel"
check_install "$work/pipx-bin" "pipx install"
# uvx: a throwaway environment, as `uvx docker-guide` makes from the index.
out=$(uvx --quiet --offline --from "$wheel" docker-guide --version)
[ "$out" = "docker-guide $version" ] || { echo "wheel-check: uvx said: $out" >&2; exit 1; }
echo "wheel-check: uvx --from WHEEL docker-guide --version ok"

# The wheel for the release page, when asked (the release workflow builds its own).
if [ -n "${WHEEL_OUT:-}" ]; then mkdir -p "$WHEEL_OUT" && cp "$wheel" "$WHEEL_OUT/"; fi
