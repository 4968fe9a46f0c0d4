/*
 * Tencent Cloud EdgeOne: request bodies, reply parsing and the stored id,
 * fed replies shaped like the API's documents; and the shared TC3 signer
 * and reply reader as EdgeOne uses them (service "teo", its own
 * permission hint).
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/tencentcloud.h"
#include "providers/edgeone.h"

#define DIANXIN	"\xe7\x94\xb5\xe4\xbf\xa1"	/* 电信 */
#define ZID	"zone-2o3h00000"

/*
 * Not published (EdgeOne's documents print no worked signature): computed
 * independently with the Python TC3 implementation of tests/integration/
 * mock_tencentcloud.py, with the key of Tencent's published TC3 example.
 */
#define P_SK	"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
#define P_TS	1763900000
#define P_BODY	"{\"ZoneId\":\"" ZID "\",\"Name\":\"*.dyn.example.com\"," \
	"\"Type\":\"A\",\"Content\":\"203.0.113.7\",\"Location\":\"" \
	DIANXIN "\",\"TTL\":600}"
#define P_SIG	"6aa0e55b9784ab65f3632a24301b2f154a26cac4e5627d6ad5094c19bf7e0ec1"

static void
test_teo_vector(void **st)
{
	char	 sig[65];
	char	*body;

	(void)st;
	body = eo_body_create(ZID, "*.dyn.example.com", "A", "203.0.113.7",
	    DIANXIN, 600);
	assert_non_null(body);
	assert_string_equal(body, P_BODY);
	assert_int_equal(tc3_sign(P_SK, "teo", "teo.tencentcloudapi.com",
	    TC_CTYPE, body, strlen(body), P_TS, sig), 0);
	assert_string_equal(sig, P_SIG);
	free(body);
}

static void
test_bodies(void **st)
{
	char	*s;

	(void)st;
	s = eo_body_zones("example.com");
	assert_string_equal(s, "{\"Filters\":[{\"Name\":\"zone-name\","
	    "\"Values\":[\"example.com\"]}]}");
	free(s);
	s = eo_body_list(ZID, "home.example.com", "AAAA");
	assert_string_equal(s, "{\"ZoneId\":\"" ZID "\",\"Filters\":["
	    "{\"Name\":\"name\",\"Values\":[\"home.example.com\"]},"
	    "{\"Name\":\"type\",\"Values\":[\"AAAA\"]}],\"Limit\":1000}");
	free(s);
	s = eo_body_create(ZID, "example.com", "AAAA", "2001:db8::1",
	    "Default", 0);
	assert_string_equal(s, "{\"ZoneId\":\"" ZID "\",\"Name\":"
	    "\"example.com\",\"Type\":\"AAAA\",\"Content\":\"2001:db8::1\","
	    "\"Location\":\"Default\"}");
	free(s);
	s = eo_body_modify(ZID, "record-2a4b0001", "home.example.com", "A",
	    "203.0.113.8", "Default", 300);
	assert_string_equal(s, "{\"ZoneId\":\"" ZID "\",\"DnsRecords\":["
	    "{\"RecordId\":\"record-2a4b0001\",\"Name\":\"home.example.com\","
	    "\"Type\":\"A\",\"Content\":\"203.0.113.8\",\"Location\":"
	    "\"Default\",\"TTL\":300}]}");
	free(s);
}

static void
test_ids(void **st)
{
	static const struct {
		const char	*in, *zid, *rid;
	} c[] = {
		{ ZID "/record-2a4b0001", ZID, "record-2a4b0001" },
		{ "zone-1/record_2", "zone-1", "record_2" },
		{ "record-1", NULL, NULL },
		{ "/record-1", NULL, NULL },
		{ "zone-1/", NULL, NULL },
		{ "zone-1/record-1/x", NULL, NULL },
		{ "zone 1/record-1", NULL, NULL },
		{ "42", NULL, NULL },
	};
	char	*z, *r;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		if (c[i].zid == NULL) {
			assert_int_equal(eo_split_id(c[i].in, &z, &r), -1);
			assert_null(z);
			assert_null(r);
			continue;
		}
		assert_int_equal(eo_split_id(c[i].in, &z, &r), 0);
		assert_string_equal(z, c[i].zid);
		assert_string_equal(r, c[i].rid);
		free(z);
		free(r);
	}
	assert_int_equal(eo_id_ok(""), 0);
	assert_int_equal(eo_id_ok("record-\n"), 0);
}

