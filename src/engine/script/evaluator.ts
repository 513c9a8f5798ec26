/** Tree-walking evaluator: runs a parsed Program against ctx/params, with a step budget. */
import type { JsonObject } from '../json.ts';
import type { Runtime } from './args.ts';
import { getIndex, getMember, indexRef, memberRef, readRef, writeRef, type Ref } from './access.ts';
import type { BinaryOp, BlockStmt, Expr, LValue, Program, Stmt } from './ast.ts';
import { isFloat } from './ast.ts';
import { callMethod } from './builtins.ts';
import { classCast, LOOP_LIMIT_REASON, PainlessError } from './errors.ts';
import { binary, cast, instanceOf, unary } from './operators.ts';
import { callStatic, construct, staticField } from './statics.ts';
import { asJson, javaString, javaType, Lambda, mapKey, mapPut, toBoolean, type Value } from './values.ts';

const NORMAL = 0;
const BREAK = 1;
const CONTINUE = 2;
const RETURN = 3;
type Signal = typeof NORMAL | typeof BREAK | typeof CONTINUE | typeof RETURN;

export class Evaluator implements Runtime {
  /** Source offset of the construct being evaluated (for error snippets). */
  pos = 0;
  private steps = 0;
  private returned: Value = null;
  private readonly vars: Value[];

  constructor(
    private readonly program: Program,
    private readonly ctx: JsonObject,
    private readonly params: JsonObject,
    private readonly maxSteps: number,
  ) {
    this.vars = new Array<Value>(program.slots).fill(null);
  }

  run(): void {
    this.execList(this.program.body);
  }

  consume(n: number): void {
    this.steps += n;
    if (this.steps > this.maxSteps) throw new PainlessError('painless_error', LOOP_LIMIT_REASON);
  }

  private execList(body: Stmt[]): Signal {
    for (const s of body) {
      const sig = this.exec(s);
      if (sig !== NORMAL) return sig;
    }
    return NORMAL;
  }

  private exec(s: Stmt): Signal {
    this.consume(1);
    this.pos = s.pos;
    switch (s.kind) {
      case 'expr':
        this.eval(s.expr);
        return NORMAL;
      case 'decl':
        for (const d of s.decls) this.vars[d.slot] = d.init ? this.eval(d.init) : null;
        return NORMAL;
      case 'block': return this.execList(s.body);
      case 'if':
        if (this.test(s.test)) return this.exec(s.then);
        return s.else ? this.exec(s.else) : NORMAL;
      case 'while': return this.loop(s.test, s.body, [], true);
      case 'do': return this.loop(s.test, s.body, [], false);
      case 'for':
        if (s.init) this.exec(s.init);
        return this.loop(s.test, s.body, s.update, true);
      case 'foreach': return this.forEach(s.slot, s.iterable, s.body);
      case 'return':
        this.returned = s.value ? this.eval(s.value) : null;
        return RETURN;
      case 'break': return BREAK;
      case 'continue': return CONTINUE;
      case 'throw': throw new PainlessError(s.type, s.message ? javaString(this.eval(s.message)) : '');
      case 'empty': return NORMAL;
    }
  }

  private test(e: Expr): boolean {
    const v = this.eval(e);
    this.pos = e.pos;
    return toBoolean(v);
  }

  private loop(test: Expr | null, body: Stmt, update: Expr[], checkFirst: boolean): Signal {
    for (let first = true; ; first = false) {
      this.consume(1);
      if (test && (checkFirst || !first) && !this.test(test)) return NORMAL;
      const sig = this.exec(body);
      if (sig === BREAK) return NORMAL;
      if (sig === RETURN) return RETURN;
      for (const u of update) this.eval(u);
    }
  }

  private forEach(slot: number, iterable: Expr, body: Stmt): Signal {
    const items = this.eval(iterable);
    this.pos = iterable.pos;
    if (!Array.isArray(items)) {
      if (items === null) throw new PainlessError('null_pointer_exception', 'cannot iterate over a null value');
      throw classCast(`Cannot cast ${javaType(items)} to java.lang.Iterable`);
    }
    for (const item of items.slice()) {
      this.consume(1);
      this.vars[slot] = item;
      const sig = this.exec(body);
      if (sig === BREAK) return NORMAL;
      if (sig === RETURN) return RETURN;
    }
    return NORMAL;
  }

  private evalAll(args: Expr[]): Value[] {
    return args.map((a) => this.eval(a));
  }

  private at<T>(pos: number, value: T): T {
    this.pos = pos;
    return value;
  }

