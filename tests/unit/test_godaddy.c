/*
 * GoDaddy Domains API v1: endpoint names, reply reading and the PUT body,
 * fed the shapes of GoDaddy's Swagger document (DNSRecord arrays, Error
 * and ErrorLimit bodies) and the error bodies its users quote.
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/godaddy.h"

static void
test_endpoint(void **st)
{
	(void)st;
	assert_string_equal(gd_endpoint(NULL), "https://api.godaddy.com");
	assert_string_equal(gd_endpoint("production"),
	    "https://api.godaddy.com");
	assert_string_equal(gd_endpoint("OTE"), "https://api.ote-godaddy.com");
	assert_string_equal(gd_endpoint("http://127.0.0.1:8080/"),
	    "http://127.0.0.1:8080/");
}

static void
test_body(void **st)
{
	char	*b;

	(void)st;
	b = gd_body("203.0.113.7", 600);
	assert_string_equal(b, "[{\"data\":\"203.0.113.7\",\"ttl\":600}]");
	free(b);
	b = gd_body("2001:db8::7", 3600);
	assert_string_equal(b, "[{\"data\":\"2001:db8::7\",\"ttl\":3600}]");
	free(b);
}

struct rcase {
	long		 status;
	const char	*body;
	enum outcome	 out;
	long		 retry;		/* expected *retry, starting at -1 */
	const char	*why;		/* exact */
};

static void
test_reply_errors(void **st)
{
	static const struct rcase c[] = {
		{ 401, "{\"code\":\"UNABLE_TO_AUTHENTICATE\",\"message\":"
		    "\"Unauthorized : Could not authenticate API key/secret\"}",
		    OUT_AUTH, -1, "HTTP 401: UNABLE_TO_AUTHENTICATE: "
		    "Unauthorized : Could not authenticate API key/secret "
		    "(check key and secret: a Production API key from "
		    "https://developer.godaddy.com/keys (an OTE key works only "
		    "with endpoint \"ote\"))" },
		{ 403, "{\"code\":\"ACCESS_DENIED\",\"message\":"
		    "\"Authenticated user is not allowed access\"}", OUT_AUTH,
		    -1, "HTTP 403: ACCESS_DENIED: Authenticated user is not "
		    "allowed access "
		    "(GoDaddy has limited its production Domains and DNS API, "
		    "since 2024, to accounts with 10 or more domains or a "
		    "Discount Domain Club plan; else the key's account does "
		    "not manage this domain)" },
		{ 404, "{\"code\":\"UNKNOWN_DOMAIN\",\"message\":\"The given "
		    "domain is not registered, or does not have a zone "
		    "file\"}", OUT_CONFIG, -1, "HTTP 404: UNKNOWN_DOMAIN: The "
		    "given domain is not registered, or does not have a zone "
		    "file (is the domain in this GoDaddy account? set \"zone\" "
		    "if it is not the last two labels of the name)" },
		{ 422, "{\"code\":\"INVALID_BODY\",\"fields\":[{\"code\":"
		    "\"OUT_OF_RANGE\",\"message\":\"must be between 600 and "
		    "604800\",\"path\":\"records[0].ttl\"},{\"code\":\"X\"}],"
		    "\"message\":\"Request body doesn't fulfill schema, see "
		    "details in `fields`\"}", OUT_CONFIG, -1, "HTTP 422: "
		    "INVALID_BODY: Request body doesn't fulfill schema, see "
		    "details in `fields` [records[0].ttl: must be between 600 "
		    "and 604800; X]" },
		{ 429, "{\"code\":\"TOO_MANY_REQUESTS\",\"message\":\"Too many "
		    "requests received within interval\",\"retryAfterSec\":45}",
		    OUT_TEMPFAIL, 45, "HTTP 429: TOO_MANY_REQUESTS: Too many "
		    "requests received within interval" },
		{ 429, "{\"code\":\"TOO_MANY_REQUESTS\",\"retryAfterSec\":0}",
		    OUT_TEMPFAIL, -1, "HTTP 429: TOO_MANY_REQUESTS" },
		{ 500, "{\"code\":\"INTERNAL_SERVER_ERROR\",\"message\":\"An "
		    "unexpected error occurred\"}", OUT_TEMPFAIL, -1,
		    "HTTP 500: INTERNAL_SERVER_ERROR: An unexpected error "
		    "occurred" },
		{ 502, "<html>bad gateway</html>", OUT_TEMPFAIL, -1, "HTTP 502 "
		    "(no GoDaddy error in the reply)" },
		{ 418, "{\"code\":\"A\\nB\"}", OUT_PROTOCOL, -1,
		    "HTTP 418: A?B" },
		{ 200, "<html>nginx</html>", OUT_PROTOCOL, -1, "HTTP 200: not "
		    "a GoDaddy API reply: invalid token near '<'" },
	};
	json_t	*root;
	char	*why;
	long	 retry;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		retry = -1;
		assert_int_equal(gd_reply(c[i].status, c[i].body, &root,
		    &retry, &why), c[i].out);
		assert_null(root);
		assert_int_equal(retry, c[i].retry);
		assert_non_null(why);
		if (strcmp(why, c[i].why) != 0)
			fail_msg("case %zu: %s", i, why);
		free(why);
	}
	/* PUT answers 200 with no body. */
	assert_int_equal(gd_reply(200, "", &root, &retry, &why), OUT_CURRENT);
	assert_null(root);
	assert_null(why);
	assert_int_equal(gd_reply(200, NULL, &root, &retry, &why),
	    OUT_CURRENT);
	assert_null(root);
}

