/*
 * cachetd's domain lifecycle over the fake library: shutdown and reboot
 * requests, shutdown's wait (answered later, in order on its connection),
 * and the on_poweroff / on_reboot / on_crash actions: restart (destroy,
 * build again from the stored configuration under the same name, boot,
 * console continuing), rename-restart, preserve, and their failures; the
 * lifecycle events each step announces.
 */
#include <time.h>

#include "test_daemon_util.h"

#include "methods.h"
#include "server.h"

static char kernel[160];

static void setup(void)
{
	tu_setup();
	tu_image(kernel, sizeof(kernel), "Image");
}

static struct dom_entry *entry(const char *name)
{
	struct dom_entry *e = domtab_find_name(&tu_d.doms, name);

	ck_assert_msg(e != NULL, "no entry '%s'", name);
	return e;
}

/* The guest answers a request: the hypervisor reports it and the daemon's tick acts. */
static void guest_stops(cachet_domid_t domid, uint32_t kind, uint32_t reason, uint64_t now)
{
	fake_event(domid, kind, reason, "");
	monitor_tick(&tu_d, now);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_lt(fread(buf, 1, 65535, f), 65535);
	fclose(f);
	return buf;
}

static char *daemon_log(void)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/cachetd.log", tu_dir);
	return read_file(path);
}

static void expect_console(const char *name, uint64_t pos, const char *data, uint64_t next,
			   bool alive)
{
	char params[128];
	struct json_object *r;

	snprintf(params, sizeof(params), "{\"domain\":\"%s\",\"pos\":%llu}", name,
		 (unsigned long long)pos);
	r = tu_method("console_read", params);
	ck_assert_str_eq(json_object_get_string(tu_get(r, "data")), data);
	ck_assert_int_eq(json_object_get_int64(tu_get(r, "next")), (int64_t)next);
	ck_assert_int_eq(json_object_get_boolean(tu_get(r, "alive")), alive);
	json_object_put(r);
}

/* ---- shutdown and reboot requests */

START_TEST(shutdown_asks_the_guest_to_power_off)
{
	cachet_domid_t id = tu_create("web", kernel, "", false);

	tu_method_ok("shutdown", "{\"domain\":\"web\"}");
	ck_assert_uint_eq(fake.shutdown_requests, 1);
	ck_assert_uint_eq(fake.last_shutdown_domid, id);
	ck_assert_uint_eq(fake.last_shutdown_reason, CACHET_SHUTDOWN_POWEROFF);
	/* Asking is all: the guest decides, and until then it runs. */
	ck_assert_ptr_nonnull(fake_find(id));
	ck_assert(entry("web")->alive);
}
END_TEST

START_TEST(reboot_asks_the_guest_to_reboot)
{
	cachet_domid_t id = tu_create("web", kernel, "", false);
	char params[64];

	snprintf(params, sizeof(params), "{\"domain\":%u}", id);
	tu_method_ok("reboot", params);
	ck_assert_uint_eq(fake.shutdown_requests, 1);
	ck_assert_uint_eq(fake.last_shutdown_domid, id);
	ck_assert_uint_eq(fake.last_shutdown_reason, CACHET_SHUTDOWN_REBOOT);
}
END_TEST

START_TEST(shutdown_and_reboot_errors)
{
	tu_create("web", kernel, "", false);
	tu_method_err("shutdown", "{\"domain\":\"nope\"}", -32002, "no domain named 'nope'");
	tu_method_err("reboot", "{\"domain\":77}", -32002, "reboot: no such domain or vCPU");
	tu_method_err("shutdown", "{}", -32602, "shutdown: missing parameter 'domain'");
	tu_method_err("shutdown", "{\"domain\":\"web\",\"wait\":1}", -32602,
		      "wait: must be true or false");
	tu_method_err("reboot", "{\"domain\":\"web\",\"wait\":true}", -32602,
		      "reboot: unknown parameter \"wait\"");
	fake_fail("cachet_domain_shutdown_request", -CACHET_LIB_ETIMEDOUT, "no answer in 5000 ms");
	tu_method_err("shutdown", "{\"domain\":\"web\"}", -33002, "shutdown: no answer in 5000 ms");
	ck_assert_uint_eq(fake.shutdown_requests, 0);
}
END_TEST

