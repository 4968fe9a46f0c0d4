"""Stateful mocks of the one-URL services (providers/oneurl.c), on loopback.

OneurlHandler plays server.state["dialect"]:
- "freedns": FreeDNS's dynamic DNS v2. GET /u/<token>/?ip=<addr>; each
  token names one record (state["tokens"]: token -> name); the address
  family picks A or AAAA. Replies, as FreeDNS words them: "Updated 1
  host(s) <name> to <addr> in 0.1 seconds", "No IP change detected for
  <name> with IP <addr>, skipping update", and "ERROR: Unable to locate
  this record" for a token it does not know.
- "goip": GoIP. GET /setip?username=&password=&subdomain=&ip= (or ip6=);
  state["users"]: (user, password) -> set of subdomains. Replies "<name>
  (<addr>)" on success (with or without a change) and "Zugriff
  verweigert" for a bad login or a subdomain not the user's.
- "myaddr": myaddr. GET /update?key=&ip=; state["tokens"]: key -> name.
  "OK" on success (with or without a change); an unknown key: 404, a
  missing or malformed ip: 400 (ddns-updater's reading of the service).
- "servercow": Servercow's dnsupdate. GET /dnsupdate/update.php?username=
  &pass=&hostname=&ipaddr= (IPv6: ip6addr=); state["users"]: (username,
  pass) -> set of hostnames. Replies "OKv4" / "OKv6" (OpenWrt's
  ddns-scripts expects those; IPFire's ddns reads the "OK"), with or
  without a change, and "FAILED - Authentication failed" for a bad
  login (IPFire's ddns) or a hostname not the user's.
- "zoneedit": ZoneEdit. GET /auth/dynamic.html?host=&dnsto= with HTTP
  Basic auth; state["users"]: (user, token) -> set of zones. No
  Authorization header: 401 and an HTML page, as the old document shows;
  a wrong pair: "<ERROR CODE="708" ...>". A host in none of the user's
  zones: 701. The address the name already has: 707 "Duplicate updates";
  an update sooner than state["min_interval"] seconds after the last one
  of the name: state["too_soon"] (code, text). Success: "<SUCCESS
  CODE="200" ...>", elements left open as ZoneEdit sends them; with
  state["trailer"], an extra SUCCESS 200 follows every reply (ddclient PR
  543).
All take the request's source address when no address is named, as the
vendors document. state["records"]: name -> {"A": addr, "AAAA": addr}.
state["codes"][name] = (status, headers, body) answers that instead.
"""
import base64
import ipaddress
import time

from harness import MockHandler


def _fam(ip):
    return "A" if ipaddress.ip_address(ip).version == 4 else "AAAA"


