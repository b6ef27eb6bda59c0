/*
 * What a hostile guest reaches in the real hypervisor core, run on the
 * host: MMIO accesses of every size (values cut to the access), the vGIC
 * (kicks only where an interrupt became deliverable, list-register state
 * across CPU_OFF/CPU_ON), PSCI's 32-bit calling convention, CPU_ON racing
 * a vCPU still leaving after CPU_OFF, the reuse of a domain slot whose
 * lock another pCPU may hold (deferred, never waited for while another slot
 * is free), and the time of a flush charged to its guest.  Only the arch
 * layer is faked; its arch_kick_cpu counts the kicks.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cachet/public/guest_map.h"
#include "host_arch.h"
#include "hv/domain.h"
#include "hv/errno.h"
#include "hv/mm.h"
#include "hv/sched.h"
#include "hv/smp.h"
#include "hv/vdev.h"
#include "hv/vgic.h"

#define MEM_BASE 0x40000000ULL
#define MEM_SIZE (16ULL << 20)
#define FREE_START 0x40200000ULL

#define GICD CACHET_GUEST_GICD_BASE
#define GICR(n) (CACHET_GUEST_GICR_BASE + (n) * CACHET_GUEST_GICR_STRIDE)
#define GICR_SGI 0x10000
#define UART_DR CACHET_GUEST_UART_BASE

#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_SUCCESS 0
#define PSCI_AFF_OFF 1

static uint8_t *mem;
static struct domain *dom;

static void setup(void)
{
	struct cachet_domain_create_in in = { .max_vcpus = 2, .max_pages = 16 };

	mem = aligned_alloc(1 << 21, MEM_SIZE);
	ck_assert_ptr_nonnull(mem);
	host_set_machine_memory(ma_init(MEM_BASE), mem, MEM_SIZE);
	ck_assert_int_eq(host_mm_init(ma_init(MEM_BASE), MEM_SIZE >> 12, ma_init(FREE_START)), 0);
	memset(percpu, 0, sizeof(percpu));
	percpu[0].online = true; /* the only pCPU; every vCPU is placed on it */
	ck_assert_int_eq(domain_create(&in, &dom), 0);
	dom->state = CACHET_DOM_RUNNING;
	host_kicks_reset();
}

static void teardown(void)
{
	if (dom->in_use) {
		dom->state = CACHET_DOM_PAUSED;
		ck_assert_int_eq(domain_destroy(dom), 0);
	}
	free(mem);
}

static uint64_t mmio_read(unsigned int vcpu, uint64_t ipa, unsigned int size)
{
	uint64_t val = 0xdeadbeefdeadbeefULL;

	ck_assert(vdev_mmio_access(&dom->vcpus[vcpu], ipa, size, &val, false));
	return val;
}

static void mmio_write(unsigned int vcpu, uint64_t ipa, unsigned int size, uint64_t val)
{
	ck_assert(vdev_mmio_access(&dom->vcpus[vcpu], ipa, size, &val, true));
}

static unsigned int total_kicks(void)
{
	unsigned int n = 0;

	for (unsigned int cpu = 0; cpu < CONFIG_MAX_CPUS; cpu++)
		n += host_kick_count(cpu);
	return n;
}

/* SPI @intid, enabled and routed to vCPU @to, with group 1 on. */
static void route_spi(unsigned int intid, unsigned int to)
{
	mmio_write(0, GICD + 0x0000, 4, 2); /* GICD_CTLR.EnableGrp1 */
	mmio_write(0, GICD + 0x6000 + 8 * intid, 8, to);
	mmio_write(0, GICD + 0x0100 + 4 * (intid / 32), 4, 1u << (intid % 32));
}

static uint64_t psci(unsigned int vcpu, uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	uint64_t regs[31] = { fn, a1, a2, a3 };

	ck_assert(vpsci_call(&dom->vcpus[vcpu], regs));
	return regs[0];
}

START_TEST(test_byte_read_of_uart_data_is_one_byte)
{
	/* A BREAK reads as 0x400 (BE) in a 32-bit DR read: LDRB sees its low byte. */
	domain_console_input(dom, "", 0, true);
	ck_assert_uint_eq(mmio_read(0, UART_DR, 1), 0);
	domain_console_input(dom, "A", 1, true);
	ck_assert_uint_eq(mmio_read(0, UART_DR, 4), 0x400);
	ck_assert_uint_eq(mmio_read(0, UART_DR, 2), 'A');
}
END_TEST

