/*
 * ddnsup: shared types and prototypes (the project's extern.h).
 *
 * The data path, left to right:
 *   config -> plan (records) -> probe (address per family) -> state diff
 *   -> provider push (outcome per record) -> state save -> exit status.
 */
#ifndef DDNSUP_H
#define DDNSUP_H

#include <stdarg.h>
#include <stddef.h>
#include <time.h>

#include <jansson.h>

#ifdef _WIN32
#include "windows/compat.h"
#endif

/* The printf dialect our format checks assume: C99. MinGW's GCC takes
 * plain "printf" to mean msvcrt's, which lacks %zu; the Windows build
 * links MinGW's C99 stdio instead (__USE_MINGW_ANSI_STDIO). */
#ifdef _WIN32
#define PRINTF_FMT	gnu_printf
#else
#define PRINTF_FMT	printf
#endif

#define DDNSUP_VERSION	"0.1.0"

/* sysexits(3) values, spelled out so the Windows build needs no header. */
#define EXIT_OK		0
#define EXIT_UNCHANGED	2	/* --unchanged-status: nothing needed pushing */
#define EXIT_NAT	3	/* done, but IPv4 is behind carrier-grade or
				 * another NAT: unreachable from outside */
#define EXIT_USAGE	64
#define EXIT_NOADDR	69	/* no public address could be learned */
#define EXIT_STATE	73	/* the state file could not be written */
#define EXIT_TEMPFAIL	75
#define EXIT_PROTOCOL	76
#define EXIT_AUTH	77
#define EXIT_CONFIG	78

/* Address families we keep records for: index into per-family arrays. */
enum fam {
	FAM_V4,
	FAM_V6,
	FAM_MAX
};

struct addr {
	enum fam	 fam;
	unsigned char	 bytes[16];	/* 4 used for FAM_V4 */
	char		 text[48];	/* canonical presentation form */
};

/* Record types we maintain; a record's "types" is a mask of these. */
#define TYPE_A		0x1
#define TYPE_AAAA	0x2

/* Ordered: the run exits with the worst. */
enum outcome {
	OUT_CURRENT,		/* record already held the address */
	OUT_UPDATED,		/* we changed it */
	OUT_TEMPFAIL,		/* network, 5xx, 429, "retry later": next run retries */
	OUT_PROTOCOL,		/* the provider answered something we do not understand */
	OUT_AUTH,		/* credentials or permission refused */
	OUT_CONFIG,		/* zone/record/name refused as given */
};

/* ---- addr.c: parsing and RFC 6890 validation -------------------------- */

/* 0 and *out filled if s (exactly, no spaces) is an address of family fam
 * (or any family if fam is FAM_MAX); -1 otherwise. */
int		 addr_parse(const char *s, enum fam fam, struct addr *out);
/* NULL if a is a public (globally reachable) address; otherwise the name
 * of the special-purpose range it is in ("private", "loopback", "cgnat",
 * "documentation", ...). Static string, never freed. */
const char	*addr_range(const struct addr *a);
/* A sentence explaining why range r cannot be a public address. Static. */
const char	*addr_range_why(const char *r);
/* The allow-mask bit for a range name as returned by addr_range (also the
 * names accepted in the config's "allow_nonpublic" list); 0 if unknown. */
unsigned int	 addr_range_bit(const char *r);
#define ADDR_ALLOW_ALL	(~0u)
/* NULL if a may be used given the allow mask; else its range name. */
const char	*addr_check(const struct addr *a, unsigned int allow);
int		 addr_equal(const struct addr *, const struct addr *);
const char	*fam_name(enum fam);		/* "IPv4" / "IPv6" */
/*
 * A record's host id: s is an IPv6 address ("::1234") or a MAC address
 * ("00:11:22:33:44:55", '-' also accepted; made a modified EUI-64
 * interface id). 0 and host[16] filled if it fits in the last 128 - plen
 * bits; -1 with *why (static) if not.
 */
int		 addr_host_id(const char *s, int plen, unsigned char host[16],
		    const char **why);
/* out = the first plen bits of pub (IPv6) then host's remaining bits. */
void		 addr_with_host(const struct addr *pub, int plen,
		    const unsigned char host[16], struct addr *out);
const char	*fam_rrtype(enum fam);		/* "A" / "AAAA" */

/* ---- log.c: diagnostics on stderr, secrets redacted ------------------- */

extern int	 log_verbose;	/* -v count */
extern int	 log_quiet;	/* -q */

