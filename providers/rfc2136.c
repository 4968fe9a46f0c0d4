/*
 * rfc2136: DNS dynamic UPDATE (RFC 2136) signed with TSIG (RFC 8945), as
 * "nsupdate -y" does, to any server that takes updates (BIND 9, Knot,
 * PowerDNS, Windows DNS with a TSIG-capable setup...).
 * https://www.rfc-editor.org/rfc/rfc2136
 * https://www.rfc-editor.org/rfc/rfc8945
 *
 * How a push goes:
 * - A query for the name's RRset of the type, signed with the key (so a
 *   server that answers only keyed clients answers us too, and a wrong
 *   key shows before anything is written). When the answer is signed and
 *   holds exactly the address (and the configured TTL, if one is), the
 *   record is current: no UPDATE is sent. Any other answer (REFUSED,
 *   SERVFAIL, truncated, unsigned) only means "cannot tell": the UPDATE
 *   goes out and its answer decides.
 * - One UPDATE without prerequisites: delete the name's RRset of the type
 *   and add the new RR, in one message, so the server applies both or
 *   neither (RFC 2136 3.4.2). The TTL is the configured one, else the
 *   one the record had, else 300.
 * - Every reply must come from the server's address and port (connected
 *   socket), carry our id, and for success a TSIG that verifies: the MAC
 *   over our request's MAC, the reply and the TSIG variables (RFC 8945
 *   5.3), the key name and algorithm we used, signed within the fudge
 *   (300 s) of our clock. Truncated MACs are refused. Error replies the
 *   server could not sign (BADSIG, BADKEY) are believed: they can only
 *   make us fail.
 * - The zone: the configured one, else found with provider_find_zone():
 *   a signed SOA query for the name, then for each parent of two labels
 *   or more; the first that the server answers authoritatively, signed,
 *   with its SOA in the answer section is the zone (REFUSED, NXDOMAIN, no
 *   SOA: not this one). Answers are cached for the run.
 * - UDP only: an UPDATE of one A or AAAA RR is far below 512 octets, so
 *   no TCP fallback.
 * - Retransmission: once, after 1 s; 4 s per exchange at most.
 *
 * Facts confirmed from the RFCs: message layouts, TSIG variables, error
 * codes (BADSIG 16, BADKEY 17, BADTIME 18, BADTRUNC 22), NOTAUTH for TSIG
 * failures. The signing was checked against dnspython (unit test) and
 * against Knot (integration tests); BIND 9 was not run here.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "providers.h"
#include "rfc2136.h"
#include "../dnswire.h"
#include "../probe/udp.h"

#define R2136_PORT	53
#define R2136_TTL	300		/* for a new record, none configured */
#define R2136_RTO	1000		/* ms before the first resend */
#define R2136_SENDS	2
#define R2136_WAIT	4000		/* ms per exchange */
#define R2136_BUF	2048
#define R2136_HAVE	16		/* addresses compared at most */

static const struct provider_key keys[] = {
	{ "key_algorithm",	0 },
	{ "key_name",		KEY_REQUIRED },
	{ "key_secret",		KEY_REQUIRED | KEY_SECRET },
	{ "server",		KEY_REQUIRED },
	{ NULL,			0 }
};

/* The TSIG algorithms we sign with (RFC 8945 section 6). */
static const struct {
	const char	*name;
	const EVP_MD	*(*md)(void);
} algs[] = {
	{ "hmac-sha1",		EVP_sha1 },
	{ "hmac-sha256",	EVP_sha256 },
	{ "hmac-sha512",	EVP_sha512 },
};

/* Write v big-endian in n octets at p. */
static void
wr(unsigned char *p, uint64_t v, int n)
{
	while (n-- > 0) {
		p[n] = v & 0xff;
		v >>= 8;
	}
}

/* The n-octet big-endian value at p. */
static uint64_t
rd(const unsigned char *p, int n)
{
	uint64_t	 v = 0;

	while (n-- > 0)
		v = v << 8 | *p++;
	return v;
}

/* Decode base64 s strictly (padding required, no spaces) into out (cap);
 * 0 and *n, or -1. */
static int
b64dec(const char *s, unsigned char *out, size_t cap, size_t *n)
{
	unsigned char	 tmp[R2136_KEYMAX + 3];
	size_t		 len = strlen(s), pad = 0, i;
	int		 r;

	if (len == 0 || len % 4 != 0 || len / 4 * 3 > sizeof(tmp))
		return -1;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '+' &&
		    s[i] != '/' && !(s[i] == '=' && i >= len - 2))
			return -1;
	if (s[len - 2] == '=' && s[len - 1] != '=')
		return -1;
	if (s[len - 1] == '=')
		pad = s[len - 2] == '=' ? 2 : 1;
	if ((r = EVP_DecodeBlock(tmp, (const unsigned char *)s,
	    (int)len)) < 0 || (size_t)r < pad || (size_t)r - pad > cap)
		return -1;
	*n = (size_t)r - pad;
	memcpy(out, tmp, *n);
	OPENSSL_cleanse(tmp, sizeof(tmp));
	return 0;
}

