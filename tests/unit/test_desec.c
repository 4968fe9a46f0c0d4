/*
 * deSEC provider: the pure parts fed replies shaped like the examples of
 * https://desec.readthedocs.io/en/latest/ (domain and RRset objects,
 * Django REST framework errors, throttling).
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/desec.h"

#define DOMAIN(name, ttl) "{\"created\":\"2018-09-18T16:36:16.510368Z\"," \
	"\"minimum_ttl\":" ttl ",\"name\":\"" name "\",\"published\":" \
	"\"2018-09-18T17:21:38.348112Z\",\"touched\":" \
	"\"2018-09-18T17:21:38.348112Z\"}"
#define RRSET(sub, recs, ttl) "{\"created\":\"2019-09-18T16:32:16.510368Z\"," \
	"\"domain\":\"example.com\",\"subname\":\"" sub "\",\"name\":\"" sub \
	".example.com.\",\"type\":\"A\",\"records\":" recs ",\"ttl\":" ttl \
	",\"touched\":\"2020-04-06T09:24:09.987436Z\"}"
#define HTML	"<html><body><h1>502 Bad Gateway</h1></body></html>"

/* ---- errors --------------------------------------------------------------- */

static const struct {
	long		 status;
	const char	*body;
	enum outcome	 out;
	const char	*why;
} ecases[] = {
	{ 401, "{\"detail\":\"Invalid token.\"}", OUT_AUTH,
	    "HTTP 401: Invalid token. (is the token a deSEC API token of the "
	    "account that holds the domain?)" },
	{ 403, "{\"detail\":\"You do not have permission to perform this "
	    "action.\"}", OUT_AUTH, "HTTP 403: You do not have permission to "
	    "perform this action. (the token's policies must allow writing "
	    "this RRset)" },
	{ 429, "{\"detail\":\"Request was throttled. Expected available in 1 "
	    "second.\"}", OUT_TEMPFAIL, "HTTP 429: Request was throttled. "
	    "Expected available in 1 second." },
	{ 400, "{\"ttl\":[\"Ensure this value is greater than or equal to "
	    "3600.\"]}", OUT_CONFIG, "HTTP 400: ttl: Ensure this value is "
	    "greater than or equal to 3600." },
	{ 400, "{\"non_field_errors\":[\"Another RRset with the same "
	    "subdomain and type exists for this domain. (Try modifying it.)\"]}",
	    OUT_CONFIG, "HTTP 400: Another RRset with the same subdomain and "
	    "type exists for this domain. (Try modifying it.)" },
	{ 400, "{\"records\":[\"a\",\"b\\nc\"],\"ttl\":[\"d\"]}", OUT_CONFIG,
	    "HTTP 400: records: a b?c; ttl: d" },
	{ 404, "{\"detail\":\"Not found.\"}", OUT_CONFIG,
	    "HTTP 404: Not found." },
	{ 500, "<h1>Server Error (500)</h1>", OUT_TEMPFAIL,
	    "HTTP 500 (no deSEC error in the reply)" },
	{ 200, HTML, OUT_PROTOCOL,
	    "HTTP 200: not the deSEC API reply documented" },
	{ 418, "{}", OUT_PROTOCOL, "HTTP 418 (no deSEC error in the reply)" },
};

static void
test_error(void **unused)
{
	char	*why;
	size_t	 i;

	(void)unused;
	for (i = 0; i < sizeof(ecases) / sizeof(ecases[0]); i++) {
		print_message("error %zu\n", i);
		assert_int_equal(ds_error(ecases[i].status, ecases[i].body,
		    &why), ecases[i].out);
		assert_string_equal(why, ecases[i].why);
		free(why);
	}
}

/* ---- domains -------------------------------------------------------------- */

static const struct {
	long		 status;
	const char	*body;
	const char	*name;
	enum outcome	 out;
	const char	*zone;
	long		 minttl;
} dcases[] = {
	{ 200, "[" DOMAIN("example.com", "3600") "," DOMAIN("example.net",
	    "60") "]", "home.example.com", OUT_CURRENT, "example.com", 3600 },
	{ 200, "[" DOMAIN("example.com", "3600") "," DOMAIN("dev.example.com",
	    "60") "]", "www.dev.example.com", OUT_CURRENT, "dev.example.com",
	    60 },
	{ 200, "[" DOMAIN("dev.example.com", "60") "," DOMAIN("example.com",
	    "3600") "]", "Example.COM", OUT_CURRENT, "example.com", 3600 },
	{ 200, "[" DOMAIN("le.com", "3600") "]", "example.com", OUT_CURRENT,
	    NULL, 0 },
	{ 200, "[]", "example.com", OUT_CURRENT, NULL, 0 },
	{ 200, DOMAIN("example.com", "3600"), "example.com", OUT_CURRENT,
	    "example.com", 3600 },
	{ 404, "{\"detail\":\"Not found.\"}", "example.com", OUT_CURRENT,
	    NULL, 0 },
	{ 200, "[{\"name\":1}]", "example.com", OUT_PROTOCOL, NULL, 0 },
	{ 200, "[" DOMAIN("example.com", "\"3600\"") "]", "example.com",
	    OUT_PROTOCOL, NULL, 0 },
	{ 200, HTML, "example.com", OUT_PROTOCOL, NULL, 0 },
	{ 200, "\"x\"", "example.com", OUT_PROTOCOL, NULL, 0 },
	{ 401, "{\"detail\":\"Invalid token.\"}", "example.com", OUT_AUTH,
	    NULL, 0 },
};

