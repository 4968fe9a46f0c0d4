/*
 * desec: deSEC's REST API, domains and RRsets.
 * https://desec.readthedocs.io/en/latest/dns/domains.html
 * https://desec.readthedocs.io/en/latest/dns/rrsets.html
 * (deSEC's dynDNS update URL stays the "desec" preset of dyndns2.)
 *
 * Quirks handled:
 * - The domain a name belongs to is the longest one of the account that
 *   is a suffix of it: GET /domains/ lists them all (up to 500, once per
 *   run, cached); a configured zone is read with GET /domains/{zone}/.
 * - RRsets are addressed /domains/{d}/rrsets/{subname}/{type}/ with the
 *   trailing slash; the apex has the empty subname, written "@" in URLs
 *   (an empty path segment would be normalized away) and "" in bodies.
 * - Each domain has a minimum_ttl (3600 unless deSEC granted less): a new
 *   RRset gets it when no ttl is configured, and a configured ttl below
 *   it is refused here, before a request.
 * - Only what differs is written, in one PATCH of records and/or ttl; the
 *   state keeps "<domain>/<subname>", so a later change is one PATCH; an
 *   RRset removed by hand answers 404 and is looked up and created again.
 * - Errors are Django REST framework's: {"detail": "..."} (401 "Invalid
 *   token.", 403 for a token whose scoping policy forbids the write, 404
 *   "Not found.") or field errors {"ttl": ["..."]} on 400; all quoted.
 * - deSEC throttles strictly (RRset writes: 2/s, 15/min, 100/h, 300/day
 *   per domain): 429 comes with Retry-After, which is honoured; without
 *   one we wait 60 seconds.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "desec.h"

#define DS_ENDPOINT	"https://desec.io/api/v1"
#define DS_WAIT_429	60	/* seconds, when 429 has no Retry-After */
#define DS_MIN_TTL	3600	/* when the domain does not say */
#define DS_MSG_MAX	400	/* quoted error text, bytes */

static const struct provider_key keys[] = {
	{ "endpoint",	0 },
	{ "token",	KEY_SECRET },
	{ NULL,		0 }
};

/* One push in progress. */
struct ds {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;		/* "A" / "AAAA" */
	const char		*value;		/* the address */
	char			*base;		/* endpoint, no trailing '/' */
	char			*label;		/* "desec: name A" */
	char			*auth;		/* the Authorization line */
	const char		*hdrs[3];
	long			 status;	/* of the last answer, or 0 */
};

/* ---- pure parts --------------------------------------------------------- */

/* 1 if status is a 2xx, else 0. */
static int
is2xx(long status)
{
	return status >= 200 && status < 300;
}

/* Append the strings of v (a string or an array of them) to buf. */
static void
append_msgs(char *buf, size_t sz, json_t *v)
{
	json_t	*e;
	size_t	 i;
	int	 n = 0;

	if (json_is_string(v)) {
		provider_append(buf, sz, json_string_value(v));
		return;
	}
	json_array_foreach(v, i, e) {
		if (!json_is_string(e))
			continue;
		if (n++ > 0)
			provider_append(buf, sz, " ");
		provider_append(buf, sz, json_string_value(e));
	}
}

/* Map an error reply; see desec.h. */
enum outcome
ds_error(long status, const char *body, char **why)
{
	json_t		*root = NULL, *v;
	const char	*k = NULL;
	char		 buf[DS_MSG_MAX] = "";
	int		 n = 0;

	*why = NULL;
	if (body != NULL)
		root = json_loads(body, 0, NULL);
	if (json_is_object(root)) {
		if ((v = json_object_get(root, "detail")) != NULL)
			append_msgs(buf, sizeof(buf), v);
		else
			json_object_foreach(root, k, v) {
				if (!json_is_string(v) && !json_is_array(v))
					continue;
				if (n++ > 0)
					provider_append(buf, sizeof(buf), "; ");
				if (strcmp(k, "non_field_errors") != 0) {
					provider_append(buf, sizeof(buf), k);
					provider_append(buf, sizeof(buf), ": ");
				}
				append_msgs(buf, sizeof(buf), v);
			}
	}
	json_decref(root);
	if (buf[0] == '\0') {
		if (is2xx(status)) {
			*why = xasprintf("HTTP %ld: not the deSEC API reply "
			    "documented", status);
			return OUT_PROTOCOL;
		}
		*why = xasprintf("HTTP %ld (no deSEC error in the reply)",
		    status);
		return provider_status_outcome(status);
	}
	if (status == 401)
		*why = xasprintf("HTTP %ld: %s (is the token a deSEC API token "
		    "of the account that holds the domain?)", status, buf);
	else if (status == 403)
		*why = xasprintf("HTTP %ld: %s (the token's policies must "
		    "allow writing this RRset)", status, buf);
	else
		*why = xasprintf("HTTP %ld: %s", status, buf);
	return is2xx(status) ? OUT_PROTOCOL : provider_status_outcome(status);
}

