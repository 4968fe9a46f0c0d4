/*
 * godaddy: GoDaddy Domains API v1, DNS records of a domain.
 * https://developer.godaddy.com/doc/endpoint/domains
 * (access rules: https://developer.godaddy.com/getstarted)
 *
 * Quirks handled:
 * - Auth is "Authorization: sso-key KEY:SECRET". Production and OTE (the
 *   test environment, api.ote-godaddy.com) have separate keys: an OTE key
 *   on production answers 401 UNABLE_TO_AUTHENTICATE.
 * - Since spring 2024 the production Domains and DNS APIs answer 403
 *   ACCESS_DENIED "Authenticated user is not allowed access" to accounts
 *   with fewer than 10 domains and no Discount Domain Club plan, however
 *   good the key: the message says so, since retrying cannot help.
 * - Records have no ids: a record set is addressed by domain, type and
 *   name (relative, "@" for the apex, sent unencoded as other clients
 *   do), and PUT replaces every record of that type and name with the
 *   body [{"data","ttl"}]. The state keeps "<domain>/<name>", so a
 *   later change is one PUT without a GET.
 * - There is no cheap "which zone" call: the domain is the configured
 *   zone or the last two labels; a domain not in the account is 404.
 * - TTL: the configured one, else 600 (GoDaddy's minimum), on every PUT.
 * - 429 carries retryAfterSec in its body (and maybe Retry-After);
 *   without either we wait 60 seconds (the limit is 60 requests a minute
 *   per endpoint).
 * - Errors are {"code","message","fields":[{"code","message","path"}]}.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "godaddy.h"

#define GD_PRODUCTION	"https://api.godaddy.com"
#define GD_OTE		"https://api.ote-godaddy.com"
#define GD_TTL		600	/* the minimum; when none is configured */
#define GD_WAIT_429	60
#define GD_MSG_MAX	500
#define GD_HINT_401	"check key and secret: a Production API key from " \
	"https://developer.godaddy.com/keys (an OTE key works only with " \
	"endpoint \"ote\")"
#define GD_HINT_403	"GoDaddy has limited its production Domains and " \
	"DNS API, since 2024, to accounts with 10 or more domains or a " \
	"Discount Domain Club plan; else the key's account does not manage " \
	"this domain"
#define GD_HINT_404	"is the domain in this GoDaddy account? set " \
	"\"zone\" if it is not the last two labels of the name"

static const struct provider_key keys[] = {
	{ "endpoint",	0 },
	{ "key",	KEY_REQUIRED | KEY_SECRET },
	{ "secret",	KEY_REQUIRED | KEY_SECRET },
	{ NULL,		0 }
};

/* One push in progress. */
struct gd {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;
	const char		*data;
	char			*auth;		/* the Authorization header */
	char			*base;		/* endpoint, no trailing '/' */
	char			*label;		/* "godaddy: name A" */
	char			*zone;
	char			*host;		/* relative, "@" for the apex */
	char			*sid;		/* "<zone>/<host>" */
	long			 ttl;
	long			 status;
};

/* ---- pure parts --------------------------------------------------------- */

/* The base URL for ep; see godaddy.h. */
const char *
gd_endpoint(const char *ep)
{
	if (ep == NULL || strcasecmp(ep, "production") == 0)
		return GD_PRODUCTION;
	if (strcasecmp(ep, "ote") == 0)
		return GD_OTE;
	return ep;
}

