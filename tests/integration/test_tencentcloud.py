"""The real binary against the stateful Tencent Cloud (DNSPod API 3.0) mock,
which checks every TC3-HMAC-SHA256 signature. Addresses come from --ip."""
import json
import time

import pytest

import harness
import mock_tencentcloud
from mock_tencentcloud import SECRET_ID, SECRET_KEY

NAME = "home.example.com"
IP1, IP2, IP3 = "203.0.113.7", "203.0.113.8", "203.0.113.9"
MOREN = "默认"


@pytest.fixture
def tc(servers, ca):
    return mock_tencentcloud.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "tencentcloud", "secret_id": SECRET_ID,
         "secret_key": SECRET_KEY, "endpoint": srv.endpoint}
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


def actions(srv):
    return [c.headers["X-TC-Action"] for c in srv.calls]


def created(tmp_path, srv, ca, ip=IP1, **kw):
    s = Setup(tmp_path, ca, [record(srv, **kw)])
    r = s.run("--ip", ip)
    assert r.code == 0, r
    del srv.calls[:]
    return s


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_create(servers, ca, tmp_path, scheme):
    srv = mock_tencentcloud.start(servers, tls=ca if scheme == "https"
                                  else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    assert actions(srv) == ["DescribeRecordList", "CreateRecord"]
    for c in srv.calls:
        assert c.method == "POST" and c.path == "/"
        assert c.headers["Content-Type"] == "application/json; charset=utf-8"
        assert c.headers["X-TC-Version"] == "2021-03-23"
        assert c.headers.get("X-TC-Region") is None
        assert c.headers["Host"] == srv.url.split("//")[1]
    assert srv.calls[0].json() == {"Domain": "example.com",
                                   "Subdomain": "home", "RecordType": "A",
                                   "ErrorOnEmpty": "no"}
    assert srv.calls[1].json() == {"Domain": "example.com",
                                   "SubDomain": "home", "RecordType": "A",
                                   "RecordLine": MOREN, "Value": IP1}
    recs = srv.tc.find("example.com", "home", "A")
    assert len(recs) == 1 and recs[0]["Value"] == IP1
    e = s.entry()
    assert e["address"] == IP1
    assert e["record_id"] == str(recs[0]["RecordId"])


def test_update_uses_stored_id(tc, ca, tmp_path):
    s = created(tmp_path, tc, ca, ttl=300)
    rid = tc.tc.find("example.com", "home", "A")[0]["RecordId"]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert actions(tc) == ["ModifyRecord"]
    assert tc.calls[0].json() == {"Domain": "example.com",
                                  "SubDomain": "home", "RecordType": "A",
                                  "RecordLine": MOREN, "Value": IP2,
                                  "TTL": 300, "RecordId": rid}
    assert tc.tc.records[rid]["Value"] == IP2
    assert s.entry()["address"] == IP2


def test_no_change_and_force(tc, ca, tmp_path):
    s = created(tmp_path, tc, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert tc.calls == []
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert actions(tc) == ["DescribeRecordList"]
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_existing_record_kept_ttl(tc, ca, tmp_path):
    """No state: look up, modify with the record's own TTL."""
    rid = tc.tc.add_record("example.com", "home", "A", "198.51.100.1",
                           ttl=120)
    s = Setup(tmp_path, ca, [record(tc)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert actions(tc) == ["DescribeRecordList", "ModifyRecord"]
    assert tc.calls[1].json()["TTL"] == 120
    assert tc.calls[1].json()["RecordId"] == rid
    assert tc.tc.records[rid]["Value"] == IP1
    assert s.entry()["record_id"] == str(rid)


def test_current_without_state_is_no_write(tc, ca, tmp_path):
    tc.tc.add_record("example.com", "home", "A", IP1)
    s = Setup(tmp_path, ca, [record(tc)])
    r = s.run("-u", "--ip", IP1)
    assert r.code == 2, r
    assert tc.tc.writes() == []


def test_apex(tc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(tc, name="example.com",
                                    zone="example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert tc.calls[1].json()["SubDomain"] == "@"
    assert tc.tc.find("example.com", "@", "A")[0]["Value"] == IP1


def test_wildcard_and_deep_name(tc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(tc, name="*.dyn.example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert tc.tc.find("example.com", "*.dyn", "A")[0]["Value"] == IP1


def test_chinese_line_and_region(tc, ca, tmp_path):
    other = tc.tc.add_record("example.com", "home", "A", "198.51.100.1")
    s = Setup(tmp_path, ca, [record(tc, line="电信", region="ap-guangzhou")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert actions(tc) == ["DescribeRecordList", "CreateRecord"]
    assert all(c.headers["X-TC-Region"] == "ap-guangzhou" for c in tc.calls)
    assert tc.calls[1].json()["RecordLine"] == "电信"
    recs = tc.tc.find("example.com", "home", "A")
    assert {(x["Line"], x["Value"]) for x in recs} == \
        {(MOREN, "198.51.100.1"), ("电信", IP1)}
    assert tc.tc.records[other]["Value"] == "198.51.100.1"
    del tc.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert tc.calls[0].json()["RecordLine"] == "电信"


def test_aaaa(tc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(tc, types=["AAAA"])])
    r = s.run("--ip", "2001:db8::7", "-6")
    assert r.code == 0, r
    assert tc.tc.find("example.com", "home", "AAAA")[0]["Value"] == \
        "2001:db8::7"


def test_record_deleted_by_hand(tc, ca, tmp_path):
    s = created(tmp_path, tc, ca)
    old = tc.tc.find("example.com", "home", "A")[0]["RecordId"]
    del tc.tc.records[old]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert actions(tc) == ["ModifyRecord", "DescribeRecordList",
                           "CreateRecord"]
    new = tc.tc.find("example.com", "home", "A")[0]
    assert new["Value"] == IP2
    assert s.entry()["record_id"] == str(new["RecordId"])


def test_wrong_secret(tc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(tc, secret_key="not-the-key")])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "AuthFailure.SignatureFailure" in r.err
    assert "secret_key" in r.err
    assert tc.tc.writes() == []
    e = s.entry()
    assert e["hold"] is True
    # Held: no further calls until the configuration changes.
    del tc.calls[:]
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert tc.calls == []


def test_unknown_secret_id(tc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(tc, secret_id="AKIDnope")])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "AuthFailure.SecretIdNotFound" in r.err


def test_clock_skew(tc, ca, tmp_path):
    tc.tc.skew = 3600
    s = Setup(tmp_path, ca, [record(tc)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "AuthFailure.SignatureExpire" in r.err and "clock" in r.err
    assert s.entry()["hold"] is False


def test_throttled(tc, ca, tmp_path):
    s = created(tmp_path, tc, ca)
    tc.tc.throttle()
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "RequestLimitExceeded" in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + 55 <= e["backoff_until"] <= time.time() + 65
    del tc.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert tc.calls == []


def test_domain_not_in_account(tc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(tc, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "ResourceNotFound.NoDataOfDomain" in r.err


def test_garbage_reply(tc, ca, tmp_path):
    tc.tc.fail_next(200, payload="<html><body>Welcome to nginx!</body></html>",
                    headers={"Content-Type": "text/html"})
    s = Setup(tmp_path, ca, [record(tc)])
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "not a Tencent Cloud API reply" in r.err


def test_server_error(tc, ca, tmp_path):
    tc.tc.fail_next(503, payload="busy")
    s = Setup(tmp_path, ca, [record(tc)])
    r = s.run("--ip", IP1)
    assert r.code == 75, r


def test_secret_never_printed(tc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(tc)])
    r = s.run("-vv", "--ip", IP1)
    assert r.code == 0, r
    s2 = Setup(tmp_path, ca, [record(tc, secret_key=SECRET_KEY)])
    tc.tc.secret_key = "rotated"
    r2 = s2.run("-vv", "-f", "--ip", IP2)
    assert r2.code == 77, r2
    for x in (r, r2):
        assert SECRET_KEY not in x.out and SECRET_KEY not in x.err
    assert "TC3-HMAC-SHA256" not in r.err or "<redacted>" in r.err


def test_check_config(tc, tmp_path):
    s = Setup(tmp_path, None, [record(tc, endpoint="ftp://127.0.0.1/x")])
    r = harness.run(["--check-config", "-c", s.config])
    assert r.code == 78, r
    assert "is not http(s)://host[:port][/]" in r.err
    assert tc.calls == []
