/*
 * hostile: a guest that attacks the hypervisor's boundary, case by case,
 * then with seeded random traffic.  Each case prints "hostile: <case> ok"
 * or ends the guest with a FAIL result naming what it saw:
 *
 *   leak   debug and PMU registers read as zero, before and after this
 *          guest writes them, registers switched with the vCPU start at
 *          zero (a second instance on the same pCPU sees nothing of the
 *          marks the first leaves at its end), and the ID registers hide
 *          SVE and the PMU
 *   bpr    ICC_CTLR_EL1.CBPR cleared, ICC_BPR1_EL1 = 8, then an interrupt
 *          acknowledged (QEMU 7.2 aborted on this)
 *   cval   CNTV_CVAL near 2^64 - CNTVOFF with the timer enabled (QEMU 7.2
 *          hung on this)
 *   mmio   a 32-bit load of GICR_TYPER leaves the upper half of the X
 *          register zero; a byte store to GICD_IROUTER changes nothing
 *   psci   CPU_ON_32 with garbage in the upper halves of x1..x3 starts
 *          vCPU 1 at the low half of the entry with the low half of the
 *          context; vCPU 1 turns off with an SGI in a list register, is
 *          started again, blocks in WFI and takes a new SGI
 *   storm  GICD writes with vCPU 1 off and an SPI pending for it, SGIs to
 *          itself, and WFIs, for a while (its neighbours must not notice)
 *   flush  with MMU and caches on, DC CISW then SCTLR_EL1 rewritten with
 *          the same value, for a while: each pair re-arms a whole-RAM flush
 *   random HVC, SMC, MMIO and system-register accesses from a generator
 *          seeded with HOSTILE_SEED (printed), every exception skipped
 *
 * then powers off with RESULT: PASS hostile (or is crashed by the
 * hypervisor for an access it refuses, with the reason in its log).
 * Every interrupt stays masked: interrupts are polled through the CPU
 * interface.  Needs 2 vCPUs.
 */
#include <stdbool.h>
#include <stdint.h>

#include "arm64.h"
#include "console.h"
#include "guest.h"
#include "mmu.h"
#include "psci.h"

const char guest_name[] = "hostile";

#ifndef HOSTILE_SEED
#define HOSTILE_SEED UINT64_C(0x9e3779b97f4a7c15)
#endif
/* Which cases run, one bit each in the order of main(); all by default. */
#ifndef HOSTILE_CASES
#define HOSTILE_CASES 0xffu
#endif
#define HOSTILE_RANDOM_OPS 60000
#define HOSTILE_STORM_MS 3000

#define GICD_BASE 0x03001000UL
#define GICD_SIZE 0x10000UL
#define GICR_BASE 0x03020000UL
#define GICR_STRIDE 0x20000UL
#define GICR_SGI 0x10000UL
#define UART_PAGE 0x22000000UL

#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_AFF_OFF 1

#define ICC_PMR S3_0_C4_C6_0
#define ICC_IAR1 S3_0_C12_C12_0
#define ICC_EOIR1 S3_0_C12_C12_1
#define ICC_HPPIR1 S3_0_C12_C12_2
#define ICC_BPR1 S3_0_C12_C12_3
#define ICC_CTLR S3_0_C12_C12_4
#define ICC_IGRPEN1 S3_0_C12_C12_7
#define ICC_SGI1R S3_0_C12_C11_5
#define ID_AA64ZFR0 S3_0_C0_C4_4
#define SPURIOUS 1023

#define SGI_PROBE 5
#define SPI_OFFLINE 40

/* ---- Exceptions: skip the instruction, count it. ---- */

static volatile uint64_t faults;

