"""The real binary against the stateful Huawei Cloud DNS mock, over HTTPS
with the test CA (and plain HTTP once). Every request's SDK-HMAC-SHA256
signature is recomputed by the mock; addresses come from --ip."""
import json
import time

import pytest

import harness
import mock_huaweicloud
from mock_huaweicloud import AK, SK, PROJECT

NAME = "home.example.com"
IP1, IP2, IP3 = "203.0.113.7", "203.0.113.8", "203.0.113.9"
WRITES = ("POST", "PUT", "PATCH", "DELETE")


@pytest.fixture
def hw(servers, ca):
    return mock_huaweicloud.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "huaweicloud", "access_key": AK,
         "secret_key": SK, "endpoint": srv.endpoint}
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

    def entries(self):
        with open(self.state) as f:
            return json.load(f)["records"]

    def entry(self, name=NAME, type="A"):
        e = [r for r in self.entries()
             if r["name"] == name and r["type"] == type]
        assert len(e) == 1, self.entries()
        return e[0]


def calls(srv, method=None, path=None):
    return [c for c in srv.calls if (method is None or c.method == method)
            and (path is None or c.path.endswith(path))]


def writes(srv):
    return [c for c in srv.calls if c.method in WRITES]


def created(tmp_path, srv, ca, ip=IP1, **kw):
    """A setup whose record was created by a first run; calls cleared."""
    s = Setup(tmp_path, ca, [record(srv, **kw)])
    r = s.run("--ip", ip)
    assert r.code == 0, r
    del srv.calls[:]
    return s


# ---- create, update, no change --------------------------------------------

