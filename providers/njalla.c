/*
 * njalla: Njalla DNS records through its JSON-RPC-like API.
 * https://njal.la/api/
 *
 * Vendor facts, and where they come from:
 * - Njalla's API page and every public client (lexicon, node-njalla-dns,
 *   the Python "Njalla" package): one endpoint, https://njal.la/api/1/;
 *   every call is POST {"method": "...", "params": {...}} with the header
 *   "Authorization: Njalla <token>"; tokens are made at
 *   https://njal.la/settings/api/ and can be restricted to methods,
 *   domains, record types and source addresses.
 * - Confirmed by replies recorded from the real API (lexicon's test
 *   cassettes, 2020): answers are HTTP 200 with {"result": {...},
 *   "jsonrpc": "2.0"} or {"error": {"code": n, "message": "..."}};
 *   list-records {domain} answers {"records": [{"id": 188151, "name":
 *   "orig.test", "type": "TXT", "content": "...", "ttl": 3600}]} with
 *   names relative to the domain ("@" for the apex); add-record {domain,
 *   type, name, content, ttl} and edit-record {domain, id, content}
 *   answer the record, id included; a domain not on the account answers
 *   error 403 "permission denied"; get-domain/list-domains give domain
 *   objects with "name".
 * - Assumed (flagged in the code): a wrong token also answers error 403
 *   (one public client reads it so); edit-record of an id that no longer
 *   exists answers error 404; TTL 3600 for new records; throttling is
 *   HTTP 429 (or error 429) with Retry-After, else we wait 60 seconds.
 *
 * Quirks handled:
 * - Error 403 means a wrong token AND a domain not on the account, so
 *   the zone is found with ONE list-domains call (cached for the run):
 *   a refused call is then the token (exit 77), a missing name is the
 *   domain (exit 78). The token needs list-domains, list-records,
 *   add-record and edit-record.
 * - The record is found with list-records and created with add-record or
 *   changed with edit-record (content, and ttl when configured); the
 *   state keeps "<domain>/<id>", so a later change is one edit-record.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "njalla.h"

#define NJ_ENDPOINT	"https://njal.la/api/1/"
#define NJ_TTL		3600	/* new records, none set (assumed) */
#define NJ_WAIT_429	60	/* seconds, when 429 has no Retry-After */
#define NJ_MSG_MAX	400
#define NJ_HINT_403	"check token, from https://njal.la/settings/api/; " \
	"a restricted token must allow list-domains, list-records, " \
	"add-record and edit-record, and this domain"

static const struct provider_key keys[] = {
	{ "endpoint",	0 },
	{ "token",	KEY_REQUIRED | KEY_SECRET },
	{ NULL,		0 }
};

/* One push in progress. */
struct njp {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;
	const char		*data;
	char			*auth;		/* the Authorization header */
	const char		*url;		/* the endpoint, as configured */
	char			*label;		/* "njalla: name A" */
	long			 status;	/* of the last answer, or 0 */
	long			 code;		/* its error code, or 0 */
};

/* ---- pure parts --------------------------------------------------------- */

