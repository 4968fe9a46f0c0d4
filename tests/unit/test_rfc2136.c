/*
 * rfc2136: UPDATE building and TSIG signing checked byte for byte against
 * vectors computed independently with dnspython 2.3 (dns.tsig.sign over
 * a message packed by hand in Python; tests/unit/rfc2136_vectors.py made
 * them), reply verification against a reply dnspython signed as a server
 * (make_response + to_wire), tampered and late replies, the server's TSIG
 * errors and the RCODE mapping.
 */
#include "unit.h"
#include "dnswire.h"
#include "providers/providers.h"
#include "providers/rfc2136.h"

#define SECRET	"ZGRuc3VwIHRlc3Qga2V5IGZvciByZmMyMTM2IHRzaWc="
#define KEYNAME	"ddns-key.example"
#define T	1700000000

/* ---- vectors (dnspython, see the header) ---- */
static const unsigned char upd_sha256[] = {
	0x12, 0x34, 0x28, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01,
	0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x04, 0x74, 0x65, 0x73,
	0x74, 0x00, 0x00, 0x06, 0x00, 0x01, 0x04, 0x68, 0x6f, 0x6d, 0x65, 0x07,
	0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x04, 0x74, 0x65, 0x73, 0x74,
	0x00, 0x00, 0x01, 0x00, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04,
	0x68, 0x6f, 0x6d, 0x65, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65,
	0x04, 0x74, 0x65, 0x73, 0x74, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
	0x01, 0x2c, 0x00, 0x04, 0xcb, 0x00, 0x71, 0x07, 0x08, 0x64, 0x64, 0x6e,
	0x73, 0x2d, 0x6b, 0x65, 0x79, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c,
	0x65, 0x00, 0x00, 0xfa, 0x00, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3d,
	0x0b, 0x68, 0x6d, 0x61, 0x63, 0x2d, 0x73, 0x68, 0x61, 0x32, 0x35, 0x36,
	0x00, 0x00, 0x00, 0x65, 0x53, 0xf1, 0x00, 0x01, 0x2c, 0x00, 0x20, 0x6e,
	0x68, 0xe4, 0xe3, 0x4b, 0xd2, 0xc5, 0x44, 0xaa, 0x1a, 0xe8, 0x2f, 0xdc,
	0xd8, 0x60, 0xf8, 0x11, 0x06, 0x3b, 0x3b, 0xec, 0xce, 0x75, 0x6d, 0xd8,
	0x8f, 0x22, 0x56, 0xd8, 0x8d, 0xd4, 0xfd, 0x12, 0x34, 0x00, 0x00, 0x00,
	0x00,
};
static const unsigned char upd_sha512[] = {
	0x12, 0x34, 0x28, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01,
	0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x04, 0x74, 0x65, 0x73,
	0x74, 0x00, 0x00, 0x06, 0x00, 0x01, 0x04, 0x68, 0x6f, 0x6d, 0x65, 0x07,
	0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x04, 0x74, 0x65, 0x73, 0x74,
	0x00, 0x00, 0x01, 0x00, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04,
	0x68, 0x6f, 0x6d, 0x65, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65,
	0x04, 0x74, 0x65, 0x73, 0x74, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
	0x01, 0x2c, 0x00, 0x04, 0xcb, 0x00, 0x71, 0x07, 0x08, 0x64, 0x64, 0x6e,
	0x73, 0x2d, 0x6b, 0x65, 0x79, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c,
	0x65, 0x00, 0x00, 0xfa, 0x00, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x5d,
	0x0b, 0x68, 0x6d, 0x61, 0x63, 0x2d, 0x73, 0x68, 0x61, 0x35, 0x31, 0x32,
	0x00, 0x00, 0x00, 0x65, 0x53, 0xf1, 0x00, 0x01, 0x2c, 0x00, 0x40, 0xd3,
	0x66, 0x66, 0xe6, 0x61, 0x73, 0x1b, 0x59, 0xb4, 0xfa, 0x26, 0xd7, 0x08,
	0x2d, 0x03, 0x0f, 0x6a, 0xe4, 0xa6, 0xe6, 0x62, 0x34, 0x82, 0x66, 0xb3,
	0x97, 0x08, 0x3e, 0xbc, 0x75, 0xb7, 0x39, 0xb1, 0x5f, 0x29, 0x09, 0x86,
	0x12, 0x17, 0x33, 0xd3, 0x5f, 0xe6, 0x23, 0x80, 0x47, 0x86, 0x58, 0x11,
	0x01, 0x11, 0x7a, 0x21, 0x8b, 0x91, 0xbf, 0x94, 0x1f, 0xe1, 0xc9, 0x60,
	0x07, 0x95, 0xad, 0x12, 0x34, 0x00, 0x00, 0x00, 0x00,
};
static const unsigned char upd_sha1[] = {
	0x12, 0x34, 0x28, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01,
	0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x04, 0x74, 0x65, 0x73,
	0x74, 0x00, 0x00, 0x06, 0x00, 0x01, 0x04, 0x68, 0x6f, 0x6d, 0x65, 0x07,
	0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x04, 0x74, 0x65, 0x73, 0x74,
	0x00, 0x00, 0x01, 0x00, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04,
	0x68, 0x6f, 0x6d, 0x65, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65,
	0x04, 0x74, 0x65, 0x73, 0x74, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
	0x01, 0x2c, 0x00, 0x04, 0xcb, 0x00, 0x71, 0x07, 0x08, 0x64, 0x64, 0x6e,
	0x73, 0x2d, 0x6b, 0x65, 0x79, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c,
	0x65, 0x00, 0x00, 0xfa, 0x00, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2f,
	0x09, 0x68, 0x6d, 0x61, 0x63, 0x2d, 0x73, 0x68, 0x61, 0x31, 0x00, 0x00,
	0x00, 0x65, 0x53, 0xf1, 0x00, 0x01, 0x2c, 0x00, 0x14, 0x95, 0x24, 0xd8,
	0x4d, 0xb2, 0x0b, 0x62, 0xca, 0xec, 0x77, 0x96, 0xbe, 0xe6, 0xe6, 0x3a,
	0xb9, 0x93, 0x22, 0xfe, 0x65, 0x12, 0x34, 0x00, 0x00, 0x00, 0x00,
};
static const unsigned char upd_aaaa[] = {
	0xbe, 0xef, 0x28, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01,
	0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x04, 0x74, 0x65, 0x73,
	0x74, 0x00, 0x00, 0x06, 0x00, 0x01, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70,
	0x6c, 0x65, 0x04, 0x74, 0x65, 0x73, 0x74, 0x00, 0x00, 0x1c, 0x00, 0xff,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70,
	0x6c, 0x65, 0x04, 0x74, 0x65, 0x73, 0x74, 0x00, 0x00, 0x1c, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x3c, 0x00, 0x10, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x64,
	0x64, 0x6e, 0x73, 0x2d, 0x6b, 0x65, 0x79, 0x07, 0x65, 0x78, 0x61, 0x6d,
	0x70, 0x6c, 0x65, 0x00, 0x00, 0xfa, 0x00, 0xff, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x3d, 0x0b, 0x68, 0x6d, 0x61, 0x63, 0x2d, 0x73, 0x68, 0x61, 0x32,
	0x35, 0x36, 0x00, 0x00, 0x00, 0x65, 0x53, 0xf1, 0x00, 0x01, 0x2c, 0x00,
	0x20, 0x7d, 0xa0, 0x4a, 0x35, 0x9b, 0xaf, 0x3a, 0xbb, 0xab, 0x7b, 0x6f,
	0x49, 0x6c, 0x4a, 0x06, 0xfd, 0xb3, 0xab, 0x32, 0x4c, 0x57, 0xae, 0x60,
	0x7d, 0xc3, 0x32, 0x1a, 0x8a, 0xdd, 0xbc, 0x2b, 0xb8, 0xbe, 0xef, 0x00,
	0x00, 0x00, 0x00,
};
static const unsigned char reply_ok[] = {
	0x12, 0x34, 0xa8, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x04, 0x74, 0x65, 0x73,
	0x74, 0x00, 0x00, 0x06, 0x00, 0x01, 0x08, 0x64, 0x64, 0x6e, 0x73, 0x2d,
	0x6b, 0x65, 0x79, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x00,
	0x00, 0xfa, 0x00, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3d, 0x0b, 0x68,
	0x6d, 0x61, 0x63, 0x2d, 0x73, 0x68, 0x61, 0x32, 0x35, 0x36, 0x00, 0x00,
	0x00, 0x65, 0x53, 0xf1, 0x05, 0x01, 0x2c, 0x00, 0x20, 0x3f, 0x99, 0x67,
	0xb0, 0x13, 0x67, 0x10, 0xe3, 0x3e, 0xe3, 0x58, 0xc4, 0x00, 0x56, 0xc1,
	0x08, 0x0c, 0xa2, 0x41, 0x3d, 0xc3, 0x44, 0xcb, 0xd4, 0xd0, 0x08, 0xd8,
	0xdb, 0x2d, 0x50, 0xab, 0x20, 0x12, 0x34, 0x00, 0x00, 0x00, 0x00,
};

