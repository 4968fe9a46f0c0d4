/*
 * Spaceship DNS records API: reply reading, record-list pages and request
 * bodies. The list is shaped as docs.spaceship.dev and Spaceship's own
 * Terraform client show it ({"items":[{type,name,address,ttl,group}],
 * "total":n}); the error bodies as public clients read them
 * ({"detail","data":[{"field","details"}]}).
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/spaceship.h"

#define PAGE "{\"items\":[" \
	"{\"type\":\"A\",\"name\":\"@\",\"address\":\"198.51.100.1\"," \
	"\"ttl\":3600,\"group\":{\"type\":\"custom\"}}," \
	"{\"type\":\"CNAME\",\"name\":\"www\",\"cname\":\"example.com\"," \
	"\"ttl\":3600,\"group\":{\"type\":\"custom\"}}," \
	"{\"type\":\"A\",\"name\":\"Home\",\"address\":\"198.51.100.2\"," \
	"\"ttl\":1800,\"group\":{\"type\":\"custom\"}}," \
	"{\"type\":\"AAAA\",\"name\":\"home\",\"address\":\"2001:db8:0::7\"," \
	"\"ttl\":300}," \
	"{\"type\":\"A\",\"name\":\"home\",\"address\":\"198.51.100.3\"," \
	"\"ttl\":60}," \
	"{\"type\":\"TXT\",\"name\":\"home\",\"value\":\"v=spf1 -all\"," \
	"\"ttl\":3600}],\"total\":9}"

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
		{ 401, "{\"detail\":\"Unauthorized\"}", OUT_AUTH, "HTTP 401: "
		    "Unauthorized (check key and secret: an API key and its "
		    "secret from Spaceship's API Manager, "
		    "https://www.spaceship.com/application/api-manager/)" },
		{ 403, "{\"detail\":\"Forbidden\"}", OUT_AUTH, "HTTP 403: "
		    "Forbidden (the API key lacks a permission: it needs "
		    "dnsrecords:read and dnsrecords:write (API Manager, edit "
		    "the key))" },
		{ 404, "{\"detail\":\"SOA record for domain example.net not "
		    "found.\"}", OUT_CONFIG, "HTTP 404: SOA record for domain "
		    "example.net not found." },
		{ 400, "{\"detail\":\"Bad request\",\"data\":[{\"field\":"
		    "\"items[0].address\",\"details\":\"Invalid IPv4\"},"
		    "{\"details\":\"second\"},{\"field\":\"x\"}]}", OUT_CONFIG,
		    "HTTP 400: Bad request; items[0].address: Invalid IPv4; "
		    "second" },
		{ 422, "{\"data\":[{\"field\":\"ttl\",\"details\":\"too "
		    "small\"}]}", OUT_CONFIG, "HTTP 422: ttl: too small" },
		{ 429, "{\"detail\":\"Too many requests\"}", OUT_TEMPFAIL,
		    "HTTP 429: Too many requests" },
		{ 500, "{\"detail\":\"Internal server error\"}", OUT_TEMPFAIL,
		    "HTTP 500: Internal server error" },
		{ 502, "<html>Bad gateway</html>", OUT_TEMPFAIL, "HTTP 502 (no "
		    "Spaceship error in the reply)" },
		{ 418, "{\"detail\":\"a\\nb\"}", OUT_PROTOCOL, "HTTP 418: a?b" },
		{ 200, "<html>nginx</html>", OUT_PROTOCOL, "HTTP 200: not a "
		    "Spaceship API reply: '[' or '{' expected near '<'" },
		{ 200, "[1]", OUT_PROTOCOL, "HTTP 200: not a Spaceship API "
		    "reply: not a JSON object" },
	};
	json_t	*root;
	char	*why;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(ss_reply(c[i].status, c[i].body, &root,
		    &why), c[i].out);
		assert_null(root);
		assert_non_null(why);
		if (strcmp(why, c[i].why) != 0)
			fail_msg("case %zu: %s", i, why);
		free(why);
	}
}

static void
test_reply_empty(void **st)
{
	json_t	*root;
	char	*why;

	(void)st;
	/* The save and delete answer 204 with no body. */
	assert_int_equal(ss_reply(204, "", &root, &why), OUT_CURRENT);
	assert_null(root);
	assert_null(why);
	assert_int_equal(ss_reply(204, NULL, &root, &why), OUT_CURRENT);
	assert_null(root);
	assert_int_equal(ss_reply(200, "{\"items\":[],\"total\":0}", &root,
	    &why), OUT_CURRENT);
	assert_non_null(root);
	json_decref(root);
}

struct pcase {
	const char	*rel, *type, *addr;
	size_t		 count;
	int		 current;
	long		 cur_ttl;
	const char	*other;		/* NULL: none */
	long		 other_ttl;
};

