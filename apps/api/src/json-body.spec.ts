import type { IncomingMessage } from 'node:http';
import { JSON_BODY_MAX_DEPTH, jsonNestingDepth, refuseDeepJson, refusePrototypeKeys } from './json-body';

const parse = (text: string) => JSON.parse(text, refusePrototypeKeys) as unknown;
const verify = (text: string) => refuseDeepJson({} as IncomingMessage, {}, Buffer.from(text));

describe('refusePrototypeKeys', () => {
  it('passes ordinary bodies through unchanged', () => {
    const body = { appId: 'xterm', values: { title: '$(touch x)', hours: 1, list: [1, [2, { a: null }]] } };
    expect(parse(JSON.stringify(body))).toEqual(body);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses a "%s" key at any depth', (key) => {
    expect(() => parse(`{"${key}":1}`)).toThrow(new SyntaxError(`The field name "${key}" is not accepted`));
    expect(() => parse(`{"values":{"a":[{"${key}":{"polluted":true}}]}}`)).toThrow(SyntaxError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('refuseDeepJson', () => {
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  it('measures nesting, not counting brackets inside strings', () => {
    expect(jsonNestingDepth('{"a":[1,{"b":"[[[{{{\\"]]]"}]}')).toBe(3);
    expect(jsonNestingDepth('"x"')).toBe(0);
  });

  it(`accepts ${JSON_BODY_MAX_DEPTH} levels and refuses one more, with a 400 that says so`, () => {
    expect(() => verify(nested(JSON_BODY_MAX_DEPTH))).not.toThrow();
    expect(() => verify(nested(JSON_BODY_MAX_DEPTH + 1))).toThrow(
      expect.objectContaining({
        status: 400,
        expose: true,
        message: expect.stringMatching(/nested too deeply/),
      }),
    );
    expect(() => verify(`{"a":${nested(50_000)}}`)).toThrow(/nested too deeply/);
  });
});
