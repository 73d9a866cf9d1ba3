import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../core/config/config.ts';

describe('configuration', () => {
  it('has working defaults for an empty environment', () => {
    const config = loadConfig({}, '/srv/relata');
    assert.equal(config.port, 3000);
    assert.equal(config.mongodbUri, undefined);
    assert.equal(config.dataDir, '/srv/relata/data');
    assert.equal(config.dbName, 'relata');
    assert.equal(config.logLevel, 'info');
    assert.equal(config.runWorkers, true);
  });

  it('reads every documented variable', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        MONGODB_URI: 'mongodb://db.example:27017/?replicaSet=rs0',
        RELATA_DATA_DIR: '/var/lib/relata',
        RELATA_ADMIN_EMAIL: 'Admin@Example.com',
        RELATA_ADMIN_PASSWORD: 'correct horse battery',
        LOG_LEVEL: 'debug',
        SMTP_URL: 'smtp://mail.example:25',
        RELATA_WORKERS: 'false',
      },
      '/',
    );
    assert.equal(config.port, 8080);
    assert.equal(config.mongodbUri, 'mongodb://db.example:27017/?replicaSet=rs0');
    assert.equal(config.dataDir, '/var/lib/relata');
    assert.equal(config.adminEmail, 'admin@example.com');
    assert.equal(config.adminPassword, 'correct horse battery');
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.smtpUrl, 'smtp://mail.example:25');
    assert.equal(config.runWorkers, false);
  });

  const badValues: Array<[string, string]> = [
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['MONGODB_URI', 'postgres://localhost'],
    ['RELATA_ADMIN_EMAIL', 'not-an-email'],
    ['RELATA_ADMIN_PASSWORD', 'short'],
    ['LOG_LEVEL', 'loud'],
    ['SMTP_URL', 'http://mail'],
    ['RELATA_WORKERS', 'maybe'],
    ['RELATA_DB_NAME', 'bad name/x'],
  ];
  for (const [variable, value] of badValues) {
    it(`refuses ${variable}=${value} with a one-line message naming the variable`, () => {
      assert.throws(
        () => loadConfig({ [variable]: value }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.equal(error.variable, variable);
          assert.match(error.message, new RegExp(`^Invalid configuration: ${variable} `));
          assert.ok(!error.message.includes('\n'));
          return true;
        },
      );
    });
  }

  it('never echoes a rejected MONGODB_URI, which may hold a password', () => {
    assert.throws(
      () => loadConfig({ MONGODB_URI: 'http://user:s3cret@host' }),
      (error: unknown) => error instanceof ConfigError && !error.message.includes('s3cret'),
    );
  });
});
