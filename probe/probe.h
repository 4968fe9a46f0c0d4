/*
 * Probes: ways of learning the public address. Each source is one file in
 * this directory; probe.c runs them and applies the quorum rule.
 */
#ifndef PROBE_H
#define PROBE_H

#include "../ddnsup.h"

struct probe_result {
	int		 ok;		/* addr is valid */
	struct addr	 addr;
	char		*source;	/* what said it (URL, "--ip"); malloc'd */
	long		 ms;		/* how long that source took */
	int		 agree;		/* sources that agreed (quorum) */
	char		*why;		/* !ok: why none; malloc'd */
};

/*
 * Learn the public address of every family f with want[f] set, within
 * conf's deadline. Fills res[f] for those (caller frees with
 * probe_result_free). 0 if every wanted family has an address, -1 if
 * some have none (res[f].why says why). Never longer than the deadline.
 */
int	 probe_run(const struct probe_conf *conf, const int want[FAM_MAX],
	    struct probe_result res[FAM_MAX]);
void	 probe_result_free(struct probe_result *);

/*
 * Pure: find the one address of family fam in an endpoint's reply body
 * (plain text, HTML, JSON, "当前 IP：x.x.x.x 来自于：..."). 0 and *out set
 * when exactly one distinct candidate is found; -1 with *why (static
 * string) when there is none or more than one (ambiguous).
 */
int	 probe_extract(const char *buf, size_t len, enum fam fam,
	    struct addr *out, const char **why);

/* The built-in endpoint list for a family, NULL-ended. */
extern const char *const probe_default_urls[FAM_MAX][16];

/*
 * A way of learning the address, one per file; probe.c keeps the table.
 * run fills res[f] (zeroed by the caller) for each f with want[f] set,
 * returning by deadline (a probe_now_ms() value): 0 if every wanted
 * family got an address, -1 if some have res[f].why instead.
 */
struct probe_source {
	const char	*name;
	int		(*run)(const struct probe_conf *conf,
			    const int want[FAM_MAX],
			    struct probe_result res[FAM_MAX], long deadline);
};

extern const struct probe_source probe_http;	/* probe/http.c */

long	 probe_now_ms(void);		/* monotonic clock, milliseconds */

#endif /* PROBE_H */
