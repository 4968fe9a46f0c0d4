/*
 * Scheduling ddnsup: --install-task INTERVAL and --uninstall-task.
 *
 * Windows: a Task Scheduler task, registered with schtasks /Create /XML
 * from a definition written here (Task Scheduler schema 1.2): every
 * INTERVAL and at startup (SYSTEM, when installed from an elevated
 * prompt) or at logon (the user, with an S4U logon: it runs whether or not
 * the user is logged on, keeps no password, and gets no window). The
 * action runs this exe by absolute path with an absolute config and a log
 * file, since a task's working directory is System32.
 *
 * Linux with systemd: ddnsup.service (oneshot) and ddnsup.timer, system
 * units for root, user units otherwise, enabled with systemctl. Without
 * systemd: the crontab lines are printed for the user to add.
 *
 * The definitions are built by pure functions (unit-tested); the rest
 * writes them and runs systemctl or schtasks, or with -n only says what it
 * would do.
 */
#ifdef _WIN32
#include <windows.h>
#include <sddl.h>
#else
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ddnsup.h"

#define TASK_NAME	"ddnsup"
#define MAX_EVERY	(31L * 86400)	/* the Task Scheduler's P31D */

/* ---- building text -------------------------------------------------- */

struct buf {
	char	*s;
	size_t	 len;
	int	 bad;		/* out of memory */
};

static void	 add(struct buf *, const char *, ...)
		    __attribute__((format(PRINTF_FMT, 2, 3)));

/* Append a formatted piece to b (b->bad on ENOMEM). */
static void
add(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*piece, *n;
	size_t	 len;

	va_start(ap, fmt);
	piece = xvasprintf(fmt, ap);
	va_end(ap);
	if (piece == NULL) {
		b->bad = 1;
		return;
	}
	len = strlen(piece);
	if ((n = realloc(b->s, b->len + len + 1)) == NULL) {
		b->bad = 1;
		free(piece);
		return;
	}
	memcpy(n + b->len, piece, len + 1);
	b->s = n;
	b->len += len;
	free(piece);
}

/* b's text (caller frees), or NULL if anything failed. */
static char *
done(struct buf *b)
{
	if (b->bad || b->s == NULL) {
		free(b->s);
		return NULL;
	}
	return b->s;
}

/* A systemd duration for secs: "5min", "90s", "2h", "1d"; static. */
static const char *
unit_duration(long secs)
{
	static char	 out[32];

	if (secs % 86400 == 0)
		snprintf(out, sizeof(out), "%ldd", secs / 86400);
	else if (secs % 3600 == 0)
		snprintf(out, sizeof(out), "%ldh", secs / 3600);
	else if (secs % 60 == 0)
		snprintf(out, sizeof(out), "%ldmin", secs / 60);
	else
		snprintf(out, sizeof(out), "%lds", secs);
	return out;
}

/* secs in words for messages: "5 minutes", "1 hour", "90 seconds". */
static const char *
human_duration(long secs)
{
	static char	 out[32];
	const char	*unit = "second";
	long		 n = secs;

	if (secs % 86400 == 0) {
		unit = "day";
		n = secs / 86400;
	} else if (secs % 3600 == 0) {
		unit = "hour";
		n = secs / 3600;
	} else if (secs % 60 == 0) {
		unit = "minute";
		n = secs / 60;
	}
	snprintf(out, sizeof(out), "%ld %s%s", n, unit, n == 1 ? "" : "s");
	return out;
}

/* An xs:duration for secs ("PT5M", "PT1H30M", "P1D"); static. */
static const char *
xml_duration(long secs)
{
	static char	 out[48];
	size_t		 n;
	long		 d = secs / 86400, h = secs % 86400 / 3600;
	long		 m = secs % 3600 / 60, s = secs % 60;

	n = (size_t)snprintf(out, sizeof(out), "P");
	if (d)
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%ldD", d);
	if (h || m || s) {
		n += (size_t)snprintf(out + n, sizeof(out) - n, "T");
		if (h)
			n += (size_t)snprintf(out + n, sizeof(out) - n, "%ldH",
			    h);
		if (m)
			n += (size_t)snprintf(out + n, sizeof(out) - n, "%ldM",
			    m);
		if (s)
			snprintf(out + n, sizeof(out) - n, "%ldS", s);
	}
	return out;
}

