"""The real binary against the stateful Baidu AI Cloud DNS mock, which
recomputes every bce-auth-v1 signature on its own. HTTPS with the test CA,
plain HTTP once. Addresses come from --ip."""
import json
import time

import pytest

import harness
import mock_baiducloud
from mock_baiducloud import AKID, SECRET

NAME = "home.example.com"
IP1, IP2, IP3 = "203.0.113.7", "203.0.113.8", "203.0.113.9"


@pytest.fixture
def bd(servers, ca):
    return mock_baiducloud.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "baiducloud", "access_key_id": AKID,
         "secret_access_key": SECRET, "endpoint": srv.endpoint}
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


def ops(srv):
    return [o[0] for o in srv.bd.ops]


def writes(srv):
    return [o for o in srv.bd.ops if o[0] in ("create", "update")]


def created(tmp_path, srv, ca, ip=IP1, **kw):
    """A setup whose record was created by a first run; calls cleared."""
    s = Setup(tmp_path, ca, [record(srv, **kw)])
    r = s.run("--ip", ip)
    assert r.code == 0, r
    del srv.calls[:]
    del srv.bd.ops[:]
    return s


# ---- create, update, no change ------------------------------------------

@pytest.mark.parametrize("scheme", ["https", "http"])
def test_create_when_missing(servers, ca, tmp_path, scheme):
    srv = mock_baiducloud.start(servers,
                                tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    assert [(o[0], o[1], o[2]) for o in srv.bd.ops] == [
        ("list", "example.com", None), ("create", "example.com", None),
        ("list", "example.com", None)]
    assert srv.bd.ops[0][3] == {"rr": "home"}
    assert srv.bd.ops[1][4] == {"rr": "home", "type": "A", "value": IP1,
                                "line": "default"}
    get, post = srv.calls[0], srv.calls[1]
    assert (get.method, get.body) == ("GET", b"")
    assert get.headers.get("Content-Type") is None
    assert get.headers["Authorization"].startswith(
        "bce-auth-v1/%s/" % AKID)
    assert "/1800/host;x-bce-date/" in get.headers["Authorization"]
    assert post.method == "POST"
    assert post.headers["Content-Type"] == "application/json; charset=utf-8"
    assert "/1800/content-type;host;x-bce-date/" in \
        post.headers["Authorization"]
    assert len(post.query["clientToken"][0]) == 32
    rec = srv.bd.find("example.com", "home", "A")
    assert len(rec) == 1
    assert (rec[0]["value"], rec[0]["ttl"], rec[0]["line"]) == \
        (IP1, 300, "default")
    e = s.entry()
    assert e["address"] == IP1
    assert e["record_id"] == rec[0]["id"]


def test_state_hit_makes_no_call(bd, ca, tmp_path):
    s = created(tmp_path, bd, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert bd.calls == []
    assert r.out == "%s A %s current\n" % (NAME, IP1)
    r = s.run("-u", "--ip", IP1)
    assert r.code == 2, r
    assert bd.calls == []


def test_address_change_is_one_update(bd, ca, tmp_path):
    s = created(tmp_path, bd, ca)
    rid = bd.bd.find("example.com", "home", "A")[0]["id"]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert [(o[0], o[2], o[4]) for o in bd.bd.ops] == [
        ("update", rid, {"rr": "home", "type": "A", "value": IP2})]
    assert bd.calls[0].method == "PUT"
    assert bd.calls[0].path == "/v1/dns/zone/example.com/record/" + rid
    assert bd.bd.records[rid]["value"] == IP2
    assert s.entry()["address"] == IP2
    assert s.entry()["record_id"] == rid


def test_force_with_state_hit_verifies(bd, ca, tmp_path):
    s = created(tmp_path, bd, ca)
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert ops(bd) == ["list"]
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_existing_record_keeps_ttl_and_line(bd, ca, tmp_path):
    """No state: look up, update the default line's record only, keep its
    TTL; the China Telecom line's record is left alone."""
    other = bd.bd.add_record("example.com", "home", "A", "198.51.100.9",
                             line="ct")
    rid = bd.bd.add_record("example.com", "home", "A", "198.51.100.1",
                           ttl=600)
    s = Setup(tmp_path, ca, [record(bd)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert [(o[0], o[2], o[4]) for o in writes(bd)] == [
        ("update", rid, {"rr": "home", "type": "A", "value": IP1,
                         "ttl": 600})]
    assert bd.bd.records[rid]["value"] == IP1
    assert bd.bd.records[other]["value"] == "198.51.100.9"
    assert s.entry()["record_id"] == rid


def test_configured_ttl(bd, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(bd, ttl=900)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert writes(bd)[0][4]["ttl"] == 900
    assert bd.bd.find("example.com", "home", "A")[0]["ttl"] == 900


def test_paged_list(servers, ca, tmp_path):
    """The record is on the list's third page: markers are followed."""
    srv = mock_baiducloud.start(servers, tls=ca, page=1)
    srv.bd.add_record("example.com", "home", "AAAA", "2001:db8::1")
    srv.bd.add_record("example.com", "home", "A", "198.51.100.9", line="ct")
    rid = srv.bd.add_record("example.com", "home", "A", "198.51.100.1")
    s = Setup(tmp_path, ca, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert [(o[0], o[3].get("marker")) for o in srv.bd.ops] == [
        ("list", None), ("list", srv.bd.ops[1][3]["marker"]),
        ("list", rid), ("update", None)]
    assert srv.bd.records[rid]["value"] == IP1


def test_record_deleted_by_hand(bd, ca, tmp_path):
    s = created(tmp_path, bd, ca)
    old = bd.bd.find("example.com", "home", "A")[0]["id"]
    del bd.bd.records[old]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert ops(bd) == ["update", "list", "create", "list"]
    new = bd.bd.find("example.com", "home", "A")[0]
    assert new["value"] == IP2 and new["id"] != old
    assert s.entry()["record_id"] == new["id"]


def test_create_duplicate_is_current(bd, ca, tmp_path):
    """Someone created it between our list and our create: the vendor's
    "already exists" counts as current, and the id is still learned."""
    s = Setup(tmp_path, ca, [record(bd)])
    bd.bd.fail_op("create", 409, "RecordAlreadyExists",
                  "The record already exists.")
    orig, lists = bd.bd.do_list, []

    def do_list(*a):
        # The racing creator's record shows from the second list on.
        lists.append(1)
        if len(lists) == 2:
            bd.bd._add("example.com", "home", "A", IP1, 300, "default")
        return orig(*a)
    bd.bd.do_list = do_list
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s current\n" % (NAME, IP1)
    assert ops(bd) == ["list", "create", "list"]
    rec = bd.bd.find("example.com", "home", "A")
    assert len(rec) == 1
    assert s.entry()["record_id"] == rec[0]["id"]


def test_apex(bd, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(bd, name="example.com",
                                    types=["A", "AAAA"])])
    r = s.run("--ip", IP1, "--ip", "2001:db8::7")
    assert r.code == 0, r
    assert [(o[0], o[3].get("rr"), (o[4] or {}).get("rr")) for o in
            bd.bd.ops] == [("list", "@", None), ("create", None, "@"),
                           ("list", "@", None)] * 2
    assert bd.bd.find("example.com", "@", "A")[0]["value"] == IP1
    assert bd.bd.find("example.com", "@", "AAAA")[0]["value"] == \
        "2001:db8::7"
    del bd.bd.ops[:]
    r = s.run("--ip", IP2, "--ip", "2001:db8::8")
    assert r.code == 0, r
    assert [(o[0], o[4]["rr"]) for o in bd.bd.ops] == [("update", "@")] * 2


def test_chinese_line_and_wildcard(bd, ca, tmp_path):
    """A non-ASCII line and a '*' name go through the signer."""
    s = Setup(tmp_path, ca, [record(bd, name="*.example.com", line="电信",
                                    zone="example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    rec = bd.bd.find("example.com", "*", "A")
    assert len(rec) == 1 and rec[0]["line"] == "电信"
    assert bd.calls[0].query["rr"] == ["*"]
    assert "rr=%2A" in bd.bd.canon[0]
    del bd.bd.ops[:]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert bd.bd.ops[0][0] == "update"
    assert bd.bd.records[rec[0]["id"]]["value"] == IP2
    assert bd.bd.records[rec[0]["id"]]["line"] == "电信"


def test_configured_zone(servers, ca, tmp_path):
    srv = mock_baiducloud.start(servers, tls=ca, zones=("example.com.cn",))
    s = Setup(tmp_path, ca, [record(srv, name="a.b.example.com.cn",
                                    zone="example.com.cn")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert srv.bd.ops[1][4]["rr"] == "a.b"
    assert srv.calls[1].path == "/v1/dns/zone/example.com.cn/record"
    assert srv.bd.find("example.com.cn", "a.b", "A")[0]["value"] == IP1


# ---- refusals and failures ------------------------------------------------

def test_wrong_secret(bd, ca, tmp_path):
    s = created(tmp_path, bd, ca)
    bd.bd.secret = "another-secret"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("baiducloud: %s A: HTTP 400: SignatureDoesNotMatch: The request "
            "signature we calculated does not match the signature you "
            "provided." % NAME) in r.err
    assert "wrong or mistyped" in r.err
    assert "failed" in r.out
    e = s.entry()
    assert e["address"] == IP1 and e["outcome"] == "auth"
    # Not held: the key fixed, the next run pushes.
    bd.bd.secret = SECRET
    r = s.run("--ip", IP2)
    assert r.code == 0, r


def test_unknown_key_id(bd, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(bd, access_key_id="ALTAKnobody")])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "HTTP 403: InvalidAccessKeyId" in r.err
    assert "check access_key_id" in r.err


def test_missing_permission(bd, ca, tmp_path):
    bd.bd.denied.add("create")
    s = Setup(tmp_path, ca, [record(bd)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "HTTP 403: AccessDenied: Access denied." in r.err
    assert "DNS management or operations system policy" in r.err


@pytest.mark.parametrize("retry_after,wait", [(None, 60), (120, 120)])
def test_throttled(bd, ca, tmp_path, retry_after, wait):
    s = created(tmp_path, bd, ca)
    bd.bd.throttle(headers=None if retry_after is None else
                   {"Retry-After": str(retry_after)})
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 429: RequestLimitExceeded" in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5
    del bd.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert bd.calls == []
    r = s.run("-f", "--ip", IP2)
    assert r.code == 0, r


def test_server_error_is_temporary(bd, ca, tmp_path):
    bd.bd.fail_next(500)
    s = Setup(tmp_path, ca, [record(bd)])
    r = s.run("--ip", IP1)
    assert r.code == 75, r
    assert "HTTP 500: InternalError" in r.err


def test_zone_not_in_account(bd, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(bd, name="home.example.org")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "NoSuchZone" in r.err
    assert "not in this Baidu AI Cloud account" in r.err
    assert writes(bd) == []


def test_zone_404_without_known_code(bd, ca, tmp_path):
    """A 404 from the zone's list with a code we do not know (the real
    one is not documented) still says: zone not in this account."""
    bd.bd.fail_next(404, payload={"requestId": "r", "code": "ZoneGone",
                                  "message": "no such zone"})
    s = Setup(tmp_path, ca, [record(bd)])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "HTTP 404: ZoneGone: no such zone" in r.err
    assert "not in this Baidu AI Cloud account" in r.err


@pytest.mark.parametrize("payload", ["<html>oops</html>", "[1,2]",
                                     "{\"zones\":[]}"])
def test_garbage_reply(bd, ca, tmp_path, payload):
    bd.bd.fail_next(200, payload=payload)
    s = Setup(tmp_path, ca, [record(bd)])
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "baiducloud: %s A: HTTP 200:" % NAME in r.err
    assert writes(bd) == []


def test_secret_never_printed(bd, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(bd)])
    r = s.run("-vv", "--ip", IP1)
    assert r.code == 0, r
    assert "Authorization" in r.err or "authorization" in r.err
    assert SECRET not in r.out + r.err
    bd.bd.secret = "another-secret"
    r = s.run("-vv", "-f", "--ip", IP2)
    assert r.code == 77, r
    assert SECRET not in r.out + r.err


def test_secret_from_env(bd, ca, tmp_path):
    rec = record(bd)
    rec["secret_access_key"] = {"env": "BD_SK"}
    s = Setup(tmp_path, ca, [rec])
    r = s.run("--ip", IP1, env={"BD_SK": SECRET})
    assert r.code == 0, r


def test_check_config(bd, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(bd, endpoint="ftp://x")])
    r = s.run("--check-config")
    assert r.code == 78, r
    assert "baiducloud: endpoint \"ftp://x\" is not https://host[:port]" \
        in r.err
    s = Setup(tmp_path, ca, [record(bd, name="localhost")])
    r = s.run("--check-config")
    assert r.code == 78, r
    assert "has no zone" in r.err
    s = Setup(tmp_path, ca, [record(bd)])
    r = s.run("--check-config")
    assert r.code == 0, r
    assert bd.calls == []


def test_mock_checks_the_published_example():
    """The mock's own verifier accepts Baidu's published example (empty
    signedHeaders: the defaults) and refuses it with another secret."""
    import datetime
    import email.message
    from unittest import mock

    class Call:
        method = "PUT"
        path = "/v1/test/myfolder/readme.txt"
        body = b""
    h = email.message.Message()
    for k, v in (("Host", "bj.bcebos.com"), ("Date", "Mon, 27 Apr 2015 "
                 "16:23:49 +0800"), ("Content-Type", "text/plain"),
                 ("Content-Length", "8"),
                 ("Content-Md5", "NFzcPqhviddjRNnSOGo4rw=="),
                 ("x-bce-date", "2015-04-27T08:23:49Z"),
                 ("Authorization", "bce-auth-v1/%s/2015-04-27T08:23:49Z/"
                  "1800//d74a04362e6a848f5b39b15421cb449427f419c95a480fd6b8c"
                  "f9fc783e2999e" % ("a" * 32))):
        h[k] = v
    Call.headers = h

    class Then(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return datetime.datetime(2015, 4, 27, 8, 30)
    q = "partNumber=9&uploadId=a44cc9bab11cbd156984767aad637851"
    st = mock_baiducloud.BaiduState(akid="a" * 32, secret="b" * 32)
    with mock.patch.object(mock_baiducloud.datetime, "datetime", Then):
        st._verify(Call, q)
        st.secret = "c" * 32
        with pytest.raises(mock_baiducloud.ApiError) as e:
            st._verify(Call, q)
    assert e.value.code == "SignatureDoesNotMatch"
