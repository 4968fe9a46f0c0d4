/*
 * Name.com API v4: reply reading, record pages and request bodies, fed
 * replies shaped as Name.com's API reference shows them (ListRecords,
 * GetDomain, {"message":...,"details":...} errors).
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/namecom.h"

/* The reference's ListRecords example, with an apex and a second page. */
#define PAGE1 "{\"records\":[" \
	"{\"id\":12345,\"domainName\":\"example.org\",\"host\":\"www\"," \
	"\"fqdn\":\"www.example.org.\",\"type\":\"A\",\"answer\":" \
	"\"10.0.0.1\",\"ttl\":300}," \
	"{\"id\":12346,\"domainName\":\"example.org\",\"fqdn\":" \
	"\"example.org.\",\"type\":\"A\",\"answer\":\"10.0.0.2\",\"ttl\":" \
	"3600}," \
	"{\"id\":12347,\"domainName\":\"example.org\",\"host\":\"www\"," \
	"\"fqdn\":\"www.example.org.\",\"type\":\"AAAA\",\"answer\":" \
	"\"2001:db8::1\",\"ttl\":300}],\"nextPage\":2,\"lastPage\":2}"
#define PAGE2 "{\"records\":[" \
	"{\"id\":\"12348\",\"domainName\":\"example.org\",\"host\":\"www\"," \
	"\"fqdn\":\"www.example.org.\",\"type\":\"A\",\"answer\":" \
	"\"10.0.0.3\",\"ttl\":600}],\"lastPage\":2}"

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
		{ 401, "{\"message\":\"Unauthenticated\"}", OUT_AUTH, "HTTP "
		    "401: Unauthenticated (check username and token: the "
		    "account's user name and a production API token from "
		    "Account, Settings, API Token Management)" },
		{ 403, "{\"message\":\"Permission Denied\",\"details\":"
		    "\"Authentication Error - Account Has Two-Step Verification "
		    "Enabled\"}", OUT_AUTH, "HTTP 403: Permission Denied: "
		    "Authentication Error - Account Has Two-Step Verification "
		    "Enabled (with two-step verification on, turn on Name.com "
		    "API Access under Account, Settings, Security)" },
		{ 404, "{\"message\":\"Not Found\",\"details\":\"\"}",
		    OUT_CONFIG, "HTTP 404: Not Found" },
		{ 400, "{\"message\":\"Invalid Argument\",\"details\":\"TTL "
		    "must be at least 300\"}", OUT_CONFIG, "HTTP 400: Invalid "
		    "Argument: TTL must be at least 300" },
		{ 429, "{\"message\":\"Too Many Requests\"}", OUT_TEMPFAIL,
		    "HTTP 429: Too Many Requests" },
		{ 503, "", OUT_TEMPFAIL, "HTTP 503 (no Name.com error in the "
		    "reply)" },
		{ 418, "{\"details\":\"a\\rb\"}", OUT_PROTOCOL, "HTTP 418: a?b" },
		{ 200, "<html>nginx</html>", OUT_PROTOCOL, "HTTP 200: not a "
		    "Name.com API reply: '[' or '{' expected near '<'" },
		{ 200, "[]", OUT_PROTOCOL, "HTTP 200: not a Name.com API "
		    "reply: not a JSON object" },
	};
	json_t	*root;
	char	*why;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(ncom_reply(c[i].status, c[i].body, &root,
		    &why), c[i].out);
		assert_null(root);
		assert_non_null(why);
		if (strcmp(why, c[i].why) != 0)
			fail_msg("case %zu: %s", i, why);
		free(why);
	}
}

static void
test_domain(void **st)
{
	json_t	*root;
	char	*why;

	(void)st;
	assert_int_equal(ncom_reply(200, "{\"domainName\":\"example.org\","
	    "\"nameservers\":[\"ns1.name.com\"],\"locked\":true,"
	    "\"autorenewEnabled\":true,\"expireDate\":"
	    "\"2027-01-01T00:00:00Z\",\"createDate\":\"2020-01-01T00:00:00Z\"}",
	    &root, &why), OUT_CURRENT);
	assert_int_equal(ncom_parse_domain(root, "example.org"), 1);
	assert_int_equal(ncom_parse_domain(root, "EXAMPLE.org"), 1);
	assert_int_equal(ncom_parse_domain(root, "example.com"), 0);
	json_decref(root);
	assert_int_equal(ncom_reply(200, "{\"name\":\"example.org\"}", &root,
	    &why), OUT_CURRENT);
	assert_int_equal(ncom_parse_domain(root, "example.org"), -1);
	json_decref(root);
}

