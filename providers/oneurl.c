/*
 * oneurl: services updated by one GET of a URL that carries a secret,
 * whose reply is a line of text. Each is a row in presets[] below.
 *
 * FreeDNS (afraid.org) "dynamic DNS version 2":
 * https://freedns.afraid.org/dynamic/v2/ (shown after signing in): each
 * record enabled there gets https://sync.afraid.org/u/<token>/; ?ip=
 * names the address, v6.sync.afraid.org is the IPv6 host.
 * GoIP: https://www.goip.de/update-url.html (German):
 * /setip?username=&password=&subdomain=&ip= (or ip6=)&shortResponse=true.
 * myaddr: no vendor page in reach; clients agree on GET (or POST)
 * https://myaddr.tools/update?key=<key>&ip=<address>, the key naming the
 * name; 200 "OK" is success (a NestJS adapter and a Caddy http_acme test
 * read "OK"), 404 an unknown key and 400 a bad request (ddns-updater's
 * myaddr provider).
 * Servercow: no vendor page in reach; two clients agree on GET
 * https://www.servercow.de/dnsupdate/update.php?username=&pass=&hostname=
 * &ipaddr= and a reply starting "OK" (OpenWrt ddns-scripts
 * servercow.de.json: "OKv4"/"OKv6"; IPFire ddns: "OK", and "FAILED -
 * Authentication failed" for a refused login).
 * ZoneEdit: https://support.zoneedit.com/en/knowledgebase/article/dynamic-dns
 * and .../changes-to-dynamic-dns: GET https://dynamic.zoneedit.com/auth/
 * dynamic.html?host=<name>&dnsto=<address>, HTTP Basic auth with the
 * account's user name and the "dynamic authentication token" of the
 * domain (not the password). Its reply codes are those of the retired
 * http://www.zoneedit.com/doc/dynamic.html (quoted in Tomato's mdu.c),
 * plus what users of ddclient, inadyn and ddns-updater reported since.
 *
 * Quirks handled:
 * - The secret travels in the URL, so no message of ours quotes the URL;
 *   http.c redacts the registered secrets from -vv dumps.
 * - FreeDNS's token names the record: the record's "name" is only ours
 *   (state file, messages); the service never sees it.
 * - FreeDNS says "Updated ..." or "No IP change detected ..." (the v1
 *   interface's "ERROR: Address ... has not changed" is current too);
 *   "ERROR: Unable to locate this record" is a token it does not know.
 * - GoIP echoes "<name> (<address>)" on success, with no word for "no
 *   change"; "Zugriff verweigert" (access denied) is a refused login.
 * - Replies are matched on their first line, case-insensitively; a 2xx
 *   reply that matches nothing is a protocol error (76).
 * - myaddr's key names the record, like FreeDNS's token; it has no word
 *   for "no change", and refuses an unknown key with HTTP 404 (held, 78).
 * - Servercow takes IPv6 in ip6addr= (OpenWrt; IPFire sends ipaddr= for
 *   both). ASSUMPTION, flagged: the two clients disagree. It has no
 *   word for "no change": "OK" is an update.
 * - ZoneEdit answers elements, not a line: "<SUCCESS CODE="200" TEXT=...
 *   ZONE=...>" or "<ERROR CODE="7xx" ...>", unclosed and without a root
 *   element, sometimes several (ddclient PR 543: an extra SUCCESS 200
 *   after the hosts). expat reads them (oneurl_zoneedit_line) into the
 *   line "ERROR 707: <TEXT>" that the rows below match; an ERROR wins
 *   over a SUCCESS.
 * - ZoneEdit's codes (the old document's list): SUCCESS 200 updated, 201
 *   "No records need updating"; ERROR 701 zone not in the account, 702
 *   update failed, 703 no host, 704 not a dotted name, 705 empty zone,
 *   707 "Duplicate updates for the same host/ip" (the address is already
 *   set: current, as ddclient and inadyn read it) or "Too frequent
 *   updates for the same host" (too soon), 708 login refused. Reported
 *   by users, not documented: 702 "Minimum 600 seconds between requests"
 *   (ddns-updater), 709 invalid host name, code 700 "no update required"
 *   (ddns-updater issue 890). Too soon and 702 back off 10 minutes, the
 *   interval ZoneEdit asks for; 708 and a 401 are the credentials.
 * - ZoneEdit takes an IPv6 address in dnsto= for a dynamic AAAA record
 *   (ddclient issue 290, a user's report; ZoneEdit documents no IPv6
 *   form): both families use the one URL. ASSUMPTION, flagged: not
 *   confirmed by the vendor.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <expat.h>

#include "providers.h"
#include "dyndns2.h"
#include "oneurl.h"

#define EXCERPT_MAX	80	/* bytes of a reply quoted in messages */
#define ZONEEDIT_RETRY	600	/* "at least 10 minutes between updates" */
#define ZONEEDIT_TEXT	200	/* bytes of a TEXT attribute kept */