START_TEST(test_word_read_of_gicr_typer_is_32_bits)
{
	/* Affinity sits in bits 63:32; a 32-bit read must not return them. */
	ck_assert_uint_eq(mmio_read(1, GICR(1) + 0x0008, 8) >> 32, 1);
	ck_assert_uint_eq(mmio_read(1, GICR(1) + 0x0008, 4) >> 32, 0);
	ck_assert_uint_eq(mmio_read(1, GICR(1) + 0x000c, 4), 1);
}
END_TEST

START_TEST(test_byte_store_to_irouter_is_ignored)
{
	mmio_write(0, GICD + 0x6000 + 8 * 40, 8, 0x0000000100000001ULL);
	mmio_write(0, GICD + 0x6000 + 8 * 40, 1, 0xffffffffffffffffULL);
	mmio_write(0, GICD + 0x6000 + 8 * 40 + 4, 2, 0xffff);
	ck_assert_uint_eq(mmio_read(0, GICD + 0x6000 + 8 * 40, 8), 0x0000000100000001ULL);
	/* A 32-bit store writes 32 bits, whatever the register held above them. */
	mmio_write(0, GICD + 0x6000 + 8 * 40, 4, 0xffffffff00000000ULL);
	ck_assert_uint_eq(mmio_read(0, GICD + 0x6000 + 8 * 40, 8), 0x0000000100000000ULL);
}
END_TEST

START_TEST(test_misaligned_access_is_raz_wi)
{
	mmio_write(0, GICD + 0x0102, 2, 0xffff); /* inside GICD_ISENABLER1 */
	ck_assert_uint_eq(mmio_read(0, GICD + 0x0100 + 4, 4), 0);
	ck_assert_uint_eq(mmio_read(0, GICD + 0x0001, 4), 0);
}
END_TEST

START_TEST(test_gicr_priority_stays_in_its_frame)
{
	/* Priorities of SPIs 32.. are the distributor's, not the redistributor's. */
	uint64_t before = mmio_read(0, GICD + 0x0400 + 32, 4);

	mmio_write(0, GICR(0) + GICR_SGI + 0x0400 + 24, 8, 0x1111111111111111ULL);
	mmio_write(0, GICR(0) + GICR_SGI + 0x0400 + 32, 8, 0x2222222222222222ULL);
	ck_assert_uint_eq(mmio_read(0, GICD + 0x0400 + 32, 4), before);
	ck_assert_uint_eq(mmio_read(0, GICR(0) + GICR_SGI + 0x0400 + 28, 4), 0x11111111);
	ck_assert_uint_eq(mmio_read(0, GICR(0) + GICR_SGI + 0x0400 + 32, 4), 0);
}
END_TEST

START_TEST(test_reserved_write_kicks_nobody)
{
	/* vCPU 1 is off and holds a pending, enabled SPI: nothing becomes deliverable. */
	dom->vcpus[0].state = VCPU_RUNNABLE;
	route_spi(40, 1);
	mmio_write(0, GICD + 0x0200 + 4, 4, 1u << 8); /* ISPENDR1: SPI 40 */
	host_kicks_reset();
	for (unsigned int i = 0; i < 100; i++) {
		mmio_write(0, GICD + 0x5000, 4, i);
		mmio_write(0, GICD + 0x0400 + 48, 4, 0xa0a0a0a0);
		mmio_write(0, GICR(1) + 0x0014, 4, 0);
	}
	ck_assert_uint_eq(total_kicks(), 0);
}
END_TEST

