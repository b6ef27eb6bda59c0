/*
 * cachetd's methods and background work over the fake library: create
 * (builder calls, duplicate names, failures leaving nothing behind), list,
 * destroy, pause, the console copy, dmesg, cache statistics, and the
 * on_poweroff / on_reboot / on_crash actions taken on hypervisor events
 * (restarts are in test_daemon_lifecycle.c).
 */
#include "test_daemon_util.h"

#include <sys/socket.h>

#include "methods.h"

static char kernel[128];

static void setup(void)
{
	tu_setup();
	snprintf(kernel, sizeof(kernel), "%s/Image", tu_dir);
	tu_write_file(kernel, "kernel bytes");
}

/* Creates a domain; returns its id. */
static cachet_domid_t create(const char *name, const char *extra_cfg, bool paused)
{
	char line[1024];
	struct json_object *res;
	cachet_domid_t domid;

	snprintf(line, sizeof(line),
		 "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"create\",\"params\":{\"config\":"
		 "{\"name\":\"%s\",\"kernel\":\"%s\"%s},\"paused\":%s}}",
		 name, kernel, extra_cfg, paused ? "true" : "false");
	res = tu_result(line);
	ck_assert_str_eq(json_object_get_string(tu_get(res, "name")), name);
	domid = (cachet_domid_t)json_object_get_int64(tu_get(res, "domid"));
	json_object_put(res);
	return domid;
}

static void call_ok(const char *method, const char *params)
{
	char line[512];
	struct json_object *res;

	snprintf(line, sizeof(line), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\",\"params\":%s}",
		 method, params);
	res = tu_result(line);
	json_object_put(res);
}

static void call_err(const char *method, const char *params, int code, const char *what)
{
	char line[512];

	snprintf(line, sizeof(line), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\",\"params\":%s}",
		 method, params);
	tu_expect_error(line, code, what);
}

static struct json_object *call(const char *method, const char *params)
{
	char line[512];

	snprintf(line, sizeof(line), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\",\"params\":%s}",
		 method, params);
	return tu_result(line);
}

static bool state_file_exists(const char *name)
{
	char *p = state_path(tu_dir, "domains", name, ".json");
	bool r = tu_exists(p);

	free(p);
	return r;
}

/*
 * channel_open hands out the RAM file only to a privileged peer of the
 * connection being served, and only when there is a RAM file to pass.
 */
START_TEST(channel_open_needs_a_privileged_peer_and_a_ram_file)
{
	int sv[2];

	tu_d.peer_fd = -1;
	call_err("channel_open", "{}", -32000 - CACHET_EPERM, "only root or the daemon's own user");
	ck_assert_uint_eq(tu_d.granted_id, 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	tu_d.peer_fd = sv[0]; /* our own uid: privileged, but the fake has no RAM file */
	call_err("channel_open", "{}", -32000 - CACHET_LIB_ENOTREADY, "no RAM file to pass");
	ck_assert_uint_eq(tu_d.granted_id, 0);
	tu_d.peer_fd = -1;
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* The dtb method plans a build from a configuration and creates nothing. */
START_TEST(dtb_plans_without_creating)
{
	char params[512];
	struct json_object *r, *l;

	snprintf(params, sizeof(params), "{\"config\":{\"name\":\"d\",\"kernel\":\"%s\"}}",
		 kernel);
	r = call("dtb", params);
	ck_assert_str_eq(json_object_get_string(tu_get(r, "dtb")), "d00dfeed");
	ck_assert_int_eq(json_object_get_int64(tu_get(r, "size")), 4);
	json_object_put(r);
	l = call("list", "{}");
	ck_assert_uint_eq(json_object_array_length(tu_get(l, "domains")), 0);
	json_object_put(l);
	call_err("dtb", "{\"config\":{\"name\":\"d\"}}", RPC_INVALID_PARAMS, "kernel");
}
END_TEST

START_TEST(info_reports_the_hypervisor)
{
	struct json_object *r = call("info", "{}");

	ck_assert_str_eq(json_object_get_string(tu_get(r, "abi_version")), "1.5");
	ck_assert_str_eq(json_object_get_string(tu_get(r, "hv_version")), "fake-0.1");
	ck_assert_int_eq(json_object_get_int(tu_get(r, "nr_cpus")), 4);
	ck_assert_int_eq(json_object_get_int64(tu_get(r, "total_memory_kb")), 3072 * 1024);
	ck_assert_int_eq(json_object_get_int64(tu_get(r, "free_memory_kb")), 2048 * 1024);
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(tu_get(r, "features"), 0)),
			 "aarch32");
	json_object_put(r);
}
END_TEST

