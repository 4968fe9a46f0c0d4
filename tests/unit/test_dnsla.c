/*
 * DNS.LA open API v2: URLs, JSON bodies and reply parsing, fed replies
 * shaped like those in DNS.LA's API document ({"code","msg","data"}).
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/dnsla.h"

static void
test_list_url(void **st)
{
	char	*u;

	(void)st;
	u = dnsla_list_url("https://api.dns.la", "example.com", "home",
	    DNSLA_TYPE_A);
	assert_string_equal(u, "https://api.dns.la/api/recordList?domain="
	    "example.com&host=home&type=1&pageIndex=1&pageSize=100");
	free(u);
	u = dnsla_list_url("http://127.0.0.1:8080", "example.com", "@",
	    DNSLA_TYPE_AAAA);
	assert_string_equal(u, "http://127.0.0.1:8080/api/recordList?domain="
	    "example.com&host=%40&type=28&pageIndex=1&pageSize=100");
	free(u);
	u = dnsla_list_url("https://api.dns.la", "\xe4\xbe\x8b.cn", "*.a b~",
	    DNSLA_TYPE_A);
	assert_string_equal(u, "https://api.dns.la/api/recordList?domain="
	    "%E4%BE%8B.cn&host=%2A.a%20b~&type=1&pageIndex=1&pageSize=100");
	free(u);
}

static void
test_body(void **st)
{
	char	*b;

	(void)st;
	b = dnsla_body(NULL, "example.com", "home", DNSLA_TYPE_A,
	    "203.0.113.7", 600);
	assert_string_equal(b, "{\"domain\":\"example.com\",\"host\":\"home\","
	    "\"type\":1,\"data\":\"203.0.113.7\",\"ttl\":600}");
	free(b);
	b = dnsla_body("24712321985545216", "example.com", "@",
	    DNSLA_TYPE_AAAA, "2001:db8::7", 0);
	assert_string_equal(b, "{\"id\":\"24712321985545216\",\"host\":\"@\","
	    "\"type\":28,\"data\":\"2001:db8::7\"}");
	free(b);
	b = dnsla_body(NULL, "example.com", "\xe5\xae\xb6\"\\", DNSLA_TYPE_A,
	    "1.2.3.4", 60);
	assert_string_equal(b, "{\"domain\":\"example.com\",\"host\":"
	    "\"\xe5\xae\xb6\\\"\\\\\",\"type\":1,\"data\":\"1.2.3.4\","
	    "\"ttl\":60}");
	free(b);
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
		{ 401, "", OUT_AUTH, 1, "HTTP 401 (check api_id and "
		    "api_secret" },
		{ 401, "{\"code\":401,\"msg\":\"unauthorized\"}", OUT_AUTH, 1,
		    "code 401: unauthorized (check api_id" },
		{ 200, "{\"code\":400,\"msg\":\"domain not found\",\"data\":"
		    "null}", OUT_CONFIG, 1, "code 400: domain not found (is "
		    "the domain in this DNS.LA account" },
		{ 200, "{\"code\":601,\"msg\":\"record conflict\"}",
		    OUT_CONFIG, 1, "code 601: record conflict" },
		{ 200, "{\"code\":500,\"msg\":\"internal error\"}",
		    OUT_TEMPFAIL, 0, "code 500: internal error" },
		{ 429, "{\"code\":429,\"msg\":\"too many requests\"}",
		    OUT_TEMPFAIL, 0, "code 429" },
		{ 503, "<html>busy</html>", OUT_TEMPFAIL, 0, "HTTP 503" },
		{ 200, "{\"code\":999,\"msg\":\"new\"}", OUT_PROTOCOL, 0,
		    "code 999: new" },
		{ 200, "<html>nginx</html>", OUT_PROTOCOL, 0,
		    "HTTP 200: not a DNS.LA API reply" },
		{ 200, "{\"msg\":\"\"}", OUT_PROTOCOL, 0, "no \"code\"" },
		{ 200, "{\"code\":\"200\"}", OUT_PROTOCOL, 0, "no \"code\"" },
		{ 200, NULL, OUT_PROTOCOL, 0, "empty reply" },
		{ 500, "{\"code\":200,\"msg\":\"\"}", OUT_TEMPFAIL, 0,
		    "HTTP 500 with code 200" },
		{ 200, "{\"code\":400,\"msg\":\"a\\nb\"}", OUT_CONFIG, 1,
		    "a?b" },
	};
	json_t	*root;
	char	*why;
	int	 hold;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(dnsla_reply(c[i].status, c[i].body, &root,
		    &hold, &why), c[i].out);
		assert_null(root);
		assert_non_null(why);
		if (strstr(why, c[i].why) == NULL)
			fail_msg("case %zu: %s", i, why);
		assert_int_equal(hold, c[i].hold);
		free(why);
	}
}

#define LIST "{\"code\":200,\"msg\":\"\",\"data\":{\"total\":4,\"results\":[" \
	"{\"id\":\"50074538216343552\",\"domainId\":\"85371689655342080\"," \
	"\"host\":\"home\",\"type\":1,\"ttl\":120,\"data\":\"198.51.100.1\"," \
	"\"lineId\":\"\",\"lineCode\":\"\",\"lineName\":\"\",\"weight\":1," \
	"\"disable\":false}," \
	"{\"id\":\"50074538216343553\",\"host\":\"home\",\"type\":28," \
	"\"ttl\":600,\"data\":\"2001:db8::1\"}," \
	"{\"id\":\"50074538216343554\",\"host\":\"@\",\"type\":1," \
	"\"data\":\"198.51.100.9\"}," \
	"{\"id\":50074538216343555,\"host\":\"HOME\",\"type\":1,\"ttl\":600," \
	"\"data\":\"198.51.100.2\"}]}}"

static void
test_list(void **st)
{
	json_t			*root;
	struct dnsla_rec	 r;
	char			*why;
	int			 hold;
	size_t			 n;

	(void)st;
	assert_int_equal(dnsla_reply(200, LIST, &root, &hold, &why),
	    OUT_CURRENT);
	assert_int_equal(dnsla_parse_list(root, "home", DNSLA_TYPE_A, &r, &n,
	    &why), 0);
	assert_int_equal(n, 2);
	assert_string_equal(r.id, "50074538216343552");
	assert_string_equal(r.data, "198.51.100.1");
	assert_int_equal(r.ttl, 120);
	dnsla_rec_free(&r);
	assert_int_equal(dnsla_parse_list(root, "home", DNSLA_TYPE_AAAA, &r,
	    &n, &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.data, "2001:db8::1");
	dnsla_rec_free(&r);
	assert_int_equal(dnsla_parse_list(root, "@", DNSLA_TYPE_A, &r, &n,
	    &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "50074538216343554");
	assert_int_equal(r.ttl, 0);
	dnsla_rec_free(&r);
	assert_int_equal(dnsla_parse_list(root, "www", DNSLA_TYPE_A, &r, &n,
	    &why), 0);
	assert_int_equal(n, 0);
	json_decref(root);

	/* No records: data.results empty or null. */
	assert_int_equal(dnsla_reply(200, "{\"code\":200,\"msg\":\"\","
	    "\"data\":{\"total\":0,\"results\":null}}", &root, &hold, &why),
	    OUT_CURRENT);
	assert_int_equal(dnsla_parse_list(root, "home", DNSLA_TYPE_A, &r, &n,
	    &why), 0);
	assert_int_equal(n, 0);
	json_decref(root);
	/* Malformed. */
	assert_int_equal(dnsla_reply(200, "{\"code\":200,\"data\":{"
	    "\"results\":{}}}", &root, &hold, &why), OUT_CURRENT);
	assert_int_equal(dnsla_parse_list(root, "home", DNSLA_TYPE_A, &r, &n,
	    &why), -1);
	free(why);
	json_decref(root);
	assert_int_equal(dnsla_reply(200, "{\"code\":200,\"data\":{"
	    "\"results\":[{\"host\":\"home\",\"type\":1,\"data\":\"1.2.3.4\"}"
	    "]}}", &root, &hold, &why), OUT_CURRENT);
	assert_int_equal(dnsla_parse_list(root, "home", DNSLA_TYPE_A, &r, &n,
	    &why), -1);
	assert_string_equal(why, "record 0 has no id");
	free(why);
	json_decref(root);
	assert_int_equal(dnsla_reply(200, "{\"code\":200,\"data\":{"
	    "\"results\":[{\"host\":\"home\",\"type\":\"A\",\"data\":"
	    "\"1.2.3.4\"}]}}", &root, &hold, &why), OUT_CURRENT);
	assert_int_equal(dnsla_parse_list(root, "home", DNSLA_TYPE_A, &r, &n,
	    &why), -1);
	free(why);
	json_decref(root);
}

static void
test_create_id(void **st)
{
	json_t	*root;
	char	*why, *id;
	int	 hold;

	(void)st;
	assert_int_equal(dnsla_reply(200, "{\"code\":200,\"msg\":\"\","
	    "\"data\":{\"id\":\"50074538216343556\"}}", &root, &hold, &why),
	    OUT_CURRENT);
	id = dnsla_parse_id(root, &why);
	assert_string_equal(id, "50074538216343556");
	free(id);
	json_decref(root);
	assert_int_equal(dnsla_reply(200, "{\"code\":200,\"data\":{}}", &root,
	    &hold, &why), OUT_CURRENT);
	assert_null(dnsla_parse_id(root, &why));
	assert_string_equal(why, "no record id (data.id) in the reply");
	free(why);
	json_decref(root);
}

static void
test_in_table(void **st)
{
	(void)st;
	assert_ptr_equal(provider_find("dnsla"), &provider_dnsla);
	assert_non_null(provider_dnsla.check);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_url),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_create_id),
		cmocka_unit_test(test_in_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
