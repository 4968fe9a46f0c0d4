"""The driver's side of the CGNAT check: the warning, exit status 3,
probe.nat_ok, --probe's status and lines, and the --json "nat" object.

The router is the real router source asking a loopback NAT-PMP responder
(mock_router.NatPmp) that reports the WAN address each test chooses; the
public address comes from a loopback HTTP endpoint (probes.py).
"""
import pytest

import harness
from mock_router import NatPmp
from probes import ProbeHandler
from test_driver import CallbackMock, cb_record, env_for, updates

PUB = "203.0.113.7"
OK, UNCHANGED, NAT, TEMPFAIL = 0, 2, 3, 75
CGNAT = ("this network is behind carrier-grade NAT: inbound connections "
         "cannot reach it; ask the ISP for a public IPv4 or use IPv6 (the "
         "router's WAN address 100.64.0.7 is in 100.64.0.0/10, the ISP's "
         "shared NAT range; seen from outside: %s)" % PUB)
_routers = []


@pytest.fixture(autouse=True)
def _close_routers():
    yield
    while _routers:
        np = _routers.pop()
        np.close()
        assert not np.errors, np.errors


def run(tmp_path, args):
    return harness.run(args, env=env_for(tmp_path))


def nat_config(tmp_path, servers, wan, records=None, **probe):
    """A config whose IPv4 list is a NAT-PMP router, then one endpoint."""
    ep = servers(ProbeHandler)
    srv = servers(CallbackMock)
    np = NatPmp(wan)
    _routers.append(np)
    router = {"source": "router", "protocol": "natpmp",
              "gateway": "127.0.0.1:%d" % np.port}
    p = {"ipv4": [router, ep.url + "/fast/" + PUB],
         "allow_nonpublic": ["documentation"]}
    p.update(probe)
    cfg = {"state": str(tmp_path / "state.json"), "probe": p,
           "records": records or [cb_record(srv, "a.example.com")]}
    return srv, ep, harness.write_config(str(tmp_path / "c.json"), cfg)


def test_cgnat_warns_pushes_and_exits_3(tmp_path, servers):
    srv, ep, path = nat_config(tmp_path, servers, "100.64.0.7")
    r = run(tmp_path, ["-c", path])
    assert r.code == NAT, r
    assert CGNAT in r.err, r
    # Still pushed: the shared address is right for allowlists.
    assert updates(srv) == [("a.example.com", "A", PUB)]
    assert r.out == "a.example.com A %s updated\n" % PUB, r
    # Nothing to push: 2 with -u, but the NAT is worse.
    r = run(tmp_path, ["-c", path, "-u"])
    assert r.code == NAT, r
    assert len(updates(srv)) == 1


def test_cgnat_quiet_no_warning_same_status(tmp_path, servers):
    srv, ep, path = nat_config(tmp_path, servers, "100.64.0.7")
    r = run(tmp_path, ["-c", path, "-q"])
    assert r.code == NAT, r
    assert r.err == "" and r.out == "", r


def test_double_nat(tmp_path, servers):
    srv, ep, path = nat_config(tmp_path, servers, "192.168.1.1")
    r = run(tmp_path, ["-c", path])
    assert r.code == NAT, r
    assert ("double NAT: another router in front of this one: forward "
            "ports on both, or put the first in bridge mode (this router's "
            "WAN address 192.168.1.1 is a private address; seen from "
            "outside: %s)" % PUB) in r.err, r


def test_nat_ok_acknowledges(tmp_path, servers):
    srv, ep, path = nat_config(tmp_path, servers, "100.64.0.7", nat_ok=True)
    r = run(tmp_path, ["-c", path])
    assert r.code == OK, r
    assert "carrier-grade" not in r.err, r
    r = run(tmp_path, ["-c", path, "--json", "-f"])
    assert r.code == OK, r
    doc = r.json()
    assert doc["exit"] == OK
    assert doc["nat"] == {"verdict": "cgnat", "wan": "100.64.0.7",
                          "public": PUB, "message": CGNAT}, doc
    r = run(tmp_path, ["-c", path, "-v"])
    assert r.code == OK and "(acknowledged by probe.nat_ok)" in r.err, r


def test_nat_ok_must_be_boolean(tmp_path, servers):
    srv, ep, path = nat_config(tmp_path, servers, "100.64.0.7", nat_ok="yes")
    r = run(tmp_path, ["-c", path])
    assert r.code == 78, r
    assert "c.json:" in r.err and "probe.nat_ok: expected true or false" \
        in r.err, r


def test_no_nat_when_wan_is_public(tmp_path, servers):
    srv, ep, path = nat_config(tmp_path, servers, PUB)
    r = run(tmp_path, ["-c", path, "--json"])
    assert r.code == OK, r
    doc = r.json()
    assert doc["nat"] == {"verdict": "none", "wan": PUB, "public": PUB,
                          "message": None}, doc
    # The router, listed first, answered with a public WAN address: that
    # is the address, and the http step after it was not needed.
    seen = doc["addresses"]["A"]["seen"]
    assert [s["source_label"] for s in seen] == ["router natpmp"]
    assert seen[0]["wan"] == PUB and seen[0]["address"] == PUB
    assert seen[0]["error"] is None
    assert all(isinstance(s["ms"], int) for s in seen)


def test_failure_beats_nat(tmp_path, servers):
    srv, ep, path = nat_config(tmp_path, servers, "100.64.0.7")
    srv.state["rules"] = {"a.example.com": (503, {}, "later")}
    r = run(tmp_path, ["-c", path])
    assert r.code == TEMPFAIL, r
    assert "carrier-grade" in r.err, r


def test_ipv6_only_run_has_no_nat_check(tmp_path, servers):
    srv, ep, path = nat_config(tmp_path, servers, "100.64.0.7", records=[
        cb_record(servers(CallbackMock), "a.example.com", types="AAAA")])
    r = run(tmp_path, ["-c", path, "--ip", "2001:db8::7", "--json"])
    assert r.code == OK, r
    assert "nat" not in r.json(), r


def test_probe_shows_sources_and_exits_3(tmp_path, servers):
    srv, ep, path = nat_config(tmp_path, servers, "100.64.0.7")
    r = run(tmp_path, ["-c", path, "--probe", "-4"])
    assert r.code == NAT, r
    assert r.out == PUB + "\n", r
    lines = r.err.splitlines()
    assert lines[0].startswith("ddnsup: A: router natpmp: NAT-PMP "
                               "127.0.0.1:"), r
    assert "100.64.0.7 is in cgnat" in lines[0], r
    assert lines[0].endswith(", router WAN 100.64.0.7"), r
    assert lines[1].startswith("ddnsup: A: http: %s from %s/fast/%s in "
                               % (PUB, ep.url, PUB)), r
    assert lines[1].endswith(" ms (chosen)"), r
    assert "carrier-grade NAT" in lines[2], r
    r = run(tmp_path, ["-c", path, "--probe", "-4", "--json"])
    assert r.code == NAT, r
    doc = r.json()
    assert doc["exit"] == NAT and doc["nat"]["verdict"] == "cgnat", doc
    assert "records" not in doc
