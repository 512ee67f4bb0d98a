# What `make grade A=backtrace` checks (docs/assignments/backtrace.md). Sourced by tools/grade.sh.
# The test program, assignments/backtrace/grade/bttest.cs, executes int3 inside three marked
# sections, each in a part of its own: "deep" (Deep, Level1, Level2, Level3), "shallow" (Shallow,
# Other) and "thread" (a second thread's ThreadBody). In each, the kernel prints "kernel backtrace:" and "user backtrace:", each
# followed by one line per frame: "  #N  0xADDRESS  LOCATION".
# A fourth section, "looping", has a corrupt frame chain (a record that points at itself).

trap_entry='(trap_dispatch_return|trap_common)'

kernel_walk_stops_at_the_trap() {
    local last
    last=$(section deep | grep -B1 -m1 '^user backtrace:' | head -n 1)
    printf '%s\n' "$last" | grep -Eq "$trap_entry" && return 0
    echo "the last kernel frame should be the trap entry ($trap_entry), not: ${last:-(no user backtrace: line)}"
    return 1
}

own_path() {
    in_order shallow '^user backtrace:' 'BacktraceTest\.Other\+0x[0-9a-f]+ in /bin/bttest' 'BacktraceTest\.Shallow\+0x' &&
        not_in_section shallow 'BacktraceTest\.Level[123]' && passed resumed
}

thread_path() {
    in_order thread '^user backtrace:' 'BacktraceTest\.ThreadBody\+0x[0-9a-f]+ in /bin/bttest' '(TeachOS\.UserThread\.Main|user_thread_main)\+0x' &&
        not_in_section thread 'BacktraceTest\.(Main|InAThread)' && passed resumed
}

# The first user frame is where the trap stopped the program (the TrapFrame's rip, in demo_int3),
# before any frame record: without it the trace would start one call too far out.
first_user_frame_is_the_trap() {
    local first
    whole_section shallow || return 1
    first=$(section shallow | grep -A1 -m1 '^user backtrace:' | sed -n 2p)
    printf '%s\n' "$first" | grep -Eq '^ +#0 +0x[0-9a-f]+ +demo_int3\+0x' && return 0
    echo "section shallow: the first user frame should be #0, the trapped instruction in demo_int3, not: ${first:-(none)}"
    return 1
}

# int3_with_looping_chain leaves rbp at a frame record whose caller record is itself. The walk must
# stop at it (a caller record not further up the stack), print it once, and let the program go on.
looping_chain_is_cut() {
    whole_section looping || { echo "the program did not continue after the breakpoint (the walk never ended?)"; return 1; }
    in_order looping '^user backtrace:' '#0 +0x[0-9a-f]+ +int3_with_looping_chain\+0x' || return 1
    local frames
    frames=$(section looping | sed -n '/^user backtrace:/,/^resuming/p' | grep -cE '^ +#[0-9]+ ')
    [ "$frames" -le 3 ] && return 0
    echo "the user walk printed $frames frames for a chain of one record that points at itself (at most 3 expected)"
    return 1
}

resumed_after_a_backtrace() {
    in_section deep '^user backtrace:' && passed resumed
}

# TrapDispatcher.Dispatch calls ExceptionHandler.Handle as its last act, and Handle the registered
# UserFaults.Breakpoint: ilc compiles both calls as jumps (tail calls), so neither is on the stack
# and the path is Breakpoint, then the trap entry.
part deep --timeout 20 "init=/bin/bttest"
check 2 "the kernel's own path is printed, symbolized, in order" \
    in_order deep '^kernel backtrace:' 'Proc\.UserFaults\.Breakpoint\+0x' "$trap_entry" '^user backtrace:'
check 1 "the kernel walk stops at the trap entry" kernel_walk_stops_at_the_trap
check 2 "the user frames are named from the program's symbols, innermost first" \
    in_order deep '^user backtrace:' 'BacktraceTest\.Level3\+0x[0-9a-f]+ in /bin/bttest' 'BacktraceTest\.Level2\+0x' 'BacktraceTest\.Level1\+0x' 'BacktraceTest\.Deep\+0x'
check 1 "the program continues after the breakpoint, its values intact" resumed_after_a_backtrace

part shallow --timeout 20 "init=/bin/bttest"
check 1 "another breakpoint shows its own path (and the program goes on)" own_path
check 1 "the first user frame is the trapped instruction" first_user_frame_is_the_trap

part thread --timeout 20 "init=/bin/bttest"
check 1 "a thread's backtrace ends at the thread's start (and the thread goes on)" thread_path

part looping --timeout 20 "init=/bin/bttest"
check 1 "a frame chain that loops is walked once, and the program goes on" looping_chain_is_cut
