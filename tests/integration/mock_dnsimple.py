"""A stateful mock of DNSimple's API v2: accounts, zones and zone records.

Shaped after developer.dnsimple.com/v2 and the recorded replies DNSimple
publishes with it (github.com/dnsimple/dnsimple-developer, fixtures/v2):
auth is "Authorization: Bearer <token>" on every request (401
{"message":"Authentication failed"} otherwise); every reply carries
X-RateLimit-Limit/-Remaining/-Reset (a Unix time); errors are
{"message": ...} plus "errors": {field: [...]} on a 400 validation
failure; paths start with the account id; record names are relative ("" for
the apex); lists are paged (per_page at most 100) with a "pagination"
object; system records (SOA, NS) are listed and cannot be changed; PATCH
takes name/content/ttl/priority/regions only.

    srv = start(servers, tls=ca)          # account 1010, zone example.com
    srv.ds.add_record("example.com", "home", "A", "198.51.100.1")
    srv.endpoint                          # for the "endpoint" config key
    srv.ds.throttle(count=1, retry_after=None, reset_in=90)
    srv.ds.fail_next(500) / srv.ds.fail_next(200, payload="<html>")
"""
import ipaddress
import itertools
import json
import re
import threading
import time

from harness import MockHandler

PREFIX = "/v2"
TOKEN = "dnsimpletest_a_" + "0123456789abcdef" * 2
ACCOUNT = 1010
TYPES = ("A", "AAAA", "ALIAS", "CAA", "CNAME", "MX", "NS", "SOA", "SRV",
         "TXT")


def error(status, message, errors=None, headers=None):
    body = {"message": message}
    if errors is not None:
        body["errors"] = errors
    return (status, headers or {}, body)


