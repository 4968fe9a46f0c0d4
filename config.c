/*
 * The configuration: a JSON file (with //, # and slash-star comments, which
 * we blank out before jansson sees the text so that line and column numbers
 * stay right) turned into the plan, a list of records.
 *
 * jansson does not remember where a value was, so for errors found after
 * parsing (unknown key, wrong type) we find the key again in the text with
 * a small scanner: every message names file:line:col and the key.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifndef _WIN32
#include <unistd.h>
#endif

#include <openssl/evp.h>

#include "ddnsup.h"
#include "probe/probe.h"

#define CONFIG_MAX	(1024 * 1024)
#define SECRET_MAX	(64 * 1024)

/* One step of a path into the document: an object key or an array index. */
struct step {
	const char	*key;		/* NULL: idx */
	size_t		 idx;
};

struct ctx {
	const char	*file;		/* for messages */
	char		*dir;		/* relative paths start here, or NULL */
	const char	*text;		/* comment-stripped text, or NULL */
	struct step	 path[4];
	size_t		 depth;
};

static const char *const top_keys[] = {
	"cafile", "max_age", "probe", "records", "state", NULL
};
static const char *const probe_keys[] = {
	"allow_nonpublic", "deadline", "insecure", "ipv4", "ipv6", "nat_ok",
	"quorum", "timeout", NULL
};
static const char *const common_keys[] = {
	"host_id", "insecure", "name", "prefix_len", "provider", "ttl",
	"types", "zone", NULL
};

/* ---- finding a key in the text again ------------------------------- */

static const char *
skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* Past the string starting at p ('"'), or NULL. */
static const char *
skip_string(const char *p)
{
	for (p++; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return NULL;
}

/* Past the value starting at p, or NULL. */
static const char *
skip_value(const char *p)
{
	int	 depth = 0;

	p = skip_ws(p);
	do {
		if (*p == '\0')
			return NULL;
		if (*p == '"') {
			if ((p = skip_string(p)) == NULL)
				return NULL;
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']')
			depth--;
		else if (depth == 0 && (*p == ',' || isspace((unsigned char)*p)))
			return p;
		p++;
	} while (depth > 0 || (*p != ',' && *p != '}' && *p != ']' &&
	    !isspace((unsigned char)*p) && *p != '\0'));
	return p;
}

/*
 * Where the last step of path is in text: the key's opening quote for a
 * key, the value for an index. Returns the deepest position found (the
 * enclosing value when a step is missing), never NULL.
 */
static const char *
locate(const char *text, const struct step *path, size_t n)
{
	const char	*p = skip_ws(text), *best = p, *k, *e;
	size_t		 i, idx, klen;

	for (i = 0; i < n; i++) {
		if (path[i].key != NULL) {
			if (*p != '{')
				return best;
			klen = strlen(path[i].key);
			p = skip_ws(p + 1);
			for (;;) {
				if (*p != '"')
					return best;
				k = p;
				if ((e = skip_string(p)) == NULL)
					return best;
				p = skip_ws(e);
				if (*p != ':')
					return best;
				p = skip_ws(p + 1);
				if ((size_t)(e - k - 2) == klen &&
				    strncmp(k + 1, path[i].key, klen) == 0) {
					best = (i + 1 == n) ? k : p;
					break;
				}
				if ((p = skip_value(p)) == NULL)
					return best;
				p = skip_ws(p);
				if (*p != ',')
					return best;
				p = skip_ws(p + 1);
			}
		} else {
			if (*p != '[')
				return best;
			p = skip_ws(p + 1);
			for (idx = 0; idx < path[i].idx; idx++) {
				if ((p = skip_value(p)) == NULL)
					return best;
				p = skip_ws(p);
				if (*p != ',')
					return best;
				p = skip_ws(p + 1);
			}
			best = p;
		}
	}
	return best;
}

/* Print "file:line:col: path: message" for the current path. */
static void
cfg_err(struct ctx *c, const char *fmt, ...)
	__attribute__((format(PRINTF_FMT, 2, 3)));

static void
cfg_err(struct ctx *c, const char *fmt, ...)
{
	va_list		 ap;
	char		 msg[512], where[128] = "";
	const char	*p, *q;
	size_t		 i, line = 1, col = 1, len = 0;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	for (i = 0; i < c->depth && len < sizeof(where) - 32; i++) {
		if (c->path[i].key != NULL)
			len += snprintf(where + len, sizeof(where) - len,
			    "%s%s", i ? "." : "", c->path[i].key);
		else
			len += snprintf(where + len, sizeof(where) - len,
			    "[%zu]", c->path[i].idx);
	}
	if (c->text != NULL) {
		q = locate(c->text, c->path, c->depth);
		for (p = c->text; p < q; p++) {
			if (*p == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)*p & 0xc0) != 0x80)
				col++;
		}
		log_warnx("%s:%zu:%zu: %s%s%s", c->file, line, col, where,
		    *where ? ": " : "", msg);
	} else
		log_warnx("%s: %s%s%s", c->file, where, *where ? ": " : "",
		    msg);
}

static void
push_key(struct ctx *c, const char *key)
{
	c->path[c->depth].key = key;
	c->path[c->depth++].idx = 0;
}

static void
push_idx(struct ctx *c, size_t idx)
{
	c->path[c->depth].key = NULL;
	c->path[c->depth++].idx = idx;
}

