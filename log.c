/*
 * Diagnostics on stderr, "ddnsup: " first, with every registered secret
 * replaced by "<redacted>" before anything is printed.
 *
 * A secret can reach a message in its own form or percent-encoded (in a
 * URL or a form body), so both are registered. Redaction marks every byte
 * covered by any occurrence of any secret and prints each marked run as one
 * "<redacted>": overlapping or adjacent secrets leave no fragment behind.
 */
#include <sys/stat.h>

#ifdef _WIN32
#include <windows.h>
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ddnsup.h"

#define REDACTED	"<redacted>"
#define LOG_MAX		(1024 * 1024)	/* --log file rotated past this */

int	 log_verbose;
int	 log_quiet;

static char	**secrets;	/* longest first */
static size_t	  nsecrets;
static int	  secrets_lost;	/* log_secret ran out of memory */
static FILE	 *logfp;		/* --log, or NULL */

/* 0 if s is in the list (or added to it, longest first); -1 on ENOMEM. */
static int
secret_add(const char *s)
{
	char	**v, *copy;
	size_t	  i, len = strlen(s);

	if (len == 0)
		return 0;
	for (i = 0; i < nsecrets; i++)
		if (strcmp(secrets[i], s) == 0)
			return 0;
	if ((copy = strdup(s)) == NULL)
		return -1;
	if ((v = realloc(secrets, (nsecrets + 1) * sizeof(*v))) == NULL) {
		free(copy);
		return -1;
	}
	secrets = v;
	for (i = nsecrets; i > 0 && strlen(secrets[i - 1]) < len; i--)
		secrets[i] = secrets[i - 1];
	secrets[i] = copy;
	nsecrets++;
	return 0;
}

/*
 * Never print secret, nor its percent-encoded form. Should memory run out
 * here, a secret we failed to record could print later, so from then on
 * every message is redacted whole.
 */
void
log_secret(const char *secret)
{
	char	*enc;

	if (secret == NULL || *secret == '\0')
		return;
	if (secret_add(secret) == -1 || (enc = http_pctenc(secret)) == NULL) {
		secrets_lost = 1;
		return;
	}
	if (secret_add(enc) == -1)
		secrets_lost = 1;
	free(enc);
}

/* Malloc'd copy of s with secrets replaced; caller frees; NULL on ENOMEM. */
char *
log_redact(const char *s)
{
	unsigned char	*mark = NULL;
	const char	*p;
	char		*out, *o;
	size_t		 len, i, k, slen, runs = 0, marked = 0;

	if (s == NULL)
		return NULL;
	if (secrets_lost)
		return strdup(REDACTED);
	len = strlen(s);
	if (nsecrets == 0 || len == 0)
		return strdup(s);
	if ((mark = calloc(len, 1)) == NULL)
		return NULL;
	for (k = 0; k < nsecrets; k++) {
		slen = strlen(secrets[k]);
		for (p = s; (p = strstr(p, secrets[k])) != NULL; p++)
			memset(mark + (p - s), 1, slen);
	}
	for (i = 0; i < len; i++) {
		marked += mark[i];
		if (mark[i] && (i == 0 || !mark[i - 1]))
			runs++;
	}
	if ((out = malloc(len - marked + runs * strlen(REDACTED) + 1)) ==
	    NULL) {
		free(mark);
		return NULL;
	}
	for (i = 0, o = out; i < len; i++) {
		if (!mark[i])
			*o++ = s[i];
		else if (i == 0 || !mark[i - 1]) {
			memcpy(o, REDACTED, strlen(REDACTED));
			o += strlen(REDACTED);
		}
	}
	*o = '\0';
	free(mark);
	return out;
}

/* Malloc'd vprintf result; NULL on failure. */
char *
xvasprintf(const char *fmt, va_list ap)
{
	va_list	 ap2;
	char	*s;
	int	 n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
		return NULL;
	if (vsnprintf(s, (size_t)n + 1, fmt, ap) != n) {
		free(s);
		return NULL;
	}
	return s;
}

/* Malloc'd printf result; caller frees; NULL on failure. */
char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

/* Append one time-stamped line to the log file, if one is open. */
static void
file_line(const char *line)
{
	struct tm	 tm;
	time_t		 now;
	char		 ts[32];

	if (logfp == NULL)
		return;
	now = time(NULL);
	memset(&tm, 0, sizeof(tm));	/* for cppcheck: _s fills it */
#ifdef _WIN32
	localtime_s(&tm, &now);
#else
	localtime_r(&now, &tm);
#endif
	strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(logfp, "%s %s\n", ts, line);
	fflush(logfp);
}

/* Print one redacted line; a message we cannot format is not dropped. */
static void
vlog(const char *fmt, va_list ap)
{
	char	*msg, *red = NULL;

	if ((msg = xvasprintf(fmt, ap)) != NULL)
		red = log_redact(msg);
	fprintf(stderr, "ddnsup: %s\n", red != NULL ? red :
	    "out of memory formatting a message");
	file_line(red != NULL ? red : "out of memory formatting a message");
	free(red);
	free(msg);
}

/* Open the log file (see ddnsup.h); 0, or -1 (said). */
int
log_open(const char *path)
{
	struct stat	 sb;
	char		*old;

	if (stat(path, &sb) == 0 && sb.st_size > LOG_MAX &&
	    (old = xasprintf("%s.1", path)) != NULL) {
#ifdef _WIN32
		(void)MoveFileExA(path, old, MOVEFILE_REPLACE_EXISTING);
#else
		(void)rename(path, old);
#endif
		free(old);
	}
	if ((logfp = fopen(path, "a")) == NULL && errno == ENOENT &&
	    path_mkdirs(path) == 0)
		logfp = fopen(path, "a");
	if (logfp == NULL) {
		log_warnx("--log %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* One redacted line to the log file only (results for the record). */
void
log_file(const char *fmt, ...)
{
	va_list	 ap;
	char	*msg, *red = NULL;

	if (logfp == NULL)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (msg != NULL && (red = log_redact(msg)) != NULL)
		file_line(red);
	free(red);
	free(msg);
}

void
log_close(void)
{
	if (logfp != NULL)
		fclose(logfp);
	logfp = NULL;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	if (log_verbose < 1 || log_quiet)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (log_verbose < 2 || log_quiet)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}
