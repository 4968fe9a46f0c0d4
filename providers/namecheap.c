/*
 * namecheap: Namecheap's Dynamic DNS update by HTTP request.
 * https://www.namecheap.com/support/knowledgebase/article.aspx/29/11/
 * (how to dynamically update the host's IP with an HTTP request)
 *
 * One GET https://dynamicdns.park-your-domain.com/update?host=<host>
 * &domain=<domain>&password=<ddns password>&ip=<v4> per record. Quirks:
 * - The password is the per-domain Dynamic DNS password shown on the
 *   domain's Advanced DNS page once Dynamic DNS is on, not the account
 *   password nor an API key. It travels in the query string, so no
 *   message of ours quotes the URL; http.c redacts it in -vv dumps.
 * - IPv4 only: the service sets A records ("A + Dynamic DNS Record");
 *   an AAAA record is refused here before any traffic.
 * - The service cannot create a host nor tell what a host holds: the
 *   host must exist in Advanced DNS, every push is an update, and
 *   "unchanged" is the state file's knowledge (zero calls).
 * - The answer is HTTP 200 even on error: an <interface-response> XML
 *   document, success only when <ErrCount> is 0, errors in
 *   <errors><Err1>...</Err1></errors>. It declares encoding="utf-16"
 *   but is sent in UTF-8 (ASCII), so expat is told UTF-8 outright. A
 *   DOCTYPE is refused (no entity games).
 * - The zone ("domain=") is the configured zone, else the last two
 *   labels; host is the rest, "@" for the apex, "*" for a wildcard.
 */
#include <ctype.h>
#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "dyndns2.h"
#include "namecheap.h"

#define NC_EXCERPT	80	/* bytes of a non-XML reply quoted */
#define NC_TEXT		256	/* bytes kept of each element we read */
#define NC_DEPTH	8
#define NC_WAIT_429	60	/* seconds, when 429 has no Retry-After */
#define NC_HINT_PASS	"check password: the Dynamic DNS password from the " \
	"domain's Advanced DNS page (Dynamic DNS switched on), not the " \
	"account password"
#define NC_HINT_DOMAIN	"the domain is not in this Namecheap account or " \
	"does not use Namecheap's DNS; set \"zone\" if it has more labels"
#define NC_HINT_HOST	"add the host as an \"A + Dynamic DNS Record\" on " \
	"the domain's Advanced DNS page: this API only updates"

static const struct provider_key keys[] = {
	{ "endpoint",	0 },
	{ "password",	KEY_REQUIRED | KEY_SECRET },
	{ NULL,		0 }
};

/* What we read from an <interface-response>. */
struct ncx {
	XML_Parser	 p;
	int		 depth;
	char		 path[NC_DEPTH][24];	/* element names, truncated */
	char		*into;			/* buffer text goes to, or NULL */
	int		 root_ok;		/* the root is interface-response */
	const char	*bad;			/* why we stopped the parser */
	int		 nerr;			/* <ErrN> elements seen */
	char		 errcount[NC_TEXT];
	char		 done[NC_TEXT];
	char		 ip[NC_TEXT];
	char		 errs[NC_TEXT * 2];	/* "msg1; msg2" */
	char		 respno[NC_TEXT];	/* the first ResponseNumber */
};

/* ---- pure parts --------------------------------------------------------- */

/* The update URL; see namecheap.h. */
char *
namecheap_url(const char *endpoint, const char *host, const char *domain,
    const char *password, const struct addr *a, const char **err)
{
	char	*base, *h = NULL, *d = NULL, *p = NULL, *url = NULL;

	if ((base = dyndns2_base(endpoint != NULL ? endpoint :
	    NAMECHEAP_ENDPOINT, "/update", err)) == NULL)
		return NULL;
	if ((h = http_pctenc(host)) == NULL ||
	    (d = http_pctenc(domain)) == NULL ||
	    (p = http_pctenc(password)) == NULL)
		goto out;
	url = xasprintf("%shost=%s&domain=%s&password=%s&ip=%s", base, h, d,
	    p, a->text);
out:
	if (p != NULL)
		explicit_bzero(p, strlen(p));
	free(base);
	free(h);
	free(d);
	free(p);
	return url;
}

