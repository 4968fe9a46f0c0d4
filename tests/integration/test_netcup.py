"""The real binary against the stateful netcup CCP DNS API mock, over
HTTPS with the test CA (and plain HTTP once). Addresses come from --ip."""
import json
import time

import pytest

import harness
import mock_netcup
from mock_netcup import APIKEY, APIPW, CUSTOMER

NAME = "home.example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"


@pytest.fixture
def nc(servers, ca):
    return mock_netcup.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "netcup", "customer_number": CUSTOMER,
         "api_key": APIKEY, "api_password": APIPW,
         "endpoint": srv.endpoint}
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
    return [c.json()["action"] for c in srv.calls]


def created(tmp_path, srv, ca, ip=IP1, **kw):
    """A setup whose record was created by a first run; calls cleared."""
    s = Setup(tmp_path, ca, [record(srv, **kw)])
    r = s.run("--ip", ip)
    assert r.code == 0, r
    del srv.calls[:]
    return s


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_create_when_missing(servers, ca, tmp_path, scheme):
    srv = mock_netcup.start(servers, tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    assert actions(srv) == ["login", "infoDnsRecords", "updateDnsRecords",
                            "logout"]
    for c in srv.calls:
        assert c.method == "POST" and c.query == {"JSON": [""]}
        assert c.headers["Content-Type"] == "application/json"
    assert srv.calls[0].json()["param"] == {
        "customernumber": CUSTOMER, "apikey": APIKEY, "apipassword": APIPW}
    for c in srv.calls[1:]:
        assert "apipassword" not in c.json()["param"]
    up = srv.calls[2].json()["param"]
    assert up["domainname"] == "example.com"
    assert up["dnsrecordset"] == {"dnsrecords": [{
        "hostname": "home", "type": "A", "priority": "",
        "destination": IP1, "deleterecord": False}]}
    recs = srv.nc.find("example.com", "home", "A")
    assert len(recs) == 1 and recs[0]["destination"] == IP1
    assert srv.nc.sessions == set()
    assert s.entry()["record_id"] == "example.com/" + recs[0]["id"]


def test_state_hit_makes_no_call(nc, ca, tmp_path):
    s = created(tmp_path, nc, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0 and nc.calls == [], r
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_address_change_uses_stored_id(nc, ca, tmp_path):
    s = created(tmp_path, nc, ca)
    rid = nc.nc.find("example.com", "home", "A")[0]["id"]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert actions(nc) == ["login", "updateDnsRecords", "logout"]
    assert nc.calls[1].json()["param"]["dnsrecordset"]["dnsrecords"][0][
        "id"] == rid
    assert nc.nc.records[rid]["destination"] == IP2
    assert nc.nc.sessions == set()


def test_record_deleted_by_hand(nc, ca, tmp_path):
    s = created(tmp_path, nc, ca)
    nc.nc.delete_record(nc.nc.find("example.com", "home", "A")[0]["id"])
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert actions(nc) == ["login", "updateDnsRecords", "infoDnsRecords",
                           "updateDnsRecords", "logout"]
    recs = nc.nc.find("example.com", "home", "A")
    assert len(recs) == 1 and recs[0]["destination"] == IP2
    assert s.entry()["record_id"] == "example.com/" + recs[0]["id"]


def test_force_verifies_without_writing(nc, ca, tmp_path):
    s = created(tmp_path, nc, ca)
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert actions(nc) == ["login", "infoDnsRecords", "logout"]
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_existing_record_updated(nc, ca, tmp_path):
    rid = nc.nc.add_record("example.com", "home", "A", "198.51.100.1")
    other = nc.nc.add_record("example.com", "home", "AAAA", "2001:db8::1")
    s = Setup(tmp_path, ca, [record(nc, ttl=300)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert nc.nc.records[rid]["destination"] == IP1
    assert nc.nc.records[other]["destination"] == "2001:db8::1"
    assert len(nc.nc.records) == 2
    assert s.entry()["record_id"] == "example.com/" + rid


def test_apex_and_aaaa(nc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nc, "example.com", types=["AAAA"])])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    recs = nc.nc.find("example.com", "@", "AAAA")
    assert len(recs) == 1 and recs[0]["destination"] == "2001:db8::7"
    del nc.calls[:]
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0 and nc.calls == [], r


@pytest.mark.parametrize("what,code,text", [
    ("apipw", 77, "login: error 4013: Validation Error. Invalid entry for "
     "field apipassword (check customer_number, api_key and api_password"),
    ("apikey", 75, "login: error 4013: Validation Error. More than 180 "
     "requests per minute. Please wait and retry later. Please contact our "
     "customer service to find out if the limitation of requests can be "
     "increased. (netcup also answers this to a wrong api_key"),
])
def test_wrong_credentials(nc, ca, tmp_path, what, code, text):
    s = created(tmp_path, nc, ca)
    setattr(nc.nc, what, "somethingelse")
    r = s.run("--ip", IP2)
    assert r.code == code, r
    assert "netcup: %s A: %s" % (NAME, text) in r.err
    assert actions(nc) == ["login"]
    assert s.entry()["address"] == IP1


def test_throttled(nc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nc)])
    nc.nc.throttle(count=1)
    t0 = time.time()
    r = s.run("--ip", IP1)
    assert r.code == 75, r
    assert "More than 180 requests per minute" in r.err
    assert actions(nc) == ["login", "infoDnsRecords", "logout"]
    assert nc.nc.sessions == set()
    e = s.entry()
    assert t0 + 55 <= e["backoff_until"] <= time.time() + 65
    del nc.calls[:]
    r = s.run("--ip", IP1)
    assert r.code == 75 and nc.calls == [], r


