/*
 * DNS wire format: RFC 1035 section 4 (header, question, RRs, name
 * compression), RFC 2136 section 2 (UPDATE uses the same layout), RFC
 * 3596 (AAAA). Pure: bytes in, bytes or fields out.
 *
 * Everything read comes from a network peer that may lie, so every read
 * is bounds checked against the message length before it happens. Name
 * decompression accepts only pointers that point backwards (before the
 * pointer itself) and past the header, caps the number of jumps and the
 * decoded length at 255 octets: a pointer loop, a forward pointer, a
 * pointer past the end or a label of the reserved types 01/10 (RFC 6891
 * obsoleted the extended label type) is an error, never a hang.
 */
#include <stdio.h>
#include <string.h>

#include "dnswire.h"

#define MAX_HOPS	64	/* compression pointers followed in one name */

/* Initialise b to build into mem (cap bytes). */
void
dns_buf_init(struct dns_buf *b, unsigned char *mem, size_t cap)
{
	b->p = mem;
	b->len = 0;
	b->cap = cap;
	b->err = NULL;
}

/* Append n bytes; sets b->err when they do not fit. */
static void
put(struct dns_buf *b, const void *v, size_t n)
{
	if (b->err != NULL)
		return;
	if (n > b->cap - b->len) {
		b->err = "message too long for the buffer";
		return;
	}
	if (n > 0)
		memcpy(b->p + b->len, v, n);
	b->len += n;
}

/* Append a 16-bit value in network order. */
static void
put16(struct dns_buf *b, uint16_t v)
{
	unsigned char	 x[2];

	x[0] = v >> 8;
	x[1] = v & 0xff;
	put(b, x, 2);
}

/* Append a 32-bit value in network order. */
static void
put32(struct dns_buf *b, uint32_t v)
{
	put16(b, v >> 16);
	put16(b, v & 0xffff);
}

/* The header: id, flags and the four section counts. */
void
dns_put_header(struct dns_buf *b, uint16_t id, uint16_t flags, uint16_t c0,
    uint16_t c1, uint16_t c2, uint16_t c3)
{
	put16(b, id);
	put16(b, flags);
	put16(b, c0);
	put16(b, c1);
	put16(b, c2);
	put16(b, c3);
}

/* name in presentation form, as labels; sets b->err if it is not one. */
void
dns_put_name(struct dns_buf *b, const char *name)
{
	const char	*s, *dot;
	size_t		 n, wire = 1;
	unsigned char	 l;

	if (b->err != NULL)
		return;
	if (strcmp(name, ".") == 0) {
		put(b, "", 1);
		return;
	}
	for (s = name; *s != '\0'; s = *dot == '\0' ? dot : dot + 1) {
		dot = strchr(s, '.');
		if (dot == NULL)
			dot = s + strlen(s);
		n = (size_t)(dot - s);
		if (n == 0) {
			b->err = "empty label in a name";
			return;
		}
		if (n > DNS_MAXLABEL) {
			b->err = "label longer than 63 octets";
			return;
		}
		if ((wire += n + 1) > DNS_MAXNAME) {
			b->err = "name longer than 255 octets";
			return;
		}
		l = (unsigned char)n;
		put(b, &l, 1);
		put(b, s, n);
	}
	if (wire == 1) {
		b->err = "empty name";
		return;
	}
	put(b, "", 1);
}

/* A question: name, type, class. */
void
dns_put_question(struct dns_buf *b, const char *name, uint16_t type,
    uint16_t class)
{
	dns_put_name(b, name);
	put16(b, type);
	put16(b, class);
}

/* A resource record with its rdata. */
void
dns_put_rr(struct dns_buf *b, const char *name, uint16_t type,
    uint16_t class, uint32_t ttl, const void *rdata, uint16_t rdlen)
{
	dns_put_name(b, name);
	put16(b, type);
	put16(b, class);
	put32(b, ttl);
	put16(b, rdlen);
	put(b, rdata, rdlen);
}

/* 0 and the length built, or -1 with the first failure. */
int
dns_finish(const struct dns_buf *b, size_t *len, const char **why)
{
	if (b->err != NULL) {
		*why = b->err;
		return -1;
	}
	*len = b->len;
	return 0;
}