/* 1 if name is a DNS name dns_put_name takes. */
static int
name_ok(const char *name)
{
	unsigned char	 mem[DNS_MAXNAME + 1];
	struct dns_buf	 b;

	dns_buf_init(&b, mem, sizeof(mem));
	dns_put_name(&b, name);
	return b.err == NULL;
}

/* See rfc2136.h. */
int
r2136_key_init(struct r2136_key *k, const char *name, const char *alg,
    const char *secret, char **why)
{
	size_t	 i, n;

	memset(k, 0, sizeof(*k));
	*why = NULL;
	n = strlen(name);
	if (n > 1 && name[n - 1] == '.')
		n--;
	if (n == 0 || n >= sizeof(k->name)) {
		*why = xasprintf("key_name \"%s\" is not a DNS name", name);
		return -1;
	}
	for (i = 0; i < n; i++)
		k->name[i] = (char)tolower((unsigned char)name[i]);
	k->name[n] = '\0';
	if (!name_ok(k->name) || strchr(k->name, '\\') != NULL) {
		*why = xasprintf("key_name \"%s\" is not a DNS name", name);
		return -1;
	}
	if (alg == NULL)
		alg = "hmac-sha256";
	n = strlen(alg);
	if (n > 1 && alg[n - 1] == '.')
		n--;
	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (strlen(algs[i].name) == n &&
		    strncasecmp(algs[i].name, alg, n) == 0)
			break;
	if (i == sizeof(algs) / sizeof(algs[0])) {
		*why = xasprintf("key_algorithm \"%s\" is not one of "
		    "hmac-sha256, hmac-sha512, hmac-sha1", alg);
		return -1;
	}
	k->alg = algs[i].name;
	k->md = (int)i;
	if (b64dec(secret, k->secret, sizeof(k->secret), &k->secretlen) ==
	    -1 || k->secretlen == 0) {
		*why = xasprintf("key_secret is not base64 (as in the key "
		    "file's secret \"...\"; at most %d octets)",
		    R2136_KEYMAX);
		return -1;
	}
	return 0;
}

/* See rfc2136.h. */
int
r2136_update(uint16_t id, const char *zone, const char *name,
    const struct addr *a, uint32_t ttl, unsigned char *buf, size_t cap,
    size_t *len, const char **why)
{
	struct dns_buf	 b;
	uint16_t	 type = a->fam == FAM_V4 ? DNS_T_A : DNS_T_AAAA;

	dns_buf_init(&b, buf, cap);
	dns_put_header(&b, id, DNS_OP_UPDATE << 11, 1, 0, 2, 0);
	dns_put_question(&b, zone, DNS_T_SOA, DNS_C_IN);
	dns_put_rr(&b, name, type, DNS_C_ANY, 0, NULL, 0);
	dns_put_rr(&b, name, type, DNS_C_IN, ttl, a->bytes,
	    a->fam == FAM_V4 ? 4 : 16);
	return dns_finish(&b, len, why);
}

/* See rfc2136.h. */
int
r2136_query(uint16_t id, const char *name, uint16_t type, unsigned char *buf,
    size_t cap, size_t *len, const char **why)
{
	struct dns_buf	 b;

	dns_buf_init(&b, buf, cap);
	dns_put_header(&b, id, 0, 1, 0, 0, 0);
	dns_put_question(&b, name, type, DNS_C_IN);
	return dns_finish(&b, len, why);
}

/*
 * The TSIG variables (RFC 8945 4.3.3) into out (cap): key name and
 * algorithm in canonical form, class ANY, TTL 0, time, fudge, error,
 * other data. Its length, or 0 if it does not fit.
 */
static size_t
tsig_vars(const struct r2136_key *k, int64_t t, unsigned int fudge,
    unsigned int error, const unsigned char *other, size_t olen,
    unsigned char *out, size_t cap)
{
	struct dns_buf	 b;
	unsigned char	 f[10];
	size_t		 n;
	const char	*why;

	dns_buf_init(&b, out, cap);
	dns_put_name(&b, k->name);
	wr(f, DNS_C_ANY, 2);
	wr(f + 2, 0, 4);
	if (b.err != NULL || cap - b.len < 6)
		return 0;
	memcpy(out + b.len, f, 6);
	b.len += 6;
	dns_put_name(&b, k->alg);
	if (dns_finish(&b, &n, &why) == -1 || cap - n < 12 + olen)
		return 0;
	wr(out + n, (uint64_t)t, 6);
	wr(out + n + 6, fudge, 2);
	wr(out + n + 8, error, 2);
	wr(out + n + 10, olen, 2);
	if (olen > 0)
		memcpy(out + n + 12, other, olen);
	return n + 12 + olen;
}

