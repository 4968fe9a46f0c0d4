"""A stateful mock of deSEC's REST API: the domain and RRset endpoints.

Shaped after https://desec.readthedocs.io/en/latest/ (dns/domains,
dns/rrsets, auth/tokens, rate-limits): "Authorization: Token <secret>" on
every request, 401 {"detail": "Invalid token."} otherwise; token scoping
policies (a token may be denied writes: 403); URLs end with "/"; the apex
subname is "" in bodies and "@" in URLs; records are canonicalized; a ttl
under the domain's minimum_ttl is a 400 field error; throttled requests
get 429 with Retry-After and a "Request was throttled" detail.

    srv = start(servers, tls=ca)          # domain example.com
    srv.ds.add_rrset("example.com", "home", "A", ["198.51.100.1"])
    srv.endpoint                          # for the "endpoint" config key
    srv.ds.throttle(count=1, retry_after=30)
"""
import datetime
import ipaddress
import json
import re
import threading
import urllib.parse

from harness import MockHandler

PREFIX = "/api/v1"
TOKEN = "4pnk7u-NHvrEkFzrhFDRTjGFyX_S"
TYPES = ("A", "AAAA", "CAA", "CNAME", "HTTPS", "MX", "NS", "SRV", "SVCB",
         "TLSA", "TXT")


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ")


def detail(status, text, headers=None):
    return (status, headers or {}, {"detail": text})


