"""A stateful mock of DNSExit's JSON DNS API (https://dnsexit.com/dns/dns-api/).

As the guide documents: one URL (/dns/) taking a POSTed JSON document
(Content-Type application/json) with "domain" and "update" {type, name,
content, ttl in minutes}; the API key in an "apikey" header, the document
or the URL; a name that does not end with the domain gets it appended; the
reply is {"code": 0, "message": "Success", "details": [...]} (details
shaped as go-acme/lego's recorded fixture).

Assumed (the guide's code table was not available; providers/dnsexit.c
makes the same assumptions): code 2 "API Key Authentication Error" for a
wrong key; code 3 "Missing Required Definitions" for a document lacking
domain or update fields; code 1 with a message for a domain not in the
account or a record that does not exist ("update" does not create).

    srv = start(servers, tls=ca)          # domains: example.com
    srv.dx.add_record("home.example.com", "A", "198.51.100.1")
    srv.endpoint                          # for the "endpoint" config key
    srv.dx.fail_next(500) / srv.dx.fail_next(200, payload="<html>")
"""
import ipaddress
import json
import threading

from harness import MockHandler

PATH = "/dns/"
API_KEY = "Dx7kQ2mW9pLr4TzB6vYc"


def reply(code, message, details=None):
    doc = {"code": code, "message": message}
    if details is not None:
        doc["details"] = details
    return (200, {}, doc)


class DnsexitState:
    """Domains, records (domain, fqdn, type) -> {content, ttl}, faults."""

    def __init__(self, api_key=API_KEY):
        self.lock = threading.Lock()
        self.api_key = api_key
        self.domains = set()
        self.records = {}
        self.faults = []        # [count, status, headers, payload]

    def add_record(self, fqdn, type, content, ttl=480, domain="example.com"):
        with self.lock:
            self.records[(domain, fqdn, type)] = {"content": content,
                                                  "ttl": ttl}

    def get(self, fqdn, type, domain="example.com"):
        return self.records.get((domain, fqdn, type))

    def fail_next(self, status, count=1, headers=None, payload=None):
        if payload is None:
            payload = "<html><body>500 Internal Server Error</body></html>"
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def handle(self, call):
        with self.lock:
            if self.faults:
                f = self.faults[0]
                f[0] -= 1
                if f[0] <= 0:
                    self.faults.pop(0)
                return (f[1], dict(f[2]), f[3])
            if call.method != "POST" or call.path != PATH:
                return (404, {}, "<html>Not Found</html>")
            ct = (call.headers.get("Content-Type") or "").split(";")[0]
            try:
                doc = json.loads(call.body.decode())
            except ValueError:
                doc = None
            if ct.strip() != "application/json" or not isinstance(doc, dict):
                return reply(4, "JSON Data Syntax Error")
            key = call.headers.get("apikey") or doc.get("apikey") or \
                (call.query.get("apikey") or [None])[-1]
            if key is None or key != self.api_key:
                return reply(2, "API Key Authentication Error")
            domain = doc.get("domain") or \
                (call.query.get("domain") or [None])[-1]
            up = doc.get("update")
            if not isinstance(domain, str) or not isinstance(up, dict) or \
                    not all(isinstance(up.get(k), str)
                            for k in ("type", "name", "content")):
                return reply(3, "Missing Required Definitions")
            if domain not in self.domains:
                return reply(1, "Domain %s is not in your account" % domain)
            name = up["name"]
            if name != domain and not name.endswith("." + domain):
                name = (name + "." + domain) if name else domain
            t = up["type"]
            try:
                if t == "A":
                    ipaddress.IPv4Address(up["content"])
                elif t == "AAAA":
                    ipaddress.IPv6Address(up["content"])
                else:
                    raise ValueError
            except ValueError:
                return reply(6, "JSON Defined Record Type not Supported")
            ttl = up.get("ttl", 480)
            if isinstance(ttl, bool) or not isinstance(ttl, int) or ttl < 0:
                return reply(3, "Missing Required Definitions")
            rec = self.records.get((domain, name, t))
            if rec is None:
                return reply(1, "Some execution problems",
                             ["Record %s %s not found" % (t, name)])
            rec["content"] = up["content"]
            if "ttl" in up:
                rec["ttl"] = ttl
            return reply(0, "Success", [
                "UPDATE Record %s %s. TTL(hh:mm) %02d:%02d  IP   %s" %
                (t, name, rec["ttl"] // 60, rec["ttl"] % 60,
                 up["content"])])


class DnsexitHandler(MockHandler):
    def respond(self, call):
        return self.server.state["dx"].handle(call)


def start(servers, tls=None, domains=("example.com",), **kw):
    """Start a mock holding domains; .dx is its state, .endpoint its URL."""
    srv = servers(DnsexitHandler, tls=tls)
    st = DnsexitState(**kw)
    st.domains.update(domains)
    srv.state["dx"] = st
    srv.dx = st
    srv.endpoint = srv.url + PATH
    return srv
