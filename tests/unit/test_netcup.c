/*
 * netcup CCP DNS API: request bodies, reply reading and record lists,
 * fed replies shaped as netcup's API documentation shows them (login's
 * "Login successful" / "Session has been created successful.", the
 * 4013 "Validation Error." family, 4001 for a bad session id).
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/netcup.h"

#define LIST "{\"dnsrecords\":[" \
	"{\"id\":\"1001\",\"hostname\":\"@\",\"type\":\"A\",\"priority\":" \
	"\"0\",\"destination\":\"198.51.100.1\",\"deleterecord\":false," \
	"\"state\":\"yes\"}," \
	"{\"id\":\"1002\",\"hostname\":\"home\",\"type\":\"A\",\"priority\":" \
	"\"0\",\"destination\":\"198.51.100.2\",\"deleterecord\":false," \
	"\"state\":\"yes\"}," \
	"{\"id\":\"1003\",\"hostname\":\"Home\",\"type\":\"AAAA\"," \
	"\"priority\":\"0\",\"destination\":\"2001:db8::2\"," \
	"\"deleterecord\":false,\"state\":\"yes\"}," \
	"{\"id\":\"1004\",\"hostname\":\"home\",\"type\":\"A\",\"priority\":" \
	"\"0\",\"destination\":\"198.51.100.3\",\"deleterecord\":false," \
	"\"state\":\"yes\"}]}"

static void
test_body(void **st)
{
	json_t	*set;
	char	*b;

	(void)st;
	b = nc_body("login", "12345", "key", "pw", NULL, NULL, NULL);
	assert_string_equal(b, "{\"action\":\"login\",\"param\":{"
	    "\"customernumber\":\"12345\",\"apikey\":\"key\",\"apipassword\":"
	    "\"pw\"}}");
	free(b);
	b = nc_body("infoDnsRecords", "12345", "key", NULL, "sess",
	    "example.com", NULL);
	assert_string_equal(b, "{\"action\":\"infoDnsRecords\",\"param\":{"
	    "\"customernumber\":\"12345\",\"apikey\":\"key\",\"apisessionid\":"
	    "\"sess\",\"domainname\":\"example.com\"}}");
	free(b);
	set = nc_recordset("1002", "home", "A", "203.0.113.7");
	b = nc_body("updateDnsRecords", "12345", "key", NULL, "sess",
	    "example.com", set);
	assert_string_equal(b, "{\"action\":\"updateDnsRecords\",\"param\":{"
	    "\"customernumber\":\"12345\",\"apikey\":\"key\",\"apisessionid\":"
	    "\"sess\",\"domainname\":\"example.com\",\"dnsrecordset\":{"
	    "\"dnsrecords\":[{\"hostname\":\"home\",\"type\":\"A\","
	    "\"priority\":\"\",\"destination\":\"203.0.113.7\","
	    "\"deleterecord\":false,\"id\":\"1002\"}]}}}");
	free(b);
	json_decref(set);
	set = nc_recordset(NULL, "@", "AAAA", "2001:db8::7");
	b = json_dumps(set, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(b, "{\"dnsrecords\":[{\"hostname\":\"@\","
	    "\"type\":\"AAAA\",\"priority\":\"\",\"destination\":"
	    "\"2001:db8::7\",\"deleterecord\":false}]}");
	free(b);
	json_decref(set);
	b = nc_body("logout", "12345", "key", NULL, "sess", NULL, NULL);
	assert_string_equal(b, "{\"action\":\"logout\",\"param\":{"
	    "\"customernumber\":\"12345\",\"apikey\":\"key\",\"apisessionid\":"
	    "\"sess\"}}");
	free(b);
}

struct rcase {
	const char	*action;
	long		 status;
	const char	*body;
	enum outcome	 out;
	const char	*why;	/* exact */
};

