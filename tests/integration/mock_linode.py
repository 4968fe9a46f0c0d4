"""A stateful mock of the Linode API v4 domains and domain records.

Shaped after https://techdocs.akamai.com/linode-api/reference (Domains,
Domain Records, Pagination, Filtering, Errors): a Bearer personal access
token with scopes on every request; errors are {"errors": [{"reason",
"field"?}]}; lists are pages {"data", "page", "pages", "results"} with
page/page_size and an X-Filter header; ttl_sec is rounded up to the
values Linode keeps; record names are relative ("" for the apex); PUT
changes only the fields given.

    srv = start(servers, tls=ca)          # master domain example.com
    srv.ln.add_record("example.com", "home", "A", "198.51.100.1")
    srv.endpoint                          # for the "endpoint" config key
    srv.ln.throttle(count=1, retry_after=30)
"""
import ipaddress
import json
import re
import threading

from harness import MockHandler

PREFIX = "/v4"
TOKEN = "5e7a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a"
TTLS = (30, 120, 300, 3600, 7200, 14400, 28800, 57600, 86400, 172800, 345600,
        604800, 1209600, 2419200)


def errors(status, reason, field=None, headers=None):
    e = {"reason": reason}
    if field is not None:
        e["field"] = field
    return (status, headers or {}, {"errors": [e]})


def round_ttl(t):
    if t == 0:
        return 0
    for v in TTLS:
        if t <= v:
            return v
    return TTLS[-1]


class Invalid(Exception):
    """A 400: (field, reason)."""


