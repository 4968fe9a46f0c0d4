"""A stateful mock of Scaleway's Domains and DNS API v2beta1.

Shaped after the API reference: "X-Auth-Token: <secret key>" on every
call (401 denied_authentication when unknown; 403 permissions_denied with
details [{resource, action}] when the key's policy lacks the DNS rights:
read for GET, write for PATCH); GET /dns-zones?dns_zone= lists zones as
{domain, subdomain}; GET /dns-zones/{zone}/records filters by name= and
type= (names relative, "" the apex); PATCH /dns-zones/{zone}/records
applies "changes" ("add", "set" by id or id_fields) and answers the
changed records; without disallow_new_zone_creation a missing zone would
be CREATED, which this mock records as a failure of the client.

    srv = start(servers, tls=ca)          # zones: example.com
    srv.scw.add_record("example.com", "home", "A", "198.51.100.1")
    srv.endpoint                          # for the "endpoint" config key
    srv.scw.throttle(count=1, retry_after=120)
"""
import ipaddress
import json
import re
import threading
import uuid

from harness import MockHandler

PREFIX = "/domain/v2beta1"
SECRET = "11111111-2222-4333-8444-555555555555"
ALL_RIGHTS = ("read", "write")


def error(status, type_, message, headers=None, **extra):
    body = {"type": type_, "message": message}
    body.update(extra)
    return (status, headers or {}, body)


