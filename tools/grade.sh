#!/usr/bin/env bash
# Grades an assignment (docs/assignments/) the way MIT 6.1810's graders do: build, boot, read the
# serial log, score.
#
#   tools/grade.sh [-v] [--format text|json|classroom] [--output FILE] [--preface FILE] NAME
#                   (or: make grade A=NAME [V=1] [FORMAT=json] [OUTPUT=FILE])
#
# 1. Builds the tree as it is (`make kernel`): the kernel, the programs, and the assignments' test
#    programs (assignments/*/grade/), which call the new syscalls by number and so compile before
#    the work is done.
# 2. Runs assignments/NAME/checks.sh, which boots TeachOS with `boot` and declares its checks with
#    `check`, using the tests on the log defined below.
# 3. Prints one line per check and, last, "Score: x/y".
# A missing syscall (-ENOSYS), a kernel panic, a timeout or a failed build only makes checks fail:
# the grader always reaches its Score line. -v prints the whole serial log too; it is also kept in
# build/grade-NAME.log.
# 4. With --format json, also writes the result as Gradescope's results.json (tools/grade-json.sh;
#    the schema is docs/assignments/results.schema.json) to FILE, by default build/grade-NAME.json;
#    with --format classroom, as GitHub Classroom's reporter reads it (build/grade-NAME.classroom.json).
#    --preface FILE: text to print first, and to put first in the result's output (run_autograder
#    says there which submitted files it took).
set -uo pipefail
cd "$(dirname "$0")/.."

