/** Whitelisted methods of Map (java.util.HashMap). Keys are read and written as own properties only. */
import type { JsonObject } from '../json.ts';
import { argLambda, asJson, callLambda, table, type Runtime } from './args.ts';
import { classCast } from './errors.ts';
import { javaString, javaType, mapDelete, mapGet, mapKey, mapPut, valueEquals, type Value } from './values.ts';

function put(m: JsonObject, key: Value, value: Value): Value {
  const k = mapKey(key);
  const old = mapGet(m, k);
  mapPut(m, k, asJson(value));
  return old;
}

function putAll(m: JsonObject, other: Value, rt: Runtime): null {
  if (other === null || typeof other !== 'object' || Array.isArray(other)) {
    throw classCast(`Cannot cast ${javaType(other)} to java.util.Map`);
  }
  const keys = Object.keys(other);
  rt.consume(keys.length);
  for (const k of keys) mapPut(m, k, asJson(mapGet(other as JsonObject, k)));
  return null;
}

function forEach(m: JsonObject, fn: Value, rt: Runtime): null {
  const lambda = argLambda(fn, 2);
  for (const k of Object.keys(m)) callLambda(lambda, rt, [k, mapGet(m, k)]);
  return null;
}

function computeIfAbsent(m: JsonObject, key: Value, fn: Value, rt: Runtime): Value {
  const k = mapKey(key);
  const existing = mapGet(m, k);
  if (existing !== null) return existing;
  const made = asJson(callLambda(argLambda(fn, 1), rt, [k]));
  if (made !== null) mapPut(m, k, made);
  return made;
}

export const MAP_METHODS = table<JsonObject>({
  'get/1': (m, [k]) => mapGet(m, mapKey(k)),
  'getOrDefault/2': (m, [k, d]) => (Object.hasOwn(m, mapKey(k)) ? mapGet(m, mapKey(k)) : d),
  'put/2': (m, [k, v]) => put(m, k, v),
  'putIfAbsent/2': (m, [k, v]) => (mapGet(m, mapKey(k)) === null ? put(m, k, v) : mapGet(m, mapKey(k))),
  'putAll/1': (m, [other], rt) => putAll(m, other, rt),
  'remove/1': (m, [k]) => mapDelete(m, mapKey(k)),
  'containsKey/1': (m, [k]) => Object.hasOwn(m, mapKey(k)),
  'containsValue/1': (m, [v]) => Object.keys(m).some((k) => valueEquals(m[k], v)),
  'keySet/0': (m) => Object.keys(m),
  'values/0': (m) => Object.keys(m).map((k) => mapGet(m, k)),
  'size/0': (m) => Object.keys(m).length,
  'isEmpty/0': (m) => Object.keys(m).length === 0,
  'clear/0': (m) => {
    for (const k of Object.keys(m)) delete m[k];
    return null;
  },
  'forEach/1': (m, [fn], rt) => forEach(m, fn, rt),
  'computeIfAbsent/2': (m, [k, fn], rt) => computeIfAbsent(m, k, fn, rt),
  'equals/1': (m, [v]) => valueEquals(m, v),
  'toString/0': (m) => javaString(m),
});
