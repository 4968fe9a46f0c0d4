"""The real binary against the stateful Volcengine TrafficRoute DNS mock,
which checks every HMAC-SHA256 signature. Addresses come from --ip."""
import json
import time
import urllib.parse

import pytest

import harness
import mock_volcengine
from mock_volcengine import ACCESS_KEY, SECRET_KEY

NAME = "home.example.com"
IP1, IP2, IP3 = "203.0.113.7", "203.0.113.8", "203.0.113.9"


@pytest.fixture
def vs(servers, ca):
    return mock_volcengine.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "volcengine", "access_key": ACCESS_KEY,
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
    return [c.query["Action"][0] for c in srv.calls]


def created(tmp_path, srv, ca, ip=IP1, **kw):
    s = Setup(tmp_path, ca, [record(srv, **kw)])
    r = s.run("--ip", ip)
    assert r.code == 0, r
    del srv.calls[:]
    return s


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_create(servers, ca, tmp_path, scheme):
    srv = mock_volcengine.start(servers, tls=ca if scheme == "https"
                                else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    assert actions(srv) == ["ListZones", "ListRecords", "CreateRecord"]
    zid = srv.volc.zones["example.com"]
    for c in srv.calls:
        assert c.path == "/" and c.query["Version"] == ["2018-08-01"]
        assert c.headers["Content-Type"] == "application/json"
        assert c.headers["Host"] == srv.url.split("//")[1]
        assert c.headers["Authorization"].startswith(
            "HMAC-SHA256 Credential=%s/" % ACCESS_KEY)
        assert "/cn-north-1/DNS/request, SignedHeaders=content-type;host;" \
            "x-content-sha256;x-date, " in c.headers["Authorization"]
    assert [c.method for c in srv.calls] == ["GET", "GET", "POST"]
    assert srv.calls[0].query == {"Action": ["ListZones"],
                                  "Version": ["2018-08-01"],
                                  "Key": ["example.com"],
                                  "SearchMode": ["exact"]}
    assert srv.calls[1].query == {"Action": ["ListRecords"],
                                  "Version": ["2018-08-01"],
                                  "ZID": [str(zid)], "Host": ["home"],
                                  "Type": ["A"], "SearchMode": ["exact"],
                                  "PageSize": ["500"]}
    assert srv.calls[2].json() == {"ZID": zid, "Host": "home", "Type": "A",
                                   "Value": IP1, "Line": "default"}
    recs = srv.volc.find("example.com", "home", "A")
    assert len(recs) == 1 and recs[0]["Value"] == IP1
    e = s.entry()
    assert e["address"] == IP1
    assert e["record_id"] == recs[0]["RecordID"]


def test_update_uses_stored_id(vs, ca, tmp_path):
    s = created(tmp_path, vs, ca, ttl=300)
    rid = vs.volc.find("example.com", "home", "A")[0]["RecordID"]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert actions(vs) == ["UpdateRecord"]
    assert vs.calls[0].json() == {"RecordID": rid, "Host": "home",
                                  "Type": "A", "Value": IP2,
                                  "Line": "default", "TTL": 300}
    assert vs.volc.records[rid]["Value"] == IP2
    assert s.entry()["address"] == IP2


def test_no_change_and_force(vs, ca, tmp_path):
    s = created(tmp_path, vs, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert vs.calls == []
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert actions(vs) == ["ListZones", "ListRecords"]
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_existing_record_kept_ttl(vs, ca, tmp_path):
    """No state: look up, update with the record's own TTL."""
    rid = vs.volc.add_record("example.com", "home", "A", "198.51.100.1",
                             ttl=120)
    s = Setup(tmp_path, ca, [record(vs)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert actions(vs) == ["ListZones", "ListRecords", "UpdateRecord"]
    assert vs.calls[2].json()["TTL"] == 120
    assert vs.calls[2].json()["RecordID"] == rid
    assert vs.volc.records[rid]["Value"] == IP1
    assert s.entry()["record_id"] == rid


def test_current_without_state_is_no_write(vs, ca, tmp_path):
    vs.volc.add_record("example.com", "home", "A", IP1)
    s = Setup(tmp_path, ca, [record(vs)])
    r = s.run("-u", "--ip", IP1)
    assert r.code == 2, r
    assert vs.volc.writes() == []


def test_apex(vs, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(vs, name="example.com",
                                    zone="example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert vs.calls[1].query["Host"] == ["@"]
    assert vs.calls[2].json()["Host"] == "@"
    assert vs.volc.find("example.com", "@", "A")[0]["Value"] == IP1


def test_unusual_names(vs, ca, tmp_path):
    """A wildcard is signed percent-encoded in the query the way the
    service re-encodes it ("*" as %2A); "_" passes, upper case is sent
    lower
    ("~" and spaces are refused earlier, as no DNS name has them)."""
    s = Setup(tmp_path, ca, [record(vs, name="*.dyn.example.com"),
                             record(vs, name="_X-b.Example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert vs.volc.find("example.com", "*.dyn", "A")[0]["Value"] == IP1
    assert vs.volc.find("example.com", "_x-b", "A")[0]["Value"] == IP1
    hosts = [c.query["Host"] for c in vs.calls
             if c.query["Action"] == ["ListRecords"]]
    assert hosts == [["*.dyn"], ["_x-b"]]
    # One zone lookup for both records (the run's cache).
    assert actions(vs).count("ListZones") == 1


def test_sub_zone_and_deep_name(servers, ca, tmp_path):
    srv = mock_volcengine.start(servers, tls=ca, zones=("example.com.cn",))
    s = Setup(tmp_path, ca, [record(srv, name="a.b.example.com.cn",
                                    zone="example.com.cn")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert srv.volc.find("example.com.cn", "a.b", "A")[0]["Value"] == IP1


def test_chinese_line_and_region(servers, ca, tmp_path):
    srv = mock_volcengine.start(servers, tls=ca, region="cn-beijing")
    other = srv.volc.add_record("example.com", "home", "A", "198.51.100.1")
    s = Setup(tmp_path, ca, [record(srv, line="电信", region="cn-beijing")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert actions(srv) == ["ListZones", "ListRecords", "CreateRecord"]
    assert all("/cn-beijing/DNS/request" in c.headers["Authorization"]
               for c in srv.calls)
    assert srv.calls[2].json()["Line"] == "电信"
    assert "电信".encode() in srv.calls[2].body
    recs = srv.volc.find("example.com", "home", "A")
    assert {(x["Line"], x["Value"]) for x in recs} == \
        {("default", "198.51.100.1"), ("电信", IP1)}
    assert srv.volc.records[other]["Value"] == "198.51.100.1"
    del srv.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert actions(srv) == ["UpdateRecord"]
    assert srv.calls[0].json()["Line"] == "电信"
    assert srv.volc.records[other]["Value"] == "198.51.100.1"


def test_aaaa(vs, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(vs, types=["AAAA"])])
    r = s.run("--ip", "2001:db8::7", "-6")
    assert r.code == 0, r
    assert vs.volc.find("example.com", "home", "AAAA")[0]["Value"] == \
        "2001:db8::7"


def test_record_deleted_by_hand(vs, ca, tmp_path):
    s = created(tmp_path, vs, ca)
    old = vs.volc.find("example.com", "home", "A")[0]["RecordID"]
    del vs.volc.records[old]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert actions(vs) == ["UpdateRecord", "ListZones", "ListRecords",
                           "CreateRecord"]
    new = vs.volc.find("example.com", "home", "A")[0]
    assert new["Value"] == IP2
    assert s.entry()["record_id"] == new["RecordID"]


def test_duplicate_is_current(vs, ca, tmp_path):
    """State says IP1 but someone already set IP2 on another record of the
    same line: the service calls the write a duplicate, which is success."""
    s = created(tmp_path, vs, ca)
    vs.volc.add_record("example.com", "home", "A", IP2)
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert actions(vs) == ["UpdateRecord"]
    assert r.out == "%s A %s current\n" % (NAME, IP2)


def test_wrong_secret(vs, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(vs, secret_key="not-the-key")])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "SignatureDoesNotMatch" in r.err
    assert "secret_key" in r.err
    assert vs.volc.writes() == []
    assert s.entry()["hold"] is True
    del vs.calls[:]
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert vs.calls == []


def test_unknown_access_key(vs, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(vs, access_key="AKLTnope")])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "InvalidAccessKey" in r.err


def test_permission_denied(vs, ca, tmp_path):
    vs.volc.denied.add("CreateRecord")
    s = Setup(tmp_path, ca, [record(vs)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "AccessDenied" in r.err and "DNSFullAccess" in r.err


def test_clock_skew(vs, ca, tmp_path):
    vs.volc.skew = 3600
    s = Setup(tmp_path, ca, [record(vs)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "InvalidTimestamp" in r.err and "clock" in r.err
    assert s.entry()["hold"] is False


def test_throttled(vs, ca, tmp_path):
    s = created(tmp_path, vs, ca)
    vs.volc.throttle()
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "AccountFlowLimitExceeded" in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + 55 <= e["backoff_until"] <= time.time() + 65
    del vs.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert vs.calls == []


def test_zone_not_in_account(vs, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(vs, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert 'no zone "example.net"' in r.err
    assert actions(vs) == ["ListZones"]


def test_garbage_reply(vs, ca, tmp_path):
    vs.volc.fail_next(200, payload="<html><body>Welcome to nginx!</body>"
                      "</html>", headers={"Content-Type": "text/html"})
    s = Setup(tmp_path, ca, [record(vs)])
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "not a Volcengine API reply" in r.err


def test_server_error(vs, ca, tmp_path):
    vs.volc.fail_next(500)
    s = Setup(tmp_path, ca, [record(vs)])
    r = s.run("--ip", IP1)
    assert r.code == 75, r
    assert "InternalError" in r.err


def test_secret_never_printed(vs, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(vs)])
    r = s.run("-vv", "--ip", IP1)
    assert r.code == 0, r
    s2 = Setup(tmp_path, ca, [record(vs, secret_key=SECRET_KEY)])
    vs.volc.secret_key = "rotated"
    r2 = s2.run("-vv", "-f", "--ip", IP2)
    assert r2.code == 77, r2
    for x in (r, r2):
        assert SECRET_KEY not in x.out and SECRET_KEY not in x.err
        assert urllib.parse.quote(SECRET_KEY) not in x.err


def test_check_config(vs, tmp_path):
    s = Setup(tmp_path, None, [record(vs, endpoint="ftp://127.0.0.1/x")])
    r = harness.run(["--check-config", "-c", s.config])
    assert r.code == 78, r
    assert "is not http(s)://host[:port][/]" in r.err
    s = Setup(tmp_path, None, [record(vs, line="")])
    r = harness.run(["--check-config", "-c", s.config])
    assert r.code == 78, r
    assert "line is empty" in r.err
    assert vs.calls == []
