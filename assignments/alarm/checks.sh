# What `make grade A=alarm` checks (docs/assignments/alarm.md). Sourced by tools/grade.sh.
# Every check is made by the test program, assignments/alarm/grade/alarmtest.cs, in user space.
# If SigReturn ever returns to the handler, alarmtest says so and exits: the checks after that one
# are then "not reported".

boot --smp 1 --timeout 90 "init=/bin/alarmtest"

check 1 "SigAlarm(ticks, handler) returns 0" passed sigalarm-returns-zero
check 2 "the handler runs every few ticks, and the program goes on after it" passed handler-called
check 1 "the handler starts with its stack aligned as after a call" passed handler-stack-aligned
check 2 "the general registers of the interrupted code survive the handler" passed registers-survive
check 1 "its SSE registers survive too" passed sse-registers-survive
check 1 "the red zone below the interrupted rsp survives" passed red-zone-survives
check 1 "the interval is kept: every 4 ticks comes a quarter as often as every tick" passed interval-kept
check 1 "a syscall the alarm interrupted keeps its result" passed syscall-results-survive
check 1 "the handler is not entered again while it runs" passed not-reentered
check 1 "SigAlarm(0, 0) stops the alarm" passed zero-stops
check 1 "SigAlarm refuses a negative interval and a kernel address" passed bad-arguments
check 1 "SigReturn outside a handler gives -EINVAL" passed sigreturn-outside-handler
