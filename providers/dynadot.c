/*
 * dynadot: Dynadot's RESTful API (v2), DNS records of a domain.
 * https://www.dynadot.com/domain/api-document (GET_DNS, SET_DNS,
 * REMOVE_DNS; the page is marked Beta).
 *
 * Why not the older api3 (api3.json?key=...&command=set_dns2): set_dns2
 * replaces every record of the domain, so an update would have to read
 * them all (get_dns) and write them all back. That is not safe: nothing
 * makes the write conditional on what was read (a change made in between
 * is lost), set_dns2 carries at most 20 main and 100 subdomain records,
 * forwarding/stealth/email entries do not read back in the form they are
 * written, and acme.sh's authors saw successive whole-domain writes
 * applied out of order. Its key also travels in the URL. The RESTful API
 * has per-record calls instead, which is what is used here:
 *
 *   GET    /restful/v2/domains/{domain}/records      the records
 *   POST   same, {"dns_sub_list":[one record], "ttl": <the domain's>,
 *          "add_dns_to_current_setting": true}      adds one record
 *   DELETE same, {"dns_sub_list":[one record]}       removes that record
 *
 * (dns_main_list instead for the apex). An update adds the new address,
 * then removes the old one: every other record of the domain is left as
 * it is, and a failure in between leaves both addresses, never none.
 *
 * Auth: "Authorization: Bearer <API key>" and "X-Signature": base64 of
 * HMAC-SHA256 under the API secret of "key\npath?query\nX-Request-ID\n
 * body" (the documented string to sign; no X-Request-ID is sent, so that
 * part is empty, as documented).
 *
 * Quirks handled:
 * - The zone is found by GET .../records for the configured zone, else
 *   each suffix of two labels or more, longest first (provider_find_zone);
 *   404 (or a 400) means "not a domain of this account".
 * - The records come back as data.glue_info {glue_type, ttl (a number or
 *   a string), dns_main_list [{record_type, record_value1, ...}],
 *   dns_sub_list [{sub_host, ...}]}; record_type is "a" or "A" (both are
 *   seen), so it is compared without regard to case.
 * - A domain not served by Dynadot DNS (glue_type other than "DNS":
 *   parking, forwarding, other name servers) is refused (78): writing
 *   records would switch it to Dynadot DNS and drop that setting.
 * - Dynadot keeps one TTL per domain: the add sends the domain's own, so
 *   it does not change.
 * - Several records at the name and type are refused (78, held), except
 *   the one left by an update cut short (the new address and the one the
 *   state file says we set): the stale one is removed.
 * - Errors: 401/403 are the key, secret or the API's IP allow list (77);
 *   404 a domain not in the account, 409 a locked domain (78); 429 the
 *   documented 60 requests a minute (Retry-After, else 60 s).
 * - Dynadot has no record ids: nothing but the address goes to the state.
 *
 * ASSUMPTIONS, flagged (the Beta page lists names and types, not
 * behaviour): that add_dns_to_current_setting adds the record and keeps
 * the rest, that REMOVE_DNS removes exactly the records it is given, and
 * the glue_info reply shape (from public clients of this API, not the
 * page). Not tried against the live service.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "dynadot.h"

#define DD_ENDPOINT	"https://api.dynadot.com"
#define DD_PATH		"/restful/v2/domains/"
#define DD_WAIT_429	60	/* "60/Min" for a regular account */
#define DD_MSG_MAX	300
#define DD_HINT_AUTH	"check api_key and api_secret (Dynadot: Tools, API: " \
	"the production key and its secret key) and that this host's IP " \
	"address is on that page's allowed list"

static const struct provider_key keys[] = {
	{ "api_key",	KEY_REQUIRED | KEY_SECRET },
	{ "api_secret",	KEY_REQUIRED | KEY_SECRET },
	{ "endpoint",	0 },
	{ NULL,		0 }
};

/* One push in progress. */
struct ddp {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;		/* "A", "AAAA" */
	const struct addr	*addr;
	const char		*key, *secret;
	char			*auth;		/* the Authorization header */
	char			*base;		/* scheme://host, no '/' */
	char			*prefix;	/* the endpoint's path, or "" */
	char			*label;		/* "dynadot: name A" */
	long			 status;	/* of the last answer, or 0 */
};

/* ---- pure parts --------------------------------------------------------- */

