#!/usr/bin/python3
"""Benchmark the real binary on loopback: wall time, CPU time and peak RSS.

usage: tests/bench.py [--runs N] [--slow-runs N] [./ddnsup]

Scenarios (each run once to warm up, then N times):
  a  unchanged: probe through an HTTP endpoint, state hit, nothing pushed
  b  one update: probe (a new address each run) and a push through the
     callback provider
  c  the first probe endpoint hangs, the second answers: how long the
     fallback costs over (a)
  d  --probe only

It reports numbers and never judges them: no run fails for being slow.
It exits non-zero only when a run ends with an unexpected exit status
(then the numbers would measure something else) or the binary is absent.
Every server is on 127.0.0.1; addresses are from 203.0.113.0/24.
"""
import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "integration"))
import harness  # noqa: E402

_seq = itertools.count(1)


class Probe(harness.MockHandler):
    """/fixed: always 203.0.113.7; /seq: a new address every request;
    /hang: never answers while the bench runs."""

    def respond(self, call):
        if call.path == "/fixed":
            return 200, {"Content-Type": "text/plain"}, "203.0.113.7\n"
        if call.path == "/seq":
            n = next(_seq) % 250 + 1
            return 200, {"Content-Type": "text/plain"}, "203.0.113.%d\n" % n
        if call.path == "/hang":
            self.server.state["stop"].wait(120)
            return None         # the client has long gone: say nothing
        return 404, {}, "not found"


class Provider(harness.MockHandler):
    def respond(self, call):
        return 200, {}, "ok"


