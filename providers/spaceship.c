/*
 * spaceship: Spaceship (spaceship.com) DNS records API v1.
 * https://docs.spaceship.dev/ (DNS records: list, save, delete)
 *
 * Vendor facts, and where they come from:
 * - Confirmed in docs.spaceship.dev: base https://spaceship.dev/api/v1;
 *   every call carries the headers X-API-Key and X-API-Secret, unencoded;
 *   the key's permissions are dnsrecords:read and dnsrecords:write; list
 *   calls take the required query parameters take= and skip=; DNS record
 *   calls are rate limited per user (300 requests in 300 seconds).
 * - Confirmed in Spaceship's own Terraform provider
 *   (namecheap/terraform-provider-spaceship): GET /dns/records/{domain}
 *   answers {"items":[...],"total":n} and takes up to take=500; PUT
 *   /dns/records/{domain} {"force":..,"items":[...]} answers 204 and is an
 *   UPSERT matching type + name + data (case-insensitive): a record with
 *   the same address only gets its ttl set, a new address ADDS a record
 *   and leaves the old one (PUT never deletes); DELETE
 *   /dns/records/{domain} takes a JSON array of the records to remove;
 *   429 carries Retry-After in seconds.
 * - Seen in public clients (qdm12/ddns-updater, acme.sh), not in the
 *   docs: errors are {"detail":"...","data":[{"field","details"}]}; a
 *   domain without Spaceship DNS answers 404 "SOA record for domain
 *   <domain> not found."; the DELETE answers 204.
 * - Assumed (flagged in the code): what "force" does beyond the upsert
 *   (we send true as the documentation's examples do: it lets the save
 *   go through where Spaceship would report a conflict); the ttl 3600
 *   for new records; 404 on a DELETE means "already gone".
 *
 * Quirks handled:
 * - No record ids: a change of address is a PUT of the new record and
 *   then a DELETE of the old one (new first, so the name never goes
 *   empty). Other records of the same name and type are left alone: with
 *   two A records, the first one holding another address is replaced and
 *   a warning names the rest. The state keeps "<domain>/<name>" and the
 *   address, so a later change is PUT + DELETE with no lookup.
 * - Zone: the record's "zone", else the longest suffix of the name with
 *   two labels or more that GET /dns/records/{suffix}?take=1&skip=0
 *   answers (404: not on this account); answers are cached for the run.
 * - The list is read page by page (take=500) until "total" is reached.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "spaceship.h"

#define SS_ENDPOINT	"https://spaceship.dev/api/v1"
#define SS_TTL		3600	/* new records, none set (assumed default) */
#define SS_TAKE		500	/* the list's page size (Terraform client) */
#define SS_PAGES	40	/* at most 20000 records read */
#define SS_WAIT_429	300	/* the documented rate-limit window */
#define SS_MSG_MAX	400
#define SS_HINT_401	"check key and secret: an API key and its secret " \
	"from Spaceship's API Manager, " \
	"https://www.spaceship.com/application/api-manager/"
#define SS_HINT_403	"the API key lacks a permission: it needs " \
	"dnsrecords:read and dnsrecords:write (API Manager, edit the key)"

static const struct provider_key keys[] = {
	{ "endpoint",	0 },
	{ "key",	KEY_REQUIRED | KEY_SECRET },
	{ "secret",	KEY_REQUIRED | KEY_SECRET },
	{ NULL,		0 }
};

/* One push in progress. */
struct ssp {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;
	const char		*data;
	char			*hkey;		/* the X-API-Key header */
	char			*hsecret;	/* the X-API-Secret header */
	char			*base;		/* endpoint, no trailing '/' */
	char			*label;		/* "spaceship: name A" */
	long			 status;	/* of the last answer, or 0 */
};

/* ---- pure parts --------------------------------------------------------- */

/* 1 if status is a 2xx, else 0. */
static int
is2xx(long status)
{
	return status >= 200 && status < 300;
}

