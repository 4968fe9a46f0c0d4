/*
 * Rainyun API v2: URLs, JSON bodies and reply parsing, fed replies shaped
 * like the ones ddns-go and lego read (data.TotalRecords / data.Records,
 * the 30039 key error).
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/rainyun.h"

static void
test_domains_url(void **st)
{
	char	*u;

	(void)st;
	u = ry_domains_url("https://api.v2.rainyun.com", "example.com");
	assert_string_equal(u, "https://api.v2.rainyun.com/product/domain?"
	    "options=%7B%22columnFilters%22%3A%7B%22domains.Domain%22%3A%22"
	    "example.com%22%7D%2C%22sort%22%3A%5B%5D%2C%22page%22%3A1%2C"
	    "%22perPage%22%3A100%7D");
	free(u);
}

static void
test_body(void **st)
{
	char	*b;

	(void)st;
	b = ry_body(NULL, "home", "A", "203.0.113.7", "DEFAULT", 10, 600);
	assert_string_equal(b, "{\"host\":\"home\",\"type\":\"A\",\"value\":"
	    "\"203.0.113.7\",\"line\":\"DEFAULT\",\"level\":10,\"ttl\":600}");
	free(b);
	b = ry_body("123456", "@", "AAAA", "2001:db8::7", "LTEL", 5, 120);
	assert_string_equal(b, "{\"record_id\":123456,\"host\":\"@\",\"type\":"
	    "\"AAAA\",\"value\":\"2001:db8::7\",\"line\":\"LTEL\",\"level\":5,"
	    "\"ttl\":120}");
	free(b);
	assert_null(ry_body("12a", "@", "A", "1.2.3.4", "DEFAULT", 10, 600));
	assert_null(ry_body("", "@", "A", "1.2.3.4", "DEFAULT", 10, 600));
}

struct rcase {
	long		 status;
	const char	*body;
	enum outcome	 out;
	int		 hold;
	const char	*why;
};

static void
test_reply(void **st)
{
	static const struct rcase c[] = {
		{ 403, "{\"code\":30039,\"message\":\"\xe5\xaf\x86\xe9\x92\xa5"
		    "\xe8\xae\xa4\xe8\xaf\x81\xe9\x94\x99\xe8\xaf\xaf\xe6\x88\x96"
		    "\xe5\xb7\xb2\xe5\xa4\xb1\xe6\x95\x88\"}", OUT_AUTH, 1,
		    "HTTP 403, code 30039: \xe5\xaf\x86\xe9\x92\xa5" },
		{ 200, "{\"code\":30039,\"message\":\"key\"}", OUT_AUTH, 1,
		    "code 30039: key (check api_key" },
		{ 401, "", OUT_AUTH, 1, "HTTP 401 (check api_key" },
		{ 429, "{\"code\":429,\"message\":\"slow down\"}", OUT_TEMPFAIL,
		    0, "HTTP 429, code 429: slow down" },
		{ 502, "<html>bad gateway</html>", OUT_TEMPFAIL, 0,
		    "HTTP 502 (not a Rainyun API reply)" },
		{ 404, "{\"code\":40004,\"message\":\"not found\"}",
		    OUT_CONFIG, 1, "code 40004: not found (is the domain" },
		{ 200, "{\"code\":31234,\"message\":\"new\"}", OUT_PROTOCOL, 0,
		    "HTTP 200, code 31234: new" },
		{ 200, "<html>nginx</html>", OUT_PROTOCOL, 0,
		    "HTTP 200: not a Rainyun API reply" },
		{ 200, "{\"message\":\"x\"}", OUT_PROTOCOL, 0, "no \"code\"" },
		{ 200, NULL, OUT_PROTOCOL, 0, "empty reply" },
		{ 500, "{\"code\":200}", OUT_TEMPFAIL, 0, "HTTP 500, code 200" },
		{ 200, "{\"code\":30039,\"message\":\"a\\nb\"}", OUT_AUTH, 1,
		    "a?b" },
	};
	json_t	*root;
	char	*why;
	int	 hold;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(ry_reply(c[i].status, c[i].body, &root,
		    &hold, &why), c[i].out);
		assert_null(root);
		assert_non_null(why);
		if (strstr(why, c[i].why) == NULL)
			fail_msg("case %zu: %s", i, why);
		assert_int_equal(hold, c[i].hold);
		free(why);
	}
	/* Success: 200 as ddns-go reads it, 0 as lego's fixtures show. */
	assert_int_equal(ry_reply(200, "{\"code\":200,\"message\":\"\"}",
	    &root, &hold, &why), OUT_CURRENT);
	assert_non_null(root);
	json_decref(root);
	assert_int_equal(ry_reply(200, "{\"code\":0,\"data\":null}", &root,
	    &hold, &why), OUT_CURRENT);
	json_decref(root);
}