/* ---- shutdown's wait */

static struct rpc_deferred *call_waiting(const char *line)
{
	struct rpc_deferred *w = NULL;
	size_t len = 0;
	char *rsp = rpc_handle_line(&methods_table, &tu_d, line, strlen(line), &len, &w);

	ck_assert_msg(rsp == NULL, "answered at once: %s", rsp ? rsp : "");
	ck_assert_ptr_nonnull(w);
	return w;
}

/* Polls a waiting request: NULL while it waits, else its parsed response. */
static struct json_object *poll_waiting(struct rpc_deferred **w)
{
	struct json_object *o;
	size_t len = 0;
	char *rsp = NULL;

	if (!rpc_deferred_poll(*w, &tu_d, &rsp, &len))
		return NULL;
	*w = NULL;
	ck_assert_ptr_nonnull(rsp);
	ck_assert_uint_eq(strlen(rsp), len);
	o = json_tokener_parse(rsp);
	free(rsp);
	ck_assert_ptr_nonnull(o);
	return o;
}

static void expect_empty_result(struct json_object *rsp, int id)
{
	ck_assert_ptr_nonnull(rsp);
	ck_assert_int_eq(json_object_get_int(tu_get(rsp, "id")), id);
	ck_assert_int_eq(json_object_object_length(tu_get(rsp, "result")), 0);
	json_object_put(rsp);
}

START_TEST(shutdown_wait_answers_once_the_domain_is_gone)
{
	cachet_domid_t id = tu_create("web", kernel, "", false);
	struct rpc_deferred *w = call_waiting(
		"{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"shutdown\",\"params\":"
		"{\"domain\":\"web\",\"wait\":true}}");

	ck_assert_uint_eq(fake.shutdown_requests, 1);
	monitor_tick(&tu_d, 1);
	ck_assert_ptr_null(poll_waiting(&w));
	/* Powered off but not yet dealt with by the daemon: still waiting. */
	fake_event(id, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_POWEROFF, "");
	ck_assert_ptr_null(poll_waiting(&w));
	monitor_tick(&tu_d, 2);
	ck_assert_ptr_null(fake_find(id));
	expect_empty_result(poll_waiting(&w), 9);
}
END_TEST

START_TEST(shutdown_wait_ends_when_the_domain_is_preserved)
{
	cachet_domid_t id = tu_create("web", kernel, ",\"on_poweroff\":\"preserve\"", false);
	struct rpc_deferred *w = call_waiting(
		"{\"jsonrpc\":\"2.0\",\"id\":\"s\",\"method\":\"shutdown\",\"params\":"
		"{\"domain\":\"web\",\"wait\":true}}");
	struct json_object *rsp;

	guest_stops(id, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_POWEROFF, 1);
	ck_assert_ptr_nonnull(fake_find(id));
	rsp = poll_waiting(&w);
	ck_assert_ptr_nonnull(rsp);
	ck_assert_str_eq(json_object_get_string(tu_get(rsp, "id")), "s");
	json_object_put(rsp);
}
END_TEST

START_TEST(shutdown_wait_ends_when_the_domain_restarts)
{
	cachet_domid_t id = tu_create("web", kernel, ",\"on_poweroff\":\"restart\"", false);
	struct rpc_deferred *w = call_waiting(
		"{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"shutdown\",\"params\":"
		"{\"domain\":\"web\",\"wait\":true}}");

	guest_stops(id, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_POWEROFF, 1);
	ck_assert_uint_ne(entry("web")->domid, id);
	expect_empty_result(poll_waiting(&w), 3);
}
END_TEST

