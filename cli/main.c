/*
 * cachet: the xl-like command-line tool of Cachet, a client of cachetd.
 */
#include <stdio.h>

#include "cli.h"

int main(int argc, char **argv)
{
	struct cli_ctx ctx;
	int ret;

	cli_ctx_init(&ctx);
	ret = cli_main(&ctx, argc, argv);
	/* Output that never reached its destination (a full disk) is a failure. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, CLI_PROG ": writing output failed\n");
		if (ret == CLI_OK)
			ret = CLI_FAIL;
	}
	return ret;
}
