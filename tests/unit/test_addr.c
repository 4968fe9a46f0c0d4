/* addr.c: parsing, canonical text, and every special-purpose range. */
#include "unit.h"

/* An address, its canonical text, and its range (NULL: public). */
static const struct {
	const char	*in;
	const char	*text;
	const char	*range;
} cases[] = {
	/* this-network 0.0.0.0/8 */
	{ "0.0.0.0", "0.0.0.0", "this-network" },
	{ "0.255.255.255", "0.255.255.255", "this-network" },
	{ "1.0.0.0", "1.0.0.0", NULL },
	/* private 10/8 */
	{ "9.255.255.255", "9.255.255.255", NULL },
	{ "10.0.0.0", "10.0.0.0", "private" },
	{ "10.255.255.255", "10.255.255.255", "private" },
	{ "11.0.0.0", "11.0.0.0", NULL },
	/* cgnat 100.64/10 */
	{ "100.63.255.255", "100.63.255.255", NULL },
	{ "100.64.0.0", "100.64.0.0", "cgnat" },
	{ "100.127.255.255", "100.127.255.255", "cgnat" },
	{ "100.128.0.0", "100.128.0.0", NULL },
	/* loopback 127/8 */
	{ "126.255.255.255", "126.255.255.255", NULL },
	{ "127.0.0.1", "127.0.0.1", "loopback" },
	{ "127.255.255.255", "127.255.255.255", "loopback" },
	{ "128.0.0.0", "128.0.0.0", NULL },
	/* link-local 169.254/16 */
	{ "169.253.255.255", "169.253.255.255", NULL },
	{ "169.254.0.0", "169.254.0.0", "link-local" },
	{ "169.254.255.255", "169.254.255.255", "link-local" },
	{ "169.255.0.0", "169.255.0.0", NULL },
	/* private 172.16/12 */
	{ "172.15.255.255", "172.15.255.255", NULL },
	{ "172.16.0.0", "172.16.0.0", "private" },
	{ "172.31.255.255", "172.31.255.255", "private" },
	{ "172.32.0.0", "172.32.0.0", NULL },
	/* ietf-protocol 192.0.0/24, with its two anycast exceptions */
	{ "191.255.255.255", "191.255.255.255", NULL },
	{ "192.0.0.0", "192.0.0.0", "ietf-protocol" },
	{ "192.0.0.8", "192.0.0.8", "ietf-protocol" },
	{ "192.0.0.9", "192.0.0.9", NULL },
	{ "192.0.0.10", "192.0.0.10", NULL },
	{ "192.0.0.11", "192.0.0.11", "ietf-protocol" },
	{ "192.0.0.255", "192.0.0.255", "ietf-protocol" },
	{ "192.0.1.0", "192.0.1.0", NULL },
	/* documentation */
	{ "192.0.2.0", "192.0.2.0", "documentation" },
	{ "192.0.2.255", "192.0.2.255", "documentation" },
	{ "192.0.3.0", "192.0.3.0", NULL },
	{ "198.51.99.255", "198.51.99.255", NULL },
	{ "198.51.100.0", "198.51.100.0", "documentation" },
	{ "198.51.100.255", "198.51.100.255", "documentation" },
	{ "198.51.101.0", "198.51.101.0", NULL },
	{ "203.0.112.255", "203.0.112.255", NULL },
	{ "203.0.113.0", "203.0.113.0", "documentation" },
	{ "203.0.113.255", "203.0.113.255", "documentation" },
	{ "203.0.114.0", "203.0.114.0", NULL },
	/* 6to4 relay anycast, deprecated */
	{ "192.88.98.255", "192.88.98.255", NULL },
	{ "192.88.99.1", "192.88.99.1", "6to4" },
	{ "192.88.100.0", "192.88.100.0", NULL },
	/* private 192.168/16 */
	{ "192.167.255.255", "192.167.255.255", NULL },
	{ "192.168.0.0", "192.168.0.0", "private" },
	{ "192.168.255.255", "192.168.255.255", "private" },
	{ "192.169.0.0", "192.169.0.0", NULL },
	/* benchmarking 198.18/15 */
	{ "198.17.255.255", "198.17.255.255", NULL },
	{ "198.18.0.0", "198.18.0.0", "benchmarking" },
	{ "198.19.255.255", "198.19.255.255", "benchmarking" },
	{ "198.20.0.0", "198.20.0.0", NULL },
	/* multicast 224/4, reserved 240/4, broadcast */
	{ "223.255.255.255", "223.255.255.255", NULL },
	{ "224.0.0.0", "224.0.0.0", "multicast" },
	{ "239.255.255.255", "239.255.255.255", "multicast" },
	{ "240.0.0.0", "240.0.0.0", "reserved" },
	{ "255.255.255.254", "255.255.255.254", "reserved" },
	{ "255.255.255.255", "255.255.255.255", "broadcast" },
	/* ordinary public IPv4 */
	{ "8.8.8.8", "8.8.8.8", NULL },
	{ "223.154.81.207", "223.154.81.207", NULL },

	/* IPv6 */
	{ "::", "::", "unspecified" },
	{ "::1", "::1", "loopback" },
	{ "::2", "::2", "not-global-unicast" },
	{ "::ffff:1.2.3.4", "::ffff:1.2.3.4", "ipv4-mapped" },
	{ "::FFFF:0:0", "::ffff:0.0.0.0", "ipv4-mapped" },
	{ "64:ff9b::1.2.3.4", "64:ff9b::102:304", "nat64" },
	{ "64:ff9b:1::1", "64:ff9b:1::1", "nat64" },
	{ "100::", "100::", "discard" },
	{ "100::ffff:ffff:ffff:ffff", "100::ffff:ffff:ffff:ffff", "discard" },
	{ "100:0:0:1::", "100:0:0:1::", "not-global-unicast" },
	{ "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	    "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "not-global-unicast" },
	{ "2000::", "2000::", NULL },
	{ "2001::", "2001::", "teredo" },
	{ "2001:0:ffff::1", "2001:0:ffff::1", "teredo" },
	{ "2001:1::1", "2001:1::1", NULL },
	{ "2001:1::4", "2001:1::4", "ietf-protocol" },
	{ "2001:2::", "2001:2::", "benchmarking" },
	{ "2001:2:0:ffff::1", "2001:2:0:ffff::1", "benchmarking" },
	{ "2001:2:1::", "2001:2:1::", "ietf-protocol" },
	{ "2001:3::1", "2001:3::1", NULL },
	{ "2001:4:112::1", "2001:4:112::1", NULL },
	{ "2001:20::1", "2001:20::1", NULL },
	{ "2001:1ff:ffff::1", "2001:1ff:ffff::1", "ietf-protocol" },
	{ "2001:200::1", "2001:200::1", NULL },
	{ "2001:db7:ffff::1", "2001:db7:ffff::1", NULL },
	{ "2001:db8::", "2001:db8::", "documentation" },
	{ "2001:DB8:FFFF:FFFF::1", "2001:db8:ffff:ffff::1", "documentation" },
	{ "2001:db9::", "2001:db9::", NULL },
	{ "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1",
	    "documentation" },
	{ "2002::", "2002::", "6to4" },
	{ "2002:ffff::1", "2002:ffff::1", "6to4" },
	{ "2003::1", "2003::1", NULL },
	{ "2606:4700:4700::1111", "2606:4700:4700::1111", NULL },
	{ "3ffe:ffff::1", "3ffe:ffff::1", NULL },
	{ "3fff::", "3fff::", "documentation" },
	{ "3fff:fff::1", "3fff:fff::1", "documentation" },
	{ "3fff:1000::", "3fff:1000::", NULL },
	{ "4000::", "4000::", "not-global-unicast" },
	{ "fbff:ffff::1", "fbff:ffff::1", "not-global-unicast" },
	{ "fc00::", "fc00::", "ula" },
	{ "fdff:ffff::1", "fdff:ffff::1", "ula" },
	{ "fe7f::1", "fe7f::1", "not-global-unicast" },
	{ "fe80::1", "fe80::1", "link-local" },
	{ "febf:ffff::1", "febf:ffff::1", "link-local" },
	{ "fec0::1", "fec0::1", "not-global-unicast" },
	{ "ff00::", "ff00::", "multicast" },
	{ "ff02::1", "ff02::1", "multicast" },
	{ "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", "documentation" },
	{ "2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1", "documentation" },
};

