/*
 * IONOS DNS API v1: key handling, reply reading, zone and record lookup
 * and request bodies, fed the examples of IONOS's OpenAPI document
 * (dns.yaml 1.0.2: zone 11af3414-ebba-11e9-8df5-66fbe8a334b4, record
 * 22af3414-abbe-9e11-5df5-66fbe8e334b4 of example-zone.de, the
 * UNAUTHORIZED, FORBIDDEN_REQUEST, RECORD_NOT_FOUND, INVALID_RECORD and
 * INTERNAL_SERVER_ERROR error examples).
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/ionos.h"

#define ZID	"11af3414-ebba-11e9-8df5-66fbe8a334b4"
#define RID	"22af3414-abbe-9e11-5df5-66fbe8e334b4"

/* The document's "zones" example, plus a second zone. */
#define ZONES "[{\"id\":\"" ZID "\",\"name\":\"test.com\"," \
	"\"type\":\"NATIVE\"},{\"id\":\"33bf3414-ebba-11e9-8df5-" \
	"66fbe8a334b4\",\"name\":\"example-zone.de\",\"type\":\"NATIVE\"}]"

/* The document's "customer-zone" example, plus an AAAA and a www. */
#define ZONE "{\"id\":\"" ZID "\",\"name\":\"example-zone.de\"," \
	"\"type\":\"NATIVE\",\"records\":[{\"id\":\"" RID "\"," \
	"\"name\":\"example-zone.de\",\"rootName\":\"example-zone.de\"," \
	"\"type\":\"A\",\"content\":\"1.1.1.1\",\"changeDate\":" \
	"\"2019-12-09T13:04:25.772Z\",\"ttl\":3600,\"prio\":0," \
	"\"disabled\":false}," \
	"{\"id\":\"aa\",\"name\":\"example-zone.de\",\"rootName\":" \
	"\"example-zone.de\",\"type\":\"AAAA\",\"content\":\"2001:db8::1\"," \
	"\"ttl\":60,\"prio\":0,\"disabled\":false}," \
	"{\"id\":\"bb\",\"name\":\"www.example-zone.de\",\"rootName\":" \
	"\"example-zone.de\",\"type\":\"A\",\"content\":\"1.2.3.4\"," \
	"\"ttl\":600,\"prio\":0,\"disabled\":false}]}"

#define HINT401	"(check api_key: it is \"<public prefix>.<secret>\" of a " \
	"key created at developer.hosting.ionos.com, API keys)"

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
		{ 401, "[{\"code\":\"UNAUTHORIZED\",\"message\":\"The customer "
		    "is not authorized to do this operation.\"}]", OUT_AUTH,
		    "HTTP 401: UNAUTHORIZED: The customer is not authorized to "
		    "do this operation. " HINT401 },
		{ 403, "[{\"code\":\"FORBIDDEN_REQUEST\",\"message\":\"Request "
		    "not allowed.\"}]", OUT_AUTH, "HTTP 403: FORBIDDEN_REQUEST: "
		    "Request not allowed. (the key may not do this: use a key "
		    "of the IONOS account holding the zone "
		    "(developer.hosting.ionos.com, API keys))" },
		{ 404, "[{\"code\":\"RECORD_NOT_FOUND\",\"message\":\"Record "
		    "does not exist.\"}]", OUT_CONFIG, "HTTP 404: "
		    "RECORD_NOT_FOUND: Record does not exist." },
		{ 400, "[{\"code\":\"INVALID_RECORD\",\"message\":\"Record is "
		    "invalid.\",\"parameters\":{\"requiredFields\":"
		    "[\"type\"]}}]", OUT_CONFIG, "HTTP 400: INVALID_RECORD: "
		    "Record is invalid." },
		{ 500, "[{\"code\":\"INTERNAL_SERVER_ERROR\"}]", OUT_TEMPFAIL,
		    "HTTP 500: INTERNAL_SERVER_ERROR" },
		{ 429, "", OUT_TEMPFAIL, "HTTP 429 (no IONOS error in the "
		    "reply)" },
		{ 502, "<html>Bad Gateway</html>", OUT_TEMPFAIL, "HTTP 502 (no "
		    "IONOS error in the reply)" },
		{ 409, "{\"code\":\"CONFLICT\",\"message\":\"a\\nb\"}",
		    OUT_PROTOCOL, "HTTP 409: CONFLICT: a?b" },
		{ 200, "<html>", OUT_PROTOCOL, "HTTP 200: not an IONOS API "
		    "reply: invalid token near '<'" },
	};
	json_t	*root;
	char	*why;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(ionos_reply(c[i].status, c[i].body, &root,
		    &why), c[i].out);
		assert_null(root);
		assert_non_null(why);
		assert_string_equal(why, c[i].why);
		free(why);
	}
	/* An empty 2xx body is success without a document. */
	assert_int_equal(ionos_reply(201, "", &root, &why), OUT_CURRENT);
	assert_null(root);
	assert_null(why);
}

