#!/usr/bin/env bash
# Builds OFFLINE TEST STAND-INS for the images the official course uses (lessons/course.toml
# `images`), for machines that cannot pull from a registry (CI here). Each stand-in is built from
# local material (a debootstrap root, or Debian packages, from the configured Debian mirror), imported with
# `docker import` and labelled as a stand-in. Real learners pull the real images; these exist
# only so the end-to-end test can run the course offline.
#
# Idempotent and cached: an image that already exists is left alone (`--force` rebuilds).
# Usage: scripts/standin-images.sh [--force] [COURSE_TOML]
set -euo pipefail

readonly LABEL_DESC='docker-guide offline test stand-in, not the real image'
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
force=0
course_toml="$repo_root/lessons/course.toml"
for arg in "$@"; do
    case "$arg" in
        --force) force=1 ;;
        -h | --help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) course_toml="$arg" ;;
    esac
done

log() { printf '[standin %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "debootstrap needs root; run as root or install sudo"
    sudo_cmd=(sudo)
fi

docker info >/dev/null 2>&1 || die "no Docker engine reachable; run scripts/docker-engine.sh first"
[ -f "$course_toml" ] || die "no course file at $course_toml"

# The `images = [...]` list of course.toml (single line or spread over several lines).
course_images() {
    if command -v python3 >/dev/null && python3 -c 'import tomllib' 2>/dev/null; then
        python3 -c 'import sys, tomllib; [print(i) for i in tomllib.load(open(sys.argv[1], "rb")).get("images", [])]' "$1"
    else
        tr '\n' ' ' <"$1" | sed -n 's/.*images[[:space:]]*=[[:space:]]*\[\([^]]*\)\].*/\1/p' |
            tr ',' '\n' | sed 's/^[[:space:]"]*//; s/[[:space:]"]*$//' | sed '/^$/d'
    fi
}

# The Debian mirror apt already uses on this host (deb822 `URIs:` or one-line `deb URL`).
debian_mirror() {
    local uri
    uri="$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null |
        awk '{print $2}' | grep -v -- '-security' | grep -m1 '/debian/*$' || true)"
    if [ -z "$uri" ]; then
        uri="$(grep -hsE '^deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
            awk '{print $2}' | grep -v -- '-security' | grep -m1 '/debian/*$' || true)"
    fi
    printf '%s\n' "${uri:-http://deb.debian.org/debian}"
}

