/*
 * netcup: the netcup CCP DNS API (JSON over one POST endpoint).
 * https://ccp.netcup.net/run/webservice/servers/endpoint.php (the API's
 * own documentation) and https://helpcenter.netcup.com/en/wiki/general/our-api/
 *
 * Quirks handled:
 * - Every call is a POST of {"action":..., "param":{...}} to one URL;
 *   HTTP is 200 even for errors, which are "status":"error" with a
 *   statuscode (2000 is success), shortmessage and longmessage.
 * - login (customernumber, apikey, apipassword) gives an apisessionid
 *   that every later call carries with customernumber and apikey. One
 *   login serves all the run's records of an account: the session is
 *   kept in the run's cache, and finish() logs it out at the end of the
 *   run (a failed logout is only logged), so no session outlives the
 *   run. A refused login is remembered for the run too, so the other
 *   records do not ask again. The API password never leaves login.
 * - A wrong API key is answered at login with statuscode 4013 and "More
 *   than 180 requests per minute", the same words as real throttling:
 *   that is retried later (75) with a hint to check the key; any other
 *   refused login is a credential problem (77).
 * - netcup has no per-record TTL (the zone's applies): "ttl" is ignored.
 * - infoDnsRecords lists the whole zone; hostnames are relative, "@" for
 *   the apex. updateDnsRecords with an id changes that record, without
 *   one creates; its reply lists the zone again, where the written
 *   record is looked for to learn its id.
 * - The zone is the "zone" key, else the name's last two labels (netcup
 *   zones are the registered domains).
 * - The state keeps "<zone>/<record id>", so a later change is login,
 *   one updateDnsRecords and logout; a refusal of that id is followed by
 *   a lookup.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "netcup.h"

#define NC_ENDPOINT	"https://ccp.netcup.net/run/webservice/servers/" \
	"endpoint.php?JSON"
#define NC_WAIT_LIMIT	60	/* seconds, after "180 requests per minute" */
#define NC_SESSION	"netcup:session:"	/* run-cache key prefix */
#define NC_MSG_MAX	400
#define NC_HINT_LOGIN	"check customer_number, api_key and api_password: " \
	"the CCP's Master Data, API page"
#define NC_HINT_LIMIT	"netcup also answers this to a wrong api_key; " \
	"check it if this persists"

static const struct provider_key keys[] = {
	{ "api_key",		KEY_REQUIRED | KEY_SECRET },
	{ "api_password",	KEY_REQUIRED | KEY_SECRET },
	{ "customer_number",	KEY_REQUIRED },
	{ "endpoint",		0 },
	{ NULL,			0 }
};

/* One push in progress. */
struct ncp {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;
	const char		*data;
	const char		*customer, *apikey, *apipw, *url;
	int			 insecure;
	char			*session;	/* apisessionid, or NULL */
	char			*label;		/* "netcup: name A" */
	int			 limited;	/* the last error was the limit */
};

/* ---- pure parts --------------------------------------------------------- */

/* The body of a call; see netcup.h. */
char *
nc_body(const char *action, const char *customer, const char *apikey,
    const char *apipassword, const char *session, const char *domain,
    json_t *set)
{
	json_t	*p, *o;
	char	*s = NULL;

	if ((p = json_pack("{s:s, s:s}", "customernumber", customer,
	    "apikey", apikey)) == NULL)
		return NULL;
	if (apipassword != NULL)
		json_object_set_new(p, "apipassword", json_string(apipassword));
	if (session != NULL)
		json_object_set_new(p, "apisessionid", json_string(session));
	if (domain != NULL)
		json_object_set_new(p, "domainname", json_string(domain));
	if (set != NULL)
		json_object_set(p, "dnsrecordset", set);
	if ((o = json_pack("{s:s, s:o}", "action", action, "param", p)) !=
	    NULL) {
		s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
	}
	return s;
}

/* 1 if msg is netcup's throttling text, else 0. */
static int
is_limit(const char *msg)
{
	return msg != NULL && strstr(msg, "requests per minute") != NULL;
}

