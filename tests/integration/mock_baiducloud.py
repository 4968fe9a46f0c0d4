"""A stateful mock of Baidu AI Cloud DNS (dns.baidubce.com, API v1): the
record calls ddnsup uses.

    GET  /v1/dns/zone/{zone}/record?rr=&marker=&maxKeys=   list (paged)
    POST /v1/dns/zone/{zone}/record?clientToken=           create, empty 200
    PUT  /v1/dns/zone/{zone}/record/{id}?clientToken=      update, empty 200

Every request's bce-auth-v1 Authorization is recomputed here from the raw
request with an implementation of its own (hashlib/hmac/urllib, nothing
shared with the C code), over the headers the Authorization names (or, if
it names none, the documented defaults: host, content-length,
content-type, content-md5 and x-bce-*). A mismatch is refused as Baidu
does: HTTP 400 {"requestId","code":"SignatureDoesNotMatch","message"}.

Codes used here that Baidu's public documents do not show for DNS
(marked "assumed"): NoSuchZone (404), RecordAlreadyExists (409),
NoSuchRecord (404), RequestLimitExceeded (429).

    srv = start(servers, tls=ca)            # zones: example.com
    srv.bd.add_record("example.com", "home", "A", "198.51.100.1")
    srv.endpoint                            # for the "endpoint" config key
    srv.bd.secret = "other"                 # wrong secret from now on
    srv.bd.throttle(count=1)
    srv.bd.fail_next(200, payload="<html>")
    srv.bd.ops                              # [(op, zone, id, query, body)]
"""
import datetime
import hashlib
import hmac
import ipaddress
import json
import threading
import urllib.parse
import uuid

from harness import MockHandler

AKID = "ALTAKbaidu0123456789abcdef"
SECRET = "bd/+SecretKey0123456789abcdefABCDEF"
DEFAULT_SIGNED = ("host", "content-length", "content-type", "content-md5")


def enc(s, slash=False):
    """Baidu's UriEncode: keep A-Za-z0-9-_.~ (and '/' if slash)."""
    return urllib.parse.quote(s, safe="-_.~/" if slash else "-_.~")


class ApiError(Exception):
    def __init__(self, status, code, message):
        Exception.__init__(self, code)
        self.status, self.code, self.message = status, code, message


def error(status, code, message):
    return (status, {}, {"requestId": str(uuid.uuid4()), "code": code,
                         "message": message})


