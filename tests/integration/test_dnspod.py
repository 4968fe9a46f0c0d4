"""The real binary against the stateful legacy DNSPod (dnsapi.cn) mock.
Addresses come from --ip so nothing probes."""
import json
import time

import pytest

import harness
import mock_dnspod
from mock_dnspod import TOKEN

NAME = "home.example.com"
IP1, IP2, IP3 = "203.0.113.7", "203.0.113.8", "203.0.113.9"
UA = "ddnsup/%s (me@example.com)"


@pytest.fixture
def dp(servers, ca):
    return mock_dnspod.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "dnspod", "login_token": TOKEN,
         "endpoint": srv.endpoint, "email": "me@example.com"}
    r.update(kw)
    return r


class Setup:
    def __init__(self, tmp_path, ca, recs):
        cfg = {"records": recs}
        if ca is not None:
            cfg["cafile"] = ca.ca
        self.config = harness.write_config(str(tmp_path / "ddnsup.json"), cfg)
        self.state = str(tmp_path / "state.json")

    def run(self, *args):
        return harness.run(["-c", self.config, "--state", self.state] +
                           list(args))

    def entry(self, name=NAME, type="A"):
        with open(self.state) as f:
            e = [r for r in json.load(f)["records"]
                 if r["name"] == name and r["type"] == type]
        assert len(e) == 1
        return e[0]


def paths(srv):
    return [c.path for c in srv.calls]


def form(call):
    return {k: v[0] for k, v in
            __import__("urllib.parse").parse.parse_qs(
                call.body.decode(), keep_blank_values=True).items()}


def version():
    return harness.run(["--version"]).out.split()[1]


def created(tmp_path, srv, ca, ip=IP1, **kw):
    s = Setup(tmp_path, ca, [record(srv, **kw)])
    r = s.run("--ip", ip)
    assert r.code == 0, r
    del srv.calls[:]
    return s


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_create(servers, ca, tmp_path, scheme):
    srv = mock_dnspod.start(servers, tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    assert paths(srv) == ["/Record.List", "/Record.Create"]
    for c in srv.calls:
        assert c.method == "POST"
        assert c.headers["Content-Type"] == \
            "application/x-www-form-urlencoded"
        assert c.headers.get_all("User-Agent") == [UA % version()]
    assert form(srv.calls[0]) == {
        "login_token": TOKEN, "format": "json", "lang": "en",
        "error_on_empty": "no", "domain": "example.com",
        "sub_domain": "home", "record_type": "A"}
    f = form(srv.calls[1])
    assert (f["record_line"], f["value"], f["sub_domain"]) == \
        ("默认", IP1, "home")
    assert "ttl" not in f and "record_id" not in f
    rec = srv.dp.find("example.com", "home", "A")
    assert len(rec) == 1 and rec[0]["value"] == IP1
    assert s.entry()["record_id"] == rec[0]["id"]


def test_update_compares_first(dp, ca, tmp_path):
    s = created(tmp_path, dp, ca, ttl=300)
    rid = dp.dp.find("example.com", "home", "A")[0]["id"]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert paths(dp) == ["/Record.List", "/Record.Modify"]
    f = form(dp.calls[1])
    assert (f["record_id"], f["value"], f["ttl"], f["record_line"]) == \
        (rid, IP2, "300", "默认")
    assert dp.dp.find("example.com", "home", "A")[0]["value"] == IP2
    assert s.entry()["address"] == IP2


def test_no_change_never_writes(dp, ca, tmp_path):
    s = created(tmp_path, dp, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert dp.calls == []
    for _ in range(8):
        r = s.run("-f", "--ip", IP1)
        assert r.code == 0, r
        assert r.out == "%s A %s current\n" % (NAME, IP1)
    assert set(paths(dp)) == {"/Record.List"}
    assert dp.dp.nochange_writes == 0


def test_existing_record_keeps_ttl(dp, ca, tmp_path):
    dp.dp.add_record("example.com", "home", "A", "198.51.100.1", ttl=120)
    s = Setup(tmp_path, ca, [record(dp)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert form(dp.calls[1])["ttl"] == "120"


def test_apex_and_line(dp, ca, tmp_path):
    other = dp.dp.add_record("example.com", "@", "A", "198.51.100.1")
    s = Setup(tmp_path, ca, [record(dp, name="example.com",
                                    zone="example.com", line="电信")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    f = form(dp.calls[-1])
    assert (f["sub_domain"], f["record_line"]) == ("@", "电信")
    assert paths(dp)[-1] == "/Record.Create"
    assert dp.dp.records[other]["value"] == "198.51.100.1"
    assert {(x["line"], x["value"]) for x in
            dp.dp.find("example.com", "@", "A")} == \
        {("默认", "198.51.100.1"), ("电信", IP1)}


def test_wildcard(dp, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(dp, name="*.dyn.example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert dp.dp.find("example.com", "*.dyn", "A")[0]["value"] == IP1


def test_no_email_plain_agent(dp, ca, tmp_path):
    rec = record(dp)
    del rec["email"]
    s = Setup(tmp_path, ca, [rec])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert dp.dp.agents[0] == "ddnsup/" + version()


def test_wrong_token(dp, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(dp, login_token="13490,wrong")])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "code -1: Login fail" in r.err and "login_token" in r.err
    assert s.entry()["hold"] is True
    # Held: no more failed logins (30 ban the account).
    del dp.calls[:]
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert dp.calls == []


def test_banned_backs_off(dp, ca, tmp_path):
    dp.dp.failed_logins = 30
    s = Setup(tmp_path, ca, [record(dp)])
    t0 = time.time()
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "code -8" in r.err
    e = s.entry()
    assert e["hold"] is False
    assert t0 + 3590 <= e["backoff_until"] <= time.time() + 3610


def test_throttled(dp, ca, tmp_path):
    s = created(tmp_path, dp, ca)
    dp.dp.throttle()
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "code -2" in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + 3590 <= e["backoff_until"] <= time.time() + 3610
    del dp.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert dp.calls == []


def test_domain_not_in_account(dp, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(dp, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "code 6" in r.err


def test_garbage_reply(dp, ca, tmp_path):
    dp.dp.fail_next(200, payload="<html>Welcome to nginx!</html>",
                    headers={"Content-Type": "text/html"})
    s = Setup(tmp_path, ca, [record(dp)])
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "not a DNSPod API reply" in r.err


def test_bad_token_format_is_config(dp, tmp_path):
    s = Setup(tmp_path, None, [record(dp, login_token="just-a-token")])
    r = harness.run(["--check-config", "-c", s.config])
    assert r.code == 78, r
    assert "ID,TOKEN" in r.err
    assert "just-a-token" not in r.err


def test_secret_never_printed(dp, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(dp)])
    r = s.run("-vv", "--ip", IP1)
    assert r.code == 0, r
    dp.dp.token = "13490,other"
    r2 = s.run("-vv", "-f", "--ip", IP2)
    assert r2.code == 77, r2
    secret = TOKEN.split(",")[1]
    for x in (r, r2):
        assert secret not in x.out and secret not in x.err
        assert "6b5976c68aba5b14" not in x.err