/* HMAC of a then b with k into mac; its length, 0 on failure. */
static size_t
tsig_mac(const struct r2136_key *k, const unsigned char *a, size_t alen,
    const unsigned char *b, size_t blen, unsigned char *mac)
{
	unsigned char	*all;
	unsigned int	 n = 0;

	if ((all = malloc(alen + blen)) == NULL)
		return 0;
	memcpy(all, a, alen);
	memcpy(all + alen, b, blen);
	if (HMAC(algs[k->md].md(), k->secret, (int)k->secretlen, all,
	    alen + blen, mac, &n) == NULL)
		n = 0;
	free(all);
	return n;
}

/* See rfc2136.h. */
int
r2136_sign(const struct r2136_key *k, unsigned char *msg, size_t *len,
    size_t cap, int64_t now, unsigned char *mac, size_t *maclen,
    const char **why)
{
	unsigned char	 vars[600], rdata[600];
	struct dns_buf	 b;
	size_t		 vl, rl;

	if (*len < DNS_HDRLEN) {
		*why = "message shorter than a DNS header";
		return -1;
	}
	if ((vl = tsig_vars(k, now, R2136_FUDGE, 0, NULL, 0, vars,
	    sizeof(vars))) == 0 ||
	    (*maclen = tsig_mac(k, msg, *len, vars, vl, mac)) == 0) {
		*why = "cannot compute the TSIG MAC";
		return -1;
	}
	/* rdata: algorithm, time, fudge, MAC size, MAC, id, error, other */
	dns_buf_init(&b, rdata, sizeof(rdata));
	dns_put_name(&b, k->alg);
	if (dns_finish(&b, &rl, why) == -1)
		return -1;
	wr(rdata + rl, (uint64_t)now, 6);
	wr(rdata + rl + 6, R2136_FUDGE, 2);
	wr(rdata + rl + 8, *maclen, 2);
	memcpy(rdata + rl + 10, mac, *maclen);
	rl += 10 + *maclen;
	memcpy(rdata + rl, msg, 2);		/* original id */
	wr(rdata + rl + 2, 0, 4);		/* error, other len */
	rl += 6;
	dns_buf_init(&b, msg, cap);
	b.len = *len;
	dns_put_rr(&b, k->name, R2136_T_TSIG, DNS_C_ANY, 0, rdata,
	    (uint16_t)rl);
	if (dns_finish(&b, len, why) == -1)
		return -1;
	wr(msg + 10, rd(msg + 10, 2) + 1, 2);
	return 0;
}

/* Set r's verdict to sig with a reason. */
static void
verdict(struct r2136_reply *r, enum r2136_sig sig, const char *what,
    const char *arg)
{
	r->sig = sig;
	snprintf(r->why, sizeof(r->why), what, arg != NULL ? arg : "");
}

/* The TSIG RR of m, the last record: 1 with *rr and its offset, 0 if
 * there is none, -1 (r says why) if the message is malformed. */
static int
find_tsig(const struct dns_msg *m, struct dns_rr *rr, size_t *start,
    struct r2136_reply *r)
{
	char		 name[DNS_NAMEBUF];
	uint16_t	 type, class;
	size_t		 off = DNS_HDRLEN, at, i, total;
	const char	*why;
	int		 found = 0;

	for (i = 0; i < m->count[0]; i++)
		if (dns_get_question(m, &off, name, &type, &class,
		    &why) == -1) {
			verdict(r, R2136_SIG_MALFORMED, "%s", why);
			return -1;
		}
	total = (size_t)m->count[1] + m->count[2] + m->count[3];
	for (i = 0; i < total; i++) {
		at = off;
		if (dns_get_rr(m, &off, rr, &why) == -1) {
			verdict(r, R2136_SIG_MALFORMED, "%s", why);
			return -1;
		}
		if (rr->type != R2136_T_TSIG)
			continue;
		if (i + 1 != total || m->count[3] == 0) {
			verdict(r, R2136_SIG_MALFORMED, "a TSIG record that "
			    "is not the last additional one%s", NULL);
			return -1;
		}
		*start = at;
		found = 1;
	}
	if (off != m->len) {
		verdict(r, R2136_SIG_MALFORMED, "octets after the last "
		    "record%s", NULL);
		return -1;
	}
	return found;
}

/* See rfc2136.h. */
void
r2136_verify(const struct r2136_key *k, const unsigned char *p, size_t len,
    const unsigned char *reqmac, size_t reqmaclen, int64_t now,
    struct r2136_reply *r)
{
	struct dns_msg		 m;
	struct dns_rr		 rr;
	char			 alg[DNS_NAMEBUF];
	unsigned char		 vars[600], mac[R2136_MACMAX], *head = NULL;
	const unsigned char	*d, *theirs, *other;
	const char		*why;
	size_t			 start = 0, off, end, maclen, olen, vl, hl, n;
	int64_t			 t;
	unsigned int		 fudge, error;

