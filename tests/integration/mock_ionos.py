"""A stateful mock of the IONOS DNS API v1 (developer.hosting.ionos.com).

Shaped after IONOS's OpenAPI document "DNS API" 1.0.2
(https://developer.hosting.ionos.de/assets/kms-swagger-specs/dns.yaml):
every call needs "X-API-Key: <public prefix>.<secret>" (else 401 with
[{"code": "UNAUTHORIZED", ...}]); GET /v1/zones lists the zones;
GET /v1/zones/{id} returns the customer zone, its records filtered by
recordName (a FULLY QUALIFIED name) and recordType (a comma-separated
list); POST /v1/zones/{id}/records takes an array of records and answers
201 with the created records; PUT /v1/zones/{id}/records/{rid} takes a
record-update and answers 200 with the record; errors are arrays of
{code, message}. Request bodies are checked against the document's
schemas, transcribed below (SCHEMAS), more strictly than the document
(unknown properties are refused, name/type/content required on create).

Not in the document, so assumed here (as in providers/ionos.c): 403
[{"code": "FORBIDDEN_REQUEST", "message": "Request not allowed."}] (the
document shows it on the dyndns paths); an unknown zone id answers 404
[{"code": "NOT_FOUND", ...}]; 429 has no body (as the dyndns paths
document) and may carry Retry-After; a ttl under 60 is refused (acme.sh's
dns_ionos calls 60 the API's minimum).

    srv = start(servers, tls=ca)          # zones: example.com
    srv.io.add_record("home.example.com", "A", "198.51.100.1", ttl=120)
    srv.endpoint                          # for the "endpoint" config key
    srv.io.throttle(count=1, retry_after=120)
    srv.io.fail_next(500) / srv.io.fail_next(200, payload="<html>")
"""
import datetime
import ipaddress
import json
import re
import threading
import uuid

from harness import MockHandler

PREFIX = "/dns/v1"
PUBLIC = "b1a6e7d93c4f4a0f8e2d5c7b9a1e3f50"
SECRET = "Zx9-kQ2_vT7rLm4NpS8wYb3HcJ6dFg1AeUi5oRt0XvWq"
API_KEY = PUBLIC + "." + SECRET

RECORD_TYPES = ["A", "AAAA", "CNAME", "MX", "NS", "SOA", "SRV", "TXT", "CAA",
                "TLSA", "SMIMEA", "SSHFP", "DS", "HTTPS", "SVCB", "CERT",
                "URI", "RP", "LOC", "OPENPGPKEY"]

# components/schemas of dns.yaml 1.0.2, transcribed (the parts requests use).
SCHEMAS = {
    "recordTypes": {"type": "string", "enum": RECORD_TYPES},
    "record": {"type": "object", "properties": {
        "name": {"type": "string"},
        "type": {"$ref": "recordTypes"},
        "content": {"type": "string"},
        "ttl": {"type": "integer"},
        "prio": {"type": "integer"},
        "disabled": {"type": "boolean"}}},
    "record-update": {"type": "object", "properties": {
        "disabled": {"type": "boolean"},
        "content": {"type": "string"},
        "ttl": {"type": "integer"},
        "prio": {"type": "integer"}}},
}
# requestBody schemas of the two writes.
CREATE_BODY = {"type": "array", "items": {"$ref": "record"}}
UPDATE_BODY = {"$ref": "record-update"}


def schema_errors(value, schema, where="body"):
    """What in value the schema refuses (a list of texts; [] when none).
    Unknown object properties are refused too."""
    if "$ref" in schema:
        return schema_errors(value, SCHEMAS[schema["$ref"]], where)
    t = schema.get("type")
    ok = {"string": lambda v: isinstance(v, str),
          "integer": lambda v: isinstance(v, int) and
          not isinstance(v, bool),
          "boolean": lambda v: isinstance(v, bool),
          "array": lambda v: isinstance(v, list),
          "object": lambda v: isinstance(v, dict)}[t]
    if not ok(value):
        return ["%s: not a%s %s" % (where, "n" if t[0] in "aeiou" else "",
                                    t)]
    errs = []
    if "enum" in schema and value not in schema["enum"]:
        errs.append("%s: %r not in the enum" % (where, value))
    if t == "array":
        for i, v in enumerate(value):
            errs += schema_errors(v, schema["items"], "%s[%d]" % (where, i))
    if t == "object":
        props = schema.get("properties", {})
        for k, v in value.items():
            if k not in props:
                errs.append("%s.%s: not in the schema" % (where, k))
            else:
                errs += schema_errors(v, props[k], "%s.%s" % (where, k))
    return errs


