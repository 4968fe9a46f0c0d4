/*
 * Huawei Cloud provider: the SDK-HMAC-SHA256 signer against the vendor's
 * published example (ref/PROVIDERS.md), more signatures computed with an
 * independent implementation of the official SDK's signer (Python, the
 * apig-sdk algorithm: unquote, split, quote(safe='~')), and the pure reply
 * parsers fed replies shaped like the DNS API reference's examples.
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/huaweicloud.h"

#define ZID	"ff8080826a5a2ba8016a5a2e7ae10001"
#define RID	"ff8080826a5a2ba8016a5a2e7ae10002"
#define EMPTY	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* ---- the signer ---------------------------------------------------------- */

struct scase {
	const char	*what;
	const char	*method;
	const char	*url;
	const char	*hdrs[5];
	const char	*body;
	const char	*ak, *sk;
	const char	*creq;		/* expected canonical request */
	const char	*auth;		/* expected Authorization */
};

#define HWH	"Host: dns.cn-north-4.myhuaweicloud.com"
#define CT	"Content-Type: application/json"
#define DATE	"X-Sdk-Date: 20260101T000000Z"
#define AK	"AK1234"
#define SK	"sk/with+odd=chars"

static const struct scase scases[] = {
	{ "the published example", "GET",
	    "https://service.region.example.com/v1/"
	    "77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&"
	    "marker=13551d6b-755d-4757-b956-536f674975c0",
	    { CT, "Host: service.region.example.com",
	    "X-Sdk-Date: 20191115T033655Z", NULL }, NULL,
	    "QTWAOYTTINDUT2QVKYUC", "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
	    "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\n"
	    "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n"
	    "content-type:application/json\n"
	    "host:service.region.example.com\n"
	    "x-sdk-date:20191115T033655Z\n\n"
	    "content-type;host;x-sdk-date\n" EMPTY,
	    "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, "
	    "SignedHeaders=content-type;host;x-sdk-date, "
	    "Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d68"
	    "70f4f6ebe" },
	{ "zone list, query unsorted", "GET",
	    "https://dns.cn-north-4.myhuaweicloud.com/v2/zones?type=public&"
	    "name=example.com.", { CT, HWH, DATE, NULL }, NULL, AK, SK,
	    "GET\n/v2/zones/\nname=example.com.&type=public\n"
	    "content-type:application/json\n"
	    "host:dns.cn-north-4.myhuaweicloud.com\n"
	    "x-sdk-date:20260101T000000Z\n\n"
	    "content-type;host;x-sdk-date\n" EMPTY,
	    "SDK-HMAC-SHA256 Access=AK1234, SignedHeaders=content-type;host;"
	    "x-sdk-date, Signature=d1790c757e307f8f853fbc082150ab9fd258534aec6"
	    "5cb978b716cbc4ce2d55b" },
	{ "wildcard name, project header", "GET",
	    "https://dns.cn-north-4.myhuaweicloud.com/v2/zones/" ZID
	    "/recordsets?name=%2A.example.com.&type=AAAA",
	    { CT, HWH, DATE, "X-Project-Id: 0123456789abcdef0123456789abcdef",
	    NULL }, NULL, AK, SK,
	    "GET\n/v2/zones/" ZID "/recordsets/\n"
	    "name=%2A.example.com.&type=AAAA\n"
	    "content-type:application/json\n"
	    "host:dns.cn-north-4.myhuaweicloud.com\n"
	    "x-project-id:0123456789abcdef0123456789abcdef\n"
	    "x-sdk-date:20260101T000000Z\n\n"
	    "content-type;host;x-project-id;x-sdk-date\n" EMPTY,
	    "SDK-HMAC-SHA256 Access=AK1234, SignedHeaders=content-type;host;"
	    "x-project-id;x-sdk-date, Signature=e09cf1de5f97832b618736fd717809"
	    "59c7c0fa86f54520b795d3aa4ead0e48f7" },
	{ "non-ASCII, space, ~ and * in path and query; header trimmed",
	    "GET", "http://127.0.0.1:8080/pre%20fix/v2/zones?"
	    "name=%E4%BE%8B%E5%AD%90.%E4%B8%AD%E5%9B%BD.&type=public&"
	    "x=a%20b~c*d", { "content-type:  application/json ",
	    "Host: 127.0.0.1:8080", DATE, NULL }, NULL, AK, SK,
	    "GET\n/pre%20fix/v2/zones/\n"
	    "name=%E4%BE%8B%E5%AD%90.%E4%B8%AD%E5%9B%BD.&type=public&"
	    "x=a%20b~c%2Ad\n"
	    "content-type:application/json\nhost:127.0.0.1:8080\n"
	    "x-sdk-date:20260101T000000Z\n\n"
	    "content-type;host;x-sdk-date\n" EMPTY,
	    "SDK-HMAC-SHA256 Access=AK1234, SignedHeaders=content-type;host;"
	    "x-sdk-date, Signature=579a9b8a0014cb0b7821a42b49b69079bb148256a6c"
	    "11a7efabfc883b41e77c3" },
	{ "POST with a body", "POST",
	    "https://dns.ap-southeast-1.myhuaweicloud.com/v2/zones/" ZID
	    "/recordsets", { CT, "Host: dns.ap-southeast-1.myhuaweicloud.com",
	    DATE, NULL }, "{\"name\":\"home.example.com.\",\"type\":\"A\","
	    "\"records\":[\"203.0.113.7\"],\"ttl\":300}", AK, SK,
	    "POST\n/v2/zones/" ZID "/recordsets/\n\n"
	    "content-type:application/json\n"
	    "host:dns.ap-southeast-1.myhuaweicloud.com\n"
	    "x-sdk-date:20260101T000000Z\n\n"
	    "content-type;host;x-sdk-date\n"
	    "4f6b213f296ecfec6c8a2b57641ed7fff2b4140dba6bd45cf173df458095b798",
	    "SDK-HMAC-SHA256 Access=AK1234, SignedHeaders=content-type;host;"
	    "x-sdk-date, Signature=31c2f6c6b49640b45cfc7d14c0d8926436e4f2601ff"
	    "d2289a999230f22f802eb" },
	{ "PUT, IPv6 host, UTF-8 body", "PUT",
	    "https://[::1]:4443/v2/zones/z1/recordsets/r1",
	    { CT, "Host: [::1]:4443", DATE, NULL },
	    "{\"name\":\"\xe4\xbe\x8b\xe5\xad\x90.example.com.\",\"type\":"
	    "\"A\",\"records\":[\"203.0.113.7\"]}", AK, SK,
	    "PUT\n/v2/zones/z1/recordsets/r1/\n\n"
	    "content-type:application/json\nhost:[::1]:4443\n"
	    "x-sdk-date:20260101T000000Z\n\n"
	    "content-type;host;x-sdk-date\n"
	    "d70ec661cf02d075f5845f4dd37494ba31367e9a9fe3680ebcb25a2fd0b6905c",
	    "SDK-HMAC-SHA256 Access=AK1234, SignedHeaders=content-type;host;"
	    "x-sdk-date, Signature=184817fb0989812f10f2ce63d8e55139423443f440f"
	    "bb4ef3cc91df7d5a819db" },
};

