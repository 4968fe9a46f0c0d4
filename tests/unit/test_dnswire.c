/* dnswire.c and the dns source's pure part (probe/dns.c): building,
 * reading, and every malformed or foreign reply we can think of. */
#include "unit.h"
#include "dnswire.h"
#include "probe/udp.h"

/* A message under construction by the tests. */
struct msg {
	unsigned char	 b[1024];
	size_t		 n;
};

static void
raw(struct msg *m, const void *p, size_t n)
{
	assert_true(m->n + n <= sizeof(m->b));
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void
u16(struct msg *m, unsigned int v)
{
	unsigned char	 x[2] = { v >> 8, v & 0xff };

	raw(m, x, 2);
}

static void
hdr(struct msg *m, unsigned int id, unsigned int flags, unsigned int qd,
    unsigned int an, unsigned int ns, unsigned int ar)
{
	m->n = 0;
	u16(m, id);
	u16(m, flags);
	u16(m, qd);
	u16(m, an);
	u16(m, ns);
	u16(m, ar);
}

/* Wire form of a name (no compression). */
static void
name(struct msg *m, const char *s)
{
	struct dns_buf	 b;
	unsigned char	 t[300];

	dns_buf_init(&b, t, sizeof(t));
	dns_put_name(&b, s);
	assert_null(b.err);
	raw(m, t, b.len);
}

/* An RR: owner (wire bytes or via name()), type, class, ttl, rdata. */
static void
rr_tail(struct msg *m, unsigned int type, unsigned int class,
    const void *rd, size_t rdlen)
{
	u16(m, type);
	u16(m, class);
	u16(m, 0);
	u16(m, 60);
	u16(m, (unsigned int)rdlen);
	raw(m, rd, rdlen);
}

static const unsigned char A7[] = { 203, 0, 113, 7 };
static const unsigned char A8[] = { 203, 0, 113, 8 };

/* ---- building ------------------------------------------------------ */

static void
test_query_bytes(void **state)
{
	static const unsigned char want[] = {
		0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 6, 'w', 'h', 'o', 'a', 'm', 'i', 10, 'c', 'l',
		'o', 'u', 'd', 'f', 'l', 'a', 'r', 'e', 0, 0x00, 0x10, 0x00,
		0x03
	};
	struct dns_question q = { "whoami.cloudflare.", DNS_T_TXT, DNS_C_CH,
	    1 };
	unsigned char	 buf[512];
	size_t		 n;

	(void)state;
	n = dnsprobe_query(&q, 0x1234, buf, sizeof(buf));
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	/* no room: 0, never a partial message */
	assert_int_equal(dnsprobe_query(&q, 0x1234, buf, 20), 0);
	q.rd = 0;
	q.type = DNS_T_A;
	q.class = DNS_C_IN;
	n = dnsprobe_query(&q, 0xbeef, buf, sizeof(buf));
	assert_int_equal(buf[2], 0);
	assert_int_equal(buf[n - 3], 1);
	assert_int_equal(buf[n - 1], 1);
}

static void
test_put_name_errors(void **state)
{
	static const struct {
		const char	*name;
		const char	*err;
		size_t		 len;
	} cases[] = {
		{ "example.com", NULL, 13 },
		{ "example.com.", NULL, 13 },
		{ ".", NULL, 1 },
		{ "", "empty name", 0 },
		{ "a..b", "empty label in a name", 0 },
		{ ".a", "empty label in a name", 0 },
		{ "a.b..", "empty label in a name", 0 },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		  "aaaa.com", "label longer than 63 octets", 0 },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		  "aaa.com", NULL, 69 },
	};
	struct dns_buf	 b;
	unsigned char	 t[600];
	char		 big[400];
	size_t		 i, len;
	const char	*why;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dns_buf_init(&b, t, sizeof(t));
		dns_put_name(&b, cases[i].name);
		if (cases[i].err == NULL) {
			assert_int_equal(dns_finish(&b, &len, &why), 0);
			assert_int_equal(len, cases[i].len);
		} else {
			assert_int_equal(dns_finish(&b, &len, &why), -1);
			assert_string_equal(why, cases[i].err);
		}
	}
	/* 3 x 63 + 61 octet labels: 255 on the wire, the most there is */
	memset(big, 'x', sizeof(big));
	big[63] = big[127] = big[191] = '.';
	big[253] = '\0';
	dns_buf_init(&b, t, sizeof(t));
	dns_put_name(&b, big);
	assert_int_equal(dns_finish(&b, &len, &why), 0);
	assert_int_equal(len, 255);
	big[253] = 'x';
	big[254] = '\0';
	dns_buf_init(&b, t, sizeof(t));
	dns_put_name(&b, big);
	assert_int_equal(dns_finish(&b, &len, &why), -1);
	assert_string_equal(why, "name longer than 255 octets");
	/* a full buffer is sticky: nothing after it is written */
	dns_buf_init(&b, t, 14);
	dns_put_header(&b, 1, 0, 1, 0, 0, 0);
	dns_put_question(&b, "example.com", DNS_T_A, DNS_C_IN);
	assert_int_equal(dns_finish(&b, &len, &why), -1);
	assert_string_equal(why, "message too long for the buffer");
	assert_true(b.len <= 14);
}

