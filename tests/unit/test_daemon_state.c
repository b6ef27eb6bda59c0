/*
 * cachetd's state on disk (daemon/state.c) and its recovery at start
 * (monitor_recover): a saved domain reads back identical, damaged files
 * are refused, console logs resume at their size, and only domains the
 * hypervisor still has are recovered; a create records its tag before the
 * domain exists, and recovery destroys what an interrupted create left.
 */
#include "test_daemon_util.h"

#include "errmap.h"

#include <fcntl.h>
#include <sys/stat.h>

static struct dom_entry *make_entry(const char *name, cachet_domid_t domid)
{
	struct dom_config cfg;
	struct dom_entry *e;

	config_init(&cfg);
	snprintf(cfg.name, sizeof(cfg.name), "%s", name);
	cfg.kernel = strdup("/boot/Image");
	cfg.ramdisk = strdup("/boot/initrd.img");
	cfg.extra = strdup("console=hvc0 \"quoted\" \\ back");
	cfg.memory_mb = 256;
	cfg.vcpus = 3;
	cfg.cache_policy = CACHET_CACHE_FLUSH_LOAD;
	cfg.on_crash = CONFIG_ACT_PRESERVE;
	e = domtab_entry_new(&cfg, domid);
	ck_assert_ptr_nonnull(e);
	return e;
}

static char *path_of(const char *name)
{
	char *p = state_path(tu_dir, "domains", name, ".json");

	ck_assert_ptr_nonnull(p);
	return p;
}

START_TEST(save_load_round_trip)
{
	struct dom_entry *e = make_entry("web", 17), *back;
	char msg[256], *path = path_of("web");

	e->hv_con_pos = 12345;
	ck_assert_int_eq(state_save(tu_dir, e, msg, sizeof(msg)), 0);
	ck_assert_int_eq(state_load(path, &back, msg, sizeof(msg)), 0);
	ck_assert_str_eq(back->cfg.name, "web");
	ck_assert_uint_eq(back->domid, 17);
	ck_assert_uint_eq(back->hv_con_pos, 12345);
	ck_assert_str_eq(back->cfg.kernel, "/boot/Image");
	ck_assert_str_eq(back->cfg.ramdisk, "/boot/initrd.img");
	ck_assert_str_eq(back->cfg.extra, e->cfg.extra);
	ck_assert_ptr_null(back->cfg.root);
	ck_assert_uint_eq(back->cfg.memory_mb, 256);
	ck_assert_uint_eq(back->cfg.vcpus, 3);
	ck_assert_int_eq(back->cfg.cache_policy, CACHET_CACHE_FLUSH_LOAD);
	ck_assert_int_eq(back->cfg.on_poweroff, CONFIG_ACT_DESTROY);
	ck_assert_int_eq(back->cfg.on_reboot, CONFIG_ACT_RESTART);
	ck_assert_int_eq(back->cfg.on_crash, CONFIG_ACT_PRESERVE);
	ck_assert(back->alive);
	domtab_entry_free(back);
	domtab_entry_free(e);
	free(path);
}
END_TEST

START_TEST(save_leaves_no_temporary)
{
	struct dom_entry *e = make_entry("db", 2);
	char msg[256], *tmp = state_path(tu_dir, "domains", "db", ".json.tmp");

	ck_assert_int_eq(state_save(tu_dir, e, msg, sizeof(msg)), 0);
	ck_assert_int_eq(state_save(tu_dir, e, msg, sizeof(msg)), 0); /* overwrite */
	ck_assert(!tu_exists(tmp));
	free(tmp);
	domtab_entry_free(e);
}
END_TEST

static void expect_load_fails(const char *text, const char *what)
{
	char msg[256], *path = path_of("bad");
	struct dom_entry *e = (struct dom_entry *)1;

	tu_write_file(path, text);
	ck_assert_int_eq(state_load(path, &e, msg, sizeof(msg)), -1);
	ck_assert_ptr_null(e);
	ck_assert_msg(strstr(msg, what) != NULL, "'%s' lacks '%s'", msg, what);
	free(path);
}

