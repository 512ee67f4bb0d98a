#!/usr/bin/env python3
"""Prints a pcap file (QEMU's `-object filter-dump`, tools/run-qemu.sh --net-dump FILE) one frame a
line, decoding what TeachOS's stack speaks: Ethernet, ARP, IPv4, ICMP (kernel/Net). For machines
without tcpdump; `tcpdump -e -n -r FILE` prints much the same.

    tools/pcap-print.py FILE [--hex]     --hex adds each frame's bytes, 16 a line
"""
import struct
import sys


def mac(b):
    return ":".join(f"{x:02x}" for x in b)


def ip(b):
    return ".".join(str(x) for x in b)


def checksum_ok(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total == 0xFFFF


def describe(frame):
    if len(frame) < 14:
        return f"truncated Ethernet frame, {len(frame)} bytes"
    dst, src, kind = frame[0:6], frame[6:12], struct.unpack("!H", frame[12:14])[0]
    head = f"{mac(src)} > {mac(dst)}"
    payload = frame[14:]
    if kind == 0x0806 and len(payload) >= 28:
        op = struct.unpack("!H", payload[6:8])[0]
        if op == 1:
            return f"{head} ARP who-has {ip(payload[24:28])} tell {ip(payload[14:18])}"
        if op == 2:
            return f"{head} ARP reply {ip(payload[14:18])} is-at {mac(payload[8:14])}"
        return f"{head} ARP operation {op}"
    if kind == 0x0800 and len(payload) >= 20:
        ihl = (payload[0] & 15) * 4
        total, ident = struct.unpack("!HH", payload[2:6])
        ttl, proto = payload[8], payload[9]
        text = f"{head} IPv4 {ip(payload[12:16])} > {ip(payload[16:20])} id {ident} ttl {ttl} len {total}"
        text += "" if checksum_ok(payload[:ihl]) else " (bad header checksum)"
        body = payload[ihl:total]
        if proto == 1 and len(body) >= 8:
            kind_name = {0: "echo reply", 8: "echo request"}.get(body[0], f"type {body[0]}")
            ident, seq = struct.unpack("!HH", body[4:8])
            ok = "" if checksum_ok(bytes(body)) else " (bad checksum)"
            return f"{text}: ICMP {kind_name} id {ident} seq {seq}, {len(body) - 8} data bytes{ok}"
        return f"{text}: protocol {proto}"
    return f"{head} type 0x{kind:04x}, {len(payload)} bytes"


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    nano = magic in (0xA1B23C4D, 0x4D3CB2A1)
    offset, first = 24, None
    while offset + 16 <= len(data):
        seconds, fraction, captured, _ = struct.unpack(endian + "IIII", data[offset:offset + 16])
        frame = data[offset + 16:offset + 16 + captured]
        offset += 16 + captured
        when = seconds + fraction / (1e9 if nano else 1e6)
        first = when if first is None else first
        print(f"{when - first:10.6f}  {describe(frame)}")
        if "--hex" in sys.argv:
            for row in range(0, len(frame), 16):
                print("            " + " ".join(f"{b:02x}" for b in frame[row:row + 16]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
