# What `make grade A=trace` checks (docs/assignments/trace.md). Sourced by tools/grade.sh, which
# defines boot, check and the tests on the log (line, passed, fact, in_section, ...).
# The test program is assignments/trace/grade/tracetest.cs; one CPU, so the kernel's trace lines and
# the program's own output reach the serial port in the order they happened.

boot --smp 1 --timeout 60 "init=/bin/tracetest"

pid=$(fact pid)
child=$(fact child)
tracer=$(fact tracer)

# Bit n is syscall n only below 64: the past-63 section calls syscall 64 + GetPid with GetPid's bit set.
mask_selects() {
    in_section one-syscall "^$pid: syscall GetPid -> $pid\$" && not_in_section one-syscall ': syscall Uptime' &&
        in_section past-63 '^grade: end past-63$' && not_in_section past-63 ': syscall '
}

errors_and_several_bits() {
    in_order errors "^$pid: syscall Close -> -9\$" "^$pid: syscall Open -> [0-9]+\$" "^$pid: syscall Close -> 0\$"
}

zero_turns_it_off() {
    in_section one-syscall "^$pid: syscall GetPid" && not_in_section off ': syscall '
}

# Per process both ways: the child's mask is not ours, and our second thread shares ours.
mask_is_per_process() {
    in_section per-process "^$tracer: syscall GetPid -> $tracer\$" && not_in_section per-process "^$pid: syscall " &&
        in_section other-thread "^$pid: syscall GetPid -> $pid\$"
}

check 1 "Trace(mask) returns 0, the second time too" passed trace-returns-zero
check 2 "a traced syscall is printed as \"PID: syscall NAME -> RESULT\"" in_section one-syscall "^$pid: syscall GetPid -> $pid\$"
check 1 "only the syscalls whose bit is set are printed (none of 64 and up)" mask_selects
check 2 "several bits at once; a failed syscall prints its negated errno" errors_and_several_bits
check 1 "Trace(0) turns tracing off" zero_turns_it_off
check 2 "a child inherits the mask (cat's Read is traced)" line "^$child: syscall Read -> [1-9][0-9]*\$"
check 1 "the mask belongs to the process that set it (and all its threads)" mask_is_per_process