class OneurlHandler(MockHandler):
    def respond(self, call):
        st = self.server.state
        if not (call.headers.get("User-Agent") or "").startswith("ddnsup/"):
            return 403, {}, "Forbidden"
        q = {k: v[0] for k, v in call.query.items()}
        if st["dialect"] == "zoneedit":
            return self._zoneedit(call, q)
        if st["dialect"] == "servercow":
            return self._servercow(call, q)
        if st["dialect"] == "myaddr":
            return self._myaddr(call, q)
        if st["dialect"] == "freedns":
            parts = call.path.split("/")
            if len(parts) != 4 or parts[1] != "u" or parts[3] != "":
                return 404, {}, "Not Found"
            name = st["tokens"].get(parts[2])
            if name is None:
                return 200, {}, "ERROR: Unable to locate this record\n"
            ip = q.get("ip") or self.client_address[0]
        else:
            if call.path != "/setip":
                return 404, {}, "Not Found"
            name = q.get("subdomain", "")
            mine = st["users"].get((q.get("username"), q.get("password")))
            if mine is None or name not in mine:
                return 200, {}, "Zugriff verweigert\n"
            ip = q.get("ip6") or q.get("ip") or self.client_address[0]
            if "ip6" in q and _fam(q["ip6"]) != "AAAA":
                return 200, {}, "Fehler: ip6\n"
        if name in st.get("codes", {}):
            return st["codes"][name]
        rec = st["records"].setdefault(name, {})
        changed = rec.get(_fam(ip)) != ip
        rec[_fam(ip)] = ip
        if st["dialect"] == "goip":
            return 200, {}, "%s (%s)\n" % (name, ip)
        if changed:
            return 200, {}, ("Updated 1 host(s) %s to %s in 0.1 "
                             "seconds\n" % (name, ip))
        return 200, {}, ("No IP change detected for %s with IP %s, "
                         "skipping update\n" % (name, ip))


    def _myaddr(self, call, q):
        st = self.server.state
        if call.path != "/update":
            return 404, {}, "Not Found"
        name = st["tokens"].get(q.get("key"))
        if name is None:
            return 404, {}, "key not found\n"
        try:
            ip = q.get("ip") or self.client_address[0]
            fam = _fam(ip)
        except ValueError:
            return 400, {}, "invalid ip\n"
        if name in st.get("codes", {}):
            return st["codes"][name]
        st["records"].setdefault(name, {})[fam] = ip
        return 200, {}, "OK"

    def _servercow(self, call, q):
        st = self.server.state
        if call.path != "/dnsupdate/update.php":
            return 404, {}, "Not Found"
        name = q.get("hostname", "")
        mine = st["users"].get((q.get("username"), q.get("pass")))
        if mine is None or name not in mine:
            return 200, {}, "FAILED - Authentication failed\n"
        if name in st.get("codes", {}):
            return st["codes"][name]
        ip = q.get("ip6addr") or q.get("ipaddr") or self.client_address[0]
        if "ip6addr" in q and _fam(ip) != "AAAA" or \
                "ipaddr" in q and _fam(ip) != "A":
            return 200, {}, "FAILED - wrong address family\n"
        st["records"].setdefault(name, {})[_fam(ip)] = ip
        return 200, {}, "OKv%d\n" % (6 if _fam(ip) == "AAAA" else 4)

    def _zoneedit(self, call, q):
        st = self.server.state
        if call.path != "/auth/dynamic.html":
            return 404, {}, "Not Found"
        auth = call.headers.get("Authorization") or ""
        if not auth.startswith("Basic "):
            return 401, {"WWW-Authenticate": 'Basic realm="zoneedit"'}, (
                "<html><head><title>Authentication Failed </title></head>"
                "</html>\n")
        user, _, token = base64.b64decode(auth[6:]).decode().partition(":")
        zones = st["users"].get((user, token))
        tail = ('\n<SUCCESS CODE="200" TEXT="Update succeeded.">'
                if st.get("trailer") else "")
        if zones is None:
            return 200, {}, ('<ERROR CODE="708" TEXT="Login/authorization '
                             'error">' + tail)
        host = q.get("host", "").lower()
        if not host:
            return 200, {}, ('<ERROR CODE="703" TEXT="one of either '
                             'parameters \'zones\' or \'host\' are '
                             'required.">' + tail)
        zone = max((z for z in zones if host == z or
                    host.endswith("." + z)), key=len, default=None)
        if zone is None:
            return 200, {}, ('<ERROR CODE="701" TEXT="Zone is not set up in '
                             'this account." ZONE="%s">' %
                             ".".join(host.split(".")[-2:]) + tail)
        if host in st.get("codes", {}):
            return st["codes"][host]
        ip = q.get("dnsto") or self.client_address[0]
        try:
            fam = _fam(ip)
        except ValueError:
            return 200, {}, ('<ERROR CODE="709" TEXT="Invalid IP" '
                             'ZONE="%s">' % zone + tail)
        rec = st["records"].setdefault(host, {})
        if rec.get(fam) == ip:
            return 200, {}, ('<ERROR CODE="707" TEXT="Duplicate updates for '
                             'the same host/ip, adjust client settings" '
                             'ZONE="%s" HOST="%s">' % (zone, host) + tail)
        now = time.time()
        if now - st["last"].get(host, 0) < st.get("min_interval", 0):
            code, text = st["too_soon"]
            return 200, {}, ('<ERROR CODE="%s" TEXT="%s" ZONE="%s">' %
                             (code, text, zone) + tail)
        st["last"][host] = now
        rec[fam] = ip
        return 200, {}, ('<SUCCESS CODE="200" TEXT="Update succeeded." '
                         'ZONE="%s" HOST="%s" IP="%s">' % (zone, host, ip)
                         + tail)


def zoneedit_state(users):
    """users: (user, dynamic token) -> zones."""
    return {"dialect": "zoneedit",
            "users": {k: set(v) for k, v in users.items()},
            "records": {}, "codes": {}, "last": {}, "min_interval": 0,
            "too_soon": ("707", "Too frequent updates for the same host, "
                         "adjust client settings"), "trailer": False}


def freedns_state(tokens):
    """tokens: token -> the record's name."""
    return {"dialect": "freedns", "tokens": dict(tokens), "records": {},
            "codes": {}}


def myaddr_state(keys):
    """keys: key -> the name it updates."""
    return {"dialect": "myaddr", "tokens": dict(keys), "records": {},
            "codes": {}}


def servercow_state(users):
    """users: (username, pass) -> hostnames."""
    return {"dialect": "servercow",
            "users": {k: set(v) for k, v in users.items()},
            "records": {}, "codes": {}}


def goip_state(users):
    """users: (user, password) -> subdomains."""
    return {"dialect": "goip", "users": {k: set(v) for k, v in users.items()},
            "records": {}, "codes": {}}
