#!/usr/bin/env bash
# Checks that every patch the test suite applies still applies to this tree, without changing it:
#
#   tools/check-patches.sh [PATCH...]
#
# By default: tests/Assignments/Planted/*.patch, assignments/*/start.patch, assignments/*/solution.patch
# and assignments/*/wrong/*.patch. A lab with a start.patch (tools/lab-start.sh) has its solution and
# wrong solutions made on top of it, so each of those is checked on a scratch copy of the tree with the
# start patch applied first; everything else is checked on the tree itself. Prints one line per patch
# that does not apply (with git's reason) and a count; exits 1 if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ $# -eq 0 ]; then
    set -- tests/Assignments/Planted/*.patch assignments/*/start.patch assignments/*/solution.patch assignments/*/wrong/*.patch
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# started NAME: a copy of the tree's tracked files with assignments/NAME/start.patch applied (made once).
started() {
    local copy=$scratch/$1
    if [ ! -d "$copy" ]; then
        mkdir -p "$copy"
        git ls-files -z | while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done |
            xargs -0 cp -p --parents -t "$copy"
        (cd "$copy" && GIT_CEILING_DIRECTORIES=$scratch git apply "$OLDPWD/assignments/$1/start.patch") || return 1
    fi
    echo "$copy"
}

failed=0 checked=0
for patch in "$@"; do
    [ -f "$patch" ] || continue
    checked=$((checked + 1))
    tree=.
    lab=""
    case "$patch" in
        assignments/*/start.patch) ;;
        assignments/*) lab=$(echo "$patch" | cut -d/ -f2) ;;
    esac
    if [ -n "$lab" ] && [ -f "assignments/$lab/start.patch" ]; then
        if ! tree=$(started "$lab"); then
            echo "FAIL $patch: assignments/$lab/start.patch, which it goes on top of, does not apply"
            failed=$((failed + 1))
            continue
        fi
    fi
    if ! error=$(cd "$tree" && GIT_CEILING_DIRECTORIES=$scratch git apply --check "$OLDPWD/$patch" 2>&1); then
        echo "FAIL $patch$([ "$tree" != . ] && echo " (on top of assignments/$lab/start.patch)"):"
        printf '%s\n' "$error" | sed 's/^/    /'
        failed=$((failed + 1))
    fi
done
echo "check-patches: $((checked - failed)) of $checked patches apply"
[ "$failed" = 0 ]
