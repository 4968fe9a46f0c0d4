/*
 * route53: AWS Route 53 (API 2013-04-01, REST with XML).
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_Operations_Amazon_Route_53.html
 * (offline: ref/PROVIDERS.md, ref/aws-sigv4-suite)
 *
 * Quirks handled:
 * - Signed with our own SigV4 (sigv4.c; curl's does not sort the
 *   query), service "route53", region us-east-1 (the "region" key for
 *   other partitions).
 * - The hosted zone is found by name: ListHostedZonesByName lists zones
 *   *starting at* dnsname, so the name of each returned zone is checked;
 *   the configured zone, else each suffix of the name with two labels or
 *   more, longest first (a "*" label skipped); a public zone wins over a
 *   private one of the same name. Answers are cached for the run;
 *   "zone_id" skips the lookup, and the state keeps the zone id so a
 *   later run skips it too.
 * - ListResourceRecordSets also lists *starting at* name/type: the first
 *   set is ours only if its name (with Route 53's octal escapes such as
 *   \052 for "*" decoded) and type match.
 * - One UPSERT, only when the set does not already hold exactly our
 *   address; the existing TTL is kept unless "ttl" is configured (300 on
 *   create). Alias and routing-policy sets are refused, not overwritten.
 * - "wait": poll GetChange until INSYNC, within a deadline.
 * - Errors are <ErrorResponse><Error><Code/><Message/>: refused keys and
 *   permissions exit 77 naming the IAM actions needed; Throttling (HTTP
 *   400 "Rate exceeded") and PriorRequestNotComplete back off.
 * - Credentials: the keys, else AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY
 *   (/AWS_SESSION_TOKEN), else the shared credentials file
 *   (AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials, profile "profile"
 *   or AWS_PROFILE or "default"), parsed strictly. Secrets from the
 *   environment or the file are registered with log_secret too.
 * - XML is read with expat (no DOCTYPE accepted) and written with
 *   escaping.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#ifdef _WIN32
#include <windows.h>
#endif

#include <expat.h>

#include "providers.h"
#include "route53.h"
#include "sigv4.h"

#define R53_ENDPOINT	"https://route53.amazonaws.com"
#define R53_REGION	"us-east-1"
#define R53_VERSION	"/2013-04-01"
#define R53_NS		"https://route53.amazonaws.com/doc/2013-04-01/"
#define R53_TTL		300	/* on create, when none is configured */
#define R53_WAIT	120	/* seconds, for "wait": true */
#define R53_WAIT_MAX	3600
#define R53_THROTTLE	30	/* seconds of back-off without Retry-After */
#define R53_MSG_MAX	300	/* quoted error text, bytes */
#define R53_CRED_MAX	(256 * 1024)	/* credentials file, bytes */
#define XML_DEPTH	16
#define XML_NODES	20000

#define R53_PERMS	"route53:ListHostedZonesByName, " \
	"route53:ListResourceRecordSets, route53:ChangeResourceRecordSets " \
	"and route53:GetChange"

static const struct provider_key keys[] = {
	{ "access_key_id",	0 },
	{ "endpoint",		0 },
	{ "profile",		0 },
	{ "region",		0 },
	{ "secret_access_key",	KEY_SECRET },
	{ "session_token",	KEY_SECRET },
	{ "wait",		0 },
	{ "zone_id",		0 },
	{ NULL,			0 }
};

/* ---- a small XML tree over expat ---------------------------------------- */

struct xnode {
	char		*name;		/* local name, namespace dropped */
	char		*text;		/* character data, or NULL */
	size_t		 tlen;
	struct xnode	*kids;
	struct xnode	*last;
	struct xnode	*next;
	struct xnode	*up;
};

struct xparse {
	XML_Parser	 p;
	struct xnode	*root;
	struct xnode	*cur;
	int		 depth;
	int		 nodes;
	const char	*bad;		/* why we stopped the parser */
};

/* Free a tree; NULL is a no-op. */
static void
xml_free(struct xnode *n)
{
	struct xnode	*k, *next;

	if (n == NULL)
		return;
	for (k = n->kids; k != NULL; k = next) {
		next = k->next;
		xml_free(k);
	}
	free(n->name);
	free(n->text);
	free(n);
}

/* Stop the parse with reason why. */
static void
xml_stop(struct xparse *x, const char *why)
{
	if (x->bad == NULL)
		x->bad = why;
	XML_StopParser(x->p, XML_FALSE);
}

/* expat: an element starts; add it under the current one. */
static void XMLCALL
xml_start(void *arg, const XML_Char *name, const XML_Char **attrs)
{
	struct xparse	*x = arg;
	struct xnode	*n;
	const char	*local;

	(void)attrs;
	if (++x->depth > XML_DEPTH || ++x->nodes > XML_NODES) {
		xml_stop(x, "nested too deep or too large");
		return;
	}
	if ((local = strrchr(name, '\n')) != NULL)
		local++;
	else
		local = name;
	if ((n = calloc(1, sizeof(*n))) == NULL ||
	    (n->name = strdup(local)) == NULL) {
		free(n);
		xml_stop(x, "out of memory");
		return;
	}
	n->up = x->cur;
	if (x->cur == NULL)
		x->root = n;
	else if (x->cur->last == NULL)
		x->cur->kids = x->cur->last = n;
	else {
		x->cur->last->next = n;
		x->cur->last = n;
	}
	x->cur = n;
}

/* expat: an element ends. */
static void XMLCALL
xml_end(void *arg, const XML_Char *name)
{
	struct xparse	*x = arg;

	(void)name;
	x->depth--;
	if (x->cur != NULL)
		x->cur = x->cur->up;
}

/* expat: character data for the current element. */
static void XMLCALL
xml_chars(void *arg, const XML_Char *s, int len)
{
	struct xparse	*x = arg;
	struct xnode	*n = x->cur;
	char		*t;

	if (n == NULL || len <= 0)
		return;
	if ((t = realloc(n->text, n->tlen + len + 1)) == NULL) {
		xml_stop(x, "out of memory");
		return;
	}
	memcpy(t + n->tlen, s, len);
	n->tlen += len;
	t[n->tlen] = '\0';
	n->text = t;
}

/* expat: a DOCTYPE; Route 53 never sends one, so refuse it (no entity
 * games). */
static void XMLCALL
xml_doctype(void *arg, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int internal)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)internal;
	xml_stop(arg, "a DOCTYPE");
}

