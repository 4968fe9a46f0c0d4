/*
 * Addresses: parsing into canonical form, and the one place that decides
 * whether an address can be a host's public one.
 *
 * The special-purpose ranges come from RFC 6890 and the IANA registries
 * that replaced its tables:
 *   https://www.iana.org/assignments/iana-ipv4-special-registry/
 *   https://www.iana.org/assignments/iana-ipv6-special-registry/
 * Each table is searched in order and the first match wins, so a more
 * specific entry (a globally reachable anycast address inside an
 * otherwise reserved block) comes before the block; a NULL name marks
 * such an exception as public.
 *
 * Two IPv6 transition ranges are global unicast by the registry but are
 * refused here: 6to4 (2002::/16, RFC 7526 deprecated its anycast relays)
 * and Teredo (2001::/32) addresses are derived from an IPv4 address and a
 * relay that come and go, so they are not stable addresses to publish in
 * DNS; a user who wants them anyway can allow "6to4" or "teredo".
 *
 * IPv6 text is formatted here, not by inet_ntop: C libraries differ on
 * the edge cases (Windows writes ::ffff:0:0 where glibc writes
 * ::ffff:0.0.0.0), and the canonical form must not depend on the
 * platform. The rules are RFC 5952 section 4 plus the dotted tail for
 * IPv4-mapped and IPv4-compatible addresses that glibc and BIND use.
 */
#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#endif

#include <stdio.h>
#include <string.h>

#include "ddnsup.h"

/* Every range name, in allow-bit order; the index is the bit number. */
static const struct {
	const char	*name;
	const char	*why;
} ranges[] = {
	{ "this-network", "0.0.0.0/8 means \"this network\" and names "
	    "no reachable host" },
	{ "private", "a private (RFC 1918) address is reachable only "
	    "inside its own network" },
	{ "cgnat", "your ISP uses carrier-grade NAT; a DNS name cannot "
	    "reach you" },
	{ "loopback", "a loopback address always means the local machine" },
	{ "link-local", "a link-local address is valid only on one "
	    "network segment" },
	{ "ietf-protocol", "the range is reserved for IETF protocol "
	    "assignments" },
	{ "documentation", "the range is reserved for documentation and "
	    "examples" },
	{ "benchmarking", "the range is reserved for benchmarking tests" },
	{ "multicast", "a multicast address names a group, not a host" },
	{ "reserved", "the range is reserved for future use" },
	{ "broadcast", "the limited broadcast address reaches every host on "
	    "the local link" },
	{ "unspecified", "the unspecified address names no host" },
	{ "ula", "a unique local (ULA) address is reachable only inside its "
	    "own site" },
	{ "ipv4-mapped", "an IPv4-mapped address is an IPv4 address seen "
	    "through a dual-stack socket; publish it as an A record" },
	{ "nat64", "a NAT64 address belongs to a protocol translator, not "
	    "to this host" },
	{ "discard", "the discard-only prefix reaches no host" },
	{ "teredo", "a Teredo tunnel address changes with the tunnel and is "
	    "not a stable address" },
	{ "6to4", "a 6to4 address depends on deprecated relays and is not a "
	    "stable address" },
	{ "not-global-unicast", "the address is outside the IPv6 global "
	    "unicast range 2000::/3" },
};
#define NRANGES	(sizeof(ranges) / sizeof(ranges[0]))

struct prefix {
	unsigned char	 net[16];
	unsigned int	 len;		/* prefix length in bits */
	const char	*name;		/* NULL: an exception that is public */
};

