"""A stateful mock of the Cloudflare v4 API: the parts ddnsup uses.

Shaped after ref/cloudflare-openapi-20240801.json and Cloudflare's observed
behaviour: every answer is the envelope {success, errors, messages, result};
ids are 32 hex digits; auth is checked on every request (Bearer token, or
the legacy X-Auth-Email + X-Auth-Key); record bodies are validated with the
rules that matter (type enum, content an address of the type, ttl 1 or
30..86400, proxied a boolean); a proxied record's ttl is always 1
(automatic), as Cloudflare keeps it. On top of those rules every request
is checked against Cloudflare's own OpenAPI document (the subset in
tests/fixtures/openapi/cloudflare.json, by openapi.py) and so is every
reply the mock makes (injected faults aside): a request that breaks it is
answered 400 (9207) and recorded in SPEC.violations, which the tests
assert stays empty.

    srv = start(servers, tls=ca)          # zones: example.com
    srv.cf.add_record("home.example.com", "A", "198.51.100.1", ttl=120)
    srv.endpoint                          # for the "endpoint" config key
    srv.cf.throttle(count=1, retry_after=120)
    srv.cf.fail_next(500) / srv.cf.fail_next(200, payload="<html>")
"""
import datetime
import ipaddress
import json
import re
import threading
import uuid

import openapi
from harness import MockHandler

PREFIX = "/client/v4"
# name.exact is what ddnsup filters with: newer versions of the document
# have it, the 2024-08-01 one has only name (an exact match too).
SPEC = openapi.Guard("cloudflare", PREFIX, allow_query=("name.exact",))
TOKEN = "Xq3vT9-cfTestToken_0123456789abcdefABCDEF"

TYPES = ("A", "AAAA", "CAA", "CERT", "CNAME", "DNSKEY", "DS", "HTTPS", "LOC",
         "MX", "NAPTR", "NS", "PTR", "SMIMEA", "SRV", "SSHFP", "SVCB", "TLSA",
         "TXT", "URI")
PROXIABLE = ("A", "AAAA", "CNAME")


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ")


def ok(result, info=None):
    doc = {"success": True, "errors": [], "messages": [], "result": result}
    if info is not None:
        doc["result_info"] = info
    return (200, {}, doc)


def err(status, code, message, chain=None, headers=None):
    e = {"code": code, "message": message}
    if chain:
        e["error_chain"] = [{"code": c, "message": m} for c, m in chain]
    return (status, headers or {},
            {"success": False, "errors": [e], "messages": [], "result": None})


def no_route(path):
    return (400, {}, {"success": False, "errors": [
        {"code": 7003, "message": "Could not route to %s, perhaps your object "
         "identifier is invalid?" % path},
        {"code": 7000, "message": "No route for that URI"}],
        "messages": [], "result": None})


class Invalid(Exception):
    """A request body Cloudflare would refuse: (code, message)."""


