/*
 * dyndns2: the update protocol Dyn introduced and many services copied.
 *
 * Protocol: https://help.dyn.com/remote-access-api/ (perform-update and
 * return-codes pages). Presets, each from the vendor's own page:
 * deSEC https://desec.readthedocs.io/en/latest/dyndns/update-api.html;
 * DNS-O-Matic https://www.dnsomatic.com/docs/api;
 * Domeneshop https://api.domeneshop.no/docs/ (ddns, /dyndns/update);
 * Dynu https://www.dynu.com/DynamicDNS/IP-Update-Protocol;
 * dynv6 https://dynv6.com/docs/apis;
 * easyDNS https://kb.easydns.com/knowledge/dynamic-dns/ and
 * http://support.easydns.com/tutorials/dynamicUpdateSpecs.php;
 * Hurricane Electric https://dns.he.net/docs.html;
 * ipv64 https://ipv64.net/dyndns_updater_api;
 * Loopia https://support.loopia.se/wiki/om-dyndns-stodet/; No-IP https://www.noip.com/integrate/request and /response;
 * nsupdate.info https://nsupdateinfo.readthedocs.io/en/latest/user.html;
 * OVH DynHost https://help.ovhcloud.com/ (DynHost guide);
 * Variomedia https://dyndns.variomedia.de (German). Now-DNS documents
 * no protocol page: its row follows two clients, ddns-updater's nowdns
 * provider and OpenWrt's ddns-scripts now-dns.com.json. ALL-INKL's
 * https://dyndns.kasserver.com/?myip= with Basic auth is what every
 * client does (OpenWrt all-inkl.com.json, ddns-updater's allinkl, many
 * scripts); IPv6 in myip6= follows ddns-updater and a user's script
 * (OpenWrt sends it in myip=). ChangeIP,
 * INWX, selfHOST, spDYN and Strato publish only router set-up pages that
 * name the host and /nic/update with the dyndns2 words; the rows follow
 * those.
 *
 * One GET <server><path>?hostname=<fqdn>&myip=<ip> with Basic auth per
 * (record, family); the reply is one text line per host. Quirks handled:
 * - Every service is a row in presets[] below (host, path, default user,
 *   parameter names, quirk flags); "custom" takes the URL from "server".
 * - A "server" without a path gets the preset's path ("/nic/update"), so
 *   "https://members.dyndns.org" works as users write it in ddclient.
 * - OVH wants system=dyndns.
 * - deSEC deletes, and Dynu sets from the request's source address, the
 *   family an update does not name: they get the other family's
 *   parameter with their "leave it" word (myipv6=preserve, myipv6=no).
 *   deSEC, Dynu, INWX and ipv64 take IPv6 in myipv6=, ALL-INKL in
 *   myip6=, the rest in myip=.
 * - ALL-INKL's DynDNS login names the host: hostname= goes along but
 *   the login decides what is updated.
 * - nsupdate.info has one host per family (ipv4./ipv6.nsupdate.info).
 * - dynv6's dyndns2 endpoint updates IPv4 only: AAAA is refused here,
 *   before a request, with a pointer to its own token API.
 * - Hurricane Electric's and nsupdate.info's username is the record's
 *   name (the password is the per-record key); deSEC's is the domain;
 *   dynv6's and ipv64's is "none" (ipv64 reads only the token).
 * - Domeneshop answers 204 with no body, ipv64 documents no reply words:
 *   for them a 2xx is success unless the body is a dyndns2 code.
 * - easyDNS answers an HTML page with NOERROR, NOACCESS, NOSERVICE,
 *   ILLEGAL INPUT or TOOSOON somewhere in it (10 minutes' back-off).
 * - Loopia answers "badrequest" for a request it cannot read.
 * - Now-DNS's path is /update (no /nic); it answers badauth and nohost
 *   with HTTP 400 (ddns-updater's nowdns provider): the word wins.
 * - Variomedia's username is the customer account's e-mail address, the
 *   password the separate DynDNS password (https://dyndns.variomedia.de).
 * - "good 127.0.0.1" when we sent another address is Dyn's way of saying
 *   it ignored a client it does not accept: permanent, like badagent.
 * - Every error but 911/dnserr means "stop until a person intervenes"
 *   (ctx->hold); 911/dnserr mean "not sooner than 30 minutes".
 * - Some services answer errors with HTTP 401 and a code body, others
 *   with 200: the code in the body wins over the status.
 * - The User-Agent is "ddnsup/<version>" (http.c): Dyn, No-IP and Dynu
 *   ask for one naming the client and its version, and get it.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "dyndns2.h"

#define DYNDNS2_RETRY	1800	/* 911/dnserr: "wait at least 30 minutes" */
#define EASYDNS_RETRY	600	/* TOOSOON: "no more than every 10 minutes" */
#define EXCERPT_MAX	80	/* bytes of a reply quoted in messages */

