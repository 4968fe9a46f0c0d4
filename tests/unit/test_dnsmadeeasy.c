/*
 * DNS Made Easy API v2.0: request signing against the API documentation's
 * example (secret key c9b5625f-..., "Sat, 12 Feb 2011 20:59:04 GMT" ->
 * b3502e6116a324f3cf4a8ed693d78bcee8d8fe3c), reply reading, record lists
 * and request bodies shaped as the documentation shows them.
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/dnsmadeeasy.h"

#define LIST "{\"totalRecords\":3,\"totalPages\":1,\"page\":0,\"data\":[" \
	"{\"source\":1,\"ttl\":1800,\"gtdLocation\":\"DEFAULT\"," \
	"\"sourceId\":1119443,\"failover\":false,\"monitor\":false," \
	"\"hardLink\":false,\"dynamicDns\":false,\"failed\":false," \
	"\"name\":\"www\",\"value\":\"1.2.3.4\",\"id\":66814826," \
	"\"type\":\"A\"}," \
	"{\"source\":1,\"ttl\":300,\"gtdLocation\":\"DEFAULT\",\"name\":" \
	"\"\",\"value\":\"5.6.7.8\",\"id\":\"66814827\",\"type\":\"A\"}," \
	"{\"ttl\":60,\"name\":\"www\",\"value\":\"1.2.3.5\",\"id\":66814828," \
	"\"type\":\"A\"}]}"

static void
test_sign_documented_example(void **st)
{
	char	 date[DME_DATE_MAX], hmac[41];

	(void)st;
	/* 2011-02-12T20:59:04Z */
	assert_int_equal(dme_sign("c9b5625f-9834-4ff8-baba-4ed5f32cae55",
	    (time_t)1297544344, date, hmac), 0);
	assert_string_equal(date, "Sat, 12 Feb 2011 20:59:04 GMT");
	assert_string_equal(hmac, "b3502e6116a324f3cf4a8ed693d78bcee8d8fe3c");
	/* Single-digit days are zero-padded as in RFC 7231's IMF-fixdate;
	 * the HMAC was computed independently with Python's hmac module. */
	assert_int_equal(dme_sign("c9b5625f-9834-4ff8-baba-4ed5f32cae55",
	    (time_t)1762333201, date, hmac), 0);
	assert_string_equal(date, "Wed, 05 Nov 2025 09:00:01 GMT");
	assert_string_equal(hmac, "765a2bb54c067d7b969a4daf9a409753fa537121");
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
		{ 403, "{\"error\":[\"API key not found\"]}", OUT_AUTH,
		    "HTTP 403: API key not found (check api_key and "
		    "secret_key: the API key and secret key of the control "
		    "panel's Config, Account Information (API access must be "
		    "on), and the host's clock)" },
		{ 400, "{\"error\":[\"Rate limit exceeded\"]}", OUT_TEMPFAIL,
		    "HTTP 400: Rate limit exceeded" },
		{ 400, "{\"error\":[\"Record with this type (A), name (www), "
		    "and value (1.2.3.4) already exists.\",\"second\"]}",
		    OUT_CONFIG, "HTTP 400: Record with this type (A), name "
		    "(www), and value (1.2.3.4) already exists.; second" },
		{ 404, "{\"error\":\"Domain not found\"}", OUT_CONFIG,
		    "HTTP 404: Domain not found" },
		{ 404, "", OUT_CONFIG, "HTTP 404 (no DNS Made Easy error in "
		    "the reply)" },
		{ 500, "{\"error\":[\"a\\nb\"]}", OUT_TEMPFAIL, "HTTP 500: a?b" },
		{ 200, "<html>nginx</html>", OUT_PROTOCOL, "HTTP 200: not a "
		    "DNS Made Easy API reply: '[' or '{' expected near '<'" },
		{ 201, "[]", OUT_PROTOCOL, "HTTP 201: not a DNS Made Easy API "
		    "reply: not a JSON object" },
	};
	json_t	*root;
	char	*why;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(dme_reply(c[i].status, c[i].body, &root,
		    &why), c[i].out);
		assert_null(root);
		assert_non_null(why);
		if (strcmp(why, c[i].why) != 0)
			fail_msg("case %zu: %s", i, why);
		free(why);
	}
	/* PUT answers 200 with no body. */
	assert_int_equal(dme_reply(200, "", &root, &why), OUT_CURRENT);
	assert_null(root);
	assert_null(why);
}

