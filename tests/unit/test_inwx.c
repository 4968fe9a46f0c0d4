/*
 * INWX DomRobot JSON-RPC: TOTP (RFC 6238 Appendix B and RFC 4226
 * Appendix D vectors), base32 (RFC 4648 section 10 vectors), request
 * bodies, and replies shaped as INWX's API documentation shows them
 * (chapter 1.4's success and error examples; EPP codes elsewhere).
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/inwx.h"

/* RFC 6238's SHA-1 seed, "12345678901234567890", in base32. */
#define SEED_B32	"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
#define SEED		"12345678901234567890"

static void
test_base32(void **st)
{
	static const struct {
		const char	*in;
		const char	*out;	/* NULL: refused */
	} t[] = {
		{ "MY======", "f" },
		{ "MZXQ====", "fo" },
		{ "MZXW6===", "foo" },
		{ "MZXW6YQ=", "foob" },
		{ "MZXW6YTB", "fooba" },
		{ "MZXW6YTBOI======", "foobar" },
		{ "mzxw 6ytb-oi", "foobar" },	/* as apps show secrets */
		{ SEED_B32, SEED },
		{ "MZXW1", NULL },		/* '1' is not base32 */
		{ "MZ+W", NULL },
		{ "", NULL },
		{ "====", NULL },
	};
	unsigned char	 buf[64];
	size_t		 i, len;

	(void)st;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (t[i].out == NULL) {
			assert_int_equal(inwx_base32(t[i].in, buf, sizeof(buf),
			    &len), -1);
			continue;
		}
		assert_int_equal(inwx_base32(t[i].in, buf, sizeof(buf), &len),
		    0);
		assert_int_equal(len, strlen(t[i].out));
		assert_memory_equal(buf, t[i].out, len);
	}
	/* Too long for the buffer. */
	assert_int_equal(inwx_base32(SEED_B32, buf, 19, &len), -1);
}

static void
test_totp(void **st)
{
	/* RFC 6238 Appendix B, SHA1 column (8 digits). */
	static const struct {
		long long	 t;
		const char	*code;
	} b[] = {
		{ 59LL, "94287082" },
		{ 1111111109LL, "07081804" },
		{ 1111111111LL, "14050471" },
		{ 1234567890LL, "89005924" },
		{ 2000000000LL, "69279037" },
		{ 20000000000LL, "65353130" },
	};
	/* RFC 4226 Appendix D: HOTP counters 0-9, 6 digits (TOTP at
	 * t = 30 * counter, and anywhere in that step). */
	static const char *const d[] = {
		"755224", "287082", "359152", "969429", "338314",
		"254676", "287922", "162583", "399871", "520489",
	};
	unsigned char	 key[64];
	size_t		 i, len;
	char		 out[9];

	(void)st;
	assert_int_equal(inwx_base32(SEED_B32, key, sizeof(key), &len), 0);
	for (i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
		if (sizeof(time_t) < 8 && b[i].t > 0x7fffffffLL)
			continue;
		assert_int_equal(inwx_totp(key, len, (time_t)b[i].t, 8, out),
		    0);
		assert_string_equal(out, b[i].code);
		/* The 6-digit code INWX takes is the same number mod 10^6. */
		assert_int_equal(inwx_totp(key, len, (time_t)b[i].t, 6, out),
		    0);
		assert_string_equal(out, b[i].code + 2);
	}
	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		assert_int_equal(inwx_totp(key, len, (time_t)(30 * i), 6,
		    out), 0);
		assert_string_equal(out, d[i]);
		assert_int_equal(inwx_totp(key, len, (time_t)(30 * i + 29), 6,
		    out), 0);
		assert_string_equal(out, d[i]);
	}
	assert_int_equal(inwx_totp(key, len, 59, 5, out), -1);
	assert_int_equal(inwx_totp(key, len, 59, 9, out), -1);
	assert_int_equal(inwx_totp(key, 0, 59, 6, out), -1);
	assert_int_equal(inwx_totp(key, len, -1, 6, out), -1);
}

