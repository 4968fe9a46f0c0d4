/*
 * Linode provider: the pure parts fed replies shaped like the examples of
 * https://techdocs.akamai.com/linode-api/reference (Domains, Domain
 * Records, Errors).
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/linode.h"

#define PAGE(data, pages) "{\"data\":[" data "],\"page\":1,\"pages\":" \
	pages ",\"results\":1}"
#define DOMAIN(id, name, type) "{\"axfr_ips\":[],\"description\":null," \
	"\"domain\":\"" name "\",\"expire_sec\":300,\"group\":null,\"id\":" \
	id ",\"master_ips\":[],\"refresh_sec\":300,\"retry_sec\":300," \
	"\"soa_email\":\"admin@example.org\",\"status\":\"active\",\"tags\":" \
	"[\"example tag\",\"another example\"],\"ttl_sec\":300,\"type\":\"" \
	type "\"}"
#define REC(id, name, type, target, ttl) "{\"created\":" \
	"\"2018-01-01T00:01:01\",\"id\":" id ",\"name\":\"" name "\"," \
	"\"port\":80,\"priority\":50,\"protocol\":null,\"service\":null," \
	"\"tag\":null,\"target\":\"" target "\",\"ttl_sec\":" ttl ",\"type\":" \
	"\"" type "\",\"updated\":\"2018-01-01T00:01:01\",\"weight\":50}"
#define HTML	"<html><body><h1>502 Bad Gateway</h1></body></html>"

static void
test_error(void **unused)
{
	static const struct {
		long		 status;
		const char	*body;
		enum outcome	 out;
		const char	*why;
	} c[] = {
		{ 401, "{\"errors\":[{\"reason\":\"Invalid Token\"}]}", OUT_AUTH,
		    "HTTP 401: Invalid Token (the token needs the Domains "
		    "Read/Write scope and must not have expired)" },
		{ 403, "{\"errors\":[{\"reason\":\"Unauthorized\"}]}", OUT_AUTH,
		    "HTTP 403: Unauthorized (the token's user needs read-write "
		    "access to the domain)" },
		{ 400, "{\"errors\":[{\"reason\":\"fieldname must be a valid "
		    "value\",\"field\":\"fieldname\"},{\"reason\":\"x\"}]}",
		    OUT_CONFIG, "HTTP 400: fieldname: fieldname must be a valid "
		    "value; x" },
		{ 429, "{\"errors\":[{\"reason\":\"Too Many Requests\"}]}",
		    OUT_TEMPFAIL, "HTTP 429: Too Many Requests" },
		{ 404, "{\"errors\":[{\"reason\":\"Not found\"}]}", OUT_CONFIG,
		    "HTTP 404: Not found" },
		{ 502, HTML, OUT_TEMPFAIL,
		    "HTTP 502 (no Linode error in the reply)" },
		{ 200, HTML, OUT_PROTOCOL,
		    "HTTP 200: not the Linode API reply documented" },
	};
	char	*why;
	size_t	 i;

	(void)unused;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		print_message("error %zu\n", i);
		assert_int_equal(ln_error(c[i].status, c[i].body, &why),
		    c[i].out);
		assert_string_equal(why, c[i].why);
		free(why);
	}
}

static void
test_parse_domains(void **unused)
{
	static const struct {
		long		 status;
		const char	*body;
		const char	*name;
		enum outcome	 out;
		const char	*id;
	} c[] = {
		{ 200, PAGE(DOMAIN("1234", "example.org", "master"), "1"),
		    "example.org", OUT_CURRENT, "1234" },
		{ 200, PAGE(DOMAIN("1234", "Example.ORG", "master"), "1"),
		    "example.org", OUT_CURRENT, "1234" },
		{ 200, PAGE(DOMAIN("1234", "example.com", "master"), "1"),
		    "example.org", OUT_CURRENT, NULL },
		{ 200, PAGE("", "0"), "example.org", OUT_CURRENT, NULL },
		{ 200, PAGE(DOMAIN("1234", "example.org", "slave"), "1"),
		    "example.org", OUT_CONFIG, NULL },
		{ 200, PAGE(DOMAIN("\"x\"", "example.org", "master"), "1"),
		    "example.org", OUT_PROTOCOL, NULL },
		{ 200, "{\"data\":{}}", "example.org", OUT_PROTOCOL, NULL },
		{ 200, HTML, "example.org", OUT_PROTOCOL, NULL },
		{ 401, "{\"errors\":[{\"reason\":\"Invalid Token\"}]}",
		    "example.org", OUT_AUTH, NULL },
	};
	char	*id, *why;
	size_t	 i;

	(void)unused;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		print_message("domains %zu\n", i);
		assert_int_equal(ln_parse_domains(c[i].status, c[i].body,
		    c[i].name, &id, &why), c[i].out);
		if (c[i].id != NULL)
			assert_string_equal(id, c[i].id);
		else
			assert_null(id);
		assert_true((why == NULL) == (c[i].out == OUT_CURRENT));
		free(id);
		free(why);
	}
}

static void
test_parse_records(void **unused)
{
	static const struct {
		long		 status;
		const char	*body;
		const char	*name;
		enum outcome	 out;
		size_t		 count;
		long		 pages;
		const char	*id;
		const char	*target;
		long		 ttl;
	} c[] = {
		{ 200, PAGE(REC("123456", "test", "A", "192.0.2.0", "604800"),
		    "1"), "test", OUT_CURRENT, 1, 1, "123456", "192.0.2.0",
		    604800 },
		{ 200, PAGE(REC("1", "test", "AAAA", "2001:db8::1", "0") ","
		    REC("2", "Test", "A", "192.0.2.1", "0") "," REC("3", "test",
		    "A", "192.0.2.2", "300"), "3"), "test", OUT_CURRENT, 2, 3,
		    "2", "192.0.2.1", 0 },
		{ 200, PAGE(REC("1", "", "A", "192.0.2.1", "0"), "1"), "",
		    OUT_CURRENT, 1, 1, "1", "192.0.2.1", 0 },
		{ 200, PAGE(REC("1", "www", "A", "192.0.2.1", "0"), "1"), "",
		    OUT_CURRENT, 0, 1, NULL, NULL, 0 },
		{ 200, PAGE(REC("1", "test", "A", "192.0.2.1", "null"), "1"),
		    "test", OUT_PROTOCOL, 0, 1, NULL, NULL, 0 },
		{ 200, PAGE(REC("-1", "test", "A", "192.0.2.1", "0"), "1"),
		    "test", OUT_PROTOCOL, 1, 1, NULL, NULL, 0 },
		{ 200, HTML, "test", OUT_PROTOCOL, 0, 0, NULL, NULL, 0 },
	};
	struct ln_rec	 r;
	size_t		 i, count;
	long		 pages;
	char		*why;

	(void)unused;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		print_message("records %zu\n", i);
		memset(&r, 0, sizeof(r));
		count = 0;
		assert_int_equal(ln_parse_records(c[i].status, c[i].body,
		    c[i].name, "A", &r, &count, &pages, &why), c[i].out);
		assert_int_equal(count, c[i].count);
		if (c[i].out == OUT_CURRENT) {
			assert_null(why);
			assert_int_equal(pages, c[i].pages);
			if (c[i].id != NULL) {
				assert_string_equal(r.id, c[i].id);
				assert_string_equal(r.target, c[i].target);
				assert_int_equal(r.ttl, c[i].ttl);
			} else
				assert_null(r.id);
		} else
			assert_non_null(why);
		ln_rec_free(&r);
		free(why);
	}
}

static void
test_parse_write(void **unused)
{
	char	*id, *why;

	(void)unused;
	assert_int_equal(ln_parse_write(200, REC("123456", "test", "A",
	    "192.0.2.0", "604800"), "192.0.2.0", &id, &why), OUT_UPDATED);
	assert_string_equal(id, "123456");
	assert_null(why);
	free(id);
	assert_int_equal(ln_parse_write(200, REC("1", "test", "AAAA",
	    "2001:db8:0::1", "0"), "2001:db8::1", &id, &why), OUT_UPDATED);
	free(id);
	assert_int_equal(ln_parse_write(200, REC("1", "test", "A",
	    "192.0.2.9", "0"), "192.0.2.0", &id, &why), OUT_PROTOCOL);
	assert_null(id);
	assert_string_equal(why, "HTTP 200: the written record holds another "
	    "target");
	free(why);
	assert_int_equal(ln_parse_write(400, "{\"errors\":[{\"reason\":"
	    "\"Invalid IPv4 address\",\"field\":\"target\"}]}", "x", &id, &why),
	    OUT_CONFIG);
	assert_string_equal(why, "HTTP 400: target: Invalid IPv4 address");
	free(why);
}

static void
test_bodies(void **unused)
{
	struct ln_rec	 have = { (char *)"1", (char *)"192.0.2.1", 3600 };
	char		*s;

	(void)unused;
	assert_int_equal(ln_round_ttl(0), 0);
	assert_int_equal(ln_round_ttl(1), 30);
	assert_int_equal(ln_round_ttl(300), 300);
	assert_int_equal(ln_round_ttl(301), 3600);
	assert_int_equal(ln_round_ttl(600), 3600);
	assert_int_equal(ln_round_ttl(604800), 604800);
	assert_int_equal(ln_round_ttl(9999999), 2419200);
	assert_int_equal(ln_build_body("", "AAAA", "2001:db8::1", 300, NULL,
	    &s), 4);
	assert_string_equal(s, "{\"name\":\"\",\"target\":\"2001:db8::1\","
	    "\"ttl_sec\":300,\"type\":\"AAAA\"}");
	free(s);
	assert_int_equal(ln_build_body("x", "A", "192.0.2.1", 0, &have, &s),
	    0);
	assert_null(s);
	assert_int_equal(ln_build_body("x", "A", "192.0.2.1", 600, &have, &s),
	    0);
	assert_int_equal(ln_build_body("x", "A", "192.0.2.2", 300, &have, &s),
	    2);
	assert_string_equal(s, "{\"target\":\"192.0.2.2\",\"ttl_sec\":300}");
	free(s);
	assert_non_null(provider_find("linode"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error),
		cmocka_unit_test(test_parse_domains),
		cmocka_unit_test(test_parse_records),
		cmocka_unit_test(test_parse_write),
		cmocka_unit_test(test_bodies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