const struct dyndns2_preset dyndns2_presets[] = {
	/* name, base, base6, path, user, v4, v6, keep, quirks */
	{ "allinkl", "https://dyndns.kasserver.com", NULL, "/", NULL, "myip",
	    "myip6", NULL, 0 },
	{ "changeip", "https://nic.changeip.com", NULL, "/nic/update", NULL,
	    NULL, NULL, NULL, 0 },
	{ "custom", NULL, NULL, "/nic/update", NULL, NULL, NULL, NULL, 0 },
	{ "desec", "https://update.dedyn.io", NULL, "/", NULL, "myipv4",
	    "myipv6", "preserve", DYNDNS2_USER_ZONE },
	{ "dnsomatic", "https://updates.dnsomatic.com", NULL, "/nic/update",
	    NULL, NULL, NULL, NULL, 0 },
	{ "domeneshop", "https://api.domeneshop.no", NULL,
	    "/v0/dyndns/update", NULL, NULL, NULL, NULL, DYNDNS2_STATUS },
	{ "dyn", "https://members.dyndns.org", NULL, "/nic/update", NULL,
	    NULL, NULL, NULL, 0 },
	{ "dynu", "https://api.dynu.com", NULL, "/nic/update", NULL, "myip",
	    "myipv6", "no", 0 },
	{ "dynv6", "https://dynv6.com", NULL, "/nic/update", "none", NULL,
	    NULL, NULL, DYNDNS2_V4ONLY },
	{ "easydns", "https://api.cp.easydns.com", NULL, "/dyn/generic.php",
	    NULL, NULL, NULL, NULL, DYNDNS2_EASYDNS },
	{ "he", "https://dyn.dns.he.net", NULL, "/nic/update", NULL, NULL,
	    NULL, NULL, DYNDNS2_USER_HOST },
	{ "inwx", "https://dyndns.inwx.com", NULL, "/nic/update", NULL,
	    "myip", "myipv6", NULL, 0 },
	{ "ipv64", "https://ipv64.net", NULL, "/nic/update", "none", "myip",
	    "myipv6", NULL, DYNDNS2_STATUS },
	{ "loopia", "https://dyndns.loopia.se", NULL, "/", NULL, NULL, NULL,
	    NULL, 0 },
	{ "noip", "https://dynupdate.no-ip.com", NULL, "/nic/update", NULL,
	    NULL, NULL, NULL, 0 },
	{ "nowdns", "https://now-dns.com", NULL, "/update", NULL, NULL, NULL,
	    NULL, 0 },
	{ "nsupdate", "https://ipv4.nsupdate.info",
	    "https://ipv6.nsupdate.info", "/nic/update", NULL, NULL, NULL,
	    NULL, DYNDNS2_USER_HOST },
	{ "ovh", "https://www.ovh.com", NULL, "/nic/update", NULL, NULL,
	    NULL, NULL, DYNDNS2_SYSTEM },
	{ "selfhost", "https://carol.selfhost.de", NULL, "/nic/update", NULL,
	    NULL, NULL, NULL, 0 },
	{ "spdyn", "https://update.spdyn.de", NULL, "/nic/update", NULL,
	    NULL, NULL, NULL, 0 },
	{ "strato", "https://dyndns.strato.com", NULL, "/nic/update", NULL,
	    NULL, NULL, NULL, 0 },
	{ "variomedia", "https://dyndns.variomedia.de", NULL, "/nic/update",
	    NULL, NULL, NULL, NULL, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 }
};

