# shellcheck shell=sh
# Harness for Cachet's QEMU integration tests (POSIX sh; sourced, not run).
#
# The tests in this folder source it, and so does `./quickstart demo`.
# make check runs each test with $(SHELL), which may be dash, so nothing here
# may rely on bash.  A test looks like this:
#
#     . "$(dirname "$0")/lib.sh"
#     qemu_boot NAME SMP ELF TIMEOUT_S   # start QEMU; serial goes to a file
#     run_until REGEX [STOP_REGEX]       # wait for a console line
#     expect_line REGEX                  # further checks on the console
#     pass "what was checked"
#
# Exit codes follow automake's test protocol: 0 pass, 1 fail, 77 skip,
# 99 hard error (the harness itself could not run).
#
# Environment (make check exports the first three via AM_TESTS_ENVIRONMENT;
# the defaults make a run by hand from an in-tree build work):
#   top_srcdir    source tree
#   top_builddir  build tree, where hypervisor/cachet-hv.elf is built
#   QEMU          qemu-system-aarch64 to run
#   LOGDIR        where consoles are written
#                 (default: $top_builddir/tests/integration/logs)
#   ITEST_NAME    name used in messages (default: the test script's name)
#
# QEMU never touches the terminal: no stdin, serial to a file, no monitor,
# no display, and it runs in its own session so it cannot read the
# controlling terminal.  It is killed, with its whole process group, when
# the sourcing script exits for any reason.  As a second line of defence it
# runs under timeout(1), so it cannot outlive its time limit by much even if
# the test itself is killed with SIGKILL.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${QEMU:=qemu-system-aarch64}"
: "${LOGDIR:=$top_builddir/tests/integration/logs}"
: "${ITEST_NAME:=$(basename "$0" .sh)}"

QEMU_PID=
ITEST_PGID=
ITEST_CONSOLE=
ITEST_QEMU_OUT=
ITEST_TIMEOUT=
ITEST_START=
ITEST_DEADLINE=

# Seconds to let QEMU run past a test's own timeout before timeout(1)
# kills it; only matters if the test is gone and its trap never ran.
ITEST_SAFETY_MARGIN=30

# --- messages and results -------------------------------------------------

itest_log() {
	printf '%s: %s\n' "$ITEST_NAME" "$*"
}

# The console as text: QEMU's PL011 output may carry CRs (and, if the
# hypervisor misbehaves, NULs) that would confuse line matching.
console_text() {
	if [ -n "$ITEST_CONSOLE" ] && [ -f "$ITEST_CONSOLE" ]; then
		tr -d '\r\000' <"$ITEST_CONSOLE"
	fi
}

# Prints the whole console (and QEMU's own output, if any) between headers,
# so a failure in a CI log can be diagnosed without the log files.
show_console() {
	if [ -z "$ITEST_CONSOLE" ]; then
		return 0
	fi
	printf '==== console of %s (%s) ====\n' "$ITEST_NAME" "$ITEST_CONSOLE"
	# awk ends a last line that has no newline yet.
	console_text | awk '{ print }'
	printf '==== end of console ====\n'
	if [ -s "$ITEST_QEMU_OUT" ]; then
		printf '==== QEMU output (%s) ====\n' "$ITEST_QEMU_OUT"
		awk '{ print }' "$ITEST_QEMU_OUT"
		printf '==== end of QEMU output ====\n'
	fi
}

itest_elapsed() {
	if [ -n "$ITEST_START" ]; then
		printf ' (%ss)' "$(($(date +%s) - ITEST_START))"
	fi
}

# fail MSG: the test failed; say why, show the console, exit 1.
fail() {
	itest_log "FAIL: $*"
	show_console
	exit 1
}

# skip MSG: the test cannot run here; exit 77.
skip() {
	itest_log "SKIP: $*"
	exit 77
}

# hard_error MSG: the harness itself is broken or misused; exit 99.
hard_error() {
	itest_log "ERROR: $*"
	show_console
	exit 99
}

# pass MSG: everything checked held; MSG says what that was.
pass() {
	itest_log "PASS: $*$(itest_elapsed)"
	exit 0
}

