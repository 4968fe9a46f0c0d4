/* Unit tests for providers/dyndns2.c: presets, URLs, reply codes. */
#include "unit.h"
#include "providers/providers.h"
#include "providers/dyndns2.h"

/* A parsed address for the tables; fails the test if s is not one. */
static struct addr
A(const char *s)
{
	struct addr	 a;

	assert_int_equal(addr_parse(s, FAM_MAX, &a), 0);
	return a;
}

static void
test_presets(void **unused)
{
	const struct dyndns2_preset	*p;

	(void)unused;
	/* Sorted and unique, so the "known:" list reads well. */
	for (p = dyndns2_presets; p->name != NULL && p[1].name != NULL; p++)
		assert_true(strcmp(p->name, p[1].name) < 0);
	for (p = dyndns2_presets; p->name != NULL; p++) {
		assert_ptr_equal(dyndns2_preset(p->name), p);
		assert_non_null(p->path);
		assert_true(p->path[0] == '/');
		/* Only "custom" lacks a host. */
		assert_true((p->base == NULL) == (strcmp(p->name, "custom")
		    == 0));
	}
	assert_string_equal(dyndns2_preset("NoIP")->name, "noip");
	assert_null(dyndns2_preset("google"));
	assert_null(dyndns2_preset(""));
}

static void
test_keys(void **unused)
{
	const struct provider_key	*k;
	int				 seen = 0;

	(void)unused;
	assert_ptr_equal(provider_find("dyndns2"), &provider_dyndns2);
	for (k = provider_dyndns2.keys; k->name != NULL; k++) {
		if (strcmp(k->name, "password") == 0) {
			assert_true(k->flags & KEY_SECRET);
			seen |= 1;
		}
		if (strcmp(k->name, "server") == 0)
			seen |= 2;
		if (strcmp(k->name, "service") == 0)
			seen |= 4;
		if (strcmp(k->name, "username") == 0) {
			assert_false(k->flags & KEY_SECRET);
			seen |= 8;
		}
	}
	assert_int_equal(seen, 15);
}

static void
test_user(void **unused)
{
	static const struct {
		const char	*svc, *user, *name, *zone, *want;
	} t[] = {
		{ "dyn", "alice", "h.example.com", NULL, "alice" },
		{ "dyn", NULL, "h.example.com", NULL, NULL },
		{ "dyn", "", "h.example.com", NULL, NULL },
		{ "noip", NULL, "h.example.com", "example.com", NULL },
		{ "he", NULL, "h.example.com", "example.com", "h.example.com" },
		{ "he", "bob", "h.example.com", NULL, "bob" },
		{ "desec", NULL, "h.example.dedyn.io", "example.dedyn.io",
		    "example.dedyn.io" },
		{ "desec", NULL, "example.dedyn.io", NULL, "example.dedyn.io" },
		{ "dynv6", NULL, "h.dynv6.net", NULL, "none" },
		{ "dynv6", "me", "h.dynv6.net", NULL, "me" },
		{ "custom", NULL, "h.example.com", NULL, NULL },
		{ "nsupdate", NULL, "h.nsupdate.info", NULL,
		    "h.nsupdate.info" },
		{ "ipv64", NULL, "h.home64.de", NULL, "none" },
		{ "dynu", NULL, "h.dynu.net", NULL, NULL },
		{ "domeneshop", "tok", "h.example.no", NULL, "tok" },
	};
	const char	*u;
	size_t		 i;

	(void)unused;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		u = dyndns2_user(dyndns2_preset(t[i].svc), t[i].user,
		    t[i].name, t[i].zone);
		if (t[i].want == NULL)
			assert_null(u);
		else
			assert_string_equal(u, t[i].want);
	}
}

