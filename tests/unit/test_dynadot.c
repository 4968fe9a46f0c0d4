/* Unit tests for providers/dynadot.c: signing, replies, record lists,
 * bodies. */
#include <strings.h>

#include "unit.h"
#include "providers/providers.h"
#include "providers/dynadot.h"

/*
 * The documented string to sign is "key\npath?query\nX-Request-ID\nbody".
 * Dynadot publishes the string, not a signature; these were computed
 * independently with Python's hmac and base64 modules (labelled so).
 */
static void
test_sign(void **unused)
{
	static const struct {
		const char	*key, *secret, *path, *rid, *body, *want;
	} t[] = {
		/* The page's own example input. */
		{ "your_api_key", "your_secret", "/v1/some/endpoint?param=value",
		    "unique-request-id", "{\"key\":\"value\"}",
		    "mo8urSXLnskmgG33kt2g45Z2+Y6vtI0Yt+ZTnZQc82g=" },
		{ "test-key", "test-secret",
		    "/restful/v2/domains/example.test/records", "request-id", "",
		    "haxSHmGxUBczKfmN9GpGDoj+OQEqwRPmhJ3yL7Wv3xI=" },
		/* No X-Request-ID (what ddnsup sends): an empty line. */
		{ "K3y", "S3cr3t", "/restful/v2/domains/example.com/records",
		    NULL, "{\"dns_sub_list\":[{\"sub_host\":\"home\","
		    "\"record_type\":\"A\",\"record_value1\":\"203.0.113.7\"}],"
		    "\"ttl\":300,\"add_dns_to_current_setting\":true}",
		    "7hfsNhpSiRvpgc1bN0at57gPvHGFxhY0X5WQpOVy938=" },
	};
	char	*s;
	size_t	 i;

	(void)unused;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		s = dynadot_sign(t[i].key, t[i].secret, t[i].path, t[i].rid,
		    t[i].body);
		assert_non_null(s);
		assert_string_equal(s, t[i].want);
		free(s);
	}
}

static void
test_reply(void **unused)
{
	static const struct {
		long		 status;
		const char	*body;
		enum outcome	 out;
		int		 hold;
		long		 retry;
		const char	*why;	/* exact; NULL: none */
		int		 data;	/* *data is set */
	} t[] = {
		{ 200, "{\"code\":200,\"message\":\"Success\",\"data\":"
		    "{\"glue_info\":{}}}", OUT_CURRENT, 0, 0, NULL, 1 },
		{ 200, "{\"code\":\"200\",\"message\":\"Success\"}", OUT_CURRENT,
		    0, 0, NULL, 0 },
		/* The page's capitalised form. */
		{ 200, "{\"Code\":\"200\",\"Message\":\"Success\",\"Data\":{}}",
		    OUT_CURRENT, 0, 0, NULL, 1 },
		{ 401, "{\"code\":401,\"message\":\"Invalid signature\"}",
		    OUT_AUTH, 1, 0, "HTTP 401: 401: Invalid signature (check "
		    "api_key and api_secret (Dynadot: Tools, API: the "
		    "production key and its secret key) and that this host's IP "
		    "address is on that page's allowed list)", 0 },
		/* An error in a 200's body counts as its code. */
		{ 200, "{\"code\":403,\"message\":\"ip not allowed\"}", OUT_AUTH,
		    1, 0, NULL, 0 },
		{ 404, "{\"code\":404,\"message\":\"Domain not found\"}",
		    OUT_CONFIG, 1, 0, "HTTP 404: 404: Domain not found (the "
		    "domain is not in this Dynadot account)", 0 },
		{ 409, "{\"code\":409,\"message\":\"locked\"}", OUT_CONFIG, 1, 0,
		    NULL, 0 },
		{ 429, "{\"code\":429,\"message\":\"Too many requests\"}",
		    OUT_TEMPFAIL, 0, 60, "HTTP 429: 429: Too many requests", 0 },
		{ 500, "oops", OUT_TEMPFAIL, 0, 0, "HTTP 500: (no message)", 0 },
		{ 400, "{\"error\":\"domain not found in this account\"}",
		    OUT_CONFIG, 1, 0, "HTTP 400: domain not found in this "
		    "account", 0 },
		{ 200, "<html>", OUT_PROTOCOL, 0, 0, "HTTP 200 and a reply that "
		    "is not a JSON object", 0 },
		{ 200, "[1]", OUT_PROTOCOL, 0, 0, NULL, 0 },
		/* A vendor message cannot forge our output lines. */
		{ 400, "{\"message\":\"a\\nb\\u001b\"}", OUT_CONFIG, 1, 0,
		    "HTTP 400: a?b?", 0 },
	};
	struct push_ctx	 ctx;
	json_t		*data;
	enum outcome	 o;
	char		*why;
	size_t		 i;

	(void)unused;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&ctx, 0, sizeof(ctx));
		why = NULL;
		o = dynadot_reply(t[i].status, t[i].body, &data, &ctx, &why);
		if (o != t[i].out || ctx.hold != t[i].hold ||
		    ctx.retry_after != t[i].retry)
			fail_msg("row %zu: %d hold %d retry %ld (%s)", i, o,
			    ctx.hold, ctx.retry_after, why ? why : "-");
		if (t[i].why != NULL)
			assert_string_equal(why, t[i].why);
		if (o != OUT_CURRENT)
			assert_non_null(why);
		else
			assert_null(why);
		assert_int_equal(data != NULL, t[i].data);
		json_decref(data);
		free(why);
	}
	/* A Retry-After already read wins over the 60 s default. */
	memset(&ctx, 0, sizeof(ctx));
	ctx.retry_after = 7;
	why = NULL;
	assert_int_equal(dynadot_reply(429, "", &data, &ctx, &why),
	    OUT_TEMPFAIL);
	assert_int_equal(ctx.retry_after, 7);
	free(why);
}