/* An RFC 2136 UPDATE: zone, no prerequisite, delete the RRset, add one. */
static void
test_update_bytes(void **state)
{
	static const unsigned char want[] = {
		0xab, 0xcd, 0x28, 0x00, 0, 1, 0, 0, 0, 2, 0, 0,
		/* zone: example.com SOA IN */
		7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
		0, 6, 0, 1,
		/* delete home.example.com A (class ANY, ttl 0, no rdata) */
		4, 'h', 'o', 'm', 'e', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
		3, 'c', 'o', 'm', 0, 0, 1, 0, 255, 0, 0, 0, 0, 0, 0,
		/* add home.example.com 300 IN A 203.0.113.7 */
		4, 'h', 'o', 'm', 'e', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
		3, 'c', 'o', 'm', 0, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4,
		203, 0, 113, 7
	};
	struct dns_buf	 b;
	unsigned char	 t[512];
	size_t		 len;
	const char	*why;
	struct dns_msg	 m;

	(void)state;
	dns_buf_init(&b, t, sizeof(t));
	dns_put_header(&b, 0xabcd, DNS_OP_UPDATE << 11, 1, 0, 2, 0);
	dns_put_question(&b, "example.com", DNS_T_SOA, DNS_C_IN);
	dns_put_rr(&b, "home.example.com", DNS_T_A, DNS_C_ANY, 0, NULL, 0);
	dns_put_rr(&b, "home.example.com", DNS_T_A, DNS_C_IN, 300, A7, 4);
	assert_int_equal(dns_finish(&b, &len, &why), 0);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(t, want, sizeof(want));
	assert_int_equal(dns_msg_init(&m, t, len, &why), 0);
	assert_int_equal(DNS_OPCODE(m.flags), DNS_OP_UPDATE);
	assert_int_equal(m.count[2], 2);
}

/* ---- reading names ------------------------------------------------- */

