/*
 * porkbun: Porkbun API v3, DNS records.
 * https://porkbun.com/api/json/v3/documentation
 *
 * Quirks handled:
 * - Every call is a POST whose JSON body carries the key pair (apikey,
 *   secretapikey): the secrets are in the body, not a header, so verbose
 *   dumps rely on log_secret() redaction.
 * - Replies are {"status":"SUCCESS"|"ERROR","message":...}; errors come
 *   as HTTP 400: "Invalid API key. (002)" for a wrong pair, "Domain is
 *   not opted in to API access." when the domain's API ACCESS switch is
 *   off (per domain, off by default: the message says where to turn it
 *   on), "Invalid domain." for a domain not in the account.
 * - The API moved to api.porkbun.com in 2024; the old porkbun.com host
 *   answers an HTML 403, which is reported as not being the API.
 * - The domain is the configured zone or the last two labels; names are
 *   relative ("" for the apex) when written, fully qualified when read.
 * - retrieveByNameType lists the name's records; a missing one is
 *   created (dns/create answers its id), a different one is edited by id
 *   (dns/edit/{domain}/{id}), so duplicates are left alone. The state
 *   keeps "<domain>/<id>" so a later change is one edit; an edit the API
 *   refuses (the record deleted by hand) falls back to the lookup.
 * - ids and ttls come back as strings; every write sets ttl to the
 *   configured one or 600 (Porkbun's minimum and default; a smaller
 *   configured ttl is raised to it, so it is not rewritten every run).
 * - No rate limit is documented: 429 and 5xx are temporary, Retry-After
 *   is honoured, else we wait 60 seconds after a 429 or 503.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "porkbun.h"

#define PB_ENDPOINT	"https://api.porkbun.com/api/json/v3"
#define PB_TTL		600
#define PB_WAIT		60	/* after 429/503 without Retry-After */
#define PB_MSG_MAX	400
#define PB_HINT_KEY	"check api_key and secret_api_key: a key pair " \
	"from https://porkbun.com/account/api"
#define PB_HINT_OPTIN	"turn on API ACCESS for this domain in Porkbun's " \
	"Domain Management page: it is off for every domain by default"
#define PB_HINT_DOMAIN	"is the domain in this Porkbun account? set " \
	"\"zone\" if it is not the last two labels of the name"

static const struct provider_key keys[] = {
	{ "api_key",		KEY_REQUIRED | KEY_SECRET },
	{ "endpoint",		0 },
	{ "secret_api_key",	KEY_REQUIRED | KEY_SECRET },
	{ NULL,			0 }
};

/* One push in progress. */
struct pb {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;
	const char		*content;
	const char		*key;
	const char		*secret;
	char			*base;		/* endpoint, no trailing '/' */
	char			*label;		/* "porkbun: name A" */
	char			*zone;
	char			*sub;		/* relative, "" for the apex */
	long			 ttl;
	long			 status;
};

/* ---- pure parts --------------------------------------------------------- */

/* 1 if s contains needle, ignoring ASCII case; else 0. */
static int
contains(const char *s, const char *needle)
{
	size_t	 n = strlen(needle);

	for (; *s != '\0'; s++)
		if (strncasecmp(s, needle, n) == 0)
			return 1;
	return 0;
}

