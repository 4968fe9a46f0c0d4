"""A stateful mock of the Vercel REST API's domain and DNS endpoints.

Shaped after https://vercel.com/docs/rest-api (domains: GET
/v5/domains/{domain}; dns: GET /v5/domains/{d}/records, POST
/v2/domains/{d}/records, PATCH /v1/domains/records/{id}): Bearer token on
every request, 403 {"error": {"code": "forbidden", "invalidToken": true}}
otherwise; a team's domains answer only with ?teamId=; records listed
newest first in pages chained by pagination.next / until=; POST answers
{"uid", "updated"}, PATCH the record; 429 is code rate_limited with
limit.reset in the body and X-RateLimit-* headers.

    srv = start(servers, tls=ca)          # domain example.com
    srv.vc.add_record("example.com", "home", "A", "198.51.100.1")
    srv.endpoint                          # for the "endpoint" config key
    srv.vc.throttle(count=1, reset_in=90)
"""
import ipaddress
import json
import random
import re
import string
import threading
import time

from harness import MockHandler

TOKEN = "vcTestToken0123456789ABCDEFGH"


def err(status, code, message, headers=None, **extra):
    e = {"code": code, "message": message}
    e.update(extra)
    return (status, headers or {}, {"error": e})


def _rid():
    return "rec_" + "".join(random.choice(string.ascii_letters +
                                          string.digits) for _ in range(24))


class Invalid(Exception):
    """A 400 bad_request with this message."""


