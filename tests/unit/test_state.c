/*
 * state.c: round trip of every field, missing and corrupt files (one
 * warning, never a crash), atomic save (missing directory, unwritable
 * directory, full disk: the old file survives, no temporary is left),
 * file modes, and the lock between two processes.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/mount.h>
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"

static char	 tdir[64];	/* fresh directory for each test */

/* Make tdir; 0 (cmocka setup). */
static int
setup(void **arg)
{
	(void)arg;
	snprintf(tdir, sizeof(tdir), "/tmp/test_state.XXXXXX");
	if (mkdtemp(tdir) == NULL)
		return -1;
	return 0;
}

/* Remove tdir and everything in it; 0 (cmocka teardown). */
static int
teardown(void **arg)
{
	char	 cmd[512];

	(void)arg;
	snprintf(cmd, sizeof(cmd), "umount %s/mnt 2>/dev/null; "
	    "chmod -R u+rwx %s; rm -rf %s", tdir, tdir, tdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* tdir/rel in a static buffer, one of 32 used in turn: plenty for the
 * names one test keeps at once. */
static const char *
tpath(const char *rel)
{
	static char	 buf[32][256];
	static int	 i;

	i = (i + 1) % 32;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", tdir, rel);
	return buf[i];
}

/* Write len bytes of data to path, replacing it. */
static void
put_file(const char *path, const char *data, size_t len)
{
	FILE	*f;

	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* The contents of path, malloc'd and NUL-terminated, or NULL if it
 * cannot be read; *lenp gets the length. Caller frees. */
static char *
get_file(const char *path, size_t *lenp)
{
	FILE	*f;
	char	*buf;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (lenp != NULL)
		*lenp = (size_t)n;
	return buf;
}

/* Number of names in dir other than . and .. */
static int
count_dir(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* Permission bits of path, or -1. */
static int
mode_of(const char *path)
{
	struct stat	 sb;

	if (stat(path, &sb) == -1)
		return -1;
	return (int)(sb.st_mode & 07777);
}

/* Capture what the code under test writes on stderr. */
struct capture {
	FILE	*f;
	int	 saved;
};

static void
cap_start(struct capture *c)
{
	fflush(stderr);
	assert_non_null(c->f = tmpfile());
	assert_true((c->saved = dup(2)) != -1);
	assert_true(dup2(fileno(c->f), 2) != -1);
}

/* What was captured, malloc'd; caller frees. */
static char *
cap_end(struct capture *c)
{
	char	*buf;
	long	 n;

	fflush(stderr);
	dup2(c->saved, 2);
	close(c->saved);
	fseek(c->f, 0, SEEK_END);
	n = ftell(c->f);
	rewind(c->f);
	assert_non_null(buf = malloc((size_t)n + 1));
	assert_int_equal(fread(buf, 1, (size_t)n, c->f), (size_t)n);
	buf[n] = '\0';
	fclose(c->f);
	return buf;
}

/* Number of lines in s. */
static int
nlines(const char *s)
{
	int	 n = 0;

	for (; *s != '\0'; s++)
		if (*s == '\n')
			n++;
	return n;
}

/* Milliseconds on a monotonic clock. */
static long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Status of the child pid: its exit code, or 100 + signal. */
static int
reap(pid_t pid)
{
	int	 status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 100 + WTERMSIG(status);
}

static void
str_eq(const char *want, const char *got, const char *what)
{
	if (want == NULL && got == NULL)
		return;
	if (want == NULL || got == NULL || strcmp(want, got) != 0)
		fail_msg("%s: want \"%s\", got \"%s\"", what,
		    want ? want : "(null)", got ? got : "(null)");
}

/* ---- round trip ------------------------------------------------------- */

static const struct state_entry rt[] = {
	{ "cloudflare", "", "home.example.com", "A", "203.0.113.7",
	  1790000000, "z/abc", 1790000100, OUT_UPDATED, NULL, 0, 0,
	  "0123abcd01234567" },
	/* Past 2038, quotes, newline and UTF-8 in the message. */
	{ "duckdns", "example.org", "h.example.org", "AAAA", "2001:db8::1",
	  0, NULL, 4102444800LL, OUT_AUTH, "HTTP 403: \"bad\" token\n\xc3\xbc",
	  4102444900LL, 1, "ffffffffffffffff" },
	/* Nothing but the key: every optional field empty. */
	{ "dyndns2", "", "a.example.net", "A", NULL, 0, NULL, 0, -1, NULL,
	  0, 0, NULL },
	{ "cloudflare", "", "home.example.com", "AAAA", "2001:db8::7",
	  1, "z/def", 2, OUT_CURRENT, "", 3, 0, "" },
	{ "cloudflare", "", "x.example.com", "A", "192.0.2.1", 5, NULL, 6,
	  OUT_TEMPFAIL, "429", 7, 0, "h" },
	{ "route53", "Z123", "y.example.com", "A", NULL, 0, NULL, 8,
	  OUT_PROTOCOL, "?", 0, 0, "h" },
	{ "route53", "Z123", "z.example.com", "A", NULL, 0, NULL, 9,
	  OUT_CONFIG, "no such zone", 0, 1, "h" },
};

/* Fill e from the template t (key fields already set by state_get). */
static void
fill(struct state_entry *e, const struct state_entry *t)
{
	assert_int_equal(state_set(&e->address, t->address), 0);
	assert_int_equal(state_set(&e->record_id, t->record_id), 0);
	assert_int_equal(state_set(&e->message, t->message), 0);
	assert_int_equal(state_set(&e->hash, t->hash), 0);
	e->confirmed = t->confirmed;
	e->attempt = t->attempt;
	e->outcome = t->outcome;
	e->backoff = t->backoff;
	e->hold = t->hold;
}

static void
same_entry(const struct state_entry *want, const struct state_entry *got)
{
	str_eq(want->provider, got->provider, "provider");
	str_eq(want->zone, got->zone, "zone");
	str_eq(want->name, got->name, "name");
	str_eq(want->type, got->type, "type");
	str_eq(want->address, got->address, "address");
	str_eq(want->record_id, got->record_id, "record_id");
	str_eq(want->message, got->message, "message");
	str_eq(want->hash, got->hash, "hash");
	assert_true(want->confirmed == got->confirmed);
	assert_true(want->attempt == got->attempt);
	assert_true(want->backoff == got->backoff);
	assert_int_equal(want->outcome, got->outcome);
	assert_int_equal(want->hold, got->hold);
}

static void
test_roundtrip(void **arg)
{
	struct state		 st, st2;
	struct state_entry	*e;
	const char		*path = tpath("state.json");
	char			*a, *b;
	size_t			 i, n = sizeof(rt) / sizeof(rt[0]);

	(void)arg;
	assert_int_equal(state_load(&st, path), 0);
	assert_int_equal(st.nents, 0);
	/* Insert backwards so the save has to sort. */
	for (i = n; i-- > 0; ) {
		e = state_get(&st, rt[i].provider, rt[i].zone, rt[i].name,
		    rt[i].type);
		assert_non_null(e);
		fill(e, &rt[i]);
	}
	assert_int_equal(st.nents, n);
	assert_int_equal(state_save(&st), 0);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(count_dir(tdir), 1);

	assert_int_equal(state_load(&st2, path), 0);
	assert_int_equal(st2.nents, n);
	for (i = 0; i < n; i++) {
		e = state_get(&st2, rt[i].provider, rt[i].zone, rt[i].name,
		    rt[i].type);
		assert_non_null(e);
		same_entry(&rt[i], e);
	}
	assert_int_equal(st2.nents, n);	/* found, none created */
	for (i = 1; i < n; i++) {	/* sorted by key */
		const struct state_entry *p = &st2.ents[i - 1],
		    *q = &st2.ents[i];
		int c = strcmp(p->provider, q->provider);

		if (c == 0)
			c = strcmp(p->zone, q->zone);
		if (c == 0)
			c = strcmp(p->name, q->name);
		if (c == 0)
			c = strcmp(p->type, q->type);
		assert_true(c < 0);
	}

	/* Saving what was loaded gives the same bytes: stable diffs. */
	assert_non_null(a = get_file(path, NULL));
	assert_int_equal(state_save(&st2), 0);
	assert_non_null(b = get_file(path, NULL));
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "\"version\": 1"));
	assert_non_null(strstr(a, "\"backoff_until\": 4102444900"));
	assert_non_null(strstr(a, "\"outcome\": \"auth\""));
	assert_true(a[strlen(a) - 1] == '\n');
	free(a);
	free(b);
	state_free(&st);
	state_free(&st2);
}

/* ---- state_get / state_set / state_free -------------------------------- */

static void
test_get_set(void **arg)
{
	struct state		 st, zero;
	struct state_entry	*e, *f;
	static const char *const names[] = { "m", "c", "x", "a", "q", "b" };
	size_t			 i;

	(void)arg;
	assert_int_equal(state_load(&st, tpath("none.json")), 0);
	e = state_get(&st, "p", NULL, "n", "A");
	assert_non_null(e);
	assert_string_equal(e->zone, "");
	assert_null(e->address);
	assert_null(e->hash);
	assert_int_equal(e->outcome, -1);
	assert_int_equal(e->hold, 0);
	assert_true(e->confirmed == 0 && e->attempt == 0 && e->backoff == 0);
	f = state_get(&st, "p", "", "n", "A");
	assert_ptr_equal(e, f);		/* NULL zone is "" */
	assert_int_equal(st.nents, 1);
	assert_ptr_not_equal(state_get(&st, "p", "", "n", "AAAA"), NULL);
	assert_int_equal(st.nents, 2);

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_non_null(state_get(&st, "p", "", names[i], "A"));
	for (i = 1; i < st.nents; i++)
		assert_true(strcmp(st.ents[i - 1].name, st.ents[i].name) <= 0);

	e = state_get(&st, "p", "", "n", "A");
	assert_int_equal(state_set(&e->message, "hello"), 0);
	assert_string_equal(e->message, "hello");
	assert_int_equal(state_set(&e->message, e->message), 0); /* alias */
	assert_string_equal(e->message, "hello");
	assert_int_equal(state_set(&e->message, NULL), 0);
	assert_null(e->message);
	assert_int_equal(state_set(&e->message, NULL), 0);

	state_free(&st);
	assert_null(st.path);
	assert_null(st.ents);
	assert_int_equal(st.lockfd, -1);
	state_free(&st);		/* twice is fine */
	memset(&zero, 0, sizeof(zero));	/* as the driver does */
	state_free(&zero);		/* must not close stdin */
	assert_true(fcntl(0, F_GETFD) != -1 || errno != EBADF);
	state_free(NULL);
}

/* ---- missing and corrupt files ----------------------------------------- */

#define GOOD(n)	"{\"provider\":\"cf\",\"zone\":\"\",\"name\":\"" n "\"," \
		"\"type\":\"A\",\"address\":\"192.0.2.1\"}"
#define DOC(r)	"{\"version\":1,\"records\":[" r "]}"

static const struct corrupt {
	const char	*name;
	const char	*text;
	size_t		 len;		/* 0: strlen */
	size_t		 nents;
	const char	*want;		/* in the one warning; NULL: none */
} corrupt[] = {
	{ "empty", "", 0, 0, "is corrupt (empty)" },
	{ "blank", " \n\n", 0, 0, "is corrupt (line" },
	{ "truncated", "{\"version\":1,\"records\":[{\"provider\":\"cf\",",
	  0, 0, "is corrupt (line 1" },
	{ "line 3", "{\n \"version\": 1,\n \"records\": [,]\n}", 0, 0,
	  "is corrupt (line 3" },
	{ "not json", "hello", 0, 0, "is corrupt (line 1" },
	{ "binary", "\x7f" "ELF\0\1\2", 7, 0, "is corrupt" },
	{ "nul inside", DOC(GOOD("a")) "\0junk", sizeof(DOC(GOOD("a"))) + 4,
	  0, "is corrupt" },
	{ "array", "[]", 0, 0, "is corrupt (not a JSON object)" },
	{ "string", "\"state\"", 0, 0, "is corrupt" },
	{ "no version", "{\"records\":[]}", 0, 0, "(no \"version\")" },
	{ "version string", "{\"version\":\"1\",\"records\":[]}", 0, 0,
	  "(\"version\" is not an integer)" },
	{ "version real", "{\"version\":1.0,\"records\":[]}", 0, 0,
	  "(\"version\" is not an integer)" },
	{ "version 2", "{\"version\":2,\"records\":[" GOOD("a") "]}", 0, 0,
	  "has unknown version 2 (this ddnsup reads version 1)" },
	{ "version 0", "{\"version\":0,\"records\":[]}", 0, 0,
	  "unknown version 0" },
	{ "no records", "{\"version\":1}", 0, 0, "(no \"records\")" },
	{ "records object", "{\"version\":1,\"records\":{}}", 0, 0,
	  "(\"records\" is not an array)" },
	{ "empty records", DOC(""), 0, 0, NULL },
	{ "good", DOC(GOOD("a") "," GOOD("b")), 0, 2, NULL },
	{ "trailing newline and unknown keys",
	  "{\"version\":1,\"future\":{},\"records\":[{\"provider\":\"cf\","
	  "\"zone\":\"\",\"name\":\"a\",\"type\":\"A\",\"ttl\":300}]}\n", 0, 1,
	  NULL },
	{ "nulls everywhere", DOC("{\"provider\":\"cf\",\"zone\":\"\","
	  "\"name\":\"a\",\"type\":\"A\",\"address\":null,\"confirmed\":null,"
	  "\"record_id\":null,\"attempt\":null,\"outcome\":null,"
	  "\"message\":null,\"backoff_until\":null,\"hold\":null,"
	  "\"config_hash\":null}"), 0, 1, NULL },
	{ "bad among good", DOC(GOOD("a") ",{\"provider\":\"cf\",\"zone\":\"\","
	  "\"name\":\"b\",\"type\":\"A\",\"confirmed\":\"yesterday\"},"
	  GOOD("c")), 0, 2,
	  ": ignored 1 of 3 entries (entry 2: \"confirmed\" is not an integer)"
	  "; those records may be pushed again" },
	{ "entry not object", DOC(GOOD("a") ",\"b\""), 0, 1,
	  "ignored 1 of 2 entries (entry 2: not a JSON object)" },
	{ "name number", DOC(GOOD("a") ",{\"provider\":\"cf\",\"zone\":\"\","
	  "\"name\":7,\"type\":\"A\"}"), 0, 1, "(entry 2: \"name\" is not a "
	  "string)" },
	{ "name empty", DOC("{\"provider\":\"cf\",\"zone\":\"\",\"name\":\"\","
	  "\"type\":\"A\"}," GOOD("a")), 0, 1, "(entry 1: \"name\" is empty)" },
	{ "no zone", DOC(GOOD("a") ",{\"provider\":\"cf\",\"name\":\"b\","
	  "\"type\":\"A\"}"), 0, 1, "(entry 2: no \"zone\")" },
	{ "no provider", DOC(GOOD("a") ",{\"zone\":\"\",\"name\":\"b\","
	  "\"type\":\"A\"}"), 0, 1, "(entry 2: no \"provider\")" },
	{ "hold string", DOC(GOOD("a") ",{\"provider\":\"cf\",\"zone\":\"\","
	  "\"name\":\"b\",\"type\":\"A\",\"hold\":\"yes\"}"), 0, 1,
	  "(entry 2: \"hold\" is not true or false)" },
	{ "hold number", DOC(GOOD("a") ",{\"provider\":\"cf\",\"zone\":\"\","
	  "\"name\":\"b\",\"type\":\"A\",\"hold\":1}"), 0, 1,
	  "\"hold\" is not true or false" },
	{ "outcome unknown", DOC(GOOD("a") ",{\"provider\":\"cf\",\"zone\":"
	  "\"\",\"name\":\"b\",\"type\":\"A\",\"outcome\":\"weird\"}"), 0, 1,
	  "(entry 2: unknown \"outcome\" \"weird\")" },
	{ "outcome number", DOC(GOOD("a") ",{\"provider\":\"cf\",\"zone\":"
	  "\"\",\"name\":\"b\",\"type\":\"A\",\"outcome\":3}"), 0, 1,
	  "\"outcome\" is not a string" },
	{ "negative time", DOC(GOOD("a") ",{\"provider\":\"cf\",\"zone\":\"\","
	  "\"name\":\"b\",\"type\":\"A\",\"attempt\":-5}"), 0, 1,
	  "\"attempt\" is out of range" },
	{ "real time", DOC(GOOD("a") ",{\"provider\":\"cf\",\"zone\":\"\","
	  "\"name\":\"b\",\"type\":\"A\",\"backoff_until\":1.5}"), 0, 1,
	  "\"backoff_until\" is not an integer" },
	{ "address number", DOC(GOOD("a") ",{\"provider\":\"cf\",\"zone\":"
	  "\"\",\"name\":\"b\",\"type\":\"A\",\"address\":5}"), 0, 1,
	  "\"address\" is not a string" },
	{ "hash object", DOC(GOOD("a") ",{\"provider\":\"cf\",\"zone\":\"\","
	  "\"name\":\"b\",\"type\":\"A\",\"config_hash\":{}}"), 0, 1,
	  "\"config_hash\" is not a string" },
	{ "duplicate", DOC(GOOD("a") "," GOOD("b") ",{\"provider\":\"cf\","
	  "\"zone\":\"\",\"name\":\"a\",\"type\":\"A\",\"address\":"
	  "\"198.51.100.9\"}"), 0, 2,
	  "ignored 1 of 3 entries (entry 3: same record as an earlier entry)" },
	{ "two bad", DOC("7," GOOD("a") ",8"), 0, 1,
	  "ignored 2 of 3 entries (entry 1: not a JSON object)" },
	{ "all bad", DOC("7,8"), 0, 0, "ignored 2 of 2 entries" },
};

static void
test_corrupt(void **arg)
{
	const struct corrupt	*c;
	struct capture		 cap;
	struct state		 st;
	struct state_entry	*e;
	const char		*path = tpath("state.json");
	char			*out;
	size_t			 i;
	int			 rc;

	(void)arg;
	for (i = 0; i < sizeof(corrupt) / sizeof(corrupt[0]); i++) {
		c = &corrupt[i];
		put_file(path, c->text, c->len ? c->len : strlen(c->text));
		cap_start(&cap);
		rc = state_load(&st, path);
		out = cap_end(&cap);
		if (rc != 0)
			fail_msg("%s: state_load returned %d", c->name, rc);
		if (st.nents != c->nents)
			fail_msg("%s: %lu entries, want %lu", c->name,
			    (unsigned long)st.nents, (unsigned long)c->nents);
		if (c->want == NULL && *out != '\0')
			fail_msg("%s: unexpected warning: %s", c->name, out);
		if (c->want != NULL && (nlines(out) != 1 ||
		    strstr(out, c->want) == NULL || strstr(out, path) == NULL))
			fail_msg("%s: want one warning naming the file with "
			    "\"%s\", got: %s", c->name, c->want, out);
		if (c->want != NULL && strstr(out, "is corrupt") != NULL &&
		    strstr(out, "starting afresh: records may be pushed "
		    "again") == NULL)
			fail_msg("%s: no consequence in: %s", c->name, out);
		/* A duplicate keeps the first; good entries stay usable. */
		if (st.nents > 0) {
			e = state_get(&st, "cf", "", "a", "A");
			if (strcmp(c->name, "all bad") != 0 &&
			    strcmp(c->name, "trailing newline and unknown "
			    "keys") != 0 && strcmp(c->name, "nulls "
			    "everywhere") != 0)
				str_eq("192.0.2.1", e->address, c->name);
		}
		free(out);
		state_free(&st);
	}
}

static void
test_missing(void **arg)
{
	struct capture	 cap;
	struct state	 st;
	char		*out;

	(void)arg;
	cap_start(&cap);
	assert_int_equal(state_load(&st, tpath("state.json")), 0);
	state_free(&st);
	assert_int_equal(state_load(&st, tpath("no/such/dir/state.json")), 0);
	out = cap_end(&cap);
	assert_string_equal(out, "");	/* a first run says nothing */
	assert_int_equal(st.nents, 0);
	assert_string_equal(st.path, tpath("no/such/dir/state.json"));
	assert_int_equal(st.lockfd, -1);
	free(out);
	state_free(&st);
	assert_int_equal(count_dir(tdir), 0);	/* loading creates nothing */
}

/* Load path expecting an empty state and one warning containing want. */
static void
load_warns(const char *path, const char *want)
{
	struct capture	 cap;
	struct state	 st;
	char		*out;
	long		 t0 = now_ms();

	cap_start(&cap);
	assert_int_equal(state_load(&st, path), 0);
	out = cap_end(&cap);
	assert_true(now_ms() - t0 < 2000);
	assert_int_equal(st.nents, 0);
	if (nlines(out) != 1 || strstr(out, want) == NULL ||
	    strstr(out, path) == NULL)
		fail_msg("want one warning with \"%s\", got: %s", want, out);
	free(out);
	state_free(&st);
}

/* state_load that is expected to warn; the warning is not the point. */
static void
load_quiet(struct state *st, const char *path)
{
	struct capture	 cap;

	cap_start(&cap);
	assert_int_equal(state_load(st, path), 0);
	free(cap_end(&cap));
}

static void
test_huge(void **arg)
{
	const char	*path = tpath("state.json");
	const char	*doc = DOC(GOOD("a"));
	char		*big;
	size_t		 max = 4 * 1024 * 1024;
	int		 fd;
	struct state	 st;
	struct capture	 cap;
	char		*out;

	(void)arg;
	/* A valid document padded to just over the limit is refused... */
	assert_non_null(big = malloc(max + 1));
	memset(big, ' ', max + 1);
	memcpy(big, doc, strlen(doc));
	put_file(path, big, max + 1);
	load_warns(path, "is corrupt (larger than 4 MiB)");

	/* ...and at exactly the limit is read. */
	put_file(path, big, max);
	cap_start(&cap);
	assert_int_equal(state_load(&st, path), 0);
	out = cap_end(&cap);
	assert_string_equal(out, "");
	assert_int_equal(st.nents, 1);
	state_free(&st);
	free(out);
	free(big);

	/* A sparse 1 GiB file is refused without reading it. */
	assert_true((fd = open(path, O_WRONLY | O_TRUNC)) != -1);
	assert_int_equal(ftruncate(fd, 1L << 30), 0);
	close(fd);
	load_warns(path, "larger than 4 MiB");
}

static void
test_not_regular(void **arg)
{
	(void)arg;
	assert_int_equal(mkdir(tpath("dir.json"), 0700), 0);
	load_warns(tpath("dir.json"), "could not be read (not a regular "
	    "file)");
	/* A FIFO must not hang the run waiting for a writer. */
	assert_int_equal(mkfifo(tpath("fifo.json"), 0600), 0);
	load_warns(tpath("fifo.json"), "not a regular file");
	/* A path through a file. */
	put_file(tpath("file"), "x", 1);
	load_warns(tpath("file/state.json"), "could not be read (Not a "
	    "directory)");
}

static void
test_unreadable(void **arg)
{
	const char	*path = tpath("state.json");
	pid_t		 pid;

	(void)arg;
	put_file(path, DOC(GOOD("a")), strlen(DOC(GOOD("a"))));
	assert_int_equal(chmod(path, 0600), 0);
	if (geteuid() != 0) {
		assert_int_equal(chmod(path, 0), 0);
		load_warns(path, "could not be read (Permission denied)");
		return;
	}
	/* Root reads anything: be nobody in a child. */
	assert_true((pid = fork()) != -1);
	if (pid == 0) {
		if (setgid(65534) == -1 || setuid(65534) == -1)
			_exit(2);
		load_warns(path, "could not be read (Permission denied)");
		_exit(0);
	}
	assert_int_equal(reap(pid), 0);
}

/* ---- saving ----------------------------------------------------------- */

/* A state at path with one entry whose address is addr; saved. */
static void
save_one(const char *path, const char *addr)
{
	struct state		 st;
	struct state_entry	*e;

	assert_int_equal(state_load(&st, path), 0);
	assert_non_null(e = state_get(&st, "cf", "", "a", "A"));
	assert_int_equal(state_set(&e->address, addr), 0);
	e->outcome = OUT_UPDATED;
	assert_int_equal(state_save(&st), 0);
	state_free(&st);
}

/* The address of the one entry at path, malloc'd; caller frees. */
static char *
load_addr(const char *path)
{
	struct state	 st;
	char		*a;

	assert_int_equal(state_load(&st, path), 0);
	assert_int_equal(st.nents, 1);
	assert_non_null(a = strdup(st.ents[0].address));
	state_free(&st);
	return a;
}

static void
test_save_missing_dir(void **arg)
{
	const char	*path = tpath("a/b/c/state.json");
	char		*a;
	mode_t		 old = umask(022);

	(void)arg;
	save_one(path, "192.0.2.1");
	assert_int_equal(mode_of(tpath("a")), 0700);
	assert_int_equal(mode_of(tpath("a/b")), 0700);
	assert_int_equal(mode_of(tpath("a/b/c")), 0700);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(count_dir(tpath("a/b/c")), 1);
	a = load_addr(path);
	assert_string_equal(a, "192.0.2.1");
	free(a);
	/* A relative name, in the current directory. */
	assert_int_equal(chdir(tdir), 0);
	save_one("rel.json", "192.0.2.2");
	assert_int_equal(chdir("/"), 0);
	assert_int_equal(mode_of(tpath("rel.json")), 0600);
	umask(old);
}

/* Save st expecting failure with a message containing want and path. */
static void
save_fails(const struct state *st, const char *want)
{
	struct capture	 cap;
	char		*out;
	int		 rc;

	cap_start(&cap);
	rc = state_save(st);
	out = cap_end(&cap);
	if (rc != -1 || nlines(out) != 1 || strstr(out, want) == NULL ||
	    strstr(out, st->path) == NULL)
		fail_msg("save: rc %d, want one message with \"%s\", got: %s",
		    rc, want, out);
	free(out);
}

static void
test_save_under_file(void **arg)
{
	struct state	 st;

	(void)arg;
	put_file(tpath("file"), "x", 1);
	load_quiet(&st, tpath("file/state.json"));
	assert_non_null(state_get(&st, "cf", "", "a", "A"));
	save_fails(&st, "Not a directory");
	state_free(&st);
	/* Deeper: the missing directories cannot be made either. */
	load_quiet(&st, tpath("file/x/y/state.json"));
	assert_non_null(state_get(&st, "cf", "", "a", "A"));
	save_fails(&st, "Not a directory");
	state_free(&st);
	assert_int_equal(count_dir(tdir), 1);
}

static void
test_save_unwritable_dir(void **arg)
{
	const char		*dir = tpath("d");
	const char		*path = tpath("d/state.json");
	char			*before, *after;
	struct state		 st;
	struct state_entry	*e;
	pid_t			 pid;

	(void)arg;
	assert_int_equal(mkdir(dir, 0700), 0);
	save_one(path, "192.0.2.1");
	assert_non_null(before = get_file(path, NULL));
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(chmod(dir, 0555), 0);
	assert_int_equal(chmod(tdir, 0755), 0);

	assert_true((pid = fork()) != -1);
	if (pid == 0) {
		/* Root writes anywhere: be nobody. */
		if (geteuid() == 0 && (setgid(65534) == -1 ||
		    setuid(65534) == -1))
			_exit(2);
		if (state_load(&st, path) != 0 || st.nents != 1)
			_exit(3);
		e = state_get(&st, "cf", "", "a", "A");
		state_set(&e->address, "198.51.100.1");
		save_fails(&st, "cannot create a file in");
		save_fails(&st, "Permission denied");
		state_free(&st);
		/* A missing directory that cannot be made. */
		if (state_load(&st, tpath("d/new/state.json")) != 0)
			_exit(4);
		if (state_get(&st, "cf", "", "a", "A") == NULL)
			_exit(5);
		save_fails(&st, "cannot create directory");
		state_free(&st);
		_exit(0);
	}
	assert_int_equal(reap(pid), 0);
	assert_int_equal(chmod(dir, 0700), 0);
	assert_non_null(after = get_file(path, NULL));
	assert_string_equal(before, after);
	assert_int_equal(count_dir(dir), 1);
	free(before);
	free(after);
}

static void
test_save_rename_fails(void **arg)
{
	struct state	 st;

	(void)arg;
	/* The target is a non-empty directory: rename(2) must fail, and
	 * the temporary must not be left behind. */
	assert_int_equal(mkdir(tpath("state.json"), 0700), 0);
	put_file(tpath("state.json/keep"), "k", 1);
	load_quiet(&st, tpath("state.json"));
	assert_non_null(state_get(&st, "cf", "", "a", "A"));
	save_fails(&st, "replacing it with");
	state_free(&st);
	assert_int_equal(count_dir(tdir), 1);
	assert_int_equal(count_dir(tpath("state.json")), 1);
}

static void
test_save_mode(void **arg)
{
	const char	*path = tpath("state.json");
	mode_t		 old = umask(0);

	(void)arg;
	save_one(path, "192.0.2.1");
	assert_int_equal(mode_of(path), 0600);
	/* An old file opened up by hand is replaced by a private one. */
	assert_int_equal(chmod(path, 0666), 0);
	save_one(path, "192.0.2.2");
	assert_int_equal(mode_of(path), 0600);
	umask(old);
}

static void
test_no_path(void **arg)
{
	struct state	 st;
	struct capture	 cap;
	char		*out;

	(void)arg;
	memset(&st, 0, sizeof(st));
	st.lockfd = -1;
	cap_start(&cap);
	assert_int_equal(state_save(&st), -1);
	assert_int_equal(state_lock(&st, 0), -1);
	out = cap_end(&cap);
	assert_int_equal(nlines(out), 2);
	free(out);
}

static void
test_full_disk(void **arg)
{
#ifdef __linux__
	const char		*mnt = tpath("mnt");
	const char		*path = tpath("mnt/state.json");
	struct state		 st;
	struct state_entry	*e;
	char			 name[32], msg[512], *before, *after, *a;
	int			 i;

	(void)arg;
	assert_int_equal(mkdir(mnt, 0700), 0);
	if (mount("tmpfs", mnt, "tmpfs", 0, "size=16k") == -1) {
		print_message("SKIPPED: full-disk test: cannot mount a 16k "
		    "tmpfs on %s: %s (needs root)\n", mnt, strerror(errno));
		skip();
	}
	save_one(path, "192.0.2.1");
	assert_non_null(before = get_file(path, NULL));

	/* Far more than 16k. */
	assert_int_equal(state_load(&st, path), 0);
	memset(msg, 'x', sizeof(msg) - 1);
	msg[sizeof(msg) - 1] = '\0';
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "h%03d.example.com", i);
		assert_non_null(e = state_get(&st, "cf", "", name, "A"));
		assert_int_equal(state_set(&e->message, msg), 0);
	}
	save_fails(&st, "No space left on device");
	state_free(&st);

	assert_non_null(after = get_file(path, NULL));
	assert_string_equal(before, after);
	a = load_addr(path);
	assert_string_equal(a, "192.0.2.1");
	assert_int_equal(count_dir(mnt), 1);	/* no temporary left */
	free(a);
	free(before);
	free(after);
	assert_int_equal(umount(mnt), 0);
#else
	(void)arg;
	print_message("SKIPPED: full-disk test needs Linux tmpfs\n");
	skip();
#endif
}

