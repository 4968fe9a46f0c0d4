"""The real binary against the stateful Alibaba Cloud DNS mock, which
recomputes every V3 (ACS3-HMAC-SHA256) and V1 (HMAC-SHA1) signature on its
own. HTTPS with the test CA, plain HTTP once. Addresses come from --ip."""
import json
import time

import pytest

import harness
import mock_aliyun
from mock_aliyun import AKID, SECRET

NAME = "home.example.com"
IP1, IP2, IP3 = "203.0.113.7", "203.0.113.8", "203.0.113.9"
WRITES = ("AddDomainRecord", "UpdateDomainRecord")


@pytest.fixture
def ali(servers, ca):
    return mock_aliyun.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "aliyun", "access_key_id": AKID,
         "access_key_secret": SECRET, "endpoint": srv.endpoint}
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


def actions(srv):
    return [a[0] for a in srv.ali.actions]


def writes(srv):
    return [a for a in srv.ali.actions if a[0] in WRITES]


def created(tmp_path, srv, ca, ip=IP1, **kw):
    """A setup whose record was created by a first run; calls cleared."""
    s = Setup(tmp_path, ca, [record(srv, **kw)])
    r = s.run("--ip", ip)
    assert r.code == 0, r
    del srv.calls[:]
    del srv.ali.actions[:]
    return s


# ---- create, update, no change ------------------------------------------

