"""A stateful mock of Njalla's API (https://njal.la/api/), one endpoint.

What it enforces, and where that comes from:
- Njalla's API page and public clients: POST /api/1/ with a JSON body
  {"method": ..., "params": {...}} and "Authorization: Njalla <token>".
- Replies recorded from the real API (lexicon's cassettes): HTTP 200 with
  {"result": {...}, "jsonrpc": "2.0"} or {"error": {"code", "message"},
  "jsonrpc": "2.0"}; a domain not on the account is error 403 "permission
  denied"; records are {"id": int, "name" (relative, "@" apex), "type",
  "content", "ttl"}; add-record and edit-record answer the record.
- Tokens can be restricted to methods (Njalla's add-token
  allowed_methods): a call outside them is error 403 too.
- Assumed: a wrong token is error 403 "permission denied"; edit-record of
  an unknown id is error 404; the TTL must be one of the control panel's
  values; throttling is HTTP 429 with Retry-After.

    srv = start(servers, tls=ca)          # domains: example.com
    srv.nj.add_record("example.com", "home", "A", "198.51.100.1")
    srv.endpoint                          # for the "endpoint" config key
    srv.nj.throttle(count=1, retry_after=120)
    srv.nj.fail_next(500) / srv.nj.fail_next(200, payload="<html>")
"""
import ipaddress
import itertools
import json
import threading

from harness import MockHandler

PATH = "/api/1/"
TOKEN = "131ecf5e2090419e8bfd94f71d612ddc"
TTLS = (60, 300, 900, 3600, 10800, 21600, 86400)
METHODS = ("list-domains", "get-domain", "list-records", "add-record",
           "edit-record", "remove-record")


def error(code, message):
    return (200, {}, {"error": {"code": code, "message": message},
                      "jsonrpc": "2.0"})


def result(obj):
    return (200, {}, {"result": obj, "jsonrpc": "2.0"})


class Invalid(Exception):
    """Refused params: (code, message)."""


class NjallaState:
    """Domains, records, the token and its allowed methods, faults."""

    def __init__(self, token=TOKEN, methods=METHODS):
        self.lock = threading.Lock()
        self.token = token
        self.methods = set(methods)
        self.domains = {}       # name -> {id: record}
        self.faults = []
        self.ids = itertools.count(188132)

    # ---- set-up and inspection, for tests ------------------------------
    def add_domain(self, name):
        with self.lock:
            self.domains.setdefault(name, {})

    def add_record(self, domain, name, type, content, ttl=3600):
        with self.lock:
            rid = next(self.ids)
            self.domains[domain][rid] = {"id": rid, "name": name,
                                         "type": type, "content": content,
                                         "ttl": ttl}
            return rid

    def find(self, domain, name, type=None):
        return [r for r in self.domains.get(domain, {}).values()
                if r["name"].lower() == name.lower()
                and type in (None, r["type"])]

    def fail_next(self, status, count=1, headers=None, payload=None):
        if payload is None:
            payload = "<html><body>502 Bad Gateway</body></html>"
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def throttle(self, count=1, retry_after=None):
        h = {}
        if retry_after is not None:
            h["Retry-After"] = str(retry_after)
        self.fail_next(429, count, h, {"error": {
            "code": 429, "message": "too many requests"}, "jsonrpc": "2.0"})

    # ---- the API --------------------------------------------------------
    def handle(self, call):
        with self.lock:
            if self.faults:
                f = self.faults[0]
                f[0] -= 1
                if f[0] <= 0:
                    self.faults.pop(0)
                return (f[1], dict(f[2]), f[3])
            if call.method != "POST" or call.path != PATH:
                return (404, {"Content-Type": "text/html"},
                        "<h1>Not Found</h1>")
            a = call.headers.get("Authorization") or ""
            if self.token is None or a != "Njalla " + self.token:
                return error(403, "permission denied")
            ct = (call.headers.get("Content-Type") or "").split(";")[0]
            try:
                body = json.loads(call.body.decode())
            except ValueError:
                body = None
            if ct.strip() != "application/json" or \
                    not isinstance(body, dict) or \
                    not isinstance(body.get("method"), str) or \
                    not isinstance(body.get("params", {}), dict):
                return error(400, "invalid request")
            m, p = body["method"], body.get("params", {})
            if m not in METHODS:
                return error(404, "method not found")
            if m not in self.methods:
                return error(403, "permission denied")
            try:
                return getattr(self, "api_" + m.replace("-", "_"))(p)
            except Invalid as e:
                return error(e.args[0], e.args[1])

    def _domain(self, p):
        d = p.get("domain")
        if d not in self.domains:
            raise Invalid(403, "permission denied")
        return d

    def api_list_domains(self, p):
        return result({"domains": [
            {"name": d, "status": "active", "expiry": "2030-06-29T23:53:03Z"}
            for d in sorted(self.domains)]})

    def api_get_domain(self, p):
        return result({"name": self._domain(p), "status": "active"})

    def api_list_records(self, p):
        d = self._domain(p)
        return result({"records": [dict(r) for r in
                                   self.domains[d].values()]})

    @staticmethod
    def _check(r):
        if r.get("type") not in ("A", "AAAA", "TXT", "CNAME", "MX"):
            raise Invalid(400, "invalid type")
        if not isinstance(r.get("name"), str) or r["name"].endswith("."):
            raise Invalid(400, "invalid name")
        try:
            if r["type"] == "A":
                ipaddress.IPv4Address(r.get("content"))
            elif r["type"] == "AAAA":
                ipaddress.IPv6Address(r.get("content"))
        except (ValueError, TypeError):
            raise Invalid(400, "invalid content")
        if r.get("ttl") not in TTLS or isinstance(r.get("ttl"), bool):
            raise Invalid(400, "invalid ttl")

    def api_add_record(self, p):
        d = self._domain(p)
        r = {"id": None, "name": p.get("name"), "type": p.get("type"),
             "content": p.get("content"), "ttl": p.get("ttl", 10800)}
        self._check(r)
        r["id"] = next(self.ids)
        self.domains[d][r["id"]] = r
        return result(dict(r))

    def api_edit_record(self, p):
        d = self._domain(p)
        rid = p.get("id")
        if isinstance(rid, str) and rid.isdigit():
            rid = int(rid)
        if rid not in self.domains[d]:
            raise Invalid(404, "record not found")
        new = dict(self.domains[d][rid])
        for k in ("name", "content", "ttl"):
            if k in p:
                new[k] = p[k]
        self._check(new)
        self.domains[d][rid] = new
        return result(dict(new))

    def api_remove_record(self, p):
        d = self._domain(p)
        if self.domains[d].pop(p.get("id"), None) is None:
            raise Invalid(404, "record not found")
        return result({})


class NjallaHandler(MockHandler):
    def respond(self, call):
        return self.server.state["nj"].handle(call)


def start(servers, tls=None, domains=("example.com",), **kw):
    """Start a mock holding domains; .nj is its state, .endpoint its URL."""
    srv = servers(NjallaHandler, tls=tls)
    st = NjallaState(**kw)
    for d in domains:
        st.add_domain(d)
    srv.state["nj"] = st
    srv.nj = st
    srv.endpoint = srv.url + PATH
    return srv