/*
 * s quoted for a systemd ExecStart= word: in double quotes, with \ and "
 * escaped, % doubled (a specifier otherwise) and $ doubled (a variable
 * otherwise). Malloc'd; NULL on ENOMEM.
 */
static char *
unit_quote(const char *s)
{
	struct buf	 b = { NULL, 0, 0 };

	add(&b, "\"");
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			add(&b, "\\%c", *s);
		else if (*s == '%' || *s == '$')
			add(&b, "%c%c", *s, *s);
		else
			add(&b, "%c", *s);
	}
	add(&b, "\"");
	return done(&b);
}

/*
 * s quoted for a crontab command run by /bin/sh: in single quotes (a '
 * becomes '\''), with % escaped, since cron turns a bare % into a
 * newline. Malloc'd; NULL on ENOMEM.
 */
static char *
cron_quote(const char *s)
{
	struct buf	 b = { NULL, 0, 0 };

	add(&b, "'");
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			add(&b, "'\\''");
		else if (*s == '%')
			add(&b, "\\%%");
		else
			add(&b, "%c", *s);
	}
	add(&b, "'");
	return done(&b);
}

/*
 * s as one argument of a Windows command line, as CommandLineToArgvW and
 * the C runtime split it: in double quotes, a " escaped with \, and the
 * backslashes before a " or the closing quote doubled. Malloc'd.
 */
static char *
win_quote(const char *s)
{
	struct buf	 b = { NULL, 0, 0 };
	size_t		 bs = 0, i;

	add(&b, "\"");
	for (; *s != '\0'; s++) {
		if (*s == '\\') {
			bs++;
			continue;
		}
		for (i = 0; i < (*s == '"' ? bs * 2 + 1 : bs); i++)
			add(&b, "\\");
		bs = 0;
		add(&b, "%c", *s);
	}
	for (i = 0; i < bs * 2; i++)
		add(&b, "\\");
	add(&b, "\"");
	return done(&b);
}

/* s with XML's five special characters escaped; malloc'd. */
static char *
xml_escape(const char *s)
{
	struct buf	 b = { NULL, 0, 0 };

	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			add(&b, "&amp;");
			break;
		case '<':
			add(&b, "&lt;");
			break;
		case '>':
			add(&b, "&gt;");
			break;
		case '"':
			add(&b, "&quot;");
			break;
		case '\'':
			add(&b, "&apos;");
			break;
		default:
			add(&b, "%c", *s);
		}
	}
	add(&b, "%s", "");
	return done(&b);
}

/* ---- the definitions (pure) ----------------------------------------- */

/* The ddnsup.service unit for s; malloc'd, NULL on ENOMEM. */
char *
sched_unit_service(const struct sched *s)
{
	struct buf	 b = { NULL, 0, 0 };
	char		*exe, *cfg, *st = NULL;

	exe = unit_quote(s->exe);
	cfg = unit_quote(s->config);
	if (s->state != NULL)
		st = unit_quote(s->state);
	add(&b, "# Written by ddnsup --install-task; remove with "
	    "ddnsup --uninstall-task.\n"
	    "[Unit]\n"
	    "Description=ddnsup: point DNS records at this network's "
	    "public address\n"
	    "Documentation=man:ddnsup(1)\n"
	    "Wants=network-online.target\n"
	    "After=network-online.target\n"
	    "\n"
	    "[Service]\n"
	    "Type=oneshot\n"
	    "ExecStart=%s -c %s%s%s\n", exe ? exe : "", cfg ? cfg : "",
	    st != NULL ? " --state " : "", st != NULL ? st : "");
	add(&b, "# 3: done, but behind NAT; 75: temporary, the timer "
	    "retries (ddnsup(1)).\n"
	    "SuccessExitStatus=3 75\n"
	    "NoNewPrivileges=yes\n");
	if (s->user == NULL)
		add(&b, "ProtectSystem=full\n");
	if (exe == NULL || cfg == NULL || (s->state != NULL && st == NULL))
		b.bad = 1;
	free(exe);
	free(cfg);
	free(st);
	return done(&b);
}

