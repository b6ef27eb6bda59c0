/*
 * xentoollog: the logger interface of Xen's tools (xentoollog.h) and its
 * stdio implementation, which writes "context: message: errno text" lines.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xentoollog.h"

struct xentoollog_logger_stdiostream {
	xentoollog_logger vtable;  /* first: the handle is cast to the logger */
	FILE *f;
	xentoollog_level min_level;
	unsigned int flags;
};

static const char *const xtl_level_names[XTL_NUM_LEVELS] = {
	[XTL_NONE] = "none",       [XTL_DEBUG] = "debug",   [XTL_VERBOSE] = "verbose",
	[XTL_DETAIL] = "detail",   [XTL_PROGRESS] = "progress", [XTL_INFO] = "info",
	[XTL_NOTICE] = "notice",   [XTL_WARN] = "warning",  [XTL_ERROR] = "error",
	[XTL_CRITICAL] = "critical",
};

const char *xtl_level_to_string(xentoollog_level level)
{
	if ((unsigned int)level >= XTL_NUM_LEVELS)
		return "unknown";
	return xtl_level_names[level];
}

static void xtl_stdio_prefix(const struct xentoollog_logger_stdiostream *lg)
{
	if (lg->flags & XTL_STDIOSTREAM_SHOW_DATE) {
		char when[32];
		time_t now = time(NULL);
		struct tm tm;

		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %Z", localtime_r(&now, &tm));
		fprintf(lg->f, "%s ", when);
	}
	if (lg->flags & XTL_STDIOSTREAM_SHOW_PID)
		fprintf(lg->f, "[%ld] ", (long)getpid());
}

static void xtl_stdio_vmessage(xentoollog_logger *logger, xentoollog_level level, int errnoval,
			       const char *context, const char *format, va_list al)
{
	struct xentoollog_logger_stdiostream *lg = (void *)logger;

	if (level < lg->min_level)
		return;
	xtl_stdio_prefix(lg);
	if (context)
		fprintf(lg->f, "%s: ", context);
	if (level != XTL_PROGRESS && level >= XTL_WARN)
		fprintf(lg->f, "%s: ", xtl_level_to_string(level));
	vfprintf(lg->f, format, al);
	if (errnoval >= 0)
		fprintf(lg->f, ": %s", strerror(errnoval));
	fputc('\n', lg->f);
	fflush(lg->f);
}

static void xtl_stdio_progress(xentoollog_logger *logger, const char *context,
			       const char *doing_what, int percent, unsigned long done,
			       unsigned long total)
{
	struct xentoollog_logger_stdiostream *lg = (void *)logger;

	if (XTL_PROGRESS < lg->min_level || (lg->flags & XTL_STDIOSTREAM_HIDE_PROGRESS))
		return;
	fprintf(lg->f, "%s%s%s: %d%% (%lu/%lu)\n", context ? context : "", context ? ": " : "",
		doing_what, percent, done, total);
	fflush(lg->f);
}

static void xtl_stdio_destroy(xentoollog_logger *logger)
{
	free(logger);
}

xentoollog_logger_stdiostream *xtl_createlogger_stdiostream(FILE *f, xentoollog_level min_level,
							    unsigned flags)
{
	struct xentoollog_logger_stdiostream *lg = calloc(1, sizeof(*lg));

	if (!lg)
		return NULL;
	lg->vtable.vmessage = xtl_stdio_vmessage;
	lg->vtable.progress = xtl_stdio_progress;
	lg->vtable.destroy = xtl_stdio_destroy;
	lg->f = f;
	lg->min_level = min_level;
	lg->flags = flags;
	return lg;
}

void xtl_stdiostream_set_minlevel(xentoollog_logger_stdiostream *lg, xentoollog_level min_level)
{
	lg->min_level = min_level;
}

void xtl_stdiostream_adjust_flags(xentoollog_logger_stdiostream *lg, unsigned set_flags,
				  unsigned clear_flags)
{
	lg->flags = (lg->flags & ~clear_flags) | set_flags;
}

void xtl_logger_destroy(struct xentoollog_logger *logger)
{
	if (logger && logger->destroy)
		logger->destroy(logger);
}

void xtl_logv(struct xentoollog_logger *logger, xentoollog_level level, int errnoval,
	      const char *context, const char *format, va_list al)
{
	if (logger && logger->vmessage)
		logger->vmessage(logger, level, errnoval, context, format, al);
}

void xtl_log(struct xentoollog_logger *logger, xentoollog_level level, int errnoval,
	     const char *context, const char *format, ...)
{
	va_list al;

	va_start(al, format);
	xtl_logv(logger, level, errnoval, context, format, al);
	va_end(al);
}

void xtl_progress(struct xentoollog_logger *logger, const char *context, const char *doing_what,
		  unsigned long done, unsigned long total)
{
	int percent = total ? (int)(done * 100 / total) : 0;

	if (logger && logger->progress)
		logger->progress(logger, context, doing_what, percent, done, total);
}
