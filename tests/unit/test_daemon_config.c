/*
 * Domain configuration validation in cachetd (daemon/config.c): defaults
 * as xl has them, every field's type and range checked with a message that
 * names the field, unknown keys refused, the kernel command line built as
 * xl builds it, and the hard affinity "cpus" gives each vCPU.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static struct config_limits lim = { 3072, 8, 4, false };
static struct dom_config cfg;

static int parse(const char *json, struct rpc_error *err)
{
	struct json_object *o = json_tokener_parse(json);
	int rc;

	ck_assert_msg(o != NULL, "bad test JSON: %s", json);
	rc = config_parse(o, &lim, &cfg, err);
	json_object_put(o);
	return rc;
}

static void expect_ok(const char *json)
{
	struct rpc_error err = { 0, "" };

	ck_assert_msg(parse(json, &err) == 0, "%s: %s", json, err.message);
}

static void expect_bad(const char *json, const char *what)
{
	struct rpc_error err = { 0, "" };

	ck_assert_msg(parse(json, &err) < 0, "%s was accepted", json);
	ck_assert_int_eq(err.code, RPC_INVALID_PARAMS);
	ck_assert_msg(strstr(err.message, what) != NULL, "%s: '%s' lacks '%s'", json, err.message,
		      what);
	/* A failed parse owns nothing. */
	ck_assert_ptr_null(cfg.kernel);
}

static void teardown(void)
{
	config_free(&cfg);
}

#define K "\"kernel\":\"/boot/Image\""

START_TEST(minimal_config_gets_xl_defaults)
{
	expect_ok("{\"name\":\"web\"," K "}");
	ck_assert_str_eq(cfg.name, "web");
	ck_assert_str_eq(cfg.kernel, "/boot/Image");
	ck_assert_ptr_null(cfg.ramdisk);
	ck_assert_uint_eq(cfg.memory_mb, 128);
	ck_assert_uint_eq(cfg.vcpus, 1);
	ck_assert_int_eq(cfg.cache_policy, CACHET_CACHE_DC_TVM);
	ck_assert_int_eq(cfg.on_poweroff, CONFIG_ACT_DESTROY);
	ck_assert_int_eq(cfg.on_reboot, CONFIG_ACT_RESTART);
	ck_assert_int_eq(cfg.on_crash, CONFIG_ACT_DESTROY);
	ck_assert_uint_eq(config_max_mb(&cfg), 128);
	ck_assert_uint_eq(config_max_vcpus(&cfg), 1);
	ck_assert_ptr_null(cfg.cpus);
	ck_assert_ptr_null(cfg.device_tree);
}
END_TEST

START_TEST(every_field_is_taken)
{
	expect_ok("{\"name\":\"a.b-c_1\"," K ",\"ramdisk\":\"/boot/initrd\",\"memory\":3072,"
		  "\"vcpus\":8,\"extra\":\"console=hvc0\",\"root\":\"/dev/vda\","
		  "\"cache_policy\":\"s2fwb\",\"on_poweroff\":\"preserve\","
		  "\"on_reboot\":\"destroy\",\"on_crash\":\"preserve\","
		  "\"device_tree\":\"/boot/guest.dtb\",\"maxmem\":3072,\"maxvcpus\":8,"
		  "\"cpus\":\"0-3,^1\"}");
	ck_assert_str_eq(cfg.ramdisk, "/boot/initrd");
	ck_assert_str_eq(cfg.device_tree, "/boot/guest.dtb");
	ck_assert_uint_eq(cfg.memory_mb, 3072);
	ck_assert_uint_eq(cfg.maxmem_mb, 3072);
	ck_assert_uint_eq(cfg.vcpus, 8);
	ck_assert_uint_eq(cfg.maxvcpus, 8);
	ck_assert_str_eq(json_object_get_string(cfg.cpus), "0-3,^1");
	ck_assert_int_eq(cfg.cache_policy, CACHET_CACHE_S2FWB);
	ck_assert_int_eq(cfg.on_poweroff, CONFIG_ACT_PRESERVE);
	ck_assert_int_eq(cfg.on_reboot, CONFIG_ACT_DESTROY);
	ck_assert_int_eq(cfg.on_crash, CONFIG_ACT_PRESERVE);
}
END_TEST

