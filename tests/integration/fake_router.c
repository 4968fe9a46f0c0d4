/*
 * Test double for the driver's side of the CGNAT check: a "router" source
 * that reports the WAN address given as its argument ("router:100.64.0.7")
 * and a probe_nat_check with the verdicts of probe.h, linked into
 * tests/integration/ddnsup-fakerouter in place of probe/router.c (these two
 * objects define every symbol of router.o, so the archive's is never
 * pulled in). The real source and check are tested by their own module's
 * tests; this one lets test_nat.py drive the warning, exit status 3,
 * probe.nat_ok and the --json "nat" object end to end without a router.
 */
#include <stdlib.h>
#include <string.h>

#include "probe/probe.h"

static int	 fake_run(const struct probe_step *const [FAM_MAX],
		    const struct probe_conf *, struct probe_result [FAM_MAX],
		    long);

const struct probe_source probe_router = {
	.name = "router",
	.shorthand = "protocol",
	.run = fake_run,
};

/* Report the step's argument as the WAN address; never a public one. */
static int
fake_run(const struct probe_step *const step[FAM_MAX],
    const struct probe_conf *conf, struct probe_result res[FAM_MAX],
    long deadline)
{
	const char	*wan;
	int		 f;

	(void)conf;
	(void)deadline;
	for (f = 0; f < FAM_MAX; f++) {
		if (step[f] == NULL)
			continue;
		wan = json_string_value(json_object_get(step[f]->opts,
		    "protocol"));
		if (wan != NULL && addr_parse(wan, f, &res[f].wan) == 0) {
			res[f].wan_set = 1;
			res[f].why = xasprintf("%s: WAN address %s (fake)",
			    step[f]->label, wan);
		} else
			res[f].why = xasprintf("%s: no WAN address (fake)",
			    step[f]->label);
		res[f].ms = 1;
	}
	return -1;
}

/* The verdicts of probe.h from r->wan and r->addr. */
void
probe_nat_check(struct probe_result *r)
{
	const char	*range;

	r->nat = NAT_UNKNOWN;
	r->nat_why = NULL;
	if (!r->wan_set)
		return;
	range = addr_range(&r->wan);
	if (range != NULL && strcmp(range, "private") == 0) {
		r->nat = NAT_DOUBLE;
		r->nat_why = xasprintf("fake: router WAN %s is private: "
		    "another router in front", r->wan.text);
	} else if (range != NULL && strcmp(range, "cgnat") == 0) {
		r->nat = NAT_CGNAT;
		r->nat_why = xasprintf("fake: router WAN %s: this network "
		    "is behind carrier-grade NAT", r->wan.text);
	} else if (r->ok && addr_equal(&r->wan, &r->addr))
		r->nat = NAT_NONE;
	else if (r->ok) {
		r->nat = NAT_CGNAT;
		r->nat_why = xasprintf("fake: router WAN %s is not the "
		    "public %s: carrier-grade NAT", r->wan.text,
		    r->addr.text);
	}
}
