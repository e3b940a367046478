/**
 * The name a new installation shows to the other devices until the person renames it: the
 * browser, the system, and a short suffix from the installation's random id, so two installations
 * of the same browser on the same system are still told apart ("Chrome on Linux · k3f9").
 */
export function defaultDeviceName(userAgent: string, installationId: string): string {
  const suffix = installationId.replace(/[^a-z0-9]/gi, '').slice(-4).toLowerCase();
  const system = systemOf(userAgent);
  return `${browserOf(userAgent)}${system ? ` on ${system}` : ''}${suffix ? ` · ${suffix}` : ''}`;
}

function browserOf(agent: string): string {
  if (/Edg\//.test(agent)) return 'Edge';
  if (/OPR\//.test(agent)) return 'Opera';
  if (/Firefox\//.test(agent)) return 'Firefox';
  if (/Chromium\//.test(agent)) return 'Chromium';
  if (/Chrome\//.test(agent)) return 'Chrome';
  if (/Safari\//.test(agent)) return 'Safari';
  return 'Browser';
}

function systemOf(agent: string): string {
  // iOS agents say "like Mac OS X", Android ones say "Linux": the specific checks come first.
  if (/iPhone|iPad|iPod/.test(agent)) return 'iOS';
  if (/Android/.test(agent)) return 'Android';
  if (/Windows/.test(agent)) return 'Windows';
  if (/CrOS/.test(agent)) return 'ChromeOS';
  if (/Mac OS/.test(agent)) return 'macOS';
  if (/Linux/.test(agent)) return 'Linux';
  return '';
}
