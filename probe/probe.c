/*
 * Learning the public address: the table of sources and the one deadline
 * they share. Each family has a list of steps (config probe.ipv4/ipv6, in
 * order of preference; default: one http step over the built-in
 * endpoints). Steps are tried in order, falling back to the next while a
 * family has no address; when both families' next steps are of the same
 * source they run in one call, so the two families' HTTP endpoints race
 * together. What each step saw is kept in res[f].seen for --probe/--json.
 *
 * With a quorum k > 1 every answer is a vote (an http step's agreeing
 * endpoints each count, any other source's answer counts 1) and a family
 * is decided when one address has k votes across the steps tried so far;
 * the list goes on while none has. An http step is asked for the votes
 * still missing, so a single endpoint can second another source.
 */
#ifdef _WIN32
#include <windows.h>
#endif

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "probe.h"

#define DEFAULT_DEADLINE_MS	10000

static const struct probe_source *const sources[] = {
	&probe_cmd,
	&probe_dns,
	&probe_http,
	&probe_iface,
	&probe_router,
	&probe_stun,
	NULL
};

/*
 * Endpoints that answer with the bare address (or a page or sentence with
 * exactly one address in it). International and Chinese services are
 * mixed so that some answer from behind the Great Firewall, where the
 * others are slow or blocked; all of a family's endpoints race.
 */
const char *const probe_default_urls[FAM_MAX][16] = {
	[FAM_V4] = {
		"https://api.ipify.org",
		"https://4.ipw.cn",
		"https://v4.ident.me",
		"https://ipv4.icanhazip.com",
		"https://ddns.oray.com/checkip",
		"https://myip.ipip.net",
		"http://ip.3322.net",
		NULL
	},
	[FAM_V6] = {
		"https://api6.ipify.org",
		"https://6.ipw.cn",
		"https://v6.ident.me",
		"https://ipv6.icanhazip.com",
		NULL
	},
};

/* Milliseconds on a clock that never jumps. */
long
probe_now_ms(void)
{
#ifdef _WIN32
	return (long)GetTickCount64();
#else
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
#endif
}

/* The source called name, or NULL. */
const struct probe_source *
probe_source_find(const char *name)
{
	size_t	 i;

	for (i = 0; sources[i] != NULL; i++)
		if (strcmp(sources[i]->name, name) == 0)
			return sources[i];
	return NULL;
}

/* 0 if a may be used; -1 with *why (malloc'd) naming its range. */
int
probe_accept(const struct probe_conf *conf, const struct addr *a,
    const char *label, char **why)
{
	const char	*range;

	if ((range = addr_check(a, conf->allow)) == NULL)
		return 0;
	*why = xasprintf("%s: %s is in %s: %s", label, a->text, range,
	    addr_range_why(range));
	return -1;
}

/* Append "; " and src's why to dst's; takes src->why. */
static void
why_merge(struct probe_result *dst, struct probe_result *src)
{
	char	*s;

	if (src->why == NULL)
		return;
	if (dst->why == NULL) {
		dst->why = src->why;
		src->why = NULL;
		return;
	}
	if ((s = xasprintf("%s; %s", dst->why, src->why)) != NULL) {
		free(dst->why);
		dst->why = s;
	}
}

/* Record in dst->seen what step st saw (src); 0/-1 (ENOMEM). */
static int
seen_add(struct probe_result *dst, const struct probe_step *st,
    const struct probe_result *src)
{
	struct probe_seen	*n, *e;

	n = realloc(dst->seen, (dst->nseen + 1) * sizeof(*n));
	if (n == NULL)
		return -1;
	dst->seen = n;
	e = &n[dst->nseen++];
	memset(e, 0, sizeof(*e));
	e->label = strdup(st->label != NULL ? st->label : st->src->name);
	e->ok = src->ok;
	e->addr = src->addr;
	e->source = src->source != NULL ? strdup(src->source) : NULL;
	e->ms = src->ms;
	e->why = src->why != NULL ? strdup(src->why) : NULL;
	e->wan_set = src->wan_set;
	e->wan = src->wan;
	e->votes = src->ok ? (src->agree > 1 ? src->agree : 1) :
	    src->agree > 0 ? src->agree : 0;
	return 0;
}

/* The quorum rule across steps: see probe.h. */
int
probe_quorum(const struct probe_seen *seen, size_t n, int k,
    struct addr *win, int *votes, char **tally)
{
	size_t	 i, j, best = n;
	int	 v, bestv = 0;
	char	*t = NULL, *s;

