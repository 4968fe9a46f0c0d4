/*
 * Alibaba Cloud DNS provider: the signers against the vendor's published
 * vectors (ref/PROVIDERS.md), request building, and the pure reply
 * parsers fed replies shaped like the API documents' examples.
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/aliyun.h"

/* ---- signers ------------------------------------------------------------ */

/* The official V3 example: ECS RunInstances, POST, empty body. */
static void
test_v3_vector(void **unused)
{
	static const char *const kv[] = {
		"RegionId", "cn-shanghai",
		"ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
		NULL
	};
	char	*auth, *canon;

	(void)unused;
	auth = aliyun_sign_v3("POST", "ecs.cn-shanghai.aliyuncs.com", kv,
	    "RunInstances", "2014-05-26", "2023-10-26T10:22:32Z",
	    "3156853299f313e23d1673dc12e1703d", NULL, "", 0,
	    "YourAccessKeyId", "YourAccessKeySecret", &canon);
	assert_non_null(auth);
	assert_string_equal(auth, "ACS3-HMAC-SHA256 "
	    "Credential=YourAccessKeyId,"
	    "SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;"
	    "x-acs-signature-nonce;x-acs-version,"
	    "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a"
	    "6f0f3283c0");
	assert_string_equal(canon, "POST\n/\n"
	    "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"
	    "&RegionId=cn-shanghai\n"
	    "host:ecs.cn-shanghai.aliyuncs.com\n"
	    "x-acs-action:RunInstances\n"
	    "x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b9"
	    "34ca495991b7852b855\n"
	    "x-acs-date:2023-10-26T10:22:32Z\n"
	    "x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n"
	    "x-acs-version:2014-05-26\n\n"
	    "host;x-acs-action;x-acs-content-sha256;x-acs-date;"
	    "x-acs-signature-nonce;x-acs-version\n"
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	free(auth);
	free(canon);
}

/* With a body, content-type is signed, in its sorted place. */
static void
test_v3_content_type(void **unused)
{
	static const char *const kv[] = { NULL };
	char	*auth, *canon;

	(void)unused;
	auth = aliyun_sign_v3("POST", "h", kv, "A", "V", "D", "N",
	    "application/x-www-form-urlencoded", "a=b", 3, "K", "S", &canon);
	assert_non_null(auth);
	assert_non_null(strstr(auth, ",SignedHeaders=content-type;host;"
	    "x-acs-action;"));
	assert_non_null(strstr(canon, "POST\n/\n\ncontent-type:application/"
	    "x-www-form-urlencoded\nhost:h\n"));
	free(auth);
	free(canon);
}

/* The official V1 examples: ECS DescribeRegions, and its variants. */
static void
test_v1_vectors(void **unused)
{
	static const char *const get[] = {
		"Timestamp", "2016-02-23T12:46:24Z",
		"Format", "XML",
		"AccessKeyId", "testid",
		"Action", "DescribeRegions",
		"SignatureMethod", "HMAC-SHA1",
		"SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
		"Version", "2014-05-26",
		"SignatureVersion", "1.0",
		NULL
	};
	static const char *const old[] = {
		"TimeStamp", "2016-02-23T12:46:24Z",
		"Format", "XML",
		"AccessKeyId", "testid",
		"Action", "DescribeRegions",
		"SignatureMethod", "HMAC-SHA1",
		"SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
		"Version", "2014-05-26",
		"SignatureVersion", "1.0",
		NULL
	};
	char	*s;

	(void)unused;
	s = aliyun_sign_v1("GET", get, "testsecret");
	assert_string_equal(s, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
	free(s);
	s = aliyun_sign_v1("GET", old, "testsecret");
	assert_string_equal(s, "CT9X0VtwR86fNWSnsc6v8YGOjuE=");
	free(s);
	s = aliyun_sign_v1("POST", get, "testsecret");
	assert_string_equal(s, "MxbnVAM4w6sft9xjVpe/GCKueuk=");
	free(s);
}

/* 2026-01-02T03:04:05Z */
#define T0	((time_t)1767323045)
#define NONCE	"0123456789abcdef0123456789abcdef"

/* Unusual characters: '*', space, '~' and UTF-8 in a value. The expected
 * values come from an independent implementation (Python hmac). */
static const char *const weird[] = {
	"SubDomain", "*.a b~\xe9\xbb\x98\xe8\xae\xa4.example.com",
	"DomainName", "example.com",
	"Type", "A",
	NULL
};

static void
test_build_v3(void **unused)
{
	struct aliyun_call	 c;
	size_t			 n;

	(void)unused;
	assert_int_equal(aliyun_build(0, "https://alidns.aliyuncs.com",
	    "alidns.aliyuncs.com", "DescribeSubDomainRecords", weird, "AKID",
	    "S3cr+t/x", T0, NONCE, &c), 0);
	assert_string_equal(c.url, "https://alidns.aliyuncs.com/?"
	    "DomainName=example.com"
	    "&SubDomain=%2A.a%20b~%E9%BB%98%E8%AE%A4.example.com&Type=A");
	assert_string_equal(c.hdr[0], "Host: alidns.aliyuncs.com");
	assert_string_equal(c.hdr[1], "x-acs-action: DescribeSubDomainRecords");
	assert_string_equal(c.hdr[2], "x-acs-version: 2015-01-09");
	assert_string_equal(c.hdr[3], "x-acs-date: 2026-01-02T03:04:05Z");
	assert_string_equal(c.hdr[4], "x-acs-signature-nonce: " NONCE);
	assert_string_equal(c.hdr[5], "x-acs-content-sha256: e3b0c44298fc1c149a"
	    "fbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_string_equal(c.hdr[6], "Authorization: ACS3-HMAC-SHA256 "
	    "Credential=AKID,SignedHeaders=host;x-acs-action;"
	    "x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;"
	    "x-acs-version,Signature=d7d4a4c4f2dee5593d5928e968d531022664a45a4"
	    "edcaa0bec3cea1fe2bd3cb2");
	assert_string_equal(c.hdr[7], "Content-Type:");
	assert_string_equal(c.hdr[8], "Accept: application/json");
	assert_null(c.hdr[9]);
	for (n = 0; c.hdr[n] != NULL; n++)
		assert_null(strstr(c.hdr[n], "S3cr"));
	aliyun_call_free(&c);
}

static void
test_build_v1(void **unused)
{
	struct aliyun_call	 c;

	(void)unused;
	assert_int_equal(aliyun_build(1, "http://127.0.0.1:8080",
	    "127.0.0.1:8080", "DescribeSubDomainRecords", weird, "AKID",
	    "S3cr+t/x", T0, NONCE, &c), 0);
	assert_string_equal(c.url, "http://127.0.0.1:8080/?AccessKeyId=AKID"
	    "&Action=DescribeSubDomainRecords&DomainName=example.com"
	    "&Format=JSON&SignatureMethod=HMAC-SHA1&SignatureNonce=" NONCE
	    "&SignatureVersion=1.0"
	    "&SubDomain=%2A.a%20b~%E9%BB%98%E8%AE%A4.example.com"
	    "&Timestamp=2026-01-02T03%3A04%3A05Z&Type=A&Version=2015-01-09"
	    "&Signature=0MUzMPMnPYXbPK7PhyHWXh8Zyyk%3D");
	assert_string_equal(c.hdr[0], "Content-Type:");
	assert_string_equal(c.hdr[1], "Accept: application/json");
	assert_null(c.hdr[2]);
	assert_null(strstr(c.url, "S3cr"));
	aliyun_call_free(&c);
}

/* ---- names and endpoints ------------------------------------------------ */

static void
test_endpoint(void **unused)
{
	static const struct {
		const char	*in, *base, *host;
	} cases[] = {
		{ "https://alidns.aliyuncs.com", "https://alidns.aliyuncs.com",
		    "alidns.aliyuncs.com" },
		{ "https://alidns.aliyuncs.com/", "https://alidns.aliyuncs.com",
		    "alidns.aliyuncs.com" },
		{ "alidns.ap-southeast-1.aliyuncs.com",
		    "https://alidns.ap-southeast-1.aliyuncs.com",
		    "alidns.ap-southeast-1.aliyuncs.com" },
		{ "HTTP://127.0.0.1:4567", "http://127.0.0.1:4567",
		    "127.0.0.1:4567" },
		{ "https://[::1]:99/", "https://[::1]:99", "[::1]:99" },
		{ "https://Alidns.Aliyuncs.COM", "https://alidns.aliyuncs.com",
		    "alidns.aliyuncs.com" },
		{ "ftp://x", NULL, NULL },
		{ "https://", NULL, NULL },
		{ "https://h/path", NULL, NULL },
		{ "https://u:p@h", NULL, NULL },
		{ "https://h?x=1", NULL, NULL },
		{ "https://h h", NULL, NULL },
	};
	size_t	 i;
	char	*base, *host;

	(void)unused;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].base == NULL) {
			assert_int_equal(aliyun_endpoint(cases[i].in, &base,
			    &host), -1);
			assert_null(base);
			assert_null(host);
			continue;
		}
		assert_int_equal(aliyun_endpoint(cases[i].in, &base, &host),
		    0);
		assert_string_equal(base, cases[i].base);
		assert_string_equal(host, cases[i].host);
		free(base);
		free(host);
	}
}