__asm__(".section .text.hostile_vectors, \"ax\"\n"
	".balign 2048\n"
	"hostile_vectors:\n"
	".rept 16\n"
	".balign 0x80\n"
	"b hostile_skip\n"
	".endr\n"
	"hostile_skip:\n"
	"	mrs x9, elr_el1\n"
	"	add x9, x9, #4\n"
	"	msr elr_el1, x9\n"
	"	adrp x10, faults\n"
	"	ldr x9, [x10, :lo12:faults]\n"
	"	add x9, x9, #1\n"
	"	str x9, [x10, :lo12:faults]\n"
	"	eret\n"
	".text\n");

static void vectors_install(void)
{
	extern char hostile_vectors[];

	write_sysreg(vbar_el1, (uint64_t)(uintptr_t)hostile_vectors);
	isb();
}

/* ---- Small helpers. ---- */

static uint64_t rng_state = HOSTILE_SEED;

static uint64_t rng(void)
{
	/* xorshift64*: reproducible from the seed, good enough to pick actions. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(0x2545f4914f6cdd1d);
}

static uint64_t counter(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static uint64_t us_to_ticks(uint64_t us)
{
	return read_sysreg(cntfrq_el0) / 1000000 * us;
}

static void mmio_write32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)addr = v;
}

static uint64_t mmio_read64(uint64_t addr)
{
	return *(volatile uint64_t *)(uintptr_t)addr;
}

static void mmio_write64(uint64_t addr, uint64_t v)
{
	*(volatile uint64_t *)(uintptr_t)addr = v;
}

struct smccc_res {
	uint64_t x0, x1, x2, x3;
};

static struct smccc_res hvc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
			   "x14", "x15", "x16", "x17", "memory");
	return (struct smccc_res){ x0, x1, x2, x3 };
}

static uint64_t smc(uint64_t fn, uint64_t a1)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;

	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1)
			 :
			 : "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
			   "x13", "x14", "x15", "x16", "x17", "memory");
	return x0;
}

/* Group 1 on at the distributor and the CPU interface, nothing masked by priority. */
static void cpuif_on(void)
{
	mmio_write32(GICD_BASE, 2); /* GICD_CTLR.EnableGrp1 */
	write_sysreg(ICC_PMR, 0xff);
	write_sysreg(ICC_IGRPEN1, 1);
	isb();
}

static uint64_t gicr(unsigned int cpu)
{
	return GICR_BASE + cpu * GICR_STRIDE;
}

static void sgi_enable(unsigned int cpu, unsigned int sgi)
{
	mmio_write32(gicr(cpu) + GICR_SGI + 0x100, 1u << sgi);
}

static void sgi_send(unsigned int cpu, unsigned int sgi)
{
	write_sysreg(ICC_SGI1R, ((uint64_t)sgi << 24) | (1u << cpu));
	isb();
}

/* Waits up to @us for an interrupt to be pending at the CPU interface. */
static uint64_t wait_pending(uint64_t us)
{
	uint64_t end = counter() + us_to_ticks(us);
	uint64_t intid;

	while ((intid = read_sysreg(ICC_HPPIR1) & 0xffffff) == SPURIOUS && counter() < end)
		;
	return intid;
}

/* ---- leak ---- */

struct leak_reg {
	const char *name;
	uint64_t (*read)(void);
	void (*write)(uint64_t);
	uint64_t value;
	uint64_t writable; /* the bits a guest could leave behind */
};

/* One accessor pair per probed register, generated from its name. */
#define LEAK_REG(reg)                                                  \
	static uint64_t read_##reg(void) { return read_sysreg(reg); }  \
	static void write_##reg(uint64_t v) { write_sysreg(reg, v); }
LEAK_REG(mdscr_el1)
LEAK_REG(dbgbvr0_el1)
LEAK_REG(dbgwvr0_el1)
LEAK_REG(dbgbcr0_el1)
LEAK_REG(pmcr_el0)
LEAK_REG(pmccfiltr_el0)
LEAK_REG(pmcntenset_el0)
LEAK_REG(pmuserenr_el0)
LEAK_REG(pmselr_el0)

static const struct leak_reg leak_regs[] = {
	{ "MDSCR_EL1", read_mdscr_el1, write_mdscr_el1, 0x8000 /* MDE */, ~UINT64_C(0) },
	{ "DBGBVR0_EL1", read_dbgbvr0_el1, write_dbgbvr0_el1, 0x40001000, ~UINT64_C(0) },
	{ "DBGWVR0_EL1", read_dbgwvr0_el1, write_dbgwvr0_el1, 0x40002000, ~UINT64_C(0) },
	{ "DBGBCR0_EL1", read_dbgbcr0_el1, write_dbgbcr0_el1, 0x1e7, ~UINT64_C(0) },
	/* PMCR_EL0 bits 31:11 identify the PMU; E (bit 0) turns counting on. */
	{ "PMCR_EL0", read_pmcr_el0, write_pmcr_el0, 0x1, 0x7ff },
	/* NSH: count at EL2 too. */
	{ "PMCCFILTR_EL0", read_pmccfiltr_el0, write_pmccfiltr_el0, 1u << 27, ~UINT64_C(0) },
	{ "PMCNTENSET_EL0", read_pmcntenset_el0, write_pmcntenset_el0, 1u << 31, ~UINT64_C(0) },
	{ "PMUSERENR_EL0", read_pmuserenr_el0, write_pmuserenr_el0, 0xf, ~UINT64_C(0) },
	{ "PMSELR_EL0", read_pmselr_el0, write_pmselr_el0, 0x1f, ~UINT64_C(0) },
};

static void leak_check(const char *when)
{
	for (unsigned int i = 0; i < sizeof(leak_regs) / sizeof(leak_regs[0]); i++) {
		uint64_t v = leak_regs[i].read() & leak_regs[i].writable;

		if (v != 0)
			guest_fail("leak: %s reads 0x%llx %s", leak_regs[i].name,
				   (unsigned long long)v, when);
	}
}

/*
 * Registers switched with the vCPU: a new domain's vCPU must find them at
 * their reset value (zero), whatever the last domain on this pCPU left.
 */
LEAK_REG(tpidr_el0)
LEAK_REG(tpidr_el1)
LEAK_REG(tpidrro_el0)
LEAK_REG(par_el1)
LEAK_REG(cntv_cval_el0)
LEAK_REG(cntv_ctl_el0)
LEAK_REG(contextidr_el1)

static const struct leak_reg switched_regs[] = {
	{ "TPIDR_EL0", read_tpidr_el0, write_tpidr_el0, 0x5a5a0001, ~UINT64_C(0) },
	{ "TPIDR_EL1", read_tpidr_el1, write_tpidr_el1, 0x5a5a0002, ~UINT64_C(0) },
	{ "TPIDRRO_EL0", read_tpidrro_el0, write_tpidrro_el0, 0x5a5a0003, ~UINT64_C(0) },
	{ "PAR_EL1", read_par_el1, write_par_el1, 0x5a5a0000, ~UINT64_C(0) },
	{ "CNTV_CVAL_EL0", read_cntv_cval_el0, write_cntv_cval_el0, 0x5a5a0005, ~UINT64_C(0) },
	{ "CNTV_CTL_EL0", read_cntv_ctl_el0, write_cntv_ctl_el0, 0x2, 0x3 },
	{ "CONTEXTIDR_EL1", read_contextidr_el1, write_contextidr_el1, 0x5a5a, ~UINT64_C(0) },
};

static void switched_check_arrival(void)
{
	for (unsigned int i = 0; i < sizeof(switched_regs) / sizeof(switched_regs[0]); i++) {
		uint64_t v = switched_regs[i].read() & switched_regs[i].writable;

		if (v != 0)
			guest_fail("leak: %s reads 0x%llx on arrival", switched_regs[i].name,
				   (unsigned long long)v);
	}
}

/* Leaves marks in them for the next domain on this pCPU to (not) find. */
static void switched_leave_marks(void)
{
	for (unsigned int i = 0; i < sizeof(switched_regs) / sizeof(switched_regs[0]); i++)
		switched_regs[i].write(switched_regs[i].value);
	isb();
}

static void case_leak(void)
{
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1), dfr0 = read_sysreg(id_aa64dfr0_el1);

	leak_check("on arrival");
	switched_check_arrival();
	for (unsigned int i = 0; i < sizeof(leak_regs) / sizeof(leak_regs[0]); i++)
		leak_regs[i].write(leak_regs[i].value);
	isb();
	leak_check("after this guest wrote it");
	if (((pfr0 >> 32) & 0xf) != 0 || read_sysreg(ID_AA64ZFR0) != 0)
		guest_fail("leak: SVE advertised (ID_AA64PFR0_EL1 0x%llx)", (unsigned long long)pfr0);
	if (((dfr0 >> 8) & 0xf) != 0)
		guest_fail("leak: a PMU advertised (ID_AA64DFR0_EL1 0x%llx)", (unsigned long long)dfr0);
	console_puts("hostile: leak ok\n");
}

