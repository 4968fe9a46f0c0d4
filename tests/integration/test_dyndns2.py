"""The real binary against a loopback dyndns2 service (mock_dyndns2)."""
import json
import os
import time

import pytest

import harness
from mock_dyndns2 import Dyndns2Handler, dyndns2_state

PW = "s3cret-pw-9f1c"
IP = "203.0.113.7"
IP6 = "2001:db8::7"
NAME = "home.example.com"


class Env:
    """One mock service, one config file, one state file."""

    def __init__(self, tmp_path, servers, tls=None, **state):
        state.setdefault("users", [("alice", PW)])
        self.srv = servers(Dyndns2Handler, tls=tls)
        self.srv.state.update(dyndns2_state(**state))
        self.dir = tmp_path
        self.cfg = str(tmp_path / "ddnsup.json")
        self.state = str(tmp_path / "state.json")
        self.top = {}
        self.rec = {"name": NAME, "provider": "dyndns2", "service": "dyn",
                    "server": self.srv.url, "username": "alice",
                    "password": PW}

    def run(self, *args, ip=(IP,), env=None):
        harness.write_config(self.cfg, dict(self.top, records=[self.rec]))
        a = ["-c", self.cfg, "--state", self.state]
        for i in ip:
            a += ["--ip", i]
        r = harness.run(a + list(args), env=env)
        # Whatever happened, the password is never shown or stored.
        assert PW not in r.out and PW not in r.err, r
        if os.path.exists(self.state):
            with open(self.state) as f:
                assert PW not in f.read()
        return r

    def entry(self, rtype="A"):
        with open(self.state) as f:
            st = json.load(f)
        for e in st["records"]:
            if e["name"] == self.rec["name"] and e["type"] == rtype:
                return e
        raise KeyError(rtype)

    @property
    def calls(self):
        return self.srv.calls

    def answer(self, status, body, headers=None):
        """Make the service answer this for our name."""
        self.srv.state["codes"][self.rec["name"]] = (status, headers or {}, body)


@pytest.fixture
def dd(tmp_path, servers):
    return Env(tmp_path, servers)


def test_update_then_state_hit(dd):
    r = dd.run()
    assert r.code == 0, r
    assert "%s A %s updated" % (NAME, IP) in r.out
    assert len(dd.calls) == 1
    c = dd.calls[0]
    assert c.method == "GET" and c.path == "/nic/update"
    assert c.query == {"hostname": [NAME], "myip": [IP]}
    assert dd.srv.state["hosts"][NAME] == {"A": IP}
    e = dd.entry()
    assert e["address"] == IP and e["outcome"] == "updated"
    assert e["hold"] is False

    # Same address: the state says current, the service is not asked.
    r = dd.run()
    assert r.code == 0, r
    assert "%s A %s current" % (NAME, IP) in r.out
    assert len(dd.calls) == 1

    # A new address is pushed.
    r = dd.run(ip=("203.0.113.8",))
    assert r.code == 0, r
    assert "203.0.113.8 updated (was %s)" % IP in r.out
    assert len(dd.calls) == 2
    assert dd.srv.state["hosts"][NAME] == {"A": "203.0.113.8"}


def test_force_nochg_is_current(dd):
    assert dd.run().code == 0
    r = dd.run("--force")
    assert r.code == 0, r
    assert len(dd.calls) == 2
    assert "%s A %s current" % (NAME, IP) in r.out
    assert dd.entry()["outcome"] == "current"


def test_badauth_holds_until_config_changes(dd):
    dd.rec["password"] = "wrong-password"
    r = dd.run("-vv")
    assert r.code == 77, r
    assert "badauth" in r.err
    assert len(dd.calls) == 1
    e = dd.entry()
    assert e["hold"] is True and e["outcome"] == "auth"

    # Held: the service is not asked again, the status stays.
    r = dd.run()
    assert r.code == 77, r
    assert len(dd.calls) == 1
    assert "badauth" in r.err

    # A changed password lifts the hold.
    dd.rec["password"] = PW
    r = dd.run()
    assert r.code == 0, r
    assert len(dd.calls) == 2
    assert dd.entry()["hold"] is False


