# What `make grade A=trace` checks (docs/assignments/trace.md). Sourced by tools/grade.sh, which
# defines boot, check and the tests on the log (line, passed, fact, in_section, ...).
# The test program is assignments/trace/grade/tracetest.cs; one CPU, so the kernel's trace lines and
# the program's own output reach the serial port in the order they happened.

boot --smp 1 --timeout 60 "init=/bin/tracetest"

pid=$(fact pid)
child=$(fact child)
tracer=$(fact tracer)

mask_selects() {
    in_section one-syscall "^$pid: syscall GetPid -> $pid\$" && not_in_section one-syscall ': syscall Uptime'
}

errors_and_several_bits() {
    in_order errors "^$pid: syscall Close -> -9\$" "^$pid: syscall Open -> [0-9]+\$" "^$pid: syscall Close -> 0\$"
}

zero_turns_it_off() {
    in_section one-syscall "^$pid: syscall GetPid" && not_in_section off ': syscall '
}

mask_is_per_process() {
    in_section per-process "^$tracer: syscall GetPid -> $tracer\$" && not_in_section per-process "^$pid: syscall "
}

check 1 "Trace(mask) returns 0" passed trace-returns-zero
check 2 "a traced syscall is printed as \"PID: syscall NAME -> RESULT\"" in_section one-syscall "^$pid: syscall GetPid -> $pid\$"
check 1 "only the syscalls whose bit is set are printed" mask_selects
check 2 "several bits at once; a failed syscall prints its negated errno" errors_and_several_bits
check 1 "Trace(0) turns tracing off" zero_turns_it_off
check 2 "a child inherits the mask (cat's Read is traced)" line "^$child: syscall Read -> [1-9][0-9]*\$"
check 1 "the mask belongs to the process that set it" mask_is_per_process