static void
test_sign(void **unused)
{
	const struct scase	*c;
	char			*creq, *sh, *auth;
	size_t			 i, bl;

	(void)unused;
	for (i = 0; i < sizeof(scases) / sizeof(scases[0]); i++) {
		c = &scases[i];
		print_message("sign: %s\n", c->what);
		bl = c->body != NULL ? strlen(c->body) : 0;
		creq = hw_canonical_request(c->method, c->url, c->hdrs,
		    c->body, bl, &sh);
		assert_non_null(creq);
		assert_string_equal(creq, c->creq);
		auth = hw_sign(c->method, c->url, c->hdrs, c->body, bl, c->ak,
		    c->sk);
		assert_non_null(auth);
		assert_string_equal(auth, c->auth);
		free(creq);
		free(sh);
		free(auth);
	}
}

static void
test_sign_refuses(void **unused)
{
	const char	*nodate[] = { CT, HWH, NULL };
	const char	*bad[] = { CT, "no colon", DATE, NULL };
	const char	*dateonly[] = { DATE, NULL };
	char		*sh, *c;

	(void)unused;
	assert_null(hw_sign("GET", "https://h/v2/zones", nodate, NULL, 0, AK,
	    SK));
	assert_null(hw_sign("GET", "https://h/v2/zones", bad, NULL, 0, AK,
	    SK));
	assert_null(hw_canonical_request("GET", "no-scheme/v2", nodate, NULL,
	    0, &sh));
	assert_null(sh);
	/* No path at all: "/"; the method upper-cased. */
	c = hw_canonical_request("get", "https://h", dateonly, NULL, 0, &sh);
	assert_string_equal(c, "GET\n/\n\nx-sdk-date:20260101T000000Z\n\n"
	    "x-sdk-date\n" EMPTY);
	assert_string_equal(sh, "x-sdk-date");
	free(c);
	free(sh);
}

