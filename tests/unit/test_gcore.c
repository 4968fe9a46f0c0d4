/*
 * Gcore DNS API v2: reply reading, RRset parsing and request bodies, fed
 * replies shaped as Gcore's DNS API reference shows them (GET
 * /v2/zones/{name}, GET /v2/zones/{zone}/{rrset}/{type}, {"error":...}).
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/gcore.h"

/* An RRset as the reference's "Get RRset" example shows it. */
#define RRSET "{\"name\":\"www.example.com\",\"type\":\"A\",\"ttl\":300," \
	"\"meta\":{},\"filters\":null,\"resource_records\":[{\"id\":" \
	"1234567,\"content\":[\"1.2.3.4\"],\"enabled\":true,\"meta\":{}}]}"

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
		{ 401, "{\"error\":\"invalid api key\"}", OUT_AUTH, "HTTP 401: "
		    "invalid api key (check api_key: a permanent API token, "
		    "from the Gcore Customer Portal's profile, API Tokens)" },
		{ 401, "{\"message\":\"Unauthorized\"}", OUT_AUTH, "HTTP 401: "
		    "Unauthorized (check api_key: a permanent API token, "
		    "from the Gcore Customer Portal's profile, API Tokens)" },
		{ 403, "{\"error\":\"forbidden\"}", OUT_AUTH, "HTTP 403: "
		    "forbidden (the token's role may not change DNS: create "
		    "it with the Administrators or Engineers role)" },
		{ 404, "{\"error\":\"zone is not found\"}", OUT_CONFIG,
		    "HTTP 404: zone is not found" },
		{ 400, "{\"error\":\"rrset is already exists\",\"message\":"
		    "\"x\"}", OUT_CONFIG, "HTTP 400: rrset is already exists" },
		{ 429, "{\"error\":\"too many requests\"}", OUT_TEMPFAIL,
		    "HTTP 429: too many requests" },
		{ 502, "<html>Bad gateway</html>", OUT_TEMPFAIL, "HTTP 502 (no "
		    "Gcore error in the reply)" },
		{ 418, "{\"error\":\"a\\nb\"}", OUT_PROTOCOL, "HTTP 418: a?b" },
		{ 200, "<html>nginx</html>", OUT_PROTOCOL, "HTTP 200: not a "
		    "Gcore DNS API reply: '[' or '{' expected near '<'" },
		{ 200, "[]", OUT_PROTOCOL, "HTTP 200: not a Gcore DNS API "
		    "reply: not a JSON object" },
		{ 404, "", OUT_CONFIG, "HTTP 404 (no Gcore error in the "
		    "reply)" },
	};
	json_t	*root;
	char	*why;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(gc_reply(c[i].status, c[i].body, &root,
		    &why), c[i].out);
		assert_null(root);
		assert_non_null(why);
		if (strcmp(why, c[i].why) != 0)
			fail_msg("case %zu: %s", i, why);
		free(why);
	}
	/* A write may answer 200 or 204 with no body. */
	assert_int_equal(gc_reply(204, NULL, &root, &why), OUT_CURRENT);
	assert_null(root);
	assert_null(why);
	assert_int_equal(gc_reply(200, "", &root, &why), OUT_CURRENT);
	assert_null(root);
}

static void
test_zone(void **st)
{
	json_t	*root;
	char	*why;

	(void)st;
	assert_int_equal(gc_reply(200, "{\"id\":12345,\"name\":\"example.com\","
	    "\"nx_ttl\":300,\"retry\":5400,\"refresh\":0,\"expiry\":1209600,"
	    "\"contact\":\"support@gcore.com\",\"serial\":1672933218,"
	    "\"primary_server\":\"ns1.gcorelabs.net\",\"records\":[],"
	    "\"dnssec_enabled\":false,\"status\":\"active\"}", &root, &why),
	    OUT_CURRENT);
	assert_int_equal(gc_parse_zone(root, "example.com"), 1);
	assert_int_equal(gc_parse_zone(root, "EXAMPLE.com."), 1);
	assert_int_equal(gc_parse_zone(root, "example.net"), 0);
	json_decref(root);
	assert_int_equal(gc_reply(200, "{\"zone\":\"example.com\"}", &root,
	    &why), OUT_CURRENT);
	assert_int_equal(gc_parse_zone(root, "example.com"), -1);
	json_decref(root);
}

