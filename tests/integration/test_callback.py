"""The callback provider end to end: the real binary against a loopback
webhook target (mock_callback), asserting the exact request it received,
the exit status, the output and the state file.
"""
import json
import os
import urllib.parse

import pytest

import harness
import mock_callback

V4 = "203.0.113.7"
V6 = "2001:db8::7"
# Every character config.c lets through in a name that a URL, a form or a
# JSON string would trip over.
ODD_NAME = "*.wild_card@\u4e2d\u6587.example.com"
# A token that changes under percent-encoding and JSON escaping.
TOKEN = 'Tok/en+with "q"&=%\\x'


def run_cb(tmp_path, rec, *args, env=None, top=None, ip=(V4,)):
    """Run ddnsup with one callback record; returns harness.Result."""
    cfg = dict(top or {})
    cfg["records"] = [dict({"provider": "callback"}, **rec)]
    path = harness.write_config(str(tmp_path / "ddnsup.json"), cfg)
    argv = ["-c", path, "--state", str(tmp_path / "state.json")]
    for a in ip:
        argv += ["--ip", a]
    return harness.run(argv + list(args), env=env)


def state(tmp_path):
    with open(tmp_path / "state.json") as f:
        return json.load(f)


def test_get_query_vars(tmp_path, servers):
    srv = mock_callback.start(servers)
    r = run_cb(tmp_path, {
        "name": ODD_NAME, "ttl": 120,
        "url": srv.url + "/nic/update?ip={address}&host={name}&t={type}"
               "&f={family}&ttl={ttl}&lit={{x}"})
    assert r.code == 0, r
    assert len(srv.calls) == 1
    c = srv.calls[0]
    assert c.method == "GET"
    assert c.path == "/nic/update"
    assert c.query == {"ip": [V4], "host": [ODD_NAME], "t": ["A"],
                       "f": ["4"], "ttl": ["120"], "lit": ["{x}"]}
    assert r.out == "%s A %s updated\n" % (ODD_NAME, V4)


def test_post_json_both_families(tmp_path, servers):
    srv = mock_callback.start(servers)
    body = ('{"ip": "{ip}", "name": "{name}", "type": "{type}", '
            '"family": {family}, "note": "{{literal}"}')
    r = run_cb(tmp_path, {
        "name": ODD_NAME, "types": ["A", "AAAA"], "url": srv.url + "/hook",
        "headers": {"Content-Type": "application/json; charset=utf-8"},
        "body": body}, ip=(V4, V6))
    assert r.code == 0, r
    assert sorted(c.method for c in srv.calls) == ["POST", "POST"]
    got = sorted((c.json() for c in srv.calls), key=lambda j: j["family"])
    assert got == [
        {"ip": V4, "name": ODD_NAME, "type": "A", "family": 4,
         "note": "{literal}"},
        {"ip": V6, "name": ODD_NAME, "type": "AAAA", "family": 6,
         "note": "{literal}"}]
    for c in srv.calls:
        assert c.headers["Content-Type"] == "application/json; charset=utf-8"


def test_json_body_escapes_token(tmp_path, servers):
    """No Content-Type configured: a body starting with "{" goes as JSON,
    escaped as JSON, so a hostile token cannot break out of its string."""
    srv = mock_callback.start(servers)
    r = run_cb(tmp_path, {
        "name": "home.example.com", "url": srv.url + "/hook",
        "token": {"env": "CB_TOKEN"},
        "body": '{"token": "{token}", "ip": "{address}"}'},
        env={"CB_TOKEN": TOKEN})
    assert r.code == 0, r
    c = srv.calls[0]
    assert c.headers["Content-Type"] == "application/json"
    assert c.json() == {"token": TOKEN, "ip": V4}


def test_form_body(tmp_path, servers):
    srv = mock_callback.start(servers)
    r = run_cb(tmp_path, {
        "name": ODD_NAME, "url": srv.url + "/form", "method": "put",
        "token": {"env": "CB_TOKEN"},
        "headers": {"Content-Type": "application/x-www-form-urlencoded"},
        "body": "ip={address}&host={name}&tok={token}"},
        env={"CB_TOKEN": TOKEN})
    assert r.code == 0, r
    c = srv.calls[0]
    assert c.method == "PUT"
    assert urllib.parse.parse_qs(c.body.decode(), strict_parsing=True) == {
        "ip": [V4], "host": [ODD_NAME], "tok": [TOKEN]}