/* ---- errors -------------------------------------------------------------- */

struct ecase {
	const char	*what;
	long		 status;
	const char	*body;
	enum outcome	 out;
	int		 throttled;
	const char	*code;
	const char	*why;
};

#define APIGW(code, msg) "{\"error_msg\":\"" msg "\",\"error_code\":\"" code \
	"\",\"request_id\":\"2c0d3c5e1d0a4a7f9c1b6e3b1d2a9f00\"}"
#define DNSE(code, msg) "{\"code\":\"" code "\",\"message\":\"" msg "\"}"

static const struct ecase ecases[] = {
	{ "signature refused", 401, APIGW("APIGW.0301", "Incorrect IAM "
	    "authentication information: verify aksk signature fail"),
	    OUT_AUTH, 0, "APIGW.0301", "HTTP 401: APIGW.0301 Incorrect IAM "
	    "authentication information: verify aksk signature fail (check "
	    "access_key and secret_key (and the clock: the signature includes "
	    "the time))" },
	{ "app auth refused", 401, APIGW("APIGW.0303", "Incorrect app "
	    "authentication information"), OUT_AUTH, 0, "APIGW.0303", NULL },
	{ "no such API", 404, APIGW("APIGW.0101", "The API does not exist or "
	    "has not been published in the environment"), OUT_CONFIG, 0,
	    "APIGW.0101", NULL },
	{ "DNS auth code", 401, DNSE("DNS.0005", "Authentication failed."),
	    OUT_AUTH, 0, "DNS.0005", NULL },
	{ "policy refuses", 403, DNSE("DNS.0030", "Policy doesn't allow "
	    "dns:recordset:create to be performed."), OUT_AUTH, 0, "DNS.0030",
	    "HTTP 403: DNS.0030 Policy doesn't allow dns:recordset:create to be "
	    "performed. (the IAM user needs the DNS FullAccess policy, or "
	    "dns:zone:list, dns:recordset:list, dns:recordset:create and "
	    "dns:recordset:update)" },
	{ "bare 403", 403, "<html>forbidden</html>", OUT_AUTH, 0, NULL, NULL },
	{ "gateway throttle", 429, APIGW("APIGW.0308", "The throttling "
	    "threshold has been reached"), OUT_TEMPFAIL, 1, "APIGW.0308",
	    "HTTP 429: APIGW.0308 The throttling threshold has been reached" },
	{ "DNS flow control", 400, DNSE("DNS.0014", "Flow control."),
	    OUT_TEMPFAIL, 1, "DNS.0014", NULL },
	{ "bare 429", 429, "", OUT_TEMPFAIL, 1, NULL,
	    "HTTP 429 (no Huawei Cloud error in the reply)" },
	{ "not found", 404, DNSE("DNS.0004", "The resource does not exist."),
	    OUT_CONFIG, 0, "DNS.0004", NULL },
	{ "not found code on 400", 400, DNSE("DNS.0004", "Zone not found."),
	    OUT_CONFIG, 0, "DNS.0004", NULL },
	{ "server error", 500, DNSE("DNS.0001", "Internal\\nerror"),
	    OUT_TEMPFAIL, 0, "DNS.0001", "HTTP 500: DNS.0001 Internal?error" },
	{ "gateway page", 502, "<html>Bad Gateway</html>", OUT_TEMPFAIL, 0,
	    NULL, "HTTP 502 (no Huawei Cloud error in the reply)" },
	{ "unknown 400", 400, DNSE("DNS.0303", "Invalid TTL."), OUT_PROTOCOL,
	    0, "DNS.0303", "HTTP 400: DNS.0303 Invalid TTL." },
	{ "no body", 409, NULL, OUT_PROTOCOL, 0, NULL, NULL },
};

