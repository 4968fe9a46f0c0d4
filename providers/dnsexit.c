/*
 * dnsexit: DNSExit's DNS API (the JSON one, not the old RemoteUpdate.sv).
 * https://dnsexit.com/dns/dns-api/
 *
 * Confirmed in that guide: an update is a JSON document POSTed with
 * "Content-Type: application/json" to https://api.dnsexit.com/dns/; the
 * API key may go in the document, the URL or an "apikey" header (we use
 * the header); the document names the "domain" and an "update" with the
 * record's type, name, content and ttl; the ttl is in MINUTES; a name not
 * ending with the domain gets the domain appended; the reply is JSON,
 * {"code": 0, "message": "Success ..."} when it worked; the key is created
 * in the account under Settings, "DNS API Key".
 *
 * Assumptions (not confirmed; the guide's table of reply codes was not in
 * the material we could read), flagged where used:
 * - code 2 is "API Key Authentication Error"; a message naming the API
 *   key is taken as the same, whatever its code. Any other code != 0 is
 *   an error quoted as it comes (exit 76).
 * - "update" changes a record that exists; whether it creates a missing
 *   one is not documented, so the man page asks to create it first.
 *
 * Quirks handled:
 * - The API has no call to read a record, so "unchanged" is the state
 *   file's business: with the state current nothing is sent; --force sends
 *   the update again.
 * - The domain is the record's "zone", else the record's own name: a
 *   DNSExit free domain (myhost.linkpc.net) is its own zone.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "dnsexit.h"

#define DX_ENDPOINT	"https://api.dnsexit.com/dns/"
#define DX_MSG_MAX	400
#define DX_CODE_AUTH	2	/* assumption, see above */
#define DX_HINT_AUTH	"check api_key: the DNS API key from the DNSExit " \
	"account's Settings, DNS API Key"

static const struct provider_key keys[] = {
	{ "api_key",	KEY_REQUIRED | KEY_SECRET },
	{ "endpoint",	0 },
	{ NULL,		0 }
};

/* ---- pure parts --------------------------------------------------------- */

/* The update body; see dnsexit.h. */
char *
dnsexit_build_update(const char *domain, const char *name, const char *type,
    const char *content, long ttl)
{
	json_t	*o;
	char	*s;

	o = json_pack("{s:s, s:{s:s, s:s, s:s}}", "domain", domain, "update",
	    "type", type, "name", name, "content", content);
	if (o == NULL)
		return NULL;
	if (ttl > 0 && json_object_set_new(json_object_get(o, "update"),
	    "ttl", json_integer((ttl + 59) / 60)) == -1) {
		json_decref(o);
		return NULL;
	}
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

/* 1 if s mentions the API key (any case), else 0. */
static int
names_key(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if (strncasecmp(s, "api key", 7) == 0 ||
		    strncasecmp(s, "apikey", 6) == 0)
			return 1;
	return 0;
}

/* Read a reply; see dnsexit.h. */
enum outcome
dnsexit_reply(long status, const char *body, char **why)
{
	json_t		*root = NULL, *jc;
	json_error_t	 jerr;
	const char	*msg = NULL;
	char		 buf[DX_MSG_MAX];
	long long	 code = -1;
	enum outcome	 out;
	int		 ok2xx = status >= 200 && status < 300;

	*why = NULL;
	if (body != NULL && body[0] != '\0')
		root = json_loads(body, 0, &jerr);
	else
		snprintf(jerr.text, sizeof(jerr.text), "empty reply");
	if (root != NULL && !json_is_object(root)) {
		snprintf(jerr.text, sizeof(jerr.text), "not a JSON object");
		json_decref(root);
		root = NULL;
	}
	if (root != NULL) {
		jc = json_object_get(root, "code");
		if (json_is_integer(jc))
			code = json_integer_value(jc);
		msg = json_string_value(json_object_get(root, "message"));
	}
	snprintf(buf, sizeof(buf), "HTTP %ld", status);
	if (ok2xx && code == 0) {
		json_decref(root);
		return OUT_UPDATED;
	}
	if (ok2xx && code < 0) {
		provider_append(buf, sizeof(buf), ": not a DNSExit API reply: ");
		provider_append(buf, sizeof(buf), root == NULL ? jerr.text :
		    "no numeric \"code\"");
		json_decref(root);
		*why = xasprintf("%s", buf);
		return OUT_PROTOCOL;
	}
	if (code >= 0) {
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
		    ": code %lld", code);
		if (msg != NULL) {
			provider_append(buf, sizeof(buf), ": ");
			provider_append(buf, sizeof(buf), msg);
		}
	} else
		provider_append(buf, sizeof(buf), " (no DNSExit reply)");
	if (!ok2xx)
		out = provider_status_outcome(status);
	else if (code == DX_CODE_AUTH || names_key(msg))
		out = OUT_AUTH;
	else
		out = OUT_PROTOCOL;
	json_decref(root);
	*why = out == OUT_AUTH ? xasprintf("%s (%s)", buf, DX_HINT_AUTH) :
	    xasprintf("%s", buf);
	return out;
}

