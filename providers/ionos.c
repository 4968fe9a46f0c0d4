/*
 * ionos: IONOS DNS API v1 (the hosting "Developer API", not IONOS Cloud).
 * https://developer.hosting.ionos.com/docs/dns
 * OpenAPI: https://developer.hosting.ionos.de/assets/kms-swagger-specs/dns.yaml
 * (DNS API 1.0.2; the paths, bodies and examples below come from it).
 *
 * Confirmed in that document: base https://api.hosting.ionos.com/dns with
 * paths /v1/zones, /v1/zones/{zoneId}?recordName=&recordType=,
 * POST /v1/zones/{zoneId}/records (an array of records; 201 with the
 * created records since 1.0.1), PUT /v1/zones/{zoneId}/records/{recordId}
 * (a record-update: content, ttl, prio, disabled; 200 with the record);
 * the X-API-Key header; record names are FULLY QUALIFIED (the apex is the
 * zone's name); errors are an array of {code, message}, such as
 * UNAUTHORIZED (401) and RECORD_NOT_FOUND (404); ttl "recommended 3600".
 * Confirmed by IONOS's getting-started page as quoted by clients
 * (acme.sh dns_ionos, pyonos): the key is "<public prefix>.<secret>".
 *
 * Assumptions (not in the document), flagged where used:
 * - 403 is FORBIDDEN_REQUEST for a key that may not do this (documented
 *   only for the dyndns paths); 404 also answers an unknown zone id.
 * - 429 is documented (no body, no header) for the dyndns paths only; we
 *   honour Retry-After when sent and otherwise wait 60 seconds.
 * - A PUT without ttl keeps the record's ttl (no field is required).
 *
 * Quirks handled:
 * - GET /v1/zones lists every zone of the account in one reply, so it is
 *   asked once per run (per endpoint and key prefix) and the zone walk
 *   (provider_find_zone) answers from that list.
 * - The recordName filter is checked again on the reply, so a proxy or
 *   API ignoring it cannot get another record rewritten.
 * - The state keeps "<zoneId>/<recordId>", so a later change is one PUT;
 *   a record deleted by hand (404) is looked up and created again.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "ionos.h"

#define IONOS_ENDPOINT	"https://api.hosting.ionos.com/dns/v1"
#define IONOS_TTL	3600	/* for new records: IONOS's recommendation */
#define IONOS_WAIT_429	60	/* seconds, when 429 has no Retry-After */
#define IONOS_MSG_MAX	400
#define IONOS_HINT_401	"check api_key: it is \"<public prefix>.<secret>\" " \
	"of a key created at developer.hosting.ionos.com, API keys"
#define IONOS_HINT_403	"the key may not do this: use a key of the IONOS " \
	"account holding the zone (developer.hosting.ionos.com, API keys)"

static const struct provider_key keys[] = {
	{ "api_key",	KEY_SECRET },
	{ "endpoint",	0 },
	{ "prefix",	0 },
	{ "secret",	KEY_SECRET },
	{ NULL,		0 }
};

/* One push in progress. */
struct ionos {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;
	const char		*data;
	char			*auth;		/* the X-API-Key header */
	char			*pub;		/* the key's public prefix */
	char			*base;		/* endpoint, no trailing '/' */
	char			*label;		/* "ionos: name A" */
	long			 status;	/* of the last answer, or 0 */
};

/* ---- pure parts --------------------------------------------------------- */

/* 1 if status is a 2xx, else 0. */
static int
is2xx(long status)
{
	return status >= 200 && status < 300;
}

