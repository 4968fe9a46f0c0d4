"""A stateful mock of the Hetzner Cloud API's DNS part: zones, RRSets and
the Actions a write starts.

Shaped after https://docs.hetzner.cloud/reference/cloud (Zones, Zone
RRSets, Actions): Bearer token on every request; errors are
{"error": {"code", "message", "details"}}; GET /zones/{id_or_name}; RRSets
at /zones/{id_or_name}/rrsets/{name}/{type}, the name relative and lower
case ("@" for the apex); POST /zones/{z}/rrsets answers {"rrset",
"action"}; the set_records and change_ttl actions answer {"action"}; an
Action is "running" until polled at GET /actions/{id}; every answer
carries RateLimit-Limit/-Remaining/-Reset.

    srv = start(servers, tls=ca)          # zone example.com, id 42
    srv.hz.add_rrset("home", "A", ["198.51.100.1"], ttl=600)
    srv.endpoint                          # for the "endpoint" config key
    srv.hz.running = 2                    # actions run for 2 polls
    srv.hz.throttle(count=1, retry_after=120)
    srv.hz.fail_next(500) / srv.hz.fail_next(200, payload="<html>")
"""
import datetime
import ipaddress
import json
import re
import threading
import time
import urllib.parse

from harness import MockHandler

PREFIX = "/v1"
TOKEN = "hzTestToken0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
TYPES = ("A", "AAAA", "CAA", "CNAME", "DS", "HINFO", "HTTPS", "MX", "NS",
         "PTR", "RP", "SOA", "SRV", "SVCB", "TLSA", "TXT")


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S+00:00")


def err(status, code, message, details=None, headers=None):
    return (status, headers or {}, {"error": {
        "code": code, "message": message, "details": details or {}}})


class Invalid(Exception):
    """invalid_input: (message, field)."""