/* ---- locking ---------------------------------------------------------- */

/* In a child: lock path waiting wait_ms; exit 0 if the result is want
 * and took between lo and hi ms, else 1 + what it got. */
static pid_t
child_lock(const char *path, long wait_ms, int want, long lo, long hi)
{
	struct state	 st;
	pid_t		 pid;
	long		 t0, dt;
	int		 rc;

	assert_true((pid = fork()) != -1);
	if (pid != 0)
		return pid;
	if (state_load(&st, path) != 0)
		_exit(9);
	t0 = now_ms();
	rc = state_lock(&st, wait_ms);
	dt = now_ms() - t0;
	if (rc != want || dt < lo || dt > hi) {
		fprintf(stderr, "child: state_lock %d after %ld ms; want %d "
		    "in %ld..%ld\n", rc, dt, want, lo, hi);
		_exit(10 + rc);
	}
	_exit(0);
}

static void
test_lock(void **arg)
{
	const char	*path = tpath("sub/state.json");
	const char	*lock = tpath("sub/state.json.lock");
	struct state	 st;
	pid_t		 pid;
	struct stat	 sb;

	(void)arg;
	assert_int_equal(state_load(&st, path), 0);
	/* The directory is made for the lock file too. */
	assert_int_equal(state_lock(&st, 0), 0);
	assert_true(st.lockfd > 2);
	assert_int_equal(mode_of(lock), 0600);
	assert_int_equal(mode_of(tpath("sub")), 0700);
	assert_int_equal(state_lock(&st, 0), 0);	/* already ours */

	/* Held: another process gets 1 after about wait_ms. */
	assert_int_equal(reap(child_lock(path, 300, 1, 250, 3000)), 0);
	assert_int_equal(reap(child_lock(path, 0, 1, 0, 1000)), 0);

	/* Released by state_free: the next run gets it at once. */
	state_free(&st);
	assert_int_equal(reap(child_lock(path, 0, 0, 0, 1000)), 0);

	/* A waiting run gets it when the holder lets go. */
	assert_int_equal(state_load(&st, path), 0);
	assert_int_equal(state_lock(&st, 0), 0);
	pid = child_lock(path, 5000, 0, 100, 4000);
	usleep(300 * 1000);
	state_free(&st);
	assert_int_equal(reap(pid), 0);

	/* A killed holder leaves no stale lock, and the file stays. */
	assert_true((pid = fork()) != -1);
	if (pid == 0) {
		if (state_load(&st, path) != 0 || state_lock(&st, 0) != 0)
			_exit(1);
		raise(SIGKILL);
		_exit(2);
	}
	assert_int_equal(reap(pid), 100 + SIGKILL);
	assert_int_equal(stat(lock, &sb), 0);
	assert_int_equal(state_load(&st, path), 0);
	assert_int_equal(state_lock(&st, 0), 0);
	/* Saving under the lock leaves the lock file alone. */
	assert_non_null(state_get(&st, "cf", "", "a", "A"));
	assert_int_equal(state_save(&st), 0);
	assert_int_equal(reap(child_lock(path, 100, 1, 50, 3000)), 0);
	state_free(&st);
	assert_int_equal(stat(lock, &sb), 0);
	assert_int_equal(count_dir(tpath("sub")), 2);
}

