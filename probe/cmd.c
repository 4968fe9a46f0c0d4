/*
 * Address source "cmd": The output of a configured command, through the same extractor and validation.
 *
 * STUB: the contract is in place (probe.h); the source itself lands with
 * issue 5. Until then every run reports that it is not built.
 */
#include "probe.h"

static int	 cmd_run(const struct probe_step *const [FAM_MAX],
		    const struct probe_conf *, struct probe_result [FAM_MAX],
		    long);

const struct probe_source probe_cmd = {
	.name = "cmd",
	.shorthand = "command",
	.run = cmd_run,
};

/* The source's run: see struct probe_source. -1: nothing learned. */
static int
cmd_run(const struct probe_step *const step[FAM_MAX],
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