static void
test_url(void **unused)
{
	static const struct {
		const char	*svc, *server, *host, *ip, *want;
	} t[] = {
		{ "dyn", NULL, "home.example.com", "203.0.113.7",
		    "https://members.dyndns.org/nic/update?"
		    "hostname=home.example.com&myip=203.0.113.7" },
		{ "noip", NULL, "home.ddns.net", "2001:db8::1",
		    "https://dynupdate.no-ip.com/nic/update?"
		    "hostname=home.ddns.net&myip=2001:db8::1" },
		{ "he", NULL, "home.example.com", "203.0.113.7",
		    "https://dyn.dns.he.net/nic/update?"
		    "hostname=home.example.com&myip=203.0.113.7" },
		{ "dynv6", NULL, "home.dynv6.net", "203.0.113.7",
		    "https://dynv6.com/nic/update?"
		    "hostname=home.dynv6.net&myip=203.0.113.7" },
		{ "strato", NULL, "home.example.de", "203.0.113.7",
		    "https://dyndns.strato.com/nic/update?"
		    "hostname=home.example.de&myip=203.0.113.7" },
		{ "changeip", NULL, "home.example.com", "203.0.113.7",
		    "https://nic.changeip.com/nic/update?"
		    "hostname=home.example.com&myip=203.0.113.7" },
		/* OVH wants system=dyndns. */
		{ "ovh", NULL, "home.example.fr", "203.0.113.7",
		    "https://www.ovh.com/nic/update?system=dyndns&"
		    "hostname=home.example.fr&myip=203.0.113.7" },
		/* deSEC: name the family, preserve the other. */
		{ "desec", NULL, "home.dedyn.io", "203.0.113.7",
		    "https://update.dedyn.io/?hostname=home.dedyn.io&"
		    "myipv4=203.0.113.7&myipv6=preserve" },
		{ "desec", NULL, "home.dedyn.io", "2001:db8::1",
		    "https://update.dedyn.io/?hostname=home.dedyn.io&"
		    "myipv6=2001:db8::1&myipv4=preserve" },
		{ "desec", "http://127.0.0.1:8080", "home.dedyn.io",
		    "203.0.113.7", "http://127.0.0.1:8080/?hostname="
		    "home.dedyn.io&myipv4=203.0.113.7&myipv6=preserve" },
		/* Dynu: the other family is named with "no", or Dynu sets
		 * it from the request's source address. */
		{ "dynu", NULL, "home.dynu.net", "203.0.113.7",
		    "https://api.dynu.com/nic/update?hostname=home.dynu.net&"
		    "myip=203.0.113.7&myipv6=no" },
		{ "dynu", NULL, "home.dynu.net", "2001:db8::1",
		    "https://api.dynu.com/nic/update?hostname=home.dynu.net&"
		    "myipv6=2001:db8::1&myip=no" },
		/* INWX and ipv64: IPv6 in myipv6=, nothing else named. */
		{ "inwx", NULL, "home.example.de", "2001:db8::1",
		    "https://dyndns.inwx.com/nic/update?"
		    "hostname=home.example.de&myipv6=2001:db8::1" },
		{ "inwx", NULL, "home.example.de", "203.0.113.7",
		    "https://dyndns.inwx.com/nic/update?"
		    "hostname=home.example.de&myip=203.0.113.7" },
		{ "ipv64", NULL, "home.home64.de", "2001:db8::1",
		    "https://ipv64.net/nic/update?hostname=home.home64.de&"
		    "myipv6=2001:db8::1" },
		/* nsupdate.info: one host per family. */
		{ "nsupdate", NULL, "home.nsupdate.info", "203.0.113.7",
		    "https://ipv4.nsupdate.info/nic/update?"
		    "hostname=home.nsupdate.info&myip=203.0.113.7" },
		{ "nsupdate", NULL, "home.nsupdate.info", "2001:db8::1",
		    "https://ipv6.nsupdate.info/nic/update?"
		    "hostname=home.nsupdate.info&myip=2001:db8::1" },
		{ "nsupdate", "http://127.0.0.1:8080", "home.nsupdate.info",
		    "2001:db8::1", "http://127.0.0.1:8080/nic/update?"
		    "hostname=home.nsupdate.info&myip=2001:db8::1" },
		/* ALL-INKL: path /, IPv6 in myip6=. */
		{ "allinkl", NULL, "home.example.de", "203.0.113.7",
		    "https://dyndns.kasserver.com/?hostname=home.example.de&"
		    "myip=203.0.113.7" },
		{ "allinkl", NULL, "home.example.de", "2001:db8::1",
		    "https://dyndns.kasserver.com/?hostname=home.example.de&"
		    "myip6=2001:db8::1" },
		/* Now-DNS: /update, not /nic/update. */
		{ "nowdns", NULL, "home.now-dns.net", "2001:db8::1",
		    "https://now-dns.com/update?hostname=home.now-dns.net&"
		    "myip=2001:db8::1" },
		{ "variomedia", NULL, "home.example.de", "203.0.113.7",
		    "https://dyndns.variomedia.de/nic/update?"
		    "hostname=home.example.de&myip=203.0.113.7" },
		{ "variomedia", NULL, "home.example.de", "2001:db8::1",
		    "https://dyndns.variomedia.de/nic/update?"
		    "hostname=home.example.de&myip=2001:db8::1" },
		{ "domeneshop", NULL, "www.example.no", "203.0.113.7",
		    "https://api.domeneshop.no/v0/dyndns/update?"
		    "hostname=www.example.no&myip=203.0.113.7" },
		{ "easydns", NULL, "home.example.com", "203.0.113.7",
		    "https://api.cp.easydns.com/dyn/generic.php?"
		    "hostname=home.example.com&myip=203.0.113.7" },
		{ "loopia", NULL, "home.example.se", "203.0.113.7",
		    "https://dyndns.loopia.se/?"
		    "hostname=home.example.se&myip=203.0.113.7" },
		{ "dnsomatic", NULL, "all.dnsomatic.com", "203.0.113.7",
		    "https://updates.dnsomatic.com/nic/update?"
		    "hostname=all.dnsomatic.com&myip=203.0.113.7" },
		{ "selfhost", NULL, "home.selfhost.eu", "203.0.113.7",
		    "https://carol.selfhost.de/nic/update?"
		    "hostname=home.selfhost.eu&myip=203.0.113.7" },
		{ "spdyn", NULL, "home.spdns.de", "203.0.113.7",
		    "https://update.spdyn.de/nic/update?"
		    "hostname=home.spdns.de&myip=203.0.113.7" },
		/* A server without a path gets the preset's. */
		{ "custom", "http://127.0.0.1:8080", "h.example.com",
		    "203.0.113.7", "http://127.0.0.1:8080/nic/update?"
		    "hostname=h.example.com&myip=203.0.113.7" },
		{ "custom", "http://127.0.0.1:8080/", "h.example.com",
		    "203.0.113.7", "http://127.0.0.1:8080/nic/update?"
		    "hostname=h.example.com&myip=203.0.113.7" },
		{ "dyn", "http://[::1]:8080", "h.example.com", "203.0.113.7",
		    "http://[::1]:8080/nic/update?"
		    "hostname=h.example.com&myip=203.0.113.7" },
		{ "custom", "https://dns.example.net/v3/update",
		    "h.example.com", "203.0.113.7",
		    "https://dns.example.net/v3/update?"
		    "hostname=h.example.com&myip=203.0.113.7" },
		{ "custom", "members.dyndns.org", "h.example.com",
		    "203.0.113.7", "https://members.dyndns.org/nic/update?"
		    "hostname=h.example.com&myip=203.0.113.7" },
		{ "custom", "HTTPS://h.example.net/nic/update?system=dyndns",
		    "h.example.com", "203.0.113.7",
		    "HTTPS://h.example.net/nic/update?system=dyndns&"
		    "hostname=h.example.com&myip=203.0.113.7" },
		{ "custom", "https://h.example.net?x=1", "h.example.com",
		    "203.0.113.7", "https://h.example.net/nic/update?x=1&"
		    "hostname=h.example.com&myip=203.0.113.7" },
		{ "custom", "https://h.example.net/u?", "h.example.com",
		    "203.0.113.7", "https://h.example.net/u?"
		    "hostname=h.example.com&myip=203.0.113.7" },
		/* Names are percent-encoded. */
		{ "dyn", NULL, "a b&c=d.example.com", "203.0.113.7",
		    "https://members.dyndns.org/nic/update?"
		    "hostname=a%20b%26c%3Dd.example.com&myip=203.0.113.7" },
		{ "dyn", NULL, "b\xc3\xbc" "cher.example", "203.0.113.7",
		    "https://members.dyndns.org/nic/update?"
		    "hostname=b%C3%BCcher.example&myip=203.0.113.7" },
		{ "dyn", NULL, "xn--bcher-kva.example", "203.0.113.7",
		    "https://members.dyndns.org/nic/update?"
		    "hostname=xn--bcher-kva.example&myip=203.0.113.7" },
	};
	struct addr	 a;
	const char	*err;
	char		*u;
	size_t		 i;

	(void)unused;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		a = A(t[i].ip);
		u = dyndns2_url(dyndns2_preset(t[i].svc), t[i].server,
		    t[i].host, &a, &err);
		if (u == NULL)
			fail_msg("row %zu: %s", i, err);
		assert_string_equal(u, t[i].want);
		free(u);
	}
}