class LinodeState:
    """Domains, records, the token and its scope, faults. Thread-safe."""

    def __init__(self, token=TOKEN, scope="domains:read_write"):
        self.lock = threading.Lock()
        self.token = token
        self.scope = scope
        self.domains = {}       # id -> domain
        self.records = {}       # id -> record (with "domain_id")
        self.next_id = 1234
        self.next_rec = 123456
        self.faults = []

    def add_domain(self, name, type="master"):
        with self.lock:
            did = self.next_id
            self.next_id += 1
            self.domains[did] = {
                "id": did, "domain": name, "type": type, "status": "active",
                "description": "", "soa_email": "admin@" + name,
                "retry_sec": 300, "master_ips": [], "axfr_ips": [],
                "expire_sec": 300, "refresh_sec": 300, "ttl_sec": 300,
                "group": "", "tags": [], "created": "2018-01-01T00:01:01",
                "updated": "2018-01-01T00:01:01"}
        return did

    def domain_id(self, name):
        for d in self.domains.values():
            if d["domain"] == name:
                return d["id"]
        raise KeyError(name)

    def add_record(self, domain, name, type, target, ttl=0):
        with self.lock:
            return self._create(self.domain_id(domain), {
                "name": name, "type": type, "target": target,
                "ttl_sec": ttl})["id"]

    def find(self, domain, name, type):
        did = self.domain_id(domain)
        return [r for r in self.records.values() if r["domain_id"] == did
                and r["name"] == name and r["type"] == type]

    def fail_next(self, status, count=1, headers=None, payload=None):
        if payload is None:
            payload = {"errors": [{"reason": "Please try again later"}]}
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def throttle(self, count=1, retry_after=None):
        h = {} if retry_after is None else {"Retry-After": str(retry_after)}
        self.fail_next(429, count, h,
                       {"errors": [{"reason": "Too Many Requests"}]})

    # ---- internals ----------------------------------------------------
    def _check(self, rec):
        t = rec.get("type")
        if t not in ("A", "AAAA", "NS", "MX", "CNAME", "TXT", "SRV", "PTR",
                     "CAA"):
            raise Invalid("type", "type is not a valid record type")
        n = rec.get("name")
        if not isinstance(n, str) or len(n) > 100:
            raise Invalid("name", "Invalid name")
        try:
            if t == "A":
                rec["target"] = str(ipaddress.IPv4Address(rec.get("target")))
            elif t == "AAAA":
                rec["target"] = str(ipaddress.IPv6Address(rec.get("target")))
        except ValueError:
            raise Invalid("target", "Invalid IPv%s address" %
                          ("4" if t == "A" else "6"))
        ttl = rec.get("ttl_sec", 0)
        if isinstance(ttl, bool) or not isinstance(ttl, int) or ttl < 0:
            raise Invalid("ttl_sec", "Must be a positive integer")
        rec["ttl_sec"] = round_ttl(ttl)

    def _create(self, did, body):
        rec = {"name": "", "ttl_sec": 0}
        rec.update({k: body[k] for k in ("name", "type", "target", "ttl_sec")
                    if k in body})
        self._check(rec)
        rid = self.next_rec
        self.next_rec += 1
        rec.update({"id": rid, "priority": 0, "weight": 0, "port": 0,
                    "service": None, "protocol": None, "tag": None,
                    "created": "2018-01-01T00:01:01",
                    "updated": "2018-01-01T00:01:01", "domain_id": did})
        self.records[rid] = rec
        return rec

    def _public(self, rec):
        return {k: v for k, v in rec.items() if k != "domain_id"}

    def _page(self, items, query):
        try:
            page = int(query.get("page", ["1"])[-1])
            size = int(query.get("page_size", ["100"])[-1])
        except ValueError:
            raise Invalid("page", "Must be an integer")
        if not 25 <= size <= 500:
            raise Invalid("page_size", "Must be 25-500")
        pages = max(1, (len(items) + size - 1) // size)
        return (200, {}, {"data": items[(page - 1) * size:page * size],
                          "page": page, "pages": pages,
                          "results": len(items)})

    # ---- the API --------------------------------------------------------
    def handle(self, call):
        with self.lock:
            if self.faults:
                f = self.faults[0]
                f[0] -= 1
                if f[0] <= 0:
                    self.faults.pop(0)
                return (f[1], dict(f[2]), f[3])
            m = re.fullmatch(r"Bearer (\S+)",
                             call.headers.get("Authorization") or "")
            if m is None or m.group(1) != self.token:
                return errors(401, "Invalid Token")
            if call.method != "GET" and self.scope != "domains:read_write":
                return errors(401, "Your OAuth token is not authorized to "
                              "use this endpoint.")
            if not call.path.startswith(PREFIX + "/"):
                return errors(404, "Not found")
            path = call.path[len(PREFIX):]
            body = None
            if call.method in ("POST", "PUT"):
                ct = (call.headers.get("Content-Type") or "").split(";")[0]
                try:
                    body = json.loads(call.body.decode())
                except ValueError:
                    body = None
                if ct.strip() != "application/json" or \
                        not isinstance(body, dict):
                    return errors(400, "Malformed JSON")
            try:
                return self._route(call, path, body)
            except Invalid as e:
                return errors(400, e.args[1], e.args[0])

    def _route(self, call, path, body):
        if path == "/domains" and call.method == "GET":
            ds = list(self.domains.values())
            xf = call.headers.get("X-Filter")
            if xf is not None:
                try:
                    f = json.loads(xf)
                except ValueError:
                    return errors(400, "Invalid JSON in X-Filter")
                for k, v in f.items():
                    if k not in ("domain", "group", "tags", "type"):
                        return errors(400, "Cannot filter on %s" % k)
                    ds = [d for d in ds if d[k] == v]
            return self._page(ds, call.query)
        m = re.fullmatch(r"/domains/([0-9]+)/records(?:/([0-9]+))?", path)
        if m is None:
            return errors(404, "Not found")
        d = self.domains.get(int(m.group(1)))
        if d is None:
            return errors(404, "Not found")
        if m.group(2) is None:
            if call.method == "GET":
                rs = [self._public(r) for r in self.records.values()
                      if r["domain_id"] == d["id"]]
                return self._page(rs, call.query)
            if call.method == "POST":
                if d["type"] != "master":
                    return errors(400, "Cannot create records on a slave "
                                  "domain")
                return (200, {}, self._public(self._create(d["id"], body)))
            return errors(405, "Method Not Allowed")
        r = self.records.get(int(m.group(2)))
        if r is None or r["domain_id"] != d["id"]:
            return errors(404, "Not found")
        if call.method == "GET":
            return (200, {}, self._public(r))
        if call.method == "PUT":
            new = dict(r)
            new.update({k: body[k] for k in ("name", "target", "ttl_sec")
                        if k in body})
            self._check(new)
            self.records[r["id"]] = new
            return (200, {}, self._public(new))
        return errors(405, "Method Not Allowed")


class LinodeHandler(MockHandler):
    def respond(self, call):
        return self.server.state["ln"].handle(call)


def start(servers, tls=None, domains=("example.com",), **kw):
    """Start a mock (via the conftest `servers` fixture) holding domains.
    The returned server has .ln (the LinodeState) and .endpoint."""
    srv = servers(LinodeHandler, tls=tls)
    ln = LinodeState(**kw)
    for d in domains:
        ln.add_domain(d)
    srv.state["ln"] = ln
    srv.ln = ln
    srv.endpoint = srv.url + PREFIX
    return srv
