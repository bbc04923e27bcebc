// Small runtime decoders: unknown JSON in, a typed value out, or an error naming the bad field.
// Decoders copy only the fields they know, so a type that lacks a field loses it on re-encode.

export type Decoder<T> = (value: unknown, path: string) => T;

export class DecodeError extends Error {
  constructor(readonly path: string, expected: string, value: unknown) {
    super(`${path || 'the value'} must be ${expected}, but it is ${describe(value)}.`);
    this.name = 'DecodeError';
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export const str: Decoder<string> = (v, path) => {
  if (typeof v !== 'string') throw new DecodeError(path, 'a string', v);
  return v;
};

export const num: Decoder<number> = (v, path) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new DecodeError(path, 'a number', v);
  return v;
};

export const bool: Decoder<boolean> = (v, path) => {
  if (typeof v !== 'boolean') throw new DecodeError(path, 'true or false', v);
  return v;
};

export const nul: Decoder<null> = (v, path) => {
  if (v !== null) throw new DecodeError(path, 'null', v);
  return null;
};

export function oneOf<const T extends readonly (string | number)[]>(...values: T): Decoder<T[number]> {
  return (v, path) => {
    if (!values.includes(v as T[number])) {
      throw new DecodeError(path, `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`, v);
    }
    return v as T[number];
  };
}

export function arrayOf<T>(item: Decoder<T>): Decoder<T[]> {
  return (v, path) => {
    if (!Array.isArray(v)) throw new DecodeError(path, 'an array', v);
    return v.map((x, i) => item(x, `${path}[${i}]`));
  };
}

export function nullable<T>(inner: Decoder<T>): Decoder<T | null> {
  return (v, path) => (v === null ? null : inner(v, path));
}

// Every key of T needs a decoder, and no other keys are allowed, so the type and the decoder
// cannot drift apart.
export type Shape<T> = { [K in keyof T]-?: Decoder<T[K]> };

export function object<T>(shape: Shape<T>): Decoder<T> {
  return (v, path) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      throw new DecodeError(path, 'an object', v);
    }
    const input = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape) as (keyof T & string)[]) {
      const decoded = shape[key](input[key], path ? `${path}.${key}` : key);
      if (decoded !== undefined) out[key] = decoded;
    }
    return out as T;
  };
}

export function optional<T>(inner: Decoder<T>): Decoder<T | undefined> {
  return (v, path) => (v === undefined ? undefined : inner(v, path));
}