static void
test_parse(void **st)
{
	json_t		*root, *resp;
	struct eo_rec	 have;
	size_t		 count;
	char		*code, *why, *zid, *id;
	long		 retry;
	int		 hold;

	(void)st;
	assert_int_equal(tc_reply(200, "{\"Response\":{\"TotalCount\":2,"
	    "\"Zones\":[{\"ZoneId\":\"zone-1\",\"ZoneName\":"
	    "\"example.com.cn\"},"
	    "{\"ZoneId\":\"zone-2\",\"ZoneName\":\"Example.com\"}],"
	    "\"RequestId\":\"r\"}}", &root, &resp, &code, &retry, &hold, &why),
	    OUT_CURRENT);
	assert_int_equal(eo_parse_zones(resp, "example.com", &zid, &why), 0);
	assert_string_equal(zid, "zone-2");
	free(zid);
	assert_int_equal(eo_parse_zones(resp, "example.org", &zid, &why), 0);
	assert_null(zid);
	json_decref(root);

	assert_int_equal(tc_reply(200, "{\"Response\":{\"TotalCount\":3,"
	    "\"DnsRecords\":["
	    "{\"RecordId\":\"record-1\",\"Name\":\"home.example.com\",\"Type\":"
	    "\"A\",\"Content\":\"198.51.100.1\",\"Location\":\"" DIANXIN "\","
	    "\"TTL\":300},"
	    "{\"RecordId\":\"record-2\",\"Name\":\"Home.example.com\",\"Type\":"
	    "\"A\",\"Content\":\"198.51.100.2\",\"Location\":\"Default\","
	    "\"TTL\":120},"
	    "{\"RecordId\":\"record-3\",\"Name\":\"home.example.com\",\"Type\":"
	    "\"AAAA\",\"Content\":\"2001:db8::3\",\"Location\":\"Default\"}],"
	    "\"RequestId\":\"r\"}}", &root, &resp, &code, &retry, &hold, &why),
	    OUT_CURRENT);
	assert_int_equal(eo_parse_list(resp, "home.example.com", "A", "Default",
	    &have, &count, &why), 0);
	assert_int_equal(count, 1);
	assert_string_equal(have.id, "record-2");
	assert_string_equal(have.content, "198.51.100.2");
	assert_int_equal(have.ttl, 120);
	eo_rec_free(&have);
	assert_int_equal(eo_parse_list(resp, "home.example.com", "A", DIANXIN,
	    &have, &count, &why), 0);
	assert_string_equal(have.id, "record-1");
	eo_rec_free(&have);
	json_decref(root);

	assert_int_equal(tc_reply(200, "{\"Response\":{\"DnsRecords\":{}}}",
	    &root, &resp, &code, &retry, &hold, &why), OUT_CURRENT);
	assert_int_equal(eo_parse_list(resp, "a.example.com", "A", "Default",
	    &have, &count, &why), -1);
	assert_string_equal(why, "DnsRecords is not an array");
	free(why);
	id = eo_parse_id(resp, &why);
	assert_null(id);
	assert_string_equal(why, "no usable RecordId in the reply");
	free(why);
	json_decref(root);

	assert_int_equal(tc_reply(200, "{\"Response\":{\"RecordId\":"
	    "\"record-2a4b0001\"}}", &root, &resp, &code, &retry, &hold, &why),
	    OUT_CURRENT);
	id = eo_parse_id(resp, &why);
	assert_string_equal(id, "record-2a4b0001");
	free(id);
	json_decref(root);
}

/* The shared reply reader with EdgeOne's permission hint. */
static void
test_perm_hint(void **st)
{
	json_t	*root, *resp;
	char	*code, *why;
	long	 retry;
	int	 hold;

	(void)st;
	assert_int_equal(tc_reply_perm(" (grant QcloudTEOFullAccess)", 200,
	    "{\"Response\":{\"Error\":{\"Code\":\"UnauthorizedOperation."
	    "CamUnauthorized\",\"Message\":\"no\"},\"RequestId\":\"r\"}}",
	    &root, &resp, &code, &retry, &hold, &why), OUT_AUTH);
	assert_string_equal(why, "UnauthorizedOperation.CamUnauthorized: no "
	    "(grant QcloudTEOFullAccess)");
	assert_int_equal(hold, 1);
	free(code);
	free(why);
}

static void
test_endpoint(void **st)
{
	char	*h, *u;

	(void)st;
	assert_int_equal(tc_endpoint("https://TEO.tencentcloudapi.com:443/",
	    &h, &u), 0);
	assert_string_equal(h, "teo.tencentcloudapi.com");
	assert_string_equal(u, "https://TEO.tencentcloudapi.com:443/");
	free(h);
	free(u);
	assert_int_equal(tc_endpoint("http://127.0.0.1:8080", &h, &u), 0);
	assert_string_equal(h, "127.0.0.1:8080");
	assert_string_equal(u, "http://127.0.0.1:8080/");
	free(h);
	free(u);
	assert_int_equal(tc_endpoint("https://u@teo.tencentcloudapi.com/", &h,
	    &u), -1);
	assert_null(h);
	assert_null(u);
	assert_int_equal(tc_endpoint("ftp://x/", &h, &u), -1);
	assert_int_equal(tc_endpoint("https://x/path", &h, &u), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_teo_vector),
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_perm_hint),
		cmocka_unit_test(test_endpoint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
