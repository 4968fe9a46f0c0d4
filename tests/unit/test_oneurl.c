/* Unit tests for providers/oneurl.c: presets, URLs, replies. */
#include "unit.h"
#include "providers/providers.h"
#include "providers/oneurl.h"

/* A parsed address for the tables; fails the test if s is not one. */
static struct addr
A(const char *s)
{
	struct addr	 a;

	assert_int_equal(addr_parse(s, FAM_MAX, &a), 0);
	return a;
}

static void
test_presets(void **unused)
{
	const struct oneurl_preset	*p;
	const struct provider_key	*k;
	int				 secret = 0;

	(void)unused;
	for (p = oneurl_presets; p->name != NULL && p[1].name != NULL; p++)
		assert_true(strcmp(p->name, p[1].name) < 0);
	for (p = oneurl_presets; p->name != NULL; p++) {
		assert_ptr_equal(oneurl_preset(p->name), p);
		assert_true(strncmp(p->base, "https://", 8) == 0);
		assert_non_null(strstr(p->path4, "%t"));
		assert_non_null(strstr(p->path6, "%t"));
		assert_non_null(p->replies[0].pattern);
	}
	assert_string_equal(oneurl_preset("FreeDNS")->name, "freedns");
	assert_null(oneurl_preset("duckdns"));
	assert_ptr_equal(provider_find("oneurl"), &provider_oneurl);
	for (k = provider_oneurl.keys; k->name != NULL; k++)
		if (strcmp(k->name, "token") == 0)
			secret = k->flags & KEY_SECRET;
	assert_true(secret);
}

static void
test_url(void **unused)
{
	static const struct {
		const char	*svc, *endpoint, *token, *user, *name, *ip;
		const char	*want;
	} t[] = {
		{ "freedns", NULL, "dG9rZW4x", NULL, "home.mooo.com",
		    "203.0.113.7",
		    "https://sync.afraid.org/u/dG9rZW4x/?ip=203.0.113.7" },
		{ "freedns", NULL, "dG9rZW4x", NULL, "home.mooo.com",
		    "2001:db8::1",
		    "https://v6.sync.afraid.org/u/dG9rZW4x/?ip=2001:db8::1" },
		{ "freedns", "http://127.0.0.1:8080", "a/b c", NULL,
		    "home.mooo.com", "2001:db8::1",
		    "http://127.0.0.1:8080/u/a%2Fb%20c/?ip=2001:db8::1" },
		{ "freedns", "http://[::1]:8080/", "tok", NULL, "h",
		    "203.0.113.7", "http://[::1]:8080/u/tok/?ip=203.0.113.7" },
		/* GoIP's documented form. */
		{ "goip", NULL, "PASSWORT", "BENUTZER",
		    "meinesubdomain.goip.de", "203.0.113.7",
		    "https://www.goip.de/setip?username=BENUTZER&password="
		    "PASSWORT&subdomain=meinesubdomain.goip.de&ip=203.0.113.7"
		    "&shortResponse=true" },
		{ "goip", NULL, "p&w=1", "b\xc3\xbc", "x.goip.de",
		    "2001:db8::1",
		    "https://www.goip.de/setip?username=b%C3%BC&password="
		    "p%26w%3D1&subdomain=x.goip.de&ip6=2001:db8::1"
		    "&shortResponse=true" },
	};
	struct addr	 a;
	const char	*err;
	char		*u;
	size_t		 i;

	(void)unused;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		a = A(t[i].ip);
		u = oneurl_url(oneurl_preset(t[i].svc), t[i].endpoint,
		    t[i].token, t[i].user, t[i].name, &a, &err);
		if (u == NULL)
			fail_msg("row %zu: %s", i, err);
		assert_string_equal(u, t[i].want);
		free(u);
	}
}

static void
test_url_bad(void **unused)
{
	static const char *const endpoints[] = {
		"ftp://sync.afraid.org", "sync.afraid.org", "https://",
		"https:///u/", "https://sync.afraid.org/u/", "http://h/x",
		"https://h?x=1", "https://h x", "https://h\n",
	};
	struct addr	 a = A("203.0.113.7");
	const char	*err;
	size_t		 i;

	(void)unused;
	for (i = 0; i < sizeof(endpoints) / sizeof(endpoints[0]); i++) {
		err = NULL;
		assert_null(oneurl_url(oneurl_preset("freedns"), endpoints[i],
		    "tok", NULL, "h", &a, &err));
		if (err == NULL)
			fail_msg("row %zu: no reason", i);
	}
}

