# What `make grade A=scheduler` checks (docs/assignments/scheduler.md). Sourced by tools/grade.sh.
# Every check is made by the test program, assignments/scheduler/grade/schedtest.cs, in user space,
# in four parts (make grade A=scheduler T=PART runs one).
# quantum=2: a scheduling decision every two milliseconds, so the three seconds schedtest measures
# hold 1,500 lottery draws.

part settickets --timeout 30 "quantum=2 init=/bin/schedtest"
check 1 "SetTickets(tickets) returns 0" passed settickets-returns-zero
check 1 "SetTickets refuses 0, negative and more than 10,000 tickets" passed settickets-refuses-out-of-range

part shares-1-2-3 --timeout 60 "quantum=2 init=/bin/schedtest"
check 3 "tickets 1:2:3 give CPU shares near 1/6, 2/6, 3/6" passed shares-1-2-3

part shares-1-4 --timeout 60 "quantum=2 init=/bin/schedtest"
check 2 "tickets 1:4 give CPU shares near 1/5, 4/5" passed shares-1-4

part equal-shares --timeout 60 "quantum=2 init=/bin/schedtest"
check 1 "equal tickets give equal shares" passed equal-tickets-equal-shares
