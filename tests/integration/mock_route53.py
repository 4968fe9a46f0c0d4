"""A stateful mock of the AWS Route 53 API (2013-04-01): the parts ddnsup uses.

Every request's Signature Version 4 is recomputed from the raw request with
this file's own implementation (hashlib/hmac, as AWS documents it), and a
mismatch is refused as AWS does: HTTP 403 <ErrorResponse> with
SignatureDoesNotMatch (InvalidClientTokenId for an unknown key,
MissingAuthenticationToken without one). Hosted zones and record sets are
kept; listings start *at* the name asked for, in Route 53's order (labels
reversed), and names are written back with Route 53's octal escapes (\\052
for "*"). Changes are PENDING until GetChange has been asked `insync_after`
times.

    srv = start(servers, tls=ca)              # zone example.com
    srv.r53.add_record("home.example.com", "A", ["198.51.100.1"], ttl=120)
    srv.endpoint                              # for the "endpoint" key
    srv.r53.throttle(count=1)                 # 400 Throttling, Rate exceeded
    srv.r53.fail_next(200, "<html>")
"""
import datetime
import hashlib
import hmac
import ipaddress
import re
import threading
import urllib.parse
import uuid
import xml.etree.ElementTree as ET

from harness import MockHandler

try:                            # AWS's own signer, when installed
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except ImportError:
    SigV4Auth = None

NS = "https://route53.amazonaws.com/doc/2013-04-01/"
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
REGION = "us-east-1"
SERVICE = "route53"
SKEW = 300                      # seconds AWS accepts between clocks

SIGNATURE_MSG = ("The request signature we calculated does not match the "
                 "signature you provided. Check your AWS Secret Access Key "
                 "and signing method. Consult the service documentation "
                 "for details.")


# ---- SigV4, independently of the C code ------------------------------------

def _enc(s):
    """RFC 3986 percent-encoding of a str (UTF-8), unreserved kept."""
    return urllib.parse.quote(s, safe="-_.~")


def canonical_uri(path):
    """The path as sent, dot segments removed, encoded once more."""
    segs = []
    for seg in path.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if segs:
                segs.pop()
            continue
        segs.append(seg)
    out = "/" + "/".join(segs)
    if segs and path.endswith("/"):
        out += "/"
    return urllib.parse.quote(out, safe="/-_.~")


def canonical_query(query):
    pairs = []
    for part in query.split("&"):
        if not part:
            continue
        k, _, v = part.partition("=")
        pairs.append((_enc(urllib.parse.unquote(k)),
                      _enc(urllib.parse.unquote(v))))
    return "&".join("%s=%s" % kv for kv in sorted(pairs))


