"""A webhook target for the callback provider.

It records every request (server.calls, from harness), can require
"Authorization: Bearer <token>", and answers with a configured status,
headers and body -- or with a script of replies, one per request.

    srv = mock_callback.start(servers, token="t0k", body="good\\n")
    srv.state["status"] = 503          # later requests get 503
    srv.state["replies"] = [(429, {"Retry-After": "60"}, "slow")]
"""
import harness


class CallbackHandler(harness.MockHandler):
    def respond(self, call):
        st = self.server.state
        token = st.get("token")
        if token is not None and \
                call.headers.get("Authorization") != "Bearer " + token:
            return 401, {"WWW-Authenticate": "Bearer"}, "bad token\n"
        if st.get("replies"):
            return st["replies"].pop(0)
        return st.get("status", 200), dict(st.get("headers", {})), \
            st.get("body", "good\n")


def start(servers, tls=None, token=None, status=200, body="good\n",
          headers=None):
    """Start a callback target; the knobs live in srv.state."""
    srv = servers(CallbackHandler, tls=tls)
    srv.state.update(token=token, status=status, body=body,
                     headers=headers or {}, replies=[])
    return srv
