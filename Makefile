# ddnsup -- see README. Libraries are found with pkg-config.
PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
DESTDIR	?=
PKG_CONFIG ?= pkg-config
PYTHON	?= /usr/bin/python3

PKGS	 = libcurl libcrypto jansson
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
	@out=$$(groff -mandoc -ww -z man/ddnsup.1 2>&1); \
	if [ -n "$$out" ]; then echo "$$out"; exit 1; fi; \
	echo "man/ddnsup.1: groff -ww clean"

bench: ddnsup
	$(PYTHON) tests/bench.py ./ddnsup

install: ddnsup
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 ddnsup $(DESTDIR)$(BINDIR)/ddnsup
	install -m 644 man/ddnsup.1 $(DESTDIR)$(MANDIR)/man1/ddnsup.1

clean:
	rm -f ddnsup ddnsup.o libddnsup.a $(LIB_OBJS) $(UNIT_BINS)
	rm -rf tests/integration/__pycache__ .pytest_cache

.PHONY: all check unit integration lint lint-man bench install clean
