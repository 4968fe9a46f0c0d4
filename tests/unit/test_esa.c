/*
 * Alibaba Cloud ESA provider: requests as aliyun.c builds them for ESA
 * (GET and POST, version 2024-09-10), the reply parsers fed replies
 * shaped like the API documents' examples, and the A/AAAA value merge.
 * ACS3-HMAC-SHA256 itself is checked against Alibaba's published vectors
 * in test_aliyun.c; the signatures here were computed independently with
 * Python's hmac/hashlib (as tests/integration/mock_aliyun.py does).
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/aliyun.h"
#include "providers/esa.h"

#define NONCE	"0123456789abcdef0123456789abcdef"
#define NOW	1795442400	/* 2026-11-23T14:00:00Z */

/* ---- requests ----------------------------------------------------------- */

static void
test_build_list_sites(void **unused)
{
	static const char *const kv[] = {
		"SiteName", "example.com",
		"SiteSearchType", "exact",
		NULL
	};
	struct aliyun_call	 c;

	(void)unused;
	assert_int_equal(aliyun_build_api("GET", ESA_VERSION, 0,
	    "https://esa.cn-hangzhou.aliyuncs.com",
	    "esa.cn-hangzhou.aliyuncs.com", "ListSites", kv, "LTAI5tEsaKey",
	    "EsaSecret/+", NOW, NONCE, &c), 0);
	assert_string_equal(c.url, "https://esa.cn-hangzhou.aliyuncs.com/?"
	    "SiteName=example.com&SiteSearchType=exact");
	assert_string_equal(c.hdr[1], "x-acs-action: ListSites");
	assert_string_equal(c.hdr[2], "x-acs-version: 2024-09-10");
	assert_string_equal(c.hdr[6], "Authorization: ACS3-HMAC-SHA256 "
	    "Credential=LTAI5tEsaKey,SignedHeaders=host;x-acs-action;"
	    "x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;"
	    "x-acs-version,Signature=2b46ffdad17a6172b854a7b76cf38fd2cd7a2f7b"
	    "38fb595c7aa446edd90b733f");
	aliyun_call_free(&c);
}

/* Data travels as a JSON string in the query; '*', '/', UTF-8 encoded. */
static void
test_build_create(void **unused)
{
	static const char *const kv[] = {
		"SiteId", "1234567890123",
		"RecordName", "*.\xe4\xbe\x8b\xe5\xad\x90.example.com",
		"Type", "A/AAAA",
		"Data", "{\"Value\":\"203.0.113.7\"}",
		"Proxied", "false",
		NULL
	};
	struct aliyun_call	 c;

	(void)unused;
	assert_int_equal(aliyun_build_api("POST", ESA_VERSION, 0,
	    "https://esa.cn-hangzhou.aliyuncs.com",
	    "esa.cn-hangzhou.aliyuncs.com", "CreateRecord", kv,
	    "LTAI5tEsaKey", "EsaSecret/+", NOW, NONCE, &c), 0);
	assert_string_equal(c.url, "https://esa.cn-hangzhou.aliyuncs.com/?"
	    "Data=%7B%22Value%22%3A%22203.0.113.7%22%7D&Proxied=false"
	    "&RecordName=%2A.%E4%BE%8B%E5%AD%90.example.com"
	    "&SiteId=1234567890123&Type=A%2FAAAA");
	assert_non_null(strstr(c.hdr[6], ",Signature=035bdc0c33eb5cc28519778c"
	    "488763339cd1868cd7cb92431be957a6ba1e5e75"));
	aliyun_call_free(&c);
}

/* ---- replies ------------------------------------------------------------ */

static void
test_sites(void **unused)
{
	char	*id, *code, *why;

	(void)unused;
	assert_int_equal(esa_parse_site(200, "{\"RequestId\":\"x\","
	    "\"TotalCount\":2,\"Sites\":[{\"SiteId\":11,\"SiteName\":"
	    "\"example.com.cn\"},{\"SiteId\":1234567890123,\"SiteName\":"
	    "\"Example.com\",\"Status\":\"active\"}]}", "example.com", &id,
	    &code, &why), OUT_CURRENT);
	assert_string_equal(id, "1234567890123");
	free(id);
	assert_int_equal(esa_parse_site(200, "{\"TotalCount\":0,\"Sites\":[]}",
	    "example.com", &id, &code, &why), OUT_CURRENT);
	assert_null(id);
	assert_int_equal(esa_parse_site(200, "{\"TotalCount\":0}",
	    "example.com", &id, &code, &why), OUT_CURRENT);
	assert_null(id);
	assert_int_equal(esa_parse_site(200, "{\"Records\":[]}",
	    "example.com", &id, &code, &why), OUT_PROTOCOL);
	free(why);
	/* The permission hint is ESA's, not alidns's. */
	assert_int_equal(esa_parse_site(403, "{\"Code\":\"Forbidden.RAM\","
	    "\"Message\":\"User not authorized\"}", "example.com", &id, &code,
	    &why), OUT_AUTH);
	assert_string_equal(code, "Forbidden.RAM");
	assert_non_null(strstr(why, "AliyunESAFullAccess"));
	assert_null(strstr(why, "AliyunDNSFullAccess"));
	free(code);
	free(why);
}

