#!/usr/bin/env bash
# Starts a lab whose starting point is the tree with a feature taken out, the way 6.1810 gives each
# lab a branch of its own:
#
#   tools/lab-start.sh NAME          (or: make lab-start A=NAME)
#
# TeachOS's tree holds every feature the guide describes, the double-indirect block and symbolic
# links among them; a lab that asks a student to build one of them carries assignments/NAME/start.patch,
# which takes it out. This script applies that patch to the checkout and commits it, with the line
# "Lab-Start: NAME" in the message, so that
#   - the student starts from what the handout describes (make grade A=NAME scores below full),
#   - `make handin A=NAME` finds that commit and hands in only what came after it.
# It refuses a checkout with uncommitted changes (the commit must hold the start patch alone), one
# where the patch is already applied, and a lab without a start.patch (its starting point is the tree).
set -euo pipefail
cd "$(dirname "$0")/.."

name=${1:-}
if [ -z "$name" ] || [ ! -f "assignments/$name/checks.sh" ]; then
    echo "usage: make lab-start A=NAME, where NAME is one of:" $(ls assignments/*/start.patch 2> /dev/null | cut -d/ -f2) >&2
    exit 2
fi
start=assignments/$name/start.patch
refuse() {
    echo "lab-start: $*" >&2
    echo "lab-start: nothing was changed" >&2
    exit 1
}
[ -f "$start" ] || refuse "$name has no $start: its starting point is the tree as it is; just read docs/assignments/$name.md"
git rev-parse --git-dir > /dev/null 2>&1 || refuse "this tree is not a git repository"
[ -z "$(git status --porcelain --untracked-files=normal)" ] ||
    refuse "the checkout has uncommitted changes (git status lists them): commit or stash them first, so the start commit holds the start patch alone"
if git apply --reverse --check "$start" 2> /dev/null; then
    refuse "$start is already applied here ($(git log -1 --grep="^Lab-Start: $name\$" --format='%h %s' HEAD 2> /dev/null || true))"
fi
error=$(git apply --check "$start" 2>&1) || refuse "$start does not apply to this tree:
$error"

git apply --index "$start"
# The commit needs an author; a new checkout may not have one configured.
identity=()
git config user.name > /dev/null || identity+=(-c user.name=student)
git config user.email > /dev/null || identity+=(-c user.email=student@teachos.invalid)
git "${identity[@]}" commit -q -m "Start the $name lab: $start applied" -m "Lab-Start: $name"
echo "lab-start: applied $start and committed it as $(git log -1 --format='%h "%s"')"
git show --stat --format= HEAD | sed 's/^/   /'
echo "lab-start: the tree is now the lab's starting point: read docs/assignments/$name.md;"
echo "           make grade A=$name grades your work, make handin A=$name hands in what follows this commit"