static void
test_split_name(void **unused)
{
	static const struct {
		const char	*name, *zone, *ozone, *rr;
	} cases[] = {
		{ "home.example.com", NULL, "example.com", "home" },
		{ "example.com", NULL, "example.com", "@" },
		{ "a.b.example.com", NULL, "example.com", "a.b" },
		{ "*.example.com", NULL, "example.com", "*" },
		{ "a.example.com.cn", "example.com.cn", "example.com.cn", "a" },
		{ "example.com.cn", "example.com.cn.", "example.com.cn", "@" },
		{ "Home.Example.com", "example.com", "example.com", "Home" },
		{ "a.b.example.com", "b.example.com", "b.example.com", "a" },
		{ "home.example.com", "example.org", NULL, NULL },
		{ "home.notexample.com", "example.com", NULL, NULL },
		{ "localhost", NULL, NULL, NULL },
	};
	size_t	 i;
	char	*zone, *rr, *why;

	(void)unused;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].ozone == NULL) {
			assert_int_equal(provider_split_name(cases[i].name,
			    cases[i].zone, &zone, &rr, &why), -1);
			assert_non_null(why);
			assert_null(zone);
			assert_null(rr);
			free(why);
			continue;
		}
		assert_int_equal(provider_split_name(cases[i].name,
		    cases[i].zone, &zone, &rr, &why), 0);
		assert_null(why);
		assert_string_equal(zone, cases[i].ozone);
		assert_string_equal(rr, cases[i].rr);
		free(zone);
		free(rr);
	}
}

