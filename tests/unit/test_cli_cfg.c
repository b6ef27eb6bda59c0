/*
 * Unit tests of the cachet CLI's xl.cfg parser (cli/cfg.c): the syntax,
 * each class of error with its FILE:LINE message, command-line overrides and
 * the resolution of relative paths.
 */
#define _GNU_SOURCE
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg.h"
#include "cfgdev.h"
#include "cfg_write.h"
#include "domxml.h"
#include "xljson.h"
#include "test_cli_util.h"

/* Two lines that make a complete configuration. */
#define BASE "name = \"g1\"\nkernel = \"Image\"\n"

static char *tc_dir;  /* a temporary directory, with symlinks resolved */
static char tc_cfg_path[PATH_MAX];
static char tc_cwd[PATH_MAX];
static struct cfg *tc_cfg;
static char *tc_json;

static void tc_touch(const char *name)
{
	free(tmp_file_write(tc_dir, name, "data"));
}

static void tc_setup(void)
{
	char *dir = tmp_dir_new(), path[PATH_MAX];

	tc_dir = realpath(dir, NULL);
	ck_assert_ptr_nonnull(tc_dir);
	free(dir);
	tc_touch("Image");
	tc_touch("initrd.img");
	snprintf(path, sizeof(path), "%s/sub", tc_dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	tc_touch("sub/Image2");
	snprintf(path, sizeof(path), "%s/adir", tc_dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(tc_cfg_path, sizeof(tc_cfg_path), "%s/guest.cfg", tc_dir);
	ck_assert_ptr_nonnull(getcwd(tc_cwd, sizeof(tc_cwd)));
	tc_cfg = cfg_new();
	ck_assert_ptr_nonnull(tc_cfg);
	tc_json = NULL;
}

static void tc_teardown(void)
{
	ck_assert_int_eq(chdir(tc_cwd), 0);
	cfg_free(tc_cfg);
	free(tc_json);
	tmp_dir_remove(tc_dir);
}

/* Writes @text as DIR/guest.cfg and parses it; 0 or -1. */
static int tc_parse(const char *text)
{
	cfg_free(tc_cfg);
	tc_cfg = cfg_new();
	ck_assert_ptr_nonnull(tc_cfg);
	free(tmp_file_write(tc_dir, "guest.cfg", text));
	return cfg_parse_file(tc_cfg, tc_cfg_path);
}

/* The CONFIG JSON of what was parsed; fails the test on an error. */
static const char *tc_output(void)
{
	struct json_object *obj = NULL;

	ck_assert_msg(cfg_to_json(tc_cfg, &obj) == 0, "cfg_to_json: %s", cfg_error(tc_cfg));
	free(tc_json);
	tc_json = strdup(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
								     JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
	return tc_json;
}

/* Parses @text as a whole configuration and returns its JSON. */
static const char *tc_parse_ok(const char *text)
{
	ck_assert_msg(tc_parse(text) == 0, "parse failed: %s", cfg_error(tc_cfg));
	return tc_output();
}

/* Replaces every "@D" in @fmt with the temporary directory. */
static char *tc_expand(const char *fmt)
{
	char *out = malloc(strlen(fmt) * 2 + PATH_MAX * 4), *o = out;

	ck_assert_ptr_nonnull(out);
	for (; *fmt; fmt++) {
		if (fmt[0] == '@' && fmt[1] == 'D') {
			o = stpcpy(o, tc_dir);
			fmt++;
		} else {
			*o++ = *fmt;
		}
	}
	*o = '\0';
	return out;
}

/* The configuration @text must fail with "DIR/guest.cfg@suffix" (@D: the dir). */
static void tc_expect_error(const char *text, const char *suffix)
{
	struct json_object *obj = NULL;
	char *want, *exp = tc_expand(suffix);

	ck_assert_int_ge(asprintf(&want, "%s%s", tc_cfg_path, exp), 0);
	if (tc_parse(text) == 0)
		ck_assert_msg(cfg_to_json(tc_cfg, &obj) < 0, "'%s' was accepted", text);
	ck_assert_str_eq(cfg_error(tc_cfg), want);
	free(want);
	free(exp);
}

static void tc_expect_json(const char *got, const char *fmt)
{
	char *want = tc_expand(fmt);

	ck_assert_str_eq(got, want);
	free(want);
}

/* ---- Syntax ---------------------------------------------------------- */

START_TEST(test_minimal_config)
{
	tc_expect_json(tc_parse_ok(BASE), "{\"name\":\"g1\",\"kernel\":\"@D/Image\"}");
}
END_TEST

START_TEST(test_every_supported_key)
{
	const char *text = "name = \"web-1.a_b\"\n"
			   "kernel = \"Image\"\n"
			   "ramdisk = \"initrd.img\"\n"
			   "extra = \"console=ttyAMA0\"\n"
			   "cmdline = \"quiet\"\n"
			   "root = \"/dev/vda\"\n"
			   "memory = 0x100\n"
			   "vcpus = 4\n"
			   "on_poweroff = \"destroy\"\n"
			   "on_reboot = \"restart\"\n"
			   "on_crash = \"preserve\"\n"
			   "cache_policy = \"s2-fault\"\n"
			   "device_tree = \"guest.dtb\"\n"
			   "maxmem = 256\n"
			   "maxvcpus = 6\n"
			   "cpus = [ \"0-3,^1\", \"all\" ]\n";

	free(tmp_file_write(tc_dir, "guest.dtb", "a device tree"));
	tc_expect_json(tc_parse_ok(text),
		       "{\"name\":\"web-1.a_b\",\"kernel\":\"@D/Image\",\"ramdisk\":\"@D/"
		       "initrd.img\",\"device_tree\":\"@D/guest.dtb\",\"extra\":\"console=ttyAMA0\","
		       "\"cmdline\":\"quiet\",\"root\":\"/dev/vda\",\"memory\":256,\"maxmem\":256,"
		       "\"vcpus\":4,\"maxvcpus\":6,\"cpus\":[\"0-3,^1\",\"all\"],"
		       "\"on_poweroff\":\"destroy\",\"on_reboot\":\"restart\",\"on_crash\":"
		       "\"preserve\",\"cache_policy\":\"s2-fault\"}");
}
END_TEST

START_TEST(test_every_cache_policy)
{
	static const char *const policies[] = { "dc-tvm", "s2-fault", "flush-load", "s2fwb" };
	char text[256], want[256];

	for (size_t i = 0; i < 4; i++) {
		snprintf(text, sizeof(text), BASE "cache_policy = '%s'\n", policies[i]);
		snprintf(want, sizeof(want), "\"cache_policy\":\"%s\"}", policies[i]);
		ck_assert_ptr_nonnull(strstr(tc_parse_ok(text), want));
	}
}
END_TEST

START_TEST(test_comments_blank_lines_and_semicolons)
{
	const char *text = "# a guest\n"
			   "\n"
			   "   \t\n"
			   "  name = 'g1' ;   # trailing comment\n"
			   "kernel=\"Image\";memory = 64;vcpus=2\n"
			   "# extra = \"ignored\"\n"
			   ";\n";

	tc_expect_json(tc_parse_ok(text),
		       "{\"name\":\"g1\",\"kernel\":\"@D/Image\",\"memory\":64,\"vcpus\":2}");
}
END_TEST

START_TEST(test_crlf_line_endings)
{
	tc_expect_json(tc_parse_ok("name = \"g1\"\r\nkernel = \"Image\"\r\nvcpus = 2\r\n"),
		       "{\"name\":\"g1\",\"kernel\":\"@D/Image\",\"vcpus\":2}");
}
END_TEST

START_TEST(test_quoting_and_escapes)
{
	const char *text = BASE "extra = \"a \\\"b\\\" \\\\ c\\td\\x41\\101 # not a comment\"\n"
				"cmdline = 'it\\'s \"quoted\"'\n"
				"root = \"\"\n";

	tc_expect_json(tc_parse_ok(text), "{\"name\":\"g1\",\"kernel\":\"@D/Image\","
					  "\"extra\":\"a \\\"b\\\" \\\\ c\\tdAA # not a comment\","
					  "\"cmdline\":\"it's \\\"quoted\\\"\",\"root\":\"\"}");
}
END_TEST

START_TEST(test_list_spanning_lines_with_comments)
{
	/* cpus takes a list, one CPU list per vCPU. */
	tc_expect_json(tc_parse_ok(BASE "cpus = [ \"0-1\",   # first\n"
					"         \"2\",\n"
					"\n"
					"         \"^3\", ]\n"),
		       "{\"name\":\"g1\",\"kernel\":\"@D/Image\",\"cpus\":[\"0-1\",\"2\",\"^3\"]}");
}
END_TEST

START_TEST(test_list_error_reports_its_own_line)
{
	tc_expect_error(BASE "cpus = [\n \"0\",\n\n 7 8 ]\n",
			":6: cpus: expected ',' or ']' in list, found '8'");
}
END_TEST

START_TEST(test_list_unterminated_reports_opening_line)
{
	tc_expect_error(BASE "cpus = [ \"0\",\n \"1\"\n# no end\n",
			":3: cpus: unterminated list (missing ']')");
}
END_TEST

START_TEST(test_list_where_a_string_is_expected)
{
	tc_expect_error("name = \"g1\"\nkernel = [ \"Image\",\n \"x\" ]\n",
			":2: kernel: expected a string, got a list");
}
END_TEST

START_TEST(test_nested_list)
{
	tc_expect_error(BASE "cpus = [ [ \"0\" ] ]\n", ":3: cpus: nested lists are not allowed");
}
END_TEST

START_TEST(test_cpus_syntax_is_checked)
{
	tc_expect_error(BASE "cpus = [ \"0-3\", \"x-y\" ]\n",
			":3: cpus: invalid CPU list 'x-y' (expected e.g. \"0-3,5,^1\")");
	tc_expect_error(BASE "cpus = \"3-1\"\n",
			":3: cpus: invalid CPU list '3-1' (expected e.g. \"0-3,5,^1\")");
	tc_expect_error(BASE "cpus = 3\n", ":3: cpus: expected a CPU list string, got an integer");
	/* A single list is for every vCPU; whether the CPUs exist is cachetd's to say. */
	tc_expect_json(tc_parse_ok(BASE "cpus = \"all,^0\"\n"),
		       "{\"name\":\"g1\",\"kernel\":\"@D/Image\",\"cpus\":\"all,^0\"}");
}
END_TEST

/* ---- Errors ----------------------------------------------------------- */

/* As xl, an unknown key is no failure; unlike xl, it gets a warning naming the closest key. */
START_TEST(test_unknown_key)
{
	char *want;

	tc_expect_json(tc_parse_ok(BASE "memroy = 5\nvcpu = [ 1 ]\n"),
		       "{\"name\":\"g1\",\"kernel\":\"@D/Image\"}");
	ck_assert_uint_eq(cfg_warning_count(tc_cfg), 2);
	ck_assert_int_ge(asprintf(&want, "%s:3: Warning: unknown key 'memroy' ignored (did you "
				  "mean 'memory'?)", tc_cfg_path), 0);
	ck_assert_str_eq(cfg_warning(tc_cfg, 0), want);
	free(want);
	ck_assert_ptr_nonnull(strstr(cfg_warning(tc_cfg, 1), ":4: Warning: unknown key 'vcpu' "
					"ignored (did you mean 'vcpus'?)"));
	/* Its value is still read: a syntax error in it is an error. */
	tc_expect_error(BASE "memroy = [ 5\n", ":3: memroy: unterminated list (missing ']')");
}
END_TEST

/* Disk keys Cachet accepts without acting on them are named, once per disk; rng is a key. */
START_TEST(test_disk_keys_not_honoured_warned)
{
	tc_parse_ok(BASE "disk = [ 'backendtype=qdisk, script=x, vdev=xvda, target=/d', "
		    "'format=raw, vdev=xvdb, specification=virtio, transport=mmio, target=/e' ]\n"
		    "rng = 0\n");
	ck_assert_uint_eq(cfg_warning_count(tc_cfg), 1);
	ck_assert_ptr_nonnull(strstr(cfg_warning(tc_cfg, 0), ":3: Warning: disk 'backendtype=qdisk, "
					"script=x, vdev=xvda, target=/d': ignoring backendtype, script"));
	tc_expect_error(BASE "disk = [ 'transport=pci, vdev=xvda, target=/d' ]\n",
			":3: disk: 'transport=pci, vdev=xvda, target=/d': invalid parameter "
			"'transport=pci'");
	tc_expect_error(BASE "rng = 2\n", ":3: rng: must be between 0 and 1 (got 2)");
}
END_TEST

START_TEST(test_duplicate_key)
{
	tc_expect_error("name = \"a\"\nkernel = \"Image\"\nname = \"b\"\n",
			":3: duplicate key 'name' (already set on line 1)");
}
END_TEST

START_TEST(test_malformed_lines)
{
	tc_expect_error(BASE "memory 256\n", ":3: expected '=' after 'memory'");
	tc_expect_error(BASE "= 5\n", ":3: expected a setting 'KEY = VALUE', found '='");
	tc_expect_error(BASE "memory = 256 512\n", ":3: memory: unexpected '512' after the value");
	tc_expect_error(BASE "memory =\n", ":3: memory: missing value");
	tc_expect_error(BASE "memory = 256 vcpus = 2\n",
			":3: memory: unexpected 'vcpus' after the value");
}
END_TEST

START_TEST(test_unquoted_string)
{
	tc_expect_error(BASE "on_reboot = destroy\n",
			":3: on_reboot: expected a value (a quoted string, an integer or a "
			"[list]), found 'destroy' (strings must be quoted)");
}
END_TEST

START_TEST(test_unterminated_strings)
{
	tc_expect_error(BASE "extra = \"abc\nmemory = 64\n",
			":3: unterminated string (missing closing \")");
	tc_expect_error(BASE "\n\nextra = 'abc", ":5: unterminated string (missing closing ')");
}
END_TEST

START_TEST(test_invalid_escapes)
{
	tc_expect_error(BASE "extra = \"a\\qb\"\n", ":3: invalid escape '\\q' in string");
	tc_expect_error(BASE "extra = \"a\\xg\"\n",
			":3: invalid escape '\\x' in string (expected hex digits)");
	tc_expect_error(BASE "extra = \"a\\0b\"\n", ":3: invalid character code in string escape");
}
END_TEST

/* cachetd takes only UTF-8: say so here rather than let it refuse the request. */
START_TEST(test_strings_must_be_utf8)
{
	tc_expect_error(BASE "extra = \"caf\xe9\"\n", ":3: extra: not valid UTF-8");
	tc_expect_error(BASE "extra = \"\\xff\"\n", ":3: extra: not valid UTF-8");
	tc_expect_error(BASE "root = \"\xed\xa0\x80\"\n", ":3: root: not valid UTF-8");
	ck_assert_ptr_nonnull(strstr(tc_parse_ok(BASE "extra = \"caf\xc3\xa9 \xf0\x9f\x90\xa7\"\n"),
				     "caf\xc3\xa9 \xf0\x9f\x90\xa7"));
}
END_TEST

START_TEST(test_bad_integers)
{
	tc_expect_error(BASE "memory = 256M\n", ":3: bad integer '256M'");
	tc_expect_error(BASE "memory = -5\n", ":3: memory: must be between 16 and 1043456 MiB "
			"(got -5)");
	tc_expect_error(BASE "memory = 08\n", ":3: bad integer '08'");
	tc_expect_error(BASE "builder = 'linux'\n", ":3: builder: invalid value 'linux' (expected "
			"generic or hvm)");
	tc_expect_error(BASE "type = 'xen'\n", ":3: type: invalid value 'xen' (expected pvh)");
	/* As xl (strtol): 0x is hexadecimal, a leading 0 octal, a sign allowed. */
	tc_expect_json(tc_parse_ok(BASE "memory = 0400\nrtc_timeoffset = -3600\n"),
		       "{\"name\":\"g1\",\"kernel\":\"@D/Image\",\"memory\":256,"
		       "\"ignored\":{\"rtc_timeoffset\":-3600}}");
	tc_expect_error(BASE "memory = 0x\n", ":3: bad integer '0x'");
	tc_expect_error(BASE "memory = 0x1g\n", ":3: bad integer '0x1g'");
	tc_expect_error(BASE "memory = 99999999999999999999\n",
			":3: integer '99999999999999999999' is too large");
}
END_TEST

START_TEST(test_type_errors)
{
	tc_expect_error(BASE "memory = \"256\"\n", ":3: memory: expected an integer, got a string '256'");
	tc_expect_error("name = 5\nkernel = \"Image\"\n", ":1: name: expected a string, got an integer '5'");
	tc_expect_error(BASE "on_crash = 1\n", ":3: on_crash: expected a string, got an integer '1'");
}
END_TEST

START_TEST(test_memory_range)
{
	/* Both RAM banks of the guest map: 3 GiB + 1016 GiB. */
	tc_expect_error(BASE "memory = 15\n",
			":3: memory: must be between 16 and 1043456 MiB (got 15)");
	tc_expect_error(BASE "memory = 1043457\n",
			":3: memory: must be between 16 and 1043456 MiB (got 1043457)");
	ck_assert_ptr_nonnull(strstr(tc_parse_ok(BASE "memory = 16\n"), "\"memory\":16"));
	ck_assert_ptr_nonnull(strstr(tc_parse_ok(BASE "memory = 4096\n"), "\"memory\":4096"));
	ck_assert_ptr_nonnull(strstr(tc_parse_ok(BASE "memory = 1043456\n"), "\"memory\":1043456"));
	tc_expect_error(BASE "maxmem = 5\n", ":3: maxmem: must be between 16 and 1043456 MiB (got 5)");
}
END_TEST

START_TEST(test_vcpus_range)
{
	/* The CLI says what cachetd and the hypervisor accept (one limit, in abi.h). */
	tc_expect_error(BASE "vcpus = 0\n", ":3: vcpus: must be between 1 and 16 (got 0)");
	tc_expect_error(BASE "vcpus = 17\n", ":3: vcpus: must be between 1 and 16 (got 17)");
	ck_assert_ptr_nonnull(strstr(tc_parse_ok(BASE "vcpus = 1\n"), "\"vcpus\":1"));
	ck_assert_ptr_nonnull(strstr(tc_parse_ok(BASE "vcpus = 16\n"), "\"vcpus\":16"));
	ck_assert_ptr_nonnull(strstr(tc_parse_ok(BASE "kernel_format = \"raw\"\n"),
				     "\"kernel_format\":\"raw\""));
}
END_TEST

START_TEST(test_name_syntax)
{
	char text[256];

	tc_expect_error("name = \"a b\"\n",
			":1: name: invalid domain name 'a b' (1 to 63 of A-Z a-z 0-9 _ . -)");
	tc_expect_error("name = \"\"\n", ":1: name: invalid domain name '' (1 to 63 of A-Z a-z 0-9 _ . -)");
	snprintf(text, sizeof(text), "name = \"%064d\"\n", 0);
	tc_expect_error(text, ":1: name: invalid domain name "
			      "'0000000000000000000000000000000000000000000000000000000000000000'"
			      " (1 to 63 of A-Z a-z 0-9 _ . -)");
	snprintf(text, sizeof(text), "name = \"%063d\"\nkernel = \"Image\"\n", 0);
	tc_parse_ok(text);
}
END_TEST

START_TEST(test_name_is_valid)
{
	ck_assert(cfg_name_is_valid("web-1.example_a"));
	ck_assert(!cfg_name_is_valid(""));
	ck_assert(!cfg_name_is_valid("a/b"));
	ck_assert(!cfg_name_is_valid("caf\xc3\xa9"));
}
END_TEST

START_TEST(test_missing_required_keys)
{
	tc_expect_error("kernel = \"Image\"\n", ": missing required key 'name'");
	tc_expect_error("# only a name\nname = \"g1\"\n", ": missing required key 'kernel'");
}
END_TEST

START_TEST(test_actions)
{
	tc_expect_error(BASE "on_crash = \"coredump-destroy\"\n",
			":3: on_crash: 'coredump-destroy' cannot be honoured by Cachet "
			"(use destroy, restart, rename-restart or preserve)");
	tc_expect_error(BASE "on_reboot = \"soft-reset\"\n",
			":3: on_reboot: 'soft-reset' cannot be honoured by Cachet (use destroy, restart, "
			"rename-restart or preserve)");
	tc_expect_error(BASE "on_poweroff = \"explode\"\n",
			":3: on_poweroff: invalid value 'explode' (expected destroy, restart, "
			"rename-restart or preserve)");
	tc_expect_json(tc_parse_ok(BASE "on_reboot = \"rename-restart\"\non_poweroff = \"restart\"\n"),
		       "{\"name\":\"g1\",\"kernel\":\"@D/Image\",\"on_poweroff\":\"restart\","
		       "\"on_reboot\":\"rename-restart\"}");
}
END_TEST

START_TEST(test_bad_cache_policy)
{
	tc_expect_error(BASE "cache_policy = \"magic\"\n",
			":3: cache_policy: invalid value 'magic' (expected dc-tvm, s2-fault, "
			"flush-load, s2fwb or none)");
}
END_TEST

/* The keys this version added: passed on as given (cachetd checks them against each other). */
START_TEST(test_device_tree_maxmem_maxvcpus)
{
	tc_expect_json(tc_parse_ok(BASE "memory = 512\nmaxmem = 512\nmaxvcpus = 2\nvcpus = 4\n"),
		       "{\"name\":\"g1\",\"kernel\":\"@D/Image\",\"memory\":512,\"maxmem\":512,"
		       "\"vcpus\":4,\"maxvcpus\":2}");
	/* No ballooning: pages above memory cannot be given, and the error names maxmem's line. */
	tc_expect_error(BASE "maxmem = 512\nmemory = 256\n",
			":3: maxmem: 512 MiB cannot be honoured: it is above memory (256 MiB) and "
			"Cachet populates all of a domain's memory (no ballooning)");
	tc_expect_error(BASE "maxmem = 129\n", ":3: maxmem: 129 MiB cannot be honoured: it is "
			"above memory (128 MiB) and Cachet populates all of a domain's memory (no "
			"ballooning)");
	tc_expect_error(BASE "maxvcpus = 0\n", ":3: maxvcpus: must be between 1 and 16 (got 0)");
	tc_expect_json(tc_parse_ok(BASE "device_tree = \"Image\"\n"),
		       "{\"name\":\"g1\",\"kernel\":\"@D/Image\",\"device_tree\":\"@D/Image\"}");
	tc_expect_error(BASE "device_tree = \"no.dtb\"\n",
			":3: device_tree: cannot use 'no.dtb' (@D/no.dtb): No such file or directory");
}
END_TEST

START_TEST(test_config_file_problems)
{
	static const char nul_text[] = "name = \"g1\"\n\0kernel = \"Image\"\n";
	char *path;
	FILE *f;

	ck_assert_int_eq(cfg_parse_file(tc_cfg, "/nonexistent/guest.cfg"), -1);
	ck_assert_str_eq(cfg_error(tc_cfg), "cannot open config file '/nonexistent/guest.cfg': "
					    "No such file or directory");
	ck_assert_int_ge(asprintf(&path, "%s/nul.cfg", tc_dir), 0);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fwrite(nul_text, 1, sizeof(nul_text) - 1, f);
	fclose(f);
	ck_assert_int_eq(cfg_parse_file(tc_cfg, path), -1);
	ck_assert_ptr_nonnull(strstr(cfg_error(tc_cfg), "contains a NUL byte"));
	free(path);
}
END_TEST

/* ---- Paths ------------------------------------------------------------ */

START_TEST(test_paths_relative_to_config_not_cwd)
{
	ck_assert_int_eq(chdir("/"), 0);
	tc_expect_json(tc_parse_ok(BASE "ramdisk = 'initrd.img'\n"),
		       "{\"name\":\"g1\",\"kernel\":\"@D/Image\",\"ramdisk\":\"@D/initrd.img\"}");
}
END_TEST

START_TEST(test_paths_of_a_config_named_relatively)
{
	free(tmp_file_write(tc_dir, "sub/x.cfg", "name = 'g1'\nkernel = 'Image2'\n"
						 "ramdisk = '../initrd.img'\n"));
	ck_assert_int_eq(chdir(tc_dir), 0);
	ck_assert_int_eq(cfg_parse_file(tc_cfg, "sub/x.cfg"), 0);
	tc_expect_json(tc_output(), "{\"name\":\"g1\",\"kernel\":\"@D/sub/Image2\","
				    "\"ramdisk\":\"@D/initrd.img\"}");
}
END_TEST

START_TEST(test_absolute_path_kept)
{
	char *text;

	ck_assert_int_ge(asprintf(&text, "name = 'g1'\nkernel = '%s/sub/Image2'\n", tc_dir), 0);
	tc_expect_json(tc_parse_ok(text), "{\"name\":\"g1\",\"kernel\":\"@D/sub/Image2\"}");
	free(text);
}
END_TEST

START_TEST(test_missing_path_named)
{
	tc_expect_error("name = 'g1'\nkernel = 'nope/Image'\n",
			":2: kernel: cannot use 'nope/Image' (@D/nope/Image): No such file or "
			"directory");
	tc_expect_error(BASE "ramdisk = \"gone.img\"\n",
			":3: ramdisk: cannot use 'gone.img' (@D/gone.img): No such file or "
			"directory");
}
END_TEST

START_TEST(test_path_not_a_file)
{
	tc_expect_error("name = 'g1'\nkernel = 'adir'\n", ":2: kernel: '@D/adir' is not a regular file");
	tc_expect_error("name = 'g1'\nkernel = ''\n", ":2: kernel: empty path");
}
END_TEST

/* ---- Overrides -------------------------------------------------------- */

START_TEST(test_override_replaces_file_value)
{
	ck_assert_int_eq(tc_parse(BASE "memory = 128\nvcpus = 2\n"), 0);
	ck_assert_int_eq(cfg_apply_override(tc_cfg, "memory=256", 1), 0);
	ck_assert_int_eq(cfg_apply_override(tc_cfg, "name = \"other\"", 2), 0);
	ck_assert_int_eq(cfg_apply_override(tc_cfg, "memory=512", 3), 0);
	tc_expect_json(tc_output(), "{\"name\":\"other\",\"kernel\":\"@D/Image\",\"memory\":512,"
				    "\"vcpus\":2}");
}
END_TEST

/* libxlu's +=: strings are joined, lists extended; alone it is a plain setting. */
START_TEST(test_override_appends)
{
	ck_assert_int_eq(tc_parse(BASE "extra = 'console=ttyAMA0'\ncpus = [ '0' ]\n"
				       "extra += ' quiet'\n"), 0);
	ck_assert_int_eq(cfg_apply_override(tc_cfg, "extra+=\" debug\"", 1), 0);
	ck_assert_int_eq(cfg_apply_override(tc_cfg, "cpus += [ '1-2' ]", 2), 0);
	ck_assert_int_eq(cfg_apply_override(tc_cfg, "root += '/dev/vda'", 3), 0);
	tc_expect_json(tc_output(), "{\"name\":\"g1\",\"kernel\":\"@D/Image\",\"extra\":"
				    "\"console=ttyAMA0 quiet debug\",\"root\":\"/dev/vda\","
				    "\"cpus\":[\"0\",\"1-2\"]}");
	ck_assert_int_eq(cfg_apply_override(tc_cfg, "extra += [ 'x' ]", 4), -1);
	ck_assert_str_eq(cfg_error(tc_cfg),
			 "command line:4: extra: += adds a string to a string or a list to a list");
}
END_TEST

START_TEST(test_override_errors_name_the_argument)
{
	ck_assert_int_eq(tc_parse(BASE), 0);
	ck_assert_int_eq(cfg_apply_override(tc_cfg, "memory=5", 2), -1);
	ck_assert_str_eq(cfg_error(tc_cfg),
			 "command line:2: memory: must be between 16 and 1043456 MiB (got 5)");
	ck_assert_int_eq(cfg_apply_override(tc_cfg, "memory", 1), -1);
	ck_assert_str_eq(cfg_error(tc_cfg), "command line:1: 'memory' is not a KEY=VALUE setting");
	ck_assert_int_eq(cfg_apply_override(tc_cfg, "name=web", 3), -1);
	ck_assert_str_eq(cfg_error(tc_cfg), "command line:3: name: expected a value (a quoted "
					    "string, an integer or a [list]), found 'web' "
					    "(strings must be quoted)");
	ck_assert_int_eq(cfg_apply_override(tc_cfg, "colour=red", 4), -1);
	ck_assert_str_eq(cfg_error(tc_cfg), "command line:4: colour: expected a value (a quoted "
					    "string, an integer or a [list]), found 'red' "
					    "(strings must be quoted)");
	ck_assert_int_eq(cfg_apply_override(tc_cfg, "cpus=\"0-\"", 5), -1);
	ck_assert_str_eq(cfg_error(tc_cfg), "command line:5: cpus: invalid CPU list '0-' "
					    "(expected e.g. \"0-3,5,^1\")");
}
END_TEST

START_TEST(test_overrides_alone_resolve_paths_from_cwd)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/sub", tc_dir);
	ck_assert_int_eq(chdir(path), 0);
	ck_assert_int_eq(cfg_apply_override(tc_cfg, "name='g2'", 1), 0);
	ck_assert_int_eq(cfg_apply_override(tc_cfg, "kernel='Image2'", 2), 0);
	tc_expect_json(tc_output(), "{\"name\":\"g2\",\"kernel\":\"@D/sub/Image2\"}");
}
END_TEST

START_TEST(test_overrides_alone_missing_kernel)
{
	struct json_object *obj;

	ck_assert_int_eq(cfg_apply_override(tc_cfg, "name='g2'", 1), 0);
	ck_assert_int_eq(cfg_to_json(tc_cfg, &obj), -1);
	ck_assert_str_eq(cfg_error(tc_cfg), "command line: missing required key 'kernel'");
}
END_TEST


/* ---- Round trips -------------------------------------------------------- */

/* Everything a configuration can hold: implemented, device and ignored keys. */
#define FULL_CFG                                                                        \
	"name = 'full'\nuuid = '3F2504E0-4F89-11D3-9A0C-0305E82C3301'\nkernel = 'Image'\n"     \
	"ramdisk = 'initrd.img'\nroot = '/dev/vda'\nextra = 'quiet \"q\" \\\\ x\\x01'\n"      \
	"memory = 256\nmaxmem = 256\nvcpus = 2\nmaxvcpus = 4\ncpus = [ '0', '1-2' ]\n"          \
	"on_crash = 'rename-restart'\ngic_version = 'v3'\nvuart = 'sbsa_uart'\n"                \
	"disk = [ 'phy:/dev/vg/a,xvda,w', '/x.iso,,hdc,cdrom' ]\n"                             \
	"vif = [ 'mac=00:16:3e:00:00:01,bridge=br0,type=ioemu' ]\n"                             \
	"pae = 1\nvnclisten = '0.0.0.0'\nusbdevice = [ 'tablet', 'mouse' ]\nbuilder = 'hvm'\n"

/* xl.cfg -> CONFIG -> xl.cfg -> CONFIG: nothing lost, nothing changed. */
START_TEST(test_xl_text_round_trip)
{
	struct json_object *first = NULL, *second = NULL;
	char msg[256], *text;

	ck_assert_msg(tc_parse(FULL_CFG) == 0, "%s", cfg_error(tc_cfg));
	ck_assert_int_eq(cfg_to_json(tc_cfg, &first), 0);
	text = cfgw_render(first, msg, sizeof(msg));
	ck_assert_msg(text != NULL, "%s", msg);
	ck_assert_int_eq(tc_parse(text), 0);
	ck_assert_int_eq(cfg_to_json(tc_cfg, &second), 0);
	ck_assert_str_eq(json_object_to_json_string(second), json_object_to_json_string(first));
	ck_assert_ptr_nonnull(strstr(text, "extra = \"quiet \\\"q\\\" \\\\ x\\x01\"\n"));
	free(text);
	json_object_put(first);
	json_object_put(second);
}
END_TEST

/* CONFIG -> libxl JSON -> CONFIG, taking "cachet"'s copy: identical. */
START_TEST(test_libxl_json_round_trip)
{
	struct json_object *first = NULL, *root, *doc, *back = NULL;
	struct xljson_dom dom = { .has_domid = true, .domid = 7 };
	char msg[256], *text;

	ck_assert_int_eq(tc_parse(FULL_CFG), 0);
	ck_assert_int_eq(cfg_to_json(tc_cfg, &first), 0);
	dom.config = first;
	text = xljson_render(&dom, 1, true, msg, sizeof(msg));
	ck_assert_msg(text != NULL, "%s", msg);
	root = json_tokener_parse(text);
	ck_assert_int_eq(xljson_to_config(root, &back, msg, sizeof(msg)), 0);
	ck_assert_str_eq(json_object_to_json_string(back), json_object_to_json_string(first));
	/* libxl's own fields: names and enum spellings as libxl writes them. */
	doc = json_object_array_get_idx(root, 0);
	ck_assert_int_eq(json_object_get_int(json_at(doc, "domid")), 7);
	ck_assert_str_eq(json_object_get_string(json_at(doc, "config.c_info.uuid")),
			 "3f2504e0-4f89-11d3-9a0c-0305e82c3301");
	ck_assert_str_eq(json_object_get_string(json_at(doc, "config.b_info.cmdline")),
			 "root=/dev/vda quiet \"q\" \\ x\x01");
	ck_assert_int_eq(json_object_get_int(json_at(doc, "config.b_info.max_memkb")), 262144);
	ck_assert_str_eq(json_object_to_json_string_ext(json_at(doc, "config.b_info.vcpu_hard_affinity"),
							JSON_C_TO_STRING_PLAIN),
			 "[[0],[1,2]]");
	ck_assert_str_eq(json_object_get_string(json_at(doc, "config.on_crash")), "restart_rename");
	ck_assert_str_eq(json_object_get_string(json_at(doc, "config.b_info.arch_arm.gic_version")),
			 "v3");
	free(text);
	json_object_put(root);
	json_object_put(back);
	json_object_put(first);
}

/* libxl's JSON without Cachet's copy (as xl writes it) is translated field by field. */
START_TEST(test_libxl_json_from_xl)
{
	struct json_object *doc, *cfg = NULL;
	char msg[256];

	doc = json_tokener_parse(
		"{\"domid\":3,\"config\":{\"c_info\":{\"type\":\"pvh\",\"name\":\"x\","
		"\"uuid\":\"3f2504e0-4f89-11d3-9a0c-0305e82c3301\"},\"b_info\":{\"max_vcpus\":4,"
		"\"avail_vcpus\":[0,1],\"vcpu_hard_affinity\":[[1,2],[3]],\"max_memkb\":262144,"
		"\"target_memkb\":262144,\"kernel\":\"/k\",\"cmdline\":\"console=hvc0\","
		"\"arch_arm\":{\"gic_version\":\"default\",\"vuart\":\"sbsa_uart\"}},"
		"\"disks\":[{\"pdev_path\":\"/d\",\"vdev\":\"xvda\",\"format\":\"qcow2\",\"readwrite\":0}],"
		"\"nics\":[{\"mac\":\"00:16:3e:00:00:02\",\"bridge\":\"br0\",\"nictype\":\"vif\"}],"
		"\"on_poweroff\":\"preserve\",\"on_reboot\":\"restart_rename\",\"on_crash\":\"destroy\"}}");
	ck_assert_int_eq(xljson_to_config(doc, &cfg, msg, sizeof(msg)), 0);
	ck_assert_str_eq(json_object_to_json_string_ext(cfg, JSON_C_TO_STRING_PLAIN |
								     JSON_C_TO_STRING_NOSLASHESCAPE),
			 "{\"name\":\"x\",\"uuid\":\"3f2504e0-4f89-11d3-9a0c-0305e82c3301\","
			 "\"type\":\"pvh\",\"kernel\":\"/k\",\"cmdline\":\"console=hvc0\","
			 "\"memory\":256,\"maxmem\":256,\"vcpus\":2,\"maxvcpus\":4,"
			 "\"cpus\":[\"1,2\",\"3\"],\"gic_version\":\"default\",\"vuart\":\"sbsa_uart\","
			 "\"on_poweroff\":\"preserve\",\"on_reboot\":\"rename-restart\","
			 "\"on_crash\":\"destroy\",\"disk\":[\"format=qcow2, vdev=xvda, access=ro, "
			 "target=/d\"],\"vif\":[\"mac=00:16:3e:00:00:02, bridge=br0, type=vif\"]}");
	json_object_put(cfg);
	json_object_put(doc);
	doc = json_tokener_parse("[{\"config\":{}},{\"config\":{}}]");
	ck_assert_int_eq(xljson_to_config(doc, &cfg, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "a list of 2 domains: give exactly one");
	json_object_put(doc);
	/* Older libxl kept the PV boot fields under "type.pv". */
	doc = json_tokener_parse("{\"c_info\":{\"type\":\"pv\",\"name\":\"old\"},\"b_info\":"
				 "{\"type.pv\":{\"kernel\":\"/k2\",\"cmdline\":\"ro\"}}}");
	ck_assert_int_eq(xljson_to_config(doc, &cfg, msg, sizeof(msg)), 0);
	ck_assert_str_eq(json_object_to_json_string_ext(cfg, JSON_C_TO_STRING_PLAIN |
								     JSON_C_TO_STRING_NOSLASHESCAPE),
			 "{\"name\":\"old\",\"type\":\"pv\",\"kernel\":\"/k2\",\"cmdline\":\"ro\"}");
	json_object_put(cfg);
	json_object_put(doc);
	doc = json_tokener_parse("{\"config\":{\"b_info\":{}}}");
	ck_assert_int_eq(xljson_to_config(doc, &cfg, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "no \"c_info\" object: not libxl's JSON for a domain");
	json_object_put(doc);
}
END_TEST

/* User-mode networking: <interface type='user'> with <portForward>, both ways. */
START_TEST(test_domxml_user_net_round_trip)
{
	static const char xml[] =
		"<domain type='xen'><name>u</name><os><kernel>/k</kernel></os><devices>"
		"<interface type='user'><mac address='00:16:3e:00:00:0a'/>"
		"<portForward proto='tcp'><range start='2222' to='22'/></portForward>"
		"<portForward proto='udp' address='127.0.0.1'><range start='53'/></portForward>"
		"</interface></devices></domain>";
	struct json_object *first = NULL, *second = NULL, *vif;
	char msg[512], *ignored = NULL, *out;

	ck_assert_msg(domxml_to_config(xml, &first, &ignored, msg, sizeof(msg)) == 0, "%s", msg);
	ck_assert_ptr_null(ignored);
	ck_assert(json_object_object_get_ex(first, "vif", &vif));
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(vif, 0)),
			 "mac=00:16:3e:00:00:0a, forward=tcp:2222:22, forward=udp:127.0.0.1:53:53");
	out = domxml_from_config(first, -1, msg, sizeof(msg));
	ck_assert_msg(out != NULL, "%s", msg);
	ck_assert_ptr_nonnull(strstr(out, "<interface type=\"user\">"));
	ck_assert_ptr_null(strstr(out, "ethernet"));
	ck_assert_ptr_nonnull(strstr(out, "<portForward proto=\"tcp\">"));
	ck_assert_ptr_nonnull(strstr(out, "<range start=\"2222\" to=\"22\"/>"));
	ck_assert_ptr_nonnull(strstr(out, "<portForward proto=\"udp\" address=\"127.0.0.1\">"));
	ck_assert_int_eq(domxml_to_config(out, &second, &ignored, msg, sizeof(msg)), 0);
	json_object_object_get_ex(second, "vif", &vif);
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(vif, 0)),
			 "mac=00:16:3e:00:00:0a, forward=tcp:2222:22, forward=udp:127.0.0.1:53:53");
	free(out);
	json_object_put(first);
	json_object_put(second);
}
END_TEST

