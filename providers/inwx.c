/*
 * inwx: INWX's DomRobot API, JSON-RPC flavour (provider "inwx"; the
 * DynDNS accounts INWX also sells are the dyndns2 preset "inwx").
 * https://www.inwx.com/en/help/apidoc (DomRobot XML-RPC, JSON-RPC API
 * Documentation: chapter 1 for the protocol, 2.1 account, 2.15
 * nameserver).
 *
 * Quirks handled:
 * - Every call is a POST of {"method":..., "params":{...}} to one URL
 *   (https://api.domrobot.com/jsonrpc/; the OT&E test system is
 *   https://api.ote.domrobot.com/jsonrpc/). The reply is {"code", "msg",
 *   "reason", "reasonCode", "resData"}: 1xxx is success (1000; 1500
 *   "ending session" for logout), 2xxx an error. The codes are EPP's
 *   (RFC 5730): 2200-2202 and 2501 authentication/authorization, 2303
 *   object does not exist, 2302 object exists, 2400/2500 command failed,
 *   2502 session limit. INWX's own list of codes (chapter 4) is empty in
 *   the published document, so the meaning of each is EPP's [assumed].
 * - account.login (user, pass) answers the session as a cookie only
 *   ("domrobot=..."), which every later call sends back. Its resData
 *   "tfa" is "0", or the second factor's name ("GOOGLE-AUTH"): then
 *   account.unlock (tan) with the current TOTP code (RFC 6238, SHA-1,
 *   30 s, 6 digits) of the "shared_secret" (base32, the text in the QR
 *   code) completes the login, unattended. INWX takes a code once [as
 *   users of other clients report]: one login serves the whole run.
 * - The session is kept in the run's cache, so every INWX record of a
 *   run shares one login (and one unlock); finish() logs each session
 *   out once at the end of the run. A refused login is remembered for
 *   the run too: the other records fail without asking again (a wrong
 *   password tried once per record could lock the account).
 * - The zone is the "zone" key, else the longest suffix of the name that
 *   nameserver.list (domain filter) lists; answers are cached per run.
 * - nameserver.info (domain, name, type) finds the record; names are
 *   fully qualified both ways [as INWX's own clients and lexicon use
 *   them], the apex being the domain itself. nameserver.createRecord
 *   (domain, type, name, content, ttl; no name for the apex: the
 *   documented default) answers resData.id; nameserver.updateRecord
 *   (id, content, ttl) changes one. A TTL is sent only when configured
 *   (INWX's default for new records is 3600).
 * - The state keeps the record id, so a later change is login,
 *   updateRecord and logout; a 2303 for that id (deleted by hand) is
 *   followed by a lookup.
 * - Throttling is not documented: HTTP 429/5xx (with Retry-After when
 *   sent) and code 2502 retry later, 60 seconds at least after 2502
 *   [assumed].
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "inwx.h"

#define IW_ENDPOINT	"https://api.domrobot.com/jsonrpc/"
#define IW_WAIT_LIMIT	60	/* seconds, after 2502 [assumed] */
#define IW_MSG_MAX	400
#define IW_SESSION	"inwx:session:"	/* cache key prefix */
#define IW_KEY_MAX	64	/* bytes of a decoded shared secret */
#define IW_HINT_LOGIN	"check username and password: those of the INWX " \
	"account (or of a sub-account with the DNS role), not of a DynDNS " \
	"account"
#define IW_HINT_UNLOCK	"check shared_secret (the base32 text of the 2FA " \
	"QR code) and this machine's clock; INWX takes each code once, so " \
	"logins less than 30 seconds apart fail"
#define IW_HINT_RIGHT	"the account may lack the right: a sub-account " \
	"needs the DNS role"

static const struct provider_key keys[] = {
	{ "endpoint",		0 },
	{ "password",		KEY_REQUIRED | KEY_SECRET },
	{ "shared_secret",	KEY_SECRET },
	{ "username",		KEY_REQUIRED },
	{ NULL,			0 }
};

/* One push in progress. */
struct iwp {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;
	const char		*data;
	const char		*user, *pass, *secret, *url;
	int			 insecure;
	char			*cookie;	/* "Cookie: ..." header, or NULL */
	char			*label;		/* "inwx: name A" */
	long			 code;		/* DomRobot code of the last
						 * answer, or 0 */
};

