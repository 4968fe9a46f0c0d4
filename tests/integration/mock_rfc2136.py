"""A loopback DNS server for the rfc2136 tests: a UDP socket on 127.0.0.1
that hands every datagram to a handler, and a small stateful UPDATE
server with its own TSIG code (RFC 8945, Python's hmac; nothing shared
with the C side) that verifies requests and signs replies, and can be
told to sign with a skewed clock, answer BADTIME, tamper with its MAC or
answer SERVFAIL.
"""
import hashlib
import hmac
import socket
import struct
import threading
import time

T_A, T_SOA, T_AAAA, T_TSIG = 1, 6, 28, 250
C_IN, C_ANY = 1, 255
DIGESTS = {"hmac-sha256": hashlib.sha256, "hmac-sha512": hashlib.sha512,
           "hmac-sha1": hashlib.sha1}


class UDPServer:
    """A loopback UDP server that never answers (handler None), or sends
    what handler(request) returns (None: nothing)."""

    def __init__(self, handler=None):
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.bind(("127.0.0.1", 0))
        self.s.settimeout(0.1)
        self.port = self.s.getsockname()[1]
        self.handler = handler
        self.got = []
        self.stop = False
        self.t = threading.Thread(target=self.loop, daemon=True)
        self.t.start()

    def loop(self):
        while not self.stop:
            try:
                data, peer = self.s.recvfrom(4096)
            except socket.timeout:
                continue
            self.got.append(data)
            if self.handler is not None:
                out = self.handler(data)
                if out is not None:
                    self.s.sendto(out, peer)

    def close(self):
        self.stop = True
        self.t.join()
        self.s.close()


def wire(name):
    """A name in canonical (lower case, uncompressed) wire form."""
    out = b""
    for label in name.lower().rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def read_name(msg, off):
    """The name at off (pointers followed) and the offset after it."""
    labels, end = [], None
    while True:
        n = msg[off]
        if n & 0xc0 == 0xc0:
            if end is None:
                end = off + 2
            off = struct.unpack("!H", msg[off:off + 2])[0] & 0x3fff
            continue
        if n == 0:
            return ".".join(labels).lower(), end if end is not None else off + 1
        labels.append(msg[off + 1:off + 1 + n].decode())
        off += n + 1


def parse(msg):
    """Header fields, questions, RRs (name, type, class, ttl, rdata,
    start offset) of msg."""
    mid, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", msg[:12])
    off, qs, rrs = 12, [], []
    for _ in range(qd):
        name, off = read_name(msg, off)
        qs.append((name,) + struct.unpack("!HH", msg[off:off + 4]))
        off += 4
    for _ in range(an + ns + ar):
        start = off
        name, off = read_name(msg, off)
        t, c, ttl, rdlen = struct.unpack("!HHIH", msg[off:off + 10])
        off += 10
        rrs.append((name, t, c, ttl, msg[off:off + rdlen], start))
        off += rdlen
    assert off == len(msg), "octets after the last record"
    return mid, flags, (qd, an, ns, ar), qs, rrs


def tsig_fields(rdata):
    alg, off = read_name(rdata, 0)
    t = int.from_bytes(rdata[off:off + 6], "big")
    fudge, maclen = struct.unpack("!HH", rdata[off + 6:off + 10])
    mac = rdata[off + 10:off + 10 + maclen]
    oid, err, olen = struct.unpack("!HHH", rdata[off + 10 + maclen:
                                                 off + 16 + maclen])
    other = rdata[off + 16 + maclen:]
    assert len(other) == olen
    return alg, t, fudge, mac, oid, err, other


def tsig_vars(key, alg, t, fudge, err, other):
    return (wire(key) + struct.pack("!HI", C_ANY, 0) + wire(alg) +
            t.to_bytes(6, "big") + struct.pack("!HHH", fudge, err, len(other))
            + other)


def sign(msg, reqmac, key, alg, secret, t, err=0, other=b"", tamper=False):
    """msg with a TSIG RR appended: the MAC covers reqmac (when not
    None), msg and the TSIG variables."""
    data = b""
    if reqmac is not None:
        data = struct.pack("!H", len(reqmac)) + reqmac
    data += msg + tsig_vars(key, alg, t, 300, err, other)
    mac = hmac.new(secret, data, DIGESTS[alg]).digest()
    if tamper:
        mac = bytes([mac[0] ^ 1]) + mac[1:]
    rdata = (wire(alg) + t.to_bytes(6, "big") + struct.pack("!HH", 300, len(mac))
             + mac + msg[:2] + struct.pack("!HH", err, len(other)) + other)
    rr = wire(key) + struct.pack("!HHIH", T_TSIG, C_ANY, 0, len(rdata)) + rdata
    ar = struct.unpack("!H", msg[10:12])[0] + 1
    return msg[:10] + struct.pack("!H", ar) + msg[12:] + rr


