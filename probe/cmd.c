/*
 * Address source "cmd": run a configured command and take the address
 * from what it prints, through the same extractor (probe_extract) and the
 * same validation (probe_accept) as an HTTP endpoint's reply.
 *
 * Options ({"source": "cmd", ...}, or "cmd:/path/to/program"):
 *   command  an array of strings: the program and its arguments, run
 *            directly, no shell; or a string: with "shell": true, run by
 *            /bin/sh -c; without, only a lone program path (no spaces or
 *            shell characters), so that a shell line is never split in a
 *            way the user did not mean.
 *   shell    true: command is a shell line (POSIX only).
 *   timeout  seconds (0 < t <= 3600); default the probe's timeout.
 *
 * Quirks handled: stdin is /dev/null; the environment is passed through;
 * SIGPIPE, which ddnsup ignores, is restored for the command; descriptors
 * other than 0-2 (the state lock!) are closed in the child, so a command
 * that leaves a process behind cannot hold them; the command runs in its
 * own process group, killed whole at its timeout or the probe deadline;
 * PATH is searched before fork, so the child calls only async-signal-safe
 * functions (curl's resolver threads may exist); the child is always
 * reaped. Output beyond 64 KiB fails the step. A non-zero exit status or
 * a signal fails it, with the first line of stderr in the reason.
 *
 * Windows: the argv form runs with CreateProcessW (arguments quoted as
 * the Microsoft C runtime parses them), stdio on pipes, inside a job
 * object that is terminated at the timeout; "shell": true is refused.
 */
#ifdef _WIN32
#include <windows.h>
#else
#include <sys/types.h>
#include <sys/stat.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>
#endif

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"

#define OUT_MAX		(64 * 1024)	/* stdout kept */
#define ERR_MAX		1024		/* stderr kept, for its first line */
#define DEFAULT_TIMEOUT_MS 5000

/* How one command run ended. */
enum ending {
	END_EXITED,		/* status: its exit status */
	END_SIGNALED,		/* status: the signal */
	END_TIMEOUT,		/* killed at the time limit */
	END_OVERFLOW,		/* killed: more than OUT_MAX of output */
	END_NOSTART,		/* never ran; err says why */
};

/* One command run: what it printed and how it ended. */
struct exec {
	enum ending	 end;
	int		 status;
	char		 out[OUT_MAX + 1];
	size_t		 outlen;
	char		 err[ERR_MAX + 1];
	size_t		 errlen;
	long		 ms;
};

static int	 cmd_check(json_t *, enum fam, const char **, char **);
static int	 cmd_run(const struct probe_step *const [FAM_MAX],
		    const struct probe_conf *, struct probe_result [FAM_MAX],
		    long);

const struct probe_source probe_cmd = {
	.name = "cmd",
	.shorthand = "command",
	.check = cmd_check,
	.run = cmd_run,
};

static const char *const keys[] = {
	"source", "command", "shell", "timeout", NULL
};

/* Characters that mean a string command is a shell line. */
#define SHELL_CHARS	" \t\n\r|&;<>()$`\\\"'*?[]#~=%{}!"

/* The option's static name if k is one of ours, else NULL. */
static const char *
known_key(const char *k)
{
	size_t	 i;

	for (i = 0; keys[i] != NULL; i++)
		if (strcmp(keys[i], k) == 0)
			return keys[i];
	return NULL;
}

