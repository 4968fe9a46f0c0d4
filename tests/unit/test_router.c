/*
 * probe/router.c: NAT-PMP packets, SSDP replies, IGD descriptions and
 * SOAP replies (real-world shapes and malicious ones), the default route,
 * the options, and the CGNAT check's table.
 */
#include "unit.h"
#include "probe/probe.h"
#include "probe/router.h"

/* ---- NAT-PMP -------------------------------------------------------- */

static void
test_natpmp_request(void **state)
{
	unsigned char	 b[NATPMP_REQ_LEN] = { 0xff, 0xff };

	(void)state;
	assert_int_equal(natpmp_request(b), 2);
	assert_int_equal(b[0], 0);
	assert_int_equal(b[1], 0);
}

#define OK12(a, b, c, d)	"\x00\x80\x00\x00\x00\x00\x04\xd2" a b c d

static const struct {
	const char	*pkt;
	size_t		 len;
	int		 rc;
	const char	*want;		/* rc 0: the address; else why */
} natpmp_cases[] = {
	{ OK12("\xcb", "\x00", "\x71", "\x07"), 12, 0, "203.0.113.7" },
	{ OK12("\x64", "\x40", "\x01", "\x02"), 12, 0, "100.64.1.2" },
	{ OK12("\xc0", "\xa8", "\x00", "\x02"), 12, 0, "192.168.0.2" },
	{ OK12("\x00", "\x00", "\x00", "\x00"), 12, 0, "0.0.0.0" },
	/* too short, too long */
	{ "", 0, -1, "a 0-byte packet is too short for a NAT-PMP reply" },
	{ "\x00\x80\x00\x00\x00\x00\x04", 7, -1,
	  "a 7-byte packet is too short for a NAT-PMP reply" },
	{ OK12("\xcb", "\x00", "\x71", "\x07"), 11, -1,
	  "a 11-byte reply, not 12" },
	{ OK12("\xcb", "\x00", "\x71", "\x07") "\x00", 13, -1,
	  "a 13-byte reply, not 12" },
	{ "\x00\x80\x00\x00\x00\x00\x04\xd2", 8, -1,
	  "a 8-byte reply, not 12" },
	/* wrong version (PCP answers with 2), wrong opcode */
	{ "\x02\x80\x00\x00\x00\x00\x04\xd2\xcb\x00\x71\x07", 12, -1,
	  "not a NAT-PMP reply (version 2)" },
	{ "\x00\x00\x00\x00\x00\x00\x04\xd2\xcb\x00\x71\x07", 12, -1,
	  "not a reply to the external address request (opcode 0)" },
	{ "\x00\x81\x00\x00\x00\x00\x04\xd2\xcb\x00\x71\x07", 12, -1,
	  "not a reply to the external address request (opcode 129)" },
	/* result codes: final, and an 8-byte error reply is enough */
	{ "\x00\x80\x00\x01\x00\x00\x04\xd2", 8, 1,
	  "the router refused: result code 1, unsupported version (the "
	  "router may speak PCP only)" },
	{ "\x00\x80\x00\x02\x00\x00\x04\xd2\x00\x00\x00\x00", 12, 1,
	  "the router refused: result code 2, not authorized or refused "
	  "(NAT-PMP is off in the router's settings)" },
	{ "\x00\x80\x00\x03\x00\x00\x04\xd2\x00\x00\x00\x00", 12, 1,
	  "the router refused: result code 3, network failure (the router "
	  "has no WAN address yet, or one it will not tell: miniupnpd answers "
	  "so for a private or CGNAT one)" },
	{ "\x00\x80\x00\x04\x00\x00\x04\xd2", 8, 1,
	  "the router refused: result code 4, out of resources" },
	{ "\x00\x80\x00\x05\x00\x00\x04\xd2", 8, 1,
	  "the router refused: result code 5, unsupported opcode" },
	{ "\x00\x80\x01\x00\x00\x00\x04\xd2", 8, 1,
	  "the router refused: result code 256, unknown" },
	{ "\x00\x80\xff\xff\x00\x00\x04\xd2", 8, 1,
	  "the router refused: result code 65535, unknown" },
};

static void
test_natpmp_parse(void **state)
{
	struct addr	 a;
	char		*why;
	size_t		 i;
	int		 rc;

	(void)state;
	for (i = 0; i < sizeof(natpmp_cases) / sizeof(natpmp_cases[0]); i++) {
		memset(&a, 0, sizeof(a));
		rc = natpmp_parse((const unsigned char *)natpmp_cases[i].pkt,
		    natpmp_cases[i].len, &a, &why);
		if (rc != natpmp_cases[i].rc)
			fail_msg("case %zu: rc %d, want %d (%s)", i, rc,
			    natpmp_cases[i].rc, why ? why : "");
		if (rc == 0) {
			assert_null(why);
			assert_int_equal(a.fam, FAM_V4);
			assert_string_equal(a.text, natpmp_cases[i].want);
		} else if (why == NULL ||
		    strcmp(why, natpmp_cases[i].want) != 0)
			fail_msg("case %zu: why \"%s\", want \"%s\"", i,
			    why ? why : "(null)", natpmp_cases[i].want);
		free(why);
	}
}

/* ---- SSDP ----------------------------------------------------------- */

static void
test_ssdp_request(void **state)
{
	char	*m;

	(void)state;
	m = ssdp_request("urn:schemas-upnp-org:device:"
	    "InternetGatewayDevice:1");
	assert_non_null(m);
	assert_string_equal(m, "M-SEARCH * HTTP/1.1\r\n"
	    "HOST: 239.255.255.250:1900\r\n"
	    "MAN: \"ssdp:discover\"\r\n"
	    "MX: 1\r\n"
	    "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
	    "USER-AGENT: ddnsup/" DDNSUP_VERSION " UPnP/1.1\r\n\r\n");
	free(m);
}

