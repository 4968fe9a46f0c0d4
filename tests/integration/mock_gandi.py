"""A stateful mock of Gandi's LiveDNS API v5: record sets of a domain.

Shaped after api.gandi.net/docs/livedns: auth is "Authorization: Bearer
<personal access token>" (or the deprecated "Apikey <key>"); a record set
lives at /v5/livedns/domains/{fqdn}/records/{name}/{type}; GET answers
{rrset_name, rrset_type, rrset_ttl, rrset_values, rrset_href} or 404; PUT
{rrset_values, rrset_ttl} creates or replaces it and answers 201 {"message":
"DNS Record Created"}; errors are {code, message, object, cause} plus
"errors" on a 400; rrset_ttl runs from 300 to 2592000.

    srv = start(servers, tls=ca)          # domains: example.com
    srv.gn.add_rrset("example.com", "home", "A", ["198.51.100.1"])
    srv.endpoint                          # for the "endpoint" config key
"""
import ipaddress
import json
import re
import threading
import urllib.parse

from harness import MockHandler

PREFIX = "/v5/livedns"
TOKEN = "pat_3f0e6a91-7c2b-4d2e-9b1a-0c8d5e7f2a64"
APIKEY = "Ke7wQ9zLr2TbXv1sYp4Nd8Hm"


def error(status, cause, message, obj, errors=None, headers=None):
    doc = {"code": status, "message": message, "object": obj,
           "cause": cause}
    if errors:
        doc["errors"] = errors
    return (status, headers or {}, doc)


def unauthorized():
    return error(401, "Unauthorized", "The server could not verify that you "
                 "authenticated to access the requested URL.",
                 "HTTPUnauthorized")


class GandiState:
    """Domains, their record sets, the credentials, faults."""

    def __init__(self, token=TOKEN, apikey=None):
        self.lock = threading.Lock()
        self.token = token
        self.apikey = apikey
        self.allowed = None         # domains the token may touch (None: all)
        self.domains = {}           # fqdn -> {(name, type): rrset}
        self.faults = []

    def add_domain(self, fqdn):
        with self.lock:
            self.domains[fqdn] = {}

    def add_rrset(self, fqdn, name, type, values, ttl=10800):
        with self.lock:
            self.domains[fqdn][(name, type)] = {
                "rrset_name": name, "rrset_type": type, "rrset_ttl": ttl,
                "rrset_values": list(values)}

    def rrset(self, fqdn, name, type):
        return self.domains[fqdn].get((name, type))

    def fail_next(self, status, count=1, headers=None, payload=None):
        if payload is None:
            payload = {"code": status, "message": "Internal Server Error",
                       "object": "HTTPInternalServerError",
                       "cause": "Internal Server Error"}
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def auth(self, call):
        a = call.headers.get("Authorization") or ""
        m = re.fullmatch(r"(Bearer|Apikey) (\S+)", a)
        if m is None:
            return unauthorized()
        if m.group(1) == "Bearer" and (self.token is None or
                                       m.group(2) != self.token):
            return unauthorized()
        if m.group(1) == "Apikey" and (self.apikey is None or
                                       m.group(2) != self.apikey):
            return unauthorized()
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
            m = re.fullmatch(re.escape(PREFIX) +
                             r"/domains/([^/]+)/records/([^/]+)/([^/]+)",
                             call.path)
            if m is None:
                return error(404, "Not Found", "The resource could not be "
                             "found.", "HTTPNotFound")
            d, name, t = (urllib.parse.unquote(g) for g in m.groups())
            if self.allowed is not None and d not in self.allowed:
                return error(403, "Forbidden", "Access was denied to this "
                             "resource.", "HTTPForbidden")
            if d not in self.domains:
                return error(404, "Not Found", "The resource could not be "
                             "found.", "HTTPNotFound")
            if call.method == "GET":
                rs = self.rrset(d, name, t)
                if rs is None:
                    return error(404, "Not Found", "Can't find the DNS "
                                 "record %s/%s in LiveDNS" % (name, t),
                                 "HTTPNotFound")
                doc = dict(rs)
                doc["rrset_href"] = "https://api.gandi.net%s" % call.path
                return (200, {}, doc)
            if call.method != "PUT":
                return error(405, "Method Not Allowed", "The method is not "
                             "allowed for the requested URL.",
                             "HTTPMethodNotAllowed")
            ct = (call.headers.get("Content-Type") or "").split(";")[0]
            try:
                body = json.loads(call.body.decode())
            except ValueError:
                body = None
            if ct.strip() != "application/json" or \
                    not isinstance(body, dict):
                return error(400, "Bad Request", "Bad Request",
                             "HTTPBadRequest", [{"location": "body",
                                                 "name": "body",
                                                 "description":
                                                 "Invalid JSON"}])
            errs = []
            vals = body.get("rrset_values")
            if not isinstance(vals, list) or not vals:
                errs.append({"location": "body", "name": "rrset_values",
                             "description": "Required"})
            else:
                for v in vals:
                    try:
                        if t == "A":
                            ipaddress.IPv4Address(v)
                        elif t == "AAAA":
                            ipaddress.IPv6Address(v)
                    except (ValueError, TypeError):
                        errs.append({"location": "body",
                                     "name": "rrset_values",
                                     "description": "%r is not a valid %s "
                                     "value" % (v, t)})
            ttl = body.get("rrset_ttl", 10800)
            if isinstance(ttl, bool) or not isinstance(ttl, int) or \
                    not 300 <= ttl <= 2592000:
                errs.append({"location": "body", "name": "rrset_ttl",
                             "description": "%s is not between 300 and "
                             "2592000" % ttl})
            if errs:
                return error(400, "Bad Request", "Bad Request",
                             "HTTPBadRequest", errs)
            self.domains[d][(name, t)] = {
                "rrset_name": name, "rrset_type": t, "rrset_ttl": ttl,
                "rrset_values": list(vals)}
            return (201, {}, {"message": "DNS Record Created"})


class GandiHandler(MockHandler):
    def respond(self, call):
        return self.server.state["gn"].handle(call)


def start(servers, tls=None, domains=("example.com",), **kw):
    """Start a mock holding domains; .gn is its state, .endpoint its URL."""
    srv = servers(GandiHandler, tls=tls)
    st = GandiState(**kw)
    for d in domains:
        st.add_domain(d)
    srv.state["gn"] = st
    srv.gn = st
    srv.endpoint = srv.url + PREFIX
    return srv