/* ---- replies ------------------------------------------------------------ */

#define ERR(code, msg) "{\"RequestId\":\"8FD0C8CE-0C8D-4D4C-8A58-36F8B3C5C7D1\"," \
	"\"HostId\":\"alidns.aliyuncs.com\",\"Code\":\"" code "\"," \
	"\"Message\":\"" msg "\",\"Recommend\":\"https://api.aliyun.com/" \
	"troubleshoot?q=" code "\"}"

static void
test_codes(void **unused)
{
	static const struct {
		const char	*code;
		long		 status;
		enum outcome	 out;
	} cases[] = {
		{ "SignatureDoesNotMatch", 400, OUT_AUTH },
		{ "InvalidAccessKeyId.NotFound", 404, OUT_AUTH },
		{ "InvalidAccessKeyId.Inactive", 400, OUT_AUTH },
		{ "Forbidden.RAM", 403, OUT_AUTH },
		{ "NoPermission", 403, OUT_AUTH },
		{ "Throttling.User", 400, OUT_TEMPFAIL },
		{ "Throttling", 503, OUT_TEMPFAIL },
		{ "InvalidDomainName.NoExist", 400, OUT_CONFIG },
		{ "IncorrectDomainUser", 400, OUT_CONFIG },
		{ "DomainRecordLocked", 400, OUT_CONFIG },
		{ "SomethingNew", 400, OUT_PROTOCOL },
		{ "SomethingNew", 500, OUT_TEMPFAIL },
		{ "ThrottlingX", 400, OUT_PROTOCOL },
		{ "Forbidden.Other", 403, OUT_PROTOCOL },
	};
	size_t	 i;

	(void)unused;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(aliyun_code_outcome(cases[i].code,
		    cases[i].status), cases[i].out);
}

