// The rules of docs/secrets-policy.md as pure functions of (value, name): hard suppressors, provider formats and
// connection strings (Error), name rules (Warning), placeholders (Information), keyless entropy (Hint, opt-in).
// Every rule is general (no rule names a test case); the reasons are in docs/secrets-decisions.md.
import type { Severity } from '../types';
import type { NameInfo } from './names';
import { classifyName } from './names';
import { decodeBase64Text, entropy } from './redact';

/** One detected secret inside a scanned string. Offsets are into that string. */
export interface Hit {
  /** `secret.<rule>`. */
  code: string;
  severity: Severity;
  start: number;
  end: number;
  /** The secret itself (redacted before it reaches a message). */
  secret: string;
  /** What it is, for the message: "GitHub token", "password". */
  title: string;
  /** Characters at the start of `secret` that are not secret (a token type prefix, a PEM header). */
  visiblePrefix?: number;
}

export interface RuleOptions {
  /** Extra placeholder patterns (settings `secrets.placeholderPatterns`). */
  placeholders: readonly RegExp[];
  /** Replace the built-in placeholder list instead of extending it. */
  replacePlaceholders: boolean;
  entropyRule: boolean;
}

export const DEFAULT_RULE_OPTIONS: RuleOptions = { placeholders: [], replacePlaceholders: false, entropyRule: false };

// ---------------------------------------------------------------------------------------------------------------
// Step 1: values that are never secrets.

