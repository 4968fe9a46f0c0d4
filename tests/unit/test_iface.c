/*
 * probe/iface.c and probe/ifaddrs.c: the interface source's options, its
 * choice rules over synthetic address tables, and the rtnetlink reply
 * parser over crafted buffers.
 */
#include "unit.h"
#include "probe/iface.h"

#ifdef __linux__
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_addr.h>
#endif

#define T	IA_TEMPORARY
#define DEP	IA_DEPRECATED
#define TENT	IA_TENTATIVE
#define DUP	IA_DUPLICATE
#define OPT	IA_OPTIMISTIC
#define PERM	IA_PERMANENT
#define STAB	IA_STABLE
#define MNG	IA_MNGTMP
#define SEC	IA_SECONDARY
#define EVER	IA_FOREVER

#define LABEL	"iface d0"
#define BEHIND	"this machine is behind a router; its public address is on " \
	"the router's WAN side \xe2\x80\x94 use an http or stun source (or " \
	"router) instead"
#define CGN	"this network is behind carrier-grade NAT: inbound " \
	"connections cannot reach it; ask the ISP for a public IPv4 or use IPv6"

/* One address of a synthetic table. */
struct row {
	const char	*addr;
	unsigned int	 flags;
	unsigned long	 preferred;
};

/*
 * A table, the family and options asked, the ranges allowed (space
 * separated names), and the address chosen with its description, or
 * the reason none was.
 */
