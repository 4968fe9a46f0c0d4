/*
 * The HTTP source: web endpoints that answer with the address they see
 * the request come from.
 *
 * Every endpoint of every wanted family starts at once on one curl multi
 * handle, each forced onto its family (an IPv6 endpoint reached over IPv4
 * would tell us the IPv4 address). Only a 2xx reply counts; its one
 * address must pass validation (addr_check), so an endpoint on the LAN or
 * behind carrier-grade NAT is a failed endpoint whose message names the
 * range.
 *
 * A family is decided as soon as quorum endpoints have named the same
 * address (with quorum 1, the first valid answer); its remaining
 * transfers are then abandoned at once, not waited for. Short of that,
 * every endpoint is waited for, even when this step alone can no longer
 * make the quorum: the quorum counts answers across sources (probe.c),
 * so each agreeing endpoint is a vote the next source may complete.
 * Nothing outlives the shared deadline.
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "probe.h"

#define DEFAULT_TIMEOUT_MS	5000
#define DUMP_MAX		512	/* bytes of a reply shown at -vv */

enum ep_state {
	EP_RUNNING,
	EP_OK,			/* answered with a usable address */
	EP_FAILED,		/* why says how */
	EP_ABANDONED,		/* its family was decided without it */
};

/* One endpoint being asked. */
struct ep {
	CURL		*h;
	enum fam	 fam;
	const char	*url;
	enum ep_state	 state;
	struct http_buf	 buf;
	char		 err[CURL_ERROR_SIZE];
	long		 started;
	long		 ms;		/* until it finished */
	struct addr	 addr;		/* EP_OK */
	char		*why;		/* EP_FAILED; malloc'd, NULL on ENOMEM */
};

/* One run over all wanted families. */
struct run {
	const struct probe_conf	*conf;
	CURLM			*multi;
	struct ep		*eps;
	size_t			 neps;
	int			 quorum;
	int			 active[FAM_MAX];	/* not yet decided */
	struct probe_result	*res;
};

static int	 http_run(const struct probe_step *const [FAM_MAX],
		    const struct probe_conf *, struct probe_result [FAM_MAX],
		    long);

const struct probe_source probe_http = {
	.name = "http",
	.run = http_run,
};

/* The endpoints of family f's step: its list or the built-in one. */
static const char *const *
fam_urls(const struct probe_step *st, enum fam f)
{
	if (st->urls != NULL)
		return (const char *const *)st->urls;
	return probe_default_urls[f];
}

/* 1 if the configuration lets url go without TLS verification. */
static int
url_insecure(const struct probe_conf *conf, const char *url)
{
	char	**p;

	for (p = conf->insecure; p != NULL && *p != NULL; p++)
		if (strcmp(*p, url) == 0)
			return 1;
	return 0;
}

/* url shortened for the summary: no scheme, query or trailing slash. */
static char *
url_label(const char *url)
{
	const char	*s, *p, *at;
	size_t		 n;

	s = (p = strstr(url, "://")) != NULL ? p + 3 : url;
	n = strcspn(s, "?#");
	at = memchr(s, '@', strcspn(s, "/?#"));
	if (at != NULL) {
		n -= (size_t)(at + 1 - s);
		s = at + 1;
	}
	while (n > 1 && s[n - 1] == '/')
		n--;
	return xasprintf("%.*s", (int)n, s);
}

/* Take ep's transfer off the multi handle and free it. */
static void
ep_stop(struct run *r, struct ep *ep)
{
	if (ep->h != NULL) {
		curl_multi_remove_handle(r->multi, ep->h);
		curl_easy_cleanup(ep->h);
		ep->h = NULL;
	}
	free(ep->buf.data);
	memset(&ep->buf, 0, sizeof(ep->buf));
}

/* Mark ep failed with why (malloc'd, taken) and say so at -v. */
static void
ep_fail(struct run *r, struct ep *ep, char *why)
{
	ep_stop(r, ep);
	ep->state = EP_FAILED;
	ep->why = why;
	log_info("probe: %s: %s", ep->url, why != NULL ? why : "failed");
}

