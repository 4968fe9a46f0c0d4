"""A stateful mock of OVHcloud's API /1.0: /auth/time and /domain/zone.

Shaped after OVH's "first steps with the API" guide and the API console
(domain.zone): every call but GET /auth/time carries X-Ovh-Application,
X-Ovh-Consumer, X-Ovh-Timestamp and X-Ovh-Signature = "$1$" + hex SHA-1 of
AS+"+"+CK+"+"+METHOD+"+"+FULL_URL+"+"+BODY+"+"+TIMESTAMP, checked here with
hashlib from the raw request line; the timestamp must be within
MAX_DRIFT seconds of the SERVER's clock (which a test can skew). Errors are
{"errorCode","httpCode","message"} for credential problems and
{"class","message"} otherwise; access rules of the consumer key are
(method, path pattern) pairs with "*" as a wildcard, refused with
NOT_GRANTED_CALL. Writes stay unpublished until POST .../refresh.

    srv = start(servers, tls=ca)       # zones: example.com
    srv.ovh.add_record("example.com", "home", "A", "198.51.100.1")
    srv.endpoint                       # for the "endpoint" config key
    srv.ovh.skew = 86400               # the server's clock is a day ahead
    srv.ovh.throttle(count=1, retry_after=120)
    srv.ovh.fail_next(200, payload="<html>")
"""
import fnmatch
import hashlib
import ipaddress
import itertools
import json
import re
import threading
import time

from harness import MockHandler

PREFIX = "/1.0"
AK = "7kbG7Bk7S9Nt7ZSV"
AS = "EXEgWIz07P0HYwtQDs7cNIqCiQaWSuHF"
CK = "MtSwSrPpNjqfVSmJhLbPyr2i45lSwPU1"
MAX_DRIFT = 180
JSON = {"Content-Type": "application/json; charset=utf-8"}
ALL_RULES = (("GET", "/domain/zone"), ("GET", "/domain/zone/*"),
             ("POST", "/domain/zone/*"), ("PUT", "/domain/zone/*"))


def coded(status, code, message):
    return (status, {}, {"errorCode": code, "httpCode": {
        400: "400 Bad Request", 403: "403 Forbidden"}[status],
        "message": message})


def classed(status, cls, message, headers=None):
    return (status, headers or {}, {"class": cls, "message": message})