static void
test_names(void **state)
{
	/* header (12 zero bytes), then what each case puts at 12 */
	static const struct {
		unsigned char	 body[40];
		size_t		 len;		/* of body */
		size_t		 at;		/* offset into body */
		const char	*want;		/* name, or NULL */
		const char	*err;
		size_t		 end;		/* offset after, into body */
	} cases[] = {
		{ { 1, 'a', 2, 'b', 'c', 0 }, 6, 0, "a.bc", NULL, 6 },
		{ { 0 }, 1, 0, ".", NULL, 1 },
		/* "x" then a pointer back to "a.bc" */
		{ { 1, 'a', 2, 'b', 'c', 0, 1, 'x', 0xc0, 12 }, 10, 6,
		  "x.a.bc", NULL, 10 },
		/* a pointer to a pointer */
		{ { 1, 'a', 0, 0xc0, 12, 0xc0, 15 }, 7, 5, "a", NULL, 7 },
		/* escapes: a dot, a backslash, a space and a byte 200 */
		{ { 4, 'a', '.', '\\', ' ', 1, 200, 0 }, 8, 0,
		  "a\\.\\\\\\032.\\200", NULL, 8 },
		{ { 0xc0, 12 }, 2, 0, NULL,
		  "compression pointer does not point backwards", 0 },
		{ { 1, 'a', 0xc0, 20, 0, 0, 0, 0, 1, 'b', 0 }, 11, 0, NULL,
		  "compression pointer does not point backwards", 0 },
		{ { 1, 'a', 0xff, 0xff }, 4, 0, NULL,
		  "compression pointer does not point backwards", 0 },
		{ { 1, 'a', 0xc0, 2 }, 4, 0, NULL,
		  "compression pointer into the header", 0 },
		{ { 1, 'a', 0xc0 }, 3, 0, NULL,
		  "compression pointer cut short", 0 },
		/* "a" then a pointer back to itself: a loop */
		{ { 1, 'a', 0xc0, 12 }, 4, 0, NULL,
		  "too many compression pointers", 0 },
		{ { 0x40, 'a', 0 }, 3, 0, NULL, "label of a reserved type", 0 },
		{ { 0x80, 'a', 0 }, 3, 0, NULL, "label of a reserved type", 0 },
		{ { 5, 'a', 'b' }, 3, 0, NULL,
		  "label runs past the end of the message", 0 },
		{ { 1, 'a' }, 2, 0, NULL,
		  "name runs past the end of the message", 0 },
		{ { 0 }, 0, 0, NULL, "name runs past the end of the message",
		  0 },
	};
	unsigned char	 msg[64];
	char		 out[DNS_NAMEBUF];
	struct dns_msg	 m;
	size_t		 i, off;
	const char	*why;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(msg, 0, sizeof(msg));
		memcpy(msg + 12, cases[i].body, cases[i].len);
		assert_int_equal(dns_msg_init(&m, msg, 12 + cases[i].len,
		    &why), 0);
		off = 12 + cases[i].at;
		if (cases[i].want != NULL) {
			assert_int_equal(dns_get_name(&m, &off, out, &why), 0);
			assert_string_equal(out, cases[i].want);
			assert_int_equal(off, 12 + cases[i].end);
		} else {
			assert_int_equal(dns_get_name(&m, &off, out, &why), -1);
			assert_string_equal(why, cases[i].err);
		}
	}
}

/* Names too long to decode, with and without compression. */
static void
test_name_too_long(void **state)
{
	struct msg	 m;
	struct dns_msg	 dm;
	char		 out[DNS_NAMEBUF], lab[64];
	size_t		 off;
	const char	*why;
	int		 i;

	(void)state;
	memset(lab, 'y', 63);
	hdr(&m, 0, 0, 0, 0, 0, 0);
	for (i = 0; i < 4; i++) {
		m.b[m.n++] = 63;
		raw(&m, lab, 63);
	}
	raw(&m, "", 1);
	assert_int_equal(dns_msg_init(&dm, m.b, m.n, &why), 0);
	off = 12;
	assert_int_equal(dns_get_name(&dm, &off, out, &why), -1);
	assert_string_equal(why, "name longer than 255 octets");
	/* 3 labels of 63 then a pointer to them again: 385 octets */
	hdr(&m, 0, 0, 0, 0, 0, 0);
	for (i = 0; i < 3; i++) {
		m.b[m.n++] = 63;
		raw(&m, lab, 63);
	}
	raw(&m, "", 1);
	m.b[m.n++] = 63;
	raw(&m, lab, 63);
	m.b[m.n++] = 63;
	raw(&m, lab, 63);
	u16(&m, 0xc000 | 12);
	assert_int_equal(dns_msg_init(&dm, m.b, m.n, &why), 0);
	off = 12 + 3 * 64 + 1;
	assert_int_equal(dns_get_name(&dm, &off, out, &why), -1);
	assert_string_equal(why, "name longer than 255 octets");
}

/* ---- reading records ----------------------------------------------- */

