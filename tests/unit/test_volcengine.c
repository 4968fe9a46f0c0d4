/*
 * Volcengine TrafficRoute DNS: the HMAC-SHA256 signer against the
 * vendor's published worked example, request bodies and reply parsing
 * fed replies shaped like the API's documents.
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/volcengine.h"

/*
 * Published: the signature example of https://www.volcengine.com/docs/
 * 6369/67270 (IAM ListUsers, 2020-12-30T08:18:05Z), whose AK, SK,
 * canonical request, string to sign and Authorization the page prints.
 */
#define V_AK	"AKLTMjI2ODVlYzI3ZGY1NGU4ZjhjYWRjMTlmNTM5OTZkYzE"
#define V_SK	"TnpCak5XWXpZV1U0WkRaaE5ERmxaR0ZpTmpjeVkyUXlZek0wTWpJMU1qWQ=="
#define V_HOST	"iam.volcengineapi.com"
#define V_QUERY	"Action=ListUsers&Limit=10&Offset=0&Version=2018-01-01"
#define V_CTYPE	"application/x-www-form-urlencoded; charset=utf-8"
#define V_TS	1609316285	/* 20201230T081805Z */
#define V_SIG	"28eeabbbd726b87002e0fe58ad8c1c768e619b06e2646f35b6ad7ed029a6d8a7"
#define V_AUTH	"HMAC-SHA256 Credential=" V_AK "/20201230/cn-north-1/iam/" \
	"request, SignedHeaders=content-type;host;x-content-sha256;x-date, " \
	"Signature=" V_SIG

/*
 * Not published: computed independently with Python's hashlib/hmac from
 * the documented algorithm (the same code as tests/integration/
 * mock_volcengine.py), for a DNS POST with a Chinese line and a wildcard
 * host, and a GET whose query needs percent-encoding.
 */
#define DIANXIN	"\xe7\x94\xb5\xe4\xbf\xa1"	/* 电信 */
#define P_TS	1763900000
#define P_BODY	"{\"ZID\":123,\"Host\":\"*.dyn\",\"Type\":\"A\"," \
	"\"Value\":\"203.0.113.7\",\"Line\":\"" DIANXIN "\",\"TTL\":600}"
#define P_SIG	"a6ccd834f0ea9bc358f2cbcd87d94851847983eb5174cfc50254ccaa17c70290"
#define P_QUERY	"Action=ListRecords&Host=%2A.a%20b~&PageSize=500&" \
	"SearchMode=exact&Type=A&Version=2018-08-01&ZID=123"
#define P_GSIG	"62f267ca6b13053033b7699b11f180820c41d39e42c21a4cd949834a2fbb0fa0"

static void
test_published_vector(void **st)
{
	char	 sig[65];
	char	*auth;

	(void)st;
	assert_int_equal(volc_sign(V_SK, "cn-north-1", "iam", "GET", V_HOST,
	    V_QUERY, V_CTYPE, "", 0, V_TS, sig), 0);
	assert_string_equal(sig, V_SIG);
	/* A NULL body is the empty payload. */
	assert_int_equal(volc_sign(V_SK, "cn-north-1", "iam", "GET", V_HOST,
	    V_QUERY, V_CTYPE, NULL, 0, V_TS, sig), 0);
	assert_string_equal(sig, V_SIG);
	auth = volc_authorization(V_AK, V_SK, "cn-north-1", "iam", "GET",
	    V_HOST, V_QUERY, V_CTYPE, NULL, 0, V_TS);
	assert_non_null(auth);
	assert_string_equal(auth, V_AUTH);
	free(auth);
}

/* The example's query, built from its parameters in any order. */
static void
test_canonical_query(void **st)
{
	const char	*kv[] = { "Version", "2018-01-01", "Offset", "0",
	    "Action", "ListUsers", "Limit", "10", NULL };
	const char	*kv2[] = { "ZID", "123", "Type", "A", "Host",
	    "*.a b~", "SearchMode", "exact", "PageSize", "500", "Action",
	    "ListRecords", "Version", "2018-08-01", NULL };
	char		*q;

	(void)st;
	q = crypto_canonical_query(kv);
	assert_string_equal(q, V_QUERY);
	free(q);
	q = crypto_canonical_query(kv2);
	assert_string_equal(q, P_QUERY);
	free(q);
}

