/*
 * esa: Alibaba Cloud ESA (Edge Security Acceleration, 边缘安全加速) DNS
 * records, OpenAPI version 2024-09-10.
 * https://help.aliyun.com/zh/edge-security-acceleration/esa/api-esa-2024-09-10-createrecord
 * https://help.aliyun.com/zh/edge-security-acceleration/esa/api-esa-2024-09-10-dir
 * (request shapes checked against aliyun/alibabacloud-python-sdk,
 * esa-20240910: ListSites and ListRecords are GET, CreateRecord and
 * UpdateRecord POST, every parameter in the query, Data a JSON string)
 *
 * Quirks handled:
 * - RPC style, signed with ACS3-HMAC-SHA256 by aliyun.c (the request
 *   builder and signer are shared; only method and version differ).
 * - The zone is an ESA "site": ListSites(SiteName, exact) gives its
 *   SiteId, remembered for the run and, with the record, in the state
 *   file as "SiteId:RecordId" so a later run needs no ListSites.
 * - ESA keeps a name's IPv4 and IPv6 addresses in ONE record of type
 *   "A/AAAA" whose Data.Value is a ','-separated list. An update replaces
 *   only the addresses of the family being pushed and keeps the others,
 *   so every update looks the record up first (ListRecords, exact name)
 *   rather than writing blindly through the stored id.
 * - RecordName is the full name; the apex is the site name itself.
 * - A new record is not proxied unless "proxied" is set (a home address
 *   behind ESA's edge is rarely what DDNS wants); a proxied one needs a
 *   BizName ("biz_name", default "web"). An update sends the record's own
 *   Proxied, BizName and Ttl back unless configured.
 * - Not confirmed from public documents: the error codes ESA uses for
 *   "no such site" and "no such record" (we map unknown codes with a 4xx
 *   to a lookup retry or a protocol error), and whether Value may hold
 *   IPv6 addresses only (the documents say "at least one IPv4 address").
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "aliyun.h"
#include "esa.h"

#define ESA_ENDPOINT	"https://esa.cn-hangzhou.aliyuncs.com"
#define ESA_BIZ		"web"
#define ESA_WAIT	60	/* seconds after throttling without Retry-After */
#define ESA_TYPE	"A/AAAA"
#define ESA_PERM	"the RAM user needs the AliyunESAFullAccess policy, " \
	"or one allowing esa:ListSites, esa:ListRecords, esa:CreateRecord and " \
	"esa:UpdateRecord"
#define ESA_VALUE_MAX	1024	/* a record's Data.Value, bytes */

static const struct provider_key keys[] = {
	{ "access_key_id",	KEY_REQUIRED },
	{ "access_key_secret",	KEY_REQUIRED | KEY_SECRET },
	{ "biz_name",		0 },
	{ "endpoint",		0 },
	{ "proxied",		KEY_BOOL },
	{ NULL,			0 }
};

/* One push in progress. */
struct esa {
	const struct record	*rec;
	const struct addr	*addr;
	struct push_ctx		*ctx;
	const char		*type;		/* "A" / "AAAA", for messages */
	const char		*akid;
	const char		*secret;
	char			*base;		/* scheme://authority */
	char			*host;		/* authority */
	char			*zone;		/* the site name */
	char			*site;		/* SiteId, decimal */
	char			*label;		/* "esa: name A" */
	long			 status;	/* of the last answer, or 0 */
	char			*code;		/* of the last error, or NULL */
};

/* ---- pure parts --------------------------------------------------------- */

/* 1 if s is all digits (1 to 20), else 0. */
static int
digits(const char *s)
{
	size_t	 n;

	for (n = 0; s[n] != '\0'; n++)
		if (!isdigit((unsigned char)s[n]))
			return 0;
	return n > 0 && n <= 20;
}

/* The id in o (a non-negative integer, or a string of digits) as a
 * malloc'd decimal string; NULL if absent, unusable or out of memory. */