static struct r2136_key
key(const char *alg)
{
	struct r2136_key	 k;
	char			*why = NULL;

	assert_int_equal(r2136_key_init(&k, KEYNAME, alg, SECRET, &why), 0);
	assert_null(why);
	return k;
}

/* Build the UPDATE of name to text with ttl, sign it with alg at T. */
static size_t
signed_update(const char *alg, uint16_t id, const char *name,
    const char *text, uint32_t ttl, unsigned char *buf, size_t cap,
    unsigned char *mac, size_t *maclen)
{
	struct r2136_key	 k = key(alg);
	struct addr		 a;
	const char		*why = NULL;
	size_t			 len;

	assert_int_equal(addr_parse(text, FAM_MAX, &a), 0);
	assert_int_equal(r2136_update(id, "example.test", name, &a, ttl, buf,
	    cap, &len, &why), 0);
	assert_int_equal(r2136_sign(&k, buf, &len, cap, T, mac, maclen,
	    &why), 0);
	return len;
}

static void
test_sign_vectors(void **st)
{
	static const struct {
		const char		*alg, *name, *addr;
		uint16_t		 id;
		uint32_t		 ttl;
		const unsigned char	*want;
		size_t			 wantlen, maclen;
	} c[] = {
		{ "hmac-sha256", "home.example.test", "203.0.113.7", 0x1234,
		    300, upd_sha256, sizeof(upd_sha256), 32 },
		{ "HMAC-SHA512.", "home.example.test", "203.0.113.7", 0x1234,
		    300, upd_sha512, sizeof(upd_sha512), 64 },
		{ "hmac-sha1", "home.example.test", "203.0.113.7", 0x1234,
		    300, upd_sha1, sizeof(upd_sha1), 20 },
		{ NULL, "example.test", "2001:db8::1", 0xbeef, 60, upd_aaaa,
		    sizeof(upd_aaaa), 32 },
	};
	unsigned char	 buf[2048], mac[R2136_MACMAX];
	size_t		 i, len, maclen;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		len = signed_update(c[i].alg, c[i].id, c[i].name, c[i].addr,
		    c[i].ttl, buf, sizeof(buf), mac, &maclen);
		assert_int_equal(len, c[i].wantlen);
		assert_memory_equal(buf, c[i].want, len);
		assert_int_equal(maclen, c[i].maclen);
		/* the MAC sits before the original id, error, other len */
		assert_memory_equal(mac, c[i].want + len - 6 - maclen, maclen);
	}
}

