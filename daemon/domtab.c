/*
 * Domain table.  A fixed array of pointers: the daemon manages at most a few
 * hundred domains, and a linear scan keeps lookups obviously right.
 */
#include "domtab.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

void domtab_init(struct domtab *t)
{
	memset(t, 0, sizeof(*t));
}

void domtab_clear(struct domtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		domtab_entry_free(t->v[i]);
	domtab_init(t);
}

struct dom_entry *domtab_entry_new(struct dom_config *cfg, cachet_domid_t domid)
{
	struct dom_entry *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->cfg = *cfg;
	config_init(cfg);
	e->domid = domid;
	e->alive = true;
	e->con_fd = -1;
	conbuf_init(&e->con, CONBUF_CAP);
	return e;
}

void domtab_entry_free(struct dom_entry *e)
{
	if (!e)
		return;
	if (e->con_fd >= 0)
		close(e->con_fd);
	conbuf_free(&e->con);
	config_free(&e->cfg);
	free(e);
}

static size_t domtab_index(const struct domtab *t, const struct dom_entry *e)
{
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i] == e)
			return i;
	}
	return t->n;
}

void domtab_remove(struct domtab *t, struct dom_entry *e)
{
	size_t i = domtab_index(t, e);

	if (i == t->n)
		return;
	memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof(t->v[0]));
	t->n--;
}

static struct dom_entry *domtab_oldest_dead(const struct domtab *t)
{
	struct dom_entry *best = NULL;

	for (size_t i = 0; i < t->n; i++) {
		if (!t->v[i]->alive && (!best || t->v[i]->serial < best->serial))
			best = t->v[i];
	}
	return best;
}

int domtab_add(struct domtab *t, struct dom_entry *e)
{
	struct dom_entry *old = domtab_find_name(t, e->cfg.name);

	if (old && old->alive)
		return -1;
	if (!old && t->n == DOMTAB_MAX)
		old = domtab_oldest_dead(t);
	if (!old && t->n == DOMTAB_MAX)
		return -1;
	if (old) {
		domtab_remove(t, old);
		domtab_entry_free(old);
	}
	e->serial = t->next_serial++;
	t->v[t->n++] = e;
	return 0;
}

struct dom_entry *domtab_find_name(const struct domtab *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++) {
		if (strcmp(t->v[i]->cfg.name, name) == 0)
			return t->v[i];
	}
	return NULL;
}

struct dom_entry *domtab_find_domid(const struct domtab *t, cachet_domid_t domid)
{
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i]->alive && t->v[i]->domid == domid)
			return t->v[i];
	}
	return NULL;
}

struct dom_entry *domtab_find_uuid(const struct domtab *t, const char *uuid)
{
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i]->alive && strcasecmp(t->v[i]->cfg.uuid, uuid) == 0)
			return t->v[i];
	}
	return NULL;
}
