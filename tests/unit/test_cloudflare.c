/*
 * Cloudflare provider: the pure parts fed recorded replies shaped like the
 * examples in ref/cloudflare-openapi-20240801.json.
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/cloudflare.h"

#define ZID	"023e105f4ecef8ad9ca31a8372d0c353"
#define RID	"372e67954025e0ba6aaa6d586b9e0b59"
#define RID2	"9a7806061c88ada191ed06f989cc3dac"

/* Envelope pieces, as Cloudflare sends them. */
#define OK(result) "{\"success\":true,\"errors\":[],\"messages\":[]," \
	"\"result\":" result ",\"result_info\":{\"page\":1,\"per_page\":20," \
	"\"count\":1,\"total_count\":1}}"
#define FAIL(errors) "{\"success\":false,\"errors\":" errors \
	",\"messages\":[],\"result\":null}"

#define ZONE(id, name, status) "{\"id\":\"" id "\",\"name\":\"" name "\"," \
	"\"status\":\"" status "\",\"paused\":false,\"type\":\"full\"," \
	"\"development_mode\":0,\"name_servers\":[\"bob.ns.cloudflare.com\"," \
	"\"lola.ns.cloudflare.com\"],\"original_name_servers\":null," \
	"\"original_registrar\":null,\"original_dnshost\":null," \
	"\"created_on\":\"2014-01-01T05:20:00.12345Z\"," \
	"\"modified_on\":\"2014-01-01T05:20:00.12345Z\"," \
	"\"activated_on\":\"2014-01-02T00:01:00.12345Z\"," \
	"\"owner\":{\"id\":null,\"type\":\"user\",\"email\":null}," \
	"\"account\":{\"id\":\"01a7362d577a6c3019a474fd6f485823\"," \
	"\"name\":\"Example Account Name\"},\"meta\":{\"step\":2}}"

#define REC(id, type, name, content, proxied, ttl, comment) "{\"id\":\"" id \
	"\",\"zone_id\":\"" ZID "\",\"zone_name\":\"example.com\"," \
	"\"name\":\"" name "\",\"type\":\"" type "\",\"content\":\"" content \
	"\",\"proxiable\":true,\"proxied\":" proxied ",\"ttl\":" ttl "," \
	"\"comment\":" comment ",\"tags\":[],\"meta\":{\"auto_added\":false," \
	"\"source\":\"primary\"},\"created_on\":\"2014-01-01T05:20:00.12345Z\"," \
	"\"modified_on\":\"2014-01-01T05:20:00.12345Z\"}"

#define E9109	FAIL("[{\"code\":9109,\"message\":\"Invalid access token\"}]")
#define E6003	FAIL("[{\"code\":6003,\"message\":\"Invalid request " \
	"headers\",\"error_chain\":[{\"code\":6111,\"message\":\"Invalid " \
	"format for Authorization header\"}]}]")
#define E10000	FAIL("[{\"code\":10000,\"message\":\"Authentication error\"}]")
#define E971	FAIL("[{\"code\":971,\"message\":\"Please wait and consider " \
	"throttling your request speed\"}]")
#define E9005	FAIL("[{\"code\":9005,\"message\":\"Content for A record " \
	"must be a valid IPv4 address.\"}]")
#define E81044	FAIL("[{\"code\":81044,\"message\":\"Record does not " \
	"exist.\"}]")
#define E7003	FAIL("[{\"code\":7003,\"message\":\"Could not route to " \
	"/zones/abc/dns_records, perhaps your object identifier is " \
	"invalid?\"},{\"code\":7000,\"message\":\"No route for that URI\"}]")
#define HTML	"<html><body><h1>502 Bad Gateway</h1></body></html>"

/* ---- zones -------------------------------------------------------------- */

struct zcase {
	const char	*what;
	long		 status;
	const char	*body;
	const char	*name;
	enum outcome	 out;
	const char	*zone;		/* expected id, or NULL */
	const char	*why;		/* expected reason, or NULL: none */
};

