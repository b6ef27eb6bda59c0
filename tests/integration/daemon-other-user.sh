#!/bin/sh
# Another local user cannot get at cachetd's machine: the state directory
# must be cachetd's own, nothing in it is opened through a link, the RAM file
# sits in a directory only cachetd's user can enter, and the socket checks
# its peer's credentials (the read-only socket lets anyone look, not touch).
. "$(dirname "$0")/daemon-lib.sh"
other_user_setup
command -v socat >/dev/null 2>&1 || skip "socat not found"
# The other user must be able to reach the sockets: keep them out of a private home.
TMPBASE=$(mktemp -d /tmp/cachet-other-user.XXXXXX)
chmod 0755 "$TMPBASE"
CACHET_STATE_DIR=$TMPBASE/state
export CACHET_STATE_DIR
ITEST_CONSOLE="$CACHET_STATE_DIR/hypervisor.log"
trap 'daemon_stop; rm -rf "$TMPBASE"' EXIT
as_other test -x "$CACHET_BIN" || skip "$OTHER_USER cannot run $CACHET_BIN (build tree not reachable)"

# rpc SOCKET LINE: one request as the other user, the answer line.
rpc_other() {
	printf '%s\n' "$2" | as_other timeout 10 socat -t 5 - "UNIX-CONNECT:$1" 2>&1
}

refused() { # refused WHAT REGEX: cachetd must not start, saying REGEX
	out=$(daemon_run --cpus 1 --memory 256 2>&1) && fail "$1: cachetd started"
	printf '%s\n' "$out" | grep -q -- "$2" || fail "$1: unexpected message: $out"
}

# 1. A state directory others can write, or that another user owns, is refused.
mkdir -p "$CACHET_STATE_DIR"
chmod 0777 "$CACHET_STATE_DIR"
refused "mode 0777" "writable by every user"
chmod 0775 "$CACHET_STATE_DIR"
refused "mode 0775" "writable by its group"
chmod 0755 "$CACHET_STATE_DIR"
chown "$OTHER_USER" "$CACHET_STATE_DIR"
refused "owned by $OTHER_USER" "belongs to uid $OTHER_UID"
chown root "$CACHET_STATE_DIR"
mkdir -p "$CACHET_STATE_DIR/console"
chmod 0777 "$CACHET_STATE_DIR/console"
refused "console/ mode 0777" "console is writable by every user"
chmod 0700 "$CACHET_STATE_DIR/console"

# 2. Links planted in the state directory are not followed.
printf 'precious\n' >"$TMPBASE/target"
for f in cachetd.log qemu.log cachetd.pid; do
	ln -s "$TMPBASE/target" "$CACHET_STATE_DIR/$f"
	refused "$f a symbolic link" "symbolic link"
	rm -f "$CACHET_STATE_DIR/$f"
	[ "$(cat "$TMPBASE/target")" = precious ] || fail "$f: the link's target was written"
done

# 3. A 0755 directory (as mkdir -p makes it) is fine.
CACHETD_ARGS=--ro-socket
export CACHETD_ARGS
daemon_run --cpus 2 --memory 512 || fail "cachetd did not start in a 0755 state directory"
cachet create "$GUESTS/idle.cfg" >/dev/null 2>&1 || fail "create idle"

# 4. The RAM file is the daemon's alone, in a directory only it can enter.
ram=$(sed -n 's/.*"ram_path": *"\([^"]*\)".*/\1/p' "$CACHET_STATE_DIR/platform.json")
[ -f "$ram" ] || fail "no RAM file recorded in platform.json"
qemu=$(sed -n '/"qemu"/,/}/s/.*"pid": *\([0-9]*\).*/\1/p' "$CACHET_STATE_DIR/platform.json")
tr '\0' '\n' <"/proc/$qemu/cmdline" | grep -q "mem-path=$ram," || fail "QEMU does not use $ram"
[ "$(stat -c '%u %a' "$ram")" = "0 600" ] || fail "RAM file: $(stat -c '%U %a' "$ram")"
[ "$(stat -c '%u %a' "$(dirname "$ram")")" = "0 700" ] ||
	fail "RAM directory: $(stat -c '%U %a' "$(dirname "$ram")")"
as_other dd if="$ram" of=/dev/null bs=4096 count=1 2>/dev/null && fail "$OTHER_USER read the RAM file"
as_other ls "$(dirname "$ram")" >/dev/null 2>&1 && fail "$OTHER_USER listed the RAM directory"

# 5. The main socket: the file mode keeps others out, and so does the peer check
#    when the mode is loosened by mistake.
list='{"jsonrpc":"2.0","id":1,"method":"list"}'
rpc_other "$CACHET_STATE_DIR/cachetd.sock" "$list" | grep -q '"result"' &&
	fail "$OTHER_USER listed domains through the 0600 socket"
chmod 0666 "$CACHET_STATE_DIR/cachetd.sock"
out=$(rpc_other "$CACHET_STATE_DIR/cachetd.sock" "$list")
printf "%s\n" "$out" | grep -q "permission denied: your user may not use cachetd" ||
	fail "peer check: $OTHER_USER got: $out"
out=$(as_other "$CACHET_BIN" destroy idle 2>&1) && fail "$OTHER_USER destroyed idle"
printf '%s\n' "$out" | grep -q "permission denied" || fail "CLI as $OTHER_USER: $out"
cachet list | grep -q '^idle ' || fail "idle is gone"

# 6. The read-only socket: anyone may look, nobody may touch.
ro="$CACHET_STATE_DIR/cachetd-ro.sock"
rpc_other "$ro" "$list" | grep -q '"name":"idle"' || fail "read-only socket: list failed"
out=$(rpc_other "$ro" '{"jsonrpc":"2.0","id":2,"method":"destroy","params":{"domain":"idle"}}')
printf '%s\n' "$out" | grep -q 'destroy is not allowed on the read-only socket' ||
	fail "read-only socket: destroy answered: $out"
out=$(rpc_other "$ro" '{"jsonrpc":"2.0","id":3,"method":"console_read","params":{"domain":"idle"}}')
printf '%s\n' "$out" | grep -q 'not allowed on the read-only socket' ||
	fail "read-only socket: console_read answered: $out"

# 7. Connections are limited per user: another user's 140 idle ones lock nobody else out.
i=0
while [ "$i" -lt 140 ]; do
	as_other sh -c "sleep 8 | socat -u - UNIX-CONNECT:$CACHET_STATE_DIR/cachetd.sock" \
		>/dev/null 2>&1 &
	i=$((i + 1))
done
sleep 2
cachet list | grep -q '^idle ' || fail "$OTHER_USER's idle connections locked the owner out"
cachet destroy idle || fail "destroy idle as its owner"
pass "state directory checked, links refused, RAM file private, peer credentials and per-user limits enforced"