/* ---- bpr ---- */

/*
 * The price of the containment's choice, printed for the record: a read of
 * ICC_PMR_EL1 traps to the hypervisor (ICH_HCR_EL2.TC), one of ICC_HPPIR1_EL1
 * does not.  Trapping ICC_BPR1_EL1 instead (TALL1) would make every
 * acknowledge and end of interrupt cost a trap like the first.
 */
static void bpr_measure(void)
{
	uint64_t t0, trapped, direct, sink = 0;

	t0 = counter();
	for (unsigned int i = 0; i < 2000; i++)
		sink += read_sysreg(ICC_PMR);
	trapped = counter() - t0;
	t0 = counter();
	for (unsigned int i = 0; i < 2000; i++)
		sink += read_sysreg(ICC_HPPIR1);
	direct = counter() - t0;
	console_printf("hostile: bpr: 2000 trapped ICC reads %llu us, 2000 direct %llu us (%llu)\n",
		       (unsigned long long)(trapped / (read_sysreg(cntfrq_el0) / 1000000)),
		       (unsigned long long)(direct / (read_sysreg(cntfrq_el0) / 1000000)),
		       (unsigned long long)(sink & 1));
}

static void case_bpr(void)
{
	uint64_t intid;

	cpuif_on();
	sgi_enable(0, SGI_PROBE);
	/* Clear CBPR, then the value QEMU 7.2 stores as BPR1 = 0. */
	write_sysreg(ICC_CTLR, read_sysreg(ICC_CTLR) & ~UINT64_C(1));
	write_sysreg(ICC_BPR1, 8);
	isb();
	sgi_send(0, SGI_PROBE);
	if (wait_pending(1000000) != SGI_PROBE)
		guest_fail("bpr: SGI %u never became pending", SGI_PROBE);
	intid = read_sysreg(ICC_IAR1) & 0xffffff;
	if (intid != SGI_PROBE)
		guest_fail("bpr: acknowledged %llu, not SGI %u", (unsigned long long)intid, SGI_PROBE);
	write_sysreg(ICC_EOIR1, intid);
	isb();
	bpr_measure();
	console_printf("hostile: bpr ok (BPR1 reads %llu, CTLR 0x%llx)\n",
		       (unsigned long long)read_sysreg(ICC_BPR1),
		       (unsigned long long)read_sysreg(ICC_CTLR));
}