/* Parse body into a tree: the root (caller xml_free()s), or NULL with
 * *why (malloc'd) saying what is wrong. */
static struct xnode *
xml_parse(const char *body, size_t len, char **why)
{
	struct xparse	 x;
	int		 ok;

	*why = NULL;
	memset(&x, 0, sizeof(x));
	if (body == NULL || len == 0) {
		*why = xasprintf("empty reply");
		return NULL;
	}
	if ((x.p = XML_ParserCreateNS("UTF-8", '\n')) == NULL) {
		*why = xasprintf("out of memory");
		return NULL;
	}
	XML_SetUserData(x.p, &x);
	XML_SetElementHandler(x.p, xml_start, xml_end);
	XML_SetCharacterDataHandler(x.p, xml_chars);
	XML_SetStartDoctypeDeclHandler(x.p, xml_doctype);
	ok = XML_Parse(x.p, body, (int)len, XML_TRUE) == XML_STATUS_OK;
	if (!ok || x.bad != NULL || x.root == NULL) {
		*why = x.bad != NULL ? xasprintf("not XML we accept: %s",
		    x.bad) : xasprintf("not XML: %s at line %lu",
		    XML_ErrorString(XML_GetErrorCode(x.p)),
		    (unsigned long)XML_GetCurrentLineNumber(x.p));
		xml_free(x.root);
		x.root = NULL;
	}
	XML_ParserFree(x.p);
	return x.root;
}

/* The first child of n called name, or NULL. */
static struct xnode *
xml_kid(const struct xnode *n, const char *name)
{
	struct xnode	*k;

	for (k = n != NULL ? n->kids : NULL; k != NULL; k = k->next)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

/* The text of the element at "A/B/C" below n (first match at each
 * step), "" for an empty one, or NULL if there is none. */
static const char *
xml_text(const struct xnode *n, const char *path)
{
	char		 seg[64];
	const char	*p, *e;
	size_t		 l;

	for (p = path; n != NULL && *p != '\0'; p = *e == '/' ? e + 1 : e) {
		if ((e = strchr(p, '/')) == NULL)
			e = p + strlen(p);
		l = (size_t)(e - p) < sizeof(seg) ? (size_t)(e - p) :
		    sizeof(seg) - 1;
		memcpy(seg, p, l);
		seg[l] = '\0';
		n = xml_kid(n, seg);
	}
	if (n == NULL)
		return NULL;
	return n->text != NULL ? n->text : "";
}

/* ---- pure parts --------------------------------------------------------- */

/* 1 if code is in the NULL-ended list, else 0. */
static int
code_in(const char *code, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(code, *list) == 0)
			return 1;
	return 0;
}

static const char *const auth_codes[] = { "AccessDenied",
	"AccessDeniedException", "ExpiredToken", "IncompleteSignature",
	"InvalidClientTokenId", "MissingAuthenticationToken",
	"SignatureDoesNotMatch", "UnrecognizedClientException", NULL };
static const char *const temp_codes[] = { "InternalFailure",
	"PriorRequestNotComplete", "ServiceUnavailable", "Throttling",
	"ThrottlingException", NULL };
static const char *const config_codes[] = { "InvalidChangeBatch",
	"InvalidDomainName", "InvalidInput", "NoSuchHostedZone", NULL };

/* The outcome an <ErrorResponse> root means, with *why; see
 * r53_parse_error. */
static enum outcome
error_doc(long status, const struct xnode *root, long *wait, char **why)
{
	const struct xnode *err;
	const char	*code, *msg;
	char		 q[R53_MSG_MAX] = "";

	if ((err = xml_kid(root, "Error")) == NULL &&
	    (err = xml_kid(xml_kid(root, "Errors"), "Error")) == NULL)
		err = root;
	code = xml_text(err, "Code");
	msg = xml_text(err, "Message");
	if (code == NULL || *code == '\0') {
		*why = xasprintf("HTTP %ld: an error without a code", status);
		return status >= 500 ? OUT_TEMPFAIL : OUT_PROTOCOL;
	}
	provider_append(q, sizeof(q), code);
	if (msg != NULL && *msg != '\0') {
		provider_append(q, sizeof(q), ": \"");
		provider_append(q, sizeof(q), msg);
		provider_append(q, sizeof(q), "\"");
	}
	if (code_in(code, auth_codes)) {
		if (strcmp(code, "AccessDenied") == 0 ||
		    strcmp(code, "AccessDeniedException") == 0)
			*why = xasprintf("HTTP %ld: %s (the IAM policy of this "
			    "key must allow %s on the zone)", status, q,
			    R53_PERMS);
		else
			*why = xasprintf("HTTP %ld: %s (check access_key_id, "
			    "secret_access_key and session_token: wrong, "
			    "inactive or expired key? It also needs %s)",
			    status, q, R53_PERMS);
		return OUT_AUTH;
	}
	if (code_in(code, temp_codes) || status == 429) {
		*why = xasprintf("HTTP %ld: %s", status, q);
		if (*wait <= 0)
			*wait = R53_THROTTLE;
		return OUT_TEMPFAIL;
	}
	*why = xasprintf("HTTP %ld: %s", status, q);
	if (code_in(code, config_codes))
		return OUT_CONFIG;
	return status >= 500 ? OUT_TEMPFAIL : OUT_PROTOCOL;
}

/* 1 if status is a 2xx, else 0. */
static int
is2xx(long status)
{
	return status >= 200 && status < 300;
}

/*
 * Read a reply: OUT_CURRENT with *doc (caller xml_free()s) when status is
 * 2xx and the root element is want1 or want2 (may be NULL); else the
 * outcome it means with *why.
 */
static enum outcome
reply(long status, const char *body, const char *want1, const char *want2,
    struct xnode **doc, long *wait, char **why)
{
	struct xnode	*root;
	char		*inner = NULL, q[R53_MSG_MAX] = "";
	enum outcome	 out;

