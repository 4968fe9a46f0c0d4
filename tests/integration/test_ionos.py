"""The real binary against the stateful IONOS DNS API mock, over HTTPS with
the test CA (and plain HTTP once). Addresses come from --ip. Every write
body is checked against the schemas of IONOS's OpenAPI document by the
mock (mock_ionos.SCHEMAS)."""
import json
import time

import pytest

import harness
import mock_ionos
from mock_ionos import API_KEY, PUBLIC, SECRET

NAME = "home.example.com"
IP1, IP2, IP3 = "203.0.113.7", "203.0.113.8", "203.0.113.9"
WRITES = ("POST", "PATCH", "PUT", "DELETE")
HINT_401 = ("(check api_key: it is \"<public prefix>.<secret>\" of a key "
            "created at developer.hosting.ionos.com, API keys)")


@pytest.fixture
def io(servers, ca):
    return mock_ionos.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "ionos", "api_key": API_KEY,
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


def writes(srv):
    return [c for c in srv.calls if c.method in WRITES]


def created(tmp_path, srv, ca, ip=IP1, **kw):
    """A setup whose record was created by a first run; calls cleared."""
    s = Setup(tmp_path, ca, [record(srv, **kw)])
    r = s.run("--ip", ip)
    assert r.code == 0, r
    del srv.calls[:]
    return s


# ---- the mock's schema check can refuse ---------------------------------

def test_schema_check_refuses_what_the_document_does_not_allow():
    ok = [{"name": NAME, "type": "A", "content": IP1, "ttl": 3600,
           "disabled": False}]
    assert mock_ionos.schema_errors(ok, mock_ionos.CREATE_BODY) == []
    assert mock_ionos.schema_errors(ok[0], mock_ionos.CREATE_BODY) == \
        ["body: not an array"]
    assert mock_ionos.schema_errors(
        [{"name": NAME, "type": "a", "content": IP1, "ttl": "60"}],
        mock_ionos.CREATE_BODY) == ["body[0].type: 'a' not in the enum",
                                    "body[0].ttl: not an integer"]
    assert mock_ionos.schema_errors({"content": IP1, "name": NAME},
                                    mock_ionos.UPDATE_BODY) == \
        ["body.name: not in the schema"]
    assert mock_ionos.schema_errors({"content": IP1, "disabled": 0},
                                    mock_ionos.UPDATE_BODY) == \
        ["body.disabled: not a boolean"]


# ---- create, then the state keeps us quiet ------------------------------

@pytest.mark.parametrize("scheme", ["https", "http"])
def test_create_when_missing(servers, ca, tmp_path, scheme):
    srv = mock_ionos.start(servers, tls=ca if scheme == "https" else None)
    zid = srv.io.zone_id("example.com")
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    got = [(c.method, c.path, c.query) for c in srv.calls]
    assert got == [
        ("GET", "/dns/v1/zones", {}),
        ("GET", "/dns/v1/zones/" + zid,
         {"recordName": [NAME], "recordType": ["A"]}),
        ("POST", "/dns/v1/zones/%s/records" % zid, {}),
    ]
    for c in srv.calls:
        assert c.headers["X-API-Key"] == API_KEY
    post = srv.calls[-1]
    assert post.headers["Content-Type"] == "application/json"
    assert post.json() == [{"name": NAME, "type": "A", "content": IP1,
                            "ttl": 3600, "disabled": False}]
    assert srv.io.schema_checked == 1
    recs = srv.io.find(NAME, "A")
    assert len(recs) == 1 and recs[0]["content"] == IP1
    e = s.entry()
    assert e["address"] == IP1
    assert e["record_id"] == "%s/%s" % (zid, recs[0]["id"])