/* ---- cval ---- */

static void cval_try(uint64_t cval)
{
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntv_cval_el0, cval);
	write_sysreg(cntv_ctl_el0, 1);
	isb();
	for (uint64_t end = counter() + us_to_ticks(2000); counter() < end;)
		;
	write_sysreg(cntv_ctl_el0, 0);
	isb();
}

static void case_cval(void)
{
	uint64_t off = read_sysreg(cntpct_el0) - read_sysreg(cntvct_el0);

	console_printf("hostile: cval: counter offset seen as 0x%llx\n", (unsigned long long)off);
	cval_try(0 - off / 2);
	cval_try(0 - off);
	cval_try(~UINT64_C(0));
	cval_try(UINT64_C(1) << 63);
	for (unsigned int i = 0; i < 8; i++)
		cval_try(0 - (rng() >> (rng() & 63)));
	console_puts("hostile: cval ok\n");
}

/* ---- mmio ---- */

static void case_mmio(void)
{
	uint64_t x, irouter = GICD_BASE + 0x6000 + 8 * SPI_OFFLINE, before;

	__asm__ volatile("mov %0, #-1\n\tldr %w0, [%1]" : "=&r"(x) : "r"(gicr(1) + 8) : "memory");
	if (x >> 32 != 0)
		guest_fail("mmio: 32-bit load of GICR_TYPER filled the X register: 0x%llx",
			   (unsigned long long)x);
	mmio_write64(irouter, 1);
	before = mmio_read64(irouter);
	*(volatile uint8_t *)(uintptr_t)irouter = 0xff;
	if (mmio_read64(irouter) != before)
		guest_fail("mmio: a byte store changed GICD_IROUTER40 to 0x%llx",
			   (unsigned long long)mmio_read64(irouter));
	console_puts("hostile: mmio ok\n");
}

