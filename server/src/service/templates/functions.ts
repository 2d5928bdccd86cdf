// How the resolver treats each template function (Go's builtins, Sprig's, Helm's) when a values reference reaches
// it. Anything not listed here is assumed to read the whole value it is given (a `subtree` read): safe for the unused
// check, never a false "unused".

/** Functions that print their argument as text the way Go prints a value (`fmt.Sprint`): a float64 prints as 1e+06. */
export const PRINTS_AS_TEXT: ReadonlyMap<string, 'quote' | 'toString' | 'text'> = new Map([
  ['quote', 'quote'],
  ['squote', 'quote'],
  ['toString', 'toString'],
  ['print', 'text'],
  ['printf', 'text'],
  ['println', 'text'],
] as const);

/** Functions that convert a number before it is printed: a float64 does not print in exponent form through them. */
export const PRINTS_AS_NUMBER: ReadonlySet<string> = new Set(['int', 'int64', 'float64', 'atoi', 'toDecimal']);

/** Serialisers: the whole subtree is read, and printed as YAML or JSON. */
export const SERIALISERS: ReadonlyMap<string, 'yaml' | 'json'> = new Map([
  ['toYaml', 'yaml'],
  ['mustToYaml', 'yaml'],
  ['toYamlPretty', 'yaml'],
  ['toToml', 'yaml'],
  ['toJson', 'json'],
  ['mustToJson', 'json'],
  ['toPrettyJson', 'json'],
  ['mustToPrettyJson', 'json'],
  ['toRawJson', 'json'],
  ['mustToRawJson', 'json'],
] as const);

/** Functions whose result is one of their arguments (or a merge of them): references flow through. */
export const PASS_THROUGH: ReadonlySet<string> = new Set([
  'coalesce',
  'ternary',
  'or',
  'initial',
  'mustInitial',
  'rest',
  'mustRest',
  'deepCopy',
  'mustDeepCopy',
  'merge',
  'mustMerge',
  'mergeOverwrite',
  'mustMergeOverwrite',
  'compact',
  'mustCompact',
  'uniq',
  'mustUniq',
  'reverse',
  'mustReverse',
  'sortAlpha',
  'concat',
  'without',
  'mustWithout',
  'omit',
  'pick',
  'append',
  'mustAppend',
  'prepend',
  'mustPrepend',
  'set',
  'unset',
]);

/** Functions that look at their arguments without reading below them (scalars, lengths, comparisons, strings). */
export const SHALLOW: ReadonlySet<string> = new Set([
  'not', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'len', 'empty', 'kindIs', 'typeIs', 'typeIsLike', 'kindOf', 'typeOf',
  'upper', 'lower', 'title', 'untitle', 'trim', 'trimAll', 'trimPrefix', 'trimSuffix', 'trunc', 'abbrev', 'abbrevboth',
  'nospace', 'indent', 'nindent', 'replace', 'contains', 'hasPrefix', 'hasSuffix', 'b64enc', 'b64dec', 'b32enc', 'b32dec',
  'sha1sum', 'sha256sum', 'sha512sum', 'adler32sum', 'regexMatch', 'mustRegexMatch', 'regexFind', 'regexFindAll',
  'regexReplaceAll', 'regexReplaceAllLiteral', 'regexSplit', 'splitList', 'split', 'splitn', 'cat', 'repeat', 'substr',
  'add', 'add1', 'sub', 'mul', 'div', 'mod', 'max', 'min', 'maxf', 'minf', 'addf', 'subf', 'mulf', 'divf', 'ceil',
  'floor', 'round', 'semver', 'semverCompare', 'htmlEscape', 'urlquery', 'js', 'html', 'snakecase', 'camelcase',
  'kebabcase', 'swapcase', 'shuffle', 'wrap', 'wrapWith', 'plural', 'initials', 'fail', 'base', 'dir', 'ext', 'clean',
  'isAbs', 'urlParse', 'quote', 'squote', 'toString', 'int', 'int64', 'float64', 'atoi', 'toDecimal', 'keys', 'has',
  'mustHas', 'toStrings', 'join', 'sortAlpha', 'until', 'untilStep', 'seq', 'genPrivateKey', 'derivePassword',
  'randAlphaNum', 'randAlpha', 'randNumeric', 'randAscii', 'uuidv4', 'now', 'date', 'dateInZone', 'toDate', 'htmlDate',
  'ago', 'duration', 'durationRound', 'unixEpoch', 'dateModify', 'encryptAAD', 'bcrypt', 'htpasswd', 'sha256', 'print',
  'printf', 'println', 'lookup', 'fromYaml', 'fromJson', 'fromYamlArray', 'fromJsonArray', 'toJson', 'required',
  'default', 'and', 'hasKey', 'get', 'index', 'dig', 'pluck', 'dict', 'list', 'tuple', 'include', 'tpl', 'osBase',
  'osDir', 'osExt', 'osClean', 'osIsAbs', 'buildCustomCert', 'genCA', 'genSelfSignedCert', 'genSignedCert', 'semverCompare',
  'regexQuoteMeta', 'urlJoin', 'getHostByName', 'env', 'expandenv', 'kindIs', 'deepEqual', 'float64', 'chunk',
]);

/**
 * Functions that do not render the value they are given (for `template.undefined-value`): they test or compare it
 * (nil is a valid operand: `eq nil "x"` is false, `empty nil` is true, `kindIs "map" nil` is false), pick from it
 * (`index`, `get`, `dig`, `first`: the picked value is judged on its own), or pass it on (`default`, `coalesce`,
 * `ternary`, `or`, `and`, `required`, and the conversions `toString`/`quote`/`int`: their result carries it on and is
 * judged where it is used). Every other function renders what it gets.
 */
export const NOT_RENDERING: ReadonlySet<string> = new Set([
  'default', 'coalesce', 'ternary', 'or', 'and', 'required', 'toString', 'quote', 'squote', 'int', 'int64', 'float64',
  'atoi', 'toDecimal', 'first', 'mustFirst', 'last', 'mustLast', 'index', 'get', 'hasKey', 'dig', 'pluck', 'not',
  'empty', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'kindIs', 'typeIs', 'typeIsLike', 'kindOf', 'typeOf', 'has', 'mustHas',
  'deepEqual',
]);
