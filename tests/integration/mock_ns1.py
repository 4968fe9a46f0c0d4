"""A stateful mock of NS1's API v1: zones and records.

Shaped after NS1's API reference: the key comes in "X-NSONE-Key" (401
{"message":"Unauthorized"} when wrong, 403 when the key lacks the zone
permission a call needs: view for GET, manage for PUT/POST); records live at
/v1/zones/{zone}/{domain}/{type} with the FULL domain name; PUT creates (400
"record already exists" when it does), POST changes only the fields sent (404
"record not found" when missing); errors are {"message": ...}; the rate limit
answers 429 with X-RateLimit-{By,Limit,Remaining,Period} headers.

    srv = start(servers, tls=ca)          # zones: example.com
    srv.ns1.add_record("example.com", "home.example.com", "A", ["198.51.100.1"])
    srv.endpoint                          # for the "endpoint" config key
    srv.ns1.throttle(count=1, retry_after=120)
    srv.ns1.fail_next(500) / srv.ns1.fail_next(200, payload="<html>")
"""
import ipaddress
import itertools
import json
import re
import threading

from harness import MockHandler

PREFIX = "/v1"
KEY = "qACMD09OJXBxT7XOuRs8"
ALL_PERMS = ("view_zones", "manage_zones")


def error(status, message, headers=None):
    return (status, headers or {}, {"message": message})


class NS1State:
    """Zones, records, the key and its permissions, injected faults."""

    def __init__(self, key=KEY, perms=ALL_PERMS):
        self.lock = threading.Lock()
        self.key = key
        self.perms = set(perms)
        self.zones = {}         # name -> zone dict
        self.records = {}       # (zone, domain, type) -> record dict
        self.faults = []        # [count, status, headers, payload]
        self.ids = itertools.count(0x6536e8ed1e5ce2000119b5e3)

    # ---- set-up and inspection, for tests ------------------------------
    def add_zone(self, name):
        with self.lock:
            self.zones[name] = {"zone": name, "ttl": 3600, "nx_ttl": 3600,
                                "id": "%x" % next(self.ids),
                                "dns_servers": ["dns1.p01.nsone.net"]}

    def add_record(self, zone, domain, type, answers, ttl=3600):
        with self.lock:
            self.records[(zone, domain, type)] = self._new(
                zone, domain, type, [{"answer": [a]} for a in answers], ttl)

    def get(self, zone, domain, type):
        return self.records.get((zone, domain, type))

    def delete_record(self, zone, domain, type):
        with self.lock:
            del self.records[(zone, domain, type)]

    def fail_next(self, status, count=1, headers=None, payload=None):
        if payload is None:
            payload = {"message": "internal server error"}
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def throttle(self, count=1, retry_after=None):
        h = {"X-RateLimit-By": "customer", "X-RateLimit-Limit": "10",
             "X-RateLimit-Remaining": "0", "X-RateLimit-Period": "1"}
        if retry_after is not None:
            h["Retry-After"] = str(retry_after)
        self.fail_next(429, count, h, {"message": "rate limit exceeded"})

    # ---- internals ----------------------------------------------------
    def _new(self, zone, domain, type, answers, ttl):
        return {"id": "%x" % next(self.ids), "zone": zone,
                "zone_name": zone, "domain": domain, "type": type,
                "answers": answers, "ttl": ttl, "filters": [], "meta": {},
                "link": None, "networks": [0], "regions": {}, "tier": 1,
                "use_client_subnet": True}

    @staticmethod
    def _check_answers(type, answers):
        if not isinstance(answers, list):
            raise Invalid("answers must be a list")
        for a in answers:
            if not isinstance(a, dict) or \
                    not isinstance(a.get("answer"), list) or \
                    len(a["answer"]) != 1:
                raise Invalid("invalid answer")
            try:
                if type == "A":
                    ipaddress.IPv4Address(a["answer"][0])
                elif type == "AAAA":
                    ipaddress.IPv6Address(a["answer"][0])
            except (ValueError, TypeError):
                raise Invalid("invalid rdata for %s" % type)

    def auth(self, call):
        k = call.headers.get("X-NSONE-Key")
        if k is None or self.key is None or k != self.key:
            return error(401, "Unauthorized")
        need = "view_zones" if call.method == "GET" else "manage_zones"
        if need not in self.perms:
            return error(403, "insufficient permissions")
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
            m = re.fullmatch(r"/v1/zones/([^/]+)(?:/([^/]+)/([A-Z]+))?",
                             call.path)
            if m is None:
                return error(404, "Not Found")
            zone, domain, type = m.groups()
            if zone not in self.zones:
                return error(404, "zone not found")
            if domain is None:
                if call.method != "GET":
                    return error(405, "Method Not Allowed")
                z = dict(self.zones[zone])
                if call.query.get("records") != ["false"]:
                    z["records"] = [
                        {"domain": r["domain"], "type": r["type"],
                         "id": r["id"], "ttl": r["ttl"],
                         "short_answers": [a["answer"][0]
                                           for a in r["answers"]]}
                        for r in self.records.values() if r["zone"] == zone]
                return (200, {}, z)
            if domain != zone and not domain.endswith("." + zone):
                return error(400, "invalid: FQDN must end with zone")
            body = None
            if call.method in ("PUT", "POST"):
                try:
                    body = json.loads(call.body.decode())
                except ValueError:
                    return error(400, "invalid JSON in request body")
                if not isinstance(body, dict):
                    return error(400, "invalid JSON in request body")
            key = (zone, domain, type)
            rec = self.records.get(key)
            try:
                if call.method == "GET":
                    if rec is None:
                        return error(404, "record not found")
                    return (200, {}, rec)
                if call.method == "PUT":
                    if rec is not None:
                        return error(400, "record already exists")
                    for k in ("zone", "domain", "type"):
                        if body.get(k) != {"zone": zone, "domain": domain,
                                           "type": type}[k]:
                            raise Invalid("%s mismatch" % k)
                    self._check_answers(type, body.get("answers"))
                    ttl = body.get("ttl", self.zones[zone]["ttl"])
                    if isinstance(ttl, bool) or not isinstance(ttl, int):
                        raise Invalid("ttl must be an integer")
                    rec = self._new(zone, domain, type, body["answers"], ttl)
                    self.records[key] = rec
                    return (200, {}, rec)
                if call.method == "POST":
                    if rec is None:
                        return error(404, "record not found")
                    new = dict(rec)
                    if "answers" in body:
                        self._check_answers(type, body["answers"])
                        new["answers"] = body["answers"]
                    if "ttl" in body:
                        if isinstance(body["ttl"], bool) or \
                                not isinstance(body["ttl"], int):
                            raise Invalid("ttl must be an integer")
                        new["ttl"] = body["ttl"]
                    self.records[key] = new
                    return (200, {}, new)
                return error(405, "Method Not Allowed")
            except Invalid as e:
                return error(400, e.args[0])


class Invalid(Exception):
    """A value NS1 refuses with 400."""


class NS1Handler(MockHandler):
    def respond(self, call):
        return self.server.state["ns1"].handle(call)


def start(servers, tls=None, zones=("example.com",), **kw):
    """Start a mock holding zones; .ns1 is its state, .endpoint its URL."""
    srv = servers(NS1Handler, tls=tls)
    st = NS1State(**kw)
    for z in zones:
        st.add_zone(z)
    srv.state["ns1"] = st
    srv.ns1 = st
    srv.endpoint = srv.url + PREFIX
    return srv
