#!/usr/bin/env bash
# Tools the install tests need, from Debian's packages (installed only when missing):
#   podman      a real Podman service for tests/e2e_podman.rs (the test starts its own);
#   zsh, fish   to check that they accept their completion scripts (tests/cli_completions.rs);
#   groff-base  to render the man page with every warning on;
#   yamllint    for the release workflow.
# And from PyPI: check-jsonschema (GitHub's workflow schema, vendored: no network at check time).
set -euo pipefail

missing=()
for pair in podman:podman zsh:zsh fish:fish groff:groff-base yamllint:yamllint; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "ci-tools: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
python3 -m check_jsonschema --version >/dev/null 2>&1 ||
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
        check-jsonschema
for tool in podman zsh fish groff yamllint; do
    command -v "$tool" >/dev/null || { echo "ci-tools: $tool is still missing" >&2; exit 1; }
done
python3 -m check_jsonschema --version >/dev/null
echo "ci-tools: $(podman --version), zsh $(zsh --version | cut -d' ' -f2), $(fish --version 2>&1 | tail -n1)"
