// Secret detector: rules, structure (effective names, manifests, aliases, block scalars), suppression, options.
// Fixtures are data: YAML with the expected findings as caret comments (see secretsCheck.ts). These cases are not
// taken from the labeled set (cases.jsonl): they check that the rules generalize. All tokens are random strings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedent } from './fixture';
import { checkSecrets } from './secretsCheck';
import { parseValuesDocument } from '../../server/src/service/yaml/valuesDocument';
import { detectSecrets, secretText } from '../../server/src/service/secrets/detect';
import { redact, sha256Hex, decodeBase64Text, entropy } from '../../server/src/service/secrets/redact';
import { compileKeyPathGlob, formatKeyPath, matchKeyPath, parseKeyPath, compileFileGlob } from '../../server/src/service/secrets/keyPath';
import { addIgnoreEntry, parseIgnoreFile } from '../../server/src/service/secrets/ignoreFile';
import { classifyName } from '../../server/src/service/secrets/names';
import { secretOptionsFromSettings } from '../../server/src/service/secrets/options';

test('provider formats are errors whatever the key', () => {
  checkSecrets(dedent(`
    ci:
      note: ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d
    #       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[secret.github-token]
      fine-grained: "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"
    #                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[secret.github-token]
      id: AKIAUVW75EFR6EDT4SYW
    #     ^^^^^^^^^^^^^^^^^^^^ error[secret.aws-access-key]
      chat: 'xoxb-075291703423-6671276842684-TAwR4y9ojfljoQoaF1Llqsaj'
    #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[secret.slack-token]
      mail: 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
    #       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[secret.sendgrid-key]
      registry: npm_YW2mZp0zVZomHFwUbbYrEqmSM9wCZ7Uw9xfo
    #           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[secret.npm-token]
  `));
});

test('documentation examples and dummy runs are placeholders, not errors', () => {
  checkSecrets(dedent(`
    aws:
      accessKeyId: AKIAIOSFODNN7EXAMPLE
    #              ^^^^^^^^^^^^^^^^^^^^ info[secret.placeholder]
    github:
      token: ghp_000000000000000000000000000000000000
    #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ info[secret.placeholder]
    stripe:
      key: sk_live_xxxxxxxxxxxxxxxxxxxxxxxx
    #      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ info[secret.placeholder]
  `));
});

test('private keys: block scalars, escaped newlines, and base64 under Secret data', () => {
  checkSecrets(dedent(`
    tls:
      key: |
        -----BEGIN EC PRIVATE KEY-----
    #   ^… error[secret.private-key]
        MHcCAQEEIBd3QkCrkEG7h9BCnO3xY0ovl5Qd4FiRBiGe8e3qAVb2oAoGCCqGSM49
        AwEHoUQDQgAE1nHq2V0mMvY9Z6YdD8jWnWZr3D3tV0q3tJ3zq8Hf8dU5c8Vw2yQK
        -----END EC PRIVATE KEY-----
      crt: |
        -----BEGIN CERTIFICATE-----
        MIIBkTCB+wIJAKHHIG2Xq5RCMA0GCSqGSIb3DQEBCwUAMBExDzANBgNVBAMMBnVu
        -----END CERTIFICATE-----
    extraObjects:
      - apiVersion: v1
        kind: Secret
        metadata:
          name: web
        data:
          tls.key: LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCnNvWGc0UEh0UXV5UDVQRXoxM0lqYWg5a2NWQVNxejF0RWphclRjZ2Y1Y1luOExla3FWMGtRT0lqOTNjNHYvTVlaZUo4S2YycTFUa3B0RzcrZzJkV2F6SmJVUmU0WFFSV2pYVnd0QVJpVklTZlM0UDFFQno4NjhrNitPQWFGVU5GQ3VmSExrWEJJZEZzMmVtdDBmSkNaeWFKNjRPU2ZyTlQKLS0tLS1FTkQgRUMgUFJJVkFURSBLRVktLS0tLQo=
    #              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[secret.private-key]
          password: czNjcjN0LVBhNTU=
    #               ^^^^^^^^^^^^^^^^ warning[secret.password]
          binary: FkcOzLAubOUSRPAEohbNQhWb2zgRQ9wfdAJW/o1q7epEnyELhrU98Bz4KUMMLjPuT6BOh8I0SnKArC1FWM0E/kAJAwS7gY36MIN5Pu9yG6jRpm6ofovV42T4gU6wN/s6
  `));
});

