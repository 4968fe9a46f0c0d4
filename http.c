/*
 * The one place that talks to libcurl. Every request, provider or probe,
 * gets its policy here: User-Agent, timeouts, TLS verification and the CA
 * bundle, http/https only, the reply size cap, redirects, and verbose
 * dumps that never show a credential.
 *
 * Providers get no redirects: curl would resend the request body (and,
 * to the same host, the credentials) to wherever the Location points, and
 * an API that redirects is one we do not understand anyway. Probe
 * endpoints hold no secrets and some sit behind a redirect, so they may
 * follow a few, still only to http or https.
 *
 * Proxies come from the environment (http_proxy, https_proxy, ALL_PROXY,
 * NO_PROXY), which libcurl reads itself for every handle that does not set
 * CURLOPT_PROXY. On Windows, where a proxy is set in "Internet Options"
 * (or with netsh winhttp for services and SYSTEM tasks) rather than in the
 * environment, that setting is read once and given to every handle, with
 * its bypass list, when the environment names no proxy.
 *
 * CURLOPT_VERBOSE is never set: its trace prints headers raw. At -vv the
 * request and reply are dumped through log_debug instead, with credential
 * headers replaced and every registered secret redacted.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#ifdef _WIN32
#include <windows.h>
#include <winhttp.h>
#endif

#include "ddnsup.h"

#define DEFAULT_TIMEOUT_MS	10000
#define DEFAULT_CONNECT_MS	5000
#define DEFAULT_MAX_BODY	(1024 * 1024)
#define PROBE_REDIRECTS		3
#define DUMP_MAX		4096	/* bytes of a body shown at -vv */

static struct http_conf	 conf = {
	NULL, DEFAULT_TIMEOUT_MS, DEFAULT_CONNECT_MS, DEFAULT_MAX_BODY
};
static char		*cafile;	/* conf.cafile, our copy */
static int		 curl_inited;
static char		*sys_proxy[2];	/* Windows: for http, https URLs */
static char		*sys_noproxy;	/* Windows: its bypass list */

/* Headers whose values are credentials, whatever the secrets list says. */
static const char *const secret_headers[] = {
	"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie",
	"X-Auth-Key", "X-Auth-Token", "X-Api-Key", NULL
};

/* State of one http_request while libcurl runs it. */
struct req_ctx {
	struct http_resp	*resp;
};

/* Append piece (n bytes) and a comma to the list *l; 0/-1 (ENOMEM). */
static int
list_add(char **l, const char *piece, size_t n)
{
	char	*s;

	s = xasprintf("%s%s%.*s", *l != NULL ? *l : "", *l != NULL ? "," : "",
	    (int)n, piece);
	if (s == NULL)
		return -1;
	free(*l);
	*l = s;
	return 0;
}

/* One bypass entry (p, n bytes) in curl's NOPROXY form, added to *l. */
static int
bypass_add(char **l, const char *p, size_t n)
{
	char	 cidr[32];
	size_t	 i, dots = 0;

	if (n == 7 && strncasecmp(p, "<local>", 7) == 0)
		return list_add(l, "localhost,127.0.0.1,::1", 23);
	if (n > 2 && p[0] == '*' && p[1] == '.')	/* *.corp.example */
		return list_add(l, p + 1, n - 1);
	if (n > 2 && p[n - 1] == '*' && p[n - 2] == '.') {
		/* 10.* or 192.168.* : an IPv4 prefix, as a CIDR block. */
		for (i = 0; i < n - 2; i++) {
			if (p[i] == '.')
				dots++;
			else if (!isdigit((unsigned char)p[i]))
				return 0;
		}
		if (dots > 2)
			return 0;
		snprintf(cidr, sizeof(cidr), "%.*s%s/%zu", (int)(n - 2), p,
		    dots == 0 ? ".0.0.0" : dots == 1 ? ".0.0" : ".0",
		    (dots + 1) * 8);
		return list_add(l, cidr, strlen(cidr));
	}
	if (memchr(p, '*', n) != NULL)		/* a pattern curl lacks */
		return 0;
	return list_add(l, p, n);
}