static const struct {
	const char	*name;
	struct row	 rows[8];
	int		 unknown;	/* flags not known (getifaddrs) */
	enum fam	 fam;
	const char	*opts;		/* JSON, without "interface" */
	const char	*allow;
	const char	*want;		/* NULL: fails */
	const char	*msg;		/* what, or why */
} cases[] = {
	{ "stable beats temporary",
	  { { "2001:db8:1::a1b2", T, 1800 }, { "2001:db8:1::10", PERM, EVER } },
	  0, FAM_V6, "{}", "documentation", "2001:db8:1::10",
	  "static, preferred forever, 1 of 2 IPv6 addresses qualified" },
	{ "temporary only",
	  { { "2001:db8::a1b2", T, 1800 } }, 0, FAM_V6, "{}", "documentation",
	  NULL, LABEL ": no usable IPv6 address: 2001:db8::a1b2 temporary" },
	{ "every refusal named",
	  { { "2001:db8::a1b2", T, 1800 }, { "fd00::1", PERM, EVER },
	    { "fe80::1", PERM, EVER }, { "2001:db8::5", DEP, 0 },
	    { "2001:db8::6", 0, 0 }, { "2001:db8::7", TENT, EVER },
	    { "2001:db8::8", OPT | TENT, EVER },
	    { "2001:db8::9", DUP | TENT, EVER } },
	  0, FAM_V6, "{}", "documentation", NULL,
	  LABEL ": no usable IPv6 address: 2001:db8::a1b2 temporary, "
	  "fd00::1 ULA, fe80::1 link-local, 2001:db8::5 deprecated, "
	  "2001:db8::6 deprecated, 2001:db8::7 tentative (DAD not done), "
	  "2001:db8::8 optimistic (DAD not done), 2001:db8::9 duplicate "
	  "(DAD failed)" },
	{ "never loopback, multicast, mapped, unspecified",
	  { { "::1", PERM, EVER }, { "ff02::1", 0, EVER },
	    { "::ffff:203.0.113.7", 0, EVER }, { "::", 0, EVER },
	    { "100::1", 0, EVER } },
	  0, FAM_V6, "{}", "loopback multicast ipv4-mapped unspecified discard",
	  NULL, LABEL ": no usable IPv6 address: ::1 loopback, ff02::1 "
	  "multicast, ::ffff:203.0.113.7 not global unicast, :: unspecified, "
	  "100::1 not global unicast" },
	{ "validation refuses what allow_nonpublic does not allow",
	  { { "2001:db8:1::10", PERM, EVER },
	    { "2002:cb00:7107::1", 0, EVER } },
	  0, FAM_V6, "{}", "", NULL,
	  LABEL ": no usable IPv6 address: 2001:db8:1::10 documentation, "
	  "2002:cb00:7107::1 6to4" },
	{ "temporary when asked, stable still first",
	  { { "2001:db8::a1b2", T, 86400 }, { "2001:db8::10", 0, 3600 } },
	  0, FAM_V6, "{\"temporary\": true}", "documentation", "2001:db8::10",
	  "dynamic, preferred 3600 s, 2 of 2 IPv6 addresses qualified" },
	{ "temporary when asked and alone",
	  { { "2001:db8::a1b2", T, 1800 }, { "2001:db8::a1b3", T, 7200 } },
	  0, FAM_V6, "{\"temporary\": true}", "documentation", "2001:db8::a1b3",
	  "temporary, preferred 7200 s, 2 of 2 IPv6 addresses qualified" },
	{ "ula when asked, valid without allow_nonpublic",
	  { { "fd00::1", PERM, EVER }, { "fe80::1", PERM, EVER } },
	  0, FAM_V6, "{\"ula\": true}", "", "fd00::1",
	  "static, preferred forever, 1 of 2 IPv6 addresses qualified" },
	{ "a global address beats a stable ULA",
	  { { "fd00::1", PERM, EVER }, { "2001:db8::77", 0, 60 } },
	  0, FAM_V6, "{\"ula\": true}", "documentation", "2001:db8::77",
	  "dynamic, preferred 60 s, 2 of 2 IPv6 addresses qualified" },
	{ "ula allowed by allow_nonpublic private",
	  { { "fd12:3456::1", 0, EVER } }, 0, FAM_V6, "{}", "private",
	  "fd12:3456::1",
	  "dynamic, preferred forever, 1 of 1 IPv6 addresses qualified" },
	{ "stable-privacy beats a longer-lived dynamic",
	  { { "2001:db8::99", 0, EVER }, { "2001:db8::3a7c:1f", STAB, 100 } },
	  0, FAM_V6, "{}", "documentation", "2001:db8::3a7c:1f",
	  "stable-privacy, preferred 100 s, 2 of 2 IPv6 addresses qualified" },
	{ "EUI-64 counts as stable",
	  { { "2001:db8::99", 0, EVER },
	    { "2001:db8:0:1:211:22ff:fe33:4455", MNG, 3600 } },
	  0, FAM_V6, "{}", "documentation", "2001:db8:0:1:211:22ff:fe33:4455",
	  "EUI-64, preferred 3600 s, 2 of 2 IPv6 addresses qualified" },
	{ "then the longest preferred lifetime",
	  { { "2001:db8::1", 0, 100 }, { "2001:db8::2", 0, 200 },
	    { "2001:db8::3", 0, 150 } },
	  0, FAM_V6, "{}", "documentation", "2001:db8::2",
	  "dynamic, preferred 200 s, 3 of 3 IPv6 addresses qualified" },
	{ "then the lowest address",
	  { { "2001:db8::10", PERM, EVER }, { "2001:db8::2", PERM, EVER },
	    { "2001:db8::1:0", PERM, EVER } },
	  0, FAM_V6, "{}", "documentation", "2001:db8::2",
	  "static, preferred forever, 3 of 3 IPv6 addresses qualified" },
	{ "index 1: the second after the rules",
	  { { "2001:db8::10", PERM, EVER }, { "2001:db8::2", PERM, EVER },
	    { "2001:db8::a1b2", T, 500 } },
	  0, FAM_V6, "{\"index\": 1}", "documentation", "2001:db8::10",
	  "static, preferred forever, 2 of 3 IPv6 addresses qualified" },
	{ "index past the candidates",
	  { { "2001:db8::10", PERM, EVER }, { "2001:db8::2", PERM, EVER },
	    { "2001:db8::a1b2", T, 500 } },
	  0, FAM_V6, "{\"index\": 2}", "documentation", NULL,
	  LABEL ": no IPv6 address at index 2: 2 qualify (2001:db8::2, "
	  "2001:db8::10); refused: 2001:db8::a1b2 temporary" },
	{ "index past a lone candidate",
	  { { "2001:db8::10", PERM, EVER } },
	  0, FAM_V6, "{\"index\": 1}", "documentation", NULL,
	  LABEL ": no IPv6 address at index 1: 1 qualifies (2001:db8::10)" },
	{ "prefix",
	  { { "2001:db8:1::10", PERM, EVER }, { "2001:db8:2::20", 0, 60 } },
	  0, FAM_V6, "{\"prefix\": \"2001:db8:2::/48\"}", "documentation",
	  "2001:db8:2::20",
	  "dynamic, preferred 60 s, 1 of 2 IPv6 addresses qualified" },
	{ "prefix with nothing inside",
	  { { "2001:db8:1::10", PERM, EVER }, { "2001:db8:3::20", 0, 60 } },
	  0, FAM_V6, "{\"prefix\": \"2001:db8:2::/48\"}", "documentation",
	  NULL, LABEL ": no usable IPv6 address: 2001:db8:1::10 outside "
	  "2001:db8:2::/48, 2001:db8:3::20 outside 2001:db8:2::/48" },
	{ "prefix not on a byte boundary",
	  { { "2001:db8:1f::1", PERM, EVER },
	    { "2001:db8:20::1", PERM, EVER } },
	  0, FAM_V6, "{\"prefix\": \"2001:db8:20::/43\"}", "documentation",
	  "2001:db8:20::1",
	  "static, preferred forever, 1 of 2 IPv6 addresses qualified" },
	{ "suffix: the interface identifier",
	  { { "2001:db8:2:0:1::1234", PERM, EVER },
	    { "2001:db8:1::1234", 0, 100 },
	    { "2001:db8:1::1235", PERM, EVER } },
	  0, FAM_V6, "{\"suffix\": \"::1234\"}", "documentation",
	  "2001:db8:1::1234",
	  "dynamic, preferred 100 s, 1 of 3 IPv6 addresses qualified" },
	{ "suffix with a length",
	  { { "2001:db8:2:0:1::1234", PERM, EVER },
	    { "2001:db8:1::1234", 0, 100 } },
	  0, FAM_V6, "{\"suffix\": \"::1:0:0:1234/48\"}", "documentation",
	  "2001:db8:2:0:1::1234",
	  "static, preferred forever, 1 of 2 IPv6 addresses qualified" },
	{ "suffix matching nothing",
	  { { "2001:db8:1::1235", PERM, EVER } },
	  0, FAM_V6, "{\"suffix\": \"::1234\"}", "documentation", NULL,
	  LABEL ": no usable IPv6 address: 2001:db8:1::1235 host part not "
	  "::1234/64" },
	{ "prefix, suffix and the rules together",
	  { { "2001:db8:1::1234", T, 100 }, { "2001:db8:2::1234", DEP, 0 },
	    { "2001:db8:1::1234:0", PERM, EVER },
	    { "2001:db8:1:0:ffff::1234", 0, 50 } },
	  0, FAM_V6,
	  "{\"prefix\": \"2001:db8:1::/48\", \"suffix\": \"::1234/80\"}",
	  "documentation", "2001:db8:1:0:ffff::1234",
	  "dynamic, preferred 50 s, 1 of 4 IPv6 addresses qualified" },
	{ "empty table", { { NULL, 0, 0 } }, 0, FAM_V6, "{}", "documentation",
	  NULL, LABEL ": no IPv6 address on d0" },
	{ "only the other family",
	  { { "203.0.113.7", PERM, EVER } }, 0, FAM_V6, "{}", "documentation",
	  NULL, LABEL ": no IPv6 address on d0" },
	{ "flags unknown: EUI-64 still preferred",
	  { { "2001:db8::1", T, EVER },
	    { "2001:db8::211:22ff:fe33:4455", 0, EVER } },
	  1, FAM_V6, "{}", "documentation", "2001:db8::211:22ff:fe33:4455",
	  "EUI-64, 2 of 2 IPv6 addresses qualified" },
	{ "flags unknown: nothing to tell them apart",
	  { { "2001:db8::a1b2", T, 0 }, { "2001:db8::5", DEP, 0 } },
	  1, FAM_V6, "{}", "documentation", "2001:db8::5",
	  "flags unknown, 2 of 2 IPv6 addresses qualified" },
	/* IPv4 */
	{ "private: the classic mistake",
	  { { "192.168.1.20", PERM, EVER } }, 0, FAM_V4, "{}", "documentation",
	  NULL, LABEL ": 192.168.1.20 is a private address: " BEHIND },
	{ "carrier-grade NAT",
	  { { "100.64.1.2", 0, 3600 } }, 0, FAM_V4, "{}", "documentation",
	  NULL, LABEL ": 100.64.1.2 is a shared (carrier-grade NAT) address: "
	  CGN },
	{ "loopback",
	  { { "127.0.0.1", PERM, EVER } }, 0, FAM_V4, "{}", "", NULL,
	  LABEL ": 127.0.0.1 is in loopback: a loopback address always means "
	  "the local machine" },
	{ "two private",
	  { { "192.168.1.20", PERM, EVER }, { "10.0.0.1", SEC, EVER } },
	  0, FAM_V4, "{}", "", NULL,
	  LABEL ": no usable IPv4 address: 192.168.1.20 private, 10.0.0.1 "
	  "private; " BEHIND },
	{ "private and CGNAT",
	  { { "192.168.1.20", PERM, EVER }, { "100.72.0.9", 0, EVER } },
	  0, FAM_V4, "{}", "", NULL,
	  LABEL ": no usable IPv4 address: 192.168.1.20 private, 100.72.0.9 "
	  "cgnat; " BEHIND "; " CGN },
	{ "private beside a public one",
	  { { "192.168.1.20", PERM, EVER }, { "203.0.113.7", SEC, EVER } },
	  0, FAM_V4, "{}", "documentation", "203.0.113.7",
	  "secondary, preferred forever, 1 of 2 IPv4 addresses qualified" },
	{ "private allowed",
	  { { "192.168.1.20", PERM, EVER } }, 0, FAM_V4, "{}", "private",
	  "192.168.1.20",
	  "primary, preferred forever, 1 of 1 IPv4 addresses qualified" },
	{ "primary before secondary, then the lowest",
	  { { "203.0.113.5", SEC, EVER }, { "203.0.113.9", PERM, EVER },
	    { "203.0.113.8", PERM, EVER } },
	  0, FAM_V4, "{}", "documentation", "203.0.113.8",
	  "primary, preferred forever, 3 of 3 IPv4 addresses qualified" },
	{ "IPv4 prefix and suffix",
	  { { "203.0.113.9", PERM, EVER }, { "198.51.100.9", PERM, EVER },
	    { "198.51.100.20", PERM, EVER } },
	  0, FAM_V4, "{\"prefix\": \"198.51.100.0/24\", "
	  "\"suffix\": \"0.0.0.20/24\"}", "documentation", "198.51.100.20",
	  "primary, preferred forever, 1 of 3 IPv4 addresses qualified" },
	{ "IPv4 index", { { "203.0.113.9", PERM, EVER },
	    { "203.0.113.8", PERM, EVER } },
	  0, FAM_V4, "{\"index\": 1}", "documentation", "203.0.113.9",
	  "primary, preferred forever, 2 of 2 IPv4 addresses qualified" },
};