test('password-like names: any literal of 4+ characters, numbers of 4+ digits; configuration words are not passwords', () => {
  checkSecrets(dedent(`
    mysql:
      rootPassword: hunter2!
    #               ^^^^^^^^ warning[secret.password]
      replicationPassword: 1234567
    #                      ^^^^^^^ warning[secret.password]
      password: 12
      passwordPolicy: strict
      passwordLength: 24
      passwordUpdateInterval: 30d
      passwordless: enabled
      usePassword: yes
      allowEmptyPassword: true
    extraEnv:
      - name: MYSQL_ROOT_PASSWORD
        value: Tr0ub4dor&3
    #          ^^^^^^^^^^^ warning[secret.password]
      - name: MYSQL_PASSWORD_FILE
        value: /run/secrets/mysql
      - name: PASSWORD_MIN_LENGTH
        value: "12"
  `));
});

test('secret- and token-like names need 8+ characters with some randomness; names and words are quiet', () => {
  checkSecrets(dedent(`
    app:
      jwtSecret: 03nbqnsGpWLuqIA1id6Vw5DQ
    #            ^^^^^^^^^^^^^^^^^^^^^^^^ warning[secret.token]
      sessionKey: d440e50454f31af3176813e02ea68ef7
    #             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[secret.token]
      token: enabled
      tokenTTL: 15m
      tokenEndpoint: https://auth.example.test/token
      tlsSecret: app-tls
      authSecret: Zx9Qw3Er5Ty7Ui9Op1As
    #             ^^^^^^^^^^^^^^^^^^^^ warning[secret.token]
      imagePullSecrets:
        - regcred-prod
      adminTokenSecret: app-admin-token
      secretKey: session-signing-key
      credentialsSecretName: app-creds
      keyRef: app-key
      apiKeyHeader: X-Api-Key
      accessKeyId: backup-user
  `));
});

test('hard suppressors: templates, interpolation, references, SOPS values, paths, identifiers, public keys', () => {
  checkSecrets(dedent(`
    db:
      password: "{{ .Values.global.dbPassword }}"
      token: '{{ randAlphaNum 32 | b64enc }}'
      apiKey: \${API_KEY}
      secret: $(SECRET)
      clientSecret: $CLIENT_SECRET
      webhookSecret: ref+gcpsecrets://my-project/webhook
      privateKey: ENC[AES256_GCM,data:Yml0cw==,iv:aXY=,tag:dGFn,type:str]
      tokenFile: /var/run/secrets/token
      passwordPath: secrets/db-password.txt
      sessionToken: 0b8a3f0e-5c1d-4e7a-9a43-1f2b3c4d5e6f
      signingKey: arn:aws:kms:us-east-1:111122223333:key/0b8a3f0e-5c1d-4e7a-9a43-1f2b3c4d5e6f
      publicKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk2c3Vtc2VjcmV0c3VtcGxlcGxhY2Vob2xkZXI= ops@example.test
      sitekey: 6LdGZ5kUAAAAAKh1yU0m3nQx7rRxV0nZ7Yk2cW9p
    image:
      digest: sha256:3b9f1c0e8a7d6f5e4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2918f7e6d5c
    podAnnotations:
      checksum/secret: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
  `));
});

test('URLs and connection strings: passwords are errors, placeholders and variables are not', () => {
  checkSecrets(dedent(`
    externalDatabase:
      url: postgresql://app:nD8zRA9a9SkpXz9w@db.internal:5432/app
    #                       ^^^^^^^^^^^^^^^^ error[secret.url-password]
      replicaUrl: postgresql://app:\${DB_PASSWORD}@replica:5432/app
      docsUrl: postgresql://user:password@localhost/db
    #                            ^^^^^^^^ info[secret.placeholder]
      dsn: host=db.internal port=5432 user=app password=Xk2p9Lq7 dbname=app
    #                                                   ^^^^^^^^ error[secret.connection-string]
      mssql: Server=tcp:sql.internal,1433;Database=app;User ID=app;Pwd=Vb7-kd92_qQ;Encrypt=True
    #                                                                  ^^^^^^^^^^^ error[secret.connection-string]
      callback: https://hooks.example.test/notify?channel=ops&apiKey=03nbqnsGpWLuqIA1id6Vw5DQ
    #                                                                ^^^^^^^^^^^^^^^^^^^^^^^^ warning[secret.token]
      sshRepo: git@github.com:example/charts.git
      plain: https://charts.example.test/stable
  `));
});

