/*
 * ddnsup: keep DNS records pointing at this network's public address.
 *
 * One pass, left to right: options and config make the plan; probes learn
 * the address per family; the state file says which records need a push;
 * providers push; the state file records what they confirmed; the exit
 * status is the worst outcome. This file holds the policy; the modules
 * below it only report.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "ddnsup.h"
#include "probe/probe.h"

#define DEFAULT_MAX_AGE		(3 * 86400)
#define DEFAULT_TIMEOUT_MS	5000
#define DEFAULT_DEADLINE_MS	10000
#define LOCK_WAIT_MS		5000

/* What one (record, type) pair came to. */
struct result {
	const struct record	*rec;
	enum fam		 fam;
	enum outcome		 out;
	int			 noaddr;	/* no address for the family */
	int			 pushed;	/* the provider was called */
	int			 skipped;	/* back-off or hold */
	int			 dry;		/* would push (--dry-run) */
	const char		*reason;	/* why a push was needed */
	struct addr		 addr;		/* what this record gets */
	char			 prev[48];	/* last confirmed address */
	char			*why;		/* failure, malloc'd */
	time_t			 backoff;
};

struct opts {
	const char	*config;
	const char	*state;
	const char	*provider;
	const char	*type;
	long		 ttl;
	int		 force, dry, json, probe, check, unchanged;
	const char	*install;	/* --install-task INTERVAL */
	int		 uninstall;
	const char	*log;		/* --log FILE */
	int		 fams;		/* mask of 1 << FAM_* to handle */
	struct addr	 ip[FAM_MAX];
	int		 have_ip[FAM_MAX];
	json_t		*kv;		/* -o key=value */
	char	       **names;
	int		 nnames;
};

static const char *const outcome_word[] = {
	"current", "updated", "tempfail", "protocol", "auth", "config"
};

static void __attribute__((noreturn))
usage(int status)
{
	FILE	*f = status ? stderr : stdout;

	fprintf(f,
"usage: ddnsup [-46fnquv] [-c file] [--state file] [--ip addr] [--json]\n"
"              [-p provider] [-o key=value] [--ttl n] [--type type] [name ...]\n"
"       ddnsup --probe [-46v] [-c file] [--ip addr] [--json]\n"
"       ddnsup --check-config [-c file]\n"
"       ddnsup --install-task interval [-n] [-c file] [--state file] [--log file]\n"
"       ddnsup --uninstall-task [-n]\n"
"       ddnsup --version | --help\n");
	if (status == 0)
		fprintf(f, "\n"
"  -c, --config FILE      configuration (default: %s)\n"
"  -f, --force            push even when the state says nothing changed\n"
"  -n, --dry-run          show what would be pushed; push nothing\n"
"  -4, -6                 only A / only AAAA records\n"
"      --probe            print the public address(es) and exit\n"
"      --ip ADDR          use ADDR instead of probing (once per family)\n"
"      --json             print one JSON result document\n"
"  -u, --unchanged-status exit 2 when nothing needed pushing\n"
"  -p, --provider NAME    one record from the command line (with -o)\n"
"  -o, --option KEY=VAL   provider setting; VAL may be env:VAR or file:PATH\n"
"      --ttl N, --type A|AAAA|both\n"
"      --state FILE       state file\n"
"      --check-config     validate the configuration and exit\n"
"      --install-task T   run every T (\"5m\") from the Task Scheduler,\n"
"                         a systemd timer, or print the crontab lines\n"
"      --uninstall-task   remove what --install-task made\n"
"      --log FILE         also append diagnostics and changes to FILE\n"
"  -v, --verbose          more detail (-vv: requests, secrets redacted)\n"
"  -q, --quiet            errors only\n"
"Exit: 0 ok, 2 unchanged (-u), 3 done but behind NAT, 64 usage, 69 no address,\n"
"73 state/log file, 75 temporary, 76 provider protocol, 77 auth refused,\n"
"78 configuration.\n"
"See ddnsup(1).\n", "$DDNSUP_CONFIG or the platform default");
	exit(status);
}

/* Rank for the exit precedence: higher is worse. */
static int
exit_rank(int code)
{
	static const int order[] = {
		EXIT_OK, EXIT_UNCHANGED, EXIT_NAT, EXIT_TEMPFAIL, EXIT_NOADDR,
		EXIT_STATE, EXIT_PROTOCOL, EXIT_AUTH, EXIT_CONFIG
	};
	size_t	 i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (order[i] == code)
			return (int)i;
	return 0;
}

static int
worst(int a, int b)
{
	return exit_rank(b) > exit_rank(a) ? b : a;
}

static int
outcome_exit(enum outcome o)
{
	switch (o) {
	case OUT_CURRENT:
	case OUT_UPDATED:
		return EXIT_OK;
	case OUT_TEMPFAIL:
		return EXIT_TEMPFAIL;
	case OUT_PROTOCOL:
		return EXIT_PROTOCOL;
	case OUT_AUTH:
		return EXIT_AUTH;
	case OUT_CONFIG:
		return EXIT_CONFIG;
	}
	return EXIT_PROTOCOL;
}