static void
test_errors(void **unused)
{
	const struct ecase	*c;
	char			*code, *why;
	size_t			 i;
	int			 thr;

	(void)unused;
	for (i = 0; i < sizeof(ecases) / sizeof(ecases[0]); i++) {
		c = &ecases[i];
		print_message("error: %s\n", c->what);
		code = why = NULL;
		thr = -1;
		assert_int_equal(hw_error(c->status, c->body, &code, &thr,
		    &why), c->out);
		assert_int_equal(thr, c->throttled);
		if (c->code != NULL)
			assert_string_equal(code, c->code);
		else
			assert_null(code);
		assert_non_null(why);
		if (c->why != NULL)
			assert_string_equal(why, c->why);
		if (c->out == OUT_AUTH)
			assert_non_null(strstr(why, "("));
		free(code);
		free(why);
	}
}

/* ---- zones --------------------------------------------------------------- */

#define ZONE(id, name, type) "{\"id\":\"" id "\",\"name\":\"" name "\"," \
	"\"description\":\"This is a zone.\",\"email\":\"xx@example.com\"," \
	"\"ttl\":300,\"serial\":1,\"masters\":[],\"status\":\"ACTIVE\"," \
	"\"pool_id\":\"00000000570e54ee01570e9939b20019\",\"project_id\":" \
	"\"e55c6f3dc4e34c9f86353b664ae0e70c\",\"zone_type\":\"" type "\"," \
	"\"created_at\":\"2016-11-17T11:56:03.439\",\"updated_at\":" \
	"\"2016-11-17T11:56:05.528\",\"record_num\":2}"
#define ZONES(list, n) "{\"links\":{\"self\":\"https://Endpoint/v2/zones?" \
	"type=public&limit=11\"},\"zones\":[" list "],\"metadata\":" \
	"{\"total_count\":" n "}}"

struct zcase {
	const char	*what;
	long		 status;
	const char	*body;
	const char	*zone;
	enum outcome	 out;
	const char	*id;
};

static const struct zcase zcases[] = {
	{ "found", 200, ZONES(ZONE(ZID, "example.com.", "public"), "1"),
	    "example.com", OUT_CURRENT, ZID },
	{ "found, case differs", 200, ZONES(ZONE(ZID, "Example.COM.",
	    "public"), "1"), "example.com", OUT_CURRENT, ZID },
	{ "fuzzy match only", 200, ZONES(ZONE(RID, "myexample.com.", "public")
	    "," ZONE(ZID, "example.com.cn.", "public"), "2"), "example.com",
	    OUT_CURRENT, NULL },
	{ "fuzzy first, then exact", 200, ZONES(ZONE(RID, "myexample.com.",
	    "public") "," ZONE(ZID, "example.com.", "public"), "2"),
	    "example.com", OUT_CURRENT, ZID },
	{ "private zone skipped", 200, ZONES(ZONE(RID, "example.com.",
	    "private"), "1"), "example.com", OUT_CURRENT, NULL },
	{ "empty", 200, ZONES("", "0"), "example.com", OUT_CURRENT, NULL },
	{ "refused", 401, APIGW("APIGW.0301", "Incorrect IAM authentication "
	    "information: verify aksk signature fail"), "example.com",
	    OUT_AUTH, NULL },
	{ "garbage", 200, "<html>Welcome to nginx!</html>", "example.com",
	    OUT_PROTOCOL, NULL },
	{ "no list", 200, "{\"links\":{}}", "example.com", OUT_PROTOCOL,
	    NULL },
	{ "bad id", 200, ZONES(ZONE("a/b", "example.com.", "public"), "1"),
	    "example.com", OUT_PROTOCOL, NULL },
	{ "empty body", 200, "", "example.com", OUT_PROTOCOL, NULL },
};

static void
test_zones(void **unused)
{
	const struct zcase	*c;
	char			*id, *why;
	size_t			 i;

	(void)unused;
	for (i = 0; i < sizeof(zcases) / sizeof(zcases[0]); i++) {
		c = &zcases[i];
		print_message("zones: %s\n", c->what);
		id = why = NULL;
		assert_int_equal(hw_parse_zones(c->status, c->body, c->zone,
		    &id, &why), c->out);
		if (c->id != NULL)
			assert_string_equal(id, c->id);
		else
			assert_null(id);
		if (c->out == OUT_CURRENT)
			assert_null(why);
		else
			assert_non_null(why);
		free(id);
		free(why);
	}
}

