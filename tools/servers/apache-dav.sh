#!/usr/bin/env bash
# Apache httpd with mod_dav on 127.0.0.1, for running the provider suite against a third server.
# Not part of the CI tests. Needs Debian's apache2 and apache2-utils (apt-get install -y apache2 apache2-utils).
#
#   bash tools/servers/apache-dav.sh start [port] [Digest|"MTime Size"]   prints the env to use
#   WEBDAV_URL=http://127.0.0.1:8090/dav/ WEBDAV_USER=apacheuser WEBDAV_PASSWORD=apache-secret npm run test:integration
#   bash tools/servers/apache-dav.sh stop
set -euo pipefail
dir=/tmp/tandem-tasks-apache-dav
port=${2:-8090}
etag=${3:-Digest}

case "${1:-}" in
  start)
    mkdir -p "$dir/dav" "$dir/lock" "$dir/logs"
    chown -R www-data:www-data "$dir/dav" "$dir/lock"
    htpasswd -bc "$dir/htpasswd" apacheuser apache-secret 2>/dev/null
    mods=/usr/lib/apache2/modules
    cat > "$dir/httpd.conf" <<CONF
ServerRoot /etc/apache2
ServerName 127.0.0.1
PidFile $dir/httpd.pid
Listen 127.0.0.1:$port
User www-data
Group www-data
ErrorLog $dir/logs/error.log
LoadModule mpm_event_module $mods/mod_mpm_event.so
LoadModule authz_core_module $mods/mod_authz_core.so
LoadModule authz_user_module $mods/mod_authz_user.so
LoadModule authn_core_module $mods/mod_authn_core.so
LoadModule authn_file_module $mods/mod_authn_file.so
LoadModule auth_basic_module $mods/mod_auth_basic.so
LoadModule mime_module $mods/mod_mime.so
LoadModule alias_module $mods/mod_alias.so
LoadModule dav_module $mods/mod_dav.so
LoadModule dav_fs_module $mods/mod_dav_fs.so
TypesConfig /etc/mime.types
DavLockDB $dir/lock/DavLock
# Digest: strong content ETags. With "MTime Size" a file changed within the last second has a
# weak ETag, and Apache refuses every If-Match against it (412) until that second has passed.
FileETag $etag
Alias /dav $dir/dav
<Directory $dir/dav>
  Dav On
  AuthType Basic
  AuthName "tandem-tasks test"
  AuthUserFile $dir/htpasswd
  Require valid-user
</Directory>
CONF
    apache2 -f "$dir/httpd.conf" -k start
    echo "WEBDAV_URL=http://127.0.0.1:$port/dav/ WEBDAV_USER=apacheuser WEBDAV_PASSWORD=apache-secret"
    ;;
  stop)
    apache2 -f "$dir/httpd.conf" -k stop
    ;;
  *)
    echo "usage: $0 start [port] [Digest|\"MTime Size\"] | stop" >&2
    exit 2
    ;;
esac
