"""The rfc2136 provider (DNS UPDATE + TSIG) against real servers: Knot DNS
and BIND 9, each started here on 127.0.0.1 and ::1 with a random high port,
a test zone and a TSIG key that may update only some names. The served
record is read back with knotc (Knot) or dig (BIND); the zone's SOA serial
tells whether an UPDATE was applied. Plus loopback UDP servers of our own
(mock_rfc2136.py): one that never answers, one that answers garbage, one
that does not sign, and a TSIG server with its own Python signer for the
three algorithms, a skewed clock, BADTIME, a forged MAC and SERVFAIL.
"""
import json
import os
import shutil
import socket
import struct
import subprocess
import threading
import time

import pytest

import harness
from mock_rfc2136 import UDPServer, UpdateServer

KEY = "ddns-key.example"
SECRET = "ZGRuc3VwIHRlc3Qga2V5IGZvciByZmMyMTM2IHRzaWc="
WRONG = "d3Jvbmcgc2VjcmV0IHdyb25nIHNlY3JldCB3cm9uZyE="
ZONE = "example.test"
NAME = "home.example.test"
IP1, IP2 = "203.0.113.7", "203.0.113.8"
V6 = "2001:db8::7"


def have_ipv6():
    try:
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.bind(("::1", 0))
        s.close()
        return True
    except OSError:
        return False


need6 = pytest.mark.skipif(not have_ipv6(), reason="SKIPPED: no IPv6 loopback")


def free_port():
    """A port free for UDP on 127.0.0.1 and ::1."""
    for _ in range(50):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        if port < 20000:
            continue
        return port
    raise RuntimeError("no free port")


ZONEFILE = ("$ORIGIN example.test.\n$TTL 3600\n"
            "@ SOA ns hostmaster 1 3600 600 86400 60\n@ NS ns\n"
            "ns A 192.0.2.53\n")


class Knot:
    """Knot DNS: the acl lets the key update three owner names; knotc
    reads the zone back."""
    kind = "knot"

    def __init__(self, d, port):
        self.d, self.port = d, port
        self.sock = os.path.join(d, "knot.sock")

    def start(self, knotd):
        with open(os.path.join(self.d, "example.test.zone"), "w") as f:
            f.write(ZONEFILE)
        listen = "127.0.0.1@%d" % self.port + \
            (", ::1@%d" % self.port if have_ipv6() else "")
        with open(os.path.join(self.d, "knot.conf"), "w") as f:
            f.write("server:\n    listen: [ %s ]\n    rundir: %s\n"
                    "control:\n    listen: %s\n"
                    "database:\n    storage: %s\n"
                    "key:\n  - id: %s.\n    algorithm: hmac-sha256\n"
                    "    secret: %s\n"
                    "acl:\n  - id: ddns\n    key: %s.\n    action: update\n"
                    "    update-owner: name\n    update-owner-match: equal\n"
                    "    update-owner-name: [ home.example.test., "
                    "example.test. ]\n"
                    "template:\n  - id: default\n    storage: %s\n"
                    "    zonefile-sync: -1\n    zonefile-load: whole\n"
                    "    journal-content: changes\n"
                    "zone:\n  - domain: example.test\n"
                    "    file: example.test.zone\n    acl: ddns\n"
                    % (listen, self.d, self.sock, self.d, KEY, SECRET, KEY,
                       self.d))
        return subprocess.Popen([knotd, "-c",
                                 os.path.join(self.d, "knot.conf")],
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)

    def up(self):
        return bool(self.knotc("zone-read", ZONE, "@", "SOA"))

    def knotc(self, *args):
        p = subprocess.run(["knotc", "-s", self.sock] + list(args),
                           capture_output=True, text=True, timeout=10)
        return p.stdout

    def rows(self, name, rtype):
        out = self.knotc("zone-read", ZONE, name + ".", rtype)
        return [line.split()[1:] for line in out.splitlines()
                if line.split()[3:4] == [rtype]]

    def set(self, name, rtype, ttl, datas):
        """Make name's rtype RRset hold datas (none: delete it)."""
        self.knotc("zone-begin", ZONE)
        self.knotc("zone-unset", ZONE, name + ".", rtype)
        for d in datas:
            self.knotc("zone-set", ZONE, name + ".", str(ttl), rtype, d)
        self.knotc("zone-commit", ZONE)

    # what is served
    def served(self, name, rtype):
        return sorted(r[-1] for r in self.rows(name, rtype))

    def ttl(self, name, rtype):
        return int(self.rows(name, rtype)[0][1])

    def serial(self):
        return int(self.rows(ZONE, "SOA")[0][5])


