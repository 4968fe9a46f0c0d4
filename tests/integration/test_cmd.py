"""The cmd address source: a command's output through the extractor.

Every command is a small shell script written into the test's directory;
the public address comes from documentation ranges (allow_nonpublic).
"""
import json
import os
import re
import time

import pytest

import harness
from probes import ProbeHandler
from test_driver import CallbackMock, cb_record, env_for, updates

V4, V4B, V6 = "203.0.113.7", "203.0.113.8", "2001:db8::7"
OK, NOADDR, TEMPFAIL, CONFIG = 0, 69, 75, 78

posix = pytest.mark.skipif(harness.ON_WINE,
                           reason="the commands are POSIX shell scripts")


def script(tmp_path, name, body):
    path = str(tmp_path / name)
    with open(path, "w") as f:
        f.write("#!/bin/sh\n" + body + "\n")
    os.chmod(path, 0o755)
    return path


def probe(tmp_path, v4=None, v6=None, args=(), env=None, records=None,
          **kw):
    p = {"allow_nonpublic": ["documentation"]}
    if v4 is not None:
        p["ipv4"] = v4
    if v6 is not None:
        p["ipv6"] = v6
    p.update(kw)
    cfg = {"probe": p, "state": str(tmp_path / "state.json")}
    if records is not None:
        cfg["records"] = records
    path = harness.write_config(str(tmp_path / "c.json"), cfg)
    e = env_for(tmp_path)
    e.update(env or {})
    if records is not None:
        return harness.run(["-c", path] + list(args), env=e)
    fams = ["-4"] if v6 is None else ["-6"] if v4 is None else []
    return harness.run(["--probe", "--json", "-c", path] + fams + list(args),
                       env=e)


def cmd(command, **kw):
    d = {"source": "cmd", "command": command}
    d.update(kw)
    return d


def test_argv_everywhere(tmp_path):
    """The argv form, on POSIX and on Windows (ddnsup.exe under Wine)."""
    argv = ["cmd.exe", "/c", "echo", "ip", V4] if harness.ON_WINE else \
        ["/bin/echo", "ip", V4]
    r = probe(tmp_path, [cmd(argv)], [cmd(argv[:-1] + [V6])])
    assert r.code == OK, r
    doc = r.json()["addresses"]
    assert doc["A"]["address"] == V4 and doc["AAAA"]["address"] == V6
    assert doc["A"]["source"] == "cmd " + argv[0]
    assert doc["A"]["seen"][0]["source_label"] == "cmd " + argv[0]


@posix
def test_address(tmp_path):
    s = script(tmp_path, "ip", "echo %s" % V4)
    r = probe(tmp_path, ["cmd:" + s])
    assert r.code == OK, r
    a = r.json()["addresses"]["A"]
    assert a["address"] == V4 and a["source"] == "cmd " + s, a
    assert a["seen"] == [{"source_label": "cmd " + s, "address": V4,
                          "error": None, "ms": a["ms"]}], a


@posix
def test_html_and_arguments(tmp_path):
    s = script(tmp_path, "page", 'printf "<html><body><p>%s</p> $2</body>'
               '</html>\\n" "$1"')
    r = probe(tmp_path, [cmd([s, V4, "HTTP/1.1 nginx/1.24.0"])])
    assert r.code == OK, r
    assert r.json()["addresses"]["A"]["address"] == V4
    assert r.json()["addresses"]["A"]["source"] == "cmd " + s


@posix
def test_both_families_one_run(tmp_path):
    count = tmp_path / "count"
    s = script(tmp_path, "both", "echo x >> %s; echo %s; echo %s"
               % (count, V4, V6))
    r = probe(tmp_path, [cmd([s])], [cmd([s])])
    assert r.code == OK, r
    doc = r.json()["addresses"]
    assert doc["A"]["address"] == V4 and doc["AAAA"]["address"] == V6
    assert count.read_text() == "x\n"       # the same command ran once


@posix
def test_nothing(tmp_path):
    s = script(tmp_path, "quiet", "true")
    r = probe(tmp_path, ["cmd:" + s])
    assert r.code == NOADDR, r
    assert "cmd %s: no IPv4 address in the reply" % s in r.err, r


