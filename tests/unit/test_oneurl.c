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
		/* The token is in the URL or in Basic auth, never both. */
		assert_true((strstr(p->path4, "%t") == NULL) ==
		    ((p->flags & ONEURL_BASIC) != 0));
		assert_true((strstr(p->path6, "%t") == NULL) ==
		    ((p->flags & ONEURL_BASIC) != 0));
		if (p->flags & ONEURL_BASIC)
			assert_true(p->flags & ONEURL_USER);
		assert_non_null(p->replies[0].pattern);
	}
	assert_string_equal(oneurl_preset("FreeDNS")->name, "freedns");
	assert_null(oneurl_preset("duckdns"));
	assert_ptr_equal(oneurl_preset("ZoneEdit")->line,
	    oneurl_zoneedit_line);
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
		/* myaddr: the key names the record; ip= for both. */
		{ "myaddr", NULL, "k3y+/=", NULL, "home.myaddr.tools",
		    "2001:db8::1", "https://myaddr.tools/update?key="
		    "k3y%2B%2F%3D&ip=2001:db8::1" },
		{ "myaddr", NULL, "key", NULL, "home.myaddr.tools",
		    "203.0.113.7", "https://myaddr.tools/update?key=key&"
		    "ip=203.0.113.7" },
		/* Servercow: ipaddr= for IPv4, ip6addr= for IPv6. */
		{ "servercow", NULL, "p&w", "dyn1", "home.example.de",
		    "203.0.113.7", "https://www.servercow.de/dnsupdate/"
		    "update.php?username=dyn1&pass=p%26w&hostname="
		    "home.example.de&ipaddr=203.0.113.7" },
		{ "servercow", NULL, "pw", "dyn1", "home.example.de",
		    "2001:db8::1", "https://www.servercow.de/dnsupdate/"
		    "update.php?username=dyn1&pass=pw&hostname="
		    "home.example.de&ip6addr=2001:db8::1" },
		/* ZoneEdit's documented form; the token is not in it. */
		{ "zoneedit", NULL, "TOKEN", "user", "home.example.com",
		    "203.0.113.7", "https://dynamic.zoneedit.com/auth/"
		    "dynamic.html?host=home.example.com&dnsto=203.0.113.7" },
		{ "zoneedit", NULL, "TOKEN", "user", "*.example.com",
		    "2001:db8::1", "https://dynamic.zoneedit.com/auth/"
		    "dynamic.html?host=%2A.example.com&dnsto=2001:db8::1" },
		{ "zoneedit", "http://127.0.0.1:9", "TOKEN", "user",
		    "example.com", "203.0.113.7", "http://127.0.0.1:9/auth/"
		    "dynamic.html?host=example.com&dnsto=203.0.113.7" },
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
		/* myaddr: "OK", or the status. */
		{ "myaddr", 200, "OK", "h", "203.0.113.7", OUT_UPDATED, 0,
		    NULL },
		{ "myaddr", 404, "", "h", "203.0.113.7", OUT_CONFIG, 1,
		    "myaddr answered HTTP 404" },
		{ "myaddr", 400, "bad ip", "h", "203.0.113.7", OUT_CONFIG, 1,
		    "myaddr answered HTTP 400: bad ip" },
		/* Servercow: "OK..." or a refused login. */
		{ "servercow", 200, "OKv4\n", "h.example.de", "203.0.113.7",
		    OUT_UPDATED, 0, NULL },
		{ "servercow", 200, "OKv6", "h.example.de", "2001:db8::1",
		    OUT_UPDATED, 0, NULL },
		{ "servercow", 200, "FAILED - Authentication failed",
		    "h.example.de", "203.0.113.7", OUT_AUTH, 1,
		    "servercow answered \"FAILED - Authentication failed\"" },
		{ "servercow", 200, "FAILED - something else", "h.example.de",
		    "203.0.113.7", OUT_PROTOCOL, 0, "unexpected reply" },
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
		    "goip answered HTTP 401 (check \"username\" and "
		    "\"token\")" },
		{ "freedns", 403, "no", "h", "203.0.113.7", OUT_AUTH, 1,
		    "freedns answered HTTP 403: no (check \"token\")" },
		/* ZoneEdit: the old document's and the reported replies. */
		{ "zoneedit", 200, "<SUCCESS CODE=\"200\" TEXT=\"Update "
		    "succeeded.\" ZONE=\"test123.com\" HOST=\"www.test123.com\" "
		    "IP=\"1.2.3.4\">", "www.test123.com", "1.2.3.4",
		    OUT_UPDATED, 0, NULL },
		{ "zoneedit", 200, "<SUCCESS CODE=\"200\" TEXT=\"vt-test.x.com "
		    "updated to 203.0.113.7\" ZONE=\"x.com\">\n",
		    "vt-test.x.com", "203.0.113.7", OUT_UPDATED, 0, NULL },
		{ "zoneedit", 200, "<SUCCESS CODE=\"201\" TEXT=\"No records "
		    "need updating.\" ZONE=\"x.com\">", "h.x.com",
		    "203.0.113.7", OUT_CURRENT, 0, NULL },
		{ "zoneedit", 200, "<ERROR CODE=\"707\" TEXT=\"Duplicate "
		    "updates for the same host/ip, adjust client settings\" "
		    "ZONE=\"t.com\" HOST=\"h.t.com\">", "h.t.com",
		    "203.0.113.7", OUT_CURRENT, 0, NULL },
		{ "zoneedit", 200, "<ERROR CODE=\"707\" TEXT=\"Too frequent "
		    "updates for the same host, adjust client settings\" "
		    "ZONE=\"t.com\">", "h.t.com", "203.0.113.7", OUT_TEMPFAIL,
		    0, "zoneedit answered \"ERROR 707: Too frequent updates for "
		    "the same host, adjust client settings\": updates too "
		    "frequent; retrying in 10 minutes" },
		{ "zoneedit", 200, "<ERROR CODE=\"702\" TEXT=\"Minimum 600 "
		    "seconds between requests\" ZONE=\"t.com\">", "h.t.com",
		    "203.0.113.7", OUT_TEMPFAIL, 0, "\"ERROR 702: Minimum 600 "
		    "seconds between requests\"" },
		{ "zoneedit", 200, "<ERROR CODE=\"708\" TEXT=\"Login/"
		    "authorization error\">", "h.t.com", "203.0.113.7",
		    OUT_AUTH, 1, "\"ERROR 708: Login/authorization error\": "
		    "login refused: \"username\" is the ZoneEdit user name" },
		{ "zoneedit", 200, "<ERROR CODE=\"701\" TEXT=\"Zone is not set "
		    "up in this account.\" ZONE=\"t.com\">", "h.t.com",
		    "203.0.113.7", OUT_CONFIG, 1, "zone is not in this" },
		{ "zoneedit", 200, "<ERROR CODE=\"704\" TEXT=\"Zone must be a "
		    "valid 'dotted' internet name.\">", "h", "203.0.113.7",
		    OUT_CONFIG, 1, "dotted name" },
		{ "zoneedit", 200, "<ERROR CODE=\"705\" TEXT=\"Zone cannot be "
		    "empty\">", "h", "203.0.113.7", OUT_CONFIG, 1, "no zone" },
		{ "zoneedit", 200, "<ERROR CODE=\"709\" TEXT=\"Invalid "
		    "hostname\">", "h", "203.0.113.7", OUT_CONFIG, 1,
		    "refuses the host name" },
		{ "zoneedit", 200, "<ERROR CODE=\"703\" TEXT=\"one of either "
		    "parameters 'zones' or 'host' are required.\">", "h",
		    "203.0.113.7", OUT_PROTOCOL, 1, "please report it" },
		{ "zoneedit", 200, "<ERROR CODE=\"700\" TEXT=\"no update "
		    "required for h.t.com\">", "h.t.com", "203.0.113.7",
		    OUT_CURRENT, 0, NULL },
		/* An ERROR wins over the SUCCESS after it (ddclient PR 543),
		 * whatever the order; case and attribute order do not matter;
		 * self-closed elements read the same. */
		{ "zoneedit", 200, "<SUCCESS CODE=\"200\" TEXT=\"ok\">\n"
		    "<ERROR CODE=\"701\" TEXT=\"Zone is not set up in this "
		    "account.\">\n", "h.t.com", "203.0.113.7", OUT_CONFIG, 1,
		    "ERROR 701" },
		{ "zoneedit", 200, "<success text=\"Update succeeded.\" "
		    "code=\"200\"/>", "h", "203.0.113.7", OUT_UPDATED, 0, NULL },
		{ "zoneedit", 200, "<SUCCESS CODE=\"201\" TEXT=\"a\"/><SUCCESS "
		    "CODE=\"200\" TEXT=\"b\"/>", "h", "203.0.113.7",
		    OUT_CURRENT, 0, NULL },
		/* Not ZoneEdit's form: unexpected. */
		{ "zoneedit", 200, "SUCCESS 200: forged", "h", "203.0.113.7",
		    OUT_PROTOCOL, 0, "unexpected reply \"SUCCESS 200: forged\"" },
		{ "zoneedit", 200, "<SUCCESS TEXT=\"no code\">", "h",
		    "203.0.113.7", OUT_PROTOCOL, 0, "unexpected" },
		{ "zoneedit", 200, "<ERROR CODE=\"7x\" TEXT=\"t\">", "h",
		    "203.0.113.7", OUT_PROTOCOL, 0, "unexpected" },
		{ "zoneedit", 200, "<ERROR CODE=\"799\" TEXT=\"new\">", "h",
		    "203.0.113.7", OUT_PROTOCOL, 0, "unexpected reply \"ERROR "
		    "799: new\"" },
		{ "zoneedit", 200, "<html><body>maintenance</body></html>", "h",
		    "203.0.113.7", OUT_PROTOCOL, 0, "unexpected reply \"<html>" },
		{ "zoneedit", 200, "", "h", "203.0.113.7", OUT_PROTOCOL, 0,
		    "zoneedit sent an empty reply" },
		{ "zoneedit", 401, "<title>Authentication Failed </title>", "h",
		    "203.0.113.7", OUT_AUTH, 1, "zoneedit answered HTTP 401: "
		    "<title>Authentication Failed </title> (check \"username\" "
		    "and \"token\")" },
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
	/* ZoneEdit's too soon asks for 10 minutes, more than a Retry-After
	 * of 60, less than one of 900. */
	memset(&ctx, 0, sizeof(ctx));
	ctx.retry_after = 60;
	why = NULL;
	assert_int_equal(oneurl_parse(oneurl_preset("zoneedit"), 200,
	    "<ERROR CODE=\"707\" TEXT=\"Too frequent updates\">", "h", &a,
	    &ctx, &why), OUT_TEMPFAIL);
	assert_int_equal(ctx.retry_after, 600);
	free(why);
	ctx.retry_after = 900;
	why = NULL;
	assert_int_equal(oneurl_parse(oneurl_preset("zoneedit"), 200,
	    "<ERROR CODE=\"702\" TEXT=\"Update failed.\">", "h", &a,
	    &ctx, &why), OUT_TEMPFAIL);
	assert_int_equal(ctx.retry_after, 900);
	free(why);
}

