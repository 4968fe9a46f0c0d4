/*
 * Infomaniak API v2 DNS: reply envelope, zone check, record lists and
 * bodies, with replies shaped as developer.infomaniak.com describes them
 * ({"result":"success","data":...}, {"result":"error","error":{"code",
 * "description"}}; records {"id","source","type","ttl","target"}).
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/infomaniak.h"

#define LIST "[" \
	"{\"id\":7001,\"source\":\"home\",\"type\":\"A\",\"ttl\":300," \
	"\"target\":\"198.51.100.1\"}," \
	"{\"id\":7002,\"source\":\"home\",\"type\":\"AAAA\",\"ttl\":3600," \
	"\"target\":\"2001:db8::1\"}," \
	"{\"id\":7003,\"source\":\".\",\"type\":\"A\",\"ttl\":3600," \
	"\"target\":\"198.51.100.9\"}," \
	"{\"id\":7004,\"source\":\"HOME\",\"type\":\"A\",\"ttl\":60," \
	"\"target\":\"198.51.100.2\"}]"

struct rcase {
	long		 status;
	const char	*body;
	enum outcome	 out;
	const char	*why;
};

static void
test_reply_errors(void **st)
{
	static const struct rcase c[] = {
		{ 401, "{\"result\":\"error\",\"error\":{\"code\":"
		    "\"not_authorized\",\"description\":\"Authorization "
		    "required\"}}", OUT_AUTH, "HTTP 401: not_authorized: "
		    "Authorization required (check token: an Infomaniak API "
		    "token from the Manager's API tokens page, with the domain "
		    "(DNS) scope)" },
		{ 403, "{\"result\":\"error\",\"error\":{\"code\":"
		    "\"access_denied\",\"description\":\"Access denied\"}}",
		    OUT_AUTH, "HTTP 403: access_denied: Access denied (the "
		    "token or its user may not manage this zone's DNS: give "
		    "the token the domain scope and the user the rights)" },
		{ 404, "{\"result\":\"error\",\"error\":{\"code\":"
		    "\"object_not_found\",\"description\":\"Object not "
		    "found\"}}", OUT_CONFIG, "HTTP 404: object_not_found: "
		    "Object not found" },
		{ 429, "{\"result\":\"error\",\"error\":{\"code\":"
		    "\"too_many_request\"}}", OUT_TEMPFAIL, "HTTP 429: "
		    "too_many_request" },
		{ 502, "<html>bad gateway</html>", OUT_TEMPFAIL, "HTTP 502 (no "
		    "Infomaniak error in the reply)" },
		{ 200, "{\"result\":\"error\",\"error\":{\"code\":\"x\"}}",
		    OUT_PROTOCOL, "HTTP 200: not an Infomaniak API reply: no "
		    "\"result\":\"success\" with \"data\"" },
		{ 200, "{\"result\":\"success\"}", OUT_PROTOCOL, "HTTP 200: "
		    "not an Infomaniak API reply: no \"result\":\"success\" "
		    "with \"data\"" },
		{ 201, "<html/>", OUT_PROTOCOL, "HTTP 201: not an Infomaniak "
		    "API reply: '[' or '{' expected near '<'" },
	};
	json_t	*data;
	char	*why;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(ik_reply(c[i].status, c[i].body, &data,
		    &why), c[i].out);
		assert_null(data);
		assert_string_equal(why, c[i].why);
		free(why);
	}
}

static void
test_zone(void **st)
{
	json_t	*data;
	char	*why;

	(void)st;
	assert_int_equal(ik_reply(200, "{\"result\":\"success\",\"data\":{"
	    "\"id\":12345,\"fqdn\":\"example.com\",\"dnssec\":{\"is_enabled\":"
	    "false},\"nameservers\":[\"ns11.infomaniak.ch\","
	    "\"ns12.infomaniak.ch\"]}}", &data, &why), OUT_CURRENT);
	assert_int_equal(ik_is_zone(data, "example.com"), 1);
	assert_int_equal(ik_is_zone(data, "Example.COM"), 1);
	assert_int_equal(ik_is_zone(data, "home.example.com"), 0);
	json_decref(data);
	data = json_loads("{\"fqdn\":\"example.com.\"}", 0, NULL);
	assert_int_equal(ik_is_zone(data, "example.com"), 1);
	json_decref(data);
	data = json_loads("{\"id\":1}", 0, NULL);
	assert_int_equal(ik_is_zone(data, "example.com"), -1);
	json_decref(data);
}

static void
test_find(void **st)
{
	struct ik_rec	 r;
	json_t		*list;
	char		*why, *id;
	size_t		 n;

	(void)st;
	list = json_loads(LIST, 0, NULL);
	assert_int_equal(ik_find(list, "home", "A", &r, &n, &why), 0);
	assert_int_equal(n, 2);
	assert_string_equal(r.id, "7001");
	assert_string_equal(r.target, "198.51.100.1");
	assert_int_equal(r.ttl, 300);
	ik_rec_free(&r);
	assert_int_equal(ik_find(list, ".", "A", &r, &n, &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "7003");
	ik_rec_free(&r);
	assert_int_equal(ik_find(list, "", "A", &r, &n, &why), 0);
	assert_int_equal(n, 1);
	ik_rec_free(&r);
	assert_int_equal(ik_find(list, "nas", "AAAA", &r, &n, &why), 0);
	assert_int_equal(n, 0);
	json_decref(list);
	list = json_loads("[{\"id\":\"a\",\"source\":\"home\",\"type\":\"A\","
	    "\"target\":\"1.2.3.4\"}]", 0, NULL);
	assert_int_equal(ik_find(list, "home", "A", &r, &n, &why), -1);
	assert_string_equal(why, "record 0 has no numeric id");
	free(why);
	json_decref(list);
	list = json_loads("{}", 0, NULL);
	assert_int_equal(ik_find(list, "home", "A", &r, &n, &why), -1);
	assert_string_equal(why, "the record list is not an array");
	free(why);
	json_decref(list);
	list = json_loads("{\"id\":7005,\"source\":\"home\",\"type\":\"A\"}",
	    0, NULL);
	id = ik_written_id(list);
	assert_string_equal(id, "7005");
	free(id);
	json_decref(list);
}

static void
test_body(void **st)
{
	char	*b;

	(void)st;
	b = ik_body("home", "A", "203.0.113.7", 3600);
	assert_string_equal(b, "{\"type\":\"A\",\"ttl\":3600,\"source\":"
	    "\"home\",\"target\":\"203.0.113.7\"}");
	free(b);
	b = ik_body(".", "AAAA", "2001:db8::7", 300);
	assert_string_equal(b, "{\"type\":\"AAAA\",\"ttl\":300,\"source\":"
	    "\".\",\"target\":\"2001:db8::7\"}");
	free(b);
	b = ik_body(NULL, "A", "203.0.113.8", 300);
	assert_string_equal(b, "{\"target\":\"203.0.113.8\",\"ttl\":300}");
	free(b);
}

static void
test_in_table(void **st)
{
	(void)st;
	assert_ptr_equal(provider_find("infomaniak"), &provider_infomaniak);
	assert_non_null(provider_infomaniak.check);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply_errors),
		cmocka_unit_test(test_zone),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_in_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
