/*
 * Error paths of the libxc layer, each checked for libxc's return value,
 * errno and last-error code, and for leaving nothing behind (the host's
 * free memory and domain count are the same at the end).
 *   xc-errors NOT_A_KERNEL_FILE
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <xenctrl.h>
#include <xenguest.h>

static int failures;

static void expect(const char *what, int rc, int want_errno, xc_interface *xch, int want_code)
{
	const xc_error *e = xc_get_last_error(xch);
	int err = errno;

	if (rc != -1 || err != want_errno || (int)e->code != want_code) {
		printf("FAIL: %s: rc %d errno %d (%s) code %d, want -1 errno %d code %d\n", what, rc,
		       err, strerror(err), (int)e->code, want_errno, want_code);
		failures++;
		return;
	}
	printf("ok: %s: %s [%s]\n", what, strerror(err), e->message);
	xc_clear_last_error(xch);
}

static void base_config(struct xen_domctl_createdomain *c)
{
	memset(c, 0, sizeof(*c));
	c->flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
	c->max_vcpus = 1;
	c->arch.gic_version = XEN_DOMCTL_CONFIG_GIC_NATIVE;
}

static void check_create(xc_interface *xch)
{
	struct xen_domctl_createdomain c;
	uint32_t domid = 0;

	base_config(&c);
	c.arch.gic_version = XEN_DOMCTL_CONFIG_GIC_V2;
	expect("GICv2", xc_domain_create(xch, &domid, &c), EOPNOTSUPP, xch, XC_INVALID_PARAM);
	base_config(&c);
	c.max_vcpus = 0;
	expect("zero vCPUs", xc_domain_create(xch, &domid, &c), EINVAL, xch, XC_INVALID_PARAM);
	base_config(&c);
	c.flags = XEN_DOMCTL_CDF_hvm;
	expect("no HAP", xc_domain_create(xch, &domid, &c), EINVAL, xch, XC_INVALID_PARAM);
}

/* A domain that exists, for the calls that need one; destroyed by the caller. */
static uint32_t make_domain(xc_interface *xch)
{
	struct xen_domctl_createdomain c;
	uint32_t domid = 0;

	base_config(&c);
	if (xc_domain_create(xch, &domid, &c) != 0 || xc_domain_setmaxmem(xch, domid, 65536) != 0) {
		printf("FAIL: cannot create a domain: %s\n", strerror(errno));
		failures++;
	}
	return domid;
}

static void check_not_a_kernel(xc_interface *xch, const char *path)
{
	uint32_t domid = make_domain(xch);
	struct xc_dom_image *dom = xc_dom_allocate(xch, NULL, NULL);
	int rc = xc_dom_kernel_file(dom, path);

	if (rc == 0)
		rc = xc_dom_boot_xen_init(dom, xch, domid);
	if (rc == 0)
		rc = xc_dom_parse_image(dom);
	expect("not a kernel", rc, EINVAL, xch, XC_INVALID_KERNEL);
	xc_dom_release(dom);
	xc_domain_destroy(xch, domid);
}

static void check_domids(xc_interface *xch)
{
	uint32_t domid;

	expect("unknown domid (pause)", xc_domain_pause(xch, 4000), ESRCH, xch, XC_INVALID_PARAM);
	expect("unknown domid (destroy)", xc_domain_destroy(xch, 4000), ESRCH, xch,
	       XC_INVALID_PARAM);
	domid = make_domain(xch);
	if (xc_domain_unpause(xch, domid) != 0) {
		printf("FAIL: first unpause: %s\n", strerror(errno));
		failures++;
	}
	expect("second unpause", xc_domain_unpause(xch, domid), EINVAL, xch, XC_INVALID_PARAM);
	if (xc_domain_destroy(xch, domid) != 0) {
		printf("FAIL: destroy: %s\n", strerror(errno));
		failures++;
	}
	expect("destroyed domid", xc_domain_pause(xch, domid), ESRCH, xch, XC_INVALID_PARAM);
}

int main(int argc, char **argv)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);
	xc_domaininfo_t info[8];
	xc_physinfo_t before, after;
	int n0, n1;

	if (argc != 2 || !xch || xc_physinfo(xch, &before) != 0)
		return 2;
	n0 = xc_domain_getinfolist(xch, 0, 8, info);
	check_create(xch);
	check_not_a_kernel(xch, argv[1]);
	check_domids(xch);
	n1 = xc_domain_getinfolist(xch, 0, 8, info);
	if (xc_physinfo(xch, &after) != 0 || after.free_pages != before.free_pages || n0 != n1) {
		printf("FAIL: leak: %d domains and %llu free pages before, %d and %llu after\n", n0,
		       (unsigned long long)before.free_pages, n1,
		       (unsigned long long)after.free_pages);
		failures++;
	}
	xc_interface_close(xch);
	printf("%s\n", failures ? "RESULT: FAIL" : "RESULT: PASS");
	return failures ? 1 : 0;
}