/* The request body; see njalla.h. */
char *
nj_build(const char *method, json_t *params)
{
	json_t	*o;
	char	*s;

	if (params != NULL)
		o = json_pack("{s:s, s:O}", "method", method, "params", params);
	else
		o = json_pack("{s:s, s:{}}", "method", method, "params");
	if (o == NULL)
		return NULL;
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

/* The outcome of a Njalla error code (JSON-RPC-like, HTTP-valued). */
static enum outcome
code_outcome(long code)
{
	if (code == 401 || code == 403)
		return OUT_AUTH;
	if (code == 408 || code == 429 || (code >= 500 && code < 600))
		return OUT_TEMPFAIL;
	if (code >= 400 && code < 500)
		return OUT_CONFIG;
	return OUT_PROTOCOL;
}

/* Read a reply; see njalla.h. */
enum outcome
nj_reply(const char *method, long status, const char *body, json_t **resultp,
    long *code, char **why)
{
	json_t		*root = NULL, *err, *res, *jc;
	json_error_t	 jerr;
	const char	*msg = NULL;
	char		 buf[NJ_MSG_MAX] = "";
	enum outcome	 out;

	*resultp = NULL;
	*code = 0;
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
	err = root != NULL ? json_object_get(root, "error") : NULL;
	if (json_is_object(err)) {
		jc = json_object_get(err, "code");
		*code = json_is_integer(jc) ? (long)json_integer_value(jc) : 0;
		msg = json_string_value(json_object_get(err, "message"));
		out = code_outcome(*code);
		snprintf(buf, sizeof(buf), "%s: error %ld", method, *code);
		if (msg != NULL) {
			provider_append(buf, sizeof(buf), ": ");
			provider_append(buf, sizeof(buf), msg);
		}
		if (status != 200 && status != 0) {
			/* The HTTP status says more than a code-less body. */
			if (*code == 0)
				out = provider_status_outcome(status);
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
			    " (HTTP %ld)", status);
		}
		json_decref(root);
		*why = out == OUT_AUTH ? xasprintf("%s (%s)", buf,
		    NJ_HINT_403) : xasprintf("%s", buf);
		return out;
	}
	if (status != 200) {
		json_decref(root);
		out = provider_status_outcome(status);
		*why = xasprintf("%s: HTTP %ld (no Njalla error in the reply)%s",
		    method, status, out == OUT_AUTH ? " (" NJ_HINT_403 ")" : "");
		return out;
	}
	res = root != NULL ? json_object_get(root, "result") : NULL;
	if (!json_is_object(res)) {
		if (root != NULL)
			snprintf(jerr.text, sizeof(jerr.text), "neither "
			    "\"result\" nor \"error\" in it");
		provider_append(buf, sizeof(buf), jerr.text);
		json_decref(root);
		*why = xasprintf("%s: HTTP 200: not a Njalla API reply: %s",
		    method, buf);
		return OUT_PROTOCOL;
	}
	json_incref(res);
	json_decref(root);
	*resultp = res;
	return OUT_CURRENT;
}

/* The domain names of a list-domains result; see njalla.h. */
char *
nj_parse_domains(json_t *result, char **why)
{
	json_t		*list, *d;
	const char	*n;
	char		*s, *p;
	size_t		 i, len = 1;

	*why = NULL;
	list = json_object_get(result, "domains");
	if (!json_is_array(list)) {
		*why = xasprintf("no \"domains\" array in the reply");
		return NULL;
	}
	json_array_foreach(list, i, d) {
		if ((n = json_string_value(json_object_get(d, "name"))) ==
		    NULL || *n == '\0' || strchr(n, '\n') != NULL) {
			*why = xasprintf("domain %zu has no name", i);
			return NULL;
		}
		len += strlen(n) + 1;
	}
	if ((s = p = malloc(len)) == NULL) {
		*why = xasprintf("out of memory");
		return NULL;
	}
	json_array_foreach(list, i, d) {
		for (n = json_string_value(json_object_get(d, "name"));
		    *n != '\0'; n++)
			*p++ = tolower((unsigned char)*n);
		*p++ = '\n';
	}
	*p = '\0';
	return s;
}

/* Free what an nj_rec holds and zero it; NULL is a no-op. */
void
nj_rec_free(struct nj_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->content);
	memset(r, 0, sizeof(*r));
}

/* Parse a list-records result; see njalla.h. */
int
nj_parse_records(json_t *result, const char *rel, const char *type,
    struct nj_rec *first, size_t *count, char **why)
{
	json_t		*list, *r, *jt;
	const char	*n, *t, *c;
	size_t		 i;

	memset(first, 0, sizeof(*first));
	*count = 0;
	*why = NULL;
	list = json_object_get(result, "records");
	if (!json_is_array(list)) {
		*why = xasprintf("no \"records\" array in the reply");
		return -1;
	}
	json_array_foreach(list, i, r) {
		if (json_unpack(r, "{s:s, s:s}", "name", &n, "type", &t) ==
		    -1) {
			*why = xasprintf("record %zu lacks name or type", i);
			goto bad;
		}
		if (strcasecmp(t, type) != 0 || strcasecmp(n, rel) != 0)
			continue;
		if ((*count)++ > 0)
			continue;
		if ((first->id = provider_json_id(json_object_get(r,
		    "id"))) == NULL) {
			*why = xasprintf("record %zu has no numeric id", i);
			goto bad;
		}
		c = json_string_value(json_object_get(r, "content"));
		if (c == NULL) {
			*why = xasprintf("record %zu has no content", i);
			goto bad;
		}
		if ((first->content = strdup(c)) == NULL) {
			*why = xasprintf("out of memory");
			goto bad;
		}
		jt = json_object_get(r, "ttl");
		if (json_is_integer(jt))
			first->ttl = (long)json_integer_value(jt);
	}
	return 0;
bad:
	nj_rec_free(first);
	*count = 0;
	return -1;
}

