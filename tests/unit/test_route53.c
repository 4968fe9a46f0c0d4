/*
 * Route 53 provider: the pure parts fed replies shaped like the examples
 * in the Route 53 API Reference (2013-04-01), and the shared credentials
 * file parser.
 */
#include "unit.h"
#include "providers/providers.h"
#include "providers/route53.h"

#define XHDR	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define NS	"xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\""
#define ERR(code, msg) XHDR "<ErrorResponse " NS "><Error><Type>Sender" \
	"</Type><Code>" code "</Code><Message>" msg "</Message></Error>" \
	"<RequestId>6b3c1e1a-0b5d-4d0e-9c6b-2f7c2a8e0d11</RequestId>" \
	"</ErrorResponse>"
#define PERMS	"route53:ListHostedZonesByName, " \
	"route53:ListResourceRecordSets, route53:ChangeResourceRecordSets " \
	"and route53:GetChange"

/* ---- errors -------------------------------------------------------------- */

static void
test_errors(void **state)
{
	static const struct {
		long		 status;
		const char	*body;
		enum outcome	 out;
		long		 wait;
		const char	*why;
	} cases[] = {
		{ 403, ERR("SignatureDoesNotMatch", "The request signature we "
		    "calculated does not match the signature you provided."),
		    OUT_AUTH, 0, "HTTP 403: SignatureDoesNotMatch: \"The "
		    "request signature we calculated does not match the "
		    "signature you provided.\" (check access_key_id, "
		    "secret_access_key and session_token: wrong, inactive or "
		    "expired key? It also needs " PERMS ")" },
		{ 403, ERR("InvalidClientTokenId", "The security token "
		    "included in the request is invalid."), OUT_AUTH, 0,
		    "HTTP 403: InvalidClientTokenId: \"The security token "
		    "included in the request is invalid.\" (check "
		    "access_key_id, secret_access_key and session_token: "
		    "wrong, inactive or expired key? It also needs " PERMS
		    ")" },
		{ 403, ERR("AccessDenied", "User: arn:aws:iam::123456789012:"
		    "user/ddns is not authorized to perform: "
		    "route53:ChangeResourceRecordSets"), OUT_AUTH, 0,
		    "HTTP 403: AccessDenied: \"User: arn:aws:iam::"
		    "123456789012:user/ddns is not authorized to perform: "
		    "route53:ChangeResourceRecordSets\" (the IAM policy of this "
		    "key must allow " PERMS " on the zone)" },
		{ 400, ERR("Throttling", "Rate exceeded"), OUT_TEMPFAIL, 30,
		    "HTTP 400: Throttling: \"Rate exceeded\"" },
		{ 400, ERR("PriorRequestNotComplete", "The request was "
		    "rejected because Route 53 was still processing a prior "
		    "request."), OUT_TEMPFAIL, 30, "HTTP 400: "
		    "PriorRequestNotComplete: \"The request was rejected "
		    "because Route 53 was still processing a prior request.\"" },
		{ 404, ERR("NoSuchHostedZone", "No hosted zone found with ID: "
		    "Z1D633PJN98FT9"), OUT_CONFIG, 0, "HTTP 404: "
		    "NoSuchHostedZone: \"No hosted zone found with ID: "
		    "Z1D633PJN98FT9\"" },
		{ 400, ERR("InvalidChangeBatch", "[Invalid Resource Record: "
		    "'FATAL problem: ARRDATAIllegalIPv4Address (Value is not a "
		    "valid IPv4 address) encountered with 'x'']"), OUT_CONFIG, 0,
		    "HTTP 400: InvalidChangeBatch: \"[Invalid Resource Record: "
		    "'FATAL problem: ARRDATAIllegalIPv4Address (Value is not a "
		    "valid IPv4 address) encountered with 'x'']\"" },
		{ 400, ERR("SomethingNew", "a\nb"), OUT_PROTOCOL, 0,
		    "HTTP 400: SomethingNew: \"a?b\"" },
		{ 500, ERR("InternalFailure", "oops"), OUT_TEMPFAIL, 30,
		    "HTTP 500: InternalFailure: \"oops\"" },
		{ 502, "<html><body>Bad Gateway</body>", OUT_TEMPFAIL, 0,
		    "HTTP 502 (no Route 53 error in the reply)" },
		{ 403, "Forbidden", OUT_PROTOCOL, 0, "HTTP 403: not a Route 53 "
		    "reply: not XML: syntax error at line 1" },
		{ 400, XHDR "<ErrorResponse " NS "><Error><Message>m</Message>"
		    "</Error></ErrorResponse>", OUT_PROTOCOL, 0,
		    "HTTP 400: an error without a code" },
		{ 200, "", OUT_PROTOCOL, 0, "HTTP 200: not a Route 53 reply: "
		    "empty reply" },
		{ 200, XHDR "<!DOCTYPE r [<!ENTITY a \"b\">]><r>&a;</r>",
		    OUT_PROTOCOL, 0, "HTTP 200: not a Route 53 reply: not XML "
		    "we accept: a DOCTYPE" },
		{ 200, XHDR "<Other " NS "/>", OUT_PROTOCOL, 0,
		    "HTTP 200: unexpected reply <Other>" },
	};
	char		*why;
	long		 wait;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		wait = 0;
		why = NULL;
		assert_int_equal(r53_parse_error(cases[i].status,
		    cases[i].body, &wait, &why), cases[i].out);
		assert_string_equal(why, cases[i].why);
		assert_int_equal(wait, cases[i].wait);
		free(why);
	}
}

