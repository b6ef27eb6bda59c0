#!/bin/sh
# Boots the hypervisor on 2 pCPU(s) of the QEMU virt board and checks that
# every CPU comes online once with its MMU on and that boot completes.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
check_smp_boot 2