START_TEST(every_policy_name_is_known)
{
	static const char *const names[] = { "dc-tvm", "s2-fault", "flush-load", "s2fwb", "none" };
	char json[128];

	lim.allow_unsafe_policies = true;
	for (int i = 0; i < 5; i++) {
		snprintf(json, sizeof(json), "{\"name\":\"a\"," K ",\"cache_policy\":\"%s\"}", names[i]);
		expect_ok(json);
		ck_assert_int_eq(cfg.cache_policy, i);
		ck_assert_str_eq(config_policy_name(cfg.cache_policy), names[i]);
		config_free(&cfg);
	}
	lim.allow_unsafe_policies = false;
}
END_TEST

START_TEST(unsafe_policies_need_the_daemon_option)
{
	expect_bad("{\"name\":\"a\"," K ",\"cache_policy\":\"flush-load\"}",
		   "cache_policy: \"flush-load\" is a negative control under which guests may read "
		   "stale memory; cachetd refuses it unless started with --allow-unsafe-policies");
	expect_bad("{\"name\":\"a\"," K ",\"cache_policy\":\"none\"}",
		   "cache_policy: \"none\" is a negative control");
	ck_assert(!config_policy_unsafe(CACHET_CACHE_S2FWB));
}
END_TEST

START_TEST(required_fields)
{
	expect_bad("{" K "}", "config: 'name' is required");
	expect_bad("{\"name\":\"a\"}", "config: 'kernel' is required");
	expect_bad("{}", "is required");
}
END_TEST

START_TEST(names_are_checked)
{
	expect_bad("{\"name\":\"\"," K "}", "name: must match [A-Za-z0-9_.-]{1,63}");
	expect_bad("{\"name\":\"a/b\"," K "}", "name: must match");
	expect_bad("{\"name\":\"caf\\u00e9\"," K "}", "name: must match");
	expect_bad("{\"name\":7," K "}", "name: must match");
	expect_bad("{\"name\":\"0123456789012345678901234567890123456789012345678901234567890123\","
		   K "}", "name: must match");
	expect_ok("{\"name\":\"012345678901234567890123456789012345678901234567890123456789012\","
		  K "}");
}
END_TEST

START_TEST(paths_must_be_absolute)
{
	expect_bad("{\"name\":\"a\",\"kernel\":\"Image\"}", "kernel: must be an absolute path");
	expect_bad("{\"name\":\"a\"," K ",\"ramdisk\":\"./initrd\"}", "ramdisk: must be an absolute path");
	expect_bad("{\"name\":\"a\",\"kernel\":[\"/x\"]}", "kernel: must be a string");
	expect_bad("{\"name\":\"a\",\"kernel\":\"/x\\ny\"}", "kernel: must not contain control");
}
END_TEST

START_TEST(memory_range)
{
	expect_bad("{\"name\":\"a\"," K ",\"memory\":15}", "memory: must be between 16 and 3072 MiB");
	expect_bad("{\"name\":\"a\"," K ",\"memory\":3073}", "memory: must be between 16 and 3072 MiB");
	/* Each wrong value is named: its type, or the value itself. */
	expect_bad("{\"name\":\"a\"," K ",\"memory\":-1}",
		   "memory: must be between 16 and 3072 MiB, not -1");
	expect_bad("{\"name\":\"a\"," K ",\"memory\":\"128\"}",
		   "memory: must be a whole number of MiB, not a string (\"128\")");
	expect_bad("{\"name\":\"a\"," K ",\"memory\":128.5}",
		   "memory: must be a whole number of MiB, not a fraction (128.5)");
	expect_bad("{\"name\":\"a\"," K ",\"memory\":null}",
		   "memory: must be a whole number of MiB, not null");
	expect_bad("{\"name\":\"a\"," K ",\"memory\":99999999999999999999}",
		   "memory: must be between 16 and 3072 MiB, not a number that large");
	expect_ok("{\"name\":\"a\"," K ",\"memory\":16}");
}
END_TEST

START_TEST(vcpus_range)
{
	expect_bad("{\"name\":\"a\"," K ",\"vcpus\":0}", "vcpus: must be between 1 and 8");
	expect_bad("{\"name\":\"a\"," K ",\"vcpus\":9}", "vcpus: must be between 1 and 8");
	expect_bad("{\"name\":\"a\"," K ",\"vcpus\":true}", "vcpus: must be a whole number, not a boolean (true)");
}
END_TEST

