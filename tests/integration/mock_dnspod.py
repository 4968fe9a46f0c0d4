"""A stateful mock of the legacy DNSPod token API (dnsapi.cn): Record.List,
Record.Create and Record.Modify, as form POSTs to /<Action>.

Replies are JSON {"status":{"code","message","created_at"},...} with HTTP
200 whatever the code, as DNSPod answers. login_token ("ID,TOKEN") is
checked on every call; 30 failed logins ban the account (-8); a record
written with an unchanged value more than five times is locked, and every
such write is counted so tests can insist there are none.

    srv = start(servers, tls=ca)                 # domains: example.com
    srv.dp.add_record("example.com", "home", "A", "198.51.100.1")
    srv.dp.throttle(count=1)
    srv.dp.fail_next(200, payload="<html>")
"""
import threading
import time
import urllib.parse

from harness import MockHandler

TOKEN = "13490,6b5976c68aba5b14a0558b77c17c3932"
LINES = {"默认": "0", "电信": "10=0", "联通": "10=1", "移动": "10=3",
         "境外": "3=0"}


def status(code, message):
    return {"code": str(code), "message": message,
            "created_at": time.strftime("%Y-%m-%d %H:%M:%S")}


def fail(code, message):
    return (200, {}, {"status": status(code, message)})


def ok(doc):
    doc = dict(doc)
    doc["status"] = status(1, "Action completed successful")
    return (200, {}, doc)


