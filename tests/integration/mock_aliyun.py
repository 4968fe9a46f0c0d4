"""A stateful mock of Alibaba Cloud DNS (alidns 2015-01-09): the parts ddnsup
uses. RPC style: every request is an Action with parameters in the query
string (and, if a form body is sent, in the body too).

Every request's signature is recomputed here from the raw request with an
implementation of its own (hashlib/hmac, nothing shared with the C code):
ACS3-HMAC-SHA256 (V3, Authorization header) or RPC HMAC-SHA1 (V1, Signature
parameter). A mismatch is refused as the vendor does: HTTP 400,
{"RequestId","HostId","Code":"SignatureDoesNotMatch","Message",
"Recommend"}, the message quoting the server's string to sign.

    srv = start(servers, tls=ca)           # domains: example.com
    srv.ali.add_record("example.com", "home", "A", "198.51.100.1")
    srv.endpoint                           # for the "endpoint" config key
    srv.ali.secret = "other"               # wrong secret from now on
    srv.ali.throttle(count=1)              # Throttling.User
    srv.ali.fail_next(200, payload="<html>")
    srv.ali.actions                        # [(action, params, sigver)]
"""
import datetime
import hashlib
import hmac
import base64
import ipaddress
import threading
import urllib.parse
import uuid

from harness import MockHandler

AKID = "LTAI5tTestKeyId0123456789"
SECRET = "tEsTsEcReT+/0123456789abcdefABCDEF"
VERSION = "2015-01-09"
HOST_ID = "alidns.aliyuncs.com"
PERM = ("User not authorized to operate on the specified resource, or this "
        "API doesn't support RAM.")


def pct(s):
    """RFC 3986 encoding: keep A-Za-z0-9-_.~, %XX upper case otherwise."""
    return urllib.parse.quote(s, safe="-_.~")


def canon_query(pairs):
    return "&".join("%s=%s" % (pct(k), pct(v)) for k, v in sorted(pairs))


def parse_raw_query(raw):
    """name=value pairs of a raw query, %-decoded, '+' kept as '+'."""
    out = []
    for part in raw.split("&") if raw else []:
        k, _, v = part.partition("=")
        out.append((urllib.parse.unquote(k), urllib.parse.unquote(v)))
    return out


class ApiError(Exception):
    def __init__(self, status, code, message):
        Exception.__init__(self, code)
        self.status, self.code, self.message = status, code, message


def error(status, code, message):
    return (status, {}, {"RequestId": str(uuid.uuid4()).upper(),
                         "HostId": HOST_ID, "Code": code, "Message": message,
                         "Recommend": "https://api.aliyun.com/troubleshoot?q=%s"
                         % code})


