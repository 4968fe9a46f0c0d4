"""A stateful mock of Tencent Cloud EdgeOne (teo, API 2022-09-01): the parts
ddnsup uses (DescribeZones, DescribeDnsRecords, CreateDnsRecord,
ModifyDnsRecords).

Requests are POSTs of JSON to "/" with X-TC-Action, X-TC-Version,
X-TC-Timestamp and a TC3-HMAC-SHA256 Authorization header for service
"teo"; the signature is recomputed from the raw request with the Python
implementation in mock_tencentcloud (hashlib/hmac, not the C code). Errors
are HTTP 200 with {"Response":{"Error":{"Code","Message"},"RequestId"}}.
The codes for a duplicate record and an unknown record id are not in the
public documents we have; the mock uses plausible ones (see edgeone.c).

    srv = start(servers, tls=ca)                 # zones: example.com
    srv.eo.add_record("example.com", "home.example.com", "A", "198.51.100.1")
    srv.eo.throttle(count=1)
"""
import hmac
import ipaddress
import json
import re
import threading
import time

from harness import MockHandler
from mock_tencentcloud import AUTH_RE, fail, ok, tc3_signature

SECRET_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"
SECRET_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
LOCATIONS = ("Default", "CN.Telecom", "CN.Unicom", "CN.Mobile", "CN",
             "Abroad", "电信", "联通")


