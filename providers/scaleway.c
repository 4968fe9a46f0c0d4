/*
 * scaleway: Scaleway Domains and DNS, API v2beta1.
 * https://www.scaleway.com/en/developers/api/domains-and-dns/
 *
 * Quirks handled:
 * - Auth is "X-Auth-Token: <secret key>" of an IAM API key.
 * - A DNS zone is a domain or a sub-zone of one ("subdomain" and
 *   "domain"); it is the "zone" key, else the longest suffix of the name
 *   (two labels or more) that GET /dns-zones?dns_zone= lists as itself.
 *   Answers are cached for the run.
 * - Records are changed only by PATCH .../records with a list of
 *   changes: "add" to create, "set" with the record's id to replace it.
 *   "disallow_new_zone_creation" is always true: by default Scaleway
 *   would create a missing zone.
 * - Record names are relative, "" for the apex (not "@"). The list's
 *   name= and type= filters are checked again here.
 * - "set" replaces the whole record, TTL included: the TTL in use is kept
 *   (from the list, or the state) unless "ttl" is configured; new records
 *   get 3600 (the console's default).
 * - Errors are {"type","message",...}: denied_authentication (401),
 *   permissions_denied (403, with the missing resource/action), not_found
 *   (404), invalid_arguments (400), too_many_requests (429, Retry-After
 *   honoured, else 60 s).
 * - The state keeps "<zone>/<record id>/<ttl>", so a later change is one
 *   PATCH; a record deleted meanwhile (404) is looked up again.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "scaleway.h"

#define SCW_ENDPOINT	"https://api.scaleway.com"
#define SCW_PREFIX	"/domain/v2beta1"
#define SCW_TTL		3600
#define SCW_WAIT_429	60
#define SCW_MSG_MAX	400
#define SCW_HINT_401	"check secret_key: the secret key of a Scaleway " \
	"API key (console, IAM, API keys)"
#define SCW_HINT_403	"the API key's IAM policy needs the " \
	"DomainsDNSFullAccess permission set on the zone's project"

static const struct provider_key keys[] = {
	{ "endpoint",	0 },
	{ "secret_key",	KEY_REQUIRED | KEY_SECRET },
	{ NULL,		0 }
};

/* One push in progress. */
struct scwp {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;
	const char		*data;
	char			*auth;		/* the X-Auth-Token header */
	char			*base;		/* endpoint + prefix */
	char			*label;		/* "scaleway: name A" */
	long			 status;	/* of the last answer, or 0 */
};

/* ---- pure parts --------------------------------------------------------- */

/* Read a reply; see scaleway.h. */
enum outcome
scw_reply(long status, const char *body, json_t **rootp, char **why)
{
	json_t		*root = NULL, *d, *e;
	json_error_t	 jerr;
	const char	*type = NULL, *msg = NULL, *hint = NULL, *res, *act;
	char		 buf[SCW_MSG_MAX] = "";
	size_t		 i;
	enum outcome	 out;

	*rootp = NULL;
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
	if (status >= 200 && status < 300) {
		if (root != NULL) {
			*rootp = root;
			return OUT_CURRENT;
		}
		provider_append(buf, sizeof(buf), jerr.text);
		*why = xasprintf("HTTP %ld: not a Scaleway API reply: %s",
		    status, buf);
		return OUT_PROTOCOL;
	}
	out = provider_status_outcome(status);
	if (root != NULL)
		json_unpack(root, "{s?:s, s?:s}", "type", &type, "message",
		    &msg);
	snprintf(buf, sizeof(buf), "HTTP %ld", status);
	if (type != NULL || msg != NULL) {
		provider_append(buf, sizeof(buf), ": ");
		if (type != NULL)
			provider_append(buf, sizeof(buf), type);
		if (type != NULL && msg != NULL)
			provider_append(buf, sizeof(buf), ": ");
		if (msg != NULL)
			provider_append(buf, sizeof(buf), msg);
	} else
		provider_append(buf, sizeof(buf), " (no Scaleway error in the "
		    "reply)");
	/* permissions_denied says which resource and action. */
	d = json_object_get(root, "details");
	json_array_foreach(d, i, e) {
		if (json_unpack(e, "{s:s, s:s}", "resource", &res, "action",
		    &act) == -1)
			continue;
		provider_append(buf, sizeof(buf), i == 0 ? " [" : ", ");
		provider_append(buf, sizeof(buf), res);
		provider_append(buf, sizeof(buf), ":");
		provider_append(buf, sizeof(buf), act);
		if (i + 1 == json_array_size(d))
			provider_append(buf, sizeof(buf), "]");
	}
	if (status == 401)
		hint = SCW_HINT_401;
	else if (status == 403 && type != NULL &&
	    strcmp(type, "permissions_denied") == 0)
		hint = SCW_HINT_403;
	else if (status == 403 && type != NULL &&
	    strcmp(type, "quotas_exceeded") == 0)
		out = OUT_CONFIG;
	else if (status == 403)
		hint = SCW_HINT_403;
	json_decref(root);
	*why = hint != NULL ? xasprintf("%s (%s)", buf, hint) :
	    xasprintf("%s", buf);
	return out;
}

