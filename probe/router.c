/*
 * Address source "router": The home router's WAN address over UPnP IGD, NAT-PMP or PCP; feeds the CGNAT check.
 *
 * STUB: the contract is in place (probe.h); the source itself lands with
 * issue 5. Until then every run reports that it is not built.
 */
#include "probe.h"

static int	 router_run(const struct probe_step *const [FAM_MAX],
		    const struct probe_conf *, struct probe_result [FAM_MAX],
		    long);

const struct probe_source probe_router = {
	.name = "router",
	.shorthand = "protocol",
	.run = router_run,
};

/* The source's run: see struct probe_source. -1: nothing learned. */
static int
router_run(const struct probe_step *const step[FAM_MAX],
    const struct probe_conf *conf, struct probe_result res[FAM_MAX],
    long deadline)
{
	int	 f;

	(void)conf;
	(void)deadline;
	for (f = 0; f < FAM_MAX; f++)
		if (step[f] != NULL)
			res[f].why = xasprintf("%s: not built yet",
			    step[f]->label);
	return -1;
}

/* The CGNAT check: see probe.h. STUB: says nothing until router lands. */
void
probe_nat_check(struct probe_result *r)
{
	r->nat = NAT_UNKNOWN;
	r->nat_why = NULL;
}