START_TEST(damaged_files_are_refused)
{
	expect_load_fails("{\"version\":1,", "not valid JSON");
	expect_load_fails("[]", "not a version 1 domain state object");
	expect_load_fails("{\"version\":2,\"domid\":1,\"console_pos\":0,"
			  "\"config\":{\"name\":\"bad\",\"kernel\":\"/k\"}}", "not a version 1");
	expect_load_fails("{\"version\":1,\"domid\":-1,\"console_pos\":0,"
			  "\"config\":{\"name\":\"bad\",\"kernel\":\"/k\"}}", "not a version 1");
	expect_load_fails("{\"version\":1,\"domid\":1,\"console_pos\":0,\"owner\":\"x\","
			  "\"config\":{\"name\":\"bad\",\"kernel\":\"/k\"}}", "not a version 1");
	expect_load_fails("{\"version\":1,\"domid\":1,\"console_pos\":0,"
			  "\"config\":{\"name\":\"bad\",\"kernel\":\"k\"}}", "kernel: must be an absolute path");
}
END_TEST

START_TEST(oversized_file_is_refused)
{
	char *big = malloc(STATE_FILE_MAX + 2);

	ck_assert_ptr_nonnull(big);
	memset(big, ' ', STATE_FILE_MAX + 1);
	big[STATE_FILE_MAX + 1] = '\0';
	expect_load_fails(big, "at most 65536 bytes");
	free(big);
}
END_TEST

static int scan_count;
static char scan_names[8][64];

static int count_file(void *ctx, const char *path, const char *name)
{
	(void)ctx;
	ck_assert_ptr_nonnull(strstr(path, "/domains/"));
	snprintf(scan_names[scan_count++], 64, "%s", name);
	return 0;
}

START_TEST(scan_sees_only_state_files)
{
	char *a = path_of("alpha"), *b = state_path(tu_dir, "domains", "bad name", ".json");
	char *c = state_path(tu_dir, "domains", "beta", ".json.tmp");

	tu_write_file(a, "{}");
	tu_write_file(b, "{}");
	tu_write_file(c, "{}");
	scan_count = 0;
	ck_assert_int_eq(state_scan(tu_dir, count_file, NULL), 0);
	ck_assert_int_eq(scan_count, 1);
	ck_assert_str_eq(scan_names[0], "alpha");
	free(a);
	free(b);
	free(c);
}
END_TEST

START_TEST(remove_is_idempotent)
{
	struct dom_entry *e = make_entry("gone", 3);
	char msg[256], *path = path_of("gone");

	ck_assert_int_eq(state_save(tu_dir, e, msg, sizeof(msg)), 0);
	ck_assert_int_eq(state_remove(tu_dir, "gone"), 0);
	ck_assert(!tu_exists(path));
	ck_assert_int_eq(state_remove(tu_dir, "gone"), 0);
	free(path);
	domtab_entry_free(e);
}
END_TEST

START_TEST(console_log_resumes_at_its_size)
{
	struct dom_entry *e = make_entry("con", 4);
	char *log = state_path(tu_dir, "console", "con", ".log");
	char buf[64];
	uint64_t next, lost;
	size_t n;

	tu_write_file(log, "hello, world\n");
	ck_assert_int_eq(state_console_open(tu_dir, e, 0), 0);
	ck_assert_uint_eq(e->con.end, 13);
	n = conbuf_read(&e->con, 0, buf, sizeof(buf), &next, &lost);
	ck_assert_uint_eq(n, 13);
	ck_assert_int_eq(memcmp(buf, "hello, world\n", 13), 0);
	ck_assert_uint_eq(next, 13);
	ck_assert_uint_eq(lost, 0);
	domtab_entry_free(e);

	/* A new domain of the same name starts a new log. */
	e = make_entry("con", 5);
	ck_assert_int_eq(state_console_open(tu_dir, e, 1), 0);
	ck_assert_uint_eq(e->con.end, 0);
	domtab_entry_free(e);
	free(log);
}
END_TEST