static void
test_query(void **st)
{
	static const unsigned char want[] = {
		0xab, 0xcd, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x04, 'h', 'o', 'm', 'e', 0x07, 'e', 'x', 'a', 'm',
		'p', 'l', 'e', 0x04, 't', 'e', 's', 't', 0x00, 0x00, 0x1c,
		0x00, 0x01
	};
	unsigned char	 buf[64];
	const char	*why = NULL;
	size_t		 len;

	(void)st;
	assert_int_equal(r2136_query(0xabcd, "home.example.test.", 28, buf,
	    sizeof(buf), &len, &why), 0);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(buf, want, len);
	assert_int_equal(r2136_query(1, "a..b", 1, buf, sizeof(buf), &len,
	    &why), -1);
	assert_string_equal(why, "empty label in a name");
}

static void
test_key_init(void **st)
{
	static const struct {
		const char	*name, *alg, *secret, *why;
	} c[] = {
		{ "k.", "hmac-md5", SECRET, "key_algorithm \"hmac-md5\" is "
		    "not one of hmac-sha256, hmac-sha512, hmac-sha1" },
		{ "k", NULL, "not base64!", "key_secret is not base64 (as "
		    "in the key file's secret \"...\"; at most 256 octets)" },
		{ "k", NULL, "YWJj=", "key_secret is not base64 (as in the "
		    "key file's secret \"...\"; at most 256 octets)" },
		{ "k", NULL, "YW=j", "key_secret is not base64 (as in the "
		    "key file's secret \"...\"; at most 256 octets)" },
		{ "", NULL, SECRET, "key_name \"\" is not a DNS name" },
		{ "a..b", NULL, SECRET, "key_name \"a..b\" is not a DNS "
		    "name" },
	};
	struct r2136_key	 k;
	char			*why;
	size_t			 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		why = NULL;
		assert_int_equal(r2136_key_init(&k, c[i].name, c[i].alg,
		    c[i].secret, &why), -1);
		assert_string_equal(why, c[i].why);
		free(why);
	}
	assert_int_equal(r2136_key_init(&k, "DDNS-Key.Example.", "Hmac-Sha1.",
	    "YWI=", &why), 0);
	assert_string_equal(k.name, "ddns-key.example");
	assert_string_equal(k.alg, "hmac-sha1");
	assert_int_equal(k.secretlen, 2);
	assert_memory_equal(k.secret, "ab", 2);
}