/* ---- talking to the API ------------------------------------------------- */

/*
 * The configured endpoint (or the default) and the domain and relative
 * name ("" for the apex) of rec: 0 with *ep, *domain and *name set (the
 * latter two malloc'd), or -1 with *why (malloc'd).
 */
static int
dx_where(const struct record *rec, const char **ep, char **domain,
    char **name, char **why)
{
	char	*rr = NULL;

	*domain = *name = *why = NULL;
	if ((*ep = rec_str(rec, "endpoint")) == NULL)
		*ep = DX_ENDPOINT;
	if ((strncasecmp(*ep, "https://", 8) != 0 &&
	    strncasecmp(*ep, "http://", 7) != 0) || provider_has_ctl(*ep) ||
	    strchr(*ep, '#') != NULL) {
		*why = xasprintf("endpoint \"%s\" is not an http(s) URL", *ep);
		return -1;
	}
	if (provider_split_name(rec->name, rec->zone != NULL ? rec->zone :
	    rec->name, domain, &rr, why) == -1)
		return -1;
	*name = strcmp(rr, "@") == 0 ? strdup("") : rr;
	if (*name != rr)
		free(rr);
	if (*name == NULL) {
		free(*domain);
		*domain = NULL;
		*why = xasprintf("out of memory");
		return -1;
	}
	return 0;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct http_resp resp;
	const char	*ep, *key, *hdrs[2];
	char		*label = NULL, *auth = NULL, *domain = NULL;
	char		*name = NULL, *body = NULL, *inner = NULL;
	enum outcome	 out;

	*why = NULL;
	if ((label = xasprintf("dnsexit: %s %s", rec->name,
	    fam_rrtype(addr->fam))) == NULL)
		return OUT_TEMPFAIL;
	key = rec_str(rec, "api_key");
	if (key == NULL || *key == '\0' || provider_has_ctl(key)) {
		*why = xasprintf("%s: api_key is empty or has a control "
		    "character", label);
		out = OUT_CONFIG;
		goto out;
	}
	if (dx_where(rec, &ep, &domain, &name, &inner) == -1) {
		ctx->hold = 1;
		*why = xasprintf("%s: %s", label, inner);
		out = OUT_CONFIG;
		goto out;
	}
	if ((auth = xasprintf("apikey: %s", key)) == NULL ||
	    (body = dnsexit_build_update(domain, name, fam_rrtype(addr->fam),
	    addr->text, rec->ttl)) == NULL) {
		*why = xasprintf("%s: out of memory", label);
		out = OUT_TEMPFAIL;
		goto out;
	}
	log_info("%s: updating %s", label, body);
	hdrs[0] = auth;
	hdrs[1] = NULL;
	if ((out = provider_json_send(label, rec, ctx, "POST", ep, hdrs, NULL,
	    body, &resp, why)) != OUT_CURRENT)
		goto out;
	out = dnsexit_reply(resp.status, resp.body, &inner);
	http_resp_free(&resp);
	if (out != OUT_UPDATED)
		*why = xasprintf("%s: %s", label, inner != NULL ? inner :
		    "out of memory");
out:
	if (auth != NULL)
		explicit_bzero(auth, strlen(auth));
	free(auth);
	free(label);
	free(domain);
	free(name);
	free(body);
	free(inner);
	return out;
}

/* NULL if rec can be pushed as configured, else why not (malloc'd). */
static char *
check(const struct record *rec)
{
	const char	*ep, *key;
	char		*domain, *name, *why;

	key = rec_str(rec, "api_key");
	if (key == NULL || *key == '\0' || provider_has_ctl(key))
		return xasprintf("api_key is empty or has a control "
		    "character");
	if (dx_where(rec, &ep, &domain, &name, &why) == -1)
		return why;
	free(domain);
	free(name);
	return NULL;
}

const struct provider provider_dnsexit = {
	.name = "dnsexit",
	.keys = keys,
	.push = push,
	.check = check,
};
