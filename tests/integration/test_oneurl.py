"""The real binary against loopback one-URL services (mock_oneurl)."""
import base64
import json
import os
import time

import pytest

import harness
from mock_oneurl import (OneurlHandler, freedns_state, goip_state,
                         myaddr_state, servercow_state, zoneedit_state)

TOKEN = "UjRtU2VjcmV0VG9rZW4xMjM0NTY3ODkw"
PW = "g0ip-router-pw"
ZTOKEN = "8A7F9C1D2E3B4A5F"
ZBASIC = "Basic " + base64.b64encode(b"zeuser:" + ZTOKEN.encode()).decode()
IP = "203.0.113.7"
IP2 = "203.0.113.8"
IP6 = "2001:db8::7"

# service -> (record name, secret, extra record keys, mock state)
SERVICES = {
    "freedns": ("home.mooo.com", TOKEN, {},
                lambda: freedns_state({TOKEN: "home.mooo.com"})),
    "goip": ("home.goip.de", PW, {"username": "router1"},
             lambda: goip_state({("router1", PW): ["home.goip.de"]})),
    "myaddr": ("home.myaddr.tools", TOKEN, {},
               lambda: myaddr_state({TOKEN: "home.myaddr.tools"})),
    "servercow": ("home.example.de", PW, {"username": "dyncow"},
                  lambda: servercow_state({("dyncow", PW):
                                           ["home.example.de"]})),
    "zoneedit": ("home.example.com", ZTOKEN, {"username": "zeuser"},
                 lambda: zoneedit_state({("zeuser", ZTOKEN):
                                         ["example.com", "example.org"]})),
}


class Env:
    def __init__(self, tmp_path, servers, service, tls=None):
        name, secret, extra, state = SERVICES[service]
        self.secret = secret
        self.srv = servers(OneurlHandler, tls=tls)
        self.srv.state.update(state())
        self.cfg = str(tmp_path / "ddnsup.json")
        self.state = str(tmp_path / "state.json")
        self.top = {}
        self.rec = dict({"name": name, "provider": "oneurl",
                         "service": service, "token": secret,
                         "endpoint": self.srv.url}, **extra)

    def run(self, *args, ip=(IP,)):
        harness.write_config(self.cfg, dict(self.top, records=[self.rec]))
        a = ["-c", self.cfg, "--state", self.state]
        for i in ip:
            a += ["--ip", i]
        r = harness.run(a + list(args))
        # The secret travels in the URL (or Basic auth): never shown or
        # stored, nor its Basic form.
        assert self.secret not in r.out and self.secret not in r.err, r
        assert ZBASIC[6:] not in r.out + r.err, r
        if os.path.exists(self.state):
            with open(self.state) as f:
                assert self.secret not in f.read()
        return r

    def entry(self, rtype="A"):
        with open(self.state) as f:
            for e in json.load(f)["records"]:
                if e["type"] == rtype:
                    return e
        raise KeyError(rtype)

    @property
    def calls(self):
        return self.srv.calls

    @property
    def held(self):
        return self.srv.state["records"].get(self.rec["name"], {})


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_update_state_hit_force(tmp_path, servers, service):
    o = Env(tmp_path, servers, service)
    name = o.rec["name"]
    r = o.run("-vv")
    assert r.code == 0, r
    assert "%s A %s updated" % (name, IP) in r.out
    assert len(o.calls) == 1 and o.calls[0].method == "GET"
    assert o.held == {"A": IP}
    assert o.entry()["outcome"] == "updated"
    # State hit: no call. New address: pushed.
    assert o.run().code == 0
    assert len(o.calls) == 1
    r = o.run(ip=(IP2,))
    assert r.code == 0, r
    assert "%s updated (was %s)" % (IP2, IP) in r.out
    assert o.held == {"A": IP2}
    # --force: asked again; FreeDNS says "no change", GoIP, myaddr and
    # Servercow have no word for it.
    r = o.run("--force", ip=(IP2,))
    assert r.code == 0, r
    assert len(o.calls) == 3
    want = "current" if service in ("freedns", "zoneedit") else "updated"
    assert "%s A %s %s" % (name, IP2, want) in r.out


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_both_families(tmp_path, servers, service):
    o = Env(tmp_path, servers, service)
    o.rec["types"] = ["A", "AAAA"]
    r = o.run(ip=(IP, IP6))
    assert r.code == 0, r
    assert o.held == {"A": IP, "AAAA": IP6}


