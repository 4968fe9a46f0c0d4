/*
 * Address source "router": the home router's WAN (external) IPv4 address,
 * asked over UPnP IGD or NAT-PMP, and the CGNAT check that compares it
 * with the address seen from outside.
 *
 * NAT-PMP, RFC 6886 (https://www.rfc-editor.org/rfc/rfc6886): a 2-byte
 * request (version 0, opcode 0) over UDP to the default gateway's port
 * 5351, retransmitted after 250 ms, doubling (3.1), until the timeout or
 * the probe deadline; a reply counts only from the gateway's address with
 * version 0, opcode 128 and 12 bytes (3.2); a non-zero result code (3.5)
 * is final. Anything else is discarded and named if nothing better comes.
 *
 * UPnP IGD (UPnP Device Architecture 1.1, IGD:1 and IGD:2, WANIPConnection
 * and WANPPPConnection service templates, https://openconnectivity.org/
 * developer/specifications/upnp-resources/upnp/): an SSDP M-SEARCH
 * (multicast 239.255.255.250:1900, MX 1) from every IPv4 interface for
 * the IGD and WAN connection service types; the LOCATION of a reply is
 * fetched only when its host is the address the reply came from. The
 * description is searched for WANIPConnection:1/2 and WANPPPConnection:1
 * services, anywhere in nested devices; their controlURLs, relative or
 * absolute, resolved against URLBase (UPnP 1.0) or the description URL,
 * must stay on http:// on the description's host. Each is asked in turn
 * with a SOAP GetExternalIPAddress until one gives an address; an empty
 * or 0.0.0.0 answer means the WAN link is down, or (miniupnpd) that the
 * WAN address is private or CGNAT, which it will not tell. Option "url"
 * names the description and skips SSDP. The router is on the LAN: its
 * HTTP requests never go through a proxy from the environment.
 *
 * Both documents are read with a small strict XML tokenizer of our own,
 * not a library (the project adds expat later): bounded size, depth, name
 * and text lengths; no DTD (so no entity expansion); the five predefined
 * entities and character references only; every end tag must match.
 * Namespace prefixes are ignored: elements are matched by local name and
 * by their parent's, as routers bind the SOAP prefixes however they like.
 *
 * PCP (RFC 6887) is not supported: its ANNOUNCE does not carry the
 * address, and a MAP request would create a mapping on the router just to
 * read it. Most PCP routers answer NAT-PMP as well (RFC 6887 9).
 *
 * With protocol "auto" (the default) NAT-PMP and UPnP start together and
 * the first WAN address wins; the HTTP fetches of UPnP are blocking, each
 * bounded by what is left of the time. The WAN address goes into
 * res.wan whatever its range; it is the public address (res.addr) only
 * if it passes probe_accept, so a router behind CGNAT or another router
 * is a failed step and the list falls back to its next source.
 *
 * Windows: sockets need WSAStartup, which curl_global_init (http_init,
 * called by the driver before any probe) has already done; the default
 * gateway comes from GetIpForwardTable, the interfaces SSDP searches
 * from from GetAdaptersAddresses.
 */
#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#else
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <poll.h>
#include <unistd.h>
#endif

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "probe.h"
#include "router.h"

#ifdef _WIN32
typedef SOCKET		 sock_t;
#define SOCK_NONE	 INVALID_SOCKET
#define sock_close(s)	 closesocket(s)
#define sock_poll(f, n, t) WSAPoll((f), (ULONG)(n), (t))
#define SOCK_EREFUSED	 WSAECONNRESET
#define sock_errno()	 WSAGetLastError()
#define SOCK_EAGAIN	 WSAEWOULDBLOCK
#define SOCK_EWOULDBLOCK WSAEWOULDBLOCK
#else
typedef int		 sock_t;
#define SOCK_NONE	 (-1)
#define sock_close(s)	 close(s)
#define sock_poll(f, n, t) poll((f), (nfds_t)(n), (t))
#define SOCK_EREFUSED	 ECONNREFUSED
#define sock_errno()	 errno
#define SOCK_EAGAIN	 EAGAIN
#define SOCK_EWOULDBLOCK EWOULDBLOCK
#endif

#define DEFAULT_TIMEOUT_MS	2000	/* one hop away: quick or never */
#define NATPMP_FIRST_MS		250	/* RFC 6886 3.1 */
#define SSDP_ADDR		"239.255.255.250"
#define SSDP_PORT		1900
#define SSDP_RESEND_MS		1000	/* M-SEARCH again once, UDP is lossy */
#define SSDP_LAST_MS		1250	/* then answers by MX 1 s + slack */
#define SSDP_IFS_MAX		16
#define LOC_MAX			8	/* descriptions tried per run */
#define LOC_LEN			512
#define XML_MAX			(128 * 1024)
#define XML_DEPTH		16
#define XML_NAME		64
#define XML_TEXT		512
#define SHOWN_MAX		120	/* bytes of router text in a message */

#define P_NATPMP	0x1
#define P_UPNP		0x2

static const char *const wan_types[] = {
	"urn:schemas-upnp-org:service:WANIPConnection:1",
	"urn:schemas-upnp-org:service:WANIPConnection:2",
	"urn:schemas-upnp-org:service:WANPPPConnection:1",
	NULL
};

static const char *const ssdp_targets[] = {
	"urn:schemas-upnp-org:device:InternetGatewayDevice:1",
	"urn:schemas-upnp-org:device:InternetGatewayDevice:2",
	"urn:schemas-upnp-org:service:WANIPConnection:1",
	"urn:schemas-upnp-org:service:WANIPConnection:2",
	"urn:schemas-upnp-org:service:WANPPPConnection:1",
	NULL
};

static const char *const natpmp_results[] = {
	"success",
	"unsupported version (the router may speak PCP only)",
	"not authorized or refused (NAT-PMP is off in the router's settings)",
	"network failure (the router has no WAN address yet, or one it "
	    "will not tell: miniupnpd answers so for a private or CGNAT one)",
	"out of resources",
	"unsupported opcode",
};

static int	 router_check(json_t *, enum fam, const char **, char **);
static int	 router_run(const struct probe_step *const [FAM_MAX],
		    const struct probe_conf *, struct probe_result [FAM_MAX],
		    long);

const struct probe_source probe_router = {
	.name = "router",
	.shorthand = "protocol",
	.check = router_check,
	.run = router_run,
};

/* ---- small helpers -------------------------------------------------- */