/* Append Spaceship's "detail" and the "data" items' field/details of
 * root (may be NULL) to buf; 1 if there was any, else 0. */
static int
append_detail(char *buf, size_t sz, json_t *root)
{
	json_t		*data, *d;
	const char	*detail = NULL, *field, *details;
	size_t		 i;
	int		 any = 0;

	if (root == NULL)
		return 0;
	json_unpack(root, "{s?:s}", "detail", &detail);
	if (detail != NULL) {
		provider_append(buf, sz, ": ");
		provider_append(buf, sz, detail);
		any = 1;
	}
	data = json_object_get(root, "data");
	json_array_foreach(data, i, d) {
		field = details = NULL;
		json_unpack(d, "{s?:s, s?:s}", "field", &field, "details",
		    &details);
		if (details == NULL)
			continue;
		provider_append(buf, sz, any ? "; " : ": ");
		if (field != NULL && *field != '\0') {
			provider_append(buf, sz, field);
			provider_append(buf, sz, ": ");
		}
		provider_append(buf, sz, details);
		any = 1;
	}
	return any;
}

/* Read a reply; see spaceship.h. */
enum outcome
ss_reply(long status, const char *body, json_t **rootp, char **why)
{
	json_t		*root = NULL;
	json_error_t	 jerr;
	const char	*hint = NULL;
	char		 buf[SS_MSG_MAX] = "";
	enum outcome	 out;
	int		 empty;

	*rootp = NULL;
	*why = NULL;
	empty = body == NULL || body[strspn(body, " \t\r\n")] == '\0';
	if (is2xx(status) && empty)
		return OUT_CURRENT;
	if (!empty)
		root = json_loads(body, 0, &jerr);
	if (root != NULL && !json_is_object(root)) {
		snprintf(jerr.text, sizeof(jerr.text), "not a JSON object");
		json_decref(root);
		root = NULL;
	}
	if (is2xx(status)) {
		if (root != NULL) {
			*rootp = root;
			return OUT_CURRENT;
		}
		provider_append(buf, sizeof(buf), jerr.text);
		*why = xasprintf("HTTP %ld: not a Spaceship API reply: %s",
		    status, buf);
		return OUT_PROTOCOL;
	}
	out = provider_status_outcome(status);
	snprintf(buf, sizeof(buf), "HTTP %ld", status);
	if (!append_detail(buf, sizeof(buf), root))
		provider_append(buf, sizeof(buf), " (no Spaceship error in the "
		    "reply)");
	if (status == 401)
		hint = SS_HINT_401;
	else if (status == 403)
		hint = SS_HINT_403;
	json_decref(root);
	*why = hint != NULL ? xasprintf("%s (%s)", buf, hint) :
	    xasprintf("%s", buf);
	return out;
}

/* 1 if the two address texts name the same address, else 0. */
static int
same_address(const char *a, const char *b)
{
	struct addr	 x, y;

	if (addr_parse(a, FAM_MAX, &x) == 0 && addr_parse(b, FAM_MAX, &y) == 0)
		return addr_equal(&x, &y);
	return strcasecmp(a, b) == 0;
}

/* Free what an ss_seen holds and zero it; NULL is a no-op. */
void
ss_seen_free(struct ss_seen *s)
{
	if (s == NULL)
		return;
	free(s->other);
	memset(s, 0, sizeof(*s));
}