	memset(r, 0, sizeof(*r));
	if (dns_msg_init(&m, p, len, &why) == -1) {
		verdict(r, R2136_SIG_MALFORMED, "%s", why);
		return;
	}
	r->id = m.id;
	r->flags = m.flags;
	r->rcode = DNS_RCODE(m.flags);
	switch (find_tsig(&m, &rr, &start, r)) {
	case -1:
		return;
	case 0:
		r->sig = R2136_SIG_NONE;
		return;
	}
	off = rr.rdoff;
	end = rr.rdoff + rr.rdlen;
	if (rr.class != DNS_C_ANY || rr.ttl != 0 ||
	    dns_get_name(&m, &off, alg, &why) == -1 || off > end ||
	    end - off < 10) {
		verdict(r, R2136_SIG_MALFORMED, "a malformed TSIG record%s",
		    NULL);
		return;
	}
	d = p + off;
	t = (int64_t)rd(d, 6);
	fudge = (unsigned int)rd(d + 6, 2);
	maclen = (size_t)rd(d + 8, 2);
	theirs = d + 10;
	off += 10;
	if (end - off < maclen + 6 || (olen = (size_t)rd(p + off + maclen + 4,
	    2)) != end - off - maclen - 6) {
		verdict(r, R2136_SIG_MALFORMED, "a malformed TSIG record%s",
		    NULL);
		return;
	}
	error = (unsigned int)rd(p + off + maclen + 2, 2);
	other = p + off + maclen + 6;
	if (!dns_name_eq(rr.name, k->name)) {
		verdict(r, R2136_SIG_BADMAC, "signed with another key (%.100s)",
		    rr.name);
		return;
	}
	if (!dns_name_eq(alg, k->alg)) {
		verdict(r, R2136_SIG_BADMAC, "signed with another algorithm "
		    "(%.100s)", alg);
		return;
	}
	if (error != 0) {
		r->sig = R2136_SIG_ERROR;
		r->tsig_error = error;
		if (error == R2136_BADTIME && olen == 6)
			r->skew = (int64_t)rd(other, 6) - now;
		return;
	}
	/* the reply as signed: its original id, ARCOUNT less the TSIG */
	hl = 2 + reqmaclen + start;
	if ((vl = tsig_vars(k, t, fudge, error, other, olen, vars,
	    sizeof(vars))) == 0 || (head = malloc(hl)) == NULL) {
		verdict(r, R2136_SIG_MALFORMED, "a TSIG record too long%s",
		    NULL);
		return;
	}
	wr(head, reqmaclen, 2);
	memcpy(head + 2, reqmac, reqmaclen);
	memcpy(head + 2 + reqmaclen, p, start);
	memcpy(head + 2 + reqmaclen, p + off + maclen, 2);
	wr(head + 2 + reqmaclen + 10, m.count[3] - 1, 2);
	n = tsig_mac(k, head, hl, vars, vl, mac);
	free(head);
	if (n == 0 || maclen != n || CRYPTO_memcmp(mac, theirs, n) != 0) {
		verdict(r, R2136_SIG_BADMAC, "%s", maclen == 0 ? "an empty "
		    "MAC" : maclen != n ? "a truncated MAC" : "a MAC that "
		    "does not verify with our key");
		return;
	}
	if (t > now + fudge || t < now - fudge) {
		r->sig = R2136_SIG_BADTIME;
		r->skew = t - now;
		return;
	}
	r->sig = R2136_SIG_OK;
}

/* See rfc2136.h. */
int
r2136_answer(const unsigned char *p, size_t len, const char *name,
    uint16_t type, struct addr *have, size_t max, size_t *n, uint32_t *ttl,
    const char **why)
{
	struct dns_msg	 m;
	struct dns_rr	 rr;
	char		 qname[DNS_NAMEBUF];
	uint16_t	 qtype, qclass;
	size_t		 off = DNS_HDRLEN, i;

	*n = 0;
	*ttl = 0;
	if (dns_msg_init(&m, p, len, why) == -1)
		return -1;
	for (i = 0; i < m.count[0]; i++)
		if (dns_get_question(&m, &off, qname, &qtype, &qclass,
		    why) == -1)
			return -1;
	for (i = 0; i < m.count[1]; i++) {
		if (dns_get_rr(&m, &off, &rr, why) == -1)
			return -1;
		if (rr.type != type || rr.class != DNS_C_IN ||
		    !dns_name_eq(rr.name, name))
			continue;
		if (*n == max)
			continue;
		if (dns_rr_addr(&m, &rr, &have[*n]) == -1) {
			*why = "an address record of the wrong length";
			return -1;
		}
		if ((*n)++ == 0)
			*ttl = rr.ttl;
	}
	return 0;
}

