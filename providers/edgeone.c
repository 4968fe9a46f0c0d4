/*
 * edgeone: Tencent Cloud EdgeOne (TEO) DNS records, API version 2022-09-01.
 * https://cloud.tencent.com/document/api/1552/80713 (DescribeZones),
 * https://cloud.tencent.com/document/api/1552/80716 (DescribeDnsRecords),
 * https://cloud.tencent.com/document/api/1552/80720 (CreateDnsRecord),
 * https://cloud.tencent.com/document/api/1552/114252 (ModifyDnsRecords),
 * https://cloud.tencent.com/document/api/1552/80725 (TC3-HMAC-SHA256)
 *
 * Quirks handled:
 * - The same TC3-HMAC-SHA256 signing, headers and {"Response":{...}}
 *   replies as DNSPod API 3.0, service "teo": the call, the reply reader
 *   and the endpoint parser are tencentcloud.c's (tc_api_call()).
 * - Records belong to a site (zone) known by its ZoneId ("zone-..."),
 *   found once per run with DescribeZones filtered by zone-name.
 * - Record names are full names ("home.example.com"; the apex is the
 *   zone's own name), not relative ones; we send them in lower case.
 * - The line is "Location", default "Default".
 * - RecordIds are strings ("record-..."); ModifyDnsRecords needs the
 *   ZoneId too, so the state keeps "ZoneId/RecordId" and an address
 *   change is one call. A record deleted by hand (ResourceNotFound*)
 *   makes us look it up again.
 * - DescribeDnsRecords filters are checked again here (name, type,
 *   location).
 * Not confirmed from the vendor's documents (flagged): the error codes
 * for a duplicate record and for an unknown RecordId, which are matched
 * loosely ("*AlreadyExist*", "*Duplicate*"; "ResourceNotFound*",
 * "*RecordNotFound*"), and whether ModifyDnsRecords keeps the TTL when
 * it is left out (we always send the record's own on the lookup path).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "tencentcloud.h"
#include "edgeone.h"

#define EO_ENDPOINT	"https://teo.tencentcloudapi.com"
#define EO_SERVICE	"teo"
#define EO_VERSION	"2022-09-01"
#define EO_LOCATION	"Default"
#define EO_PERM		" (the CAM user of this SecretId lacks permission: " \
	"grant it the QcloudTEOFullAccess policy, or teo:DescribeZones, " \
	"teo:DescribeDnsRecords, teo:CreateDnsRecord and " \
	"teo:ModifyDnsRecords)"

static const struct provider_key keys[] = {
	{ "endpoint",	0 },
	{ "line",	0 },
	{ "region",	0 },
	{ "secret_id",	KEY_REQUIRED },
	{ "secret_key",	KEY_REQUIRED | KEY_SECRET },
	{ NULL,		0 }
};

/* One push in progress. */
struct eo {
	const struct record	*rec;
	struct push_ctx		*ctx;
	struct tc_api		 api;
	const char		*location;	/* configured, or EO_LOCATION */
	const char		*type;		/* "A" / "AAAA" */
	const char		*value;		/* the address */
	char			*url;
	char			*host;
	char			*label;		/* "edgeone: name A" */
	char			*zone;
	char			*name;		/* full name, lower case */
	char			*code;		/* last error code, or NULL */
};

/* ---- pure parts --------------------------------------------------------- */

