/*
 * Learning the public address: the table of sources and the one deadline
 * they share. Each source is tried, in table order, for the families that
 * still have no address; the first that answers wins. Today there is one
 * source, HTTP endpoints (probe/http.c); interface, STUN, DNS and command
 * sources are one line each in the table.
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
	&probe_http,
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

/* 0 if every wanted family has an address in res; -1 otherwise. */
int
probe_run(const struct probe_conf *conf, const int want[FAM_MAX],
    struct probe_result res[FAM_MAX])
{
	struct probe_result	 tmp[FAM_MAX];
	int			 left[FAM_MAX], any, f, i, rc = 0;
	long			 deadline;

	deadline = probe_now_ms() + (conf->deadline_ms > 0 ?
	    conf->deadline_ms : DEFAULT_DEADLINE_MS);
	for (f = 0; f < FAM_MAX; f++)
		if (want[f])
			memset(&res[f], 0, sizeof(res[f]));
	for (i = 0; sources[i] != NULL; i++) {
		for (any = 0, f = 0; f < FAM_MAX; f++) {
			left[f] = want[f] && !res[f].ok;
			any |= left[f];
		}
		if (!any || probe_now_ms() >= deadline)
			break;
		memset(tmp, 0, sizeof(tmp));
		sources[i]->run(conf, left, tmp, deadline);
		for (f = 0; f < FAM_MAX; f++) {
			if (!left[f])
				continue;
			if (tmp[f].ok) {
				free(res[f].why);
				res[f] = tmp[f];
				res[f].why = NULL;
				free(tmp[f].why);
			} else {
				why_merge(&res[f], &tmp[f]);
				probe_result_free(&tmp[f]);
			}
		}
	}
	for (f = 0; f < FAM_MAX; f++) {
		if (!want[f] || res[f].ok)
			continue;
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
	if (r == NULL)
		return;
	free(r->source);
	free(r->why);
	r->source = NULL;
	r->why = NULL;
}