/* ISO 8601 UTC of t into buf[21]; returns buf. */
static char *
isotime(time_t t, char buf[21])
{
	struct tm	 tm;

#ifdef _WIN32
	gmtime_s(&tm, &t);
#else
	gmtime_r(&t, &tm);
#endif
	strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

/* Parse argv into o; exits 64 on a usage error. Returns optind. */
static int
parse_args(int argc, char *argv[], struct opts *o)
{
	enum { O_PROBE = 256, O_IP, O_JSON, O_STATE, O_CHECK, O_VERSION,
	    O_TTL, O_TYPE, O_INSTALL, O_UNINSTALL, O_LOG };
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "force", no_argument, NULL, 'f' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "unchanged-status", no_argument, NULL, 'u' },
		{ "provider", required_argument, NULL, 'p' },
		{ "option", required_argument, NULL, 'o' },
		{ "probe", no_argument, NULL, O_PROBE },
		{ "ip", required_argument, NULL, O_IP },
		{ "json", no_argument, NULL, O_JSON },
		{ "state", required_argument, NULL, O_STATE },
		{ "check-config", no_argument, NULL, O_CHECK },
		{ "version", no_argument, NULL, O_VERSION },
		{ "ttl", required_argument, NULL, O_TTL },
		{ "type", required_argument, NULL, O_TYPE },
		{ "install-task", required_argument, NULL, O_INSTALL },
		{ "uninstall-task", no_argument, NULL, O_UNINSTALL },
		{ "log", required_argument, NULL, O_LOG },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct addr	 a;
	char		*eq, *end;
	int		 ch, only = 0;

	o->ttl = -1;
	while ((ch = getopt_long(argc, argv, "46c:fhno:p:quv", lo,
	    NULL)) != -1) {
		switch (ch) {
		case '4':
			only |= 1 << FAM_V4;
			break;
		case '6':
			only |= 1 << FAM_V6;
			break;
		case 'c':
			o->config = optarg;
			break;
		case 'f':
			o->force = 1;
			break;
		case 'n':
			o->dry = 1;
			break;
		case 'q':
			log_quiet = 1;
			break;
		case 'v':
			log_verbose++;
			break;
		case 'u':
			o->unchanged = 1;
			break;
		case 'p':
			o->provider = optarg;
			break;
		case 'o':
			if ((eq = strchr(optarg, '=')) == NULL ||
			    eq == optarg) {
				log_warnx("-o %s: expected KEY=VALUE", optarg);
				usage(EXIT_USAGE);
			}
			*eq = '\0';
			json_object_set_new(o->kv, optarg, json_string(eq + 1));
			break;
		case O_PROBE:
			o->probe = 1;
			break;
		case O_IP:
			if (addr_parse(optarg, FAM_MAX, &a) == -1) {
				log_warnx("--ip %s: not an IPv4 or IPv6 address",
				    optarg);
				usage(EXIT_USAGE);
			}
			if (o->have_ip[a.fam]) {
				log_warnx("--ip %s: only one %s address", optarg,
				    fam_name(a.fam));
				usage(EXIT_USAGE);
			}
			o->ip[a.fam] = a;
			o->have_ip[a.fam] = 1;
			break;
		case O_JSON:
			o->json = 1;
			break;
		case O_STATE:
			o->state = optarg;
			break;
		case O_CHECK:
			o->check = 1;
			break;
		case O_VERSION:
			printf("ddnsup %s (%s)\n", DDNSUP_VERSION,
			    curl_version());
			exit(EXIT_OK);
		case O_TTL:
			errno = 0;
			o->ttl = strtol(optarg, &end, 10);
			if (end == optarg || *end != '\0' || errno || o->ttl < 0 ||
			    o->ttl > 604800) {
				log_warnx("--ttl %s: expected seconds", optarg);
				usage(EXIT_USAGE);
			}
			break;
		case O_TYPE:
			if (strcmp(optarg, "A") && strcmp(optarg, "AAAA") &&
			    strcmp(optarg, "both")) {
				log_warnx("--type %s: expected A, AAAA or both",
				    optarg);
				usage(EXIT_USAGE);
			}
			o->type = optarg;
			break;
		case O_INSTALL:
			o->install = optarg;
			break;
		case O_UNINSTALL:
			o->uninstall = 1;
			break;
		case O_LOG:
			o->log = optarg;
			break;
		case 'h':
			usage(EXIT_OK);
		default:
			usage(EXIT_USAGE);
		}
	}
	o->fams = only ? only : (1 << FAM_V4) | (1 << FAM_V6);
	if (log_quiet && log_verbose) {
		log_warnx("-q and -v contradict each other");
		usage(EXIT_USAGE);
	}
	if (o->probe + o->check > 1 || ((o->probe || o->check) &&
	    (o->force || o->dry))) {
		log_warnx("--probe and --check-config run alone");
		usage(EXIT_USAGE);
	}
	if ((o->install != NULL) + o->uninstall + o->probe + o->check > 1 ||
	    ((o->install || o->uninstall) && (o->force || o->provider ||
	    o->json || argc > optind))) {
		log_warnx("--install-task and --uninstall-task go with -n, -c, "
		    "--state and --log only");
		usage(EXIT_USAGE);
	}
	if (o->provider == NULL && (json_object_size(o->kv) ||
	    o->ttl != -1 || o->type != NULL)) {
		log_warnx("-o, --ttl and --type go with -p/--provider");
		usage(EXIT_USAGE);
	}
	return optind;
}