static char *
id_copy(json_t *o)
{
	char	 num[32];

	if (json_is_integer(o) && json_integer_value(o) >= 0) {
		snprintf(num, sizeof(num), "%lld",
		    (long long)json_integer_value(o));
		return strdup(num);
	}
	if (json_is_string(o) && digits(json_string_value(o)))
		return strdup(json_string_value(o));
	return NULL;
}

/* Parse ListSites; see esa.h. */
enum outcome
esa_parse_site(long status, const char *body, const char *zone,
    char **site_id, char **code, char **why)
{
	json_t		*root, *list, *o;
	const char	*name;
	size_t		 i;
	enum outcome	 out;

	*site_id = NULL;
	if ((out = aliyun_reply_perm(status, body, &root, code, why,
	    ESA_PERM)) != OUT_CURRENT)
		return out;
	list = json_object_get(root, "Sites");
	if (!json_is_array(list)) {
		o = json_object_get(root, "TotalCount");
		if (!(json_is_integer(o) && json_integer_value(o) == 0)) {
			*why = xasprintf("HTTP %ld: no Sites list in the reply",
			    status);
			out = OUT_PROTOCOL;
		}
		goto out;
	}
	json_array_foreach(list, i, o) {
		if (json_unpack_ex(o, NULL, 0, "{s:s}", "SiteName", &name) ==
		    -1 || strcasecmp(name, zone) != 0)
			continue;
		if ((*site_id = id_copy(json_object_get(o, "SiteId"))) ==
		    NULL) {
			*why = xasprintf("HTTP %ld: site %zu has no usable "
			    "SiteId", status, i);
			out = OUT_PROTOCOL;
		}
		break;
	}
out:
	json_decref(root);
	return out;
}

/* Free what an esa_rec holds and zero it; NULL is a no-op. */
void
esa_rec_free(struct esa_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->type);
	free(r->value);
	free(r->biz);
	memset(r, 0, sizeof(*r));
}

/* 1 if t is an address record type as ESA names them, else 0. */
static int
addr_type(const char *t)
{
	return strcasecmp(t, ESA_TYPE) == 0 || strcasecmp(t, "A") == 0 ||
	    strcasecmp(t, "AAAA") == 0;
}

/* Parse ListRecords; see esa.h. */
enum outcome
esa_parse_records(long status, const char *body, const char *name,
    struct esa_rec *first, size_t *count, char **code, char **why)
{
	json_t		*root, *list, *o, *ttl, *px, *biz;
	const char	*n, *t, *v;
	size_t		 i, nl;
	enum outcome	 out;

	memset(first, 0, sizeof(*first));
	*count = 0;
	if ((out = aliyun_reply_perm(status, body, &root, code, why,
	    ESA_PERM)) != OUT_CURRENT)
		return out;
	list = json_object_get(root, "Records");
	if (!json_is_array(list)) {
		o = json_object_get(root, "TotalCount");
		if (!(json_is_integer(o) && json_integer_value(o) == 0)) {
			*why = xasprintf("HTTP %ld: no Records list in the "
			    "reply", status);
			out = OUT_PROTOCOL;
		}
		goto out;
	}
	nl = strlen(name);
	json_array_foreach(list, i, o) {
		ttl = px = biz = NULL;
		if (json_unpack_ex(o, NULL, 0, "{s:s, s:s, s?:o, s?:o, s?:o}",
		    "RecordName", &n, "RecordType", &t, "Ttl", &ttl,
		    "Proxied", &px, "BizName", &biz) == -1) {
			*why = xasprintf("HTTP %ld: record %zu has no "
			    "RecordName or RecordType", status, i);
			out = OUT_PROTOCOL;
			goto out;
		}
		/* A trailing dot, should one come back, names the same. */
		if (!addr_type(t) || strncasecmp(n, name, nl) != 0 ||
		    (n[nl] != '\0' && strcmp(n + nl, ".") != 0))
			continue;
		if ((*count)++ > 0)
			continue;
		if (json_unpack_ex(o, NULL, 0, "{s:{s:s}}", "Data", "Value",
		    &v) == -1 || (first->id = id_copy(json_object_get(o,
		    "RecordId"))) == NULL) {
			*why = xasprintf("HTTP %ld: record %zu has no usable "
			    "RecordId or Data.Value", status, i);
			out = OUT_PROTOCOL;
			goto out;
		}
		first->type = strdup(t);
		first->value = strdup(v);
		first->biz = json_is_string(biz) && json_string_length(biz) >
		    0 ? strdup(json_string_value(biz)) : NULL;
		first->ttl = json_is_integer(ttl) ?
		    (long)json_integer_value(ttl) : 0;
		first->proxied = json_is_true(px);
		if (first->type == NULL || first->value == NULL) {
			*why = xasprintf("out of memory");
			out = OUT_TEMPFAIL;
			goto out;
		}
	}
out:
	if (out != OUT_CURRENT) {
		esa_rec_free(first);
		*count = 0;
	}
	json_decref(root);
	return out;
}

