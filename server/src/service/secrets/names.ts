// What a key name says about its value. Names are split into words (camelCase, snake_case, kebab-case, dotted) and
// judged by their LAST words, the head noun of the name: `adminPassword` and `DB_PASSWORD` are passwords,
// `passwordPolicy`, `tokenTTL`, `tokenUrl` and `argocdServerAdminPasswordMtime` are not (decisions: docs/secrets-decisions.md).

export interface NameInfo {
  words: readonly string[];
  /** Password-like: flagged at any length >= 4, no entropy requirement. */
  password: boolean;
  /** Secret- or token-like: flagged at >= 8 characters with some randomness. */
  secret: boolean;
  /** The value names or locates a secret (existingSecret, *SecretName, *PasswordKey, *Ref). Never flagged. */
  reference: boolean;
  /**
   * `<word>Secret` naming a Kubernetes Secret object (`tlsSecret`, `passwordSecret`): a reference when the value can be
   * an object name, else a secret-like name (`authSecret: Zx9…` is the secret itself).
   */
  secretObject: boolean;
  /** Public by design (publicKey, siteKey, publishableKey). Never flagged. */
  public: boolean;
  /** Holds a file path (passwordFile, keyPath, *_file). Path-like values are never flagged. */
  path: boolean;
  /** Digest, hash, checksum, sha*, tag: hex values are identifiers. */
  identifier: boolean;
  /** A header name: `Authorization`. */
  authorization: boolean;
  /** Names the AWS secret access key (aws_secret_access_key, secretAccessKey). */
  awsSecret: boolean;
}

const PASSWORD_WORDS = new Set(['password', 'passwords', 'passwd', 'pwd', 'passphrase', 'pass', 'pw', 'bindpw', 'credential', 'credentials', 'erlangcookie', 'cookiesecret']);
const PASSWORD_SUFFIXES = ['password', 'passwd', 'passphrase'];
const SECRET_WORDS = new Set([
  'secret', 'token', 'tokens', 'apikey', 'apikeys', 'salt', 'fernet', 'dsn', 'accesskey', 'privatekey', 'licensekey', 'routingkey',
  'signingkey', 'encryptionkey', 'secretkey', 'fernetkey', 'masterkey', 'apitoken', 'authtoken', 'accesstoken', 'clientsecret', 'webhooksecret',
]);
/** `<word> key` pairs that name key material (`apiKey`, `ENCRYPTION_KEY`, `accountKey`), unlike `key`, `topologyKey`, `tokenKey`. */
const KEY_QUALIFIERS = new Set([
  'api', 'access', 'private', 'license', 'routing', 'signing', 'encryption', 'secret', 'fernet', 'master', 'app', 'hmac', 'session', 'jwt', 'auth',
  'account', 'storage', 'sas', 'shared', 'cookie', 'crypto', 'decryption', 'admin',
]);
/** `<word> secret` pairs naming a Kubernetes Secret object, not a secret value (`passwordSecret`, `tlsSecret`, `imagePullSecret`). */
const SECRET_OBJECT_QUALIFIERS = new Set([
  'password', 'passwords', 'token', 'tokens', 'credential', 'credentials', 'key', 'keys', 'tls', 'cert', 'certs', 'certificate', 'certificates',
  'ca', 'config', 'configuration', 'env', 'pull', 'registry', 'docker', 'ssh', 'license', 'existing', 'auth', 'basic', 'kube', 'kubeconfig', 'from',
]);
/** `<word> secret key` names the key inside a Secret that holds the word (`keystorePasswordSecretKey: keystore-password`). */
const SECRET_KEY_OF = new Set(['password', 'passwords', 'token', 'user', 'username', 'credentials', 'cert', 'key', 'keystore', 'truststore']);
const PUBLIC_WORDS = new Set(['publickey', 'pubkey', 'sitekey', 'publishablekey', 'pub']);
const PATH_WORDS = new Set(['file', 'files', 'path', 'paths', 'dir', 'directory', 'filename', 'filepath', 'mountpath', 'folder']);
const IDENTIFIER_WORDS = new Set(['digest', 'hash', 'checksum', 'sha', 'md', 'tag', 'commit', 'revision', 'etag']);

