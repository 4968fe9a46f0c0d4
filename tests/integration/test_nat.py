"""The driver's side of the CGNAT check: the warning, exit status 3,
probe.nat_ok, --probe's status and lines, and the --json "nat" object.

The real router source and check (probe/router.c) are tested with their
module. Here the driver is linked with tests/integration/fake_router.c
(make builds ddnsup-fakerouter): "router:<addr>" reports <addr> as the
router's WAN address, and its check says cgnat for 100.64/10, double for
a private WAN, none when the WAN is the public address. The public
address comes from a loopback HTTP endpoint (probes.py).
"""
import os

import pytest

import harness
from probes import ProbeHandler
from test_driver import CallbackMock, cb_record, env_for, updates

FAKE = os.path.join(harness.ROOT, "tests", "integration", "ddnsup-fakerouter")
PUB = "203.0.113.7"
OK, UNCHANGED, NAT, TEMPFAIL = 0, 2, 3, 75

pytestmark = pytest.mark.skipif(
    harness.ON_WINE or not os.path.exists(FAKE),
    reason="needs tests/integration/ddnsup-fakerouter (make builds it)")


def run(tmp_path, args):
    saved, harness.BIN = harness.BIN, FAKE
    try:
        return harness.run(args, env=env_for(tmp_path))
    finally:
        harness.BIN = saved


def nat_config(tmp_path, servers, wan, records=None, **probe):
    """A config whose IPv4 list is the fake router, then one endpoint."""
    ep = servers(ProbeHandler)
    srv = servers(CallbackMock)
    p = {"ipv4": ["router:" + wan, ep.url + "/fast/" + PUB],
         "allow_nonpublic": ["documentation"]}
    p.update(probe)
    cfg = {"state": str(tmp_path / "state.json"), "probe": p,
           "records": records or [cb_record(srv, "a.example.com")]}
    return srv, ep, harness.write_config(str(tmp_path / "c.json"), cfg)


def test_cgnat_warns_pushes_and_exits_3(tmp_path, servers):
    srv, ep, path = nat_config(tmp_path, servers, "100.64.0.7")
    r = run(tmp_path, ["-c", path])
    assert r.code == NAT, r
    assert "fake: router WAN 100.64.0.7: this network is behind " \
        "carrier-grade NAT" in r.err, r
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
    assert "fake: router WAN 192.168.1.1 is private" in r.err, r


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
                          "public": PUB, "message": "fake: router WAN "
                          "100.64.0.7: this network is behind "
                          "carrier-grade NAT"}, doc
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
    seen = doc["addresses"]["A"]["seen"]
    assert [s["source_label"] for s in seen] == ["router " + PUB, "http"]
    assert seen[0]["wan"] == PUB and seen[0]["address"] is None
    assert seen[0]["error"] == "router %s: WAN address %s (fake)" % (PUB,
                                                                     PUB)
    assert seen[1]["address"] == PUB and seen[1]["error"] is None
    assert "wan" not in seen[1]
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
    assert lines[0] == "ddnsup: A: router 100.64.0.7: WAN address " \
        "100.64.0.7 (fake) (1 ms), router WAN 100.64.0.7", r
    assert lines[1].startswith("ddnsup: A: http: %s from %s/fast/%s in "
                               % (PUB, ep.url, PUB)), r
    assert lines[1].endswith(" ms (chosen)"), r
    assert "carrier-grade NAT" in lines[2], r
    r = run(tmp_path, ["-c", path, "--probe", "-4", "--json"])
    assert r.code == NAT, r
    doc = r.json()
    assert doc["exit"] == NAT and doc["nat"]["verdict"] == "cgnat", doc
    assert "records" not in doc
