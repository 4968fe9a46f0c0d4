"""The real binary against the stateful Route 53 mock (SigV4 checked by the
mock's own implementation), over HTTPS with the test CA. Addresses come
from --ip so nothing probes."""
import json
import os
import time

import pytest

import harness
import mock_route53
from mock_route53 import ACCESS_KEY, SECRET

NAME = "home.example.com"
IP1, IP2, IP3 = "203.0.113.7", "203.0.113.8", "203.0.113.9"
V6 = "2001:db8::7"
TOKEN = "FwoGZXIvYXdzEXAMPLEsessionTOKEN/abc+def=="


@pytest.fixture
def r53(servers, ca):
    return mock_route53.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "route53", "access_key_id": ACCESS_KEY,
         "secret_access_key": SECRET, "endpoint": srv.endpoint}
    r.update(kw)
    return r


class Setup:
    """A config file and state path in tmp_path; run() drives ddnsup."""

    def __init__(self, tmp_path, ca, recs):
        cfg = {"records": recs, "cafile": ca.ca}
        self.config = harness.write_config(str(tmp_path / "ddnsup.json"), cfg)
        self.state = str(tmp_path / "state.json")

    def run(self, *args, env=None):
        return harness.run(["-c", self.config, "--state", self.state] +
                           list(args), env=env)

    def entry(self, name=NAME, type="A"):
        with open(self.state) as f:
            e = [r for r in json.load(f)["records"]
                 if r["name"] == name and r["type"] == type]
        assert len(e) == 1
        return e[0]


def ops(srv):
    """The calls as (method, operation) pairs."""
    out = []
    for c in srv.calls:
        p = c.path
        op = ("zones" if p.endswith("/hostedzonesbyname") else
              "change" if "/change/" in p else
              "list" if c.method == "GET" else "upsert")
        out.append(op)
    return out


# ---- create, update, unchanged, --force --------------------------------

