"""The state file as the real binary uses it: when a record is pushed,
what is saved, corrupt files, the lock against overlapping runs, a run
killed mid-push, an unwritable state directory, back-off and hold.

A callback record pointed at a loopback mock stands in for a provider.
"""
import fcntl
import json
import os
import signal
import stat
import subprocess
import threading
import time

import pytest

import harness

A1, A2 = "203.0.113.10", "203.0.113.20"
OK, UNCHANGED, STATE, TEMPFAIL, AUTH = 0, 2, 73, 75, 77

ENTRY_KEYS = {"provider", "zone", "name", "type", "address", "confirmed",
              "record_id", "attempt", "outcome", "message", "backoff_until",
              "hold", "config_hash"}


class CallbackMock(harness.MockHandler):
    """GET /update?name=&type=&ip=: 200 "ok" unless told otherwise.

    server.state: "rule" (status, headers, body) for every call; "delay"
    seconds to wait before answering; "hang" (a threading.Event) to wait
    on before answering; "log" of (start, end, name, ip) per call.
    """

    def respond(self, call):
        st = self.server.state
        q = {k: v[0] for k, v in call.query.items()}
        t0 = time.monotonic()
        if st.get("delay"):
            time.sleep(st["delay"])
        if st.get("hang") is not None:
            st["hang"].wait(30)
        with st["mutex"]:
            st["log"].append((t0, time.monotonic(), q.get("name"),
                              q.get("ip")))
        return st.get("rule") or (200, {}, "ok")


@pytest.fixture
def mock(servers):
    srv = servers(CallbackMock)
    srv.state.update({"mutex": threading.Lock(), "log": []})
    yield srv
    if srv.state.get("hang") is not None:
        srv.state["hang"].set()


