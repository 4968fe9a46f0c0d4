/*
 * DigitalOcean API v2: reply reading, record lists and request bodies,
 * fed the example replies of DigitalOcean's API reference (Domains and
 * Domain Records: ids 28448429.., "ns1.digitalocean.com", 162.10.66.0).
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/digitalocean.h"

/* The reference's "List All Domain Records" example, abridged. */
#define LIST "{\"domain_records\":[" \
	"{\"id\":28448429,\"type\":\"NS\",\"name\":\"@\",\"data\":" \
	"\"ns1.digitalocean.com\",\"priority\":null,\"port\":null," \
	"\"ttl\":1800," \
	"\"weight\":null,\"flags\":null,\"tag\":null}," \
	"{\"id\":28448432,\"type\":\"A\",\"name\":\"@\",\"data\":" \
	"\"1.2.3.4\",\"priority\":null,\"port\":null,\"ttl\":1800," \
	"\"weight\":null,\"flags\":null,\"tag\":null}," \
	"{\"id\":28448433,\"type\":\"A\",\"name\":\"www\",\"data\":" \
	"\"162.10.66.0\",\"priority\":null,\"port\":null,\"ttl\":1800," \
	"\"weight\":null,\"flags\":null,\"tag\":null}," \
	"{\"id\":28448434,\"type\":\"AAAA\",\"name\":\"www\",\"data\":" \
	"\"2001:db8::1\",\"priority\":null,\"port\":null,\"ttl\":300," \
	"\"weight\":null,\"flags\":null,\"tag\":null}," \
	"{\"id\":28448435,\"type\":\"A\",\"name\":\"www\",\"data\":" \
	"\"162.10.66.1\",\"ttl\":60}]," \
	"\"links\":{},\"meta\":{\"total\":5}}"

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
		{ 401, "{\"id\":\"unauthorized\",\"message\":\"Unable to "
		    "authenticate you.\"}", OUT_AUTH, "HTTP 401: unauthorized: "
		    "Unable to authenticate you. (check token: a DigitalOcean "
		    "personal access token, from the control panel's API page, "
		    "Tokens)" },
		{ 403, "{\"id\":\"forbidden\",\"message\":\"You do not have "
		    "access for the attempted action.\",\"request_id\":\"x\"}",
		    OUT_AUTH, "HTTP 403: forbidden: You do not have access for "
		    "the attempted action. (the token lacks a scope: it needs "
		    "domain:read, domain:create and domain:update (or full "
		    "access))" },
		{ 404, "{\"id\":\"not_found\",\"message\":\"The resource you "
		    "were accessing could not be found.\"}", OUT_CONFIG,
		    "HTTP 404: not_found: The resource you were accessing "
		    "could not be found." },
		{ 422, "{\"id\":\"unprocessable_entity\",\"message\":\"Name "
		    "is invalid.\"}", OUT_CONFIG, "HTTP 422: "
		    "unprocessable_entity: Name is invalid." },
		{ 429, "{\"id\":\"too_many_requests\",\"message\":\"API Rate "
		    "limit exceeded.\"}", OUT_TEMPFAIL, "HTTP 429: "
		    "too_many_requests: API Rate limit exceeded." },
		{ 500, "{\"id\":\"server_error\",\"message\":\"Unexpected "
		    "server-side error\"}", OUT_TEMPFAIL, "HTTP 500: "
		    "server_error: Unexpected server-side error" },
		{ 502, "<html>Bad gateway</html>", OUT_TEMPFAIL, "HTTP 502 (no "
		    "DigitalOcean error in the reply)" },
		{ 418, "{\"message\":\"a\\nb\"}", OUT_PROTOCOL,
		    "HTTP 418: a?b" },
		{ 200, "<html>nginx</html>", OUT_PROTOCOL, "HTTP 200: not a "
		    "DigitalOcean API reply: '[' or '{' expected near '<'" },
		{ 200, "[1]", OUT_PROTOCOL, "HTTP 200: not a DigitalOcean API "
		    "reply: not a JSON object" },
		{ 201, NULL, OUT_PROTOCOL, "HTTP 201: not a DigitalOcean API "
		    "reply: empty reply" },
	};
	json_t	*root;
	char	*why;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(do_reply(c[i].status, c[i].body, &root,
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
	assert_int_equal(do_reply(200, "{\"domain\":{\"name\":\"example.com\","
	    "\"ttl\":1800,\"zone_file\":\"$ORIGIN example.com.\\n\"}}", &root,
	    &why), OUT_CURRENT);
	assert_int_equal(do_parse_domain(root, "example.com"), 1);
	assert_int_equal(do_parse_domain(root, "EXAMPLE.com"), 1);
	assert_int_equal(do_parse_domain(root, "example.net"), 0);
	json_decref(root);
	assert_int_equal(do_reply(200, "{\"domains\":[]}", &root, &why),
	    OUT_CURRENT);
	assert_int_equal(do_parse_domain(root, "example.com"), -1);
	json_decref(root);
}

static void
test_records(void **st)
{
	json_t		*root;
	struct do_rec	 r;
	char		*why;
	size_t		 n;

	(void)st;
	assert_int_equal(do_reply(200, LIST, &root, &why), OUT_CURRENT);
	assert_int_equal(do_parse_records(root, "www", "A", &r, &n, &why), 0);
	assert_int_equal(n, 2);
	assert_string_equal(r.id, "28448433");
	assert_string_equal(r.data, "162.10.66.0");
	assert_int_equal(r.ttl, 1800);
	do_rec_free(&r);
	assert_int_equal(do_parse_records(root, "@", "A", &r, &n, &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "28448432");
	do_rec_free(&r);
	assert_int_equal(do_parse_records(root, "WWW", "AAAA", &r, &n, &why),
	    0);
	assert_int_equal(n, 1);
	assert_int_equal(r.ttl, 300);
	do_rec_free(&r);
	/* Type is compared exactly, the name is relative. */
	assert_int_equal(do_parse_records(root, "www.example.com", "A", &r,
	    &n, &why), 0);
	assert_int_equal(n, 0);
	assert_null(r.id);
	json_decref(root);

	assert_int_equal(do_reply(200, "{\"domain_records\":[{\"id\":\"x1\","
	    "\"type\":\"A\",\"name\":\"www\",\"data\":\"1.2.3.4\"}]}", &root,
	    &why), OUT_CURRENT);
	assert_int_equal(do_parse_records(root, "www", "A", &r, &n, &why), -1);
	assert_string_equal(why, "record 0 has no numeric id");
	free(why);
	json_decref(root);
	assert_int_equal(do_reply(200, "{\"domain_records\":[{\"id\":1,"
	    "\"type\":\"A\",\"name\":\"www\"}]}", &root, &why), OUT_CURRENT);
	assert_int_equal(do_parse_records(root, "www", "A", &r, &n, &why), -1);
	assert_string_equal(why, "record 0 lacks name, type or data");
	free(why);
	json_decref(root);
	assert_int_equal(do_reply(200, "{\"domain\":{}}", &root, &why),
	    OUT_CURRENT);
	assert_int_equal(do_parse_records(root, "www", "A", &r, &n, &why), -1);
	assert_string_equal(why, "no \"domain_records\" array in the reply");
	free(why);
	json_decref(root);
}

static void
test_write_reply(void **st)
{
	json_t	*root;
	char	*why, *id;

	(void)st;
	assert_int_equal(do_reply(201, "{\"domain_record\":{\"id\":28448433,"
	    "\"type\":\"A\",\"name\":\"www\",\"data\":\"162.10.66.0\","
	    "\"priority\":null,\"port\":null,\"ttl\":1800,\"weight\":null,"
	    "\"flags\":null,\"tag\":null}}", &root, &why), OUT_CURRENT);
	id = do_parse_write(root);
	assert_string_equal(id, "28448433");
	free(id);
	json_decref(root);
	assert_int_equal(do_reply(200, "{\"domain_record\":{\"id\":\"\"}}",
	    &root, &why), OUT_CURRENT);
	assert_null(do_parse_write(root));
	json_decref(root);
	assert_int_equal(do_reply(200, "{}", &root, &why), OUT_CURRENT);
	assert_null(do_parse_write(root));
	json_decref(root);
}

struct bcase {
	const char	*type, *rel, *data;
	long		 ttl;
	const char	*have_data;	/* NULL: create */
	long		 have_ttl;
	int		 n;
	const char	*body;
};

static void
test_body(void **st)
{
	static const struct bcase c[] = {
		{ "A", "www", "162.10.66.0", 0, NULL, 0, 4, "{\"type\":\"A\","
		    "\"name\":\"www\",\"data\":\"162.10.66.0\",\"ttl\":1800}" },
		{ "AAAA", "@", "2001:db8::7", 300, NULL, 0, 4, "{\"type\":"
		    "\"AAAA\",\"name\":\"@\",\"data\":\"2001:db8::7\",\"ttl\":"
		    "300}" },
		{ "A", "www", "203.0.113.7", 0, "162.10.66.0", 1800, 1,
		    "{\"type\":\"A\",\"data\":\"203.0.113.7\"}" },
		{ "A", "www", "203.0.113.7", 300, "162.10.66.0", 1800, 2,
		    "{\"type\":\"A\",\"data\":\"203.0.113.7\",\"ttl\":300}" },
		{ "A", "www", "203.0.113.7", 300, "203.0.113.7", 1800, 1,
		    "{\"type\":\"A\",\"ttl\":300}" },
		{ "A", "www", "203.0.113.7", 0, "203.0.113.7", 60, 0, NULL },
		{ "A", "www", "203.0.113.7", 60, "203.0.113.7", 60, 0, NULL },
		/* The same address written another way is current. */
		{ "AAAA", "www", "2001:db8::7", 0, "2001:DB8:0::7", 300, 0,
		    NULL },
	};
	struct do_rec	 have;
	char		*body;
	size_t		 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		memset(&have, 0, sizeof(have));
		have.data = (char *)c[i].have_data;
		have.ttl = c[i].have_ttl;
		assert_int_equal(do_build_body(c[i].type, c[i].rel, c[i].data,
		    c[i].ttl, c[i].have_data != NULL ? &have : NULL, &body),
		    c[i].n);
		if (c[i].body == NULL)
			assert_null(body);
		else
			assert_string_equal(body, c[i].body);
		free(body);
	}
}

static void
test_in_table(void **st)
{
	(void)st;
	assert_ptr_equal(provider_find("digitalocean"),
	    &provider_digitalocean);
	assert_non_null(provider_digitalocean.check);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply_errors),
		cmocka_unit_test(test_domain),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_write_reply),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_in_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
