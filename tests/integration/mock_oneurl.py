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
Both take the request's source address when no address is named, as the
vendors document. state["records"]: name -> {"A": addr, "AAAA": addr}.
state["codes"][name] = (status, headers, body) answers that instead.
"""
import ipaddress

from harness import MockHandler


def _fam(ip):
    return "A" if ipaddress.ip_address(ip).version == 4 else "AAAA"


class OneurlHandler(MockHandler):
    def respond(self, call):
        st = self.server.state
        if not (call.headers.get("User-Agent") or "").startswith("ddnsup/"):
            return 403, {}, "Forbidden"
        q = {k: v[0] for k, v in call.query.items()}
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


def freedns_state(tokens):
    """tokens: token -> the record's name."""
    return {"dialect": "freedns", "tokens": dict(tokens), "records": {},
            "codes": {}}


def goip_state(users):
    """users: (user, password) -> subdomains."""
    return {"dialect": "goip", "users": {k: set(v) for k, v in users.items()},
            "records": {}, "codes": {}}