static const struct oneurl_reply freedns_replies[] = {
	{ "Updated ", OUT_UPDATED, 0, NULL, 0 },
	{ "No IP change detected", OUT_CURRENT, 0, NULL, 0 },
	{ "ERROR: Address %a has not changed", OUT_CURRENT, 0, NULL, 0 },
	{ "ERROR: Unable to locate this record", OUT_AUTH, 1, "the token is "
	    "not a FreeDNS update token (copy it from the record's URL at "
	    "freedns.afraid.org/dynamic/v2/)", 0 },
	{ "ERROR: Invalid update URL", OUT_AUTH, 1, "the token is not a "
	    "FreeDNS update token", 0 },
	{ NULL, 0, 0, NULL, 0 }
};

static const struct oneurl_reply goip_replies[] = {
	{ "%h (%a)", OUT_UPDATED, 0, NULL, 0 },
	{ "Zugriff verweigert", OUT_AUTH, 1, "username or password refused, "
	    "or the subdomain is not this router user's", 0 },
	{ NULL, 0, 0, NULL, 0 }
};

static const struct oneurl_reply myaddr_replies[] = {
	{ "OK", OUT_UPDATED, 0, NULL, 0 },
	{ NULL, 0, 0, NULL, 0 }
};

static const struct oneurl_reply servercow_replies[] = {
	{ "OK", OUT_UPDATED, 0, NULL, 0 },
	{ "FAILED - Authentication failed", OUT_AUTH, 1, "username or "
	    "password (\"token\") refused", 0 },
	{ NULL, 0, 0, NULL, 0 }
};

/* Matched against oneurl_zoneedit_line()'s "ELEMENT CODE: TEXT". */
static const struct oneurl_reply zoneedit_replies[] = {
	{ "SUCCESS 200:", OUT_UPDATED, 0, NULL, 0 },
	{ "SUCCESS 201:", OUT_CURRENT, 0, NULL, 0 },
	{ "SUCCESS 700:", OUT_CURRENT, 0, NULL, 0 },	/* reported */
	{ "ERROR 700:", OUT_CURRENT, 0, NULL, 0 },	/* reported */
	{ "ERROR 707: Duplicate", OUT_CURRENT, 0, NULL, 0 },
	{ "ERROR 707:", OUT_TEMPFAIL, 0, "updates too frequent; retrying in "
	    "10 minutes at the earliest", ZONEEDIT_RETRY },
	{ "ERROR 702:", OUT_TEMPFAIL, 0, "update refused (ZoneEdit also says "
	    "this when updates come less than 10 minutes apart); retrying in "
	    "10 minutes at the earliest", ZONEEDIT_RETRY },
	{ "ERROR 708:", OUT_AUTH, 1, "login refused: \"username\" is the "
	    "ZoneEdit user name and \"token\" the domain's dynamic "
	    "authentication token (DNS settings, DYN records), not the "
	    "password", 0 },
	{ "ERROR 701:", OUT_CONFIG, 1, "the name's zone is not in this "
	    "ZoneEdit account", 0 },
	{ "ERROR 704:", OUT_CONFIG, 1, "ZoneEdit wants a dotted name: is "
	    "\"name\" the full host name?", 0 },
	{ "ERROR 705:", OUT_CONFIG, 1, "ZoneEdit found no zone for the name",
	    0 },
	{ "ERROR 709:", OUT_CONFIG, 1, "ZoneEdit refuses the host name: is "
	    "there a dynamic record for it?", 0 },
	{ "ERROR 703:", OUT_PROTOCOL, 1, "ZoneEdit missed the host in the "
	    "request; please report it", 0 },
	{ NULL, 0, 0, NULL, 0 }
};