/* Whether the zone list holds zone; see scaleway.h. */
int
scw_has_zone(json_t *root, const char *zone)
{
	json_t		*list, *z;
	const char	*dom, *sub;
	size_t		 i, sl, zl = strlen(zone);

	list = json_object_get(root, "dns_zones");
	if (!json_is_array(list))
		return -1;
	json_array_foreach(list, i, z) {
		if (json_unpack(z, "{s:s, s:s}", "domain", &dom, "subdomain",
		    &sub) == -1)
			return -1;
		sl = strlen(sub);
		if (sl == 0 && strcasecmp(dom, zone) == 0)
			return 1;
		if (sl > 0 && sl < zl && strncasecmp(zone, sub, sl) == 0 &&
		    zone[sl] == '.' && strcasecmp(zone + sl + 1, dom) == 0)
			return 1;
	}
	return 0;
}

/* Free what a scw_rec holds and zero it; NULL is a no-op. */
void
scw_rec_free(struct scw_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->data);
	memset(r, 0, sizeof(*r));
}

/* Find rel and type; see scaleway.h. */
int
scw_find(json_t *root, const char *rel, const char *type,
    struct scw_rec *first, size_t *count, char **why)
{
	json_t		*list, *r, *jt;
	const char	*n, *t, *d, *id;
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
		    "data", &d) == -1) {
			*why = xasprintf("record %zu lacks name, type or data",
			    i);
			goto bad;
		}
		if (strcmp(t, type) != 0 || strcasecmp(n, rel) != 0)
			continue;
		if ((*count)++ > 0)
			continue;
		if (json_unpack(r, "{s:s}", "id", &id) == -1 ||
		    id[0] == '\0' || strpbrk(id, "/?#% ") != NULL ||
		    provider_has_ctl(id)) {
			*why = xasprintf("record %zu has no usable id", i);
			goto bad;
		}
		if ((first->id = strdup(id)) == NULL ||
		    (first->data = strdup(d)) == NULL) {
			*why = xasprintf("out of memory");
			goto bad;
		}
		jt = json_object_get(r, "ttl");
		if (json_is_integer(jt))
			first->ttl = (long)json_integer_value(jt);
	}
	return 0;
bad:
	scw_rec_free(first);
	*count = 0;
	return -1;
}

