/* probe/stun.c, the pure part: the Binding request, and replies judged
 * against the RFC 5769 test vectors and malformed variants of them. */
#include "unit.h"
#include "probe/udp.h"

/* RFC 5769 section 2: the transaction id of every sample message. */
static const unsigned char TXID[12] = {
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae
};
static const char PASSWORD[] = "VOkJxbRl1RmTxUk/WvJxBt";

/* RFC 5769 2.1, sample request (for its FINGERPRINT). */
static const unsigned char req_2_1[] = {
	0x00, 0x01, 0x00, 0x58, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01,
	0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x10,
	0x53, 0x54, 0x55, 0x4e, 0x20, 0x74, 0x65, 0x73, 0x74, 0x20, 0x63, 0x6c,
	0x69, 0x65, 0x6e, 0x74, 0x00, 0x24, 0x00, 0x04, 0x6e, 0x00, 0x01, 0xff,
	0x80, 0x29, 0x00, 0x08, 0x93, 0x2f, 0xf9, 0xb1, 0x51, 0x26, 0x3b, 0x36,
	0x00, 0x06, 0x00, 0x09, 0x65, 0x76, 0x74, 0x6a, 0x3a, 0x68, 0x36, 0x76,
	0x59, 0x20, 0x20, 0x20, 0x00, 0x08, 0x00, 0x14, 0x9a, 0xea, 0xa7, 0x0c,
	0xbf, 0xd8, 0xcb, 0x56, 0x78, 0x1e, 0xf2, 0xb5, 0xb2, 0xd3, 0xf2, 0x49,
	0xc1, 0xb5, 0x71, 0xa2, 0x80, 0x28, 0x00, 0x04, 0xe5, 0x7a, 0x3b, 0xcf
};

/* RFC 5769 2.2, sample IPv4 response: 192.0.2.1 port 32853. */
static const unsigned char resp_2_2[] = {
	0x01, 0x01, 0x00, 0x3c, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01,
	0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x0b,
	0x74, 0x65, 0x73, 0x74, 0x20, 0x76, 0x65, 0x63, 0x74, 0x6f, 0x72, 0x20,
	0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43,
	0x00, 0x08, 0x00, 0x14, 0x2b, 0x91, 0xf5, 0x99, 0xfd, 0x9e, 0x90, 0xc3,
	0x8c, 0x74, 0x89, 0xf9, 0x2a, 0xf9, 0xba, 0x53, 0xf0, 0x6b, 0xe7, 0xd7,
	0x80, 0x28, 0x00, 0x04, 0xc0, 0x7d, 0x4c, 0x96
};

/* RFC 5769 2.3, sample IPv6 response: 2001:db8:1234:5678:11:2233:4455:6677
 * port 32853. */
static const unsigned char resp_2_3[] = {
	0x01, 0x01, 0x00, 0x48, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01,
	0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x0b,
	0x74, 0x65, 0x73, 0x74, 0x20, 0x76, 0x65, 0x63, 0x74, 0x6f, 0x72, 0x20,
	0x00, 0x20, 0x00, 0x14, 0x00, 0x02, 0xa1, 0x47, 0x01, 0x13, 0xa9, 0xfa,
	0xa5, 0xd3, 0xf1, 0x79, 0xbc, 0x25, 0xf4, 0xb5, 0xbe, 0xd2, 0xb9, 0xd9,
	0x00, 0x08, 0x00, 0x14, 0xa3, 0x82, 0x95, 0x4e, 0x4b, 0xe6, 0x7b, 0xf1,
	0x17, 0x84, 0xc9, 0x7c, 0x82, 0x92, 0xc2, 0x75, 0xbf, 0xe3, 0xed, 0x41,
	0x80, 0x28, 0x00, 0x04, 0xc8, 0xfb, 0x0b, 0x4c
};

/* A message being assembled: header then attributes. */
struct msg {
	unsigned char	 b[256];
	size_t		 n;
};

static void
start(struct msg *m, unsigned int type)
{
	m->b[0] = type >> 8;
	m->b[1] = type & 0xff;
	m->b[2] = m->b[3] = 0;
	m->b[4] = 0x21;
	m->b[5] = 0x12;
	m->b[6] = 0xa4;
	m->b[7] = 0x42;
	memcpy(m->b + 8, TXID, 12);
	m->n = 20;
}