/* However much a guest prints, its console takes at most two logs of the cap on disk. */
START_TEST(console_log_is_rotated_at_its_cap)
{
	struct dom_entry *e = make_entry("chatty", 4), *back;
	char *log = state_path(tu_dir, "console", "chatty", ".log");
	char *old = state_path(tu_dir, "console", "chatty", ".log.1");
	char *state = path_of("chatty"), msg[256];
	size_t chunk = 3u * 1024 * 1024;
	char *buf = malloc(chunk);
	struct stat st;

	memset(buf, 'x', chunk);
	ck_assert_int_eq(state_console_open(tu_dir, e, 1), 0);
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(state_console_write(tu_dir, e, buf, chunk), 0);
	ck_assert_int_eq(stat(log, &st), 0);
	ck_assert_uint_lt((uint64_t)st.st_size, STATE_CONSOLE_LOG_MAX);
	ck_assert_int_eq(stat(old, &st), 0);
	ck_assert_uint_le((uint64_t)st.st_size, STATE_CONSOLE_LOG_MAX + chunk);
	ck_assert_uint_eq(e->con_log_base + e->con_log_len, 10 * (uint64_t)chunk);
	/* A restarted daemon's positions continue where they were. */
	ck_assert_int_eq(state_load(state, &back, msg, sizeof(msg)), 0);
	ck_assert_int_eq(state_console_open(tu_dir, back, 0), 0);
	ck_assert_uint_eq(back->con.end, 10 * (uint64_t)chunk);
	domtab_entry_free(back);
	domtab_entry_free(e);
	free(buf);
	free(log);
	free(old);
	free(state);
}
END_TEST

START_TEST(recovery_keeps_only_live_domains)
{
	struct dom_entry *live = make_entry("live", 0), *dead = make_entry("dead", 99);
	char msg[256], *dead_path = path_of("dead"), *junk = path_of("junk");
	cachet_domid_t domid;
	cachet_dom *b = cachet_dom_new(tu_h);

	/* One real domain in the fake hypervisor; its state file names it. */
	cachet_dom_set_vcpus(b, 1);
	ck_assert_int_eq(cachet_dom_build(b, &domid), 0);
	cachet_dom_free(b);
	live->domid = domid;
	live->hv_con_pos = 5;
	fake_console_put(domid, "0123456789", 10);
	ck_assert_int_eq(state_save(tu_dir, live, msg, sizeof(msg)), 0);
	ck_assert_int_eq(state_save(tu_dir, dead, msg, sizeof(msg)), 0);
	tu_write_file(junk, "garbage");

	monitor_recover(&tu_d);
	ck_assert_uint_eq(tu_d.doms.n, 1);
	ck_assert_str_eq(tu_d.doms.v[0]->cfg.name, "live");
	ck_assert_uint_eq(tu_d.doms.v[0]->domid, domid);
	ck_assert(!tu_exists(dead_path));
	/* Console reading resumes where the previous daemon stopped. */
	monitor_tick(&tu_d, 0);
	ck_assert_uint_eq(tu_d.doms.v[0]->con.end, 5);
	ck_assert(!tu_d.doms.v[0]->stopped);
	domtab_entry_free(live);
	domtab_entry_free(dead);
	free(dead_path);
	free(junk);
}
END_TEST