/* The source's check: see struct probe_source. */
static int
cmd_check(json_t *opts, enum fam fam, const char **key, char **why)
{
	const char	*k, *s;
	json_t		*v, *cmd, *shell, *e;
	size_t		 i;
	double		 t;

	(void)fam;
	json_object_foreach(opts, k, v) {
		if (known_key(k) == NULL) {
			*key = NULL;
			*why = xasprintf("unknown option \"%s\" (options: "
			    "command, shell, timeout)", k);
			return -1;
		}
	}
	shell = json_object_get(opts, "shell");
	if (shell != NULL && !json_is_boolean(shell)) {
		*key = "shell";
		*why = xasprintf("expected true or false");
		return -1;
	}
	if ((v = json_object_get(opts, "timeout")) != NULL) {
		t = json_is_number(v) ? json_number_value(v) : -1;
		if (t <= 0 || t > 3600) {
			*key = "timeout";
			*why = xasprintf("expected seconds (0 < t <= 3600)");
			return -1;
		}
	}
	*key = "command";
	cmd = json_object_get(opts, "command");
	if (cmd == NULL) {
		*key = NULL;
		*why = xasprintf("\"command\" missing: the program and its "
		    "arguments, such as [\"/usr/local/bin/myip\", \"-4\"]");
		return -1;
	}
	if (json_is_array(cmd)) {
		if (json_array_size(cmd) == 0) {
			*why = xasprintf("expected the program and its "
			    "arguments, not an empty list");
			return -1;
		}
		json_array_foreach(cmd, i, e) {
			if (!json_is_string(e) || (i == 0 &&
			    json_string_length(e) == 0)) {
				*why = xasprintf("expected a list of strings, "
				    "the first the program");
				return -1;
			}
			if (strlen(json_string_value(e)) !=
			    json_string_length(e)) {
				*why = xasprintf("an argument holds a NUL "
				    "character");
				return -1;
			}
		}
		if (json_is_true(shell)) {
			*key = "shell";
			*why = xasprintf("goes with a string command (one "
			    "shell line), not a list of arguments");
			return -1;
		}
		return 0;
	}
	if (!json_is_string(cmd) || json_string_length(cmd) == 0 ||
	    strlen(json_string_value(cmd)) != json_string_length(cmd)) {
		*why = xasprintf("expected a list of strings (the program and "
		    "its arguments) or a string");
		return -1;
	}
	s = json_string_value(cmd);
	if (json_is_true(shell)) {
#ifdef _WIN32
		*key = "shell";
		*why = xasprintf("not supported on Windows: give the command "
		    "as a list of arguments");
		return -1;
#else
		return 0;
#endif
	}
	if (strpbrk(s, SHELL_CHARS) != NULL) {
		*why = xasprintf("\"%s\" has spaces or shell characters: give "
		    "the program and its arguments as a list, such as "
		    "[\"/usr/local/bin/myip\", \"-4\"], or add \"shell\": true "
		    "to run it with /bin/sh -c", s);
		return -1;
	}
	return 0;
}

/* The command's argv (malloc'd vector into opts' strings; caller frees
 * the vector only). NULL on ENOMEM. */
static char **
cmd_argv(json_t *opts)
{
	json_t	*cmd = json_object_get(opts, "command"), *e;
	char	**argv;
	size_t	 i, n;

	n = json_is_array(cmd) ? json_array_size(cmd) : 1;
	if ((argv = calloc(n + 3, sizeof(*argv))) == NULL)
		return NULL;
	if (json_is_array(cmd)) {
		json_array_foreach(cmd, i, e)
			argv[i] = (char *)json_string_value(e);
	} else if (json_is_true(json_object_get(opts, "shell"))) {
		argv[0] = "/bin/sh";
		argv[1] = "-c";
		argv[2] = (char *)json_string_value(cmd);
	} else
		argv[0] = (char *)json_string_value(cmd);
	return argv;
}

/* The first line of s (at most 200 bytes, control characters dropped)
 * into buf. */
static void
first_line(const char *s, size_t len, char *buf, size_t sz)
{
	size_t	 i, o = 0;

	while (len > 0 && (*s == '\n' || *s == '\r' || *s == ' ')) {
		s++;
		len--;
	}
	for (i = 0; i < len && s[i] != '\n' && s[i] != '\r' && o + 1 < sz &&
	    o < 200; i++)
		if ((unsigned char)s[i] >= 0x20 && s[i] != 0x7f)
			buf[o++] = s[i];
	while (o > 0 && buf[o - 1] == ' ')
		o--;
	buf[o] = '\0';
}

#ifndef _WIN32
/*
 * The path to execute for program p: p itself if it has a '/', else the
 * first executable file named p in $PATH. Malloc'd; NULL with *err set
 * (ENOENT when not found).
 */
