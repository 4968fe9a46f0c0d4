"""The router source against a loopback NAT-PMP responder and UPnP IGD
(mock_router.py), and SSDP + default-gateway discovery in a pair of network
namespaces the test builds itself.

The CGNAT verdict is printed and reflected in the exit status (3) by the
driver; the asserts that need that (probe.nat_ok, "nat" in --json) are
skipped on a binary whose --help does not mention exit status 3 yet.
"""
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid

import pytest

import harness
from harness import run, write_config
from mock_router import IP1, PPP1, IgdHandler, NatPmp
from probes import ProbeHandler

HERE = os.path.dirname(os.path.abspath(__file__))
MINIUPNPD = shutil.which("miniupnpd") or "/usr/sbin/miniupnpd"
CGNAT = ("this network is behind carrier-grade NAT: inbound connections "
         "cannot reach it; ask the ISP for a public IPv4 or use IPv6")
DOUBLE = ("double NAT: another router in front of this one: forward ports "
          "on both, or put the first in bridge mode")


def _nat_feature():
    r = run(["--help"])
    return "behind NAT" in r.out + r.err


NAT = _nat_feature()
needs_nat = pytest.mark.skipif(not NAT, reason="the driver does not report "
                               "the CGNAT verdict yet (exit status 3)")


@pytest.fixture
def natpmp():
    started = []

    def start(*a, **kw):
        s = NatPmp(*a, **kw)
        started.append(s)
        return s
    yield start
    for s in started:
        s.close()
        assert not s.errors, s.errors


def probe(tmp_path, v4, args=(), timeout=1, deadline=5, nat_ok=None,
          allow=("documentation",)):
    p = {"ipv4": v4, "timeout": timeout, "deadline": deadline,
         "allow_nonpublic": list(allow)}
    if nat_ok is not None:
        p["nat_ok"] = nat_ok
    path = write_config(os.path.join(str(tmp_path), "ddnsup.json"),
                        {"probe": p})
    return run(["--probe", "--json", "-4", "-c", path] + list(args))


def gw(np):
    """NAT-PMP only: "auto" would also search for IGDs by multicast on the
    machine's real interfaces, which tests must not do."""
    return {"source": "router", "protocol": "natpmp",
            "gateway": "127.0.0.1:%d" % np.port}


# ---- NAT-PMP ----------------------------------------------------------

def test_natpmp_public(tmp_path, natpmp):
    np = natpmp("203.0.113.7")
    r = probe(tmp_path, [gw(np)])
    assert r.code == 0, r
    a = r.json()["addresses"]["A"]
    assert a["address"] == "203.0.113.7"
    assert a["source"] == "NAT-PMP 127.0.0.1:%d" % np.port
    assert [d for _, d in np.requests] == [b"\x00\x00"]
    assert "carrier-grade" not in r.err and "double NAT" not in r.err
    if NAT:
        nat = r.json()["nat"]
        assert nat.pop("message", None) is None
        assert nat == {"verdict": "none", "wan": "203.0.113.7",
                       "public": "203.0.113.7"}


def test_natpmp_cgnat_falls_back(tmp_path, natpmp, servers):
    np = natpmp("100.64.1.2")
    web = servers(ProbeHandler)
    r = probe(tmp_path, [gw(np), web.url + "/fast/203.0.113.9"],
              args=["-v"])
    a = r.json()["addresses"]["A"]
    assert a["address"] == "203.0.113.9", r
    assert "NAT-PMP 127.0.0.1:%d says the WAN address is 100.64.1.2" \
        % np.port in r.err
    if NAT:
        assert r.code == 3, r
        msg = (CGNAT + " (the router's WAN address 100.64.1.2 is in "
               "100.64.0.0/10, the ISP's shared NAT range; seen from "
               "outside: 203.0.113.9)")
        assert msg in r.err
        assert r.json()["nat"] == {"verdict": "cgnat", "wan": "100.64.1.2",
                                   "public": "203.0.113.9", "message": msg}
        seen = a["seen"]
        assert seen[0]["wan"] == "100.64.1.2"
        assert seen[0]["error"] == (
            "router natpmp: NAT-PMP 127.0.0.1:%d: 100.64.1.2 is in cgnat: your ISP "
            "uses carrier-grade NAT; a DNS name cannot reach you" % np.port)
        assert seen[1]["address"] == "203.0.113.9"
    else:
        assert r.code == 0, r