# --- QEMU lifetime --------------------------------------------------------

# True while process $1 runs.  A child that has exited but that the shell
# has not reaped yet (dash reaps lazily) still answers kill -0, so on Linux
# a zombie is recognised from /proc.
itest_alive() {
	kill -0 "$1" 2>/dev/null || return 1
	if [ -d /proc/self ]; then
		_ia_state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1) ||
			_ia_state=
		case $_ia_state in
		Z | X | '') return 1 ;;
		esac
	fi
	return 0
}

# qemu_boot NAME SMP ELF TIMEOUT_S
# Starts the QEMU virt board with SMP pCPUs running ELF at EL2.  The serial
# console goes to $LOGDIR/NAME.console and QEMU's own output to
# $LOGDIR/NAME.qemu.log.  TIMEOUT_S bounds every later run_until.
qemu_boot() {
	if [ $# -ne 4 ]; then
		hard_error "usage: qemu_boot NAME SMP ELF TIMEOUT_S"
	fi
	case $2:$4 in
	:* | *: | *[!0-9:]* | 0:* | *:0)
		hard_error "qemu_boot: SMP ($2) and TIMEOUT_S ($4) must be positive numbers"
		;;
	esac
	if [ -n "$ITEST_PGID" ]; then
		hard_error "qemu_boot: QEMU is already running (pid $ITEST_PGID)"
	fi
	for _qb_tool in setsid timeout; do
		command -v "$_qb_tool" >/dev/null 2>&1 ||
			hard_error "$_qb_tool(1) is missing (Debian packages util-linux and coreutils)"
	done
	command -v "$QEMU" >/dev/null 2>&1 ||
		skip "QEMU ($QEMU) not found; install the Debian package qemu-system-arm"
	[ -f "$3" ] ||
		fail "hypervisor image $3 not found; build it first (make)"

	mkdir -p "$LOGDIR" || hard_error "cannot create $LOGDIR"
	ITEST_CONSOLE=$LOGDIR/$1.console
	ITEST_QEMU_OUT=$LOGDIR/$1.qemu.log
	# QEMU splits option values at commas; refuse rather than misparse.
	case $ITEST_CONSOLE in
	*,*) hard_error "LOGDIR must not contain a comma: $LOGDIR" ;;
	esac
	: >"$ITEST_CONSOLE"
	: >"$ITEST_QEMU_OUT"

	ITEST_TIMEOUT=$4
	_qb_elf=$3
	itest_log "booting $_qb_elf on $2 pCPU(s), console $ITEST_CONSOLE, timeout ${4}s"
	set -- "$QEMU" -M virt,virtualization=on,gic-version=3 -cpu cortex-a57 \
		-smp "$2" -m 1024 -display none -monitor none \
		-serial "file:$ITEST_CONSOLE" -no-reboot -kernel "$_qb_elf"
	itest_log "running: $*"
	setsid timeout -k 5 "$((ITEST_TIMEOUT + ITEST_SAFETY_MARGIN))" "$@" \
		</dev/null >"$ITEST_QEMU_OUT" 2>&1 &
	QEMU_PID=$!
	# setsid(1) made QEMU's wrapper the leader of a new process group.
	ITEST_PGID=$QEMU_PID
	ITEST_START=$(date +%s)
	ITEST_DEADLINE=$((ITEST_START + ITEST_TIMEOUT))
}

# Stops QEMU if it runs: SIGTERM to its process group, SIGKILL after 5 s.
# Whatever is left in the group is killed even when QEMU has exited on its
# own.  Safe to call more than once; the exit trap calls it.
qemu_kill() {
	if [ -z "$ITEST_PGID" ]; then
		return 0
	fi
	if [ -n "$QEMU_PID" ]; then
		kill -TERM "-$ITEST_PGID" 2>/dev/null || kill -TERM "$QEMU_PID" 2>/dev/null || :
		_qk_polls=0
		while itest_alive "$QEMU_PID" && [ "$_qk_polls" -lt 25 ]; do
			sleep 0.2
			_qk_polls=$((_qk_polls + 1))
		done
	fi
	kill -KILL "-$ITEST_PGID" 2>/dev/null || :
	if [ -n "$QEMU_PID" ]; then
		wait "$QEMU_PID" 2>/dev/null || :
	fi
	QEMU_PID=
	ITEST_PGID=
}