static const struct {
	const char	*pkt;
	const char	*want;		/* NULL: refused */
} ssdp_cases[] = {
	/* miniupnpd */
	{ "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\n"
	  "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
	  "USN: uuid:73616d61-6a6b-7a74-650a-0090a5b2d1c2::urn:schemas-upnp-"
	  "org:device:InternetGatewayDevice:1\r\nEXT:\r\n"
	  "SERVER: OpenWRT/OpenWrt UPnP/1.1 MiniUPnPd/2.3.3\r\n"
	  "LOCATION: http://192.168.1.1:5000/rootDesc.xml\r\n"
	  "OPT: \"http://schemas.upnp.org/upnp/1/0/\"; ns=01\r\n\r\n",
	  "http://192.168.1.1:5000/rootDesc.xml" },
	/* lower-case header, no space, bare LF */
	{ "HTTP/1.1 200 OK\nlocation:http://192.168.178.1:49000/igddesc.xml"
	  "\n\n", "http://192.168.178.1:49000/igddesc.xml" },
	{ "HTTP/1.0 200 OK\r\nLocation:  http://10.0.0.1/d.xml \t\r\n\r\n",
	  "http://10.0.0.1/d.xml" },
	/* not a 200 */
	{ "HTTP/1.1 404 Not Found\r\nLOCATION: http://10.0.0.1/\r\n\r\n",
	  NULL },
	{ "HTTP/1.1 2000 OK\r\nLOCATION: http://10.0.0.1/\r\n\r\n", NULL },
	/* a search request, not a reply */
	{ "M-SEARCH * HTTP/1.1\r\nLOCATION: http://10.0.0.1/\r\n\r\n", NULL },
	{ "NOTIFY * HTTP/1.1\r\nLOCATION: http://10.0.0.1/\r\n\r\n", NULL },
	/* no LOCATION, or after the headers ended */
	{ "HTTP/1.1 200 OK\r\nST: x\r\n\r\n", NULL },
	{ "HTTP/1.1 200 OK\r\n\r\nLOCATION: http://10.0.0.1/\r\n", NULL },
	/* not http, spaces or controls inside */
	{ "HTTP/1.1 200 OK\r\nLOCATION: https://10.0.0.1/\r\n\r\n", NULL },
	{ "HTTP/1.1 200 OK\r\nLOCATION: file:///etc/passwd\r\n\r\n", NULL },
	{ "HTTP/1.1 200 OK\r\nLOCATION: http://10.0.0.1/a b\r\n\r\n", NULL },
	{ "HTTP/1.1 200 OK\r\nLOCATION: http://10.0.0.1/\x1b[2J\r\n\r\n",
	  NULL },
	{ "HTTP/1.1 200 OK\r\nLOCATION: \r\n\r\n", NULL },
	{ "", NULL },
};

static void
test_ssdp_location(void **state)
{
	static const char nul[] = "HTTP/1.1 200 OK\r\nLOCATION: http://"
	    "10.0.0.1/\0x\r\n\r\n";
	char	 loc[512], big[1200];
	size_t	 i;
	int	 rc;

	(void)state;
	for (i = 0; i < sizeof(ssdp_cases) / sizeof(ssdp_cases[0]); i++) {
		rc = ssdp_location(ssdp_cases[i].pkt, strlen(ssdp_cases[i].pkt),
		    loc, sizeof(loc));
		if (ssdp_cases[i].want == NULL) {
			if (rc != -1)
				fail_msg("case %zu: accepted \"%s\"", i, loc);
		} else {
			if (rc != 0)
				fail_msg("case %zu: refused", i);
			assert_string_equal(loc, ssdp_cases[i].want);
		}
	}
	/* A LOCATION longer than the buffer is refused, not cut. */
	snprintf(big, sizeof(big), "HTTP/1.1 200 OK\r\nLOCATION: http://"
	    "10.0.0.1/%0600d\r\n\r\n", 0);
	assert_int_equal(ssdp_location(big, strlen(big), loc, sizeof(loc)),
	    -1);
	/* A NUL byte inside is refused. */
	assert_int_equal(ssdp_location(nul, sizeof(nul) - 1, loc,
	    sizeof(loc)), -1);
}

/* ---- IGD descriptions ----------------------------------------------- */

/* miniupnpd's rootDesc.xml, shortened: three nested devices. */
static const char miniupnpd_desc[] =
    "<?xml version=\"1.0\"?>\r\n"
    "<root xmlns=\"urn:schemas-upnp-org:device-1-0\" configId=\"1337\">"
    "<specVersion><major>1</major><minor>1</minor></specVersion>"
    "<device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1"
    "</deviceType><friendlyName>OpenWrt router</friendlyName>"
    "<manufacturer>OpenWrt</manufacturer>"
    "<UDN>uuid:73616d61-6a6b-7a74-650a-0090a5b2d1c2</UDN>"
    "<serviceList><service>"
    "<serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1"
    "</serviceType><serviceId>urn:upnp-org:serviceId:L3Forwarding1"
    "</serviceId><SCPDURL>/L3F.xml</SCPDURL>"
    "<controlURL>/ctl/L3F</controlURL><eventSubURL>/evt/L3F</eventSubURL>"
    "</service></serviceList>"
    "<deviceList><device>"
    "<deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType>"
    "<serviceList><service>"
    "<serviceType>urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1"
    "</serviceType><controlURL>/ctl/CmnIfCfg</controlURL></service>"
    "</serviceList>"
    "<deviceList><device>"
    "<deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1"
    "</deviceType>"
    "<serviceList><service>\r\n"
    "  <serviceType>urn:schemas-upnp-org:service:WANIPConnection:1"
    "</serviceType>\r\n"
    "  <serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>\r\n"
    "  <SCPDURL>/WANIPCn.xml</SCPDURL>\r\n"
    "  <controlURL>/ctl/IPConn</controlURL>\r\n"
    "  <eventSubURL>/evt/IPConn</eventSubURL>\r\n"
    "</service></serviceList></device></deviceList>"
    "</device></deviceList>"
    "<presentationURL>http://192.168.1.1/</presentationURL>"
    "</device></root>\r\n";