# python:X.Y-slim stand-ins: a Debian root from debootstrap with the Python that Debian ships for
# that version, pip, the host's CA bundle so pip reaches the package index through this network's
# TLS interception, no EXTERNALLY-MANAGED marker (like the real image, pip installs system-wide),
# and `python`/`pip` names as in the official image. The real images are Debian trixie with
# Python built from source in /usr/local; where Debian has no package of the exact version, the
# stand-in says in its labels which Python it really contains:
#   python:3.15-slim  Debian sid's python3.15 (the real version; pip from python3-pip)
#   python:3.12-slim  Debian bookworm's python3 3.11 (no Debian release ships 3.12; the course
#                     uses this image only for NumPy 1.26, which has wheels for 3.11 and 3.12)
# build_python_slim TAG SUITE INTERPRETER PACKAGES
build_python_slim() {
    local tag="$1" suite="$2" interpreter="$3" packages="$4" root mirror
    if ! command -v debootstrap >/dev/null; then
        log "installing debootstrap with apt"
        "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive sh -c 'apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null' ||
            die "debootstrap is missing and could not be installed"
    fi
    mirror="$(debian_mirror)"
    root="$(mktemp -d /var/tmp/dg-standin-root.XXXXXX)"
    # shellcheck disable=SC2064  # expand $root now: the trap runs after this function returns
    trap "${sudo_cmd[*]} rm -rf '$root'" EXIT

    log "debootstrap $suite ($packages) from $mirror into $root"
    local t0=$SECONDS
    "${sudo_cmd[@]}" debootstrap --variant=minbase --include="$packages" \
        "$suite" "$root" "$mirror" >"$root.debootstrap.log" 2>&1 ||
        { tail -n 30 "$root.debootstrap.log" >&2; die "debootstrap failed (log: $root.debootstrap.log)"; }
    log "debootstrap done in $((SECONDS - t0)) s"

    local host_ca=/etc/ssl/certs/ca-certificates.crt
    [ -f "$host_ca" ] || die "host CA bundle $host_ca not found"
    # shellcheck disable=SC2016  # expanded by the inner shell, on purpose
    "${sudo_cmd[@]}" sh -euc '
        root="$1"; host_ca="$2"; interpreter="$3"
        cp "$host_ca" "$root/etc/ssl/certs/ca-certificates.crt"
        rm -f "$root"/usr/lib/python3*/EXTERNALLY-MANAGED
        ln -sf "/usr/bin/$interpreter" "$root/usr/local/bin/python"
        ln -sf "/usr/bin/$interpreter" "$root/usr/local/bin/python3"
        # pip for this interpreter (Debian builds python3-pip for its default python3 only;
        # its pip package sits in /usr/lib/python3/dist-packages, which every python3.X reads).
        printf "#!/bin/sh\nexec /usr/bin/%s -m pip \"\$@\"\n" "$interpreter" >"$root/usr/local/bin/pip"
        chmod 755 "$root/usr/local/bin/pip"
        ln -sf pip "$root/usr/local/bin/pip3"
        # What the real slim image also leaves out: apt lists and caches, docs, man pages.
        rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
            "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
            "$root"/var/log/*.log "$root"/var/log/apt/* "$root"/tmp/* "$root"/root/.cache
        find "$root/usr/lib" -name __pycache__ -type d -prune -exec rm -rf {} +
    ' sh "$root" "$host_ca" "$interpreter"

    # What the stand-in really contains, for its labels (the real image has the tag's Python).
    local python_version pip_version contents
    python_version="$("${sudo_cmd[@]}" chroot "$root" "/usr/bin/$interpreter" -c 'import platform; print(platform.python_version())')" ||
        die "the stand-in's $interpreter does not run"
    pip_version="$("${sudo_cmd[@]}" chroot "$root" /usr/local/bin/pip --version | awk '{print $2}')" ||
        die "pip does not run with the stand-in's $interpreter"
    contents="Debian $suite, Python $python_version (Debian's $interpreter), pip $pip_version"
    log "$tag stand-in contains: $contents"

    local changes=(
        --change "LABEL org.opencontainers.image.description=\"$LABEL_DESC\""
        --change "LABEL org.opencontainers.image.title=\"$tag (stand-in: $contents)\""
        --change "LABEL io.docker-guide.standin.contents=\"$contents\""
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
        --change 'ENV LANG=C.UTF-8'
        --change "ENV PYTHON_VERSION=$python_version"
        # Tools with their own root store (uv) trust the copied bundle too, as pip does.
        --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt'
        --change 'CMD ["python3"]'
    )
    # Pip settings this host relies on (a long timeout for a slow network), when set.
    local var
    for var in PIP_DEFAULT_TIMEOUT PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_TRUSTED_HOST; do
        if [ -n "${!var:-}" ]; then changes+=(--change "ENV $var=${!var}"); fi
    done

    log "importing $root as $tag"
    t0=$SECONDS
    "${sudo_cmd[@]}" tar --numeric-owner -C "$root" -c . | docker import "${changes[@]}" - "$tag" >/dev/null
    log "import done in $((SECONDS - t0)) s"
    "${sudo_cmd[@]}" rm -rf "$root" "$root.debootstrap.log"
    trap - EXIT
}

# registry:2 stand-in: the Distribution registry from Debian's `docker-registry` package (the
# same program as the official image, 2.8), with the C library it links against (Debian's
# `libc6`) and the official image's config: port 5000, storage in /var/lib/registry, no auth.
# Both packages come from the host's apt sources with `apt-get download`; no debootstrap needed.
build_registry() {
    local tag="$1" root debs
    root="$(mktemp -d /var/tmp/dg-standin-registry.XXXXXX)"
    debs="$root.debs"
    mkdir -p "$debs"
    # shellcheck disable=SC2064  # expand the paths now: the trap runs after this function returns
    trap "rm -rf '$root' '$debs'" EXIT
    log "downloading docker-registry and libc6 with apt-get"
    (cd "$debs" && apt-get download -q docker-registry libc6 >/dev/null 2>"$debs/apt.log") ||
        (cd "$debs" && "${sudo_cmd[@]}" apt-get update -qq && apt-get download -q docker-registry libc6 >/dev/null 2>>"$debs/apt.log") ||
        { cat "$debs/apt.log" >&2; die "apt-get download docker-registry libc6 failed"; }
    local deb
    for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$root"; done
    rm -rf "$root"/usr/share "$root"/etc/init.d "$root"/lib/systemd "$root"/usr/lib/systemd
    mkdir -p "$root/var/lib/registry" "$root/tmp"
    chmod 1777 "$root/tmp"
    cat >"$root/etc/docker/registry/config.yml" <<'YAML'
# The official registry:2 image's configuration (docker-guide stand-in).
version: 0.1
log:
  fields:
    service: registry
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: /var/lib/registry
http:
  addr: :5000
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
YAML
    log "importing $root as $tag"
    tar --numeric-owner --owner=0 --group=0 -C "$root" -c . | docker import \
        --change "LABEL org.opencontainers.image.description=\"$LABEL_DESC\"" \
        --change "LABEL org.opencontainers.image.title=\"$tag (stand-in)\"" \
        --change 'EXPOSE 5000' \
        --change 'VOLUME ["/var/lib/registry"]' \
        --change 'ENTRYPOINT ["/usr/bin/docker-registry"]' \
        --change 'CMD ["serve", "/etc/docker/registry/config.yml"]' \
        - "$tag" >/dev/null
    rm -rf "$root" "$debs"
    trap - EXIT
}

build_standin() {
    case "$1" in
        python:3.15-slim) build_python_slim "$1" sid python3.15 python3.15,python3.15-venv,python3-pip,ca-certificates ;;
        python:3.12-slim) build_python_slim "$1" bookworm python3 python3,python3-pip,python3-venv,ca-certificates ;;
        registry:2) build_registry "$1" ;;
        *) die "no stand-in recipe for image '$1' (add one to ${BASH_SOURCE[0]})" ;;
    esac
}

mapfile -t images < <(course_images "$course_toml")
[ "${#images[@]}" -gt 0 ] || { log "course.toml lists no images: nothing to do"; exit 0; }

for image in "${images[@]}"; do
    if docker image inspect "$image" >/dev/null 2>&1; then
        desc="$(docker image inspect --format '{{index .Config.Labels "org.opencontainers.image.description"}}' "$image" 2>/dev/null || true)"
        if [ "$force" -eq 0 ]; then
            if [ "$desc" = "$LABEL_DESC" ]; then log "$image: stand-in already present, skipped"; else log "$image: real image present, skipped"; fi
            continue
        fi
        [ "$desc" = "$LABEL_DESC" ] || die "$image is a real image; refusing to replace it with a stand-in"
        docker image rm "$image" >/dev/null
    fi
    start=$SECONDS
    build_standin "$image"
    log "$image: stand-in built in $((SECONDS - start)) s ($(docker image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}'))"
done
