/*
 * config.c: the configuration file turned into the plan.
 *
 * Each case writes a config text to a file in a private temporary
 * directory, loads it with config_load, and checks the result and what
 * was said on stderr (captured by pointing fd 2 at a temporary file):
 * every refusal names file:line:col and the key.
 *
 * Provider keys differ between providers; "@prov@" in a case's text
 * expands to the keys that provider requires (dummy values), so a case
 * stays valid whatever the provider's table says.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <unistd.h>

#include "unit.h"
#include "probe/probe.h"

#define DUMMY_SECRET	"dummy-secret-7f3a9c"

static char	 tmpdir[64];
static char	 errbuf[16384];
static int	 saved_fd = -1;
static FILE	*capf;
static int	 nfile;

/* ---- helpers ----------------------------------------------------------- */

/* Start collecting what goes to stderr. */
static void
cap_start(void)
{
	fflush(stderr);
	capf = tmpfile();
	assert_non_null(capf);
	saved_fd = dup(2);
	assert_true(saved_fd >= 0);
	assert_true(dup2(fileno(capf), 2) >= 0);
}

/* Stop collecting; returns what was said (static buffer). */
static const char *
cap_end(void)
{
	size_t	 n;

	fflush(stderr);
	dup2(saved_fd, 2);
	close(saved_fd);
	saved_fd = -1;
	rewind(capf);
	n = fread(errbuf, 1, sizeof(errbuf) - 1, capf);
	errbuf[n] = '\0';
	fclose(capf);
	capf = NULL;
	return errbuf;
}

