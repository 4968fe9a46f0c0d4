"""A stateful mock of NameSilo's API: dnsListRecords, dnsAddRecord,
dnsUpdateRecord, as NameSilo's API reference describes them.

Every call is GET /api/<operation>?version=1&type=json&key=<key>&...; the
answer is HTTP 200 with {"request":{...},"reply":{"code":N,"detail":...}},
300 meaning success (109 no key, 110 invalid key, 200 domain not in the
account, 280 DNS modification error, 108 missing parameters ...). Records
are listed with their FULL host name and written with rrhost relative to
the domain ("" for the apex). dnsUpdateRecord gives the record a new
record_id and resets its TTL to 7207 when rrttl is absent.

    srv = start(servers, tls=ca)          # domain example.com
    srv.ns.add_record("example.com", "home", "A", "198.51.100.1")
    srv.ns.fail_next(429, headers={"Retry-After": "120"}, payload="...")
"""
import ipaddress
import itertools
import threading

from harness import MockHandler

KEY = "8a9b0c1d2e3f4a5b6c7d8e9f"
PREFIX = "/api/"


def answer(op, code, detail, **extra):
    reply = {"code": code, "detail": detail}
    reply.update(extra)
    return (200, {"Content-Type": "application/json"},
            {"request": {"operation": op, "ip": "127.0.0.1"},
             "reply": reply})


class NameSiloState:
    def __init__(self, key=KEY):
        self.lock = threading.Lock()
        self.key = key
        self.domains = {}       # domain -> {record_id: record}
        self.faults = []
        self.ids = itertools.count(0x1a2b3c4d5e)
        self.single_as_object = True    # one record: an object, not a list

    def add_domain(self, d):
        with self.lock:
            self.domains[d] = {}

    def _new_id(self):
        return "%x%s" % (next(self.ids), "f7g8h9i")

    def add_record(self, d, host, type, value, ttl=7207):
        with self.lock:
            fq = d if host in ("", "@") else host + "." + d
            rid = self._new_id()
            self.domains[d][rid] = {"record_id": rid, "type": type,
                                    "host": fq, "value": value,
                                    "ttl": str(ttl), "distance": 0}
            return rid

    def find(self, d, fq, type=None):
        return [r for r in self.domains[d].values()
                if r["host"] == fq and type in (None, r["type"])]

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
            if call.method != "GET" or not call.path.startswith(PREFIX):
                return (404, {}, "Not Found")
            op = call.path[len(PREFIX):]
            q = {k: v[-1] for k, v in call.query.items()}
            if q.get("version") != "1":
                return answer(op, 102, "No version specified")
            if q.get("type") != "json":
                return answer(op, 104, "No type specified")
            if not q.get("key"):
                return answer(op, 109, "No API key specified")
            if q["key"] != self.key:
                return answer(op, 110, "Invalid API Key")
            if op not in ("dnsListRecords", "dnsAddRecord",
                          "dnsUpdateRecord"):
                return answer(op, 107, "Invalid API operation")
            d = q.get("domain")
            if not d:
                return answer(op, 108, "Missing parameters for the "
                              "specified operation")
            if d not in self.domains:
                return answer(op, 200, "Domain is not active, or does not "
                              "belong to this user")
            recs = self.domains[d]
            if op == "dnsListRecords":
                rs = list(recs.values())
                if not rs:
                    return answer(op, 300, "success")
                if len(rs) == 1 and self.single_as_object:
                    return answer(op, 300, "success",
                                  resource_record=dict(rs[0]))
                return answer(op, 300, "success",
                              resource_record=[dict(r) for r in rs])
            if "rrhost" not in q or "rrvalue" not in q:
                return answer(op, 108, "Missing parameters for the "
                              "specified operation")
            host = q["rrhost"]
            fq = d if host == "" else host + "." + d
            ttl = q.get("rrttl", "7207")
            if not ttl.isdigit():
                return answer(op, 280, "DNS modification error")
            if op == "dnsAddRecord":
                t = q.get("rrtype")
                if not self._valid(t, q["rrvalue"]):
                    return answer(op, 280, "DNS modification error")
                rid = self._new_id()
                recs[rid] = {"record_id": rid, "type": t, "host": fq,
                             "value": q["rrvalue"], "ttl": ttl,
                             "distance": 0}
                return answer(op, 300, "success", record_id=rid)
            old = recs.get(q.get("rrid", ""))
            if old is None or not self._valid(old["type"], q["rrvalue"]):
                return answer(op, 280, "DNS modification error")
            del recs[old["record_id"]]
            rid = self._new_id()
            recs[rid] = dict(old, record_id=rid, host=fq,
                             value=q["rrvalue"], ttl=ttl)
            return answer(op, 300, "success", record_id=rid)

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


class NameSiloHandler(MockHandler):
    def respond(self, call):
        return self.server.state["ns"].handle(call)


def start(servers, tls=None, domains=("example.com",)):
    srv = servers(NameSiloHandler, tls=tls)
    st = NameSiloState()
    for d in domains:
        st.add_domain(d)
    srv.state["ns"] = st
    srv.ns = st
    srv.endpoint = srv.url + "/api"
    return srv