/* A domain the daemon did not create: the hypervisor's state says when it stopped. */
START_TEST(shutdown_wait_on_a_foreign_domain)
{
	cachet_dom *b = cachet_dom_new(tu_h);
	struct rpc_deferred *w;
	cachet_domid_t other;
	char line[256];

	cachet_dom_set_vcpus(b, 1);
	ck_assert_int_eq(cachet_dom_build(b, &other), 0);
	ck_assert_int_eq(cachet_dom_boot(b), 0);
	cachet_dom_free(b);
	snprintf(line, sizeof(line), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"shutdown\","
		 "\"params\":{\"domain\":%u,\"wait\":true}}", other);
	w = call_waiting(line);
	ck_assert_ptr_null(poll_waiting(&w));
	fake_event(other, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_POWEROFF, "");
	expect_empty_result(poll_waiting(&w), 1);
	/* The daemon takes no action on it. */
	monitor_tick(&tu_d, 1);
	ck_assert_ptr_nonnull(fake_find(other));
}
END_TEST

START_TEST(shutdown_wait_needs_a_caller_that_can_wait)
{
	tu_create("web", kernel, "", false);
	tu_method_err("shutdown", "{\"domain\":\"web\",\"wait\":true}", -32600,
		      "shutdown: a request that waits cannot be part of a batch");
	ck_assert_uint_eq(fake.shutdown_requests, 0);
	/* wait: false is an ordinary request. */
	tu_method_ok("shutdown", "{\"domain\":\"web\",\"wait\":false}");
	ck_assert_uint_eq(fake.shutdown_requests, 1);
}
END_TEST

/* On a connection, the requests after a waiting one are answered after it, in order. */
START_TEST(waiting_request_holds_back_the_next_ones)
{
	static const char two[] =
		"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"shutdown\",\"params\":{\"domain\":\"web\","
		"\"wait\":true}}\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"list\"}\n";
	cachet_domid_t id = tu_create("web", kernel, "", false);
	struct server_conn c;
	struct json_object *r;
	const char *second;

	memset(&c, 0, sizeof(c));
	c.fd = -1;
	lbuf_init(&c.in, RPC_LINE_MAX);
	ck_assert_int_eq(lbuf_append(&c.in, two, strlen(two)), 0);
	server_conn_process(&c, &tu_d);
	ck_assert_ptr_nonnull(c.waiting);
	ck_assert_uint_eq(c.out_len, 0);
	server_conn_resume(&c, &tu_d);
	ck_assert_uint_eq(c.out_len, 0);
	guest_stops(id, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_POWEROFF, 1);
	server_conn_resume(&c, &tu_d);
	ck_assert_ptr_null(c.waiting);
	r = json_tokener_parse(c.out);
	ck_assert_int_eq(json_object_get_int(tu_get(r, "id")), 1);
	json_object_put(r);
	second = memchr(c.out, '\n', c.out_len);
	ck_assert_ptr_nonnull(second);
	r = json_tokener_parse(second + 1);
	ck_assert_int_eq(json_object_get_int(tu_get(r, "id")), 2);
	ck_assert(json_object_object_get_ex(r, "result", NULL));
	json_object_put(r);
	lbuf_free(&c.in);
	free(c.out);
}
END_TEST

/* ---- restart */

