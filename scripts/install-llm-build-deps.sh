#!/usr/bin/env bash
# What building llama-cpp-python from source needs: a C/C++ compiler and cmake (Debian packages).
# Installs what is missing when we are root (or have password-less sudo); otherwise says what to install.
set -u
missing=()
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
  echo "error: building llama-cpp-python needs ${missing[*]}: install them (apt-get install ${missing[*]})" >&2; exit 1
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null 2>&1 || true
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/echo-apt-llm.log 2>&1 || {
  echo "error: apt-get install ${missing[*]} failed (see /tmp/echo-apt-llm.log)" >&2; exit 1; }
