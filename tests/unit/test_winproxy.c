/*
 * http_winproxy_parse: a Windows proxy setting and bypass list ("Internet
 * Options", netsh winhttp) in libcurl's terms. Pure, so tested everywhere;
 * reading the setting from Windows is tested under Wine.
 */
#include "unit.h"

static const struct {
	const char	*proxy, *bypass;
	const char	*http, *https, *noproxy;	/* NULL: none */
} cases[] = {
	{ "proxy.corp.example:8080", NULL,
	  "proxy.corp.example:8080", "proxy.corp.example:8080", NULL },
	{ "http=10.0.0.1:3128;https=10.0.0.2:3129", "",
	  "10.0.0.1:3128", "10.0.0.2:3129", NULL },
	/* Only http= given: https goes direct, as Windows does it. */
	{ "http=10.0.0.1:3128", NULL, "10.0.0.1:3128", NULL, NULL },
	{ "HTTPS=p:1 ftp=f:21 socks=s:1080", NULL, NULL, "p:1", NULL },
	{ "p:8080", "<local>;*.corp.example;intranet;10.*;192.168.*;"
	  "172.16.1.*;1.2.3.4.*;a*b",
	  "p:8080", "p:8080",
	  "localhost,127.0.0.1,::1,.corp.example,intranet,10.0.0.0/8,"
	  "192.168.0.0/16,172.16.1.0/24" },
	{ "p:8080", " ; <LOCAL> ,host.example ", "p:8080", "p:8080",
	  "localhost,127.0.0.1,::1,host.example" },
	{ "", "<local>", NULL, NULL, "localhost,127.0.0.1,::1" },
	{ NULL, NULL, NULL, NULL, NULL },
	{ ";;", ";", NULL, NULL, NULL },
};

static void
check(const char *what, const char *got, const char *want)
{
	if (want == NULL && got == NULL)
		return;
	if (want == NULL || got == NULL || strcmp(got, want) != 0)
		fail_msg("%s: got \"%s\", want \"%s\"", what,
		    got ? got : "(none)", want ? want : "(none)");
}

static void
test_parse(void **state)
{
	char	*h, *s, *n;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(http_winproxy_parse(cases[i].proxy,
		    cases[i].bypass, &h, &s, &n), 0);
		check("http", h, cases[i].http);
		check("https", s, cases[i].https);
		check("noproxy", n, cases[i].noproxy);
		free(h);
		free(s);
		free(n);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
