"""A stateful mock of the netcup CCP DNS API (one JSON endpoint).

Shaped after netcup's API documentation: POST {"action","param"} to
/run/webservice/servers/endpoint.php?JSON; HTTP 200 always, the result in
"status" ("success"/"error") and "statuscode" (2000 success), with
shortmessage, longmessage and responsedata. login checks customernumber,
apikey and apipassword and hands out an apisessionid that every later
call must carry with the same customernumber and apikey (4001 otherwise);
logout ends it. As users have reported of the real service, a wrong API
key at login answers 4013 "More than 180 requests per minute ..."; the
texts for a wrong password and for a domain not in the account are not
published and are this mock's own (4013 and 5029). Records have string
ids, relative hostnames ("@" the apex); updateDnsRecords with an id
changes it, without one creates, and answers the zone's records.

    srv = start(servers, tls=ca)          # domains: example.com
    srv.nc.add_record("example.com", "home", "A", "198.51.100.1")
    srv.endpoint                          # for the "endpoint" config key
    srv.nc.throttle(count=1)
"""
import ipaddress
import itertools
import json
import secrets
import threading

from harness import MockHandler

PATH = "/run/webservice/servers/endpoint.php"
CUSTOMER = "12345"
APIKEY = "aBcDeFgHiJkLmNoPqRsTuVwXyZ012345"
APIPW = "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe"
LIMIT = ("More than 180 requests per minute. Please wait and retry later. "
         "Please contact our customer service to find out if the "
         "limitation of requests can be increased.")


def reply(action, status, code, short, long, data=""):
    return (200, {}, {"serverrequestid": secrets.token_urlsafe(12),
                      "clientrequestid": "", "action": action,
                      "status": status, "statuscode": code,
                      "shortmessage": short, "longmessage": long,
                      "responsedata": data})


def ok(action, short, data=""):
    return reply(action, "success", 2000, short, short, data)


def err(action, code, short, long):
    return reply(action, "error", code, short, long)