/*
 * Records from the command line (-p, -o, $DDNSUP_*): one per name, with
 * the same settings. 0/-1 (error said).
 */
static int
cli_records(struct config *cfg, struct opts *o, const char *prov)
{
	const struct provider		*p = provider_find(prov);
	const struct provider_key	*k;
	const char			*v, *key;
	char				 env[64], *name;
	json_t				*obj, *val;
	size_t				 i;
	int				 n, rc = 0;

	if (p == NULL) {
		log_warnx("--provider %s: unknown provider", prov);
		return -1;
	}
	for (n = 0; rc == 0 && n < (o->nnames ? o->nnames : 1); n++) {
		name = o->nnames ? o->names[n] : getenv("DDNSUP_NAME");
		if (name == NULL || *name == '\0') {
			log_warnx("--provider %s: which name? give it as an "
			    "argument or in $DDNSUP_NAME", prov);
			return -1;
		}
		obj = json_pack("{s:s, s:s}", "provider", prov, "name", name);
		if (o->type != NULL)
			json_object_set_new(obj, "types", json_string(o->type));
		if (o->ttl != -1)
			json_object_set_new(obj, "ttl", json_integer(o->ttl));
		json_object_foreach(o->kv, key, val) {
			v = json_string_value(val);
			for (k = p->keys; k->name != NULL; k++)
				if (strcmp(k->name, key) == 0)
					break;
			if (strncmp(v, "env:", 4) == 0)
				val = json_pack("{s:s}", "env", v + 4);
			else if (strncmp(v, "file:", 5) == 0)
				val = json_pack("{s:s}", "file", v + 5);
			else if (strcmp(key, "insecure") == 0)
				val = json_boolean(strcmp(v, "true") == 0);
			else {
				if (n == 0 && k->name != NULL &&
				    (k->flags & KEY_SECRET))
					log_warnx("-o %s: a credential on the "
					    "command line can be seen by other "
					    "users; prefer -o %s=env:VAR or "
					    "$DDNSUP_%s", key, key, key);
				val = json_string(v);
			}
			json_object_set_new(obj, key, val);
		}
		/* $DDNSUP_<KEY> for each provider key not given with -o. */
		for (k = p->keys; k->name != NULL; k++) {
			if (json_object_get(obj, k->name) != NULL)
				continue;
			snprintf(env, sizeof(env), "DDNSUP_%s", k->name);
			for (i = 7; env[i] != '\0'; i++)
				env[i] = toupper((unsigned char)env[i]);
			if ((v = getenv(env)) != NULL && *v != '\0')
				json_object_set_new(obj, k->name,
				    json_pack("{s:s}", "env", env));
		}
		rc = config_add_record(cfg, obj, "command line");
		json_decref(obj);
	}
	return rc;
}

/* Learn the address of each family in need[]; fills res. */
static void
learn(struct config *cfg, struct opts *o, const int need[FAM_MAX],
    struct probe_result res[FAM_MAX])
{
	int	 want[FAM_MAX], any = 0, f;

	for (f = 0; f < FAM_MAX; f++) {
		want[f] = need[f] && !o->have_ip[f];
		any |= want[f];
		if (need[f] && o->have_ip[f]) {
			const char	*r = addr_range(&o->ip[f]);

			res[f].ok = 1;
			res[f].addr = o->ip[f];
			res[f].source = strdup("--ip");
			res[f].agree = 1;
			if (r != NULL && !o->json)
				log_warnx("--ip %s is not a public address "
				    "(%s); using it as told", o->ip[f].text, r);
		}
	}
	if (any)
		probe_run(&cfg->probe, want, res);
}

/* Why (rec, fam) needs a push, or NULL when the state says it is current. */
static const char *
need_push(const struct config *cfg, const struct opts *o,
    const struct record *rec, const struct state_entry *e,
    const struct addr *a, time_t now)
{
	if (o->force)
		return "forced";
	if (e->address == NULL)
		return "never pushed";
	if (strcmp(e->address, a->text) != 0)
		return "address changed";
	if (e->hash == NULL || strcmp(e->hash, rec->hash) != 0)
		return "configuration changed";
	if (e->confirmed + cfg->max_age <= now)
		return "last confirmed too long ago";
	return NULL;
}

/* Push one (record, family) if needed; fills r. 0, or -1 if the state
 * could not be saved afterwards. */
static int
run_one(struct config *cfg, struct opts *o, struct state *st,
    struct result *r, const struct addr *a, json_t *cache, time_t now)
{
	const struct record	*rec = r->rec;
	struct state_entry	*e;
	struct push_ctx		 ctx;
	char			 when[21];