/* Add one list page; see spaceship.h. */
int
ss_parse_page(json_t *root, const char *rel, const char *type,
    const char *addr, struct ss_seen *seen, char **why)
{
	json_t		*items, *r, *jt;
	const char	*n, *t, *a;
	long		 ttl;
	size_t		 i;

	*why = NULL;
	items = json_object_get(root, "items");
	if (!json_is_array(items)) {
		*why = xasprintf("no \"items\" array in the reply");
		return -1;
	}
	jt = json_object_get(root, "total");
	seen->total = json_is_integer(jt) && json_integer_value(jt) >= 0 ?
	    (long)json_integer_value(jt) : -1;
	json_array_foreach(items, i, r) {
		if (json_unpack(r, "{s:s, s:s}", "name", &n, "type", &t) ==
		    -1) {
			*why = xasprintf("record %zu lacks name or type",
			    seen->items + i);
			return -1;
		}
		if (strcasecmp(t, type) != 0 || strcasecmp(n, rel) != 0)
			continue;
		a = json_string_value(json_object_get(r, "address"));
		if (a == NULL) {
			*why = xasprintf("%s record %zu has no address", t,
			    seen->items + i);
			return -1;
		}
		jt = json_object_get(r, "ttl");
		ttl = json_is_integer(jt) ? (long)json_integer_value(jt) : 0;
		seen->count++;
		if (same_address(a, addr)) {
			if (!seen->current)
				seen->cur_ttl = ttl;
			seen->current = 1;
		} else if (seen->other == NULL) {
			if ((seen->other = strdup(a)) == NULL) {
				*why = xasprintf("out of memory");
				return -1;
			}
			seen->other_ttl = ttl;
		}
	}
	seen->items += json_array_size(items);
	return 0;
}