START_TEST(test_enable_kicks_the_target_once)
{
	struct vcpu *v1 = &dom->vcpus[1];

	v1->state = VCPU_BLOCKED;
	mmio_write(0, GICD + 0x0000, 4, 2);
	mmio_write(0, GICD + 0x6000 + 8 * 40, 8, 1);
	mmio_write(0, GICD + 0x0200 + 4, 4, 1u << 8);
	ck_assert_uint_eq(total_kicks(), 0); /* pending but disabled */
	mmio_write(0, GICD + 0x0100 + 4, 4, 1u << 8);
	ck_assert_uint_eq(host_kick_count(v1->pcpu), 1);
	ck_assert_uint_eq(total_kicks(), 1);
	ck_assert_int_eq(v1->state, VCPU_RUNNABLE);
	mmio_write(0, GICD + 0x0100 + 4, 4, 1u << 8); /* enabled already */
	ck_assert_uint_eq(total_kicks(), 1);
}
END_TEST

START_TEST(test_sgi_storm_kicks_once)
{
	struct vcpu *v1 = &dom->vcpus[1];

	v1->state = VCPU_RUNNABLE;
	mmio_write(1, GICR(1) + GICR_SGI + 0x0100, 4, 1u << 3);
	mmio_write(0, GICD + 0x0000, 4, 2);
	host_kicks_reset();
	for (unsigned int i = 0; i < 50; i++)
		vgic_sgi1r_write(&dom->vcpus[0], (3ULL << 24) | (1u << 1));
	ck_assert_uint_eq(total_kicks(), 1);
}
END_TEST

START_TEST(test_sgi_to_all_but_self_ignores_affinity)
{
	struct vcpu *v0 = &dom->vcpus[0], *v1 = &dom->vcpus[1];
	struct vgic_lr_item it;

	for (unsigned int i = 0; i < 2; i++) {
		dom->vcpus[i].state = VCPU_RUNNABLE;
		mmio_write(i, GICR(i) + GICR_SGI + 0x0100, 4, 1u << 3);
	}
	mmio_write(0, GICD + 0x0000, 4, 2);
	/* IRM = 1 with junk in Aff3, Aff2 and the target list: vCPU 1 only. */
	vgic_sgi1r_write(v0, (1ULL << 40) | (0x12ULL << 48) | (0x34ULL << 32) | (3ULL << 24) | 1);
	ck_assert_uint_eq(vgic_pick(v0, &it, 4), 0);
	ck_assert_uint_eq(vgic_pick(v1, &it, 4), 1);
	ck_assert_uint_eq(it.intid, 3);
	/* IRM = 0 names PEs by affinity: Aff2 = 1 names none of ours. */
	vgic_sgi1r_write(v0, (1ULL << 32) | (3ULL << 24) | 3);
	ck_assert_uint_eq(vgic_pick(v0, &it, 4), 0);
	ck_assert(!vgic_irq(dom, v1, 3)->pending);
}
END_TEST

/* SGIs @a and @b enabled on vCPU 1, group 1 on. */
static struct vcpu *v1_with_sgis(unsigned int a, unsigned int b)
{
	struct vcpu *v1 = &dom->vcpus[1];

	v1->state = VCPU_RUNNABLE;
	mmio_write(1, GICR(1) + GICR_SGI + 0x0100, 4, (1u << a) | (1u << b));
	mmio_write(0, GICD + 0x0000, 4, 2);
	return v1;
}

START_TEST(test_pick_with_nothing_new_takes_no_lock)
{
	struct vcpu *v1 = v1_with_sgis(3, 3);
	struct vgic_lr_item it;

	vgic_inject(v1, 3);
	ck_assert_uint_eq(vgic_pick(v1, &it, 4), 1);
	/* Another pCPU holds the lock: a pick that needed it would spin forever. */
	dom->vgic.lock.locked = 1;
	ck_assert_uint_eq(vgic_pick(v1, &it, 4), 0);
	dom->vgic.lock.locked = 0;
}
END_TEST

START_TEST(test_pick_sees_what_came_after_it)
{
	struct vcpu *v1 = v1_with_sgis(3, 5);
	struct vgic_lr_item it;

	ck_assert_uint_eq(vgic_pick(v1, &it, 4), 0);
	vgic_inject(v1, 5);
	ck_assert_uint_eq(vgic_pick(v1, &it, 4), 1);
	ck_assert_uint_eq(it.intid, 5);
}
END_TEST

