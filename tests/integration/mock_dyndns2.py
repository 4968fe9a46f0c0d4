"""A stateful mock of a dyndns2 service, on loopback.

Dyndns2Handler keeps hostname -> {"A": ip, "AAAA": ip} in server.state
and answers like members.dyndns.org: Basic auth checked (401 "badauth"),
a User-Agent required ("badagent"), "nohost" for names it does not hold,
"good <ip>" / "nochg <ip>". server.state["codes"][hostname] makes it
answer (status, body) for that name instead.
"""
import base64
import ipaddress

from harness import MockHandler


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


class Dyndns2Handler(MockHandler):
    def respond(self, call):
        st = self.server.state
        if call.path != st.get("path", "/nic/update"):
            return 404, {}, "Not Found"
        if not (call.headers.get("User-Agent") or "").startswith("ddnsup/"):
            return 200, {}, "badagent"
        if _basic(call) not in st["users"]:
            return 401, {"WWW-Authenticate": 'Basic realm="update"'}, "badauth"
        host = (call.query.get("hostname") or [""])[0]
        if host in st.get("codes", {}):
            return st["codes"][host]
        if host not in st["hosts"]:
            return 200, {}, "nohost"
        q = {k: v[0] for k, v in call.query.items()}
        sent = [q[k] for k in ("myip", "myipv4", "myipv6")
                if q.get(k) not in (None, "preserve")]
        if not sent:            # as Dyn: the address the request came from
            sent = [self.client_address[0]]
        changed = False
        for ip in sent:
            fam = _fam(ip)
            changed |= st["hosts"][host].get(fam) != ip
            st["hosts"][host][fam] = ip
        return 200, {}, "%s %s\n" % ("good" if changed else "nochg",
                                     ",".join(sent))


def dyndns2_state(users=(("alice", "s3cret-pw"),), hosts=("home.example.com",),
                  path="/nic/update"):
    """An initial state: users are (user, password) pairs."""
    return {"users": {tuple(u) for u in users},
            "hosts": {h: {} for h in hosts},
            "codes": {}, "path": path}
