import { defaultDeviceName } from './device-name';

describe('defaultDeviceName', () => {
  const chromeLinux = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
  const safariIphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
  const firefoxWindows = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
  const chromeAndroid = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

  it('names the browser, the system and a suffix of the installation id', () => {
    expect(defaultDeviceName(chromeLinux, 'f3c2a9e0-77aa-4b1c-9d2e-0a1b2c3d4e5f')).toBe('Chrome on Linux · 4e5f');
  });

  it('gives two installations of the same browser on the same system different names', () => {
    expect(defaultDeviceName(chromeLinux, 'device-aaaa1111')).not.toBe(defaultDeviceName(chromeLinux, 'device-bbbb2222'));
  });

  it('tells iPhones from Macs and Android from Linux', () => {
    expect(defaultDeviceName(safariIphone, 'x1y2')).toBe('Safari on iOS · x1y2');
    expect(defaultDeviceName(chromeAndroid, 'x1y2')).toBe('Chrome on Android · x1y2');
    expect(defaultDeviceName(firefoxWindows, 'x1y2')).toBe('Firefox on Windows · x1y2');
  });
});