def error(status, code, message=None, headers=None, **extra):
    e = {"code": code}
    if message is not None:
        e["message"] = message
    e.update(extra)
    return (status, headers or {}, [e])


def unauthorized():
    return error(401, "UNAUTHORIZED",
                 "The customer is not authorized to do this operation.")


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class Invalid(Exception):
    """A record IONOS refuses with 400 INVALID_RECORD: (message, params)."""


class IonosState:
    """Zones, records, the key, injected faults. Thread-safe."""

    def __init__(self, api_key=API_KEY, forbidden=False):
        self.lock = threading.Lock()
        self.api_key = api_key
        self.forbidden = forbidden
        self.zones = {}         # id -> {"id", "name", "type"}
        self.records = {}       # id -> record dict (insertion ordered)
        self.faults = []        # [count, status, headers, payload, after]
        self.schema_checked = 0

    # ---- set-up and inspection, for tests ------------------------------
    def add_zone(self, name):
        zid = str(uuid.uuid4())
        with self.lock:
            self.zones[zid] = {"id": zid, "name": name, "type": "NATIVE"}
        return zid

    def zone_id(self, name):
        return [z["id"] for z in self.zones.values() if z["name"] == name][0]

    def add_record(self, name, type, content, ttl=3600, zone="example.com"):
        with self.lock:
            return self._create(self.zone_id(zone), {
                "name": name, "type": type, "content": content,
                "ttl": ttl})["id"]

    def find(self, name, type=None):
        return [r for r in self.records.values()
                if r["name"] == name and type in (None, r["type"])]

    def delete_record(self, rid):
        with self.lock:
            del self.records[rid]

    def fail_next(self, status, count=1, headers=None, payload=None,
                  after=0):
        """Answer the next count requests (after letting `after` pass)
        with status, headers and payload."""
        if payload is None:
            payload = [{"code": "INTERNAL_SERVER_ERROR"}]
        with self.lock:
            self.faults.append([count, status, headers or {}, payload,
                                after])

    def throttle(self, count=1, retry_after=None):
        h = {} if retry_after is None else {"Retry-After": str(retry_after)}
        self.fail_next(429, count, h, b"")

    # ---- internals ----------------------------------------------------
    def _validate(self, rec):
        for k in ("name", "type", "content"):
            if k not in rec:
                raise Invalid("Record is invalid.", {"requiredFields": [k]})
        t = rec["type"]
        try:
            if t == "A":
                ipaddress.IPv4Address(rec["content"])
            elif t == "AAAA":
                ipaddress.IPv6Address(rec["content"])
        except ValueError:
            raise Invalid("Record is invalid.",
                          {"invalidFields": ["content"]})
        if rec.get("ttl", 3600) < 60:
            raise Invalid("Record is invalid.", {"invalidFields": ["ttl"]})

    def _create(self, zid, body):
        z = self.zones[zid]
        rec = {"name": body.get("name"), "rootName": z["name"],
               "type": body.get("type"), "content": body.get("content"),
               "changeDate": _now(), "ttl": body.get("ttl", 3600),
               "prio": body.get("prio", 0),
               "disabled": body.get("disabled", False)}
        self._validate(rec)
        n = rec["name"]
        if n.lower() != z["name"] and not n.lower().endswith("." + z["name"]):
            raise Invalid("Record is invalid.", {"invalidFields": ["name"]})
        rec["id"] = str(uuid.uuid4())
        rec["_zone"] = zid
        self.records[rec["id"]] = rec
        return rec

    @staticmethod
    def public(rec):
        order = ("id", "name", "rootName", "type", "content", "changeDate",
                 "ttl", "prio", "disabled")
        return {k: rec[k] for k in order}

    def _body(self, call, schema):
        ct = (call.headers.get("Content-Type") or "").split(";")[0].strip()
        try:
            body = json.loads(call.body.decode())
        except ValueError:
            body = None
        if ct != "application/json" or body is None:
            raise Invalid("The request body is invalid or not supported by "
                          "the endpoint.", None)
        errs = schema_errors(body, schema)
        self.schema_checked += 1
        if errs:
            raise Invalid("The request body is invalid or not supported by "
                          "the endpoint: " + "; ".join(errs), None)
        return body

    # ---- the API --------------------------------------------------------
    def handle(self, call):
        with self.lock:
            if self.faults and self.faults[0][4] > 0:
                self.faults[0][4] -= 1
            elif self.faults:
                f = self.faults[0]
                f[0] -= 1
                if f[0] <= 0:
                    self.faults.pop(0)
                return (f[1], dict(f[2]), f[3])
            if call.headers.get("X-API-Key") != self.api_key or \
                    self.api_key is None:
                return unauthorized()
            if self.forbidden:
                return error(403, "FORBIDDEN_REQUEST", "Request not allowed.")
            p = call.path
            if not p.startswith(PREFIX + "/zones"):
                return error(404, "NOT_FOUND", "Resource not found.")
            m = re.fullmatch(r"/zones(?:/([^/]+)(/records(?:/([^/]+))?)?)?",
                             p[len(PREFIX):])
            if m is None:
                return error(404, "NOT_FOUND", "Resource not found.")
            zid, recs, rid = m.groups()
            try:
                if zid is None:
                    if call.method != "GET":
                        return (405, {}, b"")
                    return (200, {}, [dict(z) for z in self.zones.values()])
                if zid not in self.zones:
                    return error(404, "NOT_FOUND", "Zone not found.")
                if recs is None:
                    if call.method != "GET":
                        return (405, {}, b"")
                    return self.zone(zid, call.query)
                if rid is None:
                    if call.method != "POST":
                        return (405, {}, b"")
                    body = self._body(call, CREATE_BODY)
                    made = [self.public(self._create(zid, r)) for r in body]
                    return (201, {}, made)
                rec = self.records.get(rid)
                if rec is None or rec["_zone"] != zid:
                    return error(404, "RECORD_NOT_FOUND",
                                 "Record does not exist.")
                if call.method == "GET":
                    return (200, {}, self.public(rec))
                if call.method != "PUT":
                    return (405, {}, b"")
                body = self._body(call, UPDATE_BODY)
                new = dict(rec)
                new.update(body)
                new["changeDate"] = _now()
                self._validate(new)
                self.records[rid] = new
                return (200, {}, self.public(new))
            except Invalid as e:
                if e.args[1] is None:
                    return error(400, "INVALID_DATA", e.args[0])
                return error(400, "INVALID_RECORD", e.args[0],
                             parameters=e.args[1])

    def zone(self, zid, q):
        z = dict(self.zones[zid])
        rs = [r for r in self.records.values() if r["_zone"] == zid]
        if "recordName" in q:
            rs = [r for r in rs if r["name"] == q["recordName"][-1]]
        if "recordType" in q:
            types = q["recordType"][-1].split(",")
            rs = [r for r in rs if r["type"] in types]
        z["records"] = [self.public(r) for r in rs]
        return (200, {}, z)


class IonosHandler(MockHandler):
    def respond(self, call):
        return self.server.state["io"].handle(call)


def start(servers, tls=None, zones=("example.com",), **kw):
    """Start a mock holding zones; .io is its state, .endpoint its URL."""
    srv = servers(IonosHandler, tls=tls)
    st = IonosState(**kw)
    for z in zones:
        st.add_zone(z)
    srv.state["io"] = st
    srv.io = st
    srv.endpoint = srv.url + PREFIX
    return srv
