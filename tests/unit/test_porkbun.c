/*
 * Porkbun API v3: request bodies and reply reading, fed the example
 * replies of Porkbun's API documentation (borseth.ink, ids 106926652 and
 * 106926659) and the error messages its users quote.
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/porkbun.h"

static void
test_body(void **st)
{
	char	*b;

	(void)st;
	b = pb_body("pk1_k", "sk1_s", NULL, NULL, NULL, 0);
	assert_string_equal(b, "{\"secretapikey\":\"sk1_s\",\"apikey\":"
	    "\"pk1_k\"}");
	free(b);
	b = pb_body("pk1_k", "sk1_s", "www", "A", "1.1.1.1", 600);
	assert_string_equal(b, "{\"secretapikey\":\"sk1_s\",\"apikey\":"
	    "\"pk1_k\",\"name\":\"www\",\"type\":\"A\",\"content\":"
	    "\"1.1.1.1\",\"ttl\":\"600\"}");
	free(b);
	b = pb_body("pk1_k", "sk1_s", "", "AAAA", "2001:db8::7", 3600);
	assert_string_equal(b, "{\"secretapikey\":\"sk1_s\",\"apikey\":"
	    "\"pk1_k\",\"name\":\"\",\"type\":\"AAAA\",\"content\":"
	    "\"2001:db8::7\",\"ttl\":\"3600\"}");
	free(b);
}

struct rcase {
	long		 status;
	const char	*body;
	enum outcome	 out;
	int		 hold;
	const char	*why;	/* exact */
};

static void
test_reply_errors(void **st)
{
	static const struct rcase c[] = {
		{ 400, "{\"status\":\"ERROR\",\"message\":\"Invalid API key. "
		    "(002)\"}", OUT_AUTH, 0, "HTTP 400: Invalid API key. (002) "
		    "(check api_key and secret_api_key: a key pair from "
		    "https://porkbun.com/account/api)" },
		{ 400, "{\"status\":\"ERROR\",\"message\":\"Domain is not "
		    "opted in to API access.\"}", OUT_AUTH, 1, "HTTP 400: "
		    "Domain is not opted in to API access. (turn on API ACCESS "
		    "for this domain in Porkbun's Domain Management page: it "
		    "is off for every domain by default)" },
		{ 400, "{\"status\":\"ERROR\",\"message\":\"Invalid "
		    "domain.\"}", OUT_CONFIG, 1, "HTTP 400: Invalid domain. "
		    "(is the domain in this Porkbun account? set \"zone\" if "
		    "it is not the last two labels of the name)" },
		{ 400, "{\"status\":\"ERROR\",\"message\":\"Edit error: We "
		    "were unable to edit the DNS record.\"}", OUT_CONFIG, 0,
		    "HTTP 400: Edit error: We were unable to edit the DNS "
		    "record." },
		{ 429, "{\"status\":\"ERROR\",\"message\":\"Rate limit "
		    "exceeded.\"}", OUT_TEMPFAIL, 0, "HTTP 429: Rate limit "
		    "exceeded." },
		{ 400, "{\"status\":\"ERROR\",\"message\":\"Rate limit "
		    "exceeded.\"}", OUT_TEMPFAIL, 0, "HTTP 400: Rate limit "
		    "exceeded." },
		{ 503, "{\"status\":\"ERROR\"}", OUT_TEMPFAIL, 0,
		    "HTTP 503: ERROR" },
		{ 200, "{\"status\":\"ERROR\",\"message\":\"odd\\n\"}",
		    OUT_PROTOCOL, 0, "HTTP 200: odd?" },
		{ 403, "<html><h1>403 Forbidden</h1></html>", OUT_AUTH, 0,
		    "HTTP 403 (not a Porkbun API reply: is endpoint the "
		    "api.porkbun.com host?)" },
		{ 502, "<html>bad gateway</html>", OUT_TEMPFAIL, 0,
		    "HTTP 502 (not a Porkbun API reply)" },
		{ 200, "<html>nginx</html>", OUT_PROTOCOL, 0, "HTTP 200: not a "
		    "Porkbun API reply: '[' or '{' expected near '<'" },
		{ 200, "{\"records\":[]}", OUT_PROTOCOL, 0, "HTTP 200: not a "
		    "Porkbun API reply: no \"status\"" },
		{ 200, NULL, OUT_PROTOCOL, 0, "HTTP 200: not a Porkbun API "
		    "reply: empty reply" },
	};
	json_t	*root;
	char	*why;
	int	 hold;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(pb_reply(c[i].status, c[i].body, &root,
		    &hold, &why), c[i].out);
		assert_null(root);
		assert_int_equal(hold, c[i].hold);
		assert_non_null(why);
		if (strcmp(why, c[i].why) != 0)
			fail_msg("case %zu: %s", i, why);
		free(why);
	}
}

