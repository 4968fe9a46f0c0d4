"""A stateful mock of Alibaba Cloud ESA (Edge Security Acceleration) OpenAPI
2024-09-10: the DNS record calls ddnsup uses (ListSites, ListRecords,
CreateRecord, UpdateRecord). RPC style, every parameter in the query, Data
a JSON string.

The ACS3-HMAC-SHA256 signature is recomputed by mock_aliyun's own Python
verifier (hashlib/hmac, nothing shared with the C code) and a mismatch is
refused the same way: HTTP 400 {"RequestId","HostId","Code":
"SignatureDoesNotMatch","Message","Recommend"}.

Not in ESA's public documents, so assumed here (and marked): the codes for
an unknown SiteId (SiteNotFound, 404), an unknown RecordId
(RecordNotFound, 404) and a second record of the same name and type
(RecordExist, 400).

    srv = start(servers, tls=ca)            # sites: example.com
    srv.esa.add_record("example.com", "home.example.com", "198.51.100.1")
    srv.esa.secret = "other"                # wrong secret from now on
    srv.esa.throttle(count=1)
    srv.esa.actions                         # [(action, params, sigver)]
"""
import datetime
import ipaddress
import json
import urllib.parse

import mock_aliyun
from mock_aliyun import ApiError
from harness import MockHandler

AKID = "LTAI5tEsaTestKeyId012345"
SECRET = "eSaSeCrEt+/0123456789abcdefABCDEF"
VERSION = "2024-09-10"
HOST_ID = "esa.cn-hangzhou.aliyuncs.com"
PERM = ("You are not authorized to operate on the specified resource.")