test('effective names: env items use their sibling name, args use the previous --flag or --flag=value', () => {
  checkSecrets(dedent(`
    env:
      - name: GF_SECURITY_ADMIN_PASSWORD
        value: s3cr3t-Pa55
    #          ^^^^^^^^^^^ warning[secret.password]
      - name: LOG_LEVEL
        value: debug
    args:
      - --client-secret
      - d440e50454f31af3176813e02ea68ef7
    #   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[secret.token]
      - --db-password=Xk2p9Lq7
    #                 ^^^^^^^^ warning[secret.password]
      - --log-format=json
    cronjob:
      command: ["sh", "-c", "curl -sf --user backup:Vb7kd92qQx https://backup.example.test/run"]
    #                                               ^^^^^^^^^^ error[secret.curl-user]
    probe:
      httpHeaders:
        - name: Authorization
          value: Bearer nD8zRA9a9SkpXz9w3QlY7Zkuvqdt7s8S
    #                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[secret.auth-header]
  `));
});

test('block scalars are rescanned line by line with exact columns (INI, YAML, env files); templates stay quiet', () => {
  checkSecrets(dedent(`
    grafana.ini: |
      [security]
      admin_user = admin
      admin_password = Tr0ub4dor&3
    #                  ^^^^^^^^^^^ warning[secret.password]
      secret_key = {{ .Values.secretKey }}
    alertmanager:
      config: |
        global:
          smtp_auth_password: 'Vb7-kd92_qQ'
    #                          ^^^^^^^^^^^ warning[secret.password]
          slack_api_url: https://hooks.slack.com/services/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
    #                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[secret.slack-webhook]
          smtp_auth_username: alerts
    dotenv: |
      export API_TOKEN=03nbqnsGpWLuqIA1id6Vw5DQ
    #                  ^^^^^^^^^^^^^^^^^^^^^^^^ warning[secret.token]
      DEBUG=false
    single: |
      ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d
    # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[secret.github-token]
  `));
});

test('embedded manifests: ExternalSecret, SealedSecret and secret references are never flagged', () => {
  checkSecrets(dedent(`
    extraDeploy:
      - apiVersion: bitnami.com/v1alpha1
        kind: SealedSecret
        metadata:
          name: db
        spec:
          encryptedData:
            password: AgBy8hCi8x3Zq7m0eJr6mO5fE2vR9pL1kT4sH7nU0aW3cX6yZ9bQ2dF5gJ8hK1lM4nP7qS0tV3wY6zA9cE2fH5iL8oR1uU4xA7dG0jM3pS6vY9
      - apiVersion: external-secrets.io/v1beta1
        kind: ExternalSecret
        metadata:
          name: api
        spec:
          data:
            - secretKey: apiToken
              remoteRef:
                key: prod/api
                property: token
    env:
      - name: DB_PASSWORD
        valueFrom:
          secretKeyRef:
            name: db-credentials
            key: password
    auth:
      existingSecret: redis-credentials
      existingSecretPasswordKey: redis-password
      secretKeys:
        adminPasswordKey: admin-password
  `));
});

test('anchors: a secret reused through aliases is reported once, at the anchor, with related information at each use', () => {
  const { findings } = checkSecrets(dedent(`
    x-defaults:
      shared: &shared d440e50454f31af3176813e02ea68ef7
    #                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[secret.token]
      base: &base
        apiKey: 03nbqnsGpWLuqIA1id6Vw5DQ
    #           ^^^^^^^^^^^^^^^^^^^^^^^^ warning[secret.token]
    serviceA:
      clientSecret: *shared
    serviceB:
      <<: *base
      region: eu
  `));
  const lines = (i: number) => findings[i]?.related.map((r) => r.line);
  assert.deepEqual(lines(0), [6]);
  assert.deepEqual(lines(1), [8]);
});

test('suppression comments: on the line, alone on the line above, or on the key line of a block', () => {
  checkSecrets(dedent(`
    a:
      password: Tr0ub4dor&3 # gitleaks:allow
      # helm-values: ignore secret
      token: 03nbqnsGpWLuqIA1id6Vw5DQ
      # pragma: allowlist nextline secret
      apiKey: d440e50454f31af3176813e02ea68ef7
      other: 1 # helm-values: ignore secret
      secret: nD8zRA9a9SkpXz9w
    #         ^^^^^^^^^^^^^^^^ warning[secret.token]
      config: | # pragma: allowlist secret
        password = Tr0ub4dor&3
  `));
});

test('SOPS-encrypted files are skipped entirely', () => {
  const text = dedent(`
    password: Tr0ub4dor&3
    sops:
      mac: ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]
      version: 3.8.1
  `);
  assert.deepEqual(detectSecrets(parseValuesDocument('/chart/values.yaml', text)), []);
});