START_TEST(reboot_restarts_from_the_same_config)
{
	cachet_domid_t id = tu_create("web", kernel, ",\"memory\":256,\"vcpus\":2,\"cpus\":\"1-2\","
				      "\"cmdline\":\"console=ttyAMA0\",\"cache_policy\":\"s2-fault\"",
				      false);
	struct json_object *st, *r;
	char trace[FAKE_TRACE], want[FAKE_TRACE + 256];
	struct dom_entry *e;
	cachet_domid_t now;
	char *log;

	fake.last_memory_mb = 0;
	fake.last_cmdline[0] = '\0';
	snprintf(trace, sizeof(trace), "%s", fake.trace);
	fake_console_put(id, "first boot\n", 11);
	guest_stops(id, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_REBOOT, 1);
	/* Destroyed, then built, pinned and booted again, in that order. */
	e = entry("web");
	now = e->domid;
	ck_assert_uint_ne(now, id);
	ck_assert_ptr_null(fake_find(id));
	snprintf(want, sizeof(want), "%s,destroy %u,build %u,pin %u.0=0x6,pin %u.1=0x6,boot %u",
		 trace, id, now, now, now, now);
	ck_assert_str_eq(fake.trace, want);
	ck_assert_int_eq(fake_find(now)->info.state, CACHET_DOM_RUNNING);
	ck_assert_uint_eq(fake.last_memory_mb, 256);
	ck_assert_uint_eq(fake.last_vcpus, 2);
	ck_assert_str_eq(fake.last_cmdline, "console=ttyAMA0");
	ck_assert_int_eq(fake.last_policy, CACHET_CACHE_S2_FAULT);
	ck_assert(e->alive);
	ck_assert_uint_eq(tu_d.doms.n, 1);
	/* The state file names the new domain. */
	st = tu_state_file("web");
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(json_object_get_int64(tu_get(st, "domid")), now);
	json_object_put(st);
	/* list shows the name with the new id. */
	r = tu_method("list", "{}");
	ck_assert_int_eq(json_object_get_int64(tu_get(json_object_array_get_idx(
				 tu_get(r, "domains"), 0), "domid")), now);
	json_object_put(r);
	/* The restart is told in the daemon's log, not in the guest's console. */
	log = daemon_log();
	ck_assert_ptr_nonnull(strstr(log, "restarted as domain"));
	free(log);
	expect_console("web", 0, "first boot\n", 11, true);
}
END_TEST

START_TEST(console_continues_across_a_restart)
{
	cachet_domid_t id = tu_create("web", kernel, "", false), now;
	char *path = state_path(tu_dir, "console", "web", ".log"), *text;

	fake_console_put(id, "first boot\n", 11);
	monitor_tick(&tu_d, 1);
	expect_console("web", 0, "first boot\n", 11, true);
	fake_console_put(id, "reboot: Restarting system\n", 26);
	guest_stops(id, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_REBOOT, 2);
	now = entry("web")->domid;
	fake_console_put(now, "second boot\n", 12);
	monitor_tick(&tu_d, 3);
	/* A reader at 11 gets the old domain's last words, then the new one's output. */
	expect_console("web", 11, "reboot: Restarting system\nsecond boot\n", 49, true);
	expect_console("web", 0, "first boot\nreboot: Restarting system\nsecond boot\n", 49, true);
	expect_console("web", 49, "", 49, true);
	text = read_file(path);
	ck_assert_str_eq(text, "first boot\nreboot: Restarting system\nsecond boot\n");
	free(text);
	free(path);
}
END_TEST

/* Consoles with nothing new are not asked: an idle platform stays idle. */
START_TEST(console_poll_skips_quiet_domains)
{
	cachet_domid_t id = tu_create("web", kernel, "", false);
	unsigned int reads;

	tu_create("db", kernel, "", false);
	fake_console_put(id, "hello\n", 6);
	monitor_tick(&tu_d, 1);
	reads = fake.console_reads;
	monitor_tick(&tu_d, 2);
	ck_assert_uint_eq(fake.console_reads, reads);
	fake_console_put(id, "more\n", 5);
	monitor_tick(&tu_d, 3);
	ck_assert_uint_eq(fake.console_reads, reads + 1);
	expect_console("web", 0, "hello\nmore\n", 11, true);
	/* The second's liveness check reads no quiet console by itself. */
	reads = fake.console_reads;
	monitor_tick(&tu_d, 2000);
	ck_assert_uint_eq(fake.console_reads, reads);
}
END_TEST

/*
 * A domain whose id is 65536 from another's can write a console head as
 * if it were the other's (cachet/public/mbox.h): both consoles are read
 * once a second, once the liveness check has seen them both.
 */
START_TEST(console_poll_reads_shared_heads_every_second)
{
	cachet_domid_t id = tu_create("web", kernel, "", false);
	unsigned int reads;

	tu_create("db", kernel, "", false);
	fake.next_domid = id + 65536;
	ck_assert_uint_eq(tu_create("twin", kernel, "", false), id + 65536);
	monitor_tick(&tu_d, 1);
	reads = fake.console_reads;
	monitor_tick(&tu_d, 2);
	ck_assert_uint_eq(fake.console_reads, reads);
	monitor_tick(&tu_d, 2000);
	ck_assert_uint_eq(fake.console_reads, reads + 2);
}
END_TEST