/* ---- zones --------------------------------------------------------------- */

#define HZ(id, name, priv) "<HostedZone><Id>/hostedzone/" id "</Id><Name>" \
	name "</Name><CallerReference>ref-" id "</CallerReference><Config>" \
	"<Comment>zone</Comment><PrivateZone>" priv "</PrivateZone></Config>" \
	"<ResourceRecordSetCount>4</ResourceRecordSetCount></HostedZone>"
#define ZONES(zs) XHDR "<ListHostedZonesByNameResponse " NS ">\n" \
	"   <HostedZones>" zs "</HostedZones>\n   <DNSName>example.com." \
	"</DNSName><IsTruncated>false</IsTruncated><MaxItems>10</MaxItems>" \
	"</ListHostedZonesByNameResponse>"

static void
test_zones(void **state)
{
	static const struct {
		const char	*body;
		const char	*zone;
		enum outcome	 out;
		const char	*id;
	} cases[] = {
		{ ZONES(HZ("Z1D633PJN98FT9", "example.com.", "false")),
		    "example.com", OUT_CURRENT, "Z1D633PJN98FT9" },
		{ ZONES(HZ("Z1D633PJN98FT9", "Example.COM.", "false")),
		    "example.com", OUT_CURRENT, "Z1D633PJN98FT9" },
		/* The list starts at dnsname: a later zone is not ours. */
		{ ZONES(HZ("Z2", "example.net.", "false")), "example.com",
		    OUT_CURRENT, NULL },
		{ ZONES(""), "example.com", OUT_CURRENT, NULL },
		/* A private zone of the name loses to the public one. */
		{ ZONES(HZ("ZPRIV", "example.com.", "true")
		    HZ("ZPUB", "example.com.", "false")), "example.com",
		    OUT_CURRENT, "ZPUB" },
		{ ZONES(HZ("ZPRIV", "example.com.", "true")), "example.com",
		    OUT_CURRENT, "ZPRIV" },
		{ ZONES(HZ("Z/../x", "example.com.", "false")), "example.com",
		    OUT_PROTOCOL, NULL },
		{ XHDR "<ListHostedZonesByNameResponse " NS "/>",
		    "example.com", OUT_PROTOCOL, NULL },
	};
	char		*id, *why;
	long		 wait = 0;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		why = NULL;
		assert_int_equal(r53_parse_zones(200, cases[i].body,
		    cases[i].zone, &id, &wait, &why), cases[i].out);
		if (cases[i].id != NULL)
			assert_string_equal(id, cases[i].id);
		else
			assert_null(id);
		if (cases[i].out == OUT_CURRENT)
			assert_null(why);
		else
			assert_non_null(why);
		free(id);
		free(why);
	}
}

/* ---- record sets --------------------------------------------------------- */

#define SETS(s) XHDR "<ListResourceRecordSetsResponse " NS ">" \
	"<ResourceRecordSets>" s "</ResourceRecordSets><IsTruncated>true" \
	"</IsTruncated><MaxItems>1</MaxItems><NextRecordName>zz.example.com." \
	"</NextRecordName><NextRecordType>A</NextRecordType>" \
	"</ListResourceRecordSetsResponse>"
