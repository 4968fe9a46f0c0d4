/* Unit tests for providers/duckdns.c: names, URLs, replies. */
#include "unit.h"
#include "providers/providers.h"
#include "providers/duckdns.h"

#define TOKEN	"a7c4d0ad-114e-40ef-ba1d-d217904a50f2"

/* A parsed address for the tables; fails the test if s is not one. */
static struct addr
A(const char *s)
{
	struct addr	 a;

	assert_int_equal(addr_parse(s, FAM_MAX, &a), 0);
	return a;
}

static void
test_keys(void **unused)
{
	const struct provider_key	*k;
	int				 seen = 0;

	(void)unused;
	assert_ptr_equal(provider_find("duckdns"), &provider_duckdns);
	for (k = provider_duckdns.keys; k->name != NULL; k++) {
		if (strcmp(k->name, "token") == 0) {
			assert_true(k->flags & KEY_SECRET);
			assert_true(k->flags & KEY_REQUIRED);
			seen |= 1;
		}
		if (strcmp(k->name, "endpoint") == 0)
			seen |= 2;
	}
	assert_int_equal(seen, 3);
}

static void
test_domain(void **unused)
{
	static const struct {
		const char	*name, *want;	/* want NULL: refused */
	} t[] = {
		{ "home.duckdns.org", "home" },
		{ "Home-1.DuckDNS.ORG", "home-1" },
		{ "home", "home" },
		{ "a.home.duckdns.org", NULL },
		{ "home.example.com", NULL },
		{ "duckdns.org", NULL },
		{ ".duckdns.org", NULL },
		{ "", NULL },
		{ "ho_me.duckdns.org", NULL },
		{ "home.duckdns.org.evil", NULL },
		{ "home&token=x", NULL },
	};
	const char	*err;
	char		*d;
	size_t		 i;

	(void)unused;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		err = NULL;
		d = duckdns_domain(t[i].name, &err);
		if (t[i].want == NULL) {
			if (d != NULL)
				fail_msg("row %zu: %s accepted as %s", i,
				    t[i].name, d);
			assert_non_null(err);
		} else {
			assert_non_null(d);
			assert_string_equal(d, t[i].want);
		}
		free(d);
	}
	assert_null(duckdns_domain("a.home.duckdns.org", &err));
	assert_non_null(strstr(err, "deeper"));
}

static void
test_url(void **unused)
{
	static const struct {
		const char	*endpoint, *token, *ip, *want;
	} t[] = {
		{ DUCKDNS_ENDPOINT, TOKEN, "203.0.113.7",
		    "https://www.duckdns.org/update?domains=home&token=" TOKEN
		    "&ip=203.0.113.7&verbose=true" },
		{ DUCKDNS_ENDPOINT, TOKEN, "2001:db8::1",
		    "https://www.duckdns.org/update?domains=home&token=" TOKEN
		    "&ipv6=2001:db8::1&verbose=true" },
		{ "http://127.0.0.1:8080", TOKEN, "203.0.113.7",
		    "http://127.0.0.1:8080/update?domains=home&token=" TOKEN
		    "&ip=203.0.113.7&verbose=true" },
		{ "http://127.0.0.1:8080/x/update", TOKEN, "203.0.113.7",
		    "http://127.0.0.1:8080/x/update?domains=home&token=" TOKEN
		    "&ip=203.0.113.7&verbose=true" },
		{ DUCKDNS_ENDPOINT, "a&b=c d", "203.0.113.7",
		    "https://www.duckdns.org/update?domains=home&token="
		    "a%26b%3Dc%20d&ip=203.0.113.7&verbose=true" },
	};
	struct addr	 a;
	const char	*err;
	char		*u;
	size_t		 i;

	(void)unused;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		a = A(t[i].ip);
		u = duckdns_url(t[i].endpoint, "home", t[i].token, &a, &err);
		if (u == NULL)
			fail_msg("row %zu: %s", i, err);
		assert_string_equal(u, t[i].want);
		free(u);
	}
	err = NULL;
	assert_null(duckdns_url("gopher://x/", "home", TOKEN, &a, &err));
	assert_non_null(err);
}