/* 1 if zone is name or a suffix of it at a label boundary, else 0. */
static int
is_suffix(const char *name, const char *zone)
{
	size_t	 nl = strlen(name), zl = strlen(zone);

	if (zl == 0 || zl > nl || strcasecmp(name + nl - zl, zone) != 0)
		return 0;
	return zl == nl || name[nl - zl - 1] == '.';
}

/* Parse a domain or the domain list; see desec.h. */
enum outcome
ds_parse_domains(long status, const char *body, const char *name,
    char **zone, long *minttl, char **why)
{
	json_t		*root = NULL, *d, *mt;
	const char	*dn, *best = NULL;
	size_t		 i;
	long		 bttl = 0;
	enum outcome	 out = OUT_CURRENT;

	*zone = *why = NULL;
	*minttl = 0;
	if (status == 404)
		return OUT_CURRENT;
	if (status != 200)
		return ds_error(status, body, why);
	if (body == NULL || (root = json_loads(body, 0, NULL)) == NULL ||
	    (!json_is_array(root) && !json_is_object(root))) {
		json_decref(root);
		return ds_error(status, NULL, why);
	}
	/* One domain (GET /domains/{zone}/) is a list of one. */
	if (json_is_object(root) && (root = json_pack("[o]", root)) == NULL) {
		*why = xasprintf("out of memory");
		return OUT_TEMPFAIL;
	}
	json_array_foreach(root, i, d) {
		mt = NULL;
		if (json_unpack(d, "{s:s, s?:o}", "name", &dn, "minimum_ttl",
		    &mt) == -1 || (mt != NULL && !json_is_integer(mt))) {
			*why = xasprintf("HTTP 200: domain %zu has no usable "
			    "name or minimum_ttl", i);
			out = OUT_PROTOCOL;
			goto out;
		}
		if (is_suffix(name, dn) && (best == NULL ||
		    strlen(dn) > strlen(best))) {
			best = dn;
			bttl = mt != NULL ? (long)json_integer_value(mt) : 0;
		}
	}
	if (best != NULL) {
		if ((*zone = strdup(best)) == NULL) {
			*why = xasprintf("out of memory");
			out = OUT_TEMPFAIL;
			goto out;
		}
		*minttl = bttl;
	}
out:
	json_decref(root);
	return out;
}

/* Free what a ds_rrset holds and zero it; NULL is a no-op. */
void
ds_rrset_free(struct ds_rrset *rs)
{
	if (rs == NULL)
		return;
	free(rs->value);
	memset(rs, 0, sizeof(*rs));
}

