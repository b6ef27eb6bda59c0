#!/bin/sh
# Nothing a client does stalls cachetd: with 100 idle connections open, a
# create whose kernel is a FIFO (refused at once, not waited on) and a
# create that decompresses a 400 MiB kernel for seconds in flight, `cachet
# list` still answers promptly; a client that starts a request and stalls
# is dropped; the CLI gives up on a daemon that does not answer, and says so.
. "$(dirname "$0")/daemon-lib.sh"
command -v socat >/dev/null 2>&1 || skip "socat not found"
command -v xz >/dev/null 2>&1 || skip "xz not found"
daemon_start 2 768
work="$CACHET_STATE_DIR/work"
mkdir -p "$work"

# A kernel that takes seconds to unpack: an arm64 Image header (b ., text_offset
# 0x80000, image_size 400 MiB + 64, 4K pages, little-endian) and 400 MiB of zeros.
{
	printf '\000\000\000\024\000\000\000\000\000\000\010\000\000\000\000\000'
	printf '\100\000\000\031\000\000\000\000\012\000\000\000\000\000\000\000'
	printf '\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000'
	printf '\000\000\000\000\000\000\000\000ARM\144\000\000\000\000'
	head -c $((400 * 1024 * 1024)) /dev/zero
} | xz -0 -T1 >"$work/big.xz"
cat >"$work/big.cfg" <<CFG
name = "big"
kernel = "$work/big.xz"
memory = 480
CFG
mkfifo "$work/fifo"

# 100 connections that never say anything (their sockets held open by sleeping socats).
i=0
while [ "$i" -lt 100 ]; do
	sleep 30 | socat -u - "UNIX-CONNECT:$CACHET_STATE_DIR/cachetd.sock" 2>/dev/null &
	i=$((i + 1))
done
sleep 1

# The CLI refuses a FIFO itself, so the request goes to the daemon as a raw client would send it.
out=$(printf '{"jsonrpc":"2.0","id":1,"method":"create","params":{"config":{"name":"fifo","kernel":"%s","memory":32}}}\n' \
	"$work/fifo" | timeout 10 socat -t 10 - "UNIX-CONNECT:$CACHET_STATE_DIR/cachetd.sock" 2>&1)
printf '%s\n' "$out" | grep -q "is a FIFO; give a regular file or a block device" ||
	fail "FIFO kernel: $out"

# list_ms: how long one `cachet list` takes, in ms.
list_ms() {
	t0=$(date +%s%N)
	cachet list >"$work/list.out" || fail "list failed"
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000000))
}

median() { # median of the numbers on stdin
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# The same machine's figure without a build, so that a loaded CI machine is not
# mistaken for a blocked daemon; a blocked one takes as long as the build itself.
for i in 1 2 3; do list_ms; done >"$work/base.ms"
base=$(median <"$work/base.ms")
timeout 120 "$CACHET_BIN" create -p "$work/big.cfg" >"$work/big.out" 2>&1 &
big=$!
sleep 0.3
: >"$work/during.ms"
n=0
while kill -0 "$big" 2>/dev/null && [ "$n" -lt 20 ]; do
	ms=$(list_ms)
	echo "$ms" >>"$work/during.ms"
	itest_log "list during the build: $ms ms"
	n=$((n + 1))
	sleep 0.1
done
[ "$n" -ge 2 ] || fail "the build finished too soon to measure anything ($n lists)"
wait "$big" || fail "create big: $(cat "$work/big.out")"
during=$(median <"$work/during.ms")
limit=$((3 * base + 50))
[ "$limit" -ge 100 ] || limit=100
itest_log "list: median $base ms without a build, $during ms during it ($n lists; limit $limit ms)"
[ "$during" -lt "$limit" ] || fail "list took $during ms during the build (median; $base ms without)"
cachet list | grep -q '^big ' || fail "big was not created"
cachet destroy big || fail "destroy big"

# A request started and never finished is dropped after the idle timeout (10 s).
start=$(date +%s)
printf '{"jsonrpc":"2.0",' | timeout 30 socat -t 30 - "UNIX-CONNECT:$CACHET_STATE_DIR/cachetd.sock" >/dev/null 2>&1
took=$(($(date +%s) - start))
[ "$took" -lt 25 ] || fail "a stalled request kept its connection for $took s"

# The CLI's own timeout: a daemon that accepts but never answers (stopped with SIGSTOP).
kill -STOP "$(daemon_pid)"
out=$(CACHET_TIMEOUT=2 timeout 20 "$CACHET_BIN" list 2>&1) && fail "list answered from a stopped daemon"
kill -CONT "$(daemon_pid)"
printf '%s\n' "$out" | grep -q "did not answer within 2 s" || fail "CLI timeout: $out"
cachet list >/dev/null || fail "list after SIGCONT"
pass "list answered during a long build with 100 idle clients ($during ms, $base ms without)"