class Setup:
    def __init__(self, tmp_path, srv, state=None, **rec):
        self.tmp = tmp_path
        self.srv = srv
        self.state = state or str(tmp_path / "state.json")
        self.cfg = str(tmp_path / "ddnsup.json")
        self.top = {}
        self.rec = {"name": "home.example.com", "provider": "callback",
                    "url": srv.url + "/update?name={name}&type={type}"
                                     "&ip={address}"}
        self.rec.update(rec)
        self.write()

    def write(self):
        cfg = {"state": self.state, "records": [self.rec]}
        cfg.update(self.top)
        harness.write_config(self.cfg, cfg)

    def env(self):
        h = str(self.tmp / "home")
        return {"HOME": h, "XDG_CONFIG_HOME": h, "XDG_STATE_HOME": h}

    def args(self, ip, *extra):
        return ["-c", self.cfg, "--ip", ip] + list(extra)

    def run(self, ip=A1, *extra, **kw):
        return harness.run(self.args(ip, *extra), env=self.env(), **kw)

    def popen(self, ip=A1, *extra):
        e = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
             "LANG": "C.UTF-8"}
        cmd, wine = harness.command()
        e.update(wine)
        e.update(self.env())
        return subprocess.Popen(cmd + self.args(ip, *extra),
                                env=e, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def pushes(self):
        return len(self.srv.state["log"])

    def load(self):
        with open(self.state) as f:
            return json.load(f)

    def entry(self):
        doc = self.load()
        (e,) = doc["records"]
        return e


def check_state_file(path):
    """The file is mode 0600 (not under Wine: harness.WINE_NO_MODES),
    version 1 JSON, entries with every field."""
    st = os.stat(path)
    assert stat.S_ISREG(st.st_mode)
    if not harness.ON_WINE:
        assert stat.S_IMODE(st.st_mode) == 0o600, oct(st.st_mode)
    with open(path) as f:
        doc = json.load(f)
    assert doc["version"] == 1
    assert isinstance(doc["records"], list)
    for e in doc["records"]:
        assert ENTRY_KEYS <= set(e), e
    return doc


def diag(r):
    """stderr less the expected note that an --ip address is not public."""
    return "".join(l for l in r.err.splitlines(True)
                   if "is not a public address" not in l)


def no_temp_files(d):
    """Only the state file and its lock are left in d."""
    left = sorted(n for n in os.listdir(d)
                  if n.startswith("state.json") and
                  n not in ("state.json", "state.json.lock"))
    assert left == [], left


# ---- when to push ------------------------------------------------------------------

def test_first_run_pushes_and_saves(tmp_path, mock):
    s = Setup(tmp_path, mock)
    t0 = int(time.time())
    r = s.run(A1)
    t1 = int(time.time())
    assert r.code == OK, r
    assert s.pushes() == 1
    assert r.out.strip() == "home.example.com A %s updated" % A1, r
    doc = check_state_file(s.state)
    (e,) = doc["records"]
    assert e["provider"] == "callback"
    assert e["zone"] == ""
    assert e["name"] == "home.example.com"
    assert e["type"] == "A"
    assert e["address"] == A1
    assert t0 <= e["confirmed"] <= t1
    assert t0 <= e["attempt"] <= t1
    assert e["outcome"] == "updated"
    assert e["message"] is None
    assert e["backoff_until"] in (0, None)
    assert e["hold"] is False
    assert isinstance(e["config_hash"], str) and len(e["config_hash"]) >= 16
    no_temp_files(str(tmp_path))


def test_second_run_does_not_call(tmp_path, mock):
    s = Setup(tmp_path, mock)
    assert s.run(A1).code == OK
    before = s.load()
    r = s.run(A1)
    assert r.code == OK, r
    assert s.pushes() == 1
    assert r.out.strip() == "home.example.com A %s current" % A1, r
    assert s.run(A1, "-u").code == UNCHANGED
    assert s.pushes() == 1
    assert s.load()["records"][0]["address"] == before["records"][0]["address"]


def test_address_change_pushes(tmp_path, mock):
    s = Setup(tmp_path, mock)
    assert s.run(A1).code == OK
    r = s.run(A2)
    assert r.code == OK, r
    assert s.pushes() == 2
    assert mock.state["log"][-1][3] == A2
    assert "updated (was %s)" % A1 in r.out, r
    assert s.entry()["address"] == A2
    assert s.run(A2).code == OK
    assert s.pushes() == 2


def test_config_change_pushes(tmp_path, mock):
    s = Setup(tmp_path, mock)
    assert s.run(A1).code == OK
    h1 = s.entry()["config_hash"]
    s.rec["ttl"] = 120
    s.write()
    r = s.run(A1)
    assert r.code == OK, r
    assert s.pushes() == 2
    h2 = s.entry()["config_hash"]
    assert h1 != h2
    # Formatting and unrelated top-level settings are not a change.
    s.top["max_age"] = "2d"
    s.write()
    assert s.run(A1).code == OK
    assert s.pushes() == 2


def test_force_pushes(tmp_path, mock):
    s = Setup(tmp_path, mock)
    assert s.run(A1).code == OK
    assert s.run(A1, "--force").code == OK
    assert s.pushes() == 2
    assert s.run(A1, "-f", "-u").code == OK      # pushed, so not 2


def test_max_age_pushes(tmp_path, mock):
    s = Setup(tmp_path, mock)
    s.top["max_age"] = "1s"
    s.write()
    assert s.run(A1).code == OK
    c1 = s.entry()["confirmed"]
    time.sleep(1.1)
    r = s.run(A1)
    assert r.code == OK, r
    assert s.pushes() == 2
    assert s.entry()["confirmed"] >= c1 + 1


# ---- corrupt state files ---------------------------------------------------------------

def valid_state_text(tmp_path, mock):
    """A real state file's text for the test record, at A1."""
    s = Setup(tmp_path, mock)
    assert s.run(A1).code == OK
    with open(s.state) as f:
        return f.read()


@pytest.mark.parametrize("kind", ["garbage", "truncated", "version", "empty",
                                  "not-object", "bad-entry", "binary"])
def test_corrupt_state(tmp_path, mock, kind):
    text = valid_state_text(tmp_path, mock)
    s = Setup(tmp_path, mock)
    content = {
        "garbage": "this is not json {{{",
        "truncated": text[:len(text) // 2],
        "version": json.dumps(dict(json.loads(text), version=99)),
        "empty": "",
        "not-object": "[1, 2, 3]",
        "bad-entry": json.dumps({"version": 1, "records": [
            {"provider": 5, "name": None}]}),
        "binary": "\x00\x01\x02\xff",
    }[kind]
    with open(s.state, "w", errors="surrogateescape") as f:
        f.write(content)
    os.chmod(s.state, 0o600)
    n = s.pushes()
    r = s.run(A1)
    assert r.code == OK, r
    assert s.state in r.err, r                 # a warning naming the file
    assert s.pushes() == n + 1, r              # treated as empty: pushed
    # One warning per problem, not one per read of the file.
    assert r.err.count(s.state) == 1, r.err
    check_state_file(s.state)
    assert s.entry()["address"] == A1
    r = s.run(A1)
    assert r.code == OK and diag(r) == "", r   # valid again: no warning


def test_state_is_a_directory(tmp_path, mock):
    s = Setup(tmp_path, mock)
    os.mkdir(s.state)
    r = s.run(A1)
    assert r.code == STATE, r
    assert s.pushes() == 1
    assert "home.example.com A %s updated" % A1 in r.out, r
    assert s.state in r.err


# ---- the lock ----------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["lockf", pytest.param("flock", marks=pytest.mark.skipif(
    harness.ON_WINE, reason="flock() is a Unix lock Windows has no equivalent of; Wine "
    "maps ddnsup.exe's LockFileEx to fcntl locks, which the [lockf] case checks"))])