	for (i = 0; i < n; i++) {
		if (seen[i].votes <= 0)
			continue;
		for (j = 0; j < i; j++)
			if (seen[j].votes > 0 &&
			    addr_equal(&seen[j].addr, &seen[i].addr))
				break;
		if (j < i)
			continue;	/* counted with its first */
		for (v = 0, j = i; j < n; j++)
			if (seen[j].votes > 0 &&
			    addr_equal(&seen[j].addr, &seen[i].addr))
				v += seen[j].votes;
		if (v > bestv) {
			bestv = v;
			best = i;
		}
		if (tally != NULL) {
			s = t == NULL ? xasprintf("%s %d", seen[i].addr.text,
			    v) : xasprintf("%s, %s %d", t, seen[i].addr.text,
			    v);
			free(t);
			t = s;
		}
	}
	if (best < n && bestv >= k) {
		*win = seen[best].addr;
		*votes = bestv;
		free(t);
		return 0;
	}
	if (tally != NULL)
		*tally = t;
	else
		free(t);
	return -1;
}

/* The votes still missing for family r to reach quorum k: k less the
 * leading address's votes, at least 1. */
static int
missing(const struct probe_result *r, int k)
{
	size_t	 i, j;
	int	 v, lead = 0;

	for (i = 0; i < r->nseen; i++) {
		if (r->seen[i].votes <= 0)
			continue;
		for (v = 0, j = 0; j < r->nseen; j++)
			if (r->seen[j].votes > 0 &&
			    addr_equal(&r->seen[i].addr, &r->seen[j].addr))
				v += r->seen[j].votes;
		if (v > lead)
			lead = v;
	}
	return k - lead > 1 ? k - lead : 1;
}

/* Fold what one step said for family f (tmp) into res; empties tmp. */
static void
fold(struct probe_result *res, struct probe_result *tmp)
{
	if (tmp->wan_set && !res->wan_set) {
		res->wan_set = 1;
		res->wan = tmp->wan;
	}
	if (tmp->ok) {
		free(res->source);
		free(res->why);
		res->ok = 1;
		res->addr = tmp->addr;
		res->source = tmp->source;
		res->ms = tmp->ms;
		res->agree = tmp->agree;
		res->why = NULL;
		tmp->source = NULL;
	} else
		why_merge(res, tmp);
	probe_result_free(tmp);
}

/*
 * Quorum k > 1: decide res by the votes of every step so far (res->seen
 * already holds tmp's); keep tmp's failure for the message. Empties tmp.
 */
static void
fold_quorum(struct probe_result *res, struct probe_result *tmp, int k)
{
	const struct probe_seen	*e;
	struct addr		 win;
	size_t			 i;
	int			 votes;

	if (tmp->wan_set && !res->wan_set) {
		res->wan_set = 1;
		res->wan = tmp->wan;
	}
	if (probe_quorum(res->seen, res->nseen, k, &win, &votes, NULL) == 0) {
		res->ok = 1;
		res->addr = win;
		res->agree = votes;
		free(res->why);
		res->why = NULL;
		/* Where it came from: the last step that voted for it. */
		for (i = res->nseen; i-- > 0; ) {
			e = &res->seen[i];
			if (e->votes <= 0 || !addr_equal(&e->addr, &win))
				continue;
			free(res->source);
			res->source = strdup(e->source != NULL ? e->source :
			    e->label);
			res->ms = e->ms;
			break;
		}
	} else if (!tmp->ok)
		why_merge(res, tmp);
	probe_result_free(tmp);
}

/* 0 if every wanted family has an address in res; -1 otherwise. */
int
probe_run(const struct probe_conf *conf, const int want[FAM_MAX],
    struct probe_result res[FAM_MAX])
{
	struct probe_step	 dflt[FAM_MAX];
	const struct probe_step	*steps[FAM_MAX], *ask[FAM_MAX];
	struct probe_result	 tmp[FAM_MAX];
	struct probe_conf	 qc;
	size_t			 nsteps[FAM_MAX], next[FAM_MAX];
	const struct probe_source *src;
	char			*tally, *s;
	struct addr		 a;
	long			 deadline;
	int			 f, g, k, v, rc = 0;

	k = conf->quorum > 1 ? conf->quorum : 1;
	qc = *conf;

