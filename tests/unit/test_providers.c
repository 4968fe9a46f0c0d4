/*
 * The provider table: sorted, unique, lower-case names; each keys table
 * ends, has unique names and sane flags; each provider is documented in
 * man/ddnsup.1 as ".Ss <name>". Also provider_find and the shared
 * HTTP-status-to-outcome rule, and the zone walk (provider_find_zone)
 * against a fake account.
 *
 * Run from the repository root (as `make unit` does): the man page is
 * read as man/ddnsup.1.
 */
#include <ctype.h>

#include "unit.h"
#include "providers/providers.h"

#define MAX_PROVIDERS	256
#define MAX_KEYS	64
#define MAN_PAGE	"man/ddnsup.1"

static size_t
nproviders(void)
{
	size_t	 n;

	for (n = 0; n < MAX_PROVIDERS && providers[n] != NULL; n++)
		;
	return n;
}

static void
test_table_sorted_unique(void **state)
{
	size_t	 i, n = nproviders();

	(void)state;
	assert_true(n > 0);
	assert_true(n < MAX_PROVIDERS);		/* the table ends */
	for (i = 1; i < n; i++) {
		if (strcmp(providers[i - 1]->name, providers[i]->name) >= 0)
			fail_msg("providers[] not sorted or not unique: "
			    "\"%s\" before \"%s\"", providers[i - 1]->name,
			    providers[i]->name);
	}
}

static void
test_names(void **state)
{
	size_t		 i, n = nproviders();
	const char	*s;

	(void)state;
	for (i = 0; i < n; i++) {
		assert_non_null(providers[i]->name);
		assert_non_null(providers[i]->keys);
		assert_non_null(providers[i]->push);
		s = providers[i]->name;
		if (*s == '\0' || !islower((unsigned char)*s))
			fail_msg("provider name \"%s\" must start with a "
			    "lower-case letter", providers[i]->name);
		for (; *s != '\0'; s++)
			if (!islower((unsigned char)*s) &&
			    !isdigit((unsigned char)*s) && *s != '-' &&
			    *s != '_')
				fail_msg("provider name \"%s\" is not lower "
				    "case", providers[i]->name);
	}
}

static void
test_keys(void **state)
{
	const struct provider_key	*k, *k2;
	size_t				 i, nk, n = nproviders();
	const char			*s;
	int				 known = KEY_REQUIRED | KEY_SECRET |
					    KEY_BOOL | KEY_INT;

	(void)state;
	for (i = 0; i < n; i++) {
		const struct provider	*p = providers[i];

		for (nk = 0; nk < MAX_KEYS && p->keys[nk].name != NULL; nk++)
			;
		if (nk == MAX_KEYS)
			fail_msg("%s: keys table not NULL-terminated",
			    p->name);
		for (k = p->keys; k->name != NULL; k++) {
			if (*k->name == '\0')
				fail_msg("%s: empty key name", p->name);
			for (s = k->name; *s != '\0'; s++)
				if (!islower((unsigned char)*s) &&
				    !isdigit((unsigned char)*s) && *s != '_')
					fail_msg("%s: key \"%s\" is not "
					    "lower_case", p->name, k->name);
			if (k->flags & ~known)
				fail_msg("%s: key \"%s\" has unknown flags "
				    "%#x", p->name, k->name, k->flags);
			if ((k->flags & KEY_BOOL) && (k->flags & KEY_INT))
				fail_msg("%s: key \"%s\" is both boolean "
				    "and integer", p->name, k->name);
			/* config.c requires a secret to resolve to a
			 * string: a secret that is also bool/int could
			 * never be given. */
			if ((k->flags & KEY_SECRET) &&
			    (k->flags & (KEY_BOOL | KEY_INT)))
				fail_msg("%s: secret key \"%s\" cannot be "
				    "boolean or integer", p->name, k->name);
			for (k2 = k + 1; k2->name != NULL; k2++)
				if (strcmp(k->name, k2->name) == 0)
					fail_msg("%s: key \"%s\" listed twice",
					    p->name, k->name);
		}
	}
}

