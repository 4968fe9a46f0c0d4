"""A stateful mock of Porkbun's API v3: the DNS calls.

Shaped after porkbun.com/api/json/v3/documentation and the replies users
quote: every call is a POST whose JSON body carries apikey and
secretapikey; answers are {"status": "SUCCESS", ...} with HTTP 200 or
{"status": "ERROR", "message": ...} with HTTP 400 ("Invalid API key.
(002)", "Domain is not opted in to API access.", "Invalid domain.");
record ids and ttls are strings, names are fully qualified when read and
relative when written ("" for the apex); create answers the new id as a
number.

    srv = start(servers, tls=ca)          # domains: example.com (API on)
    srv.pb.add_record("example.com", "home", "A", "198.51.100.1")
    srv.pb.api_access["example.com"] = False
    srv.endpoint                          # for the "endpoint" config key
"""
import ipaddress
import itertools
import json
import re
import threading
import urllib.parse

from harness import MockHandler

PREFIX = "/api/json/v3"
APIKEY = "pk1_" + "5299b57125c8f3cd" * 4
SECRET = "sk1_" + "7d119e3f656b00ae" * 4
TYPES = ("A", "MX", "CNAME", "ALIAS", "TXT", "NS", "AAAA", "SRV", "TLSA",
         "CAA", "HTTPS", "SVCB")


def error(message, status=400, headers=None):
    return (status, headers or {}, {"status": "ERROR", "message": message})


class PorkbunState:
    """Domains, their API ACCESS switch, records, the key pair, faults."""

    def __init__(self, apikey=APIKEY, secret=SECRET):
        self.lock = threading.Lock()
        self.apikey = apikey
        self.secret = secret
        self.domains = {}           # name -> [record dicts]
        self.api_access = {}        # name -> bool
        self.faults = []
        self.ids = itertools.count(106926652)

    def add_domain(self, name, api_access=True):
        with self.lock:
            self.domains[name] = []
            self.api_access[name] = api_access

    def add_record(self, domain, sub, type, content, ttl=600):
        with self.lock:
            return self._create(domain, {"name": sub, "type": type,
                                         "content": content,
                                         "ttl": str(ttl)})

    def find(self, domain, sub, type):
        fq = domain if sub == "" else "%s.%s" % (sub, domain)
        return [r for r in self.domains[domain]
                if r["name"] == fq and r["type"] == type]

    def record(self, domain, rid):
        return [r for r in self.domains[domain] if r["id"] == str(rid)][0]

    def delete(self, domain, rid):
        with self.lock:
            self.domains[domain] = [r for r in self.domains[domain]
                                    if r["id"] != str(rid)]

    def fail_next(self, status, count=1, headers=None, payload=None):
        if payload is None:
            payload = {"status": "ERROR", "message": "Service unavailable."}
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    # ---- internals ----------------------------------------------------
    def _fields(self, body):
        t = body.get("type")
        if t not in TYPES:
            raise Invalid("Invalid type.")
        c = body.get("content")
        try:
            if t == "A":
                ipaddress.IPv4Address(c)
            elif t == "AAAA":
                ipaddress.IPv6Address(c)
            elif not isinstance(c, str):
                raise ValueError
        except (ValueError, TypeError):
            raise Invalid("Invalid content.")
        ttl = body.get("ttl", "600")
        try:
            ttl = int(ttl)
        except (ValueError, TypeError):
            raise Invalid("Invalid TTL.")
        name = body.get("name", "")
        if not isinstance(name, str):
            raise Invalid("Invalid name.")
        return name, t, c, str(max(ttl, 600))

    def _create(self, d, body):
        name, t, c, ttl = self._fields(body)
        rid = str(next(self.ids))
        self.domains[d].append({
            "id": rid, "name": d if name == "" else "%s.%s" % (name, d),
            "type": t, "content": c, "ttl": ttl, "prio": "0",
            "notes": ""})
        return rid

    # ---- the API --------------------------------------------------------
    def handle(self, call):
        with self.lock:
            if self.faults:
                f = self.faults[0]
                f[0] -= 1
                if f[0] <= 0:
                    self.faults.pop(0)
                return (f[1], dict(f[2]), f[3])
            if call.method != "POST":
                return error("Invalid request method.", 405)
            try:
                body = json.loads(call.body.decode())
            except ValueError:
                body = None
            if not isinstance(body, dict):
                return error("Invalid JSON.")
            if body.get("apikey") != self.apikey or \
                    body.get("secretapikey") != self.secret:
                return error("Invalid API key. (002)")
            m = re.fullmatch(re.escape(PREFIX) +
                             r"/dns/(retrieveByNameType|create|edit)"
                             r"/([^/]+)(?:/(.*))?", call.path)
            if m is None:
                return error("Invalid command.", 404)
            op, d = m.group(1), urllib.parse.unquote(m.group(2))
            rest = [urllib.parse.unquote(p) for p in (m.group(3) or "")
                    .split("/") if p != ""]
            if d not in self.domains:
                return error("Invalid domain.")
            if not self.api_access[d]:
                return error("Domain is not opted in to API access.")
            try:
                if op == "retrieveByNameType":
                    if len(rest) not in (1, 2):
                        return error("Invalid command.", 404)
                    sub = rest[1] if len(rest) == 2 else ""
                    rs = self.find(d, sub, rest[0])
                    return (200, {}, {"status": "SUCCESS",
                                      "cloudflare": "enabled",
                                      "records": [dict(r) for r in rs]})
                if op == "create":
                    if rest:
                        return error("Invalid command.", 404)
                    rid = self._create(d, body)
                    return (200, {}, {"status": "SUCCESS", "id": int(rid)})
                if len(rest) != 1:
                    return error("Invalid command.", 404)
                old = [r for r in self.domains[d] if r["id"] == rest[0]]
                if not old:
                    return error("Edit error: We were unable to edit the "
                                 "DNS record.")
                name, t, c, ttl = self._fields(body)
                old[0].update({"name": d if name == "" else
                               "%s.%s" % (name, d), "type": t, "content": c,
                               "ttl": ttl})
                return (200, {}, {"status": "SUCCESS"})
            except Invalid as e:
                return error(e.args[0])


class Invalid(Exception):
    """A value Porkbun refuses."""


class PorkbunHandler(MockHandler):
    def respond(self, call):
        return self.server.state["pb"].handle(call)


def start(servers, tls=None, domains=("example.com",), **kw):
    """Start a mock holding domains; .pb is its state, .endpoint its URL."""
    srv = servers(PorkbunHandler, tls=tls)
    st = PorkbunState(**kw)
    for d in domains:
        st.add_domain(d)
    srv.state["pb"] = st
    srv.pb = st
    srv.endpoint = srv.url + PREFIX
    return srv