@pytest.mark.parametrize("scheme", ["https", "http"])
def test_create_when_missing(servers, ca, tmp_path, scheme):
    srv = mock_huaweicloud.start(servers,
                                 tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    zid = srv.hw.zone_id("example.com")
    got = [(c.method, c.path, c.query) for c in srv.calls]
    assert got == [
        ("GET", "/v2/zones", {"type": ["public"], "name": [NAME + "."]}),
        ("GET", "/v2/zones", {"type": ["public"],
                              "name": ["example.com."]}),
        ("GET", "/v2/zones/%s/recordsets" % zid,
         {"name": [NAME + "."], "type": ["A"]}),
        ("POST", "/v2/zones/%s/recordsets" % zid, {}),
    ]
    # Every request was signed and verified by the mock.
    assert len(srv.hw.verified) == 4
    for c in srv.calls:
        a = c.headers["Authorization"]
        assert a.startswith("SDK-HMAC-SHA256 Access=%s, SignedHeaders="
                            "content-type;host;x-sdk-date, Signature=" % AK)
        assert c.headers["Content-Type"] == "application/json"
        assert c.headers.get("X-Project-Id") is None
    post = srv.calls[-1]
    assert post.json() == {"name": NAME + ".", "type": "A",
                           "records": [IP1]}
    recs = srv.hw.find(NAME, "A")
    assert len(recs) == 1
    assert (recs[0]["records"], recs[0]["ttl"]) == ([IP1], 300)
    e = s.entry()
    assert e["address"] == IP1
    assert e["record_id"] == "%s/%s" % (zid, recs[0]["id"])
    assert e["provider"] == "huaweicloud"


def test_state_hit_makes_no_call(hw, ca, tmp_path):
    s = created(tmp_path, hw, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert hw.calls == []
    assert r.out == "%s A %s current\n" % (NAME, IP1)
    r = s.run("-u", "--ip", IP1)
    assert r.code == 2, r
    assert hw.calls == []


def test_force_looks_but_does_not_write(hw, ca, tmp_path):
    s = created(tmp_path, hw, ca)
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert writes(hw) == []
    assert [c.method for c in hw.calls] == ["GET", "GET", "GET"]
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_address_change_is_one_put(hw, ca, tmp_path):
    s = created(tmp_path, hw, ca, ttl=600)
    rs = hw.hw.find(NAME, "A")[0]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert len(hw.calls) == 1, hw.calls
    c = hw.calls[0]
    assert c.method == "PUT"
    assert c.path == "/v2/zones/%s/recordsets/%s" % (rs["zone_id"], rs["id"])
    assert c.json() == {"name": NAME + ".", "type": "A", "records": [IP2],
                        "ttl": 600}
    assert hw.hw.recordsets[rs["id"]]["records"] == [IP2]
    assert s.entry()["address"] == IP2
    assert s.entry()["record_id"] == "%s/%s" % (rs["zone_id"], rs["id"])


def test_put_without_ttl_keeps_it(hw, ca, tmp_path):
    hw.hw.add_recordset(NAME, "A", ["198.51.100.1"], ttl=120)
    s = Setup(tmp_path, ca, [record(hw)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    put = calls(hw, "PUT")
    assert len(put) == 1 and put[0].json()["ttl"] == 120
    del hw.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [c.method for c in hw.calls] == ["PUT"]
    assert "ttl" not in hw.calls[0].json()
    rs = hw.hw.find(NAME, "A")[0]
    assert (rs["records"], rs["ttl"]) == ([IP2], 120)


def test_multi_value_set_is_replaced(hw, ca, tmp_path):
    rid = hw.hw.add_recordset(NAME, "A", [IP1, "198.51.100.2"])
    s = Setup(tmp_path, ca, [record(hw)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert "holds 2 values; replacing them with %s" % IP1 in r.err
    assert hw.hw.recordsets[rid]["records"] == [IP1]


def test_fuzzy_neighbours_are_not_taken(servers, ca, tmp_path):
    srv = mock_huaweicloud.start(servers, tls=ca,
                                 zones=("myexample.com", "example.com"))
    other = srv.hw.add_recordset("nas." + NAME, "A", ["198.51.100.1"])
    s = Setup(tmp_path, ca, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert srv.hw.recordsets[other]["records"] == ["198.51.100.1"]
    rs = srv.hw.find(NAME, "A")[0]
    assert rs["zone_id"] == srv.hw.zone_id("example.com")
    assert s.entry()["record_id"].endswith("/" + rs["id"])


def test_apex(hw, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(hw, name="example.com",
                                    zone="example.com", ttl=300)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert [c.query.get("name") for c in calls(hw, "GET")] == \
        [["example.com."], ["example.com."]]
    assert calls(hw, "POST")[0].json() == {
        "name": "example.com.", "type": "A", "records": [IP1], "ttl": 300}
    assert hw.hw.find("example.com", "A")[0]["records"] == [IP1]


def test_wildcard_and_non_ascii_names(hw, ca, tmp_path):
    """'*' and UTF-8 in the query are encoded the SDK's way (the mock
    checks the signature over the decoded and re-encoded query)."""
    s = Setup(tmp_path, ca, [record(hw, name="*.example.com"),
                             record(hw, name="中文.example.com",
                                    zone="example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert len(hw.hw.verified) == len(hw.calls)
    targets = [t for m, t, h in hw.hw.verified if "recordsets?" in t]
    assert any("name=%2A.example.com." in t for t in targets), targets
    assert any("name=%E4%B8%AD%E6%96%87.example.com." in t
               for t in targets), targets
    assert hw.hw.find("*.example.com", "A")[0]["records"] == [IP1]
    assert hw.hw.find("中文.example.com", "A")[0]["records"] == [IP1]


def test_ipv6_and_project_id(hw, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(hw, types=["AAAA"],
                                    project_id=PROJECT)])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    for c in hw.calls:
        assert c.headers["X-Project-Id"] == PROJECT
        assert "SignedHeaders=content-type;host;x-project-id;x-sdk-date" \
            in c.headers["Authorization"]
    assert calls(hw, "GET", "/recordsets")[0].query["type"] == ["AAAA"]
    assert hw.hw.find(NAME, "AAAA")[0]["records"] == ["2001:db8::7"]


def test_record_deleted_by_hand(hw, ca, tmp_path):
    s = created(tmp_path, hw, ca)
    old = hw.hw.find(NAME, "A")[0]["id"]
    hw.hw.delete_recordset(old)
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [c.method for c in hw.calls] == ["PUT", "GET", "GET", "GET",
                                            "POST"]
    rs = hw.hw.find(NAME, "A")
    assert len(rs) == 1 and rs[0]["records"] == [IP2]
    assert s.entry()["record_id"].endswith("/" + rs[0]["id"])


def test_two_records_one_zone_lookup(hw, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(hw, zone="example.com"),
                             record(hw, "nas.example.com",
                                    zone="example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert len(calls(hw, "GET", "/zones")) == 1
    assert len(calls(hw, "POST")) == 2


# ---- refusals and failures ------------------------------------------------

def test_wrong_secret(hw, ca, tmp_path):
    s = created(tmp_path, hw, ca)
    hw.hw.sk = "another-secret-key-0123456789"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("huaweicloud: %s A: HTTP 401: APIGW.0301 Incorrect IAM "
            "authentication information: verify aksk signature fail "
            "(check access_key and secret_key" % NAME) in r.err
    assert "failed" in r.out
    e = s.entry()
    assert e["address"] == IP1 and e["outcome"] == "auth"
    assert not e.get("backoff_until")


def test_unknown_access_key(hw, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(hw, access_key="NOSUCHKEY0123")])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "APIGW.0301" in r.err and "NOSUCHKEY0123 not found" in r.err
    assert len(hw.calls) == 1


def test_policy_refuses(hw, ca, tmp_path):
    hw.hw.deny("dns:recordset:create")
    s = Setup(tmp_path, ca, [record(hw)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert ("HTTP 403: DNS.0030 Policy doesn't allow dns:recordset:create "
            "to be performed. (the IAM user needs the DNS FullAccess "
            "policy") in r.err
    assert hw.hw.find(NAME) == []


@pytest.mark.parametrize("retry_after,wait,dns", [
    (120, 120, False), (None, 60, False), (None, 60, True)])
def test_throttled(hw, ca, tmp_path, retry_after, wait, dns):
    s = created(tmp_path, hw, ca)
    hw.hw.throttle(count=1, retry_after=retry_after, dns=dns)
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert ("DNS.0014 Flow control." if dns else
            "HTTP 429: APIGW.0308 The throttling threshold") in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5
    del hw.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert hw.calls == []
    assert r.out == "%s A %s skipped (tempfail)\n" % (NAME, IP2)
    r = s.run("-f", "--ip", IP2)
    assert r.code == 0, r
    assert hw.hw.find(NAME)[0]["records"] == [IP2]


def test_server_error_is_temporary(hw, ca, tmp_path):
    s = created(tmp_path, hw, ca)
    hw.hw.fail_next(500)
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 500: DNS.0001 Internal error." in r.err
    r = s.run("--ip", IP2)
    assert r.code == 0, r


def test_zone_not_in_account(hw, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(hw, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("no public Huawei Cloud zone for home.example.net (tried "
            "home.example.net, example.net; the zone must be on this "
            "account") in r.err
    assert [c.query["name"] for c in hw.calls] == \
        [["home.example.net."], ["example.net."]]
    assert writes(hw) == []


def test_garbage_reply(hw, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(hw)])
    hw.hw.fail_next(200, payload="<html><body>Welcome to nginx!</body>"
                    "</html>", headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: not a Huawei Cloud DNS reply" in r.err
    assert writes(hw) == []


def test_unknown_refusal_is_protocol(hw, ca, tmp_path):
    """A DNS error ddnsup has no meaning for is quoted, exit 76."""
    s = Setup(tmp_path, ca, [record(hw)])
    hw.hw.fail_next(400, payload={"code": "DNS.0303",
                                  "message": "Invalid TTL."})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 400: DNS.0303 Invalid TTL." in r.err


def test_bad_region_is_config(tmp_path):
    s = Setup(tmp_path, None, [{"name": NAME, "provider": "huaweicloud",
                                "access_key": AK, "secret_key": SK,
                                "region": "CN North 4"}])
    r = harness.run(["--check-config", "-c", s.config])
    assert r.code == 78, r
    assert "region" in r.err


def test_transport_failure_is_temporary(ca, tmp_path):
    s = Setup(tmp_path, ca, [{"name": NAME, "provider": "huaweicloud",
                              "access_key": AK, "secret_key": SK,
                              "endpoint": "https://127.0.0.1:9"}])
    r = s.run("--ip", IP1)
    assert r.code == 75, r
    assert "huaweicloud: %s A:" % NAME in r.err


def test_secret_never_printed(hw, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(hw, secret_key={"env": "HW_TEST_SK"})])
    r = s.run("-vv", "--ip", IP1, env={"HW_TEST_SK": SK})
    assert r.code == 0, r
    assert "Authorization" in r.err
    assert SK not in r.out and SK not in r.err
    r = s.run("-vv", "-f", "--ip", IP2, env={"HW_TEST_SK": "bad" + SK})
    assert r.code == 77, r
    assert SK not in r.out and SK not in r.err
    with open(s.state) as f:
        assert SK not in f.read()
    with open(s.config) as f:
        assert SK not in f.read()