static char *
find_program(const char *p, int *err)
{
	const char	*path, *dir, *end;
	struct stat	 sb;
	char		*full;
	size_t		 n;

	if (strchr(p, '/') != NULL)
		return strdup(p);
	if ((path = getenv("PATH")) == NULL || *path == '\0')
		path = "/usr/bin:/bin";
	*err = ENOENT;
	for (dir = path; dir != NULL; dir = *end ? end + 1 : NULL) {
		end = dir + strcspn(dir, ":");
		n = (size_t)(end - dir);
		full = n == 0 ? xasprintf("./%s", p) :
		    xasprintf("%.*s/%s", (int)n, dir, p);
		if (full == NULL) {
			*err = ENOMEM;
			return NULL;
		}
		if (stat(full, &sb) == 0 && S_ISREG(sb.st_mode)) {
			if (access(full, X_OK) == 0)
				return full;
			*err = EACCES;
		}
		free(full);
	}
	return NULL;
}

/* Read what fd has now into buf (len of cap so far); 1 at EOF or error,
 * 0 while open. Bytes past cap are counted in *over. */
static int
drain(int fd, char *buf, size_t *len, size_t cap, int *over)
{
	char	 tmp[4096];
	ssize_t	 n;
	size_t	 take;

	for (;;) {
		n = read(fd, tmp, sizeof(tmp));
		if (n == 0)
			return 1;
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : 1;
		take = (size_t)n;
		if (take > cap - *len) {
			take = cap - *len;
			*over = 1;
		}
		memcpy(buf + *len, tmp, take);
		*len += take;
	}
}

/* Close every descriptor from lo up but keep; 0, or -1 if the system
 * cannot do it in one go (the caller loops). Async-signal-safe. */
static int
close_from(int lo, int keep)
{
#if defined(__linux__) && defined(SYS_close_range)
	if (keep > lo && syscall(SYS_close_range, (unsigned)lo,
	    (unsigned)keep - 1, 0u) == -1)
		return -1;
	return syscall(SYS_close_range, (unsigned)(keep >= lo ? keep + 1 :
	    lo), ~0u, 0u) == -1 ? -1 : 0;
#else
	(void)lo;
	(void)keep;
	return -1;
#endif
}

/* Start argv; fills *pid and the parent's pipe ends. 0, or -1 with
 * x->err set. */
static int
spawn(char **argv, pid_t *pid, int *outfd, int *errfd, struct exec *x)
{
	int	 out[2] = { -1, -1 }, err[2] = { -1, -1 }, ex[2] = { -1, -1 };
	int	 devnull = -1, e = 0, fd, maxfd;
	char	*prog;
	ssize_t	 n;
	long	 open_max;

	if ((prog = find_program(argv[0], &e)) == NULL) {
		first_line(strerror(e), strlen(strerror(e)), x->err,
		    sizeof(x->err));
		return -1;
	}
	e = 0;
	open_max = sysconf(_SC_OPEN_MAX);
	maxfd = open_max > 0 && open_max < 65536 ? (int)open_max : 65536;
	if (pipe(out) == -1 || pipe(err) == -1 || pipe(ex) == -1 ||
	    fcntl(ex[1], F_SETFD, FD_CLOEXEC) == -1 ||
	    (devnull = open("/dev/null", O_RDONLY)) == -1) {
		e = errno;
		goto fail;
	}
	if ((*pid = fork()) == -1) {
		e = errno;
		goto fail;
	}
	if (*pid == 0) {
		/* Child: async-signal-safe calls only. */
		setpgid(0, 0);
		signal(SIGPIPE, SIG_DFL);
		if (dup2(devnull, 0) == -1 || dup2(out[1], 1) == -1 ||
		    dup2(err[1], 2) == -1)
			e = errno;
		if (close_from(3, ex[1]) == -1)
			for (fd = 3; fd < maxfd; fd++)
				if (fd != ex[1])
					close(fd);
		if (e == 0) {
			execv(prog, argv);
			e = errno;
		}
		n = write(ex[1], &e, sizeof(e));
		(void)n;
		_exit(127);
	}
	setpgid(*pid, *pid);	/* the child does too: no race either way */
	close(out[1]);
	close(err[1]);
	close(ex[1]);
	close(devnull);
	free(prog);
	/* EOF (exec closed it) means started; else the child's errno. */
	while ((n = read(ex[0], &e, sizeof(e))) == -1 && errno == EINTR)
		;
	close(ex[0]);
	if (n == (ssize_t)sizeof(e)) {
		while (waitpid(*pid, NULL, 0) == -1 && errno == EINTR)
			;
		close(out[0]);
		close(err[0]);
		first_line(strerror(e), strlen(strerror(e)), x->err,
		    sizeof(x->err));
		return -1;
	}
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	fcntl(err[0], F_SETFL, O_NONBLOCK);
	fcntl(out[0], F_SETFD, FD_CLOEXEC);
	fcntl(err[0], F_SETFD, FD_CLOEXEC);
	*outfd = out[0];
	*errfd = err[0];
	return 0;
fail:
	free(prog);
	for (fd = 0; fd < 2; fd++) {
		if (out[fd] != -1)
			close(out[fd]);
		if (err[fd] != -1)
			close(err[fd]);
		if (ex[fd] != -1)
			close(ex[fd]);
	}
	if (devnull != -1)
		close(devnull);
	first_line(strerror(e), strlen(strerror(e)), x->err, sizeof(x->err));
	return -1;
}

