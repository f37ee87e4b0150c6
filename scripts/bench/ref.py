"""CPython reference loops for scripts/bench.ts.

usage: python3 ref.py <case> <warmup> <iterations> <batches>
Same protocol and same operations as scripts/bench/ref.c and the Bun workers: <warmup>
untimed iterations, then <batches> timed batches; prints {"ns": [wall ns/op per batch],
"cpu": [this thread's CPU ns/op per batch], "sink": N}.
"""
import json
import os
import resource
import signal
import sys
import time

STATUSES = [((i >> 1) << 8) if (i & 1) else ((1 + (i >> 1) % 31) | ((i & 2) << 6)) for i in range(256)]


def case_wait4(n, child):
    wait4, WNOHANG, WIFEXITED = os.wait4, os.WNOHANG, os.WIFEXITED
    sink = 0
    for _ in range(n):
        pid, status, usage = wait4(child, WNOHANG)
        if WIFEXITED(status):
            sink += 1
    return sink


def case_getrusage(n, _):
    getrusage, SELF = resource.getrusage, resource.RUSAGE_SELF
    sink = 0
    for _ in range(n):
        sink += getrusage(SELF).ru_minflt
    return sink


def case_exitcode(n, _):
    f, st = os.waitstatus_to_exitcode, STATUSES
    sink = 0
    for i in range(n):
        sink += f(st[i & 255])
    return sink


def case_wmacros(n, _):
    st = STATUSES
    a, b, c, d = os.WIFEXITED, os.WEXITSTATUS, os.WIFSIGNALED, os.WTERMSIG
    e, f, g, h = os.WCOREDUMP, os.WIFSTOPPED, os.WSTOPSIG, os.WIFCONTINUED
    sink = 0
    for i in range(n):
        s = st[i & 255]
        sink += a(s) + b(s) + c(s) + d(s) + e(s) + f(s) + g(s) + h(s)
    return sink


def case_echild(n, _):
    waitpid = os.waitpid
    sink = 0
    for _ in range(n):
        try:
            waitpid(-1, 0)
        except ChildProcessError:
            sink += 1
    return sink


def case_spawn(n, _):
    spawn, wait4, env = os.posix_spawnp, os.wait4, os.environ
    sink = 0
    for _ in range(n):
        pid = spawn("/bin/true", ["true"], env)
        _, status, _ = wait4(pid, 0)
        sink += os.WEXITSTATUS(status)
    return sink


CASES = {
    "wait4": (case_wait4, 1),
    "getrusage": (case_getrusage, 1),
    "exitcode": (case_exitcode, 1),
    "wmacros": (case_wmacros, 8),
    "echild": (case_echild, 1),
    "posix_spawn": (case_spawn, 1),
}


def main():
    name, warmup, iterations, batches = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    run, ops = CASES[name]
    child = None
    if name == "wait4":
        child = os.posix_spawnp("sleep", ["sleep", "600"], os.environ)
    try:
        sink = run(warmup, child)
        ns, cpu = [], []
        for _ in range(batches):
            w0, c0 = time.perf_counter_ns(), time.thread_time_ns()
            sink += run(iterations, child)
            c1, w1 = time.thread_time_ns(), time.perf_counter_ns()
            ns.append((w1 - w0) / (iterations * ops))
            cpu.append((c1 - c0) / (iterations * ops))
    finally:
        if child is not None:
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
    print(json.dumps({"ns": ns, "cpu": cpu, "sink": sink}))


main()