struct kcase {
	const char	*api_key, *prefix, *secret;
	const char	*key;	/* NULL: refused with why */
	const char	*pub_or_why;
};

static void
test_api_key(void **st)
{
	static const struct kcase c[] = {
		{ "pub.sec", NULL, NULL, "pub.sec", "pub" },
		{ "pub.sec.ret", NULL, NULL, "pub.sec.ret", "pub" },
		{ NULL, "pub", "sec", "pub.sec", "pub" },
		{ "pubsec", NULL, NULL, NULL, "api_key is not \"<public "
		    "prefix>.<secret>\": IONOS shows both parts when the key "
		    "is created; join them with a dot" },
		{ ".sec", NULL, NULL, NULL, "api_key is not \"<public prefix>."
		    "<secret>\": IONOS shows both parts when the key is "
		    "created; join them with a dot" },
		{ "pub.", NULL, NULL, NULL, "api_key is not \"<public prefix>."
		    "<secret>\": IONOS shows both parts when the key is "
		    "created; join them with a dot" },
		{ "pub.s\nc", NULL, NULL, NULL, "api_key has a space or a "
		    "control character" },
		{ "pub.s c", NULL, NULL, NULL, "api_key has a space or a "
		    "control character" },
		{ "pub.sec", "pub", NULL, NULL, "set api_key, or prefix and "
		    "secret, not both" },
		{ "pub.sec", NULL, "sec", NULL, "set api_key, or prefix and "
		    "secret, not both" },
		{ NULL, "pub", NULL, NULL, "secret is missing: set api_key "
		    "(\"<public prefix>.<secret>\") or both prefix and "
		    "secret" },
		{ NULL, NULL, "sec", NULL, "prefix is missing: set api_key "
		    "(\"<public prefix>.<secret>\") or both prefix and "
		    "secret" },
		{ NULL, NULL, NULL, NULL, "no key: set api_key (\"<public "
		    "prefix>.<secret>\") or both prefix and secret" },
		{ NULL, "pub.sec", "sec", NULL, "prefix or secret is empty "
		    "or has a dot (prefix), a space or a control character" },
		{ NULL, "", "sec", NULL, "prefix or secret is empty or has a "
		    "dot (prefix), a space or a control character" },
		{ NULL, "pub", "s\r", NULL, "prefix or secret is empty or has "
		    "a dot (prefix), a space or a control character" },
	};
	char	*key, *pub, *why;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		if (c[i].key != NULL) {
			assert_int_equal(ionos_api_key(c[i].api_key,
			    c[i].prefix, c[i].secret, &key, &pub, &why), 0);
			assert_string_equal(key, c[i].key);
			assert_string_equal(pub, c[i].pub_or_why);
			assert_null(why);
			free(key);
			free(pub);
		} else {
			assert_int_equal(ionos_api_key(c[i].api_key,
			    c[i].prefix, c[i].secret, &key, &pub, &why), -1);
			assert_null(key);
			assert_null(pub);
			assert_string_equal(why, c[i].pub_or_why);
			free(why);
		}
	}
}

