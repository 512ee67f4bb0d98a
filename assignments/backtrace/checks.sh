# What `make grade A=backtrace` checks (docs/assignments/backtrace.md). Sourced by tools/grade.sh.
# The test program, assignments/backtrace/grade/bttest.cs, executes int3 inside three marked
# sections: "deep" (Main, Level1, Level2, Level3), "shallow" (Main, Other) and "thread" (a second
# thread's ThreadBody). In each, the kernel prints "kernel backtrace:" and "user backtrace:", each
# followed by one line per frame: "  #N  0xADDRESS  LOCATION".

boot --smp 1 --timeout 60 "init=/bin/bttest"

trap_entry='(trap_dispatch_return|trap_common)'

kernel_walk_stops_at_the_trap() {
    local last
    last=$(section deep | grep -B1 -m1 '^user backtrace:' | head -n 1)
    printf '%s\n' "$last" | grep -Eq "$trap_entry" && return 0
    echo "the last kernel frame should be the trap entry ($trap_entry), not: ${last:-(no user backtrace: line)}"
    return 1
}

own_path() {
    in_order shallow '^user backtrace:' 'BacktraceTest\.Other\+0x[0-9a-f]+ in /bin/bttest' 'BacktraceTest\.Main\+0x' &&
        not_in_section shallow 'BacktraceTest\.Level[123]'
}

thread_path() {
    in_order thread '^user backtrace:' 'BacktraceTest\.ThreadBody\+0x[0-9a-f]+ in /bin/bttest' '(TeachOS\.UserThread\.Main|user_thread_main)\+0x' &&
        not_in_section thread 'BacktraceTest\.Main'
}

resumed_after_a_backtrace() {
    in_section deep '^user backtrace:' && passed resumed
}

# TrapDispatcher.Dispatch calls ExceptionHandler.Handle as its last act, and Handle the registered
# UserFaults.Breakpoint: ilc compiles both calls as jumps (tail calls), so neither is on the stack
# and the path is Breakpoint, then the trap entry.
check 2 "the kernel's own path is printed, symbolized, in order" \
    in_order deep '^kernel backtrace:' 'Proc\.UserFaults\.Breakpoint\+0x' "$trap_entry" '^user backtrace:'
check 1 "the kernel walk stops at the trap entry" kernel_walk_stops_at_the_trap
check 2 "the user frames are named from the program's symbols, innermost first" \
    in_order deep '^user backtrace:' 'BacktraceTest\.Level3\+0x[0-9a-f]+ in /bin/bttest' 'BacktraceTest\.Level2\+0x' 'BacktraceTest\.Level1\+0x' 'BacktraceTest\.Main\+0x'
check 1 "another breakpoint shows its own path" own_path
check 1 "a thread's backtrace ends at the thread's start" thread_path
check 1 "the program continues after each breakpoint, its values intact" resumed_after_a_backtrace
