/*
 * dnspod: the legacy DNSPod token API (dnsapi.cn).
 * https://docs.dnspod.cn/api/5f561f9ee75cf42d25bf6720/ (common parameters),
 * https://docs.dnspod.cn/api/5f562ae4e75cf42d25bf689e/ (Record.List),
 * https://docs.dnspod.cn/api/5f5623f9e75cf42d25bf6776/ (Record.Create),
 * https://docs.dnspod.cn/api/5f562a10e75cf42d25bf6866/ (Record.Modify)
 * (offline: ref/PROVIDERS.md)
 *
 * Quirks handled:
 * - Every call is a form POST to <endpoint>/<Action> carrying
 *   login_token=ID,TOKEN (an API token, not the account password),
 *   format=json, lang=en and error_on_empty=no.
 * - The API wants a User-Agent "Name/Version (contact email)" and may ban
 *   clients without one: we send "ddnsup/<version> (<email>)" as our own
 *   header (libcurl lets it replace the default one), or plain
 *   "ddnsup/<version>" when no email is configured.
 * - Success is status.code "1" (a string), whatever the HTTP status says
 *   about transport. "10" (no records) is an empty list.
 * - More than five updates an hour that change nothing lock the record for
 *   an hour, so we always list and compare first and never write an
 *   unchanged value; the stored record id is not used to write blindly.
 * - -2 (API limit) backs off an hour. -8 (30 failed logins in five
 *   minutes: the account is banned for an hour) is a credentials refusal
 *   that also backs off an hour rather than holding: the ban lifts by
 *   itself, and retrying sooner would only extend it.
 * - Sub-domains are relative to the domain, "@" for the apex; the record
 *   we manage is the one on the configured line (default "默认", which
 *   the API may also call "default" or line_id "0").
 * - Ids and numbers come as strings or numbers, depending on the call.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "dnspod.h"
#include "tencentcloud.h"

#define DP_ENDPOINT	"https://dnsapi.cn"
#define DP_LINE		"\xe9\xbb\x98\xe8\xae\xa4"	/* 默认, "default" */
#define DP_WAIT_LIMIT	3600	/* seconds after -2 or -8 */
#define DP_MSG_MAX	400

static const struct provider_key keys[] = {
	{ "email",	0 },
	{ "endpoint",	0 },
	{ "line",	0 },
	{ "login_token", KEY_REQUIRED | KEY_SECRET },
	{ NULL,		0 }
};

/* One push in progress. */
struct dp {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*token;
	const char		*line;		/* to write: configured or 默认 */
	const char		*type;
	const char		*value;
	char			*base;		/* endpoint, no trailing '/' */
	char			*ua;		/* User-Agent header line */
	char			*label;
	char			*domain;
	char			*sub;
	char			*code;		/* last error code, or NULL */
};

/* Error codes and what they mean for us. */
static const struct dp_err {
	const char	*code;
	enum outcome	 out;
	int		 hold;
	long		 retry;
	const char	*hint;
} dp_errs[] = {
	{ "-1", OUT_AUTH, 1, 0, "check login_token: \"ID,TOKEN\" of an API "
	    "token from the console's API token page" },
	{ "-2", OUT_TEMPFAIL, 0, DP_WAIT_LIMIT, "API call limit reached: "
	    "backing off for an hour" },
	{ "-3", OUT_AUTH, 1, 0, "not a DNSPod agent account" },
	{ "-4", OUT_AUTH, 1, 0, "not an agent of this user" },
	{ "-7", OUT_AUTH, 1, 0, "the account may not use this API" },
	{ "-8", OUT_AUTH, 0, DP_WAIT_LIMIT, "too many failed logins: the "
	    "account is banned for an hour; fix login_token and wait" },
	{ "-15", OUT_AUTH, 1, 0, "the account is banned" },
	{ "6", OUT_CONFIG, 1, 0, "is the domain in this account, and is "
	    "\"zone\" right?" },
	{ "7", OUT_CONFIG, 1, 0, "is the domain in this account, and is "
	    "\"zone\" right?" },
	{ "8", OUT_CONFIG, 1, 0, "is the domain in this account, and is "
	    "\"zone\" right?" },
	{ "21", OUT_CONFIG, 1, 0, "the domain or record is locked" },
	{ "22", OUT_CONFIG, 1, 0, "" },
	{ "23", OUT_CONFIG, 1, 0, "" },
	{ "24", OUT_CONFIG, 1, 0, "" },
	{ "25", OUT_CONFIG, 1, 0, "" },
	{ "26", OUT_CONFIG, 1, 0, "check \"line\"" },
	{ "27", OUT_CONFIG, 1, 0, "" },
	{ "31", OUT_CONFIG, 1, 0, "another record of the name conflicts "
	    "(CNAME or URL)" },
	{ "32", OUT_CONFIG, 1, 0, "check \"ttl\"" },
	{ "33", OUT_CONFIG, 1, 0, "" },
	{ "34", OUT_CONFIG, 1, 0, "" },
	{ "35", OUT_CONFIG, 1, 0, "" },
	{ "82", OUT_CONFIG, 1, 0, "" },
	{ "83", OUT_AUTH, 1, 0, "the account is locked" },
	{ "104", OUT_CURRENT, 0, 0, "" },	/* the record already exists */
	{ NULL, OUT_PROTOCOL, 0, 0, NULL }
};

