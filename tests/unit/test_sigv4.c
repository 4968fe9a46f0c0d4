/*
 * SigV4 signer against every case of the official AWS test suite
 * (tests/fixtures/aws-sigv4-suite, from awslabs/aws-c-auth; see its
 * NOTICE). Each case directory is read at run time: context.json gives
 * credentials, region, service, time and options, request.txt the raw
 * request; the canonical request, string to sign and signature must match
 * the header-*.txt files byte for byte. Run from the top of the tree.
 */
#include <dirent.h>
#include <errno.h>

#include "unit.h"
#include "providers/sigv4.h"

#define SUITE		"tests/fixtures/aws-sigv4-suite"
#define SUITE_CASES	38		/* the suite as published */
#define MAX_CASES	128

/* Read dir/case/file into a malloc'd NUL-terminated string (caller
 * frees) with its length in *len; NULL if it cannot be read. */
static char *
slurp(const char *name, const char *file, size_t *len)
{
	FILE	*f;
	char	 path[512], *s = NULL;
	long	 n;

	snprintf(path, sizeof(path), "%s/%s/%s", SUITE, name, file);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (s = malloc(n + 1)) != NULL) {
		if (fread(s, 1, n, f) != (size_t)n) {
			free(s);
			s = NULL;
		} else {
			s[n] = '\0';
			if (len != NULL)
				*len = n;
		}
	}
	fclose(f);
	return s;
}

/* time_t of "YYYY-MM-DDTHH:MM:SSZ" (UTC), or -1. */
static time_t
parse_time(const char *s)
{
	struct tm	 tm;
	int		 y, mo, d, h, mi, se;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi,
	    &se) != 6)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	return timegm(&tm);
}

/* A parsed request.txt; strings point into text (modified in place). */
struct rawreq {
	char	*method;
	char	*path;
	char	*query;
	char	*hdrs[32];
	char	*body;
	size_t	 bodylen;
};

/*
 * Split request.txt (text, len bytes; changed in place) into r: the
 * request line "METHOD path[?query] HTTP/1.1" (the path may hold a
 * space), "Name:value" lines where a line starting with blanks continues
 * the previous value (kept with its newline: the signer folds it), a
 * blank line, then the body. 0, or -1 if malformed.
 */
static int
parse_request(char *text, size_t len, struct rawreq *r)
{
	char	*line, *nl, *sp, *end = text + len, *prev = NULL;
	size_t	 nh = 0;

	memset(r, 0, sizeof(*r));
	if ((nl = strchr(text, '\n')) == NULL)
		nl = end;
	*nl = '\0';
	if ((sp = strchr(text, ' ')) == NULL ||
	    (line = strrchr(text, ' ')) == sp)
		return -1;
	*sp = '\0';
	*line = '\0';
	r->method = text;
	r->path = sp + 1;
	if ((r->query = strchr(r->path, '?')) != NULL)
		*r->query++ = '\0';
	for (line = nl < end ? nl + 1 : end; line < end; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL)
			nl = end;
		if (nl == line) {		/* blank: the body follows */
			r->body = nl + 1 < end ? nl + 1 : NULL;
			r->bodylen = nl + 1 < end ? (size_t)(end - nl - 1) : 0;
			break;
		}
		if ((*line == ' ' || *line == '\t') && prev != NULL) {
			/* Continuation: join it to the previous line. */
			prev[strlen(prev)] = '\n';
			if (nl < end)
				*nl = '\0';
			continue;
		}
		if (nh + 1 >= sizeof(r->hdrs) / sizeof(r->hdrs[0]))
			return -1;
		r->hdrs[nh++] = prev = line;
		if (nl < end)
			*nl = '\0';
		if (nl == end)
			break;
	}
	r->hdrs[nh] = NULL;
	return 0;
}

/* Strip one trailing newline some editors add (the suite has none). */
static void
chomp(char *s)
{
	size_t	 n = strlen(s);

	if (n > 0 && s[n - 1] == '\n')
		s[n - 1] = '\0';
}

/* One suite case: the state is its directory name. */
static void
test_case(void **state)
{
	const char	*name = *state;
	struct sigv4_cred cred;
	struct sigv4_req req;
	struct rawreq	 raw;
	struct sigv4	 sig;
	json_t		*ctx, *c;
	json_error_t	 jerr;
	const char	*region, *service, *ts;
	char		*ctxt, *text, *want_cr, *want_sts, *want_sig;
	size_t		 len;
	int		 normalize = 1, sign_body = 0, omit = 0, flags = 0;

	ctxt = slurp(name, "context.json", NULL);
	text = slurp(name, "request.txt", &len);
	want_cr = slurp(name, "header-canonical-request.txt", NULL);
	want_sts = slurp(name, "header-string-to-sign.txt", NULL);
	want_sig = slurp(name, "header-signature.txt", NULL);
	assert_non_null(ctxt);
	assert_non_null(text);
	assert_non_null(want_cr);
	assert_non_null(want_sts);
	assert_non_null(want_sig);
	chomp(want_sig);

	ctx = json_loads(ctxt, 0, &jerr);
	assert_non_null(ctx);
	memset(&cred, 0, sizeof(cred));
	assert_int_equal(json_unpack_ex(ctx, &jerr, 0,
	    "{s:{s:s, s:s, s?:s}, s:s, s:s, s:s, s?:b, s?:b, s?:b}",
	    "credentials", "access_key_id", &cred.access_key,
	    "secret_access_key", &cred.secret, "token", &cred.token,
	    "region", &region, "service", &service, "timestamp", &ts,
	    "normalize", &normalize, "sign_body", &sign_body,
	    "omit_session_token", &omit), 0);
	c = json_object_get(ctx, "credentials");
	assert_non_null(c);
	if (!normalize)
		flags |= SIGV4_NO_NORMALIZE;
	if (sign_body)
		flags |= SIGV4_SIGN_BODY;
	if (omit)
		flags |= SIGV4_OMIT_TOKEN;

	assert_int_equal(parse_request(text, len, &raw), 0);
	memset(&req, 0, sizeof(req));
	req.method = raw.method;
	req.path = raw.path;
	req.query = raw.query;
	req.headers = (const char *const *)raw.hdrs;
	req.payload = raw.body;
	req.paylen = raw.bodylen;
	assert_int_equal(sigv4_sign(&req, &cred, region, service,
	    parse_time(ts), flags, &sig), 0);
	assert_string_equal(sig.canonical, want_cr);
	assert_string_equal(sig.to_sign, want_sts);
	assert_string_equal(sig.signature, want_sig);
	/* The token goes out even when it is not signed. */
	if (cred.token != NULL)
		assert_non_null(strstr(sig.add[1], cred.token));
	sigv4_free(&sig);

	json_decref(ctx);
	free(ctxt);
	free(text);
	free(want_cr);
	free(want_sts);
	free(want_sig);
}

