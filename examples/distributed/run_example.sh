#!/bin/sh
# SPDX-FileCopyrightText: 2026 The sssn-actors developers
# SPDX-License-Identifier: BSD-3-Clause
# The example.distributed test: starts SERVER, reads its port from its
# "listening on 127.0.0.1:PORT" line, runs CLIENT PORT and checks that it
# prints "7 + 35 = 42", then stops the server with SIGTERM and checks that
# it exits cleanly. Every wait is bounded; the server is always killed.
#
#   run_example.sh SERVER CLIENT
set -u

server=$1
client=$2
dir=$(mktemp -d "${TMPDIR:-/tmp}/sssn-example-distributed.XXXXXX") || exit 1
pid=

cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

fail() {
  echo "example.distributed: $*" >&2
  for f in server.out server.err; do
    if [ -s "$dir/$f" ]; then
      echo "--- $f:" >&2
      cat "$dir/$f" >&2
    fi
  done
  exit 1
}

"$server" >"$dir/server.out" 2>"$dir/server.err" &
pid=$!

# Wait (at most 20 s) for the server's port.
port=
i=0
while [ -z "$port" ]; do
  port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' \
           "$dir/server.out")
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || fail "server exited before listening"
  i=$((i + 1))
  [ "$i" -ge 200 ] && fail "no 'listening on' line from the server within 20 s"
  sleep 0.1
done

output=$(timeout -s KILL 20 "$client" "$port" 2>"$dir/client.err")
rc=$?
if [ "$rc" -ne 0 ]; then
  cat "$dir/client.err" >&2
  fail "client exited with code $rc"
fi
echo "$output"
[ "$output" = "7 + 35 = 42" ] || fail "client printed '$output', expected '7 + 35 = 42'"

# Stop the server; it must exit with 0 within 10 s.
kill -TERM "$pid"
i=0
while kill -0 "$pid" 2>/dev/null; do
  i=$((i + 1))
  [ "$i" -ge 100 ] && fail "server did not stop within 10 s of SIGTERM"
  sleep 0.1
done
wait "$pid"
rc=$?
pid=
[ "$rc" -eq 0 ] || fail "server exited with code $rc after SIGTERM"
exit 0
