"""A stateful mock of a dyndns2 service, on loopback.

Dyndns2Handler keeps hostname -> {"A": ip, "AAAA": ip} in server.state
and answers like members.dyndns.org: Basic auth checked (401 "badauth"),
a User-Agent required ("badagent"), "nohost" for names it does not hold,
"good <ip>" / "nochg <ip>". server.state["codes"][hostname] makes it
answer (status, body) for that name instead.

server.state["dialect"] (see DIALECTS) makes it speak one preset's
variant the way that vendor documents it: its path, which parameter
carries which family and what a family the request does not name
becomes (deSEC deletes it, Dynu sets it from the source address unless
told "no"), whether the username matters (ipv64 reads only the token),
and its reply words (Domeneshop: a bare 204 or 404; easyDNS: NOERROR /
NOACCESS inside an HTML page; ipv64: a status and a JSON note; Now-DNS:
its words with HTTP 400).
"""
import base64
import ipaddress

from harness import MockHandler

# preset -> how that service differs from Dyn. Keys: path, v4/v6 (the
# parameters it reads for each family), keep (the word that leaves a
# family alone), unnamed ("source": a family not named is set from the
# request's address; "delete": it is removed; default: left alone),
# anyuser (only the password is checked), reply ("dyndns2", "status",
# "easydns", "ipv64", "nowdns": badauth/nohost with HTTP 400).
DIALECTS = {
    "changeip": {}, "dnsomatic": {}, "dyn": {}, "he": {}, "noip": {},
    "nsupdate": {}, "ovh": {}, "selfhost": {}, "spdyn": {}, "strato": {},
    "dynv6": {}, "loopia": {"path": "/"},
    "desec": {"path": "/", "v4": ("myipv4", "myip"), "v6": ("myipv6",),
              "keep": "preserve", "unnamed": "delete"},
    "dynu": {"v4": ("myip",), "v6": ("myipv6",), "keep": "no",
             "unnamed": "source"},
    "inwx": {"v4": ("myip",), "v6": ("myipv6",)},
    "ipv64": {"v4": ("myip", "ip"), "v6": ("myipv6", "ip6"),
              "anyuser": True, "reply": "ipv64"},
    "domeneshop": {"path": "/v0/dyndns/update", "reply": "status"},
    "easydns": {"path": "/dyn/generic.php", "reply": "easydns"},
    "nowdns": {"path": "/update", "reply": "nowdns"},
    "allinkl": {"path": "/", "v4": ("myip",), "v6": ("myip6",)},
    "variomedia": {},
}


def _basic(call):
    """(user, password) from a Basic Authorization header, or None."""
    h = call.headers.get("Authorization") or ""
    if not h.startswith("Basic "):
        return None
    try:
        user, _, pw = base64.b64decode(h[6:]).decode().partition(":")
    except ValueError:
        return None
    return user, pw


def _fam(ip):
    return "A" if ipaddress.ip_address(ip).version == 4 else "AAAA"


def _easydns(word):
    """easyDNS's reply: the word inside an HTML page."""
    return 200, {"Content-Type": "text/html"}, (
        "<html><head><title>easyDNS</title></head><body>\n"
        "<p>%s</p>\n</body></html>\n" % word)


class Dyndns2Handler(MockHandler):
    def refuse(self, d, what):
        """The service's answer to a refusal: what is badauth or nohost."""
        reply = d.get("reply", "dyndns2")
        if reply == "easydns":      # NOACCESS: user, token, host or domain
            return _easydns("NOACCESS")
        if reply == "status":
            if what == "badauth":
                return 401, {"WWW-Authenticate": 'Basic realm="api"'}, ""
            return 404, {"Content-Type": "application/json"}, \
                '{"code":"record:notFound","help":"no such host"}'
        if reply == "nowdns":       # the word with HTTP 400
            return 400, {}, what
        if reply == "ipv64" and what == "badauth":
            return 401, {}, "Unauthorized"
        if what == "badauth":
            return 401, {"WWW-Authenticate": 'Basic realm="update"'}, \
                "badauth"
        return 200, {}, "nohost"

    def respond(self, call):
        st = self.server.state
        d = DIALECTS[st.get("dialect", "dyn")]
        if call.path != st.get("path", d.get("path", "/nic/update")):
            return 404, {}, "Not Found"
        if not (call.headers.get("User-Agent") or "").startswith("ddnsup/"):
            return 200, {}, "badagent"
        cred = _basic(call)
        if d.get("anyuser"):
            ok = cred is not None and cred[1] in {u[1] for u in st["users"]}
        else:
            ok = cred in st["users"]
        if not ok:
            return self.refuse(d, "badauth")
        host = (call.query.get("hostname") or [""])[0]
        if host in st.get("codes", {}):
            return st["codes"][host]
        if host not in st["hosts"]:
            return self.refuse(d, "nohost")
        q = {k: v[0] for k, v in call.query.items()}
        rec = st["hosts"][host]
        new = dict(rec)
        if "v4" in d:
            for fam, names in (("A", d["v4"]), ("AAAA", d["v6"])):
                vals = [q[n] for n in names if n in q]
                if vals and vals[0] == d.get("keep"):
                    continue
                if vals:
                    if _fam(vals[0]) != fam:
                        return 200, {}, "notfqdn"   # wrong family
                    new[fam] = vals[0]
                elif d.get("unnamed") == "source":
                    if _fam(self.client_address[0]) == fam:
                        new[fam] = self.client_address[0]
                elif d.get("unnamed") == "delete":
                    new.pop(fam, None)
            sent = [v for v in (q.get(n) for n in d["v4"] + d["v6"])
                    if v not in (None, d.get("keep"))]
        else:
            sent = [q["myip"]] if "myip" in q else \
                [self.client_address[0]]   # as Dyn: the request's address
            for ip in sent:
                new[_fam(ip)] = ip
        changed = new != rec
        st["hosts"][host] = new
        reply = d.get("reply", "dyndns2")
        if reply == "status":
            return 204, {}, ""
        if reply == "easydns":
            return _easydns("NOERROR")
        if reply == "ipv64":
            return 200, {"Content-Type": "application/json"}, \
                '{"info":"%s","status":"200 OK"}' % (
                    "good" if changed else "nochg")
        return 200, {}, "%s %s\n" % ("good" if changed else "nochg",
                                     ",".join(sent))


def dyndns2_state(users=(("alice", "s3cret-pw"),), hosts=("home.example.com",),
                  path=None, dialect="dyn"):
    """An initial state: users are (user, password) pairs."""
    st = {"users": {tuple(u) for u in users},
          "hosts": {h: {} for h in hosts},
          "codes": {}, "dialect": dialect}
    if path is not None:
        st["path"] = path
    return st