class Bind(Knot):
    """BIND 9: update-policy grants the key three names; dig reads the
    zone back, nsupdate (with the key) sets it up."""
    kind = "bind"

    def start(self, named):
        with open(os.path.join(self.d, "example.test.zone"), "w") as f:
            f.write(ZONEFILE)
        v6 = "listen-on-v6 port %d { ::1; };" % self.port if have_ipv6() \
            else "listen-on-v6 { none; };"
        with open(os.path.join(self.d, "named.conf"), "w") as f:
            f.write('options { directory "%s"; pid-file "%s/named.pid";\n'
                    '  listen-on port %d { 127.0.0.1; }; %s\n'
                    '  session-keyfile "%s/session.key"; recursion no;\n'
                    '  dnssec-validation no; notify no; };\n'
                    'controls { };\n'
                    'key "%s" { algorithm hmac-sha256; secret "%s"; };\n'
                    'zone "example.test" { type primary; '
                    'file "%s/example.test.zone";\n'
                    '  update-policy { grant %s name home.example.test. A AAAA;'
                    ' grant %s name example.test. A AAAA; }; };\n'
                    % (self.d, self.d, self.port, v6, self.d, KEY, SECRET,
                       self.d, KEY, KEY))
        return subprocess.Popen([named, "-g", "-c",
                                 os.path.join(self.d, "named.conf")],
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)

    def up(self):
        return bool(self.dig(ZONE, "SOA"))

    def dig(self, name, rtype):
        p = subprocess.run(["dig", "@127.0.0.1", "-p", str(self.port),
                            "+norec", "+noall", "+answer", "+time=1",
                            "+tries=1", name, rtype],
                           capture_output=True, text=True, timeout=10)
        return [line.split() for line in p.stdout.splitlines()
                if line.split()[3:4] == [rtype]]

    def rows(self, name, rtype):
        return self.dig(name, rtype)

    def set(self, name, rtype, ttl, datas):
        cmds = "server 127.0.0.1 %d\nzone %s\nupdate delete %s. %s\n" % (
            self.port, ZONE, name, rtype)
        for d in datas:
            cmds += "update add %s. %d %s %s\n" % (name, ttl, rtype, d)
        cmds += "send\n"
        p = subprocess.run(["nsupdate", "-y", "hmac-sha256:%s:%s" % (KEY, SECRET)],
                           input=cmds, capture_output=True, text=True,
                           timeout=10)
        assert p.returncode == 0, p.stderr

    def served(self, name, rtype):
        return sorted(r[-1] for r in self.rows(name, rtype))

    def ttl(self, name, rtype):
        return int(self.rows(name, rtype)[0][1])

    def serial(self):
        return int(self.rows(ZONE, "SOA")[0][6])


def daemon(name):
    return shutil.which(name) or ("/usr/sbin/" + name
                                  if os.path.exists("/usr/sbin/" + name)
                                  else None)


@pytest.fixture(scope="module", params=["knot", "bind"])
def ns(request, tmp_path_factory):
    cls, prog, pkg = {"knot": (Knot, "knotd", "knot"),
                      "bind": (Bind, "named", "bind9 and bind9-dnsutils")
                      }[request.param]
    exe = daemon(prog)
    if exe is None or (cls is Bind and shutil.which("dig") is None):
        pytest.skip("SKIPPED: %s not installed (Debian package %s); the "
                    "rfc2136 tests against it did not run" % (prog, pkg))
    k = cls(str(tmp_path_factory.mktemp(request.param)), free_port())
    p = k.start(exe)
    try:
        t0 = time.monotonic()
        while not k.up():
            if p.poll() is not None or time.monotonic() - t0 > 10:
                raise RuntimeError("%s did not start: %s" %
                                   (prog, p.stderr.read()))
            time.sleep(0.05)
        yield k
    finally:
        p.terminate()
        p.wait(5)


