/*
 * duckdns: DuckDNS, https://www.duckdns.org/spec.jsp (and /install.jsp).
 *
 * One GET https://www.duckdns.org/update?domains=<sub>&token=<token>
 * &ip=<v4> (or &ipv6=<v6>)&verbose=true per (record, family). Quirks:
 * - The token travels in the query string, so no message of ours quotes
 *   the URL; http.c redacts the token (a registered secret) in -vv dumps.
 * - The reply is "OK" or "KO" and nothing more; with verbose=true it is
 *   "OK\n<v4>\n<v6>\nUPDATED|NOCHANGE", which tells updated from current
 *   and lets us check the address the service now holds.
 * - "KO" covers both a wrong token and a domain not in the account:
 *   either way a person must act (ctx->hold).
 * - Records are named "<sub>.duckdns.org" or a bare "<sub>"; deeper
 *   names are not separate records at DuckDNS (they follow <sub>).
 * - Without ip= DuckDNS takes the IPv4 source address of the request, so
 *   an AAAA-only push may also set the A record to that address.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "providers.h"
#include "dyndns2.h"
#include "duckdns.h"

#define SUFFIX		".duckdns.org"
#define EXCERPT_MAX	80	/* bytes of a reply quoted in messages */

static const struct provider_key keys[] = {
	{ "endpoint", 0 },
	{ "token", KEY_REQUIRED | KEY_SECRET },
	{ NULL, 0 }
};