/* See rfc2136.h. */
int
r2136_is_apex(const unsigned char *p, size_t len, const char *cand,
    const char **why)
{
	struct dns_msg	 m;
	struct dns_rr	 rr;
	char		 qname[DNS_NAMEBUF];
	uint16_t	 qtype, qclass;
	size_t		 off = DNS_HDRLEN, i;
	int		 found = 0;

	if (dns_msg_init(&m, p, len, why) == -1)
		return -1;
	for (i = 0; i < m.count[0]; i++)
		if (dns_get_question(&m, &off, qname, &qtype, &qclass,
		    why) == -1)
			return -1;
	for (i = 0; i < m.count[1]; i++) {
		if (dns_get_rr(&m, &off, &rr, why) == -1)
			return -1;
		if (rr.type == DNS_T_SOA && rr.class == DNS_C_IN &&
		    dns_name_eq(rr.name, cand))
			found = 1;
	}
	return found && (m.flags & DNS_AA) && DNS_RCODE(m.flags) == 0;
}

/* What the server's policy needs for k to update name type; malloc'd. */
static char *
grant(const struct r2136_key *k, const char *name, const char *type)
{
	return xasprintf("key %s may not update %s %s: the server's policy "
	    "needs a grant for it (BIND: update-policy { grant %s name %s. "
	    "%s; }; Knot: an acl with key %s, action update, update-owner "
	    "name and update-owner-name %s.)", k->name, name, type, k->name,
	    name, type, k->name, name);
}

/* The words for reply r's TSIG error with key k; malloc'd. known: the
 * server signed an answer with k already (so BADKEY is its policy). */
static char *
tsig_error_text(const struct r2136_reply *r, const struct r2136_key *k,
    int known, const char *name, const char *type)
{
	char	*g, *s;

	switch (r->tsig_error) {
	case R2136_BADKEY:
		if (!known)
			break;
		/* Knot answers BADKEY when an acl denies a known key */
		if ((g = grant(k, name, type)) == NULL)
			return NULL;
		s = xasprintf("TSIG error BADKEY on the UPDATE, though the "
		    "server signed our query's answer with that key: %s", g);
		free(g);
		return s;
	}
	switch (r->tsig_error) {
	case R2136_BADSIG:
		return xasprintf("TSIG error BADSIG: the server's key %s has "
		    "another secret: check key_secret", k->name);
	case R2136_BADKEY:
		return xasprintf("TSIG error BADKEY: the server knows no key "
		    "%s with algorithm %s: check key_name and key_algorithm",
		    k->name, k->alg);
	case R2136_BADTIME:
		return xasprintf("TSIG error BADTIME: the server's clock is "
		    "%lld s from ours (fudge %d s): the clocks differ: check "
		    "NTP", (long long)r->skew, R2136_FUDGE);
	case R2136_BADTRUNC:
		return xasprintf("TSIG error BADTRUNC: the server refuses "
		    "our MAC's length");
	default:
		return xasprintf("TSIG error %u", r->tsig_error);
	}
}

/* See rfc2136.h. */
enum outcome
r2136_outcome(int update, int known, const struct r2136_reply *r,
    const struct r2136_key *k, const char *zone, const char *name,
    const char *type, char **why)
{
	char	 reason[200], *g;

	*why = NULL;
	switch (r->sig) {
	case R2136_SIG_MALFORMED:
		*why = xasprintf("malformed reply: %s", r->why);
		return OUT_PROTOCOL;
	case R2136_SIG_ERROR:
		*why = tsig_error_text(r, k, known, name, type);
		return OUT_AUTH;
	case R2136_SIG_BADMAC:
		reason[0] = '\0';
		provider_append(reason, sizeof(reason), r->why);
		*why = xasprintf("the reply's TSIG does not verify: %s (a "
		    "forged or broken reply)", reason);
		return OUT_PROTOCOL;
	case R2136_SIG_BADTIME:
		*why = xasprintf("the reply was signed %lld s from our clock "
		    "(fudge %d s): the clocks differ: check NTP",
		    (long long)r->skew, R2136_FUDGE);
		return OUT_AUTH;
	case R2136_SIG_NONE:
	case R2136_SIG_OK:
		break;
	}
	if (!update)
		return OUT_CURRENT;
	switch (r->rcode) {
	case 0:
		if (r->sig == R2136_SIG_OK)
			return OUT_UPDATED;
		*why = xasprintf("the server's NOERROR is not signed: the "
		    "update cannot be trusted to have happened");
		return OUT_PROTOCOL;
	case 2:
		*why = xasprintf("SERVFAIL: the server could not apply the "
		    "update now");
		return OUT_TEMPFAIL;
	case 3:
		*why = xasprintf("NXDOMAIN: the server has no zone %s", zone);
		return OUT_CONFIG;
	case 4:
		*why = xasprintf("NOTIMP: the server does not take dynamic "
		    "updates for %s", zone);
		return OUT_CONFIG;
	case 5:
		g = grant(k, name, type);
		*why = g != NULL ? xasprintf("REFUSED: %s", g) : NULL;
		free(g);
		return OUT_AUTH;
	case 9:
		*why = xasprintf("NOTAUTH: the server is not authoritative "
		    "for zone %s: check zone and server", zone);
		return OUT_CONFIG;
	case 10:
		*why = xasprintf("NOTZONE: %s is not in zone %s", name,
		    zone);
		return OUT_CONFIG;
	default:
		*why = xasprintf("%s: an answer an UPDATE without "
		    "prerequisites does not expect",
		    dns_rcode_name(r->rcode));
		return OUT_PROTOCOL;
	}
}

