/*
 * dyndns2: the update protocol Dyn introduced and many services copied.
 *
 * Protocol: https://help.dyn.com/remote-access-api/ (perform-update and
 * return-codes pages); No-IP: https://www.noip.com/integrate/request and
 * https://www.noip.com/integrate/response; Hurricane Electric:
 * https://dns.he.net/docs.html; deSEC: https://desec.readthedocs.io/en/
 * latest/dyndns/update-api.html; dynv6: https://dynv6.com/docs/apis;
 * OVH DynHost: https://help.ovhcloud.com/ (DynHost guide).
 *
 * One GET <server><path>?hostname=<fqdn>&myip=<ip> with Basic auth per
 * (record, family); the reply is one text line per host. Quirks handled:
 * - Every service is a row in presets[] below (host, path, default user,
 *   quirk flags); "custom" takes the URL from the "server" key.
 * - A "server" without a path gets the preset's path ("/nic/update"), so
 *   "https://members.dyndns.org" works as users write it in ddclient.
 * - OVH wants system=dyndns.
 * - deSEC deletes the other family's record when an update names only
 *   one, unless told "preserve": we send myipv4=/myipv6= and preserve
 *   the family we are not pushing.
 * - Hurricane Electric's username is the record's name (the password is
 *   the per-record key); deSEC's is the domain; dynv6's is "none".
 * - "good 127.0.0.1" when we sent another address is Dyn's way of saying
 *   it ignored a client it does not accept: permanent, like badagent.
 * - Every error but 911/dnserr means "stop until a person intervenes"
 *   (ctx->hold); 911/dnserr mean "not sooner than 30 minutes".
 * - Some services answer errors with HTTP 401 and a code body, others
 *   with 200: the code in the body wins over the status.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "dyndns2.h"

#define DYNDNS2_RETRY	1800	/* 911/dnserr: "wait at least 30 minutes" */
#define EXCERPT_MAX	80	/* bytes of a reply quoted in messages */

const struct dyndns2_preset dyndns2_presets[] = {
	{ "changeip", "https://nic.changeip.com", "/nic/update", NULL, 0 },
	{ "custom", NULL, "/nic/update", NULL, 0 },
	{ "desec", "https://update.dedyn.io", "/", NULL,
	    DYNDNS2_PRESERVE | DYNDNS2_USER_ZONE },
	{ "dyn", "https://members.dyndns.org", "/nic/update", NULL, 0 },
	{ "dynv6", "https://dynv6.com", "/nic/update", "none", 0 },
	{ "he", "https://dyn.dns.he.net", "/nic/update", NULL,
	    DYNDNS2_USER_HOST },
	{ "noip", "https://dynupdate.no-ip.com", "/nic/update", NULL, 0 },
	{ "ovh", "https://www.ovh.com", "/nic/update", NULL, DYNDNS2_SYSTEM },
	{ "strato", "https://dyndns.strato.com", "/nic/update", NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 }
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
	{ "badsys", OUT_CONFIG, 1, "the system parameter was refused: is "
	    "\"service\" right?" },
	{ "dnserr", OUT_TEMPFAIL, 0, "DNS error at the service; retrying in "
	    "30 minutes at the earliest" },
	{ "nohost", OUT_CONFIG, 1, "no such name in this account" },
	{ "notfqdn", OUT_CONFIG, 1, "not a fully qualified domain name" },
	{ "numhost", OUT_CONFIG, 1, "too many names in one update" },
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
	const char	*fmt;
	char		*base, *h = NULL, *url = NULL;

	*err = NULL;
	if (server == NULL && (server = p->base) == NULL) {
		*err = "this service needs \"server\" (the update URL)";
		return NULL;
	}
	if ((base = dyndns2_base(server, p->path, err)) == NULL)
		return NULL;
	if ((h = http_pctenc(host)) == NULL)
		goto out;

	/* Addresses go unencoded: ':' is legal in a query and some servers
	 * do not decode %3A. */
	if (p->quirks & DYNDNS2_PRESERVE)
		fmt = a->fam == FAM_V4 ?
		    "%s%shostname=%s&myipv4=%s&myipv6=preserve" :
		    "%s%shostname=%s&myipv6=%s&myipv4=preserve";
	else
		fmt = "%s%shostname=%s&myip=%s";
	url = xasprintf(fmt, base, (p->quirks & DYNDNS2_SYSTEM) ?
	    "system=dyndns&" : "", h, a->text);
out:
	free(base);
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
	int		 ok = status >= 200 && status < 300;

	svc = p->base != NULL ? p->name : "the server";
	s = body != NULL ? body : "";
	s += strspn(s, " \t\r\n");
	n = strcspn(s, " \t\r\n");
	echo = s + n;
	echo += strspn(echo, " \t");
	elen = strcspn(echo, " \t\r\n");

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
		    status == 404 ? ": is \"server\" right?" : "",
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
