/*
 * The state file: for each (provider, zone, name, type), what was last
 * pushed and confirmed, when, the provider's record id, the last attempt
 * and its outcome, the back-off and hold, and the config hash.
 *
 * The rule this file follows: the state can only ever cause an extra
 * push, never block one and never crash the run. So anything we cannot
 * read or do not understand is dropped with one warning, and the file is
 * only ever replaced whole (temp file in the same directory, fsync,
 * rename, fsync of the directory), so a crash or a full disk leaves the
 * previous version in place.
 *
 * Format (version 1), keys written in the order of the fields[] table:
 * {"version":1,"records":[{"provider":"cloudflare","zone":"",
 *   "name":"home.example.com","type":"A","address":"203.0.113.7",
 *   "confirmed":1790000000,"record_id":"z/abc","attempt":1790000000,
 *   "outcome":"updated","message":null,"backoff_until":0,"hold":false,
 *   "config_hash":"0123abcd..."}]}
 * Times are integer Unix seconds; entries are kept sorted by key so the
 * file diffs cleanly from one run to the next.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef _WIN32
#include <windows.h>
#include <direct.h>
#include <io.h>
#else
#include <sys/file.h>
#include <unistd.h>
#endif

#include "ddnsup.h"

#define STATE_MAX	(4 * 1024 * 1024)	/* bigger is not one we wrote */
#define LOCK_POLL_MS	50

#ifndef O_BINARY
#define O_BINARY	0
#endif
#ifndef O_CLOEXEC
#ifdef _O_NOINHERIT
#define O_CLOEXEC	_O_NOINHERIT
#else
#define O_CLOEXEC	0
#endif
#endif
#ifndef O_NOFOLLOW
#define O_NOFOLLOW	0
#endif
#ifndef O_NONBLOCK
#define O_NONBLOCK	0
#endif

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* Indexed by enum outcome. */
static const char *const outcome_names[] = {
	"current", "updated", "tempfail", "protocol", "auth", "config"
};

/*
 * One table drives both reading and writing an entry, so the two cannot
 * drift apart. Every optional field may be absent or null (meaning none).
 */
enum fkind {		/* the string kinds first: see ent_clear */
	F_KEY,		/* part of the key: required non-empty string */
	F_ZONE,		/* part of the key: required string, may be "" */
	F_STR,		/* optional string */
	F_TIME,		/* optional non-negative integer, Unix seconds */
	F_OUTCOME,	/* optional outcome word */
	F_BOOL		/* optional boolean */
};

static const struct field {
	const char	*key;
	enum fkind	 kind;
	size_t		 off;
} fields[] = {
	{ "provider",	   F_KEY,     offsetof(struct state_entry, provider) },
	{ "zone",	   F_ZONE,    offsetof(struct state_entry, zone) },
	{ "name",	   F_KEY,     offsetof(struct state_entry, name) },
	{ "type",	   F_KEY,     offsetof(struct state_entry, type) },
	{ "address",	   F_STR,     offsetof(struct state_entry, address) },
	{ "confirmed",	   F_TIME,    offsetof(struct state_entry, confirmed) },
	{ "record_id",	   F_STR,     offsetof(struct state_entry, record_id) },
	{ "attempt",	   F_TIME,    offsetof(struct state_entry, attempt) },
	{ "outcome",	   F_OUTCOME, offsetof(struct state_entry, outcome) },
	{ "message",	   F_STR,     offsetof(struct state_entry, message) },
	{ "backoff_until", F_TIME,    offsetof(struct state_entry, backoff) },
	{ "hold",	   F_BOOL,    offsetof(struct state_entry, hold) },
	{ "config_hash",   F_STR,     offsetof(struct state_entry, hash) },
};

#define FSTR(e, f)	((char **)(void *)((char *)(e) + (f)->off))
#define FTIME(e, f)	((time_t *)(void *)((char *)(e) + (f)->off))
#define FINT(e, f)	((int *)(void *)((char *)(e) + (f)->off))

/* A loaded entry and its position in the file, for a stable de-dup. */
struct loaded {
	struct state_entry	 e;
	size_t			 seq;
};

#ifdef _WIN32
/* s (in the ANSI code page, as getenv and argv give it) as a malloc'd
 * wide string for the W APIs; NULL on failure. Caller frees. */