def record(server, name=NAME, **kw):
    r = {"name": name, "zone": ZONE, "provider": "rfc2136",
         "server": server, "key_name": KEY, "key_secret": SECRET}
    r.update(kw)
    return {k: v for k, v in r.items() if v is not None}


class Setup:
    def __init__(self, tmp_path, recs):
        self.config = harness.write_config(str(tmp_path / "ddnsup.json"),
                                           {"records": recs})
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


def srv(ns, v6=False):
    return ("[::1]:%d" if v6 else "127.0.0.1:%d") % ns.port


# ---- against Knot -----------------------------------------------------------

def test_create_update_unchanged_force(tmp_path, ns):
    ns.set(NAME, "A", 0, [])
    s = Setup(tmp_path, [record(srv(ns))])
    serial = ns.serial()
    r = s.run("--ip", IP1, "-v")
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    assert ns.served(NAME, "A") == [IP1]
    assert ns.ttl(NAME, "A") == 300
    assert ns.serial() == serial + 1
    # the state remembers: no traffic at all
    r = s.run("--ip", IP1, "-vv")
    assert r.code == 0, r
    assert "rfc2136" not in r.err, r
    # forced: the signed query shows the record holds it, no UPDATE
    serial = ns.serial()
    r = s.run("--ip", IP1, "--force", "-vv")
    assert r.code == 0, r
    assert "already holds %s" % IP1 in r.err, r
    assert "UPDATE" not in r.err, r
    assert ns.serial() == serial
    # a new address: one UPDATE replacing the RRset, TTL kept
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert ns.served(NAME, "A") == [IP2]
    assert ns.serial() == serial + 1


