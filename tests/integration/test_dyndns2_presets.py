"""Every dyndns2 preset against the mock speaking that vendor's dialect.

For each preset: the update reaches the vendor's path with its parameter
names and auth, a second run is a state hit, --force reaches the service
again, a wrong password holds the record with 77 and a name the account
does not hold with 78 (easyDNS answers NOACCESS for both: 77).
"""
import json
import os
import time

import pytest

import harness
from mock_dyndns2 import DIALECTS, Dyndns2Handler, dyndns2_state

PW = "pr3set-pw-51e0"
IP = "203.0.113.7"
IP2 = "203.0.113.8"
IP6 = "2001:db8::7"
NAME = "home.example.com"

# preset -> (username in the config, username the service expects, name,
# zone, the vendor's path, IPv6 parameter or None when A only)
PRESETS = {
    "allinkl": ("dyn0123456", "dyn0123456", "home.example.de", None, "/",
                "myip6"),
    "changeip": ("alice", "alice", NAME, None, "/nic/update", "myip"),
    "desec": (None, "example.dedyn.io", "home.example.dedyn.io",
              "example.dedyn.io", "/", "myipv6"),
    "dnsomatic": ("alice", "alice", NAME, None, "/nic/update", "myip"),
    "domeneshop": ("tok-1a2b", "tok-1a2b", "home.example.no", None,
                   "/v0/dyndns/update", "myip"),
    "dyn": ("alice", "alice", NAME, None, "/nic/update", "myip"),
    "dynu": ("alice", "alice", "home.dynu.net", None, "/nic/update",
             "myipv6"),
    "dynv6": (None, "none", "home.dynv6.net", None, "/nic/update", None),
    "easydns": ("alice", "alice", NAME, None, "/dyn/generic.php", "myip"),
    "he": (None, NAME, NAME, None, "/nic/update", "myip"),
    "inwx": ("alice", "alice", "home.example.de", None, "/nic/update",
             "myipv6"),
    "ipv64": (None, "whoever", "home.home64.de", None, "/nic/update",
              "myipv6"),
    "loopia": ("alice", "alice", "home.example.se", None, "/", "myip"),
    "noip": ("alice", "alice", "home.ddns.net", None, "/nic/update",
             "myip"),
    "nowdns": ("alice@example.com", "alice@example.com",
               "home.now-dns.net", None, "/update", "myip"),
    "nsupdate": (None, "home.nsupdate.info", "home.nsupdate.info", None,
                 "/nic/update", "myip"),
    "ovh": ("alice", "alice", "home.example.fr", None, "/nic/update",
            "myip"),
    "selfhost": ("alice", "alice", "home.selfhost.eu", None, "/nic/update",
                 "myip"),
    "spdyn": ("alice", "alice", "home.spdns.de", None, "/nic/update",
              "myip"),
    "strato": ("alice", "alice", "home.example.de", None, "/nic/update",
               "myip"),
    "variomedia": ("alice@example.de", "alice@example.de",
                   "home.example.de", None, "/nic/update", "myip"),
}
# Where a forced push of the same address cannot be told from an update.
NO_NOCHG = {"domeneshop", "easydns", "ipv64"}


def test_every_preset_is_tested(tmp_path, servers):
    """The binary's preset list, the mock's dialects and this table agree."""
    assert set(PRESETS) == set(DIALECTS)
    dd = Env(tmp_path, servers, "dyn")
    dd.rec["service"] = "no-such-service"
    r = dd.run()
    assert r.code == 78, r
    known = r.err.split("(known: ", 1)[1].split(")", 1)[0].split(", ")
    assert set(known) == set(PRESETS) | {"custom"}


class Env:
    """One preset, its mock dialect, one config and one state file."""

    def __init__(self, tmp_path, servers, preset):
        cfg_user, user, name, zone, _, _ = PRESETS[preset]
        self.preset = preset
        self.srv = servers(Dyndns2Handler)
        self.srv.state.update(dyndns2_state(users=[(user, PW)],
                                            hosts=(name,), dialect=preset))
        self.cfg = str(tmp_path / "ddnsup.json")
        self.state = str(tmp_path / "state.json")
        self.rec = {"name": name, "provider": "dyndns2", "service": preset,
                    "server": self.srv.url, "password": PW}
        if cfg_user is not None:
            self.rec["username"] = cfg_user
        if zone is not None:
            self.rec["zone"] = zone

    def run(self, *args, ip=(IP,)):
        harness.write_config(self.cfg, {"records": [self.rec]})
        a = ["-c", self.cfg, "--state", self.state]
        for i in ip:
            a += ["--ip", i]
        r = harness.run(a + list(args))
        assert PW not in r.out and PW not in r.err, r
        if os.path.exists(self.state):
            with open(self.state) as f:
                assert PW not in f.read()
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
        return self.srv.state["hosts"][self.rec["name"]]


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_update_state_hit_force(tmp_path, servers, preset):
    dd = Env(tmp_path, servers, preset)
    name, path = PRESETS[preset][2], PRESETS[preset][4]
    r = dd.run()
    assert r.code == 0, r
    assert "%s A %s updated" % (name, IP) in r.out
    assert len(dd.calls) == 1
    c = dd.calls[0]
    assert c.method == "GET" and c.path == path
    assert c.query["hostname"] == [name]
    assert dd.held.get("A") == IP
    assert dd.entry()["outcome"] == "updated"

    # A state hit asks nothing; a new address is pushed.
    assert dd.run().code == 0
    assert len(dd.calls) == 1
    r = dd.run(ip=(IP2,))
    assert r.code == 0, r
    assert "%s updated (was %s)" % (IP2, IP) in r.out
    assert dd.held.get("A") == IP2

    # --force asks again; the service says nothing changed.
    r = dd.run("--force", ip=(IP2,))
    assert r.code == 0, r
    assert len(dd.calls) == 3
    want = "updated" if preset in NO_NOCHG else "current"
    assert "%s A %s %s" % (name, IP2, want) in r.out


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_wrong_password_holds_77(tmp_path, servers, preset):
    dd = Env(tmp_path, servers, preset)
    dd.rec["password"] = "wrong-" + preset
    r = dd.run("-vv")
    assert r.code == 77, r
    # The refused password is a secret too, even in the -vv dump.
    assert "wrong-" + preset not in r.out + r.err
    assert len(dd.calls) == 1
    e = dd.entry()
    assert e["hold"] is True and e["outcome"] == "auth"
    # Held: not asked again until the configuration changes.
    assert dd.run().code == 77
    assert len(dd.calls) == 1
    assert dd.held == {}


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_unknown_name_holds(tmp_path, servers, preset):
    dd = Env(tmp_path, servers, preset)
    dd.srv.state["hosts"] = {}
    r = dd.run()
    want = 77 if preset == "easydns" else 78
    assert r.code == want, r
    assert dd.entry()["hold"] is True
    assert dd.run().code == want
    assert len(dd.calls) == 1


