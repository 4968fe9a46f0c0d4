/*
 * Finding the one address in an endpoint's reply. Endpoints answer with a
 * bare address, an HTML page, JSON, or a sentence such as
 * "当前 IP：223.154.81.207  来自于：中国 浙江 杭州 电信"; rather than parse
 * each format we scan the bytes for address-shaped runs, and anything that
 * cannot be part of an address (markup, quotes, non-ASCII) separates them.
 *
 * A run is a maximal stretch of hex digits, ':' and '.'. A run with a
 * colon is tried as an IPv6 address, else its colon-separated pieces are
 * tried as IPv4 dotted quads (so "1.2.3.4:80" and "IP:1.2.3.4" work).
 * A quad must stand alone: "1.2.3.4.5", "v1.2.3.4" and "HTTP/1.1" are not
 * addresses. One trailing '.' or ':' is taken for punctuation.
 *
 * An IPv4-mapped IPv6 address (::ffff:a.b.c.d, what a server on a
 * dual-stack socket may report) counts as the IPv4 address when IPv4 is
 * wanted; when IPv6 is wanted it stays what it is, and validation refuses
 * it by name.
 */
#include <stdio.h>
#include <string.h>

#include "probe.h"

#define RUN_MAX	45	/* longest IPv6 text, with an embedded quad */

/* Candidates seen so far for the wanted family. */
struct cands {
	int		 n;		/* distinct addresses, at most 2 */
	struct addr	 first;
};

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_hex(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* ASCII letters, digits and '_': what may not touch an address. */
static int
is_word(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c == '_';
}

static int
is_run(int c)
{
	return is_hex(c) || c == ':' || c == '.';
}

static void
cand_add(struct cands *c, const struct addr *a)
{
	if (c->n == 0) {
		c->first = *a;
		c->n = 1;
	} else if (!addr_equal(&c->first, a))
		c->n = 2;
}

/* Copy [s, e) into buf (size RUN_MAX + 1); 0, or -1 if too long/empty. */
static int
copy_span(const char *s, const char *e, char *buf)
{
	if (e <= s || (size_t)(e - s) > RUN_MAX)
		return -1;
	memcpy(buf, s, (size_t)(e - s));
	buf[e - s] = '\0';
	return 0;
}

/* 1 if [s, e) is four dot-separated groups of 1-3 digits. */
static int
is_quad(const char *s, const char *e)
{
	int	 groups = 0, digits = 0;

	for (; s < e; s++) {
		if (is_digit((unsigned char)*s)) {
			if (++digits > 3)
				return 0;
		} else if (*s == '.' && digits > 0) {
			groups++;
			digits = 0;
		} else
			return 0;
	}
	return groups == 3 && digits > 0;
}

/* Try the piece [s, e) of a run as a dotted quad; next: char after it. */
static void
try_v4(const char *s, const char *e, int prev, int next, struct cands *c)
{
	struct addr	 a;
	char		 tmp[RUN_MAX + 1];

	if (is_word(prev) || is_word(next))
		return;
	if (e > s && e[-1] == '.')
		e--;		/* end of a sentence */
	if (!is_quad(s, e) || copy_span(s, e, tmp) == -1)
		return;
	if (addr_parse(tmp, FAM_V4, &a) == 0)
		cand_add(c, &a);
}

/* Try the run [s, e) that holds a colon as an IPv6 address; 0 if it is. */
static int
try_v6(const char *s, const char *e, int prev, int next, enum fam fam,
    struct cands *c)
{
	struct addr	 a;
	char		 tmp[RUN_MAX + 1];
	const char	*p;

	if (is_word(next))
		return -1;
	if (is_word(prev)) {
		/* "id:2001:db8::1": the hex tail of a word is not ours. */
		if ((s = memchr(s, ':', (size_t)(e - s))) == NULL)
			return -1;
		s++;
	}
	if (e - s >= 1 && e[-1] == '.')
		e--;
	if (e - s >= 2 && e[-1] == ':' && e[-2] != ':')
		e--;
	if (e - s >= 2 && s[0] == ':' && s[1] != ':')
		s++;
	for (p = s; p < e && !is_hex((unsigned char)*p); p++)
		;
	if (p == e || copy_span(s, e, tmp) == -1 ||
	    addr_parse(tmp, FAM_V6, &a) == -1)
		return -1;
	if (fam == FAM_V6)
		cand_add(c, &a);
	else if (strcmp(addr_range(&a) ? addr_range(&a) : "",
	    "ipv4-mapped") == 0) {
		snprintf(tmp, sizeof(tmp), "%u.%u.%u.%u", a.bytes[12],
		    a.bytes[13], a.bytes[14], a.bytes[15]);
		if (addr_parse(tmp, FAM_V4, &a) == 0)
			cand_add(c, &a);
	}
	return 0;
}

/* Look at one run [s, e) of the body [buf, end). */
static void
scan_run(const char *buf, const char *end, const char *s, const char *e,
    enum fam fam, struct cands *c)
{
	const char	*p, *q;
	int		 prev, next;

	prev = s > buf ? (unsigned char)s[-1] : ' ';
	next = e < end ? (unsigned char)*e : ' ';
	if (memchr(s, ':', (size_t)(e - s)) != NULL &&
	    try_v6(s, e, prev, next, fam, c) == 0)
		return;
	if (fam != FAM_V4)
		return;
	for (p = s; p < e; p = q + 1) {
		q = memchr(p, ':', (size_t)(e - p));
		if (q == NULL)
			q = e;
		try_v4(p, q, p == s ? prev : ':', q == e ? next : ':', c);
	}
}

/* 0 and *out if buf holds one distinct fam address; else -1 and *why. */
int
probe_extract(const char *buf, size_t len, enum fam fam, struct addr *out,
    const char **why)
{
	struct cands	 c;
	const char	*p, *s, *end = buf + len;

	memset(&c, 0, sizeof(c));
	for (p = buf; p < end && c.n < 2; ) {
		if (!is_run((unsigned char)*p)) {
			p++;
			continue;
		}
		for (s = p; p < end && is_run((unsigned char)*p); p++)
			;
		scan_run(buf, end, s, p, fam, &c);
	}
	if (c.n == 1) {
		*out = c.first;
		return 0;
	}
	if (c.n == 0)
		*why = fam == FAM_V4 ? "no IPv4 address in the reply" :
		    "no IPv6 address in the reply";
	else
		*why = "ambiguous: several addresses in the reply";
	return -1;
}