START_TEST(test_pick_after_full_list_registers_drain)
{
	struct vcpu *v1 = v1_with_sgis(3, 5);
	struct vgic_lr_item it;
	unsigned int first;

	vgic_inject(v1, 3);
	vgic_inject(v1, 5);
	/* One free list register: one now, none while it stays in use. */
	ck_assert_uint_eq(vgic_pick(v1, &it, 1), 1);
	first = it.intid;
	ck_assert_uint_eq(vgic_pick(v1, &it, 0), 0);
	/* The guest ended it: the other one comes next, then nothing. */
	vgic_lr_done(v1, first, false, false);
	ck_assert_uint_eq(vgic_pick(v1, &it, 1), 1);
	ck_assert_uint_eq(it.intid, first == 3 ? 5u : 3u);
	ck_assert_uint_eq(vgic_pick(v1, &it, 1), 0);
}
END_TEST

START_TEST(test_uart_output_leaves_the_vgic_alone)
{
	uint64_t gen;

	route_spi(CACHET_GUEST_UART_SPI, 0);
	mmio_write(0, UART_DR + 0x038, 4, 1u << 5); /* UARTIMSC: transmit interrupt */
	mmio_write(0, UART_DR, 4, 'a');
	ck_assert(dom->uart.line);
	gen = dom->vgic.gen;
	/* The line is up already: characters do not touch the vGIC. */
	for (unsigned int i = 0; i < 10; i++)
		mmio_write(0, UART_DR, 4, 'b');
	ck_assert_uint_eq(dom->vgic.gen, gen);
	/* Clearing the interrupt drops the line, and the vGIC hears of it. */
	mmio_write(0, UART_DR + 0x044, 4, 1u << 5); /* UARTICR */
	ck_assert(!dom->uart.line);
	ck_assert_uint_ne(dom->vgic.gen, gen);
}
END_TEST

/* Makes vCPU 1 take SGI 3 into a list register, then turn itself off. */
static void off_with_sgi_in_lr(void)
{
	struct vcpu *v1 = &dom->vcpus[1];
	struct vgic_lr_item it;

	v1->state = VCPU_RUNNABLE;
	mmio_write(1, GICR(1) + GICR_SGI + 0x0100, 4, 1u << 3);
	mmio_write(0, GICD + 0x0000, 4, 2);
	vgic_inject(v1, 3);
	ck_assert_uint_eq(vgic_pick(v1, &it, 1), 1);
	ck_assert_uint_eq(it.intid, 3);
	psci(1, PSCI_CPU_OFF, 0, 0, 0);
	ck_assert_int_eq(v1->state, VCPU_OFFLINE);
}

START_TEST(test_cpu_on_forgets_list_registers)
{
	struct vcpu *v1 = &dom->vcpus[1];
	struct vgic_lr_item it;

	off_with_sgi_in_lr();
	dom->vcpus[0].state = VCPU_RUNNABLE;
	ck_assert_uint_eq(psci(0, PSCI_CPU_ON_32, 1, 0x40080000, 0), PSCI_SUCCESS);
	ck_assert(domain_vcpu_on_pending(v1));
	domain_vcpu_power_on(v1); /* what its pCPU does before running it */
	/* Nothing pending: WFI blocks.  A new SGI is delivered again. */
	ck_assert(!vgic_has_pending(v1));
	mmio_write(1, GICR(1) + GICR_SGI + 0x0100, 4, 1u << 3);
	vgic_inject(v1, 3);
	ck_assert_uint_eq(vgic_pick(v1, &it, 1), 1);
	ck_assert_uint_eq(it.intid, 3);
}
END_TEST

START_TEST(test_set_context_forgets_list_registers)
{
	struct cachet_vcpu_context ctx = { .pc = 0x40080000, .pstate = 0x3c5 };

	off_with_sgi_in_lr();
	dom->state = CACHET_DOM_PAUSED;
	ck_assert_int_eq(domain_set_vcpu_context(dom, 1, CACHET_VCPU_ONLINE, &ctx), 0);
	ck_assert(!vgic_has_pending(&dom->vcpus[1]));
}
END_TEST

