/*
 * callback provider: template expansion in each escaping context with
 * hostile values, header injection refusal, success rules and the reply
 * judge. Values are chosen to break a naive expander: quotes, backslash,
 * newline, &, =, space, %, non-ASCII.
 */
#include "unit.h"

#include "providers/callback.h"

/* Every character a naive expander would get wrong, one of each. */
#define HOSTILE		"q\"b\\s\n &=%\xe4\xb8\xad\xe6\x96\x87"
#define HOSTILE_PCT	"q%22b%5Cs%0A%20%26%3D%25%E4%B8%AD%E6%96%87"
#define HOSTILE_JSON	"q\\\"b\\\\s\\n &=%\xe4\xb8\xad\xe6\x96\x87"

static const struct callback_var vars[] = {
	{ "address",	"2001:db8::1" },
	{ "ip",		"2001:db8::1" },
	{ "name",	HOSTILE },
	{ "type",	"AAAA" },
	{ "family",	"6" },
	{ "ttl",	"300" },
	{ "zone",	NULL },		/* the record sets none */
	{ "token",	"s3cr\x01t\r\n" },
	{ NULL,		NULL }
};

struct expand_case {
	const char		*tmpl;
	enum callback_esc	 esc;
	const char		*want;	/* NULL: must fail */
	const char		*why;	/* substring of the reason on failure */
};

static const struct expand_case expand_cases[] = {
	/* Percent-encoding in the url, of values only. */
	{ "https://h/u?ip={address}&n={name}&t={type}", CALLBACK_URL,
	  "https://h/u?ip=2001%3Adb8%3A%3A1&n=" HOSTILE_PCT "&t=AAAA", NULL },
	{ "http://h/{family}/{ttl}?x={ip}", CALLBACK_URL,
	  "http://h/6/300?x=2001%3Adb8%3A%3A1", NULL },
	/* JSON string escaping; the template's own quotes stay. */
	{ "{\"ip\":\"{ip}\",\"n\":\"{name}\",\"ttl\":{ttl}}",
	  CALLBACK_BODY_JSON,
	  "{\"ip\":\"2001:db8::1\",\"n\":\"" HOSTILE_JSON "\",\"ttl\":300}",
	  NULL },
	{ "\"{token}\"", CALLBACK_BODY_JSON, "\"s3cr\\u0001t\\r\\n\"", NULL },
	/* Form bodies are percent-encoded like the url. */
	{ "ip={address}&name={name}", CALLBACK_BODY_FORM,
	  "ip=2001%3Adb8%3A%3A1&name=" HOSTILE_PCT, NULL },
	/* Raw: as is. */
	{ "<ip>{address}</ip>{name}", CALLBACK_RAW,
	  "<ip>2001:db8::1</ip>" HOSTILE, NULL },
	/* Literal braces. */
	{ "{{address}", CALLBACK_RAW, "{address}", NULL },
	{ "{{{address}}", CALLBACK_RAW, "{2001:db8::1}", NULL },
	{ "{ {} { x} {-a} {address", CALLBACK_RAW,
	  "{ {} { x} {-a} {address", NULL },
	{ "a}b}}", CALLBACK_RAW, "a}b}}", NULL },
	{ "{\"a\":{\"b\":\"{type}\"}}", CALLBACK_BODY_JSON,
	  "{\"a\":{\"b\":\"AAAA\"}}", NULL },
	{ "", CALLBACK_URL, "", NULL },
	{ "no variables", CALLBACK_BODY_JSON, "no variables", NULL },
	/* Errors name the variable. */
	{ "x={adress}", CALLBACK_URL, NULL, "unknown variable {adress}" },
	{ "{Address}", CALLBACK_RAW, NULL, "unknown variable {Address}" },
	{ "{address}{zone}", CALLBACK_BODY_FORM, NULL,
	  "{zone} is used but the record sets no \"zone\"" },
};

/* Each template expands to exactly the expected bytes, or fails saying
 * why. */