/* The allow mask for space-separated range names. */
static unsigned int
allow_mask(const char *names)
{
	char		 buf[128], *p, *save = NULL;
	unsigned int	 m = 0;

	snprintf(buf, sizeof(buf), "%s", names);
	for (p = strtok_r(buf, " ", &save); p != NULL;
	    p = strtok_r(NULL, " ", &save)) {
		assert_int_not_equal(addr_range_bit(p), 0);
		m |= addr_range_bit(p);
	}
	return m;
}

static void
test_choose(void **state)
{
	struct ia_table		 t;
	struct iface_opts	 o;
	struct ia		 a;
	struct addr		 out;
	json_t			*opts;
	json_error_t		 jerr;
	const char		*key;
	char			*what, *why;
	size_t			 i, j;
	int			 rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("case: %s\n", cases[i].name);
		memset(&t, 0, sizeof(t));
		t.found = 1;
		t.flags_known = !cases[i].unknown;
		for (j = 0; j < 8 && cases[i].rows[j].addr != NULL; j++) {
			memset(&a, 0, sizeof(a));
			assert_int_equal(addr_parse(cases[i].rows[j].addr,
			    FAM_MAX, &a.addr), 0);
			a.plen = 64;
			a.flags = cases[i].rows[j].flags;
			a.preferred = cases[i].rows[j].preferred;
			a.valid = EVER;
			assert_int_equal(ia_table_add(&t, &a), 0);
		}
		opts = json_loads(cases[i].opts, 0, &jerr);
		assert_non_null(opts);
		json_object_set_new(opts, "source", json_string("iface"));
		json_object_set_new(opts, "interface", json_string("d0"));
		why = NULL;
		rc = iface_opts_parse(opts, cases[i].fam, &o, &key, &why);
		if (rc != 0)
			print_error("%s\n", why);
		assert_int_equal(rc, 0);
		memset(&out, 0, sizeof(out));
		rc = iface_choose(&t, cases[i].fam, &o,
		    allow_mask(cases[i].allow), LABEL, &out, &what, &why);
		if (cases[i].want != NULL) {
			if (rc != 0)
				print_error("%s\n", why);
			assert_int_equal(rc, 0);
			assert_string_equal(out.text, cases[i].want);
			assert_string_equal(what, cases[i].msg);
			assert_null(why);
			free(what);
		} else {
			assert_int_equal(rc, -1);
			assert_string_equal(why, cases[i].msg);
			assert_null(what);
			free(why);
		}
		json_decref(opts);
		ia_table_free(&t);
	}
}