/* Parse an RRset reply; see desec.h. */
enum outcome
ds_parse_rrset(long status, const char *body, const char *subname,
    const char *type, struct ds_rrset *rs, int *found, char **why)
{
	json_t		*root, *recs, *r, *ttl;
	const char	*sn, *t;
	size_t		 i;
	enum outcome	 out = OUT_CURRENT;

	memset(rs, 0, sizeof(*rs));
	*found = 0;
	*why = NULL;
	if (status == 404 || status == 204)	/* 204: deleted */
		return OUT_CURRENT;
	if (!is2xx(status) || body == NULL ||
	    (root = json_loads(body, 0, NULL)) == NULL)
		return ds_error(status, is2xx(status) ? NULL : body, why);
	if (json_unpack(root, "{s:s, s:s, s:o, s:o}", "subname", &sn, "type",
	    &t, "records", &recs, "ttl", &ttl) == -1 ||
	    !json_is_array(recs) || !json_is_integer(ttl)) {
		*why = xasprintf("HTTP %ld: the RRset has no usable subname, "
		    "type, records or ttl", status);
		out = OUT_PROTOCOL;
		goto out;
	}
	if (strcasecmp(sn, subname) != 0 || strcmp(t, type) != 0) {
		*why = xasprintf("HTTP %ld: asked for RRset \"%s\" %s, got "
		    "another", status, subname, type);
		out = OUT_PROTOCOL;
		goto out;
	}
	json_array_foreach(recs, i, r) {
		if (!json_is_string(r)) {
			*why = xasprintf("HTTP %ld: record %zu of the RRset is "
			    "not a string", status, i);
			out = OUT_PROTOCOL;
			goto out;
		}
		if (i == 0 && (rs->value = strdup(json_string_value(r))) ==
		    NULL) {
			*why = xasprintf("out of memory");
			out = OUT_TEMPFAIL;
			goto out;
		}
	}
	rs->nrec = json_array_size(recs);
	rs->ttl = (long)json_integer_value(ttl);
	*found = 1;
out:
	if (out != OUT_CURRENT)
		ds_rrset_free(rs);
	json_decref(root);
	return out;
}

/* The POST body; see desec.h. */
char *
ds_create_body(const char *subname, const char *type, const char *value,
    long ttl)
{
	json_t	*o;
	char	*s;

	if ((o = json_pack("{s:s, s:s, s:I, s:[s]}", "subname", subname,
	    "type", type, "ttl", (json_int_t)ttl, "records", value)) == NULL)
		return NULL;
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return s;
}

