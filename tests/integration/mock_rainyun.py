"""A stateful mock of Rainyun's (雨云) API v2: GET /product/domain (the
domain list, filtered by options.columnFilters["domains.Domain"]), and
GET / POST / PATCH /product/domain/<id>/dns.

Every call must carry the account's key in "x-api-key"; a wrong one is
HTTP 403 {"code":30039,"message":"密钥认证错误或已失效"}, the reply ddns-go
and lego handle. Success is {"code":200,"message":"","data":...}. Writes
that change nothing are counted so tests can insist there are none.

    srv = start(servers, tls=ca)                 # domains: example.com
    srv.ry.add_record("example.com", "home", "A", "198.51.100.1")
    srv.ry.throttle(count=1)
    srv.ry.fail_next(200, payload="<html>")
"""
import ipaddress
import json
import re
import threading

from harness import MockHandler

API_KEY = "ry_0d4c6b5976c68aba5b14a0558b77c17c"
KEY_ERROR = {"code": 30039, "message": "密钥认证错误或已失效"}
LINES = ("DEFAULT", "LTEL", "LCNC", "LMOB", "LEDU", "LFOR")


def ok(data=None):
    return (200, {}, {"code": 200, "message": "", "data": data})


def err(status, code, message):
    return (status, {}, {"code": code, "message": message})


class RainyunState:
    """Domains, records, the key and injected faults. Thread-safe."""

    def __init__(self, api_key=API_KEY):
        self.lock = threading.Lock()
        self.api_key = api_key
        self.domains = {}       # id (int) -> name
        self.records = {}       # record_id (int) -> dict
        self.next_id = 123456
        self.faults = []
        self.nochange_writes = 0
        self.writes = []        # (method, json body) accepted
        self.domain_lookups = 0

    def add_domain(self, name):
        did = 5000 + len(self.domains)
        self.domains[did] = name
        return did

    def domain_id(self, name):
        return [i for i, n in self.domains.items() if n == name][0]

    def add_record(self, domain, host, type, value, ttl=600, line="DEFAULT",
                   level=10):
        with self.lock:
            return self._create(self.domain_id(domain), host, type, value,
                                ttl, line, level)

    def find(self, domain, host, type=None):
        did = self.domain_id(domain)
        return [r for r in self.records.values()
                if r["domain_id"] == did and r["host"] == host
                and type in (None, r["type"])]

    def fail_next(self, status_, count=1, headers=None, payload=None):
        if payload is None:
            payload = {"code": 50000, "message": "服务器内部错误"}
        with self.lock:
            self.faults.append([count, status_, headers or {}, payload])

    def throttle(self, count=1, retry_after="90"):
        self.fail_next(429, count, {"Retry-After": retry_after},
                       {"code": 42900, "message": "请求过于频繁"})

    def _create(self, did, host, type, value, ttl, line, level):
        rid = self.next_id
        self.next_id += 1
        self.records[rid] = {"record_id": rid, "domain_id": did,
                             "host": host, "type": type, "value": value,
                             "ttl": ttl, "line": line, "level": level,
                             "rid": 0, "status": 1}
        return rid

    def handle(self, call):
        with self.lock:
            if self.faults:
                f = self.faults[0]
                f[0] -= 1
                if f[0] <= 0:
                    self.faults.pop(0)
                return (f[1], dict(f[2]), f[3])
            if call.headers.get_all("x-api-key") != [self.api_key]:
                return (403, {}, KEY_ERROR)
            if call.path.rstrip("/") == "/product/domain" and \
                    call.method == "GET":
                return self.domain_list(call.query)
            m = re.fullmatch(r"/product/domain/(\d+)/dns/?", call.path)
            if m is None:
                return err(404, 40400, "not found")
            did = int(m.group(1))
            if did not in self.domains:
                return err(404, 40401, "域名不存在")
            if call.method == "GET":
                return self.list(did, call.query)
            if call.method not in ("POST", "PATCH"):
                return err(405, 40500, "method not allowed")
            ct = call.headers.get("Content-Type") or ""
            if not ct.startswith("application/json"):
                return err(400, 40000, "参数错误")
            try:
                body = json.loads(call.body.decode("utf-8"))
            except ValueError:
                return err(400, 40000, "参数错误")
            if not isinstance(body, dict):
                return err(400, 40000, "参数错误")
            r = (self.create if call.method == "POST" else
                 self.update)(did, body)
            if r[0] == 200:
                self.writes.append((call.method, body))
            return r

    def domain_list(self, q):
        self.domain_lookups += 1
        try:
            opts = json.loads(q["options"][0])
            want = opts["columnFilters"]["domains.Domain"]
            per = opts["perPage"]
        except (KeyError, ValueError, TypeError):
            return err(400, 40000, "参数错误")
        ds = [{"id": i, "domain": n, "status": 1}
              for i, n in self.domains.items() if want in n]
        return ok({"TotalRecords": len(ds), "Records": ds[:per]})

    def list(self, did, q):
        if q.get("limit") != ["100"] or q.get("page_no") != ["1"]:
            return err(400, 40000, "参数错误")
        rs = [{k: v for k, v in r.items() if k != "domain_id"}
              for r in self.records.values() if r["domain_id"] == did]
        return ok({"TotalRecords": len(rs), "Records": rs})

    def _check(self, body):
        host, t, v = body.get("host"), body.get("type"), body.get("value")
        ttl, line, level = body.get("ttl"), body.get("line"), \
            body.get("level")
        if not isinstance(host, str) or not host:
            return err(400, 40000, "主机记录不能为空")
        if t not in ("A", "AAAA", "CNAME", "TXT"):
            return err(400, 40000, "记录类型错误")
        if t in ("A", "AAAA"):
            try:
                a = ipaddress.ip_address(v)
            except (ValueError, TypeError):
                return err(400, 40000, "记录值错误")
            if a.version != (4 if t == "A" else 6):
                return err(400, 40000, "记录值错误")
        if not isinstance(ttl, int) or not 1 <= ttl <= 86400:
            return err(400, 40000, "TTL错误")
        if line not in LINES or not isinstance(level, int):
            return err(400, 40000, "线路错误")
        return host.lower(), t, v, ttl, line, level

    def create(self, did, body):
        if "record_id" in body and body["record_id"] != 0:
            return err(400, 40000, "参数错误")
        c = self._check(body)
        if len(c) != 6:
            return c
        self._create(did, *c)
        return ok(None)

    def update(self, did, body):
        r = self.records.get(body.get("record_id"))
        if r is None or r["domain_id"] != did:
            return err(404, 40402, "记录不存在")
        c = self._check(body)
        if len(c) != 6:
            return c
        host, t, v, ttl, line, level = c
        if (r["host"], r["type"], r["value"], r["ttl"], r["line"]) == \
                (host, t, v, ttl, line):
            self.nochange_writes += 1
        r.update({"host": host, "type": t, "value": v, "ttl": ttl,
                  "line": line, "level": level})
        return ok(None)


class RainyunHandler(MockHandler):
    def respond(self, call):
        return self.server.state["ry"].handle(call)


def start(servers, tls=None, domains=("example.com",), **kw):
    """Start a mock holding domains; the server has .ry and .endpoint."""
    srv = servers(RainyunHandler, tls=tls)
    ry = RainyunState(**kw)
    for d in domains:
        ry.add_domain(d)
    srv.state["ry"] = ry
    srv.ry = ry
    srv.endpoint = srv.url
    return srv