@posix
def test_two_addresses_ambiguous(tmp_path):
    s = script(tmp_path, "two", "echo %s %s" % (V4, V4B))
    r = probe(tmp_path, ["cmd:" + s])
    assert r.code == NOADDR, r
    assert "cmd %s: ambiguous: several addresses" % s in r.err, r


@posix
def test_private_address_refused(tmp_path):
    s = script(tmp_path, "lan", "echo 192.168.1.20")
    r = probe(tmp_path, ["cmd:" + s])
    assert r.code == NOADDR, r
    assert "cmd %s: 192.168.1.20 is in private" % s in r.err, r


@posix
def test_exit_status_and_stderr(tmp_path):
    s = script(tmp_path, "fail", "echo %s; echo >&2; echo 'curl: (6) Could "
               "not resolve host' >&2; echo second >&2; exit 6" % V4)
    r = probe(tmp_path, ["cmd:" + s])
    assert r.code == NOADDR, r
    assert "cmd %s: exit status 6: curl: (6) Could not resolve host" % s \
        in r.err, r
    assert "second" not in r.err


@posix
def test_signal(tmp_path):
    s = script(tmp_path, "sig", "kill -TERM $$")
    r = probe(tmp_path, ["cmd:" + s])
    assert r.code == NOADDR, r
    assert "cmd %s: killed by signal 15" % s in r.err, r


@posix
def test_not_found(tmp_path):
    r = probe(tmp_path, ["cmd:" + str(tmp_path / "nope")])
    assert r.code == NOADDR, r
    assert "cmd %s: cannot run it: No such file or directory" \
        % (tmp_path / "nope") in r.err, r
    s = script(tmp_path, "noexec", "echo %s" % V4)
    os.chmod(s, 0o644)
    r = probe(tmp_path, ["cmd:" + s])
    assert "cmd %s: cannot run it: Permission denied" % s in r.err, r


@posix
def test_path_search_and_environment(tmp_path):
    d = tmp_path / "bin"
    d.mkdir()
    script(d, "myip", 'echo "$MYIP"')
    r = probe(tmp_path, [cmd(["myip"])],
              env={"PATH": "%s:/usr/bin:/bin" % d, "MYIP": V4})
    assert r.code == OK, r
    assert r.json()["addresses"]["A"]["address"] == V4


@posix
def test_stdin_is_null(tmp_path):
    s = script(tmp_path, "cat", "cat; echo %s" % V4)
    r = probe(tmp_path, ["cmd:" + s])
    assert r.code == OK, r


@posix
def test_hang_killed_at_timeout_with_its_children(tmp_path):
    pidfile = tmp_path / "child.pid"
    s = script(tmp_path, "hang", "sleep 60 & echo $! > %s; wait" % pidfile)
    t0 = time.monotonic()
    r = probe(tmp_path, [cmd([s], timeout=0.5),
                         cmd(["/bin/echo", V4])], deadline=20)
    took = time.monotonic() - t0
    assert r.code == OK, r
    assert took < 5, took
    seen = r.json()["addresses"]["A"]["seen"]
    assert seen[0]["error"] == "cmd %s: no answer in 0.5 s: killed" % s, seen
    assert 450 <= seen[0]["ms"] < 2000, seen
    pid = int(pidfile.read_text())
    # The grandchild went with the group (a zombie at most, until init
    # reaps it).
    for _ in range(100):
        try:
            with open("/proc/%d/stat" % pid) as f:
                state = f.read().split(")")[-1].split()[0]
        except FileNotFoundError:
            break
        if state == "Z":
            break
        time.sleep(0.02)
    else:
        pytest.fail("the command's child %d outlived the timeout" % pid)


