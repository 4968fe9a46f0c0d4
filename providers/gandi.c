/*
 * gandi: Gandi LiveDNS, API v5.
 * https://api.gandi.net/docs/livedns/
 * (authentication: https://api.gandi.net/docs/authentication/)
 *
 * Quirks handled:
 * - Auth is "Authorization: Bearer <personal access token>". The older
 *   "Authorization: Apikey <key>" is deprecated by Gandi and may stop
 *   working: it is still accepted as "api_key", with a warning on every
 *   push, when no "token" is set.
 * - Records are record sets addressed by domain, name (relative, "@" for
 *   the apex) and type, with no ids: GET .../records/{name}/{type}
 *   answers {rrset_name, rrset_type, rrset_ttl, rrset_values}, 404 when
 *   there is none; PUT with {rrset_values, rrset_ttl} creates or replaces
 *   the whole set (201 {"message":"DNS Record Created"}). The state keeps
 *   "<domain>/<name>", so a later change is one PUT without a GET.
 * - A 404 on the GET cannot tell a missing record from a domain not in
 *   LiveDNS: we PUT, and a 404 or 403 on the PUT is the domain's.
 * - The domain is the configured zone or the last two labels.
 * - TTL: the configured one, else 300 (LiveDNS's minimum), on every PUT.
 * - Errors are {code, message, object, cause, errors:[{location, name,
 *   description}]}: 401 a wrong or expired token, 403 a token without
 *   the permission or the domain; 429 honours Retry-After, else 60 s.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "gandi.h"

#define GN_ENDPOINT	"https://api.gandi.net/v5/livedns"
#define GN_TTL		300	/* the minimum; when none is configured */
#define GN_WAIT_429	60
#define GN_MSG_MAX	500
#define GN_HINT_401	"check token: a Gandi personal access token, " \
	"not expired"
#define GN_HINT_403	"the token needs the permission \"Manage domain " \
	"name technical configurations\" on this domain, and the domain " \
	"must use LiveDNS"

static const struct provider_key keys[] = {
	{ "api_key",	KEY_SECRET },
	{ "endpoint",	0 },
	{ "token",	KEY_SECRET },
	{ NULL,		0 }
};

/* One push in progress. */
struct gn {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;
	const char		*value;
	char			*auth;		/* the Authorization header */
	char			*base;		/* endpoint, no trailing '/' */
	char			*label;		/* "gandi: name A" */
	char			*zone;
	char			*host;		/* relative, "@" for the apex */
	char			*sid;		/* "<zone>/<host>" */
	long			 ttl;
	long			 status;
	int			 legacy;	/* api_key, not token */
};

/* ---- pure parts --------------------------------------------------------- */

/* Read a reply; see gandi.h. */
enum outcome
gn_reply(long status, const char *body, json_t **rootp, char **why)
{
	json_t		*root = NULL, *errs, *e;
	json_error_t	 jerr;
	const char	*cause = NULL, *msg = NULL, *en, *ed, *hint = NULL;
	char		 buf[GN_MSG_MAX] = "";
	size_t		 i;
	int		 n = 0;

	*rootp = NULL;
	*why = NULL;
	if (body != NULL && body[0] != '\0')
		root = json_loads(body, 0, &jerr);
	if (status >= 200 && status < 300) {
		if (root == NULL && body != NULL && body[0] != '\0') {
			provider_append(buf, sizeof(buf), jerr.text);
			*why = xasprintf("HTTP %ld: not a Gandi API reply: %s",
			    status, buf);
			return OUT_PROTOCOL;
		}
		*rootp = root;
		return OUT_CURRENT;
	}
	snprintf(buf, sizeof(buf), "HTTP %ld", status);
	json_unpack(root, "{s?:s, s?:s}", "cause", &cause, "message", &msg);
	if (cause != NULL || msg != NULL) {
		provider_append(buf, sizeof(buf), ": ");
		if (cause != NULL)
			provider_append(buf, sizeof(buf), cause);
		if (cause != NULL && msg != NULL && strcmp(cause, msg) != 0)
			provider_append(buf, sizeof(buf), ": ");
		if (msg != NULL && (cause == NULL || strcmp(cause, msg) != 0))
			provider_append(buf, sizeof(buf), msg);
		errs = json_object_get(root, "errors");
		json_array_foreach(errs, i, e) {
			en = ed = NULL;
			json_unpack(e, "{s?:s, s?:s}", "name", &en,
			    "description", &ed);
			provider_append(buf, sizeof(buf), n++ == 0 ? " [" : "; ");
			if (en != NULL) {
				provider_append(buf, sizeof(buf), en);
				provider_append(buf, sizeof(buf), ": ");
			}
			provider_append(buf, sizeof(buf), ed != NULL ? ed : "?");
		}
		if (n > 0)
			provider_append(buf, sizeof(buf), "]");
	} else
		provider_append(buf, sizeof(buf), " (no Gandi error in the reply)");
	json_decref(root);
	if (status == 401)
		hint = GN_HINT_401;
	else if (status == 403)
		hint = GN_HINT_403;
	*why = hint != NULL ? xasprintf("%s (%s)", buf, hint) :
	    xasprintf("%s", buf);
	return provider_status_outcome(status);
}

