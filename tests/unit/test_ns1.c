/*
 * NS1 API v1: reply reading, record parsing and request bodies, fed
 * replies shaped as NS1's API reference shows them (GET /v1/zones/:zone,
 * GET /v1/zones/:zone/:domain/:type, {"message":...} errors).
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/ns1.h"

/* A record as the reference's "View record details" example shows it. */
#define REC "{\"answers\":[{\"answer\":[\"1.2.3.4\"],\"id\":" \
	"\"6536e8ed1e5ce2000119b5e4\",\"meta\":{}}],\"domain\":" \
	"\"www.example.com\",\"filters\":[],\"id\":\"6536e8ed1e5ce2000119b5e3\"," \
	"\"link\":null,\"meta\":{},\"networks\":[0],\"regions\":{}," \
	"\"tier\":1,\"ttl\":3600,\"type\":\"A\",\"use_client_subnet\":true," \
	"\"zone\":\"example.com\",\"zone_name\":\"example.com\"," \
	"\"override_ttl\":false,\"blocked_tags\":[],\"tags\":{}}"

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
		{ 401, "{\"message\":\"Unauthorized\"}", OUT_AUTH, "HTTP 401: "
		    "Unauthorized (check api_key: an NS1 API key, from the "
		    "portal's Account settings, Users & Teams, API Keys)" },
		{ 403, "{\"message\":\"insufficient permissions\"}", OUT_AUTH,
		    "HTTP 403: insufficient permissions (the API key lacks a "
		    "permission: it needs DNS \"View zones\" and \"Manage "
		    "zones\" for this zone)" },
		{ 404, "{\"message\":\"zone not found\"}", OUT_CONFIG,
		    "HTTP 404: zone not found" },
		{ 400, "{\"message\":\"record already exists\"}", OUT_CONFIG,
		    "HTTP 400: record already exists" },
		{ 429, "{\"message\":\"rate limit exceeded\"}", OUT_TEMPFAIL,
		    "HTTP 429: rate limit exceeded" },
		{ 502, "<html>Bad gateway</html>", OUT_TEMPFAIL, "HTTP 502 (no "
		    "NS1 error in the reply)" },
		{ 418, "{\"message\":\"a\\nb\"}", OUT_PROTOCOL, "HTTP 418: a?b" },
		{ 200, "<html>nginx</html>", OUT_PROTOCOL, "HTTP 200: not an "
		    "NS1 API reply: '[' or '{' expected near '<'" },
		{ 200, "[1]", OUT_PROTOCOL, "HTTP 200: not an NS1 API reply: "
		    "not a JSON object" },
		{ 200, "", OUT_PROTOCOL, "HTTP 200: not an NS1 API reply: "
		    "empty reply" },
	};
	json_t	*root;
	char	*why;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(ns1_reply(c[i].status, c[i].body, &root,
		    &why), c[i].out);
		assert_null(root);
		assert_non_null(why);
		if (strcmp(why, c[i].why) != 0)
			fail_msg("case %zu: %s", i, why);
		free(why);
	}
}

static void
test_zone(void **st)
{
	json_t	*root;
	char	*why;

	(void)st;
	assert_int_equal(ns1_reply(200, "{\"zone\":\"example.com\",\"ttl\":"
	    "3600,\"nx_ttl\":3600,\"retry\":7200,\"refresh\":43200,\"expiry\":"
	    "1209600,\"dns_servers\":[\"dns1.p01.nsone.net\"],\"networks\":"
	    "[0],\"id\":\"52051b2c9f782d58bb4df41b\",\"hostmaster\":"
	    "\"hostmaster@nsone.net\"}", &root, &why), OUT_CURRENT);
	assert_int_equal(ns1_parse_zone(root, "example.com"), 1);
	assert_int_equal(ns1_parse_zone(root, "Example.COM"), 1);
	assert_int_equal(ns1_parse_zone(root, "example.net"), 0);
	json_decref(root);
	assert_int_equal(ns1_reply(200, "{\"name\":\"example.com\"}", &root,
	    &why), OUT_CURRENT);
	assert_int_equal(ns1_parse_zone(root, "example.com"), -1);
	json_decref(root);
}

struct pcase {
	const char	*body, *domain, *type;
	int		 ret;
	const char	*answer;	/* or the exact why when ret is -1 */
	size_t		 n;
	long		 ttl;
};