/* Append len bytes of s to buf (size sz, NUL-ended), truncating. */
static void
append_n(char *buf, size_t sz, const char *s, size_t len)
{
	size_t	 n = strlen(buf);

	if (len > sz - 1 - n)
		len = sz - 1 - n;
	memcpy(buf + n, s, len);
	buf[n + len] = '\0';
}

/* Stop the parse with reason why. */
static void
ncx_stop(struct ncx *x, const char *why)
{
	if (x->bad == NULL)
		x->bad = why;
	XML_StopParser(x->p, XML_FALSE);
}

/* 1 if the element at depth d (1: the root) is called name, else 0. */
static int
at(const struct ncx *x, int d, const char *name)
{
	return x->depth >= d && strcmp(x->path[d - 1], name) == 0;
}

/* expat: an element starts; aim the text at the buffer it fills. */
static void XMLCALL
ncx_start(void *arg, const XML_Char *name, const XML_Char **attrs)
{
	struct ncx	*x = arg;
	const char	*n;

	(void)attrs;
	if (x->depth >= NC_DEPTH) {
		ncx_stop(x, "nested too deep");
		return;
	}
	snprintf(x->path[x->depth], sizeof(x->path[0]), "%s", name);
	x->depth++;
	x->into = NULL;
	if (x->depth == 1) {
		x->root_ok = strcmp(name, "interface-response") == 0;
		return;
	}
	if (!x->root_ok)
		return;
	if (x->depth == 2 && strcmp(name, "ErrCount") == 0)
		x->into = x->errcount;
	else if (x->depth == 2 && strcmp(name, "Done") == 0)
		x->into = x->done;
	else if (x->depth == 2 && strcmp(name, "IP") == 0)
		x->into = x->ip;
	else if (x->depth == 3 && at(x, 2, "errors") &&
	    strncmp(name, "Err", 3) == 0) {
		for (n = name + 3; *n >= '0' && *n <= '9'; n++)
			;
		if (n == name + 3 || *n != '\0')
			return;
		if (x->nerr++ > 0)
			append_n(x->errs, sizeof(x->errs), "; ", 2);
		x->into = x->errs;
	} else if (x->depth == 4 && at(x, 2, "responses") &&
	    at(x, 3, "response") && strcmp(name, "ResponseNumber") == 0 &&
	    x->respno[0] == '\0')
		x->into = x->respno;
}

/* expat: an element ends. */
static void XMLCALL
ncx_end(void *arg, const XML_Char *name)
{
	struct ncx	*x = arg;

	(void)name;
	x->depth--;
	x->into = NULL;
}

/* expat: character data, kept when it belongs to an element we read. */
static void XMLCALL
ncx_chars(void *arg, const XML_Char *s, int len)
{
	struct ncx	*x = arg;

	if (x->into == NULL || len <= 0)
		return;
	append_n(x->into, x->into == x->errs ? sizeof(x->errs) : NC_TEXT, s,
	    (size_t)len);
}

/* expat: a DOCTYPE; Namecheap never sends one, so refuse it. */
static void XMLCALL
ncx_doctype(void *arg, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int internal)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)internal;
	ncx_stop(arg, "a DOCTYPE");
}

