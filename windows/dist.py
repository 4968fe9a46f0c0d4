#!/usr/bin/env python3
"""Pack the Windows release zip: make windows-dist.

    ddnsup-<version>-windows-x86_64.zip
        ddnsup-<version>-windows-x86_64/ddnsup.exe
                                        ddnsup.txt   (manual, groff -Tutf8)
                                        ddnsup.html  (manual, groff -Thtml)
                                        ddnsup.json  (examples/ddnsup.json)
                                        README-Windows.txt
                                        SHA256SUMS   (of the files above)

Reproducible: every entry has the same fixed time (SOURCE_DATE_EPOCH, else
the last commit's, else 2026-01-01), fixed permissions and a fixed order,
and groff's creation date is dropped from the HTML; so the same ddnsup.exe
and sources give a byte-identical zip. Text files get CRLF line ends.
Run from the top of the tree after make windows; prints the zip's name
and SHA-256.
"""
import hashlib
import os
import re
import subprocess
import sys
import time
import zipfile


def version():
    with open("ddnsup.h") as f:
        m = re.search(r'^#define\s+DDNSUP_VERSION\s+"([^"]+)"', f.read(), re.M)
    if m is None:
        sys.exit("dist: no DDNSUP_VERSION in ddnsup.h")
    return m.group(1)


def epoch():
    e = os.environ.get("SOURCE_DATE_EPOCH")
    if e:
        return int(e)
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], check=True,
                             capture_output=True, text=True).stdout.strip()
        return int(out)
    except (OSError, subprocess.CalledProcessError, ValueError):
        return 1767225600       # 2026-01-01T00:00:00Z


def groff(device):
    env = dict(os.environ, GROFF_NO_SGR="1", LC_ALL="C.UTF-8")
    p = subprocess.run(["groff", "-T" + device, "-mandoc", "man/ddnsup.1"],
                       check=True, capture_output=True, env=env)
    return p.stdout.decode("utf-8")


def manual_text():
    # grotty without SGR marks bold as c\bc and underline as _\bc.
    t = re.sub(r".\x08", "", groff("utf8"))
    return crlf(t)


def manual_html():
    h = groff("html")
    h = re.sub(r"<!-- CreationDate: [^>]*-->\n", "", h)
    return h


def crlf(s):
    return s.replace("\r\n", "\n").replace("\n", "\r\n")


def main():
    ver = version()
    name = "ddnsup-%s-windows-x86_64" % ver
    with open("windows/README-Windows.txt") as f:
        readme = crlf(f.read().replace("@VERSION@", ver))
    with open("ddnsup.exe", "rb") as f:
        exe = f.read()
    with open("examples/ddnsup.json", "rb") as f:
        example = f.read()
    files = [
        ("ddnsup.exe", exe, 0o755),
        ("ddnsup.txt", manual_text().encode("utf-8"), 0o644),
        ("ddnsup.html", manual_html().encode("utf-8"), 0o644),
        ("ddnsup.json", example, 0o644),
        ("README-Windows.txt", readme.encode("utf-8"), 0o644),
    ]
    sums = "".join("%s  %s\n" % (hashlib.sha256(data).hexdigest(), n)
                   for n, data, _ in files)
    files.append(("SHA256SUMS", sums.encode(), 0o644))

    # The zip format keeps local time to 2 s from 1980 on.
    t = time.gmtime(max(epoch(), 315532800))[:6]
    out = name + ".zip"
    tmp = out + ".tmp"
    with zipfile.ZipFile(tmp, "w") as z:
        for n, data, mode in files:
            zi = zipfile.ZipInfo("%s/%s" % (name, n), date_time=t)
            zi.create_system = 3            # Unix: the mode bits count
            zi.external_attr = (0o100000 | mode) << 16
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data, compresslevel=9)
    os.replace(tmp, out)
    with open(out, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    print("%s  %s" % (digest, out))


if __name__ == "__main__":
    main()