@needs_nat
def test_natpmp_cgnat_acknowledged(tmp_path, natpmp, servers):
    np = natpmp("100.64.1.2")
    web = servers(ProbeHandler)
    r = probe(tmp_path, [gw(np), web.url + "/fast/203.0.113.9"],
              nat_ok=True)
    assert r.code == 0, r
    assert CGNAT not in r.err


def test_natpmp_cgnat_alone(tmp_path, natpmp):
    """Only the router: no address, the range named, and the verdict."""
    np = natpmp("100.64.1.2")
    r = probe(tmp_path, [gw(np)])
    assert r.code in (69, 3) and r.code != 0, r
    assert r.code == 69
    assert ("router natpmp: NAT-PMP 127.0.0.1:%d: 100.64.1.2 is in cgnat"
            % np.port) in r.json()["addresses"]["A"]["error"]
    if NAT:
        assert CGNAT + " (the router's WAN address 100.64.1.2 is in " \
            "100.64.0.0/10, the ISP's shared NAT range)" in r.err


def test_natpmp_double_nat(tmp_path, natpmp, servers):
    np = natpmp("192.168.0.2")
    web = servers(ProbeHandler)
    r = probe(tmp_path, [gw(np), web.url + "/fast/203.0.113.9"])
    assert r.json()["addresses"]["A"]["address"] == "203.0.113.9", r
    if NAT:
        assert r.code == 3, r
        msg = (DOUBLE + " (this router's WAN address 192.168.0.2 is a "
               "private address; seen from outside: 203.0.113.9)")
        assert msg in r.err
        assert r.json()["nat"]["verdict"] == "double"
        assert r.json()["nat"]["message"] == msg


def test_router_after_http_still_runs_for_the_check(tmp_path, natpmp,
                                                   servers):
    """http first gives the address; the router step after it still runs,
    only to learn the WAN side, and a public WAN that is not the address
    seen from outside is the ISP's NAT (or another WAN link)."""
    np = natpmp("198.51.100.20")
    web = servers(ProbeHandler)
    r = probe(tmp_path, [web.url + "/fast/203.0.113.9", gw(np)])
    a = r.json()["addresses"]["A"]
    assert a["address"] == "203.0.113.9", r
    assert len(np.requests) >= 1
    if NAT:
        assert r.code == 3, r
        assert r.json()["nat"]["verdict"] == "cgnat"
        assert r.json()["nat"]["wan"] == "198.51.100.20"
        assert "the router's WAN address 198.51.100.20 is not " \
            "203.0.113.9" in r.err
        assert [x["source_label"] for x in a["seen"]][-1].startswith("router")


def test_router_after_http_agrees(tmp_path, natpmp, servers):
    np = natpmp("203.0.113.9")
    web = servers(ProbeHandler)
    r = probe(tmp_path, [web.url + "/fast/203.0.113.9", gw(np)])
    assert r.code == 0, r
    assert r.json()["addresses"]["A"]["address"] == "203.0.113.9"
    assert len(np.requests) >= 1
    assert CGNAT not in r.err and DOUBLE not in r.err
    if NAT:
        assert r.json()["nat"]["verdict"] == "none"