/* o as compact JSON (malloc'd; NULL on ENOMEM); consumes o. */
static char *
dump(json_t *o)
{
	char	*s;

	if (o == NULL)
		return NULL;
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

/* The DescribeZones body; see edgeone.h. */
char *
eo_body_zones(const char *zone)
{
	return dump(json_pack("{s:[{s:s, s:[s]}]}", "Filters", "Name",
	    "zone-name", "Values", zone));
}

/* The DescribeDnsRecords body; see edgeone.h. */
char *
eo_body_list(const char *zone_id, const char *name, const char *type)
{
	return dump(json_pack("{s:s, s:[{s:s, s:[s]}, {s:s, s:[s]}], s:i}",
	    "ZoneId", zone_id, "Filters", "Name", "name", "Values", name,
	    "Name", "type", "Values", type, "Limit", 1000));
}

/* The record fields of a write (object, or NULL on ENOMEM). */
static json_t *
record_fields(const char *rid, const char *name, const char *type,
    const char *content, const char *location, long ttl)
{
	json_t	*o;

	o = rid != NULL ? json_pack("{s:s}", "RecordId", rid) : json_object();
	if (o == NULL || json_object_set_new(o, "Name", json_string(name)) ||
	    json_object_set_new(o, "Type", json_string(type)) ||
	    json_object_set_new(o, "Content", json_string(content)) ||
	    json_object_set_new(o, "Location", json_string(location)) ||
	    (ttl > 0 && json_object_set_new(o, "TTL", json_integer(ttl)))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The CreateDnsRecord body; see edgeone.h. */
char *
eo_body_create(const char *zone_id, const char *name, const char *type,
    const char *content, const char *location, long ttl)
{
	json_t	*f, *o;

	if ((f = record_fields(NULL, name, type, content, location, ttl)) ==
	    NULL)
		return NULL;
	if ((o = json_pack("{s:s}", "ZoneId", zone_id)) == NULL ||
	    json_object_update(o, f) == -1) {
		json_decref(f);
		json_decref(o);
		return NULL;
	}
	json_decref(f);
	return dump(o);
}

/* The ModifyDnsRecords body; see edgeone.h. */
char *
eo_body_modify(const char *zone_id, const char *record_id, const char *name,
    const char *type, const char *content, const char *location, long ttl)
{
	json_t	*f;

	if ((f = record_fields(record_id, name, type, content, location,
	    ttl)) == NULL)
		return NULL;
	return dump(json_pack("{s:s, s:[o]}", "ZoneId", zone_id, "DnsRecords",
	    f));
}

/* 1 if s is a usable id; see edgeone.h. */
int
eo_id_ok(const char *s)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '_')
			return 0;
	return i > 0 && i < 64;
}

/* Split a stored id; see edgeone.h. */
int
eo_split_id(const char *stored, char **zone_id, char **record_id)
{
	const char	*slash;

	*zone_id = *record_id = NULL;
	if ((slash = strchr(stored, '/')) == NULL)
		return -1;
	if ((*zone_id = strndup(stored, slash - stored)) == NULL ||
	    (*record_id = strdup(slash + 1)) == NULL ||
	    !eo_id_ok(*zone_id) || !eo_id_ok(*record_id)) {
		free(*zone_id);
		free(*record_id);
		*zone_id = *record_id = NULL;
		return -1;
	}
	return 0;
}

/* Find a zone's ZoneId; see edgeone.h. */
int
eo_parse_zones(json_t *response, const char *zone, char **zone_id,
    char **why)
{
	json_t		*list, *z;
	const char	*id, *name;
	size_t		 i;

	*zone_id = NULL;
	*why = NULL;
	list = json_object_get(response, "Zones");
	if (list == NULL || json_is_null(list))
		return 0;
	if (!json_is_array(list)) {
		*why = xasprintf("Zones is not an array");
		return -1;
	}
	json_array_foreach(list, i, z) {
		if (json_unpack_ex(z, NULL, 0, "{s:s, s:s}", "ZoneId", &id,
		    "ZoneName", &name) == -1) {
			*why = xasprintf("zone %zu lacks ZoneId or ZoneName",
			    i);
			return -1;
		}
		if (strcasecmp(name, zone) != 0)
			continue;
		if (!eo_id_ok(id)) {
			*why = xasprintf("zone %s has no usable ZoneId", zone);
			return -1;
		}
		if ((*zone_id = strdup(id)) == NULL) {
			*why = xasprintf("out of memory");
			return -1;
		}
		return 0;
	}
	return 0;
}

/* Free what an eo_rec holds and zero it; NULL is a no-op. */
void
eo_rec_free(struct eo_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->content);
	free(r->location);
	memset(r, 0, sizeof(*r));
}

