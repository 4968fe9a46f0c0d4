"""The driver (ddnsup.c) end to end: options, configuration errors, --probe,
--check-config, record selection, -4/-6, --json, the exit status when
records end differently, -u, --dry-run and the mode warning.

Everything runs the real binary against loopback servers started here;
addresses come from --ip and are documentation ones (RFC 5737/3849).
"""
import os
import re

import pytest

import harness

A1, A2, A3 = "203.0.113.10", "203.0.113.20", "203.0.113.30"
V6 = "2001:db8::10"

# Exit statuses (sysexits), as the spec names them.
OK, UNCHANGED, USAGE, NOADDR, STATE, TEMPFAIL = 0, 2, 64, 69, 73, 75
PROTOCOL, AUTH, CONFIG = 76, 77, 78


class CallbackMock(harness.MockHandler):
    """The far end of a callback record: GET /update?name=&type=&ip=.

    server.state["rules"][name] is (status, headers, body) for that name;
    anything else gets 200 "ok". server.state["seen"] keeps (name, type,
    ip) of every update in order.
    """

    def respond(self, call):
        st = self.server.state
        if call.path != "/update":
            return 404, {}, "no such path"
        q = {k: v[0] for k, v in call.query.items()}
        st.setdefault("seen", []).append((q.get("name"), q.get("type"),
                                          q.get("ip")))
        rule = st.get("rules", {}).get(q.get("name"))
        if rule is not None:
            return rule
        return 200, {}, "ok"


def env_for(tmp_path, **kw):
    """A private HOME/XDG so that no real configuration is read."""
    e = {"HOME": str(tmp_path / "home"),
         "XDG_CONFIG_HOME": str(tmp_path / "home" / ".config"),
         "XDG_STATE_HOME": str(tmp_path / "home" / ".local" / "state")}
    e.update(kw)
    return e


def cb_record(srv, name, types="A", **kw):
    r = {"name": name, "provider": "callback", "types": types,
         "url": srv.url + "/update?name={name}&type={type}&ip={address}"}
    r.update(kw)
    return r


def make_config(tmp_path, records, name="ddnsup.json", mode=0o600, **top):
    cfg = {"state": str(tmp_path / "state.json"), "records": records}
    cfg.update(top)
    path = harness.write_config(str(tmp_path / name), cfg)
    os.chmod(path, mode)
    return path


def run(tmp_path, args, **kw):
    env = env_for(tmp_path)
    env.update(kw.pop("env", {}))
    return harness.run(args, env=env, **kw)


def lines(r):
    return [l for l in r.out.splitlines() if l.strip()]


def updates(srv):
    return list(srv.state.get("seen", []))


# ---- usage errors: 64 at once, nothing on stdout ---------------------------

@pytest.mark.parametrize("args", [
    ["--no-such-option"],
    ["-Z"],
    ["-q", "-v"],
    ["-v", "--quiet"],
    ["--ip", "203.0.113.300"],
    ["--ip", "example.com"],
    ["--ip", " 203.0.113.1"],
    ["--ip", A1, "--ip", A2],
    ["--ip", V6, "--ip", "2001:db8::11"],
    ["-p", "callback", "--ttl", "junk"],
    ["-p", "callback", "--ttl", "12x"],
    ["-p", "callback", "--ttl", "-1"],
    ["-p", "callback", "--ttl", ""],
    ["-p", "callback", "--type", "MX"],
    ["-p", "callback", "-o", "novalue"],
    ["-p", "callback", "-o", "=value"],
    ["--ttl", "60"],
    ["-o", "url=http://127.0.0.1:1/"],
    ["--probe", "--check-config"],
    ["--probe", "--force"],
    ["--check-config", "--dry-run"],
    ["-c"],
])
def test_usage_errors(tmp_path, args):
    r = run(tmp_path, args)
    assert r.code == USAGE, r
    assert r.out == "", r
    assert "usage:" in r.err, r


def test_usage_error_names_the_culprit(tmp_path):
    r = run(tmp_path, ["--ip", "203.0.113.300"])
    assert r.code == USAGE
    assert "203.0.113.300" in r.err
    r = run(tmp_path, ["-p", "callback", "--ttl", "junk"])
    assert r.code == USAGE
    assert "junk" in r.err
    r = run(tmp_path, ["--ip", A1, "--ip", A2])
    assert r.code == USAGE
    assert A2 in r.err


