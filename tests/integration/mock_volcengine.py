"""A stateful mock of Volcengine TrafficRoute DNS (API 2018-08-01): the parts
ddnsup uses (ListZones, ListRecords, CreateRecord, UpdateRecord).

Every request goes to "/?Action=..&Version=2018-08-01" with X-Date,
X-Content-Sha256 and an HMAC-SHA256 Authorization header; the signature is
recomputed here from the raw request (own implementation: hashlib/hmac and
urllib's quoting), over whatever SignedHeaders names, with the query put in
canonical form (decoded, sorted, RFC 3986 re-encoded) as the service
documents (https://www.volcengine.com/docs/6369/67269). Errors are
{"ResponseMetadata":{...,"Error":{"CodeN","Code","Message"}}} with the
documented HTTP status (https://www.volcengine.com/docs/6369/68677).

    srv = start(servers, tls=ca)                 # zones: example.com
    srv.volc.add_record("example.com", "home", "A", "198.51.100.1")
    srv.endpoint                                 # for the "endpoint" key
    srv.volc.throttle(count=1)
    srv.volc.fail_next(200, payload="<html>")
"""
import datetime
import hashlib
import hmac
import ipaddress
import json
import re
import threading
import time
import urllib.parse
import uuid

from harness import MockHandler

ACCESS_KEY = "AKLTMjI2ODVlYzI3ZGY1NGU4ZjhjYWRjMTlmNTM5OTZkYzE"
SECRET_KEY = "TnpCak5XWXpZV1U0WkRaaE5ERmxaR0ZpTmpjeVkyUXlZek0wTWpJMU1qWQ=="
VERSION = "2018-08-01"
LINES = ("default", "telecom", "unicom", "mobile", "edu", "oversea",
         "电信", "联通", "移动", "教育网")
AUTH_RE = re.compile(r"HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/"
                     r"([^/]+)/request, SignedHeaders=([a-z0-9;-]+), "
                     r"Signature=([0-9a-f]{64})")
CODEN = {"SignatureDoesNotMatch": 100010, "InvalidAccessKey": 100009,
         "InvalidTimestamp": 100006, "MissingRequestInfo": 100004,
         "InvalidAuthorization": 100001, "AccessDenied": 100013,
         "AccountFlowLimitExceeded": 100018, "InternalError": 100014,
         "InvalidActionOrVersion": 100008, "MissingParameter": 100002}


def quote(s):
    return urllib.parse.quote(s, safe="-_.~")


def canonical_query(raw):
    """The canonical form of a raw query string: decode, sort, re-encode."""
    pairs = urllib.parse.parse_qsl(raw, keep_blank_values=True)
    return "&".join("%s=%s" % (quote(k), quote(v))
                    for k, v in sorted(pairs, key=lambda p: p[0]))


