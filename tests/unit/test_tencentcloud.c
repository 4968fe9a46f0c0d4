/*
 * Tencent Cloud DNSPod API 3.0: the TC3-HMAC-SHA256 signer against the
 * vendor's published example (ref/PROVIDERS.md), and the request bodies
 * and reply parsing fed replies shaped like the API's documents.
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/tencentcloud.h"

/* The official example: cvm DescribeInstances, 2019-02-25. */
#define V_SID	"AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"
#define V_SK	"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
#define V_HOST	"cvm.tencentcloudapi.com"
#define V_TS	1551113065
#define V_BODY	"{\"Limit\": 1, \"Filters\": [{\"Values\": " \
	"[\"\\u672a\\u547d\\u540d\"], \"Name\": \"instance-name\"}]}"
#define V_SIG	"72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
#define V_AUTH	"TC3-HMAC-SHA256 Credential=" V_SID "/2019-02-25/cvm/" \
	"tc3_request, SignedHeaders=content-type;host, Signature=" V_SIG

#define MOREN	"\xe9\xbb\x98\xe8\xae\xa4"	/* 默认 */
#define DIANXIN	"\xe7\x94\xb5\xe4\xbf\xa1"	/* 电信 */
#define TC_PY_SIG	"6ad299878e4870affda1ff8f60cd141692b48ccdc11c154d03afe516c984bca4"

static void
test_vector(void **st)
{
	char	 sig[65];
	char	*auth;

	(void)st;
	assert_int_equal(tc3_sign(V_SK, "cvm", V_HOST, TC_CTYPE, V_BODY,
	    strlen(V_BODY), V_TS, sig), 0);
	assert_string_equal(sig, V_SIG);
	auth = tc3_authorization(V_SID, V_SK, "cvm", V_HOST, TC_CTYPE, V_BODY,
	    strlen(V_BODY), V_TS);
	assert_non_null(auth);
	assert_string_equal(auth, V_AUTH);
	free(auth);
}

/* Canonical header values are trimmed and lower-cased. */
static void
test_canonical_values(void **st)
{
	char	 sig[65];

	(void)st;
	assert_int_equal(tc3_sign(V_SK, "cvm", " CVM.TencentCloudAPI.com ",
	    "Application/JSON; charset=UTF-8", V_BODY, strlen(V_BODY), V_TS,
	    sig), 0);
	assert_string_equal(sig, V_SIG);
	/* Another body, date or service is another signature. */
	assert_int_equal(tc3_sign(V_SK, "cvm", V_HOST, TC_CTYPE, "{}", 2,
	    V_TS, sig), 0);
	assert_string_not_equal(sig, V_SIG);
	assert_int_equal(tc3_sign(V_SK, "dnspod", V_HOST, TC_CTYPE, V_BODY,
	    strlen(V_BODY), V_TS, sig), 0);
	assert_string_not_equal(sig, V_SIG);
}

/*
 * A DNSPod request with a non-ASCII line, checked against a value
 * computed independently (Python hashlib/hmac, as in the mock).
 */
static void
test_dnspod_request(void **st)
{
	char	*body, *auth;

	(void)st;
	body = tc_body_write("example.com", "@", "A", MOREN, "203.0.113.7",
	    600, NULL);
	assert_non_null(body);
	assert_string_equal(body, "{\"Domain\":\"example.com\",\"SubDomain\":"
	    "\"@\",\"RecordType\":\"A\",\"RecordLine\":\"" MOREN "\","
	    "\"Value\":\"203.0.113.7\",\"TTL\":600}");
	auth = tc3_authorization("AKIDexample", "secret", "dnspod",
	    "dnspod.tencentcloudapi.com", TC_CTYPE, body, strlen(body),
	    1700000000);
	assert_non_null(auth);
	assert_string_equal(auth, "TC3-HMAC-SHA256 Credential=AKIDexample/"
	    "2023-11-14/dnspod/tc3_request, SignedHeaders=content-type;host, "
	    "Signature=" TC_PY_SIG);
	free(auth);
	free(body);
}