START_TEST(info_maps_library_errors)
{
	fake_fail("cachet_physinfo", -CACHET_LIB_ETIMEDOUT, "no answer in 5000 ms");
	call_err("info", "{}", -33002, "info: no answer in 5000 ms");
}
END_TEST

START_TEST(create_runs_the_builder)
{
	char *log = state_path(tu_dir, "console", "web", ".log");
	cachet_domid_t id = create("web", ",\"memory\":256,\"vcpus\":2,\"root\":\"/dev/vda\","
				   "\"extra\":\"console=hvc0\",\"cache_policy\":\"s2-fault\"", false);

	ck_assert_str_eq(fake.last_cmdline, "root=/dev/vda console=hvc0");
	ck_assert(fake.last_cmdline_set);
	ck_assert_uint_eq(fake.last_memory_mb, 256);
	ck_assert_uint_eq(fake.last_vcpus, 2);
	ck_assert_int_eq(fake.last_policy, CACHET_CACHE_S2_FAULT);
	ck_assert(!fake.last_ramdisk);
	ck_assert_int_eq(fake_find(id)->info.state, CACHET_DOM_RUNNING);
	ck_assert(state_file_exists("web"));
	ck_assert(tu_exists(log));
	free(log);
}
END_TEST

START_TEST(create_passes_ramdisk_and_device_tree)
{
	char ramdisk[160], dtb[160], extra[512];

	tu_image(ramdisk, sizeof(ramdisk), "initrd");
	tu_image(dtb, sizeof(dtb), "guest.dtb");
	snprintf(extra, sizeof(extra), ",\"ramdisk\":\"%s\",\"device_tree\":\"%s\"", ramdisk, dtb);
	create("web", extra, false);
	ck_assert(fake.last_ramdisk);
	ck_assert_str_eq(fake.last_device_tree, dtb);
	/* No command line configured: the device tree's own bootargs are left alone. */
	ck_assert(!fake.last_cmdline_set);
	call_err("create", "{\"config\":{\"name\":\"a\",\"kernel\":\"/dev/null\","
		 "\"device_tree\":\"/nonexistent.dtb\"}}", -33001, "device_tree: cannot open");
	ck_assert_uint_eq(tu_d.doms.n, 1);
}
END_TEST

/* As xl: cmdline wins, and the daemon's log says root and extra were ignored. */
START_TEST(create_prefers_cmdline_and_logs_it)
{
	char path[128], buf[4096] = "";
	FILE *f;

	create("web", ",\"cmdline\":\"console=ttyAMA0\",\"root\":\"/dev/vda\",\"extra\":\"quiet\"",
	       false);
	ck_assert_str_eq(fake.last_cmdline, "console=ttyAMA0");
	snprintf(path, sizeof(path), "%s/cachetd.log", tu_dir);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_gt(fread(buf, 1, sizeof(buf) - 1, f), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "create: web: ignoring root and extra in favour of cmdline"));
}
END_TEST

START_TEST(create_paused_does_not_boot)
{
	cachet_domid_t id = create("p", "", true);

	ck_assert_int_eq(fake_find(id)->info.state, CACHET_DOM_PAUSED);
	call_ok("unpause", "{\"domain\":\"p\"}");
	ck_assert_int_eq(fake_find(id)->info.state, CACHET_DOM_RUNNING);
}
END_TEST

START_TEST(create_refuses_duplicate_names)
{
	char line[512];

	create("web", "", false);
	snprintf(line, sizeof(line), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"create\",\"params\":"
		 "{\"config\":{\"name\":\"web\",\"kernel\":\"%s\"}}}", kernel);
	tu_expect_error(line, -32017, "a domain named 'web' already exists");
	ck_assert_uint_eq(fake.next_domid, 2); /* nothing was built */
}
END_TEST