static const struct zcase zcases[] = {
	{ "found", 200, OK("[" ZONE(ZID, "example.com", "active") "]"),
	    "example.com", OUT_CURRENT, ZID, NULL },
	{ "found, case differs", 200, OK("[" ZONE(ZID, "Example.COM",
	    "active") "]"), "example.com", OUT_CURRENT, ZID, NULL },
	{ "empty", 200, OK("[]"), "home.example.com", OUT_CURRENT, NULL,
	    NULL },
	{ "filter ignored: another zone only", 200, OK("[" ZONE(ZID,
	    "example.org", "active") "]"), "example.com", OUT_CURRENT, NULL,
	    NULL },
	{ "pending copy listed first", 200, OK("[" ZONE(RID, "example.com",
	    "pending") "," ZONE(ZID, "example.com", "active") "]"),
	    "example.com", OUT_CURRENT, ZID, NULL },
	{ "bad token", 403, E9109, "example.com", OUT_AUTH, NULL,
	    "HTTP 403: 9109 Invalid access token" },
	{ "malformed Authorization", 400, E6003, "example.com", OUT_AUTH,
	    NULL, "HTTP 400: 6003 Invalid request headers (6111 Invalid "
	    "format for Authorization header)" },
	{ "authentication error", 401, E10000, "example.com", OUT_AUTH, NULL,
	    "HTTP 401: 10000 Authentication error" },
	{ "throttled", 429, E971, "example.com", OUT_TEMPFAIL, NULL,
	    "HTTP 429: 971 Please wait and consider throttling your request "
	    "speed" },
	{ "gateway error page", 502, HTML, "example.com", OUT_TEMPFAIL, NULL,
	    "HTTP 502 (no Cloudflare error in the reply)" },
	{ "forbidden page", 403, HTML, "example.com", OUT_AUTH, NULL,
	    "HTTP 403 (no Cloudflare error in the reply)" },
	{ "200 with success false", 200, FAIL("[{\"code\":1000,\"message\":"
	    "\"Internal\\nerror\"}]"), "example.com", OUT_PROTOCOL, NULL,
	    "HTTP 200: 1000 Internal?error" },
	{ "200 with success false, no errors", 200, FAIL("[]"),
	    "example.com", OUT_PROTOCOL, NULL,
	    "HTTP 200: success false without an error" },
	{ "200 garbage", 200, HTML, "example.com", OUT_PROTOCOL, NULL, NULL },
	{ "200 empty", 200, "", "example.com", OUT_PROTOCOL, NULL, NULL },
	{ "200 no body", 200, NULL, "example.com", OUT_PROTOCOL, NULL, NULL },
	{ "200 not an envelope", 200, "{\"hello\":\"world\"}", "example.com",
	    OUT_PROTOCOL, NULL, NULL },
	{ "200 truncated", 200, "{\"success\":true,\"errors\":[],\"result\""
	    ":[{\"id\"", "example.com", OUT_PROTOCOL, NULL, NULL },
	{ "result not a list", 200, OK("{}"), "example.com", OUT_PROTOCOL,
	    NULL, "HTTP 200: zone list is not an array" },
	{ "zone without id", 200, OK("[{\"name\":\"example.com\"}]"),
	    "example.com", OUT_PROTOCOL, NULL,
	    "HTTP 200: zone 0 has no usable id or name" },
	{ "zone id with a slash", 200, OK("[" ZONE("a/b", "example.com",
	    "active") "]"), "example.com", OUT_PROTOCOL, NULL, NULL },
	{ "errors not a list", 200, "{\"success\":true,\"errors\":{},"
	    "\"result\":[]}", "example.com", OUT_PROTOCOL, NULL, NULL },
};

static void
test_parse_zones(void **unused)
{
	const struct zcase	*c;
	char			*zone, *why;
	size_t			 i;

	(void)unused;
	for (i = 0; i < sizeof(zcases) / sizeof(zcases[0]); i++) {
		c = &zcases[i];
		print_message("zones: %s\n", c->what);
		zone = why = NULL;
		assert_int_equal(cf_parse_zones(c->status, c->body, c->name,
		    &zone, &why), c->out);
		if (c->zone != NULL)
			assert_string_equal(zone, c->zone);
		else
			assert_null(zone);
		if (c->out == OUT_CURRENT)
			assert_null(why);
		else
			assert_non_null(why);
		if (c->why != NULL)
			assert_string_equal(why, c->why);
		free(zone);
		free(why);
	}
}

