/*
 * The virtio devices a configuration gives a guest (daemon/vdev/devcfg.c):
 * xl's disk names number the disks, which come in letter order, then the
 * entropy device unless rng = 0; formats are qemu-nbd's names; two names
 * for one disk, partitions, cdroms, other transports and more devices than
 * SPIs are refused with a message naming the disk.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "vdev/devcfg.h"

static struct config_limits lim = { 3072, 8, 4, false };
static struct dom_config cfg;
static struct devcfg devs;
static char msg[512];

static int get(const char *disks, const char *extra)
{
	char json[4096];
	struct rpc_error err = { 0, "" };
	struct json_object *o;
	int rc;

	snprintf(json, sizeof(json), "{\"name\":\"g\",\"kernel\":\"/boot/Image\",\"disk\":[%s]%s}",
		 disks, extra);
	o = json_tokener_parse(json);
	ck_assert_ptr_nonnull(o);
	ck_assert_msg(config_parse(o, &lim, &cfg, &err) == 0, "%s: %s", json, err.message);
	json_object_put(o);
	msg[0] = '\0';
	rc = devcfg_get(&cfg, &devs, msg, sizeof(msg));
	config_free(&cfg);
	return rc;
}

static void expect_refused(const char *disks, const char *what)
{
	ck_assert_msg(get(disks, "") < 0, "%s accepted", disks);
	ck_assert_msg(strstr(msg, what) != NULL, "'%s' lacks '%s'", msg, what);
}

START_TEST(test_disks_in_letter_order_then_rng)
{
	ck_assert_int_eq(get("\"/b,qcow2,xvdb,r\", \"/a,raw,xvda,w\", \"format=vhd, vdev=sdc, "
			     "target=/c\"", ""), 0);
	ck_assert_uint_eq(devs.n, 4);
	ck_assert_str_eq(devs.dev[0].vdev, "xvda");
	ck_assert_str_eq(devs.dev[0].target, "/a");
	ck_assert_str_eq(devs.dev[0].format, "raw");
	ck_assert(!devs.dev[0].readonly);
	ck_assert_uint_eq(devs.dev[0].vdev_number, 51712);
	ck_assert_str_eq(devs.dev[1].vdev, "xvdb");
	ck_assert(devs.dev[1].readonly);
	ck_assert_str_eq(devs.dev[1].format, "qcow2");
	ck_assert_uint_eq(devs.dev[1].vdev_number, 51728);
	ck_assert_str_eq(devs.dev[2].format, "vpc"); /* qemu's name for vhd */
	ck_assert_uint_eq(devs.dev[2].vdev_number, (8u << 8) | (2u << 4));
	ck_assert_int_eq(devs.dev[3].kind, DEVCFG_RNG);
}
END_TEST

START_TEST(test_rng_off_and_no_disks)
{
	ck_assert_int_eq(get("", ",\"rng\":0"), 0);
	ck_assert_uint_eq(devs.n, 0);
	ck_assert_int_eq(get("", ""), 0);
	ck_assert_uint_eq(devs.n, 1);
	ck_assert_int_eq(get("\"/h,raw,hdc\"", ",\"rng\":0"), 0);
	ck_assert_uint_eq(devs.n, 1);
	ck_assert_uint_eq(devs.dev[0].vdev_number, 22u << 8); /* hdc: second IDE controller */
}
END_TEST

START_TEST(test_bad_disks_refused)
{
	expect_refused("\"/a,raw,xvda\", \"/b,raw,sda\"", "disk sda: names the same disk as xvda");
	expect_refused("\"/a,raw,xvda1\"", "disk xvda1: not a whole-disk name");
	expect_refused("\"/a,raw,hde\"", "disk hde: not a whole-disk name");
	expect_refused("\"/a,raw,hdc:cdrom\"", "disk hdc: cdrom devices are not supported");
	expect_refused("\"/a,raw,xvda,w\", \"vdev=xvdb, transport=mmio, target=/b\", "
		       "\"/c,raw,xvdc\", \"/d,raw,xvdd\", \"/e,raw,xvde\", \"/f,raw,xvdf\", "
		       "\"/g,raw,xvdg\", \"/h,raw,xvdh\", \"/i,raw,xvdi\", \"/j,raw,xvdj\", "
		       "\"/k,raw,xvdk\"", "11 disks and 0 vifs and the rng: at most 11 virtio devices");
}
END_TEST

static Suite *devcfg_suite(void)
{
	Suite *s = suite_create("daemon_devcfg");
	TCase *tc = tcase_create("devcfg");

	tcase_add_test(tc, test_disks_in_letter_order_then_rng);
	tcase_add_test(tc, test_rng_off_and_no_disks);
	tcase_add_test(tc, test_bad_disks_refused);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(devcfg_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