class ScalewayState:
    """Zones, records, the key and its rights, injected faults."""

    def __init__(self, secret=SECRET, rights=ALL_RIGHTS):
        self.lock = threading.Lock()
        self.secret = secret
        self.rights = set(rights)
        self.zones = {}         # full name -> (domain, subdomain)
        self.records = {}       # id -> record with "_zone"
        self.created_zones = []
        self.faults = []

    def add_zone(self, full, subdomain=""):
        dom = full[len(subdomain) + 1:] if subdomain else full
        with self.lock:
            self.zones[full] = (dom, subdomain)

    def add_record(self, zone, name, type, data, ttl=3600):
        with self.lock:
            rid = str(uuid.uuid4())
            self.records[rid] = {"id": rid, "name": name, "type": type,
                                 "data": data, "ttl": ttl, "priority": 0,
                                 "comment": None, "_zone": zone}
            return rid

    def find(self, zone, name, type=None):
        return [r for r in self.records.values()
                if r["_zone"] == zone and r["name"] == name
                and type in (None, r["type"])]

    def delete_record(self, rid):
        with self.lock:
            del self.records[rid]

    def fail_next(self, status, count=1, headers=None, payload=None):
        if payload is None:
            payload = {"type": "internal_error",
                       "message": "internal error"}
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def throttle(self, count=1, retry_after=None):
        h = {} if retry_after is None else {"Retry-After": str(retry_after)}
        self.fail_next(429, count, h, {"type": "too_many_requests",
                                       "message": "too many requests"})

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
            tok = call.headers.get("X-Auth-Token")
            if tok is None or tok != self.secret:
                return error(401, "denied_authentication",
                             "authentication is denied", method="api_key",
                             reason="not_found" if tok else
                             "invalid_argument")
            need = "read" if call.method == "GET" else "write"
            if need not in self.rights:
                return error(403, "permissions_denied",
                             "insufficient permissions", details=[
                                 {"resource": "dns_zone", "action": need}])
            if not call.path.startswith(PREFIX + "/"):
                return error(404, "not_found", "resource is not found")
            path = call.path[len(PREFIX):]
            q = {k: v[-1] for k, v in call.query.items()}
            if path == "/dns-zones" and call.method == "GET":
                zs = [z for z in self.zones
                      if "dns_zone" not in q or z == q["dns_zone"]]
                return (200, {}, {"total_count": len(zs), "dns_zones": [
                    {"domain": self.zones[z][0],
                     "subdomain": self.zones[z][1], "ns": [],
                     "ns_default": [], "ns_master": [],
                     "status": "active", "message": None,
                     "project_id": SECRET, "linked_products": []}
                    for z in zs]})
            m = re.fullmatch(r"/dns-zones/([^/]+)/records", path)
            if m is None:
                return error(404, "not_found", "resource is not found")
            zone = m.group(1)
            if call.method == "PATCH":
                return self.patch(zone, call)
            if zone not in self.zones:
                return error(404, "not_found", "resource is not found",
                             resource="dns_zone", resource_id=zone)
            if call.method != "GET":
                return error(404, "not_found", "resource is not found")
            rs = [r for r in self.records.values() if r["_zone"] == zone
                  and ("name" not in q or r["name"] == q["name"])
                  and ("type" not in q or r["type"] == q["type"])]
            return (200, {}, {"total_count": len(rs),
                              "records": [self.public(r) for r in rs]})

    def patch(self, zone, call):
        if (call.headers.get("Content-Type") or "").split(";")[0] != \
                "application/json":
            return error(400, "invalid_arguments", "invalid argument(s)")
        try:
            body = json.loads(call.body.decode())
            changes = body["changes"]
            assert isinstance(changes, list)
        except (ValueError, KeyError, AssertionError, TypeError):
            return error(400, "invalid_arguments", "invalid argument(s)")
        if zone not in self.zones:
            if body.get("disallow_new_zone_creation") is not True:
                self.created_zones.append(zone)
            return error(404, "not_found", "resource is not found",
                         resource="dns_zone", resource_id=zone)
        out = []
        for ch in changes:
            if "add" in ch:
                for r in ch["add"]["records"]:
                    bad = self.invalid(r)
                    if bad:
                        return bad
                    rid = str(uuid.uuid4())
                    rec = dict(r, id=rid, comment=None, _zone=zone)
                    self.records[rid] = rec
                    out.append(self.public(rec))
            elif "set" in ch:
                s = ch["set"]
                if "id" in s:
                    old = self.records.get(s["id"])
                    if old is None or old["_zone"] != zone:
                        return error(404, "not_found", "resource is not "
                                     "found", resource="dns_record",
                                     resource_id=s["id"])
                    gone = [old]
                else:
                    f = s["id_fields"]
                    gone = self.find(zone, f["name"], f["type"])
                recs = s["records"]
                for r in recs:
                    bad = self.invalid(r)
                    if bad:
                        return bad
                for g in gone:
                    del self.records[g["id"]]
                for i, r in enumerate(recs):
                    rid = gone[0]["id"] if i == 0 and gone and "id" in s \
                        else str(uuid.uuid4())
                    rec = dict(r, id=rid, comment=None, _zone=zone)
                    self.records[rid] = rec
                    out.append(self.public(rec))
            else:
                return error(400, "invalid_arguments",
                             "invalid argument(s)")
        return (200, {}, {"records": out})

    @staticmethod
    def invalid(r):
        try:
            if r["type"] == "A":
                ipaddress.IPv4Address(r["data"])
            elif r["type"] == "AAAA":
                ipaddress.IPv6Address(r["data"])
            assert isinstance(r["name"], str)
            assert isinstance(r["ttl"], int) and r["ttl"] >= 60
        except (KeyError, ValueError, AssertionError):
            return error(400, "invalid_arguments", "invalid argument(s)",
                         details=[{"argument_name": "records",
                                   "reason": "constraint"}])
        return None


class ScalewayHandler(MockHandler):
    def respond(self, call):
        return self.server.state["scw"].handle(call)


def start(servers, tls=None, zones=("example.com",), **kw):
    """Start a mock holding zones; .scw is its state, .endpoint its URL."""
    srv = servers(ScalewayHandler, tls=tls)
    st = ScalewayState(**kw)
    for z in zones:
        st.add_zone(z)
    srv.state["scw"] = st
    srv.scw = st
    srv.endpoint = srv.url
    return srv