/* Write text to a new file in tmpdir with mode; returns its malloc'd path. */
static char *
write_file(const char *base, const char *text, mode_t mode)
{
	char	*path;
	FILE	*f;

	path = xasprintf("%s/%s-%d", tmpdir, base, nfile++);
	assert_non_null(path);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

/* True if the text holds "key": (quoted, then a colon) anywhere. */
static int
mentions_key(const char *text, const char *key)
{
	char	 pat[128];

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	return strstr(text, pat) != NULL;
}

/* Replace each "@prov@" with ", " + the keys prov requires that the text
 * does not already give. Malloc'd. */
static char *
expand(const char *t)
{
	const struct provider		*p;
	const struct provider_key	*k;
	char				 name[64], *out;
	size_t				 n = 0, cap = strlen(t) * 2 + 4096;
	const char			*q, *whole = t;

	out = calloc(1, cap);
	assert_non_null(out);
	while (*t != '\0') {
		if (*t == '@' && (q = strchr(t + 1, '@')) != NULL &&
		    (size_t)(q - t - 1) < sizeof(name)) {
			memcpy(name, t + 1, q - t - 1);
			name[q - t - 1] = '\0';
			if ((p = provider_find(name)) != NULL) {
				/* A provider with a check hook may need one
				 * of several credentials ("token, or email
				 * and api_key"): when the case names none,
				 * give them all. */
				int	 creds = 0;

				for (k = p->keys; k->name != NULL; k++)
					if ((k->flags & KEY_SECRET) &&
					    mentions_key(whole, k->name))
						creds = 1;
				for (k = p->keys; k->name != NULL; k++) {
					if (mentions_key(whole, k->name))
						continue;
					if (!(k->flags & KEY_REQUIRED) &&
					    !(p->check != NULL && !creds &&
					    (k->flags & KEY_SECRET)))
						continue;
					n += snprintf(out + n, cap - n,
					    ", \"%s\": %s", k->name,
					    (k->flags & KEY_BOOL) ? "true" :
					    (k->flags & KEY_INT) ? "1" :
					    (k->flags & KEY_SECRET) ?
					    "\"" DUMMY_SECRET "\"" :
					    "\"dummy-value\"");
				}
				t = q + 1;
				continue;
			}
		}
		out[n++] = *t++;
	}
	out[n] = '\0';
	return out;
}

/* Replace every "%F" in pat with path; malloc'd. */
static char *
subst_path(const char *pat, const char *path)
{
	char		*out;
	size_t		 n = 0, cap = strlen(pat) + 8 * strlen(path) + 1;

	out = malloc(cap);
	assert_non_null(out);
	while (*pat != '\0') {
		if (pat[0] == '%' && pat[1] == 'F') {
			n += snprintf(out + n, cap - n, "%s", path);
			pat += 2;
		} else
			out[n++] = *pat++;
	}
	out[n] = '\0';
	return out;
}

/* Load text (after expand) from a file of the given mode; fills cfg and
 * returns config_load's value; *errp is what stderr got. The path is
 * returned in *pathp (caller frees) when pathp is not NULL. */
static int
load_text(struct config *cfg, const char *text, mode_t mode,
    const char **errp, char **pathp)
{
	char	*x, *path;
	int	 rc;

	x = expand(text);
	path = write_file("cfg", x, mode);
	free(x);
	memset(cfg, 0, sizeof(*cfg));
	cap_start();
	rc = config_load(cfg, path, 0);
	*errp = cap_end();
	if (pathp != NULL)
		*pathp = path;
	else
		free(path);
	return rc;
}

/* The first provider with a key having all of flags (and none of not);
 * *keyp set to that key. NULL when no provider has one. */
static const struct provider *
find_key(int flags, int not, const struct provider_key **keyp)
{
	const struct provider_key	*k;
	size_t				 i;

	for (i = 0; providers[i] != NULL; i++)
		for (k = providers[i]->keys; k->name != NULL; k++)
			if ((k->flags & flags) == flags &&
			    (k->flags & not) == 0) {
				*keyp = k;
				return providers[i];
			}
	return NULL;
}

/* The provider's required keys (and, for a provider with a check hook,
 * its credentials) other than skip, as JSON members with
 * dummy values (", \"k\": v" each); malloc'd. */
static char *
required_except(const struct provider *p, const char *skip)
{
	char				*s = strdup("");
	char				*t;
	const struct provider_key	*k;

	for (k = p->keys; k->name != NULL; k++) {
		/* With a check hook, any secret may be one of the needed
		 * credentials: give them all. */
		if ((!(k->flags & KEY_REQUIRED) && !(p->check != NULL &&
		    (k->flags & KEY_SECRET))) || strcmp(k->name, skip) == 0)
			continue;
		t = xasprintf("%s, \"%s\": %s", s, k->name,
		    (k->flags & KEY_BOOL) ? "true" : (k->flags & KEY_INT) ?
		    "1" : "\"" DUMMY_SECRET "\"");
		free(s);
		s = t;
	}
	return s;
}

/* ---- the table ------------------------------------------------------- */

struct ccase {
	const char	*what;
	const char	*text;
	int		 ok;		/* config_load should succeed */
	const char	*expect[4];	/* substrings of stderr; %F = path */
};

static const struct ccase cases[] = {
	/* Accepted. */
	{ "empty object", "{}", 1, { NULL } },
	{ "empty records", "{\"records\": []}", 1, { NULL } },
	{ "comments of all three kinds, none inside strings",
	    "// leading line comment\n"
	    "# hash comment\n"
	    "{ /* block\n"
	    "   comment over lines */ \"state\": \"http://x/#a//b/*c*/\", "
	    "// trailing\n"
	    "  \"cafile\": \"a\\\"//b#c\", # trailing hash\n"
	    "  \"records\": [] /**/ }\n"
	    "/* final */\n", 1, { NULL } },
	{ "full example",
	    "{\n"
	    "  \"state\": \"/tmp/x/state.json\",\n"
	    "  \"max_age\": \"3d\",\n"
	    "  \"cafile\": \"/tmp/ca.pem\",\n"
	    "  \"probe\": { \"ipv4\": [\"http://127.0.0.1:1/\"],\n"
	    "    \"ipv6\": [\"http://[::1]:1/\"], \"timeout\": 0.5,\n"
	    "    \"deadline\": 10, \"quorum\": 2,\n"
	    "    \"allow_nonpublic\": [\"documentation\"],\n"
	    "    \"insecure\": [\"https://127.0.0.1:1/\"] },\n"
	    "  \"records\": [\n"
	    "    { \"name\": \"home.example.com\", \"provider\": "
	    "\"cloudflare\", \"types\": [\"A\", \"AAAA\"], \"ttl\": 300,\n"
	    "      \"zone\": \"example.com\", \"insecure\": false"
	    " @cloudflare@ }\n"
	    "  ]\n"
	    "}\n", 1, { NULL } },
	{ "max_age as a number", "{\"max_age\": 90}", 1, { NULL } },
	{ "allow_nonpublic true", "{\"probe\": {\"allow_nonpublic\": true}}",
	    1, { NULL } },
	{ "types both",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"types\": \"both\" @cloudflare@}]}", 1,
	    { NULL } },
	{ "types AAAA as a string",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"types\": \"AAAA\" @cloudflare@}]}", 1,
	    { NULL } },
	{ "zone apex",
	    "{\"records\": [{\"name\": \"example.com\", \"zone\": "
	    "\"example.com\", \"provider\": \"cloudflare\" @cloudflare@}]}",
	    1, { NULL } },
	{ "zone apex, names differ only in case",
	    "{\"records\": [{\"name\": \"Example.COM\", \"zone\": "
	    "\"example.com\", \"provider\": \"cloudflare\" @cloudflare@}]}",
	    1, { NULL } },
	{ "zone with a trailing dot",
	    "{\"records\": [{\"name\": \"a.b.example.com\", \"zone\": "
	    "\"example.com.\", \"provider\": \"cloudflare\" @cloudflare@}]}",
	    1, { NULL } },
	{ "same name, different provider",
	    "{\"records\": [\n"
	    "  {\"name\": \"a.example.com\", \"provider\": \"cloudflare\""
	    " @cloudflare@},\n"
	    "  {\"name\": \"a.example.com\", \"provider\": \"duckdns\""
	    " @duckdns@}]}", 1, { NULL } },
	{ "same name, A and AAAA as two records",
	    "{\"records\": [\n"
	    "  {\"name\": \"a.example.com\", \"provider\": \"cloudflare\","
	    " \"types\": \"A\" @cloudflare@},\n"
	    "  {\"name\": \"a.example.com\", \"provider\": \"cloudflare\","
	    " \"types\": \"AAAA\" @cloudflare@}]}", 1, { NULL } },
	{ "env secret that is set",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"token\": {\"env\": \"DDNSUP_TEST_TOKEN\"}"
	    " @cloudflare@}]}", 1, { NULL } },

	/* Refused: syntax. */
	{ "syntax: trailing comma",
	    "{\n"
	    "  \"state\": \"/x\",\n"
	    "  \"max_age\": 5,\n"
	    "}\n", 0, { "%F:4:" } },
	{ "syntax: line numbers survive a block comment",
	    "/* one\n"
	    "   two\n"
	    "   three */ {\n"
	    "  \"state\": \"/x\"\n"
	    "  \"max_age\": 5\n"
	    "}\n", 0, { "%F:5:" } },
	{ "syntax: unterminated string",
	    "{\n  \"state\": \"/x\n}\n", 0, { "%F:2:" } },
	{ "syntax: duplicate key",
	    "{\"state\": \"/a\",\n \"state\": \"/b\"}", 0,
	    { "%F:2:", "duplicate" } },
	{ "not an object", "[1, 2]", 0, { "%F:1:1:", "JSON object" } },
	{ "empty file", "", 0, { "%F:" } },

	/* Refused: keys. */
	{ "unknown top-level key with a suggestion",
	    "{\n"
	    "  \"recods\": []\n"
	    "}\n", 0,
	    { "%F:2:3:", "recods", "did you mean \"records\"" } },
	{ "unknown top-level key max-age",
	    "{\"state\": \"/x\", \"max-age\": 5}", 0,
	    { "%F:1:17:", "max-age", "did you mean \"max_age\"" } },
	{ "unknown top-level key, nothing close",
	    "{\"zzzzzzzzzz\": 1}", 0, { "%F:1:2:", "zzzzzzzzzz" } },
	{ "unknown probe key",
	    "{\n  \"probe\": {\n    \"ipv4\": [\"http://127.0.0.1:1/\"],\n"
	    "    \"timout\": 5\n  }\n}\n", 0,
	    { "%F:4:5:", "probe.timout", "did you mean \"timeout\"" } },
	{ "unknown record key tokne",
	    "{\n"
	    "  \"records\": [\n"
	    "    {\n"
	    "      \"name\": \"a.example.com\", \"provider\": \"cloudflare\",\n"
	    "      \"tokne\": \"" DUMMY_SECRET "\"\n"
	    "    }\n"
	    "  ]\n"
	    "}\n", 0,
	    { "%F:5:7:", "records[0].tokne", "did you mean \"token\"" } },
	{ "unknown record key in the second record",
	    "{\"records\": [\n"
	    " {\"name\": \"a.example.com\", \"provider\": \"cloudflare\""
	    " @cloudflare@},\n"
	    " {\"name\": \"b.example.com\", \"provider\": \"cloudflare\","
	    " \"tll\": 60}]}\n", 0,
	    { "%F:3:", "records[1].tll", "did you mean \"ttl\"" } },
	{ "unknown provider with a suggestion",
	    "{\"records\": [\n"
	    "  {\"name\": \"a.example.com\",\n"
	    "   \"provider\": \"cloudflar\"}]}\n", 0,
	    { "%F:3:4:", "records[0].provider",
	    "did you mean \"cloudflare\"" } },
	{ "unknown provider dyndns",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"dyndns\"}]}", 0, { "%F:1:", "did you mean \"dyndns2\"" } },
	{ "unknown provider, nothing close",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"qqqqqqqqqqqq\"}]}", 0,
	    { "%F:1:", "unknown provider \"qqqqqqqqqqqq\"" } },
	{ "missing provider lists the providers",
	    "{\"records\": [\n  {\"name\": \"a.example.com\"}]}", 0,
	    { "%F:2:3:", "records[0].provider", "missing", "cloudflare" } },
	{ "provider not a string",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": 5}]}",
	    0, { "%F:1:", "records[0].provider" } },
	{ "missing name",
	    "{\"records\": [\n  {\"provider\": \"cloudflare\" @cloudflare@}]}",
	    0, { "%F:2:3:", "records[0].name", "missing" } },
	{ "name not a string",
	    "{\"records\": [{\"name\": 5, \"provider\": \"cloudflare\""
	    " @cloudflare@}]}", 0, { "%F:1:", "records[0].name" } },
	{ "name with a space",
	    "{\"records\": [{\"provider\": \"cloudflare\",\n"
	    "  \"name\": \"a b.example.com\" @cloudflare@}]}", 0,
	    { "%F:2:3:", "records[0].name", "not allowed" } },
	{ "name with an empty label",
	    "{\"records\": [{\"provider\": \"cloudflare\", \"name\": "
	    "\"a..example.com\" @cloudflare@}]}", 0,
	    { "%F:1:", "records[0].name", "empty label" } },
	{ "name empty",
	    "{\"records\": [{\"provider\": \"cloudflare\", \"name\": \"\""
	    " @cloudflare@}]}", 0, { "%F:1:", "records[0].name" } },

	/* Refused: types and values. */
	{ "state not a string", "{\n \"state\": 5}", 0,
	    { "%F:2:2:", "state", "file name" } },
	{ "state empty", "{\"state\": \"\"}", 0, { "%F:1:2:", "state" } },
	{ "cafile not a string", "{\"cafile\": true}", 0,
	    { "%F:1:2:", "cafile" } },
	{ "max_age junk", "{\"max_age\": \"3x\"}", 0,
	    { "%F:1:2:", "max_age" } },
	{ "max_age zero", "{\"max_age\": 0}", 0, { "%F:1:2:", "max_age" } },
	{ "max_age negative", "{\"max_age\": -5}", 0,
	    { "%F:1:2:", "max_age" } },
	{ "max_age a list", "{\"max_age\": [1]}", 0,
	    { "%F:1:2:", "max_age" } },
	{ "probe not an object", "{\"probe\": []}", 0, { "%F:1:", "probe" } },
	{ "probe.ipv4 a string",
	    "{\"probe\": {\"ipv4\": \"http://127.0.0.1:1/\"}}", 0,
	    { "%F:1:", "probe.ipv4", "list" } },
	{ "probe.ipv4 with an empty string",
	    "{\"probe\": {\"ipv4\": [\"http://127.0.0.1:1/\", \"\"]}}", 0,
	    { "%F:1:", "probe.ipv4[1]" } },
	{ "probe.ipv4 unknown source",
	    "{\"probe\": {\"ipv4\": [\"ftp://127.0.0.1/\"]}}", 0,
	    { "%F:1:", "probe.ipv4[0]", "unknown address source \"ftp\"" } },
	{ "probe.ipv6 object without source",
	    "{\"probe\": {\"ipv6\": [{\"interface\": \"eth0\"}]}}", 0,
	    { "%F:1:", "probe.ipv6[0]", "\"source\"" } },
	{ "probe.ipv4 a number", "{\"probe\": {\"ipv4\": [4]}}", 0,
	    { "%F:1:", "probe.ipv4[0]", "expected a URL" } },
	{ "probe.ipv4 empty list", "{\"probe\": {\"ipv4\": []}}", 0,
	    { "%F:1:", "probe.ipv4", "non-empty list" } },
	{ "probe.timeout zero", "{\"probe\": {\"timeout\": 0}}", 0,
	    { "%F:1:", "probe.timeout" } },
	{ "probe.timeout a string", "{\"probe\": {\"timeout\": \"5\"}}", 0,
	    { "%F:1:", "probe.timeout" } },
	{ "probe.deadline too long", "{\"probe\": {\"deadline\": 4000}}", 0,
	    { "%F:1:", "probe.deadline" } },
	{ "probe.nat_ok true", "{\"probe\": {\"nat_ok\": true}}", 1,
	    { NULL } },
	{ "probe.nat_ok a string", "{\"probe\": {\n \"nat_ok\": \"yes\"}}",
	    0, { "%F:2:2: probe.nat_ok: expected true or false" } },
	{ "host_id and prefix_len",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"types\": \"both\", \"host_id\": \"::1234\", "
	    "\"prefix_len\": 56 @cloudflare@}]}", 1, { NULL } },
	{ "host_id a MAC address",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"host_id\": \"00:11:22:33:44:55\" @cloudflare@}]}",
	    1, { NULL } },
	{ "host_id wider than the host part",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\",\n   \"host_id\": \"::1:0:0:0:1234\" @cloudflare@}]}",
	    0, { "%F:2:4: records[0].host_id: \"::1:0:0:0:1234\" with a /64 "
	    "prefix: the host id is wider than the host part" } },
	{ "host_id MAC with a /72",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"host_id\": \"00:11:22:33:44:55\", "
	    "\"prefix_len\": 72 @cloudflare@}]}",
	    0, { "%F:1:", "records[0].host_id: \"00:11:22:33:44:55\" with a "
	    "/72 prefix: the host id is wider" } },
	{ "host_id not an address",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"host_id\": \"1234\" @cloudflare@}]}",
	    0, { "%F:1:", "records[0].host_id: \"1234\" with a /64 prefix: "
	    "expected an IPv6 host id such as \"::1234\" or a MAC" } },
	{ "host_id a number",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"host_id\": 1234 @cloudflare@}]}",
	    0, { "%F:1:", "records[0].host_id: expected a string" } },
	{ "prefix_len 128",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"host_id\": \"::1\", \"prefix_len\": 128"
	    " @cloudflare@}]}",
	    0, { "%F:1:", "records[0].prefix_len: expected an integer from 1 "
	    "to 127" } },
	{ "prefix_len without host_id",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"prefix_len\": 56 @cloudflare@}]}",
	    0, { "%F:1:", "records[0].prefix_len: goes with \"host_id\"" } },
	{ "probe.quorum zero", "{\"probe\": {\"quorum\": 0}}", 0,
	    { "%F:1:", "probe.quorum" } },
	{ "probe.quorum 17", "{\"probe\": {\"quorum\": 17}}", 0,
	    { "%F:1:", "probe.quorum" } },
	{ "probe.quorum fraction", "{\"probe\": {\"quorum\": 1.5}}", 0,
	    { "%F:1:", "probe.quorum" } },
	{ "probe.allow_nonpublic unknown range",
	    "{\"probe\": {\"allow_nonpublic\": [\"documentation\", "
	    "\"nonsense\"]}}", 0,
	    { "%F:1:", "probe.allow_nonpublic[1]" } },
	{ "probe.allow_nonpublic a number",
	    "{\"probe\": {\"allow_nonpublic\": 5}}", 0,
	    { "%F:1:", "probe.allow_nonpublic" } },
	{ "records an object", "{\"records\": {}}", 0,
	    { "%F:1:2:", "records", "list" } },
	{ "record a number", "{\"records\": [\n 5]}", 0,
	    { "%F:2:2:", "records[0]", "object" } },
	{ "types with MX",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\",\n \"types\": [\"A\", \"MX\"] @cloudflare@}]}", 0,
	    { "%F:2:2:", "records[0].types" } },
	{ "types a number",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"types\": 1 @cloudflare@}]}", 0,
	    { "%F:1:", "records[0].types" } },
	{ "types empty",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"types\": [] @cloudflare@}]}", 0,
	    { "%F:1:", "records[0].types" } },
	{ "types lower case",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"types\": \"a\" @cloudflare@}]}", 0,
	    { "%F:1:", "records[0].types" } },
	{ "ttl negative",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\",\n \"ttl\": -1 @cloudflare@}]}", 0,
	    { "%F:2:2:", "records[0].ttl" } },
	{ "ttl too large",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"ttl\": 604801 @cloudflare@}]}", 0,
	    { "%F:1:", "records[0].ttl" } },
	{ "ttl a string",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"ttl\": \"300\" @cloudflare@}]}", 0,
	    { "%F:1:", "records[0].ttl" } },
	{ "ttl a fraction",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"ttl\": 1.5 @cloudflare@}]}", 0,
	    { "%F:1:", "records[0].ttl" } },
	{ "insecure a string",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\",\n \"insecure\": \"yes\" @cloudflare@}]}", 0,
	    { "%F:2:2:", "records[0].insecure" } },
	{ "zone not a string",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"zone\": 5 @cloudflare@}]}", 0,
	    { "%F:1:", "records[0].zone" } },

	/* Refused: secrets from elsewhere. */
	{ "env variable not set",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\",\n  \"token\": {\"env\": "
	    "\"DDNSUP_TEST_UNSET_VAR\"} @cloudflare@}]}", 0,
	    { "%F:2:3:", "records[0].token", "DDNSUP_TEST_UNSET_VAR" } },
	{ "env variable set but empty",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"token\": {\"env\": "
	    "\"DDNSUP_TEST_EMPTY_VAR\"} @cloudflare@}]}", 0,
	    { "%F:1:", "records[0].token", "DDNSUP_TEST_EMPTY_VAR" } },
	{ "env name not a string",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"token\": {\"env\": 5} @cloudflare@}]}", 0,
	    { "%F:1:", "records[0].token" } },
	{ "secret file missing",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"token\": {\"file\": "
	    "\"/nonexistent/ddnsup-token\"} @cloudflare@}]}", 0,
	    { "%F:1:", "records[0].token", "/nonexistent/ddnsup-token",
	    "No such file" } },
	{ "secret as a number",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"token\": 12345 @cloudflare@}]}", 0,
	    { "%F:1:", "records[0].token", "string" } },
	{ "secret as an unknown object",
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"token\": {\"enb\": \"X\"} @cloudflare@}]}", 0,
	    { "%F:1:", "records[0].token" } },

	/* Refused: the plan. */
	{ "duplicate record",
	    "{\"records\": [\n"
	    "  {\"name\": \"a.example.com\", \"provider\": \"cloudflare\""
	    " @cloudflare@},\n"
	    "  {\"name\": \"a.example.com\", \"provider\": \"cloudflare\""
	    " @cloudflare@}\n]}", 0,
	    { "%F:3:3:", "records[1]", "a.example.com" } },
	{ "duplicate record, case and trailing dot differ",
	    "{\"records\": [\n"
	    "  {\"name\": \"a.example.com\", \"provider\": \"cloudflare\","
	    " \"types\": \"both\" @cloudflare@},\n"
	    "  {\"name\": \"A.Example.com.\", \"provider\": \"cloudflare\","
	    " \"types\": \"AAAA\" @cloudflare@}\n]}", 0,
	    { "%F:3:", "records[1]" } },
	{ "name outside its zone",
	    "{\"records\": [{\"name\": \"a.example.org\", \"provider\": "
	    "\"cloudflare\",\n  \"zone\": \"example.com\" @cloudflare@}]}", 0,
	    { "%F:2:3:", "records[0].zone", "a.example.org",
	    "example.com" } },
	{ "name only ends like the zone",
	    "{\"records\": [{\"name\": \"badexample.com\", \"provider\": "
	    "\"cloudflare\", \"zone\": \"example.com\" @cloudflare@}]}", 0,
	    { "%F:1:", "records[0].zone", "badexample.com" } },
	{ "zone longer than the name",
	    "{\"records\": [{\"name\": \"com\", \"provider\": "
	    "\"cloudflare\", \"zone\": \"example.com\" @cloudflare@}]}", 0,
	    { "%F:1:", "records[0].zone" } },
};

static void
test_table(void **state)
{
	struct config	 cfg;
	const char	*err;
	char		*path, *want;
	size_t		 i, j;
	int		 rc, bad = 0;

	(void)state;
	setenv("DDNSUP_TEST_TOKEN", "env-token-2b9e71", 1);
	setenv("DDNSUP_TEST_EMPTY_VAR", "", 1);
	unsetenv("DDNSUP_TEST_UNSET_VAR");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct ccase	*c = &cases[i];

		rc = load_text(&cfg, c->text, 0600, &err, &path);
		if ((rc == 0) != c->ok) {
			print_error("case \"%s\": config_load returned %d, "
			    "want %s; stderr: %s\n", c->what, rc,
			    c->ok ? "success" : "failure", err);
			bad++;
		} else if (c->ok && *err != '\0') {
			print_error("case \"%s\": accepted, but stderr "
			    "said: %s\n", c->what, err);
			bad++;
		} else if (!c->ok && *err == '\0') {
			print_error("case \"%s\": refused in silence\n",
			    c->what);
			bad++;
		}
		for (j = 0; !c->ok && j < 4 && c->expect[j] != NULL; j++) {
			want = subst_path(c->expect[j], path);
			if (strstr(err, want) == NULL) {
				print_error("case \"%s\": stderr lacks "
				    "\"%s\": %s\n", c->what, want, err);
				bad++;
			}
			free(want);
		}
		config_free(&cfg);
		free(path);
	}
	assert_int_equal(bad, 0);
}