def test_form_body_inferred(tmp_path, servers):
    srv = mock_callback.start(servers)
    r = run_cb(tmp_path, {"name": "home.example.com", "url": srv.url,
                          "body": "myip={address}&note=a b"})
    assert r.code == 0, r
    c = srv.calls[0]
    assert c.method == "POST"
    assert c.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert c.body == b"myip=203.0.113.7&note=a b"


def test_token_header_never_printed(tmp_path, servers):
    srv = mock_callback.start(servers, token=TOKEN)
    r = run_cb(tmp_path, {
        "name": "home.example.com", "token": {"env": "CB_TOKEN"},
        "url": srv.url + "/u?ip={ip}&key={token}",
        "headers": {"Authorization": "Bearer {token}",
                    "X-Other": "k={token}"},
        "body": '{"t": "{token}"}'},
        "-vv", env={"CB_TOKEN": TOKEN})
    assert r.code == 0, r
    c = srv.calls[0]
    assert c.headers["Authorization"] == "Bearer " + TOKEN
    assert c.headers["X-Other"] == "k=" + TOKEN
    assert c.query["key"] == [TOKEN]
    assert c.json() == {"t": TOKEN}
    # -vv dumped the request; no form of the token may show.
    assert "/u?" in r.err, r.err
    forms = [TOKEN, urllib.parse.quote(TOKEN, safe=""),
             json.dumps(TOKEN)[1:-1], "Tok/en"]
    for f in forms:
        assert f not in r.out and f not in r.err, (f, r.err)


def test_wrong_token_is_auth(tmp_path, servers):
    srv = mock_callback.start(servers, token="right-token")
    r = run_cb(tmp_path, {
        "name": "home.example.com", "url": srv.url,
        "token": {"env": "CB_TOKEN"},
        "headers": {"Authorization": "Bearer {token}"}},
        env={"CB_TOKEN": "wrong-Zq9-token"})
    assert r.code == 77, r
    assert "HTTP 401: bad token" in r.err
    assert "callback: home.example.com A:" in r.err
    assert "wrong-Zq9" not in r.err + r.out
    assert len(srv.calls) == 1
    # Held until the configuration changes: the next run does not call.
    r = run_cb(tmp_path, {
        "name": "home.example.com", "url": srv.url,
        "token": {"env": "CB_TOKEN"},
        "headers": {"Authorization": "Bearer {token}"}},
        env={"CB_TOKEN": "wrong-Zq9-token"})
    assert r.code == 77, r
    assert len(srv.calls) == 1


def test_success_body_mismatch(tmp_path, servers):
    srv = mock_callback.start(servers, body="badauth\n")
    r = run_cb(tmp_path, {"name": "home.example.com", "url": srv.url,
                          "success_body": "good"})
    assert r.code == 76, r
    assert 'did not contain "good": badauth' in r.err
    assert "failed (protocol)" in r.out


def test_failure_body(tmp_path, servers):
    srv = mock_callback.start(servers, body="ok\nERROR: zone locked\n")
    r = run_cb(tmp_path, {"name": "home.example.com", "url": srv.url,
                          "success_body": "ok", "failure_body": "ERROR"})
    assert r.code == 76, r
    assert '"ERROR"' in r.err


def test_success_status_list(tmp_path, servers):
    srv = mock_callback.start(servers, status=200, body="")
    rec = {"name": "home.example.com", "url": srv.url,
           "success_status": [201, 202]}
    r = run_cb(tmp_path, rec)
    assert r.code == 76, r
    assert "HTTP 200" in r.err
    srv.state["status"] = 202
    r = run_cb(tmp_path, rec)
    assert r.code == 0, r


def test_503_tempfail_with_retry_after(tmp_path, servers):
    srv = mock_callback.start(servers, status=503,
                              body="<h1>maintenance</h1>\n<p>later</p>",
                              headers={"Retry-After": "600"})
    rec = {"name": "home.example.com", "url": srv.url}
    r = run_cb(tmp_path, rec)
    assert r.code == 75, r
    assert "HTTP 503: <h1>maintenance</h1>" in r.err
    assert "later" not in r.err
    # In back-off: the next run does not call the target.
    r = run_cb(tmp_path, rec)
    assert r.code == 75, r
    assert len(srv.calls) == 1
    # --force does.
    srv.state["status"] = 200
    r = run_cb(tmp_path, rec, "-f")
    assert r.code == 0, r
    assert len(srv.calls) == 2


