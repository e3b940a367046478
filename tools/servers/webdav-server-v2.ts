import { v2 as webdav } from 'webdav-server';
import { RunningServer, serveOnLoopback } from './running-server';

export const WEBDAV_SERVER_V2_USER = 'sync';
export const WEBDAV_SERVER_V2_PASSWORD = 'sync-password';

/**
 * The npm `webdav-server` v2, in memory, with basic auth: sends no ETag on GET and ignores
 * If-Match, so it is the lock-mode server (SYNC.md §6).
 */
export async function startWebDavServerV2(port = 0): Promise<RunningServer> {
  const users = new webdav.SimpleUserManager();
  const user = users.addUser(WEBDAV_SERVER_V2_USER, WEBDAV_SERVER_V2_PASSWORD, false);
  const privileges = new webdav.SimplePathPrivilegeManager();
  privileges.setRights(user, '/', ['all']);
  const server = new webdav.WebDAVServer({
    requireAuthentification: true,
    httpAuthentication: new webdav.HTTPBasicAuthentication(users, 'tandem-tasks test'),
    privilegeManager: privileges,
  });
  return serveOnLoopback('webdav-server v2', port, (request, response) => server.executeRequest(request, response));
}
