# Independent TSIG vectors for tests/unit/test_rfc2136.c, made with dnspython
# 2.3 (Debian python3-dnspython; not needed to run the tests): run it and
# paste its output over the vectors there.
import struct, base64, time
import dns.tsig, dns.name, dns.rdata, dns.rdataclass, dns.rdatatype, dns.message, dns.rcode, dns.rrset
from dns.rdtypes.ANY.TSIG import TSIG

SECRET = b"ddnsup test key for rfc2136 tsig"
print("secret", base64.b64encode(SECRET).decode())
T = 1700000000

def name(n):
    out = b""
    for l in n.split("."):
        out += bytes([len(l)]) + l.encode()
    return out + b"\0"

def update(i, zone, n, rtype, rdata, ttl):
    m = struct.pack("!HHHHHH", i, 5 << 11, 1, 0, 2, 0)
    m += name(zone) + struct.pack("!HH", 6, 1)
    m += name(n) + struct.pack("!HHIH", rtype, 255, 0, 0)
    m += name(n) + struct.pack("!HHIH", rtype, 1, ttl, len(rdata)) + rdata
    return m

def sign(wire, keyname, alg):
    key = dns.tsig.Key(keyname, SECRET, alg)
    i = struct.unpack("!H", wire[:2])[0]
    rd = TSIG(dns.rdataclass.ANY, dns.rdatatype.TSIG, dns.name.from_text(alg), 0, 300, b"", i, 0, b"")
    rd2, ctx = dns.tsig.sign(wire, key, rd, T)
    rr = name(keyname) + struct.pack("!HHI", 250, 255, 0)
    rdw = rd2.to_wire()
    rr += struct.pack("!H", len(rdw)) + rdw
    ar = struct.unpack("!H", wire[10:12])[0] + 1
    return wire[:10] + struct.pack("!H", ar) + wire[12:] + rr, rd2.mac

def cdump(label, b):
    print("static const unsigned char %s[] = {" % label)
    for j in range(0, len(b), 12):
        print("\t" + " ".join("0x%02x," % x for x in b[j:j+12]))
    print("};")

for alg, tag in (("hmac-sha256", "sha256"), ("hmac-sha512", "sha512"), ("hmac-sha1", "sha1")):
    w = update(0x1234, "example.test", "home.example.test", 1, bytes([203,0,113,7]), 300)
    s, mac = sign(w, "ddns-key.example", alg)
    cdump("upd_" + tag, s)
w = update(0xbeef, "example.test", "example.test", 28, bytes.fromhex("20010db8000000000000000000000001"), 60)
s, mac = sign(w, "ddns-key.example", "hmac-sha256")
cdump("upd_aaaa", s)

# A reply, signed by dnspython as a server would: to the sha256 request.
w = update(0x1234, "example.test", "home.example.test", 1, bytes([203,0,113,7]), 300)
req, reqmac = sign(w, "ddns-key.example", "hmac-sha256")
kr = {dns.name.from_text("ddns-key.example"): dns.tsig.Key("ddns-key.example", SECRET, "hmac-sha256")}
orig = time.time
time.time = lambda: T + 5
q = dns.message.from_wire(req, keyring=kr)
resp = dns.message.make_response(q)
cdump("reply_ok", resp.to_wire())
time.time = orig
