// TypeDoc plugin: TypeDoc's `notDocumented` check is all or nothing per package; this one
// requires a comment only on the symbols defined under the folders listed in the
// `requireDocsIn` option (`@proj/core/src/tensor/`, …), so an area can be held to "TSDoc on
// every public symbol" once it gets there, while the others catch up. Same rules as TypeDoc's
// check (a method is documented by its signatures' comments; parameters are not required).
import { Application, DeclarationReflection, ParameterType, ReflectionKind, ReflectionType } from 'typedoc';

const KINDS =
  ReflectionKind.Enum |
  ReflectionKind.EnumMember |
  ReflectionKind.Variable |
  ReflectionKind.Function |
  ReflectionKind.Class |
  ReflectionKind.Interface |
  ReflectionKind.Property |
  ReflectionKind.Method |
  ReflectionKind.Accessor |
  ReflectionKind.TypeAlias;

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.options.addDeclaration({
    name: 'requireDocsIn',
    help: 'Folders (`<package>/<path>/`) whose exported symbols must all have a TSDoc comment',
    type: ParameterType.Array,
    defaultValue: [],
  });
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    const prefixes = app.options.getValue('requireDocsIn');
    if (prefixes.length === 0) return;
    const queue = project.getReflectionsByKind(KINDS);
    const seen = new Set();
    while (queue.length > 0) {
      const ref = queue.shift();
      if (seen.has(ref) || insideParameter(ref)) continue;
      seen.add(ref);
      // A function type's signature is documented by the declaration that has the type.
      if (ref.kindOf(ReflectionKind.CallSignature) && ref.parent?.kindOf(ReflectionKind.TypeLiteral)) {
        if (ref.parent.parent) queue.push(ref.parent.parent);
        continue;
      }
      if (ref instanceof DeclarationReflection) {
        const sigs =
          ref.type instanceof ReflectionType
            ? ref.type.declaration.getNonIndexSignatures()
            : ref.getNonIndexSignatures();
        if (sigs.length > 0) {
          queue.push(...sigs);
          if (ref.kindOf(ReflectionKind.SignatureContainer)) continue;
        }
      }
      if (ref.hasComment() || (ref.kindOf(ReflectionKind.SomeSignature) && ref.parent?.hasComment()))
        continue;
      // An accessor is documented by its getter's comment or its setter's (TypeScript's rule).
      const acc = ref.kindOf(ReflectionKind.SomeSignature) ? ref.parent : undefined;
      if (
        acc?.kindOf(ReflectionKind.Accessor) &&
        (acc.getSignature?.hasComment() || acc.setSignature?.hasComment())
      ) {
        continue;
      }
      // A signature has no symbol of its own: it is judged by its declaration's.
      const owner = ref.kindOf(ReflectionKind.SomeSignature) ? ownerOf(ref) : ref;
      const id = project.getSymbolIdFromReflection(owner);
      if (!id) continue;
      const where = `${id.packageName}/${id.packagePath}`;
      if (!prefixes.some((p) => where.startsWith(p))) continue;
      app.logger.validationWarning(
        `${ref.getFriendlyFullName()} (${ReflectionKind[ref.kind]}), defined in ${where}, has no TSDoc comment`,
      );
    }
  });
}

function insideParameter(ref) {
  for (let r = ref.parent; r; r = r.parent) if (r.kindOf(ReflectionKind.Parameter)) return true;
  return false;
}

/** The declaration a signature belongs to (through a type literal for function-typed members). */
function ownerOf(sig) {
  let r = sig.parent;
  while (r?.kindOf(ReflectionKind.TypeLiteral) && r.parent) r = r.parent;
  return r ?? sig;
}