static const struct prefix v4_table[] = {
	{ { 0, 0, 0, 0 }, 8, "this-network" },
	{ { 10, 0, 0, 0 }, 8, "private" },
	{ { 100, 64, 0, 0 }, 10, "cgnat" },
	{ { 127, 0, 0, 0 }, 8, "loopback" },
	{ { 169, 254, 0, 0 }, 16, "link-local" },
	{ { 172, 16, 0, 0 }, 12, "private" },
	{ { 192, 0, 0, 9 }, 32, NULL },		/* PCP anycast */
	{ { 192, 0, 0, 10 }, 32, NULL },	/* TURN anycast */
	{ { 192, 0, 0, 0 }, 24, "ietf-protocol" },
	{ { 192, 0, 2, 0 }, 24, "documentation" },
	{ { 192, 88, 99, 0 }, 24, "6to4" },	/* deprecated relay anycast */
	{ { 192, 168, 0, 0 }, 16, "private" },
	{ { 198, 18, 0, 0 }, 15, "benchmarking" },
	{ { 198, 51, 100, 0 }, 24, "documentation" },
	{ { 203, 0, 113, 0 }, 24, "documentation" },
	{ { 224, 0, 0, 0 }, 4, "multicast" },
	{ { 255, 255, 255, 255 }, 32, "broadcast" },
	{ { 240, 0, 0, 0 }, 4, "reserved" },
};

static const struct prefix v6_table[] = {
	{ { 0 }, 128, "unspecified" },
	{ { [15] = 1 }, 128, "loopback" },
	{ { [10] = 0xff, [11] = 0xff }, 96, "ipv4-mapped" },
	{ { 0, 0x64, 0xff, 0x9b }, 96, "nat64" },
	{ { 0, 0x64, 0xff, 0x9b, 0, 1 }, 48, "nat64" },
	{ { 0x01, 0x00 }, 64, "discard" },
	/* Globally reachable assignments inside 2001::/23. */
	{ { 0x20, 0x01, 0, 1, [15] = 1 }, 128, NULL },	/* PCP anycast */
	{ { 0x20, 0x01, 0, 1, [15] = 2 }, 128, NULL },	/* TURN anycast */
	{ { 0x20, 0x01, 0, 1, [15] = 3 }, 128, NULL },	/* DNS-SD SRP */
	{ { 0x20, 0x01, 0, 3 }, 32, NULL },		/* AMT */
	{ { 0x20, 0x01, 0, 4, 0x01, 0x12 }, 48, NULL },	/* AS112-v6 */
	{ { 0x20, 0x01, 0, 0x20 }, 28, NULL },		/* ORCHIDv2 */
	{ { 0x20, 0x01, 0, 0x30 }, 28, NULL },		/* drone remote ID */
	{ { 0x20, 0x01, 0, 0 }, 32, "teredo" },
	{ { 0x20, 0x01, 0, 2, 0, 0 }, 48, "benchmarking" },
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32, "documentation" },
	{ { 0x20, 0x01 }, 23, "ietf-protocol" },
	{ { 0x20, 0x02 }, 16, "6to4" },
	{ { 0x3f, 0xff }, 20, "documentation" },
	{ { 0xfc }, 7, "ula" },
	{ { 0xfe, 0x80 }, 10, "link-local" },
	{ { 0xff }, 8, "multicast" },
	{ { 0x20 }, 3, NULL },				/* global unicast */
	{ { 0 }, 0, "not-global-unicast" },		/* everything else */
};

/* 1 if the first len bits of a and net agree. */
static int
prefix_match(const unsigned char *a, const unsigned char *net,
    unsigned int len)
{
	unsigned int	 n = len / 8, rem = len % 8;
	unsigned char	 mask;

	if (memcmp(a, net, n) != 0)
		return 0;
	if (rem == 0)
		return 1;
	mask = (unsigned char)(0xff << (8 - rem));
	return (a[n] & mask) == (net[n] & mask);
}

/* The range name of the first entry of t (n entries) containing a. */
static const char *
table_lookup(const struct prefix *t, size_t n, const unsigned char *a)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (prefix_match(a, t[i].net, t[i].len))
			return t[i].name;
	return NULL;
}