/* A malloc'd copy of at most SHOWN_MAX bytes of s, controls as '?'. */
static char *
shown(const char *s, size_t n)
{
	char	*t;
	size_t	 i;

	if (n > SHOWN_MAX)
		n = SHOWN_MAX;
	if ((t = malloc(n + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		t[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	t[n] = '\0';
	return t;
}

/* Append "; " (unless first) and piece to *s; takes piece. */
static void
join(char **s, char *piece)
{
	char	*t;

	if (piece == NULL)
		return;
	if (*s == NULL) {
		*s = piece;
		return;
	}
	t = xasprintf("%s; %s", *s, piece);
	free(piece);
	if (t != NULL) {
		free(*s);
		*s = t;
	}
}

/*
 * A UDP socket that never blocks: a readiness that turns out empty (Wine
 * reports an ICMP error as readable, then blocks in recvfrom) must not
 * hold the run past its deadline. SOCK_NONE on failure.
 */
static sock_t
udp_socket(void)
{
	sock_t	 s;
#ifdef _WIN32
	u_long	 on = 1;

	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == SOCK_NONE)
		return SOCK_NONE;
	if (ioctlsocket(s, FIONBIO, &on) != 0) {
		closesocket(s);
		return SOCK_NONE;
	}
#else
	int	 fl;

	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == SOCK_NONE)
		return SOCK_NONE;
	if ((fl = fcntl(s, F_GETFL)) == -1 ||
	    fcntl(s, F_SETFL, fl | O_NONBLOCK) == -1) {
		close(s);
		return SOCK_NONE;
	}
#endif
	return s;
}

/* 1 if s has a pending error saying nothing listens at its peer. */
static int
sock_closed_port(sock_t s)
{
	int		 e = 0;
	socklen_t	 l = sizeof(e);

	if (getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&e, &l) != 0)
		return 0;
#ifdef _WIN32
	return e == WSAECONNRESET || e == WSAECONNREFUSED;
#else
	return e == ECONNREFUSED;
#endif
}

/* 1 if the n bytes at p hold only XML white space. */
static int
blank(const char *p, size_t n)
{
	while (n > 0 && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++, n--;
	return n == 0;
}

/* ---- NAT-PMP (pure) ------------------------------------------------- */

/* The external address request: version 0, opcode 0. Its size. */
size_t
natpmp_request(unsigned char buf[NATPMP_REQ_LEN])
{
	buf[0] = 0;
	buf[1] = 0;
	return NATPMP_REQ_LEN;
}

/* Judge a reply: 0 valid (*wan), 1 error result (final), -1 not ours. */
int
natpmp_parse(const unsigned char *buf, size_t len, struct addr *wan,
    char **why)
{
	unsigned int	 code;
	char		 text[INET_ADDRSTRLEN];

	*why = NULL;
	if (len < 8) {
		*why = xasprintf("a %zu-byte packet is too short for a "
		    "NAT-PMP reply", len);
		return -1;
	}
	if (buf[0] != 0) {
		*why = xasprintf("not a NAT-PMP reply (version %u)", buf[0]);
		return -1;
	}
	if (buf[1] != 128) {
		*why = xasprintf("not a reply to the external address request "
		    "(opcode %u)", buf[1]);
		return -1;
	}
	code = (unsigned int)buf[2] << 8 | buf[3];
	if (code != 0) {
		*why = xasprintf("the router refused: result code %u, %s", code,
		    code < sizeof(natpmp_results) / sizeof(natpmp_results[0]) ?
		    natpmp_results[code] : "unknown");
		return 1;
	}
	if (len != NATPMP_REPLY_LEN) {
		*why = xasprintf("a %zu-byte reply, not %d", len,
		    NATPMP_REPLY_LEN);
		return -1;
	}
	snprintf(text, sizeof(text), "%u.%u.%u.%u", buf[8], buf[9], buf[10],
	    buf[11]);
	if (addr_parse(text, FAM_V4, wan) == -1) {
		*why = xasprintf("unreadable address");
		return -1;
	}
	return 0;
}

/* ---- SSDP (pure) ---------------------------------------------------- */

/* The M-SEARCH for st; malloc'd. */
char *
ssdp_request(const char *st)
{
	return xasprintf("M-SEARCH * HTTP/1.1\r\n"
	    "HOST: " SSDP_ADDR ":%d\r\n"
	    "MAN: \"ssdp:discover\"\r\n"
	    "MX: 1\r\n"
	    "ST: %s\r\n"
	    "USER-AGENT: ddnsup/" DDNSUP_VERSION " UPnP/1.1\r\n"
	    "\r\n", SSDP_PORT, st);
}

/* 0 and loc set from a search reply's LOCATION; -1 if none usable. */
int
ssdp_location(const char *buf, size_t len, char *loc, size_t size)
{
	const char	*p = buf, *end = buf + len, *eol, *v, *ve;
	size_t		 n, i;
	int		 first = 1;

	if (memchr(buf, '\0', len) != NULL)
		return -1;
	for (; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		n = (size_t)(eol - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (first) {
			if (n < 12 || (strncmp(p, "HTTP/1.1 200", 12) != 0 &&
			    strncmp(p, "HTTP/1.0 200", 12) != 0) ||
			    (n > 12 && p[12] != ' '))
				return -1;
			first = 0;
			continue;
		}
		if (n == 0)
			break;
		if (n < 9 || strncasecmp(p, "LOCATION:", 9) != 0)
			continue;
		for (v = p + 9, ve = p + n; v < ve && (*v == ' ' ||
		    *v == '\t'); v++)
			continue;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		n = (size_t)(ve - v);
		if (n < 8 || n >= size || strncasecmp(v, "http://", 7) != 0)
			return -1;
		for (i = 0; i < n; i++)
			if ((unsigned char)v[i] <= ' ' ||
			    (unsigned char)v[i] >= 0x7f)
				return -1;
		memcpy(loc, v, n);
		loc[n] = '\0';
		return 0;
	}
	return -1;
}

/* ---- a strict, bounded XML tokenizer -------------------------------- */

struct xml {
	const char	*p, *end;
	char		 stack[XML_DEPTH][XML_NAME];	/* open elements */
	int		 depth;
	int		 roots;			/* root elements seen */
	char		 text[XML_TEXT];	/* since the last tag */
	size_t		 tlen;
	int		 tover;			/* text did not fit */
	/* Called at each end tag, the element still on the stack, with its
	 * local name and trimmed text (NULL if it did not fit). */
	void		(*end_cb)(struct xml *, const char *, const char *);
	void		*arg;
};

/* The local part of a qualified name; points into q. */
static const char *
xml_local(const char *q)
{
	const char	*c;

	return (c = strrchr(q, ':')) != NULL ? c + 1 : q;
}

/* The local name n levels above the current element (0: itself), or "". */
static const char *
xml_up(const struct xml *x, int n)
{
	return x->depth - 1 - n >= 0 ? xml_local(x->stack[x->depth - 1 - n]) :
	    "";
}

/* 1 if c may be in a name (first: may start one). */
static int
xml_namec(unsigned char c, int first)
{
	if (isalpha(c) || c == '_' || c == ':' || c >= 0x80)
		return 1;
	return !first && (isdigit(c) || c == '-' || c == '.');
}

/* Read a name at x->p into out; 0, or -1 with *why (static). */
static int
xml_name(struct xml *x, char out[XML_NAME], const char **why)
{
	size_t	 n = 0;

	if (x->p >= x->end || !xml_namec((unsigned char)*x->p, 1)) {
		*why = "a tag without a valid name";
		return -1;
	}
	while (x->p < x->end && xml_namec((unsigned char)*x->p, n == 0)) {
		if (n + 1 >= XML_NAME) {
			*why = "a name too long";
			return -1;
		}
		out[n++] = *x->p++;
	}
	out[n] = '\0';
	return 0;
}

/* Skip white space at x->p; how many bytes. */
static size_t
xml_ws(struct xml *x)
{
	const char	*s = x->p;

	while (x->p < x->end && (*x->p == ' ' || *x->p == '\t' ||
	    *x->p == '\r' || *x->p == '\n'))
		x->p++;
	return (size_t)(x->p - s);
}

/* Move x->p past the next occurrence of term; 0, or -1 if none. */
static int
xml_past(struct xml *x, const char *term)
{
	size_t	 n = strlen(term);

	for (; x->p + n <= x->end; x->p++)
		if (memcmp(x->p, term, n) == 0) {
			x->p += n;
			return 0;
		}
	return -1;
}

/* Append byte c to the element's text. */
static void
xml_putc(struct xml *x, char c)
{
	if (x->tlen + 1 < sizeof(x->text))
		x->text[x->tlen++] = c;
	else
		x->tover = 1;
}

/* Append code point cp as UTF-8; 0, or -1 if it is not a character. */
static int
xml_putcp(struct xml *x, unsigned long cp)
{
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	if (cp < 0x80)
		xml_putc(x, (char)cp);
	else if (cp < 0x800) {
		xml_putc(x, (char)(0xc0 | cp >> 6));
		xml_putc(x, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		xml_putc(x, (char)(0xe0 | cp >> 12));
		xml_putc(x, (char)(0x80 | (cp >> 6 & 0x3f)));
		xml_putc(x, (char)(0x80 | (cp & 0x3f)));
	} else {
		xml_putc(x, (char)(0xf0 | cp >> 18));
		xml_putc(x, (char)(0x80 | (cp >> 12 & 0x3f)));
		xml_putc(x, (char)(0x80 | (cp >> 6 & 0x3f)));
		xml_putc(x, (char)(0x80 | (cp & 0x3f)));
	}
	return 0;
}

/* Decode the reference at x->p ('&'); 0, or -1 with *why (static). */
static int
xml_ref(struct xml *x, const char **why)
{
	static const struct {
		const char	*name;
		char		 c;
	} named[] = {
		{ "lt", '<' }, { "gt", '>' }, { "amp", '&' }, { "quot", '"' },
		{ "apos", '\'' },
	};
	const char	*s = x->p + 1, *semi;
	unsigned long	 cp = 0;
	size_t		 i, n;
	int		 hex;

	*why = "an unknown or malformed entity reference";
	for (semi = s; semi < x->end && semi - s < 10 && *semi != ';'; semi++)
		continue;
	if (semi >= x->end || *semi != ';')
		return -1;
	n = (size_t)(semi - s);
	x->p = semi + 1;
	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (strlen(named[i].name) == n &&
		    memcmp(named[i].name, s, n) == 0) {
			xml_putc(x, named[i].c);
			return 0;
		}
	if (n < 2 || s[0] != '#')
		return -1;
	hex = s[1] == 'x';
	if (n < (size_t)(hex ? 3 : 2))
		return -1;
	for (i = hex ? 2 : 1; i < n; i++) {
		if (hex && isxdigit((unsigned char)s[i]))
			cp = cp * 16 + (unsigned long)(isdigit((unsigned char)
			    s[i]) ? s[i] - '0' : tolower((unsigned char)s[i]) -
			    'a' + 10);
		else if (!hex && isdigit((unsigned char)s[i]))
			cp = cp * 10 + (unsigned long)(s[i] - '0');
		else
			return -1;
	}
	return xml_putcp(x, cp);
}

/* Start a new text run (at each tag). */
static void
xml_text_reset(struct xml *x)
{
	x->tlen = 0;
	x->tover = 0;
}

/* Report the end of the current element and pop it. */
static void
xml_end(struct xml *x)
{
	char	*s, *e;

	x->text[x->tlen] = '\0';
	for (s = x->text; *s == ' ' || *s == '\t' || *s == '\r' || *s == '\n';
	    s++)
		continue;
	for (e = s + strlen(s); e > s && (e[-1] == ' ' || e[-1] == '\t' ||
	    e[-1] == '\r' || e[-1] == '\n'); e--)
		continue;
	*e = '\0';
	x->end_cb(x, xml_up(x, 0), x->tover ? NULL : s);
	x->depth--;
	xml_text_reset(x);
}

/* A start tag at x->p ('<' name); 0, or -1 with *why (static). */
static int
xml_start(struct xml *x, const char **why)
{
	char	 attr[XML_NAME];
	char	 q;

	if (x->depth == 0 && x->roots++ > 0) {
		*why = "more than one root element";
		return -1;
	}
	if (x->depth >= XML_DEPTH) {
		*why = "elements nested too deep";
		return -1;
	}
	x->p++;
	if (xml_name(x, x->stack[x->depth], why) == -1)
		return -1;
	x->depth++;
	xml_text_reset(x);
	for (;;) {
		if (xml_ws(x) == 0 && x->p < x->end && *x->p != '>' &&
		    *x->p != '/') {
			*why = "a malformed start tag";
			return -1;
		}
		if (x->p >= x->end)
			break;
		if (*x->p == '>') {
			x->p++;
			return 0;
		}
		if (*x->p == '/') {
			if (x->p + 1 >= x->end || x->p[1] != '>')
				break;
			x->p += 2;
			xml_end(x);
			return 0;
		}
		if (xml_name(x, attr, why) == -1)
			return -1;
		xml_ws(x);
		if (x->p >= x->end || *x->p++ != '=')
			break;
		xml_ws(x);
		if (x->p >= x->end || (*x->p != '"' && *x->p != '\''))
			break;
		for (q = *x->p++; x->p < x->end && *x->p != q; x->p++)
			if (*x->p == '<')
				break;
		if (x->p >= x->end || *x->p != q)
			break;
		x->p++;
	}
	*why = "a malformed start tag";
	return -1;
}

/* An end tag at x->p ("</"); 0, or -1 with *why (static). */
static int
xml_close(struct xml *x, const char **why)
{
	char	 name[XML_NAME];

	x->p += 2;
	if (xml_name(x, name, why) == -1)
		return -1;
	xml_ws(x);
	if (x->p >= x->end || *x->p++ != '>') {
		*why = "a malformed end tag";
		return -1;
	}
	if (x->depth == 0 || strcmp(name, x->stack[x->depth - 1]) != 0) {
		*why = "an end tag that does not match its start tag";
		return -1;
	}
	xml_end(x);
	return 0;
}

/*
 * Run the tokenizer over doc (len bytes), calling cb at each end tag:
 * 0 if doc is well-formed as far as we read XML, -1 with *why (static).
 */
static int
xml_parse(const char *doc, size_t len,
    void (*cb)(struct xml *, const char *, const char *), void *arg,
    const char **why)
{
	struct xml	 x;
	const char	*s;

	memset(&x, 0, sizeof(x));
	x.p = doc;
	x.end = doc + len;
	x.end_cb = cb;
	x.arg = arg;
	if (len > XML_MAX) {
		*why = "the document is too large";
		return -1;
	}
	if (memchr(doc, '\0', len) != NULL) {
		*why = "a NUL byte in the document";
		return -1;
	}
	if (len >= 3 && memcmp(doc, "\xef\xbb\xbf", 3) == 0)
		x.p += 3;
	while (x.p < x.end) {
		if (*x.p == '<') {
			s = x.p;
			if (x.end - s >= 2 && s[1] == '?') {
				if (xml_past(&x, "?>") == -1) {
					*why = "an unterminated processing "
					    "instruction";
					return -1;
				}
			} else if (x.end - s >= 4 && memcmp(s, "<!--", 4) == 0) {
				x.p += 4;
				if (xml_past(&x, "-->") == -1) {
					*why = "an unterminated comment";
					return -1;
				}
			} else if (x.end - s >= 9 &&
			    memcmp(s, "<![CDATA[", 9) == 0 && x.depth > 0) {
				x.p += 9;
				for (; x.p + 3 <= x.end &&
				    memcmp(x.p, "]]>", 3) != 0; x.p++)
					xml_putc(&x, *x.p);
				if (xml_past(&x, "]]>") == -1) {
					*why = "an unterminated CDATA section";
					return -1;
				}
			} else if (x.end - s >= 2 && s[1] == '!') {
				*why = "a DTD or declaration (not accepted)";
				return -1;
			} else if (x.end - s >= 2 && s[1] == '/') {
				if (xml_close(&x, why) == -1)
					return -1;
			} else if (xml_start(&x, why) == -1)
				return -1;
			continue;
		}
		if (x.depth == 0) {
			if (!blank(x.p, 1)) {
				*why = "text outside the root element";
				return -1;
			}
			x.p++;
		} else if (*x.p == '&') {
			if (xml_ref(&x, why) == -1)
				return -1;
		} else if (*x.p == '>' && x.p - doc >= 2 &&
		    memcmp(x.p - 2, "]]", 2) == 0) {
			*why = "\"]]>\" in text";
			return -1;
		} else
			xml_putc(&x, *x.p++);
	}
	if (x.depth != 0 || x.roots == 0) {
		*why = x.roots == 0 ? "no root element" :
		    "the document ends inside an element";
		return -1;
	}
	return 0;
}

/* ---- UPnP descriptions and SOAP (pure) ------------------------------ */

/* What the description callback gathers. */
struct desc {
	char		 type[UPNP_TYPE_MAX];	/* current service's */
	char		*control;		/* current service's; malloc'd */
	char		*base;			/* URLBase; malloc'd */
	struct {
		char	 type[UPNP_TYPE_MAX];
		char	*control;
	}		 found[UPNP_SVC_MAX];
	size_t		 nfound;
	int		 services;		/* <service> elements seen */
	int		 oom;
};

/* 1 if t is one of the WAN connection service types we ask. */
static int
wan_type(const char *t)
{
	size_t	 i;

	for (i = 0; wan_types[i] != NULL; i++)
		if (strcmp(t, wan_types[i]) == 0)
			return 1;
	return 0;
}

/* Description end-tag callback: collect services and URLBase. */
static void
desc_end(struct xml *x, const char *name, const char *text)
{
	struct desc	*d = x->arg;
	const char	*parent = xml_up(x, 1);

	if (strcmp(name, "URLBase") == 0 && strcmp(parent, "root") == 0 &&
	    x->depth == 2 && text != NULL && d->base == NULL) {
		if ((d->base = strdup(text)) == NULL)
			d->oom = 1;
	} else if (strcmp(parent, "service") == 0 &&
	    strcmp(name, "serviceType") == 0) {
		if (text == NULL || strlen(text) >= sizeof(d->type))
			d->type[0] = '\0';
		else
			snprintf(d->type, sizeof(d->type), "%s", text);
	} else if (strcmp(parent, "service") == 0 &&
	    strcmp(name, "controlURL") == 0) {
		free(d->control);
		d->control = NULL;
		if (text != NULL && (d->control = strdup(text)) == NULL)
			d->oom = 1;
	} else if (strcmp(name, "service") == 0) {
		d->services++;
		if (wan_type(d->type) && d->control != NULL &&
		    d->control[0] != '\0' && d->nfound < UPNP_SVC_MAX) {
			memcpy(d->found[d->nfound].type, d->type,
			    sizeof(d->type));
			d->found[d->nfound++].control = d->control;
			d->control = NULL;
		}
		free(d->control);
		d->control = NULL;
		d->type[0] = '\0';
	}
}

/* rel resolved against base, if http:// on host; malloc'd or NULL. */
static char *
url_resolve(const char *base, const char *rel, const char *host)
{
	CURLU	*u;
	char	*s = NULL, *h = NULL, *out = NULL, *r = NULL;

	if ((u = curl_url()) == NULL)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_URL, rel, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &s, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK &&
	    strcasecmp(s, "http") == 0 && strcasecmp(h, host) == 0)
		r = strdup(out);
	curl_free(s);
	curl_free(h);
	curl_free(out);
	curl_url_cleanup(u);
	return r;
}

/* The host of an absolute http:// URL; malloc'd (curl_free) or NULL. */
static char *
url_host(const char *url)
{
	CURLU	*u;
	char	*s = NULL, *h = NULL;

	if ((u = curl_url()) == NULL)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &s, 0) != CURLUE_OK ||
	    strcasecmp(s, "http") != 0 ||
	    curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK)
		h = NULL;
	curl_free(s);
	curl_url_cleanup(u);
	return h;
}

/* The WAN connection services of an IGD description: see router.h. */
int
upnp_services(const char *doc, size_t len, const char *url,
    struct upnp_svc svc[UPNP_SVC_MAX], size_t *n, char **why)
{
	struct desc	 d;
	const char	*w;
	char		*host = NULL, *ctl;
	size_t		 i;
	int		 rc = -1;

	memset(&d, 0, sizeof(d));
	*n = 0;
	*why = NULL;
	if (xml_parse(doc, len, desc_end, &d, &w) == -1) {
		*why = xasprintf("unreadable description: %s", w);
		goto out;
	}
	if (d.oom) {
		*why = xasprintf("out of memory");
		goto out;
	}
	if (d.nfound == 0) {
		*why = xasprintf("no WANIPConnection or WANPPPConnection "
		    "service in the description (%d other services): not an "
		    "Internet gateway", d.services);
		goto out;
	}
	if ((host = url_host(url)) == NULL) {
		*why = xasprintf("not an http:// URL");
		goto out;
	}
	for (i = 0; i < d.nfound; i++) {
		ctl = url_resolve(d.base != NULL ? d.base : url,
		    d.found[i].control, host);
		if (ctl == NULL)
			continue;
		memcpy(svc[*n].type, d.found[i].type, sizeof(svc[*n].type));
		svc[(*n)++].control = ctl;
	}
	if (*n == 0) {
		*why = xasprintf("the control URL of every WAN connection "
		    "service is malformed or leaves %s", host);
		goto out;
	}
	rc = 0;
out:
	for (i = 0; i < d.nfound; i++)
		free(d.found[i].control);
	free(d.control);
	free(d.base);
	curl_free(host);
	return rc;
}

/* The SOAP request body for GetExternalIPAddress; malloc'd. */
char *
upnp_soap_body(const char *type)
{
	return xasprintf("<?xml version=\"1.0\"?>\r\n"
	    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\""
	    " s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
	    "<s:Body><u:GetExternalIPAddress xmlns:u=\"%s\">"
	    "</u:GetExternalIPAddress></s:Body></s:Envelope>\r\n", type);
}

/* What the SOAP callback gathers. */
struct soap {
	int	 envelope;		/* the root is an Envelope */
	int	 have_ip;
	char	 ip[64];		/* NewExternalIPAddress */
	int	 bad_ip;		/* ... too long */
	int	 fault;
	char	 code[16];
	char	 desc[XML_TEXT];
};

/* SOAP end-tag callback. */
static void
soap_end(struct xml *x, const char *name, const char *text)
{
	struct soap	*s = x->arg;
	const char	*parent = xml_up(x, 1);

	if (x->depth == 1 && strcmp(name, "Envelope") == 0)
		s->envelope = 1;
	else if (strcmp(name, "NewExternalIPAddress") == 0 &&
	    strcmp(parent, "GetExternalIPAddressResponse") == 0 &&
	    strcmp(xml_up(x, 2), "Body") == 0 && !s->have_ip) {
		s->have_ip = 1;
		if (text == NULL || strlen(text) >= sizeof(s->ip))
			s->bad_ip = 1;
		else
			snprintf(s->ip, sizeof(s->ip), "%s", text);
	} else if (strcmp(name, "Fault") == 0 &&
	    strcmp(parent, "Body") == 0)
		s->fault = 1;
	else if (strcmp(parent, "UPnPError") == 0 && text != NULL) {
		if (strcmp(name, "errorCode") == 0)
			snprintf(s->code, sizeof(s->code), "%s", text);
		else if (strcmp(name, "errorDescription") == 0)
			snprintf(s->desc, sizeof(s->desc), "%s", text);
	}
}

/* The address in a GetExternalIPAddress reply: see router.h. */
int
upnp_soap_parse(const char *doc, size_t len, struct addr *wan, char **why)
{
	struct soap	 s;
	const char	*w;
	char		*a, *b;

	memset(&s, 0, sizeof(s));
	*why = NULL;
	if (xml_parse(doc, len, soap_end, &s, &w) == -1) {
		*why = xasprintf("unreadable SOAP reply: %s", w);
		return -1;
	}
	if (!s.envelope) {
		*why = xasprintf("the reply is not a SOAP envelope");
		return -1;
	}
	if (s.fault) {
		a = shown(s.code, strlen(s.code));
		b = shown(s.desc, strlen(s.desc));
		*why = xasprintf("the router answered with a fault: UPnP "
		    "error %s%s%s", a != NULL && a[0] != '\0' ? a : "(none)",
		    b != NULL && b[0] != '\0' ? ", " : "", b != NULL ? b : "");
		free(a);
		free(b);
		return -1;
	}
	if (!s.have_ip) {
		*why = xasprintf("no NewExternalIPAddress in the reply");
		return -1;
	}
	if (!s.bad_ip && s.ip[0] == '\0') {
		*why = xasprintf("the router reports no WAN address (an empty "
		    "NewExternalIPAddress): its WAN link is down, or its WAN "
		    "address is private or CGNAT (miniupnpd hides those)");
		return -1;
	}
	if (s.bad_ip || addr_parse(s.ip, FAM_V4, wan) == -1) {
		a = shown(s.ip, s.bad_ip ? 0 : strlen(s.ip));
		*why = xasprintf("NewExternalIPAddress \"%s\" is not an IPv4 "
		    "address", a != NULL ? a : "");
		free(a);
		return -1;
	}
	return 0;
}

/* ---- the default gateway -------------------------------------------- */

/* The lowest-metric default gateway in /proc/net/route's text. */
int
route_gateway(const char *text, struct addr *gw)
{
	const char	*p, *eol;
	char		 line[256], ifn[64], buf[INET_ADDRSTRLEN];
	unsigned long	 dst, via, flags, mask, metric, best = (unsigned long)-1;
	unsigned long	 refcnt, use;
	unsigned char	 b[4];
	size_t		 n;
	int		 found = 0;

	for (p = text; *p != '\0'; p = *eol != '\0' ? eol + 1 : eol) {
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		n = (size_t)(eol - p);
		if (n >= sizeof(line))
			continue;
		memcpy(line, p, n);
		line[n] = '\0';
		if (sscanf(line, "%63s %lx %lx %lx %lu %lu %lu %lx", ifn, &dst,
		    &via, &flags, &refcnt, &use, &metric, &mask) != 8)
			continue;
		/* RTF_UP 0x1 and RTF_GATEWAY 0x2; a default route. */
		if (dst != 0 || mask != 0 || (flags & 0x3) != 0x3 || via == 0 ||
		    via > 0xffffffffUL)
			continue;
		if (found && metric >= best)
			continue;
		/* The kernel prints the address's bytes as one host-order
		 * word: read them back the same way. */
		{
			unsigned int	 w = (unsigned int)via;

			memcpy(b, &w, 4);
		}
		snprintf(buf, sizeof(buf), "%u.%u.%u.%u", b[0], b[1], b[2],
		    b[3]);
		if (addr_parse(buf, FAM_V4, gw) == 0) {
			found = 1;
			best = metric;
		}
	}
	return found ? 0 : -1;
}

/* The system's IPv4 default gateway into *gw: 0, or -1. */
static int
default_gateway(struct addr *gw)
{
#ifdef _WIN32
	MIB_IPFORWARDTABLE	*t = NULL;
	ULONG			 sz = 0;
	DWORD			 i, best = (DWORD)-1;
	struct in_addr		 ia;
	char			 buf[INET_ADDRSTRLEN];
	int			 rc = -1;

	if (GetIpForwardTable(NULL, &sz, FALSE) != ERROR_INSUFFICIENT_BUFFER ||
	    (t = malloc(sz)) == NULL)
		return -1;
	if (GetIpForwardTable(t, &sz, FALSE) == NO_ERROR)
		for (i = 0; i < t->dwNumEntries; i++) {
			if (t->table[i].dwForwardDest != 0 ||
			    t->table[i].dwForwardMask != 0 ||
			    t->table[i].dwForwardNextHop == 0 ||
			    t->table[i].dwForwardMetric1 >= best)
				continue;
			ia.s_addr = t->table[i].dwForwardNextHop;
			if (inet_ntop(AF_INET, &ia, buf, sizeof(buf)) != NULL &&
			    addr_parse(buf, FAM_V4, gw) == 0) {
				best = t->table[i].dwForwardMetric1;
				rc = 0;
			}
		}
	free(t);
	return rc;
#else
	FILE	*f;
	char	 buf[8192];
	size_t	 n;

	if ((f = fopen("/proc/net/route", "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return route_gateway(buf, gw);
#endif
}

/* ---- options -------------------------------------------------------- */

/* The step's options. */
struct ropts {
	int		 proto;		/* P_* mask */
	const char	*url;		/* UPnP description, or NULL */
	int		 have_gw;
	struct addr	 gw;
	unsigned int	 port;
};

/* "addr[:port]" into o; 0, or -1 with *why (malloc'd). */
static int
parse_gateway(const char *s, struct ropts *o, char **why)
{
	char		 host[INET_ADDRSTRLEN];
	const char	*colon;
	char		*end;
	unsigned long	 port = NATPMP_PORT;
	size_t		 n;

	colon = strchr(s, ':');
	n = colon != NULL ? (size_t)(colon - s) : strlen(s);
	if (colon != NULL) {
		port = strtoul(colon + 1, &end, 10);
		if (colon[1] == '\0' || *end != '\0' || port == 0 ||
		    port > 65535 || !isdigit((unsigned char)colon[1])) {
			*why = xasprintf("\"%s\": expected an IPv4 address "
			    "and an optional port 1-65535 (\"192.168.1.1\", "
			    "\"192.168.1.1:5351\")", s);
			return -1;
		}
	}
	if (n >= sizeof(host) || (memcpy(host, s, n), host[n] = '\0',
	    addr_parse(host, FAM_V4, &o->gw) == -1)) {
		*why = xasprintf("\"%s\": expected an IPv4 address and an "
		    "optional port (\"192.168.1.1\", \"192.168.1.1:5351\")", s);
		return -1;
	}
	o->have_gw = 1;
	o->port = (unsigned int)port;
	return 0;
}

/* The options of step opts into o: 0, or -1 with *key and *why. */
static int
parse_opts(json_t *opts, struct ropts *o, const char **key, char **why)
{
	const char	*k, *p;
	json_t		*v;

	memset(o, 0, sizeof(*o));
	o->proto = P_NATPMP | P_UPNP;
	o->port = NATPMP_PORT;
	*key = NULL;
	json_object_foreach(opts, k, v) {
		if (strcmp(k, "source") == 0)
			continue;
		*key = k;
		if (strcmp(k, "protocol") != 0 && strcmp(k, "url") != 0 &&
		    strcmp(k, "gateway") != 0) {
			*why = xasprintf("unknown key \"%s\" (router takes "
			    "protocol, url, gateway)", k);
			return -1;
		}
		if (!json_is_string(v)) {
			*why = xasprintf("\"%s\" must be a string", k);
			return -1;
		}
		p = json_string_value(v);
		if (strcmp(k, "protocol") == 0) {
			if (strcmp(p, "auto") == 0)
				o->proto = P_NATPMP | P_UPNP;
			else if (strcmp(p, "upnp") == 0)
				o->proto = P_UPNP;
			else if (strcmp(p, "natpmp") == 0)
				o->proto = P_NATPMP;
			else if (strcmp(p, "pcp") == 0) {
				*why = xasprintf("PCP is not supported; most "
				    "PCP routers also answer NAT-PMP: use "
				    "\"natpmp\"");
				return -1;
			} else {
				*why = xasprintf("unknown protocol \"%s\" "
				    "(auto, upnp, natpmp)", p);
				return -1;
			}
		} else if (strcmp(k, "url") == 0) {
			if (strncasecmp(p, "http://", 7) != 0 ||
			    strlen(p) >= LOC_LEN) {
				*why = xasprintf("expected the http:// URL of "
				    "the router's UPnP device description");
				return -1;
			}
			o->url = p;
		} else if (parse_gateway(p, o, why) == -1)
			return -1;
	}
	*key = NULL;
	if (o->url != NULL && !(o->proto & P_UPNP)) {
		*key = "url";
		*why = xasprintf("\"url\" is for UPnP, not NAT-PMP");
		return -1;
	}
	if (o->have_gw && !(o->proto & P_NATPMP)) {
		*key = "gateway";
		*why = xasprintf("\"gateway\" is for NAT-PMP, not UPnP (UPnP "
		    "takes \"url\")");
		return -1;
	}
	return 0;
}

/* The source's check: see struct probe_source. */
static int
router_check(json_t *opts, enum fam fam, const char **key, char **why)
{
	struct ropts	 o;

	if (fam != FAM_V4) {
		*key = NULL;
		*why = xasprintf("the router source learns IPv4 only");
		return -1;
	}
	return parse_opts(opts, &o, key, why);
}

/* ---- the run -------------------------------------------------------- */

struct rt {
	struct ropts		 o;
	long			 start, end;
	/* NAT-PMP */
	sock_t			 np;
	struct sockaddr_in	 gw;
	char			 gwtext[64];
	long			 np_next, np_gap;
	char			*np_bad;	/* last discarded packet */
	/* UPnP */
	sock_t			 ss[SSDP_IFS_MAX];
	size_t			 nss;
	long			 ss_next;
	int			 ss_sent;
	char			 tried[LOC_MAX][LOC_LEN];
	size_t			 ntried;
	/* the outcome */
	int			 have;
	struct addr		 wan;
	char			*source;	/* malloc'd */
	char			*why;		/* per protocol; malloc'd */
};

/* Seconds since r started, for messages. */
static double
elapsed(const struct rt *r)
{
	return (double)(probe_now_ms() - r->start) / 1000.0;
}

/* Milliseconds left before r's end, at least 1. */
static long
left(const struct rt *r)
{
	long	 n = r->end - probe_now_ms();

	return n > 0 ? n : 1;
}

/* Send the NAT-PMP request (again) and schedule the next one. */
static void
natpmp_send(struct rt *r)
{
	unsigned char	 req[NATPMP_REQ_LEN];
	size_t		 n;

	n = natpmp_request(req);
	if (send(r->np, (const char *)req, n, 0) < 0)
		log_debug("probe: router: NAT-PMP %s: send failed",
		    r->gwtext);
	else
		log_debug("probe: router: NAT-PMP request to %s", r->gwtext);
	r->np_next = probe_now_ms() + r->np_gap;
	r->np_gap *= 2;
}

/* Stop NAT-PMP. */
static void
natpmp_stop(struct rt *r)
{
	if (r->np != SOCK_NONE)
		sock_close(r->np);
	r->np = SOCK_NONE;
}

/* Open NAT-PMP's socket to the gateway and send the first request. */
static void
natpmp_start(struct rt *r)
{
	struct addr	 gw;

	if (r->o.have_gw)
		gw = r->o.gw;
	else if (default_gateway(&gw) == -1) {
		join(&r->why, xasprintf("NAT-PMP: no IPv4 default gateway "
		    "(set \"gateway\")"));
		return;
	}
	snprintf(r->gwtext, sizeof(r->gwtext), "%s:%u", gw.text, r->o.port);
	memset(&r->gw, 0, sizeof(r->gw));
	r->gw.sin_family = AF_INET;
	r->gw.sin_port = htons((unsigned short)r->o.port);
	memcpy(&r->gw.sin_addr, gw.bytes, 4);
	if ((r->np = udp_socket()) == SOCK_NONE) {
		join(&r->why, xasprintf("NAT-PMP %s: no socket", r->gwtext));
		return;
	}
	/* Connected, so the kernel drops datagrams from other addresses and
	 * an ICMP port unreachable ends NAT-PMP at once. */
	if (connect(r->np, (const struct sockaddr *)&r->gw,
	    sizeof(r->gw)) != 0) {
		join(&r->why, xasprintf("NAT-PMP %s: no route to the gateway",
		    r->gwtext));
		natpmp_stop(r);
		return;
	}
	r->np_gap = NATPMP_FIRST_MS;
	natpmp_send(r);
}

/* A datagram is waiting on the NAT-PMP socket: judge it. */
static void
natpmp_read(struct rt *r)
{
	unsigned char		 buf[64];
	struct sockaddr_in	 from;
	socklen_t		 fl = sizeof(from);
	struct addr		 wan;
	char			*why = NULL;
	long			 n;
	int			 err, refused;

	n = (long)recvfrom(r->np, (char *)buf, sizeof(buf), 0,
	    (struct sockaddr *)&from, &fl);
	if (n < 0) {
		/* An ICMP port unreachable, reported on the connected socket
		 * (or, under Wine, kept as its pending error): nobody listens
		 * there. */
		err = sock_errno();
		refused = err == SOCK_EREFUSED || sock_closed_port(r->np);
		if (!refused && (err == SOCK_EAGAIN || err == SOCK_EWOULDBLOCK))
			return;		/* nothing there after all */
		if (refused)
			join(&r->why, xasprintf("NAT-PMP %s: the router refused "
			    "(nothing listens on its NAT-PMP port)", r->gwtext));
		else
			join(&r->why, xasprintf("NAT-PMP %s: cannot receive "
			    "(error %d)", r->gwtext, err));
		natpmp_stop(r);
		return;
	}
	if (fl < (socklen_t)sizeof(from) || from.sin_family != AF_INET ||
	    from.sin_addr.s_addr != r->gw.sin_addr.s_addr ||
	    from.sin_port != r->gw.sin_port) {
		free(r->np_bad);
		r->np_bad = xasprintf("a packet from another address");
		return;
	}
	switch (natpmp_parse(buf, (size_t)n, &wan, &why)) {
	case 0:
		if (wan.bytes[0] == 0) {
			join(&r->why, xasprintf("NAT-PMP %s: the router has "
			    "no WAN address (%s)", r->gwtext, wan.text));
			natpmp_stop(r);
			break;
		}
		r->have = 1;
		r->wan = wan;
		r->source = xasprintf("NAT-PMP %s", r->gwtext);
		break;
	case 1:
		join(&r->why, xasprintf("NAT-PMP %s: %s", r->gwtext,
		    why != NULL ? why : "refused"));
		natpmp_stop(r);
		break;
	default:
		log_debug("probe: router: NAT-PMP %s: discarded %s", r->gwtext,
		    why != NULL ? why : "a packet");
		free(r->np_bad);
		r->np_bad = why;
		why = NULL;
		break;
	}
	free(why);
}

/* Open one SSDP socket sending out of interface address ia (network
 * order; INADDR_ANY: the default). */
static void
ssdp_open(struct rt *r, unsigned long ia)
{
	struct sockaddr_in	 sin;
	struct in_addr		 mif;
	int			 ttl = 2;
	sock_t			 s;

	if (r->nss >= SSDP_IFS_MAX || (s = udp_socket()) == SOCK_NONE)
		return;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = ia;
	mif.s_addr = ia;
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    (ia != INADDR_ANY && setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF,
	    (const char *)&mif, sizeof(mif)) != 0) ||
	    setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, (const char *)&ttl,
	    sizeof(ttl)) != 0) {
		sock_close(s);
		return;
	}
	r->ss[r->nss++] = s;
}

/* One SSDP socket per IPv4 address of an interface that is up and can
 * multicast (none found: one on the default interface). */
static void
ssdp_start(struct rt *r)
{
#ifdef _WIN32
	IP_ADAPTER_ADDRESSES		*aa = NULL, *a;
	IP_ADAPTER_UNICAST_ADDRESS	*u;
	ULONG				 sz = 16384, rc = ERROR_BUFFER_OVERFLOW;
	int				 tries;

	for (tries = 0; tries < 3 && rc == ERROR_BUFFER_OVERFLOW; tries++) {
		free(aa);
		if ((aa = malloc(sz)) == NULL)
			break;
		rc = GetAdaptersAddresses(AF_INET, GAA_FLAG_SKIP_ANYCAST |
		    GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER, NULL,
		    aa, &sz);
	}
	for (a = rc == NO_ERROR ? aa : NULL; a != NULL; a = a->Next) {
		if (a->OperStatus != IfOperStatusUp ||
		    a->IfType == IF_TYPE_SOFTWARE_LOOPBACK ||
		    (a->Flags & IP_ADAPTER_NO_MULTICAST))
			continue;
		for (u = a->FirstUnicastAddress; u != NULL; u = u->Next)
			if (u->Address.lpSockaddr->sa_family == AF_INET)
				ssdp_open(r, ((struct sockaddr_in *)(void *)
				    u->Address.lpSockaddr)->sin_addr.s_addr);
	}
	free(aa);
	if (r->nss == 0)
		ssdp_open(r, INADDR_ANY);
#else
	struct ifaddrs	*ifa, *i;

	if (getifaddrs(&ifa) == -1) {
		ssdp_open(r, INADDR_ANY);
		return;
	}
	for (i = ifa; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET ||
		    !(i->ifa_flags & IFF_UP) || !(i->ifa_flags & IFF_MULTICAST) ||
		    (i->ifa_flags & IFF_LOOPBACK))
			continue;
		ssdp_open(r, ((struct sockaddr_in *)(void *)
		    i->ifa_addr)->sin_addr.s_addr);
	}
	freeifaddrs(ifa);
#endif
	if (r->nss == 0)
		join(&r->why, xasprintf("UPnP: no IPv4 interface to search "
		    "from"));
}