/* ---- records ------------------------------------------------------------ */

struct rcase {
	const char	*what;
	long		 status;
	const char	*body;
	const char	*type;
	enum outcome	 out;
	size_t		 count;
	const char	*id, *content, *comment;
	long		 ttl;
	int		 proxied;
	const char	*why;
};

static const struct rcase rcases[] = {
	{ "none", 200, OK("[]"), "A", OUT_CURRENT, 0, NULL, NULL, NULL, 0,
	    -1, NULL },
	{ "one", 200, OK("[" REC(RID, "A", "home.example.com",
	    "198.51.100.4", "true", "120", "\"router\"") "]"), "A",
	    OUT_CURRENT, 1, RID, "198.51.100.4", "router", 120, 1, NULL },
	{ "one, comment null, ttl automatic", 200, OK("[" REC(RID, "A",
	    "home.example.com", "198.51.100.4", "false", "1", "null") "]"),
	    "A", OUT_CURRENT, 1, RID, "198.51.100.4", NULL, 1, 0, NULL },
	{ "two", 200, OK("[" REC(RID, "A", "home.example.com",
	    "198.51.100.4", "false", "1", "null") "," REC(RID2, "A",
	    "home.example.com", "198.51.100.5", "false", "1", "null") "]"),
	    "A", OUT_CURRENT, 2, RID, "198.51.100.4", NULL, 1, 0, NULL },
	{ "filters ignored: other names and types skipped", 200, OK("["
	    REC(RID2, "A", "nas.example.com", "198.51.100.5", "false", "1",
	    "null") "," REC(RID2, "AAAA", "home.example.com", "2001:db8::1",
	    "false", "1", "null") "," REC(RID, "A", "HOME.example.com",
	    "198.51.100.4", "false", "300", "null") "]"), "A", OUT_CURRENT, 1,
	    RID, "198.51.100.4", NULL, 300, 0, NULL },
	{ "AAAA", 200, OK("[" REC(RID, "AAAA", "home.example.com",
	    "2001:db8::1", "false", "1", "null") "]"), "AAAA", OUT_CURRENT,
	    1, RID, "2001:db8::1", NULL, 1, 0, NULL },
	{ "record without content", 200, OK("[{\"id\":\"" RID "\",\"type\":"
	    "\"A\",\"name\":\"home.example.com\"}]"), "A", OUT_PROTOCOL, 0,
	    NULL, NULL, NULL, 0, -1, NULL },
	{ "proxied not a bool", 200, OK("[" REC(RID, "A", "home.example.com",
	    "198.51.100.4", "\"yes\"", "1", "null") "]"), "A", OUT_PROTOCOL,
	    0, NULL, NULL, NULL, 0, -1, NULL },
	{ "record without a name", 200, OK("[{\"id\":\"" RID "\"}]"), "A",
	    OUT_PROTOCOL, 0, NULL, NULL, NULL, 0, -1,
	    "HTTP 200: record 0 has no name or type" },
	{ "bad token", 403, E9109, "A", OUT_AUTH, 0, NULL, NULL, NULL, 0, -1,
	    "HTTP 403: 9109 Invalid access token" },
	{ "throttled", 429, E971, "A", OUT_TEMPFAIL, 0, NULL, NULL, NULL, 0,
	    -1, NULL },
	{ "unknown zone id", 400, E7003, "A", OUT_CONFIG, 0, NULL, NULL, NULL,
	    0, -1, "HTTP 400: 7003 Could not route to /zones/abc/dns_records, "
	    "perhaps your object identifier is invalid?; 7000 No route for "
	    "that URI" },
	{ "server error", 500, "Internal Server Error", "A", OUT_TEMPFAIL, 0,
	    NULL, NULL, NULL, 0, -1, NULL },
	{ "malformed JSON", 200, "{\"success\":true,", "A", OUT_PROTOCOL, 0,
	    NULL, NULL, NULL, 0, -1, NULL },
	{ "200 with success false", 200, E9005, "A", OUT_PROTOCOL, 0, NULL,
	    NULL, NULL, 0, -1, NULL },
};