/* Run argv until it exits or limit (a probe_now_ms() time); fills x. */
static void
run_argv(char **argv, long limit, struct exec *x)
{
	struct pollfd	 pfd[2];
	pid_t		 pid;
	long		 start, wait;
	int		 fds[2], open_[2] = { 1, 1 }, over = 0, st, i, done = 0;

	memset(x, 0, sizeof(*x));
	start = probe_now_ms();
	if (spawn(argv, &pid, &fds[0], &fds[1], x) == -1) {
		x->end = END_NOSTART;
		x->errlen = strlen(x->err);
		return;
	}
	for (;;) {
		if (waitpid(pid, &st, WNOHANG) == pid) {
			done = 1;
			break;
		}
		if (over) {
			x->end = END_OVERFLOW;
			break;
		}
		if ((wait = limit - probe_now_ms()) <= 0) {
			x->end = END_TIMEOUT;
			break;
		}
		for (i = 0; i < 2; i++) {
			pfd[i].fd = open_[i] ? fds[i] : -1;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
		}
		/* With both pipes shut only the exit is left to see. */
		if (poll(pfd, 2, open_[0] || open_[1] ? (wait > 100 ? 100 :
		    (int)wait) : (wait > 2 ? 2 : (int)wait)) > 0) {
			if (open_[0] && pfd[0].revents && drain(fds[0], x->out,
			    &x->outlen, OUT_MAX, &over))
				open_[0] = 0;
			if (open_[1] && pfd[1].revents) {
				int	 dummy = 0;

				if (drain(fds[1], x->err, &x->errlen, ERR_MAX,
				    &dummy))
					open_[1] = 0;
			}
		}
	}
	if (done) {
		/* What it wrote before exiting is all in the pipes now. */
		if (open_[0])
			(void)drain(fds[0], x->out, &x->outlen, OUT_MAX, &over);
		if (open_[1]) {
			int	 dummy = 0;

			(void)drain(fds[1], x->err, &x->errlen, ERR_MAX,
			    &dummy);
		}
		if (over)
			x->end = END_OVERFLOW;
		else if (WIFSIGNALED(st)) {
			x->end = END_SIGNALED;
			x->status = WTERMSIG(st);
		} else {
			x->end = END_EXITED;
			x->status = WEXITSTATUS(st);
		}
	} else {
		/* The whole group: a shell's children too. */
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
			;
	}
	close(fds[0]);
	close(fds[1]);
	x->ms = probe_now_ms() - start;
}
#else /* _WIN32 */
/* Append to *buf (cap *cap) n bytes of s; 0/-1 (ENOMEM). */
static int
wappend(wchar_t **buf, size_t *len, size_t *cap, const wchar_t *s, size_t n)
{
	wchar_t	*b;

	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		if ((b = realloc(*buf, *cap * sizeof(**buf))) == NULL)
			return -1;
		*buf = b;
	}
	memcpy(*buf + *len, s, n * sizeof(*s));
	*len += n;
	(*buf)[*len] = L'\0';
	return 0;
}