static void
test_id_ok(void **st)
{
	(void)st;
	assert_true(ionos_id_ok(ZID));
	assert_true(ionos_id_ok("a"));
	assert_false(ionos_id_ok(""));
	assert_false(ionos_id_ok("../x"));
	assert_false(ionos_id_ok("a/b"));
	assert_false(ionos_id_ok("a?b"));
	assert_false(ionos_id_ok("a%2f"));
	assert_false(ionos_id_ok("0123456789012345678901234567890123456789"
	    "01234567890123456789012345"));
}

static void
test_zone_list(void **st)
{
	json_t	*root;
	char	*id, *why;

	(void)st;
	assert_int_equal(ionos_reply(200, ZONES, &root, &why), OUT_CURRENT);
	assert_int_equal(ionos_zone_in_list(root, "test.com", &id, &why), 1);
	assert_string_equal(id, ZID);
	free(id);
	assert_int_equal(ionos_zone_in_list(root, "EXAMPLE-zone.de", &id,
	    &why), 1);
	assert_string_equal(id, "33bf3414-ebba-11e9-8df5-66fbe8a334b4");
	free(id);
	assert_int_equal(ionos_zone_in_list(root, "example.com", &id, &why),
	    0);
	assert_null(id);
	assert_null(why);
	json_decref(root);

	assert_int_equal(ionos_reply(200, "{\"zones\":[]}", &root, &why),
	    OUT_CURRENT);
	assert_int_equal(ionos_zone_in_list(root, "test.com", &id, &why), -1);
	assert_string_equal(why, "GET /zones: the reply is not an array of "
	    "zones");
	free(why);
	json_decref(root);

	assert_int_equal(ionos_reply(200, "[{\"id\":\"a/b\",\"name\":"
	    "\"test.com\"}]", &root, &why), OUT_CURRENT);
	assert_int_equal(ionos_zone_in_list(root, "test.com", &id, &why), -1);
	assert_string_equal(why, "GET /zones: zone 0 lacks a name or a usable "
	    "id");
	free(why);
	json_decref(root);
}

