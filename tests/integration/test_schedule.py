"""--install-task / --uninstall-task and --log.

On Linux the units go to $DDNSUP_UNIT_DIR (a temporary directory) and a
fake systemctl on PATH records what it was asked, so nothing on this
machine is changed; the units are checked with systemd-analyze verify and
the command they run is run. The Task Scheduler definition is checked
against the schema's published rules (task-schema-subset.xsd), both as
the unit test builds it and, under Wine, as ddnsup.exe writes it.
"""
import os
import re
import shlex
import shutil
import stat
import subprocess

import pytest

import harness
from mock_duckdns import DuckHandler, duck_state

TOKEN = "5e8a1f7c-9d2b-4c3e-a6f0-b1d2c3e4f5a6"
HERE = os.path.dirname(os.path.abspath(__file__))
XSD = os.path.join(HERE, "task-schema-subset.xsd")
UNIT_BIN = os.path.join(harness.ROOT, "tests", "unit", "test_schedule")

posix_only = pytest.mark.skipif(harness.ON_WINE, reason="systemd and cron "
                                "are the Linux side of --install-task")


@pytest.fixture
def env(tmp_path, servers):
    """A config for a loopback DuckDNS, a unit dir and a fake systemctl."""
    srv = servers(DuckHandler)
    srv.state.update(duck_state(TOKEN))
    cfg = tmp_path / "conf" / "ddnsup.json"
    cfg.parent.mkdir()
    harness.write_config(str(cfg), {
        "state": str(tmp_path / "state.json"),
        "records": [{"name": "home.duckdns.org", "provider": "duckdns",
                     "token": TOKEN, "endpoint": srv.url}]})
    bindir = tmp_path / "bin"
    bindir.mkdir()
    calls = tmp_path / "systemctl.calls"
    fake = bindir / "systemctl"
    fake.write_text("#!/bin/sh\necho \"$*\" >> %s\nexit ${FAKE_SYSTEMCTL_EXIT:-0}\n"
                    % shlex.quote(str(calls)))
    fake.chmod(0o755)
    e = {"PATH": "%s:%s" % (bindir, os.environ.get("PATH", "/usr/bin:/bin")),
         "DDNSUP_UNIT_DIR": str(tmp_path / "units")}

    class Env:
        pass
    o = Env()
    o.srv, o.cfg, o.env, o.tmp = srv, str(cfg), e, tmp_path
    o.units = tmp_path / "units"
    o.calls = lambda: calls.read_text().splitlines() if calls.exists() else []
    return o


def unit(path):
    with open(path) as f:
        return f.read()