static void
test_records(void **st)
{
	struct ncom_rec	 r;
	json_t		*root;
	char		*why;
	size_t		 n = 0;
	long		 next;

	(void)st;
	memset(&r, 0, sizeof(r));
	assert_int_equal(ncom_reply(200, PAGE1, &root, &why), OUT_CURRENT);
	assert_int_equal(ncom_parse_records(root, "www", "A", &r, &n, &next,
	    &why), 0);
	json_decref(root);
	assert_int_equal(n, 1);
	assert_int_equal(next, 2);
	assert_string_equal(r.id, "12345");
	assert_string_equal(r.answer, "10.0.0.1");
	assert_int_equal(r.ttl, 300);
	assert_int_equal(ncom_reply(200, PAGE2, &root, &why), OUT_CURRENT);
	assert_int_equal(ncom_parse_records(root, "www", "A", &r, &n, &next,
	    &why), 0);
	json_decref(root);
	assert_int_equal(n, 2);
	assert_int_equal(next, 0);
	assert_string_equal(r.id, "12345");	/* the first stays */
	ncom_rec_free(&r);

	/* The apex has no host. */
	n = 0;
	assert_int_equal(ncom_reply(200, PAGE1, &root, &why), OUT_CURRENT);
	assert_int_equal(ncom_parse_records(root, "", "A", &r, &n, &next, &why),
	    0);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "12346");
	assert_int_equal(r.ttl, 3600);
	ncom_rec_free(&r);
	n = 0;
	assert_int_equal(ncom_parse_records(root, "WWW", "AAAA", &r, &n, &next,
	    &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.answer, "2001:db8::1");
	ncom_rec_free(&r);
	json_decref(root);

	/* A domain without records answers {}. */
	n = 0;
	assert_int_equal(ncom_reply(200, "{}", &root, &why), OUT_CURRENT);
	assert_int_equal(ncom_parse_records(root, "www", "A", &r, &n, &next,
	    &why), 0);
	assert_int_equal(n, 0);
	assert_null(r.id);
	json_decref(root);

	assert_int_equal(ncom_reply(200, "{\"records\":{},\"nextPage\":2}",
	    &root, &why), OUT_CURRENT);
	assert_int_equal(ncom_parse_records(root, "www", "A", &r, &n, &next,
	    &why), -1);
	assert_string_equal(why, "no \"records\" array in the reply");
	free(why);
	json_decref(root);
	assert_int_equal(ncom_reply(200, "{\"records\":[{\"id\":1,\"host\":"
	    "\"www\",\"type\":\"A\"}]}", &root, &why), OUT_CURRENT);
	assert_int_equal(ncom_parse_records(root, "www", "A", &r, &n, &next,
	    &why), -1);
	assert_string_equal(why, "record 0 lacks host, type or answer");
	free(why);
	json_decref(root);
	assert_int_equal(ncom_reply(200, "{\"records\":[{\"id\":-1,\"host\":"
	    "\"www\",\"type\":\"A\",\"answer\":\"1.2.3.4\"}]}", &root, &why),
	    OUT_CURRENT);
	assert_int_equal(ncom_parse_records(root, "www", "A", &r, &n, &next,
	    &why), -1);
	assert_string_equal(why, "record 0 has no numeric id");
	free(why);
	ncom_rec_free(&r);
	json_decref(root);
}

static void
test_write_and_body(void **st)
{
	json_t	*root;
	char	*why, *id, *b;

	(void)st;
	assert_int_equal(ncom_reply(200, "{\"id\":12345,\"domainName\":"
	    "\"example.org\",\"host\":\"www\",\"fqdn\":\"www.example.org.\","
	    "\"type\":\"A\",\"answer\":\"10.0.0.1\",\"ttl\":300}", &root, &why),
	    OUT_CURRENT);
	id = ncom_parse_write(root);
	assert_string_equal(id, "12345");
	free(id);
	json_decref(root);
	b = ncom_build_body("www", "A", "10.0.0.1", 300);
	assert_string_equal(b, "{\"host\":\"www\",\"type\":\"A\",\"answer\":"
	    "\"10.0.0.1\",\"ttl\":300}");
	free(b);
	b = ncom_build_body("", "AAAA", "2001:db8::7", 3600);
	assert_string_equal(b, "{\"type\":\"AAAA\",\"answer\":\"2001:db8::7\","
	    "\"ttl\":3600}");
	free(b);
}

static void
test_in_table(void **st)
{
	(void)st;
	assert_ptr_equal(provider_find("namecom"), &provider_namecom);
	assert_non_null(provider_namecom.check);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply_errors),
		cmocka_unit_test(test_domain),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_write_and_body),
		cmocka_unit_test(test_in_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