/* Windows proxy setting and bypass list in curl's terms: ddnsup.h. */
int
http_winproxy_parse(const char *proxy, const char *bypass, char **http,
    char **https, char **noproxy)
{
	const char	*p, *e, *eq;
	size_t		 n;

	*http = *https = *noproxy = NULL;
	for (p = proxy != NULL ? proxy : ""; *p != '\0'; p = e) {
		while (*p == ';' || *p == ' ' || *p == '\t')
			p++;
		for (e = p; *e != '\0' && *e != ';' && *e != ' ' &&
		    *e != '\t'; e++)
			continue;
		if ((n = (size_t)(e - p)) == 0)
			continue;
		if ((eq = memchr(p, '=', n)) == NULL) {
			/* One proxy for every scheme. */
			if (*http == NULL && (*http = strndup(p, n)) == NULL)
				goto fail;
			if (*https == NULL && (*https = strndup(p, n)) == NULL)
				goto fail;
		} else if (eq - p == 4 && strncasecmp(p, "http", 4) == 0) {
			free(*http);
			if ((*http = strndup(eq + 1, n - 5)) == NULL)
				goto fail;
		} else if (eq - p == 5 && strncasecmp(p, "https", 5) == 0) {
			free(*https);
			if ((*https = strndup(eq + 1, n - 6)) == NULL)
				goto fail;
		}			/* ftp=, socks=: not ours */
	}
	for (p = bypass != NULL ? bypass : ""; *p != '\0'; p = e) {
		while (*p == ';' || *p == ' ' || *p == '\t' || *p == ',')
			p++;
		for (e = p; *e != '\0' && *e != ';' && *e != ' ' &&
		    *e != '\t' && *e != ','; e++)
			continue;
		if (e > p && bypass_add(noproxy, p, (size_t)(e - p)) == -1)
			goto fail;
	}
	return 0;
fail:
	free(*http);
	free(*https);
	free(*noproxy);
	*http = *https = *noproxy = NULL;
	return -1;
}

#ifdef _WIN32
/* A UTF-8 copy of w; malloc'd, NULL if w is NULL or on failure. */
static char *
utf8(const wchar_t *w)
{
	char	*s;
	int	 n;

	if (w == NULL || (n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0,
	    NULL, NULL)) <= 0 || (s = malloc((size_t)n)) == NULL)
		return NULL;
	WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL);
	return s;
}

/*
 * The system proxy, unless the environment names one (libcurl reads
 * that itself): the user's "Internet Options" setting, else the machine's
 * netsh winhttp one (what a SYSTEM task has). A proxy found only by
 * auto-detection or a PAC script is not used: said at -v.
 */
static void
win_proxy_load(void)
{
	static const char *const env[] = {
		"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
		"all_proxy", "ALL_PROXY", NULL
	};
	WINHTTP_CURRENT_USER_IE_PROXY_CONFIG	 ie;
	WINHTTP_PROXY_INFO			 def;
	char					*px = NULL, *by = NULL;
	const char				*e;
	size_t					 i;

	for (i = 0; env[i] != NULL; i++)
		if ((e = getenv(env[i])) != NULL && *e != '\0')
			return;
	memset(&ie, 0, sizeof(ie));
	if (WinHttpGetIEProxyConfigForCurrentUser(&ie)) {
		px = utf8(ie.lpszProxy);
		by = utf8(ie.lpszProxyBypass);
		if (px == NULL && ie.lpszAutoConfigUrl != NULL)
			log_info("the system proxy is set by a PAC script, "
			    "which ddnsup does not run; set HTTPS_PROXY to "
			    "use a proxy");
		if (ie.lpszAutoConfigUrl != NULL)
			GlobalFree(ie.lpszAutoConfigUrl);
		if (ie.lpszProxy != NULL)
			GlobalFree(ie.lpszProxy);
		if (ie.lpszProxyBypass != NULL)
			GlobalFree(ie.lpszProxyBypass);
	}
	memset(&def, 0, sizeof(def));
	if (px == NULL && WinHttpGetDefaultProxyConfiguration(&def)) {
		if (def.dwAccessType == WINHTTP_ACCESS_TYPE_NAMED_PROXY) {
			px = utf8(def.lpszProxy);
			free(by);
			by = utf8(def.lpszProxyBypass);
		}
		if (def.lpszProxy != NULL)
			GlobalFree(def.lpszProxy);
		if (def.lpszProxyBypass != NULL)
			GlobalFree(def.lpszProxyBypass);
	}
	if (px != NULL && http_winproxy_parse(px, by, &sys_proxy[0],
	    &sys_proxy[1], &sys_noproxy) == 0)
		log_info("system proxy: %s for http, %s for https%s%s",
		    sys_proxy[0] ? sys_proxy[0] : "none",
		    sys_proxy[1] ? sys_proxy[1] : "none",
		    sys_noproxy ? ", not for " : "",
		    sys_noproxy ? sys_noproxy : "");
	free(px);
	free(by);
}
#endif

