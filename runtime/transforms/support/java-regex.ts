/**
 * Java regular expressions (java.util.regex.Pattern) as used in Connect configs, on top of JS RegExp.
 * The common syntax is shared; Java's leading inline flags ((?i), (?s), (?m)) and \A \z \Z are translated.
 */
export interface JavaPattern {
  readonly source: string;
  /** Pattern.matcher(input).matches(): the whole input must match. */
  matches(input: string): boolean;
  /** Matcher.replaceFirst with Java's replacement syntax ($1, ${name}, \$), or null when nothing matched. */
  replaceFirst(input: string, replacement: string): string | null;
}

function translate(pattern: string): { body: string; flags: string } {
  let body = pattern;
  let flags = '';
  for (let lead = /^\(\?([imsx]+)\)/.exec(body); lead !== null; lead = /^\(\?([imsx]+)\)/.exec(body)) {
    for (const flag of lead[1]!) if (flag !== 'x' && !flags.includes(flag)) flags += flag;
    body = body.slice(lead[0].length);
  }
  body = body.replace(/\\A/g, '^').replace(/\\[zZ]/g, '$');
  return { body, flags };
}

/** Throws an Error whose message says why the pattern is not a valid regular expression. */
export function compileJavaPattern(pattern: string): JavaPattern {
  const { body, flags } = translate(pattern);
  const whole = new RegExp(`^(?:${body})$`, flags);
  const first = new RegExp(body, flags);
  return {
    source: pattern,
    matches: (input) => whole.test(input),
    replaceFirst: (input, replacement) => {
      const match = first.exec(input);
      if (match === null) return null;
      return (
        input.slice(0, match.index) +
        expandJavaReplacement(replacement, match) +
        input.slice(match.index + match[0].length)
      );
    },
  };
}

/** Why `pattern` is not a valid regular expression, or null when it is. */
export function javaPatternProblem(pattern: string): string | null {
  try {
    compileJavaPattern(pattern);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Java's Matcher.appendReplacement rules, including its error messages. */
export function expandJavaReplacement(replacement: string, match: RegExpExecArray): string {
  const groupCount = match.length - 1;
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const ch = replacement[i]!;
    if (ch === '\\') {
      i++;
      if (i >= replacement.length) throw new Error('character to be escaped is missing');
      out += replacement[i];
    } else if (ch === '$') {
      i++;
      if (i >= replacement.length) throw new Error('Illegal group reference: group index is missing');
      if (replacement[i] === '{') {
        const end = replacement.indexOf('}', i);
        const name = end < 0 ? '' : replacement.slice(i + 1, end);
        if (end < 0 || !/^[A-Za-z][A-Za-z0-9]*$/.test(name))
          throw new Error("named capturing group is missing trailing '}'");
        if (match.groups === undefined || !(name in match.groups))
          throw new Error(`No group with name {${name}}`);
        out += match.groups[name] ?? '';
        i = end;
      } else {
        let group = Number.parseInt(replacement[i]!, 10);
        if (Number.isNaN(group)) throw new Error('Illegal group reference');
        // Java keeps reading digits while the longer number is still a valid group.
        while (i + 1 < replacement.length && /\d/.test(replacement[i + 1]!)) {
          const longer = group * 10 + Number(replacement[i + 1]);
          if (longer > groupCount) break;
          group = longer;
          i++;
        }
        if (group > groupCount) throw new Error(`No group ${group}`);
        out += match[group] ?? '';
      }
    } else {
      out += ch;
    }
  }
  return out;
}
