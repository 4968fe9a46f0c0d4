/*
 * Vultr API v2 DNS: reply reading, record pages and request bodies, fed
 * replies shaped as Vultr's API reference shows them (record id
 * cb676a46-66fd-4dfb-b839-443f2e6c0b60, domain example.com, errors
 * {"error":...,"status":N}).
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/vultr.h"

#define ID1 "cb676a46-66fd-4dfb-b839-443f2e6c0b60"
#define ID2 "cb676a46-66fd-4dfb-b839-443f2e6c0b61"
#define ID3 "cb676a46-66fd-4dfb-b839-443f2e6c0b62"
#define PAGE1 "{\"records\":[" \
	"{\"id\":\"" ID1 "\",\"type\":\"A\",\"name\":\"foo\",\"data\":" \
	"\"10.0.0.1\",\"priority\":0,\"ttl\":300}," \
	"{\"id\":\"" ID2 "\",\"type\":\"A\",\"name\":\"\",\"data\":" \
	"\"10.0.0.2\",\"priority\":-1,\"ttl\":3600}," \
	"{\"id\":\"" ID3 "\",\"type\":\"AAAA\",\"name\":\"foo\",\"data\":" \
	"\"2001:db8::1\",\"priority\":-1,\"ttl\":120}]," \
	"\"meta\":{\"total\":4,\"links\":{\"next\":\"bmV4dF9fMg==\"," \
	"\"prev\":\"\"}}}"
#define PAGE2 "{\"records\":[" \
	"{\"id\":\"dd676a46-66fd-4dfb-b839-443f2e6c0b60\",\"type\":\"A\"," \
	"\"name\":\"FOO\",\"data\":\"10.0.0.9\",\"priority\":0,\"ttl\":300}]," \
	"\"meta\":{\"total\":4,\"links\":{\"next\":\"\",\"prev\":\"x\"}}}"

static void
test_reply(void **st)
{
	static const struct {
		long		 status;
		const char	*body;
		enum outcome	 out;
		const char	*why;	/* exact; NULL: success */
	} t[] = {
		{ 200, PAGE1, OUT_CURRENT, NULL },
		{ 204, NULL, OUT_CURRENT, NULL },
		{ 401, "{\"error\":\"Invalid API token.\",\"status\":401}",
		    OUT_AUTH, "HTTP 401: Invalid API token. (check api_key: "
		    "the Personal Access Token from the customer portal's "
		    "Account, API page, and that API Access Control allows "
		    "this host's address)" },
		{ 403, "{\"error\":\"Unauthorized\",\"status\":403}", OUT_AUTH,
		    "HTTP 403: Unauthorized (the key's user lacks the DNS "
		    "permission (Users, Permissions: Manage DNS))" },
		{ 404, "{\"error\":\"Not found.\",\"status\":404}", OUT_CONFIG,
		    "HTTP 404: Not found." },
		{ 400, "{\"error\":\"Invalid data for type A\",\"status\":400}",
		    OUT_CONFIG, "HTTP 400: Invalid data for type A" },
		{ 429, "{\"error\":\"Rate limit reached - please try your "
		    "request again later.\",\"status\":429}", OUT_TEMPFAIL,
		    "HTTP 429: Rate limit reached - please try your request "
		    "again later." },
		{ 503, "<html>busy</html>", OUT_TEMPFAIL, "HTTP 503 (no Vultr "
		    "error in the reply)" },
		{ 418, "{\"error\":\"a\\u0007b\"}", OUT_PROTOCOL, "HTTP 418: "
		    "a?b" },
		{ 200, "<html>nginx</html>", OUT_PROTOCOL, "HTTP 200: not a "
		    "Vultr API reply: '[' or '{' expected near '<'" },
		{ 200, "[]", OUT_PROTOCOL, "HTTP 200: not a Vultr API reply: "
		    "not a JSON object" },
		{ 201, "", OUT_PROTOCOL, "HTTP 201: not a Vultr API reply: "
		    "empty reply" },
	};
	json_t		*root;
	char		*why;
	size_t		 i;
	enum outcome	 o;

	(void)st;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		o = vu_reply(t[i].status, t[i].body, &root, &why);
		if (o != t[i].out)
			fail_msg("row %zu: outcome %d (%s)", i, o,
			    why ? why : "-");
		if (t[i].why == NULL) {
			assert_null(why);
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
test_domain(void **st)
{
	json_t		*root;
	json_error_t	 e;

	(void)st;
	root = json_loads("{\"domain\":{\"domain\":\"example.com\","
	    "\"date_created\":\"2020-10-10T01:56:20+00:00\",\"dns_sec\":"
	    "\"disabled\"}}", 0, &e);
	assert_int_equal(vu_parse_domain(root, "example.com"), 1);
	assert_int_equal(vu_parse_domain(root, "Example.COM"), 1);
	assert_int_equal(vu_parse_domain(root, "example.net"), 0);
	json_decref(root);
	root = json_loads("{\"domains\":[]}", 0, &e);
	assert_int_equal(vu_parse_domain(root, "example.com"), -1);
	json_decref(root);
}

static void
test_records(void **st)
{
	struct vu_rec	 r;
	json_t		*p1, *p2;
	json_error_t	 e;
	size_t		 n;
	char		*next, *why;

	(void)st;
	p1 = json_loads(PAGE1, 0, &e);
	p2 = json_loads(PAGE2, 0, &e);
	assert_non_null(p1);
	assert_non_null(p2);

	/* Two pages: the first match is kept, all are counted. */
	memset(&r, 0, sizeof(r));
	n = 0;
	assert_int_equal(vu_parse_records(p1, "foo", "A", &r, &n, &next,
	    &why), 0);
	assert_string_equal(next, "bmV4dF9fMg==");
	free(next);
	assert_int_equal(vu_parse_records(p2, "foo", "A", &r, &n, &next,
	    &why), 0);
	assert_null(next);
	assert_int_equal(n, 2);
	assert_string_equal(r.id, ID1);
	assert_string_equal(r.data, "10.0.0.1");
	assert_int_equal(r.ttl, 300);
	vu_rec_free(&r);

	/* The apex is "". */
	n = 0;
	assert_int_equal(vu_parse_records(p1, "", "A", &r, &n, &next, &why),
	    0);
	free(next);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, ID2);
	vu_rec_free(&r);

	n = 0;
	assert_int_equal(vu_parse_records(p1, "foo", "AAAA", &r, &n, &next,
	    &why), 0);
	free(next);
	assert_int_equal(n, 1);
	assert_int_equal(r.ttl, 120);
	vu_rec_free(&r);
	json_decref(p1);
	json_decref(p2);

	p1 = json_loads("{\"domains\":[]}", 0, &e);
	assert_int_equal(vu_parse_records(p1, "", "A", &r, &n, &next, &why),
	    -1);
	assert_string_equal(why, "no \"records\" array in the reply");
	free(why);
	json_decref(p1);
	p1 = json_loads("{\"records\":[{\"id\":\"../x\",\"type\":\"A\","
	    "\"name\":\"\",\"data\":\"1.2.3.4\"}]}", 0, &e);
	assert_int_equal(vu_parse_records(p1, "", "A", &r, &n, &next, &why),
	    -1);
	assert_string_equal(why, "record 0 lacks id, name, type or data");
	free(why);
	json_decref(p1);
}

