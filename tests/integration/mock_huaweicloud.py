"""A stateful mock of Huawei Cloud DNS v2 behind its API gateway.

Shaped after the DNS API reference (zones, record sets) and the API
gateway's SDK-HMAC-SHA256 authentication. Every request is verified the
way the gateway does it, with this file's own implementation of the
official SDK's signer (below; it shares nothing with ddnsup's C code):
the canonical request is rebuilt from the raw request line, the headers
named in SignedHeaders and the body, and a mismatch is refused with 401
{"error_code":"APIGW.0301","error_msg":...}. X-Sdk-Date must be within
15 minutes. DNS errors have the service's shape {"code":"DNS.xxxx",
"message"}. The name filters match by substring, as the real ones do.

    srv = start(servers, tls=ca)           # public zone example.com.
    srv.hw.add_recordset("home.example.com.", "A", ["198.51.100.1"])
    srv.endpoint                           # for the "endpoint" config key
    srv.hw.throttle(count=1, retry_after=120)
    srv.hw.deny("dns:recordset:create")
    srv.hw.fail_next(500) / srv.hw.fail_next(200, payload="<html>")
"""
import datetime
import hashlib
import hmac
import ipaddress
import json
import re
import threading
import urllib.parse
import uuid

from harness import MockHandler

AK = "HPUAEXAMPLEAK7QWERTY"
SK = "Sk3xAmPle+/sEcReT0123456789abcdefGHIJKLMN"
PROJECT = "0123456789abcdef0123456789abcdef"
ALGO = "SDK-HMAC-SHA256"
SKEW = 15 * 60


def _q(s):
    # The SDK's urlencode: quote(s, safe='~'), i.e. RFC 3986.
    return urllib.parse.quote(s, safe="~")


def canonical_request(method, target, headers, signed, body):
    """The SDK signer's canonical request for a raw request target."""
    path, _, query = target.partition("?")
    uri = "/".join(_q(seg) for seg in urllib.parse.unquote(path).split("/"))
    if not uri.endswith("/"):
        uri += "/"
    params = {}
    for kv in query.split("&") if query else []:
        k, _, v = kv.partition("=")
        if k:
            params.setdefault(urllib.parse.unquote(k), []).append(
                urllib.parse.unquote(v))
    q = "&".join("%s=%s" % (_q(k), _q(v))
                 for k in sorted(params) for v in sorted(params[k]))
    hdrs = "".join("%s:%s\n" % (n, headers[n].strip()) for n in signed)
    return "\n".join([method.upper(), uri, q, hdrs, ";".join(signed),
                      hashlib.sha256(body).hexdigest()])


def signature(sk, date, creq):
    sts = "%s\n%s\n%s" % (ALGO, date,
                          hashlib.sha256(creq.encode()).hexdigest())
    return hmac.new(sk.encode(), sts.encode(), hashlib.sha256).hexdigest()


def apigw(status, code, msg, headers=None):
    return (status, headers or {}, {"error_msg": msg, "error_code": code,
                                    "request_id": uuid.uuid4().hex})


def dnserr(status, code, msg):
    return (status, {}, {"code": code, "message": msg})


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.000")