/* Events are asked for only when the mailbox's event head moved. */
START_TEST(events_read_only_when_posted)
{
	cachet_domid_t id = tu_create("web", kernel, ",\"on_poweroff\":\"preserve\"", false);
	unsigned int reads;

	monitor_tick(&tu_d, 1);
	reads = fake.event_reads;
	monitor_tick(&tu_d, 2);
	ck_assert_uint_eq(fake.event_reads, reads);
	guest_stops(id, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_POWEROFF, 3);
	ck_assert_uint_eq(fake.event_reads, reads + 1);
	ck_assert(entry("web")->stopped);
	monitor_tick(&tu_d, 4);
	ck_assert_uint_eq(fake.event_reads, reads + 1);
}
END_TEST

/* Between the guest's stop and the daemon's restart, a console reader is told to stay. */
START_TEST(console_stays_alive_until_the_restart)
{
	cachet_domid_t web = tu_create("web", kernel, "", false);
	cachet_domid_t db = tu_create("db", kernel, ",\"on_crash\":\"rename-restart\"", false);
	cachet_domid_t tmp = tu_create("tmp", kernel, "", false);

	fake_event(web, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_REBOOT, "");
	fake_event(db, CACHET_EVENT_CRASH, CACHET_SHUTDOWN_CRASH, "");
	fake_event(tmp, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_POWEROFF, "");
	expect_console("web", 0, "", 0, true);
	expect_console("db", 0, "", 0, true);
	/* on_poweroff is destroy: that domain will print nothing more. */
	expect_console("tmp", 0, "", 0, false);
	monitor_tick(&tu_d, 1);
	expect_console("web", 0, "", 0, true);
	expect_console("tmp", 0, "", 0, false);
}
END_TEST

START_TEST(restart_follows_each_action)
{
	cachet_domid_t a = tu_create("a", kernel, ",\"on_poweroff\":\"restart\"", false);
	cachet_domid_t b = tu_create("b", kernel, ",\"on_crash\":\"restart\"", false);
	cachet_domid_t c = tu_create("c", kernel, ",\"on_crash\":\"restart\"", false);
	cachet_domid_t d = tu_create("d", kernel, ",\"on_reboot\":\"destroy\"", false);

	fake_event(a, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_POWEROFF, "");
	fake_event(b, CACHET_EVENT_CRASH, CACHET_SHUTDOWN_CRASH, "data abort");
	fake_event(c, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_CRASH, "");
	fake_event(d, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_REBOOT, "");
	monitor_tick(&tu_d, 1);
	ck_assert(entry("a")->alive);
	ck_assert_uint_ne(entry("a")->domid, a);
	ck_assert(entry("b")->alive);
	ck_assert_uint_ne(entry("b")->domid, b);
	ck_assert(entry("c")->alive);
	ck_assert_uint_ne(entry("c")->domid, c);
	ck_assert(!entry("d")->alive);
	ck_assert_ptr_null(fake_find(d));
}
END_TEST

/* create's -p is for the first boot only, as in xl. */
START_TEST(a_domain_created_paused_restarts_running)
{
	cachet_domid_t id = tu_create("p", kernel, "", true);

	guest_stops(id, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_REBOOT, 1);
	ck_assert_int_eq(fake_find(entry("p")->domid)->info.state, CACHET_DOM_RUNNING);
}
END_TEST

START_TEST(failed_restart_leaves_the_domain_dead)
{
	cachet_domid_t id = tu_create("web", kernel, "", false);
	char *log;

	fake_console_put(id, "bye\n", 4);
	fake_fail("cachet_dom_build", -CACHET_ENOMEM, "");
	guest_stops(id, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_REBOOT, 1);
	ck_assert_ptr_null(fake_find(id));
	ck_assert(!entry("web")->alive);
	ck_assert_ptr_null(tu_state_file("web"));
	expect_console("web", 0, "bye\n", 4, false);
	log = daemon_log();
	ck_assert_ptr_nonnull(strstr(log, "domain 'web': restart failed: build: not enough free memory"));
	free(log);
	/* The name is free again. */
	tu_create("web", kernel, "", false);
}
END_TEST