static void
test_sections(void **state)
{
	struct msg	 m;
	struct dns_msg	 dm;
	struct dns_rr	 rr;
	struct addr	 a;
	char		 out[DNS_NAMEBUF], txt[64];
	uint16_t	 type, class;
	size_t		 off, full;
	const char	*why;

	(void)state;
	memset(&m, 0, sizeof(m));
	assert_int_equal(dns_msg_init(&dm, m.b, 11, &why), -1);
	assert_string_equal(why, "message shorter than a DNS header");

	hdr(&m, 7, DNS_QR, 1, 3, 0, 0);
	name(&m, "Example.COM");
	u16(&m, DNS_T_A);
	u16(&m, DNS_C_IN);
	u16(&m, 0xc00c);
	rr_tail(&m, DNS_T_A, DNS_C_IN, A7, 4);
	u16(&m, 0xc00c);
	rr_tail(&m, DNS_T_TXT, DNS_C_IN, "\003abc\002de", 7);
	u16(&m, 0xc00c);
	rr_tail(&m, DNS_T_CNAME, DNS_C_IN, "\001w\300\014", 4);
	full = m.n;
	assert_int_equal(dns_msg_init(&dm, m.b, full, &why), 0);
	assert_int_equal(dm.id, 7);
	assert_int_equal(dm.count[0], 1);
	assert_int_equal(dm.count[1], 3);
	off = 12;
	assert_int_equal(dns_get_question(&dm, &off, out, &type, &class,
	    &why), 0);
	assert_string_equal(out, "Example.COM");
	assert_true(dns_name_eq(out, "example.com."));
	assert_false(dns_name_eq(out, "example.co"));
	assert_int_equal(dns_get_rr(&dm, &off, &rr, &why), 0);
	assert_string_equal(rr.name, "Example.COM");
	assert_int_equal(rr.ttl, 60);
	assert_int_equal(dns_rr_addr(&dm, &rr, &a), 0);
	assert_string_equal(a.text, "203.0.113.7");
	assert_int_equal(dns_get_rr(&dm, &off, &rr, &why), 0);
	assert_int_equal(dns_rr_addr(&dm, &rr, &a), -1);
	assert_int_equal(dns_rr_txt(&dm, &rr, txt, sizeof(txt), &why), 0);
	assert_string_equal(txt, "abcde");
	assert_int_equal(dns_rr_txt(&dm, &rr, txt, 5, &why), -1);
	assert_string_equal(why, "TXT record too long");
	assert_int_equal(dns_get_rr(&dm, &off, &rr, &why), 0);
	assert_int_equal(dns_rr_target(&dm, &rr, out, &why), 0);
	assert_string_equal(out, "w.Example.COM");
	assert_int_equal(off, full);

	/* every cut of the message fails cleanly, with the right words */
	for (size_t cut = 12; cut < full; cut++) {
		int	 ok = 1;

		assert_int_equal(dns_msg_init(&dm, m.b, cut, &why), 0);
		off = 12;
		ok = dns_get_question(&dm, &off, out, &type, &class, &why)
		    == 0;
		while (ok && off < cut)
			ok = dns_get_rr(&dm, &off, &rr, &why) == 0;
		if (cut == 12 + 13 + 4 || cut == 12 + 13 + 4 + 16 ||
		    cut == 12 + 13 + 4 + 16 + 19) {
			assert_true(ok);	/* ends on a record boundary */
			continue;
		}
		assert_false(ok);
		assert_true(strstr(why, "cut short") != NULL ||
		    strstr(why, "past the end") != NULL);
	}
	assert_int_equal(dns_msg_init(&dm, m.b, 12 + 13 + 3, &why), 0);
	off = 12;
	assert_int_equal(dns_get_question(&dm, &off, out, &type, &class,
	    &why), -1);
	assert_string_equal(why, "question cut short");
	assert_int_equal(dns_msg_init(&dm, m.b, 12 + 17 + 11, &why), 0);
	off = 12 + 17;
	assert_int_equal(dns_get_rr(&dm, &off, &rr, &why), -1);
	assert_string_equal(why, "resource record cut short");
	assert_int_equal(dns_msg_init(&dm, m.b, 12 + 17 + 14, &why), 0);
	off = 12 + 17;
	assert_int_equal(dns_get_rr(&dm, &off, &rr, &why), -1);
	assert_string_equal(why,
	    "record data runs past the end of the message");
}