static void
test_records(void **st)
{
	json_t	*root;
	char	*why, *data;
	long	 ttl, retry;
	size_t	 n;

	(void)st;
	assert_int_equal(gd_reply(200, "[{\"data\":\"203.0.113.7\",\"name\":"
	    "\"home\",\"ttl\":600,\"type\":\"A\"},{\"data\":\"203.0.113.8\","
	    "\"name\":\"home\",\"ttl\":3600,\"type\":\"A\"}]", &root, &retry,
	    &why), OUT_CURRENT);
	assert_int_equal(gd_parse_records(root, &data, &ttl, &n, &why), 0);
	assert_int_equal(n, 2);
	assert_string_equal(data, "203.0.113.7");
	assert_int_equal(ttl, 600);
	free(data);
	json_decref(root);

	assert_int_equal(gd_reply(200, "[]", &root, &retry, &why),
	    OUT_CURRENT);
	assert_int_equal(gd_parse_records(root, &data, &ttl, &n, &why), 0);
	assert_int_equal(n, 0);
	assert_null(data);
	json_decref(root);

	assert_int_equal(gd_reply(200, "{\"records\":[]}", &root, &retry,
	    &why), OUT_CURRENT);
	assert_int_equal(gd_parse_records(root, &data, &ttl, &n, &why), -1);
	assert_string_equal(why, "the record list is not a JSON array");
	free(why);
	json_decref(root);

	assert_int_equal(gd_reply(200, "[{\"data\":\"1.2.3.4\"},{\"name\":"
	    "\"x\"}]", &root, &retry, &why), OUT_CURRENT);
	assert_int_equal(gd_parse_records(root, &data, &ttl, &n, &why), -1);
	assert_string_equal(why, "record 1 has no data");
	assert_null(data);
	assert_int_equal(n, 0);
	free(why);
	json_decref(root);
	assert_int_equal(gd_parse_records(NULL, &data, &ttl, &n, &why), -1);
	free(why);
}

static void
test_in_table(void **st)
{
	(void)st;
	assert_ptr_equal(provider_find("godaddy"), &provider_godaddy);
	assert_non_null(provider_godaddy.check);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_endpoint),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_reply_errors),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_in_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