static void
test_parse(void **unused)
{
	static const struct {
		long		 status;
		const char	*body, *sent;
		enum outcome	 out;
		int		 hold;
		const char	*why;	/* substring; NULL: no message */
	} t[] = {
		{ 200, "OK", "203.0.113.7", OUT_UPDATED, 0, NULL },
		{ 200, "OK\n", "203.0.113.7", OUT_UPDATED, 0, NULL },
		{ 200, "OK\n203.0.113.7\n\nUPDATED", "203.0.113.7",
		    OUT_UPDATED, 0, NULL },
		{ 200, "OK\n203.0.113.7\n\nNOCHANGE", "203.0.113.7",
		    OUT_CURRENT, 0, NULL },
		{ 200, "OK\r\n203.0.113.7\r\n\r\nNOCHANGE\r\n", "203.0.113.7",
		    OUT_CURRENT, 0, NULL },
		{ 200, "OK\n198.51.100.1\n2001:db8::1\nUPDATED", "2001:db8::1",
		    OUT_UPDATED, 0, NULL },
		{ 200, "OK\n198.51.100.1\n2001:db8:0::1\nNOCHANGE",
		    "2001:db8::1", OUT_CURRENT, 0, NULL },
		/* It holds another address than the one we sent. */
		{ 200, "OK\n198.51.100.1\n\nUPDATED", "203.0.113.7",
		    OUT_PROTOCOL, 0, "holds 198.51.100.1, not 203.0.113.7" },
		{ 200, "OK\n198.51.100.1\n2001:db8::2\nUPDATED", "2001:db8::1",
		    OUT_PROTOCOL, 0, "2001:db8::2" },
		{ 200, "KO", "203.0.113.7", OUT_AUTH, 1, "token or the domain" },
		{ 200, "KO\n", "203.0.113.7", OUT_AUTH, 1, "KO" },
		{ 401, "KO", "203.0.113.7", OUT_AUTH, 1, "HTTP 401" },
		{ 500, "", "203.0.113.7", OUT_TEMPFAIL, 0, "HTTP 500" },
		{ 503, "<html>busy</html>", "203.0.113.7", OUT_TEMPFAIL, 0,
		    "busy" },
		{ 404, "", "203.0.113.7", OUT_CONFIG, 1, "HTTP 404" },
		{ 200, "", "203.0.113.7", OUT_PROTOCOL, 0, "empty reply" },
		{ 200, "OKAY", "203.0.113.7", OUT_PROTOCOL, 0, "\"OKAY\"" },
		{ 200, "ok", "203.0.113.7", OUT_PROTOCOL, 0, "\"ok\"" },
		{ 200, "good 203.0.113.7", "203.0.113.7", OUT_PROTOCOL, 0,
		    "unexpected reply \"good 203.0.113.7\"" },
	};
	struct push_ctx	 ctx;
	struct addr	 a;
	enum outcome	 o;
	char		*why;
	size_t		 i;

	(void)unused;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&ctx, 0, sizeof(ctx));
		why = NULL;
		a = A(t[i].sent);
		o = duckdns_parse(t[i].status, t[i].body, &a, &ctx, &why);
		if (o != t[i].out || ctx.hold != t[i].hold ||
		    ctx.retry_after != 0)
			fail_msg("row %zu (%s): outcome %d hold %d (%s)", i,
			    t[i].body, o, ctx.hold, why ? why : "no message");
		if (t[i].why == NULL)
			assert_null(why);
		else if (why == NULL || strstr(why, t[i].why) == NULL)
			fail_msg("row %zu: message \"%s\" lacks \"%s\"", i,
			    why ? why : "(none)", t[i].why);
		free(why);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_domain),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
