/*
 * Namecheap Dynamic DNS: the update URL and the <interface-response>
 * reader, fed replies shaped as Namecheap sends them (declared utf-16,
 * sent in ASCII; HTTP 200 with <ErrCount> and <errors><Err1> on error).
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/namecheap.h"

#define HEAD "<?xml version=\"1.0\" encoding=\"utf-16\"?>\r\n" \
	"<interface-response>\r\n  <Command>SETDNSHOST</Command>\r\n" \
	"  <Language>eng</Language>\r\n"
#define TAIL "  <Done>true</Done>\r\n  <debug><![CDATA[]]></debug>\r\n" \
	"</interface-response>"
#define OK_REPLY HEAD "  <IP>203.0.113.7</IP>\r\n  <ErrCount>0</ErrCount>\r\n" \
	"  <errors />\r\n  <ResponseCount>0</ResponseCount>\r\n" \
	"  <responses />\r\n" TAIL
#define ERR_REPLY(msg, no) HEAD "  <ErrCount>1</ErrCount>\r\n" \
	"  <errors>\r\n    <Err1>" msg "</Err1>\r\n  </errors>\r\n" \
	"  <ResponseCount>1</ResponseCount>\r\n  <responses>\r\n" \
	"    <response>\r\n      <ResponseNumber>" no "</ResponseNumber>\r\n" \
	"      <ResponseString>Validation error</ResponseString>\r\n" \
	"    </response>\r\n  </responses>\r\n" TAIL

/* The address s, which must parse. */
static struct addr
A(const char *s)
{
	struct addr	 a;

	assert_int_equal(addr_parse(s, FAM_MAX, &a), 0);
	return a;
}

static void
test_url(void **st)
{
	static const struct {
		const char	*endpoint, *host, *domain, *pass;
		const char	*url;	/* exact; NULL: refused */
	} t[] = {
		{ NULL, "home", "example.com", "0123456789abcdef0123456789abcdef",
		    "https://dynamicdns.park-your-domain.com/update?host=home&"
		    "domain=example.com&password=0123456789abcdef0123456789ab"
		    "cdef&ip=203.0.113.7" },
		{ NULL, "@", "example.com", "p&s=x",
		    "https://dynamicdns.park-your-domain.com/update?host=%40&"
		    "domain=example.com&password=p%26s%3Dx&ip=203.0.113.7" },
		{ NULL, "*", "example.co.uk", "k",
		    "https://dynamicdns.park-your-domain.com/update?host=%2A&"
		    "domain=example.co.uk&password=k&ip=203.0.113.7" },
		{ "http://127.0.0.1:8080", "a.b", "example.com", "k",
		    "http://127.0.0.1:8080/update?host=a.b&domain=example.com&"
		    "password=k&ip=203.0.113.7" },
		{ "https://127.0.0.1:8443/nc/update", "a", "example.com", "k",
		    "https://127.0.0.1:8443/nc/update?host=a&domain=example.com&"
		    "password=k&ip=203.0.113.7" },
		{ "ftp://x", "a", "example.com", "k", NULL },
	};
	struct addr	 a = A("203.0.113.7");
	const char	*err;
	char		*url;
	size_t		 i;

	(void)st;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		err = NULL;
		url = namecheap_url(t[i].endpoint, t[i].host, t[i].domain,
		    t[i].pass, &a, &err);
		if (t[i].url == NULL) {
			assert_null(url);
			assert_non_null(err);
			continue;
		}
		if (url == NULL || strcmp(url, t[i].url) != 0)
			fail_msg("row %zu: got %s", i, url ? url : "NULL");
		free(url);
	}
}

