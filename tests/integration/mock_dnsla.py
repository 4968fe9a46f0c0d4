"""A stateful mock of DNS.LA's open API v2 (api.dns.la): GET /api/recordList,
POST /api/record (create) and PUT /api/record (update).

Every call carries "Authorization: Basic base64(APIID:APISecret)", checked
here with base64 from the standard library; a wrong or missing one is HTTP
401, as DNS.LA's document says. Other replies are HTTP 200 with
{"code":200,"msg":"","data":...}; 400 is a bad request (an unknown domain
among them). Writes that change nothing are counted so tests can insist
there are none.

    srv = start(servers, tls=ca)                 # domains: example.com
    srv.la.add_record("example.com", "home", 1, "198.51.100.1")
    srv.la.throttle(count=1)
    srv.la.fail_next(200, payload="<html>")
"""
import base64
import ipaddress
import json
import threading

from harness import MockHandler

API_ID = "la-apiid-8f2c1d"
API_SECRET = "0d4c6b5976c68aba5b14a0558b77c17c"
TYPES = {1: "A", 28: "AAAA", 5: "CNAME", 16: "TXT"}


def reply(code, msg="", data=None, status=200):
    return (status, {}, {"code": code, "msg": msg, "data": data})


class DnslaState:
    """Domains, records, the key pair and injected faults. Thread-safe."""

    def __init__(self, api_id=API_ID, api_secret=API_SECRET):
        self.lock = threading.Lock()
        self.api_id = api_id
        self.api_secret = api_secret
        self.domains = {}       # name -> id
        self.records = {}       # id (str) -> dict
        self.next_id = 50074538216343552
        self.faults = []
        self.nochange_writes = 0
        self.writes = []        # (method, json body) accepted

    def add_domain(self, name):
        self.domains[name] = str(85371689655342080 + len(self.domains))

    def add_record(self, domain, host, type, data, ttl=600):
        with self.lock:
            return self._create(domain, host, type, data, ttl)

    def find(self, domain, host, type=None):
        return [r for r in self.records.values()
                if r["domain"] == domain and r["host"] == host
                and type in (None, r["type"])]

    def fail_next(self, status_, count=1, headers=None, payload=None):
        if payload is None:
            payload = {"code": 500, "msg": "internal error", "data": None}
        with self.lock:
            self.faults.append([count, status_, headers or {}, payload])

    def throttle(self, count=1, retry_after="120"):
        self.fail_next(429, count, {"Retry-After": retry_after},
                       {"code": 429, "msg": "too many requests",
                        "data": None})

    def _create(self, domain, host, type, data, ttl):
        rid = str(self.next_id)
        self.next_id += 1
        self.records[rid] = {"id": rid, "domain": domain,
                             "domainId": self.domains[domain],
                             "host": host, "type": type, "data": data,
                             "ttl": ttl, "lineId": "", "lineCode": "",
                             "lineName": "", "weight": 1, "disable": False}
        return rid

    def _authorized(self, call):
        h = call.headers.get("Authorization") or ""
        if not h.startswith("Basic "):
            return False
        try:
            pair = base64.b64decode(h[6:], validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return False
        i, _, s = pair.partition(":")
        return (i, s) == (self.api_id, self.api_secret)

    def handle(self, call):
        with self.lock:
            if self.faults:
                f = self.faults[0]
                f[0] -= 1
                if f[0] <= 0:
                    self.faults.pop(0)
                return (f[1], dict(f[2]), f[3])
            if not self._authorized(call):
                return (401, {"Content-Type": "text/plain"}, "")
            if call.path == "/api/recordList" and call.method == "GET":
                return self.list(call.query)
            if call.path == "/api/record" and call.method in ("POST",
                                                              "PUT"):
                ct = call.headers.get("Content-Type") or ""
                if not ct.startswith("application/json"):
                    return reply(400, "Content-Type must be JSON")
                try:
                    body = json.loads(call.body.decode("utf-8"))
                except ValueError:
                    return reply(400, "invalid JSON")
                if not isinstance(body, dict):
                    return reply(400, "invalid JSON")
                r = (self.create if call.method == "POST" else
                     self.update)(body)
                if r[2]["code"] == 200:
                    self.writes.append((call.method, body))
                return r
            return (404, {}, {"code": 404, "msg": "not found"})

    def list(self, q):
        q = {k: v[0] for k, v in q.items()}
        d = q.get("domain")
        if d not in self.domains:
            return reply(400, "域名不存在")
        try:
            size = int(q.get("pageSize", "10"))
            index = int(q.get("pageIndex", "1"))
        except ValueError:
            return reply(400, "pageSize/pageIndex invalid")
        if not 1 <= size <= 100 or index < 1:
            return reply(400, "pageSize/pageIndex invalid")
        rs = [r for r in self.records.values() if r["domain"] == d]
        if "host" in q:
            rs = [r for r in rs if r["host"] == q["host"].lower()]
        if "type" in q:
            rs = [r for r in rs if str(r["type"]) == q["type"]]
        out = [{k: v for k, v in r.items() if k != "domain"}
               for r in rs[(index - 1) * size:index * size]]
        return reply(200, "", {"total": len(rs), "results": out})

    def _check(self, body):
        t, v = body.get("type"), body.get("data")
        ttl = body.get("ttl", 600)
        host = body.get("host")
        if not isinstance(host, str) or not host:
            return reply(400, "host invalid")
        if not isinstance(t, int) or t not in TYPES:
            return reply(400, "type invalid")
        if not isinstance(v, str):
            return reply(400, "data invalid")
        try:
            a = ipaddress.ip_address(v)
        except ValueError:
            if t in (1, 28):
                return reply(400, "data invalid")
        else:
            if a.version != {1: 4, 28: 6}.get(t, a.version):
                return reply(400, "data invalid")
        if not isinstance(ttl, int) or not 1 <= ttl <= 86400:
            return reply(400, "ttl invalid")
        return host.lower(), t, v, ttl

    def create(self, body):
        d = body.get("domain")
        if d not in self.domains:
            return reply(400, "域名不存在")
        c = self._check(body)
        if len(c) != 4:
            return c
        host, t, v, ttl = c
        for r in self.records.values():
            if (r["domain"], r["host"], r["type"], r["data"]) == \
                    (d, host, t, v):
                return reply(601, "记录已存在")
        return reply(200, "", {"id": self._create(d, host, t, v, ttl)})

    def update(self, body):
        r = self.records.get(body.get("id"))
        if r is None:
            return reply(400, "记录不存在")
        c = self._check(body)
        if len(c) != 4:
            return c
        host, t, v, ttl = c
        if (r["host"], r["type"], r["data"], r["ttl"]) == (host, t, v, ttl):
            self.nochange_writes += 1
        r.update({"host": host, "type": t, "data": v, "ttl": ttl})
        return reply(200, "", None)


class DnslaHandler(MockHandler):
    def respond(self, call):
        return self.server.state["la"].handle(call)


def start(servers, tls=None, domains=("example.com",), **kw):
    """Start a mock holding domains; the server has .la and .endpoint."""
    srv = servers(DnslaHandler, tls=tls)
    la = DnslaState(**kw)
    for d in domains:
        la.add_domain(d)
    srv.state["la"] = la
    srv.la = la
    srv.endpoint = srv.url
    return srv