/* Start ep's transfer, to end by deadline; a failure to start fails ep. */
static void
ep_start(struct run *r, struct ep *ep, long deadline)
{
	long	 timeout;

	ep->started = probe_now_ms();
	timeout = r->conf->timeout_ms > 0 ? r->conf->timeout_ms :
	    DEFAULT_TIMEOUT_MS;
	if (timeout > deadline - ep->started)
		timeout = deadline - ep->started;
	if (timeout < 1)
		timeout = 1;
	ep->h = http_easy(ep->url, &ep->buf, url_insecure(r->conf, ep->url));
	if (ep->h == NULL) {
		ep_fail(r, ep, xasprintf("out of memory"));
		return;
	}
	curl_easy_setopt(ep->h, CURLOPT_IPRESOLVE, ep->fam == FAM_V4 ?
	    CURL_IPRESOLVE_V4 : CURL_IPRESOLVE_V6);
	curl_easy_setopt(ep->h, CURLOPT_TIMEOUT_MS, timeout);
	curl_easy_setopt(ep->h, CURLOPT_ERRORBUFFER, ep->err);
	curl_easy_setopt(ep->h, CURLOPT_PRIVATE, ep);
#if LIBCURL_VERSION_NUM >= 0x075700
	/* Abandoning a transfer must not wait for its DNS lookup. */
	curl_easy_setopt(ep->h, CURLOPT_QUICK_EXIT, 1L);
#endif
	if (curl_multi_add_handle(r->multi, ep->h) != CURLM_OK) {
		curl_easy_cleanup(ep->h);
		ep->h = NULL;
		ep_fail(r, ep, xasprintf("cannot start the transfer"));
		return;
	}
	log_debug("probe: GET %s (%s, %ld ms)", ep->url, fam_name(ep->fam),
	    timeout);
}

/* ep's transfer ended with rc: judge the reply. */
static void
ep_done(struct run *r, struct ep *ep, CURLcode rc)
{
	struct addr	 a;
	const char	*w, *range;
	long		 status = 0;
	size_t		 shown;

	ep->ms = probe_now_ms() - ep->started;
	if (rc != CURLE_OK) {
		if (ep->buf.overflow)
			ep_fail(r, ep, xasprintf("reply too large"));
		else if (rc == CURLE_OPERATION_TIMEDOUT)
			ep_fail(r, ep, xasprintf("timed out after %ld ms",
			    ep->ms));
		else if (rc == CURLE_COULDNT_CONNECT ||
		    rc == CURLE_COULDNT_RESOLVE_HOST || ep->err[0] == '\0')
			ep_fail(r, ep, xasprintf("%s", curl_easy_strerror(rc)));
		else
			ep_fail(r, ep, xasprintf("%s", ep->err));
		return;
	}
	curl_easy_getinfo(ep->h, CURLINFO_RESPONSE_CODE, &status);
	shown = ep->buf.len > DUMP_MAX ? DUMP_MAX : ep->buf.len;
	while (shown > 0 && (ep->buf.data[shown - 1] == '\n' ||
	    ep->buf.data[shown - 1] == '\r'))
		shown--;
	log_debug("probe: %s: HTTP %ld, %zu bytes: %.*s", ep->url, status,
	    ep->buf.len, (int)shown, ep->buf.data != NULL ? ep->buf.data : "");
	if (status < 200 || status > 299)
		ep_fail(r, ep, xasprintf("HTTP %ld", status));
	else if (probe_extract(ep->buf.data != NULL ? ep->buf.data : "",
	    ep->buf.len, ep->fam, &a, &w) == -1)
		ep_fail(r, ep, xasprintf("%s", w));
	else if ((range = addr_check(&a, r->conf->allow)) != NULL)
		ep_fail(r, ep, xasprintf("%s is in %s: %s", a.text, range,
		    addr_range_why(range)));
	else {
		ep_stop(r, ep);
		ep->state = EP_OK;
		ep->addr = a;
		log_info("probe: %s: %s in %ld ms", ep->url, a.text, ep->ms);
	}
}