trap qemu_kill EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# --- waiting and checking -------------------------------------------------

# grep -q is avoided on purpose: it can exit before tr has written
# everything, and under bash's pipefail (./quickstart) tr's SIGPIPE would
# turn a match into a failure.
console_has() {
	console_text | grep -E -- "$1" >/dev/null
}

# run_until REGEX [STOP_REGEX]
# Polls the console until a line matches the extended regex REGEX and then
# returns.  Fails the test (console shown) if QEMU exits first, if the
# timeout given to qemu_boot passes, or if a line matches STOP_REGEX (for
# example a panic; the rest of its dump gets a second to arrive).
run_until() {
	[ -n "$ITEST_CONSOLE" ] || hard_error "run_until called before qemu_boot"
	while :; do
		if console_has "$1"; then
			return 0
		fi
		if [ -n "${2:-}" ] && console_has "$2"; then
			sleep 1
			fail "stopped waiting for /$1/: the console matched /$2/"
		fi
		if [ -n "$QEMU_PID" ] && ! itest_alive "$QEMU_PID"; then
			_ru_status=0
			wait "$QEMU_PID" || _ru_status=$?
			QEMU_PID=
			# The line may have been written just before QEMU exited.
			if console_has "$1"; then
				return 0
			fi
			fail "QEMU exited (status $_ru_status) before a line matching /$1/"
		fi
		if [ "$(date +%s)" -ge "$ITEST_DEADLINE" ]; then
			fail "timed out after ${ITEST_TIMEOUT}s waiting for a line matching /$1/"
		fi
		sleep 0.2
	done
}

# expect_line REGEX: some console line matches REGEX.
expect_line() {
	console_has "$1" || fail "no console line matches /$1/"
}

# expect_no_line REGEX: no console line matches REGEX.
expect_no_line() {
	_enl_hit=$(console_text | grep -Em1 -- "$1" || :)
	if [ -n "$_enl_hit" ]; then
		fail "unexpected console line matching /$1/: $_enl_hit"
	fi
}

# expect_count REGEX N: exactly N console lines match REGEX.
expect_count() {
	_ec_count=$(console_text | grep -Ec -- "$1" || :)
	if [ "${_ec_count:-0}" -ne "$2" ]; then
		fail "expected $2 console line(s) matching /$1/, found ${_ec_count:-0}"
	fi
}

# --- checks shared by several tests ---------------------------------------

# A panic's first line; boot tests stop waiting as soon as it appears.
ITEST_PANIC_RE='^\*\*\* PANIC'

# check_smp_boot N: boots the hypervisor on N pCPUs and checks what every
# normal boot prints: each CPU 0..N-1 comes online with its MMU on exactly
# once, the banner counts N pCPUs, boot completes, an idle CPU then scrubs
# all free memory (idle CPUs sleep without a tick: they must be told),
# nothing panics.
check_smp_boot() {
	qemu_boot "boot-smp$1" "$1" "$top_builddir/hypervisor/cachet-hv.elf" 60
	run_until '^cachet: boot complete' "$ITEST_PANIC_RE"
	run_until '^scrub: all free memory clean' "$ITEST_PANIC_RE"
	_csb_cpu=0
	while [ "$_csb_cpu" -lt "$1" ]; do
		expect_count "^cpu $_csb_cpu: online, MMU on" 1
		_csb_cpu=$((_csb_cpu + 1))
	done
	expect_count '^cpu [0-9]+: online' "$1"
	expect_line '^Cachet hypervisor'
	expect_line "^[[:space:]]*pCPUs online: $1([^0-9]|\$)"
	expect_no_line 'PANIC'
	pass "each of $1 CPU(s) came online once with its MMU on," \
		"the banner reports $1 pCPU(s), boot completed, free memory scrubbed"
}
