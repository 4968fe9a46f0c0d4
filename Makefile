# ddnsup -- see README. Libraries are found with pkg-config.
PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
DESTDIR	?=
PKG_CONFIG ?= pkg-config
PYTHON	?= /usr/bin/python3

PKGS	 = libcurl libcrypto jansson expat
CFLAGS	?= -O2 -g
WARN	 = -std=c99 -Wall -Wextra -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wpointer-arith
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS))
ALL_CFLAGS = $(WARN) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	     $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS)

# Every module but the driver goes into a static library that the unit
# tests link too. A new provider or probe file is picked up by name.
LIB_SRCS = $(filter-out ddnsup.c, $(wildcard *.c)) \
	   $(wildcard probe/*.c) $(wildcard providers/*.c)
LIB_OBJS = $(LIB_SRCS:.c=.o)
HDRS	 = ddnsup.h $(wildcard probe/*.h) $(wildcard providers/*.h)

UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRCS:.c=)

all: ddnsup

ddnsup: ddnsup.o libddnsup.a
	$(CC) $(LDFLAGS) -o $@ ddnsup.o libddnsup.a $(PKG_LIBS)

libddnsup.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJS)

.c.o:
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB_OBJS) ddnsup.o: $(HDRS)

tests/unit/test_%: tests/unit/test_%.c tests/unit/unit.h libddnsup.a
	$(CC) $(ALL_CFLAGS) $$($(PKG_CONFIG) --cflags cmocka) -I. -o $@ $< \
	    libddnsup.a $(PKG_LIBS) $$($(PKG_CONFIG) --libs cmocka)

# The whole suite: unit tests, then the real binary against loopback
# servers the tests start. CI runs exactly this.
check: unit integration lint-man lint-symbols

unit: $(UNIT_BINS)
	@fail=0; for t in $(UNIT_BINS); do \
		echo "== $$t"; ./$$t || fail=1; \
	done; exit $$fail

integration: ddnsup
	$(PYTHON) -m pytest -q tests/integration

lint: lint-man
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
	    --suppress=missingIncludeSystem -I. *.c probe/*.c providers/*.c

lint-man:
	@out=$$(groff -Tutf8 -mandoc -ww -z man/ddnsup.1 2>&1); \
	if [ -n "$$out" ]; then echo "$$out"; exit 1; fi; \
	echo "man/ddnsup.1: groff -ww clean"

# Two modules exporting one name link alone but not together (a program
# that pulls in both fails): every global the library defines, once.
lint-symbols: libddnsup.a
	@dup=$$(nm -g --defined-only libddnsup.a | \
	    awk 'NF == 3 && $$2 ~ /[A-Z]/ { print $$3 }' | sort | uniq -d); \
	if [ -n "$$dup" ]; then echo "defined twice in libddnsup.a:" $$dup; \
	exit 1; fi; echo "libddnsup.a: no global defined twice"

bench: ddnsup
	$(PYTHON) tests/bench.py ./ddnsup

install: ddnsup
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 ddnsup $(DESTDIR)$(BINDIR)/ddnsup
	install -m 644 man/ddnsup.1 $(DESTDIR)$(MANDIR)/man1/ddnsup.1

# ---- libFuzzer harnesses for the wire parsers (not part of check) ------
# Each runs FUZZ_SECONDS from tests/fuzz/seeds/<name> (if any); the corpus it
# grows is kept in tests/fuzz/corpus/<name> (not in git).
FUZZ_CC	 = clang
FUZZ_SECONDS ?= 30
FUZZ_SAN = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined
FUZZ_OBJ = tests/fuzz/obj
FUZZ_OBJS = $(LIB_SRCS:%.c=$(FUZZ_OBJ)/%.o)
FUZZ_NAMES = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))

$(FUZZ_OBJ)/%.o: %.c $(HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(WARN) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	    $(PKG_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c -o $@ $<

tests/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	$(FUZZ_CC) $(WARN) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	    $(PKG_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer -I. -o $@ $< \
	    $(FUZZ_OBJS) $(PKG_LIBS)

.SECONDARY: $(FUZZ_OBJS)

fuzz: $(FUZZ_NAMES:%=tests/fuzz/fuzz_%)
	@for f in $(FUZZ_NAMES); do \
		mkdir -p tests/fuzz/corpus/$$f; \
		echo "== fuzz_$$f, $(FUZZ_SECONDS) s"; \
		./tests/fuzz/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) \
		    -print_final_stats=1 -artifact_prefix=tests/fuzz/ \
		    tests/fuzz/corpus/$$f $$(test -d tests/fuzz/seeds/$$f && \
		    echo tests/fuzz/seeds/$$f) || exit 1; \
	done

# ---- Windows: a static ddnsup.exe, cross-built with MinGW-w64 ----------
# windows/build-deps.sh builds libcrypto, jansson and libcurl (Schannel)
# from Debian's source packages into a cache outside the tree and prints
# their -I/-L flags; the first run takes a few minutes, later ones none.
WIN_HOST = x86_64-w64-mingw32
WIN_CC	 = $(WIN_HOST)-gcc
WIN_OBJ	 = windows/obj
WIN_SRCS = ddnsup.c $(LIB_SRCS) windows/compat.c
WIN_OBJS = $(WIN_SRCS:%.c=$(WIN_OBJ)/%.o) $(WIN_OBJ)/ddnsup.res.o
WIN_CFLAGS = $(WARN) -O2 -DCURL_STATICLIB -DXML_STATIC -D__USE_MINGW_ANSI_STDIO=1 \
	     $(filter -I%,$(WIN_DEPS))
WIN_LIBS = -static $(filter -L%,$(WIN_DEPS)) -lcurl -ljansson -lexpat -lcrypto \
	   -lws2_32 -lcrypt32 -lbcrypt -lsecur32 -lwldap32 -lnormaliz \
	   -ladvapi32 -luser32 -liphlpapi -lwinhttp -lpthread
# Each library's build stamp: a rebuilt library recompiles and relinks.
WIN_STAMPS = $(patsubst -I%/include,%/.done,$(filter -I%,$(WIN_DEPS)))

windows:
	@deps=$$(bash windows/build-deps.sh) && \
	    $(MAKE) --no-print-directory ddnsup.exe WIN_DEPS="$$deps"

# Stripped by the linker, with no link time in the PE header (strip
# would write one): the same sources give the same exe.
ddnsup.exe: $(WIN_OBJS) $(WIN_STAMPS)
	$(WIN_CC) -s -Wl,--no-insert-timestamp -o $@ $(WIN_OBJS) $(WIN_LIBS)

$(WIN_OBJ)/%.o: %.c $(HDRS) windows/compat.h $(WIN_STAMPS)
	@mkdir -p $(@D)
	$(WIN_CC) $(WIN_CFLAGS) -c -o $@ $<

$(WIN_OBJ)/ddnsup.res.o: windows/ddnsup.rc windows/ddnsup.exe.manifest
	@mkdir -p $(@D)
	$(WIN_HOST)-windres --include-dir=windows -O coff -o $@ windows/ddnsup.rc

# The unit tests built for Windows (cmocka from build-deps.sh too) and run
# under Wine, then the integration suite against ddnsup.exe under Wine
# (tests/integration/harness.py: DDNSUP_BIN=*.exe), then the smoke test.
# Installs, through build-deps.sh, what it lacks: the MinGW toolchain,
# cmake, dpkg-dev, wine, wine64.
# test_config and test_state are not built for Windows: they fork,
# waitpid, chmod and mkdtemp throughout; on Windows the config reader and
# the state file (LockFileEx, MoveFileExW) are tested by the integration
# suite and tests/windows/smoke.sh instead; so is the cmd source, whose
# unit test runs /bin/sh commands (tests/integration/test_cmd.py runs
# argv commands through ddnsup.exe).
WIN_LIB	 = $(WIN_OBJ)/libddnsup.a
WIN_UNIT_SRCS = $(filter-out tests/unit/test_config.c tests/unit/test_state.c \
	   tests/unit/test_cmd.c, $(UNIT_SRCS))
WIN_UNIT = $(WIN_UNIT_SRCS:%.c=$(WIN_OBJ)/%.exe)
WINE_ENV = WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" LANG=C.UTF-8 \
	   WINEPREFIX="$${WINEPREFIX:-$${XDG_CACHE_HOME:-$$HOME/.cache}/ddnsup-win/wine}"

check-windows:
	@deps=$$(bash windows/build-deps.sh) && \
	    $(MAKE) --no-print-directory ddnsup.exe $(WIN_UNIT) \
	    WIN_DEPS="$$deps"
	@$(MAKE) --no-print-directory unit-windows integration-windows
	tests/windows/smoke.sh

unit-windows:
	@fail=0; for t in $(WIN_UNIT); do \
		echo "== $$t (wine)"; \
		$(WINE_ENV) wine $$t || fail=1; \
	done; exit $$fail

integration-windows:
	DDNSUP_BIN=$(CURDIR)/ddnsup.exe $(PYTHON) -m pytest -q -rs tests/integration

$(WIN_LIB): $(filter-out $(WIN_OBJ)/ddnsup.o $(WIN_OBJ)/ddnsup.res.o,$(WIN_OBJS))
	rm -f $@
	$(WIN_HOST)-ar rcs $@ $^

# -Wno-format: cmocka.h's printf attribute is the MSVCRT one, which
# does not know %zu; the same tests build with -Wformat on Linux.
$(WIN_OBJ)/tests/unit/%.exe: tests/unit/%.c tests/unit/unit.h $(WIN_LIB)
	@mkdir -p $(@D)
	$(WIN_CC) $(WIN_CFLAGS) -Wno-format -I. -o $@ $< $(WIN_LIB) \
	    -lcmocka $(WIN_LIBS)

# The release zip: ddnsup.exe, the manual as text and HTML, the example
# config, README-Windows.txt and SHA256SUMS; reproducible (fixed times,
# sorted names), so the same sources give the same zip. Named
# ddnsup-<DDNSUP_VERSION>-windows-x86_64.zip.
windows-dist: windows
	$(PYTHON) windows/dist.py

windows-clean:
	rm -rf ddnsup.exe $(WIN_OBJ) ddnsup-*-windows-x86_64.zip

clean:
	rm -f ddnsup ddnsup.o libddnsup.a $(LIB_OBJS) $(UNIT_BINS)
	rm -rf tests/integration/__pycache__ .pytest_cache
	rm -rf $(FUZZ_OBJ) tests/fuzz/corpus $(FUZZ_NAMES:%=tests/fuzz/fuzz_%)

.PHONY: all check unit integration lint lint-man lint-symbols bench install clean fuzz \
	windows windows-clean check-windows unit-windows integration-windows \
	windows-dist