/*
 * The command line for argv, each argument that needs it (empty, or with
 * a space, tab or quote) quoted so that the Microsoft C runtime's parser
 * gives it back unchanged (backslashes doubled only before a quote); the
 * others as they are, which programs with their own parsers (cmd.exe)
 * read best. Malloc'd UTF-16; NULL on failure.
 */
static wchar_t *
win_cmdline(char **argv)
{
	wchar_t		*w, *out = NULL;
	size_t		 len = 0, cap = 0, i, bs, k;
	int		 n, a, rc = 0;
	const wchar_t	 q = L'"', b = L'\\', sp = L' ';

	for (a = 0; argv[a] != NULL && rc == 0; a++) {
		n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, argv[a],
		    -1, NULL, 0);
		if (n <= 0 || (w = malloc((size_t)n * sizeof(*w))) == NULL)
			goto fail;
		MultiByteToWideChar(CP_UTF8, 0, argv[a], -1, w, n);
		if (a > 0)
			rc |= wappend(&out, &len, &cap, &sp, 1);
		if (*w != L'\0' && wcspbrk(w, L" \t\"") == NULL) {
			rc |= wappend(&out, &len, &cap, w, wcslen(w));
			free(w);
			continue;
		}
		rc |= wappend(&out, &len, &cap, &q, 1);
		for (i = 0, bs = 0; w[i] != L'\0'; i++) {
			if (w[i] == L'\\') {
				bs++;
				continue;
			}
			/* Backslashes before a quote are doubled, and the
			 * quote escaped; elsewhere they are literal. */
			for (k = 0; k < (w[i] == L'"' ? 2 * bs + 1 : bs); k++)
				rc |= wappend(&out, &len, &cap, &b, 1);
			rc |= wappend(&out, &len, &cap, &w[i], 1);
			bs = 0;
		}
		/* Trailing backslashes precede the closing quote. */
		for (k = 0; k < 2 * bs; k++)
			rc |= wappend(&out, &len, &cap, &b, 1);
		rc |= wappend(&out, &len, &cap, &q, 1);
		free(w);
	}
	if (rc == 0)
		return out;
fail:
	free(out);
	return NULL;
}

/* Read what pipe h has now into buf; 1 at EOF or error, 0 while open. */
static int
win_drain(HANDLE h, char *buf, size_t *len, size_t cap, int *over)
{
	char	 tmp[4096];
	DWORD	 avail, got;
	size_t	 take;

	for (;;) {
		if (!PeekNamedPipe(h, NULL, 0, NULL, &avail, NULL))
			return 1;	/* broken: the writer is gone */
		if (avail == 0)
			return 0;
		if (!ReadFile(h, tmp, avail > sizeof(tmp) ? sizeof(tmp) :
		    avail, &got, NULL) || got == 0)
			return 1;
		take = got;
		if (take > cap - *len) {
			take = cap - *len;
			*over = 1;
		}
		memcpy(buf + *len, tmp, take);
		*len += take;
	}
}