static const char *const bad[] = {
	"", " 1.2.3.4", "1.2.3.4 ", "1.2.3", "1.2.3.4.5", "256.1.1.1",
	"1.2.3.-1", "01.2.3.4", "1.2.3.4/24", "0x1.2.3.4", "1..2.3",
	"::1%lo", "fe80::1%eth0", "2001:db8::g", "1:2:3:4:5:6:7:8:9",
	"2001:db8:::1", ":1", "1::2::3", "[::1]", "localhost", "1.2.3.4\n",
	"::ffff:1.2.3.256",
};

static void
test_ranges(void **state)
{
	struct addr	 a;
	const char	*r;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (addr_parse(cases[i].in, FAM_MAX, &a) == -1)
			fail_msg("%s: did not parse", cases[i].in);
		if (strcmp(a.text, cases[i].text) != 0)
			fail_msg("%s: text %s, want %s", cases[i].in, a.text,
			    cases[i].text);
		r = addr_range(&a);
		if ((r == NULL) != (cases[i].range == NULL) ||
		    (r != NULL && strcmp(r, cases[i].range) != 0))
			fail_msg("%s: range %s, want %s", cases[i].in,
			    r ? r : "public", cases[i].range ?
			    cases[i].range : "public");
		/* Every range has a bit and a sentence of its own. */
		if (r != NULL) {
			assert_int_not_equal(addr_range_bit(r), 0);
			assert_string_not_equal(addr_range_why(r),
			    addr_range_why("no-such-range"));
			assert_string_equal(addr_check(&a, 0), r);
			assert_null(addr_check(&a, addr_range_bit(r)));
			assert_null(addr_check(&a, ADDR_ALLOW_ALL));
		} else
			assert_null(addr_check(&a, 0));
	}
}