/* Direct checks of the canonical forms and the headers to send. */
static void
test_forms(void **state)
{
	static const struct {
		const char	*in;
		const char	*want;
	} paths[] = {
		{ "", "/" },
		{ "/2013-04-01/hostedzone/Z1/rrset/",
		    "/2013-04-01/hostedzone/Z1/rrset/" },
		{ "/a%20b", "/a%2520b" },
		{ "/a/b/..", "/a/" },
		{ "/a/./b/", "/a/b/" },
		{ "/../a", "/a" },
	}, queries[] = {
		{ NULL, "" },
		{ "", "" },
		{ "b=2&a=1", "a=1&b=2" },
		{ "a=2&a=1", "a=1&a=2" },
		{ "k", "k=" },
		{ "k=a+b", "k=a%2Bb" },
		{ "name=%2A.example.com.&type=A",
		    "name=%2A.example.com.&type=A" },
		{ "name=*.example.com.", "name=%2A.example.com." },
		{ "x=%zz&&y=%41", "x=%25zz&y=A" },
		{ "Z=1&a=1", "Z=1&a=1" },
	};
	static const char *const hdrs[] = { "Host: route53.amazonaws.com",
	    NULL };
	static const char *const nohost[] = { "X-Foo: 1", NULL };
	static const char *const dup[] = { "Host: h", "X-Amz-Date: 1", NULL };
	struct sigv4_cred cred = { "AKIDEXAMPLE",
	    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "tok" };
	struct sigv4_req req;
	struct sigv4	 sig;
	char		*s;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		s = sigv4_canonical_path(paths[i].in, 0);
		assert_string_equal(s, paths[i].want);
		free(s);
	}
	for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		s = sigv4_canonical_query(queries[i].in);
		assert_string_equal(s, queries[i].want);
		free(s);
	}
	memset(&req, 0, sizeof(req));
	req.method = "GET";
	req.path = "/2013-04-01/hostedzonesbyname";
	req.query = "dnsname=example.com.&maxitems=1";
	req.headers = hdrs;
	assert_int_equal(sigv4_sign(&req, &cred, "us-east-1", "route53",
	    1440938160, 0, &sig), 0);
	assert_string_equal(sig.add[0], "X-Amz-Date: 20150830T123600Z");
	assert_string_equal(sig.add[1], "X-Amz-Security-Token: tok");
	s = xasprintf("Authorization: AWS4-HMAC-SHA256 "
	    "Credential=AKIDEXAMPLE/20150830/us-east-1/route53/aws4_request, "
	    "SignedHeaders=host;x-amz-date;x-amz-security-token, "
	    "Signature=%s", sig.signature);
	assert_string_equal(sig.add[2], s);
	free(s);
	assert_int_equal(strlen(sig.signature), 64);
	assert_null(sig.add[3]);
	sigv4_free(&sig);
	req.headers = nohost;
	assert_int_equal(sigv4_sign(&req, &cred, "us-east-1", "route53",
	    1440938160, 0, &sig), -1);
	req.headers = dup;
	assert_int_equal(sigv4_sign(&req, &cred, "us-east-1", "route53",
	    1440938160, 0, &sig), -1);
}

/* Case names sorted, for a stable order. */
static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(void)
{
	struct CMUnitTest	 tests[MAX_CASES + 1];
	char			*names[MAX_CASES];
	struct dirent		*de;
	DIR			*d;
	size_t			 n = 0, i;
	int			 fails;

	if ((d = opendir(SUITE)) == NULL) {
		fprintf(stderr, "%s: %s (run from the top of the tree)\n",
		    SUITE, strerror(errno));
		return 1;
	}
	while ((de = readdir(d)) != NULL && n < MAX_CASES) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, "NOTICE") == 0)
			continue;
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), name_cmp);
	memset(tests, 0, sizeof(tests));
	tests[0] = (struct CMUnitTest)cmocka_unit_test(test_forms);
	for (i = 0; i < n; i++) {
		tests[i + 1].name = names[i];
		tests[i + 1].test_func = test_case;
		tests[i + 1].initial_state = names[i];
	}
	fails = _cmocka_run_group_tests("sigv4", tests, n + 1, NULL, NULL);
	if (n != SUITE_CASES) {
		fprintf(stderr, "%s: %zu cases, expected %d\n", SUITE, n,
		    SUITE_CASES);
		fails++;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	return fails != 0;
}
