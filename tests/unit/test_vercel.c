/*
 * Vercel provider: the pure parts fed replies shaped like the examples of
 * https://vercel.com/docs/rest-api (domains, dns, errors).
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/vercel.h"

#define REC(id, name, type, value, ttl) "{\"id\":\"" id "\",\"slug\":" \
	"\"example.com-" name "\",\"name\":\"" name "\",\"type\":\"" type \
	"\",\"value\":\"" value "\",\"creator\":\"system\",\"created\":" \
	"1609499532000,\"updated\":1609499532000,\"createdAt\":" \
	"1609499532000,\"updatedAt\":1609499532000" ttl "}"
#define LIST(recs, next) "{\"records\":[" recs "],\"pagination\":{" \
	"\"count\":20,\"next\":" next ",\"prev\":1540095775941}}"
#define DOMAIN(name, st) "{\"domain\":{\"suffix\":false,\"verified\":true," \
	"\"nameservers\":[\"ns1.vercel-dns.com\",\"ns2.vercel-dns.com\"]," \
	"\"intendedNameservers\":[\"ns1.vercel-dns.com\"],\"createdAt\":" \
	"1613602938882,\"expiresAt\":null,\"id\":\"EmTbe5CEJyTk2yVAHBUWy4A3sRu" \
	"sca3GCwRjTC1bpeVnt1\",\"name\":\"" name "\",\"serviceType\":\"" st \
	"\",\"teamId\":null}}"
#define HTML	"<html><body><h1>502 Bad Gateway</h1></body></html>"

static void
test_error(void **unused)
{
	static const struct {
		long		 status;
		const char	*body;
		enum outcome	 out;
		long long	 reset;
		const char	*why;
	} c[] = {
		{ 403, "{\"error\":{\"code\":\"forbidden\",\"message\":\"Not "
		    "authorized\",\"invalidToken\":true}}", OUT_AUTH, 0,
		    "HTTP 403: forbidden: Not authorized (is the token valid, "
		    "and is team_id set when the domain belongs to a team?)" },
		{ 429, "{\"error\":{\"code\":\"rate_limited\",\"message\":"
		    "\"Rate limit exceeded\",\"limit\":{\"remaining\":0,"
		    "\"reset\":1571432075,\"resetMs\":1571432075563,\"total\":"
		    "100}}}", OUT_TEMPFAIL, 1571432075,
		    "HTTP 429: rate_limited: Rate limit exceeded" },
		{ 400, "{\"error\":{\"code\":\"bad_request\",\"message\":"
		    "\"Invalid\\nrequest\"}}", OUT_CONFIG, 0,
		    "HTTP 400: bad_request: Invalid?request" },
		{ 404, "{\"error\":{\"code\":\"not_found\"}}", OUT_CONFIG, 0,
		    "HTTP 404: not_found" },
		{ 502, HTML, OUT_TEMPFAIL, 0,
		    "HTTP 502 (no Vercel error in the reply)" },
		{ 200, HTML, OUT_PROTOCOL, 0,
		    "HTTP 200: not the Vercel API reply documented" },
	};
	long long	 reset;
	char		*why;
	size_t		 i;

	(void)unused;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		print_message("error %zu\n", i);
		assert_int_equal(vc_error(c[i].status, c[i].body, &reset,
		    &why), c[i].out);
		assert_int_equal(reset, c[i].reset);
		assert_string_equal(why, c[i].why);
		free(why);
	}
}

static void
test_parse_domain(void **unused)
{
	char	*why;
	int	 found, ext;

	(void)unused;
	assert_int_equal(vc_parse_domain(200, DOMAIN("example.com",
	    "zeit.world"), "example.com", &found, &ext, &why), OUT_CURRENT);
	assert_true(found);
	assert_false(ext);
	assert_null(why);
	assert_int_equal(vc_parse_domain(200, DOMAIN("example.com",
	    "external"), "Example.com", &found, &ext, &why), OUT_CURRENT);
	assert_true(found);
	assert_true(ext);
	assert_int_equal(vc_parse_domain(404, "{\"error\":{\"code\":"
	    "\"not_found\",\"message\":\"Domain not found\"}}", "example.com",
	    &found, &ext, &why), OUT_CURRENT);
	assert_false(found);
	assert_int_equal(vc_parse_domain(200, DOMAIN("example.org",
	    "zeit.world"), "example.com", &found, &ext, &why), OUT_PROTOCOL);
	assert_string_equal(why, "HTTP 200: asked for domain example.com, got "
	    "another");
	free(why);
	assert_int_equal(vc_parse_domain(200, HTML, "example.com", &found,
	    &ext, &why), OUT_PROTOCOL);
	free(why);
	assert_int_equal(vc_parse_domain(403, "{\"error\":{\"code\":"
	    "\"forbidden\",\"message\":\"Not authorized\"}}", "example.com",
	    &found, &ext, &why), OUT_AUTH);
	free(why);
}

static void
test_parse_records(void **unused)
{
	static const struct {
		const char	*body;
		const char	*name;
		enum outcome	 out;
		size_t		 count;
		long long	 next;
		const char	*id;
		const char	*value;
		long		 ttl;
	} c[] = {
		{ LIST(REC("rec_1", "home", "A", "192.0.2.1", ",\"ttl\":60"),
		    "1540095775951"), "home", OUT_CURRENT, 1, 1540095775951LL,
		    "rec_1", "192.0.2.1", 60 },
		{ LIST(REC("rec_1", "home", "AAAA", "2001:db8::1", "") ","
		    REC("rec_2", "Home", "A", "192.0.2.2", "") "," REC("rec_3",
		    "home", "A", "192.0.2.3", ""), "null"), "home", OUT_CURRENT,
		    2, 0, "rec_2", "192.0.2.2", 0 },
		{ LIST(REC("rec_1", "", "A", "192.0.2.1", ""), "null"), "",
		    OUT_CURRENT, 1, 0, "rec_1", "192.0.2.1", 0 },
		{ LIST(REC("rec_1", "www", "A", "192.0.2.1", ""), "null"), "",
		    OUT_CURRENT, 0, 0, NULL, NULL, 0 },
		{ LIST(REC("rec/1", "home", "A", "192.0.2.1", ""), "null"),
		    "home", OUT_PROTOCOL, 1, 0, NULL, NULL, 0 },
		{ LIST(REC("rec_1", "home", "A", "192.0.2.1", ",\"ttl\":\"60\""),
		    "null"), "home", OUT_PROTOCOL, 0, 0, NULL, NULL, 0 },
		{ "{\"records\":{}}", "home", OUT_PROTOCOL, 0, 0, NULL, NULL,
		    0 },
		{ "\"records\"", "home", OUT_PROTOCOL, 0, 0, NULL, NULL, 0 },
		{ HTML, "home", OUT_PROTOCOL, 0, 0, NULL, NULL, 0 },
	};
	struct vc_rec	 r;
	long long	 next;
	size_t		 i, count;
	char		*why;

	(void)unused;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		print_message("records %zu\n", i);
		memset(&r, 0, sizeof(r));
		count = 0;
		assert_int_equal(vc_parse_records(200, c[i].body, c[i].name,
		    "A", &r, &count, &next, &why), c[i].out);
		assert_int_equal(count, c[i].count);
		if (c[i].out == OUT_CURRENT) {
			assert_null(why);
			assert_int_equal(next, c[i].next);
			if (c[i].id != NULL) {
				assert_string_equal(r.id, c[i].id);
				assert_string_equal(r.value, c[i].value);
				assert_int_equal(r.ttl, c[i].ttl);
			} else
				assert_null(r.id);
		} else
			assert_non_null(why);
		vc_rec_free(&r);
		free(why);
	}
}

static void
test_parse_write(void **unused)
{
	char	*id, *why;

	(void)unused;
	assert_int_equal(vc_parse_write(200, "{\"uid\":"
	    "\"rec_V0fra8eEgQwEpFhYG2vTzC3K\",\"updated\":1594321300211}",
	    "192.0.2.1", &id, &why), OUT_UPDATED);
	assert_string_equal(id, "rec_V0fra8eEgQwEpFhYG2vTzC3K");
	free(id);
	assert_int_equal(vc_parse_write(200, "{\"createdAt\":1640995200000,"
	    "\"creator\":\"zXxhcoNmtsHKvmZZLZcPaVLp\",\"domain\":"
	    "\"example.com\",\"id\":\"rec_1\",\"name\":\"home\",\"recordType\":"
	    "\"AAAA\",\"ttl\":60,\"type\":\"record\",\"value\":\"2001:db8:0::1\"}",
	    "2001:db8::1", &id, &why), OUT_UPDATED);
	assert_string_equal(id, "rec_1");
	free(id);
	assert_int_equal(vc_parse_write(200, "{\"id\":\"rec_1\",\"value\":"
	    "\"192.0.2.9\"}", "192.0.2.1", &id, &why), OUT_PROTOCOL);
	assert_null(id);
	assert_string_equal(why, "HTTP 200: the written record holds another "
	    "value");
	free(why);
	assert_int_equal(vc_parse_write(200, "{\"updated\":1}", "192.0.2.1",
	    &id, &why), OUT_PROTOCOL);
	assert_string_equal(why, "HTTP 200: the written record has no id");
	free(why);
	assert_int_equal(vc_parse_write(404, "{\"error\":{\"code\":"
	    "\"not_found\",\"message\":\"DNS record not found\"}}", "x", &id,
	    &why), OUT_CONFIG);
	free(why);
}

static void
test_bodies(void **unused)
{
	struct vc_rec	 have = { (char *)"rec_1", (char *)"192.0.2.1", 60 };
	char		*s;

	(void)unused;
	assert_int_equal(vc_build_body("", "AAAA", "2001:db8::1", 0, NULL,
	    &s), 3);
	assert_string_equal(s, "{\"name\":\"\",\"type\":\"AAAA\",\"value\":"
	    "\"2001:db8::1\"}");
	free(s);
	assert_int_equal(vc_build_body("home", "A", "192.0.2.1", 300, NULL,
	    &s), 4);
	assert_string_equal(s, "{\"name\":\"home\",\"ttl\":300,\"type\":\"A\","
	    "\"value\":\"192.0.2.1\"}");
	free(s);
	assert_int_equal(vc_build_body("x", "A", "192.0.2.1", 60, &have, &s),
	    0);
	assert_null(s);
	assert_int_equal(vc_build_body("x", "A", "192.0.2.2", 0, &have, &s),
	    1);
	assert_string_equal(s, "{\"value\":\"192.0.2.2\"}");
	free(s);
	assert_non_null(provider_find("vercel"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error),
		cmocka_unit_test(test_parse_domain),
		cmocka_unit_test(test_parse_records),
		cmocka_unit_test(test_parse_write),
		cmocka_unit_test(test_bodies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