static void
test_bodies(void **st)
{
	char	*b;

	(void)st;
	b = tc_body_list("example.com", "home", "AAAA");
	assert_string_equal(b, "{\"Domain\":\"example.com\",\"Subdomain\":"
	    "\"home\",\"RecordType\":\"AAAA\",\"ErrorOnEmpty\":\"no\"}");
	free(b);
	b = tc_body_write("example.com", "*.dyn", "A", DIANXIN, "203.0.113.8",
	    0, "1234567890123");
	assert_string_equal(b, "{\"Domain\":\"example.com\",\"SubDomain\":"
	    "\"*.dyn\",\"RecordType\":\"A\",\"RecordLine\":\"" DIANXIN "\","
	    "\"Value\":\"203.0.113.8\",\"RecordId\":1234567890123}");
	free(b);
	assert_null(tc_body_write("example.com", "a", "A", MOREN, "1.2.3.4",
	    0, "12x"));
	assert_null(tc_body_write("example.com", "a", "A", MOREN, "1.2.3.4",
	    0, "-1"));
	assert_null(tc_body_write("example.com", "a", "A", MOREN, "1.2.3.4",
	    0, ""));
}

struct scase {
	const char	*name, *zone, *domain, *sub;
};

static void
test_split(void **st)
{
	static const struct scase c[] = {
		{ "home.example.com", NULL, "example.com", "home" },
		{ "example.com", NULL, "example.com", "@" },
		{ "a.b.example.com", NULL, "example.com", "a.b" },
		{ "a.b.example.com.cn", "example.com.cn", "example.com.cn",
		    "a.b" },
		{ "example.com.cn", "example.com.cn", "example.com.cn", "@" },
		{ "Home.Example.COM", "example.com", "example.com", "Home" },
		{ "home.example.com", "com", NULL, NULL },
		{ "home.example.com", "xample.com", NULL, NULL },
		{ "home.example.com", "other.com", NULL, NULL },
		{ "localhost", NULL, NULL, NULL },
	};
	size_t	 i;
	char	*d, *s, *why;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		if (c[i].domain == NULL) {
			if (strcmp(c[i].zone ? c[i].zone : "", "com") == 0) {
				/* "com" is a zone a name can be in. */
				assert_int_equal(provider_split_name(c[i].name,
				    c[i].zone, &d, &s, &why), 0);
				assert_string_equal(s, "home.example");
				free(d);
				free(s);
				continue;
			}
			assert_int_equal(provider_split_name(c[i].name, c[i].zone,
			    &d, &s, &why), -1);
			assert_non_null(why);
			assert_null(d);
			free(why);
			continue;
		}
		assert_int_equal(provider_split_name(c[i].name, c[i].zone, &d, &s,
		    &why), 0);
		assert_string_equal(d, c[i].domain);
		assert_string_equal(s, c[i].sub);
		free(d);
		free(s);
	}
}

#define ERR(code, msg) "{\"Response\":{\"Error\":{\"Code\":\"" code "\"," \
	"\"Message\":\"" msg "\"},\"RequestId\":" \
	"\"ed93f3cb-f35e-473f-b9f3-0d451b8b79c6\"}}"

struct rcase {
	long		 status;
	const char	*body;
	enum outcome	 out;
	long		 retry;
	int		 hold;
	const char	*why;		/* substring */
};