static void
test_parse(void **unused)
{
	/* The shape public clients of the API read (record_type in either
	 * case, ttl a string or a number). */
	static const char doc[] = "{\"glue_info\":{\"glue_type\":\"DNS\","
	    "\"ttl\":\"300\",\"dns_main_list\":[{\"record_type\":\"txt\","
	    "\"record_value1\":\"v=spf1 mx -all\"},{\"record_type\":\"a\","
	    "\"record_value1\":\"203.0.113.10\"}],\"dns_sub_list\":["
	    "{\"record_type\":\"MX\",\"record_value1\":\"mail.example.test\","
	    "\"record_value2\":\"10\",\"sub_host\":\"mail\"},"
	    "{\"record_type\":\"A\",\"record_value1\":\"198.51.100.1\","
	    "\"sub_host\":\"Home\"},{\"record_type\":\"aaaa\","
	    "\"record_value1\":\"2001:db8::1\",\"sub_host\":\"home\"},"
	    "{\"record_type\":\"aaaa\",\"record_value1\":\"2001:db8::2\","
	    "\"sub_host\":\"home\"},{\"record_type\":\"a\","
	    "\"record_value1\":\"198.51.100.9\",\"sub_host\":\"x.home\"}]}}";
	static const struct {
		const char	*rel, *type;
		size_t		 n;
		const char	*v0, *t0, *v1;
	} t[] = {
		{ NULL, "A", 1, "203.0.113.10", "a", NULL },
		{ NULL, "AAAA", 0, NULL, NULL, NULL },
		{ "home", "A", 1, "198.51.100.1", "A", NULL },	/* "Home" */
		{ "home", "AAAA", 2, "2001:db8::1", "aaaa", "2001:db8::2" },
		{ "x.home", "A", 1, "198.51.100.9", "a", NULL },
		{ "www", "A", 0, NULL, NULL, NULL },
	};
	struct dynadot_have h;
	json_error_t	 e;
	json_t		*root;
	char		*why = NULL;
	size_t		 i;

	(void)unused;
	root = json_loads(doc, 0, &e);
	assert_non_null(root);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(dynadot_parse(root, t[i].rel, t[i].type, &h,
		    &why), 0);
		assert_string_equal(h.glue_type, "DNS");
		assert_int_equal(h.ttl, 300);
		if (h.n != t[i].n)
			fail_msg("row %zu: %zu records", i, h.n);
		if (t[i].v0 != NULL) {
			assert_string_equal(h.val[0], t[i].v0);
			assert_string_equal(h.type[0], t[i].t0);
			if (t[i].rel == NULL)
				assert_null(h.sub[0]);
			else	/* Dynadot's spelling, for the removal */
				assert_true(strcasecmp(h.sub[0], t[i].rel) ==
				    0);
		}
		if (t[i].v1 != NULL)
			assert_string_equal(h.val[1], t[i].v1);
		dynadot_have_free(&h);
	}
	json_decref(root);

	/* ttl as a number; lists absent; another glue_type. */
	root = json_loads("{\"glue_info\":{\"glue_type\":\"PARKING\","
	    "\"ttl\":1800}}", 0, &e);
	assert_int_equal(dynadot_parse(root, "home", "A", &h, &why), 0);
	assert_string_equal(h.glue_type, "PARKING");
	assert_int_equal(h.ttl, 1800);
	assert_int_equal(h.n, 0);
	dynadot_have_free(&h);
	json_decref(root);

	/* Not the documented shape. */
	root = json_loads("{\"records\":[]}", 0, &e);
	assert_int_equal(dynadot_parse(root, NULL, "A", &h, &why), -1);
	assert_string_equal(why, "no data.glue_info in the reply");
	free(why);
	json_decref(root);
	root = json_loads("{\"glue_info\":{\"dns_sub_list\":{}}}", 0, &e);
	why = NULL;
	assert_int_equal(dynadot_parse(root, "a", "A", &h, &why), -1);
	assert_string_equal(why, "glue_info.dns_sub_list is not a list");
	free(why);
	json_decref(root);
	why = NULL;
	assert_int_equal(dynadot_parse(NULL, "a", "A", &h, &why), -1);
	free(why);
}