def test_natpmp_silent_retransmits_then_falls_back(tmp_path, natpmp,
                                                   servers):
    np = natpmp(mode="silent")
    web = servers(ProbeHandler)
    r = probe(tmp_path, [gw(np), web.url + "/fast/203.0.113.9"],
              timeout=1.0)
    assert r.code == 0, r
    assert r.json()["addresses"]["A"]["address"] == "203.0.113.9"
    # RFC 6886 3.1: 250 ms, then doubling: sent at 0, 250, 750 ms.
    t = [s for s, _ in np.requests]
    assert len(t) == 3, t
    assert 0.2 <= t[1] - t[0] <= 0.4, t
    assert 0.45 <= t[2] - t[1] <= 0.65, t
    # The timeout, then the next source at once.
    assert r.elapsed < 2.0, r.elapsed
    if NAT:
        assert r.json()["addresses"]["A"]["seen"][0]["error"] == \
            "router natpmp: NAT-PMP 127.0.0.1:%d: no reply in 1.0 s" % np.port


def test_natpmp_silent_alone(tmp_path, natpmp):
    np = natpmp(mode="silent")
    r = probe(tmp_path, [gw(np)], timeout=0.6)
    assert r.code == 69, r
    assert r.json()["addresses"]["A"]["error"] == \
        "router natpmp: NAT-PMP 127.0.0.1:%d: no reply in 0.6 s" % np.port


def test_natpmp_garbage_is_discarded(tmp_path, natpmp):
    np = natpmp(mode="garbage")
    r = probe(tmp_path, [gw(np)], timeout=0.6)
    assert r.code == 69, r
    err = r.json()["addresses"]["A"]["error"]
    assert err.startswith("router natpmp: NAT-PMP 127.0.0.1:%d: no valid reply in "
                          "0.6 s (discarded " % np.port), err


def test_natpmp_garbage_then_valid(tmp_path, natpmp):
    """Stray packets do not end the exchange: the retransmission's valid
    reply is taken."""
    np = natpmp("203.0.113.7", mode="late")
    r = probe(tmp_path, [gw(np)], timeout=2)
    assert r.code == 0, r
    assert r.json()["addresses"]["A"]["address"] == "203.0.113.7"
    assert len(np.requests) == 2


def test_natpmp_result_code_is_final(tmp_path, natpmp):
    np = natpmp(mode="code:2")
    r = probe(tmp_path, [gw(np)], timeout=3)
    assert r.code == 69, r
    assert r.elapsed < 1.5, r.elapsed
    assert r.json()["addresses"]["A"]["error"] == (
        "router natpmp: NAT-PMP 127.0.0.1:%d: the router refused: result code 2, "
        "not authorized or refused (NAT-PMP is off in the router's "
        "settings)" % np.port)


@pytest.mark.skipif(harness.ON_WINE, reason="Wine's Winsock may not report "
                    "ICMP port unreachable on UDP")
def test_natpmp_nobody_listens(tmp_path, natpmp):
    np = natpmp()
    port = np.port
    np.close()
    r = probe(tmp_path, [{"source": "router", "protocol": "natpmp",
                          "gateway": "127.0.0.1:%d" % port}], timeout=3)
    assert r.code == 69, r
    assert r.elapsed < 1.5, r.elapsed
    assert "nothing listens on its NAT-PMP port" in \
        r.json()["addresses"]["A"]["error"]


# ---- UPnP IGD with "url" -------------------------------------------------

def upnp(srv, **kw):
    d = {"source": "router", "protocol": "upnp",
         "url": srv.url + "/rootDesc.xml"}
    d.update(kw)
    return d


def test_upnp_public(tmp_path, servers):
    igd = servers(IgdHandler)
    r = probe(tmp_path, [upnp(igd)])
    assert r.code == 0, r
    a = r.json()["addresses"]["A"]
    assert a["address"] == "203.0.113.7"
    assert a["source"] == "UPnP %s/ctl/IPConn" % igd.url
    assert igd.state["errors"] == []
    assert [(c.method, c.path) for c in igd.calls] == [
        ("GET", "/rootDesc.xml"), ("POST", "/ctl/IPConn")]


