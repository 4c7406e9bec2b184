#!/usr/bin/env bash
# Makes sure a Docker engine answers before the tests run (CI), and can be run by hand:
#   - if the engine already answers, changes nothing about it;
#   - else installs Debian's docker.io (+ docker-compose 1.29, iptables) with apt when dockerd is
#     missing, removes a stale pid file left by a daemon that was killed, starts dockerd in its
#     own session (log: $DOCKERD_LOG, default /var/log/dockerd.log) and waits for it (bounded);
#   - installs a `docker compose` CLI plugin shim over docker-compose 1.29 when no Compose v2
#     plugin is present (Compose v2 cannot be installed offline here). The shim is for tests only.
# Usage: scripts/docker-engine.sh
# Env: DOCKERD_LOG, DOCKER_ENGINE_WAIT (seconds, default 60), DOCKERD_PID_FILE (default
# /var/run/docker.pid), DOCKERD_ARGS (extra dockerd flags, e.g. a second engine on another socket
# for testing this script: -H unix:///tmp/x.sock --data-root ... --exec-root ... --pidfile
# "$DOCKERD_PID_FILE"). Never give a second engine `--bridge none`: dockerd then deletes the
# host's docker0 interface, which breaks the first engine's networking.
set -euo pipefail

readonly DOCKERD_LOG="${DOCKERD_LOG:-/var/log/dockerd.log}"
readonly WAIT_SECS="${DOCKER_ENGINE_WAIT:-60}"
readonly PID_FILE="${DOCKERD_PID_FILE:-/var/run/docker.pid}"
readonly CONTAINERD_PID_FILE=/var/run/docker/containerd/containerd.pid
read -r -a EXTRA_ARGS <<<"${DOCKERD_ARGS:-}"
readonly PLUGIN_DIR=/usr/local/lib/docker/cli-plugins
readonly SHIM_MARK='docker-guide test shim'

log() { printf '[engine %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "not root and no sudo: cannot install or start dockerd"
    sudo_cmd=(sudo)
fi
as_root() { "${sudo_cmd[@]}" "$@"; }

# `docker version` exits non-zero when the engine does not answer (`docker info` exits 0 on old
# CLIs); a socket that accepts but never answers would hang it, hence the timeout.
engine_answers() {
    command -v docker >/dev/null &&
        timeout 15 docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

# apt-get install of whatever is missing among PACKAGE:COMMAND pairs.
install_missing() {
    local pair missing=()
    for pair in "$@"; do
        command -v "${pair#*:}" >/dev/null || missing+=("${pair%%:*}")
    done
    [ "${#missing[@]}" -gt 0 ] || return 0
    log "installing ${missing[*]} with apt"
    local t0=$SECONDS
    as_root apt-get update -qq
    # With Recommends, as on the machine this was tested on (cgroupfs-mount, apparmor, pigz…).
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    log "packages installed in $((SECONDS - t0)) s"
}

# process_alive PID NAME: PID runs the program NAME and is not a zombie (a daemon killed
# while its parent lives on stays in the process table, defunct, with its name).
process_alive() {
    local pid="$1" name="$2" state
    [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = "$name" ] || return 1
    state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)"
    [ "$state" != Z ]
}

# A pid file whose process is gone (or is not that daemon) stops dockerd from starting.
remove_stale_pid_file() {
    local file="$1" name="$2" pid
    [ -f "$file" ] || return 0
    pid="$(cat "$file" 2>/dev/null || true)"
    if [ -n "$pid" ] && process_alive "$pid" "$name"; then
        return 0
    fi
    log "removing stale $file (pid '${pid}' is not a running $name)"
    as_root rm -f "$file"
}

dockerd_running() {
    [ -f "$PID_FILE" ] && process_alive "$(cat "$PID_FILE")" dockerd
}

start_dockerd() {
    remove_stale_pid_file "$PID_FILE" dockerd
    remove_stale_pid_file "$CONTAINERD_PID_FILE" containerd
    if dockerd_running; then
        log "dockerd (pid $(cat "$PID_FILE")) is running but not answering yet; waiting for it"
        return 0
    fi
    as_root mkdir -p "$(dirname "$DOCKERD_LOG")"
    log "starting dockerd (log: $DOCKERD_LOG)"
    # Own session, stdin closed, output to the log: it outlives this script and its terminal.
    # shellcheck disable=SC2016  # expanded by the inner shell, on purpose
    as_root sh -c 'log="$1"; shift; setsid dockerd "$@" </dev/null >>"$log" 2>&1 &' sh "$DOCKERD_LOG" "${EXTRA_ARGS[@]}"
}

wait_for_engine() {
    local deadline=$((SECONDS + WAIT_SECS))
    until engine_answers; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            log "the engine did not answer within ${WAIT_SECS} s; last lines of $DOCKERD_LOG:"
            as_root tail -n 25 "$DOCKERD_LOG" >&2 || true
            die "dockerd did not come up"
        fi
        sleep 1
    done
}

install_compose_shim() {
    local target="$PLUGIN_DIR/docker-compose"
    if timeout 15 docker compose version >/dev/null 2>&1 &&
        ! grep -qs "$SHIM_MARK" "$target"; then
        log "docker compose (a real Compose v2 plugin) is present; no shim needed"
        return 0
    fi
    install_missing docker-compose:docker-compose
    local shim
    shim="$(
        cat <<'SHIM'
#!/bin/sh
# docker-guide test shim: `docker compose ...` -> Debian's docker-compose 1.29 (Compose v2 cannot
# be installed offline on the CI machine). For tests only; learners install the real plugin.
if [ "$1" = docker-cli-plugin-metadata ]; then
    printf '%s\n' '{"SchemaVersion":"0.1.0","Vendor":"docker-guide test shim","Version":"v2.99.0-shim","ShortDescription":"Docker Compose (test shim over docker-compose 1.29)"}'
    exit 0
fi
[ "$1" = compose ] && shift
if [ "$1" = version ]; then
    case "$2 $3" in
        *--short*) echo "2.99.0-shim" ;;
        *json*) echo '{"version":"v2.99.0-shim"}' ;;
        *) echo "Docker Compose version v2.99.0-shim (docker-guide test shim over $(docker-compose version --short))" ;;
    esac
    exit 0
fi
exec docker-compose "$@"
SHIM
    )"
    if [ -f "$target" ] && [ "$(cat "$target")" = "$shim" ]; then
        log "compose shim already installed at $target"
        return 0
    fi
    as_root mkdir -p "$PLUGIN_DIR"
    printf '%s\n' "$shim" | as_root tee "$target" >/dev/null
    as_root chmod 0755 "$target"
    log "installed compose shim at $target ($(docker compose version))"
}

t_start=$SECONDS
if engine_answers; then
    log "engine already answering: $(docker version --format 'client {{.Client.Version}}, server {{.Server.Version}}')"
else
    install_missing docker.io:dockerd docker-compose:docker-compose iptables:iptables
    start_dockerd
    wait_for_engine
    log "engine up in $((SECONDS - t_start)) s: $(docker version --format 'server {{.Server.Version}}')"
fi
install_compose_shim
log "done in $((SECONDS - t_start)) s"
