#!/usr/bin/env bash
# Build the static Windows (x86_64-w64-mingw32) libraries ddnsup.exe links:
# OpenSSL's libcrypto, jansson, libcurl (Schannel TLS, HTTP/HTTPS only) and
# expat.
#
# Everything comes from Debian's own source packages (apt-get source), never
# from prebuilt binaries. Results are cached outside the work tree, one
# directory per source package version:
#
#	${DDNSUP_WIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ddnsup-win}/<pkg>-<version>-r<recipe>/
#
# so a second run only looks the versions up and returns. Messages go to
# stderr; stdout gets one line of compiler flags (-I... -L...) for the
# Makefile. Needs root (or sudo) only to install missing tools or to add a
# deb-src entry.
set -euo pipefail

HOST=x86_64-w64-mingw32
CACHE=${DDNSUP_WIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ddnsup-win}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
PKGS="openssl jansson curl expat"
# Bump when a build_* recipe below changes: it is part of the cache key.
RECIPE=1

say() { printf 'build-deps: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		die "need root to run: $*"
	fi
}

# ---- tools -----------------------------------------------------------------

need_tools() {
	local missing=() t
	for t in "$HOST-gcc:gcc-mingw-w64-x86-64" "cmake:cmake" "make:make" \
	    "dpkg-source:dpkg-dev" "perl:perl" "wine:wine"; do
		command -v "${t%%:*}" >/dev/null 2>&1 || missing+=("${t#*:}")
	done
	# The 64-bit loader, to run ddnsup.exe in the tests.
	[ -x /usr/lib/wine/wine64 ] || missing+=(wine64)
	[ ${#missing[@]} -eq 0 ] && return 0
	say "installing ${missing[*]}"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    --no-install-recommends "${missing[@]}" >&2 ||
	    die "apt-get install ${missing[*]} failed"
}

# ---- source packages -------------------------------------------------------

# Versions of source package $1 that apt knows about, highest first.
src_versions() {
	apt-cache showsrc --only-source "$1" 2>/dev/null |
	    sed -n 's/^Version: //p' | sort -u | {
		local v sorted=()
		while read -r v; do
			sorted+=("$v")
		done
		# Insertion sort with dpkg's ordering; there are only a few.
		local i j t n=${#sorted[@]}
		for ((i = 1; i < n; i++)); do
			for ((j = i; j > 0; j--)); do
				dpkg --compare-versions "${sorted[j]}" gt \
				    "${sorted[j-1]}" || break
				t=${sorted[j]} sorted[j]=${sorted[j-1]} sorted[j-1]=$t
			done
		done
		[ "$n" -eq 0 ] || printf '%s\n' "${sorted[@]}"
	}
}

# Add deb-src lines for the archive and suites the deb entries already use.
add_deb_src() {
	local src=/etc/apt/sources.list.d/debian.sources
	local dst=/etc/apt/sources.list.d/ddnsup-deb-src.sources
	[ -f "$src" ] || die "$src not found; add a deb-src entry for your Debian archive by hand"
	if grep -qs '^Types:.*deb-src' /etc/apt/sources.list.d/*.sources ||
	    grep -qs '^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/*.list; then
		say "deb-src entries present; refreshing package lists"
	else
		say "adding $dst (deb-src for the same archive and suites as $src)"
		sed 's/^Types:.*/Types: deb-src/' "$src" | as_root tee "$dst" >/dev/null
	fi
	as_root apt-get update -q >&2 || die "apt-get update failed"
}

# Source packages apt has no version of at all.
missing_src() {
	local p
	for p in $PKGS; do
		[ -n "$(apt-cache showsrc --only-source "$p" 2>/dev/null |
		    sed -n 's/^Version: //p')" ] || printf '%s ' "$p"
	done
}

# ---- builds ----------------------------------------------------------------

# Download source package $1 version $2 into $BUILD/dl; 0 or 1.
download() {
	mkdir -p "$BUILD/dl"
	(cd "$BUILD/dl" && apt-get source --download-only -q "$1=$2" >&2)
}

# Unpack downloaded source package $1 version $2; prints the source tree.
unpack() {
	local pkg=$1 ver=$2 dsc
	dsc=$BUILD/dl/${pkg}_${ver#*:}.dsc
	rm -rf "$BUILD/$pkg"
	# apt-get checked every file against the archive's signed index;
	# dpkg-source checks them against the .dsc again and applies the
	# Debian patches. (It warns that it cannot check the uploader's own
	# signature unless debian-keyring is installed.)
	dpkg-source -x "$dsc" "$BUILD/$pkg" >&2 ||
	    die "dpkg-source -x $dsc failed"
	printf '%s' "$BUILD/$pkg"
}

build_openssl() {	# $1 source tree, $2 prefix
	(
	cd "$1"
	# OPENSSLDIR is a Unix path, meaningless on Windows; ddnsup.exe
	# never reads a config from it (windows/compat.c).
	./Configure mingw64 --cross-compile-prefix="$HOST-" \
	    --prefix="$2" --openssldir="$2/ssl" --libdir=lib \
	    no-shared no-tests \
	    no-engine no-dso no-comp no-ui-console no-async
	make -j"$JOBS" build_generated
	make -j"$JOBS" libcrypto.a
	mkdir -p "$2/lib" "$2/include"
	cp libcrypto.a "$2/lib/"
	cp -R include/openssl "$2/include/"
	) >&2
}

build_jansson() {	# $1 source tree, $2 prefix
	(
	cd "$1"
	cmake -S . -B build-win -DCMAKE_SYSTEM_NAME=Windows \
	    -DCMAKE_C_COMPILER="$HOST-gcc" -DCMAKE_RC_COMPILER="$HOST-windres" \
	    -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$2" \
	    -DJANSSON_BUILD_SHARED_LIBS=OFF -DJANSSON_WITHOUT_TESTS=ON \
	    -DJANSSON_EXAMPLES=OFF -DJANSSON_BUILD_DOCS=OFF
	cmake --build build-win -j "$JOBS"
	cmake --install build-win
	) >&2
}

build_curl() {		# $1 source tree, $2 prefix
	(
	cd "$1"
	# Schannel: Windows' own TLS and certificate store, no CA file.
	# Only HTTP(S); every other protocol and optional library is off.
	./configure --host="$HOST" --prefix="$2" \
	    --disable-shared --enable-static --with-schannel \
	    --without-openssl --without-gnutls --without-mbedtls \
	    --without-wolfssl --without-bearssl --without-rustls \
	    --without-zlib --without-brotli --without-zstd \
	    --without-libpsl --without-libidn2 --without-winidn \
	    --without-librtmp --without-libssh2 --without-libssh \
	    --without-nghttp2 --without-ngtcp2 --without-nghttp3 \
	    --without-quiche --without-msh3 --without-hyper \
	    --without-libgsasl --without-ca-bundle --without-ca-path \
	    --disable-ldap --disable-ldaps --disable-rtsp --disable-dict \
	    --disable-telnet --disable-tftp --disable-pop3 --disable-imap \
	    --disable-smb --disable-smtp --disable-gopher --disable-mqtt \
	    --disable-ftp --disable-file --disable-manual \
	    --disable-ntlm-wb --disable-dependency-tracking
	make -j"$JOBS" -C lib
	make -C lib install
	make -C include install
	) >&2
}

build_expat() {		# $1 source tree, $2 prefix
	(
	cd "$1"
	# The library is in expat/; static only (ddnsup's objects are
	# compiled with -DXML_STATIC). No DTD support: ddnsup never needs
	# it, and Debian's security patches test "#if XML_DTD == 1", which
	# CMake's config header (an empty #define) breaks.
	cmake -S expat -B build-win -DCMAKE_SYSTEM_NAME=Windows \
	    -DCMAKE_C_COMPILER="$HOST-gcc" -DCMAKE_RC_COMPILER="$HOST-windres" \
	    -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$2" \
	    -DEXPAT_SHARED_LIBS=OFF -DEXPAT_BUILD_TOOLS=OFF \
	    -DEXPAT_BUILD_EXAMPLES=OFF -DEXPAT_BUILD_TESTS=OFF \
	    -DEXPAT_BUILD_DOCS=OFF -DEXPAT_BUILD_FUZZERS=OFF \
	    -DEXPAT_DTD=OFF
	cmake --build build-win -j "$JOBS"
	cmake --install build-win
	) >&2
}

# ---- main ------------------------------------------------------------------

CURRENT=
trap 'rc=$?; [ $rc -eq 0 ] || say "FAILED${CURRENT:+ building $CURRENT} (exit $rc); see the output above"' EXIT

need_tools
miss=$(missing_src)
if [ -n "$miss" ]; then
	add_deb_src
	miss=$(missing_src)
	[ -z "$miss" ] || die "no Debian source package for: $miss"
fi

mkdir -p "$CACHE"
BUILD=$CACHE/build
# A version the archive listed but would not serve (a mirror missing the
# .dsc, say) is remembered here so later runs do not ask again.
BAD=$CACHE/unavailable
touch "$BAD"
flags_i= flags_l=
for p in $PKGS; do
	prefix=
	# The highest version that is cached or can be downloaded.
	for ver in $(src_versions "$p"); do
		cand=$CACHE/$p-${ver//:/_}-r$RECIPE
		if [ -f "$cand/.done" ]; then
			say "$p $ver: cached in $cand"
			prefix=$cand
			break
		fi
		if grep -qxF "$p=$ver" "$BAD"; then
			say "$p $ver: skipped, not downloadable earlier (see $BAD)"
			continue
		fi
		say "$p $ver: fetching the Debian source package"
		if download "$p" "$ver"; then
			prefix=$cand
			break
		fi
		say "$p $ver: could not be downloaded; trying an older version"
		printf '%s=%s\n' "$p" "$ver" >>"$BAD"
	done
	[ -n "$prefix" ] || die "$p: no version of the source package could be fetched"
	if [ ! -f "$prefix/.done" ]; then
		say "$p $ver: building for $HOST"
		t0=$(date +%s)
		src=$(unpack "$p" "$ver")
		# Installed in place; only the .done stamp, written last,
		# makes it count, so an interrupted build is redone.
		rm -rf "$prefix"
		# No "|| die" here: that would switch set -e off inside.
		CURRENT="$p $ver"
		"build_$p" "$src" "$prefix"
		CURRENT=
		date -u +%FT%TZ >"$prefix/.done"
		say "$p $ver: built in $(( $(date +%s) - t0 ))s"
	fi
	flags_i="$flags_i -I$prefix/include"
	flags_l="$flags_l -L$prefix/lib"
done
rm -rf "$BUILD"
printf '%s\n' "${flags_i# }$flags_l"