	e = state_get(st, rec->prov->name, rec->zone ? rec->zone : "",
	    rec->name, fam_rrtype(r->fam));
	if (e == NULL) {
		r->out = OUT_TEMPFAIL;
		r->why = xasprintf("out of memory");
		return 0;
	}
	if (e->address != NULL)
		snprintf(r->prev, sizeof(r->prev), "%s", e->address);
	r->out = OUT_CURRENT;
	if ((r->reason = need_push(cfg, o, rec, e, a, now)) == NULL)
		return 0;

	/* A held record waits for its config to change; a backed-off one
	 * for the time the provider asked for. --force overrides both. */
	if (!o->force && e->hold && e->hash != NULL &&
	    strcmp(e->hash, rec->hash) == 0) {
		r->skipped = 1;
		r->out = e->outcome > OUT_UPDATED ? (enum outcome)e->outcome :
		    OUT_CONFIG;
		if (e->message != NULL)
			r->why = xasprintf("%s [held: not pushed again until the "
			    "configuration changes, or --force]", e->message);
		else
			r->why = xasprintf("%s: %s %s: held after a permanent "
			    "refusal: not pushed again until the configuration "
			    "changes, or --force", rec->prov->name, rec->name,
			    fam_rrtype(r->fam));
		return 0;
	}
	if (!o->force && e->backoff > now) {
		r->skipped = 1;
		r->out = OUT_TEMPFAIL;
		r->backoff = e->backoff;
		if (e->message != NULL)
			r->why = xasprintf("%s [in back-off until %s; --force "
			    "to push now]", e->message,
			    isotime(e->backoff, when));
		else
			r->why = xasprintf("%s: %s %s: in back-off until %s; "
			    "--force to push now", rec->prov->name, rec->name,
			    fam_rrtype(r->fam), isotime(e->backoff, when));
		return 0;
	}
	if (o->dry) {
		r->dry = 1;
		return 0;
	}

	memset(&ctx, 0, sizeof(ctx));
	ctx.record_id = e->record_id;
	ctx.address = e->address;
	ctx.cache = cache;
	log_info("%s: %s %s: pushing %s (%s)", rec->prov->name, rec->name,
	    fam_rrtype(r->fam), a->text, r->reason);
	r->out = rec->prov->push(rec, a, &ctx, &r->why);
	r->pushed = 1;

	e->attempt = now;
	e->outcome = r->out;
	if (r->out == OUT_CURRENT || r->out == OUT_UPDATED) {
		state_set(&e->address, a->text);
		state_set(&e->hash, rec->hash);
		state_set(&e->message, NULL);
		if (ctx.new_record_id != NULL)
			state_set(&e->record_id, ctx.new_record_id);
		e->confirmed = now;
		e->backoff = 0;
		e->hold = 0;
		free(r->why);
		r->why = NULL;
	} else {
		if (r->why == NULL)
			r->why = xasprintf("%s: %s %s: %s", rec->prov->name,
			    rec->name, fam_rrtype(r->fam),
			    outcome_word[r->out]);
		state_set(&e->message, r->why);
		/* Each failure decides afresh: an old back-off or hold must
		 * not outlive the answer that asked for it. */
		e->backoff = ctx.retry_after > 0 ? now + ctx.retry_after : 0;
		e->hold = 0;
		if (ctx.hold) {
			/* Tie the hold to this config: a change lifts it. */
			e->hold = 1;
			state_set(&e->hash, rec->hash);
		}
		r->backoff = e->backoff > now ? e->backoff : 0;
	}
	free(ctx.new_record_id);
	return state_save(st);
}

/* Let each provider that pushed this run close what it left open in the
 * run's cache (a login session), once. */
static void
finish_providers(const struct result *rs, size_t nr, json_t *cache)
{
	const struct provider	*p;
	size_t			 i, j;

	for (i = 0; i < nr; i++) {
		p = rs[i].rec->prov;
		if (!rs[i].pushed || p->finish == NULL)
			continue;
		for (j = 0; j < i; j++)
			if (rs[j].pushed && rs[j].rec->prov == p)
				break;
		if (j == i)
			p->finish(cache);
	}
}

/* Print one result line on stdout. */
static void
print_line(const struct result *r)
{
	const char	*addr = r->noaddr ? "-" : r->addr.text;

	if (log_quiet)
		return;
	printf("%s %s %s ", r->rec->name, fam_rrtype(r->fam), addr);
	if (r->noaddr)
		printf("failed (no %s address)\n", fam_name(r->fam));
	else if (r->dry)
		printf("would-update (%s)\n", r->reason);
	else if (r->skipped)
		printf("skipped (%s)\n", outcome_word[r->out]);
	else if (r->out == OUT_UPDATED && r->prev[0] &&
	    strcmp(r->prev, addr) != 0)
		printf("updated (was %s)\n", r->prev);
	else if (r->out <= OUT_UPDATED)
		printf("%s\n", outcome_word[r->out]);
	else
		printf("failed (%s)\n", outcome_word[r->out]);
}

