"""Loopback servers and a runner for driving the real ddnsup binary.

Every server listens on 127.0.0.1 (or ::1) port 0; nothing here reaches
another address. Mocks subclass MockHandler and implement respond().

DDNSUP_BIN picks the binary; a path ending in .exe is ddnsup.exe, run
through Wine (ON_WINE; see wine_env() and "make check-windows").
"""
import http.server
import json
import os
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("DDNSUP_BIN", os.path.join(ROOT, "ddnsup"))
# True when the binary under test is the Windows build run through Wine:
# tests of what cannot apply there skip with
# @pytest.mark.skipif(harness.ON_WINE, reason="...").
ON_WINE = BIN.lower().endswith(".exe")
# Wine's own start-up, allowed on top of every wall-clock limit a test
# sets on a run. Measured on a 2-core machine: 0.1-0.3 s a run with the
# session's persistent wineserver (conftest.py), 2-3 s when each run has
# to boot Wine's services again; the suite passes either way.
WINE_START = 3.0 if ON_WINE else 0.0
# Why some tests do not run under Wine (pytest.mark.skipif(ON_WINE, ...)).
WINE_NO_STORE_CHECK = (
    "Wine's Schannel does not verify a server certificate against the "
    "Windows store (curl leaves that to Schannel when no cafile is set); "
    "real Windows refuses it. The cafile checks, done by curl, do run")
WINE_NO_MODES = (
    "POSIX file modes do not exist on Windows; ddnsup.exe does not check "
    "or set ACLs (checking that a file is not readable by others via its "
    "ACL is out of scope)")


def wine_env():
    """The environment Wine needs, added to every run of ddnsup.exe:
    a prefix of our own (never the user's ~/.wine), no debug chatter, no
    Mono/Gecko install prompts."""
    cache = os.environ.get("XDG_CACHE_HOME") or \
        os.path.join(os.path.expanduser("~"), ".cache")
    return {
        "WINEPREFIX": os.environ.get("WINEPREFIX") or
        os.path.join(cache, "ddnsup-win", "wine"),
        "WINEDEBUG": "-all",
        "WINEDLLOVERRIDES": "mscoree,mshtml=",
        "WINE": os.environ.get("WINE", "wine"),
    }


class Call:
    """One request as the mock saw it."""

    def __init__(self, method, path, query, headers, body):
        self.method = method
        self.path = path
        self.query = query          # dict: name -> list of values
        self.headers = headers      # email.message.Message (case-insensitive)
        self.body = body            # bytes

    def json(self):
        return json.loads(self.body.decode())

    def __repr__(self):
        return "Call(%s %s %r)" % (self.method, self.path, self.query)


class MockHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _any(self):
        u = urllib.parse.urlsplit(self.path)
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        call = Call(self.command, u.path, urllib.parse.parse_qs(u.query, keep_blank_values=True),
                    self.headers, body)
        self.server.calls.append(call)
        r = self.respond(call)
        if r is None:           # the handler took over the socket
            return
        status, headers, payload = r
        if isinstance(payload, (dict, list)):
            payload = json.dumps(payload).encode()
            headers = dict({"Content-Type": "application/json"}, **headers)
        elif isinstance(payload, str):
            payload = payload.encode()
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _any

    def respond(self, call):
        """Return (status, headers dict, body bytes|str|dict), or None."""
        raise NotImplementedError

    def reset(self):
        """Abort the connection with a TCP RST."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack("ii", 1, 0))
        self.connection.close()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class _Server6(_Server):
    address_family = socket.AF_INET6


class Server:
    """A threaded HTTP(S) server on loopback; .url is its base URL."""

    def __init__(self, handler, tls=None, v6=False, host=None):
        cls = _Server6 if v6 else _Server
        bind = "::1" if v6 else "127.0.0.1"
        self.httpd = cls((bind, 0), handler)
        self.httpd.calls = []
        self.httpd.state = {}
        if tls is not None:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(tls.cert, tls.key)
            self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        port = self.httpd.server_address[1]
        scheme = "https" if tls is not None else "http"
        # Wine's Schannel cannot match an IP-address SAN: reach a TLS
        # server by its DNS name there (the test certificate has both).
        if host is None and tls is not None and ON_WINE and not v6:
            host = "localhost"
        h = host or ("[::1]" if v6 else "127.0.0.1")
        self.url = "%s://%s:%d" % (scheme, h, port)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def calls(self):
        return self.httpd.calls

    @property
    def state(self):
        return self.httpd.state

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class TestCA:
    """A throwaway CA and a server certificate for localhost/127.0.0.1/::1."""

    def __init__(self, d):
        self.dir = d
        self.ca = os.path.join(d, "ca.pem")
        self.cert = os.path.join(d, "server.pem")
        self.key = os.path.join(d, "server.key")
        cakey = os.path.join(d, "ca.key")
        ext = os.path.join(d, "ext.cnf")
        with open(ext, "w") as f:
            f.write("subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n"
                    "basicConstraints=CA:FALSE\n")
        run = lambda *a: subprocess.run(a, check=True, capture_output=True)
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=ddnsup test CA", "-keyout", cakey, "-out", self.ca)
        csr = os.path.join(d, "server.csr")
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
            "-keyout", self.key, "-out", csr)
        run("openssl", "x509", "-req", "-in", csr, "-CA", self.ca, "-CAkey", cakey,
            "-CAcreateserial", "-days", "2", "-extfile", ext, "-out", self.cert)


class Result:
    def __init__(self, proc, elapsed):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr
        self.elapsed = elapsed

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return "Result(code=%d, out=%r, err=%r)" % (self.code, self.out, self.err)


def command():
    """The argv prefix that runs ddnsup, and the environment it needs."""
    if not ON_WINE:
        return [BIN], {}
    w = wine_env()
    return [w.pop("WINE"), BIN], w


def run(args, env=None, timeout=60, cwd=None):
    """Run ddnsup with args; env adds to a clean environment."""
    e = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
         "HOME": os.environ.get("HOME", "/tmp")}
    for k in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        e.pop(k, None)
    cmd, extra = command()
    e.update(extra)
    e.update(env or {})
    t0 = time.monotonic()
    p = subprocess.run(cmd + list(args), env=e, capture_output=True, text=True,
                       timeout=timeout, cwd=cwd)
    if ON_WINE and p.returncode == 1 and p.stdout == "" and p.stderr == "":
        # ddnsup never exits 1 (ddnsup.h lists its statuses) and always
        # says why it failed: exit 1 with no output is the wine launcher
        # failing to start the program (seen once in ~1300 runs, a
        # wineserver hiccup). Say so and start it once more.
        sys.stderr.write("harness: wine exited 1 without output before "
                         "ddnsup.exe ran; starting it again\n")
        t0 = time.monotonic()
        p = subprocess.run(cmd + list(args), env=e, capture_output=True,
                           text=True, timeout=timeout, cwd=cwd)
    return Result(p, time.monotonic() - t0)


def write_config(path, cfg):
    with open(path, "w") as f:
        json.dump(cfg, f, indent=2, ensure_ascii=False)
    os.chmod(path, 0o600)
    return path
