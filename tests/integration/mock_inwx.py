"""A stateful mock of INWX's DomRobot JSON-RPC API (one endpoint).

Shaped after INWX's "DomRobot XML-RPC, JSON-RPC API Documentation":
POST {"method","params"} to /jsonrpc/; the reply {"code","msg",...,
"resData"}, 1000 success (1500 for logout), EPP-style 2xxx errors.
account.login (user, pass) hands the session out as a cookie
("domrobot=..."), which every later call must send; an account with two
factors answers "tfa":"GOOGLE-AUTH" and its session is locked until
account.unlock gets the current RFC 6238 code of the shared secret,
computed here with this file's own hmac/hashlib code; a code is taken
once. nameserver.list (domain filter), nameserver.info (domain, name,
type; 2303 for a domain not on the account), nameserver.createRecord
(fully qualified name, none for the apex; 2302 for a duplicate) and
nameserver.updateRecord (id; 2303 when gone) keep records. The texts of
errors INWX does not publish are this mock's own.

    srv = start(servers, tls=ca)              # domains: example.com
    srv.iw.add_record("home.example.com", "A", "198.51.100.1")
    srv.endpoint                              # for the "endpoint" key
    srv.iw.throttle(count=1)                  # code 2502
    srv.iw.tfa = True                         # GOOGLE-AUTH; SECRET
"""
import base64
import hashlib
import hmac
import ipaddress
import itertools
import json
import secrets
import struct
import threading
import time

from harness import MockHandler

PATH = "/jsonrpc/"
USER = "alice-api"
PASS = "S3cr3t-Pass-xyz!"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"     # base32, 20 bytes


def totp(secret_b32, t=None, step=30):
    """RFC 6238, SHA-1, 6 digits (as authenticator apps and INWX)."""
    key = base64.b32decode(secret_b32.upper() +
                           "=" * (-len(secret_b32) % 8))
    counter = int(time.time() if t is None else t) // step
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    code = struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF
    return "%06d" % (code % 1000000)


def answer(code, msg, res=None, headers=None, **kw):
    body = {"code": code, "msg": msg}
    body.update(kw)
    if res is not None:
        body["resData"] = res
    body["svTRID"] = "20261123-%d-mock" % secrets.randbelow(10 ** 8)
    body["runtime"] = 0.01
    return (200, headers or {}, body)


def ok(res=None, headers=None):
    return answer(1000, "Command completed successfully", res, headers)


AUTH = (2200, "Authentication error")