/* The --log file's line for r: changes and failures (all with -v). */
static void
log_result(const struct result *r)
{
	const char	*addr = r->noaddr ? "-" : r->addr.text;

	if (r->noaddr)
		log_file("%s %s failed (no %s address)", r->rec->name,
		    fam_rrtype(r->fam), fam_name(r->fam));
	else if (r->out == OUT_UPDATED && !r->dry && !r->skipped)
		log_file("%s %s %s updated%s%s%s", r->rec->name,
		    fam_rrtype(r->fam), addr, r->prev[0] ? " (was " : "",
		    r->prev, r->prev[0] ? ")" : "");
	else if (r->out > OUT_UPDATED && !r->skipped)
		log_file("%s %s %s failed (%s)", r->rec->name,
		    fam_rrtype(r->fam), addr, outcome_word[r->out]);
	else if (log_verbose)
		log_file("%s %s %s %s", r->rec->name, fam_rrtype(r->fam),
		    addr, r->dry ? "would-update" : r->skipped ? "skipped" :
		    outcome_word[r->out]);
}

/*
 * Say what each step of each needed family saw, one line per step, the
 * answer taken marked: always (unless -q) with --probe (loud), at -v
 * otherwise. The lines go to stderr: --probe's stdout stays the bare
 * addresses that scripts read.
 */
static void
show_seen(const struct probe_result res[FAM_MAX], const int need[FAM_MAX],
    int loud)
{
	const struct probe_seen	*e;
	char			 wan[80], *line;
	size_t			 i, n;
	int			 f, chosen;

	for (f = 0; f < FAM_MAX; f++) {
		for (i = 0; need[f] && i < res[f].nseen; i++) {
			e = &res[f].seen[i];
			if (e->label == NULL)		/* ENOMEM */
				continue;
			wan[0] = '\0';
			if (e->wan_set)
				snprintf(wan, sizeof(wan), ", router WAN %s",
				    e->wan.text);
			chosen = e->ok && res[f].ok &&
			    addr_equal(&e->addr, &res[f].addr);
			n = strlen(e->label);
			if (e->ok)
				line = xasprintf("%s: %s: %s from %s in %ld "
				    "ms%s%s", fam_rrtype(f), e->label,
				    e->addr.text, e->source != NULL ?
				    e->source : e->label, e->ms, wan,
				    chosen ? " (chosen)" : "");
			else if (e->why != NULL &&
			    strncmp(e->why, e->label, n) == 0 &&
			    e->why[n] == ':')
				line = xasprintf("%s: %s (%ld ms)%s",
				    fam_rrtype(f), e->why, e->ms, wan);
			else
				line = xasprintf("%s: %s: %s (%ld ms)%s",
				    fam_rrtype(f), e->label, e->why != NULL ?
				    e->why : "no address", e->ms, wan);
			if (line == NULL)
				continue;
			if (loud && !log_quiet)
				log_warnx("%s", line);
			else
				log_info("%s", line);
			free(line);
		}
	}
}

/* What each step of r saw, for --json: [{source_label, address, ...}]. */
static json_t *
json_seen(const struct probe_result *r)
{
	const struct probe_seen	*e;
	json_t			*list = json_array(), *o;
	size_t			 i;

	for (i = 0; i < r->nseen; i++) {
		e = &r->seen[i];
		o = json_pack("{s:s, s:s?, s:s?, s:I}", "source_label",
		    e->label, "address", e->ok ? e->addr.text : NULL,
		    "error", e->ok ? NULL : e->why != NULL ? e->why :
		    "no address", "ms", (json_int_t)e->ms);
		if (o != NULL && e->wan_set)
			json_object_set_new(o, "wan", json_string(e->wan.text));
		json_array_append_new(list, o);
	}
	return list;
}

static json_t *
json_addresses(const struct probe_result res[FAM_MAX], const int need[FAM_MAX])
{
	json_t	*a = json_object();
	int	 f;

	for (f = 0; f < FAM_MAX; f++) {
		if (!need[f])
			continue;
		if (res[f].ok)
			json_object_set_new(a, fam_rrtype(f), json_pack(
			    "{s:s, s:s?, s:I, s:i, s:o}", "address",
			    res[f].addr.text, "source", res[f].source,
			    "ms", (json_int_t)res[f].ms, "agree",
			    res[f].agree, "seen", json_seen(&res[f])));
		else
			json_object_set_new(a, fam_rrtype(f), json_pack(
			    "{s:s, s:o}", "error", res[f].why ? res[f].why :
			    "no address", "seen", json_seen(&res[f])));
	}
	return a;
}

/*
 * The CGNAT check's word on the IPv4 result r: warn (unless -q) and
 * return EXIT_NAT when it found a NAT that probe.nat_ok does not
 * acknowledge; EXIT_OK otherwise.
 */
static int
nat_status(const struct config *cfg, const struct probe_result *r)
{
	const char	*why;

	if (r->nat != NAT_CGNAT && r->nat != NAT_DOUBLE)
		return EXIT_OK;
	why = r->nat_why != NULL ? r->nat_why : "this network's IPv4 is "
	    "behind NAT: inbound connections cannot reach it";
	if (cfg->probe.nat_ok) {
		log_info("%s (acknowledged by probe.nat_ok)", why);
		return EXIT_OK;
	}
	if (!log_quiet)
		log_warnx("%s", why);
	return EXIT_NAT;
}