def test_version(tmp_path):
    r = run(tmp_path, ["--version"])
    assert r.code == OK, r
    assert re.match(r"ddnsup \d+\.\d+\.\d+", r.out), r
    assert r.err == ""


def long_options():
    """Every long option ddnsup.c declares in its getopt_long table."""
    src = open(os.path.join(harness.ROOT, "ddnsup.c")).read()
    m = re.search(r"struct option\s+\w+\[\]\s*=\s*\{(.*?)\n\s*\};", src, re.S)
    assert m, "no getopt_long option table in ddnsup.c"
    names = re.findall(r'\{\s*"([a-z0-9-]+)"\s*,', m.group(1))
    assert len(names) >= 10
    return names


def test_help_mentions_every_long_option(tmp_path):
    r = run(tmp_path, ["--help"])
    assert r.code == OK, r
    assert r.out.startswith("usage:"), r
    missing = [n for n in long_options()
               if not re.search(r"--%s\b" % re.escape(n), r.out)]
    assert not missing, "--help does not mention: %s" % missing
    # -h is the short form.
    r2 = run(tmp_path, ["-h"])
    assert r2.code == OK and r2.out == r.out


# ---- configuration errors: 78 ------------------------------------------------

def test_missing_explicit_config(tmp_path):
    path = str(tmp_path / "nope" / "ddnsup.json")
    r = run(tmp_path, ["-c", path])
    assert r.code == CONFIG, r
    assert path in r.err
    r = run(tmp_path, [], env={"DDNSUP_CONFIG": path})
    assert r.code == CONFIG, r
    assert path in r.err


def test_malformed_config(tmp_path):
    path = str(tmp_path / "bad.json")
    with open(path, "w") as f:
        f.write('{\n  "records": [\n    {"name": "a.example.com",,}\n  ]\n}\n')
    os.chmod(path, 0o600)
    r = run(tmp_path, ["-c", path, "--ip", A1])
    assert r.code == CONFIG, r
    assert re.search(re.escape(path) + r":3:\d+:", r.err), r
    assert r.out == ""
    r = run(tmp_path, ["--check-config", "-c", path])
    assert r.code == CONFIG, r
    assert re.search(re.escape(path) + r":3:\d+:", r.err), r


def test_invalid_config_names_key(tmp_path):
    path = str(tmp_path / "bad.json")
    with open(path, "w") as f:
        f.write('{\n  "recods": []\n}\n')
    r = run(tmp_path, ["--check-config", "-c", path])
    assert r.code == CONFIG, r
    assert "%s:2:3:" % path in r.err, r
    assert "records" in r.err


def test_check_config_lists_records(tmp_path, servers):
    srv = servers(CallbackMock)
    path = make_config(tmp_path, [
        cb_record(srv, "a.example.com"),
        cb_record(srv, "b.example.com", types=["A", "AAAA"]),
        cb_record(srv, "c.example.com", types="AAAA"),
    ])
    r = run(tmp_path, ["--check-config", "-c", path])
    assert r.code == OK, r
    assert "OK" in r.out and "3 records" in r.out, r
    for n in ("a.example.com", "b.example.com", "c.example.com"):
        assert n in r.out
    assert re.search(r"b\.example\.com A,AAAA via callback", r.out), r
    assert re.search(r"c\.example\.com AAAA via callback", r.out), r
    assert str(tmp_path / "state.json") in r.out
    assert updates(srv) == []           # nothing was called
    assert not (tmp_path / "state.json").exists()


def no_default_config(tmp_path):
    if os.geteuid() == 0 and os.path.exists("/etc/ddnsup/ddnsup.json"):
        pytest.skip("SKIPPED: /etc/ddnsup/ddnsup.json exists on this machine")


def test_no_config_no_provider(tmp_path):
    no_default_config(tmp_path)
    r = run(tmp_path, ["--ip", A1])
    assert r.code == CONFIG, r
    assert "-c" in r.err and "-p" in r.err, r
    assert "ddnsup.json" in r.err, r