static void
test_txt_and_addr_malformed(void **state)
{
	static const struct {
		const char	*rd;
		size_t		 len;
		const char	*err;
	} cases[] = {
		{ "", 0, "TXT record without a string" },
		{ "\005abc", 4, "TXT string runs past its record" },
		{ "\003a\0c", 4, "TXT record with a NUL byte" },
		{ "\000", 1, NULL },
	};
	struct dns_msg	 dm;
	struct dns_rr	 rr;
	struct addr	 a;
	unsigned char	 b[64];
	char		 txt[64];
	size_t		 i;
	const char	*why;

	(void)state;
	memset(b, 0, sizeof(b));
	assert_int_equal(dns_msg_init(&dm, b, sizeof(b), &why), 0);
	memset(&rr, 0, sizeof(rr));
	rr.type = DNS_T_TXT;
	rr.rdoff = 12;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(b + 12, cases[i].rd, cases[i].len);
		rr.rdlen = (uint16_t)cases[i].len;
		if (cases[i].err == NULL) {
			assert_int_equal(dns_rr_txt(&dm, &rr, txt, sizeof(txt),
			    &why), 0);
			continue;
		}
		assert_int_equal(dns_rr_txt(&dm, &rr, txt, sizeof(txt), &why),
		    -1);
		assert_string_equal(why, cases[i].err);
	}
	rr.type = DNS_T_A;
	rr.rdlen = 5;
	assert_int_equal(dns_rr_addr(&dm, &rr, &a), -1);
	rr.type = DNS_T_AAAA;
	rr.rdlen = 4;
	assert_int_equal(dns_rr_addr(&dm, &rr, &a), -1);
	rr.rdlen = 16;
	b[12] = 0x20;
	b[13] = 0x01;
	b[14] = 0x0d;
	b[15] = 0xb8;
	b[27] = 7;
	assert_int_equal(dns_rr_addr(&dm, &rr, &a), 0);
	assert_string_equal(a.text, "2001:db8::7");
	assert_string_equal(dns_rcode_name(2), "SERVFAIL");
	assert_string_equal(dns_rcode_name(15), "unknown RCODE");
}

/* ---- the dns source's judgement of a reply ------------------------- */

#define OPENDNS	"myip.opendns.com"

/* Start a reply to (qname, type, class) with id and flags. */
static void
reply(struct msg *m, unsigned int id, unsigned int flags, unsigned int an,
    const char *qname, unsigned int type, unsigned int class)
{
	hdr(m, id, flags, 1, an, 0, 0);
	name(m, qname);
	u16(m, type);
	u16(m, class);
}

/* A TXT rdata of one string s into rd; its length. */
static size_t
txt1(unsigned char *rd, const char *s)
{
	rd[0] = (unsigned char)strlen(s);
	memcpy(rd + 1, s, rd[0]);
	return (size_t)rd[0] + 1;
}

enum want { W_OK, W_IGN, W_FAIL };

static void
judge(const struct msg *m, const struct dns_question *q, enum fam fam,
    enum want w, const char *text)
{
	struct addr		 a;
	char			*why = NULL;
	enum udp_verdict	 v;

	v = dnsprobe_answer(q, 0x4242, fam, m->b, m->n, &a, &why);
	if (w == W_OK) {
		assert_int_equal(v, UDP_ANSWER);
		assert_string_equal(a.text, text);
	} else {
		assert_int_equal(v, w == W_IGN ? UDP_IGNORE : UDP_FAIL);
		assert_non_null(why);
		assert_string_equal(why, text);
	}
	free(why);
}