class EsaState(mock_aliyun.AliyunState):
    """Sites, records, the AccessKey and injected faults. Thread-safe."""

    def __init__(self, sites=("example.com",), **kw):
        kw.setdefault("akid", AKID)
        kw.setdefault("secret", SECRET)
        mock_aliyun.AliyunState.__init__(self, domains=(), **kw)
        self.sites = {}             # name -> SiteId
        self.next_site = 1234567890123
        for s in sites:
            self.add_site(s)
        self.next_id = 4000000000001

    # ---- set-up and inspection, for tests ------------------------------
    def add_site(self, name):
        with self.lock:
            self.sites[name] = self.next_site
            self.next_site += 11
            return self.sites[name]

    def add_record(self, site, name, value, type="A/AAAA", ttl=1,
                   proxied=False, biz=None):
        with self.lock:
            return self._add(self.sites[site], name, type, value, ttl,
                             proxied, biz)

    def find(self, name):
        return [r for r in self.records.values() if r["RecordName"] == name]

    # ---- common checks: ESA's version, ESA's host id ---------------------
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
        if abs((datetime.datetime.utcnow() - t).total_seconds()) > 900:
            raise ApiError(400, "InvalidTimeStamp.Expired",
                           "Specified time stamp or date value is expired.")
        if nonce in self.nonces:
            raise ApiError(400, "SignatureNonceUsed",
                           "Specified signature nonce was used already.")
        self.nonces.add(nonce)

    def handle(self, call, raw_query):
        status, headers, body = mock_aliyun.AliyunState.handle(
            self, call, raw_query)
        if isinstance(body, dict) and "HostId" in body:
            body["HostId"] = HOST_ID
            if body.get("Code") == "Forbidden.RAM":
                body["Message"] = PERM
        return status, headers, body

    # ---- the API ----------------------------------------------------------
    def _add(self, site_id, name, type, value, ttl, proxied, biz):
        rid = self.next_id
        self.next_id += 13
        site = [n for n, i in self.sites.items() if i == site_id][0]
        self.records[rid] = {
            "RecordId": rid, "RecordName": name.lower(), "RecordType": type,
            "Data": {"Value": value}, "Ttl": int(ttl), "Proxied": proxied,
            "SiteId": site_id, "SiteName": site,
            "CreateTime": "2026-11-23T00:00:00Z"}
        if biz:
            self.records[rid]["BizName"] = biz
        return rid

    def _site_id(self, p):
        try:
            sid = int(self._need(p, "SiteId"))
        except ValueError:
            raise ApiError(400, "InvalidParameter",
                           "The specified parameter SiteId is invalid.")
        if sid not in self.sites.values():
            raise ApiError(404, "SiteNotFound",                 # assumed
                           "The specified site does not exist.")
        return sid

    @staticmethod
    def _data(p, type):
        try:
            d = json.loads(p.get("Data", ""))
        except ValueError:
            raise ApiError(400, "InvalidParameter.Data",
                           "The specified parameter Data is invalid.")
        if not isinstance(d, dict) or not isinstance(d.get("Value"), str):
            raise ApiError(400, "InvalidParameter.Data",
                           "The specified parameter Data is invalid.")
        if type == "A/AAAA":
            try:
                for v in d["Value"].split(","):
                    ipaddress.ip_address(v.strip())
            except ValueError:
                raise ApiError(400, "InvalidParameter.Data",
                               "The value of the A/AAAA record is invalid.")
        return d

    @staticmethod
    def _proxy(p, dflt, biz_dflt):
        px = p.get("Proxied")
        if px not in (None, "true", "false"):
            raise ApiError(400, "InvalidParameter",
                           "The specified parameter Proxied is invalid.")
        px = dflt if px is None else px == "true"
        biz = p.get("BizName", biz_dflt)
        if px and biz not in ("web", "api", "image_video"):
            raise ApiError(400, "InvalidParameter.BizName",
                           "BizName is required for a proxied record.")
        return px, biz

    @staticmethod
    def _ttl(p, dflt):
        try:
            t = int(p.get("Ttl", dflt))
        except ValueError:
            t = -1
        if not (t == 1 or 30 <= t <= 86400):
            raise ApiError(400, "InvalidParameter.Ttl",
                           "The specified parameter Ttl is invalid.")
        return t

    def do_ListSites(self, p):
        name = p.get("SiteName")
        mode = p.get("SiteSearchType", "exact")
        sites = sorted(self.sites.items())
        if name is not None:
            if mode == "exact":
                sites = [s for s in sites if s[0] == name.lower()]
            else:
                sites = [s for s in sites if name.lower() in s[0]]
        return {"TotalCount": len(sites), "PageNumber": 1, "PageSize": 500,
                "Sites": [{"SiteId": i, "SiteName": n, "Status": "active",
                           "AccessType": "NS", "Coverage": "domestic"}
                          for n, i in sites]}

    def do_ListRecords(self, p):
        sid = self._site_id(p)
        rs = [r for r in self.records.values() if r["SiteId"] == sid]
        if p.get("RecordName"):
            name = p["RecordName"].lower()
            if p.get("RecordMatchType", "exact") == "exact":
                rs = [r for r in rs if r["RecordName"] == name]
            else:
                rs = [r for r in rs if name in r["RecordName"]]
        if p.get("Type"):
            rs = [r for r in rs if r["RecordType"] == p["Type"]]
        return {"TotalCount": len(rs), "PageNumber": 1,
                "PageSize": int(p.get("PageSize", 500)),
                "Records": [json.loads(json.dumps(r)) for r in rs]}

    def do_CreateRecord(self, p):
        sid = self._site_id(p)
        name = self._need(p, "RecordName").lower()
        type = self._need(p, "Type")
        d = self._data(p, type)
        px, biz = self._proxy(p, False, None)
        site = [n for n, i in self.sites.items() if i == sid][0]
        if name != site and not name.endswith("." + site):
            raise ApiError(400, "InvalidParameter.RecordName",
                           "The record name does not belong to the site.")
        if any(r["SiteId"] == sid and r["RecordName"] == name and
               r["RecordType"] == type for r in self.records.values()):
            raise ApiError(400, "RecordExist",                  # assumed
                           "The record already exists.")
        rid = self._add(sid, name, type, d["Value"], self._ttl(p, 1), px,
                        biz if px else None)
        return {"RecordId": rid}

    def do_UpdateRecord(self, p):
        try:
            rid = int(self._need(p, "RecordId"))
        except ValueError:
            rid = None
        r = self.records.get(rid)
        if r is None:
            raise ApiError(404, "RecordNotFound",               # assumed
                           "The specified record does not exist.")
        type = p.get("Type", r["RecordType"])
        d = self._data(p, type)
        px, biz = self._proxy(p, r["Proxied"], r.get("BizName"))
        r.update(RecordType=type, Data={"Value": d["Value"]},
                 Ttl=self._ttl(p, r["Ttl"]), Proxied=px)
        if px:
            r["BizName"] = biz
        else:
            r.pop("BizName", None)
        return {}


class EsaHandler(MockHandler):
    def respond(self, call):
        raw = urllib.parse.urlsplit(self.path).query
        return self.server.state["esa"].handle(call, raw)


def start(servers, tls=None, sites=("example.com",), **kw):
    """Start a mock (via the conftest `servers` fixture) holding sites.
    The returned server has .esa (the EsaState) and .endpoint."""
    srv = servers(EsaHandler, tls=tls)
    esa = EsaState(sites=sites, **kw)
    srv.state["esa"] = esa
    srv.esa = esa
    srv.endpoint = srv.url
    return srv
