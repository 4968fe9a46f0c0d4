/*
 * ClouDNS API: form bodies, reply reading, record lists, fed replies
 * shaped as ClouDNS's API documentation shows them (records.json: an
 * object keyed by id, [] when empty; add-record.json: data.id;
 * {"status":"Failed","statusDescription":...} on error).
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/cloudns.h"

#define LIST "{\"1234\":{\"id\":\"1234\",\"type\":\"A\",\"host\":\"\"," \
	"\"record\":\"1.2.3.4\",\"dynamicurl_status\":0,\"failover\":\"0\"," \
	"\"ttl\":\"3600\",\"status\":1}," \
	"\"1235\":{\"id\":\"1235\",\"type\":\"A\",\"host\":\"home\"," \
	"\"record\":\"5.6.7.8\",\"dynamicurl_status\":0,\"failover\":\"0\"," \
	"\"ttl\":\"300\",\"status\":1}," \
	"\"1236\":{\"id\":\"1236\",\"type\":\"AAAA\",\"host\":\"home\"," \
	"\"record\":\"2001:db8::1\",\"ttl\":\"60\",\"status\":1}," \
	"\"1237\":{\"id\":1237,\"type\":\"A\",\"host\":\"home\"," \
	"\"record\":\"5.6.7.9\",\"ttl\":3600,\"status\":1}}"

static void
test_form(void **st)
{
	static const char *const kv[] = { "auth-id", "0", "auth-password",
	    "p&ss=w ord", "domain-name", "example.com", "host", "",
	    "record", "2001:db8::1", NULL };
	static const char *const none[] = { NULL };
	char	*f;

	(void)st;
	f = cloudns_form(kv);
	assert_string_equal(f, "auth-id=0&auth-password=p%26ss%3Dw%20ord&"
	    "domain-name=example.com&host=&record=2001%3Adb8%3A%3A1");
	free(f);
	f = cloudns_form(none);
	assert_string_equal(f, "");
	free(f);
}

static void
test_reply(void **st)
{
	static const struct {
		long		 status;
		const char	*body;
		enum outcome	 out;
		const char	*why;	/* exact; NULL: success */
	} t[] = {
		{ 200, LIST, OUT_CURRENT, NULL },
		{ 200, "[]", OUT_CURRENT, NULL },
		{ 200, "{\"status\":\"Success\",\"statusDescription\":\"The "
		    "record was added successfully.\",\"data\":{\"id\":1234}}",
		    OUT_CURRENT, NULL },
		{ 200, "{\"status\":\"Failed\",\"statusDescription\":\"Invalid "
		    "authentication, incorrect auth-id or auth-password.\"}",
		    OUT_AUTH, "Failed: Invalid authentication, incorrect "
		    "auth-id or auth-password. (check auth_id (or "
		    "sub_auth_id/sub_auth_user) and auth_password: an API user "
		    "from the control panel's API & Resellers page, whose "
		    "allowed IPs include this host)" },
		{ 200, "{\"status\":\"Failed\",\"statusDescription\":\"Missing "
		    "domain name\"}", OUT_CONFIG, "Failed: Missing domain name "
		    "(the zone is not in this ClouDNS account, or not delegated "
		    "to the sub-user; set \"zone\" if it has more labels)" },
		{ 200, "{\"status\":\"Failed\",\"statusDescription\":\"Invalid "
		    "TTL. Choose from the list of the values we support.\"}",
		    OUT_CONFIG, "Failed: Invalid TTL. Choose from the list of "
		    "the values we support." },
		{ 200, "{\"status\":\"Failed\",\"statusDescription\":\"Too many "
		    "requests\"}", OUT_TEMPFAIL, "Failed: Too many requests" },
		{ 200, "{\"status\":\"Failed\",\"statusDescription\":\"Quux\\n"
		    "x\"}", OUT_PROTOCOL, "Failed: Quux?x" },
		{ 200, "{\"status\":\"Failed\"}", OUT_PROTOCOL,
		    "Failed: (no statusDescription)" },
		{ 200, "<html>nginx</html>", OUT_PROTOCOL, "HTTP 200: not a "
		    "ClouDNS reply: '[' or '{' expected near '<'" },
		{ 200, "", OUT_PROTOCOL, "HTTP 200: not a ClouDNS reply: "
		    "empty reply" },
		{ 429, "", OUT_TEMPFAIL, "HTTP 429" },
		{ 502, "{\"status\":\"Failed\",\"statusDescription\":\"x\"}",
		    OUT_TEMPFAIL, "HTTP 502: x" },
	};
	json_t		*root;
	char		*why;
	size_t		 i;
	enum outcome	 o;

	(void)st;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		o = cloudns_reply(t[i].status, t[i].body, &root, &why);
		if (o != t[i].out)
			fail_msg("row %zu: outcome %d (%s)", i, o,
			    why ? why : "-");
		if (t[i].why == NULL) {
			assert_null(why);
			assert_non_null(root);
			json_decref(root);
		} else {
			assert_null(root);
			if (why == NULL || strcmp(why, t[i].why) != 0)
				fail_msg("row %zu: \"%s\"\n wanted \"%s\"", i,
				    why ? why : "(none)", t[i].why);
		}
		free(why);
	}
}