/* Add the CGNAT check's verdict on r (IPv4) to doc when it has one. */
static void
json_nat(json_t *doc, const struct probe_result *r, int needed)
{
	static const char *const word[] = {
		"unknown", "none", "cgnat", "double"
	};

	if (!needed || (r->nat == NAT_UNKNOWN && !r->wan_set))
		return;
	json_object_set_new(doc, "nat", json_pack("{s:s, s:s?, s:s?, s:s?}",
	    "verdict", word[r->nat], "wan", r->wan_set ? r->wan.text : NULL,
	    "public", r->ok ? r->addr.text : NULL, "message", r->nat_why));
}

static json_t *
json_result(const struct result *r)
{
	char		 when[21];
	const char	*word;

	word = r->noaddr ? "noaddr" : r->dry ? "would-update" :
	    outcome_word[r->out];
	return json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s, s:b, s:b, s:s?, "
	    "s:s?}", "name", r->rec->name, "type", fam_rrtype(r->fam),
	    "provider", r->rec->prov->name, "address",
	    r->noaddr ? NULL : r->addr.text, "previous",
	    r->prev[0] ? r->prev : NULL, "outcome", word, "pushed", r->pushed,
	    "skipped", r->skipped, "message", r->why, "backoff_until",
	    r->backoff ? isotime(r->backoff, when) : NULL);
}

/* --probe: print what the sources say; exit status. */
static int
do_probe(struct config *cfg, struct opts *o)
{
	struct probe_result	 res[FAM_MAX];
	int			 need[FAM_MAX], f, code, found = 0;
	int			 missing = 0, both;
	json_t			*doc;

	memset(res, 0, sizeof(res));
	for (f = 0; f < FAM_MAX; f++)
		need[f] = (o->fams >> f) & 1;
	both = need[FAM_V4] && need[FAM_V6];
	learn(cfg, o, need, res);
	show_seen(res, need, 1);
	for (f = 0; f < FAM_MAX; f++) {
		if (!need[f])
			continue;
		if (!res[f].ok) {
			missing = 1;
			log_warnx("%s", res[f].why ? res[f].why :
			    "no address");
		} else if (found++, !o->json) {
			printf("%s\n", res[f].addr.text);
			log_info("%s %s from %s in %ld ms", fam_rrtype(f),
			    res[f].addr.text, res[f].source, res[f].ms);
		}
	}
	/* Without -4/-6 one family is enough: many homes have no IPv6. */
	code = (found && (both || !missing)) ? EXIT_OK : EXIT_NOADDR;
	if (need[FAM_V4])
		code = worst(code, nat_status(cfg, &res[FAM_V4]));
	if (o->json) {
		doc = json_pack("{s:i, s:i, s:o}", "version", 1, "exit", code,
		    "addresses", json_addresses(res, need));
		json_nat(doc, &res[FAM_V4], need[FAM_V4]);
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(doc);
	}
	for (f = 0; f < FAM_MAX; f++)
		probe_result_free(&res[f]);
	return code;
}

/* Keep only the records named on the command line; 0/-1. */
static int
select_records(struct config *cfg, struct opts *o)
{
	size_t	 i;
	int	 n, hit;

	for (n = 0; n < o->nnames; n++) {
		hit = 0;
		for (i = 0; i < cfg->nrecs; i++)
			if (strcasecmp(cfg->recs[i].name, o->names[n]) == 0)
				hit = 1;
		if (!hit) {
			log_warnx("%s: no such record in %s", o->names[n],
			    cfg->path ? cfg->path : "the configuration");
			return -1;
		}
	}
	for (i = 0; i < cfg->nrecs; i++) {
		struct record	*r = &cfg->recs[i];

		if (!(o->fams & (1 << FAM_V4)))
			r->types &= ~TYPE_A;
		if (!(o->fams & (1 << FAM_V6)))
			r->types &= ~TYPE_AAAA;
		r->selected = r->types != 0;
		if (o->nnames == 0)
			continue;
		for (hit = 0, n = 0; n < o->nnames; n++)
			if (strcasecmp(r->name, o->names[n]) == 0)
				hit = 1;
		r->selected &= hit;
	}
	return 0;
}

