// How JSON request bodies are parsed. Besides the size limit, two shapes are refused: keys that
// name an object's prototype machinery (`__proto__`, `constructor`, `prototype`), and nesting
// deeper than any endpoint reads. ValidationPipe's class-transformer walks into every nested
// object of a body and throws (a 500) on a `constructor` key or on deep nesting, and a `__proto__`
// key copied by assignment would set a prototype. No endpoint has such fields.
import type { IncomingMessage } from 'node:http';
import type { NestExpressBodyParserOptions } from '@nestjs/platform-express';

/** Every request body the API reads is a small JSON object; 100 kB is body-parser's default. */
export const JSON_BODY_LIMIT = '100kb';
/** Objects and arrays inside each other; the deepest body any endpoint reads is 2. */
export const JSON_BODY_MAX_DEPTH = 8;
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A 400 that body-parser passes on as it is (status and expose are http-errors' fields). */
class TooDeepError extends Error {
  readonly status = 400;
  readonly expose = true;
  readonly type = 'entity.too.deep';
  constructor() {
    super(`The JSON body is nested too deeply (at most ${JSON_BODY_MAX_DEPTH} levels)`);
  }
}

/** The deepest nesting of arrays and objects in JSON text, brackets inside strings not counted. */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') deepest = Math.max(deepest, ++depth);
    else if (char === '}' || char === ']') depth--;
  }
  return deepest;
}

/** body-parser's `verify`: runs on the raw body before parsing (JSON.parse with a reviver recurses). */
export function refuseDeepJson(_req: IncomingMessage, _res: unknown, body: Buffer): void {
  if (jsonNestingDepth(body.toString('utf8')) > JSON_BODY_MAX_DEPTH) throw new TooDeepError();
}

/** body-parser's `reviver`: its SyntaxError is answered 400 with this message, like malformed JSON. */
export function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (PROTOTYPE_KEYS.has(key)) throw new SyntaxError(`The field name "${key}" is not accepted`);
  return value;
}

/** For app.useBodyParser('json', …); Nest then leaves out its own JSON parser. */
export const JSON_BODY_OPTIONS: NestExpressBodyParserOptions = {
  limit: JSON_BODY_LIMIT,
  verify: refuseDeepJson,
  reviver: refusePrototypeKeys,
};
