/*
 * The small pure parts of cachetd: the capped line buffer, the console
 * tail buffer with absolute positions, the command line and path lookups,
 * QEMU's command line, the statistics names and the UTF-8 check.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conbuf.h"
#include "lbuf.h"
#include "methods.h"
#include "opts.h"
#include "platform.h"
#include "rpc.h"
#include "server_peer.h"

/* ---- lbuf */

START_TEST(lbuf_splits_lines)
{
	struct lbuf b;
	const char *line;
	size_t len;

	lbuf_init(&b, 16);
	ck_assert_int_eq(lbuf_append(&b, "ab\ncd", 5), 0);
	ck_assert_int_eq(lbuf_next(&b, &line, &len), 1);
	ck_assert_uint_eq(len, 2);
	ck_assert_int_eq(memcmp(line, "ab", 2), 0);
	ck_assert_int_eq(lbuf_next(&b, &line, &len), 0);
	ck_assert_uint_eq(lbuf_pending(&b), 2);
	ck_assert_int_eq(lbuf_append(&b, "\n\n", 2), 0);
	ck_assert_int_eq(lbuf_next(&b, &line, &len), 1);
	ck_assert_int_eq(memcmp(line, "cd", 2), 0);
	ck_assert_int_eq(lbuf_next(&b, &line, &len), 1);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(lbuf_next(&b, &line, &len), 0);
	ck_assert_uint_eq(lbuf_pending(&b), 0);
	lbuf_free(&b);
}
END_TEST

START_TEST(lbuf_caps_the_pending_line)
{
	struct lbuf b;
	const char *line;
	size_t len;
	char big[17];

	memset(big, 'x', sizeof(big));
	lbuf_init(&b, 16);
	ck_assert_int_eq(lbuf_append(&b, big, 16), 0);
	ck_assert_int_eq(lbuf_next(&b, &line, &len), 0);
	ck_assert_int_eq(lbuf_append(&b, big, 1), 0);
	ck_assert_int_eq(lbuf_next(&b, &line, &len), -1);
	lbuf_free(&b);
	/* A complete line over the cap is refused too. */
	lbuf_init(&b, 16);
	ck_assert_int_eq(lbuf_append(&b, big, 17), 0);
	ck_assert_int_eq(lbuf_append(&b, "\n", 1), 0);
	ck_assert_int_eq(lbuf_next(&b, &line, &len), -1);
	lbuf_free(&b);
}
END_TEST

/* ---- conbuf */

static void put(struct conbuf *b, const char *s)
{
	ck_assert_int_eq(conbuf_append(b, s, strlen(s)), 0);
}

static void expect_read(const struct conbuf *b, uint64_t pos, const char *want, uint64_t next,
			uint64_t lost)
{
	char out[64];
	uint64_t n_next, n_lost;
	size_t n = conbuf_read(b, pos, out, sizeof(out), &n_next, &n_lost);

	ck_assert_uint_eq(n, strlen(want));
	ck_assert_int_eq(memcmp(out, want, n), 0);
	ck_assert_uint_eq(n_next, next);
	ck_assert_uint_eq(n_lost, lost);
}

START_TEST(conbuf_reads_by_position)
{
	struct conbuf b;

	conbuf_init(&b, 8);
	expect_read(&b, 0, "", 0, 0);
	put(&b, "abc");
	put(&b, "de");
	expect_read(&b, 0, "abcde", 5, 0);
	expect_read(&b, 3, "de", 5, 0);
	expect_read(&b, 9, "", 5, 0);
	conbuf_free(&b);
}
END_TEST

START_TEST(conbuf_keeps_the_tail)
{
	struct conbuf b;

	conbuf_init(&b, 8);
	put(&b, "abcdef");
	put(&b, "ghij");           /* wraps: holds cdefghij */
	ck_assert_uint_eq(conbuf_start(&b), 2);
	expect_read(&b, 0, "cdefghij", 10, 2);
	expect_read(&b, 5, "fghij", 10, 0);
	put(&b, "0123456789abc");  /* longer than the cap: the last 8 bytes */
	expect_read(&b, 10, "56789abc", 23, 5);
	ck_assert_uint_eq(conbuf_start(&b), 15);
	expect_read(&b, 17, "789abc", 23, 0);
	conbuf_free(&b);
}
END_TEST