/* The body of a call; see porkbun.h. */
char *
pb_body(const char *apikey, const char *secret, const char *sub,
    const char *type, const char *content, long ttl)
{
	json_t	*o;
	char	*s, *t = NULL;

	o = json_pack("{s:s, s:s}", "secretapikey", secret, "apikey", apikey);
	if (o != NULL && type != NULL) {
		if ((t = xasprintf("%ld", ttl)) == NULL ||
		    json_object_set_new(o, "name", json_string(sub)) == -1 ||
		    json_object_set_new(o, "type", json_string(type)) == -1 ||
		    json_object_set_new(o, "content",
		    json_string(content)) == -1 ||
		    json_object_set_new(o, "ttl", json_string(t)) == -1) {
			json_decref(o);
			o = NULL;
		}
	}
	free(t);
	if (o == NULL)
		return NULL;
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

/* Read a reply; see porkbun.h. */
enum outcome
pb_reply(long status, const char *body, json_t **rootp, int *hold,
    char **why)
{
	json_t		*root = NULL;
	json_error_t	 jerr;
	const char	*st = NULL, *msg = NULL, *hint = NULL;
	char		 buf[PB_MSG_MAX] = "";
	enum outcome	 out;

	*rootp = NULL;
	*hold = 0;
	*why = NULL;
	if (body != NULL && body[0] != '\0')
		root = json_loads(body, 0, &jerr);
	else
		snprintf(jerr.text, sizeof(jerr.text), "empty reply");
	if (root != NULL && json_unpack(root, "{s:s, s?:s}", "status", &st,
	    "message", &msg) == -1)
		snprintf(jerr.text, sizeof(jerr.text), "no \"status\"");
	if (st == NULL) {
		json_decref(root);
		provider_append(buf, sizeof(buf), jerr.text);
		if (status == 200) {
			*why = xasprintf("HTTP 200: not a Porkbun API reply: "
			    "%s", buf);
			return OUT_PROTOCOL;
		}
		out = provider_status_outcome(status);
		*why = xasprintf("HTTP %ld (not a Porkbun API reply%s)",
		    status, status == 403 ? ": is endpoint the "
		    "api.porkbun.com host?" : "");
		return out;
	}
	if (status == 200 && strcmp(st, "SUCCESS") == 0) {
		*rootp = root;
		return OUT_CURRENT;
	}
	snprintf(buf, sizeof(buf), "HTTP %ld: ", status);
	provider_append(buf, sizeof(buf), msg != NULL ? msg : st);
	if (msg == NULL)
		msg = "";
	if (contains(msg, "opted in to API access")) {
		out = OUT_AUTH;
		*hold = 1;
		hint = PB_HINT_OPTIN;
	} else if (contains(msg, "API key") || status == 401 ||
	    status == 403) {
		out = OUT_AUTH;
		hint = PB_HINT_KEY;
	} else if (contains(msg, "Invalid domain")) {
		out = OUT_CONFIG;
		*hold = 1;
		hint = PB_HINT_DOMAIN;
	} else if (status == 429 || status >= 500 ||
	    contains(msg, "rate limit")) {
		out = OUT_TEMPFAIL;
	} else if (status == 200)
		out = OUT_PROTOCOL;	/* SUCCESS is documented with 200 */
	else
		out = provider_status_outcome(status);
	json_decref(root);
	*why = hint != NULL ? xasprintf("%s (%s)", buf, hint) :
	    xasprintf("%s", buf);
	return out;
}

/* The text of a string or integer JSON value, malloc'd; NULL if neither
 * or not decimal digits. */
static char *
decimal(json_t *v)
{
	char	*s = NULL;

	if (json_is_string(v))
		s = strdup(json_string_value(v));
	else if (json_is_integer(v))
		s = xasprintf("%lld", (long long)json_integer_value(v));
	if (s != NULL && (s[0] == '\0' || strlen(s) > 18 ||
	    strspn(s, "0123456789") != strlen(s))) {
		free(s);
		s = NULL;
	}
	return s;
}

/* Free what a pb_rec holds and zero it; NULL is a no-op. */
void
pb_rec_free(struct pb_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->content);
	memset(r, 0, sizeof(*r));
}

/* Parse a record list; see porkbun.h. */
int
pb_parse_records(json_t *root, const char *fqdn, const char *type,
    struct pb_rec *first, size_t *count, char **why)
{
	json_t		*list, *r;
	const char	*n, *t, *c;
	char		*ttl;
	size_t		 i;

	memset(first, 0, sizeof(*first));
	*count = 0;
	*why = NULL;
	list = json_object_get(root, "records");
	if (!json_is_array(list)) {
		*why = xasprintf("no \"records\" array in the reply");
		return -1;
	}
	json_array_foreach(list, i, r) {
		if (json_unpack(r, "{s:s, s:s, s:s}", "name", &n, "type", &t,
		    "content", &c) == -1) {
			*why = xasprintf("record %zu lacks name, type or "
			    "content", i);
			goto bad;
		}
		if (strcasecmp(t, type) != 0 || strcasecmp(n, fqdn) != 0)
			continue;
		if ((*count)++ > 0)
			continue;
		if ((first->id = decimal(json_object_get(r, "id"))) == NULL) {
			*why = xasprintf("record %zu has no numeric id", i);
			goto bad;
		}
		if ((first->content = strdup(c)) == NULL) {
			*why = xasprintf("out of memory");
			goto bad;
		}
		if ((ttl = decimal(json_object_get(r, "ttl"))) != NULL)
			first->ttl = strtol(ttl, NULL, 10);
		free(ttl);
	}
	return 0;
bad:
	pb_rec_free(first);
	*count = 0;
	return -1;
}

/* The id of a create reply; see porkbun.h. */
char *
pb_parse_id(json_t *root)
{
	return decimal(json_object_get(root, "id"));
}