/* ---- single cases ------------------------------------------------------ */

/* URLs in a row race as one http step; other entries are steps of
 * their own, shorthands expanded, in the order given. */
static void
test_probe_steps(void **state)
{
	struct config		 cfg;
	const struct probe_step	*st;
	const char		*err;
	char			*path;

	(void)state;
	assert_int_equal(load_text(&cfg,
	    "{ \"probe\": { \"ipv4\": [\"http://127.0.0.1:1/a\", "
	    "\"HTTPS://127.0.0.1:1/b\", \"iface:eth0\", "
	    "{ \"source\": \"http\" }, \"http://127.0.0.1:1/c\"], "
	    "\"ipv6\": [\"stun\"] } }", 0600, &err, &path), 0);
	assert_string_equal(err, "");
	assert_int_equal(cfg.probe.nsteps[FAM_V4], 4);
	st = cfg.probe.steps[FAM_V4];
	assert_ptr_equal(st[0].src, probe_source_find("http"));
	assert_string_equal(st[0].urls[1], "HTTPS://127.0.0.1:1/b");
	assert_null(st[0].urls[2]);
	assert_ptr_equal(st[1].src, probe_source_find("iface"));
	assert_string_equal(st[1].label, "iface eth0");
	assert_string_equal(json_string_value(json_object_get(st[1].opts,
	    "interface")), "eth0");
	assert_string_equal(st[2].label, "http");
	assert_null(st[2].urls);
	assert_string_equal(st[3].urls[0], "http://127.0.0.1:1/c");
	assert_int_equal(cfg.probe.nsteps[FAM_V6], 1);
	assert_string_equal(cfg.probe.steps[FAM_V6][0].label, "stun");
	config_free(&cfg);
	free(path);
}

