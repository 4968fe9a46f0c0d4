/*
 * OVHcloud API: the "$1$" signature, reply reading, zone choice and
 * request bodies. OVH publishes no signature vector; the expected values
 * below were computed independently with Python's hashlib (sha1 of the
 * "+"-joined fields), using the key values of OVH's "first steps with
 * the API" guide. Record objects follow the API console's schema of
 * domain.zone.Record.
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/ovh.h"

#define AS	"EXEgWIz07P0HYwtQDs7cNIqCiQaWSuHF"
#define CK	"MtSwSrPpNjqfVSmJhLbPyr2i45lSwPU1"
#define EU	"https://eu.api.ovh.com/1.0"

struct scase {
	const char	*as, *ck, *method, *url, *body;
	long long	 ts;
	const char	*sig;
};

static void
test_sign(void **st)
{
	static const struct scase c[] = {
		{ AS, CK, "GET", EU "/domain/zone/example.com/record?"
		    "fieldType=A&subDomain=home", NULL, 1366560945,
		    "$1$ec1d9e2351fe8068e900907b6fd7c5e21d1ec38b" },
		{ AS, CK, "GET", EU "/domain/zone/example.com/record?"
		    "fieldType=A&subDomain=home", "", 1366560945,
		    "$1$ec1d9e2351fe8068e900907b6fd7c5e21d1ec38b" },
		{ AS, CK, "POST", EU "/domain/zone/example.com/record",
		    "{\"fieldType\":\"A\",\"subDomain\":\"home\",\"target\":"
		    "\"203.0.113.7\"}", 1366560945,
		    "$1$b2dfccda23178312f5067ee82fe16b7f333272c4" },
		{ AS, CK, "PUT", EU "/domain/zone/example.com/record/1234567",
		    "{\"target\":\"203.0.113.8\"}", 1366560945,
		    "$1$73cdd267e186167fd8dc415171d1422266b94ce1" },
		{ AS, CK, "POST", EU "/domain/zone/example.com/refresh", NULL,
		    1366560945, "$1$080b3272d9e951b5fa490a298ccf0542a3d3110c" },
		{ "", "", "GET", "", NULL, 0,
		    "$1$c3606b4998e53b0f1fc633665946b7cc8cd74292" },
	};
	char	 out[45];
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		ovh_sign(c[i].as, c[i].ck, c[i].method, c[i].url, c[i].body,
		    c[i].ts, out);
		assert_string_equal(out, c[i].sig);
	}
}

static void
test_endpoint(void **st)
{
	(void)st;
	assert_string_equal(ovh_endpoint("ovh-eu"), EU);
	assert_string_equal(ovh_endpoint("OVH-CA"),
	    "https://ca.api.ovh.com/1.0");
	assert_string_equal(ovh_endpoint("ovh-us"),
	    "https://api.us.ovhcloud.com/1.0");
	assert_null(ovh_endpoint("kimsufi-eu"));
	assert_null(ovh_endpoint("https://eu.api.ovh.com/1.0"));
}

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
		{ 403, "{\"errorCode\":\"INVALID_CREDENTIAL\",\"httpCode\":"
		    "\"403 Forbidden\",\"message\":\"This credential is not "
		    "valid\"}", OUT_AUTH, "HTTP 403: INVALID_CREDENTIAL: This "
		    "credential is not valid (check consumer_key: it is "
		    "unknown, expired, revoked or not validated; create one "
		    "at https://eu.api.ovh.com/createToken/)" },
		{ 400, "{\"errorCode\":\"INVALID_SIGNATURE\",\"httpCode\":"
		    "\"400 Bad Request\",\"message\":\"Invalid signature\"}",
		    OUT_AUTH, "HTTP 400: INVALID_SIGNATURE: Invalid signature "
		    "(check application_secret: it does not belong to the "
		    "application key)" },
		{ 403, "{\"errorCode\":\"INVALID_KEY\",\"httpCode\":\"403 "
		    "Forbidden\",\"message\":\"This application key is "
		    "invalid\"}", OUT_AUTH, "HTTP 403: INVALID_KEY: This "
		    "application key is invalid (check application_key: it is "
		    "not an OVH application key of this endpoint)" },
		{ 403, "{\"errorCode\":\"NOT_GRANTED_CALL\",\"httpCode\":"
		    "\"403 Forbidden\",\"message\":\"This call has not been "
		    "granted\"}", OUT_AUTH, "HTTP 403: NOT_GRANTED_CALL: This "
		    "call has not been granted (the consumer key lacks an "
		    "access rule: it needs GET /domain/zone, GET/POST/PUT "
		    "/domain/zone/*/record*, POST /domain/zone/*/refresh)" },
		{ 400, "{\"errorCode\":\"QUERY_TIME_OUT\",\"message\":\"Query "
		    "out of time\"}", OUT_AUTH, "HTTP 400: QUERY_TIME_OUT: "
		    "Query out of time (the request was too slow or the clock "
		    "is off)" },
		{ 404, "{\"class\":\"Client::NotFound\",\"message\":\"This "
		    "service does not exist\"}", OUT_CONFIG, "HTTP 404: "
		    "Client::NotFound: This service does not exist" },
		{ 400, "{\"class\":\"Client::BadRequest\",\"message\":\"Invalid "
		    "IPv4 address\"}", OUT_CONFIG, "HTTP 400: "
		    "Client::BadRequest: Invalid IPv4 address" },
		{ 429, "{\"class\":\"Client::TooManyRequests\",\"message\":"
		    "\"Too many requests\"}", OUT_TEMPFAIL, "HTTP 429: "
		    "Client::TooManyRequests: Too many requests" },
		{ 503, "<html>maintenance</html>", OUT_TEMPFAIL, "HTTP 503 (no "
		    "OVH error in the reply)" },
		{ 418, "{\"message\":\"a\\nb\"}", OUT_PROTOCOL,
		    "HTTP 418: a?b" },
		{ 200, "<html>nginx</html>", OUT_PROTOCOL, "HTTP 200: not an "
		    "OVH API reply: invalid token near '<'" },
	};
	json_t	*root;
	char	*why;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(ovh_reply(c[i].status, c[i].body, &root,
		    &why), c[i].out);
		assert_null(root);
		assert_non_null(why);
		assert_string_equal(why, c[i].why);
		free(why);
	}
}

static void
test_reply_ok(void **st)
{
	json_t		*root;
	char		*why;
	long long	 t;

	(void)st;
	/* PUT and refresh answer null (or nothing). */
	assert_int_equal(ovh_reply(200, "null", &root, &why), OUT_CURRENT);
	assert_true(json_is_null(root));
	assert_null(why);
	json_decref(root);
	assert_int_equal(ovh_reply(200, "", &root, &why), OUT_CURRENT);
	assert_true(json_is_null(root));
	json_decref(root);
	/* GET /auth/time answers a bare number. */
	assert_int_equal(ovh_reply(200, "1366560945", &root, &why),
	    OUT_CURRENT);
	assert_int_equal(ovh_parse_time(root, &t), 0);
	assert_true(t == 1366560945LL);
	json_decref(root);
	root = json_string("1366560945");
	assert_int_equal(ovh_parse_time(root, &t), -1);
	json_decref(root);
}