START_TEST(conbuf_wraps_many_times)
{
	struct conbuf b;
	char want[9];

	conbuf_init(&b, 8);
	for (int i = 0; i < 100; i++) {
		char c[2] = { (char)('a' + i % 26), 0 };

		put(&b, c);
	}
	for (int i = 0; i < 8; i++)
		want[i] = (char)('a' + (92 + i) % 26);
	want[8] = '\0';
	expect_read(&b, 0, want, 100, 92);
	conbuf_free(&b);
}
END_TEST

START_TEST(conbuf_reset_moves_the_origin)
{
	struct conbuf b;

	conbuf_init(&b, 8);
	conbuf_reset(&b, 1000);
	put(&b, "xy");
	expect_read(&b, 1001, "y", 1002, 0);
	expect_read(&b, 999, "xy", 1002, 1);
	expect_read(&b, 0, "xy", 1002, 1000);
	conbuf_free(&b);
}
END_TEST

/* ---- options */

static int parse(struct opts *o, char *msg, int argc, ...)
{
	char *argv[16];
	va_list ap;

	argv[0] = (char *)"cachetd";
	va_start(ap, argc);
	for (int i = 1; i < argc; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	argv[argc] = NULL;
	return opts_parse(argc, argv, o, msg, 256);
}

START_TEST(options_defaults)
{
	struct opts o;
	char msg[256];

	ck_assert_int_eq(parse(&o, msg, 1), 0);
	ck_assert(!o.foreground);
	ck_assert_uint_eq(o.cpus, 4);
	ck_assert_uint_eq(o.memory_mb, 2048);
	ck_assert_ptr_null(o.state_dir);
	ck_assert_ptr_null(o.attach);
	ck_assert_str_eq(o.cpu_model, "cortex-a57");
	ck_assert(!o.allow_unsafe_policies);
}
END_TEST

START_TEST(options_cpu_model_and_unsafe_policies)
{
	struct opts o;
	char msg[256];

	ck_assert_int_eq(parse(&o, msg, 4, "--cpu-model", "max,sve=off,sme=off,pauth=off",
			       "--allow-unsafe-policies"), 0);
	ck_assert_str_eq(o.cpu_model, "max,sve=off,sme=off,pauth=off");
	ck_assert(o.allow_unsafe_policies);
	ck_assert_int_eq(parse(&o, msg, 3, "--cpu-model", ""), -1);
	ck_assert_str_eq(msg, "--cpu-model: expected a QEMU CPU model");
}
END_TEST

START_TEST(options_all)
{
	struct opts o;
	char msg[256];

	ck_assert_int_eq(parse(&o, msg, 15, "-F", "--state-dir", "/s", "--cpus", "2", "--memory",
			       "1024", "--attach", "/dev/shm/r", "--qemu", "/q", "--hypervisor",
			       "/h.elf", "--log-file=/l"), 0);
	ck_assert(o.foreground);
	ck_assert_str_eq(o.state_dir, "/s");
	ck_assert_uint_eq(o.cpus, 2);
	ck_assert_uint_eq(o.memory_mb, 1024);
	ck_assert_str_eq(o.attach, "/dev/shm/r");
	ck_assert_str_eq(o.qemu, "/q");
	ck_assert_str_eq(o.hypervisor, "/h.elf");
	ck_assert_str_eq(o.log_file, "/l");
	ck_assert_int_eq(parse(&o, msg, 2, "--foreground"), 0);
	ck_assert(o.foreground);
	ck_assert_int_eq(parse(&o, msg, 2, "--help"), 0);
	ck_assert(o.help);
	ck_assert_int_eq(parse(&o, msg, 2, "--version"), 0);
	ck_assert(o.version);
}
END_TEST

START_TEST(options_errors)
{
	struct opts o;
	char msg[256];

	ck_assert_int_eq(parse(&o, msg, 3, "--cpus", "0"), -1);
	ck_assert_str_eq(msg, "--cpus: expected a number between 1 and 64, got '0'");
	ck_assert_int_eq(parse(&o, msg, 3, "--cpus", "4x"), -1);
	ck_assert_int_eq(parse(&o, msg, 3, "--memory", "-5"), -1);
	ck_assert_int_eq(parse(&o, msg, 3, "--memory", "99999999999999999999"), -1);
	ck_assert_int_eq(parse(&o, msg, 2, "--frobnicate"), -1);
	ck_assert_str_eq(msg, "unknown option '--frobnicate'");
	ck_assert_int_eq(parse(&o, msg, 2, "--cpus"), -1);
	ck_assert_str_eq(msg, "option '--cpus' needs an argument");
	ck_assert_int_eq(parse(&o, msg, 2, "stray"), -1);
	ck_assert_str_eq(msg, "unexpected argument 'stray'");
	ck_assert_int_eq(parse(&o, msg, 3, "--state-dir", ""), -1);
}
END_TEST

START_TEST(state_dir_lookup_order)
{
	struct opts o;
	char msg[256];

	ck_assert_int_eq(parse(&o, msg, 3, "--state-dir", "/opt"), 0);
	ck_assert_str_eq(opts_state_dir(&o, "/env", 1000, msg, sizeof(msg)), "/opt");
	ck_assert_int_eq(parse(&o, msg, 1), 0);
	ck_assert_str_eq(opts_state_dir(&o, "/env", 1000, msg, sizeof(msg)), "/env");
	ck_assert_str_eq(opts_state_dir(&o, NULL, 0, msg, sizeof(msg)), "/var/lib/cachet");
	ck_assert_str_eq(opts_state_dir(&o, "", 0, msg, sizeof(msg)), "/var/lib/cachet");
	ck_assert_ptr_null(opts_state_dir(&o, NULL, 1000, msg, sizeof(msg)));
	ck_assert_ptr_nonnull(strstr(msg, "--state-dir"));
	ck_assert_ptr_nonnull(strstr(msg, "CACHET_STATE_DIR"));
}
END_TEST

START_TEST(qemu_and_hypervisor_lookup_order)
{
	struct opts o;
	char msg[256];

	ck_assert_int_eq(parse(&o, msg, 5, "--qemu", "/q", "--hypervisor", "/h"), 0);
	ck_assert_str_eq(opts_qemu(&o, "/envq"), "/q");
	ck_assert_str_eq(opts_hypervisor(&o, "/envh", msg, sizeof(msg)), "/h");
	ck_assert_int_eq(parse(&o, msg, 1), 0);
	ck_assert_str_eq(opts_qemu(&o, "/envq"), "/envq");
	ck_assert_str_eq(opts_qemu(&o, NULL), CACHET_QEMU_PATH);
	ck_assert_str_eq(opts_hypervisor(&o, "/envh", msg, sizeof(msg)), "/envh");
}
END_TEST

/* ---- platform */

/* Each machine's RAM file sits alone in a fresh directory only its user can enter. */
START_TEST(ram_file_is_private_and_unpredictable)
{
	char msg[256];
	char *a = platform_ram_create(1 << 20, msg, sizeof(msg));
	char *b = platform_ram_create(1 << 20, msg, sizeof(msg));
	char *dir;
	struct stat st;

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_str_ne(a, b);
	ck_assert_int_eq(strncmp(a, "/dev/shm/cachet-", 16), 0);
	ck_assert_int_eq(lstat(a, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(st.st_size, 1 << 20);
	dir = strdup(a);
	*strrchr(dir, '/') = '\0';
	ck_assert_int_eq(lstat(dir, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0700);
	ck_assert_uint_eq(st.st_uid, geteuid());
	platform_ram_remove(a);
	platform_ram_remove(b);
	ck_assert_int_ne(lstat(dir, &st), 0);
	free(dir);
	free(a);
	free(b);
}
END_TEST

/* The machine is named by pid and start time: a recycled pid is not it. */
START_TEST(platform_identity_roundtrip)
{
	char dir[] = "/tmp/cachet-id-XXXXXX", path[64], msg[256];
	struct platform_id id = { 0 }, back;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/platform.json", dir);
	ck_assert_int_eq(platform_id_load(path, &back, msg, sizeof(msg)), 0);
	ck_assert_int_eq(platform_proc_get(getpid(), &id.qemu), 0);
	ck_assert(platform_proc_alive(&id.qemu));
	id.keeper = id.qemu;
	id.keeper.start++;
	ck_assert(!platform_proc_alive(&id.keeper));
	snprintf(id.ram_path, sizeof(id.ram_path), "/dev/shm/cachet-0-abcdef/ram");
	id.committed = true;
	ck_assert_int_eq(platform_id_save(path, &id, msg, sizeof(msg)), 0);
	ck_assert_int_eq(platform_id_load(path, &back, msg, sizeof(msg)), 1);
	ck_assert_int_eq(back.qemu.pid, getpid());
	ck_assert_uint_eq(back.qemu.start, id.qemu.start);
	ck_assert_uint_eq(back.keeper.start, id.keeper.start);
	ck_assert_str_eq(back.ram_path, id.ram_path);
	ck_assert(back.committed);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("{\"qemu\":{\"pid\":-1}}", f);
	fclose(f);
	ck_assert_int_eq(platform_id_load(path, &back, msg, sizeof(msg)), -1);
	ck_assert_ptr_nonnull(strstr(msg, "not a platform identity file"));
	unlink(path);
	rmdir(dir);
}
END_TEST

/* Owner, root and the group get in; others only through the read-only socket. */
START_TEST(peer_access_policy)
{
	struct server_peer_policy pol = { 1000, true, 50 };
	struct server_peer owner = { 1, 1000, 1000, false }, root = { 1, 0, 0, false };
	struct server_peer member = { 1, 1001, 100, true }, other = { 1, 1002, 100, false };

	ck_assert_int_eq(server_peer_access(&pol, &owner, false), SERVER_ACCESS_FULL);
	ck_assert_int_eq(server_peer_access(&pol, &root, false), SERVER_ACCESS_FULL);
	ck_assert_int_eq(server_peer_access(&pol, &member, false), SERVER_ACCESS_FULL);
	ck_assert_int_eq(server_peer_access(&pol, &other, false), SERVER_ACCESS_NONE);
	ck_assert_int_eq(server_peer_access(&pol, &other, true), SERVER_ACCESS_READ);
	ck_assert_int_eq(server_peer_access(&pol, &owner, true), SERVER_ACCESS_READ);
}
END_TEST

START_TEST(qemu_command_line)
{
	static const char *const want[] = {
		"/usr/bin/qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3",
		"-cpu", "max,sve=off", "-smp", "2", "-m", "1024", "-object",
		"memory-backend-file,id=ram,size=1024M,mem-path=/dev/shm/x.ram,share=on",
		"-machine", "memory-backend=ram", "-display", "none", "-monitor", "none",
		"-nodefaults", "-chardev", "socket,id=ser0,path=/s/serial.sock,server=on,wait=on",
		"-serial", "chardev:ser0", "-no-reboot", "-kernel", "/h/cachet-hv.elf", NULL,
	};
	struct platform_cfg c = { .state_dir = "/s", .qemu = "/usr/bin/qemu-system-aarch64",
				  .hypervisor = "/h/cachet-hv.elf", .cpu_model = "max,sve=off",
				  .cpus = 2, .memory_mb = 1024 };
	char **argv = platform_qemu_argv(&c, "/dev/shm/x.ram", "/s/serial.sock");
	size_t i;

	ck_assert_ptr_nonnull(argv);
	for (i = 0; want[i]; i++) {
		ck_assert_ptr_nonnull(argv[i]);
		ck_assert_str_eq(argv[i], want[i]);
	}
	ck_assert_ptr_null(argv[i]);
	platform_argv_free(argv);
}
END_TEST

/* ---- statistics names */

START_TEST(stats_names_cover_the_struct)
{
	static const char *const first_last[] = { "exits", "counter_hz" };

	ck_assert_uint_eq(stats_field_count(), 29);
	ck_assert_str_eq(stats_field_name(0), first_last[0]);
	ck_assert_str_eq(stats_field_name(stats_field_count() - 1), first_last[1]);
	ck_assert_ptr_null(stats_field_name(stats_field_count()));
}
END_TEST

START_TEST(stats_values_follow_their_fields)
{
	struct cachet_domain_stats_out st;
	struct json_object *o, *v;

	memset(&st, 0, sizeof(st));
	st.nr_vcpus = 1;
	st.vcpu[0].tvm_traps = 6;
	st.vcpu[0].flushed_pages = UINT64_C(1) << 40;
	st.vcpu[0].hcr_tvm = 1;
	o = stats_to_json(&st);
	v = json_object_array_get_idx(json_object_object_get(o, "vcpus"), 0);
	ck_assert_int_eq(json_object_get_int64(json_object_object_get(v, "tvm_traps")), 6);
	ck_assert_int_eq(json_object_get_int64(json_object_object_get(v, "flushed_pages")),
			 INT64_C(1) << 40);
	ck_assert_int_eq(json_object_get_int64(json_object_object_get(v, "hcr_tvm")), 1);
	ck_assert_int_eq(json_object_get_int64(json_object_object_get(v, "hcr_dc")), 0);
	json_object_put(o);
	/* A hypervisor claiming more vCPUs than the ABI carries is capped. */
	st.nr_vcpus = 1000;
	o = stats_to_json(&st);
	ck_assert_uint_eq(json_object_array_length(json_object_object_get(o, "vcpus")),
			  CACHET_STATS_VCPUS);
	json_object_put(o);
}
END_TEST

/* ---- UTF-8 */

START_TEST(utf8_sequences)
{
	ck_assert_uint_eq(rpc_utf8_seq((const unsigned char *)"a", 1), 1);
	ck_assert_uint_eq(rpc_utf8_seq((const unsigned char *)"\xc3\xa9", 2), 2);
	ck_assert_uint_eq(rpc_utf8_seq((const unsigned char *)"\xe2\x82\xac", 3), 3);
	ck_assert_uint_eq(rpc_utf8_seq((const unsigned char *)"\xf0\x9f\x98\x80", 4), 4);
	ck_assert_uint_eq(rpc_utf8_seq((const unsigned char *)"\xc3", 1), 0);      /* cut short */
	ck_assert_uint_eq(rpc_utf8_seq((const unsigned char *)"\xc0\x80", 2), 0);  /* overlong */
	ck_assert_uint_eq(rpc_utf8_seq((const unsigned char *)"\xe0\x80\x80", 3), 0);
	ck_assert_uint_eq(rpc_utf8_seq((const unsigned char *)"\xed\xa0\x80", 3), 0); /* surrogate */
	ck_assert_uint_eq(rpc_utf8_seq((const unsigned char *)"\xf4\x90\x80\x80", 4), 0);
	ck_assert_uint_eq(rpc_utf8_seq((const unsigned char *)"\x80", 1), 0);
}
END_TEST

static Suite *misc_suite(void)
{
	Suite *s = suite_create("daemon_misc");
	TCase *tc = tcase_create("misc");

	tcase_add_test(tc, lbuf_splits_lines);
	tcase_add_test(tc, lbuf_caps_the_pending_line);
	tcase_add_test(tc, conbuf_reads_by_position);
	tcase_add_test(tc, conbuf_keeps_the_tail);
	tcase_add_test(tc, conbuf_wraps_many_times);
	tcase_add_test(tc, conbuf_reset_moves_the_origin);
	tcase_add_test(tc, options_defaults);
	tcase_add_test(tc, options_cpu_model_and_unsafe_policies);
	tcase_add_test(tc, options_all);
	tcase_add_test(tc, options_errors);
	tcase_add_test(tc, state_dir_lookup_order);
	tcase_add_test(tc, qemu_and_hypervisor_lookup_order);
	tcase_add_test(tc, ram_file_is_private_and_unpredictable);
	tcase_add_test(tc, qemu_command_line);
	tcase_add_test(tc, platform_identity_roundtrip);
	tcase_add_test(tc, peer_access_policy);
	tcase_add_test(tc, stats_names_cover_the_struct);
	tcase_add_test(tc, stats_values_follow_their_fields);
	tcase_add_test(tc, utf8_sequences);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(misc_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