@pytest.mark.parametrize("scheme", ["https", "http"])
@pytest.mark.parametrize("sig", [None, "v1"])
def test_create_when_missing(servers, ca, tmp_path, scheme, sig):
    srv = mock_aliyun.start(servers, tls=ca if scheme == "https" else None)
    kw = {} if sig is None else {"signature": sig}
    s = Setup(tmp_path, ca if scheme == "https" else None,
              [record(srv, **kw)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    assert srv.ali.actions == [
        ("DescribeSubDomainRecords", {"SubDomain": NAME,
                                      "DomainName": "example.com",
                                      "Type": "A"}, sig or "v3"),
        ("AddDomainRecord", {"DomainName": "example.com", "RR": "home",
                             "Type": "A", "Value": IP1, "Line": "default"},
         sig or "v3"),
    ]
    # RPC style as the SDK sends it: POST to "/", parameters in the
    # query, no body and no Content-Type.
    for c in srv.calls:
        assert (c.method, c.path, c.body) == ("POST", "/", b"")
        assert c.headers.get("Content-Type") is None
        if sig is None:
            assert c.headers["x-acs-version"] == "2015-01-09"
            assert c.headers["Authorization"].startswith(
                "ACS3-HMAC-SHA256 Credential=%s,SignedHeaders=host;" % AKID)
        else:
            assert c.headers.get("Authorization") is None
            assert c.query["SignatureMethod"] == ["HMAC-SHA1"]
    rec = srv.ali.find("example.com", "home", "A")
    assert len(rec) == 1
    assert (rec[0]["Value"], rec[0]["TTL"], rec[0]["Line"]) == \
        (IP1, 600, "default")
    e = s.entry()
    assert e["address"] == IP1
    assert e["record_id"] == rec[0]["RecordId"]


def test_state_hit_makes_no_call(ali, ca, tmp_path):
    s = created(tmp_path, ali, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert ali.calls == []
    assert r.out == "%s A %s current\n" % (NAME, IP1)
    r = s.run("-u", "--ip", IP1)
    assert r.code == 2, r
    assert ali.calls == []


@pytest.mark.parametrize("sig", [None, "v1"])
def test_address_change_is_one_update(servers, ca, tmp_path, sig):
    srv = mock_aliyun.start(servers, tls=ca)
    s = created(tmp_path, srv, ca, **({} if sig is None else
                                       {"signature": sig}))
    rid = srv.ali.find("example.com", "home", "A")[0]["RecordId"]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert srv.ali.actions == [
        ("UpdateDomainRecord", {"RecordId": rid, "RR": "home", "Type": "A",
                                "Value": IP2, "Line": "default"},
         sig or "v3")]
    assert srv.ali.records[rid]["Value"] == IP2
    assert s.entry()["address"] == IP2
    assert s.entry()["record_id"] == rid


def test_force_with_state_hit_verifies(ali, ca, tmp_path):
    s = created(tmp_path, ali, ca)
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert actions(ali) == ["DescribeSubDomainRecords"]
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_existing_record_keeps_ttl_and_line(ali, ca, tmp_path):
    """No state: look up, update the default line's record only, keep its
    TTL; the telecom line's record is left alone."""
    rid = ali.ali.add_record("example.com", "home", "A", "198.51.100.1",
                             ttl=300)
    other = ali.ali.add_record("example.com", "home", "A", "198.51.100.9",
                               line="telecom")
    s = Setup(tmp_path, ca, [record(ali)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert writes(ali) == [
        ("UpdateDomainRecord", {"RecordId": rid, "RR": "home", "Type": "A",
                                "Value": IP1, "Line": "default",
                                "TTL": "300"}, "v3")]
    assert ali.ali.records[rid]["TTL"] == 300
    assert ali.ali.records[other]["Value"] == "198.51.100.9"


def test_configured_ttl(ali, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ali, ttl=900)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert writes(ali)[0][1]["TTL"] == "900"
    assert ali.ali.find("example.com", "home", "A")[0]["TTL"] == 900


def test_record_deleted_by_hand(ali, ca, tmp_path):
    s = created(tmp_path, ali, ca)
    old = ali.ali.find("example.com", "home", "A")[0]["RecordId"]
    del ali.ali.records[old]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert actions(ali) == ["UpdateDomainRecord", "DescribeSubDomainRecords",
                            "AddDomainRecord"]
    new = ali.ali.find("example.com", "home", "A")[0]
    assert new["Value"] == IP2 and new["RecordId"] != old
    assert s.entry()["record_id"] == new["RecordId"]


def test_duplicate_is_current(ali, ca, tmp_path):
    """Someone already set the new address: DomainRecordDuplicate."""
    s = created(tmp_path, ali, ca)
    rec = ali.ali.find("example.com", "home", "A")[0]
    rec["Value"] = IP2
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert actions(ali) == ["UpdateDomainRecord"]
    assert r.out == "%s A %s current\n" % (NAME, IP2)
    assert s.entry()["address"] == IP2


def test_apex(ali, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ali, name="example.com",
                                    types=["A", "AAAA"])])
    r = s.run("--ip", IP1, "--ip", "2001:db8::7")
    assert r.code == 0, r
    got = [(a, p.get("SubDomain"), p.get("RR")) for a, p, _ in
           ali.ali.actions]
    assert got == [("DescribeSubDomainRecords", "example.com", None),
                   ("AddDomainRecord", None, "@")] * 2
    assert ali.ali.find("example.com", "@", "A")[0]["Value"] == IP1
    assert ali.ali.find("example.com", "@", "AAAA")[0]["Value"] == \
        "2001:db8::7"
    del ali.ali.actions[:]
    r = s.run("--ip", IP2, "--ip", "2001:db8::8")
    assert r.code == 0, r
    assert [(a, p["RR"]) for a, p, _ in ali.ali.actions] == \
        [("UpdateDomainRecord", "@")] * 2


@pytest.mark.parametrize("sig", [None, "v1"])
def test_chinese_line_and_wildcard(servers, ca, tmp_path, sig):
    """A non-ASCII line and a '*' name go through the signers."""
    srv = mock_aliyun.start(servers, tls=ca)
    kw = {"line": "电信", "zone": "example.com"}
    if sig:
        kw["signature"] = sig
    s = Setup(tmp_path, ca, [record(srv, name="*.example.com", **kw)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    rec = srv.ali.find("example.com", "*", "A")
    assert len(rec) == 1 and rec[0]["Line"] == "电信"
    assert srv.calls[-1].query["Line"] == ["电信"]
    del srv.ali.actions[:]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert srv.ali.actions[0][1]["Line"] == "电信"
    assert rec[0]["RecordId"] in srv.ali.records
    assert srv.ali.records[rec[0]["RecordId"]]["Value"] == IP2


def test_configured_zone(servers, ca, tmp_path):
    srv = mock_aliyun.start(servers, tls=ca, domains=("example.com.cn",))
    s = Setup(tmp_path, ca, [record(srv, name="a.b.example.com.cn",
                                    zone="example.com.cn")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert srv.ali.actions[1][1]["RR"] == "a.b"
    assert srv.ali.find("example.com.cn", "a.b", "A")[0]["Value"] == IP1


# ---- refusals and failures ------------------------------------------------

def test_wrong_secret(ali, ca, tmp_path):
    s = created(tmp_path, ali, ca)
    ali.ali.secret = "another-secret"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("aliyun: %s A: HTTP 400: SignatureDoesNotMatch: Specified "
            "signature is not matched with our calculation." % NAME) in r.err
    assert "wrong or mistyped secret" in r.err
    assert "failed" in r.out
    e = s.entry()
    assert e["address"] == IP1 and e["outcome"] == "auth"
    assert not e.get("backoff_until")
    # Not held: the key fixed, the next run pushes.
    ali.ali.secret = SECRET
    r = s.run("--ip", IP2)
    assert r.code == 0, r


def test_wrong_secret_v1(ali, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ali, signature="v1",
                                    access_key_secret="nope")])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "SignatureDoesNotMatch" in r.err


def test_unknown_key_id(ali, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ali, access_key_id="LTAI-nobody")])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "HTTP 404: InvalidAccessKeyId.NotFound" in r.err
    assert "check access_key_id" in r.err


def test_missing_permission(ali, ca, tmp_path):
    ali.ali.denied.add("AddDomainRecord")
    s = Setup(tmp_path, ca, [record(ali)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "HTTP 403: Forbidden.RAM" in r.err
    assert "AliyunDNSFullAccess" in r.err
    assert "alidns:AddDomainRecord" in r.err


@pytest.mark.parametrize("retry_after,wait", [(None, 60), (120, 120)])
def test_throttled(ali, ca, tmp_path, retry_after, wait):
    s = created(tmp_path, ali, ca)
    ali.ali.throttle(headers=None if retry_after is None else
                     {"Retry-After": str(retry_after)})
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "Throttling.User" in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5
    del ali.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert ali.calls == []
    r = s.run("-f", "--ip", IP2)
    assert r.code == 0, r


def test_domain_not_in_account(ali, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ali, name="home.example.org")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "IncorrectDomainUser" in r.err
    assert "not in this Alibaba Cloud account" in r.err
    assert writes(ali) == []


def test_locked_record(ali, ca, tmp_path):
    ali.ali.add_record("example.com", "home", "A", "198.51.100.1",
                       locked=True)
    s = Setup(tmp_path, ca, [record(ali)])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "locked" in r.err
    assert writes(ali) == []


def test_locked_record_by_id(ali, ca, tmp_path):
    s = created(tmp_path, ali, ca)
    ali.ali.find("example.com", "home", "A")[0]["Locked"] = True
    r = s.run("--ip", IP2)
    assert r.code == 78, r
    assert "DomainRecordLocked" in r.err


def test_garbage_reply(ali, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ali)])
    ali.ali.fail_next(200, payload="<html><body>Welcome to nginx!</body>"
                      "</html>", headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: not an Alibaba Cloud API reply" in r.err
    assert writes(ali) == []


def test_server_error_is_temporary(ali, ca, tmp_path):
    s = created(tmp_path, ali, ca)
    ali.ali.fail_next(500)
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "InternalError" in r.err
    r = s.run("--ip", IP2)
    assert r.code == 0, r


def test_secret_never_printed(ali, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ali)])
    r = s.run("-vv", "--ip", IP1)
    assert r.code == 0, r
    assert "x-acs-action: DescribeSubDomainRecords" in r.err
    ali.ali.secret = "x"
    r2 = s.run("-vv", "-f", "--ip", IP1)
    assert r2.code == 77, r2
    for out in (r.out, r.err, r2.out, r2.err):
        assert SECRET not in out
    with open(s.state) as f:
        assert SECRET not in f.read()


def test_check_config(ali, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ali, signature="v2")])
    r = harness.run(["--check-config", "-c", s.config])
    assert r.code == 78, r
    assert "neither v3 nor v1" in r.err
    s = Setup(tmp_path, ca, [record(ali, name="home.example.com",
                                    zone="example.org")])
    r = harness.run(["--check-config", "-c", s.config])
    assert r.code == 78, r
    assert "example.org" in r.err
    s = Setup(tmp_path, ca, [{"name": NAME, "provider": "aliyun",
                              "access_key_id": AKID}])
    r = harness.run(["--check-config", "-c", s.config])
    assert r.code == 78, r
    assert "access_key_secret" in r.err