static void
test_answer_a(void **state)
{
	struct dns_question q = { OPENDNS, DNS_T_A, DNS_C_IN, 1 };
	struct msg	 m;
	const unsigned int R = DNS_QR | DNS_RD | DNS_RA;

	(void)state;
	reply(&m, 0x4242, R, 1, OPENDNS, DNS_T_A, DNS_C_IN);
	u16(&m, 0xc00c);
	rr_tail(&m, DNS_T_A, DNS_C_IN, A7, 4);
	judge(&m, &q, FAM_V4, W_OK, "203.0.113.7");

	/* 0x20 mixed case in the echoed question is the same question */
	reply(&m, 0x4242, R, 1, "MyIP.OpenDNS.com", DNS_T_A, DNS_C_IN);
	u16(&m, 0xc00c);
	rr_tail(&m, DNS_T_A, DNS_C_IN, A7, 4);
	judge(&m, &q, FAM_V4, W_OK, "203.0.113.7");

	/* the same address twice is one address; other RRs are skipped */
	reply(&m, 0x4242, R, 4, OPENDNS, DNS_T_A, DNS_C_IN);
	u16(&m, 0xc00c);
	rr_tail(&m, 99, DNS_C_IN, "junk", 4);
	u16(&m, 0xc00c);
	rr_tail(&m, DNS_T_A, DNS_C_IN, A7, 4);
	name(&m, "other.example");
	rr_tail(&m, DNS_T_A, DNS_C_IN, A8, 4);
	u16(&m, 0xc00c);
	rr_tail(&m, DNS_T_A, DNS_C_IN, A7, 4);
	judge(&m, &q, FAM_V4, W_OK, "203.0.113.7");

	/* authority and additional sections are not read at all */
	reply(&m, 0x4242, R, 1, OPENDNS, DNS_T_A, DNS_C_IN);
	m.b[9] = 1;
	m.b[11] = 1;
	u16(&m, 0xc00c);
	rr_tail(&m, DNS_T_A, DNS_C_IN, A7, 4);
	raw(&m, "\xc0\xff\xff", 3);
	judge(&m, &q, FAM_V4, W_OK, "203.0.113.7");

	/* a CNAME chain, answers out of order */
	reply(&m, 0x4242, R, 3, OPENDNS, DNS_T_A, DNS_C_IN);
	name(&m, "b.example");
	rr_tail(&m, DNS_T_A, DNS_C_IN, A7, 4);
	u16(&m, 0xc00c);
	rr_tail(&m, DNS_T_CNAME, DNS_C_IN, "\001a\007example\0", 11);
	name(&m, "a.example");
	rr_tail(&m, DNS_T_CNAME, DNS_C_IN, "\001b\007example\0", 11);
	judge(&m, &q, FAM_V4, W_OK, "203.0.113.7");

	/* an A for another name only */
	reply(&m, 0x4242, R, 1, OPENDNS, DNS_T_A, DNS_C_IN);
	name(&m, "other.example");
	rr_tail(&m, DNS_T_A, DNS_C_IN, A7, 4);
	judge(&m, &q, FAM_V4, W_FAIL, "no A record in the answer");

	reply(&m, 0x4242, R, 2, OPENDNS, DNS_T_A, DNS_C_IN);
	u16(&m, 0xc00c);
	rr_tail(&m, DNS_T_A, DNS_C_IN, A7, 4);
	u16(&m, 0xc00c);
	rr_tail(&m, DNS_T_A, DNS_C_IN, A8, 4);
	judge(&m, &q, FAM_V4, W_FAIL,
	    "ambiguous: the answer holds 203.0.113.7 and 203.0.113.8");

	reply(&m, 0x4242, R, 1, OPENDNS, DNS_T_A, DNS_C_IN);
	u16(&m, 0xc00c);
	rr_tail(&m, DNS_T_A, DNS_C_IN, "\1\2\3\4\5", 5);
	judge(&m, &q, FAM_V4, W_FAIL, "malformed A record");

	reply(&m, 0x4242, R, 1, OPENDNS, DNS_T_A, DNS_C_IN);
	u16(&m, 0xc00c);
	rr_tail(&m, DNS_T_A, DNS_C_IN, A7, 4);
	m.b[m.n - 5] = 9;	/* rdlength 9, 4 bytes follow */
	judge(&m, &q, FAM_V4, W_FAIL, "malformed answer: record data runs "
	    "past the end of the message");

	reply(&m, 0x4242, R, 1, OPENDNS, DNS_T_A, DNS_C_IN);
	u16(&m, 0xc000 | (unsigned int)m.n);	/* points at itself */
	rr_tail(&m, DNS_T_A, DNS_C_IN, A7, 4);
	judge(&m, &q, FAM_V4, W_FAIL, "malformed answer: compression "
	    "pointer does not point backwards");

	reply(&m, 0x4242, R, 2, OPENDNS, DNS_T_A, DNS_C_IN);
	u16(&m, 0xc00c);
	rr_tail(&m, DNS_T_A, DNS_C_IN, A7, 4);
	judge(&m, &q, FAM_V4, W_FAIL, "malformed answer: name runs past the "
	    "end of the message");
}