test('options: disabled rules, ignored key paths, values, files and placeholders; entropy rule on demand', () => {
  const fixture = dedent(`
    auth:
      password: Tr0ub4dor&3
      token: 03nbqnsGpWLuqIA1id6Vw5DQ
      apiKey: changeme
    notify:
      target: Zx9Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz
  `);
  const doc = parseValuesDocument('/chart/values-dev.yaml', fixture);
  const codes = (o: Parameters<typeof detectSecrets>[1]) => detectSecrets(doc, o).map((f) => `${f.keyPath} ${f.code}`);
  assert.deepEqual(codes({}), ['auth.password secret.password', 'auth.token secret.token', 'auth.apiKey secret.placeholder']);
  assert.deepEqual(codes({ disabledRules: ['password', 'secret.placeholder'] }), ['auth.token secret.token']);
  assert.deepEqual(codes({ ignoreKeyPaths: ['**.password', 'auth.t*'] }), ['auth.apiKey secret.placeholder']);
  assert.deepEqual(codes({ ignoreValues: [/^Tr0ub/] }), ['auth.token secret.token', 'auth.apiKey secret.placeholder']);
  assert.deepEqual(codes({ placeholders: false }), ['auth.password secret.password', 'auth.token secret.token']);
  assert.deepEqual(codes({ ignorePaths: ['values-*.yaml'], relativePath: 'charts/app/values-dev.yaml' }), []);
  assert.deepEqual(codes({ enabled: false }), []);
  assert.deepEqual(codes({ placeholderPatterns: [/^Tr0ub/], placeholders: false }), ['auth.token secret.token']);
  assert.deepEqual(codes({ entropyRule: { enabled: true } }), ['auth.password secret.password', 'auth.token secret.token', 'auth.apiKey secret.placeholder', 'notify.target secret.entropy']);
});

test('ignore file: entries keyed by file, rule and key path survive edits; a value hash lapses when the value changes', () => {
  const ignore = parseIgnoreFile(dedent(`
    # reviewed 2024-05
    values-dev.yaml:secret.password:auth.password
    values-dev.yaml:token:auth.token#${sha256Hex('something else').slice(0, 12)}
    not an entry
  `));
  assert.deepEqual(ignore.problems, [{ line: 4, message: 'Expected <file>:<rule>:<key path>[#<sha256 prefix>], got "not an entry".' }]);
  const edited = dedent(`
    # a comment that moves every line
    auth:

      password: Tr0ub4dor&3
      token: 03nbqnsGpWLuqIA1id6Vw5DQ
  `);
  const doc = parseValuesDocument('/ws/values-dev.yaml', edited);
  const found = detectSecrets(doc, { ignoreEntries: ignore.entries, relativePath: 'values-dev.yaml' });
  assert.deepEqual(found.map((f) => f.keyPath), ['auth.token']);
  const pinned = parseIgnoreFile(`values-dev.yaml:secret.token:auth.token#${found[0]?.valueHash ?? ''}\n`);
  assert.deepEqual(detectSecrets(doc, { ignoreEntries: pinned.entries, relativePath: 'values-dev.yaml' }).map((f) => f.keyPath), ['auth.password']);
});

test('ignore file: adding an entry keeps comments and order; new files get a header; duplicates are not added', () => {
  const before = '# keep me\nvalues.yaml:secret.password:auth.password\n\n# and me';
  const after = addIgnoreEntry(before, { file: 'ci/x.yaml', rule: 'secret.token', keyPath: 'runner.config>token' });
  assert.equal(after, '# keep me\nvalues.yaml:secret.password:auth.password\n\n# and me\nci/x.yaml:secret.token:runner.config>token\n');
  assert.equal(addIgnoreEntry(after, { file: 'ci/x.yaml', rule: 'secret.token', keyPath: 'runner.config>token' }), after);
  const fresh = addIgnoreEntry('', { file: 'values.yaml', rule: 'secret.password', keyPath: 'a["b.c"]', valueHash: 'abcdef012345' });
  assert.equal(parseIgnoreFile(fresh).entries.map((e) => `${e.file} ${e.rule} ${e.keyPath} ${e.valueHash ?? ''}`).join(), 'values.yaml secret.password a["b.c"] abcdef012345');
  assert.ok(fresh.startsWith('# '));
});

test('redaction shows at most a fifth of the secret and its length', () => {
  assert.equal(redact('ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d', 4), 'ghp_…OL8d (40 chars)');
  assert.equal(redact('Tr0ub4dor&3'), 'T…3 (11 chars)');
  assert.equal(redact('hunter'), '… (6 chars)');
  assert.equal(redact('-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----', 31), '-----BEGIN RSA PRIVATE KEY-----…---- (71 chars)');
  const all = detectSecrets(parseValuesDocument('/v.yaml', 'a:\n  password: Tr0ub4dor&3\n  token: 03nbqnsGpWLuqIA1id6Vw5DQ\n'));
  for (const f of all) {
    assert.ok(!f.message.includes(secretText(f) ?? '?'), f.message);
    assert.match(f.message, /rotated/);
  }
});

