"""A stateful mock of DuckDNS, on loopback.

DuckHandler keeps domain -> {"ip", "ipv6"} in server.state["domains"]; a
wrong token or unknown domain is "KO", as at DuckDNS. Without ip= it takes
the client address, as DuckDNS does. state["fail"] = status makes every
request fail with that HTTP status.
"""
from harness import MockHandler


class DuckHandler(MockHandler):
    def respond(self, call):
        st = self.server.state
        if call.path != "/update":
            return 404, {}, "Not Found"
        if st.get("fail"):
            return st["fail"], {}, "server error"
        q = {k: v[0] for k, v in call.query.items()}
        dom = st["domains"].get(q.get("domains", ""))
        if q.get("token") != st["token"] or dom is None:
            return 200, {}, "KO"
        ip = q.get("ip") or self.client_address[0]
        before = dict(dom)
        dom["ip"] = ip
        if q.get("ipv6"):
            dom["ipv6"] = q["ipv6"]
        if q.get("verbose") != "true":
            return 200, {}, "OK"
        return 200, {}, "OK\n%s\n%s\n%s" % (
            dom["ip"], dom.get("ipv6", ""),
            "NOCHANGE" if dom == before else "UPDATED")


def duck_state(token, domains=("home",)):
    return {"token": token, "domains": {d: {} for d in domains}}