static void
test_missing_file(void **state)
{
	struct config	 cfg;
	const char	*err;
	char		*path = xasprintf("%s/does-not-exist.json", tmpdir);

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cap_start();
	assert_int_equal(config_load(&cfg, path, 1), 0);
	err = cap_end();
	assert_string_equal(err, "");
	assert_null(cfg.path);
	assert_int_equal(cfg.nrecs, 0);
	config_free(&cfg);

	cap_start();
	assert_int_equal(config_load(&cfg, path, 0), -1);
	err = cap_end();
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, strerror(ENOENT)));
	config_free(&cfg);
	free(path);
}

static void
test_comments_kept_in_strings(void **state)
{
	struct config	 cfg;
	const char	*err;

	(void)state;
	assert_int_equal(load_text(&cfg,
	    "{ // a comment\n"
	    "  \"state\": \"/http://x/#y//z/*w*/\", /* c */\n"
	    "  # another\n"
	    "  \"cafile\": \"/q\\\"//r\"\n"
	    "}\n", 0600, &err, NULL), 0);
	assert_string_equal(err, "");
	assert_string_equal(cfg.state_path, "/http://x/#y//z/*w*/");
	assert_string_equal(cfg.cafile, "/q\"//r");
	config_free(&cfg);
}

static void
test_values(void **state)
{
	struct config	 cfg;
	const char	*err;
	char		*path;

	(void)state;
	assert_int_equal(load_text(&cfg,
	    "{\n"
	    "  \"state\": \"/tmp/st.json\", \"max_age\": \"12h\",\n"
	    "  \"probe\": { \"ipv4\": [\"http://127.0.0.1:1/a\", "
	    "\"http://127.0.0.1:1/b\"], \"timeout\": 0.25, \"deadline\": 3,"
	    " \"quorum\": 2, \"allow_nonpublic\": [\"documentation\"],"
	    " \"insecure\": [\"https://127.0.0.1:1/\"] },\n"
	    "  \"records\": [\n"
	    "    { \"name\": \"Home.Example.com.\", \"provider\": "
	    "\"cloudflare\", \"types\": [\"AAAA\", \"A\"], \"ttl\": 120,"
	    " \"zone\": \"example.com\", \"insecure\": true @cloudflare@ },\n"
	    "    { \"name\": \"b.example.com\", \"provider\": \"cloudflare\""
	    " @cloudflare@ }\n"
	    "  ]\n"
	    "}\n", 0600, &err, &path), 0);
	assert_string_equal(err, "");
	assert_string_equal(cfg.path, path);
	assert_string_equal(cfg.state_path, "/tmp/st.json");
	assert_int_equal(cfg.max_age, 12 * 3600);
	assert_int_equal(cfg.probe.nsteps[FAM_V4], 1);
	assert_string_equal(cfg.probe.steps[FAM_V4][0].label, "http");
	assert_string_equal(cfg.probe.steps[FAM_V4][0].urls[0],
	    "http://127.0.0.1:1/a");
	assert_string_equal(cfg.probe.steps[FAM_V4][0].urls[1],
	    "http://127.0.0.1:1/b");
	assert_null(cfg.probe.steps[FAM_V4][0].urls[2]);
	assert_null(cfg.probe.steps[FAM_V6]);
	assert_int_equal(cfg.probe.timeout_ms, 250);
	assert_int_equal(cfg.probe.deadline_ms, 3000);
	assert_int_equal(cfg.probe.quorum, 2);
	assert_true(cfg.probe.allow != 0);
	assert_int_equal(cfg.probe.allow, addr_range_bit("documentation"));
	assert_string_equal(cfg.probe.insecure[0], "https://127.0.0.1:1/");
	assert_int_equal(cfg.nrecs, 2);
	assert_string_equal(cfg.recs[0].name, "Home.Example.com");
	assert_string_equal(cfg.recs[0].zone, "example.com");
	assert_ptr_equal(cfg.recs[0].prov, provider_find("cloudflare"));
	assert_int_equal(cfg.recs[0].types, TYPE_A | TYPE_AAAA);
	assert_int_equal(cfg.recs[0].ttl, 120);
	assert_int_equal(rec_bool(&cfg.recs[0], "insecure", 0), 1);
	assert_int_equal(cfg.recs[0].selected, 1);
	assert_int_equal(strlen(cfg.recs[0].hash), 16);
	assert_int_equal(cfg.recs[1].types, TYPE_A);
	assert_int_equal(cfg.recs[1].ttl, 0);
	assert_null(cfg.recs[1].zone);
	assert_int_equal(rec_bool(&cfg.recs[1], "insecure", 0), 0);
	assert_int_equal(rec_bool(&cfg.recs[1], "insecure", 1), 1);
	config_free(&cfg);
	free(path);

	assert_int_equal(load_text(&cfg,
	    "{\"max_age\": 90, \"probe\": {\"allow_nonpublic\": true}}",
	    0600, &err, NULL), 0);
	assert_int_equal(cfg.max_age, 90);
	assert_int_equal(cfg.probe.allow, ADDR_ALLOW_ALL);
	config_free(&cfg);
}

