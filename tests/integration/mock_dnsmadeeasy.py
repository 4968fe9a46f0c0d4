"""A stateful mock of DNS Made Easy's REST API v2.0: managed domains and
their records.

Shaped after DNS Made Easy's API documentation: every request carries
x-dnsme-apiKey, x-dnsme-requestDate (HTTP date) and x-dnsme-hmac, the hex
HMAC-SHA1 of the date keyed with the secret key, recomputed here with
Python's hmac; a wrong key, signature or a date too far from the server's
clock is 403; GET /dns/managed/name?domainname= finds a domain (404 when
the account has none), GET /dns/managed/{id}/records?recordName=&type=
lists, POST creates (201, the record), PUT /records/{id} replaces the whole
record (200, empty body); errors are {"error": [...]}; the rate limit (150
requests per rolling 5 minutes) answers 400 "Rate limit exceeded", and every
answer carries x-dnsme-requestLimit / x-dnsme-requestsRemaining.

    srv = start(servers, tls=ca)          # domains: example.com
    srv.dme.add_record("example.com", "home", "A", "198.51.100.1")
    srv.endpoint                          # for the "endpoint" config key
    srv.dme.throttle(count=1)
    srv.dme.fail_next(500) / srv.dme.fail_next(200, payload="<html>")
"""
import email.utils
import hashlib
import hmac
import ipaddress
import itertools
import json
import re
import threading
import time

from harness import MockHandler

PREFIX = "/V2.0"
API_KEY = "1c1a3c91-4770-4ce7-96f4-54c0eb0e457a"
SECRET = "c9b5625f-9834-4ff8-baba-4ed5f32cae55"
SKEW = 30           # seconds the request date may be off


def error(status, *messages, headers=None):
    return (status, headers or {}, {"error": list(messages)})


