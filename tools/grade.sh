#!/usr/bin/env bash
# Grades an assignment (docs/assignments/) the way MIT 6.1810's graders do: build, boot, read the
# serial log, score.
#
#   tools/grade.sh [-v] [--only PART[,PART...]] [--format text|json|classroom] [--output FILE]
#                  [--preface FILE] NAME
#                  (or: make grade A=NAME [T=PART] [V=1] [FORMAT=json] [OUTPUT=FILE])
#
# 1. Builds the tree as it is (`make kernel`): the kernel, the programs, and the assignments' test
#    programs (assignments/*/grade/), which call the new syscalls by number and so compile before
#    the work is done.
# 2. Reads assignments/NAME/checks.sh, which declares the assignment's parts (`part`, `boot`) and,
#    after each, the checks that read that part's log (`check`), using the tests on the log below.
# 3. Runs the parts, each in its own piece of log with its own timeout (see "Running the parts").
#    A part that panics the kernel, hangs or stops the program fails its own checks only: the
#    parts after it run again in a new boot. --only runs just the named parts (T= in make).
# 4. Prints each check with what was measured, pass or fail, and, last, "Score: x/y". The exit
#    status is 0 at full marks and 1 below.
# A missing syscall (-ENOSYS), a kernel panic, a timeout or a failed build only makes checks fail:
# the grader always reaches its Score line. -v prints every boot's serial log too; they are kept in
# build/grade-NAME.log, and each part's own log in build/grade-NAME/PART.log.
# 5. With --format json, also writes the result as Gradescope's results.json (tools/grade-json.sh;
#    the schema is docs/assignments/results.schema.json) to FILE, by default build/grade-NAME.json;
#    with --format classroom, as GitHub Classroom's reporter reads it (build/grade-NAME.classroom.json).
#    --preface FILE: text to print first, and to put first in the result's output (run_autograder
#    says there which submitted files it took).
#
# Trust. This script believes a test program's verdict only if the line carries the secret it made
# for this run (`grade[SECRET]: pass NAME: ...`, userland/Lib/Grade.cs), which it hands to the
# program on the kernel command line; a fail for a check wins over any pass for it; a section must
# be whole (begin and end) to be read. It still runs the tree it is in: to grade a student's work
# with the instructor's grader, programs and library, use tools/grade-submissions.sh, which puts
# only the files a student may change onto a copy of the trusted tree.
set -uo pipefail
cd "$(dirname "$0")/.."