/* Parse a record list; see edgeone.h. */
int
eo_parse_list(json_t *response, const char *name, const char *type,
    const char *location, struct eo_rec *have, size_t *count, char **why)
{
	json_t		*list, *r, *ttl;
	const char	*id, *n, *t, *content, *l;
	size_t		 i;

	memset(have, 0, sizeof(*have));
	*count = 0;
	*why = NULL;
	list = json_object_get(response, "DnsRecords");
	if (list == NULL || json_is_null(list))
		return 0;
	if (!json_is_array(list)) {
		*why = xasprintf("DnsRecords is not an array");
		return -1;
	}
	json_array_foreach(list, i, r) {
		ttl = NULL;
		l = NULL;
		if (json_unpack_ex(r, NULL, 0, "{s:s, s:s, s:s, s:s, s?:s, "
		    "s?:o}", "RecordId", &id, "Name", &n, "Type", &t,
		    "Content", &content, "Location", &l, "TTL", &ttl) == -1) {
			*why = xasprintf("record %zu lacks RecordId, Name, "
			    "Type or Content", i);
			goto bad;
		}
		if (strcasecmp(n, name) != 0 || strcmp(t, type) != 0 ||
		    strcasecmp(l != NULL ? l : EO_LOCATION, location) != 0)
			continue;
		if ((*count)++ > 0)
			continue;
		if (!eo_id_ok(id)) {
			*why = xasprintf("record %zu has no usable RecordId",
			    i);
			goto bad;
		}
		if ((have->id = strdup(id)) == NULL ||
		    (have->content = strdup(content)) == NULL ||
		    (l != NULL && (have->location = strdup(l)) == NULL)) {
			*why = xasprintf("out of memory");
			goto bad;
		}
		have->ttl = json_is_integer(ttl) ?
		    (long)json_integer_value(ttl) : 0;
	}
	return 0;
bad:
	eo_rec_free(have);
	*count = 0;
	return -1;
}

/* The RecordId of a CreateDnsRecord; see edgeone.h. */
char *
eo_parse_id(json_t *response, char **why)
{
	json_t	*v;
	char	*id = NULL;

	*why = NULL;
	v = json_object_get(response, "RecordId");
	if (!json_is_string(v) || !eo_id_ok(json_string_value(v)))
		*why = xasprintf("no usable RecordId in the reply");
	else if ((id = strdup(json_string_value(v))) == NULL)
		*why = xasprintf("out of memory");
	return id;
}

/* ---- talking to the API ------------------------------------------------- */

/* Set *why to inner (malloc'd, consumed; NULL means out of memory)
 * prefixed with the record; returns out. */
static enum outcome
fail(struct eo *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label : "edgeone",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	return out;
}

/* 1 if the last error says the record already exists (a duplicate). */
static int
last_duplicate(const struct eo *c)
{
	return c->code != NULL && (strstr(c->code, "AlreadyExist") != NULL ||
	    strstr(c->code, "Duplicate") != NULL ||
	    strstr(c->code, "RecordExist") != NULL);
}

