/*
 * DNSimple API v2: reply reading, record lists, request bodies and the
 * wait after a 429, fed the recorded replies DNSimple publishes with its
 * API documentation (github.com/dnsimple/dnsimple-developer, fixtures/v2/
 * api: listZoneRecords/success, createZoneRecord/created,
 * updateZoneRecord/success, getZone/success, listAccounts/success-user,
 * notfound-zone, validation-error), bodies verbatim.
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/dnsimple.h"

/* listZoneRecords/success.http: the SOA and NS system records of
 * example.com. */
#define LIST_SYSTEM "{\"data\":[{\"id\":1,\"zone_id\":\"example.com\"," \
	"\"parent_id\":null,\"name\":\"\",\"content\":\"ns1.dnsimple.com " \
	"admin.dnsimple.com 1458642070 86400 7200 604800 300\",\"ttl\":3600," \
	"\"priority\":null,\"type\":\"SOA\",\"regions\":[\"global\"]," \
	"\"system_record\":true,\"created_at\":\"2016-03-22T10:20:53Z\"," \
	"\"updated_at\":\"2016-10-05T09:26:38Z\"},{\"id\":69061,\"zone_id\":" \
	"\"example.com\",\"parent_id\":null,\"name\":\"\",\"content\":" \
	"\"ns1.dnsimple.com\",\"ttl\":3600,\"priority\":null,\"type\":\"NS\"," \
	"\"regions\":[\"global\"],\"system_record\":true,\"created_at\":" \
	"\"2016-03-22T10:20:53Z\",\"updated_at\":\"2016-03-22T10:20:53Z\"}]," \
	"\"pagination\":{\"current_page\":1,\"per_page\":30," \
	"\"total_entries\":5,\"total_pages\":1}}"

/* createZoneRecord/created.http. */
#define CREATED "{\"data\":{\"id\":1,\"zone_id\":\"example.com\"," \
	"\"parent_id\":null,\"name\":\"www\",\"content\":\"127.0.0.1\"," \
	"\"ttl\":600,\"priority\":null,\"type\":\"A\",\"system_record\":false," \
	"\"regions\":[\"global\"],\"created_at\":\"2016-01-07T17:45:13Z\"," \
	"\"updated_at\":\"2016-01-07T17:45:13Z\"}}"

/* updateZoneRecord/success.http. */
#define UPDATED "{\"data\":{\"id\":5,\"zone_id\":\"example.com\"," \
	"\"parent_id\":null,\"name\":\"\",\"content\":\"mxb.example.com\"," \
	"\"ttl\":3600,\"priority\":20,\"type\":\"MX\",\"regions\":" \
	"[\"global\"],\"system_record\":false,\"created_at\":" \
	"\"2016-10-05T09:51:35Z\",\"updated_at\":\"2016-10-05T09:51:35Z\"}}"

/* getZone/success.http. */
#define ZONE "{\"data\":{\"id\":1,\"account_id\":1010,\"name\":" \
	"\"example-alpha.com\",\"reverse\":false,\"created_at\":" \
	"\"2015-04-23T07:40:03Z\",\"updated_at\":\"2015-04-23T07:40:03Z\"}}"

