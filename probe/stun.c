/*
 * Address source "stun": a STUN Binding request over UDP (RFC 8489,
 * https://www.rfc-editor.org/rfc/rfc8489) to a list of servers at once;
 * the first valid XOR-MAPPED-ADDRESS wins (or quorum agreeing ones).
 *
 * Checks, as far as the RFC allows without credentials: the two leading
 * zero bits, the magic cookie and our 96-bit random transaction id (else
 * the datagram is not ours and is ignored: a late or forged reply), the
 * message length against the datagram, every attribute's length against
 * the message, a Binding success (0x0101) or error (0x0111) response,
 * FINGERPRINT (CRC-32 xor 0x5354554e) when present, which must then be
 * the last attribute. Unknown comprehension-optional attributes
 * (0x8000-0xffff) are skipped; an unknown comprehension-required one
 * fails the response, as section 6.3.3 says. An error response is
 * reported with its code and reason.
 *
 * Quirks handled: servers of the RFC 3489 era answer with MAPPED-ADDRESS
 * only (used when there is no XOR-MAPPED-ADDRESS) and add SOURCE-ADDRESS
 * and CHANGED-ADDRESS, comprehension-required but known; some still use
 * the pre-RFC 5389 code 0x8020 for XOR-MAPPED-ADDRESS. Retransmission
 * follows section 6.2.1 (RTO 500 ms, doubling, Rc 7, the last wait Rm 16
 * RTOs) cut to the timeout and the probe's deadline. Server names are
 * looked up with the system resolver for the entry's family, before the
 * requests go out.
 */
#include <stdlib.h>
#include <string.h>

#include "udp.h"

#define STUN_PORT		3478
#define DEFAULT_TIMEOUT_MS	5000
#define MAX_SERVERS		16
#define FP_XOR			0x5354554eu

#define T_BINDING_REQ		0x0001
#define T_BINDING_OK		0x0101
#define T_BINDING_ERR		0x0111

#define A_MAPPED		0x0001
#define A_ERROR_CODE		0x0009
#define A_XOR_MAPPED		0x0020
#define A_XOR_MAPPED_OLD	0x8020
#define A_FINGERPRINT		0x8028

/* Built-in servers, asked all at once. */
static const char *const default_servers[] = {
	"stun.l.google.com:19302",
	"stun1.l.google.com:19302",
	"stun.cloudflare.com:3478",
	"global.stun.twilio.com:3478",
	NULL
};

/* Comprehension-required attributes we know (and mostly skip). */
static const uint16_t known_required[] = {
	0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0008, 0x0009,
	0x000a, 0x000b, 0x0014, 0x0015, 0x001c, 0x001d, 0x001e, 0x0020
};

static int	 stun_check(json_t *, enum fam, const char **, char **);
static int	 stun_run(const struct probe_step *const [FAM_MAX],
		    const struct probe_conf *, struct probe_result [FAM_MAX],
		    long);
static enum udp_verdict stun_judge(struct udp_ep *, const unsigned char *,
		    size_t, struct addr *, char **);

const struct probe_source probe_stun = {
	.name = "stun",
	.shorthand = "server",
	.check = stun_check,
	.run = stun_run,
};

static const struct udp_proto proto_stun = {
	.name = "stun",
	.rto_ms = 500,
	.backoff = 1,
	.sends = 7,
	.judge = stun_judge,
};