static void
test_url_bad(void **unused)
{
	static const struct {
		const char	*svc, *server;
	} t[] = {
		{ "custom", NULL },
		{ "dyn", "ftp://members.dyndns.org/" },
		{ "dyn", "https:///nic/update" },
		{ "dyn", "https://?x" },
		{ "dyn", "" },
		{ "dyn", "https://h.example.net/nic/update#x" },
		{ "dyn", "https://h.example.net/nic update" },
	};
	struct addr	 a = A("203.0.113.7"), a6 = A("2001:db8::1");
	const char	*err;
	size_t		 i;

	(void)unused;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		err = NULL;
		assert_null(dyndns2_url(dyndns2_preset(t[i].svc), t[i].server,
		    "h.example.com", &a, &err));
		assert_non_null(err);
	}
	/* dynv6's dyndns2 endpoint sets A only, even at another server. */
	err = NULL;
	assert_null(dyndns2_url(dyndns2_preset("dynv6"), NULL, "h.dynv6.net",
	    &a6, &err));
	assert_string_equal(err, "this service's dyndns2 endpoint updates "
	    "IPv4 (A) records only");
	err = NULL;
	assert_null(dyndns2_url(dyndns2_preset("dynv6"),
	    "http://127.0.0.1:1", "h.dynv6.net", &a6, &err));
	assert_non_null(err);
}

