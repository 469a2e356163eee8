// TypeDoc plugin: the Tensor methods of the op table (packages/core/src/ops/table.ts) are typed
// by a mapped type over the area files' functions (`interface Tensor extends TableMethods<…>`).
// TypeScript's hover shows the function's TSDoc there, but TypeDoc renders each as a property
// whose type is an intersection of anonymous `(...rest: [...]) => Tensor` and no comment. This
// turns each such member into a method documented like its function: the function's signatures
// (parameter names, defaults, TSDoc, `@example`s) less the first parameter, the tensor itself.
import {
  Converter,
  ParameterReflection,
  ReflectionFlag,
  ReflectionKind,
  ReflectionType,
  SignatureReflection,
  TypeScript as ts,
} from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  /** Members typed by a mapped type over functions, with their function's symbol. */
  const pending = new Map();
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (
      !reflection.kindOf(ReflectionKind.Property) ||
      !reflection.parent?.kindOf(ReflectionKind.ClassOrInterface)
    ) {
      return;
    }
    const symbol = context.getSymbolFromReflection(reflection);
    // A mapped type's property keeps the declarations of the property it was mapped from: the
    // function, or the `export { fn }` that re-exports it.
    const decl = symbol?.links?.mappedType ? symbol.declarations?.[0] : undefined;
    if (!decl || !(ts.isFunctionDeclaration(decl) || ts.isExportSpecifier(decl)) || !decl.name) return;
    let fn = context.checker.getSymbolAtLocation(decl.name);
    if (fn && fn.flags & ts.SymbolFlags.Alias) fn = context.checker.getAliasedSymbol(fn);
    if (fn?.declarations?.every(ts.isFunctionDeclaration)) pending.set(reflection, fn);
  });

  // Before grouping (-100) and link resolution (-300), after comments moved to parameters.
  app.converter.on(
    Converter.EVENT_RESOLVE_END,
    (context) => {
      const project = context.project;
      for (const [member, fnSymbol] of pending) {
        const fn = context.getReflectionFromSymbol(fnSymbol);
        if (!fn?.signatures?.length) {
          context.logger.warn(
            `table-methods: ${member.getFriendlyFullName()} is typed from a function that is not documented (export it)`,
          );
          continue;
        }
        if (member.type instanceof ReflectionType || member.type?.type === 'intersection') {
          for (const t of member.type.type === 'intersection' ? member.type.types : [member.type]) {
            if (t instanceof ReflectionType) project.removeReflection(t.declaration);
          }
        }
        member.type = undefined;
        member.kind = ReflectionKind.Method;
        member.signatures = fn.signatures.map((s) => methodSignature(project, member, s));
      }
      pending.clear();
    },
    100,
  );
}

/** `s` as a signature of `method`: the same, less its first parameter. */
function methodSignature(project, method, s) {
  const sig = new SignatureReflection(method.name, ReflectionKind.CallSignature, method);
  sig.comment = s.comment?.clone();
  sig.typeParameters = s.typeParameters;
  sig.type = s.type;
  sig.sources = s.sources;
  sig.parameters = (s.parameters ?? []).slice(1).map((p) => {
    const q = new ParameterReflection(p.name, ReflectionKind.Parameter, sig);
    q.type = p.type;
    q.defaultValue = p.defaultValue;
    q.comment = p.comment?.clone();
    q.setFlag(ReflectionFlag.Optional, p.flags.isOptional);
    q.setFlag(ReflectionFlag.Rest, p.flags.isRest);
    project.registerReflection(q, undefined, undefined);
    return q;
  });
  project.registerReflection(sig, undefined, undefined);
  return sig;
}