/* A domain that stops again and again is restarted at most RESTART_BURST times a window. */
START_TEST(restarts_are_rate_limited)
{
	cachet_domid_t id = tu_create("loop", kernel, ",\"on_crash\":\"restart\"", false);
	uint64_t t = 1000;

	for (int i = 0; i < RESTART_BURST; i++) {
		guest_stops(id, CACHET_EVENT_CRASH, CACHET_SHUTDOWN_CRASH, t += 100);
		ck_assert_msg(entry("loop")->alive, "not restarted the %d-th time", i + 1);
		ck_assert_uint_ne(entry("loop")->domid, id);
		id = entry("loop")->domid;
	}
	guest_stops(id, CACHET_EVENT_CRASH, CACHET_SHUTDOWN_CRASH, t += 100);
	ck_assert(!entry("loop")->alive);
	ck_assert_ptr_null(fake_find(id));
}
END_TEST

START_TEST(restarts_spread_out_go_on)
{
	cachet_domid_t id = tu_create("slow", kernel, "", false);
	uint64_t t = 1000;

	for (int i = 0; i < RESTART_BURST + 5; i++) {
		guest_stops(id, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_REBOOT,
			    t += RESTART_WINDOW_MS / 2 + 1);
		ck_assert(entry("slow")->alive);
		id = entry("slow")->domid;
	}
}
END_TEST

/* ---- rename-restart and preserve */

START_TEST(rename_restart_keeps_the_old_domain)
{
	cachet_domid_t id = tu_create("web", kernel, ",\"on_reboot\":\"rename-restart\"", false);
	struct dom_entry *kept = NULL;
	struct json_object *st;

	fake_console_put(id, "old\n", 4);
	guest_stops(id, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_REBOOT, 1);
	ck_assert_uint_eq(tu_d.doms.n, 2);
	/* The same event again leaves the kept domain alone. */
	tu_d.event_seq = 0;
	monitor_tick(&tu_d, 2);
	ck_assert_uint_eq(tu_d.doms.n, 2);
	for (size_t i = 0; i < tu_d.doms.n; i++) {
		if (tu_d.doms.v[i]->domid == id)
			kept = tu_d.doms.v[i];
	}
	ck_assert_ptr_nonnull(kept);
	/* NAME-YYYYMMDDTHHMMZ, as xl names it. */
	ck_assert_uint_eq(strlen(kept->cfg.name), strlen("web-20250101T1200Z"));
	ck_assert_int_eq(strncmp(kept->cfg.name, "web-2", 5), 0);
	ck_assert_int_eq(kept->cfg.name[12], 'T');
	ck_assert_int_eq(kept->cfg.name[17], 'Z');
	ck_assert(kept->alive && kept->stopped);
	ck_assert_int_eq(kept->cfg.on_reboot, CONFIG_ACT_PRESERVE);
	ck_assert_ptr_nonnull(fake_find(id));
	ck_assert_int_eq(fake_find(id)->info.state, CACHET_DOM_SHUTDOWN);
	/* The name goes on with a new domain, and keeps its console. */
	ck_assert_uint_ne(entry("web")->domid, id);
	ck_assert_int_eq(fake_find(entry("web")->domid)->info.state, CACHET_DOM_RUNNING);
	expect_console("web", 0, "old\n", 4, true);
	st = tu_state_file(kept->cfg.name);
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(json_object_get_int64(tu_get(st, "domid")), id);
	/* The kept record carries the tag of the domain it names, the new domain a tag of its own. */
	ck_assert_uint_ne(fake_find(id)->info.tag, 0);
	ck_assert_int_eq(json_object_get_int64(tu_get(st, "tag")), fake_find(id)->info.tag);
	ck_assert_uint_ne(entry("web")->tag, fake_find(id)->info.tag);
	ck_assert_uint_eq(entry("web")->tag, fake_find(entry("web")->domid)->info.tag);
	json_object_put(st);
	/* The kept domain is destroyed like any other. */
	{
		char params[96];

		snprintf(params, sizeof(params), "{\"domain\":\"%s\"}", kept->cfg.name);
		tu_method_ok("destroy", params);
	}
	ck_assert_ptr_null(fake_find(id));
	ck_assert(entry("web")->alive);
}
END_TEST

