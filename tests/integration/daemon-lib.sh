# shellcheck shell=sh
# Harness for tests that drive cachetd with the cachet CLI (POSIX sh; sourced).
#
#     . "$(dirname "$0")/daemon-lib.sh"
#     daemon_start [CPUS [MEMORY_MB]]   # cachetd starts its own QEMU platform
#     cachet create "$GUESTS/hello.cfg" -c
#     pass "what was checked"
#
# Each test gets its own state directory under tests/integration/state/, so
# tests can run in parallel.  cachetd (and the QEMU it started) is stopped
# when the test exits for any reason.  On failure the hypervisor console and
# the daemon's log are shown.

. "$(dirname "$0")/lib.sh"

CACHET_BIN="$top_builddir/cli/cachet"
CACHETD_BIN="$top_builddir/daemon/cachetd"
GUESTS="$top_builddir/tests/guests"
CACHET_STATE_DIR="$top_builddir/tests/integration/state/$ITEST_NAME"
export CACHET_STATE_DIR

# The "console" a daemon test shows on failure is the hypervisor's.
ITEST_CONSOLE="$CACHET_STATE_DIR/hypervisor.log"

cachet() {
	"$CACHET_BIN" "$@"
}

daemon_pid() {
	cat "$CACHET_STATE_DIR/cachetd.pid" 2>/dev/null
}

daemon_stop() {
	_ds_pid=$(daemon_pid)
	[ -n "$_ds_pid" ] || return 0
	kill "$_ds_pid" 2>/dev/null || return 0
	_ds_i=0
	while kill -0 "$_ds_pid" 2>/dev/null && [ "$_ds_i" -lt 100 ]; do
		sleep 0.1
		_ds_i=$((_ds_i + 1))
	done
	kill -9 "$_ds_pid" 2>/dev/null || true
}

show_daemon_log() {
	if [ -s "$CACHET_STATE_DIR/cachetd.log" ]; then
		printf '==== cachetd log ====\n'
		tail -n 40 "$CACHET_STATE_DIR/cachetd.log"
		printf '==== end of cachetd log ====\n'
	fi
}

fail() {
	itest_log "FAIL: $*"
	show_console
	show_daemon_log
	exit 1
}

# daemon_start [CPUS [MEMORY_MB]]: returns once cachetd accepts requests.
# $CACHETD_ARGS, word-split, adds options (e.g. --allow-unsafe-policies).
daemon_start() {
	[ -x "$CACHETD_BIN" ] && [ -x "$CACHET_BIN" ] || hard_error "build cachetd and cachet first (make)"
	command -v "$QEMU" >/dev/null 2>&1 || skip "$QEMU not found"
	rm -rf "$CACHET_STATE_DIR"
	mkdir -p "$CACHET_STATE_DIR"
	trap 'daemon_stop' EXIT
	trap 'exit 1' INT TERM HUP
	ITEST_START=$(date +%s)
	daemon_run --cpus "${1:-2}" --memory "${2:-768}" || fail "cachetd did not start"
}

# daemon_run [OPTION...]: starts cachetd on the test's state directory as it
# is (no cleanup), with $CACHETD_ARGS; its exit status.
daemon_run() {
	# shellcheck disable=SC2086 # CACHETD_ARGS is a list of options
	"$CACHETD_BIN" --qemu "$QEMU" --hypervisor "$top_builddir/hypervisor/cachet-hv.elf" \
		${CACHETD_ARGS-} "$@"
}

# other_user_setup: a second, unprivileged user for the tests that play an
# attacker ($OTHER_USER); skips the test where one cannot be made.
OTHER_USER=cachet-itest-other
other_user_setup() {
	[ "$(id -u)" -eq 0 ] || skip "needs root to create a second user (run make check as root)"
	command -v runuser >/dev/null 2>&1 || skip "runuser not found"
	if ! id "$OTHER_USER" >/dev/null 2>&1; then
		useradd --system --no-create-home --shell /bin/sh "$OTHER_USER" 2>/dev/null ||
			id "$OTHER_USER" >/dev/null 2>&1 || skip "cannot create user $OTHER_USER"
	fi
	OTHER_UID=$(id -u "$OTHER_USER")
}

# as_other CMD...: runs CMD as $OTHER_USER.
as_other() {
	runuser -u "$OTHER_USER" -- "$@"
}

# free_mb: the hypervisor's free memory in MiB as `cachet info` reports it.
free_mb() {
	cachet info | awk '$1 == "free_memory" { print $3 }'
}

# wait_for CMD...: retries CMD for up to 20 s.
wait_for() {
	_wf_i=0
	until "$@"; do
		_wf_i=$((_wf_i + 1))
		[ "$_wf_i" -lt 200 ] || return 1
		sleep 0.1
	done
}

# console_lines NAME REGEX: how many lines of NAME's console match REGEX.
console_count() {
	timeout 20 "$CACHET_BIN" console "$1" </dev/null 2>/dev/null | tr -d '\r' | grep -c -E -- "$2"
}
