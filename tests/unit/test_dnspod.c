/*
 * Legacy DNSPod token API: form bodies and reply parsing, fed replies
 * shaped like the examples in DNSPod's API documents.
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/dnspod.h"

#define MOREN	"\xe9\xbb\x98\xe8\xae\xa4"	/* 默认 */
#define DIANXIN	"\xe7\x94\xb5\xe4\xbf\xa1"	/* 电信 */

static void
test_body(void **st)
{
	const char *const kv[] = { "domain", "example.com", "sub_domain",
	    "*.dyn", "record_type", "A", "record_line", MOREN, "value",
	    "203.0.113.7", "note", "a b~c", NULL };
	const char *const none[] = { NULL };
	const char *const apex[] = { "sub_domain", "@", NULL };
	char	*b;

	(void)st;
	b = dp_body("13490,6b5976c68aba5b14a0558b77c17c3932", kv);
	assert_string_equal(b, "login_token=13490%2C6b5976c68aba5b14a0558b77c"
	    "17c3932&format=json&lang=en&error_on_empty=no&domain=example.com"
	    "&sub_domain=%2A.dyn&record_type=A&record_line=%E9%BB%98%E8%AE%A4"
	    "&value=203.0.113.7&note=a%20b~c");
	free(b);
	b = dp_body("1,t", none);
	assert_string_equal(b, "login_token=1%2Ct&format=json&lang=en&"
	    "error_on_empty=no");
	free(b);
	b = dp_body("1,t", apex);
	assert_non_null(strstr(b, "&sub_domain=%40"));
	free(b);
}

static void
test_token(void **st)
{
	(void)st;
	assert_true(dp_token_ok("13490,6b5976c68aba5b14a0558b77c17c3932"));
	assert_false(dp_token_ok("6b5976c68aba5b14a0558b77c17c3932"));
	assert_false(dp_token_ok(",abc"));
	assert_false(dp_token_ok("123,"));
	assert_false(dp_token_ok("12a,abc"));
	assert_false(dp_token_ok("1,a,b"));
	assert_false(dp_token_ok("1,a b"));
}

#define ST(code, msg) "{\"status\":{\"code\":\"" code "\",\"message\":\"" \
	msg "\",\"created_at\":\"2015-01-18 20:05:00\"}}"

struct rcase {
	long		 status;
	const char	*body;
	enum outcome	 out;
	long		 retry;
	int		 hold;
	const char	*code;
	const char	*why;
};

static void
test_reply(void **st)
{
	static const struct rcase c[] = {
		{ 200, ST("-1", "Login fail, please check login info"),
		    OUT_AUTH, 0, 1, "-1", "code -1: Login fail, please check "
		    "login info (check login_token" },
		{ 200, ST("-2", "API usage is limited"), OUT_TEMPFAIL, 3600, 0,
		    "-2", "API usage is limited" },
		{ 200, ST("-8", "Too many failed logins"), OUT_AUTH, 3600, 0,
		    "-8", "banned for an hour" },
		{ 200, ST("6", "Domain ID invalid"), OUT_CONFIG, 0, 1, "6",
		    "in this account" },
		{ 200, ST("7", "Domain not owned"), OUT_CONFIG, 0, 1, "7",
		    "Domain not owned" },
		{ 200, ST("8", "Domain invalid"), OUT_CONFIG, 0, 1, "8", "" },
		{ 200, ST("10", "No records"), OUT_CONFIG, 0, 0, "10",
		    "code 10: No records" },
		{ 200, ST("21", "Domain is locked"), OUT_CONFIG, 0, 1, "21",
		    "locked" },
		{ 200, ST("104", "Record already exists"), OUT_CURRENT, 0, 0,
		    "104", "exists" },
		{ 200, ST("9999", "Something new"), OUT_PROTOCOL, 0, 0, "9999",
		    "code 9999: Something new" },
		{ 200, "{\"status\":{\"code\":-1,\"message\":\"x\"}}",
		    OUT_AUTH, 0, 1, "-1", "code -1" },
		{ 200, "<html>nginx</html>", OUT_PROTOCOL, 0, 0, NULL,
		    "HTTP 200: not a DNSPod API reply" },
		{ 200, "{\"status\":{}}", OUT_PROTOCOL, 0, 0, NULL,
		    "no status.code" },
		{ 502, "<html>bad gateway</html>", OUT_TEMPFAIL, 0, 0, NULL,
		    "HTTP 502" },
		{ 200, ST("-1", "a\\nb"), OUT_AUTH, 0, 1, "-1", "a?b" },
	};
	json_t	*root;
	char	*why, *code;
	long	 retry;
	int	 hold;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(dp_reply(c[i].status, c[i].body, &root, &code,
		    &retry, &hold, &why), c[i].out);
		assert_null(root);
		assert_non_null(why);
		if (strstr(why, c[i].why) == NULL)
			fail_msg("case %zu: %s", i, why);
		if (c[i].code == NULL)
			assert_null(code);
		else
			assert_string_equal(code, c[i].code);
		assert_int_equal(retry, c[i].retry);
		assert_int_equal(hold, c[i].hold);
		free(why);
		free(code);
	}
}