/* The domain (malloc'd, lower case), or NULL with *err. */
char *
duckdns_domain(const char *name, const char **err)
{
	size_t	 n = strlen(name), i;
	int	 suffixed = 0;
	char	*d;

	*err = NULL;
	if (n > sizeof(SUFFIX) - 1 &&
	    strcasecmp(name + n - (sizeof(SUFFIX) - 1), SUFFIX) == 0) {
		n -= sizeof(SUFFIX) - 1;
		suffixed = 1;
	}
	if (n == 0) {
		*err = "no subdomain: name the record <sub>.duckdns.org";
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (name[i] == '.') {
			*err = suffixed ? "DuckDNS updates "
			    "<sub>.duckdns.org only; deeper names follow "
			    "<sub>" :
			    "not a DuckDNS name: use <sub>.duckdns.org";
			return NULL;
		}
		if (!isalnum((unsigned char)name[i]) && name[i] != '-') {
			*err = "not a DuckDNS name: use <sub>.duckdns.org";
			return NULL;
		}
	}
	if ((d = xasprintf("%.*s", (int)n, name)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		d[i] = tolower((unsigned char)d[i]);
	return d;
}

/* The update URL (malloc'd), or NULL with *err. */
char *
duckdns_url(const char *endpoint, const char *domain, const char *token,
    const struct addr *a, const char **err)
{
	char	*base, *t = NULL, *url = NULL;

	if ((base = dyndns2_base(endpoint, "/update", err)) == NULL)
		return NULL;
	if ((t = http_pctenc(token)) == NULL)
		goto out;
	url = xasprintf("%sdomains=%s&token=%s&%s=%s&verbose=true", base,
	    domain, t, a->fam == FAM_V4 ? "ip" : "ipv6", a->text);
out:
	free(base);
	free(t);
	return url;
}

/* The outcome of the reply; *why malloc'd (caller frees) when not OK. */
enum outcome
duckdns_parse(long status, const char *body, const struct addr *a,
    struct push_ctx *ctx, char **why)
{
	const char	*line[4], *s;
	size_t		 len[4], n;
	int		 nl = 0, ix;
	char		 tok[64], *ex;
	struct addr	 e;
	enum outcome	 o;

	/* Split the first four lines, each trimmed. */
	s = body != NULL ? body : "";
	while (nl < 4) {
		s += strspn(s, " \t");
		n = strcspn(s, "\n");
		line[nl] = s;
		len[nl] = n;
		while (len[nl] > 0 && strchr(" \t\r", s[len[nl] - 1]) != NULL)
			len[nl]--;
		nl++;
		if (s[n] == '\0')
			break;
		s += n + 1;
	}

	if (status >= 200 && status < 300 && len[0] == 2 &&
	    strncmp(line[0], "KO", 2) == 0) {
		ctx->hold = 1;
		*why = xasprintf("DuckDNS answered KO: the token or the domain "
		    "was refused");
		return OUT_AUTH;
	}
	if (status >= 200 && status < 300 && len[0] == 2 &&
	    strncmp(line[0], "OK", 2) == 0) {
		/* The verbose lines: the addresses held now, and whether
		 * they changed. A plain "OK" is an update. */
		ix = a->fam == FAM_V4 ? 1 : 2;
		if (nl > ix && len[ix] > 0 && len[ix] < sizeof(tok)) {
			memcpy(tok, line[ix], len[ix]);
			tok[len[ix]] = '\0';
			if (addr_parse(tok, a->fam, &e) == 0 &&
			    !addr_equal(&e, a)) {
				*why = xasprintf("DuckDNS answered OK but holds "
				    "%s, not %s", e.text, a->text);
				return OUT_PROTOCOL;
			}
		}
		if (nl > 3 && len[3] == 8 && strncmp(line[3], "NOCHANGE", 8) == 0)
			return OUT_CURRENT;
		return OUT_UPDATED;
	}

	if ((ex = dyndns2_excerpt(body, EXCERPT_MAX)) == NULL)
		return OUT_TEMPFAIL;
	if (status >= 200 && status < 300) {
		o = OUT_PROTOCOL;
		*why = *ex == '\0' ? xasprintf("DuckDNS sent an empty reply") :
		    xasprintf("DuckDNS sent an unexpected reply \"%s\"", ex);
	} else {
		o = provider_status_outcome(status);
		if (o == OUT_AUTH || o == OUT_CONFIG)
			ctx->hold = 1;
		*why = xasprintf("DuckDNS answered HTTP %ld%s%s", status,
		    *ex != '\0' ? ": " : "", ex);
	}
	free(ex);
	return o;
}

/* Push one (record, family); see struct provider. */
static enum outcome
push(const struct record *rec, const struct addr *a, struct push_ctx *ctx,
    char **why)
{
	const char		*endpoint, *token, *err;
	char			*subj, *domain = NULL, *url = NULL;
	char			*detail = NULL;
	struct http_req		 req;
	struct http_resp	 resp;
	enum outcome		 o = OUT_CONFIG;

	subj = xasprintf("duckdns: %s %s", rec->name, fam_rrtype(a->fam));
	if (subj == NULL)
		return OUT_TEMPFAIL;
	if ((endpoint = rec_str(rec, "endpoint")) == NULL)
		endpoint = DUCKDNS_ENDPOINT;
	/* What is wrong with the configuration holds the record until the
	 * configuration changes (ctx->hold). */
	if ((token = rec_str(rec, "token")) == NULL) {
		detail = xasprintf("needs \"token\"");
		ctx->hold = 1;
		goto out;
	}
	if ((domain = duckdns_domain(rec->name, &err)) == NULL ||
	    (url = duckdns_url(endpoint, domain, token, a, &err)) == NULL) {
		if (err == NULL) {
			o = OUT_TEMPFAIL;
			goto out;
		}
		detail = xasprintf("%s%s", domain != NULL ?
		    "\"endpoint\": " : "", err);
		ctx->hold = 1;
		goto out;
	}

	memset(&req, 0, sizeof(req));
	req.url = url;
	req.insecure = rec_bool(rec, "insecure", 0);
	memset(&resp, 0, sizeof(resp));
	if ((o = provider_send(subj, &req, &resp, ctx, why)) != OUT_CURRENT)
		goto out;
	o = duckdns_parse(resp.status, resp.body, a, ctx, &detail);
	http_resp_free(&resp);
out:
	if (detail != NULL)
		*why = xasprintf("%s: %s", subj, detail);
	free(detail);
	free(url);
	free(domain);
	free(subj);
	return o;
}

const struct provider provider_duckdns = {
	.name = "duckdns",
	.keys = keys,
	.push = push,
};