const struct oneurl_preset oneurl_presets[] = {
	{ "freedns", "https://sync.afraid.org", "https://v6.sync.afraid.org",
	    "/u/%t/?ip=%a", "/u/%t/?ip=%a", 0, freedns_replies, NULL },
	{ "goip", "https://www.goip.de", NULL,
	    "/setip?username=%u&password=%t&subdomain=%h&ip=%a"
	    "&shortResponse=true",
	    "/setip?username=%u&password=%t&subdomain=%h&ip6=%a"
	    "&shortResponse=true", ONEURL_USER, goip_replies, NULL },
	{ "myaddr", "https://myaddr.tools", NULL, "/update?key=%t&ip=%a",
	    "/update?key=%t&ip=%a", 0, myaddr_replies, NULL },
	{ "servercow", "https://www.servercow.de", NULL,
	    "/dnsupdate/update.php?username=%u&pass=%t&hostname=%h&ipaddr=%a",
	    "/dnsupdate/update.php?username=%u&pass=%t&hostname=%h&ip6addr=%a",
	    ONEURL_USER, servercow_replies, NULL },
	{ "zoneedit", "https://dynamic.zoneedit.com", NULL,
	    "/auth/dynamic.html?host=%h&dnsto=%a",
	    "/auth/dynamic.html?host=%h&dnsto=%a", ONEURL_USER | ONEURL_BASIC,
	    zoneedit_replies, oneurl_zoneedit_line },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL }
};

static const struct provider_key keys[] = {
	{ "endpoint", 0 },
	{ "service", 0 },
	{ "token", KEY_REQUIRED | KEY_SECRET },
	{ "username", 0 },
	{ NULL, 0 }
};

/* The preset called name (any case), or NULL. */
const struct oneurl_preset *
oneurl_preset(const char *name)
{
	const struct oneurl_preset	*p;

	for (p = oneurl_presets; p->name != NULL; p++)
		if (strcasecmp(p->name, name) == 0)
			return p;
	return NULL;
}

/* The scheme://host[:port] of endpoint without a trailing '/', malloc'd;
 * NULL with *err (static), or with *err NULL when out of memory. */
static char *
endpoint_base(const char *endpoint, const char **err)
{
	const char	*auth;
	size_t		 n;

	*err = NULL;
	if (strncasecmp(endpoint, "https://", 8) == 0)
		auth = endpoint + 8;
	else if (strncasecmp(endpoint, "http://", 7) == 0)
		auth = endpoint + 7;
	else {
		*err = "not an http:// or https:// URL";
		return NULL;
	}
	if ((n = strcspn(auth, "/?#")) == 0 || provider_has_ctl(endpoint) ||
	    strchr(endpoint, ' ') != NULL) {
		*err = "no host in the URL";
		return NULL;
	}
	if (auth[n] != '\0' && strcmp(auth + n, "/") != 0) {
		*err = "give scheme://host[:port] only: the path is the "
		    "service's";
		return NULL;
	}
	return xasprintf("%.*s", (int)(auth + n - endpoint), endpoint);
}

/* tmpl with %t, %u, %h (percent-encoded) and %a expanded, appended to
 * base; malloc'd, NULL when out of memory. */