def test_upnp_ppp_and_urlbase(tmp_path, servers):
    """A UPnP 1.0 router: URLBase, a relative control URL, the PPP
    connection first with no address (disconnected), then the IP one."""
    igd = servers(IgdHandler)
    igd.state.update(services=[(PPP1, "/upnp/ppp"), (IP1, "/upnp/ip")],
                     urlbase=igd.url + "/upnp/",
                     wan={PPP1: "", IP1: "203.0.113.8"})
    igd.state["services"] = [(PPP1, "/upnp/ppp"), (IP1, "/upnp/ip")]
    # The description names them relative to URLBase.
    from mock_router import description
    igd.state["desc"] = description([(PPP1, "ppp"), (IP1, "ip")],
                                    igd.url + "/upnp/")
    r = probe(tmp_path, [upnp(igd)])
    assert r.code == 0, r
    assert r.json()["addresses"]["A"]["address"] == "203.0.113.8"
    assert igd.state["errors"] == []
    assert [c.path for c in igd.calls] == ["/rootDesc.xml", "/upnp/ppp",
                                           "/upnp/ip"]


def test_upnp_cgnat(tmp_path, servers):
    igd = servers(IgdHandler)
    web = servers(ProbeHandler)
    igd.state["wan_all"] = "100.64.1.2"
    r = probe(tmp_path, [upnp(igd), web.url + "/fast/203.0.113.9"])
    assert r.json()["addresses"]["A"]["address"] == "203.0.113.9", r
    if NAT:
        assert r.code == 3, r
        assert CGNAT in r.err
        assert r.json()["nat"]["wan"] == "100.64.1.2"


def test_upnp_fault(tmp_path, servers):
    igd = servers(IgdHandler)
    igd.state["fault"] = (501, "Action Failed")
    r = probe(tmp_path, [upnp(igd)])
    assert r.code == 69, r
    assert r.json()["addresses"]["A"]["error"] == (
        "router upnp: UPnP %s/ctl/IPConn: the router answered with a fault: "
        "UPnP error 501, Action Failed" % igd.url)


def test_upnp_not_a_gateway(tmp_path, servers):
    igd = servers(IgdHandler)
    igd.state["services"] = [("urn:schemas-upnp-org:service:"
                              "ContentDirectory:1", "/ctl/cd")]
    r = probe(tmp_path, [upnp(igd)])
    assert r.code == 69, r
    assert r.json()["addresses"]["A"]["error"] == (
        "router upnp: UPnP %s/rootDesc.xml: no WANIPConnection or "
        "WANPPPConnection service in the description (1 other services): "
        "not an Internet gateway" % igd.url)


def test_upnp_hostile_description(tmp_path, servers):
    igd = servers(IgdHandler)
    igd.state["desc"] = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a '
                         '"aaaa">]><root>&a;</root>')
    r = probe(tmp_path, [upnp(igd)])
    assert r.code == 69, r
    assert r.json()["addresses"]["A"]["error"].endswith(
        "unreadable description: a DTD or declaration (not accepted)")


def test_upnp_control_url_elsewhere(tmp_path, servers):
    igd = servers(IgdHandler)
    other = servers(IgdHandler)
    # The same host on another port is the router still: asked.
    igd.state["services"] = [(IP1, other.url + "/ctl/IPConn")]
    r = probe(tmp_path, [upnp(igd)])
    assert r.code == 0, r
    assert [c.path for c in other.calls] == ["/ctl/IPConn"]
    # Another host (a name is another host) is not.
    igd.state["services"] = [(IP1, other.url.replace("127.0.0.1",
                                                     "localhost") + "/c")]
    r = probe(tmp_path, [upnp(igd)])
    assert r.code == 69, r
    assert r.json()["addresses"]["A"]["error"] == (
        "router upnp: UPnP %s/rootDesc.xml: the control URL of every WAN "
        "connection service is malformed or leaves 127.0.0.1" % igd.url)
    assert [c.path for c in other.calls] == ["/ctl/IPConn"]


