"""What only ddnsup.exe does: the default config and state under the
user's %APPDATA% and %LOCALAPPDATA%, never the working directory (the
Task Scheduler starts a task in System32). Run by make check-windows.

Wine sets APPDATA and LOCALAPPDATA itself, from its prefix
(C:\\users\\<user>\\AppData\\...), whatever the Unix environment says.
"""
import os

import pytest

import harness
from harness import run, write_config

pytestmark = pytest.mark.skipif(
    not harness.ON_WINE, reason="Windows paths: runs against ddnsup.exe "
    "under Wine (make check-windows)")

APPDATA_CFG = "\\AppData\\Roaming\\ddnsup\\ddnsup.json"
LOCAL_STATE = "\\AppData\\Local\\ddnsup\\state.json"


def test_default_config_is_appdata_not_working_directory(tmp_path):
    # A config in the working directory is not the one read.
    write_config(str(tmp_path / "ddnsup.json"), {"records": [
        {"name": "home.example.com", "provider": "callback",
         "url": "http://127.0.0.1:9/x"}]})
    r = run(["--check-config"], cwd=str(tmp_path))
    assert r.code == 78, r
    assert "C:\\users\\" in r.err and APPDATA_CFG + " does not exist" in r.err, r
    assert str(tmp_path) not in r.err, r


def test_default_state_is_localappdata(tmp_path):
    path = write_config(str(tmp_path / "ddnsup.json"), {"records": [
        {"name": "home.example.com", "provider": "callback",
         "url": "http://127.0.0.1:9/x"}]})
    r = run(["--check-config", "-c", path], cwd=str(tmp_path))
    assert r.code == 0, r
    (line,) = [l for l in r.out.splitlines() if l.strip().startswith("state: ")]
    state = line.split("state: ", 1)[1]
    assert state.startswith("C:\\users\\") and state.endswith(LOCAL_STATE), r


def test_windows_path_and_relative_state(tmp_path):
    # -c as Windows spells it (drive letter, backslashes): "state" is
    # relative to the config file's folder, not the working directory.
    d = tmp_path / "etc"
    d.mkdir()
    write_config(str(d / "ddnsup.json"), {
        "state": "state.json", "records": [
            {"name": "home.example.com", "provider": "callback",
             "url": "http://127.0.0.1:9/x"}]})
    winpath = "Z:" + str(d).replace("/", "\\")
    r = run(["--check-config", "-c", winpath + "\\ddnsup.json"], cwd="/")
    assert r.code == 0, r
    assert "state: %s\\state.json" % winpath in r.out, r


# ---- the system proxy ("Internet Options"), read with WinHTTP -------------

PROXY_KEY = ("HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\"
             "Internet Settings\\Connections")


def set_ie_proxy(proxy, bypass):
    """Set the user's manual proxy as the Internet Options dialog stores it
    (the DefaultConnectionSettings blob: version, counter, flags 2 = "use a
    proxy server", then length-prefixed proxy and bypass strings); None
    removes it."""
    import struct
    import subprocess
    w = harness.wine_env()
    wine = w.pop("WINE")
    env = dict(os.environ, **w)
    if proxy is None:
        subprocess.run([wine, "reg", "delete", PROXY_KEY, "/v",
                        "DefaultConnectionSettings", "/f"], env=env,
                       capture_output=True)
        return
    px, by = proxy.encode(), bypass.encode()
    blob = (struct.pack("<III", 0x46, 1, 2) + struct.pack("<I", len(px)) + px
            + struct.pack("<I", len(by)) + by + struct.pack("<I", 0)
            + b"\0" * 28)
    subprocess.run([wine, "reg", "add", PROXY_KEY, "/v",
                    "DefaultConnectionSettings", "/t", "REG_BINARY", "/d",
                    blob.hex(), "/f"], env=env, check=True, capture_output=True)


class ProxyHandler(harness.MockHandler):
    """A forward proxy on loopback that answers itself: GET http://A/ is
    answered with A's address-echo reply, so nothing leaves the machine."""

    def do_GET(self):
        self.server.calls.append(self.path)
        ok = self.path.startswith("http://192.0.2.1/")
        payload = b"203.0.113.77" if ok else b"not proxied here"
        self.send_response(200 if ok else 404)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def test_system_proxy_is_used(tmp_path, servers):
    px = servers(ProxyHandler)
    path = write_config(str(tmp_path / "c.json"), {"probe": {
        "ipv4": ["http://192.0.2.1/"], "allow_nonpublic": ["documentation"]}})
    set_ie_proxy("127.0.0.1:%d" % px.httpd.server_address[1], "<local>")
    try:
        r = run(["--probe", "-4", "-v", "-c", path])
        assert r.code == 0, r
        assert r.out == "203.0.113.77\n", r
        assert "system proxy: 127.0.0.1:%d for http" \
            % px.httpd.server_address[1] in r.err, r
        assert "http://192.0.2.1/" in px.calls
        # A proxy named in the environment wins; the system one is unused.
        n = len(px.calls)
        r = run(["--probe", "-4", "-c", path],
                env={"http_proxy": "http://127.0.0.1:9"})
        assert r.code == 69, r
        assert len(px.calls) == n
    finally:
        set_ie_proxy(None, None)