/* The reply codes other than good/nochg, and what each asks of us. */
static const struct {
	const char	*code;
	enum outcome	 out;
	int		 hold;
	const char	*what;
} codes[] = {
	{ "!donator", OUT_CONFIG, 1, "that option needs a paid account" },
	{ "!yours", OUT_CONFIG, 1, "the name belongs to another account" },
	{ "911", OUT_TEMPFAIL, 0, "trouble at the service; retrying in 30 "
	    "minutes at the earliest" },
	{ "abuse", OUT_AUTH, 1, "updates for this name are blocked as abuse" },
	{ "badagent", OUT_PROTOCOL, 1, "the service refuses this client "
	    "(User-Agent or request form); please report it" },
	{ "badauth", OUT_AUTH, 1, "username or password refused" },
	{ "badrequest", OUT_PROTOCOL, 1, "the service calls the request "
	    "malformed; please report it" },
	{ "badsys", OUT_CONFIG, 1, "the system parameter was refused: is "
	    "\"service\" right?" },
	{ "dnserr", OUT_TEMPFAIL, 0, "DNS error at the service; retrying in "
	    "30 minutes at the earliest" },
	{ "nohost", OUT_CONFIG, 1, "no such name in this account" },
	{ "notfqdn", OUT_CONFIG, 1, "not a fully qualified domain name" },
	{ "numhost", OUT_CONFIG, 1, "too many names in one update" },
};

/* easyDNS's reply words (its "dynamic DNS client specifications"): the
 * page is HTML, the word is somewhere in it. */
static const struct {
	const char	*code;
	enum outcome	 out;
	int		 hold;
	const char	*what;
} easydns_codes[] = {
	{ "NOERROR", OUT_UPDATED, 0, NULL },
	{ "NOACCESS", OUT_AUTH, 1, "username or dynamic token refused, or "
	    "the name is not in this account" },
	{ "NOSERVICE", OUT_CONFIG, 1, "dynamic DNS is not enabled for this "
	    "domain" },
	{ "ILLEGAL", OUT_CONFIG, 1, "the service refused the input (ILLEGAL "
	    "INPUT): is the name right?" },
	{ "TOOSOON", OUT_TEMPFAIL, 0, "updates too frequent; retrying in 10 "
	    "minutes at the earliest" },
};

static const struct provider_key keys[] = {
	{ "password", KEY_REQUIRED | KEY_SECRET },
	{ "server", 0 },
	{ "service", 0 },
	{ "username", 0 },
	{ NULL, 0 }
};

/* The preset called name (any case), or NULL. */
const struct dyndns2_preset *
dyndns2_preset(const char *name)
{
	const struct dyndns2_preset	*p;

	for (p = dyndns2_presets; p->name != NULL; p++)
		if (strcasecmp(p->name, name) == 0)
			return p;
	return NULL;
}

/* The username to send, or NULL when neither given nor implied. */
const char *
dyndns2_user(const struct dyndns2_preset *p, const char *username,
    const char *name, const char *zone)
{
	if (username != NULL && *username != '\0')
		return username;
	if (p->quirks & DYNDNS2_USER_ZONE)
		return zone != NULL ? zone : name;
	if (p->quirks & DYNDNS2_USER_HOST)
		return name;
	return p->user;
}

/* server (or its host with path added) ready for "k=v" parameters: it
 * ends in '?' or '&'. Malloc'd, or NULL with *err (static; NULL when out
 * of memory). */
char *
dyndns2_base(const char *server, const char *path, const char **err)
{
	const char	*scheme = "", *auth, *rest, *query;
	char		*base, *url;
	size_t		 n;

	*err = NULL;
	if ((auth = strstr(server, "://")) == NULL) {
		scheme = "https://";	/* "members.dyndns.org", as ddclient */
		auth = server;
	} else if (strncasecmp(server, "https://", 8) != 0 &&
	    strncasecmp(server, "http://", 7) != 0) {
		*err = "not an http:// or https:// URL";
		return NULL;
	} else {
		auth += 3;
	}
	if (server[strcspn(server, " \t\r\n#")] != '\0') {
		*err = "spaces or a #fragment in the URL";
		return NULL;
	}
	if ((n = strcspn(auth, "/?")) == 0) {
		*err = "no host in the URL";
		return NULL;
	}

	/* A bare host (or host/) gets the path; a query is kept. */
	rest = auth + n;
	if (rest[0] == '/' && rest[1] != '\0' && rest[1] != '?')
		base = xasprintf("%s%s", scheme, server);
	else {
		query = strchr(rest, '?');
		base = xasprintf("%s%.*s%s%s", scheme, (int)(rest - server),
		    server, path, query != NULL ? query : "");
	}
	if (base == NULL)
		return NULL;
	n = strlen(base);
	if (base[n - 1] == '?' || base[n - 1] == '&')
		return base;
	url = xasprintf("%s%c", base, strchr(base, '?') == NULL ? '?' : '&');
	free(base);
	return url;
}