static void
test_answer_foreign_and_errors(void **state)
{
	struct dns_question q = { OPENDNS, DNS_T_A, DNS_C_IN, 1 };
	struct msg	 m;

	(void)state;
	m.n = 5;
	memset(m.b, 0, 5);
	judge(&m, &q, FAM_V4, W_IGN, "message shorter than a DNS header");
	reply(&m, 0x4243, DNS_QR, 1, OPENDNS, DNS_T_A, DNS_C_IN);
	u16(&m, 0xc00c);
	rr_tail(&m, DNS_T_A, DNS_C_IN, A7, 4);
	judge(&m, &q, FAM_V4, W_IGN, "wrong id");
	reply(&m, 0x4242, 0, 0, OPENDNS, DNS_T_A, DNS_C_IN);
	judge(&m, &q, FAM_V4, W_IGN, "not a response to a query");
	reply(&m, 0x4242, DNS_QR | DNS_OP_UPDATE << 11, 0, OPENDNS, DNS_T_A,
	    DNS_C_IN);
	judge(&m, &q, FAM_V4, W_IGN, "not a response to a query");
	reply(&m, 0x4242, DNS_QR, 0, "myip.opendns.org", DNS_T_A, DNS_C_IN);
	judge(&m, &q, FAM_V4, W_IGN, "reply to another question");
	reply(&m, 0x4242, DNS_QR, 0, OPENDNS, DNS_T_AAAA, DNS_C_IN);
	judge(&m, &q, FAM_V4, W_IGN, "reply to another question");
	reply(&m, 0x4242, DNS_QR, 0, OPENDNS, DNS_T_A, DNS_C_CH);
	judge(&m, &q, FAM_V4, W_IGN, "reply to another question");
	hdr(&m, 0x4242, DNS_QR | 2, 0, 0, 0, 0);	/* no question */
	judge(&m, &q, FAM_V4, W_IGN, "reply to another question");
	reply(&m, 0x4242, DNS_QR, 0, OPENDNS, DNS_T_A, DNS_C_IN);
	m.n -= 2;					/* question cut */
	judge(&m, &q, FAM_V4, W_IGN, "reply to another question");

	reply(&m, 0x4242, DNS_QR | DNS_TC, 0, OPENDNS, DNS_T_A, DNS_C_IN);
	judge(&m, &q, FAM_V4, W_FAIL, "truncated reply (TC set): the answer "
	    "does not fit in a UDP datagram");
	reply(&m, 0x4242, DNS_QR | 2, 0, OPENDNS, DNS_T_A, DNS_C_IN);
	judge(&m, &q, FAM_V4, W_FAIL, "SERVFAIL for myip.opendns.com A");
	reply(&m, 0x4242, DNS_QR | 5, 0, OPENDNS, DNS_T_A, DNS_C_IN);
	judge(&m, &q, FAM_V4, W_FAIL, "REFUSED for myip.opendns.com A");
	reply(&m, 0x4242, DNS_QR | 3, 0, OPENDNS, DNS_T_A, DNS_C_IN);
	judge(&m, &q, FAM_V4, W_FAIL, "NXDOMAIN for myip.opendns.com A");
	reply(&m, 0x4242, DNS_QR, 0, OPENDNS, DNS_T_A, DNS_C_IN);
	judge(&m, &q, FAM_V4, W_FAIL, "no A record in the answer");
}