static void
test_records(void **unused)
{
	static const char *body = "{\"TotalCount\":3,\"Records\":["
	    "{\"RecordId\":1,\"RecordName\":\"home.example.com\","
	    "\"RecordType\":\"TXT\",\"Data\":{\"Value\":\"x\"}},"
	    "{\"RecordId\":2,\"RecordName\":\"Home.example.com\","
	    "\"RecordType\":\"A/AAAA\",\"Ttl\":300,\"Proxied\":true,"
	    "\"BizName\":\"api\",\"Data\":{\"Value\":\"198.51.100.1,"
	    "2001:db8::1\"}},"
	    "{\"RecordId\":3,\"RecordName\":\"a.home.example.com\","
	    "\"RecordType\":\"A/AAAA\",\"Data\":{\"Value\":\"1.2.3.4\"}}]}";
	struct esa_rec	 r;
	size_t		 n;
	char		*code, *why;

	(void)unused;
	assert_int_equal(esa_parse_records(200, body, "home.example.com", &r,
	    &n, &code, &why), OUT_CURRENT);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "2");
	assert_string_equal(r.type, "A/AAAA");
	assert_string_equal(r.value, "198.51.100.1,2001:db8::1");
	assert_string_equal(r.biz, "api");
	assert_int_equal(r.ttl, 300);
	assert_true(r.proxied);
	esa_rec_free(&r);
	assert_int_equal(esa_parse_records(200, "{\"Records\":[]}",
	    "home.example.com", &r, &n, &code, &why), OUT_CURRENT);
	assert_int_equal(n, 0);
	assert_int_equal(esa_parse_records(200, "{\"Records\":[{\"RecordId\":"
	    "\"x\",\"RecordName\":\"home.example.com\",\"RecordType\":\"A/AAAA\","
	    "\"Data\":{\"Value\":\"1.2.3.4\"}}]}", "home.example.com", &r, &n,
	    &code, &why), OUT_PROTOCOL);
	free(why);
	assert_int_equal(esa_parse_records(400, "{\"Code\":\"Throttling.User\","
	    "\"Message\":\"Request was denied due to user flow control.\"}",
	    "home.example.com", &r, &n, &code, &why), OUT_TEMPFAIL);
	assert_string_equal(code, "Throttling.User");
	free(code);
	free(why);
}

static void
test_write(void **unused)
{
	char	*id, *code, *why;

	(void)unused;
	assert_int_equal(esa_parse_write(200, "{\"RequestId\":\"r\","
	    "\"RecordId\":1234567890}", &id, &code, &why), OUT_UPDATED);
	assert_string_equal(id, "1234567890");
	free(id);
	assert_int_equal(esa_parse_write(200, "{\"RequestId\":\"r\"}", &id,
	    &code, &why), OUT_UPDATED);
	assert_null(id);
	assert_int_equal(esa_parse_write(200, "<html>", &id, &code, &why),
	    OUT_PROTOCOL);
	free(why);
	assert_int_equal(esa_parse_write(400, "{\"Code\":"
	    "\"SignatureDoesNotMatch\",\"Message\":\"Specified signature is "
	    "not matched with our calculation.\"}", &id, &code, &why),
	    OUT_AUTH);
	free(code);
	free(why);
}

/* ---- the A/AAAA value ----------------------------------------------------- */

static void
test_merge(void **unused)
{
	static const struct {
		const char	*have;
		const char	*addr;
		const char	*want;
		int		 changed;
	} t[] = {
		{ "", "203.0.113.7", "203.0.113.7", 1 },
		{ "203.0.113.7", "203.0.113.7", "203.0.113.7", 0 },
		{ "198.51.100.1", "203.0.113.7", "203.0.113.7", 1 },
		{ "198.51.100.1,2001:db8::1", "203.0.113.7",
		    "203.0.113.7,2001:db8::1", 1 },
		{ "198.51.100.1, 2001:db8::1", "2001:db8::7",
		    "198.51.100.1,2001:db8::7", 1 },
		{ "198.51.100.1,2001:DB8:0::7", "2001:db8::7",
		    "198.51.100.1,2001:db8::7", 0 },
		{ "2001:db8::1,198.51.100.1,198.51.100.2", "203.0.113.7",
		    "2001:db8::1,203.0.113.7", 1 },
		{ "203.0.113.7,203.0.113.7", "203.0.113.7", "203.0.113.7", 1 },
		{ "198.51.100.1", "2001:db8::7", "198.51.100.1,2001:db8::7", 1 },
	};
	struct addr	 a;
	size_t		 i;
	char		*v;
	int		 changed;

	(void)unused;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(addr_parse(t[i].addr, FAM_MAX, &a), 0);
		v = esa_merge_value(t[i].have, &a, &changed);
		assert_non_null(v);
		assert_string_equal(v, t[i].want);
		assert_int_equal(changed, t[i].changed);
		free(v);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_list_sites),
		cmocka_unit_test(test_build_create),
		cmocka_unit_test(test_sites),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