#define SET(name, type, ttl, vals) "<ResourceRecordSet><Name>" name \
	"</Name><Type>" type "</Type><TTL>" ttl "</TTL><ResourceRecords>" \
	vals "</ResourceRecords></ResourceRecordSet>"
#define V(v) "<ResourceRecord><Value>" v "</Value></ResourceRecord>"

static void
test_rrsets(void **state)
{
	static const struct {
		const char	*body;
		const char	*name;
		const char	*type;
		enum outcome	 out;
		int		 found;
		long		 ttl;
		size_t		 nvalues;
		const char	*value;
		int		 alias, policy;
	} cases[] = {
		{ SETS(SET("home.example.com.", "A", "120", V("192.0.2.1"))),
		    "home.example.com", "A", OUT_CURRENT, 1, 120, 1,
		    "192.0.2.1", 0, 0 },
		{ SETS(SET("HOME.example.com.", "A", "60", V("192.0.2.1")
		    V("192.0.2.2"))), "home.example.com", "A", OUT_CURRENT, 1,
		    60, 2, "192.0.2.1", 0, 0 },
		/* The next name, or the next type, is not ours. */
		{ SETS(SET("www.example.com.", "A", "60", V("192.0.2.9"))),
		    "home.example.com", "A", OUT_CURRENT, 0, 0, 0, NULL, 0, 0 },
		{ SETS(SET("home.example.com.", "AAAA", "60", V("2001:db8::1"))),
		    "home.example.com", "A", OUT_CURRENT, 0, 0, 0, NULL, 0, 0 },
		{ SETS(""), "home.example.com", "A", OUT_CURRENT, 0, 0, 0, NULL,
		    0, 0 },
		/* Route 53 writes "*" as \052. */
		{ SETS(SET("\\052.example.com.", "A", "300", V("192.0.2.1"))),
		    "*.example.com", "A", OUT_CURRENT, 1, 300, 1, "192.0.2.1",
		    0, 0 },
		{ SETS("<ResourceRecordSet><Name>home.example.com.</Name><Type>"
		    "A</Type><AliasTarget><HostedZoneId>Z2FDTNDATAQYW2"
		    "</HostedZoneId><DNSName>d1.cloudfront.net.</DNSName>"
		    "<EvaluateTargetHealth>false</EvaluateTargetHealth>"
		    "</AliasTarget></ResourceRecordSet>"), "home.example.com",
		    "A", OUT_CURRENT, 1, 0, 0, NULL, 1, 0 },
		{ SETS("<ResourceRecordSet><Name>home.example.com.</Name><Type>"
		    "A</Type><SetIdentifier>one</SetIdentifier><Weight>10"
		    "</Weight><TTL>60</TTL><ResourceRecords>" V("192.0.2.1")
		    "</ResourceRecords></ResourceRecordSet>"),
		    "home.example.com", "A", OUT_CURRENT, 1, 60, 1, "192.0.2.1",
		    0, 1 },
		{ SETS(SET("home.example.com.", "A", "1x", V("192.0.2.1"))),
		    "home.example.com", "A", OUT_PROTOCOL, 0, 0, 0, NULL, 0, 0 },
		{ SETS("<ResourceRecordSet><Type>A</Type></ResourceRecordSet>"),
		    "home.example.com", "A", OUT_PROTOCOL, 0, 0, 0, NULL, 0, 0 },
		{ XHDR "<ListResourceRecordSetsResponse " NS "/>",
		    "home.example.com", "A", OUT_PROTOCOL, 0, 0, 0, NULL, 0, 0 },
	};
	struct r53_rrset have;
	char		*why;
	long		 wait = 0;
	size_t		 i;
	int		 found;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		why = NULL;
		assert_int_equal(r53_parse_rrsets(200, cases[i].body,
		    cases[i].name, cases[i].type, &have, &found, &wait, &why),
		    cases[i].out);
		assert_int_equal(found, cases[i].found);
		assert_int_equal(have.ttl, cases[i].ttl);
		assert_int_equal(have.nvalues, cases[i].nvalues);
		if (cases[i].value != NULL)
			assert_string_equal(have.value, cases[i].value);
		else
			assert_null(have.value);
		assert_int_equal(have.alias, cases[i].alias);
		assert_int_equal(have.policy, cases[i].policy);
		r53_rrset_free(&have);
		free(why);
	}
}