/* SPI 40 (edge) routed to vCPU 1 and held in its list register. */
static void spi40_in_v1_lr(void)
{
	struct vcpu *v1 = &dom->vcpus[1];
	struct vgic_lr_item it;

	v1->state = VCPU_RUNNABLE;
	route_spi(40, 1);
	mmio_write(0, GICD + 0x0c00 + 8, 4, 2u << 16); /* ICFGR2: SPI 40 edge */
	vgic_inject(v1, 40);
	ck_assert_uint_eq(vgic_pick(v1, &it, 1), 1);
	ck_assert_uint_eq(it.intid, 40);
}

/*
 * SPI 40 held in vCPU 1's list register, then routed to vCPU 0, which
 * blocks: whoever gives it back must wake vCPU 0.
 */
static void spi40_in_v1_lr_routed_to_blocked_v0(void)
{
	spi40_in_v1_lr();
	mmio_write(0, GICD + 0x6000 + 8 * 40, 8, 0); /* IROUTER: now to vCPU 0 */
	dom->vcpus[0].state = VCPU_BLOCKED;
}

/* vCPU 0 was woken for SPI 40 and takes it. */
static void v0_woken_for_spi40(void)
{
	struct vcpu *v0 = &dom->vcpus[0];
	struct vgic_lr_item it;

	ck_assert_int_eq(v0->state, VCPU_RUNNABLE);
	ck_assert_uint_eq(vgic_pick(v0, &it, 1), 1);
	ck_assert_uint_eq(it.intid, 40);
}

START_TEST(test_spi_in_lr_stays_pending_across_cpu_on)
{
	struct vcpu *v1 = &dom->vcpus[1];
	struct vgic_lr_item it;

	spi40_in_v1_lr();
	psci(1, PSCI_CPU_OFF, 0, 0, 0);
	psci(0, PSCI_CPU_ON_32, 1, 0x40080000, 0);
	domain_vcpu_power_on(v1);
	ck_assert_uint_eq(vgic_pick(v1, &it, 1), 1);
	ck_assert_uint_eq(it.intid, 40);
}
END_TEST

START_TEST(test_spi_rerouted_in_lr_wakes_its_new_target)
{
	struct vcpu *v0 = &dom->vcpus[0], *v1 = &dom->vcpus[1];
	struct vgic_lr_item it;

	spi40_in_v1_lr_routed_to_blocked_v0();
	vgic_inject(v0, 40); /* again, while vCPU 1 still holds it */
	ck_assert_int_eq(v0->state, VCPU_BLOCKED);
	ck_assert(!vgic_has_pending(v0));
	/* vCPU 1 ends it: the pending edge is vCPU 0's, which must wake. */
	vgic_lr_done(v1, 40, false, false);
	ck_assert(vgic_has_pending(v0));
	ck_assert_uint_eq(vgic_pick(v1, &it, 1), 0);
	v0_woken_for_spi40();
}
END_TEST

START_TEST(test_reset_hands_spis_in_lr_to_their_target)
{
	struct vcpu *v1 = &dom->vcpus[1];

	spi40_in_v1_lr_routed_to_blocked_v0();
	/* A reset (a new context for a paused domain) takes back what its list registers held. */
	vgic_vcpu_reset(v1);
	ck_assert(!vgic_has_pending(v1));
	v0_woken_for_spi40();
}
END_TEST

START_TEST(test_cpu_off_hands_spis_in_lr_to_their_target)
{
	spi40_in_v1_lr_routed_to_blocked_v0();
	/* vCPU 1 goes off holding it: vCPU 0 takes it, not waiting for a CPU_ON. */
	psci(1, PSCI_CPU_OFF, 0, 0, 0);
	v0_woken_for_spi40();
}
END_TEST

START_TEST(test_cpu_on_waits_for_the_leaving_pcpu)
{
	struct vcpu *v1 = &dom->vcpus[1];

	off_with_sgi_in_lr();
	v1->running = true; /* its pCPU is still on the exit path */
	v1->arch.pc = 0x1234;
	ck_assert_uint_eq(psci(0, PSCI_CPU_ON_32, 1, 0x40080000, 7), PSCI_SUCCESS);
	/* Nothing of the vCPU is touched from here; its own pCPU resets it. */
	ck_assert_uint_eq(v1->arch.pc, 0x1234);
	ck_assert(domain_vcpu_on_pending(v1));
	ck_assert_uint_eq(psci(0, PSCI_CPU_ON_32, 1, 0x40080000, 7), (uint64_t)-4);
	v1->running = false;
	domain_vcpu_power_on(v1);
	ck_assert_uint_eq(v1->arch.pc, 0x40080000);
	ck_assert_uint_eq(v1->arch.x[0], 7);
	ck_assert(!domain_vcpu_on_pending(v1));
}
END_TEST