/* The ddnsup.timer unit for s; malloc'd, NULL on ENOMEM. */
char *
sched_unit_timer(const struct sched *s)
{
	struct buf	 b = { NULL, 0, 0 };

	add(&b, "# Written by ddnsup --install-task; remove with "
	    "ddnsup --uninstall-task.\n"
	    "[Unit]\n"
	    "Description=Run ddnsup every %s\n"
	    "Documentation=man:ddnsup(1)\n"
	    "\n"
	    "[Timer]\n"
	    "%s=1min\n", unit_duration(s->every),
	    s->user == NULL ? "OnBootSec" : "OnStartupSec");
	add(&b, "OnUnitActiveSec=%s\n"
	    "AccuracySec=%s\n"
	    "Unit=ddnsup.service\n"
	    "\n"
	    "[Install]\n"
	    "WantedBy=timers.target\n", unit_duration(s->every),
	    s->every >= 600 ? "1min" : "10s");
	return done(&b);
}

/*
 * The crontab lines for s; malloc'd. NULL with *why (static) when cron
 * cannot express the interval, or on ENOMEM.
 */
char *
sched_cron(const struct sched *s, const char **why)
{
	struct buf	 b = { NULL, 0, 0 };
	char		 when[32];
	char		*exe, *cfg, *st = NULL;
	long		 m = s->every / 60;

	*why = "out of memory";
	if (s->every % 60 != 0 || (m < 60 && 60 % m != 0) ||
	    (m >= 60 && (m % 60 != 0 || (m < 1440 && 24 % (m / 60) != 0))) ||
	    (m > 1440)) {
		*why = "cron runs a job every N minutes only when N divides "
		    "60, every N hours only when N divides 24, or once a "
		    "day: pick such an interval";
		return NULL;
	}
	if (m == 1)
		snprintf(when, sizeof(when), "* * * * *");
	else if (m < 60)
		snprintf(when, sizeof(when), "*/%ld * * * *", m);
	else if (m == 60)
		snprintf(when, sizeof(when), "0 * * * *");
	else if (m < 1440)
		snprintf(when, sizeof(when), "0 */%ld * * *", m / 60);
	else
		snprintf(when, sizeof(when), "0 0 * * *");
	exe = cron_quote(s->exe);
	cfg = cron_quote(s->config);
	if (s->state != NULL)
		st = cron_quote(s->state);
	add(&b, "# ddnsup every %s and at boot; -q: cron mails only errors.\n"
	    "%s %s -q -c %s%s%s\n"
	    "@reboot sleep 60 && %s -q -c %s%s%s\n", unit_duration(s->every),
	    when, exe ? exe : "", cfg ? cfg : "", st ? " --state " : "",
	    st ? st : "", exe ? exe : "", cfg ? cfg : "",
	    st ? " --state " : "", st ? st : "");
	if (exe == NULL || cfg == NULL || (s->state != NULL && st == NULL))
		b.bad = 1;
	free(exe);
	free(cfg);
	free(st);
	return done(&b);
}

/*
 * The Task Scheduler definition (schema 1.2) for s, UTF-8 text whose
 * declaration says UTF-16: schtasks is given it re-encoded as UTF-16LE
 * with a BOM and CRLF line ends (put_utf16). s->user NULL: run as SYSTEM, at startup and every
 * s->every; else as that user (a SID) with an S4U logon, at their logon
 * and every s->every. Malloc'd; NULL on ENOMEM.
 */