/* The request MAC of the sha256 vector. */
static void
request_mac(unsigned char *mac, size_t *maclen)
{
	unsigned char	 buf[2048];

	signed_update("hmac-sha256", 0x1234, "home.example.test",
	    "203.0.113.7", 300, buf, sizeof(buf), mac, maclen);
}

static void
test_verify_dnspython_reply(void **st)
{
	struct r2136_key	 k = key(NULL);
	struct r2136_reply	 r;
	unsigned char		 mac[R2136_MACMAX], bad[sizeof(reply_ok)];
	size_t			 maclen;
	char			*why;

	(void)st;
	request_mac(mac, &maclen);
	r2136_verify(&k, reply_ok, sizeof(reply_ok), mac, maclen, T, &r);
	assert_int_equal(r.sig, R2136_SIG_OK);
	assert_int_equal(r.id, 0x1234);
	assert_int_equal(r.rcode, 0);
	assert_int_equal(r2136_outcome(1, 0, &r, &k, "example.test",
	    "home.example.test", "A", &why), OUT_UPDATED);
	assert_null(why);

	/* a tampered MAC */
	memcpy(bad, reply_ok, sizeof(bad));
	bad[sizeof(bad) - 7] ^= 1;
	r2136_verify(&k, bad, sizeof(bad), mac, maclen, T, &r);
	assert_int_equal(r.sig, R2136_SIG_BADMAC);
	assert_int_equal(r2136_outcome(1, 0, &r, &k, "example.test",
	    "home.example.test", "A", &why), OUT_PROTOCOL);
	assert_string_equal(why, "the reply's TSIG does not verify: a MAC "
	    "that does not verify with our key (a forged or broken reply)");
	free(why);

	/* a tampered RCODE under a good MAC */
	memcpy(bad, reply_ok, sizeof(bad));
	bad[3] |= 5;
	r2136_verify(&k, bad, sizeof(bad), mac, maclen, T, &r);
	assert_int_equal(r.sig, R2136_SIG_BADMAC);

	/* another request's MAC: a reply to someone else */
	mac[0] ^= 1;
	r2136_verify(&k, reply_ok, sizeof(reply_ok), mac, maclen, T, &r);
	assert_int_equal(r.sig, R2136_SIG_BADMAC);
	mac[0] ^= 1;

	/* another secret */
	k.secret[0] ^= 1;
	r2136_verify(&k, reply_ok, sizeof(reply_ok), mac, maclen, T, &r);
	assert_int_equal(r.sig, R2136_SIG_BADMAC);
	k.secret[0] ^= 1;

	/* signed at T + 5: still fine 300 s later, not 301 s, nor before */
	r2136_verify(&k, reply_ok, sizeof(reply_ok), mac, maclen, T + 305,
	    &r);
	assert_int_equal(r.sig, R2136_SIG_OK);
	r2136_verify(&k, reply_ok, sizeof(reply_ok), mac, maclen, T + 306,
	    &r);
	assert_int_equal(r.sig, R2136_SIG_BADTIME);
	assert_int_equal(r2136_outcome(1, 0, &r, &k, "example.test",
	    "home.example.test", "A", &why), OUT_AUTH);
	assert_string_equal(why, "the reply was signed -301 s from our "
	    "clock (fudge 300 s): the clocks differ: check NTP");
	free(why);
	r2136_verify(&k, reply_ok, sizeof(reply_ok), mac, maclen, T - 296,
	    &r);
	assert_int_equal(r.sig, R2136_SIG_BADTIME);
	assert_int_equal(r.skew, 301);

	/* cut short, and with an octet after the TSIG */
	r2136_verify(&k, reply_ok, sizeof(reply_ok) - 1, mac, maclen, T, &r);
	assert_int_equal(r.sig, R2136_SIG_MALFORMED);
	assert_int_equal(r2136_outcome(1, 0, &r, &k, "example.test",
	    "home.example.test", "A", &why), OUT_PROTOCOL);
	assert_string_equal(why, "malformed reply: record data runs past "
	    "the end of the message");
	free(why);
}