/* The PATCH body; see desec.h. */
int
ds_patch_body(const struct ds_rrset *have, const char *value, long ttl,
    char **body)
{
	json_t	*o;
	int	 n, bad = 0;

	*body = NULL;
	if ((o = json_object()) == NULL)
		return -1;
	if (have == NULL || have->nrec != 1 || !provider_same_address(have->value,
	    value))
		bad |= json_object_set_new(o, "records", json_pack("[s]",
		    value));
	if (ttl > 0 && (have == NULL || have->ttl != ttl))
		bad |= json_object_set_new(o, "ttl", json_integer(ttl));
	if (bad) {
		json_decref(o);
		return -1;
	}
	if ((n = (int)json_object_size(o)) > 0 &&
	    (*body = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		n = -1;
	json_decref(o);
	return n;
}

/* ---- talking to the API ------------------------------------------------- */

/* Turn inner (malloc'd, consumed; NULL means out of memory) into *why,
 * prefixed with the record, and default the wait after a bare 429;
 * returns out. */
static enum outcome
fail(struct ds *d, enum outcome out, char *inner, char **why)
{
	*why = xasprintf("%s: %s", d->label != NULL ? d->label : "desec",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	if (d->status == 429 && d->ctx->retry_after <= 0)
		d->ctx->retry_after = DS_WAIT_429;
	return out;
}

/* Fill d for rec; OUT_CURRENT, or an error outcome with *why. What it
 * allocated is freed by ds_done() in every case. */
static enum outcome
ds_init(struct ds *d, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*ep, *tok;
	size_t		 n;

	memset(d, 0, sizeof(*d));
	d->rec = rec;
	d->ctx = ctx;
	d->type = fam_rrtype(addr->fam);
	d->value = addr->text;
	if ((d->label = xasprintf("desec: %s %s", rec->name, d->type)) ==
	    NULL)
		return fail(d, OUT_TEMPFAIL, NULL, why);
	if ((ep = rec_str(rec, "endpoint")) == NULL)
		ep = DS_ENDPOINT;
	if ((d->base = strdup(ep)) == NULL)
		return fail(d, OUT_TEMPFAIL, NULL, why);
	n = strlen(d->base);
	while (n > 0 && d->base[n - 1] == '/')
		d->base[--n] = '\0';
	if ((tok = rec_str(rec, "token")) == NULL || *tok == '\0' ||
	    provider_has_ctl(tok))
		return fail(d, OUT_CONFIG, xasprintf("the token is missing, "
		    "empty or has a control character"), why);
	if ((d->auth = xasprintf("Authorization: Token %s", tok)) == NULL)
		return fail(d, OUT_TEMPFAIL, NULL, why);
	d->hdrs[0] = d->auth;
	d->hdrs[1] = "Content-Type: application/json";
	d->hdrs[2] = NULL;
	return OUT_CURRENT;
}

/* Free what ds_init() allocated. */
static void
ds_done(struct ds *d)
{
	free(d->base);
	free(d->label);
	free(d->auth);
}

/* Send one request to base + path. OUT_CURRENT with *resp holding the
 * answer (caller http_resp_free()s it), or OUT_TEMPFAIL with *why. */
static enum outcome
ds_call(struct ds *d, const char *method, const char *path, const char *body,
    struct http_resp *resp, char **why)
{
	struct http_req	 req;
	char		*url;
	enum outcome	 out;

	memset(resp, 0, sizeof(*resp));
	d->status = 0;
	if ((url = xasprintf("%s%s", d->base, path)) == NULL)
		return fail(d, OUT_TEMPFAIL, NULL, why);
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = url;
	req.headers = d->hdrs;
	req.body = body;
	req.bodylen = body != NULL ? strlen(body) : 0;
	req.insecure = rec_bool(d->rec, "insecure", 0);
	if ((out = provider_send(d->label, &req, resp, d->ctx, why)) ==
	    OUT_CURRENT)
		d->status = resp->status;
	free(url);
	return out;
}

/* "/domains/{domain}" + tail (malloc'd, caller frees; NULL on ENOMEM). */
static char *
domain_path(const char *domain, const char *tail)
{
	char	*ed, *p;

	if ((ed = http_pctenc(domain)) == NULL)
		return NULL;
	p = xasprintf("/domains/%s%s", ed, tail);
	free(ed);
	return p;
}

/* "/domains/{domain}/rrsets/{subname or @}/{type}/" (malloc'd, caller
 * frees; NULL on ENOMEM). */
static char *
rrset_path(struct ds *d, const char *domain, const char *subname)
{
	char	*ed, *es, *p = NULL;

	ed = http_pctenc(domain);
	es = http_pctenc(subname);
	if (ed != NULL && es != NULL)
		p = xasprintf("/domains/%s/rrsets/%s/%s/", ed, *subname ==
		    '\0' ? "@" : es, d->type);
	free(ed);
	free(es);
	return p;
}

/*
 * The domain that holds the record, through the run's cache: OUT_CURRENT
 * with *zone malloc'd and *minttl, or an error outcome with *why.
 */
static enum outcome
find_domain(struct ds *d, char **zone, long *minttl, char **why)
{
	struct http_resp resp;
	const char	*cz = d->rec->zone;
	char		*key = NULL, *hit = NULL, *path = NULL;
	char		*inner = NULL;
	enum outcome	 out;
	int		 h;

	*zone = NULL;
	*minttl = 0;
	/* The cache holds the body of the answer, parsed again per record. */
	key = cz != NULL ? xasprintf("desec:%s:domain:%s", d->base, cz) :
	    xasprintf("desec:%s:domains", d->base);
	if (key == NULL)
		return fail(d, OUT_TEMPFAIL, NULL, why);
	if ((h = provider_cache_get(d->ctx, key, &hit)) == -1) {
		out = fail(d, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if (h == 1) {
		out = ds_parse_domains(hit != NULL ? 200 : 404, hit,
		    cz != NULL ? cz : d->rec->name, zone, minttl, &inner);
		if (out != OUT_CURRENT)
			out = fail(d, out, inner, why);
		goto found;
	}
	if (cz != NULL && (path = domain_path(cz, "/")) == NULL) {
		out = fail(d, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = ds_call(d, "GET", cz != NULL ? path : "/domains/", NULL,
	    &resp, why)) != OUT_CURRENT)
		goto out;
	out = ds_parse_domains(resp.status, resp.body, cz != NULL ? cz :
	    d->rec->name, zone, minttl, &inner);
	if (out == OUT_CURRENT)
		provider_cache_put(d->ctx, key, resp.status == 200 ?
		    resp.body : NULL);
	http_resp_free(&resp);
	if (out != OUT_CURRENT) {
		out = fail(d, out, inner, why);
		goto out;
	}
found:
	if (out == OUT_CURRENT && *zone != NULL && cz != NULL &&
	    (strcasecmp(*zone, cz) != 0 || !is_suffix(d->rec->name, cz))) {
		free(*zone);
		*zone = NULL;
	}
	if (out == OUT_CURRENT && *zone == NULL)
		out = fail(d, OUT_CONFIG, cz != NULL ? xasprintf("no deSEC "
		    "domain %s in the token's account, or %s is not in it",
		    cz, d->rec->name) : xasprintf("no deSEC domain of the "
		    "token's account holds %s", d->rec->name), why);
	else if (out == OUT_CURRENT)
		log_info("%s: domain %s (minimum_ttl %ld)", d->label, *zone,
		    *minttl);
out:
	free(key);
	free(hit);
	free(path);
	return out;
}

/* Remember "<domain>/<subname>" for the state; OUT_CURRENT or
 * OUT_TEMPFAIL. */
static enum outcome
remember(struct ds *d, const char *domain, const char *subname, char **why)
{
	free(d->ctx->new_record_id);
	if ((d->ctx->new_record_id = xasprintf("%s/%s", domain, subname)) ==
	    NULL)
		return fail(d, OUT_TEMPFAIL, NULL, why);
	return OUT_CURRENT;
}

/*
 * Write body with method to path and read the RRset back. OUT_UPDATED, or
 * an error outcome with *why; *gone is set on a 404.
 */
static enum outcome
ds_write(struct ds *d, const char *method, const char *path,
    const char *subname, const char *body, int *gone, char **why)
{
	struct http_resp resp;
	struct ds_rrset	 rs;
	char		*inner = NULL;
	enum outcome	 out;
	int		 found;

	*gone = 0;
	log_info("%s: %s %s %s", d->label, method, path, body);
	if ((out = ds_call(d, method, path, body, &resp, why)) != OUT_CURRENT)
		return out;
	out = ds_parse_rrset(resp.status, resp.body, subname, d->type, &rs,
	    &found, &inner);
	http_resp_free(&resp);
	if (out == OUT_CURRENT && !found) {
		*gone = d->status == 404;
		inner = xasprintf("HTTP %ld: the RRset is gone", d->status);
		out = d->status == 404 ? OUT_CONFIG : OUT_PROTOCOL;
	} else if (out == OUT_CURRENT && (rs.nrec != 1 ||
	    !provider_same_address(rs.value, d->value))) {
		inner = xasprintf("HTTP %ld: the RRset holds %s after the "
		    "write", d->status, rs.value != NULL ? rs.value :
		    "nothing");
		out = OUT_PROTOCOL;
	}
	ds_rrset_free(&rs);
	if (out != OUT_CURRENT)
		return fail(d, out, inner, why);
	return OUT_UPDATED;
}

/*
 * The one-call update through the stored "<domain>/<subname>":
 * OUT_UPDATED or an error outcome with *why; or -1, nothing set, when
 * there is no usable id or the RRset is gone.
 */
static int
update_known(struct ds *d, char **why)
{
	const char	*id = d->ctx->record_id, *slash;
	char		*domain = NULL, *path = NULL, *body = NULL;
	enum outcome	 out;
	int		 gone, ret = -1;

	if ((slash = strchr(id, '/')) == NULL || slash == id ||
	    (domain = strndup(id, slash - id)) == NULL)
		return -1;
	/* A zone changed in the configuration wins over the state. */
	if (!is_suffix(d->rec->name, domain) || (d->rec->zone != NULL &&
	    strcasecmp(d->rec->zone, domain) != 0))
		goto out;
	if ((path = rrset_path(d, domain, slash + 1)) == NULL ||
	    ds_patch_body(NULL, d->value, 0, &body) == -1) {
		ret = fail(d, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = ds_write(d, "PATCH", path, slash + 1, body, &gone, why);
	if (out != OUT_UPDATED && gone) {
		log_info("%s: RRset %s is gone; looking it up", d->label, id);
		free(*why);
		*why = NULL;
		goto out;
	}
	if (out == OUT_UPDATED && remember(d, domain, slash + 1, why) !=
	    OUT_CURRENT)
		out = OUT_TEMPFAIL;
	ret = out;
out:
	free(domain);
	free(path);
	free(body);
	return ret;
}

/*
 * Find the domain and the RRset, and create it, PATCH what differs, or
 * find it current. The outcome, with *why on failure.
 */
static enum outcome
update_lookup(struct ds *d, char **why)
{
	struct http_resp resp;
	struct ds_rrset	 rs;
	char		*zone = NULL, *zjunk = NULL, *rr = NULL, *sub = NULL;
	char		*path = NULL, *body = NULL, *inner = NULL;
	long		 minttl, ttl;
	enum outcome	 out;
	int		 found, gone, n;

	memset(&rs, 0, sizeof(rs));
	if ((out = find_domain(d, &zone, &minttl, why)) != OUT_CURRENT)
		goto out;
	if (d->rec->ttl > 0 && minttl > 0 && d->rec->ttl < minttl) {
		out = fail(d, OUT_CONFIG, xasprintf("ttl %ld is below the "
		    "minimum_ttl %ld of domain %s", d->rec->ttl, minttl, zone),
		    why);
		goto out;
	}
	if (provider_split_name(d->rec->name, zone, &zjunk, &rr, &inner) ==
	    -1) {
		out = fail(d, OUT_CONFIG, inner, why);
		goto out;
	}
	/* deSEC's subnames are lower case; the apex is the empty one. */
	if ((sub = strdup(strcmp(rr, "@") == 0 ? "" : rr)) == NULL) {
		out = fail(d, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	for (n = 0; sub[n] != '\0'; n++)
		sub[n] = tolower((unsigned char)sub[n]);
	if ((path = rrset_path(d, zone, sub)) == NULL) {
		out = fail(d, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = ds_call(d, "GET", path, NULL, &resp, why)) != OUT_CURRENT)
		goto out;
	out = ds_parse_rrset(resp.status, resp.body, sub, d->type, &rs,
	    &found, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT) {
		out = fail(d, out, inner, why);
		goto out;
	}
	if (!found) {
		ttl = d->rec->ttl > 0 ? d->rec->ttl : minttl > 0 ? minttl :
		    DS_MIN_TTL;
		free(path);
		if ((path = domain_path(zone, "/rrsets/")) == NULL || (body = ds_create_body(sub, d->type, d->value,
		    ttl)) == NULL) {
			out = fail(d, OUT_TEMPFAIL, NULL, why);
			goto out;
		}
		if ((out = ds_write(d, "POST", path, sub, body, &gone, why)) ==
		    OUT_UPDATED)
			out = remember(d, zone, sub, why) == OUT_CURRENT ?
			    OUT_UPDATED : OUT_TEMPFAIL;
		goto out;
	}
	if (rs.nrec > 1)
		log_warnx("%s: the RRset holds %zu records; replacing them "
		    "with %s", d->label, rs.nrec, d->value);
	if ((n = ds_patch_body(&rs, d->value, d->rec->ttl, &body)) == -1) {
		out = fail(d, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if (n == 0) {
		log_info("%s: RRset already holds %s", d->label, d->value);
		out = remember(d, zone, sub, why);
		goto out;
	}
	if ((out = ds_write(d, "PATCH", path, sub, body, &gone, why)) ==
	    OUT_UPDATED)
		out = remember(d, zone, sub, why) == OUT_CURRENT ?
		    OUT_UPDATED : OUT_TEMPFAIL;
out:
	ds_rrset_free(&rs);
	free(zone);
	free(zjunk);
	free(rr);
	free(sub);
	free(path);
	free(body);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct ds	 d;
	enum outcome	 out;
	int		 r;

	*why = NULL;
	if ((out = ds_init(&d, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	/* Through the stored id only when the address is news; a forced or
	 * reconfigured push looks and compares. */
	if (ctx->record_id != NULL && (ctx->address == NULL ||
	    strcmp(ctx->address, addr->text) != 0) &&
	    (r = update_known(&d, why)) != -1) {
		out = (enum outcome)r;
		goto out;
	}
	out = update_lookup(&d, why);
out:
	ds_done(&d);
	return out;
}

/* NULL if rec names a token, else why not (malloc'd). */
static char *
check(const struct record *rec)
{
	if (rec_str(rec, "token") == NULL)
		return xasprintf("desec needs \"token\" (a deSEC API token)");
	return NULL;
}

const struct provider provider_desec = {
	.name = "desec",
	.keys = keys,
	.push = push,
	.check = check,
};