def test_probe_with_ip_needs_no_config(tmp_path):
    no_default_config(tmp_path)
    r = run(tmp_path, ["--probe", "-4", "--ip", A1])
    assert r.code == OK, r
    assert r.out == A1 + "\n", r
    r = run(tmp_path, ["--probe", "--ip", A1, "--ip", V6])
    assert r.code == OK, r
    assert lines(r) == [A1, V6], r
    r = run(tmp_path, ["--probe", "-6", "--ip", V6])
    assert r.code == OK, r
    assert lines(r) == [V6], r


def test_probe_json(tmp_path):
    no_default_config(tmp_path)
    r = run(tmp_path, ["--probe", "--json", "--ip", A1, "--ip", V6])
    assert r.code == OK, r
    doc = r.json()
    assert doc["version"] == 1 and doc["exit"] == 0
    assert set(doc["addresses"]) == {"A", "AAAA"}
    a = doc["addresses"]["A"]
    assert a["address"] == A1 and a["source"] == "--ip"
    assert isinstance(a["ms"], int) and a["agree"] >= 1
    assert doc["addresses"]["AAAA"]["address"] == V6
    # --json output is the document alone: the non-public warning is not
    # mixed into stdout.
    assert "records" not in doc


# ---- selection ------------------------------------------------------------------

def test_unknown_record_name(tmp_path, servers):
    srv = servers(CallbackMock)
    path = make_config(tmp_path, [cb_record(srv, "a.example.com")])
    r = run(tmp_path, ["-c", path, "--ip", A1, "nosuch.example.com"])
    assert r.code == USAGE, r
    assert "nosuch.example.com" in r.err
    assert updates(srv) == []


def test_named_record_only(tmp_path, servers):
    srv = servers(CallbackMock)
    path = make_config(tmp_path, [cb_record(srv, "a.example.com"),
                                  cb_record(srv, "b.example.com")])
    r = run(tmp_path, ["-c", path, "--ip", A1, "b.example.com"])
    assert r.code == OK, r
    assert updates(srv) == [("b.example.com", "A", A1)]
    assert lines(r) == ["b.example.com A %s updated" % A1], r


@pytest.mark.parametrize("flag,want", [
    ("-4", [("a.example.com", "A", A1)]),
    ("-6", [("a.example.com", "AAAA", V6)]),
    (None, [("a.example.com", "A", A1), ("a.example.com", "AAAA", V6)]),
])
def test_family_filter(tmp_path, servers, flag, want):
    srv = servers(CallbackMock)
    path = make_config(tmp_path, [cb_record(srv, "a.example.com",
                                            types="both")])
    args = ["-c", path, "--ip", A1, "--ip", V6] + ([flag] if flag else [])
    r = run(tmp_path, args)
    assert r.code == OK, r
    assert sorted(updates(srv)) == sorted(want)
    assert len(lines(r)) == len(want), r
    for name, typ, ip in want:
        assert "%s %s %s updated" % (name, typ, ip) in r.out
    if flag == "-4":
        assert "AAAA" not in r.out
    if flag == "-6":
        assert " A " not in r.out


def test_family_filter_probe_only_that_family(tmp_path, servers):
    """-4 must not need an IPv6 address: no probe runs for it (were it
    to run, the default endpoints are unreachable and it would fail)."""
    srv = servers(CallbackMock)
    path = make_config(tmp_path, [cb_record(srv, "a.example.com",
                                            types="both")],
                       probe={"ipv6": ["http://127.0.0.1:9/"], "timeout": 1,
                              "deadline": 2})
    r = run(tmp_path, ["-c", path, "--ip", A1, "-4"])
    assert r.code == OK, r
    assert updates(srv) == [("a.example.com", "A", A1)]


# ---- --json --------------------------------------------------------------------------

RECORD_KEYS = {"name", "type", "provider", "address", "previous", "outcome",
               "pushed", "message", "backoff_until"}