/* X-Signature; see dynadot.h. */
char *
dynadot_sign(const char *key, const char *secret, const char *path,
    const char *request_id, const char *body)
{
	unsigned char	 mac[32];
	char		*msg, *sig;
	size_t		 n;

	if ((msg = xasprintf("%s\n%s\n%s\n%s", key, path, request_id != NULL ?
	    request_id : "", body != NULL ? body : "")) == NULL)
		return NULL;
	n = crypto_hmac(0, secret, strlen(secret), msg, strlen(msg), mac);
	explicit_bzero(msg, strlen(msg));
	free(msg);
	if (n != sizeof(mac))
		return NULL;
	sig = crypto_base64(mac, n);
	explicit_bzero(mac, sizeof(mac));
	return sig;
}

/* The string or number v as text in buf (sz bytes); "" when neither. */
static const char *
text(json_t *v, char *buf, size_t sz)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, sz, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	return "";
}

/* obj's member name, or Name (the page shows both spellings). */
static json_t *
member(json_t *obj, const char *name)
{
	json_t	*v;
	char	 cap[32];

	if ((v = json_object_get(obj, name)) != NULL)
		return v;
	snprintf(cap, sizeof(cap), "%s", name);
	cap[0] = (char)toupper((unsigned char)cap[0]);
	return json_object_get(obj, cap);
}

/* Read a reply; see dynadot.h. */
enum outcome
dynadot_reply(long status, const char *body, json_t **data,
    struct push_ctx *ctx, char **why)
{
	json_t		*root;
	json_error_t	 jerr;
	const char	*code, *msg, *hint = NULL;
	char		 num[32], num2[32], buf[DD_MSG_MAX] = "";
	long		 c;
	enum outcome	 out;

	*data = NULL;
	root = json_loads(body != NULL ? body : "", 0, &jerr);
	if (!json_is_object(root)) {
		json_decref(root);
		root = NULL;
	}
	code = text(member(root, "code"), num, sizeof(num));
	c = *code != '\0' ? strtol(code, NULL, 10) : 0;
	if (status >= 200 && status < 300 && root != NULL &&
	    (*code == '\0' || c == 200)) {
		if ((*data = member(root, "data")) != NULL)
			json_incref(*data);
		json_decref(root);
		return OUT_CURRENT;
	}
	if (status >= 200 && status < 300 && root == NULL) {
		*why = xasprintf("HTTP %ld and a reply that is not a JSON "
		    "object", status);
		return OUT_PROTOCOL;
	}
	/* An error: the body's code when the status is a success. */
	if (status >= 200 && status < 300)
		status = c;
	out = provider_status_outcome(status);
	msg = text(member(root, "message"), num2, sizeof(num2));
	if (*msg == '\0')
		msg = text(member(root, "error"), num2, sizeof(num2));
	if (*code != '\0') {
		provider_append(buf, sizeof(buf), code);
		provider_append(buf, sizeof(buf), ": ");
	}
	provider_append(buf, sizeof(buf), *msg != '\0' ? msg : "(no message)");
	switch (status) {
	case 401:
	case 403:
		hint = DD_HINT_AUTH;
		break;
	case 404:
		hint = "the domain is not in this Dynadot account";
		break;
	case 409:
		hint = "Dynadot refuses changes to the domain now (locked, "
		    "or an order pending)";
		out = OUT_CONFIG;
		break;
	case 429:
		if (ctx->retry_after <= 0)
			ctx->retry_after = DD_WAIT_429;
		break;
	}
	if (out == OUT_AUTH || out == OUT_CONFIG)
		ctx->hold = 1;
	*why = xasprintf("HTTP %ld: %s%s%s%s", status, buf, hint != NULL ?
	    " (" : "", hint != NULL ? hint : "", hint != NULL ? ")" : "");
	json_decref(root);
	return out;
}

/* Free what dynadot_parse() filled. */
void
dynadot_have_free(struct dynadot_have *h)
{
	free(h->glue_type);
	free(h->val[0]);
	free(h->val[1]);
	free(h->type[0]);
	free(h->type[1]);
	free(h->sub[0]);
	free(h->sub[1]);
	memset(h, 0, sizeof(*h));
}

/* Read the records; see dynadot.h. */
int
dynadot_parse(json_t *data, const char *rel, const char *type,
    struct dynadot_have *h, char **why)
{
	json_t		*glue, *list, *it, *v;
	const char	*sub, *rt, *val;
	char		 num[32], n1[32], n2[32], n3[32];
	size_t		 i;

