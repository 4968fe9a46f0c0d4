/* probe/extract.c: the one address in an endpoint's reply. */
#include "unit.h"
#include "probe/probe.h"

#define NONE4	"no IPv4 address in the reply"
#define NONE6	"no IPv6 address in the reply"
#define AMBIG	"ambiguous: several addresses in the reply"

/* A reply body, the family wanted, and the address or the reason. */
static const struct {
	const char	*body;
	enum fam	 fam;
	const char	*want;		/* NULL: fails with why */
	const char	*why;
} cases[] = {
	/* plain text, as ipify and icanhazip answer */
	{ "203.0.113.7", FAM_V4, "203.0.113.7", NULL },
	{ "203.0.113.7\n", FAM_V4, "203.0.113.7", NULL },
	{ "203.0.113.7\r\n", FAM_V4, "203.0.113.7", NULL },
	{ "  \t203.0.113.7 \n\n", FAM_V4, "203.0.113.7", NULL },
	{ "Your IP is 203.0.113.7.", FAM_V4, "203.0.113.7", NULL },
	{ "ip=203.0.113.7", FAM_V4, "203.0.113.7", NULL },
	{ "IP:203.0.113.7", FAM_V4, "203.0.113.7", NULL },
	{ "addr:203.0.113.7", FAM_V4, "203.0.113.7", NULL },
	{ "203.0.113.7:443", FAM_V4, "203.0.113.7", NULL },
	{ "[203.0.113.7]", FAM_V4, "203.0.113.7", NULL },
	{ "0.0.0.0", FAM_V4, "0.0.0.0", NULL },
	{ "255.255.255.255", FAM_V4, "255.255.255.255", NULL },
	/* HTML, as ddns.oray.com/checkip answers */
	{ "<html><head><title>Current IP Check</title></head><body>"
	  "Current IP Address: 203.0.113.7</body></html>\r\n", FAM_V4,
	  "203.0.113.7", NULL },
	{ "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset="
	  "\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, "
	  "initial-scale=1.0\">\n<title>What is my IP</title>\n</head>\n"
	  "<body><h1>Your address</h1><p class=\"ip\">198.51.100.23</p>"
	  "<p>Served by nginx/1.24.0 over HTTP/1.1</p></body></html>",
	  FAM_V4, "198.51.100.23", NULL },
	/* JSON */
	{ "{\"ip\":\"203.0.113.7\"}", FAM_V4, "203.0.113.7", NULL },
	{ "{\"ip\": \"203.0.113.7\", \"country\": \"NL\", \"asn\": 1136}",
	  FAM_V4, "203.0.113.7", NULL },
	{ "{\"ip\":\"2001:db8::7\"}", FAM_V6, "2001:db8::7", NULL },
	/* myip.ipip.net: full-width colon, non-ASCII all around */
	{ "当前 IP：223.154.81.207  来自于：中国 浙江 杭州 电信\n", FAM_V4,
	  "223.154.81.207", NULL },
	{ "当前IP：223.154.81.207来自于：中国", FAM_V4, "223.154.81.207",
	  NULL },
	/* the same address twice is one address */
	{ "203.0.113.7 203.0.113.7", FAM_V4, "203.0.113.7", NULL },
	{ "<p>203.0.113.7</p><!-- 203.0.113.7 -->", FAM_V4, "203.0.113.7",
	  NULL },
	{ "2001:db8::1 2001:DB8:0:0::1", FAM_V6, "2001:db8::1", NULL },
	/* two different addresses */
	{ "203.0.113.7 203.0.113.8", FAM_V4, NULL, AMBIG },
	{ "client 203.0.113.7 via proxy 198.51.100.1", FAM_V4, NULL, AMBIG },
	{ "2001:db8::1\n2001:db8::2\n", FAM_V6, NULL, AMBIG },
	/* the other family is ignored */
	{ "203.0.113.7 2001:db8::1", FAM_V4, "203.0.113.7", NULL },
	{ "203.0.113.7 2001:db8::1", FAM_V6, "2001:db8::1", NULL },
	{ "2001:db8::1", FAM_V4, NULL, NONE4 },
	{ "203.0.113.7", FAM_V6, NULL, NONE6 },
	/* IPv6 forms */
	{ "2001:db8::1", FAM_V6, "2001:db8::1", NULL },
	{ "2001:DB8::A:1\n", FAM_V6, "2001:db8::a:1", NULL },
	{ "2001:0db8:0000:0000:0000:0000:0000:0001", FAM_V6, "2001:db8::1",
	  NULL },
	{ "2001:db8:1:2:3:4:5:6", FAM_V6, "2001:db8:1:2:3:4:5:6", NULL },
	{ "::1", FAM_V6, "::1", NULL },
	{ "fe80::", FAM_V6, "fe80::", NULL },
	{ "[2001:db8::1]:443", FAM_V6, "2001:db8::1", NULL },
	{ "http://[2001:db8::1]/", FAM_V6, "2001:db8::1", NULL },
	{ "IPv6: 2001:db8::1.", FAM_V6, "2001:db8::1", NULL },
	{ "ip:2001:db8::1", FAM_V6, "2001:db8::1", NULL },
	{ "id:2001:db8::1", FAM_V6, "2001:db8::1", NULL },
	{ "2001:db8::1: seen", FAM_V6, "2001:db8::1", NULL },
	{ "2001:db8::1/64", FAM_V6, "2001:db8::1", NULL },
	{ "fe80::1%eth0", FAM_V6, "fe80::1", NULL },
	{ "64:ff9b::192.0.2.1", FAM_V6, "64:ff9b::c000:201", NULL },
	/* an embedded quad belongs to its IPv6 address */
	{ "64:ff9b::192.0.2.1", FAM_V4, NULL, NONE4 },
	/* a mapped address is the IPv4 one when IPv4 is wanted */
	{ "::ffff:203.0.113.7", FAM_V4, "203.0.113.7", NULL },
	{ "::ffff:203.0.113.7", FAM_V6, "::ffff:203.0.113.7", NULL },
	{ "::ffff:203.0.113.7 203.0.113.7", FAM_V4, "203.0.113.7", NULL },
	/* not addresses: longer numbers and dotted runs, versions */
	{ "1.2.3.4.5", FAM_V4, NULL, NONE4 },
	{ "0.1.2.3.4", FAM_V4, NULL, NONE4 },
	{ "1.2.3", FAM_V4, NULL, NONE4 },
	{ "1234.2.3.4", FAM_V4, NULL, NONE4 },
	{ "1.2.3.4444", FAM_V4, NULL, NONE4 },
	{ "256.1.1.1", FAM_V4, NULL, NONE4 },
	{ "01.2.3.4", FAM_V4, NULL, NONE4 },
	{ "v1.2.3.4", FAM_V4, NULL, NONE4 },
	{ "1.2.3.4a", FAM_V4, NULL, NONE4 },
	{ "x1.2.3.4", FAM_V4, NULL, NONE4 },
	{ "deadbeef1.2.3.4", FAM_V4, NULL, NONE4 },
	{ "1..2.3.4", FAM_V4, NULL, NONE4 },
	{ ".1.2.3", FAM_V4, NULL, NONE4 },
	{ "HTTP/1.1 200 OK", FAM_V4, NULL, NONE4 },
	{ "nginx/1.24.0 OpenSSL/3.0.11", FAM_V4, NULL, NONE4 },
	{ "1.2.3.4.5 203.0.113.7", FAM_V4, "203.0.113.7", NULL },
	{ "version 10.0.19045.2965 from 203.0.113.7", FAM_V4, "203.0.113.7",
	  NULL },
	/* not IPv6: MAC addresses, times, C++ and CSS */
	{ "00:11:22:33:44:55", FAM_V6, NULL, NONE6 },
	{ "12:34:56", FAM_V6, NULL, NONE6 },
	{ "a::before { color: red }", FAM_V6, NULL, NONE6 },
	{ "std::string", FAM_V6, NULL, NONE6 },
	{ " :: ", FAM_V6, NULL, NONE6 },
	{ "2001:db8::1x", FAM_V6, NULL, NONE6 },
	{ "2001:db8:::1", FAM_V6, NULL, NONE6 },
	/* empty and garbage */
	{ "", FAM_V4, NULL, NONE4 },
	{ "", FAM_V6, NULL, NONE6 },
	{ "\n", FAM_V4, NULL, NONE4 },
	{ "garbage", FAM_V4, NULL, NONE4 },
	{ "::::....::::", FAM_V4, NULL, NONE4 },
	{ "::::....::::", FAM_V6, NULL, NONE6 },
	{ "<html><body>Service Unavailable</body></html>", FAM_V4, NULL,
	  NONE4 },
	{ "\xff\xfe\x80\x81 203.0.113.7 \xc0", FAM_V4, "203.0.113.7", NULL },
};