/* Append "; " (unless first) and piece to *s; takes piece. */
static void
join(char **s, char *piece)
{
	char	*t;

	if (piece == NULL)
		return;
	if (*s == NULL) {
		*s = piece;
		return;
	}
	t = xasprintf("%s; %s", *s, piece);
	free(piece);
	if (t != NULL) {
		free(*s);
		*s = t;
	}
}

/* Family f is decided: stop what still runs for it. */
static void
fam_close(struct run *r, enum fam f)
{
	size_t	 i;

	r->active[f] = 0;
	for (i = 0; i < r->neps; i++) {
		if (r->eps[i].fam != f || r->eps[i].state != EP_RUNNING)
			continue;
		log_debug("probe: %s: abandoned", r->eps[i].url);
		ep_stop(r, &r->eps[i]);
		r->eps[i].state = EP_ABANDONED;
	}
}

/* Family f has no address: say why, naming each endpoint's failure. */
static void
fam_fail(struct run *r, enum fam f)
{
	struct ep	*ep;
	char		*list = NULL, *why, *label;
	size_t		 i, j;
	int		 n;

	fam_close(r, f);
	for (i = 0; i < r->neps; i++) {
		ep = &r->eps[i];
		if (ep->fam != f || ep->state == EP_ABANDONED)
			continue;
		label = url_label(ep->url);
		if (ep->state == EP_OK)
			join(&list, xasprintf("%s: said %s", label ?
			    label : ep->url, ep->addr.text));
		else
			join(&list, xasprintf("%s: %s", label ? label : ep->url,
			    ep->why ? ep->why : "failed"));
		free(label);
	}
	/* The quorum counts answers across sources too: the step's best
	 * address still gets its agreeing endpoints' votes. */
	for (i = 0; r->quorum > 1 && i < r->neps; i++) {
		if (r->eps[i].fam != f || r->eps[i].state != EP_OK)
			continue;
		for (n = 0, j = 0; j < r->neps; j++)
			if (r->eps[j].state == EP_OK &&
			    addr_equal(&r->eps[i].addr, &r->eps[j].addr))
				n++;
		if (n > r->res[f].agree) {
			r->res[f].agree = n;
			r->res[f].addr = r->eps[i].addr;
		}
	}
	if (r->quorum > 1)
		why = xasprintf("no %s address that %d endpoints agree on: %s",
		    fam_name(f), r->quorum, list ? list : "no endpoints");
	else
		why = xasprintf("no %s address: %s", fam_name(f),
		    list ? list : "no endpoints");
	r->res[f].why = why != NULL ? log_redact(why) : NULL;
	free(why);
	free(list);
}

/*
 * Decide family f if possible after last finished (NULL: at start):
 * 1 if decided (r->res[f] filled), 0 if still open.
 */
static int
fam_decide(struct run *r, enum fam f, const struct ep *last)
{
	size_t	 i, j;
	int	 running = 0, n;

	for (i = 0; i < r->neps; i++) {
		if (r->eps[i].fam != f)
			continue;
		if (r->eps[i].state == EP_RUNNING)
			running++;
		if (r->eps[i].state != EP_OK)
			continue;
		for (n = 0, j = 0; j < r->neps; j++)
			if (r->eps[j].state == EP_OK &&
			    addr_equal(&r->eps[i].addr, &r->eps[j].addr))
				n++;
		if (n >= r->quorum && last != NULL && last->state == EP_OK &&
		    addr_equal(&last->addr, &r->eps[i].addr)) {
			r->res[f].ok = 1;
			r->res[f].addr = last->addr;
			r->res[f].source = strdup(last->url);
			r->res[f].ms = last->ms;
			r->res[f].agree = n;
			fam_close(r, f);
			return 1;
		}
	}
	if (running > 0)
		return 0;
	fam_fail(r, f);
	return 1;
}

/* The deadline passed: every transfer still running has timed out. */
static void
expire(struct run *r)
{
	struct ep	*ep;
	size_t		 i;
	int		 f;

	for (i = 0; i < r->neps; i++) {
		ep = &r->eps[i];
		if (ep->state != EP_RUNNING)
			continue;
		ep->ms = probe_now_ms() - ep->started;
		ep_fail(r, ep, xasprintf("timed out after %ld ms", ep->ms));
	}
	for (f = 0; f < FAM_MAX; f++)
		if (r->active[f])
			fam_decide(r, f, NULL);
}