/* ---- changes ------------------------------------------------------------- */

static void
test_change(void **state)
{
	static const struct {
		const char	*body;
		enum outcome	 out;
		const char	*id, *st;
	} cases[] = {
		{ XHDR "<ChangeResourceRecordSetsResponse " NS "><ChangeInfo>"
		    "<Id>/change/C2682N5HXP0BZ4</Id><Status>PENDING</Status>"
		    "<SubmittedAt>2017-03-10T01:36:41.958Z</SubmittedAt>"
		    "</ChangeInfo></ChangeResourceRecordSetsResponse>",
		    OUT_CURRENT, "C2682N5HXP0BZ4", "PENDING" },
		{ XHDR "<GetChangeResponse " NS "><ChangeInfo><Id>"
		    "C2682N5HXP0BZ4</Id><Status>INSYNC</Status><SubmittedAt>"
		    "2017-03-10T01:36:41.958Z</SubmittedAt></ChangeInfo>"
		    "</GetChangeResponse>", OUT_CURRENT, "C2682N5HXP0BZ4",
		    "INSYNC" },
		{ XHDR "<GetChangeResponse " NS "><ChangeInfo><Id>/change/C1"
		    "</Id><Status>DONE</Status></ChangeInfo>"
		    "</GetChangeResponse>", OUT_PROTOCOL, NULL, NULL },
		{ XHDR "<GetChangeResponse " NS "><ChangeInfo><Status>INSYNC"
		    "</Status></ChangeInfo></GetChangeResponse>", OUT_PROTOCOL,
		    NULL, NULL },
	};
	char		*id, *st, *why;
	long		 wait = 0;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		why = NULL;
		assert_int_equal(r53_parse_change(200, cases[i].body, &id, &st,
		    &wait, &why), cases[i].out);
		if (cases[i].id != NULL) {
			assert_string_equal(id, cases[i].id);
			assert_string_equal(st, cases[i].st);
		} else {
			assert_null(id);
			assert_null(st);
			assert_non_null(why);
		}
		free(id);
		free(st);
		free(why);
	}
}

/* ---- writing ------------------------------------------------------------- */

static void
test_write(void **state)
{
	static const struct {
		const char	*in, *want;
	} esc[] = {
		{ "plain", "plain" },
		{ "a&b<c>d\"e'f", "a&amp;b&lt;c&gt;d&quot;e&apos;f" },
		{ "", "" },
	}, unesc[] = {
		{ "\\052.example.com.", "*.example.com" },
		{ "example.com.", "example.com" },
		{ "example.com", "example.com" },
		{ "a\\040b.example.com.", "a b.example.com" },
		{ "a\\0", "a\\0" },
		{ "a\\999.", "a\\999" },
		{ ".", "" },
	};
	char	*s;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(esc) / sizeof(esc[0]); i++) {
		s = r53_xml_escape(esc[i].in);
		assert_string_equal(s, esc[i].want);
		free(s);
	}
	for (i = 0; i < sizeof(unesc) / sizeof(unesc[0]); i++) {
		s = r53_unescape(unesc[i].in);
		assert_string_equal(s, unesc[i].want);
		free(s);
	}
	s = r53_change_xml("*.example.com", "A", 300, "203.0.113.7");
	assert_string_equal(s, XHDR "<ChangeResourceRecordSetsRequest " NS ">"
	    "<ChangeBatch><Comment>ddnsup</Comment><Changes><Change><Action>"
	    "UPSERT</Action><ResourceRecordSet><Name>*.example.com.</Name>"
	    "<Type>A</Type><TTL>300</TTL><ResourceRecords><ResourceRecord>"
	    "<Value>203.0.113.7</Value></ResourceRecord></ResourceRecords>"
	    "</ResourceRecordSet></Change></Changes></ChangeBatch>"
	    "</ChangeResourceRecordSetsRequest>\n");
	free(s);
	s = r53_change_xml("a&b.example.com", "AAAA", 60, "2001:db8::7");
	assert_string_equal(s, XHDR "<ChangeResourceRecordSetsRequest " NS ">"
	    "<ChangeBatch><Comment>ddnsup</Comment><Changes><Change><Action>"
	    "UPSERT</Action><ResourceRecordSet><Name>a&amp;b.example.com."
	    "</Name><Type>AAAA</Type><TTL>60</TTL><ResourceRecords>"
	    "<ResourceRecord><Value>2001:db8::7</Value></ResourceRecord>"
	    "</ResourceRecords></ResourceRecordSet></Change></Changes>"
	    "</ChangeBatch></ChangeResourceRecordSetsRequest>\n");
	free(s);
}