/* A forward= that is not PROTO:[ADDR:]HOSTPORT:GUESTPORT cannot be written as <portForward>. */
START_TEST(test_domxml_bad_forward)
{
	struct json_object *cfg = json_tokener_parse(
		"{\"name\":\"u\",\"kernel\":\"/k\",\"vif\":[\"forward=tcp:22\"]}");
	char msg[256];

	ck_assert_ptr_null(domxml_from_config(cfg, -1, msg, sizeof(msg)));
	ck_assert_str_eq(msg, "vif 'forward=tcp:22': forward=tcp:22 is not "
			      "PROTO:[ADDRESS:]HOSTPORT:GUESTPORT");
	json_object_put(cfg);
}
END_TEST

/* libvirt XML -> CONFIG -> XML: the second XML reads back to the same CONFIG. */
START_TEST(test_domxml_round_trip)
{
	static const char xml[] =
		"<domain type='xen' id='4'><name>x</name>"
		"<uuid>3F2504E0-4F89-11D3-9A0C-0305E82C3301</uuid><title>t</title>"
		"<memory unit='GiB'>1</memory><currentMemory unit='KiB'>524288</currentMemory>"
		"<vcpu placement='static' current='2' cpuset='0-3,^1'>4</vcpu>"
		"<cputune><vcpupin vcpu='1' cpuset='2'/><shares>10</shares></cputune>"
		"<os><type arch='aarch64' machine='xenpvh'>xenpvh</type><kernel>/k</kernel>"
		"<initrd>/i</initrd><cmdline>a &amp; b</cmdline><dtb>/d</dtb><loader>/l</loader></os>"
		"<features><gic version='3'/><acpi/></features>"
		"<on_reboot>rename-restart</on_reboot>"
		"<metadata><c:domain xmlns:c='urn:cachet:domain:1.0'><c:cache_policy>s2-fault"
		"</c:cache_policy></c:domain></metadata>"
		"<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
		"<source file='/a.qcow2'/><target dev='xvda' bus='xen'/><readonly/></disk>"
		"<interface type='bridge'><mac address='00:16:3e:00:00:09'/><source bridge='br0'/>"
		"<model type='e1000'/></interface><serial type='pty'><target port='0'/></serial>"
		"<graphics type='vnc'/></devices></domain>";
	struct json_object *first = NULL, *second = NULL;
	char msg[512], *ignored = NULL, *ignored2 = NULL, *out;

	ck_assert_msg(domxml_to_config(xml, &first, &ignored, msg, sizeof(msg)) == 0, "%s", msg);
	ck_assert_str_eq(ignored, "<title>, <cputune/shares>, <os/loader>, <features/acpi>, "
				  "<devices/graphics>");
	ck_assert_str_eq(json_object_to_json_string_ext(first, JSON_C_TO_STRING_PLAIN |
								       JSON_C_TO_STRING_NOSLASHESCAPE),
			 "{\"name\":\"x\",\"uuid\":\"3F2504E0-4F89-11D3-9A0C-0305E82C3301\","
			 "\"maxmem\":1024,\"memory\":512,\"vcpus\":2,\"maxvcpus\":4,"
			 "\"cpus\":[\"all\",\"2\"],\"type\":\"pvh\",\"kernel\":\"/k\","
			 "\"ramdisk\":\"/i\",\"cmdline\":\"a & b\",\"device_tree\":\"/d\","
			 "\"gic_version\":\"v3\",\"on_reboot\":\"rename-restart\","
			 "\"cache_policy\":\"s2-fault\",\"disk\":[\"format=qcow2, vdev=xvda, "
			 "access=ro, backendtype=qdisk, target=/a.qcow2\"],\"vif\":[\"mac=00:16:3e:00:00:09, "
			 "bridge=br0, model=e1000, type=ioemu\"],\"vuart\":\"sbsa_uart\"}");
	out = domxml_from_config(first, 4, msg, sizeof(msg));
	ck_assert_msg(out != NULL, "%s", msg);
	ck_assert_ptr_nonnull(strstr(out, "<domain type=\"xen\" id=\"4\">"));
	ck_assert_ptr_nonnull(strstr(out, "<cmdline>a &amp; b</cmdline>"));
	ck_assert_int_eq(domxml_to_config(out, &second, &ignored2, msg, sizeof(msg)), 0);
	ck_assert_ptr_null(ignored2);
	/* The XML written spells out the default actions; otherwise it reads back the same. */
	json_object_object_add(first, "on_poweroff", json_object_new_string("destroy"));
	json_object_object_add(first, "on_crash", json_object_new_string("destroy"));
	ck_assert_msg(json_object_equal(first, second), "%s", json_object_to_json_string(second));
	free(out);
	free(ignored);
	json_object_put(first);
	json_object_put(second);
	ck_assert_int_eq(domxml_to_config("<domain type='xen'><name>x</name>", &first, &ignored,
					  msg, sizeof(msg)), -1);
	ck_assert_ptr_nonnull(strstr(msg, "not well-formed XML (line 1:"));
	ck_assert_int_eq(domxml_to_config("<dom/>", &first, &ignored, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "not a libvirt domain: the root element is not <domain>");
}
END_TEST

/* Each of the @n disk specs at @specs must parse into the libxl disk @want. */
static void tc_expect_disks(const char *const *specs, size_t n, const char *want)
{
	struct json_object *d;
	char msg[256];

	for (size_t i = 0; i < n; i++) {
		d = cfgdev_disk_parse(specs[i], msg, sizeof(msg));
		ck_assert_msg(d != NULL, "%s: %s", specs[i], msg);
		ck_assert_str_eq(json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN |
									   JSON_C_TO_STRING_NOSLASHESCAPE),
				 want);
		json_object_put(d);
	}
}