/* The 16-bit value at off (caller checked bounds). */
static uint16_t
get16(const unsigned char *p, size_t off)
{
	return (uint16_t)(p[off] << 8 | p[off + 1]);
}

/* Read the header of p/len into m; 0 or -1 with *why. */
int
dns_msg_init(struct dns_msg *m, const unsigned char *p, size_t len,
    const char **why)
{
	int	 i;

	memset(m, 0, sizeof(*m));
	if (len < DNS_HDRLEN) {
		*why = "message shorter than a DNS header";
		return -1;
	}
	m->p = p;
	m->len = len;
	m->id = get16(p, 0);
	m->flags = get16(p, 2);
	for (i = 0; i < 4; i++)
		m->count[i] = get16(p, 4 + 2 * i);
	return 0;
}

/* Append label bytes l (n) to out at *o, escaped; -1 if out is full. */
static int
label_text(char *out, size_t *o, const unsigned char *l, size_t n)
{
	size_t	 i;
	int	 w;

	for (i = 0; i < n; i++) {
		if (DNS_NAMEBUF - *o < 5)
			return -1;
		if (l[i] == '.' || l[i] == '\\')
			w = snprintf(out + *o, 5, "\\%c", l[i]);
		else if (l[i] <= 0x20 || l[i] >= 0x7f)
			w = snprintf(out + *o, 5, "\\%03u", l[i]);
		else
			w = snprintf(out + *o, 5, "%c", l[i]);
		*o += (size_t)w;
	}
	return 0;
}

/* The (possibly compressed) name at *off into out; see dnswire.h. */
int
dns_get_name(const struct dns_msg *m, size_t *off, char *out,
    const char **why)
{
	size_t		 pos = *off, end = 0, o = 0, wire = 0, ptr;
	int		 jumped = 0, hops = 0;
	unsigned char	 c;

	for (;;) {
		if (pos >= m->len) {
			*why = "name runs past the end of the message";
			return -1;
		}
		c = m->p[pos];
		if ((c & 0xc0) == 0xc0) {
			if (pos + 1 >= m->len) {
				*why = "compression pointer cut short";
				return -1;
			}
			ptr = (size_t)get16(m->p, pos) & 0x3fff;
			if (ptr >= pos) {
				*why = "compression pointer does not point "
				    "backwards";
				return -1;
			}
			if (ptr < DNS_HDRLEN) {
				*why = "compression pointer into the header";
				return -1;
			}
			if (++hops > MAX_HOPS) {
				*why = "too many compression pointers";
				return -1;
			}
			if (!jumped)
				end = pos + 2;
			jumped = 1;
			pos = ptr;
			continue;
		}
		if ((c & 0xc0) != 0) {
			*why = "label of a reserved type";
			return -1;
		}
		if (c == 0) {
			if (!jumped)
				end = pos + 1;
			break;
		}
		if (c > m->len - pos - 1) {
			*why = "label runs past the end of the message";
			return -1;
		}
		if ((wire += (size_t)c + 1) + 1 > DNS_MAXNAME) {
			*why = "name longer than 255 octets";
			return -1;
		}
		if (o > 0)
			out[o++] = '.';
		if (label_text(out, &o, m->p + pos + 1, c) == -1) {
			*why = "name too long";
			return -1;
		}
		pos += (size_t)c + 1;
	}
	if (o == 0)
		out[o++] = '.';
	out[o] = '\0';
	*off = end;
	return 0;
}

/* The question at *off; 0 or -1 with *why. */
int
dns_get_question(const struct dns_msg *m, size_t *off, char *name,
    uint16_t *type, uint16_t *class, const char **why)
{
	if (dns_get_name(m, off, name, why) == -1)
		return -1;
	if (m->len - *off < 4) {
		*why = "question cut short";
		return -1;
	}
	*type = get16(m->p, *off);
	*class = get16(m->p, *off + 2);
	*off += 4;
	return 0;
}

