"""The real binary against the stateful INWX DomRobot JSON-RPC mock, over
HTTPS with the test CA (and plain HTTP once). Addresses come from --ip."""
import json
import time

import pytest

import harness
import mock_inwx
from mock_inwx import PASS, SECRET, USER

NAME = "home.example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"
OTHER_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


@pytest.fixture
def iw(servers, ca):
    return mock_inwx.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "inwx", "username": USER,
         "password": PASS, "endpoint": srv.endpoint}
    r.update(kw)
    return r


class Setup:
    """A config file and state path in tmp_path; run() drives ddnsup."""

    def __init__(self, tmp_path, ca, recs):
        cfg = {"records": recs}
        if ca is not None:
            cfg["cafile"] = ca.ca
        self.config = harness.write_config(str(tmp_path / "ddnsup.json"), cfg)
        self.state = str(tmp_path / "state.json")

    def run(self, *args, env=None):
        return harness.run(["-c", self.config, "--state", self.state] +
                           list(args), env=env)

    def entry(self, name=NAME, type="A"):
        with open(self.state) as f:
            e = [r for r in json.load(f)["records"]
                 if r["name"] == name and r["type"] == type]
        assert len(e) == 1, e
        return e[0]


def methods(srv):
    return [c.json()["method"] for c in srv.calls]


def created(tmp_path, srv, ca, ip=IP1, **kw):
    """A setup whose record was created by a first run; calls cleared."""
    s = Setup(tmp_path, ca, [record(srv, **kw)])
    r = s.run("--ip", ip)
    assert r.code == 0, r
    del srv.calls[:]
    return s