static void
test_domain(void **st)
{
	json_t	*root;
	char	*why, *id;

	(void)st;
	assert_int_equal(dme_reply(200, "{\"created\":1297468800000,"
	    "\"folderId\":1890,\"gtdEnabled\":false,\"updated\":"
	    "1297468800000,\"processMulti\":false,\"activeThirdParties\":[],"
	    "\"pendingActionId\":0,\"id\":1119443,\"name\":\"example.com\"}",
	    &root, &why), OUT_CURRENT);
	assert_int_equal(dme_parse_domain(root, "example.com", &id), 1);
	assert_string_equal(id, "1119443");
	free(id);
	assert_int_equal(dme_parse_domain(root, "Example.COM", &id), 1);
	free(id);
	assert_int_equal(dme_parse_domain(root, "example.net", &id), 0);
	assert_null(id);
	json_decref(root);
	assert_int_equal(dme_reply(200, "{\"name\":\"example.com\",\"id\":"
	    "-4}", &root, &why), OUT_CURRENT);
	assert_int_equal(dme_parse_domain(root, "example.com", &id), -1);
	json_decref(root);
}

static void
test_records(void **st)
{
	struct dme_rec	 r;
	json_t		*root;
	char		*why, *id;
	size_t		 n;

	(void)st;
	assert_int_equal(dme_reply(200, LIST, &root, &why), OUT_CURRENT);
	assert_int_equal(dme_parse_records(root, "www", "A", &r, &n, &why), 0);
	assert_int_equal(n, 2);
	assert_string_equal(r.id, "66814826");
	assert_string_equal(r.value, "1.2.3.4");
	assert_int_equal(r.ttl, 1800);
	dme_rec_free(&r);
	assert_int_equal(dme_parse_records(root, "", "A", &r, &n, &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "66814827");
	assert_int_equal(r.ttl, 300);
	dme_rec_free(&r);
	assert_int_equal(dme_parse_records(root, "www", "AAAA", &r, &n, &why),
	    0);
	assert_int_equal(n, 0);
	assert_null(r.id);
	json_decref(root);

	assert_int_equal(dme_reply(200, "{\"data\":[{\"name\":\"www\","
	    "\"type\":\"A\",\"value\":\"1.2.3.4\",\"id\":\"x\"}]}", &root,
	    &why), OUT_CURRENT);
	assert_int_equal(dme_parse_records(root, "www", "A", &r, &n, &why), -1);
	assert_string_equal(why, "record 0 has no numeric id");
	free(why);
	json_decref(root);
	assert_int_equal(dme_reply(200, "{\"data\":[{\"name\":\"www\","
	    "\"type\":\"A\"}]}", &root, &why), OUT_CURRENT);
	assert_int_equal(dme_parse_records(root, "www", "A", &r, &n, &why), -1);
	assert_string_equal(why, "record 0 lacks name, type or value");
	free(why);
	json_decref(root);
	assert_int_equal(dme_reply(200, "{\"records\":[]}", &root, &why),
	    OUT_CURRENT);
	assert_int_equal(dme_parse_records(root, "www", "A", &r, &n, &why), -1);
	assert_string_equal(why, "no \"data\" array in the reply");
	free(why);
	json_decref(root);

	assert_int_equal(dme_reply(201, "{\"name\":\"www\",\"value\":"
	    "\"1.2.3.4\",\"id\":66814826,\"type\":\"A\",\"ttl\":1800,"
	    "\"gtdLocation\":\"DEFAULT\",\"source\":1,\"sourceId\":1119443}",
	    &root, &why), OUT_CURRENT);
	id = dme_parse_write(root);
	assert_string_equal(id, "66814826");
	free(id);
	json_decref(root);
	assert_null(dme_parse_write(NULL));
}

static void
test_body(void **st)
{
	char	*b;

	(void)st;
	b = dme_build_body("www", "A", "1.2.3.4", 1800, NULL);
	assert_string_equal(b, "{\"name\":\"www\",\"type\":\"A\",\"value\":"
	    "\"1.2.3.4\",\"gtdLocation\":\"DEFAULT\",\"ttl\":1800}");
	free(b);
	b = dme_build_body("", "AAAA", "2001:db8::7", 300, "66814826");
	assert_string_equal(b, "{\"name\":\"\",\"type\":\"AAAA\",\"value\":"
	    "\"2001:db8::7\",\"gtdLocation\":\"DEFAULT\",\"ttl\":300,\"id\":"
	    "66814826}");
	free(b);
}

static void
test_in_table(void **st)
{
	(void)st;
	assert_ptr_equal(provider_find("dnsmadeeasy"), &provider_dnsmadeeasy);
	assert_non_null(provider_dnsmadeeasy.check);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_documented_example),
		cmocka_unit_test(test_reply_errors),
		cmocka_unit_test(test_domain),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_in_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
