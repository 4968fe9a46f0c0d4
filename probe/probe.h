/*
 * Probes: ways of learning the public address. Each source is one file in
 * this directory; probe.c runs them and applies the quorum rule.
 */
#ifndef PROBE_H
#define PROBE_H

#include "../ddnsup.h"

/* What one step saw, for --probe, --json and the CGNAT check. */
struct probe_seen {
	char		*label;		/* the step's label; malloc'd */
	int		 ok;
	struct addr	 addr;		/* ok */
	char		*source;	/* ok: what said it; malloc'd */
	long		 ms;
	char		*why;		/* !ok: why not; malloc'd */
	int		 wan_set;	/* router: it reported its WAN side */
	struct addr	 wan;		/* ... as it said, whatever the range */
	int		 votes;		/* quorum: answers it counts for addr
					 * (http: its agreeing endpoints, even
					 * short of the quorum; else 1), 0: none */
};

/* What the CGNAT check found about the IPv4 path (probe_nat_check). */
enum probe_nat {
	NAT_UNKNOWN,	/* nothing to go by (no router source answered) */
	NAT_NONE,	/* the router's WAN address is the public address */
	NAT_CGNAT,	/* WAN address in 100.64/10, or public but not the
			 * address seen from outside: carrier-grade NAT */
	NAT_DOUBLE	/* WAN address private: another router in front */
};

struct probe_result {
	int		 ok;		/* addr is valid */
	struct addr	 addr;
	char		*source;	/* what said it (URL, "--ip"); malloc'd */
	long		 ms;		/* how long that source took */
	int		 agree;		/* answers that agreed (quorum); a
					 * source that failed may still set it
					 * and addr: its best, short of it */
	char		*why;		/* !ok: why none; malloc'd */
	int		 wan_set;	/* a router reported its WAN address */
	struct addr	 wan;		/* (any range: the CGNAT check uses it) */
	struct probe_seen *seen;	/* per step, in order; probe.c fills */
	size_t		 nseen;
	enum probe_nat	 nat;		/* IPv4 only: probe_nat_check's word */
	char		*nat_why;	/* its sentence for the user; malloc'd */
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
 *
 * check validates a config entry of family fam (opts is the entry's
 * object, "source" included): 0, or -1 with *key (static; the offending
 * key, or NULL for the entry itself) and *why (malloc'd) set. NULL check:
 * the source takes no options.
 *
 * run is given, for each family f, the step to run (step[f], NULL when f
 * is not asked this time) and fills res[f] (zeroed by the caller): ok,
 * addr (already validated against conf->allow with probe_accept), source,
 * ms, or why; wan/wan_set when it learned a router's WAN address. It
 * returns by deadline (a probe_now_ms() value): 0 if every asked family
 * got an address, -1 otherwise.
 *
 * shorthand: the option a string entry "name:arg" sets to arg (e.g. the
 * interface for "iface:eth0"); NULL if only "name" alone is accepted.
 */
struct probe_source {
	const char	*name;
	const char	*shorthand;
	int		(*check)(json_t *opts, enum fam fam, const char **key,
			    char **why);
	int		(*run)(const struct probe_step *const step[FAM_MAX],
			    const struct probe_conf *conf,
			    struct probe_result res[FAM_MAX], long deadline);
};

extern const struct probe_source probe_http;	/* probe/http.c */
extern const struct probe_source probe_iface;	/* probe/iface.c */
extern const struct probe_source probe_stun;	/* probe/stun.c */
extern const struct probe_source probe_dns;	/* probe/dns.c */
extern const struct probe_source probe_cmd;	/* probe/cmd.c */
extern const struct probe_source probe_router;	/* probe/router.c */

/* The source called name, or NULL. */
const struct probe_source *probe_source_find(const char *name);

/*
 * The one validation every source applies to a candidate: 0 if a may be
 * used (public, or in a range conf->allow lets through); -1 with *why
 * (malloc'd, "<label>: 192.168.1.2 is a private address: ...") if not.
 */
int	 probe_accept(const struct probe_conf *conf, const struct addr *a,
	    const char *label, char **why);

/*
 * The CGNAT check (probe/router.c), run by probe_run on the IPv4 result
 * once every step is done: compares the WAN address a router reported
 * (r->wan) with the public address (r->addr) and the ranges, and sets
 * r->nat and r->nat_why (malloc'd; NULL for NAT_NONE/NAT_UNKNOWN).
 */
void	 probe_nat_check(struct probe_result *r);

long	 probe_now_ms(void);		/* monotonic clock, milliseconds */

/*
 * The quorum rule across a family's steps (pure): each of seen[0..n) is
 * seen[i].votes votes for seen[i].addr. 0 with *win and *votes set when an
 * address has k votes or more (the most, the earliest on a tie); -1
 * otherwise, with *tally (if tally is not NULL) the count per address,
 * "203.0.113.7 1, 198.51.100.1 1" (malloc'd; NULL when nothing answered).
 */
int	 probe_quorum(const struct probe_seen *seen, size_t n, int k,
	    struct addr *win, int *votes, char **tally);

#endif /* PROBE_H */
