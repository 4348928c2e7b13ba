#!/usr/bin/env bash
# Wine 10 for the Windows suite: Debian 12's Wine 8 cannot start Node 24
# ("only supported on Windows 10"), Debian 13's Wine 10 can. Builds a
# Debian 13 (trixie) chroot with Wine and an initialised prefix once, under a
# path outside the clone so later runs reuse it; prints the root on stdout.
# Needs root, debootstrap and Debian's mirror; exits non-zero when it cannot.
set -euo pipefail
root=${SETUP_UPSUN_CLI_WINE_ROOT:-/var/cache/setup-upsun-cli/wine-trixie}
# Bump when what the chroot holds changes, so a stale cache is rebuilt.
stamp=$root/.setup-upsun-cli-v1
if [ -f "$stamp" ]; then
  echo "$root"
  exit 0
fi
[ "$(id -u)" = 0 ] || { echo "wine-setup: needs root (debootstrap, chroot)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "wine-setup: debootstrap is not installed" >&2; exit 1; }
mirror=${SETUP_UPSUN_CLI_DEBIAN_MIRROR:-http://deb.debian.org/debian}
partial=$root.partial
started=$(date +%s)
# A partial tree from an interrupted run may hold mounts: leave nothing behind.
for m in proc dev/pts dev sys; do umount "$partial/$m" 2>/dev/null || true; done
rm -rf "$partial"
mkdir -p "$(dirname "$root")"
echo "wine-setup: debootstrap trixie into $partial" >&2
debootstrap --variant=minbase trixie "$partial" "$mirror" >"$partial.log" 2>&1 ||
  { tail -20 "$partial.log" >&2; exit 1; }
in_chroot() {
  # A private mount namespace: /proc and /dev mounts die with the command.
  unshare --mount --propagation private -- sh -c '
    r=$1; shift
    mount -t proc proc "$r/proc" && mount --rbind /dev "$r/dev" && exec chroot "$r" "$@"
  ' sh "$partial" "$@"
}
in_chroot dpkg --add-architecture i386 >/dev/null
in_chroot apt-get update -q >>"$partial.log" 2>&1
# wine64 alone: node.exe is x64; no 32-bit Wine, no recommends (fonts, X).
DEBIAN_FRONTEND=noninteractive in_chroot apt-get install -y -q --no-install-recommends \
  wine wine64 >>"$partial.log" 2>&1 || { tail -20 "$partial.log" >&2; exit 1; }
in_chroot apt-get clean
# The prefix once, here: wineboot takes tens of seconds on a cold prefix.
in_chroot env WINEPREFIX=/root/.wine WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml=' \
  wine wineboot --init >>"$partial.log" 2>&1 || { tail -20 "$partial.log" >&2; exit 1; }
in_chroot env WINEPREFIX=/root/.wine wineserver --wait >>"$partial.log" 2>&1 || true
touch "$partial/$(basename "$stamp")"
rm -rf "$root"
mv "$partial" "$root"
mv "$partial.log" "$root.log"
echo "wine-setup: ready in $(($(date +%s) - started)) s" >&2
echo "$root"