/* Long names are cut so that the new one is still a valid name. */
START_TEST(rename_restart_fits_long_names)
{
	static const char name[] = "a123456789b123456789c123456789d123456789e123456789f123456789xyz";
	cachet_domid_t id = tu_create(name, kernel, ",\"on_poweroff\":\"rename-restart\"", false);

	guest_stops(id, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_POWEROFF, 1);
	ck_assert_uint_eq(tu_d.doms.n, 2);
	for (size_t i = 0; i < tu_d.doms.n; i++) {
		ck_assert_uint_le(strlen(tu_d.doms.v[i]->cfg.name), 63);
		ck_assert(rpc_name_valid(tu_d.doms.v[i]->cfg.name, strlen(tu_d.doms.v[i]->cfg.name)));
	}
}
END_TEST

/* xl leaves the old domain in place when the new name is taken. */
START_TEST(rename_restart_without_a_free_name_preserves)
{
	cachet_domid_t id = tu_create("web", kernel, ",\"on_reboot\":\"rename-restart\"", false);
	char name[64];
	time_t t = time(NULL);

	/* Whichever minute the restart happens in, its name is taken. */
	for (int i = 0; i < 2; i++, t += 60) {
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(name, sizeof(name), "web-%Y%m%dT%H%MZ", &tm);
		tu_create(name, kernel, "", false);
	}
	guest_stops(id, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_REBOOT, 1);
	ck_assert_uint_eq(entry("web")->domid, id);
	ck_assert(entry("web")->alive && entry("web")->stopped);
	ck_assert_ptr_nonnull(fake_find(id));
	ck_assert_uint_eq(tu_d.doms.n, 3);
}
END_TEST

START_TEST(preserve_keeps_the_domain_stopped)
{
	cachet_domid_t id = tu_create("web", kernel, ",\"on_reboot\":\"preserve\"", false);

	guest_stops(id, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_REBOOT, 1);
	ck_assert_ptr_nonnull(fake_find(id));
	ck_assert(entry("web")->alive && entry("web")->stopped);
	ck_assert_uint_eq(entry("web")->domid, id);
	ck_assert_uint_eq(fake.destroys, 0);
	/* An event seen again (a new daemon replays the ring) changes nothing. */
	tu_d.event_seq = 0;
	monitor_tick(&tu_d, 2);
	ck_assert(entry("web")->alive && entry("web")->stopped);
	tu_method_ok("destroy", "{\"domain\":\"web\"}");
	ck_assert_ptr_null(fake_find(id));
}
END_TEST

/* ---- lifecycle events */

/* What the sink got: "event/detail@name" lines, one per event. */
static char ev_seen[4096];

static void ev_capture(void *ctx, const char *line, size_t len)
{
	struct json_object *n = json_tokener_parse(line), *p = tu_get(n, "params");
	size_t used = strlen(ev_seen);

	(void)ctx;
	ck_assert_uint_eq(line[len - 1], '\n');
	ck_assert_str_eq(json_object_get_string(tu_get(n, "method")), "event");
	ck_assert(!json_object_object_get_ex(n, "id", NULL));
	snprintf(ev_seen + used, sizeof(ev_seen) - used, "%s/%s@%s ",
		 json_object_get_string(tu_get(p, "event")),
		 json_object_get_string(tu_get(p, "detail")),
		 json_object_get_string(tu_get(p, "name")));
	json_object_put(n);
}