static void
test_expand(void **unused)
{
	const struct expand_case	*c;
	char				*got, *why;
	size_t				 i;

	(void)unused;
	for (i = 0; i < sizeof(expand_cases) / sizeof(expand_cases[0]); i++) {
		c = &expand_cases[i];
		why = (char *)0x1;
		got = callback_expand(c->tmpl, c->esc, vars, &why);
		if (c->want != NULL) {
			if (got == NULL)
				fail_msg("case %zu \"%s\": %s", i, c->tmpl,
				    why);
			assert_string_equal(got, c->want);
			assert_null(why);
		} else {
			assert_null(got);
			assert_non_null(why);
			if (strstr(why, c->why) == NULL)
				fail_msg("case %zu: \"%s\" lacks \"%s\"", i,
				    why, c->why);
		}
		free(got);
		free(why);
	}
}

/* The unknown-variable message lists the ones that exist. */
static void
test_expand_known_list(void **unused)
{
	char	*got, *why;

	(void)unused;
	got = callback_expand("{nme}", CALLBACK_URL, vars, &why);
	assert_null(got);
	assert_non_null(strstr(why, "known: {address} {ip} {name}"));
	free(why);
}

/* A JSON body built from hostile values parses back to those values. */
static void
test_expand_json_roundtrip(void **unused)
{
	json_error_t	 jerr;
	json_t		*j;
	char		*got, *why;

	(void)unused;
	got = callback_expand("{\"n\":\"{name}\",\"t\":\"{token}\"}",
	    CALLBACK_BODY_JSON, vars, &why);
	assert_non_null(got);
	j = json_loads(got, 0, &jerr);
	if (j == NULL)
		fail_msg("%s: %s", got, jerr.text);
	assert_string_equal(json_string_value(json_object_get(j, "n")),
	    HOSTILE);
	assert_string_equal(json_string_value(json_object_get(j, "t")),
	    "s3cr\x01t\r\n");
	json_decref(j);
	free(got);
}

struct header_case {
	const char	*name;
	const char	*tmpl;
	const char	*want;	/* NULL: must fail */
	const char	*why;
};

static const struct callback_var hvars[] = {
	{ "token",	"abc.def" },
	{ "crlf",	"x\r\nX-Injected: 1" },
	{ "lf",		"x\ny" },
	{ "cr",		"x\ry" },
	{ NULL,		NULL }
};

static const struct header_case header_cases[] = {
	{ "Authorization", "Bearer {token}", "Authorization: Bearer abc.def",
	  NULL },
	{ "X-Raw", "a \"b\" & c=%", "X-Raw: a \"b\" & c=%", NULL },
	{ "X-Empty", "", "X-Empty: ", NULL },
	{ "X-A", "{crlf}", NULL, "line break" },
	{ "X-A", "{lf}", NULL, "line break" },
	{ "X-A", "{cr}", NULL, "line break" },
	{ "X-A", "ok\r\nX-B: 1", NULL, "line break" },
	{ "X Bad", "v", NULL, "not a valid token" },
	{ "X:Y", "v", NULL, "not a valid token" },
	{ "X\r\nY", "v", NULL, "not a valid token" },
	{ "", "v", NULL, "not a valid token" },
	{ "X-A", "{nope}", NULL, "header X-A: unknown variable {nope}" },
};

/* Header lines come out whole, or are refused before any request. */
static void
test_header(void **unused)
{
	const struct header_case	*c;
	char				*got, *why;
	size_t				 i;

	(void)unused;
	for (i = 0; i < sizeof(header_cases) / sizeof(header_cases[0]); i++) {
		c = &header_cases[i];
		got = callback_header(c->name, c->tmpl, hvars, &why);
		if (c->want != NULL) {
			if (got == NULL)
				fail_msg("case %zu: %s", i, why);
			assert_string_equal(got, c->want);
			assert_null(why);
		} else {
			assert_null(got);
			assert_non_null(why);
			if (strstr(why, c->why) == NULL)
				fail_msg("case %zu: \"%s\" lacks \"%s\"", i,
				    why, c->why);
			/* The refused value may be a secret. */
			assert_null(strstr(why, "Injected"));
		}
		free(got);
		free(why);
	}
}

struct status_case {
	const char	*json;		/* the config value; NULL: absent */
	int		 rc;
	size_t		 n;
	long		 first, last;
};

