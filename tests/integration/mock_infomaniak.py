"""A stateful mock of Infomaniak's API v2 DNS zones and records.

Shaped after developer.infomaniak.com: "Authorization: Bearer <token>" on
every call; replies {"result":"success","data":...} or
{"result":"error","error":{"code","description"}}; zones addressed by
name only (GET /2/zones/{fqdn}, 404 when not on the account); records
{"id","source","type","ttl","target"} with "." as the apex's source;
GET /2/zones/{zone}/records filters by filter[source] and
filter[types][]; POST creates (answering 201, as the real API does
despite its documentation), PUT /2/zones/{zone}/records/{id} changes
target and ttl. The error codes and texts are this mock's own: the
documentation does not list them.

    srv = start(servers, tls=ca)          # zones: example.com
    srv.ik.add_record("example.com", "home", "A", "198.51.100.1")
    srv.endpoint
    srv.ik.throttle(count=1, retry_after=120)
"""
import ipaddress
import itertools
import json
import re
import threading

from harness import MockHandler

TOKEN = "ik_" + "Zm9vYmFy" * 6


def ok(data, status=200):
    return (status, {}, {"result": "success", "data": data})


def error(status, code, desc, headers=None):
    return (status, headers or {}, {"result": "error",
                                    "error": {"code": code,
                                              "description": desc}})


class InfomaniakState:
    """Zones, records, the token, injected faults."""

    def __init__(self, token=TOKEN, writable=True):
        self.lock = threading.Lock()
        self.token = token
        self.writable = writable
        self.zones = {}
        self.records = {}       # id -> record with "_zone"
        self.faults = []
        self.ids = itertools.count(7001)

    def add_zone(self, name):
        with self.lock:
            self.zones[name] = {"id": 100 + len(self.zones), "fqdn": name,
                                "dnssec": {"is_enabled": False},
                                "nameservers": ["ns11.infomaniak.ch",
                                                "ns12.infomaniak.ch"]}

    def add_record(self, zone, source, type, target, ttl=3600):
        with self.lock:
            rid = next(self.ids)
            self.records[rid] = {"id": rid, "source": source, "type": type,
                                 "ttl": ttl, "target": target,
                                 "_zone": zone}
            return rid

    def find(self, zone, source, type=None):
        return [r for r in self.records.values()
                if r["_zone"] == zone and r["source"] == source
                and type in (None, r["type"])]

    def delete_record(self, rid):
        with self.lock:
            del self.records[rid]

    def fail_next(self, status, count=1, headers=None, payload=None):
        if payload is None:
            payload = {"result": "error", "error": {
                "code": "internal_error", "description": "Internal error"}}
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def throttle(self, count=1, retry_after=None):
        h = {} if retry_after is None else {"Retry-After": str(retry_after)}
        self.fail_next(429, count, h, {"result": "error", "error": {
            "code": "too_many_request",
            "description": "Too many requests"}})

    @staticmethod
    def public(r):
        return {k: v for k, v in r.items() if not k.startswith("_")}

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
                return error(401, "not_authorized",
                             "Authorization required")
            if call.method != "GET" and not self.writable:
                return error(403, "access_denied", "Access denied")
            m = re.fullmatch(r"/2/zones/([^/]+)(/records(?:/(\d+))?)?",
                             call.path)
            if m is None or m.group(1) not in self.zones:
                return error(404, "object_not_found", "Object not found")
            zone = m.group(1)
            if m.group(2) is None:
                if call.method != "GET":
                    return error(405, "method_not_allowed",
                                 "Method not allowed")
                return ok(self.zones[zone])
            body = None
            if call.method in ("POST", "PUT"):
                try:
                    body = json.loads(call.body.decode())
                    assert isinstance(body, dict)
                except (ValueError, AssertionError):
                    return error(422, "validation_failed",
                                 "Invalid JSON body")
            if m.group(3) is None:
                if call.method == "GET":
                    q = {k: v[-1] for k, v in call.query.items()}
                    rs = [r for r in self.records.values()
                          if r["_zone"] == zone
                          and ("filter[source]" not in q or
                               r["source"] == q["filter[source]"])
                          and ("filter[types][]" not in q or
                               r["type"] == q["filter[types][]"])]
                    return ok([self.public(r) for r in rs])
                if call.method == "POST":
                    for k in ("type", "ttl", "source", "target"):
                        if k not in body:
                            return error(422, "validation_failed",
                                         "The %s field is required." % k)
                    bad = self.invalid(body["type"], body["target"],
                                       body["ttl"])
                    if bad:
                        return bad
                    rid = next(self.ids)
                    rec = {"id": rid, "source": body["source"],
                           "type": body["type"], "ttl": body["ttl"],
                           "target": body["target"], "_zone": zone}
                    self.records[rid] = rec
                    return ok(self.public(rec), 201)
                return error(405, "method_not_allowed", "Method not allowed")
            rec = self.records.get(int(m.group(3)))
            if rec is None or rec["_zone"] != zone:
                return error(404, "object_not_found", "Object not found")
            if call.method == "PUT":
                new = dict(rec)
                for k in ("target", "ttl"):
                    if k in body:
                        new[k] = body[k]
                bad = self.invalid(new["type"], new["target"], new["ttl"])
                if bad:
                    return bad
                self.records[rec["id"]] = new
                return ok(self.public(new))
            return ok(self.public(rec))

    @staticmethod
    def invalid(t, target, ttl):
        try:
            if t == "A":
                ipaddress.IPv4Address(target)
            elif t == "AAAA":
                ipaddress.IPv6Address(target)
            assert isinstance(ttl, int) and ttl >= 60
        except (ValueError, AssertionError):
            return error(422, "validation_failed", "Invalid record")
        return None


class InfomaniakHandler(MockHandler):
    def respond(self, call):
        return self.server.state["ik"].handle(call)


def start(servers, tls=None, zones=("example.com",), **kw):
    """Start a mock holding zones; .ik is its state, .endpoint its URL."""
    srv = servers(InfomaniakHandler, tls=tls)
    st = InfomaniakState(**kw)
    for z in zones:
        st.add_zone(z)
    srv.state["ik"] = st
    srv.ik = st
    srv.endpoint = srv.url
    return srv
