/**
 * Kafka's `sasl.jaas.config` value: `LoginModuleClass flag key=value key2="quoted value";` (JAAS
 * configuration syntax, as org.apache.kafka.common.security.JaasConfig reads it). Kafka clients take
 * exactly one login module.
 */
import { SluiceError } from '../errors/sluice-error.js';

export interface JaasLoginModule {
  readonly loginModule: string;
  /** required, requisite, sufficient or optional */
  readonly flag: string;
  readonly options: Readonly<Record<string, string>>;
}

const FLAGS = new Set(['required', 'requisite', 'sufficient', 'optional']);
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };

type Token =
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'quoted'; readonly text: string }
  | { readonly kind: 'symbol'; readonly text: '=' | ';' };

function tokenize(text: string, fail: (problem: string) => SluiceError): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '=' || c === ';') {
      tokens.push({ kind: 'symbol', text: c });
      i++;
    } else if (c === '"' || c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw fail(`a value opened with ${c} is never closed`);
        const d = text[i]!;
        if (d === c) break;
        if (d === '\\' && i + 1 < text.length) {
          const next = text[i + 1]!;
          value += ESCAPES[next] ?? next;
          i += 2;
        } else {
          value += d;
          i++;
        }
      }
      i++;
      tokens.push({ kind: 'quoted', text: value });
    } else {
      const start = i;
      while (i < text.length && !/[\s=;"']/.test(text[i]!)) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i) });
    }
  }
  return tokens;
}

/**
 * Parses a `sasl.jaas.config` value (`key` names it in errors). Throws CONFIG_INVALID_VALUE naming the
 * key, without the value (it holds a password), when it is not one well-formed login module.
 */
export function parseJaasConfig(text: string, key = 'sasl.jaas.config'): JaasLoginModule {
  const fail = (problem: string): SluiceError =>
    new SluiceError('CONFIG_INVALID_VALUE', ['[hidden]', key, problem]);
  const tokens = tokenize(text, fail);
  let at = 0;
  const next = (): Token | undefined => tokens[at++];
  const modules: JaasLoginModule[] = [];
  while (at < tokens.length) {
    const name = next();
    if (name?.kind !== 'word') throw fail('expected a login module class name');
    const flag = next();
    if (flag?.kind !== 'word' || !FLAGS.has(flag.text.toLowerCase()))
      throw fail(`expected a control flag (required, requisite, sufficient, optional) after ${name.text}`);
    const options: Record<string, string> = {};
    for (;;) {
      const token = next();
      if (token === undefined) throw fail('a login module must end with ";"');
      if (token.kind === 'symbol' && token.text === ';') break;
      if (token.kind !== 'word') throw fail('expected an option name');
      const equals = next();
      const value = next();
      if (equals?.kind !== 'symbol' || equals.text !== '=' || value === undefined || value.kind === 'symbol')
        throw fail(`option ${token.text} must be written ${token.text}="value"`);
      options[token.text] = value.text;
    }
    modules.push({ loginModule: name.text, flag: flag.text.toLowerCase(), options });
  }
  if (modules.length !== 1) throw fail(`it must hold exactly one login module, it holds ${modules.length}`);
  return modules[0]!;
}