/* The update URL (malloc'd), or NULL with *err (static; NULL when out of
 * memory). */
char *
dyndns2_url(const struct dyndns2_preset *p, const char *server,
    const char *host, const struct addr *a, const char **err)
{
	const char	*param, *other;
	char		*base, *h = NULL, *url = NULL, *keep = NULL;

	*err = NULL;
	if (a->fam != FAM_V4 && (p->quirks & DYNDNS2_V4ONLY)) {
		*err = "this service's dyndns2 endpoint updates IPv4 (A) "
		    "records only";
		return NULL;
	}
	if (server == NULL)
		server = a->fam != FAM_V4 && p->base6 != NULL ? p->base6 :
		    p->base;
	if (server == NULL) {
		*err = "this service needs \"server\" (the update URL)";
		return NULL;
	}
	if ((base = dyndns2_base(server, p->path, err)) == NULL)
		return NULL;
	if ((h = http_pctenc(host)) == NULL)
		goto out;

	/* The family's own parameter; where the service would otherwise
	 * touch the other family, it is named with the "keep" value. */
	param = a->fam == FAM_V4 ? p->v4 : p->v6;
	other = a->fam == FAM_V4 ? p->v6 : p->v4;
	if (param == NULL)
		param = "myip";
	if (other == NULL)
		other = "myip";
	if (p->keep != NULL && strcmp(param, other) != 0 &&
	    (keep = xasprintf("&%s=%s", other, p->keep)) == NULL)
		goto out;
	/* Addresses go unencoded: ':' is legal in a query and some servers
	 * do not decode %3A. */
	url = xasprintf("%s%shostname=%s&%s=%s%s", base,
	    (p->quirks & DYNDNS2_SYSTEM) ? "system=dyndns&" : "", h, param,
	    a->text, keep != NULL ? keep : "");
out:
	free(base);
	free(keep);
	free(h);
	return url;
}

/* The excerpt (malloc'd), or NULL when out of memory. */
char *
dyndns2_excerpt(const char *body, size_t max)
{
	char	*s, *r;
	size_t	 i, n;

	if (body == NULL)
		body = "";
	body += strspn(body, " \t\r\n");
	n = strcspn(body, "\r\n");
	while (n > 0 && (body[n - 1] == ' ' || body[n - 1] == '\t'))
		n--;
	if ((s = malloc((n > max ? max : n) + 4)) == NULL)
		return NULL;
	/* ASCII only: a terminal must not see escapes, and jansson refuses
	 * strings that are not UTF-8 when the message goes into --json. */
	for (i = 0; i < n && i < max; i++)
		s[i] = body[i] >= 0x20 && body[i] < 0x7f ? body[i] : '?';
	if (n > max) {
		memcpy(s + i, "...", 3);
		i += 3;
	}
	s[i] = '\0';
	r = log_redact(s);
	free(s);
	return r;
}

/* Whether the echo in a good/nochg line (possibly a comma list) names an
 * address other than a; a token that is not an address proves nothing.
 * Sets *other to the one it names. */
static int
echo_differs(const char *echo, size_t len, const struct addr *a,
    struct addr *other)
{
	char		 tok[64];
	struct addr	 e;
	size_t		 n;
	int		 differs = 0;

	while (len > 0) {
		n = 0;
		while (n < len && echo[n] != ',')
			n++;
		if (n < sizeof(tok)) {
			memcpy(tok, echo, n);
			tok[n] = '\0';
			if (addr_parse(tok, FAM_MAX, &e) == 0) {
				if (addr_equal(&e, a))
					return 0;
				*other = e;
				differs = 1;
			}
		}
		echo += n;
		len -= n;
		if (len > 0)
			echo++, len--;
	}
	return differs;
}

/* Whether word occurs in body as a whole word (no letter, digit or '_'
 * on either side). */
static int
has_word(const char *body, const char *word)
{
	const char	*s = body;
	size_t		 n = strlen(word);

	while ((s = strstr(s, word)) != NULL) {
		if ((s == body || !(isalnum((unsigned char)s[-1]) ||
		    s[-1] == '_')) && !(isalnum((unsigned char)s[n]) ||
		    s[n] == '_'))
			return 1;
		s += n;
	}
	return 0;
}

/* The outcome of an easyDNS 2xx reply, or -1 when it has none of its
 * words; *why malloc'd when not plain. */