/* A reply of rcode with a TSIG RR carrying error and other data (6
 * octets of server time when stime != 0), MAC empty; into buf. */
static size_t
tsig_error_reply(unsigned int rcode, unsigned int error, uint64_t stime,
    unsigned char *buf, size_t cap)
{
	static const unsigned char alg[] = { 11, 'h', 'm', 'a', 'c', '-',
	    's', 'h', 'a', '2', '5', '6', 0 };
	unsigned char	 rd[64];
	struct dns_buf	 b;
	size_t		 n = sizeof(alg), len;
	const char	*why;
	int		 i;

	memcpy(rd, alg, n);
	for (i = 5; i >= 0; i--)
		rd[n++] = (T >> (8 * i)) & 0xff;
	rd[n++] = 0x01;		/* fudge 300 */
	rd[n++] = 0x2c;
	rd[n++] = 0;		/* MAC size 0 */
	rd[n++] = 0;
	rd[n++] = 0x12;		/* original id */
	rd[n++] = 0x34;
	rd[n++] = error >> 8;
	rd[n++] = error & 0xff;
	rd[n++] = 0;
	rd[n++] = stime != 0 ? 6 : 0;
	for (i = 5; stime != 0 && i >= 0; i--)
		rd[n++] = (stime >> (8 * i)) & 0xff;
	dns_buf_init(&b, buf, cap);
	dns_put_header(&b, 0x1234, DNS_QR | DNS_OP_UPDATE << 11 | rcode, 1, 0,
	    0, 1);
	dns_put_question(&b, "example.test", DNS_T_SOA, DNS_C_IN);
	dns_put_rr(&b, "ddns-key.example.", 250, 255, 0, rd, (uint16_t)n);
	assert_int_equal(dns_finish(&b, &len, &why), 0);
	return len;
}