/* Reversing a table never changes the choice. */
static void
test_order_free(void **state)
{
	static const struct row	 rows[] = {
		{ "2001:db8::10", PERM, EVER }, { "2001:db8::2", PERM, EVER },
		{ "2001:db8::3", 0, EVER }, { "2001:db8::a1b2", T, 500 },
		{ "2001:db8::1:0", PERM, EVER }, { "fd00::1", PERM, EVER },
	};
	/* global: static (lowest first), dynamic, temporary; then ULA */
	static const char *const order[] = {
		"2001:db8::2", "2001:db8::10", "2001:db8::1:0", "2001:db8::3",
		"2001:db8::a1b2", "fd00::1"
	};
	struct ia_table		 t[2];
	struct iface_opts	 o;
	struct ia		 a;
	struct addr		 out[2];
	char			*what, *why;
	size_t			 i, j, k, n = sizeof(rows) / sizeof(rows[0]);

	(void)state;
	memset(&o, 0, sizeof(o));
	o.ifname = "d0";
	o.index = -1;
	o.ula = 1;
	o.temporary = 1;
	for (k = 0; k < 2; k++) {
		memset(&t[k], 0, sizeof(t[k]));
		t[k].found = t[k].flags_known = 1;
		for (i = 0; i < n; i++) {
			memset(&a, 0, sizeof(a));
			j = k ? n - 1 - i : i;
			assert_int_equal(addr_parse(rows[j].addr, FAM_V6,
			    &a.addr), 0);
			a.flags = rows[j].flags;
			a.preferred = rows[j].preferred;
			assert_int_equal(ia_table_add(&t[k], &a), 0);
		}
	}
	for (o.index = 0; o.index < 6; o.index++) {
		for (k = 0; k < 2; k++) {
			assert_int_equal(iface_choose(&t[k], FAM_V6, &o,
			    addr_range_bit("documentation"), LABEL, &out[k],
			    &what, &why), 0);
			free(what);
		}
		assert_string_equal(out[0].text, out[1].text);
		assert_string_equal(out[0].text, order[o.index]);
	}
	ia_table_free(&t[0]);
	ia_table_free(&t[1]);
}

/* An entry's options, the family, and the key and reason of a refusal. */
static const struct {
	const char	*json;
	enum fam	 fam;
	const char	*key;		/* NULL: ok when why is NULL */
	const char	*why;
} opt_cases[] = {
	{ "{\"source\": \"iface\", \"interface\": \"eth0\"}", FAM_V6, NULL,
	  NULL },
	{ "{\"source\": \"iface\", \"interface\": \"Ethernet 2\", "
	  "\"prefix\": \"2001:db8:1::/48\", \"suffix\": \"::1234/64\", "
	  "\"index\": 0, \"temporary\": false, \"ula\": true}", FAM_V6, NULL,
	  NULL },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", "
	  "\"prefix\": \"203.0.113.0/24\", \"suffix\": \"0.0.0.7/24\", "
	  "\"index\": 3}", FAM_V4, NULL, NULL },
	{ "{\"source\": \"iface\"}", FAM_V6, NULL,
	  "needs \"interface\", the interface to read (\"iface:eth0\" or "
	  "{\"source\": \"iface\", \"interface\": \"eth0\"})" },
	{ "{\"source\": \"iface\", \"interface\": \"\"}", FAM_V6, "interface",
	  "expected an interface name such as \"eth0\"" },
	{ "{\"source\": \"iface\", \"interface\": 5}", FAM_V6, "interface",
	  "expected an interface name such as \"eth0\"" },
	{ "{\"source\": \"iface\", \"interface\": \"a\\u0000b\"}", FAM_V6,
	  "interface", "expected an interface name such as \"eth0\"" },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", \"pfx\": 1}",
	  FAM_V6, NULL, "unknown key \"pfx\" (iface takes: interface, prefix, "
	  "suffix, index, temporary, ula)" },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", \"prefix\": 48}",
	  FAM_V6, "prefix", "expected a string such as \"2001:db8:1::/48\"" },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", "
	  "\"prefix\": \"2001:db8::/129\"}", FAM_V6, "prefix",
	  "prefix \"2001:db8::/129\": the length must be 0 to 128" },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", "
	  "\"prefix\": \"2001:db8::/+4\"}", FAM_V6, "prefix",
	  "prefix \"2001:db8::/+4\": the length must be 0 to 128" },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", "
	  "\"prefix\": \"2001:db8::/64x\"}", FAM_V6, "prefix",
	  "prefix \"2001:db8::/64x\": the length must be 0 to 128" },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", "
	  "\"prefix\": \"2001:db8::/\"}", FAM_V6, "prefix",
	  "prefix \"2001:db8::/\": the length must be 0 to 128" },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", "
	  "\"prefix\": \"2001:db8::1/64\"}", FAM_V6, "prefix",
	  "prefix \"2001:db8::1/64\" has bits set after its first 64" },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", "
	  "\"prefix\": \"2001:db8::\"}", FAM_V6, "prefix",
	  "prefix \"2001:db8::\" needs a length, such as \"2001:db8::/64\"" },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", "
	  "\"prefix\": \"203.0.113.0/24\"}", FAM_V6, "prefix",
	  "prefix \"203.0.113.0/24\" is not an IPv6 prefix (address/length)" },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", "
	  "\"prefix\": \"/64\"}", FAM_V6, "prefix",
	  "prefix \"/64\" is not an IPv6 prefix (address/length)" },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", "
	  "\"prefix\": \"2001:db8::/64/64\"}", FAM_V6, "prefix",
	  "prefix \"2001:db8::/64/64\": the length must be 0 to 128" },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", \"prefix\": "
	  "\"2001:db8:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:"
	  "0000:0000:1/64\"}", FAM_V6, "prefix", "prefix \"2001:db8:0000:"
	  "0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:...\" is too "
	  "long" },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", "
	  "\"suffix\": \"2001::1234\"}", FAM_V6, "suffix",
	  "suffix \"2001::1234\" has bits set in its first 64, which belong "
	  "to the prefix" },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", "
	  "\"suffix\": \"::1/128\"}", FAM_V6, "suffix",
	  "suffix \"::1/128\" leaves no host part" },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", "
	  "\"suffix\": \"0.0.0.20\"}", FAM_V4, "suffix",
	  "suffix \"0.0.0.20\" needs a length, such as \"0.0.0.20/24\"" },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", "
	  "\"suffix\": \"1234\"}", FAM_V6, "suffix",
	  "suffix \"1234\" is not an IPv6 address or address/length" },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", \"index\": -1}",
	  FAM_V6, "index", "expected an integer from 0 to 1023" },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", \"index\": 1024}",
	  FAM_V6, "index", "expected an integer from 0 to 1023" },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", \"index\": \"1\"}",
	  FAM_V6, "index", "expected an integer from 0 to 1023" },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", \"index\": 1.0}",
	  FAM_V6, "index", "expected an integer from 0 to 1023" },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", "
	  "\"temporary\": \"yes\"}", FAM_V6, "temporary",
	  "expected true or false" },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", "
	  "\"temporary\": true}", FAM_V4, "temporary",
	  "\"temporary\" is for IPv6 sources only" },
	{ "{\"source\": \"iface\", \"interface\": \"eth0\", \"ula\": 1}",
	  FAM_V6, "ula", "expected true or false" },
};