static void
test_reply(void **unused)
{
	json_t	*root;
	char	*code, *why;

	(void)unused;
	assert_int_equal(aliyun_reply(400, ERR("SignatureDoesNotMatch",
	    "Specified signature is not matched with our calculation."),
	    &root, &code, &why), OUT_AUTH);
	assert_null(root);
	assert_string_equal(code, "SignatureDoesNotMatch");
	assert_string_equal(why, "HTTP 400: SignatureDoesNotMatch: Specified "
	    "signature is not matched with our calculation. (access_key_secret "
	    "is not the secret of access_key_id (wrong or mistyped secret?))");
	free(code);
	free(why);

	assert_int_equal(aliyun_reply(403, ERR("Forbidden.RAM", "User not "
	    "authorized to operate on the specified resource."), &root, &code,
	    &why), OUT_AUTH);
	assert_non_null(strstr(why, "AliyunDNSFullAccess"));
	assert_non_null(strstr(why, "alidns:UpdateDomainRecord"));
	free(code);
	free(why);

	/* Control characters never reach the output. */
	assert_int_equal(aliyun_reply(400, ERR("X", "a\\nb"), &root, &code,
	    &why), OUT_PROTOCOL);
	assert_string_equal(why, "HTTP 400: X: a?b");
	free(code);
	free(why);

	assert_int_equal(aliyun_reply(200, "<html>", &root, &code, &why),
	    OUT_PROTOCOL);
	assert_null(code);
	assert_non_null(strstr(why, "not an Alibaba Cloud API reply"));
	free(why);

	assert_int_equal(aliyun_reply(502, "<html>bad gateway</html>", &root,
	    &code, &why), OUT_TEMPFAIL);
	free(why);
	assert_int_equal(aliyun_reply(200, "[1]", &root, &code, &why),
	    OUT_PROTOCOL);
	free(why);
	assert_int_equal(aliyun_reply(200, "", &root, &code, &why),
	    OUT_PROTOCOL);
	free(why);
	assert_int_equal(aliyun_reply(403, "{}", &root, &code, &why),
	    OUT_AUTH);
	assert_null(code);
	free(why);

	assert_int_equal(aliyun_reply(200, "{\"RequestId\":\"x\"}", &root,
	    &code, &why), OUT_CURRENT);
	assert_non_null(root);
	assert_null(why);
	json_decref(root);
}

#define REC(id, rr, type, value, line, ttl, locked) "{\"RR\":\"" rr "\"," \
	"\"Line\":\"" line "\",\"Status\":\"ENABLE\",\"Locked\":" locked "," \
	"\"Type\":\"" type "\",\"DomainName\":\"example.com\",\"Value\":\"" \
	value "\",\"RecordId\":\"" id "\",\"TTL\":" ttl ",\"Weight\":1}"
#define LIST(n, recs) "{\"TotalCount\":" #n ",\"PageSize\":20," \
	"\"RequestId\":\"536E9CAD-DB30-4647-AC87-AA5CC38C5382\"," \
	"\"DomainRecords\":{\"Record\":[" recs "]},\"PageNumber\":1}"

static void
test_parse_records(void **unused)
{
	static const struct {
		const char	*what, *body, *rr, *line;
		long		 status;
		enum outcome	 out;
		size_t		 count;
		const char	*id, *value;
		long		 ttl;
		int		 locked;
	} cases[] = {
		{ "none", LIST(0, ""), "home", "default", 200, OUT_CURRENT, 0,
		    NULL, NULL, 0, 0 },
		{ "none, no list", "{\"TotalCount\":0,\"RequestId\":\"x\"}",
		    "home", "default", 200, OUT_CURRENT, 0, NULL, NULL, 0, 0 },
		{ "one", LIST(1, REC("9999985", "home", "A", "198.51.100.1",
		    "default", "600", "false")), "home", "default", 200,
		    OUT_CURRENT, 1, "9999985", "198.51.100.1", 600, 0 },
		{ "apex", LIST(1, REC("1", "@", "A", "198.51.100.1",
		    "default", "600", "true")), "@", "default", 200,
		    OUT_CURRENT, 1, "1", "198.51.100.1", 600, 1 },
		{ "other line only", LIST(1, REC("1", "home", "A",
		    "198.51.100.1", "telecom", "600", "false")), "home",
		    "default", 200, OUT_CURRENT, 0, NULL, NULL, 0, 0 },
		{ "lines", LIST(2, REC("1", "home", "A", "198.51.100.1",
		    "default", "600", "false") "," REC("2", "home", "A",
		    "198.51.100.2", "\xe9\xbb\x98\xe8\xae\xa4", "60", "false")),
		    "home", "\xe9\xbb\x98\xe8\xae\xa4", 200, OUT_CURRENT, 1, "2",
		    "198.51.100.2", 60, 0 },
		{ "other type and rr filtered", LIST(2, REC("1", "home",
		    "AAAA", "2001:db8::1", "default", "600", "false") ","
		    REC("3", "www.home", "A", "198.51.100.3", "default", "600",
		    "false")), "home", "default", 200, OUT_CURRENT, 0, NULL,
		    NULL, 0, 0 },
		{ "two", LIST(2, REC("1", "home", "A", "198.51.100.1",
		    "default", "600", "false") "," REC("2", "home", "A",
		    "198.51.100.2", "default", "600", "false")), "home",
		    "default", 200, OUT_CURRENT, 2, "1", "198.51.100.1", 600,
		    0 },
		{ "no id", LIST(1, "{\"RR\":\"home\",\"Type\":\"A\","
		    "\"Value\":\"1.2.3.4\"}"), "home", "default", 200,
		    OUT_PROTOCOL, 0, NULL, NULL, 0, 0 },
		{ "no list", "{\"RequestId\":\"x\"}", "home", "default", 200,
		    OUT_PROTOCOL, 0, NULL, NULL, 0, 0 },
		{ "not in account", ERR("IncorrectDomainUser", "The domain "
		    "name does not belong to this user."), "home", "default",
		    400, OUT_CONFIG, 0, NULL, NULL, 0, 0 },
		{ "throttled", ERR("Throttling.User", "Request was denied due "
		    "to user flow control."), "home", "default", 400,
		    OUT_TEMPFAIL, 0, NULL, NULL, 0, 0 },
	};
	struct aliyun_rec	 r;
	size_t			 i, count;
	char			*code, *why;

	(void)unused;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("%s\n", cases[i].what);
		assert_int_equal(aliyun_parse_records(cases[i].status,
		    cases[i].body, cases[i].rr, "A", cases[i].line, &r, &count,
		    &code, &why), cases[i].out);
		assert_int_equal(count, cases[i].count);
		if (cases[i].out != OUT_CURRENT)
			assert_non_null(why);
		else
			assert_null(why);
		if (cases[i].id != NULL) {
			assert_string_equal(r.id, cases[i].id);
			assert_string_equal(r.value, cases[i].value);
			assert_int_equal(r.ttl, cases[i].ttl);
			assert_int_equal(r.locked, cases[i].locked);
		} else
			assert_null(r.id);
		aliyun_rec_free(&r);
		free(code);
		free(why);
	}
}