/* Read a reply; see godaddy.h. */
enum outcome
gd_reply(long status, const char *body, json_t **rootp, long *retry,
    char **why)
{
	json_t		*root = NULL, *fields, *f, *jr;
	json_error_t	 jerr;
	const char	*code = NULL, *msg = NULL, *fc, *fm, *fp;
	const char	*hint = NULL;
	char		 buf[GD_MSG_MAX] = "";
	size_t		 i;
	int		 n = 0;

	*rootp = NULL;
	*why = NULL;
	if (body != NULL && body[0] != '\0')
		root = json_loads(body, JSON_DECODE_ANY, &jerr);
	if (status >= 200 && status < 300) {
		if (root == NULL && body != NULL && body[0] != '\0') {
			provider_append(buf, sizeof(buf), jerr.text);
			*why = xasprintf("HTTP %ld: not a GoDaddy API "
			    "reply: %s", status, buf);
			return OUT_PROTOCOL;
		}
		*rootp = root;
		return OUT_CURRENT;
	}
	snprintf(buf, sizeof(buf), "HTTP %ld", status);
	if (json_unpack(root, "{s:s, s?:s}", "code", &code, "message",
	    &msg) == 0) {
		provider_append(buf, sizeof(buf), ": ");
		provider_append(buf, sizeof(buf), code);
		if (msg != NULL) {
			provider_append(buf, sizeof(buf), ": ");
			provider_append(buf, sizeof(buf), msg);
		}
		fields = json_object_get(root, "fields");
		json_array_foreach(fields, i, f) {
			fc = fm = fp = NULL;
			json_unpack(f, "{s?:s, s?:s, s?:s}", "code", &fc,
			    "message", &fm, "path", &fp);
			provider_append(buf, sizeof(buf), n++ == 0 ? " [" : "; ");
			if (fp != NULL) {
				provider_append(buf, sizeof(buf), fp);
				provider_append(buf, sizeof(buf), ": ");
			}
			provider_append(buf, sizeof(buf), fm != NULL ? fm :
			    fc != NULL ? fc : "?");
		}
		if (n > 0)
			provider_append(buf, sizeof(buf), "]");
		jr = json_object_get(root, "retryAfterSec");
		if (status == 429 && json_is_integer(jr) &&
		    json_integer_value(jr) > 0)
			*retry = (long)json_integer_value(jr);
	} else
		provider_append(buf, sizeof(buf), " (no GoDaddy error in the reply)");
	json_decref(root);
	if (status == 401)
		hint = GD_HINT_401;
	else if (status == 403)
		hint = GD_HINT_403;
	else if (status == 404)
		hint = GD_HINT_404;
	*why = hint != NULL ? xasprintf("%s (%s)", buf, hint) :
	    xasprintf("%s", buf);
	return provider_status_outcome(status);
}

/* Parse a record list; see godaddy.h. */
int
gd_parse_records(json_t *root, char **data, long *ttl, size_t *count,
    char **why)
{
	json_t		*r;
	const char	*d;
	json_int_t	 t;
	size_t		 i;

	*data = NULL;
	*ttl = 0;
	*count = 0;
	*why = NULL;
	if (!json_is_array(root)) {
		*why = xasprintf("the record list is not a JSON array");
		return -1;
	}
	json_array_foreach(root, i, r) {
		t = 0;
		if (json_unpack(r, "{s:s, s?:I}", "data", &d, "ttl", &t) ==
		    -1) {
			*why = xasprintf("record %zu has no data", i);
			free(*data);
			*data = NULL;
			*count = 0;
			return -1;
		}
		if ((*count)++ > 0)
			continue;
		if ((*data = strdup(d)) == NULL) {
			*why = xasprintf("out of memory");
			*count = 0;
			return -1;
		}
		*ttl = (long)t;
	}
	return 0;
}