def test_upnp_and_natpmp_auto(tmp_path, natpmp, servers):
    """protocol auto with both: the first answer wins, the other's
    failure is not an error."""
    igd = servers(IgdHandler)
    np = natpmp(mode="silent")
    r = probe(tmp_path, [{"source": "router", "url": igd.url +
                          "/rootDesc.xml", "gateway": "127.0.0.1:%d"
                          % np.port}])
    assert r.code == 0, r
    assert r.json()["addresses"]["A"]["address"] == "203.0.113.7"
    assert len(np.requests) >= 1


# ---- configuration -------------------------------------------------------

@pytest.mark.parametrize("entry,msg", [
    ("router", "router: the router source learns IPv4 only"),
    ({"source": "router", "protocol": "natpmp"},
     "router: the router source learns IPv4 only"),
])
def test_ipv6_refused(tmp_path, entry, msg):
    path = write_config(os.path.join(str(tmp_path), "c.json"),
                        {"probe": {"ipv6": [entry]}})
    r = run(["--check-config", "-c", path])
    assert r.code == 78, r
    assert msg in r.err
    assert "c.json:" in r.err


@pytest.mark.parametrize("entry,msg", [
    ("router:pcp", "PCP is not supported"),
    ({"source": "router", "protocol": "natpmp",
      "url": "http://192.168.1.1/d.xml"}, "\"url\" is for UPnP, not NAT-PMP"),
    ({"source": "router", "gateway": "router.lan"},
     "expected an IPv4 address"),
    ({"source": "router", "timeout": 3}, "unknown key \"timeout\""),
])
def test_bad_options(tmp_path, entry, msg):
    path = write_config(os.path.join(str(tmp_path), "c.json"),
                        {"probe": {"ipv4": [entry]}})
    r = run(["--check-config", "-c", path])
    assert r.code == 78, r
    assert msg in r.err


# ---- SSDP and the default gateway, in network namespaces ----------------

def _netns_ok():
    if harness.ON_WINE or sys.platform != "linux" or os.geteuid() != 0 \
            or shutil.which("ip") is None:
        return False
    name = "ddnsup-router-probe-%s" % uuid.uuid4().hex[:6]
    ok = subprocess.run(["ip", "netns", "add", name],
                        capture_output=True).returncode == 0
    if ok:
        subprocess.run(["ip", "netns", "del", name], capture_output=True)
    return ok


