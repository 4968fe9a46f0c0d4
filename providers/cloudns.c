/*
 * cloudns: ClouDNS DNS records through the ClouDNS HTTP API (JSON).
 * https://www.cloudns.net/wiki/article/42/ (API) and articles 57, 58, 60
 * (records.json, add-record.json, mod-record.json)
 *
 * Quirks handled:
 * - Authentication is a pair of parameters: auth-id (an API user),
 *   sub-auth-id (a sub-user by id) or sub-auth-user (a sub-user by name),
 *   and auth-password. They go in a POST form body, never in the URL.
 * - HTTP 200 even on error: {"status":"Failed","statusDescription":...};
 *   the description is quoted and mapped by its words (authentication
 *   or an IP not allowed -> 77, a domain/zone/record refused -> 78, too
 *   many requests -> 75, anything else -> 76).
 * - records.json answers an OBJECT keyed by record id, or an empty ARRAY
 *   when nothing matches; it filters by host= (relative, "" for the
 *   apex) and type=, which are checked again here.
 * - ttl is REQUIRED by add-record and mod-record (and only some values
 *   are accepted: 60, 300, 900, 1800, 3600, 21600, 43200, 86400 ...), so
 *   the record's current TTL, the configured one, or 3600 for a new
 *   record is always sent.
 * - The domain is the record's "zone", else the last two labels. The
 *   state keeps "<domain>/<record id>/<ttl>" so the next change is one
 *   mod-record call; a refused id is looked up again.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "cloudns.h"

#define CD_MSG_MAX	400
#define CD_WAIT		60	/* seconds, for a throttle without Retry-After */
#define CD_HINT_AUTH	"check auth_id (or sub_auth_id/sub_auth_user) and " \
	"auth_password: an API user from the control panel's API & Resellers " \
	"page, whose allowed IPs include this host"
#define CD_HINT_ZONE	"the zone is not in this ClouDNS account, or not " \
	"delegated to the sub-user; set \"zone\" if it has more labels"

static const struct provider_key keys[] = {
	{ "auth_id",		0 },
	{ "auth_password",	KEY_REQUIRED | KEY_SECRET },
	{ "endpoint",		0 },
	{ "sub_auth_id",	0 },
	{ "sub_auth_user",	0 },
	{ NULL,			0 }
};

/* One push in progress. */
struct cdp {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;
	const char		*data;
	const char		*idkey;		/* "auth-id", "sub-auth-id" ... */
	const char		*idval;
	const char		*pass;
	char			*base;		/* endpoint, no trailing '/' */
	char			*label;		/* "cloudns: name A" */
	char			*zone;
	char			*host;		/* relative, "" for the apex */
	long			 status;	/* of the last answer */
};

/* ---- pure parts --------------------------------------------------------- */

/* A form body; see cloudns.h. */
char *
cloudns_form(const char *const *kv)
{
	char	*out, *v, *next;

	if ((out = strdup("")) == NULL)
		return NULL;
	for (; kv[0] != NULL; kv += 2) {
		if ((v = http_pctenc(kv[1])) == NULL) {
			free(out);
			return NULL;
		}
		next = xasprintf("%s%s%s=%s", out, *out != '\0' ? "&" : "",
		    kv[0], v);
		explicit_bzero(v, strlen(v));
		free(v);
		explicit_bzero(out, strlen(out));
		free(out);
		if ((out = next) == NULL)
			return NULL;
	}
	return out;
}

