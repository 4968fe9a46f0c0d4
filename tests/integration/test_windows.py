"""What only ddnsup.exe does: the default config and state under the
user's %APPDATA% and %LOCALAPPDATA%, never the working directory (the
Task Scheduler starts a task in System32). Run by make check-windows.

Wine sets APPDATA and LOCALAPPDATA itself, from its prefix
(C:\\users\\<user>\\AppData\\...), whatever the Unix environment says.
"""
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