static void
test_parse_records(void **unused)
{
	const struct rcase	*c;
	struct cf_rec		 r;
	char			*why;
	size_t			 i, n;

	(void)unused;
	for (i = 0; i < sizeof(rcases) / sizeof(rcases[0]); i++) {
		c = &rcases[i];
		print_message("records: %s\n", c->what);
		why = NULL;
		n = 99;
		assert_int_equal(cf_parse_records(c->status, c->body,
		    "home.example.com", c->type, &r, &n, &why), c->out);
		assert_int_equal(n, c->count);
		if (c->out == OUT_CURRENT)
			assert_null(why);
		else
			assert_non_null(why);
		if (c->why != NULL)
			assert_string_equal(why, c->why);
		if (c->id != NULL) {
			assert_string_equal(r.id, c->id);
			assert_string_equal(r.content, c->content);
		} else {
			assert_null(r.id);
			assert_null(r.content);
		}
		if (c->comment != NULL)
			assert_string_equal(r.comment, c->comment);
		else
			assert_null(r.comment);
		assert_int_equal(r.ttl, c->ttl);
		assert_int_equal(r.proxied, c->proxied);
		cf_rec_free(&r);
		free(why);
	}
}

/* ---- writes ------------------------------------------------------------- */

struct wcase {
	const char	*what;
	long		 status;
	const char	*body;
	enum outcome	 out;
	const char	*id;
	const char	*why;
	int		 gone;		/* cf_gone() on the same reply */
};

static const struct wcase wcases[] = {
	{ "created", 200, OK(REC(RID, "A", "home.example.com", "203.0.113.7",
	    "false", "1", "null")), OUT_UPDATED, RID, NULL, 0 },
	{ "content refused", 400, E9005, OUT_CONFIG, NULL, "HTTP 400: 9005 "
	    "Content for A record must be a valid IPv4 address.", 0 },
	{ "record deleted by hand", 404, E81044, OUT_CONFIG, NULL,
	    "HTTP 404: 81044 Record does not exist.", 1 },
	{ "zone gone", 400, E7003, OUT_CONFIG, NULL, NULL, 1 },
	{ "404 page", 404, HTML, OUT_CONFIG, NULL, NULL, 1 },
	{ "bad token", 403, E9109, OUT_AUTH, NULL, NULL, 0 },
	{ "legacy key refused", 403, FAIL("[{\"code\":9103,\"message\":"
	    "\"Unknown X-Auth-Key or X-Auth-Email\"}]"), OUT_AUTH, NULL, NULL,
	    0 },
	{ "token lacks permission", 403, E10000, OUT_AUTH, NULL, NULL, 0 },
	{ "throttled", 429, E971, OUT_TEMPFAIL, NULL, NULL, 0 },
	{ "unavailable", 503, HTML, OUT_TEMPFAIL, NULL, NULL, 0 },
	{ "conflict", 409, FAIL("[{\"code\":81058,\"message\":\"An identical "
	    "record already exists.\"}]"), OUT_CONFIG, NULL, NULL, 0 },
	{ "teapot", 418, FAIL("[{\"code\":1,\"message\":\"?\"}]"),
	    OUT_PROTOCOL, NULL, NULL, 0 },
	{ "200 with success false", 200, E9005, OUT_PROTOCOL, NULL, NULL, 0 },
	{ "200 without result", 200, "{\"success\":true,\"errors\":[],"
	    "\"messages\":[]}", OUT_PROTOCOL, NULL,
	    "HTTP 200: the written record has no id", 0 },
	{ "200 garbage", 200, "OK", OUT_PROTOCOL, NULL, NULL, 0 },
};

