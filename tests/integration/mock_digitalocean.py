"""A stateful mock of DigitalOcean's API v2: domains and domain records.

Shaped after DigitalOcean's API reference (Domains, Domain Records): auth is
"Authorization: Bearer <token>" on every request (401 {"id":"unauthorized"}
when wrong, 403 {"id":"forbidden"} when the token lacks the scope the call
needs: domain:read for GET, domain:create for POST, domain:update for
PATCH/PUT); errors are {"id","message","request_id"}; GET .../records
filters by type= and by name= given FULLY QUALIFIED, while each record's
"name" is relative ("@" for the apex); PATCH requires "type"; ttl must be
30 or more; rate limiting answers 429 with ratelimit-* headers and
Retry-After.

    srv = start(servers, tls=ca)          # domains: example.com
    srv.do.add_record("example.com", "home", "A", "198.51.100.1")
    srv.endpoint                          # for the "endpoint" config key
    srv.do.throttle(count=1, retry_after=120)
    srv.do.fail_next(500) / srv.do.fail_next(200, payload="<html>")
"""
import ipaddress
import itertools
import json
import re
import threading
import time
import uuid

from harness import MockHandler

PREFIX = "/v2"
TOKEN = "dop_v1_" + "0123456789abcdef" * 4
ALL_SCOPES = ("domain:read", "domain:create", "domain:update")


def error(status, eid, message, headers=None):
    return (status, headers or {}, {"id": eid, "message": message,
                                    "request_id": str(uuid.uuid4())})


def not_found():
    return error(404, "not_found",
                 "The resource you were accessing could not be found.")