static void
test_reply_errors(void **st)
{
	static const struct rcase c[] = {
		{ "login", 200, "{\"serverrequestid\":\"x\",\"clientrequestid\":"
		    "\"\",\"action\":\"login\",\"status\":\"error\","
		    "\"statuscode\":4013,\"shortmessage\":\"Validation Error.\","
		    "\"longmessage\":\"Invalid entry for field apipassword\","
		    "\"responsedata\":\"\"}", OUT_AUTH, "login: error 4013: "
		    "Validation Error. Invalid entry for field apipassword "
		    "(check customer_number, api_key and api_password: the "
		    "CCP's Master Data, API page)" },
		{ "login", 200, "{\"action\":\"\",\"status\":\"error\","
		    "\"statuscode\":4013,\"shortmessage\":\"Validation Error.\","
		    "\"longmessage\":\"More than 180 requests per minute. Please "
		    "wait and retry later.\",\"responsedata\":\"\"}",
		    OUT_TEMPFAIL, "login: error 4013: Validation Error. More "
		    "than 180 requests per minute. Please wait and retry later. "
		    "(netcup also answers this to a wrong api_key; check it if "
		    "this persists)" },
		{ "infoDnsRecords", 200, "{\"action\":\"infoDnsRecords\","
		    "\"status\":\"error\",\"statuscode\":4013,\"shortmessage\":"
		    "\"Validation Error.\",\"longmessage\":\"Value in field "
		    "domainname does not match requirements of type: "
		    "domainname. \",\"responsedata\":\"\"}", OUT_CONFIG,
		    "infoDnsRecords: error 4013: Validation Error. Value in "
		    "field domainname does not match requirements of type: "
		    "domainname. " },
		{ "infoDnsRecords", 200, "{\"action\":\"infoDnsZone\",\"status\":"
		    "\"error\",\"statuscode\":4001,\"shortmessage\":\"Api "
		    "session id in invalid format\",\"longmessage\":\"The "
		    "session id is not in a valid format.\",\"responsedata\":"
		    "\"\"}", OUT_TEMPFAIL, "infoDnsRecords: error 4001: Api "
		    "session id in invalid format The session id is not in a "
		    "valid format." },
		{ "updateDnsRecords", 200, "{\"status\":\"error\",\"statuscode\":"
		    "4013,\"shortmessage\":\"a\\nb\",\"longmessage\":\"a\\nb\"}",
		    OUT_CONFIG, "updateDnsRecords: error 4013: a?b" },
		{ "login", 503, "<html>down</html>", OUT_TEMPFAIL, "login: HTTP "
		    "503 (no netcup reply)" },
		{ "login", 200, "<html>portal</html>", OUT_PROTOCOL, "login: "
		    "HTTP 200: not a netcup API reply: '[' or '{' expected "
		    "near '<'" },
		{ "login", 200, "{\"ok\":true}", OUT_PROTOCOL, "login: HTTP 200: "
		    "not a netcup API reply: no status and statuscode" },
		{ "login", 200, "", OUT_PROTOCOL, "login: HTTP 200: not a netcup "
		    "API reply: empty reply" },
	};
	json_t	*data;
	char	*why;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(nc_reply(c[i].action, c[i].status, c[i].body,
		    &data, &why), c[i].out);
		assert_null(data);
		assert_non_null(why);
		assert_string_equal(why, c[i].why);
		free(why);
	}
}

static void
test_login_reply(void **st)
{
	json_t	*data;
	char	*why, *s;

	(void)st;
	assert_int_equal(nc_reply("login", 200, "{\"serverrequestid\":"
	    "\"3FWpNX0RgYY0RNI5=\",\"clientrequestid\":\"\",\"action\":"
	    "\"login\",\"status\":\"success\",\"statuscode\":2000,"
	    "\"shortmessage\":\"Login successful\",\"longmessage\":\"Session "
	    "has been created successful.\",\"responsedata\":{"
	    "\"apisessionid\":\"MTY4NjQ0NjQ1N3Y5\"}}", &data, &why),
	    OUT_CURRENT);
	assert_null(why);
	s = nc_session(data);
	assert_string_equal(s, "MTY4NjQ0NjQ1N3Y5");
	free(s);
	json_decref(data);
	assert_int_equal(nc_reply("logout", 200, "{\"status\":\"success\","
	    "\"statuscode\":2000,\"shortmessage\":\"Logout successful\"}",
	    &data, &why), OUT_CURRENT);
	assert_true(json_is_null(data));
	assert_null(nc_session(data));
	json_decref(data);
}

static void
test_find(void **st)
{
	struct nc_rec	 r;
	json_t		*data;
	char		*why;
	size_t		 n;

	(void)st;
	data = json_loads(LIST, 0, NULL);
	assert_int_equal(nc_find(data, "home", "A", &r, &n, &why), 0);
	assert_int_equal(n, 2);
	assert_string_equal(r.id, "1002");
	assert_string_equal(r.dest, "198.51.100.2");
	nc_rec_free(&r);
	assert_int_equal(nc_find(data, "HOME", "AAAA", &r, &n, &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "1003");
	nc_rec_free(&r);
	assert_int_equal(nc_find(data, "@", "A", &r, &n, &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "1001");
	nc_rec_free(&r);
	assert_int_equal(nc_find(data, "nas", "A", &r, &n, &why), 0);
	assert_int_equal(n, 0);
	assert_null(r.id);
	json_decref(data);
	data = json_loads("{\"dnsrecords\":[{\"id\":\"x\",\"hostname\":"
	    "\"home\",\"type\":\"A\",\"destination\":\"1.2.3.4\"}]}", 0, NULL);
	assert_int_equal(nc_find(data, "home", "A", &r, &n, &why), -1);
	assert_string_equal(why, "record 0 has no numeric id");
	free(why);
	json_decref(data);
	data = json_loads("{\"dnsrecords\":[{\"id\":\"1\",\"type\":\"A\"}]}",
	    0, NULL);
	assert_int_equal(nc_find(data, "home", "A", &r, &n, &why), -1);
	assert_string_equal(why, "record 0 lacks hostname, type or "
	    "destination");
	free(why);
	json_decref(data);
	data = json_string("");
	assert_int_equal(nc_find(data, "home", "A", &r, &n, &why), -1);
	assert_string_equal(why, "no \"dnsrecords\" array in the reply");
	free(why);
	json_decref(data);
}

static void
test_in_table(void **st)
{
	(void)st;
	assert_ptr_equal(provider_find("netcup"), &provider_netcup);
	assert_non_null(provider_netcup.check);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_reply_errors),
		cmocka_unit_test(test_login_reply),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_in_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
