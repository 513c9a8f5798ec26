/** Recursive-descent parser for Painless expressions (precedence climbing for binary operators). */
import type { AssignOp, BinaryOp, BlockStmt, Expr, LValue } from './ast.ts';
import { isFloat } from './ast.ts';
import { Cursor, FLOAT_TYPES } from './cursor.ts';
import { CompileFailure } from './errors.ts';
import { CONSTRUCTIBLE, STATIC_CLASSES, staticReturnsFloat } from './statics.ts';

const BINARY_PRECEDENCE: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5,
  '==': 6, '!=': 6, '===': 6, '!==': 6,
  '<': 7, '<=': 7, '>': 7, '>=': 7, instanceof: 7,
  '<<': 8, '>>': 8, '>>>': 8,
  '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

const ASSIGN_OPS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=', '>>>=']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);

const isLValue = (e: Expr): e is LValue =>
  e.kind === 'var' || e.kind === 'index' || (e.kind === 'member' && !e.nullSafe);

export abstract class ExprParser extends Cursor {
  /** Implemented by the statement parser: a `{...}` block (lambda bodies). */
  protected abstract parseBlock(): BlockStmt;

  protected parseExpr(): Expr {
    return this.nested(() => this.parseAssign());
  }

  private parseAssign(): Expr {
    const target = this.parseConditional();
    const t = this.peek();
    if (t.type !== 'punct' || !ASSIGN_OPS.has(t.value)) return target;
    if (!isLValue(target)) throw new CompileFailure(t.pos, 'invalid assignment: the left side is not assignable');
    this.next();
    const value = this.parseExpr();
    const op = t.value as AssignOp;
    const float = op === '=' ? isFloat(value) : isFloat(target) || isFloat(value);
    return { kind: 'assign', pos: t.pos, op, target, value, float };
  }

  private parseConditional(): Expr {
    const test = this.parseBinary(1);
    const t = this.peek();
    if (this.eat('?:')) {
      const right = this.nested(() => this.parseConditional());
      return { kind: 'elvis', pos: t.pos, left: test, right, float: isFloat(test) || isFloat(right) };
    }
    if (!this.eat('?')) return test;
    const then = this.parseExpr();
    this.expect(':');
    const other = this.nested(() => this.parseConditional());
    return { kind: 'cond', pos: t.pos, test, then, else: other, float: isFloat(then) || isFloat(other) };
  }

  private binaryOperator(): { op: string; prec: number } | null {
    const t = this.peek();
    const op = t.type === 'punct' || t.value === 'instanceof' ? t.value : '';
    return Object.hasOwn(BINARY_PRECEDENCE, op) ? { op, prec: BINARY_PRECEDENCE[op] } : null;
  }

  private parseBinary(minPrec: number): Expr {
    let left = this.parseUnary();
    for (let found = this.binaryOperator(); found && found.prec >= minPrec; found = this.binaryOperator()) {
      const pos = this.next().pos;
      if (found.op === 'instanceof') {
        left = { kind: 'instanceof', pos, operand: left, type: this.typeName() };
        continue;
      }
      const right = this.nested(() => this.parseBinary(found.prec + 1));
      if (found.op === '&&' || found.op === '||') {
        left = { kind: 'logical', pos, op: found.op, left, right };
      } else {
        const float = ARITHMETIC.has(found.op) && (isFloat(left) || isFloat(right));
        left = { kind: 'binary', pos, op: found.op as BinaryOp, left, right, float };
      }
    }
    return left;
  }