/* ---- record sets --------------------------------------------------------- */

#define RS(id, name, type, ttl, recs) "{\"id\":\"" id "\",\"name\":\"" name \
	"\",\"description\":null,\"zone_id\":\"" ZID "\",\"zone_name\":" \
	"\"example.com.\",\"type\":\"" type "\",\"ttl\":" ttl ",\"records\":" \
	"[" recs "],\"create_at\":\"2017-11-09T11:14:17.000\",\"update_at\":" \
	"\"2017-11-09T11:14:17.000\",\"status\":\"ACTIVE\",\"default\":false," \
	"\"project_id\":\"e55c6f3dc4e34c9f86353b664ae0e70c\",\"links\":" \
	"{\"self\":\"https://Endpoint/v2/zones/" ZID "/recordsets/" id "\"}}"
#define RSL(list) "{\"links\":{\"self\":\"https://Endpoint/v2/recordsets\"}," \
	"\"recordsets\":[" list "],\"metadata\":{\"total_count\":1}}"

struct rcase {
	const char	*what;
	long		 status;
	const char	*body;
	enum outcome	 out;
	size_t		 count;
	const char	*id;
	long		 ttl;
	size_t		 nvalues;
};

static const struct rcase rcases[] = {
	{ "one", 200, RSL(RS(RID, "home.example.com.", "A", "300",
	    "\"198.51.100.1\"")), OUT_CURRENT, 1, RID, 300, 1 },
	{ "fuzzy neighbours", 200, RSL(RS(ZID, "nas.home.example.com.", "A",
	    "300", "\"198.51.100.2\"") "," RS(RID, "HOME.example.com.", "A",
	    "600", "\"198.51.100.1\",\"198.51.100.3\"")), OUT_CURRENT, 1, RID,
	    600, 2 },
	{ "other type ignored", 200, RSL(RS(RID, "home.example.com.", "AAAA",
	    "300", "\"2001:db8::1\"")), OUT_CURRENT, 0, NULL, 0, 0 },
	{ "two sets", 200, RSL(RS(RID, "home.example.com.", "A", "300",
	    "\"198.51.100.1\"") "," RS(ZID, "home.example.com.", "A", "300",
	    "\"198.51.100.2\"")), OUT_CURRENT, 2, RID, 300, 1 },
	{ "none", 200, RSL(""), OUT_CURRENT, 0, NULL, 0, 0 },
	{ "records not strings", 200, RSL(RS(RID, "home.example.com.", "A",
	    "300", "1")), OUT_PROTOCOL, 0, NULL, 0, 0 },
	{ "no name", 200, RSL("{\"id\":\"x\"}"), OUT_PROTOCOL, 0, NULL, 0, 0 },
	{ "throttled", 429, APIGW("APIGW.0308", "The throttling threshold "
	    "has been reached"), OUT_TEMPFAIL, 0, NULL, 0, 0 },
	{ "zone gone", 404, DNSE("DNS.0004", "The zone does not exist."),
	    OUT_CONFIG, 0, NULL, 0, 0 },
};

static void
test_recordsets(void **unused)
{
	const struct rcase	*c;
	struct hw_rec		 r;
	char			*why;
	size_t			 i, n;

	(void)unused;
	for (i = 0; i < sizeof(rcases) / sizeof(rcases[0]); i++) {
		c = &rcases[i];
		print_message("recordsets: %s\n", c->what);
		why = NULL;
		assert_int_equal(hw_parse_recordsets(c->status, c->body,
		    "home.example.com.", "A", &r, &n, &why), c->out);
		assert_int_equal(n, c->count);
		if (c->id != NULL) {
			assert_string_equal(r.id, c->id);
			assert_int_equal(r.ttl, c->ttl);
			assert_int_equal(r.nvalues, c->nvalues);
			assert_null(r.values[r.nvalues]);
		} else
			assert_null(r.id);
		if (c->out == OUT_CURRENT)
			assert_null(why);
		else
			assert_non_null(why);
		hw_rec_free(&r);
		free(why);
	}
}