/* Run argv until it exits or limit; fills x. */
static void
run_argv(char **argv, long limit, struct exec *x)
{
	SECURITY_ATTRIBUTES	 sa;
	STARTUPINFOW		 si;
	PROCESS_INFORMATION	 pi;
	HANDLE			 job = NULL, orh = NULL, owh = NULL;
	HANDLE			 erh = NULL, ewh = NULL, nul = INVALID_HANDLE_VALUE;
	wchar_t			*cl;
	DWORD			 code, w;
	long			 start, left;
	int			 over = 0, dummy = 0, eof[2] = { 0, 0 };

	memset(x, 0, sizeof(*x));
	start = probe_now_ms();
	memset(&sa, 0, sizeof(sa));
	sa.nLength = sizeof(sa);
	sa.bInheritHandle = TRUE;
	if ((cl = win_cmdline(argv)) == NULL ||
	    !CreatePipe(&orh, &owh, &sa, 0) || !CreatePipe(&erh, &ewh, &sa, 0) ||
	    (nul = CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ |
	    FILE_SHARE_WRITE, &sa, OPEN_EXISTING, 0, NULL)) ==
	    INVALID_HANDLE_VALUE || (job = CreateJobObjectW(NULL, NULL)) ==
	    NULL) {
		x->end = END_NOSTART;
		snprintf(x->err, sizeof(x->err), "cannot set up the pipes "
		    "(error %lu)", (unsigned long)GetLastError());
		goto out;
	}
	SetHandleInformation(orh, HANDLE_FLAG_INHERIT, 0);
	SetHandleInformation(erh, HANDLE_FLAG_INHERIT, 0);
	memset(&si, 0, sizeof(si));
	si.cb = sizeof(si);
	si.dwFlags = STARTF_USESTDHANDLES;
	si.hStdInput = nul;
	si.hStdOutput = owh;
	si.hStdError = ewh;
	if (!CreateProcessW(NULL, cl, NULL, NULL, TRUE, CREATE_SUSPENDED |
	    CREATE_NO_WINDOW, NULL, NULL, &si, &pi)) {
		x->end = END_NOSTART;
		code = GetLastError();
		snprintf(x->err, sizeof(x->err), "%s", code ==
		    ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND ?
		    "No such file or directory" : "cannot start it");
		goto out;
	}
	/* In the job before it runs: killing the job kills its children. */
	AssignProcessToJobObject(job, pi.hProcess);
	ResumeThread(pi.hThread);
	CloseHandle(pi.hThread);
	CloseHandle(owh);
	CloseHandle(ewh);
	owh = ewh = NULL;
	for (;;) {
		if (!eof[0])
			eof[0] = win_drain(orh, x->out, &x->outlen, OUT_MAX,
			    &over);
		if (!eof[1])
			eof[1] = win_drain(erh, x->err, &x->errlen, ERR_MAX,
			    &dummy);
		if (over) {
			x->end = END_OVERFLOW;
			break;
		}
		if ((left = limit - probe_now_ms()) <= 0) {
			x->end = END_TIMEOUT;
			break;
		}
		w = WaitForSingleObject(pi.hProcess, left > 20 ? 20 :
		    (DWORD)left);
		if (w == WAIT_OBJECT_0) {
			(void)win_drain(orh, x->out, &x->outlen, OUT_MAX,
			    &over);
			(void)win_drain(erh, x->err, &x->errlen, ERR_MAX,
			    &dummy);
			GetExitCodeProcess(pi.hProcess, &code);
			x->end = over ? END_OVERFLOW : END_EXITED;
			x->status = (int)code;
			break;
		}
	}
	if (x->end == END_TIMEOUT || x->end == END_OVERFLOW) {
		TerminateJobObject(job, 1);
		WaitForSingleObject(pi.hProcess, 5000);
	}
	CloseHandle(pi.hProcess);
out:
	x->errlen = x->end == END_NOSTART ? strlen(x->err) : x->errlen;
	free(cl);
	if (orh != NULL)
		CloseHandle(orh);
	if (owh != NULL)
		CloseHandle(owh);
	if (erh != NULL)
		CloseHandle(erh);
	if (ewh != NULL)
		CloseHandle(ewh);
	if (nul != INVALID_HANDLE_VALUE)
		CloseHandle(nul);
	if (job != NULL)
		CloseHandle(job);
	x->ms = probe_now_ms() - start;
}
#endif /* _WIN32 */

/* How the step's command is named in messages: its label, or "cmd" and
 * the program for an argument list. Malloc'd. */
