"""The real binary against the stateful Tencent Cloud EdgeOne mock, which
checks every TC3-HMAC-SHA256 signature (service teo). Addresses come from
--ip."""
import json
import time

import pytest

import harness
import mock_edgeone
from mock_edgeone import SECRET_ID, SECRET_KEY

NAME = "home.example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"


@pytest.fixture
def eo(servers, ca):
    return mock_edgeone.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "edgeone", "secret_id": SECRET_ID,
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
    srv = mock_edgeone.start(servers, tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    assert actions(srv) == ["DescribeZones", "DescribeDnsRecords",
                            "CreateDnsRecord"]
    zid = srv.eo.zones["example.com"]
    for c in srv.calls:
        assert c.method == "POST" and c.path == "/"
        assert c.headers["X-TC-Version"] == "2022-09-01"
        assert c.headers["Content-Type"] == "application/json; charset=utf-8"
        assert "/teo/tc3_request, " in c.headers["Authorization"]
    assert srv.calls[0].json() == {"Filters": [{"Name": "zone-name",
                                                "Values": ["example.com"]}]}
    assert srv.calls[1].json() == {
        "ZoneId": zid, "Filters": [{"Name": "name", "Values": [NAME]},
                                   {"Name": "type", "Values": ["A"]}],
        "Limit": 1000}
    assert srv.calls[2].json() == {"ZoneId": zid, "Name": NAME, "Type": "A",
                                   "Content": IP1, "Location": "Default"}
    recs = srv.eo.find("example.com", NAME, "A")
    assert len(recs) == 1 and recs[0]["Content"] == IP1
    assert s.entry()["record_id"] == "%s/%s" % (zid, recs[0]["RecordId"])


def test_update_uses_stored_id(eo, ca, tmp_path):
    s = created(tmp_path, eo, ca, ttl=600)
    rec = eo.eo.find("example.com", NAME, "A")[0]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert actions(eo) == ["ModifyDnsRecords"]
    assert eo.calls[0].json() == {
        "ZoneId": rec["ZoneId"],
        "DnsRecords": [{"RecordId": rec["RecordId"], "Name": NAME,
                        "Type": "A", "Content": IP2, "Location": "Default",
                        "TTL": 600}]}
    assert rec["Content"] == IP2 and rec["TTL"] == 600
    assert s.entry()["address"] == IP2


def test_no_change_and_force(eo, ca, tmp_path):
    s = created(tmp_path, eo, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert eo.calls == []
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert actions(eo) == ["DescribeZones", "DescribeDnsRecords"]
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_existing_record_kept_ttl(eo, ca, tmp_path):
    rid = eo.eo.add_record("example.com", NAME, "A", "198.51.100.1",
                           ttl=120)
    s = Setup(tmp_path, ca, [record(eo)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert actions(eo) == ["DescribeZones", "DescribeDnsRecords",
                           "ModifyDnsRecords"]
    assert eo.calls[2].json()["DnsRecords"][0]["TTL"] == 120
    assert eo.eo.records[rid]["Content"] == IP1


def test_apex_and_wildcard(eo, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(eo, name="example.com",
                                    zone="example.com"),
                             record(eo, name="*.Dyn.example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert eo.eo.find("example.com", "example.com", "A")[0]["Content"] == IP1
    assert eo.eo.find("example.com", "*.dyn.example.com",
                      "A")[0]["Content"] == IP1
    assert actions(eo).count("DescribeZones") == 1


def test_chinese_location(eo, ca, tmp_path):
    other = eo.eo.add_record("example.com", NAME, "A", "198.51.100.1")
    s = Setup(tmp_path, ca, [record(eo, line="电信", region="ap-guangzhou")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert all(c.headers["X-TC-Region"] == "ap-guangzhou" for c in eo.calls)
    assert eo.calls[2].json()["Location"] == "电信"
    assert eo.eo.records[other]["Content"] == "198.51.100.1"


def test_record_deleted_by_hand(eo, ca, tmp_path):
    s = created(tmp_path, eo, ca)
    old = eo.eo.find("example.com", NAME, "A")[0]["RecordId"]
    del eo.eo.records[old]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert actions(eo) == ["ModifyDnsRecords", "DescribeZones",
                           "DescribeDnsRecords", "CreateDnsRecord"]
    new = eo.eo.find("example.com", NAME, "A")[0]
    assert s.entry()["record_id"].endswith("/" + new["RecordId"])


def test_duplicate_is_current(eo, ca, tmp_path):
    s = created(tmp_path, eo, ca)
    eo.eo.add_record("example.com", NAME, "A", IP2)
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s current\n" % (NAME, IP2)


def test_wrong_secret(eo, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(eo, secret_key="not-the-key")])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "AuthFailure.SignatureFailure" in r.err and "secret_key" in r.err
    assert s.entry()["hold"] is True
    assert eo.eo.writes() == []


def test_permission_denied(eo, ca, tmp_path):
    eo.eo.denied.add("CreateDnsRecord")
    s = Setup(tmp_path, ca, [record(eo)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "UnauthorizedOperation.CamUnauthorized" in r.err
    assert "QcloudTEOFullAccess" in r.err and "dnspod" not in r.err


def test_throttled(eo, ca, tmp_path):
    s = created(tmp_path, eo, ca)
    eo.eo.throttle()
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "RequestLimitExceeded" in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + 55 <= e["backoff_until"] <= time.time() + 65


def test_zone_not_in_account(eo, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(eo, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert 'no site "example.net"' in r.err


def test_garbage_reply(eo, ca, tmp_path):
    eo.eo.fail_next(200, payload="<html>Welcome to nginx!</html>",
                    headers={"Content-Type": "text/html"})
    s = Setup(tmp_path, ca, [record(eo)])
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "not a Tencent Cloud API reply" in r.err


def test_secret_never_printed(eo, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(eo)])
    r = s.run("-vv", "--ip", IP1)
    assert r.code == 0, r
    eo.eo.secret_key = "rotated"
    r2 = s.run("-vv", "-f", "--ip", IP2)
    assert r2.code == 77, r2
    for x in (r, r2):
        assert SECRET_KEY not in x.out and SECRET_KEY not in x.err


def test_check_config(eo, tmp_path):
    s = Setup(tmp_path, None, [record(eo, endpoint="ftp://127.0.0.1/x")])
    r = harness.run(["--check-config", "-c", s.config])
    assert r.code == 78, r
    assert "is not http(s)://host[:port][/]" in r.err
    assert eo.calls == []