/* The PUT body; see spaceship.h. */
char *
ss_build_put(const char *type, const char *rel, const char *addr, long ttl)
{
	json_t	*o;
	char	*s;

	/* "force": true as the documentation's examples send it (assumed:
	 * it overrides Spaceship's conflict check; it does not make the
	 * upsert replace records of the same name and type). */
	o = json_pack("{s:b, s:[{s:s, s:s, s:s, s:I}]}", "force", 1, "items",
	    "type", type, "name", rel, "address", addr, "ttl",
	    (json_int_t)(ttl > 0 ? ttl : SS_TTL));
	if (o == NULL)
		return NULL;
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

/* The DELETE body; see spaceship.h. */
char *
ss_build_delete(const char *type, const char *rel, const char *addr)
{
	json_t	*o;
	char	*s;

	o = json_pack("[{s:s, s:s, s:s}]", "type", type, "name", rel,
	    "address", addr);
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
fail(struct ssp *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label :
	    "spaceship", inner != NULL ? inner : "out of memory");
	free(inner);
	if (c->status == 429 && c->ctx->retry_after <= 0)
		c->ctx->retry_after = SS_WAIT_429;
	return out;
}

/* Set *h to the header "name: value" for the credential key (malloc'd);
 * OUT_CURRENT, or an error outcome with *why. */
static enum outcome
cred_header(struct ssp *c, const char *key, const char *name, char **h,
    char **why)
{
	const char	*v = rec_str(c->rec, key);

	if (v == NULL || *v == '\0' || provider_has_ctl(v))
		return fail(c, OUT_CONFIG, xasprintf("%s is empty or has a "
		    "control character", key), why);
	if ((*h = xasprintf("%s: %s", name, v)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	return OUT_CURRENT;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
ssp_init(struct ssp *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	char		*inner = NULL;
	enum outcome	 out;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->data = addr->text;
	if ((c->label = xasprintf("spaceship: %s %s", rec->name,
	    c->type)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((out = cred_header(c, "key", "X-API-Key", &c->hkey,
	    why)) != OUT_CURRENT || (out = cred_header(c, "secret",
	    "X-API-Secret", &c->hsecret, why)) != OUT_CURRENT)
		return out;
	if ((c->base = provider_base_url(rec_str(rec, "endpoint"),
	    SS_ENDPOINT, &inner)) == NULL)
		return fail(c, inner != NULL ? OUT_CONFIG : OUT_TEMPFAIL,
		    inner, why);
	if (strchr(rec->name, '.') == NULL)
		return fail(c, OUT_CONFIG, xasprintf("\"%s\" has no domain: "
		    "a Spaceship domain has two labels or more", rec->name),
		    why);
	return OUT_CURRENT;
}

/* Wipe and free what ssp_init() allocated. */
static void
cleanup(struct ssp *c)
{
	if (c->hkey != NULL)
		explicit_bzero(c->hkey, strlen(c->hkey));
	if (c->hsecret != NULL)
		explicit_bzero(c->hsecret, strlen(c->hsecret));
	free(c->hkey);
	free(c->hsecret);
	free(c->base);
	free(c->label);
}

/*
 * Send method url with the JSON body (or none). OUT_CURRENT with *root
 * (caller json_decref()s; NULL after a 204); else an error outcome with
 * *why (404 included: c->status tells).
 */
static enum outcome
ssp_call(struct ssp *c, const char *method, const char *url,
    const char *body, json_t **root, char **why)
{
	struct http_resp resp;
	const char	*hdrs[3];
	char		*inner = NULL;
	enum outcome	 out;

	*root = NULL;
	hdrs[0] = c->hkey;
	hdrs[1] = c->hsecret;
	hdrs[2] = NULL;
	c->status = 0;
	if ((out = provider_json_send(c->label, c->rec, c->ctx, method, url,
	    hdrs, NULL, body, &resp, why)) != OUT_CURRENT)
		return out;
	c->status = resp.status;
	out = ss_reply(resp.status, resp.body, root, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT)
		out = fail(c, out, inner, why);
	return out;
}

/* The records URL of domain, with query q appended when not NULL;
 * malloc'd, NULL when out of memory. */
static char *
records_url(struct ssp *c, const char *domain, const char *q)
{
	char	*e, *url;

	if ((e = http_pctenc(domain)) == NULL)
		return NULL;
	url = xasprintf("%s/dns/records/%s%s%s", c->base, e, q != NULL ?
	    "?" : "", q != NULL ? q : "");
	free(e);
	return url;
}

/*
 * Whether Spaceship holds DNS records for the domain cand (a
 * provider_zone_fn): OUT_CURRENT with *val the name (malloc'd) or NULL
 * when it answers 404, else an error outcome with *why.
 */
static enum outcome
domain_known(void *arg, const char *cand, char **val, char **why)
{
	struct ssp	*c = arg;
	json_t		*root = NULL;
	char		*url;
	enum outcome	 out;

	*val = NULL;
	if ((url = records_url(c, cand, "take=1&skip=0")) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	out = ssp_call(c, "GET", url, NULL, &root, why);
	free(url);
	if (out != OUT_CURRENT && c->status == 404) {
		log_info("%s: domain %s: not on this account (%s)", c->label,
		    cand, *why);
		free(*why);
		*why = NULL;
		return OUT_CURRENT;
	}
	if (out != OUT_CURRENT)
		return out;
	if (root == NULL || !json_is_array(json_object_get(root, "items"))) {
		json_decref(root);
		return fail(c, OUT_PROTOCOL, xasprintf("GET /dns/records/%s: "
		    "no \"items\" array in the reply", cand), why);
	}
	json_decref(root);
	log_info("%s: domain %s: found", c->label, cand);
	if ((*val = strdup(cand)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	return OUT_CURRENT;
}

/*
 * The domain the record lives in: the configured zone, else the longest
 * suffix of the name Spaceship has. OUT_CURRENT with *zone (malloc'd,
 * caller frees), else an outcome with *why.
 */
static enum outcome
find_zone(struct ssp *c, char **zone, char **why)
{
	struct zone_walk w;
	enum outcome	 out;
	char		*pfx, *val;

	memset(&w, 0, sizeof(w));
	w.label = c->label;
	w.what = "Spaceship domain";
	w.hint = "the domain must be on this Spaceship account and use "
	    "Spaceship DNS, or set \"zone\"";
	w.lookup = domain_known;
	w.arg = c;
	if ((w.cachepfx = pfx = xasprintf("spaceship:%s", c->base)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	out = provider_find_zone(c->ctx, c->rec, &w, zone, &val, why);
	free(pfx);
	free(val);
	return out;
}

/* Remember "<zone>/<rel>" as the record's id; OUT_CURRENT, or
 * OUT_TEMPFAIL with *why when out of memory. */
static enum outcome
remember(struct ssp *c, const char *zone, const char *rel, char **why)
{
	free(c->ctx->new_record_id);
	if ((c->ctx->new_record_id = xasprintf("%s/%s", zone, rel)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	return OUT_CURRENT;
}

/*
 * PUT the address record rel in zone with ttl, then, when old is not
 * NULL, DELETE the record holding old. OUT_UPDATED, or an error outcome
 * with *why; *gone is set when the PUT answers 404.
 */
static enum outcome
replace(struct ssp *c, const char *zone, const char *rel, long ttl,
    const char *old, int *gone, char **why)
{
	json_t		*root = NULL;
	char		*url = NULL, *body = NULL, *m;
	size_t		 ll;
	enum outcome	 out;

	*gone = 0;
	if ((url = records_url(c, zone, NULL)) == NULL ||
	    (body = ss_build_put(c->type, rel, c->data, ttl)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	log_info("%s: saving %s", c->label, body);
	if ((out = ssp_call(c, "PUT", url, body, &root, why)) !=
	    OUT_CURRENT) {
		*gone = c->status == 404;
		goto out;
	}
	json_decref(root);
	root = NULL;
	free(body);
	body = NULL;
	if (old != NULL) {
		if ((body = ss_build_delete(c->type, rel, old)) == NULL) {
			out = fail(c, OUT_TEMPFAIL, NULL, why);
			goto out;
		}
		log_info("%s: deleting %s", c->label, body);
		out = ssp_call(c, "DELETE", url, body, &root, why);
		/* Assumed: 404 is "no such record", already gone. */
		if (out != OUT_CURRENT && c->status == 404) {
			log_info("%s: %s was already gone", c->label, old);
			free(*why);
			*why = NULL;
			out = OUT_CURRENT;
		}
		if (out != OUT_CURRENT) {
			/* The new record is in; say the old one stayed. */
			m = *why;
			ll = strlen(c->label);
			if (strncmp(m, c->label, ll) == 0 && m[ll] == ':')
				m += ll + 2;
			out = fail(c, out, xasprintf("%s added, but deleting "
			    "%s failed: %s", c->data, old, m), why);
			goto out;
		}
	}
	if ((out = remember(c, zone, rel, why)) == OUT_CURRENT)
		out = OUT_UPDATED;
out:
	json_decref(root);
	free(url);
	free(body);
	return out;
}

/*
 * The update through the state, no lookup: PUT the new address and
 * DELETE the one the state says the record held. OUT_UPDATED or an error
 * outcome with *why; or -1, nothing set, when the stored id does not fit
 * the configuration or the domain answers 404 (look it up again).
 */
static int
update_known(struct ssp *c, char **why)
{
	const char	*slash, *sid = c->ctx->record_id;
	char		*zone = NULL, *rel = NULL;
	size_t		 nl, zl;
	enum outcome	 out;
	int		 gone, ret = -1;

	if ((slash = strchr(sid, '/')) == NULL || slash == sid ||
	    slash[1] == '\0')
		return -1;
	if ((zone = strndup(sid, slash - sid)) == NULL)
		return -1;
	/* A zone changed in the configuration wins over the state, and
	 * the stored domain and name must still be the record's. */
	if (c->rec->zone != NULL && strcasecmp(c->rec->zone, zone) != 0)
		goto out;
	nl = strlen(c->rec->name);
	zl = strlen(zone);
	if (nl < zl || strcasecmp(c->rec->name + nl - zl, zone) != 0 ||
	    (nl > zl && c->rec->name[nl - zl - 1] != '.'))
		goto out;
	if ((rel = provider_relative(c->rec->name, zone, "@")) == NULL ||
	    strcasecmp(rel, slash + 1) != 0)
		goto out;
	out = replace(c, zone, rel, c->rec->ttl, c->ctx->address, &gone,
	    why);
	if (out != OUT_UPDATED && gone) {
		log_info("%s: domain %s answers 404; looking it up", c->label,
		    zone);
		free(*why);
		*why = NULL;
		goto out;
	}
	ret = out;
out:
	free(zone);
	free(rel);
	return ret;
}

/*
 * Read every page of the records of zone into *seen (caller
 * ss_seen_free()s). OUT_CURRENT, or an error outcome with *why.
 */
static enum outcome
list_records(struct ssp *c, const char *zone, const char *rel,
    struct ss_seen *seen, char **why)
{
	json_t		*root;
	char		*q, *url, *inner;
	size_t		 page, before;
	enum outcome	 out;

	memset(seen, 0, sizeof(*seen));
	for (page = 0; page < SS_PAGES; page++) {
		if ((q = xasprintf("take=%d&skip=%zu", SS_TAKE,
		    seen->items)) == NULL)
			return fail(c, OUT_TEMPFAIL, NULL, why);
		url = records_url(c, zone, q);
		free(q);
		if (url == NULL)
			return fail(c, OUT_TEMPFAIL, NULL, why);
		out = ssp_call(c, "GET", url, NULL, &root, why);
		free(url);
		if (out != OUT_CURRENT)
			return out;
		before = seen->items;
		if (root == NULL || ss_parse_page(root, rel, c->type, c->data,
		    seen, &inner) == -1) {
			json_decref(root);
			return fail(c, OUT_PROTOCOL, root == NULL ?
			    xasprintf("HTTP %ld: empty record list",
			    c->status) : inner, why);
		}
		json_decref(root);
		if (seen->items == before || seen->total < 0 ||
		    seen->items >= (size_t)seen->total)
			return OUT_CURRENT;
	}
	log_warnx("%s: more than %d records in %s; read the first %zu",
	    c->label, SS_TAKE * SS_PAGES, zone, seen->items);
	return OUT_CURRENT;
}

/*
 * Find the record by name and type and create it, replace the address,
 * set the configured ttl, or find it current. The outcome, with *why on
 * failure.
 */
static enum outcome
update_lookup(struct ssp *c, char **why)
{
	struct ss_seen	 seen;
	char		*zone = NULL, *rel = NULL;
	long		 ttl = c->rec->ttl;
	enum outcome	 out;
	int		 gone;

	memset(&seen, 0, sizeof(seen));
	if ((out = find_zone(c, &zone, why)) != OUT_CURRENT)
		goto out;
	if ((rel = provider_relative(c->rec->name, zone, "@")) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = list_records(c, zone, rel, &seen, why)) != OUT_CURRENT)
		goto out;
	if (seen.current) {
		if (seen.count > 1)
			log_warnx("%s: %zu records of that name and type; "
			    "the others are left alone", c->label,
			    seen.count);
		if (ttl <= 0 || ttl == seen.cur_ttl) {
			log_info("%s: %s already holds %s", c->label, rel,
			    c->data);
			out = remember(c, zone, rel, why);
			goto out;
		}
		/* Same address: the upsert only sets the ttl. */
		out = replace(c, zone, rel, ttl, NULL, &gone, why);
		goto out;
	}
	if (seen.count > 1)
		log_warnx("%s: %zu records of that name and type; replacing "
		    "%s only", c->label, seen.count, seen.other);
	if (ttl <= 0 && seen.other != NULL)
		ttl = seen.other_ttl;	/* keep the replaced record's */
	out = replace(c, zone, rel, ttl, seen.other, &gone, why);
out:
	ss_seen_free(&seen);
	free(zone);
	free(rel);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct ssp	 c;
	struct addr	 old;
	enum outcome	 out;
	int		 r;

	*why = NULL;
	if ((out = ssp_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	/* Without a known old address (first run, forced, stale) we look
	 * and compare: the upsert alone would add a second record. */
	if (ctx->record_id != NULL && ctx->address != NULL &&
	    strcmp(ctx->address, addr->text) != 0 &&
	    addr_parse(ctx->address, addr->fam, &old) == 0 &&
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
	struct ssp	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (ssp_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_spaceship = {
	.name = "spaceship",
	.keys = keys,
	.push = push,
	.check = check,
};
