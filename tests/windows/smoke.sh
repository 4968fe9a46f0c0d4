#!/usr/bin/env bash
# Smoke test of ddnsup.exe under Wine, against loopback servers only:
# the options, the config reader, a real update through the callback
# provider over HTTP and HTTPS (Schannel, a throwaway CA), the state file
# and its LockFileEx lock, a Chinese name in the output, and the exit
# statuses. The last step of "make check-windows".
#
#	make windows && tests/windows/smoke.sh
#
# Skips, loudly, when wine or ddnsup.exe is missing. DDNSUP_EXE overrides
# the exe; WINEPREFIX defaults to one kept in the ddnsup-win cache so the
# user's ~/.wine is left alone (its first creation takes a few seconds).
set -euo pipefail
cd "$(dirname "$0")/../.."

EXE=${DDNSUP_EXE:-$PWD/ddnsup.exe}
skip() {
	printf '\n*** SKIPPED: tests/windows/smoke.sh: %s ***\n\n' "$*" >&2
	exit 0
}
command -v wine >/dev/null 2>&1 || skip "wine is not installed (apt-get install wine wine64)"
[ -f "$EXE" ] || skip "$EXE not found (make windows)"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

export WINEDEBUG=-all
export LANG=C.UTF-8		# Wine reads the command line in this locale
export WINEDLLOVERRIDES="mscoree,mshtml="	# no Mono/Gecko prompts
export WINEPREFIX=${WINEPREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/ddnsup-win/wine}
mkdir -p "$WINEPREFIX"

T=$(mktemp -d)
SRV_PID=
cleanup() {
	[ -z "$SRV_PID" ] || kill "$SRV_PID" 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT

PASS=0 FAIL=0
ok()   { PASS=$((PASS + 1)); printf 'ok   %s\n' "$*"; }
bad()  { FAIL=$((FAIL + 1)); printf 'FAIL %s\n' "$*"; }
# A Unix path as Wine's Z: drive sees it.
winpath() { printf 'Z:%s' "${1//\//\\}"; }

# run EXPECTED-STATUS NAME ARGS...: run the exe, keep its output in
# $T/out and $T/err, and check the exit status.
run() {
	local want=$1 name=$2 rc=0
	shift 2
	wine "$EXE" "$@" >"$T/out" 2>"$T/err" || rc=$?
	if [ "$rc" -eq "$want" ]; then
		ok "$name (exit $rc)"
	else
		bad "$name: exit $rc, wanted $want"
		sed 's/^/	out: /' "$T/out"
		sed 's/^/	err: /' "$T/err"
	fi
}
# expect FILE TEXT NAME: FILE contains TEXT.
expect() {
	if grep -qF -- "$2" "$1"; then
		ok "$3"
	else
		bad "$3: no \"$2\" in $(basename "$1")"
		sed 's/^/	/' "$1"
	fi
}

# ---- loopback servers ------------------------------------------------------
# Paths: /ok 200 "ok", /e500 500, /e401 401, /slow 200 after 8 s. Each
# request is logged as "METHOD path?query" to $T/calls.
HTTPS=0
if command -v openssl >/dev/null 2>&1; then
	(
	cd "$T"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=smoke CA" \
	    -keyout ca.key -out ca.pem -addext basicConstraints=critical,CA:TRUE \
	    -addext keyUsage=critical,keyCertSign,cRLSign
	openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
	    -keyout srv.key -out srv.csr
	printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n' >ext
	openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
	    -days 2 -extfile ext -out srv.pem
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=other CA" \
	    -keyout other.key -out other.pem
	) >/dev/null 2>&1 && HTTPS=1
fi
[ "$HTTPS" = 1 ] || printf '*** NOTE: openssl missing: HTTPS case SKIPPED ***\n' >&2

cat >"$T/mock.py" <<'EOF'
import http.server, os, ssl, sys, threading, time

T = sys.argv[1]

class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(os.path.join(T, "calls"), "a") as f:
            f.write("%s %s\n" % (self.command, self.path))
        p = self.path.split("?")[0]
        code = {"/e500": 500, "/e401": 401}.get(p, 200)
        if p == "/slow":
            time.sleep(8)
        body = b"ok\n"
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_POST = do_GET
    def log_message(self, *a):
        pass

http_srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
ports = [str(http_srv.server_address[1])]
servers = [http_srv]
if os.path.exists(os.path.join(T, "srv.pem")):
    s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(T, "srv.pem"), os.path.join(T, "srv.key"))
    s.socket = ctx.wrap_socket(s.socket, server_side=True)
    ports.append(str(s.server_address[1]))
    servers.append(s)