START_TEST(create_reports_image_errors)
{
	call_err("create", "{\"config\":{\"name\":\"a\",\"kernel\":\"/nonexistent/Image\"}}", -33001,
		 "kernel: cannot open");
	fake_fail("cachet_dom_build", -CACHET_ENOMEM, "");
	call_err("create", "{\"config\":{\"name\":\"a\",\"kernel\":\"/dev/null\"}}", -32012,
		 "build: not enough free memory in the hypervisor");
	ck_assert_uint_eq(tu_d.doms.n, 0);
	ck_assert(!state_file_exists("a"));
}
END_TEST

START_TEST(failed_boot_leaves_nothing_behind)
{
	fake_fail("cachet_dom_boot", -CACHET_EBUSY, "vCPU 0 busy");
	call_err("create", "{\"config\":{\"name\":\"b\",\"kernel\":\"/dev/null\"}}", -32016,
		 "boot: vCPU 0 busy");
	ck_assert_uint_eq(fake.destroys, 1);
	ck_assert_ptr_null(fake_find(1));
	ck_assert_uint_eq(tu_d.doms.n, 0);
}
END_TEST

START_TEST(list_shows_every_domain)
{
	struct json_object *r, *doms, *d0, *d1;
	cachet_dom *b = cachet_dom_new(tu_h);
	cachet_domid_t other;

	create("web", ",\"memory\":64,\"vcpus\":2", false);
	/* A domain someone else built has no name the daemon knows. */
	cachet_dom_set_vcpus(b, 1);
	ck_assert_int_eq(cachet_dom_build(b, &other), 0);
	cachet_dom_free(b);
	r = call("list", "{}");
	doms = tu_get(r, "domains");
	ck_assert_uint_eq(json_object_array_length(doms), 2);
	d0 = json_object_array_get_idx(doms, 0);
	d1 = json_object_array_get_idx(doms, 1);
	ck_assert_str_eq(json_object_get_string(tu_get(d0, "name")), "web");
	ck_assert_str_eq(json_object_get_string(tu_get(d0, "state")), "running");
	ck_assert_int_eq(json_object_get_int(tu_get(d0, "vcpus")), 2);
	ck_assert_int_eq(json_object_get_int64(tu_get(d0, "memory_kb")), 64 * 1024);
	ck_assert_str_eq(json_object_get_string(tu_get(d0, "cache_policy")), "dc-tvm");
	ck_assert(json_object_object_get_ex(d0, "cpu_time_ns", NULL));
	ck_assert_str_eq(json_object_get_string(tu_get(d1, "name")), "(domid 2)");
	ck_assert_str_eq(json_object_get_string(tu_get(d1, "state")), "paused");
	/* Only the daemon's own domains have a stored configuration. */
	ck_assert(json_object_object_get_ex(d0, "config", NULL));
	ck_assert(!json_object_object_get_ex(d1, "config", NULL));
	json_object_put(r);
}
END_TEST

/* list's "config" is the stored configuration, defaults spelled out (for list -l). */
START_TEST(list_carries_the_stored_config)
{
	struct json_object *r, *cfg;

	create("web", ",\"memory\":64,\"vcpus\":2,\"maxvcpus\":3,\"cpus\":[\"1\",\"2-3\"],"
	       "\"extra\":\"quiet\",\"on_reboot\":\"rename-restart\"", false);
	r = call("list", "{}");
	cfg = tu_get(json_object_array_get_idx(tu_get(r, "domains"), 0), "config");
	ck_assert_str_eq(json_object_get_string(tu_get(cfg, "name")), "web");
	ck_assert_str_eq(json_object_get_string(tu_get(cfg, "kernel")), kernel);
	ck_assert_int_eq(json_object_get_int(tu_get(cfg, "memory")), 64);
	ck_assert_int_eq(json_object_get_int(tu_get(cfg, "maxmem")), 64);
	ck_assert_int_eq(json_object_get_int(tu_get(cfg, "vcpus")), 2);
	ck_assert_int_eq(json_object_get_int(tu_get(cfg, "maxvcpus")), 3);
	ck_assert_str_eq(json_object_to_json_string_ext(tu_get(cfg, "cpus"), JSON_C_TO_STRING_PLAIN),
			 "[\"1\",\"2-3\"]");
	ck_assert_str_eq(json_object_get_string(tu_get(cfg, "extra")), "quiet");
	ck_assert_str_eq(json_object_get_string(tu_get(cfg, "on_poweroff")), "destroy");
	ck_assert_str_eq(json_object_get_string(tu_get(cfg, "on_reboot")), "rename-restart");
	ck_assert_str_eq(json_object_get_string(tu_get(cfg, "cache_policy")), "dc-tvm");
	json_object_put(r);
}
END_TEST

