/*
 * The callback provider's pure parts, exported for the unit tests:
 * expanding a template with the right escaping for where it goes, and
 * judging a reply against the user's success rules.
 */
#ifndef CALLBACK_H
#define CALLBACK_H

#include "../ddnsup.h"

/* Where an expanded value lands, which decides how it is escaped. */
enum callback_esc {
	CALLBACK_URL,		/* RFC 3986 percent-encoding */
	CALLBACK_BODY_JSON,	/* inside a JSON string the author quoted */
	CALLBACK_BODY_FORM,	/* application/x-www-form-urlencoded */
	CALLBACK_RAW,		/* as is (header values, other bodies) */
};

/* One template variable; value NULL means "not set for this record". */
struct callback_var {
	const char	*name;
	const char	*value;
};

/* Most accepted statuses one record may list. */
#define CALLBACK_MAXSTATUS	16

/* What makes a reply a success. */
struct callback_rules {
	long		 status[CALLBACK_MAXSTATUS];	/* accepted statuses */
	size_t		 nstatus;			/* 0: any 2xx */
	const char	*success_body;	/* must appear in the reply, or NULL */
	const char	*failure_body;	/* must not appear, or NULL */
};

/*
 * tmpl with each {var} replaced by its value escaped for esc, and "{{"
 * by "{" (vars is {NULL, NULL}-ended). Returns a malloc'd string the
 * caller frees, or NULL with a malloc'd reason in *why (caller frees).
 */
char		*callback_expand(const char *tmpl, enum callback_esc esc,
		    const struct callback_var *vars, char **why);
/*
 * The request header line "name: value" with value expanded raw; refuses
 * a bad name and any CR or LF (header injection). Malloc'd string, or
 * NULL with a malloc'd *why; caller frees either.
 */
char		*callback_header(const char *name, const char *tmpl,
		    const struct callback_var *vars, char **why);
/*
 * Fill r->status from v: an integer, an array of integers, or a string
 * of comma-separated integers (as -o and the environment give it).
 * 0, or -1 with a malloc'd *why (caller frees). v NULL leaves "any 2xx".
 */
int		 callback_statuses(const json_t *v, struct callback_rules *r,
		    char **why);
/*
 * The outcome of a reply with status and body (len bytes, may hold NULs)
 * under rules r. OUT_UPDATED on success; otherwise an error outcome with
 * a malloc'd one-line *why quoting status and the reply (caller frees).
 */
enum outcome	 callback_judge(long status, const char *body, size_t len,
		    const struct callback_rules *r, char **why);

#endif /* CALLBACK_H */