	*doc = NULL;
	*why = NULL;
	if ((root = xml_parse(body, body != NULL ? strlen(body) : 0,
	    &inner)) == NULL) {
		provider_append(q, sizeof(q), inner != NULL ? inner : "out of memory");
		free(inner);
		if (status == 408 || status == 429 || status >= 500) {
			*why = xasprintf("HTTP %ld (no Route 53 error in the "
			    "reply)", status);
			return OUT_TEMPFAIL;
		}
		*why = xasprintf("HTTP %ld: not a Route 53 reply: %s", status,
		    q);
		return OUT_PROTOCOL;
	}
	if (strcmp(root->name, "ErrorResponse") == 0 ||
	    strcmp(root->name, "Response") == 0 || !is2xx(status)) {
		out = error_doc(status, root, wait, why);
		xml_free(root);
		return out;
	}
	if (strcmp(root->name, want1) != 0 && (want2 == NULL ||
	    strcmp(root->name, want2) != 0)) {
		provider_append(q, sizeof(q), root->name);
		*why = xasprintf("HTTP %ld: unexpected reply <%s>", status, q);
		xml_free(root);
		return OUT_PROTOCOL;
	}
	*doc = root;
	return OUT_CURRENT;
}

/* Error reply; see route53.h. */
enum outcome
r53_parse_error(long status, const char *body, long *wait, char **why)
{
	struct xnode	*doc;
	enum outcome	 out;

	/* No success root is wanted: an answer is an error or unexpected. */
	if ((out = reply(status, body, "", NULL, &doc, wait, why)) ==
	    OUT_CURRENT) {
		xml_free(doc);
		*why = xasprintf("HTTP %ld: not an error", status);
		out = OUT_PROTOCOL;
	}
	return out;
}

