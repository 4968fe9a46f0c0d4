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
check: unit integration lint-man

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

bench: ddnsup
	$(PYTHON) tests/bench.py ./ddnsup

install: ddnsup
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 ddnsup $(DESTDIR)$(BINDIR)/ddnsup
	install -m 644 man/ddnsup.1 $(DESTDIR)$(MANDIR)/man1/ddnsup.1

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
	   -ladvapi32 -luser32 -lpthread
# Each library's build stamp: a rebuilt library recompiles and relinks.
WIN_STAMPS = $(patsubst -I%/include,%/.done,$(filter -I%,$(WIN_DEPS)))

windows:
	@deps=$$(bash windows/build-deps.sh) && \
	    $(MAKE) --no-print-directory ddnsup.exe WIN_DEPS="$$deps"

ddnsup.exe: $(WIN_OBJS) $(WIN_STAMPS)
	$(WIN_CC) -o $@ $(WIN_OBJS) $(WIN_LIBS)
	$(WIN_HOST)-strip $@

$(WIN_OBJ)/%.o: %.c $(HDRS) windows/compat.h $(WIN_STAMPS)
	@mkdir -p $(@D)
	$(WIN_CC) $(WIN_CFLAGS) -c -o $@ $<

$(WIN_OBJ)/ddnsup.res.o: windows/ddnsup.rc windows/ddnsup.exe.manifest
	@mkdir -p $(@D)
	$(WIN_HOST)-windres --include-dir=windows -O coff -o $@ windows/ddnsup.rc

windows-clean:
	rm -rf ddnsup.exe $(WIN_OBJ)

clean:
	rm -f ddnsup ddnsup.o libddnsup.a $(LIB_OBJS) $(UNIT_BINS)
	rm -rf tests/integration/__pycache__ .pytest_cache

.PHONY: all check unit integration lint lint-man bench install clean \
	windows windows-clean
