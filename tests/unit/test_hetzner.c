/*
 * Hetzner Cloud DNS provider: the pure parts fed replies shaped like the
 * examples of https://docs.hetzner.cloud/reference/cloud (Zones, Zone
 * RRSets, Actions, Errors).
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/hetzner.h"

/* The documented examples, trimmed of nothing we read. */
#define ZONE(mode) "{\"zone\":{\"id\":42,\"name\":\"example.com\"," \
	"\"created\":\"2016-01-30T23:55:00+00:00\",\"mode\":\"" mode "\"," \
	"\"primary_nameservers\":[{\"address\":\"198.51.100.1\"," \
	"\"port\":53}],\"labels\":{\"environment\":\"prod\"}," \
	"\"protection\":{\"delete\":false},\"ttl\":10800,\"status\":\"ok\"," \
	"\"record_count\":0,\"authoritative_nameservers\":{\"assigned\":[" \
	"\"hydrogen.ns.hetzner.com.\",\"oxygen.ns.hetzner.com.\"," \
	"\"helium.ns.hetzner.de.\"],\"delegated\":[],\"delegation_last_check\"" \
	":null,\"delegation_status\":\"valid\"},\"registrar\":\"hetzner\"}}"
#define RRSET(name, ttl, recs, prot) "{\"rrset\":{\"id\":\"" name "/A\"," \
	"\"name\":\"" name "\",\"type\":\"A\",\"ttl\":" ttl ",\"labels\":{" \
	"\"environment\":\"prod\",\"example.com/my\":\"label\"," \
	"\"just-a-key\":\"\"},\"protection\":{\"change\":" prot "}," \
	"\"records\":" recs ",\"zone\":42}}"
#define REC1	"[{\"value\":\"198.51.100.1\",\"comment\":\"My web server " \
	"at Hetzner Cloud.\"}]"
#define REC2	"[{\"value\":\"198.51.100.1\",\"comment\":null}," \
	"{\"value\":\"198.51.100.2\",\"comment\":null}]"
#define ACTION(status, error) "{\"action\":{\"id\":42,\"command\":" \
	"\"set_rrset_records\",\"status\":\"" status "\",\"progress\":0," \
	"\"started\":\"2016-01-30T23:55:00+00:00\",\"finished\":null," \
	"\"resources\":[{\"id\":42,\"type\":\"zone\"}],\"error\":" error "}}"
#define ERR(code, msg) "{\"error\":{\"code\":\"" code "\",\"message\":\"" \
	msg "\",\"details\":{}}}"
#define HTML	"<html><body><h1>502 Bad Gateway</h1></body></html>"

/* ---- errors --------------------------------------------------------------- */

struct ecase {
	long		 status;
	const char	*body;
	enum outcome	 out;
	const char	*why;
};