/* Append attribute t with value v (len), padded; fix the length. */
static void
attr(struct msg *m, unsigned int t, const void *v, size_t len)
{
	size_t	 pad = (4 - len % 4) % 4;

	m->b[m->n++] = t >> 8;
	m->b[m->n++] = t & 0xff;
	m->b[m->n++] = len >> 8;
	m->b[m->n++] = len & 0xff;
	memcpy(m->b + m->n, v, len);
	m->n += len;
	memset(m->b + m->n, 0, pad);
	m->n += pad;
	m->b[2] = (m->n - 20) >> 8;
	m->b[3] = (m->n - 20) & 0xff;
}

/* Append a correct FINGERPRINT. */
static void
fingerprint(struct msg *m)
{
	unsigned char	 v[4];
	uint32_t	 c;

	m->b[2] = (m->n + 8 - 20) >> 8;
	m->b[3] = (m->n + 8 - 20) & 0xff;
	c = stun_crc32(m->b, m->n) ^ 0x5354554eu;
	v[0] = c >> 24;
	v[1] = c >> 16;
	v[2] = c >> 8;
	v[3] = c;
	attr(m, 0x8028, v, 4);
}

/* XOR-MAPPED-ADDRESS value of 203.0.113.7 port 40000. */
static void
xor_v4(unsigned char v[8])
{
	static const unsigned char a[] = { 203, 0, 113, 7 };
	unsigned int	 port = 40000 ^ 0x2112;
	int		 i;

	v[0] = 0;
	v[1] = 1;
	v[2] = port >> 8;
	v[3] = port & 0xff;
	for (i = 0; i < 4; i++)
		v[4 + i] = a[i] ^ (unsigned char[]){ 0x21, 0x12, 0xa4, 0x42 }[i];
}

enum want { W_OK, W_IGN, W_FAIL };

static void
judge(const unsigned char *p, size_t len, enum fam fam, enum want w,
    const char *text, unsigned int wport)
{
	struct addr		 a;
	unsigned int		 port = 0;
	char			*why = NULL;
	enum udp_verdict	 v;

	v = stun_parse(TXID, fam, p, len, &a, &port, &why);
	if (w == W_OK) {
		assert_int_equal(v, UDP_ANSWER);
		assert_string_equal(a.text, text);
		assert_int_equal(port, wport);
		assert_null(why);
	} else {
		assert_int_equal(v, w == W_IGN ? UDP_IGNORE : UDP_FAIL);
		assert_non_null(why);
		assert_string_equal(why, text);
	}
	free(why);
}

static void
test_request(void **state)
{
	static const unsigned char want[] = {
		0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7,
		0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae
	};
	unsigned char	 buf[32];

	(void)state;
	assert_int_equal(stun_request(TXID, buf), 20);
	assert_memory_equal(buf, want, 20);
}

static void
test_crc32(void **state)
{
	(void)state;
	/* the CRC-32 check value */
	assert_int_equal(stun_crc32((const unsigned char *)"123456789", 9),
	    0xcbf43926u);
	/* RFC 5769 2.1: FINGERPRINT is over everything before it */
	assert_int_equal(stun_crc32(req_2_1, sizeof(req_2_1) - 8) ^
	    0x5354554eu, 0xe57a3bcfu);
}

/*
 * The vectors are exact: their MESSAGE-INTEGRITY (HMAC-SHA1 keyed with
 * the RFC's password, over the message up to it with the length field
 * ending at it) verifies, so not one byte was mistyped.
 */
static void
check_integrity(const unsigned char *msg, size_t mi_off)
{
	unsigned char	 copy[256], mac[32];
	size_t		 mlen = mi_off + 24 - 20;

	memcpy(copy, msg, mi_off);
	copy[2] = mlen >> 8;
	copy[3] = mlen & 0xff;
	assert_int_equal(crypto_hmac(1, PASSWORD, strlen(PASSWORD), copy,
	    mi_off, mac), 20);
	assert_memory_equal(mac, msg + mi_off + 4, 20);
}

