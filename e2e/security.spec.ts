import { expect, test } from '@playwright/test';

/** Every kind of page the site serves: home, a module, an exercise, the lab, and a 404. */
const routes = ['/', '/modules/architecture', '/exercises/tiered-storage', '/lab', '/no-such-page'];

function cspDirectives(header: string | undefined): Map<string, string> {
  const directives = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives.set(name, values.join(' '));
  }
  return directives;
}

for (const route of routes) {
  test(`security headers on ${route}`, async ({ request }) => {
    const response = await request.get(route);
    expect(response.status()).toBe(route === '/no-such-page' ? 404 : 200);
    const headers = response.headers();
    const csp = cspDirectives(headers['content-security-policy']);
    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(csp.get('object-src')).toBe("'none'");
    expect(csp.get('base-uri')).toBe("'self'");
    expect(csp.get('form-action')).toBe("'self'");
    expect(csp.get('script-src')).not.toContain("'unsafe-eval'");
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('same-origin');
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(headers['permissions-policy']).toContain('camera=()');
    const cookie = headers['set-cookie'] ?? '';
    expect(cookie).toMatch(/kil_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });
}

test('scripts and styles are served with nosniff and the same policy', async ({ page }) => {
  const assets: { url: string; nosniff: string | undefined; type: string | undefined }[] = [];
  page.on('response', (response) => {
    if (/\/_next\/static\/.+\.(js|css)$/.test(response.url())) {
      assets.push({ url: response.url(), nosniff: response.headers()['x-content-type-options'], type: response.headers()['content-type'] });
    }
  });
  await page.goto('/modules/architecture');
  await page.waitForLoadState('networkidle');
  expect(assets.length).toBeGreaterThan(0);
  for (const asset of assets) {
    expect(asset.nosniff, asset.url).toBe('nosniff');
    expect(asset.type, asset.url).toMatch(/javascript|css/);
  }
});

test('a page of another site cannot frame the course', async ({ page, baseURL }) => {
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  // A hostile page on another origin that embeds the course, next to a harmless control frame.
  await page.route('http://framer.example/', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><title>framer</title><iframe id="control" src="http://framer.example/control"></iframe><iframe id="victim" src="${baseURL}/lab" width="800" height="600"></iframe>`,
    }),
  );
  await page.route('http://framer.example/control', (route) => route.fulfill({ contentType: 'text/html', body: '<p id="ok">framed fine</p>' }));
  await page.goto('http://framer.example/');
  // Frames work on this page (the control renders) and the browser did ask for the course...
  await expect(page.frameLocator('#control').locator('#ok')).toHaveText('framed fine');
  await expect.poll(() => requested).toContain(`${baseURL}/lab`);
  // ...but the browser refuses to show the course inside it.
  const victim = page.frameLocator('#victim');
  await expect(victim.locator('[data-testid="terminal"]')).toHaveCount(0);
  await expect(victim.locator('body')).not.toContainText('Kafka');
  const frameUrls = page.frames().map((f) => f.url());
  expect(frameUrls).not.toContain(`${baseURL}/lab`);
});