def test_json_document(tmp_path, servers):
    srv = servers(CallbackMock)
    srv.state["rules"] = {"b.example.com": (503, {}, "busy")}
    path = make_config(tmp_path, [cb_record(srv, "a.example.com"),
                                  cb_record(srv, "b.example.com")])
    r = run(tmp_path, ["-c", path, "--ip", A1, "--json"])
    assert r.code == TEMPFAIL, r
    doc = r.json()                      # stdout is one JSON document
    assert doc["version"] == 1
    assert doc["exit"] == TEMPFAIL
    assert doc["addresses"]["A"]["address"] == A1
    assert doc["addresses"]["A"]["source"] == "--ip"
    assert "AAAA" not in doc["addresses"]   # no record wants it
    recs = {x["name"]: x for x in doc["records"]}
    assert set(recs) == {"a.example.com", "b.example.com"}
    for x in doc["records"]:
        assert RECORD_KEYS <= set(x), x
        assert x["type"] == "A" and x["provider"] == "callback"
        assert x["address"] == A1
        assert x["previous"] is None
        assert isinstance(x["pushed"], bool)
    a, b = recs["a.example.com"], recs["b.example.com"]
    assert a["outcome"] == "updated" and a["pushed"] is True
    assert a["message"] is None and a["backoff_until"] is None
    assert b["outcome"] == "tempfail" and b["pushed"] is True
    assert isinstance(b["message"], str) and "503" in b["message"]

    # Second run: a is current (previous set), b is retried.
    srv.state["rules"] = {}
    r = run(tmp_path, ["-c", path, "--ip", A2, "--json"])
    assert r.code == OK, r
    recs = {x["name"]: x for x in r.json()["records"]}
    assert recs["a.example.com"]["previous"] == A1
    assert recs["a.example.com"]["outcome"] == "updated"
    r = run(tmp_path, ["-c", path, "--ip", A2, "--json"])
    recs = {x["name"]: x for x in r.json()["records"]}
    assert recs["a.example.com"]["outcome"] == "current"
    assert recs["a.example.com"]["pushed"] is False


def test_json_dry_run_outcome(tmp_path, servers):
    srv = servers(CallbackMock)
    path = make_config(tmp_path, [cb_record(srv, "a.example.com")])
    r = run(tmp_path, ["-c", path, "--ip", A1, "--json", "-n"])
    assert r.code == OK, r
    (x,) = r.json()["records"]
    assert x["outcome"] == "would-update" and x["pushed"] is False


# ---- exit precedence ---------------------------------------------------------------

def precedence_run(tmp_path, servers, rules, state_dir=False):
    srv = servers(CallbackMock)
    srv.state["rules"] = rules
    recs = [cb_record(srv, n) for n in ("a.example.com", "b.example.com",
                                        "c.example.com")]
    path = make_config(tmp_path, recs)
    if state_dir:
        os.mkdir(str(tmp_path / "state.json"))   # cannot be replaced
    r = run(tmp_path, ["-c", path, "--ip", A1])
    return srv, r


def test_exit_auth_beats_tempfail(tmp_path, servers):
    srv, r = precedence_run(tmp_path, servers, {
        "a.example.com": (401, {}, "bad token"),
        "b.example.com": (503, {}, "try later")})
    assert r.code == AUTH, r
    assert len(updates(srv)) == 3       # one failure does not stop the rest
    out = r.out
    assert "a.example.com A %s failed" % A1 in out, r
    assert "b.example.com A %s failed" % A1 in out, r
    assert "c.example.com A %s updated" % A1 in out, r
    assert "401" in r.err and "503" in r.err


def test_exit_tempfail_and_ok(tmp_path, servers):
    srv, r = precedence_run(tmp_path, servers, {
        "b.example.com": (503, {}, "try later")})
    assert r.code == TEMPFAIL, r
    assert "a.example.com A %s updated" % A1 in r.out


def test_exit_protocol_beats_tempfail(tmp_path, servers):
    srv = servers(CallbackMock)
    srv.state["rules"] = {"b.example.com": (503, {}, "try later")}
    recs = [cb_record(srv, "a.example.com", success_body="good"),
            cb_record(srv, "b.example.com")]
    path = make_config(tmp_path, recs)
    r = run(tmp_path, ["-c", path, "--ip", A1])
    assert r.code == PROTOCOL, r


def test_exit_config_beats_auth(tmp_path, servers):
    srv, r = precedence_run(tmp_path, servers, {
        "a.example.com": (401, {}, "no"),
        "b.example.com": (404, {}, "no such record")})
    assert r.code == CONFIG, r


