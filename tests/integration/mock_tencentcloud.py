"""A stateful mock of Tencent Cloud's DNSPod API 3.0 (2021-03-23): the parts
ddnsup uses (DescribeRecordList, CreateRecord, ModifyRecord).

Every request is a POST of JSON to "/" with X-TC-Action, X-TC-Version,
X-TC-Timestamp and a TC3-HMAC-SHA256 Authorization header; the signature is
recomputed here from the raw request (own implementation: hashlib/hmac),
over whatever SignedHeaders names, values trimmed and lower-cased, as the
service documents. Errors are HTTP 200 with
{"Response":{"Error":{"Code","Message"},"RequestId"}}, as the service sends.

    srv = start(servers, tls=ca)                 # domains: example.com
    srv.tc.add_record("example.com", "home", "A", "198.51.100.1")
    srv.endpoint                                 # for the "endpoint" key
    srv.tc.throttle(count=1)
    srv.tc.fail_next(200, payload="<html>")
"""
import datetime
import hashlib
import hmac
import ipaddress
import json
import re
import threading
import time
import uuid

from harness import MockHandler

SECRET_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"
SECRET_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
LINES = ("默认", "电信", "联通", "移动", "教育网", "境内", "境外", "搜索引擎")
AUTH_RE = re.compile(r"TC3-HMAC-SHA256 Credential=([^/]+)/(\d{4}-\d{2}-\d{2})/"
                     r"([a-z0-9]+)/tc3_request, SignedHeaders=([a-z0-9;.-]+), "
                     r"Signature=([0-9a-f]{64})")


def fail(code, message):
    return (200, {}, {"Response": {"Error": {"Code": code,
                                             "Message": message},
                                   "RequestId": str(uuid.uuid4())}})


def ok(doc):
    doc = dict(doc)
    doc["RequestId"] = str(uuid.uuid4())
    return (200, {}, {"Response": doc})


def tc3_signature(secret_key, service, headers, signed, body, ts):
    """Signature over a POST to / with the named headers (a Message)."""
    canon = "".join("%s:%s\n" % (n, (headers.get(n) or "").strip().lower())
                    for n in signed)
    cr = "\n".join(["POST", "/", "", canon, ";".join(signed),
                    hashlib.sha256(body).hexdigest()])
    date = datetime.datetime.fromtimestamp(
        ts, datetime.timezone.utc).strftime("%Y-%m-%d")
    sts = "\n".join(["TC3-HMAC-SHA256", str(ts),
                     "%s/%s/tc3_request" % (date, service),
                     hashlib.sha256(cr.encode()).hexdigest()])

    def h(k, m):
        return hmac.new(k, m.encode(), hashlib.sha256).digest()
    k = h(h(h(("TC3" + secret_key).encode(), date), service), "tc3_request")
    return hmac.new(k, sts.encode(), hashlib.sha256).hexdigest(), date


