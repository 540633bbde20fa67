/**
 * User agents a Mattermost server sees in its audit log: Mattermost's own clients (mmctl on each
 * OS, the Desktop app, the mobile apps, as their code writes the header), HTTP libraries and
 * scripts, browsers, and empty or garbage values.
 */
const MMCTL = ['linux', 'darwin', 'windows', 'freebsd', 'openbsd'].flatMap((os) => ['5.31.0', '7.8.1', '9.11.0'].map((v) => `mmctl/${v} (${os})`));

const DESKTOP = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Mattermost/5.2.1 Chrome/108.0.5359.62 Electron/22.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Mattermost/5.9.0 Chrome/124.0.6367.243 Electron/30.4.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Mattermost/4.7.2 Chrome/98.0.4758.141 Electron/17.4.11 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Mattermost/4.3.0 Chrome/76.0.3809.146 Electron/6.1.7 Safari/537.36',
];

const MOBILE = [
  'Mattermost Mobile/2.16.0+524 (iOS; 17.4.1; iPhone15,3)', 'Mattermost Mobile/2.16.0+524 (ios; 17.4.1; iPhone15,3)',
  'Mattermost Mobile/2.16.0+524 (Android; 14; Pixel 8)', 'Mattermost Mobile/2.16.0+524 (android; 14; SM-S918B)',
  'Mattermost Mobile/1.55.1+462 (iOS; 15.7; iPad13,1)', 'Mattermost Mobile/1.55.1+462 (Android; 11; moto g(30))',
  'Mattermost/1.55.1 CFNetwork/1335.0.3 Darwin/21.6.0', 'okhttp/4.9.2',
];

const LIBRARIES = [
  'Go-http-client/1.1', 'Go-http-client/2.0', 'curl/7.88.1', 'curl/8.5.0', 'python-requests/2.31.0', 'python-requests/2.25.1',
  'PostmanRuntime/7.32.3', 'Apache-HttpClient/4.5.13 (Java/11.0.16)', 'axios/1.6.8', 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
  'Wget/1.21.3', 'Java/17.0.11', 'Mattermost-Bot/1.1', 'python-urllib3/1.26.18', 'Python-urllib/3.11', 'libwww-perl/6.67',
];

const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/96.0.4664.45 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/119.0.6045.169 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.43 Mobile Safari/537.36',
  'Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0',
  'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36 OPR/105.0.0.0',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
];

const ODD = ['', ' ', '-', 'null', 'Mozilla/5.0', 'garbage ☃ \u00e9', '😀😀😀', 'x'.repeat(600), '\t', '() ; / (', 'mmctl', 'Mattermost'];

/** Mattermost's own clients and the tools scripts use: the agreement target on these is 100%. */
export const MATTERMOST_CLIENT_AGENTS: readonly string[] = [...MMCTL, ...DESKTOP, ...MOBILE, ...LIBRARIES, ...ODD];

/** Every sample, browsers included: the mix the legacy-line generator draws from. */
export const CLIENT_USER_AGENTS: readonly string[] = [...MATTERMOST_CLIENT_AGENTS, ...BROWSERS];