/* The update run proper; returns the exit status. */
static int
do_update(struct config *cfg, struct opts *o)
{
	struct state		 st, lk;
	struct probe_result	 res[FAM_MAX];
	struct result		*rs = NULL;
	size_t			 i, nr = 0;
	int			 need[FAM_MAX] = { 0, 0 }, f, code = EXIT_OK;
	int			 changed = 0, state_bad = 0, nat;
	time_t			 now;
	json_t			*cache = json_object(), *doc, *list;

	memset(&st, 0, sizeof(st));
	memset(&lk, 0, sizeof(lk));
	st.lockfd = lk.lockfd = -1;
	memset(res, 0, sizeof(res));
	if ((rs = calloc(cfg->nrecs * 2 + 1, sizeof(*rs))) == NULL) {
		log_warnx("out of memory");
		return EXIT_TEMPFAIL;
	}
	for (i = 0; i < cfg->nrecs; i++) {
		if (!cfg->recs[i].selected)
			continue;
		for (f = 0; f < FAM_MAX; f++) {
			if (!(cfg->recs[i].types & (f == FAM_V4 ? TYPE_A :
			    TYPE_AAAA)))
				continue;
			rs[nr].rec = &cfg->recs[i];
			rs[nr++].fam = f;
			need[f] = 1;
		}
	}
	if (nr == 0) {
		log_warnx("nothing to do: no record selected");
		free(rs);
		json_decref(cache);
		return EXIT_CONFIG;
	}

	/* The lock is taken before the load and held until after the last
	 * save, so overlapping runs never interleave; a dry run only reads. */
	if (!o->dry) {
		if ((lk.path = strdup(cfg->state_path)) == NULL) {
			code = EXIT_TEMPFAIL;
			goto out;
		}
		switch (state_lock(&lk, LOCK_WAIT_MS)) {
		case 0:
			break;
		case 1:
			log_warnx("%s.lock: another ddnsup run holds the lock; "
			    "leaving the work to it", cfg->state_path);
			code = EXIT_TEMPFAIL;
			goto out;
		default:
			/* The state cannot be kept (said why): still bring the
			 * DNS up to date, and exit 73 so the user fixes it. */
			state_bad = 1;
			break;
		}
	}
	if (state_load(&st, cfg->state_path) == -1) {
		code = EXIT_TEMPFAIL;
		goto out;
	}

	learn(cfg, o, need, res);
	show_seen(res, need, 0);
	for (f = 0; f < FAM_MAX; f++)
		if (need[f] && !res[f].ok)
			log_warnx("%s", res[f].why ? res[f].why :
			    "no address");
	/* Records are still pushed: behind a NAT the shared address is
	 * still right for allowlists; the status says what it cannot do. */
	nat = need[FAM_V4] ? nat_status(cfg, &res[FAM_V4]) : EXIT_OK;

	now = time(NULL);
	for (i = 0; i < nr; i++) {
		struct result	*r = &rs[i];

		if (!res[r->fam].ok) {
			r->noaddr = 1;
			code = worst(code, EXIT_NOADDR);
			continue;
		}
		r->addr = res[r->fam].addr;
		if (r->fam == FAM_V6 && r->rec->host_set)
			addr_with_host(&res[r->fam].addr, r->rec->prefix_len,
			    r->rec->host_id, &r->addr);
		if (run_one(cfg, o, &st, r, &r->addr, cache, now) == -1)
			state_bad = 1;
		if (r->why != NULL)
			log_warnx("%s", r->why);
		if (r->out == OUT_UPDATED || r->dry)
			changed = 1;
		code = worst(code, outcome_exit(r->out));
	}
	finish_providers(rs, nr, cache);
	if (state_bad)
		code = worst(code, EXIT_STATE);
	if (code == EXIT_OK && !changed && o->unchanged)
		code = EXIT_UNCHANGED;
	code = worst(code, nat);

	if (o->json) {
		list = json_array();
		for (i = 0; i < nr; i++)
			json_array_append_new(list, json_result(&rs[i]));
		doc = json_pack("{s:i, s:i, s:o, s:o}", "version", 1, "exit",
		    code, "addresses", json_addresses(res, need), "records",
		    list);
		json_nat(doc, &res[FAM_V4], need[FAM_V4]);
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(doc);
	} else
		for (i = 0; i < nr; i++)
			print_line(&rs[i]);
	for (i = 0; i < nr; i++)
		log_result(&rs[i]);
out:
	for (i = 0; i < nr; i++)
		free(rs[i].why);
	free(rs);
	for (f = 0; f < FAM_MAX; f++)
		probe_result_free(&res[f]);
	state_free(&st);
	state_free(&lk);	/* releases the lock */
	json_decref(cache);
	return code;
}

/*
 * --install-task: schedule this program, with this config, every
 * o->install. An exit status.
 */
static int
install(const struct config *cfg, const struct opts *o, const char *argv0)
{
	struct sched	 s;
	char		*exe, *conf = NULL, *state = NULL, *logp = NULL;
	long		 every;
	int		 code = EXIT_STATE;

	if ((every = config_duration(o->install)) < 60 || every > 31 * 86400) {
		log_warnx("--install-task %s: expected an interval from 1m to "
		    "31d, such as 5m", o->install);
		return EXIT_USAGE;
	}
	if (cfg->path == NULL) {
		log_warnx("--install-task: no configuration to run with: write "
		    "one first (see ddnsup(1)), or give -c FILE");
		return EXIT_CONFIG;
	}
	if (cfg->nrecs == 0)
		log_warnx("%s has no records: the task will have nothing to "
		    "do", cfg->path);
	memset(&s, 0, sizeof(s));
	s.every = every;
	s.now = time(NULL);
	if ((exe = sched_self_exe(argv0)) == NULL) {
		log_warnx("--install-task: cannot tell where this program "
		    "is; run it by its full path");
		return EXIT_STATE;
	}
	s.exe = exe;
	if ((conf = sched_abspath(cfg->path)) == NULL ||
	    (o->state != NULL && (state = sched_abspath(o->state)) == NULL) ||
	    (o->log != NULL && (logp = sched_abspath(o->log)) == NULL)) {
		log_warnx("--install-task: cannot make the paths absolute");
		goto out;
	}
	s.config = conf;
	s.state = state;
	s.log = logp;
	code = sched_install(&s, o->dry);
out:
	free(exe);
	free(conf);
	free(state);
	free(logp);
	return code;
}