START_TEST(destroy_by_name_keeps_the_console)
{
	cachet_domid_t id = create("web", "", false);
	struct json_object *r;

	fake_console_put(id, "last words\n", 11);
	call_ok("destroy", "{\"domain\":\"web\"}");
	ck_assert_ptr_null(fake_find(id));
	ck_assert(!state_file_exists("web"));
	r = call("console_read", "{\"domain\":\"web\",\"pos\":0}");
	ck_assert_str_eq(json_object_get_string(tu_get(r, "data")), "last words\n");
	ck_assert(!json_object_get_boolean(tu_get(r, "alive")));
	json_object_put(r);
	call_err("destroy", "{\"domain\":\"web\"}", -32002, "no domain named 'web'");
}
END_TEST

START_TEST(destroy_by_id)
{
	cachet_domid_t id = create("web", "", false);
	char params[64];

	snprintf(params, sizeof(params), "{\"domain\":%u}", id);
	call_ok("destroy", params);
	ck_assert(!tu_d.doms.v[0]->alive);
	call_err("destroy", "{\"domain\":77}", -32002, "destroy: ");
}
END_TEST

START_TEST(pause_errors_come_from_the_library)
{
	create("web", "", false);
	call_ok("pause", "{\"domain\":\"web\"}");
	call_err("pause", "{\"domain\":\"web\"}", -32001, "pause: domain 1 is not running");
	call_err("pause", "{\"domain\":\"nope\"}", -32002, "no domain named 'nope'");
}
END_TEST

START_TEST(console_read_serves_positions)
{
	cachet_domid_t id = create("web", "", false);
	struct json_object *r;

	fake_console_put(id, "Booting\nOK\n", 11);
	r = call("console_read", "{\"domain\":\"web\",\"pos\":0}");
	ck_assert_str_eq(json_object_get_string(tu_get(r, "data")), "Booting\nOK\n");
	ck_assert_int_eq(json_object_get_int64(tu_get(r, "next")), 11);
	ck_assert_int_eq(json_object_get_int64(tu_get(r, "lost")), 0);
	ck_assert(json_object_get_boolean(tu_get(r, "alive")));
	json_object_put(r);
	r = call("console_read", "{\"domain\":\"web\",\"pos\":8}");
	ck_assert_str_eq(json_object_get_string(tu_get(r, "data")), "OK\n");
	json_object_put(r);
	r = call("console_read", "{\"domain\":\"web\",\"pos\":500}");
	ck_assert_str_eq(json_object_get_string(tu_get(r, "data")), "");
	ck_assert_int_eq(json_object_get_int64(tu_get(r, "next")), 11);
	json_object_put(r);
}
END_TEST

