"""The iface source against real interfaces in a network namespace.

Each test builds its own namespace (ddnsup-iface-<random>) with veth pairs
carrying real kernel-made addresses: static ones, SLAAC-style bases with
mngtmpaddr from which the kernel makes real temporary (privacy) addresses
(use_tempaddr=2), deprecated ones (preferred_lft 0), tentative ones (no
carrier, so DAD never ends), duplicates (DAD really failing against the
peer), ULAs and link-local ones. ddnsup runs inside the namespace with
`ip netns exec`; the namespace is deleted afterwards, pass or fail.

2001:db8::/32 is a documentation range: the configs allow it.
"""
import json
import os
import subprocess
import time
import uuid

import pytest

import harness
from harness import Result, run, write_config

netns = pytest.mark.skipif(
    harness.ON_WINE, reason="network namespaces and netlink are Linux only")

DOC = ["documentation"]
BEHIND = ("this machine is behind a router; its public address is on the "
          "router's WAN side \u2014 use an http or stun source (or router) "
          "instead")


def sh(*args, check=True):
    """Run a command; its stdout."""
    p = subprocess.run(args, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(args), p.stderr.strip()))
    return p.stdout


class Netns:
    """A network namespace of our own, deleted by close()."""

    def __init__(self):
        self.name = "ddnsup-iface-" + uuid.uuid4().hex[:8]
        sh("ip", "netns", "add", self.name)
        self.ip("link", "set", "lo", "up")

    def ip(self, *args):
        return sh("ip", "-n", self.name, *args)

    def sysctl(self, *settings):
        sh("ip", "netns", "exec", self.name, "sysctl", "-qw", *settings)

    def veth(self, dev, carrier=True, dad=False, tempaddr=False):
        """A veth pair dev/<dev>p; without carrier DAD never finishes."""
        self.ip("link", "add", dev, "type", "veth", "peer", "name", dev + "p")
        if tempaddr:
            self.sysctl("net.ipv6.conf.%s.use_tempaddr=2" % dev)
        if not dad:
            self.sysctl("net.ipv6.conf.%s.accept_dad=0" % dev)
        self.ip("link", "set", dev, "up")
        if carrier:
            self.ip("link", "set", dev + "p", "up")

    def add(self, dev, addr, *opts):
        self.ip("addr", "add", addr, "dev", dev, *opts)

    def addrs(self, dev):
        """[(address, flags dict)] as the kernel says, via ip -j."""
        out = json.loads(self.ip("-j", "addr", "show", "dev", dev))
        return [(a["local"], a) for i in out for a in i.get("addr_info", [])]

    def wait_for(self, dev, pred, what, timeout=15):
        """Wait until some address of dev satisfies pred; that address."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for a, info in self.addrs(dev):
                if pred(a, info):
                    return a
            time.sleep(0.05)
        raise AssertionError("%s: no %s after %d s: %r" % (
            dev, what, timeout, self.addrs(dev)))

    def run(self, args):
        t0 = time.monotonic()
        p = subprocess.run(["ip", "netns", "exec", self.name, harness.BIN] +
                           list(args), capture_output=True, text=True,
                           timeout=60, env={"PATH": os.environ.get("PATH", ""),
                                            "LANG": "C.UTF-8"})
        return Result(p, time.monotonic() - t0)

    def close(self):
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True)


@pytest.fixture
def ns():
    if os.geteuid() != 0:
        pytest.skip("NOT RUN: the iface tests need root for ip netns")
    try:
        n = Netns()
    except (OSError, RuntimeError) as e:
        pytest.skip("NOT RUN: cannot create a network namespace: %s" % e)
    try:
        yield n
    finally:
        n.close()


def probe(ns, tmp_path, v6=None, v4=None, args=(), **kw):
    """ddnsup --probe --json in ns with these source lists."""
    p = {"allow_nonpublic": DOC, "deadline": 5}
    p.update(kw)
    fams = []
    if v4 is not None:
        p["ipv4"] = v4
        fams.append("-4")
    if v6 is not None:
        p["ipv6"] = v6
        fams.append("-6")
    if len(fams) == 2:
        fams = []
    path = write_config(os.path.join(str(tmp_path), "ddnsup.json"),
                        {"probe": p})
    return ns.run(["--probe", "--json", "-c", path] + fams + list(args))


def chosen(r, rr="AAAA"):
    assert r.code == 0, r
    a = r.json()["addresses"][rr]
    assert "error" not in a, r
    return a["address"]


def error(r, rr="AAAA"):
    assert r.code == 69, r
    return r.json()["addresses"][rr]["error"]


def is_temp(a, info):
    return info.get("temporary") is True


def mixed(ns, stable=True):
    """d0: a real temporary, its base, deprecated, ULA (and a static)."""
    ns.veth("d0", tempaddr=True)
    if stable:
        ns.add("d0", "2001:db8:1::10/64", "nodad")
    ns.add("d0", "2001:db8:2::20/64", "mngtmpaddr", "nodad",
           "valid_lft", "3600", "preferred_lft", "1800")
    ns.add("d0", "2001:db8:1::30/64", "preferred_lft", "0")
    ns.add("d0", "fd00::1/64", "nodad")
    return ns.wait_for("d0", is_temp, "temporary address")


@netns
def test_stable_over_temporary_deprecated_ula(ns, tmp_path):
    temp = mixed(ns)
    assert temp.startswith("2001:db8:2:0:")
    r = probe(ns, tmp_path, v6=["iface:d0"], args=["-v"])
    assert chosen(r) == "2001:db8:1::10"
    assert r.json()["addresses"]["AAAA"]["source"] == "iface d0"
    assert ("probe: iface d0: 2001:db8:1::10 (static, preferred forever, "
            "2 of 6 IPv6 addresses qualified)") in r.err


@netns
def test_dynamic_base_over_its_temporary(ns, tmp_path):
    temp = mixed(ns, stable=False)
    r = probe(ns, tmp_path, v6=["iface:d0"])
    assert chosen(r) == "2001:db8:2::20"
    # the temporary one only when asked, and after its base
    r = probe(ns, tmp_path, v6=[{"source": "iface", "interface": "d0",
                                 "temporary": True, "index": 1}])
    assert chosen(r) == temp


@netns
def test_every_refusal_named(ns, tmp_path):
    ns.veth("d0", tempaddr=True)
    ns.add("d0", "2001:db8:2::20/64", "mngtmpaddr", "nodad",
           "valid_lft", "3600", "preferred_lft", "0")
    ns.add("d0", "2001:db8:1::30/64", "preferred_lft", "0")
    ns.add("d0", "fd00::1/64", "nodad")
    ns.add("d0", "2001:db8:3::1/64", "nodad", "valid_lft", "600",
           "preferred_lft", "600")
    ns.add("d0", "2001:db8:3::1:0/64", "nodad", "valid_lft", "600",
           "preferred_lft", "600")
    lladdr = ns.wait_for("d0", lambda a, i: a.startswith("fe80:"),
                         "link-local address")
    r = probe(ns, tmp_path, v6=[{"source": "iface", "interface": "d0",
                                 "prefix": "2001:db8:1::/48"}])
    why = error(r)
    assert why.startswith("iface d0: no usable IPv6 address: "), why
    for part in ("2001:db8:1::30 deprecated", "fd00::1 outside "
                 "2001:db8:1::/48", "%s link-local" % lladdr,
                 "2001:db8:2::20 outside 2001:db8:1::/48",
                 "2001:db8:3::1 outside 2001:db8:1::/48"):
        assert part in why, why
    # without the prefix: the two equal dynamic ones, lowest first
    r = probe(ns, tmp_path, v6=["iface:d0"])
    assert chosen(r) == "2001:db8:3::1"
    r = probe(ns, tmp_path, v6=[{"source": "iface", "interface": "d0",
                                 "index": 1}])
    assert chosen(r) == "2001:db8:3::1:0"


@netns
def test_deprecated_base_and_its_temporary_ula(ns, tmp_path):
    ns.veth("d0", tempaddr=True)
    ns.add("d0", "2001:db8:2::20/64", "mngtmpaddr", "nodad",
           "valid_lft", "3600", "preferred_lft", "1800")
    temp = ns.wait_for("d0", is_temp, "temporary address")
    # the prefix is no longer preferred: the kernel deprecates both
    ns.ip("addr", "change", "2001:db8:2::20/64", "dev", "d0", "mngtmpaddr",
          "nodad", "valid_lft", "3600", "preferred_lft", "0")
    ns.wait_for("d0", lambda a, i: a == temp and i.get("deprecated"),
                "deprecated temporary address")
    ns.add("d0", "fd00::1/64", "nodad")
    r = probe(ns, tmp_path, v6=["iface:d0"])
    why = error(r)
    assert "2001:db8:2::20 deprecated" in why, why
    assert "%s deprecated" % temp in why, why
    assert "fd00::1 ULA" in why, why
    # ULA when asked: valid without allow_nonpublic naming it
    r = probe(ns, tmp_path, v6=[{"source": "iface", "interface": "d0",
                                 "ula": True}])
    assert chosen(r) == "fd00::1"


@netns
def test_tentative_without_carrier(ns, tmp_path):
    ns.veth("t0", carrier=False, dad=True)
    ns.add("t0", "2001:db8:5::1/64")
    ns.add("t0", "2001:db8:5::2/64", "nodad")
    assert [i for a, i in ns.addrs("t0")
            if a == "2001:db8:5::1"][0].get("tentative") is True
    r = probe(ns, tmp_path, v6=["iface:t0"])
    assert chosen(r) == "2001:db8:5::2"
    ns.ip("addr", "del", "2001:db8:5::2/64", "dev", "t0")
    why = error(probe(ns, tmp_path, v6=["iface:t0"]))
    assert "2001:db8:5::1 tentative (DAD not done)" in why, why


@netns
def test_duplicate(ns, tmp_path):
    """DAD really fails: the peer already holds the address."""
    ns.veth("x0", dad=True)
    ns.add("x0p", "2001:db8:6::1/64", "nodad")
    ns.add("x0", "2001:db8:6::1/64")
    ns.add("x0", "2001:db8:6::2/64", "nodad")
    ns.wait_for("x0", lambda a, i: i.get("dadfailed") is True,
                "failed DAD")
    r = probe(ns, tmp_path, v6=[{"source": "iface", "interface": "x0",
                                 "suffix": "::1"}])
    why = error(r)
    assert "2001:db8:6::1 duplicate (DAD failed)" in why, why
    assert "2001:db8:6::2 host part not ::1/64" in why, why


@netns
def test_optimistic(ns, tmp_path):
    ns.veth("o0", carrier=False, dad=True)
    ns.sysctl("net.ipv6.conf.o0.optimistic_dad=1")
    ns.add("o0", "2001:db8:8::1/64", "optimistic")
    flags = [i for a, i in ns.addrs("o0") if a == "2001:db8:8::1"][0]
    if not flags.get("optimistic"):
        pytest.skip("NOT RUN: this kernel makes no optimistic addresses "
                    "(CONFIG_IPV6_OPTIMISTIC_DAD): %r" % flags)
    why = error(probe(ns, tmp_path, v6=["iface:o0"]))
    assert "2001:db8:8::1 optimistic (DAD not done)" in why, why


@netns
def test_prefix_suffix_index(ns, tmp_path):
    ns.veth("d0", tempaddr=True)
    for a in ("2001:db8:7::1234/64", "2001:db8:1::1234/64",
              "2001:db8:1::10/64"):
        ns.add("d0", a, "nodad")
    ns.add("d0", "2001:db8:7::5/64", "mngtmpaddr", "nodad",
           "valid_lft", "3600", "preferred_lft", "1800")
    temp = ns.wait_for("d0", is_temp, "temporary address")

    def pick(**opts):
        e = {"source": "iface", "interface": "d0"}
        e.update(opts)
        return chosen(probe(ns, tmp_path, v6=[e]))
    assert pick() == "2001:db8:1::10"
    assert pick(prefix="2001:db8:7::/48") == "2001:db8:7::1234"
    assert pick(suffix="::1234") == "2001:db8:1::1234"
    assert pick(suffix="::1234/64", prefix="2001:db8:7::/48") == \
        "2001:db8:7::1234"
    assert pick(index=0) == "2001:db8:1::10"
    assert pick(index=1) == "2001:db8:1::1234"
    assert pick(index=2) == "2001:db8:7::1234"
    assert pick(index=3) == "2001:db8:7::5"
    why = error(probe(ns, tmp_path, v6=[{"source": "iface",
                                         "interface": "d0", "index": 4}]))
    assert why.startswith("iface d0: no IPv6 address at index 4: 4 qualify "
                          "(2001:db8:1::10, 2001:db8:1::1234, "
                          "2001:db8:7::1234, 2001:db8:7::5); refused: "), why
    assert "%s temporary" % temp in why, why


@netns
def test_ipv4_private_is_the_classic_mistake(ns, tmp_path):
    ns.veth("e0")
    ns.add("e0", "192.168.1.20/24")
    r = probe(ns, tmp_path, v4=["iface:e0"])
    assert error(r, "A") == "iface e0: 192.168.1.20 is a private address: " \
        + BEHIND
    ns.add("e0", "203.0.113.7/24")
    r = probe(ns, tmp_path, v4=["iface:e0"])
    assert chosen(r, "A") == "203.0.113.7"


@netns
def test_ipv4_cgnat(ns, tmp_path):
    ns.veth("w0")
    ns.add("w0", "100.64.1.2/10")
    why = error(probe(ns, tmp_path, v4=["iface:w0"]), "A")
    assert why == ("iface w0: 100.64.1.2 is a shared (carrier-grade NAT) "
                   "address: this network is behind carrier-grade NAT: "
                   "inbound connections cannot reach it; ask the ISP for a "
                   "public IPv4 or use IPv6")


@netns
def test_both_families_one_read(ns, tmp_path):
    mixed(ns)
    ns.add("d0", "198.51.100.20/24")
    r = probe(ns, tmp_path, v4=["iface:d0"], v6=["iface:d0"], args=["-vv"])
    assert chosen(r, "A") == "198.51.100.20"
    assert chosen(r) == "2001:db8:1::10"
    assert "temporary" in r.err and "deprecated" in r.err


@netns
def test_missing_interface_lists_those_there(ns, tmp_path):
    ns.veth("d0")
    why = error(probe(ns, tmp_path, v6=["iface:eth9"]))
    assert why.startswith('iface eth9: no interface "eth9" here '
                          '(interfaces: '), why
    names = why[why.index("(interfaces: ") + 13:-1].split(", ")
    assert sorted(names) == ["d0", "d0p", "lo"], why


@netns
def test_falls_back_to_the_next_source(ns, tmp_path):
    ns.veth("d0")
    ns.add("d0", "fd00::1/64", "nodad")
    ns.veth("d1")
    ns.add("d1", "2001:db8:9::9/64", "nodad")
    r = probe(ns, tmp_path, v6=["iface:d0", "iface:d1"])
    assert chosen(r) == "2001:db8:9::9"
    assert r.json()["addresses"]["AAAA"]["source"] == "iface d1"


@pytest.mark.parametrize("entry,where,msg", [
    ({"source": "iface", "interface": "eth0", "prefix": "2001:db8::1/64"},
     "probe.ipv6[0].prefix", 'iface: prefix "2001:db8::1/64" has bits set '
     'after its first 64'),
    ("iface:", "probe.ipv6[0]",
     'iface: expected an interface name such as "eth0"'),
    ({"source": "iface"}, "probe.ipv6[0]",
     'iface: needs "interface", the interface to read ("iface:eth0" or '
     '{"source": "iface", "interface": "eth0"})'),
    ({"source": "iface", "interface": "eth0", "suffix": "::1/128"},
     "probe.ipv6[0].suffix", 'iface: suffix "::1/128" leaves no host part'),
    ({"source": "iface", "interface": "eth0", "index": "first"},
     "probe.ipv6[0].index", "iface: expected an integer from 0 to 1023"),
])
def test_config_errors_at_load(tmp_path, entry, where, msg):
    path = write_config(os.path.join(str(tmp_path), "c.json"),
                        {"probe": {"ipv6": [entry]}})
    r = run(["--probe", "-6", "-c", path])
    assert r.code == 78, r
    assert ": %s: %s" % (where, msg) in r.err, r.err


def test_ipv6_options_refused_for_ipv4(tmp_path):
    path = write_config(os.path.join(str(tmp_path), "c.json"), {"probe": {
        "ipv4": [{"source": "iface", "interface": "eth0", "ula": True}]}})
    r = run(["--probe", "-4", "-c", path])
    assert r.code == 78, r
    assert 'probe.ipv4[0].ula: iface: "ula" is for IPv6 sources only' \
        in r.err, r.err