class EdgeOneState:
    """Zones, records, credentials and injected faults. Thread-safe."""

    def __init__(self, secret_id=SECRET_ID, secret_key=SECRET_KEY):
        self.lock = threading.Lock()
        self.secret_id = secret_id
        self.secret_key = secret_key
        self.zones = {}         # name -> ZoneId
        self.records = {}       # RecordId -> record dict
        self.next_id = 1
        self.faults = []        # [count, status, headers, payload]
        self.skew = 0
        self.actions = []       # (action, body dict) of accepted requests
        self.denied = set()

    # ---- set-up and inspection, for tests ------------------------------
    def add_zone(self, name):
        self.zones[name] = "zone-2o3h%05d" % len(self.zones)

    def add_record(self, zone, name, type, value, location="Default",
                   ttl=300):
        with self.lock:
            return self._create(self.zones[zone], name, type, value,
                                location, ttl)

    def find(self, zone, name, type=None):
        zid = self.zones[zone]
        return [r for r in self.records.values()
                if r["ZoneId"] == zid and r["Name"] == name
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
        return [a for a in self.actions if not a[0].startswith("Describe")]

    # ---- internals ----------------------------------------------------
    def _create(self, zid, name, type, value, location, ttl):
        rid = "record-%08x" % (0x2a4b0000 + self.next_id)
        self.next_id += 1
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        self.records[rid] = {"ZoneId": zid, "RecordId": rid, "Name": name,
                             "Type": type, "Location": location,
                             "Content": value, "TTL": ttl, "Weight": -1,
                             "Priority": 0, "Status": "enable",
                             "CreatedOn": now, "ModifiedOn": now}
        return rid

    def auth(self, call):
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
                or signed != sorted(signed) or service != "teo"):
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
            if call.headers.get("X-TC-Version") != "2022-09-01":
                return fail("InvalidParameter.Version", "Version is wrong.")
            try:
                body = json.loads(call.body.decode())
                assert isinstance(body, dict)
            except (ValueError, AssertionError):
                return fail("InvalidParameter", "Request body is not JSON.")
            action = call.headers.get("X-TC-Action")
            h = {"DescribeZones": self.zones_, "DescribeDnsRecords":
                 self.list, "CreateDnsRecord": self.create,
                 "ModifyDnsRecords": self.modify}.get(action)
            if h is None:
                return fail("InvalidAction", "The action %s is not found."
                            % action)
            if action in self.denied:
                return fail("UnauthorizedOperation.CamUnauthorized",
                            "CAM authorization failed: teo:%s." % action)
            r = h(body)
            if "Error" not in r[2]["Response"]:
                self.actions.append((action, body))
            return r

    @staticmethod
    def _filters(body):
        return {f.get("Name"): f.get("Values", [])
                for f in body.get("Filters") or []}

    def zones_(self, body):
        names = self._filters(body).get("zone-name")
        zs = [{"ZoneId": z, "ZoneName": n, "Type": "full",
               "Status": "active", "Paused": False}
              for n, z in sorted(self.zones.items())
              if names is None or n in names]
        return ok({"TotalCount": len(zs), "Zones": zs})

    def _zone(self, body):
        zid = body.get("ZoneId")
        if zid not in self.zones.values():
            return fail("ResourceNotFound", "The site does not exist.")
        return None

    def list(self, body):
        e = self._zone(body)
        if e:
            return e
        f = self._filters(body)
        rs = [r for r in self.records.values()
              if r["ZoneId"] == body["ZoneId"]
              and ("name" not in f or r["Name"] in f["name"])
              and ("type" not in f or r["Type"] in f["type"])]
        return ok({"TotalCount": len(rs), "DnsRecords": rs})

    def _check(self, r, ttl=300):
        """(name, type, content, location, ttl) or an error reply."""
        name, t, v = r.get("Name"), r.get("Type"), r.get("Content")
        loc = r.get("Location", "Default")
        if not isinstance(name, str) or not re.fullmatch(
                r"(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)+", name):
            return fail("InvalidParameter.InvalidDnsName",
                        "The record name is invalid.")
        if t not in ("A", "AAAA", "CNAME", "MX", "TXT"):
            return fail("InvalidParameter.InvalidDnsType",
                        "The record type is invalid.")
        if loc not in LOCATIONS:
            return fail("InvalidParameter.InvalidLocation",
                        "The location is invalid.")
        try:
            v = str((ipaddress.IPv4Address if t == "A" else
                     ipaddress.IPv6Address)(v))
        except (ValueError, TypeError):
            return fail("InvalidParameter.InvalidDnsContent",
                        "The record content is invalid.")
        ttl = r.get("TTL", ttl)
        if isinstance(ttl, bool) or not isinstance(ttl, int) or \
                not 60 <= ttl <= 86400:
            return fail("InvalidParameter.InvalidTTL", "TTL is invalid.")
        return name, t, v, loc, ttl

    def _dup(self, zid, name, t, loc, v, skip=None):
        return any((r["ZoneId"], r["Name"], r["Type"], r["Location"],
                    r["Content"]) == (zid, name, t, loc, v)
                   and r["RecordId"] != skip for r in self.records.values())

    def create(self, body):
        e = self._zone(body)
        if e:
            return e
        c = self._check(body)
        if len(c) != 5:
            return c
        name, t, v, loc, ttl = c
        if self._dup(body["ZoneId"], name, t, loc, v):
            return fail("InvalidParameter.RecordAlreadyExist",
                        "The DNS record already exists.")
        return ok({"RecordId": self._create(body["ZoneId"], name, t, v, loc,
                                            ttl)})

    def modify(self, body):
        e = self._zone(body)
        if e:
            return e
        recs = body.get("DnsRecords")
        if not isinstance(recs, list) or not recs:
            return fail("MissingParameter", "DnsRecords is missing.")
        todo = []
        for nr in recs:
            r = self.records.get(nr.get("RecordId"))
            if r is None or r["ZoneId"] != body["ZoneId"]:
                return fail("ResourceNotFound", "The DNS record does not "
                            "exist.")
            c = self._check(nr, r["TTL"])
            if len(c) != 5:
                return c
            if self._dup(r["ZoneId"], c[0], c[1], c[3], c[2],
                         skip=r["RecordId"]):
                return fail("InvalidParameter.RecordAlreadyExist",
                            "The DNS record already exists.")
            todo.append((r, c))
        for r, (name, t, v, loc, ttl) in todo:
            r.update({"Name": name, "Type": t, "Content": v,
                      "Location": loc, "TTL": ttl})
        return ok({})


class EdgeOneHandler(MockHandler):
    def respond(self, call):
        return self.server.state["eo"].handle(call)


def start(servers, tls=None, zones=("example.com",), **kw):
    """Start a mock holding zones; the server has .eo and .endpoint."""
    srv = servers(EdgeOneHandler, tls=tls)
    eo = EdgeOneState(**kw)
    for z in zones:
        eo.add_zone(z)
    srv.state["eo"] = eo
    srv.eo = eo
    srv.endpoint = srv.url
    return srv