static void
test_parse_write(void **unused)
{
	const struct wcase	*c;
	char			*id, *why;
	size_t			 i;

	(void)unused;
	for (i = 0; i < sizeof(wcases) / sizeof(wcases[0]); i++) {
		c = &wcases[i];
		print_message("write: %s\n", c->what);
		id = why = NULL;
		assert_int_equal(cf_parse_write(c->status, c->body, &id, &why),
		    c->out);
		if (c->id != NULL) {
			assert_string_equal(id, c->id);
			assert_null(why);
		} else {
			assert_null(id);
			assert_non_null(why);
		}
		if (c->why != NULL)
			assert_string_equal(why, c->why);
		assert_int_equal(cf_gone(c->status, c->body), c->gone);
		free(id);
		free(why);
	}
}

/* ---- bodies ------------------------------------------------------------- */

struct bcase {
	const char	*what;
	struct cf_want	 want;
	int		 have;		/* use .rec as the existing record */
	struct cf_rec	 rec;
	int		 n;
	const char	*body;
};

#define WANT(type, content, ttl, proxied, comment) \
	{ type, "home.example.com", content, ttl, proxied, comment }
#define HAVE(content, ttl, proxied, comment) \
	1, { RID, content, ttl, proxied, comment }

static const struct bcase bcases[] = {
	{ "create, defaults", WANT("A", "203.0.113.7", 0, -1, NULL), 0,
	    { 0 }, 5, "{\"content\":\"203.0.113.7\",\"name\":"
	    "\"home.example.com\",\"proxied\":false,\"ttl\":1,\"type\":\"A\"}" },
	{ "create, all configured", WANT("AAAA", "2001:db8::7", 300, 1,
	    "ddnsup"), 0, { 0 }, 6, "{\"comment\":\"ddnsup\",\"content\":"
	    "\"2001:db8::7\",\"name\":\"home.example.com\",\"proxied\":true,"
	    "\"ttl\":300,\"type\":\"AAAA\"}" },
	{ "create, proxied false configured", WANT("A", "203.0.113.7", 60, 0,
	    NULL), 0, { 0 }, 5, "{\"content\":\"203.0.113.7\",\"name\":"
	    "\"home.example.com\",\"proxied\":false,\"ttl\":60,\"type\":\"A\"}" },
	{ "current", WANT("A", "203.0.113.7", 0, -1, NULL),
	    HAVE("203.0.113.7", 120, 1, "mine"), 0, NULL },
	{ "current, configured fields equal", WANT("A", "203.0.113.7", 120,
	    1, "mine"), HAVE("203.0.113.7", 120, 1, "mine"), 0, NULL },
	{ "current, AAAA written differently", WANT("AAAA", "2001:db8::7", 0,
	    -1, NULL), HAVE("2001:DB8:0:0::7", 1, 0, NULL), 0, NULL },
	{ "address differs: keep proxied, ttl, comment", WANT("A",
	    "203.0.113.7", 0, -1, NULL), HAVE("198.51.100.1", 120, 1, "mine"),
	    1, "{\"content\":\"203.0.113.7\"}" },
	{ "ttl configured and differs", WANT("A", "203.0.113.7", 300, -1,
	    NULL), HAVE("203.0.113.7", 120, 0, NULL), 1, "{\"ttl\":300}" },
	{ "proxied: a configured ttl is moot", WANT("A", "203.0.113.7", 300,
	    -1, NULL), HAVE("203.0.113.7", 1, 1, NULL), 0, NULL },
	{ "proxied configured: ttl moot", WANT("A", "203.0.113.9", 300, 1,
	    NULL), HAVE("203.0.113.7", 1, 0, NULL), 2,
	    "{\"content\":\"203.0.113.9\",\"proxied\":true}" },
	{ "unproxied configured: ttl applies", WANT("A", "203.0.113.7", 300,
	    0, NULL), HAVE("203.0.113.7", 1, 1, NULL), 2,
	    "{\"proxied\":false,\"ttl\":300}" },
	{ "proxied configured and differs", WANT("A", "203.0.113.9", 0, 0,
	    NULL), HAVE("203.0.113.7", 1, 1, NULL), 2,
	    "{\"content\":\"203.0.113.9\",\"proxied\":false}" },
	{ "comment configured, none there", WANT("A", "203.0.113.7", 0, -1,
	    "ddnsup"), HAVE("203.0.113.7", 1, 0, NULL), 1,
	    "{\"comment\":\"ddnsup\"}" },
	{ "empty comment configured, none there", WANT("A", "203.0.113.7", 0,
	    -1, ""), HAVE("203.0.113.7", 1, 0, NULL), 0, NULL },
	{ "existing content not an address", WANT("A", "203.0.113.7", 0, -1,
	    NULL), HAVE("garbage", 1, 0, NULL), 1,
	    "{\"content\":\"203.0.113.7\"}" },
	/* The one-call update knows nothing of the record. */
	{ "unknown record", WANT("A", "203.0.113.7", 0, -1, NULL),
	    HAVE(NULL, 0, -1, NULL), 1, "{\"content\":\"203.0.113.7\"}" },
	{ "unknown record, all configured", WANT("A", "203.0.113.7", 60, 0,
	    "c\"q"), HAVE(NULL, 0, -1, NULL), 4, "{\"comment\":\"c\\\"q\","
	    "\"content\":\"203.0.113.7\",\"proxied\":false,\"ttl\":60}" },
	{ "unknown record, proxied configured", WANT("A", "203.0.113.7", 60,
	    1, NULL), HAVE(NULL, 0, -1, NULL), 2,
	    "{\"content\":\"203.0.113.7\",\"proxied\":true}" },
};