def test_lock_held_by_another_process(tmp_path, mock, kind):
    # On Linux the two kinds of lock do not see each other: ddnsup takes
    # both, so a holder of either one is respected.
    lock = fcntl.lockf if kind == "lockf" else fcntl.flock
    s = Setup(tmp_path, mock)
    with open(s.state + ".lock", "a+") as f:
        lock(f, fcntl.LOCK_EX)
        r = s.run(A1, timeout=30)
        lock(f, fcntl.LOCK_UN)
    assert r.code == TEMPFAIL, r
    assert 4.0 <= r.elapsed <= 7.5 + harness.WINE_START, r.elapsed
    assert "lock" in r.err, r
    assert s.pushes() == 0
    assert not os.path.exists(s.state)
    # Released: the next run proceeds.
    assert s.run(A1).code == OK
    assert s.pushes() == 1


def test_lock_released_soon_is_waited_for(tmp_path, mock):
    s = Setup(tmp_path, mock)
    f = open(s.state + ".lock", "a+")
    fcntl.lockf(f, fcntl.LOCK_EX)
    timer = threading.Timer(1.0, f.close)       # closing drops the lock
    timer.start()
    try:
        r = s.run(A1, timeout=30)
    finally:
        timer.cancel()
        f.close()
    assert r.code == OK, r
    assert s.pushes() == 1


def test_overlapping_runs_push_once(tmp_path, mock):
    s = Setup(tmp_path, mock)
    mock.state["delay"] = 1.0
    p1 = s.popen(A1)
    p2 = s.popen(A1)
    o1 = p1.communicate(timeout=30)
    o2 = p2.communicate(timeout=30)
    assert (p1.returncode, p2.returncode) == (OK, OK), (o1, o2)
    assert s.pushes() == 1, mock.state["log"]
    outs = sorted([o1[0].strip(), o2[0].strip()])
    assert outs == ["home.example.com A %s current" % A1,
                    "home.example.com A %s updated" % A1], outs
    check_state_file(s.state)
    no_temp_files(str(tmp_path))


def test_overlapping_runs_new_address_no_interleaving(tmp_path, mock):
    """Two runs with different addresses: each pushes, one after the other
    (never two calls in flight), and the state holds the later one."""
    s = Setup(tmp_path, mock)
    mock.state["delay"] = 1.0
    p1 = s.popen(A1)
    time.sleep(0.3)
    p2 = s.popen(A2)
    o1 = p1.communicate(timeout=30)
    o2 = p2.communicate(timeout=30)
    assert (p1.returncode, p2.returncode) == (OK, OK), (o1, o2)
    log = sorted(mock.state["log"])
    assert [x[3] for x in log] == [A1, A2], log
    assert log[0][1] <= log[1][0] + 0.05, "calls overlapped: %r" % log
    check_state_file(s.state)
    assert s.entry()["address"] == A2


def test_killed_mid_push(tmp_path, mock):
    s = Setup(tmp_path, mock)
    assert s.run(A1).code == OK
    with open(s.state, "rb") as f:
        old = f.read()
    mock.state["hang"] = threading.Event()
    p = s.popen(A2)
    deadline = time.monotonic() + 10
    while not mock.calls[1:] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(mock.calls) == 2, "the run never reached the provider"
    time.sleep(0.5)
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=10)
    assert p.returncode == -signal.SIGKILL
    with open(s.state, "rb") as f:
        assert f.read() == old              # untouched, still valid
    check_state_file(s.state)
    no_temp_files(str(tmp_path))
    mock.state["hang"].set()
    mock.state["hang"] = None
    r = s.run(A2, timeout=30)
    assert r.code == OK, r                  # the lock died with the process
    assert s.entry()["address"] == A2