static void
test_reply(void **st)
{
	static const struct rcase c[] = {
		{ 200, ERR("AuthFailure.SignatureFailure", "The provided "
		    "credentials could not be validated."), OUT_AUTH, 0, 1,
		    "AuthFailure.SignatureFailure: The provided credentials "
		    "could not be validated. (check secret_id" },
		{ 200, ERR("AuthFailure.SecretIdNotFound", "The SecretId is "
		    "not found"), OUT_AUTH, 0, 1, "SecretIdNotFound" },
		{ 200, ERR("AuthFailure.SignatureExpire", "Signature expired"),
		    OUT_AUTH, 0, 0, "clock" },
		{ 200, ERR("AuthFailure.UnauthorizedOperation", "no"),
		    OUT_AUTH, 0, 1, "QcloudDNSPodFullAccess" },
		{ 200, ERR("UnauthorizedOperation", "no"), OUT_AUTH, 0, 1,
		    "dnspod:ModifyRecord" },
		{ 200, ERR("RequestLimitExceeded", "too many"), OUT_TEMPFAIL,
		    60, 0, "RequestLimitExceeded: too many" },
		{ 200, ERR("RequestLimitExceeded.UinLimitExceeded", "x"),
		    OUT_TEMPFAIL, 60, 0, "Uin" },
		{ 200, ERR("ResourceNotFound.NoDataOfDomain", "nope"),
		    OUT_CONFIG, 0, 1, "in this account" },
		{ 200, ERR("InvalidParameter.DomainNotExist", "nope"),
		    OUT_CONFIG, 0, 1, "DomainNotExist" },
		{ 200, ERR("OperationDenied.DomainOwnerAllowedOnly", "x"),
		    OUT_CONFIG, 0, 1, "OperationDenied" },
		{ 200, ERR("InvalidParameter.DomainRecordExist", "dup"),
		    OUT_CONFIG, 0, 1, "DomainRecordExist" },
		{ 200, ERR("InternalError", "oops"), OUT_TEMPFAIL, 0, 0,
		    "InternalError" },
		{ 200, ERR("FailedOperation.Weird", "odd"), OUT_PROTOCOL, 0, 0,
		    "FailedOperation.Weird: odd" },
		{ 200, "<html>nginx</html>", OUT_PROTOCOL, 0, 0,
		    "HTTP 200: not a Tencent Cloud API reply" },
		{ 200, "{\"Response\":[]}", OUT_PROTOCOL, 0, 0, "not an obj" },
		{ 200, "{\"Response\":{\"Error\":{}}}", OUT_PROTOCOL, 0, 0,
		    "malformed" },
		{ 502, "<html>bad gateway</html>", OUT_TEMPFAIL, 0, 0,
		    "HTTP 502" },
		{ 200, ERR("AuthFailure.SignatureFailure", "a\\nb"), OUT_AUTH,
		    0, 1, "a?b" },
	};
	json_t	*root, *resp;
	char	*why, *code;
	long	 retry;
	int	 hold;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(tc_reply(c[i].status, c[i].body, &root, &resp,
		    &code, &retry, &hold, &why), c[i].out);
		assert_null(root);
		assert_non_null(why);
		if (strstr(why, c[i].why) == NULL)
			fail_msg("case %zu: %s", i, why);
		assert_int_equal(retry, c[i].retry);
		assert_int_equal(hold, c[i].hold);
		free(why);
		free(code);
	}
}

#define LIST "{\"Response\":{\"RecordCountInfo\":{\"SubdomainCount\":3," \
	"\"ListCount\":3,\"TotalCount\":3},\"RecordList\":[" \
	"{\"RecordId\":556507778,\"Value\":\"198.51.100.1\",\"Status\":" \
	"\"ENABLE\",\"UpdatedOn\":\"2021-03-28 11:27:09\",\"Name\":\"home\"," \
	"\"Line\":\"" DIANXIN "\",\"LineId\":\"10=0\",\"Type\":\"A\"," \
	"\"Weight\":null,\"MonitorStatus\":\"\",\"Remark\":\"\",\"TTL\":600," \
	"\"MX\":0,\"DefaultNS\":false}," \
	"{\"RecordId\":556507779,\"Value\":\"198.51.100.2\",\"Status\":" \
	"\"ENABLE\",\"Name\":\"home\",\"Line\":\"" MOREN "\",\"LineId\":" \
	"\"0\",\"Type\":\"A\",\"TTL\":120,\"MX\":0}," \
	"{\"RecordId\":556507780,\"Value\":\"2001:db8::1\",\"Name\":" \
	"\"home\",\"Line\":\"" MOREN "\",\"Type\":\"AAAA\",\"TTL\":600}]," \
	"\"RequestId\":\"2d2f4d7e-f7a4-4e64-8bbd-0b8ba3b1e4a1\"}}"