/* Read a reply; see netcup.h. */
enum outcome
nc_reply(const char *action, long status, const char *body, json_t **data,
    char **why)
{
	json_t		*root = NULL, *sc, *rd;
	json_error_t	 jerr;
	const char	*st = NULL, *sm = NULL, *lm = NULL, *hint = NULL;
	char		 buf[NC_MSG_MAX];
	long		 code = 0;
	enum outcome	 out;

	*data = NULL;
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
	if (root != NULL) {
		json_unpack(root, "{s?:s, s?:s, s?:s}", "status", &st,
		    "shortmessage", &sm, "longmessage", &lm);
		sc = json_object_get(root, "statuscode");
		if (json_is_integer(sc))
			code = (long)json_integer_value(sc);
		else if (json_is_string(sc))
			code = strtol(json_string_value(sc), NULL, 10);
	}
	if (status != 200 && (root == NULL || st == NULL)) {
		json_decref(root);
		*why = xasprintf("%s: HTTP %ld (no netcup reply)", action,
		    status);
		return provider_status_outcome(status);
	}
	if (root == NULL || st == NULL || code == 0) {
		buf[0] = '\0';
		provider_append(buf, sizeof(buf), root == NULL ? jerr.text :
		    "no status and statuscode");
		json_decref(root);
		*why = xasprintf("%s: HTTP %ld: not a netcup API reply: %s",
		    action, status, buf);
		return OUT_PROTOCOL;
	}
	if (strcmp(st, "success") == 0 && code >= 2000 && code < 3000) {
		rd = json_object_get(root, "responsedata");
		*data = rd != NULL ? json_incref(rd) : json_null();
		json_decref(root);
		return OUT_CURRENT;
	}
	snprintf(buf, sizeof(buf), "%s: %s %ld", action, st, code);
	if (sm != NULL) {
		provider_append(buf, sizeof(buf), ": ");
		provider_append(buf, sizeof(buf), sm);
	}
	if (lm != NULL && (sm == NULL || strcmp(sm, lm) != 0)) {
		provider_append(buf, sizeof(buf), sm != NULL ? " " : ": ");
		provider_append(buf, sizeof(buf), lm);
	}
	if (is_limit(lm) || is_limit(sm)) {
		out = OUT_TEMPFAIL;
		if (strcmp(action, "login") == 0)
			hint = NC_HINT_LIMIT;
	} else if (strcmp(action, "login") == 0) {
		out = OUT_AUTH;
		hint = NC_HINT_LOGIN;
	} else if (code == 4001)
		out = OUT_TEMPFAIL;	/* the session ended under us */
	else if (code >= 4000 && code < 6000)
		out = OUT_CONFIG;
	else
		out = OUT_PROTOCOL;
	json_decref(root);
	*why = hint != NULL ? xasprintf("%s (%s)", buf, hint) :
	    xasprintf("%s", buf);
	return out;
}

/* The session id; see netcup.h. */
char *
nc_session(json_t *data)
{
	const char	*s;

	if (json_unpack(data, "{s:s}", "apisessionid", &s) == -1 ||
	    s[0] == '\0' || provider_has_ctl(s))
		return NULL;
	return strdup(s);
}

/* Free what an nc_rec holds and zero it; NULL is a no-op. */
void
nc_rec_free(struct nc_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->host);
	free(r->dest);
	memset(r, 0, sizeof(*r));
}

/* Find host and type; see netcup.h. */
int
nc_find(json_t *data, const char *host, const char *type,
    struct nc_rec *first, size_t *count, char **why)
{
	json_t		*list, *r;
	const char	*h, *t, *d;
	size_t		 i;

	memset(first, 0, sizeof(*first));
	*count = 0;
	*why = NULL;
	list = json_object_get(data, "dnsrecords");
	if (!json_is_array(list)) {
		*why = xasprintf("no \"dnsrecords\" array in the reply");
		return -1;
	}
	json_array_foreach(list, i, r) {
		if (json_unpack(r, "{s:s, s:s, s:s}", "hostname", &h, "type",
		    &t, "destination", &d) == -1) {
			*why = xasprintf("record %zu lacks hostname, type or "
			    "destination", i);
			goto bad;
		}
		if (strcasecmp(t, type) != 0 || strcasecmp(h, host) != 0)
			continue;
		if ((*count)++ > 0)
			continue;
		if ((first->id = provider_json_id(json_object_get(r,
		    "id"))) == NULL) {
			*why = xasprintf("record %zu has no numeric id", i);
			goto bad;
		}
		if ((first->host = strdup(h)) == NULL ||
		    (first->dest = strdup(d)) == NULL) {
			*why = xasprintf("out of memory");
			goto bad;
		}
	}
	return 0;
bad:
	nc_rec_free(first);
	*count = 0;
	return -1;
}

