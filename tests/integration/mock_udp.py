"""Loopback UDP servers for the dns and stun sources: a whoami DNS server
and a STUN server, each with its own Python reading of the protocol
(RFC 1035 section 4, RFC 8489), and misbehaviours on demand.

Each listens on 127.0.0.1 or ::1, port 0; .port is its port, .addr its
"host:port" as the config wants it, .log the requests it saw: (time,
source (host, port), bytes).
"""
import socket
import struct
import threading
import time
import zlib


class UDPServer:
    """A UDP server on loopback answering with self.answer(data, src)."""

    def __init__(self, v6=False):
        fam = socket.AF_INET6 if v6 else socket.AF_INET
        self.host = "::1" if v6 else "127.0.0.1"
        self.sock = socket.socket(fam, socket.SOCK_DGRAM)
        self.sock.bind((self.host, 0))
        self.port = self.sock.getsockname()[1]
        self.addr = ("[::1]:%d" if v6 else "127.0.0.1:%d") % self.port
        self.log = []
        self.mode = "ok"
        self.stop = False
        self.seen = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        self.sock.settimeout(0.1)
        while not self.stop:
            try:
                data, src = self.sock.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            self.log.append((time.monotonic(), src, data))
            self.seen.set()
            for out in self.answer(data, src, len(self.log)):
                if isinstance(out, tuple):      # (bytes, from another socket)
                    other = socket.socket(self.sock.family, socket.SOCK_DGRAM)
                    other.bind((self.host, 0))
                    other.sendto(out[0], src)
                    other.close()
                else:
                    self.sock.sendto(out, src)

    def close(self):
        self.stop = True
        self.thread.join(2)
        self.sock.close()


# ---- DNS -----------------------------------------------------------------

def dns_name(wire, off):
    """The name at off (no compression in queries): (text, next offset)."""
    labels = []
    while True:
        n = wire[off]
        if n == 0:
            return ".".join(labels), off + 1
        if n & 0xC0:
            raise ValueError("compression in a query")
        labels.append(wire[off + 1:off + 1 + n].decode("ascii"))
        off += 1 + n