def test_rrset_replaced_and_ttl(tmp_path, ns):
    """Two addresses and another TTL become the one configured."""
    ns.set(NAME, "A", 60, ["192.0.2.1", "192.0.2.2"])
    s = Setup(tmp_path, [record(srv(ns), ttl=120)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert ns.served(NAME, "A") == [IP1]
    assert ns.ttl(NAME, "A") == 120
    # same address, another TTL wanted: that is a change too
    s = Setup(tmp_path, [record(srv(ns), ttl=240)])
    r = s.run("--ip", IP1, "--force")
    assert r.code == 0, r
    assert ns.ttl(NAME, "A") == 240


@need6
def test_aaaa_over_ipv6_apex(tmp_path, ns):
    s = Setup(tmp_path, [record(srv(ns, v6=True), name=ZONE,
                                key_algorithm="hmac-sha256.",
                                types=["AAAA"])])
    r = s.run("--ip", V6, "-6")
    assert r.code == 0, r
    assert r.out == "%s AAAA %s updated\n" % (ZONE, V6)
    assert ns.served(ZONE, "AAAA") == [V6]
    # the zone's other records are untouched
    assert ns.served("ns." + ZONE, "A") == ["192.0.2.53"]


def test_wrong_secret(tmp_path, ns):
    serial = ns.serial()
    s = Setup(tmp_path, [record(srv(ns), key_secret=WRONG)])
    r = s.run("--ip", IP1, "--force", "-vv")
    assert r.code == 77, r
    assert ("rfc2136: %s A: TSIG error BADSIG: the server's key %s has "
            "another secret: check key_secret" % (NAME, KEY)) in r.err, r
    assert WRONG not in r.err + r.out
    assert ns.serial() == serial


def test_unknown_key(tmp_path, ns):
    s = Setup(tmp_path, [record(srv(ns), key_name="nobody.example")])
    r = s.run("--ip", IP1, "--force")
    assert r.code == 77, r
    assert "TSIG error BADKEY: the server knows no key nobody.example with " \
        "algorithm hmac-sha256: check key_name and key_algorithm" in r.err, r


def test_wrong_algorithm(tmp_path, ns):
    s = Setup(tmp_path, [record(srv(ns), key_algorithm="hmac-sha512")])
    r = s.run("--ip", IP1, "--force")
    assert r.code == 77, r
    assert "TSIG error BADKEY" in r.err, r


def test_name_outside_grant(tmp_path, ns):
    serial = ns.serial()
    name = "other.example.test"
    s = Setup(tmp_path, [record(srv(ns), name=name)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    # Knot says BADKEY when its acl denies a key it knows, BIND REFUSED;
    # the key signed the query's answer, so we know it is the policy
    grant = ("key %s may not update %s A: the server's policy needs a "
             "grant" % (KEY, name))
    if ns.kind == "knot":
        assert ("TSIG error BADKEY on the UPDATE, though the server signed "
                "our query's answer with that key: " + grant) in r.err, r
    else:
        assert "REFUSED: " + grant in r.err, r
    assert ns.served(name, "A") == []
    assert ns.serial() == serial


def test_wrong_zone(tmp_path, ns):
    s = Setup(tmp_path, [record(srv(ns), name="home.elsewhere.test",
                                zone="elsewhere.test")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "rfc2136: home.elsewhere.test A: NOTAUTH: the server is not " \
        "authoritative for zone elsewhere.test" in r.err, r


def test_zone_found_by_soa(tmp_path, ns):
    """No zone configured: signed SOA queries find it, the update goes."""
    ns.set(NAME, "A", 0, [])
    rec = record(srv(ns))
    del rec["zone"]
    s = Setup(tmp_path, [rec])
    r = s.run("--ip", IP1, "-v")
    assert r.code == 0, r
    assert "rfc2136: %s A: zone %s" % (NAME, ZONE) in r.err, r
    assert ns.served(NAME, "A") == [IP1]


def test_zone_not_found(tmp_path, ns):
    name = "x.elsewhere.test"
    s = Setup(tmp_path, [record(srv(ns), name=name, zone=None)])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("rfc2136: %s A: no zone on the server for %s (tried %s, "
            "elsewhere.test; no signed SOA answer named one: set \"zone\")"
            % (name, name, name)) in r.err, r


def test_secret_from_env_never_printed(tmp_path, ns):
    rec = record(srv(ns))
    rec["key_secret"] = {"env": "DDNSUP_TEST_TSIG"}
    s = Setup(tmp_path, [rec])
    r = s.run("--ip", IP2, "--force", "-vv",
              env={"DDNSUP_TEST_TSIG": SECRET})
    assert r.code == 0, r
    assert SECRET not in r.out + r.err
    assert "UPDATE" in r.err or "already holds" in r.err


def test_check_config(tmp_path):
    for rec, why in (
            (record("127.0.0.1:53", key_secret="not base64!"),
             "rfc2136: %s A: key_secret is not base64 (as in the key file's "
             "secret \"...\"; at most 256 octets)" % NAME),
            (record("127.0.0.1:53", name="a.other.test"),
             'records[0].zone: "a.other.test" is not inside zone '
             '"example.test"'),
            (record("[::1"),
             "rfc2136: %s A: \"[::1\" is not a server: expected "
             "address[:port], [IPv6]:port or host[:port]" % NAME),
            (record("ns_1.example:53"),
             "rfc2136: %s A: \"ns_1.example\" is not a host name or "
             "address" % NAME),
            (record("::1", key_algorithm="hmac-md5"),
             "rfc2136: %s A: key_algorithm \"hmac-md5\" is not one of "
             "hmac-sha256, hmac-sha512, hmac-sha1" % NAME)):
        s = Setup(tmp_path, [rec])
        r = harness.run(["--check-config", "-c", s.config])
        assert r.code == 78, r
        assert why in r.err, r
        assert "not base64!" not in r.err
    for server in ("::1", "[::1]:5353", "192.0.2.1", "ns1.example.com:53"):
        s = Setup(tmp_path, [record(server)])
        r = harness.run(["--check-config", "-c", s.config])
        assert r.code == 0, r


# ---- misbehaving servers of our own -----------------------------------------

def test_silent_server(tmp_path):
    u = UDPServer()
    try:
        s = Setup(tmp_path, [record("127.0.0.1:%d" % u.port)])
        r = s.run("--ip", IP1)
    finally:
        u.close()
    assert r.code == 75, r
    assert "rfc2136: %s A: 127.0.0.1:%d: no reply in 4.0 s (2 requests " \
        "sent)" % (NAME, u.port) in r.err, r
    assert r.elapsed < 8, r
    assert len(u.got) == 2
    # what it got was a TSIG-signed query (type 250 record at the end)
    q = u.got[0]
    assert struct.unpack("!HHHH", q[4:12]) == (1, 0, 0, 1)
    assert b"\x08ddns-key\x07example\x00\x00\xfa\x00\xff" in q


def test_garbage_answer(tmp_path):
    # our id, QR and the query's opcode, then no question it announced
    u = UDPServer(lambda q: q[:2] + b"\x84\x00\x00\x01\x00\x00\x00\x00\x00"
                  b"\x00\xff\xfe")
    try:
        s = Setup(tmp_path, [record("127.0.0.1:%d" % u.port)])
        r = s.run("--ip", IP1)
    finally:
        u.close()
    assert r.code == 76, r
    assert "rfc2136: %s A: malformed reply: " % NAME in r.err, r


def test_unsigned_noerror_is_not_trusted(tmp_path):
    """A server that answers NOERROR without a TSIG: the query tells
    nothing, the UPDATE's answer cannot be believed."""
    def answer(q):
        # echo the question only: id, QR|opcode, NOERROR, QD 1
        end = 12
        while q[end] != 0:
            end += q[end] + 1
        end += 5
        flags = 0x8000 | (struct.unpack("!H", q[2:4])[0] & 0x7800)
        return q[:2] + struct.pack("!HHHHH", flags, 1, 0, 0, 0) + q[12:end]
    u = UDPServer(answer)
    try:
        s = Setup(tmp_path, [record("127.0.0.1:%d" % u.port)])
        r = s.run("--ip", IP1, "-v")
    finally:
        u.close()
    assert r.code == 76, r
    assert "cannot tell what the record holds: updating" in r.err, r
    assert "the server's NOERROR is not signed" in r.err, r
    assert len(u.got) == 2
    assert (struct.unpack("!H", u.got[1][2:4])[0] >> 11) & 0xf == 5


# ---- our own TSIG server: algorithms, clocks, forged replies ----------------

@pytest.fixture
def upd():
    made = []

    def make(alg="hmac-sha256", mode="ok"):
        import base64
        m = UpdateServer(ZONE, KEY, alg, base64.b64decode(SECRET), mode)
        made.append(m)
        return m
    yield make
    for m in made:
        m.close()
        assert m.errors == [], m.errors


@pytest.mark.parametrize("alg", ["hmac-sha256", "hmac-sha512", "hmac-sha1"])
def test_algorithms(tmp_path, upd, alg):
    m = upd(alg)
    s = Setup(tmp_path, [record("127.0.0.1:%d" % m.port, key_algorithm=alg)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert m.updates == [(NAME, 1, 300, bytes([203, 0, 113, 7]))]
    # forced, the signed answer says it holds it: no second UPDATE
    r = s.run("--ip", IP1, "--force")
    assert r.code == 0, r
    assert m.queries == 2 and len(m.updates) == 1


def test_reply_signed_an_hour_ahead(tmp_path, upd):
    m = upd(mode="skew")
    s = Setup(tmp_path, [record("127.0.0.1:%d" % m.port)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "the reply was signed 3600 s from our clock (fudge 300 s): the " \
        "clocks differ: check NTP" in r.err, r
    assert m.updates == []


def test_server_says_badtime(tmp_path, upd):
    m = upd(mode="badtime")
    s = Setup(tmp_path, [record("127.0.0.1:%d" % m.port)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "TSIG error BADTIME: the server's clock is 3600 s from ours " \
        "(fudge 300 s): the clocks differ: check NTP" in r.err, r


def test_tampered_mac(tmp_path, upd):
    m = upd(mode="tamper")
    s = Setup(tmp_path, [record("127.0.0.1:%d" % m.port)])
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "the reply's TSIG does not verify: a MAC that does not verify " \
        "with our key (a forged or broken reply)" in r.err, r
    assert m.updates == []


def test_servfail(tmp_path, upd):
    m = upd(mode="servfail")
    s = Setup(tmp_path, [record("127.0.0.1:%d" % m.port)])
    r = s.run("--ip", IP1)
    assert r.code == 75, r
    assert "SERVFAIL: the server could not apply the update now" in r.err, r
    assert len(m.updates) == 1