START_TEST(test_psci_32bit_calls_ignore_upper_halves)
{
	struct vcpu *v1 = &dom->vcpus[1];

	ck_assert_uint_eq(psci(0, PSCI_AFFINITY_INFO_32, 0xffffffff00000001ULL, 0xabcd000000000000ULL, 0),
			  PSCI_AFF_OFF);
	ck_assert_uint_eq(psci(0, 0xffffffff00000000ULL | PSCI_CPU_ON_32, 0x5a5a5a5a00000001ULL,
			       0xdead000040080000ULL, 0x1234567800000009ULL),
			  PSCI_SUCCESS);
	domain_vcpu_power_on(v1);
	ck_assert_uint_eq(v1->arch.pc, 0x40080000);
	ck_assert_uint_eq(v1->arch.x[0], 9);
}
END_TEST

/* Runs a step of the scheduler of pCPU @cpu, as that pCPU. */
static void on_cpu(unsigned int cpu, void (*step)(void))
{
	host_set_cpu(cpu);
	step();
	host_set_cpu(0);
}

/* pCPU 1 read the slot as live and holds its vGIC lock, still in its scan. */
static spinlock_t *hold_slot_lock_in_scan(struct domain *slot)
{
	percpu[1].online = true;
	on_cpu(1, sched_scan_begin);
	spin_lock(&slot->vgic.lock);
	dom->state = CACHET_DOM_PAUSED;
	ck_assert_int_eq(domain_destroy(dom), 0);
	return &slot->vgic.lock;
}

static void assert_lock_untouched(const spinlock_t *lock, spinlock_t held)
{
	ck_assert_uint_eq(lock->locked, held.locked);
}

START_TEST(test_slot_freed_during_a_scan_is_not_reused)
{
	struct cachet_domain_create_in in = { .max_vcpus = 1, .max_pages = 16 };
	struct domain *slot = dom, *other;
	spinlock_t *lock = hold_slot_lock_in_scan(slot), held = *lock;

	ck_assert(!sched_slot_reusable(slot));
	/* Another slot is taken at once: nobody waits, nobody is interrupted. */
	host_kicks_reset();
	ck_assert_int_eq(domain_create(&in, &other), 0);
	ck_assert_ptr_ne(other, slot);
	ck_assert_uint_eq(host_kick_count(1), 0);
	assert_lock_untouched(lock, held);
	spin_unlock(lock);
	/* Once pCPU 1 has left that scan, the slot may be cleared again. */
	on_cpu(1, sched_scan_end);
	ck_assert(sched_slot_reusable(slot));
	dom = other;
}
END_TEST

START_TEST(test_slot_reuse_waits_when_no_other_is_free)
{
	struct cachet_domain_create_in in = { .max_vcpus = 1, .max_pages = 16 };
	struct domain *slot = dom, *filler[CONFIG_MAX_DOMAINS - 1], *again;
	spinlock_t *lock;
	spinlock_t held;

	for (unsigned int i = 0; i < CONFIG_MAX_DOMAINS - 1; i++)
		ck_assert_int_eq(domain_create(&in, &filler[i]), 0);
	lock = hold_slot_lock_in_scan(slot);
	held = *lock;
	host_kicks_reset();
	ck_assert_int_eq(domain_create(&in, &again), -EBUSY);
	ck_assert_uint_ge(host_kick_count(1), 1); /* asked to finish its scan */
	assert_lock_untouched(lock, held);
	spin_unlock(lock);
	/* A pCPU that started a new scan since has finished the old one. */
	on_cpu(1, sched_scan_begin);
	ck_assert_int_eq(domain_create(&in, &again), 0);
	ck_assert_ptr_eq(again, slot);
	for (unsigned int i = 0; i < CONFIG_MAX_DOMAINS - 1; i++)
		ck_assert_int_eq(domain_destroy(filler[i]), 0);
	dom = again;
}
END_TEST