  private eval(e: Expr): Value {
    switch (e.kind) {
      case 'lit': return e.value;
      case 'list': return this.evalAll(e.items).map(asJson);
      case 'map': return this.evalMap(e.entries);
      case 'var': return this.vars[e.slot];
      case 'ctx': return this.ctx;
      case 'params': return this.params;
      case 'staticField': return staticField(this.at(e.pos, e.cls), e.name);
      case 'staticCall': return callStatic(e.cls, e.name, this.at(e.pos, this.evalAll(e.args)), this);
      case 'member': return this.evalMember(e.target, e.name, e.nullSafe, e.pos);
      case 'index': return getIndex(this.eval(e.target), this.at(e.pos, this.eval(e.index)));
      case 'call': return this.evalCall(e.target, e.name, e.args, e.nullSafe, e.pos);
      case 'new': return construct(e.type, this.at(e.pos, this.evalAll(e.args)));
      case 'unary': return unary(e.op, this.at(e.pos, this.eval(e.operand)));
      case 'update': return this.evalUpdate(e.target, e.op, e.prefix, e.pos);
      case 'binary': return this.evalBinary(e.op, e.left, e.right, e.float, e.pos);
      case 'logical': return this.evalLogical(e.op, e.left, e.right);
      case 'cond': return this.test(e.test) ? this.eval(e.then) : this.eval(e.else);
      case 'elvis': return this.eval(e.left) ?? this.eval(e.right);
      case 'assign': return this.evalAssign(e.target, e.op, e.value, e.float, e.pos);
      case 'cast': return cast(this.at(e.pos, this.eval(e.operand)), e.type);
      case 'instanceof': return instanceOf(this.eval(e.operand), e.type);
      case 'lambda': return this.makeLambda(e.params, e.body);
    }
  }

  private evalMap(entries: Array<[Expr, Expr]>): Value {
    const out: JsonObject = {};
    for (const [k, v] of entries) mapPut(out, mapKey(this.eval(k)), asJson(this.eval(v)));
    return out;
  }

  private evalMember(target: Expr, name: string, nullSafe: boolean, pos: number): Value {
    const t = this.eval(target);
    if (t === null && nullSafe) return null;
    return getMember(this.at(pos, t), name);
  }

  private evalCall(target: Expr, name: string, args: Expr[], nullSafe: boolean, pos: number): Value {
    const t = this.eval(target);
    if (t === null && nullSafe) return null;
    return callMethod(t, name, this.at(pos, this.evalAll(args)), this);
  }

  private evalBinary(op: BinaryOp, left: Expr, right: Expr, float: boolean, pos: number): Value {
    const l = { value: this.eval(left), float: isFloat(left) };
    const r = { value: this.eval(right), float: isFloat(right) };
    return binary(op, l, this.at(pos, r), float);
  }

  private evalLogical(op: '&&' | '||', left: Expr, right: Expr): boolean {
    const l = this.test(left);
    if (op === '&&' ? !l : l) return l;
    return this.test(right);
  }

  private reference(target: LValue): Ref {
    if (target.kind === 'var') return { kind: 'slot', slot: target.slot };
    const container = this.eval(target.target);
    if (target.kind === 'member') return memberRef(this.at(target.pos, container), target.name);
    return indexRef(container, this.at(target.pos, this.eval(target.index)));
  }

  private evalAssign(target: LValue, op: string, valueExpr: Expr, float: boolean, pos: number): Value {
    const ref = this.reference(target);
    if (op === '=') {
      const v = this.eval(valueExpr);
      writeRef(ref, this.vars, this.at(pos, v));
      return v;
    }
    const old = { value: readRef(ref, this.vars), float: isFloat(target) };
    const rhs = { value: this.eval(valueExpr), float: isFloat(valueExpr) };
    const result = binary(op.slice(0, -1) as BinaryOp, old, this.at(pos, rhs), float);
    writeRef(ref, this.vars, result);
    return result;
  }

  private evalUpdate(target: LValue, op: '++' | '--', prefix: boolean, pos: number): Value {
    const ref = this.reference(target);
    const old = this.at(pos, readRef(ref, this.vars));
    if (typeof old !== 'number') {
      if (old === null) throw new PainlessError('null_pointer_exception', `cannot apply [${op}] to a null value`);
      throw classCast(`Cannot apply [${op}] operation to type [${javaType(old)}].`);
    }
    const next = op === '++' ? old + 1 : old - 1;
    writeRef(ref, this.vars, next);
    return prefix ? next : old;
  }

  private makeLambda(params: number[], body: Expr | BlockStmt): Lambda {
    return new Lambda(params.length, (args) => {
      params.forEach((slot, i) => {
        this.vars[slot] = args[i] ?? null;
      });
      if (body.kind !== 'block') return this.eval(body);
      return this.exec(body) === RETURN ? this.returned : null;
    });
  }
}