static void
test_body(void **st)
{
	struct vu_rec	 have;
	char		*b;

	(void)st;
	assert_int_equal(vu_build_body("A", "www", "10.1.1.1", 300, NULL, &b),
	    3);
	assert_string_equal(b, "{\"name\":\"www\",\"type\":\"A\",\"data\":"
	    "\"10.1.1.1\",\"ttl\":300}");
	free(b);
	assert_int_equal(vu_build_body("AAAA", "", "2001:db8::7", 0, NULL,
	    &b), 3);
	assert_string_equal(b, "{\"name\":\"\",\"type\":\"AAAA\",\"data\":"
	    "\"2001:db8::7\"}");
	free(b);
	have.id = ID1;
	have.data = "2001:DB8::7";
	have.ttl = 300;
	assert_int_equal(vu_build_body("AAAA", "", "2001:db8::7", 0, &have,
	    &b), 0);
	assert_null(b);
	assert_int_equal(vu_build_body("AAAA", "", "2001:db8::7", 120, &have,
	    &b), 1);
	assert_string_equal(b, "{\"ttl\":120}");
	free(b);
	have.data = "10.0.0.1";
	assert_int_equal(vu_build_body("A", "", "10.0.0.2", 0, &have, &b), 1);
	assert_string_equal(b, "{\"data\":\"10.0.0.2\"}");
	free(b);
}

static void
test_write(void **st)
{
	json_t		*r;
	json_error_t	 e;
	char		*id;

	(void)st;
	r = json_loads("{\"record\":{\"id\":\"" ID1 "\",\"type\":\"A\","
	    "\"name\":\"www\",\"data\":\"10.1.1.1\",\"priority\":0,\"ttl\":300}}",
	    0, &e);
	id = vu_parse_write(r);
	assert_string_equal(id, ID1);
	free(id);
	json_decref(r);
	r = json_loads("{\"record\":{}}", 0, &e);
	assert_null(vu_parse_write(r));
	json_decref(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_domain),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_write),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