/* ---- psci: vCPU 1 ---- */

static volatile uint64_t sec_context;
static volatile uint64_t sec_phase;
static volatile uint64_t sec_result;
extern char hostile_secondary[];

__asm__(".text\n"
	".global hostile_secondary\n"
	"hostile_secondary:\n"
	"	msr daifset, #0xf\n"
	"	adrp x1, sec_stack_top\n"
	"	add x1, x1, :lo12:sec_stack_top\n"
	"	mov sp, x1\n"
	"	bl secondary_main\n"
	"1:	wfi\n"
	"	b 1b\n"
	".section .bss.sec_stack, \"aw\", %nobits\n"
	".balign 16\n"
	"	.space 8192\n"
	"sec_stack_top:\n"
	".text\n");

void secondary_main(uint64_t context);

static void sec_set(uint64_t phase, uint64_t result)
{
	sec_result = result;
	__atomic_store_n(&sec_phase, phase, __ATOMIC_RELEASE);
}

/* First start: take SGI_PROBE into a list register, leave it there, turn off. */
static void secondary_first(void)
{
	sgi_enable(1, SGI_PROBE);
	sec_set(1, 0);
	if (wait_pending(2000000) != SGI_PROBE) {
		sec_set(99, 1);
		return;
	}
	hvc(PSCI_CPU_OFF, 0, 0, 0);
	sec_set(99, 2); /* CPU_OFF returned */
}

/* Second start: nothing pending, so WFI blocks; then a new SGI arrives. */
static void secondary_second(void)
{
	uint64_t t0, blocked, intid;

	if (read_sysreg(ICC_HPPIR1) != SPURIOUS) {
		sec_set(99, 3);
		return;
	}
	t0 = counter();
	for (unsigned int i = 0; i < 20; i++)
		wfi();
	blocked = counter() - t0;
	sgi_enable(1, SGI_PROBE);
	sec_set(2, blocked);
	intid = wait_pending(2000000);
	if (intid == SGI_PROBE) {
		write_sysreg(ICC_EOIR1, read_sysreg(ICC_IAR1));
		isb();
	}
	sec_set(intid == SGI_PROBE ? 3 : 98, intid);
	hvc(PSCI_CPU_OFF, 0, 0, 0);
}

void secondary_main(uint64_t context)
{
	vectors_install();
	sec_context = context;
	cpuif_on();
	if (__atomic_load_n(&sec_phase, __ATOMIC_ACQUIRE) == 0)
		secondary_first();
	else
		secondary_second();
	for (;;)
		wfi();
}