class AliyunState:
    """Domains, records, the AccessKey and injected faults. Thread-safe."""

    def __init__(self, akid=AKID, secret=SECRET, domains=("example.com",)):
        self.lock = threading.Lock()
        self.akid = akid
        self.secret = secret
        self.domains = set(domains)
        self.records = {}       # RecordId -> record dict
        self.next_id = 1000000000000000001
        self.faults = []        # [count, status, headers, payload]
        self.denied = set()     # actions refused with Forbidden.RAM
        self.nonces = set()
        self.actions = []       # verified calls: (action, params, sigver)
        self.sts = []           # the strings to sign, as this mock built them

    # ---- set-up and inspection, for tests ------------------------------
    def add_record(self, domain, rr, type, value, ttl=600, line="default",
                   locked=False):
        with self.lock:
            return self._add(domain, rr, type, value, ttl, line, locked)

    def find(self, domain, rr, type=None):
        return [r for r in self.records.values() if r["DomainName"] == domain
                and r["RR"] == rr.lower() and type in (None, r["Type"])]

    def fail_next(self, status, count=1, headers=None, payload=None):
        """Answer the next count requests with status (before auth)."""
        if payload is None:
            payload = error(status, "InternalError", "The request processing "
                            "has failed due to some unknown error.")[2]
        with self.lock:
            self.faults.append([count, status, headers or {}, payload])

    def throttle(self, count=1, code="Throttling.User", status=400,
                 headers=None):
        self.fail_next(status, count, headers, error(
            status, code, "Request was denied due to user flow control.")[2])

    # ---- signatures -------------------------------------------------------
    def _verify_v3(self, call, pairs, raw_body):
        auth = call.headers.get("Authorization", "")
        algo, _, rest = auth.partition(" ")
        if algo != "ACS3-HMAC-SHA256":
            raise ApiError(400, "IncompleteSignature",
                           "The request signature does not conform to "
                           "Aliyun standards.")
        parts = {}
        for p in rest.split(","):
            k, _, v = p.strip().partition("=")
            parts[k] = v
        if set(parts) != {"Credential", "SignedHeaders", "Signature"}:
            raise ApiError(400, "IncompleteSignature",
                           "The request signature does not conform to "
                           "Aliyun standards.")
        if parts["Credential"] != self.akid:
            raise ApiError(404, "InvalidAccessKeyId.NotFound",
                           "Specified access key is not found.")
        signed = parts["SignedHeaders"].split(";")
        for need in ("host", "x-acs-action", "x-acs-version", "x-acs-date",
                     "x-acs-signature-nonce", "x-acs-content-sha256"):
            if need not in signed or call.headers.get(need) is None:
                raise ApiError(400, "MissingParameter",
                               "The input parameter \"%s\" that is mandatory "
                               "for processing this request is not "
                               "supplied." % need)
        payload_hash = hashlib.sha256(raw_body).hexdigest()
        if call.headers["x-acs-content-sha256"] != payload_hash:
            raise ApiError(400, "SignatureDoesNotMatch",
                           "The content sha256 does not match the body.")
        lines = []
        for name in sorted(signed):
            vals = call.headers.get_all(name) or []
            lines.append("%s:%s\n" % (name, ",".join(v.strip() for v in vals)))
        creq = "\n".join([call.method, call.path or "/", canon_query(pairs),
                          "".join(lines), ";".join(signed),
                          call.headers["x-acs-content-sha256"]])
        sts = "ACS3-HMAC-SHA256\n" + hashlib.sha256(creq.encode()).hexdigest()
        self.sts.append(sts)
        want = hmac.new(self.secret.encode(), sts.encode(),
                        hashlib.sha256).hexdigest()
        if not hmac.compare_digest(want, parts["Signature"]):
            raise ApiError(400, "SignatureDoesNotMatch",
                           "Specified signature is not matched with our "
                           "calculation. server string to sign is:%s" % sts)
        return (call.headers["x-acs-action"], call.headers["x-acs-version"],
                call.headers["x-acs-date"],
                call.headers["x-acs-signature-nonce"])

    def _verify_v1(self, call, pairs):
        params = dict(pairs)
        sig = params.pop("Signature", None)
        for need in ("AccessKeyId", "Action", "Version", "SignatureMethod",
                     "SignatureVersion", "SignatureNonce", "Timestamp",
                     "Format"):
            if need not in params:
                raise ApiError(400, "MissingParameter",
                               "The input parameter \"%s\" that is mandatory "
                               "for processing this request is not "
                               "supplied." % need)
        if params["SignatureMethod"] != "HMAC-SHA1" or \
                params["SignatureVersion"] != "1.0":
            raise ApiError(400, "InvalidSignatureMethod",
                           "Specified signature method is not valid.")
        if params["AccessKeyId"] != self.akid:
            raise ApiError(404, "InvalidAccessKeyId.NotFound",
                           "Specified access key is not found.")
        sts = "%s&%s&%s" % (call.method, pct("/"),
                            pct(canon_query(params.items())))
        self.sts.append(sts)
        want = base64.b64encode(hmac.new((self.secret + "&").encode(),
                                         sts.encode(),
                                         hashlib.sha1).digest()).decode()
        if sig is None or not hmac.compare_digest(want, sig):
            raise ApiError(400, "SignatureDoesNotMatch",
                           "Specified signature is not matched with our "
                           "calculation. server string to sign is:%s" % sts)
        return (params["Action"], params["Version"], params["Timestamp"],
                params["SignatureNonce"])

    def _check_common(self, version, date, nonce):
        if version != VERSION:
            raise ApiError(400, "InvalidVersion",
                           "Specified parameter Version is not valid.")
        try:
            t = datetime.datetime.strptime(date, "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            raise ApiError(400, "InvalidTimeStamp.Format",
                           "Specified time stamp or date value is not well "
                           "formatted.")
        now = datetime.datetime.utcnow()
        if abs((now - t).total_seconds()) > 900:
            raise ApiError(400, "InvalidTimeStamp.Expired",
                           "Specified time stamp or date value is expired.")
        if nonce in self.nonces:
            raise ApiError(400, "SignatureNonceUsed",
                           "Specified signature nonce was used already.")
        self.nonces.add(nonce)

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
                pairs = parse_raw_query(raw_query)
                ctype = call.headers.get("Content-Type", "")
                if call.body and ctype.startswith(
                        "application/x-www-form-urlencoded"):
                    pairs += parse_raw_query(call.body.decode())
                if call.headers.get("Authorization") is not None:
                    action, version, date, nonce = self._verify_v3(
                        call, pairs, call.body)
                    sigver = "v3"
                    params = dict(pairs)
                else:
                    action, version, date, nonce = self._verify_v1(call,
                                                                   pairs)
                    sigver = "v1"
                    params = {k: v for k, v in pairs if k not in (
                        "AccessKeyId", "Action", "Version", "SignatureMethod",
                        "SignatureVersion", "SignatureNonce", "Timestamp",
                        "Format", "Signature")}
                self._check_common(version, date, nonce)
                if action in self.denied:
                    raise ApiError(403, "Forbidden.RAM", PERM)
                self.actions.append((action, params, sigver))
                fn = getattr(self, "do_" + action, None)
                if fn is None:
                    raise ApiError(404, "InvalidAction.NotFound",
                                   "Specified api is not found, please check "
                                   "your url and method.")
                return (200, {}, dict(fn(params),
                                      RequestId=str(uuid.uuid4()).upper()))
            except ApiError as e:
                return error(e.status, e.code, e.message)

    # ---- the API ----------------------------------------------------------
    @staticmethod
    def _need(p, name):
        if not p.get(name):
            raise ApiError(400, "MissingParameter",
                           "The input parameter \"%s\" that is mandatory for "
                           "processing this request is not supplied." % name)
        return p[name]

    @staticmethod
    def _check_value(type, value):
        try:
            a = ipaddress.ip_address(value)
        except ValueError:
            a = None
        if type == "A" and (a is None or a.version != 4) or \
                type == "AAAA" and (a is None or a.version != 6):
            raise ApiError(400, "InvalidValue.%s" % type,
                           "The value of the %s record is invalid." % type)

    def _domain(self, name):
        if name.lower() not in self.domains:
            raise ApiError(400, "InvalidDomainName.NoExist",
                           "The specified domain name does not exist. Refresh "
                           "the page and try again.")
        return name.lower()

    def _add(self, domain, rr, type, value, ttl, line, locked=False):
        rid = str(self.next_id)
        self.next_id += 7
        self.records[rid] = {
            "RecordId": rid, "DomainName": domain, "RR": rr.lower(),
            "Type": type, "Value": value, "TTL": int(ttl), "Line": line,
            "Status": "ENABLE", "Locked": locked, "Weight": 1}
        return rid

    def _dup(self, rec, skip=None):
        for r in self.records.values():
            if r is not skip and all(r[k] == rec[k] for k in (
                    "DomainName", "RR", "Type", "Value", "Line")):
                return True
        return False

    @staticmethod
    def _ttl(p, dflt):
        try:
            t = int(p.get("TTL", dflt))
        except ValueError:
            t = -1
        if not 1 <= t <= 86400:
            raise ApiError(400, "InvalidTTL", "The TTL is invalid.")
        return t

    def do_DescribeSubDomainRecords(self, p):
        sub = self._need(p, "SubDomain").lower().rstrip(".")
        dom = p.get("DomainName")
        if not dom:
            dom = ".".join(sub.split(".")[-2:])
        dom = dom.lower()
        if dom not in self.domains:
            raise ApiError(400, "IncorrectDomainUser",
                           "The domain name does not belong to you.")
        if sub == dom:
            rr = "@"
        elif sub.endswith("." + dom):
            rr = sub[:-len(dom) - 1]
        else:
            raise ApiError(400, "InvalidDomainName.Format",
                           "The domain name is invalid.")
        rs = [r for r in self.records.values() if r["DomainName"] == dom
              and r["RR"] == rr]
        if p.get("Type"):
            rs = [r for r in rs if r["Type"] == p["Type"].upper()]
        if p.get("Line"):
            rs = [r for r in rs if r["Line"] == p["Line"]]
        return {"TotalCount": len(rs), "PageNumber": 1, "PageSize": 20,
                "DomainRecords": {"Record": [dict(r) for r in rs]}}

    def do_AddDomainRecord(self, p):
        dom = self._domain(self._need(p, "DomainName"))
        rr = self._need(p, "RR")
        type = self._need(p, "Type")
        value = self._need(p, "Value")
        self._check_value(type, value)
        rec = {"DomainName": dom, "RR": rr.lower(), "Type": type,
               "Value": value, "Line": p.get("Line") or "default"}
        if self._dup(rec):
            raise ApiError(400, "DomainRecordDuplicate",
                           "The DNS record already exists.")
        rid = self._add(dom, rr, type, value, self._ttl(p, 600), rec["Line"])
        return {"RecordId": rid}

    def do_UpdateDomainRecord(self, p):
        rid = self._need(p, "RecordId")
        rr = self._need(p, "RR")
        type = self._need(p, "Type")
        value = self._need(p, "Value")
        r = self.records.get(rid)
        if r is None:
            raise ApiError(400, "DomainRecordNotBelongToUser",
                           "The DNS record does not belong to you.")
        if r["Locked"]:
            raise ApiError(400, "DomainRecordLocked",
                           "The DNS record is locked.")
        self._check_value(type, value)
        # Omitted, Line and TTL go back to their defaults, as documented.
        new = dict(r, RR=rr.lower(), Type=type, Value=value,
                   Line=p.get("Line") or "default", TTL=self._ttl(p, 600))
        if all(new[k] == r[k] for k in ("RR", "Type", "Value", "Line",
                                         "TTL")) or self._dup(new, skip=r):
            raise ApiError(400, "DomainRecordDuplicate",
                           "The DNS record already exists.")
        self.records[rid] = new
        return {"RecordId": rid}


class AliyunHandler(MockHandler):
    def respond(self, call):
        raw = urllib.parse.urlsplit(self.path).query
        return self.server.state["ali"].handle(call, raw)


def start(servers, tls=None, domains=("example.com",), **kw):
    """Start a mock (via the conftest `servers` fixture) holding domains.
    The returned server has .ali (the AliyunState) and .endpoint."""
    srv = servers(AliyunHandler, tls=tls)
    ali = AliyunState(domains=domains, **kw)
    srv.state["ali"] = ali
    srv.ali = ali
    srv.endpoint = srv.url
    return srv