/* The X-API-Key value; see ionos.h. */
int
ionos_api_key(const char *api_key, const char *prefix, const char *secret,
    char **key, char **pub, char **why)
{
	const char	*dot;

	*key = *pub = *why = NULL;
	if (api_key != NULL && (prefix != NULL || secret != NULL)) {
		*why = xasprintf("set api_key, or prefix and secret, not both");
		return -1;
	}
	if (api_key == NULL && (prefix == NULL || secret == NULL)) {
		*why = xasprintf("%s: set api_key (\"<public prefix>.<secret>\") "
		    "or both prefix and secret", prefix != NULL ?
		    "secret is missing" : secret != NULL ? "prefix is missing" :
		    "no key");
		return -1;
	}
	if (api_key != NULL) {
		if (provider_has_ctl(api_key) || strchr(api_key, ' ') != NULL) {
			*why = xasprintf("api_key has a space or a control "
			    "character");
			return -1;
		}
		dot = strchr(api_key, '.');
		if (dot == NULL || dot == api_key || dot[1] == '\0') {
			*why = xasprintf("api_key is not \"<public prefix>."
			    "<secret>\": IONOS shows both parts when the key "
			    "is created; join them with a dot");
			return -1;
		}
		*pub = strndup(api_key, dot - api_key);
		*key = strdup(api_key);
	} else {
		if (*prefix == '\0' || *secret == '\0' ||
		    provider_has_ctl(prefix) || provider_has_ctl(secret) ||
		    strpbrk(prefix, " .") != NULL ||
		    strchr(secret, ' ') != NULL) {
			*why = xasprintf("prefix or secret is empty or has a "
			    "dot (prefix), a space or a control character");
			return -1;
		}
		*pub = strdup(prefix);
		*key = xasprintf("%s.%s", prefix, secret);
	}
	if (*pub == NULL || *key == NULL) {
		free(*pub);
		if (*key != NULL)
			explicit_bzero(*key, strlen(*key));
		free(*key);
		*key = *pub = NULL;
		*why = xasprintf("out of memory");
		return -1;
	}
	return 0;
}

/* 1 if s is usable as an id in a path; see ionos.h. */
int
ionos_id_ok(const char *s)
{
	size_t	 n = strlen(s);

	return n > 0 && n <= 64 && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == n;
}

/* Read a reply; see ionos.h. */
enum outcome
ionos_reply(long status, const char *body, json_t **rootp, char **why)
{
	json_t		*root = NULL, *e;
	json_error_t	 jerr;
	const char	*code = NULL, *msg = NULL, *hint = NULL;
	char		 buf[IONOS_MSG_MAX] = "";
	enum outcome	 out;

	*rootp = NULL;
	*why = NULL;
	if (body != NULL && body[0] != '\0')
		root = json_loads(body, JSON_DECODE_ANY, &jerr);
	else if (is2xx(status))
		return OUT_CURRENT;
	else
		snprintf(jerr.text, sizeof(jerr.text), "empty reply");
	if (root != NULL && is2xx(status)) {
		*rootp = root;
		return OUT_CURRENT;
	}
	if (root == NULL && is2xx(status)) {
		provider_append(buf, sizeof(buf), jerr.text);
		*why = xasprintf("HTTP %ld: not an IONOS API reply: %s", status,
		    buf);
		return OUT_PROTOCOL;
	}
	if (status == 401 || status == 403)
		out = OUT_AUTH;
	else if (status == 404 || status == 400 || status == 422)
		out = OUT_CONFIG;	/* unknown zone, refused value */
	else if (status == 408 || status == 429 || status >= 500)
		out = OUT_TEMPFAIL;
	else
		out = OUT_PROTOCOL;
	/* Documented: an array of {code, message}; take an object too. */
	e = json_is_array(root) ? json_array_get(root, 0) : root;
	if (json_is_object(e))
		json_unpack(e, "{s?:s, s?:s}", "code", &code, "message", &msg);
	snprintf(buf, sizeof(buf), "HTTP %ld", status);
	if (code != NULL || msg != NULL) {
		provider_append(buf, sizeof(buf), ": ");
		if (code != NULL)
			provider_append(buf, sizeof(buf), code);
		if (code != NULL && msg != NULL)
			provider_append(buf, sizeof(buf), ": ");
		if (msg != NULL)
			provider_append(buf, sizeof(buf), msg);
	} else
		provider_append(buf, sizeof(buf), " (no IONOS error in the "
		    "reply)");
	if (status == 401)
		hint = IONOS_HINT_401;
	else if (status == 403)
		hint = IONOS_HINT_403;
	json_decref(root);
	*why = hint != NULL ? xasprintf("%s (%s)", buf, hint) :
	    xasprintf("%s", buf);
	return out;
}