/* 1 if hay contains needle, ignoring case, else 0. */
static int
has(const char *hay, const char *needle)
{
	size_t	 n = strlen(needle);

	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

/* Read a reply; see cloudns.h. */
enum outcome
cloudns_reply(long status, const char *body, json_t **rootp, char **why)
{
	json_t		*root = NULL;
	json_error_t	 jerr;
	const char	*st = NULL, *desc = NULL, *hint = NULL;
	char		 buf[CD_MSG_MAX] = "";
	enum outcome	 out;
	int		 ok2xx = status >= 200 && status < 300;

	*rootp = NULL;
	*why = NULL;
	if (body != NULL && body[0] != '\0')
		root = json_loads(body, 0, &jerr);
	else
		snprintf(jerr.text, sizeof(jerr.text), "empty reply");
	if (root != NULL && json_is_object(root))
		json_unpack(root, "{s?:s, s?:s}", "status", &st,
		    "statusDescription", &desc);
	if (ok2xx && root != NULL && (st == NULL ||
	    strcasecmp(st, "Failed") != 0)) {
		*rootp = root;
		return OUT_CURRENT;
	}
	if (ok2xx && root == NULL) {
		provider_append(buf, sizeof(buf), jerr.text);
		*why = xasprintf("HTTP %ld: not a ClouDNS reply: %s", status,
		    buf);
		return OUT_PROTOCOL;
	}
	if (ok2xx) {
		if (desc == NULL)
			desc = "";
		if (has(desc, "authenticat") || has(desc, "auth-id") ||
		    has(desc, "auth-password") || has(desc, "not allowed") ||
		    has(desc, "permission")) {
			out = OUT_AUTH;
			hint = CD_HINT_AUTH;
		} else if (has(desc, "too many") || has(desc, "limit") ||
		    has(desc, "try again"))
			out = OUT_TEMPFAIL;
		else if (has(desc, "domain") || has(desc, "zone")) {
			out = OUT_CONFIG;
			hint = CD_HINT_ZONE;
		} else if (has(desc, "record") || has(desc, "ttl") ||
		    has(desc, "host") || has(desc, "invalid"))
			out = OUT_CONFIG;
		else
			out = OUT_PROTOCOL;
		snprintf(buf, sizeof(buf), "Failed: ");
		provider_append(buf, sizeof(buf), *desc != '\0' ? desc :
		    "(no statusDescription)");
	} else {
		out = provider_status_outcome(status);
		snprintf(buf, sizeof(buf), "HTTP %ld", status);
		if (desc != NULL) {
			provider_append(buf, sizeof(buf), ": ");
			provider_append(buf, sizeof(buf), desc);
		}
		if (out == OUT_AUTH)
			hint = CD_HINT_AUTH;
	}
	json_decref(root);
	*why = hint != NULL ? xasprintf("%s (%s)", buf, hint) :
	    xasprintf("%s", buf);
	return out;
}

/* The text of a string or integer JSON value, malloc'd; NULL if neither. */
static char *
scalar(json_t *v)
{
	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_integer(v))
		return xasprintf("%lld", (long long)json_integer_value(v));
	return NULL;
}

/* Free what a cd_rec holds and zero it; NULL is a no-op. */
void
cd_rec_free(struct cd_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->value);
	memset(r, 0, sizeof(*r));
}

/* Find the records of host and type; see cloudns.h. */
int
cloudns_find(json_t *root, const char *host, const char *type,
    struct cd_rec *first, size_t *count, char **why)
{
	json_t		*r;
	const char	*k, *t, *h, *v;
	char		*ttl;

	memset(first, 0, sizeof(*first));
	*count = 0;
	*why = NULL;
	if (json_is_array(root) && json_array_size(root) == 0)
		return 0;		/* ClouDNS's "none" */
	if (!json_is_object(root)) {
		*why = xasprintf("records.json: neither an object of records "
		    "nor []");
		return -1;
	}
	json_object_foreach(root, k, r) {
		if (json_unpack(r, "{s:s, s:s, s:s}", "type", &t, "host", &h,
		    "record", &v) == -1) {
			*why = xasprintf("record %s lacks type, host or record",
			    k);
			goto bad;
		}
		if (strcmp(t, type) != 0 || strcasecmp(h, host) != 0)
			continue;
		if ((*count)++ > 0)
			continue;
		first->id = scalar(json_object_get(r, "id"));
		if (first->id == NULL || first->id[0] == '\0' ||
		    strspn(first->id, "0123456789") != strlen(first->id)) {
			*why = xasprintf("record %s has no numeric id", k);
			goto bad;
		}
		if ((first->value = strdup(v)) == NULL) {
			*why = xasprintf("out of memory");
			goto bad;
		}
		if ((ttl = scalar(json_object_get(r, "ttl"))) != NULL) {
			first->ttl = strtol(ttl, NULL, 10);
			free(ttl);
		}
	}
	return 0;
bad:
	cd_rec_free(first);
	*count = 0;
	return -1;
}

/* The id of an add-record reply; see cloudns.h. */
char *
cloudns_new_id(json_t *root)
{
	char	*id;

	id = scalar(json_object_get(json_object_get(root, "data"), "id"));
	if (id != NULL && (id[0] == '\0' ||
	    strspn(id, "0123456789") != strlen(id))) {
		free(id);
		id = NULL;
	}
	return id;
}

/* ---- talking to the API ------------------------------------------------- */

/* Set *why to inner (malloc'd, consumed; NULL: out of memory) prefixed
 * with the record; hold on what a person must fix; returns out. */