/* Parse CreateRecord / UpdateRecord; see esa.h. */
enum outcome
esa_parse_write(long status, const char *body, char **id, char **code,
    char **why)
{
	json_t		*root, *o;
	enum outcome	 out;

	*id = NULL;
	if ((out = aliyun_reply_perm(status, body, &root, code, why,
	    ESA_PERM)) != OUT_CURRENT)
		return out;
	if ((o = json_object_get(root, "RecordId")) != NULL &&
	    (*id = id_copy(o)) == NULL) {
		*why = xasprintf("HTTP %ld: no usable RecordId in the reply",
		    status);
		out = OUT_PROTOCOL;
	} else
		out = OUT_UPDATED;
	json_decref(root);
	return out;
}

/* Merge addr into the address list have; see esa.h. */
char *
esa_merge_value(const char *have, const struct addr *addr, int *changed)
{
	struct addr	 a;
	char		 item[64], *out, *p;
	const char	*s, *e;
	size_t		 n, len;
	int		 placed = 0, same = 0, other = 0;

	*changed = 1;
	len = strlen(have) + strlen(addr->text) + 2;
	if ((out = malloc(len)) == NULL)
		return NULL;
	p = out;
	*p = '\0';
	for (s = have; *s != '\0'; s = *e == ',' ? e + 1 : e) {
		e = s + strcspn(s, ",");
		while (s < e && isspace((unsigned char)*s))
			s++;
		n = (size_t)(e - s);
		while (n > 0 && isspace((unsigned char)s[n - 1]))
			n--;
		if (n == 0)
			continue;
		if (n < sizeof(item)) {
			memcpy(item, s, n);
			item[n] = '\0';
		}
		if (n < sizeof(item) && addr_parse(item, addr->fam, &a) == 0) {
			/* Ours: the first becomes addr, the rest go. */
			if (addr_equal(&a, addr))
				same++;
			else
				other++;
			if (placed++ > 0)
				continue;
			s = addr->text;
			n = strlen(addr->text);
		}
		if (p != out)
			*p++ = ',';
		memcpy(p, s, n);
		p += n;
		*p = '\0';
	}
	if (!placed) {
		if (p != out)
			*p++ = ',';
		strcpy(p, addr->text);
	}
	if (same == 1 && other == 0)
		*changed = 0;
	return out;
}

/* ---- talking to the API ------------------------------------------------- */

/* Turn inner (malloc'd, consumed; NULL means out of memory) into *why,
 * prefixed with the record, and default the wait after throttling;
 * returns out. */