/* Whether the zone list names name; see ionos.h. */
int
ionos_zone_in_list(json_t *list, const char *name, char **id, char **why)
{
	json_t		*z;
	const char	*n, *zid;
	size_t		 i;

	*id = *why = NULL;
	if (!json_is_array(list)) {
		*why = xasprintf("GET /zones: the reply is not an array of "
		    "zones");
		return -1;
	}
	json_array_foreach(list, i, z) {
		if (json_unpack(z, "{s:s, s:s}", "name", &n, "id", &zid) ==
		    -1 || !ionos_id_ok(zid)) {
			*why = xasprintf("GET /zones: zone %zu lacks a name or "
			    "a usable id", i);
			return -1;
		}
		if (strcasecmp(n, name) != 0)
			continue;
		if ((*id = strdup(zid)) == NULL) {
			*why = xasprintf("out of memory");
			return -1;
		}
		return 1;
	}
	return 0;
}

/* Free what an ionos_rec holds and zero it; NULL is a no-op. */
void
ionos_rec_free(struct ionos_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->content);
	memset(r, 0, sizeof(*r));
}

/* Parse a customer zone's records; see ionos.h. */
int
ionos_parse_records(json_t *zone, const char *fqdn, const char *type,
    struct ionos_rec *first, size_t *count, char **why)
{
	json_t		*list, *r, *jt;
	const char	*n, *t, *c, *id;
	size_t		 i;

	memset(first, 0, sizeof(*first));
	*count = 0;
	*why = NULL;
	list = json_object_get(zone, "records");
	if (!json_is_array(list)) {
		*why = xasprintf("no \"records\" array in the zone reply");
		return -1;
	}
	json_array_foreach(list, i, r) {
		if (json_unpack(r, "{s:s, s:s, s:s, s:s}", "id", &id, "name",
		    &n, "type", &t, "content", &c) == -1) {
			*why = xasprintf("record %zu lacks id, name, type or "
			    "content", i);
			goto bad;
		}
		if (strcmp(t, type) != 0 || strcasecmp(n, fqdn) != 0)
			continue;
		if ((*count)++ > 0)
			continue;
		if (!ionos_id_ok(id)) {
			*why = xasprintf("record %zu has an unusable id", i);
			goto bad;
		}
		if ((first->id = strdup(id)) == NULL ||
		    (first->content = strdup(c)) == NULL) {
			*why = xasprintf("out of memory");
			goto bad;
		}
		jt = json_object_get(r, "ttl");
		if (json_is_integer(jt))
			first->ttl = (long)json_integer_value(jt);
	}
	return 0;
bad:
	ionos_rec_free(first);
	*count = 0;
	return -1;
}

/* The written record's id; see ionos.h. */
char *
ionos_parse_written(json_t *root)
{
	json_t		*r;
	const char	*id;

	r = json_is_array(root) ? json_array_get(root, 0) : root;
	if ((id = json_string_value(json_object_get(r, "id"))) == NULL ||
	    !ionos_id_ok(id))
		return NULL;
	return strdup(id);
}

/* The create body; see ionos.h. */
char *
ionos_build_create(const char *fqdn, const char *type, const char *content,
    long ttl)
{
	json_t	*a;
	char	*s;

	a = json_pack("[{s:s, s:s, s:s, s:I, s:b}]", "name", fqdn, "type",
	    type, "content", content, "ttl",
	    (json_int_t)(ttl > 0 ? ttl : IONOS_TTL), "disabled", 0);
	if (a == NULL)
		return NULL;
	s = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(a);
	return s;
}