static void sec_wait(uint64_t phase, const char *what)
{
	uint64_t end = counter() + us_to_ticks(5000000);

	while (__atomic_load_n(&sec_phase, __ATOMIC_ACQUIRE) < phase && counter() < end)
		;
	if (sec_phase != phase)
		guest_fail("psci: %s (vCPU 1 at phase %llu, result 0x%llx)", what,
			   (unsigned long long)sec_phase, (unsigned long long)sec_result);
}

static void wait_vcpu1_off(void)
{
	uint64_t end = counter() + us_to_ticks(5000000);

	while (hvc(PSCI_AFFINITY_INFO_32, 1, 0, 0).x0 != PSCI_AFF_OFF)
		if (counter() > end)
			guest_fail("psci: vCPU 1 never turned off");
}

static void cpu_on_32(uint64_t context)
{
	uint64_t entry = (uint64_t)(uintptr_t)hostile_secondary;
	int64_t rc = (int32_t)hvc(UINT64_C(0xffffffff00000000) | PSCI_CPU_ON_32,
				  UINT64_C(0x5a5a5a5a00000001), UINT64_C(0xdead000000000000) | entry,
				  UINT64_C(0x1234567800000000) | context).x0;

	if (rc != 0)
		guest_fail("psci: CPU_ON_32 with upper halves set returned %lld", (long long)rc);
}

static void case_psci(void)
{
	cpu_on_32(0x77);
	sec_wait(1, "vCPU 1 did not start");
	if (sec_context != 0x77)
		guest_fail("psci: vCPU 1 got context 0x%llx", (unsigned long long)sec_context);
	sgi_send(1, SGI_PROBE);
	wait_vcpu1_off();
	cpu_on_32(0x78);
	sec_wait(2, "vCPU 1 did not come back with nothing pending");
	console_printf("hostile: psci: 20 WFIs took %llu us\n",
		       (unsigned long long)(sec_result / (read_sysreg(cntfrq_el0) / 1000000)));
	if (sec_result < us_to_ticks(1000))
		guest_fail("psci: WFI did not block after CPU_ON (20 took %llu ticks)",
			   (unsigned long long)sec_result);
	sgi_send(1, SGI_PROBE);
	sec_wait(3, "the SGI sent after CPU_ON was not delivered");
	wait_vcpu1_off();
	console_puts("hostile: psci ok\n");
}

/* ---- storm ---- */

static void case_storm(void)
{
	uint64_t t0 = counter(), end = t0 + us_to_ticks(HOSTILE_STORM_MS * 1000), ops = 0;

	/* vCPU 1 is off; an SPI routed to it stays pending there. */
	mmio_write32(GICD_BASE, 2);
	mmio_write64(GICD_BASE + 0x6000 + 8 * SPI_OFFLINE, 1);
	mmio_write32(GICD_BASE + 0x100 + 4, 1u << (SPI_OFFLINE - 32));
	mmio_write32(GICD_BASE + 0x200 + 4, 1u << (SPI_OFFLINE - 32));
	sgi_enable(0, 6);
	for (unsigned int i = 0; counter() < end; i++, ops++) {
		switch (i % 4) {
		case 0: mmio_write32(GICD_BASE + 0x5000, i); break;
		case 1: mmio_write32(GICD_BASE + 0x400 + 48, 0xa0a0a0a0); break;
		case 2: sgi_send(0, 6); break;
		default: wfi(); break;
		}
	}
	write_sysreg(ICC_EOIR1, read_sysreg(ICC_IAR1));
	console_printf("hostile: storm ok (%llu operations in %llu ms)\n", (unsigned long long)ops,
		       (unsigned long long)((counter() - t0) / (read_sysreg(cntfrq_el0) / 1000)));
}

/* ---- flush ---- */

