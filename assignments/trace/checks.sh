# What `make grade A=trace` checks (docs/assignments/trace.md). Sourced by tools/grade.sh, which
# defines part, check and the tests on the log (line, passed, fact, in_section, ...).
# The test program is assignments/trace/grade/tracetest.cs; one CPU, so the kernel's trace lines and
# the program's own output reach the serial port in the order they happened. Each part runs on its
# own (make grade A=trace T=PART) and leaves tracing off; a check reads its part's log only, when
# the part has run: so facts (the pid) are read inside the tests, not when this file is sourced.

traced_getpid() { in_section "$1" "^$(fact pid): syscall GetPid -> $(fact pid)\$"; }

# Uptime's bit is not set, and syscall 64 + GetPid has no bit: GetPid's line is the only one.
mask_selects() {
    traced_getpid selects || return 1
    local lines
    lines=$(section selects | grep -c ': syscall ')
    [ "$lines" = 1 ] && return 0
    echo "section selects should have one trace line (GetPid's), not $lines:"
    show_section selects
    return 1
}

errors_and_several_bits() {
    local pid
    pid=$(fact pid)
    in_order errors "^$pid: syscall Close -> -9\$" "^$pid: syscall Open -> [0-9]+\$" "^$pid: syscall Close -> 0\$"
}

children_traced() {
    local forked
    forked=$(fact forked)
    line "^$(fact child): syscall Read -> [1-9][0-9]*\$" && line "^$forked: syscall GetPid -> $forked\$"
}

zero_turns_it_off() { traced_getpid on && not_in_section off ': syscall '; }

# Per process both ways: the child's mask is not ours, and our second thread shares ours.
mask_is_per_process() {
    local tracer
    tracer=$(fact tracer)
    in_section per-process "^$tracer: syscall GetPid -> $tracer\$" && not_in_section per-process "^$(fact pid): syscall " &&
        traced_getpid other-thread
}

# On two CPUs at once, each trace line is whole: 2,000 lines, each exactly GetPid's, nothing mixed.
whole_lines_on_two_cpus() {
    whole_section two-cpus || return 1
    local pid whole others
    pid=$(fact pid)
    whole=$(section two-cpus | grep -cx -- "$pid: syscall GetPid -> $pid")
    others=$(section two-cpus | grep -vcE -- "^${tag_re}(begin|end) two-cpus\$|^$pid: syscall GetPid -> $pid\$")
    echo "$whole whole trace lines (2000 expected), $others other lines"
    [ "$whole" = 2000 ] && [ "$others" = 0 ] && return 0
    section two-cpus | grep -vxE -- "${tag_re}(begin|end) two-cpus|$pid: syscall GetPid -> $pid" | head -n 5 | sed 's/^/| /'
    return 1
}

part one-syscall --timeout 20 "init=/bin/tracetest"
check 1 "Trace(mask) returns 0, the second time too" passed trace-returns-zero
check 2 "a traced syscall is printed as \"PID: syscall NAME -> RESULT\"" traced_getpid one-syscall

part selects --timeout 20 "init=/bin/tracetest"
check 1 "only the syscalls whose bit is set are printed (none of 64 and up)" mask_selects

part errors --timeout 20 "init=/bin/tracetest"
check 2 "several bits at once; a failed syscall prints its negated errno" errors_and_several_bits

part off --timeout 20 "init=/bin/tracetest"
check 1 "Trace(0) turns tracing off" zero_turns_it_off

part inherited --timeout 20 "init=/bin/tracetest"
check 2 "a child inherits the mask, spawned or forked (cat's Read is traced, and the forked copy's GetPid)" children_traced

part per-process --timeout 20 "init=/bin/tracetest"
check 1 "the mask belongs to the process that set it (and all its threads)" mask_is_per_process

part two-cpus --smp 2 --timeout 20 "init=/bin/tracetest"
check 1 "on two CPUs at once, every trace line is whole" whole_lines_on_two_cpus