/* ---- pure parts --------------------------------------------------------- */

/* Decode base32; see inwx.h. */
int
inwx_base32(const char *s, unsigned char *out, size_t sz, size_t *len)
{
	static const char	 alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	const char		*p;
	unsigned long		 acc = 0;
	int			 bits = 0, c;
	size_t			 n = 0;

	*len = 0;
	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '-' || *s == '=')
			continue;
		c = (unsigned char)*s;
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c == '\0' || (p = strchr(alpha, c)) == NULL)
			return -1;
		acc = (acc << 5 | (unsigned long)(p - alpha)) & 0xfff;
		if ((bits += 5) >= 8) {
			bits -= 8;
			if (n == sz)
				return -1;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	if (n == 0)
		return -1;
	*len = n;
	return 0;
}

/* RFC 6238 TOTP; see inwx.h. */
int
inwx_totp(const unsigned char *key, size_t keylen, time_t t, int digits,
    char *out)
{
	unsigned char	 msg[8], mac[32];
	char		 num[16];
	unsigned long	 bin, mod = 1;
	unsigned long long step;
	size_t		 off;
	int		 i;

	if (t < 0 || digits < 6 || digits > 8 || keylen == 0)
		return -1;
	step = (unsigned long long)t / 30;
	for (i = 7; i >= 0; i--, step >>= 8)
		msg[i] = (unsigned char)(step & 0xff);
	if (crypto_hmac(1, key, keylen, msg, sizeof(msg), mac) != 20)
		return -1;
	off = mac[19] & 0x0f;
	bin = (unsigned long)(mac[off] & 0x7f) << 24 |
	    (unsigned long)mac[off + 1] << 16 |
	    (unsigned long)mac[off + 2] << 8 | (unsigned long)mac[off + 3];
	for (i = 0; i < digits; i++)
		mod *= 10;
	snprintf(num, sizeof(num), "%0*lu", digits, bin % mod);
	memcpy(out, num, (size_t)digits + 1);
	explicit_bzero(mac, sizeof(mac));
	return 0;
}

/* The body of a call; see inwx.h. */
char *
inwx_body(const char *method, json_t *params)
{
	json_t	*p, *o;
	char	*s = NULL;

	p = params != NULL ? json_copy(params) : json_object();
	if (p == NULL || json_object_set_new(p, "lang", json_string("en")) ==
	    -1) {
		json_decref(p);
		return NULL;
	}
	if ((o = json_pack("{s:s, s:o}", "method", method, "params", p)) !=
	    NULL) {
		s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
	}
	return s;
}

/* The outcome of DomRobot error code for method, and a hint (or NULL). */
static enum outcome
code_outcome(const char *method, long code, long status, const char **hint)
{
	*hint = NULL;
	switch (code) {
	case 2200:	/* authentication error */
	case 2201:	/* authorization error */
	case 2202:	/* invalid authorization information */
	case 2501:	/* authentication error; closing connection */
		if (strcmp(method, "account.login") == 0)
			*hint = IW_HINT_LOGIN;
		else if (strcmp(method, "account.unlock") == 0)
			*hint = IW_HINT_UNLOCK;
		else
			*hint = IW_HINT_RIGHT;
		return OUT_AUTH;
	case 2400:	/* command failed */
	case 2500:	/* command failed; closing connection */
	case 2502:	/* session limit exceeded */
		return OUT_TEMPFAIL;
	case 2000:	/* unknown command */
	case 2001:	/* command syntax error */
	case 2002:	/* command use error */
	case 2100:	/* unimplemented protocol version */
	case 2101:	/* unimplemented command */
	case 2102:	/* unimplemented option */
	case 2103:	/* unimplemented extension */
		return OUT_PROTOCOL;
	default:
		break;
	}
	if ((code >= 2003 && code <= 2005) || (code >= 2104 && code <= 2106) ||
	    (code >= 2300 && code <= 2308))
		return OUT_CONFIG;
	if (status == 429 || status >= 500)
		return OUT_TEMPFAIL;
	return OUT_PROTOCOL;
}