static wchar_t *
widen(const char *s)
{
	wchar_t	*w;
	int	 n;

	if ((n = MultiByteToWideChar(CP_ACP, 0, s, -1, NULL, 0)) <= 0)
		return NULL;
	if ((w = calloc((size_t)n, sizeof(*w))) == NULL)
		return NULL;
	if (MultiByteToWideChar(CP_ACP, 0, s, -1, w, n) <= 0) {
		free(w);
		return NULL;
	}
	return w;
}

/* The system's text for a GetLastError() code, in a static buffer. */
static const char *
win_strerror(DWORD code)
{
	static char	 buf[256];
	size_t		 n;

	if (FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM |
	    FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0, buf, sizeof(buf),
	    NULL) == 0) {
		snprintf(buf, sizeof(buf), "error %lu", (unsigned long)code);
		return buf;
	}
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\r' || buf[n - 1] == '\n' ||
	    buf[n - 1] == '.'))
		buf[--n] = '\0';
	return buf;
}

#define fsync(fd)	_commit(fd)
#define mkdir(p, m)	_mkdir(p)
#define ISSEP(c)	((c) == '/' || (c) == '\\')
#else
#define ISSEP(c)	((c) == '/')
#endif

/* Frees e's strings and clears it; NULL-safe fields. */
static void
ent_clear(struct state_entry *e)
{
	size_t	 i;

	for (i = 0; i < NITEMS(fields); i++)
		if (fields[i].kind <= F_STR)	/* a char * field */
			free(*FSTR(e, &fields[i]));
	memset(e, 0, sizeof(*e));
	e->outcome = -1;
}

/* <0, 0, >0 as a's key sorts before, equal to, after b's. */
static int
ent_cmp(const struct state_entry *a, const struct state_entry *b)
{
	int	 c;

	if ((c = strcmp(a->provider, b->provider)) != 0)
		return c;
	if ((c = strcmp(a->zone, b->zone)) != 0)
		return c;
	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	return strcmp(a->type, b->type);
}