/* ---- helpers --------------------------------------------------------- */

/* Append src to dst of size sz, truncating (strlcat is not everywhere). */
static void
strlcat_(char *dst, const char *src, size_t sz)
{
	size_t	 n = strlen(dst);

	if (n + 1 < sz)
		snprintf(dst + n, sz - n, "%s", src);
}

/* Edit distance with adjacent transpositions counted as one edit (the
 * commonest typo: "tokne"), for "did you mean". */
static size_t
distance(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), i, j, c, v;
	size_t	 d[33][33];

	if (la > 32 || lb > 32)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			c = tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]);
			v = d[i - 1][j - 1] + c;
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

/* The closest of the candidates to s, or NULL if none is close. */
static const char *
nearest(const char *s, const char *const *cands, const struct provider_key *pk)
{
	const char	*best = NULL;
	size_t		 d, bd = 3;

	for (; cands != NULL && *cands != NULL; cands++)
		if ((d = distance(s, *cands)) < bd) {
			bd = d;
			best = *cands;
		}
	for (; pk != NULL && pk->name != NULL; pk++)
		if ((d = distance(s, pk->name)) < bd) {
			bd = d;
			best = pk->name;
		}
	return best;
}

static int
in_list(const char *s, const char *const *l)
{
	for (; *l != NULL; l++)
		if (strcmp(s, *l) == 0)
			return 1;
	return 0;
}

/* Refuse keys of obj not in known (or pk); 0/-1. */
static int
check_keys(struct ctx *c, json_t *obj, const char *const *known,
    const struct provider_key *pk)
{
	const char			*key, *near;
	json_t				*v;
	const struct provider_key	*k;

	json_object_foreach(obj, key, v) {
		if (known != NULL && in_list(key, known))
			continue;
		for (k = pk; k != NULL && k->name != NULL; k++)
			if (strcmp(k->name, key) == 0)
				break;
		if (k != NULL && k->name != NULL)
			continue;
		push_key(c, key);
		near = nearest(key, known, pk);
		if (near != NULL)
			cfg_err(c, "unknown key \"%s\" (did you mean \"%s\"?)",
			    key, near);
		else
			cfg_err(c, "unknown key \"%s\"", key);
		return -1;
	}
	return 0;
}

/* Seconds in "90", "30s", "15m", "12h", "3d"; -1 if malformed or more
 * than ten years. */
long
config_duration(const char *s)
{
	char	*end;
	long	 n, unit = 1;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || n < 0)
		return -1;
	switch (*end) {
	case '\0':
	case 's':
		break;
	case 'm':
		unit = 60;
		break;
	case 'h':
		unit = 3600;
		break;
	case 'd':
		unit = 86400;
		break;
	default:
		return -1;
	}
	if (*end != '\0' && end[1] != '\0')
		return -1;
	if (n > 10L * 366 * 86400 / unit)
		return -1;
	return n * unit;
}

/* Milliseconds from a number of seconds (fractions allowed); -1 if bad. */
static long
get_ms(json_t *v)
{
	double	 d;

	if (!json_is_number(v))
		return -1;
	d = json_number_value(v);
	if (d <= 0 || d > 3600)
		return -1;
	return (long)(d * 1000);
}

/* A malloc'd NULL-ended copy of an array of strings, or NULL (error said). */
static char **
get_strv(struct ctx *c, json_t *v)
{
	char	**out;
	size_t	  i;
	json_t	 *e;

	if (!json_is_array(v)) {
		cfg_err(c, "expected a list of strings");
		return NULL;
	}
	if ((out = calloc(json_array_size(v) + 1, sizeof(*out))) == NULL)
		return NULL;
	json_array_foreach(v, i, e) {
		if (!json_is_string(e) || json_string_length(e) == 0) {
			push_idx(c, i);
			cfg_err(c, "expected a non-empty string");
			c->depth--;
			goto fail;
		}
		if ((out[i] = strdup(json_string_value(e))) == NULL)
			goto fail;
	}
	return out;
fail:
	for (i = 0; out[i] != NULL; i++)
		free(out[i]);
	free(out);
	return NULL;
}