/* Read a reply; see inwx.h. */
enum outcome
inwx_reply(const char *method, long status, const char *body, json_t **res,
    long *code, char **why)
{
	json_t		*root = NULL, *c, *rd;
	json_error_t	 jerr;
	const char	*msg = NULL, *reason = NULL, *hint = NULL;
	char		 buf[IW_MSG_MAX];
	enum outcome	 out;

	*res = NULL;
	*why = NULL;
	*code = 0;
	if (body != NULL && body[0] != '\0')
		root = json_loads(body, 0, &jerr);
	else
		snprintf(jerr.text, sizeof(jerr.text), "empty reply");
	if (root != NULL && !json_is_object(root)) {
		snprintf(jerr.text, sizeof(jerr.text), "not a JSON object");
		json_decref(root);
		root = NULL;
	}
	c = root != NULL ? json_object_get(root, "code") : NULL;
	if (root != NULL && !json_is_integer(c))
		snprintf(jerr.text, sizeof(jerr.text), "no integer \"code\"");
	if (root == NULL || !json_is_integer(c)) {
		json_decref(root);
		if (status != 200) {
			*why = xasprintf("%s: HTTP %ld (no DomRobot reply)",
			    method, status);
			return provider_status_outcome(status);
		}
		buf[0] = '\0';
		provider_append(buf, sizeof(buf), jerr.text);
		*why = xasprintf("%s: HTTP %ld: not a DomRobot reply: %s",
		    method, status, buf);
		return OUT_PROTOCOL;
	}
	*code = (long)json_integer_value(c);
	if (*code >= 1000 && *code < 2000) {
		rd = json_object_get(root, "resData");
		*res = json_is_object(rd) ? json_incref(rd) : json_object();
		json_decref(root);
		return *res != NULL ? OUT_CURRENT : OUT_TEMPFAIL;
	}
	json_unpack(root, "{s?:s, s?:s}", "msg", &msg, "reason", &reason);
	snprintf(buf, sizeof(buf), "%s: code %ld", method, *code);
	if (msg != NULL) {
		provider_append(buf, sizeof(buf), ": ");
		provider_append(buf, sizeof(buf), msg);
	}
	if (reason != NULL && (msg == NULL || strcmp(msg, reason) != 0)) {
		provider_append(buf, sizeof(buf), " (");
		provider_append(buf, sizeof(buf), reason);
		provider_append(buf, sizeof(buf), ")");
	}
	out = *code >= 2000 && *code < 3000 ?
	    code_outcome(method, *code, status, &hint) : OUT_PROTOCOL;
	json_decref(root);
	*why = hint != NULL ? xasprintf("%s; %s", buf, hint) :
	    xasprintf("%s", buf);
	return out;
}

/* Whether login asks for a second factor; see inwx.h. */
int
inwx_tfa(json_t *res, const char **method)
{
	json_t	*t = json_object_get(res, "tfa");

	*method = NULL;
	if (t == NULL || json_is_null(t))
		return 0;
	if (json_is_integer(t)) {
		if (json_integer_value(t) == 0)
			return 0;
		*method = "unnamed";
		return 1;
	}
	if (!json_is_string(t))
		return -1;
	if (strcmp(json_string_value(t), "0") == 0 ||
	    json_string_value(t)[0] == '\0')
		return 0;
	*method = json_string_value(t);
	return 1;
}