class DMEState:
    """Domains, records, the key pair, injected faults, signatures seen."""

    def __init__(self, api_key=API_KEY, secret=SECRET):
        self.lock = threading.Lock()
        self.api_key = api_key
        self.secret = secret
        self.domains = {}       # name -> {"id", "name"}
        self.records = {}       # id -> record dict
        self.faults = []        # [count, status, headers, payload]
        self.ids = itertools.count(66814826)
        self.dids = itertools.count(1119443)
        self.remaining = 150

    # ---- set-up and inspection, for tests ------------------------------
    def add_domain(self, name):
        with self.lock:
            self.domains[name] = {"id": next(self.dids), "name": name,
                                  "gtdEnabled": False, "folderId": 1890}

    def add_record(self, domain, name, type, value, ttl=1800):
        with self.lock:
            return self._create(self.domains[domain]["id"],
                                {"name": name, "type": type, "value": value,
                                 "ttl": ttl, "gtdLocation": "DEFAULT"})["id"]

    def find(self, domain, name, type=None):
        did = self.domains[domain]["id"]
        return [r for r in self.records.values()
                if r["sourceId"] == did and r["name"] == name
                and type in (None, r["type"])]

    def delete_record(self, rid):
        with self.lock:
            del self.records[rid]

    def fail_next(self, status, count=1, headers=None, payload=None):
        if payload is None:
            payload = {"error": ["Internal server error"]}
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def throttle(self, count=1, retry_after=None):
        h = {"x-dnsme-requestLimit": "150", "x-dnsme-requestsRemaining": "0"}
        if retry_after is not None:
            h["Retry-After"] = str(retry_after)
        self.fail_next(400, count, h, {"error": ["Rate limit exceeded"]})

    # ---- internals ----------------------------------------------------
    @staticmethod
    def _validate(rec):
        if rec.get("type") not in ("A", "AAAA", "CNAME", "MX", "TXT", "NS",
                                   "SRV", "PTR", "CAA", "ANAME", "HTTPRED",
                                   "SPF"):
            raise Invalid("Invalid record type.")
        if not isinstance(rec.get("name"), str):
            raise Invalid("Record name is required.")
        try:
            if rec["type"] == "A":
                ipaddress.IPv4Address(rec.get("value"))
            elif rec["type"] == "AAAA":
                ipaddress.IPv6Address(rec.get("value"))
        except (ValueError, TypeError):
            raise Invalid("Invalid IP address: %s" % rec.get("value"))
        ttl = rec.get("ttl")
        if isinstance(ttl, bool) or not isinstance(ttl, int) or ttl < 0:
            raise Invalid("Invalid TTL.")
        if rec.get("gtdLocation") not in ("DEFAULT", None):
            raise Invalid("Invalid gtdLocation.")

    def _create(self, did, body):
        rec = {"name": body.get("name"), "type": body.get("type"),
               "value": body.get("value"), "ttl": body.get("ttl"),
               "gtdLocation": body.get("gtdLocation", "DEFAULT"),
               "source": 1, "sourceId": did, "failover": False,
               "monitor": False, "hardLink": False, "dynamicDns": False,
               "failed": False}
        self._validate(rec)
        for r in self.records.values():
            if (r["sourceId"], r["name"], r["type"], r["value"]) == \
                    (did, rec["name"], rec["type"], rec["value"]):
                raise Invalid("Record with this type (%s), name (%s), and "
                              "value (%s) already exists." %
                              (rec["type"], rec["name"], rec["value"]))
        rec["id"] = next(self.ids)
        self.records[rec["id"]] = rec
        return rec

    def auth(self, call):
        key = call.headers.get("x-dnsme-apiKey")
        date = call.headers.get("x-dnsme-requestDate")
        mac = call.headers.get("x-dnsme-hmac")
        if key is None or key != self.api_key:
            return error(403, "API key not found")
        try:
            t = email.utils.parsedate_to_datetime(date).timestamp()
        except (TypeError, ValueError):
            return error(403, "Invalid request date")
        if abs(t - time.time()) > SKEW:
            return error(403, "Request date is not within %d seconds of "
                         "the server time" % SKEW)
        want = hmac.new(self.secret.encode(), date.encode(),
                        hashlib.sha1).hexdigest()
        if mac is None or not hmac.compare_digest(mac, want):
            return error(403, "HMAC validation failed")
        return None

    # ---- the API --------------------------------------------------------
    def handle(self, call):
        with self.lock:
            st, h, payload = self._handle(call)
            h = dict(h)
            h.setdefault("x-dnsme-requestLimit", "150")
            h.setdefault("x-dnsme-requestsRemaining", str(self.remaining))
            return st, h, payload

    def _handle(self, call):
        if self.faults:
            f = self.faults[0]
            f[0] -= 1
            if f[0] <= 0:
                self.faults.pop(0)
            return (f[1], dict(f[2]), f[3])
        refused = self.auth(call)
        if refused is not None:
            return refused
        self.remaining -= 1
        q = {k: v[-1] for k, v in call.query.items()}
        if call.path == PREFIX + "/dns/managed/name":
            d = self.domains.get(q.get("domainname"))
            if call.method != "GET" or d is None:
                return error(404, "Domain not found")
            return (200, {}, d)
        m = re.fullmatch(PREFIX + r"/dns/managed/(\d+)/records(?:/(\d+))?",
                         call.path)
        if m is None:
            return error(404, "Not found")
        did = int(m.group(1))
        if did not in [d["id"] for d in self.domains.values()]:
            return error(404, "Domain not found")
        body = None
        if call.method in ("POST", "PUT"):
            ct = (call.headers.get("Content-Type") or "").split(";")[0]
            try:
                body = json.loads(call.body.decode())
            except ValueError:
                body = None
            if ct.strip() != "application/json" or not isinstance(body, dict):
                return error(400, "Invalid JSON")
        try:
            if m.group(2) is None:
                if call.method == "GET":
                    rs = [r for r in self.records.values()
                          if r["sourceId"] == did]
                    if "recordName" in q:
                        rs = [r for r in rs if r["name"] == q["recordName"]]
                    if "type" in q:
                        rs = [r for r in rs if r["type"] == q["type"]]
                    return (200, {}, {"totalRecords": len(rs),
                                      "totalPages": 1, "page": 0,
                                      "data": rs})
                if call.method == "POST":
                    return (201, {}, self._create(did, body))
                return error(405, "Method not allowed")
            rid = int(m.group(2))
            rec = self.records.get(rid)
            if rec is None or rec["sourceId"] != did:
                return error(404, "Record not found")
            if call.method == "PUT":
                if body.get("id") != rid:
                    raise Invalid("Record id does not match.")
                for k in ("name", "type", "value", "ttl", "gtdLocation"):
                    if k not in body:
                        raise Invalid("Missing field: %s" % k)
                new = dict(rec)
                for k in ("name", "type", "value", "ttl", "gtdLocation"):
                    new[k] = body[k]
                self._validate(new)
                self.records[rid] = new
                return (200, {}, b"")
            return error(405, "Method not allowed")
        except Invalid as e:
            return error(400, e.args[0])


class Invalid(Exception):
    """A value DNS Made Easy refuses with 400."""


class DMEHandler(MockHandler):
    def respond(self, call):
        return self.server.state["dme"].handle(call)


def start(servers, tls=None, domains=("example.com",), **kw):
    """Start a mock holding domains; .dme is its state, .endpoint its URL."""
    srv = servers(DMEHandler, tls=tls)
    st = DMEState(**kw)
    for d in domains:
        st.add_domain(d)
    srv.state["dme"] = st
    srv.dme = st
    srv.endpoint = srv.url + PREFIX
    return srv