static void
test_opts(void **state)
{
	struct iface_opts	 o;
	json_t			*j;
	json_error_t		 jerr;
	const char		*key;
	char			*why;
	size_t			 i;
	int			 rc;

	(void)state;
	for (i = 0; i < sizeof(opt_cases) / sizeof(opt_cases[0]); i++) {
		print_message("case: %s\n", opt_cases[i].json);
		j = json_loads(opt_cases[i].json, JSON_ALLOW_NUL, &jerr);
		assert_non_null(j);
		why = NULL;
		key = "unset";
		rc = iface_opts_parse(j, opt_cases[i].fam, &o, &key, &why);
		if (opt_cases[i].why == NULL) {
			if (rc != 0)
				print_error("%s\n", why);
			assert_int_equal(rc, 0);
			assert_null(key);
		} else {
			assert_int_equal(rc, -1);
			assert_string_equal(why, opt_cases[i].why);
			if (opt_cases[i].key == NULL)
				assert_null(key);
			else
				assert_string_equal(key, opt_cases[i].key);
			free(why);
		}
		json_decref(j);
	}
	/* what the parse keeps */
	j = json_loads("{\"source\": \"iface\", \"interface\": \"eth0\", "
	    "\"prefix\": \"2001:db8:1::/48\", \"suffix\": \"::1234\", "
	    "\"ula\": true}", 0, &jerr);
	assert_int_equal(iface_opts_parse(j, FAM_V6, &o, &key, &why), 0);
	assert_string_equal(o.ifname, "eth0");
	assert_true(o.has_prefix);
	assert_string_equal(o.prefix.text, "2001:db8:1::");
	assert_int_equal(o.prefix_len, 48);
	assert_true(o.has_suffix);
	assert_string_equal(o.suffix.text, "::1234");
	assert_int_equal(o.suffix_len, 64);
	assert_int_equal(o.index, -1);
	assert_false(o.temporary);
	assert_true(o.ula);
	json_decref(j);
}

#ifdef __linux__
/* A netlink buffer being built. */
struct nlb {
	unsigned char	 b[2048];
	size_t		 len;
	size_t		 msg;		/* offset of the open message */
};

/* Open a message of type with sequence seq and flags. */
static void
nl_msg(struct nlb *n, unsigned short type, unsigned int seq,
    unsigned short flags)
{
	struct nlmsghdr	 h;

	n->len = NLMSG_ALIGN(n->len);
	n->msg = n->len;
	memset(&h, 0, sizeof(h));
	h.nlmsg_len = sizeof(h);
	h.nlmsg_type = type;
	h.nlmsg_flags = flags;
	h.nlmsg_seq = seq;
	memcpy(n->b + n->len, &h, sizeof(h));
	n->len += sizeof(h);
}

/* Append len bytes to the open message, unpadded. */
static void
nl_put(struct nlb *n, const void *p, size_t len)
{
	struct nlmsghdr	*h;

	assert_true(n->len + len <= sizeof(n->b));
	memcpy(n->b + n->len, p, len);
	n->len += len;
	h = (struct nlmsghdr *)(void *)(n->b + n->msg);
	h->nlmsg_len = (unsigned int)(n->len - n->msg);
}

/* Append an ifaddrmsg. */
static void
nl_ifa(struct nlb *n, int family, int plen, int flags, unsigned int index)
{
	struct ifaddrmsg	 m;

	memset(&m, 0, sizeof(m));
	m.ifa_family = (unsigned char)family;
	m.ifa_prefixlen = (unsigned char)plen;
	m.ifa_flags = (unsigned char)flags;
	m.ifa_index = index;
	nl_put(n, &m, sizeof(m));
}

/* Append an attribute with len bytes of data (padded to 4). */
static void
nl_attr(struct nlb *n, unsigned short type, const void *data, size_t len)
{
	struct rtattr	 a;
	static const unsigned char zero[4];

	a.rta_type = type;
	a.rta_len = (unsigned short)RTA_LENGTH(len);
	nl_put(n, &a, sizeof(a));
	nl_put(n, data, len);
	if (RTA_ALIGN(len) != len)
		nl_put(n, zero, RTA_ALIGN(len) - len);
}

/* Append an address attribute from text. */
static void
nl_addr(struct nlb *n, unsigned short type, const char *s)
{
	struct addr	 a;

	assert_int_equal(addr_parse(s, FAM_MAX, &a), 0);
	nl_attr(n, type, a.bytes, a.fam == FAM_V4 ? 4 : 16);
}

/* Append a cacheinfo with preferred and valid lifetimes. */
static void
nl_ci(struct nlb *n, unsigned int pref, unsigned int valid)
{
	struct ifa_cacheinfo	 ci;

	memset(&ci, 0, sizeof(ci));
	ci.ifa_prefered = pref;
	ci.ifa_valid = valid;
	nl_attr(n, IFA_CACHEINFO, &ci, sizeof(ci));
}

