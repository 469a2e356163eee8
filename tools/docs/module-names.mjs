// TypeDoc plugin: names each entry module by its import specifier (`@proj/core/node`) instead
// of its path (`core/src/node`), so the site reads the way users import.
import { Converter, ReflectionKind } from 'typedoc';
import { entryPoints } from './entry-points.mjs';

/** @param {import('typedoc').Application} app */
export function load(app) {
  const byFile = new Map(entryPoints().map((e) => [e.file, e.name]));
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module) || reflection.parent !== context.project) return;
    const file = context.getSymbolFromReflection(reflection)?.declarations?.[0]?.getSourceFile().fileName;
    const name = file === undefined ? undefined : byFile.get(file);
    if (name !== undefined) reflection.name = name;
  });
}