static void
test_find(void **st)
{
	static const struct {
		const char	*host, *type;
		size_t		 count;
		const char	*id, *value;
		long		 ttl;
	} t[] = {
		{ "", "A", 1, "1234", "1.2.3.4", 3600 },
		{ "home", "A", 2, "1235", "5.6.7.8", 300 },
		{ "HOME", "AAAA", 1, "1236", "2001:db8::1", 60 },
		{ "www", "A", 0, NULL, NULL, 0 },
	};
	struct cd_rec	 r;
	json_t		*root;
	json_error_t	 e;
	size_t		 i, n;
	char		*why;

	(void)st;
	root = json_loads(LIST, JSON_PRESERVE_ORDER, &e);
	assert_non_null(root);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(cloudns_find(root, t[i].host, t[i].type, &r,
		    &n, &why), 0);
		assert_int_equal(n, t[i].count);
		if (t[i].id == NULL)
			assert_null(r.id);
		else {
			assert_string_equal(r.id, t[i].id);
			assert_string_equal(r.value, t[i].value);
			assert_int_equal(r.ttl, t[i].ttl);
		}
		cd_rec_free(&r);
	}
	json_decref(root);

	root = json_loads("[]", 0, &e);
	assert_int_equal(cloudns_find(root, "", "A", &r, &n, &why), 0);
	assert_int_equal(n, 0);
	json_decref(root);
	root = json_loads("[1]", 0, &e);
	assert_int_equal(cloudns_find(root, "", "A", &r, &n, &why), -1);
	assert_string_equal(why, "records.json: neither an object of records "
	    "nor []");
	free(why);
	json_decref(root);
	root = json_loads("{\"9\":{\"id\":\"x\",\"type\":\"A\",\"host\":\"\","
	    "\"record\":\"1.2.3.4\"}}", 0, &e);
	assert_int_equal(cloudns_find(root, "", "A", &r, &n, &why), -1);
	assert_string_equal(why, "record 9 has no numeric id");
	free(why);
	json_decref(root);
}

static void
test_new_id(void **st)
{
	json_t		*r;
	json_error_t	 e;
	char		*id;

	(void)st;
	r = json_loads("{\"status\":\"Success\",\"data\":{\"id\":1234}}", 0,
	    &e);
	id = cloudns_new_id(r);
	assert_string_equal(id, "1234");
	free(id);
	json_decref(r);
	r = json_loads("{\"status\":\"Success\"}", 0, &e);
	assert_null(cloudns_new_id(r));
	json_decref(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_new_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