def test_exit_state_unwritable_and_ok(tmp_path, servers):
    srv, r = precedence_run(tmp_path, servers, {}, state_dir=True)
    assert r.code == STATE, r
    assert len(updates(srv)) == 3
    assert "a.example.com A %s updated" % A1 in r.out, r
    assert str(tmp_path / "state.json") in r.err


def test_exit_state_beats_tempfail(tmp_path, servers):
    srv, r = precedence_run(tmp_path, servers, {
        "b.example.com": (503, {}, "later")}, state_dir=True)
    assert r.code == STATE, r


def test_exit_auth_beats_state(tmp_path, servers):
    srv, r = precedence_run(tmp_path, servers, {
        "b.example.com": (403, {}, "forbidden")}, state_dir=True)
    assert r.code == AUTH, r


# ---- -u, --dry-run -------------------------------------------------------------------

def test_unchanged_status(tmp_path, servers):
    srv = servers(CallbackMock)
    path = make_config(tmp_path, [cb_record(srv, "a.example.com")])
    r = run(tmp_path, ["-c", path, "--ip", A1, "-u"])
    assert r.code == OK, r              # pushed: 0
    assert len(updates(srv)) == 1
    r = run(tmp_path, ["-c", path, "--ip", A1, "-u"])
    assert r.code == UNCHANGED, r       # state hit, nothing pushed: 2
    assert "a.example.com A %s current" % A1 in r.out
    assert len(updates(srv)) == 1
    r = run(tmp_path, ["-c", path, "--ip", A1])
    assert r.code == OK, r              # without -u a hit is 0
    r = run(tmp_path, ["-c", path, "--ip", A2, "--unchanged-status"])
    assert r.code == OK, r              # changed again: 0
    assert len(updates(srv)) == 2
    assert "updated (was %s)" % A1 in r.out


def test_unchanged_status_does_not_hide_failure(tmp_path, servers):
    srv = servers(CallbackMock)
    srv.state["rules"] = {"a.example.com": (503, {}, "later")}
    path = make_config(tmp_path, [cb_record(srv, "a.example.com")])
    r = run(tmp_path, ["-c", path, "--ip", A1, "-u"])
    assert r.code == TEMPFAIL, r


def test_dry_run(tmp_path, servers):
    srv = servers(CallbackMock)
    path = make_config(tmp_path, [cb_record(srv, "a.example.com",
                                            types="both")])
    r = run(tmp_path, ["-c", path, "--ip", A1, "--ip", V6, "--dry-run"])
    assert r.code == OK, r
    assert updates(srv) == [] and srv.calls == []
    assert not (tmp_path / "state.json").exists()
    assert not (tmp_path / "state.json.lock").exists()
    assert "a.example.com A %s would-update" % A1 in r.out, r
    assert "a.example.com AAAA %s would-update" % V6 in r.out, r

    # After a real run, a dry run with the same address has nothing to do
    # and one with a new address says what it would push; neither writes.
    r = run(tmp_path, ["-c", path, "--ip", A1, "--ip", V6])
    assert r.code == OK, r
    before = open(str(tmp_path / "state.json"), "rb").read()
    st = os.stat(str(tmp_path / "state.json"))
    ncalls = len(srv.calls)
    r = run(tmp_path, ["-c", path, "--ip", A2, "--ip", V6, "-n"])
    assert r.code == OK, r
    assert "a.example.com A %s would-update" % A2 in r.out, r
    assert "a.example.com AAAA %s current" % V6 in r.out, r
    assert len(srv.calls) == ncalls
    assert open(str(tmp_path / "state.json"), "rb").read() == before
    assert os.stat(str(tmp_path / "state.json")).st_mtime_ns == st.st_mtime_ns


# ---- credentials in the file ----------------------------------------------------------

@pytest.mark.skipif(harness.ON_WINE, reason=harness.WINE_NO_MODES)
def test_inline_secret_mode_warning(tmp_path, servers):
    srv = servers(CallbackMock)
    rec = cb_record(srv, "a.example.com", token="inline-secret-91b7")
    path = make_config(tmp_path, [rec], mode=0o644)
    r = run(tmp_path, ["--check-config", "-c", path])
    assert r.code == OK, r
    assert path in r.err and "chmod" in r.err, r
    assert "inline-secret-91b7" not in r.err + r.out

    os.chmod(path, 0o600)
    r = run(tmp_path, ["--check-config", "-c", path])
    assert r.code == OK, r
    assert r.err == "", r


