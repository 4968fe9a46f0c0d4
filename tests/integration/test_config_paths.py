"""Config paths are relative to the config file, never to the working
directory (cron runs in /, the Task Scheduler in System32); secrets come
from files, systemd credentials and the environment."""
import json
import os

import pytest

import harness
from harness import run, write_config


def cfg(tmp_path, token):
    d = tmp_path / "etc"
    d.mkdir()
    return write_config(str(d / "ddnsup.json"), {
        "state": "state/state.json",
        "records": [{"name": "home.example.com", "provider": "cloudflare",
                     "token": token}]})


def test_relative_paths_follow_the_config_file(tmp_path):
    path = cfg(tmp_path, {"file": "token"})
    tok = tmp_path / "etc" / "token"
    tok.write_text("s3cret-token\n")
    tok.chmod(0o600)
    r = run(["--check-config", "-c", path], cwd="/")
    assert r.code == 0, r
    assert "state: %s/etc/state/state.json" % tmp_path in r.out, r
    assert r.err == "", r


@pytest.mark.skipif(harness.ON_WINE, reason=harness.WINE_NO_MODES)
def test_secret_file_readable_by_others_warns(tmp_path):
    path = cfg(tmp_path, {"file": "token"})
    tok = tmp_path / "etc" / "token"
    tok.write_text("s3cret-token\n")
    tok.chmod(0o644)
    r = run(["--check-config", "-c", path], cwd="/")
    assert r.code == 0, r
    assert "readable by other users" in r.err and str(tok) in r.err, r
    assert "s3cret-token" not in r.err + r.out


def test_systemd_credential(tmp_path):
    path = cfg(tmp_path, {"credential": "cf-token"})
    creds = tmp_path / "creds"
    creds.mkdir()
    (creds / "cf-token").write_text("s3cret-token")
    (creds / "cf-token").chmod(0o600)
    r = run(["--check-config", "-c", path],
            env={"CREDENTIALS_DIRECTORY": str(creds)})
    assert r.code == 0, r
    r = run(["--check-config", "-c", path])
    assert r.code == 78, r
    assert "CREDENTIALS_DIRECTORY" in r.err and "ddnsup.json:" in r.err, r


def test_missing_secret_file_names_file_and_key(tmp_path):
    path = cfg(tmp_path, {"file": "nope"})
    r = run(["--check-config", "-c", path])
    assert r.code == 78, r
    assert "records[0].token" in r.err and "nope" in r.err, r


def test_example_config_is_valid(tmp_path):
    """examples/ddnsup.json, as shipped, passes --check-config once the
    variables it names are set and the password file it names exists."""
    import re
    src = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))), "examples", "ddnsup.json")
    with open(src) as f:
        text = f.read()
    pw = tmp_path / "noip.pass"
    pw.write_text("pw\n")
    pw.chmod(0o600)
    text = text.replace("/etc/ddnsup/noip.pass", str(pw))
    text = text.replace("/var/lib/ddnsup/state.json", str(tmp_path / "st.json"))
    path = tmp_path / "ddnsup.json"
    path.write_text(text)
    path.chmod(0o600)
    env = {v: "x-%s-value" % v.lower() for v in re.findall(r'"env": "(\w+)"', text)}
    r = run(["--check-config", "-c", str(path)], env=env)
    assert r.code == 0, r
    names = re.findall(r'"name": "([^"]+)"', text)
    assert len(names) >= 7 and all(n in r.out for n in names), r