class UpdateServer:
    """Holds one zone's A/AAAA records; takes signed queries and UPDATEs.
    mode: "ok", "skew" (signs 3600 s ahead), "badtime" (answers BADTIME
    with its clock 3600 s ahead), "tamper" (its MAC is wrong), "servfail"
    (the UPDATE fails)."""

    def __init__(self, zone, key, alg, secret, mode="ok"):
        self.zone, self.key, self.alg, self.secret = zone, key, alg, secret
        self.mode = mode
        self.records = {}          # (name, type) -> (ttl, [rdata])
        self.queries, self.updates, self.errors = 0, [], []
        self.udp = UDPServer(self.handle)
        self.port = self.udp.port

    def close(self):
        self.udp.close()

    def handle(self, req):
        try:
            return self.answer(req)
        except Exception as e:      # a test failure, not a server crash
            self.errors.append(repr(e))
            return None

    def answer(self, req):
        mid, flags, counts, qs, rrs = parse(req)
        name, t, c, ttl, rdata, start = rrs[-1]
        assert t == T_TSIG and c == C_ANY and ttl == 0, "no TSIG last"
        assert name == self.key, "key %s" % name
        alg, ts, fudge, mac, oid, err, other = tsig_fields(rdata)
        assert alg == self.alg and err == 0 and oid == mid and fudge == 300
        # the request's MAC: over the message without the TSIG RR
        body = req[:10] + struct.pack("!H", counts[3] - 1) + req[12:start]
        want = hmac.new(self.secret, body + tsig_vars(name, alg, ts, fudge, 0,
                                                      other),
                        DIGESTS[alg]).digest()
        assert hmac.compare_digest(mac, want), "request MAC"
        assert abs(ts - time.time()) <= 300, "request time"
        now = int(time.time())
        opcode = (flags >> 11) & 0xf
        head = struct.pack("!H", 0x8400 | opcode << 11)
        if self.mode == "badtime":
            reply = req[:2] + struct.pack("!HHHHH", 0x8000 | opcode << 11 | 9,
                                          1, 0, 0, 0) + self.question(req)
            return sign(reply, mac, self.key, self.alg, self.secret, ts,
                        err=18, other=(now + 3600).to_bytes(6, "big"))
        stamp = now + 3600 if self.mode == "skew" else now
        tamper = self.mode == "tamper"
        if opcode == 0:
            self.queries += 1
            qname, qtype, _ = qs[0]
            ttl, datas = self.records.get((qname, qtype), (0, []))
            ans = b"".join(wire(qname) + struct.pack("!HHIH", qtype, C_IN, ttl,
                                                     len(d)) + d for d in datas)
            reply = (req[:2] + head + struct.pack("!HHHH", 1, len(datas), 0, 0)
                     + self.question(req) + ans)
            return sign(reply, mac, self.key, self.alg, self.secret, stamp,
                        tamper=tamper)
        assert opcode == 5 and counts[:2] == (1, 0) and counts[2] == 2
        zname, ztype, zclass = qs[0]
        assert (zname, ztype, zclass) == (self.zone, T_SOA, C_IN)
        (dn, dt, dc, dttl, drd, _), (an, at, ac, attl, ard, _) = rrs[:2]
        assert (dc, dttl, drd) == (C_ANY, 0, b"") and dt == at and dn == an
        assert ac == C_IN
        self.updates.append((an, at, attl, ard))
        rcode = 2 if self.mode == "servfail" else 0
        if rcode == 0:
            self.records[(an, at)] = (attl, [ard])
        reply = (req[:2] + struct.pack("!HHHHH", 0x8000 | 5 << 11 | rcode, 1,
                                       0, 0, 0) + self.question(req))
        return sign(reply, mac, self.key, self.alg, self.secret, stamp,
                    tamper=tamper)

    @staticmethod
    def question(req):
        end = 12
        while req[end] != 0:
            end += req[end] + 1
        return req[12:end + 5]
