// Hostile input shared by the fuzz tests: values an outside probe sent, built as text because
// JSON.stringify itself overflows on values this deep.

export const deepArray = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
export const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** What no answer may carry: SQL, stacks, error class names, masked-error text. */
export const INTERNAL = /Failed query|params:|Maximum call stack|stack|TypeError|RangeError|SyntaxError|Unexpected error|internal server error/i;

/** JSON bodies (as text): every field set to each hostile value, then bodies hostile as a whole. */
export function hostileBodies(fields: string[]): string[] {
  const fieldsOf = (raw: string) => `{${fields.map((f) => `"${f}":${raw}`).join(',')}}`;
  return [
    ...['"a\\u0000b"', '"\\ud800x"', deepArray(3000), '1e10', '"0x2540be726"', '-1', '1.5', '99999999999999999999999', '[[1]]', '{"x":1}', 'null'].map(fieldsOf),
    deepArray(5000),
    deepObject(2400),
    '{"broken":',
  ];
}