static char *
expand(const char *base, const char *tmpl, const char *token,
    const char *user, const char *name, const struct addr *a)
{
	const char	*s, *v;
	char		*out, *t, *enc;

	if ((out = xasprintf("%s", base)) == NULL)
		return NULL;
	for (s = tmpl; *s != '\0'; s++) {
		enc = NULL;
		if (s[0] == '%' && s[1] != '\0' && strchr("tuha", s[1])) {
			v = s[1] == 't' ? token : s[1] == 'u' ? user :
			    s[1] == 'h' ? name : NULL;
			if (v != NULL && (enc = http_pctenc(v)) == NULL) {
				free(out);
				return NULL;
			}
			t = xasprintf("%s%s", out, enc != NULL ? enc :
			    s[1] == 'a' ? a->text : "");
			s++;
		} else
			t = xasprintf("%s%c", out, *s);
		free(enc);
		free(out);
		if ((out = t) == NULL)
			return NULL;
	}
	return out;
}

/* The update URL (malloc'd), or NULL with *err (static; NULL when out of
 * memory). */
char *
oneurl_url(const struct oneurl_preset *p, const char *endpoint,
    const char *token, const char *username, const char *name,
    const struct addr *a, const char **err)
{
	char	*base, *url;

	*err = NULL;
	if (endpoint != NULL) {
		if ((base = endpoint_base(endpoint, err)) == NULL)
			return NULL;
	} else if ((base = xasprintf("%s", a->fam != FAM_V4 &&
	    p->base6 != NULL ? p->base6 : p->base)) == NULL)
		return NULL;
	url = expand(base, a->fam == FAM_V4 ? p->path4 : p->path6, token,
	    username != NULL ? username : "", name, a);
	free(base);
	return url;
}

/* Whether line (len bytes) starts with pattern, %h and %a expanded to
 * name and a, compared without regard to case. */
static int
matches(const char *line, size_t len, const char *pattern, const char *name,
    const struct addr *a)
{
	const char	*v;
	size_t		 n;

	while (*pattern != '\0') {
		if (pattern[0] == '%' && (pattern[1] == 'h' ||
		    pattern[1] == 'a')) {
			v = pattern[1] == 'h' ? name : a->text;
			n = strlen(v);
			pattern += 2;
		} else {
			v = pattern;
			n = 1;
			pattern++;
		}
		if (n > len || strncasecmp(line, v, n) != 0)
			return 0;
		line += n;
		len -= n;
	}
	return 1;
}

/* What oneurl_zoneedit_line() keeps while expat reads. */
struct ze_read {
	XML_Parser	 p;
	char		*error;		/* "ERROR <code>: <text>", malloc'd */
	char		*success;	/* "SUCCESS <code>: <text>", malloc'd */
	int		 oom;
};

/* expat: an element starts; keep the first ERROR and the first SUCCESS
 * that carry a numeric CODE. */
static void
ze_start(void *arg, const XML_Char *name, const XML_Char **attrs)
{
	struct ze_read	 *r = arg;
	const char	 *code = NULL, *text = "";
	char		**slot;
	size_t		  i, n;

	if (strcasecmp(name, "ERROR") == 0)
		slot = &r->error;
	else if (strcasecmp(name, "SUCCESS") == 0)
		slot = &r->success;
	else
		return;
	if (*slot != NULL)
		return;
	for (i = 0; attrs[i] != NULL && attrs[i + 1] != NULL; i += 2) {
		if (strcasecmp(attrs[i], "CODE") == 0)
			code = attrs[i + 1];
		else if (strcasecmp(attrs[i], "TEXT") == 0)
			text = attrs[i + 1];
	}
	if (code == NULL || (n = strspn(code, "0123456789")) == 0 || n > 4 ||
	    code[n] != '\0')
		return;
	*slot = xasprintf("%s %s: %.*s", slot == &r->error ? "ERROR" :
	    "SUCCESS", code, ZONEEDIT_TEXT, text);
	if (*slot == NULL) {
		r->oom = 1;
		XML_StopParser(r->p, XML_FALSE);
	}
}