static void case_flush(void)
{
	uint64_t t0 = counter(), end = t0 + us_to_ticks(HOSTILE_STORM_MS * 1000), pairs = 0;
	uint64_t sctlr;

	mmu_build_tables();
	mmu_write_mair();
	mmu_write_tcr();
	mmu_write_ttbr0();
	sctlr = mmu_sctlr_update(SCTLR_EL1_M | SCTLR_EL1_C | SCTLR_EL1_I,
				 SCTLR_EL1_A | SCTLR_EL1_WXN);
	for (; counter() < end; pairs++) {
		__asm__ volatile("dc cisw, %0" : : "r"(UINT64_C(0)) : "memory");
		write_sysreg(sctlr_el1, sctlr);
		isb();
	}
	mmu_sctlr_update(0, SCTLR_EL1_M | SCTLR_EL1_C | SCTLR_EL1_I);
	console_printf("hostile: flush ok (%llu set/way + SCTLR pairs in %llu ms)\n",
		       (unsigned long long)pairs,
		       (unsigned long long)((counter() - t0) / (read_sysreg(cntfrq_el0) / 1000)));
}

/* ---- random ---- */

static uint32_t insn_buf[2] __attribute__((aligned(4096)));

/* Registers random writes leave alone: the guest needs them to go on. */
static bool sysreg_keep(unsigned int op0, unsigned int op1, unsigned int crn, unsigned int crm,
			unsigned int op2)
{
	uint32_t enc = op0 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2;
#define ENC(a, b, c, d, e) ((a) << 14 | (b) << 11 | (c) << 7 | (d) << 3 | (e))
	static const uint32_t keep[] = {
		ENC(3, 0, 1, 0, 0),   /* SCTLR_EL1 */
		ENC(3, 0, 1, 0, 2),   /* CPACR_EL1 */
		ENC(3, 0, 12, 0, 0),  /* VBAR_EL1 */
		ENC(3, 0, 4, 2, 0),   /* SPSel */
		ENC(3, 3, 4, 2, 1),   /* DAIF */
		ENC(3, 0, 4, 0, 1),   /* ELR_EL1 */
		ENC(3, 0, 12, 12, 5), /* ICC_SRE_EL1 */
		ENC(3, 0, 2, 0, 2),   /* TCR_EL1 */
	};
#undef ENC
	for (unsigned int i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		if (keep[i] == enc)
			return true;
	}
	return false;
}

/* One MRS or MSR of a random register through x0, run from insn_buf. */
static void random_sysreg(void)
{
	unsigned int op0 = 2 + (unsigned int)(rng() & 1), op1 = (unsigned int)(rng() & 7);
	unsigned int crn = (unsigned int)(rng() & 15), crm = (unsigned int)(rng() & 15);
	unsigned int op2 = (unsigned int)(rng() & 7);
	bool read = rng() & 1;
	uint64_t value = rng();

	if (!read && sysreg_keep(op0, op1, crn, crm, op2))
		return;
	/* MRS/MSR (register), Rt = x0: op0 sits in bits 20:19 (Arm ARM C6.2). */
	insn_buf[0] = 0xd5000000u | (read ? 1u << 21 : 0) | (op0 & 3) << 19 | op1 << 16 |
		      crn << 12 | crm << 8 | op2 << 5;
	insn_buf[1] = 0xd65f03c0u; /* ret */
	__asm__ volatile("dsb ish\n\tic iallu\n\tdsb ish\n\tisb" ::: "memory");
	register uint64_t x0 __asm__("x0") = value;
	__asm__ volatile("blr %1"
			 : "+r"(x0)
			 : "r"(insn_buf)
			 : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
			   "x13", "x14", "x15", "x16", "x17", "x30", "cc", "memory");
}

