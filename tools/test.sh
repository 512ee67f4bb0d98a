#!/usr/bin/env bash
# Runs every layer of tests and ends with one line: "N passed, N failed" (", N skipped" if any).
# `make test` builds the kernel image first, then calls this; .ci/run calls `make test`.
#
# Layers: host unit tests (kernel logic compiled for .NET), analyzer and generator tests, tests of
# the host tools (tools/SchedTrace), and the integration tests that boot QEMU (and drive GDB).
# Each is an xunit project under tests/.
set -uo pipefail
cd "$(dirname "$0")/.."

projects=()
for project in tests/Host/TeachOS.Tests.Host.csproj \
               tests/Analyzers/TeachOS.Tests.Analyzers.csproj \
               tests/Tools/TeachOS.Tests.Tools.csproj \
               tests/Integration/TeachOS.Tests.Integration.csproj; do
    [ -f "$project" ] && projects+=("$project")
done

passed=0 failed=0 skipped=0
mkdir -p build/test-logs
for project in "${projects[@]}"; do
    name=$(basename "$project" .csproj)
    log="build/test-logs/$name.log"
    echo "== $name"
    dotnet test "$project" -nologo -v:q 2>&1 | tee "$log" | grep -E '^\s+(Failed|Error Message|Stack Trace)|\[FAIL\]|error|Passed!|Failed!' | grep -v 'warning'
    # The summary line: "Passed!  - Failed:     0, Passed:    19, Skipped:     0, Total:    19, ..."
    summary=$(grep -E '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" | tail -n 1)
    if [ -z "$summary" ]; then
        echo "$name: no test results (did it build? see $log)"
        failed=$((failed + 1))
        continue
    fi
    read -r f p s < <(echo "$summary" | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\1 \2 \3/')
    failed=$((failed + f)) passed=$((passed + p)) skipped=$((skipped + s))
done

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
