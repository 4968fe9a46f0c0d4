/* probe/cmd.c: option checking (exact messages) and a run's judgement. */
#include "unit.h"
#include "probe/probe.h"

/* An entry as JSON, the key the error points at, and the message (NULL
 * when accepted). */
static const struct {
	const char	*opts;
	const char	*key;
	const char	*why;
} cases[] = {
	{ "{\"source\": \"cmd\", \"command\": [\"/bin/echo\", \"a b\"]}",
	    NULL, NULL },
	{ "{\"source\": \"cmd\", \"command\": \"/usr/local/bin/myip\"}",
	    NULL, NULL },
	{ "{\"source\": \"cmd\", \"command\": \"myip-4.sh\", \"timeout\": 2.5}",
	    NULL, NULL },
	{ "{\"source\": \"cmd\", \"command\": \"a | b\", \"shell\": true}",
	    NULL, NULL },
	{ "{\"source\": \"cmd\", \"command\": [\"x\"], \"shell\": false}",
	    NULL, NULL },
	{ "{\"source\": \"cmd\", \"command\": [\"\"]}", "command",
	    "expected a list of strings, the first the program" },
	{ "{\"source\": \"cmd\", \"command\": [\"x\", null]}", "command",
	    "expected a list of strings, the first the program" },
	{ "{\"source\": \"cmd\", \"command\": [\"x\", \"a\\u0000b\"]}",
	    "command", "an argument holds a NUL character" },
	{ "{\"source\": \"cmd\", \"command\": \"a\\u0000b\"}", "command",
	    "expected a list of strings (the program and its arguments) or "
	    "a string" },
	{ "{\"source\": \"cmd\", \"command\": \"\"}", "command",
	    "expected a list of strings (the program and its arguments) or "
	    "a string" },
	{ "{\"source\": \"cmd\", \"command\": 7}", "command",
	    "expected a list of strings (the program and its arguments) or "
	    "a string" },
	{ "{\"source\": \"cmd\", \"command\": \"x;y\"}", "command",
	    "\"x;y\" has spaces or shell characters: give the program and its "
	    "arguments as a list, such as [\"/usr/local/bin/myip\", \"-4\"], "
	    "or add \"shell\": true to run it with /bin/sh -c" },
	{ "{\"source\": \"cmd\", \"command\": \"$HOME/ip\"}", "command",
	    "\"$HOME/ip\" has spaces or shell characters: give the program "
	    "and its arguments as a list, such as [\"/usr/local/bin/myip\", "
	    "\"-4\"], or add \"shell\": true to run it with /bin/sh -c" },
	{ "{\"source\": \"cmd\"}", NULL, "\"command\" missing: the program "
	    "and its arguments, such as [\"/usr/local/bin/myip\", \"-4\"]" },
	{ "{\"source\": \"cmd\", \"command\": [\"x\"], \"shell\": true}",
	    "shell", "goes with a string command (one shell line), not a list "
	    "of arguments" },
	{ "{\"source\": \"cmd\", \"command\": [\"x\"], \"shell\": 1}",
	    "shell", "expected true or false" },
	{ "{\"source\": \"cmd\", \"command\": [\"x\"], \"timeout\": 0}",
	    "timeout", "expected seconds (0 < t <= 3600)" },
	{ "{\"source\": \"cmd\", \"command\": [\"x\"], \"timeout\": 3601}",
	    "timeout", "expected seconds (0 < t <= 3600)" },
	{ "{\"source\": \"cmd\", \"command\": [\"x\"], \"timeout\": \"1\"}",
	    "timeout", "expected seconds (0 < t <= 3600)" },
	{ "{\"source\": \"cmd\", \"command\": [\"x\"], \"env\": {}}", NULL,
	    "unknown option \"env\" (options: command, shell, timeout)" },
};

static void
test_check(void **state)
{
	json_t		*o;
	json_error_t	 e;
	const char	*key;
	char		*why;
	size_t		 i;
	int		 rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		o = json_loads(cases[i].opts, JSON_ALLOW_NUL, &e);
		if (o == NULL)
			fail_msg("case %zu: %s", i, e.text);
		key = NULL;
		why = NULL;
		rc = probe_cmd.check(o, FAM_V4, &key, &why);
		if (cases[i].why == NULL) {
			if (rc != 0)
				fail_msg("%s: %s", cases[i].opts, why);
		} else {
			assert_int_equal(rc, -1);
			assert_non_null(why);
			assert_string_equal(why, cases[i].why);
			if (cases[i].key == NULL)
				assert_null(key);
			else
				assert_string_equal(key, cases[i].key);
		}
		free(why);
		json_decref(o);
	}
}

/* Run one step of opts for fam through the source; res filled. */
static int
run1(const char *opts, enum fam fam, struct probe_result res[FAM_MAX])
{
	struct probe_conf	 conf;
	struct probe_step	 st;
	const struct probe_step	*steps[FAM_MAX] = { NULL, NULL };
	int			 rc;

	memset(&conf, 0, sizeof(conf));
	memset(&st, 0, sizeof(st));
	memset(res, 0, FAM_MAX * sizeof(*res));
	conf.timeout_ms = 2000;
	conf.allow = addr_range_bit("documentation");
	st.src = &probe_cmd;
	st.opts = json_loads(opts, 0, NULL);
	st.label = "cmd";
	assert_non_null(st.opts);
	steps[fam] = &st;
	rc = probe_cmd.run(steps, &conf, res, probe_now_ms() + 5000);
	json_decref(st.opts);
	return rc;
}

static void
test_run(void **state)
{
	struct probe_result	 res[FAM_MAX];

	(void)state;
	assert_int_equal(run1("{\"command\": [\"/bin/echo\", \"<p>ip "
	    "203.0.113.9</p>\"]}", FAM_V4, res), 0);
	assert_true(res[FAM_V4].ok);
	assert_string_equal(res[FAM_V4].addr.text, "203.0.113.9");
	assert_string_equal(res[FAM_V4].source, "cmd /bin/echo");
	assert_null(res[FAM_V4].why);
	probe_result_free(&res[FAM_V4]);

	assert_int_equal(run1("{\"command\": [\"/bin/echo\", \"2001:db8::1 "
	    "2001:db8::2\"]}", FAM_V6, res), -1);
	assert_false(res[FAM_V6].ok);
	assert_string_equal(res[FAM_V6].why, "cmd /bin/echo: ambiguous: "
	    "several addresses in the reply");
	probe_result_free(&res[FAM_V6]);

	assert_int_equal(run1("{\"command\": \"echo 8.8.8.8; echo "
	    "'\\\\tno\\\\r  ' >&2; exit 300\", \"shell\": true}", FAM_V4, res),
	    -1);
	assert_string_equal(res[FAM_V4].why, "cmd: exit status 44: no");
	probe_result_free(&res[FAM_V4]);

	assert_int_equal(run1("{\"command\": \"echo 10.0.0.1\", \"shell\": "
	    "true}", FAM_V4, res), -1);
	assert_string_equal(res[FAM_V4].why, "cmd: 10.0.0.1 is in private: a "
	    "private (RFC 1918) address is reachable only inside its own "
	    "network");
	probe_result_free(&res[FAM_V4]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