def test_freedns_request_shape(tmp_path, servers):
    o = Env(tmp_path, servers, "freedns")
    o.rec["types"] = ["AAAA"]
    assert o.run(ip=(IP6,)).code == 0
    c = o.calls[0]
    assert c.path == "/u/%s/" % TOKEN and c.query == {"ip": [IP6]}


def test_goip_request_shape(tmp_path, servers):
    o = Env(tmp_path, servers, "goip")
    assert o.run().code == 0
    c = o.calls[0]
    assert c.path == "/setip"
    assert c.query == {"username": ["router1"], "password": [PW],
                       "subdomain": ["home.goip.de"], "ip": [IP],
                       "shortResponse": ["true"]}


def test_servercow_request_shape(tmp_path, servers):
    o = Env(tmp_path, servers, "servercow")
    o.rec["types"] = ["AAAA"]
    assert o.run(ip=(IP6,)).code == 0
    c = o.calls[0]
    assert c.path == "/dnsupdate/update.php"
    assert c.query == {"username": ["dyncow"], "pass": [PW],
                       "hostname": ["home.example.de"], "ip6addr": [IP6]}


def test_myaddr_request_shape_and_unknown_key(tmp_path, servers):
    o = Env(tmp_path, servers, "myaddr")
    o.rec["types"] = ["AAAA"]
    assert o.run(ip=(IP6,)).code == 0
    c = o.calls[0]
    assert c.path == "/update" and c.query == {"key": [TOKEN], "ip": [IP6]}
    # An unknown key is a 404: held until the config changes.
    o.rec["token"] = "wrong-key"
    r = o.run("-vv", ip=("2001:db8::8",))
    assert r.code == 78, r
    assert "myaddr answered HTTP 404" in r.err and "wrong-key" not in r.err
    assert o.run(ip=("2001:db8::8",)).code == 78
    assert len(o.calls) == 2


# myaddr refuses a key with a 404 (above), not an auth word.
@pytest.mark.parametrize("service", sorted(set(SERVICES) - {"myaddr"}))
def test_wrong_secret_holds_77(tmp_path, servers, service):
    o = Env(tmp_path, servers, service)
    o.rec["token"] = "wrong-" + service
    r = o.run("-vv")
    assert r.code == 77, r
    assert "wrong-" + service not in r.out + r.err
    assert {"freedns": "Unable to locate", "goip": "Zugriff verweigert",
            "servercow": "\"FAILED - Authentication failed\": username or "
            "password (\"token\") refused",
            "zoneedit": "\"ERROR 708: Login/authorization error\": login "
            "refused"}[service] in r.err
    e = o.entry()
    assert e["hold"] is True and e["outcome"] == "auth"
    assert o.run().code == 77
    assert len(o.calls) == 1
    # The right secret lifts the hold.
    o.rec["token"] = o.secret
    assert o.run().code == 0
    assert len(o.calls) == 2


def test_goip_subdomain_not_the_users(tmp_path, servers):
    o = Env(tmp_path, servers, "goip")
    o.rec["name"] = "other.goip.de"
    r = o.run()
    assert r.code == 77, r
    assert "not this router user's" in r.err


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_garbage_is_protocol_error(tmp_path, servers, service):
    o = Env(tmp_path, servers, service)
    o.srv.state["codes"][o.rec["name"]] = (200, {}, "<html>maintenance")
    r = o.run()
    assert r.code == 76, r
    assert "unexpected reply \"<html>maintenance\"" in r.err
    assert o.entry()["hold"] is False


def test_503_retry_after_backs_off(tmp_path, servers):
    o = Env(tmp_path, servers, "freedns")
    o.srv.state["codes"][o.rec["name"]] = (503, {"Retry-After": "900"}, "")
    t0 = time.time()
    r = o.run()
    assert r.code == 75, r
    e = o.entry()
    assert e["hold"] is False
    assert t0 + 895 <= e["backoff_until"] <= time.time() + 905


def test_https_with_test_ca(tmp_path, servers, ca):
    o = Env(tmp_path, servers, "freedns", tls=ca)
    assert o.srv.url.startswith("https://")
    if not harness.ON_WINE:     # harness.WINE_NO_STORE_CHECK
        assert o.run().code == 75
        assert len(o.calls) == 0
    o.top["cafile"] = ca.ca
    assert o.run().code == 0
    assert len(o.calls) == 1