	memset(h, 0, sizeof(*h));
	h->ttl = -1;
	if (!json_is_object(glue = json_object_get(data, "glue_info"))) {
		*why = xasprintf("no data.glue_info in the reply");
		return -1;
	}
	if ((h->glue_type = strdup(text(json_object_get(glue, "glue_type"),
	    num, sizeof(num)))) == NULL) {
		*why = NULL;
		return -1;
	}
	v = json_object_get(glue, "ttl");
	if (json_is_integer(v))
		h->ttl = (long)json_integer_value(v);
	else if (json_is_string(v) && *json_string_value(v) != '\0' &&
	    strspn(json_string_value(v), "0123456789") ==
	    strlen(json_string_value(v)) && strlen(json_string_value(v)) < 10)
		h->ttl = strtol(json_string_value(v), NULL, 10);
	list = json_object_get(glue, rel == NULL ? "dns_main_list" :
	    "dns_sub_list");
	if (list == NULL)
		return 0;
	if (!json_is_array(list)) {
		*why = xasprintf("glue_info.%s is not a list", rel == NULL ?
		    "dns_main_list" : "dns_sub_list");
		dynadot_have_free(h);
		return -1;
	}
	json_array_foreach(list, i, it) {
		sub = text(json_object_get(it, "sub_host"), n1, sizeof(n1));
		rt = text(json_object_get(it, "record_type"), n2, sizeof(n2));
		if (strcasecmp(rt, type) != 0 || (rel != NULL &&
		    strcasecmp(sub, rel) != 0))
			continue;
		val = text(json_object_get(it, "record_value1"), n3,
		    sizeof(n3));
		if (*val == '\0')
			val = text(json_object_get(it, "value1"), n3,
			    sizeof(n3));
		if (h->n < 2 && ((h->val[h->n] = strdup(val)) == NULL ||
		    (h->type[h->n] = strdup(rt)) == NULL ||
		    (rel != NULL && (h->sub[h->n] = strdup(sub)) == NULL))) {
			*why = NULL;
			dynadot_have_free(h);
			return -1;
		}
		h->n++;
	}
	return 0;
}

/* The body of an add or a removal; see dynadot.h. */
char *
dynadot_body(const char *rel, const char *rtype, const char *value,
    long ttl, int add)
{
	json_t	*root, *item, *list;
	char	*s;

	root = json_object();
	item = json_object();
	list = json_array();
	if (root == NULL || item == NULL || list == NULL ||
	    (rel != NULL && json_object_set_new(item, "sub_host",
	    json_string(rel)) == -1) ||
	    json_object_set_new(item, "record_type", json_string(rtype)) ==
	    -1 || json_object_set_new(item, "record_value1",
	    json_string(value)) == -1 || json_array_append(list, item) == -1 ||
	    json_object_set(root, rel == NULL ? "dns_main_list" :
	    "dns_sub_list", list) == -1 || (add && ttl >= 0 &&
	    json_object_set_new(root, "ttl", json_integer(ttl)) == -1) ||
	    (add && json_object_set_new(root, "add_dns_to_current_setting",
	    json_true()) == -1)) {
		json_decref(root);
		json_decref(item);
		json_decref(list);
		return NULL;
	}
	s = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);
	json_decref(item);
	json_decref(list);
	return s;
}

/* ---- the calls ---------------------------------------------------------- */

/* Set *why to inner (malloc'd, consumed; NULL: out of memory) prefixed
 * with the record; returns out. */