static void
test_body(void **unused)
{
	static const struct {
		const char	*rel, *type, *value;
		long		 ttl;
		int		 add;
		const char	*want;
	} t[] = {
		{ "home", "A", "203.0.113.7", 300, 1, "{\"dns_sub_list\":[{"
		    "\"sub_host\":\"home\",\"record_type\":\"A\","
		    "\"record_value1\":\"203.0.113.7\"}],\"ttl\":300,"
		    "\"add_dns_to_current_setting\":true}" },
		{ NULL, "AAAA", "2001:db8::7", -1, 1, "{\"dns_main_list\":[{"
		    "\"record_type\":\"AAAA\",\"record_value1\":\"2001:db8::7\"}"
		    "],\"add_dns_to_current_setting\":true}" },
		{ "a.b", "a", "198.51.100.1", 300, 0, "{\"dns_sub_list\":[{"
		    "\"sub_host\":\"a.b\",\"record_type\":\"a\","
		    "\"record_value1\":\"198.51.100.1\"}]}" },
		{ NULL, "A", "198.51.100.1", 300, 0, "{\"dns_main_list\":[{"
		    "\"record_type\":\"A\",\"record_value1\":\"198.51.100.1\"}]}" },
	};
	char	*s;
	size_t	 i;

	(void)unused;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		s = dynadot_body(t[i].rel, t[i].type, t[i].value, t[i].ttl,
		    t[i].add);
		assert_non_null(s);
		assert_string_equal(s, t[i].want);
		free(s);
	}
}

static void
test_table(void **unused)
{
	const struct provider_key	*k;
	int				 secrets = 0;

	(void)unused;
	assert_ptr_equal(provider_find("dynadot"), &provider_dynadot);
	for (k = provider_dynadot.keys; k->name != NULL; k++)
		if (k->flags & KEY_SECRET)
			secrets++;
	assert_int_equal(secrets, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