class OvhState:
    """Zones, records, the keys and rules, the server clock, faults."""

    def __init__(self, ak=AK, as_=AS, ck=CK, rules=ALL_RULES):
        self.lock = threading.Lock()
        self.ak, self.as_, self.ck = ak, as_, ck
        self.rules = list(rules)
        self.skew = 0
        self.base = None        # scheme://host:port, set by start()
        self.zones = {}         # name -> {"refreshed": n}
        self.records = {}       # id -> record dict (with "zone")
        self.unpublished = set()  # zones written since their last refresh
        self.faults = []
        self.bad_sigs = 0
        self.ids = itertools.count(5123456789)

    # ---- set-up and inspection, for tests ------------------------------
    def add_zone(self, name):
        with self.lock:
            self.zones[name] = {"refreshed": 0}

    def add_record(self, zone, sub, type, target, ttl=0):
        with self.lock:
            rid = next(self.ids)
            self.records[rid] = {"id": rid, "zone": zone, "subDomain": sub,
                                 "fieldType": type, "target": target,
                                 "ttl": ttl}
            return rid

    def find(self, zone, sub, type=None):
        return [r for r in self.records.values()
                if r["zone"] == zone and r["subDomain"] == sub
                and type in (None, r["fieldType"])]

    def delete_record(self, rid):
        with self.lock:
            del self.records[rid]

    def fail_next(self, status, count=1, headers=None, payload=None):
        if payload is None:
            payload = {"class": "Server::InternalServerError",
                       "message": "Internal server error"}
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def throttle(self, count=1, retry_after=None):
        h = {} if retry_after is None else {"Retry-After": str(retry_after)}
        self.fail_next(429, count, h, {"class": "Client::TooManyRequests",
                                       "message": "Too many requests"})

    def now(self):
        return int(time.time()) + self.skew

    # ---- auth -------------------------------------------------------------
    def auth(self, call, raw_target):
        h = call.headers
        ak = h.get("X-Ovh-Application")
        if ak is None:
            return coded(403, "NOT_CREDENTIAL", "You must login first")
        if ak != self.ak:
            return coded(403, "INVALID_KEY",
                         "This application key is invalid")
        ck, ts, sig = (h.get("X-Ovh-Consumer"), h.get("X-Ovh-Timestamp"),
                       h.get("X-Ovh-Signature"))
        if ck is None:
            return coded(403, "NOT_CREDENTIAL", "You must login first")
        if ck != self.ck:
            return coded(403, "INVALID_CREDENTIAL",
                         "This credential is not valid")
        if ts is None or not re.fullmatch(r"[0-9]+", ts) or \
                abs(int(ts) - self.now()) > MAX_DRIFT:
            return coded(400, "QUERY_TIME_OUT", "Query out of time")
        url = self.base + raw_target
        body = call.body.decode("utf-8", "replace")
        want = "$1$" + hashlib.sha1("+".join(
            [self.as_, ck, call.method, url, body, ts]).encode()).hexdigest()
        if sig != want:
            self.bad_sigs += 1
            return coded(400, "INVALID_SIGNATURE", "Invalid signature")
        path = call.path[len(PREFIX):]
        for m, pat in self.rules:
            if m == call.method and fnmatch.fnmatchcase(path, pat):
                return None
        return coded(403, "NOT_GRANTED_CALL", "This call has not been "
                     "granted")

    # ---- the API ----------------------------------------------------------
    def handle(self, call, raw_target):
        with self.lock:
            if self.faults:
                f = self.faults[0]
                f[0] -= 1
                if f[0] <= 0:
                    self.faults.pop(0)
                return (f[1], dict(f[2]), f[3])
            if not call.path.startswith(PREFIX + "/"):
                return classed(404, "Client::NotFound", "Got an invalid "
                               "(or empty) URL")
            path = call.path[len(PREFIX):]
            if path == "/auth/time" and call.method == "GET":
                return (200, JSON, str(self.now()))
            refused = self.auth(call, raw_target)
            if refused is not None:
                return refused
            return self.route(call, path)

    def route(self, call, path):
        if path == "/domain/zone" and call.method == "GET":
            return (200, {}, sorted(self.zones))
        m = re.fullmatch(r"/domain/zone/([^/]+)/(record|refresh)"
                         r"(?:/([0-9]+))?", path)
        if m is None:
            return classed(404, "Client::NotFound", "Got an invalid (or "
                           "empty) URL")
        zone = m.group(1)
        if zone not in self.zones:
            return classed(404, "Client::NotFound",
                           "This service does not exist")
        body = None
        if call.method in ("POST", "PUT") and call.body:
            if (call.headers.get("Content-Type") or "").split(";")[0] != \
                    "application/json":
                return classed(400, "Client::BadRequest",
                               "Invalid Content-Type")
            try:
                body = json.loads(call.body.decode())
            except ValueError:
                return classed(400, "Client::BadRequest",
                               "Invalid JSON received")
        if m.group(2) == "refresh":
            if call.method != "POST" or m.group(3) is not None:
                return classed(404, "Client::NotFound", "Bad method")
            self.zones[zone]["refreshed"] += 1
            self.unpublished.discard(zone)
            return (200, JSON, "null")
        rid = m.group(3)
        if rid is None:
            if call.method == "GET":
                q = {k: v[-1] for k, v in call.query.items()}
                rs = [r for r in self.records.values() if r["zone"] == zone
                      and ("fieldType" not in q or
                           r["fieldType"] == q["fieldType"])
                      and ("subDomain" not in q or
                           r["subDomain"] == q["subDomain"])]
                return (200, {}, sorted(r["id"] for r in rs))
            if call.method == "POST":
                if not isinstance(body, dict):
                    return classed(400, "Client::BadRequest",
                                   "Missing parameter(s): fieldType, "
                                   "target")
                try:
                    rec = self.create(zone, body)
                except Invalid as e:
                    return classed(400, "Client::BadRequest", e.args[0])
                self.unpublished.add(zone)
                return (200, {}, rec)
            return classed(404, "Client::NotFound", "Bad method")
        rec = self.records.get(int(rid))
        if rec is None or rec["zone"] != zone:
            return classed(404, "Client::NotFound", "The requested object "
                           "(id = %s) does not exist" % rid)
        if call.method == "GET":
            return (200, {}, dict(rec))
        if call.method == "PUT":
            if not isinstance(body, dict):
                return classed(400, "Client::BadRequest",
                               "Invalid JSON received")
            new = dict(rec)
            for k in ("subDomain", "target", "ttl"):
                if k in body:
                    new[k] = body[k]
            try:
                self.validate(new)
            except Invalid as e:
                return classed(400, "Client::BadRequest", e.args[0])
            self.records[rec["id"]] = new
            self.unpublished.add(zone)
            return (200, JSON, "null")
        return classed(404, "Client::NotFound", "Bad method")

    @staticmethod
    def validate(rec):
        try:
            if rec["fieldType"] == "A":
                ipaddress.IPv4Address(rec["target"])
            elif rec["fieldType"] == "AAAA":
                ipaddress.IPv6Address(rec["target"])
        except (ValueError, TypeError):
            raise Invalid("Invalid %s target" % rec["fieldType"])
        if not isinstance(rec["ttl"], int) or isinstance(rec["ttl"], bool):
            raise Invalid("Invalid ttl")
        if not isinstance(rec["subDomain"], str):
            raise Invalid("Invalid subDomain")

    def create(self, zone, body):
        rec = {"fieldType": body.get("fieldType"),
               "subDomain": body.get("subDomain", ""),
               "target": body.get("target"), "ttl": body.get("ttl", 0),
               "zone": zone}
        if rec["fieldType"] not in ("A", "AAAA", "CNAME", "TXT", "MX"):
            raise Invalid("Invalid fieldType")
        self.validate(rec)
        rec["id"] = next(self.ids)
        self.records[rec["id"]] = rec
        return dict(rec)


class Invalid(Exception):
    """A value OVH refuses with 400."""


class OvhHandler(MockHandler):
    def respond(self, call):
        return self.server.state["ovh"].handle(call, self.path)


def start(servers, tls=None, zones=("example.com",), **kw):
    """Start a mock holding zones; .ovh is its state, .endpoint its URL."""
    srv = servers(OvhHandler, tls=tls)
    st = OvhState(**kw)
    st.base = srv.url
    for z in zones:
        st.add_zone(z)
    srv.state["ovh"] = st
    srv.ovh = st
    srv.endpoint = srv.url + PREFIX
    return srv
