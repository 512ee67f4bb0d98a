# What `make grade A=net` checks (docs/assignments/net.md). Sourced by tools/grade.sh.
# Every check is made by the test program, assignments/net/grade/nettest.cs, over the virtio-net card
# on QEMU's user-mode network (run-qemu.sh's default, --net user): pings to the gateway 10.0.2.2,
# which QEMU answers itself, and UDP datagrams to an echo server on this machine's 127.0.0.1, which
# the guest reaches through the gateway. One part per group below (make grade A=net T=PART runs one).

# The host's UDP echo server: python3, on a free port of 127.0.0.1, sends every datagram back to
# its sender. It lives as long as the grader (whose pid is $$ here) and at most an hour, and opens
# nothing but that one loopback port. The guest learns the port from its command line.
net_echo_port=none
if command -v python3 > /dev/null 2>&1; then
    net_echo_file=$(mktemp)
    python3 - "$$" "$net_echo_file" > /dev/null 2>&1 < /dev/null <<'PYTHON' &
import os, select, socket, sys, time
grader, port_file = int(sys.argv[1]), sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
with open(port_file, "w") as f: f.write(str(s.getsockname()[1]))
end = time.time() + 3600
while time.time() < end:
    try: os.kill(grader, 0)
    except OSError: break
    if select.select([s], [], [], 1.0)[0]:
        data, sender = s.recvfrom(65535)
        s.sendto(data, sender)
PYTHON
    for _ in $(seq 50); do [ -s "$net_echo_file" ] && break; sleep 0.1; done
    [ -s "$net_echo_file" ] && net_echo_port=$(cat "$net_echo_file")
    rm -f "$net_echo_file"
fi

part ping --timeout 40 "init=/bin/nettest --echo-port $net_echo_port"
check 2 "5 pings to the gateway are answered: frames go out and come in" passed ping-gateway

part udp-echo --timeout 60 "init=/bin/nettest --echo-port $net_echo_port"
check 3 "300 UDP datagrams of 1 to 1472 bytes come back from the host's echo server intact" passed udp-echo

part many --timeout 90 "init=/bin/nettest --echo-port $net_echo_port"
check 2 "600 pings back to back: every receive and transmit buffer is used again, the rings wrap" passed many-pings
check 1 "the interface counts every frame each way, and no transmit was refused for a full ring" passed many-frames-counted

part no-leak --timeout 90 "init=/bin/nettest --echo-port $net_echo_port"
check 1 "100 pings and 100 UDP echoes in one go" passed traffic-flows
check 1 "afterwards the stack's packet buffers are all back in the pool" passed buffers-returned
check 1 "no frame was refused for a full transmit ring or thrown away on receive" passed nothing-dropped