class CloudflareState:
    """Zones, records, credentials and injected faults. Thread-safe."""

    def __init__(self, token=TOKEN, email=None, api_key=None):
        self.lock = threading.Lock()
        self.token = token
        self.email = email
        self.api_key = api_key
        self.zones = {}         # id -> {"id", "name", "status"}
        self.records = {}       # id -> record dict (insertion ordered)
        self.faults = []        # [count, status, headers, payload]

    # ---- set-up and inspection, for tests ------------------------------
    def add_zone(self, name, status="active"):
        zid = uuid.uuid4().hex
        with self.lock:
            self.zones[zid] = {"id": zid, "name": name, "status": status}
        return zid

    def zone_id(self, name):
        for z in self.zones.values():
            if z["name"] == name:
                return z["id"]
        raise KeyError(name)

    def add_record(self, name, type, content, ttl=1, proxied=False,
                   comment=None, zone=None):
        zid = self.zone_id(zone) if zone else self._zone_of(name)["id"]
        body = {"type": type, "name": name, "content": content, "ttl": ttl,
                "proxied": proxied}
        if comment is not None:
            body["comment"] = comment
        with self.lock:
            return self._create(self.zones[zid], body)["id"]

    def find(self, name, type=None):
        """Records named name (and of type), in creation order."""
        return [r for r in self.records.values()
                if r["name"] == name.lower() and type in (None, r["type"])]

    def delete_record(self, rid):
        with self.lock:
            del self.records[rid]

    def fail_next(self, status, count=1, headers=None, payload=None):
        """Answer the next count requests with status (before auth)."""
        if payload is None:
            payload = {"success": False, "errors": [
                {"code": 10002, "message": "An unknown error has occurred"}],
                "messages": [], "result": None}
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def throttle(self, count=1, retry_after=None):
        """429 for the next count requests, with Retry-After if given."""
        h = {} if retry_after is None else {"Retry-After": str(retry_after)}
        self.fail_next(429, count, h, {"success": False, "errors": [
            {"code": 971, "message": "Please wait and consider throttling "
             "your request speed"}], "messages": [], "result": None})

    # ---- internals ----------------------------------------------------
    def _zone_of(self, name):
        name = name.lower()
        best = None
        for z in self.zones.values():
            if name == z["name"] or name.endswith("." + z["name"]):
                if best is None or len(z["name"]) > len(best["name"]):
                    best = z
        if best is None:
            raise KeyError(name)
        return best

    def _check(self, zone, rec, bad=()):
        """Validate a whole record as Cloudflare would; raise Invalid.
        bad: the body's OpenAPI violations, refused after these rules."""
        t = rec.get("type")
        if t not in TYPES:
            raise Invalid(1004, "DNS Validation Error", [
                (9009, "Invalid DNS record type")])
        name = rec.get("name")
        if not isinstance(name, str) or not name or len(name) > 255:
            raise Invalid(9000, "DNS name is invalid.")
        c = rec.get("content")
        try:
            if t == "A":
                rec["content"] = str(ipaddress.IPv4Address(c))
            elif t == "AAAA":
                rec["content"] = str(ipaddress.IPv6Address(c))
            elif not isinstance(c, str):
                raise ValueError
        except (ValueError, TypeError):
            if t == "AAAA":
                raise Invalid(9006, "Content for AAAA record must be a "
                              "valid IPv6 address.")
            raise Invalid(9005, "Content for %s record is invalid." % t
                          if t != "A" else
                          "Content for A record must be a valid IPv4 "
                          "address.")
        ttl = rec.get("ttl")
        if (isinstance(ttl, bool) or not isinstance(ttl, (int, float))
                or not (ttl == 1 or 30 <= ttl <= 86400)):
            raise Invalid(9021, "Invalid TTL. Must be between 60 and 86400 "
                          "seconds, or 1 for Automatic.")
        if not isinstance(rec.get("proxied"), bool):
            raise Invalid(9003, "Invalid 'proxied' value, must be a "
                          "boolean")
        if rec["proxied"] and t not in PROXIABLE:
            raise Invalid(9004, "This record type cannot be proxied.")
        cm = rec.get("comment")
        if cm is not None and (not isinstance(cm, str) or len(cm) > 100):
            raise Invalid(9101, "DNS record comment is invalid.")
        # Cloudflare makes names absolute within the zone, lower case.
        n = name.lower().rstrip(".")
        if n == "@":
            n = zone["name"]
        elif n != zone["name"] and not n.endswith("." + zone["name"]):
            n = n + "." + zone["name"]
        rec["name"] = n
        if bad:
            raise Invalid(9207, "Request body is invalid.",
                          [(9207, v) for v in bad])
        if rec["proxied"]:
            rec["ttl"] = 1
        for o in self.records.values():
            if (o["id"] != rec.get("id") and o["zone_id"] == zone["id"]
                    and o["type"] == t and o["name"] == n
                    and o["content"] == rec["content"]):
                raise Invalid(81058, "An identical record already exists.")

    def _create(self, zone, body, bad=()):
        rec = {"ttl": 1, "proxied": False, "comment": None, "tags": []}
        rec.update({k: v for k, v in body.items()
                    if k in ("type", "name", "content", "ttl", "proxied",
                             "comment", "tags")})
        self._check(zone, rec, bad)
        now = _now()
        rec.update({"id": uuid.uuid4().hex, "zone_id": zone["id"],
                    "zone_name": zone["name"],
                    "proxiable": rec["type"] in PROXIABLE, "locked": False,
                    "settings": {}, "meta": {"auto_added": False,
                                             "managed_by_apps": False,
                                             "managed_by_argo_tunnel": False,
                                             "source": "primary"},
                    "created_on": now, "modified_on": now})
        self.records[rec["id"]] = rec
        return rec

    def _zone_json(self, z):
        return {"id": z["id"], "name": z["name"], "status": z["status"],
                "paused": False, "type": "full", "development_mode": 0,
                "name_servers": ["bob.ns.cloudflare.com",
                                 "lola.ns.cloudflare.com"],
                "original_name_servers": None, "original_registrar": None,
                "original_dnshost": None, "created_on": "2014-01-01T05:20:00Z",
                "modified_on": "2014-01-01T05:20:00Z",
                "activated_on": "2014-01-02T00:01:00Z",
                "owner": {"id": None, "type": "user", "email": None},
                "account": {"id": "01a7362d577a6c3019a474fd6f485823",
                            "name": "Example Account"},
                "meta": {"step": 2}, "permissions": ["#dns_records:edit"]}

    # ---- the API --------------------------------------------------------
    def auth(self, call):
        """None if the credentials are good, else the refusal."""
        a = call.headers.get("Authorization")
        email = call.headers.get("X-Auth-Email")
        key = call.headers.get("X-Auth-Key")
        if a is not None:
            m = re.fullmatch(r"Bearer ([A-Za-z0-9_-]+)", a)
            if m is None:
                return err(400, 6003, "Invalid request headers", [
                    (6111, "Invalid format for Authorization header")])
            if self.token is None or m.group(1) != self.token:
                return err(403, 9109, "Invalid access token")
            return None
        if email is None and key is None:
            return err(400, 6003, "Invalid request headers", [
                (9106, "Missing X-Auth-Key, X-Auth-Email or Authorization "
                 "headers")])
        if email is None or key is None:
            return err(400, 6003, "Invalid request headers", [
                (9106 if email is None else 9107,
                 "Missing X-Auth-Email header" if email is None else
                 "Missing X-Auth-Key header")])
        if self.email is None or (email, key) != (self.email, self.api_key):
            return err(403, 9103, "Unknown X-Auth-Key or X-Auth-Email")
        return None

    def handle(self, call):
        with self.lock:
            if self.faults:
                f = self.faults[0]
                f[0] -= 1
                if f[0] <= 0:
                    self.faults.pop(0)
                call.fault = True
                return (f[1], dict(f[2]), f[3])
            if not call.path.startswith(PREFIX + "/"):
                return no_route(call.path)
            refused = self.auth(call)
            if refused is not None:
                return refused
            path = call.path[len(PREFIX):]
            q = {k: v[-1] for k, v in call.query.items()}
            body = None
            if call.method in ("POST", "PATCH", "PUT"):
                ct = (call.headers.get("Content-Type") or "").split(";")[0]
                if ct.strip().lower() != "application/json":
                    return err(400, 6003, "Invalid request headers", [
                        (6105, "Invalid Content-Type header, valid values "
                         "are application/json,multipart/form-data")])
                try:
                    body = json.loads(call.body.decode())
                except ValueError:
                    return err(400, 9207, "Request body is invalid.")
                if not isinstance(body, dict):
                    return err(400, 9207, "Request body is invalid.")
            m = re.fullmatch(r"/zones/([^/]+)/dns_records(?:/([^/]+))?", path)
            base = self.records.get(m.group(2)) if m and m.group(2) \
                else None
            # A body the document refuses gets the rules above their say
            # first (their codes are Cloudflare's), then 9207 (_check).
            bad = SPEC.request(call, body, base)
            bad_body = [v for v in bad if ": body" in v]
            if len(bad_body) < len(bad):
                return err(400, 9207, "Request body is invalid.",
                           [(9207, v) for v in bad])
            if path == "/zones" and call.method == "GET":
                return self.list_zones(q)
            if m is None:
                return no_route(call.path)
            zone = self.zones.get(m.group(1))
            if zone is None:
                return no_route(call.path)
            try:
                if m.group(2) is None:
                    if call.method == "GET":
                        return self.list_records(zone, q)
                    if call.method == "POST":
                        return ok(self._create(zone, body, bad_body))
                    return err(405, 10405, "Method not allowed")
                rec = self.records.get(m.group(2))
                if rec is None or rec["zone_id"] != zone["id"]:
                    return err(404, 81044, "Record does not exist.")
                if call.method == "GET":
                    return ok(rec)
                if call.method == "DELETE":
                    del self.records[rec["id"]]
                    return ok({"id": rec["id"]})
                if call.method in ("PATCH", "PUT"):
                    new = dict(rec) if call.method == "PATCH" else {
                        "id": rec["id"], "ttl": 1, "proxied": False,
                        "comment": None}
                    for k in ("type", "name", "content", "ttl", "proxied",
                              "comment", "tags"):
                        if k in body:
                            new[k] = body[k]
                    self._check(zone, new, bad_body)
                    new["modified_on"] = _now()
                    self.records[rec["id"]] = new
                    return ok(new)
                return err(405, 10405, "Method not allowed")
            except Invalid as e:
                chain = e.args[2] if len(e.args) > 2 else None
                return err(400, e.args[0], e.args[1], chain)

    def list_zones(self, q):
        zs = list(self.zones.values())
        if "name" in q:
            zs = [z for z in zs if z["name"] == q["name"].lower()]
        if "status" in q:
            zs = [z for z in zs if z["status"] == q["status"]]
        return ok([self._zone_json(z) for z in zs],
                  {"page": 1, "per_page": 20, "count": len(zs),
                   "total_count": len(zs), "total_pages": 1})

    def list_records(self, zone, q):
        if "type" in q and q["type"] not in TYPES:
            return err(400, 9000, "DNS record type is invalid.")
        rs = [r for r in self.records.values() if r["zone_id"] == zone["id"]]
        if "type" in q:
            rs = [r for r in rs if r["type"] == q["type"]]
        # name is an exact match; name.exact is the newer spelling.
        for k in ("name", "name.exact"):
            if k in q:
                rs = [r for r in rs if r["name"] == q[k].lower().rstrip(".")]
        if "content" in q:
            rs = [r for r in rs if r["content"] == q["content"]]
        if "proxied" in q:
            rs = [r for r in rs if r["proxied"] == (q["proxied"] == "true")]
        return ok(rs, {"page": 1, "per_page": 100, "count": len(rs),
                       "total_count": len(rs), "total_pages": 1})


class CloudflareHandler(MockHandler):
    def respond(self, call):
        r = self.server.state["cf"].handle(call)
        if not getattr(call, "fault", False):
            SPEC.reply(call, r[0], r[2])
        return r


def start(servers, tls=None, zones=("example.com",), **kw):
    """Start a mock (via the conftest `servers` fixture) holding zones.
    The returned server has .cf (the CloudflareState) and .endpoint."""
    srv = servers(CloudflareHandler, tls=tls)
    cf = CloudflareState(**kw)
    for z in zones:
        cf.add_zone(z)
    srv.state["cf"] = cf
    srv.cf = cf
    srv.endpoint = srv.url + PREFIX
    return srv
