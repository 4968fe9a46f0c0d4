"""The real binary against the stateful Dynadot mock (mock_dynadot).

Every test that writes checks that no other record of the domain was lost
or changed (the domain's TTL included): Dynadot's SET_DNS replaces all
records unless told to add, and the mock does exactly that."""
import json
import time

import pytest

import harness
from mock_dynadot import KEY, SECRET, DynadotState, handler

NAME = "home.example.com"
IP1, IP2, IP3 = "203.0.113.7", "203.0.113.8", "203.0.113.9"
IP6 = "2001:db8::7"
WRITES = ("POST", "DELETE")

# The records the user has besides ours: all must survive every run.
MAIN = [("a", "192.0.2.10"), ("txt", "v=spf1 mx -all"),
        ("mx", "mail.example.com", "10")]
SUB = [("www", "cname", "example.com"), ("mail", "a", "192.0.2.25"),
       ("old", "forward", "https://example.org/", "301"),
       ("home.lab", "a", "192.0.2.99"), ("home", "txt", "keep me")]


class Env:
    def __init__(self, tmp_path, servers, tls=None, existing=(), name=NAME,
                 types=None, **rec):
        self.st = DynadotState()
        self.st.add_domain("example.com", main=MAIN, sub=list(SUB) +
                           list(existing))
        self.srv = servers(handler(self.st), tls=tls)
        self.cfg = str(tmp_path / "ddnsup.json")
        self.state = str(tmp_path / "state.json")
        self.top = {}
        self.rec = dict({"name": name, "provider": "dynadot",
                         "api_key": KEY, "api_secret": SECRET,
                         "endpoint": self.srv.url}, **rec)
        if types:
            self.rec["types"] = types
        self.before = self.st.snapshot("example.com")

    def run(self, *args, ip=(IP1,)):
        harness.write_config(self.cfg, dict(self.top, records=[self.rec]))
        a = ["-c", self.cfg, "--state", self.state]
        for i in ip:
            a += ["--ip", i]
        r = harness.run(a + list(args))
        for s in (KEY, SECRET):
            assert s not in r.out + r.err, r
        return r

    def others_intact(self, ours=()):
        """Nothing but our (host, TYPE) changed; ours: [(host, TYPE)]."""
        recs, ttl, glue = self.st.snapshot("example.com")
        brecs, bttl, bglue = self.before
        keep = {r for r in brecs if (r[0], r[1]) not in ours}
        assert keep <= recs, "lost: %s" % (keep - recs)
        assert {r for r in recs if (r[0], r[1]) not in ours} == keep
        assert (ttl, glue) == (bttl, bglue)

    def entry(self, rtype="A"):
        with open(self.state) as f:
            for e in json.load(f)["records"]:
                if e["type"] == rtype:
                    return e
        raise KeyError(rtype)

    def writes(self):
        return [c for c in self.srv.calls if c.method in WRITES]


def test_create_keeps_every_other_record(tmp_path, servers, ca):
    o = Env(tmp_path, servers, tls=ca)
    o.top["cafile"] = ca.ca
    r = o.run("-vv")
    assert r.code == 0, r
    assert "%s A %s updated" % (NAME, IP1) in r.out
    got = [(c.method, c.path) for c in o.srv.calls]
    assert got == [
        ("GET", "/restful/v2/domains/home.example.com/records"),
        ("GET", "/restful/v2/domains/example.com/records"),
        ("GET", "/restful/v2/domains/example.com/records"),
        ("POST", "/restful/v2/domains/example.com/records")]
    assert o.srv.calls[3].json() == {
        "dns_sub_list": [{"sub_host": "home", "record_type": "A",
                          "record_value1": IP1}],
        "ttl": 300, "add_dns_to_current_setting": True}
    assert o.st.values("example.com", "home", "A") == [IP1]
    o.others_intact([("home", "A")])
    # State hit: no call at all.
    n = len(o.srv.calls)
    assert o.run().code == 0
    assert len(o.srv.calls) == n


def test_update_adds_then_removes_the_old(tmp_path, servers):
    o = Env(tmp_path, servers, existing=[("home", "a", IP1)])
    r = o.run(ip=(IP2,))
    assert r.code == 0, r
    w = o.writes()
    assert [c.method for c in w] == ["POST", "DELETE"]
    assert w[1].json() == {"dns_sub_list": [{"sub_host": "home",
                                             "record_type": "a",
                                             "record_value1": IP1}]}
    assert o.st.values("example.com", "home", "A") == [IP2]
    o.others_intact([("home", "A")])
    # A second change, from the state: one lookup walk, add, remove.
    r = o.run(ip=(IP3,))
    assert r.code == 0, r
    assert "%s updated (was %s)" % (IP3, IP2) in r.out
    assert o.st.values("example.com", "home", "A") == [IP3]
    o.others_intact([("home", "A")])


def test_unchanged_and_force(tmp_path, servers):
    o = Env(tmp_path, servers, existing=[("home", "A", IP1)])
    r = o.run()
    assert r.code == 0, r
    assert "%s A %s current" % (NAME, IP1) in r.out
    assert o.writes() == []
    n = len(o.srv.calls)
    assert o.run().code == 0
    assert len(o.srv.calls) == n
    r = o.run("--force")
    assert r.code == 0, r
    assert len(o.srv.calls) > n and o.writes() == []
    o.others_intact()