/* 0 after global setup with c's settings (defaults for zero fields). */
int
http_init(const struct http_conf *c)
{
	char	*ca = NULL;

	if (!curl_inited) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			log_warnx("libcurl: initialisation failed");
			return -1;
		}
		curl_inited = 1;
#ifdef _WIN32
		win_proxy_load();
#endif
	}
	if (c != NULL && c->cafile != NULL &&
	    (ca = strdup(c->cafile)) == NULL) {
		log_warnx("out of memory");
		return -1;
	}
	free(cafile);
	conf.cafile = cafile = ca;
	conf.timeout_ms = c != NULL && c->timeout_ms > 0 ? c->timeout_ms :
	    DEFAULT_TIMEOUT_MS;
	conf.connect_ms = c != NULL && c->connect_ms > 0 ? c->connect_ms :
	    DEFAULT_CONNECT_MS;
	conf.max_body = c != NULL && c->max_body > 0 ? c->max_body :
	    DEFAULT_MAX_BODY;
	return 0;
}

void
http_cleanup(void)
{
	free(sys_proxy[0]);
	free(sys_proxy[1]);
	free(sys_noproxy);
	sys_proxy[0] = sys_proxy[1] = sys_noproxy = NULL;
	free(cafile);
	conf.cafile = cafile = NULL;
	if (curl_inited)
		curl_global_cleanup();
	curl_inited = 0;
}

/*
 * url without its query, fragment or user:password@, for messages: the
 * parts that can hold credentials. Malloc'd; NULL on ENOMEM.
 */
static char *
url_strip(const char *url)
{
	const char	*host, *at, *end;
	char		*s;
	size_t		 n;

	end = url + strcspn(url, "?#");
	host = strstr(url, "://");
	host = host != NULL && host < end ? host + 3 : url;
	at = host + strcspn(host, "/@");
	if (at < end && *at == '@')
		n = (size_t)(host - url);
	else
		at = NULL;
	if ((s = malloc((size_t)(end - url) + 1)) == NULL)
		return NULL;
	if (at != NULL) {
		memcpy(s, url, n);
		memcpy(s + n, at + 1, (size_t)(end - at - 1));
		s[n + (size_t)(end - at - 1)] = '\0';
	} else {
		memcpy(s, url, (size_t)(end - url));
		s[end - url] = '\0';
	}
	return s;
}

/* url as messages show it: stripped, then redacted. Malloc'd or NULL. */
static char *
url_display(const char *url)
{
	char	*s, *r;

	if ((s = url_strip(url)) == NULL)
		return NULL;
	r = log_redact(s);
	free(s);
	return r;
}