static void
test_env_and_file_secrets(void **state)
{
	struct config	 cfg;
	const char	*err;
	char		*sec, *text, *red;

	(void)state;
	setenv("DDNSUP_TEST_TOKEN", "env-token-2b9e71", 1);
	assert_int_equal(load_text(&cfg,
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"token\": {\"env\": \"DDNSUP_TEST_TOKEN\"}"
	    " @cloudflare@}]}", 0644, &err, NULL), 0);
	/* No inline secret: no mode warning even at 0644. */
	assert_string_equal(err, "");
	assert_int_equal(cfg.secrets, 0);
	assert_string_equal(rec_str(&cfg.recs[0], "token"), "env-token-2b9e71");
	config_free(&cfg);

	/* The trailing newline (and CR LF) of a secret file is stripped. */
	sec = write_file("token", "file-token-5c1d\n", 0600);
	text = xasprintf("{\"records\": [{\"name\": \"a.example.com\", "
	    "\"provider\": \"cloudflare\", \"token\": {\"file\": \"%s\"}"
	    " @cloudflare@}]}", sec);
	assert_int_equal(load_text(&cfg, text, 0644, &err, NULL), 0);
	assert_string_equal(err, "");
	assert_string_equal(rec_str(&cfg.recs[0], "token"), "file-token-5c1d");
	config_free(&cfg);
	free(text);
	free(sec);

	sec = write_file("token", "crlf-token-9a0e\r\n", 0600);
	text = xasprintf("{\"records\": [{\"name\": \"a.example.com\", "
	    "\"provider\": \"cloudflare\", \"token\": {\"file\": \"%s\"}"
	    " @cloudflare@}]}", sec);
	assert_int_equal(load_text(&cfg, text, 0600, &err, NULL), 0);
	assert_string_equal(rec_str(&cfg.recs[0], "token"), "crlf-token-9a0e");
	config_free(&cfg);
	free(text);
	free(sec);

	/* An empty secret file is refused. */
	sec = write_file("token", "\n", 0600);
	text = xasprintf("{\"records\": [{\"name\": \"a.example.com\", "
	    "\"provider\": \"cloudflare\", \"token\": {\"file\": \"%s\"}"
	    " @cloudflare@}]}", sec);
	assert_int_equal(load_text(&cfg, text, 0600, &err, NULL), -1);
	assert_non_null(strstr(err, sec));
	assert_non_null(strstr(err, "records[0].token"));
	config_free(&cfg);
	free(text);
	free(sec);

	/* Secrets read from env and file are registered: never printed. */
	red = log_redact("a env-token-2b9e71 b file-token-5c1d c");
	assert_non_null(red);
	assert_null(strstr(red, "env-token-2b9e71"));
	assert_null(strstr(red, "file-token-5c1d"));
	free(red);
}