/* The documentation's retrieveByNameType example, and two more. */
#define LIST "{\"status\":\"SUCCESS\",\"cloudflare\":\"enabled\"," \
	"\"records\":[{\"id\":\"106926659\",\"name\":\"www.borseth.ink\"," \
	"\"type\":\"A\",\"content\":\"1.1.1.1\",\"ttl\":\"600\",\"prio\":" \
	"\"0\",\"notes\":\"\"},{\"id\":106926660,\"name\":\"borseth.ink\"," \
	"\"type\":\"AAAA\",\"content\":\"2001:db8::1\",\"ttl\":3600," \
	"\"prio\":null,\"notes\":null},{\"id\":\"106926661\",\"name\":" \
	"\"WWW.borseth.ink\",\"type\":\"A\",\"content\":\"1.1.1.2\"}]}"

static void
test_records(void **st)
{
	json_t		*root;
	struct pb_rec	 r;
	char		*why;
	int		 hold;
	size_t		 n;

	(void)st;
	assert_int_equal(pb_reply(200, LIST, &root, &hold, &why),
	    OUT_CURRENT);
	assert_int_equal(pb_parse_records(root, "www.borseth.ink", "A", &r,
	    &n, &why), 0);
	assert_int_equal(n, 2);
	assert_string_equal(r.id, "106926659");
	assert_string_equal(r.content, "1.1.1.1");
	assert_int_equal(r.ttl, 600);
	pb_rec_free(&r);
	assert_int_equal(pb_parse_records(root, "borseth.ink", "AAAA", &r,
	    &n, &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "106926660");
	assert_int_equal(r.ttl, 3600);
	pb_rec_free(&r);
	assert_int_equal(pb_parse_records(root, "borseth.ink", "A", &r, &n,
	    &why), 0);
	assert_int_equal(n, 0);
	assert_null(r.id);
	json_decref(root);

	assert_int_equal(pb_reply(200, "{\"status\":\"SUCCESS\",\"records\":"
	    "[{\"id\":\"x\",\"name\":\"a.b.c\",\"type\":\"A\",\"content\":"
	    "\"1.2.3.4\"}]}", &root, &hold, &why), OUT_CURRENT);
	assert_int_equal(pb_parse_records(root, "a.b.c", "A", &r, &n, &why),
	    -1);
	assert_string_equal(why, "record 0 has no numeric id");
	free(why);
	json_decref(root);
	assert_int_equal(pb_reply(200, "{\"status\":\"SUCCESS\",\"records\":"
	    "[{\"id\":\"1\",\"name\":\"a.b.c\"}]}", &root, &hold, &why),
	    OUT_CURRENT);
	assert_int_equal(pb_parse_records(root, "a.b.c", "A", &r, &n, &why),
	    -1);
	assert_string_equal(why, "record 0 lacks name, type or content");
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
	assert_int_equal(pb_reply(200, "{\"status\":\"SUCCESS\",\"id\":"
	    "106926652}", &root, &hold, &why), OUT_CURRENT);
	id = pb_parse_id(root);
	assert_string_equal(id, "106926652");
	free(id);
	json_decref(root);
	assert_int_equal(pb_reply(200, "{\"status\":\"SUCCESS\",\"id\":"
	    "\"106926653\"}", &root, &hold, &why), OUT_CURRENT);
	id = pb_parse_id(root);
	assert_string_equal(id, "106926653");
	free(id);
	json_decref(root);
	assert_int_equal(pb_reply(200, "{\"status\":\"SUCCESS\"}", &root,
	    &hold, &why), OUT_CURRENT);
	assert_null(pb_parse_id(root));
	json_decref(root);
}

static void
test_in_table(void **st)
{
	(void)st;
	assert_ptr_equal(provider_find("porkbun"), &provider_porkbun);
	assert_non_null(provider_porkbun.check);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_reply_errors),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_create_id),
		cmocka_unit_test(test_in_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