static void
test_parse_domains(void **unused)
{
	char	*zone, *why;
	long	 minttl;
	size_t	 i;

	(void)unused;
	for (i = 0; i < sizeof(dcases) / sizeof(dcases[0]); i++) {
		print_message("domains %zu\n", i);
		assert_int_equal(ds_parse_domains(dcases[i].status,
		    dcases[i].body, dcases[i].name, &zone, &minttl, &why),
		    dcases[i].out);
		if (dcases[i].zone != NULL)
			assert_string_equal(zone, dcases[i].zone);
		else
			assert_null(zone);
		assert_int_equal(minttl, dcases[i].minttl);
		assert_true((why == NULL) == (dcases[i].out == OUT_CURRENT));
		free(zone);
		free(why);
	}
}

/* ---- RRsets --------------------------------------------------------------- */

static const struct {
	long		 status;
	const char	*body;
	const char	*sub;
	enum outcome	 out;
	int		 found;
	size_t		 nrec;
	const char	*value;
	long		 ttl;
} rcases[] = {
	{ 200, RRSET("www", "[\"127.0.0.1\",\"127.0.0.2\"]", "3600"), "www",
	    OUT_CURRENT, 1, 2, "127.0.0.1", 3600 },
	{ 201, RRSET("", "[\"127.0.0.1\"]", "60"), "", OUT_CURRENT, 1, 1,
	    "127.0.0.1", 60 },
	{ 404, "{\"detail\":\"Not found.\"}", "www", OUT_CURRENT, 0, 0, NULL,
	    0 },
	{ 204, "", "www", OUT_CURRENT, 0, 0, NULL, 0 },
	{ 200, RRSET("mail", "[\"127.0.0.1\"]", "3600"), "www", OUT_PROTOCOL,
	    0, 0, NULL, 0 },
	{ 200, RRSET("www", "[1]", "3600"), "www", OUT_PROTOCOL, 0, 0, NULL,
	    0 },
	{ 200, RRSET("www", "[]", "null"), "www", OUT_PROTOCOL, 0, 0, NULL,
	    0 },
	{ 200, HTML, "www", OUT_PROTOCOL, 0, 0, NULL, 0 },
	{ 429, "{\"detail\":\"Request was throttled.\"}", "www", OUT_TEMPFAIL,
	    0, 0, NULL, 0 },
};

static void
test_parse_rrset(void **unused)
{
	struct ds_rrset	 rs;
	char		*why;
	size_t		 i;
	int		 found;

	(void)unused;
	for (i = 0; i < sizeof(rcases) / sizeof(rcases[0]); i++) {
		print_message("rrset %zu\n", i);
		assert_int_equal(ds_parse_rrset(rcases[i].status,
		    rcases[i].body, rcases[i].sub, "A", &rs, &found, &why),
		    rcases[i].out);
		assert_int_equal(found, rcases[i].found);
		assert_int_equal(rs.nrec, rcases[i].nrec);
		assert_int_equal(rs.ttl, rcases[i].ttl);
		if (rcases[i].value != NULL)
			assert_string_equal(rs.value, rcases[i].value);
		else
			assert_null(rs.value);
		assert_true((why == NULL) == (rcases[i].out == OUT_CURRENT));
		ds_rrset_free(&rs);
		free(why);
	}
}

/* ---- bodies --------------------------------------------------------------- */

static void
test_bodies(void **unused)
{
	struct ds_rrset	 one = { 3600, 1, (char *)"203.0.113.7" };
	struct ds_rrset	 two = { 3600, 2, (char *)"203.0.113.7" };
	struct ds_rrset	 six = { 3600, 1, (char *)"2001:db8:0::7" };
	char		*s;

	(void)unused;
	s = ds_create_body("", "AAAA", "2001:db8::7", 3600);
	assert_string_equal(s, "{\"records\":[\"2001:db8::7\"],\"subname\":"
	    "\"\",\"ttl\":3600,\"type\":\"AAAA\"}");
	free(s);
	assert_int_equal(ds_patch_body(&one, "203.0.113.7", 0, &s), 0);
	assert_null(s);
	assert_int_equal(ds_patch_body(&one, "203.0.113.7", 3600, &s), 0);
	assert_int_equal(ds_patch_body(&six, "2001:db8::7", 0, &s), 0);
	assert_int_equal(ds_patch_body(&one, "203.0.113.8", 0, &s), 1);
	assert_string_equal(s, "{\"records\":[\"203.0.113.8\"]}");
	free(s);
	assert_int_equal(ds_patch_body(&two, "203.0.113.7", 7200, &s), 2);
	assert_string_equal(s, "{\"records\":[\"203.0.113.7\"],\"ttl\":7200}");
	free(s);
	assert_int_equal(ds_patch_body(&one, "203.0.113.7", 60, &s), 1);
	assert_string_equal(s, "{\"ttl\":60}");
	free(s);
	assert_int_equal(ds_patch_body(NULL, "203.0.113.7", 0, &s), 1);
	assert_string_equal(s, "{\"records\":[\"203.0.113.7\"]}");
	free(s);
	assert_non_null(provider_find("desec"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error),
		cmocka_unit_test(test_parse_domains),
		cmocka_unit_test(test_parse_rrset),
		cmocka_unit_test(test_bodies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