static void
test_inline_secret_mode(void **state)
{
	struct config	 cfg;
	const char	*err;
	char		*path;
	static const char text[] =
	    "{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"token\": \"inline-token-88d2\" @cloudflare@}]}";

	(void)state;
	assert_int_equal(load_text(&cfg, text, 0644, &err, &path), 0);
	assert_int_equal(cfg.secrets, 1);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "chmod 600"));
	/* The warning names the file, never the secret. */
	assert_null(strstr(err, "inline-token-88d2"));
	config_free(&cfg);
	free(path);

	assert_int_equal(load_text(&cfg, text, 0640, &err, &path), 0);
	assert_non_null(strstr(err, path));
	config_free(&cfg);
	free(path);

	assert_int_equal(load_text(&cfg, text, 0600, &err, NULL), 0);
	assert_int_equal(cfg.secrets, 1);
	assert_string_equal(err, "");
	config_free(&cfg);

	assert_int_equal(load_text(&cfg, text, 0400, &err, NULL), 0);
	assert_string_equal(err, "");
	config_free(&cfg);

	/* No secret at all: no warning at 0644. */
	assert_int_equal(load_text(&cfg, "{\"max_age\": 60}", 0644, &err,
	    NULL), 0);
	assert_int_equal(cfg.secrets, 0);
	assert_string_equal(err, "");
	config_free(&cfg);
}

/* The hash of the one record in text; fills out[17]. */
static void
hash_of(const char *text, char out[17])
{
	struct config	 cfg;
	const char	*err;

	if (load_text(&cfg, text, 0600, &err, NULL) != 0)
		fail_msg("config refused: %s", err);
	assert_int_equal(cfg.nrecs, 1);
	memcpy(out, cfg.recs[0].hash, 17);
	config_free(&cfg);
}

static void
test_hash(void **state)
{
	char	 a[17], b[17];

	(void)state;
	hash_of("{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"token\": \"tok-one-aaaa\", \"ttl\": 60"
	    " @cloudflare@}]}", a);
	for (size_t i = 0; i < 16; i++)
		assert_true(isxdigit((unsigned char)a[i]));
	assert_int_equal(a[16], '\0');

	/* Whitespace, comments and key order do not change it. */
	hash_of("// comment\n{ \"records\" : [\n  {\n   \"ttl\" : 60,\n"
	    "   \"token\" :  \"tok-one-aaaa\", /* c */\n"
	    "   \"provider\":\"cloudflare\",\"name\":\"a.example.com\""
	    " @cloudflare@\n  }\n ]\n}\n", b);
	assert_string_equal(a, b);

	/* Other records and top-level settings do not change it. */
	hash_of("{\"max_age\": \"1d\", \"records\": [{\"name\": "
	    "\"a.example.com\", \"provider\": \"cloudflare\", \"token\": "
	    "\"tok-one-aaaa\", \"ttl\": 60 @cloudflare@}]}", b);
	assert_string_equal(a, b);

	/* A changed secret does (so fixing a password lifts a hold). */
	hash_of("{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"token\": \"tok-two-bbbb\", \"ttl\": 60"
	    " @cloudflare@}]}", b);
	assert_string_not_equal(a, b);

	/* So does the ttl, the name, the types, the zone. */
	hash_of("{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"token\": \"tok-one-aaaa\", \"ttl\": 61"
	    " @cloudflare@}]}", b);
	assert_string_not_equal(a, b);
	hash_of("{\"records\": [{\"name\": \"b.example.com\", \"provider\": "
	    "\"cloudflare\", \"token\": \"tok-one-aaaa\", \"ttl\": 60"
	    " @cloudflare@}]}", b);
	assert_string_not_equal(a, b);
	hash_of("{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"token\": \"tok-one-aaaa\", \"ttl\": 60, "
	    "\"types\": \"both\" @cloudflare@}]}", b);
	assert_string_not_equal(a, b);
	hash_of("{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"token\": \"tok-one-aaaa\", \"ttl\": 60, "
	    "\"zone\": \"example.com\" @cloudflare@}]}", b);
	assert_string_not_equal(a, b);

	/* A host id and its prefix length change what is pushed: both are
	 * in the hash (and a record without them hashes as before). */
	hash_of("{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"token\": \"tok-one-aaaa\", \"ttl\": 60, "
	    "\"host_id\": \"::1234\" @cloudflare@}]}", b);
	assert_string_not_equal(a, b);
	hash_of("{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"token\": \"tok-one-aaaa\", \"ttl\": 60, "
	    "\"host_id\": \"::1234\", \"prefix_len\": 64 @cloudflare@}]}", a);
	assert_string_equal(a, b);	/* 64 is the default */
	hash_of("{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"token\": \"tok-one-aaaa\", \"ttl\": 60, "
	    "\"host_id\": \"::1234\", \"prefix_len\": 56 @cloudflare@}]}", b);
	assert_string_not_equal(a, b);
	hash_of("{\"records\": [{\"name\": \"a.example.com\", \"provider\": "
	    "\"cloudflare\", \"token\": \"tok-one-aaaa\", \"ttl\": 60, "
	    "\"host_id\": \"::1235\" @cloudflare@}]}", b);
	assert_string_not_equal(a, b);
}