@posix
def test_deadline_cuts_a_longer_timeout(tmp_path):
    s = script(tmp_path, "hang", "exec sleep 60")
    t0 = time.monotonic()
    r = probe(tmp_path, [cmd([s], timeout=30)], deadline=1)
    assert r.code == NOADDR, r
    assert time.monotonic() - t0 < 5
    # The step gets what is left of the 1 s deadline: 1.0 s, or a little
    # less when the machine is busy before the command starts.
    m = re.search(r"cmd %s: no answer in ([0-9.]+) s: killed" % re.escape(s),
                  r.err)
    assert m and 0.5 <= float(m.group(1)) <= 1.0, r


@posix
def test_output_cap(tmp_path):
    s = script(tmp_path, "big", "head -c 70000 /dev/zero | tr '\\0' x; "
               "echo %s" % V4)
    r = probe(tmp_path, ["cmd:" + s])
    assert r.code == NOADDR, r
    assert "cmd %s: more than 64 KiB of output" % s in r.err, r
    s = script(tmp_path, "fits", "head -c 60000 /dev/zero | tr '\\0' ' '; "
               "echo %s" % V4)
    r = probe(tmp_path, ["cmd:" + s])
    assert r.code == OK, r


@posix
def test_fallback_to_next_source(tmp_path, servers):
    ep = servers(ProbeHandler)
    s = script(tmp_path, "fail", "exit 1")
    r = probe(tmp_path, ["cmd:" + s, ep.url + "/fast/" + V4])
    assert r.code == OK, r
    a = r.json()["addresses"]["A"]
    assert a["address"] == V4 and a["source"] == ep.url + "/fast/" + V4
    assert [x["source_label"] for x in a["seen"]] == ["cmd " + s, "http"]
    assert a["seen"][0]["error"] == "cmd %s: exit status 1" % s


@posix
def test_shell(tmp_path):
    r = probe(tmp_path, [cmd("echo $((1+2)) %s | cut -d' ' -f2" % V4,
                             shell=True)])
    assert r.code == OK, r
    assert r.json()["addresses"]["A"]["address"] == V4


@posix
@pytest.mark.parametrize("entry,want", [
    (cmd("echo 1.2.3.4"), ":4:22: probe.ipv4[0].command: cmd: \"echo 1.2.3.4\" "
     "has spaces or shell characters: give the program and its arguments "
     "as a list"),
    ("cmd:myip -4", "probe.ipv4[0]: cmd: \"myip -4\" has spaces"),
    (cmd([]), "probe.ipv4[0].command: cmd: expected the program and its "
     "arguments, not an empty list"),
    (cmd(["a", 1]), "probe.ipv4[0].command: cmd: expected a list of strings"),
    (cmd(["/bin/echo"], shell=True), "probe.ipv4[0].shell: cmd: goes with "
     "a string command"),
    (cmd(["/bin/echo"], timeout=0), "probe.ipv4[0].timeout: cmd: expected "
     "seconds"),
    (cmd(["/bin/echo"], shell="yes"), "probe.ipv4[0].shell: cmd: expected "
     "true or false"),
    (cmd(["/bin/echo"], comand="x"), "probe.ipv4[0]: cmd: unknown option "
     "\"comand\""),
    ({"source": "cmd"}, "probe.ipv4[0]: cmd: \"command\" missing"),
])
def test_config_errors(tmp_path, entry, want):
    path = str(tmp_path / "c.json")
    with open(path, "w") as f:
        f.write('{\n "probe": {\n  "ipv4": [\n   %s\n  ]\n }\n}\n'
                % json.dumps(entry))
    r = harness.run(["--check-config", "-c", path], env=env_for(tmp_path))
    assert r.code == CONFIG, r
    assert want in r.err, r
    assert path + ":" in r.err, r


@posix
def test_update_run_child_does_not_hold_the_lock(tmp_path, servers):
    """A command that leaves a process behind must not keep the state
    lock (or any other descriptor of ours) open."""
    srv = servers(CallbackMock)
    s = script(tmp_path, "bg", "sleep 30 >/dev/null 2>&1 & echo %s" % V4)
    recs = [cb_record(srv, "a.example.com")]
    r = probe(tmp_path, ["cmd:" + s], records=recs)
    assert r.code == OK, r
    assert updates(srv) == [("a.example.com", "A", V4)]
    assert "(chosen)" not in r.err     # what each source saw: -v only
    t0 = time.monotonic()
    r = probe(tmp_path, ["cmd:" + s], records=recs, args=["-f", "-v"])
    assert r.code == OK, r
    assert "ddnsup: A: cmd %s: %s from cmd %s in " % (s, V4, s) in r.err, r
    assert " ms (chosen)\n" in r.err, r
    assert time.monotonic() - t0 < 4, r
    assert len(updates(srv)) == 2


