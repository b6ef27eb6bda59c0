#!/bin/sh
# `cachet list -l` prints libxl's JSON (as `xl list -l`), and that output
# recreates the domain: create the idle guest from an xl.cfg with a UUID,
# ignored x86 keys and device lists, take `list -l`, destroy it, create it
# again from the JSON, and check that the new domain's `list -l` is the same
# configuration (only the domain id and run state may differ).  The UUID names
# the domain wherever a DOMAIN is taken (domid, domname, pause, destroy).
. "$(dirname "$0")/daemon-lib.sh"
daemon_start
work="$CACHET_STATE_DIR/work"
mkdir -p "$work"
# The devices are attached now: the disk must exist and the vif uses
# user-mode networking (a bridge would have to exist); the guest never looks.
truncate -s 1M "$work/idle.img"
uuid=5f0c2a1e-8b7d-4c3e-9a2b-1d0e6f7a8b9c
cat >"$work/idle.cfg" <<EOC
name = "idle-json"
uuid = "$(echo "$uuid" | tr a-f A-F)"
kernel = "$GUESTS/idle.elf"
memory = 64
vcpus = 1
maxvcpus = 2
cpus = "all"
extra = "quiet"
on_crash = "preserve"
cache_policy = "dc-tvm"
pae = 1
viridian = 0
disk = [ 'phy:$work/idle.img,xvda,w' ]
vif = [ 'mac=00:16:3e:01:02:03' ]
EOC
cachet create "$work/idle.cfg" 2>"$work/create.err" || fail "create from xl.cfg: $(cat "$work/create.err")"
grep -q "ignoring settings that do not apply to Arm or to Cachet: pae (line 11), viridian (line 12)" \
	"$work/create.err" || fail "no warning naming the ignored keys: $(cat "$work/create.err")"
[ "$(cachet domid "$uuid")" = "$(cachet domid idle-json)" ] || fail "domid by UUID differs from by name"
[ "$(cachet domname "$uuid")" = idle-json ] || fail "domname by UUID: $(cachet domname "$uuid")"
cachet pause "$uuid" || fail "pause by UUID"
cachet list idle-json | grep -q -- '--p---' || fail "not paused: $(cachet list idle-json)"
cachet unpause "$uuid" || fail "unpause by UUID"
cachet list -l idle-json >"$work/first.json" || fail "list -l"
# libxl's shape: the fields that scripts written for xl read.
for field in '"domid":' '"c_info":' '"b_info":' '"disks":' '"nics":' '"on_poweroff": "destroy"' \
	'"on_crash": "preserve"' "\"uuid\": \"$uuid\"" '"target_memkb": 65536' '"max_vcpus": 2'; do
	grep -q -- "$field" "$work/first.json" || fail "list -l lacks $field: $(cat "$work/first.json")"
done
first_id=$(cachet domid idle-json)
cachet destroy "$uuid" || fail "destroy by UUID"
wait_for sh -c "! '$CACHET_BIN' list | grep -q '^idle-json '" || fail "idle-json still listed"
cachet create "$work/first.json" 2>"$work/create2.err" || fail "create from list -l JSON: $(cat "$work/create2.err")"
cachet list -l idle-json >"$work/second.json" || fail "list -l after re-create"
[ "$(cachet domid idle-json)" != "$first_id" ] || fail "the domain was not created again"
# Everything but the domain id and the run-time counters must match.
strip() { grep -v -E '"(domid|cpu_time_ns|state)":' "$1"; }
strip "$work/first.json" >"$work/first.cfg.json"
strip "$work/second.json" >"$work/second.cfg.json"
diff -u "$work/first.cfg.json" "$work/second.cfg.json" || fail "the recreated domain differs"
cachet destroy idle-json || fail "destroy"
pass "list -l gives libxl's JSON; it recreated the same domain; UUID accepted as DOMAIN"