static void
test_record(void **st)
{
	static const struct pcase c[] = {
		{ REC, "www.example.com", "A", 0, "1.2.3.4", 1, 3600 },
		{ REC, "WWW.example.com", "A", 0, "1.2.3.4", 1, 3600 },
		{ REC, "www.example.com", "AAAA", -1, "the reply is about "
		    "www.example.com A, not www.example.com AAAA", 0, 0 },
		{ "{\"domain\":\"a.example.com\",\"type\":\"A\",\"answers\":[]}",
		    "a.example.com", "A", 0, NULL, 0, 0 },
		{ "{\"domain\":\"a.example.com\",\"type\":\"A\",\"ttl\":60,"
		    "\"answers\":[{\"answer\":[\"1.1.1.1\"]},{\"answer\":"
		    "[\"2.2.2.2\"]}]}", "a.example.com", "A", 0, "1.1.1.1", 2,
		    60 },
		{ "{\"domain\":\"a.example.com\",\"type\":\"A\",\"answers\":"
		    "[{\"answer\":\"1.1.1.1\"}]}", "a.example.com", "A", -1,
		    "answer 0 has no \"answer\" rdata list", 0, 0 },
		{ "{\"domain\":\"a.example.com\",\"type\":\"A\"}",
		    "a.example.com", "A", -1, "no \"answers\" array in the "
		    "reply", 0, 0 },
		{ "{\"zone\":\"example.com\"}", "a.example.com", "A", -1,
		    "no domain and type in the reply", 0, 0 },
	};
	struct ns1_rec	 r;
	json_t		*root;
	char		*why;
	size_t		 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(ns1_reply(200, c[i].body, &root, &why),
		    OUT_CURRENT);
		assert_int_equal(ns1_parse_record(root, c[i].domain,
		    c[i].type, &r, &why), c[i].ret);
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
		ns1_rec_free(&r);
		json_decref(root);
	}
}

static void
test_current(void **st)
{
	struct ns1_rec	 r;

	(void)st;
	memset(&r, 0, sizeof(r));
	r.answer = "2001:DB8:0::7";
	r.nanswers = 1;
	r.ttl = 3600;
	assert_int_equal(ns1_current(&r, "2001:db8::7", 0), 1);
	assert_int_equal(ns1_current(&r, "2001:db8::7", 3600), 1);
	assert_int_equal(ns1_current(&r, "2001:db8::7", 60), 0);
	assert_int_equal(ns1_current(&r, "2001:db8::8", 0), 0);
	r.nanswers = 2;
	assert_int_equal(ns1_current(&r, "2001:db8::7", 0), 0);
	r.nanswers = 0;
	r.answer = NULL;
	assert_int_equal(ns1_current(&r, "2001:db8::7", 0), 0);
}

struct bcase {
	int		 create;
	const char	*zone, *domain, *type, *data;
	long		 ttl;
	const char	*body;
};

static void
test_body(void **st)
{
	static const struct bcase c[] = {
		{ 1, "example.com", "www.example.com", "A", "203.0.113.7", 0,
		    "{\"zone\":\"example.com\",\"domain\":\"www.example.com\","
		    "\"type\":\"A\",\"answers\":[{\"answer\":[\"203.0.113.7\"]}]}" },
		{ 1, "example.com", "example.com", "AAAA", "2001:db8::7", 300,
		    "{\"zone\":\"example.com\",\"domain\":\"example.com\","
		    "\"type\":\"AAAA\",\"answers\":[{\"answer\":[\"2001:db8::7\"]}],"
		    "\"ttl\":300}" },
		{ 0, "example.com", "www.example.com", "A", "203.0.113.8", 0,
		    "{\"answers\":[{\"answer\":[\"203.0.113.8\"]}]}" },
		{ 0, "example.com", "www.example.com", "A", "203.0.113.8", 60,
		    "{\"answers\":[{\"answer\":[\"203.0.113.8\"]}],\"ttl\":60}" },
	};
	char	*body;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		body = ns1_build_body(c[i].create, c[i].zone, c[i].domain,
		    c[i].type, c[i].data, c[i].ttl);
		assert_non_null(body);
		assert_string_equal(body, c[i].body);
		free(body);
	}
}

static void
test_in_table(void **st)
{
	(void)st;
	assert_ptr_equal(provider_find("ns1"), &provider_ns1);
	assert_non_null(provider_ns1.check);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply_errors),
		cmocka_unit_test(test_zone),
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_current),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_in_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