/* Append a chunk of the reply to the http_buf, within the size cap. */
static size_t
write_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct http_buf	*b = arg;
	size_t		 n = size * nmemb;
	char		*p;

	if (n > conf.max_body - b->len) {
		b->overflow = 1;
		return 0;	/* aborts the transfer */
	}
	if ((p = realloc(b->data, b->len + n + 1)) == NULL)
		return 0;
	memcpy(p + b->len, ptr, n);
	b->data = p;
	b->len += n;
	b->data[b->len] = '\0';
	return n;
}

/* 1 if header line h (not NUL-terminated, length n) is named name. */
static int
header_is(const char *h, size_t n, const char *name)
{
	size_t	 len = strlen(name);

	return n > len && h[len] == ':' && strncasecmp(h, name, len) == 0;
}

/* 1 if the header line h of length n carries a credential. */
static int
header_secret(const char *h, size_t n)
{
	size_t	 i;

	for (i = 0; secret_headers[i] != NULL; i++)
		if (header_is(h, n, secret_headers[i]))
			return 1;
	return 0;
}

/* Print one header line at -vv, a credential's value replaced. */
static void
dump_header(const char *dir, const char *h, size_t n)
{
	size_t	 colon;

	while (n > 0 && (h[n - 1] == '\r' || h[n - 1] == '\n'))
		n--;
	if (n == 0)
		return;
	if (header_secret(h, n)) {
		colon = strcspn(h, ":");
		log_debug("%s %.*s: <redacted>", dir, (int)colon, h);
	} else
		log_debug("%s %.*s", dir, (int)n, h);
}

/* Print a body at -vv, shortened to DUMP_MAX bytes. */
static void
dump_body(const char *dir, const char *body, size_t len)
{
	if (log_verbose < 2 || body == NULL)
		return;
	while (len > 0 && (body[len - 1] == '\n' || body[len - 1] == '\r'))
		len--;
	if (len == 0)
		return;
	if (len > DUMP_MAX)
		log_debug("%s %.*s... (%zu more bytes)", dir, DUMP_MAX, body,
		    len - DUMP_MAX);
	else
		log_debug("%s %.*s", dir, (int)len, body);
}

/* Seconds a Retry-After value (delta-seconds or HTTP-date) asks for. */
static long
retry_after(const char *v)
{
	char	*end;
	long	 n;
	time_t	 t;

	if (isdigit((unsigned char)*v)) {
		n = strtol(v, &end, 10);
		return *end == '\0' && n >= 0 ? n : -1;
	}
	if ((t = curl_getdate(v, NULL)) == -1)
		return -1;
	t -= time(NULL);
	return t > 0 ? (long)t : 0;
}