static void
test_records(void **st)
{
	struct ionos_rec r;
	json_t		*root;
	char		*why;
	size_t		 n;

	(void)st;
	assert_int_equal(ionos_reply(200, ZONE, &root, &why), OUT_CURRENT);
	assert_int_equal(ionos_parse_records(root, "example-zone.de", "A", &r,
	    &n, &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, RID);
	assert_string_equal(r.content, "1.1.1.1");
	assert_int_equal(r.ttl, 3600);
	ionos_rec_free(&r);
	assert_int_equal(ionos_parse_records(root, "EXAMPLE-ZONE.DE", "AAAA",
	    &r, &n, &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "aa");
	assert_int_equal(r.ttl, 60);
	ionos_rec_free(&r);
	/* The filter is checked again: www is not the apex. */
	assert_int_equal(ionos_parse_records(root, "home.example-zone.de",
	    "A", &r, &n, &why), 0);
	assert_int_equal(n, 0);
	assert_null(r.id);
	json_decref(root);

	assert_int_equal(ionos_reply(200, "{\"id\":\"x\"}", &root, &why),
	    OUT_CURRENT);
	assert_int_equal(ionos_parse_records(root, "a.b", "A", &r, &n, &why),
	    -1);
	assert_string_equal(why, "no \"records\" array in the zone reply");
	free(why);
	json_decref(root);

	assert_int_equal(ionos_reply(200, "{\"records\":[{\"name\":\"a.b\","
	    "\"type\":\"A\",\"content\":\"1.2.3.4\"}]}", &root, &why),
	    OUT_CURRENT);
	assert_int_equal(ionos_parse_records(root, "a.b", "A", &r, &n, &why),
	    -1);
	assert_string_equal(why, "record 0 lacks id, name, type or content");
	assert_int_equal(n, 0);
	free(why);
	json_decref(root);

	assert_int_equal(ionos_reply(200, "{\"records\":[{\"id\":\"../x\","
	    "\"name\":\"a.b\",\"type\":\"A\",\"content\":\"1.2.3.4\"}]}",
	    &root, &why), OUT_CURRENT);
	assert_int_equal(ionos_parse_records(root, "a.b", "A", &r, &n, &why),
	    -1);
	assert_string_equal(why, "record 0 has an unusable id");
	free(why);
	json_decref(root);
}

static void
test_written(void **st)
{
	json_t	*root;
	char	*id, *why;

	(void)st;
	/* "record-list-created", the reply to POST. */
	assert_int_equal(ionos_reply(201, "[{\"id\":\"" RID "\",\"name\":"
	    "\"example-zone.de\",\"rootName\":\"example-zone.de\",\"type\":"
	    "\"A\",\"content\":\"1.2.3.4\",\"changeDate\":\"2022-23-03T13:04:"
	    "25.772Z\",\"ttl\":3600,\"prio\":0,\"disabled\":false}]", &root,
	    &why), OUT_CURRENT);
	id = ionos_parse_written(root);
	assert_string_equal(id, RID);
	free(id);
	json_decref(root);
	/* "record-updated", the reply to PUT. */
	assert_int_equal(ionos_reply(200, "{\"id\":\"" RID "\",\"name\":"
	    "\"example-zone.de\",\"type\":\"A\",\"content\":\"1.1.1.1\"}",
	    &root, &why), OUT_CURRENT);
	id = ionos_parse_written(root);
	assert_string_equal(id, RID);
	free(id);
	json_decref(root);
	assert_int_equal(ionos_reply(201, "[]", &root, &why), OUT_CURRENT);
	assert_null(ionos_parse_written(root));
	json_decref(root);
	assert_int_equal(ionos_reply(201, "[{\"id\":7}]", &root, &why),
	    OUT_CURRENT);
	assert_null(ionos_parse_written(root));
	json_decref(root);
	assert_null(ionos_parse_written(NULL));
}

static void
test_bodies(void **st)
{
	char	*s;

	(void)st;
	/* The document's "record" example, less prio (not for A/AAAA). */
	s = ionos_build_create("example-zone.de", "A", "1.2.3.4", 0);
	assert_string_equal(s, "[{\"name\":\"example-zone.de\",\"type\":\"A\","
	    "\"content\":\"1.2.3.4\",\"ttl\":3600,\"disabled\":false}]");
	free(s);
	s = ionos_build_create("home.example-zone.de", "AAAA", "2001:db8::7",
	    60);
	assert_string_equal(s, "[{\"name\":\"home.example-zone.de\",\"type\":"
	    "\"AAAA\",\"content\":\"2001:db8::7\",\"ttl\":60,\"disabled\":"
	    "false}]");
	free(s);
	/* The document's "record-update" example, content and ttl only. */
	s = ionos_build_update("1.1.1.1", 3600);
	assert_string_equal(s, "{\"content\":\"1.1.1.1\",\"ttl\":3600}");
	free(s);
	s = ionos_build_update("1.1.1.1", 0);
	assert_string_equal(s, "{\"content\":\"1.1.1.1\"}");
	free(s);
}

static void
test_current(void **st)
{
	struct ionos_rec h = { "x", "2001:db8:0::1", 3600 };

	(void)st;
	assert_true(ionos_is_current(&h, "2001:db8::1", 0));
	assert_true(ionos_is_current(&h, "2001:db8::1", 3600));
	assert_false(ionos_is_current(&h, "2001:db8::1", 60));
	assert_false(ionos_is_current(&h, "2001:db8::2", 0));
	h.content = "1.2.3.4";
	assert_true(ionos_is_current(&h, "1.2.3.4", 0));
	assert_false(ionos_is_current(&h, "1.2.3.5", 0));
}

static void
test_in_table(void **st)
{
	(void)st;
	assert_ptr_equal(provider_find("ionos"), &provider_ionos);
	assert_non_null(provider_ionos.check);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply_errors),
		cmocka_unit_test(test_api_key),
		cmocka_unit_test(test_id_ok),
		cmocka_unit_test(test_zone_list),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_written),
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_current),
		cmocka_unit_test(test_in_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
