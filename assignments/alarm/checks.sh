# What `make grade A=alarm` checks (docs/assignments/alarm.md). Sourced by tools/grade.sh.
# Every check is made by the test program, assignments/alarm/grade/alarmtest.cs, in user space, one
# part of it per check (make grade A=alarm T=PART runs one). If SigReturn ever returns to the
# handler, alarmtest says so and exits: that part fails, and the parts after it run in a new boot.

part returns-zero --timeout 15 "init=/bin/alarmtest"
check 1 "SigAlarm(ticks, handler) returns 0" passed sigalarm-returns-zero

part handler --timeout 15 "init=/bin/alarmtest"
check 2 "the handler runs every few ticks, and the program goes on after it" passed handler-called
check 1 "the handler starts with its stack aligned as after a call" passed handler-stack-aligned

part registers --timeout 15 "init=/bin/alarmtest"
check 2 "the general registers of the interrupted code survive the handler" passed registers-survive

part sse --timeout 15 "init=/bin/alarmtest"
check 1 "its SSE registers survive too" passed sse-registers-survive

part red-zone --timeout 15 "init=/bin/alarmtest"
check 1 "the red zone below the interrupted rsp survives" passed red-zone-survives

part interval --timeout 15 "init=/bin/alarmtest"
check 1 "the interval is kept: every 4 ticks comes a quarter as often as every tick" passed interval-kept

part syscall-results --timeout 15 "init=/bin/alarmtest"
check 1 "a syscall the alarm interrupted keeps its result" passed syscall-results-survive

part not-reentered --timeout 15 "init=/bin/alarmtest"
check 1 "the handler is not entered again while it runs" passed not-reentered

part zero-stops --timeout 15 "init=/bin/alarmtest"
check 1 "SigAlarm(0, 0) stops the alarm" passed zero-stops

part bad-arguments --timeout 15 "init=/bin/alarmtest"
check 1 "SigAlarm refuses a negative interval and a kernel address" passed bad-arguments

part sigreturn-outside --timeout 15 "init=/bin/alarmtest"
check 1 "SigReturn outside a handler gives -EINVAL" passed sigreturn-outside-handler
