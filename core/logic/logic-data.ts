/**
 * The data a rule sees: a deep, frozen copy reduced to JSON values, so an
 * expression can neither change the caller's record nor reach a prototype or
 * a driver object. BSON values become their JSON meaning (ObjectId → hex
 * string, Decimal128/Long/Int32/Double → number, Date → ISO 8601 string).
 * Each copied object's weight (how many values it holds, strings counted by
 * length) is recorded so the evaluator can charge for work in O(1).
 */

export const MAX_DATA_DEPTH = 32;

export type Weights = WeakMap<object, number>;

export interface LogicData {
  value: unknown;
  weights: Weights;
}

interface Copying {
  weights: Weights;
  /** objects copied so far: a shared sub-object is copied once, a cycle becomes null */
  copies: Map<object, unknown>;
}

export function toLogicData(input: unknown): LogicData {
  const state: Copying = { weights: new WeakMap(), copies: new Map() };
  return { value: copy(input, state, 0), weights: state.weights };
}

function copy(value: unknown, state: Copying, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return Number(value);
    case 'object':
      break;
    default:
      // undefined, functions, symbols: not data
      return null;
  }
  if (value === null || depth >= MAX_DATA_DEPTH) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  const bson = bsonValue(value);
  if (bson !== undefined) return bson;
  if (state.copies.has(value)) return state.copies.get(value);
  state.copies.set(value, null);
  const { weights } = state;
  let weight = 1;
  let out: unknown[] | Record<string, unknown>;
  if (Array.isArray(value)) {
    out = value.map((item) => {
      const c = copy(item, state, depth + 1);
      weight += weightOf(c, weights);
      return c;
    });
  } else {
    const obj: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      const c = copy(item, state, depth + 1);
      // defineProperty, not assignment: a key named "__proto__" stays a plain own key.
      Object.defineProperty(obj, key, { value: c, enumerable: true, writable: false, configurable: false });
      weight += key.length + weightOf(c, weights);
    }
    out = obj;
  }
  weights.set(out, weight);
  Object.freeze(out);
  state.copies.set(value, out);
  return out;
}

/** JSON meaning of the BSON types a record can hold; undefined when `value` is not one. */
function bsonValue(value: object): unknown {
  const tag = (value as { _bsontype?: unknown })._bsontype;
  if (typeof tag !== 'string') return undefined;
  const v = value as { toHexString?: () => string; toString: () => string; valueOf: () => unknown };
  switch (tag) {
    case 'ObjectId':
      return typeof v.toHexString === 'function' ? v.toHexString() : v.toString();
    case 'Decimal128':
    case 'Long':
    case 'Int32':
    case 'Double': {
      const n = Number(v.toString());
      return Number.isFinite(n) ? n : null;
    }
    default:
      return null;
  }
}

/** Weight of a value: 1 per scalar, string length + 1, containers by their recorded or computed sum. */
export function weightOf(value: unknown, weights: Weights): number {
  if (typeof value === 'string') return value.length + 1;
  if (value === null || typeof value !== 'object') return 1;
  const known = weights.get(value);
  if (known !== undefined) return known;
  // Containers made by an operation (merge): one level of fresh array over weighed values.
  let weight = 1;
  if (Array.isArray(value)) for (const item of value) weight += weightOf(item, weights);
  else for (const [key, item] of Object.entries(value)) weight += key.length + weightOf(item, weights);
  weights.set(value, weight);
  return weight;
}