const HELM_ACTION = /\{\{[-\s]*[^}\s]/;
const MUSTACHE_PLACEHOLDER = /^\{\{\s*[A-Z][A-Z0-9_]*\s*\}\}$/;
const INTERPOLATION = /\$\{[^}\s]*\}|\$\([A-Za-z_][A-Za-z0-9_]*\)|\$__(?:env|file|vault)\{/;
const WHOLE_VARIABLE = /^(?:\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%)$/;
const EXTERNAL_REF = /\bref\+[a-z0-9]+:\/\/|\bsecretref\+/;
const SOPS_VALUE = /^ENC\[[A-Z0-9_]+,data:/;
const ABSOLUTE_PATH = /^(?:\/(?:etc|var|run|tmp|opt|usr|home|root|srv|mnt|data|app|config|secrets?|vault|certs?|bitnami|opt|workspace|kaniko|tls|keys|credentials|proc|dev)(?:\/[\w.@%-]*)*|\/(?:[\w.@-]+\/){2,}[\w.@-]*|~\/[\w.@/-]*|[A-Za-z]:\\[\w.\\ -]*)$/;
const RELATIVE_PATH = /^(?:\.{0,2}\/)?[\w.@-]+(?:\/[\w.@-]+)+\/?$|^[\w.-]+\.(?:pem|key|crt|cert|cer|der|json|ya?ml|txt|conf|cfg|ini|p12|pfx|jks|keystore|toml|env|properties|htpasswd)$/;

export type Suppression = 'template' | 'interpolation' | 'external-ref' | 'sops' | 'path';

/** Hard suppressors checked on a value as a whole (policy 2.1, by value). Single-line values only. */
export function suppressedValue(value: string, name?: NameInfo): Suppression | undefined {
  if (HELM_ACTION.test(value) && !MUSTACHE_PLACEHOLDER.test(value) && value.includes('}}')) return 'template';
  if (INTERPOLATION.test(value) || WHOLE_VARIABLE.test(value)) return 'interpolation';
  if (EXTERNAL_REF.test(value)) return 'external-ref';
  if (SOPS_VALUE.test(value)) return 'sops';
  if (ABSOLUTE_PATH.test(value)) return 'path';
  if (name?.path && RELATIVE_PATH.test(value)) return 'path';
  return undefined;
}

const PUBLIC_PEM = /-----BEGIN (?:CERTIFICATE|TRUSTED CERTIFICATE|X509 CRL|(?:NEW )?CERTIFICATE REQUEST|PUBLIC KEY|RSA PUBLIC KEY|OPENSSH PUBLIC KEY|SSH2 PUBLIC KEY|PGP PUBLIC KEY BLOCK|PGP SIGNATURE|PGP MESSAGE|AGE ENCRYPTED FILE)-----/;
const SSH_PUBLIC = /^(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) AAAA/m;
const PUBLIC_TOKEN = /^(?:pk_(?:live|test)_[A-Za-z0-9]+|6L[A-Za-z0-9_-]{38}|age1[a-z0-9]{58}|npub1[a-z0-9]+)$/;

/** Public material (policy 2.1): certificates, public keys, publishable and site keys. Never flagged. */
export function isPublicMaterial(value: string): boolean {
  if (value.includes('PRIVATE KEY')) return false;
  return PUBLIC_PEM.test(value) || SSH_PUBLIC.test(value) || PUBLIC_TOKEN.test(value);
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DIGEST = /^(?:[\w.-]+(?::\d+)?\/[\w./-]+(?::[\w.-]+)?@)?sha(?:1|256|384|512):[0-9a-fA-F]{32,}$/;
const HEX = /^[0-9a-fA-F]{7,}$/;

/** Identifiers (policy 2.1): UUIDs, ARNs, digests, and hex under digest/sha/checksum/hash/tag keys. */
export function isIdentifier(value: string, name?: NameInfo): boolean {
  return UUID.test(value) || value.startsWith('arn:') || DIGEST.test(value) || (name?.identifier === true && HEX.test(value));
}

// ---------------------------------------------------------------------------------------------------------------
// Placeholders (policy 2.4) and known chart defaults (2.3).

const PLACEHOLDERS: readonly RegExp[] = [
  /^change[_-]?(?:me|it)\b/i,
  /^changeme/i,
  /^<[^<>]*>$/,
  /^\[[^[\]]*\]$/,
  /^\{\{\s*[A-Z][A-Z0-9_]*\s*\}\}$/,
  /^(?:__|@@)[A-Za-z0-9_]+(?:__|@@)$/,
  /^replace[_-]?(?:me|this|with)/i,
  /^(?:todo|tbd|fixme|none|null|nil|n\/a|redacted|hidden|masked|secret|password|token|pass|pwd|passwd|apikey|api[_-]key|key)$/i,
  /\b(?:dummy|example|sample|placeholder|fake)\b/i,
  /(?:^|[_-])(?:dummy|example|sample|placeholder)(?:$|[_-])/i,
  /EXAMPLE/,
  /^your[-_ ].*[-_ ](?:here|key|token|password|secret)$/i,
  /^x{3,}$/i,
  /^\*+$/,
  /^\.{3,}$|^…$/,
  /^(.)\1{5,}$/,
];

export function isPlaceholder(value: string, name: NameInfo | undefined, options: RuleOptions): boolean {
  const v = value.trim();
  const list = options.replacePlaceholders ? options.placeholders : [...PLACEHOLDERS, ...options.placeholders];
  if (list.some((re) => re.test(v))) return true;
  // A value equal to a word of its own key ("password: password", "token: token").
  const flat = v.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (name && flat !== '' && (name.words.includes(flat) || name.words.join('') === flat)) return true;
  // A dummy run: the random-looking part is one repeated character or a counting sequence.
  return isDummyRun(v);
}

function isDummyRun(v: string): boolean {
  const body = v.replace(/^[a-z]{2,4}_(?:live|test|prod)_/i, '');
  if (body.length >= 8 && new Set(body).size <= 2) return true;
  return body.length >= 8 && ('0123456789'.repeat(4).includes(body) || 'abcdefghijklmnopqrstuvwxyz'.includes(body.toLowerCase()));
}

/** Published default credentials of popular charts and images (policy 2.3): flagged as "default credential". */
const KNOWN_DEFAULTS = new Set(['prom-operator', 'harbor12345', 'minioadmin', 'minio123', 'admin123', 'bitnami', 'rabbitmq', 'guest', 'neo4j', 'sonar', 'jenkins', 'grafana', 'keycloak', 'openpgpjs', 'changeit']);

export function isKnownDefault(value: string): boolean {
  return KNOWN_DEFAULTS.has(value.toLowerCase());
}

// ---------------------------------------------------------------------------------------------------------------
// Step 2: formats, whatever the key (Error).

interface FormatRule {
  rule: string;
  title: string;
  re: RegExp;
  severity?: Severity;
  /** Minimum Shannon entropy of the token body (after the visible prefix). */
  minEntropy: number;
  /** Length of the non-secret prefix (or a function of the match). */
  prefix: number | ((m: string) => number);
}

const FORMATS: readonly FormatRule[] = [
  { rule: 'aws-access-key', title: 'AWS access key ID', re: /\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/g, minEntropy: 3, prefix: 4 },
  { rule: 'github-token', title: 'GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})\b/g, minEntropy: 3, prefix: (m) => (m.startsWith('github_pat_') ? 11 : 4) },
  { rule: 'gitlab-token', title: 'GitLab token', re: /\b(?:(?:glpat|glrt|gldt|glptt|glft|glsoat|glcbt|glimt|glagent|gloas|glffct)-[A-Za-z0-9_-]{20,}|GR1348941[A-Za-z0-9_-]{20,})/g, minEntropy: 3, prefix: (m) => (m.startsWith('GR') ? 9 : m.indexOf('-') + 1) },
  { rule: 'slack-token', title: 'Slack token', re: /\bxox[abposre]-[0-9A-Za-z-]{10,}|\bxapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+/g, minEntropy: 3, prefix: 5 },
  { rule: 'slack-webhook', title: 'Slack webhook URL', re: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/_-]{20,}/g, minEntropy: 3, prefix: 33 },
  { rule: 'discord-webhook', title: 'Discord webhook URL', re: /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d+\/[A-Za-z0-9_-]{60,}/g, minEntropy: 3, prefix: 33 },
  { rule: 'jwt', title: 'JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, minEntropy: 3, prefix: 3 },
  { rule: 'stripe-key', title: 'Stripe secret key', re: /\b[rs]k_(?:live|test|prod)_[A-Za-z0-9]{10,99}\b/g, minEntropy: 3, prefix: 8 },
  { rule: 'openai-key', title: 'OpenAI API key', re: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{10,}T3BlbkFJ[A-Za-z0-9_-]{10,}/g, minEntropy: 3, prefix: 3 },
  { rule: 'anthropic-key', title: 'Anthropic API key', re: /\bsk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{80,}/g, minEntropy: 3, prefix: 7 },
  // Google API keys are often browser-restricted by design (Maps): a Warning, not an Error (decisions).
  { rule: 'gcp-api-key', title: 'Google API key', re: /\bAIza[A-Za-z0-9_-]{35}\b/g, severity: 'warning', minEntropy: 3, prefix: 4 },
  { rule: 'gcp-oauth-secret', title: 'Google OAuth client secret', re: /\bGOCSPX-[A-Za-z0-9_-]{28}\b/g, minEntropy: 3, prefix: 7 },
  { rule: 'telegram-bot-token', title: 'Telegram bot token', re: /\b\d{8,10}:AA[A-Za-z0-9_-]{33}\b/g, minEntropy: 3, prefix: 0 },
  { rule: 'newrelic-key', title: 'New Relic key', re: /\b(?:NRAK-[A-Z0-9]{27}|NRJS-[a-f0-9]{19}|NRII-[A-Za-z0-9_-]{32}|[a-f0-9]{36}NRAL)\b/g, minEntropy: 3, prefix: (m) => (m.startsWith('NR') ? 5 : 0) },
  { rule: 'azure-storage-key', title: 'Azure storage account key', re: /(?<=AccountKey=)[A-Za-z0-9+/]{86}==/g, minEntropy: 4, prefix: 0 },
  { rule: 'sendgrid-key', title: 'SendGrid API key', re: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/g, minEntropy: 3, prefix: 3 },
  { rule: 'npm-token', title: 'npm token', re: /\bnpm_[A-Za-z0-9]{36}\b/g, minEntropy: 3, prefix: 4 },
  { rule: 'pypi-token', title: 'PyPI token', re: /\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/g, minEntropy: 3, prefix: 5 },
  { rule: 'huggingface-token', title: 'Hugging Face token', re: /\bhf_[A-Za-z]{34}\b/g, minEntropy: 3, prefix: 3 },
  { rule: 'digitalocean-token', title: 'DigitalOcean token', re: /\bdo[opr]_v1_[a-f0-9]{64}\b/g, minEntropy: 3, prefix: 7 },
  { rule: 'shopify-token', title: 'Shopify token', re: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b/g, minEntropy: 3, prefix: 6 },
  { rule: 'vault-token', title: 'HashiCorp Vault token', re: /\bhv[sb]\.[A-Za-z0-9_-]{24,}/g, minEntropy: 3, prefix: 4 },
  { rule: 'grafana-token', title: 'Grafana token', re: /\bglc_[A-Za-z0-9+/]{32,}={0,2}|\bglsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}\b/g, minEntropy: 3, prefix: (m) => m.indexOf('_') + 1 },
  { rule: 'age-secret-key', title: 'age secret key', re: /\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}\b/g, minEntropy: 3, prefix: 15 },
  { rule: 'twilio-key', title: 'Twilio API key', re: /\bSK[0-9a-fA-F]{32}\b/g, minEntropy: 3, prefix: 2 },
  { rule: 'mailchimp-key', title: 'Mailchimp API key', re: /\b[0-9a-f]{32}-us\d{1,2}\b/g, minEntropy: 3, prefix: 0 },
  { rule: 'doppler-token', title: 'Doppler token', re: /\bdp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}\b/g, minEntropy: 3, prefix: 6 },
  { rule: 'postman-key', title: 'Postman API key', re: /\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\b/g, minEntropy: 3, prefix: 5 },
  { rule: 'linear-key', title: 'Linear API key', re: /\blin_api_[A-Za-z0-9]{40}\b/g, minEntropy: 3, prefix: 8 },
  { rule: 'databricks-token', title: 'Databricks token', re: /\bdapi[a-f0-9]{32}(?:-\d)?\b/g, minEntropy: 3, prefix: 4 },
  { rule: 'pulumi-token', title: 'Pulumi token', re: /\bpul-[a-f0-9]{40}\b/g, minEntropy: 3, prefix: 4 },
];

/** Cheap pre-check: no format rule can match a value without one of these. */
const PREFILTER =
  /A3T|AKIA|ASIA|ABIA|ACCA|gh[pousr]_|github_pat_|gl[a-z]{2,6}-|GR1348941|xox|xapp-|hooks\.slack|discord|PRIVATE KEY|eyJ|k_(?:live|test|prod)_|T3BlbkFJ|sk-ant-|AIza|GOCSPX|:AA|NR[AJI][KSI]-|NRAL|AccountKey|SG\.|npm_|pypi-|hf_|_v1_|shp|hv[sb]\.|glc_|glsa_|AGE-SECRET|SK[0-9a-fA-F]{32}|-us\d|dp\.|PMAK|lin_api|dapi|pul-|:\/\/|=|Basic|Bearer|Token|curl|\$2|\$apr1\$|\{S?SHA\}|\$[56]\$|\$argon2|\$pbkdf2|auths/;

/** False when no format rule can match `value` (a cheap pre-check before the rules). */
export function mayHaveFormat(value: string): boolean {
  return PREFILTER.test(value);
}

const PRIVATE_KEY = /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----([\s\S]*?)(?:-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----|$)/g;
const URL_USERINFO = /\b([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^\s:@/?#'"]*):([^\s@/?#'"]+)@/g;
const PARAM = /(?:^|[?&;\s])([A-Za-z][\w .-]*?)\s*=\s*('[^']*'|"[^"]*"|\{\{.*?\}\}|\{[^}]*\}|[^;&\s'"]+)/g;
const DOCKER_FIELD = /"(password|auth|identitytoken|registrytoken)"\s*:\s*"([^"]*)"/g;
const AUTH_SCHEME = /\b(Basic|Bearer|Token)\s+([A-Za-z0-9+/._~-]{8,}={0,2})/g;
const CURL_USER = /\bcurl\b[^\n]*?\s(?:-u|--user)(?:\s+|=)(['"]?)([^\s:'"]+):([^\s'"]+)\1/g;
const PASSWORD_HASH = /\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}|\$apr1\$[./A-Za-z0-9]{0,8}\$[./A-Za-z0-9]{22}|\{SHA\}[A-Za-z0-9+/]{27}=|\{SSHA\}[A-Za-z0-9+/]{20,}={0,2}|\$[56]\$(?:rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43,86}|\$argon2(?:id|i|d)\$[^\s"',]+|\$pbkdf2-sha\d+\$[^\s"',]+/g;
const AWS_SECRET = /^[A-Za-z0-9/+]{40}$/;

/** Is this password slot a placeholder or an indirection rather than a literal? */
export function placeholderOrIndirection(password: string, user: string | undefined, options: RuleOptions): 'placeholder' | 'indirection' | undefined {
  if (suppressedValue(password) || HELM_ACTION.test(password) || /^\$/.test(password) || /^%\w+%$/.test(password)) return 'indirection';
  if (isPlaceholder(password, undefined, options) || (user !== undefined && password === user) || /^\*+$/.test(password)) return 'placeholder';
  const decoded = safeDecodeURI(password);
  if (decoded !== password && isPlaceholder(decoded, undefined, options)) return 'placeholder';
  return undefined;
}

function safeDecodeURI(s: string): string {
  // decodeURIComponent throws on malformed escapes; decode only well-formed %XX ASCII escapes.
  return s.replace(/%([0-7][0-9A-Fa-f])/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function placeholderHit(start: number, end: number, secret: string, title: string): Hit {
  return { code: 'secret.placeholder', severity: 'info', start, end, secret, title };
}

/**
 * Format rules on one string (a scalar, a line of a block, a decoded base64 value). `name` is the effective name of
 * the value, used only by the rules that need a header or key name (Authorization, AWS secret key).
 */
export function formatHits(value: string, name: NameInfo | undefined, options: RuleOptions): Hit[] {
  const hits: Hit[] = [];
  if (name?.awsSecret && AWS_SECRET.test(value)) {
    if (/EXAMPLE/.test(value) || entropy(value) < 3.5) hits.push(placeholderHit(0, value.length, value, 'AWS secret access key'));
    else hits.push({ code: 'secret.aws-secret-key', severity: 'error', start: 0, end: value.length, secret: value, title: 'AWS secret access key' });
    return hits;
  }
  if (!PREFILTER.test(value)) return hits;
  for (const f of FORMATS) {
    f.re.lastIndex = 0;
    for (let m = f.re.exec(value); m; m = f.re.exec(value)) {
      const text = m[0];
      const prefix = typeof f.prefix === 'number' ? f.prefix : f.prefix(text);
      const body = text.slice(prefix);
      const hit: Hit = { code: `secret.${f.rule}`, severity: f.severity ?? 'error', start: m.index, end: m.index + text.length, secret: text, title: f.title, visiblePrefix: prefix };
      if (/EXAMPLE/.test(text) || entropy(body) < f.minEntropy || isDummyRun(body)) hits.push({ ...hit, code: 'secret.placeholder', severity: 'info' });
      else hits.push(hit);
    }
  }
  if (value.includes('PRIVATE KEY')) privateKeys(value, hits);
  if (value.includes('://')) urlPasswords(value, hits, options);
  if (value.includes('=') && !value.includes('\n')) connectionParams(value, hits, options);
  if (value.includes('auths') || name?.words.includes('dockerconfigjson')) dockerConfig(value, hits, options);
  if (/Basic|Bearer|Token/.test(value) && (name?.authorization || /authorization/i.test(value))) authHeaders(value, hits, options);
  if (value.includes('curl')) curlUsers(value, hits, options);
  if (value.includes('$') || value.includes('{S')) passwordHashes(value, hits);
  return dedupeOverlaps(hits);
}

function privateKeys(value: string, hits: Hit[]): void {
  PRIVATE_KEY.lastIndex = 0;
  for (let m = PRIVATE_KEY.exec(value); m; m = PRIVATE_KEY.exec(value)) {
    const body = (m[1] ?? '').replace(/\\n|\\r|\s/g, '');
    const header = m[0].indexOf('-----', 5) + 5;
    const hit: Hit = { code: 'secret.private-key', severity: 'error', start: m.index, end: m.index + m[0].length, secret: m[0], title: 'private key', visiblePrefix: header };
    // A header with no key material (`...`, `<key>`) is documentation.
    if (body.replace(/[^A-Za-z0-9+/=]/g, '').length < 64 || entropy(body) < 4) hits.push({ ...hit, code: 'secret.placeholder', severity: 'info' });
    else hits.push(hit);
    if (m[0].length === 0) PRIVATE_KEY.lastIndex++;
  }
}

function urlPasswords(value: string, hits: Hit[], options: RuleOptions): void {
  URL_USERINFO.lastIndex = 0;
  for (let m = URL_USERINFO.exec(value); m; m = URL_USERINFO.exec(value)) {
    const user = m[2] ?? '';
    const password = m[3] ?? '';
    const start = m.index + m[0].length - 1 - password.length;
    const kind = placeholderOrIndirection(password, user, options);
    if (kind === 'indirection') continue;
    if (kind === 'placeholder') hits.push(placeholderHit(start, start + password.length, password, 'URL password'));
    else hits.push({ code: 'secret.url-password', severity: 'error', start, end: start + password.length, secret: password, title: 'password in a URL' });
  }
}

/** `k=v` parameters of URLs (query strings), JDBC/ADO.NET (`;`) and libpq (space-separated) connection strings. */
function connectionParams(value: string, hits: Hit[], options: RuleOptions): void {
  const isUrl = /^[a-zA-Z][a-zA-Z0-9+.:-]*:\/\/[^\s]*\?/.test(value);
  const pairs: { key: string; val: string; at: number }[] = [];
  PARAM.lastIndex = 0;
  for (let m = PARAM.exec(value); m; m = PARAM.exec(value)) {
    const raw = m[2] ?? '';
    const quoted = /^['"]|^\{(?!\{)/.test(raw);
    const val = quoted ? raw.slice(1, -1) : raw;
    pairs.push({ key: (m[1] ?? '').trim(), val, at: m.index + m[0].length - raw.length + (quoted ? 1 : 0) });
  }
  // A connection string has several parameters; one `k=v` alone is an assignment (left to the name rules).
  if (!isUrl && pairs.length < 2) return;
  if (!isUrl && !/[;]|\s\w+\s*=|^\w[\w ]*=[^=]*;/.test(value)) return;
  for (const p of pairs) {
    const n = classifyName(p.key);
    if (!n.password && !n.secret) continue;
    if (p.val === '') continue;
    const kind = placeholderOrIndirection(p.val, undefined, options);
    if (kind === 'indirection') continue;
    if (kind === 'placeholder') hits.push(placeholderHit(p.at, p.at + p.val.length, p.val, `${p.key} parameter`));
    else if (n.password) hits.push({ code: 'secret.connection-string', severity: 'error', start: p.at, end: p.at + p.val.length, secret: p.val, title: `connection-string ${p.key}` });
    else if (p.val.length >= 8 && (entropy(p.val) >= 3 || (/\d/.test(p.val) && /[A-Za-z]/.test(p.val)))) {
      hits.push({ code: 'secret.token', severity: 'warning', start: p.at, end: p.at + p.val.length, secret: p.val, title: `${p.key} parameter` });
    }
  }
}

function dockerConfig(value: string, hits: Hit[], options: RuleOptions): void {
  DOCKER_FIELD.lastIndex = 0;
  for (let m = DOCKER_FIELD.exec(value); m; m = DOCKER_FIELD.exec(value)) {
    const field = m[1] ?? '';
    const secret = m[2] ?? '';
    if (secret === '') continue;
    const start = m.index + m[0].length - 1 - secret.length;
    let password = secret;
    if (field === 'auth') {
      const decoded = decodeBase64Text(secret);
      const colon = decoded?.indexOf(':') ?? -1;
      if (decoded !== undefined && colon >= 0) password = decoded.slice(colon + 1);
    }
    const kind = placeholderOrIndirection(password, undefined, options);
    if (kind === 'indirection') continue;
    if (kind === 'placeholder') hits.push(placeholderHit(start, start + secret.length, secret, `docker config ${field}`));
    else hits.push({ code: 'secret.docker-config', severity: 'error', start, end: start + secret.length, secret, title: `docker config "${field}"` });
  }
}

function authHeaders(value: string, hits: Hit[], options: RuleOptions): void {
  AUTH_SCHEME.lastIndex = 0;
  for (let m = AUTH_SCHEME.exec(value); m; m = AUTH_SCHEME.exec(value)) {
    const scheme = m[1] ?? '';
    const cred = m[2] ?? '';
    const start = m.index + m[0].length - cred.length;
    let secret = cred;
    if (scheme === 'Basic') {
      const decoded = decodeBase64Text(cred);
      const colon = decoded?.indexOf(':') ?? -1;
      if (decoded === undefined || colon < 0) continue;
      secret = decoded.slice(colon + 1);
    } else if (cred.length < 16 || entropy(cred) < 3) continue;
    const kind = placeholderOrIndirection(secret, undefined, options);
    if (kind === 'indirection') continue;
    if (kind === 'placeholder') hits.push(placeholderHit(start, start + cred.length, cred, `${scheme} credentials`));
    else hits.push({ code: 'secret.auth-header', severity: 'error', start, end: start + cred.length, secret: cred, title: `Authorization ${scheme} credentials` });
  }
}

function curlUsers(value: string, hits: Hit[], options: RuleOptions): void {
  CURL_USER.lastIndex = 0;
  for (let m = CURL_USER.exec(value); m; m = CURL_USER.exec(value)) {
    const user = m[2] ?? '';
    const password = m[3] ?? '';
    const start = m.index + m[0].length - (m[1] ?? '').length - password.length;
    const kind = placeholderOrIndirection(password, user, options);
    if (kind === 'indirection') continue;
    if (kind === 'placeholder') hits.push(placeholderHit(start, start + password.length, password, 'curl password'));
    else hits.push({ code: 'secret.curl-user', severity: 'error', start, end: start + password.length, secret: password, title: 'password in curl -u' });
  }
}

function passwordHashes(value: string, hits: Hit[]): void {
  PASSWORD_HASH.lastIndex = 0;
  for (let m = PASSWORD_HASH.exec(value); m; m = PASSWORD_HASH.exec(value)) {
    hits.push({ code: 'secret.password-hash', severity: 'warning', start: m.index, end: m.index + m[0].length, secret: m[0], title: 'password hash' });
  }
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

/** Keeps the most severe of overlapping hits (a token inside a URL password is one finding, not two). */
function dedupeOverlaps(hits: Hit[]): Hit[] {
  if (hits.length < 2) return hits;
  const sorted = [...hits].sort((a, b) => RANK[b.severity] - RANK[a.severity] || b.end - b.start - (a.end - a.start));
  const kept: Hit[] = [];
  for (const h of sorted) if (!kept.some((k) => h.start < k.end && k.start < h.end)) kept.push(h);
  return kept.sort((a, b) => a.start - b.start);
}

// ---------------------------------------------------------------------------------------------------------------
// Step 3/4: names (Warning), placeholders under secret names (Information).

const URL_VALUE = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/\S*$/;
const IDENTIFIER_WORDS = /^[a-z]+(?:[-_.][a-z]+)*$/;

export function nameHit(value: string, name: NameInfo, options: RuleOptions): Hit | undefined {
  if (!name.password && !name.secret) return undefined;
  const whole = { start: 0, end: value.length, secret: value };
  if (isKnownDefault(value)) return { ...whole, code: 'secret.default-credential', severity: 'warning', title: 'default credential' };
  if (isPlaceholder(value, name, options)) return { ...whole, code: 'secret.placeholder', severity: 'info', title: name.password ? 'placeholder password' : 'placeholder secret' };
  // `user:pass` pairs whose password repeats the user name (`admin:admin`) are well-known defaults, shown as placeholders.
  const pair = /^([^:\s]+):([^:\s]+)$/.exec(value);
  if (pair && pair[1] === pair[2]) return { ...whole, code: 'secret.placeholder', severity: 'info', title: 'default user:password pair' };
  // A URL under a secret name is an endpoint; its credentials, if any, are the URL rules' business.
  if (URL_VALUE.test(value)) return undefined;
  if (name.password) {
    if (value.length < 4) return undefined;
    return { ...whole, code: 'secret.password', severity: 'warning', title: 'password' };
  }
  if (value.length < 8 || /\s/.test(value)) return undefined;
  // Lowercase words joined by -, _ or . (`keystore-password`, `thanos.yaml`, `prometheus-config`) name things: a key
  // inside a Secret, a Secret, a file. Generated secrets are not made of lowercase words only.
  if (IDENTIFIER_WORDS.test(value)) return undefined;
  if (entropy(value) >= 3 || (/\d/.test(value) && /[A-Za-z]/.test(value))) return { ...whole, code: 'secret.token', severity: 'warning', title: 'secret' };
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Step 5 (opt-in): keyless high entropy (Hint).

const B64_CHARS = /^[A-Za-z0-9+/=_-]{20,}$/;
const HEX_CHARS = /^[0-9a-fA-F]{20,}$/;

export function entropyHit(value: string): Hit | undefined {
  if (value.length < 20 || /\s/.test(value)) return undefined;
  if (isDummyRun(value) || UUID.test(value)) return undefined;
  const h = entropy(value);
  const loud = HEX_CHARS.test(value) ? h > 3.0 : B64_CHARS.test(value) ? h > 4.5 : false;
  // Identifiers and words: need a digit and both cases (or hex) to look machine-generated.
  if (!loud || !/\d/.test(value) || (!HEX_CHARS.test(value) && !(/[a-z]/.test(value) && /[A-Z]/.test(value)))) return undefined;
  return { code: 'secret.entropy', severity: 'hint', start: 0, end: value.length, secret: value, title: 'high-entropy string' };
}