static void
test_zoneedit_line(void **unused)
{
	static const struct {
		const char	*body;
		int		 rc;
		const char	*line;
	} t[] = {
		{ "<SUCCESS CODE=\"200\" TEXT=\"Update succeeded.\" "
		    "ZONE=\"test123.com\" IP=\"1.2.3.4\">", 1,
		    "SUCCESS 200: Update succeeded." },
		{ "\r\n  <ERROR CODE=\"708\" TEXT=\"Login/authorization "
		    "error\">\r\n", 1, "ERROR 708: Login/authorization error" },
		{ "<SUCCESS CODE=\"200\" TEXT=\"a\"><ERROR CODE=\"707\" "
		    "TEXT=\"b &amp; c\">", 1, "ERROR 707: b & c" },
		{ "<ERROR CODE=\"701\">", 1, "ERROR 701: " },
		{ "<ERROR CODE='701' TEXT='single'/>", 1, "ERROR 701: single" },
		/* An entity expat does not know ends the reading: what came
		 * before counts, nothing after. */
		{ "<SUCCESS CODE=\"200\" TEXT=\"ok\"> &nbsp; <ERROR "
		    "CODE=\"708\">", 1, "SUCCESS 200: ok" },
		{ "<!DOCTYPE x [<!ENTITY a \"b\">]><ERROR CODE=\"708\">", 0,
		    NULL },
		{ "<ERROR CODE=\"-1\">", 0, NULL },
		{ "<ERROR CODE=\"70000\">", 0, NULL },
		{ "<ERROR TEXT=\"x\">", 0, NULL },
		{ "ERROR CODE=\"708\"", 0, NULL },
		{ "<OK CODE=\"200\">", 0, NULL },
		{ "", 0, NULL },
	};
	char	*line;
	size_t	 i;
	int	 rc;

	(void)unused;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		rc = oneurl_zoneedit_line(t[i].body, &line);
		if (rc != t[i].rc)
			fail_msg("row %zu: %d", i, rc);
		if (t[i].line == NULL)
			assert_null(line);
		else
			assert_string_equal(line, t[i].line);
		free(line);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_presets),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_url_bad),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_zoneedit_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
