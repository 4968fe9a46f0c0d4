"""The real binary against the stateful Cloudflare mock, over HTTPS with the
test CA (and plain HTTP once). Addresses come from --ip so nothing probes."""
import json
import os
import time

import pytest

import harness
import mock_cloudflare
from mock_cloudflare import TOKEN

NAME = "home.example.com"
IP1, IP2, IP3 = "203.0.113.7", "203.0.113.8", "203.0.113.9"
WRITES = ("POST", "PATCH", "PUT", "DELETE")


@pytest.fixture(autouse=True)
def openapi_conformance():
    """Every request ddnsup made (and every reply of the mock) matched
    Cloudflare's OpenAPI document (mock_cloudflare.SPEC)."""
    mock_cloudflare.SPEC.take()
    yield
    assert mock_cloudflare.SPEC.take() == []


@pytest.fixture
def cf(servers, ca):
    return mock_cloudflare.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "cloudflare", "token": TOKEN,
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


# ---- create, then the state keeps us quiet ------------------------------

@pytest.mark.parametrize("scheme", ["https", "http"])
def test_create_when_missing(servers, ca, tmp_path, scheme):
    srv = mock_cloudflare.start(servers, tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    zid = srv.cf.zone_id("example.com")

    got = [(c.method, c.path, c.query) for c in srv.calls]
    assert got == [
        ("GET", "/client/v4/zones", {"name": [NAME]}),
        ("GET", "/client/v4/zones", {"name": ["example.com"]}),
        ("GET", "/client/v4/zones/%s/dns_records" % zid,
         {"type": ["A"], "name.exact": [NAME]}),
        ("POST", "/client/v4/zones/%s/dns_records" % zid, {}),
    ]
    for c in srv.calls:
        assert c.headers["Authorization"] == "Bearer " + TOKEN
        assert c.headers.get("X-Auth-Key") is None
    post = srv.calls[-1]
    assert post.headers["Content-Type"] == "application/json"
    assert post.json() == {"type": "A", "name": NAME, "content": IP1,
                           "ttl": 1, "proxied": False}

    recs = srv.cf.find(NAME, "A")
    assert len(recs) == 1
    assert (recs[0]["content"], recs[0]["ttl"], recs[0]["proxied"]) == \
        (IP1, 1, False)
    e = s.entry()
    assert e["address"] == IP1
    assert e["record_id"] == "%s/%s" % (zid, recs[0]["id"])
    assert e["provider"] == "cloudflare"


def test_state_hit_makes_no_call(cf, ca, tmp_path):
    s = created(tmp_path, cf, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert cf.calls == []
    assert r.out == "%s A %s current\n" % (NAME, IP1)
    r = s.run("-u", "--ip", IP1)
    assert r.code == 2, r
    assert cf.calls == []


def test_address_change_is_one_patch(cf, ca, tmp_path):
    s = created(tmp_path, cf, ca)
    rid = cf.cf.find(NAME, "A")[0]["id"]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert len(cf.calls) == 1, cf.calls
    c = cf.calls[0]
    assert c.method == "PATCH"
    assert c.path == "/client/v4/zones/%s/dns_records/%s" % (
        cf.cf.zone_id("example.com"), rid)
    assert c.json() == {"content": IP2}
    assert cf.cf.records[rid]["content"] == IP2
    assert s.entry()["address"] == IP2
    # -u: something was pushed, so 0.
    r = s.run("-u", "--ip", IP3)
    assert r.code == 0, r


def test_record_deleted_by_hand(cf, ca, tmp_path):
    s = created(tmp_path, cf, ca)
    old = cf.cf.find(NAME, "A")[0]["id"]
    cf.cf.delete_record(old)
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [c.method for c in cf.calls] == \
        ["PATCH", "GET", "GET", "GET", "POST"]
    assert cf.calls[0].path.endswith("/dns_records/" + old)
    assert cf.calls[-1].json()["content"] == IP2
    recs = cf.cf.find(NAME, "A")
    assert len(recs) == 1 and recs[0]["content"] == IP2
    assert s.entry()["record_id"].endswith("/" + recs[0]["id"])
    assert recs[0]["id"] != old


def test_zone_gone_from_stored_id(cf, ca, tmp_path):
    """The stored zone id no longer resolves (zone re-added): look up."""
    s = created(tmp_path, cf, ca)
    rec = cf.cf.find(NAME, "A")[0]
    z = cf.cf.zones.pop(rec["zone_id"])
    nz = cf.cf.add_zone(z["name"])
    rec["zone_id"] = nz
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [c.method for c in cf.calls] == \
        ["PATCH", "GET", "GET", "GET", "PATCH"]
    assert s.entry()["record_id"] == "%s/%s" % (nz, rec["id"])


def test_force_with_state_hit_verifies(cf, ca, tmp_path):
    s = created(tmp_path, cf, ca)
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert writes(cf) == []
    assert [c.method for c in cf.calls] == ["GET", "GET", "GET"]
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_force_finds_current_record_without_state(cf, ca, tmp_path):
    """No state (lost state file): GET, compare, no write."""
    cf.cf.add_record(NAME, "A", IP1)
    s = Setup(tmp_path, ca, [record(cf)])
    r = s.run("-f", "-u", "--ip", IP1)
    assert r.code == 2, r
    assert writes(cf) == []
    assert r.out == "%s A %s current\n" % (NAME, IP1)
    assert s.entry()["record_id"].endswith("/" + cf.cf.find(NAME)[0]["id"])


# ---- refusals and failures ----------------------------------------------

def test_wrong_token(cf, ca, tmp_path):
    s = created(tmp_path, cf, ca)
    cf.cf.token = "another-token"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("cloudflare: %s A: HTTP 403: 9109 Invalid access token"
            % NAME) in r.err
    assert "failed" in r.out
    e = s.entry()
    assert e["address"] == IP1
    assert e["outcome"] == "auth"
    assert not e.get("hold")
    assert not e.get("backoff_until")
    # Not held: fixing the token (no config change) lets the next run push.
    cf.cf.token = TOKEN
    del cf.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert len(cf.calls) == 1
    assert s.entry()["address"] == IP2


def test_bad_token_on_lookup(cf, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(cf, token="wrong-token")])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "HTTP 403: 9109 Invalid access token" in r.err
    assert len(cf.calls) == 1


@pytest.mark.parametrize("retry_after,wait", [(120, 120), (None, 60)])
def test_throttled(cf, ca, tmp_path, retry_after, wait):
    s = created(tmp_path, cf, ca)
    cf.cf.throttle(count=1, retry_after=retry_after)
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 429: 971" in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5
    # The next run stays away and says until when.
    del cf.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert cf.calls == []
    assert r.out == "%s A %s skipped (tempfail)\n" % (NAME, IP2)
    # It says until when (the wording is the driver's).
    assert time.strftime("%Y-%m-%dT%H:%M:%SZ",
                         time.gmtime(e["backoff_until"])) in r.err
    # --force ignores the back-off.
    r = s.run("-f", "--ip", IP2)
    assert r.code == 0, r


def test_server_error_is_temporary(cf, ca, tmp_path):
    s = created(tmp_path, cf, ca)
    cf.cf.fail_next(500)
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 500: 10002 An unknown error has occurred" in r.err
    assert s.entry()["address"] == IP1
    # No back-off without Retry-After: the next run tries again.
    r = s.run("--ip", IP2)
    assert r.code == 0, r


def test_transport_failure_is_temporary(ca, tmp_path):
    s = Setup(tmp_path, ca, [{"name": NAME, "provider": "cloudflare",
                              "token": TOKEN,
                              "endpoint": "https://127.0.0.1:9/client/v4"}])
    r = s.run("--ip", IP1)
    assert r.code == 75, r
    assert "cloudflare: %s A:" % NAME in r.err


def test_zone_missing(cf, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(cf, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("no Cloudflare zone for home.example.net (tried "
            "home.example.net, example.net)") in r.err
    assert [c.query["name"] for c in cf.calls] == \
        [["home.example.net"], ["example.net"]]


def test_configured_zone_missing(cf, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(cf, name="home.example.net",
                                    zone="example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "(tried example.net)" in r.err
    assert len(cf.calls) == 1


def test_garbage_reply(cf, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(cf)])
    cf.cf.fail_next(200, payload="<html><body>Welcome to nginx!</body>"
                    "</html>", headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: not a Cloudflare API reply" in r.err
    assert writes(cf) == []


def test_success_false_with_200(cf, ca, tmp_path):
    s = created(tmp_path, cf, ca)
    cf.cf.fail_next(200, payload={"success": False, "errors": [
        {"code": 1000, "message": "odd"}], "messages": [], "result": None})
    r = s.run("--ip", IP2)
    assert r.code == 76, r
    assert "HTTP 200: 1000 odd" in r.err


def test_refused_ttl_is_config(cf, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(cf, ttl=10)])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "HTTP 400: 9021 Invalid TTL" in r.err
    assert cf.cf.find(NAME) == []
    # Cloudflare's document refuses it too (the mock's rule answered).
    assert mock_cloudflare.SPEC.take() == [
        "POST /zones/{zone_id}/dns_records: body.ttl: 10 is not valid under "
        "any of the given schemas (body.ttl: 10 is less than the minimum of "
        "30; body.ttl: 10 is not one of [1])"]


@pytest.mark.parametrize("method,path,body,violation", [
    ("POST", "", {"type": "A", "name": NAME, "content": IP1, "proxy": True},
     "POST /zones/{zone_id}/dns_records: body.proxy: not a documented "
     "member of the body"),
    ("POST", "", {"type": "A", "name": NAME, "content": IP1, "tags": "x"},
     "POST /zones/{zone_id}/dns_records: body.tags: 'x' is not of type "
     "'array'"),
    ("PATCH", "/REC", {"content": IP2, "tags": ["a:b", 1]},
     "PATCH /zones/{zone_id}/dns_records/{dns_record_id}: body.tags[1]: 1 "
     "is not of type 'string'"),
    ("GET", "?type=A&per_page=0", None,
     "GET /zones/{zone_id}/dns_records: query parameter per_page: 0 is "
     "less than the minimum of 1"),
    ("GET", "?type=A&name.exakt=" + NAME, None,
     "GET /zones/{zone_id}/dns_records: query parameter name.exakt is not "
     "documented"),
])
def test_openapi_refuses_drift(servers, method, path, body, violation):
    """A request the document refuses is answered 400 (9207) and recorded,
    even where the mock's own rules would let it through."""
    import urllib.error
    import urllib.request
    srv = mock_cloudflare.start(servers)
    rid = srv.cf.add_record(NAME, "A", IP1)
    url = "%s/zones/%s/dns_records%s" % (
        srv.endpoint, srv.cf.zone_id("example.com"),
        path.replace("/REC", "/" + rid))
    req = urllib.request.Request(
        url, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": "Bearer " + TOKEN,
                 "Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=10)
    assert e.value.code == 400
    doc = json.load(e.value)
    assert doc["success"] is False and doc["result"] is None
    assert doc["errors"][0]["code"] == 9207
    assert doc["errors"][0]["error_chain"] == [
        {"code": 9207, "message": violation}]
    assert mock_cloudflare.SPEC.take() == [violation]
    assert srv.cf.records[rid]["content"] == IP1


# ---- what an update keeps ------------------------------------------------

@pytest.mark.parametrize("existing", [
    {"proxied": True, "ttl": 1, "comment": "set by hand"},
    {"proxied": False, "ttl": 120, "comment": None},
])
def test_update_keeps_existing_fields(cf, ca, tmp_path, existing):
    rid = cf.cf.add_record(NAME, "A", "198.51.100.1", **existing)
    s = Setup(tmp_path, ca, [record(cf)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    patch = calls(cf, "PATCH")
    assert len(patch) == 1 and patch[0].json() == {"content": IP1}
    assert patch[0].path.endswith("/" + rid)
    rec = cf.cf.records[rid]
    assert rec["content"] == IP1
    for k, v in existing.items():
        assert rec[k] == v
    # And the one-call PATCH of the next change keeps them too.
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert calls(cf, "PATCH")[-1].json() == {"content": IP2}
    for k, v in existing.items():
        assert cf.cf.records[rid][k] == v


def test_configured_fields_applied(cf, ca, tmp_path):
    rid = cf.cf.add_record(NAME, "A", IP1, ttl=120, proxied=True)
    s = Setup(tmp_path, ca, [record(cf, ttl=300, proxied=False,
                                    comment="ddnsup")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert calls(cf, "PATCH")[0].json() == \
        {"proxied": False, "ttl": 300, "comment": "ddnsup"}
    rec = cf.cf.records[rid]
    assert (rec["proxied"], rec["ttl"], rec["comment"]) == \
        (False, 300, "ddnsup")


def test_create_with_configured_fields(cf, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(cf, ttl=300, proxied=True,
                                    comment="ddnsup", types=["AAAA"])])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    assert calls(cf, "POST")[0].json() == {
        "type": "AAAA", "name": NAME, "content": "2001:db8::7", "ttl": 300,
        "proxied": True, "comment": "ddnsup"}
    assert calls(cf, "GET", "/dns_records")[0].query["type"] == ["AAAA"]
    assert s.entry(type="AAAA")["address"] == "2001:db8::7"


def test_duplicates_update_first_and_warn(cf, ca, tmp_path):
    first = cf.cf.add_record(NAME, "A", "198.51.100.1")
    second = cf.cf.add_record(NAME, "A", "198.51.100.2")
    s = Setup(tmp_path, ca, [record(cf)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert "2 records of that name and type; updating %s only" % first \
        in r.err
    assert cf.cf.records[first]["content"] == IP1
    assert cf.cf.records[second]["content"] == "198.51.100.2"


# ---- zone lookups ---------------------------------------------------------

def test_two_records_one_zone_lookup(cf, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(cf, zone="example.com"),
                             record(cf, "nas.example.com", zone="example.com",
                                    types=["A", "AAAA"])])
    r = s.run("--ip", IP1, "--ip", "2001:db8::1")
    assert r.code == 0, r
    assert len(calls(cf, "GET", "/zones")) == 1
    assert len(calls(cf, "POST")) == 3
    assert len(cf.cf.find("nas.example.com")) == 2


def test_walk_up_is_cached(cf, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(cf), record(cf, "nas.example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    asked = [c.query["name"][0] for c in calls(cf, "GET", "/zones")]
    assert sorted(asked) == ["example.com", NAME, "nas.example.com"]


def test_zone_id_configured_skips_lookup(cf, ca, tmp_path):
    zid = cf.cf.zone_id("example.com")
    s = Setup(tmp_path, ca, [record(cf, zone_id=zid)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert calls(cf, "GET", "/zones") == []
    assert [c.method for c in cf.calls] == ["GET", "POST"]


# ---- dry run, credentials ------------------------------------------------

def test_dry_run(cf, ca, tmp_path):
    cf.cf.add_record(NAME, "A", "198.51.100.1")
    s = Setup(tmp_path, ca, [record(cf)])
    r = s.run("-n", "--ip", IP1)
    assert r.code == 0, r
    assert "would-update" in r.out
    assert writes(cf) == []
    assert not os.path.exists(s.state)
    assert cf.cf.find(NAME)[0]["content"] == "198.51.100.1"


def test_token_from_env_never_printed(cf, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(cf, token={"env": "CF_TEST_TOKEN"})])
    env = {"CF_TEST_TOKEN": TOKEN}
    r = s.run("-vv", "--ip", IP1, env=env)
    assert r.code == 0, r
    assert cf.calls[0].headers["Authorization"] == "Bearer " + TOKEN
    assert TOKEN not in r.out and TOKEN not in r.err
    assert "Authorization" in r.err        # the dump is there, redacted
    # A refused token is still a secret.
    env = {"CF_TEST_TOKEN": "refused-" + TOKEN}
    r = s.run("-vv", "-f", "--ip", IP2, env=env)
    assert r.code == 77, r
    assert TOKEN not in r.out and TOKEN not in r.err
    with open(s.state) as f:
        assert TOKEN not in f.read()


def test_legacy_global_key(servers, ca, tmp_path):
    srv = mock_cloudflare.start(servers, tls=ca, token=None,
                                email="me@example.com", api_key="0123abcd")
    r = record(srv, email="me@example.com", api_key="0123abcd")
    del r["token"]
    s = Setup(tmp_path, ca, [r])
    res = s.run("-vv", "--ip", IP1)
    assert res.code == 0, res
    for c in srv.calls:
        assert c.headers["X-Auth-Email"] == "me@example.com"
        assert c.headers["X-Auth-Key"] == "0123abcd"
        assert c.headers.get("Authorization") is None
    assert "0123abcd" not in res.err
    assert srv.cf.find(NAME)[0]["content"] == IP1


def test_no_credentials(cf, ca, tmp_path):
    r = record(cf)
    del r["token"]
    s = Setup(tmp_path, ca, [r])
    res = s.run("--ip", IP1)
    assert res.code == 78, res
    assert "records[0]" in res.err and "needs \"token\"" in res.err, res
    assert cf.calls == []
    # Caught before any traffic, so --check-config reports it too.
    assert s.run("--check-config").code == 78


def test_openapi_checks_the_mocks_replies(servers):
    """The mock's own replies are checked too: a record the mock holds in
    a shape Cloudflare does not document is recorded when served."""
    import urllib.request
    srv = mock_cloudflare.start(servers)
    rid = srv.cf.add_record(NAME, "A", IP1)
    srv.cf.records[rid]["ttl"] = "auto"
    req = urllib.request.Request(
        "%s/zones/%s/dns_records/%s" % (
            srv.endpoint, srv.cf.zone_id("example.com"), rid),
        headers={"Authorization": "Bearer " + TOKEN})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200
    head = ("GET /zones/{zone_id}/dns_records/{dns_record_id}: reply 200: "
            "body.result.ttl: ")
    assert mock_cloudflare.SPEC.take() == [
        head + "'auto' is not valid under any of the given schemas "
        "(body.result.ttl: 'auto' is not of type 'number'; body.result.ttl: "
        "'auto' is not one of [1])",
        head + "'auto' is not of type 'number'"]