/* Plain name; see route53.h. */
char *
r53_unescape(const char *name)
{
	char	*d;
	size_t	 i, j = 0, n = strlen(name);

	if ((d = malloc(n + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (name[i] == '\\' && i + 3 < n &&
		    name[i + 1] >= '0' && name[i + 1] <= '3' &&
		    name[i + 2] >= '0' && name[i + 2] <= '7' &&
		    name[i + 3] >= '0' && name[i + 3] <= '7') {
			d[j++] = (char)((name[i + 1] - '0') * 64 +
			    (name[i + 2] - '0') * 8 + (name[i + 3] - '0'));
			i += 3;
		} else
			d[j++] = name[i];
	}
	if (j > 0 && d[j - 1] == '.')
		j--;
	d[j] = '\0';
	return d;
}

/* 1 if Route 53's name (escaped, with a trailing dot) is plain (no
 * trailing dot), ignoring case; else 0. */
static int
name_is(const char *r53name, const char *plain)
{
	char	*u;
	int	 same;

	if (r53name == NULL || (u = r53_unescape(r53name)) == NULL)
		return 0;
	same = strcasecmp(u, plain) == 0;
	free(u);
	return same;
}

/* 1 if s is a usable Route 53 id (safe in a URL path), else 0. */
static int
id_ok(const char *s)
{
	size_t	 n;

	for (n = 0; s[n] != '\0'; n++)
		if (!isalnum((unsigned char)s[n]) && s[n] != '-' &&
		    s[n] != '_')
			return 0;
	return n > 0 && n <= 64;
}

/* The bare id of "/prefix/ID" or "ID" (malloc'd), or NULL if it is not
 * one; *why says which when NULL is from a bad id (not ENOMEM). */
static char *
bare_id(const char *s, const char *prefix)
{
	size_t	 pl = strlen(prefix);

	if (strncmp(s, prefix, pl) == 0)
		s += pl;
	return id_ok(s) ? strdup(s) : NULL;
}

/* Zones; see route53.h. */
enum outcome
r53_parse_zones(long status, const char *body, const char *zone,
    char **zone_id, long *wait, char **why)
{
	struct xnode	*doc, *zs, *z;
	const char	*id, *best = NULL, *priv;
	enum outcome	 out;
	int		 bestpub = 0, pub;

	*zone_id = NULL;
	if ((out = reply(status, body, "ListHostedZonesByNameResponse", NULL,
	    &doc, wait, why)) != OUT_CURRENT)
		return out;
	if ((zs = xml_kid(doc, "HostedZones")) == NULL) {
		*why = xasprintf("HTTP %ld: no <HostedZones> in the reply",
		    status);
		out = OUT_PROTOCOL;
		goto out;
	}
	for (z = zs->kids; z != NULL; z = z->next) {
		if (strcmp(z->name, "HostedZone") != 0)
			continue;
		id = xml_text(z, "Id");
		if (id == NULL || xml_text(z, "Name") == NULL) {
			*why = xasprintf("HTTP %ld: a hosted zone without Id "
			    "or Name", status);
			out = OUT_PROTOCOL;
			goto out;
		}
		/* The list starts at dnsname: others follow ours. */
		if (!name_is(xml_text(z, "Name"), zone))
			continue;
		priv = xml_text(z, "Config/PrivateZone");
		pub = priv == NULL || strcmp(priv, "true") != 0;
		if (best == NULL || (pub && !bestpub)) {
			best = id;
			bestpub = pub;
		}
	}
	if (best != NULL && (*zone_id = bare_id(best, "/hostedzone/")) ==
	    NULL) {
		*why = xasprintf("HTTP %ld: the zone id is not usable",
		    status);
		out = OUT_PROTOCOL;
	}
out:
	xml_free(doc);
	return out;
}

/* Free what an r53_rrset holds and zero it. */
void
r53_rrset_free(struct r53_rrset *r)
{
	if (r == NULL)
		return;
	free(r->value);
	memset(r, 0, sizeof(*r));
}

/* Record sets; see route53.h. */
enum outcome
r53_parse_rrsets(long status, const char *body, const char *name,
    const char *type, struct r53_rrset *have, int *found, long *wait,
    char **why)
{
	struct xnode	*doc, *sets, *s, *rr, *v;
	const char	*t, *ttl;
	char		*end;
	enum outcome	 out;

	memset(have, 0, sizeof(*have));
	*found = 0;
	if ((out = reply(status, body, "ListResourceRecordSetsResponse", NULL,
	    &doc, wait, why)) != OUT_CURRENT)
		return out;
	if ((sets = xml_kid(doc, "ResourceRecordSets")) == NULL) {
		*why = xasprintf("HTTP %ld: no <ResourceRecordSets> in the "
		    "reply", status);
		out = OUT_PROTOCOL;
		goto out;
	}
	/* The list starts at name/type: the first set is ours or none is. */
	if ((s = xml_kid(sets, "ResourceRecordSet")) == NULL)
		goto out;
	if ((t = xml_text(s, "Type")) == NULL || xml_text(s, "Name") == NULL) {
		*why = xasprintf("HTTP %ld: a record set without Name or Type",
		    status);
		out = OUT_PROTOCOL;
		goto out;
	}
	if (strcmp(t, type) != 0 || !name_is(xml_text(s, "Name"), name))
		goto out;
	*found = 1;
	have->alias = xml_kid(s, "AliasTarget") != NULL;
	have->policy = xml_kid(s, "SetIdentifier") != NULL;
	if ((ttl = xml_text(s, "TTL")) != NULL) {
		errno = 0;
		have->ttl = strtol(ttl, &end, 10);
		if (errno != 0 || end == ttl || *end != '\0' || have->ttl < 0) {
			*why = xasprintf("HTTP %ld: a TTL that is not a number",
			    status);
			out = OUT_PROTOCOL;
			goto out;
		}
	}
	for (rr = xml_kid(s, "ResourceRecords") != NULL ?
	    xml_kid(s, "ResourceRecords")->kids : NULL; rr != NULL;
	    rr = rr->next) {
		if (strcmp(rr->name, "ResourceRecord") != 0 ||
		    (v = xml_kid(rr, "Value")) == NULL)
			continue;
		if (have->nvalues++ == 0 && (have->value = strdup(v->text !=
		    NULL ? v->text : "")) == NULL) {
			*why = xasprintf("out of memory");
			out = OUT_TEMPFAIL;
			goto out;
		}
	}
out:
	if (out != OUT_CURRENT) {
		r53_rrset_free(have);
		*found = 0;
	}
	xml_free(doc);
	return out;
}

/* Change info; see route53.h. */
enum outcome
r53_parse_change(long status, const char *body, char **id, char **st,
    long *wait, char **why)
{
	struct xnode	*doc;
	const char	*i, *s;
	enum outcome	 out;

	*id = *st = NULL;
	if ((out = reply(status, body, "ChangeResourceRecordSetsResponse",
	    "GetChangeResponse", &doc, wait, why)) != OUT_CURRENT)
		return out;
	i = xml_text(doc, "ChangeInfo/Id");
	s = xml_text(doc, "ChangeInfo/Status");
	if (i == NULL || s == NULL || (*id = bare_id(i, "/change/")) == NULL ||
	    (strcmp(s, "PENDING") != 0 && strcmp(s, "INSYNC") != 0)) {
		free(*id);
		*id = NULL;
		*why = xasprintf("HTTP %ld: no usable ChangeInfo Id and Status",
		    status);
		out = OUT_PROTOCOL;
	} else if ((*st = strdup(s)) == NULL) {
		free(*id);
		*id = NULL;
		*why = xasprintf("out of memory");
		out = OUT_TEMPFAIL;
	}
	xml_free(doc);
	return out;
}

/* Escaped text; see route53.h. */
char *
r53_xml_escape(const char *text)
{
	const char	*p;
	char		*d, *o;
	size_t		 n = 0;

	for (p = text; *p != '\0'; p++)
		n += *p == '&' ? 5 : *p == '<' || *p == '>' ? 4 :
		    *p == '"' || *p == '\'' ? 6 : 1;
	if ((d = malloc(n + 1)) == NULL)
		return NULL;
	for (p = text, o = d; *p != '\0'; p++) {
		switch (*p) {
		case '&':
			memcpy(o, "&amp;", 5);
			o += 5;
			break;
		case '<':
			memcpy(o, "&lt;", 4);
			o += 4;
			break;
		case '>':
			memcpy(o, "&gt;", 4);
			o += 4;
			break;
		case '"':
			memcpy(o, "&quot;", 6);
			o += 6;
			break;
		case '\'':
			memcpy(o, "&apos;", 6);
			o += 6;
			break;
		default:
			*o++ = *p;
		}
	}
	*o = '\0';
	return d;
}

/* Change batch; see route53.h. */
char *
r53_change_xml(const char *name, const char *type, long ttl,
    const char *value)
{
	char	*en, *et, *ev, *x = NULL;

	en = r53_xml_escape(name);
	et = r53_xml_escape(type);
	ev = r53_xml_escape(value);
	if (en != NULL && et != NULL && ev != NULL)
		x = xasprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<ChangeResourceRecordSetsRequest xmlns=\"" R53_NS "\">"
		    "<ChangeBatch><Comment>ddnsup</Comment><Changes><Change>"
		    "<Action>UPSERT</Action><ResourceRecordSet>"
		    "<Name>%s.</Name><Type>%s</Type><TTL>%ld</TTL>"
		    "<ResourceRecords><ResourceRecord><Value>%s</Value>"
		    "</ResourceRecord></ResourceRecords></ResourceRecordSet>"
		    "</Change></Changes></ChangeBatch>"
		    "</ChangeResourceRecordSetsRequest>\n", en, et, ttl, ev);
	free(en);
	free(et);
	free(ev);
	return x;
}

/* Free what an r53_cred holds (secrets wiped) and zero it. */
void
r53_cred_free(struct r53_cred *c)
{
	if (c == NULL)
		return;
	free(c->access_key);
	if (c->secret != NULL) {
		explicit_bzero(c->secret, strlen(c->secret));
		free(c->secret);
	}
	if (c->token != NULL) {
		explicit_bzero(c->token, strlen(c->token));
		free(c->token);
	}
	memset(c, 0, sizeof(*c));
}

/* s (n bytes) without leading and trailing blanks: *len set, start
 * returned. */
static const char *
trim(const char *s, size_t n, size_t *len)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r'))
		n--;
	*len = n;
	return s;
}