static void
test_server_tsig_errors(void **st)
{
	static const struct {
		unsigned int	 error;
		uint64_t	 stime;
		const char	*why;
	} c[] = {
		{ R2136_BADSIG, 0, "TSIG error BADSIG: the server's key "
		    "ddns-key.example has another secret: check key_secret" },
		{ R2136_BADKEY, 0, "TSIG error BADKEY: the server knows no "
		    "key ddns-key.example with algorithm hmac-sha256: check "
		    "key_name and key_algorithm" },
		{ R2136_BADTIME, T + 3600, "TSIG error BADTIME: the server's "
		    "clock is 3600 s from ours (fudge 300 s): the clocks "
		    "differ: check NTP" },
		{ R2136_BADTRUNC, 0, "TSIG error BADTRUNC: the server refuses "
		    "our MAC's length" },
		{ 99, 0, "TSIG error 99" },
	};
	struct r2136_key	 k = key(NULL);
	struct r2136_reply	 r;
	unsigned char		 buf[512], mac[R2136_MACMAX];
	size_t			 i, len, maclen;
	char			*why;

	(void)st;
	request_mac(mac, &maclen);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		len = tsig_error_reply(9, c[i].error, c[i].stime, buf,
		    sizeof(buf));
		r2136_verify(&k, buf, len, mac, maclen, T, &r);
		assert_int_equal(r.sig, R2136_SIG_ERROR);
		assert_int_equal(r.tsig_error, c[i].error);
		assert_int_equal(r2136_outcome(i % 2, 0, &r, &k, "example.test",
		    "home.example.test", "A", &why), OUT_AUTH);
		assert_string_equal(why, c[i].why);
		free(why);
	}
	/* BADKEY after the key signed the query's answer: the policy */
	len = tsig_error_reply(9, R2136_BADKEY, 0, buf, sizeof(buf));
	r2136_verify(&k, buf, len, mac, maclen, T, &r);
	assert_int_equal(r2136_outcome(1, 1, &r, &k, "example.test",
	    "home.example.test", "A", &why), OUT_AUTH);
	assert_string_equal(why, "TSIG error BADKEY on the UPDATE, though "
	    "the server signed our query's answer with that key: key "
	    "ddns-key.example may not update home.example.test A: the "
	    "server's policy needs a grant for it (BIND: update-policy { "
	    "grant ddns-key.example name home.example.test. A; }; Knot: an "
	    "acl with key ddns-key.example, action update, update-owner name "
	    "and update-owner-name home.example.test.)");
	free(why);
	/* signed with a key or an algorithm that is not ours */
	k.name[0] = 'e';
	len = tsig_error_reply(9, R2136_BADSIG, 0, buf, sizeof(buf));
	r2136_verify(&k, buf, len, mac, maclen, T, &r);
	assert_int_equal(r.sig, R2136_SIG_BADMAC);
	assert_string_equal(r.why, "signed with another key "
	    "(ddns-key.example)");
	k = key("hmac-sha1");
	r2136_verify(&k, buf, len, mac, maclen, T, &r);
	assert_int_equal(r.sig, R2136_SIG_BADMAC);
	assert_string_equal(r.why, "signed with another algorithm "
	    "(hmac-sha256)");
}

static void
test_rcodes(void **st)
{
	static const struct {
		unsigned int	 rcode;
		enum r2136_sig	 sig;
		enum outcome	 out;
		const char	*why;
	} c[] = {
		{ 0, R2136_SIG_NONE, OUT_PROTOCOL, "the server's NOERROR is "
		    "not signed: the update cannot be trusted to have "
		    "happened" },
		{ 2, R2136_SIG_NONE, OUT_TEMPFAIL, "SERVFAIL: the server "
		    "could not apply the update now" },
		{ 3, R2136_SIG_OK, OUT_CONFIG, "NXDOMAIN: the server has no "
		    "zone example.test" },
		{ 4, R2136_SIG_NONE, OUT_CONFIG, "NOTIMP: the server does "
		    "not take dynamic updates for example.test" },
		{ 5, R2136_SIG_OK, OUT_AUTH, "REFUSED: key ddns-key.example "
		    "may not update home.example.test A: the server's policy "
		    "needs a grant for it (BIND: update-policy { grant "
		    "ddns-key.example name home.example.test. A; }; Knot: an "
		    "acl with key ddns-key.example, action update, "
		    "update-owner name and update-owner-name "
		    "home.example.test.)" },
		{ 9, R2136_SIG_NONE, OUT_CONFIG, "NOTAUTH: the server is not "
		    "authoritative for zone example.test: check zone and "
		    "server" },
		{ 10, R2136_SIG_OK, OUT_CONFIG, "NOTZONE: home.example.test "
		    "is not in zone example.test" },
		{ 1, R2136_SIG_NONE, OUT_PROTOCOL, "FORMERR: an answer an "
		    "UPDATE without prerequisites does not expect" },
		{ 7, R2136_SIG_OK, OUT_PROTOCOL, "YXRRSET: an answer an "
		    "UPDATE without prerequisites does not expect" },
	};
	struct r2136_key	 k = key(NULL);
	struct r2136_reply	 r;
	size_t			 i;
	char			*why;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		memset(&r, 0, sizeof(r));
		r.rcode = c[i].rcode;
		r.sig = c[i].sig;
		assert_int_equal(r2136_outcome(1, 0, &r, &k, "example.test",
		    "home.example.test", "A", &why), c[i].out);
		assert_string_equal(why, c[i].why);
		free(why);
		/* a query's answer only stops us for a TSIG problem */
		assert_int_equal(r2136_outcome(0, 0, &r, &k, "example.test",
		    "home.example.test", "A", &why), OUT_CURRENT);
		assert_null(why);
	}
}