/* Send every M-SEARCH on every SSDP socket. */
static void
ssdp_send(struct rt *r)
{
	struct sockaddr_in	 to;
	char			*m;
	size_t			 i, t;

	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons(SSDP_PORT);
	inet_pton(AF_INET, SSDP_ADDR, &to.sin_addr);
	for (t = 0; ssdp_targets[t] != NULL; t++) {
		if ((m = ssdp_request(ssdp_targets[t])) == NULL)
			continue;
		for (i = 0; i < r->nss; i++)
			(void)sendto(r->ss[i], m, strlen(m), 0,
			    (const struct sockaddr *)&to, sizeof(to));
		free(m);
	}
	log_debug("probe: router: SSDP search on %zu interface(s)", r->nss);
	r->ss_sent++;
	r->ss_next = probe_now_ms() + (r->ss_sent < 2 ? SSDP_RESEND_MS :
	    SSDP_LAST_MS);
}

/* Stop SSDP. */
static void
ssdp_stop(struct rt *r)
{
	size_t	 i;

	for (i = 0; i < r->nss; i++)
		sock_close(r->ss[i]);
	r->nss = 0;
}

/* Ask service svc for the WAN address: 0 (r->have), or -1 with *why. */
static int
upnp_ask(struct rt *r, const struct upnp_svc *svc, char **why)
{
	struct http_req		 req;
	struct http_resp	 resp;
	struct addr		 wan;
	const char		*hdrs[3];
	char			*body, *action;
	int			 rc = -1;

	*why = NULL;
	body = upnp_soap_body(svc->type);
	action = xasprintf("SOAPAction: \"%s#GetExternalIPAddress\"",
	    svc->type);
	if (body == NULL || action == NULL) {
		free(body);
		free(action);
		*why = xasprintf("out of memory");
		return -1;
	}
	hdrs[0] = "Content-Type: text/xml; charset=\"utf-8\"";
	hdrs[1] = action;
	hdrs[2] = NULL;
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.url = svc->control;
	req.headers = hdrs;
	req.body = body;
	req.bodylen = strlen(body);
	req.timeout_ms = left(r);
	req.direct = 1;
	rc = http_request(&req, &resp, why);
	free(body);
	free(action);
	if (rc == -1)
		return -1;
	rc = -1;
	/* A SOAP fault comes with status 500. */
	if (resp.status != 200 && resp.status != 500)
		*why = xasprintf("%s: HTTP %ld", svc->control, resp.status);
	else if (upnp_soap_parse(resp.body, resp.len, &wan, &body) == -1) {
		*why = xasprintf("%s: %s", svc->control, body != NULL ? body :
		    "out of memory");
		free(body);
	} else if (wan.bytes[0] == 0) {
		*why = xasprintf("%s: the router has no WAN address (%s): is "
		    "its WAN link up?", svc->control, wan.text);
	} else {
		r->have = 1;
		r->wan = wan;
		r->source = xasprintf("UPnP %s", svc->control);
		rc = 0;
	}
	http_resp_free(&resp);
	return rc;
}