/* The 16-bit value at p. */
static uint16_t
rd16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The 32-bit value at p. */
static uint32_t
rd32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* CRC-32 as FINGERPRINT uses it (reflected, polynomial 0xedb88320). */
uint32_t
stun_crc32(const unsigned char *p, size_t n)
{
	uint32_t	 c = 0xffffffffu;
	size_t		 i;
	int		 k;

	for (i = 0; i < n; i++) {
		c ^= p[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return c ^ 0xffffffffu;
}

/* A Binding request, no attributes; its length. */
size_t
stun_request(const unsigned char txid[12], unsigned char *buf)
{
	buf[0] = T_BINDING_REQ >> 8;
	buf[1] = T_BINDING_REQ & 0xff;
	buf[2] = buf[3] = 0;
	buf[4] = STUN_COOKIE >> 24;
	buf[5] = (STUN_COOKIE >> 16) & 0xff;
	buf[6] = (STUN_COOKIE >> 8) & 0xff;
	buf[7] = STUN_COOKIE & 0xff;
	memcpy(buf + 8, txid, 12);
	return STUN_HDRLEN;
}

/*
 * A (XOR-)MAPPED-ADDRESS value v (len) into *a and *port, un-xored with
 * the cookie and transaction id of header h when xor is set; 0 or -1.
 */
static int
map_addr(const unsigned char *h, const unsigned char *v, size_t len, int xor,
    struct addr *a, unsigned int *port)
{
	unsigned char	 b[16];
	char		 text[48];
	size_t		 n, i;

	if (len < 4 || v[0] != 0)
		return -1;
	if (v[1] == 1 && len == 8)
		n = 4;
	else if (v[1] == 2 && len == 20)
		n = 16;
	else
		return -1;
	*port = rd16(v + 2) ^ (xor ? STUN_COOKIE >> 16 : 0);
	for (i = 0; i < n; i++)
		b[i] = v[4 + i] ^ (xor ? h[4 + i] : 0);	/* cookie, txid */
	if (n == 4)
		snprintf(text, sizeof(text), "%u.%u.%u.%u", b[0], b[1], b[2],
		    b[3]);
	else
		snprintf(text, sizeof(text), "%x:%x:%x:%x:%x:%x:%x:%x",
		    rd16(b), rd16(b + 2), rd16(b + 4), rd16(b + 6), rd16(b + 8),
		    rd16(b + 10), rd16(b + 12), rd16(b + 14));
	return addr_parse(text, n == 4 ? FAM_V4 : FAM_V6, a);
}

/* 1 if type t is a comprehension-required attribute we know. */
static int
known(uint16_t t)
{
	size_t	 i;

	for (i = 0; i < sizeof(known_required) / sizeof(known_required[0]);
	    i++)
		if (known_required[i] == t)
			return 1;
	return 0;
}

/* See udp.h. */
enum udp_verdict
stun_parse(const unsigned char txid[12], enum fam fam, const unsigned char *p,
    size_t len, struct addr *a, unsigned int *port, char **why)
{
	struct addr	 xa, ma;
	const unsigned char *v;
	unsigned int	 xport = 0, mport = 0, code;
	size_t		 off, alen, mlen;
	uint16_t	 type, at;
	int		 have_x = 0, have_m = 0, fp = 0;
	char		 reason[129];

	*why = NULL;
	if (len < STUN_HDRLEN || (p[0] & 0xc0) != 0) {
		*why = xasprintf("not a STUN message");
		return UDP_IGNORE;
	}
	if (rd32(p + 4) != STUN_COOKIE || memcmp(p + 8, txid, 12) != 0) {
		*why = xasprintf("another transaction");
		return UDP_IGNORE;
	}
	type = rd16(p);
	if (type != T_BINDING_OK && type != T_BINDING_ERR) {
		*why = xasprintf("not a Binding response (type 0x%04x)", type);
		return UDP_IGNORE;
	}
	mlen = rd16(p + 2);
	if (mlen % 4 != 0 || mlen != len - STUN_HDRLEN) {
		*why = xasprintf("malformed response: its length field says "
		    "%zu bytes, the datagram holds %zu", mlen,
		    len - STUN_HDRLEN);
		return UDP_FAIL;
	}
	for (off = STUN_HDRLEN; off < len; off += 4 + ((alen + 3) & ~3u)) {
		if (fp) {
			*why = xasprintf("malformed response: attributes "
			    "after FINGERPRINT");
			return UDP_FAIL;
		}
		if (len - off < 4) {
			*why = xasprintf("malformed response: attribute "
			    "header cut short");
			return UDP_FAIL;
		}
		at = rd16(p + off);
		alen = rd16(p + off + 2);
		v = p + off + 4;
		if (((alen + 3) & ~3u) > len - off - 4) {
			*why = xasprintf("malformed response: attribute "
			    "0x%04x runs past the end", at);
			return UDP_FAIL;
		}
		switch (at) {
		case A_FINGERPRINT:
			if (alen != 4 || rd32(v) != (stun_crc32(p, off) ^
			    FP_XOR)) {
				*why = xasprintf("FINGERPRINT does not match "
				    "the message");
				return UDP_FAIL;
			}
			fp = 1;
			break;
		case A_XOR_MAPPED:
		case A_XOR_MAPPED_OLD:
			if (have_x)
				break;
			if (map_addr(p, v, alen, 1, &xa, &xport) == -1) {
				*why = xasprintf("malformed "
				    "XOR-MAPPED-ADDRESS");
				return UDP_FAIL;
			}
			have_x = 1;
			break;
		case A_MAPPED:
			if (have_m)
				break;
			if (map_addr(p, v, alen, 0, &ma, &mport) == -1) {
				*why = xasprintf("malformed MAPPED-ADDRESS");
				return UDP_FAIL;
			}
			have_m = 1;
			break;
		case A_ERROR_CODE:
			if (type != T_BINDING_ERR)
				break;
			if (alen < 4) {
				*why = xasprintf("malformed ERROR-CODE");
				return UDP_FAIL;
			}
			code = (v[2] & 0x7) * 100 + v[3] % 100;
			snprintf(reason, sizeof(reason), "%.*s",
			    (int)(alen - 4 > 128 ? 128 : alen - 4), v + 4);
			*why = xasprintf("error response %u%s%s", code,
			    reason[0] ? ": " : "", reason);
			return UDP_FAIL;
		default:
			if (at < 0x8000 && !known(at)) {
				*why = xasprintf("unknown comprehension-"
				    "required attribute 0x%04x", at);
				return UDP_FAIL;
			}
			break;
		}
	}
	if (type == T_BINDING_ERR) {
		*why = xasprintf("error response without ERROR-CODE");
		return UDP_FAIL;
	}
	if (!have_x && !have_m) {
		*why = xasprintf("no XOR-MAPPED-ADDRESS or MAPPED-ADDRESS in "
		    "the response");
		return UDP_FAIL;
	}
	*a = have_x ? xa : ma;
	*port = have_x ? xport : mport;
	if (a->fam != fam) {
		*why = xasprintf("the server saw an %s address, not an %s one",
		    fam_name(a->fam), fam_name(fam));
		return UDP_FAIL;
	}
	return UDP_ANSWER;
}

/* The engine's judge: the pure parser, with ep's transaction id. */
static enum udp_verdict
stun_judge(struct udp_ep *ep, const unsigned char *p, size_t len,
    struct addr *a, char **why)
{
	enum udp_verdict	 v;
	unsigned int		 port = 0;

	v = stun_parse(ep->txid, ep->fam, p, len, a, &port, why);
	if (v == UDP_ANSWER)
		log_debug("probe: stun %s: mapped %s port %u", ep->name,
		    a->text, port);
	return v;
}

/*
 * The servers of an entry (its "server" or "servers", else the built-in
 * list), NULL-ended into out (MAX_SERVERS + 1); 0, or -1 with *key and
 * *why (malloc'd).
 */
static int
servers(json_t *opts, const char **out, long *timeout, const char **key,
    char **why)
{
	json_t		*v, *s1, *sl;
	const char	*k;
	size_t		 i, n = 0;
	double		 d;

	*key = NULL;
	json_object_foreach(opts, k, v) {
		if (strcmp(k, "source") != 0 && strcmp(k, "server") != 0 &&
		    strcmp(k, "servers") != 0 && strcmp(k, "timeout") != 0) {
			*why = xasprintf("unknown key \"%s\" (stun takes: "
			    "server, servers, timeout)", k);
			return -1;
		}
	}
	if ((v = json_object_get(opts, "timeout")) != NULL) {
		*key = "timeout";
		d = json_is_number(v) ? json_number_value(v) : -1;
		if (d <= 0 || d > 3600) {
			*why = xasprintf("timeout: expected seconds "
			    "(0 < t <= 3600)");
			return -1;
		}
		*timeout = (long)(d * 1000);
	}
	s1 = json_object_get(opts, "server");
	sl = json_object_get(opts, "servers");
	if (s1 != NULL && sl != NULL) {
		*key = "servers";
		*why = xasprintf("give \"server\" or \"servers\", not both");
		return -1;
	}
	if (s1 != NULL) {
		*key = "server";
		if (!json_is_string(s1)) {
			*why = xasprintf("server: expected \"host[:port]\"");
			return -1;
		}
		out[n++] = json_string_value(s1);
	} else if (sl != NULL) {
		*key = "servers";
		if (!json_is_array(sl) || json_array_size(sl) == 0 ||
		    json_array_size(sl) > MAX_SERVERS) {
			*why = xasprintf("servers: expected a list of 1 to %d "
			    "\"host[:port]\" strings", MAX_SERVERS);
			return -1;
		}
		json_array_foreach(sl, i, v) {
			if (!json_is_string(v)) {
				*why = xasprintf("servers: expected strings");
				return -1;
			}
			out[n++] = json_string_value(v);
		}
	} else
		for (i = 0; default_servers[i] != NULL; i++)
			out[n++] = default_servers[i];
	out[n] = NULL;
	return 0;
}

/* Load-time check of a stun entry; see struct probe_source. */
static int
stun_check(json_t *opts, enum fam fam, const char **key, char **why)
{
	const char	*list[MAX_SERVERS + 1];
	long		 t = 0;
	size_t		 i;
	char		*w;

	if (servers(opts, list, &t, key, why) == -1)
		return -1;
	for (i = 0; list[i] != NULL; i++)
		if (udp_server_syntax(list[i], fam, &w) == -1) {
			*why = xasprintf("%s: %s", json_object_get(opts,
			    "servers") ? "servers" : "server", w);
			free(w);
			return -1;
		}
	*key = NULL;
	return 0;
}

/* The source's run: see struct probe_source. */
static int
stun_run(const struct probe_step *const step[FAM_MAX],
    const struct probe_conf *conf, struct probe_result res[FAM_MAX],
    long deadline)
{
	const char	*list[MAX_SERVERS + 1], *key;
	struct udp_ep	*eps;
	size_t		 n = 0, i;
	long		 timeout = 0, t;
	char		*why;
	int		 want[FAM_MAX], f, rc;

	eps = calloc(FAM_MAX * MAX_SERVERS, sizeof(*eps));
	for (f = 0; f < FAM_MAX; f++) {
		want[f] = step[f] != NULL;
		if (!want[f])
			continue;
		t = 0;
		if (eps == NULL || servers(step[f]->opts, list, &t, &key,
		    &why) == -1) {
			res[f].why = xasprintf("%s: %s", step[f]->label,
			    eps == NULL ? "out of memory" : why);
			if (eps != NULL)
				free(why);
			want[f] = 0;
			continue;
		}
		if (t > timeout)
			timeout = t;
		for (i = 0; list[i] != NULL; i++, n++) {
			struct udp_ep *ep = &eps[n];

			if (udp_server(list[i], f, STUN_PORT, 1, ep,
			    &ep->why) == -1) {
				/* say which server, in the usual form */
				ep->fam = f;
				snprintf(ep->name, sizeof(ep->name), "%s",
				    list[i]);
				continue;
			}
			if (udp_random(ep->txid, sizeof(ep->txid)) == -1) {
				ep->why = xasprintf("no random bytes for the "
				    "transaction id");
				continue;
			}
			ep->reqlen = stun_request(ep->txid, ep->req);
		}
	}
	if (eps == NULL)
		return -1;
	if (timeout == 0)
		timeout = conf->timeout_ms > 0 ? conf->timeout_ms :
		    DEFAULT_TIMEOUT_MS;
	rc = want[FAM_V4] || want[FAM_V6] ? udp_run(eps, n, &proto_stun,
	    conf, want, timeout, deadline, res) : -1;
	free(eps);
	return rc;
}