@posix_only
def test_install_systemd_units(env):
    r = harness.run(["--install-task", "5m", "-c", env.cfg], env=env.env)
    assert r.code == 0, r
    svc, tim = env.units / "ddnsup.service", env.units / "ddnsup.timer"
    assert "installed %s and %s: ddnsup runs every 5 minutes" % (svc, tim) in r.out
    assert "journalctl -u ddnsup.service" in r.out
    assert env.calls() == ["daemon-reload", "enable --now ddnsup.timer"]
    s, t = unit(svc), unit(tim)
    # Absolute paths, whatever the working directory was.
    m = re.search(r"^ExecStart=(.*)$", s, re.M)
    assert m, s
    argv = shlex.split(m.group(1))
    assert argv[0] == os.path.realpath(harness.BIN)
    assert argv[1:] == ["-c", env.cfg]
    assert "Type=oneshot" in s and "SuccessExitStatus=3 75" in s
    assert "OnBootSec=1min" in t and "OnUnitActiveSec=5min" in t
    assert "WantedBy=timers.target" in t
    assert stat.S_IMODE(os.stat(svc).st_mode) == 0o644
    # The command the timer runs works from anywhere: here, from /.
    p = subprocess.run(argv + ["--ip", "203.0.113.9"], cwd="/",
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p
    assert "home.duckdns.org A 203.0.113.9 updated" in p.stdout
    assert len(env.srv.calls) == 1


@posix_only
@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze is not installed (package systemd)")
def test_units_pass_systemd_analyze_verify(env):
    r = harness.run(["--install-task", "2h", "-c", env.cfg, "--state",
                     str(env.tmp / "st.json")], env=env.env)
    assert r.code == 0, r
    p = subprocess.run(["systemd-analyze", "verify", "--man=no",
                        "./ddnsup.service", "./ddnsup.timer"],
                       cwd=str(env.units), capture_output=True, text=True)
    assert p.returncode == 0, p
    assert "OnUnitActiveSec=2h" in unit(env.units / "ddnsup.timer")
    # And verify does catch a broken unit, so the check above means something.
    bad = env.tmp / "bad"
    bad.mkdir()
    (bad / "ddnsup.timer").write_text(unit(env.units / "ddnsup.timer").replace(
        "OnUnitActiveSec=2h", "OnUnitActiveSec=2 fortnights"))
    shutil.copy(env.units / "ddnsup.service", bad / "ddnsup.service")
    p = subprocess.run(["systemd-analyze", "verify", "--man=no",
                        "./ddnsup.service", "./ddnsup.timer"],
                       cwd=str(bad), capture_output=True, text=True)
    assert "Failed to parse" in p.stderr, p


@posix_only
def test_relative_paths_become_absolute(env):
    conf = os.path.relpath(env.cfg, str(env.tmp))
    r = harness.run(["--install-task", "10m", "-c", conf, "--state", "s.json"],
                    env=env.env, cwd=str(env.tmp))
    assert r.code == 0, r
    s = unit(env.units / "ddnsup.service")
    assert '-c "%s" --state "%s/s.json"' % (env.cfg, env.tmp) in s


@posix_only
def test_dry_run_changes_nothing(env):
    r = harness.run(["--install-task", "5m", "-n", "-c", env.cfg], env=env.env)
    assert r.code == 0, r
    assert "==> %s/ddnsup.service" % env.units in r.out
    assert "==> would run: systemctl enable --now ddnsup.timer" in r.out
    assert not env.units.exists()
    assert env.calls() == []


@posix_only
def test_systemctl_failure_is_reported(env):
    e = dict(env.env, FAKE_SYSTEMCTL_EXIT="1")
    r = harness.run(["--install-task", "5m", "-c", env.cfg], env=e)
    assert r.code == 73, r
    assert "systemctl daemon-reload exited 1" in r.err


@posix_only
def test_uninstall(env):
    assert harness.run(["--install-task", "5m", "-c", env.cfg],
                       env=env.env).code == 0
    r = harness.run(["--uninstall-task"], env=env.env)
    assert r.code == 0, r
    assert not (env.units / "ddnsup.service").exists()
    assert not (env.units / "ddnsup.timer").exists()
    assert env.calls()[-2:] == ["disable --now ddnsup.timer", "daemon-reload"]
    r = harness.run(["--uninstall-task"], env=env.env)
    assert r.code == 0 and "nothing to remove" in r.out, r


@posix_only
@pytest.mark.skipif(os.path.exists("/run/systemd/system"),
                    reason="systemd runs this machine: the cron path is not taken")
def test_without_systemd_prints_crontab(env):
    e = dict(env.env)
    del e["DDNSUP_UNIT_DIR"]
    r = harness.run(["--install-task", "15m", "-c", env.cfg], env=e)
    assert r.code == 0, r
    exe = os.path.realpath(harness.BIN)
    assert "*/15 * * * * '%s' -q -c '%s'\n" % (exe, env.cfg) in r.out
    assert "@reboot sleep 60 && '%s'" % exe in r.out
    assert "nothing was installed" in r.err and "crontab -e" in r.err
    r = harness.run(["--install-task", "7m", "-c", env.cfg], env=e)
    assert r.code == 64 and "divides 60" in r.err, r


@pytest.mark.parametrize("args,code,words", [
    (["--install-task", "30s"], 64, "from 1m to 31d"),
    (["--install-task", "soon"], 64, "from 1m to 31d"),
    (["--install-task", "32d"], 64, "from 1m to 31d"),
    (["--install-task", "5m", "--probe"], 64, "go with -n, -c"),
    (["--install-task", "5m", "home.example.com"], 64, "go with -n, -c"),
    (["--uninstall-task", "--json"], 64, "go with -n, -c"),
])
def test_bad_use(env, args, code, words):
    r = harness.run(args + ["-c", env.cfg], env=env.env)
    assert r.code == code, r
    assert words in r.err
    assert not env.units.exists()


def test_install_needs_a_valid_config(env):
    r = harness.run(["--install-task", "5m", "-c", str(env.tmp / "none.json")],
                    env=env.env)
    assert r.code == 78, r
    bad = env.tmp / "bad.json"
    bad.write_text('{"records": [{"name": "x.example.com", "provider": "nope"}]}')
    r = harness.run(["--install-task", "5m", "-c", str(bad)], env=env.env)
    assert r.code == 78, r
    assert not env.units.exists()


# ---- the Task Scheduler definition ----------------------------------------

def schema():
    etree = pytest.importorskip("lxml.etree", reason="python3-lxml is needed "
                                "to check the task against the schema")
    return etree, etree.XMLSchema(etree.parse(XSD))


def as_schtasks_reads(etree, text):
    """The definition as schtasks /XML gets it: UTF-16 with a BOM, CRLF."""
    return etree.fromstring(text.replace("\n", "\r\n").encode("utf-16"))


@pytest.mark.skipif(not os.path.exists(UNIT_BIN), reason="make unit builds "
                    "tests/unit/test_schedule")
@pytest.mark.parametrize("who", ["system", "user"])
def test_task_definition_follows_the_schema(who):
    etree, xsd = schema()
    text = subprocess.run([UNIT_BIN, "--print-task", who], check=True,
                          capture_output=True).stdout.decode()
    doc = as_schtasks_reads(etree, text)
    assert xsd.validate(doc), xsd.error_log
    ns = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}
    assert doc.findtext("t:Triggers/t:TimeTrigger/t:Repetition/t:Interval",
                        namespaces=ns) == "PT15M"
    args = doc.findtext("t:Actions/t:Exec/t:Arguments", namespaces=ns)
    assert args == ('-c "C:\\Users\\Zoë & Li\\AppData\\Roaming\\ddnsup\\家.json"'
                    ' --log "C:\\Users\\Zoë & Li\\AppData\\Local\\ddnsup\\ddnsup.log"')
    p = doc.find("t:Principals/t:Principal", namespaces=ns)
    if who == "user":
        assert p.findtext("t:LogonType", namespaces=ns) == "S4U"
        assert doc.find("t:Triggers/t:LogonTrigger", namespaces=ns) is not None
    else:
        assert p.findtext("t:UserId", namespaces=ns) == "S-1-5-18"
        assert doc.find("t:Triggers/t:BootTrigger", namespaces=ns) is not None
    # The schema is strict enough to refuse what the Task Scheduler would:
    # trigger elements out of order, an interval under a minute.
    for good, bad in [("<Enabled>true</Enabled>\n      <StartBoundary>",
                       "<StartBoundary>2026-01-01T00:00:00</StartBoundary>"
                       "<Enabled>true</Enabled>\n      <StartBoundary>"),
                      ("<Interval>PT15M</Interval>", "<Interval>PT30S</Interval>")]:
        assert good in text
        assert not xsd.validate(as_schtasks_reads(etree, text.replace(good, bad, 1)))