/* A realistic dump part: addresses of interfaces 3 and 4, then DONE. */
static void
nl_dump(struct nlb *n, int done)
{
	static const char	 label[] = "d0";
	uint32_t		 f;

	memset(n, 0, sizeof(*n));
	nl_msg(n, RTM_NEWADDR, 7, NLM_F_MULTI);
	nl_ifa(n, AF_INET, 24, IFA_F_PERMANENT, 3);
	nl_addr(n, IFA_ADDRESS, "192.0.2.99");	/* the peer */
	nl_addr(n, IFA_LOCAL, "198.51.100.20");
	nl_attr(n, IFA_LABEL, label, sizeof(label));
	f = IFA_F_PERMANENT;
	nl_attr(n, IFA_FLAGS, &f, sizeof(f));
	nl_ci(n, 0xffffffffu, 0xffffffffu);
	nl_msg(n, RTM_NEWADDR, 7, NLM_F_MULTI);
	nl_ifa(n, AF_INET, 24, IFA_F_SECONDARY, 3);
	nl_addr(n, IFA_LOCAL, "198.51.100.21");
	nl_msg(n, RTM_NEWADDR, 7, NLM_F_MULTI);
	nl_ifa(n, AF_INET6, 64, IFA_F_PERMANENT, 4);	/* another interface */
	nl_addr(n, IFA_ADDRESS, "2001:db8:4::1");
	nl_msg(n, RTM_NEWADDR, 7, NLM_F_MULTI);
	nl_ifa(n, AF_INET6, 64, 0, 3);	/* 8-bit flags ignored: IFA_FLAGS */
	nl_addr(n, IFA_ADDRESS, "2001:db8:2:0:1c2b:3d4e:5f60:7182");
	f = IFA_F_TEMPORARY | IFA_F_TENTATIVE;
	nl_attr(n, IFA_FLAGS, &f, sizeof(f));
	nl_ci(n, 1800, 3600);
	nl_msg(n, RTM_NEWADDR, 7, NLM_F_MULTI);
	nl_ifa(n, AF_INET6, 64, IFA_F_DEPRECATED | IFA_F_PERMANENT, 3);
	nl_addr(n, IFA_ADDRESS, "2001:db8:1::30");
	nl_msg(n, RTM_NEWADDR, 7, NLM_F_MULTI);
	nl_ifa(n, AF_INET6, 64, 0, 3);
	nl_addr(n, IFA_ADDRESS, "2001:db8:2::20");
	f = 0x100 | 0x800 | IFA_F_NODAD;  /* MANAGETEMPADDR, STABLE_PRIVACY */
	nl_attr(n, IFA_FLAGS, &f, sizeof(f));
	nl_ci(n, 1800, 3600);
	nl_msg(n, RTM_NEWADDR, 7, NLM_F_MULTI);
	nl_ifa(n, AF_INET6, 64, IFA_F_DADFAILED | IFA_F_OPTIMISTIC, 3);
	nl_addr(n, IFA_ADDRESS, "2001:db8:1::66");
	nl_msg(n, NLMSG_NOOP, 7, 0);
	nl_msg(n, 17 /* unknown type */, 7, 0);
	nl_put(n, "junk", 4);
	if (done) {
		nl_msg(n, NLMSG_DONE, 7, NLM_F_MULTI);
		f = 0;
		nl_put(n, &f, sizeof(f));
	}
}

static void
test_nl_parse(void **state)
{
	struct nlb	 n;
	struct ia_table	 t;
	const char	*why;

	(void)state;
	nl_dump(&n, 1);
	memset(&t, 0, sizeof(t));
	assert_int_equal(ifaddrs_nl_parse(n.b, n.len, 7, 3, &t, &why), 1);
	assert_int_equal(t.n, 6);
	assert_string_equal(t.v[0].addr.text, "198.51.100.20");
	assert_int_equal(t.v[0].plen, 24);
	assert_int_equal(t.v[0].flags, IA_PERMANENT);
	assert_int_equal(t.v[0].preferred, IA_FOREVER);
	assert_string_equal(t.v[1].addr.text, "198.51.100.21");
	assert_int_equal(t.v[1].flags, IA_SECONDARY);
	assert_int_equal(t.v[1].valid, IA_FOREVER);	/* no cacheinfo */
	assert_string_equal(t.v[2].addr.text,
	    "2001:db8:2:0:1c2b:3d4e:5f60:7182");
	assert_int_equal(t.v[2].flags, IA_TEMPORARY | IA_TENTATIVE);
	assert_int_equal(t.v[2].preferred, 1800);
	assert_int_equal(t.v[2].valid, 3600);
	assert_string_equal(t.v[3].addr.text, "2001:db8:1::30");
	assert_int_equal(t.v[3].flags, IA_DEPRECATED | IA_PERMANENT);
	assert_string_equal(t.v[4].addr.text, "2001:db8:2::20");
	assert_int_equal(t.v[4].flags, IA_MNGTMP | IA_STABLE);
	assert_string_equal(t.v[5].addr.text, "2001:db8:1::66");
	assert_int_equal(t.v[5].flags, IA_DUPLICATE | IA_OPTIMISTIC);
	ia_table_free(&t);

	/* no NLMSG_DONE yet: more to come */
	nl_dump(&n, 0);
	assert_int_equal(ifaddrs_nl_parse(n.b, n.len, 7, 4, &t, &why), 0);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.v[0].addr.text, "2001:db8:4::1");
	ia_table_free(&t);

	/* an empty read is nothing, not the end */
	assert_int_equal(ifaddrs_nl_parse(n.b, 0, 7, 4, &t, &why), 0);
	assert_int_equal(t.n, 0);
}

/* Every prefix of a good dump is refused or parsed, never overread. */
static void
test_nl_truncated(void **state)
{
	struct nlb	 n;
	struct ia_table	 t;
	const char	*why;
	unsigned char	*copy;
	size_t		 len;
	int		 rc;

	(void)state;
	nl_dump(&n, 1);
	for (len = 0; len < n.len; len++) {
		/* an exact-size heap copy, so valgrind sees any overread */
		copy = malloc(len + 1);
		memcpy(copy, n.b, len);
		memset(&t, 0, sizeof(t));
		why = NULL;
		rc = ifaddrs_nl_parse(copy, len, 7, 3, &t, &why);
		assert_true(rc == 0 || rc == -1);
		if (rc == -1)
			assert_non_null(why);
		assert_true(t.n <= 6);
		ia_table_free(&t);
		free(copy);
	}
}