def test_nohost_holds_force_overrides(tmp_path, servers):
    dd = Env(tmp_path, servers, hosts=())
    r = dd.run()
    assert r.code == 78, r
    assert "nohost" in r.err
    assert dd.entry()["hold"] is True
    r = dd.run()
    assert r.code == 78, r
    assert len(dd.calls) == 1

    # The user creates the host at the service and forces a push.
    dd.srv.state["hosts"][NAME] = {}
    r = dd.run("--force")
    assert r.code == 0, r
    assert len(dd.calls) == 2


@pytest.mark.parametrize("body,code", [
    ("abuse", 77), ("!donator", 78), ("notfqdn", 78), ("numhost", 78),
    ("!yours", 78), ("badagent", 76), ("good 127.0.0.1", 76),
])
def test_permanent_codes_hold(dd, body, code):
    dd.answer(200, body + "\n")
    r = dd.run()
    assert r.code == code, r
    assert body in r.err
    assert dd.entry()["hold"] is True
    r = dd.run()
    assert r.code == code, r
    assert len(dd.calls) == 1


@pytest.mark.parametrize("body", ["911", "dnserr"])
def test_retry_later_codes_back_off_30_minutes(dd, body):
    dd.answer(200, body)
    t0 = time.time()
    r = dd.run()
    assert r.code == 75, r
    e = dd.entry()
    assert e["hold"] is False and e["outcome"] == "tempfail"
    assert t0 + 1800 - 5 <= e["backoff_until"] <= time.time() + 1800 + 5

    # Still backing off: no call, still temporary.
    r = dd.run()
    assert r.code == 75, r
    assert len(dd.calls) == 1
    # --force goes through.
    dd.srv.state["codes"].clear()
    assert dd.run("--force").code == 0
    assert len(dd.calls) == 2


def test_http_500_is_temporary_not_held(dd):
    dd.answer(500, "Internal Server Error")
    r = dd.run()
    assert r.code == 75, r
    assert "HTTP 500" in r.err
    e = dd.entry()
    assert e["hold"] is False and e["outcome"] == "tempfail"


def test_429_retry_after_backs_off(dd):
    dd.answer(429, "", {"Retry-After": "600"})
    t0 = time.time()
    r = dd.run()
    assert r.code == 75, r
    assert t0 + 595 <= dd.entry()["backoff_until"] <= time.time() + 605


def test_garbage_is_protocol_error(dd):
    dd.answer(200, "<html><body>\x1b[31mWelcome\x1b[0m</body></html>\nmore")
    r = dd.run()
    assert r.code == 76, r
    assert "unexpected reply" in r.err and "Welcome" in r.err
    assert "\x1b" not in r.err
    assert dd.entry()["hold"] is False


def test_good_echoing_another_address(dd):
    dd.answer(200, "good 198.51.100.1")
    r = dd.run()
    assert r.code == 76, r
    assert "198.51.100.1" in r.err


def test_server_with_own_path(tmp_path, servers):
    dd = Env(tmp_path, servers, path="/dyn/update.php")
    dd.rec["service"] = "custom"
    dd.rec["server"] = dd.srv.url + "/dyn/update.php"
    r = dd.run()
    assert r.code == 0, r
    assert dd.calls[0].path == "/dyn/update.php"


def test_server_without_path_gets_nic_update(dd):
    dd.rec["server"] = dd.srv.url + "/"
    del dd.rec["service"]           # "custom" is the default
    r = dd.run()
    assert r.code == 0, r
    assert dd.calls[0].path == "/nic/update"


def test_wrong_path_is_config_error(dd):
    dd.rec["server"] = dd.srv.url + "/wrong"
    r = dd.run()
    assert r.code == 78, r
    assert "HTTP 404" in r.err
    assert dd.entry()["hold"] is True