for s in servers[1:]:
    threading.Thread(target=s.serve_forever, daemon=True).start()
with open(os.path.join(T, "ports.tmp"), "w") as f:
    f.write(" ".join(ports) + "\n")
os.rename(os.path.join(T, "ports.tmp"), os.path.join(T, "ports"))
http_srv.serve_forever()
EOF
python3 "$T/mock.py" "$T" &
SRV_PID=$!
for _ in $(seq 50); do [ -f "$T/ports" ] && break; sleep 0.1; done
[ -f "$T/ports" ] || { echo "FAIL mock server did not start"; exit 1; }
read -r PORT SPORT <"$T/ports"
BASE=http://127.0.0.1:$PORT

# config FILE URL [NAME [TOP-LEVEL-LINE]]: one callback record.
config() {
	cat >"$1" <<EOF
// smoke test
{
	${4:-}
	"records": [{
		"name": "${3:-home.example.com}",
		"provider": "callback",
		"types": ["A"],
		"url": "$2?ip={address}&host={name}"
	}]
}
EOF
}
calls() { [ -f "$T/calls" ] && wc -l <"$T/calls" || echo 0; }

# ---- the cases -------------------------------------------------------------
# The first start may create the Wine prefix: give it time, not a verdict.
wine "$EXE" --version >/dev/null 2>&1 || true

run 0 "--version" --version
expect "$T/out" "0." "--version prints a version"
run 0 "--help" --help
expect "$T/out" "usage: ddnsup" "--help prints the usage"
run 64 "bad option" --no-such-option

run 0 "--probe --ip 203.0.113.5 -4" --probe --ip 203.0.113.5 -4
expect "$T/out" "203.0.113.5" "--probe reports the given address"

config "$T/ok.json" "$BASE/ok"
run 0 "--check-config" --check-config -c "$(winpath "$T/ok.json")" \
    --state "$(winpath "$T/state.json")"
expect "$T/out" "OK, 1 record" "--check-config counts the record"
printf '{ "records": [ { "name": "x.example.com" } ] }\n' >"$T/bad.json"
run 78 "--check-config, no provider" --check-config -c "$(winpath "$T/bad.json")"

# A real update over HTTP: the request, the state file, the lock file.
run 0 "update over HTTP" -c "$(winpath "$T/ok.json")" \
    --state "$(winpath "$T/state.json")" --ip 203.0.113.5
expect "$T/calls" "GET /ok?ip=203.0.113.5&host=home.example.com" \
    "the mock got the update"
expect "$T/out" "home.example.com A 203.0.113.5 updated" "update reported"
[ -f "$T/state.json" ] && expect "$T/state.json" '"address": "203.0.113.5"' \
    "state file holds the address" || bad "no state file written"
[ -f "$T/state.json.lock" ] && ok "lock file created" || bad "no lock file"
ls "$T"/state.json.* 2>/dev/null | grep -v '\.lock$' >/dev/null &&
    bad "temporary state file left behind" || ok "no temporary file left"

# The state says current: no call, exit 2 with -u.
n=$(calls)
run 2 "second run is unchanged (-u)" -u -c "$(winpath "$T/ok.json")" \
    --state "$(winpath "$T/state.json")" --ip 203.0.113.5
[ "$(calls)" = "$n" ] && ok "no request when current" || bad "second run called the server"

# A Chinese name goes through config, request and console output as UTF-8.
config "$T/zh.json" "$BASE/ok" "家.example.com"
run 0 "update, Chinese name" -c "$(winpath "$T/zh.json")" \
    --state "$(winpath "$T/state-zh.json")" --ip 203.0.113.6
expect "$T/out" "家.example.com A 203.0.113.6 updated" "Chinese name printed as UTF-8"
expect "$T/calls" "host=%E5%AE%B6.example.com" "Chinese name percent-encoded as UTF-8"