static const struct status_case status_cases[] = {
	{ NULL,			0,  0, 0, 0 },
	{ "204",		0,  1, 204, 204 },
	{ "[200, 201, 404]",	0,  3, 200, 404 },
	{ "\"200\"",		0,  1, 200, 200 },
	{ "\"200, 204,302\"",	0,  3, 200, 302 },
	{ "99",			-1, 0, 0, 0 },
	{ "600",		-1, 0, 0, 0 },
	{ "[]",			-1, 0, 0, 0 },
	{ "[200, \"201\"]",	-1, 0, 0, 0 },
	{ "\"ok\"",		-1, 0, 0, 0 },
	{ "\"200,\"",		-1, 0, 0, 0 },
	{ "\"200 204\"",	-1, 0, 0, 0 },
	{ "true",		-1, 0, 0, 0 },
	{ "{\"a\": 1}",		-1, 0, 0, 0 },
	{ "[200,201,202,203,204,205,206,207,208,209,210,211,212,213,214,"
	  "215,216]",		-1, 0, 0, 0 },
};

/* success_status in each accepted spelling, and the refused ones. */
static void
test_statuses(void **unused)
{
	const struct status_case	*c;
	struct callback_rules		 r;
	json_t				*v;
	char				*why;
	size_t				 i;
	int				 rc;

	(void)unused;
	for (i = 0; i < sizeof(status_cases) / sizeof(status_cases[0]); i++) {
		c = &status_cases[i];
		memset(&r, 0, sizeof(r));
		v = c->json ? json_loads(c->json, JSON_DECODE_ANY, NULL) :
		    NULL;
		assert_true(c->json == NULL || v != NULL);
		rc = callback_statuses(v, &r, &why);
		if (rc != c->rc)
			fail_msg("case %zu \"%s\": rc %d", i, c->json, rc);
		if (rc == 0) {
			assert_null(why);
			assert_int_equal(r.nstatus, c->n);
			if (c->n > 0) {
				assert_int_equal(r.status[0], c->first);
				assert_int_equal(r.status[c->n - 1], c->last);
			}
		} else {
			assert_non_null(strstr(why, "success_status"));
			assert_int_equal(r.nstatus, 0);
		}
		free(why);
		json_decref(v);
	}
}

struct judge_case {
	long		 status;
	const char	*body;
	size_t		 len;		/* 0: strlen(body) */
	const char	*statuses;	/* success_status as JSON, or NULL */
	const char	*success;
	const char	*failure;
	enum outcome	 want;
	const char	*why;		/* exact reason, or NULL for none */
};

#define LONG100	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define LONG97	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define LONG96	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"

