#!/usr/bin/env bash
# The integration suite also runs against the WebDAV servers users really have, from Debian's
# packages: Apache mod_dav, nginx dav (+ dav-ext for PROPFIND) and rclone. Install what is missing
# when we are root; tools/servers/system-servers.ts starts and stops them.
set -euo pipefail
need=()
[ -x /usr/sbin/apache2 ] || need+=(apache2)
command -v htpasswd >/dev/null || need+=(apache2-utils)
[ -x /usr/sbin/nginx ] || need+=(nginx)
[ -f /usr/lib/nginx/modules/ngx_http_dav_ext_module.so ] || need+=(libnginx-mod-http-dav-ext)
[ -x /usr/bin/rclone ] || need+=(rclone)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's ${need[*]} (WebDAV servers for the integration suite)..."
  apt-get update -qq
  # policy-rc.d 101: do not start the packages' own services on port 80; the tests start their own.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    # Removed however the install ends: left behind, it would block every service start on the machine.
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "Missing WebDAV servers for the integration suite: ${need[*]} (as root: apt-get install ${need[*]}). The integration stage will fail on them; the other stages run." >&2
  exit 1
fi