# A Chinese directory on the command line, for the config and the state
# (UTF-8 argv and file names: the manifest's activeCodePage).
mkdir -p "$T/配置"
config "$T/配置/ddnsup.json" "$BASE/ok" "zh-path.example.com"
run 0 "update, Chinese config and state path" \
    -c "$(winpath "$T/配置/ddnsup.json")" \
    --state "$(winpath "$T/配置/状态.json")" --ip 203.0.113.8
[ -f "$T/配置/状态.json" ] && ok "state file written under a Chinese name" ||
    bad "no state file $T/配置/状态.json"

# Exit statuses from the provider's answer.
config "$T/e500.json" "$BASE/e500"
run 75 "HTTP 500 is tempfail" -c "$(winpath "$T/e500.json")" \
    --state "$(winpath "$T/state-e.json")" --ip 203.0.113.5
config "$T/e401.json" "$BASE/e401"
run 77 "HTTP 401 is auth" -c "$(winpath "$T/e401.json")" \
    --state "$(winpath "$T/state-e.json")" --ip 203.0.113.5
config "$T/down.json" "http://127.0.0.1:9/ok"
run 75 "connection refused is tempfail" -c "$(winpath "$T/down.json")" \
    --state "$(winpath "$T/state-e.json")" --ip 203.0.113.5
run 78 "missing config file" -c "$(winpath "$T/nonexistent.json")"

# Two overlapping runs: the second finds the LockFileEx lock held, waits
# its 5 s, and leaves the work to the first (75).
config "$T/slow.json" "$BASE/slow"
wine "$EXE" -c "$(winpath "$T/slow.json")" --state "$(winpath "$T/state-l.json")" \
    --ip 203.0.113.5 >"$T/out1" 2>"$T/err1" &
first=$!
for _ in $(seq 100); do
	grep -q "/slow" "$T/calls" 2>/dev/null && break
	sleep 0.1
done
run 75 "overlapping run sees the lock" -c "$(winpath "$T/slow.json")" \
    --state "$(winpath "$T/state-l.json")" --ip 203.0.113.5
expect "$T/err" "another ddnsup run holds the lock" "lock message"
rc=0
wait "$first" || rc=$?
[ "$rc" -eq 0 ] && ok "first run finished (exit 0)" || bad "first run exit $rc"

# HTTPS: Schannel, the test CA given as cafile, reached as localhost
# (Schannel under Wine cannot match an IP-address SAN).
if [ "$HTTPS" = 1 ]; then
	# Forward slashes: no JSON escaping needed, and Windows takes them.
	config "$T/tls.json" "https://localhost:$SPORT/ok" "tls.example.com" \
	    "\"cafile\": \"Z:$T/ca.pem\","
	run 0 "update over HTTPS (test CA)" -c "$(winpath "$T/tls.json")" \
	    --state "$(winpath "$T/state-tls.json")" --ip 203.0.113.7
	expect "$T/calls" "host=tls.example.com" "the HTTPS mock got the update"
	# Another CA's file: curl's own chain check must refuse the server.
	config "$T/tls2.json" "https://localhost:$SPORT/ok" "tls2.example.com" \
	    "\"cafile\": \"Z:$T/other.pem\","
	run 75 "HTTPS, certificate from another CA, refused" \
	    -c "$(winpath "$T/tls2.json")" \
	    --state "$(winpath "$T/state-tls.json")" --ip 203.0.113.7
	expect "$T/err" "trust error" "the refusal names the trust error"
	# Without a cafile curl leaves the check to Schannel itself, which
	# Wine does not implement: it accepts any certificate. Windows does
	# not; so this is reported, not judged.
	config "$T/tls3.json" "https://localhost:$SPORT/ok" "tls3.example.com"
	rc=0
	wine "$EXE" -c "$(winpath "$T/tls3.json")" --ip 203.0.113.7 \
	    --state "$(winpath "$T/state-tls.json")" >/dev/null 2>&1 || rc=$?
	printf 'note HTTPS, unknown CA, Windows store: exit %s under Wine %s\n' \
	    "$rc" "(Wine's Schannel does not validate; real Windows refuses)"
fi

printf '\n%d passed, %d failed\n' "$PASS" "$FAIL"
[ "$FAIL" -eq 0 ]