START_TEST(choices_are_checked)
{
	expect_bad("{\"name\":\"a\"," K ",\"cache_policy\":\"dc\"}",
		   "cache_policy: must be one of \"dc-tvm\", \"s2-fault\", \"flush-load\", \"s2fwb\", \"none\"");
	expect_bad("{\"name\":\"a\"," K ",\"on_crash\":\"reboot\"}",
		   "on_crash: must be one of \"destroy\", \"restart\", \"preserve\", "
		   "\"rename-restart\"");
	expect_bad("{\"name\":\"a\"," K ",\"on_reboot\":1}", "on_reboot: must be one of");
}
END_TEST

/* xl's actions that need core dumps or soft reset are named as unsupported, not unknown. */
START_TEST(unsupported_actions_say_so)
{
	expect_bad("{\"name\":\"a\"," K ",\"on_crash\":\"coredump-destroy\"}",
		   "on_crash: \"coredump-destroy\" is not supported by cachetd (use \"destroy\", "
		   "\"restart\", \"preserve\", \"rename-restart\")");
	expect_bad("{\"name\":\"a\"," K ",\"on_poweroff\":\"coredump-restart\"}",
		   "on_poweroff: \"coredump-restart\" is not supported by cachetd");
	expect_bad("{\"name\":\"a\"," K ",\"on_reboot\":\"soft-reset\"}",
		   "on_reboot: \"soft-reset\" is not supported by cachetd");
	expect_ok("{\"name\":\"a\"," K ",\"on_poweroff\":\"restart\",\"on_reboot\":"
		  "\"rename-restart\",\"on_crash\":\"restart\"}");
	ck_assert_int_eq(cfg.on_poweroff, CONFIG_ACT_RESTART);
	ck_assert_int_eq(cfg.on_reboot, CONFIG_ACT_RENAME_RESTART);
	ck_assert_int_eq(cfg.on_crash, CONFIG_ACT_RESTART);
	ck_assert_str_eq(config_action_name(cfg.on_reboot), "rename-restart");
}
END_TEST

/* A flat binary is an explicit choice; nothing else than auto or raw. */
START_TEST(kernel_format_is_a_choice)
{
	expect_ok("{\"name\":\"a\"," K ",\"kernel_format\":\"raw\"}");
	ck_assert_int_eq(cfg.kernel_format, CACHET_KERNEL_RAW);
	config_free(&cfg);
	expect_ok("{\"name\":\"a\"," K "}");
	ck_assert_int_eq(cfg.kernel_format, CACHET_KERNEL_AUTO);
	config_free(&cfg);
	expect_bad("{\"name\":\"a\"," K ",\"kernel_format\":\"elf\"}",
		   "kernel_format: must be one of \"auto\", \"raw\", not a string (\"elf\")");
}
END_TEST

START_TEST(unknown_keys_are_refused)
{
	/* The client keeps the xl keys that do not apply under "ignored"; bare, they are unknown. */
	expect_bad("{\"name\":\"a\"," K ",\"builder\":\"hvm\"}", "config: unknown key \"builder\"");
}
END_TEST

START_TEST(uuid_is_kept_or_generated)
{
	char first[CONFIG_UUID_LEN];

	expect_ok("{\"name\":\"a\"," K ",\"uuid\":\"A8F9E2B1-3C4D-4E5F-8A9B-0C1D2E3F4A5B\"}");
	ck_assert_str_eq(cfg.uuid, "a8f9e2b1-3c4d-4e5f-8a9b-0c1d2e3f4a5b");
	config_free(&cfg);
	expect_ok("{\"name\":\"a\"," K "}");
	ck_assert_uint_eq(strlen(cfg.uuid), 36);
	memcpy(first, cfg.uuid, sizeof(first));
	config_free(&cfg);
	expect_ok("{\"name\":\"a\"," K "}");
	ck_assert_str_ne(cfg.uuid, first);
	config_free(&cfg);
	expect_bad("{\"name\":\"a\"," K ",\"uuid\":\"a8f9e2b1-3c4d-4e5f-8a9b\"}",
		   "uuid: must be a UUID");
	expect_bad("{\"name\":\"a\"," K ",\"uuid\":\"g8f9e2b1-3c4d-4e5f-8a9b-0c1d2e3f4a5b\"}",
		   "uuid: must be a UUID");
}
END_TEST

