/*
 * callback: one user-defined HTTP request, for services ddnsup has no
 * module for (webhooks, home-grown APIs, a router's admin page).
 *
 * There is no vendor document: the user describes the request.
 *   url            required; http:// or https:// only
 *   method         default GET, or POST when there is a body
 *   headers        object of "Name": "value template"; may also be given
 *                  as a string holding that JSON object (-o, env, file)
 *   body           template
 *   token          secret, only reachable as {token}, so that it need not
 *                  be pasted into url, headers or body (and never prints)
 *   success_status an integer, a list of them, or "200,204"; default 2xx
 *   success_body   text the reply must contain to count as success
 *   failure_body   text that, if present in the reply, means failure
 *
 * Templates know {address} (alias {ip}), {name}, {type} (A/AAAA),
 * {family} (4/6), {ttl}, {zone} and {token}; "{{" is a literal "{", and a
 * "{" not followed by a name and "}" is literal too, so JSON bodies need
 * no escaping. An unknown variable, or {ttl}/{zone}/{token} on a record
 * that does not set it, is a configuration error naming it.
 *
 * Values are escaped for where they land, because a token or a name may
 * hold any byte and must not change the request's structure:
 *   url     RFC 3986 percent-encoding of each substituted value
 *   body    by the Content-Type header: JSON string escaping for "json"
 *           (the author writes the quotes), percent-encoding for
 *           "x-www-form-urlencoded", else as is. With no Content-Type
 *           configured a body starting with "{" or "[" is sent as
 *           application/json, anything else as a form, so the label
 *           always matches the escaping (libcurl would otherwise call
 *           every body a form).
 *   headers as is, but a CR or LF anywhere refuses the request (header
 *           injection).
 *
 * The reply cannot say whether the record was already current, so a
 * success is always OUT_UPDATED; the state file keeps later runs from
 * calling again until the address changes.
 */
#include <stdlib.h>
#include <string.h>

#include "providers.h"
#include "callback.h"

#define EXCERPT_MAX	200	/* bytes of a reply quoted in a message */

/* A growable string; err is set once an allocation fails. */
struct sbuf {
	char	*p;
	size_t	 len;
	size_t	 cap;
	int	 err;
};

static const struct provider_key keys[] = {
	{ "body",		0 },
	{ "failure_body",	0 },
	{ "headers",		0 },
	{ "method",		0 },
	{ "success_body",	0 },
	{ "success_status",	0 },
	{ "token",		KEY_SECRET },
	{ "url",		KEY_REQUIRED },
	{ NULL,			0 }
};