/* qsort comparator for struct loaded: by key, then by file position. */
static int
loaded_cmp(const void *va, const void *vb)
{
	const struct loaded	*a = va, *b = vb;
	int			 c;

	if ((c = ent_cmp(&a->e, &b->e)) != 0)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/*
 * 0 and e filled (e owns its strings) if o is a well-formed entry;
 * -1 with what is wrong in why and e cleared; -2 on ENOMEM.
 */
static int
ent_read(const json_t *o, struct state_entry *e, char *why, size_t whysz)
{
	const struct field	*f;
	json_t			*v;
	json_int_t		 n;
	const char		*s;
	size_t			 i;
	int			 k;

	memset(e, 0, sizeof(*e));
	e->outcome = -1;
	if (!json_is_object(o)) {
		snprintf(why, whysz, "not a JSON object");
		return -1;
	}
	for (i = 0; i < NITEMS(fields); i++) {
		f = &fields[i];
		v = json_object_get(o, f->key);
		if (v == NULL || json_is_null(v)) {
			if (f->kind == F_KEY || f->kind == F_ZONE) {
				snprintf(why, whysz, "no \"%s\"", f->key);
				goto bad;
			}
			continue;
		}
		switch (f->kind) {
		case F_KEY:
		case F_ZONE:
		case F_STR:
			if (!json_is_string(v)) {
				snprintf(why, whysz, "\"%s\" is not a string",
				    f->key);
				goto bad;
			}
			if (f->kind == F_KEY && json_string_length(v) == 0) {
				snprintf(why, whysz, "\"%s\" is empty", f->key);
				goto bad;
			}
			if ((*FSTR(e, f) = strdup(json_string_value(v))) ==
			    NULL) {
				ent_clear(e);
				return -2;
			}
			break;
		case F_TIME:
			if (!json_is_integer(v)) {
				snprintf(why, whysz, "\"%s\" is not an integer",
				    f->key);
				goto bad;
			}
			n = json_integer_value(v);
			if (n < 0 || (json_int_t)(time_t)n != n) {
				snprintf(why, whysz, "\"%s\" is out of range",
				    f->key);
				goto bad;
			}
			*FTIME(e, f) = (time_t)n;
			break;
		case F_OUTCOME:
			if (!json_is_string(v)) {
				snprintf(why, whysz, "\"%s\" is not a string",
				    f->key);
				goto bad;
			}
			s = json_string_value(v);
			for (k = 0; k < (int)NITEMS(outcome_names); k++)
				if (strcmp(s, outcome_names[k]) == 0)
					break;
			if (k == (int)NITEMS(outcome_names)) {
				snprintf(why, whysz, "unknown \"%s\" \"%.32s\"",
				    f->key, s);
				goto bad;
			}
			*FINT(e, f) = k;
			break;
		case F_BOOL:
			if (!json_is_boolean(v)) {
				snprintf(why, whysz, "\"%s\" is not true or "
				    "false", f->key);
				goto bad;
			}
			*FINT(e, f) = json_is_true(v);
			break;
		}
	}
	return 0;
bad:
	ent_clear(e);
	return -1;
}

/* A new JSON object for e, keys in table order; NULL on ENOMEM.
 * Caller owns the reference. */
static json_t *
ent_json(const struct state_entry *e)
{
	const struct field	*f;
	json_t			*o, *v;
	const char		*s;
	size_t			 i;
	int			 k;

	if ((o = json_object()) == NULL)
		return NULL;
	for (i = 0; i < NITEMS(fields); i++) {
		f = &fields[i];
		switch (f->kind) {
		case F_KEY:
		case F_ZONE:
		case F_STR:
			s = *FSTR(e, f);
			v = s != NULL ? json_string(s) : json_null();
			break;
		case F_TIME:
			v = json_integer((json_int_t)*FTIME(e, f));
			break;
		case F_OUTCOME:
			k = *FINT(e, f);
			v = k >= 0 && k < (int)NITEMS(outcome_names) ?
			    json_string(outcome_names[k]) : json_null();
			break;
		case F_BOOL:
		default:
			v = json_boolean(*FINT(e, f));
			break;
		}
		/* json_object_set_new consumes v, even on failure. */
		if (v == NULL || json_object_set_new(o, f->key, v) == -1) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

/*
 * Read the whole file at path into *bufp (malloc'd, NUL-terminated,
 * caller frees) and *lenp: 0; 1 if it does not exist; 2 if it cannot be
 * used, with why saying so ("could not be read (...)" or "is corrupt
 * (...)"); -1 on ENOMEM.
 */
static int
slurp(const char *path, char **bufp, size_t *lenp, char *why, size_t whysz)
{
	struct stat	 sb;
	char		*buf = NULL, *nbuf;
	size_t		 len = 0, cap;
	ssize_t		 n;
	int		 fd, rc = 2;

	*bufp = NULL;
	*lenp = 0;
	/* O_NONBLOCK: a FIFO put there must not hang the run. */
	if ((fd = open(path, O_RDONLY | O_BINARY | O_CLOEXEC | O_NONBLOCK)) ==
	    -1) {
		if (errno == ENOENT)
			return 1;
		snprintf(why, whysz, "could not be read (%s)",
		    strerror(errno));
		return 2;
	}
	if (fstat(fd, &sb) == -1) {
		snprintf(why, whysz, "could not be read (%s)",
		    strerror(errno));
		goto out;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(why, whysz, "could not be read (not a regular file)");
		goto out;
	}
	if (sb.st_size > STATE_MAX) {
		snprintf(why, whysz, "is corrupt (larger than %d MiB)",
		    STATE_MAX / (1024 * 1024));
		goto out;
	}
	/* The size is a hint only: the file may change under us. */
	cap = (size_t)sb.st_size + 2;
	if ((buf = malloc(cap)) == NULL) {
		rc = -1;
		goto out;
	}
	for (;;) {
		if (len + 1 == cap) {
			if (len > STATE_MAX) {
				snprintf(why, whysz, "is corrupt (larger than "
				    "%d MiB)", STATE_MAX / (1024 * 1024));
				goto out;
			}
			cap = cap * 2 > STATE_MAX + 2 ? STATE_MAX + 2 : cap * 2;
			if ((nbuf = realloc(buf, cap)) == NULL) {
				rc = -1;
				goto out;
			}
			buf = nbuf;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			snprintf(why, whysz, "could not be read (%s)",
			    strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	close(fd);
	return rc;
}

/*
 * Parse the document in buf into st's entries. 0 with st filled (bad
 * entries dropped, one warning); 1 if the document as a whole is unusable
 * (why says so, st empty); -1 on ENOMEM.
 */
static int
parse(struct state *st, const char *buf, size_t len, char *why,
    size_t whysz)
{
	json_t		*root, *v, *recs;
	json_error_t	 jerr;
	struct loaded	*ld = NULL, *grown;
	char		 ewhy[128], first[160];
	size_t		 i, n, nld = 0, ldcap = 0, nbad = 0, firstidx = 0;
	int		 rc = 1;

	if (len == 0) {
		snprintf(why, whysz, "is corrupt (empty)");
		return 1;
	}
	if ((root = json_loadb(buf, len, 0, &jerr)) == NULL) {
		/* Not the file's fault: do not call it corrupt. jansson
		 * leaves the text empty when it fails before reading. */
		if (jerr.text[0] == '\0')
			return -1;
#if JANSSON_VERSION_HEX >= 0x020b00
		if (json_error_code(&jerr) == json_error_out_of_memory)
			return -1;
#endif
		if (jerr.line > 0)
			snprintf(why, whysz, "is corrupt (line %d, column %d: "
			    "%s)", jerr.line, jerr.column, jerr.text);
		else
			snprintf(why, whysz, "is corrupt (%s)", jerr.text);
		return 1;
	}
	if (!json_is_object(root)) {
		snprintf(why, whysz, "is corrupt (not a JSON object)");
		goto out;
	}
	if ((v = json_object_get(root, "version")) == NULL) {
		snprintf(why, whysz, "is corrupt (no \"version\")");
		goto out;
	}
	if (!json_is_integer(v)) {
		snprintf(why, whysz, "is corrupt (\"version\" is not an "
		    "integer)");
		goto out;
	}
	if (json_integer_value(v) != STATE_VERSION) {
		snprintf(why, whysz, "has unknown version %lld (this ddnsup "
		    "reads version %d)", (long long)json_integer_value(v),
		    STATE_VERSION);
		goto out;
	}
	if ((recs = json_object_get(root, "records")) == NULL) {
		snprintf(why, whysz, "is corrupt (no \"records\")");
		goto out;
	}
	if (!json_is_array(recs)) {
		snprintf(why, whysz, "is corrupt (\"records\" is not an "
		    "array)");
		goto out;
	}

	n = json_array_size(recs);
	for (i = 0; i < n; i++) {
		/* Grown as good entries come: "[0,0,0,...]" is cheap. */
		if (nld == ldcap) {
			ldcap = ldcap == 0 ? 8 : ldcap * 2;
			grown = realloc(ld, ldcap * sizeof(*ld));
			if (grown == NULL) {
				rc = -1;
				goto out;
			}
			ld = grown;
		}
		switch (ent_read(json_array_get(recs, i), &ld[nld].e, ewhy,
		    sizeof(ewhy))) {
		case 0:
			ld[nld++].seq = i;
			break;
		case -1:
			if (nbad++ == 0) {
				firstidx = i;
				snprintf(first, sizeof(first), "%s", ewhy);
			}
			break;
		default:
			rc = -1;
			goto out;
		}
	}

	/* Sorted by key; of two entries with one key, the first in the
	 * file wins and the other counts as bad. */
	if (nld > 1)
		qsort(ld, nld, sizeof(*ld), loaded_cmp);
	if (nld > 0 && (st->ents = calloc(nld, sizeof(*st->ents))) == NULL) {
		rc = -1;
		goto out;
	}
	for (i = 0; i < nld; i++) {
		if (st->nents > 0 &&
		    ent_cmp(&st->ents[st->nents - 1], &ld[i].e) == 0) {
			if (nbad++ == 0 || ld[i].seq < firstidx) {
				firstidx = ld[i].seq;
				snprintf(first, sizeof(first), "same record as "
				    "an earlier entry");
			}
			ent_clear(&ld[i].e);
			continue;
		}
		st->ents[st->nents++] = ld[i].e;
		memset(&ld[i].e, 0, sizeof(ld[i].e));
	}
	nld = 0;
	if (nbad > 0)
		log_warnx("state file %s: ignored %lu of %lu entries (entry "
		    "%lu: %s); those records may be pushed again", st->path,
		    (unsigned long)nbad, (unsigned long)n,
		    (unsigned long)firstidx + 1, first);
	rc = 0;
out:
	for (i = 0; i < nld; i++)
		ent_clear(&ld[i].e);
	free(ld);
	json_decref(root);
	return rc;
}

/* 0 on success (a missing or corrupt file gives an empty state and one
 * warning); -1 only on ENOMEM. st is always left safe to state_free. */
int
state_load(struct state *st, const char *path)
{
	char	*buf = NULL, why[320];
	size_t	 len;
	int	 rc;

	memset(st, 0, sizeof(*st));
	st->lockfd = -1;
	if ((st->path = strdup(path)) == NULL)
		return -1;

	rc = slurp(path, &buf, &len, why, sizeof(why));
	if (rc == 0)
		rc = parse(st, buf, len, why, sizeof(why));
	else if (rc == 1)
		rc = 0;		/* first run: nothing to say */
	free(buf);
	if (rc == -1) {
		state_free(st);
		return -1;
	}
	if (rc == 2 || rc == 1)
		log_warnx("state file %s %s; starting afresh: records may "
		    "be pushed again", path, why);
	return 0;
}

/* The entry for the key, created empty (outcome -1) if absent; NULL on
 * ENOMEM. Owned by st; valid until the next state_get or state_free. */
struct state_entry *
state_get(struct state *st, const char *provider, const char *zone,
    const char *name, const char *type)
{
	struct state_entry	 key, *ne;
	size_t			 lo = 0, hi = st->nents, mid;
	int			 c;

	memset(&key, 0, sizeof(key));
	key.provider = (char *)provider;
	key.zone = (char *)(zone != NULL ? zone : "");
	key.name = (char *)name;
	key.type = (char *)type;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = ent_cmp(&key, &st->ents[mid])) == 0)
			return &st->ents[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}

	/* Insert at lo, keeping the array sorted for state_save. */
	if (st->nents + 1 > (size_t)-1 / sizeof(*st->ents))
		return NULL;
	if ((ne = realloc(st->ents, (st->nents + 1) * sizeof(*ne))) == NULL)
		return NULL;
	st->ents = ne;
	memset(&key, 0, sizeof(key));
	key.outcome = -1;
	if ((key.provider = strdup(provider)) == NULL ||
	    (key.zone = strdup(zone != NULL ? zone : "")) == NULL ||
	    (key.name = strdup(name)) == NULL ||
	    (key.type = strdup(type)) == NULL) {
		ent_clear(&key);
		return NULL;
	}
	memmove(&st->ents[lo + 1], &st->ents[lo],
	    (st->nents - lo) * sizeof(*st->ents));
	st->ents[lo] = key;
	st->nents++;
	return &st->ents[lo];
}

/* 0 and *field replaced by a copy of v (NULL clears it); -1 on ENOMEM
 * with *field unchanged. v may be *field itself. */
int
state_set(char **field, const char *v)
{
	char	*s = NULL;

	if (v != NULL && (s = strdup(v)) == NULL)
		return -1;
	free(*field);
	*field = s;
	return 0;
}

/*
 * Create the directory that will hold path, and its parents, mode 0700.
 * 0, or -1 with errno set. Failures on the way up (drive roots, parents
 * we may not read) are ignored: only the last directory matters.
 */
int
path_mkdirs(const char *path)
{
	struct stat	 sb;
	char		*dir, *p, *end = NULL, c;
	int		 rc = -1, first = 0;

	if ((dir = strdup(path)) == NULL)
		return -1;
	for (p = dir; *p != '\0'; p++)
		if (ISSEP(*p))
			end = p;
	if (end == NULL || end == dir) {
		/* Relative name in ".", or a file in "/": nothing to make. */
		free(dir);
		return 0;
	}
	*end = '\0';
	for (p = dir + 1; *p != '\0'; p++) {
		if (!ISSEP(*p) || ISSEP(p[-1]))
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(dir, 0700) == -1 && errno != EEXIST && first == 0)
			first = errno;
		*p = c;
	}
	if (mkdir(dir, 0700) == 0)
		rc = 0;
	else if (errno == EEXIST) {
		if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
			rc = 0;
		else
			errno = ENOTDIR;
	} else if (errno == ENOENT && first != 0)
		errno = first;	/* the real reason is higher up */
	free(dir);
	return rc;
}

/* The directory part of path ("." if none); malloc'd, NULL on ENOMEM. */
static char *
dir_of(const char *path)
{
	const char	*p, *end = NULL;
	char		*d;

	for (p = path; *p != '\0'; p++)
		if (ISSEP(*p))
			end = p;
	if (end == NULL)
		return strdup(".");
	if (end == path)
		end++;		/* "/state.json": the root */
	if ((d = malloc((size_t)(end - path) + 1)) == NULL)
		return NULL;
	memcpy(d, path, (size_t)(end - path));
	d[end - path] = '\0';
	return d;
}

/* An open, new, empty file named tmpl with its trailing XXXXXX replaced;
 * the fd, or -1 with errno set. */
static int
tmp_open(char *tmpl)
{
#ifdef _WIN32
	static const char	 chars[] =
	    "abcdefghijklmnopqrstuvwxyz0123456789";
	static unsigned long	 ctr;
	char			*x = tmpl + strlen(tmpl) - 6;
	unsigned long		 v;
	int			 fd, i, tries;

	for (tries = 0; tries < 100; tries++) {
		v = (unsigned long)GetTickCount() ^ (ctr++ * 7919) ^
		    ((unsigned long)GetCurrentProcessId() << 12);
		for (i = 0; i < 6; i++, v /= 36)
			x[i] = chars[v % 36];
		fd = open(tmpl, O_RDWR | O_CREAT | O_EXCL | O_BINARY |
		    O_CLOEXEC, _S_IREAD | _S_IWRITE);
		if (fd != -1 || errno != EEXIST)
			return fd;
	}
	errno = EEXIST;
	return -1;
#else
	return mkstemp(tmpl);
#endif
}

/* 0 if all of buf went to fd; -1 with errno set. */
static int
write_all(int fd, const char *buf, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		n = write(fd, buf, len > 65536 ? 65536 : len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* 0 once tmp is renamed over path, durably; -1 with the reason logged
 * and tmp removed if it was not renamed. */
static int
replace(const char *tmp, const char *path)
{
#ifdef _WIN32
	wchar_t	*wtmp = widen(tmp), *wpath = widen(path);
	DWORD	 code = ERROR_NOT_ENOUGH_MEMORY;
	int	 tries, rc = -1;

	/* A virus scanner or indexer may hold the old file open for a
	 * moment: retry those for up to half a second. */
	for (tries = 0; wtmp != NULL && wpath != NULL && tries < 10;
	    tries++) {
		if (MoveFileExW(wtmp, wpath, MOVEFILE_REPLACE_EXISTING |
		    MOVEFILE_WRITE_THROUGH)) {
			rc = 0;
			break;
		}
		code = GetLastError();
		if (code != ERROR_ACCESS_DENIED &&
		    code != ERROR_SHARING_VIOLATION)
			break;
		Sleep(LOCK_POLL_MS);
	}
	if (rc == -1) {
		log_warnx("%s: not saved: replacing it with %s: %s", path, tmp,
		    win_strerror(code));
		unlink(tmp);
	}
	free(wtmp);
	free(wpath);
	return rc;
#else
	char	*dir;
	int	 dfd;

	if (rename(tmp, path) == -1) {
		log_warnx("%s: not saved: replacing it with %s: %s", path, tmp,
		    strerror(errno));
		unlink(tmp);
		return -1;
	}
	/* Make the rename itself durable. Some file systems cannot sync a
	 * directory (EINVAL); that is theirs to guarantee then. */
	if ((dir = dir_of(path)) == NULL)
		return 0;
	if ((dfd = open(dir, O_RDONLY | O_CLOEXEC)) != -1) {
		if (fsync(dfd) == -1 && errno != EINVAL && errno != ENOTSUP &&
		    errno != EBADF) {
			log_warnx("%s: saved, but syncing directory %s failed: "
			    "%s", path, dir, strerror(errno));
			close(dfd);
			free(dir);
			return -1;
		}
		close(dfd);
	}
	free(dir);
	return 0;
#endif
}

/*
 * Replace path with data (len bytes), atomically and durably: 0, or -1
 * with the reason logged, the old file untouched and no temporary left.
 */
static int
write_file(const char *path, const char *data, size_t len)
{
	char		*tmp, *dir = NULL;
	const char	*what;
	int		 fd, rc = -1, saved;

	if ((tmp = xasprintf("%s.XXXXXX", path)) == NULL) {
		log_warnx("%s: not saved: out of memory", path);
		return -1;
	}
	if ((fd = tmp_open(tmp)) == -1 && errno == ENOENT) {
		/* First save: make the directory (private: 0700). */
		if (path_mkdirs(path) == -1) {
			saved = errno;
			dir = dir_of(path);
			log_warnx("%s: not saved: cannot create directory %s: "
			    "%s", path, dir != NULL ? dir : "",
			    strerror(saved));
			goto out;
		}
		snprintf(tmp + strlen(tmp) - 6, 7, "XXXXXX");
		fd = tmp_open(tmp);
	}
	if (fd == -1) {
		saved = errno;
		dir = dir_of(path);
		log_warnx("%s: not saved: cannot create a file in %s: %s", path,
		    dir != NULL ? dir : "", strerror(saved));
		goto out;
	}

#ifdef _WIN32
	_setmode(fd, _O_BINARY);
	what = "writing";
	if (write_all(fd, data, len) == -1)
		goto fail;
#else
	what = "setting mode 0600 on";
	if (fchmod(fd, S_IRUSR | S_IWUSR) == -1)
		goto fail;
	what = "writing";
	if (write_all(fd, data, len) == -1)
		goto fail;
#endif
	/* Data on disk before the rename: else a crash can leave an
	 * empty file under the old name on some file systems. */
	what = "syncing";
	if (fsync(fd) == -1)
		goto fail;
	what = "closing";
	saved = close(fd);
	fd = -1;
	if (saved == -1)
		goto fail;
	rc = replace(tmp, path);
	goto out;

fail:
	saved = errno;
	log_warnx("%s: not saved: %s %s: %s", path, what, tmp,
	    strerror(saved));
	if (fd != -1)
		close(fd);
	unlink(tmp);
out:
	free(dir);
	free(tmp);
	return rc;
}

/* Atomically write the whole state: 0, or -1 with the reason logged and
 * the previous file left as it was. */
int
state_save(const struct state *st)
{
	json_t	*doc = NULL, *recs, *o;
	char	*text = NULL;
	size_t	 i, len;
	int	 rc = -1;

	if (st->path == NULL) {
		log_warnx("state file not saved: no path");
		return -1;
	}
	if ((recs = json_array()) == NULL ||
	    (doc = json_pack("{s:i, s:o}", "version", STATE_VERSION,
	    "records", recs)) == NULL)
		goto nomem;
	for (i = 0; i < st->nents; i++)
		if ((o = ent_json(&st->ents[i])) == NULL ||
		    json_array_append_new(recs, o) == -1)
			goto nomem;
	/* One key per line, in table order: diffs show what changed. */
	if ((text = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER)) ==
	    NULL)
		goto nomem;
	/* End with a newline, over the NUL: we write by length. */
	len = strlen(text);
	text[len++] = '\n';
	rc = write_file(st->path, text, len);
	goto out;
nomem:
	log_warnx("%s: not saved: out of memory", st->path);
out:
	free(text);
	json_decref(doc);
	return rc;
}

/*
 * Lock against overlapping runs, polling every LOCK_POLL_MS up to wait_ms:
 * 0 locked (held until state_free or exit), 1 another run holds it,
 * -1 error (logged).
 *
 * The lock is a kernel lock on "<state>.lock", which the kernel drops when
 * the process exits however it exits, so a killed run never leaves a
 * stale lock and the file's mere existence means nothing. That is also
 * why we never delete it: if A unlinked it while B waited on the open
 * file, B would lock the unlinked inode while C created and locked a new
 * one, and B and C would both run.
 */
int
state_lock(struct state *st, long wait_ms)
{
	char		*lpath;
	long		 waited = 0;
	int		 rc = -1;
#ifdef _WIN32
	wchar_t		*wpath;
	HANDLE		 h;
	OVERLAPPED	 ov;
	DWORD		 code, t0;
#else
	struct flock	 fl;
	struct timespec	 t0, t1, ts;
	int		 fd, nfd, saved;
#endif

	if (st->path == NULL) {
		log_warnx("state file lock: no path");
		return -1;
	}
	if (st->lockfd != -1 || st->lockh != NULL)
		return 0;
	if ((lpath = xasprintf("%s.lock", st->path)) == NULL) {
		log_warnx("%s.lock: out of memory", st->path);
		return -1;
	}

#ifdef _WIN32
	if ((wpath = widen(lpath)) == NULL) {
		log_warnx("%s: cannot convert the name", lpath);
		goto out;
	}
	h = CreateFileW(wpath, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ |
	    FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_ALWAYS,
	    FILE_ATTRIBUTE_NORMAL, NULL);
	if (h == INVALID_HANDLE_VALUE &&
	    GetLastError() == ERROR_PATH_NOT_FOUND && path_mkdirs(lpath) == 0)
		h = CreateFileW(wpath, GENERIC_READ | GENERIC_WRITE,
		    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
		    NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
	free(wpath);
	if (h == INVALID_HANDLE_VALUE) {
		log_warnx("%s: cannot open lock file: %s", lpath,
		    win_strerror(GetLastError()));
		goto out;
	}
	t0 = GetTickCount();	/* differences are right across its wrap */
	for (;;) {
		memset(&ov, 0, sizeof(ov));
		if (LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK |
		    LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ov)) {
			st->lockh = h;
			rc = 0;
			break;
		}
		code = GetLastError();
		if (code != ERROR_LOCK_VIOLATION && code != ERROR_IO_PENDING) {
			log_warnx("%s: cannot lock: %s", lpath,
			    win_strerror(code));
			CloseHandle(h);
			break;
		}
		waited = (long)(GetTickCount() - t0);
		if (waited >= wait_ms) {
			CloseHandle(h);
			rc = 1;
			break;
		}
		Sleep(wait_ms - waited < LOCK_POLL_MS ?
		    (DWORD)(wait_ms - waited) : LOCK_POLL_MS);
	}
#else
	fd = open(lpath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1 && errno == ENOENT && path_mkdirs(lpath) == 0)
		fd = open(lpath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
		    0600);
	if (fd == -1) {
		log_warnx("%s: cannot open lock file: %s", lpath,
		    strerror(errno));
		goto out;
	}
	/* Keep the lock off 0-2: if the run was started with those closed,
	 * a stray printf must not land in the lock file, and a zeroed
	 * struct state must never make state_free close stdin. */
	if (fd <= 2) {
		if ((nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3)) == -1) {
			log_warnx("%s: %s", lpath, strerror(errno));
			close(fd);
			goto out;
		}
		close(fd);
		fd = nfd;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		/* Take both kinds of lock: on Linux flock(2) and fcntl
		 * locks do not see each other, and another tool (or a
		 * script with flock(1)) may use either. */
		if (flock(fd, LOCK_EX | LOCK_NB) == -1 &&
		    (errno == EWOULDBLOCK || errno == EINTR))
			goto wait;
		/* fcntl locks are per process and any close of the file
		 * drops them: this is the only descriptor we open on it. */
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		if (fcntl(fd, F_SETLK, &fl) == 0) {
			st->lockfd = fd;
			rc = 0;
			break;
		}
		saved = errno;
		flock(fd, LOCK_UN);
		errno = saved;
		if (errno != EACCES && errno != EAGAIN && errno != EINTR) {
			log_warnx("%s: cannot lock: %s", lpath,
			    strerror(errno));
			close(fd);
			break;
		}
wait:
		clock_gettime(CLOCK_MONOTONIC, &t1);
		waited = (long)(t1.tv_sec - t0.tv_sec) * 1000 +
		    (t1.tv_nsec - t0.tv_nsec) / 1000000;
		if (waited >= wait_ms) {
			close(fd);
			rc = 1;
			break;
		}
		ts.tv_sec = 0;
		ts.tv_nsec = (wait_ms - waited < LOCK_POLL_MS ?
		    wait_ms - waited : LOCK_POLL_MS) * 1000000L;
		nanosleep(&ts, NULL);
	}
#endif
out:
	free(lpath);
	return rc;
}

/* Free everything st holds and drop its lock; st is left empty and may
 * be freed again. A zeroed struct is safe too. */
void
state_free(struct state *st)
{
	size_t	 i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nents; i++)
		ent_clear(&st->ents[i]);
	free(st->ents);
	free(st->path);
#ifdef _WIN32
	if (st->lockh != NULL) {
		OVERLAPPED	 ov;

		memset(&ov, 0, sizeof(ov));
		UnlockFileEx(st->lockh, 0, 1, 0, &ov);
		CloseHandle(st->lockh);
	}
#else
	/* state_lock never hands out 0-2 (see there). */
	if (st->lockfd > 2) {
		/* Unlock before closing: an flock belongs to the open file,
		 * which a forked child may still share. */
		flock(st->lockfd, LOCK_UN);
		close(st->lockfd);
	}
#endif
	st->ents = NULL;
	st->nents = 0;
	st->path = NULL;
	st->lockfd = -1;
	st->lockh = NULL;
}