/* 1 if the last error says the record or zone id is unknown. */
static int
last_gone(const struct eo *c)
{
	return c->code != NULL &&
	    (strncmp(c->code, "ResourceNotFound", 16) == 0 ||
	    strstr(c->code, "RecordNotFound") != NULL ||
	    strstr(c->code, "RecordNotExist") != NULL);
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
eo_init(struct eo *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*ep, *sid, *sk, *region;
	char		*inner = NULL, *sub = NULL, *p;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->value = addr->text;
	sid = rec_str(rec, "secret_id");
	sk = rec_str(rec, "secret_key");
	region = rec_str(rec, "region");
	c->location = rec_str(rec, "line");
	if ((c->label = xasprintf("edgeone: %s %s", rec->name, c->type)) ==
	    NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if (sid == NULL || sk == NULL || *sid == '\0' || *sk == '\0' ||
	    provider_has_ctl(sid) || provider_has_ctl(sk) ||
	    strchr(sid, '/') != NULL)
		return fail(c, OUT_CONFIG, xasprintf("secret_id and secret_key "
		    "must be set, without control characters"), why);
	if (region != NULL && (*region == '\0' || provider_has_ctl(region)))
		return fail(c, OUT_CONFIG, xasprintf("region is empty or has "
		    "a control character"), why);
	if (c->location != NULL && (*c->location == '\0' ||
	    provider_has_ctl(c->location)))
		return fail(c, OUT_CONFIG, xasprintf("line is empty or has "
		    "a control character"), why);
	if (c->location == NULL)
		c->location = EO_LOCATION;
	if ((ep = rec_str(rec, "endpoint")) == NULL)
		ep = EO_ENDPOINT;
	if (tc_endpoint(ep, &c->host, &c->url) == -1)
		return fail(c, OUT_CONFIG, xasprintf("endpoint \"%s\" is not "
		    "http(s)://host[:port][/]", ep), why);
	if (provider_split_name(rec->name, rec->zone, &c->zone, &sub,
	    &inner) == -1)
		return fail(c, OUT_CONFIG, inner, why);
	c->name = strcmp(sub, "@") == 0 ? strdup(c->zone) :
	    xasprintf("%s.%s", sub, c->zone);
	free(sub);
	if (c->name == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	for (p = c->name; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	for (p = c->zone; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	c->api.label = c->label;
	c->api.url = c->url;
	c->api.host = c->host;
	c->api.service = EO_SERVICE;
	c->api.version = EO_VERSION;
	c->api.region = region;
	c->api.secret_id = sid;
	c->api.secret_key = sk;
	c->api.perm = EO_PERM;
	c->api.insecure = rec_bool(rec, "insecure", 0);
	return OUT_CURRENT;
}

/* Free what eo_init() allocated. */
static void
cleanup(struct eo *c)
{
	free(c->url);
	free(c->host);
	free(c->label);
	free(c->zone);
	free(c->name);
	free(c->code);
}

/*
 * Send action with body (consumed). OUT_CURRENT with *root (caller
 * json_decref()s) and *response borrowed from it; else an error outcome
 * with *why and c->code. An unknown zone or record (ResourceNotFound*)
 * is a configuration error, not a protocol one.
 */
static enum outcome
eo_call(struct eo *c, const char *action, char *body, json_t **root,
    json_t **response, char **why)
{
	char		*inner = NULL;
	enum outcome	 out;

	*root = *response = NULL;
	free(c->code);
	c->code = NULL;
	if (body == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	out = tc_api_call(&c->api, c->ctx, action, body, root, response,
	    &c->code, &inner);
	free(body);
	if (out == OUT_CURRENT) {
		free(inner);
		return out;
	}
	if (out == OUT_PROTOCOL && last_gone(c)) {
		c->ctx->hold = 1;
		out = OUT_CONFIG;
	}
	return fail(c, out, inner, why);
}

/* The ZoneId of c->zone (through the run's cache): OUT_CURRENT with *zid
 * malloc'd (caller frees), else an error outcome with *why. */
static enum outcome
zone_lookup(struct eo *c, char **zid, char **why)
{
	json_t		*root, *resp;
	char		*key, *inner = NULL;
	int		 hit;
	enum outcome	 out;

	*zid = NULL;
	if ((key = xasprintf("edgeone:%s:%s:%s", c->url, c->api.secret_id,
	    c->zone)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((hit = provider_cache_get(c->ctx, key, zid)) == 0) {
		out = eo_call(c, "DescribeZones", eo_body_zones(c->zone), &root,
		    &resp, why);
		if (out != OUT_CURRENT) {
			free(key);
			return out;
		}
		if (eo_parse_zones(resp, c->zone, zid, &inner) == -1) {
			json_decref(root);
			free(key);
			return fail(c, OUT_PROTOCOL, inner, why);
		}
		json_decref(root);
		log_info("%s: zone %s: %s", c->label, c->zone, *zid != NULL ?
		    *zid : "not on this account");
		provider_cache_put(c->ctx, key, *zid);
	}
	free(key);
	if (hit == -1)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if (*zid == NULL) {
		c->ctx->hold = 1;
		return fail(c, OUT_CONFIG, xasprintf("DescribeZones: no site "
		    "\"%s\" in this account (is the domain added to EdgeOne, "
		    "and is \"zone\" right?)", c->zone), why);
	}
	return OUT_CURRENT;
}

/* Remember "zid/rid" as the record's id; OUT_UPDATED, or OUT_TEMPFAIL
 * out of memory. */
static enum outcome
remember(struct eo *c, const char *zid, const char *rid, char **why)
{
	char	*id;

	if ((id = xasprintf("%s/%s", zid, rid)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	free(c->ctx->new_record_id);
	c->ctx->new_record_id = id;
	return OUT_UPDATED;
}

/*
 * CreateDnsRecord in zid (rid NULL) or ModifyDnsRecords rid, with ttl (0:
 * leave out). OUT_UPDATED with the context's new id set; OUT_CURRENT for
 * a duplicate; else an error outcome with *why.
 */
static enum outcome
eo_write(struct eo *c, const char *zid, const char *rid, long ttl,
    char **why)
{
	json_t		*root, *resp;
	char		*nid = NULL, *inner = NULL, *body;
	enum outcome	 out;

	if (rid != NULL)
		body = eo_body_modify(zid, rid, c->name, c->type, c->value,
		    c->location, ttl);
	else
		body = eo_body_create(zid, c->name, c->type, c->value,
		    c->location, ttl);
	out = eo_call(c, rid != NULL ? "ModifyDnsRecords" : "CreateDnsRecord",
	    body, &root, &resp, why);
	if (out != OUT_CURRENT) {
		if (last_duplicate(c)) {
			log_info("%s: %s", c->label, *why);
			free(*why);
			*why = NULL;
			c->ctx->hold = 0;
			return OUT_CURRENT;
		}
		return out;
	}
	if (rid == NULL && (nid = eo_parse_id(resp, &inner)) == NULL) {
		json_decref(root);
		return fail(c, OUT_PROTOCOL, inner, why);
	}
	json_decref(root);
	out = remember(c, zid, rid != NULL ? rid : nid, why);
	free(nid);
	return out;
}

/* Look the record up and create, modify, or find it current. */
static enum outcome
update_lookup(struct eo *c, char **why)
{
	json_t		*root = NULL, *resp = NULL;
	struct eo_rec	 have;
	char		*zid = NULL, *inner = NULL;
	size_t		 count = 0;
	long		 ttl;
	enum outcome	 out;

	memset(&have, 0, sizeof(have));
	if ((out = zone_lookup(c, &zid, why)) != OUT_CURRENT)
		return out;
	out = eo_call(c, "DescribeDnsRecords", eo_body_list(zid, c->name,
	    c->type), &root, &resp, why);
	if (out != OUT_CURRENT)
		goto out;
	if (eo_parse_list(resp, c->name, c->type, c->location, &have, &count,
	    &inner) == -1) {
		json_decref(root);
		out = fail(c, OUT_PROTOCOL, inner, why);
		goto out;
	}
	json_decref(root);
	if (count > 1)
		log_warnx("%s: %zu records on location %s; updating %s only",
		    c->label, count, c->location, have.id);
	if (count == 0) {
		out = eo_write(c, zid, NULL, c->rec->ttl, why);
		goto out;
	}
	if (strcmp(have.content, c->value) == 0 &&
	    (c->rec->ttl <= 0 || c->rec->ttl == have.ttl)) {
		log_info("%s: record %s already holds %s", c->label, have.id,
		    c->value);
		if (remember(c, zid, have.id, why) != OUT_UPDATED)
			out = OUT_TEMPFAIL;
		else
			out = OUT_CURRENT;
		goto out;
	}
	ttl = c->rec->ttl > 0 ? c->rec->ttl : have.ttl;
	out = eo_write(c, zid, have.id, ttl, why);
out:
	eo_rec_free(&have);
	free(zid);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct eo	 c;
	char		*zid = NULL, *rid = NULL;
	enum outcome	 out;

	*why = NULL;
	if ((out = eo_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	/* The state knows the ids and the record held another address: one
	 * ModifyDnsRecords. When it should hold addr already (forced,
	 * stale), look and compare: never write an unchanged value. */
	if (ctx->record_id != NULL && ctx->address != NULL &&
	    strcmp(ctx->address, addr->text) != 0 &&
	    eo_split_id(ctx->record_id, &zid, &rid) == 0) {
		out = eo_write(&c, zid, rid, rec->ttl, why);
		if (out == OUT_CURRENT || out == OUT_UPDATED || !last_gone(&c))
			goto out;
		log_info("%s: record %s is gone (%s); looking it up", c.label,
		    ctx->record_id, *why);
		free(*why);
		*why = NULL;
		ctx->hold = 0;
	}
	out = update_lookup(&c, why);
out:
	free(zid);
	free(rid);
	cleanup(&c);
	return out;
}

/* NULL if rec can be pushed as configured, else why not (malloc'd). */
static char *
check(const struct record *rec)
{
	struct eo	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (eo_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_edgeone = {
	.name = "edgeone",
	.keys = keys,
	.push = push,
	.check = check,
};