static void
test_typed_provider_keys(void **state)
{
	const struct provider		*p;
	const struct provider_key	*k;
	struct config			 cfg;
	const char			*err;
	char				*text, *req;

	(void)state;
	/* A boolean key takes true/false, and "true"/"false" from env. */
	if ((p = find_key(KEY_BOOL, KEY_SECRET, &k)) != NULL) {
		req = required_except(p, k->name);
		text = xasprintf("{\"records\": [{\"name\": \"a.example.com\","
		    " \"provider\": \"%s\", \"%s\": true%s}]}", p->name,
		    k->name, req);
		assert_int_equal(load_text(&cfg, text, 0600, &err, NULL), 0);
		assert_int_equal(rec_bool(&cfg.recs[0], k->name, 0), 1);
		config_free(&cfg);
		free(text);

		setenv("DDNSUP_TEST_BOOL", "false", 1);
		text = xasprintf("{\"records\": [{\"name\": \"a.example.com\","
		    " \"provider\": \"%s\", \"%s\": {\"env\": "
		    "\"DDNSUP_TEST_BOOL\"}%s}]}", p->name, k->name, req);
		assert_int_equal(load_text(&cfg, text, 0600, &err, NULL), 0);
		assert_int_equal(rec_bool(&cfg.recs[0], k->name, 1), 0);
		config_free(&cfg);
		free(text);

		text = xasprintf("{\"records\": [{\"name\": \"a.example.com\","
		    " \"provider\": \"%s\", \"%s\": \"maybe\"%s}]}", p->name,
		    k->name, req);
		assert_int_equal(load_text(&cfg, text, 0600, &err, NULL), -1);
		assert_non_null(strstr(err, k->name));
		assert_non_null(strstr(err, "true or false"));
		config_free(&cfg);
		free(text);

		text = xasprintf("{\"records\": [{\"name\": \"a.example.com\","
		    " \"provider\": \"%s\", \"%s\": 1%s}]}", p->name,
		    k->name, req);
		assert_int_equal(load_text(&cfg, text, 0600, &err, NULL), -1);
		config_free(&cfg);
		free(text);
		free(req);
	} else
		print_message("SKIPPED: no provider has a boolean key\n");

	/* An integer key takes a number, or digits from env. */
	if ((p = find_key(KEY_INT, KEY_SECRET, &k)) != NULL) {
		req = required_except(p, k->name);
		setenv("DDNSUP_TEST_INT", "42", 1);
		text = xasprintf("{\"records\": [{\"name\": \"a.example.com\","
		    " \"provider\": \"%s\", \"%s\": {\"env\": "
		    "\"DDNSUP_TEST_INT\"}%s}]}", p->name, k->name, req);
		assert_int_equal(load_text(&cfg, text, 0600, &err, NULL), 0);
		assert_int_equal(rec_int(&cfg.recs[0], k->name, 0), 42);
		config_free(&cfg);
		free(text);

		text = xasprintf("{\"records\": [{\"name\": \"a.example.com\","
		    " \"provider\": \"%s\", \"%s\": \"4x\"%s}]}", p->name,
		    k->name, req);
		assert_int_equal(load_text(&cfg, text, 0600, &err, NULL), -1);
		assert_non_null(strstr(err, k->name));
		assert_non_null(strstr(err, "integer"));
		config_free(&cfg);
		free(text);
		free(req);
	} else
		print_message("SKIPPED: no provider has an integer key\n");

	/* A required key that is missing is named. */
	if ((p = find_key(KEY_REQUIRED, 0, &k)) != NULL) {
		req = required_except(p, k->name);
		text = xasprintf("{\"records\": [{\"name\": \"a.example.com\","
		    " \"provider\": \"%s\"%s}]}", p->name, req);
		assert_int_equal(load_text(&cfg, text, 0600, &err, NULL), -1);
		assert_non_null(strstr(err, k->name));
		assert_non_null(strstr(err, p->name));
		config_free(&cfg);
		free(text);
		free(req);
	} else
		print_message("SKIPPED: no provider has a required key\n");
}

static void
test_add_record(void **state)
{
	struct config	 cfg;
	json_t		*obj;
	const char	*err;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	obj = json_pack("{s:s, s:s, s:s}", "name", "a.example.com",
	    "provider", "cloudflare", "token", "cli-token-31ab");
	cap_start();
	assert_int_equal(config_add_record(&cfg, obj, "command line"), 0);
	err = cap_end();
	(void)err;
	assert_int_equal(cfg.nrecs, 1);
	assert_string_equal(rec_str(&cfg.recs[0], "token"), "cli-token-31ab");
	/* The same again is a duplicate, said with the origin. */
	cap_start();
	assert_int_equal(config_add_record(&cfg, obj, "command line"), -1);
	err = cap_end();
	assert_non_null(strstr(err, "command line"));
	json_decref(obj);

	obj = json_pack("{s:s, s:s}", "name", "b.example.com", "provider",
	    "nosuchprovider");
	cap_start();
	assert_int_equal(config_add_record(&cfg, obj, "command line"), -1);
	err = cap_end();
	assert_non_null(strstr(err, "command line"));
	assert_non_null(strstr(err, "nosuchprovider"));
	json_decref(obj);
	config_free(&cfg);
}

static void
test_relative_paths(void **state)
{
	struct config	 cfg;
	const char	*err;
	char		*want, *sec, *base, *text;

	(void)state;
	/* Relative to the config file's directory, not the working one. */
	assert_int_equal(load_text(&cfg, "{\"state\": \"sub/st.json\", "
	    "\"cafile\": \"ca.pem\"}", 0600, &err, NULL), 0);
	want = xasprintf("%s/sub/st.json", tmpdir);
	assert_string_equal(cfg.state_path, want);
	free(want);
	want = xasprintf("%s/ca.pem", tmpdir);
	assert_string_equal(cfg.cafile, want);
	free(want);
	config_free(&cfg);

	sec = write_file("rel-token", "rel-token-4d4d\n", 0600);
	base = strrchr(sec, '/') + 1;
	text = xasprintf("{\"records\": [{\"name\": \"a.example.com\", "
	    "\"provider\": \"cloudflare\", \"token\": {\"file\": \"%s\"}"
	    " @cloudflare@}]}", base);
	assert_int_equal(load_text(&cfg, text, 0600, &err, NULL), 0);
	assert_string_equal(err, "");
	assert_string_equal(rec_str(&cfg.recs[0], "token"), "rel-token-4d4d");
	config_free(&cfg);

	/* A secret file others can read draws the warning too. */
	assert_int_equal(chmod(sec, 0644), 0);
	assert_int_equal(load_text(&cfg, text, 0600, &err, NULL), 0);
	assert_non_null(strstr(err, sec));
	assert_null(strstr(err, "rel-token-4d4d"));
	config_free(&cfg);
	free(text);
	free(sec);
}