/* A UPnP 1.0 router: URLBase, relative control URLs, both a PPP and an
 * IP connection, prefixed namespace, a comment and a CDATA section. */
static const char urlbase_desc[] =
    "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<!-- generated -->\n"
    "<d:root xmlns:d=\"urn:schemas-upnp-org:device-1-0\">\n"
    "<d:URLBase>http://192.168.178.1:49000/</d:URLBase>\n"
    "<d:device><d:deviceList><d:device><d:deviceList><d:device>\n"
    "<d:serviceList>\n"
    "<d:service><d:serviceType>urn:schemas-upnp-org:service:"
    "WANPPPConnection:1</d:serviceType>"
    "<d:controlURL>igdupnp/control/WANPPPConn1</d:controlURL></d:service>\n"
    "<d:service><d:serviceType><![CDATA[urn:schemas-upnp-org:service:"
    "WANIPConnection:1]]></d:serviceType>"
    "<d:controlURL>igdupnp/control/WANIPConn1?a=1&amp;b=2</d:controlURL>"
    "</d:service>\n"
    "</d:serviceList></d:device></d:deviceList></d:device></d:deviceList>"
    "</d:device></d:root>\n";

/* IGD:2 with WANIPConnection:2 and an absolute control URL. */
static const char igd2_desc[] =
    "<root xmlns=\"urn:schemas-upnp-org:device-1-0\"><device><deviceList>"
    "<device><deviceList><device><serviceList><service>"
    "<serviceType>urn:schemas-upnp-org:service:WANIPConnection:2"
    "</serviceType>"
    "<controlURL>http://10.0.0.1:1780/upnp/control/WANIPConn1</controlURL>"
    "</service></serviceList></device></deviceList></device></deviceList>"
    "</device></root>";

struct desc_case {
	const char	*doc;
	const char	*url;
	size_t		 n;
	const char	*type[3];
	const char	*control[3];
	const char	*why;		/* n == 0 */
};

#define IP1	"urn:schemas-upnp-org:service:WANIPConnection:1"
#define IP2	"urn:schemas-upnp-org:service:WANIPConnection:2"
#define PPP1	"urn:schemas-upnp-org:service:WANPPPConnection:1"
#define WRAP(s)	"<root><device><serviceList>" s "</serviceList></device>" \
		"</root>"
#define SVC(t, c) "<service><serviceType>" t "</serviceType><controlURL>" \
		c "</controlURL></service>"