static void
test_parse(void **unused)
{
	static const struct {
		const char	*svc;
		long		 status;
		const char	*body, *sent;
		enum outcome	 out;
		int		 hold;
		long		 retry;
		const char	*why;	/* substring; NULL: no message */
	} t[] = {
		{ "dyn", 200, "good 203.0.113.7", "203.0.113.7", OUT_UPDATED,
		    0, 0, NULL },
		{ "dyn", 200, "good 203.0.113.7\r\n", "203.0.113.7",
		    OUT_UPDATED, 0, 0, NULL },
		{ "dyn", 200, "\ngood\n", "203.0.113.7", OUT_UPDATED,
		    0, 0, NULL },
		{ "desec", 200, "good", "2001:db8::1", OUT_UPDATED, 0, 0,
		    NULL },
		{ "dyn", 200, "GOOD 203.0.113.7", "203.0.113.7", OUT_UPDATED,
		    0, 0, NULL },
		{ "dyn", 200, "nochg 203.0.113.7\n", "203.0.113.7",
		    OUT_CURRENT, 0, 0, NULL },
		{ "dyn", 200, "nochg", "203.0.113.7", OUT_CURRENT, 0, 0,
		    NULL },
		{ "he", 200, "good 2001:db8:0:0:0:0:0:1", "2001:db8::1",
		    OUT_UPDATED, 0, 0, NULL },
		{ "noip", 200, "good 198.51.100.1,2001:db8::1", "2001:db8::1",
		    OUT_UPDATED, 0, 0, NULL },
		/* An echo that is no address proves nothing. */
		{ "custom", 200, "good (updated)", "203.0.113.7", OUT_UPDATED,
		    0, 0, NULL },
		/* An echo of another address. */
		{ "dyn", 200, "good 198.51.100.1", "203.0.113.7",
		    OUT_PROTOCOL, 0, 0, "198.51.100.1, but we sent "
		    "203.0.113.7" },
		{ "dyn", 200, "nochg 198.51.100.1", "203.0.113.7",
		    OUT_PROTOCOL, 0, 0, "\"nochg\" with 198.51.100.1" },
		{ "dyn", 200, "good 198.51.100.1", "2001:db8::1",
		    OUT_PROTOCOL, 0, 0, "198.51.100.1" },
		{ "dyn", 200, "good 127.0.0.1", "203.0.113.7", OUT_PROTOCOL,
		    1, 0, "does not accept this client" },
		/* The codes. */
		{ "dyn", 200, "badauth", "203.0.113.7", OUT_AUTH, 1, 0,
		    "dyn answered \"badauth\": username or password" },
		{ "dyn", 200, "abuse\n", "203.0.113.7", OUT_AUTH, 1, 0,
		    "abuse" },
		{ "dyn", 200, "!donator", "203.0.113.7", OUT_CONFIG, 1, 0,
		    "paid" },
		{ "dyn", 200, "!yours", "203.0.113.7", OUT_CONFIG, 1, 0,
		    "another account" },
		{ "dyn", 200, "notfqdn", "203.0.113.7", OUT_CONFIG, 1, 0,
		    "fully qualified" },
		{ "dyn", 200, "nohost", "203.0.113.7", OUT_CONFIG, 1, 0,
		    "no such name" },
		{ "dyn", 200, "numhost", "203.0.113.7", OUT_CONFIG, 1, 0,
		    "too many" },
		{ "dyn", 200, "badsys", "203.0.113.7", OUT_CONFIG, 1, 0,
		    "system" },
		{ "noip", 200, "badagent", "203.0.113.7", OUT_PROTOCOL, 1, 0,
		    "refuses this client" },
		{ "dyn", 200, "911", "203.0.113.7", OUT_TEMPFAIL, 0, 1800,
		    "30 minutes" },
		{ "dyn", 200, "dnserr", "203.0.113.7", OUT_TEMPFAIL, 0, 1800,
		    "DNS error" },
		{ "dyn", 200, "NOHOST", "203.0.113.7", OUT_CONFIG, 1, 0,
		    NULL },
		/* Codes win over the status; the status speaks otherwise. */
		{ "noip", 401, "badauth", "203.0.113.7", OUT_AUTH, 1, 0,
		    "badauth" },
		{ "noip", 500, "911", "203.0.113.7", OUT_TEMPFAIL, 0, 1800,
		    NULL },
		{ "dyn", 401, "", "203.0.113.7", OUT_AUTH, 1, 0,
		    "HTTP 401: username or password refused" },
		{ "dyn", 401, "<html>401 Unauthorized</html>", "203.0.113.7",
		    OUT_AUTH, 1, 0, "Unauthorized" },
		{ "dyn", 403, "", "203.0.113.7", OUT_AUTH, 1, 0, "HTTP 403" },
		{ "dyn", 500, "", "203.0.113.7", OUT_TEMPFAIL, 0, 0,
		    "dyn answered HTTP 500" },
		{ "dyn", 502, "good 203.0.113.7", "203.0.113.7", OUT_TEMPFAIL,
		    0, 0, "HTTP 502" },
		{ "dyn", 429, "slow down", "203.0.113.7", OUT_TEMPFAIL, 0, 0,
		    "HTTP 429: slow down" },
		{ "custom", 404, "Not Found", "203.0.113.7", OUT_CONFIG, 1, 0,
		    "the server answered HTTP 404: is \"server\" right?" },
		{ "dyn", 302, "", "203.0.113.7", OUT_PROTOCOL, 0, 0,
		    "HTTP 302" },
		/* Garbage. */
		{ "dyn", 200, "", "203.0.113.7", OUT_PROTOCOL, 0, 0,
		    "empty reply" },
		{ "dyn", 200, " \r\n\n", "203.0.113.7", OUT_PROTOCOL, 0, 0,
		    "empty reply" },
		{ "dyn", 200, "goodness me", "203.0.113.7", OUT_PROTOCOL, 0,
		    0, "unexpected reply \"goodness me\"" },
		{ "dyn", 200, "<!DOCTYPE html>\n<html>", "203.0.113.7",
		    OUT_PROTOCOL, 0, 0, "\"<!DOCTYPE html>\"" },
		{ "dyn", 200, "\x1b[31mred\x1b[0m", "203.0.113.7",
		    OUT_PROTOCOL, 0, 0, "\"?[31mred?[0m\"" },
		{ "dyn", 200, "OK", "203.0.113.7", OUT_PROTOCOL, 0, 0,
		    "\"OK\"" },
		/* Dynu's documented words are Dyn's. */
		{ "dynu", 200, "good 2001:db8::1", "2001:db8::1", OUT_UPDATED,
		    0, 0, NULL },
		{ "dynu", 200, "nochg", "203.0.113.7", OUT_CURRENT, 0, 0,
		    NULL },
		{ "dynu", 200, "badauth", "203.0.113.7", OUT_AUTH, 1, 0,
		    "dynu answered \"badauth\"" },
		{ "dynu", 200, "notfqdn", "203.0.113.7", OUT_CONFIG, 1, 0,
		    "dynu answered \"notfqdn\"" },
		/* Loopia: badrequest. */
		{ "loopia", 200, "badrequest", "203.0.113.7", OUT_PROTOCOL, 1,
		    0, "loopia answered \"badrequest\": the service calls" },
		{ "loopia", 200, "nohost", "203.0.113.7", OUT_CONFIG, 1, 0,
		    "no such name" },
		/* Domeneshop: 204 and no body is the success; 404 the name. */
		{ "domeneshop", 204, "", "203.0.113.7", OUT_UPDATED, 0, 0,
		    NULL },
		{ "domeneshop", 404, "{\"code\":\"record:notFound\"}",
		    "203.0.113.7", OUT_CONFIG, 1, 0, "domeneshop answered "
		    "HTTP 404: no such name in this account" },
		{ "domeneshop", 401, "", "203.0.113.7", OUT_AUTH, 1, 0,
		    "HTTP 401" },
		/* ipv64: the status decides, a dyndns2 word refines. */
		{ "ipv64", 200, "{\"info\":\"success\"}", "203.0.113.7",
		    OUT_UPDATED, 0, 0, NULL },
		{ "ipv64", 200, "nochg 203.0.113.7", "203.0.113.7",
		    OUT_CURRENT, 0, 0, NULL },
		{ "ipv64", 200, "badauth", "203.0.113.7", OUT_AUTH, 1, 0,
		    "badauth" },
		{ "ipv64", 429, "overcommited", "203.0.113.7", OUT_TEMPFAIL,
		    0, 0, "HTTP 429" },
		{ "ipv64", 200, "good 198.51.100.1", "203.0.113.7",
		    OUT_PROTOCOL, 0, 0, "198.51.100.1" },
		/* Now-DNS: badauth and nohost come with HTTP 400. */
		{ "nowdns", 400, "badauth", "203.0.113.7", OUT_AUTH, 1, 0,
		    "nowdns answered \"badauth\"" },
		{ "nowdns", 400, "nohost", "203.0.113.7", OUT_CONFIG, 1, 0,
		    "nowdns answered \"nohost\"" },
		{ "nowdns", 200, "good 203.0.113.7", "203.0.113.7",
		    OUT_UPDATED, 0, 0, NULL },
		/* easyDNS: its words anywhere in an HTML page. */
		{ "easydns", 200, "<html><body>NOERROR</body></html>",
		    "203.0.113.7", OUT_UPDATED, 0, 0, NULL },
		{ "easydns", 200, "<html>\n<p>NOACCESS</p>", "203.0.113.7",
		    OUT_AUTH, 1, 0, "easydns answered \"NOACCESS\"" },
		{ "easydns", 200, "NOSERVICE", "203.0.113.7", OUT_CONFIG, 1,
		    0, "not enabled" },
		{ "easydns", 200, "<b>ILLEGAL INPUT</b>", "203.0.113.7",
		    OUT_CONFIG, 1, 0, "ILLEGAL INPUT" },
		{ "easydns", 200, "TOOSOON", "203.0.113.7", OUT_TEMPFAIL, 0,
		    600, "10 minutes" },
		/* A word inside another is not the word. */
		{ "easydns", 200, "XNOERROR", "203.0.113.7", OUT_PROTOCOL, 0,
		    0, "unexpected reply" },
		{ "easydns", 200, "NOERROR_X", "203.0.113.7", OUT_PROTOCOL, 0,
		    0, "unexpected reply" },
		/* The dyndns2 words still count at easyDNS. */
		{ "easydns", 200, "nochg", "203.0.113.7", OUT_CURRENT, 0, 0,
		    NULL },
		{ "easydns", 401, "NOACCESS", "203.0.113.7", OUT_AUTH, 1, 0,
		    "HTTP 401" },
	};
	struct push_ctx	 ctx;
	struct addr	 a;
	enum outcome	 o;
	char		*why;
	size_t		 i;

	(void)unused;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&ctx, 0, sizeof(ctx));
		why = NULL;
		a = A(t[i].sent);
		o = dyndns2_parse(dyndns2_preset(t[i].svc), t[i].status,
		    t[i].body, &a, &ctx, &why);
		if (o != t[i].out || ctx.hold != t[i].hold ||
		    ctx.retry_after != t[i].retry)
			fail_msg("row %zu (%s): outcome %d hold %d retry %ld "
			    "(%s)", i, t[i].body, o, ctx.hold,
			    ctx.retry_after, why ? why : "no message");
		if (t[i].why == NULL && o <= OUT_UPDATED)
			assert_null(why);
		else if (t[i].why != NULL &&
		    (why == NULL || strstr(why, t[i].why) == NULL))
			fail_msg("row %zu: message \"%s\" lacks \"%s\"", i,
			    why ? why : "(none)", t[i].why);
		free(why);
	}
}