/** Splits a key or variable name into lowercase words: `existingSecretPasswordKey` → existing secret password key. */
export function splitWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** What a key name says (computed each time; detection asks through a NameClassifier, which remembers). */
export function classifyName(name: string): NameInfo {
  return compute(name);
}

/** classifyName with a bounded memory of the names it has seen (one lives in the host's caches). */
export class NameClassifier {
  private readonly cache = new Map<string, NameInfo>();

  classify(name: string): NameInfo {
    const hit = this.cache.get(name);
    if (hit) return hit;
    const info = compute(name);
    if (this.cache.size > 20_000) this.cache.clear();
    this.cache.set(name, info);
    return info;
  }
}

function compute(name: string): NameInfo {
  const all = splitWords(name);
  const words = all.map((w, i) => (i === all.length - 1 ? w.replace(/\d+$/, '') : w)).filter((w) => w !== '');
  while (words.length > 1 && (words[words.length - 1] === 'value' || words[words.length - 1] === 'b64' || words[words.length - 1] === 'base64')) words.pop();
  const last = words[words.length - 1] ?? '';
  const prev = words[words.length - 2] ?? '';
  const pair = prev + last;
  const first = words[0] ?? '';

  const secretObject = last === 'secret' && SECRET_OBJECT_QUALIFIERS.has(prev) && first !== 'existing';
  const reference =
    first === 'existing' ||
    last === 'ref' ||
    last === 'refs' ||
    last === 'reference' ||
    last === 'secrets' ||
    last === 'secretname' ||
    (last === 'name' && (prev === 'secret' || prev === 'secrets')) ||
    (last === 'names' && prev === 'secret') ||
    (last === 'key' && (prev === 'password' || prev === 'username' || prev === 'user')) ||
    last === 'passwordkey' ||
    (last === 'keys' && prev === 'secret') ||
    (last === 'key' && prev === 'secret' && SECRET_KEY_OF.has(words[words.length - 3] ?? ''));
  const publicName = PUBLIC_WORDS.has(last) || PUBLIC_WORDS.has(pair) || (last === 'key' && (prev === 'public' || prev === 'site' || prev === 'publishable'));
  const password =
    !reference && !secretObject && (PASSWORD_WORDS.has(last) || PASSWORD_WORDS.has(pair) || PASSWORD_SUFFIXES.some((s) => last.endsWith(s)));
  const secret =
    !reference &&
    !secretObject &&
    !password &&
    !publicName &&
    (SECRET_WORDS.has(last) || SECRET_WORDS.has(pair) || last.endsWith('token') || last.endsWith('secret') || (last === 'key' && KEY_QUALIFIERS.has(prev)) || (last === 'keys' && KEY_QUALIFIERS.has(prev)));
  const awsSecret = (last === 'key' && prev === 'access' && words[words.length - 3] === 'secret') || name.toLowerCase().replace(/[^a-z]/g, '').endsWith('awssecretkey');
  return {
    words,
    password,
    secret,
    reference,
    secretObject,
    public: publicName,
    path: PATH_WORDS.has(last),
    identifier: IDENTIFIER_WORDS.has(last) || name.startsWith('checksum/') || /^sha\d*$/.test(all[all.length - 1] ?? ''),
    authorization: last === 'authorization' || (last === 'auth' && prev === 'proxy'),
    awsSecret,
  };
}

/** Ancestor keys below which every value is a reference or encrypted, never a plaintext secret. */
export function isReferenceContainer(name: string, classify: (name: string) => NameInfo = classifyName): boolean {
  const info = classify(name);
  const last = info.words[info.words.length - 1] ?? '';
  if (info.words[0] === 'existing') return true;
  if (last === 'ref' || last === 'refs' || last === 'reference') return true;
  if (name === 'valueFrom' || name === 'envFrom') return true;
  return last === 'keys' && info.words[info.words.length - 2] === 'secret';
}