static const struct desc_case desc_cases[] = {
	{ miniupnpd_desc, "http://192.168.1.1:5000/rootDesc.xml", 1,
	  { IP1 }, { "http://192.168.1.1:5000/ctl/IPConn" }, NULL },
	{ urlbase_desc, "http://192.168.178.1:49000/igddesc.xml", 2,
	  { PPP1, IP1 }, {
	  "http://192.168.178.1:49000/igdupnp/control/WANPPPConn1",
	  "http://192.168.178.1:49000/igdupnp/control/WANIPConn1?a=1&b=2" },
	  NULL },
	{ igd2_desc, "http://10.0.0.1:1780/desc.xml", 1, { IP2 },
	  { "http://10.0.0.1:1780/upnp/control/WANIPConn1" }, NULL },
	/* relative to the description's directory */
	{ WRAP(SVC(IP1, "ctl")), "http://10.0.0.1/upnp/desc.xml", 1, { IP1 },
	  { "http://10.0.0.1/upnp/ctl" }, NULL },
	/* a control URL on another host, or not http: skipped */
	{ WRAP(SVC(IP1, "http://198.51.100.1/ctl") SVC(PPP1, "/ppp")),
	  "http://10.0.0.1/d.xml", 1, { PPP1 }, { "http://10.0.0.1/ppp" },
	  NULL },
	{ WRAP(SVC(IP1, "https://10.0.0.1/ctl")), "http://10.0.0.1/d.xml", 0,
	  { NULL }, { NULL }, "the control URL of every WAN connection service "
	  "is malformed or leaves 10.0.0.1" },
	{ WRAP(SVC(IP1, "file:///etc/passwd")), "http://10.0.0.1/d.xml", 0,
	  { NULL }, { NULL }, "the control URL of every WAN connection service "
	  "is malformed or leaves 10.0.0.1" },
	/* a URLBase pointing elsewhere moves nothing off the host */
	{ "<root><URLBase>http://198.51.100.1/</URLBase>"
	  "<device><serviceList>" SVC(IP1, "/ctl") "</serviceList></device>"
	  "</root>", "http://10.0.0.1/d.xml", 0, { NULL }, { NULL },
	  "the control URL of every WAN connection service is malformed or "
	  "leaves 10.0.0.1" },
	/* a URLBase not directly under root is not one */
	{ "<root><device><URLBase>http://198.51.100.1/</URLBase>"
	  "<serviceList>" SVC(IP1, "/ctl") "</serviceList></device></root>",
	  "http://10.0.0.1/d.xml", 1, { IP1 }, { "http://10.0.0.1/ctl" },
	  NULL },
	/* no WAN connection service; an unknown version; empty control */
	{ WRAP(SVC("urn:schemas-upnp-org:service:Layer3Forwarding:1", "/l3")),
	  "http://10.0.0.1/d.xml", 0, { NULL }, { NULL }, "no WANIPConnection "
	  "or WANPPPConnection service in the description (1 other services): "
	  "not an Internet gateway" },
	{ WRAP(SVC("urn:schemas-upnp-org:service:WANIPConnection:3", "/c")
	  SVC(IP1, "")), "http://10.0.0.1/d.xml", 0, { NULL }, { NULL },
	  "no WANIPConnection or WANPPPConnection service in the description "
	  "(2 other services): not an Internet gateway" },
	/* a serviceType outside a service does not count */
	{ "<root><serviceType>" IP1 "</serviceType><controlURL>/c</controlURL>"
	  "<service></service></root>", "http://10.0.0.1/d.xml", 0, { NULL },
	  { NULL }, "no WANIPConnection or WANPPPConnection service in the "
	  "description (1 other services): not an Internet gateway" },
	/* type and control of one service do not leak into the next */
	{ WRAP("<service><serviceType>" IP1 "</serviceType></service>"
	  "<service><controlURL>/c</controlURL></service>"),
	  "http://10.0.0.1/d.xml", 0, { NULL }, { NULL }, "no WANIPConnection "
	  "or WANPPPConnection service in the description (2 other services): "
	  "not an Internet gateway" },
	/* malformed and malicious documents */
	{ "", "http://10.0.0.1/", 0, { NULL }, { NULL },
	  "unreadable description: no root element" },
	{ "<root>", "http://10.0.0.1/", 0, { NULL }, { NULL },
	  "unreadable description: the document ends inside an element" },
	{ "<root></toor>", "http://10.0.0.1/", 0, { NULL }, { NULL },
	  "unreadable description: an end tag that does not match its start "
	  "tag" },
	{ "<root></root><root></root>", "http://10.0.0.1/", 0, { NULL },
	  { NULL }, "unreadable description: more than one root element" },
	{ "junk<root></root>", "http://10.0.0.1/", 0, { NULL }, { NULL },
	  "unreadable description: text outside the root element" },
	{ "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
	  "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]><root>&lol2;</root>",
	  "http://10.0.0.1/", 0, { NULL }, { NULL },
	  "unreadable description: a DTD or declaration (not accepted)" },
	{ "<root>&lol;</root>", "http://10.0.0.1/", 0, { NULL }, { NULL },
	  "unreadable description: an unknown or malformed entity reference" },
	{ "<root>&#0;</root>", "http://10.0.0.1/", 0, { NULL }, { NULL },
	  "unreadable description: an unknown or malformed entity reference" },
	{ "<root>&#x110000;</root>", "http://10.0.0.1/", 0, { NULL }, { NULL },
	  "unreadable description: an unknown or malformed entity reference" },
	{ "<root>&amp</root>", "http://10.0.0.1/", 0, { NULL }, { NULL },
	  "unreadable description: an unknown or malformed entity reference" },
	{ "<root a=b></root>", "http://10.0.0.1/", 0, { NULL }, { NULL },
	  "unreadable description: a malformed start tag" },
	{ "<root a=\"<\"></root>", "http://10.0.0.1/", 0, { NULL }, { NULL },
	  "unreadable description: a malformed start tag" },
	{ "<root a=\"1\"b=\"2\"></root>", "http://10.0.0.1/", 0, { NULL },
	  { NULL }, "unreadable description: a malformed start tag" },
	{ "<root><1a/></root>", "http://10.0.0.1/", 0, { NULL }, { NULL },
	  "unreadable description: a tag without a valid name" },
	{ "<root><!-- never closed </root>", "http://10.0.0.1/", 0, { NULL },
	  { NULL }, "unreadable description: an unterminated comment" },
	{ "<root><![CDATA[ never closed </root>", "http://10.0.0.1/", 0,
	  { NULL }, { NULL }, "unreadable description: an unterminated CDATA "
	  "section" },
	{ "<?xml never closed <root></root>", "http://10.0.0.1/", 0, { NULL },
	  { NULL }, "unreadable description: an unterminated processing "
	  "instruction" },
	{ "<root>]]></root>", "http://10.0.0.1/", 0, { NULL }, { NULL },
	  "unreadable description: \"]]>\" in text" },
	{ "<a><b><c><d><e><f><g><h><i><j><k><l><m><n><o><p><q></q></p></o>"
	  "</n></m></l></k></j></i></h></g></f></e></d></c></b></a>",
	  "http://10.0.0.1/", 0, { NULL }, { NULL },
	  "unreadable description: elements nested too deep" },
	{ "<root><aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaa/></root>", "http://10.0.0.1/", 0, { NULL }, { NULL },
	  "unreadable description: a name too long" },
};

static void
test_upnp_services(void **state)
{
	struct upnp_svc	 svc[UPNP_SVC_MAX];
	const struct desc_case *c;
	char		*why;
	size_t		 i, j, n;
	int		 rc;

	(void)state;
	for (i = 0; i < sizeof(desc_cases) / sizeof(desc_cases[0]); i++) {
		c = &desc_cases[i];
		rc = upnp_services(c->doc, strlen(c->doc), c->url, svc, &n,
		    &why);
		if (c->n == 0) {
			if (rc != -1 || why == NULL ||
			    strcmp(why, c->why) != 0)
				fail_msg("case %zu: rc %d why \"%s\", want "
				    "\"%s\"", i, rc, why ? why : "(null)",
				    c->why);
			assert_int_equal(n, 0);
			free(why);
			continue;
		}
		if (rc != 0)
			fail_msg("case %zu: %s", i, why ? why : "(null)");
		assert_null(why);
		if (n != c->n)
			fail_msg("case %zu: %zu services, want %zu", i, n,
			    c->n);
		for (j = 0; j < n; j++) {
			assert_string_equal(svc[j].type, c->type[j]);
			assert_string_equal(svc[j].control, c->control[j]);
			free(svc[j].control);
		}
	}
}