void		 log_secret(const char *secret); /* never print this string */
void		 log_warnx(const char *fmt, ...)
		    __attribute__((format(PRINTF_FMT, 1, 2)));
void		 log_info(const char *fmt, ...)	/* only with -v */
		    __attribute__((format(PRINTF_FMT, 1, 2)));
void		 log_debug(const char *fmt, ...) /* only with -vv */
		    __attribute__((format(PRINTF_FMT, 1, 2)));
/* Returns a malloc'd copy of s with every registered secret replaced by
 * "<redacted>"; caller frees. NULL only on allocation failure. */
char		*log_redact(const char *s);
/* printf into a new malloc'd string; NULL on allocation failure. */
char		*xasprintf(const char *fmt, ...)
		    __attribute__((format(PRINTF_FMT, 1, 2)));
char		*xvasprintf(const char *fmt, va_list ap);
/*
 * --log FILE: from now on every diagnostic, and each line log_file()
 * gets, is also appended to path, time-stamped (a file over 1 MiB is
 * first renamed to path.1). 0, or -1 (said; diagnostics still go to
 * stderr).
 */
int		 log_open(const char *path);
void		 log_file(const char *fmt, ...)	/* to the log file only */
		    __attribute__((format(PRINTF_FMT, 1, 2)));
void		 log_close(void);

/* ---- http.c: the one place that talks to libcurl ---------------------- */

struct http_conf {
	const char	*cafile;	/* NULL: system default */
	long		 timeout_ms;	/* whole request; default 10000 */
	long		 connect_ms;	/* default 5000 */
	size_t		 max_body;	/* response cap; default 1 MiB */
};

struct http_req {
	const char	 *method;	/* "GET" if NULL */
	const char	 *url;
	const char *const *headers;	/* "Name: value", NULL-ended; may be NULL */
	const char	 *body;		/* may be NULL */
	size_t		  bodylen;
	const char	 *userpwd;	/* "user:password" for Basic auth, or NULL */
	int		  insecure;	/* skip TLS verification (user asked) */
	long		  timeout_ms;	/* 0: http_conf default */
	int		  direct;	/* a LAN device: never via a proxy */
};

struct http_resp {
	long		 status;	/* HTTP status, 0 if none */
	char		*body;		/* NUL-terminated, malloc'd */
	size_t		 len;
	long		 retry_after;	/* seconds from Retry-After, or -1 */
	long long	 ratelimit_reset; /* X-RateLimit-Reset's number, or -1 */
	char		*content_type;	/* malloc'd or NULL */
	char		*cookies;	/* the Set-Cookie pairs as a Cookie:
					 * value ("a=1; b=2"), malloc'd or NULL */
};

int		 http_init(const struct http_conf *);	/* 0/-1, once */
/*
 * Pure: a Windows proxy setting (the "Internet Options" or netsh winhttp
 * form: "host:port", or "http=host:port;https=host:port") and its bypass
 * list ("<local>;*.corp.example;10.*") as libcurl wants them: the proxy
 * for http:// and for https:// URLs (NULL: go direct) and a NOPROXY list
 * (NULL: none). 0, or -1 on ENOMEM; the outputs are malloc'd.
 */
int		 http_winproxy_parse(const char *proxy, const char *bypass,
		    char **http, char **https, char **noproxy);
void		 http_cleanup(void);
/* 0 if the server answered (any status; resp filled, caller calls
 * http_resp_free), -1 on transport failure (nothing to free) with a
 * message in *why (malloc'd, redacted, caller frees). */
int		 http_request(const struct http_req *, struct http_resp *,
		    char **why);
void		 http_resp_free(struct http_resp *);
/* New easy handle with the project's policy (TLS, UA, timeouts, proxy,
 * redirects, verbose redaction) for the probe's multi interface; the body
 * goes to buf, capped at http_conf.max_body. NULL on failure. */
struct http_buf {
	char	*data;
	size_t	 len;
	int	 overflow;
};
void		*http_easy(const char *url, struct http_buf *buf, int insecure);
/* RFC 3986 percent-encoding of s (keep A-Za-z0-9-_.~); malloc'd. */
char		*http_pctenc(const char *s);

/* ---- crypto.c: signing primitives over libcrypto ---------------------- */

void		 crypto_hex(const unsigned char *in, size_t len, char *out);
void		 crypto_sha256_hex(const void *data, size_t len, char out[65]);
/* HMAC-SHA256 (sha1 == 0) or HMAC-SHA1 into out (32/20 bytes); returns
 * the length, 0 on failure. */
