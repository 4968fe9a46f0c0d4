"""A stateful mock of Spaceship's DNS records API (https://docs.spaceship.dev/).

What it enforces, and where that comes from:
- docs.spaceship.dev: every call carries X-API-Key and X-API-Secret (401
  when either is wrong); permissions dnsrecords:read (GET) and
  dnsrecords:write (PUT, DELETE), 403 without; GET needs take= and skip=.
- Spaceship's Terraform provider: GET answers {"items":[...],"total":n},
  take up to 500; PUT {"force":bool,"items":[...]} answers 204 and upserts
  by type + name + data (case-insensitive): same data only sets the ttl,
  other data ADDS a record; DELETE takes a JSON array of records; 429
  carries Retry-After in seconds.
- Public clients (qdm12/ddns-updater): errors are {"detail", "data":
  [{"field","details"}]}; a domain without Spaceship DNS answers 404
  "SOA record for domain <d> not found.".
- Assumed: the wording of the 401/403/429 details; ttl 60..86400; a
  DELETE of a record that does not exist answers 204.

    srv = start(servers, tls=ca)          # domains: example.com
    srv.ss.add_record("example.com", "home", "A", "198.51.100.1")
    srv.endpoint                          # for the "endpoint" config key
    srv.ss.throttle(count=1, retry_after=120)
    srv.ss.fail_next(500) / srv.ss.fail_next(200, payload="<html>")
"""
import ipaddress
import json
import re
import threading

from harness import MockHandler

PREFIX = "/api/v1"
KEY = "JdIS8QYFMZpVKupJtdc3"
SECRET = "F3brvQluT4s8aDB7PeFBH6qKHfH2xTKTneCjZbq3z2w7rj2vV6n_zhSvvJoQ"
ALL_PERMS = ("dnsrecords:read", "dnsrecords:write")
MAX_TAKE = 500


def error(status, detail, data=None, headers=None):
    body = {"detail": detail}
    if data is not None:
        body["data"] = data
    return (status, headers or {}, body)


class Invalid(Exception):
    """A value Spaceship refuses with 422: (field, details)."""