/* Oversized and binary documents, and text too long to keep. */
static void
test_upnp_services_size(void **state)
{
	struct upnp_svc	 svc[UPNP_SVC_MAX];
	static const char nul[] = "<root>\0</root>";
	char		*doc, *why;
	size_t		 n, len = 200 * 1024, i;

	(void)state;
	assert_non_null(doc = malloc(len + 1));
	memcpy(doc, "<root>", 6);
	memset(doc + 6, 'x', len - 13);
	memcpy(doc + len - 7, "</root>", 8);
	assert_int_equal(upnp_services(doc, len, "http://10.0.0.1/", svc, &n,
	    &why), -1);
	assert_string_equal(why, "unreadable description: the document is "
	    "too large");
	free(why);
	assert_int_equal(upnp_services(nul, sizeof(nul) - 1,
	    "http://10.0.0.1/", svc, &n, &why), -1);
	assert_string_equal(why, "unreadable description: a NUL byte in the "
	    "document");
	free(why);
	/* A control URL longer than the text buffer: that service is
	 * skipped, the document is still read. */
	i = (size_t)snprintf(doc, len, WRAP("<service><serviceType>" IP1
	    "</serviceType><controlURL>/%01000d</controlURL></service>"
	    SVC(PPP1, "/ppp")), 0);
	assert_int_equal(upnp_services(doc, i, "http://10.0.0.1/", svc, &n,
	    &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(svc[0].type, PPP1);
	assert_string_equal(svc[0].control, "http://10.0.0.1/ppp");
	free(svc[0].control);
	/* More services than kept: the first UPNP_SVC_MAX. */
	i = (size_t)snprintf(doc, len, WRAP(SVC(IP1, "/1") SVC(IP1, "/2")
	    SVC(IP1, "/3") SVC(IP1, "/4") SVC(IP1, "/5") SVC(IP1, "/6")
	    SVC(IP1, "/7") SVC(IP1, "/8") SVC(IP1, "/9") SVC(IP1, "/10")));
	assert_int_equal(upnp_services(doc, i, "http://10.0.0.1/", svc, &n,
	    &why), 0);
	assert_int_equal(n, UPNP_SVC_MAX);
	assert_string_equal(svc[7].control, "http://10.0.0.1/8");
	for (i = 0; i < n; i++)
		free(svc[i].control);
	free(doc);
}

/* ---- SOAP ----------------------------------------------------------- */

static void
test_upnp_soap_body(void **state)
{
	char	*b;

	(void)state;
	assert_non_null(b = upnp_soap_body(PPP1));
	assert_string_equal(b, "<?xml version=\"1.0\"?>\r\n"
	    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
	    "s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
	    "<s:Body><u:GetExternalIPAddress xmlns:u=\"" PPP1 "\">"
	    "</u:GetExternalIPAddress></s:Body></s:Envelope>\r\n");
	free(b);
}

#define EMPTY	"the router reports no WAN address (an empty " \
		"NewExternalIPAddress): its WAN link is down, or its WAN " \
		"address is private or CGNAT (miniupnpd hides those)"

static const struct {
	const char	*doc;
	const char	*want;		/* the address, or NULL */
	const char	*why;
} soap_cases[] = {
	/* miniupnpd */
	{ "<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas."
	  "xmlsoap.org/soap/envelope/\" s:encodingStyle=\"http://schemas."
	  "xmlsoap.org/soap/encoding/\"><s:Body><u:GetExternalIPAddressResponse"
	  " xmlns:u=\"" IP1 "\"><NewExternalIPAddress>203.0.113.7"
	  "</NewExternalIPAddress></u:GetExternalIPAddressResponse></s:Body>"
	  "</s:Envelope>\r\n", "203.0.113.7", NULL },
	/* other prefixes, default namespace, white space */
	{ "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap"
	  "/envelope/\">\n <SOAP-ENV:Body>\n  <m:GetExternalIPAddressResponse "
	  "xmlns:m=\"" PPP1 "\">\n   <NewExternalIPAddress> 100.64.1.2 "
	  "</NewExternalIPAddress>\n  </m:GetExternalIPAddressResponse>\n"
	  " </SOAP-ENV:Body>\n</SOAP-ENV:Envelope>", "100.64.1.2", NULL },
	{ "<Envelope><Body><GetExternalIPAddressResponse><NewExternalIPAddress"
	  ">192.168.0.2</NewExternalIPAddress></GetExternalIPAddressResponse>"
	  "</Body></Envelope>", "192.168.0.2", NULL },
	/* disconnected WAN */
	{ "<s:Envelope><s:Body><u:GetExternalIPAddressResponse>"
	  "<NewExternalIPAddress></NewExternalIPAddress>"
	  "</u:GetExternalIPAddressResponse></s:Body></s:Envelope>", NULL,
	  EMPTY },
	{ "<s:Envelope><s:Body><u:GetExternalIPAddressResponse>"
	  "<NewExternalIPAddress/></u:GetExternalIPAddressResponse></s:Body>"
	  "</s:Envelope>", NULL,
	  EMPTY },
	{ "<s:Envelope><s:Body><u:GetExternalIPAddressResponse>"
	  "<NewExternalIPAddress>0.0.0.0</NewExternalIPAddress>"
	  "</u:GetExternalIPAddressResponse></s:Body></s:Envelope>",
	  "0.0.0.0", NULL },
	/* a fault (miniupnpd's shape) */
	{ "<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas."
	  "xmlsoap.org/soap/envelope/\"><s:Body><s:Fault><faultcode>s:Client"
	  "</faultcode><faultstring>UPnPError</faultstring><detail><UPnPError "
	  "xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>501"
	  "</errorCode><errorDescription>Action Failed</errorDescription>"
	  "</UPnPError></detail></s:Fault></s:Body></s:Envelope>", NULL,
	  "the router answered with a fault: UPnP error 501, Action Failed" },
	{ "<s:Envelope><s:Body><s:Fault><faultcode>s:Server</faultcode>"
	  "</s:Fault></s:Body></s:Envelope>", NULL,
	  "the router answered with a fault: UPnP error (none)" },
	/* router text with controls is shown defused */
	{ "<s:Envelope><s:Body><s:Fault><detail><UPnPError><errorCode>&#27;"
	  "</errorCode><errorDescription>bad&#10;line</errorDescription>"
	  "</UPnPError></detail></s:Fault></s:Body></s:Envelope>", NULL,
	  "the router answered with a fault: UPnP error ?, bad?line" },
	/* the address where it does not belong */
	{ "<s:Envelope><s:Body><NewExternalIPAddress>203.0.113.7"
	  "</NewExternalIPAddress></s:Body></s:Envelope>", NULL,
	  "no NewExternalIPAddress in the reply" },
	{ "<s:Envelope><s:Header><u:GetExternalIPAddressResponse>"
	  "<NewExternalIPAddress>203.0.113.7</NewExternalIPAddress>"
	  "</u:GetExternalIPAddressResponse></s:Header></s:Envelope>", NULL,
	  "no NewExternalIPAddress in the reply" },
	{ "<GetExternalIPAddressResponse><NewExternalIPAddress>203.0.113.7"
	  "</NewExternalIPAddress></GetExternalIPAddressResponse>", NULL,
	  "the reply is not a SOAP envelope" },
	/* not an IPv4 address */
	{ "<s:Envelope><s:Body><u:GetExternalIPAddressResponse>"
	  "<NewExternalIPAddress>2001:db8::1</NewExternalIPAddress>"
	  "</u:GetExternalIPAddressResponse></s:Body></s:Envelope>", NULL,
	  "NewExternalIPAddress \"2001:db8::1\" is not an IPv4 address" },
	{ "<s:Envelope><s:Body><u:GetExternalIPAddressResponse>"
	  "<NewExternalIPAddress>203.0.113.7 203.0.113.8"
	  "</NewExternalIPAddress></u:GetExternalIPAddressResponse></s:Body>"
	  "</s:Envelope>", NULL, "NewExternalIPAddress \"203.0.113.7 "
	  "203.0.113.8\" is not an IPv4 address" },
	{ "<s:Envelope><s:Body><u:GetExternalIPAddressResponse>"
	  "<NewExternalIPAddress>203.0.113.7<b>x</b></NewExternalIPAddress>"
	  "</u:GetExternalIPAddressResponse></s:Body></s:Envelope>", NULL,
	  EMPTY },
	/* the first answer counts, a second is not looked at */
	{ "<s:Envelope><s:Body><u:GetExternalIPAddressResponse>"
	  "<NewExternalIPAddress>203.0.113.7</NewExternalIPAddress>"
	  "<NewExternalIPAddress>198.51.100.1</NewExternalIPAddress>"
	  "</u:GetExternalIPAddressResponse></s:Body></s:Envelope>",
	  "203.0.113.7", NULL },
	/* malformed */
	{ "HTTP error page", NULL,
	  "unreadable SOAP reply: text outside the root element" },
	{ "<s:Envelope><s:Body>", NULL,
	  "unreadable SOAP reply: the document ends inside an element" },
};

static void
test_upnp_soap_parse(void **state)
{
	struct addr	 a;
	char		*why;
	size_t		 i;
	int		 rc;

	(void)state;
	for (i = 0; i < sizeof(soap_cases) / sizeof(soap_cases[0]); i++) {
		rc = upnp_soap_parse(soap_cases[i].doc,
		    strlen(soap_cases[i].doc), &a, &why);
		if (soap_cases[i].want != NULL) {
			if (rc != 0)
				fail_msg("case %zu: %s", i, why ? why : "");
			assert_null(why);
			assert_string_equal(a.text, soap_cases[i].want);
		} else {
			if (rc != -1 || why == NULL ||
			    strcmp(why, soap_cases[i].why) != 0)
				fail_msg("case %zu: rc %d why \"%s\", want "
				    "\"%s\"", i, rc, why ? why : "(null)",
				    soap_cases[i].why);
			free(why);
		}
	}
}

/* ---- the default route ---------------------------------------------- */

#define ROUTE_HEAD "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\t" \
	"Metric\tMask\t\tMTU\tWindow\tIRTT\n"

static void
test_route_gateway(void **state)
{
	struct addr	 gw;

	(void)state;
	/* 192.168.1.1 as the kernel prints it on a little-endian host */
	assert_int_equal(route_gateway(ROUTE_HEAD
	    "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
	    "eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n",
	    &gw), 0);
	assert_string_equal(gw.text, "192.168.1.1");
	/* the lowest metric wins, whatever the order */
	assert_int_equal(route_gateway(ROUTE_HEAD
	    "wlan0\t00000000\t0102A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
	    "eth0\t00000000\t0100000A\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
	    "usb0\t00000000\t012AA8C0\t0003\t0\t0\t700\t00000000\t0\t0\t0\n",
	    &gw), 0);
	assert_string_equal(gw.text, "10.0.0.1");
	/* a default route without a gateway (point-to-point), a route
	 * that is down, no default route, an empty table, garbage */
	assert_int_equal(route_gateway(ROUTE_HEAD
	    "ppp0\t00000000\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0\n"
	    "eth0\t00000000\t0101A8C0\t0002\t0\t0\t0\t00000000\t0\t0\t0\n"
	    "eth0\t0001A8C0\t0101A8C0\t0003\t0\t0\t0\t00FFFFFF\t0\t0\t0\n",
	    &gw), -1);
	assert_int_equal(route_gateway(ROUTE_HEAD, &gw), -1);
	assert_int_equal(route_gateway("", &gw), -1);
	assert_int_equal(route_gateway("eth0 zz yy\n\n\t\n", &gw), -1);
}

/* ---- options -------------------------------------------------------- */

static const struct {
	const char	*json;
	enum fam	 fam;
	const char	*key;		/* NULL: the entry (or accepted) */
	const char	*why;		/* NULL: accepted */
} opt_cases[] = {
	{ "{\"source\":\"router\"}", FAM_V4, NULL, NULL },
	{ "{\"source\":\"router\",\"protocol\":\"auto\"}", FAM_V4, NULL,
	  NULL },
	{ "{\"source\":\"router\",\"protocol\":\"natpmp\",\"gateway\":"
	  "\"192.168.1.1\"}", FAM_V4, NULL, NULL },
	{ "{\"source\":\"router\",\"gateway\":\"127.0.0.1:15351\"}", FAM_V4,
	  NULL, NULL },
	{ "{\"source\":\"router\",\"protocol\":\"upnp\",\"url\":"
	  "\"http://192.168.1.1:5000/rootDesc.xml\"}", FAM_V4, NULL, NULL },
	{ "{\"source\":\"router\",\"url\":\"http://10.0.0.1/d.xml\","
	  "\"gateway\":\"10.0.0.1\"}", FAM_V4, NULL, NULL },
	{ "{\"source\":\"router\"}", FAM_V6, NULL,
	  "the router source learns IPv4 only" },
	{ "{\"source\":\"router\",\"protocol\":\"pcp\"}", FAM_V4, "protocol",
	  "PCP is not supported; most PCP routers also answer NAT-PMP: use "
	  "\"natpmp\"" },
	{ "{\"source\":\"router\",\"protocol\":\"UPnP\"}", FAM_V4, "protocol",
	  "unknown protocol \"UPnP\" (auto, upnp, natpmp)" },
	{ "{\"source\":\"router\",\"protocol\":1}", FAM_V4, "protocol",
	  "\"protocol\" must be a string" },
	{ "{\"source\":\"router\",\"port\":5351}", FAM_V4, "port",
	  "unknown key \"port\" (router takes protocol, url, gateway)" },
	{ "{\"source\":\"router\",\"url\":\"https://10.0.0.1/d.xml\"}",
	  FAM_V4, "url", "expected the http:// URL of the router's UPnP "
	  "device description" },
	{ "{\"source\":\"router\",\"protocol\":\"natpmp\",\"url\":"
	  "\"http://10.0.0.1/d.xml\"}", FAM_V4, "url",
	  "\"url\" is for UPnP, not NAT-PMP" },
	{ "{\"source\":\"router\",\"protocol\":\"upnp\",\"gateway\":"
	  "\"10.0.0.1\"}", FAM_V4, "gateway",
	  "\"gateway\" is for NAT-PMP, not UPnP (UPnP takes \"url\")" },
	{ "{\"source\":\"router\",\"gateway\":\"router.lan\"}", FAM_V4,
	  "gateway", "\"router.lan\": expected an IPv4 address and an "
	  "optional port (\"192.168.1.1\", \"192.168.1.1:5351\")" },
	{ "{\"source\":\"router\",\"gateway\":\"fe80::1\"}", FAM_V4,
	  "gateway", "\"fe80::1\": expected an IPv4 address and an optional "
	  "port 1-65535 (\"192.168.1.1\", \"192.168.1.1:5351\")" },
	{ "{\"source\":\"router\",\"gateway\":\"10.0.0.1:0\"}", FAM_V4,
	  "gateway", "\"10.0.0.1:0\": expected an IPv4 address and an "
	  "optional port 1-65535 (\"192.168.1.1\", \"192.168.1.1:5351\")" },
	{ "{\"source\":\"router\",\"gateway\":\"10.0.0.1:65536\"}", FAM_V4,
	  "gateway", "\"10.0.0.1:65536\": expected an IPv4 address and an "
	  "optional port 1-65535 (\"192.168.1.1\", \"192.168.1.1:5351\")" },
	{ "{\"source\":\"router\",\"gateway\":\"10.0.0.1:\"}", FAM_V4,
	  "gateway", "\"10.0.0.1:\": expected an IPv4 address and an "
	  "optional port 1-65535 (\"192.168.1.1\", \"192.168.1.1:5351\")" },
	{ "{\"source\":\"router\",\"gateway\":\"10.0.0.1:+5\"}", FAM_V4,
	  "gateway", "\"10.0.0.1:+5\": expected an IPv4 address and an "
	  "optional port 1-65535 (\"192.168.1.1\", \"192.168.1.1:5351\")" },
};

static void
test_check(void **state)
{
	json_t		*o;
	const char	*key;
	char		*why;
	size_t		 i;
	int		 rc;

	(void)state;
	for (i = 0; i < sizeof(opt_cases) / sizeof(opt_cases[0]); i++) {
		assert_non_null(o = json_loads(opt_cases[i].json, 0, NULL));
		key = "unset";
		why = NULL;
		rc = probe_router.check(o, opt_cases[i].fam, &key, &why);
		if (opt_cases[i].why == NULL) {
			if (rc != 0)
				fail_msg("case %zu: %s", i, why ? why : "");
		} else {
			if (rc != -1 || why == NULL ||
			    strcmp(why, opt_cases[i].why) != 0)
				fail_msg("case %zu: why \"%s\", want \"%s\"",
				    i, why ? why : "(null)", opt_cases[i].why);
			if ((key == NULL) != (opt_cases[i].key == NULL) ||
			    (key != NULL && strcmp(key, opt_cases[i].key)))
				fail_msg("case %zu: key %s, want %s", i,
				    key ? key : "NULL", opt_cases[i].key ?
				    opt_cases[i].key : "NULL");
		}
		free(why);
		json_decref(o);
	}
}

/* ---- the CGNAT check ------------------------------------------------ */

#define CGNAT	"this network is behind carrier-grade NAT: inbound " \
		"connections cannot reach it; ask the ISP for a public IPv4 " \
		"or use IPv6"
#define DOUBLE	"double NAT: another router in front of this one: forward " \
		"ports on both, or put the first in bridge mode"

static const struct {
	const char	*wan;		/* NULL: no router answered */
	const char	*pub;		/* NULL: no public address */
	enum probe_nat	 nat;
	const char	*why;
} nat_cases[] = {
	{ NULL, NULL, NAT_UNKNOWN, NULL },
	{ NULL, "203.0.113.7", NAT_UNKNOWN, NULL },
	/* the router holds the public address */
	{ "8.8.4.4", "8.8.4.4", NAT_NONE, NULL },
	{ "8.8.4.4", NULL, NAT_NONE, NULL },
	{ "203.0.113.7", "203.0.113.7", NAT_NONE, NULL },
	/* CGNAT: 100.64/10, with or without an outside view */
	{ "100.64.1.2", "203.0.113.7", NAT_CGNAT, CGNAT " (the router's WAN "
	  "address 100.64.1.2 is in 100.64.0.0/10, the ISP's shared NAT "
	  "range; seen from outside: 203.0.113.7)" },
	{ "100.127.255.254", NULL, NAT_CGNAT, CGNAT " (the router's WAN "
	  "address 100.127.255.254 is in 100.64.0.0/10, the ISP's shared NAT "
	  "range)" },
	{ "100.64.1.2", "100.64.1.2", NAT_CGNAT, CGNAT " (the router's WAN "
	  "address 100.64.1.2 is in 100.64.0.0/10, the ISP's shared NAT "
	  "range)" },
	/* CGNAT or a second WAN: public but not the address seen */
	{ "8.8.4.4", "203.0.113.7", NAT_CGNAT, CGNAT " (the router's WAN "
	  "address 8.8.4.4 is not 203.0.113.7, the address seen from outside: "
	  "the ISP's NAT is in between, or the traffic leaves by another WAN "
	  "link than this router's)" },
	{ "240.0.0.9", "203.0.113.7", NAT_CGNAT, CGNAT " (the router's WAN "
	  "address 240.0.0.9 is not 203.0.113.7, the address seen from "
	  "outside: the ISP's NAT is in between, or the traffic leaves by "
	  "another WAN link than this router's)" },
	{ "240.0.0.9", NULL, NAT_UNKNOWN, NULL },
	/* double NAT */
	{ "192.168.0.2", "203.0.113.7", NAT_DOUBLE, DOUBLE " (this router's "
	  "WAN address 192.168.0.2 is a private address; seen from outside: "
	  "203.0.113.7)" },
	{ "10.1.2.3", NULL, NAT_DOUBLE, DOUBLE " (this router's WAN address "
	  "10.1.2.3 is a private address)" },
	{ "172.31.0.1", NULL, NAT_DOUBLE, DOUBLE " (this router's WAN address "
	  "172.31.0.1 is a private address)" },
	/* not a WAN address at all */
	{ "0.0.0.0", "203.0.113.7", NAT_UNKNOWN, NULL },
	{ "169.254.3.4", "203.0.113.7", NAT_UNKNOWN, NULL },
	{ "127.0.0.1", "203.0.113.7", NAT_UNKNOWN, NULL },
	{ "255.255.255.255", NULL, NAT_UNKNOWN, NULL },
};

static void
test_nat_check(void **state)
{
	struct probe_result	 r;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(nat_cases) / sizeof(nat_cases[0]); i++) {
		memset(&r, 0, sizeof(r));
		r.nat = NAT_DOUBLE;
		if (nat_cases[i].wan != NULL) {
			assert_int_equal(addr_parse(nat_cases[i].wan, FAM_V4,
			    &r.wan), 0);
			r.wan_set = 1;
		}
		if (nat_cases[i].pub != NULL) {
			assert_int_equal(addr_parse(nat_cases[i].pub, FAM_V4,
			    &r.addr), 0);
			r.ok = 1;
		}
		probe_nat_check(&r);
		if (r.nat != nat_cases[i].nat)
			fail_msg("case %zu (%s, %s): verdict %d, want %d", i,
			    nat_cases[i].wan ? nat_cases[i].wan : "-",
			    nat_cases[i].pub ? nat_cases[i].pub : "-", r.nat,
			    nat_cases[i].nat);
		if (nat_cases[i].why == NULL)
			assert_null(r.nat_why);
		else if (r.nat_why == NULL ||
		    strcmp(r.nat_why, nat_cases[i].why) != 0)
			fail_msg("case %zu: \"%s\", want \"%s\"", i,
			    r.nat_why ? r.nat_why : "(null)",
			    nat_cases[i].why);
		/* Run twice: the old sentence is freed, not leaked. */
		probe_nat_check(&r);
		assert_int_equal(r.nat, nat_cases[i].nat);
		free(r.nat_why);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_natpmp_request),
		cmocka_unit_test(test_natpmp_parse),
		cmocka_unit_test(test_ssdp_request),
		cmocka_unit_test(test_ssdp_location),
		cmocka_unit_test(test_upnp_services),
		cmocka_unit_test(test_upnp_services_size),
		cmocka_unit_test(test_upnp_soap_body),
		cmocka_unit_test(test_upnp_soap_parse),
		cmocka_unit_test(test_route_gateway),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_nat_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