/* Each disk spec syntax gives the same libxl disk; bad specs say why. */
START_TEST(test_disk_and_vif_specs)
{
	static const char *const same[] = {
		"/dev/vg/guest-volume,,hda", "/dev/vg/guest-volume,raw,hda,rw",
		"format=raw, vdev=hda, access=rw, target=/dev/vg/guest-volume",
		"raw:/dev/vg/guest-volume,hda,w",
	};
	static const char *const cdroms[] = {
		"/root/image.iso,,hdc,cdrom", "/root/image.iso,,hdc,,cdrom",
		"/root/image.iso,raw,hdc,devtype=cdrom",
		"format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/root/image.iso",
		"raw:/root/image.iso,hdc:cdrom,ro",
	};
	struct json_object *d;
	char msg[256];

	tc_expect_disks(same, 4, "{\"pdev_path\":\"/dev/vg/guest-volume\",\"vdev\":\"hda\","
				"\"format\":\"raw\",\"readwrite\":1}");
	tc_expect_disks(cdroms, 5, "{\"pdev_path\":\"/root/image.iso\",\"vdev\":\"hdc\","
				   "\"format\":\"raw\",\"readwrite\":0,\"is_cdrom\":1,\"removable\":1}");
	ck_assert_ptr_null(cfgdev_disk_parse("/x,raw", msg, sizeof(msg)));
	ck_assert_str_eq(msg, "no vdev (the guest's name for the disk)");
	ck_assert_ptr_null(cfgdev_disk_parse("/x,,xvda,rx", msg, sizeof(msg)));
	ck_assert_str_eq(msg, "access 'rx' is not r, ro, w or rw");
	ck_assert_ptr_null(cfgdev_disk_parse("/x,,xvda,w,colour=red", msg, sizeof(msg)));
	ck_assert_str_eq(msg, "invalid parameter 'colour=red'");
	ck_assert_ptr_null(cfgdev_vif_parse("mac=00:16:3e:00:00", msg, sizeof(msg)));
	ck_assert_str_eq(msg, "invalid parameter 'mac=00:16:3e:00:00'");
	ck_assert_ptr_null(cfgdev_vif_parse("bridge", msg, sizeof(msg)));
	ck_assert_str_eq(msg, "'bridge' is not KEY=VALUE");
	d = cfgdev_vif_parse(" bridge=br0 , mtu=1500,vifname=v1", msg, sizeof(msg));
	ck_assert_str_eq(json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN),
			 "{\"bridge\":\"br0\",\"mtu\":1500,\"ifname\":\"v1\"}");
	json_object_put(d);
	tc_expect_error(BASE "disk = 'a,,xvda'\n", ":3: disk: expected a list of device specs, "
			"got a string");
	tc_expect_error(BASE "vif = [ 'bridge' ]\n", ":3: vif: 'bridge': 'bridge' is not KEY=VALUE");
}
END_TEST
END_TEST