  protected typeName(): string {
    if (!this.isTypeName()) throw this.unexpected();
    return this.next().value;
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (t.type === 'punct' && (t.value === '!' || t.value === '-' || t.value === '+' || t.value === '~')) {
      this.next();
      const operand = this.nested(() => this.parseUnary());
      if (t.value === '-' && operand.kind === 'lit' && typeof operand.value === 'number') {
        return { ...operand, pos: t.pos, value: -operand.value };
      }
      return { kind: 'unary', pos: t.pos, op: t.value, operand, float: isFloat(operand) };
    }
    if (t.type === 'punct' && (t.value === '++' || t.value === '--')) {
      this.next();
      const target = this.nested(() => this.parseUnary());
      if (!isLValue(target)) throw new CompileFailure(t.pos, `invalid operand for [${t.value}]`);
      return { kind: 'update', pos: t.pos, op: t.value, prefix: true, target };
    }
    if (this.isPunct('(') && this.isTypeName(1) && this.isPunct(')', 2)) {
      this.next();
      const type = this.next().value;
      this.next();
      const operand = this.nested(() => this.parseUnary());
      return { kind: 'cast', pos: t.pos, type, operand, float: FLOAT_TYPES.has(type) };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePostfix(start: Expr): Expr {
    let e = start;
    for (;;) {
      const t = this.peek();
      if (this.eat('.') || this.eat('?.')) {
        e = this.memberOrCall(e, this.identifierOrKeyword(), t.value === '?.');
      } else if (this.eat('[')) {
        const index = this.parseExpr();
        this.expect(']');
        e = { kind: 'index', pos: t.pos, target: e, index };
      } else if ((this.isPunct('++') || this.isPunct('--')) && isLValue(e)) {
        this.next();
        e = { kind: 'update', pos: t.pos, op: t.value as '++' | '--', prefix: false, target: e };
      } else {
        return e;
      }
    }
  }

  private identifierOrKeyword(): { name: string; pos: number } {
    const t = this.peek();
    if (t.type !== 'id') throw this.unexpected();
    this.next();
    return { name: t.value, pos: t.pos };
  }

  private memberOrCall(target: Expr, id: { name: string; pos: number }, nullSafe: boolean): Expr {
    if (!this.isPunct('(')) return { kind: 'member', pos: id.pos, target, name: id.name, nullSafe };
    return { kind: 'call', pos: id.pos, target, name: id.name, args: this.parseArgs(), nullSafe };
  }

  protected parseArgs(): Expr[] {
    this.expect('(');
    const args: Expr[] = [];
    if (this.eat(')')) return args;
    do {
      args.push(this.atLambda() ? this.parseLambda() : this.parseExpr());
    } while (this.eat(','));
    this.expect(')');
    return args;
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    if (t.type === 'num') {
      this.next();
      return { kind: 'lit', pos: t.pos, value: t.num ?? 0, float: t.float === true };
    }
    if (t.type === 'str') {
      this.next();
      return { kind: 'lit', pos: t.pos, value: t.value, float: false };
    }
    if (this.eat('(')) {
      const inner = this.parseExpr();
      this.expect(')');
      return inner;
    }
    if (this.isPunct('[')) return this.parseCollection();
    if (t.type === 'id') return this.parseWord(t.value, t.pos);
    throw this.unexpected();
  }

  private parseWord(word: string, pos: number): Expr {
    if (word === 'true' || word === 'false' || word === 'null') {
      this.next();
      return { kind: 'lit', pos, value: word === 'null' ? null : word === 'true', float: false };
    }
    if (word === 'ctx' || word === 'params') {
      this.next();
      return { kind: word, pos };
    }
    if (word === 'new') return this.parseNew();
    const v = this.lookup(word);
    if (v) {
      this.next();
      return { kind: 'var', pos, name: word, slot: v.slot, float: v.float };
    }
    if (STATIC_CLASSES.has(word) && this.isPunct('.', 1)) return this.parseStatic(word);
    throw new CompileFailure(pos, `cannot resolve symbol [${word}]`);
  }

  private parseStatic(cls: string): Expr {
    this.next();
    this.expect('.');
    const id = this.identifierOrKeyword();
    if (!this.isPunct('(')) return { kind: 'staticField', pos: id.pos, cls, name: id.name };
    const args = this.parseArgs();
    const float = staticReturnsFloat(cls, id.name) || (cls === 'Math' && args.some(isFloat));
    return { kind: 'staticCall', pos: id.pos, cls, name: id.name, args, float };
  }

  private parseNew(): Expr {
    const pos = this.next().pos;
    const type = this.identifierOrKeyword();
    if (!CONSTRUCTIBLE.has(type.name)) throw new CompileFailure(type.pos, `cannot resolve type [${type.name}]`);
    return { kind: 'new', pos, type: type.name, args: this.parseArgs() };
  }

  private parseCollection(): Expr {
    const pos = this.expect('[').pos;
    if (this.eat(':')) {
      this.expect(']');
      return { kind: 'map', pos, entries: [] };
    }
    if (this.eat(']')) return { kind: 'list', pos, items: [] };
    const first = this.parseExpr();
    if (this.eat(':')) return this.parseMapRest(pos, first);
    const items = [first];
    while (this.eat(',')) items.push(this.parseExpr());
    this.expect(']');
    return { kind: 'list', pos, items };
  }

  private parseMapRest(pos: number, firstKey: Expr): Expr {
    const entries: Array<[Expr, Expr]> = [[firstKey, this.parseExpr()]];
    while (this.eat(',')) {
      const key = this.parseExpr();
      this.expect(':');
      entries.push([key, this.parseExpr()]);
    }
    this.expect(']');
    return { kind: 'map', pos, entries };
  }

  private atLambda(): boolean {
    if (this.peek().type === 'id' && this.isPunct('->', 1)) return true;
    if (!this.isPunct('(')) return false;
    let j = 1;
    while (this.peek(j).type === 'id' || this.isPunct(',', j)) j++;
    return this.isPunct(')', j) && this.isPunct('->', j + 1);
  }

  private parseLambda(): Expr {
    const pos = this.peek().pos;
    return this.scoped(() => {
      const params: number[] = [];
      if (this.eat('(')) {
        while (!this.eat(')')) {
          if (params.length > 0) this.expect(',');
          if (this.isTypeName() && this.peek(1).type === 'id') this.next();
          params.push(this.declare(this.identifier(), false));
        }
      } else {
        params.push(this.declare(this.identifier(), false));
      }
      this.expect('->');
      const body = this.isPunct('{') ? this.parseBlock() : this.parseExpr();
      return { kind: 'lambda', pos, params, body };
    });
  }
}