/* The whole man page as a NUL-terminated string, or NULL. */
static char *
read_man(void)
{
	FILE	*f;
	char	*buf;
	size_t	 n;

	if ((f = fopen(MAN_PAGE, "r")) == NULL)
		return NULL;
	buf = malloc(1024 * 1024 + 1);
	assert_non_null(buf);
	n = fread(buf, 1, 1024 * 1024, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* True if text has a line that is exactly ".Ss name". */
static int
has_subsection(const char *text, const char *name)
{
	const char	*p = text, *e;
	size_t		 len = strlen(name);

	while (*p != '\0') {
		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		if ((size_t)(e - p) == 4 + len && strncmp(p, ".Ss ", 4) == 0 &&
		    strncmp(p + 4, name, len) == 0)
			return 1;
		p = *e ? e + 1 : e;
	}
	return 0;
}

static void
test_man_page(void **state)
{
	char	*man;
	size_t	 i, n = nproviders();
	int	 missing = 0;

	(void)state;
	if ((man = read_man()) == NULL)
		fail_msg("cannot read %s (run from the repository root)",
		    MAN_PAGE);
	for (i = 0; i < n; i++)
		if (!has_subsection(man, providers[i]->name)) {
			print_error("%s: no \".Ss %s\" subsection\n", MAN_PAGE,
			    providers[i]->name);
			missing++;
		}
	free(man);
	assert_int_equal(missing, 0);
}

static void
test_find(void **state)
{
	size_t	 i, n = nproviders();

	(void)state;
	for (i = 0; i < n; i++)
		assert_ptr_equal(provider_find(providers[i]->name),
		    providers[i]);
	assert_ptr_equal(provider_find("cloudflare"), &provider_cloudflare);
	assert_ptr_equal(provider_find("callback"), &provider_callback);
	assert_ptr_equal(provider_find("duckdns"), &provider_duckdns);
	assert_ptr_equal(provider_find("dyndns2"), &provider_dyndns2);
	assert_null(provider_find(""));
	assert_null(provider_find("nosuch"));
	assert_null(provider_find("Cloudflare"));	/* names are exact */
	assert_null(provider_find("cloudflare "));
	assert_null(provider_find("cloudflar"));
}

static void
test_status_outcome(void **state)
{
	static const struct {
		long		 status;
		enum outcome	 want;
	} t[] = {
		{ 401, OUT_AUTH }, { 403, OUT_AUTH },
		{ 408, OUT_TEMPFAIL }, { 429, OUT_TEMPFAIL },
		{ 500, OUT_TEMPFAIL }, { 502, OUT_TEMPFAIL },
		{ 503, OUT_TEMPFAIL }, { 504, OUT_TEMPFAIL },
		{ 599, OUT_TEMPFAIL },
		{ 400, OUT_CONFIG }, { 404, OUT_CONFIG }, { 409, OUT_CONFIG },
		{ 422, OUT_CONFIG },
		{ 0, OUT_PROTOCOL }, { 200, OUT_PROTOCOL },
		{ 204, OUT_PROTOCOL }, { 302, OUT_PROTOCOL },
		{ 402, OUT_PROTOCOL }, { 405, OUT_PROTOCOL },
		{ 410, OUT_PROTOCOL }, { 418, OUT_PROTOCOL },
	};
	size_t	 i;
	int	 bad = 0;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (provider_status_outcome(t[i].status) != t[i].want) {
			print_error("provider_status_outcome(%ld) = %d, "
			    "want %d\n", t[i].status,
			    provider_status_outcome(t[i].status), t[i].want);
			bad++;
		}
	assert_int_equal(bad, 0);
}

static void
test_base_url(void **state)
{
	static const struct {
		const char	*ep, *want, *why;
	} t[] = {
		{ NULL, "https://api.example/v2", NULL },
		{ "https://h.example/v1/", "https://h.example/v1", NULL },
		{ "HTTP://127.0.0.1:8080///", "HTTP://127.0.0.1:8080", NULL },
		{ "https://", NULL,
		    "endpoint \"https://\" is not an http(s) URL" },
		{ "http:///v1", NULL,
		    "endpoint \"http:///v1\" is not an http(s) URL" },
		{ "ftp://h.example", NULL,
		    "endpoint \"ftp://h.example\" is not an http(s) URL" },
		{ "h.example", NULL,
		    "endpoint \"h.example\" is not an http(s) URL" },
		{ "https://h.example/?a=1", NULL,
		    "endpoint \"https://h.example/?a=1\" is not an http(s) URL" },
		{ "https://h.example/#x", NULL,
		    "endpoint \"https://h.example/#x\" is not an http(s) URL" },
		{ "https://h.example/a b", NULL,
		    "endpoint \"https://h.example/a b\" is not an http(s) URL" },
		{ "https://h.example/\r\nX: y", NULL,
		    "endpoint \"https://h.example/\r\nX: y\" is not an http(s) "
		    "URL" },
	};
	size_t	 i;
	char	*b, *why;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		b = provider_base_url(t[i].ep, "https://api.example/v2/", &why);
		if (t[i].want == NULL) {
			assert_null(b);
			assert_string_equal(why, t[i].why);
		} else {
			assert_string_equal(b, t[i].want);
			assert_null(why);
		}
		free(b);
		free(why);
	}
}

static void
test_relative_and_same_address(void **state)
{
	char	*r;

	(void)state;
	assert_string_equal(r = provider_relative("home.example.com",
	    "example.com", "@"), "home");
	free(r);
	assert_string_equal(r = provider_relative("a.b.example.com",
	    "example.com", ""), "a.b");
	free(r);
	assert_string_equal(r = provider_relative("example.com",
	    "example.com", "@"), "@");
	free(r);
	assert_string_equal(r = provider_relative("example.com",
	    "example.com", ""), "");
	free(r);
	assert_true(provider_same_address("2001:db8::1", "2001:DB8:0::1"));
	assert_true(provider_same_address("203.0.113.7", "203.0.113.7"));
	assert_false(provider_same_address("203.0.113.7", "203.0.113.8"));
	assert_false(provider_same_address("203.0.113.7", "::ffff:203.0.113.7"));
	assert_true(provider_same_address("txt", "txt"));
	assert_false(provider_same_address("txt", "TXT"));
	assert_false(provider_same_address(NULL, "203.0.113.7"));
	assert_false(provider_same_address("203.0.113.7", NULL));
}

/* A fake account for the zone walk: the zones it holds, the calls made. */
struct fake_account {
	const char	*zones[4];
	const char	*fail_on;	/* candidate whose lookup fails */
	char		 calls[256];	/* "a,b," in call order */
};

/* provider_zone_fn over a fake_account: the zone's id is "id-<name>". */
static enum outcome
fake_lookup(void *arg, const char *cand, char **val, char **why)
{
	struct fake_account	*a = arg;
	size_t			 i;

	provider_append(a->calls, sizeof(a->calls), cand);
	provider_append(a->calls, sizeof(a->calls), ",");
	*val = NULL;
	if (a->fail_on != NULL && strcmp(cand, a->fail_on) == 0) {
		*why = strdup("fake: HTTP 503");
		return OUT_TEMPFAIL;
	}
	for (i = 0; i < 4 && a->zones[i] != NULL; i++)
		if (strcasecmp(a->zones[i], cand) == 0) {
			*val = xasprintf("id-%s", a->zones[i]);
			break;
		}
	return OUT_CURRENT;
}

/* One walk: the outcome, with zone/val/why/calls compared exactly. */
static void
walk_case(struct fake_account *a, struct push_ctx *ctx, const char *name,
    const char *zone_cfg, enum outcome want, const char *want_zone,
    const char *want_val, const char *want_why, const char *want_calls)
{
	struct zone_walk w;
	struct record	 rec;
	char		*zone, *val, *why;

	memset(&rec, 0, sizeof(rec));
	rec.name = (char *)name;
	rec.zone = (char *)zone_cfg;
	memset(&w, 0, sizeof(w));
	w.label = "fake: x A";
	w.cachepfx = "fake:https://api";
	w.what = "Fake zone";
	w.hint = "add it first";
	w.lookup = fake_lookup;
	w.arg = a;
	a->calls[0] = '\0';
	ctx->hold = 0;
	assert_int_equal(provider_find_zone(ctx, &rec, &w, &zone, &val, &why),
	    want);
	if (want_zone == NULL)
		assert_null(zone);
	else
		assert_string_equal(zone, want_zone);
	if (want_val == NULL)
		assert_null(val);
	else
		assert_string_equal(val, want_val);
	if (want_why == NULL)
		assert_null(why);
	else
		assert_string_equal(why, want_why);
	assert_string_equal(a->calls, want_calls);
	assert_int_equal(ctx->hold, want == OUT_CONFIG);
	free(zone);
	free(val);
	free(why);
}

static void
test_find_zone(void **state)
{
	struct fake_account	 a = { { "example.net", "Sub.Example.COM",
				    NULL }, NULL, "" };
	struct push_ctx		 ctx;

	(void)state;
	memset(&ctx, 0, sizeof(ctx));
	ctx.cache = json_object();
	/* Longest suffix first, never a single label. */
	walk_case(&a, &ctx, "home.example.net", NULL, OUT_CURRENT,
	    "example.net", "id-example.net", NULL, "home.example.net,"
	    "example.net,");
	/* Both answers are cached: a second record costs no call. */
	walk_case(&a, &ctx, "home.example.net", NULL, OUT_CURRENT,
	    "example.net", "id-example.net", NULL, "");
	/* The cache key ignores case; the zone keeps the name's case. */
	walk_case(&a, &ctx, "NAS.HOME.Example.Net", NULL, OUT_CURRENT,
	    "Example.Net", "id-example.net", NULL, "NAS.HOME.Example.Net,");
	walk_case(&a, &ctx, "a.sub.example.com", NULL, OUT_CURRENT,
	    "sub.example.com", "id-Sub.Example.COM", NULL,
	    "a.sub.example.com,sub.example.com,");
	/* Not on the account: every candidate named, the hint, hold. */
	walk_case(&a, &ctx, "x.example.org", NULL, OUT_CONFIG, NULL, NULL,
	    "fake: x A: no Fake zone for x.example.org (tried x.example.org, "
	    "example.org; add it first)", "x.example.org,example.org,");
	/* A remembered "not there" is not asked again. */
	walk_case(&a, &ctx, "y.example.org", NULL, OUT_CONFIG, NULL, NULL,
	    "fake: x A: no Fake zone for y.example.org (tried y.example.org, "
	    "example.org; add it first)", "y.example.org,");
	/* A configured zone is the only candidate. */
	walk_case(&a, &ctx, "www.example.net", "example.net", OUT_CURRENT,
	    "example.net", "id-example.net", NULL, "");
	walk_case(&a, &ctx, "www.other.net", "other.net", OUT_CONFIG, NULL,
	    NULL, "fake: x A: no Fake zone for www.other.net (tried "
	    "other.net; add it first)", "other.net,");
	/* ... and it must hold the name. */
	walk_case(&a, &ctx, "www.example.net", "example.com", OUT_CONFIG,
	    NULL, NULL, "fake: x A: \"www.example.net\" is not in zone "
	    "\"example.com\"", "");
	/* A single label is never asked for. */
	walk_case(&a, &ctx, "localhost", NULL, OUT_CONFIG, NULL, NULL,
	    "fake: x A: no Fake zone for localhost (a zone name has two "
	    "labels or more)", "");
	/* A failed lookup ends the walk with its own outcome, uncached. */
	a.fail_on = "b.example.io";
	walk_case(&a, &ctx, "b.example.io", NULL, OUT_TEMPFAIL, NULL, NULL,
	    "fake: HTTP 503", "b.example.io,");
	a.fail_on = NULL;
	walk_case(&a, &ctx, "b.example.io", NULL, OUT_CONFIG, NULL, NULL,
	    "fake: x A: no Fake zone for b.example.io (tried b.example.io, "
	    "example.io; add it first)", "b.example.io,example.io,");
	/* Without a cache every walk asks. */
	json_decref(ctx.cache);
	ctx.cache = NULL;
	walk_case(&a, &ctx, "home.example.net", NULL, OUT_CURRENT,
	    "example.net", "id-example.net", NULL, "home.example.net,"
	    "example.net,");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_sorted_unique),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_man_page),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_status_outcome),
		cmocka_unit_test(test_base_url),
		cmocka_unit_test(test_relative_and_same_address),
		cmocka_unit_test(test_find_zone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
