# What `make grade A=sockets` checks (docs/assignments/sockets.md). Sourced by tools/grade.sh.
# Every check is made by the test program, assignments/sockets/grade/socketstest.cs, over TCP
# connections on the loopback (127.0.0.1, both ends in the program). The lossy parts boot with the
# kernel's debug knob tcp-loss=PERCENT (kernel/Net/Sockets/InjectedLoss.cs), which throws away that
# share of TCP's segments: a connection survives only if lost segments are sent again. One part per
# group below (make grade A=sockets T=PART runs one).

part clean --timeout 60 "init=/bin/socketstest"
check 1 "without loss, 3 connections carry 64 KiB each, intact" passed clean-transfer

part handshakes --timeout 60 "tcp-loss=10 init=/bin/socketstest"
check 2 "with 10 % of segments lost, 20 connections are made, carry a byte and close" passed lossy-handshakes

part lossy-transfer --timeout 60 "tcp-loss=10 init=/bin/socketstest"
check 3 "with 10 % of segments lost, 3 connections carry 64 KiB each, in order and intact" passed lossy-transfer

part backoff --timeout 40 "tcp-loss=100 init=/bin/socketstest"
check 1 "with every segment lost, the SYN is sent again and again" passed retransmits-repeatedly
check 2 "each retransmission timeout is twice the one before: SYNs about 1, 2 and 4 s apart" passed backs-off