/* The non-negative decimal number v, or -1. */
static long long
number(const char *v)
{
	char		*end;
	long long	 n;

	if (!isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	n = strtoll(v, &end, 10);
	return *end == '\0' && errno == 0 ? n : -1;
}

/* Note the headers http_resp wants; show each at -vv. */
static size_t
header_cb(char *buf, size_t size, size_t nitems, void *arg)
{
	struct req_ctx	*ctx = arg;
	size_t		 n = size * nitems, vlen;
	const char	*v;
	char		*val, *old;

	dump_header("<", buf, n);
	if (n >= 5 && strncmp(buf, "HTTP/", 5) == 0) {
		/* A new reply (after 1xx): forget the previous one's. */
		ctx->resp->retry_after = -1;
		ctx->resp->ratelimit_reset = -1;
		free(ctx->resp->content_type);
		ctx->resp->content_type = NULL;
		free(ctx->resp->cookies);
		ctx->resp->cookies = NULL;
		return n;
	}
	if (!header_is(buf, n, "Retry-After") &&
	    !header_is(buf, n, "X-RateLimit-Reset") &&
	    !header_is(buf, n, "Content-Type") &&
	    !header_is(buf, n, "Set-Cookie"))
		return n;
	v = (const char *)memchr(buf, ':', n) + 1;
	vlen = n - (size_t)(v - buf);
	while (vlen > 0 && (*v == ' ' || *v == '\t'))
		v++, vlen--;
	while (vlen > 0 && isspace((unsigned char)v[vlen - 1]))
		vlen--;
	if ((val = malloc(vlen + 1)) == NULL)
		return 0;
	memcpy(val, v, vlen);
	val[vlen] = '\0';
	if (header_is(buf, n, "Retry-After")) {
		ctx->resp->retry_after = retry_after(val);
		free(val);
	} else if (header_is(buf, n, "X-RateLimit-Reset")) {
		/* Its meaning (a time, or seconds) is the vendor's. */
		ctx->resp->ratelimit_reset = number(val);
		free(val);
	} else if (header_is(buf, n, "Set-Cookie")) {
		/* Only "name=value": the attributes after ';' are for a
		 * browser's jar; a session of one run needs none of them. */
		val[strcspn(val, ";")] = '\0';
		while ((vlen = strlen(val)) > 0 &&
		    isspace((unsigned char)val[vlen - 1]))
			val[vlen - 1] = '\0';
		if (strchr(val, '=') != NULL && val[0] != '=') {
			old = ctx->resp->cookies;
			ctx->resp->cookies = xasprintf("%s%s%s", old != NULL ?
			    old : "", old != NULL ? "; " : "", val);
			if (old != NULL)
				explicit_bzero(old, strlen(old));
			free(old);
		}
		explicit_bzero(val, strlen(val));
		free(val);
	} else {
		free(ctx->resp->content_type);
		ctx->resp->content_type = val;
	}
	return n;
}

/*
 * A new easy handle for url with the policy, the reply going to buf;
 * redirects: how many to follow (0 for providers). NULL on ENOMEM.
 */
static CURL *
easy_new(const char *url, struct http_buf *buf, int insecure, long redirects)
{
	CURL	*h;
	char	*shown, *px;

	if ((h = curl_easy_init()) == NULL)
		return NULL;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "ddnsup/" DDNSUP_VERSION);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, conf.timeout_ms);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, conf.connect_ms);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	if (redirects > 0) {
		curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(h, CURLOPT_MAXREDIRS, redirects);
	} else
		curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	if (conf.cafile != NULL)
		curl_easy_setopt(h, CURLOPT_CAINFO, conf.cafile);
	if (insecure) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
		if (strncasecmp(url, "https:", 6) == 0) {
			shown = url_display(url);
			log_warnx("%s: TLS certificate verification is off "
			    "(insecure)", shown != NULL ? shown : "request");
			free(shown);
		}
	} else {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	}
	/* The Windows system proxy (NULL elsewhere): "" means direct. */
	px = sys_proxy[strncasecmp(url, "https:", 6) == 0];
	if (sys_proxy[0] != NULL || sys_proxy[1] != NULL) {
		curl_easy_setopt(h, CURLOPT_PROXY, px != NULL ? px : "");
		if (sys_noproxy != NULL)
			curl_easy_setopt(h, CURLOPT_NOPROXY, sys_noproxy);
	}
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, buf);
	return h;
}

/* New policy handle writing to buf, following a few redirects. */
void *
http_easy(const char *url, struct http_buf *buf, int insecure)
{
	return easy_new(url, buf, insecure, PROBE_REDIRECTS);
}

/* Set the method and body of h for req; 0/-1 (ENOMEM) with *hl built. */
static int
set_method(CURL *h, const struct http_req *req, struct curl_slist **hl)
{
	const char		*m = req->method != NULL ? req->method : "GET";
	const char *const	*hp;
	struct curl_slist	*l;
	const char		*auth;

	if (req->body != NULL || strcmp(m, "POST") == 0) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)(req->body != NULL ? req->bodylen : 0));
		curl_easy_setopt(h, CURLOPT_POSTFIELDS,
		    req->body != NULL ? req->body : "");
		if (strcmp(m, "POST") != 0)
			curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, m);
		/* No 100-continue round trip: bodies here are small. */
		if ((l = curl_slist_append(*hl, "Expect:")) == NULL)
			return -1;
		*hl = l;
	} else if (strcmp(m, "HEAD") == 0)
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	else if (strcmp(m, "GET") != 0)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, m);

	log_debug("> %s %s", m, req->url);
	for (hp = req->headers; hp != NULL && *hp != NULL; hp++) {
		if ((l = curl_slist_append(*hl, *hp)) == NULL)
			return -1;
		*hl = l;
		dump_header(">", *hp, strlen(*hp));
	}
	if (req->userpwd != NULL) {
		curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(h, CURLOPT_USERPWD, req->userpwd);
		auth = "Authorization: Basic";
		dump_header(">", auth, strlen(auth));
	}
	if (*hl != NULL)
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, *hl);
	if (req->body != NULL)
		dump_body(">", req->body, req->bodylen);
	return 0;
}