class VercelState:
    """Domains, records, the token and faults. Thread-safe."""

    def __init__(self, token=TOKEN):
        self.lock = threading.Lock()
        self.token = token
        self.domains = {}       # name -> {"name", "teamId", "serviceType"}
        self.records = {}       # id -> record (with "domain")
        self.clock = int(time.time() * 1000) - 10 ** 6
        self.faults = []

    def add_domain(self, name, team=None, service="zeit.world"):
        with self.lock:
            self.domains[name] = {"name": name, "teamId": team,
                                  "serviceType": service}

    def add_record(self, domain, name, type, value, ttl=60):
        with self.lock:
            return self._create(domain, {"name": name, "type": type,
                                         "value": value, "ttl": ttl})

    def find(self, domain, name, type):
        return [r for r in self.records.values() if r["domain"] == domain
                and r["name"] == name and r["type"] == type]

    def fail_next(self, status, count=1, headers=None, payload=None):
        if payload is None:
            payload = {"error": {"code": "internal_server_error",
                                 "message": "An unexpected internal error "
                                 "occurred"}}
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def throttle(self, count=1, reset_in=None, retry_after=None):
        now = int(time.time())
        reset = now + (reset_in or 0)
        h = {"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "0",
             "X-RateLimit-Reset": str(reset)}
        if retry_after is not None:
            h["Retry-After"] = str(retry_after)
        e = {"code": "rate_limited", "message": "Rate limit exceeded"}
        if reset_in is not None:
            e["limit"] = {"remaining": 0, "reset": reset,
                          "resetMs": reset * 1000, "total": 100}
        self.fail_next(429, count, h, {"error": e})

    # ---- internals ----------------------------------------------------
    def _check(self, rec):
        t = rec.get("type")
        if t not in ("A", "AAAA", "ALIAS", "CAA", "CNAME", "HTTPS", "MX",
                     "SRV", "TXT", "NS"):
            raise Invalid("Invalid request: `type` should be equal to one "
                          "of the allowed values.")
        if not isinstance(rec.get("name"), str):
            raise Invalid("Invalid request: `name` should be string.")
        try:
            if t == "A":
                rec["value"] = str(ipaddress.IPv4Address(rec.get("value")))
            elif t == "AAAA":
                rec["value"] = str(ipaddress.IPv6Address(rec.get("value")))
        except ValueError:
            raise Invalid("Invalid request: value must be a valid IP.")
        ttl = rec.get("ttl", 60)
        if isinstance(ttl, bool) or not isinstance(ttl, int) or \
                not 60 <= ttl <= 2147483647:
            raise Invalid("Invalid request: `ttl` should be >= 60.")

    def _create(self, domain, body):
        rec = {k: body[k] for k in ("name", "type", "value", "ttl",
                                    "comment") if k in body}
        rec.setdefault("ttl", 60)
        self._check(rec)
        self.clock += 1000
        rec.update({"id": _rid(), "slug": "", "creator": "system",
                    "created": self.clock, "updated": self.clock,
                    "createdAt": self.clock, "updatedAt": self.clock,
                    "domain": domain})
        self.records[rec["id"]] = rec
        return rec

    def _public(self, r):
        return {k: v for k, v in r.items() if k != "domain"}

    # ---- the API --------------------------------------------------------
    def handle(self, call):
        with self.lock:
            if self.faults:
                f = self.faults[0]
                f[0] -= 1
                if f[0] <= 0:
                    self.faults.pop(0)
                return (f[1], dict(f[2]), f[3])
            a = call.headers.get("Authorization")
            if a is None:
                return err(403, "forbidden", "The request is missing an "
                           "authentication token", missingToken=True)
            m = re.fullmatch(r"Bearer (\S+)", a)
            if m is None or m.group(1) != self.token:
                return err(403, "forbidden", "Not authorized",
                           invalidToken=True)
            team = call.query.get("teamId", [None])[-1]
            body = None
            if call.method in ("POST", "PATCH"):
                try:
                    body = json.loads(call.body.decode())
                except ValueError:
                    body = None
                if not isinstance(body, dict):
                    return err(400, "bad_request", "Invalid JSON")
            try:
                return self._route(call, team, body)
            except Invalid as e:
                return err(400, "bad_request", e.args[0])

    def _domain(self, name, team):
        d = self.domains.get(name)
        if d is None or d["teamId"] != team:
            return None
        return d

    def _route(self, call, team, body):
        m = re.fullmatch(r"/v1/domains/records/([^/]+)", call.path)
        if m and call.method == "PATCH":
            r = self.records.get(m.group(1))
            if r is None or self._domain(r["domain"], team) is None:
                return err(404, "not_found", "DNS record not found")
            new = dict(r)
            new.update({k: body[k] for k in ("name", "value", "type", "ttl",
                                             "comment") if k in body})
            self._check(new)
            self.clock += 1000
            new["updated"] = new["updatedAt"] = self.clock
            self.records[r["id"]] = new
            return (200, {}, {"createdAt": new["createdAt"],
                              "creator": new["creator"],
                              "domain": new["domain"], "id": new["id"],
                              "name": new["name"],
                              "recordType": new["type"], "ttl": new["ttl"],
                              "type": "record", "value": new["value"]})
        m = re.fullmatch(r"/v(\d)/domains/([^/]+)(/records)?", call.path)
        if m is None:
            return err(404, "not_found", "The requested path was not found")
        d = self._domain(m.group(2), team)
        if d is None:
            return err(404, "not_found", "Domain not found",
                       domain=m.group(2))
        if m.group(3) is None and m.group(1) == "5" and call.method == "GET":
            return (200, {}, {"domain": {
                "suffix": False, "verified": True,
                "nameservers": ["ns1.vercel-dns.com", "ns2.vercel-dns.com"],
                "intendedNameservers": ["ns1.vercel-dns.com",
                                        "ns2.vercel-dns.com"],
                "customNameservers": [], "creator": {"username": "me",
                                                     "email": "me@x.test",
                                                     "id": "ZspSRT4ljIEEmMHgoDwKWDei"},
                "teamId": d["teamId"], "userId": "ZspSRT4ljIEEmMHgoDwKWDei",
                "boughtAt": None, "createdAt": 1613602938882,
                "expiresAt": None, "id": "EmTbe5CEJyTk2yVAHBUWy4A3sRusca3GCwRjTC1bpeVnt1",
                "name": d["name"], "orderedAt": None, "renew": None,
                "serviceType": d["serviceType"], "transferredAt": None,
                "transferStartedAt": None}})
        if m.group(3) is not None and m.group(1) == "5" and \
                call.method == "GET":
            try:
                limit = int(call.query.get("limit", ["20"])[-1])
                until = int(call.query.get("until", ["0"])[-1])
            except ValueError:
                raise Invalid("Invalid request: query.limit should be "
                              "number.")
            rs = sorted((r for r in self.records.values()
                         if r["domain"] == d["name"] and
                         (until == 0 or r["createdAt"] < until)),
                        key=lambda r: -r["createdAt"])
            page = rs[:limit]
            more = len(rs) > limit
            return (200, {}, {"records": [self._public(r) for r in page],
                              "pagination": {
                                  "count": len(page),
                                  "next": page[-1]["createdAt"] if more
                                  else None,
                                  "prev": page[0]["createdAt"] if page
                                  else None}})
        if m.group(3) is not None and m.group(1) == "2" and \
                call.method == "POST":
            r = self._create(d["name"], body)
            return (200, {}, {"uid": r["id"], "updated": r["updated"]})
        return err(404, "not_found", "The requested path was not found")


class VercelHandler(MockHandler):
    def respond(self, call):
        return self.server.state["vc"].handle(call)


def start(servers, tls=None, domains=("example.com",), **kw):
    """Start a mock (via the conftest `servers` fixture) holding domains.
    The returned server has .vc (the VercelState) and .endpoint."""
    srv = servers(VercelHandler, tls=tls)
    vc = VercelState(**kw)
    for d in domains:
        vc.add_domain(d)
    srv.state["vc"] = vc
    srv.vc = vc
    srv.endpoint = srv.url
    return srv
