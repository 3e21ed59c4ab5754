#!/usr/bin/env bash
# The browser tests need Debian's Chromium (and nginx for the proxy test), and pictures of Chinese
# text need CJK fonts (the page icons an emoji font, or they are drawn as empty boxes). The
# import's round trip through LibreOffice Calc (tests/unit/test_excel_libreoffice.py) needs
# libreoffice-calc; backups on PostgreSQL need pg_dump (postgresql-client).
# Install them when missing and we can (root with apt-get); otherwise say so: the browser
# tests then skip with that reason on a laptop (and fail in CI, which installs them itself).
set -u
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
# The proxy test runs two dashboard processes behind Debian's nginx; backups use pg_dump.
[ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v pg_dump >/dev/null 2>&1 || missing+=(postgresql-client)
fc-list 2>/dev/null | grep -qi "noto sans cjk" || missing+=(fonts-noto-cjk)
fc-list 2>/dev/null | grep -qi "noto color emoji" || missing+=(fonts-noto-color-emoji)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages for the tests: ${missing[*]}"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/tmp/mou-apt.log 2>&1 \
    || { echo "apt-get failed (see /tmp/mou-apt.log)"; exit 0; }
else
  echo "Not installed: ${missing[*]} (install them to run the browser tests)."
fi
exit 0