static void
test_domain(void **st)
{
	json_t	*root;
	char	*why, *id;
	int	 hold;

	(void)st;
	assert_int_equal(ry_reply(200, "{\"code\":200,\"data\":{"
	    "\"TotalRecords\":2,\"Records\":[{\"id\":1,\"domain\":"
	    "\"example.org\"},{\"id\":2,\"domain\":\"Example.COM\"}]}}", &root,
	    &hold, &why), OUT_CURRENT);
	id = ry_parse_domain(root, "example.com", &why);
	assert_string_equal(id, "2");
	free(id);
	assert_null(ry_parse_domain(root, "example.net", &why));
	assert_null(why);
	json_decref(root);
	assert_int_equal(ry_reply(200, "{\"code\":200,\"data\":{"
	    "\"TotalRecords\":0,\"Records\":null}}", &root, &hold, &why),
	    OUT_CURRENT);
	assert_null(ry_parse_domain(root, "example.com", &why));
	assert_null(why);
	json_decref(root);
	assert_int_equal(ry_reply(200, "{\"code\":200,\"data\":{\"Records\":"
	    "[{\"id\":\"x\",\"domain\":\"example.com\"}]}}", &root, &hold,
	    &why), OUT_CURRENT);
	assert_null(ry_parse_domain(root, "example.com", &why));
	assert_string_equal(why, "domain example.com has no numeric id");
	free(why);
	json_decref(root);
	assert_int_equal(ry_reply(200, "{\"code\":200,\"data\":{\"Records\":"
	    "{}}}", &root, &hold, &why), OUT_CURRENT);
	assert_null(ry_parse_domain(root, "example.com", &why));
	assert_string_equal(why, "data.Records is not an array");
	free(why);
	json_decref(root);
}

#define LIST "{\"code\":200,\"message\":\"\",\"data\":{\"TotalRecords\":4," \
	"\"Records\":[" \
	"{\"record_id\":11,\"host\":\"home\",\"type\":\"A\",\"value\":" \
	"\"198.51.100.1\",\"line\":\"LTEL\",\"ttl\":120,\"level\":5}," \
	"{\"record_id\":12,\"host\":\"home\",\"type\":\"AAAA\",\"value\":" \
	"\"2001:db8::1\",\"line\":\"DEFAULT\",\"TTL\":300}," \
	"{\"record_id\":\"13\",\"host\":\"@\",\"type\":\"A\",\"value\":" \
	"\"198.51.100.9\",\"line\":\"DEFAULT\"}," \
	"{\"record_id\":14,\"host\":\"home.example.com\",\"type\":\"A\"," \
	"\"value\":\"198.51.100.2\",\"line\":\"DEFAULT\",\"ttl\":600}]}}"

static void
test_list(void **st)
{
	json_t		*root;
	struct ry_rec	 r;
	char		*why;
	int		 hold;
	size_t		 n;

	(void)st;
	assert_int_equal(ry_reply(200, LIST, &root, &hold, &why),
	    OUT_CURRENT);
	assert_int_equal(ry_parse_list(root, "home", "home.example.com", "A",
	    &r, &n, &why), 0);
	assert_int_equal(n, 2);
	assert_string_equal(r.id, "11");
	assert_string_equal(r.value, "198.51.100.1");
	assert_string_equal(r.line, "LTEL");
	assert_int_equal(r.ttl, 120);
	assert_int_equal(r.level, 5);
	ry_rec_free(&r);
	assert_int_equal(ry_parse_list(root, "HOME", "home.example.com",
	    "AAAA", &r, &n, &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "12");
	assert_int_equal(r.ttl, 300);
	assert_int_equal(r.level, 0);
	ry_rec_free(&r);
	assert_int_equal(ry_parse_list(root, "@", "example.com", "A", &r, &n,
	    &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "13");
	ry_rec_free(&r);
	assert_int_equal(ry_parse_list(root, "www", "www.example.com", "A",
	    &r, &n, &why), 0);
	assert_int_equal(n, 0);
	json_decref(root);

	assert_int_equal(ry_reply(200, "{\"code\":200,\"data\":{"
	    "\"TotalRecords\":0,\"Records\":[]}}", &root, &hold, &why),
	    OUT_CURRENT);
	assert_int_equal(ry_parse_list(root, "home", "home.example.com", "A",
	    &r, &n, &why), 0);
	assert_int_equal(n, 0);
	json_decref(root);
	assert_int_equal(ry_reply(200, "{\"code\":200,\"data\":{\"Records\":"
	    "[{\"host\":\"home\",\"type\":\"A\",\"value\":\"1.2.3.4\"}]}}",
	    &root, &hold, &why), OUT_CURRENT);
	assert_int_equal(ry_parse_list(root, "home", "home.example.com", "A",
	    &r, &n, &why), -1);
	assert_string_equal(why, "record 0 has no numeric record_id");
	free(why);
	json_decref(root);
	assert_int_equal(ry_reply(200, "{\"code\":200,\"data\":{\"Records\":"
	    "[{\"host\":\"home\",\"type\":\"A\"}]}}", &root, &hold, &why),
	    OUT_CURRENT);
	assert_int_equal(ry_parse_list(root, "home", "home.example.com", "A",
	    &r, &n, &why), -1);
	free(why);
	json_decref(root);
}

static void
test_in_table(void **st)
{
	(void)st;
	assert_ptr_equal(provider_find("rainyun"), &provider_rainyun);
	assert_non_null(provider_rainyun.check);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_domains_url),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_domain),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_in_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