class HetznerState:
    """Zones, RRSets, actions, credentials and faults. Thread-safe."""

    def __init__(self, token=TOKEN, readonly=False):
        self.lock = threading.Lock()
        self.token = token
        self.readonly = readonly
        self.zones = {}         # id -> {"id", "name", "mode", "ttl"}
        self.rrsets = {}        # (zone id, name, type) -> rrset
        self.actions = {}       # id -> [action, polls left]
        self.next_id = 42
        self.next_action = 1000
        self.running = 0        # polls a new action answers "running"
        self.action_error = None    # (code, message) for the next action
        self.faults = []        # [count, status, headers, payload]
        self.remaining = 3600

    # ---- set-up and inspection, for tests ------------------------------
    def add_zone(self, name, mode="primary"):
        with self.lock:
            zid = self.next_id
            self.next_id += 1
            self.zones[zid] = {"id": zid, "name": name, "mode": mode,
                               "ttl": 3600}
        return zid

    def zone_id(self, name):
        for z in self.zones.values():
            if z["name"] == name:
                return z["id"]
        raise KeyError(name)

    def add_rrset(self, name, type, values, ttl=None, zone="example.com",
                  protect=False, comment=None):
        zid = self.zone_id(zone)
        with self.lock:
            self.rrsets[(zid, name, type)] = self._rrset(
                zid, name, type, ttl, [{"value": v, "comment": comment}
                                       for v in values], protect)

    def rrset(self, name, type, zone="example.com"):
        return self.rrsets.get((self.zone_id(zone), name, type))

    def values(self, name, type, zone="example.com"):
        r = self.rrset(name, type, zone)
        return None if r is None else [x["value"] for x in r["records"]]

    def fail_next(self, status, count=1, headers=None, payload=None):
        """Answer the next count requests with status (before auth)."""
        if payload is None:
            payload = {"error": {"code": "service_error", "message":
                                 "internal service error", "details": {}}}
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def throttle(self, count=1, retry_after=None):
        """429 for the next count requests, with Retry-After if given."""
        h = {"RateLimit-Limit": "3600", "RateLimit-Remaining": "0",
             "RateLimit-Reset": str(int(time.time()) + 3600)}
        if retry_after is not None:
            h["Retry-After"] = str(retry_after)
        self.fail_next(429, count, h, {"error": {
            "code": "rate_limit_exceeded", "message": "limit of 3600 "
            "requests per hour reached", "details": {}}})

    # ---- internals ----------------------------------------------------
    def _rrset(self, zid, name, type, ttl, records, protect=False):
        return {"id": "%s/%s" % (name, type), "name": name, "type": type,
                "ttl": ttl, "labels": {}, "protection": {"change": protect},
                "records": records, "zone": zid}

    def _action(self, command, zid):
        aid = self.next_action
        self.next_action += 1
        a = {"id": aid, "command": command, "status": "running",
             "progress": 0, "started": _now(), "finished": None,
             "resources": [{"id": zid, "type": "zone"}], "error": None}
        if self.action_error is not None:
            a["error_pending"] = self.action_error
            self.action_error = None
        self.actions[aid] = [a, self.running]
        if self.running == 0:
            self._finish(a)
        return self._public(a)

    def _finish(self, a):
        if "error_pending" in a:
            code, msg = a.pop("error_pending")
            a.update(status="error", error={"code": code, "message": msg})
        else:
            a.update(status="success", progress=100)
        a["finished"] = _now()

    def _public(self, a):
        return {k: v for k, v in a.items() if k != "error_pending"}

    def _zone(self, id_or_name):
        if re.fullmatch(r"[0-9]+", id_or_name):
            return self.zones.get(int(id_or_name))
        for z in self.zones.values():
            if z["name"] == id_or_name:
                return z
        return None

    def _records(self, type, recs):
        if not isinstance(recs, list) or not recs:
            raise Invalid("records must be a non-empty list", "records")
        out = []
        for r in recs:
            if not isinstance(r, dict) or not isinstance(r.get("value"),
                                                         str):
                raise Invalid("invalid record", "records")
            if set(r) - {"value", "comment"}:
                raise Invalid("unknown field", "records")
            v = r["value"]
            try:
                if type == "A":
                    ipaddress.IPv4Address(v)
                elif type == "AAAA":
                    ipaddress.IPv6Address(v)
            except ValueError:
                raise Invalid("invalid %s record value" % type, "records")
            out.append({"value": v, "comment": r.get("comment")})
        return out

    def _ttl(self, body):
        ttl = body.get("ttl")
        if ttl is not None and (isinstance(ttl, bool) or
                                not isinstance(ttl, int) or
                                not 60 <= ttl <= 2147483647):
            raise Invalid("ttl must be at least 60", "ttl")
        return ttl

    def _name(self, zone, name):
        if (not isinstance(name, str) or name != name.lower() or
                name.endswith(".") or name == zone["name"] or
                name.endswith("." + zone["name"]) or not name):
            raise Invalid("invalid RRSet name", "name")
        return name

    # ---- the API --------------------------------------------------------
    def handle(self, call):
        with self.lock:
            r = self._handle(call)
            status, headers, payload = r
            self.remaining = max(0, self.remaining - 1)
            h = {"RateLimit-Limit": "3600",
                 "RateLimit-Remaining": str(self.remaining),
                 "RateLimit-Reset": str(int(time.time()) + 3600 -
                                        self.remaining)}
            h.update(headers)
            return status, h, payload

    def _handle(self, call):
        if self.faults:
            f = self.faults[0]
            f[0] -= 1
            if f[0] <= 0:
                self.faults.pop(0)
            return (f[1], dict(f[2]), f[3])
        a = call.headers.get("Authorization") or ""
        m = re.fullmatch(r"Bearer (\S+)", a)
        if m is None or m.group(1) != self.token:
            return err(401, "unauthorized", "unable to authenticate")
        if call.method != "GET" and self.readonly:
            return err(403, "token_readonly", "The token is only allowed "
                       "to perform GET requests")
        if not call.path.startswith(PREFIX + "/"):
            return err(404, "not_found", "not found")
        # Path segments arrive percent-encoded ("@" as %40).
        path = urllib.parse.unquote(call.path[len(PREFIX):])
        body = None
        if call.method == "POST":
            ct = (call.headers.get("Content-Type") or "").split(";")[0]
            try:
                body = json.loads(call.body.decode())
            except ValueError:
                return err(400, "json_error", "invalid JSON in request "
                           "body")
            if ct.strip() != "application/json" or not isinstance(body,
                                                                 dict):
                return err(400, "json_error", "invalid JSON in request "
                           "body")
        try:
            return self._route(call.method, path, body)
        except Invalid as e:
            return err(400, "invalid_input", "invalid input in field "
                       "'%s': %s" % (e.args[1], e.args[0]),
                       {"fields": [{"name": e.args[1],
                                    "messages": [e.args[0]]}]})

    def _route(self, method, path, body):
        m = re.fullmatch(r"/actions/([0-9]+)", path)
        if m and method == "GET":
            e = self.actions.get(int(m.group(1)))
            if e is None:
                return err(404, "not_found", "action not found")
            if e[0]["status"] == "running":
                e[1] -= 1
                if e[1] < 0:
                    self._finish(e[0])
            return (200, {}, {"action": self._public(e[0])})
        m = re.fullmatch(r"/zones/([^/]+)(/rrsets(?:/([^/]+)/([^/]+)"
                         r"(?:/actions/([a-z_]+))?)?)?", path)
        if m is None:
            return err(404, "not_found", "not found")
        zone = self._zone(m.group(1))
        if zone is None:
            return err(404, "not_found", "zone with ID or name '%s' not "
                       "found" % m.group(1))
        if m.group(2) is None:
            if method != "GET":
                return err(405, "method_not_allowed", "method not allowed")
            return (200, {}, {"zone": dict(zone, status="ok",
                                           protection={"delete": False},
                                           labels={}, created=_now(),
                                           record_count=len(self.rrsets))})
        if zone["mode"] != "primary":
            return err(422, "incorrect_zone_mode", "This operation is not "
                       "supported for this Zone's mode")
        if m.group(3) is None:
            if method != "POST":
                return err(405, "method_not_allowed", "method not allowed")
            name = self._name(zone, body.get("name"))
            t = body.get("type")
            if t not in TYPES:
                raise Invalid("invalid type", "type")
            recs = self._records(t, body.get("records"))
            ttl = self._ttl(body)
            if (zone["id"], name, t) in self.rrsets:
                return err(409, "uniqueness_error", "RRSet already "
                           "exists", {"fields": [{"name": "name"}]})
            rs = self._rrset(zone["id"], name, t, ttl, recs)
            self.rrsets[(zone["id"], name, t)] = rs
            return (201, {}, {"rrset": rs,
                              "action": self._action("create_rrset",
                                                     zone["id"])})
        key = (zone["id"], m.group(3), m.group(4))
        rs = self.rrsets.get(key)
        if rs is None:
            return err(404, "not_found", "RRSet not found")
        act = m.group(5)
        if act is None:
            if method != "GET":
                return err(405, "method_not_allowed", "method not allowed")
            return (200, {}, {"rrset": rs})
        if method != "POST":
            return err(405, "method_not_allowed", "method not allowed")
        if rs["protection"]["change"]:
            return err(403, "protected", "RRSet is change protected")
        if act == "set_records":
            if set(body) != {"records"}:
                raise Invalid("unknown field", "records")
            rs["records"] = self._records(rs["type"], body["records"])
            return (201, {}, {"action": self._action("set_rrset_records",
                                                     zone["id"])})
        if act == "change_ttl":
            if set(body) != {"ttl"}:
                raise Invalid("unknown field", "ttl")
            rs["ttl"] = self._ttl(body)
            return (201, {}, {"action": self._action("change_rrset_ttl",
                                                     zone["id"])})
        return err(404, "not_found", "not found")


class HetznerHandler(MockHandler):
    def respond(self, call):
        return self.server.state["hz"].handle(call)


def start(servers, tls=None, zones=("example.com",), **kw):
    """Start a mock (via the conftest `servers` fixture) holding zones.
    The returned server has .hz (the HetznerState) and .endpoint."""
    srv = servers(HetznerHandler, tls=tls)
    hz = HetznerState(**kw)
    for z in zones:
        hz.add_zone(z)
    srv.state["hz"] = hz
    srv.hz = hz
    srv.endpoint = srv.url + PREFIX
    return srv