static char *
subject(const struct probe_step *st)
{
	json_t	*cmd = json_object_get(st->opts, "command");

	if (json_is_array(cmd))
		return xasprintf("cmd %s", json_string_value(
		    json_array_get(cmd, 0)));
	return strdup(st->label != NULL ? st->label : "cmd");
}

/* Judge run x of step st for family f into r. */
static void
judge(const struct probe_step *st, const struct probe_conf *conf,
    enum fam f, const struct exec *x, struct probe_result *r)
{
	struct addr	 a;
	const char	*w;
	char		*who, line[256];
	size_t		 shown;

	if ((who = subject(st)) == NULL) {
		r->why = NULL;		/* probe.c says "no address" */
		return;
	}
	r->ms = x->ms;
	first_line(x->err, x->errlen, line, sizeof(line));
	shown = x->outlen > 512 ? 512 : x->outlen;
	while (shown > 0 && (x->out[shown - 1] == '\n' ||
	    x->out[shown - 1] == '\r'))
		shown--;
	log_debug("probe: %s: %zu bytes in %ld ms: %.*s", who ? who : "cmd",
	    x->outlen, x->ms, (int)shown, x->out);
	switch (x->end) {
	case END_NOSTART:
		r->why = xasprintf("%s: cannot run it: %s", who, line);
		break;
	case END_TIMEOUT:
		r->why = xasprintf("%s: no answer in %ld.%ld s: killed", who,
		    x->ms / 1000, x->ms % 1000 / 100);
		break;
	case END_OVERFLOW:
		r->why = xasprintf("%s: more than %d KiB of output", who,
		    OUT_MAX / 1024);
		break;
	case END_SIGNALED:
		r->why = xasprintf("%s: killed by signal %d%s%s", who,
		    x->status, *line ? ": " : "", line);
		break;
	case END_EXITED:
		if (x->status != 0) {
			r->why = xasprintf("%s: exit status %d%s%s", who,
			    x->status, *line ? ": " : "", line);
			break;
		}
		if (probe_extract(x->out, x->outlen, f, &a, &w) == -1) {
			r->why = xasprintf("%s: %s", who, w);
			break;
		}
		if (probe_accept(conf, &a, who, &r->why) == -1)
			break;
		r->ok = 1;
		r->addr = a;
		r->agree = 1;
		r->source = who;
		who = NULL;
		log_info("probe: %s: %s in %ld ms", r->source, a.text, x->ms);
		break;
	}
	if (r->why != NULL)
		log_info("probe: %s", r->why);
	free(who);
}

/* The source's run: see struct probe_source. */
static int
cmd_run(const struct probe_step *const step[FAM_MAX],
    const struct probe_conf *conf, struct probe_result res[FAM_MAX],
    long deadline)
{
	struct exec	*x;
	json_t		*t;
	char		**argv;
	long		 timeout, limit;
	int		 f, rc = 0, have = 0;

	if ((x = malloc(sizeof(*x))) == NULL)
		return -1;
	for (f = 0; f < FAM_MAX; f++) {
		if (step[f] == NULL)
			continue;
		t = json_object_get(step[f]->opts, "timeout");
		timeout = json_is_number(t) ? (long)(json_number_value(t) *
		    1000) : conf->timeout_ms > 0 ? conf->timeout_ms :
		    DEFAULT_TIMEOUT_MS;
		/* The same command for both families runs once. */
		if (!(have && f == FAM_V6 && step[FAM_V4] != NULL &&
		    json_equal(step[FAM_V4]->opts, step[FAM_V6]->opts))) {
			limit = probe_now_ms() + timeout;
			if (limit > deadline)
				limit = deadline;
			if ((argv = cmd_argv(step[f]->opts)) == NULL) {
				res[f].why = xasprintf("%s: out of memory",
				    step[f]->label);
				rc = -1;
				continue;
			}
			run_argv(argv, limit, x);
			free(argv);
			have = 1;
		}
		judge(step[f], conf, f, x, &res[f]);
		if (!res[f].ok)
			rc = -1;
	}
	free(x);
	return rc;
}
