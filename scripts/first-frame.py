#!/usr/bin/env python3
"""Time from start to the TUI's first complete frame, whole process.

Starts docker-guide on a pseudo-terminal (WIDTHxHEIGHT, default 200x60) with
DOCKER_GUIDE_EXIT_AFTER_FIRST_FRAME=1, which makes the app draw its first frame (the
chapter rendered and highlighted), restore the terminal and exit. The time measured runs
from just before the fork to the exit, so it includes start-up, loading the course,
rendering, drawing and tearing down. Prints the median and the minimum wall time over RUNS
and the median CPU time (user+system of the process) in milliseconds, and checks that the
frame really drew the chapter.

usage: first-frame.py BINARY [RUNS] [-- ARGS...]
"""

import fcntl
import os
import pty
import select
import statistics
import struct
import sys
import termios
import time

WIDTH, HEIGHT = 200, 60


def one_run(binary, args, env):
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", HEIGHT, WIDTH, 0, 0))
        os.execvpe(binary, [binary, *args], env)
    output = bytearray()
    while True:
        ready, _, _ = select.select([fd], [], [], 10)
        if not ready:
            os.kill(pid, 9)
            raise SystemExit("no frame within 10 s")
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - started
    cpu = usage.ru_utime + usage.ru_stime
    os.close(fd)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.stderr.write(output.decode("utf-8", "replace")[-2000:])
        raise SystemExit(f"docker-guide exited with status {status}")
    return elapsed, cpu, bytes(output)


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1 :]
        argv = argv[: argv.index("--")]
    if not argv:
        raise SystemExit(__doc__)
    binary = argv[0]
    runs = int(argv[1]) if len(argv) > 1 else 20
    env = dict(os.environ, DOCKER_GUIDE_EXIT_AFTER_FIRST_FRAME="1", TERM="xterm-256color")
    env.pop("NO_COLOR", None)
    times, cpus = [], []
    for _ in range(runs):
        elapsed, cpu, output = one_run(binary, extra, env)
        times.append(elapsed * 1000)
        cpus.append(cpu * 1000)
    # The last frame drew colour (SGR) and text: a real, highlighted frame, not an error.
    if b"\x1b[" not in output or len(output) < 2000:
        raise SystemExit(f"no frame drawn: {output[:300]!r}")
    print(f"{statistics.median(times):.1f} {min(times):.1f} {statistics.median(cpus):.1f}")


if __name__ == "__main__":
    main()