static void
test_rfc5769(void **state)
{
	(void)state;
	check_integrity(req_2_1, sizeof(req_2_1) - 8 - 24);
	check_integrity(resp_2_2, sizeof(resp_2_2) - 8 - 24);
	check_integrity(resp_2_3, sizeof(resp_2_3) - 8 - 24);
	judge(resp_2_2, sizeof(resp_2_2), FAM_V4, W_OK, "192.0.2.1", 32853);
	judge(resp_2_3, sizeof(resp_2_3), FAM_V6, W_OK,
	    "2001:db8:1234:5678:11:2233:4455:6677", 32853);
	/* a request is not a reply, even with our id */
	judge(req_2_1, sizeof(req_2_1), FAM_V4, W_IGN,
	    "not a Binding response (type 0x0001)", 0);
	/* the family asked must be the family seen */
	judge(resp_2_2, sizeof(resp_2_2), FAM_V6, W_FAIL,
	    "the server saw an IPv4 address, not an IPv6 one", 0);
}

/* One byte changed in the vector: each check catches its own. */
static void
test_rfc5769_tampered(void **state)
{
	unsigned char	 b[sizeof(resp_2_2)];
	size_t		 n = sizeof(b);

	(void)state;
	memcpy(b, resp_2_2, n);
	b[n - 1] ^= 1;
	judge(b, n, FAM_V4, W_FAIL, "FINGERPRINT does not match the message",
	    0);
	memcpy(b, resp_2_2, n);
	b[45] ^= 1;		/* the address: FINGERPRINT catches it */
	judge(b, n, FAM_V4, W_FAIL, "FINGERPRINT does not match the message",
	    0);
	memcpy(b, resp_2_2, n);
	b[19] ^= 1;
	judge(b, n, FAM_V4, W_IGN, "another transaction", 0);
	memcpy(b, resp_2_2, n);
	b[7] ^= 1;
	judge(b, n, FAM_V4, W_IGN, "another transaction", 0);
	memcpy(b, resp_2_2, n);
	b[0] |= 0x80;
	judge(b, n, FAM_V4, W_IGN, "not a STUN message", 0);
	judge(resp_2_2, 19, FAM_V4, W_IGN, "not a STUN message", 0);
	judge(resp_2_2, n - 4, FAM_V4, W_FAIL, "malformed response: its "
	    "length field says 60 bytes, the datagram holds 56", 0);
	memcpy(b, resp_2_2, n);
	b[3] = 0x3d;
	judge(b, n, FAM_V4, W_FAIL, "malformed response: its length field "
	    "says 61 bytes, the datagram holds 60", 0);
	memcpy(b, resp_2_2, n);
	b[23] = 0x40;		/* SOFTWARE claims 64 bytes */
	judge(b, n, FAM_V4, W_FAIL,
	    "malformed response: attribute 0x8022 runs past the end", 0);
}