/* Fetch the description at url and ask its WAN services in turn. */
static void
upnp_fetch(struct rt *r, const char *url)
{
	struct http_req		 req;
	struct http_resp	 resp;
	struct upnp_svc		 svc[UPNP_SVC_MAX];
	char			*why = NULL, *list = NULL;
	size_t			 n = 0, i;

	memset(&req, 0, sizeof(req));
	req.url = url;
	req.timeout_ms = left(r);
	req.direct = 1;
	log_info("probe: router: UPnP description %s", url);
	if (http_request(&req, &resp, &why) == -1) {
		join(&r->why, xasprintf("UPnP %s", why != NULL ? why :
		    "out of memory"));
		free(why);
		return;
	}
	if (resp.status != 200)
		why = xasprintf("HTTP %ld", resp.status);
	else
		(void)upnp_services(resp.body, resp.len, url, svc, &n, &why);
	http_resp_free(&resp);
	if (n == 0) {
		join(&r->why, xasprintf("UPnP %s: %s", url, why != NULL ? why :
		    "out of memory"));
		free(why);
		return;
	}
	for (i = 0; i < n; i++) {
		if (!r->have && upnp_ask(r, &svc[i], &why) == -1)
			join(&list, why);
		free(svc[i].control);
	}
	if (!r->have)
		join(&r->why, xasprintf("UPnP %s", list != NULL ? list :
		    "failed"));
	free(list);
}