@pytest.fixture
def lan():
    """Two namespaces joined by a veth pair: "host" (10.77.0.2, default
    route via 10.77.0.1) and "router" (10.77.0.1) running mock_router.py
    as a script: SSDP, the IGD on port 8080 and NAT-PMP on 5351."""
    if not _netns_ok():
        pytest.skip("LOUD SKIP: needs root, Linux and ip netns for SSDP")
    tag = uuid.uuid4().hex[:6]
    host, router = "ddnsup-router-%s-h" % tag, "ddnsup-router-%s-r" % tag
    procs = []

    def sh(*a):
        subprocess.run(a, check=True, capture_output=True)

    try:
        sh("ip", "netns", "add", host)
        sh("ip", "netns", "add", router)
        sh("ip", "link", "add", "rt%sh" % tag, "netns", host, "type", "veth",
           "peer", "name", "rt%sr" % tag, "netns", router)
        sh("ip", "-n", host, "addr", "add", "10.77.0.2/24", "dev",
           "rt%sh" % tag)
        sh("ip", "-n", router, "addr", "add", "10.77.0.1/24", "dev",
           "rt%sr" % tag)
        for ns, dev in ((host, "rt%sh" % tag), (router, "rt%sr" % tag)):
            sh("ip", "-n", ns, "link", "set", dev, "up")
            sh("ip", "-n", ns, "link", "set", "lo", "up")
        sh("ip", "-n", host, "route", "add", "default", "via", "10.77.0.1")

        def start(wan, natpmp="ok", ssdp=True):
            p = subprocess.Popen(
                ["ip", "netns", "exec", router, sys.executable,
                 os.path.join(HERE, "mock_router.py"), wan, natpmp,
                 "1" if ssdp else "0"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            procs.append(p)
            line = p.stdout.readline()
            assert line.strip() == "ready", (line, p.stderr.read())
            return p

        def miniupnpd(tmp_path, wan):
            """The real thing, with WAN address wan on a veth wan0."""
            sh("ip", "-n", router, "link", "add", "wan0", "type", "veth",
               "peer", "name", "wan1")
            sh("ip", "-n", router, "addr", "add", wan, "dev", "wan0")
            sh("ip", "-n", router, "link", "set", "wan0", "up")
            sh("ip", "-n", router, "link", "set", "wan1", "up")
            conf = os.path.join(str(tmp_path), "miniupnpd.conf")
            with open(conf, "w") as f:
                f.write("ext_ifname=wan0\nlistening_ip=rt%sr\n"
                        "http_port=8080\nenable_natpmp=yes\n"
                        "enable_upnp=yes\nsecure_mode=no\n"
                        "system_uptime=yes\n"
                        "uuid=3d3cec3a-8cf0-11e0-98ee-001a6bd2d07b\n"
                        "allow 1024-65535 0.0.0.0/0 1024-65535\n"
                        "deny 0-65535 0.0.0.0/0 0-65535\n" % tag)
            p = subprocess.Popen(["ip", "netns", "exec", router,
                                  MINIUPNPD, "-f", conf, "-d"],
                                 stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True)
            procs.append(p)
            seen = []
            for line in p.stderr:
                seen.append(line)
                if "Listening for NAT-PMP" in line:
                    break
            else:
                raise AssertionError("miniupnpd did not start: %s"
                                     % "".join(seen))
            # Keep its pipe drained so it never blocks on a full one.
            threading.Thread(target=p.stderr.read, daemon=True).start()
            return p

        def ddnsup(tmp_path, v4, timeout=2):
            path = write_config(os.path.join(str(tmp_path), "ns.json"), {
                "probe": {"ipv4": v4, "timeout": timeout, "deadline": 6,
                          "allow_nonpublic": ["documentation"]}})
            t0 = time.monotonic()
            p = subprocess.run(["ip", "netns", "exec", host, harness.BIN,
                                "--probe", "--json", "-4", "-v", "-c", path],
                               capture_output=True, text=True, timeout=30)
            p.elapsed = time.monotonic() - t0
            return p

        yield start, ddnsup, miniupnpd
    finally:
        for p in procs:
            p.terminate()
            try:
                out, err = p.communicate(timeout=5)
            except (subprocess.TimeoutExpired, ValueError):
                p.kill()
                out, err = "", ""
            assert "ERROR" not in (out or "") + (err or ""), (out, err)
        subprocess.run(["ip", "netns", "del", host], capture_output=True)
        subprocess.run(["ip", "netns", "del", router], capture_output=True)


def test_ssdp_finds_the_igd(tmp_path, lan):
    start, ddnsup, _ = lan
    start("203.0.113.7", natpmp="silent")
    p = ddnsup(tmp_path, ["router:upnp"])
    assert p.returncode == 0, (p.stdout, p.stderr)
    a = json.loads(p.stdout)["addresses"]["A"]
    assert a["address"] == "203.0.113.7"
    assert a["source"] == "UPnP http://10.77.0.1:8080/ctl/IPConn"


def test_ssdp_cgnat(tmp_path, lan):
    start, ddnsup, _ = lan
    start("100.64.1.2", natpmp="silent")
    p = ddnsup(tmp_path, ["router:upnp"])
    assert p.returncode in (69, 3), (p.stdout, p.stderr)
    assert "UPnP http://10.77.0.1:8080/ctl/IPConn says the WAN address is " \
        "100.64.1.2" in p.stderr
    if NAT:
        assert CGNAT in p.stderr


def test_natpmp_default_gateway(tmp_path, lan):
    """No "gateway": the default route's (from /proc/net/route)."""
    start, ddnsup, _ = lan
    start("203.0.113.7", natpmp="ok", ssdp=False)
    p = ddnsup(tmp_path, ["router:natpmp"])
    assert p.returncode == 0, (p.stdout, p.stderr)
    a = json.loads(p.stdout)["addresses"]["A"]
    assert a["source"] == "NAT-PMP 10.77.0.1:5351"


def test_auto_nothing_answers(tmp_path, lan):
    """A gateway with neither NAT-PMP nor an IGD: both are named, within
    the timeout."""
    start, ddnsup, _ = lan
    start("203.0.113.7", natpmp="silent", ssdp=False)
    p = ddnsup(tmp_path, ["router"], timeout=1.5)
    assert p.returncode == 69, (p.stdout, p.stderr)
    assert p.elapsed < 3, p.elapsed
    assert json.loads(p.stdout)["addresses"]["A"]["error"] == (
        "router: NAT-PMP 10.77.0.1:5351: no reply in 1.5 s; UPnP: no IGD "
        "answered the SSDP search in 1.5 s")


# ---- a real miniupnpd (Debian package miniupnpd) --------------------------

needs_miniupnpd = pytest.mark.skipif(
    not os.path.exists(MINIUPNPD),
    reason="LOUD SKIP: miniupnpd is not installed (apt-get install miniupnpd)")


@needs_miniupnpd
@pytest.mark.parametrize("entry,source", [
    ("router:natpmp", "NAT-PMP 10.77.0.1:5351"),
    ("router:upnp", "UPnP http://10.77.0.1:8080/ctl/IPConn"),
])
def test_miniupnpd_public(tmp_path, lan, entry, source):
    """A public WAN address (the namespace reaches nothing beyond its own
    veth pairs): both protocols, found by the default route and SSDP."""
    _, ddnsup, miniupnpd = lan
    miniupnpd(tmp_path, "11.22.33.44/24")
    p = ddnsup(tmp_path, [entry])
    assert p.returncode == 0, (p.stdout, p.stderr)
    a = json.loads(p.stdout)["addresses"]["A"]
    assert a["address"] == "11.22.33.44"
    assert a["source"] == source


@needs_miniupnpd
def test_miniupnpd_cgnat(tmp_path, lan):
    """miniupnpd does not tell a CGNAT WAN address: NAT-PMP answers result
    code 3 and UPnP an empty address; both say it may be that."""
    _, ddnsup, miniupnpd = lan
    miniupnpd(tmp_path, "100.64.1.2/10")
    p = ddnsup(tmp_path, ["router"], timeout=3)
    assert p.returncode == 69, (p.stdout, p.stderr)
    err = json.loads(p.stdout)["addresses"]["A"]["error"]
    assert "NAT-PMP 10.77.0.1:5351: the router refused: result code 3, " \
        "network failure (the router has no WAN address yet, or one it " \
        "will not tell: miniupnpd answers so for a private or CGNAT one)" \
        in err
    assert "UPnP http://10.77.0.1:8080/ctl/IPConn: the router reports no " \
        "WAN address (an empty NewExternalIPAddress): its WAN link is " \
        "down, or its WAN address is private or CGNAT (miniupnpd hides " \
        "those)" in err
    # SSDP ends once every IGD had its chance (about 2.25 s), not at the
    # 3 s timeout.
    assert p.elapsed < 2.9, p.elapsed


def test_upnp_ignores_proxy(tmp_path, servers):
    """The router is on the LAN: an http_proxy from the environment (here
    one that refuses every connection) must not be used to reach it."""
    igd = servers(IgdHandler)
    path = write_config(os.path.join(str(tmp_path), "p.json"), {"probe": {
        "ipv4": [upnp(igd)], "timeout": 1, "deadline": 3,
        "allow_nonpublic": ["documentation"]}})
    dead = "http://127.0.0.1:9"
    r = run(["--probe", "--json", "-4", "-c", path],
            env={"http_proxy": dead, "HTTP_PROXY": dead, "ALL_PROXY": dead})
    assert r.code == 0, r
    assert r.json()["addresses"]["A"]["address"] == "203.0.113.7"