START_TEST(arm_keys_and_kept_keys)
{
	struct json_object *o;

	expect_ok("{\"name\":\"a\"," K ",\"type\":\"pvh\",\"gic_version\":\"native\","
		  "\"vuart\":\"sbsa_uart\",\"disk\":[\"/x,,xvda\"],\"vif\":[\"bridge=br0,mac=00:16:3e:01:02:03\"],"
		  "\"ignored\":{\"pae\":1}}");
	o = config_to_json(&cfg);
	/* Written back as they came, so that a configuration loses nothing. */
	ck_assert_ptr_nonnull(strstr(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
									  JSON_C_TO_STRING_NOSLASHESCAPE),
				     "\"type\":\"pvh\",\"gic_version\":\"native\",\"vuart\":"
				     "\"sbsa_uart\",\"disk\":[\"/x,,xvda\"],\"vif\":[\"bridge=br0,mac="
				     "00:16:3e:01:02:03\"],\"ignored\":{\"pae\":1}}"));
	json_object_put(o);
	config_free(&cfg);
	expect_bad("{\"name\":\"a\"," K ",\"type\":\"hvm\"}", "type: must be \"pvh\"");
	expect_bad("{\"name\":\"a\"," K ",\"gic_version\":\"v2\"}",
		   "gic_version: must be \"v3\", \"native\" or \"default\"");
	expect_bad("{\"name\":\"a\"," K ",\"vuart\":\"pl011\"}", "vuart: must be \"sbsa_uart\"");
	expect_bad("{\"name\":\"a\"," K ",\"disk\":[\"a\\nb\"]}", "disk: must not contain control");
	expect_bad("{\"name\":\"a\"," K ",\"ignored\":[1]}", "ignored: must be an object");
}
END_TEST

START_TEST(vif_without_mac_gets_one_as_xl_makes_it)
{
	struct json_object *spec;
	unsigned int b[6];
	const char *s;

	expect_ok("{\"name\":\"a\"," K ",\"vif\":[\"model=e1000, forward=tcp:8080:80\",\"\"]}");
	ck_assert_int_eq(json_object_array_length(cfg.vif), 2);
	spec = json_object_array_get_idx(cfg.vif, 0);
	s = strstr(json_object_get_string(spec), ",mac=");
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(sscanf(s, ",mac=%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
				&b[5]), 6);
	ck_assert_uint_eq(b[0], 0x00);
	ck_assert_uint_eq(b[1], 0x16);
	ck_assert_uint_eq(b[2], 0x3e);
	ck_assert_uint_lt(b[3], 0x80);
	/* An empty spec is a vif with every default. */
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(cfg.vif, 1)) + 21, "");
	ck_assert_int_eq(strncmp(json_object_get_string(json_object_array_get_idx(cfg.vif, 1)),
				 "mac=00:16:3e:", 13), 0);
}
END_TEST

START_TEST(vif_specs_are_checked)
{
	expect_bad("{\"name\":\"a\"," K ",\"vif\":[\"mac=01:16:3e:00:00:01\"]}",
		   "vif: 'mac=01:16:3e:00:00:01': mac=01:16:3e:00:00:01: not a unicast MAC");
	expect_bad("{\"name\":\"a\"," K ",\"vif\":[\"mac=00:16:3e:00:00\"]}",
		   "invalid parameter 'mac=00:16:3e:00:00'");
	expect_bad("{\"name\":\"a\"," K ",\"vif\":[\"forward=tcp:70000:80\"]}",
		   "forward=tcp:70000:80: expected tcp|udp:[HOSTADDR:]HOSTPORT:GUESTPORT");
	expect_bad("{\"name\":\"a\"," K ",\"vif\":[\"forward=sctp:80:80\"]}", "expected tcp|udp");
	expect_bad("{\"name\":\"a\"," K ",\"vif\":[\"forward=tcp:1.2.3:80:80\"]}",
		   "expected tcp|udp");
	expect_bad("{\"name\":\"a\"," K ",\"vif\":[\"bridge=br0,forward=tcp:80:80\"]}",
		   "forward= is for user-mode networking");
	expect_bad("{\"name\":\"a\"," K ",\"vif\":[\"ip=10.0.2.2\"]}", "ip=10.0.2.2: not an");
	expect_bad("{\"name\":\"a\"," K ",\"vif\":[\"bridge=a/b\"]}", "not a network interface");
	expect_bad("{\"name\":\"a\"," K ",\"vif\":[\"colour=red\"]}", "invalid parameter 'colour=red'");
	expect_bad("{\"name\":\"a\"," K ",\"vif\":[\"bridge\"]}", "'bridge' is not KEY=VALUE");
	expect_ok("{\"name\":\"a\"," K ",\"vif\":[\"forward=udp:0.0.0.0:5353:53,ip=192.168.7.9 "
		  "192.168.7.10,vifname=v1,script=vif-up,type=ioemu,rate=10Mb/s,trusted\"]}");
}
END_TEST