class DNSimpleState:
    """Accounts, zones, records, the token, injected faults."""

    def __init__(self, token=TOKEN, accounts=(ACCOUNT,)):
        self.lock = threading.Lock()
        self.token = token
        self.accounts = list(accounts)
        self.zones = {}         # name -> account id
        self.records = {}       # id -> record dict
        self.faults = []        # [count, status, headers, payload]
        self.ids = itertools.count(3422640)
        self.max_per_page = 100

    # ---- set-up and inspection, for tests ------------------------------
    def add_zone(self, name, account=ACCOUNT):
        with self.lock:
            self.zones[name] = account
            now = "2016-03-22T10:20:53Z"
            for t, c in (("SOA", "ns1.dnsimple.com admin.dnsimple.com "
                          "1458642070 86400 7200 604800 300"),
                         ("NS", "ns1.dnsimple.com")):
                rid = next(self.ids)
                self.records[rid] = {
                    "id": rid, "zone_id": name, "parent_id": None,
                    "name": "", "content": c, "ttl": 3600, "priority": None,
                    "type": t, "regions": ["global"], "system_record": True,
                    "created_at": now, "updated_at": now}

    def add_record(self, zone, name, type, content, ttl=3600):
        with self.lock:
            return self._create(zone, {"name": name, "type": type,
                                       "content": content, "ttl": ttl})["id"]

    def find(self, zone, name, type=None):
        return [r for r in self.records.values()
                if r["zone_id"] == zone and r["name"] == name
                and not r["system_record"] and type in (None, r["type"])]

    def delete_record(self, rid):
        with self.lock:
            del self.records[rid]

    def fail_next(self, status, count=1, headers=None, payload=None):
        if payload is None:
            payload = {"message": "Internal server error"}
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def throttle(self, count=1, retry_after=None, reset_in=3000):
        h = {"X-RateLimit-Limit": "2400", "X-RateLimit-Remaining": "0",
             "X-RateLimit-Reset": str(int(time.time()) + reset_in)}
        if retry_after is not None:
            h["Retry-After"] = str(retry_after)
        self.fail_next(429, count, h,
                       {"message": "Your API rate limit has been exceeded"})

    # ---- internals ----------------------------------------------------
    def _validate(self, rec):
        errs = {}
        if rec.get("type") not in TYPES:
            errs["type"] = ["is not included in the list"]
        if not isinstance(rec.get("name"), str):
            errs["name"] = ["must be a string"]
        c = rec.get("content")
        try:
            if rec.get("type") == "A":
                ipaddress.IPv4Address(c)
            elif rec.get("type") == "AAAA":
                ipaddress.IPv6Address(c)
        except (ValueError, TypeError):
            errs["content"] = ["is invalid"]
        ttl = rec.get("ttl")
        if isinstance(ttl, bool) or not isinstance(ttl, int) or ttl < 60:
            errs["ttl"] = ["must be greater than or equal to 60"]
        if errs:
            raise Invalid(errs)

    def _create(self, zone, body):
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        rec = {"id": next(self.ids), "zone_id": zone, "parent_id": None,
               "name": body.get("name"), "content": body.get("content"),
               "ttl": body.get("ttl", 3600), "priority": None,
               "type": body.get("type"), "regions": ["global"],
               "system_record": False, "created_at": now, "updated_at": now}
        self._validate(rec)
        self.records[rec["id"]] = rec
        return rec

    def limits(self):
        return {"X-RateLimit-Limit": "2400", "X-RateLimit-Remaining": "2397",
                "X-RateLimit-Reset": str(int(time.time()) + 3000)}

    # ---- the API --------------------------------------------------------
    def handle(self, call):
        with self.lock:
            if self.faults:
                f = self.faults[0]
                f[0] -= 1
                if f[0] <= 0:
                    self.faults.pop(0)
                return (f[1], dict(f[2]), f[3])
            st, h, body = self.route(call)
            h = dict(h)
            h.update(self.limits())
            return (st, h, body)

    def route(self, call):
        a = call.headers.get("Authorization") or ""
        m = re.fullmatch(r"Bearer (\S+)", a)
        if m is None or m.group(1) != self.token:
            return error(401, "Authentication failed")
        if call.headers.get("Accept") != "application/json":
            return error(406, "Not acceptable")
        path = call.path[len(PREFIX):] if call.path.startswith(PREFIX) \
            else None
        if path == "/accounts" and call.method == "GET":
            return (200, {}, {"data": [
                {"id": i, "email": "ops%d@example.com" % i,
                 "plan_identifier": "dnsimple-teams",
                 "created_at": "2012-03-16T16:02:54Z",
                 "updated_at": "2016-06-14T11:23:16Z"}
                for i in self.accounts]})
        m = re.fullmatch(r"/(\d+)/zones/([^/]+)(/records(?:/(\d+))?)?",
                         path or "")
        if m is None:
            return error(404, "Not found")
        acct, zone = int(m.group(1)), m.group(2)
        if acct not in self.accounts:
            return error(404, "Account `%d` not found" % acct)
        if self.zones.get(zone) != acct:
            return error(404, "Zone `%s` not found" % zone)
        body = None
        if call.method in ("POST", "PATCH"):
            ct = (call.headers.get("Content-Type") or "").split(";")[0]
            try:
                body = json.loads(call.body.decode())
            except ValueError:
                body = None
            if ct.strip() != "application/json" or not isinstance(body,
                                                                  dict):
                return error(400, "Bad request")
        q = {k: v[-1] for k, v in call.query.items()}
        try:
            if m.group(3) is None:
                if call.method != "GET":
                    return error(405, "Method not allowed")
                return (200, {}, {"data": {
                    "id": 1, "account_id": acct, "name": zone,
                    "reverse": False, "created_at": "2015-04-23T07:40:03Z",
                    "updated_at": "2015-04-23T07:40:03Z"}})
            if m.group(4) is None:
                if call.method == "GET":
                    return self.list(zone, q)
                if call.method == "POST":
                    return (201, {}, {"data": self._create(zone, body)})
                return error(405, "Method not allowed")
            rec = self.records.get(int(m.group(4)))
            if rec is None or rec["zone_id"] != zone:
                return error(404, "Record `%s` not found" % m.group(4))
            if call.method == "GET":
                return (200, {}, {"data": rec})
            if call.method == "PATCH":
                if rec["system_record"]:
                    return error(400, "System records cannot be updated")
                bad = set(body) - {"name", "content", "ttl", "priority",
                                   "regions"}
                if bad:
                    raise Invalid({k: ["is not a permitted parameter"]
                                   for k in sorted(bad)})
                new = dict(rec)
                new.update(body)
                self._validate(new)
                new["updated_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                  time.gmtime())
                self.records[rec["id"]] = new
                return (200, {}, {"data": new})
            return error(405, "Method not allowed")
        except Invalid as e:
            return error(400, "Validation failed", e.args[0])

    def list(self, zone, q):
        rs = sorted((r for r in self.records.values()
                     if r["zone_id"] == zone), key=lambda r: r["id"])
        if "name" in q:
            rs = [r for r in rs if r["name"] == q["name"]]
        if "type" in q:
            rs = [r for r in rs if r["type"] == q["type"]]
        per = int(q.get("per_page", 30))
        if per < 1 or per > self.max_per_page:
            return error(400, "per_page must be between 1 and %d" %
                         self.max_per_page)
        page = int(q.get("page", 1))
        pages = max(1, (len(rs) + per - 1) // per)
        return (200, {}, {"data": rs[(page - 1) * per:page * per],
                          "pagination": {"current_page": page,
                                         "per_page": per,
                                         "total_entries": len(rs),
                                         "total_pages": pages}})


class Invalid(Exception):
    """A value DNSimple refuses with 400 "Validation failed"."""


class DNSimpleHandler(MockHandler):
    def respond(self, call):
        return self.server.state["ds"].handle(call)


def start(servers, tls=None, zones=("example.com",), **kw):
    """Start a mock holding zones; .ds is its state, .endpoint its URL."""
    srv = servers(DNSimpleHandler, tls=tls)
    st = DNSimpleState(**kw)
    for z in zones:
        st.add_zone(z)
    srv.state["ds"] = st
    srv.ds = st
    srv.endpoint = srv.url + PREFIX
    return srv