/* Append n bytes of s; no return, failure is kept in b->err. */
static void
sbuf_add(struct sbuf *b, const char *s, size_t n)
{
	char	*np;
	size_t	 ncap;

	if (b->err)
		return;
	if (b->len + n + 1 > b->cap) {
		ncap = b->cap ? b->cap : 64;
		while (ncap < b->len + n + 1)
			ncap *= 2;
		if ((np = realloc(b->p, ncap)) == NULL) {
			b->err = 1;
			return;
		}
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* The finished string (caller frees), or NULL if any append failed. */
static char *
sbuf_take(struct sbuf *b)
{
	if (b->err) {
		free(b->p);
		return NULL;
	}
	if (b->p == NULL)
		return strdup("");
	return b->p;
}

/* 1 if c may appear in a template variable name. */
static int
is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/* ASCII lower case of c, whatever the locale says. */
static char
lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/* 1 if a equals b ignoring ASCII case. */
static int
eq_nocase(const char *a, const char *b)
{
	while (*a != '\0' && lower(*a) == lower(*b))
		a++, b++;
	return lower(*a) == lower(*b);
}

/* 1 if s starts with prefix, ignoring ASCII case. */
static int
prefix_nocase(const char *s, const char *prefix)
{
	for (; *prefix != '\0'; s++, prefix++)
		if (lower(*s) != lower(*prefix))
			return 0;
	return 1;
}

/* 1 if needle occurs in hay ignoring ASCII case. */
static int
has_nocase(const char *hay, const char *needle)
{
	size_t	 i, n = strlen(needle);

	for (; *hay != '\0'; hay++) {
		for (i = 0; i < n && lower(hay[i]) == lower(needle[i]); i++)
			continue;
		if (i == n)
			return 1;
	}
	return 0;
}

/* 1 if needle (NUL-terminated, non-empty) occurs in hay[0..len). Bodies
 * may hold NULs, and memmem is not everywhere. */
static int
has_bytes(const char *hay, size_t len, const char *needle)
{
	size_t	 i, n = strlen(needle);

	if (hay == NULL || n > len)
		return 0;
	for (i = 0; i + n <= len; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0)
			return 1;
	return 0;
}

/* Append v escaped as the inside of a JSON string (RFC 8259 section 7):
 * quote, backslash and control characters; UTF-8 passes as is. */
static void
esc_json(struct sbuf *b, const char *v)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 c;
	char			 u[7];

	for (; *v != '\0'; v++) {
		c = (unsigned char)*v;
		switch (c) {
		case '"':
			sbuf_add(b, "\\\"", 2);
			break;
		case '\\':
			sbuf_add(b, "\\\\", 2);
			break;
		case '\b':
			sbuf_add(b, "\\b", 2);
			break;
		case '\f':
			sbuf_add(b, "\\f", 2);
			break;
		case '\n':
			sbuf_add(b, "\\n", 2);
			break;
		case '\r':
			sbuf_add(b, "\\r", 2);
			break;
		case '\t':
			sbuf_add(b, "\\t", 2);
			break;
		default:
			if (c < 0x20) {
				memcpy(u, "\\u00", 4);
				u[4] = hex[c >> 4];
				u[5] = hex[c & 0xf];
				sbuf_add(b, u, 6);
			} else
				sbuf_add(b, v, 1);
			break;
		}
	}
}

/* Append v escaped for esc. */
static void
esc_value(struct sbuf *b, const char *v, enum callback_esc esc)
{
	char	*e;

	switch (esc) {
	case CALLBACK_URL:
	case CALLBACK_BODY_FORM:
		if ((e = http_pctenc(v)) == NULL) {
			b->err = 1;
			return;
		}
		sbuf_add(b, e, strlen(e));
		free(e);
		break;
	case CALLBACK_BODY_JSON:
		esc_json(b, v);
		break;
	case CALLBACK_RAW:
		sbuf_add(b, v, strlen(v));
		break;
	}
}

/* The list of variable names for a message, e.g. "{address} {ip}";
 * malloc'd, caller frees; NULL on allocation failure. */
static char *
var_list(const struct callback_var *vars)
{
	struct sbuf	 b = { NULL, 0, 0, 0 };
	size_t		 i;

	for (i = 0; vars[i].name != NULL; i++) {
		if (i > 0)
			sbuf_add(&b, " ", 1);
		sbuf_add(&b, "{", 1);
		sbuf_add(&b, vars[i].name, strlen(vars[i].name));
		sbuf_add(&b, "}", 1);
	}
	return sbuf_take(&b);
}

/* Expanded template (caller frees), or NULL with malloc'd *why. */
char *
callback_expand(const char *tmpl, enum callback_esc esc,
    const struct callback_var *vars, char **why)
{
	struct sbuf	 b = { NULL, 0, 0, 0 };
	const char	*p, *q;
	char		*list, *out;
	size_t		 i, n;

	*why = NULL;
	for (p = tmpl; *p != '\0'; ) {
		if (p[0] == '{' && p[1] == '{') {
			sbuf_add(&b, "{", 1);
			p += 2;
			continue;
		}
		if (p[0] != '{') {
			/* Copy the run of literal text up to the next brace. */
			for (q = p; *q != '\0' && *q != '{'; q++)
				continue;
			sbuf_add(&b, p, q - p);
			p = q;
			continue;
		}
		for (q = p + 1; is_ident(*q); q++)
			continue;
		if (q == p + 1 || *q != '}') {
			/* Not a variable: JSON's own braces, for one. */
			sbuf_add(&b, "{", 1);
			p++;
			continue;
		}
		n = q - (p + 1);
		for (i = 0; vars[i].name != NULL; i++)
			if (strlen(vars[i].name) == n &&
			    strncmp(vars[i].name, p + 1, n) == 0)
				break;
		if (vars[i].name == NULL) {
			list = var_list(vars);
			*why = xasprintf("unknown variable {%.*s} (known: %s)",
			    (int)n, p + 1, list ? list : "?");
			free(list);
			goto fail;
		}
		if (vars[i].value == NULL) {
			*why = xasprintf("{%s} is used but the record sets "
			    "no \"%s\"", vars[i].name, vars[i].name);
			goto fail;
		}
		esc_value(&b, vars[i].value, esc);
		p = q + 1;
	}
	if ((out = sbuf_take(&b)) == NULL)
		*why = xasprintf("out of memory");
	return out;
fail:
	free(b.p);
	return NULL;
}

/* 1 if name is an RFC 9110 token (a valid header or method name). */
static int
is_token(const char *name)
{
	const char	*p;

	if (*name == '\0')
		return 0;
	for (p = name; *p != '\0'; p++)
		if (!is_ident(*p) && strchr("!#$%&'*+-.^`|~", *p) == NULL)
			return 0;
	return 1;
}

/* "name: value" line (caller frees), or NULL with malloc'd *why. */
char *
callback_header(const char *name, const char *tmpl,
    const struct callback_var *vars, char **why)
{
	char	*v, *line;

	*why = NULL;
	if (!is_token(name)) {
		*why = xasprintf("header name \"%s\" is not a valid token",
		    name);
		return NULL;
	}
	if ((v = callback_expand(tmpl, CALLBACK_RAW, vars, why)) == NULL) {
		if (*why != NULL && (line = xasprintf("header %s: %s", name,
		    *why)) != NULL) {
			free(*why);
			*why = line;
		}
		return NULL;
	}
	/* The value is not quoted: a secret may be in it. */
	if (strpbrk(v, "\r\n") != NULL) {
		*why = xasprintf("header %s: the value contains a line "
		    "break (CR or LF), which would inject headers", name);
		free(v);
		return NULL;
	}
	line = xasprintf("%s: %s", name, v);
	free(v);
	if (line == NULL)
		*why = xasprintf("out of memory");
	return line;
}

/* Add status s to r; 0, or -1 with malloc'd *why. */
static int
add_status(struct callback_rules *r, long s, char **why)
{
	if (s < 100 || s > 599) {
		*why = xasprintf("success_status: %ld is not an HTTP status",
		    s);
		return -1;
	}
	if (r->nstatus == CALLBACK_MAXSTATUS) {
		*why = xasprintf("success_status: more than %d statuses",
		    CALLBACK_MAXSTATUS);
		return -1;
	}
	r->status[r->nstatus++] = s;
	return 0;
}

/* 0 with r->status filled from v, or -1 with malloc'd *why. */
int
callback_statuses(const json_t *v, struct callback_rules *r, char **why)
{
	const char	*s;
	char		*end;
	size_t		 i;
	long		 n;

	*why = NULL;
	r->nstatus = 0;
	if (v == NULL)
		return 0;
	if (json_is_integer(v)) {
		if (add_status(r, (long)json_integer_value(v), why) == -1)
			goto fail;
		return 0;
	}
	if (json_is_array(v) && json_array_size(v) > 0) {
		for (i = 0; i < json_array_size(v); i++) {
			if (!json_is_integer(json_array_get(v, i)))
				goto bad;
			n = (long)json_integer_value(json_array_get(v, i));
			if (add_status(r, n, why) == -1)
				goto fail;
		}
		return 0;
	}
	if ((s = json_string_value(v)) != NULL) {
		do {
			while (*s == ' ' || *s == ',')
				s++;
			n = strtol(s, &end, 10);
			if (end == s)
				goto bad;
			if (add_status(r, n, why) == -1)
				goto fail;
			s = end;
			while (*s == ' ')
				s++;
		} while (*s == ',');
		if (*s == '\0')
			return 0;
	}
bad:
	*why = xasprintf("success_status: expected an HTTP status, a list "
	    "of them, or \"200,204\"");
fail:
	r->nstatus = 0;
	return -1;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes) encoding a
 * printable character (no C1 controls), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t		 len, i;
	unsigned long	 cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond Unicode, C1 controls. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff ||
	    (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return len;
}

/* The first non-blank line of s[0..len), safe for a terminal and at most
 * EXCERPT_MAX bytes, "..." included when cut; malloc'd, caller frees. A
 * reply is untrusted: control bytes and broken UTF-8 become "?". */
static char *
excerpt(const char *s, size_t len)
{
	struct sbuf		 b = { NULL, 0, 0, 0 };
	const unsigned char	*p = (const unsigned char *)s, *end;
	size_t			 n;

	if (s == NULL)
		len = 0;
	end = p + len;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
	    *p == '\n'))
		p++;
	while (p < end && *p != '\r' && *p != '\n') {
		if (*p >= 0x20 && *p < 0x7f)
			n = 1;
		else if ((n = utf8_len(p, end - p)) == 0) {
			if (b.len + 1 > EXCERPT_MAX)
				break;
			sbuf_add(&b, "?", 1);
			p++;
			continue;
		}
		if (b.len + n > EXCERPT_MAX)
			break;
		sbuf_add(&b, (const char *)p, n);
		p += n;
	}
	if (p < end && *p != '\r' && *p != '\n' && !b.err) {
		/* Cut: make room for "..." without splitting a character. */
		n = b.len > EXCERPT_MAX - 3 ? EXCERPT_MAX - 3 : b.len;
		while (n > 0 && ((unsigned char)b.p[n] & 0xc0) == 0x80)
			n--;
		b.p[b.len = n] = '\0';
		sbuf_add(&b, "...", 3);
	}
	/* Trailing blanks say nothing. */
	while (b.len > 0 && (b.p[b.len - 1] == ' ' || b.p[b.len - 1] == '\t'))
		b.p[--b.len] = '\0';
	return sbuf_take(&b);
}

