import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

/** The ConfigError thrown for `env`, or a failure if none is thrown. */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `a ConfigError, not ${String(error)}`);
    return error.problems;
  }
  assert.fail(`no ConfigError for ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  test('defaults for an empty environment', () => {
    const c = loadConfig({});
    assert.equal(c.env, 'development');
    assert.equal(c.port, 3000);
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.dataDir, path.resolve('./data'));
    assert.ok(path.isAbsolute(c.dataDir));
    assert.equal(c.databaseUrl, null, 'PGlite unless DATABASE_URL is set');
    assert.equal(c.baseUrl, 'http://localhost:3000');
    assert.equal(c.smtpUrl, null);
    assert.equal(c.rateLimits, true);
    assert.equal(c.runWorker, true);
    assert.equal(c.trustProxy, false);
    assert.equal(c.logLevel, 'info');
    assert.equal(c.uploadMaxBytes, 10 * 1024 * 1024);
    assert.deepEqual(c.identityProviders, []);
    assert.match(c.tileUrl, /^https:\/\/.*\{z\}\/\{x\}\/\{y\}/);
  });

  test('the shared page cache keeps a second by default, is off in tests unless asked for, and never exceeds a second', () => {
    assert.equal(loadConfig({}).pageCacheMs, 1000);
    assert.equal(loadConfig({ NODE_ENV: 'test' }).pageCacheMs, 0);
    assert.equal(loadConfig({ NODE_ENV: 'test', PAGE_CACHE_MS: '1000' }).pageCacheMs, 1000);
    assert.ok(problemsOf({ PAGE_CACHE_MS: '5000' }).some((p) => /^PAGE_CACHE_MS .*"5000"/.test(p)));
  });

  test('the base URL follows the port, and values given are used', () => {
    assert.equal(loadConfig({ PORT: '8080' }).baseUrl, 'http://localhost:8080');
    const c = loadConfig({
      PORT: '8081', DATA_DIR: 'var/hromada', BASE_URL: 'https://gromada.example.org/', DATABASE_URL: 'postgresql://db/hromada',
      SMTP_URL: 'smtps://user:pw@mail.example.org', TRUST_PROXY: 'yes', RUN_WORKER: '0', NODE_ENV: 'test',
    });
    assert.equal(c.port, 8081);
    assert.equal(c.dataDir, path.resolve('var/hromada'));
    assert.equal(c.baseUrl, 'https://gromada.example.org', 'without the trailing slash');
    assert.equal(c.databaseUrl, 'postgresql://db/hromada');
    assert.equal(c.smtpUrl, 'smtps://user:pw@mail.example.org');
    assert.equal(c.trustProxy, true);
    assert.equal(c.runWorker, false);
    assert.equal(c.logLevel, 'silent', 'tests are quiet');
  });

  test('production needs a BASE_URL and an IDENTIFIER_KEY of 32 characters or more', () => {
    const c = loadConfig({ NODE_ENV: 'production', BASE_URL: 'https://h.example.org', IDENTIFIER_KEY: 'k'.repeat(32) });
    assert.equal(c.env, 'production');
    assert.deepEqual(problemsOf({ NODE_ENV: 'production', IDENTIFIER_KEY: 'k'.repeat(32) }), ['BASE_URL is required when NODE_ENV=production']);
    assert.deepEqual(problemsOf({ NODE_ENV: 'production', BASE_URL: 'https://h.example.org' }), ['IDENTIFIER_KEY is required when NODE_ENV=production (it keys the hashes of national ids and document numbers)']);
    assert.deepEqual(problemsOf({ IDENTIFIER_KEY: 'short' }), ['IDENTIFIER_KEY must be at least 32 characters long']);
  });

  test('the outbox cannot be made public any more: PUBLIC_OUTBOX is refused, not ignored', () => {
    for (const value of ['true', '1', 'yes']) {
      assert.deepEqual(problemsOf({ PUBLIC_OUTBOX: value }), [
        'PUBLIC_OUTBOX is no longer supported: the development outbox is shown only to signed-in platform administrators (and mail is printed on the console)',
      ]);
    }
    assert.doesNotThrow(() => loadConfig({ PUBLIC_OUTBOX: 'false' }), 'asking for what is now the rule is harmless');
  });

  test('identity providers from IDENTITY_PROVIDERS and the older OIDC_PROVIDERS (each an OpenID Connect provider)', () => {
    const c = loadConfig({
      OIDC_PROVIDERS: JSON.stringify([
        { id: 'diia', name: 'Дія', issuer: 'https://id.example.org', clientId: 'c', clientSecret: 's' },
        { id: 'eid-rs', name: 'eID', issuer: 'https://eid.example.rs', clientId: 'c2', clientSecret: 's2', residenceClaim: 'mb' },
      ]),
      IDENTITY_PROVIDERS: JSON.stringify([{ id: 'pl', name: 'login.gov.pl', type: 'saml', entryPoint: 'https://idp.example.pl' }]),
    });
    assert.deepEqual(c.identityProviders.map((p) => [p.id, p.type]), [['pl', 'saml'], ['diia', 'oidc'], ['eid-rs', 'oidc']]);
    assert.throws(() => loadConfig({ IDENTITY_PROVIDERS: '[{"id":"x","name":"X","type":"oidc"}]', OIDC_PROVIDERS: '[{"id":"x","name":"X"}]' }), /"x" is used twice/);
    assert.throws(() => loadConfig({ IDENTITY_PROVIDERS: '[{"id":"x","name":"X","type":"oidc","demo":true}]', NODE_ENV: 'production', BASE_URL: 'https://h.example', IDENTIFIER_KEY: 'k'.repeat(32) }), /demo identity providers are refused/);
  });

  test('several bad values at once give one ConfigError listing every problem', () => {
    let thrown: unknown;
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', SMTP_URL: 'nonsense', OIDC_PROVIDERS: '[{}]', NODE_ENV: 'production' });
    } catch (error) {
      thrown = error;
    }
    assert.ok(thrown instanceof ConfigError);
    const { problems, message } = thrown;
    const expected = [
      /^PORT must be a whole number .*"abc"/,
      /^DATABASE_URL must start with postgres: or postgresql: \(got "mysql:"\)/,
      /^SMTP_URL is not a valid URL/,
      /^OIDC_PROVIDERS\[0\]\.id is required/,
      /^OIDC_PROVIDERS\[0\]\.name is required/,
      /^BASE_URL is required when NODE_ENV=production/,
      /^IDENTIFIER_KEY is required when NODE_ENV=production/,
    ];
    assert.equal(problems.length, expected.length, problems.join('\n'));
    for (const re of expected) assert.ok(problems.some((p) => re.test(p)), `${re} in:\n${problems.join('\n')}`);
    for (const p of problems) assert.ok(message.includes(p), `the message lists "${p}"`);
  });

  test('other bad values are named too', () => {
    const problems = problemsOf({
      NODE_ENV: 'staging', PORT: '70000', RATE_LIMITS: 'maybe', UPLOAD_MAX_BYTES: '12', BASE_URL: 'ftp://x', OIDC_PROVIDERS: '{"id":"x"}',
    });
    for (const re of [/^NODE_ENV must be/, /^PORT .*"70000"/, /^RATE_LIMITS must be true or false/, /^UPLOAD_MAX_BYTES .*"12"/, /^BASE_URL must start with http: or https:/, /^OIDC_PROVIDERS must be a JSON array/]) {
      assert.ok(problems.some((p) => re.test(p)), `${re} in:\n${problems.join('\n')}`);
    }
    assert.ok(problemsOf({ OIDC_PROVIDERS: 'not json' }).some((p) => p.startsWith('OIDC_PROVIDERS must be a JSON array')));
    assert.ok(problemsOf({ OIDC_PROVIDERS: '[{"id":"Bank ID","name":"n","issuer":"i","clientId":"c","clientSecret":"s"}]' })
      .some((p) => p === 'OIDC_PROVIDERS[0].id may hold only a-z, 0-9 and - (at most 40)'));
  });

  test('SECURITY_CONTACT: an address becomes mailto:, mailto: and https: URIs stay, anything else is refused', () => {
    assert.equal(loadConfig({}).securityContact, null);
    assert.equal(loadConfig({ SECURITY_CONTACT: 'security@example.org' }).securityContact, 'mailto:security@example.org');
    assert.equal(loadConfig({ SECURITY_CONTACT: 'mailto:cert@example.org' }).securityContact, 'mailto:cert@example.org');
    assert.equal(loadConfig({ SECURITY_CONTACT: 'https://example.org/security' }).securityContact, 'https://example.org/security');
    for (const bad of ['http://example.org/security', 'call us', 'mailto:nobody']) {
      assert.throws(() => loadConfig({ SECURITY_CONTACT: bad }), (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.startsWith('SECURITY_CONTACT must be')), bad);
    }
  });

  test('the returned configuration is frozen', () => {
    const c = loadConfig({});
    assert.ok(Object.isFrozen(c));
    assert.throws(() => {
      (c as { port: number }).port = 1;
    }, TypeError);
    assert.equal(c.port, 3000);
  });
});