class SpaceshipState:
    """Domains, their records, the key pair and its permissions, faults."""

    def __init__(self, key=KEY, secret=SECRET, perms=ALL_PERMS):
        self.lock = threading.Lock()
        self.key = key
        self.secret = secret
        self.perms = set(perms)
        self.domains = {}       # name -> [record dict]
        self.faults = []        # [count, status, headers, payload]

    # ---- set-up and inspection, for tests ------------------------------
    def add_domain(self, name):
        with self.lock:
            self.domains.setdefault(name, [])

    def add_record(self, domain, name, type, address, ttl=3600):
        with self.lock:
            self.domains[domain].append(
                {"type": type, "name": name, "address": address,
                 "ttl": ttl, "group": {"type": "custom"}})

    def find(self, domain, name, type=None):
        return [r for r in self.domains.get(domain, [])
                if r["name"].lower() == name.lower()
                and type in (None, r["type"])]

    def fail_next(self, status, count=1, headers=None, payload=None):
        if payload is None:
            payload = {"detail": "Internal server error."}
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def throttle(self, count=1, retry_after=None):
        h = {}
        if retry_after is not None:
            h["Retry-After"] = str(retry_after)
        self.fail_next(429, count, h, {"detail": "Too many requests."})

    # ---- the API --------------------------------------------------------
    def auth(self, call, perm):
        k = call.headers.get("X-API-Key")
        s = call.headers.get("X-API-Secret")
        if k is None or s is None or k != self.key or s != self.secret:
            return error(401, "Invalid API key or secret.")
        if perm not in self.perms:
            return error(403, "Missing required permission: %s." % perm)
        return None

    def handle(self, call):
        with self.lock:
            if self.faults:
                f = self.faults[0]
                f[0] -= 1
                if f[0] <= 0:
                    self.faults.pop(0)
                return (f[1], dict(f[2]), f[3])
            perm = "dnsrecords:read" if call.method == "GET" else \
                "dnsrecords:write"
            refused = self.auth(call, perm)
            if refused is not None:
                return refused
            m = re.fullmatch(PREFIX + r"/dns/records/([^/]+)", call.path)
            if m is None:
                return error(404, "Not found.")
            d = m.group(1)
            if d not in self.domains:
                return error(404, "SOA record for domain %s not found." % d)
            body = None
            if call.method in ("PUT", "DELETE"):
                ct = (call.headers.get("Content-Type") or "").split(";")[0]
                try:
                    body = json.loads(call.body.decode())
                except ValueError:
                    body = None
                if ct.strip() != "application/json" or body is None:
                    return error(400, "The request body is invalid.")
            try:
                if call.method == "GET":
                    return self.list(d, call.query)
                if call.method == "PUT":
                    return self.save(d, body)
                if call.method == "DELETE":
                    return self.delete(d, body)
            except Invalid as e:
                return error(422, "Validation failed.",
                             [{"field": e.args[0], "details": e.args[1]}])
            return error(405, "Method not allowed.")

    def list(self, d, query):
        q = {k: v[-1] for k, v in query.items()}
        for k, lo, hi in (("take", 1, MAX_TAKE), ("skip", 0, 2 ** 31 - 1)):
            if not re.fullmatch(r"\d{1,10}", q.get(k, "")) or \
                    not lo <= int(q[k]) <= hi:
                raise Invalid(k, "%s must be between %d and %d." %
                              (k, lo, hi))
        take, skip = int(q["take"]), int(q["skip"])
        rs = self.domains[d]
        return (200, {}, {"items": [dict(r) for r in rs[skip:skip + take]],
                          "total": len(rs)})

    @staticmethod
    def _check(i, r, full=True):
        if not isinstance(r, dict):
            raise Invalid("items[%d]" % i, "must be an object.")
        t = r.get("type")
        if t not in ("A", "AAAA"):
            raise Invalid("items[%d].type" % i, "is not supported here.")
        if not isinstance(r.get("name"), str) or not r["name"] or \
                r["name"].endswith("."):
            raise Invalid("items[%d].name" % i, "is invalid.")
        try:
            (ipaddress.IPv4Address if t == "A" else
             ipaddress.IPv6Address)(r.get("address"))
        except (ValueError, TypeError):
            raise Invalid("items[%d].address" % i, "must be a valid %s "
                          "address." % ("IPv4" if t == "A" else "IPv6"))
        ttl = r.get("ttl")
        if full and (isinstance(ttl, bool) or not isinstance(ttl, int) or
                     not 60 <= ttl <= 86400):
            raise Invalid("items[%d].ttl" % i, "must be between 60 and "
                          "86400.")

    @staticmethod
    def _same(a, b):
        return a["type"] == b["type"] and \
            a["name"].lower() == b["name"].lower() and \
            ipaddress.ip_address(a["address"]) == \
            ipaddress.ip_address(b["address"])

    def save(self, d, body):
        if not isinstance(body, dict) or \
                not isinstance(body.get("force"), bool) or \
                not isinstance(body.get("items"), list) or \
                not body["items"]:
            raise Invalid("items", "force (boolean) and a non-empty items "
                          "array are required.")
        for i, r in enumerate(body["items"]):
            self._check(i, r)
        for r in body["items"]:
            have = [x for x in self.domains[d] if self._same(x, r)]
            if have:
                have[0]["ttl"] = r["ttl"]
            else:
                self.domains[d].append(
                    {"type": r["type"], "name": r["name"],
                     "address": r["address"], "ttl": r["ttl"],
                     "group": {"type": "custom"}})
        return (204, {}, b"")

    def delete(self, d, body):
        if not isinstance(body, list) or not body:
            raise Invalid("items", "a non-empty array is required.")
        for i, r in enumerate(body):
            self._check(i, r, full=False)
        self.domains[d] = [x for x in self.domains[d]
                           if not any(self._same(x, r) for r in body)]
        return (204, {}, b"")


class SpaceshipHandler(MockHandler):
    def respond(self, call):
        return self.server.state["ss"].handle(call)


def start(servers, tls=None, domains=("example.com",), **kw):
    """Start a mock holding domains; .ss is its state, .endpoint its URL."""
    srv = servers(SpaceshipHandler, tls=tls)
    st = SpaceshipState(**kw)
    for d in domains:
        st.add_domain(d)
    srv.state["ss"] = st
    srv.ss = st
    srv.endpoint = srv.url + PREFIX
    return srv
