/*
 * NameSilo API: request URLs, reply codes, record lists, fed the API
 * reference's examples (record_id 1a2b3c4d5e6f7g8h9i, host
 * test.namesilo.com, ttl 7207) in their type=json form, where a single
 * resource_record is an object and numbers may be strings.
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/namesilo.h"

#define REQ "\"request\":{\"operation\":\"dnsListRecords\",\"ip\":" \
	"\"55.555.55.55\"}"
#define LIST "{" REQ ",\"reply\":{\"code\":300,\"detail\":\"success\"," \
	"\"resource_record\":[" \
	"{\"record_id\":\"1a2b3c4d5e6f7g8h9i\",\"type\":\"A\",\"host\":" \
	"\"test.namesilo.com\",\"value\":\"55.555.55.55\",\"ttl\":7207," \
	"\"distance\":0}," \
	"{\"record_id\":\"2b3c4d5e6f7g8h9i1a\",\"type\":\"AAAA\",\"host\":" \
	"\"test.namesilo.com\",\"value\":\"2001:db8::1\",\"ttl\":\"3600\"," \
	"\"distance\":0}," \
	"{\"record_id\":\"3c4d5e6f7g8h9i1a2b\",\"type\":\"A\",\"host\":" \
	"\"namesilo.com\",\"value\":\"55.555.55.56\",\"ttl\":\"7207\"," \
	"\"distance\":0}," \
	"{\"record_id\":\"4d5e6f7g8h9i1a2b3c\",\"type\":\"A\",\"host\":" \
	"\"TEST.namesilo.com\",\"value\":\"55.555.55.57\",\"ttl\":7207," \
	"\"distance\":0}]}}"

static void
test_url(void **st)
{
	static const char *const add[] = { "domain", "namesilo.com",
	    "rrtype", "A", "rrhost", "test", "rrvalue", "55.555.55.55",
	    "rrttl", "7207", NULL };
	static const char *const apex[] = { "domain", "namesilo.com",
	    "rrid", "1a2b3c4d5e6f7g8h9i", "rrhost", "", "rrvalue",
	    "2001:db8::1", NULL };
	char	*u;

	(void)st;
	u = namesilo_url("https://www.namesilo.com/api", "dnsAddRecord",
	    "12345", add);
	assert_string_equal(u, "https://www.namesilo.com/api/dnsAddRecord?"
	    "version=1&type=json&key=12345&domain=namesilo.com&rrtype=A&"
	    "rrhost=test&rrvalue=55.555.55.55&rrttl=7207");
	free(u);
	u = namesilo_url("http://127.0.0.1:1/api", "dnsUpdateRecord",
	    "k+y/=", apex);
	assert_string_equal(u, "http://127.0.0.1:1/api/dnsUpdateRecord?"
	    "version=1&type=json&key=k%2By%2F%3D&domain=namesilo.com&"
	    "rrid=1a2b3c4d5e6f7g8h9i&rrhost=&rrvalue=2001%3Adb8%3A%3A1");
	free(u);
	u = namesilo_url("https://www.namesilo.com/api", "dnsListRecords",
	    "12345", NULL);
	assert_string_equal(u, "https://www.namesilo.com/api/dnsListRecords?"
	    "version=1&type=json&key=12345");
	free(u);
}

static void
test_reply(void **st)
{
	static const struct {
		long		 status;
		const char	*body;
		enum outcome	 out;
		long		 code;
		const char	*why;	/* exact; NULL: success */
	} t[] = {
		{ 200, LIST, OUT_CURRENT, 300, NULL },
		{ 200, "{" REQ ",\"reply\":{\"code\":\"300\",\"detail\":"
		    "\"success\",\"record_id\":\"1a2b3c4d5e6f7g8h9i\"}}",
		    OUT_CURRENT, 300, NULL },
		{ 200, "{" REQ ",\"reply\":{\"code\":110,\"detail\":\"Invalid "
		    "API Key\"}}", OUT_AUTH, 110, "code 110: Invalid API Key "
		    "(check key: an API key from the account's API Manager "
		    "page, https://www.namesilo.com/account/api-manager)" },
		{ 200, "{\"reply\":{\"code\":\"113\",\"detail\":\"This API "
		    "account cannot be accessed from your IP\"}}", OUT_AUTH, 113,
		    "code 113: This API account cannot be accessed from your "
		    "IP (the key is limited to some IP addresses in the API "
		    "Manager: add this host's address or lift the limit)" },
		{ 200, "{\"reply\":{\"code\":112,\"detail\":\"API not "
		    "available to Sub-Accounts\"}}", OUT_AUTH, 112, "code 112: "
		    "API not available to Sub-Accounts (the key belongs to a "
		    "sub-account: use the main account's key)" },
		{ 200, "{\"reply\":{\"code\":200,\"detail\":\"Domain is not "
		    "active, or does not belong to this user\"}}", OUT_CONFIG,
		    200, "code 200: Domain is not active, or does not belong to "
		    "this user (the domain is not active or not in this "
		    "NameSilo account; set \"zone\" if it has more labels)" },
		{ 200, "{\"reply\":{\"code\":280,\"detail\":\"DNS modification "
		    "error\"}}", OUT_CONFIG, 280, "code 280: DNS modification "
		    "error" },
		{ 200, "{\"reply\":{\"code\":115,\"detail\":\"Central Registry "
		    "Not Responding - try again later\"}}", OUT_TEMPFAIL, 115,
		    "code 115: Central Registry Not Responding - try again "
		    "later" },
		{ 200, "{\"reply\":{\"code\":400,\"detail\":\"Existing API "
		    "request is still processing\"}}", OUT_TEMPFAIL, 400,
		    "code 400: Existing API request is still processing" },
		{ 200, "{\"reply\":{\"code\":108}}", OUT_PROTOCOL, 108,
		    "code 108: (no detail)" },
		{ 200, "{\"reply\":{\"code\":210,\"detail\":\"a\\u001bb\"}}",
		    OUT_PROTOCOL, 210, "code 210: a?b" },
		{ 200, "{\"reply\":{\"detail\":\"success\"}}", OUT_PROTOCOL, 0,
		    "HTTP 200: not a NameSilo reply: no reply.code" },
		{ 200, "{\"namesilo\":{}}", OUT_PROTOCOL, 0, "HTTP 200: not a "
		    "NameSilo reply: no \"reply\" object" },
		{ 200, "<html>nginx</html>", OUT_PROTOCOL, 0, "HTTP 200: not a "
		    "NameSilo reply: '[' or '{' expected near '<'" },
		{ 200, "", OUT_PROTOCOL, 0, "HTTP 200: not a NameSilo reply: "
		    "empty" },
		{ 429, "Too Many Requests", OUT_TEMPFAIL, 0, "HTTP 429" },
		{ 503, "{\"reply\":{\"code\":201,\"detail\":\"Internal system "
		    "error\"}}", OUT_TEMPFAIL, 0, "HTTP 503: Internal system "
		    "error" },
		{ 401, NULL, OUT_AUTH, 0, "HTTP 401" },
	};
	json_t		*reply;
	char		*why;
	long		 code;
	size_t		 i;
	enum outcome	 o;

	(void)st;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		o = namesilo_reply(t[i].status, t[i].body, &reply, &code, &why);
		if (o != t[i].out || code != t[i].code)
			fail_msg("row %zu: outcome %d code %ld (%s)", i, o, code,
			    why ? why : "-");
		if (t[i].why == NULL) {
			assert_null(why);
			assert_non_null(reply);
			json_decref(reply);
		} else {
			assert_null(reply);
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
		const char	*fqdn, *type;
		size_t		 count;
		const char	*id, *value;
		long		 ttl;
	} t[] = {
		{ "test.namesilo.com", "A", 2, "1a2b3c4d5e6f7g8h9i",
		    "55.555.55.55", 7207 },
		{ "test.namesilo.com", "AAAA", 1, "2b3c4d5e6f7g8h9i1a",
		    "2001:db8::1", 3600 },
		{ "namesilo.com", "A", 1, "3c4d5e6f7g8h9i1a2b", "55.555.55.56",
		    7207 },
		{ "www.namesilo.com", "A", 0, NULL, NULL, 0 },
	};
	struct ns_rec	 r;
	json_t		*root, *reply;
	json_error_t	 e;
	size_t		 i, n;
	char		*why;

	(void)st;
	root = json_loads(LIST, 0, &e);
	assert_non_null(root);
	reply = json_object_get(root, "reply");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(namesilo_find(reply, t[i].fqdn, t[i].type, &r,
		    &n, &why), 0);
		assert_int_equal(n, t[i].count);
		if (t[i].id == NULL)
			assert_null(r.id);
		else {
			assert_string_equal(r.id, t[i].id);
			assert_string_equal(r.value, t[i].value);
			assert_int_equal(r.ttl, t[i].ttl);
		}
		ns_rec_free(&r);
	}
	json_decref(root);

	/* One record comes as an object; none at all as no member. */
	root = json_loads("{\"code\":300,\"resource_record\":{\"record_id\":"
	    "\"ab12\",\"type\":\"A\",\"host\":\"x.example.com\",\"value\":"
	    "\"192.0.2.1\",\"ttl\":\"3603\"}}", 0, &e);
	assert_int_equal(namesilo_find(root, "x.example.com", "A", &r, &n,
	    &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "ab12");
	assert_int_equal(r.ttl, 3603);
	ns_rec_free(&r);
	json_decref(root);
	root = json_loads("{\"code\":300,\"detail\":\"success\"}", 0, &e);
	assert_int_equal(namesilo_find(root, "x.example.com", "A", &r, &n,
	    &why), 0);
	assert_int_equal(n, 0);
	json_decref(root);

	/* Malformed. */
	root = json_loads("{\"resource_record\":[{\"record_id\":\"a b\","
	    "\"type\":\"A\",\"host\":\"x\",\"value\":\"y\"}]}", 0, &e);
	assert_int_equal(namesilo_find(root, "x", "A", &r, &n, &why), -1);
	assert_string_equal(why, "record 0 lacks record_id, type, host or "
	    "value");
	free(why);
	json_decref(root);
	root = json_loads("{\"resource_record\":\"none\"}", 0, &e);
	assert_int_equal(namesilo_find(root, "x", "A", &r, &n, &why), -1);
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
	r = json_loads("{\"code\":300,\"detail\":\"success\",\"record_id\":"
	    "\"1a2b3c4d5e6f7g8h9i\"}", 0, &e);
	id = namesilo_new_id(r);
	assert_string_equal(id, "1a2b3c4d5e6f7g8h9i");
	free(id);
	json_decref(r);
	r = json_loads("{\"code\":300,\"record_id\":\"../x\"}", 0, &e);
	assert_null(namesilo_new_id(r));
	json_decref(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_new_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