static void
test_bad(void **state)
{
	struct addr	 a;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (addr_parse(bad[i], FAM_MAX, &a) == 0)
			fail_msg("\"%s\" parsed as %s", bad[i], a.text);
	assert_int_equal(addr_parse(NULL, FAM_MAX, &a), -1);
}

static void
test_family(void **state)
{
	struct addr	 a;

	(void)state;
	assert_int_equal(addr_parse("192.0.2.1", FAM_V4, &a), 0);
	assert_int_equal(a.fam, FAM_V4);
	assert_memory_equal(a.bytes, "\xc0\x00\x02\x01", 4);
	assert_int_equal(addr_parse("192.0.2.1", FAM_V6, &a), -1);
	assert_int_equal(addr_parse("2001:db8::1", FAM_V4, &a), -1);
	assert_int_equal(addr_parse("2001:db8::1", FAM_V6, &a), 0);
	assert_int_equal(a.fam, FAM_V6);
	/* A mapped address is IPv6, never IPv4. */
	assert_int_equal(addr_parse("::ffff:192.0.2.1", FAM_V4, &a), -1);
	assert_int_equal(addr_parse("::ffff:192.0.2.1", FAM_MAX, &a), 0);
	assert_int_equal(a.fam, FAM_V6);
	assert_string_equal(fam_name(FAM_V4), "IPv4");
	assert_string_equal(fam_name(FAM_V6), "IPv6");
	assert_string_equal(fam_rrtype(FAM_V4), "A");
	assert_string_equal(fam_rrtype(FAM_V6), "AAAA");
}

