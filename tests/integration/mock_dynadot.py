"""A stateful mock of Dynadot's RESTful API v2: a domain's DNS records.

Shaped after https://www.dynadot.com/domain/api-document (GET_DNS, SET_DNS,
REMOVE_DNS under /restful/v2/domains/{domain}/records) and the reply shape
public clients read. Every request needs "Authorization: Bearer <key>" and
"X-Signature": base64(HMAC-SHA256(secret, key + "\\n" + path?query + "\\n" +
X-Request-ID (or "") + "\\n" + body)), recomputed here with hmac/hashlib;
401 {"code":401,"message":...} otherwise. Replies are {"code","message",
"data"}. A domain not in the account: 404.

SET_DNS without add_dns_to_current_setting REPLACES every record of the
domain, as Dynadot documents; a SET_DNS on a domain not served by Dynadot
DNS switches it to DNS and drops its setting. Tests compare the records
before and after (DynadotState.snapshot()) so a lost record fails them.

    st = DynadotState(); st.add_domain("example.com", main=[...], sub=[...])
    srv = servers(handler(st)); endpoint = srv.url
    st.fail_next(429, headers={"Retry-After": "120"})
"""
import base64
import hashlib
import hmac
import json
import threading

from harness import MockHandler

KEY = "DDkey0123456789ABCDEFghij"
SECRET = "DDsecret-9876543210zyxwvu"
PREFIX = "/restful/v2/domains/"


def signature(key, secret, path, rid, body):
    msg = "\n".join([key, path, rid, body]).encode()
    return base64.b64encode(hmac.new(secret.encode(), msg,
                                     hashlib.sha256).digest()).decode()


def err(status, message):
    return status, {}, {"code": status, "message": message}


class DynadotState:
    def __init__(self, key=KEY, secret=SECRET):
        self.lock = threading.Lock()
        self.key = key
        self.secret = secret
        self.domains = {}
        self.faults = []        # [count, method or None, status, hdrs, body]
        self.writes = []        # (method, domain, body dict)

    def add_domain(self, name, main=(), sub=(), ttl="300", glue="DNS"):
        """main: [(type, value[, value2])]; sub: [(host, type, value...)]"""
        d = {"glue_type": glue, "ttl": ttl, "main": [], "sub": []}
        for m in main:
            d["main"].append(self._item(None, *m))
        for s in sub:
            d["sub"].append(self._item(*s))
        self.domains[name] = d

    @staticmethod
    def _item(host, type, value, value2=None):
        it = {"record_type": type, "record_value1": value}
        if value2 is not None:
            it["record_value2"] = value2
        if host is not None:
            it["sub_host"] = host
        return it

    def snapshot(self, name):
        """The domain's records as a set of (host or "@", TYPE, value,
        value2), and its ttl and glue type."""
        d = self.domains[name]
        recs = set()
        for it in d["main"] + d["sub"]:
            recs.add((it.get("sub_host", "@"), it["record_type"].upper(),
                      it["record_value1"], it.get("record_value2")))
        return recs, d["ttl"], d["glue_type"]

    def values(self, name, host, type):
        return sorted(r[2] for r in self.snapshot(name)[0]
                      if r[0] == host and r[1] == type)

    def fail_next(self, status, count=1, method=None, headers=None,
                  payload=None):
        if payload is None:
            payload = {"code": status, "message": "Too many requests"
                       if status == 429 else "Internal Server Error"}
        self.faults.append([count, method, status, headers or {}, payload])


def handler(state):
    class DynadotHandler(MockHandler):
        st = state

        def respond(self, call):
            st = self.st
            with st.lock:
                return self._respond(st, call)

        def _respond(self, st, call):
            body = call.body.decode() if call.body else ""
            auth = call.headers.get("Authorization") or ""
            if auth != "Bearer " + st.key:
                return err(401, "Invalid API key")
            rid = call.headers.get("X-Request-ID") or ""
            if call.query:
                return err(400, "unexpected query")
            want = signature(st.key, st.secret, call.path, rid, body)
            if call.headers.get("X-Signature") != want:
                return err(401, "Invalid signature")
            for f in st.faults:
                if f[0] > 0 and f[1] in (None, call.method):
                    f[0] -= 1
                    return f[2], f[3], f[4]
            if not (call.path.startswith(PREFIX) and
                    call.path.endswith("/records")):
                return err(404, "Not Found")
            name = call.path[len(PREFIX):-len("/records")]
            d = st.domains.get(name)
            if d is None:
                return err(404, "Domain not found")
            if call.method == "GET":
                return 200, {}, {"code": 200, "message": "Success", "data": {
                    "glue_info": {"glue_type": d["glue_type"],
                                  "ttl": d["ttl"],
                                  "dns_main_list": d["main"],
                                  "dns_sub_list": d["sub"]}}}
            try:
                req = json.loads(body)
            except ValueError:
                return err(400, "Bad Request")
            items = [(None, it) for it in req.get("dns_main_list", [])] + \
                [("sub", it) for it in req.get("dns_sub_list", [])]
            for kind, it in items:
                if "record_type" in it and "record_value1" not in it:
                    return err(400, "if record_type is entered, "
                                    "record_value1 must be entered")
                if kind == "sub" and not it.get("sub_host"):
                    return err(400, "sub_host is required")
            st.writes.append((call.method, name, req))
            if call.method == "POST":
                if d["glue_type"] != "DNS":
                    d.update(glue_type="DNS", main=[], sub=[])
                if not req.get("add_dns_to_current_setting"):
                    d["main"], d["sub"] = [], []
                if "ttl" in req:
                    d["ttl"] = str(req["ttl"])
                for kind, it in items:
                    lst = d["sub"] if kind else d["main"]
                    if not any(self._same(x, it) for x in lst):
                        lst.append(dict(it))
                return 200, {}, {"code": 200, "message": "Success"}
            if call.method == "DELETE":
                counts = {"main": 0, "sub": 0}
                for kind, it in items:
                    key = "sub" if kind else "main"
                    keep = [x for x in d[key] if not self._same(x, it)]
                    counts[key] += len(d[key]) - len(keep)
                    d[key] = keep
                return 200, {}, {"code": 200, "message": "Success", "data": {
                    "main_record_removed_count": counts["main"],
                    "sub_record_removed_count": counts["sub"]}}
            return err(405, "Method Not Allowed")

        @staticmethod
        def _same(x, it):
            return (x.get("sub_host") == it.get("sub_host") and
                    x["record_type"].lower() == it["record_type"].lower()
                    and x["record_value1"] == it["record_value1"])

    return DynadotHandler