/* Credentials file; see route53.h. */
int
r53_cred_parse(const char *text, const char *profile, struct r53_cred *cred,
    char **why)
{
	const char	*line, *nl, *s, *k, *v, *eq;
	char		**slot;
	size_t		 n, kl, vl, lineno = 0;
	int		 in = 0, seen = 0, nested = 0, sect = 0;

	memset(cred, 0, sizeof(*cred));
	*why = NULL;
	if (strncmp(text, "\xef\xbb\xbf", 3) == 0)	/* a Windows editor's BOM */
		text += 3;
	for (line = text; *line != '\0'; line = *nl != '\0' ? nl + 1 : nl) {
		lineno++;
		if ((nl = strchr(line, '\n')) == NULL)
			nl = line + strlen(line);
		s = trim(line, nl - line, &n);
		if (n == 0 || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			if (s[n - 1] != ']') {
				*why = xasprintf("line %zu: a section header "
				    "without \"]\"", lineno);
				goto fail;
			}
			k = trim(s + 1, n - 2, &kl);
			in = kl == strlen(profile) && strncmp(k, profile,
			    kl) == 0;
			seen |= in;
			sect = 1;
			nested = 0;
			continue;
		}
		/* An indented line is a nested setting (s3 =\n  x = y). */
		if (s != line && nested)
			continue;
		if ((eq = memchr(s, '=', n)) == NULL) {
			*why = xasprintf("line %zu: not \"[profile]\" nor "
			    "\"key = value\"", lineno);
			goto fail;
		}
		k = trim(s, eq - s, &kl);
		v = trim(eq + 1, s + n - eq - 1, &vl);
		if (kl == 0 || s != line) {
			*why = xasprintf("line %zu: %s", lineno, kl == 0 ?
			    "a value without a key" : "an indented line");
			goto fail;
		}
		if (!sect) {
			*why = xasprintf("line %zu: a key before any "
			    "\"[profile]\"", lineno);
			goto fail;
		}
		nested = vl == 0;
		if (!in)
			continue;
		slot = NULL;
		if (kl == 17 && strncmp(k, "aws_access_key_id", 17) == 0)
			slot = &cred->access_key;
		else if (kl == 21 && strncmp(k, "aws_secret_access_key",
		    21) == 0)
			slot = &cred->secret;
		else if (kl == 17 && strncmp(k, "aws_session_token", 17) == 0)
			slot = &cred->token;
		if (slot == NULL)
			continue;
		if (*slot != NULL) {
			*why = xasprintf("line %zu: %.*s given twice", lineno,
			    (int)kl, k);
			goto fail;
		}
		if ((*slot = strndup(v, vl)) == NULL) {
			*why = xasprintf("out of memory");
			goto fail;
		}
	}
	if (!seen)
		return 1;
	if (cred->access_key == NULL || cred->secret == NULL ||
	    *cred->access_key == '\0' || *cred->secret == '\0') {
		*why = xasprintf("profile \"%s\" has no aws_access_key_id and "
		    "aws_secret_access_key (role, SSO and credential_process "
		    "profiles are not supported)", profile);
		goto fail;
	}
	return 0;
fail:
	r53_cred_free(cred);
	return -1;
}

/* ---- talking to the API ------------------------------------------------- */

/* One push in progress. */
struct r53 {
	const struct record	*rec;
	struct push_ctx		*ctx;
	const char		*type;		/* "A" / "AAAA" */
	const char		*value;		/* the address */
	char			*label;		/* "route53: name A" */
	char			*base;		/* scheme://host[:port] */
	char			*host;		/* host[:port] */
	char			*prefix;	/* path before /2013-04-01 */
	const char		*region;
	struct r53_cred		 cred;
	long			 wait;		/* seconds; 0: do not */
};

/* Turn inner (malloc'd, consumed; NULL means out of memory) into *why,
 * prefixed with the record; returns out. */
static enum outcome
fail(struct r53 *c, enum outcome out, char *inner, char **why)
{
	*why = xasprintf("%s: %s", c->label != NULL ? c->label : "route53",
	    inner != NULL ? inner : "out of memory");
	free(inner);
	return out;
}

/* A key's value is wrong: OUT_CONFIG, held until the configuration
 * changes (a missing zone or credentials file may be fixed outside it,
 * so those are not held). */
static enum outcome
fail_config(struct r53 *c, char *inner, char **why)
{
	c->ctx->hold = 1;
	return fail(c, OUT_CONFIG, inner, why);
}

/* The value of "wait" in seconds (0: do not wait), or -1 if it is not
 * true/false, a number of seconds or a duration. */
static long
wait_secs(const struct record *rec)
{
	json_t		*v = json_object_get(rec->opts, "wait");
	const char	*s;
	long		 n;

	if (v == NULL || json_is_false(v))
		return 0;
	if (json_is_true(v))
		return R53_WAIT;
	if (json_is_integer(v))
		n = (long)json_integer_value(v);
	else if ((s = json_string_value(v)) != NULL) {
		if (strcmp(s, "true") == 0)
			return R53_WAIT;
		if (strcmp(s, "false") == 0)
			return 0;
		n = config_duration(s);
	} else
		return -1;
	return n >= 0 && n <= R53_WAIT_MAX ? n : -1;
}

/* The shared credentials file's path (malloc'd), or NULL if there is no
 * home to look in. */
static char *
cred_path(void)
{
	const char	*p, *home;

	if ((p = getenv("AWS_SHARED_CREDENTIALS_FILE")) != NULL && *p != '\0')
		return strdup(p);
#ifdef _WIN32
	if ((home = getenv("USERPROFILE")) != NULL && *home != '\0')
		return xasprintf("%s\\.aws\\credentials", home);
#endif
	if ((home = getenv("HOME")) != NULL && *home != '\0')
		return xasprintf("%s/.aws/credentials", home);
	return NULL;
}

/* Read the whole file at path (at most R53_CRED_MAX bytes) into a
 * malloc'd string; NULL with errno set on failure. */