static void
test_parse_write(void **unused)
{
	char	*id, *code, *why;

	(void)unused;
	assert_int_equal(aliyun_parse_write(200, "{\"RequestId\":\"536E9CAD-"
	    "DB30-4647-AC87-AA5CC38C5382\",\"RecordId\":\"9999985\"}", &id,
	    &code, &why), OUT_UPDATED);
	assert_string_equal(id, "9999985");
	assert_null(why);
	assert_null(code);
	free(id);

	assert_int_equal(aliyun_parse_write(200, "{\"RequestId\":\"x\","
	    "\"RecordId\":12345}", &id, &code, &why), OUT_UPDATED);
	assert_string_equal(id, "12345");
	free(id);

	assert_int_equal(aliyun_parse_write(400, ERR("DomainRecordDuplicate",
	    "The DNS record already exists."), &id, &code, &why),
	    OUT_CURRENT);
	assert_null(id);
	assert_null(why);
	assert_string_equal(code, "DomainRecordDuplicate");
	free(code);

	assert_int_equal(aliyun_parse_write(400, ERR("DomainRecordLocked",
	    "The DNS record is locked."), &id, &code, &why), OUT_CONFIG);
	assert_null(id);
	assert_non_null(strstr(why, "unlock"));
	free(code);
	free(why);

	assert_int_equal(aliyun_parse_write(200, "{\"RequestId\":\"x\","
	    "\"RecordId\":\"a/b\"}", &id, &code, &why), OUT_PROTOCOL);
	assert_null(id);
	free(why);
}

static void
test_descriptor(void **unused)
{
	const struct provider_key	*k;
	int				 seen = 0;

	(void)unused;
	assert_ptr_equal(provider_find("aliyun"), &provider_aliyun);
	assert_non_null(provider_aliyun.check);
	for (k = provider_aliyun.keys; k->name != NULL; k++) {
		seen++;
		if (k[1].name != NULL)
			assert_true(strcmp(k->name, k[1].name) < 0);
		if (strcmp(k->name, "access_key_secret") == 0)
			assert_int_equal(k->flags, KEY_SECRET | KEY_REQUIRED);
		else if (strcmp(k->name, "access_key_id") == 0)
			assert_int_equal(k->flags, KEY_REQUIRED);
		else
			assert_int_equal(k->flags, 0);
	}
	assert_int_equal(seen, 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v3_vector),
		cmocka_unit_test(test_v3_content_type),
		cmocka_unit_test(test_v1_vectors),
		cmocka_unit_test(test_build_v3),
		cmocka_unit_test(test_build_v1),
		cmocka_unit_test(test_endpoint),
		cmocka_unit_test(test_split_name),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_parse_records),
		cmocka_unit_test(test_parse_write),
		cmocka_unit_test(test_descriptor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