/* 1 if a equals b ignoring case and one trailing dot on either. */
static int
same_name(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b);

	if (la > 0 && a[la - 1] == '.')
		la--;
	if (lb > 0 && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

/* Free what an inwx_rec holds and zero it; NULL is a no-op. */
void
inwx_rec_free(struct inwx_rec *r)
{
	if (r == NULL)
		return;
	free(r->id);
	free(r->content);
	memset(r, 0, sizeof(*r));
}

/* Find name and type; see inwx.h. */
int
inwx_find(json_t *res, const char *name, const char *type,
    struct inwx_rec *first, size_t *count, char **why)
{
	json_t		*list, *r;
	const char	*n, *t, *d;
	size_t		 i;

	memset(first, 0, sizeof(*first));
	*count = 0;
	*why = NULL;
	/* No "record" at all is an empty answer (the field is optional). */
	if ((list = json_object_get(res, "record")) == NULL)
		return 0;
	if (!json_is_array(list)) {
		*why = xasprintf("\"record\" is not an array");
		return -1;
	}
	json_array_foreach(list, i, r) {
		if (json_unpack(r, "{s:s, s:s, s:s}", "name", &n, "type", &t,
		    "content", &d) == -1) {
			*why = xasprintf("record %zu lacks name, type or "
			    "content", i);
			goto bad;
		}
		if (strcasecmp(t, type) != 0 || !same_name(n, name))
			continue;
		if ((*count)++ > 0)
			continue;
		if ((first->id = provider_json_id(json_object_get(r,
		    "id"))) == NULL) {
			*why = xasprintf("record %zu has no numeric id", i);
			goto bad;
		}
		if ((first->content = strdup(d)) == NULL) {
			*why = xasprintf("out of memory");
			goto bad;
		}
	}
	return 0;
bad:
	inwx_rec_free(first);
	*count = 0;
	return -1;
}

/* Whether nameserver.list lists dom; see inwx.h. */
int
inwx_listed(json_t *res, const char *dom)
{
	json_t		*list, *d;
	const char	*name;
	size_t		 i;

	if ((list = json_object_get(res, "domains")) == NULL)
		return 0;
	if (!json_is_array(list))
		return -1;
	json_array_foreach(list, i, d) {
		if (json_unpack(d, "{s:s}", "domain", &name) == -1)
			return -1;
		if (same_name(name, dom))
			return 1;
	}
	return 0;
}

/* The params of a write; see inwx.h. */
json_t *
inwx_write_params(const char *name, const char *zone, const char *type,
    const char *content, long ttl, const char *id)
{
	json_t	*p;
	int	 bad = 0;

	if (id != NULL)
		p = json_pack("{s:I, s:s}", "id",
		    (json_int_t)strtoll(id, NULL, 10), "content", content);
	else {
		p = json_pack("{s:s, s:s}", "domain", zone, "type", type);
		/* No name is the apex: createRecord's documented default. */
		if (p != NULL && !same_name(name, zone))
			bad |= json_object_set_new(p, "name",
			    json_string(name));
		if (p != NULL)
			bad |= json_object_set_new(p, "content",
			    json_string(content));
	}
	if (p != NULL && ttl > 0)
		bad |= json_object_set_new(p, "ttl", json_integer(ttl));
	if (bad) {
		json_decref(p);
		return NULL;
	}
	return p;
}

/* ---- talking to the API ------------------------------------------------- */

/*
 * POST method with params (borrowed) to url, with the session cookie
 * header when not NULL. OUT_CURRENT with resp filled (caller frees),
 * else OUT_TEMPFAIL with *why.
 */
static enum outcome
iw_send(const char *label, const char *url, int insecure, const char *cookie,
    const char *method, json_t *params, struct push_ctx *ctx,
    struct http_resp *resp, char **why)
{
	struct http_req	 req;
	const char	*hdrs[4];
	char		*body;
	size_t		 n = 0;
	enum outcome	 out;

	memset(resp, 0, sizeof(*resp));
	if ((body = inwx_body(method, params)) == NULL) {
		*why = xasprintf("%s: out of memory", label);
		return OUT_TEMPFAIL;
	}
	hdrs[n++] = "Content-Type: application/json";
	hdrs[n++] = "Accept: application/json";
	if (cookie != NULL)
		hdrs[n++] = cookie;
	hdrs[n] = NULL;
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.url = url;
	req.headers = hdrs;
	req.body = body;
	req.bodylen = strlen(body);
	req.insecure = insecure;
	out = provider_send(label, &req, resp, ctx, why);
	explicit_bzero(body, strlen(body));
	free(body);
	return out;
}

/* Set *why to inner (malloc'd, consumed; NULL: out of memory) prefixed
 * with the record; returns out. */
static enum outcome
fail(struct iwp *c, enum outcome out, char *inner, char **why)
{
	free(*why);
	*why = xasprintf("%s: %s", c->label != NULL ? c->label : "inwx",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	return out;
}

/*
 * Call method with params (borrowed). OUT_CURRENT with *res (caller
 * json_decref()s) and, when cookies is not NULL, the reply's cookies
 * (malloc'd or NULL); else an outcome with *why. c->code is the reply's
 * DomRobot code.
 */
static enum outcome
iw_call(struct iwp *c, const char *method, json_t *params, json_t **res,
    char **cookies, char **why)
{
	struct http_resp resp;
	char		*inner = NULL;
	enum outcome	 out;

	*res = NULL;
	c->code = 0;
	if (params == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	out = iw_send(c->label, c->url, c->insecure, c->cookie, method,
	    params, c->ctx, &resp, why);
	if (out != OUT_CURRENT)
		return out;
	out = inwx_reply(method, resp.status, resp.body, res, &c->code,
	    &inner);
	if (out == OUT_CURRENT && cookies != NULL) {
		*cookies = resp.cookies;
		resp.cookies = NULL;
	}
	if (resp.cookies != NULL)
		explicit_bzero(resp.cookies, strlen(resp.cookies));
	http_resp_free(&resp);
	if (c->code == 2502 && c->ctx->retry_after < IW_WAIT_LIMIT)
		c->ctx->retry_after = IW_WAIT_LIMIT;
	if (out != OUT_CURRENT)
		out = fail(c, out, inner, why);
	return out;
}

/* Register each value of the cookie list s ("a=1; b=2") as a secret. */
static void
hide_cookies(const char *s)
{
	char	*copy, *v, *end;

	if ((copy = strdup(s)) == NULL)
		return;
	for (v = copy; (v = strchr(v, '=')) != NULL; v = end) {
		v++;
		end = v + strcspn(v, ";");
		if (*end != '\0')
			*end++ = '\0';
		log_secret(v);
	}
	explicit_bzero(copy, strlen(s));
	free(copy);
}

/* account.logout with the session header cookie; a failure is only
 * logged, and leaves ctx->retry_after as it was. */
static void
iw_logout(const char *label, const char *url, int insecure,
    const char *cookie, struct push_ctx *ctx)
{
	struct http_resp resp;
	json_t		*p, *res = NULL;
	char		*why = NULL;
	long		 code, keep = ctx->retry_after;

	if ((p = json_object()) == NULL) {
		log_warnx("%s: account.logout: out of memory", label);
		return;
	}
	if (iw_send(label, url, insecure, cookie, "account.logout", p, ctx,
	    &resp, &why) == OUT_CURRENT) {
		free(why);
		if (inwx_reply("account.logout", resp.status, resp.body, &res,
		    &code, &why) == OUT_CURRENT)
			log_info("%s: logged out", label);
		else
			log_warnx("%s: %s", label, why);
		http_resp_free(&resp);
	} else
		log_warnx("%s", why != NULL ? why : "account.logout failed");
	ctx->retry_after = keep;
	json_decref(res);
	json_decref(p);
	free(why);
}

/* The run-cache key of this account's session; malloc'd or NULL. */
static char *
session_key(const struct iwp *c)
{
	return xasprintf("%s%s %s", IW_SESSION, c->url, c->user);
}

/*
 * Log in: account.login, then account.unlock with a TOTP code when the
 * account has two factors. OUT_CURRENT with *cookies (malloc'd), else an
 * outcome with *why.
 */
static enum outcome
login(struct iwp *c, char **cookies, char **why)
{
	unsigned char	 key[IW_KEY_MAX];
	size_t		 keylen = 0;
	json_t		*res = NULL, *p;
	const char	*tfa;
	char		 tan[9];
	enum outcome	 out;
	int		 r;

	*cookies = NULL;
	log_info("%s: logging in as %s", c->label, c->user);
	p = json_pack("{s:s, s:s}", "user", c->user, "pass", c->pass);
	out = iw_call(c, "account.login", p, &res, cookies, why);
	json_decref(p);
	if (out != OUT_CURRENT)
		goto out;
	if (*cookies == NULL || strchr(*cookies, '=') == NULL ||
	    provider_has_ctl(*cookies)) {
		out = fail(c, OUT_PROTOCOL, xasprintf("account.login: no "
		    "session cookie in the reply"), why);
		goto out;
	}
	hide_cookies(*cookies);
	if ((c->cookie = xasprintf("Cookie: %s", *cookies)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((r = inwx_tfa(res, &tfa)) == -1) {
		out = fail(c, OUT_PROTOCOL, xasprintf("account.login: \"tfa\" "
		    "is neither a string nor a number"), why);
		goto out;
	}
	if (r == 0)
		goto out;
	if (c->secret == NULL || c->secret[0] == '\0') {
		out = fail(c, OUT_AUTH, xasprintf("account.login: the account "
		    "asks for a second factor (%s): set shared_secret to the "
		    "base32 secret of its 2FA QR code", tfa), why);
		goto out;
	}
	if (inwx_base32(c->secret, key, sizeof(key), &keylen) == -1 ||
	    inwx_totp(key, keylen, time(NULL), 6, tan) == -1) {
		out = fail(c, OUT_CONFIG, xasprintf("shared_secret is not a "
		    "base32 TOTP secret"), why);
		goto out;
	}
	/* Spent once sent, but valid for seconds: not for the -vv dump. */
	log_secret(tan);
	log_info("%s: unlocking the session (%s)", c->label, tfa);
	json_decref(res);
	p = json_pack("{s:s}", "tan", tan);
	out = iw_call(c, "account.unlock", p, &res, NULL, why);
	json_decref(p);
out:
	explicit_bzero(key, sizeof(key));
	explicit_bzero(tan, sizeof(tan));
	json_decref(res);
	if (out != OUT_CURRENT && c->cookie != NULL) {
		/* Logged in but not unlocked: end that session now. */
		iw_logout(c->label, c->url, c->insecure, c->cookie, c->ctx);
		explicit_bzero(c->cookie, strlen(c->cookie));
		free(c->cookie);
		c->cookie = NULL;
	}
	if (out != OUT_CURRENT) {
		if (*cookies != NULL)
			explicit_bzero(*cookies, strlen(*cookies));
		free(*cookies);
		*cookies = NULL;
	}
	return out;
}

/*
 * The session of this account for the run: the cached one, else a new
 * login remembered in the run's cache (a refusal too). OUT_CURRENT with
 * c->cookie, else an outcome with *why.
 */
static enum outcome
session(struct iwp *c, char **why)
{
	json_t		*s, *cache = c->ctx->cache;
	const char	*ck = NULL, *msg = NULL;
	char		*key, *cookies = NULL;
	json_int_t	 o = OUT_PROTOCOL, ra = 0;
	enum outcome	 out;

	if ((key = session_key(c)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	s = cache != NULL ? json_object_get(cache, key) : NULL;
	if (s != NULL && json_unpack(s, "{s:s}", "cookie", &ck) == 0) {
		free(key);
		log_info("%s: reusing this run's session", c->label);
		if ((c->cookie = xasprintf("Cookie: %s", ck)) == NULL)
			return fail(c, OUT_TEMPFAIL, NULL, why);
		return OUT_CURRENT;
	}
	if (s != NULL && json_unpack(s, "{s:I, s:s, s?:I}", "outcome", &o,
	    "why", &msg, "retry", &ra) == 0) {
		free(key);
		if (ra > c->ctx->retry_after)
			c->ctx->retry_after = (long)ra;
		return fail(c, (enum outcome)o, xasprintf("not logging in "
		    "again this run: %s", msg), why);
	}
	out = login(c, &cookies, why);
	if (cache != NULL && out == OUT_CURRENT)
		json_object_set_new(cache, key, json_pack("{s:s, s:s, s:b, "
		    "s:s}", "url", c->url, "user", c->user, "insecure",
		    c->insecure, "cookie", cookies));
	else if (cache != NULL && *why != NULL)
		json_object_set_new(cache, key, json_pack("{s:I, s:s, s:I}",
		    "outcome", (json_int_t)out, "why", *why, "retry",
		    (json_int_t)c->ctx->retry_after));
	if (cookies != NULL)
		explicit_bzero(cookies, strlen(cookies));
	free(cookies);
	free(key);
	return out;
}

/*
 * Whether the account has the domain cand (a provider_zone_fn):
 * OUT_CURRENT with *val its name (malloc'd) or NULL, else an error
 * outcome with *why.
 */
static enum outcome
domain_known(void *arg, const char *cand, char **val, char **why)
{
	struct iwp	*c = arg;
	json_t		*res = NULL, *p;
	enum outcome	 out;
	int		 r;

	*val = NULL;
	p = json_pack("{s:s}", "domain", cand);
	out = iw_call(c, "nameserver.list", p, &res, NULL, why);
	json_decref(p);
	if (out != OUT_CURRENT)
		return out;
	if ((r = inwx_listed(res, cand)) == -1)
		out = fail(c, OUT_PROTOCOL, xasprintf("nameserver.list: "
		    "\"domains\" is not a list of {\"domain\": name}"), why);
	else {
		log_info("%s: domain %s: %s", c->label, cand, r ? "found" :
		    "not on this account");
		if (r && (*val = strdup(cand)) == NULL)
			out = fail(c, OUT_TEMPFAIL, NULL, why);
	}
	json_decref(res);
	return out;
}

/* The zone the record lives in (malloc'd); OUT_CURRENT, else *why. */
static enum outcome
find_zone(struct iwp *c, char **zone, char **why)
{
	struct zone_walk w;
	enum outcome	 out;
	char		*pfx, *val;

	memset(&w, 0, sizeof(w));
	w.label = c->label;
	w.what = "INWX nameserver domain";
	w.hint = "add the domain to INWX's nameservers (DNS panel), or set "
	    "\"zone\"";
	w.lookup = domain_known;
	w.arg = c;
	if ((w.cachepfx = pfx = xasprintf("inwx:%s %s", c->url, c->user)) ==
	    NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	out = provider_find_zone(c->ctx, c->rec, &w, zone, &val, why);
	free(pfx);
	free(val);
	return out;
}

/*
 * Write the address into record id (NULL: create one in zone).
 * OUT_UPDATED with ctx->new_record_id (OUT_CURRENT when INWX calls a new
 * record a duplicate), or an outcome with *why.
 */
static enum outcome
iw_write(struct iwp *c, const char *zone, const char *id, char **why)
{
	json_t		*p, *res = NULL;
	char		*nid = NULL;
	enum outcome	 out;

	log_info("%s: %s %s %s", c->label, id != NULL ? "updating record" :
	    "creating it in", id != NULL ? id : zone, c->data);
	p = inwx_write_params(c->rec->name, zone, c->type, c->data,
	    c->rec->ttl, id);
	out = iw_call(c, id != NULL ? "nameserver.updateRecord" :
	    "nameserver.createRecord", p, &res, NULL, why);
	json_decref(p);
	if (out != OUT_CURRENT) {
		if (id == NULL && c->code == 2302) {
			/* Created meanwhile with this very content. */
			log_info("%s", *why);
			free(*why);
			*why = NULL;
			out = OUT_CURRENT;
		}
		goto out;
	}
	if (id == NULL && (nid = provider_json_id(json_object_get(res,
	    "id"))) == NULL) {
		out = fail(c, OUT_PROTOCOL, xasprintf("nameserver.createRecord:"
		    " no record id in the reply"), why);
		goto out;
	}
	free(c->ctx->new_record_id);
	if ((c->ctx->new_record_id = strdup(id != NULL ? id : nid)) == NULL)
		out = fail(c, OUT_TEMPFAIL, NULL, why);
	else
		out = OUT_UPDATED;
out:
	free(nid);
	json_decref(res);
	return out;
}

/* Look the record up and create it, update it or find it current. */
static enum outcome
update_lookup(struct iwp *c, char **why)
{
	struct inwx_rec	 have;
	json_t		*res = NULL, *p;
	char		*zone = NULL, *inner = NULL;
	size_t		 n = 0;
	enum outcome	 out;

	memset(&have, 0, sizeof(have));
	if ((out = find_zone(c, &zone, why)) != OUT_CURRENT)
		goto out;
	p = json_pack("{s:s, s:s, s:s}", "domain", zone, "name",
	    c->rec->name, "type", c->type);
	out = iw_call(c, "nameserver.info", p, &res, NULL, why);
	json_decref(p);
	if (out != OUT_CURRENT)
		goto out;
	if (inwx_find(res, c->rec->name, c->type, &have, &n, &inner) == -1) {
		out = fail(c, OUT_PROTOCOL, xasprintf("nameserver.info: %s",
		    inner != NULL ? inner : "?"), why);
		free(inner);
		goto out;
	}
	if (n > 1)
		log_warnx("%s: %zu records of that name and type; updating "
		    "%s only", c->label, n, have.id);
	if (n > 0 && provider_same_address(have.content, c->data)) {
		log_info("%s: record %s already holds %s", c->label, have.id,
		    c->data);
		free(c->ctx->new_record_id);
		if ((c->ctx->new_record_id = strdup(have.id)) == NULL)
			out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	out = iw_write(c, zone, n > 0 ? have.id : NULL, why);
out:
	inwx_rec_free(&have);
	json_decref(res);
	free(zone);
	return out;
}

/* Fill c; OUT_CURRENT, or an error outcome with *why. cleanup() frees. */
static enum outcome
iw_init(struct iwp *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	unsigned char	 key[IW_KEY_MAX];
	size_t		 keylen;
	int		 bad;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->data = addr->text;
	if ((c->label = xasprintf("inwx: %s %s", rec->name, c->type)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	c->user = rec_str(rec, "username");
	c->pass = rec_str(rec, "password");
	c->secret = rec_str(rec, "shared_secret");
	c->insecure = rec_bool(rec, "insecure", 0);
	if (c->user == NULL || c->user[0] == '\0' ||
	    provider_has_ctl(c->user) || c->pass == NULL ||
	    c->pass[0] == '\0')
		return fail(c, OUT_CONFIG, xasprintf("username and password "
		    "must be set"), why);
	if (c->secret != NULL && c->secret[0] != '\0') {
		bad = inwx_base32(c->secret, key, sizeof(key), &keylen) == -1;
		explicit_bzero(key, sizeof(key));
		if (bad)
			return fail(c, OUT_CONFIG, xasprintf("shared_secret "
			    "must be the base32 text of the 2FA QR code "
			    "(A-Z, 2-7)"), why);
	}
	if ((c->url = rec_str(rec, "endpoint")) == NULL)
		c->url = IW_ENDPOINT;
	if ((strncasecmp(c->url, "https://", 8) != 0 &&
	    strncasecmp(c->url, "http://", 7) != 0) ||
	    provider_has_ctl(c->url) || strchr(c->url, ' ') != NULL)
		return fail(c, OUT_CONFIG, xasprintf("endpoint \"%s\" is not "
		    "an http(s) URL", c->url), why);
	if (rec->zone == NULL && strchr(rec->name, '.') == NULL)
		return fail(c, OUT_CONFIG, xasprintf("\"%s\" has no zone: an "
		    "INWX domain has two labels or more", rec->name), why);
	return OUT_CURRENT;
}

/* Free what iw_init() and the push allocated. */
static void
cleanup(struct iwp *c)
{
	if (c->cookie != NULL)
		explicit_bzero(c->cookie, strlen(c->cookie));
	free(c->cookie);
	free(c->label);
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct iwp	 c;
	const char	*sid = ctx->record_id;
	enum outcome	 out;

	*why = NULL;
	if ((out = iw_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	if ((out = session(&c, why)) != OUT_CURRENT)
		goto out;
	/* The stored id, when the address should change: one write. A
	 * forced or stale run looks and compares instead. */
	if (sid != NULL && sid[0] != '\0' && strlen(sid) <= 20 &&
	    strspn(sid, "0123456789") == strlen(sid) &&
	    (ctx->address == NULL || strcmp(ctx->address, addr->text) != 0)) {
		out = iw_write(&c, NULL, sid, why);
		if (out == OUT_UPDATED || c.code != 2303)
			goto out;
		log_info("%s: record %s is gone (%s); looking it up", c.label,
		    sid, *why != NULL ? *why : "?");
		free(*why);
		*why = NULL;
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
	struct iwp	 c;
	struct addr	 a;
	struct push_ctx	 ctx;
	char		*why = NULL;

	memset(&a, 0, sizeof(a));
	a.fam = FAM_V4;
	memset(&ctx, 0, sizeof(ctx));
	if (iw_init(&c, rec, &a, &ctx, &why) == OUT_CURRENT) {
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
	struct push_ctx	 ctx;
	const char	*key, *url, *user, *ck;
	json_t		*s;
	char		*label, *hdr;
	int		 insecure;

	memset(&ctx, 0, sizeof(ctx));
	ctx.cache = cache;
	json_object_foreach(cache, key, s) {
		if (strncmp(key, IW_SESSION, strlen(IW_SESSION)) != 0 ||
		    json_unpack(s, "{s:s, s:s, s:b, s:s}", "url", &url, "user",
		    &user, "insecure", &insecure, "cookie", &ck) == -1)
			continue;
		label = xasprintf("inwx: %s", user);
		hdr = xasprintf("Cookie: %s", ck);
		if (label == NULL || hdr == NULL)
			log_warnx("inwx: account.logout: out of memory");
		else
			iw_logout(label, url, insecure, hdr, &ctx);
		if (hdr != NULL)
			explicit_bzero(hdr, strlen(hdr));
		free(hdr);
		free(label);
		json_object_del(s, "cookie");
	}
}

const struct provider provider_inwx = {
	.name = "inwx",
	.keys = keys,
	.push = push,
	.check = check,
	.finish = finish,
};
