"""A stateful mock of Vultr's API v2 DNS: domains and their records.

Shaped after Vultr's API reference (DNS): "Authorization: Bearer <API
key>" on every request, 401 when the key is wrong or the client address
is not in the account's API Access Control list; errors are
{"error": "...", "status": N}; GET .../records is paged by cursor
(per_page, meta.links.next) and has no name filter; names are relative,
"" for the apex; POST answers 201 {"record": {...}}, PATCH 204 with no
body.

    srv = start(servers, tls=ca)          # domain example.com
    srv.vu.add_record("example.com", "home", "A", "198.51.100.1")
    srv.vu.page_max = 2                   # force several pages
    srv.vu.fail_next(429, headers={"Retry-After": "120"})
"""
import base64
import ipaddress
import json
import re
import threading
import uuid

from harness import MockHandler

PREFIX = "/v2"
API_KEY = "VULTRAPIKEY0123456789ABCDEFGHIJKLMNO"


def error(status, msg, headers=None):
    return (status, headers or {}, {"error": msg, "status": status})


class VultrState:
    def __init__(self):
        self.lock = threading.Lock()
        self.key = API_KEY
        self.allowed = None     # None: any address; else a set
        self.domains = {}       # name -> {id: record}
        self.faults = []
        self.page_max = 500

    def add_domain(self, d):
        with self.lock:
            self.domains[d] = {}

    def add_record(self, d, name, type, data, ttl=300):
        with self.lock:
            return self._create(d, {"name": name, "type": type,
                                    "data": data, "ttl": ttl})["id"]

    def find(self, d, name, type=None):
        return [r for r in self.domains[d].values()
                if r["name"] == name and type in (None, r["type"])]

    def fail_next(self, status, count=1, headers=None, payload=None):
        if payload is None:
            payload = {"error": "Rate limit reached - please try your "
                       "request again later.", "status": status}
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def _create(self, d, body):
        rec = {"id": str(uuid.uuid4()), "type": body.get("type"),
               "name": body.get("name"), "data": body.get("data"),
               "priority": body.get("priority", -1 if body.get("type")
                                    in ("A", "AAAA") else 0),
               "ttl": body.get("ttl", 300)}
        self._validate(rec)
        self.domains[d][rec["id"]] = rec
        return rec

    @staticmethod
    def _validate(rec):
        if not isinstance(rec["name"], str):
            raise Invalid("Invalid name")
        try:
            if rec["type"] == "A":
                ipaddress.IPv4Address(rec["data"])
            elif rec["type"] == "AAAA":
                ipaddress.IPv6Address(rec["data"])
            else:
                raise Invalid("Invalid record type")
        except (ValueError, TypeError):
            raise Invalid("Invalid data for type %s" % rec["type"])
        ttl = rec["ttl"]
        if isinstance(ttl, bool) or not isinstance(ttl, int) or ttl < 0:
            raise Invalid("Invalid TTL")

    def handle(self, call, client):
        with self.lock:
            if self.faults:
                f = self.faults[0]
                f[0] -= 1
                if f[0] <= 0:
                    self.faults.pop(0)
                return (f[1], dict(f[2]), f[3])
            m = re.fullmatch(r"Bearer (\S+)",
                             call.headers.get("Authorization") or "")
            if m is None or m.group(1) != self.key:
                return error(401, "Invalid API token.")
            if self.allowed is not None and client not in self.allowed:
                return error(401, "Unauthorized IP address: %s" % client)
            m = re.fullmatch(PREFIX + r"/domains/([^/]+)(/records(?:/"
                             r"([0-9a-f-]+))?)?", call.path)
            if m is None or m.group(1) not in self.domains:
                return error(404, "Not found.")
            d, recs = m.group(1), self.domains[m.group(1)]
            body = None
            if call.method in ("POST", "PATCH"):
                if (call.headers.get("Content-Type") or "").split(";")[0] \
                        != "application/json":
                    return error(400, "Invalid JSON")
                try:
                    body = json.loads(call.body.decode())
                except ValueError:
                    body = None
                if not isinstance(body, dict):
                    return error(400, "Invalid JSON")
            try:
                if m.group(2) is None:
                    if call.method != "GET":
                        return error(404, "Not found.")
                    return (200, {}, {"domain": {
                        "domain": d, "date_created":
                        "2020-10-10T01:56:20+00:00", "dns_sec": "disabled"}})
                if m.group(3) is None:
                    if call.method == "GET":
                        return self.page(recs, call.query)
                    if call.method == "POST":
                        return (201, {}, {"record": dict(
                            self._create(d, body))})
                    return error(404, "Not found.")
                rec = recs.get(m.group(3))
                if rec is None:
                    return error(404, "Not found.")
                if call.method == "PATCH":
                    new = dict(rec)
                    for k in ("name", "data", "ttl", "priority"):
                        if k in body:
                            new[k] = body[k]
                    self._validate(new)
                    recs[rec["id"]] = new
                    return (204, {}, b"")
                if call.method == "GET":
                    return (200, {}, {"record": dict(rec)})
                return error(404, "Not found.")
            except Invalid as e:
                return error(400, e.args[0])

    def page(self, recs, query):
        q = {k: v[-1] for k, v in query.items()}
        per = min(int(q.get("per_page", 100)), self.page_max)
        start = 0
        if q.get("cursor"):
            start = int(base64.b64decode(q["cursor"]).decode()
                        .split("__")[1])
        rs = list(recs.values())
        chunk = rs[start:start + per]
        nxt = ""
        if start + per < len(rs):
            nxt = base64.b64encode(("next__%d" % (start + per))
                                   .encode()).decode()
        return (200, {}, {"records": [dict(r) for r in chunk],
                          "meta": {"total": len(rs),
                                   "links": {"next": nxt, "prev": ""}}})


class Invalid(Exception):
    """A value Vultr refuses with 400."""


class VultrHandler(MockHandler):
    def respond(self, call):
        return self.server.state["vu"].handle(call, self.client_address[0])


def start(servers, tls=None, domains=("example.com",)):
    srv = servers(VultrHandler, tls=tls)
    st = VultrState()
    for d in domains:
        st.add_domain(d)
    srv.state["vu"] = st
    srv.vu = st
    srv.endpoint = srv.url + PREFIX
    return srv