@pytest.mark.skipif(not harness.ON_WINE, reason="ddnsup.exe writes the task")
def test_exe_task_definition_and_registration(env):
    etree, xsd = schema()
    r = harness.run(["--install-task", "5m", "-n", "-c", env.cfg])
    assert r.code == 0, r
    text = r.out[:r.out.index("</Task>") + len("</Task>")] + "\n"
    assert xsd.validate(as_schtasks_reads(etree, text)), xsd.error_log
    assert "--log &quot;" in text and "ddnsup.log&quot;" in text
    # Wine's schtasks accepts and stores it; --uninstall-task removes it.
    r = harness.run(["--install-task", "5m", "-c", env.cfg])
    assert r.code == 0, r
    assert 'installed the task "ddnsup"' in r.out
    r = harness.run(["--uninstall-task"])
    assert r.code == 0 and 'removed the task "ddnsup"' in r.out, r


# ---- --log -------------------------------------------------------------------

def test_log_file(env):
    log = env.tmp / "logs" / "ddnsup.log"      # its directory is made
    base = ["-c", env.cfg, "--log", str(log)]
    r = harness.run(base + ["--ip", "203.0.113.5", "-vv"])
    assert r.code == 0, r
    text = log.read_text()
    assert re.search(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d home\.duckdns\.org A "
                     r"203\.0\.113\.5 updated$", text, re.M), text
    assert TOKEN not in text
    # Nothing changed: no record line (the log says what changed or
    # failed; warnings, such as --ip being a documentation address, stay).
    n = len(text.splitlines())
    assert harness.run(base + ["--ip", "203.0.113.5"]).code == 0
    assert [x for x in log.read_text().splitlines()[n:]
            if "home.duckdns.org" in x] == []
    n = len(log.read_text().splitlines())
    # A failure is logged with the reason.
    env.srv.state["fail"] = 500
    r = harness.run(base + ["--ip", "203.0.113.6"])
    assert r.code == 75, r
    tail = log.read_text().splitlines()[n:]
    assert any("HTTP 500" in x for x in tail), tail
    assert any(x.endswith("home.duckdns.org A 203.0.113.6 failed (tempfail)")
               for x in tail), tail


def test_log_rotates_past_a_mebibyte(env):
    log = env.tmp / "ddnsup.log"
    log.write_text("x" * (1024 * 1024 + 10) + "\n")
    r = harness.run(["-c", env.cfg, "--log", str(log), "--ip", "203.0.113.5"])
    assert r.code == 0, r
    assert os.path.getsize(str(log) + ".1") > 1024 * 1024
    assert "updated" in log.read_text() and os.path.getsize(log) < 4096


def test_unwritable_log_is_status_73(env):
    (env.tmp / "afile").write_text("")
    r = harness.run(["-c", env.cfg, "--log", str(env.tmp / "afile" / "x.log"),
                     "--ip", "203.0.113.5"])
    # The run itself still happens; the file that could not be written
    # is reported like an unwritable state file.
    assert r.code == 73, r
    assert "--log" in r.err
    assert "updated" in r.out