START_TEST(test_sleeping_pcpu_does_not_delay_slot_reuse)
{
	struct cachet_domain_create_in in = { .max_vcpus = 1, .max_pages = 16 };
	struct domain *slot = dom, *again;

	/* pCPU 1 scanned, then went to sleep in WFI (or into a guest). */
	percpu[1].online = true;
	on_cpu(1, sched_scan_begin);
	on_cpu(1, sched_scan_end);
	dom->state = CACHET_DOM_PAUSED;
	ck_assert_int_eq(domain_destroy(dom), 0);
	host_kicks_reset();
	ck_assert_int_eq(domain_create(&in, &again), 0);
	ck_assert_ptr_eq(again, slot);
	ck_assert_uint_eq(host_kick_count(1), 0);
	dom = again;
}
END_TEST

START_TEST(test_flush_time_is_charged_to_its_guest)
{
	struct vcpu *v = &dom->vcpus[0];
	struct timespec wait = { 0, 300 * 1000 * 1000 };

	percpu[0].resched = false;
	sched_charge(v, 200000); /* it made the hypervisor flush for 200 ms */
	ck_assert(percpu[0].resched);
	ck_assert(sched_throttled(v));
	nanosleep(&wait, NULL);
	ck_assert(!sched_throttled(v));
	sched_charge(v, 0);
	ck_assert(!sched_throttled(v));
}
END_TEST

static Suite *guest_iface_suite(void)
{
	Suite *s = suite_create("guest_iface");
	TCase *mmio = tcase_create("mmio"), *kick = tcase_create("kicks");
	TCase *power = tcase_create("power"), *slot = tcase_create("slot");

	tcase_add_checked_fixture(mmio, setup, teardown);
	tcase_add_test(mmio, test_byte_read_of_uart_data_is_one_byte);
	tcase_add_test(mmio, test_word_read_of_gicr_typer_is_32_bits);
	tcase_add_test(mmio, test_byte_store_to_irouter_is_ignored);
	tcase_add_test(mmio, test_misaligned_access_is_raz_wi);
	tcase_add_test(mmio, test_gicr_priority_stays_in_its_frame);
	suite_add_tcase(s, mmio);
	tcase_add_checked_fixture(kick, setup, teardown);
	tcase_add_test(kick, test_reserved_write_kicks_nobody);
	tcase_add_test(kick, test_enable_kicks_the_target_once);
	tcase_add_test(kick, test_sgi_storm_kicks_once);
	suite_add_tcase(s, kick);
	tcase_add_checked_fixture(power, setup, teardown);
	tcase_add_test(power, test_cpu_on_forgets_list_registers);
	tcase_add_test(power, test_set_context_forgets_list_registers);
	tcase_add_test(power, test_spi_in_lr_stays_pending_across_cpu_on);
	tcase_add_test(power, test_sgi_to_all_but_self_ignores_affinity);
	tcase_add_test(power, test_spi_rerouted_in_lr_wakes_its_new_target);
	tcase_add_test(power, test_reset_hands_spis_in_lr_to_their_target);
	tcase_add_test(power, test_cpu_off_hands_spis_in_lr_to_their_target);
	tcase_add_test(power, test_cpu_on_waits_for_the_leaving_pcpu);
	tcase_add_test(power, test_psci_32bit_calls_ignore_upper_halves);
	suite_add_tcase(s, power);
	tcase_add_checked_fixture(slot, setup, teardown);
	tcase_add_test(slot, test_slot_freed_during_a_scan_is_not_reused);
	tcase_add_test(slot, test_slot_reuse_waits_when_no_other_is_free);
	tcase_add_test(slot, test_sleeping_pcpu_does_not_delay_slot_reuse);
	tcase_add_test(slot, test_flush_time_is_charged_to_its_guest);
	tcase_add_test(slot, test_pick_with_nothing_new_takes_no_lock);
	tcase_add_test(slot, test_pick_sees_what_came_after_it);
	tcase_add_test(slot, test_pick_after_full_list_registers_drain);
	tcase_add_test(slot, test_uart_output_leaves_the_vgic_alone);
	tcase_set_timeout(slot, 10);
	suite_add_tcase(s, slot);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(guest_iface_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