static void
test_lock_low_fds(void **arg)
{
	struct state	 st;
	int		 saved;

	(void)arg;
	/* Started with stdin closed, the lock must still not take fd 0. */
	assert_true((saved = dup(0)) != -1);
	close(0);
	assert_int_equal(state_load(&st, tpath("state.json")), 0);
	assert_int_equal(state_lock(&st, 0), 0);
	assert_true(st.lockfd > 2);
	assert_int_equal(fcntl(0, F_GETFD), -1);	/* 0 still free */
	state_free(&st);
	assert_int_equal(dup2(saved, 0), 0);
	close(saved);
}

static void
test_lock_error(void **arg)
{
	struct state	 st;
	struct capture	 cap;
	char		*out;

	(void)arg;
	put_file(tpath("file"), "x", 1);
	load_quiet(&st, tpath("file/state.json"));
	cap_start(&cap);
	assert_int_equal(state_lock(&st, 100), -1);
	out = cap_end(&cap);
	assert_int_equal(nlines(out), 1);
	assert_non_null(strstr(out, "file/state.json.lock"));
	assert_non_null(strstr(out, "Not a directory"));
	assert_int_equal(st.lockfd, -1);
	free(out);
	state_free(&st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_get_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_huge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_regular, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unreadable, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_save_missing_dir, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_save_under_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_save_unwritable_dir,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_rename_fails, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_save_mode, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_no_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_disk, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_low_fds, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lock_error, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