static enum outcome
fail(struct esa *x, enum outcome out, char *inner, char **why)
{
	*why = xasprintf("%s: %s", x->label != NULL ? x->label : "esa",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	if (out == OUT_TEMPFAIL && x->ctx->retry_after <= 0 &&
	    (x->status == 429 || (x->code != NULL &&
	    (strcmp(x->code, "Throttling") == 0 ||
	    strncmp(x->code, "Throttling.", 11) == 0))))
		x->ctx->retry_after = ESA_WAIT;
	return out;
}

/* A problem with the configuration itself: held until it changes. */
static enum outcome
fail_config(struct esa *x, char *inner, char **why)
{
	x->ctx->hold = 1;
	return fail(x, OUT_CONFIG, inner, why);
}

/* NULL if rec's own keys are usable, else why not (malloc'd). */
static char *
check_keys(const struct record *rec, char **base, char **host)
{
	const char	*ep, *biz;

	*base = *host = NULL;
	biz = rec_str(rec, "biz_name");
	if (biz != NULL && strcmp(biz, "web") != 0 && strcmp(biz, "api") !=
	    0 && strcmp(biz, "image_video") != 0)
		return xasprintf("biz_name \"%s\" is not web, api or "
		    "image_video", biz);
	if ((ep = rec_str(rec, "endpoint")) == NULL)
		ep = ESA_ENDPOINT;
	if (aliyun_endpoint(ep, base, host) == -1)
		return xasprintf("endpoint \"%s\" is not https://host[:port]",
		    ep);
	return NULL;
}

/*
 * Fill x for rec; OUT_CURRENT, or OUT_CONFIG/OUT_TEMPFAIL with *why.
 * Whatever it allocated is freed by esa_done() in every case.
 */
static enum outcome
esa_init(struct esa *x, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	char	*inner = NULL, *rr = NULL;

	memset(x, 0, sizeof(*x));
	x->rec = rec;
	x->addr = addr;
	x->ctx = ctx;
	x->type = fam_rrtype(addr->fam);
	if ((x->label = xasprintf("esa: %s %s", rec->name, x->type)) == NULL)
		return fail(x, OUT_TEMPFAIL, NULL, why);
	x->akid = rec_str(rec, "access_key_id");
	x->secret = rec_str(rec, "access_key_secret");
	if (x->akid == NULL || x->secret == NULL || *x->akid == '\0' ||
	    *x->secret == '\0')
		return fail_config(x, xasprintf("set access_key_id and "
		    "access_key_secret (a RAM user's AccessKey)"), why);
	if (provider_has_ctl(x->akid) || provider_has_ctl(rec->name))
		return fail_config(x, xasprintf("access_key_id or the name "
		    "has a control character"), why);
	if ((inner = check_keys(rec, &x->base, &x->host)) != NULL)
		return fail_config(x, inner, why);
	if (provider_split_name(rec->name, rec->zone, &x->zone, &rr,
	    &inner) == -1)
		return inner != NULL ? fail_config(x, inner, why) :
		    fail(x, OUT_TEMPFAIL, NULL, why);
	free(rr);
	return OUT_CURRENT;
}

/* Free what esa_init() and the calls allocated. */
static void
esa_done(struct esa *x)
{
	free(x->base);
	free(x->host);
	free(x->zone);
	free(x->site);
	free(x->label);
	free(x->code);
}

/*
 * Call action with method and parameters kv. OUT_CURRENT with *resp
 * holding the answer (caller http_resp_free()s it), or OUT_TEMPFAIL with
 * *why (nothing to free).
 */
static enum outcome
esa_call(struct esa *x, const char *method, const char *action,
    const char *const *kv, struct http_resp *resp, char **why)
{
	struct aliyun_call	 c;
	struct http_req		 req;
	enum outcome		 out;
	char			*nonce;

	memset(resp, 0, sizeof(*resp));
	x->status = 0;
	free(x->code);
	x->code = NULL;
	if ((nonce = crypto_nonce()) == NULL)
		return fail(x, OUT_TEMPFAIL, NULL, why);
	if (aliyun_build_api(method, ESA_VERSION, 0, x->base, x->host, action,
	    kv, x->akid, x->secret, time(NULL), nonce, &c) == -1) {
		free(nonce);
		return fail(x, OUT_TEMPFAIL, NULL, why);
	}
	free(nonce);
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = c.url;
	req.headers = (const char *const *)c.hdr;
	req.insecure = rec_bool(x->rec, "insecure", 0);
	if ((out = provider_send(x->label, &req, resp, x->ctx, why)) ==
	    OUT_CURRENT)
		x->status = resp->status;
	aliyun_call_free(&c);
	return out;
}

/* Find the zone's SiteId into x->site (run cache, else ListSites). The
 * outcome, with *why on failure. */
static enum outcome
esa_site(struct esa *x, char **why)
{
	struct http_resp resp;
	const char	*kv[6];
	char		*key, *inner = NULL;
	enum outcome	 out;
	int		 hit;

	if ((key = xasprintf("esa:site:%s:%s", x->base, x->zone)) == NULL)
		return fail(x, OUT_TEMPFAIL, NULL, why);
	hit = provider_cache_get(x->ctx, key, &x->site);
	if (hit == 1 && x->site != NULL) {
		free(key);
		return OUT_CURRENT;
	}
	kv[0] = "SiteName";		kv[1] = x->zone;
	kv[2] = "SiteSearchType";	kv[3] = "exact";
	kv[4] = NULL;
	if (hit == 1 || (out = esa_call(x, "GET", "ListSites", kv, &resp,
	    why)) == OUT_CURRENT) {
		if (hit == 1)
			out = OUT_CURRENT;
		else {
			out = esa_parse_site(resp.status, resp.body, x->zone,
			    &x->site, &x->code, &inner);
			http_resp_free(&resp);
			if (out == OUT_CURRENT)
				provider_cache_put(x->ctx, key, x->site);
		}
		if (out != OUT_CURRENT)
			out = fail(x, out, inner, why);
		else if (x->site == NULL)
			out = fail(x, OUT_CONFIG, xasprintf("\"%s\" is not an "
			    "ESA site in this Alibaba Cloud account (set "
			    "\"zone\" if it is not the name's last two labels; "
			    "international accounts: set endpoint to "
			    "esa.ap-southeast-1.aliyuncs.com)", x->zone), why);
	}
	free(key);
	return out;
}

/*
 * CreateRecord (have NULL) or UpdateRecord of have with value. The
 * outcome, with ctx->new_record_id set to "SiteId:RecordId" on success.
 */
static enum outcome
esa_write(struct esa *x, const struct esa_rec *have, const char *value,
    char **why)
{
	struct http_resp resp;
	json_t		*d;
	const char	*kv[20], *biz;
	char		 sttl[24], *data = NULL, *newid = NULL, *inner = NULL;
	int		 proxied;
	long		 ttl;
	size_t		 n = 0;
	enum outcome	 out;

	if ((d = json_pack("{s:s}", "Value", value)) != NULL)
		data = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	if (data == NULL)
		return fail(x, OUT_TEMPFAIL, NULL, why);
	proxied = rec_bool(x->rec, "proxied", have != NULL ? have->proxied :
	    0);
	biz = rec_str(x->rec, "biz_name");
	if (biz == NULL && proxied)
		biz = have != NULL && have->biz != NULL ? have->biz : ESA_BIZ;
	ttl = x->rec->ttl > 0 ? x->rec->ttl : (have != NULL ? have->ttl : 0);
	if (have == NULL) {
		kv[n++] = "SiteId";	kv[n++] = x->site;
		kv[n++] = "RecordName";	kv[n++] = x->rec->name;
	} else {
		kv[n++] = "RecordId";	kv[n++] = have->id;
	}
	kv[n++] = "Type";	kv[n++] = have != NULL ? have->type : ESA_TYPE;
	kv[n++] = "Data";	kv[n++] = data;
	kv[n++] = "Proxied";	kv[n++] = proxied ? "true" : "false";
	if (proxied && biz != NULL) {
		kv[n++] = "BizName";	kv[n++] = biz;
	}
	if (ttl > 0) {
		snprintf(sttl, sizeof(sttl), "%ld", ttl);
		kv[n++] = "Ttl";	kv[n++] = sttl;
	}
	kv[n] = NULL;
	log_info("%s: %s %s %s", x->label, have == NULL ? "CreateRecord" :
	    "UpdateRecord", x->rec->name, value);
	out = esa_call(x, "POST", have == NULL ? "CreateRecord" :
	    "UpdateRecord", kv, &resp, why);
	free(data);
	if (out != OUT_CURRENT)
		return out;
	out = esa_parse_write(resp.status, resp.body, &newid, &x->code, &inner);
	http_resp_free(&resp);
	if (out != OUT_UPDATED)
		return fail(x, out, inner, why);
	free(x->ctx->new_record_id);
	x->ctx->new_record_id = xasprintf("%s:%s", x->site, newid != NULL ?
	    newid : have->id);
	free(newid);
	return OUT_UPDATED;
}

/*
 * ListRecords for the name in x->site, then create, update or find it
 * current. The outcome, with *why on failure.
 */
static enum outcome
esa_records(struct esa *x, char **why)
{
	struct http_resp resp;
	struct esa_rec	 have;
	const char	*kv[10];
	char		*inner = NULL, *value = NULL;
	size_t		 count;
	enum outcome	 out;
	int		 changed;

	kv[0] = "SiteId";		kv[1] = x->site;
	kv[2] = "RecordName";		kv[3] = x->rec->name;
	kv[4] = "RecordMatchType";	kv[5] = "exact";
	kv[6] = "PageSize";		kv[7] = "500";
	kv[8] = NULL;
	if ((out = esa_call(x, "GET", "ListRecords", kv, &resp, why)) !=
	    OUT_CURRENT)
		return out;
	out = esa_parse_records(resp.status, resp.body, x->rec->name, &have,
	    &count, &x->code, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT)
		return fail(x, out, inner, why);
	if (count == 0)
		return esa_write(x, NULL, x->addr->text, why);
	if (count > 1)
		log_warnx("%s: %zu address records of that name; updating %s "
		    "only", x->label, count, have.id);
	if ((value = esa_merge_value(have.value, x->addr, &changed)) ==
	    NULL || strlen(value) > ESA_VALUE_MAX) {
		out = fail(x, value == NULL ? OUT_TEMPFAIL : OUT_PROTOCOL,
		    value == NULL ? NULL : xasprintf("record %s holds too "
		    "many addresses", have.id), why);
		goto out;
	}
	if (!changed && (x->rec->ttl <= 0 || x->rec->ttl == have.ttl) &&
	    rec_bool(x->rec, "proxied", have.proxied) == have.proxied) {
		log_info("%s: record %s already holds %s", x->label, have.id,
		    x->addr->text);
		free(x->ctx->new_record_id);
		if ((x->ctx->new_record_id = xasprintf("%s:%s", x->site,
		    have.id)) == NULL)
			out = fail(x, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = esa_write(x, &have, value, why);
out:
	free(value);
	esa_rec_free(&have);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct esa	 x;
	enum outcome	 out;
	const char	*id = ctx->record_id;
	size_t		 n;

	*why = NULL;
	if ((out = esa_init(&x, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	/* "SiteId:RecordId" from the state file saves the ListSites. */
	if (id != NULL && (n = strcspn(id, ":")) > 0 && id[n] == ':' &&
	    n <= 20 && (x.site = strndup(id, n)) != NULL && digits(x.site) &&
	    digits(id + n + 1)) {
		out = esa_records(&x, why);
		if (out == OUT_CURRENT || out == OUT_UPDATED ||
		    out == OUT_TEMPFAIL || out == OUT_AUTH)
			goto out;
		/* The site may be gone or re-added: look it up again. */
		log_info("%s: site %s failed (%s); looking the site up",
		    x.label, x.site, *why != NULL ? *why : "?");
		free(*why);
		*why = NULL;
	}
	free(x.site);
	x.site = NULL;
	if ((out = esa_site(&x, why)) == OUT_CURRENT)
		out = esa_records(&x, why);
out:
	esa_done(&x);
	return out;
}

/* NULL if rec can be pushed (as far as the configuration shows), else why
 * not, malloc'd: caught by --check-config before any request. */
static char *
check(const struct record *rec)
{
	char	*base, *host, *zone = NULL, *rr = NULL, *why, *msg;

	if ((why = check_keys(rec, &base, &host)) == NULL)
		provider_split_name(rec->name, rec->zone, &zone, &rr, &why);
	free(base);
	free(host);
	free(zone);
	free(rr);
	if (why == NULL)
		return NULL;
	msg = xasprintf("esa: %s", why);
	free(why);
	return msg;
}

const struct provider provider_esa = {
	.name = "esa",
	.keys = keys,
	.push = push,
	.check = check,
};
