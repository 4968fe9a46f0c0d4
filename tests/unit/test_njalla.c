/*
 * Njalla API: request bodies, reply reading and record lists, fed replies
 * recorded from the real API in 2020 (lexicon's test cassettes: record
 * ids 188132.., the "Dynamic" record, error 403 "permission denied").
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/njalla.h"

/* The recorded list-records reply, abridged. */
#define LIST "{\"result\": {\"records\": [{\"id\": 188132, \"name\": " \
	"\"localhost\", \"type\": \"A\", \"content\": \"127.0.0.1\", " \
	"\"ttl\": 3600}, {\"id\": 133783, \"name\": \"@\", \"type\": " \
	"\"Dynamic\", \"content\": \"hj96h42che8lw1l2\", \"ttl\": 60, " \
	"\"update_url\": \"https://njal.la/update/?h=example.com&k=" \
	"hj96h42che8lw1l2&auto\", \"current_ips\": [\"35.139.63.101\"]}, " \
	"{\"id\": 188133, \"name\": \"docs\", \"type\": \"CNAME\", " \
	"\"content\": \"docs.example.com\", \"ttl\": 3600}, {\"id\": 188151, " \
	"\"name\": \"orig.test\", \"type\": \"TXT\", \"content\": " \
	"\"challengetoken\", \"ttl\": 3600}, {\"id\": \"188160\", \"name\": " \
	"\"LocalHost\", \"type\": \"A\", \"content\": \"127.0.0.2\", " \
	"\"ttl\": 300}]}, \"jsonrpc\": \"2.0\"}"

static void
test_build(void **st)
{
	json_t	*p;
	char	*b;

	(void)st;
	b = nj_build("list-domains", NULL);
	assert_string_equal(b, "{\"method\":\"list-domains\",\"params\":{}}");
	free(b);
	p = json_pack("{s:s, s:I, s:s}", "domain", "example.com", "id",
	    (json_int_t)188151, "content", "203.0.113.7");
	b = nj_build("edit-record", p);
	assert_string_equal(b, "{\"method\":\"edit-record\",\"params\":"
	    "{\"domain\":\"example.com\",\"id\":188151,\"content\":"
	    "\"203.0.113.7\"}}");
	free(b);
	json_decref(p);
}

struct rcase {
	const char	*method;
	long		 status;
	const char	*body;
	enum outcome	 out;
	long		 code;
	const char	*why;	/* exact */
};

static void
test_reply_errors(void **st)
{
	static const struct rcase c[] = {
		/* Recorded: a domain not on the account. */
		{ "get-domain", 200, "{\"error\": {\"code\": 403, \"message\": "
		    "\"permission denied\"},\n \"jsonrpc\": \"2.0\"}\n",
		    OUT_AUTH, 403, "get-domain: error 403: permission denied "
		    "(check token, from https://njal.la/settings/api/; a "
		    "restricted token must allow list-domains, list-records, "
		    "add-record and edit-record, and this domain)" },
		{ "edit-record", 200, "{\"error\":{\"code\":404,\"message\":"
		    "\"record not found\"}}", OUT_CONFIG, 404, "edit-record: "
		    "error 404: record not found" },
		{ "add-record", 200, "{\"error\":{\"code\":400,\"message\":"
		    "\"invalid\\nttl\"}}", OUT_CONFIG, 400, "add-record: error "
		    "400: invalid?ttl" },
		{ "add-record", 429, "{\"error\":{\"code\":429,\"message\":"
		    "\"slow down\"}}", OUT_TEMPFAIL, 429, "add-record: error "
		    "429: slow down (HTTP 429)" },
		{ "add-record", 500, "{\"error\":{\"message\":\"oops\"}}",
		    OUT_TEMPFAIL, 0, "add-record: error 0: oops (HTTP 500)" },
		{ "x", 200, "{\"error\":{\"code\":-32601}}", OUT_PROTOCOL,
		    -32601, "x: error -32601" },
		{ "list-records", 502, "<html>Bad gateway</html>",
		    OUT_TEMPFAIL, 0, "list-records: HTTP 502 (no Njalla error "
		    "in the reply)" },
		{ "list-records", 200, "<html>nginx</html>", OUT_PROTOCOL, 0,
		    "list-records: HTTP 200: not a Njalla API reply: '[' or "
		    "'{' expected near '<'" },
		{ "list-records", 200, "[]", OUT_PROTOCOL, 0, "list-records: "
		    "HTTP 200: not a Njalla API reply: not a JSON object" },
		{ "list-records", 200, "{\"jsonrpc\":\"2.0\"}", OUT_PROTOCOL,
		    0, "list-records: HTTP 200: not a Njalla API reply: "
		    "neither \"result\" nor \"error\" in it" },
		{ "list-records", 200, "", OUT_PROTOCOL, 0, "list-records: "
		    "HTTP 200: not a Njalla API reply: empty reply" },
	};
	json_t	*res;
	char	*why;
	long	 code;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(nj_reply(c[i].method, c[i].status,
		    c[i].body, &res, &code, &why), c[i].out);
		assert_null(res);
		assert_int_equal(code, c[i].code);
		assert_non_null(why);
		if (strcmp(why, c[i].why) != 0)
			fail_msg("case %zu: %s", i, why);
		free(why);
	}
}