def test_apex_and_aaaa(tmp_path, servers):
    o = Env(tmp_path, servers, name="example.com", types=["A", "AAAA"])
    r = o.run(ip=(IP1, IP6))
    assert r.code == 0, r
    w = o.writes()
    assert [c.json()["dns_main_list"] for c in w if c.method == "POST"] == [
        [{"record_type": "A", "record_value1": IP1}],
        [{"record_type": "AAAA", "record_value1": IP6}]]
    assert [c.method for c in w] == ["POST", "DELETE", "POST"]
    assert o.st.values("example.com", "@", "A") == [IP1]
    assert o.st.values("example.com", "@", "AAAA") == [IP6]
    o.others_intact([("@", "A"), ("@", "AAAA")])
    # One zone walk for both families (cached for the run).
    gets = [c.path for c in o.srv.calls if c.method == "GET"]
    assert gets.count("/restful/v2/domains/example.com/records") == 3


def test_wrong_secret_holds_77(tmp_path, servers):
    o = Env(tmp_path, servers, api_secret="not-the-secret")
    r = o.run("-vv")
    assert r.code == 77, r
    assert "not-the-secret" not in r.out + r.err
    assert "Invalid signature" in r.err
    assert "allowed list" in r.err
    assert o.entry()["hold"] is True
    assert o.writes() == []
    assert o.run().code == 77
    assert len(o.srv.calls) == 1
    o.others_intact()


@pytest.mark.parametrize("hdrs,wait", [({"Retry-After": "120"}, 120),
                                       ({}, 60)])
def test_throttled_backs_off(tmp_path, servers, hdrs, wait):
    o = Env(tmp_path, servers)
    o.st.fail_next(429, headers=hdrs)
    t0 = time.time()
    r = o.run()
    assert r.code == 75, r
    e = o.entry()
    assert e["hold"] is False
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5
    o.others_intact()


def test_domain_not_in_account_78(tmp_path, servers):
    o = Env(tmp_path, servers, name="home.example.net")
    r = o.run()
    assert r.code == 78, r
    assert ("no Dynadot domain for home.example.net (tried "
            "home.example.net, example.net") in r.err
    assert o.entry()["hold"] is True
    assert o.writes() == []


def test_garbage_is_76(tmp_path, servers):
    o = Env(tmp_path, servers)
    o.st.fail_next(200, count=5, payload="<html>maintenance</html>")
    r = o.run()
    assert r.code == 76, r
    assert "not a JSON object" in r.err
    o.others_intact()


def test_reply_without_glue_info_is_76(tmp_path, servers):
    o = Env(tmp_path, servers, zone="example.com")
    # The zone's own lookup, then the records read.
    o.st.fail_next(200, count=2, payload={"code": 200,
                                          "data": {"records": []}})
    r = o.run()
    assert r.code == 76, r
    assert "no data.glue_info" in r.err
    assert o.writes() == []


def test_domain_not_on_dynadot_dns_is_left_alone(tmp_path, servers):
    o = Env(tmp_path, servers)
    o.st.domains["example.com"]["glue_type"] = "FORWARD"
    o.before = o.st.snapshot("example.com")
    r = o.run()
    assert r.code == 78, r
    assert "not served by Dynadot DNS" in r.err
    assert o.writes() == []
    o.others_intact()


def test_several_records_are_not_ours_to_pick(tmp_path, servers):
    o = Env(tmp_path, servers, existing=[("home", "a", "198.51.100.1"),
                                         ("home", "a", "198.51.100.2")])
    r = o.run()
    assert r.code == 78, r
    assert "2 A records at home.example.com" in r.err
    assert o.writes() == []
    o.others_intact()


def test_update_cut_short_is_finished_next_run(tmp_path, servers):
    o = Env(tmp_path, servers, existing=[("home", "a", IP1)])
    assert o.run().code == 0            # the state learns IP1
    o.st.fail_next(500, method="DELETE")
    r = o.run(ip=(IP2,))
    assert r.code == 75, r
    assert "%s was added, %s is still there" % (IP2, IP1) in r.err
    assert o.st.values("example.com", "home", "A") == [IP1, IP2]
    r = o.run("--force", ip=(IP2,))     # past the back-off
    assert r.code == 0, r
    assert o.st.values("example.com", "home", "A") == [IP2]
    assert [c.method for c in o.writes()][-1] == "DELETE"
    o.others_intact([("home", "A")])


def test_signed_request_as_documented(tmp_path, servers):
    """The mock recomputes the signature; here the exact header form."""
    o = Env(tmp_path, servers, zone="example.com")
    assert o.run().code == 0
    c = o.srv.calls[-1]
    assert c.headers["Authorization"] == "Bearer " + KEY
    assert c.headers["Content-Type"] == "application/json"
    assert "X-Request-ID" not in c.headers
    assert not c.query


def test_removal_uses_dynadot_spelling(tmp_path, servers):
    """Dynadot may spell the host "Home": the old record is removed as it
    is spelt there, or it would stay beside the new one."""
    o = Env(tmp_path, servers, existing=[("Home", "A", IP1)])
    r = o.run(ip=(IP2,))
    assert r.code == 0, r
    assert o.writes()[1].json()["dns_sub_list"][0]["sub_host"] == "Home"
    assert o.st.values("example.com", "Home", "A") == []
    assert o.st.values("example.com", "home", "A") == [IP2]
    o.others_intact([("home", "A"), ("Home", "A")])