static void random_hvc(void)
{
	static const uint32_t fns[] = { 0x84000000, 0x84000001, 0x84000004, 0xc4000004,
					0x84000005, 0x84000006, 0x8400000a, 0x8400000c,
					0x80000000, 0x80000001, 0xc2000000, 0x86000000 };
	uint64_t fn = rng() & 1 ? fns[rng() % (sizeof(fns) / sizeof(fns[0]))] : rng();

	/* Power-state changes of this vCPU and the domain are cases of their own. */
	if ((uint32_t)fn == PSCI_CPU_OFF || (uint32_t)fn == PSCI_CPU_ON_32 ||
	    (uint32_t)fn == (PSCI_CPU_ON_32 | 0x40000000) || (uint32_t)fn == PSCI_SYSTEM_OFF ||
	    (uint32_t)fn == PSCI_SYSTEM_RESET || (uint32_t)fn == 0x84000001 /* suspend */)
		return;
	hvc(fn, rng(), rng(), rng());
}

static void random_mmio(void)
{
	static const uint64_t bases[][2] = {
		{ GICD_BASE, GICD_SIZE }, { GICR_BASE, 2 * GICR_STRIDE }, { UART_PAGE, 0x1000 },
	};
	unsigned int r = (unsigned int)(rng() % 3), size = 1u << (rng() & 3);
	uint64_t addr = bases[r][0] + (rng() % bases[r][1] & ~(uint64_t)(size - 1));
	uint64_t v = rng();

	/* Keep the console usable; GICD_CTLR may change (interrupts are polled). */
	if (r == 2 && (addr & 0xfff) >= 0x24 && (addr & 0xfff) < 0x34)
		return;
	if (rng() & 1) {
		switch (size) {
		case 1: v = *(volatile uint8_t *)(uintptr_t)addr; break;
		case 2: v = *(volatile uint16_t *)(uintptr_t)addr; break;
		case 4: v = *(volatile uint32_t *)(uintptr_t)addr; break;
		default: v = *(volatile uint64_t *)(uintptr_t)addr; break;
		}
		(void)v;
		return;
	}
	if (r == 2 && (addr & 0xfff) < 4)
		v = '.';
	switch (size) {
	case 1: *(volatile uint8_t *)(uintptr_t)addr = (uint8_t)v; break;
	case 2: *(volatile uint16_t *)(uintptr_t)addr = (uint16_t)v; break;
	case 4: *(volatile uint32_t *)(uintptr_t)addr = (uint32_t)v; break;
	default: *(volatile uint64_t *)(uintptr_t)addr = v; break;
	}
}

static void case_random(void)
{
	unsigned int kinds[5] = { 0 };

	console_printf("hostile: random: seed 0x%llx, %u operations\n",
		       (unsigned long long)HOSTILE_SEED, HOSTILE_RANDOM_OPS);
	for (unsigned int i = 0; i < HOSTILE_RANDOM_OPS; i++) {
		unsigned int k = (unsigned int)(rng() % 5);

		kinds[k]++;
		switch (k) {
		case 0: random_sysreg(); break;
		case 1: random_hvc(); break;
		case 2: smc(rng(), rng()); break;
		case 3: random_mmio(); break;
		default: sgi_send((unsigned int)(rng() & 1), (unsigned int)(rng() & 15)); break;
		}
	}
	console_printf("\nhostile: random ok (sysreg %u, hvc %u, smc %u, mmio %u, sgi %u; "
		       "%llu exceptions skipped)\n",
		       kinds[0], kinds[1], kinds[2], kinds[3], kinds[4], (unsigned long long)faults);
}

int main(void)
{
	static const struct {
		const char *name;
		void (*run)(void);
	} cases[] = { { "leak", case_leak },   { "bpr", case_bpr },	{ "cval", case_cval },
		      { "mmio", case_mmio },   { "psci", case_psci },	{ "storm", case_storm },
		      { "flush", case_flush }, { "random", case_random } };

	vectors_install();
	console_printf("hostile: starting, seed 0x%llx, cases 0x%x\n",
		       (unsigned long long)HOSTILE_SEED, HOSTILE_CASES);
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (!(HOSTILE_CASES & (1u << i)))
			continue;
		console_printf("hostile: running %s\n", cases[i].name);
		cases[i].run();
	}
	switched_leave_marks();
	guest_pass();
}
