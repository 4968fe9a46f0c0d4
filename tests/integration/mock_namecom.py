"""A stateful mock of Name.com's API v4: domains and DNS records.

Shaped after Name.com's API reference: HTTP Basic auth with the user name
and API token (401 {"message":"Unauthenticated"} when wrong; 403 "Permission
Denied" when the account has two-step verification without API access);
GET /v4/domains/{domain} (404 when not in the account); records at
/v4/domains/{domain}/records, paged by perPage/page with "nextPage" and
"lastPage", "host" relative and left out for the apex, answers {} for a
domain without records; POST creates, PUT /records/{id} replaces; the ttl
must be 300 or more; errors are {"message","details"}; 429 when throttled.

    srv = start(servers, tls=ca)          # domains: example.com
    srv.nc.add_record("example.com", "home", "A", "198.51.100.1")
    srv.endpoint                          # for the "endpoint" config key
    srv.nc.throttle(count=1, retry_after=120)
    srv.nc.fail_next(500) / srv.nc.fail_next(200, payload="<html>")
"""
import base64
import ipaddress
import itertools
import json
import re
import threading

from harness import MockHandler

PREFIX = "/v4"
USER = "alice"
TOKEN = "0123456789abcdef0123456789abcdef01234567"


def error(status, message, details=None, headers=None):
    body = {"message": message}
    if details is not None:
        body["details"] = details
    return (status, headers or {}, body)


class NameComState:
    """Domains, records, the credentials, injected faults."""

    def __init__(self, user=USER, token=TOKEN, api_access=True):
        self.lock = threading.Lock()
        self.user = user
        self.token = token
        self.api_access = api_access
        self.domains = set()
        self.records = {}       # id -> record dict
        self.faults = []        # [count, status, headers, payload]
        self.ids = itertools.count(12345)
        self.max_per = 1000     # the page size cap, lowered by tests

    # ---- set-up and inspection, for tests ------------------------------
    def add_domain(self, name):
        with self.lock:
            self.domains.add(name)

    def add_record(self, domain, host, type, answer, ttl=300):
        with self.lock:
            return self._create(domain, {"host": host, "type": type,
                                         "answer": answer, "ttl": ttl})["id"]

    def find(self, domain, host, type=None):
        return [r for r in self.records.values()
                if r["domainName"] == domain and r.get("host", "") == host
                and type in (None, r["type"])]

    def delete_record(self, rid):
        with self.lock:
            del self.records[rid]

    def fail_next(self, status, count=1, headers=None, payload=None):
        if payload is None:
            payload = {"message": "Internal Error"}
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def throttle(self, count=1, retry_after=None):
        h = {}
        if retry_after is not None:
            h["Retry-After"] = str(retry_after)
        self.fail_next(429, count, h, {"message": "Too Many Requests"})

    # ---- internals ----------------------------------------------------
    def _record(self, domain, body, rid):
        host = body.get("host", "")
        if not isinstance(host, str):
            raise Invalid("host must be a string")
        t = body.get("type")
        if t not in ("A", "AAAA", "ANAME", "CNAME", "MX", "NS", "SRV",
                     "TXT"):
            raise Invalid("Unsupported record type")
        try:
            if t == "A":
                ipaddress.IPv4Address(body.get("answer"))
            elif t == "AAAA":
                ipaddress.IPv6Address(body.get("answer"))
        except (ValueError, TypeError):
            raise Invalid("Invalid answer")
        ttl = body.get("ttl", 300)
        if isinstance(ttl, bool) or not isinstance(ttl, int) or ttl < 300:
            raise Invalid("TTL must be at least 300")
        rec = {"id": rid, "domainName": domain,
               "fqdn": (host + "." if host else "") + domain + ".",
               "type": t, "answer": body["answer"], "ttl": ttl}
        if host:
            rec["host"] = host
        return rec

    def _create(self, domain, body):
        rec = self._record(domain, body, next(self.ids))
        self.records[rec["id"]] = rec
        return rec

    def auth(self, call):
        a = call.headers.get("Authorization") or ""
        m = re.fullmatch(r"Basic ([A-Za-z0-9+/=]+)", a)
        try:
            pair = base64.b64decode(m.group(1), validate=True).decode() \
                if m else ""
        except ValueError:
            pair = ""
        if pair != "%s:%s" % (self.user, self.token):
            return error(401, "Unauthenticated")
        if not self.api_access:
            return error(403, "Permission Denied", "Authentication Error - "
                         "Account Has Two-Step Verification Enabled")
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
            m = re.fullmatch(PREFIX + r"/domains/([^/]+)(/records(?:/(\d+))?)?",
                             call.path)
            if m is None or m.group(1) not in self.domains:
                return error(404, "Not Found", "")
            d = m.group(1)
            body = None
            if call.method in ("POST", "PUT"):
                try:
                    body = json.loads(call.body.decode())
                except ValueError:
                    body = None
                if not isinstance(body, dict):
                    return error(400, "Invalid Argument",
                                 "could not parse the request body")
            q = {k: v[-1] for k, v in call.query.items()}
            try:
                if m.group(2) is None:
                    if call.method != "GET":
                        return error(405, "Method Not Allowed")
                    return (200, {}, {"domainName": d, "locked": True,
                                      "nameservers": ["ns1.name.com"]})
                if m.group(3) is None:
                    if call.method == "GET":
                        return self.list(d, q)
                    if call.method == "POST":
                        return (200, {}, self._create(d, body))
                    return error(405, "Method Not Allowed")
                rid = int(m.group(3))
                rec = self.records.get(rid)
                if rec is None or rec["domainName"] != d:
                    return error(404, "Not Found", "")
                if call.method == "PUT":
                    new = self._record(d, body, rid)
                    self.records[rid] = new
                    return (200, {}, new)
                if call.method == "GET":
                    return (200, {}, rec)
                return error(405, "Method Not Allowed")
            except Invalid as e:
                return error(400, "Invalid Argument", e.args[0])

    def list(self, d, q):
        rs = sorted((r for r in self.records.values()
                     if r["domainName"] == d), key=lambda r: r["id"])
        per = min(int(q.get("perPage", 1000)), self.max_per)
        page = int(q.get("page", 1))
        last = max(1, (len(rs) + per - 1) // per)
        chunk = rs[(page - 1) * per:page * per]
        if not rs:
            return (200, {}, {})
        out = {"records": chunk, "lastPage": last}
        if page < last:
            out["nextPage"] = page + 1
        return (200, {}, out)


class Invalid(Exception):
    """A value Name.com refuses with 400."""


class NameComHandler(MockHandler):
    def respond(self, call):
        return self.server.state["nc"].handle(call)


def start(servers, tls=None, domains=("example.com",), **kw):
    """Start a mock holding domains; .nc is its state, .endpoint its URL."""
    srv = servers(NameComHandler, tls=tls)
    st = NameComState(**kw)
    for d in domains:
        st.add_domain(d)
    srv.state["nc"] = st
    srv.nc = st
    srv.endpoint = srv.url + PREFIX
    return srv
