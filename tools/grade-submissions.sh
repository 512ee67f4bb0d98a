#!/usr/bin/env bash
# Grades students' work on an assignment with this tree's own grader, as an instructor or a TA does:
#
#   tools/grade-submissions.sh [--results DIR] NAME SUBMISSION...
#                   (or: make grade A=NAME SUBMISSIONS="SUBMISSION ...")
#
# A SUBMISSION is a folder holding a student's repository (a clone, an unpacked zip), a patch
# (git diff's output, *.patch or *.diff), or the archive `make handin` writes (handin-NAME.tar.gz).
# For each, in turn:
# 1. A fresh copy of this tree (its tracked files and new ones git does not ignore) is the trusted
#    copy: the grader (tools/, assignments/), the test programs, the grading library
#    (userland/Lib/Grade.cs), the Makefile, all as they are here, and this tree's build outputs
#    (tools/copy-build.sh), so that the copy rebuilds only what the submission changes.
#    For a lab with assignments/NAME/start.patch (its feature taken out of the tree), the patch is
#    applied to the copy first: the copy is then the starting point the student worked from.
# 2. The submission is put onto the copy by tools/autograder/submission.sh, as on Gradescope: only
#    files a student may change (tools/autograder/submission-files.txt: the kernel, the ABI, user
#    programs other than the test programs) are taken; the rest are listed as ignored. So a
#    submission that changed the grader, a test program or Grade.cs is graded by the originals.
# 3. The copy's tools/grade.sh (this tree's) grades it: verdicts count only with the run's secret,
#    a fail wins over a pass, each part has its own log and timeout.
# Writes DIR/SUBMISSION.txt (what was taken and everything the grader printed) and
# DIR/SUBMISSION.json (Gradescope's results.json); DIR is build/grades/NAME unless --results says.
# Prints one line per submission, "SUBMISSION: Score x/y", as it goes.
set -uo pipefail
cd "$(dirname "$0")/.."
trusted=$(pwd)

results=""
if [ "${1:-}" = --results ]; then results=$2; shift 2; fi
name=${1:-}
if [ -z "$name" ] || [ ! -f "assignments/$name/checks.sh" ] || [ $# -lt 2 ]; then
    echo "usage: make grade A=NAME SUBMISSIONS=\"DIR|PATCH|HANDIN.tar.gz ...\", where NAME is one of:" \
        $(ls assignments/*/checks.sh | cut -d/ -f2) >&2
    exit 2
fi
shift
results=$(realpath -m "${results:-build/grades/$name}")
mkdir -p "$results"

# shellcheck source=tools/autograder/submission.sh
source tools/autograder/submission.sh

# submission_folder SUBMISSION FOLDER: puts what apply_submission reads into FOLDER: the folder's
# contents, the one patch, or the patch from a handin archive.
submission_folder() {
    local submission=$1 folder=$2
    if [ -d "$submission" ]; then
        cp -r "$submission/." "$folder/"
    elif [[ $submission == *.tar.gz || $submission == *.tgz ]]; then
        local unpacked
        unpacked=$(mktemp -d)
        tar -xzf "$submission" -C "$unpacked" || { rm -rf "$unpacked"; return 1; }
        find "$unpacked" -maxdepth 2 -type f -name '*.patch' -exec cp {} "$folder/" \;
        rm -rf "$unpacked"
    elif [ -f "$submission" ]; then
        cp "$submission" "$folder/"
    else
        return 1
    fi
}

# This tree is built once (nothing to do if it is built already), and each copy starts from its build
# (tools/copy-build.sh): a submission's build redoes what the submission changed, not the whole tree.
# A failed build here is not fatal: each copy then builds itself, and its grader reports.
mkdir -p build
flock -o build/.grade-build.lock make -s kernel > /dev/null 2>&1 || true

status=0
for submission in "$@"; do
    label=$(basename "$submission")
    label=${label%.tar.gz}
    label=${label%.patch}
    label=${label%.diff}
    report=$results/$label.txt
    copy=$(mktemp -d) folder=$(mktemp -d)
    git ls-files -z --cached --others --exclude-standard |
        while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done |
        xargs -0 cp -p --parents -t "$copy"
    flock -o build/.grade-build.lock tools/copy-build.sh "$trusted" "$copy"
    if ! submission_folder "$submission" "$folder"; then
        echo "$label: cannot read $submission (a folder, a patch or a handin archive)" | tee "$report"
        status=1
        rm -rf "$copy" "$folder"
        continue
    fi
    if ! apply_start_patch "$copy" "$name" > "$copy/.submission.txt"; then
        cat "$copy/.submission.txt" | tee "$report"
        status=1
        rm -rf "$copy" "$folder"
        continue
    fi
    apply_submission "$folder" "$copy" >> "$copy/.submission.txt"
    (cd "$copy" && tools/grade.sh --format json --output "$results/$label.json" --preface .submission.txt "$name") > "$report" 2>&1
    echo "$label: $(grep -E '^Score: ' "$report" | tail -n 1)"
    grep -qE '^Score: ([0-9]+)/\1$' "$report" || status=1
    rm -rf "$copy" "$folder"
done
echo "reports: $(realpath --relative-to="$trusted" "$results" 2> /dev/null || echo "$results")"
exit $status