/* OUT_UPDATED, or an error outcome with malloc'd *why (caller frees). */
enum outcome
callback_judge(long status, const char *body, size_t len,
    const struct callback_rules *r, char **why)
{
	enum outcome	 o;
	char		*ex, *want;
	size_t		 i;
	int		 ok = 0;

	*why = NULL;
	if (r->nstatus == 0)
		ok = status >= 200 && status <= 299;
	for (i = 0; i < r->nstatus; i++)
		if (status == r->status[i])
			ok = 1;

	ex = excerpt(body, len);
	if (!ok) {
		o = provider_status_outcome(status);
		if (ex != NULL && *ex != '\0')
			*why = xasprintf("HTTP %ld: %s", status, ex);
		else
			*why = xasprintf("HTTP %ld", status);
	} else if (r->failure_body != NULL && *r->failure_body != '\0' &&
	    has_bytes(body, len, r->failure_body)) {
		o = OUT_PROTOCOL;
		want = excerpt(r->failure_body, strlen(r->failure_body));
		*why = xasprintf("HTTP %ld but the reply contains \"%s\" "
		    "(failure_body): %s", status, want ? want : "",
		    ex ? ex : "");
		free(want);
	} else if (r->success_body != NULL && *r->success_body != '\0' &&
	    !has_bytes(body, len, r->success_body)) {
		o = OUT_PROTOCOL;
		want = excerpt(r->success_body, strlen(r->success_body));
		if (ex != NULL && *ex != '\0')
			*why = xasprintf("HTTP %ld but the reply did not "
			    "contain \"%s\": %s", status, want ? want : "", ex);
		else
			*why = xasprintf("HTTP %ld but the reply did not "
			    "contain \"%s\" (empty reply)", status,
			    want ? want : "");
		free(want);
	} else
		o = OUT_UPDATED;
	free(ex);
	return o;
}