/* ---- durations, accessors, default paths ----------------------------- */

static void
test_duration(void **state)
{
	static const struct {
		const char	*in;
		long		 want;
	} t[] = {
		{ "0", 0 }, { "90", 90 }, { "30s", 30 }, { "15m", 900 },
		{ "12h", 43200 }, { "3d", 259200 }, { "1d", 86400 },
		{ "", -1 }, { "s", -1 }, { "x", -1 }, { "5x", -1 },
		{ "5mm", -1 }, { "5 m", -1 }, { "-5", -1 }, { "-5m", -1 },
		{ "1.5h", -1 }, { "3D", -1 }, { "3w", -1 },
		{ "99999999999999999999", -1 },
		/* n * unit past LONG_MAX must not wrap round. */
		{ "1000000000000000d", -1 },
		{ "9223372036854775807m", -1 },
	};
	size_t	 i;
	int	 bad = 0;
	long	 got;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		got = config_duration(t[i].in);
		if (got != t[i].want) {
			print_error("config_duration(\"%s\") = %ld, want %ld\n",
			    t[i].in, got, t[i].want);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void
test_accessors(void **state)
{
	struct record	 r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.opts = json_pack("{s:s, s:I, s:b, s:b, s:s, s:i}", "s", "value",
	    "n", (json_int_t)123456789, "t", 1, "f", 0, "ns", "17", "sb", 1);
	assert_non_null(r.opts);
	assert_string_equal(rec_str(&r, "s"), "value");
	assert_null(rec_str(&r, "missing"));
	assert_null(rec_str(&r, "n"));		/* not a string */
	assert_int_equal(rec_int(&r, "n", -1), 123456789);
	assert_int_equal(rec_int(&r, "missing", -7), -7);
	assert_int_equal(rec_int(&r, "s", 5), 5);	/* not a number */
	assert_int_equal(rec_bool(&r, "t", 0), 1);
	assert_int_equal(rec_bool(&r, "f", 1), 0);
	assert_int_equal(rec_bool(&r, "missing", 1), 1);
	assert_int_equal(rec_bool(&r, "missing", 0), 0);
	assert_int_equal(rec_bool(&r, "s", 1), 1);	/* not a boolean */
	json_decref(r.opts);

	/* A record without options answers the defaults. */
	r.opts = NULL;
	assert_null(rec_str(&r, "s"));
	assert_int_equal(rec_int(&r, "n", 3), 3);
	assert_int_equal(rec_bool(&r, "t", 1), 1);
}

/* Call fn with the environment set as told, as user uid (-1: as is) in a
 * child process; returns its malloc'd answer. */
static char *
default_in_child(char *(*fn)(void), uid_t uid)
{
	int	 fd[2], st;
	pid_t	 pid;
	char	 buf[1024];
	ssize_t	 n;
	size_t	 len = 0;

	assert_int_equal(pipe(fd), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char	*s;

		close(fd[0]);
		if (uid != (uid_t)-1 && setuid(uid) == -1)
			_exit(3);
		s = fn();
		if (s != NULL)
			(void)!write(fd[1], s, strlen(s));
		_exit(s == NULL ? 2 : 0);
	}
	close(fd[1]);
	while ((n = read(fd[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(fd[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 3)
		return NULL;
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return strdup(buf);
}

/* Check fn under the variables, as the current user and (when we are
 * root) as an ordinary one too. */
static void
check_defaults(char *(*fn)(void), const char *envvar, const char *xdgvar,
    const char *sysdefault, const char *xdgtail, const char *hometail)
{
	char	*s, *want;
	uid_t	 users[2];
	size_t	 nu = 0, i;

	users[nu++] = geteuid();
	if (geteuid() == 0)
		users[nu++] = 65534;	/* nobody */

	/* The environment variable wins for everyone. */
	setenv(envvar, "/tmp/from-env.json", 1);
	for (i = 0; i < nu; i++) {
		s = default_in_child(fn, users[i] == geteuid() ? (uid_t)-1 :
		    users[i]);
		if (s == NULL) {
			print_message("SKIPPED: cannot become uid %u\n",
			    (unsigned)users[i]);
			continue;
		}
		assert_string_equal(s, "/tmp/from-env.json");
		free(s);
	}
	/* Empty is as good as unset. */
	setenv(envvar, "", 1);
	s = fn();
	assert_non_null(s);
	assert_string_not_equal(s, "");
	free(s);
	unsetenv(envvar);

	setenv("HOME", "/home/someone", 1);
	setenv(xdgvar, "/xdg/dir", 1);
	for (i = 0; i < nu; i++) {
		s = default_in_child(fn, users[i] == geteuid() ? (uid_t)-1 :
		    users[i]);
		if (s == NULL)
			continue;
		if (users[i] == 0)
			assert_string_equal(s, sysdefault);
		else {
			want = xasprintf("/xdg/dir/%s", xdgtail);
			assert_string_equal(s, want);
			free(want);
		}
		free(s);
	}
	/* XDG unset, or relative (ignored per the XDG spec): $HOME/... */
	for (int rel = 0; rel < 2; rel++) {
		if (rel)
			setenv(xdgvar, "relative/dir", 1);
		else
			unsetenv(xdgvar);
		for (i = 0; i < nu; i++) {
			s = default_in_child(fn, users[i] == geteuid() ?
			    (uid_t)-1 : users[i]);
			if (s == NULL)
				continue;
			if (users[i] == 0)
				assert_string_equal(s, sysdefault);
			else {
				want = xasprintf("/home/someone/%s/%s",
				    hometail, xdgtail);
				assert_string_equal(s, want);
				free(want);
			}
			free(s);
		}
	}
	unsetenv(xdgvar);
}

static void
test_default_paths(void **state)
{
	char	*home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;

	(void)state;
	check_defaults(config_default_path, "DDNSUP_CONFIG", "XDG_CONFIG_HOME",
	    "/etc/ddnsup/ddnsup.json", "ddnsup/ddnsup.json", ".config");
	check_defaults(config_default_state, "DDNSUP_STATE", "XDG_STATE_HOME",
	    "/var/lib/ddnsup/state.json", "ddnsup/state.json",
	    ".local/state");
	if (home != NULL) {
		setenv("HOME", home, 1);
		free(home);
	}
}

/* ---- setup ------------------------------------------------------------ */

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ddnsup-test-config-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char	*cmd;

	(void)state;
	cmd = xasprintf("rm -rf '%s'", tmpdir);
	if (cmd != NULL && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	free(cmd);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_comments_kept_in_strings),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_env_and_file_secrets),
		cmocka_unit_test(test_inline_secret_mode),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_typed_provider_keys),
		cmocka_unit_test(test_add_record),
		cmocka_unit_test(test_relative_paths),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_accessors),
		cmocka_unit_test(test_default_paths),
		cmocka_unit_test(test_probe_steps),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