static const struct ecase ecases[] = {
	{ 401, ERR("unauthorized", "unable to authenticate"), OUT_AUTH,
	    "HTTP 401: unauthorized: unable to authenticate (is the token a "
	    "Hetzner Cloud API token of the project that holds the zone?)" },
	{ 403, ERR("forbidden", "insufficient permissions"), OUT_AUTH,
	    "HTTP 403: forbidden: insufficient permissions (the token needs "
	    "Read & Write permission in the project that holds the zone)" },
	{ 403, ERR("token_readonly", "The token is only allowed to perform "
	    "GET requests"), OUT_AUTH, "HTTP 403: token_readonly: The token is "
	    "only allowed to perform GET requests (the token is read-only: "
	    "create one with Read & Write)" },
	{ 429, ERR("rate_limit_exceeded", "limit reached"), OUT_TEMPFAIL,
	    "HTTP 429: rate_limit_exceeded: limit reached" },
	{ 423, ERR("locked", "locked"), OUT_TEMPFAIL,
	    "HTTP 423: locked: locked" },
	{ 409, ERR("conflict", "changed"), OUT_TEMPFAIL,
	    "HTTP 409: conflict: changed" },
	{ 403, ERR("protected", "RRSet is change protected"), OUT_CONFIG,
	    "HTTP 403: protected: RRSet is change protected (turn the RRSet's "
	    "change protection off)" },
	{ 422, ERR("incorrect_zone_mode", "This operation is not supported "
	    "for this Zone's mode"), OUT_CONFIG, "HTTP 422: "
	    "incorrect_zone_mode: This operation is not supported for this "
	    "Zone's mode (a secondary zone is changed at its primary)" },
	{ 400, "{\"error\":{\"code\":\"invalid_input\",\"message\":\"invalid "
	    "input in field 'broken_field': is too long\",\"details\":{"
	    "\"fields\":[{\"name\":\"broken_field\",\"messages\":[\"is too "
	    "long\"]}]}}}", OUT_CONFIG, "HTTP 400: invalid_input: invalid "
	    "input in field 'broken_field': is too long" },
	{ 404, ERR("not_found", "zone not found"), OUT_CONFIG,
	    "HTTP 404: not_found: zone not found" },
	{ 503, ERR("maintenance", "down\\nfor now"), OUT_TEMPFAIL,
	    "HTTP 503: maintenance: down?for now" },
	{ 418, ERR("teapot", "odd"), OUT_PROTOCOL, "HTTP 418: teapot: odd" },
	{ 500, ERR("teapot", "odd"), OUT_TEMPFAIL, "HTTP 500: teapot: odd" },
	{ 502, HTML, OUT_TEMPFAIL, "HTTP 502 (no Hetzner error in the reply)" },
	{ 401, NULL, OUT_AUTH, "HTTP 401 (no Hetzner error in the reply)" },
	{ 200, HTML, OUT_PROTOCOL, NULL },
	{ 200, "", OUT_PROTOCOL, "HTTP 200: not the Hetzner API reply "
	    "documented: empty reply" },
	{ 200, "[1]", OUT_PROTOCOL, "HTTP 200: not the Hetzner API reply "
	    "documented: not a JSON object" },
};

static void
test_error(void **unused)
{
	const struct ecase	*c;
	char			*why;
	size_t			 i;

	(void)unused;
	for (i = 0; i < sizeof(ecases) / sizeof(ecases[0]); i++) {
		c = &ecases[i];
		print_message("error %zu\n", i);
		assert_int_equal(hz_error(c->status, c->body, &why), c->out);
		assert_non_null(why);
		if (c->why != NULL)
			assert_string_equal(why, c->why);
		free(why);
	}
	assert_true(hz_not_found(404, ERR("not_found", "x")));
	assert_false(hz_not_found(404, HTML));
	assert_false(hz_not_found(404, ERR("forbidden", "x")));
	assert_false(hz_not_found(200, ERR("not_found", "x")));
}

/* ---- zones ---------------------------------------------------------------- */

struct zcase {
	long		 status;
	const char	*body;
	const char	*name;
	enum outcome	 out;
	const char	*id;
	const char	*why;
};

static const struct zcase zcases[] = {
	{ 200, ZONE("primary"), "example.com", OUT_CURRENT, "42", NULL },
	{ 200, ZONE("primary"), "Example.COM", OUT_CURRENT, "42", NULL },
	{ 404, ERR("not_found", "zone not found"), "example.net", OUT_CURRENT,
	    NULL, NULL },
	{ 200, ZONE("secondary"), "example.com", OUT_CONFIG, NULL,
	    "zone example.com is in secondary mode: its records are changed "
	    "at its primary name server" },
	{ 200, ZONE("primary"), "example.org", OUT_PROTOCOL, NULL,
	    "HTTP 200: asked for zone example.org, got another" },
	{ 200, "{\"zone\":{\"id\":\"x/y\",\"name\":\"example.com\"}}",
	    "example.com", OUT_PROTOCOL, NULL,
	    "HTTP 200: the zone has no usable id or name" },
	{ 200, "{\"zones\":[]}", "example.com", OUT_PROTOCOL, NULL,
	    "HTTP 200: the zone has no usable id or name" },
	{ 401, ERR("unauthorized", "unable to authenticate"), "example.com",
	    OUT_AUTH, NULL, NULL },
	{ 200, HTML, "example.com", OUT_PROTOCOL, NULL, NULL },
};