# ---- the quorum across sources: every answer is a vote -------------------

@posix
def test_quorum_cmd_and_http_agree(tmp_path, servers):
    ep = servers(ProbeHandler)
    s = script(tmp_path, "ip", "echo %s" % V4)
    r = probe(tmp_path, ["cmd:" + s, ep.url + "/fast/" + V4], quorum=2)
    assert r.code == OK, r
    a = r.json()["addresses"]["A"]
    assert a["address"] == V4 and a["agree"] == 2, a
    assert a["source"] == ep.url + "/fast/" + V4
    assert [x["address"] for x in a["seen"]] == [V4, V4]


@posix
def test_quorum_disagreeing_source_is_another_vote(tmp_path, servers):
    ep = servers(ProbeHandler)
    liar = script(tmp_path, "liar", "echo %s" % V4B)
    good = script(tmp_path, "good", "echo %s" % V4)
    # cmd says V4B, http says V4: 1 each; the next cmd breaks the tie.
    r = probe(tmp_path, ["cmd:" + liar, ep.url + "/fast/" + V4,
                         "cmd:" + good], quorum=2)
    assert r.code == OK, r
    a = r.json()["addresses"]["A"]
    assert a["address"] == V4 and a["agree"] == 2
    assert a["source"] == "cmd " + good
    assert len(a["seen"]) == 3


@posix
def test_quorum_not_met_reports_the_tally(tmp_path, servers):
    ep = servers(ProbeHandler)
    liar = script(tmp_path, "liar", "echo %s" % V4B)
    fail = script(tmp_path, "fail", "echo broken >&2; exit 2")
    r = probe(tmp_path, ["cmd:" + liar, ep.url + "/fast/" + V4,
                         "cmd:" + fail], quorum=2)
    assert r.code == NOADDR, r
    err = r.json()["addresses"]["A"]["error"]
    assert err.startswith("no IPv4 address that 2 answers agree on (votes: "
                          "%s 1, %s 1): cmd %s: exit status 2: broken"
                          % (V4B, V4, fail)), err


@posix
def test_quorum_http_endpoints_count_each(tmp_path, servers):
    """Two agreeing endpoints of one http step are two votes; with one
    more from a command they make a quorum of 3."""
    ep = servers(ProbeHandler)
    s = script(tmp_path, "ip", "echo %s" % V4)
    # The slow endpoint is waited for, though after the two fast ones
    # the step alone can no longer make 3.
    r = probe(tmp_path, [ep.url + "/fast/" + V4, ep.url + "/slow/300/" + V4,
                         ep.url + "/fast/" + V4B, "cmd:" + s], quorum=3)
    assert r.code == OK, r
    a = r.json()["addresses"]["A"]
    assert a["address"] == V4 and a["agree"] == 3, a
    assert a["source"] == "cmd " + s
    assert a["seen"][0]["address"] is None     # short of 3 on its own
    assert "2 endpoints" not in a["seen"][0]["error"]
    assert "3 endpoints agree" in a["seen"][0]["error"], a


@posix
def test_quorum_one_endpoint_seconds_a_command(tmp_path, servers):
    """An http step with a single endpoint still runs when one vote is
    all that is missing."""
    ep = servers(ProbeHandler)
    s = script(tmp_path, "ip", "echo %s" % V4)
    r = probe(tmp_path, ["cmd:" + s, ep.url + "/fast/" + V4], quorum=2,
              args=["-v"])
    assert r.code == OK, r
    assert len(ep.calls) == 1
    assert "A: http: %s from %s/fast/%s in " % (V4, ep.url, V4) in r.err
    assert r.err.count("(chosen)") == 2, r.err