/* listAccounts/success-user.http. */
#define ACCOUNTS "{\"data\":[{\"id\":123,\"email\":\"john@example.com\"," \
	"\"plan_identifier\":\"dnsimple-personal\",\"created_at\":" \
	"\"2011-09-11T17:15:58Z\",\"updated_at\":\"2016-06-03T15:02:26Z\"}," \
	"{\"id\":456,\"email\":\"ops@company.com\",\"plan_identifier\":" \
	"\"dnsimple-teams\",\"created_at\":\"2012-03-16T16:02:54Z\"," \
	"\"updated_at\":\"2016-06-14T11:23:16Z\"}]}"

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
		/* notfound-zone.http */
		{ 404, "{\"message\":\"Zone `0` not found\"}", OUT_CONFIG,
		    "HTTP 404: Zone `0` not found" },
		/* validation-error.http, abridged to two fields */
		{ 400, "{\"message\":\"Validation failed\",\"errors\":"
		    "{\"address1\":[\"can't be blank\"],\"email\":[\"can't be "
		    "blank\",\"is an invalid email address\"]}}", OUT_CONFIG,
		    "HTTP 400: Validation failed (address1: can't be blank; "
		    "email: can't be blank, is an invalid email address)" },
		{ 401, "{\"message\":\"Authentication failed\"}", OUT_AUTH,
		    "HTTP 401: Authentication failed (check token: an account "
		    "API token from DNSimple's account page, Automation, API "
		    "access tokens)" },
		{ 402, "{\"message\":\"Your plan does not include this "
		    "feature\"}", OUT_CONFIG, "HTTP 402: Your plan does not "
		    "include this feature (the DNSimple plan does not include "
		    "this)" },
		{ 429, "{\"message\":\"API rate limit exceeded\"}",
		    OUT_TEMPFAIL, "HTTP 429: API rate limit exceeded" },
		{ 502, "<html>Bad gateway</html>", OUT_TEMPFAIL, "HTTP 502 (no "
		    "DNSimple error in the reply)" },
		{ 418, "{\"message\":\"a\\nb\"}", OUT_PROTOCOL,
		    "HTTP 418: a?b" },
		{ 200, "<html>nginx</html>", OUT_PROTOCOL, "HTTP 200: not a "
		    "DNSimple API reply: '[' or '{' expected near '<'" },
		{ 200, "[1]", OUT_PROTOCOL, "HTTP 200: not a DNSimple API "
		    "reply: not a JSON object" },
		{ 201, NULL, OUT_PROTOCOL, "HTTP 201: not a DNSimple API "
		    "reply: empty reply" },
	};
	json_t	*root;
	char	*why;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(ds_reply(c[i].status, c[i].body, &root, &why),
		    c[i].out);
		assert_null(root);
		assert_string_equal(why, c[i].why);
		free(why);
	}
	assert_int_equal(ds_reply(201, CREATED, &root, &why), OUT_CURRENT);
	assert_non_null(root);
	assert_null(why);
	json_decref(root);
}

static void
test_accounts_and_zone(void **st)
{
	json_t	*root;
	char	*ids;

	(void)st;
	root = json_loads(ACCOUNTS, 0, NULL);
	assert_int_equal(ds_parse_accounts(root, &ids), 2);
	assert_string_equal(ids, "123, 456");
	free(ids);
	json_decref(root);
	root = json_loads("{\"data\":[{\"id\":1010,\"email\":\"a@b\"}]}", 0,
	    NULL);
	assert_int_equal(ds_parse_accounts(root, &ids), 1);
	assert_string_equal(ids, "1010");
	free(ids);
	json_decref(root);
	root = json_loads("{\"data\":[]}", 0, NULL);
	assert_int_equal(ds_parse_accounts(root, &ids), 0);
	assert_null(ids);
	json_decref(root);
	root = json_loads("{\"data\":[{\"id\":\"x\"}]}", 0, NULL);
	assert_int_equal(ds_parse_accounts(root, &ids), -1);
	json_decref(root);
	root = json_loads("{\"accounts\":[]}", 0, NULL);
	assert_int_equal(ds_parse_accounts(root, &ids), -1);
	json_decref(root);

	root = json_loads(ZONE, 0, NULL);
	assert_int_equal(ds_parse_zone(root, "example-alpha.com"), 1);
	assert_int_equal(ds_parse_zone(root, "EXAMPLE-ALPHA.COM"), 1);
	assert_int_equal(ds_parse_zone(root, "example.com"), 0);
	json_decref(root);
	root = json_loads("{\"data\":{\"id\":1}}", 0, NULL);
	assert_int_equal(ds_parse_zone(root, "example.com"), -1);
	json_decref(root);
}