class BaiduState:
    """Zones, records, the AK/SK and injected faults. Thread-safe."""

    def __init__(self, akid=AKID, secret=SECRET, zones=("example.com",),
                 page=100):
        self.lock = threading.Lock()
        self.akid = akid
        self.secret = secret
        self.zones = set(zones)
        self.records = {}       # id -> record dict
        self.next_id = 1
        self.page = page        # records per list page
        self.faults = []        # [count, status, headers, payload]
        self.denied = set()     # ops refused with AccessDenied
        self.tokens = {}        # clientToken -> (op, body)
        self.ops = []           # verified calls: (op, zone, id, query, body)
        self.canon = []         # canonical requests as this mock built them
        self.op_faults = {}     # op -> (status, code, message), once

    # ---- set-up and inspection, for tests ------------------------------
    def add_record(self, zone, rr, type, value, ttl=300, line="default"):
        with self.lock:
            return self._add(zone, rr, type, value, ttl, line)

    def find(self, zone, rr, type=None):
        return [r for r in self.records.values() if r["zone"] == zone
                and r["rr"] == rr.lower() and type in (None, r["type"])]

    def fail_next(self, status, count=1, headers=None, payload=None):
        """Answer the next count requests with status (before auth)."""
        if payload is None:
            payload = error(status, "InternalError", "We encountered an "
                            "internal error. Please try again.")[2]
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def fail_op(self, op, status, code, message):
        """Answer the next verified op ("list", "create", "update") with
        a Baidu error, after the signature check."""
        with self.lock:
            self.op_faults[op] = (status, code, message)

    def throttle(self, count=1, headers=None):
        self.fail_next(429, count, headers, error(
            429, "RequestLimitExceeded", "Request rate exceeded.")[2])

    # ---- the signature ----------------------------------------------------
    def _verify(self, call, raw_query):
        auth = call.headers.get("Authorization")
        if auth is None:
            raise ApiError(403, "AccessDenied", "Access denied.")
        parts = auth.split("/")
        if len(parts) != 6 or parts[0] != "bce-auth-v1":
            raise ApiError(400, "InvalidHTTPAuthHeader", "The HTTP "
                           "authorization header is invalid. Consult the "
                           "service documentation for details.")
        _, ak, ts, expires, signed, sig = parts
        if ak != self.akid:
            raise ApiError(403, "InvalidAccessKeyId", "The Access Key ID "
                           "you provided does not exist in our records.")
        try:
            t = datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ")
            expires = int(expires)
        except ValueError:
            raise ApiError(400, "InvalidHTTPAuthHeader", "The HTTP "
                           "authorization header is invalid. Consult the "
                           "service documentation for details.")
        now = datetime.datetime.utcnow()
        if (now - t).total_seconds() > expires or \
                (t - now).total_seconds() > 300:
            raise ApiError(400, "RequestExpired", "Request has expired. "
                           "Timestamp date is %s" % ts)
        if signed:
            names = signed.split(";")
        else:
            names = [k.lower() for k in call.headers.keys()
                     if k.lower() in DEFAULT_SIGNED or
                     k.lower().startswith("x-bce-")]
        lines = []
        for n in names:
            v = call.headers.get(n)
            if v is None:
                raise ApiError(400, "SignatureDoesNotMatch", "The request "
                               "signature we calculated does not match the "
                               "signature you provided. Check your Secret "
                               "Access Key and signing method. Consult the "
                               "service documentation for details.")
            lines.append("%s:%s" % (enc(n.lower()), enc(v.strip())))
        pairs = []
        for part in raw_query.split("&") if raw_query else []:
            k, _, v = part.partition("=")
            k, v = urllib.parse.unquote(k), urllib.parse.unquote(v)
            if k.lower() != "authorization":
                pairs.append("%s=%s" % (enc(k), enc(v)))
        path = urllib.parse.unquote(call.path)
        creq = "\n".join([call.method, "/" + enc(path.lstrip("/"), True),
                          "&".join(sorted(pairs)), "\n".join(sorted(lines))])
        self.canon.append(creq)
        prefix = "bce-auth-v1/%s/%s/%d" % (ak, ts, expires)
        key = hmac.new(self.secret.encode(), prefix.encode(),
                       hashlib.sha256).hexdigest()
        want = hmac.new(key.encode(), creq.encode(),
                        hashlib.sha256).hexdigest()
        if not hmac.compare_digest(want, sig):
            raise ApiError(400, "SignatureDoesNotMatch", "The request "
                           "signature we calculated does not match the "
                           "signature you provided. Check your Secret "
                           "Access Key and signing method. Consult the "
                           "service documentation for details.")

    # ---- requests -------------------------------------------------------
    def handle(self, call, raw_query):
        with self.lock:
            if self.faults:
                f = self.faults[0]
                f[0] -= 1
                if f[0] <= 0:
                    self.faults.pop(0)
                return (f[1], f[2], f[3])
            try:
                self._verify(call, raw_query)
                q = dict(urllib.parse.parse_qsl(raw_query,
                                                keep_blank_values=True))
                seg = urllib.parse.unquote(call.path).split("/")
                # ["", "v1", "dns", "zone", zone, "record"(, id)]
                if len(seg) < 6 or seg[:4] != ["", "v1", "dns", "zone"] \
                        or seg[5] != "record" or len(seg) > 7:
                    raise ApiError(400, "InvalidURI",
                                   "Could not parse the specified URI.")
                zone = seg[4]
                rid = seg[6] if len(seg) == 7 else None
                body = None
                if call.body:
                    try:
                        body = json.loads(call.body.decode())
                    except ValueError:
                        raise ApiError(400, "MalformedJSON", "The JSON you "
                                       "provided was not well-formed.")
                op = {("GET", False): "list", ("POST", False): "create",
                      ("PUT", True): "update"}.get((call.method,
                                                    rid is not None))
                if op is None:
                    raise ApiError(405, "MethodNotAllowed",
                                   "The method is not allowed.")
                if op in self.denied:
                    raise ApiError(403, "AccessDenied", "Access denied.")
                self.ops.append((op, zone, rid, q, body))
                if op in self.op_faults:
                    raise ApiError(*self.op_faults.pop(op))
                if zone not in self.zones:
                    raise ApiError(404, "NoSuchZone",     # assumed
                                   "The zone %s does not exist." % zone)
                return getattr(self, "do_" + op)(zone, rid, q, body)
            except ApiError as e:
                return error(e.status, e.code, e.message)

    # ---- the API ----------------------------------------------------------
    def _add(self, zone, rr, type, value, ttl, line):
        rid = "rc-%010d" % self.next_id
        self.next_id += 7
        self.records[rid] = {"id": rid, "zone": zone, "rr": rr.lower(),
                             "type": type, "value": value, "ttl": int(ttl),
                             "line": line, "status": "running",
                             "description": ""}
        return rid

    @staticmethod
    def _check(body, need):
        if not isinstance(body, dict):
            raise ApiError(400, "InappropriateJSON", "The JSON you provided "
                           "was well-formed and valid, but not appropriate "
                           "for this operation.")
        for k in need:
            if not isinstance(body.get(k), str) or not body[k]:
                raise ApiError(400, "InappropriateJSON", "The JSON you "
                               "provided was well-formed and valid, but not "
                               "appropriate for this operation.")
        try:
            a = ipaddress.ip_address(body["value"])
        except ValueError:
            a = None
        if body["type"] == "A" and (a is None or a.version != 4) or \
                body["type"] == "AAAA" and (a is None or a.version != 6):
            raise ApiError(400, "InvalidParameter", "invalid record value")
        ttl = body.get("ttl")
        if ttl is not None and (not isinstance(ttl, int) or ttl < 1):
            raise ApiError(400, "InvalidParameter", "invalid ttl")
        return ttl

    def _token(self, q, op, body):
        tok = q.get("clientToken")
        if tok is None:
            return
        if len(tok) > 64 or not tok.isascii():
            raise ApiError(400, "InvalidParameter", "invalid clientToken")
        old = self.tokens.get(tok)
        if old is not None and old != (op, body):
            raise ApiError(403, "IdempotentParameterMismatch",
                           "The request uses the same client token as a "
                           "previous, but non-identical request.")
        self.tokens[tok] = (op, body)

    def do_list(self, zone, rid, q, body):
        rs = sorted((r for r in self.records.values() if r["zone"] == zone),
                    key=lambda r: r["id"])
        if q.get("rr"):
            rs = [r for r in rs if r["rr"] == q["rr"].lower()]
        start = 0
        if q.get("marker"):
            ids = [r["id"] for r in rs]
            if q["marker"] not in ids:
                raise ApiError(400, "InvalidParameter", "invalid marker")
            start = ids.index(q["marker"])
        page = rs[start:start + self.page]
        out = {"marker": q.get("marker", ""), "maxKeys": self.page,
               "isTruncated": start + self.page < len(rs),
               "records": [{k: r[k] for k in ("id", "rr", "status", "type",
                                              "value", "ttl", "line",
                                              "description")}
                           for r in page]}
        if out["isTruncated"]:
            out["nextMarker"] = rs[start + self.page]["id"]
        return (200, {}, out)

    def do_create(self, zone, rid, q, body):
        ttl = self._check(body, ("rr", "type", "value"))
        self._token(q, "create", body)
        line = body.get("line") or "default"
        for r in self.records.values():
            if (r["zone"], r["rr"], r["type"], r["value"], r["line"]) == \
                    (zone, body["rr"].lower(), body["type"], body["value"],
                     line):
                raise ApiError(409, "RecordAlreadyExists",      # assumed
                               "The record already exists.")
        self._add(zone, body["rr"], body["type"], body["value"],
                  300 if ttl is None else ttl, line)
        return (200, {}, "")

    def do_update(self, zone, rid, q, body):
        ttl = self._check(body, ("rr", "type", "value"))
        self._token(q, "update", body)
        r = self.records.get(rid)
        if r is None or r["zone"] != zone:
            raise ApiError(404, "NoSuchRecord",                 # assumed
                           "The record %s does not exist." % rid)
        # The update takes no line: the record keeps its own (and, here,
        # its TTL when none is sent: not documented either way).
        r.update(rr=body["rr"].lower(), type=body["type"],
                 value=body["value"], ttl=r["ttl"] if ttl is None else ttl)
        return (200, {}, "")


class BaiduHandler(MockHandler):
    def respond(self, call):
        raw = urllib.parse.urlsplit(self.path).query
        return self.server.state["bd"].handle(call, raw)


def start(servers, tls=None, zones=("example.com",), **kw):
    """Start a mock (via the conftest `servers` fixture) holding zones.
    The returned server has .bd (the BaiduState) and .endpoint."""
    srv = servers(BaiduHandler, tls=tls)
    bd = BaiduState(zones=zones, **kw)
    srv.state["bd"] = bd
    srv.bd = bd
    srv.endpoint = srv.url
    return srv