/* ---- pure parts --------------------------------------------------------- */

/* Append "&k=v", both percent-encoded, to *s (realloc'd); 0/-1. */
static int
add_pair(char **s, const char *k, const char *v)
{
	char	*ek, *ev, *n = NULL;

	ek = http_pctenc(k);
	ev = http_pctenc(v);
	if (ek != NULL && ev != NULL)
		n = xasprintf("%s%s%s=%s", *s, **s != '\0' ? "&" : "", ek,
		    ev);
	free(ek);
	free(ev);
	if (n == NULL)
		return -1;
	free(*s);
	*s = n;
	return 0;
}

/* The form body; see dnspod.h. */
char *
dp_body(const char *token, const char *const *kv)
{
	char	*s;
	size_t	 i;

	if ((s = strdup("")) == NULL)
		return NULL;
	if (add_pair(&s, "login_token", token) == -1 ||
	    add_pair(&s, "format", "json") == -1 ||
	    add_pair(&s, "lang", "en") == -1 ||
	    add_pair(&s, "error_on_empty", "no") == -1)
		goto bad;
	for (i = 0; kv[i] != NULL && kv[i + 1] != NULL; i += 2)
		if (add_pair(&s, kv[i], kv[i + 1]) == -1)
			goto bad;
	return s;
bad:
	if (s != NULL)
		explicit_bzero(s, strlen(s));
	free(s);
	return NULL;
}