@pytest.mark.parametrize("change,code,text", [
    ({"service": "afraid"}, 78, "unknown service \"afraid\" (known: "
     "freedns, goip, myaddr, servercow, zoneedit)"),
    ({"service": None}, 78, "needs \"service\" (one of: freedns, goip, "
     "myaddr, servercow, zoneedit)"),
    ({"username": None}, 78, "service goip needs \"username\""),
    ({"endpoint": "http://127.0.0.1:1/setip"}, 78, "the path is the "
     "service's"),
])
def test_config_errors_before_a_request(tmp_path, servers, change, code,
                                        text):
    o = Env(tmp_path, servers, "goip")
    for k, v in change.items():
        if v is None:
            del o.rec[k]
        else:
            o.rec[k] = v
    r = o.run()
    assert r.code == code, r
    assert text in r.err
    assert len(o.calls) == 0


def test_zoneedit_request_shape(tmp_path, servers):
    o = Env(tmp_path, servers, "zoneedit")
    r = o.run("-vv")
    assert r.code == 0, r
    c = o.calls[0]
    assert c.method == "GET" and c.path == "/auth/dynamic.html"
    assert c.query == {"host": ["home.example.com"], "dnsto": [IP]}
    assert c.headers["Authorization"] == ZBASIC
    # -vv shows the request, not the credentials.
    assert "/auth/dynamic.html?host=home.example.com&dnsto=" in r.err
    assert "Authorization: <redacted>" in r.err


def test_zoneedit_apex_and_aaaa(tmp_path, servers):
    o = Env(tmp_path, servers, "zoneedit")
    o.rec["name"] = "example.org"
    o.rec["types"] = ["AAAA"]
    r = o.run(ip=(IP6,))
    assert r.code == 0, r
    assert o.calls[0].query == {"host": ["example.org"], "dnsto": [IP6]}
    assert o.srv.state["records"] == {"example.org": {"AAAA": IP6}}


@pytest.mark.parametrize("code,text", [
    ("707", "Too frequent updates for the same host, adjust client "
     "settings"),
    ("702", "Minimum 600 seconds between requests"),
])
def test_zoneedit_too_soon_backs_off_10_minutes(tmp_path, servers, code,
                                                text):
    o = Env(tmp_path, servers, "zoneedit")
    o.srv.state.update(min_interval=600, too_soon=(code, text),
                       trailer=True)
    assert o.run().code == 0
    t0 = time.time()
    r = o.run(ip=(IP2,))
    assert r.code == 75, r
    assert "\"ERROR %s: %s\"" % (code, text) in r.err
    e = o.entry()
    assert e["hold"] is False
    assert t0 + 595 <= e["backoff_until"] <= time.time() + 605
    assert o.held == {"A": IP}
    # Within the back-off: no call.
    assert o.run(ip=(IP2,)).code == 75
    assert len(o.calls) == 2


def test_zoneedit_duplicate_is_current_despite_trailer(tmp_path, servers):
    o = Env(tmp_path, servers, "zoneedit")
    o.srv.state["trailer"] = True
    o.srv.state["records"]["home.example.com"] = {"A": IP}
    r = o.run()
    assert r.code == 0, r
    assert "home.example.com A %s current" % IP in r.out
    assert o.entry()["outcome"] == "current"


def test_zoneedit_zone_not_in_account_holds_78(tmp_path, servers):
    o = Env(tmp_path, servers, "zoneedit")
    o.srv.state["trailer"] = True   # the ERROR wins over the SUCCESS after
    o.rec["name"] = "home.example.net"
    r = o.run()
    assert r.code == 78, r
    assert ("\"ERROR 701: Zone is not set up in this account.\": the "
            "name's zone is not in this ZoneEdit account") in r.err
    assert o.entry()["hold"] is True
    assert o.run().code == 78
    assert len(o.calls) == 1


def test_zoneedit_http_401_is_auth(tmp_path, servers):
    o = Env(tmp_path, servers, "zoneedit")
    o.srv.state["codes"]["home.example.com"] = (
        401, {}, "<html><head><title>Authentication Failed </title>")
    r = o.run()
    assert r.code == 77, r
    assert "zoneedit answered HTTP 401" in r.err
    assert "(check \"username\" and \"token\")" in r.err


def test_zoneedit_username_with_colon_refused(tmp_path, servers):
    o = Env(tmp_path, servers, "zoneedit")
    o.rec["username"] = "a:b"
    r = o.run()
    assert r.code == 78, r
    assert "without ':' or control characters" in r.err
    assert len(o.calls) == 0