/* ---- talking to the API ------------------------------------------------- */

/* Set *why to inner (malloc'd, consumed; NULL: out of memory) prefixed
 * with the record, and default the wait after 429/503; returns out. */
static enum outcome
fail(struct pb *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label : "porkbun",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	if ((c->status == 429 || c->status == 503) &&
	    c->ctx->retry_after <= 0)
		c->ctx->retry_after = PB_WAIT;
	return out;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
pb_init(struct pb *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	char		*inner = NULL, *rr = NULL;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->content = addr->text;
	c->ttl = rec->ttl > PB_TTL ? rec->ttl : PB_TTL;
	if ((c->label = xasprintf("porkbun: %s %s", rec->name, c->type)) ==
	    NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	c->key = rec_str(rec, "api_key");
	c->secret = rec_str(rec, "secret_api_key");
	if (c->key == NULL || c->secret == NULL || *c->key == '\0' ||
	    *c->secret == '\0')
		return fail(c, OUT_CONFIG, xasprintf("api_key and "
		    "secret_api_key must be set"), why);
	if ((c->base = provider_base_url(rec_str(rec, "endpoint"),
	    PB_ENDPOINT, &inner)) == NULL)
		return fail(c, inner != NULL ? OUT_CONFIG : OUT_TEMPFAIL,
		    inner, why);
	if (provider_split_name(rec->name, rec->zone, &c->zone, &rr,
	    &inner) == -1)
		return fail(c, OUT_CONFIG, inner, why);
	c->sub = strcmp(rr, "@") == 0 ? strdup("") : strdup(rr);
	free(rr);
	if (c->sub == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	return OUT_CURRENT;
}

/* Free what pb_init() allocated. */
static void
cleanup(struct pb *c)
{
	free(c->base);
	free(c->label);
	free(c->zone);
	free(c->sub);
}

/*
 * POST to base/path with the key pair and, when type is set, the record
 * fields. OUT_CURRENT with *root (caller json_decref()s); else an error
 * outcome with *why (and ctx->hold as the reply says).
 */
static enum outcome
pb_call(struct pb *c, const char *path, int fields, json_t **root,
    char **why)
{
	struct http_req	 req;
	struct http_resp resp;
	const char	*hdrs[3];
	char		*url = NULL, *body = NULL, *inner = NULL;
	int		 hold = 0;
	enum outcome	 out;

	*root = NULL;
	if ((url = xasprintf("%s/%s", c->base, path)) == NULL ||
	    (body = pb_body(c->key, c->secret, c->sub, fields ? c->type :
	    NULL, c->content, c->ttl)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	hdrs[0] = "Content-Type: application/json";
	hdrs[1] = "Accept: application/json";
	hdrs[2] = NULL;
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.url = url;
	req.headers = hdrs;
	req.body = body;
	req.bodylen = strlen(body);
	req.insecure = rec_bool(c->rec, "insecure", 0);
	memset(&resp, 0, sizeof(resp));
	c->status = 0;
	log_info("%s: %s", c->label, path);
	if ((out = provider_send(c->label, &req, &resp, c->ctx, why)) !=
	    OUT_CURRENT)
		goto out;
	c->status = resp.status;
	out = pb_reply(resp.status, resp.body, root, &hold, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT) {
		c->ctx->hold = hold;
		out = fail(c, out, xasprintf("%s: %s", path, inner), why);
		free(inner);
	}
out:
	if (body != NULL)
		explicit_bzero(body, strlen(body));
	free(body);
	free(url);
	return out;
}

/* The API path for op on the zone (and rest), pct-encoded; malloc'd. */
static char *
pb_path(struct pb *c, const char *op, const char *rest)
{
	char	*ez, *p;

	if ((ez = http_pctenc(c->zone)) == NULL)
		return NULL;
	p = xasprintf("dns/%s/%s%s%s", op, ez, rest != NULL ? "/" : "",
	    rest != NULL ? rest : "");
	free(ez);
	return p;
}

/* Edit the record id; OUT_UPDATED with the state id set, or an error
 * outcome with *why. */
static enum outcome
pb_edit(struct pb *c, const char *id, char **why)
{
	json_t		*root = NULL;
	char		*path;
	enum outcome	 out;

	if ((path = pb_path(c, "edit", id)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	out = pb_call(c, path, 1, &root, why);
	json_decref(root);
	free(path);
	if (out != OUT_CURRENT)
		return out;
	free(c->ctx->new_record_id);
	if ((c->ctx->new_record_id = xasprintf("%s/%s", c->zone, id)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	return OUT_UPDATED;
}

/*
 * The one-call edit through the id the state remembers: OUT_UPDATED or
 * an error outcome with *why; or -1, nothing set, when there is no usable
 * id for this zone or the API refused the edit as such (the record may be
 * gone) and the caller should look it up.
 */
static int
update_known(struct pb *c, char **why)
{
	const char	*sid = c->ctx->record_id, *slash;
	size_t		 zl = strlen(c->zone);
	enum outcome	 out;

	if ((slash = strrchr(sid, '/')) == NULL || (size_t)(slash - sid) !=
	    zl || strncasecmp(sid, c->zone, zl) != 0 || slash[1] == '\0' ||
	    strspn(slash + 1, "0123456789") != strlen(slash + 1))
		return -1;
	out = pb_edit(c, slash + 1, why);
	if (out == OUT_CONFIG && !c->ctx->hold) {
		log_info("%s: edit of record %s refused (%s); looking it up",
		    c->label, slash + 1, *why);
		free(*why);
		*why = NULL;
		return -1;
	}
	return out;
}

/* Look the record up and create, edit, or find it current. */
static enum outcome
update_lookup(struct pb *c, char **why)
{
	struct pb_rec	 have;
	json_t		*root = NULL;
	char		*path = NULL, *rest = NULL, *es = NULL, *inner = NULL;
	char		*id = NULL;
	size_t		 count = 0;
	enum outcome	 out;

	memset(&have, 0, sizeof(have));
	if (c->sub[0] != '\0' && (es = http_pctenc(c->sub)) == NULL)
		goto oom;
	if ((rest = es != NULL ? xasprintf("%s/%s", c->type, es) :
	    strdup(c->type)) == NULL ||
	    (path = pb_path(c, "retrieveByNameType", rest)) == NULL)
		goto oom;
	if ((out = pb_call(c, path, 0, &root, why)) != OUT_CURRENT)
		goto out;
	if (pb_parse_records(root, c->rec->name, c->type, &have, &count,
	    &inner) == -1) {
		out = fail(c, OUT_PROTOCOL, xasprintf("%s: %s", path, inner),
		    why);
		free(inner);
		goto out;
	}
	json_decref(root);
	root = NULL;
	if (count > 1)
		log_warnx("%s: %zu records of that name and type; updating "
		    "%s only", c->label, count, have.id);
	if (count > 0 && provider_same_address(have.content, c->content) &&
	    (c->rec->ttl <= 0 || c->ttl == have.ttl)) {
		log_info("%s: record %s already holds %s", c->label, have.id,
		    c->content);
		free(c->ctx->new_record_id);
		if ((c->ctx->new_record_id = xasprintf("%s/%s", c->zone,
		    have.id)) == NULL)
			goto oom;
		out = OUT_CURRENT;
		goto out;
	}
	if (count > 0) {
		out = pb_edit(c, have.id, why);
		goto out;
	}
	free(path);
	if ((path = pb_path(c, "create", NULL)) == NULL)
		goto oom;
	if ((out = pb_call(c, path, 1, &root, why)) != OUT_CURRENT)
		goto out;
	if ((id = pb_parse_id(root)) == NULL) {
		out = fail(c, OUT_PROTOCOL, xasprintf("%s: no record id in "
		    "the reply", path), why);
		goto out;
	}
	free(c->ctx->new_record_id);
	if ((c->ctx->new_record_id = xasprintf("%s/%s", c->zone, id)) == NULL)
		goto oom;
	out = OUT_UPDATED;
	goto out;
oom:
	out = fail(c, OUT_TEMPFAIL, NULL, why);
out:
	json_decref(root);
	pb_rec_free(&have);
	free(path);
	free(rest);
	free(es);
	free(id);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct pb	 c;
	enum outcome	 out;
	int		 r;

	*why = NULL;
	if ((out = pb_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	/* An edit through the stored id tells us nothing when the record
	 * should hold addr already (forced, stale): look and compare. */
	if (ctx->record_id != NULL && (ctx->address == NULL ||
	    strcmp(ctx->address, addr->text) != 0) &&
	    (r = update_known(&c, why)) != -1) {
		out = (enum outcome)r;
		goto out;
	}
	out = update_lookup(&c, why);
out:
	cleanup(&c);
	return out;
}

/* NULL if rec can be pushed as configured, else why not (malloc'd). */
static char *
check(const struct record *rec)
{
	struct pb	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (pb_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_porkbun = {
	.name = "porkbun",
	.keys = keys,
	.push = push,
	.check = check,
};
