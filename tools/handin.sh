#!/usr/bin/env bash
# Packs a student's work on an assignment for handing in (docs/assignments/README.md, "Handing in"):
#
#   tools/handin.sh [--base COMMIT] NAME          (or: make handin A=NAME [BASE=COMMIT])
#
# 1. Finds the commit the lab started from, the base, in this order:
#      --base COMMIT (BASE=...), when given;
#      else, for a lab with assignments/NAME/start.patch, the commit `make lab-start A=NAME` made
#      (the one whose message has the line "Lab-Start: NAME": tools/lab-start.sh);
#      else the merge base of HEAD and its upstream branch (a clone of the course's repository
#      tracks origin's branch; a course update merged in moves the base with it, so only the
#      student's own changes remain);
#      else the repository's first commit (a repository made from a template starts with one
#      commit holding the starting tree: GitHub Classroom's rule, docs/assignments/github-classroom.yml).
# 2. Requires time.txt (hours spent, a number on its first line) and answers-NAME.txt (the answers to
#    the handout's "Going further" questions) at the top of the tree: it refuses without them.
# 3. Builds the tree (`make kernel`): a tree that does not build is refused, with the errors.
# 4. Writes build/handin-NAME.tar.gz, holding one folder handin-NAME/ with
#      NAME.patch         every change since the base, committed or not, new files included
#                         (git diff --binary; `git apply` puts it on the starting tree);
#      time.txt, answers-NAME.txt;
#      changed/           each changed or new file as it is now, for reading;
#      base.txt           the base commit and how it was found.
#    Only files git would track are taken: .gitignore keeps build/, bin/ and obj/ out, and a file it
#    ignores is left out even if it was added by force. The student's index and branches are not touched.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
    echo "usage: make handin A=NAME [BASE=COMMIT], where NAME is one of:" $(ls assignments/*/checks.sh | cut -d/ -f2) >&2
    exit 2
}
refuse() {
    echo "handin: $*" >&2
    echo "handin: nothing was written" >&2
    exit 1
}

base=""
while [ $# -gt 1 ]; do
    case "$1" in
        --base) base=$2; shift 2 ;;
        *) usage ;;
    esac
done
name=${1:-}
if [ -z "$name" ] || [ ! -f "assignments/$name/checks.sh" ]; then usage; fi
git rev-parse --git-dir > /dev/null 2>&1 || refuse "this tree is not a git repository: the base to compare with is unknown"

# ---- 1. The base ----------------------------------------------------------------------------------
start=assignments/$name/start.patch
started=""
[ -f "$start" ] && started=$(git log -1 --format=%H --grep="^Lab-Start: $name\$" HEAD 2> /dev/null)
if [ -n "$base" ]; then
    how="given (BASE=$base)"
elif [ -n "$started" ]; then
    base=$started
    how="the commit make lab-start A=$name made"
elif upstream=$(git rev-parse --abbrev-ref --symbolic-full-name '@{upstream}' 2> /dev/null); then
    base=$(git merge-base HEAD "$upstream") || refuse "HEAD and $upstream have no common commit: give BASE=COMMIT"
    how="the merge base of HEAD and $upstream"
else
    roots=$(git rev-list --max-parents=0 HEAD)
    [ "$(printf '%s\n' "$roots" | wc -l)" -eq 1 ] || refuse "no upstream branch and several first commits: give BASE=COMMIT"
    base=$roots
    how="the repository's first commit (no upstream branch)"
fi
base=$(git rev-parse --verify --quiet "$base^{commit}") || refuse "BASE is not a commit of this repository"
if [ -f "$start" ]; then
    # Does the base have the start patch applied? Asked of the base's own files, in a private index.
    scratch_index=$(mktemp)
    if ! { GIT_INDEX_FILE=$scratch_index git read-tree "$base" &&
           GIT_INDEX_FILE=$scratch_index git apply --cached --check --reverse "$start"; } > /dev/null 2>&1; then
        rm -f "$scratch_index"
        refuse "the base, $(git log -1 --format='%h %s' "$base"), is not the $name lab's starting point: $start is not applied there. Start the lab with 'make lab-start A=$name' (before your work), or give BASE=COMMIT"
    fi
    rm -f "$scratch_index"
fi
echo "== handin $name: the lab started from $(git log -1 --format='%h %s' "$base") ($how)"

# ---- 2. The written part --------------------------------------------------------------------------
answers=answers-$name.txt
[ -s time.txt ] || refuse "time.txt is missing or empty: write the hours you spent on $name on its first line (e.g. 'echo 6 > time.txt')"
head -n 1 time.txt | grep -Eq '^[[:space:]]*[0-9]+([.,][0-9]+)?[[:space:]]*$' ||
    echo "handin: warning: time.txt's first line is not a number of hours: '$(head -n 1 time.txt)'" >&2
[ -s "$answers" ] || refuse "$answers is missing or empty: answer the questions of \"Going further\" in docs/assignments/$name.md there"

# ---- 3. The tree must build -----------------------------------------------------------------------
mkdir -p build
echo "== handin $name: building (make kernel)"
if ! make -s kernel > build/handin-build.log 2>&1; then
    tail -n 40 build/handin-build.log >&2
    refuse "the tree does not build (the whole log: build/handin-build.log); hand in a tree that builds"
fi

# ---- 4. The archive ---------------------------------------------------------------------------------
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
folder=$work/handin-$name
mkdir -p "$folder/changed"

# A private index: HEAD's files plus everything in the working tree git would track, so new files
# count and the student's own index stays as it is.
export GIT_INDEX_FILE=$work/index
git read-tree HEAD
git add -A .
# A file .gitignore ignores (build/, bin/, obj/, the ISO) is a build output even if it was added by force.
git diff --cached --name-only --diff-filter=d -z "$base" | while IFS= read -r -d '' path; do
    if git check-ignore --no-index -q -- "$path"; then
        echo "handin: warning: left out $path (a build output)" >&2
        git reset -q "$base" -- "$path"        # as the base has it (or not at all)
    fi
done
git diff --cached --binary "$base" > "$folder/$name.patch"
git diff --cached --name-only --diff-filter=d -z "$base" | while IFS= read -r -d '' path; do
    mkdir -p "$folder/changed/$(dirname "$path")"
    cp -P -- "$path" "$folder/changed/$path"
done
summary=$(git diff --cached --stat "$base" | tail -n 1 | sed 's/^ *//')
unset GIT_INDEX_FILE

[ -s "$folder/$name.patch" ] || echo "handin: warning: nothing changed since the base: the patch is empty" >&2
cp time.txt "$answers" "$folder/"
printf '%s\n%s\n' "$base" "$how" > "$folder/base.txt"

archive=build/handin-$name.tar.gz
tar --owner=0 --group=0 --sort=name -C "$work" -czf "$archive" "handin-$name"
echo "== handin $name: wrote $archive (${summary:-no changes})"
echo "   hand in that file; 'tar -tzf $archive' lists what it holds"