struct pcase {
	const char	*body, *name, *type;
	int		 ret;
	const char	*answer;	/* or the exact why when ret is -1 */
	size_t		 n;
	long		 ttl;
};

static void
test_rrset(void **st)
{
	static const struct pcase c[] = {
		{ RRSET, "www.example.com", "A", 0, "1.2.3.4", 1, 300 },
		{ RRSET, "WWW.example.com.", "A", 0, "1.2.3.4", 1, 300 },
		{ RRSET, "www.example.com", "AAAA", -1, "the reply is about "
		    "www.example.com A, not www.example.com AAAA", 0, 0 },
		{ RRSET, "example.com", "A", -1, "the reply is about "
		    "www.example.com A, not example.com A", 0, 0 },
		{ "{\"name\":\"example.com.\",\"type\":\"AAAA\",\"ttl\":60,"
		    "\"resource_records\":[{\"content\":[\"2001:db8::1\"]},"
		    "{\"content\":[\"2001:db8::2\"]}]}", "example.com", "AAAA",
		    0, "2001:db8::1", 2, 60 },
		{ "{\"name\":\"a.example.com\",\"type\":\"A\","
		    "\"resource_records\":[]}", "a.example.com", "A", 0, NULL,
		    0, 0 },
		{ "{\"name\":\"a.example.com\",\"type\":\"A\","
		    "\"resource_records\":[{\"content\":\"1.1.1.1\"}]}",
		    "a.example.com", "A", -1, "resource record 0 has no "
		    "\"content\" list", 0, 0 },
		{ "{\"name\":\"a.example.com\",\"type\":\"A\"}",
		    "a.example.com", "A", -1, "no \"resource_records\" array in "
		    "the reply", 0, 0 },
		{ "{\"rrsets\":[]}", "a.example.com", "A", -1, "no name and "
		    "type in the reply", 0, 0 },
	};
	struct gc_rec	 r;
	json_t		*root;
	char		*why;
	size_t		 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(gc_reply(200, c[i].body, &root, &why),
		    OUT_CURRENT);
		assert_int_equal(gc_parse_record(root, c[i].name, c[i].type,
		    &r, &why), c[i].ret);
		if (c[i].ret == -1) {
			assert_string_equal(why, c[i].answer);
			assert_null(r.answer);
			free(why);
		} else {
			if (c[i].answer == NULL)
				assert_null(r.answer);
			else
				assert_string_equal(r.answer, c[i].answer);
			assert_int_equal(r.nanswers, c[i].n);
			assert_int_equal(r.ttl, c[i].ttl);
		}
		gc_rec_free(&r);
		json_decref(root);
	}
}

static void
test_current(void **st)
{
	struct gc_rec	 r;

	(void)st;
	memset(&r, 0, sizeof(r));
	r.answer = "203.0.113.7";
	r.nanswers = 1;
	r.ttl = 300;
	assert_int_equal(gc_current(&r, "203.0.113.7", 0), 1);
	assert_int_equal(gc_current(&r, "203.0.113.7", 300), 1);
	assert_int_equal(gc_current(&r, "203.0.113.7", 60), 0);
	assert_int_equal(gc_current(&r, "203.0.113.8", 0), 0);
	r.nanswers = 2;
	assert_int_equal(gc_current(&r, "203.0.113.7", 0), 0);
}

static void
test_body(void **st)
{
	char	*b;

	(void)st;
	b = gc_build_body("203.0.113.7", 300);
	assert_string_equal(b, "{\"ttl\":300,\"resource_records\":[{\"content\":"
	    "[\"203.0.113.7\"]}]}");
	free(b);
	b = gc_build_body("2001:db8::7", 60);
	assert_string_equal(b, "{\"ttl\":60,\"resource_records\":[{\"content\":"
	    "[\"2001:db8::7\"]}]}");
	free(b);
}

static void
test_in_table(void **st)
{
	(void)st;
	assert_ptr_equal(provider_find("gcore"), &provider_gcore);
	assert_non_null(provider_gcore.check);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply_errors),
		cmocka_unit_test(test_zone),
		cmocka_unit_test(test_rrset),
		cmocka_unit_test(test_current),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_in_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