/* Trim white space at both ends of s, in place; returns s. */
static char *
trim(char *s)
{
	size_t	 n;

	while (isspace((unsigned char)*s))
		memmove(s, s + 1, strlen(s));
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* 1 if hay contains needle, ignoring case, else 0. */
static int
has(const char *hay, const char *needle)
{
	size_t	 n = strlen(needle);

	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

/* Read body into x: 0, or -1 with *why (malloc'd). */
static int
ncx_parse(struct ncx *x, const char *body, size_t len, char **why)
{
	int	 ok;

	memset(x, 0, sizeof(*x));
	/* The reply claims utf-16 and is not: say UTF-8 ourselves. */
	if ((x->p = XML_ParserCreate("UTF-8")) == NULL) {
		*why = NULL;
		return -1;
	}
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, ncx_start, ncx_end);
	XML_SetCharacterDataHandler(x->p, ncx_chars);
	XML_SetStartDoctypeDeclHandler(x->p, ncx_doctype);
	ok = XML_Parse(x->p, body, (int)len, XML_TRUE) == XML_STATUS_OK;
	if (!ok || x->bad != NULL)
		*why = x->bad != NULL ? xasprintf("not XML we accept: %s",
		    x->bad) : xasprintf("not XML: %s at line %lu",
		    XML_ErrorString(XML_GetErrorCode(x->p)),
		    (unsigned long)XML_GetCurrentLineNumber(x->p));
	else if (!x->root_ok)
		*why = xasprintf("not an <interface-response>");
	else {
		XML_ParserFree(x->p);
		return 0;
	}
	XML_ParserFree(x->p);
	return -1;
}

/* A reply that is not a Namecheap answer: OUT_PROTOCOL (2xx) or what the
 * status means, *why quoting an excerpt of body. */
static enum outcome
not_xml(long status, const char *body, const char *what,
    struct push_ctx *ctx, char **why)
{
	enum outcome	 o;
	char		*ex;

	if ((ex = dyndns2_excerpt(body, NC_EXCERPT)) == NULL)
		return OUT_TEMPFAIL;
	if (status >= 200 && status < 300) {
		o = OUT_PROTOCOL;
		*why = xasprintf("HTTP %ld: not a Namecheap reply (%s)%s%s%s",
		    status, what, *ex != '\0' ? ": \"" : "", ex,
		    *ex != '\0' ? "\"" : "");
	} else {
		o = provider_status_outcome(status);
		if (o == OUT_AUTH || o == OUT_CONFIG)
			ctx->hold = 1;
		if (status == 429 && ctx->retry_after <= 0)
			ctx->retry_after = NC_WAIT_429;
		*why = xasprintf("HTTP %ld%s%s", status, *ex != '\0' ? ": " :
		    "", ex);
	}
	free(ex);
	return o;
}

/* Read the answer; see namecheap.h. */
enum outcome
namecheap_parse(long status, const char *body, size_t len,
    const struct addr *a, struct push_ctx *ctx, char **why)
{
	struct ncx	 x;
	struct addr	 held;
	char		 msg[NC_TEXT * 2 + 64] = "", *inner = NULL, *end;
	const char	*hint = NULL;
	enum outcome	 o;
	long		 n;

	*why = NULL;
	if (body == NULL || len == 0)
		return not_xml(status, "", "empty", ctx, why);
	if (ncx_parse(&x, body, len, &inner) == -1) {
		if (inner == NULL)
			return OUT_TEMPFAIL;
		o = not_xml(status, body, inner, ctx, why);
		free(inner);
		return o;
	}
	if (status < 200 || status >= 300)
		return not_xml(status, body, "an error status", ctx, why);
	n = strtol(trim(x.errcount), &end, 10);
	if (x.errcount[0] == '\0' || *end != '\0' || n < 0) {
		*why = xasprintf("HTTP %ld: no <ErrCount> in the "
		    "<interface-response>", status);
		return OUT_PROTOCOL;
	}
	if (n == 0) {
		if (strcasecmp(trim(x.done), "true") != 0) {
			*why = xasprintf("HTTP %ld: <ErrCount> is 0 but "
			    "<Done> is not true", status);
			return OUT_PROTOCOL;
		}
		if (x.ip[0] != '\0' && addr_parse(trim(x.ip), FAM_MAX,
		    &held) == 0 && !addr_equal(&held, a)) {
			provider_append(msg, sizeof(msg), held.text);
			*why = xasprintf("Namecheap answered success but set "
			    "%s, not %s", msg, a->text);
			return OUT_PROTOCOL;
		}
		return OUT_UPDATED;
	}
	provider_append(msg, sizeof(msg), x.nerr > 0 ? trim(x.errs) :
	    "(no <ErrN> text)");
	if (x.respno[0] != '\0') {
		provider_append(msg, sizeof(msg), " (response ");
		provider_append(msg, sizeof(msg), trim(x.respno));
		provider_append(msg, sizeof(msg), ")");
	}
	if (has(x.errs, "password")) {
		o = OUT_AUTH;
		hint = NC_HINT_PASS;
	} else if (has(x.errs, "domain name not found") ||
	    has(x.errs, "domain not found")) {
		o = OUT_CONFIG;
		hint = NC_HINT_DOMAIN;
	} else if (has(x.errs, "record not found") ||
	    has(x.errs, "no records updated")) {
		o = OUT_CONFIG;
		hint = NC_HINT_HOST;
	} else if (has(x.errs, "invalid ip"))
		o = OUT_CONFIG;
	else
		o = OUT_PROTOCOL;
	if (o == OUT_AUTH || o == OUT_CONFIG)
		ctx->hold = 1;
	*why = hint != NULL ? xasprintf("Namecheap refused the update: %s (%s)",
	    msg, hint) : xasprintf("Namecheap refused the update: %s", msg);
	return o;
}

/* ---- the push ----------------------------------------------------------- */

/* Push one record; see struct provider. */
static enum outcome
push(const struct record *rec, const struct addr *a, struct push_ctx *ctx,
    char **why)
{
	const char		*pass, *err = NULL;
	char			*subj, *domain = NULL, *host = NULL;
	char			*url = NULL, *detail = NULL;
	struct http_req		 req;
	struct http_resp	 resp;
	enum outcome		 o = OUT_CONFIG;

	*why = NULL;
	if ((subj = xasprintf("namecheap: %s %s", rec->name,
	    fam_rrtype(a->fam))) == NULL)
		return OUT_TEMPFAIL;
	/* What is wrong with the configuration holds the record until the
	 * configuration changes. */
	ctx->hold = 1;
	if (a->fam != FAM_V4) {
		detail = xasprintf("Namecheap's Dynamic DNS sets A records "
		    "only: drop AAAA from \"types\"");
		goto out;
	}
	pass = rec_str(rec, "password");
	if (pass == NULL || *pass == '\0') {
		detail = xasprintf("needs \"password\" (the domain's Dynamic "
		    "DNS password)");
		goto out;
	}
	if (provider_split_name(rec->name, rec->zone, &domain, &host,
	    &detail) == -1)
		goto out;
	if ((url = namecheap_url(rec_str(rec, "endpoint"), host, domain,
	    pass, a, &err)) == NULL) {
		if (err == NULL)
			o = OUT_TEMPFAIL;
		else
			detail = xasprintf("\"endpoint\": %s", err);
		goto out;
	}
	ctx->hold = 0;
	memset(&req, 0, sizeof(req));
	req.url = url;
	req.insecure = rec_bool(rec, "insecure", 0);
	memset(&resp, 0, sizeof(resp));
	log_info("%s: updating host %s in %s", subj, host, domain);
	if ((o = provider_send(subj, &req, &resp, ctx, why)) != OUT_CURRENT)
		goto out;
	o = namecheap_parse(resp.status, resp.body, resp.len, a, ctx, &detail);
	http_resp_free(&resp);
	if (o == OUT_UPDATED) {
		free(ctx->new_record_id);
		ctx->new_record_id = xasprintf("%s/%s", domain, host);
	}
out:
	if (detail != NULL) {
		free(*why);
		*why = xasprintf("%s: %s", subj, detail);
	}
	if (url != NULL)
		explicit_bzero(url, strlen(url));
	free(detail);
	free(url);
	free(domain);
	free(host);
	free(subj);
	return o;
}

/* NULL if rec can be pushed as configured, else why not (malloc'd). */
static char *
check(const struct record *rec)
{
	char	*zone, *rr, *why;

	if (rec->types & TYPE_AAAA)
		return xasprintf("Namecheap's Dynamic DNS sets A records only: "
		    "drop AAAA from \"types\"");
	if (provider_split_name(rec->name, rec->zone, &zone, &rr, &why) == -1)
		return why;
	free(zone);
	free(rr);
	return NULL;
}

const struct provider provider_namecheap = {
	.name = "namecheap",
	.keys = keys,
	.push = push,
	.check = check,
};