class TencentState:
    """Domains, records, credentials and injected faults. Thread-safe."""

    def __init__(self, secret_id=SECRET_ID, secret_key=SECRET_KEY):
        self.lock = threading.Lock()
        self.secret_id = secret_id
        self.secret_key = secret_key
        self.domains = set()
        self.records = {}       # RecordId (int) -> record dict
        self.next_id = 556507778
        self.faults = []        # [count, status, headers, payload]
        self.skew = 0           # seconds added to the server's clock
        self.actions = []       # (action, body dict) of accepted requests

    # ---- set-up and inspection, for tests ------------------------------
    def add_domain(self, name):
        self.domains.add(name)

    def add_record(self, domain, sub, type, value, line="默认", ttl=600):
        with self.lock:
            return self._create(domain, sub, type, value, line, ttl)

    def find(self, domain, sub, type=None):
        return [r for r in self.records.values()
                if r["Domain"] == domain and r["Name"] == sub
                and type in (None, r["Type"])]

    def fail_next(self, status, count=1, headers=None, payload=None):
        if payload is None:
            payload = fail("InternalError", "An internal error has "
                           "occurred. Retry your request.")[2]
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def throttle(self, count=1):
        self.fail_next(200, count, payload=fail(
            "RequestLimitExceeded", "Your current request is too frequent. "
            "Please try again later.")[2])

    def writes(self):
        return [a for a in self.actions if a[0] != "DescribeRecordList"]

    # ---- internals ----------------------------------------------------
    def _create(self, domain, sub, type, value, line, ttl):
        rid = self.next_id
        self.next_id += 1
        self.records[rid] = {"RecordId": rid, "Domain": domain, "Name": sub,
                             "Type": type, "Value": value, "Line": line,
                             "LineId": "0", "TTL": ttl, "Status": "ENABLE",
                             "MX": 0, "Weight": None, "Remark": "",
                             "MonitorStatus": "", "DefaultNS": False,
                             "UpdatedOn": time.strftime("%Y-%m-%d %H:%M:%S")}
        return rid

    def auth(self, call):
        """None if the signature is good, else the refusal."""
        a = call.headers.get("Authorization")
        m = AUTH_RE.fullmatch(a or "")
        if m is None:
            return fail("AuthFailure.InvalidAuthorization",
                        "Authorization header format error.")
        sid, date, service, signed, sig = m.groups()
        signed = signed.split(";")
        try:
            ts = int(call.headers.get("X-TC-Timestamp") or "")
        except ValueError:
            return fail("MissingParameter", "The request is missing a "
                        "required parameter `Timestamp`.")
        if abs(ts - (time.time() + self.skew)) > 300:
            return fail("AuthFailure.SignatureExpire", "Signature expired. "
                        "Timestamp and server time cannot differ by more "
                        "than five minutes.")
        if sid != self.secret_id:
            return fail("AuthFailure.SecretIdNotFound", "The SecretId is not "
                        "found, please ensure that your SecretId is correct.")
        if ("content-type" not in signed or "host" not in signed
                or signed != sorted(signed) or service != "dnspod"):
            return fail("AuthFailure.SignatureFailure", "The provided "
                        "credentials could not be validated. Please check "
                        "your signature is correct.")
        want, wdate = tc3_signature(self.secret_key, service, call.headers,
                                    signed, call.body, ts)
        if date != wdate or not hmac.compare_digest(want, sig):
            return fail("AuthFailure.SignatureFailure", "The provided "
                        "credentials could not be validated. Please check "
                        "your signature is correct.")
        return None

    def handle(self, call):
        with self.lock:
            if self.faults:
                f = self.faults[0]
                f[0] -= 1
                if f[0] <= 0:
                    self.faults.pop(0)
                return (f[1], dict(f[2]), f[3])
            if call.method != "POST" or call.path != "/":
                return fail("UnsupportedOperation", "Only POST / is "
                            "accepted here.")
            refused = self.auth(call)
            if refused is not None:
                return refused
            if call.headers.get("X-TC-Version") != "2021-03-23":
                return fail("InvalidParameter.Version", "Version is wrong.")
            ct = call.headers.get("Content-Type") or ""
            if ct.split(";")[0].strip().lower() != "application/json":
                return fail("InvalidParameter", "Content-Type must be "
                            "application/json.")
            try:
                body = json.loads(call.body.decode())
                assert isinstance(body, dict)
            except (ValueError, AssertionError):
                return fail("InvalidParameter", "Request body is not JSON.")
            action = call.headers.get("X-TC-Action")
            h = {"DescribeRecordList": self.list, "CreateRecord": self.create,
                 "ModifyRecord": self.modify}.get(action)
            if h is None:
                return fail("InvalidAction", "The action %s is not found."
                            % action)
            r = h(body)
            if "Error" not in r[2]["Response"]:
                self.actions.append((action, body))
            return r

    def _domain(self, body):
        d = body.get("Domain")
        if not isinstance(d, str) or not d:
            return None, fail("MissingParameter", "Domain is missing.")
        if d not in self.domains:
            return None, fail("ResourceNotFound.NoDataOfDomain",
                              "The domain does not exist.")
        return d, None

    def list(self, body):
        d, e = self._domain(body)
        if e:
            return e
        rs = [r for r in self.records.values() if r["Domain"] == d]
        if "Subdomain" in body:
            rs = [r for r in rs if r["Name"] == body["Subdomain"].lower()]
        if "RecordType" in body:
            rs = [r for r in rs if r["Type"] == body["RecordType"]]
        if not rs and body.get("ErrorOnEmpty", "yes") != "no":
            return fail("ResourceNotFound.NoDataOfRecord",
                        "The record does not exist.")
        out = [{k: v for k, v in r.items() if k != "Domain"} for r in rs]
        return ok({"RecordCountInfo": {"SubdomainCount": len(out),
                                       "ListCount": len(out),
                                       "TotalCount": len(out)},
                   "RecordList": out})

    def _check(self, body):
        """(sub, type, value, line, ttl) or an error reply."""
        sub = body.get("SubDomain", "@")
        t, v, line = (body.get("RecordType"), body.get("Value"),
                      body.get("RecordLine"))
        if t not in ("A", "AAAA", "CNAME", "MX", "TXT"):
            return fail("InvalidParameter.RecordTypeInvalid",
                        "The record type is wrong.")
        if line is None:
            return fail("MissingParameter", "RecordLine is missing.")
        if line not in LINES:
            return fail("InvalidParameter.RecordLineInvalid",
                        "The record line is wrong.")
        try:
            v = str((ipaddress.IPv4Address if t == "A" else
                     ipaddress.IPv6Address)(v))
        except (ValueError, TypeError):
            return fail("InvalidParameter.RecordValueInvalid",
                        "The record value is wrong.")
        ttl = body.get("TTL", 600)
        if isinstance(ttl, bool) or not isinstance(ttl, int) or \
                not 1 <= ttl <= 604800:
            return fail("InvalidParameter.TTLNotEnough", "TTL is wrong.")
        if not isinstance(sub, str) or not re.fullmatch(
                r"@|(\*\.)?[a-z0-9*_-]+(\.[a-z0-9_-]+)*", sub.lower()):
            return fail("InvalidParameter.SubDomainInvalid",
                        "The sub-domain is wrong.")
        return sub.lower(), t, v, line, ttl

    def create(self, body):
        d, e = self._domain(body)
        if e:
            return e
        c = self._check(body)
        if len(c) != 5:
            return c
        sub, t, v, line, ttl = c
        for r in self.records.values():
            if (r["Domain"], r["Name"], r["Type"], r["Line"], r["Value"]) \
                    == (d, sub, t, line, v):
                return fail("InvalidParameter.DomainRecordExist",
                            "The record already exists.")
        return ok({"RecordId": self._create(d, sub, t, v, line, ttl)})

    def modify(self, body):
        d, e = self._domain(body)
        if e:
            return e
        rid = body.get("RecordId")
        if isinstance(rid, bool) or not isinstance(rid, int):
            return fail("InvalidParameter.RecordIdInvalid",
                        "RecordId must be an integer.")
        r = self.records.get(rid)
        if r is None or r["Domain"] != d:
            return fail("ResourceNotFound.NoDataOfRecord",
                        "The record does not exist.")
        c = self._check(body)
        if len(c) != 5:
            return c
        sub, t, v, line, ttl = c
        r.update({"Name": sub, "Type": t, "Value": v, "Line": line,
                  "TTL": ttl})
        return ok({"RecordId": rid})


class TencentHandler(MockHandler):
    def respond(self, call):
        return self.server.state["tc"].handle(call)


def start(servers, tls=None, domains=("example.com",), **kw):
    """Start a mock holding domains; the server has .tc and .endpoint."""
    srv = servers(TencentHandler, tls=tls)
    tc = TencentState(**kw)
    for d in domains:
        tc.add_domain(d)
    srv.state["tc"] = tc
    srv.tc = tc
    srv.endpoint = srv.url
    return srv