/* Header values are trimmed, not lower-cased; method and query count. */
static void
test_canonical_values(void **st)
{
	char	 sig[65];

	(void)st;
	assert_int_equal(volc_sign(V_SK, "cn-north-1", "iam", "GET",
	    " " V_HOST "\t", V_QUERY, " " V_CTYPE " ", "", 0, V_TS, sig), 0);
	assert_string_equal(sig, V_SIG);
	assert_int_equal(volc_sign(V_SK, "cn-north-1", "iam", "GET",
	    "IAM.volcengineapi.com", V_QUERY, V_CTYPE, "", 0, V_TS, sig), 0);
	assert_string_not_equal(sig, V_SIG);
	assert_int_equal(volc_sign(V_SK, "cn-north-1", "iam", "POST", V_HOST,
	    V_QUERY, V_CTYPE, "", 0, V_TS, sig), 0);
	assert_string_not_equal(sig, V_SIG);
	assert_int_equal(volc_sign(V_SK, "cn-north-1", "iam", "GET", V_HOST,
	    "Action=ListUsers&Version=2018-01-01", V_CTYPE, "", 0, V_TS, sig),
	    0);
	assert_string_not_equal(sig, V_SIG);
	assert_int_equal(volc_sign(V_SK, "cn-beijing", "iam", "GET", V_HOST,
	    V_QUERY, V_CTYPE, "", 0, V_TS, sig), 0);
	assert_string_not_equal(sig, V_SIG);
}

/* Independently computed vectors for the DNS calls ddnsup makes. */
static void
test_dns_vectors(void **st)
{
	char	 sig[65];
	char	*body;

	(void)st;
	body = volc_body_write("123", "*.dyn", "A", DIANXIN, "203.0.113.7",
	    600, NULL);
	assert_non_null(body);
	assert_string_equal(body, P_BODY);
	assert_int_equal(volc_sign(V_SK, "cn-north-1", "DNS", "POST",
	    "open.volcengineapi.com", "Action=CreateRecord&Version=2018-08-01",
	    VOLC_CTYPE, body, strlen(body), P_TS, sig), 0);
	assert_string_equal(sig, P_SIG);
	free(body);
	assert_int_equal(volc_sign(V_SK, "cn-north-1", "DNS", "GET",
	    "open.volcengineapi.com", P_QUERY, VOLC_CTYPE, NULL, 0, P_TS, sig),
	    0);
	assert_string_equal(sig, P_GSIG);
}

static void
test_bodies(void **st)
{
	char	*s;

	(void)st;
	s = volc_body_write("42", "@", "AAAA", "default", "2001:db8::1", 0,
	    NULL);
	assert_string_equal(s, "{\"ZID\":42,\"Host\":\"@\",\"Type\":\"AAAA\","
	    "\"Value\":\"2001:db8::1\",\"Line\":\"default\"}");
	free(s);
	s = volc_body_write(NULL, "home", "A", "default", "203.0.113.8", 300,
	    "9079256848778957482");
	assert_string_equal(s, "{\"RecordID\":\"9079256848778957482\","
	    "\"Host\":\"home\",\"Type\":\"A\",\"Value\":\"203.0.113.8\","
	    "\"Line\":\"default\",\"TTL\":300}");
	free(s);
	assert_null(volc_body_write("12a", "home", "A", "default", "1.2.3.4",
	    0, NULL));
	assert_null(volc_body_write("", "home", "A", "default", "1.2.3.4", 0,
	    NULL));
	assert_null(volc_body_write("-1", "home", "A", "default", "1.2.3.4",
	    0, NULL));
}

/* One reply and what volc_reply() must make of it. */
struct reply_case {
	long		 status;
	const char	*body;
	enum outcome	 out;
	const char	*code;		/* NULL: none expected */
	const char	*why;		/* substring of *why, or NULL */
	long		 retry;
	int		 hold;
};

#define ERR(c, m) "{\"ResponseMetadata\":{\"RequestId\":\"2023\"," \
	"\"Action\":\"ListZones\",\"Version\":\"2018-08-01\",\"Service\":" \
	"\"DNS\",\"Region\":\"cn-north-1\",\"Error\":{\"CodeN\":100010," \
	"\"Code\":\"" c "\",\"Message\":\"" m "\"}}}"