usage() {
    echo "usage: make grade A=NAME [V=1] [FORMAT=text|json|classroom] [OUTPUT=FILE], where NAME is one of:" \
        $(ls assignments/*/checks.sh | cut -d/ -f2) >&2
    exit 2
}

verbose=0 format=text output="" preface=""
while [ $# -gt 1 ]; do
    case "$1" in
        -v) verbose=1; shift ;;
        --format) format=$2; shift 2 ;;
        --output) output=$2; shift 2 ;;
        --preface) preface=$2; shift 2 ;;
        *) usage ;;
    esac
done
name=${1:-}
if [ -z "$name" ] || [ ! -f "assignments/$name/checks.sh" ]; then usage; fi
case "$format" in
    text) ;;
    json) output=${output:-build/grade-$name.json} ;;
    classroom) output=${output:-build/grade-$name.classroom.json} ;;
    *) echo "grade: unknown format '$format' (text, json or classroom)" >&2; usage ;;
esac
# shellcheck source=tools/grade-json.sh
source tools/grade-json.sh

mkdir -p build
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=$work/serial.log
: > "$log"
score=0 total=0

# ---- Building -----------------------------------------------------------------------------------
# Several graders may run in one tree at once (the tests do): one build at a time. -o: the build
# must not inherit the lock, or the compiler server it starts, which outlives it, would keep it.
# say TEXT...: prints a line about the build or a boot; the JSON result carries them as its output.
notes=""
say() {
    printf '%s\n' "$*"
    notes+="$*"$'\n'
}

# --preface FILE: what the caller wants said first (run_autograder: which files it took).
[ -n "$preface" ] && say "$(cat "$preface")"

say "== $name: building"
if flock -o build/.grade-build.lock make -s kernel > "$work/build.log" 2>&1; then
    built=1
else
    built=0
    say "$(tail -n 40 "$work/build.log")"
    say "the build failed, so every check fails"
fi

# ---- Booting ------------------------------------------------------------------------------------

# boot [--smp N] [--timeout SECONDS] CMDLINE: boots TeachOS headless through the one runner. What it
# printed is the log the checks read.
boot() {
    local smp=1 timeout=60
    while [ $# -gt 1 ]; do
        case "$1" in
            --smp) smp=$2; shift 2 ;;
            --timeout) timeout=$2; shift 2 ;;
            *) break ;;
        esac
    done
    [ "$built" = 1 ] || return 0
    say "== $name: booting \"$1\" (smp $smp, at most ${timeout}s)"
    local started=$SECONDS before
    before=$(wc -l < "$log")
    tools/run-qemu.sh --headless --timeout "$timeout" --smp "$smp" --cmdline "$1" \
        < /dev/null 2> "$work/runner.log" | tr -d '\r' >> "$log"
    local status=${PIPESTATUS[0]}
    say "   status $status after $((SECONDS - started))s$(explain_status "$status")"
    [ -s "$work/runner.log" ] && say "$(cat "$work/runner.log")"
    if [ "$verbose" = 1 ]; then
        echo "---- serial log ----"
        tail -n +"$((before + 1))" "$log"
        echo "---- end of serial log ----"
        # The JSON result's output does not depend on -v: the end of the log, as without it.
        [ "$status" = 0 ] || notes+="$(tail -n +"$((before + 1))" "$log" | tail -n 8 | sed 's/^/   | /')"$'\n'
    elif [ "$status" != 0 ]; then
        say "   the end of the log (all of it: make grade A=$name V=1, or build/grade-$name.log):"
        say "$(tail -n +"$((before + 1))" "$log" | tail -n 8 | sed 's/^/   | /')"
    fi
}

explain_status() {
    case "$1" in
        100) echo ": the kernel panicked (see the log)" ;;
        124) echo ": timed out" ;;
        125) echo ": QEMU stopped without a verdict (a triple fault?)" ;;
    esac
}

# ---- Checks -------------------------------------------------------------------------------------

# check POINTS "WHAT" TEST [ARGUMENTS...]: the check passes if the test succeeds; what the test
# prints is shown as the reason when it fails.
check() {
    local points=$1 what=$2
    shift 2
    total=$((total + points))
    local why
    if why=$("$@" 2>&1); then
        score=$((score + points))
        printf '  PASS  %s (%d/%d)\n' "$what" "$points" "$points"
        record_check "$what" "$points" "$points" passed "$why"
    else
        printf '  FAIL  %s (0/%d)\n' "$what" "$points"
        [ -n "$why" ] && printf '%s\n' "$why" | sed 's/^/          /'
        record_check "$what" 0 "$points" failed "$why"
    fi
    return 0
}

# ---- Tests on the log (regular expressions are grep -E's) ----------------------------------------

# line REGEX: some line of the log matches.
line() { grep -Eq -- "$1" "$log" || { echo "no line of the log matches /$1/"; return 1; }; }

# passed NAME: the test program reported "grade: pass NAME" (userland/Lib/Grade.cs).
passed() {
    grep -qx -- "grade: pass $1" "$log" && return 0
    grep -m1 -- "^grade: fail $1:" "$log" || echo "the test program did not report on $1"
    return 1
}

# fact NAME: prints the value the test program gave with "grade: fact NAME=VALUE" (or "missing").
fact() {
    local value
    value=$(sed -n "s/^grade: fact $1=//p" "$log" | tail -n 1)
    echo "${value:-missing}"
}

# section NAME: prints the lines between "grade: begin NAME" and "grade: end NAME".
section() { sed -n "/^grade: begin $1\$/,/^grade: end $1\$/p" "$log"; }

# in_section NAME REGEX / not_in_section NAME REGEX
in_section() {
    section "$1" | grep -Eq -- "$2" || { echo "no line of section $1 matches /$2/"; show_section "$1"; return 1; }
}
not_in_section() {
    ! section "$1" | grep -Eq -- "$2" || { echo "section $1 has a line matching /$2/"; show_section "$1"; return 1; }
}

# in_order NAME REGEX...: section NAME has lines matching each REGEX, in this order.
in_order() {
    local name=$1 from=1 at
    shift
    for pattern in "$@"; do
        at=$(section "$name" | tail -n +"$from" | grep -En -m1 -- "$pattern" | cut -d: -f1)
        if [ -z "$at" ]; then
            echo "section $name: no line matching /$pattern/ after line $((from - 1)) of the section"
            show_section "$name"
            return 1
        fi
        from=$((from + at))
    done
}

show_section() {
    local lines
    lines=$(section "$1")
    if [ -z "$lines" ]; then echo "(section $1 is not in the log)"; else printf '%s\n' "$lines" | head -n 40 | sed 's/^/| /'; fi
}

# ---- The assignment's boots and checks ------------------------------------------------------------
# shellcheck source=/dev/null
source "assignments/$name/checks.sh"

cp "$log" "build/grade-$name.log"
case "$format" in
    json) write_results_json "$output"; echo "results: $output" ;;
    classroom) write_classroom_json "$output"; echo "results: $output" ;;
esac
echo "Score: $score/$total"