static void
test_current(void **unused)
{
	char		*one[] = { "198.51.100.1", NULL };
	char		*two[] = { "198.51.100.1", "198.51.100.2", NULL };
	char		*v6[] = { "2001:DB8:0::1", NULL };
	struct hw_rec	 r = { "x", 300, one, 1 };

	(void)unused;
	assert_true(hw_rec_current(&r, "198.51.100.1", 0));
	assert_true(hw_rec_current(&r, "198.51.100.1", 300));
	assert_false(hw_rec_current(&r, "198.51.100.1", 600));
	assert_false(hw_rec_current(&r, "198.51.100.2", 0));
	r.values = two;
	r.nvalues = 2;
	assert_false(hw_rec_current(&r, "198.51.100.1", 0));
	r.values = v6;
	r.nvalues = 1;
	assert_true(hw_rec_current(&r, "2001:db8::1", 0));
	r.nvalues = 0;
	assert_false(hw_rec_current(&r, "2001:db8::1", 0));
}

static void
test_write_and_body(void **unused)
{
	char	*id, *why, *b;

	(void)unused;
	assert_int_equal(hw_parse_write(202, RS(RID, "home.example.com.", "A",
	    "300", "\"203.0.113.7\""), &id, &why), OUT_UPDATED);
	assert_string_equal(id, RID);
	assert_null(why);
	free(id);
	assert_int_equal(hw_parse_write(202, "{\"status\":\"PENDING_CREATE\"}",
	    &id, &why), OUT_PROTOCOL);
	assert_null(id);
	free(why);
	assert_int_equal(hw_parse_write(202, "not json", &id, &why),
	    OUT_PROTOCOL);
	free(why);
	assert_int_equal(hw_parse_write(400, DNSE("DNS.0312", "The record "
	    "set already exists."), &id, &why), OUT_PROTOCOL);
	assert_string_equal(why, "HTTP 400: DNS.0312 The record set already "
	    "exists.");
	free(why);

	b = hw_build_body("home.example.com", "A", 300, "203.0.113.7");
	assert_string_equal(b, "{\"name\":\"home.example.com.\",\"type\":"
	    "\"A\",\"records\":[\"203.0.113.7\"],\"ttl\":300}");
	free(b);
	b = hw_build_body("example.com.", "AAAA", 0, "2001:db8::7");
	assert_string_equal(b, "{\"name\":\"example.com.\",\"type\":\"AAAA\","
	    "\"records\":[\"2001:db8::7\"]}");
	free(b);
}

static void
test_split_id(void **unused)
{
	char	*z, *r;

	(void)unused;
	assert_int_equal(hw_split_id(ZID "/" RID, &z, &r), 0);
	assert_string_equal(z, ZID);
	assert_string_equal(r, RID);
	free(z);
	free(r);
	assert_int_equal(hw_split_id("nope", &z, &r), -1);
	assert_int_equal(hw_split_id("/x", &z, &r), -1);
	assert_int_equal(hw_split_id("a/b/c", &z, &r), -1);
	assert_int_equal(hw_split_id("a/../b", &z, &r), -1);
	assert_int_equal(hw_split_id(NULL, &z, &r), -1);
	assert_null(z);
	assert_null(r);
}

static void
test_descriptor(void **unused)
{
	const struct provider	*p = provider_find("huaweicloud");
	json_t			*o;
	struct record		 rec;
	char			*why;

	(void)unused;
	assert_non_null(p);
	assert_non_null(p->check);
	memset(&rec, 0, sizeof(rec));
	rec.name = "home.example.com";
	rec.opts = o = json_object();
	assert_null(p->check(&rec));
	json_object_set_new(o, "region", json_string("ap-southeast-1"));
	assert_null(p->check(&rec));
	json_object_set_new(o, "region", json_string("CN North"));
	assert_non_null(why = p->check(&rec));
	free(why);
	json_object_del(o, "region");
	json_object_set_new(o, "endpoint", json_string("ftp://x"));
	assert_non_null(why = p->check(&rec));
	free(why);
	json_object_set_new(o, "endpoint", json_string("https://127.0.0.1:1"));
	assert_null(p->check(&rec));
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign),
		cmocka_unit_test(test_sign_refuses),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_zones),
		cmocka_unit_test(test_recordsets),
		cmocka_unit_test(test_current),
		cmocka_unit_test(test_write_and_body),
		cmocka_unit_test(test_split_id),
		cmocka_unit_test(test_descriptor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