int
main(int argc, char *argv[])
{
	struct config	 cfg;
	struct opts	 o;
	struct http_conf hc;
	const char	*prov, *ca;
	char		*path = NULL;
	size_t		 i;
	int		 code, explicit, logbad = 0;

#ifdef _WIN32
	compat_init();		/* UTF-8 console; see windows/compat.c */
#else
	signal(SIGPIPE, SIG_IGN);
#endif
	memset(&cfg, 0, sizeof(cfg));
	memset(&o, 0, sizeof(o));
	o.kv = json_object();
	i = parse_args(argc, argv, &o);
	o.names = argv + i;
	o.nnames = argc - (int)i;
	if (o.uninstall) {
		code = sched_uninstall(o.dry);
		goto out;
	}
	if (o.log != NULL && !o.install && log_open(o.log) == -1)
		logbad = 1;

	/* The config is optional for --probe and for a command-line record. */
	prov = o.provider;
	explicit = o.config != NULL || getenv("DDNSUP_CONFIG") != NULL;
	path = o.config ? strdup(o.config) : config_default_path();
	if (path == NULL || config_load(&cfg, path, !explicit) == -1) {
		code = EXIT_CONFIG;
		goto out;
	}
	if (prov == NULL && cfg.nrecs == 0 && !o.probe &&
	    (prov = getenv("DDNSUP_PROVIDER")) != NULL && *prov == '\0')
		prov = NULL;
	if (prov != NULL) {
		/* A command-line record stands alone: the config file still
		 * gives probe settings, state path and CA, not its records. */
		for (i = 0; i < cfg.nrecs; i++) {
			free(cfg.recs[i].name);
			free(cfg.recs[i].zone);
			json_decref(cfg.recs[i].opts);
		}
		cfg.nrecs = 0;
		if (cli_records(&cfg, &o, prov) == -1) {
			code = EXIT_CONFIG;
			goto out;
		}
		o.nnames = 0;
	}
	if (cfg.path == NULL && prov == NULL && !o.probe) {
		log_warnx("no configuration: %s does not exist; write one "
		    "(see ddnsup(1)), or give -c FILE or -p PROVIDER", path);
		code = EXIT_CONFIG;
		goto out;
	}
	if (o.state != NULL) {
		free(cfg.state_path);
		cfg.state_path = strdup(o.state);
	} else if (cfg.state_path == NULL)
		cfg.state_path = config_default_state();
	if (cfg.max_age == 0)
		cfg.max_age = DEFAULT_MAX_AGE;
	if (cfg.probe.timeout_ms == 0)
		cfg.probe.timeout_ms = DEFAULT_TIMEOUT_MS;
	if (cfg.probe.deadline_ms == 0)
		cfg.probe.deadline_ms = DEFAULT_DEADLINE_MS;
	if (cfg.probe.timeout_ms > cfg.probe.deadline_ms)
		cfg.probe.timeout_ms = cfg.probe.deadline_ms;
	if (cfg.probe.quorum == 0)
		cfg.probe.quorum = 1;

	if (o.install) {
		code = install(&cfg, &o, argv[0]);
		goto out;
	}
	if (o.check) {
		printf("%s: OK, %zu record%s\n", cfg.path ? cfg.path :
		    "command line", cfg.nrecs, cfg.nrecs == 1 ? "" : "s");
		for (i = 0; i < cfg.nrecs; i++)
			printf("  %s %s%s%s via %s\n", cfg.recs[i].name,
			    (cfg.recs[i].types & TYPE_A) ? "A" : "",
			    cfg.recs[i].types == (TYPE_A | TYPE_AAAA) ?
			    "," : "",
			    (cfg.recs[i].types & TYPE_AAAA) ? "AAAA" : "",
			    cfg.recs[i].prov->name);
		printf("  state: %s\n", cfg.state_path);
		code = EXIT_OK;
		goto out;
	}
	if (!o.probe && select_records(&cfg, &o) == -1) {
		code = EXIT_USAGE;
		goto out;
	}

	memset(&hc, 0, sizeof(hc));
	ca = cfg.cafile ? cfg.cafile : getenv("DDNSUP_CAFILE");
	hc.cafile = ca != NULL && *ca != '\0' ? ca : NULL;
	if (http_init(&hc) == -1) {
		code = EXIT_TEMPFAIL;
		goto out;
	}
	code = o.probe ? do_probe(&cfg, &o) : do_update(&cfg, &o);
	http_cleanup();
out:
	fflush(stdout);
	if (ferror(stdout) && code == EXIT_OK)
		code = EXIT_TEMPFAIL;
	if (logbad)
		code = worst(code, EXIT_STATE);
	log_close();
	free(path);
	config_free(&cfg);
	json_decref(o.kv);
	return code;
}
