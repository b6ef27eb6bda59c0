/*
 * A libxc client: destroys the domains named on the command line, as
 * `xl destroy` does (xc_domain_destroy; the memory returns to the host).
 *   xc-destroy DOMID...
 */
#include <stdio.h>
#include <stdlib.h>

#include <xenctrl.h>

int main(int argc, char **argv)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);
	int rc = 0;

	if (!xch || argc < 2)
		return 2;
	for (int i = 1; i < argc; i++)
		if (xc_domain_destroy(xch, (uint32_t)strtoul(argv[i], NULL, 0)) != 0)
			rc = 1;
	xc_interface_close(xch);
	return rc;
}
