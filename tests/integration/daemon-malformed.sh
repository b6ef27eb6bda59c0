#!/bin/sh
# Bad requests to cachetd get JSON-RPC errors naming the problem, and leave
# the daemon serving.
. "$(dirname "$0")/daemon-lib.sh"
command -v socat >/dev/null 2>&1 || skip "socat is not installed"
daemon_start
sock="$CACHET_STATE_DIR/cachetd.sock"
ask() {
	printf '%s\n' "$1" | timeout 10 socat -t 5 - "UNIX-CONNECT:$sock"
}
expect_error() {
	_ee=$(ask "$1")
	printf '%s\n' "$_ee" | grep -q "\"code\": *$2" ||
		fail "request $1 answered $_ee, expected error code $2"
}
expect_error 'this is not json' -32700
expect_error '{"jsonrpc":"2.0","id":1,"method":"no_such_method"}' -32601
expect_error '{"jsonrpc":"2.0","id":2,"method":"destroy","params":{"domain":"nosuch"}}' -32002
expect_error '{"jsonrpc":"2.0","id":3,"method":"destroy","params":{"domain":[1]}}' -32602
expect_error '{"jsonrpc":"2.0","id":4,"method":"create","params":{"config":{"name":"x","kernel":"/nonexistent","memory":999999}}}' -32602
expect_error '{"jsonrpc":"2.0","id":5,"method":"list","params":{"bogus":1}}' -32602
cachet destroy 4000000 2>/dev/null && fail "destroying an unknown id succeeded"
cachet info >/dev/null || fail "cachetd stopped serving after bad requests"
pass "malformed JSON, unknown methods, ids and bad parameters all answered with errors"