/* A datagram is waiting on SSDP socket s: follow its LOCATION. */
static void
ssdp_read(struct rt *r, sock_t s)
{
	char			 buf[2048], loc[LOC_LEN], ip[INET_ADDRSTRLEN];
	struct sockaddr_in	 from;
	socklen_t		 fl = sizeof(from);
	char			*host;
	long			 n;
	size_t			 i;
	int			 same;

	n = (long)recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from,
	    &fl);
	if (n <= 0 || from.sin_family != AF_INET ||
	    ssdp_location(buf, (size_t)n, loc, sizeof(loc)) == -1)
		return;
	for (i = 0; i < r->ntried; i++)
		if (strcmp(r->tried[i], loc) == 0)
			return;
	if (r->ntried >= LOC_MAX)
		return;
	snprintf(r->tried[r->ntried++], LOC_LEN, "%s", loc);
	if (inet_ntop(AF_INET, &from.sin_addr, ip, sizeof(ip)) == NULL)
		return;
	host = url_host(loc);
	same = host != NULL && strcmp(host, ip) == 0;
	curl_free(host);
	if (!same) {
		join(&r->why, xasprintf("UPnP: %s answered with a description "
		    "on another host, not followed", ip));
		return;
	}
	upnp_fetch(r, loc);
}

