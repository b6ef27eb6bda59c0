/* The hardware half of the cache-coherency model (see hw.h). */
#include "hw.h"

#include <string.h>

void hw_init(struct hw *h, bool has_sys)
{
	memset(h, 0, sizeof(*h));
	h->has_sys = has_sys;
}

static struct hw_line *hw_lookup(struct hw *h, unsigned int cpu, unsigned int line)
{
	struct hw_line *set = h->cpu[cpu][line % HW_SETS];

	for (unsigned int w = 0; w < HW_WAYS; w++)
		if (set[w].valid && set[w].line == line)
			return &set[w];
	return NULL;
}

/* The level below the CPU caches: the system cache if there is one. */
static uint32_t hw_next_level_read(const struct hw *h, unsigned int line)
{
	return h->sys[line].valid ? h->sys[line].val : h->mem[line];
}

static void hw_write_back(struct hw *h, struct hw_line *l)
{
	if (!l->dirty)
		return;
	if (h->has_sys)
		h->sys[l->line] = (struct hw_line){ .valid = true, .dirty = true, .line = l->line,
						    .val = l->val };
	else
		h->mem[l->line] = l->val;
	l->dirty = false;
}

/* A dirty copy in another CPU is written back before anyone else reads the line. */
static void hw_snoop(struct hw *h, unsigned int cpu, unsigned int line, bool invalidate)
{
	for (unsigned int c = 0; c < HW_CPUS; c++) {
		struct hw_line *l = c == cpu ? NULL : hw_lookup(h, c, line);

		if (!l)
			continue;
		if (invalidate)
			l->valid = l->dirty = false;
		else
			hw_write_back(h, l);
	}
}

static struct hw_line *hw_allocate(struct hw *h, struct rng *r, unsigned int cpu, unsigned int line)
{
	struct hw_line *set = h->cpu[cpu][line % HW_SETS];
	struct hw_line *victim = NULL;

	for (unsigned int w = 0; w < HW_WAYS && !victim; w++)
		if (!set[w].valid)
			victim = &set[w];
	if (!victim) {
		victim = &set[rng_below(r, HW_WAYS)];
		hw_write_back(h, victim);
	}
	hw_snoop(h, cpu, line, false);
	*victim = (struct hw_line){ .valid = true, .line = line, .val = hw_next_level_read(h, line) };
	return victim;
}

uint32_t hw_read(struct hw *h, struct rng *r, unsigned int cpu, unsigned int line, bool cacheable)
{
	struct hw_line *l;

	if (!cacheable)
		return h->mem[line];
	l = hw_lookup(h, cpu, line);
	if (!l)
		l = hw_allocate(h, r, cpu, line);
	return l->val;
}

void hw_write(struct hw *h, struct rng *r, unsigned int cpu, unsigned int line, uint32_t val,
	      bool cacheable)
{
	struct hw_line *l;

	if (!cacheable) {
		h->mem[line] = val;
		return;
	}
	l = hw_lookup(h, cpu, line);
	if (!l)
		l = hw_allocate(h, r, cpu, line);
	hw_snoop(h, cpu, line, true);
	l->val = val;
	l->dirty = true;
}

bool hw_speculate(struct hw *h, struct rng *r, unsigned int cpu, unsigned int line)
{
	if (hw_lookup(h, cpu, line))
		return false;
	hw_allocate(h, r, cpu, line);
	return true;
}

bool hw_evict(struct hw *h, struct rng *r, unsigned int cpu)
{
	unsigned int pick = rng_below(r, HW_SETS * HW_WAYS + (h->has_sys ? HW_LINES : 0));
	struct hw_line *l;

	if (pick < HW_SETS * HW_WAYS) {
		l = &h->cpu[cpu][pick / HW_WAYS][pick % HW_WAYS];
		if (!l->valid)
			return false;
		hw_write_back(h, l);
	} else {
		l = &h->sys[pick - HW_SETS * HW_WAYS];
		if (!l->valid)
			return false;
		if (l->dirty)
			h->mem[l->line] = l->val;
	}
	l->valid = l->dirty = false;
	return true;
}

void hw_clean_inval_va(struct hw *h, unsigned int line)
{
	struct hw_line *sys = &h->sys[line];

	/* A dirty CPU copy is newer than a dirty system-cache copy. */
	if (sys->valid && sys->dirty)
		h->mem[line] = sys->val;
	sys->valid = sys->dirty = false;
	for (unsigned int c = 0; c < HW_CPUS; c++) {
		struct hw_line *l = hw_lookup(h, c, line);

		if (!l)
			continue;
		if (l->dirty)
			h->mem[line] = l->val;
		l->valid = l->dirty = false;
	}
}

void hw_clean_inval_set(struct hw *h, unsigned int cpu, unsigned int set)
{
	for (unsigned int w = 0; w < HW_WAYS; w++) {
		struct hw_line *l = &h->cpu[cpu][set][w];

		if (!l->valid)
			continue;
		hw_write_back(h, l);
		l->valid = false;
	}
}