def cookie_of(call):
    return call.headers.get("Cookie")


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_create_when_missing(servers, ca, tmp_path, scheme):
    srv = mock_inwx.start(servers, tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    # The zone walk asks for the name itself first, then its parent.
    assert methods(srv) == ["account.login", "nameserver.list",
                            "nameserver.list", "nameserver.info",
                            "nameserver.createRecord", "account.logout"]
    for c in srv.calls:
        assert c.method == "POST" and c.path == "/jsonrpc/"
        assert c.headers["Content-Type"] == "application/json"
        assert c.json()["params"]["lang"] == "en"
    login = srv.calls[0]
    assert login.json()["params"] == {"user": USER, "pass": PASS,
                                      "lang": "en"}
    assert cookie_of(login) is None
    # Only the cookie's name=value goes back, not its attributes.
    ck = {cookie_of(c) for c in srv.calls[1:]}
    assert len(ck) == 1
    ck = ck.pop()
    assert ck.startswith("domrobot=") and ";" not in ck and " " not in ck
    for c in srv.calls[1:]:
        assert "pass" not in c.json()["params"]
    assert srv.calls[1].json()["params"] == {"domain": NAME, "lang": "en"}
    assert srv.calls[2].json()["params"] == {"domain": "example.com",
                                             "lang": "en"}
    assert srv.calls[3].json()["params"] == {
        "domain": "example.com", "name": NAME, "type": "A", "lang": "en"}
    assert srv.calls[4].json()["params"] == {
        "domain": "example.com", "type": "A", "name": NAME,
        "content": IP1, "lang": "en"}
    recs = srv.iw.find(NAME, "A")
    assert len(recs) == 1 and recs[0]["content"] == IP1
    assert recs[0]["ttl"] == 3600           # INWX's default: none sent
    assert srv.iw.sessions == {}
    assert (srv.iw.logins, srv.iw.logouts) == (1, 1)
    assert s.entry()["record_id"] == str(recs[0]["id"])


def test_all_cookies_sent_back(iw, ca, tmp_path):
    iw.iw.extra_cookie = "lb=node7; Path=/; Max-Age=600"
    s = Setup(tmp_path, ca, [record(iw)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    sid = [k for k in iw.iw.used_sessions][0]
    for c in iw.calls[1:]:
        assert cookie_of(c) == "lb=node7; domrobot=%s" % sid


def test_state_hit_makes_no_call(iw, ca, tmp_path):
    s = created(tmp_path, iw, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0 and iw.calls == [], r
    assert r.out == "%s A %s current\n" % (NAME, IP1)
    assert iw.iw.logins == 1


def test_address_change_uses_stored_id(iw, ca, tmp_path):
    s = created(tmp_path, iw, ca)
    rid = iw.iw.find(NAME, "A")[0]["id"]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert methods(iw) == ["account.login", "nameserver.updateRecord",
                           "account.logout"]
    assert iw.calls[1].json()["params"] == {"id": rid, "content": IP2,
                                            "lang": "en"}
    assert iw.iw.records[rid]["content"] == IP2
    assert iw.iw.sessions == {}


def test_record_deleted_by_hand(iw, ca, tmp_path):
    s = created(tmp_path, iw, ca)
    iw.iw.delete_record(iw.iw.find(NAME, "A")[0]["id"])
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert methods(iw) == ["account.login", "nameserver.updateRecord",
                           "nameserver.list", "nameserver.list",
                           "nameserver.info", "nameserver.createRecord",
                           "account.logout"]
    recs = iw.iw.find(NAME, "A")
    assert len(recs) == 1 and recs[0]["content"] == IP2
    assert s.entry()["record_id"] == str(recs[0]["id"])


def test_force_verifies_without_writing(iw, ca, tmp_path):
    s = created(tmp_path, iw, ca)
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert methods(iw) == ["account.login", "nameserver.list",
                           "nameserver.list", "nameserver.info",
                           "account.logout"]
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_existing_record_updated(iw, ca, tmp_path):
    rid = iw.iw.add_record(NAME, "A", "198.51.100.1")
    other = iw.iw.add_record(NAME, "AAAA", "2001:db8::1")
    s = Setup(tmp_path, ca, [record(iw, ttl=300)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert methods(iw)[-2:] == ["nameserver.updateRecord", "account.logout"]
    assert iw.calls[-2].json()["params"] == {"id": rid, "content": IP1,
                                             "ttl": 300, "lang": "en"}
    assert iw.iw.records[rid]["content"] == IP1
    assert iw.iw.records[rid]["ttl"] == 300
    assert iw.iw.records[other]["content"] == "2001:db8::1"
    assert len(iw.iw.records) == 2
    assert s.entry()["record_id"] == str(rid)


def test_apex_and_aaaa(iw, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(iw, "example.com", types=["AAAA"])])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    create = iw.calls[3].json()
    assert create["method"] == "nameserver.createRecord"
    assert create["params"] == {"domain": "example.com", "type": "AAAA",
                                "content": "2001:db8::7", "lang": "en"}
    recs = iw.iw.find("example.com", "AAAA")
    assert len(recs) == 1 and recs[0]["content"] == "2001:db8::7"
    assert s.entry("example.com", "AAAA")["record_id"] == str(recs[0]["id"])
    del iw.calls[:]
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0 and iw.calls == [], r
    r = s.run("--ip", "2001:db8::8")
    assert r.code == 0, r
    assert methods(iw) == ["account.login", "nameserver.updateRecord",
                           "account.logout"]
    assert iw.iw.records[recs[0]["id"]]["content"] == "2001:db8::8"


def test_deeper_zone_found_by_walk(servers, ca, tmp_path):
    srv = mock_inwx.start(servers, tls=ca,
                          domains=("example.com", "sub.example.com"))
    s = Setup(tmp_path, ca, [record(srv, "a.b.sub.example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    lists = [c.json()["params"]["domain"] for c in srv.calls
             if c.json()["method"] == "nameserver.list"]
    assert lists == ["a.b.sub.example.com", "b.sub.example.com",
                     "sub.example.com"]
    recs = srv.iw.find("a.b.sub.example.com", "A")
    assert len(recs) == 1 and recs[0]["_domain"] == "sub.example.com"


def test_two_records_one_login(iw, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(iw), record(iw, "www.example.com",
                                                types=["A", "AAAA"])])
    r = s.run("--ip", IP1, "--ip", "2001:db8::7")
    assert r.code == 0, r
    m = methods(iw)
    assert m.count("account.login") == 1 and m[0] == "account.login"
    assert m.count("account.logout") == 1 and m[-1] == "account.logout"
    # Each candidate is asked about once in the run: home.example.com,
    # example.com (then cached), www.example.com.
    assert [c.json()["params"]["domain"] for c in iw.calls
            if c.json()["method"] == "nameserver.list"] == [
        NAME, "example.com", "www.example.com"]
    assert m.count("nameserver.createRecord") == 3
    assert len({cookie_of(c) for c in iw.calls[1:]}) == 1
    assert iw.iw.sessions == {}
    assert len(iw.iw.records) == 3


def test_wrong_password(iw, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(iw), record(iw, "www.example.com")])
    iw.iw.password = "something else"
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert ("inwx: %s A: account.login: code 2200: Authentication error; "
            "check username and password" % NAME) in r.err
    # The refusal is remembered: the second record does not try again.
    assert methods(iw) == ["account.login"]
    assert "not logging in again this run" in r.err
    assert iw.iw.records == {}


def test_two_factor(iw, ca, tmp_path):
    iw.iw.tfa = True
    s = Setup(tmp_path, ca, [record(iw, shared_secret=SECRET),
                             record(iw, "www.example.com",
                                    shared_secret=SECRET)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    m = methods(iw)
    assert m[:2] == ["account.login", "account.unlock"]
    assert m.count("account.login") == 1 and m.count("account.unlock") == 1
    assert m[-1] == "account.logout" and m.count("account.logout") == 1
    tan = iw.calls[1].json()["params"]["tan"]
    assert len(tan) == 6 and tan.isdigit()
    assert cookie_of(iw.calls[1]) == cookie_of(iw.calls[2])
    assert len(iw.iw.records) == 2


@pytest.mark.parametrize("secret,text", [
    (OTHER_SECRET, "account.unlock: code 2200: Authentication error "
     "(Invalid TAN); check shared_secret"),
    (None, "account.login: the account asks for a second factor "
     "(GOOGLE-AUTH): set shared_secret"),
])
def test_two_factor_refused(iw, ca, tmp_path, secret, text):
    iw.iw.tfa = True
    kw = {"shared_secret": secret} if secret else {}
    s = Setup(tmp_path, ca, [record(iw, **kw)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert text in r.err
    # The half-open session is ended at once.
    assert methods(iw)[-1] == "account.logout"
    assert iw.iw.sessions == {}
    assert iw.iw.records == {}


def test_bad_shared_secret_config(iw, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(iw, shared_secret="not base32!")])
    r = s.run("--check-config")
    assert r.code == 78, r
    assert "shared_secret must be the base32 text" in r.err


def test_throttled(iw, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(iw)])
    iw.iw.throttle(count=1, method="nameserver.info")
    t0 = time.time()
    r = s.run("--ip", IP1)
    assert r.code == 75, r
    assert "nameserver.info: code 2502: Session limit exceeded" in r.err
    assert methods(iw) == ["account.login", "nameserver.list",
                           "nameserver.list", "nameserver.info",
                           "account.logout"]
    assert iw.iw.sessions == {}
    e = s.entry()
    assert t0 + 55 <= e["backoff_until"] <= time.time() + 65
    del iw.calls[:]
    r = s.run("--ip", IP1)
    assert r.code == 75 and iw.calls == [], r


def test_http_429_retry_after(iw, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(iw)])
    iw.iw.fail_next(429, payload="Too Many Requests",
                    method="account.login", headers={"Retry-After": "120"})
    t0 = time.time()
    r = s.run("--ip", IP1)
    assert r.code == 75, r
    assert "account.login: HTTP 429 (no DomRobot reply)" in r.err
    assert t0 + 115 <= s.entry()["backoff_until"] <= time.time() + 125


def test_domain_not_in_account(iw, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(iw, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("inwx: home.example.net A: no INWX nameserver domain for "
            "home.example.net (tried home.example.net, example.net; add "
            "the domain") in r.err
    assert methods(iw) == ["account.login", "nameserver.list",
                           "nameserver.list", "account.logout"]
    assert s.entry(name="home.example.net")["hold"]


def test_configured_zone_not_in_account(iw, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(iw, zone="example.com")])
    del iw.iw.domains["example.com"]
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "no INWX nameserver domain for %s (tried example.com" % NAME \
        in r.err


@pytest.mark.parametrize("payload", ["<html>Wartungsarbeiten</html>",
                                     {"result": "ok"}])
def test_garbage_reply(iw, ca, tmp_path, payload):
    s = Setup(tmp_path, ca, [record(iw)])
    iw.iw.fail_next(200, payload=payload, method="nameserver.info")
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "nameserver.info: HTTP 200: not a DomRobot reply" in r.err
    assert iw.iw.records == {}
    assert iw.iw.sessions == {}


def test_login_without_cookie(iw, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(iw)])
    iw.iw.fail_next(200, payload={"code": 1000, "msg": "Command completed "
                                  "successfully", "resData": {"tfa": "0"}},
                    method="account.login")
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "account.login: no session cookie in the reply" in r.err


def test_secrets_never_printed(iw, ca, tmp_path):
    iw.iw.tfa = True
    s = Setup(tmp_path, ca, [record(iw, password={"env": "IW_PW"},
                                    shared_secret={"env": "IW_TOTP"})])
    env = {"IW_PW": PASS, "IW_TOTP": SECRET}
    r = s.run("-vv", "--ip", IP1, env=env)
    assert r.code == 0, r
    sessions = [c.headers["Cookie"].split("=", 1)[1] for c in iw.calls[1:]]
    assert sessions
    tan = iw.calls[1].json()["params"]["tan"]
    assert '"tan":"<redacted>"' in r.err
    for secret in [PASS, SECRET, tan] + sessions:
        assert secret not in r.out and secret not in r.err
    env["IW_PW"] = PASS + "x"
    r = s.run("-vv", "-f", "--ip", IP2, env=env)
    assert r.code == 77, r
    for secret in (PASS, PASS + "x", SECRET):
        assert secret not in r.out and secret not in r.err
    with open(s.state) as f:
        st = f.read()
    for secret in [PASS, SECRET] + sessions:
        assert secret not in st