static void
test_parse_zone(void **unused)
{
	const struct zcase	*c;
	char			*id, *why;
	size_t			 i;

	(void)unused;
	for (i = 0; i < sizeof(zcases) / sizeof(zcases[0]); i++) {
		c = &zcases[i];
		print_message("zone %zu\n", i);
		assert_int_equal(hz_parse_zone(c->status, c->body, c->name, &id,
		    &why), c->out);
		if (c->id != NULL)
			assert_string_equal(id, c->id);
		else
			assert_null(id);
		if (c->out == OUT_CURRENT)
			assert_null(why);
		else
			assert_non_null(why);
		if (c->why != NULL)
			assert_string_equal(why, c->why);
		free(id);
		free(why);
	}
}

/* ---- RRSets --------------------------------------------------------------- */

struct rcase {
	long		 status;
	const char	*body;
	const char	*name;
	enum outcome	 out;
	int		 found;
	long		 ttl;
	size_t		 nrec;
	const char	*value;
	int		 protect;
	const char	*why;
};

static const struct rcase rcases[] = {
	{ 200, RRSET("www", "3600", REC1, "false"), "www", OUT_CURRENT, 1,
	    3600, 1, "198.51.100.1", 0, NULL },
	{ 200, RRSET("@", "null", REC2, "true"), "@", OUT_CURRENT, 1, -1, 2,
	    "198.51.100.1", 1, NULL },
	{ 200, RRSET("www", "60", "[]", "false"), "www", OUT_CURRENT, 1, 60,
	    0, NULL, 0, NULL },
	{ 404, ERR("not_found", "RRSet not found"), "www", OUT_CURRENT, 0, -1,
	    0, NULL, 0, NULL },
	{ 200, RRSET("mail", "3600", REC1, "false"), "www", OUT_PROTOCOL, 0,
	    -1, 0, NULL, 0, "HTTP 200: asked for RRSet www A, got mail A" },
	{ 200, RRSET("www", "\"3600\"", REC1, "false"), "www", OUT_PROTOCOL,
	    0, -1, 0, NULL, 0, "HTTP 200: the RRSet has no usable name, type, "
	    "ttl or records" },
	{ 200, RRSET("www", "3600", "[{\"comment\":\"x\"}]", "false"), "www",
	    OUT_PROTOCOL, 0, -1, 0, NULL, 0,
	    "HTTP 200: record 0 of the RRSet has no value" },
	{ 403, ERR("forbidden", "no"), "www", OUT_AUTH, 0, -1, 0, NULL, 0,
	    NULL },
	{ 200, "{\"rrset\":", "www", OUT_PROTOCOL, 0, -1, 0, NULL, 0, NULL },
};

static void
test_parse_rrset(void **unused)
{
	const struct rcase	*c;
	struct hz_rrset		 rs;
	char			*why;
	size_t			 i;
	int			 found;

	(void)unused;
	for (i = 0; i < sizeof(rcases) / sizeof(rcases[0]); i++) {
		c = &rcases[i];
		print_message("rrset %zu\n", i);
		assert_int_equal(hz_parse_rrset(c->status, c->body, c->name,
		    "A", &rs, &found, &why), c->out);
		assert_int_equal(found, c->found);
		assert_int_equal(rs.ttl, c->ttl);
		assert_int_equal(rs.nrec, c->nrec);
		assert_int_equal(rs.protect, c->protect);
		if (c->value != NULL)
			assert_string_equal(rs.value, c->value);
		else
			assert_null(rs.value);
		if (c->why != NULL)
			assert_string_equal(why, c->why);
		assert_true((why == NULL) == (c->out == OUT_CURRENT));
		hz_rrset_free(&rs);
		free(why);
	}
}

/* ---- actions -------------------------------------------------------------- */

struct acase {
	long		 status;
	const char	*body;
	enum outcome	 out;
	long long	 id;
	enum hz_state	 state;
	const char	*why;
};