class DesecState:
    """Domains, RRsets, the token and injected faults. Thread-safe."""

    def __init__(self, token=TOKEN, write=True):
        self.lock = threading.Lock()
        self.token = token
        self.write = write          # the token's default policy perm_write
        self.domains = {}           # name -> domain object
        self.rrsets = {}            # (domain, subname, type) -> rrset
        self.faults = []

    # ---- set-up and inspection, for tests ------------------------------
    def add_domain(self, name, minimum_ttl=3600):
        now = _now()
        with self.lock:
            self.domains[name] = {"created": now, "minimum_ttl": minimum_ttl,
                                  "name": name, "published": now,
                                  "touched": now}

    def add_rrset(self, domain, subname, type, records, ttl=3600):
        with self.lock:
            self._put(domain, subname, type, records, ttl)

    def values(self, domain, subname, type):
        r = self.rrsets.get((domain, subname, type))
        return None if r is None else r["records"]

    def rrset(self, domain, subname, type):
        return self.rrsets.get((domain, subname, type))

    def fail_next(self, status, count=1, headers=None, payload=None):
        if payload is None:
            payload = "<h1>Server Error (500)</h1>"
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def throttle(self, count=1, retry_after=None):
        h = {} if retry_after is None else {"Retry-After": str(retry_after)}
        self.fail_next(429, count, h, {"detail": "Request was throttled. "
                                       "Expected available in %s seconds."
                                       % (retry_after or 1)})

    # ---- internals ----------------------------------------------------
    def _put(self, domain, subname, type, records, ttl):
        now = _now()
        old = self.rrsets.get((domain, subname, type))
        r = {"created": old["created"] if old else now, "domain": domain,
             "subname": subname,
             "name": (subname + "." if subname else "") + domain + ".",
             "type": type, "records": records, "ttl": ttl, "touched": now}
        self.rrsets[(domain, subname, type)] = r
        return r

    def _records(self, type, recs):
        if not isinstance(recs, list):
            raise Invalid({"records": ["Expected a list of items."]})
        out = []
        for v in recs:
            try:
                if type == "A":
                    v = str(ipaddress.IPv4Address(v))
                elif type == "AAAA":
                    v = str(ipaddress.IPv6Address(v))
            except (ValueError, TypeError):
                raise Invalid({"records": ["Record content for type %s "
                                           "malformed: %s" % (type, v)]})
            out.append(v)
        return out

    def _ttl(self, domain, ttl):
        if isinstance(ttl, bool) or not isinstance(ttl, int):
            raise Invalid({"ttl": ["A valid integer is required."]})
        m = self.domains[domain]["minimum_ttl"]
        if ttl < m:
            raise Invalid({"ttl": ["Ensure this value is greater than or "
                                   "equal to %d." % m]})
        if ttl > 604800:
            raise Invalid({"ttl": ["Ensure this value is less than or "
                                   "equal to 604800."]})
        return ttl

    # ---- the API --------------------------------------------------------
    def handle(self, call):
        with self.lock:
            if self.faults:
                f = self.faults[0]
                f[0] -= 1
                if f[0] <= 0:
                    self.faults.pop(0)
                return (f[1], dict(f[2]), f[3])
            a = call.headers.get("Authorization")
            if a is None:
                return detail(401, "Authentication credentials were not "
                              "provided.")
            m = re.fullmatch(r"Token (\S+)", a)
            if m is None or m.group(1) != self.token:
                return detail(401, "Invalid token.")
            path = urllib.parse.unquote(call.path)
            if not path.startswith(PREFIX + "/") or not path.endswith("/"):
                return detail(404, "Not found.")
            path = path[len(PREFIX):]
            body = None
            if call.method in ("POST", "PATCH", "PUT"):
                ct = (call.headers.get("Content-Type") or "").split(";")[0]
                if ct.strip() != "application/json":
                    return detail(415, "Unsupported media type \"%s\" in "
                                  "request." % ct)
                try:
                    body = json.loads(call.body.decode())
                except ValueError:
                    return detail(400, "JSON parse error")
            try:
                return self._route(call.method, path, call.query, body)
            except Invalid as e:
                return (400, {}, e.args[0])

    def _route(self, method, path, query, body):
        if path == "/domains/" and method == "GET":
            ds = list(self.domains.values())
            if "owns_qname" in query:
                q = query["owns_qname"][-1]
                ds = [d for d in ds if q == d["name"] or
                      q.endswith("." + d["name"])]
                ds = sorted(ds, key=lambda d: -len(d["name"]))[:1]
            return (200, {}, ds)
        m = re.fullmatch(r"/domains/([^/]+)/(?:rrsets/(?:([^/]*)/([^/]+)/)?)?",
                         path)
        if m is None:
            return detail(404, "Not found.")
        dn = m.group(1)
        if dn not in self.domains:
            return detail(404, "Not found.")
        if path == "/domains/%s/" % dn:
            if method != "GET":
                return detail(405, "Method \"%s\" not allowed." % method)
            return (200, {}, dict(self.domains[dn], keys=[
                {"dnskey": "257 3 13 WFRl60...", "ds": ["6006 13 2 f34b75"],
                 "flags": 257, "keytype": "csk", "managed": True}]))
        if m.group(3) is None:
            if method != "POST":
                return detail(405, "Method \"%s\" not allowed." % method)
            if not isinstance(body, dict):
                raise Invalid({"non_field_errors": ["Invalid data."]})
            sub = body.get("subname", "")
            t = body.get("type")
            if t not in TYPES:
                raise Invalid({"type": ["Unsupported type."]})
            if (not isinstance(sub, str) or sub != sub.lower() or
                    sub == "@" or sub.endswith(".")):
                raise Invalid({"subname": ["Subname can only use (lowercase)"
                                           " a-z, 0-9, ., -, and _."]})
            if "ttl" not in body or "records" not in body:
                raise Invalid({k: ["This field is required."]
                               for k in ("ttl", "records")
                               if k not in body})
            recs = self._records(t, body["records"])
            ttl = self._ttl(dn, body["ttl"])
            if not self.write:
                return detail(403, "You do not have permission to perform "
                              "this action.")
            if (dn, sub, t) in self.rrsets:
                raise Invalid({"non_field_errors": [
                    "Another RRset with the same subdomain and type exists "
                    "for this domain. (Try modifying it.)"]})
            return (201, {}, self._put(dn, sub, t, recs, ttl))
        sub = m.group(2)
        sub = "" if sub == "@" else sub
        key = (dn, sub, m.group(3))
        rs = self.rrsets.get(key)
        if rs is None:
            return detail(404, "Not found.")
        if method == "GET":
            return (200, {}, rs)
        if method != "PATCH":
            return detail(405, "Method \"%s\" not allowed." % method)
        if not isinstance(body, dict) or set(body) - {"records", "ttl",
                                                       "subname", "type"}:
            raise Invalid({"non_field_errors": ["Invalid data."]})
        recs = self._records(rs["type"], body["records"]) \
            if "records" in body else rs["records"]
        ttl = self._ttl(dn, body["ttl"]) if "ttl" in body else rs["ttl"]
        if not self.write:
            return detail(403, "You do not have permission to perform this "
                          "action.")
        if recs == []:
            del self.rrsets[key]
            return (204, {}, b"")
        return (200, {}, self._put(dn, sub, rs["type"], recs, ttl))


class Invalid(Exception):
    """A 400 with this field-error object."""


class DesecHandler(MockHandler):
    def respond(self, call):
        return self.server.state["ds"].handle(call)


def start(servers, tls=None, domains=("example.com",), **kw):
    """Start a mock (via the conftest `servers` fixture) holding domains.
    The returned server has .ds (the DesecState) and .endpoint."""
    srv = servers(DesecHandler, tls=tls)
    ds = DesecState(**kw)
    for d in domains:
        ds.add_domain(d)
    srv.state["ds"] = ds
    srv.ds = ds
    srv.endpoint = srv.url + PREFIX
    return srv