def test_env_secret_no_mode_warning(tmp_path, servers):
    srv = servers(CallbackMock)
    rec = cb_record(srv, "a.example.com", token={"env": "CB_TOKEN"})
    path = make_config(tmp_path, [rec], mode=0o644)
    r = run(tmp_path, ["--check-config", "-c", path],
            env={"CB_TOKEN": "env-secret-51c0"})
    assert r.code == OK, r
    assert r.err == "", r


# ---- a record from the command line -------------------------------------------------

def test_command_line_record(tmp_path, servers):
    srv = servers(CallbackMock)
    url = srv.url + "/update?name={name}&type={type}&ip={address}"
    st = str(tmp_path / "cli-state.json")
    r = run(tmp_path, ["-p", "callback", "-o", "url=" + url, "--state", st,
                       "--ip", A1, "cli.example.com"])
    assert r.code == OK, r
    assert updates(srv) == [("cli.example.com", "A", A1)]
    assert os.path.exists(st)
    r = run(tmp_path, ["-p", "callback", "--state", st, "--ip", A1],
            env={"DDNSUP_NAME": "cli.example.com", "DDNSUP_URL": url})
    assert r.code == OK, r
    assert "cli.example.com A %s current" % A1 in r.out, r
    assert len(updates(srv)) == 1


# ---- probing through an endpoint, no address ------------------------------------

class ProbeMock(harness.MockHandler):
    """/addr/<a>: 200 with the address alone; /junk: no address at all."""

    def respond(self, call):
        parts = call.path.strip("/").split("/")
        if parts[0] == "addr":
            return 200, {"Content-Type": "text/plain"}, parts[1] + "\n"
        return 200, {"Content-Type": "text/plain"}, "no address here\n"


def test_probe_endpoint_feeds_the_push(tmp_path, servers):
    srv = servers(CallbackMock)
    probe = servers(ProbeMock)
    path = make_config(tmp_path, [cb_record(srv, "a.example.com")],
                       probe={"ipv4": [probe.url + "/addr/203.0.113.55"],
                              "allow_nonpublic": ["documentation"]})
    r = run(tmp_path, ["-c", path])
    assert r.code == OK, r
    assert updates(srv) == [("a.example.com", "A", "203.0.113.55")]
    r = run(tmp_path, ["-c", path, "--json"])
    assert r.code == OK, r
    a = r.json()["addresses"]["A"]
    assert a["address"] == "203.0.113.55"
    assert a["source"].startswith(probe.url), a
    r = run(tmp_path, ["-c", path, "--probe", "-4"])
    assert r.code == OK and r.out == "203.0.113.55\n", r


def test_probe_refuses_documentation_address(tmp_path, servers):
    """Without allow_nonpublic a documentation address is no public one:
    nothing is pushed and the run exits 69 naming the range."""
    srv = servers(CallbackMock)
    probe = servers(ProbeMock)
    path = make_config(tmp_path, [cb_record(srv, "a.example.com")],
                       probe={"ipv4": [probe.url + "/addr/203.0.113.55"]})
    r = run(tmp_path, ["-c", path])
    assert r.code == NOADDR, r
    assert updates(srv) == []
    assert "documentation" in r.err, r
    assert "a.example.com A - failed" in r.out, r


def noaddr_run(tmp_path, servers, rules):
    """Record a wants A and AAAA; AAAA's only endpoint has no address."""
    srv = servers(CallbackMock)
    srv.state["rules"] = rules
    probe = servers(ProbeMock)
    path = make_config(tmp_path, [cb_record(srv, "a.example.com",
                                            types="both"),
                                  cb_record(srv, "b.example.com")],
                       probe={"ipv6": [probe.url + "/junk"], "timeout": 2,
                              "deadline": 3})
    return srv, run(tmp_path, ["-c", path, "--ip", A1])


def test_exit_noaddr_alone(tmp_path, servers):
    srv, r = noaddr_run(tmp_path, servers, {})
    assert r.code == NOADDR, r
    # The family that has an address is still pushed.
    assert sorted(updates(srv)) == [("a.example.com", "A", A1),
                                    ("b.example.com", "A", A1)]


