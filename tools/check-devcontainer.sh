#!/usr/bin/env bash
# Builds the dev container's image (.devcontainer/Dockerfile) and runs `make test` inside it, where this
# machine can: a container engine (Docker or Podman) that answers, and the base images reachable.
# Elsewhere it says why it skipped. tools/test.sh runs it last and counts it as one test.
# Prints one of:  devcontainer: passed | devcontainer: failed (...) | devcontainer: skipped (...)
# Inside the container itself (TEACHOS_IN_DEVCONTAINER=1) it skips, or it would nest forever.
set -uo pipefail
cd "$(dirname "$0")/.."

skip() { echo "devcontainer: skipped ($1)"; exit 0; }

[ "${TEACHOS_IN_DEVCONTAINER:-}" = 1 ] && skip "already inside the dev container"
engine=""
for candidate in docker podman; do
    if command -v "$candidate" >/dev/null 2>&1 && timeout 20 "$candidate" info >/dev/null 2>&1; then
        engine=$candidate; break
    fi
done
[ -n "$engine" ] || skip "no Docker or Podman daemon answers on this machine"

log=build/test-logs/devcontainer.log
mkdir -p build/test-logs
# The base images come from mcr.microsoft.com; with no route there, say so rather than fail.
if ! timeout 300 "$engine" pull --platform=linux/amd64 mcr.microsoft.com/devcontainers/base:bookworm > "$log" 2>&1; then
    skip "cannot pull mcr.microsoft.com/devcontainers/base:bookworm (see $log)"
fi
if ! timeout 1800 "$engine" build --platform=linux/amd64 -t teachos-devcontainer -f .devcontainer/Dockerfile . >> "$log" 2>&1; then
    echo "devcontainer: failed (the image did not build; see $log)"; exit 1
fi
# A fresh clone inside the container, as a student's checkout would be.
if timeout 3000 "$engine" run --rm --platform=linux/amd64 -e TEACHOS_IN_DEVCONTAINER=1 -v "$PWD":/src:ro \
        teachos-devcontainer bash -c 'git config --global --add safe.directory "*" && git clone -q /src /work && cd /work && make test' >> "$log" 2>&1; then
    echo "devcontainer: passed"
else
    echo "devcontainer: failed (make test inside the container; see $log)"; exit 1
fi