/* A domain found shut down was kept so by the previous daemon: it is not acted on again. */
START_TEST(recovery_keeps_stopped_domains_stopped)
{
	struct dom_entry *kept = make_entry("kept", 0);
	cachet_dom *b = cachet_dom_new(tu_h);
	cachet_domid_t domid;
	char msg[256];

	cachet_dom_set_vcpus(b, 1);
	ck_assert_int_eq(cachet_dom_build(b, &domid), 0);
	cachet_dom_free(b);
	kept->domid = domid;
	kept->cfg.on_poweroff = CONFIG_ACT_DESTROY;
	ck_assert_int_eq(state_save(tu_dir, kept, msg, sizeof(msg)), 0);
	/* The previous daemon saw this event and preserved the domain. */
	fake_event(domid, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_POWEROFF, "");
	monitor_recover(&tu_d);
	ck_assert_uint_eq(tu_d.doms.n, 1);
	ck_assert(tu_d.doms.v[0]->stopped);
	monitor_tick(&tu_d, 0);
	ck_assert_ptr_nonnull(fake_find(domid));
	ck_assert(tu_d.doms.v[0]->alive);
	domtab_entry_free(kept);
}
END_TEST

/* A domain in the fake hypervisor made with @tag, as a create of cachetd (or libxc, tag 0) would. */
static cachet_domid_t fake_domain(uint32_t tag)
{
	cachet_dom *b = cachet_dom_new(tu_h);
	cachet_domid_t domid;

	cachet_dom_set_vcpus(b, 1);
	cachet_dom_set_tag(b, tag);
	ck_assert_int_eq(cachet_dom_build(b, &domid), 0);
	cachet_dom_free(b);
	return domid;
}

/* @e's record, for a new domain made with @tag; its id. */
static cachet_domid_t save_tagged(struct dom_entry *e, uint32_t tag)
{
	char msg[256];

	e->tag = tag;
	e->domid = fake_domain(tag);
	ck_assert_int_eq(state_save(tu_dir, e, msg, sizeof(msg)), 0);
	return e->domid;
}

/* The record a create writes before its DOMAIN_CREATE (create.c). */
static void save_pending(const char *name, uint32_t tag)
{
	struct dom_config cfg;
	char msg[256];

	config_init(&cfg);
	snprintf(cfg.name, sizeof(cfg.name), "%s", name);
	cfg.kernel = strdup("/boot/Image");
	ck_assert_int_eq(state_save_building(tu_dir, &cfg, tag, msg, sizeof(msg)), 0);
	config_free(&cfg);
}

static struct json_object *pending_record;

static void keep_pending_record(void)
{
	if (!pending_record)
		pending_record = tu_state_file("web");
}

/* The window a kill -9 could hit between create and record is covered before the create. */
START_TEST(create_records_its_tag_before_the_domain_exists)
{
	char kernel[160];
	struct json_object *final, *v;
	cachet_domid_t domid;
	int64_t tag;

	tu_image(kernel, sizeof(kernel), "Image");
	fake.before_build = keep_pending_record;
	domid = tu_create("web", kernel, "", false);
	ck_assert_ptr_nonnull(pending_record);
	ck_assert(json_object_get_boolean(tu_get(pending_record, "building")));
	ck_assert(!json_object_object_get_ex(pending_record, "domid", NULL));
	tag = json_object_get_int64(tu_get(pending_record, "tag"));
	ck_assert_int_ne(tag, 0);
	/* The hypervisor reports the recorded tag, and the final record keeps it. */
	ck_assert_uint_eq(fake_find(domid)->info.tag, (uint32_t)tag);
	final = tu_state_file("web");
	ck_assert(!json_object_object_get_ex(final, "building", NULL));
	ck_assert_int_eq(json_object_get_int64(tu_get(final, "domid")), domid);
	ck_assert_int_eq(json_object_get_int64(tu_get(final, "tag")), tag);
	/* Every create draws its own tag. */
	ck_assert_int_ne(tu_create("db", kernel, "", false), domid);
	v = tu_state_file("db");
	ck_assert_int_ne(json_object_get_int64(tu_get(v, "tag")), tag);
	json_object_put(v);
	json_object_put(final);
	json_object_put(pending_record);
	pending_record = NULL;
}
END_TEST