/* The PUT body; see godaddy.h. */
char *
gd_body(const char *data, long ttl)
{
	json_t	*o;
	char	*s;

	if ((o = json_pack("[{s:s, s:I}]", "data", data, "ttl",
	    (json_int_t)ttl)) == NULL)
		return NULL;
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

/* ---- talking to the API ------------------------------------------------- */

/* Set *why to inner (malloc'd, consumed; NULL: out of memory) prefixed
 * with the record, and default the wait after a bare 429; returns out. */
static enum outcome
fail(struct gd *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label : "godaddy",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	if (c->status == 429 && c->ctx->retry_after <= 0)
		c->ctx->retry_after = GD_WAIT_429;
	return out;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
gd_init(struct gd *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*ep, *key, *secret;
	char		*inner = NULL;
	size_t		 n;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->data = addr->text;
	c->ttl = rec->ttl > 0 ? rec->ttl : GD_TTL;
	if ((c->label = xasprintf("godaddy: %s %s", rec->name, c->type)) ==
	    NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	key = rec_str(rec, "key");
	secret = rec_str(rec, "secret");
	if (key == NULL || secret == NULL || *key == '\0' || *secret == '\0' ||
	    provider_has_ctl(key) || provider_has_ctl(secret) ||
	    strchr(key, ':') != NULL)
		return fail(c, OUT_CONFIG, xasprintf("key and secret must be "
		    "set, without control characters (and key without ':')"),
		    why);
	if ((c->auth = xasprintf("Authorization: sso-key %s:%s", key,
	    secret)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	ep = gd_endpoint(rec_str(rec, "endpoint"));
	if ((strncasecmp(ep, "https://", 8) != 0 &&
	    strncasecmp(ep, "http://", 7) != 0) || provider_has_ctl(ep) ||
	    strpbrk(ep, "?#") != NULL)
		return fail(c, OUT_CONFIG, xasprintf("endpoint \"%s\" is not "
		    "\"production\", \"ote\" or an http(s) URL", ep), why);
	if ((c->base = strdup(ep)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	n = strlen(c->base);
	while (n > 0 && c->base[n - 1] == '/')
		c->base[--n] = '\0';
	if (provider_split_name(rec->name, rec->zone, &c->zone, &c->host,
	    &inner) == -1)
		return fail(c, OUT_CONFIG, inner, why);
	if ((c->sid = xasprintf("%s/%s", c->zone, c->host)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	return OUT_CURRENT;
}

/* Free what gd_init() allocated. */
static void
cleanup(struct gd *c)
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
 * with *why.
 */
static enum outcome
gd_call(struct gd *c, const char *method, const char *body, json_t **root,
    char **why)
{
	struct http_resp resp;
	const char	*hdrs[2];
	char		*ez = NULL, *eh = NULL, *url = NULL, *inner = NULL;
	long		 retry = 0;
	enum outcome	 out;

	*root = NULL;
	if ((ez = http_pctenc(c->zone)) == NULL ||
	    (eh = strcmp(c->host, "@") == 0 ? strdup("@") :
	    http_pctenc(c->host)) == NULL ||
	    (url = xasprintf("%s/v1/domains/%s/records/%s/%s", c->base, ez,
	    c->type, eh)) == NULL) {
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
	out = gd_reply(resp.status, resp.body, root, &retry, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT) {
		if (retry > c->ctx->retry_after)
			c->ctx->retry_after = retry;
		if (c->status == 404)
			c->ctx->hold = 1;
		out = fail(c, out, inner, why);
	}
out:
	free(ez);
	free(eh);
	free(url);
	return out;
}

/* PUT the record set to hold c->data; OUT_UPDATED (the state id set) or
 * an error outcome with *why. */
static enum outcome
gd_put(struct gd *c, char **why)
{
	json_t		*root = NULL;
	char		*body;
	enum outcome	 out;

	if ((body = gd_body(c->data, c->ttl)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	out = gd_call(c, "PUT", body, &root, why);
	json_decref(root);
	free(body);
	if (out != OUT_CURRENT)
		return out;
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
	struct gd	 c;
	json_t		*root = NULL;
	char		*data = NULL, *inner = NULL;
	long		 ttl;
	size_t		 count;
	enum outcome	 out;

	*why = NULL;
	if ((out = gd_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	/* The state knows the record set and that it holds another
	 * address: one PUT. When it should hold addr already (forced,
	 * stale), look first. */
	if (ctx->record_id != NULL && strcmp(ctx->record_id, c.sid) == 0 &&
	    ctx->address != NULL && strcmp(ctx->address, addr->text) != 0) {
		out = gd_put(&c, why);
		goto out;
	}
	if ((out = gd_call(&c, "GET", NULL, &root, why)) != OUT_CURRENT)
		goto out;
	if (gd_parse_records(root, &data, &ttl, &count, &inner) == -1) {
		out = fail(&c, OUT_PROTOCOL, xasprintf("HTTP %ld: %s",
		    c.status, inner), why);
		free(inner);
		goto out;
	}
	if (count == 1 && provider_same_address(data, addr->text) &&
	    (rec->ttl <= 0 || rec->ttl == ttl)) {
		log_info("%s: already holds %s", c.label, addr->text);
		free(ctx->new_record_id);
		if ((ctx->new_record_id = strdup(c.sid)) == NULL)
			out = fail(&c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if (count > 1)
		log_warnx("%s: %zu records of that name and type; GoDaddy "
		    "replaces them all with one", c.label, count);
	out = gd_put(&c, why);
out:
	json_decref(root);
	free(data);
	cleanup(&c);
	return out;
}

/* NULL if rec can be pushed as configured, else why not (malloc'd). */
static char *
check(const struct record *rec)
{
	struct gd	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (gd_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_godaddy = {
	.name = "godaddy",
	.keys = keys,
	.push = push,
	.check = check,
};