/* A buffer, the interface asked, and the reason it is refused. */
static void
nl_bad(const struct nlb *n, unsigned int seq, const char *want)
{
	struct ia_table	 t;
	const char	*why = NULL;

	memset(&t, 0, sizeof(t));
	assert_int_equal(ifaddrs_nl_parse(n->b, n->len, seq, 3, &t, &why), -1);
	assert_string_equal(why, want);
	ia_table_free(&t);
}

static void
test_nl_malformed(void **state)
{
	struct nlb		 n;
	struct nlmsghdr		*h;
	struct ia_table		 t;
	struct rtattr		 a;
	const char		*why;
	unsigned char		 b[16] = { 0 };
	uint16_t		 f16 = 0;
	int			 e;

	(void)state;
	memset(&n, 0, sizeof(n));
	nl_msg(&n, NLMSG_DONE, 7, 0);
	n.len = 10;
	nl_bad(&n, 7, "truncated netlink message");

	nl_dump(&n, 1);
	h = (struct nlmsghdr *)(void *)n.b;
	h->nlmsg_len = (unsigned int)n.len + 4;
	nl_bad(&n, 7, "bad netlink message length");
	h->nlmsg_len = 8;
	nl_bad(&n, 7, "bad netlink message length");
	h->nlmsg_len = 0;	/* would loop forever if taken */
	nl_bad(&n, 7, "bad netlink message length");

	nl_dump(&n, 1);
	nl_bad(&n, 8, "netlink reply to another request");

	memset(&n, 0, sizeof(n));
	nl_msg(&n, NLMSG_ERROR, 7, 0);
	e = -1;		/* -EPERM */
	nl_put(&n, &e, sizeof(e));
	nl_put(&n, b, sizeof(b));
	nl_bad(&n, 7, "the kernel refused the address dump");
	memset(&n, 0, sizeof(n));
	nl_msg(&n, NLMSG_ERROR, 7, 0);
	nl_put(&n, b, 2);
	nl_bad(&n, 7, "truncated netlink error");
	/* an acknowledgement (error 0) is not an error */
	memset(&n, 0, sizeof(n));
	nl_msg(&n, NLMSG_ERROR, 7, 0);
	e = 0;
	nl_put(&n, &e, sizeof(e));
	nl_msg(&n, NLMSG_DONE, 7, 0);
	memset(&t, 0, sizeof(t));
	assert_int_equal(ifaddrs_nl_parse(n.b, n.len, 7, 3, &t, &why), 1);

	/* interrupted dump: start again */
	memset(&n, 0, sizeof(n));
	nl_msg(&n, RTM_NEWADDR, 7, NLM_F_MULTI | NLM_F_DUMP_INTR);
	nl_ifa(&n, AF_INET6, 64, 0, 3);
	nl_addr(&n, IFA_ADDRESS, "2001:db8::1");
	assert_int_equal(ifaddrs_nl_parse(n.b, n.len, 7, 3, &t, &why), 2);
	ia_table_free(&t);

	memset(&n, 0, sizeof(n));
	nl_msg(&n, RTM_NEWADDR, 7, 0);
	nl_put(&n, b, 5);
	nl_bad(&n, 7, "truncated address message");

	memset(&n, 0, sizeof(n));
	nl_msg(&n, RTM_NEWADDR, 7, 0);
	nl_ifa(&n, AF_INET6, 64, 0, 3);
	nl_put(&n, b, 2);
	nl_bad(&n, 7, "truncated address attribute");

	memset(&n, 0, sizeof(n));
	nl_msg(&n, RTM_NEWADDR, 7, 0);
	nl_ifa(&n, AF_INET6, 64, 0, 3);
	a.rta_type = IFA_ADDRESS;
	a.rta_len = 2;		/* shorter than its own header */
	nl_put(&n, &a, sizeof(a));
	nl_bad(&n, 7, "bad address attribute length");

	memset(&n, 0, sizeof(n));
	nl_msg(&n, RTM_NEWADDR, 7, 0);
	nl_ifa(&n, AF_INET6, 64, 0, 3);
	a.rta_len = 4 + 16;	/* runs past the message */
	nl_put(&n, &a, sizeof(a));
	nl_put(&n, b, 8);
	nl_bad(&n, 7, "bad address attribute length");

	/* the same lie on another interface and family is caught too */
	memset(&n, 0, sizeof(n));
	nl_msg(&n, RTM_NEWADDR, 7, 0);
	nl_ifa(&n, 17, 0, 0, 9);
	nl_put(&n, &a, sizeof(a));
	nl_bad(&n, 7, "bad address attribute length");

	memset(&n, 0, sizeof(n));
	nl_msg(&n, RTM_NEWADDR, 7, 0);
	nl_ifa(&n, AF_INET6, 64, 0, 3);
	nl_attr(&n, IFA_ADDRESS, b, 15);
	nl_bad(&n, 7, "bad address length");

	memset(&n, 0, sizeof(n));
	nl_msg(&n, RTM_NEWADDR, 7, 0);
	nl_ifa(&n, AF_INET, 24, 0, 3);
	nl_attr(&n, IFA_LOCAL, b, 16);
	nl_bad(&n, 7, "bad address length");

	memset(&n, 0, sizeof(n));
	nl_msg(&n, RTM_NEWADDR, 7, 0);
	nl_ifa(&n, AF_INET6, 64, 0, 3);
	nl_addr(&n, IFA_ADDRESS, "2001:db8::1");
	nl_attr(&n, IFA_FLAGS, &f16, sizeof(f16));
	nl_bad(&n, 7, "bad IFA_FLAGS length");

	memset(&n, 0, sizeof(n));
	nl_msg(&n, RTM_NEWADDR, 7, 0);
	nl_ifa(&n, AF_INET6, 64, 0, 3);
	nl_addr(&n, IFA_ADDRESS, "2001:db8::1");
	nl_attr(&n, IFA_CACHEINFO, b, 8);
	nl_bad(&n, 7, "bad IFA_CACHEINFO length");

	memset(&n, 0, sizeof(n));
	nl_msg(&n, RTM_NEWADDR, 7, 0);
	nl_ifa(&n, AF_INET6, 129, 0, 3);
	nl_addr(&n, IFA_ADDRESS, "2001:db8::1");
	nl_bad(&n, 7, "bad prefix length");

	memset(&n, 0, sizeof(n));
	nl_msg(&n, RTM_NEWADDR, 7, 0);
	nl_ifa(&n, AF_INET6, 64, 0, 3);
	nl_ci(&n, 1, 2);
	nl_bad(&n, 7, "address message without an address");
}