/* The record set of one write; see netcup.h. */
json_t *
nc_recordset(const char *id, const char *host, const char *type,
    const char *dest)
{
	json_t	*r;

	r = json_pack("{s:s, s:s, s:s, s:s, s:b}", "hostname", host, "type",
	    type, "priority", "", "destination", dest, "deleterecord", 0);
	if (r == NULL)
		return NULL;
	if (id != NULL && json_object_set_new(r, "id", json_string(id)) ==
	    -1) {
		json_decref(r);
		return NULL;
	}
	return json_pack("{s:[o]}", "dnsrecords", r);
}

/* ---- talking to the API ------------------------------------------------- */

/* Set *why to inner (malloc'd, consumed; NULL: out of memory) prefixed
 * with the record, and set the wait after the limit; returns out. */
static enum outcome
fail(struct ncp *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label : "netcup",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	if (c->limited && c->ctx->retry_after <= 0)
		c->ctx->retry_after = NC_WAIT_LIMIT;
	return out;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
nc_init(struct ncp *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->data = addr->text;
	if ((c->label = xasprintf("netcup: %s %s", rec->name, c->type)) ==
	    NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	c->customer = rec_str(rec, "customer_number");
	c->apikey = rec_str(rec, "api_key");
	c->apipw = rec_str(rec, "api_password");
	c->insecure = rec_bool(rec, "insecure", 0);
	if (c->customer == NULL || c->customer[0] == '\0' ||
	    strspn(c->customer, "0123456789") != strlen(c->customer))
		return fail(c, OUT_CONFIG, xasprintf("customer_number must be "
		    "the customer number, digits only"), why);
	if (c->apikey == NULL || c->apikey[0] == '\0' ||
	    c->apipw == NULL || c->apipw[0] == '\0')
		return fail(c, OUT_CONFIG, xasprintf("api_key and api_password "
		    "must be set"), why);
	if ((c->url = rec_str(rec, "endpoint")) == NULL)
		c->url = NC_ENDPOINT;
	if ((strncasecmp(c->url, "https://", 8) != 0 &&
	    strncasecmp(c->url, "http://", 7) != 0) ||
	    provider_has_ctl(c->url) || strchr(c->url, ' ') != NULL)
		return fail(c, OUT_CONFIG, xasprintf("endpoint \"%s\" is not "
		    "an http(s) URL", c->url), why);
	if (rec->zone == NULL && strchr(rec->name, '.') == NULL)
		return fail(c, OUT_CONFIG, xasprintf("\"%s\" has no zone: a "
		    "netcup domain has two labels or more", rec->name), why);
	return OUT_CURRENT;
}

/* Free what nc_init() allocated. */
static void
cleanup(struct ncp *c)
{
	free(c->session);
	free(c->label);
}

/*
 * POST one action with its parameters (apipassword only for login).
 * OUT_CURRENT with *data (caller json_decref()s), else an outcome, *why.
 */
static enum outcome
nc_call(struct ncp *c, const char *action, const char *domain, json_t *set,
    json_t **data, char **why)
{
	struct http_req	 req;
	struct http_resp resp;
	const char	*hdrs[] = { "Content-Type: application/json",
	    "Accept: application/json", NULL };
	char		*body, *inner = NULL;
	enum outcome	 out;
	int		 login = strcmp(action, "login") == 0;

	*data = NULL;
	c->limited = 0;
	if ((body = nc_body(action, c->customer, c->apikey, login ?
	    c->apipw : NULL, login ? NULL : c->session, domain, set)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.url = c->url;
	req.headers = hdrs;
	req.body = body;
	req.bodylen = strlen(body);
	req.insecure = c->insecure;
	memset(&resp, 0, sizeof(resp));
	out = provider_send(c->label, &req, &resp, c->ctx, why);
	explicit_bzero(body, strlen(body));
	free(body);
	if (out != OUT_CURRENT)
		return out;
	out = nc_reply(action, resp.status, resp.body, data, &inner);
	if (out == OUT_TEMPFAIL && resp.status == 200)
		c->limited = 1;
	http_resp_free(&resp);
	if (out != OUT_CURRENT)
		out = fail(c, out, inner, why);
	return out;
}

/* Log in: OUT_CURRENT with c->session, or an outcome with *why. */
static enum outcome
login(struct ncp *c, char **why)
{
	json_t		*data = NULL;
	enum outcome	 out;

	if ((out = nc_call(c, "login", NULL, NULL, &data, why)) !=
	    OUT_CURRENT)
		return out;
	if ((c->session = nc_session(data)) == NULL)
		out = fail(c, OUT_PROTOCOL, xasprintf("login: no apisessionid "
		    "in the reply"), why);
	json_decref(data);
	return out;
}

/* The run-cache key of this account's session; malloc'd or NULL. The
 * API key is part of it, in memory only. */
static char *
session_key(const struct ncp *c)
{
	return xasprintf("%s%s %s %s", NC_SESSION, c->url, c->customer,
	    c->apikey);
}

/*
 * The session of this account for the run: the cached one, else a new
 * login remembered in the run's cache (a refusal too). OUT_CURRENT with
 * c->session, else an outcome with *why.
 */
static enum outcome
session(struct ncp *c, char **why)
{
	json_t		*s, *cache = c->ctx->cache;
	const char	*sid = NULL, *msg = NULL;
	char		*key;
	json_int_t	 o = OUT_PROTOCOL, ra = 0;
	enum outcome	 out;

	if ((key = session_key(c)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	s = cache != NULL ? json_object_get(cache, key) : NULL;
	if (s != NULL && json_unpack(s, "{s:s}", "session", &sid) == 0) {
		free(key);
		log_info("%s: reusing this run's session", c->label);
		if ((c->session = strdup(sid)) == NULL)
			return fail(c, OUT_TEMPFAIL, NULL, why);
		return OUT_CURRENT;
	}
	if (s != NULL && json_unpack(s, "{s:I, s:s, s?:I}", "outcome", &o,
	    "why", &msg, "retry", &ra) == 0) {
		free(key);
		if (ra > c->ctx->retry_after)
			c->ctx->retry_after = (long)ra;
		c->limited = o == OUT_TEMPFAIL;
		return fail(c, (enum outcome)o, xasprintf("not logging in "
		    "again this run: %s", msg), why);
	}
	out = login(c, why);
	if (cache != NULL && out == OUT_CURRENT)
		json_object_set_new(cache, key, json_pack("{s:s, s:s, s:s, "
		    "s:b, s:s}", "url", c->url, "customer", c->customer,
		    "apikey", c->apikey, "insecure", c->insecure, "session",
		    c->session));
	else if (cache != NULL && *why != NULL)
		json_object_set_new(cache, key, json_pack("{s:I, s:s, s:I}",
		    "outcome", (json_int_t)out, "why", *why, "retry",
		    (json_int_t)c->ctx->retry_after));
	free(key);
	return out;
}

/* Log c's session out; a failure is only logged. */
static void
logout(struct ncp *c)
{
	json_t	*data = NULL;
	char	*why = NULL;
	long	 keep = c->ctx->retry_after;

	if (c->session == NULL)
		return;
	if (nc_call(c, "logout", NULL, NULL, &data, &why) != OUT_CURRENT)
		log_warnx("%s", why != NULL ? why : "netcup: logout failed");
	else
		log_info("%s: logged out", c->label);
	c->ctx->retry_after = keep;
	json_decref(data);
	free(why);
}

/*
 * updateDnsRecords for record id (NULL: create) of host in zone, then
 * find it in the reply. OUT_UPDATED with ctx->new_record_id, or an
 * outcome with *why.
 */
static enum outcome
nc_write(struct ncp *c, const char *zone, const char *id, const char *host,
    char **why)
{
	struct nc_rec	 got;
	json_t		*set, *data = NULL;
	char		*inner = NULL;
	size_t		 n;
	enum outcome	 out;

	memset(&got, 0, sizeof(got));
	if ((set = nc_recordset(id, host, c->type, c->data)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	log_info("%s: %s %s %s in %s", c->label, id == NULL ? "creating" :
	    "updating record", id != NULL ? id : host, c->data, zone);
	out = nc_call(c, "updateDnsRecords", zone, set, &data, why);
	json_decref(set);
	if (out != OUT_CURRENT)
		goto out;
	if (nc_find(data, host, c->type, &got, &n, &inner) == -1) {
		out = fail(c, OUT_PROTOCOL, inner, why);
		goto out;
	}
	if (n == 0 || !provider_same_address(got.dest, c->data)) {
		out = fail(c, OUT_PROTOCOL, xasprintf("updateDnsRecords: the "
		    "reply does not list %s %s %s", host, c->type, c->data),
		    why);
		goto out;
	}
	free(c->ctx->new_record_id);
	if ((c->ctx->new_record_id = xasprintf("%s/%s", zone, id != NULL ?
	    id : got.id)) == NULL)
		out = fail(c, OUT_TEMPFAIL, NULL, why);
	else
		out = OUT_UPDATED;
out:
	nc_rec_free(&got);
	json_decref(data);
	return out;
}

/*
 * Look the record up in zone and create it, update it or find it current.
 * The outcome, with *why on failure.
 */
static enum outcome
update_lookup(struct ncp *c, const char *zone, const char *host, char **why)
{
	struct nc_rec	 have;
	json_t		*data = NULL;
	char		*inner = NULL, *w;
	size_t		 n = 0;
	enum outcome	 out;

	memset(&have, 0, sizeof(have));
	if ((out = nc_call(c, "infoDnsRecords", zone, NULL, &data, why)) !=
	    OUT_CURRENT) {
		if (out == OUT_CONFIG) {
			c->ctx->hold = 1;
			w = *why;
			*why = xasprintf("%s (is %s a domain of this netcup "
			    "account, on netcup's nameservers?)", w, zone);
			free(w);
		}
		goto out;
	}
	if (nc_find(data, host, c->type, &have, &n, &inner) == -1) {
		out = fail(c, OUT_PROTOCOL, inner, why);
		goto out;
	}
	if (n > 1)
		log_warnx("%s: %zu records of that name and type; updating "
		    "%s only", c->label, n, have.id);
	if (n > 0 && provider_same_address(have.dest, c->data)) {
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
	out = nc_write(c, zone, n > 0 ? have.id : NULL, host, why);
out:
	nc_rec_free(&have);
	json_decref(data);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct ncp	 c;
	const char	*sid = ctx->record_id, *slash;
	char		*zone = NULL, *host = NULL, *inner = NULL;
	enum outcome	 out;

	*why = NULL;
	if ((out = nc_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	if (provider_split_name(rec->name, rec->zone, &zone, &host,
	    &inner) == -1) {
		ctx->hold = 1;
		out = fail(&c, OUT_CONFIG, inner, why);
		goto out;
	}
	if (rec->ttl > 0)
		log_info("%s: netcup has no per-record TTL; ttl ignored",
		    c.label);
	if ((out = session(&c, why)) != OUT_CURRENT)
		goto out;
	/* The stored id, when the address should change: one write. A
	 * forced or stale run looks and compares instead. */
	if (sid != NULL && (ctx->address == NULL ||
	    strcmp(ctx->address, addr->text) != 0) &&
	    (slash = strrchr(sid, '/')) != NULL &&
	    (size_t)(slash - sid) == strlen(zone) &&
	    strncasecmp(sid, zone, slash - sid) == 0 && slash[1] != '\0' &&
	    strspn(slash + 1, "0123456789") == strlen(slash + 1)) {
		out = nc_write(&c, zone, slash + 1, host, why);
		if (out == OUT_UPDATED || out == OUT_TEMPFAIL ||
		    out == OUT_AUTH)
			goto out;
		log_info("%s: writing record %s failed (%s); looking it up",
		    c.label, slash + 1, *why != NULL ? *why : "?");
		free(*why);
		*why = NULL;
	}
	out = update_lookup(&c, zone, host, why);
out:
	free(zone);
	free(host);
	cleanup(&c);
	return out;
}

/* NULL if rec can be pushed as configured, else why not (malloc'd). */
static char *
check(const struct record *rec)
{
	struct ncp	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (nc_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

/* End of the run: log each session the pushes opened out, once. */
static void
finish(json_t *cache)
{
	struct ncp	 c;
	struct push_ctx	 ctx;
	const char	*key, *sid;
	json_t		*s;

	memset(&ctx, 0, sizeof(ctx));
	ctx.cache = cache;
	json_object_foreach(cache, key, s) {
		memset(&c, 0, sizeof(c));
		c.ctx = &ctx;
		if (strncmp(key, NC_SESSION, strlen(NC_SESSION)) != 0 ||
		    json_unpack(s, "{s:s, s:s, s:s, s:b, s:s}", "url", &c.url,
		    "customer", &c.customer, "apikey", &c.apikey, "insecure",
		    &c.insecure, "session", &sid) == -1)
			continue;
		if ((c.label = xasprintf("netcup: customer %s",
		    c.customer)) == NULL || (c.session = strdup(sid)) == NULL)
			log_warnx("netcup: logout: out of memory");
		else
			logout(&c);
		cleanup(&c);
		json_object_del(s, "session");
	}
}

const struct provider provider_netcup = {
	.name = "netcup",
	.keys = keys,
	.push = push,
	.check = check,
	.finish = finish,
};