def dns_wire(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


class DNSMock(UDPServer):
    """A whoami server: name is answered with self.address (default: the
    client's own address) as A / AAAA, or as a TXT string.

    mode: ok, wrong_id, wrong_question, truncated, servfail, silent,
    garbage, forged (a correct answer from another port, nothing from
    this one), second (silent to the first query, answers the next),
    slow (answers after self.delay seconds), ecs (TXT with an extra
    edns0-client-subnet string first), two (two different addresses).
    """

    def __init__(self, v6=False, address=None, delay=0.3):
        self.address = address
        self.delay = delay
        super().__init__(v6)

    def parse(self, data):
        qid, flags, qd = struct.unpack("!HHH", data[:6])
        name, off = dns_name(data, 12)
        qtype, qclass = struct.unpack("!HH", data[off:off + 4])
        return qid, flags, qd, name, qtype, qclass, data[12:off + 4]

    def rr(self, qtype, qclass, text):
        if qtype == 1:
            rdata = socket.inet_pton(socket.AF_INET, text)
        elif qtype == 28:
            rdata = socket.inet_pton(socket.AF_INET6, text)
        else:
            rdata = bytes([len(text)]) + text.encode()
        # owner: a compression pointer to the question's name
        return struct.pack("!HHHIH", 0xC00C, qtype, qclass, 0, len(rdata)) + rdata

    def answer(self, data, src, n):
        qid, flags, qd, name, qtype, qclass, question = self.parse(data)
        assert qd == 1 and (flags & 0x8000) == 0, "not a query"
        self.queries = getattr(self, "queries", []) + [(qid, name, qtype, qclass, flags)]
        addr = self.address or src[0]
        mode = self.mode
        if mode == "silent" or (mode == "second" and n == 1):
            return []
        if mode == "slow":
            time.sleep(self.delay)
        rid = qid ^ 0x5555 if mode == "wrong_id" else qid
        if mode == "wrong_question":
            question = dns_wire("other.example") + question[-4:]
        rflags = 0x8000 | (flags & 0x0100) | 0x0400
        answers = [self.rr(qtype, qclass, addr)]
        if mode == "ecs":
            answers.insert(0, self.rr(qtype, qclass, "edns0-client-subnet 198.51.100.0/24"))
        if mode == "two":
            answers.append(self.rr(qtype, qclass, self.other))
        if mode == "truncated":
            rflags |= 0x0200
            answers = []
        if mode == "servfail":
            rflags |= 2
            answers = []
        msg = struct.pack("!HHHHHH", rid, rflags, 1, len(answers), 0, 0) + question
        msg += b"".join(answers)
        if mode == "garbage":
            return [b"\x00\x01garbage"]
        if mode == "forged":
            return [(msg,)]
        return [msg]


# ---- STUN ----------------------------------------------------------------

COOKIE = 0x2112A442


def stun_attr(t, v):
    pad = (4 - len(v) % 4) % 4
    return struct.pack("!HH", t, len(v)) + v + b"\0" * pad


class STUNMock(UDPServer):
    """A STUN server answering Binding requests with XOR-MAPPED-ADDRESS of
    self.address (default: the client's address) and FINGERPRINT.

    mode: ok, rfc3489 (MAPPED-ADDRESS only, SOURCE/CHANGED-ADDRESS, no
    FINGERPRINT), wrong_txid, error (400 Bad Request), garbage, silent,
    retransmit (silent to the first request, answers the second),
    badfp (a FINGERPRINT that does not match).
    """

    def __init__(self, v6=False, address=None):
        self.address = address
        super().__init__(v6)

    def answer(self, data, src, n):
        mtype, mlen, cookie = struct.unpack("!HHI", data[:8])
        txid = data[8:20]
        assert mtype == 0x0001 and cookie == COOKIE and mlen == len(data) - 20, \
            "not a Binding request"
        mode = self.mode
        if mode == "silent" or (mode == "retransmit" and n == 1):
            return []
        if mode == "garbage":
            return [b"\xff" * 7, b"GET / HTTP/1.1\r\n\r\n" + b"\0" * 8]
        if mode == "wrong_txid":
            txid = bytes(b ^ 0xFF for b in txid)
        addr = self.address or src[0]
        port = src[1]
        v6 = ":" in addr
        raw = socket.inet_pton(socket.AF_INET6 if v6 else socket.AF_INET, addr)
        fam = 2 if v6 else 1
        attrs = stun_attr(0x8022, b"ddnsup test mock")
        if mode == "error":
            attrs += stun_attr(0x0009, struct.pack("!HBB", 0, 4, 0) + b"Bad Request")
            mtype = 0x0111
        elif mode == "rfc3489":
            attrs += stun_attr(0x0001, struct.pack("!BBH", 0, fam, port) + raw)
            attrs += stun_attr(0x0004, struct.pack("!BBH", 0, 1, 3478) +
                               socket.inet_pton(socket.AF_INET, "192.0.2.1"))
            mtype = 0x0101
        else:
            key = struct.pack("!I", COOKIE) + txid
            xaddr = bytes(a ^ k for a, k in zip(raw, key))
            attrs += stun_attr(0x0020, struct.pack("!BBH", 0, fam, port ^ (COOKIE >> 16)) + xaddr)
            mtype = 0x0101
        if mode != "rfc3489":
            head = struct.pack("!HHI", mtype, len(attrs) + 8, COOKIE) + txid
            crc = (zlib.crc32(head + attrs) ^ 0x5354554E) & 0xFFFFFFFF
            if mode == "badfp":
                crc ^= 1
            attrs += stun_attr(0x8028, struct.pack("!I", crc))
        return [struct.pack("!HHI", mtype, len(attrs), COOKIE) + txid + attrs]
