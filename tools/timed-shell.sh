#!/usr/bin/env bash
# A shell for make that times each command it runs: `make SHELL=tools/timed-shell.sh` with
# BUILD_TIMING_LOG=FILE appends "milliseconds<TAB>command" to FILE for every recipe line (and every
# $(shell ...)), then behaves exactly as bash. tools/bench.sh uses it to split a clean build's time
# between its steps without changing the build.
start=$(date +%s%N)
/bin/bash "$@"
status=$?
if [ -n "${BUILD_TIMING_LOG:-}" ]; then
    # "$@" is "-c" and the command; keep the command on one line and the tab for the separator.
    command=${*: -1}
    command=${command//$'\n'/ }
    printf '%s\t%s\n' "$(( ($(date +%s%N) - start) / 1000000 ))" "${command//$'\t'/ }" >> "$BUILD_TIMING_LOG"
fi
exit $status
