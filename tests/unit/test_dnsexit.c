/*
 * DNSExit JSON API: the update document and reply reading. The success
 * and record-type replies are go-acme/lego's recorded fixtures of DNSExit
 * answers; code 2 "API Key Authentication Error" is an assumption (see
 * providers/dnsexit.c).
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/dnsexit.h"

#define HINT	"(check api_key: the DNS API key from the DNSExit account's " \
	"Settings, DNS API Key)"

struct bcase {
	const char	*domain, *name, *type, *content;
	long		 ttl;
	const char	*body;
};

static void
test_body(void **st)
{
	static const struct bcase c[] = {
		{ "example.com", "home", "A", "1.1.1.1", 0,
		    "{\"domain\":\"example.com\",\"update\":{\"type\":\"A\","
		    "\"name\":\"home\",\"content\":\"1.1.1.1\"}}" },
		{ "example.com", "", "AAAA", "2001:db8::1", 28800,
		    "{\"domain\":\"example.com\",\"update\":{\"type\":\"AAAA\","
		    "\"name\":\"\",\"content\":\"2001:db8::1\",\"ttl\":480}}" },
		{ "linkpc.net", "my\"host", "A", "1.1.1.1", 61,
		    "{\"domain\":\"linkpc.net\",\"update\":{\"type\":\"A\","
		    "\"name\":\"my\\\"host\",\"content\":\"1.1.1.1\","
		    "\"ttl\":2}}" },
		{ "example.com", "a", "A", "1.1.1.1", 1,
		    "{\"domain\":\"example.com\",\"update\":{\"type\":\"A\","
		    "\"name\":\"a\",\"content\":\"1.1.1.1\",\"ttl\":1}}" },
	};
	char	*s;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		s = dnsexit_build_update(c[i].domain, c[i].name, c[i].type,
		    c[i].content, c[i].ttl);
		assert_non_null(s);
		assert_string_equal(s, c[i].body);
		free(s);
	}
}

struct rcase {
	long		 status;
	const char	*body;
	enum outcome	 out;
	const char	*why;	/* exact; NULL on success */
};

static void
test_reply(void **st)
{
	static const struct rcase c[] = {
		{ 200, "{\"code\":0,\"details\":[\"UPDATE Record A example.com"
		    ". TTL(hh:mm) 08:00  IP   1.1.1.10\"],\"message\":"
		    "\"Success\"}", OUT_UPDATED, NULL },
		{ 200, "{\"code\" : 0, \"message\" : \"Success - some details "
		    "about the update\"}", OUT_UPDATED, NULL },
		{ 200, "{\"code\":2,\"message\":\"API Key Authentication "
		    "Error\"}", OUT_AUTH, "HTTP 200: code 2: API Key "
		    "Authentication Error " HINT },
		{ 200, "{\"code\":9,\"message\":\"Invalid apikey\"}", OUT_AUTH,
		    "HTTP 200: code 9: Invalid apikey " HINT },
		{ 200, "{\"code\":6,\"message\":\"JSON Defined Record Type not "
		    "Supported\"}", OUT_PROTOCOL, "HTTP 200: code 6: JSON "
		    "Defined Record Type not Supported" },
		{ 200, "{\"code\":1,\"message\":\"a\\nb\"}", OUT_PROTOCOL,
		    "HTTP 200: code 1: a?b" },
		{ 200, "{\"code\":\"0\"}", OUT_PROTOCOL, "HTTP 200: not a "
		    "DNSExit API reply: no numeric \"code\"" },
		{ 200, "[0]", OUT_PROTOCOL, "HTTP 200: not a DNSExit API "
		    "reply: not a JSON object" },
		{ 200, "", OUT_PROTOCOL, "HTTP 200: not a DNSExit API reply: "
		    "empty reply" },
		{ 503, "<html>", OUT_TEMPFAIL, "HTTP 503 (no DNSExit reply)" },
		{ 429, "", OUT_TEMPFAIL, "HTTP 429 (no DNSExit reply)" },
		{ 403, "{\"code\":2,\"message\":\"API Key Authentication "
		    "Error\"}", OUT_AUTH, "HTTP 403: code 2: API Key "
		    "Authentication Error " HINT },
		{ 302, "", OUT_PROTOCOL, "HTTP 302 (no DNSExit reply)" },
	};
	char	*why;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(dnsexit_reply(c[i].status, c[i].body, &why),
		    c[i].out);
		if (c[i].why == NULL)
			assert_null(why);
		else {
			assert_non_null(why);
			assert_string_equal(why, c[i].why);
		}
		free(why);
	}
}

static void
test_in_table(void **st)
{
	(void)st;
	assert_ptr_equal(provider_find("dnsexit"), &provider_dnsexit);
	assert_non_null(provider_dnsexit.check);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_in_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