def test_domain_not_in_account(nc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nc, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("infoDnsRecords: error 5029: Can not get DNS records for zone. "
            "Domain not found. (is example.net a domain of this netcup "
            "account") in r.err
    assert actions(nc) == ["login", "infoDnsRecords", "logout"]
    assert s.entry(name="home.example.net")["hold"]


@pytest.mark.parametrize("payload", ["<html>Wartungsarbeiten</html>",
                                     {"result": "ok"}])
def test_garbage_reply(nc, ca, tmp_path, payload):
    s = Setup(tmp_path, ca, [record(nc)])
    nc.nc.fail_next(200, payload=payload, action="infoDnsRecords")
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "infoDnsRecords: HTTP 200: not a netcup API reply" in r.err
    assert nc.nc.records == {}
    assert nc.nc.sessions == set()


def test_records_missing_from_reply(nc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nc)])
    nc.nc.fail_next(200, payload={"status": "success", "statuscode": 2000,
                                  "responsedata": ""},
                    action="infoDnsRecords")
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "no \"dnsrecords\" array in the reply" in r.err


def test_secrets_never_printed(nc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nc, api_key={"env": "NC_KEY"},
                                    api_password={"env": "NC_PW"})])
    env = {"NC_KEY": APIKEY, "NC_PW": APIPW}
    r = s.run("-vv", "--ip", IP1, env=env)
    assert r.code == 0, r
    for secret in (APIKEY, APIPW):
        assert secret not in r.out and secret not in r.err
    env["NC_PW"] = APIPW + "x"
    r = s.run("-vv", "-f", "--ip", IP2, env=env)
    assert r.code == 77, r
    for secret in (APIKEY, APIPW):
        assert secret not in r.out and secret not in r.err
    with open(s.state) as f:
        st = f.read()
    assert APIKEY not in st and APIPW not in st


def test_bad_customer_number(nc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nc, customer_number="K12345")])
    r = s.run("--check-config")
    assert r.code == 78, r
    assert "customer_number must be the customer number" in r.err


def test_two_records_one_login(nc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nc), record(nc, "www.example.com",
                                                types=["A", "AAAA"])])
    r = s.run("--ip", IP1, "--ip", "2001:db8::7")
    assert r.code == 0, r
    a = actions(nc)
    assert a[0] == "login" and a.count("login") == 1
    assert a[-1] == "logout" and a.count("logout") == 1
    assert a.count("updateDnsRecords") == 3
    sids = {c.json()["param"].get("apisessionid") for c in nc.calls[1:]}
    assert len(sids) == 1 and None not in sids
    assert nc.nc.sessions == set()
    assert (nc.nc.logins, nc.nc.logouts) == (1, 1)


def test_refused_login_not_repeated(nc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nc), record(nc, "www.example.com")])
    nc.nc.apipw = "somethingelse"
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert actions(nc) == ["login"]
    assert "not logging in again this run" in r.err
