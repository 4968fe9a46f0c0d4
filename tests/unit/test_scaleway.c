/*
 * Scaleway Domains and DNS v2beta1: reply reading, zone lists, record
 * lists and PATCH bodies, with replies shaped as the API reference
 * (ListDNSZones, ListDNSZoneRecords, UpdateDNSZoneRecords) and the
 * standard Scaleway error objects show them.
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/scaleway.h"

#define ZONES "{\"dns_zones\":[" \
	"{\"domain\":\"example.com\",\"subdomain\":\"\",\"ns\":[" \
	"\"ns0.dom.scw.cloud\",\"ns1.dom.scw.cloud\"],\"ns_default\":[]," \
	"\"ns_master\":[],\"status\":\"active\",\"message\":null," \
	"\"updated_at\":\"2024-01-01T00:00:00Z\",\"project_id\":" \
	"\"6170692e-7363-616c-6577-61792e636f6d\"}," \
	"{\"domain\":\"example.com\",\"subdomain\":\"lab\",\"status\":" \
	"\"active\"}],\"total_count\":2}"

#define RECORDS "{\"records\":[" \
	"{\"id\":\"fbf8c8f4-6a3e-4c3d-8e4b-1a2b3c4d5e6f\",\"data\":" \
	"\"198.51.100.1\",\"name\":\"home\",\"priority\":0,\"ttl\":300," \
	"\"type\":\"A\",\"comment\":null}," \
	"{\"id\":\"0a1b2c3d-0000-4000-8000-000000000002\",\"data\":" \
	"\"2001:db8::1\",\"name\":\"home\",\"priority\":0,\"ttl\":3600," \
	"\"type\":\"AAAA\"}," \
	"{\"id\":\"0a1b2c3d-0000-4000-8000-000000000003\",\"data\":" \
	"\"198.51.100.9\",\"name\":\"\",\"priority\":0,\"ttl\":3600," \
	"\"type\":\"A\"}],\"total_count\":3}"

struct rcase {
	long		 status;
	const char	*body;
	enum outcome	 out;
	const char	*why;
};

static void
test_reply_errors(void **st)
{
	static const struct rcase c[] = {
		{ 401, "{\"message\":\"authentication is denied\",\"method\":"
		    "\"api_key\",\"reason\":\"not_found\",\"type\":"
		    "\"denied_authentication\"}", OUT_AUTH, "HTTP 401: "
		    "denied_authentication: authentication is denied (check "
		    "secret_key: the secret key of a Scaleway API key "
		    "(console, IAM, API keys))" },
		{ 403, "{\"details\":[{\"action\":\"write\",\"resource\":"
		    "\"dns_zone\"}],\"message\":\"insufficient permissions\","
		    "\"type\":\"permissions_denied\"}", OUT_AUTH, "HTTP 403: "
		    "permissions_denied: insufficient permissions "
		    "[dns_zone:write] (the API key's IAM policy needs the "
		    "DomainsDNSFullAccess permission set on the zone's "
		    "project)" },
		{ 404, "{\"message\":\"resource is not found\",\"resource\":"
		    "\"dns_zone\",\"resource_id\":\"example.net\",\"type\":"
		    "\"not_found\"}", OUT_CONFIG, "HTTP 404: not_found: "
		    "resource is not found" },
		{ 400, "{\"details\":[{\"argument_name\":\"ttl\",\"reason\":"
		    "\"constraint\"}],\"message\":\"invalid argument(s)\","
		    "\"type\":\"invalid_arguments\"}", OUT_CONFIG, "HTTP 400: "
		    "invalid_arguments: invalid argument(s)" },
		{ 429, "{\"message\":\"too many requests\",\"type\":"
		    "\"too_many_requests\"}", OUT_TEMPFAIL, "HTTP 429: "
		    "too_many_requests: too many requests" },
		{ 503, "<html>oops</html>", OUT_TEMPFAIL, "HTTP 503 (no "
		    "Scaleway error in the reply)" },
		{ 200, "<html>hi</html>", OUT_PROTOCOL, "HTTP 200: not a "
		    "Scaleway API reply: '[' or '{' expected near '<'" },
		{ 200, "[]", OUT_PROTOCOL, "HTTP 200: not a Scaleway API "
		    "reply: not a JSON object" },
	};
	json_t	*root;
	char	*why;
	size_t	 i;

	(void)st;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(scw_reply(c[i].status, c[i].body, &root,
		    &why), c[i].out);
		assert_null(root);
		assert_string_equal(why, c[i].why);
		free(why);
	}
}

static void
test_zones(void **st)
{
	json_t	*root;

	(void)st;
	root = json_loads(ZONES, 0, NULL);
	assert_int_equal(scw_has_zone(root, "example.com"), 1);
	assert_int_equal(scw_has_zone(root, "EXAMPLE.com"), 1);
	assert_int_equal(scw_has_zone(root, "lab.example.com"), 1);
	assert_int_equal(scw_has_zone(root, "home.example.com"), 0);
	assert_int_equal(scw_has_zone(root, "example.net"), 0);
	json_decref(root);
	root = json_loads("{\"dns_zones\":[],\"total_count\":0}", 0, NULL);
	assert_int_equal(scw_has_zone(root, "example.com"), 0);
	json_decref(root);
	root = json_loads("{\"zones\":[]}", 0, NULL);
	assert_int_equal(scw_has_zone(root, "example.com"), -1);
	json_decref(root);
	root = json_loads("{\"dns_zones\":[{\"domain\":\"example.com\"}]}",
	    0, NULL);
	assert_int_equal(scw_has_zone(root, "example.com"), -1);
	json_decref(root);
}

static void
test_find(void **st)
{
	struct scw_rec	 r;
	json_t		*root;
	char		*why;
	size_t		 n;

	(void)st;
	root = json_loads(RECORDS, 0, NULL);
	assert_int_equal(scw_find(root, "home", "A", &r, &n, &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.id, "fbf8c8f4-6a3e-4c3d-8e4b-1a2b3c4d5e6f");
	assert_string_equal(r.data, "198.51.100.1");
	assert_int_equal(r.ttl, 300);
	scw_rec_free(&r);
	assert_int_equal(scw_find(root, "", "A", &r, &n, &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r.data, "198.51.100.9");
	scw_rec_free(&r);
	assert_int_equal(scw_find(root, "nas", "A", &r, &n, &why), 0);
	assert_int_equal(n, 0);
	assert_null(r.id);
	json_decref(root);
	root = json_loads("{\"records\":[{\"name\":\"home\",\"type\":\"A\","
	    "\"data\":\"1.2.3.4\",\"id\":\"a/b\"}]}", 0, NULL);
	assert_int_equal(scw_find(root, "home", "A", &r, &n, &why), -1);
	assert_string_equal(why, "record 0 has no usable id");
	free(why);
	json_decref(root);
	root = json_loads("{\"total_count\":0}", 0, NULL);
	assert_int_equal(scw_find(root, "home", "A", &r, &n, &why), -1);
	assert_string_equal(why, "no \"records\" array in the reply");
	free(why);
	json_decref(root);
}

static void
test_body(void **st)
{
	char	*b;

	(void)st;
	b = scw_body(NULL, "home", "A", "203.0.113.7", 3600);
	assert_string_equal(b, "{\"changes\":[{\"add\":{\"records\":[{"
	    "\"name\":\"home\",\"type\":\"A\",\"data\":\"203.0.113.7\","
	    "\"ttl\":3600,\"priority\":0}]}}],\"return_all_records\":false,"
	    "\"disallow_new_zone_creation\":true}");
	free(b);
	b = scw_body("fbf8c8f4-6a3e-4c3d-8e4b-1a2b3c4d5e6f", "", "AAAA",
	    "2001:db8::7", 300);
	assert_string_equal(b, "{\"changes\":[{\"set\":{\"id\":"
	    "\"fbf8c8f4-6a3e-4c3d-8e4b-1a2b3c4d5e6f\",\"records\":[{\"name\":"
	    "\"\",\"type\":\"AAAA\",\"data\":\"2001:db8::7\",\"ttl\":300,"
	    "\"priority\":0}]}}],\"return_all_records\":false,"
	    "\"disallow_new_zone_creation\":true}");
	free(b);
}

static void
test_in_table(void **st)
{
	(void)st;
	assert_ptr_equal(provider_find("scaleway"), &provider_scaleway);
	assert_non_null(provider_scaleway.check);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply_errors),
		cmocka_unit_test(test_zones),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_in_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