static const struct acase acases[] = {
	{ 201, ACTION("running", "null"), OUT_CURRENT, 42, HZ_RUNNING, NULL },
	{ 200, ACTION("success", "null"), OUT_CURRENT, 42, HZ_SUCCESS, NULL },
	{ 201, "{\"rrset\":{\"id\":\"www/A\"}," "\"action\":{\"id\":7,"
	    "\"command\":\"create_rrset\",\"status\":\"success\",\"error\":"
	    "null}}", OUT_CURRENT, 7, HZ_SUCCESS, NULL },
	{ 200, ACTION("error", "{\"code\":\"action_failed\",\"message\":"
	    "\"Action failed\"}"), OUT_TEMPFAIL, 42, HZ_RUNNING,
	    "action 42 (set_rrset_records) failed: action_failed: Action "
	    "failed" },
	{ 200, ACTION("error", "null"), OUT_TEMPFAIL, 42, HZ_RUNNING,
	    "action 42 (set_rrset_records) failed: no reason given" },
	{ 200, ACTION("paused", "null"), OUT_PROTOCOL, 42, HZ_RUNNING,
	    "HTTP 200: action 42 has status \"paused\"" },
	{ 201, "{\"action\":{\"id\":0,\"status\":\"running\"}}", OUT_PROTOCOL,
	    0, HZ_RUNNING, "HTTP 201: no usable action in the reply" },
	{ 201, "{\"rrset\":{}}", OUT_PROTOCOL, 0, HZ_RUNNING,
	    "HTTP 201: no usable action in the reply" },
	{ 429, ERR("rate_limit_exceeded", "slow down"), OUT_TEMPFAIL, 0,
	    HZ_RUNNING, "HTTP 429: rate_limit_exceeded: slow down" },
	{ 201, HTML, OUT_PROTOCOL, 0, HZ_RUNNING, NULL },
};

static void
test_parse_action(void **unused)
{
	const struct acase	*c;
	enum hz_state		 st;
	long long		 id;
	char			*why;
	size_t			 i;

	(void)unused;
	for (i = 0; i < sizeof(acases) / sizeof(acases[0]); i++) {
		c = &acases[i];
		print_message("action %zu\n", i);
		assert_int_equal(hz_parse_action(c->status, c->body, &id, &st,
		    &why), c->out);
		assert_int_equal(id, c->id);
		if (c->out == OUT_CURRENT) {
			assert_int_equal(st, c->state);
			assert_null(why);
		} else
			assert_non_null(why);
		if (c->why != NULL)
			assert_string_equal(why, c->why);
		free(why);
	}
}

/* ---- bodies --------------------------------------------------------------- */

static void
test_bodies(void **unused)
{
	char	*s;

	(void)unused;
	s = hz_create_body("www", "A", "198.51.100.1", 0, NULL);
	assert_string_equal(s, "{\"name\":\"www\",\"records\":[{\"value\":"
	    "\"198.51.100.1\"}],\"type\":\"A\"}");
	free(s);
	s = hz_create_body("@", "AAAA", "2001:db8::1", 300, "ddnsup");
	assert_string_equal(s, "{\"name\":\"@\",\"records\":[{\"comment\":"
	    "\"ddnsup\",\"value\":\"2001:db8::1\"}],\"ttl\":300,\"type\":"
	    "\"AAAA\"}");
	free(s);
	s = hz_records_body("198.51.100.1", NULL);
	assert_string_equal(s, "{\"records\":[{\"value\":\"198.51.100.1\"}]}");
	free(s);
	s = hz_ttl_body(3600);
	assert_string_equal(s, "{\"ttl\":3600}");
	free(s);
}

static void
test_descriptor(void **unused)
{
	const struct provider	*p;

	(void)unused;
	assert_non_null(p = provider_find("hetzner"));
	assert_string_equal(p->name, "hetzner");
	assert_non_null(p->push);
	assert_non_null(p->check);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error),
		cmocka_unit_test(test_parse_zone),
		cmocka_unit_test(test_parse_rrset),
		cmocka_unit_test(test_parse_action),
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_descriptor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