static enum outcome
fail(struct ddp *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label : "dynadot",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	return out;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
ddp_init(struct ddp *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*ep, *host;
	size_t		 n;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->addr = addr;
	c->type = fam_rrtype(addr->fam);
	if ((c->label = xasprintf("dynadot: %s %s", rec->name, c->type)) ==
	    NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	c->key = rec_str(rec, "api_key");
	c->secret = rec_str(rec, "api_secret");
	if (c->key == NULL || *c->key == '\0' || provider_has_ctl(c->key) ||
	    c->secret == NULL || *c->secret == '\0')
		return fail(c, OUT_CONFIG, xasprintf("api_key and api_secret "
		    "must be set, without control characters"), why);
	if ((c->auth = xasprintf("Authorization: Bearer %s", c->key)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((ep = rec_str(rec, "endpoint")) == NULL)
		ep = DD_ENDPOINT;
	if (strncasecmp(ep, "https://", 8) == 0)
		host = ep + 8;
	else if (strncasecmp(ep, "http://", 7) == 0)
		host = ep + 7;
	else
		host = NULL;
	if (host == NULL || (n = strcspn(host, "/")) == 0 ||
	    provider_has_ctl(ep) || strpbrk(ep, "?# ") != NULL)
		return fail(c, OUT_CONFIG, xasprintf("endpoint \"%s\" is not "
		    "an http(s) URL", ep), why);
	if ((c->base = xasprintf("%.*s", (int)(host + n - ep), ep)) == NULL ||
	    (c->prefix = strdup(host + n)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	n = strlen(c->prefix);
	while (n > 0 && c->prefix[n - 1] == '/')
		c->prefix[--n] = '\0';
	if (strchr(rec->name, '.') == NULL)
		return fail(c, OUT_CONFIG, xasprintf("\"%s\" has no domain: "
		    "a Dynadot domain has two labels or more", rec->name),
		    why);
	return OUT_CURRENT;
}

/* Free what ddp_init() allocated. */
static void
cleanup(struct ddp *c)
{
	if (c->auth != NULL)
		explicit_bzero(c->auth, strlen(c->auth));
	free(c->auth);
	free(c->base);
	free(c->prefix);
	free(c->label);
}

/*
 * Send method to the records of domain with body (or none), signed.
 * OUT_CURRENT with *data (may be NULL; caller json_decref()s); else an
 * error outcome with *why (c->status tells the HTTP status).
 */
static enum outcome
ddp_call(struct ddp *c, const char *method, const char *domain,
    const char *body, json_t **data, char **why)
{
	struct http_resp resp;
	const char	*hdrs[3];
	char		*e, *path = NULL, *url = NULL, *sig = NULL, *xs = NULL;
	char		*inner = NULL;
	enum outcome	 out;

	*data = NULL;
	c->status = 0;
	if ((e = http_pctenc(domain)) == NULL ||
	    (path = xasprintf("%s%s%s/records", c->prefix, DD_PATH, e)) ==
	    NULL || (url = xasprintf("%s%s", c->base, path)) == NULL ||
	    (sig = dynadot_sign(c->key, c->secret, path, NULL, body)) ==
	    NULL || (xs = xasprintf("X-Signature: %s", sig)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	hdrs[0] = c->auth;
	hdrs[1] = xs;
	hdrs[2] = NULL;
	if ((out = provider_json_send(c->label, c->rec, c->ctx, method, url,
	    hdrs, NULL, body, &resp, why)) != OUT_CURRENT)
		goto out;
	c->status = resp.status;
	out = dynadot_reply(resp.status, resp.body, data, c->ctx, &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT)
		out = fail(c, out, xasprintf("%s %s: %s", method, domain,
		    inner != NULL ? inner : "out of memory"), why);
	free(inner);
out:
	free(e);
	free(path);
	free(url);
	free(sig);
	free(xs);
	return out;
}

/*
 * Whether cand is a domain of the account (a provider_zone_fn): its
 * records answer. OUT_CURRENT with *val the name (malloc'd) or NULL when
 * it is not, else an error outcome with *why.
 */
static enum outcome
domain_known(void *arg, const char *cand, char **val, char **why)
{
	struct ddp	*c = arg;
	json_t		*data = NULL;
	enum outcome	 out;

	*val = NULL;
	out = ddp_call(c, "GET", cand, NULL, &data, why);
	json_decref(data);
	if (out != OUT_CURRENT && (c->status == 404 || c->status == 400)) {
		/* Not this one: neither a hold nor a message. */
		c->ctx->hold = 0;
		free(*why);
		*why = NULL;
		log_info("%s: domain %s: not on this account", c->label, cand);
		return OUT_CURRENT;
	}
	if (out != OUT_CURRENT)
		return out;
	log_info("%s: domain %s: found", c->label, cand);
	if ((*val = strdup(cand)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	return OUT_CURRENT;
}

/* The record's domain into *zone (malloc'd); the outcome. */
static enum outcome
find_zone(struct ddp *c, char **zone, char **why)
{
	struct zone_walk w;
	enum outcome	 out;
	char		*pfx, *val = NULL;

	memset(&w, 0, sizeof(w));
	w.label = c->label;
	w.what = "Dynadot domain";
	w.hint = "is the domain in this account? or set \"zone\"";
	w.lookup = domain_known;
	w.arg = c;
	if ((w.cachepfx = pfx = xasprintf("dynadot:%s%s", c->base,
	    c->prefix)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	out = provider_find_zone(c->ctx, c->rec, &w, zone, &val, why);
	free(pfx);
	free(val);
	return out;
}

/* 1 if the address text a is the address b, else 0. */
static int
same_address(const char *a, const struct addr *b)
{
	struct addr	 x;

	return addr_parse(a, b->fam, &x) == 0 && strcmp(x.text, b->text) == 0;
}

/* 1 if the address texts a and b (of family fam) are one address. */
static int
same_text(const char *a, const char *b, enum fam fam)
{
	struct addr	 y;

	return b != NULL && addr_parse(b, fam, &y) == 0 &&
	    same_address(a, &y);
}

/* Add the new address at rel, then remove old (NULL: none), spelt as
 * Dynadot has it: at osub, of type rtype. */
static enum outcome
replace(struct ddp *c, const char *zone, const char *rel, long ttl,
    const char *old, const char *osub, const char *rtype, char **why)
{
	json_t		*data = NULL;
	char		*body;
	enum outcome	 out;

	if ((body = dynadot_body(rel, c->type, c->addr->text, ttl, 1)) ==
	    NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	out = ddp_call(c, "POST", zone, body, &data, why);
	free(body);
	json_decref(data);
	if (out != OUT_CURRENT || old == NULL)
		return out == OUT_CURRENT ? OUT_UPDATED : out;
	if ((body = dynadot_body(osub, rtype, old, -1, 0)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	out = ddp_call(c, "DELETE", zone, body, &data, why);
	free(body);
	json_decref(data);
	if (out != OUT_CURRENT) {
		body = xasprintf("%s (%s was added, %s is still there)", *why,
		    c->addr->text, old);
		if (body != NULL) {
			free(*why);
			*why = body;
		}
		return out;
	}
	return OUT_UPDATED;
}

/* Make the record hold the address; the outcome, with *why on failure. */
static enum outcome
update(struct ddp *c, char **why)
{
	struct dynadot_have h;
	json_t		*data = NULL;
	const char	*rel = NULL, *mine;
	char		*zone = NULL, *rels = NULL, *inner = NULL;
	enum outcome	 out;
	size_t		 zl, nl;
	int		 k;

	memset(&h, 0, sizeof(h));
	if ((out = find_zone(c, &zone, why)) != OUT_CURRENT)
		goto out;
	zl = strlen(zone);
	nl = strlen(c->rec->name);
	if (nl > zl && (rels = xasprintf("%.*s", (int)(nl - zl - 1),
	    c->rec->name)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	rel = rels;
	if ((out = ddp_call(c, "GET", zone, NULL, &data, why)) != OUT_CURRENT)
		goto out;
	if (dynadot_parse(data, rel, c->type, &h, &inner) == -1) {
		out = fail(c, inner != NULL ? OUT_PROTOCOL : OUT_TEMPFAIL,
		    inner != NULL ? xasprintf("GET %s: %s", zone, inner) :
		    NULL, why);
		goto out;
	}
	if (strcasecmp(h.glue_type, "DNS") != 0) {
		c->ctx->hold = 1;
		out = fail(c, OUT_CONFIG, xasprintf("%s is not served by "
		    "Dynadot DNS (it is set to \"%s\"); choose Dynadot DNS "
		    "for it first, since writing a record would replace that "
		    "setting", zone, h.glue_type), why);
		goto out;
	}
	if (h.n == 1 && same_address(h.val[0], c->addr)) {
		out = OUT_CURRENT;
		goto out;
	}
	if (h.n == 0 || h.n == 1) {
		out = replace(c, zone, rel, h.ttl, h.n ? h.val[0] : NULL,
		    h.sub[0], h.type[0], why);
		goto out;
	}
	/* Two: an update cut short leaves the new address and the one the
	 * state says we set; anything else is not ours to choose from. */
	mine = c->ctx->address;
	k = h.n == 2 && same_address(h.val[0], c->addr) ? 1 :
	    h.n == 2 && same_address(h.val[1], c->addr) ? 0 : -1;
	if (k != -1 && same_text(h.val[k], mine, c->addr->fam)) {
		if ((inner = dynadot_body(h.sub[k], h.type[k], h.val[k], -1,
		    0)) == NULL) {
			out = fail(c, OUT_TEMPFAIL, NULL, why);
			goto out;
		}
		json_decref(data);
		data = NULL;
		out = ddp_call(c, "DELETE", zone, inner, &data, why);
		if (out == OUT_CURRENT)
			out = OUT_UPDATED;
		goto out;
	}
	c->ctx->hold = 1;
	out = fail(c, OUT_CONFIG, xasprintf("%zu %s records at %s; ddnsup "
	    "keeps one: remove the others in Dynadot's DNS settings", h.n,
	    c->type, c->rec->name), why);
out:
	dynadot_have_free(&h);
	json_decref(data);
	free(inner);
	free(rels);
	free(zone);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct ddp	 c;
	enum outcome	 out;

	*why = NULL;
	if ((out = ddp_init(&c, rec, addr, ctx, why)) == OUT_CURRENT)
		out = update(&c, why);
	cleanup(&c);
	return out;
}

/* NULL if rec can be pushed as configured, else why not (malloc'd). */
static char *
check(const struct record *rec)
{
	struct ddp	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (ddp_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_dynadot = {
	.name = "dynadot",
	.keys = keys,
	.push = push,
	.check = check,
};