def signature(secret_key, method, raw_query, headers, signed, body, region,
              service):
    """(signature, short date) for a request (headers: a Message)."""
    xdate = headers.get("X-Date") or ""
    canon = "".join("%s:%s\n" % (n, (headers.get(n) or "").strip())
                    for n in signed)
    cr = "\n".join([method, "/", canonical_query(raw_query), canon,
                    ";".join(signed), hashlib.sha256(body).hexdigest()])
    date = xdate[:8]
    sts = "\n".join(["HMAC-SHA256", xdate,
                     "%s/%s/%s/request" % (date, region, service),
                     hashlib.sha256(cr.encode()).hexdigest()])
    k = secret_key.encode()
    for part in (date, region, service, "request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    return hmac.new(k, sts.encode(), hashlib.sha256).hexdigest(), date


def meta(action):
    return {"RequestId": uuid.uuid4().hex.upper(), "Action": action,
            "Version": VERSION, "Service": "DNS", "Region": "cn-north-1"}


def fail(status, code, message, action=""):
    m = meta(action)
    m["Error"] = {"CodeN": CODEN.get(code, 400000), "Code": code,
                  "Message": message}
    return (status, {}, {"ResponseMetadata": m})


def ok(action, result):
    return (200, {}, {"ResponseMetadata": meta(action), "Result": result})


class VolcState:
    """Zones, records, credentials and injected faults. Thread-safe."""

    def __init__(self, access_key=ACCESS_KEY, secret_key=SECRET_KEY,
                 region="cn-north-1"):
        self.lock = threading.Lock()
        self.access_key = access_key
        self.secret_key = secret_key
        self.region = region
        self.zones = {}         # name -> ZID
        self.records = {}       # RecordID (str) -> record dict
        self.next_id = 9079256848778957482
        self.faults = []        # [count, status, headers, payload]
        self.skew = 0           # seconds added to the server's clock
        self.actions = []       # (action, params dict) of accepted requests
        self.denied = set()     # actions the key lacks permission for

    # ---- set-up and inspection, for tests ------------------------------
    def add_zone(self, name):
        self.zones[name] = 304092 + len(self.zones)

    def add_record(self, zone, host, type, value, line="default", ttl=600):
        with self.lock:
            return self._create(self.zones[zone], host, type, value, line,
                                ttl)

    def find(self, zone, host, type=None):
        zid = self.zones[zone]
        return [r for r in self.records.values()
                if r["ZID"] == zid and r["Host"] == host
                and type in (None, r["Type"])]

    def fail_next(self, status, count=1, headers=None, payload=None):
        if payload is None:
            payload = fail(500, "InternalError", "Service has some "
                           "internal Error. Pls Contact With Admin.")[2]
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def throttle(self, count=1):
        self.fail_next(429, count, payload=fail(
            429, "AccountFlowLimitExceeded", "Request is limited by "
            "account flow control.")[2])

    def writes(self):
        return [a for a in self.actions if not a[0].startswith("List")]

    # ---- internals ----------------------------------------------------
    def _create(self, zid, host, type, value, line, ttl):
        rid = str(self.next_id)
        self.next_id += 1
        zone = [n for n, z in self.zones.items() if z == zid][0]
        now = time.strftime("%Y-%m-%dT%H:%M:%S+08:00")
        self.records[rid] = {
            "RecordID": rid, "ZID": zid, "Host": host, "Type": type,
            "Value": value, "Line": line, "TTL": ttl, "Weight": 1,
            "Enable": True, "Remark": "", "Tags": [], "RecordSetID": "",
            "PQDN": zone if host == "@" else "%s.%s" % (host, zone),
            "FQDN": zone if host == "@" else "%s.%s" % (host, zone),
            "CreatedAt": now, "UpdatedAt": now, "Operators": []}
        return rid

    def auth(self, call, raw_query, action):
        """None if the signature is good, else the refusal."""
        a = call.headers.get("Authorization")
        if not a:
            return fail(401, "MissingAuthenticationToken", "Request is "
                        "missing Authentication Token", action)
        m = AUTH_RE.fullmatch(a)
        if m is None:
            return fail(400, "InvalidAuthorization", "Invalid "
                        "'Authorization' header, Pls check authorization "
                        "header.", action)
        ak, date, region, service, signed, sig = m.groups()
        signed = signed.split(";")
        xdate = call.headers.get("X-Date") or ""
        try:
            t = datetime.datetime.strptime(xdate, "%Y%m%dT%H%M%SZ").replace(
                tzinfo=datetime.timezone.utc).timestamp()
        except ValueError:
            return fail(400, "MissingRequestInfo", "The request is missing "
                        "X-Date information.", action)
        if abs(t - (time.time() + self.skew)) > 900:
            return fail(400, "InvalidTimestamp", "The Signature of the "
                        "request is expired.", action)
        if ak != self.access_key:
            return fail(401, "InvalidAccessKey", "The accesskey [%s] "
                        "included in the request is invalid." % ak, action)
        sha = call.headers.get("X-Content-Sha256")
        mismatch = fail(401, "SignatureDoesNotMatch", "The request "
                        "signature we calculated does not match the "
                        "signature you provided. Check your Secret Access "
                        "Key and signing method. Consult the service "
                        "documentation for details.", action)
        if ("host" not in signed or "x-date" not in signed
                or signed != sorted(signed) or service != "DNS"
                or region != self.region or date != xdate[:8]
                or (sha is not None
                    and sha != hashlib.sha256(call.body).hexdigest())):
            return mismatch
        want, _ = signature(self.secret_key, call.method, raw_query,
                            call.headers, signed, call.body, region,
                            service)
        if not hmac.compare_digest(want, sig):
            return mismatch
        return None

    def handle(self, call, raw_query):
        with self.lock:
            if self.faults:
                f = self.faults[0]
                f[0] -= 1
                if f[0] <= 0:
                    self.faults.pop(0)
                return (f[1], dict(f[2]), f[3])
            q = dict(urllib.parse.parse_qsl(raw_query,
                                            keep_blank_values=True))
            action = q.get("Action", "")
            if call.path != "/" or not action or "Version" not in q:
                return fail(400, "MissingParameter", "The request is "
                            "missing Action or Version parameter.", action)
            refused = self.auth(call, raw_query, action)
            if refused is not None:
                return refused
            h = {"ListZones": ("GET", self.list_zones),
                 "ListRecords": ("GET", self.list_records),
                 "CreateRecord": ("POST", self.create),
                 "UpdateRecord": ("POST", self.update)}.get(action)
            if q["Version"] != VERSION or h is None:
                return fail(404, "InvalidActionOrVersion", "Could not find "
                            "operation %s for version %s."
                            % (action, q["Version"]), action)
            if call.method != h[0]:
                return fail(405, "MethodNotAllowed", "Use %s." % h[0],
                            action)
            if action in self.denied:
                return fail(403, "AccessDenied", "User is not authorized "
                            "to perform: dns:%s on resource: trn:dns::0:"
                            "zone/*" % action, action)
            if h[0] == "GET":
                params = q
            else:
                ct = call.headers.get("Content-Type") or ""
                if ct.split(";")[0].strip().lower() != "application/json":
                    return fail(400, "ErrParsingParams", "parsing params "
                                "error", action)
                try:
                    params = json.loads(call.body.decode())
                    assert isinstance(params, dict)
                except (ValueError, AssertionError):
                    return fail(400, "ErrParsingParams", "parsing params "
                                "error", action)
            r = h[1](action, params)
            if "Error" not in r[2]["ResponseMetadata"]:
                self.actions.append((action, params))
            return r

    def list_zones(self, action, q):
        key = q.get("Key", "")
        exact = q.get("SearchMode", "like") == "exact"
        zs = [{"ZID": zid, "ZoneName": n, "RecordCount": 0,
               "TradeCode": "free_inner", "AllocateDNSServerList": []}
              for n, zid in sorted(self.zones.items())
              if (n == key if exact else key in n)]
        return ok(action, {"Total": len(zs), "Zones": zs})

    def list_records(self, action, q):
        try:
            zid = int(q.get("ZID", ""))
        except ValueError:
            return fail(400, "ErrParamInvalid", "validation fail: params:"
                        "[ZID]", action)
        if zid not in self.zones.values():
            return fail(400, "ErrZoneNotFound", "zone not found", action)
        rs = [r for r in self.records.values() if r["ZID"] == zid]
        if "Host" in q:
            h = q["Host"].lower()
            if q.get("SearchMode", "like") == "exact":
                rs = [r for r in rs if r["Host"] == h]
            else:
                rs = [r for r in rs if h in r["Host"]]
        for k in ("Type", "Line", "Value"):
            if k in q:
                rs = [r for r in rs if r[k] == q[k]]
        return ok(action, {"TotalCount": len(rs), "PageSize": 500,
                           "PageNumber": 1,
                           "Records": [{k: v for k, v in r.items()
                                        if k != "ZID"} for r in rs]})

    def _check(self, action, body):
        """(host, type, value, line, ttl) or an error reply."""
        host = body.get("Host")
        t, v = body.get("Type"), body.get("Value")
        line = body.get("Line", "default")
        if not isinstance(host, str) or host == "":
            return fail(400, "ErrHostCanNotBeEmpty", "host can't be empty, "
                        "use @ instead", action)
        if not re.fullmatch(r"@|[a-z0-9*_~-]+(\.[a-z0-9*_~-]+)*",
                            host.lower()):
            return fail(400, "ErrParamInvalid", "validation fail: params:"
                        "[Host]", action)
        if t not in ("A", "AAAA", "CNAME", "MX", "TXT"):
            return fail(400, "ErrParamInvalid", "validation fail: params:"
                        "[Type]", action)
        if line not in LINES:
            return fail(400, "ErrParamInvalid", "validation fail: params:"
                        "[Line]", action)
        try:
            v = str((ipaddress.IPv4Address if t == "A" else
                     ipaddress.IPv6Address)(v))
        except (ValueError, TypeError):
            return fail(400, "ErrParamInvalid", "validation fail: params:"
                        "[Value]", action)
        ttl = body.get("TTL", 600)
        if isinstance(ttl, bool) or not isinstance(ttl, int) or \
                not 1 <= ttl <= 86400:
            return fail(400, "ErrParamInvalid", "validation fail: params:"
                        "[TTL]", action)
        return host.lower(), t, v, line, ttl

    def _dup(self, zid, host, t, line, v, skip=None):
        return any((r["ZID"], r["Host"], r["Type"], r["Line"], r["Value"])
                   == (zid, host, t, line, v) and r["RecordID"] != skip
                   for r in self.records.values())

    def create(self, action, body):
        zid = body.get("ZID")
        if isinstance(zid, bool) or not isinstance(zid, int):
            return fail(400, "ErrParamInvalid", "validation fail: params:"
                        "[ZID]", action)
        if zid not in self.zones.values():
            return fail(400, "ErrZoneNotFound", "zone not found", action)
        c = self._check(action, body)
        if len(c) != 5:
            return c
        host, t, v, line, ttl = c
        if self._dup(zid, host, t, line, v):
            return fail(409, "ErrDBDuplicated", "duplicated: record",
                        action)
        rid = self._create(zid, host, t, v, line, ttl)
        return ok(action, dict(self.records[rid]))

    def update(self, action, body):
        rid = body.get("RecordID")
        if not isinstance(rid, str):
            return fail(400, "ErrParamInvalid", "validation fail: params:"
                        "[RecordID]", action)
        r = self.records.get(rid)
        if r is None:
            return fail(400, "ErrDBNotFound", "record not found :%s" % rid,
                        action)
        c = self._check(action, body)
        if len(c) != 5:
            return c
        host, t, v, line, ttl = c
        if self._dup(r["ZID"], host, t, line, v, skip=rid):
            return fail(409, "ErrDBDuplicated", "duplicated: record",
                        action)
        r.update({"Host": host, "Type": t, "Value": v, "Line": line,
                  "TTL": ttl})
        return ok(action, dict(r))


class VolcHandler(MockHandler):
    def respond(self, call):
        raw = urllib.parse.urlsplit(self.path).query
        return self.server.state["volc"].handle(call, raw)


def start(servers, tls=None, zones=("example.com",), **kw):
    """Start a mock holding zones; the server has .volc and .endpoint."""
    srv = servers(VolcHandler, tls=tls)
    v = VolcState(**kw)
    for z in zones:
        v.add_zone(z)
    srv.state["volc"] = v
    srv.volc = v
    srv.endpoint = srv.url
    return srv