/* The RR at *off; 0 or -1 with *why. */
int
dns_get_rr(const struct dns_msg *m, size_t *off, struct dns_rr *rr,
    const char **why)
{
	if (dns_get_name(m, off, rr->name, why) == -1)
		return -1;
	if (m->len - *off < 10) {
		*why = "resource record cut short";
		return -1;
	}
	rr->type = get16(m->p, *off);
	rr->class = get16(m->p, *off + 2);
	rr->ttl = (uint32_t)get16(m->p, *off + 4) << 16 |
	    get16(m->p, *off + 6);
	rr->rdlen = get16(m->p, *off + 8);
	*off += 10;
	if (rr->rdlen > m->len - *off) {
		*why = "record data runs past the end of the message";
		return -1;
	}
	rr->rdoff = *off;
	*off += rr->rdlen;
	return 0;
}

/* An A or AAAA RR's address; 0 or -1. */
int
dns_rr_addr(const struct dns_msg *m, const struct dns_rr *rr,
    struct addr *a)
{
	char		 text[48];
	const unsigned char *d = m->p + rr->rdoff;

	if (rr->type == DNS_T_A && rr->rdlen == 4)
		snprintf(text, sizeof(text), "%u.%u.%u.%u", d[0], d[1], d[2],
		    d[3]);
	else if (rr->type == DNS_T_AAAA && rr->rdlen == 16)
		snprintf(text, sizeof(text), "%x:%x:%x:%x:%x:%x:%x:%x",
		    get16(d, 0), get16(d, 2), get16(d, 4), get16(d, 6),
		    get16(d, 8), get16(d, 10), get16(d, 12), get16(d, 14));
	else
		return -1;
	return addr_parse(text, rr->type == DNS_T_A ? FAM_V4 : FAM_V6, a);
}

/* A TXT RR's strings, concatenated; 0 or -1 with *why. */
int
dns_rr_txt(const struct dns_msg *m, const struct dns_rr *rr, char *out,
    size_t sz, const char **why)
{
	const unsigned char	*d = m->p + rr->rdoff;
	size_t			 i = 0, o = 0, n;

	if (rr->type != DNS_T_TXT) {
		*why = "not a TXT record";
		return -1;
	}
	if (rr->rdlen == 0) {
		*why = "TXT record without a string";
		return -1;
	}
	while (i < rr->rdlen) {
		n = d[i++];
		if (n > (size_t)rr->rdlen - i) {
			*why = "TXT string runs past its record";
			return -1;
		}
		if (n >= sz - o) {
			*why = "TXT record too long";
			return -1;
		}
		if (memchr(d + i, '\0', n) != NULL) {
			*why = "TXT record with a NUL byte";
			return -1;
		}
		memcpy(out + o, d + i, n);
		o += n;
		i += n;
	}
	out[o] = '\0';
	return 0;
}

/* A CNAME or NS RR's target name; 0 or -1 with *why. */
int
dns_rr_target(const struct dns_msg *m, const struct dns_rr *rr, char *out,
    const char **why)
{
	size_t	 off = rr->rdoff;

	if (rr->type != DNS_T_CNAME && rr->type != DNS_T_NS) {
		*why = "not a CNAME record";
		return -1;
	}
	if (dns_get_name(m, &off, out, why) == -1)
		return -1;
	if (off != rr->rdoff + rr->rdlen) {
		*why = "CNAME target does not fill its record";
		return -1;
	}
	return 0;
}

/* 1 if a and b name the same node. */
int
dns_name_eq(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b);
	size_t	 i;
	char	 x, y;

	if (la > 1 && a[la - 1] == '.' && a[la - 2] != '\\')
		la--;
	if (lb > 1 && b[lb - 1] == '.' && b[lb - 2] != '\\')
		lb--;
	if (la != lb)
		return 0;
	for (i = 0; i < la; i++) {
		x = a[i] >= 'A' && a[i] <= 'Z' ? a[i] + 32 : a[i];
		y = b[i] >= 'A' && b[i] <= 'Z' ? b[i] + 32 : b[i];
		if (x != y)
			return 0;
	}
	return 1;
}

/* The RFC 1035/2136 name of an RCODE. */
const char *
dns_rcode_name(unsigned int rcode)
{
	static const char *const names[] = {
		"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",
		"REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH",
		"NOTZONE"
	};

	if (rcode < sizeof(names) / sizeof(names[0]))
		return names[rcode];
	return "unknown RCODE";
}
