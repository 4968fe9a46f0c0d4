"""A stateful mock of ClouDNS's DNS API: records.json, add-record.json,
mod-record.json, as ClouDNS's API documentation describes them.

Parameters come in the query string or a form body (ClouDNS takes both);
auth is auth-id (API user) or sub-auth-id / sub-auth-user (sub-user, who
sees only the zones delegated to him) with auth-password. Answers are
HTTP 200 with JSON; errors {"status":"Failed","statusDescription":...}.
records.json is an object keyed by record id, or [] when nothing matches.
ttl is required and must be one of ClouDNS's values.

    srv = start(servers, tls=ca)          # zone example.com
    srv.cd.add_record("example.com", "home", "A", "198.51.100.1")
    srv.cd.fail_next(429, headers={"Retry-After": "120"}, payload="...")
"""
import ipaddress
import itertools
import threading
import urllib.parse

from harness import MockHandler

AUTH_ID = "4321"
PASSWORD = "Cl0uDNS-api-p4ss/word"
SUB_USER = "ddns-sub"
SUB_ID = "777"
TTLS = {60, 300, 900, 1800, 3600, 21600, 43200, 86400, 172800, 259200,
        604800, 1209600, 2592000}


def failed(desc):
    return (200, {}, {"status": "Failed", "statusDescription": desc})


class ClouDNSState:
    def __init__(self):
        self.lock = threading.Lock()
        self.password = PASSWORD
        self.zones = {}         # zone -> {id: record}
        self.sub_zones = set()  # zones delegated to the sub-user
        self.faults = []
        self.ids = itertools.count(1234)

    def add_zone(self, z, delegated=True):
        with self.lock:
            self.zones[z] = {}
            if delegated:
                self.sub_zones.add(z)

    def add_record(self, z, host, type, value, ttl=3600):
        with self.lock:
            rid = str(next(self.ids))
            self.zones[z][rid] = {"id": rid, "type": type, "host": host,
                                  "record": value, "dynamicurl_status": 0,
                                  "failover": "0", "ttl": str(ttl),
                                  "status": 1}
            return rid

    def find(self, z, host, type=None):
        return [r for r in self.zones[z].values()
                if r["host"] == host and type in (None, r["type"])]

    def fail_next(self, status, count=1, headers=None, payload=""):
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
            p = {k: v[-1] for k, v in call.query.items()}
            if call.method == "POST":
                ct = (call.headers.get("Content-Type") or "").split(";")[0]
                if ct.strip() == "application/x-www-form-urlencoded":
                    form = urllib.parse.parse_qs(call.body.decode(),
                                                 keep_blank_values=True)
                    p.update({k: v[-1] for k, v in form.items()})
            if "auth-id" in p:
                ok = p["auth-id"] == AUTH_ID
                sub = False
            elif "sub-auth-id" in p or "sub-auth-user" in p:
                ok = p.get("sub-auth-id") == SUB_ID or \
                    p.get("sub-auth-user") == SUB_USER
                sub = True
            else:
                ok, sub = False, False
            if not ok or p.get("auth-password") != self.password:
                return failed("Invalid authentication, incorrect auth-id "
                              "or auth-password.")
            op = call.path.rsplit("/", 1)[-1]
            if not call.path.startswith("/dns/") or op not in (
                    "records.json", "add-record.json", "mod-record.json"):
                return (404, {}, "Not Found")
            z = p.get("domain-name")
            if not z or z not in self.zones or (sub and
                                                z not in self.sub_zones):
                return failed("Missing domain name")
            recs = self.zones[z]
            if op == "records.json":
                rs = {k: dict(r) for k, r in recs.items()
                      if ("host" not in p or r["host"] == p["host"]) and
                      ("type" not in p or r["type"] == p["type"])}
                return (200, {}, rs if rs else [])
            ttl = p.get("ttl", "")
            if not ttl.isdigit() or int(ttl) not in TTLS:
                return failed("Invalid TTL. Choose from the list of the "
                              "values we support.")
            if "host" not in p or "record" not in p:
                return failed("Missing host or record")
            if op == "add-record.json":
                t = p.get("record-type")
                if not self._valid(t, p["record"]):
                    return failed("Invalid record")
                rid = str(next(self.ids))
                recs[rid] = {"id": rid, "type": t, "host": p["host"],
                             "record": p["record"], "dynamicurl_status": 0,
                             "failover": "0", "ttl": ttl, "status": 1}
                return (200, {}, {"status": "Success", "statusDescription":
                                  "The record was added successfully.",
                                  "data": {"id": int(rid)}})
            old = recs.get(p.get("record-id", ""))
            if old is None:
                return failed("Invalid record-id")
            if not self._valid(old["type"], p["record"]):
                return failed("Invalid record")
            old.update(host=p["host"], record=p["record"], ttl=ttl)
            return (200, {}, {"status": "Success", "statusDescription":
                              "The record was modified successfully."})

    @staticmethod
    def _valid(t, value):
        try:
            if t == "A":
                ipaddress.IPv4Address(value)
            elif t == "AAAA":
                ipaddress.IPv6Address(value)
            else:
                return False
        except ValueError:
            return False
        return True


class ClouDNSHandler(MockHandler):
    def respond(self, call):
        return self.server.state["cd"].handle(call)


def start(servers, tls=None, zones=("example.com",)):
    srv = servers(ClouDNSHandler, tls=tls)
    st = ClouDNSState()
    for z in zones:
        st.add_zone(z)
    srv.state["cd"] = st
    srv.cd = st
    srv.endpoint = srv.url + "/dns"
    return srv
