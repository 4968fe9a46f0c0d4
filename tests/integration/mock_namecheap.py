"""A stateful mock of Namecheap's Dynamic DNS update, on loopback.

GET /update?host=&domain=&password=&ip= as Namecheap's knowledge base
describes it: the password is per domain (the Dynamic DNS password of the
domain's Advanced DNS page); only hosts that exist as "A + Dynamic DNS"
records are updated, never created; without ip= the client address is
taken. The answer is always HTTP 200 with an <interface-response> declared
utf-16 and sent in ASCII; errors are counted in <ErrCount> and told in
<errors><Err1>.

    srv = start(servers, tls=ca)          # example.com, host "home"
    srv.nc.add_host("example.com", "@")
    srv.nc.fail_next(429, headers={"Retry-After": "120"}, payload="...")
"""
import ipaddress
import threading
from xml.sax.saxutils import escape

from harness import MockHandler

PASSWORD = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"


def reply(ip=None, errors=(), numbers=()):
    """An <interface-response> as Namecheap writes it."""
    out = ['<?xml version="1.0" encoding="utf-16"?>',
           "<interface-response>",
           "  <Command>SETDNSHOST</Command>",
           "  <Language>eng</Language>"]
    if ip is not None:
        out.append("  <IP>%s</IP>" % escape(ip))
    out.append("  <ErrCount>%d</ErrCount>" % len(errors))
    if errors:
        out.append("  <errors>")
        for i, e in enumerate(errors, 1):
            out.append("    <Err%d>%s</Err%d>" % (i, escape(e), i))
        out.append("  </errors>")
        out.append("  <ResponseCount>%d</ResponseCount>" % len(numbers))
        out.append("  <responses>")
        for n, e in zip(numbers, errors):
            out += ["    <response>",
                    "      <ResponseNumber>%d</ResponseNumber>" % n,
                    "      <ResponseString>Validation error; %s"
                    "</ResponseString>" % escape(e),
                    "    </response>"]
        out.append("  </responses>")
    else:
        out += ["  <errors />", "  <ResponseCount>0</ResponseCount>",
                "  <responses />"]
    out += ["  <Done>true</Done>", "  <debug><![CDATA[]]></debug>",
            "</interface-response>"]
    return (200, {"Content-Type": "text/html; charset=utf-8"},
            "\r\n".join(out))


class NamecheapState:
    """Domains with their password and hosts; injected faults."""

    def __init__(self):
        self.lock = threading.Lock()
        self.domains = {}       # domain -> {"password", "hosts": {h: ip}}
        self.faults = []        # [count, status, headers, payload]

    def add_domain(self, domain, password=PASSWORD, hosts=("home",)):
        with self.lock:
            self.domains[domain] = {"password": password,
                                    "hosts": {h: "127.0.0.1" for h in hosts}}

    def add_host(self, domain, host, ip="127.0.0.1"):
        with self.lock:
            self.domains[domain]["hosts"][host] = ip

    def held(self, domain, host):
        return self.domains[domain]["hosts"].get(host)

    def fail_next(self, status, count=1, headers=None, payload=""):
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def handle(self, call, client):
        with self.lock:
            if self.faults:
                f = self.faults[0]
                f[0] -= 1
                if f[0] <= 0:
                    self.faults.pop(0)
                return (f[1], dict(f[2]), f[3])
            if call.path != "/update" or call.method != "GET":
                return (404, {}, "Not Found")
            q = {k: v[-1] for k, v in call.query.items()}
            dom = self.domains.get(q.get("domain", "").lower())
            if dom is None:
                return reply(errors=["Domain name not found"],
                             numbers=[316153])
            if q.get("password") != dom["password"]:
                return reply(errors=["Passwords do not match"],
                             numbers=[304156])
            ip = q.get("ip") or client
            try:
                ipaddress.IPv4Address(ip)
            except ValueError:
                return reply(errors=["Invalid IP"], numbers=[304156])
            host = q.get("host", "")
            if host not in dom["hosts"]:
                return reply(errors=["No Records updated. A record not "
                                     "Found;"], numbers=[380091])
            dom["hosts"][host] = ip
            return reply(ip=ip)


class NamecheapHandler(MockHandler):
    def respond(self, call):
        return self.server.state["nc"].handle(call, self.client_address[0])


def start(servers, tls=None, domains=("example.com",)):
    """Start a mock holding domains; .nc is its state, .endpoint its URL."""
    srv = servers(NamecheapHandler, tls=tls)
    st = NamecheapState()
    for d in domains:
        st.add_domain(d)
    srv.state["nc"] = st
    srv.nc = st
    srv.endpoint = srv.url + "/update"
    return srv