class DnspodState:
    """Domains, records, the token and injected faults. Thread-safe."""

    def __init__(self, token=TOKEN):
        self.lock = threading.Lock()
        self.token = token
        self.domains = {}       # name -> id
        self.records = {}       # id (int) -> dict
        self.next_id = 16894439
        self.faults = []
        self.failed_logins = 0
        self.nochange_writes = 0
        self.actions = []       # (action, form dict) accepted
        self.agents = []        # User-Agent of every request

    def add_domain(self, name):
        self.domains[name] = str(2317346 + len(self.domains))

    def add_record(self, domain, sub, type, value, line="默认", ttl=600):
        with self.lock:
            return self._create(domain, sub, type, value, line, ttl)

    def find(self, domain, sub, type=None):
        return [r for r in self.records.values()
                if r["domain"] == domain and r["name"] == sub
                and type in (None, r["type"])]

    def fail_next(self, status_, count=1, headers=None, payload=None):
        if payload is None:
            payload = {"status": status(-99, "Service unavailable")}
        with self.lock:
            self.faults.append([count, status_, headers or {}, payload])

    def throttle(self, count=1):
        self.fail_next(200, count, payload={"status": status(
            -2, "API usage is limited")})

    def writes(self):
        return [a for a in self.actions if a[0] != "Record.List"]

    def _create(self, domain, sub, type, value, line, ttl):
        rid = self.next_id
        self.next_id += 1
        self.records[rid] = {"id": str(rid), "domain": domain, "name": sub,
                             "type": type, "value": value, "line": line,
                             "line_id": LINES[line], "ttl": str(ttl),
                             "mx": "0", "enabled": "1", "status": "enabled",
                             "monitor_status": "", "remark": "",
                             "weight": None, "use_aqb": "no",
                             "nochange": 0, "updated_on":
                             time.strftime("%Y-%m-%d %H:%M:%S")}
        return rid

    def handle(self, call):
        with self.lock:
            self.agents.append(call.headers.get("User-Agent"))
            if self.faults:
                f = self.faults[0]
                f[0] -= 1
                if f[0] <= 0:
                    self.faults.pop(0)
                return (f[1], dict(f[2]), f[3])
            action = call.path.lstrip("/")
            ct = call.headers.get("Content-Type") or ""
            if call.method != "POST" or not ct.startswith(
                    "application/x-www-form-urlencoded"):
                return fail(-1, "Login fail, please check login info")
            try:
                form = urllib.parse.parse_qs(call.body.decode("utf-8"),
                                             keep_blank_values=True,
                                             strict_parsing=True,
                                             errors="strict")
            except (ValueError, UnicodeDecodeError):
                return fail(-1, "Login fail, please check login info")
            if any(len(v) != 1 for v in form.values()):
                return fail(2, "Invalid parameters")
            form = {k: v[0] for k, v in form.items()}
            if form.get("format") != "json":
                return (200, {"Content-Type": "text/xml"},
                        "<dnspod><status><code>-1</code></status></dnspod>")
            if self.failed_logins >= 30:
                return fail(-8, "Too many login failures, account "
                            "temporarily banned")
            if form.get("login_token") != self.token:
                self.failed_logins += 1
                return fail(-1, "Login fail, please check login info")
            h = {"Record.List": self.list, "Record.Create": self.create,
                 "Record.Modify": self.modify}.get(action)
            if h is None:
                return fail(-99, "Unknown action")
            r = h(form)
            if r[2]["status"]["code"] == "1":
                self.actions.append((action, form))
            return r

    def _domain(self, form):
        d = form.get("domain")
        if d not in self.domains:
            return None, fail(6, "Domain ID invalid")
        return d, None

    def list(self, form):
        d, e = self._domain(form)
        if e:
            return e
        rs = [r for r in self.records.values() if r["domain"] == d]
        if "sub_domain" in form:
            rs = [r for r in rs if r["name"] == form["sub_domain"].lower()]
        if "record_type" in form:
            rs = [r for r in rs if r["type"] == form["record_type"]]
        if not rs and form.get("error_on_empty", "yes") != "no":
            return fail(10, "No records")
        out = [{k: v for k, v in r.items() if k not in ("domain",
                                                        "nochange")}
               for r in rs]
        return ok({"domain": {"id": self.domains[d], "name": d,
                              "punycode": d, "grade": "DP_Free"},
                   "info": {"sub_domains": str(len(out)),
                            "record_total": str(len(out))},
                   "records": out})

    def _check(self, form):
        t, v = form.get("record_type"), form.get("value")
        line = form.get("record_line")
        if t not in ("A", "AAAA", "CNAME", "TXT", "MX"):
            return fail(27, "Record type invalid")
        if line not in LINES:
            return fail(26, "Record line invalid")
        if not v:
            return fail(34, "Record value invalid")
        try:
            ttl = int(form.get("ttl", "600"))
        except ValueError:
            return fail(32, "TTL invalid")
        if not 1 <= ttl <= 604800:
            return fail(32, "TTL invalid")
        sub = form.get("sub_domain", "@").lower()
        return sub, t, v, line, ttl

    def create(self, form):
        d, e = self._domain(form)
        if e:
            return e
        c = self._check(form)
        if len(c) != 5:
            return c
        sub, t, v, line, ttl = c
        for r in self.records.values():
            if (r["domain"], r["name"], r["type"], r["line"], r["value"]) \
                    == (d, sub, t, line, v):
                return fail(104, "Record already exists")
        rid = self._create(d, sub, t, v, line, ttl)
        return ok({"record": {"id": str(rid), "name": sub,
                              "status": "enabled"}})

    def modify(self, form):
        d, e = self._domain(form)
        if e:
            return e
        try:
            r = self.records[int(form.get("record_id", ""))]
        except (ValueError, KeyError):
            return fail(8, "Record id invalid")
        if r["domain"] != d:
            return fail(8, "Record id invalid")
        c = self._check(form)
        if len(c) != 5:
            return c
        sub, t, v, line, ttl = c
        if r["nochange"] > 5:
            return fail(21, "Record is locked: too many updates without "
                        "a change")
        if (r["name"], r["type"], r["value"], r["line"], r["ttl"]) == \
                (sub, t, v, line, str(ttl)):
            r["nochange"] += 1
            self.nochange_writes += 1
        r.update({"name": sub, "type": t, "value": v, "line": line,
                  "line_id": LINES[line], "ttl": str(ttl)})
        return ok({"record": {"id": int(r["id"]), "name": sub, "value": v,
                              "status": "enable"}})


class DnspodHandler(MockHandler):
    def respond(self, call):
        return self.server.state["dp"].handle(call)


def start(servers, tls=None, domains=("example.com",), **kw):
    """Start a mock holding domains; the server has .dp and .endpoint."""
    srv = servers(DnspodHandler, tls=tls)
    dp = DnspodState(**kw)
    for d in domains:
        dp.add_domain(d)
    srv.state["dp"] = dp
    srv.dp = dp
    srv.endpoint = srv.url
    return srv