static void
test_list(void **st)
{
	json_t		*root, *resp;
	struct tc_rec	 r;
	char		*why, *code;
	long		 retry;
	int		 hold;
	size_t		 n;

	(void)st;
	assert_int_equal(tc_reply(200, LIST, &root, &resp, &code, &retry,
	    &hold, &why), OUT_CURRENT);
	assert_int_equal(tc_parse_list(resp, "home", "A", MOREN, &r, &n, &why),
	    0);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "556507779");
	assert_string_equal(r.value, "198.51.100.2");
	assert_string_equal(r.line, MOREN);
	assert_int_equal(r.ttl, 120);
	tc_rec_free(&r);
	assert_int_equal(tc_parse_list(resp, "home", "A", DIANXIN, &r, &n,
	    &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "556507778");
	tc_rec_free(&r);
	assert_int_equal(tc_parse_list(resp, "home", "A", NULL, &r, &n, &why),
	    0);
	assert_int_equal(n, 2);
	tc_rec_free(&r);
	assert_int_equal(tc_parse_list(resp, "other", "A", MOREN, &r, &n,
	    &why), 0);
	assert_int_equal(n, 0);
	assert_null(r.id);
	json_decref(root);

	/* ErrorOnEmpty "no": an empty list, or none at all. */
	assert_int_equal(tc_reply(200, "{\"Response\":{\"RecordList\":[],"
	    "\"RequestId\":\"x\"}}", &root, &resp, &code, &retry, &hold, &why),
	    OUT_CURRENT);
	assert_int_equal(tc_parse_list(resp, "home", "A", MOREN, &r, &n, &why),
	    0);
	assert_int_equal(n, 0);
	json_decref(root);
	assert_int_equal(tc_reply(200, "{\"Response\":{\"RecordList\":{}}}",
	    &root, &resp, &code, &retry, &hold, &why), OUT_CURRENT);
	assert_int_equal(tc_parse_list(resp, "home", "A", MOREN, &r, &n, &why),
	    -1);
	free(why);
	json_decref(root);
	assert_int_equal(tc_reply(200, "{\"Response\":{\"RecordList\":[{"
	    "\"RecordId\":\"x\",\"Name\":\"home\",\"Type\":\"A\",\"Value\":"
	    "\"1.2.3.4\",\"Line\":\"" MOREN "\"}]}}", &root, &resp, &code,
	    &retry, &hold, &why), OUT_CURRENT);
	assert_int_equal(tc_parse_list(resp, "home", "A", MOREN, &r, &n, &why),
	    -1);
	free(why);
	json_decref(root);
}

static void
test_write_id(void **st)
{
	json_t	*root, *resp;
	char	*why, *code, *id;
	long	 retry;
	int	 hold;

	(void)st;
	assert_int_equal(tc_reply(200, "{\"Response\":{\"RecordId\":"
	    "162,\"RequestId\":\"ab4f1426-ea15-42ea-8183-dc1b44151166\"}}",
	    &root, &resp, &code, &retry, &hold, &why), OUT_CURRENT);
	id = tc_parse_id(resp, &why);
	assert_string_equal(id, "162");
	free(id);
	json_decref(root);
	assert_int_equal(tc_reply(200, "{\"Response\":{\"RequestId\":\"a\"}}",
	    &root, &resp, &code, &retry, &hold, &why), OUT_CURRENT);
	assert_null(tc_parse_id(resp, &why));
	free(why);
	json_decref(root);
}

static void
test_in_table(void **st)
{
	const struct provider	*p;

	(void)st;
	p = provider_find("tencentcloud");
	assert_non_null(p);
	assert_ptr_equal(p, &provider_tencentcloud);
	assert_non_null(p->check);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector),
		cmocka_unit_test(test_canonical_values),
		cmocka_unit_test(test_dnspod_request),
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_write_id),
		cmocka_unit_test(test_in_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