START_TEST(cmdline_length_is_bounded)
{
	char *json = malloc(4200);
	char *e = malloc(1100);

	ck_assert_ptr_nonnull(json);
	ck_assert_ptr_nonnull(e);
	memset(e, 'e', 1099);
	e[1099] = '\0';
	/* Each part fits, the joined line ("root=" + 1099 + " " + 1099) does not. */
	snprintf(json, 4200, "{\"name\":\"a\"," K ",\"root\":\"%s\",\"extra\":\"%s\"}", e, e);
	expect_bad(json, "kernel command line longer than 2047 bytes");
	free(e);
	e = malloc(2100);
	ck_assert_ptr_nonnull(e);
	memset(e, 'e', 2048);
	e[2048] = '\0';
	snprintf(json, 4200, "{\"name\":\"a\"," K ",\"extra\":\"%s\"}", e);
	expect_bad(json, "extra: longer than 2047 bytes");
	free(e);
	free(json);
}
END_TEST

static void expect_cmdline(const char *json, const char *want)
{
	char *line;

	expect_ok(json);
	line = config_cmdline(&cfg);
	ck_assert_ptr_nonnull(line);
	ck_assert_str_eq(line, want);
	free(line);
	config_free(&cfg);
}

START_TEST(cmdline_is_joined_like_xl)
{
	expect_cmdline("{\"name\":\"a\"," K "}", "");
	expect_cmdline("{\"name\":\"a\"," K ",\"root\":\"/dev/vda\"}", "root=/dev/vda");
	expect_cmdline("{\"name\":\"a\"," K ",\"extra\":\"console=hvc0\"}", "console=hvc0");
	expect_cmdline("{\"name\":\"a\"," K ",\"root\":\"/dev/vda ro\",\"extra\":\"quiet\"}",
		       "root=/dev/vda ro quiet");
	expect_cmdline("{\"name\":\"a\"," K ",\"cmdline\":\"earlycon rdinit=/init\"}",
		       "earlycon rdinit=/init");
}
END_TEST

/* As xl: cmdline is the whole command line, and root and extra are then ignored. */
START_TEST(cmdline_wins_over_root_and_extra)
{
	expect_cmdline("{\"name\":\"a\"," K ",\"cmdline\":\"x\",\"root\":\"/dev/vda\"}", "x");
	expect_cmdline("{\"name\":\"a\"," K ",\"cmdline\":\"x y\",\"extra\":\"z\","
		       "\"root\":\"/dev/vdb\"}", "x y");
	/* They are still kept as given, for list -l and the state file. */
	expect_ok("{\"name\":\"a\"," K ",\"cmdline\":\"x\",\"extra\":\"y\"}");
	ck_assert_str_eq(cfg.extra, "y");
}
END_TEST

START_TEST(maxmem_and_maxvcpus)
{
	expect_ok("{\"name\":\"a\"," K ",\"memory\":256,\"maxmem\":256,\"vcpus\":2,"
		  "\"maxvcpus\":6}");
	ck_assert_uint_eq(config_max_mb(&cfg), 256);
	ck_assert_uint_eq(config_max_vcpus(&cfg), 6);
	ck_assert_uint_eq(cfg.vcpus, 2);
	config_free(&cfg);
	expect_bad("{\"name\":\"a\"," K ",\"memory\":256,\"maxmem\":128}",
		   "maxmem: must be at least memory (256 MiB)");
	expect_bad("{\"name\":\"a\"," K ",\"maxmem\":64}", "maxmem: must be at least memory (128 MiB)");
	/* The builder populates all of a domain's memory: no room for more yet. */
	expect_bad("{\"name\":\"a\"," K ",\"memory\":256,\"maxmem\":512}",
		   "maxmem: above memory (256 MiB) is not supported yet");
	expect_bad("{\"name\":\"a\"," K ",\"maxmem\":3073}", "maxmem: must be between 16 and 3072 MiB");
	expect_bad("{\"name\":\"a\"," K ",\"vcpus\":4,\"maxvcpus\":3}",
		   "maxvcpus: must be at least vcpus (4)");
	expect_bad("{\"name\":\"a\"," K ",\"maxvcpus\":9}", "maxvcpus: must be between 1 and 8");
	expect_bad("{\"name\":\"a\"," K ",\"maxvcpus\":\"2\"}", "maxvcpus: must be a whole number, not a string");
}
END_TEST

