/*
 * The command table: every subcommand, its usage and its help, in the order
 * `cachet --help` lists them.  Help output is generated from this table only.
 */
#include "cli.h"

const struct cli_cmd cli_cmds[] = {
	{ "create", cmd_create, "[-c] [-p] [-n] [CFG] [KEY=VALUE...]",
	  "Create a domain from an xl.cfg-style configuration file.\n"
	  "\n"
	  "CFG may also be libxl's JSON (`cachet list -l` or `xl list -l` output)\n"
	  "or libvirt domain XML; the format is told by content.\n"
	  "Reads CFG (see cachet.cfg(5)), applies the KEY=VALUE settings given after it\n"
	  "(they replace the file's; strings must be quoted, as in the file:\n"
	  "name='\"web\"'), and asks cachetd to build and boot the domain.  Relative\n"
	  "paths in CFG are relative to the directory of CFG.\n"
	  "\n"
	  "  -c  attach to the domain's console once it is created\n"
	  "  -p  leave the domain paused (start it with `cachet unpause`)\n"
	  "  -n  dry run: print the domain's configuration as libxl's JSON (as\n"
	  "      `xl create -n`), with Cachet's own form under \"cachet\"" },
	{ "dtb", cmd_dtb, "-o FILE [CFG] [KEY=VALUE...]",
	  "Write the device tree Cachet's builder would generate for a configuration.\n"
	  "\n"
	  "Reads CFG and the settings as `cachet create` does and asks cachetd for the\n"
	  "flattened device tree a domain of that configuration would boot with (as\n"
	  "libxl makes one for Xen), without creating anything: for programs that\n"
	  "build domains themselves (libcachet-xen(7)).\n"
	  "\n"
	  "  -o FILE  where to write the DTB" },
	{ "list", cmd_list, "[-l] [DOMAIN...]",
	  "List domains.\n"
	  "\n"
	  "Shows name, id, memory (MiB), vCPUs, state (r running, p paused,\n"
	  "s shut down, c crashed) and CPU time, like `xl list`.\n"
	  "\n"
	  "  -l  print the domains as libxl's JSON, like `xl list -l`; what Cachet\n"
	  "      adds (its configuration, state, cache policy) is under \"cachet\"" },
	{ "domid", cmd_domid, "DOMAIN",
	  "Print the id of the domain with that name or UUID (as `xl domid`)." },
	{ "domname", cmd_domname, "DOMID",
	  "Print the name of the domain with that id or UUID (as `xl domname`)." },
	{ "dumpxml", cmd_dumpxml, "DOMAIN",
	  "Print a domain's libvirt domain XML (as `virsh dumpxml`).\n"
	  "\n"
	  "The document has the domain's id, name, UUID, memory, vCPUs, kernel, the\n"
	  "on_* actions and its devices; `cachet create` takes it back." },
	{ "domxml-from-native", cmd_domxml_from_native, "xen-xl FILE",
	  "Convert an xl.cfg file (or libxl's JSON) to libvirt domain XML.\n"
	  "\n"
	  "As `virsh domxml-from-native xen-xl`.  The file is checked as `create -n`\n"
	  "checks it (warnings on standard error) but paths are kept as written." },
	{ "domxml-to-native", cmd_domxml_to_native, "xen-xl FILE",
	  "Convert libvirt domain XML to xl.cfg.\n"
	  "\n"
	  "As `virsh domxml-to-native xen-xl`.  Elements Cachet cannot honour are\n"
	  "named in a warning on standard error; paths are kept as written." },
	{ "config-dump", cmd_config_dump, "[-j] FILE",
	  "Print a configuration (xl.cfg, libxl's JSON or libvirt XML) as xl.cfg.\n"
	  "\n"
	  "Every key is written back, the ignored ones too, so that reading the\n"
	  "output gives the same configuration; paths are kept as written.\n"
	  "\n"
	  "  -j  write libxl's JSON instead, as `create -n` prints it" },
	{ "console", cmd_console, "DOMAIN",
	  "Attach to a domain's console.\n"
	  "\n"
	  "Prints the domain's console output from the start of what cachetd kept,\n"
	  "until the domain is gone.  When standard input is a terminal, keys typed\n"
	  "are sent to the domain and Ctrl+] detaches." },
	{ "pause", cmd_pause, "DOMAIN",
	  "Pause a domain: its vCPUs stop running, its memory is kept." },
	{ "unpause", cmd_unpause, "DOMAIN", "Let a paused domain run again." },
	{ "shutdown", cmd_shutdown, "[-w] DOMAIN",
	  "Ask a domain's guest to power off.\n"
	  "\n"
	  "The request reaches the guest on its console (a serial BREAK and SysRq 'o'),\n"
	  "which Linux answers by powering off; a guest that ignores it keeps running.\n"
	  "What happens next is the domain's on_poweroff (default: destroy).\n"
	  "\n"
	  "  -w  wait until cachetd has dealt with the domain (gone, restarted or\n"
	  "      preserved), for as long as that takes" },
	{ "reboot", cmd_reboot, "DOMAIN",
	  "Ask a domain's guest to reboot.\n"
	  "\n"
	  "As shutdown, with SysRq 'b'.  What happens next is the domain's on_reboot\n"
	  "(default: restart, the same configuration built again under the same name,\n"
	  "its console output continuing where it was)." },
	{ "destroy", cmd_destroy, "DOMAIN",
	  "Stop a domain at once and free its memory, without asking the guest." },
	{ "info", cmd_info, "",
	  "Show the hypervisor and the host: versions, physical CPUs, memory." },
	{ "dmesg", cmd_dmesg, "", "Print the hypervisor's log." },
	{ "cache-stats", cmd_cache_stats, "DOMAIN",
	  "Show a domain's per-vCPU cache-maintenance counters.\n"
	  "\n"
	  "One row per counter (trapped VM control register writes, set/way\n"
	  "operations, HCR_EL2.DC/TVM changes, flushes to the PoC), one column per vCPU." },
	{ "dev-stats", cmd_dev_stats, "DOMAIN",
	  "Show a domain's virtio devices and their counters.\n"
	  "\n"
	  "One row per device: its index (window and SPI), type, name, state\n"
	  "(running, stopped, needs-reset), requests served, bytes read from and\n"
	  "written to the backend, requests that failed, queue notifications from the\n"
	  "guest, interrupts raised, and times the device was marked NEEDS_RESET." },
	{ "block-list", cmd_block_list, "DOMAIN",
	  "List a domain's virtual disks, as `xl block-list` does.\n"
	  "\n"
	  "Vdev is xl's device number (51712 for xvda), handle the domain's id, state\n"
	  "4 while the guest's driver runs the disk (1 before), evt-ch the disk's SPI\n"
	  "(Cachet has no event channels), ring-ref -1, BE-path the image." },
	{ "block-attach", cmd_block_attach, "DOMAIN DISKSPEC",
	  "Refused: virtio-mmio has no hot-plug.  Give the disk in the domain's\n"
	  "disk = [ ... ] and create the domain again." },
	{ "block-detach", cmd_block_attach, "DOMAIN VDEV",
	  "Refused: virtio-mmio has no hot-plug (see block-attach)." },
	{ "network-list", cmd_network_list, "DOMAIN...",
	  "List domains' virtual network interfaces, as `xl network-list` does.\n"
	  "\n"
	  "Idx and handle are the vif's index in the domain's vif = [ ... ], Mac Addr.\n"
	  "its MAC address, state 4 while the guest's driver runs the device (1\n"
	  "before), evt-ch its SPI (Cachet has no event channels), ring-refs -1,\n"
	  "BE-path \"slirp\" for user-mode networking or BRIDGE/TAP for a bridge." },
	{ "network-attach", cmd_network_attach, "DOMAIN VIFSPEC",
	  "Refused: virtio-mmio has no hot-plug.  Give the vif in the domain's\n"
	  "vif = [ ... ] and create the domain again." },
	{ "network-detach", cmd_network_attach, "DOMAIN DEVID|MAC",
	  "Refused: virtio-mmio has no hot-plug (see network-attach)." },
	{ "vcpu-list", cmd_vcpu_list, "[DOMAIN...]",
	  "List the vCPUs of every domain, or of the domains given.\n"
	  "\n"
	  "Shows, like `xl vcpu-list`, each vCPU's physical CPU, state (r runnable,\n"
	  "b blocked, p offline), CPU time and hard affinity as a CPU list." },
	{ "vcpu-pin", cmd_vcpu_pin, "DOMAIN VCPU|all CPUS",
	  "Set the physical CPUs a domain's vCPU (or all of them) may run on.\n"
	  "\n"
	  "CPUS is a CPU list as in cachet.cfg(5): \"all\", \"0-3\", \"0-3,5,^1\" (^\n"
	  "removes CPUs).  The pin lasts as long as the domain: a restart applies the\n"
	  "configuration's cpus= again." },
	{ "events", cmd_events, "[-l] [-t SECS]",
	  "Print domain lifecycle events as they happen (as `virsh event --all`).\n"
	  "\n"
	  "One line per event, in virsh's words, with the domain id and Cachet's\n"
	  "detail: created (Defined Added), started (Started Booted), paused,\n"
	  "resumed, shutdown with its reason, crashed, rebooted (event 'reboot'),\n"
	  "destroyed (Stopped Destroyed).\n"
	  "\n"
	  "  -l       keep printing events (without it: the first one, then exit)\n"
	  "  -t SECS  stop after SECS seconds" },
	{ "help", cmd_help, "[COMMAND]", "Show the list of commands, or a command's help." },
};

const unsigned int cli_ncmds = sizeof(cli_cmds) / sizeof(cli_cmds[0]);