static void
test_parse(void **unused)
{
	static const struct {
		const char	*svc;
		long		 status;
		const char	*body, *name, *sent;
		enum outcome	 out;
		int		 hold;
		const char	*why;	/* substring; NULL: no message */
	} t[] = {
		/* FreeDNS v2's replies. */
		{ "freedns", 200, "Updated 1 host(s) home.mooo.com to "
		    "203.0.113.7 in 0.23 seconds\n", "home.mooo.com",
		    "203.0.113.7", OUT_UPDATED, 0, NULL },
		{ "freedns", 200, "No IP change detected for home.mooo.com "
		    "with IP 203.0.113.7, skipping update\n", "home.mooo.com",
		    "203.0.113.7", OUT_CURRENT, 0, NULL },
		{ "freedns", 200, "ERROR: Address 203.0.113.7 has not "
		    "changed.\n", "h", "203.0.113.7", OUT_CURRENT, 0, NULL },
		{ "freedns", 200, "ERROR: Address 198.51.100.1 has not "
		    "changed.\n", "h", "203.0.113.7", OUT_PROTOCOL, 0,
		    "unexpected reply" },
		{ "freedns", 200, "ERROR: Unable to locate this record\n", "h",
		    "203.0.113.7", OUT_AUTH, 1, "freedns answered \"ERROR: "
		    "Unable to locate this record\": the token is not" },
		{ "freedns", 200, "updated 1 host(s)", "h", "2001:db8::1",
		    OUT_UPDATED, 0, NULL },
		{ "freedns", 200, "", "h", "203.0.113.7", OUT_PROTOCOL, 0,
		    "freedns sent an empty reply" },
		{ "freedns", 200, "<html>\x1b[2J", "h", "203.0.113.7",
		    OUT_PROTOCOL, 0, "unexpected reply \"<html>?[2J\"" },
		{ "freedns", 404, "Not Found", "h", "203.0.113.7", OUT_CONFIG,
		    1, "freedns answered HTTP 404: Not Found" },
		{ "freedns", 503, "", "h", "203.0.113.7", OUT_TEMPFAIL, 0,
		    "HTTP 503" },
		{ "freedns", 429, "slow", "h", "203.0.113.7", OUT_TEMPFAIL, 0,
		    "HTTP 429: slow" },
		/* GoIP: the name and address echoed, or access denied. */
		{ "goip", 200, "home.goip.de (203.0.113.7)\n", "home.goip.de",
		    "203.0.113.7", OUT_UPDATED, 0, NULL },
		{ "goip", 200, "HOME.goip.de (2001:db8::1) aktualisiert",
		    "home.goip.de", "2001:db8::1", OUT_UPDATED, 0, NULL },
		{ "goip", 200, "home.goip.de (198.51.100.1)", "home.goip.de",
		    "203.0.113.7", OUT_PROTOCOL, 0, "198.51.100.1" },
		{ "goip", 200, "other.goip.de (203.0.113.7)", "home.goip.de",
		    "203.0.113.7", OUT_PROTOCOL, 0, "unexpected" },
		{ "goip", 200, "Zugriff verweigert", "home.goip.de",
		    "203.0.113.7", OUT_AUTH, 1, "username or password" },
		{ "goip", 200, "zugriff verweigert!", "home.goip.de",
		    "203.0.113.7", OUT_AUTH, 1, "goip answered" },
		{ "goip", 401, "", "home.goip.de", "203.0.113.7", OUT_AUTH, 1,
		    "goip answered HTTP 401" },
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
		o = oneurl_parse(oneurl_preset(t[i].svc), t[i].status,
		    t[i].body, t[i].name, &a, &ctx, &why);
		if (o != t[i].out || ctx.hold != t[i].hold)
			fail_msg("row %zu: outcome %d hold %d (%s)", i, o,
			    ctx.hold, why ? why : "no message");
		if (t[i].why == NULL)
			assert_null(why);
		else if (why == NULL || strstr(why, t[i].why) == NULL)
			fail_msg("row %zu: message \"%s\" lacks \"%s\"", i,
			    why ? why : "(none)", t[i].why);
		free(why);
	}
	/* NULL body: as empty. */
	memset(&ctx, 0, sizeof(ctx));
	why = NULL;
	a = A("203.0.113.7");
	assert_int_equal(oneurl_parse(oneurl_preset("goip"), 200, NULL, "h",
	    &a, &ctx, &why), OUT_PROTOCOL);
	assert_non_null(why);
	free(why);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_presets),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_url_bad),
		cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