class InwxState:
    """Domains, records, credentials, sessions, injected faults."""

    def __init__(self, user=USER, password=PASS, secret=SECRET):
        self.lock = threading.Lock()
        self.user, self.password, self.secret = user, password, secret
        self.tfa = False
        self.extra_cookie = None    # e.g. a load balancer's, sent first
        self.domains = {}           # name -> roId
        self.records = {}           # id (int) -> dict
        self.sessions = {}          # cookie value -> {"unlocked": bool}
        self.used_sessions = []     # every session handed out
        self.used_tans = set()
        self.logins = self.logouts = self.unlocks = 0
        self.faults = []
        self.ids = itertools.count(90000001)
        self.roids = itertools.count(110)

    def add_domain(self, name):
        with self.lock:
            self.domains[name] = next(self.roids)

    def add_record(self, name, type, content, ttl=3600):
        with self.lock:
            dom = self.domain_of(name)
            assert dom is not None, name
            rid = next(self.ids)
            self.records[rid] = {"id": rid, "name": name, "type": type,
                                 "content": content, "ttl": ttl,
                                 "prio": 0, "_domain": dom}
            return rid

    def domain_of(self, name):
        best = None
        for d in self.domains:
            if name == d or name.endswith("." + d):
                if best is None or len(d) > len(best):
                    best = d
        return best

    def find(self, name, type=None):
        return [r for r in self.records.values()
                if r["name"] == name and type in (None, r["type"])]

    def delete_record(self, rid):
        with self.lock:
            del self.records[rid]

    def fail_next(self, status=200, count=1, payload=None, method=None,
                  headers=None):
        """The next count calls (of method, or any) answer this."""
        with self.lock:
            self.faults.append([count, status, payload, method,
                                headers or {}])

    def throttle(self, count=1, method=None):
        self.fail_next(200, count, {"code": 2502, "msg": "Session limit "
                                    "exceeded; server closing connection"},
                       method)

    @staticmethod
    def public(r):
        return {k: v for k, v in r.items() if not k.startswith("_")}

    def session(self, call):
        for part in (call.headers.get("Cookie") or "").split(";"):
            k, _, v = part.strip().partition("=")
            if k == "domrobot" and v in self.sessions:
                return v
        return None

    def handle(self, call):
        with self.lock:
            for f in self.faults:
                if f[3] is None or f[3] in call.body.decode(errors="replace"):
                    f[0] -= 1
                    if f[0] <= 0:
                        self.faults.remove(f)
                    return (f[1], f[4], f[2])
            if call.method != "POST" or call.path != PATH:
                return (404, {}, "<html>Not Found</html>")
            try:
                req = json.loads(call.body.decode())
                method, p = req["method"], req.get("params", {})
                assert isinstance(method, str) and isinstance(p, dict)
            except (ValueError, KeyError, AssertionError, AttributeError):
                return answer(2001, "Command syntax error")
            if method == "account.login":
                return self.login(p)
            sid = self.session(call)
            if sid is None:
                return answer(*AUTH, reason="No session")
            if method == "account.logout":
                del self.sessions[sid]
                self.logouts += 1
                return answer(1500, "Command completed successfully; "
                              "ending session")
            if method == "account.unlock":
                return self.unlock(sid, p)
            if not self.sessions[sid]["unlocked"]:
                return answer(*AUTH, reason="Account locked: unlock it "
                              "with a TAN")
            if "pass" in p or "tan" in p:
                return answer(2001, "Command syntax error",
                              reason="unexpected parameter")
            if method == "nameserver.list":
                return self.list(p)
            if method == "nameserver.info":
                return self.info(p)
            if method == "nameserver.createRecord":
                return self.create(p)
            if method == "nameserver.updateRecord":
                return self.update(p)
            return answer(2000, "Unknown command")

    def login(self, p):
        if p.get("user") != self.user or p.get("pass") != self.password:
            return answer(*AUTH)
        sid = secrets.token_urlsafe(24)
        self.sessions[sid] = {"unlocked": not self.tfa}
        self.used_sessions.append(sid)
        self.logins += 1
        ck = "domrobot=%s; path=/; secure; HttpOnly" % sid
        if self.extra_cookie:
            ck = [self.extra_cookie, ck]
        return ok({"customerId": 10069, "customerNo": 110069,
                   "accountId": 61140, "tfa":
                   "GOOGLE-AUTH" if self.tfa else "0"},
                  {"Set-Cookie": ck})

    def unlock(self, sid, p):
        tan = p.get("tan")
        self.unlocks += 1
        now = time.time()
        good = {totp(self.secret, now + d) for d in (-30, 0, 30)}
        if not isinstance(tan, str) or tan not in good or \
                tan in self.used_tans:
            return answer(*AUTH, reason="Invalid TAN")
        self.used_tans.add(tan)
        self.sessions[sid]["unlocked"] = True
        return ok()

    def list(self, p):
        pat = p.get("domain", "*")
        doms = [{"roId": r, "domain": d, "type": "MASTER"}
                for d, r in sorted(self.domains.items())
                if pat in ("*", d)]
        return ok({"count": len(doms), "domains": doms})

    def info(self, p):
        d = p.get("domain")
        if d not in self.domains:
            return answer(2303, "Object does not exist")
        recs = [self.public(r) for r in self.records.values()
                if r["_domain"] == d
                and p.get("name") in (None, r["name"])
                and p.get("type") in (None, r["type"])]
        res = {"roId": self.domains[d], "domain": d, "type": "MASTER",
               "count": len(recs)}
        if recs:
            res["record"] = recs
        return ok(res)

    @staticmethod
    def bad_content(t, c):
        try:
            if t == "A":
                ipaddress.IPv4Address(c)
            elif t == "AAAA":
                ipaddress.IPv6Address(c)
            else:
                return True
        except (ValueError, TypeError):
            return True
        return False

    def create(self, p):
        d, t, c = p.get("domain"), p.get("type"), p.get("content")
        if d not in self.domains:
            return answer(2303, "Object does not exist")
        name = p.get("name", d)
        if name != d and not name.endswith("." + d):
            return answer(2306, "Parameter value policy error",
                          reason="name not in domain")
        if self.bad_content(t, c):
            return answer(2005, "Parameter value syntax error",
                          reason="Invalid content for type %s" % t)
        if any(r["content"] == c for r in self.find(name, t)):
            return answer(2302, "Object exists")
        rid = next(self.ids)
        self.records[rid] = {"id": rid, "name": name, "type": t,
                             "content": c, "ttl": p.get("ttl", 3600),
                             "prio": 0, "_domain": d}
        return ok({"id": rid})

    def update(self, p):
        rid = p.get("id")
        r = self.records.get(rid) if isinstance(rid, int) else None
        if r is None:
            return answer(2303, "Object does not exist")
        if self.bad_content(r["type"], p.get("content")):
            return answer(2005, "Parameter value syntax error")
        r["content"] = p["content"]
        if "ttl" in p:
            r["ttl"] = p["ttl"]
        return ok()


class InwxHandler(MockHandler):
    def respond(self, call):
        status, headers, payload = self.server.state["iw"].handle(call)
        cookies = headers.get("Set-Cookie")
        if not isinstance(cookies, list):
            return status, headers, payload
        # Several Set-Cookie lines: written here, as a dict cannot.
        body = json.dumps(payload).encode()
        self.send_response(status)
        for c in cookies:
            self.send_header("Set-Cookie", c)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None


def start(servers, tls=None, domains=("example.com",), **kw):
    """Start a mock holding domains; .iw is its state, .endpoint its URL."""
    srv = servers(InwxHandler, tls=tls)
    st = InwxState(**kw)
    for d in domains:
        st.add_domain(d)
    srv.state["iw"] = st
    srv.iw = st
    srv.endpoint = srv.url + PATH
    return srv
