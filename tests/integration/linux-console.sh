#!/bin/sh
# An interactive console: a command typed into the guest's shell runs and
# its output comes back; `cachet shutdown` then powers the guest off.
. "$(dirname "$0")/linux-lib.sh"
command -v socat >/dev/null 2>&1 || skip "socat is not installed"
linux_assets
daemon_start 4 1024
linux_cfg shell 1 '' >"$CACHET_STATE_DIR/s.cfg"
cachet create "$CACHET_STATE_DIR/s.cfg" >/dev/null 2>&1 || fail "create shell"
linux_wait shell '^CACHET-SHELL' || fail "no shell on the console"
sleep 1
word="typed-$$"
req=$(printf '{"jsonrpc":"2.0","id":1,"method":"console_write","params":{"domain":"shell","data":"echo %s-$((6*7))\\n"}}' "$word")
printf '%s\n' "$req" | timeout 10 socat -t 5 - "UNIX-CONNECT:$CACHET_STATE_DIR/cachetd.sock" |
	grep -q '"accepted"' || fail "console_write was not accepted"
linux_wait shell "^$word-42\$" 60 || fail "the typed command's output never came back"
cachet shutdown shell || fail "cachet shutdown failed"
gone() { ! cachet list | grep -q '^shell '; }
wait_for gone || fail "the guest did not power off after cachet shutdown"
pass "typed a command into the guest's shell and read its output; shutdown powered it off"
