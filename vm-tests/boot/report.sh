#!/bin/sh
# Summarises a boot test's console log (scenario.sh ... OUTDIR: OUTDIR/run/console.log) for a
# person: what the real root found provisioned, and how long each flint stage unit ran (from
# the initramfs journal's monotonic timestamps, seconds since kernel start).
# Usage: report.sh CONSOLE-LOG
set -eu
log=$1
[ -f "$log" ] || { echo "report.sh: no console log '$log'" >&2; exit 1; }

lines() { grep -a "^@@$1: " "$log" | sed "s/^@@$1: //" | tr -d '\r'; }

echo "== provisioned (as the real root's /sbin/init saw it after switch-root)"
lines node | sed 's/ [0-9a-f]\{16\}$//; s/ *$//; s/^/  /'
lines user | sed 's/^/  user  /'
lines sshkeys | sed 's/^/  ssh keys  /'
lines preset | sed 's/^/  preset  /'
lines mount | grep -v ' /run\| /sys\| /dev' | sed 's/^/  mount  /' || :

echo "== stage units (seconds since kernel start; duration)"
lines units | awk '
  {
    t = $2; sub(/\]/, "", t); if (t == "") { t = $1; gsub(/[\[\]]/, "", t) }
    for (i = 1; i <= NF; i++) if ($i ~ /^(Starting|Finished)$/) { what = $i; unit = $(i + 1); break }
    if (what == "Starting") start[unit] = t
    else if (what == "Finished" && unit in start) {
      printf "  %-40s %8.2f s -> %8.2f s  %6.2f s\n", unit, start[unit], t, t - start[unit]
      total += t - start[unit]
      delete start[unit]
    }
    what = ""
  }
  END { if (total > 0) printf "  %-40s %34.2f s\n", "all stage units", total }'
switched=$(lines root | sed -n 's/.*(\([0-9.]*\) s after kernel start).*/\1/p')
[ -z "$switched" ] || echo "== switch-root into the real root: $switched s after kernel start"