/* ZoneEdit's elements as one line; see oneurl.h. */
int
oneurl_zoneedit_line(const char *body, char **line)
{
	struct ze_read	 r;
	size_t		 len;

	*line = NULL;
	memset(&r, 0, sizeof(r));
	if ((r.p = XML_ParserCreate("UTF-8")) == NULL)
		return -1;
	XML_SetUserData(r.p, &r);
	XML_SetStartElementHandler(r.p, ze_start);
	/*
	 * A root of ours around the body: ZoneEdit sends elements side by
	 * side and leaves them open. What expat says after them (open tags
	 * at "</r>") does not matter: the elements read so far count. No
	 * DOCTYPE, hence no entity of the sender's, can follow "<r>".
	 */
	len = strlen(body);
	if (len > 65536)
		len = 65536;
	if (XML_Parse(r.p, "<r>", 3, XML_FALSE) == XML_STATUS_OK &&
	    XML_Parse(r.p, body, (int)len, XML_FALSE) == XML_STATUS_OK)
		(void)XML_Parse(r.p, "</r>", 4, XML_TRUE);
	XML_ParserFree(r.p);
	if (r.oom) {
		free(r.error);
		free(r.success);
		return -1;
	}
	if (r.error != NULL) {
		free(r.success);
		*line = r.error;
	} else
		*line = r.success;
	return *line != NULL;
}

/* The outcome of the reply; *why malloc'd (caller frees) when not plain. */
enum outcome
oneurl_parse(const struct oneurl_preset *p, long status, const char *body,
    const char *name, const struct addr *a, struct push_ctx *ctx, char **why)
{
	const struct oneurl_reply	*r = p->replies;
	const char			*s;
	char				*ex, *line = NULL;
	size_t				 n;
	enum outcome			 o;
	int				 ok = status >= 200 && status < 300;

	s = body != NULL ? body : "";
	if (ok && p->line != NULL) {
		switch (p->line(s, &line)) {
		case -1:
			return OUT_TEMPFAIL;
		case 1:
			s = line;
			break;
		default:	/* nothing the rows read: unexpected */
			r = NULL;
			break;
		}
	}
	s += strspn(s, " \t\r\n");
	n = strcspn(s, "\r\n");
	if ((ex = dyndns2_excerpt(line != NULL ? line : body,
	    EXCERPT_MAX)) == NULL) {
		free(line);
		return OUT_TEMPFAIL;
	}
	o = OUT_PROTOCOL;
	if (ok) {
		for (; r != NULL && r->pattern != NULL; r++) {
			if (!matches(s, n, r->pattern, name, a))
				continue;
			if (r->out != OUT_UPDATED && r->out != OUT_CURRENT) {
				ctx->hold = r->hold;
				*why = xasprintf("%s answered \"%s\": %s",
				    p->name, ex, r->what);
			}
			if (r->out == OUT_TEMPFAIL && ctx->retry_after < r->retry)
				ctx->retry_after = r->retry;
			o = r->out;
			goto out;
		}
		*why = *ex == '\0' ? xasprintf("%s sent an empty reply",
		    p->name) : xasprintf("%s sent an unexpected reply \"%s\"",
		    p->name, ex);
	} else {
		o = provider_status_outcome(status);
		if (o == OUT_AUTH || o == OUT_CONFIG)
			ctx->hold = 1;
		*why = xasprintf("%s answered HTTP %ld%s%s%s", p->name, status,
		    *ex != '\0' ? ": " : "", ex, o != OUT_AUTH ? "" :
		    (p->flags & ONEURL_USER) ? " (check \"username\" and "
		    "\"token\")" : " (check \"token\")");
	}
out:
	free(line);
	free(ex);
	return o;
}

/* The names of the presets, ", "-joined (malloc'd; NULL when out of
 * memory). */
