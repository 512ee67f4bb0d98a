#!/usr/bin/env bash
# Packs what Gradescope runs for one assignment into build/autograder-NAME.zip:
#
#   tools/autograder/pack.sh NAME [ZIP]   (or: make autograder A=NAME)
#
# The zip's top level is what Gradescope expects (it unpacks it into /autograder/source):
#   setup.sh          installs the Debian packages and the .NET SDK, builds the starting tree once
#   run_autograder    applies a submission to the starting tree, grades, writes results.json
#   assignment        the assignment's name
#   teachos/          the starting tree: the checkout's files as they are in the working tree, with
#                     assignments/NAME/start.patch applied if the lab has one (it takes the lab's
#                     feature out of the tree: tools/lab-start.sh)
# Upload the zip as the assignment's autograder ("Zip file upload", base image Ubuntu).
set -euo pipefail
cd "$(dirname "$0")/../.."

name=${1:-}
if [ -z "$name" ] || [ ! -f "assignments/$name/checks.sh" ]; then
    echo "usage: make autograder A=NAME, where NAME is one of:" $(ls assignments/*/checks.sh | cut -d/ -f2) >&2
    exit 2
fi

mkdir -p build
zip=$(realpath -m "${2:-build/autograder-$name.zip}")
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT

# The checkout's files (tracked, and new ones not ignored), not the build outputs: the package builds
# from scratch in setup.sh. A tracked file deleted in the working tree is left out.
mkdir -p "$staging/teachos"
git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done |
    xargs -0 cp -p --parents -t "$staging/teachos"
# shellcheck source=tools/autograder/submission.sh
source tools/autograder/submission.sh
apply_start_patch "$staging/teachos" "$name" || exit 1
cp -p tools/autograder/setup.sh tools/autograder/run_autograder "$staging/"
printf '%s\n' "$name" > "$staging/assignment"

rm -f "$zip"
(cd "$staging" && zip -q -r -X "$zip" setup.sh run_autograder assignment teachos)
echo "autograder for $name: $(realpath --relative-to=. "$zip") ($(du -k "$zip" | cut -f1) KiB)"
