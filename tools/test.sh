#!/usr/bin/env bash
# Runs every layer of tests and ends with one line: "N passed, N failed" (", N skipped" if any).
# `make test` builds the kernel image first, then calls this; .ci/run calls `make test`.
#
# Layers: host unit tests (kernel logic compiled for .NET), analyzer and generator tests, tests of
# the host tools (tools/SchedTrace, Profile, DiskTools's mkfs and fsck, the dev container's files), the integration tests that boot QEMU
# (and drive GDB), and the assignments' graders, run on the tree and on copies with the reference
# solutions applied. Each is an xunit project under tests/. Last, the dev container's image is built
# and tested where a container engine answers (tools/check-devcontainer.sh), else skipped with why.
set -uo pipefail
cd "$(dirname "$0")/.."

projects=()
for project in tests/Host/TeachOS.Tests.Host.csproj \
               tests/Analyzers/TeachOS.Tests.Analyzers.csproj \
               tests/Tools/TeachOS.Tests.Tools.csproj \
               tests/Integration/TeachOS.Tests.Integration.csproj \
               tests/Assignments/TeachOS.Tests.Assignments.csproj; do
    [ -f "$project" ] && projects+=("$project")
done

# How long each layer took, printed with its counts, and the whole run's time last: the run must stay
# within its budget (under 20 minutes on two cores), and this says where the time goes.
minutes() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }
run_start=$SECONDS
passed=0 failed=0 skipped=0 failed_names=()
mkdir -p build/test-logs
for project in "${projects[@]}"; do
    name=$(basename "$project" .csproj)
    log="build/test-logs/$name.log"
    echo "== $name"
    project_start=$SECONDS
    rm -f build/grade-matrix.txt
    # Console logger at normal verbosity: a failed test's message (for a boot, the whole serial log)
    # goes to the log, and is printed below, so a CI failure explains itself.
    dotnet test "$project" -nologo -v:q --logger "console;verbosity=normal" > "$log" 2>&1
    grep -E '\[FAIL\]|error CS|error MSB' "$log" | grep -v 'warning'
    # Remembered for the end: a CI log is often read from its tail, and the tail must name what failed.
    while IFS= read -r failure; do failed_names+=("$failure"); done \
        < <(grep -oE '[^ ]+ \[FAIL\]$|[^ ]+\([^)]*\) \[FAIL\]$' "$log" | sed 's/ \[FAIL\]$//')
    awk '/^ +Failed [^:]/ { show = 1 } /^ +Stack Trace:/ { show = 0 } show' "$log" | head -n 2000
    # The summary: "Total tests: 19", then "     Passed: 18", "     Failed: 1", "    Skipped: 0" as they apply.
    if ! grep -qE '^Total tests: [0-9]+' "$log"; then
        echo "$name: no test results (did it build? see $log) ($(minutes $((SECONDS - project_start))))"
        failed=$((failed + 1)) failed_names+=("$name (no test results)")
        continue
    fi
    count() { grep -E "^ +$1: [0-9]+\$" "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0; }
    p=$(count Passed) f=$(count Failed) s=$(count Skipped)
    # The assignments' tests leave every score they saw (tests/Assignments/Harness/ScoreMatrix.cs).
    if [ -s build/grade-matrix.txt ]; then
        echo "the graders' matrix (each lab on the starting tree, the reference, each known-wrong solution):"
        sort build/grade-matrix.txt | sed 's/^/  /'
        # Where the gradings' time went, added up (each slot's time: they run side by side).
        awk '{ for (i = 1; i < NF; i++) { if ($i == "copy") c += $(i + 1); if ($i == "build") b += $(i + 1); if ($i == "boots") { t += $(i + 1); n += substr($(i + 2), 2) } } }
             END { printf "the gradings took, added up: copies %ds, builds %ds, %d boots %ds\n", c, b, n, t }' build/grade-matrix.txt
    fi
    echo "$name: $p passed, $f failed$([ "$s" -gt 0 ] && echo ", $s skipped") ($(minutes $((SECONDS - project_start))))"
    failed=$((failed + f)) passed=$((passed + p)) skipped=$((skipped + s))
done

# The dev container: its image built and make test run inside it, where a container engine can
# (tools/check-devcontainer.sh); elsewhere a skip with the reason.
echo "== devcontainer"
project_start=$SECONDS
container=$(tools/check-devcontainer.sh)
echo "$container ($(minutes $((SECONDS - project_start))))"
case "$container" in
    *": passed"*) passed=$((passed + 1)) ;;
    *": skipped"*) skipped=$((skipped + 1)) ;;
    *) failed=$((failed + 1)) failed_names+=("devcontainer") ;;
esac

if [ "${#failed_names[@]}" -gt 0 ]; then
    echo "failed (each one's message and serial log are above, under its suite):"
    printf '  %s\n' "${failed_names[@]}"
fi

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line ($(minutes $((SECONDS - run_start))))"
[ "$failed" -eq 0 ]