/* Every IGD had its chance to answer: end SSDP, saying so. */
static void
ssdp_expire(struct rt *r)
{
	join(&r->why, r->ntried > 0 ? xasprintf("UPnP: no other IGD answered "
	    "the SSDP search in %.1f s", elapsed(r)) : xasprintf("UPnP: no "
	    "IGD answered the SSDP search in %.1f s", elapsed(r)));
	ssdp_stop(r);
}

/* 1 while some protocol may still answer. */
static int
active(const struct rt *r)
{
	return r->np != SOCK_NONE || r->nss > 0;
}

/* Ask the router; r->have or r->why when done. */
static void
ask(struct rt *r)
{
	struct pollfd	 pfd[1 + SSDP_IFS_MAX];
	size_t		 n, i;
	long		 now, wait;

	if (r->o.proto & P_NATPMP)
		natpmp_start(r);
	if ((r->o.proto & P_UPNP) && r->o.url != NULL)
		upnp_fetch(r, r->o.url);
	else if (r->o.proto & P_UPNP) {
		ssdp_start(r);
		if (r->nss > 0)
			ssdp_send(r);
	}
	while (!r->have && active(r)) {
		now = probe_now_ms();
		if (now >= r->end)
			break;
		if (r->np != SOCK_NONE && now >= r->np_next)
			natpmp_send(r);
		if (r->nss > 0 && now >= r->ss_next && r->ss_sent < 2)
			ssdp_send(r);
		else if (r->nss > 0 && now >= r->ss_next)
			ssdp_expire(r);
		if (!active(r))
			break;
		wait = r->end - now;
		if (r->np != SOCK_NONE && r->np_next - now < wait)
			wait = r->np_next - now;
		if (r->nss > 0 && r->ss_next - now < wait)
			wait = r->ss_next - now;
		n = 0;
		if (r->np != SOCK_NONE) {
			pfd[n].fd = r->np;
			pfd[n].events = POLLIN;
			pfd[n++].revents = 0;
		}
		for (i = 0; i < r->nss; i++) {
			pfd[n].fd = r->ss[i];
			pfd[n].events = POLLIN;
			pfd[n++].revents = 0;
		}
		if (sock_poll(pfd, n, (int)(wait > 0 ? wait : 0)) <= 0)
			continue;
		n = 0;
		if (r->np != SOCK_NONE &&
		    (pfd[n++].revents & (POLLIN | POLLERR)))
			natpmp_read(r);
		for (i = 0; i < r->nss && !r->have; i++)
			if (pfd[n + i].revents & (POLLIN | POLLERR))
				ssdp_read(r, r->ss[i]);
	}
	if (!r->have && r->np != SOCK_NONE)
		join(&r->why, r->np_bad != NULL ? xasprintf("NAT-PMP %s: no "
		    "valid reply in %.1f s (discarded %s)", r->gwtext,
		    elapsed(r), r->np_bad) : xasprintf("NAT-PMP %s: no reply "
		    "in %.1f s", r->gwtext, elapsed(r)));
	if (!r->have && r->nss > 0)
		ssdp_expire(r);
	natpmp_stop(r);
	ssdp_stop(r);
	free(r->np_bad);
	r->np_bad = NULL;
}