def test_state_hit_makes_no_call(io, ca, tmp_path):
    s = created(tmp_path, io, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert io.calls == []
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_address_change_is_one_put(io, ca, tmp_path):
    s = created(tmp_path, io, ca)
    zid = io.io.zone_id("example.com")
    rid = io.io.find(NAME, "A")[0]["id"]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert [(c.method, c.path) for c in io.calls] == \
        [("PUT", "/dns/v1/zones/%s/records/%s" % (zid, rid))]
    assert io.calls[0].json() == {"content": IP2}
    assert io.io.records[rid]["content"] == IP2
    assert io.io.records[rid]["ttl"] == 3600
    assert s.entry()["address"] == IP2
    assert s.entry()["record_id"] == "%s/%s" % (zid, rid)


def test_record_deleted_by_hand(io, ca, tmp_path):
    s = created(tmp_path, io, ca)
    io.io.delete_record(io.io.find(NAME, "A")[0]["id"])
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [c.method for c in io.calls] == ["PUT", "GET", "GET", "POST"]
    recs = io.io.find(NAME, "A")
    assert len(recs) == 1 and recs[0]["content"] == IP2
    assert s.entry()["record_id"].endswith("/" + recs[0]["id"])


def test_force_with_state_hit_verifies(io, ca, tmp_path):
    s = created(tmp_path, io, ca, zone="example.com")
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert writes(io) == []
    assert [c.method for c in io.calls] == ["GET", "GET"]
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_existing_record_updated_keeping_ttl(io, ca, tmp_path):
    rid = io.io.add_record(NAME, "A", "198.51.100.1", ttl=120)
    s = Setup(tmp_path, ca, [record(io)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert [c.json() for c in writes(io)] == [{"content": IP1, "ttl": 120}]
    assert io.io.records[rid]["ttl"] == 120
    assert s.entry()["record_id"].endswith("/" + rid)


def test_existing_current_record_not_written(io, ca, tmp_path):
    rid = io.io.add_record(NAME, "A", IP1, ttl=120)
    s = Setup(tmp_path, ca, [record(io)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert writes(io) == []
    assert r.out == "%s A %s current\n" % (NAME, IP1)
    assert s.entry()["record_id"].endswith("/" + rid)


def test_configured_ttl_applied(io, ca, tmp_path):
    rid = io.io.add_record(NAME, "A", IP1, ttl=120)
    s = Setup(tmp_path, ca, [record(io, ttl=300)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert [c.json() for c in writes(io)] == [{"content": IP1, "ttl": 300}]
    assert io.io.records[rid]["ttl"] == 300


def test_apex_and_aaaa(io, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(io, "example.com", zone="example.com",
                                    types=["AAAA"], ttl=300)])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    assert io.calls[1].query == {"recordName": ["example.com"],
                                 "recordType": ["AAAA"]}
    assert [c.json() for c in writes(io)] == [
        [{"name": "example.com", "type": "AAAA", "content": "2001:db8::7",
          "ttl": 300, "disabled": False}]]
    recs = io.io.find("example.com", "AAAA")
    assert len(recs) == 1 and recs[0]["content"] == "2001:db8::7"
    del io.calls[:]
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0 and io.calls == [], r


def test_zone_list_asked_once_per_run(servers, ca, tmp_path):
    srv = mock_ionos.start(servers, tls=ca,
                           zones=("example.com", "sub.example.com",
                                  "example.org"))
    s = Setup(tmp_path, ca, [record(srv), record(srv, "nas.example.com"),
                             record(srv, "a.sub.example.com"),
                             record(srv, "b.example.org")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert [c.path for c in srv.calls].count("/dns/v1/zones") == 1
    assert srv.io.find("a.sub.example.com")[0]["rootName"] == \
        "sub.example.com"
    assert len(writes(srv)) == 4


def test_prefix_and_secret_apart_from_env_and_file(io, ca, tmp_path):
    path = tmp_path / "ionos.secret"
    path.write_text(SECRET + "\n")
    path.chmod(0o600)
    r = record(io, prefix={"env": "IONOS_TEST_PREFIX"},
               secret={"file": str(path)})
    del r["api_key"]
    s = Setup(tmp_path, ca, [r])
    res = s.run("--ip", IP1, env={"IONOS_TEST_PREFIX": PUBLIC})
    assert res.code == 0, res
    assert all(c.headers["X-API-Key"] == API_KEY for c in io.calls)


@pytest.mark.parametrize("keys,why", [
    ({"api_key": SECRET}, "api_key is not \"<public prefix>.<secret>\""),
    ({"api_key": API_KEY, "prefix": PUBLIC},
     "set api_key, or prefix and secret, not both"),
    ({"prefix": PUBLIC}, "secret is missing: set api_key"),
    ({"secret": SECRET}, "prefix is missing: set api_key"),
    ({}, "no key: set api_key"),
    ({"prefix": PUBLIC + ".x", "secret": SECRET}, "prefix or secret is"),
])
def test_bad_keys_are_config_errors(io, ca, tmp_path, keys, why):
    r = record(io)
    del r["api_key"]
    r.update(keys)
    s = Setup(tmp_path, ca, [r])
    res = s.run("--check-config")
    assert res.code == 78, res
    assert why in res.err
    assert SECRET not in res.out + res.err
    res = s.run("--ip", IP1)
    assert res.code == 78 and io.calls == [], res


# ---- refusals and failures ----------------------------------------------

def test_wrong_key(io, ca, tmp_path):
    s = created(tmp_path, io, ca)
    io.io.api_key = PUBLIC + ".another"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("ionos: %s A: HTTP 401: UNAUTHORIZED: The customer is not "
            "authorized to do this operation. %s" % (NAME, HINT_401)) in r.err
    e = s.entry()
    assert e["address"] == IP1 and e["outcome"] == "auth"


def test_forbidden(servers, ca, tmp_path):
    srv = mock_ionos.start(servers, tls=ca, forbidden=True)
    s = Setup(tmp_path, ca, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert ("HTTP 403: FORBIDDEN_REQUEST: Request not allowed. (the key may "
            "not do this") in r.err


@pytest.mark.parametrize("retry_after,wait", [(120, 120), (None, 60)])
def test_throttled(io, ca, tmp_path, retry_after, wait):
    s = created(tmp_path, io, ca)
    io.io.throttle(count=1, retry_after=retry_after)
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 429 (no IONOS error in the reply)" in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5
    del io.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75 and io.calls == [], r


def test_server_error_is_temporary(io, ca, tmp_path):
    s = created(tmp_path, io, ca)
    io.io.fail_next(503)
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 503: INTERNAL_SERVER_ERROR" in r.err
    r = s.run("--ip", IP2)
    assert r.code == 0, r


def test_undocumented_status_is_protocol(io, ca, tmp_path):
    s = created(tmp_path, io, ca)
    io.io.fail_next(409, payload=[{"code": "CONFLICT", "message": "x"}])
    r = s.run("--ip", IP2)
    assert r.code == 76, r
    assert "HTTP 409: CONFLICT: x" in r.err


def test_zone_missing(io, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(io, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("ionos: home.example.net A: no IONOS zone for home.example.net "
            "(tried home.example.net, example.net; add the domain") in r.err
    assert [c.path for c in io.calls] == ["/dns/v1/zones"]
    assert s.entry(name="home.example.net")["hold"]


def test_configured_zone_missing(io, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(io, name="home.example.net",
                                    zone="example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "(tried example.net;" in r.err
    assert len(io.calls) == 1


def test_garbage_reply(io, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(io)])
    io.io.fail_next(200, payload="<html><body>Welcome to nginx!</body>"
                    "</html>", headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: not an IONOS API reply" in r.err
    assert writes(io) == []


def test_zone_list_not_an_array(io, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(io)])
    io.io.fail_next(200, payload={"zones": []})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "GET /zones: the reply is not an array of zones" in r.err


def test_reply_without_records_array(io, ca, tmp_path):
    s = created(tmp_path, io, ca)
    io.io.fail_next(200, payload={"id": "x", "name": "example.com"},
                    after=1)
    r = s.run("-f", "--ip", IP1)
    assert r.code == 76, r
    assert [c.method for c in io.calls] == ["GET", "GET"]
    assert "no \"records\" array in the zone reply" in r.err


def test_refused_ttl_is_config(io, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(io, ttl=10)])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "HTTP 400: INVALID_RECORD: Record is invalid." in r.err


@pytest.mark.parametrize("how", ["api_key", "apart"])
def test_key_never_printed(io, ca, tmp_path, how):
    if how == "api_key":
        rec = record(io, api_key={"env": "IONOS_TEST_KEY"})
        env = {"IONOS_TEST_KEY": API_KEY}
        bad = {"IONOS_TEST_KEY": PUBLIC + ".wrong" + SECRET}
    else:
        rec = record(io, prefix=PUBLIC, secret={"env": "IONOS_TEST_KEY"})
        del rec["api_key"]
        env = {"IONOS_TEST_KEY": SECRET}
        bad = {"IONOS_TEST_KEY": "wrong" + SECRET}
    s = Setup(tmp_path, ca, [rec])
    r = s.run("-vv", "--ip", IP1, env=env)
    assert r.code == 0, r
    assert io.calls[0].headers["X-API-Key"] == API_KEY
    assert SECRET not in r.out and SECRET not in r.err
    assert "X-API-Key" in r.err
    r = s.run("-vv", "-f", "--ip", IP2, env=bad)
    assert r.code == 77, r
    assert SECRET not in r.out and SECRET not in r.err
    with open(s.state) as f:
        assert SECRET not in f.read()


def test_duplicates_update_first_and_warn(io, ca, tmp_path):
    first = io.io.add_record(NAME, "A", "198.51.100.1")
    second = io.io.add_record(NAME, "A", "198.51.100.2")
    s = Setup(tmp_path, ca, [record(io, zone="example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert "2 records of that name and type; updating %s only" % first \
        in r.err
    assert io.io.records[first]["content"] == IP1
    assert io.io.records[second]["content"] == "198.51.100.2"