class HuaweiState:
    """Zones, record sets, credentials and injected faults. Thread-safe."""

    def __init__(self, ak=AK, sk=SK):
        self.lock = threading.Lock()
        self.ak = ak
        self.sk = sk
        self.zones = {}         # id -> {"id", "name", "zone_type"}
        self.recordsets = {}    # id -> record set dict
        self.faults = []        # [count, status, headers, payload]
        self.denied = set()     # IAM actions the policy refuses
        self.verified = []      # (method, target, signed headers) accepted

    # ---- set-up and inspection, for tests ------------------------------
    def add_zone(self, name, zone_type="public"):
        zid = uuid.uuid4().hex
        with self.lock:
            self.zones[zid] = {"id": zid, "name": name.rstrip(".") + ".",
                               "zone_type": zone_type}
        return zid

    def zone_id(self, name):
        for z in self.zones.values():
            if z["name"] == name.rstrip(".") + ".":
                return z["id"]
        raise KeyError(name)

    def add_recordset(self, name, type, records, ttl=300, zone=None):
        name = name.rstrip(".") + "."
        zid = self.zone_id(zone) if zone else self._zone_of(name)["id"]
        with self.lock:
            return self._create(self.zones[zid], {
                "name": name, "type": type, "records": records,
                "ttl": ttl})["id"]

    def find(self, name, type=None):
        name = name.rstrip(".").lower() + "."
        return [r for r in self.recordsets.values()
                if r["name"] == name and type in (None, r["type"])]

    def delete_recordset(self, rid):
        with self.lock:
            del self.recordsets[rid]

    def deny(self, action):
        self.denied.add(action)

    def fail_next(self, status, count=1, headers=None, payload=None):
        """Answer the next count requests with status (before auth)."""
        if payload is None:
            payload = {"code": "DNS.0001", "message": "Internal error."}
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def throttle(self, count=1, retry_after=None, dns=False):
        """Flow control for the next count requests: the gateway's 429
        APIGW.0308 (with Retry-After if given), or DNS.0014."""
        h = {} if retry_after is None else {"Retry-After": str(retry_after)}
        if dns:
            self.fail_next(400, count, h, {"code": "DNS.0014",
                                           "message": "Flow control."})
        else:
            self.fail_next(429, count, h, apigw(
                429, "APIGW.0308", "The throttling threshold has been "
                "reached: policy user over ratelimit,limit:20,time:1 "
                "minute")[2])

    # ---- internals ----------------------------------------------------
    def _zone_of(self, name):
        best = None
        for z in self.zones.values():
            if name == z["name"] or name.endswith("." + z["name"]):
                if best is None or len(z["name"]) > len(best["name"]):
                    best = z
        if best is None:
            raise KeyError(name)
        return best

    def _check(self, zone, rs):
        name = rs.get("name")
        if not isinstance(name, str) or not name.endswith("."):
            raise Invalid("DNS.0303", "Invalid record set name: it must "
                          "be a fully qualified name ending in a dot.")
        name = name.lower()
        if name != zone["name"] and not name.endswith("." + zone["name"]):
            raise Invalid("DNS.0303", "The record set name does not "
                          "belong to the zone.")
        rs["name"] = name
        if rs.get("type") not in ("A", "AAAA", "CNAME", "MX", "TXT", "NS",
                                  "SRV", "CAA"):
            raise Invalid("DNS.0306", "Invalid record set type.")
        recs = rs.get("records")
        if not isinstance(recs, list) or not recs:
            raise Invalid("DNS.0307", "Invalid records.")
        for v in recs:
            try:
                if rs["type"] == "A":
                    ipaddress.IPv4Address(v)
                elif rs["type"] == "AAAA":
                    ipaddress.IPv6Address(v)
            except (ValueError, TypeError):
                raise Invalid("DNS.0307", "Invalid record value %r." % v)
        ttl = rs.get("ttl")
        if (isinstance(ttl, bool) or not isinstance(ttl, int)
                or not 1 <= ttl <= 2147483647):
            raise Invalid("DNS.0305", "Invalid TTL.")
        for o in self.recordsets.values():
            if (o["id"] != rs.get("id") and o["zone_id"] == zone["id"]
                    and o["name"] == name and o["type"] == rs["type"]):
                raise Invalid("DNS.0312", "The record set already exists.")

    def _create(self, zone, body):
        rs = {"ttl": 300}
        rs.update({k: v for k, v in body.items()
                   if k in ("name", "type", "records", "ttl",
                            "description")})
        self._check(zone, rs)
        now = _now()
        rs.update({"id": uuid.uuid4().hex, "zone_id": zone["id"],
                   "zone_name": zone["name"], "status": "PENDING_CREATE",
                   "default": False, "project_id": PROJECT,
                   "create_at": now, "update_at": now})
        self.recordsets[rs["id"]] = rs
        return rs

    # ---- the gateway --------------------------------------------------
    def auth(self, call, target):
        """None if the request is signed right, else the refusal."""
        a = call.headers.get("Authorization")
        m = re.fullmatch(r"SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*"
                         r"SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)",
                         a or "")
        if m is None:
            return apigw(401, "APIGW.0301", "Incorrect IAM authentication "
                         "information: Authorization format incorrect")
        date = call.headers.get("X-Sdk-Date")
        try:
            t = datetime.datetime.strptime(date or "", "%Y%m%dT%H%M%SZ")
        except ValueError:
            return apigw(401, "APIGW.0301", "Incorrect IAM authentication "
                         "information: x-sdk-date not found or invalid")
        t = t.replace(tzinfo=datetime.timezone.utc)
        if abs((datetime.datetime.now(datetime.timezone.utc) - t)
               .total_seconds()) > SKEW:
            return apigw(401, "APIGW.0301", "Incorrect IAM authentication "
                         "information: request expired")
        if m.group(1) != self.ak:
            return apigw(401, "APIGW.0301", "Incorrect IAM authentication "
                         "information: AK %s not found" % m.group(1))
        signed = m.group(2).split(";")
        if signed != sorted(signed) or "host" not in signed or \
                "x-sdk-date" not in signed:
            return apigw(401, "APIGW.0301", "Incorrect IAM authentication "
                         "information: verify aksk signature fail")
        hdrs = {}
        for n in signed:
            v = call.headers.get(n)
            if v is None:
                return apigw(401, "APIGW.0301", "Incorrect IAM "
                             "authentication information: verify aksk "
                             "signature fail")
            hdrs[n] = v
        creq = canonical_request(call.method, target, hdrs, signed,
                                 call.body)
        want = signature(self.sk, date, creq)
        if not hmac.compare_digest(want, m.group(3)):
            return apigw(401, "APIGW.0301", "Incorrect IAM authentication "
                         "information: verify aksk signature fail")
        self.verified.append((call.method, target, tuple(signed)))
        return None

    def refused(self, action):
        if action in self.denied:
            return dnserr(403, "DNS.0030", "Policy doesn't allow %s to be "
                          "performed." % action)
        return None

    def handle(self, call, target):
        with self.lock:
            if self.faults:
                f = self.faults[0]
                f[0] -= 1
                if f[0] <= 0:
                    self.faults.pop(0)
                return (f[1], dict(f[2]), f[3])
            r = self.auth(call, target)
            if r is not None:
                return r
            q = {k: v[-1] for k, v in call.query.items()}
            path = call.path
            if path == "/v2/zones" and call.method == "GET":
                return self.refused("dns:zone:list") or self.list_zones(q)
            m = re.fullmatch(r"/v2/zones/([^/]+)/recordsets(?:/([^/]+))?",
                             path)
            if m is None or call.method not in ("GET", "POST", "PUT"):
                return apigw(404, "APIGW.0101", "The API does not exist or "
                             "has not been published in the environment")
            zone = self.zones.get(m.group(1))
            if zone is None:
                return dnserr(404, "DNS.0004", "The zone does not exist.")
            body = None
            if call.method in ("POST", "PUT"):
                try:
                    body = json.loads(call.body.decode())
                    assert isinstance(body, dict)
                except (ValueError, AssertionError):
                    return dnserr(400, "DNS.0301", "Invalid request body.")
            try:
                if m.group(2) is None:
                    if call.method == "GET":
                        return (self.refused("dns:recordset:list") or
                                self.list_recordsets(zone, q))
                    if call.method == "POST":
                        return (self.refused("dns:recordset:create") or
                                (202, {}, self._create(zone, body)))
                    return apigw(404, "APIGW.0101", "The API does not exist")
                rs = self.recordsets.get(m.group(2))
                if rs is None or rs["zone_id"] != zone["id"]:
                    return dnserr(404, "DNS.0004", "The record set does not "
                                  "exist.")
                if call.method == "PUT":
                    denied = self.refused("dns:recordset:update")
                    if denied:
                        return denied
                    new = dict(rs)
                    for k in ("name", "type", "records", "ttl",
                              "description"):
                        if k in body:
                            new[k] = body[k]
                    self._check(zone, new)
                    new["status"] = "PENDING_UPDATE"
                    new["update_at"] = _now()
                    self.recordsets[rs["id"]] = new
                    return (202, {}, new)
                return (200, {}, rs)
            except Invalid as e:
                return dnserr(400, e.args[0], e.args[1])

    def list_zones(self, q):
        zs = list(self.zones.values())
        if "type" in q:
            zs = [z for z in zs if z["zone_type"] == q["type"]]
        if "name" in q:     # fuzzy, as the service does
            zs = [z for z in zs if q["name"].lower() in z["name"]]
        return (200, {}, {"links": {"self": "https://dns/v2/zones"},
                          "zones": [dict(z, status="ACTIVE", ttl=300,
                                         record_num=2) for z in zs],
                          "metadata": {"total_count": len(zs)}})

    def list_recordsets(self, zone, q):
        rs = [r for r in self.recordsets.values()
              if r["zone_id"] == zone["id"]]
        if "type" in q:
            rs = [r for r in rs if r["type"] == q["type"]]
        if "name" in q:     # fuzzy, as the service does
            rs = [r for r in rs if q["name"].lower() in r["name"]]
        return (200, {}, {"links": {"self": "https://dns/v2/recordsets"},
                          "recordsets": [dict(r, status="ACTIVE")
                                         for r in rs],
                          "metadata": {"total_count": len(rs)}})


class Invalid(Exception):
    """A body the service refuses: (code, message)."""


class HuaweiHandler(MockHandler):
    def respond(self, call):
        # The raw request target, as the gateway signs it.
        return self.server.state["hw"].handle(call, self.path)


def start(servers, tls=None, zones=("example.com",), **kw):
    """Start a mock (via the conftest `servers` fixture) holding public
    zones. The returned server has .hw (the HuaweiState) and .endpoint."""
    srv = servers(HuaweiHandler, tls=tls)
    hw = HuaweiState(**kw)
    for z in zones:
        hw.add_zone(z)
    srv.state["hw"] = hw
    srv.hw = hw
    srv.endpoint = srv.url
    return srv