/* ---- the shared credentials file ----------------------------------------- */

static void
test_cred(void **state)
{
	static const struct {
		const char	*text, *profile;
		int		 ret;
		const char	*ak, *sk, *tok, *why;
	} cases[] = {
		{ "[default]\naws_access_key_id = AKIDEXAMPLE\n"
		    "aws_secret_access_key = wJalr/K7MDENG+bPx\n", "default",
		    0, "AKIDEXAMPLE", "wJalr/K7MDENG+bPx", NULL, NULL },
		{ "# c\n; c\n\n[a]\naws_access_key_id=A1\n"
		    "aws_secret_access_key=S1\n[ b ]\r\naws_access_key_id=A2\r\n"
		    "aws_secret_access_key = S2 \r\naws_session_token = T2\r\n"
		    "region = eu-west-1\r\n", "b", 0, "A2", "S2", "T2", NULL },
		{ "[default]\naws_access_key_id = A\naws_secret_access_key = S\n"
		    "s3 =\n  max_concurrent_requests = 20\n", "default", 0,
		    "A", "S", NULL, NULL },
		{ "\xef\xbb\xbf[default]\r\naws_access_key_id = A\r\n"
		    "aws_secret_access_key = S\r\n", "default", 0, "A", "S",
		    NULL, NULL },
		{ "[default]\naws_access_key_id = A\n", "other", 1, NULL, NULL,
		    NULL, NULL },
		{ "aws_access_key_id = A\n", "default", -1, NULL, NULL, NULL,
		    "line 1: a key before any \"[profile]\"" },
		{ "[default\n", "default", -1, NULL, NULL, NULL,
		    "line 1: a section header without \"]\"" },
		{ "[default]\nnonsense\n", "default", -1, NULL, NULL, NULL,
		    "line 2: not \"[profile]\" nor \"key = value\"" },
		{ "[default]\n= x\n", "default", -1, NULL, NULL, NULL,
		    "line 2: a value without a key" },
		{ "[default]\n  aws_access_key_id = A\n", "default", -1, NULL,
		    NULL, NULL, "line 2: an indented line" },
		{ "[default]\naws_access_key_id = A\naws_access_key_id = B\n",
		    "default", -1, NULL, NULL, NULL,
		    "line 3: aws_access_key_id given twice" },
		{ "[default]\nrole_arn = arn:aws:iam::1:role/r\n", "default", -1,
		    NULL, NULL, NULL, "profile \"default\" has no "
		    "aws_access_key_id and aws_secret_access_key (role, SSO "
		    "and credential_process profiles are not supported)" },
	};
	struct r53_cred	 c;
	char		*why;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		why = NULL;
		assert_int_equal(r53_cred_parse(cases[i].text,
		    cases[i].profile, &c, &why), cases[i].ret);
		if (cases[i].ret == 0) {
			assert_string_equal(c.access_key, cases[i].ak);
			assert_string_equal(c.secret, cases[i].sk);
			if (cases[i].tok != NULL)
				assert_string_equal(c.token, cases[i].tok);
			else
				assert_null(c.token);
		} else
			assert_null(c.access_key);
		if (cases[i].why != NULL)
			assert_string_equal(why, cases[i].why);
		else
			assert_null(why);
		r53_cred_free(&c);
		free(why);
	}
}

static void
test_descriptor(void **state)
{
	const struct provider	*p;

	(void)state;
	p = provider_find("route53");
	assert_non_null(p);
	assert_string_equal(p->name, "route53");
	assert_non_null(p->check);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_zones),
		cmocka_unit_test(test_rrsets),
		cmocka_unit_test(test_change),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_cred),
		cmocka_unit_test(test_descriptor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