size_t		 crypto_hmac(int sha1, const void *key, size_t keylen,
		    const void *data, size_t len, unsigned char *out);
char		*crypto_base64(const unsigned char *in, size_t len); /* malloc'd */
char		*crypto_nonce(void);		/* 32 hex digits, malloc'd */
/* t as UTC in strftime format fmt into buf; returns buf. */
char		*crypto_utc(time_t t, const char *fmt, char *buf, size_t sz);
/* Sorted, RFC 3986-encoded "k=v&..." of kv ("k","v",...,NULL); malloc'd. */
char		*crypto_canonical_query(const char *const *kv);

/* ---- config.c: the plan --------------------------------------------- */

struct provider;

struct record {
	char			*name;		/* FQDN, no trailing dot */
	char			*zone;		/* configured zone or NULL */
	const struct provider	*prov;
	int			 types;		/* TYPE_A | TYPE_AAAA */
	long			 ttl;		/* 0: provider's default/keep */
	json_t			*opts;		/* provider keys, secrets resolved */
	char			 hash[17];	/* of the record's config */
	int			 selected;	/* chosen for this run */
	int			 host_set;	/* AAAA: prefix + host id */
	unsigned char		 host_id[16];	/* (addr_host_id) */
	int			 prefix_len;	/* bits kept of the prefix */
};

/*
 * One entry of a family's source list (config probe.ipv4 / probe.ipv6),
 * tried in order of preference. Consecutive URL strings form one "http"
 * step; every other entry is one step of its source (probe/<source>.c).
 */
struct probe_source;			/* probe/probe.h */
struct probe_step {
	const struct probe_source *src;
	char		**urls;		/* http: NULL-ended endpoints */
	json_t		 *opts;		/* others: the entry's object, with
					 * "source" (shorthands expanded) */
	char		 *label;	/* "http", "iface eth0", "stun" ... */
};

struct probe_conf {
	struct probe_step *steps[FAM_MAX];	/* NULL: built-in http list */
	size_t		  nsteps[FAM_MAX];
	long		  timeout_ms;		/* per endpoint */
	long		  deadline_ms;		/* whole probe */
	int		  quorum;		/* answers that must agree */
	int		  nat_ok;		/* a known NAT: no warning, no 3 */
	unsigned int	  allow;		/* ADDR_ALLOW_* ranges accepted */
	char		**insecure;		/* URLs allowed without TLS checks */
};

struct config {
	char		*path;		/* file read, or NULL */
	char		*state_path;
	long		 max_age;	/* seconds; push when state is older */
	struct probe_conf probe;
	struct record	*recs;
	size_t		 nrecs;
	int		 secrets;	/* file holds secrets inline */
	char		*cafile;
};

/*
 * Read the JSON config at path (comments allowed) into cfg. missing_ok: a
 * missing file is not an error (cfg stays empty). 0, or -1 after printing
 * "file:line:col: what" for the first problem. Caller frees with config_free.
 */
int		 config_load(struct config *cfg, const char *path, int missing_ok);
/* Add one record described by obj (the same keys as a config "records"
 * entry) that came from origin (for messages); 0/-1 as above. */
int		 config_add_record(struct config *cfg, json_t *obj,
		    const char *origin);
void		 config_free(struct config *);
/* Platform default config and state paths; malloc'd, caller frees. */
char		*config_default_path(void);
char		*config_default_state(void);
/* Seconds in "90", "30s", "15m", "12h", "3d"; -1 if malformed. */
long		 config_duration(const char *s);

/* Provider option accessors: the value of key for this record, or NULL /
 * the default when absent. Strings are owned by the record. */
const char	*rec_str(const struct record *, const char *key);
long		 rec_int(const struct record *, const char *key, long dflt);
int		 rec_bool(const struct record *, const char *key, int dflt);

/* ---- state.c ---------------------------------------------------------- */

struct state_entry {
	char		*provider;
	char		*zone;		/* "" when not configured */
	char		*name;
	char		*type;		/* "A" / "AAAA" */
	char		*address;	/* last pushed and confirmed, or NULL */
	time_t		 confirmed;	/* when address was confirmed, or 0 */
	char		*record_id;	/* provider's id, or NULL */
	time_t		 attempt;	/* last attempt, or 0 */
	int		 outcome;	/* enum outcome of last attempt, or -1 */
	char		*message;	/* last error, or NULL */
	time_t		 backoff;	/* no provider call before this, or 0 */
	int		 hold;		/* permanent error: wait for config change */
	char		*hash;		/* config hash at last attempt */
};