START_TEST(device_tree_is_a_path)
{
	expect_bad("{\"name\":\"a\"," K ",\"device_tree\":\"guest.dtb\"}",
		   "device_tree: must be an absolute path");
	expect_bad("{\"name\":\"a\"," K ",\"device_tree\":1}", "device_tree: must be a string");
}
END_TEST

START_TEST(cpus_are_checked_against_the_machine)
{
	expect_bad("{\"name\":\"a\"," K ",\"cpus\":\"0-4\"}",
		   "cpus: CPUs 0-4 do not all exist (the machine has CPUs 0-3)");
	expect_bad("{\"name\":\"a\"," K ",\"cpus\":\"1,^1\"}", "cpus: '1,^1' leaves no CPU");
	expect_bad("{\"name\":\"a\"," K ",\"cpus\":[\"0\",\"x\"]}",
		   "cpus[1]: invalid item 'x'");
	expect_bad("{\"name\":\"a\"," K ",\"cpus\":[\"0\",2]}", "cpus[1]: must be a string");
	expect_bad("{\"name\":\"a\"," K ",\"cpus\":[]}", "cpus: a list must hold 1 to 16");
	expect_bad("{\"name\":\"a\"," K ",\"cpus\":7}", "cpus: must be a string");
	expect_bad("{\"name\":\"a\"," K ",\"cpus\":\"0\\n\"}", "cpus: must not contain control");
}
END_TEST

static uint64_t affinity_of(unsigned int vcpu, int want_rc)
{
	uint64_t mask = 0;
	char msg[256] = "";

	ck_assert_int_eq(config_affinity(&cfg, vcpu, 4, &mask, msg, sizeof(msg)), want_rc);
	return mask;
}

START_TEST(cpus_give_each_vcpu_its_affinity)
{
	uint64_t mask;
	char msg[256];

	expect_ok("{\"name\":\"a\"," K ",\"vcpus\":3}");
	affinity_of(0, 0); /* no cpus: nothing pinned */
	config_free(&cfg);
	expect_ok("{\"name\":\"a\"," K ",\"vcpus\":3,\"cpus\":\"0-3,^1\"}");
	ck_assert_uint_eq(affinity_of(0, 1), 0xd);
	ck_assert_uint_eq(affinity_of(2, 1), 0xd);
	config_free(&cfg);
	/* A list pins the vCPUs it names and leaves the others free, as xl does. */
	expect_ok("{\"name\":\"a\"," K ",\"vcpus\":3,\"cpus\":[\"2\",\"all,^0\"]}");
	ck_assert_uint_eq(affinity_of(0, 1), 0x4);
	ck_assert_uint_eq(affinity_of(1, 1), 0xe);
	affinity_of(2, 0);
	/* Checked again against the machine it is applied on. */
	ck_assert_int_eq(config_affinity(&cfg, 0, 2, &mask, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "cpus: vCPU 0: CPU 2 does not exist (the machine has CPUs 0-1)");
}
END_TEST

START_TEST(copy_is_deep)
{
	struct dom_config copy;

	expect_ok("{\"name\":\"a\"," K ",\"ramdisk\":\"/r\",\"extra\":\"e\","
		  "\"device_tree\":\"/d.dtb\",\"cpus\":[\"1\"],\"vcpus\":2}");
	ck_assert_int_eq(config_copy(&copy, &cfg), 0);
	ck_assert_ptr_ne(copy.kernel, cfg.kernel);
	ck_assert_str_eq(copy.kernel, cfg.kernel);
	ck_assert_str_eq(copy.ramdisk, "/r");
	ck_assert_str_eq(copy.device_tree, "/d.dtb");
	ck_assert_str_eq(copy.extra, "e");
	ck_assert_ptr_null(copy.root);
	ck_assert_uint_eq(copy.vcpus, 2);
	/* Freeing the original leaves the copy whole (ASan checks). */
	config_free(&cfg);
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(copy.cpus, 0)), "1");
	config_free(&copy);
}
END_TEST