/* Write the canonical text of the 16-byte IPv6 address b into out (at
 * least 46 bytes): lower-case hex, no leading zeros, the first longest
 * run of two or more zero groups as "::", a dotted IPv4 tail for
 * ::ffff:a.b.c.d and ::a.b.c.d. */
static void
v6_text(const unsigned char *b, char *out)
{
	unsigned int	 w[8];
	int		 i, run, best = -1, bestlen = 0, base = -1;
	char		*p = out;

	for (i = 0; i < 8; i++)
		w[i] = (unsigned int)b[2 * i] << 8 | b[2 * i + 1];
	for (i = 0, run = 0; i <= 8; i++) {
		if (i < 8 && w[i] == 0) {
			if (run++ == 0)
				base = i;
			continue;
		}
		if (run > bestlen) {
			best = base;
			bestlen = run;
		}
		run = 0;
	}
	if (bestlen < 2)
		best = -1;
	for (i = 0; i < 8; i++) {
		if (best != -1 && i >= best && i < best + bestlen) {
			if (i == best)
				*p++ = ':';
			continue;
		}
		if (i != 0)
			*p++ = ':';
		if (i == 6 && best == 0 && (bestlen == 6 ||
		    (bestlen == 5 && w[5] == 0xffff))) {
			p += sprintf(p, "%u.%u.%u.%u", b[12], b[13], b[14],
			    b[15]);
			break;
		}
		p += sprintf(p, "%x", w[i]);
	}
	if (best != -1 && best + bestlen == 8)
		*p++ = ':';
	*p = '\0';
}

/* 0 and *out filled if s is an address of family fam (FAM_MAX: any). */
int
addr_parse(const char *s, enum fam fam, struct addr *out)
{
	struct addr	 a;

	if (s == NULL)
		return -1;
	memset(&a, 0, sizeof(a));
	if (fam != FAM_V6 && inet_pton(AF_INET, s, a.bytes) == 1) {
		a.fam = FAM_V4;
		snprintf(a.text, sizeof(a.text), "%u.%u.%u.%u", a.bytes[0],
		    a.bytes[1], a.bytes[2], a.bytes[3]);
	} else if (fam != FAM_V4 && strlen(s) < sizeof(a.text) &&
	    inet_pton(AF_INET6, s, a.bytes) == 1) {
		a.fam = FAM_V6;
		v6_text(a.bytes, a.text);
	} else
		return -1;
	*out = a;
	return 0;
}

/* NULL if a is public; else the static name of its range. */
const char *
addr_range(const struct addr *a)
{
	if (a->fam == FAM_V4)
		return table_lookup(v4_table,
		    sizeof(v4_table) / sizeof(v4_table[0]), a->bytes);
	return table_lookup(v6_table, sizeof(v6_table) / sizeof(v6_table[0]),
	    a->bytes);
}

/* Static sentence saying why range r is not a public address. */
const char *
addr_range_why(const char *r)
{
	size_t	 i;

	for (i = 0; r != NULL && i < NRANGES; i++)
		if (strcmp(ranges[i].name, r) == 0)
			return ranges[i].why;
	return "the address is not a public one";
}

/* The one bit of range name r; 0 if unknown. */
static unsigned int
range_bit(const char *r)
{
	size_t	 i;

	for (i = 0; r != NULL && i < NRANGES; i++)
		if (strcmp(ranges[i].name, r) == 0)
			return 1u << i;
	return 0;
}

/*
 * The allow bits for range name r, 0 if unknown. "private" also allows
 * IPv6 unique local addresses, its IPv6 counterpart: a user who allows
 * one means the other.
 */
unsigned int
addr_range_bit(const char *r)
{
	unsigned int	 bit;

	bit = range_bit(r);
	if (bit != 0 && strcmp(r, "private") == 0)
		bit |= range_bit("ula");
	return bit;
}