test('helpers: sha256, base64 text, entropy, key paths and globs, names', () => {
  assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(sha256Hex('a'.repeat(1000)), '41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3');
  assert.equal(decodeBase64Text('czNjcjN0LVBhNTU='), 's3cr3t-Pa55');
  assert.equal(decodeBase64Text('not base64!'), undefined);
  assert.equal(decodeBase64Text('FkcOzLAubOUSRPAEohbN'), undefined);
  assert.equal(entropy('aaaa'), 0);
  assert.equal(entropy('abcd'), 2);
  const p = ['grafana', 'grafana.ini', 'auth.generic_oauth', 'client_secret'];
  assert.equal(formatKeyPath(p), 'grafana["grafana.ini"]["auth.generic_oauth"].client_secret');
  assert.deepEqual(parseKeyPath(formatKeyPath(p)), p);
  assert.deepEqual(parseKeyPath('env[0].value'), ['env', 0, 'value']);
  assert.ok(matchKeyPath(compileKeyPathGlob('*.auth.secretKeys.*'), ['postgresql', 'auth', 'secretKeys', 'adminPasswordKey']));
  assert.ok(matchKeyPath(compileKeyPathGlob('**.password'), ['a', 'b', 'password']));
  assert.ok(matchKeyPath(compileKeyPathGlob('env[*].value'), ['env', 3, 'value']));
  assert.ok(!matchKeyPath(compileKeyPathGlob('*.password'), ['a', 'b', 'password']));
  assert.ok(compileFileGlob('**/ci/*-values.yaml').test('charts/app/ci/test-values.yaml'));
  assert.ok(!compileFileGlob('**/ci/*-values.yaml').test('charts/app/values.yaml'));
  const kinds = (n: string) => {
    const c = classifyName(n);
    return c.reference || c.secretObject ? 'reference' : c.password ? 'password' : c.secret ? 'secret' : c.public ? 'public' : '-';
  };
  assert.deepEqual(
    ['adminPassword', 'DB_PASSWORD', 'bindpw', 'erlangCookie', 'cookieSecret', 'passwordPolicy', 'argocdServerAdminPasswordMtime', 'existingSecretPasswordKey', 'tlsSecretName', 'passwordKey', 'keystorePasswordSecretKey', 'apiKey', 'ENCRYPTION_KEY', 'topologyKey', 'tokenTTL', 'vapidPublicKey', 'clientSecret', 'tlsSecret', 'configFromSecret'].map(kinds),
    ['password', 'password', 'password', 'password', 'password', '-', '-', 'reference', 'reference', 'reference', 'reference', 'secret', 'secret', '-', '-', 'public', 'secret', 'reference', 'reference'],
  );
});

test('settings: patterns are compiled by the caller; invalid ones are reported, not thrown', () => {
  const compile = (s: string) => (s.includes('(') && !s.includes(')') ? undefined : new RegExp(s));
  const { options, problems } = secretOptionsFromSettings({ ignoreValues: ['^test-', 'bad('], disabledRules: ['password', 3], entropyRule: { enabled: true } }, compile);
  assert.deepEqual(options.ignoreValues?.map(String), ['/^test-/']);
  assert.deepEqual(options.disabledRules, ['password']);
  assert.deepEqual(options.entropyRule, { enabled: true });
  assert.deepEqual(problems, ['helmValues.secrets.ignoreValues: "bad(" is not a valid regular expression; it is ignored.']);
});

test('total: broken, truncated and odd documents never throw', () => {
  const base = dedent(`
    a: &x
      password: "Tr0ub4dor&3\\n
      token: |2
         ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d
    b: [*x, {<<: *x, value: 'it''s'}]
    c: !vault |
      $ANSIBLE_VAULT;1.1;AES256
    d: !!binary czNjcjN0LVBhNTU=
    ? [complex, key]
    : "x"
    e: "unterminated
  `);
  for (let cut = 0; cut <= base.length; cut += 3) {
    const doc = parseValuesDocument('/v.yaml', base.slice(0, cut));
    for (const f of detectSecrets(doc, { entropyRule: { enabled: true } })) {
      assert.ok(f.offset >= 0 && f.endOffset <= cut && f.offset <= f.endOffset, `${f.code} ${f.offset}-${f.endOffset} outside 0-${cut}`);
    }
  }
});