START_TEST(console_output_reaches_the_log)
{
	cachet_domid_t id = create("web", "", false);
	char *log = state_path(tu_dir, "console", "web", ".log");
	char buf[32] = "";
	FILE *f;

	fake_console_put(id, "to the log\n", 11);
	monitor_tick(&tu_d, 1);
	f = fopen(log, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	fclose(f);
	ck_assert_str_eq(buf, "to the log\n");
	free(log);
}
END_TEST

/* Output the hypervisor's ring overwrote before the daemon copied it is counted for clients. */
START_TEST(console_read_counts_dropped_output)
{
	cachet_domid_t id = create("web", "", false);
	struct json_object *r;

	fake_find(id)->con_lost = 5000;
	fake_console_put(id, "after\n", 6);
	monitor_tick(&tu_d, 1);
	r = call("console_read", "{\"domain\":\"web\"}");
	ck_assert_int_eq(json_object_get_int64(tu_get(r, "dropped")), 5000);
	ck_assert_str_eq(json_object_get_string(tu_get(r, "data")), "after\n");
	json_object_put(r);
}
END_TEST

START_TEST(console_bytes_become_valid_utf8)
{
	cachet_domid_t id = create("web", "", false);
	struct json_object *r;

	fake_console_put(id, "a\xff" "b\xc3\xa9\x01", 6);
	r = call("console_read", "{\"domain\":\"web\",\"pos\":0}");
	ck_assert_str_eq(json_object_get_string(tu_get(r, "data")), "a\xef\xbf\xbd" "b\xc3\xa9\x01");
	/* Positions count the guest's bytes, not the replacement's. */
	ck_assert_int_eq(json_object_get_int64(tu_get(r, "next")), 6);
	json_object_put(r);
}
END_TEST

START_TEST(console_write_reports_accepted)
{
	cachet_domid_t id = create("web", "", false);
	struct json_object *r;

	r = call("console_write", "{\"domain\":\"web\",\"data\":\"ls\\r\"}");
	ck_assert_int_eq(json_object_get_int(tu_get(r, "accepted")), 3);
	ck_assert_int_eq(memcmp(fake_find(id)->input, "ls\r", 3), 0);
	json_object_put(r);
	fake.input_room = 2;
	r = call("console_write", "{\"domain\":\"web\",\"data\":\"abcdef\"}");
	ck_assert_int_eq(json_object_get_int(tu_get(r, "accepted")), 2);
	json_object_put(r);
}
END_TEST

START_TEST(console_write_splits_long_data)
{
	static const char head[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"console_write\","
				   "\"params\":{\"domain\":\"web\",\"data\":\"";
	cachet_domid_t id = create("web", "", false);
	size_t hl = strlen(head);
	char *line = malloc(hl + 3000 + 4);
	struct json_object *r;

	/* 3000 bytes: three pieces of at most CACHET_CONSOLE_WRITE_MAX. */
	ck_assert_ptr_nonnull(line);
	memcpy(line, head, hl);
	memset(line + hl, 'z', 3000);
	strcpy(line + hl + 3000, "\"}}");
	r = tu_result(line);
	ck_assert_int_eq(json_object_get_int(tu_get(r, "accepted")), 3000);
	ck_assert_uint_eq(fake_find(id)->input_len, 3000);
	json_object_put(r);
	free(line);
}
END_TEST

START_TEST(dmesg_reads_the_hypervisor_log)
{
	struct json_object *r;

	strcpy(fake.log, "cachet: hello\ncachet: ready\n");
	fake.log_len = strlen(fake.log);
	r = call("dmesg", "{\"pos\":0}");
	ck_assert_str_eq(json_object_get_string(tu_get(r, "data")), fake.log);
	ck_assert_int_eq(json_object_get_int64(tu_get(r, "next")), (int64_t)fake.log_len);
	json_object_put(r);
	r = call("dmesg", "{\"pos\":14}");
	ck_assert_str_eq(json_object_get_string(tu_get(r, "data")), "cachet: ready\n");
	json_object_put(r);
}
END_TEST

START_TEST(cache_stats_use_struct_names)
{
	struct json_object *r, *v, *v0;

	create("web", ",\"vcpus\":3", false);
	r = call("cache_stats", "{\"domain\":\"web\"}");
	v = tu_get(r, "vcpus");
	ck_assert_uint_eq(json_object_array_length(v), 3);
	v0 = json_object_array_get_idx(v, 0);
	ck_assert_int_eq(json_object_object_length(v0), (int)stats_field_count());
	ck_assert_int_eq(json_object_get_int64(tu_get(v0, "exits")), 42);
	ck_assert_int_eq(json_object_get_int64(tu_get(v0, "hcr_dc")), 1);
	ck_assert_int_eq(json_object_get_int64(tu_get(v0, "traps_after_mmu_on")), 0);
	ck_assert_str_eq(json_object_get_string(tu_get(r, "cache_policy")), "dc-tvm");
	json_object_put(r);
}
END_TEST

START_TEST(poweroff_destroys_by_default)
{
	cachet_domid_t id = create("web", "", false);

	fake_console_put(id, "Power down\n", 11);
	fake_event(id, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_POWEROFF, "");
	monitor_tick(&tu_d, 1);
	ck_assert_ptr_null(fake_find(id));
	ck_assert(!tu_d.doms.v[0]->alive);
	ck_assert(!state_file_exists("web"));
	/* The console was drained before the domain went. */
	ck_assert_uint_eq(tu_d.doms.v[0]->con.end, 11);
}
END_TEST

START_TEST(poweroff_preserve_keeps_the_domain)
{
	cachet_domid_t id = create("web", ",\"on_poweroff\":\"preserve\"", false);

	fake_event(id, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_POWEROFF, "");
	monitor_tick(&tu_d, 1);
	ck_assert_ptr_nonnull(fake_find(id));
	ck_assert(tu_d.doms.v[0]->alive);
}
END_TEST


START_TEST(crash_follows_on_crash)
{
	cachet_domid_t a = create("a", "", false);
	cachet_domid_t b = create("b", ",\"on_crash\":\"preserve\"", false);

	fake_event(a, CACHET_EVENT_CRASH, 0, "data abort at 0x0");
	fake_event(b, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_CRASH, "undefined instruction");
	monitor_tick(&tu_d, 1);
	ck_assert_ptr_null(fake_find(a));
	ck_assert_ptr_nonnull(fake_find(b));
	ck_assert_int_eq(fake_find(b)->info.state, CACHET_DOM_SHUTDOWN);
}
END_TEST

START_TEST(vanished_domains_are_noticed)
{
	cachet_domid_t id = create("web", "", false);

	fake_vanish(id);
	tu_d.next_liveness_ms = 0;
	monitor_tick(&tu_d, 5000);
	ck_assert(!tu_d.doms.v[0]->alive);
	ck_assert(!state_file_exists("web"));
}
END_TEST

START_TEST(name_is_reusable_after_death)
{
	cachet_domid_t first = create("web", "", false), second;
	struct json_object *r;

	fake_console_put(first, "old\n", 4);
	call_ok("destroy", "{\"domain\":\"web\"}");
	second = create("web", "", false);
	ck_assert_uint_ne(first, second);
	ck_assert_uint_eq(tu_d.doms.n, 1);
	r = call("console_read", "{\"domain\":\"web\",\"pos\":0}");
	ck_assert_str_eq(json_object_get_string(tu_get(r, "data")), "");
	ck_assert(json_object_get_boolean(tu_get(r, "alive")));
	json_object_put(r);
}
END_TEST

static Suite *methods_suite(void)
{
	Suite *s = suite_create("daemon_methods");
	TCase *tc = tcase_create("methods");
	TCase *te = tcase_create("events");

	tcase_add_checked_fixture(tc, setup, tu_teardown);
	tcase_add_test(tc, info_reports_the_hypervisor);
	tcase_add_test(tc, info_maps_library_errors);
	tcase_add_test(tc, create_runs_the_builder);
	tcase_add_test(tc, create_passes_ramdisk_and_device_tree);
	tcase_add_test(tc, create_prefers_cmdline_and_logs_it);
	tcase_add_test(tc, create_paused_does_not_boot);
	tcase_add_test(tc, create_refuses_duplicate_names);
	tcase_add_test(tc, create_reports_image_errors);
	tcase_add_test(tc, failed_boot_leaves_nothing_behind);
	tcase_add_test(tc, list_shows_every_domain);
	tcase_add_test(tc, list_carries_the_stored_config);
	tcase_add_test(tc, destroy_by_name_keeps_the_console);
	tcase_add_test(tc, destroy_by_id);
	tcase_add_test(tc, pause_errors_come_from_the_library);
	tcase_add_test(tc, console_read_serves_positions);
	tcase_add_test(tc, console_output_reaches_the_log);
	tcase_add_test(tc, console_bytes_become_valid_utf8);
	tcase_add_test(tc, console_read_counts_dropped_output);
	tcase_add_test(tc, console_write_reports_accepted);
	tcase_add_test(tc, console_write_splits_long_data);
	tcase_add_test(tc, dmesg_reads_the_hypervisor_log);
	tcase_add_test(tc, cache_stats_use_struct_names);
	tcase_add_test(tc, name_is_reusable_after_death);
	tcase_add_test(tc, channel_open_needs_a_privileged_peer_and_a_ram_file);
	tcase_add_test(tc, dtb_plans_without_creating);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(te, setup, tu_teardown);
	tcase_add_test(te, poweroff_destroys_by_default);
	tcase_add_test(te, poweroff_preserve_keeps_the_domain);
	tcase_add_test(te, crash_follows_on_crash);
	tcase_add_test(te, vanished_domains_are_noticed);
	suite_add_tcase(s, te);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(methods_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