class DigitalOceanState:
    """Domains, records, the token and its scopes, injected faults."""

    def __init__(self, token=TOKEN, scopes=ALL_SCOPES):
        self.lock = threading.Lock()
        self.token = token
        self.scopes = set(scopes)
        self.domains = {}       # name -> {"name", "ttl"}
        self.records = {}       # id -> record dict
        self.faults = []        # [count, status, headers, payload]
        self.ids = itertools.count(28448429)

    # ---- set-up and inspection, for tests ------------------------------
    def add_domain(self, name):
        with self.lock:
            self.domains[name] = {"name": name, "ttl": 1800}

    def add_record(self, domain, name, type, data, ttl=1800):
        with self.lock:
            return self._create(domain, {"type": type, "name": name,
                                         "data": data, "ttl": ttl})["id"]

    def find(self, domain, name, type=None):
        return [r for r in self.records.values()
                if r["_domain"] == domain and r["name"] == name
                and type in (None, r["type"])]

    def delete_record(self, rid):
        with self.lock:
            del self.records[rid]

    def fail_next(self, status, count=1, headers=None, payload=None):
        if payload is None:
            payload = {"id": "server_error",
                       "message": "Unexpected server-side error",
                       "request_id": str(uuid.uuid4())}
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def throttle(self, count=1, retry_after=None):
        reset = str(int(time.time()) + (retry_after or 60))
        h = {"ratelimit-limit": "5000", "ratelimit-remaining": "0",
             "ratelimit-reset": reset}
        if retry_after is not None:
            h["Retry-After"] = str(retry_after)
        self.fail_next(429, count, h, {"id": "too_many_requests",
                                       "message": "API Rate limit exceeded.",
                                       "request_id": str(uuid.uuid4())})

    # ---- internals ----------------------------------------------------
    def _validate(self, rec):
        t = rec.get("type")
        if t not in ("A", "AAAA", "CAA", "CNAME", "MX", "NS", "SOA", "SRV",
                     "TXT"):
            raise Invalid("Record type is invalid.")
        name = rec.get("name")
        if not isinstance(name, str) or not name:
            raise Invalid("Name is invalid.")
        try:
            if t == "A":
                ipaddress.IPv4Address(rec.get("data"))
            elif t == "AAAA":
                ipaddress.IPv6Address(rec.get("data"))
        except (ValueError, TypeError):
            raise Invalid("Data needs to be a valid %s address." %
                          ("IPv4" if t == "A" else "IPv6"))
        ttl = rec.get("ttl")
        if isinstance(ttl, bool) or not isinstance(ttl, int) or ttl < 30:
            raise Invalid("TTL must be at least 30 seconds.")

    def _create(self, domain, body):
        rec = {"type": body.get("type"), "name": body.get("name"),
               "data": body.get("data"), "priority": None, "port": None,
               "ttl": body.get("ttl", 1800), "weight": None, "flags": None,
               "tag": None}
        self._validate(rec)
        if rec["name"].endswith("." + domain):     # DO strips the zone
            rec["name"] = rec["name"][:-len(domain) - 1]
        elif rec["name"] == domain:
            rec["name"] = "@"
        rec["id"] = next(self.ids)
        rec["_domain"] = domain
        self.records[rec["id"]] = rec
        return rec

    @staticmethod
    def public(rec):
        return {k: v for k, v in rec.items() if not k.startswith("_")}

    def auth(self, call, scope):
        a = call.headers.get("Authorization") or ""
        m = re.fullmatch(r"Bearer (\S+)", a)
        if m is None or self.token is None or m.group(1) != self.token:
            return error(401, "unauthorized", "Unable to authenticate you.")
        if scope not in self.scopes:
            return error(403, "forbidden",
                         "You do not have access for the attempted action.")
        return None

    # ---- the API --------------------------------------------------------
    def handle(self, call):
        with self.lock:
            if self.faults:
                f = self.faults[0]
                f[0] -= 1
                if f[0] <= 0:
                    self.faults.pop(0)
                return (f[1], dict(f[2]), f[3])
            scope = {"GET": "domain:read", "POST": "domain:create",
                     "PATCH": "domain:update", "PUT": "domain:update",
                     "DELETE": "domain:delete"}.get(call.method)
            refused = self.auth(call, scope)
            if refused is not None:
                return refused
            if not call.path.startswith(PREFIX + "/domains/"):
                return not_found()
            body = None
            if call.method in ("POST", "PATCH", "PUT"):
                ct = (call.headers.get("Content-Type") or "").split(";")[0]
                try:
                    body = json.loads(call.body.decode())
                except ValueError:
                    body = None
                if ct.strip() != "application/json" or \
                        not isinstance(body, dict):
                    return error(400, "bad_request",
                                 "unable to parse request body")
            m = re.fullmatch(r"/domains/([^/]+)(/records(?:/(\d+))?)?",
                             call.path[len(PREFIX):])
            if m is None or m.group(1) not in self.domains:
                return not_found()
            d = m.group(1)
            q = {k: v[-1] for k, v in call.query.items()}
            try:
                if m.group(2) is None:
                    if call.method != "GET":
                        return not_found()
                    dom = dict(self.domains[d])
                    dom["zone_file"] = "$ORIGIN %s.\n" % d
                    return (200, {}, {"domain": dom})
                if m.group(3) is None:
                    if call.method == "GET":
                        return self.list(d, q)
                    if call.method == "POST":
                        rec = self._create(d, body)
                        return (201, {}, {"domain_record": self.public(rec)})
                    return not_found()
                rec = self.records.get(int(m.group(3)))
                if rec is None or rec["_domain"] != d:
                    return not_found()
                if call.method == "GET":
                    return (200, {}, {"domain_record": self.public(rec)})
                if call.method in ("PATCH", "PUT"):
                    if "type" not in body:
                        raise Invalid("Record type is required.")
                    if body["type"] != rec["type"]:
                        raise Invalid("Record type cannot be changed.")
                    new = dict(rec)
                    for k in ("name", "data", "ttl"):
                        if k in body:
                            new[k] = body[k]
                    self._validate(new)
                    self.records[rec["id"]] = new
                    return (200, {}, {"domain_record": self.public(new)})
                return not_found()
            except Invalid as e:
                return error(422, "unprocessable_entity", e.args[0])

    def list(self, d, q):
        if "name" in q and q["name"] != d and \
                not q["name"].endswith("." + d):
            # The name filter wants the FQDN: a relative one matches
            # nothing, as on the real API.
            rs = []
        else:
            rs = [r for r in self.records.values() if r["_domain"] == d]
            if "type" in q:
                rs = [r for r in rs if r["type"] == q["type"]]
            if "name" in q:
                rel = "@" if q["name"] == d else q["name"][:-len(d) - 1]
                rs = [r for r in rs if r["name"] == rel]
        per = int(q.get("per_page", 20))
        return (200, {}, {"domain_records": [self.public(r)
                                             for r in rs[:per]],
                          "links": {}, "meta": {"total": len(rs)}})


class Invalid(Exception):
    """A value DigitalOcean refuses with 422."""


class DigitalOceanHandler(MockHandler):
    def respond(self, call):
        return self.server.state["do"].handle(call)


def start(servers, tls=None, domains=("example.com",), **kw):
    """Start a mock holding domains; .do is its state, .endpoint its URL."""
    srv = servers(DigitalOceanHandler, tls=tls)
    st = DigitalOceanState(**kw)
    for d in domains:
        st.add_domain(d)
    srv.state["do"] = st
    srv.do = st
    srv.endpoint = srv.url + PREFIX
    return srv