static void
test_parse(void **st)
{
	static const struct {
		long		 status;
		const char	*body;
		enum outcome	 out;
		int		 hold;
		const char	*why;	/* exact; NULL: none */
	} t[] = {
		{ 200, OK_REPLY, OUT_UPDATED, 0, NULL },
		/* No <IP> echoed: still a success. */
		{ 200, HEAD "<ErrCount>0</ErrCount>" TAIL, OUT_UPDATED, 0,
		    NULL },
		{ 200, ERR_REPLY("Passwords do not match", "304156"),
		    OUT_AUTH, 1, "Namecheap refused the update: Passwords do "
		    "not match (response 304156) (check password: the Dynamic "
		    "DNS password from the domain's Advanced DNS page (Dynamic "
		    "DNS switched on), not the account password)" },
		{ 200, ERR_REPLY("Domain name not found", "316153"),
		    OUT_CONFIG, 1, "Namecheap refused the update: Domain name "
		    "not found (response 316153) (the domain is not in this "
		    "Namecheap account or does not use Namecheap's DNS; set "
		    "\"zone\" if it has more labels)" },
		{ 200, ERR_REPLY("No Records updated. A record not Found;",
		    "380091"), OUT_CONFIG, 1, "Namecheap refused the update: "
		    "No Records updated. A record not Found; (response 380091) "
		    "(add the host as an \"A + Dynamic DNS Record\" on the "
		    "domain's Advanced DNS page: this API only updates)" },
		{ 200, ERR_REPLY("Invalid IP", "304156"), OUT_CONFIG, 1,
		    "Namecheap refused the update: Invalid IP (response "
		    "304156)" },
		/* Not one we know: quoted, control characters shown as ?. */
		{ 200, ERR_REPLY("Something &amp; new&#10;line", "1"),
		    OUT_PROTOCOL, 0, "Namecheap refused the update: Something "
		    "& new?line (response 1)" },
		{ 200, HEAD "<ErrCount>2</ErrCount><errors><Err1>a</Err1>"
		    "<Err2>b</Err2></errors>" TAIL, OUT_PROTOCOL, 0,
		    "Namecheap refused the update: a; b" },
		{ 200, HEAD "<ErrCount>1</ErrCount>" TAIL, OUT_PROTOCOL, 0,
		    "Namecheap refused the update: (no <ErrN> text)" },
		{ 200, HEAD "<ErrCount>0</ErrCount><IP>203.0.113.9</IP>" TAIL,
		    OUT_PROTOCOL, 0, "Namecheap answered success but set "
		    "203.0.113.9, not 203.0.113.7" },
		{ 200, HEAD "<ErrCount>0</ErrCount></interface-response>",
		    OUT_PROTOCOL, 0, "HTTP 200: <ErrCount> is 0 but <Done> is "
		    "not true" },
		{ 200, HEAD "<Done>true</Done></interface-response>",
		    OUT_PROTOCOL, 0, "HTTP 200: no <ErrCount> in the "
		    "<interface-response>" },
		{ 200, HEAD "<ErrCount>zero</ErrCount>" TAIL, OUT_PROTOCOL, 0,
		    "HTTP 200: no <ErrCount> in the <interface-response>" },
		{ 200, "<html><body>Welcome to nginx!</body></html>",
		    OUT_PROTOCOL, 0, "HTTP 200: not a Namecheap reply (not an "
		    "<interface-response>): \"<html><body>Welcome to nginx!"
		    "</body></html>\"" },
		{ 200, "good 203.0.113.7", OUT_PROTOCOL, 0, "HTTP 200: not a "
		    "Namecheap reply (not XML: syntax error at line 1): \"good "
		    "203.0.113.7\"" },
		{ 200, "<!DOCTYPE x [<!ENTITY a \"b\">]><interface-response/>",
		    OUT_PROTOCOL, 0, "HTTP 200: not a Namecheap reply (not XML "
		    "we accept: a DOCTYPE): \"<!DOCTYPE x [<!ENTITY a \"b\">]>"
		    "<interface-response/>\"" },
		{ 200, "", OUT_PROTOCOL, 0, "HTTP 200: not a Namecheap reply "
		    "(empty)" },
		{ 503, "Service Unavailable", OUT_TEMPFAIL, 0, "HTTP 503: "
		    "Service Unavailable" },
		{ 403, "Forbidden", OUT_AUTH, 1, "HTTP 403: Forbidden" },
		{ 500, OK_REPLY, OUT_TEMPFAIL, 0, "HTTP 500: <?xml "
		    "version=\"1.0\" encoding=\"utf-16\"?>" },
	};
	struct push_ctx	 ctx;
	struct addr	 a = A("203.0.113.7");
	enum outcome	 o;
	char		*why;
	size_t		 i;

	(void)st;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&ctx, 0, sizeof(ctx));
		why = NULL;
		o = namecheap_parse(t[i].status, t[i].body, strlen(t[i].body),
		    &a, &ctx, &why);
		if (o != t[i].out || ctx.hold != t[i].hold)
			fail_msg("row %zu: outcome %d hold %d (%s)", i, o,
			    ctx.hold, why ? why : "no message");
		if (t[i].why == NULL) {
			if (why != NULL)
				fail_msg("row %zu: unexpected \"%s\"", i, why);
		} else if (why == NULL || strcmp(why, t[i].why) != 0)
			fail_msg("row %zu: message \"%s\"\n     wanted \"%s\"", i,
			    why ? why : "(none)", t[i].why);
		free(why);
	}
}

/* A 429 without Retry-After waits a minute; one with it is kept. */
static void
test_throttle(void **st)
{
	struct push_ctx	 ctx;
	struct addr	 a = A("203.0.113.7");
	char		*why = NULL;

	(void)st;
	memset(&ctx, 0, sizeof(ctx));
	assert_int_equal(namecheap_parse(429, "Too Many Requests", 17, &a,
	    &ctx, &why), OUT_TEMPFAIL);
	assert_int_equal(ctx.retry_after, 60);
	free(why);
	why = NULL;
	ctx.retry_after = 600;
	assert_int_equal(namecheap_parse(429, "", 0, &a, &ctx, &why),
	    OUT_TEMPFAIL);
	assert_int_equal(ctx.retry_after, 600);
	free(why);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_throttle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
