#!/usr/bin/env bash
# Debian packages the tests use: chromium for the browser tests, dovecot for the IMAP tests.
# Installs what is missing when apt-get is available and we are root (or have password-less sudo);
# otherwise says what is missing and lets the tests that need it skip with that reason.
set -u
wanted=(chromium dovecot-imapd)
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
# Dovecot's package starts a system service; the tests run their own instance.
command -v systemctl >/dev/null 2>&1 && $SUDO systemctl disable --now dovecot >/dev/null 2>&1 || true
exit 0