def pct(xs, p):
    """The p-th percentile (nearest rank) of xs."""
    s = sorted(xs)
    k = max(0, min(len(s) - 1, int(round(p / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


# A process forked from Python starts with Python's peak RSS, and Linux
# keeps that peak across exec, so wait4() from here would report ~20 MiB
# whatever the binary uses. A tiny C runner forks from its own small
# address space and reports the child's wall time and rusage instead.
RUNNER_C = r"""
#include <sys/resource.h>
#include <sys/wait.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
int
main(int argc, char *argv[])
{
	struct timespec	 t0, t1;
	struct rusage	 ru;
	int		 st;
	pid_t		 pid;

	(void)argc;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) == -1)
		return 127;
	if (pid == 0) {
		execv(argv[1], argv + 1);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) == -1)
		return 127;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "\nRUNNER %.6f %ld.%06ld %ld.%06ld %ld %d\n",
	    (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	    (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec,
	    (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec,
	    ru.ru_maxrss, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return 0;
}
"""


def build_runner(tmp):
    """Compile the runner into tmp; its path, or None without a compiler."""
    src = os.path.join(tmp, "runner.c")
    exe = os.path.join(tmp, "runner")
    with open(src, "w") as f:
        f.write(RUNNER_C)
    cc = os.environ.get("CC", "cc")
    try:
        subprocess.run([cc, "-O2", "-D_DEFAULT_SOURCE", "-o", exe, src],
                       check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print("bench: cannot build the runner (%s); peak RSS will include "
              "Python's own" % e, file=sys.stderr)
        return None
    return exe


def run_once(binary, args, env, runner=None):
    """(wall s, cpu s, maxrss KiB, exit status) of one run."""
    with tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        argv = ([runner] if runner else []) + [binary] + args
        p = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                             stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        msg = err.read().decode(errors="replace")
    cpu, rss, code = ru.ru_utime + ru.ru_stime, ru.ru_maxrss, p.returncode
    if runner:
        head, _, tail = msg.rpartition("\nRUNNER ")
        if not tail:
            raise RuntimeError("runner said: %r" % msg)
        f = tail.split()
        wall, cpu = float(f[0]), float(f[1]) + float(f[2])
        rss, code, msg = int(f[3]), int(f[4]), head
    if code not in (0, 2) and msg.strip():
        print("  (exit %d: %s)" % (code, msg.strip().splitlines()[-1]),
              file=sys.stderr)
    return wall, cpu, rss, code


class Scenario:
    def __init__(self, key, title, args, want, runs):
        self.key, self.title, self.args = key, title, args
        self.want, self.runs = want, runs
        self.wall, self.cpu, self.rss, self.codes = [], [], [], []
        self.pushes = 0

    def measure(self, binary, env, prov, runner):
        run_once(binary, self.args, env, runner)  # warm-up, not counted
        n = len(prov.calls)
        for _ in range(self.runs):
            w, c, r, code = run_once(binary, self.args, env, runner)
            self.wall.append(w)
            self.cpu.append(c)
            self.rss.append(r)
            self.codes.append(code)
        self.pushes = len(prov.calls) - n

    def bad(self):
        return sorted(set(c for c in self.codes if c != self.want))


def write(path, doc):
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
    os.chmod(path, 0o600)
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary", nargs="?", default=harness.BIN)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--slow-runs", type=int, default=10,
                    help="runs of scenario c, which waits on a timeout")
    ap.add_argument("--timeout", type=float, default=5,
                    help="probe timeout per endpoint for scenario c "
                    "(the default is the product's)")
    o = ap.parse_args()
    binary = os.path.abspath(o.binary)
    if not os.access(binary, os.X_OK):
        print("bench: %s: not an executable; run make first" % binary,
              file=sys.stderr)
        return 1

    tmp = tempfile.mkdtemp(prefix="ddnsup-bench-")
    runner = build_runner(tmp)
    probe = harness.Server(Probe)
    probe.state["stop"] = threading.Event()
    prov = harness.Server(Provider)
    try:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "LANG": "C.UTF-8", "HOME": tmp, "XDG_CONFIG_HOME": tmp,
               "XDG_STATE_HOME": tmp}
        rec = {"name": "bench.example.com", "provider": "callback",
               "url": prov.url + "/update?name={name}&ip={address}"}

        def cfg(name, urls, state, **probe_extra):
            p = {"ipv4": urls, "allow_nonpublic": ["documentation"]}
            p.update(probe_extra)
            return write(os.path.join(tmp, name + ".json"),
                         {"state": os.path.join(tmp, state), "probe": p,
                          "records": [rec]})

        ca = cfg("a", [probe.url + "/fixed"], "a-state.json")
        cb = cfg("b", [probe.url + "/seq"], "b-state.json")
        cc = cfg("c", [probe.url + "/hang", probe.url + "/fixed"],
                 "c-state.json", timeout=o.timeout)
        scen = [
            Scenario("a", "unchanged (probe + state hit)",
                     ["-c", ca, "-4", "-u"], 2, o.runs),
            Scenario("b", "one update (probe + push)",
                     ["-c", cb, "-4"], 0, o.runs),
            Scenario("c", "first endpoint hangs (timeout %gs)" % o.timeout,
                     ["-c", cc, "-4", "-u"], 2, o.slow_runs),
            Scenario("d", "--probe only", ["-c", ca, "--probe", "-4"], 0,
                     o.runs),
        ]
        print("ddnsup bench: %s" % binary)
        print("loopback servers: probe %s, provider %s" % (probe.url, prov.url),
              flush=True)
        for s in scen:
            print("  running %s: %s ..." % (s.key, s.title), file=sys.stderr,
                  flush=True)
            s.measure(binary, env, prov, runner)

        hdr = ("", "scenario", "runs", "wall med", "wall p90", "cpu med",
               "cpu p90", "rss med", "rss max", "push", "exit")
        fmt = "%-2s %-36s %4s %9s %9s %8s %8s %9s %9s %4s  %s"
        print()
        print(fmt % hdr)
        print("-" * 112)
        for s in scen:
            codes = ",".join(str(c) for c in sorted(set(s.codes)))
            print(fmt % (s.key, s.title, len(s.wall),
                         "%.1f ms" % (statistics.median(s.wall) * 1e3),
                         "%.1f ms" % (pct(s.wall, 90) * 1e3),
                         "%.1f ms" % (statistics.median(s.cpu) * 1e3),
                         "%.1f ms" % (pct(s.cpu, 90) * 1e3),
                         "%.1f MiB" % (statistics.median(s.rss) / 1024.0),
                         "%.1f MiB" % (max(s.rss) / 1024.0), s.pushes, codes))
        a, c = scen[0], scen[2]
        delta = statistics.median(c.wall) - statistics.median(a.wall)
        print()
        print("c vs a: the hanging first endpoint adds %.1f ms (median) to an "
              "unchanged run (probe timeout %g s)" % (delta * 1e3, o.timeout))
        bad = [(s.key, s.bad(), s.want) for s in scen if s.bad()]
        for k, codes, want in bad:
            print("bench: scenario %s: unexpected exit status %s (want %d); "
                  "its numbers do not measure the intended path"
                  % (k, codes, want), file=sys.stderr)
        return 1 if bad else 0
    finally:
        probe.state["stop"].set()
        probe.close()
        prov.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
