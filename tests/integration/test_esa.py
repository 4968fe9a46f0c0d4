"""The real binary against the stateful Alibaba Cloud ESA mock, which
recomputes every ACS3-HMAC-SHA256 signature on its own. HTTPS with the
test CA. Addresses come from --ip."""
import json
import time

import pytest

import harness
import mock_esa
from mock_esa import AKID, SECRET

NAME = "home.example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"
V6A, V6B = "2001:db8::7", "2001:db8::8"
WRITES = ("CreateRecord", "UpdateRecord")


@pytest.fixture
def esa(servers, ca):
    return mock_esa.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "esa", "access_key_id": AKID,
         "access_key_secret": SECRET, "endpoint": srv.endpoint}
    r.update(kw)
    return r


class Setup:
    """A config file and state path in tmp_path; run() drives ddnsup."""

    def __init__(self, tmp_path, ca, recs):
        cfg = {"records": recs, "cafile": ca.ca}
        self.config = harness.write_config(str(tmp_path / "ddnsup.json"), cfg)
        self.state = str(tmp_path / "state.json")

    def run(self, *args):
        return harness.run(["-c", self.config, "--state", self.state] +
                           list(args))

    def entry(self, name=NAME, type="A"):
        with open(self.state) as f:
            e = [r for r in json.load(f)["records"]
                 if r["name"] == name and r["type"] == type]
        assert len(e) == 1, e
        return e[0]


def actions(srv):
    return [a[0] for a in srv.esa.actions]


def created(tmp_path, srv, ca, *ips, **kw):
    """A setup whose record was created by a first run; calls cleared."""
    s = Setup(tmp_path, ca, [record(srv, **kw)])
    args = []
    for ip in ips or (IP1,):
        args += ["--ip", ip]
    r = s.run(*args)
    assert r.code == 0, r
    del srv.calls[:]
    del srv.esa.actions[:]
    return s