/* One push in progress. */
struct r2136 {
	const struct record	*rec;
	const struct addr	*addr;
	struct push_ctx		*ctx;
	struct r2136_key	 key;
	const char		*server;
	const char		*zone;		/* rec->zone or zonebuf */
	char			*zonebuf;	/* found by find_zone */
	const char		*type;
	char			*label;		/* "rfc2136: name A" */
	char			 peer[64];
};

/* Our request's id and opcode: what a reply must echo. */
struct r2136_want {
	uint16_t	 id;
	unsigned int	 opcode;
};

/* udp_match_fn: 1 if p/len answers the request in arg. */
static int
match(void *arg, const unsigned char *p, size_t len, char **why)
{
	const struct r2136_want	*w = arg;
	struct dns_msg		 m;
	const char		*err;

	if (dns_msg_init(&m, p, len, &err) == -1) {
		*why = xasprintf("%s", err);
		return 0;
	}
	if (m.id != w->id || !(m.flags & DNS_QR) ||
	    DNS_OPCODE(m.flags) != w->opcode) {
		*why = xasprintf("id %u, not %u, or not a reply", m.id, w->id);
		return 0;
	}
	return 1;
}

/* Set *why to "label: inner" (inner taken; NULL: out of memory); out. */
static enum outcome
fail(struct r2136 *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label : "rfc2136",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	return out;
}

/*
 * Sign msg (len) and exchange it with the server: OUT_CURRENT with the
 * verified reading in *r and the reply in reply (*rlen octets), or
 * OUT_TEMPFAIL / OUT_CONFIG with *why.
 */
static enum outcome
exchange(struct r2136 *c, unsigned char *msg, size_t len, unsigned int op,
    unsigned char *reply, size_t *rlen, struct r2136_reply *r, char **why)
{
	struct r2136_want	 w;
	unsigned char		 mac[R2136_MACMAX];
	size_t			 maclen;
	const char		*err;
	char			*inner = NULL;
	int64_t			 now = (int64_t)time(NULL);

	w.id = (uint16_t)rd(msg, 2);
	w.opcode = op;
	if (r2136_sign(&c->key, msg, &len, R2136_BUF, now, mac, &maclen,
	    &err) == -1)
		return fail(c, OUT_CONFIG, xasprintf("%s", err), why);
	log_debug("%s: %s %zu bytes to %s", c->label, op == DNS_OP_UPDATE ?
	    "UPDATE" : "query", len, c->server);
	if (udp_exchange(c->server, R2136_PORT, msg, len, R2136_RTO,
	    R2136_SENDS, R2136_WAIT, match, &w, reply, UDP_MSGMAX, rlen,
	    c->peer, &inner) == -1)
		return fail(c, OUT_TEMPFAIL, inner, why);
	r2136_verify(&c->key, reply, *rlen, mac, maclen, (int64_t)time(NULL),
	    r);
	log_debug("%s: %s from %s (TSIG %s)", c->label,
	    dns_rcode_name(r->rcode), c->peer, r->sig == R2136_SIG_OK ?
	    "verified" : r->sig == R2136_SIG_NONE ? "absent" : "bad");
	return OUT_CURRENT;
}

/* A fresh random message id into *id; 0/-1. */
static int
new_id(uint16_t *id)
{
	unsigned char	 b[2];

	if (udp_random(b, 2) == -1)
		return -1;
	*id = (uint16_t)rd(b, 2);
	return 0;
}

/*
 * Ask for the record's RRset: OUT_CURRENT with *n addresses in have and
 * *ttl when the signed answer tells, *n = -1 when it cannot tell, *known
 * set when the answer was signed with our key; else an error outcome
 * with *why.
 */