static void
strv_free(char **v)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* Read a whole file into a NUL-terminated buffer; NULL with errno. */
static char *
slurp(const char *path, size_t max, size_t *lenp)
{
	FILE	*f;
	char	*buf;
	size_t	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if ((buf = malloc(max + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, max + 1, f);
	if (ferror(f) || n > max) {
		if (!ferror(f))
			errno = EFBIG;
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (lenp != NULL)
		*lenp = n;
	return buf;
}

/* Blank out comments outside strings, keeping newlines (and so positions). */
static void
strip_comments(char *s)
{
	int	 instr = 0;

	for (; *s != '\0'; s++) {
		if (instr) {
			if (*s == '\\' && s[1] != '\0')
				s++;
			else if (*s == '"')
				instr = 0;
		} else if (*s == '"')
			instr = 1;
		else if (*s == '#' || (*s == '/' && s[1] == '/')) {
			while (*s != '\0' && *s != '\n')
				*s++ = ' ';
			if (*s == '\0')
				return;
		} else if (*s == '/' && s[1] == '*') {
			*s++ = ' ';
			*s = ' ';
			while (s[1] != '\0' && !(s[1] == '*' && s[2] == '/')) {
				s++;
				if (*s != '\n')
					*s = ' ';
			}
			if (s[1] == '\0')
				return;
			s[1] = s[2] = ' ';
			s += 2;
		}
	}
}

/*
 * p made absolute against the config file's directory, so that a run from
 * cron or the Task Scheduler (working directory / or System32) finds the
 * same files as one from the shell. malloc'd.
 */
static char *
rel_path(const struct ctx *c, const char *p)
{
	int	 abs = p[0] == '/' || p[0] == '\\' ||
	    (isalpha((unsigned char)p[0]) && p[1] == ':');

	if (abs || c->dir == NULL)
		return strdup(p);
#ifdef _WIN32
	/* Joined the way the config's own path is spelled. */
	if (strchr(c->dir, '\\') != NULL)
		return xasprintf("%s\\%s", c->dir, p);
#endif
	return xasprintf("%s/%s", c->dir, p);
}

/* Warn when path, which holds credentials, can be read by other users. */
static void
warn_readable(const char *path)
{
#ifndef _WIN32
	struct stat	 sb;

	if (stat(path, &sb) == 0 && (sb.st_mode & 077) != 0)
		log_warnx("%s holds credentials and is readable by other "
		    "users: chmod 600 %s", path, path);
#else
	(void)path;
#endif
}

/* A secret read from a file: trailing newlines dropped. New reference or
 * NULL (error said). */
static json_t *
secret_file(struct ctx *c, const char *file)
{
	char	*buf;
	size_t	 len;
	json_t	*out;

	if ((buf = slurp(file, SECRET_MAX, &len)) == NULL) {
		cfg_err(c, "%s: %s", file, strerror(errno));
		return NULL;
	}
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	if (len == 0 || strlen(buf) != len) {
		cfg_err(c, "%s: empty or not text", file);
		free(buf);
		return NULL;
	}
	out = json_string(buf);
	free(buf);
	if (out == NULL)
		cfg_err(c, "%s: not UTF-8 text", file);
	else
		warn_readable(file);
	return out;
}

/*
 * A provider value: a string, number or boolean as given, or read from
 * {"env": VAR}, {"file": PATH} or {"credential": NAME} (systemd's
 * LoadCredential=, in $CREDENTIALS_DIRECTORY). New reference, or NULL
 * (error said).
 */
static json_t *
resolve(struct ctx *c, json_t *v, int *inline_secret, int secret)
{
	const char	*var, *dir;
	char		*path;
	json_t		*out;

	if (json_is_object(v) && json_object_size(v) == 1 &&
	    (json_object_get(v, "env") || json_object_get(v, "file") ||
	    json_object_get(v, "credential"))) {
		if (json_unpack(v, "{s:s}", "env", &var) == 0) {
			if ((var = getenv(var)) == NULL || *var == '\0') {
				cfg_err(c, "environment variable %s is not set",
				    json_string_value(json_object_get(v,
				    "env")));
				return NULL;
			}
			return json_string(var);
		}
		if (json_unpack(v, "{s:s}", "file", &var) == 0) {
			if ((path = rel_path(c, var)) == NULL)
				return NULL;
			out = secret_file(c, path);
			free(path);
			return out;
		}
		if (json_unpack(v, "{s:s}", "credential", &var) == 0) {
			if ((dir = getenv("CREDENTIALS_DIRECTORY")) == NULL ||
			    *dir == '\0') {
				cfg_err(c, "credential %s: $CREDENTIALS_DIRECTORY "
				    "is not set (LoadCredential= in the systemd "
				    "unit sets it)", var);
				return NULL;
			}
			if (strchr(var, '/') != NULL || *var == '\0') {
				cfg_err(c, "credential %s: expected a name", var);
				return NULL;
			}
			if ((path = xasprintf("%s/%s", dir, var)) == NULL)
				return NULL;
			out = secret_file(c, path);
			free(path);
			return out;
		}
		cfg_err(c, "expected {\"env\": \"NAME\"}, {\"file\": \"PATH\"} or "
		    "{\"credential\": \"NAME\"}");
		return NULL;
	}
	if (secret && json_is_string(v))
		*inline_secret = 1;
	return json_incref(v);
}

/* Syntax check of a DNS name (no trailing dot); NULL or what is wrong. */
static const char *
bad_name(const char *n)
{
	size_t	 len = strlen(n), lab = 0;

	if (len == 0)
		return "empty name";
	if (len > 253)
		return "name longer than 253 characters";
	for (; *n != '\0'; n++) {
		if (*n == '.') {
			if (lab == 0)
				return "empty label";
			lab = 0;
			continue;
		}
		if (++lab > 63)
			return "label longer than 63 characters";
		if ((unsigned char)*n < 0x80 && !isalnum((unsigned char)*n) &&
		    *n != '-' && *n != '_' && *n != '*' && *n != '@')
			return "character not allowed in a DNS name";
	}
	return NULL;
}

/* First 16 hex digits of SHA-256 of s into out[17]. */
static void
hash16(const char *s, char out[17])
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0;
	size_t		 i;

	EVP_Digest(s, strlen(s), md, &mdlen, EVP_sha256(), NULL);
	for (i = 0; i < 8; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* ---- records ---------------------------------------------------------- */

static int
parse_types(struct ctx *c, json_t *v, int *types)
{
	json_t		*e;
	size_t		 i;
	const char	*s;

	*types = 0;
	if (json_is_string(v)) {
		s = json_string_value(v);
		if (strcmp(s, "both") == 0) {
			*types = TYPE_A | TYPE_AAAA;
			return 0;
		}
		v = json_pack("[s]", s);
	} else if (json_is_array(v))
		json_incref(v);
	else {
		cfg_err(c, "expected \"A\", \"AAAA\" or [\"A\", \"AAAA\"]");
		return -1;
	}
	json_array_foreach(v, i, e) {
		s = json_string_value(e);
		if (s != NULL && strcmp(s, "A") == 0)
			*types |= TYPE_A;
		else if (s != NULL && strcmp(s, "AAAA") == 0)
			*types |= TYPE_AAAA;
		else {
			cfg_err(c, "record type must be \"A\" or \"AAAA\"");
			json_decref(v);
			return -1;
		}
	}
	json_decref(v);
	if (*types == 0) {
		cfg_err(c, "no record type");
		return -1;
	}
	return 0;
}

/* Parse one record object into cfg->recs; 0/-1 (error said). */
/*
 * The record keys host_id and prefix_len of obj into r: the AAAA address
 * pushed is then the public prefix with this host id. 0/-1 (error said).
 */
static int
parse_host_id(struct ctx *c, json_t *obj, struct record *r)
{
	json_t		*h, *l;
	const char	*why;

	h = json_object_get(obj, "host_id");
	l = json_object_get(obj, "prefix_len");
	r->prefix_len = 64;
	if (l != NULL) {
		push_key(c, "prefix_len");
		if (h == NULL) {
			cfg_err(c, "goes with \"host_id\"; without one the "
			    "learned address is pushed whole");
			return -1;
		}
		if (!json_is_integer(l) || json_integer_value(l) < 1 ||
		    json_integer_value(l) > 127) {
			cfg_err(c, "expected an integer from 1 to 127");
			return -1;
		}
		r->prefix_len = (int)json_integer_value(l);
		c->depth--;
	}
	if (h == NULL)
		return 0;
	push_key(c, "host_id");
	if (!json_is_string(h)) {
		cfg_err(c, "expected a string such as \"::1234\" or "
		    "\"00:11:22:33:44:55\"");
		return -1;
	}
	if (addr_host_id(json_string_value(h), r->prefix_len, r->host_id,
	    &why) == -1) {
		cfg_err(c, "\"%s\" with a /%d prefix: %s",
		    json_string_value(h), r->prefix_len, why);
		return -1;
	}
	r->host_set = 1;
	c->depth--;
	return 0;
}

static int
parse_record(struct config *cfg, struct ctx *c, json_t *obj)
{
	struct record			 r, *nr;
	const struct provider		*p;
	const struct provider_key	*k;
	const char			*s, *near;
	json_t				*v, *rv;
	char				*dump, *end;
	size_t				 i, nl, zl, names = 0;
	int				 secret, inl = 0;

	memset(&r, 0, sizeof(r));
	r.types = TYPE_A;
	if (!json_is_object(obj)) {
		cfg_err(c, "expected an object");
		return -1;
	}
	if ((s = json_string_value(json_object_get(obj, "provider"))) == NULL) {
		char	 list[512] = "";

		for (i = 0; providers[i] != NULL; i++) {
			strlcat_(list, i ? ", " : "", sizeof(list));
			strlcat_(list, providers[i]->name, sizeof(list));
		}
		push_key(c, "provider");
		cfg_err(c, "%s (one of: %s)", json_object_get(obj, "provider") ?
		    "expected a string" : "missing", list);
		return -1;
	}
	if ((p = provider_find(s)) == NULL) {
		const char	*names_[64];

		for (i = 0; i < 63 && providers[i] != NULL; i++)
			names_[i] = providers[i]->name;
		names_[i] = NULL;
		push_key(c, "provider");
		if ((near = nearest(s, names_, NULL)) != NULL)
			cfg_err(c, "unknown provider \"%s\" (did you mean "
			    "\"%s\"?)", s, near);
		else
			cfg_err(c, "unknown provider \"%s\"", s);
		return -1;
	}
	r.prov = p;
	if (check_keys(c, obj, common_keys, p->keys) == -1)
		return -1;

	if ((s = json_string_value(json_object_get(obj, "name"))) == NULL) {
		push_key(c, "name");
		cfg_err(c, "missing or not a string");
		return -1;
	}
	push_key(c, "name");
	if ((r.name = strdup(s)) == NULL)
		return -1;
	i = strlen(r.name);
	if (i > 1 && r.name[i - 1] == '.')
		r.name[i - 1] = '\0';
	if ((s = bad_name(r.name)) != NULL) {
		cfg_err(c, "\"%s\": %s", r.name, s);
		goto fail;
	}
	c->depth--;

	if ((v = json_object_get(obj, "zone")) != NULL) {
		push_key(c, "zone");
		if (!json_is_string(v) || bad_name(json_string_value(v))) {
			cfg_err(c, "expected a DNS zone name");
			goto fail;
		}
		if ((r.zone = strdup(json_string_value(v))) == NULL)
			goto fail;
		i = strlen(r.zone);
		if (i > 1 && r.zone[i - 1] == '.')
			r.zone[i - 1] = '\0';
		nl = strlen(r.name);
		zl = strlen(r.zone);
		if (strcasecmp(r.name, r.zone) != 0 && (zl >= nl ||
		    r.name[nl - zl - 1] != '.' ||
		    strcasecmp(r.name + nl - zl, r.zone) != 0)) {
			cfg_err(c, "\"%s\" is not inside zone \"%s\"", r.name,
			    r.zone);
			goto fail;
		}
		c->depth--;
	}
	if ((v = json_object_get(obj, "types")) != NULL) {
		push_key(c, "types");
		if (parse_types(c, v, &r.types) == -1)
			goto fail;
		c->depth--;
	}
	if ((v = json_object_get(obj, "ttl")) != NULL) {
		push_key(c, "ttl");
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 604800) {
			cfg_err(c, "expected seconds from 0 to 604800");
			goto fail;
		}
		r.ttl = (long)json_integer_value(v);
		c->depth--;
	}
	if (parse_host_id(c, obj, &r) == -1)
		goto fail;
	if ((v = json_object_get(obj, "insecure")) != NULL &&
	    !json_is_boolean(v)) {
		push_key(c, "insecure");
		cfg_err(c, "expected true or false");
		goto fail;
	}

	/* Provider keys: resolve env/file, check types and requirements. */
	if ((r.opts = json_object()) == NULL)
		goto fail;
	for (k = p->keys; k->name != NULL; k++) {
		names++;
		if ((v = json_object_get(obj, k->name)) == NULL) {
			if (k->flags & KEY_REQUIRED) {
				push_key(c, k->name);
				cfg_err(c, "missing: provider %s needs it",
				    p->name);
				goto fail;
			}
			continue;
		}
		push_key(c, k->name);
		secret = (k->flags & KEY_SECRET) != 0;
		if ((rv = resolve(c, v, &inl, secret)) == NULL)
			goto fail;
		if ((k->flags & KEY_BOOL) && json_is_string(rv) &&
		    (strcmp(json_string_value(rv), "true") == 0 ||
		    strcmp(json_string_value(rv), "false") == 0)) {
			v = json_boolean(json_string_value(rv)[0] == 't');
			json_decref(rv);
			rv = v;
		}
		if ((k->flags & KEY_INT) && json_is_string(rv)) {
			long	 n = strtol(json_string_value(rv), &end, 10);

			if (*end == '\0' && end != json_string_value(rv)) {
				json_decref(rv);
				rv = json_integer(n);
			}
		}
		if (((k->flags & KEY_BOOL) && !json_is_boolean(rv)) ||
		    ((k->flags & KEY_INT) && !json_is_integer(rv)) ||
		    (secret && !json_is_string(rv))) {
			cfg_err(c, "expected %s", (k->flags & KEY_BOOL) ?
			    "true or false" : (k->flags & KEY_INT) ?
			    "an integer" : "a string");
			json_decref(rv);
			goto fail;
		}
		if (secret)
			log_secret(json_string_value(rv));
		json_object_set_new(r.opts, k->name, rv);
		c->depth--;
	}
	if (inl)
		cfg->secrets = 1;
	if ((v = json_object_get(obj, "insecure")) != NULL)
		json_object_set(r.opts, "insecure", v);

	/* The hash covers what decides the pushed record, secrets included,
	 * so that fixing a refused password lifts a hold. */
	v = json_pack("{s:s, s:s, s:s?, s:i, s:I, s:O}", "name", r.name,
	    "provider", p->name, "zone", r.zone, "types", r.types, "ttl",
	    (json_int_t)r.ttl, "opts", r.opts);
	if (v != NULL && r.host_set) {
		json_object_set(v, "host_id", json_object_get(obj, "host_id"));
		json_object_set_new(v, "prefix_len", json_integer(r.prefix_len));
	}
	if (v == NULL || (dump = json_dumps(v, JSON_SORT_KEYS |
	    JSON_COMPACT)) == NULL) {
		json_decref(v);
		goto fail;
	}
	hash16(dump, r.hash);
	free(dump);
	json_decref(v);

	if (p->check != NULL && (dump = p->check(&r)) != NULL) {
		cfg_err(c, "%s", dump);
		free(dump);
		goto fail;
	}
	for (i = 0; i < cfg->nrecs; i++)
		if (strcasecmp(cfg->recs[i].name, r.name) == 0 &&
		    cfg->recs[i].prov == r.prov &&
		    (cfg->recs[i].types & r.types)) {
			cfg_err(c, "record %s is listed twice", r.name);
			goto fail;
		}
	nr = realloc(cfg->recs, (cfg->nrecs + 1) * sizeof(*nr));
	if (nr == NULL)
		goto fail;
	cfg->recs = nr;
	r.selected = 1;
	cfg->recs[cfg->nrecs++] = r;
	return 0;
fail:
	free(r.name);
	free(r.zone);
	json_decref(r.opts);
	return -1;
}

/* Add one record described by obj; 0/-1 (error said). */
int
config_add_record(struct config *cfg, json_t *obj, const char *origin)
{
	struct ctx	 c;

	memset(&c, 0, sizeof(c));
	c.file = origin;
	return parse_record(cfg, &c, obj);
}

/* 1 if s is an http:// or https:// URL (an HTTP endpoint entry). */
static int
is_url(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 ||
	    strncasecmp(s, "https://", 8) == 0;
}

/* Add url to step st's endpoint list; 0/-1 (ENOMEM). */
static int
step_add_url(struct probe_step *st, const char *url)
{
	size_t	  n = 0;
	char	**v;

	while (st->urls != NULL && st->urls[n] != NULL)
		n++;
	if ((v = realloc(st->urls, (n + 2) * sizeof(*v))) == NULL)
		return -1;
	st->urls = v;
	if ((v[n] = strdup(url)) == NULL)
		return -1;
	v[n + 1] = NULL;
	return 0;
}

/*
 * One non-URL entry e of family f: "name", "name:arg" or an object with
 * "source". Fills st (src, opts, label); 0/-1 (error said).
 */
static int
parse_source(struct ctx *c, json_t *e, enum fam f, struct probe_step *st)
{
	const struct probe_source	*src;
	const char			*s, *colon, *key = NULL;
	const char			*known[3];
	char				 name[32], *why = NULL;
	json_t				*v;

	if (json_is_string(e)) {
		s = json_string_value(e);
		colon = strchr(s, ':');
		snprintf(name, sizeof(name), "%.*s",
		    (int)(colon != NULL ? colon - s : (ptrdiff_t)strlen(s)), s);
	} else if (json_is_object(e)) {
		if (!json_is_string(v = json_object_get(e, "source"))) {
			cfg_err(c, "expected a \"source\" naming one of: cmd, "
			    "dns, http, iface, router, stun");
			return -1;
		}
		snprintf(name, sizeof(name), "%s", json_string_value(v));
		colon = NULL;
	} else {
		cfg_err(c, "expected a URL, a source name (\"iface:eth0\", "
		    "\"stun\", ...) or an object with \"source\"");
		return -1;
	}
	if ((src = probe_source_find(name)) == NULL) {
		cfg_err(c, "unknown address source \"%s\" (sources: cmd, dns, "
		    "http, iface, router, stun; endpoints are http:// or "
		    "https:// URLs)", name);
		return -1;
	}
	if (json_is_string(e)) {
		if (colon != NULL && src->shorthand == NULL) {
			cfg_err(c, "source \"%s\" takes no argument after "
			    "\":\"; use an object for its options", name);
			return -1;
		}
		st->opts = json_pack("{s:s}", "source", name);
		if (st->opts != NULL && colon != NULL)
			json_object_set_new(st->opts, src->shorthand,
			    json_string(colon + 1));
	} else
		st->opts = json_deep_copy(e);
	if (st->opts == NULL)
		return -1;
	st->src = src;
	if (src->check != NULL) {
		if (src->check(st->opts, f, &key, &why) == -1) {
			if (key != NULL && json_is_object(e))
				push_key(c, key);
			cfg_err(c, "%s: %s", name, why != NULL ? why :
			    "out of memory");
			free(why);
			return -1;
		}
	} else {
		known[0] = "source";
		known[1] = src->shorthand;
		known[2] = NULL;
		if (check_keys(c, st->opts, known, NULL) == -1)
			return -1;
	}
	v = src->shorthand != NULL ? json_object_get(st->opts,
	    src->shorthand) : NULL;
	if (json_is_array(v))		/* cmd's argv: name the program */
		v = json_array_get(v, 0);
	st->label = json_is_string(v) ? xasprintf("%s %s", name,
	    json_string_value(v)) : strdup(name);
	return st->label == NULL ? -1 : 0;
}

/*
 * Family f's list of address sources v, in order of preference, into
 * pc->steps[f]: consecutive URLs form one http step (they race); every
 * other entry is a step of its own. 0/-1 (error said; what was built is
 * freed by config_free).
 */
static int
parse_steps(struct ctx *c, json_t *v, enum fam f, struct probe_conf *pc)
{
	struct probe_step	*st, *cur = NULL;
	json_t			*e;
	size_t			 i;

	if (!json_is_array(v) || json_array_size(v) == 0) {
		cfg_err(c, "expected a non-empty list of address sources: "
		    "URLs, \"name[:arg]\" strings or objects");
		return -1;
	}
	if ((st = calloc(json_array_size(v), sizeof(*st))) == NULL)
		return -1;
	pc->steps[f] = st;
	json_array_foreach(v, i, e) {
		push_idx(c, i);
		if (json_is_string(e) && json_string_length(e) == 0) {
			cfg_err(c, "expected a non-empty string");
			return -1;
		}
		if (json_is_string(e) && is_url(json_string_value(e))) {
			if (cur == NULL) {
				cur = &st[pc->nsteps[f]++];
				cur->src = &probe_http;
				if ((cur->label = strdup("http")) == NULL)
					return -1;
			}
			if (step_add_url(cur, json_string_value(e)) == -1)
				return -1;
		} else {
			cur = NULL;
			if (parse_source(c, e, f, &st[pc->nsteps[f]++]) == -1)
				return -1;
		}
		c->depth--;
	}
	return 0;
}

static int
parse_probe(struct config *cfg, struct ctx *c, json_t *obj)
{
	struct probe_conf	*pc = &cfg->probe;
	json_t			*v, *e;
	size_t			 i;
	unsigned int		 bit;
	long			 ms;

	if (!json_is_object(obj)) {
		cfg_err(c, "expected an object");
		return -1;
	}
	if (check_keys(c, obj, probe_keys, NULL) == -1)
		return -1;
	if ((v = json_object_get(obj, "ipv4")) != NULL) {
		push_key(c, "ipv4");
		if (parse_steps(c, v, FAM_V4, pc) == -1)
			return -1;
		c->depth--;
	}
	if ((v = json_object_get(obj, "ipv6")) != NULL) {
		push_key(c, "ipv6");
		if (parse_steps(c, v, FAM_V6, pc) == -1)
			return -1;
		c->depth--;
	}
	if ((v = json_object_get(obj, "insecure")) != NULL) {
		push_key(c, "insecure");
		if ((pc->insecure = get_strv(c, v)) == NULL)
			return -1;
		c->depth--;
	}
	if ((v = json_object_get(obj, "timeout")) != NULL) {
		push_key(c, "timeout");
		if ((ms = get_ms(v)) == -1) {
			cfg_err(c, "expected seconds (0 < t <= 3600)");
			return -1;
		}
		pc->timeout_ms = ms;
		c->depth--;
	}
	if ((v = json_object_get(obj, "deadline")) != NULL) {
		push_key(c, "deadline");
		if ((ms = get_ms(v)) == -1) {
			cfg_err(c, "expected seconds (0 < t <= 3600)");
			return -1;
		}
		pc->deadline_ms = ms;
		c->depth--;
	}
	if ((v = json_object_get(obj, "quorum")) != NULL) {
		push_key(c, "quorum");
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > 16) {
			cfg_err(c, "expected an integer from 1 to 16");
			return -1;
		}
		pc->quorum = (int)json_integer_value(v);
		c->depth--;
	}
	if ((v = json_object_get(obj, "nat_ok")) != NULL) {
		push_key(c, "nat_ok");
		if (!json_is_boolean(v)) {
			cfg_err(c, "expected true or false");
			return -1;
		}
		pc->nat_ok = json_is_true(v);
		c->depth--;
	}
	if ((v = json_object_get(obj, "allow_nonpublic")) != NULL) {
		push_key(c, "allow_nonpublic");
		if (json_is_boolean(v))
			pc->allow = json_is_true(v) ? ADDR_ALLOW_ALL : 0;
		else if (json_is_array(v)) {
			json_array_foreach(v, i, e) {
				bit = json_is_string(e) ?
				    addr_range_bit(json_string_value(e)) : 0;
				if (bit == 0) {
					push_idx(c, i);
					cfg_err(c, "unknown address range; use "
					    "names such as \"private\", "
					    "\"cgnat\", \"documentation\"");
					return -1;
				}
				pc->allow |= bit;
			}
		} else {
			cfg_err(c, "expected true, false or a list of range "
			    "names");
			return -1;
		}
		c->depth--;
	}
	return 0;
}

/* Read the config at path; 0/-1 (error said). */
int
config_load(struct config *cfg, const char *path, int missing_ok)
{
	struct ctx	 c;
	json_error_t	 je;
	json_t		*root = NULL, *v, *e;
	char		*text = NULL;
	const char	*s;
	size_t		 i, len;
	long		 n;
	int		 rc = -1;

	memset(&c, 0, sizeof(c));
	c.file = path;
	if ((c.dir = strdup(path)) != NULL) {
		char	*slash = strrchr(c.dir, '/');
#ifdef _WIN32
		char	*bs = strrchr(c.dir, '\\');

		if (bs != NULL && (slash == NULL || bs > slash))
			slash = bs;
#endif
		if (slash == NULL) {
			free(c.dir);
			c.dir = NULL;	/* "x.json": the directory we are in */
		} else if (slash == c.dir)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	if ((text = slurp(path, CONFIG_MAX, &len)) == NULL) {
		int	 en = errno;

		free(c.dir);
		if (en == ENOENT && missing_ok)
			return 0;
		log_warnx("%s: %s", path, en == EFBIG ?
		    "larger than 1 MiB" : strerror(en));
		return -1;
	}
	if ((cfg->path = strdup(path)) == NULL)
		goto out;
	strip_comments(text);
	c.text = text;
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		log_warnx("%s:%d:%d: %s", path, je.line, je.column, je.text);
		goto out;
	}
	if (!json_is_object(root)) {
		cfg_err(&c, "the configuration must be a JSON object {...}");
		goto out;
	}
	if (check_keys(&c, root, top_keys, NULL) == -1)
		goto out;
	if ((v = json_object_get(root, "state")) != NULL) {
		push_key(&c, "state");
		if ((s = json_string_value(v)) == NULL || *s == '\0') {
			cfg_err(&c, "expected a file name");
			goto out;
		}
		free(cfg->state_path);
		if ((cfg->state_path = rel_path(&c, s)) == NULL)
			goto out;
		c.depth--;
	}
	if ((v = json_object_get(root, "cafile")) != NULL) {
		push_key(&c, "cafile");
		if ((s = json_string_value(v)) == NULL || *s == '\0') {
			cfg_err(&c, "expected a file name");
			goto out;
		}
		if ((cfg->cafile = rel_path(&c, s)) == NULL)
			goto out;
		c.depth--;
	}
	if ((v = json_object_get(root, "max_age")) != NULL) {
		push_key(&c, "max_age");
		n = json_is_integer(v) ? (long)json_integer_value(v) :
		    json_is_string(v) ? config_duration(json_string_value(v)) :
		    -1;
		if (n <= 0) {
			cfg_err(&c, "expected seconds or a duration such as "
			    "\"12h\" or \"3d\"");
			goto out;
		}
		cfg->max_age = n;
		c.depth--;
	}
	if ((v = json_object_get(root, "probe")) != NULL) {
		push_key(&c, "probe");
		if (parse_probe(cfg, &c, v) == -1)
			goto out;
		c.depth--;
	}
	if ((v = json_object_get(root, "records")) != NULL) {
		push_key(&c, "records");
		if (!json_is_array(v)) {
			cfg_err(&c, "expected a list of records");
			goto out;
		}
		json_array_foreach(v, i, e) {
			push_idx(&c, i);
			if (parse_record(cfg, &c, e) == -1)
				goto out;
			c.depth--;
		}
		c.depth--;
	}
	if (cfg->secrets)
		warn_readable(path);
	rc = 0;
out:
	json_decref(root);
	free(text);
	free(c.dir);
	return rc;
}

void
config_free(struct config *cfg)
{
	size_t	 i;
	int	 f;

	for (i = 0; i < cfg->nrecs; i++) {
		free(cfg->recs[i].name);
		free(cfg->recs[i].zone);
		json_decref(cfg->recs[i].opts);
	}
	free(cfg->recs);
	for (f = 0; f < FAM_MAX; f++) {
		for (i = 0; i < cfg->probe.nsteps[f]; i++) {
			strv_free(cfg->probe.steps[f][i].urls);
			json_decref(cfg->probe.steps[f][i].opts);
			free(cfg->probe.steps[f][i].label);
		}
		free(cfg->probe.steps[f]);
	}
	strv_free(cfg->probe.insecure);
	free(cfg->path);
	free(cfg->state_path);
	free(cfg->cafile);
	memset(cfg, 0, sizeof(*cfg));
}

/* ---- default paths --------------------------------------------------- */

#ifndef _WIN32
/* $var/sub or $HOME/home/sub, malloc'd; NULL if neither is set. */
static char *
xdg_path(const char *var, const char *home, const char *sub)
{
	const char	*v;

	if ((v = getenv(var)) != NULL && *v == '/')
		return xasprintf("%s/%s", v, sub);
	if ((v = getenv("HOME")) != NULL && *v != '\0')
		return xasprintf("%s/%s/%s", v, home, sub);
	return NULL;
}
#endif

/* The config file to read when -c is not given; malloc'd. */
char *
config_default_path(void)
{
	const char	*e;

	if ((e = getenv("DDNSUP_CONFIG")) != NULL && *e != '\0')
		return strdup(e);
#ifdef _WIN32
	/* A task running as SYSTEM: its profile is under System32; the
	 * machine's own settings belong in ProgramData. */
	if (!compat_is_system() && (e = getenv("APPDATA")) != NULL &&
	    *e != '\0')
		return xasprintf("%s\\ddnsup\\ddnsup.json", e);
	if ((e = getenv("ProgramData")) != NULL && *e != '\0')
		return xasprintf("%s\\ddnsup\\ddnsup.json", e);
	return strdup("C:\\ProgramData\\ddnsup\\ddnsup.json");
#else
	if (geteuid() != 0) {
		char	*p = xdg_path("XDG_CONFIG_HOME", ".config",
		    "ddnsup/ddnsup.json");

		if (p != NULL)
			return p;
	}
	return strdup("/etc/ddnsup/ddnsup.json");
#endif
}

/* The state file when neither --state nor "state" is given; malloc'd. */
char *
config_default_state(void)
{
	const char	*e;

	if ((e = getenv("DDNSUP_STATE")) != NULL && *e != '\0')
		return strdup(e);
#ifdef _WIN32
	if (!compat_is_system() && (e = getenv("LOCALAPPDATA")) != NULL &&
	    *e != '\0')
		return xasprintf("%s\\ddnsup\\state.json", e);
	if ((e = getenv("ProgramData")) != NULL && *e != '\0')
		return xasprintf("%s\\ddnsup\\state.json", e);
	return strdup("C:\\ProgramData\\ddnsup\\state.json");
#else
	if (geteuid() != 0) {
		char	*p = xdg_path("XDG_STATE_HOME", ".local/state",
		    "ddnsup/state.json");

		if (p != NULL)
			return p;
	}
	return strdup("/var/lib/ddnsup/state.json");
#endif
}

/* ---- provider option accessors --------------------------------------- */

/* The string value of key, or NULL; owned by the record. */
const char *
rec_str(const struct record *r, const char *key)
{
	return json_string_value(json_object_get(r->opts, key));
}

/* The integer value of key, or dflt. */
long
rec_int(const struct record *r, const char *key, long dflt)
{
	json_t	*v = json_object_get(r->opts, key);

	return json_is_integer(v) ? (long)json_integer_value(v) : dflt;
}

/* The boolean value of key, or dflt. */
int
rec_bool(const struct record *r, const char *key, int dflt)
{
	json_t	*v = json_object_get(r->opts, key);

	return json_is_boolean(v) ? json_is_true(v) : dflt;
}