/* The written record's id; see njalla.h. */
char *
nj_parse_write(json_t *result)
{
	return provider_json_id(json_object_get(result, "id"));
}

/* ---- talking to the API ------------------------------------------------- */

/* Set *why to inner (malloc'd, consumed; NULL: out of memory) prefixed
 * with the record, and default the wait after a 429; returns out. */
static enum outcome
fail(struct njp *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label : "njalla",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	if ((c->status == 429 || c->code == 429) && c->ctx->retry_after <= 0)
		c->ctx->retry_after = NJ_WAIT_429;
	return out;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
njp_init(struct njp *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*tok;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->data = addr->text;
	if ((c->label = xasprintf("njalla: %s %s", rec->name, c->type)) ==
	    NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	tok = rec_str(rec, "token");
	if (tok == NULL || *tok == '\0' || provider_has_ctl(tok))
		return fail(c, OUT_CONFIG, xasprintf("token is empty or has "
		    "a control character"), why);
	if ((c->auth = xasprintf("Authorization: Njalla %s", tok)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((c->url = rec_str(rec, "endpoint")) == NULL)
		c->url = NJ_ENDPOINT;
	if ((strncasecmp(c->url, "https://", 8) != 0 &&
	    strncasecmp(c->url, "http://", 7) != 0) ||
	    provider_has_ctl(c->url) || strchr(c->url, '#') != NULL)
		return fail(c, OUT_CONFIG, xasprintf("endpoint \"%s\" is not "
		    "an http(s) URL", c->url), why);
	if (strchr(rec->name, '.') == NULL)
		return fail(c, OUT_CONFIG, xasprintf("\"%s\" has no domain: "
		    "a Njalla domain has two labels or more", rec->name), why);
	return OUT_CURRENT;
}

/* Wipe and free what njp_init() allocated. */
static void
cleanup(struct njp *c)
{
	if (c->auth != NULL)
		explicit_bzero(c->auth, strlen(c->auth));
	free(c->auth);
	free(c->label);
}

/*
 * Call method with params (not consumed; NULL: {}). OUT_CURRENT with
 * *result (caller json_decref()s); else an error outcome with *why
 * (c->code tells Njalla's error code).
 */
static enum outcome
njp_call(struct njp *c, const char *method, json_t *params, json_t **result,
    char **why)
{
	struct http_resp resp;
	const char	*hdrs[2];
	char		*body, *inner = NULL;
	enum outcome	 out;

	*result = NULL;
	hdrs[0] = c->auth;
	hdrs[1] = NULL;
	c->status = c->code = 0;
	if ((body = nj_build(method, params)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	log_debug("%s: %s", c->label, body);
	out = provider_json_send(c->label, c->rec, c->ctx, "POST", c->url,
	    hdrs, NULL, body, &resp, why);
	free(body);
	if (out != OUT_CURRENT)
		return out;
	c->status = resp.status;
	out = nj_reply(method, resp.status, resp.body, result, &c->code,
	    &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT)
		out = fail(c, out, inner, why);
	return out;
}

/*
 * The account's domains, one per line in lower case, from the run's
 * cache or one list-domains call. OUT_CURRENT with *names (malloc'd),
 * else an error outcome with *why.
 */
static enum outcome
domain_names(struct njp *c, char **names, char **why)
{
	json_t		*result;
	char		*key, *inner;
	enum outcome	 out;
	int		 hit;

	*names = NULL;
	if ((key = xasprintf("njalla-domains:%s", c->url)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((hit = provider_cache_get(c->ctx, key, names)) != 0) {
		free(key);
		return hit == 1 && *names != NULL ? OUT_CURRENT :
		    fail(c, OUT_TEMPFAIL, NULL, why);
	}
	if ((out = njp_call(c, "list-domains", NULL, &result, why)) !=
	    OUT_CURRENT) {
		free(key);
		return out;
	}
	*names = nj_parse_domains(result, &inner);
	json_decref(result);
	if (*names == NULL) {
		free(key);
		out = fail(c, OUT_PROTOCOL, xasprintf("list-domains: %s",
		    inner != NULL ? inner : "out of memory"), why);
		free(inner);
		return out;
	}
	provider_cache_put(c->ctx, key, *names);
	free(key);
	return OUT_CURRENT;
}

/*
 * Whether the account has the domain cand (a provider_zone_fn):
 * OUT_CURRENT with *val the name (malloc'd) or NULL when it has not, else
 * an error outcome with *why.
 */
static enum outcome
domain_known(void *arg, const char *cand, char **val, char **why)
{
	struct njp	*c = arg;
	enum outcome	 out;
	char		*names, *p, *line;
	size_t		 n = strlen(cand);

	*val = NULL;
	if ((out = domain_names(c, &names, why)) != OUT_CURRENT)
		return out;
	for (line = names; *line != '\0'; line = p + 1) {
		if ((p = strchr(line, '\n')) == NULL)
			break;
		if ((size_t)(p - line) == n && strncasecmp(line, cand, n) == 0)
			break;
	}
	if (*line != '\0' && p != NULL) {
		log_info("%s: domain %s: found", c->label, cand);
		if ((*val = strdup(cand)) == NULL)
			out = fail(c, OUT_TEMPFAIL, NULL, why);
	} else
		log_info("%s: domain %s: not on this account", c->label, cand);
	free(names);
	return out;
}

/*
 * The domain the record lives in: the configured zone, else the longest
 * suffix of the name on the account. OUT_CURRENT with *zone (malloc'd,
 * caller frees), else an outcome with *why.
 */
static enum outcome
find_zone(struct njp *c, char **zone, char **why)
{
	struct zone_walk w;
	enum outcome	 out;
	char		*pfx, *val;

	memset(&w, 0, sizeof(w));
	w.label = c->label;
	w.what = "Njalla domain";
	w.hint = "the domain must be on this Njalla account, or set \"zone\"";
	w.lookup = domain_known;
	w.arg = c;
	if ((w.cachepfx = pfx = xasprintf("njalla:%s", c->url)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	out = provider_find_zone(c->ctx, c->rec, &w, zone, &val, why);
	free(pfx);
	free(val);
	return out;
}

/*
 * add-record (id NULL; name rel, ttl or NJ_TTL) or edit-record id (the
 * content, and ttl when > 0) in zone. OUT_UPDATED and ctx->new_record_id
 * set, or an error outcome with *why (c->code tells a 404).
 */
static enum outcome
njp_write(struct njp *c, const char *zone, const char *rel, const char *id,
    long ttl, char **why)
{
	json_t		*params, *result = NULL;
	char		*nid = NULL;
	enum outcome	 out;

	if (id == NULL)
		params = json_pack("{s:s, s:s, s:s, s:s, s:I}", "domain", zone,
		    "type", c->type, "name", rel, "content", c->data, "ttl",
		    (json_int_t)(ttl > 0 ? ttl : NJ_TTL));
	else	/* the id as a number, as Njalla's replies give it */
		params = json_pack("{s:s, s:I, s:s}", "domain", zone, "id",
		    (json_int_t)strtoll(id, NULL, 10), "content", c->data);
	if (params == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if (id != NULL && ttl > 0)
		json_object_set_new(params, "ttl", json_integer(ttl));
	log_info("%s: %s record%s%s", c->label, id == NULL ? "adding" :
	    "editing", id == NULL ? "" : " ", id == NULL ? "" : id);
	out = njp_call(c, id == NULL ? "add-record" : "edit-record", params,
	    &result, why);
	json_decref(params);
	if (out != OUT_CURRENT)
		goto out;
	if ((nid = nj_parse_write(result)) == NULL) {
		out = fail(c, OUT_PROTOCOL, xasprintf("%s: no record id in "
		    "the reply", id == NULL ? "add-record" : "edit-record"),
		    why);
		goto out;
	}
	free(c->ctx->new_record_id);
	if ((c->ctx->new_record_id = xasprintf("%s/%s", zone, nid)) == NULL)
		out = fail(c, OUT_TEMPFAIL, NULL, why);
	else
		out = OUT_UPDATED;
out:
	json_decref(result);
	free(nid);
	return out;
}

/*
 * The one-call update through the id the state remembers: OUT_UPDATED or
 * an error outcome with *why; or -1, nothing set, when there is no usable
 * id or the record is gone (error 404) and the caller should look it up.
 */
static int
update_known(struct njp *c, char **why)
{
	const char	*slash, *sid = c->ctx->record_id;
	char		*zone = NULL;
	size_t		 nl, zl, dl;
	enum outcome	 out;
	int		 ret = -1;

	if ((slash = strrchr(sid, '/')) == NULL || slash == sid ||
	    (dl = strlen(slash + 1)) == 0 || dl > 18 ||
	    strspn(slash + 1, "0123456789") != dl)
		return -1;
	if ((zone = strndup(sid, slash - sid)) == NULL)
		return -1;
	if (c->rec->zone != NULL && strcasecmp(c->rec->zone, zone) != 0)
		goto out;
	nl = strlen(c->rec->name);
	zl = strlen(zone);
	if (nl < zl || strcasecmp(c->rec->name + nl - zl, zone) != 0 ||
	    (nl > zl && c->rec->name[nl - zl - 1] != '.'))
		goto out;
	out = njp_write(c, zone, NULL, slash + 1, c->rec->ttl, why);
	/* Assumed: a record deleted meanwhile answers error 404. */
	if (out != OUT_UPDATED && c->code == 404) {
		log_info("%s: record %s is gone; looking it up", c->label,
		    sid);
		free(*why);
		*why = NULL;
		goto out;
	}
	ret = out;
out:
	free(zone);
	return ret;
}

/*
 * Find the record by name and type and create it, change what differs,
 * or find it current. The outcome, with *why on failure.
 */
static enum outcome
update_lookup(struct njp *c, char **why)
{
	struct nj_rec	 have;
	json_t		*params = NULL, *result = NULL;
	char		*zone = NULL, *rel = NULL, *inner = NULL;
	size_t		 count = 0;
	long		 ttl = c->rec->ttl;
	enum outcome	 out;

	memset(&have, 0, sizeof(have));
	if ((out = find_zone(c, &zone, why)) != OUT_CURRENT)
		goto out;
	if ((rel = provider_relative(c->rec->name, zone, "@")) == NULL ||
	    (params = json_pack("{s:s}", "domain", zone)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = njp_call(c, "list-records", params, &result, why)) !=
	    OUT_CURRENT)
		goto out;
	if (nj_parse_records(result, rel, c->type, &have, &count,
	    &inner) == -1) {
		out = fail(c, OUT_PROTOCOL, xasprintf("list-records: %s",
		    inner != NULL ? inner : "out of memory"), why);
		free(inner);
		goto out;
	}
	if (count > 1)
		log_warnx("%s: %zu records of that name and type; updating "
		    "%s only", c->label, count, have.id);
	if (count > 0 && provider_same_address(have.content, c->data) &&
	    (ttl <= 0 || ttl == have.ttl)) {
		log_info("%s: record %s already holds %s", c->label, have.id,
		    c->data);
		free(c->ctx->new_record_id);
		if ((c->ctx->new_record_id = xasprintf("%s/%s", zone,
		    have.id)) == NULL)
			out = fail(c, OUT_TEMPFAIL, NULL, why);
		else
			out = OUT_CURRENT;
		goto out;
	}
	if (count > 0 && ttl == have.ttl)
		ttl = 0;		/* only the content changes */
	out = njp_write(c, zone, rel, count > 0 ? have.id : NULL, ttl, why);
out:
	json_decref(params);
	json_decref(result);
	nj_rec_free(&have);
	free(zone);
	free(rel);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct njp	 c;
	enum outcome	 out;
	int		 r;

	*why = NULL;
	if ((out = njp_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	/* A write through the stored id tells us nothing when the record
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
	struct njp	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (njp_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_njalla = {
	.name = "njalla",
	.keys = keys,
	.push = push,
	.check = check,
};