def test_exit_noaddr_beats_tempfail(tmp_path, servers):
    srv, r = noaddr_run(tmp_path, servers, {
        "b.example.com": (503, {}, "later")})
    assert r.code == NOADDR, r


def test_exit_auth_beats_noaddr(tmp_path, servers):
    srv, r = noaddr_run(tmp_path, servers, {
        "b.example.com": (401, {}, "no")})
    assert r.code == AUTH, r


# ---- verbosity and secrets ----------------------------------------------------------

def test_very_verbose_redacts_the_token(tmp_path, servers):
    srv = servers(CallbackMock)
    rec = cb_record(srv, "a.example.com", token={"env": "CB_TOKEN"})
    rec["url"] += "&token={token}"
    rec["headers"] = {"Authorization": "Bearer {token}"}
    path = make_config(tmp_path, [rec])
    secret = "vv-secret-31415926"
    r = run(tmp_path, ["-c", path, "--ip", A1, "-vv"],
            env={"CB_TOKEN": secret})
    assert r.code == OK, r
    assert srv.calls[0].query["token"] == [secret]    # it was sent...
    assert secret not in r.err and secret not in r.out  # ...never shown
    assert len(r.err.splitlines()) > 2, r               # -vv said things
    # A failure quoting the reply (which echoes the token) is redacted too.
    srv.state["rules"] = {"a.example.com": (403, {}, "bad token " + secret)}
    r = run(tmp_path, ["-c", path, "--ip", A2, "-v"],
            env={"CB_TOKEN": secret})
    assert r.code == AUTH, r
    assert "403" in r.err and secret not in r.err, r


def test_quiet(tmp_path, servers):
    srv = servers(CallbackMock)
    srv.state["rules"] = {"b.example.com": (503, {}, "later")}
    path = make_config(tmp_path, [cb_record(srv, "a.example.com"),
                                  cb_record(srv, "b.example.com")])
    r = run(tmp_path, ["-c", path, "--ip", A1, "-q"])
    assert r.code == TEMPFAIL, r
    assert r.out == "", r
    assert "503" in r.err, r                 # errors are still said


def test_command_line_secret_warning(tmp_path, servers):
    srv = servers(CallbackMock)
    url = srv.url + "/update?name={name}&type={type}&ip={address}"
    r = run(tmp_path, ["-p", "callback", "-o", "url=" + url, "-o",
                       "token=cli-secret-2718", "--state",
                       str(tmp_path / "s.json"), "--ip", A1,
                       "x.example.com", "y.example.com"])
    assert r.code == OK, r
    assert "env:" in r.err, r                # advice to use env:VAR
    assert "cli-secret-2718" not in r.err
    assert sorted(updates(srv)) == [("x.example.com", "A", A1),
                                    ("y.example.com", "A", A1)]


# ---- where the state goes ---------------------------------------------------------------

def test_state_option_overrides_config(tmp_path, servers):
    srv = servers(CallbackMock)
    path = make_config(tmp_path, [cb_record(srv, "a.example.com")])
    other = str(tmp_path / "other.json")
    r = run(tmp_path, ["-c", path, "--ip", A1, "--state", other])
    assert r.code == OK, r
    assert os.path.exists(other)
    assert not (tmp_path / "state.json").exists()


def test_state_from_environment(tmp_path, servers):
    srv = servers(CallbackMock)
    cfg = {"records": [cb_record(srv, "a.example.com")]}
    path = harness.write_config(str(tmp_path / "c.json"), cfg)
    st = str(tmp_path / "env-state.json")
    r = run(tmp_path, ["-c", path, "--ip", A1], env={"DDNSUP_STATE": st})
    assert r.code == OK, r
    assert os.path.exists(st)
    r = run(tmp_path, ["--check-config", "-c", path],
            env={"DDNSUP_STATE": st})
    assert st in r.out, r


def test_config_from_environment(tmp_path, servers):
    srv = servers(CallbackMock)
    path = make_config(tmp_path, [cb_record(srv, "a.example.com")])
    r = run(tmp_path, ["--ip", A1], env={"DDNSUP_CONFIG": path})
    assert r.code == OK, r
    assert updates(srv) == [("a.example.com", "A", A1)]