/* ---- Through the CLI ---------------------------------------------------- */

START_TEST(test_create_dry_run_prints_config)
{
	struct cli_result r;
	struct json_object *obj, *v;

	free(tmp_file_write(tc_dir, "guest.cfg", BASE "memory = 128\n"));
	CLI_RUN(&r, NULL, "create", "-n", tc_cfg_path, "memory=256", "vcpus=3");
	ck_assert_msg(r.status == 0, "stderr: %s", r.err);
	obj = json_tokener_parse(r.out);
	ck_assert_ptr_nonnull(obj);
	/* As `xl create -n`: libxl's domain config, and the CONFIG under "cachet". */
	ck_assert_int_eq(json_object_get_int(json_at(obj, "config.b_info.target_memkb")), 256 * 1024);
	v = json_at(obj, "config.b_info.avail_vcpus");
	ck_assert_int_eq((int)json_object_array_length(v), 3);
	ck_assert_int_eq(json_object_get_int(json_at(obj, "cachet.config.memory")), 256);
	ck_assert_int_eq(json_object_get_int(json_at(obj, "cachet.config.vcpus")), 3);
	json_object_put(obj);
	cli_result_free(&r);
}
END_TEST

START_TEST(test_create_config_error_exits_1)
{
	struct cli_result r;
	char *want;

	free(tmp_file_write(tc_dir, "guest.cfg", BASE "memory = 1\n"));
	ck_assert_int_ge(asprintf(&want, "cachet: %s:3: memory: must be between 16 and 1043456 MiB "
					 "(got 1)\n",
				  tc_cfg_path),
			 0);
	CLI_RUN(&r, NULL, "create", tc_cfg_path);
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.out, "");
	ck_assert_ptr_nonnull(strstr(r.err, want));
	free(want);
	cli_result_free(&r);
}
END_TEST