static void
test_equal(void **state)
{
	struct addr	 a, b;

	(void)state;
	assert_int_equal(addr_parse("2001:DB8:0::1", FAM_MAX, &a), 0);
	assert_int_equal(addr_parse("2001:db8::0:1", FAM_MAX, &b), 0);
	assert_true(addr_equal(&a, &b));
	assert_int_equal(addr_parse("2001:db8::2", FAM_MAX, &b), 0);
	assert_false(addr_equal(&a, &b));
	assert_int_equal(addr_parse("192.0.2.1", FAM_MAX, &a), 0);
	assert_int_equal(addr_parse("::ffff:192.0.2.1", FAM_MAX, &b), 0);
	assert_false(addr_equal(&a, &b));
	assert_int_equal(addr_parse("192.0.2.1", FAM_MAX, &b), 0);
	assert_true(addr_equal(&a, &b));
}

static void
test_bits(void **state)
{
	static const char *const names[] = {
		"this-network", "private", "cgnat", "loopback", "link-local",
		"ietf-protocol", "documentation", "benchmarking", "multicast",
		"reserved", "broadcast", "unspecified", "ula", "ipv4-mapped",
		"nat64", "discard", "teredo", "6to4", "not-global-unicast",
	};
	struct addr	 a;
	unsigned int	 seen = 0, bit;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		bit = addr_range_bit(names[i]);
		assert_int_not_equal(bit, 0);
		if (strcmp(names[i], "private") != 0) {
			/* One bit each, distinct. */
			assert_int_equal(bit & (bit - 1), 0);
			assert_int_equal(seen & bit, 0);
			seen |= bit;
		}
	}
	assert_int_equal(addr_range_bit("public"), 0);
	assert_int_equal(addr_range_bit(""), 0);
	assert_int_equal(addr_range_bit(NULL), 0);
	assert_int_equal(addr_range_bit("Private"), 0);

	/* "private" covers IPv6 unique local addresses too. */
	assert_int_equal(addr_parse("fd12::1", FAM_MAX, &a), 0);
	assert_null(addr_check(&a, addr_range_bit("private")));
	assert_int_equal(addr_parse("10.1.2.3", FAM_MAX, &a), 0);
	assert_null(addr_check(&a, addr_range_bit("private")));
	assert_string_equal(addr_check(&a, addr_range_bit("ula")), "private");
	/* Allowing one range does not allow another. */
	assert_string_equal(addr_check(&a, addr_range_bit("documentation")),
	    "private");
	assert_int_equal(addr_parse("100.64.1.2", FAM_MAX, &a), 0);
	assert_string_equal(addr_check(&a, addr_range_bit("private")),
	    "cgnat");
	assert_non_null(strstr(addr_range_why("cgnat"),
	    "carrier-grade NAT"));
}

/* Prefix + host id: the public address, the prefix length, the host id
 * as configured, and the address the record gets (NULL: refused). */