def test_state_directory_unwritable(tmp_path, mock):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a regular file\n")
    s = Setup(tmp_path, mock, state=str(blocker / "state.json"))
    r = s.run(A1)
    assert r.code == STATE, r
    assert s.pushes() == 1, r               # the push still happens...
    assert "home.example.com A %s updated" % A1 in r.out, r   # ...and is told
    assert str(blocker) in r.err, r


def test_state_directory_created(tmp_path, mock):
    s = Setup(tmp_path, mock, state=str(tmp_path / "a" / "b" / "state.json"))
    r = s.run(A1)
    assert r.code == OK, r
    check_state_file(s.state)


# ---- back-off and hold ----------------------------------------------------------------

def test_backoff(tmp_path, mock):
    s = Setup(tmp_path, mock)
    mock.state["rule"] = (429, {"Retry-After": "300"}, "slow down")
    t0 = int(time.time())
    r = s.run(A1)
    assert r.code == TEMPFAIL, r
    assert s.pushes() == 1
    e = s.entry()
    assert e["outcome"] == "tempfail"
    assert t0 + 300 <= e["backoff_until"] <= int(time.time()) + 300
    assert e["address"] is None
    assert e["message"] and "429" in e["message"]

    mock.state["rule"] = None
    r = s.run(A1)
    assert r.code == TEMPFAIL, r
    assert s.pushes() == 1                  # still in back-off: no call
    assert "skipped" in r.out, r
    r = s.run(A1, "--json")
    assert r.code == TEMPFAIL
    (x,) = r.json()["records"]
    assert x["pushed"] is False and x["outcome"] == "tempfail"
    assert x["backoff_until"] and x["backoff_until"].endswith("Z")
    assert s.pushes() == 1

    r = s.run(A1, "--force")
    assert r.code == OK, r
    assert s.pushes() == 2
    e = s.entry()
    assert e["address"] == A1 and e["backoff_until"] in (0, None)
    assert s.run(A1).code == OK
    assert s.pushes() == 2


def test_hold_until_config_changes(tmp_path, mock):
    s = Setup(tmp_path, mock, token="wrong-token-61aa")
    mock.state["rule"] = (401, {}, "bad token")
    r = s.run(A1)
    assert r.code == AUTH, r
    assert s.entry()["hold"] is True
    assert "wrong-token-61aa" not in r.err + r.out
    r = s.run(A2)
    assert r.code == AUTH, r
    assert s.pushes() == 1                  # held: no call, even for a new address
    mock.state["rule"] = None
    s.rec["token"] = "right-token-72bb"
    s.write()
    r = s.run(A2)
    assert r.code == OK, r
    assert s.pushes() == 2
    assert s.entry()["hold"] is False


@pytest.mark.skipif(harness.ON_WINE, reason=harness.WINE_NO_MODES)
def test_state_mode_repaired(tmp_path, mock):
    """A state file someone made world-readable is saved back at 0600."""
    s = Setup(tmp_path, mock)
    assert s.run(A1).code == OK
    os.chmod(s.state, 0o644)
    assert s.run(A2).code == OK
    check_state_file(s.state)


def test_other_entries_kept(tmp_path, mock):
    """Saving one record's entry keeps the entries of the others."""
    s = Setup(tmp_path, mock)
    assert s.run(A1).code == OK
    second = dict(s.rec, name="other.example.com")
    cfg = {"state": s.state, "records": [s.rec, second]}
    harness.write_config(s.cfg, cfg)
    assert s.run(A1).code == OK
    names = sorted(e["name"] for e in s.load()["records"])
    assert names == ["home.example.com", "other.example.com"]
    # Run only the second by name: the first's entry survives.
    assert s.run(A2, "other.example.com").code == OK
    ents = {e["name"]: e for e in s.load()["records"]}
    assert ents["home.example.com"]["address"] == A1
    assert ents["other.example.com"]["address"] == A2