static Suite *cfg_suite(void)
{
	Suite *s = suite_create("cli_cfg");
	TCase *syn = tcase_create("syntax"), *err = tcase_create("errors");
	TCase *path = tcase_create("paths"), *ovr = tcase_create("overrides");
	TCase *rt = tcase_create("round trips");

	tcase_add_checked_fixture(syn, tc_setup, tc_teardown);
	tcase_add_checked_fixture(err, tc_setup, tc_teardown);
	tcase_add_checked_fixture(path, tc_setup, tc_teardown);
	tcase_add_checked_fixture(ovr, tc_setup, tc_teardown);
	tcase_add_test(syn, test_minimal_config);
	tcase_add_test(syn, test_every_supported_key);
	tcase_add_test(syn, test_every_cache_policy);
	tcase_add_test(syn, test_comments_blank_lines_and_semicolons);
	tcase_add_test(syn, test_crlf_line_endings);
	tcase_add_test(syn, test_quoting_and_escapes);
	tcase_add_test(syn, test_list_spanning_lines_with_comments);
	tcase_add_test(syn, test_list_error_reports_its_own_line);
	tcase_add_test(syn, test_list_unterminated_reports_opening_line);
	tcase_add_test(syn, test_list_where_a_string_is_expected);
	tcase_add_test(syn, test_nested_list);
	tcase_add_test(syn, test_cpus_syntax_is_checked);
	tcase_add_test(err, test_unknown_key);
	tcase_add_test(err, test_disk_keys_not_honoured_warned);
	tcase_add_test(err, test_duplicate_key);
	tcase_add_test(err, test_malformed_lines);
	tcase_add_test(err, test_unquoted_string);
	tcase_add_test(err, test_unterminated_strings);
	tcase_add_test(err, test_invalid_escapes);
	tcase_add_test(err, test_strings_must_be_utf8);
	tcase_add_test(err, test_bad_integers);
	tcase_add_test(err, test_type_errors);
	tcase_add_test(err, test_memory_range);
	tcase_add_test(err, test_vcpus_range);
	tcase_add_test(err, test_name_syntax);
	tcase_add_test(err, test_name_is_valid);
	tcase_add_test(err, test_missing_required_keys);
	tcase_add_test(err, test_actions);
	tcase_add_test(err, test_bad_cache_policy);
	tcase_add_test(err, test_device_tree_maxmem_maxvcpus);
	tcase_add_test(err, test_config_file_problems);
	tcase_add_test(path, test_paths_relative_to_config_not_cwd);
	tcase_add_test(path, test_paths_of_a_config_named_relatively);
	tcase_add_test(path, test_absolute_path_kept);
	tcase_add_test(path, test_missing_path_named);
	tcase_add_test(path, test_path_not_a_file);
	tcase_add_test(ovr, test_override_replaces_file_value);
	tcase_add_test(ovr, test_override_errors_name_the_argument);
	tcase_add_test(ovr, test_override_appends);
	tcase_add_test(ovr, test_overrides_alone_resolve_paths_from_cwd);
	tcase_add_test(ovr, test_overrides_alone_missing_kernel);
	tcase_add_test(ovr, test_create_dry_run_prints_config);
	tcase_add_test(ovr, test_create_config_error_exits_1);
	tcase_add_checked_fixture(rt, tc_setup, tc_teardown);
	tcase_add_test(rt, test_xl_text_round_trip);
	tcase_add_test(rt, test_libxl_json_round_trip);
	tcase_add_test(rt, test_libxl_json_from_xl);
	tcase_add_test(rt, test_disk_and_vif_specs);
	tcase_add_test(rt, test_domxml_round_trip);
	tcase_add_test(rt, test_domxml_user_net_round_trip);
	tcase_add_test(rt, test_domxml_bad_forward);
	suite_add_tcase(s, rt);
	suite_add_tcase(s, syn);
	suite_add_tcase(s, err);
	suite_add_tcase(s, path);
	suite_add_tcase(s, ovr);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cfg_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
