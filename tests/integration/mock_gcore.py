"""A stateful mock of Gcore's DNS API v2: zones and RRsets.

Shaped after Gcore's DNS API reference: the permanent API token comes as
"Authorization: APIKey <token>" (401 when wrong; 403 when the token's role
may not write: the "Purge and Prefetch only" roles can read only); RRsets
live at /v2/zones/{zone}/{name}/{type} with the FULL name; POST creates (400
when it exists), PUT replaces the RRset (404 when missing), GET reads;
errors are {"error": ...}; the rate limit answers 429.

    srv = start(servers, tls=ca)          # zones: example.com
    srv.gc.add_rrset("example.com", "home.example.com", "A", ["198.51.100.1"])
    srv.endpoint                          # for the "endpoint" config key
    srv.gc.throttle(count=1, retry_after=120)
    srv.gc.fail_next(500) / srv.gc.fail_next(200, payload="<html>")
"""
import ipaddress
import itertools
import json
import re
import threading

from harness import MockHandler

PREFIX = "/dns/v2"
TOKEN = "2345$8f1b6c5e0d2a4c8b9e7f6a5d4c3b2a1908f7e6d5c4b3a2918"
ROLES_WRITE = ("Administrators", "Engineers")


def error(status, message, headers=None):
    return (status, headers or {}, {"error": message})


class GcoreState:
    """Zones, RRsets, the token and its role, injected faults."""

    def __init__(self, token=TOKEN, role="Engineers"):
        self.lock = threading.Lock()
        self.token = token
        self.role = role
        self.zones = {}         # name -> zone dict
        self.rrsets = {}        # (zone, name, type) -> rrset dict
        self.faults = []        # [count, status, headers, payload]
        self.ids = itertools.count(1234567)
        self.write_reply = {}   # the body of a 200 to POST/PUT

    # ---- set-up and inspection, for tests ------------------------------
    def add_zone(self, name):
        with self.lock:
            self.zones[name] = {"id": next(self.ids), "name": name,
                                "nx_ttl": 300, "status": "active",
                                "records": []}

    def add_rrset(self, zone, name, type, contents, ttl=300):
        with self.lock:
            self.rrsets[(zone, name, type)] = self._new(
                name, type, ttl, [{"content": [c]} for c in contents])

    def get(self, zone, name, type):
        return self.rrsets.get((zone, name, type))

    def delete_rrset(self, zone, name, type):
        with self.lock:
            del self.rrsets[(zone, name, type)]

    def fail_next(self, status, count=1, headers=None, payload=None):
        if payload is None:
            payload = {"error": "internal error"}
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def throttle(self, count=1, retry_after=None):
        h = {}
        if retry_after is not None:
            h["Retry-After"] = str(retry_after)
        self.fail_next(429, count, h, {"error": "too many requests"})

    # ---- internals ----------------------------------------------------
    def _new(self, name, type, ttl, rrs):
        return {"name": name, "type": type, "ttl": ttl, "meta": {},
                "filters": None,
                "resource_records": [dict(r, id=next(self.ids),
                                          enabled=True, meta={})
                                     for r in rrs]}

    @staticmethod
    def _check(type, body):
        ttl = body.get("ttl")
        if isinstance(ttl, bool) or not isinstance(ttl, int) or ttl < 0:
            raise Invalid("ttl: must be an unsigned integer")
        rrs = body.get("resource_records")
        if not isinstance(rrs, list) or not rrs:
            raise Invalid("resource_records: required")
        for r in rrs:
            c = r.get("content") if isinstance(r, dict) else None
            if not isinstance(c, list) or len(c) != 1:
                raise Invalid("resource_records: bad content")
            try:
                if type == "A":
                    ipaddress.IPv4Address(c[0])
                elif type == "AAAA":
                    ipaddress.IPv6Address(c[0])
            except (ValueError, TypeError):
                raise Invalid("resource_records: bad %s content" % type)

    def auth(self, call):
        a = call.headers.get("Authorization") or ""
        m = re.fullmatch(r"APIKey (\S+)", a)
        if m is None or self.token is None or m.group(1) != self.token:
            return error(401, "invalid api key")
        if call.method != "GET" and self.role not in ROLES_WRITE:
            return error(403, "permission denied")
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
            refused = self.auth(call)
            if refused is not None:
                return refused
            m = re.fullmatch(PREFIX + r"/zones/([^/]+)(?:/([^/]+)/([A-Z]+))?",
                             call.path)
            if m is None:
                return error(404, "not found")
            zone, name, type = m.groups()
            if zone not in self.zones:
                return error(404, "zone is not found")
            if name is None:
                if call.method != "GET":
                    return error(405, "method not allowed")
                return (200, {}, self.zones[zone])
            if name != zone and not name.endswith("." + zone):
                return error(400, "rrset name must be inside the zone")
            body = None
            if call.method in ("PUT", "POST"):
                ct = (call.headers.get("Content-Type") or "").split(";")[0]
                try:
                    body = json.loads(call.body.decode())
                except ValueError:
                    body = None
                if ct.strip() != "application/json" or \
                        not isinstance(body, dict):
                    return error(400, "invalid request body")
            key = (zone, name, type)
            rr = self.rrsets.get(key)
            try:
                if call.method == "GET":
                    if rr is None:
                        return error(404, "record is not found")
                    return (200, {}, rr)
                if call.method == "POST":
                    if rr is not None:
                        return error(400, "rrset is already exists")
                    self._check(type, body)
                    self.rrsets[key] = self._new(
                        name, type, body["ttl"], body["resource_records"])
                    return (200, {}, self.write_reply)
                if call.method == "PUT":
                    if rr is None:
                        return error(404, "record is not found")
                    self._check(type, body)
                    self.rrsets[key] = self._new(
                        name, type, body["ttl"], body["resource_records"])
                    return (200, {}, self.write_reply)
                return error(405, "method not allowed")
            except Invalid as e:
                return error(400, e.args[0])


class Invalid(Exception):
    """A value Gcore refuses with 400."""


class GcoreHandler(MockHandler):
    def respond(self, call):
        return self.server.state["gc"].handle(call)


def start(servers, tls=None, zones=("example.com",), **kw):
    """Start a mock holding zones; .gc is its state, .endpoint its URL."""
    srv = servers(GcoreHandler, tls=tls)
    st = GcoreState(**kw)
    for z in zones:
        st.add_zone(z)
    srv.state["gc"] = st
    srv.gc = st
    srv.endpoint = srv.url + PREFIX
    return srv
