/* Signing primitives against published vectors (FIPS 180-2, RFC 4231,
 * RFC 2202, RFC 4648) and the canonical query rules. */
#include "unit.h"

static void
test_sha256(void **state)
{
	char	 out[65];

	(void)state;
	crypto_sha256_hex("", 0, out);
	assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	crypto_sha256_hex("abc", 3, out);
	assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
}

static void
test_hmac(void **state)
{
	unsigned char	 key[20], md[32];
	char		 hex[65];
	size_t		 n;

	(void)state;
	memset(key, 0x0b, sizeof(key));
	/* RFC 4231 test case 1 */
	n = crypto_hmac(0, key, 20, "Hi There", 8, md);
	assert_int_equal(n, 32);
	crypto_hex(md, n, hex);
	assert_string_equal(hex, "b0344c61d8db38535ca8afceaf0bf12b"
	    "881dc200c9833da726e9376c2e32cff7");
	/* RFC 4231 test case 2 */
	n = crypto_hmac(0, "Jefe", 4, "what do ya want for nothing?", 28, md);
	crypto_hex(md, n, hex);
	assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843");
	/* RFC 2202 HMAC-SHA1 test case 2 */
	n = crypto_hmac(1, "Jefe", 4, "what do ya want for nothing?", 28, md);
	assert_int_equal(n, 20);
	crypto_hex(md, n, hex);
	assert_string_equal(hex, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

static void
test_base64(void **state)
{
	static const char *const v[][2] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" },
		{ "foobar", "Zm9vYmFy" },
	};
	size_t	 i;
	char	*b;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		b = crypto_base64((const unsigned char *)v[i][0],
		    strlen(v[i][0]));
		assert_non_null(b);
		assert_string_equal(b, v[i][1]);
		free(b);
	}
}

static void
test_canonical_query(void **state)
{
	static const struct {
		const char	*kv[9];
		const char	*want;
	} v[] = {
		{ { NULL }, "" },
		{ { "b", "2", "a", "1", NULL }, "a=1&b=2" },
		{ { "k", "", NULL }, "k=" },
		{ { "Name", "a b*~", "Line", "默认", NULL },
		  "Line=%E9%BB%98%E8%AE%A4&Name=a%20b%2A~" },
		/* sorted by the encoded name, upper case before lower */
		{ { "a", "1", "B", "2", "_", "3", NULL }, "B=2&_=3&a=1" },
		{ { "t", "2016-02-23T12:46:24Z", NULL },
		  "t=2016-02-23T12%3A46%3A24Z" },
	};
	size_t	 i;
	char	*q;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		q = crypto_canonical_query(v[i].kv);
		assert_non_null(q);
		assert_string_equal(q, v[i].want);
		free(q);
	}
}

static void
test_nonce_and_time(void **state)
{
	char	*a = crypto_nonce(), *b = crypto_nonce(), buf[32];

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(strlen(a), 32);
	assert_string_not_equal(a, b);
	free(a);
	free(b);
	assert_string_equal(crypto_utc(1551113065, "%Y-%m-%d", buf,
	    sizeof(buf)), "2019-02-25");
	assert_string_equal(crypto_utc(1698315752, "%Y-%m-%dT%H:%M:%SZ", buf,
	    sizeof(buf)), "2023-10-26T10:22:32Z");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_hmac),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_canonical_query),
		cmocka_unit_test(test_nonce_and_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