struct state {
	char			*path;
	struct state_entry	*ents;
	size_t			 nents;
	int			 lockfd;	/* -1 when not locked */
	void			*lockh;		/* Windows handle */
};

#define STATE_VERSION	1

/* 0 on success (a missing or corrupt file gives an empty state and a
 * warning); -1 only on allocation failure. */
int		 state_load(struct state *, const char *path);
/* The entry for that key, created empty if absent; NULL on ENOMEM. */
struct state_entry *state_get(struct state *, const char *provider,
		    const char *zone, const char *name, const char *type);
/* Atomically write the whole state; 0/-1 with the reason logged. */
int		 state_save(const struct state *);
/* Lock against overlapping runs, waiting up to wait_ms: 0 locked,
 * 1 another run holds it, -1 error (logged). */
int		 state_lock(struct state *, long wait_ms);
void		 state_free(struct state *);
/* Set e's string field *field to a copy of v (NULL clears); 0/-1. */
int		 state_set(char **field, const char *v);
/* Create the directory that will hold path, and its parents (mode
 * 0700); 0, or -1 with errno set. */
int		 path_mkdirs(const char *path);

/* ---- schedule.c: --install-task / --uninstall-task -------------------- */

struct sched {
	long		 every;		/* seconds between runs */
	const char	*exe;		/* absolute path of this program */
	const char	*config;	/* absolute path of the config */
	const char	*state;		/* absolute state path, or NULL */
	const char	*log;		/* absolute log path, or NULL */
	const char	*user;		/* NULL: system-wide (root, SYSTEM);
					 * else the user (Windows: a SID) */
	time_t		 now;
};

/* Install or remove the scheduled run; dry: say what would be done. An
 * exit status (0, 64 interval cron cannot express, 73 not installed). */
int		 sched_install(struct sched *, int dry);
int		 sched_uninstall(int dry);
/* The definitions, pure (malloc'd; NULL on ENOMEM, or with *why for an
 * interval cron cannot express). */
char		*sched_unit_service(const struct sched *);
char		*sched_unit_timer(const struct sched *);
char		*sched_cron(const struct sched *, const char **why);
char		*sched_task_xml(const struct sched *);
/* Absolute forms of a path and of this program; malloc'd or NULL. */
char		*sched_abspath(const char *path);
char		*sched_self_exe(const char *argv0);

/* ---- providers -------------------------------------------------------- */

#define KEY_REQUIRED	0x1
#define KEY_SECRET	0x2	/* credential: never printed, may come from env/file */
#define KEY_BOOL	0x4
#define KEY_INT		0x8

struct provider_key {
	const char	*name;
	int		 flags;
};

/* Per-run context handed to a provider for one push. */
struct push_ctx {
	const char	*record_id;	/* from the state file, or NULL */
	const char	*address;	/* what the state says the record holds */
	char		*new_record_id;	/* set by provider (malloc'd) to save */
	long		 retry_after;	/* seconds the provider asked us to wait */
	int		 hold;		/* permanent: stop until config changes */
	json_t		*cache;		/* per-run object: zone ids etc. */
};

struct provider {
	const char			*name;	/* config value, lower case */
	const struct provider_key	*keys;	/* accepted keys, {NULL,0}-ended */
	/* Make rec hold addr. *why is a malloc'd one-line reason, set on
	 * any outcome other than OUT_CURRENT/OUT_UPDATED (may be set then too). */
	enum outcome	(*push)(const struct record *rec, const struct addr *addr,
			    struct push_ctx *ctx, char **why);
	/* Optional, run on the config before any network traffic (so
	 * --check-config catches it): NULL if rec can be pushed, else why
	 * not, malloc'd. For rules the keys table cannot say ("token, or
	 * email and api_key"). */
	char		*(*check)(const struct record *rec);
	/* Optional, called once at the end of a run in which push was
	 * called, with the run's cache (push_ctx.cache): close what the
	 * pushes left open there, such as a login session. Failures are
	 * only logged; they change no outcome. */
	void		(*finish)(json_t *cache);
};

extern const struct provider *const providers[];	/* NULL-ended, sorted */
const struct provider	*provider_find(const char *name);

#endif /* DDNSUP_H */