/* The headers option as an object (new reference), NULL if absent, or
 * NULL with *why if it is neither an object nor a string holding one. */
static json_t *
headers_obj(const struct record *rec, char **why)
{
	json_t		*v = json_object_get(rec->opts, "headers");
	json_error_t	 jerr;

	if (v == NULL)
		return NULL;
	if (json_is_object(v))
		return json_incref(v);
	if (json_is_string(v) && (v = json_loads(json_string_value(v), 0,
	    &jerr)) != NULL) {
		if (json_is_object(v))
			return v;
		json_decref(v);
	}
	*why = xasprintf("headers: expected an object of \"Name\": "
	    "\"value\"");
	return NULL;
}

/* Register the token's JSON-escaped form as a secret too, so that a -vv
 * dump of a JSON body cannot show it (log_secret already covers the
 * percent-encoded form). */
static void
token_forms(const char *token)
{
	struct sbuf	 b = { NULL, 0, 0, 0 };
	char		*e;

	esc_json(&b, token);
	if ((e = sbuf_take(&b)) != NULL && strcmp(e, token) != 0)
		log_secret(e);
	free(e);
}

/* The outcome of one callback request for rec and addr; *why is set
 * ("callback: name type: detail", malloc'd, caller frees) on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct callback_rules	 rules;
	struct http_req		 req;
	struct http_resp	 resp;
	enum callback_esc	 besc = CALLBACK_RAW;
	const char		*url, *body, *m, *k, *ctype = NULL;
	const char		*token = rec_str(rec, "token");
	char			 ttl[24], method[17], *r;
	char			*subj, *detail = NULL, *xurl = NULL;
	char			*xbody = NULL, **hdrs = NULL;
	json_t			*hobj = NULL, *v;
	size_t			 i, nh = 0;
	enum outcome		 o = OUT_CONFIG;
	struct callback_var	 vars[] = {
		{ "address",	addr->text },
		{ "ip",		addr->text },
		{ "name",	rec->name },
		{ "type",	fam_rrtype(addr->fam) },
		{ "family",	addr->fam == FAM_V4 ? "4" : "6" },
		{ "ttl",	NULL },
		{ "zone",	rec->zone },
		{ "token",	token },
		{ NULL,		NULL }
	};

	*why = NULL;
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	memset(&rules, 0, sizeof(rules));
	if ((subj = xasprintf("callback: %s %s", rec->name,
	    fam_rrtype(addr->fam))) == NULL)
		return OUT_TEMPFAIL;
	if (rec->ttl > 0) {
		(void)snprintf(ttl, sizeof(ttl), "%ld", rec->ttl);
		vars[5].value = ttl;
	}
	if (token != NULL)
		token_forms(token);

	/* Until the request is sent every failure is the configuration's,
	 * and holds the record until it changes (o is OUT_CONFIG). */
	url = rec_str(rec, "url");
	if (url == NULL || (!prefix_nocase(url, "http://") &&
	    !prefix_nocase(url, "https://"))) {
		detail = xasprintf("url: expected an http:// or https:// URL");
		goto out;
	}
	if (callback_statuses(json_object_get(rec->opts, "success_status"),
	    &rules, &detail) == -1)
		goto out;
	rules.success_body = rec_str(rec, "success_body");
	rules.failure_body = rec_str(rec, "failure_body");

	if ((hobj = headers_obj(rec, &detail)) == NULL && detail != NULL)
		goto out;
	/* Room for every configured header, an implied Content-Type, NULL. */
	if ((hdrs = calloc(json_object_size(hobj) + 2, sizeof(*hdrs))) ==
	    NULL)
		goto nomem;
	json_object_foreach(hobj, k, v) {
		if (!json_is_string(v)) {
			detail = xasprintf("headers: %s: expected a string", k);
			goto out;
		}
		if ((hdrs[nh] = callback_header(k, json_string_value(v), vars,
		    &detail)) == NULL)
			goto out;
		if (eq_nocase(k, "Content-Type"))
			ctype = hdrs[nh] + strlen(k) + 2;
		nh++;
	}

	if ((body = rec_str(rec, "body")) != NULL) {
		if (ctype == NULL) {
			for (m = body; *m == ' ' || *m == '\t' || *m == '\r' ||
			    *m == '\n'; m++)
				continue;
			ctype = (*m == '{' || *m == '[') ? "application/json" :
			    "application/x-www-form-urlencoded";
			if ((hdrs[nh++] = xasprintf("Content-Type: %s",
			    ctype)) == NULL)
				goto nomem;
		}
		if (has_nocase(ctype, "json"))
			besc = CALLBACK_BODY_JSON;
		else if (has_nocase(ctype, "x-www-form-urlencoded"))
			besc = CALLBACK_BODY_FORM;
		if ((xbody = callback_expand(body, besc, vars, &r)) == NULL) {
			detail = xasprintf("body: %s", r ? r : "out of memory");
			free(r);
			goto out;
		}
	}

	if ((m = rec_str(rec, "method")) == NULL)
		m = body != NULL ? "POST" : "GET";
	if (!is_token(m) || strlen(m) >= sizeof(method)) {
		detail = xasprintf("method: \"%s\" is not an HTTP method", m);
		goto out;
	}
	/* Methods are case-sensitive and the standard ones upper case. */
	for (i = 0; m[i] != '\0'; i++)
		method[i] = (m[i] >= 'a' && m[i] <= 'z') ? m[i] - 'a' + 'A' :
		    m[i];
	method[i] = '\0';

	if ((xurl = callback_expand(url, CALLBACK_URL, vars, &r)) == NULL) {
		detail = xasprintf("url: %s", r ? r : "out of memory");
		free(r);
		goto out;
	}

	req.method = method;
	req.url = xurl;
	req.headers = (const char *const *)hdrs;
	req.body = xbody;
	req.bodylen = xbody != NULL ? strlen(xbody) : 0;
	req.insecure = rec_bool(rec, "insecure", 0);
	if ((o = provider_send(subj, &req, &resp, ctx, why)) != OUT_CURRENT)
		goto out;
	o = callback_judge(resp.status, resp.body, resp.len, &rules, &detail);
	http_resp_free(&resp);
	goto out;
nomem:
	detail = xasprintf("out of memory");
	o = OUT_TEMPFAIL;
out:
	/* Refusals will not change by retrying; throttling and 5xx will. */
	if (o == OUT_AUTH || o == OUT_CONFIG)
		ctx->hold = 1;
	if (detail != NULL) {
		free(*why);
		*why = xasprintf("%s: %s", subj, detail);
		/* A reply may echo what it was sent, the token included. */
		if (*why != NULL && (r = log_redact(*why)) != NULL) {
			free(*why);
			*why = r;
		}
	}
	if (hdrs != NULL)
		for (i = 0; i < nh; i++)
			free(hdrs[i]);
	free(hdrs);
	json_decref(hobj);
	free(detail);
	free(xurl);
	free(xbody);
	free(subj);
	return o;
}

const struct provider provider_callback = {
	.name = "callback",
	.keys = keys,
	.push = push,
};