char *
sched_task_xml(const struct sched *s)
{
	struct buf	 b = { NULL, 0, 0 };
	struct tm	 tm;
	char		 start[32], *args = NULL, *q[4] = { NULL };
	char		*x_exe, *x_args, *x_dir, *x_user = NULL, *dir, *slash;
	time_t		 t = s->now;

	/* The first run: the next whole minute, local time (the schema's
	 * dateTime without a zone is the machine's local time). */
	t += 60 - t % 60;
	memset(&tm, 0, sizeof(tm));	/* for cppcheck: _s fills it */
#ifdef _WIN32
	localtime_s(&tm, &t);
#else
	localtime_r(&t, &tm);
#endif
	strftime(start, sizeof(start), "%Y-%m-%dT%H:%M:%S", &tm);

	q[0] = win_quote(s->config);
	q[1] = s->state != NULL ? win_quote(s->state) : NULL;
	q[2] = s->log != NULL ? win_quote(s->log) : NULL;
	args = xasprintf("-c %s%s%s%s%s", q[0] ? q[0] : "",
	    q[1] ? " --state " : "", q[1] ? q[1] : "",
	    q[2] ? " --log " : "", q[2] ? q[2] : "");
	/* The working directory: the exe's own, never System32. */
	if ((dir = strdup(s->exe)) != NULL) {
		slash = strrchr(dir, '\\');
		if (slash == NULL || strrchr(dir, '/') > slash)
			slash = strrchr(dir, '/');
		if (slash != NULL)
			slash[slash == dir || slash[-1] == ':' ? 1 : 0] = '\0';
	}
	x_exe = xml_escape(s->exe);
	x_args = args ? xml_escape(args) : NULL;
	x_dir = dir ? xml_escape(dir) : NULL;
	if (s->user != NULL)
		x_user = xml_escape(s->user);

	add(&b, "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n"
	    "<Task version=\"1.2\" xmlns=\"http://schemas.microsoft.com/"
	    "windows/2004/02/mit/task\">\n"
	    "  <RegistrationInfo>\n"
	    "    <Author>ddnsup --install-task</Author>\n"
	    "    <Description>Points DNS records at this network's public "
	    "address (ddnsup). Remove with: ddnsup --uninstall-task"
	    "</Description>\n"
	    "    <URI>\\%s</URI>\n"
	    "  </RegistrationInfo>\n"
	    "  <Triggers>\n", TASK_NAME);
	if (s->user == NULL)
		add(&b, "    <BootTrigger>\n"
		    "      <Enabled>true</Enabled>\n"
		    "      <Delay>PT1M</Delay>\n"
		    "    </BootTrigger>\n");
	else
		add(&b, "    <LogonTrigger>\n"
		    "      <Enabled>true</Enabled>\n"
		    "      <UserId>%s</UserId>\n"
		    "      <Delay>PT1M</Delay>\n"
		    "    </LogonTrigger>\n", x_user ? x_user : "");
	add(&b, "    <TimeTrigger>\n"
	    "      <Enabled>true</Enabled>\n"
	    "      <StartBoundary>%s</StartBoundary>\n"
	    "      <Repetition>\n"
	    "        <Interval>%s</Interval>\n"
	    "        <StopAtDurationEnd>false</StopAtDurationEnd>\n"
	    "      </Repetition>\n"
	    "    </TimeTrigger>\n"
	    "  </Triggers>\n", start, xml_duration(s->every));
	add(&b, "  <Principals>\n"
	    "    <Principal id=\"Author\">\n"
	    "      <UserId>%s</UserId>\n", s->user == NULL ? "S-1-5-18" :
	    (x_user ? x_user : ""));
	if (s->user != NULL)
		add(&b, "      <LogonType>S4U</LogonType>\n"
		    "      <RunLevel>LeastPrivilege</RunLevel>\n");
	else
		add(&b, "      <RunLevel>HighestAvailable</RunLevel>\n");
	add(&b, "    </Principal>\n"
	    "  </Principals>\n"
	    "  <Settings>\n"
	    "    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>"
	    "\n"
	    "    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>"
	    "\n"
	    "    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>\n"
	    "    <StartWhenAvailable>true</StartWhenAvailable>\n"
	    "    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>"
	    "\n"
	    "    <IdleSettings>\n"
	    "      <StopOnIdleEnd>false</StopOnIdleEnd>\n"
	    "      <RestartOnIdle>false</RestartOnIdle>\n"
	    "    </IdleSettings>\n"
	    "    <AllowStartOnDemand>true</AllowStartOnDemand>\n"
	    "    <Enabled>true</Enabled>\n"
	    "    <Hidden>false</Hidden>\n"
	    "    <ExecutionTimeLimit>PT10M</ExecutionTimeLimit>\n"
	    "    <Priority>7</Priority>\n"
	    "  </Settings>\n");
	add(&b, "  <Actions Context=\"Author\">\n"
	    "    <Exec>\n"
	    "      <Command>%s</Command>\n"
	    "      <Arguments>%s</Arguments>\n"
	    "      <WorkingDirectory>%s</WorkingDirectory>\n"
	    "    </Exec>\n"
	    "  </Actions>\n"
	    "</Task>\n", x_exe ? x_exe : "", x_args ? x_args : "",
	    x_dir ? x_dir : "");
	if (q[0] == NULL || (s->state && q[1] == NULL) || (s->log &&
	    q[2] == NULL) || args == NULL || x_exe == NULL ||
	    x_args == NULL || x_dir == NULL || (s->user && x_user == NULL))
		b.bad = 1;
	free(q[0]);
	free(q[1]);
	free(q[2]);
	free(args);
	free(dir);
	free(x_exe);
	free(x_args);
	free(x_dir);
	free(x_user);
	return done(&b);
}