static enum outcome
fail(struct cdp *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label : "cloudns",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	if (out == OUT_TEMPFAIL && c->status != 0 && c->ctx->retry_after <= 0 &&
	    (c->status == 429 || c->status == 200))
		c->ctx->retry_after = CD_WAIT;
	if (out == OUT_CONFIG || out == OUT_AUTH)
		c->ctx->hold = 1;
	return out;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
cdp_init(struct cdp *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	static const char *const ids[][2] = {
		{ "auth_id", "auth-id" },
		{ "sub_auth_id", "sub-auth-id" },
		{ "sub_auth_user", "sub-auth-user" },
	};
	const char	*v;
	char		*inner = NULL;
	size_t		 i;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->data = addr->text;
	if ((c->label = xasprintf("cloudns: %s %s", rec->name,
	    c->type)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		if ((v = rec_str(rec, ids[i][0])) == NULL)
			continue;
		if (c->idkey != NULL)
			return fail(c, OUT_CONFIG, xasprintf("set one of "
			    "auth_id, sub_auth_id and sub_auth_user, not "
			    "several"), why);
		c->idkey = ids[i][1];
		c->idval = v;
	}
	if (c->idkey == NULL || *c->idval == '\0')
		return fail(c, OUT_CONFIG, xasprintf("needs auth_id (or "
		    "sub_auth_id or sub_auth_user)"), why);
	c->pass = rec_str(rec, "auth_password");
	if (c->pass == NULL || *c->pass == '\0')
		return fail(c, OUT_CONFIG, xasprintf("auth_password is "
		    "empty"), why);
	if ((c->base = provider_base_url(rec_str(rec, "endpoint"),
	    CLOUDNS_ENDPOINT, &inner)) == NULL)
		return fail(c, inner != NULL ? OUT_CONFIG : OUT_TEMPFAIL,
		    inner, why);
	if (provider_split_name(rec->name, rec->zone, &c->zone, &c->host,
	    &inner) == -1)
		return fail(c, OUT_CONFIG, inner, why);
	if (strcmp(c->host, "@") == 0)
		c->host[0] = '\0';
	return OUT_CURRENT;
}

/* Free what cdp_init() allocated. */
static void
cleanup(struct cdp *c)
{
	free(c->base);
	free(c->label);
	free(c->zone);
	free(c->host);
}

/*
 * POST the form of kv (after the credentials) to base/op. OUT_CURRENT
 * with *root (caller json_decref()s), else an error outcome with *why.
 */
static enum outcome
cdp_call(struct cdp *c, const char *op, const char *const *kv, json_t **root,
    char **why)
{
	static const char *const hdrs[] = {
		"Content-Type: application/x-www-form-urlencoded",
		"Accept: application/json",
		NULL
	};
	const char	*all[20];
	struct http_req	 req;
	struct http_resp resp;
	char		*url = NULL, *body = NULL, *inner = NULL;
	enum outcome	 out;
	size_t		 i = 0;

	*root = NULL;
	all[i++] = c->idkey;
	all[i++] = c->idval;
	all[i++] = "auth-password";
	all[i++] = c->pass;
	for (; kv[0] != NULL && i < 18; kv += 2) {
		all[i++] = kv[0];
		all[i++] = kv[1];
	}
	all[i] = NULL;
	if ((url = xasprintf("%s/%s", c->base, op)) == NULL ||
	    (body = cloudns_form(all)) == NULL) {
		free(url);
		return fail(c, OUT_TEMPFAIL, NULL, why);
	}
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.url = url;
	req.headers = hdrs;
	req.body = body;
	req.bodylen = strlen(body);
	req.insecure = rec_bool(c->rec, "insecure", 0);
	memset(&resp, 0, sizeof(resp));
	c->status = 0;
	out = provider_send(c->label, &req, &resp, c->ctx, why);
	explicit_bzero(body, strlen(body));
	free(body);
	free(url);
	if (out != OUT_CURRENT)
		return out;
	c->status = resp.status;
	out = cloudns_reply(resp.status, resp.body, root, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT)
		out = fail(c, out, xasprintf("%s: %s", op, inner), why);
	free(inner);
	return out;
}

/*
 * Add (id NULL) or modify the record id with ttl. OUT_UPDATED with
 * ctx->new_record_id set, or an error outcome with *why.
 */
static enum outcome
cdp_write(struct cdp *c, const char *id, long ttl, char **why)
{
	const char	*kv[13];
	json_t		*root = NULL;
	char		 ttlbuf[24];
	char		*nid = NULL;
	enum outcome	 out;
	int		 i = 0;

	snprintf(ttlbuf, sizeof(ttlbuf), "%ld", ttl);
	kv[i++] = "domain-name";
	kv[i++] = c->zone;
	if (id != NULL) {
		kv[i++] = "record-id";
		kv[i++] = id;
	} else {
		kv[i++] = "record-type";
		kv[i++] = c->type;
	}
	kv[i++] = "host";
	kv[i++] = c->host;
	kv[i++] = "record";
	kv[i++] = c->data;
	kv[i++] = "ttl";
	kv[i++] = ttlbuf;
	kv[i] = NULL;
	log_info("%s: %s %s in %s", c->label, id == NULL ? "adding" :
	    "modifying", c->data, c->zone);
	if ((out = cdp_call(c, id == NULL ? "add-record.json" :
	    "mod-record.json", kv, &root, why)) != OUT_CURRENT)
		return out;
	nid = id != NULL ? strdup(id) : cloudns_new_id(root);
	json_decref(root);
	if (nid == NULL)
		return fail(c, OUT_PROTOCOL, xasprintf("add-record.json: no "
		    "data.id in the reply"), why);
	free(c->ctx->new_record_id);
	c->ctx->new_record_id = xasprintf("%s/%s/%ld", c->zone, nid, ttl);
	free(nid);
	return c->ctx->new_record_id != NULL ? OUT_UPDATED :
	    fail(c, OUT_TEMPFAIL, NULL, why);
}

/*
 * The one-call update through "<domain>/<id>/<ttl>" from the state:
 * OUT_UPDATED or an error outcome with *why; or -1, nothing set, when the
 * id is not usable or ClouDNS refused it as a record/config error, and
 * the caller should look the record up.
 */
static int
update_known(struct cdp *c, char **why)
{
	const char	*sid = c->ctx->record_id, *s1, *s2;
	char		*id = NULL, *end;
	long		 ttl;
	enum outcome	 out;
	int		 ret = -1;

	if ((s1 = strchr(sid, '/')) == NULL || (s2 = strchr(s1 + 1, '/')) ==
	    NULL || (size_t)(s1 - sid) != strlen(c->zone) ||
	    strncasecmp(sid, c->zone, s1 - sid) != 0)
		return -1;
	ttl = strtol(s2 + 1, &end, 10);
	if (*end != '\0' || ttl <= 0 || s2 == s1 + 1 ||
	    (id = strndup(s1 + 1, s2 - s1 - 1)) == NULL ||
	    strspn(id, "0123456789") != strlen(id))
		goto out;
	if (c->rec->ttl > 0)
		ttl = c->rec->ttl;
	out = cdp_write(c, id, ttl, why);
	if (out == OUT_CONFIG) {
		/* A record deleted by hand is "Invalid record-id": look. */
		log_info("%s: ClouDNS refused record %s; looking it up",
		    c->label, id);
		free(*why);
		*why = NULL;
		c->ctx->hold = 0;
		goto out;
	}
	ret = out;
out:
	free(id);
	return ret;
}

/* Find the record by host and type and add it, modify it, or find it
 * current. The outcome, with *why on failure. */
static enum outcome
update_lookup(struct cdp *c, char **why)
{
	const char	*kv[] = { "domain-name", c->zone, "host", c->host,
	    "type", c->type, NULL };
	struct cd_rec	 have;
	struct addr	 x, y;
	json_t		*root = NULL;
	char		*inner = NULL;
	size_t		 count;
	long		 ttl;
	enum outcome	 out;
	int		 same;

	memset(&have, 0, sizeof(have));
	if ((out = cdp_call(c, "records.json", kv, &root, why)) !=
	    OUT_CURRENT)
		goto out;
	if (cloudns_find(root, c->host, c->type, &have, &count,
	    &inner) == -1) {
		out = fail(c, OUT_PROTOCOL, inner, why);
		goto out;
	}
	if (count == 0) {
		out = cdp_write(c, NULL, c->rec->ttl > 0 ? c->rec->ttl :
		    CLOUDNS_TTL, why);
		goto out;
	}
	if (count > 1)
		log_warnx("%s: %zu records of that name and type; updating "
		    "%s only", c->label, count, have.id);
	same = addr_parse(have.value, FAM_MAX, &x) == 0 &&
	    addr_parse(c->data, FAM_MAX, &y) == 0 ? addr_equal(&x, &y) :
	    strcmp(have.value, c->data) == 0;
	ttl = c->rec->ttl > 0 ? c->rec->ttl : have.ttl > 0 ? have.ttl :
	    CLOUDNS_TTL;
	if (same && (c->rec->ttl <= 0 || c->rec->ttl == have.ttl)) {
		log_info("%s: record %s already holds %s", c->label, have.id,
		    c->data);
		free(c->ctx->new_record_id);
		c->ctx->new_record_id = xasprintf("%s/%s/%ld", c->zone,
		    have.id, ttl);
		out = c->ctx->new_record_id != NULL ? OUT_CURRENT :
		    fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = cdp_write(c, have.id, ttl, why);
out:
	json_decref(root);
	cd_rec_free(&have);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct cdp	 c;
	enum outcome	 out;
	int		 r;

	*why = NULL;
	if ((out = cdp_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	/* A write through the stored id tells nothing when the record
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
	struct cdp	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (cdp_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_cloudns = {
	.name = "cloudns",
	.keys = keys,
	.push = push,
	.check = check,
};