START_TEST(json_form_round_trips)
{
	struct json_object *o;
	struct dom_config again;
	struct rpc_error err;

	expect_ok("{\"name\":\"rt\"," K ",\"ramdisk\":\"/r\",\"memory\":512,\"vcpus\":2,"
		  "\"extra\":\"x=1\",\"root\":\"/dev/vdb\",\"cache_policy\":\"s2-fault\","
		  "\"on_poweroff\":\"preserve\",\"on_reboot\":\"restart\",\"on_crash\":\"destroy\","
		  "\"maxvcpus\":4,\"device_tree\":\"/g.dtb\",\"cpus\":[\"0\",\"1-3\"]}");
	o = config_to_json(&cfg);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(config_parse(o, &lim, &again, &err), 0);
	ck_assert_str_eq(again.name, cfg.name);
	ck_assert_str_eq(again.kernel, cfg.kernel);
	ck_assert_str_eq(again.ramdisk, cfg.ramdisk);
	ck_assert_str_eq(again.extra, cfg.extra);
	ck_assert_str_eq(again.root, cfg.root);
	ck_assert_ptr_null(again.cmdline);
	ck_assert_uint_eq(again.memory_mb, 512);
	ck_assert_uint_eq(again.vcpus, 2);
	ck_assert_uint_eq(again.maxvcpus, 4);
	ck_assert_uint_eq(config_max_mb(&again), 512);
	ck_assert_str_eq(again.device_tree, "/g.dtb");
	ck_assert_str_eq(json_object_to_json_string(again.cpus), json_object_to_json_string(cfg.cpus));
	ck_assert_int_eq(again.cache_policy, CACHET_CACHE_S2_FAULT);
	ck_assert_int_eq(again.on_poweroff, CONFIG_ACT_PRESERVE);
	ck_assert_int_eq(again.on_reboot, CONFIG_ACT_RESTART);
	ck_assert_int_eq(again.on_crash, CONFIG_ACT_DESTROY);
	/* Defaults are spelled out in the stored form. */
	ck_assert(json_object_object_get_ex(o, "on_crash", NULL));
	config_free(&again);
	json_object_put(o);
}
END_TEST

static Suite *config_suite(void)
{
	Suite *s = suite_create("daemon_config");
	TCase *tc = tcase_create("config");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, minimal_config_gets_xl_defaults);
	tcase_add_test(tc, every_field_is_taken);
	tcase_add_test(tc, every_policy_name_is_known);
	tcase_add_test(tc, unsafe_policies_need_the_daemon_option);
	tcase_add_test(tc, required_fields);
	tcase_add_test(tc, names_are_checked);
	tcase_add_test(tc, paths_must_be_absolute);
	tcase_add_test(tc, memory_range);
	tcase_add_test(tc, vcpus_range);
	tcase_add_test(tc, choices_are_checked);
	tcase_add_test(tc, unsupported_actions_say_so);
	tcase_add_test(tc, unknown_keys_are_refused);
	tcase_add_test(tc, uuid_is_kept_or_generated);
	tcase_add_test(tc, arm_keys_and_kept_keys);
	tcase_add_test(tc, kernel_format_is_a_choice);
	tcase_add_test(tc, cmdline_length_is_bounded);
	tcase_add_test(tc, cmdline_is_joined_like_xl);
	tcase_add_test(tc, cmdline_wins_over_root_and_extra);
	tcase_add_test(tc, maxmem_and_maxvcpus);
	tcase_add_test(tc, device_tree_is_a_path);
	tcase_add_test(tc, cpus_are_checked_against_the_machine);
	tcase_add_test(tc, cpus_give_each_vcpu_its_affinity);
	tcase_add_test(tc, copy_is_deep);
	tcase_add_test(tc, json_form_round_trips);
	tcase_add_test(tc, vif_without_mac_gets_one_as_xl_makes_it);
	tcase_add_test(tc, vif_specs_are_checked);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(config_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