static void
test_answer_txt(void **state)
{
	struct dns_question cf = { "whoami.cloudflare", DNS_T_TXT, DNS_C_CH,
	    1 };
	struct dns_question gg = { "o-o.myaddr.l.google.com", DNS_T_TXT,
	    DNS_C_IN, 0 };
	struct msg	 m;
	unsigned char	 rd[256];
	size_t		 n;

	(void)state;
	reply(&m, 0x4242, DNS_QR, 1, cf.name, DNS_T_TXT, DNS_C_CH);
	u16(&m, 0xc00c);
	n = txt1(rd, "203.0.113.7");
	rr_tail(&m, DNS_T_TXT, DNS_C_CH, rd, n);
	judge(&m, &cf, FAM_V4, W_OK, "203.0.113.7");
	judge(&m, &cf, FAM_V6, W_FAIL,
	    "the answer holds an IPv4 address, not an IPv6 one");

	reply(&m, 0x4242, DNS_QR, 1, cf.name, DNS_T_TXT, DNS_C_CH);
	u16(&m, 0xc00c);
	n = txt1(rd, "2001:DB8::7");
	rr_tail(&m, DNS_T_TXT, DNS_C_CH, rd, n);
	judge(&m, &cf, FAM_V6, W_OK, "2001:db8::7");

	/* a TXT of class IN answering a CH question does not count */
	reply(&m, 0x4242, DNS_QR, 1, cf.name, DNS_T_TXT, DNS_C_CH);
	u16(&m, 0xc00c);
	n = txt1(rd, "203.0.113.7");
	rr_tail(&m, DNS_T_TXT, DNS_C_IN, rd, n);
	judge(&m, &cf, FAM_V4, W_FAIL, "no TXT record in the answer");

	/* Google, behind a resolver that sends ECS: two TXT RRs */
	reply(&m, 0x4242, DNS_QR, 2, gg.name, DNS_T_TXT, DNS_C_IN);
	u16(&m, 0xc00c);
	n = txt1(rd, "edns0-client-subnet 198.51.100.0/24");
	rr_tail(&m, DNS_T_TXT, DNS_C_IN, rd, n);
	u16(&m, 0xc00c);
	n = txt1(rd, "203.0.113.7");
	rr_tail(&m, DNS_T_TXT, DNS_C_IN, rd, n);
	judge(&m, &gg, FAM_V4, W_OK, "203.0.113.7");

	/* strict: quotes, spaces or words around it are not an address */
	reply(&m, 0x4242, DNS_QR, 2, gg.name, DNS_T_TXT, DNS_C_IN);
	u16(&m, 0xc00c);
	n = txt1(rd, "\"203.0.113.7\"");
	rr_tail(&m, DNS_T_TXT, DNS_C_IN, rd, n);
	u16(&m, 0xc00c);
	n = txt1(rd, "ip 203.0.113.7");
	rr_tail(&m, DNS_T_TXT, DNS_C_IN, rd, n);
	judge(&m, &gg, FAM_V4, W_FAIL, "no address in the TXT answer");

	/* split over two character-strings: concatenated */
	reply(&m, 0x4242, DNS_QR, 1, gg.name, DNS_T_TXT, DNS_C_IN);
	u16(&m, 0xc00c);
	rr_tail(&m, DNS_T_TXT, DNS_C_IN, "\007203.0.1\00413.7", 13);
	judge(&m, &gg, FAM_V4, W_OK, "203.0.113.7");

	reply(&m, 0x4242, DNS_QR, 1, gg.name, DNS_T_TXT, DNS_C_IN);
	u16(&m, 0xc00c);
	rr_tail(&m, DNS_T_TXT, DNS_C_IN, "\020203.0.113.7", 12);
	judge(&m, &gg, FAM_V4, W_FAIL,
	    "malformed TXT record: TXT string runs past its record");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_bytes),
		cmocka_unit_test(test_put_name_errors),
		cmocka_unit_test(test_update_bytes),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_name_too_long),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_txt_and_addr_malformed),
		cmocka_unit_test(test_answer_a),
		cmocka_unit_test(test_answer_foreign_and_errors),
		cmocka_unit_test(test_answer_txt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