static void
test_parse_retry_kept(void **unused)
{
	struct push_ctx	 ctx;
	struct addr	 a = A("203.0.113.7");
	char		*why = NULL;

	(void)unused;
	/* A longer Retry-After the server sent is not shortened. */
	memset(&ctx, 0, sizeof(ctx));
	ctx.retry_after = 7200;
	assert_int_equal(dyndns2_parse(dyndns2_preset("dyn"), 200, "911",
	    &a, &ctx, &why), OUT_TEMPFAIL);
	assert_int_equal(ctx.retry_after, 7200);
	free(why);
	/* NULL body: as empty. */
	why = NULL;
	memset(&ctx, 0, sizeof(ctx));
	assert_int_equal(dyndns2_parse(dyndns2_preset("dyn"), 200, NULL,
	    &a, &ctx, &why), OUT_PROTOCOL);
	assert_non_null(why);
	free(why);
}

static void
test_excerpt(void **unused)
{
	static const struct {
		const char	*body;
		size_t		 max;
		const char	*want;
	} t[] = {
		{ "", 10, "" },
		{ NULL, 10, "" },
		{ "  hello  \r\nworld", 10, "hello" },
		{ "0123456789abc", 10, "0123456789..." },
		{ "0123456789", 10, "0123456789" },
		{ "a\tb\x7f" "c\xc3\xa9", 20, "a?b?c??" },
		{ "\n\n  second", 20, "second" },
		{ "token=sekrit-123 ok", 40, "token=<redacted> ok" },
	};
	char	*s;
	size_t	 i;

	(void)unused;
	log_secret("sekrit-123");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		s = dyndns2_excerpt(t[i].body, t[i].max);
		assert_non_null(s);
		assert_string_equal(s, t[i].want);
		free(s);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_presets),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_user),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_url_bad),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_retry_kept),
		cmocka_unit_test(test_excerpt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