static void
test_build_body(void **unused)
{
	const struct bcase	*c;
	char			*body;
	size_t			 i;

	(void)unused;
	for (i = 0; i < sizeof(bcases) / sizeof(bcases[0]); i++) {
		c = &bcases[i];
		print_message("body: %s\n", c->what);
		body = (char *)"x";
		assert_int_equal(cf_build_body(&c->want, c->have ? &c->rec :
		    NULL, &body), c->n);
		if (c->body != NULL)
			assert_string_equal(body, c->body);
		else
			assert_null(body);
		free(body);
	}
}

/* ---- stored ids, the descriptor ----------------------------------------- */

static void
test_split_id(void **unused)
{
	static const struct {
		const char	*in, *zone, *rec;
	} t[] = {
		{ ZID "/" RID, ZID, RID },
		{ "z/r", "z", "r" },
		{ RID, NULL, NULL },
		{ "/" RID, NULL, NULL },
		{ ZID "/", NULL, NULL },
		{ ZID "/" RID "/x", NULL, NULL },
		{ "a b/c", NULL, NULL },
		{ "", NULL, NULL },
		{ NULL, NULL, NULL },
	};
	char	*z, *r;
	size_t	 i;

	(void)unused;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(cf_split_id(t[i].in, &z, &r),
		    t[i].zone ? 0 : -1);
		if (t[i].zone != NULL) {
			assert_string_equal(z, t[i].zone);
			assert_string_equal(r, t[i].rec);
		} else {
			assert_null(z);
			assert_null(r);
		}
		free(z);
		free(r);
	}
}

static void
test_descriptor(void **unused)
{
	const struct provider_key	*k;
	int				 secret = 0, seen = 0;

	(void)unused;
	assert_ptr_equal(provider_find("cloudflare"), &provider_cloudflare);
	for (k = provider_cloudflare.keys; k->name != NULL; k++) {
		seen++;
		if (k[1].name != NULL)
			assert_true(strcmp(k->name, k[1].name) < 0);
		/* Nothing is required: token or email + api_key will do. */
		assert_false(k->flags & KEY_REQUIRED);
		if (strcmp(k->name, "token") == 0 ||
		    strcmp(k->name, "api_key") == 0) {
			assert_true(k->flags & KEY_SECRET);
			secret++;
		}
		if (strcmp(k->name, "proxied") == 0)
			assert_true(k->flags & KEY_BOOL);
	}
	assert_int_equal(secret, 2);
	assert_int_equal(seen, 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_zones),
		cmocka_unit_test(test_parse_records),
		cmocka_unit_test(test_parse_write),
		cmocka_unit_test(test_build_body),
		cmocka_unit_test(test_split_id),
		cmocka_unit_test(test_descriptor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