START_TEST(events_follow_the_lifecycle)
{
	cachet_domid_t id;

	ev_seen[0] = '\0';
	tu_d.events.sink = ev_capture;
	id = tu_create("web", kernel, ",\"on_crash\":\"destroy\"", false);
	tu_method_ok("pause", "{\"domain\":\"web\"}");
	tu_method_ok("unpause", "{\"domain\":\"web\"}");
	guest_stops(id, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_REBOOT, 1);
	id = entry("web")->domid;
	guest_stops(id, CACHET_EVENT_CRASH, 0, 2);
	ck_assert_str_eq(ev_seen, "created/@web started/booted@web paused/@web resumed/@web "
				  "shutdown/reboot@web rebooted/restart@web started/booted@web "
				  "crashed/@web destroyed/destroyed@web ");
	ck_assert_uint_eq(tu_d.events.seq, 9);
	ev_seen[0] = '\0';
	id = tu_create("db", kernel, "", true);
	guest_stops(id, CACHET_EVENT_SHUTDOWN, CACHET_SHUTDOWN_POWEROFF, 3);
	ck_assert_str_eq(ev_seen, "created/@db paused/@db shutdown/poweroff@db "
				  "destroyed/destroyed@db ");
}
END_TEST

/* A connection that subscribes is marked once its answer is queued. */
START_TEST(subscribe_marks_the_connection)
{
	static const char req[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"events_subscribe\"}\n";
	struct server_conn c;

	memset(&c, 0, sizeof(c));
	c.fd = -1;
	lbuf_init(&c.in, RPC_LINE_MAX);
	ck_assert_int_eq(lbuf_append(&c.in, req, strlen(req)), 0);
	server_conn_process(&c, &tu_d);
	ck_assert(c.subscribed);
	ck_assert(!tu_d.events.subscribe_pending);
	ck_assert_ptr_nonnull(strstr(c.out, "\"result\":{\"seq\":0}"));
	lbuf_free(&c.in);
	free(c.out);
}
END_TEST

static Suite *lifecycle_suite(void)
{
	Suite *s = suite_create("daemon_lifecycle");
	TCase *req = tcase_create("requests"), *rst = tcase_create("restart");

	tcase_add_checked_fixture(req, setup, tu_teardown);
	tcase_add_test(req, shutdown_asks_the_guest_to_power_off);
	tcase_add_test(req, reboot_asks_the_guest_to_reboot);
	tcase_add_test(req, shutdown_and_reboot_errors);
	tcase_add_test(req, shutdown_wait_answers_once_the_domain_is_gone);
	tcase_add_test(req, shutdown_wait_ends_when_the_domain_is_preserved);
	tcase_add_test(req, shutdown_wait_ends_when_the_domain_restarts);
	tcase_add_test(req, shutdown_wait_on_a_foreign_domain);
	tcase_add_test(req, shutdown_wait_needs_a_caller_that_can_wait);
	tcase_add_test(req, waiting_request_holds_back_the_next_ones);
	suite_add_tcase(s, req);

	tcase_add_checked_fixture(rst, setup, tu_teardown);
	tcase_add_test(rst, reboot_restarts_from_the_same_config);
	tcase_add_test(rst, console_continues_across_a_restart);
	tcase_add_test(rst, console_poll_skips_quiet_domains);
	tcase_add_test(rst, console_poll_reads_shared_heads_every_second);
	tcase_add_test(rst, events_read_only_when_posted);
	tcase_add_test(rst, console_stays_alive_until_the_restart);
	tcase_add_test(rst, restart_follows_each_action);
	tcase_add_test(rst, a_domain_created_paused_restarts_running);
	tcase_add_test(rst, failed_restart_leaves_the_domain_dead);
	tcase_add_test(rst, restarts_are_rate_limited);
	tcase_add_test(rst, restarts_spread_out_go_on);
	tcase_add_test(rst, rename_restart_keeps_the_old_domain);
	tcase_add_test(rst, rename_restart_fits_long_names);
	tcase_add_test(rst, rename_restart_without_a_free_name_preserves);
	tcase_add_test(rst, preserve_keeps_the_domain_stopped);
	tcase_add_test(rst, events_follow_the_lifecycle);
	tcase_add_test(rst, subscribe_marks_the_connection);
	suite_add_tcase(s, rst);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(lifecycle_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