assignments() { ls assignments/*/checks.sh | cut -d/ -f2; }

usage() {
    echo "usage: make grade A=NAME [T=PART] [V=1] [FORMAT=text|json|classroom] [OUTPUT=FILE], where NAME is one of:" \
        $(assignments) >&2
    exit 2
}

verbose=0 format=text output="" preface="" only=""
while [ $# -gt 1 ]; do
    case "$1" in
        -v) verbose=1; shift ;;
        --only) only=$2; shift 2 ;;
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
logs=build/grade-$name
rm -rf "$logs" "build/grade-$name.log"
mkdir -p "$logs"
: > "build/grade-$name.log"
score=0 total=0

# The run's secret: 16 hex digits no earlier log and no program in the tree can know. The test
# program's verdict lines start with tag (tag_re is the same as a regular expression).
secret=$(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')
tag="grade[$secret]: "
tag_re="grade\\[$secret\\]: "

# say TEXT...: prints a line about the build or a boot; the JSON result carries them as its output.
notes=""
say() {
    printf '%s\n' "$*"
    notes+="$*"$'\n'
}

# --preface FILE: what the caller wants said first (run_autograder: which files it took).
[ -n "$preface" ] && say "$(cat "$preface")"

# A lab whose feature the tree has (assignments/NAME/start.patch takes it out) is graded as the tree
# is: a student's tree has the start patch applied (make lab-start). If it could still be applied
# here, this tree has the feature, and the score says nothing about anyone's work: say so.
if [ -f "assignments/$name/start.patch" ] && git apply --check "assignments/$name/start.patch" > /dev/null 2>&1; then
    say "note: assignments/$name/start.patch is not applied here, so this grades the tree's own $name feature; run make lab-start A=$name to start the lab"
fi

# ---- Declaring the parts and the checks (checks.sh calls these) ----------------------------------
# part NAME [--smp N] [--timeout SECONDS] [--disk MIB] CMDLINE: a part of the assignment's test
#   program. CMDLINE boots it as init (init=/bin/PROGRAM must come last); the grader adds `--secret
#   SECRET` and the names of the parts to run. Parts with the same CMDLINE, CPUs and disk, one after
#   another, share a boot; each has its own timeout (default 60 s), counted from its start. --disk:
#   the boot gets a disk of MIB MiB, mounted at /disk, made afresh for it (`make disk-image`: mkfs
#   from userland/Disk), so no earlier boot or `make run` leaves anything on it. Both states of that
#   disk are kept for the checks: build/grade-NAME/PART.base.img as mkfs made it, before the boot
#   (what a `disk-trace` boot's writes are replayed onto: the crash lab's explorer), and
#   PART.disk.img as the boot left it.
# boot NAME [--smp N] [--timeout SECONDS] [--disk MIB] CMDLINE: a part that is a boot of its own, for
#   programs that are not test programs (the student's, or a boot the kernel stops on purpose with
#   crash-after-writes): its log is the whole boot's.
# check POINTS "WHAT" TEST [ARGUMENTS...]: a check of the part declared last. TEST runs once the
#   part has run, with $log its log, and for a part with --disk $base_image and $disk_image the paths
#   of its disk's two states (empty otherwise): facts (a pid) must be read inside TEST, not when
#   checks.sh is sourced. The check passes if the test succeeds; what the test prints is shown either way.
part_names=() part_kinds=() part_smps=() part_timeouts=() part_disks=() part_cmdlines=()
check_parts=() check_points=() check_whats=() check_tests=()

declare_part() {
    local kind=$1 part=$2 smp=1 timeout=60 disk=""
    shift 2
    while [ $# -gt 1 ]; do
        case "$1" in
            --smp) smp=$2; shift 2 ;;
            --timeout) timeout=$2; shift 2 ;;
            --disk) disk=$2; shift 2 ;;
            *) echo "checks.sh: $kind $part: unknown option $1" >&2; exit 2 ;;
        esac
    done
    part_names+=("$part")
    part_kinds+=("$kind")
    part_smps+=("$smp")
    part_timeouts+=("$timeout")
    part_disks+=("$disk")
    part_cmdlines+=("$1")
}
part() { declare_part part "$@"; }
boot() { declare_part boot "$@"; }

check() {
    local points=$1 what=$2 quoted
    shift 2
    [ ${#part_names[@]} -gt 0 ] || { echo "checks.sh: check \"$what\" comes before any part" >&2; exit 2; }
    printf -v quoted '%q ' "$@"
    check_parts+=($((${#part_names[@]} - 1)))
    check_points+=("$points")
    check_whats+=("$what")
    check_tests+=("$quoted")
}

# shellcheck source=/dev/null
source "assignments/$name/checks.sh"

# --only: the parts asked for, by name; every part otherwise.
selected=()
for i in "${!part_names[@]}"; do
    if [ -z "$only" ] || [[ ",$only," == *",${part_names[$i]},"* ]]; then selected+=("$i"); fi
done
for wanted in ${only//,/ }; do
    if ! printf '%s\n' "${part_names[@]}" | grep -qxF -- "$wanted"; then
        echo "grade: $name has no part '$wanted'; its parts are: ${part_names[*]}" >&2
        exit 2
    fi
done

# ---- Building -----------------------------------------------------------------------------------
# Several graders may run in one tree at once (the tests do): one build at a time. -o: the build
# must not inherit the lock, or the compiler server it starts, which outlives it, would keep it.
say "== $name: building"
build_start=$SECONDS
if flock -o build/.grade-build.lock make -s kernel > "$work/build.log" 2>&1; then
    built=1
    say "== $name: built in $((SECONDS - build_start))s"
else
    built=0
    say "$(tail -n 40 "$work/build.log")"
    say "the build failed, so every check fails"
fi

# ---- Running the parts ----------------------------------------------------------------------------
# part_states[i]: "done", or why the part failed. part_times[i]: how long it ran.
part_states=() part_times=()
boots=0

explain_status() {
    case "$1" in
        100) echo "the kernel panicked" ;;
        101) echo "the kernel stopped the machine at its crash point (crash-after-writes)" ;;
        124) echo "the boot timed out" ;;
        125) echo "QEMU stopped without a verdict (a triple fault?)" ;;
        126) echo "QEMU failed" ;;
        139) echo "init was killed for a fault (status 139)" ;;
        *) echo "init ended with status $1" ;;
    esac
}

# started_part LOG: the part the program has started and not finished yet, if any.
started_part() {
    tr -d '\r' < "$1" | sed -n -e "s/^${tag_re}part \\([a-z0-9-]*\\)\$/start \\1/p" \
        -e "s/^${tag_re}part-done \\([a-z0-9-]*\\) [0-9]*\$/done \\1/p" | tail -n 1 | sed -n 's/^start //p'
}

# run_boot FIRST COUNT: boots the COUNT parts from queue[FIRST] on in one boot, watching each part's
# timeout, and records the state of those that ran. Sets ran to the number that started.
run_boot() {
    local first=$1 count=$2 index=${queue[$1]} j names=() limit=60
    local cmdline=${part_cmdlines[$index]} smp=${part_smps[$index]} kind=${part_kinds[$index]} disk=()
    for ((j = first; j < first + count; j++)); do
        names+=("${part_names[${queue[$j]}]}")
        limit=$((limit + part_timeouts[${queue[$j]}]))
    done
    [ "$kind" = part ] && cmdline+=" --secret $secret ${names[*]}"
    [ "$kind" = boot ] && limit=${part_timeouts[$index]}
    boots=$((boots + 1))
    local raw=$work/boot-$boots.raw clean=$work/boot-$boots.log started=$SECONDS images=""
    say "== $name: boot $boots: ${names[*]} (smp $smp${part_disks[$index]:+, a fresh ${part_disks[$index]} MiB disk}, at most ${limit}s)"
    if [ -n "${part_disks[$index]}" ]; then
        images=$logs/boot-$boots
        disk=(--disk "$images.disk.img")
        if make -s disk-image IMAGE="$images.disk.img" MIB="${part_disks[$index]}" > "$work/mkfs.log" 2>&1; then
            cp "$images.disk.img" "$images.base.img"
        else
            say "   making its disk failed: $(tail -n 5 "$work/mkfs.log")"
        fi
    fi
    # setsid: the runner, its timeout and QEMU form one process group, so the watchdog below stops
    # all of them at once.
    setsid tools/run-qemu.sh --headless --timeout "$limit" --smp "$smp" "${disk[@]}" --cmdline "$cmdline" \
        < /dev/null > "$raw" 2> "$work/runner.log" &
    # The watchdog looks four times a second: a boot that ends is noticed within a quarter of a second
    # (the tests grade hundreds of boots), and a part's timeout is still kept to the second.
    local runner=$! current="" since=$SECONDS killed="" at=$index
    while [ "$kind" = part ] && kill -0 "$runner" 2> /dev/null; do
        sleep 0.25
        local now
        now=$(started_part "$raw")
        [ "$now" != "$current" ] && { current=$now; since=$SECONDS; }
        [ -n "$current" ] || continue
        for ((j = first; j < first + count; j++)); do
            [ "${part_names[${queue[$j]}]}" = "$current" ] && at=${queue[$j]}
        done
        if [ $((SECONDS - since)) -gt "${part_timeouts[$at]}" ]; then
            killed=$current
            kill -TERM -- "-$runner" 2> /dev/null
            break
        fi
    done
    wait "$runner"
    local status=$?
    tr -d '\r' < "$raw" > "$clean"
    { echo "==== boot $boots: $cmdline (smp $smp)"; cat "$clean"; } >> "build/grade-$name.log"
    [ -s "$work/runner.log" ] && say "$(grep -v '^run-qemu: QEMU exited with' "$work/runner.log")"
    if [ "$verbose" = 1 ]; then
        echo "---- serial log ----"
        cat "$clean"
        echo "---- end of serial log ----"
    fi
    local why
    if [ -n "$killed" ]; then why="it ran longer than its ${part_timeouts[$at]}s"; else why=$(explain_status "$status"); fi
    say "   ended after $((SECONDS - started))s: $why"

    ran=0
    if [ "$kind" = boot ]; then
        ran=1
        cp "$clean" "$logs/${part_names[$index]}.log"
        keep_images "$images" "${part_names[$index]}"
        part_times[$index]="$((SECONDS - started)) s"
        case "$status" in
            100|124|125|126) part_states[$index]="$why" ;;
            *) part_states[$index]=done ;;
        esac
        [ -z "$images" ] || rm -f "$images.base.img" "$images.disk.img"
        return
    fi
    # Each part's log: what the boot printed before the first part (the program's facts), then
    # the part's own lines, from its "part" line to its "part-done" line or the end of the log.
    local preamble=$work/preamble.log
    awk -v start="${tag}part " 'index($0, start) == 1 { exit } { print }' "$clean" > "$preamble"
    for ((j = first; j < first + count; j++)); do
        local i=${queue[$j]} part=${part_names[${queue[$j]}]}
        grep -qxF -- "${tag}part $part" "$clean" || continue
        ran=$((ran + 1))
        { cat "$preamble"
          awk -v begin="${tag}part $part" -v end="${tag}part-done $part " \
              '$0 == begin { on = 1 } on { print } on && index($0, end) == 1 { exit }' "$clean"
        } > "$logs/$part.log"
        keep_images "$images" "$part"
        local done_line
        done_line=$(grep -m1 -- "^${tag_re}part-done $part [0-9]*\$" "$clean")
        if [ -n "$done_line" ]; then
            part_states[$i]=done
            part_times[$i]="${done_line##* } ms"
        elif [ "$part" = "$killed" ]; then
            part_states[$i]="part $part ran longer than its ${part_timeouts[$i]}s, so it was stopped"
        else
            part_states[$i]="$why during part $part"
        fi
        part_times[$i]=${part_times[$i]:-"$((SECONDS - started)) s, unfinished"}
    done
    [ -z "$images" ] || rm -f "$images.base.img" "$images.disk.img"
}

# keep_images BOOT_IMAGES PART: the disk images of the boot PART ran in, under PART's name (links:
# the parts of one boot share them). Nothing for a boot without a disk.
keep_images() {
    [ -n "$1" ] && [ -f "$1.disk.img" ] || return 0
    [ -f "$1.base.img" ] && ln -f "$1.base.img" "$logs/$2.base.img"
    ln -f "$1.disk.img" "$logs/$2.disk.img"
}

# The queue of parts still to run. A boot takes the parts at its head that share its command line
# and CPUs; the parts it did not reach (the kernel panicked, or a part hung) go in the next boot. A
# boot that reached none of its parts fails them all: the next would do the same.
queue=("${selected[@]}")
while [ "$built" = 1 ] && [ ${#queue[@]} -gt 0 ]; do
    count=1
    if [ "${part_kinds[${queue[0]}]}" = part ]; then
        while [ $count -lt ${#queue[@]} ] && [ "${part_kinds[${queue[$count]}]}" = part ] &&
            [ "${part_cmdlines[${queue[$count]}]}" = "${part_cmdlines[${queue[0]}]}" ] &&
            [ "${part_smps[${queue[$count]}]}" = "${part_smps[${queue[0]}]}" ] &&
            [ "${part_disks[${queue[$count]}]}" = "${part_disks[${queue[0]}]}" ]; do
            count=$((count + 1))
        done
    fi
    run_boot 0 "$count"
    if [ "$ran" = 0 ]; then
        for ((j = 0; j < count; j++)); do
            part_states[${queue[$j]}]="the boot ended before the program started part ${part_names[${queue[$j]}]}"
            cp "$work/boot-$boots.log" "$logs/${part_names[${queue[$j]}]}.log"
        done
        queue=("${queue[@]:$count}")
    else
        rest=()
        for ((j = 0; j < count; j++)); do
            [ -n "${part_states[${queue[$j]}]:-}" ] || rest+=("${queue[$j]}")
        done
        queue=("${rest[@]}" "${queue[@]:$count}")
    fi
done

# ---- Tests on the log (regular expressions are grep -E's; $log is the part's log) ---------------

# line REGEX: some line of the log matches; prints the first that does.
line() {
    grep -Em1 -- "$1" "$log" && return 0
    echo "no line of the log matches /$1/"
    return 1
}

# passed CHECK: the test program reported "pass CHECK" with this run's secret, and no "fail CHECK".
# Prints what the program measured, and any verdict lines for CHECK that do not count.
passed() {
    local verdict result=1 others
    verdict=$(grep -Em1 -- "^${tag_re}fail $1:" "$log")
    if [ -n "$verdict" ]; then
        echo "${verdict#"$tag"}"
        grep -Eq -- "^${tag_re}pass $1:" "$log" && echo "(a pass for $1 was printed too: a fail wins)"
    else
        verdict=$(grep -Em1 -- "^${tag_re}pass $1:" "$log")
        if [ -n "$verdict" ]; then echo "${verdict#"${tag}pass $1: "}"; result=0; else echo "the test program did not report on $1"; fi
    fi
    others=$(grep -cE -- "grade(\\[[^]]*\\])?: pass $1:" "$log")
    others=$((others - $(grep -cE -- "^${tag_re}pass $1:" "$log")))
    [ "$others" = 0 ] || echo "($others line(s) claim a pass for $1 without this run's secret: printed by someone else, so ignored)"
    return $result
}

# fact NAME: prints the value the test program gave with "fact NAME=VALUE" (or "missing").
fact() {
    local value
    value=$(sed -n "s/^${tag_re}fact $1=//p" "$log" | tail -n 1)
    echo "${value:-missing}"
}

# section NAME: prints the lines between the program's "begin NAME" and "end NAME", both included.
section() {
    awk -v begin="${tag}begin $1" -v end="${tag}end $1" '$0 == begin { on = 1 } on { print } on && $0 == end { exit }' "$log"
}

# whole_section NAME: the section is in the log, begin and end. A section cut short (the part
# crashed in it) is not read: no line in it could be the one a not_in_section looks for.
whole_section() {
    section "$1" | tail -n 1 | grep -qxF -- "${tag}end $1" && return 0
    echo "section $1 is not whole in the log (it needs the program's begin and end lines)"
    show_section "$1"
    return 1
}

# in_section NAME REGEX / not_in_section NAME REGEX
in_section() {
    whole_section "$1" || return 1
    section "$1" | grep -Em1 -- "$2" && return 0
    echo "no line of section $1 matches /$2/"
    show_section "$1"
    return 1
}
not_in_section() {
    whole_section "$1" || return 1
    ! section "$1" | grep -Eq -- "$2" || { echo "section $1 has a line matching /$2/"; show_section "$1"; return 1; }
}

# in_order NAME REGEX...: section NAME has lines matching each REGEX, in this order.
in_order() {
    local name=$1 from=1 at
    shift
    whole_section "$name" || return 1
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

# ---- Scoring -------------------------------------------------------------------------------------
# Every check of a part that ran to its end is tested on that part's log; every check of a part
# that did not (or was not built) fails, with the end of the part's log as the reason.
shown=""
for c in "${!check_parts[@]}"; do
    i=${check_parts[$c]}
    [[ " ${selected[*]} " == *" $i "* ]] || continue
    points=${check_points[$c]} what=${check_whats[$c]}
    part=${part_names[$i]} log=$logs/$part.log
    total=$((total + points))
    if [ "$shown" != "$i" ]; then
        shown=$i
        echo "== $name: part $part (${part_times[$i]:-not run})"
    fi
    state=${part_states[$i]:-"not run: the build failed"}
    base_image="" disk_image=""
    [ -f "$logs/$part.base.img" ] && base_image=$logs/$part.base.img
    [ -f "$logs/$part.disk.img" ] && disk_image=$logs/$part.disk.img
    if [ "$state" = done ]; then
        why=$(eval "${check_tests[$c]}" 2>&1)
        result=$?
    else
        why="$state"$'\n'"the end of its log (all of it: $log):"$'\n'"$(tail -n 8 "$log" 2> /dev/null | sed 's/^/| /')"
        result=1
    fi
    if [ "$result" = 0 ]; then
        score=$((score + points))
        printf '  PASS  %s (%d/%d)\n' "$what" "$points" "$points"
        record_check "$what" "$points" "$points" passed "$why"
    else
        printf '  FAIL  %s (0/%d)\n' "$what" "$points"
        record_check "$what" 0 "$points" failed "$why"
    fi
    [ -n "$why" ] && printf '%s\n' "$why" | head -n 45 | sed 's/^/          /'
done

case "$format" in
    json) write_results_json "$output"; echo "results: $output" ;;
    classroom) write_classroom_json "$output"; echo "results: $output" ;;
esac
echo "Score: $score/$total"
[ "$score" = "$total" ]