static void
test_cases(void **state)
{
	struct addr	 a;
	const char	*why;
	size_t		 i;
	int		 rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		why = NULL;
		memset(&a, 0, sizeof(a));
		rc = probe_extract(cases[i].body, strlen(cases[i].body),
		    cases[i].fam, &a, &why);
		if (cases[i].want != NULL) {
			if (rc != 0)
				fail_msg("case %zu \"%s\": %s", i,
				    cases[i].body, why);
			if (strcmp(a.text, cases[i].want) != 0)
				fail_msg("case %zu \"%s\": got %s, want %s", i,
				    cases[i].body, a.text, cases[i].want);
			assert_int_equal(a.fam, cases[i].fam);
		} else {
			if (rc != -1)
				fail_msg("case %zu \"%s\": got %s, want "
				    "failure", i, cases[i].body, a.text);
			if (why == NULL || strcmp(why, cases[i].why) != 0)
				fail_msg("case %zu \"%s\": why \"%s\", want "
				    "\"%s\"", i, cases[i].body, why ?
				    why : "(null)", cases[i].why);
		}
	}
}

/* The length given counts, not a NUL: bodies may hold NUL bytes. */
static void
test_binary(void **state)
{
	static const char	 body[] = "\0\0" "203.0.113.7\0junk";
	struct addr		 a;
	const char		*why;

	(void)state;
	assert_int_equal(probe_extract(body, sizeof(body) - 1, FAM_V4, &a,
	    &why), 0);
	assert_string_equal(a.text, "203.0.113.7");
	/* Cut before the address: nothing. */
	assert_int_equal(probe_extract("203.0.113.7", 5, FAM_V4, &a, &why),
	    -1);
	assert_string_equal(why, NONE4);
	/* Cut in the middle of the address: not a longer run. */
	assert_int_equal(probe_extract("203.0.113.77", 11, FAM_V4, &a,
	    &why), 0);
	assert_string_equal(a.text, "203.0.113.7");
}

/* A large page is scanned in one pass, address at the end. */
static void
test_huge(void **state)
{
	struct addr	 a;
	const char	*why;
	size_t		 n = 4 * 1024 * 1024, i;
	char		*buf;

	(void)state;
	assert_non_null(buf = malloc(n + 32));
	for (i = 0; i < n; i++)
		buf[i] = "abcdef0123456789:. <>\n"[i % 22];
	strcpy(buf + n, " 203.0.113.7");
	assert_int_equal(probe_extract(buf, strlen(buf), FAM_V4, &a, &why),
	    0);
	assert_string_equal(a.text, "203.0.113.7");
	/* One long address-shaped run is not an address. */
	memset(buf, '1', n);
	buf[n] = '\0';
	assert_int_equal(probe_extract(buf, n, FAM_V4, &a, &why), -1);
	memset(buf, ':', n);
	assert_int_equal(probe_extract(buf, n, FAM_V6, &a, &why), -1);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_huge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
