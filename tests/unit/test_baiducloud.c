/*
 * Baidu AI Cloud DNS provider: the bce-auth-v1 signer against Baidu's
 * published example, request building, and the pure reply parsers fed
 * replies shaped like the API documents' examples.
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/baiducloud.h"

/* ---- signer ------------------------------------------------------------- */

/*
 * Baidu's published example ("生成认证字符串" / "在Header中包含认证字符串",
 * https://cloud.baidu.com/doc/Reference/s/Gjwvz1xez): BOS UploadPart, AK
 * 32 'a', SK 32 'b', 2015-04-27T08:23:49Z, 1800 s, the default signed
 * headers. Published: the signature d74a0436...999e. The signing key and
 * canonical request are the intermediate values that lead to it.
 */
static void
test_published_vector(void **unused)
{
	static const char *const kv[] = {
		"partNumber", "9",
		"uploadId", "a44cc9bab11cbd156984767aad637851",
		NULL
	};
	static const char *const hdrs[] = {
		"Host", "bj.bcebos.com",
		"Content-Type", "text/plain",
		"Content-Length", "8",
		"Content-Md5", "NFzcPqhviddjRNnSOGo4rw==",
		"x-bce-date", "2015-04-27T08:23:49Z",
		NULL
	};
	char	 key[65];
	char	*auth, *canon;

	(void)unused;
	assert_int_equal(baiducloud_signing_key("bce-auth-v1/"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/2015-04-27T08:23:49Z/1800",
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", key), 0);
	assert_string_equal(key, "1d5ce5f464064cbee060330d973218821825ac69523"
	    "68a482a592e6615aef479");
	auth = baiducloud_sign("PUT", "/v1/test/myfolder/readme.txt", kv, hdrs,
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "2015-04-27T08:23:49Z", 1800,
	    &canon);
	assert_non_null(auth);
	assert_string_equal(canon, "PUT\n/v1/test/myfolder/readme.txt\n"
	    "partNumber=9&uploadId=a44cc9bab11cbd156984767aad637851\n"
	    "content-length:8\n"
	    "content-md5:NFzcPqhviddjRNnSOGo4rw%3D%3D\n"
	    "content-type:text%2Fplain\n"
	    "host:bj.bcebos.com\n"
	    "x-bce-date:2015-04-27T08%3A23%3A49Z");
	/* The published string leaves signedHeaders empty (the defaults);
	 * we name them. The signature is the published one. */
	assert_string_equal(auth, "bce-auth-v1/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"
	    "2015-04-27T08:23:49Z/1800/"
	    "content-length;content-md5;content-type;host;x-bce-date/"
	    "d74a04362e6a848f5b39b15421cb449427f419c95a480fd6b8cf9fc783e2999e");
	free(auth);
	free(canon);
}

/*
 * Not published: computed independently with Python's hmac/hashlib and
 * urllib.parse.quote(safe="-_.~") (tests/integration/mock_baiducloud.py
 * does the same). Covers '*', ' ', '~', UTF-8 in the path and the query,
 * an empty value ("marker="), "authorization" left out of the query, a
 * port in the host (':' encoded) and the published path example
 * "/example/测试" -> "/example/%E6%B5%8B%E8%AF%95".
 */
static void
test_encoding(void **unused)
{
	static const char *const kv[] = {
		"rr", "*.a b~\xe9\xbb\x98\xe8\xae\xa4",
		"marker", "",
		"authorization", "x",
		NULL
	};
	static const char *const hdrs[] = {
		"Host", " 127.0.0.1:8443 ",
		"X-Bce-Date", "2026-11-23T14:00:00Z",
		NULL
	};
	static const char *const none[] = { NULL };
	char	*auth, *canon;

	(void)unused;
	auth = baiducloud_sign("GET",
	    "/v1/dns/zone/\xe4\xbe\x8b\xe5\xad\x90.com/record", kv, hdrs,
	    "AK0123456789", "SK/+secret", "2026-11-23T14:00:00Z", 1800, &canon);
	assert_non_null(auth);
	assert_string_equal(canon, "GET\n"
	    "/v1/dns/zone/%E4%BE%8B%E5%AD%90.com/record\n"
	    "marker=&rr=%2A.a%20b~%E9%BB%98%E8%AE%A4\n"
	    "host:127.0.0.1%3A8443\n"
	    "x-bce-date:2026-11-23T14%3A00%3A00Z");
	assert_string_equal(auth, "bce-auth-v1/AK0123456789/"
	    "2026-11-23T14:00:00Z/1800/host;x-bce-date/"
	    "3869302856760e0f57d3fc90315f5cc31da6da06a7e8bbbd54217c0fa19f1997");
	free(auth);
	free(canon);
	auth = baiducloud_sign("GET", "/example/\xe6\xb5\x8b\xe8\xaf\x95", none,
	    none, "a", "b", "t", 1800, &canon);
	assert_non_null(auth);
	assert_string_equal(canon, "GET\n/example/%E6%B5%8B%E8%AF%95\n\n");
	free(auth);
	free(canon);
}

/* A whole update request, as sent. Signature computed with Python. */
static void
test_build_put(void **unused)
{
	static const char *const kv[] = {
		"clientToken", "0123456789abcdef0123456789abcdef",
		NULL
	};
	struct baiducloud_call	 c;

	(void)unused;
	assert_int_equal(baiducloud_build("PUT", "https://dns.baidubce.com",
	    "dns.baidubce.com", "/v1/dns/zone/example.com/record/rc-1", kv,
	    "{}", "AK0123456789", "SK/+secret", 1795442400, &c), 0);
	assert_string_equal(c.url, "https://dns.baidubce.com/v1/dns/zone/"
	    "example.com/record/rc-1?clientToken="
	    "0123456789abcdef0123456789abcdef");
	assert_string_equal(c.hdr[0], "Host: dns.baidubce.com");
	assert_string_equal(c.hdr[1], "x-bce-date: 2026-11-23T14:00:00Z");
	assert_string_equal(c.hdr[2], "Authorization: bce-auth-v1/AK0123456789/"
	    "2026-11-23T14:00:00Z/1800/content-type;host;x-bce-date/"
	    "628ffc8b1e715e4874634a3994c43056a25f39153133b4bda805f305b4a25771");
	assert_string_equal(c.hdr[3], "Content-Type: application/json; "
	    "charset=utf-8");
	assert_string_equal(c.hdr[4], "Accept: application/json");
	assert_null(c.hdr[5]);
	baiducloud_call_free(&c);
}

/* A GET has no body: no Content-Type, none signed. */
static void
test_build_get(void **unused)
{
	static const char *const kv[] = { "rr", "@", NULL };
	struct baiducloud_call	 c;

	(void)unused;
	assert_int_equal(baiducloud_build("GET", "http://127.0.0.1:8080",
	    "127.0.0.1:8080", "/v1/dns/zone/example.com/record", kv, NULL,
	    "AK", "SK", 0, &c), 0);
	assert_string_equal(c.url, "http://127.0.0.1:8080/v1/dns/zone/"
	    "example.com/record?rr=%40");
	assert_string_equal(c.hdr[0], "Host: 127.0.0.1:8080");
	assert_non_null(strstr(c.hdr[2], "/1800/host;x-bce-date/"));
	assert_string_equal(c.hdr[3], "Content-Type:");
	baiducloud_call_free(&c);
}

/* ---- replies ------------------------------------------------------------ */

static void
test_codes(void **unused)
{
	static const struct {
		const char	*code;
		long		 status;
		enum outcome	 out;
	} t[] = {
		{ "SignatureDoesNotMatch", 400, OUT_AUTH },
		{ "InvalidAccessKeyId", 403, OUT_AUTH },
		{ "InvalidHTTPAuthHeader", 400, OUT_AUTH },
		{ "AccessDenied", 403, OUT_AUTH },
		{ "OptInRequired", 403, OUT_CONFIG },
		{ "NoSuchZone", 404, OUT_CONFIG },
		{ "RequestExpired", 400, OUT_PROTOCOL },
		{ "InternalError", 500, OUT_TEMPFAIL },
		{ "RequestLimitExceeded", 400, OUT_TEMPFAIL },
		{ "SomethingNew", 429, OUT_TEMPFAIL },
		{ "SomethingNew", 503, OUT_TEMPFAIL },
		{ "SomethingNew", 400, OUT_PROTOCOL },
	};
	size_t	 i;

	(void)unused;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(baiducloud_code_outcome(t[i].code,
		    t[i].status), t[i].out);
}

static void
test_reply(void **unused)
{
	json_t	*root;
	char	*code, *why;

	(void)unused;
	/* The writes answer an empty 200. */
	assert_int_equal(baiducloud_reply(200, "", &root, &code, &why),
	    OUT_CURRENT);
	assert_null(root);
	assert_null(why);
	assert_int_equal(baiducloud_reply(400, "{\"requestId\":\"r-1\","
	    "\"code\":\"SignatureDoesNotMatch\",\"message\":\"The request "
	    "signature we calculated does not match the signature you "
	    "provided.\"}", &root, &code, &why), OUT_AUTH);
	assert_string_equal(code, "SignatureDoesNotMatch");
	assert_string_equal(why, "HTTP 400: SignatureDoesNotMatch: The "
	    "request signature we calculated does not match the signature you "
	    "provided. (secret_access_key is not the Secret Access Key of "
	    "access_key_id (wrong or mistyped?))");
	free(code);
	free(why);
	assert_int_equal(baiducloud_reply(200, "<html>", &root, &code, &why),
	    OUT_PROTOCOL);
	assert_null(code);
	assert_non_null(strstr(why, "HTTP 200: not a Baidu AI Cloud API "
	    "reply"));
	free(why);
	assert_int_equal(baiducloud_reply(502, "<html>bad gateway", &root,
	    &code, &why), OUT_TEMPFAIL);
	assert_string_equal(why, "HTTP 502 (no Baidu AI Cloud error in the "
	    "reply)");
	free(why);
	/* Control characters in a message cannot forge output lines. */
	assert_int_equal(baiducloud_reply(403, "{\"code\":\"AccessDenied\","
	    "\"message\":\"no\\nddnsup: fake\"}", &root, &code, &why),
	    OUT_AUTH);
	assert_non_null(strstr(why, "no?ddnsup: fake"));
	assert_non_null(strstr(why, "DNS management or operations"));
	free(code);
	free(why);
}

static void
test_records(void **unused)
{
	static const char *body = "{\"marker\":\"\",\"isTruncated\":true,"
	    "\"nextMarker\":\"rc-next\",\"maxKeys\":100,\"records\":["
	    "{\"id\":\"rc-ct\",\"rr\":\"home\",\"status\":\"running\","
	    "\"type\":\"A\",\"value\":\"198.51.100.9\",\"ttl\":300,"
	    "\"line\":\"ct\"},"
	    "{\"id\":\"rc-aaaa\",\"rr\":\"home\",\"type\":\"AAAA\","
	    "\"value\":\"2001:db8::1\",\"ttl\":300,\"line\":\"default\"},"
	    "{\"id\":\"rc-1\",\"rr\":\"HOME\",\"type\":\"A\","
	    "\"value\":\"198.51.100.1\",\"ttl\":600,\"line\":\"default\"},"
	    "{\"id\":\"rc-2\",\"rr\":\"home\",\"type\":\"A\","
	    "\"value\":\"198.51.100.2\",\"ttl\":600}]}";
	struct baiducloud_rec	 r;
	size_t			 n = 0;
	char			*next, *code, *why;

	(void)unused;
	memset(&r, 0, sizeof(r));
	assert_int_equal(baiducloud_parse_records(200, body, "home", "A",
	    "default", &r, &n, &next, &code, &why), OUT_CURRENT);
	assert_int_equal(n, 2);
	assert_string_equal(r.id, "rc-1");
	assert_string_equal(r.value, "198.51.100.1");
	assert_int_equal(r.ttl, 600);
	assert_string_equal(next, "rc-next");
	free(next);
	baiducloud_rec_free(&r);
	n = 0;
	assert_int_equal(baiducloud_parse_records(200, body, "home", "A",
	    "ct", &r, &n, &next, &code, &why), OUT_CURRENT);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "rc-ct");
	free(next);
	baiducloud_rec_free(&r);
	n = 0;
	assert_int_equal(baiducloud_parse_records(200, "{\"records\":[]}",
	    "home", "A", "default", &r, &n, &next, &code, &why), OUT_CURRENT);
	assert_int_equal(n, 0);
	assert_null(r.id);
	assert_null(next);
	assert_int_equal(baiducloud_parse_records(200, "{\"zones\":[]}",
	    "home", "A", "default", &r, &n, &next, &code, &why), OUT_PROTOCOL);
	free(why);
	assert_int_equal(baiducloud_parse_records(200, "{\"records\":[{\"rr\":"
	    "\"home\",\"type\":\"A\",\"value\":\"1.2.3.4\",\"id\":\"a/b\"}]}",
	    "home", "A", "default", &r, &n, &next, &code, &why), OUT_PROTOCOL);
	assert_non_null(strstr(why, "no usable id"));
	free(why);
	assert_null(r.id);
}

static void
test_dup_codes(void **unused)
{
	(void)unused;
	assert_true(baiducloud_dup_code("RecordAlreadyExists"));
	assert_false(baiducloud_dup_code("AccessDenied"));
	assert_false(baiducloud_dup_code(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_published_vector),
		cmocka_unit_test(test_encoding),
		cmocka_unit_test(test_build_put),
		cmocka_unit_test(test_build_get),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_dup_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