static void
test_domains(void **st)
{
	json_t	*res;
	char	*why, *names;
	long	 code;

	(void)st;
	/* Shaped as the recorded get-domain reply, in a list. */
	assert_int_equal(nj_reply("list-domains", 200, "{\"result\": "
	    "{\"domains\": [{\"name\": \"example.com\", \"status\": \"active\", "
	    "\"expiry\": \"2021-06-29T23:53:03Z\"}, {\"name\": \"Example.NET\"}"
	    "]}, \"jsonrpc\": \"2.0\"}", &res, &code, &why), OUT_CURRENT);
	names = nj_parse_domains(res, &why);
	assert_string_equal(names, "example.com\nexample.net\n");
	free(names);
	json_decref(res);
	assert_int_equal(nj_reply("list-domains", 200, "{\"result\":"
	    "{\"domains\":[]}}", &res, &code, &why), OUT_CURRENT);
	names = nj_parse_domains(res, &why);
	assert_string_equal(names, "");
	free(names);
	json_decref(res);
	assert_int_equal(nj_reply("list-domains", 200, "{\"result\":"
	    "{\"domains\":[{\"status\":\"active\"}]}}", &res, &code, &why),
	    OUT_CURRENT);
	assert_null(nj_parse_domains(res, &why));
	assert_string_equal(why, "domain 0 has no name");
	free(why);
	json_decref(res);
	assert_int_equal(nj_reply("list-domains", 200, "{\"result\":{}}",
	    &res, &code, &why), OUT_CURRENT);
	assert_null(nj_parse_domains(res, &why));
	assert_string_equal(why, "no \"domains\" array in the reply");
	free(why);
	json_decref(res);
}

static void
test_records(void **st)
{
	json_t		*res;
	struct nj_rec	 r;
	char		*why;
	size_t		 n;
	long		 code;

	(void)st;
	assert_int_equal(nj_reply("list-records", 200, LIST, &res, &code,
	    &why), OUT_CURRENT);
	/* Names in any case; ids as numbers or digit strings. */
	assert_int_equal(nj_parse_records(res, "localhost", "A", &r, &n,
	    &why), 0);
	assert_int_equal(n, 2);
	assert_string_equal(r.id, "188132");
	assert_string_equal(r.content, "127.0.0.1");
	assert_int_equal(r.ttl, 3600);
	nj_rec_free(&r);
	assert_int_equal(nj_parse_records(res, "orig.test", "txt", &r, &n,
	    &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "188151");
	nj_rec_free(&r);
	/* Njalla's own "Dynamic" record is not an A record. */
	assert_int_equal(nj_parse_records(res, "@", "A", &r, &n, &why), 0);
	assert_int_equal(n, 0);
	assert_null(r.id);
	/* Names are relative. */
	assert_int_equal(nj_parse_records(res, "docs.example.com", "CNAME",
	    &r, &n, &why), 0);
	assert_int_equal(n, 0);
	json_decref(res);

	assert_int_equal(nj_reply("list-records", 200, "{\"result\":"
	    "{\"records\":[{\"id\":\"x\",\"name\":\"h\",\"type\":\"A\","
	    "\"content\":\"1.2.3.4\"}]}}", &res, &code, &why), OUT_CURRENT);
	assert_int_equal(nj_parse_records(res, "h", "A", &r, &n, &why), -1);
	assert_string_equal(why, "record 0 has no numeric id");
	free(why);
	json_decref(res);
	assert_int_equal(nj_reply("list-records", 200, "{\"result\":"
	    "{\"records\":[{\"id\":1,\"type\":\"A\"}]}}", &res, &code, &why),
	    OUT_CURRENT);
	assert_int_equal(nj_parse_records(res, "h", "A", &r, &n, &why), -1);
	assert_string_equal(why, "record 0 lacks name or type");
	free(why);
	json_decref(res);
	assert_int_equal(nj_reply("list-records", 200, "{\"result\":"
	    "{\"records\":[{\"id\":1,\"name\":\"h\",\"type\":\"A\"}]}}", &res,
	    &code, &why), OUT_CURRENT);
	assert_int_equal(nj_parse_records(res, "h", "A", &r, &n, &why), -1);
	assert_string_equal(why, "record 0 has no content");
	free(why);
	json_decref(res);
	assert_int_equal(nj_reply("list-records", 200, "{\"result\":{}}",
	    &res, &code, &why), OUT_CURRENT);
	assert_int_equal(nj_parse_records(res, "h", "A", &r, &n, &why), -1);
	assert_string_equal(why, "no \"records\" array in the reply");
	free(why);
	json_decref(res);
}

static void
test_write(void **st)
{
	json_t	*res;
	char	*why, *id;
	long	 code;

	(void)st;
	/* The recorded add-record reply. */
	assert_int_equal(nj_reply("add-record", 200, "{\"result\": {\"id\": "
	    "188151, \"name\": \"orig.test\", \"type\":\n \"TXT\", "
	    "\"content\": \"challengetoken\", \"ttl\": 3600}, \"jsonrpc\": "
	    "\"2.0\"}\n", &res, &code, &why), OUT_CURRENT);
	id = nj_parse_write(res);
	assert_string_equal(id, "188151");
	free(id);
	json_decref(res);
	assert_int_equal(nj_reply("edit-record", 200, "{\"result\":{}}",
	    &res, &code, &why), OUT_CURRENT);
	assert_null(nj_parse_write(res));
	json_decref(res);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_reply_errors),
		cmocka_unit_test(test_domains),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_write),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
