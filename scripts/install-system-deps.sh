#!/usr/bin/env bash
# Installs the Debian packages lmk's tests, benchmark and demo need, only those missing.
# Run as root on Debian (CI and a fresh machine); elsewhere it only says what is missing.
set -euo pipefail

# command -> Debian package
declare -A wanted=(
  [cc]=gcc
  [mkswap]=util-linux
  [unshare]=util-linux
  [taskset]=util-linux
  [patchelf]=patchelf
  [qemu-aarch64]=qemu-user
  [aarch64-linux-gnu-strip]=binutils-aarch64-linux-gnu
  [strip]=binutils
  [adb]=adb
  [busybox]=busybox-static
  [mksh]=mksh
  [chromium]=chromium
)

missing=()
for cmd in "${!wanted[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${wanted[$cmd]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: missing packages (install them as root): ${missing[*]}" >&2
  exit 0
fi
echo "install-system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