/* Parse a record set; see gandi.h. */
int
gn_parse_rrset(json_t *root, char **value, long *ttl, size_t *count,
    char **why)
{
	json_t		*vals;
	json_int_t	 t = 0;
	size_t		 i;

	*value = NULL;
	*ttl = 0;
	*count = 0;
	*why = NULL;
	if (json_unpack(root, "{s:o, s?:I}", "rrset_values", &vals,
	    "rrset_ttl", &t) == -1 || !json_is_array(vals)) {
		*why = xasprintf("no \"rrset_values\" array in the reply");
		return -1;
	}
	for (i = 0; i < json_array_size(vals); i++)
		if (!json_is_string(json_array_get(vals, i))) {
			*why = xasprintf("rrset_values[%zu] is not a string",
			    i);
			return -1;
		}
	*count = json_array_size(vals);
	*ttl = (long)t;
	if (*count > 0 && (*value = strdup(json_string_value(
	    json_array_get(vals, 0)))) == NULL) {
		*why = xasprintf("out of memory");
		*count = 0;
		return -1;
	}
	return 0;
}

/* The PUT body; see gandi.h. */
char *
gn_body(const char *value, long ttl)
{
	json_t	*o;
	char	*s;

	if ((o = json_pack("{s:[s], s:I}", "rrset_values", value,
	    "rrset_ttl", (json_int_t)ttl)) == NULL)
		return NULL;
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

/* ---- talking to the API ------------------------------------------------- */

/* Set *why to inner (malloc'd, consumed; NULL: out of memory) prefixed
 * with the record, and default the wait after a bare 429; returns out. */
static enum outcome
fail(struct gn *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label : "gandi",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	if (c->status == 429 && c->ctx->retry_after <= 0)
		c->ctx->retry_after = GN_WAIT_429;
	return out;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
gn_init(struct gn *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*tok, *key;
	char		*inner = NULL;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->value = addr->text;
	c->ttl = rec->ttl > 0 ? rec->ttl : GN_TTL;
	if ((c->label = xasprintf("gandi: %s %s", rec->name, c->type)) ==
	    NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	tok = rec_str(rec, "token");
	key = rec_str(rec, "api_key");
	if (tok == NULL && key == NULL)
		return fail(c, OUT_CONFIG, xasprintf("no credentials: set "
		    "token (a personal access token)"), why);
	if (tok == NULL) {
		tok = key;
		c->legacy = 1;
	}
	if (*tok == '\0' || provider_has_ctl(tok))
		return fail(c, OUT_CONFIG, xasprintf("%s is empty or has a "
		    "control character", c->legacy ? "api_key" : "token"),
		    why);
	if ((c->auth = xasprintf("Authorization: %s %s", c->legacy ?
	    "Apikey" : "Bearer", tok)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((c->base = provider_base_url(rec_str(rec, "endpoint"),
	    GN_ENDPOINT, &inner)) == NULL)
		return fail(c, inner != NULL ? OUT_CONFIG : OUT_TEMPFAIL,
		    inner, why);
	if (provider_split_name(rec->name, rec->zone, &c->zone, &c->host,
	    &inner) == -1)
		return fail(c, OUT_CONFIG, inner, why);
	if ((c->sid = xasprintf("%s/%s", c->zone, c->host)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	return OUT_CURRENT;
}

/* Free what gn_init() allocated. */
static void
cleanup(struct gn *c)
{
	if (c->auth != NULL)
		explicit_bzero(c->auth, strlen(c->auth));
	free(c->auth);
	free(c->base);
	free(c->label);
	free(c->zone);
	free(c->host);
	free(c->sid);
}

/*
 * Send method on the record set's URL with body (or none). OUT_CURRENT
 * with *root (may be NULL; caller json_decref()s), else an error outcome
 * with *why; c->status tells the HTTP status either way.
 */
static enum outcome
gn_call(struct gn *c, const char *method, const char *body, json_t **root,
    char **why)
{
	struct http_resp resp;
	const char	*hdrs[2];
	char		*ez = NULL, *eh = NULL, *url = NULL, *inner = NULL;
	enum outcome	 out;

	*root = NULL;
	if ((ez = http_pctenc(c->zone)) == NULL ||
	    (eh = strcmp(c->host, "@") == 0 ? strdup("@") :
	    http_pctenc(c->host)) == NULL ||
	    (url = xasprintf("%s/domains/%s/records/%s/%s", c->base, ez, eh,
	    c->type)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	hdrs[0] = c->auth;
	hdrs[1] = NULL;
	c->status = 0;
	if (body != NULL)
		log_info("%s: %s %s", c->label, method, body);
	if ((out = provider_json_send(c->label, c->rec, c->ctx, method, url,
	    hdrs, NULL, body, &resp, why)) != OUT_CURRENT)
		goto out;
	c->status = resp.status;
	out = gn_reply(resp.status, resp.body, root, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT)
		out = fail(c, out, inner, why);
out:
	free(ez);
	free(eh);
	free(url);
	return out;
}

/* PUT the record set to hold c->value; OUT_UPDATED (the state id set) or
 * an error outcome with *why. */
static enum outcome
gn_put(struct gn *c, char **why)
{
	json_t		*root = NULL;
	char		*body, *old;
	enum outcome	 out;

	if ((body = gn_body(c->value, c->ttl)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	out = gn_call(c, "PUT", body, &root, why);
	json_decref(root);
	free(body);
	if (out != OUT_CURRENT) {
		/* A PUT is refused 404/403 for a domain not in LiveDNS. */
		if (c->status == 404) {
			c->ctx->hold = 1;
			old = *why;
			*why = xasprintf("%s (is the domain %s in this Gandi "
			    "account and on LiveDNS? set \"zone\" if it is "
			    "not the last two labels of the name)", old,
			    c->zone);
			free(old);
		}
		return out;
	}
	free(c->ctx->new_record_id);
	if ((c->ctx->new_record_id = strdup(c->sid)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	return OUT_UPDATED;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct gn	 c;
	json_t		*root = NULL;
	char		*value = NULL, *inner = NULL;
	long		 ttl = 0;
	size_t		 count = 0;
	enum outcome	 out;

	*why = NULL;
	if ((out = gn_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	if (c.legacy)
		log_warnx("%s: api_key (Gandi's API key) is deprecated and "
		    "may stop working: use token, a personal access token",
		    c.label);
	/* The state knows the record set and that it holds another
	 * address: one PUT. When it should hold addr already (forced,
	 * stale), look first. */
	if (ctx->record_id != NULL && strcmp(ctx->record_id, c.sid) == 0 &&
	    ctx->address != NULL && strcmp(ctx->address, addr->text) != 0) {
		out = gn_put(&c, why);
		goto out;
	}
	out = gn_call(&c, "GET", NULL, &root, why);
	if (out != OUT_CURRENT && c.status == 404) {
		/* No such record set (or no such domain: the PUT says). */
		free(*why);
		*why = NULL;
	} else if (out != OUT_CURRENT)
		goto out;
	else if (gn_parse_rrset(root, &value, &ttl, &count, &inner) == -1) {
		out = fail(&c, OUT_PROTOCOL, xasprintf("HTTP %ld: %s",
		    c.status, inner), why);
		free(inner);
		goto out;
	}
	if (count == 1 && provider_same_address(value, addr->text) &&
	    (rec->ttl <= 0 || rec->ttl == ttl)) {
		log_info("%s: already holds %s", c.label, addr->text);
		free(ctx->new_record_id);
		if ((ctx->new_record_id = strdup(c.sid)) == NULL)
			out = fail(&c, OUT_TEMPFAIL, NULL, why);
		else
			out = OUT_CURRENT;
		goto out;
	}
	if (count > 1)
		log_warnx("%s: %zu values in the record set; they are "
		    "replaced with one", c.label, count);
	out = gn_put(&c, why);
out:
	json_decref(root);
	free(value);
	cleanup(&c);
	return out;
}

/* NULL if rec names credentials, else why not (malloc'd). */
static char *
check(const struct record *rec)
{
	if (rec_str(rec, "token") != NULL || rec_str(rec, "api_key") != NULL)
		return NULL;
	return xasprintf("gandi needs \"token\" (a personal access token), "
	    "or the deprecated \"api_key\"");
}

const struct provider provider_gandi = {
	.name = "gandi",
	.keys = keys,
	.push = push,
	.check = check,
};
