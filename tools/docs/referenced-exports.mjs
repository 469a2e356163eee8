// TypeDoc plugin: TypeDoc's `notExported` check only covers the project's own package (the
// root package.json's, in a one-program run over several packages), so a documented symbol of
// @proj/core could refer to an unexported type of @proj/core silently. This extends the check
// to every documented package: a type of ours that a documented symbol refers to must be
// documented too (export it), or be marked `@internal`, or be listed in the `notExportedAllowed`
// option as `<package>/<path>:<name>` (path inside the package, as in the warning). TypeDoc's own
// `intentionallyNotExported` cannot be used for this: it reports entries its check never met.
import {
  Application,
  ContainerReflection,
  DeclarationReflection,
  makeRecursiveVisitor,
  ParameterReflection,
  ParameterType,
  Reflection,
  SignatureReflection,
  TypeParameterReflection,
} from 'typedoc';
import { entryPoints } from './entry-points.mjs';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.options.addDeclaration({
    name: 'notExportedAllowed',
    help: 'Types of our packages (`<package>/<path>:<name>`) that documented symbols may refer to unexported',
    type: ParameterType.Array,
    defaultValue: [],
  });
  const ours = new Set(entryPoints().map((e) => e.package));
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    if (!app.options.getValue('validation').notExported) return;
    const allowed = new Set(app.options.getValue('notExportedAllowed'));
    const used = new Set();
    const warned = new Set();
    for (const { type, owner } of referenceTypes(project)) {
      if (type.reflection || type.externalUrl || type.isIntentionallyBroken()) continue;
      const id = type.symbolId;
      if (!id || !ours.has(id.packageName) || project.symbolIdHasBeenRemoved(id)) continue;
      const where = `${id.packageName}/${id.packagePath}`;
      const key = `${where}:${type.qualifiedName}`;
      if (allowed.has(key)) used.add(key);
      if (allowed.has(key) || warned.has(key)) continue;
      warned.add(key);
      app.logger.validationWarning(
        `${type.qualifiedName}, defined in ${where}, is referenced by ${owner.getFriendlyFullName()} but not included in the documentation (export it, mark it @internal, or add "${key}" to notExportedAllowed)`,
      );
    }
    // A stale entry would hide the next type of that name: the list only shrinks.
    for (const key of allowed) {
      if (!used.has(key))
        app.logger.validationWarning(`notExportedAllowed: "${key}" is no longer needed; remove it`);
    }
  });
}

/**
 * Every reference type in the documented signatures, with the reflection that holds it (what
 * TypeDoc's own export check walks: declared types, parameters, type parameters, signatures).
 */
function referenceTypes(project) {
  const out = [];
  let current = project;
  const queue = [];
  const visitor = makeRecursiveVisitor({
    reference(type) {
      out.push({ type, owner: current });
    },
    reflection(type) {
      queue.push(type.declaration);
    },
  });
  const add = (item) => {
    if (item instanceof Reflection) queue.push(item);
    else if (item) queue.push(...item);
  };
  do {
    if (current instanceof ContainerReflection) add(current.children);
    if (current instanceof DeclarationReflection) {
      current.type?.visit(visitor);
      add(current.typeParameters);
      add(current.signatures);
      add(current.indexSignatures);
      add(current.getSignature);
      add(current.setSignature);
      for (const t of current.implementedTypes ?? []) t.visit(visitor);
    }
    if (current instanceof SignatureReflection) {
      add(current.parameters);
      add(current.typeParameters);
      current.type?.visit(visitor);
    }
    if (current instanceof ParameterReflection) current.type?.visit(visitor);
    if (current instanceof TypeParameterReflection) {
      current.type?.visit(visitor);
      current.default?.visit(visitor);
    }
    current = queue.shift();
  } while (current);
  return out;
}