class NetcupState:
    """Domains, records, credentials, sessions, injected faults."""

    def __init__(self, customer=CUSTOMER, apikey=APIKEY, apipw=APIPW):
        self.lock = threading.Lock()
        self.customer, self.apikey, self.apipw = customer, apikey, apipw
        self.domains = set()
        self.records = {}       # id (str) -> record dict with "_domain"
        self.sessions = set()
        self.logins = self.logouts = 0
        self.faults = []
        self.ids = itertools.count(40100001)

    def add_domain(self, name):
        with self.lock:
            self.domains.add(name)

    def add_record(self, domain, host, type, dest):
        with self.lock:
            rid = str(next(self.ids))
            self.records[rid] = {"id": rid, "hostname": host, "type": type,
                                 "priority": "0", "destination": dest,
                                 "deleterecord": False, "state": "yes",
                                 "_domain": domain}
            return rid

    def find(self, domain, host, type=None):
        return [r for r in self.records.values()
                if r["_domain"] == domain and r["hostname"] == host
                and type in (None, r["type"])]

    def delete_record(self, rid):
        with self.lock:
            del self.records[rid]

    def fail_next(self, status=200, count=1, payload=None, action=None):
        """The next count calls (of action, or any) answer this."""
        with self.lock:
            self.faults.append([count, status, payload, action])

    def throttle(self, count=1, action="infoDnsRecords"):
        self.fail_next(200, count, {"status": "error", "statuscode": 4013,
                                    "shortmessage": "Validation Error.",
                                    "longmessage": LIMIT,
                                    "responsedata": ""}, action)

    @staticmethod
    def public(r):
        return {k: v for k, v in r.items() if not k.startswith("_")}

    def zone(self, d):
        return [self.public(r) for r in self.records.values()
                if r["_domain"] == d]

    def handle(self, call):
        try:
            req = json.loads(call.body.decode())
            action, p = req["action"], req["param"]
            assert isinstance(action, str) and isinstance(p, dict)
        except (ValueError, KeyError, AssertionError, AttributeError):
            return err("", 4013, "Validation Error.", "Invalid request")
        with self.lock:
            for f in self.faults:
                if f[3] in (None, action):
                    f[0] -= 1
                    if f[0] <= 0:
                        self.faults.remove(f)
                    return (f[1], {}, f[2])
            if call.path != PATH or "JSON" not in call.query:
                return (404, {}, "<html>Not Found</html>")
            if str(p.get("customernumber")) != self.customer:
                return err(action, 4013, "Validation Error.",
                           "Invalid entry for field customernumber")
            if action == "login":
                if p.get("apikey") != self.apikey:
                    return err(action, 4013, "Validation Error.", LIMIT)
                if p.get("apipassword") != self.apipw:
                    return err(action, 4013, "Validation Error.",
                               "Invalid entry for field apipassword")
                sid = secrets.token_urlsafe(24)
                self.sessions.add(sid)
                self.logins += 1
                return ok(action, "Login successful",
                          {"apisessionid": sid})
            if "apipassword" in p:
                return err(action, 4013, "Validation Error.",
                           "Unexpected field apipassword")
            if p.get("apikey") != self.apikey or \
                    p.get("apisessionid") not in self.sessions:
                return err(action, 4001, "Api session id in invalid "
                           "format", "The session id is not in a valid "
                           "format.")
            if action == "logout":
                self.sessions.discard(p["apisessionid"])
                self.logouts += 1
                return ok(action, "Logout successful")
            d = p.get("domainname")
            if action in ("infoDnsRecords", "updateDnsRecords") and \
                    d not in self.domains:
                return err(action, 5029, "Can not get DNS records for "
                           "zone.", "Domain not found.")
            if action == "infoDnsRecords":
                return ok(action, "DNS records found",
                          {"dnsrecords": self.zone(d)})
            if action == "updateDnsRecords":
                return self.update(d, p.get("dnsrecordset"))
            return err(action, 4013, "Validation Error.", "Unknown action")

    def update(self, d, rs):
        a = "updateDnsRecords"
        try:
            recs = rs["dnsrecords"]
            assert isinstance(recs, list) and recs
        except (TypeError, KeyError, AssertionError):
            return err(a, 4013, "Validation Error.",
                       "Invalid entry for field dnsrecordset")
        for r in recs:
            t, dest = r.get("type"), r.get("destination")
            try:
                if t == "A":
                    ipaddress.IPv4Address(dest)
                elif t == "AAAA":
                    ipaddress.IPv6Address(dest)
                else:
                    raise ValueError
            except (ValueError, TypeError):
                return err(a, 4013, "Validation Error.",
                           "Invalid destination for type %s" % t)
            if "id" in r:
                cur = self.records.get(r["id"])
                if cur is None or cur["_domain"] != d:
                    return err(a, 5030, "DNS record not found.",
                               "The record with id %s does not exist."
                               % r["id"])
                cur.update(hostname=r["hostname"], type=t,
                           destination=dest)
            else:
                rid = str(next(self.ids))
                self.records[rid] = {"id": rid, "hostname": r["hostname"],
                                     "type": t, "priority": "0",
                                     "destination": dest,
                                     "deleterecord": False, "state": "yes",
                                     "_domain": d}
        return ok(a, "DNS records successful updated",
                  {"dnsrecords": self.zone(d)})


class NetcupHandler(MockHandler):
    def respond(self, call):
        return self.server.state["nc"].handle(call)


def start(servers, tls=None, domains=("example.com",), **kw):
    """Start a mock holding domains; .nc is its state, .endpoint its URL."""
    srv = servers(NetcupHandler, tls=tls)
    st = NetcupState(**kw)
    for d in domains:
        st.add_domain(d)
    srv.state["nc"] = st
    srv.nc = st
    srv.endpoint = srv.url + PATH + "?JSON"
    return srv
