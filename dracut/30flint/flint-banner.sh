#!/bin/sh
# Prints, once, what an operator needs when a flint stage failed in the initramfs: which stage,
# the error line (what was done, the field path, the device/path/URL, the cause), what to do,
# and where the full log is. It never prints the config: configs carry secrets.
set -u

done_flag=/run/flint/banner-shown
[ -e "$done_flag" ] && exit 0

failed=$(systemctl list-units --failed --plain --no-legend --no-pager 'ignition-*' \
    'flint-*' 2>/dev/null | awk '{ print $1 }')
[ -n "$failed" ] || exit 0
mkdir -p /run/flint && : >"$done_flag"

unit=$(echo "$failed" | head -n 1)
stage=${unit#ignition-}
stage=${stage%.service}
# flint logs its failure once, at priority crit, with identifier flint. A stage that never got
# that far (bad flags, missing binary) leaves only its unit's last lines.
error=$(journalctl -b -q --no-pager -o cat -t flint -p crit 2>/dev/null | tail -n 1)
[ -n "$error" ] || error=$(journalctl -b -q --no-pager -o cat -u "$unit" 2>/dev/null | tail -n 3)
[ -n "$error" ] || error="(no message: see the log)"

cat <<BANNER

######################################################################
flint: stage $stage failed ($unit)

  $error

The machine was not provisioned; fix the config and boot a new machine.
Full log: journalctl -t flint   (unit log: journalctl -u $unit)
######################################################################

BANNER