static const struct reply_case replies[] = {
	{ 401, ERR("SignatureDoesNotMatch", "The request signature we "
	    "calculated does not match"), OUT_AUTH, "SignatureDoesNotMatch",
	    "SignatureDoesNotMatch: The request signature we calculated does "
	    "not match (check access_key and secret_key", 0, 1 },
	{ 401, ERR("InvalidAccessKey", "The accesskey [x] included in the "
	    "request is invalid."), OUT_AUTH, "InvalidAccessKey", "access_key",
	    0, 1 },
	{ 403, ERR("AccessDenied", "User is not authorized to perform: "
	    "dns:CreateRecord"), OUT_AUTH, "AccessDenied",
	    "DNSFullAccess", 0, 1 },
	{ 400, ERR("InvalidTimestamp", "The Signature of the request is "
	    "expired."), OUT_AUTH, "InvalidTimestamp", "clock", 0, 0 },
	{ 429, ERR("AccountFlowLimitExceeded", "flow limit"), OUT_TEMPFAIL,
	    "AccountFlowLimitExceeded", "AccountFlowLimitExceeded", 60, 0 },
	{ 429, "", OUT_TEMPFAIL, NULL, "HTTP 429", 60, 0 },
	{ 400, ERR("ErrZoneNotFound", "zone not found"), OUT_CONFIG,
	    "ErrZoneNotFound", "is the domain in this account", 0, 1 },
	{ 409, ERR("ErrDBDuplicated", "duplicated: record"), OUT_CONFIG,
	    "ErrDBDuplicated", "duplicated", 0, 1 },
	{ 400, ERR("ErrParamInvalid", "validation fail"), OUT_CONFIG,
	    "ErrParamInvalid", NULL, 0, 1 },
	{ 500, ERR("InternalError", "Service has some internal Error."),
	    OUT_TEMPFAIL, "InternalError", NULL, 0, 0 },
	{ 400, ERR("SomethingNew", "?"), OUT_PROTOCOL, "SomethingNew", NULL,
	    0, 0 },
	{ 200, "<html>Welcome to nginx!</html>", OUT_PROTOCOL, NULL,
	    "not a Volcengine API reply", 0, 0 },
	{ 200, "{\"ResponseMetadata\":[]}", OUT_PROTOCOL, NULL,
	    "not an object", 0, 0 },
	{ 502, "<html>bad gateway</html>", OUT_TEMPFAIL, NULL, "HTTP 502", 0,
	    0 },
	{ 403, "{}", OUT_AUTH, NULL, "HTTP 403", 0, 0 },
	{ 200, "{\"ResponseMetadata\":{\"Error\":{\"Code\":\"\"}}}",
	    OUT_PROTOCOL, NULL, "malformed Error", 0, 0 },
	{ 200, "{\"ResponseMetadata\":{\"Error\":{\"Code\":\"Bad\\u0007\","
	    "\"Message\":\"a\\nb\"}}}", OUT_PROTOCOL, "Bad\a", "Bad?: a?b", 0,
	    0 },
};

static void
test_reply_errors(void **st)
{
	json_t	*root, *res;
	char	*code, *why;
	long	 retry;
	int	 hold;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(replies) / sizeof(replies[0]); i++) {
		const struct reply_case *c = &replies[i];

		assert_int_equal(volc_reply(c->status, c->body, &root, &res,
		    &code, &retry, &hold, &why), c->out);
		assert_null(root);
		assert_non_null(why);
		if (c->why != NULL && strstr(why, c->why) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, why,
			    c->why);
		if (c->code == NULL)
			assert_null(code);
		else
			assert_string_equal(code, c->code);
		assert_int_equal(retry, c->retry);
		assert_int_equal(hold, c->hold);
		free(code);
		free(why);
	}
}