static const struct judge_case judge_cases[] = {
	/* Default: any 2xx is success and the body is not read. */
	{ 200, "", 0, NULL, NULL, NULL, OUT_UPDATED, NULL },
	{ 204, "", 0, NULL, NULL, NULL, OUT_UPDATED, NULL },
	{ 299, "whatever", 0, NULL, NULL, NULL, OUT_UPDATED, NULL },
	{ 302, "moved", 0, NULL, NULL, NULL, OUT_PROTOCOL, "HTTP 302: moved" },
	{ 199, "", 0, NULL, NULL, NULL, OUT_PROTOCOL, "HTTP 199" },
	/* Other statuses map as for every provider. */
	{ 401, "bad token\nmore", 0, NULL, NULL, NULL, OUT_AUTH,
	  "HTTP 401: bad token" },
	{ 403, "", 0, NULL, NULL, NULL, OUT_AUTH, "HTTP 403" },
	{ 429, "slow down", 0, NULL, NULL, NULL, OUT_TEMPFAIL,
	  "HTTP 429: slow down" },
	{ 503, "<html>\r\n<h1>down</h1>", 0, NULL, NULL, NULL, OUT_TEMPFAIL,
	  "HTTP 503: <html>" },
	{ 400, "bad ip", 0, NULL, NULL, NULL, OUT_CONFIG, "HTTP 400: bad ip" },
	{ 404, "", 0, NULL, NULL, NULL, OUT_CONFIG, "HTTP 404" },
	{ 418, "teapot", 0, NULL, NULL, NULL, OUT_PROTOCOL,
	  "HTTP 418: teapot" },
	/* An explicit list replaces "any 2xx". */
	{ 200, "", 0, "201", NULL, NULL, OUT_PROTOCOL, "HTTP 200" },
	{ 201, "", 0, "201", NULL, NULL, OUT_UPDATED, NULL },
	{ 404, "gone", 0, "[200, 404]", NULL, NULL, OUT_UPDATED, NULL },
	{ 401, "", 0, "[200, 404]", NULL, NULL, OUT_AUTH, "HTTP 401" },
	/* Body rules, only once the status is accepted. */
	{ 200, "good 203.0.113.7\n", 0, NULL, "good", NULL, OUT_UPDATED,
	  NULL },
	{ 200, "badauth\n", 0, NULL, "good", NULL, OUT_PROTOCOL,
	  "HTTP 200 but the reply did not contain \"good\": badauth" },
	{ 200, "", 0, NULL, "good", NULL, OUT_PROTOCOL,
	  "HTTP 200 but the reply did not contain \"good\" (empty reply)" },
	{ 500, "good", 0, NULL, "good", NULL, OUT_TEMPFAIL, "HTTP 500: good" },
	{ 200, "abc\0OK", 6, NULL, "OK", NULL, OUT_UPDATED, NULL },
	{ 200, "ok but error: x", 0, NULL, "ok", "error", OUT_PROTOCOL,
	  "HTTP 200 but the reply contains \"error\" (failure_body): "
	  "ok but error: x" },
	{ 200, "ok", 0, NULL, "ok", "error", OUT_UPDATED, NULL },
	/* The quoted reply: first non-blank line, made safe, capped. */
	{ 500, "\n\n  first line  \nsecond", 0, NULL, NULL, NULL,
	  OUT_TEMPFAIL, "HTTP 500: first line" },
	{ 500, "\x1b[31mred\x7f\tx", 0, NULL, NULL, NULL, OUT_TEMPFAIL,
	  "HTTP 500: ?[31mred??x" },
	{ 500, "\xe4\xb8\xad\xe6\x96\x87 \xff \xc2\x85 \xc0\xaf", 0, NULL,
	  NULL, NULL, OUT_TEMPFAIL,
	  "HTTP 500: \xe4\xb8\xad\xe6\x96\x87 ? ?? ??" },
	{ 500, LONG100 LONG100 "y", 0, NULL, NULL, NULL, OUT_TEMPFAIL,
	  "HTTP 500: " LONG100 LONG97 "..." },
	{ 500, LONG100 LONG100 "\n" LONG100, 0, NULL, NULL, NULL,
	  OUT_TEMPFAIL, "HTTP 500: " LONG100 LONG100 },
	{ 500, LONG100 LONG97 "\xe4\xb8\xad" LONG100, 0, NULL, NULL, NULL,
	  OUT_TEMPFAIL, "HTTP 500: " LONG100 LONG97 "..." },
	/* A character straddling the cut goes whole. */
	{ 500, LONG100 LONG96 "\xe4\xb8\xad" LONG100, 0, NULL, NULL, NULL,
	  OUT_TEMPFAIL, "HTTP 500: " LONG100 LONG96 "..." },
	{ 500, NULL, 0, NULL, NULL, NULL, OUT_TEMPFAIL, "HTTP 500" },
};

/* Status and body rules give the right outcome and reason. */
static void
test_judge(void **unused)
{
	const struct judge_case	*c;
	struct callback_rules	 r;
	enum outcome		 o;
	json_t			*v;
	char			*why;
	size_t			 i, len;

	(void)unused;
	for (i = 0; i < sizeof(judge_cases) / sizeof(judge_cases[0]); i++) {
		c = &judge_cases[i];
		memset(&r, 0, sizeof(r));
		if (c->statuses != NULL) {
			v = json_loads(c->statuses, JSON_DECODE_ANY, NULL);
			assert_int_equal(callback_statuses(v, &r, &why), 0);
			json_decref(v);
		}
		r.success_body = c->success;
		r.failure_body = c->failure;
		len = c->len ? c->len : c->body ? strlen(c->body) : 0;
		o = callback_judge(c->status, c->body, len, &r, &why);
		if (o != c->want)
			fail_msg("case %zu (HTTP %ld): outcome %d, want %d: %s",
			    i, c->status, (int)o, (int)c->want,
			    why ? why : "(no reason)");
		if (c->why == NULL)
			assert_null(why);
		else if (why == NULL || strcmp(why, c->why) != 0)
			fail_msg("case %zu: \"%s\", want \"%s\"", i,
			    why ? why : "(null)", c->why);
		free(why);
	}
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_expand_known_list),
		cmocka_unit_test(test_expand_json_roundtrip),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_statuses),
		cmocka_unit_test(test_judge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
