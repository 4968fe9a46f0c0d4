"""A stateful mock of GoDaddy's Domains API v1: DNS records of a domain.

Shaped after GoDaddy's Swagger document (developer.godaddy.com/doc/
endpoint/domains) and the replies users report: auth is "Authorization:
sso-key KEY:SECRET" (401 UNABLE_TO_AUTHENTICATE otherwise); an account the
2024 rules keep out of the production API gets 403 ACCESS_DENIED whatever
the key; records have no ids and live at /v1/domains/{d}/records/{type}/
{name}, GET answers a JSON array of {data, name, ttl, type}, PUT replaces
them all with a body [{data, ttl}] (ttl 600 or more) and answers 200 with
an empty body; errors are {code, message, fields}; 429 adds retryAfterSec.

    srv = start(servers, tls=ca)          # domains: example.com
    srv.gd.add_record("example.com", "home", "A", "198.51.100.1")
    srv.endpoint                          # for the "endpoint" config key
    srv.gd.throttle(count=1, retry_after_sec=45, header=None)
"""
import ipaddress
import json
import re
import threading
import urllib.parse

from harness import MockHandler

KEY = "dLP4jGWnmqXz_Jb8TvsYV6bEgR3fwn8KzF"
SECRET = "GxLyPfY7rR2aN5KkHqMv3c"
TYPES = ("A", "AAAA", "CNAME", "MX", "NS", "SOA", "SRV", "TXT", "CAA")


def error(status, code, message, fields=None, headers=None, **extra):
    doc = {"code": code, "message": message}
    if fields:
        doc["fields"] = fields
    doc.update(extra)
    return (status, headers or {}, doc)


def invalid(path, message, code="UNEXPECTED_TYPE"):
    return error(422, "INVALID_BODY", "Request body doesn't fulfill schema, "
                 "see details in `fields`",
                 [{"code": code, "message": message, "path": path}])


class GoDaddyState:
    """Domains and their records, the key pair, faults. Thread-safe."""

    def __init__(self, key=KEY, secret=SECRET):
        self.lock = threading.Lock()
        self.key = key
        self.secret = secret
        self.restricted = False     # the 2024 account rule applies
        self.domains = {}           # name -> [record dicts]
        self.faults = []

    def add_domain(self, name):
        with self.lock:
            self.domains[name] = []

    def add_record(self, domain, name, type, data, ttl=3600):
        with self.lock:
            self.domains[domain].append({"data": data, "name": name,
                                         "ttl": ttl, "type": type})

    def find(self, domain, name, type):
        return [r for r in self.domains[domain]
                if r["name"] == name and r["type"] == type]

    def fail_next(self, status, count=1, headers=None, payload=None):
        if payload is None:
            payload = {"code": "INTERNAL_SERVER_ERROR",
                       "message": "An unexpected error occurred"}
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def throttle(self, count=1, retry_after_sec=30, header=None):
        h = {} if header is None else {"Retry-After": str(header)}
        self.fail_next(429, count, h, {
            "code": "TOO_MANY_REQUESTS",
            "message": "Too many requests received within interval",
            "retryAfterSec": retry_after_sec})

    def auth(self, call):
        a = call.headers.get("Authorization") or ""
        m = re.fullmatch(r"sso-key ([^:\s]+):(\S+)", a)
        if m is None or (m.group(1), m.group(2)) != (self.key, self.secret):
            return error(401, "UNABLE_TO_AUTHENTICATE",
                         "Unauthorized : Could not authenticate API "
                         "key/secret")
        if self.restricted:
            return error(403, "ACCESS_DENIED",
                         "Authenticated user is not allowed access")
        return None

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
            m = re.fullmatch(r"/v1/domains/([^/]+)/records/([^/]+)/([^/]+)",
                             call.path)
            if m is None:
                return error(404, "NOT_FOUND", "The requested resource "
                             "was not found")
            d, t, name = (urllib.parse.unquote(g) for g in m.groups())
            if d not in self.domains:
                return error(404, "UNKNOWN_DOMAIN", "The given domain is "
                             "not registered, or does not have a zone file")
            if t not in TYPES:
                return error(422, "INVALID_TYPE", "type is invalid")
            if call.method == "GET":
                return (200, {}, [dict(r) for r in self.find(d, name, t)])
            if call.method != "PUT":
                return error(405, "METHOD_NOT_ALLOWED", "Method not allowed")
            ct = (call.headers.get("Content-Type") or "").split(";")[0]
            if ct.strip() != "application/json":
                return error(415, "UNSUPPORTED_MEDIA_TYPE",
                             "Content-Type must be application/json")
            try:
                body = json.loads(call.body.decode())
            except ValueError:
                return error(400, "MALFORMED_JSON", "Request body is not "
                             "valid JSON")
            if not isinstance(body, list) or not body:
                return invalid("records", "is not a non-empty array")
            new = []
            for i, r in enumerate(body):
                if not isinstance(r, dict) or "data" not in r:
                    return invalid("records[%d].data" % i, "is required",
                                   "MISSING_REQUIRED")
                ttl = r.get("ttl", 3600)
                if isinstance(ttl, bool) or not isinstance(ttl, int) or \
                        not 600 <= ttl <= 604800:
                    return invalid("records[%d].ttl" % i, "must be between "
                                   "600 and 604800", "OUT_OF_RANGE")
                try:
                    if t == "A":
                        ipaddress.IPv4Address(r["data"])
                    elif t == "AAAA":
                        ipaddress.IPv6Address(r["data"])
                except (ValueError, TypeError):
                    return invalid("records[%d].data" % i,
                                   "is not a valid %s address" % t,
                                   "INVALID_FORMAT")
                new.append({"data": r["data"], "name": name, "ttl": ttl,
                            "type": t})
            self.domains[d] = [r for r in self.domains[d]
                               if not (r["name"] == name and r["type"] == t)]
            self.domains[d].extend(new)
            return (200, {}, "")


class GoDaddyHandler(MockHandler):
    def respond(self, call):
        return self.server.state["gd"].handle(call)


def start(servers, tls=None, domains=("example.com",), **kw):
    """Start a mock holding domains; .gd is its state, .endpoint its URL."""
    srv = servers(GoDaddyHandler, tls=tls)
    st = GoDaddyState(**kw)
    for d in domains:
        st.add_domain(d)
    srv.state["gd"] = st
    srv.gd = st
    srv.endpoint = srv.url
    return srv