def test_second_run_same_address_no_call(tmp_path, servers):
    srv = mock_callback.start(servers)
    rec = {"name": "home.example.com", "url": srv.url + "/?ip={ip}"}
    assert run_cb(tmp_path, rec).code == 0
    r = run_cb(tmp_path, rec, "-u")
    assert r.code == 2, r
    assert r.out == "home.example.com A %s current\n" % V4
    assert len(srv.calls) == 1
    ents = state(tmp_path)["records"]
    assert [(e["provider"], e["name"], e["type"], e["address"])
            for e in ents] == [("callback", "home.example.com", "A", V4)]
    # A new address is pushed.
    r = run_cb(tmp_path, rec, ip=("198.51.100.9",))
    assert r.code == 0, r
    assert srv.calls[-1].query == {"ip": ["198.51.100.9"]}
    assert "updated (was %s)" % V4 in r.out


def test_https_with_test_ca(tmp_path, servers, ca):
    srv = mock_callback.start(servers, tls=ca)
    assert srv.url.startswith("https://")
    rec = {"name": "home.example.com", "url": srv.url + "/?ip={ip}"}
    r = run_cb(tmp_path, rec, top={"cafile": ca.ca})
    assert r.code == 0, r
    assert srv.calls[0].query == {"ip": [V4]}


@pytest.mark.skipif(harness.ON_WINE, reason=harness.WINE_NO_STORE_CHECK)
def test_https_untrusted_is_tempfail(tmp_path, servers, ca):
    srv = mock_callback.start(servers, tls=ca)
    r = run_cb(tmp_path, {"name": "home.example.com", "url": srv.url})
    assert r.code == 75, r
    assert srv.calls == []


def test_unknown_variable_is_config(tmp_path, servers):
    srv = mock_callback.start(servers)
    r = run_cb(tmp_path, {"name": "home.example.com",
                          "url": srv.url + "/?ip={adress}"})
    assert r.code == 78, r
    assert "unknown variable {adress}" in r.err
    assert srv.calls == []


def test_unset_variable_is_config(tmp_path, servers):
    srv = mock_callback.start(servers)
    r = run_cb(tmp_path, {"name": "home.example.com", "url": srv.url,
                          "body": "zone={zone}"})
    assert r.code == 78, r
    assert '{zone} is used but the record sets no "zone"' in r.err
    assert srv.calls == []


def test_header_injection_refused(tmp_path, servers):
    srv = mock_callback.start(servers)
    r = run_cb(tmp_path, {
        "name": "home.example.com", "url": srv.url,
        "token": {"env": "CB_TOKEN"},
        "headers": {"X-Api-Key": "{token}"}},
        env={"CB_TOKEN": "abc-Zq9\r\nX-Evil: 1"})
    assert r.code == 78, r
    assert "line break" in r.err
    assert "Evil" not in r.err and "abc-Zq9" not in r.err
    assert srv.calls == []


def test_transport_failure_is_tempfail(tmp_path, servers):
    srv = mock_callback.start(servers)
    url = srv.url
    srv.close()
    r = run_cb(tmp_path, {"name": "home.example.com", "url": url})
    assert r.code == 75, r
    assert "callback: home.example.com A:" in r.err


def test_cli_only_record(tmp_path, servers):
    """No config file: -p callback -o url=... with the token from the
    environment, success_status given as a string."""
    srv = mock_callback.start(servers, token="cli-Tok", status=204, body="")
    r = harness.run([
        "--state", str(tmp_path / "state.json"), "--ip", V4,
        "-p", "callback", "-o", "url=" + srv.url + "/?h={name}&ip={ip}",
        "-o", "headers={\"Authorization\": \"Bearer {token}\"}",
        "-o", "token=env:CB_TOKEN", "-o", "success_status=200,204",
        "cli.example.com"], env={
            "CB_TOKEN": "cli-Tok", "HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path / "config")})
    assert r.code == 0, r
    assert srv.calls[0].query == {"h": ["cli.example.com"], "ip": [V4]}