static void
test_zones(void **st)
{
	json_t	*root;
	char	*why, *s, *z;

	(void)st;
	root = json_loads("[\"example.com\",\"sub.example.com\","
	    "\"example.org\"]", 0, NULL);
	s = ovh_parse_zones(root, &why);
	json_decref(root);
	assert_string_equal(s, "example.com sub.example.com example.org");
	z = ovh_pick_zone(s, "home.example.com");
	assert_string_equal(z, "example.com");
	free(z);
	z = ovh_pick_zone(s, "a.sub.example.com");
	assert_string_equal(z, "sub.example.com");
	free(z);
	z = ovh_pick_zone(s, "EXAMPLE.org");
	assert_string_equal(z, "example.org");
	free(z);
	assert_null(ovh_pick_zone(s, "notexample.com"));
	assert_null(ovh_pick_zone(s, "example.net"));
	assert_null(ovh_pick_zone("", "example.net"));
	free(s);
	root = json_loads("[]", 0, NULL);
	s = ovh_parse_zones(root, &why);
	assert_string_equal(s, "");
	free(s);
	json_decref(root);
	root = json_loads("[\"a b\"]", 0, NULL);
	assert_null(ovh_parse_zones(root, &why));
	assert_string_equal(why, "GET /domain/zone: zone 0 is not a name");
	free(why);
	json_decref(root);
	root = json_loads("{}", 0, NULL);
	assert_null(ovh_parse_zones(root, &why));
	assert_string_equal(why, "GET /domain/zone: not an array of zones");
	free(why);
	json_decref(root);
}