def test_https_with_test_ca(tmp_path, servers, ca):
    dd = Env(tmp_path, servers, tls=ca)
    assert dd.srv.url.startswith("https://")
    # Without the CA the certificate is refused: temporary, no request.
    # (Not under Wine: harness.WINE_NO_STORE_CHECK.)
    if not harness.ON_WINE:
        r = dd.run()
        assert r.code == 75, r
        assert len(dd.calls) == 0
    dd.top["cafile"] = ca.ca
    r = dd.run()
    assert r.code == 0, r
    assert len(dd.calls) == 1


def test_password_from_file(dd, tmp_path):
    p = tmp_path / "pw"
    p.write_text(PW + "\n")
    dd.rec["password"] = {"file": str(p)}
    r = dd.run("-vv")
    assert r.code == 0, r


def test_password_from_env(dd):
    dd.rec["password"] = {"env": "DD_TEST_PW"}
    r = dd.run("-vv", env={"DD_TEST_PW": PW})
    assert r.code == 0, r


def test_json_output(dd):
    dd.rec["password"] = "wrong-password"
    r = dd.run("--json", "-vv")
    assert r.code == 77, r
    doc = r.json()
    assert doc["exit"] == 77
    rec = doc["records"][0]
    assert rec["provider"] == "dyndns2" and rec["outcome"] == "auth"
    assert "badauth" in rec["message"]


def test_desec_preserves_other_family(tmp_path, servers):
    zone = "example.dedyn.io"
    dd = Env(tmp_path, servers, users=[(zone, PW)],
             hosts=("home." + zone,), dialect="desec")
    dd.rec = {"name": "home." + zone, "zone": zone, "provider": "dyndns2",
              "service": "desec", "server": dd.srv.url, "password": PW,
              "types": ["A", "AAAA"]}
    r = dd.run(ip=(IP, IP6))
    assert r.code == 0, r
    qs = sorted((c.query for c in dd.calls), key=lambda q: "myip" in q)
    assert {"hostname": ["home." + zone], "myipv4": [IP],
            "myipv6": ["preserve"]} in qs
    assert {"hostname": ["home." + zone], "myipv6": [IP6],
            "myipv4": ["preserve"]} in qs
    assert dd.srv.state["hosts"]["home." + zone] == {"A": IP, "AAAA": IP6}


def test_he_username_is_the_hostname(tmp_path, servers):
    dd = Env(tmp_path, servers, users=[(NAME, PW)])
    dd.rec["service"] = "he"
    del dd.rec["username"]
    r = dd.run()
    assert r.code == 0, r


def test_dynv6_username_none(tmp_path, servers):
    dd = Env(tmp_path, servers, users=[("none", PW)])
    dd.rec["service"] = "dynv6"
    del dd.rec["username"]
    assert dd.run().code == 0


def test_ovh_sends_system(dd):
    dd.rec["service"] = "ovh"
    r = dd.run()
    assert r.code == 0, r
    assert dd.calls[0].query["system"] == ["dyndns"]


def test_unknown_service(dd):
    dd.rec["service"] = "google"
    r = dd.run()
    assert r.code == 78, r
    assert "google" in r.err and "noip" in r.err
    assert len(dd.calls) == 0


def test_custom_needs_server(dd):
    dd.rec["service"] = "custom"
    del dd.rec["server"]
    r = dd.run()
    assert r.code == 78, r
    assert "server" in r.err


def test_service_or_server_needed(dd):
    del dd.rec["service"]
    del dd.rec["server"]
    r = dd.run()
    assert r.code == 78, r
    assert "\"service\" (one of: allinkl, changeip, custom, desec" in r.err


def test_username_needed(dd):
    del dd.rec["username"]
    r = dd.run()
    assert r.code == 78, r
    assert "username" in r.err
    assert len(dd.calls) == 0


def test_connection_refused_is_temporary(dd):
    port = dd.srv.url.rsplit(":", 1)[1]
    dd.srv.close()
    dd.rec["server"] = "http://127.0.0.1:%s" % port
    r = dd.run()
    assert r.code == 75, r
    assert dd.entry()["hold"] is False
