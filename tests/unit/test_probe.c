/* probe/probe.c: the quorum rule across steps, over synthetic answers. */
#include "unit.h"
#include "probe/probe.h"

#define MAXSTEPS	6

/* Steps as "addr:votes" ("-" for a step with no answer), a quorum, and
 * the expected winner and votes, or NULL and the tally. */
static const struct {
	const char	*steps[MAXSTEPS];
	int		 k;
	const char	*win;
	int		 votes;
	const char	*tally;
} cases[] = {
	/* Quorum 1: the first answer wins. */
	{ { "203.0.113.7:1" }, 1, "203.0.113.7", 1, NULL },
	{ { "-", "203.0.113.7:1" }, 1, "203.0.113.7", 1, NULL },
	/* Two sources agree. */
	{ { "203.0.113.7:1", "203.0.113.7:1" }, 2, "203.0.113.7", 2, NULL },
	/* An http step's agreeing endpoints count each. */
	{ { "203.0.113.7:2" }, 2, "203.0.113.7", 2, NULL },
	{ { "203.0.113.7:1", "-", "203.0.113.7:2" }, 3, "203.0.113.7", 3,
	    NULL },
	/* A disagreeing source votes for another address. */
	{ { "203.0.113.7:1", "198.51.100.1:1" }, 2, NULL, 0,
	    "203.0.113.7 1, 198.51.100.1 1" },
	{ { "203.0.113.7:1", "198.51.100.1:1", "203.0.113.7:1" }, 2,
	    "203.0.113.7", 2, NULL },
	{ { "198.51.100.1:1", "203.0.113.7:2" }, 2, "203.0.113.7", 2, NULL },
	/* Both past k: the most votes; a tie goes to the earlier. */
	{ { "198.51.100.1:2", "203.0.113.7:3" }, 2, "203.0.113.7", 3, NULL },
	{ { "198.51.100.1:2", "203.0.113.7:2" }, 2, "198.51.100.1", 2, NULL },
	/* Not enough. */
	{ { "203.0.113.7:1", "-", "-" }, 2, NULL, 0, "203.0.113.7 1" },
	{ { "-", "-" }, 2, NULL, 0, NULL },
	{ { NULL }, 2, NULL, 0, NULL },
	{ { "203.0.113.7:2", "2001:db8::1:1" }, 3, NULL, 0,
	    "203.0.113.7 2, 2001:db8::1 1" },
	/* Same address, different spellings: one address. */
	{ { "2001:db8::1:1", "2001:0db8:0::0001:1" }, 2, "2001:db8::1", 2,
	    NULL },
	/* A lie repeated by one source is still one vote per answer. */
	{ { "198.51.100.1:1", "198.51.100.1:1", "203.0.113.7:1" }, 3, NULL,
	    0, "198.51.100.1 2, 203.0.113.7 1" },
};

static void
test_quorum(void **state)
{
	struct probe_seen	 seen[MAXSTEPS];
	struct addr		 win;
	char			 buf[64], *colon, *tally;
	size_t			 i, n;
	int			 votes, rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(seen, 0, sizeof(seen));
		for (n = 0; n < MAXSTEPS && cases[i].steps[n] != NULL; n++) {
			if (strcmp(cases[i].steps[n], "-") == 0)
				continue;
			snprintf(buf, sizeof(buf), "%s", cases[i].steps[n]);
			colon = strrchr(buf, ':');
			*colon = '\0';
			assert_int_equal(addr_parse(buf, FAM_MAX,
			    &seen[n].addr), 0);
			seen[n].votes = atoi(colon + 1);
			seen[n].ok = 1;
		}
		tally = (char *)"untouched";
		votes = -1;
		rc = probe_quorum(seen, n, cases[i].k, &win, &votes, &tally);
		if (cases[i].win != NULL) {
			if (rc != 0)
				fail_msg("case %zu: no winner (%s)", i, tally);
			assert_string_equal(win.text, cases[i].win);
			assert_int_equal(votes, cases[i].votes);
			assert_string_equal(tally, "untouched");
		} else {
			assert_int_equal(rc, -1);
			if (cases[i].tally == NULL)
				assert_null(tally);
			else
				assert_string_equal(tally, cases[i].tally);
			free(tally);
		}
		/* Without a tally pointer: the same answer, nothing kept. */
		assert_int_equal(probe_quorum(seen, n, cases[i].k, &win,
		    &votes, NULL), rc);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quorum),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
