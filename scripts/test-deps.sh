#!/usr/bin/env bash
# What the end-to-end suites need beyond npm packages: a real OpenSSH server
# and client (ssh-cert suite), git, PHP with curl (the Web PaaS phar), zip,
# compilers for the release stand-ins (gcc, aarch64 and mingw-w64 cross
# compilers), qemu-user-static (arm64 suite) and debootstrap (the Wine 10
# chroot of the Windows suite, scripts/wine-setup.sh).
# Installs the missing Debian packages when it can (root with apt-get);
# otherwise says what is missing, and those suites skip with a notice
# (or fail, when SETUP_UPSUN_CLI_REQUIRE_SANDBOX=1, as in .ci/run).
set -uo pipefail
missing=()
command -v sshd >/dev/null 2>&1 || [ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)
command -v git >/dev/null 2>&1 || missing+=(git)
command -v php >/dev/null 2>&1 || missing+=(php-cli)
php -m 2>/dev/null | grep -qx curl || missing+=(php-curl)
command -v zip >/dev/null 2>&1 || missing+=(zip)
command -v gcc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || missing+=(gcc-aarch64-linux-gnu)
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || missing+=(gcc-mingw-w64-x86-64)
[ -x /usr/bin/qemu-aarch64-static ] || missing+=(qemu-user-static)
command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages for the end-to-end suites: ${missing[*]}"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Not installed (needs root and apt-get): ${missing[*]}; the suites that use them will skip."
fi
exit 0