/* The source's run: see struct probe_source. */
static int
router_run(const struct probe_step *const step[FAM_MAX],
    const struct probe_conf *conf, struct probe_result res[FAM_MAX],
    long deadline)
{
	struct rt	 r;
	const char	*key;
	char		*why = NULL, *label;
	long		 timeout;

	if (step[FAM_V6] != NULL)
		res[FAM_V6].why = xasprintf("%s: the router source learns "
		    "IPv4 only", step[FAM_V6]->label);
	if (step[FAM_V4] == NULL)
		return -1;
	memset(&r, 0, sizeof(r));
	r.np = SOCK_NONE;
	if (parse_opts(step[FAM_V4]->opts, &r.o, &key, &why) == -1) {
		res[FAM_V4].why = xasprintf("%s: %s", step[FAM_V4]->label,
		    why != NULL ? why : "out of memory");
		free(why);
		return -1;
	}
	r.start = probe_now_ms();
	timeout = conf->timeout_ms > 0 ? conf->timeout_ms : DEFAULT_TIMEOUT_MS;
	r.end = r.start + timeout < deadline ? r.start + timeout : deadline;
	ask(&r);
	res[FAM_V4].ms = probe_now_ms() - r.start;
	if (!r.have) {
		res[FAM_V4].why = xasprintf("%s: %s", step[FAM_V4]->label,
		    r.why != NULL ? r.why : "no answer");
		free(r.why);
		return -1;
	}
	free(r.why);
	log_info("probe: router: %s says the WAN address is %s",
	    r.source != NULL ? r.source : "the router", r.wan.text);
	res[FAM_V4].wan_set = 1;
	res[FAM_V4].wan = r.wan;
	label = xasprintf("%s: %s", step[FAM_V4]->label, r.source != NULL ?
	    r.source : "the router");
	if (probe_accept(conf, &r.wan, label != NULL ? label : "router",
	    &res[FAM_V4].why) == -1) {
		free(label);
		free(r.source);
		return -1;
	}
	free(label);
	res[FAM_V4].ok = 1;
	res[FAM_V4].addr = r.wan;
	res[FAM_V4].agree = 1;
	res[FAM_V4].source = r.source;
	return step[FAM_V6] != NULL ? -1 : 0;
}