static int
easydns_parse(const char *body, struct push_ctx *ctx, char **why)
{
	size_t	 i;

	for (i = 0; i < sizeof(easydns_codes) / sizeof(easydns_codes[0]);
	    i++) {
		if (!has_word(body, easydns_codes[i].code))
			continue;
		if (easydns_codes[i].out == OUT_UPDATED)
			return OUT_UPDATED;
		ctx->hold = easydns_codes[i].hold;
		if (easydns_codes[i].out == OUT_TEMPFAIL &&
		    ctx->retry_after < EASYDNS_RETRY)
			ctx->retry_after = EASYDNS_RETRY;
		*why = xasprintf("easydns answered \"%s\": %s",
		    easydns_codes[i].code, easydns_codes[i].what);
		return easydns_codes[i].out;
	}
	return -1;
}

/* The outcome of the reply; *why malloc'd (caller frees) when not plain. */
enum outcome
dyndns2_parse(const struct dyndns2_preset *p, long status, const char *body,
    const struct addr *a, struct push_ctx *ctx, char **why)
{
	const char	*s, *svc, *echo;
	char		*ex;
	size_t		 n, elen, i;
	struct addr	 other;
	enum outcome	 o;
	int		 e, ok = status >= 200 && status < 300;

	svc = p->base != NULL ? p->name : "the server";
	s = body != NULL ? body : "";
	s += strspn(s, " \t\r\n");
	n = strcspn(s, " \t\r\n");
	echo = s + n;
	echo += strspn(echo, " \t");
	elen = strcspn(echo, " \t\r\n");

	if (ok && (p->quirks & DYNDNS2_EASYDNS) &&
	    (e = easydns_parse(s, ctx, why)) != -1)
		return (enum outcome)e;
	if (ok && ((n == 4 && strncasecmp(s, "good", 4) == 0) ||
	    (n == 5 && strncasecmp(s, "nochg", 5) == 0))) {
		o = n == 4 ? OUT_UPDATED : OUT_CURRENT;
		if (!echo_differs(echo, elen, a, &other))
			return o;
		if (other.fam == FAM_V4 && strcmp(other.text, "127.0.0.1") == 0) {
			ctx->hold = 1;
			*why = xasprintf("%s ignored the update (it answered "
			    "\"%.*s 127.0.0.1\": it does not accept this "
			    "client); please report it", svc, (int)n, s);
		} else
			*why = xasprintf("%s answered \"%.*s\" with %s, but we "
			    "sent %s", svc, (int)n, s, other.text, a->text);
		return OUT_PROTOCOL;
	}

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		if (strlen(codes[i].code) != n ||
		    strncasecmp(codes[i].code, s, n) != 0)
			continue;
		ctx->hold = codes[i].hold;
		if (codes[i].out == OUT_TEMPFAIL &&
		    ctx->retry_after < DYNDNS2_RETRY)
			ctx->retry_after = DYNDNS2_RETRY;
		*why = xasprintf("%s answered \"%s\": %s", svc, codes[i].code,
		    codes[i].what);
		return codes[i].out;
	}

	/* Services that answer with the status alone (Domeneshop's 204). */
	if (ok && (p->quirks & DYNDNS2_STATUS))
		return OUT_UPDATED;
	if ((ex = dyndns2_excerpt(body, EXCERPT_MAX)) == NULL)
		return OUT_TEMPFAIL;
	if (ok) {
		*why = *ex == '\0' ? xasprintf("%s sent an empty reply", svc) :
		    xasprintf("%s sent an unexpected reply \"%s\"", svc, ex);
		o = OUT_PROTOCOL;
	} else {
		o = provider_status_outcome(status);
		if (o == OUT_AUTH || o == OUT_CONFIG)
			ctx->hold = 1;
		*why = xasprintf("%s answered HTTP %ld%s%s%s", svc, status,
		    status == 401 ? ": username or password refused" :
		    status == 404 ? ((p->quirks & DYNDNS2_STATUS) ?
		    ": no such name in this account, or a wrong \"server\"" :
		    ": is \"server\" right?") : "",
		    *ex != '\0' ? ": " : "", ex);
	}
	free(ex);
	return o;
}

/* The names of the presets, ", "-joined (malloc'd; NULL when out of
 * memory). */
static char *
service_list(void)
{
	const struct dyndns2_preset	*p;
	char				*s = NULL, *t;

	for (p = dyndns2_presets; p->name != NULL; p++) {
		t = xasprintf("%s%s%s", s != NULL ? s : "", s != NULL ? ", " :
		    "", p->name);
		free(s);
		if ((s = t) == NULL)
			return NULL;
	}
	return s;
}

