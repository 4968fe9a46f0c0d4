/*
 * Gandi LiveDNS v5: reply reading, record sets and the PUT body, fed the
 * shapes of Gandi's LiveDNS documentation (rrset_* objects, the "DNS
 * Record Created" answer and the {code, message, object, cause, errors}
 * error bodies).
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/gandi.h"

static void
test_body(void **st)
{
	char	*b;

	(void)st;
	b = gn_body("192.0.2.1", 300);
	assert_string_equal(b, "{\"rrset_values\":[\"192.0.2.1\"],"
	    "\"rrset_ttl\":300}");
	free(b);
	b = gn_body("2001:db8::7", 10800);
	assert_string_equal(b, "{\"rrset_values\":[\"2001:db8::7\"],"
	    "\"rrset_ttl\":10800}");
	free(b);
}

struct rcase {
	long		 status;
	const char	*body;
	enum outcome	 out;
	const char	*why;	/* exact */
};

static void
test_reply_errors(void **st)
{
	static const struct rcase c[] = {
		{ 401, "{\"code\":401,\"message\":\"The server could not "
		    "verify that you authenticated to access the requested "
		    "URL.\",\"object\":\"HTTPUnauthorized\",\"cause\":"
		    "\"Unauthorized\"}", OUT_AUTH,
		    "HTTP 401: Unauthorized: The server could not verify that "
		    "you authenticated to access the requested URL. (check "
		    "token: a Gandi personal access token, not expired)" },
		{ 403, "{\"code\":403,\"message\":\"Access was denied to this "
		    "resource.\",\"object\":\"HTTPForbidden\",\"cause\":"
		    "\"Forbidden\"}", OUT_AUTH,
		    "HTTP 403: Forbidden: Access was denied to this resource. "
		    "(the token needs the permission \"Manage domain name "
		    "technical configurations\" on this domain, and the domain "
		    "must use LiveDNS)" },
		{ 404, "{\"code\":404,\"message\":\"Can't find the DNS record "
		    "www/A in LiveDNS\",\"object\":\"HTTPNotFound\",\"cause\":"
		    "\"Not Found\"}", OUT_CONFIG, "HTTP 404: Not Found: Can't "
		    "find the DNS record www/A in LiveDNS" },
		{ 400, "{\"code\":400,\"cause\":\"Bad Request\",\"message\":"
		    "\"Bad Request\",\"object\":\"HTTPBadRequest\",\"errors\":"
		    "[{\"location\":\"body\",\"name\":\"rrset_ttl\","
		    "\"description\":\"must be >= 300\"},{\"location\":"
		    "\"body\"}]}", OUT_CONFIG, "HTTP 400: Bad Request "
		    "[rrset_ttl: must be >= 300; ?]" },
		{ 429, "{\"code\":429,\"message\":\"Too Many Requests\","
		    "\"cause\":\"Too Many Requests\"}", OUT_TEMPFAIL,
		    "HTTP 429: Too Many Requests" },
		{ 500, "{\"message\":\"oops\"}", OUT_TEMPFAIL,
		    "HTTP 500: oops" },
		{ 502, "<html>bad gateway</html>", OUT_TEMPFAIL, "HTTP 502 (no "
		    "Gandi error in the reply)" },
		{ 418, "{\"cause\":\"a\\nb\"}", OUT_PROTOCOL, "HTTP 418: a?b" },
		{ 200, "<html>nginx</html>", OUT_PROTOCOL, "HTTP 200: not a "
		    "Gandi API reply: '[' or '{' expected near '<'" },
	};
	json_t	*root;
	char	*why;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(gn_reply(c[i].status, c[i].body, &root,
		    &why), c[i].out);
		assert_null(root);
		assert_non_null(why);
		if (strcmp(why, c[i].why) != 0)
			fail_msg("case %zu: %s", i, why);
		free(why);
	}
	assert_int_equal(gn_reply(201, "{\"message\":\"DNS Record "
	    "Created\"}", &root, &why), OUT_CURRENT);
	assert_non_null(root);
	json_decref(root);
	assert_int_equal(gn_reply(204, "", &root, &why), OUT_CURRENT);
	assert_null(root);
}

static void
test_rrset(void **st)
{
	json_t	*root;
	char	*why, *v;
	long	 ttl;
	size_t	 n;

	(void)st;
	assert_int_equal(gn_reply(200, "{\"rrset_name\":\"www\","
	    "\"rrset_type\":\"A\",\"rrset_ttl\":10800,\"rrset_values\":"
	    "[\"192.0.2.1\",\"192.0.2.2\"],\"rrset_href\":\"https://api.gandi"
	    ".net/v5/livedns/domains/example.com/records/www/A\"}", &root,
	    &why), OUT_CURRENT);
	assert_int_equal(gn_parse_rrset(root, &v, &ttl, &n, &why), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v, "192.0.2.1");
	assert_int_equal(ttl, 10800);
	free(v);
	json_decref(root);

	assert_int_equal(gn_reply(200, "{\"rrset_values\":[]}", &root, &why),
	    OUT_CURRENT);
	assert_int_equal(gn_parse_rrset(root, &v, &ttl, &n, &why), 0);
	assert_int_equal(n, 0);
	assert_null(v);
	assert_int_equal(ttl, 0);
	json_decref(root);

	assert_int_equal(gn_reply(200, "{\"rrset_values\":[1]}", &root,
	    &why), OUT_CURRENT);
	assert_int_equal(gn_parse_rrset(root, &v, &ttl, &n, &why), -1);
	assert_string_equal(why, "rrset_values[0] is not a string");
	free(why);
	json_decref(root);

	assert_int_equal(gn_reply(200, "{\"rrset_name\":\"www\"}", &root,
	    &why), OUT_CURRENT);
	assert_int_equal(gn_parse_rrset(root, &v, &ttl, &n, &why), -1);
	assert_string_equal(why, "no \"rrset_values\" array in the reply");
	free(why);
	json_decref(root);
	assert_int_equal(gn_parse_rrset(NULL, &v, &ttl, &n, &why), -1);
	free(why);
}

static void
test_in_table(void **st)
{
	(void)st;
	assert_ptr_equal(provider_find("gandi"), &provider_gandi);
	assert_non_null(provider_gandi.check);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_reply_errors),
		cmocka_unit_test(test_rrset),
		cmocka_unit_test(test_in_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