static void
test_built(void **state)
{
	struct msg	 m;
	unsigned char	 v[20];

	(void)state;
	/* XOR-MAPPED-ADDRESS alone, no FINGERPRINT: fine */
	start(&m, 0x0101);
	xor_v4(v);
	attr(&m, 0x0020, v, 8);
	judge(m.b, m.n, FAM_V4, W_OK, "203.0.113.7", 40000);
	/* the pre-RFC 5389 code for it */
	start(&m, 0x0101);
	attr(&m, 0x8020, v, 8);
	fingerprint(&m);
	judge(m.b, m.n, FAM_V4, W_OK, "203.0.113.7", 40000);
	/* unknown comprehension-optional attributes are skipped */
	start(&m, 0x0101);
	attr(&m, 0x802b, "\0\1\0\0\1\2\3\4", 8);	/* RESPONSE-ORIGIN */
	attr(&m, 0xc0de, "abc", 3);
	attr(&m, 0x0020, v, 8);
	fingerprint(&m);
	judge(m.b, m.n, FAM_V4, W_OK, "203.0.113.7", 40000);
	/* an RFC 3489 server: MAPPED-ADDRESS, SOURCE- and CHANGED-ADDRESS */
	start(&m, 0x0101);
	attr(&m, 0x0001, "\0\1\x9c\x40\xcb\0\x71\x07", 8);
	attr(&m, 0x0004, "\0\1\x0d\x96\xc0\0\2\1", 8);
	attr(&m, 0x0005, "\0\1\x0d\x97\xc0\0\2\2", 8);
	judge(m.b, m.n, FAM_V4, W_OK, "203.0.113.7", 40000);
	/* both: XOR-MAPPED-ADDRESS wins (a NAT may rewrite the other) */
	start(&m, 0x0101);
	attr(&m, 0x0001, "\0\1\0\1\xc6\x33\x64\x09", 8);
	attr(&m, 0x0020, v, 8);
	judge(m.b, m.n, FAM_V4, W_OK, "203.0.113.7", 40000);
	/* an unknown comprehension-required attribute fails the reply */
	start(&m, 0x0101);
	attr(&m, 0x0020, v, 8);
	attr(&m, 0x0030, "x", 1);
	judge(m.b, m.n, FAM_V4, W_FAIL,
	    "unknown comprehension-required attribute 0x0030", 0);
	/* FINGERPRINT must be last, even when it matches */
	start(&m, 0x0101);
	m.b[3] = 8 + 12;
	{
		uint32_t	 c = stun_crc32(m.b, 20) ^ 0x5354554eu;
		unsigned char	 f[4] = { c >> 24, c >> 16, c >> 8, c };

		attr(&m, 0x8028, f, 4);
	}
	attr(&m, 0x0020, v, 8);
	judge(m.b, m.n, FAM_V4, W_FAIL,
	    "malformed response: attributes after FINGERPRINT", 0);
	start(&m, 0x0101);
	attr(&m, 0x8028, "\0\0\0\0\0", 5);
	judge(m.b, m.n, FAM_V4, W_FAIL,
	    "FINGERPRINT does not match the message", 0);
	/* nothing to go by */
	start(&m, 0x0101);
	attr(&m, 0x8022, "srv", 3);
	judge(m.b, m.n, FAM_V4, W_FAIL,
	    "no XOR-MAPPED-ADDRESS or MAPPED-ADDRESS in the response", 0);
	/* bad address attributes */
	start(&m, 0x0101);
	v[1] = 3;
	attr(&m, 0x0020, v, 8);
	judge(m.b, m.n, FAM_V4, W_FAIL, "malformed XOR-MAPPED-ADDRESS", 0);
	start(&m, 0x0101);
	v[1] = 2;		/* IPv6 with 4 address bytes */
	attr(&m, 0x0020, v, 8);
	judge(m.b, m.n, FAM_V4, W_FAIL, "malformed XOR-MAPPED-ADDRESS", 0);
	start(&m, 0x0101);
	attr(&m, 0x0001, "\0\1\0\1\xc6\x33", 6);
	judge(m.b, m.n, FAM_V4, W_FAIL, "malformed MAPPED-ADDRESS", 0);
	/* another method's success */
	start(&m, 0x0103);
	judge(m.b, m.n, FAM_V4, W_IGN,
	    "not a Binding response (type 0x0103)", 0);
}

static void
test_error_response(void **state)
{
	struct msg	 m;

	(void)state;
	start(&m, 0x0111);
	attr(&m, 0x0009, "\0\0\4\x14Unknown Attribute", 21);
	attr(&m, 0x000a, "\0\x30", 2);
	fingerprint(&m);
	judge(m.b, m.n, FAM_V4, W_FAIL,
	    "error response 420: Unknown Attribute", 0);
	start(&m, 0x0111);
	attr(&m, 0x0009, "\0\0\5\0", 4);
	judge(m.b, m.n, FAM_V4, W_FAIL, "error response 500", 0);
	start(&m, 0x0111);
	attr(&m, 0x0009, "\0\0", 2);
	judge(m.b, m.n, FAM_V4, W_FAIL, "malformed ERROR-CODE", 0);
	start(&m, 0x0111);
	judge(m.b, m.n, FAM_V4, W_FAIL,
	    "error response without ERROR-CODE", 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_crc32),
		cmocka_unit_test(test_rfc5769),
		cmocka_unit_test(test_rfc5769_tampered),
		cmocka_unit_test(test_built),
		cmocka_unit_test(test_error_response),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