static void
test_page(void **st)
{
	static const struct pcase c[] = {
		/* Names compare in any case; the first other is kept. */
		{ "home", "A", "203.0.113.7", 2, 0, 0, "198.51.100.2", 1800 },
		{ "home", "A", "198.51.100.3", 2, 1, 60, "198.51.100.2",
		    1800 },
		{ "HOME", "A", "198.51.100.2", 2, 1, 1800, "198.51.100.3",
		    60 },
		/* Addresses compare as addresses. */
		{ "home", "AAAA", "2001:db8::7", 1, 1, 300, NULL, 0 },
		{ "@", "A", "198.51.100.1", 1, 1, 3600, NULL, 0 },
		{ "nas", "A", "198.51.100.1", 0, 0, 0, NULL, 0 },
		/* The name is relative: a full name matches nothing. */
		{ "home.example.com", "A", "198.51.100.2", 0, 0, 0, NULL, 0 },
	};
	struct ss_seen	 s;
	json_t		*root;
	char		*why;
	size_t		 i;

	(void)st;
	assert_int_equal(ss_reply(200, PAGE, &root, &why), OUT_CURRENT);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		memset(&s, 0, sizeof(s));
		assert_int_equal(ss_parse_page(root, c[i].rel, c[i].type,
		    c[i].addr, &s, &why), 0);
		assert_int_equal(s.items, 6);
		assert_int_equal(s.total, 9);
		if (s.count != c[i].count || s.current != c[i].current ||
		    s.cur_ttl != c[i].cur_ttl || s.other_ttl != c[i].other_ttl)
			fail_msg("case %zu: count %zu current %d ttl %ld/%ld",
			    i, s.count, s.current, s.cur_ttl, s.other_ttl);
		if (c[i].other == NULL)
			assert_null(s.other);
		else
			assert_string_equal(s.other, c[i].other);
		ss_seen_free(&s);
	}
	/* A second page adds up. */
	memset(&s, 0, sizeof(s));
	assert_int_equal(ss_parse_page(root, "home", "A", "203.0.113.7", &s,
	    &why), 0);
	assert_int_equal(ss_parse_page(root, "home", "A", "203.0.113.7", &s,
	    &why), 0);
	assert_int_equal(s.items, 12);
	assert_int_equal(s.count, 4);
	assert_string_equal(s.other, "198.51.100.2");
	ss_seen_free(&s);
	json_decref(root);
}

struct bad {
	const char	*body;
	const char	*why;
};

static void
test_page_malformed(void **st)
{
	static const struct bad c[] = {
		{ "{\"records\":[]}", "no \"items\" array in the reply" },
		{ "{\"items\":{}}", "no \"items\" array in the reply" },
		{ "{\"items\":[{\"type\":\"A\"}]}", "record 0 lacks name or "
		    "type" },
		{ "{\"items\":[{\"type\":\"TXT\",\"name\":\"x\"},{\"type\":"
		    "\"A\",\"name\":\"home\",\"ttl\":60}]}", "A record 1 has "
		    "no address" },
	};
	struct ss_seen	 s;
	json_t		*root;
	char		*why;
	size_t		 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(ss_reply(200, c[i].body, &root, &why),
		    OUT_CURRENT);
		memset(&s, 0, sizeof(s));
		assert_int_equal(ss_parse_page(root, "home", "A", "1.2.3.4",
		    &s, &why), -1);
		if (strcmp(why, c[i].why) != 0)
			fail_msg("case %zu: %s", i, why);
		free(why);
		ss_seen_free(&s);
		json_decref(root);
	}
	/* No "total": -1, the caller stops after this page. */
	assert_int_equal(ss_reply(200, "{\"items\":[]}", &root, &why),
	    OUT_CURRENT);
	memset(&s, 0, sizeof(s));
	assert_int_equal(ss_parse_page(root, "home", "A", "1.2.3.4", &s,
	    &why), 0);
	assert_int_equal(s.total, -1);
	json_decref(root);
}

static void
test_bodies(void **st)
{
	char	*b;

	(void)st;
	b = ss_build_put("A", "home", "203.0.113.7", 0);
	assert_string_equal(b, "{\"force\":true,\"items\":[{\"type\":\"A\","
	    "\"name\":\"home\",\"address\":\"203.0.113.7\",\"ttl\":3600}]}");
	free(b);
	b = ss_build_put("AAAA", "@", "2001:db8::7", 300);
	assert_string_equal(b, "{\"force\":true,\"items\":[{\"type\":"
	    "\"AAAA\",\"name\":\"@\",\"address\":\"2001:db8::7\",\"ttl\":"
	    "300}]}");
	free(b);
	b = ss_build_put("A", "a\"b", "203.0.113.7", 60);
	assert_string_equal(b, "{\"force\":true,\"items\":[{\"type\":\"A\","
	    "\"name\":\"a\\\"b\",\"address\":\"203.0.113.7\",\"ttl\":60}]}");
	free(b);
	b = ss_build_delete("A", "home", "198.51.100.2");
	assert_string_equal(b, "[{\"type\":\"A\",\"name\":\"home\","
	    "\"address\":\"198.51.100.2\"}]");
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply_errors),
		cmocka_unit_test(test_reply_empty),
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_page_malformed),
		cmocka_unit_test(test_bodies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