def signing_key(secret, day, region, service):
    k = ("AWS4" + secret).encode()
    for part in (day, region, service, "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    return k


def expected_signature(method, target, headers, body, signed, secret,
                       amzdate, region, service):
    """headers: list of (name, value) as received; signed: names."""
    path, _, query = target.partition("?")
    lines = []
    for name in signed:
        vals = [re.sub(r"\s+", " ", v.strip()) for n, v in headers
                if n.lower() == name]
        lines.append("%s:%s\n" % (name, ",".join(vals)))
    creq = "\n".join([method, canonical_uri(path), canonical_query(query),
                      "".join(lines), ";".join(signed),
                      hashlib.sha256(body).hexdigest()])
    scope = "%s/%s/%s/aws4_request" % (amzdate[:8], region, service)
    sts = "\n".join(["AWS4-HMAC-SHA256", amzdate, scope,
                     hashlib.sha256(creq.encode()).hexdigest()])
    key = signing_key(secret, amzdate[:8], region, service)
    return hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()


def botocore_signature(method, target, headers, body, signed, akid, secret,
                       token, amzdate, region, service):
    """The signature botocore computes for the same request (the signed
    headers only, the query as decoded parameters it encodes itself)."""
    path, _, query = target.partition("?")
    hdrs = [(n, v) for n, v in headers if n.lower() in signed]
    req = AWSRequest(method=method, url="http://%s%s" % (
        dict((n.lower(), v) for n, v in hdrs)["host"], path), data=body,
        params=urllib.parse.parse_qsl(query, keep_blank_values=True),
        headers=dict(hdrs))
    req.context["timestamp"] = amzdate
    auth = SigV4Auth(Credentials(akid, secret, token), service, region)
    cr = auth.canonical_request(req)
    return auth.signature(auth.string_to_sign(req, cr), req)


# ---- replies ---------------------------------------------------------------

def xml_reply(status, root_xml, headers=None):
    body = '<?xml version="1.0"?>\n' + root_xml
    return (status, dict({"Content-Type": "text/xml"}, **(headers or {})),
            body)


def error(status, code, message, kind="Sender", headers=None):
    return xml_reply(status, (
        '<ErrorResponse xmlns="%s"><Error><Type>%s</Type><Code>%s</Code>'
        '<Message>%s</Message></Error><RequestId>%s</RequestId>'
        '</ErrorResponse>') % (NS, kind, code, _x(message), uuid.uuid4()),
        headers)


def _x(s):
    return (str(s).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;"))


def r53_escape(name):
    """A name as Route 53 writes it: lower case, octal escapes, dot."""
    out = []
    for c in name.lower():
        if re.match(r"[a-z0-9_.-]", c):
            out.append(c)
        else:
            for b in c.encode():
                out.append("\\%03o" % b)
    s = "".join(out)
    return s if s.endswith(".") else s + "."


def r53_unescape(name):
    return re.sub(r"\\([0-3][0-7][0-7])", lambda m: chr(int(m.group(1), 8)),
                  name)


def order_key(name):
    """Route 53's listing order: labels reversed."""
    return r53_unescape(name).lower().rstrip(".").split(".")[::-1]


class RecordError(Exception):
    """A change Route 53 would refuse as InvalidChangeBatch."""


class Route53State:
    """Zones, record sets, credentials, changes and faults. Thread-safe."""

    def __init__(self, keys=None):
        self.lock = threading.Lock()
        self.keys = dict(keys or {ACCESS_KEY: (SECRET, None)})
        self.zones = {}         # id -> {"name", "private"}
        self.sets = {}          # (zone id, escaped name, type) -> set
        self.changes = {}       # id -> polls so far
        self.insync_after = 1   # GetChange polls answered PENDING
        self.faults = []        # [count, reply]
        self.bodies = []        # change batches received (text)
        self.botocore_checked = 0   # requests botocore agreed on

    # ---- set-up and inspection ------------------------------------------
    def add_zone(self, name, private=False):
        zid = "Z" + uuid.uuid4().hex[:13].upper()
        with self.lock:
            self.zones[zid] = {"name": r53_escape(name), "private": private}
            self.sets[(zid, r53_escape(name), "SOA")] = {
                "ttl": 900, "values": ["ns-1.awsdns-01.org. awsdns-hostmaster."
                                       "amazon.com. 1 7200 900 1209600 86400"]}
            self.sets[(zid, r53_escape(name), "NS")] = {
                "ttl": 172800, "values": ["ns-1.awsdns-01.org."]}
        return zid

    def zone_id(self, name):
        for zid, z in self.zones.items():
            if z["name"] == r53_escape(name) and not z["private"]:
                return zid
        raise KeyError(name)

    def add_record(self, name, type, values, ttl=300, zone="example.com",
                   **extra):
        zid = self.zone_id(zone)
        with self.lock:
            s = {"ttl": ttl, "values": list(values)}
            s.update(extra)
            self.sets[(zid, r53_escape(name), type)] = s

    def get(self, name, type, zone="example.com"):
        return self.sets.get((self.zone_id(zone), r53_escape(name), type))

    def throttle(self, count=1, code="Throttling", message="Rate exceeded"):
        self.faults.append([count, error(400, code, message)])

    def fail_next(self, status, payload, count=1, headers=None):
        self.faults.append([count, (status, headers or {}, payload)])

    # ---- the API ---------------------------------------------------------
    def fault(self):
        with self.lock:
            if self.faults:
                f = self.faults[0]
                f[0] -= 1
                if f[0] <= 0:
                    self.faults.pop(0)
                return f[1]
        return None

    def auth(self, method, target, headers, body):
        """None if the request is signed with a known key, else a reply."""
        h = {n.lower(): v for n, v in headers}
        a = h.get("authorization")
        if a is None:
            return error(403, "MissingAuthenticationToken",
                         "Missing Authentication Token")
        m = re.fullmatch(r"AWS4-HMAC-SHA256 Credential=([^/,\s]+)/(\d{8})/"
                         r"([^/]+)/([^/]+)/aws4_request,\s*SignedHeaders="
                         r"([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})", a)
        if m is None:
            return error(400, "IncompleteSignature",
                         "Authorization header requires 'Credential', "
                         "'Signature' and 'SignedHeaders' parameters.")
        akid, day, region, service, signed, sig = m.groups()
        if akid not in self.keys:
            return error(403, "InvalidClientTokenId",
                         "The security token included in the request is "
                         "invalid.")
        secret, token = self.keys[akid]
        signed = signed.split(";")
        amzdate = h.get("x-amz-date", "")
        if ("host" not in signed or "x-amz-date" not in signed or
                signed != sorted(signed)):
            return error(400, "IncompleteSignature",
                         "Host and X-Amz-Date must be signed, sorted.")
        try:
            t = datetime.datetime.strptime(amzdate, "%Y%m%dT%H%M%SZ").replace(
                tzinfo=datetime.timezone.utc)
        except ValueError:
            return error(400, "IncompleteSignature", "Bad X-Amz-Date")
        now = datetime.datetime.now(datetime.timezone.utc)
        if abs((now - t).total_seconds()) > SKEW:
            return error(403, "SignatureDoesNotMatch",
                         "Signature expired: %s is now earlier than ..." %
                         amzdate)
        if day != amzdate[:8] or region != REGION or service != SERVICE:
            return error(403, "SignatureDoesNotMatch",
                         "Credential should be scoped to a valid region "
                         "and service.")
        if token is not None and (h.get("x-amz-security-token") != token or
                                  "x-amz-security-token" not in signed):
            return error(403, "InvalidClientTokenId",
                         "The security token included in the request is "
                         "invalid.")
        want = expected_signature(method, target, headers, body, signed,
                                  secret, amzdate, region, service)
        if not hmac.compare_digest(want, sig):
            return error(403, "SignatureDoesNotMatch", SIGNATURE_MSG)
        if SigV4Auth is not None:
            boto = botocore_signature(method, target, headers, body, signed,
                                      akid, secret, token, amzdate, region,
                                      service)
            if boto != sig:
                return error(403, "SignatureDoesNotMatch", "botocore "
                             "disagrees: " + SIGNATURE_MSG)
            self.botocore_checked += 1
        return None

    def list_zones(self, q):
        dnsname = q.get("dnsname", [""])[0]
        maxitems = int(q.get("maxitems", ["100"])[0])
        if dnsname and not re.fullmatch(r"[A-Za-z0-9_.*-]+\.?", dnsname):
            return error(400, "InvalidDomainName",
                         "%s is not a valid domain name" % dnsname)
        zs = sorted(self.zones.items(),
                    key=lambda kv: (order_key(kv[1]["name"]), kv[0]))
        if dnsname:
            start = order_key(r53_escape(dnsname))
            zs = [z for z in zs if order_key(z[1]["name"]) >= start]
        out = []
        for zid, z in zs[:maxitems]:
            n = sum(1 for k in self.sets if k[0] == zid)
            out.append(
                "<HostedZone><Id>/hostedzone/%s</Id><Name>%s</Name>"
                "<CallerReference>%s</CallerReference><Config>"
                "<PrivateZone>%s</PrivateZone></Config>"
                "<ResourceRecordSetCount>%d</ResourceRecordSetCount>"
                "</HostedZone>" % (zid, _x(z["name"]), uuid.uuid4(),
                                   "true" if z["private"] else "false", n))
        return xml_reply(200, (
            '<ListHostedZonesByNameResponse xmlns="%s"><HostedZones>%s'
            '</HostedZones><DNSName>%s</DNSName><IsTruncated>%s'
            '</IsTruncated><MaxItems>%d</MaxItems>'
            '</ListHostedZonesByNameResponse>') % (
                NS, "".join(out), _x(dnsname),
                "true" if len(zs) > maxitems else "false", maxitems))

    def list_sets(self, zid, q):
        if zid not in self.zones:
            return error(404, "NoSuchHostedZone",
                         "No hosted zone found with ID: %s" % zid)
        name = q.get("name", [""])[0]
        rtype = q.get("type", [""])[0]
        maxitems = int(q.get("maxitems", ["300"])[0])
        keys = sorted((k for k in self.sets if k[0] == zid),
                      key=lambda k: (order_key(k[1]), k[2]))
        if name:
            start = (order_key(r53_escape(name)), rtype)
            keys = [k for k in keys if (order_key(k[1]), k[2]) >= start]
        out = []
        for k in keys[:maxitems]:
            s = self.sets[k]
            extra = ""
            if "set_identifier" in s:
                extra = ("<SetIdentifier>%s</SetIdentifier><Weight>10"
                         "</Weight>" % s["set_identifier"])
            if "alias" in s:
                body = ("<AliasTarget><HostedZoneId>Z2FDTNDATAQYW2"
                        "</HostedZoneId><DNSName>%s</DNSName>"
                        "<EvaluateTargetHealth>false</EvaluateTargetHealth>"
                        "</AliasTarget>" % s["alias"])
            else:
                body = ("<TTL>%d</TTL><ResourceRecords>%s</ResourceRecords>"
                        % (s["ttl"], "".join(
                            "<ResourceRecord><Value>%s</Value>"
                            "</ResourceRecord>" % _x(v)
                            for v in s["values"])))
            out.append("<ResourceRecordSet><Name>%s</Name><Type>%s</Type>"
                       "%s%s</ResourceRecordSet>" % (_x(k[1]), k[2], extra,
                                                     body))
        trunc = len(keys) > maxitems
        nxt = ""
        if trunc:
            nxt = ("<NextRecordName>%s</NextRecordName><NextRecordType>%s"
                   "</NextRecordType>" % (_x(keys[maxitems][1]),
                                          keys[maxitems][2]))
        return xml_reply(200, (
            '<ListResourceRecordSetsResponse xmlns="%s"><ResourceRecordSets>'
            '%s</ResourceRecordSets><IsTruncated>%s</IsTruncated>%s'
            '<MaxItems>%d</MaxItems></ListResourceRecordSetsResponse>') % (
                NS, "".join(out), "true" if trunc else "false", nxt,
                maxitems))

    def change(self, zid, body):
        if zid not in self.zones:
            return error(404, "NoSuchHostedZone",
                         "No hosted zone found with ID: %s" % zid)
        self.bodies.append(body.decode("utf-8", "replace"))
        try:
            root = ET.fromstring(body)
        except ET.ParseError as e:
            return error(400, "InvalidInput", "Invalid XML ; %s" % e)
        ns = "{%s}" % NS
        if root.tag != ns + "ChangeResourceRecordSetsRequest":
            return error(400, "InvalidInput", "Invalid XML ; unexpected "
                         "root %s" % root.tag)
        changes = root.findall("%sChangeBatch/%sChanges/%sChange" %
                               (ns, ns, ns))
        if not changes:
            return error(400, "InvalidInput", "No changes")
        zname = self.zones[zid]["name"]
        staged = dict(self.sets)
        try:
            for ch in changes:
                act = ch.findtext(ns + "Action")
                rs = ch.find(ns + "ResourceRecordSet")
                if act not in ("CREATE", "UPSERT", "DELETE") or rs is None:
                    raise RecordError("bad Action %r" % act)
                name = rs.findtext(ns + "Name") or ""
                rtype = rs.findtext(ns + "Type") or ""
                ttl = rs.findtext(ns + "TTL")
                vals = [v.text or "" for v in rs.findall(
                    "%sResourceRecords/%sResourceRecord/%sValue" %
                    (ns, ns, ns))]
                en = r53_escape(name)
                if not (order_key(en)[:len(order_key(zname))] ==
                        order_key(zname)):
                    raise RecordError("RRSet with DNS name %s is not "
                                      "permitted in zone %s" % (name, zname))
                if ttl is None or not ttl.isdigit() or int(ttl) > 2147483647:
                    raise RecordError("Invalid TTL %r" % ttl)
                if not vals:
                    raise RecordError("No ResourceRecords")
                for v in vals:
                    fam = {"A": ipaddress.IPv4Address,
                           "AAAA": ipaddress.IPv6Address}.get(rtype)
                    if fam is None:
                        raise RecordError("type %s not supported here" %
                                          rtype)
                    try:
                        fam(v)
                    except ValueError:
                        raise RecordError(
                            "[Invalid Resource Record: 'FATAL problem: "
                            "ARRDATAIllegalIPv4Address (Value is not a "
                            "valid IPv4 address) encountered with '%s'']" % v)
                key = (zid, en, rtype)
                if act == "CREATE" and key in staged:
                    raise RecordError("Tried to create resource record set "
                                      "[name='%s', type='%s'] but it already "
                                      "exists" % (en, rtype))
                if act == "DELETE":
                    staged.pop(key, None)
                else:
                    staged[key] = {"ttl": int(ttl), "values": vals}
        except RecordError as e:
            return error(400, "InvalidChangeBatch", str(e))
        self.sets = staged
        cid = "C" + uuid.uuid4().hex[:13].upper()
        self.changes[cid] = 0
        return self.change_info(cid, "ChangeResourceRecordSetsResponse",
                                "PENDING")

    def change_info(self, cid, root, status):
        return xml_reply(200, (
            '<%s xmlns="%s"><ChangeInfo><Id>/change/%s</Id><Status>%s'
            '</Status><SubmittedAt>%s</SubmittedAt><Comment>ddnsup'
            '</Comment></ChangeInfo></%s>') % (
                root, NS, cid, status, datetime.datetime.now(
                    datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                root))

    def get_change(self, cid):
        if cid not in self.changes:
            return error(404, "NoSuchChange",
                         "Could not find resource with ID: %s" % cid)
        self.changes[cid] += 1
        st = "INSYNC" if self.changes[cid] > self.insync_after else "PENDING"
        return self.change_info(cid, "GetChangeResponse", st)


class Route53Handler(MockHandler):
    def respond(self, call):
        r53 = self.server.state["r53"]
        f = r53.fault()
        if f is not None:
            return f
        headers = list(self.headers.items())
        bad = r53.auth(self.command, self.path, headers, call.body)
        if bad is not None:
            return bad
        q = call.query
        p = call.path
        with r53.lock:
            if self.command == "GET" and p == "/2013-04-01/hostedzonesbyname":
                return r53.list_zones(q)
            m = re.fullmatch(r"/2013-04-01/hostedzone/([A-Z0-9]+)/rrset/?",
                             p)
            if m and self.command == "GET":
                return r53.list_sets(m.group(1), q)
            if m and self.command == "POST":
                return r53.change(m.group(1), call.body)
            m = re.fullmatch(r"/2013-04-01/change/([A-Z0-9]+)", p)
            if m and self.command == "GET":
                return r53.get_change(m.group(1))
        return error(404, "UnknownOperationException", "Unknown operation")


def start(servers, tls=None, zones=("example.com",), **kw):
    """Start a mock (via the conftest `servers` fixture) holding zones.
    The returned server has .r53 (the Route53State) and .endpoint."""
    srv = servers(Route53Handler, tls=tls)
    r53 = Route53State(**kw)
    for z in zones:
        r53.add_zone(z)
    srv.state["r53"] = r53
    srv.r53 = r53
    srv.endpoint = srv.url
    return srv
