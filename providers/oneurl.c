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
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "dyndns2.h"
#include "oneurl.h"

#define EXCERPT_MAX	80	/* bytes of a reply quoted in messages */

static const struct oneurl_reply freedns_replies[] = {
	{ "Updated ", OUT_UPDATED, 0, NULL },
	{ "No IP change detected", OUT_CURRENT, 0, NULL },
	{ "ERROR: Address %a has not changed", OUT_CURRENT, 0, NULL },
	{ "ERROR: Unable to locate this record", OUT_AUTH, 1, "the token is "
	    "not a FreeDNS update token (copy it from the record's URL at "
	    "freedns.afraid.org/dynamic/v2/)" },
	{ "ERROR: Invalid update URL", OUT_AUTH, 1, "the token is not a "
	    "FreeDNS update token" },
	{ NULL, 0, 0, NULL }
};

static const struct oneurl_reply goip_replies[] = {
	{ "%h (%a)", OUT_UPDATED, 0, NULL },
	{ "Zugriff verweigert", OUT_AUTH, 1, "username or password refused, "
	    "or the subdomain is not this router user's" },
	{ NULL, 0, 0, NULL }
};

const struct oneurl_preset oneurl_presets[] = {
	{ "freedns", "https://sync.afraid.org", "https://v6.sync.afraid.org",
	    "/u/%t/?ip=%a", "/u/%t/?ip=%a", 0, freedns_replies },
	{ "goip", "https://www.goip.de", NULL,
	    "/setip?username=%u&password=%t&subdomain=%h&ip=%a"
	    "&shortResponse=true",
	    "/setip?username=%u&password=%t&subdomain=%h&ip6=%a"
	    "&shortResponse=true", 1, goip_replies },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL }
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

/* The outcome of the reply; *why malloc'd (caller frees) when not plain. */
enum outcome
oneurl_parse(const struct oneurl_preset *p, long status, const char *body,
    const char *name, const struct addr *a, struct push_ctx *ctx, char **why)
{
	const struct oneurl_reply	*r;
	const char			*s;
	char				*ex;
	size_t				 n;
	enum outcome			 o;

	s = body != NULL ? body : "";
	s += strspn(s, " \t\r\n");
	n = strcspn(s, "\r\n");
	if ((ex = dyndns2_excerpt(body, EXCERPT_MAX)) == NULL)
		return OUT_TEMPFAIL;
	if (status >= 200 && status < 300) {
		for (r = p->replies; r->pattern != NULL; r++) {
			if (!matches(s, n, r->pattern, name, a))
				continue;
			if (r->out != OUT_UPDATED && r->out != OUT_CURRENT) {
				ctx->hold = r->hold;
				*why = xasprintf("%s answered \"%s\": %s",
				    p->name, ex, r->what);
			}
			free(ex);
			return r->out;
		}
		*why = *ex == '\0' ? xasprintf("%s sent an empty reply",
		    p->name) : xasprintf("%s sent an unexpected reply \"%s\"",
		    p->name, ex);
		o = OUT_PROTOCOL;
	} else {
		o = provider_status_outcome(status);
		if (o == OUT_AUTH || o == OUT_CONFIG)
			ctx->hold = 1;
		*why = xasprintf("%s answered HTTP %ld%s%s", p->name, status,
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
	if (p->needs_user && (user == NULL || *user == '\0'))
		return xasprintf("service %s needs \"username\"", p->name);
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
