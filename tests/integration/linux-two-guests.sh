#!/bin/sh
# Two Linux guests at the same time both reach userspace.
. "$(dirname "$0")/linux-lib.sh"
linux_assets
daemon_start 4 1024
linux_cfg linux-a 1 '' >"$CACHET_STATE_DIR/a.cfg"
linux_cfg linux-b 2 '' >"$CACHET_STATE_DIR/b.cfg"
cachet create "$CACHET_STATE_DIR/a.cfg" >/dev/null 2>&1 || fail "create linux-a"
cachet create "$CACHET_STATE_DIR/b.cfg" >/dev/null 2>&1 || fail "create linux-b"
linux_wait linux-a "^CACHET-LINUX-UP uname=$LINUX_KVER cpus=1$" || fail "linux-a did not come up"
linux_wait linux-b "^CACHET-LINUX-UP uname=$LINUX_KVER cpus=2$" || fail "linux-b did not come up"
running() { [ "$(cachet list | grep -c -E '^linux-[ab] .* r')" = 2 ]; }
wait_for running || fail "both guests not running: $(cachet list)"
cachet destroy linux-a || fail "destroy linux-a"
cachet destroy linux-b || fail "destroy linux-b"
pass "two Linux guests ran at the same time"