/* The PATCH body; see scaleway.h. */
char *
scw_body(const char *id, const char *rel, const char *type,
    const char *data, long ttl)
{
	json_t	*rec, *change, *o;
	char	*s;

	rec = json_pack("{s:s, s:s, s:s, s:I, s:i}", "name", rel, "type", type,
	    "data", data, "ttl", (json_int_t)ttl, "priority", 0);
	if (rec == NULL)
		return NULL;
	if (id != NULL)
		change = json_pack("{s:{s:s, s:[o]}}", "set", "id", id,
		    "records", rec);
	else
		change = json_pack("{s:{s:[o]}}", "add", "records", rec);
	if (change == NULL)
		return NULL;
	o = json_pack("{s:[o], s:b, s:b}", "changes", change,
	    "return_all_records", 0, "disallow_new_zone_creation", 1);
	if (o == NULL)
		return NULL;
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

/* ---- talking to the API ------------------------------------------------- */

/* Set *why to inner (malloc'd, consumed; NULL: out of memory) prefixed
 * with the record, and default the wait after a bare 429; returns out. */
static enum outcome
fail(struct scwp *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label : "scaleway",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	if (c->status == 429 && c->ctx->retry_after <= 0)
		c->ctx->retry_after = SCW_WAIT_429;
	return out;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
scw_init(struct scwp *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*ep, *tok;
	size_t		 n;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->data = addr->text;
	if ((c->label = xasprintf("scaleway: %s %s", rec->name, c->type)) ==
	    NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	tok = rec_str(rec, "secret_key");
	if (tok == NULL || *tok == '\0' || provider_has_ctl(tok))
		return fail(c, OUT_CONFIG, xasprintf("secret_key is empty or "
		    "has a control character"), why);
	if ((c->auth = xasprintf("X-Auth-Token: %s", tok)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((ep = rec_str(rec, "endpoint")) == NULL)
		ep = SCW_ENDPOINT;
	if ((strncasecmp(ep, "https://", 8) != 0 &&
	    strncasecmp(ep, "http://", 7) != 0) || provider_has_ctl(ep) ||
	    strpbrk(ep, "?# ") != NULL)
		return fail(c, OUT_CONFIG, xasprintf("endpoint \"%s\" is not "
		    "an http(s) URL", ep), why);
	n = strlen(ep);
	while (n > 0 && ep[n - 1] == '/')
		n--;
	if ((c->base = xasprintf("%.*s%s", (int)n, ep, SCW_PREFIX)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if (strchr(rec->name, '.') == NULL)
		return fail(c, OUT_CONFIG, xasprintf("\"%s\" has no zone: a "
		    "Scaleway DNS zone has two labels or more", rec->name),
		    why);
	return OUT_CURRENT;
}

/* Free what scw_init() allocated. */
static void
cleanup(struct scwp *c)
{
	if (c->auth != NULL)
		explicit_bzero(c->auth, strlen(c->auth));
	free(c->auth);
	free(c->base);
	free(c->label);
}

/* Send method url with body (or none): OUT_CURRENT with *root (caller
 * json_decref()s), else an outcome with *why (c->status tells a 404). */
static enum outcome
scw_call(struct scwp *c, const char *method, const char *url,
    const char *body, json_t **root, char **why)
{
	struct http_resp resp;
	const char	*hdrs[2];
	char		*inner = NULL;
	enum outcome	 out;

	*root = NULL;
	hdrs[0] = c->auth;
	hdrs[1] = NULL;
	c->status = 0;
	if ((out = provider_json_send(c->label, c->rec, c->ctx, method, url,
	    hdrs, NULL, body, &resp, why)) != OUT_CURRENT)
		return out;
	c->status = resp.status;
	out = scw_reply(resp.status, resp.body, root, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT)
		out = fail(c, out, inner, why);
	return out;
}

/*
 * Whether Scaleway has the DNS zone cand (a provider_zone_fn):
 * OUT_CURRENT with *val the name (malloc'd) or NULL when it has not, else
 * an outcome with *why.
 */
static enum outcome
zone_known(void *arg, const char *cand, char **val, char **why)
{
	struct scwp	*c = arg;
	json_t		*root = NULL;
	char		*e = NULL, *url = NULL;
	enum outcome	 out;
	int		 r;

	*val = NULL;
	if ((e = http_pctenc(cand)) == NULL ||
	    (url = xasprintf("%s/dns-zones?dns_zone=%s", c->base, e)) ==
	    NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = scw_call(c, "GET", url, NULL, &root, why)) != OUT_CURRENT)
		goto out;
	if ((r = scw_has_zone(root, cand)) == -1) {
		out = fail(c, OUT_PROTOCOL, xasprintf("GET /dns-zones: no "
		    "\"dns_zones\" list of domain and subdomain"), why);
		goto out;
	}
	log_info("%s: DNS zone %s: %s", c->label, cand, r ? "found" :
	    "not on this account");
	if (r && (*val = strdup(cand)) == NULL)
		out = fail(c, OUT_TEMPFAIL, NULL, why);
out:
	json_decref(root);
	free(e);
	free(url);
	return out;
}

/* The zone of the record: OUT_CURRENT with *zone (malloc'd), else an
 * outcome with *why. */
static enum outcome
find_zone(struct scwp *c, char **zone, char **why)
{
	struct zone_walk w;
	enum outcome	 out;
	char		*pfx, *val;

	memset(&w, 0, sizeof(w));
	w.label = c->label;
	w.what = "Scaleway DNS zone";
	w.hint = "add the domain or zone in the console's Domains and DNS, "
	    "or set \"zone\"";
	w.lookup = zone_known;
	w.arg = c;
	if ((w.cachepfx = pfx = xasprintf("scaleway:%s", c->base)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	out = provider_find_zone(c->ctx, c->rec, &w, zone, &val, why);
	free(pfx);
	free(val);
	return out;
}

/*
 * PATCH an add (id NULL) or a set of id in zone. OUT_UPDATED with
 * ctx->new_record_id, or an outcome with *why; *gone on a 404 for a set.
 */
static enum outcome
scw_write(struct scwp *c, const char *zone, const char *rel, const char *id,
    long ttl, int *gone, char **why)
{
	struct scw_rec	 got;
	json_t		*root = NULL;
	char		*ez = NULL, *url = NULL, *body = NULL, *inner = NULL;
	size_t		 n;
	enum outcome	 out;

	*gone = 0;
	memset(&got, 0, sizeof(got));
	if ((ez = http_pctenc(zone)) == NULL ||
	    (url = xasprintf("%s/dns-zones/%s/records", c->base, ez)) ==
	    NULL || (body = scw_body(id, rel, c->type, c->data, ttl)) ==
	    NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	log_info("%s: %s", c->label, body);
	if ((out = scw_call(c, "PATCH", url, body, &root, why)) !=
	    OUT_CURRENT) {
		*gone = id != NULL && c->status == 404;
		goto out;
	}
	if (scw_find(root, rel, c->type, &got, &n, &inner) == -1 || n == 0 ||
	    !provider_same_address(got.data, c->data)) {
		out = fail(c, OUT_PROTOCOL, inner != NULL ? inner :
		    xasprintf("HTTP %ld: the reply does not list the written "
		    "record", c->status), why);
		goto out;
	}
	free(c->ctx->new_record_id);
	if ((c->ctx->new_record_id = xasprintf("%s/%s/%ld", zone, got.id,
	    ttl)) == NULL)
		out = fail(c, OUT_TEMPFAIL, NULL, why);
	else
		out = OUT_UPDATED;
out:
	scw_rec_free(&got);
	json_decref(root);
	free(ez);
	free(url);
	free(body);
	return out;
}

/*
 * The one-call update through the state's "zone/id/ttl": OUT_UPDATED or
 * an outcome with *why; -1, nothing set, when unusable or gone.
 */
static int
update_known(struct scwp *c, char **why)
{
	const char	*sid = c->ctx->record_id, *s1, *s2;
	char		*zone = NULL, *id = NULL, *rel = NULL, *end;
	size_t		 nl, zl;
	long		 ttl;
	enum outcome	 out;
	int		 gone, ret = -1;

	if ((s1 = strchr(sid, '/')) == NULL || (s2 = strrchr(sid, '/')) ==
	    s1 || s1 == sid || s2 == s1 + 1)
		return -1;
	ttl = strtol(s2 + 1, &end, 10);
	if (*end != '\0' || ttl <= 0 || s2[1] == '\0')
		return -1;
	if ((zone = strndup(sid, s1 - sid)) == NULL ||
	    (id = strndup(s1 + 1, s2 - s1 - 1)) == NULL)
		goto out;
	if (c->rec->zone != NULL && strcasecmp(c->rec->zone, zone) != 0)
		goto out;
	nl = strlen(c->rec->name);
	zl = strlen(zone);
	if (nl < zl || strcasecmp(c->rec->name + nl - zl, zone) != 0 ||
	    (nl > zl && c->rec->name[nl - zl - 1] != '.'))
		goto out;
	if ((rel = provider_relative(c->rec->name, zone, "")) == NULL)
		goto out;
	out = scw_write(c, zone, rel, id, c->rec->ttl > 0 ? c->rec->ttl : ttl,
	    &gone, why);
	if (out != OUT_UPDATED && gone) {
		log_info("%s: record %s is gone; looking it up", c->label, id);
		free(*why);
		*why = NULL;
		goto out;
	}
	ret = out;
out:
	free(zone);
	free(id);
	free(rel);
	return ret;
}

/* Find the record and create, update or find it current; the outcome,
 * with *why on failure. */
static enum outcome
update_lookup(struct scwp *c, char **why)
{
	struct scw_rec	 have;
	json_t		*root = NULL;
	char		*zone = NULL, *rel = NULL, *ez = NULL, *en = NULL;
	char		*url = NULL, *inner = NULL;
	size_t		 count = 0;
	long		 ttl;
	enum outcome	 out;
	int		 gone;

	memset(&have, 0, sizeof(have));
	if ((out = find_zone(c, &zone, why)) != OUT_CURRENT)
		goto out;
	if ((rel = provider_relative(c->rec->name, zone, "")) == NULL ||
	    (ez = http_pctenc(zone)) == NULL ||
	    (en = http_pctenc(rel)) == NULL ||
	    (url = xasprintf("%s/dns-zones/%s/records?name=%s&type=%s&"
	    "page_size=100", c->base, ez, en, c->type)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = scw_call(c, "GET", url, NULL, &root, why)) != OUT_CURRENT)
		goto out;
	if (scw_find(root, rel, c->type, &have, &count, &inner) == -1) {
		out = fail(c, OUT_PROTOCOL, inner, why);
		goto out;
	}
	if (count > 1)
		log_warnx("%s: %zu records of that name and type; updating "
		    "%s only", c->label, count, have.id);
	ttl = c->rec->ttl > 0 ? c->rec->ttl : count > 0 && have.ttl > 0 ?
	    have.ttl : SCW_TTL;
	if (count > 0 && provider_same_address(have.data, c->data) &&
	    ttl == have.ttl) {
		log_info("%s: record %s already holds %s", c->label, have.id,
		    c->data);
		free(c->ctx->new_record_id);
		if ((c->ctx->new_record_id = xasprintf("%s/%s/%ld", zone,
		    have.id, ttl)) == NULL)
			out = fail(c, OUT_TEMPFAIL, NULL, why);
		else
			out = OUT_CURRENT;
		goto out;
	}
	out = scw_write(c, zone, rel, count > 0 ? have.id : NULL, ttl, &gone,
	    why);
out:
	json_decref(root);
	scw_rec_free(&have);
	free(zone);
	free(rel);
	free(ez);
	free(en);
	free(url);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct scwp	 c;
	enum outcome	 out;
	int		 r;

	*why = NULL;
	if ((out = scw_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
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
	struct scwp	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (scw_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_scaleway = {
	.name = "scaleway",
	.keys = keys,
	.push = push,
	.check = check,
};
