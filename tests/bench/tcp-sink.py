#!/usr/bin/env python3
"""TCP sink for bench-virtio.sh: listens on 127.0.0.1 (an ephemeral port,
written to PORTFILE), takes one connection, reads it to the end and prints
"TCP-SINK bytes=N seconds=S mibs=R", timed from the first byte to EOF so
that the guest's boot and DHCP are not counted.

Usage: tcp-sink.py PORTFILE TIMEOUT_SECONDS
"""
import os
import socket
import sys
import time


def main():
    portfile, limit = sys.argv[1], float(sys.argv[2])
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    srv.settimeout(limit)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    # The port file appears whole: its reader polls for it.
    os.rename(portfile + ".tmp", portfile)
    conn, _ = srv.accept()
    conn.settimeout(limit)
    first = None
    total = 0
    while True:
        data = conn.recv(1 << 20)
        if not data:
            break
        if first is None:
            first = time.monotonic()
        total += len(data)
    secs = time.monotonic() - first if first is not None else 0.0
    rate = total / (1 << 20) / secs if secs > 0 else 0.0
    print("TCP-SINK bytes=%d seconds=%.3f mibs=%.1f" % (total, secs, rate))


if __name__ == "__main__":
    main()