static void
test_reply_ok(void **st)
{
	json_t	*root, *res;
	char	*code, *why, *zid, *id;
	long	 retry;
	int	 hold;

	(void)st;
	assert_int_equal(volc_reply(200, "{\"ResponseMetadata\":{\"RequestId\":"
	    "\"1\",\"Action\":\"ListZones\"},\"Result\":{\"Total\":2,"
	    "\"Zones\":["
	    "{\"ZID\":77,\"ZoneName\":\"example.com.cn\"},{\"ZID\":78,"
	    "\"ZoneName\":\"Example.COM\"}]}}", &root, &res, &code, &retry,
	    &hold, &why), OUT_CURRENT);
	assert_non_null(root);
	assert_non_null(res);
	assert_null(why);
	assert_int_equal(volc_parse_zones(res, "example.com", &zid, &why), 0);
	assert_string_equal(zid, "78");
	free(zid);
	assert_int_equal(volc_parse_zones(res, "example.net", &zid, &why), 0);
	assert_null(zid);
	json_decref(root);

	/* "Error": null is no error; a missing Result is no Result. */
	assert_int_equal(volc_reply(200, "{\"ResponseMetadata\":{\"Error\":"
	    "null}}", &root, &res, &code, &retry, &hold, &why), OUT_CURRENT);
	assert_null(res);
	assert_int_equal(volc_parse_zones(res, "example.com", &zid, &why), 0);
	assert_null(zid);
	id = volc_parse_id(res, &why);
	assert_null(id);
	assert_string_equal(why, "no usable RecordID in the reply");
	free(why);
	json_decref(root);

	assert_int_equal(volc_reply(200, "{\"ResponseMetadata\":{},\"Result\":"
	    "{\"RecordID\":\"9079256848778957482\",\"Host\":\"home\"}}", &root,
	    &res, &code, &retry, &hold, &why), OUT_CURRENT);
	id = volc_parse_id(res, &why);
	assert_string_equal(id, "9079256848778957482");
	free(id);
	json_decref(root);

	assert_int_equal(volc_reply(200, "{\"ResponseMetadata\":{},\"Result\":"
	    "{\"Zones\":{}}}", &root, &res, &code, &retry, &hold, &why),
	    OUT_CURRENT);
	assert_int_equal(volc_parse_zones(res, "example.com", &zid, &why), -1);
	assert_string_equal(why, "Zones is not an array");
	free(why);
	json_decref(root);
}

static void
test_parse_list(void **st)
{
	json_t		*res;
	struct volc_rec	 have;
	size_t		 count;
	char		*why;

	(void)st;
	res = json_loads("{\"TotalCount\":4,\"Records\":["
	    "{\"RecordID\":\"1\",\"Host\":\"home\",\"Type\":\"AAAA\",\"Value\":"
	    "\"2001:db8::1\",\"Line\":\"default\",\"TTL\":600},"
	    "{\"RecordID\":\"2\",\"Host\":\"homer\",\"Type\":\"A\",\"Value\":"
	    "\"198.51.100.2\",\"Line\":\"default\",\"TTL\":600},"
	    "{\"RecordID\":\"3\",\"Host\":\"home\",\"Type\":\"A\",\"Value\":"
	    "\"198.51.100.3\",\"Line\":\"" DIANXIN "\",\"TTL\":300},"
	    "{\"RecordID\":\"4\",\"Host\":\"Home\",\"Type\":\"A\",\"Value\":"
	    "\"198.51.100.4\",\"Line\":\"Default\",\"TTL\":120}]}", 0, NULL);
	assert_non_null(res);
	assert_int_equal(volc_parse_list(res, "home", "A", "default", &have,
	    &count, &why), 0);
	assert_int_equal(count, 1);
	assert_string_equal(have.id, "4");
	assert_string_equal(have.value, "198.51.100.4");
	assert_int_equal(have.ttl, 120);
	volc_rec_free(&have);
	assert_int_equal(volc_parse_list(res, "home", "A", DIANXIN, &have,
	    &count, &why), 0);
	assert_int_equal(count, 1);
	assert_string_equal(have.id, "3");
	assert_string_equal(have.line, DIANXIN);
	volc_rec_free(&have);
	assert_int_equal(volc_parse_list(res, "www", "A", "default", &have,
	    &count, &why), 0);
	assert_int_equal(count, 0);
	assert_null(have.id);
	json_decref(res);

	res = json_loads("{\"Records\":[{\"RecordID\":\"x1\",\"Host\":\"home\","
	    "\"Type\":\"A\",\"Value\":\"1.2.3.4\"}]}", 0, NULL);
	assert_int_equal(volc_parse_list(res, "home", "A", "default", &have,
	    &count, &why), -1);
	assert_string_equal(why, "record 0 has no usable RecordID");
	free(why);
	json_decref(res);
	res = json_loads("{\"Records\":[{\"Host\":\"home\"}]}", 0, NULL);
	assert_int_equal(volc_parse_list(res, "home", "A", "default", &have,
	    &count, &why), -1);
	free(why);
	json_decref(res);
	res = json_loads("{\"Records\":null}", 0, NULL);
	assert_int_equal(volc_parse_list(res, "home", "A", "default", &have,
	    &count, &why), 0);
	assert_int_equal(count, 0);
	json_decref(res);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_published_vector),
		cmocka_unit_test(test_canonical_query),
		cmocka_unit_test(test_canonical_values),
		cmocka_unit_test(test_dns_vectors),
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_reply_errors),
		cmocka_unit_test(test_reply_ok),
		cmocka_unit_test(test_parse_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