static char *
service_list(void)
{
	const struct oneurl_preset	*p;
	char				*s = NULL, *t;

	for (p = oneurl_presets; p->name != NULL; p++) {
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
 * *urlp (if urlp) is the update URL for a (malloc'd; NULL only when out
 * of memory) and *pp the preset.
 */
static char *
config_problem(const struct record *rec, const struct addr *a, char **urlp,
    const struct oneurl_preset **pp)
{
	const struct oneurl_preset	*p;
	const char			*service, *user, *endpoint, *err;
	char				*list, *detail, *url;

	if (urlp != NULL)
		*urlp = NULL;
	service = rec_str(rec, "service");
	if (service == NULL || (p = oneurl_preset(service)) == NULL) {
		list = service_list();
		if (service == NULL)
			detail = xasprintf("needs \"service\" (one of: %s)",
			    list != NULL ? list : "?");
		else
			detail = xasprintf("unknown service \"%s\" (known: %s)",
			    service, list != NULL ? list : "?");
		free(list);
		return detail;
	}
	*pp = p;
	user = rec_str(rec, "username");
	if ((p->flags & ONEURL_USER) && (user == NULL || *user == '\0'))
		return xasprintf("service %s needs \"username\"", p->name);
	if ((p->flags & ONEURL_BASIC) && (user == NULL || *user == '\0' ||
	    strchr(user, ':') != NULL || provider_has_ctl(user)))
		return xasprintf("service %s: \"username\" must be set, "
		    "without ':' or control characters (HTTP Basic auth)",
		    p->name);
	if (rec_str(rec, "token") == NULL)
		return xasprintf("service %s needs \"token\"", p->name);
	endpoint = rec_str(rec, "endpoint");
	if ((url = oneurl_url(p, endpoint, rec_str(rec, "token"), user,
	    rec->name, a, &err)) == NULL)
		return err != NULL ? xasprintf("\"endpoint\": %s", err) : NULL;
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
	const struct oneurl_preset	*p;
	struct addr			 a;
	char				*why;

	if (addr_parse("192.0.2.1", FAM_V4, &a) == -1)
		return NULL;
	if ((why = config_problem(rec, &a, NULL, &p)) == NULL)
		return NULL;
	return xasprintf("oneurl: %s", why);
}

/* Push one (record, family); see struct provider. */
static enum outcome
push(const struct record *rec, const struct addr *a, struct push_ctx *ctx,
    char **why)
{
	const struct oneurl_preset	*p = NULL;
	char				*subj, *url = NULL, *detail = NULL;
	char				*userpwd = NULL;
	struct http_req			 req;
	struct http_resp		 resp;
	enum outcome			 o = OUT_CONFIG;

	subj = xasprintf("oneurl: %s %s", rec->name, fam_rrtype(a->fam));
	if (subj == NULL)
		return OUT_TEMPFAIL;
	/* What is wrong with the configuration holds the record until the
	 * configuration changes (ctx->hold). */
	if ((detail = config_problem(rec, a, &url, &p)) != NULL) {
		ctx->hold = 1;
		goto out;
	}
	if (url == NULL) {
		o = OUT_TEMPFAIL;
		goto out;
	}

	memset(&req, 0, sizeof(req));
	req.url = url;
	req.insecure = rec_bool(rec, "insecure", 0);
	if ((p->flags & ONEURL_BASIC) && (req.userpwd = userpwd =
	    xasprintf("%s:%s", rec_str(rec, "username"),
	    rec_str(rec, "token"))) == NULL) {
		o = OUT_TEMPFAIL;
		goto out;
	}
	memset(&resp, 0, sizeof(resp));
	if ((o = provider_send(subj, &req, &resp, ctx, why)) != OUT_CURRENT)
		goto out;
	o = oneurl_parse(p, resp.status, resp.body, rec->name, a, ctx,
	    &detail);
	http_resp_free(&resp);
out:
	if (detail != NULL)
		*why = xasprintf("%s: %s", subj, detail);
	free(detail);
	if (userpwd != NULL) {
		explicit_bzero(userpwd, strlen(userpwd));
		free(userpwd);
	}
	free(url);
	free(subj);
	return o;
}

const struct provider provider_oneurl = {
	.name = "oneurl",
	.keys = keys,
	.push = push,
	.check = check,
};