static void
test_body(void **st)
{
	json_t	*p;
	char	*b;

	(void)st;
	/* Chapter 1.2's example request, lang ours. */
	p = json_pack("{s:s, s:s}", "user", "blakeks", "pass", "SCHEDULED");
	b = inwx_body("account.login", p);
	assert_string_equal(b, "{\"method\":\"account.login\",\"params\":{"
	    "\"user\":\"blakeks\",\"pass\":\"SCHEDULED\",\"lang\":\"en\"}}");
	free(b);
	/* The params are borrowed, not changed. */
	assert_null(json_object_get(p, "lang"));
	json_decref(p);
	b = inwx_body("account.logout", NULL);
	assert_string_equal(b, "{\"method\":\"account.logout\",\"params\":{"
	    "\"lang\":\"en\"}}");
	free(b);

	p = inwx_write_params("home.example.com", "example.com", "A",
	    "203.0.113.7", 0, NULL);
	b = json_dumps(p, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(b, "{\"domain\":\"example.com\",\"type\":\"A\","
	    "\"name\":\"home.example.com\",\"content\":\"203.0.113.7\"}");
	free(b);
	json_decref(p);
	/* The apex: no name (the documented default), a TTL. */
	p = inwx_write_params("Example.com", "example.com", "AAAA",
	    "2001:db8::7", 300, NULL);
	b = json_dumps(p, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(b, "{\"domain\":\"example.com\",\"type\":\"AAAA\","
	    "\"content\":\"2001:db8::7\",\"ttl\":300}");
	free(b);
	json_decref(p);
	p = inwx_write_params("home.example.com", NULL, "A", "203.0.113.8",
	    0, "12345678");
	b = json_dumps(p, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(b, "{\"id\":12345678,\"content\":\"203.0.113.8\"}");
	free(b);
	json_decref(p);
	p = inwx_write_params("home.example.com", NULL, "A", "203.0.113.8",
	    600, "7");
	b = json_dumps(p, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(b, "{\"id\":7,\"content\":\"203.0.113.8\","
	    "\"ttl\":600}");
	free(b);
	json_decref(p);
}

static void
test_reply(void **st)
{
	static const struct {
		const char	*method;
		long		 status;
		const char	*body;
		enum outcome	 out;
		long		 code;
		const char	*why;	/* NULL on success */
	} t[] = {
		/* Chapter 1.4's examples. */
		{ "account.login", 200, "{\"code\": 1000, \"msg\": \"Command "
		    "completed successfully\", \"resData\": {\"customerId\": "
		    "10069, \"customerNo\": 110069, \"accountId\": 61140, "
		    "\"tfa\": \"0\"}}", OUT_CURRENT, 1000, NULL },
		{ "nameserver.updateRecord", 200, "{\"code\": 2003, \"msg\": "
		    "\"Required parameter missing\", \"reasonCode\": "
		    "\"MISSING_ID\", \"reason\": \"The following parameter is "
		    "missing: id\", \"details\": [{ \"code\": \"PARAM_MISSING\","
		    " \"msg\": \"The parameter 'id' is missing\" }]}",
		    OUT_CONFIG, 2003, "nameserver.updateRecord: code 2003: "
		    "Required parameter missing (The following parameter is "
		    "missing: id)" },
		/* logout's "ending session". */
		{ "account.logout", 200, "{\"code\":1500,\"msg\":\"Command "
		    "completed successfully; ending session\"}", OUT_CURRENT,
		    1500, NULL },
		{ "account.login", 200, "{\"code\":2200,\"msg\":"
		    "\"Authentication error\"}", OUT_AUTH, 2200,
		    "account.login: code 2200: Authentication error; check "
		    "username and password: those of the INWX account (or of "
		    "a sub-account with the DNS role), not of a DynDNS "
		    "account" },
		{ "account.unlock", 200, "{\"code\":2200,\"msg\":"
		    "\"Authentication error\",\"reason\":\"Invalid TAN\"}",
		    OUT_AUTH, 2200, "account.unlock: code 2200: Authentication "
		    "error (Invalid TAN); check shared_secret (the base32 text "
		    "of the 2FA QR code) and this machine's clock; INWX takes "
		    "each code once, so logins less than 30 seconds apart "
		    "fail" },
		{ "nameserver.info", 200, "{\"code\":2201,\"msg\":"
		    "\"Authorization failed\"}", OUT_AUTH, 2201,
		    "nameserver.info: code 2201: Authorization failed; the "
		    "account may lack the right: a sub-account needs the DNS "
		    "role" },
		{ "nameserver.info", 200, "{\"code\":2303,\"msg\":\"Object "
		    "does not exist\"}", OUT_CONFIG, 2303, "nameserver.info: "
		    "code 2303: Object does not exist" },
		{ "nameserver.createRecord", 200, "{\"code\":2302,\"msg\":"
		    "\"Object exists\"}", OUT_CONFIG, 2302,
		    "nameserver.createRecord: code 2302: Object exists" },
		{ "nameserver.info", 200, "{\"code\":2502,\"msg\":\"Session "
		    "limit exceeded; server closing connection\"}",
		    OUT_TEMPFAIL, 2502, "nameserver.info: code 2502: Session "
		    "limit exceeded; server closing connection" },
		{ "nameserver.info", 200, "{\"code\":2400,\"msg\":\"Command "
		    "failed\"}", OUT_TEMPFAIL, 2400, "nameserver.info: code "
		    "2400: Command failed" },
		{ "nameserver.info", 200, "{\"code\":2000,\"msg\":\"Unknown "
		    "command\"}", OUT_PROTOCOL, 2000, "nameserver.info: code "
		    "2000: Unknown command" },
		{ "nameserver.info", 200, "{\"code\":3000,\"msg\":\"x\\ny\"}",
		    OUT_PROTOCOL, 3000, "nameserver.info: code 3000: x?y" },
		/* Not DomRobot replies. */
		{ "account.login", 200, "<html>", OUT_PROTOCOL, 0,
		    "account.login: HTTP 200: not a DomRobot reply: '[' or "
		    "'{' expected near '<'" },
		{ "account.login", 200, "{\"code\":\"1000\"}", OUT_PROTOCOL, 0,
		    "account.login: HTTP 200: not a DomRobot reply: no integer "
		    "\"code\"" },
		{ "account.login", 200, "[1000]", OUT_PROTOCOL, 0,
		    "account.login: HTTP 200: not a DomRobot reply: not a JSON "
		    "object" },
		{ "account.login", 200, "", OUT_PROTOCOL, 0, "account.login: "
		    "HTTP 200: not a DomRobot reply: empty reply" },
		{ "account.login", 502, "<html>Bad Gateway</html>",
		    OUT_TEMPFAIL, 0, "account.login: HTTP 502 (no DomRobot "
		    "reply)" },
		{ "account.login", 429, "", OUT_TEMPFAIL, 0, "account.login: "
		    "HTTP 429 (no DomRobot reply)" },
		{ "account.login", 403, "Forbidden", OUT_AUTH, 0,
		    "account.login: HTTP 403 (no DomRobot reply)" },
		/* A DomRobot error under HTTP 500: its code decides. */
		{ "nameserver.info", 500, "{\"code\":2303,\"msg\":\"Object "
		    "does not exist\"}", OUT_CONFIG, 2303, "nameserver.info: "
		    "code 2303: Object does not exist" },
	};
	json_t		*res;
	char		*why;
	long		 code;
	size_t		 i;

	(void)st;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(inwx_reply(t[i].method, t[i].status,
		    t[i].body, &res, &code, &why), t[i].out);
		assert_int_equal(code, t[i].code);
		if (t[i].why == NULL) {
			assert_null(why);
			assert_true(json_is_object(res));
		} else {
			assert_null(res);
			assert_string_equal(why, t[i].why);
		}
		json_decref(res);
		free(why);
	}
}

static void
test_tfa(void **st)
{
	static const struct {
		const char	*res;
		int		 r;
		const char	*method;
	} t[] = {
		{ "{\"customerId\":10069,\"tfa\":\"0\"}", 0, NULL },
		{ "{\"customerId\":10069}", 0, NULL },
		{ "{\"tfa\":0}", 0, NULL },
		{ "{\"tfa\":\"GOOGLE-AUTH\"}", 1, "GOOGLE-AUTH" },
		{ "{\"tfa\":[]}", -1, NULL },
	};
	json_t		*res;
	const char	*m;
	size_t		 i;

	(void)st;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		res = json_loads(t[i].res, 0, NULL);
		assert_int_equal(inwx_tfa(res, &m), t[i].r);
		if (t[i].method != NULL)
			assert_string_equal(m, t[i].method);
		json_decref(res);
	}
}

/* nameserver.info's resData as chapter 2.15.10 lists its fields. */
#define INFO "{\"roId\":110,\"domain\":\"example.com\",\"type\":" \
	"\"MASTER\",\"count\":4,\"record\":[" \
	"{\"id\":1001,\"name\":\"example.com\",\"type\":\"A\",\"content\":" \
	"\"198.51.100.1\",\"ttl\":3600,\"prio\":0}," \
	"{\"id\":1002,\"name\":\"home.example.com\",\"type\":\"A\"," \
	"\"content\":\"198.51.100.2\",\"ttl\":3600,\"prio\":0}," \
	"{\"id\":1003,\"name\":\"Home.Example.com\",\"type\":\"AAAA\"," \
	"\"content\":\"2001:db8::2\",\"ttl\":3600,\"prio\":0}," \
	"{\"id\":1004,\"name\":\"home.example.com\",\"type\":\"A\"," \
	"\"content\":\"198.51.100.3\",\"ttl\":3600,\"prio\":0}]}"

static void
test_find(void **st)
{
	struct inwx_rec	 r;
	json_t		*res;
	char		*why;
	size_t		 n;

	(void)st;
	res = json_loads(INFO, 0, NULL);
	assert_int_equal(inwx_find(res, "home.example.com", "A", &r, &n,
	    &why), 0);
	assert_int_equal(n, 2);
	assert_string_equal(r.id, "1002");
	assert_string_equal(r.content, "198.51.100.2");
	inwx_rec_free(&r);
	assert_int_equal(inwx_find(res, "home.example.com.", "aaaa", &r, &n,
	    &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "1003");
	inwx_rec_free(&r);
	assert_int_equal(inwx_find(res, "EXAMPLE.com", "A", &r, &n, &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "1001");
	inwx_rec_free(&r);
	assert_int_equal(inwx_find(res, "www.example.com", "A", &r, &n, &why),
	    0);
	assert_int_equal(n, 0);
	assert_null(r.id);
	json_decref(res);

	/* No "record": an empty zone (or filter), not an error. */
	res = json_loads("{\"roId\":110,\"domain\":\"example.com\"}", 0, NULL);
	assert_int_equal(inwx_find(res, "home.example.com", "A", &r, &n,
	    &why), 0);
	assert_int_equal(n, 0);
	json_decref(res);
	res = json_loads("{\"record\":{}}", 0, NULL);
	assert_int_equal(inwx_find(res, "home.example.com", "A", &r, &n,
	    &why), -1);
	assert_string_equal(why, "\"record\" is not an array");
	free(why);
	json_decref(res);
	res = json_loads("{\"record\":[{\"id\":1,\"name\":\"home.example.com\","
	    "\"type\":\"A\"}]}", 0, NULL);
	assert_int_equal(inwx_find(res, "home.example.com", "A", &r, &n,
	    &why), -1);
	assert_string_equal(why, "record 0 lacks name, type or content");
	free(why);
	json_decref(res);
	res = json_loads("{\"record\":[{\"id\":\"x\",\"name\":"
	    "\"home.example.com\",\"type\":\"A\",\"content\":\"1.2.3.4\"}]}",
	    0, NULL);
	assert_int_equal(inwx_find(res, "home.example.com", "A", &r, &n,
	    &why), -1);
	assert_string_equal(why, "record 0 has no numeric id");
	assert_int_equal(n, 0);
	free(why);
	json_decref(res);
}

static void
test_listed(void **st)
{
	json_t	*res;

	(void)st;
	/* nameserver.list's resData as chapter 2.15.11 lists its fields. */
	res = json_loads("{\"count\":2,\"domains\":[{\"roId\":110,\"domain\":"
	    "\"example.com\",\"type\":\"MASTER\"},{\"roId\":111,\"domain\":"
	    "\"example.org\",\"type\":\"MASTER\"}]}", 0, NULL);
	assert_int_equal(inwx_listed(res, "Example.COM"), 1);
	assert_int_equal(inwx_listed(res, "example.org"), 1);
	assert_int_equal(inwx_listed(res, "home.example.com"), 0);
	json_decref(res);
	res = json_loads("{\"count\":0}", 0, NULL);
	assert_int_equal(inwx_listed(res, "example.com"), 0);
	json_decref(res);
	res = json_loads("{\"domains\":[{\"roId\":110}]}", 0, NULL);
	assert_int_equal(inwx_listed(res, "example.com"), -1);
	json_decref(res);
	res = json_loads("{\"domains\":\"example.com\"}", 0, NULL);
	assert_int_equal(inwx_listed(res, "example.com"), -1);
	json_decref(res);
}

static void
test_in_table(void **st)
{
	(void)st;
	assert_ptr_equal(provider_find("inwx"), &provider_inwx);
	assert_non_null(provider_inwx.check);
	assert_non_null(provider_inwx.finish);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base32),
		cmocka_unit_test(test_totp),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_tfa),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_listed),
		cmocka_unit_test(test_in_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