/* Read finished transfers off the multi handle and judge them. */
static void
reap(struct run *r)
{
	struct ep	*ep;
	CURLMsg		*msg;
	CURLcode	 rc;
	CURL		*h;
	char		*priv;
	int		 left;

	while ((msg = curl_multi_info_read(r->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		h = msg->easy_handle;
		rc = msg->data.result;
		if (curl_easy_getinfo(h, CURLINFO_PRIVATE, &priv) != CURLE_OK)
			continue;
		ep = (struct ep *)(void *)priv;
		if (ep->state != EP_RUNNING)
			continue;
		ep_done(r, ep, rc);
		if (r->active[ep->fam])
			fam_decide(r, ep->fam, ep);
	}
}

/* 1 while some family is undecided. */
static int
busy(const struct run *r)
{
	int	 f;

	for (f = 0; f < FAM_MAX; f++)
		if (r->active[f])
			return 1;
	return 0;
}

/* 1 if url is already among r's endpoints for family f. */
static int
listed(const struct run *r, enum fam f, const char *url)
{
	size_t	 i;

	for (i = 0; i < r->neps; i++)
		if (r->eps[i].fam == f && strcmp(r->eps[i].url, url) == 0)
			return 1;
	return 0;
}

/* The source's run: see struct probe_source. */
static int
http_run(const struct probe_step *const step[FAM_MAX],
    const struct probe_conf *conf, struct probe_result res[FAM_MAX],
    long deadline)
{
	int			 want[FAM_MAX];
	struct run		 r;
	const char *const	*u;
	size_t			 n = 0;
	long			 wait;
	int			 f, running, rc = 0;

	memset(&r, 0, sizeof(r));
	r.conf = conf;
	r.res = res;
	r.quorum = conf->quorum > 0 ? conf->quorum : 1;
	for (f = 0; f < FAM_MAX; f++)
		want[f] = step[f] != NULL;
	for (f = 0; f < FAM_MAX; f++)
		for (u = want[f] ? fam_urls(step[f], f) : NULL;
		    u != NULL && *u != NULL; u++)
			n++;
	if ((r.multi = curl_multi_init()) == NULL ||
	    (n > 0 && (r.eps = calloc(n, sizeof(*r.eps))) == NULL)) {
		for (f = 0; f < FAM_MAX; f++)
			if (want[f])
				res[f].why = xasprintf("no %s address: out of "
				    "memory", fam_name(f));
		rc = -1;
		goto out;
	}
	for (f = 0; f < FAM_MAX; f++) {
		for (u = want[f] ? fam_urls(step[f], f) : NULL;
		    u != NULL && *u != NULL; u++) {
			/* Listing an endpoint twice must not win a quorum. */
			if (listed(&r, f, *u))
				continue;
			r.eps[r.neps].fam = f;
			r.eps[r.neps].url = *u;
			r.neps++;
		}
		r.active[f] = want[f];
	}
	for (n = 0; n < r.neps; n++)
		ep_start(&r, &r.eps[n], deadline);
	for (f = 0; f < FAM_MAX; f++)
		if (r.active[f])
			fam_decide(&r, f, NULL);

	while (busy(&r)) {
		curl_multi_perform(r.multi, &running);
		reap(&r);
		if (!busy(&r))
			break;
		if ((wait = deadline - probe_now_ms()) <= 0) {
			expire(&r);
			break;
		}
		curl_multi_poll(r.multi, NULL, 0, wait > 1000 ? 1000 :
		    (int)wait, NULL);
	}
	for (f = 0; f < FAM_MAX; f++)
		if (want[f] && !res[f].ok)
			rc = -1;
out:
	for (n = 0; n < r.neps; n++) {
		ep_stop(&r, &r.eps[n]);
		free(r.eps[n].why);
	}
	free(r.eps);
	if (r.multi != NULL)
		curl_multi_cleanup(r.multi);
	return rc;
}