	deadline = probe_now_ms() + (conf->deadline_ms > 0 ?
	    conf->deadline_ms : DEFAULT_DEADLINE_MS);
	for (f = 0; f < FAM_MAX; f++) {
		if (want[f])
			memset(&res[f], 0, sizeof(res[f]));
		next[f] = 0;
		if (conf->steps[f] != NULL) {
			steps[f] = conf->steps[f];
			nsteps[f] = conf->nsteps[f];
		} else {
			memset(&dflt[f], 0, sizeof(dflt[f]));
			dflt[f].src = &probe_http;
			dflt[f].urls = (char **)probe_default_urls[f];
			dflt[f].label = "http";
			steps[f] = &dflt[f];
			nsteps[f] = 1;
		}
	}
	for (;;) {
		/* The first family still looking picks the source. */
		for (src = NULL, f = 0; f < FAM_MAX; f++)
			if (want[f] && !res[f].ok && next[f] < nsteps[f]) {
				src = steps[f][next[f]].src;
				break;
			}
		if (src == NULL || probe_now_ms() >= deadline)
			break;
		for (g = 0; g < FAM_MAX; g++) {
			ask[g] = NULL;
			if (want[g] && !res[g].ok && next[g] < nsteps[g] &&
			    steps[g][next[g]].src == src)
				ask[g] = &steps[g][next[g]++];
		}
		/* Ask for the votes still missing (the most any family
		 * needs): a step that can add only one runs as quorum 1. */
		for (qc.quorum = 1, g = 0; k > 1 && g < FAM_MAX; g++)
			if (ask[g] != NULL && missing(&res[g], k) > qc.quorum)
				qc.quorum = missing(&res[g], k);
		memset(tmp, 0, sizeof(tmp));
		src->run(ask, &qc, tmp, deadline);
		for (g = 0; g < FAM_MAX; g++) {
			if (ask[g] == NULL)
				continue;
			if (tmp[g].why == NULL && !tmp[g].ok)
				tmp[g].why = xasprintf("%s: no %s address",
				    ask[g]->label, fam_name(g));
			(void)seen_add(&res[g], ask[g], &tmp[g]);
			if (k > 1)
				fold_quorum(&res[g], &tmp[g], k);
			else
				fold(&res[g], &tmp[g]);
		}
	}
	/*
	 * The CGNAT check needs the router's word even when an earlier
	 * source already gave the address: a router step left in the IPv4
	 * list still runs, only to learn the WAN side.
	 */
	for (; want[FAM_V4] && res[FAM_V4].ok && !res[FAM_V4].wan_set &&
	    next[FAM_V4] < nsteps[FAM_V4] && probe_now_ms() < deadline;
	    next[FAM_V4]++) {
		if (steps[FAM_V4][next[FAM_V4]].src != &probe_router)
			continue;
		memset(ask, 0, sizeof(ask));
		memset(tmp, 0, sizeof(tmp));
		ask[FAM_V4] = &steps[FAM_V4][next[FAM_V4]];
		probe_router.run(ask, conf, tmp, deadline);
		(void)seen_add(&res[FAM_V4], ask[FAM_V4], &tmp[FAM_V4]);
		if (tmp[FAM_V4].wan_set) {
			res[FAM_V4].wan_set = 1;
			res[FAM_V4].wan = tmp[FAM_V4].wan;
		}
		probe_result_free(&tmp[FAM_V4]);
	}
	if (want[FAM_V4])
		probe_nat_check(&res[FAM_V4]);
	for (f = 0; f < FAM_MAX; f++) {
		if (!want[f] || res[f].ok)
			continue;
		tally = NULL;
		if (k > 1 && probe_quorum(res[f].seen, res[f].nseen, k, &a, &v,
		    &tally) == -1 && (s = xasprintf("no %s address that %d "
		    "answers agree on (votes: %s)%s%s", fam_name(f), k,
		    tally != NULL ? tally : "none", res[f].why != NULL ?
		    ": " : "", res[f].why != NULL ? res[f].why : "")) != NULL) {
			free(res[f].why);
			res[f].why = s;
		}
		free(tally);
		if (res[f].why == NULL)
			res[f].why = xasprintf("no %s address: the probe "
			    "deadline passed", fam_name(f));
		rc = -1;
	}
	return rc;
}

/* Free what probe_run put in r; r may be NULL. */
void
probe_result_free(struct probe_result *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	free(r->source);
	free(r->why);
	for (i = 0; i < r->nseen; i++) {
		free(r->seen[i].label);
		free(r->seen[i].source);
		free(r->seen[i].why);
	}
	free(r->seen);
	free(r->nat_why);
	r->nat_why = NULL;
	r->source = NULL;
	r->why = NULL;
	r->seen = NULL;
	r->nseen = 0;
}