/*
 * What is wrong with rec's configuration, malloc'd, or NULL; with NULL,
 * *urlp (if urlp) is the update URL for address a (malloc'd; NULL only
 * when out of memory).
 */
static char *
config_problem(const struct record *rec, const struct addr *a, char **urlp)
{
	const struct dyndns2_preset	*p;
	const char			*service, *server, *user, *err;
	char				*list, *detail, *url;

	if (urlp != NULL)
		*urlp = NULL;
	service = rec_str(rec, "service");
	server = rec_str(rec, "server");
	p = dyndns2_preset(service != NULL ? service : "custom");
	if (p == NULL || (service == NULL && server == NULL)) {
		list = service_list();
		if (p == NULL)
			detail = xasprintf("unknown service \"%s\" (known: %s)",
			    service, list != NULL ? list : "?");
		else
			detail = xasprintf("needs \"service\" (one of: %s) or "
			    "\"server\" (the update URL)", list != NULL ? list :
			    "?");
		free(list);
		return detail;
	}
	user = dyndns2_user(p, rec_str(rec, "username"), rec->name,
	    rec->zone);
	if (user == NULL || rec_str(rec, "password") == NULL)
		return xasprintf("service %s needs \"%s\"", p->name,
		    user == NULL ? "username" : "password");
	/* Basic auth cannot carry it: user:password is split at ':'. */
	if (strchr(user, ':') != NULL)
		return xasprintf("\"username\" must not contain ':'");
	if ((url = dyndns2_url(p, server, rec->name, a, &err)) == NULL) {
		if (err == NULL)
			return NULL;
		return xasprintf("%s%s", server != NULL ? "\"server\": " : "",
		    err);
	}
	if (urlp != NULL)
		*urlp = url;
	else
		free(url);
	return NULL;
}

/* The provider's config check: NULL, or why rec cannot be pushed. */
static char *
check(const struct record *rec)
{
	struct addr	 a;
	char		*why;

	if (addr_parse("192.0.2.1", FAM_V4, &a) == -1)
		return NULL;
	if ((why = config_problem(rec, &a, NULL)) == NULL)
		return NULL;
	return xasprintf("dyndns2: %s", why);
}

/* Push one (record, family); see struct provider. */
static enum outcome
push(const struct record *rec, const struct addr *a, struct push_ctx *ctx,
    char **why)
{
	const struct dyndns2_preset	*p;
	const char			*user, *pass;
	char				*subj, *url = NULL, *userpwd = NULL;
	char				*detail = NULL;
	struct http_req			 req;
	struct http_resp		 resp;
	enum outcome			 o = OUT_CONFIG;

	subj = xasprintf("dyndns2: %s %s", rec->name, fam_rrtype(a->fam));
	if (subj == NULL)
		return OUT_TEMPFAIL;

	/* Anything wrong with the configuration holds the record until the
	 * configuration changes (ctx->hold). */
	if ((detail = config_problem(rec, a, &url)) != NULL) {
		ctx->hold = 1;
		goto out;
	}
	if (url == NULL) {
		o = OUT_TEMPFAIL;
		goto out;
	}
	p = dyndns2_preset(rec_str(rec, "service") != NULL ?
	    rec_str(rec, "service") : "custom");
	user = dyndns2_user(p, rec_str(rec, "username"), rec->name,
	    rec->zone);
	pass = rec_str(rec, "password");
	if ((userpwd = xasprintf("%s:%s", user, pass)) == NULL) {
		o = OUT_TEMPFAIL;
		goto out;
	}

	memset(&req, 0, sizeof(req));
	req.url = url;
	req.userpwd = userpwd;
	req.insecure = rec_bool(rec, "insecure", 0);
	memset(&resp, 0, sizeof(resp));
	if ((o = provider_send(subj, &req, &resp, ctx, why)) != OUT_CURRENT)
		goto out;
	o = dyndns2_parse(p, resp.status, resp.body, a, ctx, &detail);
	http_resp_free(&resp);
out:
	if (detail != NULL)
		*why = xasprintf("%s: %s", subj, detail);
	free(detail);
	free(userpwd);
	free(url);
	free(subj);
	return o;
}

const struct provider provider_dyndns2 = {
	.name = "dyndns2",
	.keys = keys,
	.push = push,
	.check = check,
};