def test_create_then_state_keeps_quiet(r53, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(r53)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out.strip() == "%s A %s updated" % (NAME, IP1)
    assert ops(r53) == ["zones", "zones", "list", "upsert"]
    got = r53.r53.get(NAME, "A")
    assert got == {"ttl": 300, "values": [IP1]}
    # The batch is the documented shape, namespace and all.
    assert ('<Action>UPSERT</Action><ResourceRecordSet><Name>'
            'home.example.com.</Name><Type>A</Type><TTL>300</TTL>'
            ) in r53.r53.bodies[0]
    # The zone was looked up by the full name first, then its parent.
    z = [c for c in r53.calls if c.path.endswith("hostedzonesbyname")]
    assert [c.query["dnsname"] for c in z] == [["home.example.com."],
                                               ["example.com."]]
    assert s.entry()["record_id"] == r53.r53.zone_id("example.com")
    del r53.calls[:]
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r53.calls == []


def test_update_keeps_ttl_and_uses_stored_zone(r53, ca, tmp_path):
    r53.r53.add_record(NAME, "A", ["198.51.100.1"], ttl=120)
    s = Setup(tmp_path, ca, [record(r53)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r53.r53.get(NAME, "A") == {"ttl": 120, "values": [IP1]}
    del r53.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert "updated (was %s)" % IP1 in r.out
    # The state's zone id saves the lookup.
    assert ops(r53) == ["list", "upsert"]
    assert r53.r53.get(NAME, "A") == {"ttl": 120, "values": [IP2]}


def test_stale_zone_id_in_state_falls_back_to_lookup(r53, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(r53)])
    assert s.run("--ip", IP1).code == 0
    old = r53.r53.zone_id("example.com")
    with r53.r53.lock:          # the zone deleted and made again
        del r53.r53.zones[old]
    new = r53.r53.add_zone("example.com")
    del r53.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert ops(r53) == ["list", "zones", "zones", "list", "upsert"]
    assert r53.r53.get(NAME, "A")["values"] == [IP2]
    assert s.entry()["record_id"] == new


def test_zone_id_in_state_denied_falls_back_to_lookup(r53, ca, tmp_path):
    """Keys of another account now: the stored zone is not theirs."""
    s = Setup(tmp_path, ca, [record(r53)])
    assert s.run("--ip", IP1).code == 0
    r53.r53.fail_next(403, mock_route53.error(
        403, "AccessDenied", "User: arn:aws:iam::123456789012:user/ddns is "
        "not authorized to access this resource")[2])
    del r53.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert ops(r53) == ["list", "zones", "zones", "list", "upsert"]


def test_configured_ttl_is_applied(r53, ca, tmp_path):
    r53.r53.add_record(NAME, "A", [IP1], ttl=120)
    s = Setup(tmp_path, ca, [dict(record(r53), ttl=60)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r53.r53.get(NAME, "A") == {"ttl": 60, "values": [IP1]}


def test_unchanged_is_not_written(r53, ca, tmp_path):
    r53.r53.add_record(NAME, "A", [IP1], ttl=120)
    s = Setup(tmp_path, ca, [record(r53)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert "current" in r.out
    assert ops(r53) == ["zones", "zones", "list"]


def test_force_looks_but_does_not_write(r53, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(r53)])
    assert s.run("--ip", IP1).code == 0
    del r53.calls[:]
    r = s.run("--ip", IP1, "--force")
    assert r.code == 0, r
    assert ops(r53) == ["list"]


def test_other_set_listed_first_is_not_ours(r53, ca, tmp_path):
    """The listing starts at our name: the next set must not be taken."""
    r53.r53.add_record("www.example.com", "A", ["198.51.100.9"], ttl=60)
    s = Setup(tmp_path, ca, [record(r53)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r53.r53.get(NAME, "A") == {"ttl": 300, "values": [IP1]}
    assert r53.r53.get("www.example.com", "A")["values"] == ["198.51.100.9"]


def test_wildcard_name(r53, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(r53, name="*.example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert "<Name>*.example.com.</Name>" in r53.r53.bodies[0]
    # No zone is asked for by the wildcard name itself.
    assert [c.query["dnsname"] for c in r53.calls
            if c.path.endswith("hostedzonesbyname")] == [["example.com."]]
    assert r53.r53.get("*.example.com", "A")["values"] == [IP1]
    # Listed back as \052.example.com.: recognised, so a forced run
    # finds it current and a new address is one UPSERT of the same set.
    del r53.calls[:]
    r = s.run("--ip", IP1, "--force")
    assert r.code == 0, r
    assert ops(r53) == ["list"]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r53.r53.get("*.example.com", "A")["values"] == [IP2]
    assert len([k for k in r53.r53.sets if k[2] == "A"]) == 1


def test_apex(r53, ca, tmp_path):
    """The zone's own name: its NS and SOA sets are listed after A."""
    s = Setup(tmp_path, ca, [record(r53, name="example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r53.r53.get("example.com", "A")["values"] == [IP1]
    assert r53.r53.get("example.com", "NS") is not None
    assert "<Name>example.com.</Name>" in r53.r53.bodies[0]


def test_configured_zone_is_the_only_lookup(r53, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(r53, zone="example.com.")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert [c.query["dnsname"] for c in r53.calls
            if c.path.endswith("hostedzonesbyname")] == [["example.com."]]


def test_one_zone_lookup_per_run(r53, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(r53), record(r53, name="www.example.com"),
                             record(r53, name="a.example.com",
                                    types=["A", "AAAA"])])
    r = harness.run(["-c", s.config, "--state", s.state, "--ip", IP1,
                     "--ip", V6])
    assert r.code == 0, r
    asked = [c.query["dnsname"][0] for c in r53.calls
             if c.path.endswith("hostedzonesbyname")]
    assert asked.count("example.com.") == 1, asked
    assert r53.r53.get("a.example.com", "AAAA")["values"] == [V6]


def test_aaaa(r53, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(r53, types=["AAAA"])])
    r = s.run("--ip", V6)
    assert r.code == 0, r
    assert r53.r53.get(NAME, "AAAA")["values"] == [V6]
    assert "<Type>AAAA</Type>" in r53.r53.bodies[0]


def test_zone_id_skips_lookup_and_private_zone_loses(servers, ca, tmp_path):
    srv = mock_route53.start(servers, tls=ca, zones=())
    srv.r53.add_zone("example.com", private=True)
    pub = srv.r53.add_zone("example.com")
    s = Setup(tmp_path, ca, [record(srv)])
    assert s.run("--ip", IP1).code == 0
    assert srv.r53.get(NAME, "A")["values"] == [IP1]
    assert s.entry()["record_id"] == pub
    (tmp_path / "b").mkdir()
    s2 = Setup(tmp_path / "b", ca,
               [record(srv, zone_id="/hostedzone/" + pub)])
    del srv.calls[:]
    assert s2.run("--ip", IP2).code == 0
    assert ops(srv) == ["list", "upsert"]


def test_alias_set_is_refused(r53, ca, tmp_path):
    r53.r53.add_record(NAME, "A", [], alias="d111111abcdef8.cloudfront.net.")
    s = Setup(tmp_path, ca, [record(r53)])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "alias" in r.err
    assert "upsert" not in ops(r53)


def test_botocore_agrees(r53, ca, tmp_path):
    """AWS's own signer (botocore) computes the same signatures, with a
    session token and a wildcard name in the query too."""
    pytest.importorskip("botocore")
    r53.r53.keys = {ACCESS_KEY: (SECRET, TOKEN)}
    s = Setup(tmp_path, ca, [record(r53, name="*.example.com",
                                    session_token=TOKEN, wait=True)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r53.r53.botocore_checked == len(r53.calls) == 5


# ---- credentials ---------------------------------------------------------

def test_credentials_from_environment(r53, ca, tmp_path):
    r53.r53.keys = {"AKIAENVEXAMPLE": ("envSecret/EXAMPLEKEY+1", TOKEN)}
    rec = record(r53)
    del rec["access_key_id"], rec["secret_access_key"]
    s = Setup(tmp_path, ca, [rec])
    env = {"AWS_ACCESS_KEY_ID": "AKIAENVEXAMPLE",
           "AWS_SECRET_ACCESS_KEY": "envSecret/EXAMPLEKEY+1",
           "AWS_SESSION_TOKEN": TOKEN, "HOME": str(tmp_path)}
    r = s.run("--ip", IP1, "-vv", env=env)
    assert r.code == 0, r
    assert r53.r53.get(NAME, "A")["values"] == [IP1]
    for secret in ("envSecret/EXAMPLEKEY+1", TOKEN):
        assert secret not in r.out and secret not in r.err
    assert "<redacted>" in r.err


def write_credentials(home, text):
    os.makedirs(os.path.join(home, ".aws"), exist_ok=True)
    p = os.path.join(home, ".aws", "credentials")
    with open(p, "w") as f:
        f.write(text)
    return p


def test_credentials_from_shared_file(r53, ca, tmp_path):
    r53.r53.keys = {"AKIAFILEEXAMPLE": ("fileSecret+EXAMPLE/2", None)}
    home = str(tmp_path / "home")
    write_credentials(home, (
        "# comment\n[default]\naws_access_key_id = AKIAWRONG\n"
        "aws_secret_access_key = nope\n\n[ddns]\n"
        "aws_access_key_id = AKIAFILEEXAMPLE\n"
        "aws_secret_access_key = fileSecret+EXAMPLE/2\nregion = eu-west-1\n"
        "s3 =\n  max_concurrent_requests = 2\n"))
    rec = record(r53)
    del rec["access_key_id"], rec["secret_access_key"]
    s = Setup(tmp_path, ca, [dict(rec, profile="ddns")])
    r = s.run("--ip", IP1, "-vv", env={"HOME": home})
    assert r.code == 0, r
    assert "fileSecret+EXAMPLE/2" not in r.err + r.out
    # The same via AWS_PROFILE and AWS_SHARED_CREDENTIALS_FILE.
    p = write_credentials(str(tmp_path / "elsewhere"), (
        "[ddns]\naws_access_key_id=AKIAFILEEXAMPLE\n"
        "aws_secret_access_key=fileSecret+EXAMPLE/2\n"))
    (tmp_path / "s2").mkdir()
    s2 = Setup(tmp_path / "s2", ca, [rec])
    r = s2.run("--ip", IP2, env={"HOME": str(tmp_path / "nohome"),
                                 "AWS_PROFILE": "ddns",
                                 "AWS_SHARED_CREDENTIALS_FILE": p})
    assert r.code == 0, r
    assert r53.r53.get(NAME, "A")["values"] == [IP2]


@pytest.mark.parametrize("text,why", [
    ("aws_access_key_id = X\n", "before any"),
    ("[default\naws_access_key_id = X\n", "without \"]\""),
    ("[default]\njust words\n", "line 2"),
    ("[other]\naws_access_key_id = X\naws_secret_access_key = Y\n",
     "no profile \"default\""),
    ("[default]\nrole_arn = arn:aws:iam::123456789012:role/x\n",
     "not supported"),
])
def test_bad_shared_file_is_config_error(r53, ca, tmp_path, text, why):
    home = str(tmp_path / "home")
    write_credentials(home, text)
    rec = record(r53)
    del rec["access_key_id"], rec["secret_access_key"]
    s = Setup(tmp_path, ca, [rec])
    r = s.run("--ip", IP1, env={"HOME": home})
    assert r.code == 78, r
    assert why in r.err
    assert r53.calls == []


def test_no_credentials_anywhere(r53, ca, tmp_path):
    rec = record(r53)
    del rec["access_key_id"], rec["secret_access_key"]
    s = Setup(tmp_path, ca, [rec])
    r = s.run("--ip", IP1, env={"HOME": str(tmp_path)})
    assert r.code == 78, r
    assert "AWS_ACCESS_KEY_ID" in r.err


def test_half_keys_fail_check_config(r53, ca, tmp_path):
    rec = record(r53)
    del rec["secret_access_key"]
    s = Setup(tmp_path, ca, [rec])
    r = harness.run(["-c", s.config, "--check-config"])
    assert r.code == 78, r
    assert "secret_access_key" in r.err


# ---- errors ----------------------------------------------------------------

def test_wrong_secret_is_auth_error(r53, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(r53, secret_access_key="wrong/Secret+1")])
    r = s.run("--ip", IP1, "-vv")
    assert r.code == 77, r
    assert "SignatureDoesNotMatch" in r.err
    assert "The request signature we calculated" in r.err
    assert "route53:ChangeResourceRecordSets" in r.err
    assert "wrong/Secret+1" not in r.err + r.out
    assert r53.r53.get(NAME, "A") is None


def test_unknown_key_is_auth_error(r53, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(r53, access_key_id="AKIAUNKNOWN")])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "InvalidClientTokenId" in r.err


def test_access_denied_names_permissions(r53, ca, tmp_path):
    r53.r53.fail_next(403, mock_route53.error(
        403, "AccessDenied", "User: arn:aws:iam::123456789012:user/ddns is "
        "not authorized to perform: route53:ListHostedZonesByName")[2],
        headers={"Content-Type": "text/xml"})
    s = Setup(tmp_path, ca, [record(r53)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "AccessDenied" in r.err and "not authorized" in r.err
    assert "route53:GetChange" in r.err


@pytest.mark.parametrize("code", ["Throttling", "PriorRequestNotComplete"])
def test_throttled_backs_off(r53, ca, tmp_path, code):
    r53.r53.throttle(count=1, code=code)
    s = Setup(tmp_path, ca, [record(r53)])
    t0 = time.time()
    r = s.run("--ip", IP1)
    assert r.code == 75, r
    assert code in r.err
    e = s.entry()
    assert e["backoff_until"] >= t0 + 29
    # Still in back-off: no call.
    del r53.calls[:]
    assert s.run("--ip", IP1).code == 75
    assert r53.calls == []


def test_zone_not_found(r53, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(r53, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "no hosted zone" in r.err
    assert "example.net" in r.err


def test_no_such_hosted_zone_id(r53, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(r53, zone_id="Z0000000000000")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "NoSuchHostedZone" in r.err


@pytest.mark.parametrize("status,payload,code", [
    (200, "<html><body>hello</body></html>", 76),
    (200, "not xml at all", 76),
    (200, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>',
     76),
    (502, "<html>Bad Gateway</html>", 75),
])
def test_garbage(r53, ca, tmp_path, status, payload, code):
    r53.r53.fail_next(status, payload)
    s = Setup(tmp_path, ca, [record(r53)])
    r = s.run("--ip", IP1)
    assert r.code == code, r


# ---- wait ------------------------------------------------------------------

def test_wait_until_insync(r53, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(r53, wait=True)])
    r = s.run("--ip", IP1, "-v")
    assert r.code == 0, r
    assert ops(r53) == ["zones", "zones", "list", "upsert", "change",
                        "change"]
    assert "INSYNC" in r.err


def test_wait_deadline(r53, ca, tmp_path):
    r53.r53.insync_after = 1000
    s = Setup(tmp_path, ca, [record(r53, wait=1)])
    r = s.run("--ip", IP1)
    assert r.code == 75, r
    assert "not INSYNC" in r.err
    assert r53.r53.get(NAME, "A")["values"] == [IP1]


def test_no_wait_no_getchange(r53, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(r53, wait=False)])
    assert s.run("--ip", IP1).code == 0
    assert "change" not in ops(r53)


def test_bad_wait_value(r53, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(r53, wait="soon")])
    r = harness.run(["-c", s.config, "--check-config"])
    assert r.code == 78, r
    assert "wait" in r.err


# ---- secrets -----------------------------------------------------------------

def test_secrets_never_printed(r53, ca, tmp_path):
    r53.r53.keys = {ACCESS_KEY: (SECRET, TOKEN)}
    s = Setup(tmp_path, ca, [record(r53, session_token=TOKEN)])
    r = s.run("--ip", IP1, "-vv")
    assert r.code == 0, r
    assert SECRET not in r.out + r.err
    assert TOKEN not in r.out + r.err
    r53.r53.keys = {ACCESS_KEY: ("other", TOKEN)}
    r = s.run("--ip", IP2, "-vv")
    assert r.code == 77, r
    assert SECRET not in r.out + r.err
    assert TOKEN not in r.out + r.err