/* ---- the CGNAT check ------------------------------------------------ */

#define CGNAT_SENTENCE	"this network is behind carrier-grade NAT: " \
			"inbound connections cannot reach it; ask the ISP " \
			"for a public IPv4 or use IPv6"
#define DOUBLE_SENTENCE	"another router in front of this one: forward " \
			"ports on both, or put the first in bridge mode"

/* The CGNAT check: see probe.h. */
void
probe_nat_check(struct probe_result *r)
{
	const char	*range;

	free(r->nat_why);
	r->nat_why = NULL;
	r->nat = NAT_UNKNOWN;
	if (!r->wan_set || r->wan.fam != FAM_V4)
		return;
	range = addr_range(&r->wan);
	if (range != NULL && strcmp(range, "cgnat") == 0) {
		r->nat = NAT_CGNAT;
		r->nat_why = r->ok && !addr_equal(&r->wan, &r->addr) ?
		    xasprintf(CGNAT_SENTENCE " (the router's WAN address %s "
		    "is in 100.64.0.0/10, the ISP's shared NAT range; seen "
		    "from outside: %s)", r->wan.text, r->addr.text) :
		    xasprintf(CGNAT_SENTENCE " (the router's WAN address %s "
		    "is in 100.64.0.0/10, the ISP's shared NAT range)",
		    r->wan.text);
	} else if (range != NULL && strcmp(range, "private") == 0) {
		r->nat = NAT_DOUBLE;
		r->nat_why = r->ok ? xasprintf("double NAT: " DOUBLE_SENTENCE
		    " (this router's WAN address %s is a private address; "
		    "seen from outside: %s)", r->wan.text, r->addr.text) :
		    xasprintf("double NAT: " DOUBLE_SENTENCE " (this router's "
		    "WAN address %s is a private address)", r->wan.text);
	} else if (range != NULL && (strcmp(range, "this-network") == 0 ||
	    strcmp(range, "loopback") == 0 ||
	    strcmp(range, "link-local") == 0 ||
	    strcmp(range, "multicast") == 0 ||
	    strcmp(range, "broadcast") == 0)) {
		/* Not a WAN address at all: nothing to conclude. */
		return;
	} else if (r->ok && !addr_equal(&r->wan, &r->addr)) {
		r->nat = NAT_CGNAT;
		r->nat_why = xasprintf(CGNAT_SENTENCE " (the router's WAN "
		    "address %s is not %s, the address seen from outside: "
		    "the ISP's NAT is in between, or the traffic leaves by "
		    "another WAN link than this router's)", r->wan.text,
		    r->addr.text);
	} else if (r->ok || range == NULL)
		r->nat = NAT_NONE;
}