static void
test_ids(void **st)
{
	json_t	*root;
	char	**ids, *why;
	size_t	 n;

	(void)st;
	root = json_loads("[1234567, 5123456789]", 0, NULL);
	assert_int_equal(ovh_parse_ids(root, &ids, &n, &why), 0);
	assert_int_equal(n, 2);
	assert_string_equal(ids[0], "1234567");
	assert_string_equal(ids[1], "5123456789");
	ovh_ids_free(ids, n);
	json_decref(root);
	root = json_loads("[]", 0, NULL);
	assert_int_equal(ovh_parse_ids(root, &ids, &n, &why), 0);
	assert_int_equal(n, 0);
	assert_null(ids);
	json_decref(root);
	root = json_loads("[1, \"x\"]", 0, NULL);
	assert_int_equal(ovh_parse_ids(root, &ids, &n, &why), -1);
	assert_string_equal(why, "the record search answered a non-numeric "
	    "id at 1");
	free(why);
	json_decref(root);
	root = json_loads("{\"ids\":[]}", 0, NULL);
	assert_int_equal(ovh_parse_ids(root, &ids, &n, &why), -1);
	free(why);
	json_decref(root);
}

static void
test_record(void **st)
{
	struct ovh_rec	 r;
	json_t		*root;

	(void)st;
	root = json_loads("{\"fieldType\":\"A\",\"id\":1234567,\"subDomain\":"
	    "\"www\",\"target\":\"1.2.3.4\",\"ttl\":0,\"zone\":"
	    "\"example.com\"}", 0, NULL);
	assert_int_equal(ovh_parse_record(root, &r), 0);
	assert_string_equal(r.id, "1234567");
	assert_string_equal(r.sub, "www");
	assert_string_equal(r.type, "A");
	assert_string_equal(r.target, "1.2.3.4");
	assert_int_equal(r.ttl, 0);
	ovh_rec_free(&r);
	json_decref(root);
	root = json_loads("{\"fieldType\":\"AAAA\",\"id\":7,\"subDomain\":"
	    "\"\",\"target\":\"2001:db8::1\",\"ttl\":60}", 0, NULL);
	assert_int_equal(ovh_parse_record(root, &r), 0);
	assert_string_equal(r.sub, "");
	assert_int_equal(r.ttl, 60);
	ovh_rec_free(&r);
	json_decref(root);
	root = json_loads("{\"fieldType\":\"A\",\"subDomain\":\"www\","
	    "\"target\":\"1.2.3.4\"}", 0, NULL);
	assert_int_equal(ovh_parse_record(root, &r), -1);
	json_decref(root);
	root = json_null();
	assert_int_equal(ovh_parse_record(root, &r), -1);
	json_decref(root);
}

static void
test_body(void **st)
{
	struct ovh_rec	 have;
	char		*b;

	(void)st;
	assert_int_equal(ovh_build_body("A", "home", "203.0.113.7", 0, NULL,
	    &b), 3);
	assert_string_equal(b, "{\"fieldType\":\"A\",\"subDomain\":\"home\","
	    "\"target\":\"203.0.113.7\"}");
	free(b);
	assert_int_equal(ovh_build_body("AAAA", "", "2001:db8::7", 300, NULL,
	    &b), 3);
	assert_string_equal(b, "{\"fieldType\":\"AAAA\",\"subDomain\":\"\","
	    "\"target\":\"2001:db8::7\",\"ttl\":300}");
	free(b);
	memset(&have, 0, sizeof(have));
	have.target = "203.0.113.7";
	have.ttl = 0;
	assert_int_equal(ovh_build_body("A", "home", "203.0.113.7", 0, &have,
	    &b), 0);
	assert_null(b);
	assert_int_equal(ovh_build_body("A", "home", "203.0.113.8", 0, &have,
	    &b), 1);
	assert_string_equal(b, "{\"target\":\"203.0.113.8\"}");
	free(b);
	assert_int_equal(ovh_build_body("A", "home", "203.0.113.7", 600,
	    &have, &b), 1);
	assert_string_equal(b, "{\"ttl\":600}");
	free(b);
	have.target = "2001:DB8:0::7";
	assert_int_equal(ovh_build_body("AAAA", "", "2001:db8::7", 0, &have,
	    &b), 0);
}

static void
test_in_table(void **st)
{
	(void)st;
	assert_ptr_equal(provider_find("ovh"), &provider_ovh);
	assert_non_null(provider_ovh.check);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign),
		cmocka_unit_test(test_endpoint),
		cmocka_unit_test(test_reply_errors),
		cmocka_unit_test(test_reply_ok),
		cmocka_unit_test(test_zones),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_in_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