static enum outcome
lookup(struct r2136 *c, struct addr *have, long *n, uint32_t *ttl,
    int *known, char **why)
{
	unsigned char		 msg[R2136_BUF], reply[UDP_MSGMAX];
	struct r2136_reply	 r;
	const char		*err;
	char			*inner;
	size_t			 len, rlen, got;
	uint16_t		 id, type;
	enum outcome		 out;

	*n = -1;
	type = c->addr->fam == FAM_V4 ? DNS_T_A : DNS_T_AAAA;
	if (new_id(&id) == -1)
		return fail(c, OUT_TEMPFAIL, xasprintf("no random id"), why);
	if (r2136_query(id, c->rec->name, type, msg, sizeof(msg), &len,
	    &err) == -1)
		return fail(c, OUT_CONFIG, xasprintf("%s", err), why);
	if ((out = exchange(c, msg, len, DNS_OP_QUERY, reply, &rlen, &r,
	    why)) != OUT_CURRENT)
		return out;
	if ((out = r2136_outcome(0, 0, &r, &c->key, c->zone, c->rec->name,
	    c->type, &inner)) != OUT_CURRENT)
		return fail(c, out, inner, why);
	*known = r.sig == R2136_SIG_OK;
	if (r.sig != R2136_SIG_OK || (r.rcode != 0 && r.rcode != 3) ||
	    (r.flags & DNS_TC)) {
		log_info("%s: the query's answer (%s%s%s) cannot tell what "
		    "the record holds: updating", c->label,
		    dns_rcode_name(r.rcode), r.flags & DNS_TC ?
		    ", truncated" : "", r.sig == R2136_SIG_OK ? "" :
		    ", not signed");
		return OUT_CURRENT;
	}
	if (r2136_answer(reply, rlen, c->rec->name, type, have, R2136_HAVE,
	    &got, ttl, &err) == -1)
		return fail(c, OUT_PROTOCOL, xasprintf("malformed reply: %s",
		    err), why);
	*n = (long)got;
	return OUT_CURRENT;
}

/* provider_zone_fn: whether the server holds zone cand, by a signed SOA
 * query; *val cand (malloc'd) when it does, NULL when not. */