static void
test_records(void **st)
{
	struct ds_rec	 r;
	json_t		*root, *one;
	size_t		 n;
	long		 pages;
	char		*why;

	(void)st;
	/* System records never count, whatever their name and type. */
	memset(&r, 0, sizeof(r));
	n = 0;
	root = json_loads(LIST_SYSTEM, 0, NULL);
	assert_int_equal(ds_parse_records(root, "", "NS", &r, &n, &pages,
	    &why), 0);
	assert_int_equal(n, 0);
	assert_null(r.id);
	assert_int_equal(pages, 1);
	json_decref(root);

	/* The created record, as a one-entry list over two pages: the
	 * first match is kept, later pages add to the count only. */
	one = json_loads(CREATED, 0, NULL);
	root = json_pack("{s:[O], s:{s:i}}", "data", json_object_get(one,
	    "data"), "pagination", "total_pages", 2);
	json_decref(one);
	assert_int_equal(ds_parse_records(root, "WWW", "A", &r, &n, &pages,
	    &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "1");
	assert_string_equal(r.content, "127.0.0.1");
	assert_int_equal(r.ttl, 600);
	assert_int_equal(pages, 2);
	assert_int_equal(ds_parse_records(root, "www", "A", &r, &n, &pages,
	    &why), 0);
	assert_int_equal(n, 2);
	assert_string_equal(r.id, "1");
	/* Another name or type is not ours. */
	assert_int_equal(ds_parse_records(root, "w", "A", &r, &n, &pages,
	    &why), 0);
	assert_int_equal(ds_parse_records(root, "www", "AAAA", &r, &n,
	    &pages, &why), 0);
	assert_int_equal(n, 2);
	json_decref(root);
	ds_rec_free(&r);

	root = json_loads("{\"data\":[{\"name\":\"www\",\"type\":\"A\"}]}", 0,
	    NULL);
	assert_int_equal(ds_parse_records(root, "www", "A", &r, &n, &pages,
	    &why), -1);
	assert_string_equal(why, "record 0 lacks name, type or content");
	free(why);
	json_decref(root);
	n = 0;
	root = json_loads("{\"data\":[{\"name\":\"www\",\"type\":\"A\","
	    "\"content\":\"1.2.3.4\",\"id\":\"x1\"}]}", 0, NULL);
	assert_int_equal(ds_parse_records(root, "www", "A", &r, &n, &pages,
	    &why), -1);
	assert_string_equal(why, "record 0 has no numeric id");
	free(why);
	ds_rec_free(&r);
	json_decref(root);
	root = json_loads("{\"records\":[]}", 0, NULL);
	assert_int_equal(ds_parse_records(root, "www", "A", &r, &n, &pages,
	    &why), -1);
	assert_string_equal(why, "no \"data\" array in the reply");
	free(why);
	json_decref(root);
}

static void
test_write_reply(void **st)
{
	json_t	*root;
	char	*id;

	(void)st;
	root = json_loads(CREATED, 0, NULL);
	assert_string_equal(id = ds_parse_write(root), "1");
	free(id);
	json_decref(root);
	root = json_loads(UPDATED, 0, NULL);
	assert_string_equal(id = ds_parse_write(root), "5");
	free(id);
	json_decref(root);
	root = json_loads("{\"data\":{}}", 0, NULL);
	assert_null(ds_parse_write(root));
	json_decref(root);
}

static void
test_body(void **st)
{
	struct ds_rec	 have = { "5", "203.0.113.7", 3600 };
	struct ds_rec	 v6 = { "6", "2001:db8:0:0::1", 60 };
	char		*b;

	(void)st;
	assert_int_equal(ds_build_body("A", "home", "203.0.113.8", 0, NULL,
	    &b), 3);
	assert_string_equal(b, "{\"name\":\"home\",\"type\":\"A\","
	    "\"content\":\"203.0.113.8\"}");
	free(b);
	assert_int_equal(ds_build_body("AAAA", "", "2001:db8::1", 60, NULL,
	    &b), 3);
	assert_string_equal(b, "{\"name\":\"\",\"type\":\"AAAA\","
	    "\"content\":\"2001:db8::1\",\"ttl\":60}");
	free(b);
	/* Only what differs; nothing when current. */
	assert_int_equal(ds_build_body("A", "home", "203.0.113.8", 0, &have,
	    &b), 1);
	assert_string_equal(b, "{\"content\":\"203.0.113.8\"}");
	free(b);
	assert_int_equal(ds_build_body("A", "home", "203.0.113.7", 300,
	    &have, &b), 1);
	assert_string_equal(b, "{\"ttl\":300}");
	free(b);
	assert_int_equal(ds_build_body("A", "home", "203.0.113.7", 3600,
	    &have, &b), 0);
	assert_null(b);
	/* The same address written another way is current. */
	assert_int_equal(ds_build_body("AAAA", "", "2001:db8::1", 0, &v6,
	    &b), 0);
	assert_null(b);
}

static void
test_wait_429(void **st)
{
	(void)st;
	assert_int_equal(ds_wait_429(120, -1, 1000), 120);
	assert_int_equal(ds_wait_429(0, 5000, 1000), 0);
	assert_int_equal(ds_wait_429(-1, 1475662531, 1475662000), 531);
	assert_int_equal(ds_wait_429(-1, 1000 + 3600, 1000), 3600);
	assert_int_equal(ds_wait_429(-1, 1000 + 3601, 1000), 60);
	assert_int_equal(ds_wait_429(-1, 999, 1000), 60);
	assert_int_equal(ds_wait_429(-1, -1, 1000), 60);
}

static void
test_in_table(void **st)
{
	(void)st;
	assert_ptr_equal(provider_find("dnsimple"), &provider_dnsimple);
	assert_non_null(provider_dnsimple.check);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply_errors),
		cmocka_unit_test(test_accounts_and_zone),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_write_reply),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_wait_429),
		cmocka_unit_test(test_in_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