/*
 * 0 if the server answered (resp filled; caller frees with
 * http_resp_free); -1 on transport failure with a malloc'd, redacted
 * "url: reason" in *why.
 */
int
http_request(const struct http_req *req, struct http_resp *resp, char **why)
{
	struct http_buf		 buf;
	struct req_ctx		 ctx;
	struct curl_slist	*hl = NULL;
	CURL			*h;
	CURLcode		 rc;
	char			 err[CURL_ERROR_SIZE], *shown = NULL, *msg;
	int			 ret = -1;

	memset(resp, 0, sizeof(*resp));
	memset(&buf, 0, sizeof(buf));
	resp->retry_after = -1;
	resp->ratelimit_reset = -1;
	*why = NULL;
	err[0] = '\0';
	ctx.resp = resp;
	if ((shown = url_display(req->url)) == NULL ||
	    (h = easy_new(req->url, &buf, req->insecure, 0)) == NULL) {
		*why = xasprintf("%s: out of memory",
		    shown != NULL ? shown : "HTTP request");
		free(shown);
		return -1;
	}
	if (set_method(h, req, &hl) == -1) {
		*why = xasprintf("%s: out of memory", shown);
		goto out;
	}
	if (req->timeout_ms > 0)
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, req->timeout_ms);
	if (req->direct)
		curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &ctx);

	if ((rc = curl_easy_perform(h)) != CURLE_OK) {
		if (buf.overflow)
			msg = xasprintf("%s: reply larger than %zu bytes",
			    shown, conf.max_body);
		else
			msg = xasprintf("%s: %s", shown, err[0] != '\0' ?
			    err : curl_easy_strerror(rc));
		*why = msg != NULL ? log_redact(msg) : NULL;
		free(msg);
		free(resp->content_type);
		resp->content_type = NULL;
		free(resp->cookies);
		resp->cookies = NULL;
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
	resp->body = buf.data;
	resp->len = buf.len;
	buf.data = NULL;
	if (resp->body == NULL && (resp->body = strdup("")) == NULL) {
		*why = xasprintf("%s: out of memory", shown);
		http_resp_free(resp);
		goto out;
	}
	log_debug("< HTTP %ld, %zu bytes", resp->status, resp->len);
	dump_body("<", resp->body, resp->len);
	ret = 0;
out:
	curl_easy_cleanup(h);
	curl_slist_free_all(hl);
	free(buf.data);
	free(shown);
	return ret;
}

/* Free what http_request put in r; r may be NULL or already freed. */
void
http_resp_free(struct http_resp *r)
{
	if (r == NULL)
		return;
	free(r->body);
	free(r->content_type);
	free(r->cookies);
	r->body = NULL;
	r->content_type = NULL;
	r->cookies = NULL;
	r->len = 0;
}

/* Malloc'd RFC 3986 encoding of s: unreserved kept, others %XX. */
char *
http_pctenc(const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	char			*out, *o;

	if ((out = malloc(strlen(s) * 3 + 1)) == NULL)
		return NULL;
	for (p = (const unsigned char *)s, o = out; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.' || *p == '~')
			*o++ = (char)*p;
		else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 0xf];
		}
	}
	*o = '\0';
	return out;
}