/* A create that fails before its domain exists leaves no record behind. */
START_TEST(failed_create_leaves_no_record)
{
	char kernel[160], params[512], *p = path_of("web");

	tu_image(kernel, sizeof(kernel), "Image");
	snprintf(params, sizeof(params), "{\"config\":{\"name\":\"web\",\"kernel\":\"%s\"}}",
		 kernel);
	fake_fail("cachet_dom_build", -CACHET_ENOMEM, "no memory");
	tu_method_err("create", params, errmap_code(CACHET_ENOMEM), "no memory");
	ck_assert(!tu_exists(p));
	free(p);
}
END_TEST

/*
 * The previous daemon died after DOMAIN_CREATE and before anything else:
 * the domain carrying the pending record's tag is destroyed; a finished
 * domain and a domain of another client (libxc: no tag) are left alone.
 */
START_TEST(recovery_destroys_what_an_unfinished_create_left)
{
	struct dom_entry *kept = make_entry("kept", 0);
	cachet_domid_t orphan = fake_domain(0x1234), other = fake_domain(0), mine;
	char *pending = path_of("web");

	mine = save_tagged(kept, 0x99);
	save_pending("web", 0x1234);

	monitor_recover(&tu_d);
	ck_assert_ptr_null(fake_find(orphan));
	ck_assert(!tu_exists(pending));
	ck_assert_ptr_nonnull(fake_find(other));
	ck_assert_ptr_nonnull(fake_find(mine));
	ck_assert_uint_eq(tu_d.doms.n, 1);
	ck_assert_str_eq(tu_d.doms.v[0]->cfg.name, "kept");
	ck_assert_uint_eq(tu_d.doms.v[0]->tag, 0x99);
	domtab_entry_free(kept);
	free(pending);
}
END_TEST

/* An unfinished create's tag never takes a domain another record owns (records in any order). */
START_TEST(recovery_of_unfinished_create_spares_owned_domains)
{
	struct dom_entry *kept = make_entry("a-kept", 0);

	save_tagged(kept, 0x77);
	save_pending("b-web", 0x77);

	monitor_recover(&tu_d);
	ck_assert_ptr_nonnull(fake_find(kept->domid));
	ck_assert_uint_eq(tu_d.doms.n, 1);
	domtab_entry_free(kept);
}
END_TEST

/* A record whose domain id now names a domain with another tag is stale, and that domain is not adopted. */
START_TEST(record_of_another_tag_is_stale)
{
	struct dom_entry *e = make_entry("web", 0);
	char msg[256], *p = path_of("web");

	e->domid = fake_domain(0);
	e->tag = 0x55;
	ck_assert_int_eq(state_save(tu_dir, e, msg, sizeof(msg)), 0);
	monitor_recover(&tu_d);
	ck_assert_uint_eq(tu_d.doms.n, 0);
	ck_assert(!tu_exists(p));
	ck_assert_ptr_nonnull(fake_find(e->domid));
	domtab_entry_free(e);
	free(p);
}
END_TEST

static Suite *state_suite(void)
{
	Suite *s = suite_create("daemon_state");
	TCase *tc = tcase_create("state");

	tcase_add_checked_fixture(tc, tu_setup, tu_teardown);
	tcase_add_test(tc, save_load_round_trip);
	tcase_add_test(tc, save_leaves_no_temporary);
	tcase_add_test(tc, damaged_files_are_refused);
	tcase_add_test(tc, oversized_file_is_refused);
	tcase_add_test(tc, scan_sees_only_state_files);
	tcase_add_test(tc, remove_is_idempotent);
	tcase_add_test(tc, console_log_resumes_at_its_size);
	tcase_add_test(tc, console_log_is_rotated_at_its_cap);
	tcase_add_test(tc, recovery_keeps_only_live_domains);
	tcase_add_test(tc, recovery_keeps_stopped_domains_stopped);
	tcase_add_test(tc, create_records_its_tag_before_the_domain_exists);
	tcase_add_test(tc, failed_create_leaves_no_record);
	tcase_add_test(tc, recovery_destroys_what_an_unfinished_create_left);
	tcase_add_test(tc, recovery_of_unfinished_create_spares_owned_domains);
	tcase_add_test(tc, record_of_another_tag_is_stale);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(state_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
