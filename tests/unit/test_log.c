/*
 * log.c: secrets never print, in any form we know; levels; xasprintf.
 * Secrets registered by one test stay registered for the next, so each
 * test uses its own.
 */
#include <unistd.h>

#include "unit.h"

/* Send stderr to a temporary file until capture_end. */
static void
capture_begin(int *saved, FILE **f)
{
	fflush(stderr);
	*f = tmpfile();
	assert_non_null(*f);
	*saved = dup(2);
	assert_true(*saved >= 0);
	/* Not == 2: Windows' dup2 returns 0 on success. */
	assert_true(dup2(fileno(*f), 2) != -1);
}

/* Restore stderr; what was written meanwhile, malloc'd. */
static char *
capture_end(int saved, FILE *f)
{
	char	*buf;
	long	 n;

	fflush(stderr);
	assert_true(dup2(saved, 2) != -1);
	close(saved);
	n = ftell(f);
	assert_true(n >= 0);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	rewind(f);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

/* Redact s and compare with want. */
static void
check_redact(const char *s, const char *want)
{
	char	*got;

	got = log_redact(s);
	assert_non_null(got);
	if (strcmp(got, want) != 0)
		fail_msg("redact \"%s\": got \"%s\", want \"%s\"", s, got,
		    want);
	free(got);
}

static void
test_none(void **state)
{
	(void)state;
	check_redact("", "");
	check_redact("nothing secret here", "nothing secret here");
	assert_null(log_redact(NULL));
	log_secret(NULL);
	log_secret("");
	check_redact("still nothing", "still nothing");
}

static void
test_redact(void **state)
{
	static const struct {
		const char	*in, *want;
	} cases[] = {
		{ "token=s3cr3tT0k", "token=<redacted>" },
		{ "s3cr3tT0k", "<redacted>" },
		{ "s3cr3tT0ks3cr3tT0k", "<redacted>" },
		{ "a s3cr3tT0k b s3cr3tT0k c", "a <redacted> b <redacted> c" },
		{ "s3cr3tT0", "s3cr3tT0" },
		{ "S3CR3TT0K", "S3CR3TT0K" },
		{ "Authorization: Bearer s3cr3tT0k\n",
		  "Authorization: Bearer <redacted>\n" },
	};
	size_t	 i;

	(void)state;
	log_secret("s3cr3tT0k");
	log_secret("s3cr3tT0k");	/* twice is once */
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_redact(cases[i].in, cases[i].want);
}

/* No fragment of either secret survives when they overlap or touch. */
static void
test_overlap(void **state)
{
	(void)state;
	log_secret("abcdefgh");
	log_secret("efghijkl");
	log_secret("cdef");
	check_redact("abcdefghijkl", "<redacted>");
	check_redact("xabcdefghx", "x<redacted>x");
	check_redact("xefghijklx", "x<redacted>x");
	check_redact("abcdefgh efghijkl", "<redacted> <redacted>");
	check_redact("abcdefghefghijkl", "<redacted>");
	check_redact("xcdefx", "x<redacted>x");
	check_redact("abc", "abc");
}

/* Short secrets are redacted too: a PIN is a secret. */
static void
test_short(void **state)
{
	(void)state;
	log_secret("Q7");
	check_redact("pin=Q7;", "pin=<redacted>;");
	check_redact("Q7Q7", "<redacted>");
}

/* A secret in a URL or form body arrives percent-encoded. */
static void
test_pctenc(void **state)
{
	(void)state;
	log_secret("p@ss w/rd+~!");
	check_redact("password=p@ss w/rd+~!", "password=<redacted>");
	check_redact("https://h/u?password=p%40ss%20w%2Frd%2B~%21&x=1",
	    "https://h/u?password=<redacted>&x=1");
	/* Not percent-encoded the same way: nothing to match. */
	check_redact("p%40ss+w%2Frd", "p%40ss+w%2Frd");
}

static void
test_http_pctenc(void **state)
{
	static const struct {
		const char	*in, *want;
	} cases[] = {
		{ "", "" },
		{ "AZaz09-_.~", "AZaz09-_.~" },
		{ " !\"#$%&'()*+,/:;=?@[]", "%20%21%22%23%24%25%26%27%28%29%2A"
		  "%2B%2C%2F%3A%3B%3D%3F%40%5B%5D" },
		{ "\xc3\xa9", "%C3%A9" },
		{ "\x7f\x01", "%7F%01" },
	};
	size_t	 i;
	char	*got;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = http_pctenc(cases[i].in);
		assert_non_null(got);
		assert_string_equal(got, cases[i].want);
		free(got);
	}
}

static void
test_levels(void **state)
{
	FILE	*f;
	char	*out;
	int	 saved;

	(void)state;
	log_secret("hunter2!");
	log_verbose = 0;
	log_quiet = 0;
	capture_begin(&saved, &f);
	log_warnx("%s: HTTP %d: password %s rejected", "example", 401,
	    "hunter2!");
	log_info("info at -v");
	log_debug("debug at -vv");
	out = capture_end(saved, f);
	assert_string_equal(out,
	    "ddnsup: example: HTTP 401: password <redacted> rejected\n");
	free(out);

	log_verbose = 1;
	capture_begin(&saved, &f);
	log_info("info %d", 1);
	log_debug("debug %d", 1);
	out = capture_end(saved, f);
	assert_string_equal(out, "ddnsup: info 1\n");
	free(out);

	log_verbose = 2;
	capture_begin(&saved, &f);
	log_info("info %d", 2);
	log_debug("> Authorization: Basic %s", "hunter2!");
	out = capture_end(saved, f);
	assert_string_equal(out, "ddnsup: info 2\n"
	    "ddnsup: > Authorization: Basic <redacted>\n");
	free(out);

	/* -q silences information, never a warning. */
	log_verbose = 0;
	log_quiet = 1;
	capture_begin(&saved, &f);
	log_info("info");
	log_warnx("warning");
	out = capture_end(saved, f);
	assert_string_equal(out, "ddnsup: warning\n");
	free(out);
	log_quiet = 0;
}

static void
test_xasprintf(void **state)
{
	char	*s, big[5000];

	(void)state;
	s = xasprintf("%s-%d-%c", "a", 42, 'z');
	assert_string_equal(s, "a-42-z");
	free(s);
	s = xasprintf("%s", "");
	assert_string_equal(s, "");
	free(s);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	s = xasprintf("<%s>", big);
	assert_int_equal(strlen(s), sizeof(big) + 1);
	assert_int_equal(s[0], '<');
	assert_int_equal(s[sizeof(big)], '>');
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_short),
		cmocka_unit_test(test_pctenc),
		cmocka_unit_test(test_http_pctenc),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_xasprintf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