def test_create_when_missing(esa, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(esa)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    site = esa.esa.sites["example.com"]
    assert esa.esa.actions == [
        ("ListSites", {"SiteName": "example.com", "SiteSearchType": "exact"},
         "v3"),
        ("ListRecords", {"SiteId": str(site), "RecordName": NAME,
                         "RecordMatchType": "exact", "PageSize": "500"},
         "v3"),
        ("CreateRecord", {"SiteId": str(site), "RecordName": NAME,
                          "Type": "A/AAAA", "Data": '{"Value":"%s"}' % IP1,
                          "Proxied": "false"}, "v3")]
    # As the official SDK sends them: the lists are GET, writes POST,
    # everything in the query, no body.
    assert [c.method for c in esa.calls] == ["GET", "GET", "POST"]
    for c in esa.calls:
        assert (c.path, c.body) == ("/", b"")
        assert c.headers["x-acs-version"] == "2024-09-10"
        assert c.headers.get("Content-Type") is None
    rec = esa.esa.find(NAME)
    assert len(rec) == 1 and rec[0]["Data"]["Value"] == IP1
    assert rec[0]["Proxied"] is False
    assert s.entry()["record_id"] == "%d:%d" % (site, rec[0]["RecordId"])


def test_state_hit_makes_no_call(esa, ca, tmp_path):
    s = created(tmp_path, esa, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert esa.calls == []
    r = s.run("-u", "--ip", IP1)
    assert r.code == 2, r


def test_address_change_uses_stored_site(esa, ca, tmp_path):
    s = created(tmp_path, esa, ca)
    rid = esa.esa.find(NAME)[0]["RecordId"]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert actions(esa) == ["ListRecords", "UpdateRecord"]
    assert esa.esa.actions[1][1] == {"RecordId": str(rid), "Type": "A/AAAA",
                                     "Data": '{"Value":"%s"}' % IP2,
                                     "Proxied": "false", "Ttl": "1"}
    assert esa.esa.records[rid]["Data"]["Value"] == IP2
    assert s.entry()["address"] == IP2


def test_force_verifies(esa, ca, tmp_path):
    s = created(tmp_path, esa, ca)
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert actions(esa) == ["ListRecords"]
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_both_families_share_one_record(esa, ca, tmp_path):
    s = created(tmp_path, esa, ca, IP1, V6A, types=["A", "AAAA"])
    rec = esa.esa.find(NAME)
    assert len(rec) == 1 and rec[0]["Data"]["Value"] == "%s,%s" % (IP1, V6A)
    # Only the IPv6 address changes: the IPv4 one stays.
    r = s.run("--ip", IP1, "--ip", V6B)
    assert r.code == 0, r
    assert actions(esa) == ["ListRecords", "UpdateRecord"]
    assert rec[0]["RecordId"] in esa.esa.records
    assert esa.esa.records[rec[0]["RecordId"]]["Data"]["Value"] == \
        "%s,%s" % (IP1, V6B)
    assert s.entry(type="AAAA")["address"] == V6B
    assert s.entry(type="A")["address"] == IP1


def test_existing_proxied_record_keeps_its_settings(esa, ca, tmp_path):
    rid = esa.esa.add_record("example.com", NAME, "198.51.100.1,2001:db8::1",
                             ttl=300, proxied=True, biz="api")
    s = Setup(tmp_path, ca, [record(esa)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert actions(esa) == ["ListSites", "ListRecords", "UpdateRecord"]
    assert esa.esa.actions[2][1] == {
        "RecordId": str(rid), "Type": "A/AAAA",
        "Data": '{"Value":"%s,2001:db8::1"}' % IP1, "Proxied": "true",
        "BizName": "api", "Ttl": "300"}
    r = esa.esa.records[rid]
    assert (r["Proxied"], r["BizName"], r["Ttl"]) == (True, "api", 300)


def test_configured_proxied_and_ttl(esa, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(esa, proxied=True, ttl=600)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    p = esa.esa.actions[-1][1]
    assert (p["Proxied"], p["BizName"], p["Ttl"]) == ("true", "web", "600")
    assert esa.esa.find(NAME)[0]["Proxied"] is True


def test_apex_and_chinese_zone(servers, ca, tmp_path):
    srv = mock_esa.start(servers, tls=ca, sites=("例子.cn",))
    s = Setup(tmp_path, ca, [record(srv, name="例子.cn")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert srv.esa.actions[0][1]["SiteName"] == "例子.cn"
    assert srv.esa.actions[2][1]["RecordName"] == "例子.cn"
    assert srv.esa.find("例子.cn")[0]["Data"]["Value"] == IP1


def test_stale_site_id_is_looked_up_again(esa, ca, tmp_path):
    """The site was removed and added again: a new SiteId."""
    s = created(tmp_path, esa, ca)
    esa.esa.records.clear()
    esa.esa.sites["example.com"] = 999
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert actions(esa) == ["ListRecords", "ListSites", "ListRecords",
                            "CreateRecord"]
    assert esa.esa.find(NAME)[0]["SiteId"] == 999
    assert s.entry()["record_id"].startswith("999:")


def test_wrong_secret(esa, ca, tmp_path):
    s = created(tmp_path, esa, ca)
    esa.esa.secret = "another-secret"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("esa: %s A: HTTP 400: SignatureDoesNotMatch: Specified "
            "signature is not matched with our calculation." % NAME) in r.err
    assert s.entry()["outcome"] == "auth"
    esa.esa.secret = SECRET
    r = s.run("--ip", IP2)
    assert r.code == 0, r


def test_missing_permission(esa, ca, tmp_path):
    esa.esa.denied.add("CreateRecord")
    s = Setup(tmp_path, ca, [record(esa)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "HTTP 403: Forbidden.RAM: You are not authorized" in r.err
    assert "AliyunESAFullAccess" in r.err
    assert "esa:CreateRecord" in r.err


def test_throttled(esa, ca, tmp_path):
    s = created(tmp_path, esa, ca)
    esa.esa.throttle()
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "Throttling.User" in r.err
    e = s.entry()
    assert t0 + 55 <= e["backoff_until"] <= time.time() + 65
    del esa.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert esa.calls == []


def test_site_not_in_account(esa, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(esa, name="home.example.org")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "\"example.org\" is not an ESA site in this Alibaba Cloud " \
        "account" in r.err
    assert actions(esa) == ["ListSites"]


@pytest.mark.parametrize("payload", ["<html>oops</html>", "[]",
                                     "{\"Records\":[]}"])
def test_garbage_reply(esa, ca, tmp_path, payload):
    esa.esa.fail_next(200, payload=payload)
    s = Setup(tmp_path, ca, [record(esa)])
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "esa: %s A: HTTP 200:" % NAME in r.err
    assert not any(a in WRITES for a in actions(esa))


def test_secret_never_printed(esa, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(esa)])
    r = s.run("-vv", "--ip", IP1)
    assert r.code == 0, r
    assert "ListSites" in r.err
    assert SECRET not in r.out + r.err
    esa.esa.secret = "another-secret"
    r = s.run("-vv", "-f", "--ip", IP2)
    assert r.code == 77, r
    assert SECRET not in r.out + r.err


def test_check_config(esa, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(esa, biz_name="video")])
    r = s.run("--check-config")
    assert r.code == 78, r
    assert "esa: biz_name \"video\" is not web, api or image_video" in r.err
    s = Setup(tmp_path, ca, [record(esa)])
    r = s.run("--check-config")
    assert r.code == 0, r
    assert esa.calls == []