/* The update body; see ionos.h. */
char *
ionos_build_update(const char *content, long ttl)
{
	json_t	*o;
	char	*s;

	if ((o = json_pack("{s:s}", "content", content)) == NULL)
		return NULL;
	if (ttl > 0 && json_object_set_new(o, "ttl", json_integer(ttl)) == -1) {
		json_decref(o);
		return NULL;
	}
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

/* Whether have holds content and ttl; see ionos.h. */
int
ionos_is_current(const struct ionos_rec *have, const char *content, long ttl)
{
	struct addr	 x, y;
	int		 same;

	if (addr_parse(have->content, FAM_MAX, &x) == 0 &&
	    addr_parse(content, FAM_MAX, &y) == 0)
		same = addr_equal(&x, &y);
	else
		same = strcmp(have->content, content) == 0;
	return same && (ttl <= 0 || ttl == have->ttl);
}

/* ---- talking to the API ------------------------------------------------- */

/* Set *why to inner (malloc'd, consumed; NULL: out of memory) prefixed
 * with the record, and default the wait after a bare 429; returns out. */
static enum outcome
fail(struct ionos *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label : "ionos",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	if (c->status == 429 && c->ctx->retry_after <= 0)
		c->ctx->retry_after = IONOS_WAIT_429;	/* assumption */
	return out;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
ionos_init(struct ionos *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	char		*key = NULL, *inner = NULL;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->data = addr->text;
	if ((c->label = xasprintf("ionos: %s %s", rec->name, c->type)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if (ionos_api_key(rec_str(rec, "api_key"), rec_str(rec, "prefix"),
	    rec_str(rec, "secret"), &key, &c->pub, &inner) == -1)
		return fail(c, OUT_CONFIG, inner, why);
	c->auth = xasprintf("X-API-Key: %s", key);
	explicit_bzero(key, strlen(key));
	free(key);
	if (c->auth == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((c->base = provider_base_url(rec_str(rec, "endpoint"),
	    IONOS_ENDPOINT, &inner)) == NULL)
		return fail(c, inner != NULL ? OUT_CONFIG : OUT_TEMPFAIL,
		    inner, why);
	if (strchr(rec->name, '.') == NULL)
		return fail(c, OUT_CONFIG, xasprintf("\"%s\" has no zone: an "
		    "IONOS zone has two labels or more", rec->name), why);
	return OUT_CURRENT;
}

/* Free what ionos_init() allocated. */
static void
cleanup(struct ionos *c)
{
	if (c->auth != NULL)
		explicit_bzero(c->auth, strlen(c->auth));
	free(c->auth);
	free(c->pub);
	free(c->base);
	free(c->label);
}

/*
 * Send method url with the JSON body (or none). OUT_CURRENT with *root
 * (caller json_decref()s; NULL for an empty 2xx body); else an error
 * outcome with *why (404 included: c->status tells).
 */
static enum outcome
ionos_call(struct ionos *c, const char *method, const char *url,
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
	out = ionos_reply(resp.status, resp.body, root, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT)
		out = fail(c, out, inner, why);
	return out;
}

/*
 * Whether the account has the zone cand (a provider_zone_fn), answered
 * from GET /zones, asked once per run and kept in the run's cache:
 * OUT_CURRENT with *val the zone id (malloc'd) or NULL, else an error
 * outcome with *why.
 */
static enum outcome
zone_known(void *arg, const char *cand, char **val, char **why)
{
	struct ionos	*c = arg;
	json_t		*list = NULL;
	json_error_t	 jerr;
	char		*key = NULL, *url = NULL, *text = NULL, *inner = NULL;
	enum outcome	 out = OUT_CURRENT;
	int		 r;

	*val = NULL;
	if ((key = xasprintf("ionos-zones:%s@%s", c->pub, c->base)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((r = provider_cache_get(c->ctx, key, &text)) == -1) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if (r == 1 && text != NULL)
		list = json_loads(text, 0, &jerr);
	if (list == NULL) {
		if ((url = xasprintf("%s/zones", c->base)) == NULL) {
			out = fail(c, OUT_TEMPFAIL, NULL, why);
			goto out;
		}
		if ((out = ionos_call(c, "GET", url, NULL, &list, why)) !=
		    OUT_CURRENT)
			goto out;
		if (json_is_array(list)) {
			log_info("%s: the account has %zu zone%s", c->label,
			    json_array_size(list), json_array_size(list) == 1 ?
			    "" : "s");
			free(text);
			if ((text = json_dumps(list, JSON_COMPACT)) != NULL)
				provider_cache_put(c->ctx, key, text);
		}
	}
	if ((r = ionos_zone_in_list(list, cand, val, &inner)) == -1) {
		out = fail(c, OUT_PROTOCOL, inner, why);
		goto out;
	}
	log_info("%s: zone %s: %s", c->label, cand, r ? "found" :
	    "not on this account");
out:
	json_decref(list);
	free(key);
	free(url);
	free(text);
	return out;
}

/*
 * The zone the record lives in: the configured zone, else the longest
 * suffix of the name the account has. OUT_CURRENT with *zid (the zone id,
 * malloc'd, caller frees), else an outcome with *why.
 */
static enum outcome
find_zone(struct ionos *c, char **zid, char **why)
{
	struct zone_walk w;
	enum outcome	 out;
	char		*pfx, *zone = NULL;

	*zid = NULL;
	memset(&w, 0, sizeof(w));
	w.label = c->label;
	w.what = "IONOS zone";
	w.hint = "add the domain to the IONOS account the key belongs to, or "
	    "set \"zone\"";
	w.lookup = zone_known;
	w.arg = c;
	if ((w.cachepfx = pfx = xasprintf("ionos:%s@%s", c->pub, c->base)) ==
	    NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	out = provider_find_zone(c->ctx, c->rec, &w, &zone, zid, why);
	free(pfx);
	free(zone);
	return out;
}

/* Remember "<zid>/<rid>" for the state; OUT_UPDATED or OUT_CURRENT as
 * given, or OUT_TEMPFAIL with *why when out of memory. */
static enum outcome
keep_id(struct ionos *c, const char *zid, const char *rid, enum outcome out,
    char **why)
{
	free(c->ctx->new_record_id);
	if ((c->ctx->new_record_id = xasprintf("%s/%s", zid, rid)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	return out;
}

/*
 * POST (rid NULL) or PUT the record rid in zone zid with body. OUT_UPDATED
 * with ctx->new_record_id set when the reply names the record, else an
 * error outcome with *why; *gone is set when a PUT answers 404.
 */
static enum outcome
ionos_write(struct ionos *c, const char *zid, const char *rid,
    const char *body, int *gone, char **why)
{
	json_t		*root = NULL;
	char		*url, *nid = NULL;
	enum outcome	 out;

	*gone = 0;
	url = rid == NULL ? xasprintf("%s/zones/%s/records", c->base, zid) :
	    xasprintf("%s/zones/%s/records/%s", c->base, zid, rid);
	if (url == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	log_info("%s: %s %s", c->label, rid == NULL ? "creating" : "updating",
	    body);
	if ((out = ionos_call(c, rid == NULL ? "POST" : "PUT", url, body,
	    &root, why)) != OUT_CURRENT) {
		*gone = rid != NULL && c->status == 404;
		goto out;
	}
	if ((nid = ionos_parse_written(root)) != NULL)
		out = keep_id(c, zid, nid, OUT_UPDATED, why);
	else if (rid != NULL)
		out = keep_id(c, zid, rid, OUT_UPDATED, why);
	else {
		/* API 1.0.0 answered 201 without a body: the record is
		 * there, its id is learnt on the next change. */
		log_info("%s: HTTP %ld without the new record's id", c->label,
		    c->status);
		out = OUT_UPDATED;
	}
out:
	json_decref(root);
	free(url);
	free(nid);
	return out;
}

/*
 * The one-call update through the id the state remembers: OUT_UPDATED or
 * an error outcome with *why; or -1, nothing set, when there is no usable
 * id or the record is gone and the caller should look it up.
 */
static int
update_known(struct ionos *c, char **why)
{
	const char	*slash, *sid = c->ctx->record_id;
	char		*zid = NULL, *body = NULL;
	enum outcome	 out;
	int		 gone, ret = -1;

	if ((slash = strchr(sid, '/')) == NULL ||
	    (zid = strndup(sid, slash - sid)) == NULL)
		return -1;
	if (!ionos_id_ok(zid) || !ionos_id_ok(slash + 1))
		goto out;
	if ((body = ionos_build_update(c->data, c->rec->ttl)) == NULL) {
		ret = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = ionos_write(c, zid, slash + 1, body, &gone, why);
	if (out != OUT_UPDATED && gone) {
		log_info("%s: record %s is gone; looking it up", c->label,
		    sid);
		free(*why);
		*why = NULL;
		goto out;
	}
	ret = out;
out:
	free(zid);
	free(body);
	return ret;
}

/*
 * Find the record by name and type and create it, update it when it
 * differs, or find it current. The outcome, with *why on failure.
 */
static enum outcome
update_lookup(struct ionos *c, char **why)
{
	struct ionos_rec have;
	json_t		*root = NULL;
	char		*zid = NULL, *en = NULL, *url = NULL, *body = NULL;
	char		*inner = NULL;
	size_t		 count = 0;
	enum outcome	 out;
	int		 gone;

	memset(&have, 0, sizeof(have));
	if ((out = find_zone(c, &zid, why)) != OUT_CURRENT)
		goto out;
	if ((en = http_pctenc(c->rec->name)) == NULL ||
	    (url = xasprintf("%s/zones/%s?recordName=%s&recordType=%s",
	    c->base, zid, en, c->type)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = ionos_call(c, "GET", url, NULL, &root, why)) !=
	    OUT_CURRENT)
		goto out;
	if (ionos_parse_records(root, c->rec->name, c->type, &have, &count,
	    &inner) == -1) {
		out = fail(c, OUT_PROTOCOL, inner, why);
		goto out;
	}
	if (count > 1)
		log_warnx("%s: %zu records of that name and type; updating "
		    "%s only", c->label, count, have.id);
	if (count > 0 && ionos_is_current(&have, c->data, c->rec->ttl)) {
		log_info("%s: record %s already holds %s", c->label, have.id,
		    c->data);
		out = keep_id(c, zid, have.id, OUT_CURRENT, why);
		goto out;
	}
	/* An update sends the ttl the record has unless one is set, in
	 * case a PUT without it resets it (undocumented). */
	body = count > 0 ? ionos_build_update(c->data, c->rec->ttl > 0 ?
	    c->rec->ttl : have.ttl) : ionos_build_create(c->rec->name,
	    c->type, c->data, c->rec->ttl);
	if (body == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = ionos_write(c, zid, count > 0 ? have.id : NULL, body, &gone,
	    why);
out:
	json_decref(root);
	ionos_rec_free(&have);
	free(zid);
	free(en);
	free(url);
	free(body);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct ionos	 c;
	enum outcome	 out;
	int		 r;

	*why = NULL;
	if ((out = ionos_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
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
	struct ionos	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (ionos_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_ionos = {
	.name = "ionos",
	.keys = keys,
	.push = push,
	.check = check,
};
