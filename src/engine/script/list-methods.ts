/** Whitelisted methods of List (java.util.ArrayList plus Painless augmentations). */
import type { Json } from '../json.ts';
import {
  argInt, argLambda, argList, argString, asJson, callLambda, checkIndex, predicate, table, type Runtime,
} from './args.ts';
import { classCast } from './errors.ts';
import { compareValues, javaString, javaType, valueEquals, type Value } from './values.ts';

const indexOf = (list: Json[], v: Value): number => list.findIndex((x) => valueEquals(x, v));

function lastIndexOf(list: Json[], v: Value): number {
  for (let i = list.length - 1; i >= 0; i--) if (valueEquals(list[i], v)) return i;
  return -1;
}

function removeWhere(list: Json[], keep: (x: Json) => boolean): boolean {
  const kept = list.filter(keep);
  const changed = kept.length !== list.length;
  list.splice(0, list.length, ...kept);
  return changed;
}

function addAll(list: Json[], items: Json[], rt: Runtime): boolean {
  rt.consume(items.length);
  for (const x of items.slice()) list.push(x);
  return items.length > 0;
}

function sortList(list: Json[], cmp: Value, rt: Runtime): null {
  rt.consume(list.length);
  if (cmp === null) {
    list.sort(compareValues);
    return null;
  }
  const fn = argLambda(cmp, 2);
  list.sort((a, b) => {
    const r = callLambda(fn, rt, [a, b]);
    if (typeof r !== 'number') throw classCast(`Cannot cast ${javaType(r)} to int`);
    return r;
  });
  return null;
}

function sum(list: Json[]): number {
  let total = 0;
  for (const x of list) {
    if (typeof x !== 'number') throw classCast(`Cannot cast ${javaType(x)} to java.lang.Number`);
    total += x;
  }
  return total;
}

export const LIST_METHODS = table<Json[]>({
  'add/1': (l, [v]) => (l.push(asJson(v)), true),
  'add/2': (l, [i, v]) => (l.splice(checkIndex(argInt(i), l.length, true), 0, asJson(v)), null),
  'addAll/1': (l, [items], rt) => addAll(l, argList(items), rt),
  'remove/1': (l, [v]) => {
    if (typeof v === 'number') return l.splice(checkIndex(v, l.length), 1)[0];
    const at = indexOf(l, v);
    if (at >= 0) l.splice(at, 1);
    return at >= 0;
  },
  'removeAll/1': (l, [items], rt) => (rt.consume(l.length), removeWhere(l, (x) => indexOf(argList(items), x) < 0)),
  'retainAll/1': (l, [items], rt) => (rt.consume(l.length), removeWhere(l, (x) => indexOf(argList(items), x) >= 0)),
  'removeIf/1': (l, [fn], rt) => removeWhere(l, (x) => !predicate(argLambda(fn, 1), rt, x)),
  'contains/1': (l, [v]) => indexOf(l, v) >= 0,
  'containsAll/1': (l, [items]) => argList(items).every((x) => indexOf(l, x) >= 0),
  'indexOf/1': (l, [v]) => indexOf(l, v),
  'lastIndexOf/1': (l, [v]) => lastIndexOf(l, v),
  'size/0,getLength/0': (l) => l.length,
  'isEmpty/0': (l) => l.length === 0,
  'get/1': (l, [i]) => l[checkIndex(argInt(i), l.length)],
  'set/2': (l, [i, v]) => {
    const at = checkIndex(argInt(i), l.length);
    const old = l[at];
    l[at] = asJson(v);
    return old;
  },
  'clear/0': (l) => (l.splice(0, l.length), null),
  'subList/2': (l, [from, to]) => {
    const end = checkIndex(argInt(to), l.length, true);
    return l.slice(checkIndex(argInt(from), end, true), end);
  },
  'sort/1': (l, [cmp], rt) => sortList(l, cmp, rt),
  'forEach/1,each/1': (l, [fn], rt) => {
    for (const x of l.slice()) callLambda(argLambda(fn, 1), rt, [x]);
    return null;
  },
  'any/1': (l, [fn], rt) => l.some((x) => predicate(argLambda(fn, 1), rt, x)),
  'every/1': (l, [fn], rt) => l.every((x) => predicate(argLambda(fn, 1), rt, x)),
  'find/1': (l, [fn], rt) => l.find((x) => predicate(argLambda(fn, 1), rt, x)) ?? null,
  'findAll/1': (l, [fn], rt) => l.filter((x) => predicate(argLambda(fn, 1), rt, x)),
  'collect/1': (l, [fn], rt) => l.map((x) => asJson(callLambda(argLambda(fn, 1), rt, [x]))),
  'join/1': (l, [sep]) => l.map((x) => javaString(x)).join(argString(sep)),
  'sum/0': (l) => sum(l),
  'equals/1': (l, [v]) => valueEquals(l, v),
  'toString/0': (l) => javaString(l),
});