static enum outcome
zone_lookup(void *arg, const char *cand, char **val, char **why)
{
	struct r2136		*c = arg;
	unsigned char		 msg[R2136_BUF], reply[UDP_MSGMAX];
	struct r2136_reply	 r;
	const char		*err;
	char			*inner;
	size_t			 len, rlen;
	uint16_t		 id;
	enum outcome		 out;
	int			 apex;

	*val = NULL;
	if (new_id(&id) == -1)
		return fail(c, OUT_TEMPFAIL, xasprintf("no random id"), why);
	if (r2136_query(id, cand, DNS_T_SOA, msg, sizeof(msg), &len,
	    &err) == -1)
		return fail(c, OUT_CONFIG, xasprintf("%s", err), why);
	if ((out = exchange(c, msg, len, DNS_OP_QUERY, reply, &rlen, &r,
	    why)) != OUT_CURRENT)
		return out;
	if ((out = r2136_outcome(0, 0, &r, &c->key, cand, c->rec->name,
	    c->type, &inner)) != OUT_CURRENT)
		return fail(c, out, inner, why);
	if (r.sig != R2136_SIG_OK)
		return OUT_CURRENT;	/* REFUSED and the like: not here */
	if ((apex = r2136_is_apex(reply, rlen, cand, &err)) == -1)
		return fail(c, OUT_PROTOCOL, xasprintf("malformed reply: %s",
		    err), why);
	log_debug("%s: %s %s a zone there", c->label, cand, apex ? "is" :
	    "is not");
	if (apex && (*val = strdup(cand)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	return OUT_CURRENT;
}

/* Find the zone when none is configured; OUT_CURRENT or an error. */
static enum outcome
find_zone(struct r2136 *c, char **why)
{
	struct zone_walk	 w;
	char			*pfx, *val = NULL;
	enum outcome		 out;

	if (c->zone != NULL)
		return OUT_CURRENT;
	if ((pfx = xasprintf("rfc2136:%s:%s", c->server, c->key.name)) ==
	    NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	memset(&w, 0, sizeof(w));
	w.label = c->label;
	w.cachepfx = pfx;
	w.what = "zone on the server";
	w.hint = "no signed SOA answer named one: set \"zone\"";
	w.lookup = zone_lookup;
	w.arg = c;
	free(*why);
	*why = NULL;
	out = provider_find_zone(c->ctx, c->rec, &w, &c->zonebuf, &val, why);
	free(val);
	free(pfx);
	c->zone = c->zonebuf;
	if (out == OUT_CURRENT)
		log_info("%s: zone %s", c->label, c->zone);
	return out;
}

/* NULL if server is host[:port], an address of either family with a
 * port or not; else why not (malloc'd). */
static char *
server_syntax(const char *server)
{
	char	*why = NULL;

	if (server == NULL || provider_has_ctl(server))
		return xasprintf("\"server\" is not host[:port]");
	if (udp_server_syntax(server, FAM_V4, &why) == 0)
		return NULL;
	free(why);	/* an IPv6 literal: the IPv4 check refuses it */
	if (udp_server_syntax(server, FAM_V6, &why) == 0)
		return NULL;
	return why;
}

/* Fill c from rec; OUT_CURRENT, or OUT_CONFIG with *why. */
static enum outcome
r2136_init(struct r2136 *c, const struct record *rec,
    const struct addr *addr, char **why)
{
	char		*inner = NULL;
	size_t		 zl, nl;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->addr = addr;
	c->type = fam_rrtype(addr->fam);
	c->zone = rec->zone;
	c->server = rec_str(rec, "server");
	if ((c->label = xasprintf("rfc2136: %s %s", rec->name,
	    c->type)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	nl = strlen(rec->name);
	zl = c->zone != NULL ? strlen(c->zone) : 0;
	if (!name_ok(rec->name) || (c->zone != NULL && (!name_ok(c->zone) ||
	    nl < zl || !dns_name_eq(rec->name + nl - zl, c->zone) ||
	    (nl > zl && rec->name[nl - zl - 1] != '.'))))
		return fail(c, OUT_CONFIG, xasprintf("%s is not a name in "
		    "zone %s", rec->name, c->zone), why);
	if ((inner = server_syntax(c->server)) != NULL)
		return fail(c, OUT_CONFIG, inner, why);
	if (r2136_key_init(&c->key, rec_str(rec, "key_name"),
	    rec_str(rec, "key_algorithm"), rec_str(rec, "key_secret"),
	    &inner) == -1)
		return fail(c, OUT_CONFIG, inner, why);
	return OUT_CURRENT;
}

/* Free what c holds; the secret is wiped. */
static void
cleanup(struct r2136 *c)
{
	OPENSSL_cleanse(&c->key, sizeof(c->key));
	free(c->label);
	free(c->zonebuf);
	c->label = c->zonebuf = NULL;
}

/* 1 if have (n) is exactly addr with the TTL wanted (0: any). */
static int
current(const struct addr *have, long n, uint32_t ttl,
    const struct addr *addr, long want)
{
	return n == 1 && addr_equal(&have[0], addr) &&
	    (want <= 0 || (long)ttl == want);
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct r2136		 c;
	struct r2136_reply	 r;
	struct addr		 have[R2136_HAVE];
	unsigned char		 msg[R2136_BUF], reply[UDP_MSGMAX];
	const char		*err;
	char			*inner;
	size_t			 len, rlen;
	uint32_t		 ttl = 0;
	uint16_t		 id;
	long			 n;
	int			 known = 0;
	enum outcome		 out;

	*why = NULL;
	if ((out = r2136_init(&c, rec, addr, why)) != OUT_CURRENT)
		goto out;
	c.ctx = ctx;
	if ((out = find_zone(&c, why)) != OUT_CURRENT)
		goto out;
	if ((out = lookup(&c, have, &n, &ttl, &known, why)) != OUT_CURRENT)
		goto out;
	if (current(have, n, ttl, addr, rec->ttl)) {
		log_info("%s: %s already holds %s", c.label, c.peer,
		    addr->text);
		goto out;
	}
	if (rec->ttl > 0)
		ttl = (uint32_t)rec->ttl;
	else if (n <= 0)
		ttl = R2136_TTL;
	if (new_id(&id) == -1) {
		out = fail(&c, OUT_TEMPFAIL, xasprintf("no random id"), why);
		goto out;
	}
	if (r2136_update(id, c.zone, rec->name, addr, ttl, msg, sizeof(msg),
	    &len, &err) == -1) {
		out = fail(&c, OUT_CONFIG, xasprintf("%s", err), why);
		goto out;
	}
	if ((out = exchange(&c, msg, len, DNS_OP_UPDATE, reply, &rlen, &r,
	    why)) != OUT_CURRENT)
		goto out;
	if ((out = r2136_outcome(1, known, &r, &c.key, c.zone, rec->name,
	    c.type, &inner)) != OUT_UPDATED) {
		if (out == OUT_CURRENT)
			out = OUT_PROTOCOL;
		if (out == OUT_CONFIG)
			ctx->hold = 1;	/* the zone or name: fix the config */
		out = fail(&c, out, inner, why);
		goto out;
	}
	log_info("%s: %s took the update (TTL %lu)", c.label, c.peer,
	    (unsigned long)ttl);
out:
	cleanup(&c);
	return out;
}

/* NULL if rec can be pushed as configured, else why not (malloc'd). */
static char *
check(const struct record *rec)
{
	struct r2136	 c;
	struct addr	 a;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	if (r2136_init(&c, rec, &a, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_rfc2136 = {
	.name = "rfc2136",
	.keys = keys,
	.push = push,
	.check = check,
};