/* ---- installing ------------------------------------------------------ */

/* An absolute form of path (made from the working directory if
 * relative; the file need not exist); malloc'd, NULL on failure. */
char *
sched_abspath(const char *path)
{
#ifdef _WIN32
	char	 buf[MAX_PATH * 4];

	if (_fullpath(buf, path, sizeof(buf)) == NULL)
		return NULL;
	return strdup(buf);
#else
	char	 cwd[PATH_MAX];

	if (path[0] == '/')
		return strdup(path);
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return NULL;
	return xasprintf("%s/%s", strcmp(cwd, "/") ? cwd : "", path);
#endif
}

/* The absolute path of this program; malloc'd, NULL on failure. */
char *
sched_self_exe(const char *argv0)
{
#ifdef _WIN32
	char	 buf[MAX_PATH * 4];
	DWORD	 n;

	(void)argv0;
	n = GetModuleFileNameA(NULL, buf, sizeof(buf));
	if (n == 0 || n >= sizeof(buf))
		return NULL;
	return strdup(buf);
#else
	char	 buf[PATH_MAX];
	ssize_t	 n;

	if ((n = readlink("/proc/self/exe", buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		return strdup(buf);
	}
	/* No /proc: argv[0], if it names a file by a path. */
	if (argv0 != NULL && strchr(argv0, '/') != NULL)
		return realpath(argv0, buf) ? strdup(buf) : NULL;
	return NULL;
#endif
}

#ifndef _WIN32
/* Write text to path, replacing it atomically, mode 0644; dry: show it.
 * 0, or -1 (said). */
static int
put_file(const char *path, const char *text, int dry)
{
	char	*tmp;
	FILE	*f;
	int	 rc = -1;

	if (dry) {
		printf("==> %s\n%s\n", path, text);
		return 0;
	}
	if (path_mkdirs(path) == -1) {
		log_warnx("%s: cannot create its directory: %s", path,
		    strerror(errno));
		return -1;
	}
	if ((tmp = xasprintf("%s.tmp", path)) == NULL)
		return -1;
	if ((f = fopen(tmp, "w")) == NULL)
		log_warnx("%s: %s", tmp, strerror(errno));
	else if (fputs(text, f) == EOF || fflush(f) == EOF ||
	    fsync(fileno(f)) == -1) {
		log_warnx("%s: %s", tmp, strerror(errno));
		fclose(f);
	} else if (fclose(f) == EOF || chmod(tmp, 0644) == -1 ||
	    rename(tmp, path) == -1)
		log_warnx("%s: %s", path, strerror(errno));
	else
		rc = 0;
	if (rc == -1)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* Run argv (argv[0] looked up on PATH) and wait; dry: show it. 0 if it
 * exited 0, -1 otherwise (said). */
static int
run(char *const argv[], int dry)
{
	pid_t	 pid;
	int	 status, i;

	if (dry) {
		printf("==> would run:");
		for (i = 0; argv[i] != NULL; i++)
			printf(" %s", argv[i]);
		printf("\n");
		return 0;
	}
	fflush(stdout);
	if ((pid = fork()) == -1) {
		log_warnx("%s: fork: %s", argv[0], strerror(errno));
		return -1;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "ddnsup: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		log_warnx("%s %s exited %d", argv[0], argv[1],
		    WEXITSTATUS(status));
	else
		log_warnx("%s %s was killed", argv[0], argv[1]);
	return -1;
}

/*
 * Where the units go: $DDNSUP_UNIT_DIR, else the system or the user unit
 * directory when systemd runs this machine; NULL when it does not (cron).
 * Malloc'd.
 */
static char *
unit_dir(int system)
{
	const char	*e;

	if ((e = getenv("DDNSUP_UNIT_DIR")) != NULL && *e != '\0')
		return strdup(e);
	if (access("/run/systemd/system", F_OK) == -1)
		return NULL;
	if (system)
		return strdup("/etc/systemd/system");
	if ((e = getenv("XDG_CONFIG_HOME")) != NULL && *e == '/')
		return xasprintf("%s/systemd/user", e);
	if ((e = getenv("HOME")) != NULL && *e != '\0')
		return xasprintf("%s/.config/systemd/user", e);
	return NULL;
}

/* systemctl [--user] verb args...; 0/-1 (said). */
static int
systemctl(int system, int dry, const char *a, const char *b,
    const char *c)
{
	char	*argv[7];
	int	 n = 0;

	argv[n++] = "systemctl";
	if (!system)
		argv[n++] = "--user";
	argv[n++] = (char *)a;
	if (b != NULL)
		argv[n++] = (char *)b;
	if (c != NULL)
		argv[n++] = (char *)c;
	argv[n] = NULL;
	return run(argv, dry);
}
#endif /* !_WIN32 */

#ifndef _WIN32
/* Install on this Unix machine: systemd units, or print the crontab
 * lines. An exit status. */
int
sched_install(struct sched *s, int dry)
{
	const char	*why, *u;
	char		*dir, *svc = NULL, *tim = NULL, *p1 = NULL, *p2 = NULL;
	char		*text;
	int		 system = geteuid() == 0, rc = EXIT_STATE;

	s->user = system ? NULL : "user";
	if ((dir = unit_dir(system)) == NULL) {
		if ((text = sched_cron(s, &why)) == NULL) {
			log_warnx("--install-task: %s", why);
			return EXIT_USAGE;
		}
		printf("%s", text);
		free(text);
		log_warnx("systemd does not run this machine: nothing was "
		    "installed; add the lines above with \"crontab -e\"%s",
		    system ? " (as root)" : "");
		return EXIT_OK;
	}
	u = system ? "" : " --user";
	svc = sched_unit_service(s);
	tim = sched_unit_timer(s);
	p1 = xasprintf("%s/ddnsup.service", dir);
	p2 = xasprintf("%s/ddnsup.timer", dir);
	if (svc == NULL || tim == NULL || p1 == NULL || p2 == NULL)
		goto out;
	if (put_file(p1, svc, dry) == -1 || put_file(p2, tim, dry) == -1 ||
	    systemctl(system, dry, "daemon-reload", NULL, NULL) == -1 ||
	    systemctl(system, dry, "enable", "--now", "ddnsup.timer") == -1)
		goto out;
	rc = EXIT_OK;
	if (dry)
		goto out;
	printf("installed %s and %s: ddnsup runs every %s and 1 minute "
	    "after %s.\n", p1, p2, human_duration(s->every),
	    system ? "boot" : "you log in");
	printf("  next runs:  systemctl%s list-timers ddnsup.timer\n", u);
	printf("  its output: journalctl%s -u ddnsup.service\n", u);
	printf("  remove:     %s --uninstall-task\n", s->exe);
	if (!system)
		printf("A user timer runs only while you are logged in, unless "
		    "root runs \"loginctl enable-linger %s\".\n",
		    getenv("USER") ? getenv("USER") : "$USER");
out:
	free(dir);
	free(svc);
	free(tim);
	free(p1);
	free(p2);
	return rc;
}

/* Remove what sched_install made. An exit status. */
int
sched_uninstall(int dry)
{
	char	*dir, *p[2];
	int	 system = geteuid() == 0, i, found = 0, rc = EXIT_OK;

	if ((dir = unit_dir(system)) == NULL) {
		log_warnx("systemd does not run this machine: remove the "
		    "ddnsup lines with \"crontab -e\"%s", system ?
		    " (as root)" : "");
		return EXIT_OK;
	}
	p[0] = xasprintf("%s/ddnsup.timer", dir);
	p[1] = xasprintf("%s/ddnsup.service", dir);
	for (i = 0; i < 2; i++)
		if (p[i] != NULL && access(p[i], F_OK) == 0)
			found = 1;
	if (!found) {
		printf("nothing to remove: no ddnsup units in %s\n", dir);
		goto out;
	}
	if (systemctl(system, dry, "disable", "--now", "ddnsup.timer") == -1)
		rc = EXIT_STATE;
	for (i = 0; i < 2; i++) {
		if (p[i] == NULL)
			continue;
		if (dry)
			printf("==> would remove %s\n", p[i]);
		else if (unlink(p[i]) == -1 && errno != ENOENT) {
			log_warnx("%s: %s", p[i], strerror(errno));
			rc = EXIT_STATE;
		}
	}
	if (systemctl(system, dry, "daemon-reload", NULL, NULL) == -1)
		rc = EXIT_STATE;
	if (rc == EXIT_OK && !dry)
		printf("removed the ddnsup timer and service from %s\n", dir);
out:
	free(p[0]);
	free(p[1]);
	free(dir);
	return rc;
}

#else /* _WIN32 */

/* 1 if this process runs elevated (an administrator's full token). */
static int
elevated(void)
{
	HANDLE		 tok;
	TOKEN_ELEVATION	 e;
	DWORD		 n;
	int		 r = 0;

	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
		return 0;
	if (GetTokenInformation(tok, TokenElevation, &e, sizeof(e), &n))
		r = e.TokenIsElevated != 0;
	CloseHandle(tok);
	return r;
}

/* This process's user as a SID string ("S-1-5-21-..."); malloc'd. */
static char *
user_sid(void)
{
	HANDLE		 tok;
	unsigned char	 buf[256];
	DWORD		 n;
	char		*s = NULL, *out = NULL;

	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
		return NULL;
	if (GetTokenInformation(tok, TokenUser, buf, sizeof(buf), &n) &&
	    ConvertSidToStringSidA(((TOKEN_USER *)buf)->User.Sid, &s)) {
		out = strdup(s);
		LocalFree(s);
	}
	CloseHandle(tok);
	return out;
}

/* Run "schtasks args" and wait; 0 if it exited 0, else -1 (said). */
static int
schtasks(const char *args)
{
	STARTUPINFOA		 si;
	PROCESS_INFORMATION	 pi;
	DWORD			 code = 1;
	char			*cmd;

	if ((cmd = xasprintf("schtasks.exe %s", args)) == NULL)
		return -1;
	memset(&si, 0, sizeof(si));
	si.cb = sizeof(si);
	fflush(stdout);
	if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si,
	    &pi)) {
		log_warnx("schtasks.exe: cannot run it (error %lu)",
		    (unsigned long)GetLastError());
		free(cmd);
		return -1;
	}
	WaitForSingleObject(pi.hProcess, INFINITE);
	GetExitCodeProcess(pi.hProcess, &code);
	CloseHandle(pi.hProcess);
	CloseHandle(pi.hThread);
	if (code != 0)
		log_warnx("%s: exit status %lu", cmd, (unsigned long)code);
	free(cmd);
	return code == 0 ? 0 : -1;
}

/* Write UTF-8 text to path as UTF-16LE with a BOM and CRLF line ends,
 * as schtasks /XML reads it best; 0/-1 (said). */
static int
put_utf16(const char *path, const char *text)
{
	wchar_t	*w;
	FILE	*f;
	char	*crlf;
	int	 n, rc = -1;
	size_t	 i, j, lines = 0;

	for (i = 0; text[i] != '\0'; i++)
		lines += text[i] == '\n';
	if ((crlf = malloc(i + lines + 1)) == NULL)
		return -1;
	for (i = j = 0; text[i] != '\0'; i++) {
		if (text[i] == '\n')
			crlf[j++] = '\r';
		crlf[j++] = text[i];
	}
	crlf[j] = '\0';
	n = MultiByteToWideChar(CP_UTF8, 0, crlf, -1, NULL, 0);
	if (n <= 0 || (w = calloc((size_t)n, sizeof(*w))) == NULL) {
		free(crlf);
		return -1;
	}
	MultiByteToWideChar(CP_UTF8, 0, crlf, -1, w, n);
	free(crlf);
	if ((f = fopen(path, "wb")) == NULL)
		log_warnx("%s: %s", path, strerror(errno));
	else {
		if (fwrite("\xff\xfe", 1, 2, f) == 2 &&
		    fwrite(w, sizeof(*w), (size_t)n - 1, f) == (size_t)n - 1)
			rc = 0;
		if (fclose(f) == EOF)
			rc = -1;
		if (rc == -1)
			log_warnx("%s: %s", path, strerror(errno));
	}
	free(w);
	return rc;
}

/* Register the task with the Task Scheduler. An exit status. */
int
sched_install(struct sched *s, int dry)
{
	const char	*base;
	char		*sid = NULL, *xml = NULL, *tmp = NULL, *args = NULL;
	char		*logp = NULL, tdir[MAX_PATH * 4];
	int		 rc = EXIT_STATE, sys = elevated();

	if (!sys && (sid = user_sid()) == NULL) {
		log_warnx("--install-task: cannot tell who you are (error "
		    "%lu)", (unsigned long)GetLastError());
		return EXIT_STATE;
	}
	s->user = sid;
	if (s->log == NULL) {
		/* SYSTEM's data lives in ProgramData, a user's in theirs. */
		base = getenv(sys ? "ProgramData" : "LOCALAPPDATA");
		if (base == NULL || *base == '\0')
			base = sys ? "C:\\ProgramData" : ".";
		s->log = logp = xasprintf("%s\\ddnsup\\ddnsup.log", base);
	}
	if ((xml = sched_task_xml(s)) == NULL)
		goto out;
	if (dry) {
		printf("%s", xml);
		printf("==> would run: schtasks /Create /TN %s /XML <the "
		    "definition above, UTF-16> /F\n", TASK_NAME);
		rc = EXIT_OK;
		goto out;
	}
	if (GetTempPathA(sizeof(tdir), tdir) == 0 ||
	    (tmp = xasprintf("%sddnsup-task-%lu.xml", tdir,
	    (unsigned long)GetCurrentProcessId())) == NULL)
		goto out;
	if (put_utf16(tmp, xml) == -1)
		goto out;
	args = xasprintf("/Create /TN %s /XML \"%s\" /F", TASK_NAME, tmp);
	if (args != NULL && schtasks(args) == 0) {
		rc = EXIT_OK;
		printf("installed the task \"%s\": ddnsup runs every %s and "
		    "1 minute after %s, as %s, with no window.\n", TASK_NAME,
		    human_duration(s->every), sys ? "startup" : "you log on",
		    sys ? "SYSTEM" : "you (whether or not you are logged on)");
		printf("  its log:  %s\n", s->log);
		printf("  see it:   schtasks /Query /TN %s /V /FO LIST\n",
		    TASK_NAME);
		printf("  remove:   \"%s\" --uninstall-task\n", s->exe);
	} else if (!sys)
		log_warnx("if Windows refused the task, open the command "
		    "prompt with \"Run as administrator\" and run "
		    "--install-task again: the task then runs as SYSTEM");
	DeleteFileA(tmp);
out:
	if (s->log == logp)
		s->log = NULL;
	s->user = NULL;
	free(sid);
	free(xml);
	free(tmp);
	free(args);
	free(logp);
	return rc;
}

/* Delete the task. An exit status. */
int
sched_uninstall(int dry)
{
	if (dry) {
		printf("==> would run: schtasks /Delete /TN %s /F\n",
		    TASK_NAME);
		return EXIT_OK;
	}
	if (schtasks("/Delete /TN " TASK_NAME " /F") == -1)
		return EXIT_STATE;
	printf("removed the task \"%s\"\n", TASK_NAME);
	return EXIT_OK;
}
#endif /* _WIN32 */