static const struct {
	const char	*pub;
	int		 plen;
	const char	*host;
	const char	*want;
} host_cases[] = {
	{ "2001:db8:1:2::99", 64, "::1234", "2001:db8:1:2::1234" },
	{ "2001:db8:1:2:aaaa:bbbb:cccc:dddd", 64, "::1:2:3:4",
	    "2001:db8:1:2:1:2:3:4" },
	/* /56: the subnet byte comes from the host id. */
	{ "2001:db8:1:2ff::99", 56, "0:0:0:12::1", "2001:db8:1:212::1" },
	{ "2001:db8:1:2ff::99", 56, "::1", "2001:db8:1:200::1" },
	/* /48 */
	{ "2001:db8:abcd:ffff:1::1", 48, "0:0:0:7::7", "2001:db8:abcd:7::7" },
	/* /60: half a byte each. */
	{ "2001:db8:1:2ff::99", 60, "0:0:0:5::5", "2001:db8:1:2f5::5" },
	{ "2001:db8:1:2ff::99", 60, "0:0:0:10::5", NULL },
	/* Odd lengths: /61 keeps 3 bits of the last nibble, /127 one. */
	{ "2001:db8:1:2ff::99", 61, "0:0:0:3::1", "2001:db8:1:2fb::1" },
	{ "2001:db8:1:2ff::99", 61, "0:0:0:4::1", "2001:db8:1:2fc::1" },
	{ "2001:db8:1:2ff::99", 61, "0:0:0:8::1", NULL },
	{ "2001:db8::ffff", 127, "::1", "2001:db8::ffff" },
	{ "2001:db8::fffe", 127, "::1", "2001:db8::ffff" },
	{ "2001:db8::ffff", 127, "::2", NULL },
	{ "2001:db8::1", 1, "7fff::1", "7fff::1" },
	{ "a001:db8::1", 1, "7fff::1", "ffff::1" },
	{ "2001:db8::1", 1, "8000::1", NULL },
	/* Host id wider than the host part. */
	{ "2001:db8:1:2::99", 64, "::1:0:0:0:1234", NULL },
	{ "2001:db8:1:2::99", 64, "2001:db8::1", NULL },
	/* MAC: modified EUI-64, universal/local bit flipped. */
	{ "2001:db8:1:2::99", 64, "00:11:22:33:44:55",
	    "2001:db8:1:2:211:22ff:fe33:4455" },
	{ "2001:db8:1:2::99", 64, "02-11-22-33-44-55",
	    "2001:db8:1:2:11:22ff:fe33:4455" },
	{ "2001:db8:1:2::99", 64, "AC:DE:48:00:11:22",
	    "2001:db8:1:2:aede:48ff:fe00:1122" },
	{ "2001:db8:1:2ff::99", 56, "00:11:22:33:44:55",
	    "2001:db8:1:200:211:22ff:fe33:4455" },
	/* An EUI-64 fills 64 bits: a longer prefix cuts into it. */
	{ "2001:db8:1:2::99", 72, "00:11:22:33:44:55", NULL },
	/* Malformed or meaningless host ids. */
	{ "2001:db8:1:2::99", 64, "::", NULL },
	{ "2001:db8:1:2::99", 64, "00:00:00:00:00:00",
	    "2001:db8:1:2:200:ff:fe00:0" },
	{ "2001:db8:1:2::99", 64, "00:11:22:33:44", NULL },
	{ "2001:db8:1:2::99", 64, "00:11-22:33:44:55", NULL },
	{ "2001:db8:1:2::99", 64, "00:11:22:33:44:5g", NULL },
	{ "2001:db8:1:2::99", 64, "0011.2233.4455", NULL },
	{ "2001:db8:1:2::99", 64, "1234", NULL },
	{ "2001:db8:1:2::99", 64, "1.2.3.4", NULL },
	{ "2001:db8:1:2::99", 64, " ::1", NULL },
	{ "2001:db8:1:2::99", 64, "", NULL },
	{ "2001:db8:1:2::99", 0, "::1", NULL },
	{ "2001:db8:1:2::99", 128, "::1", NULL },
};

static void
test_host_id(void **state)
{
	struct addr	 pub, out;
	unsigned char	 host[16];
	const char	*why;
	size_t		 i;
	int		 rc;

	(void)state;
	for (i = 0; i < sizeof(host_cases) / sizeof(host_cases[0]); i++) {
		assert_int_equal(addr_parse(host_cases[i].pub, FAM_V6, &pub),
		    0);
		why = NULL;
		rc = addr_host_id(host_cases[i].host, host_cases[i].plen, host,
		    &why);
		if (host_cases[i].want == NULL) {
			if (rc != -1)
				fail_msg("%s /%d: accepted", host_cases[i].host,
				    host_cases[i].plen);
			assert_non_null(why);
			continue;
		}
		if (rc != 0)
			fail_msg("%s /%d: %s", host_cases[i].host,
			    host_cases[i].plen, why);
		addr_with_host(&pub, host_cases[i].plen, host, &out);
		assert_int_equal(out.fam, FAM_V6);
		assert_string_equal(out.text, host_cases[i].want);
	}
	assert_int_equal(addr_host_id("::1:0:0:0:1", 64, host, &why), -1);
	assert_string_equal(why, "the host id is wider than the host part: "
	    "it has bits set inside the prefix");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_family),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_bits),
		cmocka_unit_test(test_host_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