static char *
read_file(const char *path)
{
	FILE	*f;
	char	*s;
	size_t	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if ((s = malloc(R53_CRED_MAX + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	n = fread(s, 1, R53_CRED_MAX + 1, f);
	if (ferror(f) || n > R53_CRED_MAX) {
		fclose(f);
		explicit_bzero(s, n);
		free(s);
		errno = EFBIG;
		return NULL;
	}
	fclose(f);
	s[n] = '\0';
	return s;
}

/*
 * Fill c->cred from the keys, the environment or the shared credentials
 * file; OUT_CURRENT, or OUT_CONFIG/OUT_TEMPFAIL with *why.
 */
static enum outcome
find_cred(struct r53 *c, char **why)
{
	const char	*ak, *sk, *tok, *prof;
	char		*path = NULL, *text, *inner = NULL;
	int		 r, err;

	ak = rec_str(c->rec, "access_key_id");
	sk = rec_str(c->rec, "secret_access_key");
	tok = rec_str(c->rec, "session_token");
	prof = rec_str(c->rec, "profile");
	if (ak != NULL || sk != NULL) {
		if (ak == NULL || sk == NULL || *ak == '\0' || *sk == '\0')
			return fail_config(c, xasprintf("set both "
			    "access_key_id and secret_access_key"), why);
		c->cred.access_key = strdup(ak);
		c->cred.secret = strdup(sk);
		if (tok != NULL)
			c->cred.token = strdup(tok);
		if (c->cred.access_key == NULL || c->cred.secret == NULL ||
		    (tok != NULL && c->cred.token == NULL))
			return fail(c, OUT_TEMPFAIL, NULL, why);
		return OUT_CURRENT;
	}
	ak = getenv("AWS_ACCESS_KEY_ID");
	sk = getenv("AWS_SECRET_ACCESS_KEY");
	if (prof == NULL && ak != NULL && *ak != '\0' && sk != NULL &&
	    *sk != '\0') {
		log_secret(sk);
		tok = getenv("AWS_SESSION_TOKEN");
		if (tok != NULL && *tok == '\0')
			tok = NULL;
		if (tok != NULL)
			log_secret(tok);
		c->cred.access_key = strdup(ak);
		c->cred.secret = strdup(sk);
		if (tok != NULL)
			c->cred.token = strdup(tok);
		if (c->cred.access_key == NULL || c->cred.secret == NULL ||
		    (tok != NULL && c->cred.token == NULL))
			return fail(c, OUT_TEMPFAIL, NULL, why);
		log_info("%s: credentials from AWS_ACCESS_KEY_ID", c->label);
		return OUT_CURRENT;
	}
	if (prof == NULL && ((prof = getenv("AWS_PROFILE")) == NULL ||
	    *prof == '\0'))
		prof = "default";
	if ((path = cred_path()) == NULL)
		return fail(c, OUT_CONFIG, xasprintf("no credentials: set "
		    "access_key_id and secret_access_key, or "
		    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"), why);
	if ((text = read_file(path)) == NULL) {
		err = errno;
		r = fail(c, OUT_CONFIG, xasprintf("no credentials: set "
		    "access_key_id and secret_access_key, AWS_ACCESS_KEY_ID "
		    "and AWS_SECRET_ACCESS_KEY, or profile \"%s\" in %s (%s)",
		    prof, path, strerror(err)), why);
		free(path);
		return (enum outcome)r;
	}
	r = r53_cred_parse(text, prof, &c->cred, &inner);
	explicit_bzero(text, strlen(text));
	free(text);
	if (r != 0) {
		r = fail(c, OUT_CONFIG, r == 1 ? xasprintf("no profile \"%s\" "
		    "in %s", prof, path) : xasprintf("%s: %s", path,
		    inner != NULL ? inner : "out of memory"), why);
		free(inner);
		free(path);
		return (enum outcome)r;
	}
	log_secret(c->cred.secret);
	if (c->cred.token != NULL)
		log_secret(c->cred.token);
	log_info("%s: credentials from profile \"%s\" in %s", c->label, prof,
	    path);
	free(path);
	return OUT_CURRENT;
}

/* Fill c for rec; OUT_CURRENT, or an error outcome with *why. What it
 * allocated is freed by r53_done() in every case. */
static enum outcome
r53_init(struct r53 *c, const struct record *rec, const struct addr *addr,
    struct push_ctx *ctx, char **why)
{
	const char	*ep, *h, *p;

	memset(c, 0, sizeof(*c));
	c->rec = rec;
	c->ctx = ctx;
	c->type = fam_rrtype(addr->fam);
	c->value = addr->text;
	if ((c->label = xasprintf("route53: %s %s", rec->name, c->type)) ==
	    NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	if ((c->wait = wait_secs(rec)) == -1)
		return fail_config(c, xasprintf("\"wait\" must be true, "
		    "false or seconds up to %d", R53_WAIT_MAX), why);
	if ((c->region = rec_str(rec, "region")) == NULL)
		c->region = R53_REGION;
	if ((ep = rec_str(rec, "endpoint")) == NULL)
		ep = R53_ENDPOINT;
	if (provider_has_ctl(ep) || provider_has_ctl(c->region) ||
	    provider_has_ctl(rec->name) || (h = strstr(ep, "://")) == NULL ||
	    h[3] == '\0' || h[3] == '/')
		return fail_config(c, xasprintf("endpoint \"%s\" is not "
		    "an http(s) URL", ep), why);
	h += 3;
	if ((p = strchr(h, '/')) == NULL)
		p = h + strlen(h);
	if (memchr(h, '@', p - h) != NULL || memchr(h, '?', p - h) != NULL)
		return fail_config(c, xasprintf("endpoint \"%s\": no user "
		    "or query, please", ep), why);
	c->base = strndup(ep, p - ep);
	c->host = strndup(h, p - h);
	c->prefix = strdup(p);
	if (c->base == NULL || c->host == NULL || c->prefix == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	while (*c->prefix != '\0' && c->prefix[strlen(c->prefix) - 1] == '/')
		c->prefix[strlen(c->prefix) - 1] = '\0';
	return find_cred(c, why);
}

/* Free what r53_init() allocated. */
static void
r53_done(struct r53 *c)
{
	free(c->label);
	free(c->base);
	free(c->host);
	free(c->prefix);
	r53_cred_free(&c->cred);
}

/*
 * Sign and send one request to path (below R53_VERSION) with query (as
 * sent, or NULL) and body. OUT_CURRENT with *resp (caller
 * http_resp_free()s), or an error outcome with *why.
 */
static enum outcome
r53_call(struct r53 *c, const char *method, const char *path,
    const char *query, const char *body, struct http_resp *resp, char **why)
{
	struct sigv4_cred sc;
	struct sigv4_req sr;
	struct sigv4	 sig;
	struct http_req	 req;
	const char	*hdrs[8], *sighdrs[2];
	char		*full = NULL, *url = NULL, *hosth = NULL;
	enum outcome	 out;
	size_t		 n = 0, i;

	memset(resp, 0, sizeof(*resp));
	memset(&sig, 0, sizeof(sig));
	if ((full = xasprintf("%s" R53_VERSION "%s", c->prefix, path)) ==
	    NULL || (url = xasprintf("%s%s%s%s", c->base, full, query != NULL ?
	    "?" : "", query != NULL ? query : "")) == NULL ||
	    (hosth = xasprintf("Host: %s", c->host)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	sighdrs[0] = hosth;
	sighdrs[1] = NULL;
	memset(&sr, 0, sizeof(sr));
	sr.method = method;
	sr.path = full;
	sr.query = query;
	sr.headers = sighdrs;
	sr.payload = body;
	sr.paylen = body != NULL ? strlen(body) : 0;
	sc.access_key = c->cred.access_key;
	sc.secret = c->cred.secret;
	sc.token = c->cred.token;
	if (sigv4_sign(&sr, &sc, c->region, "route53", time(NULL), 0,
	    &sig) == -1) {
		out = fail(c, OUT_CONFIG, xasprintf("cannot sign the request "
		    "(a control character in the key or endpoint?)"), why);
		goto out;
	}
	hdrs[n++] = hosth;
	for (i = 0; sig.add[i] != NULL; i++)
		hdrs[n++] = sig.add[i];
	if (body != NULL)
		hdrs[n++] = "Content-Type: text/xml";
	hdrs[n] = NULL;
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = url;
	req.headers = hdrs;
	req.body = body;
	req.bodylen = sr.paylen;
	req.insecure = rec_bool(c->rec, "insecure", 0);
	out = provider_send(c->label, &req, resp, c->ctx, why);
out:
	sigv4_free(&sig);
	free(full);
	free(url);
	free(hosth);
	return out;
}

/* Finish a parse result: on failure prefix inner and raise the back-off
 * to wait; returns out. */
static enum outcome
after(struct r53 *c, enum outcome out, long wait, char *inner, char **why)
{
	if (out == OUT_CURRENT || out == OUT_UPDATED) {
		free(inner);
		return out;
	}
	if (wait > c->ctx->retry_after)
		c->ctx->retry_after = wait;
	return fail(c, out, inner, why);
}

/*
 * Look up the hosted zone called zone (a provider_zone_fn): OUT_CURRENT
 * with *id malloc'd or NULL if there is none; else an error outcome with
 * *why. No zone starts with a wildcard label: such a suffix of the name
 * is not asked for.
 */
static enum outcome
zone_lookup(void *arg, const char *zone, char **id, char **why)
{
	struct r53	*c = arg;
	struct http_resp resp;
	char		*q = NULL, *qs = NULL, *inner = NULL;
	enum outcome	 out;
	long		 wait = 0;

	*id = NULL;
	if (strncmp(zone, "*.", 2) == 0 && c->rec->zone == NULL)
		return OUT_CURRENT;
	/* A few: a private zone of the name may come first. */
	if ((q = xasprintf("%s.", zone)) == NULL || (qs = http_pctenc(q)) ==
	    NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	free(q);
	if ((q = xasprintf("dnsname=%s&maxitems=10", qs)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = r53_call(c, "GET", "/hostedzonesbyname", q, NULL, &resp,
	    why)) != OUT_CURRENT)
		goto out;
	out = r53_parse_zones(resp.status, resp.body, zone, id, &wait, &inner);
	http_resp_free(&resp);
	if ((out = after(c, out, wait, inner, why)) != OUT_CURRENT)
		goto out;
	log_info("%s: hosted zone %s: %s", c->label, zone, *id != NULL ? *id :
	    "not on this account");
out:
	free(q);
	free(qs);
	return out;
}

/* The hosted zone id: zone_id as configured, else that of the configured
 * zone or of the longest suffix of the name that is a zone
 * (provider_find_zone). OUT_CURRENT with *zone (malloc'd), else an
 * outcome with *why. */
static enum outcome
find_zone(struct r53 *c, char **zone, char **why)
{
	struct zone_walk w;
	struct record	 r;
	const char	*zid;
	char		*pfx, *name, *z = NULL;
	enum outcome	 out;
	size_t		 n;

	*zone = NULL;
	if ((zid = rec_str(c->rec, "zone_id")) != NULL) {
		if ((*zone = bare_id(zid, "/hostedzone/")) == NULL)
			return fail_config(c, xasprintf("zone_id \"%s\" "
			    "is not a Route 53 hosted zone id", zid), why);
		return OUT_CURRENT;
	}
	/* A configured "example.com." is cached as "example.com". */
	r = *c->rec;
	if (r.zone != NULL && (n = strlen(r.zone)) > 1 &&
	    r.zone[n - 1] == '.' && (r.zone = z = strndup(r.zone, n - 1)) ==
	    NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	memset(&w, 0, sizeof(w));
	w.label = c->label;
	w.what = "hosted zone";
	w.hint = "the zone must be on this account, or set \"zone_id\"";
	w.lookup = zone_lookup;
	w.arg = c;
	if ((w.cachepfx = pfx = xasprintf("route53:%s", c->base)) == NULL) {
		free(z);
		return fail(c, OUT_TEMPFAIL, NULL, why);
	}
	out = provider_find_zone(c->ctx, &r, &w, &name, zone, why);
	free(pfx);
	free(name);
	free(z);
	return out;
}

/* Sleep ms milliseconds. */
static void
r53_sleep(long ms)
{
#ifdef _WIN32
	Sleep((DWORD)ms);
#else
	struct timespec	 ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
#endif
}

/* Poll GetChange for id until INSYNC or c->wait seconds from start have
 * passed: OUT_UPDATED, or an error outcome with *why. */
static enum outcome
wait_insync(struct r53 *c, const char *id, time_t start, char **why)
{
	struct http_resp resp;
	char		*path, *cid = NULL, *st = NULL, *inner = NULL;
	enum outcome	 out;
	long		 wait = 0, delay = 1000, left;

	if ((path = xasprintf("/change/%s", id)) == NULL)
		return fail(c, OUT_TEMPFAIL, NULL, why);
	for (;;) {
		if ((out = r53_call(c, "GET", path, NULL, NULL, &resp,
		    why)) != OUT_CURRENT)
			break;
		out = r53_parse_change(resp.status, resp.body, &cid, &st,
		    &wait, &inner);
		http_resp_free(&resp);
		if ((out = after(c, out, wait, inner, why)) != OUT_CURRENT)
			break;
		log_info("%s: change %s is %s", c->label, id, st);
		if (strcmp(st, "INSYNC") == 0) {
			out = OUT_UPDATED;
			break;
		}
		free(cid);
		free(st);
		cid = st = NULL;
		left = (long)(start + c->wait - time(NULL)) * 1000;
		if (left <= 0) {
			out = fail(c, OUT_TEMPFAIL, xasprintf("change %s "
			    "submitted, but not INSYNC after %lds", id,
			    c->wait), why);
			break;
		}
		r53_sleep(delay < left ? delay : left);
		if ((delay *= 2) > 10000)
			delay = 10000;
	}
	free(path);
	free(cid);
	free(st);
	return out;
}

/*
 * List the set in zone and UPSERT it unless it holds our address already.
 * OUT_CURRENT/OUT_UPDATED, or an error outcome with *why; *gone is set
 * when listing says the zone does not exist or may not be read (a stale
 * id).
 */
static enum outcome
update(struct r53 *c, const char *zone, int *gone, char **why)
{
	struct http_resp resp;
	struct r53_rrset have;
	struct addr	 a, b;
	char		*path = NULL, *q = NULL, *qn = NULL, *fq = NULL;
	char		*xml = NULL, *inner = NULL, *id = NULL, *st = NULL;
	enum outcome	 out;
	time_t		 start;
	long		 ttl, wait = 0;
	int		 found = 0;

	*gone = 0;
	memset(&have, 0, sizeof(have));
	if ((path = xasprintf("/hostedzone/%s/rrset", zone)) == NULL ||
	    (fq = xasprintf("%s.", c->rec->name)) == NULL ||
	    (qn = http_pctenc(fq)) == NULL ||
	    (q = xasprintf("maxitems=1&name=%s&type=%s", qn, c->type)) ==
	    NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if ((out = r53_call(c, "GET", path, q, NULL, &resp, why)) !=
	    OUT_CURRENT)
		goto out;
	out = r53_parse_rrsets(resp.status, resp.body, c->rec->name, c->type,
	    &have, &found, &wait, &inner);
	/* A zone id from the state may be of a zone deleted since, or of
	 * another account than the keys now configured. */
	if (inner != NULL && (strstr(inner, ": NoSuchHostedZone: ") != NULL ||
	    strstr(inner, ": AccessDenied: ") != NULL))
		*gone = 1;
	http_resp_free(&resp);
	if ((out = after(c, out, wait, inner, why)) != OUT_CURRENT)
		goto out;
	free(c->ctx->new_record_id);
	if ((c->ctx->new_record_id = strdup(zone)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	if (found && (have.alias || have.policy)) {
		out = fail(c, OUT_CONFIG, xasprintf("%s %s is %s record set; "
		    "ddnsup only maintains simple ones", c->rec->name, c->type,
		    have.alias ? "an alias" : "a routing-policy (weighted, "
		    "latency, ...)"), why);
		goto out;
	}
	ttl = c->rec->ttl > 0 ? c->rec->ttl : found && have.ttl > 0 ?
	    have.ttl : R53_TTL;
	if (found && have.nvalues == 1 && have.ttl == ttl &&
	    addr_parse(have.value, FAM_MAX, &a) == 0 &&
	    addr_parse(c->value, FAM_MAX, &b) == 0 && addr_equal(&a, &b)) {
		log_info("%s: already holds %s", c->label, c->value);
		out = OUT_CURRENT;
		goto out;
	}
	if ((xml = r53_change_xml(c->rec->name, c->type, ttl, c->value)) ==
	    NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	log_info("%s: UPSERT %s (ttl %ld)%s", c->label, c->value, ttl,
	    found ? "" : ", a new record set");
	free(path);
	if ((path = xasprintf("/hostedzone/%s/rrset/", zone)) == NULL) {
		out = fail(c, OUT_TEMPFAIL, NULL, why);
		goto out;
	}
	start = time(NULL);
	if ((out = r53_call(c, "POST", path, NULL, xml, &resp, why)) !=
	    OUT_CURRENT)
		goto out;
	out = r53_parse_change(resp.status, resp.body, &id, &st, &wait,
	    &inner);
	http_resp_free(&resp);
	if ((out = after(c, out, wait, inner, why)) != OUT_CURRENT)
		goto out;
	log_info("%s: change %s is %s", c->label, id, st);
	if (c->wait > 0 && strcmp(st, "INSYNC") != 0)
		out = wait_insync(c, id, start, why);
	else
		out = OUT_UPDATED;
out:
	r53_rrset_free(&have);
	free(path);
	free(q);
	free(qn);
	free(fq);
	free(xml);
	free(id);
	free(st);
	return out;
}

/* Make the record hold addr; the outcome, with *why on failure. */
static enum outcome
push(const struct record *rec, const struct addr *addr, struct push_ctx *ctx,
    char **why)
{
	struct r53	 c;
	char		*zone = NULL;
	enum outcome	 out;
	int		 gone = 0;

	*why = NULL;
	if ((out = r53_init(&c, rec, addr, ctx, why)) != OUT_CURRENT)
		goto out;
	/* The zone id the state remembers saves the lookup, unless one
	 * is configured; a stale one (zone deleted) falls back to it. */
	if (rec_str(rec, "zone_id") == NULL && ctx->record_id != NULL &&
	    id_ok(ctx->record_id)) {
		out = update(&c, ctx->record_id, &gone, why);
		if (!gone)
			goto out;
		log_info("%s: hosted zone %s from the state is gone or not "
		    "this key's (%s); looking the zone up", c.label,
		    ctx->record_id, *why);
		free(*why);
		*why = NULL;
	}
	if ((out = find_zone(&c, &zone, why)) != OUT_CURRENT)
		goto out;
	out = update(&c, zone, &gone, why);
out:
	free(zone);
	r53_done(&c);
	return out;
}

/* NULL if rec's keys go together, else why not (malloc'd). */
static char *
check(const struct record *rec)
{
	json_t	*w = json_object_get(rec->opts, "wait");

	if ((rec_str(rec, "access_key_id") != NULL) !=
	    (rec_str(rec, "secret_access_key") != NULL))
		return xasprintf("route53 needs both \"access_key_id\" and "
		    "\"secret_access_key\" (or neither: then the AWS "
		    "environment variables or shared credentials file)");
	if (rec_str(rec, "session_token") != NULL &&
	    rec_str(rec, "access_key_id") == NULL)
		return xasprintf("route53: \"session_token\" goes with "
		    "\"access_key_id\" and \"secret_access_key\"");
	if (w != NULL && wait_secs(rec) == -1)
		return xasprintf("route53: \"wait\" must be true, false or "
		    "seconds up to %d", R53_WAIT_MAX);
	return NULL;
}

const struct provider provider_route53 = {
	.name = "route53",
	.keys = keys,
	.push = push,
	.check = check,
};