/* Seeded random corruption: never a crash, an overread or a loop. */
static void
test_nl_corrupt(void **state)
{
	struct nlb	 n;
	struct ia_table	 t;
	const char	*why;
	unsigned char	*copy;
	unsigned int	 seed = 12345;
	int		 i, k;

	(void)state;
	nl_dump(&n, 1);
	for (i = 0; i < 3000; i++) {
		copy = malloc(n.len);
		memcpy(copy, n.b, n.len);
		for (k = 0; k < 1 + i % 4; k++) {
			seed = seed * 1103515245 + 12345;
			copy[(seed >> 8) % n.len] = (unsigned char)(seed >> 20);
		}
		memset(&t, 0, sizeof(t));
		(void)ifaddrs_nl_parse(copy, n.len, 7, 3, &t, &why);
		assert_true(t.n <= n.len / 16);
		ia_table_free(&t);
		free(copy);
	}
}
#endif /* __linux__ */

/* Windows' public address: the random suffix its link-local one has. */
static void
test_win_public(void **state)
{
	static const struct row	 rows[] = {
		{ "fe80::e0ca:9e76:661f:c4f1", 0, EVER },
		{ "2001:db8:5712:0:74:5cd9:163c:69ef", T, 86400 },
		{ "2001:db8:5712:0:e0ca:9e76:661f:c4f1", T, 604800 },
		{ "2001:db8:5712:0:89:8f2:7643:e51e", T, 3600 },
		{ "203.0.113.7", 0, EVER },
	};
	struct ia_table		 t;
	struct iface_opts	 o;
	struct ia		 a;
	struct addr		 out;
	char			*what, *why;
	size_t			 i;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.found = t.flags_known = 1;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&a, 0, sizeof(a));
		assert_int_equal(addr_parse(rows[i].addr, FAM_MAX, &a.addr), 0);
		a.flags = rows[i].flags;
		a.preferred = rows[i].preferred;
		assert_int_equal(ia_table_add(&t, &a), 0);
	}
	ifaddrs_win_public(t.v, t.n);
	assert_int_equal(t.v[1].flags, IA_TEMPORARY);
	assert_int_equal(t.v[2].flags, IA_STABLE);
	assert_int_equal(t.v[3].flags, IA_TEMPORARY);
	assert_int_equal(t.v[0].flags, 0);
	memset(&o, 0, sizeof(o));
	o.ifname = "Ethernet";
	o.index = -1;
	assert_int_equal(iface_choose(&t, FAM_V6, &o,
	    addr_range_bit("documentation"), "iface Ethernet", &out, &what,
	    &why), 0);
	assert_string_equal(out.text, "2001:db8:5712:0:e0ca:9e76:661f:c4f1");
	assert_string_equal(what, "stable-privacy, preferred 604800 s, 1 of 4 "
	    "IPv6 addresses qualified");
	free(what);
	ia_table_free(&t);
}

/* 1 if t holds the address s. */
static const struct ia *
has(const struct ia_table *t, const char *s)
{
	size_t	 i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->v[i].addr.text, s) == 0)
			return &t->v[i];
	return NULL;
}

/* The readers on this machine's loopback interface, and on none. */
static void
test_read_lo(void **state)
{
	struct ia_table	 t;
	const struct ia	*a;
	char		*why = NULL;

	(void)state;
	assert_int_equal(ifaddrs_read("lo", &t, probe_now_ms() + 2000, &why),
	    0);
	assert_true(t.found);
	assert_null(t.names);
	a = has(&t, "127.0.0.1");
	assert_non_null(a);
	assert_int_equal(a->plen, 8);
#ifdef __linux__
	assert_true(t.flags_known);
	assert_int_equal(a->flags, IA_PERMANENT);
	assert_int_equal(a->preferred, IA_FOREVER);
#endif
	ia_table_free(&t);

	assert_int_equal(ifaddrs_read("no-such-if0", &t, probe_now_ms() + 2000,
	    &why), 0);
	assert_false(t.found);
	assert_int_equal(t.n, 0);
	assert_non_null(t.names);
	assert_true(strncmp(t.names, "lo", 2) == 0 ||
	    strstr(t.names, ", lo") != NULL);
	ia_table_free(&t);

#ifndef _WIN32
	/* the getifaddrs fallback (not on Windows): addresses, no flags */
	assert_int_equal(ifaddrs_getifaddrs("lo", &t, &why), 0);
	assert_true(t.found);
	assert_false(t.flags_known);
	a = has(&t, "127.0.0.1");
	assert_non_null(a);
	assert_int_equal(a->plen, 8);
	assert_int_equal(a->flags, 0);
	ia_table_free(&t);
	assert_int_equal(ifaddrs_getifaddrs("no-such-if0", &t, &why), 0);
	assert_false(t.found);
	/* one entry per interface, however many addresses it has */
	assert_true(strncmp(t.names, "lo, ", 4) == 0 ||
	    strcmp(t.names, "lo") == 0);
	assert_null(strstr(t.names + 1, " lo,"));
	ia_table_free(&t);
#endif
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_choose),
		cmocka_unit_test(test_order_free),
		cmocka_unit_test(test_opts),
		cmocka_unit_test(test_win_public),
		cmocka_unit_test(test_read_lo),
#ifdef __linux__
		cmocka_unit_test(test_nl_parse),
		cmocka_unit_test(test_nl_truncated),
		cmocka_unit_test(test_nl_malformed),
		cmocka_unit_test(test_nl_corrupt),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