/* 1 if login_token looks like "ID,TOKEN", else 0. */
int
dp_token_ok(const char *t)
{
	const char	*comma, *p;

	if ((comma = strchr(t, ',')) == NULL || comma == t ||
	    comma[1] == '\0' || strchr(comma + 1, ',') != NULL)
		return 0;
	for (p = t; p < comma; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	for (p = comma + 1; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return 0;
	return 1;
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

/* Read a reply; see dnspod.h. */
enum outcome
dp_reply(long status, const char *body, json_t **rootp, char **codep,
    long *retry, int *hold, char **why)
{
	json_t		*root = NULL, *st = NULL;
	json_error_t	 jerr;
	const char	*msg = NULL;
	char		*code = NULL, buf[DP_MSG_MAX] = "";
	size_t		 i;

	*rootp = NULL;
	*codep = NULL;
	*retry = 0;
	*hold = 0;
	*why = NULL;
	if (body != NULL)
		root = json_loads(body, 0, &jerr);
	else
		snprintf(jerr.text, sizeof(jerr.text), "empty reply");
	if (root == NULL || json_unpack_ex(root, &jerr, 0, "{s:o}", "status",
	    &st) == -1 || (code = scalar(json_object_get(st, "code"))) ==
	    NULL) {
		if (root != NULL && st != NULL)
			snprintf(jerr.text, sizeof(jerr.text),
			    "no status.code");
		json_decref(root);
		provider_append(buf, sizeof(buf), jerr.text);
		if (status == 200) {
			*why = xasprintf("HTTP 200: not a DNSPod API reply: %s",
			    buf);
			return OUT_PROTOCOL;
		}
		*why = xasprintf("HTTP %ld (no DNSPod status in the reply)",
		    status);
		return provider_status_outcome(status);
	}
	if (strcmp(code, "1") == 0) {
		free(code);
		if (status != 200) {
			json_decref(root);
			*why = xasprintf("HTTP %ld with status 1", status);
			return provider_status_outcome(status);
		}
		*rootp = root;
		return OUT_CURRENT;
	}
	json_unpack(st, "{s:s}", "message", &msg);
	snprintf(buf, sizeof(buf), "code %s", code);
	if (msg != NULL) {
		provider_append(buf, sizeof(buf), ": ");
		provider_append(buf, sizeof(buf), msg);
	}
	for (i = 0; dp_errs[i].code != NULL; i++)
		if (strcmp(dp_errs[i].code, code) == 0)
			break;
	if (strcmp(code, "10") == 0) {
		/* No records: the caller reads it as an empty list. */
		*why = xasprintf("%s", buf);
		*codep = code;
		json_decref(root);
		return OUT_CONFIG;
	}
	*hold = dp_errs[i].hold;
	*retry = dp_errs[i].retry;
	if (dp_errs[i].hint != NULL && dp_errs[i].hint[0] != '\0')
		*why = xasprintf("%s (%s)", buf, dp_errs[i].hint);
	else
		*why = xasprintf("%s", buf);
	*codep = code;
	json_decref(root);
	return dp_errs[i].out;
}

/* Free what a dp_rec holds and zero it; NULL is a no-op. */
void
dp_rec_free(struct dp_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->value);
	free(r->line);
	memset(r, 0, sizeof(*r));
}

/* 1 if a record's line (name l, id lid; either may be NULL) is want. */
static int
line_is(const char *l, const char *lid, const char *want)
{
	if (strcmp(want, DP_LINE) == 0)
		return (l != NULL && (strcmp(l, DP_LINE) == 0 ||
		    strcasecmp(l, "default") == 0)) ||
		    (lid != NULL && strcmp(lid, "0") == 0);
	return l != NULL && strcmp(l, want) == 0;
}

/* Parse a record list; see dnspod.h. */
int
dp_parse_list(json_t *root, const char *sub, const char *type,
    const char *line, struct dp_rec *have, size_t *count, char **why)
{
	json_t		*list, *r;
	const char	*name, *t, *value, *l, *lid;
	char		*ttl;
	size_t		 i;

	memset(have, 0, sizeof(*have));
	*count = 0;
	*why = NULL;
	list = json_object_get(root, "records");
	if (list == NULL || json_is_null(list))
		return 0;
	if (!json_is_array(list)) {
		*why = xasprintf("\"records\" is not an array");
		return -1;
	}
	json_array_foreach(list, i, r) {
		l = lid = NULL;
		if (json_unpack_ex(r, NULL, 0, "{s:s, s:s, s:s, s?:s, s?:s}",
		    "name", &name, "type", &t, "value", &value, "line", &l,
		    "line_id", &lid) == -1) {
			*why = xasprintf("record %zu lacks name, type or "
			    "value", i);
			goto bad;
		}
		if (strcasecmp(name, sub) != 0 || strcmp(t, type) != 0 ||
		    !line_is(l, lid, line))
			continue;
		if ((*count)++ > 0)
			continue;
		if ((have->id = scalar(json_object_get(r, "id"))) == NULL ||
		    have->id[0] == '\0') {
			*why = xasprintf("record %zu has no id", i);
			goto bad;
		}
		if ((have->value = strdup(value)) == NULL ||
		    (l != NULL && (have->line = strdup(l)) == NULL)) {
			*why = xasprintf("out of memory");
			goto bad;
		}
		if ((ttl = scalar(json_object_get(r, "ttl"))) != NULL)
			have->ttl = strtol(ttl, NULL, 10);
		free(ttl);
	}
	return 0;
bad:
	dp_rec_free(have);
	*count = 0;
	return -1;
}

/* The id of a written record; see dnspod.h. */
char *
dp_parse_id(json_t *root, char **why)
{
	char	*id;

	*why = NULL;
	id = scalar(json_object_get(json_object_get(root, "record"), "id"));
	if (id == NULL || id[0] == '\0') {
		free(id);
		*why = xasprintf("no record id in the reply");
		return NULL;
	}
	return id;
}

/* ---- talking to the API ------------------------------------------------- */

/* Set *why to inner (malloc'd, consumed; NULL: out of memory) prefixed
 * with the record; returns out. */
static enum outcome
fail(struct dp *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label : "dnspod",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	return out;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
dp_init(struct dp *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*email;
	char		*inner = NULL;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->value = addr->text;
	c->token = rec_str(rec, "login_token");
	c->line = rec_str(rec, "line");
	email = rec_str(rec, "email");
	if ((c->label = xasprintf("dnspod: %s %s", rec->name, c->type)) ==
	    NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if (c->token == NULL || !dp_token_ok(c->token))
		return fail(c, OUT_CONFIG, xasprintf("login_token must be "
		    "\"ID,TOKEN\": the numeric ID and the token of a DNSPod "
		    "API token"), why);
	if (c->line != NULL && (*c->line == '\0' || provider_has_ctl(c->line)))
		return fail(c, OUT_CONFIG, xasprintf("line is empty or has a "
		    "control character"), why);
	if (c->line == NULL)
		c->line = DP_LINE;
	if (email != NULL && (*email == '\0' || provider_has_ctl(email) ||
	    strchr(email, '@') == NULL || strpbrk(email, "()") != NULL))
		return fail(c, OUT_CONFIG, xasprintf("email \"%s\" is not an "
		    "e-mail address", email), why);
	c->ua = email != NULL ? xasprintf("User-Agent: ddnsup/%s (%s)",
	    DDNSUP_VERSION, email) : xasprintf("User-Agent: ddnsup/%s",
	    DDNSUP_VERSION);
	if (c->ua == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((c->base = provider_base_url(rec_str(rec, "endpoint"),
	    DP_ENDPOINT, &inner)) == NULL)
		return fail(c, inner != NULL ? OUT_CONFIG : OUT_TEMPFAIL,
		    inner, why);
	if (provider_split_name(rec->name, rec->zone, &c->domain, &c->sub,
	    &inner) == -1)
		return fail(c, OUT_CONFIG, inner, why);
	return OUT_CURRENT;
}

/* Free what dp_init() allocated. */
static void
cleanup(struct dp *c)
{
	free(c->base);
	free(c->ua);
	free(c->label);
	free(c->domain);
	free(c->sub);
	free(c->code);
}

/*
 * Call action with the pairs kv. OUT_CURRENT with *root (caller
 * json_decref()s); else an error outcome with *why, c->code the vendor's
 * code if any, and the context's back-off and hold set.
 */
static enum outcome
dp_call(struct dp *c, const char *action, const char *const *kv,
    json_t **root, char **why)
{
	struct http_req	 req;
	struct http_resp resp;
	const char	*hdrs[3];
	char		*body, *url = NULL, *inner = NULL;
	long		 retry = 0;
	int		 hold = 0;
	enum outcome	 out;

	*root = NULL;
	free(c->code);
	c->code = NULL;
	if ((body = dp_body(c->token, kv)) == NULL ||
	    (url = xasprintf("%s/%s", c->base, action)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	hdrs[0] = c->ua;
	hdrs[1] = "Content-Type: application/x-www-form-urlencoded";
	hdrs[2] = NULL;
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.url = url;
	req.headers = hdrs;
	req.body = body;
	req.bodylen = strlen(body);
	req.insecure = rec_bool(c->rec, "insecure", 0);
	memset(&resp, 0, sizeof(resp));
	log_info("%s: %s", c->label, action);
	if ((out = provider_send(c->label, &req, &resp, c->ctx, why)) !=
	    OUT_CURRENT)
		goto out;
	out = dp_reply(resp.status, resp.body, root, &c->code, &retry, &hold,
	    &inner);
	http_resp_free(&resp);
	if (out != OUT_CURRENT || c->code != NULL) {
		if (retry > c->ctx->retry_after)
			c->ctx->retry_after = retry;
		c->ctx->hold = hold;
		out = fail(c, out, xasprintf("%s: %s", action, inner), why);
	}
out:
	free(inner);
	if (body != NULL)
		explicit_bzero(body, strlen(body));
	free(body);
	free(url);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct dp	 c;
	struct dp_rec	 have;
	json_t		*root = NULL;
	const char	*kv[17];
	char		*inner = NULL, *id = NULL, ttlbuf[24];
	size_t		 count = 0;
	long		 ttl;
	int		 n = 0;
	enum outcome	 out;

	*why = NULL;
	memset(&have, 0, sizeof(have));
	if ((out = dp_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;

	/* Always list and compare: unchanged writes get the record locked. */
	kv[0] = "domain";
	kv[1] = c.domain;
	kv[2] = "sub_domain";
	kv[3] = c.sub;
	kv[4] = "record_type";
	kv[5] = c.type;
	kv[6] = NULL;
	out = dp_call(&c, "Record.List", kv, &root, why);
	if (out != OUT_CURRENT) {
		if (c.code == NULL || strcmp(c.code, "10") != 0)
			goto out;
		free(*why);		/* 10: no records */
		*why = NULL;
		ctx->hold = 0;
		out = OUT_CURRENT;
	} else if (dp_parse_list(root, c.sub, c.type, c.line, &have, &count,
	    &inner) == -1) {
		out = fail(&c, OUT_PROTOCOL, inner, why);
		goto out;
	}
	json_decref(root);
	root = NULL;
	if (count > 1)
		log_warnx("%s: %zu records on that line; updating %s only",
		    c.label, count, have.id);
	if (count > 0 && strcmp(have.value, c.value) == 0 &&
	    (rec->ttl <= 0 || rec->ttl == have.ttl)) {
		log_info("%s: record %s already holds %s", c.label, have.id,
		    c.value);
		free(ctx->new_record_id);
		ctx->new_record_id = have.id;
		have.id = NULL;
		out = OUT_CURRENT;
		goto out;
	}

	kv[n++] = "domain";
	kv[n++] = c.domain;
	if (count > 0) {
		kv[n++] = "record_id";
		kv[n++] = have.id;
	}
	kv[n++] = "sub_domain";
	kv[n++] = c.sub;
	kv[n++] = "record_type";
	kv[n++] = c.type;
	kv[n++] = "record_line";
	kv[n++] = c.line;	/* the name we matched it by */
	kv[n++] = "value";
	kv[n++] = c.value;
	/* Record.Modify without ttl resets it to 600: send the record's. */
	ttl = rec->ttl > 0 ? rec->ttl : count > 0 ? have.ttl : 0;
	if (ttl > 0) {
		snprintf(ttlbuf, sizeof(ttlbuf), "%ld", ttl);
		kv[n++] = "ttl";
		kv[n++] = ttlbuf;
	}
	kv[n] = NULL;
	out = dp_call(&c, count > 0 ? "Record.Modify" : "Record.Create", kv,
	    &root, why);
	if (out == OUT_CURRENT && c.code != NULL) {
		/* 104: the API says it holds that already. */
		log_info("%s: %s", c.label, *why);
		free(*why);
		*why = NULL;
		goto out;
	}
	if (out != OUT_CURRENT)
		goto out;
	if ((id = dp_parse_id(root, &inner)) == NULL) {
		if (count == 0) {
			out = fail(&c, OUT_PROTOCOL, inner, why);
			goto out;
		}
		free(inner);
		id = strdup(have.id);
	}
	free(ctx->new_record_id);
	ctx->new_record_id = id;
	out = OUT_UPDATED;
out:
	json_decref(root);
	dp_rec_free(&have);
	cleanup(&c);
	return out;
}

/* NULL if rec can be pushed as configured, else why not (malloc'd). */
static char *
check(const struct record *rec)
{
	struct dp	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (dp_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
		free(why);
		why = NULL;
	}
	cleanup(&c);
	return why;
}

const struct provider provider_dnspod = {
	.name = "dnspod",
	.keys = keys,
	.push = push,
	.check = check,
};