/* NULL if a may be used under allow; else its static range name. */
const char *
addr_check(const struct addr *a, unsigned int allow)
{
	const char	*r;

	if ((r = addr_range(a)) == NULL)
		return NULL;
	if (allow & range_bit(r))
		return NULL;
	return r;
}

/* 1 if a and b are the same address. */
int
addr_equal(const struct addr *a, const struct addr *b)
{
	if (a->fam != b->fam)
		return 0;
	return memcmp(a->bytes, b->bytes, a->fam == FAM_V4 ? 4 : 16) == 0;
}

/* "IPv4" / "IPv6"; static. */
const char *
fam_name(enum fam f)
{
	return f == FAM_V4 ? "IPv4" : "IPv6";
}

/* The DNS record type for family f; static. */
const char *
fam_rrtype(enum fam f)
{
	return f == FAM_V4 ? "A" : "AAAA";
}

/* The value of hex digit c, or -1. */
static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* 1 if s is a MAC address "xx:xx:xx:xx:xx:xx" (or with '-'); mac filled. */
static int
parse_mac(const char *s, unsigned char mac[6])
{
	int	 i, hi, lo;

	if (strlen(s) != 17 || (s[2] != ':' && s[2] != '-'))
		return 0;
	for (i = 0; i < 6; i++) {
		if (i > 0 && s[i * 3 - 1] != s[2])
			return 0;
		if ((hi = hexval(s[i * 3])) < 0 ||
		    (lo = hexval(s[i * 3 + 1])) < 0)
			return 0;
		mac[i] = (unsigned char)(hi << 4 | lo);
	}
	return 1;
}

/*
 * A host id from s: an IPv6 address whose first plen bits are zero, or a
 * MAC address made a modified EUI-64 interface id (RFC 4291 appendix A:
 * ff:fe in the middle, the universal/local bit flipped). 0/-1, *why static.
 */
int
addr_host_id(const char *s, int plen, unsigned char host[16],
    const char **why)
{
	static const unsigned char	 zero[16];
	unsigned char			 mac[6];
	struct addr			 a;

	memset(host, 0, 16);
	if (plen < 1 || plen > 127) {
		*why = "the prefix length must be from 1 to 127";
		return -1;
	}
	if (parse_mac(s, mac)) {
		host[8] = mac[0] ^ 0x02;
		host[9] = mac[1];
		host[10] = mac[2];
		host[11] = 0xff;
		host[12] = 0xfe;
		host[13] = mac[3];
		host[14] = mac[4];
		host[15] = mac[5];
	} else if (addr_parse(s, FAM_V6, &a) == 0)
		memcpy(host, a.bytes, 16);
	else {
		*why = "expected an IPv6 host id such as \"::1234\" or a MAC "
		    "address such as \"00:11:22:33:44:55\"";
		return -1;
	}
	if (memcmp(host, zero, 16) == 0) {
		*why = "the host id is zero: it would name the subnet "
		    "itself, not a host";
		return -1;
	}
	if (!prefix_match(host, zero, (unsigned int)plen)) {
		*why = "the host id is wider than the host part: it has bits "
		    "set inside the prefix";
		return -1;
	}
	return 0;
}

/* out = pub's first plen bits followed by host's other bits (IPv6). */
void
addr_with_host(const struct addr *pub, int plen, const unsigned char host[16],
    struct addr *out)
{
	unsigned char	 mask;
	int		 i, bits;

	memset(out, 0, sizeof(*out));
	out->fam = FAM_V6;
	for (i = 0; i < 16; i++) {
		bits = plen - i * 8;
		mask = bits >= 8 ? 0xff : bits <= 0 ? 0 :
		    (unsigned char)(0xff << (8 - bits));
		out->bytes[i] = (pub->bytes[i] & mask) |
		    (host[i] & (unsigned char)~mask);
	}
	if (inet_ntop(AF_INET6, out->bytes, out->text,
	    sizeof(out->text)) == NULL)
		out->text[0] = '\0';
}