@pytest.mark.parametrize("preset", sorted(p for p in PRESETS
                                          if PRESETS[p][5] is not None))
def test_both_families_both_kept(tmp_path, servers, preset):
    """A and AAAA pushed one after the other: both stay. Dynu would set
    the family not named from the request's address, deSEC delete it."""
    dd = Env(tmp_path, servers, preset)
    dd.rec["types"] = ["A", "AAAA"]
    r = dd.run(ip=(IP, IP6))
    assert r.code == 0, r
    assert len(dd.calls) == 2
    assert dd.held == {"A": IP, "AAAA": IP6}
    p6 = PRESETS[preset][5]
    assert any(c.query.get(p6) == [IP6] for c in dd.calls)


def test_dynu_names_the_other_family_no(tmp_path, servers):
    dd = Env(tmp_path, servers, "dynu")
    dd.rec["types"] = ["AAAA"]
    assert dd.run(ip=(IP6,)).code == 0
    assert dd.calls[0].query == {"hostname": ["home.dynu.net"],
                                 "myipv6": [IP6], "myip": ["no"]}
    # Without "myip=no" Dynu would have set A to 127.0.0.1.
    assert dd.held == {"AAAA": IP6}


def test_dynv6_aaaa_refused_before_a_request(tmp_path, servers):
    dd = Env(tmp_path, servers, "dynv6")
    dd.rec["types"] = ["AAAA"]
    r = dd.run(ip=(IP6,))
    assert r.code == 78, r
    assert "IPv4 (A) records only" in r.err
    assert len(dd.calls) == 0
    assert dd.entry("AAAA")["hold"] is True


def test_easydns_toosoon_backs_off_10_minutes(tmp_path, servers):
    dd = Env(tmp_path, servers, "easydns")
    dd.srv.state["codes"][dd.rec["name"]] = (
        200, {}, "<html><body><p>TOOSOON</p></body></html>")
    t0 = time.time()
    r = dd.run()
    assert r.code == 75, r
    assert "TOOSOON" in r.err
    e = dd.entry()
    assert e["hold"] is False
    assert t0 + 600 - 5 <= e["backoff_until"] <= time.time() + 600 + 5
    assert dd.run().code == 75
    assert len(dd.calls) == 1


def test_easydns_noservice_holds(tmp_path, servers):
    dd = Env(tmp_path, servers, "easydns")
    dd.srv.state["codes"][dd.rec["name"]] = (200, {}, "<p>NOSERVICE</p>")
    r = dd.run()
    assert r.code == 78, r
    assert "dynamic DNS is not enabled" in r.err


def test_domeneshop_404_names_the_cause(tmp_path, servers):
    dd = Env(tmp_path, servers, "domeneshop")
    dd.srv.state["hosts"] = {}
    r = dd.run()
    assert r.code == 78, r
    assert "HTTP 404: no such name in this account" in r.err


def test_loopia_badrequest_holds(tmp_path, servers):
    dd = Env(tmp_path, servers, "loopia")
    dd.srv.state["codes"][dd.rec["name"]] = (200, {}, "badrequest\n")
    r = dd.run()
    assert r.code == 76, r
    assert "badrequest" in r.err
    assert dd.entry()["hold"] is True


def test_ipv64_reads_only_the_token(tmp_path, servers):
    dd = Env(tmp_path, servers, "ipv64")
    dd.rec["username"] = "anything-at-all"
    assert dd.run().code == 0
    assert dd.held == {"A": IP}


def test_ipv64_429_backs_off(tmp_path, servers):
    dd = Env(tmp_path, servers, "ipv64")
    dd.srv.state["codes"][dd.rec["name"]] = (429, {"Retry-After": "10"},
                                             "overcommited")
    r = dd.run()
    assert r.code == 75, r
    assert dd.entry()["hold"] is False
