#!/bin/sh
# dracut emergency hook (sourced by dracut-emergency): when a flint stage failed, say so once
# on the console. flint-banner prints nothing when no ignition unit failed.
/usr/bin/flint-banner >/dev/console 2>&1 || :