#define LIST "{\"status\":{\"code\":\"1\",\"message\":\"Action completed " \
	"successful\",\"created_at\":\"2015-01-18 20:05:00\"},\"domain\":{" \
	"\"id\":\"2317346\",\"name\":\"example.com\",\"punycode\":" \
	"\"example.com\",\"grade\":\"DP_Free\",\"owner\":\"u@example.com\"}," \
	"\"info\":{\"sub_domains\":\"3\",\"record_total\":\"3\"}," \
	"\"records\":[" \
	"{\"id\":\"16894439\",\"name\":\"home\",\"line\":\"" DIANXIN "\"," \
	"\"line_id\":\"10=0\",\"type\":\"A\",\"ttl\":\"600\",\"value\":" \
	"\"198.51.100.1\",\"weight\":null,\"mx\":\"0\",\"enabled\":\"1\"," \
	"\"status\":\"enabled\",\"monitor_status\":\"\",\"remark\":\"\"," \
	"\"updated_on\":\"2015-01-18 20:04:42\",\"use_aqb\":\"no\"}," \
	"{\"id\":\"16894440\",\"name\":\"home\",\"line\":\"" MOREN "\"," \
	"\"line_id\":\"0\",\"type\":\"A\",\"ttl\":\"120\",\"value\":" \
	"\"198.51.100.2\",\"enabled\":\"1\"}," \
	"{\"id\":16894441,\"name\":\"home\",\"line\":\"default\",\"type\":" \
	"\"AAAA\",\"ttl\":600,\"value\":\"2001:db8::1\",\"enabled\":\"1\"}]}"

static void
test_list(void **st)
{
	json_t		*root;
	struct dp_rec	 r;
	char		*why, *code;
	long		 retry;
	int		 hold;
	size_t		 n;

	(void)st;
	assert_int_equal(dp_reply(200, LIST, &root, &code, &retry, &hold,
	    &why), OUT_CURRENT);
	assert_null(code);
	assert_int_equal(dp_parse_list(root, "home", "A", MOREN, &r, &n, &why),
	    0);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "16894440");
	assert_string_equal(r.value, "198.51.100.2");
	assert_int_equal(r.ttl, 120);
	dp_rec_free(&r);
	assert_int_equal(dp_parse_list(root, "HOME", "A", DIANXIN, &r, &n,
	    &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "16894439");
	dp_rec_free(&r);
	/* "default" and a numeric id, as lang=en may answer. */
	assert_int_equal(dp_parse_list(root, "home", "AAAA", MOREN, &r, &n,
	    &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "16894441");
	assert_int_equal(r.ttl, 600);
	dp_rec_free(&r);
	assert_int_equal(dp_parse_list(root, "www", "A", MOREN, &r, &n, &why),
	    0);
	assert_int_equal(n, 0);
	json_decref(root);

	assert_int_equal(dp_reply(200, "{\"status\":{\"code\":\"1\"},"
	    "\"records\":{}}", &root, &code, &retry, &hold, &why),
	    OUT_CURRENT);
	assert_int_equal(dp_parse_list(root, "home", "A", MOREN, &r, &n, &why),
	    -1);
	free(why);
	json_decref(root);
	assert_int_equal(dp_reply(200, "{\"status\":{\"code\":\"1\"},"
	    "\"records\":[{\"name\":\"home\",\"type\":\"A\",\"value\":"
	    "\"1.2.3.4\",\"line\":\"" MOREN "\"}]}", &root, &code, &retry,
	    &hold, &why), OUT_CURRENT);
	assert_int_equal(dp_parse_list(root, "home", "A", MOREN, &r, &n, &why),
	    -1);
	free(why);
	json_decref(root);
}

static void
test_write_id(void **st)
{
	json_t	*root;
	char	*why, *code, *id;
	long	 retry;
	int	 hold;

	(void)st;
	assert_int_equal(dp_reply(200, "{\"status\":{\"code\":\"1\","
	    "\"message\":\"Action completed successful\"},\"record\":{\"id\":"
	    "\"16894439\",\"name\":\"@\",\"status\":\"enable\"}}", &root,
	    &code, &retry, &hold, &why), OUT_CURRENT);
	id = dp_parse_id(root, &why);
	assert_string_equal(id, "16894439");
	free(id);
	json_decref(root);
	assert_int_equal(dp_reply(200, "{\"status\":{\"code\":\"1\"},"
	    "\"record\":{\"id\":16894439,\"value\":\"1.2.3.4\"}}", &root,
	    &code, &retry, &hold, &why), OUT_CURRENT);
	id = dp_parse_id(root, &why);
	assert_string_equal(id, "16894439");
	free(id);
	json_decref(root);
	assert_int_equal(dp_reply(200, "{\"status\":{\"code\":\"1\"}}", &root,
	    &code, &retry, &hold, &why), OUT_CURRENT);
	assert_null(dp_parse_id(root, &why));
	free(why);
	json_decref(root);
}

static void
test_in_table(void **st)
{
	(void)st;
	assert_ptr_equal(provider_find("dnspod"), &provider_dnspod);
	assert_non_null(provider_dnspod.check);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_write_id),
		cmocka_unit_test(test_in_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