static void
test_answer(void **st)
{
	static const unsigned char a1[] = { 203, 0, 113, 7 };
	static const unsigned char a2[] = { 203, 0, 113, 8 };
	unsigned char	 buf[512];
	struct dns_buf	 b;
	struct addr	 have[4];
	const char	*why = NULL;
	size_t		 len, n;
	uint32_t	 ttl;

	(void)st;
	dns_buf_init(&b, buf, sizeof(buf));
	dns_put_header(&b, 7, DNS_QR | DNS_AA, 1, 4, 0, 0);
	dns_put_question(&b, "home.example.test", DNS_T_A, DNS_C_IN);
	dns_put_rr(&b, "other.example.test", DNS_T_A, DNS_C_IN, 5, a2, 4);
	dns_put_rr(&b, "HOME.example.test", DNS_T_A, DNS_C_IN, 120, a1, 4);
	dns_put_rr(&b, "home.example.test", DNS_T_A, DNS_C_CH, 5, a2, 4);
	dns_put_rr(&b, "home.example.test", DNS_T_A, DNS_C_IN, 120, a2, 4);
	assert_int_equal(dns_finish(&b, &len, &why), 0);
	assert_int_equal(r2136_answer(buf, len, "home.example.test.",
	    DNS_T_A, have, 4, &n, &ttl, &why), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ttl, 120);
	assert_string_equal(have[0].text, "203.0.113.7");
	assert_string_equal(have[1].text, "203.0.113.8");
	assert_int_equal(r2136_answer(buf, len, "home.example.test",
	    DNS_T_AAAA, have, 4, &n, &ttl, &why), 0);
	assert_int_equal(n, 0);
	assert_int_equal(r2136_answer(buf, len - 1, "home.example.test",
	    DNS_T_A, have, 4, &n, &ttl, &why), -1);
	assert_string_equal(why, "record data runs past the end of the "
	    "message");
	buf[len - 5] = 3;	/* rdlength 4 -> 3: bytes left over, then short */
	assert_int_equal(r2136_answer(buf, len - 1, "home.example.test",
	    DNS_T_A, have, 4, &n, &ttl, &why), -1);
	assert_string_equal(why, "an address record of the wrong length");
}

static void
test_is_apex(void **st)
{
	static const unsigned char soa[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	static const struct {
		const char	*owner;	/* of the SOA, NULL: none */
		uint16_t	 flags;
		const char	*cand;
		int		 want;
	} c[] = {
		{ "example.test", DNS_QR | DNS_AA, "example.test.", 1 },
		{ "EXAMPLE.test.", DNS_QR | DNS_AA, "example.test", 1 },
		{ "example.test", DNS_QR, "example.test", 0 },
		{ "example.test", DNS_QR | DNS_AA | 5, "example.test", 0 },
		{ "example.test", DNS_QR | DNS_AA, "home.example.test", 0 },
		{ NULL, DNS_QR | DNS_AA, "example.test", 0 },
	};
	unsigned char	 buf[512];
	struct dns_buf	 b;
	const char	*why = NULL;
	size_t		 i, len;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		dns_buf_init(&b, buf, sizeof(buf));
		dns_put_header(&b, 7, c[i].flags, 1, c[i].owner != NULL, 0, 0);
		dns_put_question(&b, c[i].cand, DNS_T_SOA, DNS_C_IN);
		if (c[i].owner != NULL)
			dns_put_rr(&b, c[i].owner, DNS_T_SOA, DNS_C_IN, 60,
			    soa, sizeof(soa));
		assert_int_equal(dns_finish(&b, &len, &why), 0);
		assert_int_equal(r2136_is_apex(buf, len, c[i].cand, &why),
		    c[i].want);
	}
	assert_int_equal(r2136_is_apex(buf, 11, "example.test", &why), -1);
	assert_string_equal(why, "message shorter than a DNS header");
}

static void
test_in_table(void **st)
{
	(void)st;
	assert_ptr_equal(provider_find("rfc2136"), &provider_rfc2136);
	assert_non_null(provider_rfc2136.check);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_vectors),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_key_init),
		cmocka_unit_test(test_verify_dnspython_reply),
		cmocka_unit_test(test_server_tsig_errors),
		cmocka_unit_test(test_rcodes),
		cmocka_unit_test(test_answer),
		cmocka_unit_test(test_is_apex),
		cmocka_unit_test(test_in_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
